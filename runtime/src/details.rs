//! What any service's error can tell about its call ([`ErrorDetails`]), and
//! the stock error type of a service with no failure modes of its own
//! ([`ApiError`]).

use http::StatusCode;

use crate::error::{Error, ErrorResponse};
use crate::service::{Failure, Retry, default_retry};

/// What an error can tell about the call that failed: its status, attempts,
/// body and messages, whether sending it again could help, and what kind of
/// failure it was. A service's error implements the two required methods
/// (where the response is, where the runtime's [`Error`] is); everything
/// else follows from them, the same for every API.
///
/// Implement `response` with a `match` that lists every variant, without a
/// `_` arm: a variant added later that carries a response is then a compile
/// error until it is listed, instead of an error whose `status()` and
/// `retry()` quietly answer nothing.
///
/// ```
/// use hacktron_runtime::{Error, ErrorDetails, ErrorResponse, StatusCode};
///
/// /// A service's error: one failure mode of its own, and the rest.
/// #[derive(Debug)]
/// enum FleetError {
///     Locked(Box<ErrorResponse>),
///     Status(Box<ErrorResponse>),
///     Call(Error),
/// }
///
/// impl ErrorDetails for FleetError {
///     fn response(&self) -> Option<&ErrorResponse> {
///         match self {
///             FleetError::Locked(r) | FleetError::Status(r) => Some(r),
///             FleetError::Call(_) => None,
///         }
///     }
///     fn runtime_error(&self) -> Option<&Error> {
///         match self {
///             FleetError::Call(e) => Some(e),
///             FleetError::Locked(_) | FleetError::Status(_) => None,
///         }
///     }
/// }
///
/// let locked = FleetError::Locked(Box::new(ErrorResponse::new(StatusCode::LOCKED, Default::default(), "{}".into(), false)));
/// assert_eq!(locked.status(), Some(StatusCode::LOCKED));
/// assert!(!locked.is_retryable() && !locked.is_timeout());
/// ```
pub trait ErrorDetails {
    /// The response, when the error comes from a non-success status.
    fn response(&self) -> Option<&ErrorResponse>;

    /// The runtime's error inside, when the error is one of those any call
    /// can hit (no connection, a timeout, a body that does not decode, …).
    fn runtime_error(&self) -> Option<&Error>;

    /// The HTTP status, when a response arrived.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
    ///
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::NOT_FOUND, Default::default(), "".into(), false));
    /// assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    /// ```
    fn status(&self) -> Option<StatusCode> {
        match (self.response(), self.runtime_error()) {
            (Some(r), _) => Some(r.status),
            (None, Some(e)) => e.status(),
            (None, None) => None,
        }
    }

    /// How many attempts the call made before this error (1 when it was not
    /// retried); 0 for an error raised before any request was sent.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails};
    ///
    /// let refused = ApiError::from(Error::Config("no base URL".into()));
    /// assert_eq!(refused.attempts(), 0);
    /// ```
    fn attempts(&self) -> u32 {
        match (self.response(), self.runtime_error()) {
            (Some(r), _) => r.attempts,
            (None, Some(e)) => e.attempts(),
            (None, None) => 0,
        }
    }

    /// The raw body, when a response arrived with one (an error body, or a
    /// success body that did not decode).
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
    ///
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::BAD_GATEWAY, Default::default(), "<html>".into(), false));
    /// assert_eq!(e.body(), Some(&b"<html>"[..]));
    /// ```
    fn body(&self) -> Option<&[u8]> {
        match (self.response(), self.runtime_error()) {
            (Some(r), _) => Some(&r.body),
            (None, Some(Error::Decode { body, .. })) => Some(body),
            _ => None,
        }
    }

    /// The server's messages (one, or one per failed field), when it sent any.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
    ///
    /// let body = r#"{"message": ["name must not be empty"]}"#.into();
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::BAD_REQUEST, Default::default(), body, false));
    /// assert_eq!(e.messages(), ["name must not be empty"]);
    /// ```
    fn messages(&self) -> &[String] {
        self.response().map_or(&[], ErrorResponse::messages)
    }

    /// The error as a retry classifier sees it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails, Failure};
    ///
    /// let e = ApiError::from(Error::Timeout { after: Duration::from_secs(30), attempts: 1 });
    /// assert!(matches!(e.failure(), Failure::Timeout));
    /// ```
    fn failure(&self) -> Failure<'_> {
        match (self.response(), self.runtime_error()) {
            (Some(r), _) => Failure::Response(r),
            (None, Some(e)) => e.failure(),
            (None, None) => Failure::Other,
        }
    }

    /// Whether sending the same request again could succeed, and for which
    /// requests: the HTTP rules ([`default_retry`]) under the rule no
    /// classifier lifts ([`verdict`](crate::service::verdict)). A service
    /// whose [`Service::retry`](crate::service::Service::retry) differs
    /// returns `verdict::<TheService>(self.failure())` here.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, Retry, StatusCode};
    ///
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::SERVICE_UNAVAILABLE, Default::default(), "".into(), false));
    /// assert_eq!(e.retry(), Retry::IfIdempotent { after: None }); // it may have been applied
    /// ```
    fn retry(&self) -> Retry {
        let failure = self.failure();
        crate::service::capped(failure, default_retry(failure))
    }

    /// Whether the same request may succeed if sent again later (a rate
    /// limit, a server or gateway error, a timeout, no connection). It says
    /// nothing of whether resending is *safe*: [`retry`](Self::retry) does.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
    ///
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::TOO_MANY_REQUESTS, Default::default(), "".into(), false));
    /// assert!(e.is_retryable());
    /// ```
    fn is_retryable(&self) -> bool {
        self.retry().is_retryable()
    }

    /// Whether the request may have been applied without the client learning
    /// it ([`Failure::outcome_unknown`]): look before sending a write again.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
    ///
    /// let e = ApiError::from(ErrorResponse::new(StatusCode::INTERNAL_SERVER_ERROR, Default::default(), "".into(), false));
    /// assert!(e.outcome_unknown());
    /// ```
    fn outcome_unknown(&self) -> bool {
        self.failure().outcome_unknown()
    }

    /// Whether no connection could be made: nothing was sent.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails};
    ///
    /// let e = ApiError::from(Error::Connect { host: "127.0.0.1:9".into(), cause: "refused".into(), attempts: 1 });
    /// assert!(e.is_connect() && !e.is_timeout());
    /// ```
    fn is_connect(&self) -> bool {
        matches!(self.runtime_error(), Some(Error::Connect { .. }))
    }

    /// Whether the request or the response took longer than the timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails};
    ///
    /// let e = ApiError::from(Error::Timeout { after: Duration::from_secs(1), attempts: 2 });
    /// assert!(e.is_timeout());
    /// ```
    fn is_timeout(&self) -> bool {
        matches!(self.runtime_error(), Some(Error::Timeout { .. }))
    }

    /// Whether the connection failed while the request or the response was
    /// in flight.
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails};
    ///
    /// let e = ApiError::from(Error::Transport { host: "api.example.com:443".into(), cause: "reset".into(), attempts: 1 });
    /// assert!(e.is_transport());
    /// ```
    fn is_transport(&self) -> bool {
        matches!(self.runtime_error(), Some(Error::Transport { .. }))
    }

    /// Whether a success response's body did not match the expected type
    /// (or was larger than the client's limit).
    ///
    /// ```
    /// use hacktron_runtime::{ApiError, Error, ErrorDetails, StatusCode};
    ///
    /// let e = ApiError::from(Error::BodyTooLarge { status: StatusCode::OK, limit: 1024, attempts: 1 });
    /// assert!(e.is_decode());
    /// ```
    fn is_decode(&self) -> bool {
        matches!(
            self.runtime_error(),
            Some(Error::Decode { .. } | Error::BodyTooLarge { .. })
        )
    }
}

impl ErrorDetails for Error {
    fn response(&self) -> Option<&ErrorResponse> {
        None
    }

    fn runtime_error(&self) -> Option<&Error> {
        Some(self)
    }
}

/// The stock error of a service with no failure modes of its own: the
/// server answered a non-success status, or the call failed as any HTTP
/// call can. [`ErrorDetails`] tells the rest.
///
/// ```
/// use hacktron_runtime::service::{Auth, Service};
/// use hacktron_runtime::{ApiError, ErrorDetails, ErrorResponse, StatusCode};
///
/// enum Notes {}
/// impl Service for Notes {
///     type Error = ApiError;
///     const NAME: &'static str = "Notes";
///     const AUTH: Auth = Auth::Header { name: "authorization", scheme: Some("Bearer") };
///     const USER_AGENT: &'static str = "notes-sdk/0.1";
///     fn error_from_response(response: ErrorResponse) -> ApiError {
///         response.into()
///     }
/// }
///
/// let body = r#"{"message": "note 7 not found"}"#.into();
/// let e = Notes::error_from_response(ErrorResponse::new(StatusCode::NOT_FOUND, Default::default(), body, false));
/// assert_eq!(e.to_string(), "HTTP 404: note 7 not found");
/// assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// A non-success status, with the response kept whole.
    #[error("{0}")]
    Status(Box<ErrorResponse>),
    /// What any HTTP call can hit.
    #[error(transparent)]
    Call(#[from] Error),
}

impl From<ErrorResponse> for ApiError {
    fn from(response: ErrorResponse) -> Self {
        ApiError::Status(Box::new(response))
    }
}

impl ErrorDetails for ApiError {
    fn response(&self) -> Option<&ErrorResponse> {
        match self {
            ApiError::Status(r) => Some(r),
            ApiError::Call(_) => None,
        }
    }

    fn runtime_error(&self) -> Option<&Error> {
        match self {
            ApiError::Call(e) => Some(e),
            ApiError::Status(_) => None,
        }
    }
}

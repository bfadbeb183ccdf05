//! The Hacktron API's errors: every documented status and failure mode as
//! a variant, and the runtime's error (what any HTTP call can hit) nested
//! once.

use std::time::Duration;

use hacktron_runtime::{ErrorDetails, Printable};

use crate::ErrorResponse;

/// Everything that can go wrong with a call, as one enum to match on.
///
/// The first group are the failure modes the Hacktron docs name, recognised
/// from the server's message; the second, every other documented status;
/// then what the client itself found ([`Error::InvalidKey`],
/// [`Error::WaitDeadline`]) and, in [`Error::Call`], what any HTTP call can
/// hit. Each variant that comes from a response keeps it whole in an
/// [`ErrorResponse`] (status, headers, raw body, parsed messages), and its
/// `Display` says what happened, what to do, and what the server said.
///
/// [`ErrorDetails`] (in the prelude) answers the questions every error
/// shares: `status()`, `attempts()`, `body()`, `messages()`, `retry()`,
/// and `is_timeout()`, `is_connect()`, `is_transport()`, `is_decode()`.
///
/// ```no_run
/// # async fn demo(result: Result<(), hacktron::Error>) {
/// use hacktron::prelude::*;
///
/// match result {
///     Err(Error::InsufficientCredits { .. }) => eprintln!("top up credits first"),
///     Err(Error::RateLimited { retry_after, .. }) => eprintln!("wait {retry_after:?}"),
///     Err(e) if e.is_timeout() => eprintln!("slow network or server: {e}"),
///     Err(e) if e.is_retryable() => eprintln!("try again: {e}"),
///     Err(e) => eprintln!("{e}"),
///     Ok(()) => {}
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 403: the key lacks the scope the endpoint needs.
    #[error(
        "the API key lacks the `{}` scope this endpoint needs; scopes cannot be changed, so create a key that includes `{}` and use it ({response})",
        Printable(scope),
        Printable(scope)
    )]
    MissingScope {
        /// The missing scope, as the server named it (`write`).
        scope: String,
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 402: the organization has too few Whitebox Scan credits for this scan.
    #[error(
        "not enough Whitebox Scan credits to start this scan; top up under Credits and billing in the dashboard, or estimate a smaller scope ({response})"
    )]
    InsufficientCredits {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 400: pentest-only inputs were sent without a `cost_estimation_id`.
    #[error(
        "this scan needs a cost estimation: create one with POST /cost-estimations and pass its id as `cost_estimation_id` ({response})"
    )]
    CostEstimationRequired {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 400: the cost estimation is still `pending` or `running`.
    #[error(
        "the cost estimation is not ready yet; poll it until its status is `completed` or `partial`, then start the scan ({response})"
    )]
    CostEstimationNotReady {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 400: a repository or archive in the scan request was not estimated.
    #[error(
        "`{}` was not part of the cost estimation; scan exactly what was estimated, or create a new estimate that includes it ({response})",
        Printable(repository)
    )]
    NotInEstimation {
        /// The repository URL or archive name the server named.
        repository: String,
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 400: the repository matches the estimation but the branch does not.
    #[error(
        "branch `{}` differs from the branch that was estimated; start the scan on the estimated branch, or estimate the new branch ({response})",
        Printable(branch)
    )]
    BranchMismatch {
        /// The branch the server named.
        branch: String,
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 404: the finding does not exist, is not yet approved, or belongs to
    /// another organization (the server does not say which).
    #[error(
        "no visible finding with this id: it does not exist, is not approved yet, or belongs to another organization ({response})"
    )]
    FindingNotFound {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 401: no API key reached the server. The request carried no
    /// `X-Api-Key` header: a dashboard session token was sent instead of a
    /// key, or a proxy on the way dropped the header.
    #[error(
        "no API key reached the server: the request had no `X-Api-Key` header; if a proxy sits between you and the API, check that it forwards `X-Api-Key`, and use an API key from Settings → API keys, not a dashboard session token ({response})"
    )]
    SessionToken {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 401: the backend route was called instead of the public API host.
    #[error(
        "the base URL points at Hacktron's backend route, not the public API; use https://api.hacktron.ai/v1 ({response})"
    )]
    BackendRoute {
        /// The response.
        response: Box<ErrorResponse>,
    },

    /// 400: the request failed validation; see [`ErrorResponse::messages`].
    #[error("the request was rejected as invalid; {} ({response})", bad_request_hint(response))]
    BadRequest {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 401: the key is missing, malformed, revoked or expired.
    #[error(
        "the API key was not accepted: it is missing, malformed, revoked or expired; check it or create a new one ({response})"
    )]
    Unauthorized {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 402 with a message other than the documented credits one.
    #[error("payment is required for this request; check Credits and billing in the dashboard ({response})")]
    PaymentRequired {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 403 with a message that names no scope.
    #[error("the API key is not allowed to do this ({response})")]
    Forbidden {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 404: the resource does not exist or is not visible to this organization.
    #[error("not found, or not visible to the key's organization; check the id ({response})")]
    NotFound {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 404 for a route the server does not have (`Cannot DELETE /v1/…`):
    /// the base URL or the path is wrong, not an id.
    #[error(
        "the server has no such route; check the base URL (it ends in /v1 for the public API) and that this SDK version supports the operation ({response})"
    )]
    UnknownRoute {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 409 on a resend of `POST /scans` after an attempt whose outcome was
    /// unknown (no answer, or a `5xx`): the estimation is claimed, most
    /// likely by that attempt, so the scan may have started.
    #[error(
        "the scan may have started from an earlier attempt of this call, whose answer was lost: the cost estimation is now claimed; look for the scan with `list_scans` (newest first) before creating a new estimate ({response})"
    )]
    ScanMayHaveStarted {
        /// The response to the last attempt (its status is `409`); what the
        /// earlier attempts ended in is its [`earlier`](ErrorResponse::earlier).
        response: Box<ErrorResponse>,
    },
    /// A write that is not safe to repeat (`add_finding_comment`,
    /// `create_cost_estimation`, an endpoint of your own not declared
    /// `idempotent`) was sent once and its outcome is unknown: a `5xx`
    /// answer, a timeout, or a connection lost after the request went out.
    /// The server may have applied it. The client did not send it again,
    /// since that could apply it twice; `check` says how to find out.
    #[error(
        "`{operation}` may have been applied: it was sent once and ended in {}; it was not sent again, since a second request could apply it twice: {check}",
        what_happened(cause)
    )]
    WriteMayHaveApplied {
        /// The endpoint's name (`add_finding_comment`).
        operation: &'static str,
        /// How to find out whether it was applied.
        check: &'static str,
        /// What the attempt ended in ([`Error::Server`], a timeout or a lost
        /// connection in [`Error::Call`], …).
        cause: Box<Error>,
    },
    /// 409: the request conflicts with the current state.
    #[error("the request conflicts with the current state ({response})")]
    Conflict {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 429: the key went over its rate limit (documented: 100 requests per
    /// rolling 60 s; the message states the limit the server advertised in
    /// `X-RateLimit-Limit` when it did).
    #[error("rate limit exceeded for this key ({}); {} ({response})", limit_note(response), retry_hint(*.retry_after))]
    RateLimited {
        /// How long the server asked us to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// 500: an unexpected server error; safe to retry with backoff.
    #[error("the server failed unexpectedly; retry with backoff and contact support if it persists ({response})")]
    Server {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// Any other non-success status (a proxy's 502, a 418, …).
    #[error("unexpected response ({response})")]
    UnexpectedStatus {
        /// The response.
        response: Box<ErrorResponse>,
    },

    /// The API key string was refused before any request was made.
    #[error(transparent)]
    InvalidKey(#[from] KeyError),
    /// A polling helper gave up before the resource reached a final status.
    #[error(
        "gave up waiting after {waited:?}; the last status was `{last_status}`: raise the deadline, or check the resource in the dashboard"
    )]
    WaitDeadline {
        /// How long it waited.
        waited: Duration,
        /// The last status seen.
        last_status: String,
    },
    /// What any HTTP call can hit, whatever the API: no connection, a
    /// timeout, a connection lost mid-request, a success body that does not
    /// decode, a bad argument, the client's configuration
    /// ([`CallError`](crate::CallError), the runtime's error). Most code
    /// asks [`ErrorDetails`](crate::ErrorDetails) instead of matching it:
    /// `e.is_timeout()`, `e.is_connect()`, `e.status()`.
    #[error(transparent)]
    Call(#[from] hacktron_runtime::Error),
}

/// What an attempt ended in, without the advice of the error's own message
/// (a `500`'s "retry with backoff" is wrong for a write that may be applied).
fn what_happened(cause: &Error) -> String {
    match (cause.response(), cause.runtime_error()) {
        (Some(response), _) => response.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) => cause.to_string(),
    }
}

/// A resend of `create_scan` after an attempt that may have been applied.
fn is_scan_resend(response: &ErrorResponse) -> bool {
    use crate::api::Scans;
    response.endpoint == Some(&<crate::Client as Scans>::CREATE_SCAN) && response.earlier_outcome_unknown()
}

/// The limit the server advertised, or the documented one.
fn limit_note(response: &ErrorResponse) -> String {
    match response.header("x-ratelimit-limit").map(str::trim) {
        Some(limit) if !limit.is_empty() && limit.bytes().all(|b| b.is_ascii_digit()) => {
            format!("the server allows {limit} requests per window")
        }
        _ => "the documented limit is 100 requests per 60 s".to_owned(),
    }
}

/// A validation 400 names fields; a malformed body does not, so the advice
/// differs.
fn bad_request_hint(response: &ErrorResponse) -> &'static str {
    // class-validator messages start with the property they are about
    // (`repos must contain…`, `limit must not be…`).
    let names_fields = response.messages().iter().any(|m| {
        let mut words = m.split_whitespace();
        matches!((words.next(), words.next()), (Some(first), Some("must" | "should"))
            if first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
    });
    if names_fields {
        "fix the fields named here"
    } else {
        "check the request body and parameters against the API reference"
    }
}

/// NestJS's answer for a route it does not have: `Cannot GET /v1/nope`.
fn is_unknown_route(response: &ErrorResponse) -> bool {
    response.messages().iter().any(|m| {
        m.strip_prefix("Cannot ")
            .and_then(|rest| rest.split_once(' '))
            .is_some_and(|(method, path)| method.bytes().all(|b| b.is_ascii_uppercase()) && path.starts_with('/'))
    })
}

/// What to do after a 429: the server's wait when it named a sensible one.
fn retry_hint(after: Option<Duration>) -> String {
    match after {
        // A wait beyond a day is no advice anyone can follow; the call was
        // not retried (it is past any deadline), so say what it was.
        Some(d) if d > Duration::from_secs(24 * 3600) => {
            "the server asked to wait more than a day, so the call was not retried; wait for the window to reset and retry".to_owned()
        }
        Some(d) => format!("back off for {}s as the server asked and retry", d.as_secs()),
        None => "back off (1 s, 2 s, 4 s, 8 s…) and retry".to_owned(),
    }
}

impl ErrorDetails for Error {
    // Every variant is listed: one added later must say whether it has a
    // response, or this does not compile.
    fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Error::MissingScope { response, .. }
            | Error::InsufficientCredits { response }
            | Error::CostEstimationRequired { response }
            | Error::CostEstimationNotReady { response }
            | Error::NotInEstimation { response, .. }
            | Error::BranchMismatch { response, .. }
            | Error::FindingNotFound { response }
            | Error::SessionToken { response }
            | Error::BackendRoute { response }
            | Error::BadRequest { response }
            | Error::Unauthorized { response }
            | Error::PaymentRequired { response }
            | Error::Forbidden { response }
            | Error::NotFound { response }
            | Error::UnknownRoute { response }
            | Error::Conflict { response }
            | Error::ScanMayHaveStarted { response }
            | Error::RateLimited { response, .. }
            | Error::Server { response }
            | Error::UnexpectedStatus { response } => Some(response),
            Error::WriteMayHaveApplied { cause, .. } => cause.response(),
            Error::InvalidKey(_) | Error::WaitDeadline { .. } | Error::Call(_) => None,
        }
    }

    fn runtime_error(&self) -> Option<&hacktron_runtime::Error> {
        match self {
            Error::Call(e) => Some(e),
            Error::WriteMayHaveApplied { cause, .. } => cause.runtime_error(),
            _ => None,
        }
    }
}

/// Turns a non-success response into the matching [`Error`] variant.
///
/// Failure modes are recognised by the server's message, whatever the status,
/// so a proxy that rewrites statuses does not hide them; everything else maps
/// by status. Never panics, whatever the body.
pub fn classify(response: ErrorResponse) -> Error {
    let response = Box::new(response);
    if let Some(kind) = failure_mode(response.messages()) {
        return match kind {
            Mode::MissingScope(scope) => Error::MissingScope { scope, response },
            Mode::Credits => Error::InsufficientCredits { response },
            Mode::EstimationRequired => Error::CostEstimationRequired { response },
            Mode::NotReady => Error::CostEstimationNotReady { response },
            Mode::NotInEstimation(repository) => Error::NotInEstimation { repository, response },
            Mode::Branch(branch) => Error::BranchMismatch { branch, response },
            Mode::FindingNotFound => Error::FindingNotFound { response },
            Mode::SessionToken => Error::SessionToken { response },
            Mode::BackendRoute => Error::BackendRoute { response },
        };
    }
    match response.status.as_u16() {
        400 => Error::BadRequest { response },
        401 => Error::Unauthorized { response },
        402 => Error::PaymentRequired { response },
        403 => Error::Forbidden { response },
        404 if is_unknown_route(&response) => Error::UnknownRoute { response },
        404 => Error::NotFound { response },
        409 if is_scan_resend(&response) => Error::ScanMayHaveStarted { response },
        409 => Error::Conflict { response },
        429 => Error::RateLimited {
            retry_after: response.retry_after(),
            response,
        },
        500 => Error::Server { response },
        _ => Error::UnexpectedStatus { response },
    }
}

enum Mode {
    MissingScope(String),
    Credits,
    EstimationRequired,
    NotReady,
    NotInEstimation(String),
    Branch(String),
    FindingNotFound,
    SessionToken,
    BackendRoute,
}

fn failure_mode(messages: &[String]) -> Option<Mode> {
    messages.iter().find_map(|m| recognise(m.trim()))
}

fn recognise(m: &str) -> Option<Mode> {
    if let Some(scope) = m.strip_prefix("API key missing required scope:") {
        return Some(Mode::MissingScope(scope.trim().to_owned()));
    }
    if let Some(rest) = m.strip_prefix("Repository or archive ") {
        let name = rest.strip_suffix(" was not included in the cost estimation")?;
        return Some(Mode::NotInEstimation(unquote(name)));
    }
    if let Some(rest) = m.strip_prefix("Branch ") {
        let name = rest.strip_suffix(" does not match the cost estimation branch")?;
        return Some(Mode::Branch(unquote(name)));
    }
    Some(match m {
        "Insufficient credits to start this scan" => Mode::Credits,
        "cost_estimation_id is required for pentest scans" => Mode::EstimationRequired,
        "Cost estimation is not ready" => Mode::NotReady,
        "Finding not found" => Mode::FindingNotFound,
        "API key authentication is only supported on /api/v1/rest/ endpoints" => Mode::BackendRoute,
        _ if m.starts_with("This endpoint requires API key authentication") => Mode::SessionToken,
        _ => return None,
    })
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_owned();
        }
    }
    s.to_owned()
}

/// Why a string was refused as an API key. Never contains the key itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key does not start with `hacktron_`.
    #[error(
        "API keys start with `hacktron_`; copy the whole key from Settings → API keys in the dashboard (a dashboard session token is not an API key)"
    )]
    Prefix,
    /// The key is shorter than any key the dashboard issues.
    #[error("the API key is too short ({len} characters); it looks truncated, copy the whole key again")]
    TooShort {
        /// Length of the rejected key.
        len: usize,
    },
    /// The key holds a character keys never contain (often whitespace or quotes).
    #[error("the API key has an invalid character at position {at}; check for quotes, spaces or line breaks around it")]
    InvalidCharacter {
        /// Byte offset of the first invalid character.
        at: usize,
    },
}

/// Length of the non-secret prefix the server stores and shows in its dashboard.
pub(crate) const PREFIX_LEN: usize = 12;
const SCHEME: &str = "hacktron_";
/// Shortest secret part we accept after `hacktron_`.
const MIN_SECRET_LEN: usize = 8;

/// Checks that `key` has the documented form: `hacktron_` followed by the
/// secret, in letters, digits, `_` and `-`.
pub(crate) fn check_key(key: &str) -> Result<(), KeyError> {
    let Some(secret) = key.strip_prefix(SCHEME) else {
        return Err(KeyError::Prefix);
    };
    if secret.len() < MIN_SECRET_LEN {
        return Err(KeyError::TooShort { len: key.len() });
    }
    if let Some(at) = key
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    {
        return Err(KeyError::InvalidCharacter { at });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HeaderMap;
    use crate::{Bytes, StatusCode};

    fn resp(status: u16, body: &str) -> ErrorResponse {
        ErrorResponse::new(
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
            false,
        )
    }

    /// The documented Hacktron bodies parse; the other shapes are the
    /// runtime's (`hacktron_runtime::parse_error_body`), tested there.
    #[test]
    fn documented_error_bodies_are_parsed() {
        let r = resp(
            400,
            r#"{"statusCode":400,"message":"At least one repository is required","error":"Bad Request"}"#,
        );
        assert_eq!(r.messages(), ["At least one repository is required"]);
        assert_eq!(r.error(), Some("Bad Request"));
        let r = resp(
            400,
            r#"{"statusCode":400,"message":["repos must contain at least 1 elements","cost_estimation_id must be a UUID"]}"#,
        );
        assert_eq!(r.messages().len(), 2);
    }

    #[test]
    fn failure_modes_are_recognised_with_their_data() {
        let e = classify(resp(
            403,
            r#"{"statusCode":403,"message":"API key missing required scope: write"}"#,
        ));
        assert!(matches!(&e, Error::MissingScope { scope, .. } if scope == "write"));
        let e = classify(resp(
            400,
            r#"{"message":"Repository or archive https://github.com/a/b was not included in the cost estimation"}"#,
        ));
        assert!(matches!(&e, Error::NotInEstimation { repository, .. } if repository == "https://github.com/a/b"));
        let e = classify(resp(
            400,
            r#"{"message":"Branch 'dev' does not match the cost estimation branch"}"#,
        ));
        assert!(matches!(&e, Error::BranchMismatch { branch, .. } if branch == "dev"));
        let e = classify(resp(
            401,
            r#"{"message":"This endpoint requires API key authentication (X-Api-Key header)"}"#,
        ));
        assert!(matches!(e, Error::SessionToken { .. }));
        assert!(
            e.to_string()
                .contains("This endpoint requires API key authentication (X-Api-Key header)")
        );
    }

    #[test]
    fn statuses_map_and_keep_the_body() {
        let e = classify(resp(418, "I'm a teapot"));
        assert!(matches!(e, Error::UnexpectedStatus { .. }));
        assert_eq!(e.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(e.body(), Some(&b"I'm a teapot"[..]));
        assert!(e.to_string().contains("I'm a teapot"));
        assert!(classify(resp(500, "")).is_retryable());
        assert!(!classify(resp(404, "{}")).is_retryable());
    }

    #[test]
    fn messages_say_what_the_server_said() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "250".parse().unwrap());
        let e = classify(ErrorResponse::new(
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            Bytes::new(),
            false,
        ));
        assert!(
            e.to_string().contains("the server allows 250 requests per window"),
            "{e}"
        );
        let e = classify(resp(429, ""));
        assert!(
            e.to_string().contains("documented limit is 100 requests per 60 s"),
            "{e}"
        );

        let e = classify(resp(
            404,
            r#"{"statusCode":404,"message":"Cannot DELETE /v1/scans/abc","error":"Not Found"}"#,
        ));
        assert!(matches!(e, Error::UnknownRoute { .. }), "{e:?}");
        assert!(!e.to_string().contains("check the id"), "{e}");
        let e = classify(resp(404, r#"{"statusCode":404,"message":"Scan not found"}"#));
        assert!(matches!(e, Error::NotFound { .. }), "{e:?}");

        let e = classify(resp(
            400,
            r#"{"statusCode":400,"message":"Unexpected token } in JSON at position 12"}"#,
        ));
        assert!(!e.to_string().contains("fields named here"), "{e}");
        let e = classify(resp(
            400,
            r#"{"statusCode":400,"message":["limit must not be greater than 100"]}"#,
        ));
        assert!(e.to_string().contains("fix the fields named here"), "{e}");
    }

    #[test]
    fn keys_are_checked_for_the_documented_form() {
        assert_eq!(check_key("Bearer abc"), Err(KeyError::Prefix));
        assert_eq!(check_key("hacktron_x"), Err(KeyError::TooShort { len: 10 }));
        assert_eq!(
            check_key("hacktron_abcdefgh ij"),
            Err(KeyError::InvalidCharacter { at: 17 })
        );
        assert_eq!(
            check_key("hacktron_abcdéfghij"),
            Err(KeyError::InvalidCharacter { at: 13 })
        );
        assert_eq!(check_key("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4"), Ok(()));
    }

    #[test]
    fn a_far_future_retry_after_is_not_printed_as_a_duration() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".parse().unwrap());
        let e = classify(ErrorResponse::new(
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            Bytes::new(),
            false,
        ));
        let text = e.to_string();
        assert!(matches!(
            e,
            Error::RateLimited {
                retry_after: Some(_),
                ..
            }
        ));
        assert!(text.contains("more than a day"), "{text}");
        assert!(!text.contains("251606"), "{text}");
    }
}

//! What any HTTP call can hit, and the record of a non-success response
//! that a service turns into its own error.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::service::Failure;

/// Largest error body kept in an [`ErrorResponse`]; the rest is not read.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// What can go wrong with any HTTP call, whatever the API: the generic half
/// of every service's error type, which holds it through `From`.
///
/// What the server says with a non-success status is not here: the service
/// turns that [`ErrorResponse`] into its own error
/// ([`Service::error_from_response`](crate::service::Service::error_from_response)).
///
/// ```
/// use hacktron_runtime::Error;
///
/// fn advice(e: &Error) -> &'static str {
///     match e {
///         Error::Connect { .. } | Error::Timeout { .. } => "check the network and retry",
///         Error::Decode { .. } => "the server sent something unexpected; report it",
///         _ => "see the message",
///     }
/// }
/// let e = Error::Config("base URL `x` is not a URL".to_owned());
/// assert_eq!(advice(&e), "see the message");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A success response whose body does not match the expected type.
    #[error(
        "could not decode the {status} response at `{}`: {}; body starts with: {}",
        Printable(path),
        Printable(message),
        snippet(body, 200)
    )]
    Decode {
        /// The response status.
        status: StatusCode,
        /// Path to the failing field (`data[3].severity`), `.` for the root.
        path: String,
        /// What serde said.
        message: String,
        /// The whole body as received (up to the body size limit); its start
        /// is in the message.
        body: Bytes,
        /// How many attempts the call made.
        attempts: u32,
    },
    /// A success response body larger than the client's limit.
    #[error(
        "the {status} response body is larger than the limit of {limit} bytes; raise it with `ClientBuilder::max_body_bytes` or use a streaming endpoint"
    )]
    BodyTooLarge {
        /// The response status.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// How many attempts the call made.
        attempts: u32,
    },
    /// An argument cannot be sent as given (empty path segment, a header
    /// value with a line break, a body serde cannot serialize, …).
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument's name in the endpoint declaration.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The client's configuration is unusable (bad base URL, TLS setup).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The environment variable that should hold the key is not set.
    #[error("the environment variable `{name}` is not set; export your API key in it")]
    MissingEnv {
        /// Name of the variable.
        name: String,
    },
    /// No connection could be made to the server. The message names the
    /// host and the root cause (`Connection refused (os error 111)`) once;
    /// the whole chain is in `cause`.
    #[error("could not connect to {host}{}: {}", attempts_note(*.attempts), root_cause(cause.as_ref()))]
    Connect {
        /// `host:port` the client tried.
        host: String,
        /// The transport's error, whole (not a `source()`: the message
        /// already says what it has to say).
        cause: BoxError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The request or the response took longer than the configured timeout.
    #[error("the request timed out after {after:?}{}", attempts_note(*.attempts))]
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The connection failed while the request or response was in flight.
    #[error("the connection to {host} failed during the request{}: {}", attempts_note(*.attempts), root_cause(cause.as_ref()))]
    Transport {
        /// `host:port` of the server.
        host: String,
        /// The transport's error, whole.
        cause: BoxError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// A streamed body ended before it was complete (the connection dropped,
    /// a chunked body stopped short): what was written is a fragment.
    #[error("the response body ended early, after {written} bytes had been written; the output is incomplete: {}", root_cause(cause.as_ref()))]
    Incomplete {
        /// Bytes written before the body failed.
        written: u64,
        /// What the body's read failed with.
        cause: Box<Error>,
    },
    /// The client's [`Credential`](crate::credential::Credential) could not
    /// give a value to send (its token endpoint refused, a file is
    /// missing): the request was not sent with it (after a `401`, the
    /// refused request had been). The message is the cause's own.
    #[error("could not get a credential to send: {}", root_cause(.0.as_ref()))]
    Credential(BoxError),
    /// The server said its rate limit is used up (see
    /// [`ClientBuilder::server_rate_limits`](crate::ClientBuilder::server_rate_limits)),
    /// and its window resets later than the client waits: the attempt was
    /// not sent (on a retry, the earlier attempts were).
    #[error(
        "the server's rate limit{} is used up for {:.0?} more, longer than this client waits; try again then, or raise `ClientBuilder::max_rate_limit_wait`",
        if resource.is_empty() { String::new() } else { format!(" for `{}`", Printable(resource)) },
        reset_in
    )]
    RateLimited {
        /// The limit's resource as the server names it (`""`: the whole API).
        resource: String,
        /// How long until the window resets, as the server said.
        reset_in: Duration,
    },
    /// A walk through a paginated list cannot go on: its next link leads
    /// off the service's origins, or the server handed out a cursor again.
    #[error(transparent)]
    Pagination(#[from] crate::paginate::PaginationError),
    /// Writing a streamed body to the caller's own writer failed (a full
    /// disk, a closed pipe): nothing to do with the server.
    #[error("could not write the response body to its destination after {written} bytes: {source}")]
    Io {
        /// The writer's error.
        #[source]
        source: std::io::Error,
        /// Bytes the writer accepted before it failed, to the byte (a
        /// writer that takes part of a chunk is counted for that part).
        written: u64,
    },
}

/// What one attempt of a call ended in, as [`ErrorResponse::earlier`] keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A response with this status arrived.
    Answered(StatusCode),
    /// No connection was made: the request was not sent.
    NotSent,
    /// The request was sent and no answer came (timeout, connection lost):
    /// it may or may not have been applied.
    Unknown,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Answered(status) => write!(f, "HTTP {}", status.as_u16()),
            Outcome::NotSent => f.write_str("not sent"),
            Outcome::Unknown => f.write_str("no answer"),
        }
    }
}

/// A boxed error from the transport layer.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The innermost error of `error`'s `source()` chain, as text: what
/// actually went wrong (`Connection refused (os error 111)`), without the
/// wrappers' repetitions of "error sending request".
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = error;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}

/// Server text made safe for one line of a log: control characters
/// (newlines, carriage returns, `ESC` of terminal colour codes) and the
/// Unicode bidirectional overrides are shown escaped (`\n`, `\u{1b}`), so a
/// message from the server cannot start a forged log line or recolour a
/// terminal. Every error message that quotes the server goes through it; the
/// raw text stays available ([`ErrorResponse::messages`], [`ErrorResponse::body`]).
///
/// ```
/// use hacktron_runtime::Printable;
///
/// let forged = "bad input\nINFO all good\u{1b}[32m";
/// assert_eq!(Printable(forged).to_string(), r"bad input\nINFO all good\u{1b}[32m");
/// assert_eq!(Printable("plain, ünïcode").to_string(), "plain, ünïcode");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Printable<'a>(pub &'a str);

/// A character that must not reach a log line as it is: a control
/// character or a Unicode bidirectional override.
fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(unprintable) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(f, "{}", c.escape_default())?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// `" (after 3 attempts)"`, or nothing for a single attempt.
pub(crate) fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How many attempts the call made before this error; 0 for errors raised
    /// before any request was sent.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Connect { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::BodyTooLarge { attempts, .. } => *attempts,
            _ => 0,
        }
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Connect { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::BodyTooLarge { attempts, .. } => *attempts = n,
            _ => {}
        }
    }

    /// The error as a retry classifier sees it.
    pub fn failure(&self) -> Failure<'static> {
        match self {
            Error::Connect { .. } => Failure::Connect,
            Error::Timeout { .. } => Failure::Timeout,
            Error::Transport { .. } => Failure::Transport,
            _ => Failure::Other,
        }
    }
}

/// A non-success response, kept whole: status, headers, the raw body (up to
/// [`MAX_ERROR_BODY`] bytes) and the messages found in it.
#[derive(Clone)]
pub struct ErrorResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received, cut at [`MAX_ERROR_BODY`] bytes.
    pub body: Bytes,
    /// Whether the body was longer than what [`body`](Self::body) holds, or
    /// ended early (the connection failed while it was read).
    pub truncated: bool,
    /// How many attempts the call made; this response answered the last one.
    pub attempts: u32,
    /// What the call's earlier attempts ended in, first to last (empty when
    /// this answered the first): a service can tell a refusal of a resend
    /// whose first send may have been applied from a plain refusal.
    pub earlier: Vec<Outcome>,
    /// The endpoint that answered, when the response came through a call.
    pub endpoint: Option<&'static crate::Endpoint>,
    messages: Vec<String>,
    error: Option<String>,
}

impl ErrorResponse {
    /// Builds the record, finding the server's messages in the common JSON
    /// error shapes: `message` (a string, an array of strings, or of
    /// validation objects with `constraints`), `detail`, `title`, `error`.
    /// A service with another shape sets its own with
    /// [`with_messages`](Self::with_messages).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes, truncated: bool) -> Self {
        let (messages, error) = parse_error_body(&body);
        ErrorResponse {
            status,
            headers,
            body,
            truncated,
            attempts: 1,
            earlier: Vec::new(),
            endpoint: None,
            messages,
            error,
        }
    }

    /// Whether an earlier attempt of this call may have been applied
    /// without the client learning it: no answer came, or a `5xx` did.
    pub fn earlier_outcome_unknown(&self) -> bool {
        self.earlier.iter().any(|o| match o {
            Outcome::Unknown => true,
            Outcome::Answered(status) => status.is_server_error(),
            Outcome::NotSent => false,
        })
    }

    /// Replaces the messages found in the body.
    #[must_use]
    pub fn with_messages(mut self, messages: Vec<String>) -> Self {
        self.messages = messages;
        self
    }

    /// The server's messages: one for a plain error, one per field for a
    /// validation error. Empty when the body has none of the shapes
    /// [`new`](Self::new) knows (an HTML page from a proxy, say).
    pub fn messages(&self) -> &[String] {
        &self.messages
    }

    /// The server's messages joined with `; `, or a snippet of the body when
    /// there are none, on one line: control characters are shown escaped
    /// ([`Printable`]). [`messages`](Self::messages) has them as sent.
    pub fn message(&self) -> String {
        if self.messages.is_empty() {
            snippet(&self.body, 200)
        } else {
            Messages(&self.messages).to_string()
        }
    }

    /// The `error` field as a string (`"Bad Request"`), when present.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The body as text (lossy for invalid UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The `Retry-After` header as a delay from now: delay-seconds, or an
    /// HTTP date (a date in the past is zero). `None` when absent or not
    /// either form. Never panics and never overflows: a date too far ahead
    /// for the platform's clock is the largest delay there is.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }

    /// A header as text, when present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

impl fmt::Debug for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.status)
            .field("messages", &self.messages)
            .field("error", &self.error)
            .field("body", &snippet(&self.body, 512))
            .field("truncated", &self.truncated)
            .field("attempts", &self.attempts)
            .field("earlier", &self.earlier)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status.as_u16())?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
            // What came before, so "HTTP 402 after 2 attempts" does not hide
            // that the first was a 429.
            for (i, outcome) in self.earlier.iter().enumerate() {
                f.write_str(if i == 0 { " (earlier: " } else { ", " })?;
                write!(f, "{outcome}")?;
            }
            if !self.earlier.is_empty() {
                f.write_str(")")?;
            }
        }
        if self.messages.is_empty() {
            let s = snippet(&self.body, 200);
            if s.is_empty() {
                write!(f, ", empty body")
            } else {
                write!(f, ", body: {s}")
            }
        } else {
            write!(f, ": {}", Messages(&self.messages))
        }
    }
}

/// A response's messages joined with `; `, each [`Printable`].
struct Messages<'a>(&'a [String]);

impl fmt::Display for Messages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}", Printable(m))?;
        }
        Ok(())
    }
}

/// At most `max` characters of `body` as text, marked when cut, on one line:
/// what [`Printable`] would escape becomes a space.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if unprintable(c) { ' ' } else { c })
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out.trim().to_owned()
}

/// The messages and `error` field of a JSON error body, whichever common
/// shape it has; nothing for anything else. The shapes:
///
/// - `{"message": "..."}`, or an array of strings or of validation objects
///   with `constraints` (NestJS, Express, most APIs);
/// - `{"errors": [...]}` of strings or objects: each object's `message`,
///   `detail` or `title`, or GitHub's `{resource, field, code}` as
///   `Issue.title: missing_field` (beside a top-level `message`: both);
///   JSON:API's `{"errors": [{"title", "detail"}]}` as `title: detail`;
/// - `{"error": {"message": "...", "type" | "code": "..."}}` (OpenAI,
///   Google, Stripe) and `{"error": "...", "error_description": "..."}`
///   (OAuth 2);
/// - RFC 9457 problem details, `{"title": "...", "detail": "..."}`, as
///   `title: detail`, or whichever of the two is there.
///
/// Empty strings are left out.
///
/// ```
/// use hacktron_runtime::parse_error_body;
///
/// let problem = br#"{"type": "about:blank", "title": "Internal Server Error", "detail": "database unavailable"}"#;
/// assert_eq!(parse_error_body(problem).0, ["Internal Server Error: database unavailable"]);
/// let github = br#"{"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}"#;
/// assert_eq!(parse_error_body(github).0, ["Validation Failed", "Issue.title: missing_field"]);
/// let openai = br#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}"#;
/// assert_eq!(parse_error_body(openai), (vec!["Incorrect API key provided".to_owned()], Some("invalid_request_error".to_owned())));
/// ```
pub fn parse_error_body(body: &[u8]) -> (Vec<String>, Option<String>) {
    use serde_json::Value;
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return (Vec::new(), None);
    };
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    };
    let (mut messages, error) = match map.get("error") {
        // `{"error": {"message": ..., "type": ...}}`
        Some(Value::Object(inner)) => (
            text(inner.get("message")).into_iter().collect::<Vec<_>>(),
            text(inner.get("type"))
                .or_else(|| text(inner.get("code")))
                .or_else(|| text(inner.get("status"))),
        ),
        other => (Vec::new(), text(other)),
    };
    match map.get("message") {
        Some(Value::String(s)) if !s.trim().is_empty() => messages.push(s.clone()),
        Some(Value::Array(items)) => messages.extend(items.iter().flat_map(render_message)),
        Some(Value::String(_) | Value::Null) | None => {}
        Some(other) => messages.push(other.to_string()),
    }
    if let Some(Value::Array(items)) = map.get("errors") {
        messages.extend(items.iter().filter_map(render_error_item));
    }
    if messages.is_empty() {
        let (title, detail) = (text(map.get("title")), text(map.get("detail")));
        messages.extend(match (title, detail) {
            (Some(title), Some(detail)) => Some(format!("{title}: {detail}")),
            (title, detail) => detail.or(title),
        });
    }
    if messages.is_empty() {
        messages.extend(text(map.get("error_description")).or_else(|| error.clone()));
    }
    (messages, error)
}

/// One item of an `errors` array, as a message.
fn render_error_item(item: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let obj = match item {
        Value::String(s) if !s.trim().is_empty() => return Some(s.clone()),
        Value::Object(obj) => obj,
        _ => return None,
    };
    let text = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
    if let Some(message) = text("message") {
        return Some(message.to_owned());
    }
    match (text("title"), text("detail")) {
        (Some(title), Some(detail)) => return Some(format!("{title}: {detail}")),
        (None, Some(one)) | (Some(one), None) => return Some(one.to_owned()),
        (None, None) => {}
    }
    // GitHub: `{"resource": "Issue", "field": "title", "code": "missing_field"}`.
    let place = match (text("resource"), text("field")) {
        (Some(resource), Some(field)) => Some(format!("{resource}.{field}")),
        (resource, field) => resource.or(field).map(str::to_owned),
    };
    match (place, text("code")) {
        (Some(place), Some(code)) => Some(format!("{place}: {code}")),
        (place, code) => place.or(code.map(str::to_owned)).or_else(|| Some(item.to_string())),
    }
}

fn render_message(item: &serde_json::Value) -> Vec<String> {
    match item {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Object(obj) => match obj.get("constraints") {
            Some(serde_json::Value::Object(c)) if !c.is_empty() => c
                .values()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            _ => vec![item.to_string()],
        },
        other => vec![other.to_string()],
    }
}

/// Parses `Retry-After` as delay-seconds or an HTTP date, with checked
/// arithmetic throughout.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "a very long time".
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> ErrorResponse {
        ErrorResponse::new(
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
            false,
        )
    }

    #[test]
    fn message_shapes_are_all_kept() {
        let r = resp(
            400,
            r#"{"statusCode":400,"message":"At least one repository is required","error":"Bad Request"}"#,
        );
        assert_eq!(r.messages(), ["At least one repository is required"]);
        assert_eq!(r.error(), Some("Bad Request"));
        let r = resp(400, r#"{"message":["a must be set","b must be a UUID"]}"#);
        assert_eq!(r.messages().len(), 2);
        let r = resp(
            400,
            r#"{"message":[{"property":"repos","constraints":{"arrayMinSize":"repos must contain at least 1 elements"}},{"property":"x"}]}"#,
        );
        assert_eq!(
            r.messages(),
            ["repos must contain at least 1 elements", r#"{"property":"x"}"#]
        );
        let r = resp(423, r#"{"code":"service_locked","detail":"deploy 41 holds the lock"}"#);
        assert_eq!(r.messages(), ["deploy 41 holds the lock"]);
        let r = resp(404, r#"{"error":"Not Found"}"#);
        assert_eq!(r.messages(), ["Not Found"]);
        let r = resp(
            422,
            r#"{"errors":[{"status":"422","title":"Invalid Attribute","detail":"First name must contain at least two characters.","source":{"pointer":"/data/attributes/firstName"}}]}"#,
        );
        assert_eq!(
            r.messages(),
            ["Invalid Attribute: First name must contain at least two characters."]
        );
        let r = resp(500, r#"{"message":"","title":"Internal Server Error"}"#);
        assert_eq!(r.messages(), ["Internal Server Error"]);
        let r = resp(
            400,
            r#"{"error":"invalid_grant","error_description":"refresh token expired"}"#,
        );
        assert_eq!(r.messages(), ["refresh token expired"]);
        assert_eq!(r.error(), Some("invalid_grant"));
        let r = resp(400, r#"{"errors":["name is taken",""]}"#);
        assert_eq!(r.messages(), ["name is taken"]);
        let r = resp(502, "<html><body>Bad gateway</body></html>");
        assert!(r.messages().is_empty());
        assert_eq!(r.message(), "<html><body>Bad gateway</body></html>");
    }

    #[test]
    fn a_response_after_retries_names_what_came_before() {
        let mut r = resp(402, r#"{"message":"quota used up"}"#);
        assert_eq!(r.to_string(), "HTTP 402: quota used up");
        r.attempts = 3;
        r.earlier = vec![Outcome::Answered(StatusCode::TOO_MANY_REQUESTS), Outcome::Unknown];
        assert_eq!(
            r.to_string(),
            "HTTP 402 after 3 attempts (earlier: HTTP 429, no answer): quota used up"
        );
    }

    #[test]
    fn retry_after_takes_seconds_and_dates_and_never_overflows() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", "99999999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(u64::MAX)));
        for far in [
            "Fri, 31 Dec 300000000000 23:59:59 GMT",
            "Fri, 31 Dec 99999999999999999 23:59:59 GMT",
        ] {
            h.insert("retry-after", far.parse().unwrap());
            assert_eq!(retry_after(&h), None, "{far}");
        }
        h.insert("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".parse().unwrap());
        assert!(retry_after(&h).unwrap() > Duration::from_secs(200_000_000_000));
    }
}

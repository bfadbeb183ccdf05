//! Recorded traffic: record a real server's answers once, with
//! [`Recorder`], and replay them in tests without a network, with
//! [`Replayer`].
//!
//! A recording is a JSON file of exchanges in call order: each request
//! (method, URL, the headers the client handed the transport, body) and the
//! response the server gave (status, headers, body). Headers the HTTP stack
//! adds itself (`host`, `accept-encoding`, a `user-agent` set on the reqwest
//! client) are not in it. It is written for review in a diff:
//!
//! - headers sorted by name; a body whose `content-type` names JSON and
//!   which parses, pretty-printed with its keys sorted; other bodies as text
//!   when they are UTF-8 and as base64 when not;
//! - **credentials redacted**: every header value the runtime marked
//!   sensitive (the service's key), `authorization`, `cookie`, `set-cookie`
//!   and `proxy-authorization` always, and the headers, query parameters and
//!   JSON members the [`Rules`] name. A redacted value is written as
//!   `REDACTED-<name>` (`Bearer REDACTED-authorization` keeps the scheme),
//!   and each credential seen (4 characters or more) is also replaced
//!   wherever else it shows up in the recording's URLs, headers and text or
//!   JSON bodies (not in base64 ones), such as a server that echoes it back;
//! - what changes from run to run made stable: `content-length` left out
//!   (it follows from the body; a replayed response gets its body's),
//!   volatile headers dropped
//!   ([`Rules::drop_header`], [`Rules::drop_volatile_headers`]), and values
//!   such as a server's free port written as placeholders
//!   ([`Rules::placeholder`]): `{{host}}` stands for `127.0.0.1:40123`.
//!
//! ```json
//! {
//!   "format": "hacktron-recording/1",
//!   "exchanges": [
//!     {
//!       "request": {
//!         "method": "POST",
//!         "url": "http://{{host}}/v1/things",
//!         "headers": {
//!           "authorization": "Bearer REDACTED-authorization",
//!           "content-type": "application/json"
//!         },
//!         "body": {
//!           "json": {
//!             "name": "lamp"
//!           }
//!         }
//!       },
//!       "response": {
//!         "status": 201,
//!         "headers": {
//!           "content-type": "application/json"
//!         },
//!         "body": {
//!           "json": {
//!             "id": "t-1",
//!             "name": "lamp"
//!           }
//!         }
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! A body is `{"json": …}`, `{"text": "…"}` or `{"base64": "…"}`, and left
//! out when empty; a header sent several times is an array of its values.
//! `runtime/tests/recordings/example.json` in the repository is a whole
//! recording, made by `runtime/tests/recording.rs`.
//!
//! **Replaying** answers the requests in the order they were recorded: the
//! n-th request must match the n-th exchange, by method, URL (path and
//! query, and origin, after placeholders), headers (every header recorded,
//! and none other; a redacted credential matches any value, but must be
//! there) and body (JSON compared as JSON). A request that does not match
//! gets [`RecordingError::Mismatch`], which says what differed, inside an
//! [`Error::Connect`] (the request went nowhere); [`Replayer::finish`] says
//! whether every exchange was replayed and nothing failed to match.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use hacktron_runtime::example::{Things, Token};
//! use hacktron_runtime::record::{Recorder, Replayer, Rules};
//! use hacktron_runtime::transport::Canned;
//! use hacktron_runtime::Client;
//!
//! let file = std::env::temp_dir().join(format!("things-{}.json", std::process::id()));
//! // Recording: any transport, usually `ReqwestTransport` to a real server.
//! let server = Canned::json(200, r#"{"id": "7", "owner": "ann"}"#);
//! let recorder = Recorder::new(server, &file, Rules::new());
//! let client = Client::<Token>::builder("secret-key").transport(recorder.clone()).build()?;
//! assert_eq!(client.get_thing("7").await?["owner"], "ann");
//! let text = std::fs::read_to_string(&file)?;
//! assert!(text.contains(r#""x-api-key": "REDACTED-x-api-key""#)); // the key is marked sensitive
//! assert!(!text.contains("secret-key"));
//!
//! // Replaying: no server; any key matches the redacted one.
//! let replayer = Replayer::open(&file, Rules::new())?;
//! let client = Client::<Token>::builder("other-key").transport(replayer.clone()).build()?;
//! assert_eq!(client.get_thing("7").await?["owner"], "ann");
//! replayer.finish()?; // every exchange was used
//! # std::fs::remove_file(&file)?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::service::{Auth, Service};
use crate::transport::{BoxFuture, FullBody, HttpRequest, HttpResponse, Transport};

/// The `format` a recording names: this module's first format.
pub const FORMAT: &str = "hacktron-recording/1";

/// Headers that are always redacted, in requests and responses.
pub const SECRET_HEADERS: &[&str] = &["authorization", "cookie", "proxy-authorization", "set-cookie"];

/// Headers that change on every run whatever was asked, which
/// [`Rules::drop_volatile_headers`] leaves out of recordings.
pub const VOLATILE_HEADERS: &[&str] = &[
    "age",
    "date",
    "expires",
    "server-timing",
    "x-request-id",
    "x-response-time",
    "x-runtime",
];

/// What a redacted value is written as: `REDACTED-` and the name of what it
/// was (a header, a query parameter, a JSON member). Only characters a URL
/// path takes as they are, so a redacted value that comes back in a later
/// request's path is sent, and matched, as written.
const MARKER: &str = "REDACTED-";

/// Credentials shorter than this are redacted where they travel but not
/// searched for elsewhere: replacing every `ab` of a recording would wreck it.
const MIN_SECRET_LEN: usize = 4;

/// What a [`Recorder`] leaves out of a recording or writes in another form,
/// and what a [`Replayer`] then leaves out of its comparisons. Give both the
/// same rules, each placeholder with its value in that run.
///
/// ```
/// use hacktron_runtime::record::Rules;
///
/// let rules = Rules::new()
///     .redact_header("x-session")       // a credential the runtime does not know of
///     .redact_query("signature")        // a signed URL's signature
///     .redact_field("token")            // `"token": "…"` anywhere in a JSON body
///     .drop_volatile_headers()          // `date`, `age`, …
///     .drop_header("etag")              // changes with a timestamp in the body
///     .placeholder("host", "127.0.0.1:40123"); // written `{{host}}`
/// # let _ = rules;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Rules {
    headers: Vec<String>,
    query: Vec<String>,
    fields: Vec<String>,
    dropped: Vec<String>,
    /// `(name, value)`, longest value first.
    placeholders: Vec<(String, String)>,
}

impl Rules {
    /// Rules that redact only what is always redacted: sensitive headers
    /// and [`SECRET_HEADERS`].
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new();
    /// # let _ = rules;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Rules that also redact `S`'s credential wherever
    /// [`Service::AUTH`] sends it: the header it names (already redacted
    /// when the runtime sent it, as it marks it sensitive; this covers a
    /// request built by other code too), or the query parameter.
    ///
    /// ```
    /// use hacktron_runtime::example::Example;
    /// use hacktron_runtime::record::Rules;
    ///
    /// // Example's key travels in `X-Api-Key`.
    /// let rules = Rules::for_service::<Example>();
    /// # let _ = rules;
    /// ```
    pub fn for_service<S: Service>() -> Self {
        match S::AUTH {
            Auth::Header { name, .. } => Self::new().redact_header(name),
            Auth::Query { name } => Self::new().redact_query(name),
            _ => Self::new(),
        }
    }

    /// Redacts header `name` (any case) in requests and responses.
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new().redact_header("X-Session");
    /// # let _ = rules;
    /// ```
    #[must_use]
    pub fn redact_header(mut self, name: &str) -> Self {
        self.headers.push(name.to_ascii_lowercase());
        self
    }

    /// Redacts the value of query parameter `name` in request URLs.
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new().redact_query("api_key");
    /// # let _ = rules;
    /// ```
    #[must_use]
    pub fn redact_query(mut self, name: &str) -> Self {
        self.query.push(name.to_owned());
        self
    }

    /// Redacts the value of every member named `name` of a JSON body, at
    /// any depth, in requests and responses: a token a server hands out,
    /// and also what is not secret but differs on every run (an id made at
    /// random, a timestamp), so that a recording made again shows no change.
    /// A replayed response holds `REDACTED-<name>` in its place (or, for a
    /// string the replayed requests sent under that name themselves, that
    /// string).
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new().redact_field("token").redact_field("created");
    /// # let _ = rules;
    /// ```
    #[must_use]
    pub fn redact_field(mut self, name: &str) -> Self {
        self.fields.push(name.to_owned());
        self
    }

    /// Leaves header `name` (any case) out of recordings, of requests and
    /// responses, and out of the comparison of a replayed request.
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new().drop_header("user-agent");
    /// # let _ = rules;
    /// ```
    #[must_use]
    pub fn drop_header(mut self, name: &str) -> Self {
        self.dropped.push(name.to_ascii_lowercase());
        self
    }

    /// Drops every header of [`VOLATILE_HEADERS`].
    ///
    /// ```
    /// let rules = hacktron_runtime::record::Rules::new().drop_volatile_headers();
    /// # let _ = rules;
    /// ```
    #[must_use]
    pub fn drop_volatile_headers(mut self) -> Self {
        self.dropped.extend(VOLATILE_HEADERS.iter().map(|h| (*h).to_owned()));
        self
    }

    /// Writes `value` as `{{name}}` wherever it appears, as it is or
    /// percent-encoded (URLs, header values, text and JSON bodies); a replayer given the same
    /// name with another value puts that value back into the responses, and
    /// compares requests with it written as `{{name}}` too. For what differs
    /// between a recording's run and a replay's: a server's `host:port`, a
    /// name made unique per run.
    ///
    /// ```
    /// use hacktron_runtime::record::Rules;
    ///
    /// // Recording against a server on a free port…
    /// let recording = Rules::new().placeholder("host", "127.0.0.1:40123");
    /// // …and replaying with a base URL that is never connected to.
    /// let replaying = Rules::new().placeholder("host", "127.0.0.1:1");
    /// # let _ = (recording, replaying);
    /// ```
    #[must_use]
    pub fn placeholder(mut self, name: &str, value: &str) -> Self {
        if !value.is_empty() {
            self.placeholders.push((name.to_owned(), value.to_owned()));
            self.placeholders.sort_by_key(|p| std::cmp::Reverse(p.1.len()));
        }
        self
    }

    fn drops(&self, header: &str) -> bool {
        self.dropped.iter().any(|h| h == header)
    }

    fn is_secret_header(&self, header: &str) -> bool {
        SECRET_HEADERS.contains(&header) || self.headers.iter().any(|h| h == header)
    }
}

// ---------------------------------------------------------------------------
// The file.

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Recording {
    format: String,
    exchanges: Vec<Exchange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Exchange {
    request: RecordedRequest,
    response: RecordedResponse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RecordedRequest {
    method: String,
    url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, Values>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<RecordedBody>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RecordedResponse {
    status: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, Values>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<RecordedBody>,
}

/// A header's values: one, or several in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Values {
    One(String),
    Many(Vec<String>),
}

impl Values {
    fn iter(&self) -> impl Iterator<Item = &String> {
        match self {
            Values::One(v) => std::slice::from_ref(v).iter(),
            Values::Many(v) => v.iter(),
        }
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut String> {
        match self {
            Values::One(v) => std::slice::from_mut(v).iter_mut(),
            Values::Many(v) => v.iter_mut(),
        }
    }
}

impl fmt::Display for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Values::One(v) => write!(f, "{v:?}"),
            Values::Many(v) => write!(f, "{v:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RecordedBody {
    Json(Value),
    Text(String),
    Base64(String),
}

impl RecordedBody {
    fn kind(&self) -> &'static str {
        match self {
            RecordedBody::Json(_) => "JSON",
            RecordedBody::Text(_) => "text",
            RecordedBody::Base64(_) => "binary",
        }
    }

    fn to_bytes(&self) -> Bytes {
        match self {
            RecordedBody::Json(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            RecordedBody::Text(t) => Bytes::from(t.clone()),
            RecordedBody::Base64(b) => Bytes::from(base64_decode(b)),
        }
    }

    /// Applies `f` to every string: JSON strings and member names, or the
    /// text. Binary bodies are left as they are.
    fn map_strings(&mut self, f: &dyn Fn(&str) -> String) {
        match self {
            RecordedBody::Json(v) => map_json_strings(v, f),
            RecordedBody::Text(t) => *t = f(t),
            RecordedBody::Base64(_) => {}
        }
    }
}

fn map_json_strings(v: &mut Value, f: &dyn Fn(&str) -> String) {
    match v {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| map_json_strings(i, f)),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (k, mut v) in entries {
                map_json_strings(&mut v, f);
                map.insert(f(&k), v);
            }
        }
        _ => {}
    }
}

/// `v` with every object's members in key order, whatever order the `Map`
/// type keeps.
fn sorted(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Redaction.

/// Credentials seen so far, and what each is written as.
#[derive(Default)]
struct Secrets {
    /// `(value, marker)`, longest value first.
    known: Vec<(String, String)>,
    /// The value each marker stood for last (for a replay: the live one).
    latest: BTreeMap<String, String>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} redacted)", self.known.len())
    }
}

impl Secrets {
    fn learn(&mut self, value: &str, marker: &str) {
        if value.len() < MIN_SECRET_LEN || value.contains(MARKER) || value.contains("{{") {
            return;
        }
        self.latest.insert(marker.to_owned(), value.to_owned());
        if !self.known.iter().any(|(v, _)| v == value) {
            self.known.push((value.to_owned(), marker.to_owned()));
            self.known.sort_by_key(|k| std::cmp::Reverse(k.0.len()));
        }
    }
}

fn marker(name: &str) -> String {
    format!("{MARKER}{name}")
}

/// A credential header's value as recorded: `Bearer REDACTED-authorization`
/// when it has a scheme, `REDACTED-<name>` when not.
fn redact_header_value(name: &str, value: &str, secrets: &mut Secrets) -> String {
    let marker = marker(name);
    let is_scheme = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match value.split_once(' ') {
        Some((scheme, credential)) if is_scheme(scheme) && !credential.trim().contains(' ') => {
            secrets.learn(credential.trim(), &marker);
            format!("{scheme} {marker}")
        }
        _ => {
            secrets.learn(value, &marker);
            marker
        }
    }
}

fn record_headers(map: &HeaderMap, rules: &Rules, secrets: &mut Secrets) -> BTreeMap<String, Values> {
    let mut out = BTreeMap::new();
    for name in map.keys() {
        let name = name.as_str();
        // It follows from the body, whose length redaction changes; a
        // replayed response gets its body's.
        if rules.drops(name) || name == "content-length" {
            continue;
        }
        let mut values: Vec<String> = map
            .get_all(name)
            .iter()
            .map(|v| {
                let text = String::from_utf8_lossy(v.as_bytes());
                if v.is_sensitive() || rules.is_secret_header(name) {
                    redact_header_value(name, &text, secrets)
                } else {
                    text.into_owned()
                }
            })
            .collect();
        let values = if values.len() == 1 {
            Values::One(values.remove(0))
        } else {
            Values::Many(values)
        };
        out.insert(name.to_owned(), values);
    }
    out
}

/// `url` with the values of the query parameters the rules name redacted;
/// the rest is kept byte for byte.
fn redact_query(url: &str, rules: &Rules, secrets: &mut Secrets) -> String {
    let Some((before, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    if rules.query.is_empty() {
        return url.to_owned();
    }
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if rules.query.contains(&decode(k)) => {
                let marker = marker(&decode(k));
                secrets.learn(&decode(v), &marker);
                format!("{k}={marker}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{before}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn redact_fields(v: &mut Value, rules: &Rules, secrets: &mut Secrets) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| redact_fields(i, rules, secrets)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if rules.fields.contains(k) {
                    let marker = marker(k);
                    if let Value::String(s) = v {
                        secrets.learn(s, &marker);
                    }
                    *v = Value::String(marker);
                } else {
                    redact_fields(v, rules, secrets);
                }
            }
        }
        _ => {}
    }
}

fn record_body(headers: &HeaderMap, body: &[u8], rules: &Rules, secrets: &mut Secrets) -> Option<RecordedBody> {
    if body.is_empty() {
        return None;
    }
    let json_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    if json_type && let Ok(mut value) = serde_json::from_slice::<Value>(body) {
        redact_fields(&mut value, rules, secrets);
        return Some(RecordedBody::Json(sorted(value)));
    }
    Some(match std::str::from_utf8(body) {
        Ok(text) => RecordedBody::Text(text.to_owned()),
        Err(_) => RecordedBody::Base64(base64_encode(body)),
    })
}

/// `request` as recorded, before [`scrub`]: credentials in headers and the
/// query, and named JSON members, redacted (and learned).
fn record_request(request: &HttpRequest, rules: &Rules, secrets: &mut Secrets) -> RecordedRequest {
    let headers = record_headers(&request.headers, rules, secrets);
    let url = redact_query(request.url.as_str(), rules, secrets);
    let body = match &request.stream {
        // Read as it is sent, by the transport alone: recorded as what it
        // is, not its bytes (a multipart boundary differs on every run).
        Some(_) => Some(RecordedBody::Text("(a streamed body)".to_owned())),
        None => request
            .body
            .as_deref()
            .and_then(|b| record_body(&request.headers, b, rules, secrets)),
    };
    RecordedRequest {
        method: request.method.as_str().to_owned(),
        url,
        headers,
        body,
    }
}

/// Characters kept as they are in a percent-encoded URL component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `s` with every known credential replaced by its marker, and every
/// placeholder's value (also percent-encoded) by `{{name}}`.
fn scrub_str(s: &str, rules: &Rules, secrets: &Secrets) -> String {
    let mut out = s.to_owned();
    for (value, marker) in &secrets.known {
        if out.contains(value.as_str()) {
            out = out.replace(value.as_str(), marker);
        }
    }
    for (name, value) in &rules.placeholders {
        let placeholder = format!("{{{{{name}}}}}");
        out = out.replace(value.as_str(), &placeholder);
        let encoded = utf8_percent_encode(value, COMPONENT).to_string();
        if encoded != *value {
            out = out.replace(&encoded, &placeholder);
        }
    }
    out
}

fn scrub_request(request: &mut RecordedRequest, rules: &Rules, secrets: &Secrets) {
    let f = |s: &str| scrub_str(s, rules, secrets);
    request.url = f(&request.url);
    request
        .headers
        .values_mut()
        .flat_map(Values::iter_mut)
        .for_each(|v| *v = f(v));
    if let Some(body) = &mut request.body {
        body.map_strings(&f);
    }
}

fn scrub_response(response: &mut RecordedResponse, rules: &Rules, secrets: &Secrets) {
    let f = |s: &str| scrub_str(s, rules, secrets);
    response
        .headers
        .values_mut()
        .flat_map(Values::iter_mut)
        .for_each(|v| *v = f(v));
    if let Some(body) = &mut response.body {
        body.map_strings(&f);
    }
}

/// What [`scrub_str`] undoes on a replay: `{{name}}` back to the replay's
/// value, and each marker to the credential the replayed requests carried
/// last under it (so an API that echoes the caller's token echoes the
/// test's).
fn restore_str(s: &str, rules: &Rules, secrets: &Secrets) -> String {
    let mut out = s.to_owned();
    for (name, value) in &rules.placeholders {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    let mut markers: Vec<(&String, &String)> = secrets.latest.iter().collect();
    markers.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
    for (marker, value) in markers {
        out = out.replace(marker.as_str(), value);
    }
    out
}

// ---------------------------------------------------------------------------
// Recording.

/// A transport that sends through another one and writes each exchange to a
/// recording file (see the [module docs](self) for the format), with
/// credentials redacted. Clones share the recording.
///
/// The file is written whole after every exchange, so it is complete
/// however the test ends. Exchanges are in the order the requests were
/// sent; a request that got no response (a connection refused, a timeout)
/// is not recorded. Each response body is read whole before it is handed
/// on, so a recorded stream arrives as one chunk.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::record::{Recorder, Rules};
/// use hacktron_runtime::transport::ReqwestTransport;
///
/// let live = ReqwestTransport::new(Duration::from_secs(10), Some(Duration::from_secs(30)), "my-sdk/1.0")?;
/// let path = std::env::temp_dir().join("things.json");
/// let recorder = Recorder::new(live, &path, Rules::new().drop_volatile_headers());
/// // Client::<Token>::builder(key).transport(recorder.clone()): every call is recorded.
/// assert_eq!(recorder.path(), path);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<dyn Transport>,
    path: Arc<PathBuf>,
    rules: Arc<Rules>,
    state: Arc<Mutex<RecorderState>>,
}

#[derive(Default)]
struct RecorderState {
    /// One slot per request sent, in order; `None` while it is in flight,
    /// and for good when it got no response.
    exchanges: Vec<Option<Exchange>>,
    secrets: Secrets,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.path)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Records what goes through `inner` into the file at `path` (its
    /// directory is created when missing), by `rules`. The file is written at
    /// the first exchange, or by [`save`](Self::save).
    ///
    /// ```
    /// use hacktron_runtime::record::{Recorder, Rules};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let recorder = Recorder::new(Canned::json(200, "{}"), "tests/recordings/things.json", Rules::new());
    /// # let _ = recorder;
    /// ```
    pub fn new(inner: impl Transport, path: impl AsRef<Path>, rules: Rules) -> Self {
        Recorder {
            inner: Arc::new(inner),
            path: Arc::new(path.as_ref().to_owned()),
            rules: Arc::new(rules),
            state: Default::default(),
        }
    }

    /// The file it writes.
    ///
    /// ```
    /// use hacktron_runtime::record::{Recorder, Rules};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let recorder = Recorder::new(Canned::new(), "out.json", Rules::new());
    /// assert_eq!(recorder.path(), std::path::Path::new("out.json"));
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the recording as it is now: every exchange so far (none
    /// yet is a recording of no exchange).
    ///
    /// ```
    /// use hacktron_runtime::record::{Recorder, Rules};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let path = std::env::temp_dir().join(format!("empty-{}.json", std::process::id()));
    /// Recorder::new(Canned::new(), &path, Rules::new()).save()?;
    /// assert!(std::fs::read_to_string(&path)?.contains(r#""exchanges": []"#));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self) -> Result<(), RecordingError> {
        let state = lock(&self.state);
        self.write(&state)
    }

    fn write(&self, state: &RecorderState) -> Result<(), RecordingError> {
        let exchanges = state
            .exchanges
            .iter()
            .flatten()
            .map(|e| {
                let mut e = e.clone();
                scrub_request(&mut e.request, &self.rules, &state.secrets);
                scrub_response(&mut e.response, &self.rules, &state.secrets);
                e
            })
            .collect();
        let recording = Recording {
            format: FORMAT.to_owned(),
            exchanges,
        };
        let mut text = serde_json::to_string_pretty(&recording).map_err(|e| self.write_error(&e))?;
        text.push('\n');
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| self.write_error(&e))?;
        }
        std::fs::write(&*self.path, text).map_err(|e| self.write_error(&e))
    }

    fn write_error(&self, e: &dyn fmt::Display) -> RecordingError {
        RecordingError::Write {
            path: (*self.path).clone(),
            reason: e.to_string(),
        }
    }
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let (slot, recorded) = {
                let mut state = lock(&self.state);
                let recorded = record_request(&request, &self.rules, &mut state.secrets);
                state.exchanges.push(None);
                (state.exchanges.len() - 1, recorded)
            };
            let HttpResponse {
                status,
                headers,
                mut body,
            } = self.inner.send(request).await?;
            let mut bytes = Vec::new();
            while let Some(chunk) = body.next_chunk().await? {
                bytes.extend_from_slice(&chunk);
            }
            let mut state = lock(&self.state);
            let response = RecordedResponse {
                status: status.as_u16(),
                headers: record_headers(&headers, &self.rules, &mut state.secrets),
                body: record_body(&headers, &bytes, &self.rules, &mut state.secrets),
            };
            state.exchanges[slot] = Some(Exchange {
                request: recorded,
                response,
            });
            self.write(&state).map_err(|e| Error::Config(e.to_string()))?;
            Ok(HttpResponse {
                status,
                headers,
                body: Box::new(FullBody::new(bytes)),
            })
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// Replaying.

/// A transport that answers from a recording, without a network: the n-th
/// request gets the n-th exchange's response if it matches the n-th
/// recorded request (see the [module docs](self)). Clones share the
/// position in the recording.
///
/// A request that does not match is not answered: the position stays, and
/// the error is an [`Error::Connect`] whose cause is the
/// [`RecordingError`], which a client retries as it would a connection
/// refused (build test clients with `RetryPolicy::never()` to fail at once).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::record::{RecordingError, Replayer, Rules};
/// use hacktron_runtime::transport::{HttpRequest, Transport};
///
/// let path = std::env::temp_dir().join(format!("replayed-{}.json", std::process::id()));
/// std::fs::write(&path, r#"{"format": "hacktron-recording/1", "exchanges": [
///     {"request": {"method": "GET", "url": "http://{{host}}/v1/things?page=2"},
///      "response": {"status": 200, "body": {"json": {"data": []}}}}]}"#)?;
/// let replayer = Replayer::open(&path, Rules::new().placeholder("host", "127.0.0.1:1"))?;
/// let get = |url: &str| -> Result<HttpRequest, url::ParseError> {
///     Ok(HttpRequest { method: http::Method::GET, url: url.parse()?, headers: Default::default(), body: None, stream: None, timeout: None })
/// };
///
/// let e = replayer.send(get("http://127.0.0.1:1/v1/things?page=3")?).await.unwrap_err();
/// assert!(e.to_string().ends_with("expected GET /v1/things?page=2, got GET /v1/things?page=3"), "{e}");
/// assert!(matches!(replayer.finish(), Err(RecordingError::Mismatch { index: 1, .. })));
///
/// let ok = replayer.send(get("http://127.0.0.1:1/v1/things?page=2")?).await?;
/// assert_eq!(ok.status.as_u16(), 200);
/// # std::fs::remove_file(&path)?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Replayer {
    path: Arc<PathBuf>,
    rules: Arc<Rules>,
    exchanges: Arc<Vec<Exchange>>,
    state: Arc<Mutex<ReplayerState>>,
}

#[derive(Default)]
struct ReplayerState {
    /// The next exchange to answer with.
    next: usize,
    secrets: Secrets,
    /// The first request that did not match.
    failure: Option<RecordingError>,
}

impl fmt::Debug for Replayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Replayer")
            .field("path", &self.path)
            .field("exchanges", &self.exchanges.len())
            .field("next", &lock(&self.state).next)
            .finish_non_exhaustive()
    }
}

impl Replayer {
    /// Reads the recording at `path`, to be replayed by `rules` (the ones it
    /// was recorded with, placeholders given their replay values).
    ///
    /// ```
    /// use hacktron_runtime::record::{RecordingError, Replayer, Rules};
    ///
    /// let missing = Replayer::open("no/such/recording.json", Rules::new()).unwrap_err();
    /// assert!(matches!(missing, RecordingError::Read { .. }));
    /// assert!(missing.to_string().starts_with("could not read the recording no/such/recording.json: "));
    /// ```
    pub fn open(path: impl AsRef<Path>, rules: Rules) -> Result<Self, RecordingError> {
        let path = path.as_ref().to_owned();
        let read_error = |reason: String| RecordingError::Read {
            path: path.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| read_error(e.to_string()))?;
        let recording: Recording = serde_json::from_str(&text).map_err(|e| read_error(e.to_string()))?;
        if recording.format != FORMAT {
            return Err(read_error(format!(
                "its format is `{}`, not `{FORMAT}`",
                crate::Printable(&recording.format)
            )));
        }
        Ok(Replayer {
            path: Arc::new(path),
            rules: Arc::new(rules),
            exchanges: Arc::new(recording.exchanges),
            state: Default::default(),
        })
    }

    /// `Ok` when every recorded exchange was replayed and every request
    /// matched; else the first request that did not match, or which
    /// exchanges were not replayed. Call it at the end of a test.
    ///
    /// ```
    /// use hacktron_runtime::record::{RecordingError, Replayer, Rules};
    ///
    /// # let path = std::env::temp_dir().join(format!("unused-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"format": "hacktron-recording/1", "exchanges": [
    ///     {"request": {"method": "DELETE", "url": "http://127.0.0.1:1/v1/things/7"}, "response": {"status": 204}}]}"#)?;
    /// let replayer = Replayer::open(&path, Rules::new())?;
    /// let e = replayer.finish().unwrap_err();
    /// assert!(matches!(e, RecordingError::Unused { replayed: 0, recorded: 1, .. }));
    /// assert!(e.to_string().ends_with("1 of 1 recorded exchanges were not replayed, the first: request 1, DELETE /v1/things/7"), "{e}");
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(&self) -> Result<(), RecordingError> {
        let state = lock(&self.state);
        if let Some(failure) = &state.failure {
            return Err(failure.clone());
        }
        match self.exchanges.get(state.next) {
            None => Ok(()),
            Some(first) => Err(RecordingError::Unused {
                path: (*self.path).clone(),
                replayed: state.next,
                recorded: self.exchanges.len(),
                first: format!("request {}, {}", state.next + 1, describe(&first.request, None)),
            }),
        }
    }

    /// Panics with [`finish`](Self::finish)'s error, if any.
    ///
    /// ```should_panic
    /// use hacktron_runtime::record::{Replayer, Rules};
    ///
    /// # let path = std::env::temp_dir().join(format!("never-used-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"format": "hacktron-recording/1", "exchanges": [
    ///     {"request": {"method": "GET", "url": "http://127.0.0.1:1/"}, "response": {"status": 200}}]}"#).unwrap();
    /// Replayer::open(&path, Rules::new()).unwrap().assert_done(); // panics: nothing was replayed
    /// ```
    #[track_caller]
    pub fn assert_done(&self) {
        if let Err(e) = self.finish() {
            panic!("{e}");
        }
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, RecordingError> {
        let mut state = lock(&self.state);
        let mut got = record_request(request, &self.rules, &mut state.secrets);
        scrub_request(&mut got, &self.rules, &state.secrets);
        let index = state.next;
        let Some(exchange) = self.exchanges.get(index) else {
            return Err(RecordingError::Exhausted {
                path: (*self.path).clone(),
                index: index + 1,
                got: describe(&got, None),
            });
        };
        let differences = compare(&exchange.request, &got);
        if !differences.is_empty() {
            let e = RecordingError::Mismatch {
                path: (*self.path).clone(),
                index: index + 1,
                differences,
            };
            state.failure.get_or_insert_with(|| e.clone());
            return Err(e);
        }
        state.next += 1;
        let restore = |s: &str| restore_str(s, &self.rules, &state.secrets);
        let recorded = &exchange.response;
        let body = recorded.body.clone().map(|mut b| {
            b.map_strings(&restore);
            b.to_bytes()
        });
        let body = body.unwrap_or_default();
        let mut headers = HeaderMap::new();
        for (name, values) in &recorded.headers {
            let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
                continue;
            };
            for value in values.iter() {
                if let Ok(value) = HeaderValue::from_str(&restore(value)) {
                    headers.append(name.clone(), value);
                }
            }
        }
        let status = StatusCode::from_u16(recorded.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if !matches!(status.as_u16(), 204 | 304) {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        }
        Ok(HttpResponse {
            status,
            headers,
            body: Box::new(FullBody::new(body)),
        })
    }
}

impl Transport for Replayer {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let answer = self.answer(&request).map_err(|e| Error::Connect {
            host: "the recorded server".to_owned(),
            cause: Box::new(e),
            attempts: 1,
        });
        Box::pin(async move { answer })
    }
}

/// `GET /v1/things?page=2`; the whole URL when its origin differs from
/// `other`'s, or there is no other.
fn describe(request: &RecordedRequest, other: Option<&RecordedRequest>) -> String {
    let (origin, rest) = split_origin(&request.url);
    let same_origin = other.is_some_and(|o| split_origin(&o.url).0 == origin);
    if same_origin || other.is_none() && !origin.is_empty() && rest.starts_with('/') {
        format!("{} {rest}", request.method)
    } else {
        format!("{} {}", request.method, request.url)
    }
}

/// `("http://host:1", "/path?query")`.
fn split_origin(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, ""),
    }
}

/// What differs between the recorded request and the one sent; empty when
/// they match.
fn compare(expected: &RecordedRequest, got: &RecordedRequest) -> Vec<String> {
    let mut out = Vec::new();
    if expected.method != got.method || expected.url != got.url {
        out.push(format!(
            "expected {}, got {}",
            describe(expected, Some(got)),
            describe(got, Some(expected))
        ));
    } else {
        out.push(describe(got, None));
    }
    let names: std::collections::BTreeSet<&String> = expected.headers.keys().chain(got.headers.keys()).collect();
    for name in names {
        match (expected.headers.get(name), got.headers.get(name)) {
            (Some(e), Some(g)) if e == g => {}
            (Some(e), Some(g)) => out.push(format!("header `{name}`: expected {e}, got {g}")),
            (Some(e), None) => out.push(format!("header `{name}`: expected {e}, got none")),
            (None, Some(g)) => out.push(format!("header `{name}`: not recorded, got {g}")),
            (None, None) => {}
        }
    }
    match (&expected.body, &got.body) {
        (None, None) => {}
        (Some(e), None) => out.push(format!("body: expected {} bytes, got none", e.to_bytes().len())),
        (None, Some(g)) => out.push(format!("body: expected none, got {} bytes", g.to_bytes().len())),
        (Some(RecordedBody::Json(e)), Some(RecordedBody::Json(g))) => {
            if let Some((at, e, g)) = json_difference(e, g, String::new()) {
                out.push(format!("body differs at {at}: expected {e}, got {g}"));
            }
        }
        (Some(e), Some(g)) if e.kind() != g.kind() => {
            out.push(format!("body: expected {}, got {}", e.kind(), g.kind()));
        }
        (Some(e), Some(g)) => {
            let (e, g) = (e.to_bytes(), g.to_bytes());
            if e != g {
                let at = e.iter().zip(g.iter()).take_while(|(a, b)| a == b).count();
                let snippet = |b: &[u8]| {
                    let end = (at + 40).min(b.len());
                    format!("{:?}", String::from_utf8_lossy(&b[at.min(end)..end]))
                };
                out.push(format!(
                    "body differs at byte {at}: expected {}, got {}",
                    snippet(&e),
                    snippet(&g)
                ));
            }
        }
    }
    if out.len() == 1 && expected.method == got.method && expected.url == got.url {
        out.clear();
    }
    out
}

/// The first place where two JSON values differ: its JSON pointer, and the
/// two values there (`none` where one has nothing).
fn json_difference(expected: &Value, got: &Value, at: String) -> Option<(String, String, String)> {
    let show = |v: Option<&Value>| match v {
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 80 {
                format!("{}…", text.chars().take(80).collect::<String>())
            } else {
                text
            }
        }
        None => "none".to_owned(),
    };
    let pointer = |at: &str| if at.is_empty() { "/".to_owned() } else { at.to_owned() };
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            let keys: std::collections::BTreeSet<&String> = e.keys().chain(g.keys()).collect();
            keys.into_iter().find_map(|k| {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (e.get(k), g.get(k)) {
                    (Some(ev), Some(gv)) => json_difference(ev, gv, here),
                    (ev, gv) => Some((here, show(ev), show(gv))),
                }
            })
        }
        (Value::Array(e), Value::Array(g)) => (0..e.len().max(g.len())).find_map(|i| {
            let here = format!("{at}/{i}");
            match (e.get(i), g.get(i)) {
                (Some(ev), Some(gv)) => json_difference(ev, gv, here),
                (ev, gv) => Some((here, show(ev), show(gv))),
            }
        }),
        (e, g) if e == g => None,
        (e, g) => Some((pointer(&at), show(Some(e)), show(Some(g)))),
    }
}

// ---------------------------------------------------------------------------
// Both ways.

/// A [`Recorder`] or a [`Replayer`], picked at run time: a test that
/// records against a live server when one is given and replays otherwise
/// builds its clients on one `Tape`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::record::{Recorder, Replayer, Rules, Tape};
/// use hacktron_runtime::transport::ReqwestTransport;
///
/// # let path = std::env::temp_dir().join(format!("tape-{}.json", std::process::id()));
/// # std::fs::write(&path, r#"{"format": "hacktron-recording/1", "exchanges": []}"#)?;
/// let tape = match std::env::var("THINGS_URL") {
///     Ok(_live) => Tape::Record(Recorder::new(
///         ReqwestTransport::new(Duration::from_secs(10), None, "things-sdk/1.0")?,
///         &path,
///         Rules::new(),
///     )),
///     Err(_) => Tape::Replay(Replayer::open(&path, Rules::new())?),
/// };
/// // ... calls through Client::builder(..).transport(tape.clone()) ...
/// tape.finish()?;
/// # std::fs::remove_file(&path)?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub enum Tape {
    /// Sending for real, and recording.
    Record(Recorder),
    /// Answering from a recording.
    Replay(Replayer),
}

impl Tape {
    /// Whether it records.
    ///
    /// ```
    /// use hacktron_runtime::record::{Recorder, Rules, Tape};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// assert!(Tape::Record(Recorder::new(Canned::new(), "x.json", Rules::new())).is_recording());
    /// ```
    pub fn is_recording(&self) -> bool {
        matches!(self, Tape::Record(_))
    }

    /// A recorder's [`save`](Recorder::save), a replayer's
    /// [`finish`](Replayer::finish).
    ///
    /// ```
    /// use hacktron_runtime::record::{Recorder, Rules, Tape};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let path = std::env::temp_dir().join(format!("finished-{}.json", std::process::id()));
    /// Tape::Record(Recorder::new(Canned::new(), &path, Rules::new())).finish()?;
    /// assert!(path.exists());
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(&self) -> Result<(), RecordingError> {
        match self {
            Tape::Record(r) => r.save(),
            Tape::Replay(r) => r.finish(),
        }
    }
}

impl Transport for Tape {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        match self {
            Tape::Record(r) => r.send(request),
            Tape::Replay(r) => r.send(request),
        }
    }
}

/// What went wrong with a recording. The messages show requests as
/// recorded: credentials redacted, placeholders as `{{name}}`.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RecordingError {
    /// The recording could not be read, or is not one.
    #[error("could not read the recording {}: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The recording could not be written.
    #[error("could not write the recording {}: {reason}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A replayed request is not the one recorded at its place.
    #[error("request {index} of {}: {}", path.display(), differences.join("; "))]
    Mismatch {
        /// The recording.
        path: PathBuf,
        /// Which request, from 1.
        index: usize,
        /// What differs, one item each (the method and URL, a header, the
        /// body at a JSON pointer); when the method and URL are the same,
        /// the first item names them.
        differences: Vec<String>,
    },
    /// More requests were sent than the recording has.
    #[error("request {index} of {}: {got}, but the recording ends before it", path.display())]
    Exhausted {
        /// The recording.
        path: PathBuf,
        /// Which request, from 1.
        index: usize,
        /// The request: method and URL.
        got: String,
    },
    /// The test ended before every recorded exchange was replayed.
    #[error("{}: {} of {recorded} recorded exchanges were not replayed, the first: {first}", path.display(), recorded - replayed)]
    Unused {
        /// The recording.
        path: PathBuf,
        /// How many were replayed.
        replayed: usize,
        /// How many there are.
        recorded: usize,
        /// The first one not replayed: its number, method and URL.
        first: String,
    },
}

// ---------------------------------------------------------------------------
// base64, standard alphabet with padding.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes what [`base64_encode`] wrote; characters outside the alphabet
/// (line breaks, padding) are skipped.
fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for input in [&b""[..], b"f", b"fo", b"foo", b"foob", b"\x00\xff\x1f\x8b raw"] {
            assert_eq!(base64_decode(&base64_encode(input)), input);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
    }

    #[test]
    fn a_header_credential_keeps_its_scheme_and_a_cookie_goes_whole() {
        let mut secrets = Secrets::default();
        assert_eq!(
            redact_header_value("authorization", "Bearer tok-123", &mut secrets),
            "Bearer REDACTED-authorization"
        );
        assert_eq!(
            redact_header_value("cookie", "sid=abcd; theme=dark", &mut secrets),
            "REDACTED-cookie"
        );
        assert_eq!(
            scrub_str("echo: tok-123 / sid=abcd; theme=dark", &Rules::new(), &secrets),
            "echo: REDACTED-authorization / REDACTED-cookie"
        );
    }

    #[test]
    fn only_named_query_parameters_are_redacted_and_the_rest_is_kept_as_sent() {
        let mut secrets = Secrets::default();
        let rules = Rules::new().redact_query("api_key");
        assert_eq!(
            redact_query("http://h/x?labels=a,b&api_key=s%2Fecret&page=2", &rules, &mut secrets),
            "http://h/x?labels=a,b&api_key=REDACTED-api_key&page=2"
        );
        assert_eq!(secrets.known, [("s/ecret".to_owned(), "REDACTED-api_key".to_owned())]);
    }

    #[test]
    fn placeholders_replace_raw_and_percent_encoded_values_and_come_back() {
        let rules = Rules::new().placeholder("host", "127.0.0.1:4000");
        let secrets = Secrets::default();
        let scrubbed = scrub_str(
            "http://127.0.0.1:4000/r?to=http%3A%2F%2F127.0.0.1%3A4000%2Fx",
            &rules,
            &secrets,
        );
        assert_eq!(scrubbed, "http://{{host}}/r?to=http%3A%2F%2F{{host}}%2Fx");
        let replay = Rules::new().placeholder("host", "127.0.0.1:1");
        assert_eq!(
            restore_str("http://{{host}}/x", &replay, &secrets),
            "http://127.0.0.1:1/x"
        );
    }

    #[test]
    fn json_differences_are_found_by_pointer() {
        let e = serde_json::json!({"a": [1, {"name": "x"}], "b": true});
        let g = serde_json::json!({"a": [1, {"name": "y"}], "b": true});
        assert_eq!(
            json_difference(&e, &g, String::new()),
            Some(("/a/1/name".to_owned(), "\"x\"".to_owned(), "\"y\"".to_owned()))
        );
        assert_eq!(json_difference(&e, &e, String::new()), None);
        assert_eq!(
            json_difference(&serde_json::json!({"a": 1}), &serde_json::json!({}), String::new()),
            Some(("/a".to_owned(), "1".to_owned(), "none".to_owned()))
        );
    }
}

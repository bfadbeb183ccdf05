//! The logic of every fuzz target, in one copy: each cargo-fuzz binary in
//! `fuzz/fuzz_targets/` includes this file with `#[path]`, and so does
//! `tests/fuzz_corpus.rs`, which replays the committed corpora with `cargo
//! test`. A target is a plain `fn(&[u8])` that panics when an invariant
//! breaks; it must never panic otherwise, whatever the bytes.
//!
//! Several targets read their input as a small text format, so seeds can be
//! written by hand and read in a crash report:
//!
//! ```text
//! 429 3 t                         <- status, then optional attempts and `t` (truncated)
//! Retry-After: 120                <- headers, one per line
//! Content-Type: application/json
//!                                 <- an empty line ends the head
//! {"statusCode":429,"message":"ThrottlerException: Too Many Requests"}
//! ```
//!
//! Only this file's own dependencies are used: what both the root package's
//! dev-dependencies and the fuzz crate provide.
#![allow(dead_code)]

use hacktron::ErrorDetails as _;
use std::collections::VecDeque;
use std::fmt::Debug;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderName, HeaderValue};
use bytes::Bytes;
use hacktron::models;
use hacktron::service::Retry;
use hacktron::{ByteStream, ErrorResponse, FromResponse, HeaderMap, StatusCode};
use hacktron_runtime::transport::{Body, BoxFuture, HttpRequest, HttpResponse, Transport};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Every target, by the name of its corpus directory (`fuzz/corpus/<name>/`)
/// and of its cargo-fuzz binary.
/// A target's name and its function.
pub type Target = (&'static str, fn(&[u8]));

pub const TARGETS: &[Target] = &[
    ("classify", classify),
    ("retry_after", retry_after),
    ("error_body", error_body),
    ("decode", decode),
    ("byte_stream", byte_stream),
    ("sandbox_request", sandbox_request),
];

// ---------------------------------------------------------------------------
// Input formats
// ---------------------------------------------------------------------------

/// A response as the text format above describes it.
#[derive(Debug, Clone)]
pub struct FuzzResponse {
    pub status: StatusCode,
    pub attempts: u32,
    pub truncated: bool,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Splits at the first empty line (`\n\n` or `\r\n\r\n`); no empty line: all head.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    for i in 0..data.len() {
        if data[i..].starts_with(b"\n\n") {
            return (&data[..i], &data[i + 2..]);
        }
        if data[i..].starts_with(b"\r\n\r\n") {
            return (&data[..i], &data[i + 4..]);
        }
    }
    (data, &[])
}

fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    head.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

fn digits(word: &[u8]) -> Option<u64> {
    if word.is_empty() || !word.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        word.iter()
            .fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))),
    )
}

/// Any status line maps onto some valid status (100..=999).
fn status_of(word: &[u8]) -> StatusCode {
    let n = digits(word).unwrap_or_else(|| word.iter().map(|&b| u64::from(b)).sum());
    let n = if (100..=999).contains(&n) { n } else { 100 + n % 900 };
    StatusCode::from_u16(n as u16).expect("100..=999 is a valid status")
}

/// `Name: value` lines; lines that are no valid header are skipped.
fn headers_of<'a>(lines: impl Iterator<Item = &'a [u8]>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii();
        let value = line[colon + 1..].trim_ascii_start();
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) {
            headers.append(name, value);
        }
    }
    headers
}

pub fn parse_response(data: &[u8]) -> FuzzResponse {
    let (head, body) = split_head(data);
    let mut lines = lines(head);
    let first = lines.next().unwrap_or_default();
    let mut words = first.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let status = status_of(words.next().unwrap_or_default());
    let mut attempts = 1;
    let mut truncated = false;
    for word in words {
        match digits(word) {
            Some(n) => attempts = u32::try_from(n).unwrap_or(u32::MAX),
            None if word == b"t" => truncated = true,
            None => {}
        }
    }
    FuzzResponse {
        status,
        attempts,
        truncated,
        headers: headers_of(lines),
        body: Bytes::copy_from_slice(body),
    }
}

fn error_response(r: &FuzzResponse) -> ErrorResponse {
    let mut response = ErrorResponse::new(r.status, r.headers.clone(), r.body.clone(), r.truncated);
    response.attempts = r.attempts;
    response
}

/// A current-thread runtime with timers, one per thread.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    thread_local! {
        static RT: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a tokio runtime");
    }
    RT.with(|rt| rt.block_on(f))
}

// ---------------------------------------------------------------------------
// classify: status + headers + body -> hacktron::Error, and every accessor
// ---------------------------------------------------------------------------

/// `hacktron::classify(ErrorResponse::new(..))`: nothing panics, and the
/// error reports the response it came from: its status, body, messages and
/// attempts, a `Display` naming the status, and the documented retry rules.
pub fn classify(data: &[u8]) {
    let r = parse_response(data);
    let response = error_response(&r);
    let code = r.status.as_u16();

    // The record's own accessors.
    let messages = response.messages().to_vec();
    let message = response.message();
    if !messages.is_empty() {
        let shown: Vec<String> = messages
            .iter()
            .map(|m| hacktron_runtime::Printable(m).to_string())
            .collect();
        assert_eq!(message, shown.join("; "));
    }
    // One line, whatever the server sent: no control character survives.
    assert!(!message.contains(|c: char| c.is_control()), "{message:?}");
    let _ = response.error();
    let _ = response.text();
    let _ = response.retry_after();
    for name in r.headers.keys() {
        let _ = response.header(name.as_str());
    }
    let shown = response.to_string();
    assert!(shown.starts_with(&format!("HTTP {code}")), "{shown}");
    let _ = format!("{response:?}");

    let error = hacktron::classify(response);
    let text = error.to_string();
    let _ = format!("{error:?}");
    assert!(
        text.contains(&format!("HTTP {code}")),
        "Display hides the status: {text}"
    );
    assert!(
        !shown.contains(|c: char| c.is_control()) && !text.contains(|c: char| c.is_control()),
        "a control character from the server reached a message: {text:?}"
    );

    assert_eq!(error.status(), Some(r.status));
    assert_eq!(error.body(), Some(&r.body[..]));
    assert_eq!(error.messages(), &messages[..]);
    assert_eq!(error.attempts(), r.attempts);
    let kept = error.response().expect("an error from a response keeps it");
    assert_eq!(kept.headers, r.headers);
    assert_eq!(kept.truncated, r.truncated);
    assert_eq!(kept.body, r.body);

    // Retryability follows the status alone (hacktron's classifier: 429
    // always, 500/502/503/504 for idempotent requests, nothing else).
    let retry = error.retry();
    assert_eq!(error.is_retryable(), retry.is_retryable());
    let asked = kept.retry_after().is_some();
    match code {
        429 => assert!(
            matches!(retry, Retry::Yes { after } if after.is_some() == asked),
            "{retry:?}"
        ),
        500 | 502 | 504 => assert_eq!(retry, Retry::IfIdempotent { after: None }),
        503 => assert!(
            matches!(retry, Retry::IfIdempotent { after } if after.is_some() == asked),
            "{retry:?}"
        ),
        _ => assert_eq!(retry, Retry::No, "status {code}"),
    }
    if let hacktron::Error::RateLimited { retry_after, .. } = &error {
        assert_eq!(code, 429);
        assert_eq!(retry_after.is_some(), asked);
    }
}

// ---------------------------------------------------------------------------
// retry_after: Retry-After and rate-limit headers, alone and in a real call
// ---------------------------------------------------------------------------

/// `ErrorResponse::retry_after` and `Error::retry` with arbitrary header
/// values, then the same response answering a real client call through a
/// transport of our own: the call ends quickly (a `Retry-After` never makes
/// the client wait past its deadline), makes at most the policy's attempts,
/// and returns the error `classify` gives.
pub fn retry_after(data: &[u8]) {
    let r = parse_response(data);
    let response = error_response(&r);
    let after = response.retry_after();
    let raw = r.headers.get("retry-after").map(|v| v.to_str().map(str::trim));
    match raw {
        None => assert_eq!(after, None),
        Some(Err(_)) => assert_eq!(after, None, "a non-ASCII Retry-After"),
        Some(Ok(v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
            let secs = v.parse::<u64>().unwrap_or(u64::MAX);
            assert_eq!(after, Some(Duration::from_secs(secs)), "{v:?}");
        }
        Some(Ok("")) => assert_eq!(after, None),
        Some(Ok(_)) => {}
    }
    for name in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "ratelimit",
    ] {
        let _ = response.header(name);
    }
    let error = hacktron::classify(response);
    let _ = error.to_string();
    let retry = error.retry();
    if matches!(r.status.as_u16(), 429 | 503) {
        assert_eq!(retry.after().is_some(), after.is_some());
    } else {
        assert_eq!(retry.after(), None);
    }
    if let hacktron::Error::RateLimited { retry_after, .. } = &error {
        assert_eq!(retry_after.is_some(), after.is_some());
        let text = error.to_string();
        if retry_after.is_some_and(|d| d > Duration::from_secs(24 * 3600)) {
            assert!(text.contains("more than a day"), "{text}");
        }
    }

    // The same response through the client's retry loop.
    let deadline = Duration::from_millis(25);
    let policy = hacktron::RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::ZERO)
        .max_backoff(Duration::ZERO)
        .deadline(Some(deadline))
        .jitter(false);
    let transport = Canned::new(r.clone());
    let client = hacktron::Client::<hacktron::ReadWrite>::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .allow_http(true)
        .retry(policy)
        .transport(transport.clone())
        .build()
        .expect("a client with a custom transport builds");
    let start = Instant::now();
    let result = block_on(async {
        use hacktron::api::Scans;
        client.get_scan("scan_1").await
    });
    let took = start.elapsed();
    let sent = transport.sent();
    assert!(took < Duration::from_secs(2), "the call took {took:?}");
    assert!((1..=3).contains(&sent), "{sent} attempts");
    match result {
        Ok(scan) => {
            assert!(r.status.is_success(), "{} decoded as a scan", r.status);
            let _ = scan;
        }
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(e.attempts(), sent, "{e:?}");
            if !r.status.is_success() {
                let expected = hacktron::classify(error_response(&r));
                assert_eq!(
                    std::mem::discriminant(&e),
                    std::mem::discriminant(&expected),
                    "{e:?} vs {expected:?}"
                );
                assert_eq!(e.status(), Some(r.status));
                // A call retried was retryable, with the server's wait (if
                // any) inside the deadline.
                if sent > 1 {
                    assert!(e.is_retryable(), "{e:?} was retried");
                    if let Some(wait) = e.retry().after() {
                        assert!(wait < deadline, "retried after waiting {wait:?}");
                    }
                }
            }
        }
    }
}

/// A transport answering every request with the same response.
#[derive(Clone)]
struct Canned {
    response: Arc<FuzzResponse>,
    sent: Arc<Mutex<u32>>,
}

impl Canned {
    fn new(response: FuzzResponse) -> Self {
        Canned {
            response: Arc::new(response),
            sent: Arc::new(Mutex::new(0)),
        }
    }

    fn sent(&self) -> u32 {
        *self.sent.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for Canned {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, hacktron_runtime::Error>> {
        *self.sent.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        let r = self.response.clone();
        Box::pin(async move {
            Ok(HttpResponse {
                status: r.status,
                headers: r.headers.clone(),
                body: Box::new(hacktron_runtime::transport::FullBody::new(r.body.clone())),
            })
        })
    }
}

// ---------------------------------------------------------------------------
// error_body: message extraction
// ---------------------------------------------------------------------------

/// `parse_error_body` on raw bytes: never panics, finds exactly the
/// documented shapes, and agrees with `ErrorResponse::messages`.
pub fn error_body(data: &[u8]) {
    let (messages, error) = hacktron_runtime::parse_error_body(data);
    let response = ErrorResponse::new(
        StatusCode::BAD_REQUEST,
        HeaderMap::new(),
        Bytes::copy_from_slice(data),
        false,
    );
    assert_eq!(response.messages(), &messages[..]);
    assert_eq!(response.error(), error.as_deref());
    let _ = response.to_string();

    let value = serde_json::from_slice::<serde_json::Value>(data);
    let Ok(serde_json::Value::Object(map)) = value else {
        assert!(
            messages.is_empty() && error.is_none(),
            "messages from a body that is no JSON object"
        );
        return;
    };
    use serde_json::Value;
    let blank = |s: &str| s.trim().is_empty();
    // No message and no `error` is ever blank.
    assert!(messages.iter().all(|m| !blank(m)) || matches!(map.get("message"), Some(Value::Array(_))));
    assert!(error.as_deref().is_none_or(|e| !blank(e)), "{error:?}");
    // `error` is the string `error`, or the `type`/`code`/`status` of an
    // `error` object.
    match map.get("error") {
        Some(Value::String(e)) if !blank(e) => assert_eq!(error.as_deref(), Some(e.as_str())),
        Some(Value::Object(inner)) => {
            let named = ["type", "code", "status"]
                .iter()
                .filter_map(|k| inner.get(*k).and_then(Value::as_str))
                .find(|v| !blank(v));
            assert_eq!(error.as_deref(), named);
        }
        _ => assert_eq!(error, None),
    }
    // The messages, in order: an `error` object's message; `message` (a
    // string, or one per item, or per constraint of a validation object);
    // one per non-blank item of `errors`.
    let mut expected_len = 0usize;
    if let Some(Value::Object(inner)) = map.get("error")
        && let Some(m) = inner.get("message").and_then(Value::as_str).filter(|m| !blank(m))
    {
        assert_eq!(messages.first().map(String::as_str), Some(m));
        expected_len += 1;
    }
    match map.get("message") {
        Some(Value::String(s)) if !blank(s) => {
            assert_eq!(messages.get(expected_len), Some(s));
            expected_len += 1;
        }
        Some(Value::Array(items)) => {
            expected_len += items
                .iter()
                .map(|item| match item.get("constraints") {
                    Some(Value::Object(c)) if !c.is_empty() => c.len(),
                    _ => 1,
                })
                .sum::<usize>();
        }
        Some(Value::String(_) | Value::Null) | None => {}
        Some(_) => expected_len += 1,
    }
    if let Some(Value::Array(items)) = map.get("errors") {
        expected_len += items
            .iter()
            .filter(|item| match item {
                Value::String(s) => !blank(s),
                Value::Object(_) => true,
                _ => false,
            })
            .count();
    }
    if expected_len > 0 {
        assert_eq!(messages.len(), expected_len, "{messages:?}");
    } else {
        // Falls back to one of title/detail (joined when both),
        // error_description or the `error` string.
        assert!(messages.len() <= 1, "{messages:?}");
        if let Some(m) = messages.first() {
            let field = |k: &str| map.get(k).and_then(Value::as_str).filter(|v| !blank(v));
            let from_a_field = ["detail", "title", "error_description", "error"]
                .iter()
                .filter_map(|k| field(k))
                .any(|v| v == m)
                || matches!((field("title"), field("detail")), (Some(t), Some(d)) if *m == format!("{t}: {d}"));
            assert!(from_a_field, "{m:?} is in no documented field");
        }
    }
    // What classify recognises is found among these messages.
    let _ = hacktron::classify(response).to_string();
}

// ---------------------------------------------------------------------------
// decode: every response model
// ---------------------------------------------------------------------------

/// Each endpoint's return type (src/api/*.rs), by the name a decode input's
/// first line gives.
pub const MODELS: &[Target] = &[
    ("CostEstimation", check_model::<models::CostEstimation>),
    (
        "OffsetPage<CostEstimation>",
        check_model::<models::OffsetPage<models::CostEstimation>>,
    ),
    ("Page<Finding>", check_model::<models::Page<models::Finding>>),
    ("FindingDetail", check_model::<models::FindingDetail>),
    ("UpdatedFinding", check_model::<models::UpdatedFinding>),
    ("AddedComment", check_model::<models::AddedComment>),
    ("BatchVerdicts", check_model::<models::BatchVerdicts>),
    ("OsvFeed", check_model::<models::OsvFeed>),
    ("Verdict", check_model::<models::Verdict>),
    ("RepoList", check_model::<models::RepoList>),
    ("CreatedScan", check_model::<models::CreatedScan>),
    ("Page<Scan>", check_model::<models::Page<models::Scan>>),
    ("Scan", check_model::<models::Scan>),
    ("ScanStatus", check_model::<models::ScanStatus>),
];

/// `<model name>\n<body>`: decodes the body as that model (an unknown name
/// picks one by its bytes).
pub fn decode(data: &[u8]) {
    let (name, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let check = MODELS
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| {
            let i = name.iter().map(|&b| usize::from(b)).sum::<usize>() % MODELS.len();
            MODELS[i].1
        });
    check(body);
}

/// `decode::<T>`: an `Ok` re-encodes to the same value; an `Err` is a
/// `Decode` error that keeps the body, names a path, and converts to the
/// SDK's error without losing them.
pub fn check_model<T>(body: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let status = StatusCode::OK;
    match hacktron_runtime::decode::<T>(status, Bytes::copy_from_slice(body)) {
        Ok(value) => {
            let encoded = serde_json::to_vec(&value).expect("a decoded model encodes");
            let again: T = hacktron_runtime::decode(status, Bytes::from(encoded.clone())).unwrap_or_else(|e| {
                panic!(
                    "a re-encoded model does not decode: {e}\n{}",
                    String::from_utf8_lossy(&encoded)
                )
            });
            if again != value {
                // Floats may move by one unit in the last place through
                // serde_json's default parser; anything else is a change.
                let (a, b) = (
                    serde_json::to_value(&value).expect("encodes"),
                    serde_json::to_value(&again).expect("encodes"),
                );
                assert!(
                    same_json(&a, &b),
                    "re-encoding changed the value:\n{value:?}\n{again:?}"
                );
            }
        }
        Err(e) => {
            let text = e.to_string();
            let _ = format!("{e:?}");
            assert_eq!(e.status(), Some(status));
            let hacktron_runtime::Error::Decode { path, body: kept, .. } = &e else {
                panic!("decode failed with something other than Decode: {e:?}");
            };
            // `path` may be empty: serde_path_to_error names a field `""` so.
            let _ = path;
            assert_eq!(&kept[..], body);
            assert!(text.contains("200"), "{text}");
            let sdk: hacktron::Error = e.into();
            let _ = sdk.to_string();
            assert_eq!(sdk.status(), Some(status));
            assert_eq!(sdk.body(), Some(body));
            assert!(!sdk.is_retryable());
        }
    }
}

fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= x.abs().max(y.abs()) * 4.0 * f64::EPSILON,
            _ => x == y,
        },
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

// ---------------------------------------------------------------------------
// byte_stream: the streamed body's read and copy paths
// ---------------------------------------------------------------------------

/// How a fuzzed body arrives.
#[derive(Debug, Clone)]
pub struct StreamInput {
    /// The chunks, in order (some may be empty).
    pub chunks: Vec<Bytes>,
    /// Whether the body fails after its last chunk (a connection that dropped).
    pub fails: bool,
    /// The limit given to `bytes` and to `from_response`.
    pub limit: usize,
    /// When set, the writer `copy_to` writes into fails after this many bytes.
    pub writer_fails_after: Option<usize>,
}

impl StreamInput {
    pub fn data(&self) -> Vec<u8> {
        self.chunks.concat()
    }
}

/// Byte 0: flags (bit 0: the body fails at the end; bit 1: the writer fails;
/// bit 2: no limit); bytes 1–2: the limit (LE); byte 3: how many chunk
/// lengths follow (mod 16), one byte each; the rest is the data, cut at
/// those lengths, the remainder being the last chunk. A writer failure
/// point, when bit 1 is set, is the next byte after the lengths.
pub fn parse_stream(data: &[u8]) -> StreamInput {
    let mut at = 0;
    let mut take = |n: usize| {
        let piece = data.get(at..(at + n).min(data.len())).unwrap_or_default();
        at = (at + n).min(data.len());
        piece
    };
    let flags = take(1).first().copied().unwrap_or(0);
    let limit = take(2);
    let limit = usize::from(limit.first().copied().unwrap_or(0)) | usize::from(limit.get(1).copied().unwrap_or(0)) << 8;
    let cuts = take(1).first().copied().unwrap_or(0) % 16;
    let cuts: Vec<usize> = take(usize::from(cuts)).iter().map(|&b| usize::from(b)).collect();
    let writer_fails_after = if flags & 2 != 0 {
        Some(usize::from(take(1).first().copied().unwrap_or(0)))
    } else {
        None
    };
    let rest = &data[at..];
    let mut chunks = Vec::new();
    let mut pos = 0;
    for cut in cuts {
        let end = (pos + cut).min(rest.len());
        chunks.push(Bytes::copy_from_slice(&rest[pos..end]));
        pos = end;
    }
    if pos < rest.len() || chunks.is_empty() {
        chunks.push(Bytes::copy_from_slice(&rest[pos..]));
    }
    StreamInput {
        chunks,
        fails: flags & 1 != 0,
        limit: if flags & 4 != 0 { usize::MAX } else { limit },
        writer_fails_after,
    }
}

/// A body that yields its chunks, then either ends or fails.
struct ChunkedBody {
    chunks: VecDeque<Bytes>,
    fails: bool,
    done: bool,
}

impl Body for ChunkedBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Bytes>, hacktron_runtime::Error>> {
        let next = if self.done {
            Ok(None)
        } else if let Some(chunk) = self.chunks.pop_front() {
            Ok(Some(chunk))
        } else {
            self.done = true;
            if self.fails {
                // A chunk that never came: what a dropped connection gives.
                Err(hacktron_runtime::Error::Timeout {
                    after: Duration::from_secs(30),
                    attempts: 1,
                })
            } else {
                Ok(None)
            }
        };
        Box::pin(async move { next })
    }
}

fn http_response(input: &StreamInput) -> HttpResponse {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("text/csv"));
    HttpResponse {
        status: StatusCode::OK,
        headers,
        body: Box::new(ChunkedBody {
            chunks: input.chunks.iter().cloned().collect(),
            fails: input.fails,
            done: false,
        }),
    }
}

/// A writer that accepts `room` bytes, then fails; records what it accepted.
struct Sink {
    accepted: Vec<u8>,
    room: usize,
}

impl tokio::io::AsyncWrite for Sink {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let n = buf.len().min(self.room - self.accepted.len());
        if n == 0 && !buf.is_empty() {
            return std::task::Poll::Ready(Err(std::io::Error::other("disk full")));
        }
        self.accepted.extend_from_slice(&buf[..n]);
        std::task::Poll::Ready(Ok(n))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// What one read path returned, to compare with the data.
#[derive(Debug)]
pub enum Outcome {
    /// `copy_to`: `Ok(n)` and the bytes the writer holds.
    Copied(Result<u64, String>, Vec<u8>),
    /// `bytes(limit)`, `from_response` as JSON or text: the bytes, or the error.
    Read(Result<Vec<u8>, String>),
}

/// The invariant: `Ok` only when every byte came through, and then exactly
/// the data; a body that failed is an error; a body over the limit is
/// `BodyTooLarge` for the in-memory reads.
pub fn check_stream(input: &StreamInput, path: &str, outcome: &Outcome) {
    let data = input.data();
    match outcome {
        Outcome::Copied(result, written) => {
            let writer_ok = input.writer_fails_after.is_none_or(|room| room >= data.len());
            match result {
                Ok(n) => {
                    assert!(!input.fails, "{path}: Ok({n}) from a body that failed");
                    assert!(writer_ok, "{path}: Ok({n}) though the writer failed");
                    assert_eq!(*n, data.len() as u64, "{path}: byte count");
                    assert_eq!(written, &data, "{path}: bytes written");
                }
                Err(e) => {
                    assert!(
                        input.fails || !writer_ok,
                        "{path}: error from a good body and writer: {e}"
                    );
                    assert!(
                        data.starts_with(written),
                        "{path}: wrote bytes that are not the body's start"
                    );
                }
            }
        }
        Outcome::Read(result) => match result {
            Ok(bytes) => {
                assert!(!input.fails, "{path}: Ok from a body that failed");
                assert!(
                    data.len() <= input.limit,
                    "{path}: Ok over the limit of {}",
                    input.limit
                );
                assert_eq!(bytes, &data, "{path}: bytes");
            }
            Err(e) => assert!(
                input.fails || data.len() > input.limit,
                "{path}: error from a good body within the limit: {e}"
            ),
        },
    }
}

async fn stream(input: &StreamInput) -> ByteStream {
    ByteStream::from_response(http_response(input), input.limit)
        .await
        .expect("a ByteStream is built from any response")
}

pub fn byte_stream(data: &[u8]) {
    let input = parse_stream(data);
    let data = input.data();
    block_on(async {
        // copy_to into a Vec, or into a writer that fails.
        let s = stream(&input).await;
        assert_eq!(s.status(), StatusCode::OK);
        let _ = format!("{s:?}");
        let outcome = match input.writer_fails_after {
            None => {
                let mut out = Vec::new();
                let result = s.copy_to(&mut out).await.map_err(|e| e.to_string());
                Outcome::Copied(result, out)
            }
            Some(room) => {
                let mut sink = Sink {
                    accepted: Vec::new(),
                    room,
                };
                let result = s.copy_to(&mut sink).await;
                if let Err(hacktron_runtime::Error::Io { written, .. }) = &result {
                    // Never more than the writer took.
                    assert!(
                        *written as usize <= sink.accepted.len(),
                        "Io written {written} > {}",
                        sink.accepted.len()
                    );
                }
                let result = result.map_err(|e| e.to_string());
                Outcome::Copied(result, sink.accepted)
            }
        };
        check_stream(&input, "copy_to", &outcome);

        // bytes(limit).
        let result = stream(&input).await.bytes(input.limit).await;
        if let Err(hacktron_runtime::Error::BodyTooLarge { limit, .. }) = &result {
            assert_eq!(*limit, input.limit);
        }
        let outcome = Outcome::Read(result.map(|b| b.to_vec()).map_err(|e| e.to_string()));
        check_stream(&input, "bytes", &outcome);

        // next_chunk by hand: the chunks, in order, then the end or the failure.
        let mut s = stream(&input).await;
        let mut got = Vec::new();
        let end = loop {
            match s.next_chunk().await {
                Ok(Some(chunk)) => got.extend_from_slice(&chunk),
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        assert_eq!(got, data);
        assert_eq!(end.is_err(), input.fails);

        // The in-memory read behind every decoded endpoint, and behind text.
        let result = <serde_json::Value as FromResponse>::from_response(http_response(&input), input.limit).await;
        let outcome = match result {
            Ok(_) => Outcome::Read(Ok(data.clone())),
            Err(hacktron_runtime::Error::Decode { body, .. }) => Outcome::Read(Ok(body.to_vec())),
            Err(e) => Outcome::Read(Err(e.to_string())),
        };
        check_stream(&input, "from_response::<Value>", &outcome);
        let result = <hacktron_runtime::Text as FromResponse>::from_response(http_response(&input), input.limit).await;
        let outcome = match result {
            Ok(text) => Outcome::Read(Ok(text.0.into_bytes())),
            Err(hacktron_runtime::Error::Decode { body, .. }) => Outcome::Read(Ok(body.to_vec())),
            Err(e) => Outcome::Read(Err(e.to_string())),
        };
        check_stream(&input, "from_response::<Text>", &outcome);
    });
}

// ---------------------------------------------------------------------------
// sandbox_request: raw HTTP requests to hacktron-sandbox
// ---------------------------------------------------------------------------

/// The request a `sandbox_request` input describes:
///
/// ```text
/// POST /v1/scans?x=1              <- method and target (made a valid target)
/// X-Api-Key: $rw                  <- headers; `$rw` `$ro` `$revoked` `$admin` `$other` are keys
/// Content-Type: application/json
///
/// {"repos":[...]}                 <- body (Content-Length is added)
/// ```
///
/// `$scan`, `$finding`, `$hidden`, `$estimation` and `$other_scan` in the
/// target or body stand for ids of the running sandbox.
#[derive(Debug, Clone)]
pub struct SandboxRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Headers the harness sets itself, so every request is framed correctly.
const FRAMING: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "expect",
    "upgrade",
    "te",
];

pub fn parse_sandbox_request(data: &[u8]) -> SandboxRequest {
    let (head, body) = split_head(data);
    let mut lines = lines(head);
    let first = lines.next().unwrap_or_default();
    let (method, target) = match first.iter().position(|&b| b == b' ') {
        Some(i) => (&first[..i], &first[i + 1..]),
        None => (&b"GET"[..], first),
    };
    let method: String = method
        .iter()
        .filter(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
        .take(16)
        .map(|&b| char::from(b))
        .collect();
    let method = if method.is_empty() { "GET".to_owned() } else { method };
    // A valid request-target: visible ASCII other than a few, the rest
    // percent-encoded.
    let mut t = String::new();
    if !target.starts_with(b"/") {
        t.push('/');
    }
    for &b in target.iter().take(2048) {
        if b.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&b) {
            t.push(char::from(b));
        } else {
            t.push_str(&format!("%{b:02X}"));
        }
    }
    let headers = lines
        .filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let name: String = line[..colon]
                .iter()
                .filter(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
                .map(|&b| char::from(b))
                .collect();
            let value: String = line[colon + 1..]
                .iter()
                .filter(|&&b| b == b'\t' || (b' '..=b'~').contains(&b))
                .map(|&b| char::from(b))
                .collect();
            let value = value.trim().to_owned();
            (!name.is_empty() && !FRAMING.contains(&name.to_ascii_lowercase().as_str())).then_some((name, value))
        })
        .take(32)
        .collect();
    SandboxRequest {
        method,
        target: t,
        headers,
        body: body.to_vec(),
    }
}

/// Ids of one running sandbox, for the `$` placeholders.
struct Ids {
    pairs: Vec<(&'static str, String)>,
}

impl Ids {
    fn substitute(&self, s: &str) -> String {
        if !s.contains('$') {
            return s.to_owned();
        }
        let mut s = s.to_owned();
        // Longest names first: `$other_scan` before `$other`.
        for (name, value) in &self.pairs {
            s = s.replace(name, value);
        }
        s
    }
}

struct Host {
    rt: tokio::runtime::Runtime,
    sandbox: Option<hacktron_sandbox::Sandbox>,
    ids: Ids,
    served: usize,
}

/// Requests one sandbox serves before a fresh one replaces it, so state
/// created by earlier inputs (scans, keys, revocations) stays small.
const REQUESTS_PER_SANDBOX: usize = 500;

impl Host {
    fn start(rt: tokio::runtime::Runtime) -> Host {
        let config = hacktron_sandbox::Config::default().without_rate_limit().with_seed(7);
        let sandbox = rt
            .block_on(hacktron_sandbox::Sandbox::start_with(config))
            .expect("the sandbox starts");
        let addr = sandbox.addr();
        let keys = sandbox.keys().clone();
        let get = |path: &str, key: &str| -> serde_json::Value {
            let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nX-Api-Key: {key}\r\n\r\n");
            let raw = exchange(addr, req.as_bytes()).expect("a seeded read answers");
            let (_, body) = split_reply(&raw).expect("a seeded read answers");
            serde_json::from_slice(body).unwrap_or(serde_json::Value::Null)
        };
        let first_id = |v: &serde_json::Value| -> String { v["data"][0]["id"].as_str().unwrap_or("none").to_owned() };
        let scan = first_id(&get("/v1/scans", &keys.read_write));
        let finding = first_id(&get("/v1/findings", &keys.read_write));
        let other_scan = first_id(&get("/v1/scans", &keys.other_org));
        let hidden = sandbox
            .unapproved_finding_ids(&keys.acme_org)
            .into_iter()
            .next()
            .unwrap_or_default();
        let body = r#"{"repos":[{"repo_url":"https://github.com/acme/webapp","branch":"main"}]}"#;
        let req = format!(
            "POST /v1/cost-estimations HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nX-Api-Key: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            keys.read_write,
            body.len()
        );
        let estimation = exchange(addr, req.as_bytes())
            .ok()
            .and_then(|raw| split_reply(&raw).ok().map(|(_, b)| b.to_vec()))
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v["id"].as_str().map(str::to_owned))
            .unwrap_or_default();
        // Let the estimation finish, so `$estimation` can start a scan.
        sandbox.advance(Duration::from_secs(60));
        let ids = Ids {
            pairs: vec![
                ("$other_scan", other_scan),
                ("$estimation", estimation),
                ("$revoked", keys.revoked.clone()),
                ("$finding", finding),
                ("$hidden", hidden),
                ("$admin", keys.admin.clone()),
                ("$other", keys.other_org.clone()),
                ("$scan", scan),
                ("$rw", keys.read_write.clone()),
                ("$ro", keys.read_only.clone()),
            ],
        };
        Host {
            rt,
            sandbox: Some(sandbox),
            ids,
            served: 0,
        }
    }

    fn addr(&self) -> SocketAddr {
        self.sandbox.as_ref().expect("running").addr()
    }

    fn restart(self) -> Host {
        let Host { rt, sandbox, .. } = self;
        drop(sandbox);
        Host::start(rt)
    }
}

fn host() -> &'static Mutex<Option<Host>> {
    static HOST: OnceLock<Mutex<Option<Host>>> = OnceLock::new();
    HOST.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Mutex::new(Some(Host::start(rt)))
    })
}

/// Sends `raw` on a fresh connection and reads until the server closes it.
fn exchange(addr: SocketAddr, raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    stream.write_all(raw).map_err(|e| format!("write: {e}"))?;
    let mut reply = Vec::new();
    // A reset after the answer still counts what arrived.
    if let Err(e) = stream.read_to_end(&mut reply)
        && reply.is_empty()
    {
        return Err(format!("read: {e}"));
    }
    let _ = stream.shutdown(Shutdown::Both);
    Ok(reply)
}

/// The status and body of a raw HTTP/1.1 reply.
pub fn split_reply(raw: &[u8]) -> Result<(u16, &[u8]), String> {
    if raw.is_empty() {
        return Err("empty reply: the connection closed without a response".into());
    }
    let (head, body) = match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&raw[..i], &raw[i + 4..]),
        None => return Err(format!("incomplete reply: {:?}", String::from_utf8_lossy(raw))),
    };
    let head = std::str::from_utf8(head).map_err(|_| "a reply head that is not UTF-8".to_owned())?;
    let status = head
        .lines()
        .next()
        .filter(|l| l.starts_with("HTTP/1.1 "))
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    Ok((status, body))
}

/// What a reply must be, when no fault was injected: a complete response,
/// no 5xx, and an error in the documented shape.
pub fn check_reply(raw: &[u8]) -> Result<u16, String> {
    let (status, body) = split_reply(raw)?;
    if status >= 500 {
        return Err(format!(
            "{status} with no fault injected: {}",
            String::from_utf8_lossy(body)
        ));
    }
    let head = String::from_utf8_lossy(&raw[..raw.len() - body.len()]).to_ascii_lowercase();
    let json = head.contains("content-type: application/json");
    if status >= 400 && json {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| format!("{status} with a JSON error body that is not JSON: {e}"))?;
        if value["statusCode"].as_u64() != Some(u64::from(status)) {
            return Err(format!("{status} whose body says statusCode {}", value["statusCode"]));
        }
        if !(value["message"].is_string() || value["message"].is_array()) {
            return Err(format!("{status} with no message: {value}"));
        }
    }
    Ok(status)
}

/// The request line, headers and body as bytes on the wire.
fn render(req: &SandboxRequest, ids: &Ids, addr: SocketAddr) -> Vec<u8> {
    let body = ids.substitute(&String::from_utf8_lossy(&req.body)).into_bytes();
    let body = if body.len() > 64 * 1024 {
        body[..64 * 1024].to_vec()
    } else {
        body
    };
    let mut out = format!(
        "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n",
        req.method,
        ids.substitute(&req.target)
    );
    for (name, value) in &req.headers {
        out += &format!("{name}: {}\r\n", ids.substitute(value));
    }
    if !body.is_empty() || matches!(req.method.as_str(), "POST" | "PATCH" | "PUT") {
        out += &format!("Content-Length: {}\r\n", body.len());
    }
    out += "\r\n";
    let mut out = out.into_bytes();
    out.extend_from_slice(&body);
    out
}

/// The model a success body of this route must decode as, if it is JSON.
pub fn success_model(method: &str, target: &str) -> Option<&'static str> {
    let path = target.split('?').next().unwrap_or_default();
    let path = path
        .strip_prefix("/api/v1/rest/")
        .map_or_else(|| path.to_owned(), |rest| format!("/v1/{rest}"));
    let rest = path.strip_prefix("/v1/")?;
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    Some(match (method, segments.as_slice()) {
        ("GET", ["cost-estimations"]) => "OffsetPage<CostEstimation>",
        ("POST", ["cost-estimations"]) => "CostEstimation",
        ("GET", ["cost-estimations", _]) => "CostEstimation",
        ("GET", ["scans"]) => "Page<Scan>",
        ("POST", ["scans"]) => "CreatedScan",
        ("GET", ["scans", _]) => "Scan",
        ("GET", ["scans", _, "status"]) => "ScanStatus",
        ("GET", ["scans", _, "findings"]) => "Page<Finding>",
        ("GET", ["findings"]) => "Page<Finding>",
        ("GET", ["findings", "export"]) => return None,
        ("GET", ["findings", _]) => "FindingDetail",
        ("PATCH", ["findings", _]) => "UpdatedFinding",
        ("POST", ["findings", _, "comments"]) => "AddedComment",
        ("GET", ["repos"]) => "RepoList",
        ("GET", ["hfw", "verdict", _, _]) | ("GET", ["hfw", "verdict", _, _, _]) => "Verdict",
        ("POST", ["hfw", "verdicts", "batch"]) => "BatchVerdicts",
        ("GET", ["hfw", "osv", "feed"]) => "OsvFeed",
        _ => return None,
    })
}

/// Sends the request `data` describes to the shared sandbox (started on
/// first use, replaced every [`REQUESTS_PER_SANDBOX`] requests): the
/// request, its bytes on the wire, and the raw reply.
pub fn send_to_sandbox(data: &[u8]) -> (SandboxRequest, Vec<u8>, Result<Vec<u8>, String>) {
    let req = parse_sandbox_request(data);
    let mut guard = host().lock().unwrap_or_else(PoisonError::into_inner);
    let mut h = guard.take().expect("a sandbox host");
    if h.served >= REQUESTS_PER_SANDBOX {
        h = h.restart();
    }
    h.served += 1;
    let addr = h.addr();
    let wire = render(&req, &h.ids, addr);
    let raw = exchange(addr, &wire);
    *guard = Some(h);
    (req, wire, raw)
}

/// One fuzzed request to the shared sandbox; fails on an empty or broken
/// reply, any 5xx, an error body not in the documented shape, or a success
/// body the SDK cannot decode as the route's model.
pub fn sandbox_request(data: &[u8]) {
    let (req, wire, raw) = send_to_sandbox(data);
    let shown = String::from_utf8_lossy(&wire[..wire.len().min(600)]).into_owned();
    let raw = raw.unwrap_or_else(|e| panic!("{e}\nrequest:\n{shown}"));
    let status = check_reply(&raw).unwrap_or_else(|e| panic!("{e}\nrequest:\n{shown}"));
    if (200..300).contains(&status) {
        let (_, body) = split_reply(&raw).expect("checked");
        let head = String::from_utf8_lossy(&raw[..raw.len() - body.len()]).to_ascii_lowercase();
        if head.contains("content-type: application/json")
            && let Some(model) = success_model(&req.method, &req.target)
        {
            let (_, check) = MODELS.iter().find(|(n, _)| *n == model).expect("a listed model");
            check(body);
            decode_as(model, body, status, &req, &shown);
        }
    }
}

/// A success body must decode as the route's model (not just not panic).
fn decode_as(model: &str, body: &[u8], status: u16, req: &SandboxRequest, shown: &str) {
    fn ok<T: DeserializeOwned>(body: &[u8]) -> Result<(), hacktron_runtime::Error> {
        hacktron_runtime::decode::<T>(StatusCode::OK, Bytes::copy_from_slice(body)).map(drop)
    }
    let result = match model {
        "CostEstimation" => ok::<models::CostEstimation>(body),
        "OffsetPage<CostEstimation>" => ok::<models::OffsetPage<models::CostEstimation>>(body),
        "Page<Finding>" => ok::<models::Page<models::Finding>>(body),
        "FindingDetail" => ok::<models::FindingDetail>(body),
        "UpdatedFinding" => ok::<models::UpdatedFinding>(body),
        "AddedComment" => ok::<models::AddedComment>(body),
        "BatchVerdicts" => ok::<models::BatchVerdicts>(body),
        "OsvFeed" => ok::<models::OsvFeed>(body),
        "Verdict" => ok::<models::Verdict>(body),
        "RepoList" => ok::<models::RepoList>(body),
        "CreatedScan" => ok::<models::CreatedScan>(body),
        "Page<Scan>" => ok::<models::Page<models::Scan>>(body),
        "Scan" => ok::<models::Scan>(body),
        "ScanStatus" => ok::<models::ScanStatus>(body),
        _ => Ok(()),
    };
    if let Err(e) = result {
        panic!(
            "the sandbox's {status} for {} {} does not decode as {model}: {e}\nrequest:\n{shown}",
            req.method, req.target
        );
    }
}

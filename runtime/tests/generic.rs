//! The runtime on its own, through a service of its own ("Notes"): no
//! Hacktron anywhere. Every call goes over HTTP to a small purpose-built
//! server on 127.0.0.1 that records what it receives and answers from a
//! script.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hacktron_runtime::scope::{Anonymous, KeyKind, public};
use hacktron_runtime::service::{Auth, Failure, Retry, Service};
use hacktron_runtime::{ApiError, Client, Endpoint, ErrorDetails, ErrorResponse, RetryPolicy, endpoint};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A notes API: bearer tokens, its own error on an unknown outcome.
enum Notes {}

#[derive(Debug, thiserror::Error)]
enum NotesError {
    #[error("`{operation}` may have been applied; list the notes before posting again ({cause})")]
    MayHaveApplied {
        operation: &'static str,
        cause: Box<NotesError>,
    },
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<hacktron_runtime::Error> for NotesError {
    fn from(e: hacktron_runtime::Error) -> Self {
        NotesError::Api(e.into())
    }
}

impl ErrorDetails for NotesError {
    fn response(&self) -> Option<&ErrorResponse> {
        match self {
            NotesError::MayHaveApplied { cause, .. } => cause.response(),
            NotesError::Api(e) => e.response(),
        }
    }
    fn runtime_error(&self) -> Option<&hacktron_runtime::Error> {
        match self {
            NotesError::MayHaveApplied { cause, .. } => cause.runtime_error(),
            NotesError::Api(e) => e.runtime_error(),
        }
    }
}

impl Service for Notes {
    type Error = NotesError;
    const NAME: &'static str = "Notes";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "notes-test/1";

    fn error_from_response(response: ErrorResponse) -> NotesError {
        NotesError::Api(response.into())
    }

    /// A careless classifier: everything is "safe to resend". The runtime
    /// must still never send a write twice after an unknown outcome.
    fn retry(_: Failure<'_>) -> Retry {
        Retry::Yes { after: None }
    }

    fn may_have_applied(endpoint: &'static Endpoint, error: NotesError) -> NotesError {
        NotesError::MayHaveApplied {
            operation: endpoint.name,
            cause: Box::new(error),
        }
    }
}

struct Writer;
impl KeyKind for Writer {
    type Service = Notes;
}

hacktron_runtime::scopes! {
    credential = "token";
    /// Writing notes.
    write = "notes:write";
    /// Reading notes: public ones for anybody, private ones too with a token.
    notes_read = optional "notes:read";
    grants {
        Writer: write;
    }
}

#[derive(serde::Deserialize, Debug)]
struct Note {
    id: u64,
}

// No `crate =` anywhere: the attribute finds this crate's runtime.
trait NotesApi {
    #[endpoint(POST, "/notes", scope = write)]
    async fn post_note(&self, #[body] text: &serde_json::Value) -> Result<Note, NotesError>;

    #[endpoint(PUT, "/notes/{id}", scope = write)]
    async fn put_note(&self, id: u64, #[body] text: &serde_json::Value) -> Result<Note, NotesError>;

    #[endpoint(PUT, "/notes/{id}/token", scope = write, idempotent = false)]
    async fn new_token(&self, id: u64) -> Result<Note, NotesError>;

    #[endpoint(POST, "/notes/search", scope = write, idempotent)]
    async fn search(&self, #[body] query: &serde_json::Value) -> Result<Vec<Note>, NotesError>;

    #[endpoint(GET, "/status", scope = public)]
    async fn status(&self) -> Result<serde_json::Value, NotesError>;

    #[endpoint(GET, "/notes", scope = notes_read)]
    async fn list_notes(&self) -> Result<serde_json::Value, NotesError>;
}
impl<K: KeyKind<Service = Notes>> NotesApi for Client<K> {}

/// One request as the server saw it: request line and headers.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    head: String,
}

/// What the server does with a request.
#[derive(Clone, Copy)]
enum Answer {
    Json(u16, &'static str),
    /// Say nothing for this long, then close.
    Stall(Duration),
}

/// Answers request `i` with `script(i)` (0-based) and records them all.
async fn server(script: fn(usize) -> Answer) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match tcp.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + length {
                        match tcp.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + 4 + length);
                    let index = {
                        let mut log = log.lock().unwrap();
                        let line = head.lines().next().unwrap_or_default().to_owned();
                        log.push(Seen {
                            line,
                            head: head.to_ascii_lowercase(),
                        });
                        log.len() - 1
                    };
                    match script(index) {
                        Answer::Json(status, body) => {
                            let reply = format!(
                                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            );
                            if tcp.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        Answer::Stall(d) => {
                            tokio::time::sleep(d).await;
                            return;
                        }
                    }
                }
            });
        }
    });
    (base, seen)
}

fn writer(base: &str) -> Client<Writer> {
    Client::<Writer>::builder("notes-token")
        .base_url(base)
        .retry(
            RetryPolicy::new()
                .initial_backoff(Duration::from_millis(5))
                .jitter(false),
        )
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_write_answered_500_is_sent_once_whatever_the_classifier_says() {
    let (base, seen) = server(|_| Answer::Json(500, r#"{"message": "boom"}"#)).await;
    let e = writer(&base)
        .post_note(&serde_json::json!({"text": "once"}))
        .await
        .unwrap_err();
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "a POST with an unknown outcome is not resent"
    );
    assert!(
        matches!(
            &e,
            NotesError::MayHaveApplied {
                operation: "post_note",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("list the notes before posting again"), "{e}");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(e.messages(), ["boom"]);
    assert!(e.outcome_unknown());
}

#[tokio::test]
async fn a_put_declared_not_idempotent_is_sent_once_too() {
    let (base, seen) = server(|_| Answer::Json(502, "{}")).await;
    let e = writer(&base).new_token(7).await.unwrap_err();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(
        matches!(
            &e,
            NotesError::MayHaveApplied {
                operation: "new_token",
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_write_that_times_out_is_sent_once_and_says_so() {
    let (base, seen) = server(|_| Answer::Stall(Duration::from_secs(2))).await;
    let e = writer(&base)
        .post_note(&serde_json::json!({"text": "once"}))
        .await
        .unwrap_err();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(e.is_timeout(), "{e:?}");
    assert!(matches!(e, NotesError::MayHaveApplied { .. }), "{e:?}");
}

#[tokio::test]
async fn idempotent_writes_are_resent_after_a_500() {
    // PUT by its method, the search POST by its declaration.
    let (base, seen) = server(|i| match i {
        0 | 2 => Answer::Json(500, "{}"),
        1 => Answer::Json(200, r#"{"id": 7}"#),
        _ => Answer::Json(200, r#"[{"id": 7}]"#),
    })
    .await;
    let client = writer(&base);
    assert_eq!(
        client.put_note(7, &serde_json::json!({"text": "x"})).await.unwrap().id,
        7
    );
    let found = client.search(&serde_json::json!({"q": "x"})).await.unwrap();
    assert_eq!(found[0].id, 7);
    let lines: Vec<String> = seen.lock().unwrap().iter().map(|s| s.line.clone()).collect();
    assert_eq!(
        lines,
        [
            "PUT /notes/7 HTTP/1.1",
            "PUT /notes/7 HTTP/1.1",
            "POST /notes/search HTTP/1.1",
            "POST /notes/search HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn a_write_whose_success_answer_does_not_decode_is_not_resent() {
    // Applied for sure; the careless classifier says "resend" for it too.
    let (base, seen) = server(|_| Answer::Json(201, r#"{"created": true}"#)).await;
    let e = writer(&base)
        .post_note(&serde_json::json!({"text": "x"}))
        .await
        .unwrap_err();
    assert!(e.is_decode(), "{e:?}");
    assert_eq!(e.status().map(|s| s.as_u16()), Some(201));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_write_refused_with_429_is_resent() {
    let (base, seen) = server(|i| {
        if i == 0 {
            Answer::Json(429, "{}")
        } else {
            Answer::Json(201, r#"{"id": 1}"#)
        }
    })
    .await;
    let note = writer(&base)
        .post_note(&serde_json::json!({"text": "later"}))
        .await
        .unwrap();
    assert_eq!(note.id, 1);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_key_goes_as_a_bearer_token_and_never_to_a_public_endpoint() {
    let (base, seen) = server(|_| Answer::Json(200, r#"{"id": 1, "ok": true}"#)).await;
    let client = writer(&base);
    client.status().await.unwrap();
    client.put_note(1, &serde_json::json!({})).await.unwrap();
    let anonymous = Client::<Anonymous<Notes>>::public().base_url(&base).build().unwrap();
    anonymous.status().await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(!seen[0].head.contains("authorization"), "{}", seen[0].head);
    assert!(
        seen[1].head.contains("authorization: bearer notes-token"),
        "{}",
        seen[1].head
    );
    assert!(!seen[2].head.contains("authorization"), "{}", seen[2].head);
    assert!(seen[0].head.contains("user-agent: notes-test/1"), "{}", seen[0].head);
}

#[tokio::test]
async fn an_optional_scope_sends_the_key_when_the_client_has_one() {
    let (base, seen) = server(|_| Answer::Json(200, r#"{"id": 1}"#)).await;
    writer(&base).list_notes().await.unwrap();
    let anonymous = Client::<Anonymous<Notes>>::public().base_url(&base).build().unwrap();
    anonymous.list_notes().await.unwrap();
    assert_eq!(<Client<Writer> as NotesApi>::LIST_NOTES.scope, "notes:read");
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].line.starts_with("GET /notes "), "{}", seen[0].line);
    assert!(
        seen[0].head.contains("authorization: bearer notes-token"),
        "{}",
        seen[0].head
    );
    assert!(!seen[1].head.contains("authorization"), "{}", seen[1].head);
}

#[tokio::test]
async fn no_connection_is_retried_for_a_write_and_reported_as_such() {
    let free = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let e = writer(&base).post_note(&serde_json::json!({})).await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert_eq!(e.attempts(), 4, "nothing was sent, so every attempt was made");
    assert!(!matches!(e, NotesError::MayHaveApplied { .. }), "{e:?}");
}

/// A service with headers of its own on every request.
enum Versioned {}
impl Service for Versioned {
    type Error = ApiError;
    const NAME: &'static str = "Versioned";
    const AUTH: Auth = Auth::Header {
        name: "x-api-key",
        scheme: None,
    };
    const USER_AGENT: &'static str = "versioned/1";
    const DEFAULT_HEADERS: &'static [(&'static str, &'static str)] = &[
        ("accept", "application/vnd.versioned+json"),
        ("x-api-version", "2024-01-01"),
        ("content-type", "application/vnd.versioned+json"),
    ];
    const JSON_CONTENT_TYPE: &'static str = "application/json; charset=utf-8";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}
struct VersionedKey;
impl KeyKind for VersionedKey {
    type Service = Versioned;
}
impl write for VersionedKey {}

trait VersionedApi {
    #[endpoint(POST, "/items", scope = write)]
    async fn create(&self, #[body] item: &serde_json::Value) -> Result<serde_json::Value, ApiError>;

    #[endpoint(POST, "/items/raw", scope = write)]
    async fn create_as(
        &self,
        #[header("content-type")] content_type: &str,
        #[header("x-api-key")] key: &str,
        #[body] item: &serde_json::Value,
    ) -> Result<serde_json::Value, ApiError>;

    #[endpoint(POST, "/items/form", scope = write)]
    async fn create_form(&self, #[body(form)] item: &[(&str, &str)]) -> Result<serde_json::Value, ApiError>;

    #[endpoint(POST, "/items/{id}/touch", scope = write)]
    async fn touch(&self, id: u64, #[header("x-tag")] tag: Option<&str>) -> Result<serde_json::Value, ApiError>;
}
impl VersionedApi for Client<VersionedKey> {}

/// The values of header `name` in a recorded head (lower case), in order.
fn values(head: &str, name: &str) -> Vec<String> {
    head.lines()
        .filter_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| v.trim().to_owned())
        .collect()
}

#[tokio::test]
async fn headers_follow_one_override_rule_and_none_is_sent_twice() {
    let (base, seen) = server(|_| Answer::Json(200, "{}")).await;
    let client = Client::<VersionedKey>::builder("the-key")
        .base_url(&base)
        .build()
        .unwrap();
    client.create(&serde_json::json!({"a": 1})).await.unwrap();
    client
        .create_as("application/merge-patch+json", "not-the-key", &serde_json::json!({}))
        .await
        .unwrap();
    client.touch(7, Some("a")).await.unwrap();
    client.create_form(&[("a", "1")]).await.unwrap();
    let seen = seen.lock().unwrap().clone();

    // Defaults on every request; a default `Content-Type` stands in for
    // the JSON one.
    let h = &seen[0].head;
    assert_eq!(values(h, "accept"), ["application/vnd.versioned+json"], "{h}");
    assert_eq!(values(h, "x-api-version"), ["2024-01-01"], "{h}");
    assert_eq!(values(h, "content-type"), ["application/vnd.versioned+json"], "{h}");

    // An argument replaces what the body implies, once; the credential
    // cannot be replaced by an argument.
    let h = &seen[1].head;
    assert_eq!(values(h, "content-type"), ["application/merge-patch+json"], "{h}");
    assert_eq!(values(h, "x-api-key"), ["the-key"], "{h}");

    // A POST without a body says `Content-Length: 0`.
    let h = &seen[2].head;
    assert_eq!(values(h, "x-tag"), ["a"], "{h}");
    assert_eq!(values(h, "content-length"), ["0"], "{h}");
    assert!(
        values(h, "content-type").is_empty(),
        "no body, no default content type: {h}"
    );

    // A form keeps its own type, whatever the default.
    let h = &seen[3].head;
    assert_eq!(values(h, "content-type"), ["application/x-www-form-urlencoded"], "{h}");
}

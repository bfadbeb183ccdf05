//! Recording and replaying, over real HTTP: a small purpose-built "Shop"
//! server on 127.0.0.1 that hands out random tokens, cookies, timestamps and
//! request ids, and echoes the caller's key. Recorded against it once, then
//! replayed with no server at all.
//!
//! `tests/recordings/example.json` (the format's example in the docs) is
//! what [`recorded_twice_the_file_is_the_same_byte_for_byte`] records; run
//! it with `RECORD=1` to write it again.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use hacktron_runtime::record::{Recorder, RecordingError, Replayer, Rules, Tape};
use hacktron_runtime::scope::{KeyKind, public};
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::transport::{ReqwestTransport, Transport};
use hacktron_runtime::{ApiError, ByteStream, Client, ErrorResponse, RetryPolicy, endpoint};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A shop API whose key travels in a header of its own name.
enum Shop {}
impl Service for Shop {
    type Error = ApiError;
    const NAME: &'static str = "Shop";
    const AUTH: Auth = Auth::Header {
        name: "x-shop-key",
        scheme: None,
    };
    const USER_AGENT: &'static str = "shop-test/1";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

struct ShopKey;
impl KeyKind for ShopKey {
    type Service = Shop;
}
hacktron_runtime::scopes! {
    /// Scope `shop`.
    shop = "shop";
    grants {
        ShopKey: shop;
        MapsKey: shop;
    }
}

trait ShopApi {
    #[endpoint(POST, "/v1/things", scope = shop)]
    async fn create(&self, #[body] thing: &Value) -> Result<Value, ApiError>;
    #[endpoint(GET, "/v1/things", scope = shop)]
    async fn list(&self, #[query] page: u32) -> Result<Value, ApiError>;
    #[endpoint(GET, "/v1/blob", scope = shop)]
    async fn blob(&self) -> Result<ByteStream, ApiError>;
    #[endpoint(POST, "/v1/sessions", scope = shop)]
    async fn session(&self) -> Result<Value, ApiError>;
    #[endpoint(GET, "/v1/whoami", scope = shop)]
    async fn whoami(&self) -> Result<Value, ApiError>;
    /// Declared public: the key is not sent.
    #[endpoint(GET, "/v1/things", scope = public)]
    async fn list_without_key(&self, #[query] page: u32) -> Result<Value, ApiError>;
}
impl ShopApi for Client<ShopKey> {}

/// The live key: never in a recording, a message or a `Debug`.
const KEY: &str = "shop-key-live-0123456789";

/// Something new on every call, as a server's ids and tokens are.
fn fresh(what: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("{what}-{nanos:x}{:x}", N.fetch_add(1, Ordering::Relaxed))
}

/// The Shop: answers each request by its method and path.
fn answer(method: &str, target: &str, headers: &BTreeMap<String, String>, body: &[u8]) -> (u16, Vec<String>, Vec<u8>) {
    let key = headers.get("x-shop-key").cloned().unwrap_or_default();
    let now = httpdate::fmt_http_date(SystemTime::now());
    let mut extra = vec![
        format!("date: {now}"),
        format!("x-request-id: {}", fresh("req")),
        "content-type: application/json".to_owned(),
    ];
    let (status, body): (u16, Vec<u8>) = match (method, target) {
        ("POST", "/v1/things") => {
            let thing: Value = serde_json::from_slice(body).unwrap_or_default();
            let created = json!({"id": "t-1", "name": thing["name"], "created": now, "tags": ["b", "a"]});
            (201, created.to_string().into_bytes())
        }
        ("GET", t) if t.starts_with("/v1/things?page=") => {
            let page: String = t["/v1/things?page=".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (
                200,
                format!(r#"{{"page": {page}, "data": [{{"id": "t-1"}}], "next": "/v1/things?page=2"}}"#).into_bytes(),
            )
        }
        ("GET", "/v1/blob") => {
            extra[2] = "content-type: application/octet-stream".to_owned();
            (200, b"\x00\x01\xfe\xff blob".to_vec())
        }
        ("POST", "/v1/sessions") => {
            extra.push(format!("set-cookie: sid={}; Path=/; HttpOnly", fresh("sid")));
            (
                200,
                json!({"token": fresh("tok"), "user": "ann"}).to_string().into_bytes(),
            )
        }
        ("GET", "/v1/whoami") => (200, json!({"key": key, "user": "ann"}).to_string().into_bytes()),
        _ => (404, br#"{"message": "no such thing"}"#.to_vec()),
    };
    (status, extra, body)
}

/// A Shop on a free port of 127.0.0.1; its base URL.
async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
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
                    let mut lines = head.lines();
                    let mut line = lines.next().unwrap_or_default().split(' ');
                    let (method, target) = (line.next().unwrap_or_default(), line.next().unwrap_or_default());
                    let headers: BTreeMap<String, String> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let length = headers
                        .get("content-length")
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + length {
                        match tcp.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let body = buf[end + 4..end + 4 + length].to_vec();
                    let (status, extra, reply) = answer(method, target, &headers, &body);
                    buf.drain(..end + 4 + length);
                    let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", reply.len()).into_bytes();
                    for h in extra {
                        out.extend_from_slice(format!("{h}\r\n").as_bytes());
                    }
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(&reply);
                    if tcp.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    base
}

/// The rules a Shop test records and replays by: the server's `host:port`
/// as `{{host}}`, its volatile headers dropped, the session token and the
/// creation time redacted.
fn rules(base: &str) -> Rules {
    Rules::for_service::<Shop>()
        .placeholder("host", base.trim_start_matches("http://"))
        .drop_volatile_headers()
        .redact_field("token")
        .redact_field("created")
}

fn live() -> ReqwestTransport {
    ReqwestTransport::new(Duration::from_secs(5), Some(Duration::from_secs(10)), Shop::USER_AGENT).unwrap()
}

fn client(base: &str, key: &str, transport: impl Transport) -> Client<ShopKey> {
    Client::<ShopKey>::builder(key)
        .base_url(base)
        .retry(RetryPolicy::never())
        .transport(transport)
        .build()
        .unwrap()
}

/// What a run of the scenario saw, to compare a replay with the recording.
#[derive(Debug, PartialEq)]
struct Seen {
    created: Value,
    page: Value,
    blob: Vec<u8>,
    session_user: Value,
    whoami: Value,
}

/// Five calls of every kind of body.
async fn scenario(client: &Client<ShopKey>) -> Seen {
    let created = client.create(&json!({"name": "lamp", "price": 12})).await.unwrap();
    let page = client.list(1).await.unwrap();
    let blob = client.blob().await.unwrap().bytes(1 << 20).await.unwrap().to_vec();
    let session = client.session().await.unwrap();
    let whoami = client.whoami().await.unwrap();
    Seen {
        created,
        page,
        blob,
        session_user: session["user"].clone(),
        whoami,
    }
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("hacktron-recording-{}-{name}.json", std::process::id()))
}

/// The replay's base URL: nothing listens on port 1.
const NOWHERE: &str = "http://127.0.0.1:1";

#[tokio::test]
async fn recorded_once_then_replayed_without_the_server() {
    let base = server().await;
    let path = temp("replayed");
    let recorder = Recorder::new(live(), &path, rules(&base));
    let recorded = scenario(&client(&base, KEY, recorder.clone())).await;
    assert_eq!(recorded.whoami["key"], KEY, "the live answer is handed on whole");
    assert_eq!(recorded.blob, b"\x00\x01\xfe\xff blob");

    let text = std::fs::read_to_string(&path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "hacktron-recording/1");
    let exchanges = file["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), 5);
    let create = &exchanges[0];
    assert_eq!(create["request"]["method"], "POST");
    assert_eq!(create["request"]["url"], "http://{{host}}/v1/things");
    assert_eq!(create["request"]["headers"]["x-shop-key"], "REDACTED-x-shop-key");
    assert_eq!(create["request"]["body"]["json"], json!({"name": "lamp", "price": 12}));
    assert_eq!(create["response"]["status"], 201);
    assert_eq!(create["response"]["body"]["json"]["created"], "REDACTED-created");
    assert!(create["response"]["headers"].get("date").is_none(), "volatile: dropped");
    assert!(create["response"]["headers"].get("x-request-id").is_none());
    assert_eq!(exchanges[1]["request"]["url"], "http://{{host}}/v1/things?page=1");
    assert_eq!(exchanges[2]["response"]["body"]["base64"], "AAH+/yBibG9i");
    let session = &exchanges[3]["response"];
    assert_eq!(session["body"]["json"]["token"], "REDACTED-token");
    assert_eq!(session["headers"]["set-cookie"], "REDACTED-set-cookie");
    // The server echoes the key; the echo is redacted too.
    assert_eq!(exchanges[4]["response"]["body"]["json"]["key"], "REDACTED-x-shop-key");
    assert!(!text.contains(KEY));
    assert!(
        !text.contains("tok-") && !text.contains("sid-") && !text.contains("req-"),
        "{text}"
    );
    assert!(!text.contains(base.trim_start_matches("http://")));
    // It follows from the body, whose length a redaction changes.
    assert!(!text.contains("content-length"));
    // Bodies pretty-printed, with sorted keys.
    assert!(
        text.contains("\"json\": {\n            \"name\": \"lamp\",\n            \"price\": 12\n"),
        "{text}"
    );

    // Replayed: no server (port 1), another key, the same answers.
    let replayer = Replayer::open(&path, rules(NOWHERE)).unwrap();
    let replayed = scenario(&client(NOWHERE, "another-key-of-the-test", replayer.clone())).await;
    replayer.finish().unwrap();
    assert_eq!(replayed.page, recorded.page);
    assert_eq!(replayed.blob, recorded.blob);
    assert_eq!(replayed.session_user, "ann");
    assert_eq!(replayed.created["created"], "REDACTED-created");
    assert_eq!(replayed.created["tags"], json!(["b", "a"]), "arrays keep their order");
    // The echo of the key answers with the key the replay sent.
    assert_eq!(
        replayed.whoami,
        json!({"key": "another-key-of-the-test", "user": "ann"})
    );
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn recorded_twice_the_file_is_the_same_byte_for_byte() {
    let mut files = Vec::new();
    for run in 0..2 {
        // Another server each time: another port, tokens, dates, ids.
        let base = server().await;
        let path = temp(&format!("stable-{run}"));
        let recorder = Recorder::new(live(), &path, rules(&base));
        scenario(&client(&base, &format!("{KEY}-{run}"), recorder.clone())).await;
        recorder.save().unwrap();
        files.push(std::fs::read_to_string(&path).unwrap());
        std::fs::remove_file(&path).unwrap();
    }
    assert_eq!(files[0], files[1]);
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/example.json");
    if std::env::var_os("RECORD").is_some() {
        std::fs::write(&example, &files[0]).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&example).unwrap(),
        files[0],
        "the committed example is what the recorder writes; RECORD=1 writes it again"
    );
}

#[tokio::test]
async fn the_committed_example_replays() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/example.json");
    let replayer = Replayer::open(&example, rules(NOWHERE)).unwrap();
    let tape = Tape::Replay(replayer);
    let seen = scenario(&client(NOWHERE, KEY, tape.clone())).await;
    tape.finish().unwrap();
    assert_eq!(seen.page["next"], "/v1/things?page=2");
    assert_eq!(seen.whoami["key"], KEY);
}

/// A recording of the scenario, made once for the mismatch tests.
async fn recording(name: &str) -> PathBuf {
    let base = server().await;
    let path = temp(name);
    scenario(&client(&base, KEY, Recorder::new(live(), &path, rules(&base)))).await;
    path
}

#[tokio::test]
async fn a_request_that_differs_says_what_differed_and_never_shows_the_key() {
    let path = recording("mismatch").await;
    let replayer = Replayer::open(&path, rules(NOWHERE)).unwrap();
    let client = client(NOWHERE, KEY, replayer.clone());

    let e = client.create(&json!({"name": "desk", "price": 12})).await.unwrap_err();
    let expected = format!(
        "could not connect to the recorded server: request 1 of {}: POST /v1/things; body differs at /name: expected \"lamp\", got \"desk\"",
        path.display()
    );
    assert_eq!(e.to_string(), expected);
    let ApiError::Call(hacktron_runtime::Error::Connect { cause, .. }) = &e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(
            cause.downcast_ref::<RecordingError>(),
            Some(RecordingError::Mismatch { index: 1, .. })
        ),
        "{cause:?}"
    );
    // The typed error is the transport's cause, and what `finish` reports.
    let Err(RecordingError::Mismatch { index, differences, .. }) = replayer.finish() else {
        panic!("a mismatch is remembered")
    };
    assert_eq!(index, 1);
    assert_eq!(differences[1], "body differs at /name: expected \"lamp\", got \"desk\"");

    // A mismatch does not move on: the right request still gets its answer.
    client.create(&json!({"name": "lamp", "price": 12})).await.unwrap();
    let e = client.list(3).await.unwrap_err();
    assert!(
        e.to_string().ends_with(
            "request 2 of {}: expected GET /v1/things?page=1, got GET /v1/things?page=3"
                .replace("{}", &path.display().to_string())
                .as_str()
        ),
        "{e}"
    );

    // The key left out: a header missing, whose value is never shown.
    let e = client.list_without_key(1).await.unwrap_err();
    let message = e.to_string();
    assert!(
        message.contains("header `x-shop-key`: expected \"REDACTED-x-shop-key\", got none"),
        "{message}"
    );

    for shown in [
        message,
        format!("{e:?}"),
        format!("{replayer:?}"),
        format!("{:?}", replayer.finish()),
    ] {
        assert!(!shown.contains(KEY), "{shown}");
    }
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn unused_exchanges_and_requests_past_the_end_are_errors() {
    let path = recording("unused").await;
    let replayer = Replayer::open(&path, rules(NOWHERE)).unwrap();
    let client = client(NOWHERE, KEY, replayer.clone());
    client.create(&json!({"name": "lamp", "price": 12})).await.unwrap();
    let e = replayer.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: 4 of 5 recorded exchanges were not replayed, the first: request 2, GET /v1/things?page=1",
            path.display()
        )
    );
    let panic = std::panic::catch_unwind(|| replayer.assert_done()).unwrap_err();
    assert_eq!(panic.downcast_ref::<String>(), Some(&e.to_string()));

    client.list(1).await.unwrap();
    client.blob().await.unwrap();
    client.session().await.unwrap();
    client.whoami().await.unwrap();
    replayer.finish().unwrap();
    let e = client.whoami().await.unwrap_err();
    assert!(
        e.to_string().ends_with(
            "request 6 of {}: GET /v1/whoami, but the recording ends before it"
                .replace("{}", &path.display().to_string())
                .as_str()
        ),
        "{e}"
    );
    std::fs::remove_file(&path).unwrap();
}

/// An API whose key is a query parameter.
enum Maps {}
impl Service for Maps {
    type Error = ApiError;
    const NAME: &'static str = "Maps";
    const AUTH: Auth = Auth::Query { name: "api_key" };
    const USER_AGENT: &'static str = "maps-test/1";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}
struct MapsKey;
impl KeyKind for MapsKey {
    type Service = Maps;
}
trait MapsApi {
    #[endpoint(GET, "/v1/things", scope = shop)]
    async fn things(&self, #[query] page: u32) -> Result<Value, ApiError>;
}
impl MapsApi for Client<MapsKey> {}

#[tokio::test]
async fn a_key_in_the_query_is_redacted_by_the_services_rules_and_matches_any_key() {
    let base = server().await;
    let path = temp("query-key");
    let rules = |base: &str| Rules::for_service::<Maps>().placeholder("host", base.trim_start_matches("http://"));
    let maps = |base: &str, key: &str, transport: Tape| {
        Client::<MapsKey>::builder(key)
            .base_url(base)
            .transport(transport)
            .build()
            .unwrap()
    };
    let tape = Tape::Record(Recorder::new(live(), &path, rules(&base)));
    assert_eq!(maps(&base, KEY, tape.clone()).things(1).await.unwrap()["page"], 1);
    tape.finish().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(r#""url": "http://{{host}}/v1/things?page=1&api_key=REDACTED-api_key""#),
        "{text}"
    );
    assert!(!text.contains(KEY));

    let tape = Tape::Replay(Replayer::open(&path, rules(NOWHERE)).unwrap());
    assert_eq!(
        maps(NOWHERE, "any-other-key", tape.clone()).things(1).await.unwrap()["page"],
        1
    );
    tape.finish().unwrap();
    std::fs::remove_file(&path).unwrap();
}

//! What goes on the wire: path segments, query strings, headers, the JSON
//! body, the API key, and what the client refuses to send at all. Each test
//! talks real HTTP to the recording server in `support` and asserts on the
//! raw request it read.

mod support;

use hacktron::CallError;
use hacktron::scope::{public, read, write};
use std::time::Duration;

use hacktron::scope::KeyKind;
use hacktron::{ByteStream, Client, Error, KeyError, NoKey, ReadOnly, ReadWrite, Response, StatusCode, endpoint};
use serde::Serialize;
use serde_json::Value;
use support::server::{KEY, KEY_SECRET_PART, Reply, TestServer, dead_port_url};

#[derive(Debug, Default, Serialize)]
struct Filter {
    severity: Option<String>,
    page: Option<u32>,
    state: Option<String>,
}

#[derive(Debug, Serialize)]
struct NewThing {
    name: String,
    tags: Vec<String>,
    note: Option<String>,
    limits: Limits,
}

#[derive(Debug, Serialize)]
struct Limits {
    max: u32,
    ratio: f64,
}

// One attempt per call: these tests are about what a single request looks
// like; retries are another concern with their own tests.
trait Things {
    #[endpoint(GET, "/things/{id}", scope = read, retry = never)]
    async fn get_thing(&self, id: &str) -> Result<Value, Error>;

    #[endpoint(GET, "/orgs/{org}/things/{id}/history", scope = read, retry = never)]
    async fn thing_history(&self, org: &str, id: &str) -> Result<Value, Error>;

    #[endpoint(GET, "/things", scope = read, retry = never)]
    async fn list_things(
        &self,
        #[query] limit: Option<u32>,
        #[query] cursor: Option<&str>,
        #[query("wait_seconds")] wait: u32,
        #[query(flatten)] filter: &Filter,
    ) -> Result<Value, Error>;

    #[endpoint(GET, "/search", scope = read, retry = never)]
    async fn search(&self, #[query] q: Option<&str>, #[query(flatten)] filter: &Filter) -> Result<Value, Error>;

    #[endpoint(POST, "/things", scope = write, retry = never)]
    async fn create_thing(
        &self,
        #[body] body: &NewThing,
        #[header("X-Request-Id")] request_id: &str,
        #[header("X-Trace")] trace: Option<&str>,
    ) -> Result<Response<Value>, Error>;

    #[endpoint(GET, "/health", scope = public, retry = never)]
    async fn health(&self) -> Result<Value, Error>;

    #[endpoint(GET, "/export", scope = read, retry = never)]
    async fn export(&self) -> Result<ByteStream, Error>;
}

impl<K: KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

async fn ok_server() -> TestServer {
    TestServer::always(Reply::json(200, "{}")).await
}

fn client(base_url: &str) -> Client<ReadWrite> {
    Client::builder(KEY)
        .base_url(base_url)
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap()
}

fn new_thing() -> NewThing {
    NewThing {
        name: "Crème \"brûlée\" / 🍮\n".into(),
        tags: vec!["a".into(), "b<c>".into()],
        note: None,
        limits: Limits { max: 7, ratio: 0.5 },
    }
}

// --- path segments -----------------------------------------------------------

#[tokio::test]
async fn path_values_arrive_as_one_encoded_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("x/../y", "x%2F..%2Fy"),
        ("v1..2", "v1..2"),
        ("...", "..."),
        ("what?now", "what%3Fnow"),
        ("tag#1", "tag%231"),
        ("two words", "two%20words"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        ("café-ü", "caf%C3%A9-%C3%BC"),
        ("plain-id_1.2~x", "plain-id_1.2~x"),
    ];
    let server = ok_server().await;
    let c = client(&server.base_url());
    for (value, _) in cases {
        c.get_thing(value).await.unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
    let seen = server.requests();
    assert_eq!(seen.len(), cases.len());
    for ((value, encoded), request) in cases.iter().zip(&seen) {
        assert_eq!(
            request.request_line,
            format!("GET /v1/things/{encoded} HTTP/1.1"),
            "value {value:?}"
        );
    }
}

#[tokio::test]
async fn each_placeholder_is_its_own_segment_between_literals() {
    let server = ok_server().await;
    client(&server.base_url())
        .thing_history("acme/corp", "a b?")
        .await
        .unwrap();
    assert_eq!(
        server.only_request().target,
        "/v1/orgs/acme%2Fcorp/things/a%20b%3F/history"
    );
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_refused_before_any_request() {
    let server = ok_server().await;
    let c = client(&server.base_url());
    for bad in ["..", ".", ""] {
        let err = c.get_thing(bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::Call(CallError::InvalidArgument { name: "id", .. })),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("`id`"), "{err}");
        let err = c.thing_history("acme", bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::Call(CallError::InvalidArgument { name: "id", .. })),
            "{bad:?}: {err:?}"
        );
        let err = c.thing_history(bad, "t-1").await.unwrap_err();
        assert!(
            matches!(&err, Error::Call(CallError::InvalidArgument { name: "org", .. })),
            "{bad:?}: {err:?}"
        );
    }
    assert!(
        server.requests().is_empty(),
        "refused calls reached the server: {:#?}",
        server.requests()
    );
    // The server was reachable all along.
    c.get_thing("fine").await.unwrap();
    assert_eq!(server.only_request().target, "/v1/things/fine");
}

// --- query strings -----------------------------------------------------------

#[tokio::test]
async fn query_sends_some_omits_none_renames_and_flattens() {
    let server = ok_server().await;
    let c = client(&server.base_url());
    let filter = Filter {
        severity: Some("high".into()),
        page: None,
        state: Some("open & shut".into()),
    };
    c.list_things(Some(5), None, 30, &filter).await.unwrap();
    c.list_things(None, Some("a b&c=d/é"), 0, &Filter::default())
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(
        seen[0].target,
        "/v1/things?limit=5&wait_seconds=30&severity=high&state=open+%26+shut"
    );
    assert_eq!(seen[1].target, "/v1/things?cursor=a+b%26c%3Dd%2F%C3%A9&wait_seconds=0");
}

#[tokio::test]
async fn all_none_query_sends_no_question_mark() {
    let server = ok_server().await;
    client(&server.base_url())
        .search(None, &Filter::default())
        .await
        .unwrap();
    assert_eq!(server.only_request().request_line, "GET /v1/search HTTP/1.1");
}

// --- headers and body ----------------------------------------------------------

#[tokio::test]
async fn declared_headers_are_sent_and_none_headers_omitted() {
    let server = TestServer::always(Reply::json(201, "{}")).await;
    let c = client(&server.base_url());
    c.create_thing(&new_thing(), "req-42", None).await.unwrap();
    c.create_thing(&new_thing(), "req-43", Some("trace-9")).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].header("X-Request-Id"), Some("req-42"));
    assert_eq!(seen[0].header("X-Trace"), None);
    assert_eq!(seen[1].header("X-Request-Id"), Some("req-43"));
    assert_eq!(seen[1].header("X-Trace"), Some("trace-9"));
}

#[tokio::test]
async fn every_request_names_the_sdk_and_accepts_json() {
    let server = ok_server().await;
    let c = client(&server.base_url());
    c.get_thing("t").await.unwrap();
    let request = server.only_request();
    let agent = request.header("User-Agent").expect("a User-Agent");
    assert_eq!(agent, format!("hacktron-rs/{}", env!("CARGO_PKG_VERSION")));
    assert_eq!(request.header("Accept"), Some("application/json"));
    // A GET carries neither a body nor a body type.
    assert_eq!(request.header("Content-Type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn json_body_is_sent_byte_for_byte_with_its_type() {
    let server = TestServer::always(Reply::json(201, "{}")).await;
    let body = new_thing();
    client(&server.base_url())
        .create_thing(&body, "req-1", None)
        .await
        .unwrap();
    let request = server.only_request();
    let expected = serde_json::to_vec(&body).unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1/things");
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(
        request.header("Content-Length"),
        Some(expected.len().to_string().as_str())
    );
    assert_eq!(
        request.body,
        expected,
        "sent {}",
        String::from_utf8_lossy(&request.body)
    );
    assert_eq!(
        request.header("User-Agent").map(|a| a.starts_with("hacktron-rs/")),
        Some(true)
    );
    assert_eq!(request.header("Accept"), Some("application/json"));
}

// --- the API key -------------------------------------------------------------

#[tokio::test]
async fn key_is_sent_whole_on_read_and_write_endpoints() {
    let server = TestServer::always(Reply::json(200, "{}")).await;
    let c = client(&server.base_url());
    c.get_thing("t").await.unwrap();
    c.create_thing(&new_thing(), "r", None).await.unwrap();
    let read_only = hacktron::ClientBuilder::<ReadOnly>::new(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    read_only.get_thing("t").await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    for request in &seen {
        assert_eq!(request.header_all("X-Api-Key"), [KEY], "{}", request.request_line);
    }
}

#[tokio::test]
async fn key_is_not_sent_on_public_endpoints() {
    let server = ok_server().await;
    client(&server.base_url()).health().await.unwrap();
    let anonymous: Client<NoKey> = Client::<NoKey>::public().base_url(server.base_url()).build().unwrap();
    anonymous.health().await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert_eq!(request.target, "/v1/health");
        assert!(
            request.header_all("X-Api-Key").is_empty(),
            "public endpoint sent a key: {:?}",
            request.headers
        );
        assert!(
            !request.headers.iter().any(|(_, v)| v.contains(KEY_SECRET_PART)),
            "the key leaked into another header: {:?}",
            request.headers
        );
    }
}

#[tokio::test]
async fn malformed_keys_are_refused_by_build_before_any_request() {
    let server = ok_server().await;
    let cases = [
        ("sk_123", KeyError::Prefix),
        ("hacktron_abc", KeyError::TooShort { len: 12 }),
        ("hacktron_abcdefgh ij", KeyError::InvalidCharacter { at: 17 }),
    ];
    for (key, expected) in cases {
        let err = Client::builder(key).base_url(server.base_url()).build().unwrap_err();
        match &err {
            Error::InvalidKey(got) => assert_eq!(*got, expected, "{key:?}"),
            other => panic!("{key:?}: expected InvalidKey, got {other:?}"),
        }
        assert!(
            !format!("{err} {err:?}").contains(key),
            "the refused key is echoed: {err}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn plain_http_to_a_non_loopback_host_is_refused() {
    for url in ["http://api.example.com/v1", "http://10.0.0.5:8080/v1"] {
        let err = Client::builder(KEY).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::Call(CallError::Config(_))), "{url}: {err:?}");
        assert!(!format!("{err} {err:?}").contains(KEY_SECRET_PART));
    }
    for url in [
        "http://127.0.0.1:9/v1",
        "http://localhost:9/v1",
        "http://[::1]:9/v1",
        "https://api.example.com/v1",
    ] {
        assert!(Client::builder(KEY).base_url(url).build().is_ok(), "{url} refused");
    }
    assert!(
        Client::builder(KEY)
            .base_url("http://api.example.com/v1")
            .allow_http(true)
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn key_never_shows_in_debug_or_in_errors() {
    let server = TestServer::start(|r| match r.target.as_str() {
        "/v1/things/unauthorized" => Reply::json(
            401,
            r#"{"statusCode":401,"message":"Invalid API key","error":"Unauthorized"}"#,
        ),
        "/v1/things/html" => Reply::html(200, "<html>not json</html>"),
        "/v1/things/stall" => Reply::stall(),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let c = Client::builder(KEY)
        .base_url(server.base_url())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let builder = Client::builder(KEY).base_url(server.base_url());
    let mut shown = vec![format!("{c:?}"), format!("{c:#?}"), format!("{builder:?}")];

    let mut errors = vec![
        c.get_thing("unauthorized").await.unwrap_err(),
        c.get_thing("html").await.unwrap_err(),
        c.get_thing("stall").await.unwrap_err(),
        c.get_thing("..").await.unwrap_err(),
        client(&dead_port_url().await).get_thing("x").await.unwrap_err(),
        Client::builder(KEY)
            .base_url("http://example.com/v1")
            .build()
            .unwrap_err(),
        Client::builder(format!("{KEY} ")).build().unwrap_err(),
    ];
    assert!(matches!(errors[0], Error::Unauthorized { .. }), "{:?}", errors[0]);
    assert!(
        matches!(errors[1], Error::Call(CallError::Decode { .. })),
        "{:?}",
        errors[1]
    );
    assert!(
        matches!(errors[2], Error::Call(CallError::Timeout { .. })),
        "{:?}",
        errors[2]
    );
    assert!(
        matches!(errors[3], Error::Call(CallError::InvalidArgument { .. })),
        "{:?}",
        errors[3]
    );
    assert!(
        matches!(errors[4], Error::Call(CallError::Connect { .. })),
        "{:?}",
        errors[4]
    );
    assert!(
        matches!(errors[5], Error::Call(CallError::Config(_))),
        "{:?}",
        errors[5]
    );
    assert!(matches!(errors[6], Error::InvalidKey(_)), "{:?}", errors[6]);
    // The key did reach the server on the keyed calls: the test is not vacuous.
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| r.header("X-Api-Key") == Some(KEY)));

    for err in errors.drain(..) {
        shown.extend([err.to_string(), format!("{err:?}"), format!("{err:#?}")]);
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            shown.extend([s.to_string(), format!("{s:?}")]);
            source = s.source();
        }
    }
    for text in &shown {
        assert!(
            !text.contains(KEY_SECRET_PART),
            "the key's secret part shows in: {text}"
        );
    }
    // Debug says which key is in use by its documented non-secret prefix.
    assert!(shown[0].contains("hacktron_3s9"), "{}", shown[0]);
}

// --- what a call returns besides the value -------------------------------------

#[tokio::test]
async fn response_wrapper_gives_status_and_headers() {
    let server = TestServer::always(
        Reply::json(201, r#"{"id":"abc"}"#)
            .header("Location", "/v1/things/abc")
            .header("X-Request-Id", "srv-1"),
    )
    .await;
    let created = client(&server.base_url())
        .create_thing(&new_thing(), "req-1", None)
        .await
        .unwrap();
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.headers["location"], "/v1/things/abc");
    assert_eq!(created.headers["x-request-id"], "srv-1");
    assert_eq!(created["id"], "abc");
    assert_eq!(created.into_inner(), serde_json::json!({"id": "abc"}));
}

#[tokio::test]
async fn byte_stream_copies_a_multi_chunk_body_whole() {
    let body: Vec<u8> = (0..200 * 1024u32).map(|i| (i % 251) as u8).collect();
    let server = TestServer::always(
        Reply::status(200)
            .header("Content-Type", "text/csv")
            .header("Content-Disposition", "attachment; filename=\"findings.csv\"")
            .body(&body)
            .chunked(5, Duration::from_millis(30)),
    )
    .await;
    // The body is far above this limit: streams are not held in memory.
    let c = Client::builder(KEY)
        .base_url(server.base_url())
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let stream = c.export().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/csv");
    assert_eq!(
        stream.headers()["content-disposition"],
        "attachment; filename=\"findings.csv\""
    );
    let mut out = Vec::new();
    let written = stream.copy_to(&mut out).await.unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(out.len(), body.len());
    assert!(out == body, "the streamed bytes differ from what was sent");
}

#[tokio::test]
async fn a_redirect_elsewhere_is_followed_and_the_key_stays_with_the_configured_host() {
    let elsewhere = ok_server().await;
    let target = format!("{}/things/x", elsewhere.base_url());
    let server = TestServer::always(Reply::status(307).header("Location", &target)).await;
    client(&server.base_url()).get_thing("x").await.unwrap();
    assert_eq!(server.only_request().header("X-Api-Key"), Some(KEY));
    assert_eq!(elsewhere.only_request().header("X-Api-Key"), None);
}

/// The canned transport answers in order, repeats its last reply, and
/// records what was sent: a unit test of a caller needs nothing else.
#[tokio::test]
async fn the_canned_transport_answers_in_order_and_records_requests() {
    use hacktron::transport::Canned;
    let canned = Canned::json(200, r#"{"repos":[],"errors":[]}"#).then_json(
        404,
        r#"{"statusCode":404,"message":"Finding not found","error":"Not Found"}"#,
    );
    let seen = canned.requests();
    let client = Client::builder(support::server::KEY).transport(canned).build().unwrap();
    use hacktron::prelude::*;
    client.list_repos().await.unwrap();
    let e = client.get_finding("f-1").await.unwrap_err();
    assert!(matches!(e, Error::FindingNotFound { .. }), "{e:?}");
    let e = client.get_finding("f-2").await.unwrap_err();
    assert!(
        matches!(e, Error::FindingNotFound { .. }),
        "the last reply repeats: {e:?}"
    );
    let seen = seen.lock().unwrap();
    let paths: Vec<&str> = seen.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v1/repos", "/v1/findings/f-1", "/v1/findings/f-2"]);
    assert!(seen[0].headers["x-api-key"].is_sensitive());
}

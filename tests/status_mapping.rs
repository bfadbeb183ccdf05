//! How responses become values and errors: every documented status, both
//! error body shapes, the documented failure modes, and what proxies, broken
//! bodies and the network can do. Each test talks real HTTP to the scripted
//! server in `support`.

mod support;

use hacktron::CallError;
use hacktron::ErrorDetails as _;
use hacktron::scope::{read, write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hacktron::scope::KeyKind;
use hacktron::{ByteStream, Client, Error, ReadWrite, Response, StatusCode, endpoint};
use serde::{Deserialize, Serialize};
use support::server::{KEY, Reply, TestServer, dead_port_url};

#[derive(Debug, PartialEq, Deserialize)]
struct Thing {
    id: String,
    count: u32,
}

#[derive(Debug, Serialize)]
struct NewThing {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Listing {
    #[allow(dead_code)]
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    count: u32,
}

// One attempt per call: these tests are about what a single response maps
// to; retries are another concern with their own tests.
trait Calls {
    #[endpoint(GET, "/things/{id}", scope = read, retry = never)]
    async fn get_thing(&self, id: &str) -> Result<Thing, Error>;

    #[endpoint(POST, "/things", scope = write, retry = never)]
    async fn create_thing(&self, #[body] new: &NewThing) -> Result<Response<Thing>, Error>;

    #[endpoint(DELETE, "/things/{id}", scope = write, retry = never)]
    async fn delete_thing(&self, id: &str) -> Result<(), Error>;

    #[endpoint(GET, "/listing", scope = read, retry = never)]
    async fn listing(&self) -> Result<Listing, Error>;

    #[endpoint(GET, "/export", scope = read, retry = never)]
    async fn export(&self) -> Result<ByteStream, Error>;
}

impl<K: KeyKind<Service = hacktron::Hacktron>> Calls for Client<K> {}

/// A keyed client for `server`, with a timeout that bounds every test.
fn client(base_url: &str) -> Client<ReadWrite> {
    Client::builder(KEY)
        .base_url(base_url)
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap()
}

/// The error a `GET /things/x` gets when the server answers `reply`.
async fn error_for(reply: Reply) -> Error {
    let server = TestServer::always(reply).await;
    let err = client(&server.base_url())
        .get_thing("x")
        .await
        .expect_err("a non-success status must be an error");
    assert_eq!(server.only_request().target, "/v1/things/x");
    err
}

/// The documented error body with `message` as given (a JSON value).
fn error_body(status: u16, message: &str, error: &str) -> String {
    format!(r#"{{"statusCode":{status},"message":{message},"error":"{error}"}}"#)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

// --- success statuses -------------------------------------------------------

#[tokio::test]
async fn status_200_decodes_the_json_body() {
    let server = TestServer::always(Reply::json(200, r#"{"id":"t-1","count":3,"extra":"ignored"}"#)).await;
    let thing = client(&server.base_url()).get_thing("t-1").await.unwrap();
    assert_eq!(
        thing,
        Thing {
            id: "t-1".into(),
            count: 3
        }
    );
    assert_eq!(server.only_request().method, "GET");
}

#[tokio::test]
async fn status_201_decodes_the_json_body_and_reports_201() {
    let server =
        TestServer::always(Reply::json(201, r#"{"id":"new","count":0}"#).header("Location", "/v1/things/new")).await;
    let created = client(&server.base_url())
        .create_thing(&NewThing { name: "n".into() })
        .await
        .unwrap();
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.headers["location"], "/v1/things/new");
    assert_eq!(
        created.value,
        Thing {
            id: "new".into(),
            count: 0
        }
    );
    assert_eq!(server.only_request().method, "POST");
}

#[tokio::test]
async fn status_204_is_unit() {
    let server = TestServer::always(Reply::status(204)).await;
    let result: Result<(), Error> = client(&server.base_url()).delete_thing("t-1").await;
    assert!(result.is_ok(), "{result:?}");
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", "/v1/things/t-1")
    );
}

// --- documented error statuses ---------------------------------------------

#[tokio::test]
async fn each_documented_error_status_maps_to_its_variant() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, &str, &str, Check, bool); 8] = [
        (
            400,
            "At least one repository is required",
            "Bad Request",
            |e| matches!(e, Error::BadRequest { .. }),
            false,
        ),
        (
            401,
            "Invalid API key",
            "Unauthorized",
            |e| matches!(e, Error::Unauthorized { .. }),
            false,
        ),
        (
            402,
            "Payment Required",
            "Payment Required",
            |e| matches!(e, Error::PaymentRequired { .. }),
            false,
        ),
        (
            403,
            "Forbidden resource",
            "Forbidden",
            |e| matches!(e, Error::Forbidden { .. }),
            false,
        ),
        (
            404,
            "Scan not found",
            "Not Found",
            |e| matches!(e, Error::NotFound { .. }),
            false,
        ),
        (
            409,
            "Maximum number of active API keys reached",
            "Conflict",
            |e| matches!(e, Error::Conflict { .. }),
            false,
        ),
        (
            429,
            "ThrottlerException: Too Many Requests",
            "Too Many Requests",
            |e| matches!(e, Error::RateLimited { .. }),
            true,
        ),
        (
            500,
            "Internal server error",
            "Internal Server Error",
            |e| matches!(e, Error::Server { .. }),
            true,
        ),
    ];
    for (status, message, error, is_variant, retryable) in cases {
        let body = error_body(status, &json_str(message), error);
        let err = error_for(Reply::json(status, &body).header("X-Trace-Id", "trace-1")).await;
        assert!(is_variant(&err), "{status} mapped to {err:?}");
        assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()), "{status}");
        assert_eq!(err.messages(), [message], "{status}");
        assert_eq!(err.body(), Some(body.as_bytes()), "{status}");
        assert_eq!(err.is_retryable(), retryable, "{status}");
        let response = err.response().expect("a status error keeps its response");
        assert_eq!(response.error(), Some(error), "{status}");
        assert_eq!(response.headers["x-trace-id"], "trace-1", "{status}");
        assert!(!response.truncated, "{status}");
        assert!(
            err.to_string().contains(message),
            "{status}: `{err}` lacks the server's message"
        );
    }
}

#[tokio::test]
async fn status_429_takes_retry_after_in_seconds() {
    let body = r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}"#;
    let err = error_for(Reply::json(429, body).header("Retry-After", "7")).await;
    match &err {
        Error::RateLimited { retry_after, .. } => assert_eq!(*retry_after, Some(Duration::from_secs(7))),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("7s"), "{text}");
    assert!(text.contains("ThrottlerException: Too Many Requests"), "{text}");
}

#[tokio::test]
async fn status_429_takes_retry_after_as_an_http_date() {
    // Self-check of the date formatter against RFC 9110's example.
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );

    let body = r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}"#;
    let at = http_date(SystemTime::now() + Duration::from_secs(120));
    let err = error_for(Reply::json(429, body).header("Retry-After", &at)).await;
    let Error::RateLimited {
        retry_after: Some(wait),
        ..
    } = err
    else {
        panic!("expected RateLimited with a delay, got {err:?}")
    };
    assert!(
        (Duration::from_secs(115)..=Duration::from_secs(120)).contains(&wait),
        "Retry-After {at} gave {wait:?}"
    );

    // A date already past means: retry now.
    let err = error_for(Reply::json(429, body).header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")).await;
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: Some(Duration::ZERO),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn status_429_without_retry_after_has_none() {
    let err = error_for(Reply::json(
        429,
        r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}"#,
    ))
    .await;
    assert!(matches!(err, Error::RateLimited { retry_after: None, .. }), "{err:?}");
}

// --- error body shapes -------------------------------------------------------

#[tokio::test]
async fn message_as_a_string_is_kept() {
    let err = error_for(Reply::json(
        400,
        error_body(400, r#""At least one repository is required""#, "Bad Request"),
    ))
    .await;
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(err.messages(), ["At least one repository is required"]);
}

#[tokio::test]
async fn message_as_an_array_of_strings_keeps_every_message() {
    let messages = r#"["repos must contain at least 1 elements","cost_estimation_id must be a UUID"]"#;
    let err = error_for(Reply::json(400, error_body(400, messages, "Bad Request"))).await;
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(
        err.messages(),
        [
            "repos must contain at least 1 elements",
            "cost_estimation_id must be a UUID"
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("repos must contain at least 1 elements") && text.contains("cost_estimation_id must be a UUID"),
        "{text}"
    );
}

#[tokio::test]
async fn message_as_an_array_of_objects_keeps_every_constraint() {
    let messages = r#"[
        {"property":"repos","constraints":{"arrayMinSize":"repos must contain at least 1 elements","isArray":"repos must be an array"}},
        {"property":"cost_estimation_id","constraints":{"isUuid":"cost_estimation_id must be a UUID"}}
    ]"#;
    let err = error_for(Reply::json(400, error_body(400, messages, "Bad Request"))).await;
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(
        err.messages(),
        [
            "repos must contain at least 1 elements",
            "repos must be an array",
            "cost_estimation_id must be a UUID"
        ]
    );
    let text = err.to_string();
    for m in err.messages() {
        assert!(text.contains(m.as_str()), "`{text}` lacks `{m}`");
    }
}

// --- documented failure modes ------------------------------------------------

/// The error for a documented failure-mode `message` sent with `status`;
/// checks what every failure mode shares: status, message, `Display`.
async fn failure_mode(status: u16, message: &str) -> Error {
    let err = error_for(Reply::json(status, error_body(status, &json_str(message), "Error"))).await;
    assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()));
    assert_eq!(err.messages(), [message]);
    let text = err.to_string();
    assert!(
        text.contains(message),
        "`{text}` lacks the server's message `{message}`"
    );
    err
}

#[tokio::test]
async fn failure_mode_session_token() {
    let err = failure_mode(401, "This endpoint requires API key authentication (X-Api-Key header)").await;
    assert!(matches!(err, Error::SessionToken { .. }), "{err:?}");
}

#[tokio::test]
async fn failure_mode_backend_route() {
    let err = failure_mode(
        401,
        "API key authentication is only supported on /api/v1/rest/ endpoints",
    )
    .await;
    assert!(matches!(err, Error::BackendRoute { .. }), "{err:?}");
}

#[tokio::test]
async fn failure_mode_missing_scope_names_the_scope() {
    let err = failure_mode(403, "API key missing required scope: write").await;
    assert!(
        matches!(&err, Error::MissingScope { scope, .. } if scope == "write"),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn failure_mode_insufficient_credits() {
    let err = failure_mode(402, "Insufficient credits to start this scan").await;
    assert!(matches!(err, Error::InsufficientCredits { .. }), "{err:?}");
}

#[tokio::test]
async fn failure_mode_cost_estimation_required() {
    let err = failure_mode(400, "cost_estimation_id is required for pentest scans").await;
    assert!(matches!(err, Error::CostEstimationRequired { .. }), "{err:?}");
}

#[tokio::test]
async fn failure_mode_cost_estimation_not_ready() {
    let err = failure_mode(400, "Cost estimation is not ready").await;
    assert!(matches!(err, Error::CostEstimationNotReady { .. }), "{err:?}");
}

#[tokio::test]
async fn failure_mode_not_in_estimation_names_the_repository() {
    let err = failure_mode(
        400,
        "Repository or archive https://github.com/acme/api was not included in the cost estimation",
    )
    .await;
    assert!(
        matches!(&err, Error::NotInEstimation { repository, .. } if repository == "https://github.com/acme/api"),
        "{err:?}"
    );
    let err = failure_mode(
        400,
        "Repository or archive acme-src.zip was not included in the cost estimation",
    )
    .await;
    assert!(
        matches!(&err, Error::NotInEstimation { repository, .. } if repository == "acme-src.zip"),
        "{err:?}"
    );
}

#[tokio::test]
async fn failure_mode_branch_mismatch_names_the_branch() {
    let err = failure_mode(400, "Branch feature/login does not match the cost estimation branch").await;
    assert!(
        matches!(&err, Error::BranchMismatch { branch, .. } if branch == "feature/login"),
        "{err:?}"
    );
}

#[tokio::test]
async fn failure_mode_finding_not_found() {
    let err = failure_mode(404, "Finding not found").await;
    assert!(matches!(err, Error::FindingNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn messages_that_only_resemble_a_failure_mode_map_by_status() {
    for message in [
        "Repository or archive acme-src.zip was deleted",
        "Branch protection is enabled",
        "API key missing",
        "Finding not found in scan",
    ] {
        let err = error_for(Reply::json(400, error_body(400, &json_str(message), "Bad Request"))).await;
        assert!(matches!(err, Error::BadRequest { .. }), "`{message}` mapped to {err:?}");
    }
}

// --- what proxies, broken bodies and the network do -------------------------

#[tokio::test]
async fn proxy_html_502_is_unexpected_status_keeping_the_page() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let err = error_for(Reply::html(502, page)).await;
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(err.body(), Some(page.as_bytes()));
    assert!(err.messages().is_empty());
    assert_eq!(
        err.response().unwrap().headers["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(err.is_retryable());
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn html_page_with_200_for_a_json_endpoint_is_decode() {
    let page = "<!doctype html><html><body>Welcome to the captive portal</body></html>";
    let err = client(&TestServer::always(Reply::html(200, page)).await.base_url())
        .get_thing("x")
        .await
        .unwrap_err();
    match &err {
        Error::Call(CallError::Decode { status, body, .. }) => {
            assert_eq!(*status, StatusCode::OK);
            assert!(err.to_string().contains("body starts with: <!doctype html>"), "{err}");
            assert_eq!(&body[..], page.as_bytes());
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.body(), Some(page.as_bytes()));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn empty_200_body_for_a_struct_is_decode() {
    let server = TestServer::always(Reply::status(200).header("Content-Type", "application/json")).await;
    let err = client(&server.base_url()).get_thing("x").await.unwrap_err();
    match &err {
        Error::Call(CallError::Decode { status, path, body, .. }) => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(path, ".");
            assert!(body.is_empty());
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_body_is_a_transport_error() {
    // Declares 100 bytes, sends 22, closes: the body ends early.
    let partial = r#"{"id":"t-1","count":3"#;
    let server = TestServer::always(Reply::json(200, partial).content_length(100)).await;
    let err = client(&server.base_url()).get_thing("x").await.unwrap_err();
    assert!(
        matches!(err, Error::Call(CallError::Transport { .. })),
        "expected Transport, got {err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn wrong_typed_nested_field_is_decode_naming_the_field() {
    let body = r#"{"items":[{"name":"a","count":1},{"name":"b","count":"two"}]}"#;
    let server = TestServer::always(Reply::json(200, body)).await;
    let err = client(&server.base_url()).listing().await.unwrap_err();
    match &err {
        Error::Call(CallError::Decode { path, message, .. }) => {
            assert_eq!(path, "items[1].count");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("items[1].count"), "{err}");
}

#[tokio::test]
async fn oversized_success_body_is_body_too_large() {
    let body = format!(r#"{{"id":"{}","count":1}}"#, "x".repeat(4000));
    let server = TestServer::always(Reply::json(200, &body)).await;
    let small = Client::builder(KEY)
        .base_url(server.base_url())
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let err = small.get_thing("x").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Call(CallError::BodyTooLarge {
                status: StatusCode::OK,
                limit: 1024,
                attempts: 1,
            })
        ),
        "expected BodyTooLarge, got {err:?}"
    );
}

#[tokio::test]
async fn success_body_of_exactly_the_limit_is_accepted() {
    let body = r#"{"id":"t-1","count":3}"#;
    let server = TestServer::always(Reply::json(200, body)).await;
    let exact = Client::builder(KEY)
        .base_url(server.base_url())
        .max_body_bytes(body.len())
        .build()
        .unwrap();
    assert_eq!(
        exact.get_thing("x").await.unwrap(),
        Thing {
            id: "t-1".into(),
            count: 3
        }
    );
}

#[tokio::test]
async fn oversized_error_body_is_kept_truncated() {
    let body: Vec<u8> = (0..100 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    let err = error_for(Reply::status(500).header("Content-Type", "text/plain").body(&body)).await;
    assert!(matches!(err, Error::Server { .. }), "{err:?}");
    let response = err.response().unwrap();
    assert!(response.truncated);
    assert_eq!(response.body.len(), 64 * 1024);
    assert_eq!(&response.body[..], &body[..64 * 1024]);
}

#[tokio::test]
async fn error_body_of_exactly_64_kib_is_not_truncated() {
    let body = vec![b'z'; 64 * 1024];
    let err = error_for(Reply::status(500).body(&body)).await;
    let response = err.response().unwrap();
    assert!(!response.truncated);
    assert_eq!(response.body.len(), body.len());
}

#[tokio::test]
async fn unknown_status_418_is_unexpected_status_kept_whole() {
    let err = error_for(
        Reply::status(418)
            .header("X-Teapot", "short and stout")
            .body("I'm a teapot"),
    )
    .await;
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::IM_A_TEAPOT));
    assert_eq!(err.body(), Some(&b"I'm a teapot"[..]));
    assert_eq!(err.response().unwrap().headers["x-teapot"], "short and stout");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("I'm a teapot"), "{err}");
}

#[tokio::test]
async fn unknown_status_503_is_unexpected_status_and_retryable() {
    let err = error_for(
        Reply::status(503)
            .header("Retry-After", "30")
            .header("Content-Type", "text/plain")
            .body("maintenance"),
    )
    .await;
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.body(), Some(&b"maintenance"[..]));
    assert_eq!(err.response().unwrap().headers["retry-after"], "30");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn streaming_endpoint_with_an_error_status_is_still_classified() {
    let server = TestServer::always(Reply::json(404, error_body(404, r#""Scan not found""#, "Not Found"))).await;
    let err = client(&server.base_url()).export().await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(err.messages(), ["Scan not found"]);
}

#[tokio::test]
async fn connection_refused_is_connect() {
    let err = client(&dead_port_url().await).get_thing("x").await.unwrap_err();
    assert!(
        matches!(err, Error::Call(CallError::Connect { .. })),
        "expected Connect, got {err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn closed_without_an_answer_is_transport() {
    let server = TestServer::always(Reply::close()).await;
    let err = client(&server.base_url()).get_thing("x").await.unwrap_err();
    assert!(
        matches!(err, Error::Call(CallError::Transport { .. })),
        "expected Transport, got {err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(
        server.requests().len(),
        1,
        "the request reached the server before it hung up"
    );
}

#[tokio::test]
async fn stalled_server_times_out() {
    let server = TestServer::always(Reply::stall()).await;
    let quick = Client::builder(KEY)
        .base_url(server.base_url())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = quick.get_thing("x").await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(err, Error::Call(CallError::Timeout { after, .. }) if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(5),
        "took {took:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn body_stalling_after_the_headers_times_out() {
    let body = r#"{"id":"t-1","count":3}"#;
    let server = TestServer::always(Reply::json(200, body).stall_after_body_bytes(5)).await;
    let quick = Client::builder(KEY)
        .base_url(server.base_url())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), quick.get_thing("x")).await;
    let err = result
        .expect("a stalled body must not hang past the client timeout")
        .unwrap_err();
    assert!(matches!(err, Error::Call(CallError::Timeout { .. })), "{err:?}");
}

#[tokio::test]
async fn streaming_body_outlasting_the_timeout_is_not_cut_while_chunks_keep_coming() {
    // Six chunks 300 ms apart: 1.5 s in total, never 1 s without data. The
    // documented timeout bounds the wait for the headers, not a download.
    let body: Vec<u8> = (0..6 * 1024u32).map(|i| (i % 251) as u8).collect();
    let server = TestServer::always(Reply::status(200).body(&body).chunked(6, Duration::from_millis(300))).await;
    let quick = Client::builder(KEY)
        .base_url(server.base_url())
        .timeout(Some(Duration::from_secs(1)))
        .build()
        .unwrap();
    let started = Instant::now();
    let stream = quick.export().await.unwrap();
    let mut out = Vec::new();
    stream
        .copy_to(&mut out)
        .await
        .expect("a body that keeps arriving must not time out");
    assert!(
        started.elapsed() > Duration::from_secs(1),
        "the download did not outlast the timeout"
    );
    assert!(out == body);
}

#[tokio::test]
async fn error_status_with_a_cut_body_keeps_its_status_and_headers() {
    let partial = r#"{"statusCode":429,"message":"Thrott"#;
    let err = error_for(Reply::json(429, partial).header("Retry-After", "7").content_length(200)).await;
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7)),
        "a received 429 must stay a 429 whatever happens to its body: {err:?}"
    );
    let response = err.response().unwrap();
    assert!(response.truncated, "a body that ended early is marked truncated");
    assert!(
        partial.as_bytes().starts_with(&response.body),
        "kept body is not a prefix of what was sent: {:?}",
        response.body
    );
}

// --- helpers -----------------------------------------------------------------

/// `t` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(t: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let secs = t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (hour, minute, second) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {hour:02}:{minute:02}:{second:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize]
    )
}

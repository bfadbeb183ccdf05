//! httpbin's API, from a real httpbin 0.10.2 (PyPI) or from what it
//! answered once.
//!
//! - `HTTPBIN_URL` set (by `examples/real-apis/run.sh`): against that server
//!   on 127.0.0.1; with `RECORD=1` too, each test records its exchanges into
//!   `tests/recordings/<test>.json` (committed), else into a scratch
//!   directory.
//! - Not set (`cargo test --workspace`): each test replays its recording,
//!   with no server and no network. The replay checks that every request is
//!   the one recorded (method, URL, headers, body) and answers with what
//!   httpbin answered.
//!
//! The server's `host:port` is recorded as `{{host}}` (and the same server
//! named `localhost`, another origin, as `{{other}}`); the bearer token is
//! redacted (`Bearer REDACTED-authorization`), also where httpbin echoes it,
//! and a replay answers with the token the test sent.

use std::path::PathBuf;
use std::time::Duration;

use hacktron_runtime::record::{Recorder, Replayer, Rules, Tape};
use hacktron_runtime::scope::Anonymous;
use hacktron_runtime::service::Service;
use hacktron_runtime::transport::{Redirects, ReqwestTransport};
use hacktron_runtime::{ApiError, Client, Conditional, Error, ErrorDetails, RetryPolicy};
use httpbin_sdk::{Bearer, Bin, Filter, HttpBin, Login};

/// The replay's base URL: nothing listens on port 1.
const REPLAY_BASE: &str = "http://127.0.0.1:1";

/// httpbin, live or recorded, for one test.
struct Server {
    /// The base URL the test's clients use.
    base: String,
    /// Their transport: recording what goes to the live server, or replaying.
    tape: Tape,
}

impl Server {
    /// The server for test `name`: live when `HTTPBIN_URL` is set, else the
    /// replay of `tests/recordings/{name}.json`.
    fn new(name: &str) -> Server {
        let live = std::env::var("HTTPBIN_URL").ok();
        let base = live.clone().unwrap_or_else(|| REPLAY_BASE.to_owned());
        let host = base.trim_start_matches("http://");
        let rules = Rules::for_service::<HttpBin>()
            .placeholder("host", host)
            .placeholder("other", &host.replace("127.0.0.1", "localhost"))
            .drop_volatile_headers();
        let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/recordings/{name}.json"));
        let tape = if live.is_some() {
            let path = if std::env::var_os("RECORD").is_some() {
                committed
            } else {
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("httpbin-{name}.json"))
            };
            // A transport that follows no redirect: the client follows each
            // (as it does those a default transport hands back), so that
            // every hop is recorded and a replay checks each of them.
            let transport = ReqwestTransport::with_redirects(
                Duration::from_secs(10),
                Some(Duration::from_secs(30)),
                HttpBin::USER_AGENT,
                Redirects::None,
            )
            .unwrap();
            Tape::Record(Recorder::new(transport, path, rules))
        } else {
            Tape::Replay(Replayer::open(&committed, rules).unwrap())
        };
        Server { base, tape }
    }

    fn live(&self) -> bool {
        self.tape.is_recording()
    }

    /// The same server under another name: `localhost`, another origin.
    fn elsewhere(&self) -> String {
        self.base.replace("127.0.0.1", "localhost")
    }

    fn anonymous(&self) -> Client<Anonymous<HttpBin>> {
        Client::public()
            .base_url(&self.base)
            .retry(RetryPolicy::never())
            .transport(self.tape.clone())
            .build()
            .unwrap()
    }

    fn bearer(&self, token: &str) -> Client<Bearer> {
        Client::<Bearer>::builder(token)
            .base_url(&self.base)
            .retry(RetryPolicy::never())
            .transport(self.tape.clone())
            .build()
            .unwrap()
    }

    /// Asserts that gunicorn's access log (`HTTPBIN_ACCESS_LOG`, one line
    /// per request with its request line as sent) holds `request_line`: the
    /// raw bytes the server got, before any decoding. Live only: a replay
    /// has no server to ask. What a replay checks instead is weaker but
    /// related: the request's URL equals, byte for byte, the one recorded
    /// in the live run where this assertion held.
    fn assert_logged(&self, request_line: &str) {
        if !self.live() {
            return;
        }
        let path = std::env::var("HTTPBIN_ACCESS_LOG").expect("run.sh sets HTTPBIN_ACCESS_LOG beside HTTPBIN_URL");
        // It is written as requests finish, so look a few times.
        for _ in 0..50 {
            if std::fs::read_to_string(&path)
                .unwrap_or_default()
                .contains(request_line)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("httpbin's access log has no {request_line}");
    }

    /// Every recorded exchange was replayed (or the recording is written).
    fn finish(&self) {
        self.tape.finish().unwrap();
    }
}

#[tokio::test]
async fn several_path_segments_and_query_styles_reach_the_server_as_declared() {
    let server = Server::new("query_styles");
    let echo = server
        .anonymous()
        .echo_path(
            "docs/guide v2.md",
            &["bug", "ui"],
            &Filter {
                state: "open",
                page: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(echo.method, "GET");
    server.assert_logged("\"GET /anything/docs/guide%20v2.md?labels=bug,ui&filter%5Bstate%5D=open HTTP/1.1\"");
    assert_eq!(echo.args["labels"], "bug,ui");
    assert_eq!(echo.args["filter[state]"], "open");
    assert!(!echo.args.contains_key("filter[page]"), "{:?}", echo.args);
    assert_eq!(echo.args.len(), 2);
    server.finish();
}

#[tokio::test]
async fn a_single_segment_keeps_its_slash_encoded_and_dot_segments_never_leave() {
    let server = Server::new("segments");
    let client = server.anonymous();
    client.echo_segment("heads/main").await.unwrap();
    // httpbin's own echo decodes `%2F`; the request line shows one segment.
    server.assert_logged("\"GET /anything/heads%2Fmain HTTP/1.1\"");
    let e = client
        .echo_path("docs/../../status/500", &[], &Filter { state: "x", page: None })
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Call(Error::InvalidArgument { name: "path", .. })),
        "{e:?}"
    );
    assert_eq!(e.attempts(), 0, "refused before sending");
    server.finish();
}

#[tokio::test]
async fn form_bodies_json_content_types_and_empty_posts() {
    let server = Server::new("bodies");
    let client = server.anonymous();
    let echo = client
        .post_form(&Login {
            user: "ann",
            password: "a&b=c",
        })
        .await
        .unwrap();
    assert_eq!(echo.form["user"], "ann");
    assert_eq!(echo.form["password"], "a&b=c");
    assert_eq!(echo.headers["Content-Type"], "application/x-www-form-urlencoded");

    let echo = client
        .post_json_as("application/merge-patch+json", &serde_json::json!({"title": "x"}))
        .await
        .unwrap();
    assert_eq!(echo.headers["Content-Type"], "application/merge-patch+json");
    assert_eq!(echo.data, r#"{"title":"x"}"#);

    let echo = client.post_nothing().await.unwrap();
    assert_eq!(echo.headers["Content-Length"], "0");
    assert_eq!(echo.data, "");

    let echo = client.put_bytes("empty", b"").await.unwrap();
    assert_eq!(echo.headers["Content-Length"], "0");
    let echo = client.put_bytes("blob", b"\x00\x01 raw").await.unwrap();
    assert_eq!(echo.headers["Content-Type"], "application/octet-stream");
    assert_eq!(echo.headers["Content-Length"], "6");
    let echo = client.put_text("note.md", None, "# Hello").await.unwrap();
    assert_eq!(echo.headers["Content-Type"], "text/plain; charset=utf-8");
    assert_eq!(echo.data, "# Hello");
    let echo = client
        .put_text("note.md", Some("text/markdown"), "# Hello")
        .await
        .unwrap();
    assert_eq!(echo.headers["Content-Type"], "text/markdown");
    server.finish();
}

#[tokio::test]
async fn service_headers_arrive_once_and_an_argument_overrides_them() {
    let server = Server::new("headers");
    let client = server.anonymous();
    let echo = client.post_nothing().await.unwrap();
    // httpbin joins repeated headers with `,`: one value means sent once.
    assert_eq!(echo.headers["Accept"], "application/vnd.httpbin+json");
    assert_eq!(echo.headers["X-Api-Version"], "2024-01-01");
    assert_eq!(echo.headers["User-Agent"], "httpbin-sdk/0.1");
    let echo = client.echo_accepting("text/plain").await.unwrap();
    assert_eq!(echo.headers["Accept"], "text/plain");
    server.finish();
}

#[tokio::test]
async fn the_token_goes_only_where_the_scope_asks_for_it() {
    let server = Server::new("bearer");
    let client = server.bearer("tok-123");
    let check = client.check_token().await.unwrap();
    assert_eq!(
        check,
        httpbin_sdk::TokenCheck {
            authenticated: true,
            token: "tok-123".into()
        }
    );
    let e = client.check_token_without_sending_it().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(e.response().unwrap().header("www-authenticate"), Some("Bearer"));
    // Optional: sent by a client that has a token, by no other.
    let echo = client.echo_token_if_any().await.unwrap();
    assert_eq!(
        echo.headers.get("Authorization").map(String::as_str),
        Some("Bearer tok-123")
    );
    let echo = server.anonymous().echo_token_if_any().await.unwrap();
    assert_eq!(echo.headers.get("Authorization"), None);
    server.finish();
}

#[tokio::test]
async fn statuses_come_back_typed_with_their_response() {
    let server = Server::new("statuses");
    let client = server.anonymous();
    let e = client.status(418).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(418));
    assert!(e.to_string().starts_with("HTTP 418"), "{e}");
    assert!(!e.is_retryable());
    let e = client.status(503).await.unwrap_err();
    assert!(e.is_retryable());
    client.status(204).await.unwrap();
    server.finish();
}

#[tokio::test]
async fn conditional_requests_get_not_modified_as_an_answer_and_a_failed_precondition_as_an_error() {
    let server = Server::new("conditional");
    let client = server.anonymous();
    let Conditional::Modified(first) = client.versioned("v7", None, None).await.unwrap() else {
        panic!("a first fetch has nothing to compare with")
    };
    assert_eq!(first.status.as_u16(), 200);
    // httpbin sends its ETag unquoted; it is sent back as it came.
    assert_eq!(first.etag(), Some("v7"));
    let again = client.versioned("v7", first.etag(), None).await.unwrap();
    assert!(
        matches!(&again, Conditional::NotModified { headers } if headers["etag"] == "v7"),
        "{again:?}"
    );
    let changed = client.versioned("v8", Some("v7"), None).await.unwrap();
    assert!(changed.modified().is_some());
    let e = client.versioned("v7", None, Some("v6")).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(412));
    server.finish();
}

#[tokio::test]
async fn a_whole_url_is_called_as_given_and_the_token_stays_with_the_services_origins() {
    let server = Server::new("whole_urls");
    let base = &server.base;
    let client = server.bearer("tok-123");
    let echo = client
        .follow(&format!("{base}/anything/next?cursor=abc"), Some(2))
        .await
        .unwrap();
    server.assert_logged("\"GET /anything/next?cursor=abc&page=2 HTTP/1.1\"");
    assert_eq!(echo.headers["Authorization"], "Bearer tok-123");

    // The same server by another name is another origin: no token.
    let elsewhere = server.elsewhere();
    let echo = client
        .follow(&format!("{elsewhere}/anything/other"), None)
        .await
        .unwrap();
    assert!(!echo.headers.contains_key("Authorization"), "{:?}", echo.headers);

    // Unless the client is told it is the service's too.
    let trusting = Client::<Bearer>::builder("tok-123")
        .base_url(base)
        .trust_origin(&elsewhere)
        .transport(server.tape.clone())
        .build()
        .unwrap();
    let echo = trusting
        .follow(&format!("{elsewhere}/anything/other"), None)
        .await
        .unwrap();
    assert_eq!(echo.headers["Authorization"], "Bearer tok-123");

    let e = client.follow("ftp://127.0.0.1/x", None).await.unwrap_err();
    assert!(
        matches!(e, ApiError::Call(Error::InvalidArgument { name: "next", .. })),
        "{e:?}"
    );
    server.finish();
}

#[tokio::test]
async fn redirects_are_followed_and_the_token_is_dropped_on_the_way_to_another_host() {
    // The client follows each redirect (the transport here follows none),
    // so the recording holds every hop: replayed, this checks each request
    // the client made, the token on the same-origin hop and its absence on
    // the way to another host.
    let server = Server::new("redirects");
    let base = &server.base;
    let client = server.bearer("tok-123");
    // Same origin: followed, with the token.
    let echo = client.redirect_to(&format!("{base}/anything/here")).await.unwrap();
    assert!(echo.url.ends_with("/anything/here"), "{}", echo.url);
    assert_eq!(echo.headers["Authorization"], "Bearer tok-123");
    // Another host (the same server by another name): followed, without it.
    let elsewhere = server.elsewhere();
    let echo = client
        .redirect_to(&format!("{elsewhere}/anything/there"))
        .await
        .unwrap();
    assert!(echo.url.starts_with(&elsewhere), "{}", echo.url);
    assert!(!echo.headers.contains_key("Authorization"), "{:?}", echo.headers);
    assert!(
        !echo.headers.contains_key("Referer"),
        "no Referer carries the first URL: {:?}",
        echo.headers
    );
    // Ten hops are followed; the eleventh comes back as the 302 it is.
    client.redirects(9).await.unwrap();
    let e = client.redirects(12).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(302));
    assert!(e.response().unwrap().header("location").is_some());
    server.finish();
}

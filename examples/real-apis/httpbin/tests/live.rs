//! Against a real httpbin on 127.0.0.1 (`HTTPBIN_URL`, set by
//! `examples/real-apis/run.sh`); without it, each test says it was skipped.

use hacktron_runtime::scope::Anonymous;
use hacktron_runtime::{ApiError, Client, Conditional, Error, ErrorDetails, RetryPolicy};
use httpbin_sdk::{Bearer, Bin, Filter, HttpBin, Login};

/// httpbin's base URL, or `None` (and a note) when no server is running.
fn base(test: &str) -> Option<String> {
    let url = std::env::var("HTTPBIN_URL").ok();
    if url.is_none() {
        eprintln!("skipped {test}: HTTPBIN_URL is not set; run examples/real-apis/run.sh");
    }
    url
}

/// Whether gunicorn's access log (`HTTPBIN_ACCESS_LOG`, one line per
/// request with its request line as sent) holds `request_line`: the raw
/// bytes the server got, before any decoding. It is written as requests
/// finish, so look a few times.
fn server_logged(request_line: &str) -> bool {
    let path = std::env::var("HTTPBIN_ACCESS_LOG").expect("run.sh sets HTTPBIN_ACCESS_LOG beside HTTPBIN_URL");
    for _ in 0..50 {
        if std::fs::read_to_string(&path)
            .unwrap_or_default()
            .contains(request_line)
        {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

fn anonymous(base: &str) -> Client<Anonymous<HttpBin>> {
    Client::public()
        .base_url(base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn several_path_segments_and_query_styles_reach_the_server_as_declared() {
    let Some(base) = base("query styles") else { return };
    let echo = anonymous(&base)
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
    assert!(server_logged(
        "\"GET /anything/docs/guide%20v2.md?labels=bug,ui&filter%5Bstate%5D=open HTTP/1.1\""
    ));
    assert_eq!(echo.args["labels"], "bug,ui");
    assert_eq!(echo.args["filter[state]"], "open");
    assert!(!echo.args.contains_key("filter[page]"), "{:?}", echo.args);
    assert_eq!(echo.args.len(), 2);
}

#[tokio::test]
async fn a_single_segment_keeps_its_slash_encoded_and_dot_segments_never_leave() {
    let Some(base) = base("segments") else { return };
    let client = anonymous(&base);
    client.echo_segment("heads/main").await.unwrap();
    // httpbin's own echo decodes `%2F`; the request line shows one segment.
    assert!(server_logged("\"GET /anything/heads%2Fmain HTTP/1.1\""));
    let e = client
        .echo_path("docs/../../status/500", &[], &Filter { state: "x", page: None })
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Call(Error::InvalidArgument { name: "path", .. })),
        "{e:?}"
    );
    assert_eq!(e.attempts(), 0, "refused before sending");
}

#[tokio::test]
async fn form_bodies_json_content_types_and_empty_posts() {
    let Some(base) = base("bodies") else { return };
    let client = anonymous(&base);
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
}

#[tokio::test]
async fn service_headers_arrive_once_and_an_argument_overrides_them() {
    let Some(base) = base("headers") else { return };
    let client = anonymous(&base);
    let echo = client.post_nothing().await.unwrap();
    // httpbin joins repeated headers with `,`: one value means sent once.
    assert_eq!(echo.headers["Accept"], "application/vnd.httpbin+json");
    assert_eq!(echo.headers["X-Api-Version"], "2024-01-01");
    assert_eq!(echo.headers["User-Agent"], "httpbin-sdk/0.1");
    let echo = client.echo_accepting("text/plain").await.unwrap();
    assert_eq!(echo.headers["Accept"], "text/plain");
}

#[tokio::test]
async fn the_token_goes_only_where_the_scope_asks_for_it() {
    let Some(base) = base("bearer") else { return };
    let client = Client::<Bearer>::builder("tok-123")
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
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
    let echo = anonymous(&base).echo_token_if_any().await.unwrap();
    assert_eq!(echo.headers.get("Authorization"), None);
}

#[tokio::test]
async fn statuses_come_back_typed_with_their_response() {
    let Some(base) = base("statuses") else { return };
    let client = anonymous(&base);
    let e = client.status(418).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(418));
    assert!(e.to_string().starts_with("HTTP 418"), "{e}");
    assert!(!e.is_retryable());
    let e = client.status(503).await.unwrap_err();
    assert!(e.is_retryable());
    client.status(204).await.unwrap();
}

#[tokio::test]
async fn conditional_requests_get_not_modified_as_an_answer_and_a_failed_precondition_as_an_error() {
    let Some(base) = base("conditional") else { return };
    let client = anonymous(&base);
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
}

#[tokio::test]
async fn a_whole_url_is_called_as_given_and_the_token_stays_with_the_services_origins() {
    let Some(base) = base("whole URLs") else { return };
    let client = Client::<Bearer>::builder("tok-123")
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let echo = client
        .follow(&format!("{base}/anything/next?cursor=abc"), Some(2))
        .await
        .unwrap();
    assert!(server_logged("\"GET /anything/next?cursor=abc&page=2 HTTP/1.1\""));
    assert_eq!(echo.headers["Authorization"], "Bearer tok-123");

    // The same server by another name is another origin: no token.
    let elsewhere = base.replace("127.0.0.1", "localhost");
    let echo = client
        .follow(&format!("{elsewhere}/anything/other"), None)
        .await
        .unwrap();
    assert!(!echo.headers.contains_key("Authorization"), "{:?}", echo.headers);

    // Unless the client is told it is the service's too.
    let trusting = Client::<Bearer>::builder("tok-123")
        .base_url(&base)
        .trust_origin(&elsewhere)
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
}

#[tokio::test]
async fn redirects_are_followed_and_the_token_is_dropped_on_the_way_to_another_host() {
    let Some(base) = base("redirects") else { return };
    let client = Client::<Bearer>::builder("tok-123")
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    // Same origin: followed, with the token.
    let echo = client.redirect_to(&format!("{base}/anything/here")).await.unwrap();
    assert!(echo.url.ends_with("/anything/here"), "{}", echo.url);
    assert_eq!(echo.headers["Authorization"], "Bearer tok-123");
    // Another host (the same server by another name): followed, without it.
    let elsewhere = base.replace("127.0.0.1", "localhost");
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
}

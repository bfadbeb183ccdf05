//! Hostile query values (and request bodies) over raw HTTP/1.1: every paginated route, and every
//! other route that reads a number from the query, answers a well-formed
//! response (never a dropped connection, never a 5xx) with the documented
//! status and message.

use std::net::SocketAddr;

use hacktron_sandbox::{Config, Sandbox};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `(page - 1) * 15` overflows `u64` for this page (it is `u64::MAX / 15 + 2`).
const OVERFLOWING_PAGE: u64 = 1_229_782_938_247_303_443;

struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One request on a fresh connection (`Connection: close`), read to the end.
/// An empty or cut-off answer is an `Err`, so a handler panic fails the test
/// with the request that caused it.
async fn try_send(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request += &format!("{name}: {value}\r\n");
    }
    request += "\r\n";
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    // A reset connection reads as an error; what arrived before it still counts.
    let _ = stream.read_to_end(&mut raw).await;
    if raw.is_empty() {
        return Err("empty reply (connection closed without a response)".into());
    }
    let raw = String::from_utf8(raw).map_err(|e| format!("non-UTF-8 response: {e}"))?;
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("incomplete response: {raw:?}"))?;
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line: {head:?}"))?;
    Ok(Reply {
        status,
        body: body.to_string(),
    })
}

/// [`try_send`], failing the test on a missing answer or any 5xx.
async fn send(addr: SocketAddr, path: &str, key: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = key.map(|k| ("X-Api-Key", k)).into_iter().collect();
    let reply = try_send(addr, path, &headers)
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    assert!(reply.status < 500, "GET {path}: {} {}", reply.status, reply.body);
    reply
}

fn config() -> Config {
    Config::default().with_real_clock(false).without_rate_limit()
}

/// The documented 400 for field-level validation errors.
fn validation(messages: &[&str]) -> Value {
    json!({ "statusCode": 400, "message": messages, "error": "Bad Request" })
}

/// The routes with `page` + `limit` (and the export routes, which accept and ignore them).
fn page_routes(scan_id: &str) -> Vec<String> {
    vec![
        "/v1/scans".into(),
        "/v1/findings".into(),
        format!("/v1/scans/{scan_id}/findings"),
        "/api/v1/rest/findings".into(),
    ]
}

/// The seeded PR scan of `acme`.
async fn seeded_scan(addr: SocketAddr, key: &str) -> String {
    let scans = send(addr, "/v1/scans", Some(key)).await.json();
    scans["data"][0]["id"].as_str().expect("a seeded scan").to_string()
}

fn join(route: &str, query: &str) -> String {
    format!("{route}?{query}")
}

#[tokio::test]
async fn a_page_past_the_end_is_an_empty_page_however_large() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let scan_id = seeded_scan(addr, &key).await;
    for route in page_routes(&scan_id) {
        let first = send(addr, &route, Some(&key)).await.json();
        let total = first["total"].as_u64().expect("a total");
        assert!(total > 0, "{route}: seeded data expected");
        for (query, page, limit) in [
            (format!("page={OVERFLOWING_PAGE}"), OVERFLOWING_PAGE, 15),
            (format!("page={}", u64::MAX), u64::MAX, 15),
            (format!("page={OVERFLOWING_PAGE}&limit=100"), OVERFLOWING_PAGE, 100),
            (format!("page={}&limit=100", u64::MAX), u64::MAX, 100),
            (format!("page={}&limit=1", u64::MAX), u64::MAX, 1),
            ("page=2".to_string(), 2, 15),
            // Integral numbers in any spelling; above `u64::MAX` the page saturates.
            ("page=1e30".to_string(), u64::MAX, 15),
            ("page=99999999999999999999999".to_string(), u64::MAX, 15),
        ] {
            let path = join(&route, &query);
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            assert_eq!(
                reply.json(),
                json!({ "data": [], "total": total, "page": page, "limit": limit }),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn integral_limits_written_as_floats_are_accepted() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let scan_id = seeded_scan(addr, &key).await;
    for route in page_routes(&scan_id) {
        let all = send(addr, &join(&route, "limit=100"), Some(&key)).await.json();
        let total = all["total"].as_u64().unwrap() as usize;
        for (query, page, limit) in [
            ("limit=1.0", 1, 1),
            ("limit=1e1", 1, 10),
            ("limit=15.0", 1, 15),
            ("limit=1E1", 1, 10),
            ("limit=100.000", 1, 100),
            ("limit=+3", 1, 3),
            ("page=2.0&limit=2.0", 2, 2),
            ("page=1e0&limit=0.1e1", 1, 1),
        ] {
            let path = join(&route, query);
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            let body = reply.json();
            assert_eq!(
                (body["page"].as_u64(), body["limit"].as_u64()),
                (Some(page), Some(limit)),
                "{path}"
            );
            assert_eq!(body["total"].as_u64(), Some(total as u64), "{path}");
            let skip = ((page - 1) * limit) as usize;
            let expected: Vec<&Value> = all["data"]
                .as_array()
                .unwrap()
                .iter()
                .skip(skip)
                .take(limit as usize)
                .collect();
            let got: Vec<&Value> = body["data"].as_array().unwrap().iter().collect();
            assert_eq!(got, expected, "{path}: the page's items");
        }
    }
}

#[tokio::test]
async fn invalid_page_and_limit_get_the_validation_messages() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let scan_id = seeded_scan(addr, &key).await;
    let integer = |name: &str| format!("{name} must be an integer number");
    let at_least_1 = |name: &str| format!("{name} must not be less than 1");
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("limit=1.5", vec![integer("limit")]),
        ("limit=-1.5", vec![integer("limit")]),
        ("limit=abc", vec![integer("limit")]),
        ("limit=", vec![integer("limit")]),
        ("limit=NaN", vec![integer("limit")]),
        ("limit=inf", vec![integer("limit")]),
        ("limit=Infinity", vec![integer("limit")]),
        ("limit=1e400", vec![integer("limit")]),
        ("limit=0", vec![at_least_1("limit")]),
        ("limit=0.0", vec![at_least_1("limit")]),
        ("limit=-1", vec![at_least_1("limit")]),
        ("limit=101", vec!["limit must not be greater than 100".into()]),
        ("limit=1e3", vec!["limit must not be greater than 100".into()]),
        (
            "limit=18446744073709551616",
            vec!["limit must not be greater than 100".into()],
        ),
        ("page=0", vec![at_least_1("page")]),
        ("page=-1", vec![at_least_1("page")]),
        ("page=-1.0", vec![at_least_1("page")]),
        ("page=-18446744073709551616", vec![at_least_1("page")]),
        ("page=abc", vec![integer("page")]),
        ("page=1.5", vec![integer("page")]),
        ("page=0x10", vec![integer("page")]),
        ("page=abc&limit=1.5", vec![integer("page"), integer("limit")]),
    ];
    for route in page_routes(&scan_id) {
        for (query, messages) in &cases {
            let path = join(&route, query);
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.body);
            let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
            assert_eq!(reply.json(), validation(&messages), "{path}");
        }
    }
}

#[tokio::test]
async fn export_routes_accept_and_ignore_page_and_limit() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let scan_id = seeded_scan(addr, &key).await;
    for route in [
        "/v1/findings/export".to_string(),
        format!("/v1/scans/{scan_id}/findings/export"),
    ] {
        let whole = send(addr, &join(&route, "format=json"), Some(&key)).await;
        assert_eq!(whole.status, 200, "{}", whole.body);
        for query in [
            format!("page={}&limit=1.0", u64::MAX),
            format!("page={OVERFLOWING_PAGE}&limit=1e1"),
        ] {
            let path = join(&route, &format!("format=json&{query}"));
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            assert_eq!(reply.json(), whole.json(), "{path}: an export is never paginated");
        }
        for (query, message) in [
            ("page=0", "page must not be less than 1"),
            ("page=-1", "page must not be less than 1"),
            ("page=abc", "page must be an integer number"),
            ("limit=1.5", "limit must be an integer number"),
        ] {
            let path = join(&route, &format!("format=json&{query}"));
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.json(), validation(&[message]), "{path}");
        }
    }
}

#[tokio::test]
async fn offset_paginated_routes_take_any_offset() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let estimate = r#"{"repos":[{"source":"public","repo_url":"https://github.com/acme/webapp","branch":"main"}]}"#;
    for _ in 0..3 {
        let head = format!(
            "POST /v1/cost-estimations HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             X-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            estimate.len()
        );
        let raw = post_raw(addr, &head, estimate.as_bytes(), false).await;
        assert!(raw.starts_with("HTTP/1.1 201"), "{raw}");
    }
    // (route, key, name of the item array, total, max limit)
    let routes = [
        ("/v1/cost-estimations", Some(key.as_str()), "data", 3, 100),
        ("/v1/hfw/osv/feed", None, "results", 4, 500),
    ];
    for (route, key, items, total, max) in routes {
        let all = send(addr, route, key).await.json();
        assert_eq!(all["total"], total, "{route}");
        let all = all[items].as_array().unwrap().clone();
        for (query, expected) in [
            (format!("offset={}", u64::MAX), &all[..0]),
            (format!("offset={OVERFLOWING_PAGE}&limit=1e1"), &all[..0]),
            ("offset=1e30".to_string(), &all[..0]),
            ("offset=0".to_string(), &all[..]),
            ("offset=1.0&limit=1.0".to_string(), &all[1..2]),
            ("offset=1e0&limit=1e1".to_string(), &all[1..]),
            (format!("limit={max}.0"), &all[..]),
        ] {
            let path = join(route, &query);
            let reply = send(addr, &path, key).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            assert_eq!(reply.json()["total"], total, "{path}");
            assert_eq!(reply.json()[items].as_array().unwrap(), expected, "{path}");
        }
        for (query, message) in [
            ("offset=-1".to_string(), "offset must not be less than 0".to_string()),
            ("offset=abc".to_string(), "offset must be an integer number".to_string()),
            ("offset=1.5".to_string(), "offset must be an integer number".to_string()),
            ("limit=1.5".to_string(), "limit must be an integer number".to_string()),
            ("limit=0".to_string(), "limit must not be less than 1".to_string()),
            ("limit=-1".to_string(), "limit must not be less than 1".to_string()),
            (
                format!("limit={}", u64::MAX),
                format!("limit must not be greater than {max}"),
            ),
            (format!("limit={max}.5"), "limit must be an integer number".to_string()),
        ] {
            let path = join(route, &query);
            let reply = send(addr, &path, key).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.body);
            assert_eq!(reply.json(), validation(&[message.as_str()]), "{path}");
        }
        // `page` is not a parameter of offset-paginated routes and is ignored.
        for query in [format!("page={}", u64::MAX), "page=abc".to_string()] {
            let path = join(route, &query);
            assert_eq!(send(addr, &path, key).await.status, 200, "{path}");
        }
    }
}

#[tokio::test]
async fn wait_seconds_is_bounded_and_accepts_integral_floats() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let addr = sandbox.addr();
    for route in ["/v1/hfw/verdict/npm/left-pad", "/v1/hfw/verdict/npm/@scope/pkg"] {
        for query in [
            "wait_seconds=0",
            "wait_seconds=1.0",
            "wait_seconds=6e1",
            "wait_seconds=60",
        ] {
            let path = format!("{route}?version=1.0.0&{query}");
            let reply = send(addr, &path, None).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            assert_eq!(reply.json()["level"], "clean", "{path}");
        }
        for (query, message) in [
            (
                "wait_seconds=61".to_string(),
                "wait_seconds must not be greater than 60",
            ),
            (
                format!("wait_seconds={}", u64::MAX),
                "wait_seconds must not be greater than 60",
            ),
            (
                "wait_seconds=1e30".to_string(),
                "wait_seconds must not be greater than 60",
            ),
            ("wait_seconds=-1".to_string(), "wait_seconds must not be less than 0"),
            ("wait_seconds=1.5".to_string(), "wait_seconds must be an integer number"),
            ("wait_seconds=abc".to_string(), "wait_seconds must be an integer number"),
        ] {
            let path = format!("{route}?version=1.0.0&{query}");
            let reply = send(addr, &path, None).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.body);
            assert_eq!(reply.json(), validation(&[message]), "{path}");
        }
    }
}

#[tokio::test]
async fn malformed_dates_are_rejected_not_fatal() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    // `+€1` / `-€1` / `+1€`: four bytes after the sign that are not four ASCII digits.
    for value in [
        "2026-03-10T12:00%2B%E2%82%AC1",
        "2026-03-10T12:00-%E2%82%AC1",
        "2026-03-10T12:00%2B1%E2%82%AC",
        "2026-03-10T12:00:00.%E2%82%AC",
        "2026-03-10T12:00:00.",
        "%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC",
    ] {
        for name in ["found_since", "found_until"] {
            let path = format!("/v1/findings?{name}={value}");
            let reply = send(addr, &path, Some(&key)).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.body);
            let message = format!("{name} must be a valid ISO 8601 date string");
            assert_eq!(reply.json(), validation(&[message.as_str()]), "{path}");
        }
    }
    let path = "/v1/findings?found_since=2026-03-10T12:00%2B02:00";
    assert_eq!(send(addr, path, Some(&key)).await.status, 200);
}

/// What a keyed route answers without a usable `X-Api-Key`: `401` with the
/// NestJS body; the dashboard-token message is the one `errors.mdx` gives
/// ("This endpoint requires API key authentication (X-Api-Key header)").
#[tokio::test]
async fn requests_without_a_usable_key_get_the_documented_401() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let addr = sandbox.addr();
    let unauthorized = |message: &str| json!({ "statusCode": 401, "message": message, "error": "Unauthorized" });
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[], "Missing API key"),
        (&[("X-Api-Key", "   ")], "Missing API key"),
        (
            &[("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")],
            "This endpoint requires API key authentication (X-Api-Key header)",
        ),
        (
            &[("Authorization", "bearer session-token")],
            "This endpoint requires API key authentication (X-Api-Key header)",
        ),
        (&[("X-Api-Key", "not-a-key")], "Invalid API key"),
        (&[("X-Api-Key", "hacktron_short")], "Invalid API key"),
        (&[("X-Api-Key", "hacktron_000000000000000000000000")], "Invalid API key"),
    ];
    // Authentication comes before validation, so a bad page changes nothing.
    for path in [
        "/v1/scans",
        "/v1/findings?page=18446744073709551615",
        "/v1/scans?page=abc",
    ] {
        for (headers, message) in cases {
            let reply = try_send(addr, path, headers)
                .await
                .unwrap_or_else(|e| panic!("GET {path} {headers:?}: {e}"));
            assert_eq!(reply.status, 401, "{path} {headers:?}");
            assert_eq!(reply.json(), unauthorized(message), "{path} {headers:?}");
        }
    }
    // A key sent alongside a bearer token is what counts.
    let key = sandbox.keys().read_write.clone();
    let both = [("Authorization", "Bearer x"), ("X-Api-Key", key.as_str())];
    let reply = try_send(addr, "/v1/scans", &both).await.unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// A POST of `head` and then `body` bytes on a fresh connection, then (if
/// `then_close`) the end of what this side sends; the raw answer, whatever
/// arrived before the server closed.
async fn post_raw(addr: SocketAddr, head: &str, body: &[u8], then_close: bool) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    if then_close {
        stream.shutdown().await.unwrap();
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    String::from_utf8_lossy(&raw).into_owned()
}

#[tokio::test]
async fn a_body_past_the_limit_is_413_and_a_broken_one_is_400() {
    let sandbox = Sandbox::start_with(config()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let head = |framing: &str| {
        format!(
            "POST /v1/cost-estimations HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             X-Api-Key: {key}\r\nContent-Type: application/json\r\n{framing}\r\n"
        )
    };

    // Over the 1 MiB limit.
    let big = vec![b' '; (1 << 20) + 1];
    let raw = post_raw(addr, &head(&format!("Content-Length: {}\r\n", big.len())), &big, false).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(raw.contains("request entity too large"), "{raw}");

    // Chunked framing that is not hexadecimal.
    let raw = post_raw(
        addr,
        &head("Transfer-Encoding: chunked\r\n"),
        b"zz\r\n{}\r\n0\r\n\r\n",
        false,
    )
    .await;
    assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");
    assert!(raw.contains("request aborted"), "{raw}");

    // A body cut off before its declared length.
    let raw = post_raw(addr, &head("Content-Length: 100\r\n"), b"{\"repos\":", true).await;
    assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");
    assert!(raw.contains("request aborted"), "{raw}");
}

//! Smoke tests over raw HTTP/1.1: the server starts, authenticates, creates
//! resources, rate-limits, and injects faults. The full end-to-end suite goes
//! through the `hacktron` client.

use std::net::SocketAddr;
use std::time::Duration;

use hacktron_sandbox::{Config, Fault, Sandbox};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One request on a fresh connection (`Connection: close`), read to the end.
async fn send(addr: SocketAddr, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(key) = key {
        request += &format!("X-Api-Key: {key}\r\n");
    }
    let body = body.unwrap_or("");
    if !body.is_empty() {
        request += &format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len());
    }
    request += "\r\n";
    request += body;
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let raw = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status: status.parse().expect("numeric status"),
        headers,
        body: body.to_string(),
    }
}

fn manual() -> Config {
    Config::default().with_real_clock(false)
}

#[tokio::test]
async fn starts_and_authenticates() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    assert_eq!(sandbox.base_url(), format!("http://{addr}/v1"));
    let keys = sandbox.keys().clone();
    assert!(keys.read_write.starts_with("hacktron_") && keys.read_write.len() >= 29);
    assert_ne!(keys.read_write, keys.other_org);

    let missing = send(addr, "GET", "/v1/scans", None, None).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.body,
        r#"{"statusCode":401,"message":"Missing API key","error":"Unauthorized"}"#
    );
    let revoked = send(addr, "GET", "/v1/scans", Some(&keys.revoked), None).await;
    assert_eq!(revoked.json()["message"], "API key has been revoked");
    let unknown = send(
        addr,
        "GET",
        "/v1/scans",
        Some("hacktron_000000000000000000000000"),
        None,
    )
    .await;
    assert_eq!(unknown.json()["message"], "Invalid API key");

    let ok = send(addr, "GET", "/v1/scans?limit=1", Some(&keys.read_write), None).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("content-type"), Some("application/json; charset=utf-8"));
    let page = ok.json();
    assert_eq!(
        (page["total"].as_u64(), page["page"].as_u64(), page["limit"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(page["data"][0]["scan_type"], "pr");

    let forbidden = send(addr, "POST", "/v1/cost-estimations", Some(&keys.read_only), Some("{}")).await;
    assert_eq!(
        forbidden.body,
        r#"{"statusCode":403,"message":"API key missing required scope: write","error":"Forbidden"}"#
    );
    let nowhere = send(addr, "GET", "/v1/xyz", Some(&keys.read_write), None).await;
    assert_eq!(
        nowhere.body,
        r#"{"statusCode":404,"message":"Cannot GET /v1/xyz","error":"Not Found"}"#
    );
    let backend = send(addr, "GET", "/api/v1/scans", Some(&keys.read_write), None).await;
    assert_eq!(
        backend.json()["message"],
        "API key authentication is only supported on /api/v1/rest/ endpoints"
    );

    // Dropping the handle shuts the server down.
    drop(sandbox);
    let mut closed = false;
    for _ in 0..50 {
        if TcpStream::connect(addr).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed, "the server still accepts connections after drop");
}

#[tokio::test]
async fn estimation_then_scan_then_findings() {
    let sandbox = Sandbox::start_with(manual()).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_write.clone());
    let estimate = r#"{"repos":[{"source":"connected","repo_url":"https://github.com/acme/webapp","branch":"main"}]}"#;
    let created = send(addr, "POST", "/v1/cost-estimations", Some(&key), Some(estimate)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let estimation = created.json();
    assert_eq!(estimation["status"], "pending");
    let id = estimation["id"].as_str().unwrap().to_string();

    let scan_body = format!(
        r#"{{"cost_estimation_id":"{id}","repos":[{{"url":"https://github.com/acme/webapp","branch":"main"}}]}}"#
    );
    let early = send(addr, "POST", "/v1/scans", Some(&key), Some(&scan_body)).await;
    assert_eq!(early.json()["message"], "Cost estimation is not ready");

    sandbox.advance(Duration::from_secs(2));
    let done = send(addr, "GET", &format!("/v1/cost-estimations/{id}"), Some(&key), None).await;
    assert_eq!(done.json()["status"], "completed");
    assert_eq!(done.json()["total_credits"], 1100); // 500 + 100 × len("webapp")

    sandbox.set_credits("acme", 1099);
    let broke = send(addr, "POST", "/v1/scans", Some(&key), Some(&scan_body)).await;
    assert_eq!(
        broke.body,
        r#"{"statusCode":402,"message":"Insufficient credits to start this scan","error":"Payment Required"}"#
    );
    sandbox.set_credits("acme", 10_000);
    let scan = send(addr, "POST", "/v1/scans", Some(&key), Some(&scan_body)).await;
    assert_eq!(scan.status, 201, "{}", scan.body);
    assert_eq!(sandbox.credits("acme"), Some(10_000 - 1100));
    let again = send(addr, "POST", "/v1/scans", Some(&key), Some(&scan_body)).await;
    assert_eq!(again.status, 409);

    let scan_id = scan.json()["id"].as_str().unwrap().to_string();
    sandbox.advance(Duration::from_secs(3));
    let status = send(addr, "GET", &format!("/v1/scans/{scan_id}/status"), Some(&key), None).await;
    assert_eq!(status.json()["status"], "completed");
    let findings = send(addr, "GET", &format!("/v1/scans/{scan_id}/findings"), Some(&key), None).await;
    assert_eq!(findings.json()["total"], 5);

    let sarif = send(
        addr,
        "GET",
        &format!("/v1/scans/{scan_id}/findings/export?format=sarif"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!(
        sarif.header("content-type"),
        Some("application/sarif+json; charset=utf-8")
    );
    assert_eq!(
        sarif.header("content-disposition"),
        Some(format!("attachment; filename=\"findings-{scan_id}.sarif\"").as_str())
    );
    assert_eq!(sarif.json()["version"], "2.1.0");
    assert_eq!(sarif.json()["runs"][0]["results"].as_array().map(Vec::len), Some(5));

    // Another organization sees none of it.
    let other = sandbox.keys().other_org.clone();
    let finding = findings.json()["data"][0]["id"].as_str().unwrap().to_string();
    let hidden = send(addr, "GET", &format!("/v1/findings/{finding}"), Some(&other), None).await;
    assert_eq!(
        hidden.body,
        r#"{"statusCode":404,"message":"Finding not found","error":"Not Found"}"#
    );
}

#[tokio::test]
async fn rate_limit_uses_a_rolling_window() {
    let config = manual().with_rate_limit(3, Duration::from_secs(60));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let (addr, key) = (sandbox.addr(), sandbox.keys().read_only.clone());
    for _ in 0..3 {
        assert_eq!(send(addr, "GET", "/v1/repos", Some(&key), None).await.status, 200);
    }
    sandbox.advance(Duration::from_secs(20));
    let limited = send(addr, "GET", "/v1/repos", Some(&key), None).await;
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.body,
        r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}"#
    );
    assert_eq!(limited.header("retry-after"), Some("40"));
    // Other keys have their own window.
    let admin = sandbox.keys().admin.clone();
    assert_eq!(send(addr, "GET", "/v1/repos", Some(&admin), None).await.status, 200);
    sandbox.advance(Duration::from_secs(40));
    assert_eq!(send(addr, "GET", "/v1/repos", Some(&key), None).await.status, 200);
}

#[tokio::test]
async fn injected_faults_come_before_routing() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    sandbox.inject(Fault::Status(500), 1);
    sandbox.inject(Fault::Html(502), 1);
    sandbox.inject(Fault::Truncated, 1);
    let error = send(addr, "GET", "/v1/anything", None, None).await;
    assert_eq!(error.status, 500);
    assert_eq!(error.body, r#"{"statusCode":500,"message":"Internal server error"}"#);
    let html = send(addr, "GET", "/v1/scans", None, None).await;
    assert_eq!((html.status, html.header("content-type")), (502, Some("text/html")));
    let truncated = send(addr, "GET", "/v1/scans", None, None).await;
    assert_eq!(truncated.status, 200);
    assert!(serde_json::from_str::<Value>(&truncated.body).is_err());
    assert_eq!(send(addr, "GET", "/v1/scans", None, None).await.status, 401);
}

#[tokio::test]
async fn sandbox_keys_can_be_created_and_revoked() {
    let sandbox = Sandbox::start().await.unwrap();
    let (addr, admin) = (sandbox.addr(), sandbox.keys().admin.clone());
    let created = send(
        addr,
        "POST",
        "/v1/_sandbox/keys",
        Some(&admin),
        Some(r#"{"name":"ci","scopes":["read"]}"#),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let new_key = created.json()["key"].as_str().unwrap().to_string();
    assert_eq!(created.json()["prefix"], &new_key[..12]);
    assert_eq!(
        send(addr, "GET", "/v1/findings", Some(&new_key), None).await.status,
        200
    );

    let listed = send(addr, "GET", "/v1/_sandbox/keys", Some(&admin), None).await;
    assert!(!listed.body.contains(&new_key), "listing must not reveal keys");

    let id = created.json()["id"].as_str().unwrap().to_string();
    let revoked = send(addr, "DELETE", &format!("/v1/_sandbox/keys/{id}"), Some(&admin), None).await;
    assert_eq!((revoked.status, revoked.body.as_str()), (204, ""));
    let after = send(addr, "GET", "/v1/findings", Some(&new_key), None).await;
    assert_eq!(after.json()["message"], "API key has been revoked");
}

//! Uploads and cross-origin redirects, against a real httpbin on 127.0.0.1
//! (`HTTPBIN_URL`, set by `examples/real-apis/run.sh`); without it, each
//! test says it was skipped. Live only: a recording of a 128 MiB upload
//! would prove nothing a replay can check.

use std::io::Write;

use hacktron_runtime::multipart::Multipart;
use hacktron_runtime::scope::{Anonymous, KeyKind};
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{ApiError, Client, ErrorResponse, RetryPolicy, endpoint};
use httpbin_sdk::{Bin, HttpBin};

fn base(test: &str) -> Option<String> {
    let url = std::env::var("HTTPBIN_URL").ok();
    if url.is_none() {
        eprintln!("skipped {test}: HTTPBIN_URL is not set; run examples/real-apis/run.sh");
    }
    url
}

fn anonymous(base: &str) -> Client<Anonymous<HttpBin>> {
    Client::public()
        .base_url(base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A file of `len` bytes of text under the system's temp directory.
fn text_file(name: &str, len: usize) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("httpbin-sdk-{}-{name}", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n";
    let mut left = len;
    while left > 0 {
        let n = left.min(line.len());
        file.write_all(&line[..n]).unwrap();
        left -= n;
    }
    file.flush().unwrap();
    path
}

#[tokio::test]
async fn a_multipart_form_with_a_file_from_disk_reaches_the_server_whole() {
    let Some(base) = base("multipart upload") else { return };
    let path = text_file("report.txt", 3 * 1024 * 1024 + 17);
    let form = Multipart::new()
        .text("kind", "weekly report")
        .file_as("report", &path, "report.txt", "text/plain")
        .unwrap()
        .bytes("note", "short", "note.txt", "text/plain");
    let echo = anonymous(&base).upload(&form).await.unwrap();
    assert_eq!(echo.form["kind"], "weekly report");
    assert!(
        echo.files["report"] == std::fs::read_to_string(&path).unwrap(),
        "the file arrived changed"
    );
    assert_eq!(echo.files["note"], "short");
    assert_eq!(echo.headers["Content-Type"], form.content_type());
    assert_eq!(echo.headers["Content-Length"], form.len().to_string());
    std::fs::remove_file(&path).unwrap();
}

/// The peak resident memory of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_large_file_is_streamed_not_read_into_memory() {
    let Some(base) = base("large upload") else { return };
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped large upload: no /proc to read the peak memory from");
        return;
    }
    let size = 128 * 1024 * 1024;
    let path = text_file("large.bin", size);
    let form = Multipart::new().file("upload", &path).unwrap();
    let before = peak_rss_kib();
    anonymous(&base).upload_for_status(200, &form).await.unwrap();
    let grown = peak_rss_kib().saturating_sub(before);
    println!(
        "uploaded {} MiB; the peak resident memory grew by {grown} KiB",
        size >> 20
    );
    assert!(
        grown < 32 * 1024,
        "the peak memory grew by {grown} KiB for a 128 MiB upload"
    );
    std::fs::remove_file(&path).unwrap();
}

/// httpbin behind a key of its own name, `x-api-key`: no HTTP stack
/// drops such a header on a redirect; the client must.
enum KeyedBin {}
impl Service for KeyedBin {
    type Error = ApiError;
    const NAME: &'static str = "keyed httpbin";
    const AUTH: Auth = Auth::Header {
        name: "x-api-key",
        scheme: None,
    };
    const USER_AGENT: &'static str = "httpbin-sdk-tests/0.1";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}
struct Keyed;
impl KeyKind for Keyed {
    type Service = KeyedBin;
}
hacktron_runtime::scopes! {
    /// Scope `key`: anything with the key.
    key = "key";
    grants {
        Keyed: key;
    }
}

#[derive(serde::Deserialize)]
struct Headers {
    headers: std::collections::BTreeMap<String, String>,
}

trait KeyedApi {
    #[endpoint(GET, "/redirect-to", scope = key)]
    async fn redirect_to(&self, #[query] url: &str) -> Result<Headers, ApiError>;
}
impl KeyedApi for Client<Keyed> {}

#[tokio::test]
async fn a_key_of_the_services_own_header_stays_behind_on_a_redirect_to_another_origin() {
    let Some(base) = base("x-api-key redirects") else {
        return;
    };
    let client = Client::<Keyed>::builder("k3y-s3cr3t").base_url(&base).build().unwrap();
    // Same origin: the key goes along.
    let same = client.redirect_to("/headers").await.unwrap();
    assert_eq!(same.headers.get("X-Api-Key").map(String::as_str), Some("k3y-s3cr3t"));
    // `localhost` is another origin than `127.0.0.1`, the same server.
    let elsewhere = format!("{}/headers", base.replace("127.0.0.1", "localhost"));
    let other = client.redirect_to(&elsewhere).await.unwrap();
    assert_eq!(other.headers.get("X-Api-Key"), None, "{:?}", other.headers);
    assert!(
        other.headers.contains_key("User-Agent"),
        "the request did reach the other origin"
    );
}

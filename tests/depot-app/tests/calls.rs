//! The app crate's endpoints and the SDK's, over real HTTP: a server on
//! 127.0.0.1 records each request and answers as scripted.

use depot_app::{MoreArtifacts, Tag};
use depot_sdk::{Artifacts, CallError, Client, DepotError, Puller, Pusher};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// An HTTP/1.1 response with `status`, `content_type` and `body`.
fn reply(status: &str, content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Serves one request with `reply` (a whole HTTP response) and returns the
/// request's head (request line and headers) as received.
async fn serve_once(reply: String) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if socket.read(&mut byte).await.unwrap() == 0 {
                break;
            }
            head.push(byte[0]);
        }
        socket.write_all(reply.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
        String::from_utf8(head).unwrap()
    });
    (base, task)
}

fn client<K: depot_sdk::scope::KeyKind<Service = depot_sdk::Depot>>(base: &str) -> Client<K> {
    Client::<K>::builder("dp-secret-token-123")
        .base_url(base)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_token_goes_in_the_query_and_repeated_keys_repeat() {
    let (base, seen) = serve_once(reply("200 OK", "application/json", r#"[{"name":"v1"},{"name":"v2"}]"#)).await;
    let tags = client::<Puller>(&base)
        .tags("app.tar", &["stable", "lts"])
        .await
        .unwrap();
    assert_eq!(tags, [Tag { name: "v1".into() }, Tag { name: "v2".into() }]);
    let head = seen.await.unwrap();
    let request_line = head.lines().next().unwrap();
    assert_eq!(
        request_line,
        "GET /api/artifacts/app.tar/tags?label=stable&label=lts&token=dp-secret-token-123 HTTP/1.1"
    );
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("accept: application/json"), "{head}");
    assert!(lower.contains("user-agent: depot-sdk/0.1"), "{head}");
    assert!(
        !lower.contains("x-api-key") && !lower.contains("authorization"),
        "{head}"
    );
}

#[tokio::test]
async fn a_text_endpoint_asks_for_text_and_reads_it() {
    let (base, seen) = serve_once(reply("200 OK", "text/plain", "first cut\r\n")).await;
    let notes = client::<Puller>(&base).notes("app.tar").await.unwrap();
    assert_eq!(notes, "first cut\r\n");
    assert!(seen.await.unwrap().to_ascii_lowercase().contains("accept: text/*"));
}

#[tokio::test]
async fn head_is_sent_as_head() {
    let (base, seen) = serve_once(reply("200 OK", "text/plain", "")).await;
    let response = client::<Puller>(&base).exists("app.tar").await.unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert!(seen.await.unwrap().starts_with("HEAD /api/artifacts/app.tar?token="));
}

#[tokio::test]
async fn the_services_own_errors_come_back_typed_with_the_response() {
    let (base, _seen) = serve_once(reply(
        "507 Insufficient Storage",
        "application/json",
        r#"{"error":{"kind":"quota","message":"10 GiB of 10 GiB"}}"#,
    ))
    .await;
    let err = client::<Pusher>(&base).delete_artifact("app.tar").await.unwrap_err();
    match &err {
        DepotError::OverQuota { message, response } => {
            assert_eq!(message, "10 GiB of 10 GiB");
            assert_eq!(response.status.as_u16(), 507);
            assert_eq!(response.attempts, 1, "a 507 is not retried");
        }
        other => panic!("expected OverQuota, got {other:?}"),
    }
    assert!(err.to_string().contains("over its storage quota"), "{err}");
}

#[tokio::test]
async fn no_default_base_url_is_a_configuration_error() {
    let err = Client::<Puller>::new("dp-secret-token-123").unwrap_err();
    assert!(
        matches!(&err, DepotError::Call(CallError::Config(m)) if m.contains("Depot has no default base URL")),
        "{err:?}"
    );
}

//! A purpose-built HTTP/1.1 server on 127.0.0.1 for the runtime's tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as a server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When it arrived.
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&Server, &Seen) -> (u16, Vec<(String, String)>, String) + Send + Sync>;

/// An HTTP/1.1 server on a random port of 127.0.0.1 that records every
/// request and answers with `handler`.
#[derive(Clone)]
pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub async fn start(
        handler: impl Fn(&Seen) -> (u16, Vec<(String, String)>, String) + Send + Sync + 'static,
    ) -> Self {
        Self::start_at(move |_, seen| handler(seen)).await
    }

    /// [`start`](Self::start), with the server itself handed to `handler`
    /// (for links to its own URL).
    pub async fn start_at(
        handler: impl Fn(&Server, &Seen) -> (u16, Vec<(String, String)>, String) + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let server = Server { url, seen };
        let this = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (handler, this) = (handler.clone(), this.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    loop {
                        let mut chunk = [0u8; 4096];
                        let Ok(n) = socket.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                            continue;
                        };
                        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                        let mut lines = head.lines();
                        let mut first = lines.next().unwrap_or_default().split(' ');
                        let (method, target) = (first.next().unwrap_or_default(), first.next().unwrap_or_default());
                        let headers: Vec<(String, String)> = lines
                            .filter_map(|l| l.split_once(':'))
                            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                            .collect();
                        let length: usize = headers
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                            .and_then(|(_, v)| v.parse().ok())
                            .unwrap_or(0);
                        if buf.len() < end + 4 + length {
                            continue;
                        }
                        let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                        buf.drain(..end + 4 + length);
                        let request = Seen {
                            method: method.to_owned(),
                            target: target.to_owned(),
                            headers,
                            body,
                            at: Instant::now(),
                        };
                        this.seen.lock().unwrap().push(request.clone());
                        let (status, headers, body) = handler(&this, &request);
                        let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                        for (n, v) in headers {
                            out.push_str(&format!("{n}: {v}\r\n"));
                        }
                        out.push_str("\r\n");
                        out.push_str(&body);
                        if socket.write_all(out.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        server
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The path and query of every request, in order.
    pub fn targets(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.target).collect()
    }
}

pub fn json(status: u16, body: &str) -> (u16, Vec<(String, String)>, String) {
    (
        status,
        vec![("content-type".to_owned(), "application/json".to_owned())],
        body.to_owned(),
    )
}

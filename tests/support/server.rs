//! A small, purpose-built HTTP/1.1 server for the behaviour tests.
//!
//! It binds `127.0.0.1` on a random port, records every request it reads
//! (method, raw request target, headers, body) and answers with a scripted
//! [`Reply`]: any status, headers and body; a body shorter than its declared
//! `Content-Length`; a body sent in delayed chunks; or no answer at all
//! (close, or stall forever). One request per connection, always answered
//! with `Connection: close`, so every test sees fresh connections.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// A well-formed key used by the tests. Its secret part (everything after
/// the 12-character prefix) must never show up in any output.
pub const KEY: &str = "hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4";
/// The part of [`KEY`] that is secret.
pub const KEY_SECRET_PART: &str = "K1sP7m2nXvT8YhLq0ZbW4";

/// One request as the server read it off the socket.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The raw request target, exactly as on the request line (`/v1/x?a=b`).
    pub target: String,
    /// The whole request line (`GET /v1/x HTTP/1.1`).
    pub request_line: String,
    /// Every header in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (read by `Content-Length`).
    pub body: Vec<u8>,
}

impl Recorded {
    /// Every value of header `name` (case-insensitive), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The only value of header `name`; `None` when absent, panics when
    /// repeated (a repeated header is a finding of its own).
    pub fn header(&self, name: &str) -> Option<&str> {
        let all = self.header_all(name);
        assert!(all.len() <= 1, "header `{name}` sent {} times: {all:?}", all.len());
        all.first().copied()
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Respond,
    /// Close the connection without writing anything.
    Close,
    /// Keep the connection open and never write anything.
    Stall,
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub struct Reply {
    kind: Kind,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    declared_length: Option<usize>,
    chunks: Option<(usize, Duration)>,
    stall_after: Option<usize>,
}

impl Reply {
    /// A response with `status`, no extra headers and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            kind: Kind::Respond,
            status,
            headers: Vec::new(),
            body: Vec::new(),
            declared_length: None,
            chunks: None,
            stall_after: None,
        }
    }

    /// A response with `status` and a JSON body.
    pub fn json(status: u16, body: impl AsRef<[u8]>) -> Self {
        Reply::status(status)
            .header("Content-Type", "application/json")
            .body(body)
    }

    /// A response with `status` and an HTML body.
    pub fn html(status: u16, body: impl AsRef<[u8]>) -> Self {
        Reply::status(status)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }

    /// Close the connection as soon as the request is read.
    pub fn close() -> Self {
        Reply {
            kind: Kind::Close,
            ..Reply::status(0)
        }
    }

    /// Never answer (the connection stays open until the server is dropped).
    pub fn stall() -> Self {
        Reply {
            kind: Kind::Stall,
            ..Reply::status(0)
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        self.body = body.as_ref().to_vec();
        self
    }

    /// Declares `Content-Length: n` whatever the body's real length; with a
    /// shorter body the connection is closed after it (a truncated body).
    pub fn content_length(mut self, n: usize) -> Self {
        self.declared_length = Some(n);
        self
    }

    /// Sends the body with `Transfer-Encoding: chunked` in `pieces` chunks,
    /// flushing and sleeping `delay` between them.
    pub fn chunked(mut self, pieces: usize, delay: Duration) -> Self {
        self.chunks = Some((pieces.max(1), delay));
        self
    }

    /// Sends the head and the first `n` body bytes, then stalls forever.
    pub fn stall_after_body_bytes(mut self, n: usize) -> Self {
        self.stall_after = Some(n);
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running test server; stops (and drops every open connection) when dropped.
pub struct TestServer {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl TestServer {
    /// Starts a server that answers each request with `handler(&request)`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let tasks: Arc<Mutex<Vec<AbortHandle>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, conns) = (requests.clone(), tasks.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (handler, reqs) = (handler.clone(), reqs.clone());
                let conn = tokio::spawn(async move { serve(stream, &*handler, &reqs).await });
                conns.lock().unwrap().push(conn.abort_handle());
            }
        });
        tasks.lock().unwrap().push(accept.abort_handle());
        TestServer { addr, requests, tasks }
    }

    /// Starts a server that answers every request with `reply`.
    pub async fn always(reply: Reply) -> Self {
        TestServer::start(move |_| reply.clone()).await
    }

    /// `http://127.0.0.1:<port>/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Every request read so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The single request read so far; panics unless there is exactly one.
    pub fn only_request(&self) -> Recorded {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected exactly one request, the server saw: {all:#?}");
        all.into_iter().next().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

/// A port nothing listens on: bound, then released.
pub async fn dead_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/v1")
}

async fn serve(mut stream: TcpStream, handler: &Handler, requests: &Mutex<Vec<Recorded>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = handler(&request);
    requests.lock().unwrap().push(request);
    match reply.kind {
        Kind::Close => {
            let _ = stream.shutdown().await;
        }
        Kind::Stall => {
            // Hold the socket open until the task is aborted.
            let _keep = stream;
            std::future::pending::<()>().await;
        }
        Kind::Respond => {
            // Write errors are expected when the client stops reading early
            // (oversized bodies): it is the client's behaviour under test.
            let _ = respond(&mut stream, &reply).await;
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        assert!(buf.len() < 1 << 20, "request head larger than 1 MiB");
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let mut parts = request_line.splitn(3, ' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Recorded {
        method,
        target,
        request_line,
        headers,
        body,
    })
}

async fn respond(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let reason = hacktron::StatusCode::from_u16(reply.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Status");
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    let has = |name: &str| reply.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let no_body_status = reply.status == 204 || reply.status == 304 || reply.status < 200;
    if reply.chunks.is_some() {
        head.push_str("Transfer-Encoding: chunked\r\n");
    } else if !has("content-length") && !no_body_status {
        head.push_str(&format!(
            "Content-Length: {}\r\n",
            reply.declared_length.unwrap_or(reply.body.len())
        ));
    }
    if !has("connection") {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;

    if let Some(n) = reply.stall_after {
        stream.write_all(&reply.body[..n.min(reply.body.len())]).await?;
        stream.flush().await?;
        std::future::pending::<()>().await;
    }
    match reply.chunks {
        Some((pieces, delay)) => {
            let size = reply.body.len().div_ceil(pieces).max(1);
            for (i, piece) in reply.body.chunks(size).enumerate() {
                if i > 0 {
                    tokio::time::sleep(delay).await;
                }
                stream.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await?;
                stream.write_all(piece).await?;
                stream.write_all(b"\r\n").await?;
                stream.flush().await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        None => stream.write_all(&reply.body).await?,
    }
    stream.flush().await?;
    stream.shutdown().await
}

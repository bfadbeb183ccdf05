//! Shared pieces of the benchmarks: a minimal keep-alive HTTP server on 127.0.0.1, the payloads, and the same
//! two calls (GET with a path parameter and a query, decoding a ~380-byte object; POST with a JSON body) made
//! four ways: through `#[endpoint]`, by hand with reqwest, with raw hyper (the floor) and, behind the
//! `feignhttp` feature, with feignhttp.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};

/// Where the external server listens. Fixed because feignhttp wants its URL as a constant.
pub const ADDR: &str = "127.0.0.1:47311";
/// The base URL every client is given.
pub const BASE: &str = "http://127.0.0.1:47311/v1";
/// A syntactically valid API key.
pub const KEY: &str = "hacktron_benchbenchbenchbench01";

/// The object the GET and POST calls decode (381 bytes of JSON).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    pub tags: Vec<String>,
    pub severity: String,
    pub score: f64,
    pub count: u64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// The POST body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewItem {
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub score: f64,
}

/// The item every call gets back.
pub fn item() -> Item {
    Item {
        id: "3f2b9c1e-7a4d-4e8b-9c2f-1a6d5e8b7c40".into(),
        name: "SQL injection in search endpoint".into(),
        owner: "acme/payments-service".into(),
        description: "User input reaches a raw SQL query through the `q` parameter of /search.".into(),
        tags: vec!["sqli".into(), "owasp-a03".into(), "backend".into()],
        severity: "high".into(),
        score: 8.6,
        count: 42,
        active: true,
        created_at: "2025-11-03T10:15:30.000Z".into(),
        updated_at: "2025-11-04T08:01:12.000Z".into(),
    }
}

/// The POST body every call sends.
pub fn new_item() -> NewItem {
    NewItem {
        name: "Path traversal in export".into(),
        description: "The file name of an export is joined to the base directory unchecked.".into(),
        tags: vec!["path-traversal".into(), "backend".into()],
        score: 7.1,
    }
}

/// The GET/POST response body.
pub fn item_json() -> Bytes {
    Bytes::from(serde_json::to_vec(&item()).unwrap())
}

/// A documented 400 body with an array `message`.
pub const ERROR_400: &[u8] = br#"{"statusCode":400,"message":["limit must not be greater than 100","severity must be one of the following values: critical, high, medium, low, info"],"error":"Bad Request"}"#;

/// The documented error shape, decoded by serde alone (the baseline of the error-path bench).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: u16,
    pub message: Vec<String>,
    pub error: String,
}

/// A page of `n` findings as the API sends it.
pub fn findings_page_json(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 700);
    out.push_str(r#"{"data":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let sev = ["critical", "high", "medium", "low", "info"][i % 5];
        let state = ["open", "resolved", "false_positive"][i % 3];
        let resolved = if i % 3 == 1 {
            r#""2025-10-02T11:00:00.000Z""#
        } else {
            "null"
        };
        out.push_str(&format!(
            r#"{{"id":"6d1f3c2a-0000-4000-8000-{i:012}","title":"Reflected XSS in template rendering #{i}","category":"xss","severity":"{sev}","state":"{state}","description":"User-controlled input from the `name` query parameter is rendered into the HTML template without escaping, allowing script injection.","affected_file":"src/web/templates/profile.rs","affected_code":"format!(\"<h1>{{}}</h1>\", name)","proof_of_concept":"GET /profile?name=<script>alert(1)</script>","tags":["xss","owasp-a03","web"],"scan_id":"9a8b7c6d-1111-4222-8333-444455556666","found_at":"2025-10-01T09:30:00.000Z","updated_at":"2025-10-01T09:30:00.000Z","resolved_at":{resolved}}}"#
        ));
    }
    out.push_str(&format!(r#"],"total":{n},"page":1,"limit":{n}}}"#));
    out.into_bytes()
}

// ---------------------------------------------------------------- server

async fn handle(item: Bytes, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the whole request body so the connection stays reusable.
    let _ = req.into_body().collect().await;
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(item))
        .unwrap())
}

/// Serves every request on `listener` with the item JSON, keep-alive HTTP/1.1, until the process ends.
pub async fn serve(listener: TcpListener) {
    let item = item_json();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let item = item.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(item.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Runs the server in this thread on a current-thread runtime (one core), forever.
pub fn run_server(addr: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = TcpListener::bind(addr).await.expect("bind the bench server address");
        serve(listener).await
    });
}

/// Starts the `bench_server` binary at `bin` as a child process (so the client's CPU is measured alone) and
/// waits until it accepts connections. Killed when the guard drops.
pub struct ServerProcess(std::process::Child);

impl ServerProcess {
    pub fn start(bin: &str) -> Self {
        let child = std::process::Command::new(bin)
            .arg(ADDR)
            .spawn()
            .expect("start bench_server");
        for _ in 0..200 {
            if std::net::TcpStream::connect(ADDR).is_ok() {
                return ServerProcess(child);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        drop(ServerProcess(child));
        panic!("bench_server did not start on {ADDR}");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---------------------------------------------------------------- the generated client

use hacktron::scope::{read, write};

/// The two calls, declared with `#[endpoint]`.
pub trait Items {
    #[hacktron::endpoint(GET, "/items/{id}", scope = read, retry = never)]
    async fn get_item(&self, id: &str, #[query] verbose: bool) -> Result<Item, hacktron::Error>;

    #[hacktron::endpoint(POST, "/items", scope = write, retry = never)]
    async fn create_item(&self, #[body] body: &NewItem) -> Result<Item, hacktron::Error>;
}
impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Items for hacktron::Client<K> {}

/// The generated client, with no retries. It keeps the runtime's default
/// 60 s read timeout and overall deadline, which the hand-written call does
/// not have; `BENCH_NO_DEADLINE=1` drops the deadline (one timer a call) to
/// measure what is left; `BENCH_NO_TIMEOUTS=1` drops the read timeout too, for
/// the same settings as the hand-written call.
pub fn generated_client() -> hacktron::Client<hacktron::ReadWrite> {
    let mut policy = hacktron::RetryPolicy::never();
    if std::env::var_os("BENCH_NO_DEADLINE").is_some() {
        policy = policy.deadline(None);
    }
    let mut builder = hacktron::Client::builder(KEY).base_url(BASE).retry(policy);
    if std::env::var_os("BENCH_NO_TIMEOUTS").is_some() {
        builder = builder.timeout(None).retry(policy.deadline(None));
    }
    builder.build().unwrap()
}

// ---------------------------------------------------------------- hand-written reqwest

/// A reqwest client with the runtime's TLS setup (reqwest's `rustls`: aws-lc-rs); nothing else configured, as
/// the reqwest docs show it.
pub fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// Hand-written GET: format the URL, `.query()`, decode JSON.
pub async fn reqwest_get(client: &reqwest::Client, base: &str, id: &str) -> Result<Item, reqwest::Error> {
    client
        .get(format!("{base}/items/{id}"))
        .query(&[("verbose", true)])
        .header("x-api-key", KEY)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

/// Hand-written POST with `.json()`.
pub async fn reqwest_post(client: &reqwest::Client, base: &str, body: &NewItem) -> Result<Item, reqwest::Error> {
    client
        .post(format!("{base}/items"))
        .header("x-api-key", KEY)
        .json(body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

// ---------------------------------------------------------------- raw hyper, the floor

/// One raw hyper HTTP/1.1 connection.
pub struct HyperConn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
}

impl HyperConn {
    /// Connects to [`ADDR`]; the connection task runs on the current runtime.
    pub async fn connect() -> Self {
        let stream = TcpStream::connect(ADDR).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        HyperConn { sender }
    }

    async fn call(&mut self, req: Request<Full<Bytes>>) -> Item {
        self.sender.ready().await.unwrap();
        let res = self.sender.send_request(req).await.unwrap();
        assert!(res.status().is_success());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&body).unwrap()
    }

    /// GET `/v1/items/{id}?verbose=true` (the id is known to need no escaping).
    pub async fn get(&mut self, id: &str) -> Item {
        let req = Request::get(format!("/v1/items/{id}?verbose=true"))
            .header("host", ADDR)
            .header("x-api-key", KEY)
            .body(Full::new(Bytes::new()))
            .unwrap();
        self.call(req).await
    }

    /// POST `/v1/items` with a JSON body.
    pub async fn post(&mut self, body: &NewItem) -> Item {
        let req = Request::post("/v1/items")
            .header("host", ADDR)
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(serde_json::to_vec(body).unwrap())))
            .unwrap();
        self.call(req).await
    }
}

// ---------------------------------------------------------------- feignhttp, the peer

#[cfg(feature = "feignhttp")]
pub mod feign {
    use super::{Item, NewItem};
    use feignhttp::{get, post};

    #[get(
        url = "http://127.0.0.1:47311/v1/items/{id}",
        headers = "x-api-key: hacktron_benchbenchbenchbench01"
    )]
    pub async fn get_item(#[path] id: &str, #[query] verbose: bool) -> feignhttp::Result<Item> {}

    #[post(
        url = "http://127.0.0.1:47311/v1/items",
        headers = "x-api-key: hacktron_benchbenchbenchbench01"
    )]
    pub async fn create_item(#[body] body: NewItem) -> feignhttp::Result<Item> {}
}

// ---------------------------------------------------------------- one call of each kind, for the harnesses

/// Which client makes the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Generated,
    Reqwest,
    Hyper,
    #[cfg(feature = "feignhttp")]
    Feign,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Generated,
        Kind::Reqwest,
        Kind::Hyper,
        #[cfg(feature = "feignhttp")]
        Kind::Feign,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Generated => "generated",
            Kind::Reqwest => "reqwest",
            Kind::Hyper => "hyper",
            #[cfg(feature = "feignhttp")]
            Kind::Feign => "feignhttp",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == s)
    }
}

/// Everything a caller needs; the hyper connection is per caller, the others are shared (one pool).
#[derive(Clone)]
pub struct Clients {
    pub generated: hacktron::Client<hacktron::ReadWrite>,
    pub reqwest: reqwest::Client,
    pub new_item: Arc<NewItem>,
}

impl Clients {
    pub fn new() -> Self {
        Clients {
            generated: generated_client(),
            reqwest: reqwest_client(),
            new_item: Arc::new(new_item()),
        }
    }
}

impl Default for Clients {
    fn default() -> Self {
        Self::new()
    }
}

/// The GET or the POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Get,
    Post,
}

/// One caller: makes `n` calls of `call` with `kind`, checking each result.
pub async fn caller(kind: Kind, call: Call, clients: Clients, n: u64) {
    let id = "3f2b9c1e-7a4d-4e8b-9c2f-1a6d5e8b7c40";
    match kind {
        Kind::Generated => {
            for _ in 0..n {
                let item = match call {
                    Call::Get => clients.generated.get_item(id, true).await,
                    Call::Post => clients.generated.create_item(&clients.new_item).await,
                };
                std::hint::black_box(item.unwrap());
            }
        }
        Kind::Reqwest => {
            for _ in 0..n {
                let item = match call {
                    Call::Get => reqwest_get(&clients.reqwest, BASE, id).await,
                    Call::Post => reqwest_post(&clients.reqwest, BASE, &clients.new_item).await,
                };
                std::hint::black_box(item.unwrap());
            }
        }
        Kind::Hyper => {
            let mut conn = HyperConn::connect().await;
            for _ in 0..n {
                let item = match call {
                    Call::Get => conn.get(id).await,
                    Call::Post => conn.post(&clients.new_item).await,
                };
                std::hint::black_box(item);
            }
        }
        #[cfg(feature = "feignhttp")]
        Kind::Feign => {
            for _ in 0..n {
                let item = match call {
                    Call::Get => feign::get_item(id, true).await,
                    Call::Post => feign::create_item((*clients.new_item).clone()).await,
                };
                std::hint::black_box(item.unwrap());
            }
        }
    }
}

/// `callers` concurrent callers making `total` calls between them on the current runtime.
pub async fn run(kind: Kind, call: Call, clients: &Clients, callers: u64, total: u64) {
    if callers == 1 {
        return caller(kind, call, clients.clone(), total).await;
    }
    let mut tasks = Vec::with_capacity(callers as usize);
    for i in 0..callers {
        let n = total / callers + u64::from(i < total % callers);
        tasks.push(tokio::spawn(caller(kind, call, clients.clone(), n)));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

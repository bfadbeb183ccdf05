//! Faults that an axum response alone cannot produce: a connection closed
//! without an answer, an answer that comes late, a body that stops midway.
//!
//! Every accepted connection is wrapped in a [`FaultIo`] whose writes a
//! per-connection [`Conn`] switch controls. A middleware in front of the
//! router takes the injected [`Fault`] if it is one of the kinds handled here
//! and, for the wire-level ones, lets the request run (so its effects happen,
//! as when a real server processes a request whose answer is lost), then
//! flips the connection's switch before hyper writes the answer.
//!
//! What each fault does on the wire:
//!
//! * [`Fault::Drop`]: the request is routed and handled as usual, then the
//!   connection is closed before a single byte of the answer is written. The
//!   client sees the connection end with no response at all.
//! * [`Fault::Reset`]: the request is not handled; the connection is
//!   closed with a TCP reset (`SO_LINGER` 0) in place of the answer.
//! * [`Fault::StatusAfterHandling`]: the request is handled, then the
//!   answer is replaced by that status's error response.
//! * [`Fault::StallHeaders`]: the request is handled, then the answer is held
//!   back for the given time before it is sent whole.
//! * [`Fault::StallBody`]: the request is handled, the status line, headers
//!   and the first [`STALL_BODY_BYTES`] bytes of the body are written, then
//!   nothing for the given time, after which the connection is closed.
//! * [`Fault::InvalidUtf8`], [`Fault::WrongContentType`] and
//!   [`Fault::RateLimited`] are ordinary responses in place of the route's
//!   (the request is not handled).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{ApiError, raw_response};
use crate::{Fault, Shared};

/// Bytes of the body [`Fault::StallBody`] lets through before stalling.
pub const STALL_BODY_BYTES: usize = 4;

/// What the next writes on a connection do.
#[derive(Clone, Copy, Debug)]
enum Wire {
    Normal,
    Drop,
    Reset,
    StallBody(Duration),
}

/// The per-connection switch, shared by the connection's [`FaultIo`] and
/// (as connect info) the requests it carries.
#[derive(Clone, Debug)]
pub(crate) struct Conn(Arc<Mutex<Wire>>);

impl Conn {
    fn set(&self, wire: Wire) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = wire;
    }

    fn get(&self) -> Wire {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A TCP listener whose connections are [`FaultIo`]s.
pub(crate) struct FaultListener(pub(crate) TcpListener);

impl Listener for FaultListener {
    type Io = FaultIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (FaultIo, SocketAddr) {
        let (inner, addr) = Listener::accept(&mut self.0).await;
        let conn = Conn(Arc::new(Mutex::new(Wire::Normal)));
        (
            FaultIo {
                inner,
                conn,
                budget: None,
                stall: None,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, FaultListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, FaultListener>) -> Self {
        stream.io().conn.clone()
    }
}

/// A TCP stream whose writes obey its [`Conn`] switch.
pub(crate) struct FaultIo {
    inner: TcpStream,
    conn: Conn,
    /// For `StallBody`: bytes still allowed through (head + a few body bytes).
    budget: Option<usize>,
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

fn aborted(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, format!("sandbox: injected {what}"))
}

impl AsyncRead for FaultIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match this.conn.get() {
            Wire::Normal => Pin::new(&mut this.inner).poll_write(cx, buf),
            Wire::Drop => Poll::Ready(Err(aborted("Fault::Drop"))),
            Wire::Reset => {
                // Closing with linger 0 sends RST, not FIN.
                let _ = this.inner.set_zero_linger();
                Poll::Ready(Err(aborted("Fault::Reset")))
            }
            Wire::StallBody(stall) => {
                let budget = *this.budget.get_or_insert_with(|| {
                    let head = buf
                        .windows(4)
                        .position(|w| w == b"\r\n\r\n")
                        .map_or(buf.len(), |i| i + 4);
                    head + STALL_BODY_BYTES
                });
                if budget > 0 {
                    let n = budget.min(buf.len());
                    let written = ready!(Pin::new(&mut this.inner).poll_write(cx, &buf[..n]))?;
                    this.budget = Some(budget - written);
                    return Poll::Ready(Ok(written));
                }
                let sleep = this.stall.get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
                ready!(sleep.as_mut().poll(cx));
                Poll::Ready(Err(aborted("Fault::StallBody")))
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Wire::Reset = self.conn.get() {
            // No FIN first: the socket's close sends the reset.
            let _ = self.inner.set_zero_linger();
            return Poll::Ready(Err(aborted("Fault::Reset")));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

tokio::task_local! {
    /// Set while a request that already carries a fault is routed, so the
    /// router does not take a second one for it.
    static CARRYING_FAULT: ();
}

/// Whether the current request already carries an injected fault.
pub(crate) fn handling_a_fault() -> bool {
    CARRYING_FAULT.try_with(|_| ()).is_ok()
}

/// Whether `fault` is handled by [`middleware`] rather than by the router.
fn handled_here(fault: &Fault) -> bool {
    matches!(
        fault,
        Fault::Drop
            | Fault::Reset
            | Fault::StatusAfterHandling(_)
            | Fault::StallHeaders(_)
            | Fault::StallBody(_)
            | Fault::InvalidUtf8
            | Fault::WrongContentType
            | Fault::RateLimited { .. }
    )
}

/// Applies the next injected fault if it is one of the kinds above;
/// otherwise the router (which handles the older kinds) runs as usual.
pub(crate) async fn middleware(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let fault = {
        let mut state = shared.lock();
        match state.faults.front() {
            Some((fault, _)) if handled_here(fault) => state.take_fault(),
            _ => None,
        }
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    let conn = request.extensions().get::<ConnectInfo<Conn>>().map(|c| c.0.clone());
    let run = |request| CARRYING_FAULT.scope((), next.run(request));
    match (fault, conn) {
        (Fault::Drop, Some(conn)) => {
            let response = run(request).await;
            conn.set(Wire::Drop);
            response
        }
        (Fault::Reset, Some(conn)) => {
            conn.set(Wire::Reset);
            response(Fault::Reset)
        }
        (Fault::StallBody(stall), Some(conn)) => {
            let response = run(request).await;
            conn.set(Wire::StallBody(stall));
            response
        }
        (Fault::StatusAfterHandling(code), _) => {
            let _handled = run(request).await;
            crate::auth::fault_response(Fault::Status(code))
        }
        (Fault::StallHeaders(stall), _) => {
            let response = run(request).await;
            tokio::time::sleep(stall).await;
            response
        }
        (fault, _) => response(fault),
    }
}

/// The plain response of a fault that needs no connection control. For
/// `Drop` and `StallBody` without a [`Conn`] (never the case when served by
/// [`crate::Sandbox`]), an empty `503`.
pub(crate) fn response(fault: Fault) -> Response {
    match fault {
        Fault::InvalidUtf8 => {
            let mut body = br#"{"data":[{"id":""#.to_vec();
            body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
            body.extend_from_slice(br#""}],"total":1,"limit":20,"offset":0}"#);
            let mut response = Response::new(axum::body::Body::from(body));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response
        }
        Fault::WrongContentType => raw_response(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            r#"{"ok":true,"result":"maintenance"}"#.into(),
        ),
        Fault::RateLimited { retry_after } => {
            let mut response = ApiError::too_many_requests(retry_after.unwrap_or(0)).into_response();
            if retry_after.is_none() {
                response.headers_mut().remove(header::RETRY_AFTER);
            }
            response
        }
        _ => {
            let mut response = Response::new(axum::body::Body::empty());
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response
        }
    }
}

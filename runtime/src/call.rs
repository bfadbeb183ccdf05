//! The attempt loop: one call sent, retried as the policy and the service
//! allow, and its outcome turned into the endpoint's return type.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use tracing::Instrument;

use crate::client::{Client, ErrorOf, Inner, ServiceOf};
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorResponse, MAX_ERROR_BODY, Outcome};
use crate::output::CallOutput;
use crate::response::FromResponse;
use crate::retry::{Attempt, RetryEvent};
use crate::scope::KeyKind;
use crate::service::{Failure, Service};
use crate::transport::{Body, BoxFuture, HttpRequest, HttpResponse};

/// What one attempt can end in, before the service sees it.
enum Failed {
    Call(Error),
    Status(ErrorResponse),
}

impl Failed {
    fn failure(&self) -> Failure<'_> {
        match self {
            Failed::Call(e) => e.failure(),
            Failed::Status(r) => Failure::Response(r),
        }
    }

    fn status(&self) -> Option<http::StatusCode> {
        match self {
            Failed::Call(e) => e.status(),
            Failed::Status(r) => Some(r.status),
        }
    }

    fn outcome(&self) -> Outcome {
        match self {
            Failed::Status(r) => Outcome::Answered(r.status),
            Failed::Call(e) => match e.failure() {
                Failure::Connect => Outcome::NotSent,
                _ => e.status().map_or(Outcome::Unknown, Outcome::Answered),
            },
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Call(e) => e.fmt(f),
            Failed::Status(r) => r.fmt(f),
        }
    }
}

/// The retry loop. The attempt count is recorded here, once, when it ends,
/// and only then does the service turn a response into its error, and the
/// outcome into the endpoint's return type `R`.
///
/// Generated code boxes this future, so its size is paid on every call: an
/// allocator's cache of small blocks (glibc's ends near 1 KiB) makes a
/// smaller box much cheaper. Hence the shape: the request is captured once,
/// by the `async` block, not passed down through `async fn` parameters (each
/// holds a copy for the whole call); an attempt hands it to the transport
/// before its future starts; the decision after an attempt is ordinary code
/// ([`settle`]), so nothing of a failed attempt is kept across the wait.
pub(crate) fn run<'c, K: KeyKind, T: FromResponse + Into<R::Ok>, R: CallOutput<ErrorOf<K>>>(
    client: &'c Client<K>,
    endpoint: &'static Endpoint,
    request: Result<HttpRequest, Error>,
    sends_key: bool,
) -> impl Future<Output = R> + Send + 'c {
    // A call refused before sending (a bad argument) makes no span.
    let span = if request.is_err() {
        tracing::Span::none()
    } else {
        tracing::debug_span!(
            "endpoint.call",
            service = client.inner.service,
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            path = endpoint.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        )
    };
    let mut request = Some(request);
    async move {
        if let Some(Err(_)) = &request
            && let Some(Err(e)) = request.take()
        {
            return R::from_call(Err(e.into()));
        }
        let inner = &*client.inner;
        let start = Instant::now();
        let mut attempt = 0;
        // What the attempts before the current one ended in.
        let mut earlier = Vec::new();
        let result = loop {
            attempt += 1;
            let permit = match &inner.limiter {
                Some(limiter) if sends_key => Some(limiter.acquire().await),
                _ => None,
            };
            // Made in a block of its own: what is borrowed there (the policy,
            // the request's copy) is then not kept in this future's state.
            let sent = {
                let policy = client.retry.for_endpoint(endpoint);
                let Some(this) = next_request(&mut request, attempt >= policy.attempts()) else {
                    // Unreachable: `delay` refuses a retry after the last attempt.
                    break Err(Error::Config("retried past the last attempt".to_owned()).into());
                };
                let left = policy.get_deadline().map(|d| (d, d.saturating_sub(start.elapsed())));
                attempt_once::<T>(inner, endpoint, this, attempt, left)
            };
            let outcome = sent.await;
            drop(permit);
            match settle::<K, T>(client, endpoint, outcome, attempt, start, &mut earlier) {
                Ok(delay) => tokio::time::sleep(delay).await,
                Err(done) => break done,
            }
        };
        R::from_call(result.map(Into::into))
    }
    .instrument(span)
}

/// The request for the next attempt: a copy (cheap: the body is shared)
/// while a retry may follow, so it resends the request intact; the request
/// itself on the `last` attempt. `None` once it was taken.
fn next_request(slot: &mut Option<Result<HttpRequest, Error>>, last: bool) -> Option<HttpRequest> {
    match slot {
        Some(Ok(request)) if !last => Some(request.clone()),
        _ => match slot.take() {
            Some(Ok(request)) => Some(request),
            _ => None,
        },
    }
}

/// What follows attempt number `attempt`: `Ok(delay)` to wait that long and
/// try again, or `Err` with the call's result.
fn settle<K: KeyKind, T>(
    client: &Client<K>,
    endpoint: &'static Endpoint,
    outcome: Result<T, Failed>,
    attempt: u32,
    start: Instant,
    earlier: &mut Vec<Outcome>,
) -> Result<Duration, Result<T, ErrorOf<K>>> {
    let failed = match outcome {
        Ok(value) => {
            tracing::Span::current().record("attempts", attempt);
            return Err(Ok(value));
        }
        Err(f) => f,
    };
    let policy = client.retry.for_endpoint(endpoint);
    let verdict = crate::service::verdict::<ServiceOf<K>>(failed.failure());
    let Some(delay) = policy.delay(endpoint.is_idempotent(), verdict, attempt, start.elapsed()) else {
        tracing::Span::current().record("attempts", attempt);
        // Sent once, not again, and perhaps applied: the service says so.
        let unknown = !endpoint.is_idempotent() && failed.failure().outcome_unknown();
        let error = match failed {
            Failed::Call(mut e) => {
                e.set_attempts(attempt);
                e.into()
            }
            Failed::Status(mut r) => {
                r.attempts = attempt;
                r.endpoint = Some(endpoint);
                r.earlier = std::mem::take(earlier);
                <ServiceOf<K> as Service>::error_from_response(r)
            }
        };
        return Err(Err(if unknown {
            <ServiceOf<K> as Service>::may_have_applied(endpoint, error)
        } else {
            error
        }));
    };
    tracing::warn!(
        attempt,
        status = failed.status().map(|s| s.as_u16()),
        delay_ms = delay.as_millis() as u64,
        error = %failed,
        "retrying"
    );
    let event = RetryEvent {
        endpoint,
        attempt,
        status: failed.status(),
        delay,
        server_asked: verdict.after().is_some(),
    };
    for hook in &client.inner.hooks {
        hook.on_retry(&event);
    }
    earlier.push(failed.outcome());
    Ok(delay)
}

/// One attempt within what is left of the call's deadline (`left`: the
/// deadline and the time left of it), under one timer. Hooks hear of an
/// attempt the deadline cut off too. The request goes to the transport
/// (after the `before_send` hooks) when this is called; the future holds
/// only the transport's.
fn attempt_once<'a, T: FromResponse>(
    inner: &'a Inner,
    endpoint: &'static Endpoint,
    mut request: HttpRequest,
    number: u32,
    left: Option<(Duration, Duration)>,
) -> impl Future<Output = Result<T, Failed>> + Send + 'a {
    if !inner.hooks.is_empty() {
        let before = Attempt {
            endpoint,
            number,
            status: None,
            elapsed: Duration::ZERO,
            cut_off: false,
        };
        for hook in &inner.hooks {
            hook.before_send(&mut request, &before);
        }
    }
    // The clock is read only for hooks, the only ones to see it.
    let sent = (!inner.hooks.is_empty()).then(Instant::now);
    let response = inner.transport.send(request);
    async move {
        let Some((deadline, left)) = left else {
            return answer::<T>(inner, endpoint, response, number, sent, None).await;
        };
        // Set once `after_response` ran, so a cut-off attempt is reported once.
        let reported = AtomicBool::new(false);
        let answered = answer::<T>(inner, endpoint, response, number, sent, Some(&reported));
        match tokio::time::timeout(left, answered).await {
            Ok(result) => result,
            Err(_) => {
                if !inner.hooks.is_empty() && !reported.load(Ordering::Relaxed) {
                    let cut = Attempt {
                        endpoint,
                        number,
                        status: None,
                        elapsed: left,
                        cut_off: true,
                    };
                    for hook in &inner.hooks {
                        hook.after_response(&cut);
                    }
                }
                Err(Failed::Call(Error::Timeout {
                    after: deadline,
                    attempts: number,
                }))
            }
        }
    }
}

/// The rest of one attempt: wait for the answer, then build the value or
/// keep the failure.
// Not an `async fn`: that would keep a second copy of every parameter.
#[allow(clippy::manual_async_fn)]
fn answer<'a, T: FromResponse>(
    inner: &'a Inner,
    endpoint: &'static Endpoint,
    response: BoxFuture<'a, Result<HttpResponse, Error>>,
    number: u32,
    sent: Option<Instant>,
    reported: Option<&'a AtomicBool>,
) -> impl Future<Output = Result<T, Failed>> + Send + 'a {
    async move {
        // Locals that are borrowed stay in the future's state until their
        // scope ends, so the hooks look at the answer in a block of its own.
        let response = {
            let response = response.await;
            if !inner.hooks.is_empty() {
                let after = Attempt {
                    endpoint,
                    number,
                    status: response.as_ref().ok().map(|r| r.status),
                    elapsed: sent.map(|s| s.elapsed()).unwrap_or_default(),
                    cut_off: false,
                };
                for hook in &inner.hooks {
                    hook.after_response(&after);
                }
                if let Some(flag) = reported {
                    flag.store(true, Ordering::Relaxed);
                }
            }
            response
        };
        let response = response.map_err(Failed::Call)?;
        let status = response.status;
        tracing::Span::current().record("status", status.as_u16());
        if status.is_success() || (T::ACCEPTS_NOT_MODIFIED && status == http::StatusCode::NOT_MODIFIED) {
            T::from_response(response, inner.max_body).await.map_err(Failed::Call)
        } else {
            Err(error_response(response).await)
        }
    }
}

/// A non-success response as the service will see it, its body read (up to
/// [`MAX_ERROR_BODY`]).
fn error_response(response: HttpResponse) -> impl Future<Output = Failed> + Send {
    let HttpResponse {
        status,
        headers,
        mut body,
    } = response;
    async move {
        let (bytes, complete) = read_error_body(&mut *body).await;
        Failed::Status(ErrorResponse::new(status, headers, bytes, !complete))
    }
}

/// Reads at most [`MAX_ERROR_BODY`] bytes of an error body. If the body
/// fails midway (cut, stalled), what arrived is kept and marked incomplete:
/// the status and headers already say what happened, and a 429 must stay a
/// 429 with its `Retry-After`.
async fn read_error_body(body: &mut dyn Body) -> (Bytes, bool) {
    let mut buf = BytesMut::new();
    loop {
        match body.next_chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_ERROR_BODY - buf.len();
                if chunk.len() > room {
                    buf.extend_from_slice(&chunk[..room]);
                    return (buf.freeze(), false);
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return (buf.freeze(), true),
            Err(_) => return (buf.freeze(), false),
        }
    }
}

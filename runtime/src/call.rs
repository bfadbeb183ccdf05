//! The attempt loop: one call sent, retried as the policy and the service
//! allow, and its outcome turned into the endpoint's return type.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use tracing::Instrument;

use crate::client::{AuthParts, Client, ErrorOf, Inner, ServiceOf};
use crate::credential::Secret;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorResponse, MAX_ERROR_BODY, Outcome};
use crate::output::CallOutput;
use crate::redirect;
use crate::response::FromResponse;
use crate::retry::{Attempt, RetryEvent};
use crate::scope::KeyKind;
use crate::service::Auth;
use crate::service::{Failure, Service};
use crate::transport::{Body, BoxFuture, HttpRequest, HttpResponse, MAX_REDIRECTS, Redirects};
use http::HeaderValue;

/// What one attempt can end in, before the service sees it.
enum Failed {
    Call(Error),
    Status(ErrorResponse),
    /// A redirect, its body unread, for the call to follow; it becomes a
    /// `Status` when it is not followed.
    Redirect(HttpResponse),
}

impl Failed {
    fn failure(&self) -> Failure<'_> {
        match self {
            Failed::Call(e) => e.failure(),
            Failed::Status(r) => Failure::Response(r),
            Failed::Redirect(_) => Failure::Other,
        }
    }

    fn status(&self) -> Option<http::StatusCode> {
        match self {
            Failed::Call(e) => e.status(),
            Failed::Status(r) => Some(r.status),
            Failed::Redirect(r) => Some(r.status),
        }
    }

    fn outcome(&self) -> Outcome {
        match self {
            Failed::Status(r) => Outcome::Answered(r.status),
            Failed::Redirect(r) => Outcome::Answered(r.status),
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
            Failed::Redirect(r) => write!(f, "HTTP {}: a redirect", r.status),
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
    here: Option<Box<url::Url>>,
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
    // Whether the request has a body: a redirect that would resend it is not
    // followed (see `redirect::fresh`).
    let had_body = request.as_ref().is_ok_and(|r| r.body.is_some() || r.stream.is_some());
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
        // A redirect to follow, in the attempt that got it.
        let mut redirect: Option<Box<HttpResponse>> = None;
        let result = loop {
            // Each step below ends before the next await starts, so that
            // nothing of one attempt is kept across the waits of another:
            // the common call's future stays small.
            let outcome = if let Some(response) = redirect.take() {
                // Going on from a redirect, in the same attempt.
                let (outcome, last) = slow_path::<K, T>(
                    client,
                    endpoint,
                    None,
                    here.as_deref(),
                    Some(*response),
                    had_body,
                    attempt,
                    start,
                    sends_key,
                )
                .await;
                attempt = last;
                outcome
            } else {
                attempt += 1;
                // What the server said of this endpoint's limit first; the
                // static preset where it says nothing.
                let reported = match &inner.server_limits {
                    Some(limits) => match limits.wait(endpoint.name) {
                        (Some((resource, wait)), _) if wait > inner.max_limit_wait => {
                            break Err(Error::RateLimited {
                                resource,
                                reset_in: wait,
                            }
                            .into());
                        }
                        (Some((_, wait)), reported) => {
                            pause(wait).await;
                            reported
                        }
                        (None, reported) => reported,
                    },
                    None => false,
                };
                let permit = match &inner.limiter {
                    Some(limiter) if sends_key && !reported => Some(limiter.acquire().await),
                    _ => None,
                };
                // Made in a block of its own: what is borrowed there (the
                // policy) is then not kept in this future's state.
                let outcome = if inner.credential.is_none() {
                    let sent = {
                        let policy = client.retry.for_endpoint(endpoint);
                        let Some(this) = next_request(&mut request, attempt >= policy.attempts()) else {
                            // Unreachable: `delay` refuses a retry after the last attempt.
                            break Err(Error::Config("retried past the last attempt".to_owned()).into());
                        };
                        let left = policy.get_deadline().map(|d| (d, d.saturating_sub(start.elapsed())));
                        attempt_once::<T>(inner, endpoint, this, attempt, left)
                    };
                    sent.await
                } else {
                    // A provided credential: the request is kept whole, to
                    // send it again with a new value.
                    let Some(Ok(original)) = &request else {
                        break Err(Error::Config("the request was taken".to_owned()).into());
                    };
                    let (outcome, last) = slow_path::<K, T>(
                        client,
                        endpoint,
                        Some(original),
                        None,
                        None,
                        had_body,
                        attempt,
                        start,
                        sends_key,
                    )
                    .await;
                    attempt = last;
                    outcome
                };
                drop(permit);
                outcome
            };
            let outcome = match outcome {
                // Followed at the top of the loop, with nothing else kept.
                Err(Failed::Redirect(response)) => {
                    redirect = Some(Box::new(response));
                    continue;
                }
                other => other,
            };
            match settle::<K, T>(client, endpoint, outcome, attempt, start, &mut earlier) {
                Ok(delay) => tokio::time::sleep(delay).await,
                Err(done) => break done,
            }
        };
        R::from_call(result.map(Into::into))
    }
    .instrument(span)
}

/// One attempt the slow way: with a provided credential (`original`, the
/// request to send, with a value of the credential), or going on from
/// `redirect`, a redirect the transport handed back. Redirects are followed
/// (at most [`MAX_REDIRECTS`] in a row) with fresh requests, as
/// [`redirect::fresh`] says, the credential added only on the service's
/// origins and never after a hop through another. When the service refuses
/// a provided credential (`401`), asks for a new one and sends `original`
/// again, once. Gives the outcome and the number of the attempt that ended
/// in it. Boxed here, in a plain function, so that the common call's future
/// has no room for it.
#[allow(clippy::too_many_arguments)]
fn slow_path<'a, K: KeyKind, T: FromResponse>(
    client: &'a Client<K>,
    endpoint: &'static Endpoint,
    original: Option<&'a HttpRequest>,
    here: Option<&'a url::Url>,
    redirect: Option<HttpResponse>,
    mut had_body: bool,
    mut attempt: u32,
    start: Instant,
    sends_key: bool,
) -> BoxFuture<'a, (Result<T, Failed>, u32)> {
    Box::pin(async move {
        let inner = &*client.inner;
        // A provided credential's new value, to send next.
        let mut fresh: Option<Secret> = None;
        let mut refreshed = false;
        let mut hops = 0;
        // The URL that answered last, what relative locations resolve
        // against: the request's (the base URL's origin when not given).
        let mut here = original
            .map(|r| r.url.clone())
            .or_else(|| here.cloned())
            .unwrap_or_else(|| inner.base_url.clone());
        // Whether the chain went through an origin that is not the
        // service's: then no credential is added again.
        let mut crossed = !inner.origins.contains(&here.origin());
        let mut pending = redirect;
        let mut method = endpoint.method.to_http();
        loop {
            let mut this = match (pending.take(), original) {
                (Some(response), _) => {
                    let next = response
                        .headers
                        .get(http::header::LOCATION)
                        .filter(|_| hops < MAX_REDIRECTS)
                        .and_then(|location| {
                            redirect::fresh(
                                response.status,
                                location,
                                &here,
                                &method,
                                had_body,
                                T::ACCEPT,
                                &inner.default_headers,
                                inner.timeout,
                            )
                        });
                    // What the transport follows itself, it hands back only
                    // past its own limit: that is the answer.
                    let next = next.filter(|next| match inner.transport_redirects {
                        Some(Redirects::AnyOrigin) => false,
                        Some(Redirects::SameOrigin) => next.url.origin() != here.origin(),
                        _ => true,
                    });
                    match next {
                        Some(next) => {
                            crossed |= !inner.origins.contains(&next.url.origin());
                            hops += 1;
                            here = next.url.clone();
                            // What the next hop starts from: this request,
                            // which has no body.
                            method = next.method.clone();
                            had_body = false;
                            let mut next = next;
                            if sends_key && !crossed && inner.credential.is_none() {
                                with_key(&mut next, inner);
                            }
                            next
                        }
                        None => return (Err(error_response(response).await), attempt),
                    }
                }
                (None, Some(original)) => original.clone(),
                (None, None) => {
                    return (Err(Failed::Call(Error::Config("nothing to send".to_owned()))), attempt);
                }
            };
            // The provided credential's value this send carries, if any.
            let mut used: Option<Secret> = None;
            if let Some(credential) = &inner.credential
                && sends_key
                && !crossed
                && inner.origins.contains(&this.url.origin())
            {
                let value = match fresh.take() {
                    Some(value) => Ok(value),
                    None => bounded(client, endpoint, start, attempt, credential.get()).await,
                };
                match value.and_then(|v| with_credential::<ServiceOf<K>>(&mut this, inner, &v).map(|()| v)) {
                    Ok(value) => used = Some(value),
                    Err(e) => return (Err(Failed::Call(e)), attempt),
                }
            }
            let policy = client.retry.for_endpoint(endpoint);
            let left = policy.get_deadline().map(|d| (d, d.saturating_sub(start.elapsed())));
            match attempt_once::<T>(inner, endpoint, this, attempt, left).await {
                Err(Failed::Redirect(response)) => pending = Some(response),
                Err(Failed::Status(r))
                    if r.status == http::StatusCode::UNAUTHORIZED
                        && !refreshed
                        && used.is_some()
                        && original.is_some() =>
                {
                    // Refused: a new value, and the request sent again at
                    // once, from the start.
                    let (Some(credential), Some(refused)) = (&inner.credential, used.take()) else {
                        return (Err(Failed::Status(r)), attempt);
                    };
                    match bounded(client, endpoint, start, attempt, credential.refresh(&refused)).await {
                        Ok(value) => {
                            tracing::debug!(
                                endpoint = endpoint.name,
                                "credential refused; sending again with a new one"
                            );
                            refreshed = true;
                            fresh = Some(value);
                            attempt += 1;
                            hops = 0;
                            let first = original.map_or_else(|| inner.base_url.clone(), |r| r.url.clone());
                            crossed = !inner.origins.contains(&first.origin());
                            here = first;
                            method = endpoint.method.to_http();
                        }
                        Err(e) => return (Err(Failed::Call(e)), attempt),
                    }
                }
                outcome => return (outcome, attempt),
            }
        }
    })
}

/// `fetch` (a credential's), within what is left of the call's deadline.
async fn bounded<K: KeyKind>(
    client: &Client<K>,
    endpoint: &'static Endpoint,
    start: Instant,
    attempt: u32,
    fetch: BoxFuture<'_, Result<Secret, Error>>,
) -> Result<Secret, Error> {
    let Some(deadline) = client.retry.for_endpoint(endpoint).get_deadline() else {
        return fetch.await;
    };
    let left = deadline.saturating_sub(start.elapsed());
    tokio::time::timeout(left, fetch).await.unwrap_or(Err(Error::Timeout {
        after: deadline,
        attempts: attempt,
    }))
}

/// Puts the client's static key on a request made by the client itself (a
/// redirect's), on one of the service's origins.
fn with_key(request: &mut HttpRequest, inner: &Inner) {
    if !inner.origins.contains(&request.url.origin()) {
        return;
    }
    match &inner.auth {
        AuthParts::Header(name, value) => {
            request.headers.insert(name.clone(), value.clone());
        }
        AuthParts::Query(pair) => {
            let query = match request.url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{pair}"),
                _ => pair.clone(),
            };
            request.url.set_query(Some(&query));
        }
        AuthParts::None => {}
    }
}

/// `response`, its rate-limit headers noted when the client follows them.
/// (Borrowed here, not in the caller: an `async` block keeps room for a
/// local it ever borrowed until the local's scope ends.)
fn observed(inner: &Inner, endpoint: &'static Endpoint, response: HttpResponse) -> HttpResponse {
    // (Only called where the client follows them.)
    if let Some(limits) = &inner.server_limits {
        limits.observe(endpoint.name, &response.headers);
    }
    response
}

/// A wait, boxed in a plain function: the common call's future keeps no
/// room for a timer it seldom needs.
fn pause(wait: Duration) -> std::pin::Pin<Box<tokio::time::Sleep>> {
    Box::pin(tokio::time::sleep(wait))
}

/// Puts a provided credential's `value` where the service's `AUTH` says.
fn with_credential<S: Service>(request: &mut HttpRequest, inner: &Inner, value: &Secret) -> Result<(), Error> {
    let cannot = || Error::Credential("the credential has characters that cannot be sent in a header".into());
    match (S::AUTH, &inner.credential_header) {
        (Auth::Header { scheme, .. }, Some(name)) => {
            let mut header = match scheme {
                Some(scheme) => HeaderValue::from_str(&format!("{scheme} {}", value.expose())),
                None => HeaderValue::from_str(value.expose()),
            }
            .map_err(|_| cannot())?;
            header.set_sensitive(true);
            request.headers.insert(name.clone(), header);
        }
        (Auth::Query { name }, _) => {
            request.url.query_pairs_mut().append_pair(name, value.expose());
        }
        _ => {}
    }
    Ok(())
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
            Failed::Status(r) => service_error::<K>(r, attempt, endpoint, earlier),
            // The call follows redirects before it gets here; one that came
            // here anyway is its status and headers, the body unread.
            Failed::Redirect(response) => service_error::<K>(
                ErrorResponse::new(response.status, response.headers, Bytes::new(), true),
                attempt,
                endpoint,
                earlier,
            ),
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

/// What the service makes of the response that ended the call.
fn service_error<K: KeyKind>(
    mut response: ErrorResponse,
    attempts: u32,
    endpoint: &'static Endpoint,
    earlier: &mut Vec<Outcome>,
) -> ErrorOf<K> {
    response.attempts = attempts;
    response.endpoint = Some(endpoint);
    response.earlier = std::mem::take(earlier);
    <ServiceOf<K> as Service>::error_from_response(response)
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
    // Rate-limit headers count from the service's own origins only (not a
    // CDN a redirect led to); looked at only where the client follows them.
    let observe = inner.server_limits.is_some() && inner.origins.contains(&request.url.origin());
    let response = inner.transport.send(request);
    async move {
        let Some((deadline, left)) = left else {
            return answer::<T>(inner, endpoint, response, number, sent, None, observe).await;
        };
        // Set once `after_response` ran, so a cut-off attempt is reported once.
        let reported = AtomicBool::new(false);
        let answered = answer::<T>(inner, endpoint, response, number, sent, Some(&reported), observe);
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
    observe: bool,
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
        let response = if observe {
            observed(inner, endpoint, response)
        } else {
            response
        };
        let status = response.status;
        tracing::Span::current().record("status", status.as_u16());
        if status.is_success() || (T::ACCEPTS_NOT_MODIFIED && status == http::StatusCode::NOT_MODIFIED) {
            T::from_response(response, inner.max_body).await.map_err(Failed::Call)
        } else if matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
            Err(Failed::Redirect(response))
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

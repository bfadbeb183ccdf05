//! Routing: one dispatcher matches `(method, path)` against the documented
//! operations, so unknown routes and wrong methods get NestJS's 404, and only
//! matched keyed routes are authenticated.

mod estimations;
mod findings;
mod hfw;
mod keys;
mod scans;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State as AxumState};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Shared;
use crate::auth::{BACKEND_ROUTE, Caller, api_key, authenticate, fault_response};
use crate::error::{ApiError, ApiResult, json_response};
use crate::state::{Scope, State};
use crate::util::percent_decode;

/// Largest accepted request body.
const BODY_LIMIT: usize = 1 << 20;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(dispatch).with_state(shared)
}

/// A matched operation, with its path parameters.
#[derive(Debug, PartialEq)]
enum Route {
    ListEstimations,
    CreateEstimation,
    GetEstimation(String),
    ListScans,
    CreateScan,
    GetScan(String),
    ScanStatus(String),
    ScanFindings(String),
    ScanExport(String),
    ListFindings,
    ExportFindings,
    GetFinding(String),
    UpdateFinding(String),
    AddComment(String),
    ListRepos,
    HfwVerdict(String, String),
    HfwScopedVerdict(String, String, String),
    HfwBatch,
    HfwFeed,
    ListKeys,
    CreateKey,
    RevokeKey(String),
}

impl Route {
    /// Matches a path below `/v1/` (already split and percent-decoded).
    fn parse(method: &Method, segments: &[String]) -> Option<Route> {
        use Route::*;
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let id = |i: usize| s[i].to_string();
        let (get, post) = (method == Method::GET, method == Method::POST);
        Some(match s.as_slice() {
            ["cost-estimations"] if get => ListEstimations,
            ["cost-estimations"] if post => CreateEstimation,
            ["cost-estimations", _] if get => GetEstimation(id(1)),
            ["scans"] if get => ListScans,
            ["scans"] if post => CreateScan,
            ["scans", _] if get => GetScan(id(1)),
            ["scans", _, "status"] if get => ScanStatus(id(1)),
            ["scans", _, "findings"] if get => ScanFindings(id(1)),
            ["scans", _, "findings", "export"] if get => ScanExport(id(1)),
            ["findings"] if get => ListFindings,
            ["findings", "export"] if get => ExportFindings,
            ["findings", _] if get => GetFinding(id(1)),
            ["findings", _] if method == Method::PATCH => UpdateFinding(id(1)),
            ["findings", _, "comments"] if post => AddComment(id(1)),
            ["repos"] if get => ListRepos,
            ["hfw", "verdict", _, _] if get => HfwVerdict(id(2), id(3)),
            ["hfw", "verdict", _, _, _] if get => HfwScopedVerdict(id(2), id(3), id(4)),
            ["hfw", "verdicts", "batch"] if post => HfwBatch,
            ["hfw", "osv", "feed"] if get => HfwFeed,
            ["_sandbox", "keys"] if get => ListKeys,
            ["_sandbox", "keys"] if post => CreateKey,
            ["_sandbox", "keys", _] if method == Method::DELETE => RevokeKey(id(2)),
            _ => return None,
        })
    }

    /// The operation as the docs name it: method and path template.
    fn operation(&self) -> &'static str {
        use Route::*;
        match self {
            ListEstimations => "GET /cost-estimations",
            CreateEstimation => "POST /cost-estimations",
            GetEstimation(_) => "GET /cost-estimations/{id}",
            ListScans => "GET /scans",
            CreateScan => "POST /scans",
            GetScan(_) => "GET /scans/{id}",
            ScanStatus(_) => "GET /scans/{id}/status",
            ScanFindings(_) => "GET /scans/{id}/findings",
            ScanExport(_) => "GET /scans/{id}/findings/export",
            ListFindings => "GET /findings",
            ExportFindings => "GET /findings/export",
            GetFinding(_) => "GET /findings/{id}",
            UpdateFinding(_) => "PATCH /findings/{id}",
            AddComment(_) => "POST /findings/{id}/comments",
            ListRepos => "GET /repos",
            HfwVerdict(..) => "GET /hfw/verdict/{ecosystem}/{packageName}",
            HfwScopedVerdict(..) => "GET /hfw/verdict/{ecosystem}/{scope}/{packageName}",
            HfwBatch => "POST /hfw/verdicts/batch",
            HfwFeed => "GET /hfw/osv/feed",
            ListKeys => "GET /_sandbox/keys",
            CreateKey => "POST /_sandbox/keys",
            RevokeKey(_) => "DELETE /_sandbox/keys/{id}",
        }
    }

    /// The scope a keyed route needs; `None` for the public `hfw` routes.
    fn scope(&self, method: &Method) -> Option<Scope> {
        use Route::*;
        match self {
            HfwVerdict(..) | HfwScopedVerdict(..) | HfwBatch | HfwFeed => None,
            ListKeys | CreateKey | RevokeKey(_) => Some(Scope::Admin),
            _ if method == Method::GET => Some(Scope::Read),
            _ => Some(Scope::Write),
        }
    }
}

/// What a handler gets besides the state.
pub(crate) struct Ctx {
    /// The authenticated caller (a placeholder for public routes).
    pub(crate) caller: Caller,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

async fn dispatch(AxumState(shared): AxumState<Arc<Shared>>, request: Request) -> Response {
    if let Some(fault) = shared.lock().take_fault() {
        return fault_response(fault);
    }
    let (parts, body) = request.into_parts();
    let uri = &parts.uri;
    let original = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let not_found = || ApiError::not_found(format!("Cannot {} {original}", parts.method)).into_response();
    // The public host maps `/v1/*` onto the backend's `/api/v1/rest/*`; other
    // backend routes use dashboard sessions and reject API keys.
    let path = match uri.path().strip_prefix("/api/v1/rest/") {
        Some(rest) => format!("/v1/{rest}"),
        None if uri.path() == "/api" || uri.path().starts_with("/api/") => {
            return match api_key(&parts.headers) {
                Some(_) => ApiError::unauthorized(BACKEND_ROUTE).into_response(),
                None => ApiError::bare(401, "Unauthorized").into_response(),
            };
        }
        None => uri.path().to_string(),
    };
    let Some(rest) = path.strip_prefix("/v1/") else {
        return not_found();
    };
    let segments: Vec<String> = rest.trim_end_matches('/').split('/').map(percent_decode).collect();
    let Some(route) = Route::parse(&parts.method, &segments) else {
        return not_found();
    };
    // As Express's body parser answers: 413 past the limit, 400 for a body
    // that could not be read (cut off, broken chunked framing).
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(body) => body,
        Err(e) => {
            let too_large = e.into_inner().is::<http_body_util::LengthLimitError>();
            return if too_large {
                ApiError::new(413, "request entity too large").into_response()
            } else {
                ApiError::new(400, "request aborted").into_response()
            };
        }
    };
    // Like Express's JSON body parser, only a JSON content type gets parsed;
    // any other body reads as `{}` (and so fails validation).
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    let body = if is_json { body } else { Bytes::new() };
    let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default();

    let mut state = shared.lock();
    state.tick();
    let caller = match route.scope(&parts.method) {
        Some(scope) => match authenticate(&mut state, &parts.headers, scope) {
            Ok(caller) => caller,
            Err(e) => return e.into_response(),
        },
        None => Caller::default(),
    };
    let ctx = Ctx { caller, query, body };
    let operation = route.operation();
    // A bug in a handler must not drop the connection: NestJS answers an
    // uncaught exception with its bare 500, and so does the sandbox.
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| handle(&mut state, route, &ctx)))
        .unwrap_or_else(|_| Err(ApiError::bare(500, "Internal server error")));
    if result.is_ok() {
        *state.applied.entry(operation).or_default() += 1;
    }
    result.unwrap_or_else(IntoResponse::into_response)
}

fn handle(state: &mut State, route: Route, ctx: &Ctx) -> ApiResult {
    use Route::*;
    match route {
        ListEstimations => estimations::list(state, ctx),
        CreateEstimation => estimations::create(state, ctx),
        GetEstimation(id) => estimations::get(state, ctx, &id),
        ListScans => scans::list(state, ctx),
        CreateScan => scans::create(state, ctx),
        GetScan(id) => scans::get(state, ctx, &id),
        ScanStatus(id) => scans::status(state, ctx, &id),
        ScanFindings(id) => findings::list(state, ctx, Some(&id)),
        ScanExport(id) => findings::export(state, ctx, Some(&id)),
        ListFindings => findings::list(state, ctx, None),
        ExportFindings => findings::export(state, ctx, None),
        GetFinding(id) => findings::get(state, ctx, &id),
        UpdateFinding(id) => findings::update(state, ctx, &id),
        AddComment(id) => findings::comment(state, ctx, &id),
        ListRepos => keys::repos(state, ctx),
        HfwVerdict(eco, name) => hfw::verdict(ctx, &eco, None, &name),
        HfwScopedVerdict(eco, scope, name) => hfw::verdict(ctx, &eco, Some(&scope), &name),
        HfwBatch => hfw::batch(ctx),
        HfwFeed => hfw::feed(ctx),
        ListKeys => keys::list(state, ctx),
        CreateKey => keys::create(state, ctx),
        RevokeKey(id) => keys::revoke(state, ctx, &id),
    }
}

/// `200 OK` with a JSON body.
pub(crate) fn ok<T: Serialize + ?Sized>(value: &T) -> ApiResult {
    Ok(json_response(StatusCode::OK, value))
}

/// `201 Created` with a JSON body.
pub(crate) fn created<T: Serialize + ?Sized>(value: &T) -> ApiResult {
    Ok(json_response(StatusCode::CREATED, value))
}

/// `{"data":[...],"total":N,"page":P,"limit":L}`.
#[derive(Serialize)]
pub(crate) struct Page<T> {
    pub(crate) data: Vec<T>,
    pub(crate) total: usize,
    pub(crate) page: u64,
    pub(crate) limit: u64,
}

impl<T> Page<T> {
    /// Cuts page `page` (1-based) of `limit` items out of `items`. A page
    /// past the end, however large, is an empty `data` with the real `total`
    /// and the `page` and `limit` asked for.
    pub(crate) fn of(items: Vec<T>, page: u64, limit: u64) -> Self {
        let total = items.len();
        let data = items
            .into_iter()
            .skip(window(page.saturating_sub(1).checked_mul(limit)))
            .take(window(Some(limit)))
            .collect();
        Page {
            data,
            total,
            page,
            limit,
        }
    }
}

/// A request-supplied item count as a `usize` for `skip`/`take`: one that
/// overflowed (`None`) or does not fit saturates, which skips (or takes)
/// everything there is.
pub(crate) fn window(count: Option<u64>) -> usize {
    count.and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX)
}

/// Orders by `key` in `sort_order` (`ASC`/`DESC`), ties broken by creation order in the same direction.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], descending: bool, key: impl Fn(&T) -> (K, u64)) {
    items.sort_by(|a, b| {
        let ordering = key(a).cmp(&key(b));
        if descending { ordering.reverse() } else { ordering }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(method: Method, path: &str) -> Option<Route> {
        let segments: Vec<String> = path.split('/').map(str::to_string).collect();
        Route::parse(&method, &segments)
    }

    #[test]
    fn routes_match_the_documented_operations() {
        assert_eq!(parse(Method::GET, "findings/export"), Some(Route::ExportFindings));
        assert_eq!(
            parse(Method::GET, "findings/abc"),
            Some(Route::GetFinding("abc".into()))
        );
        assert_eq!(
            parse(Method::GET, "scans/x/findings/export"),
            Some(Route::ScanExport("x".into()))
        );
        assert_eq!(
            parse(Method::GET, "hfw/verdict/npm/@scope/pkg"),
            Some(Route::HfwScopedVerdict("npm".into(), "@scope".into(), "pkg".into()))
        );
        assert_eq!(parse(Method::DELETE, "scans"), None);
        assert_eq!(parse(Method::GET, "xyz"), None);
        assert_eq!(parse(Method::GET, "hfw/osv/feed").unwrap().scope(&Method::GET), None);
        assert_eq!(
            parse(Method::POST, "scans").unwrap().scope(&Method::POST),
            Some(Scope::Write)
        );
    }
}

//! Everything that happens before a handler: injected faults, API key
//! authentication, the per-key rolling rate limit, and scope checks.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::Fault;
use crate::error::{ApiError, raw_response};
use crate::state::{Scope, State};
use crate::util::is_well_formed_key;

/// Who is calling: resolved from a valid key.
#[derive(Clone, Debug, Default)]
pub(crate) struct Caller {
    pub(crate) org: String,
    pub(crate) user_id: String,
    pub(crate) key_name: String,
}

pub(crate) const DASHBOARD_TOKEN: &str = "This endpoint requires API key authentication (X-Api-Key header)";
pub(crate) const BACKEND_ROUTE: &str = "API key authentication is only supported on /api/v1/rest/ endpoints";

/// The `X-Api-Key` header, if present and non-empty.
pub(crate) fn api_key(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-api-key")
        .map(|v| v.to_str().unwrap_or("\u{0}").trim())
        .filter(|k| !k.is_empty())
}

/// Authenticates, rate-limits, then checks `required`, in that order.
pub(crate) fn authenticate(state: &mut State, headers: &HeaderMap, required: Scope) -> Result<Caller, ApiError> {
    let Some(secret) = api_key(headers) else {
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("bearer "));
        return Err(ApiError::unauthorized(if bearer {
            DASHBOARD_TOKEN
        } else {
            "Missing API key"
        }));
    };
    if !is_well_formed_key(secret) {
        return Err(ApiError::unauthorized("Invalid API key"));
    }
    let now = state.now();
    let rate_limit = state.config.rate_limit;
    let key = state
        .keys
        .iter_mut()
        .find(|k| k.secret == secret)
        .ok_or_else(|| ApiError::unauthorized("Invalid API key"))?;
    if key.revoked {
        return Err(ApiError::unauthorized("API key has been revoked"));
    }
    if let Some((limit, window)) = rate_limit {
        let window = window.as_millis() as u64;
        while key.hits.front().is_some_and(|&t| t + window <= now.0) {
            key.hits.pop_front();
        }
        if key.hits.len() >= limit as usize {
            let wait_ms = key.hits.front().map_or(0, |&t| t + window - now.0);
            return Err(ApiError::too_many_requests(wait_ms.div_ceil(1000).max(1)));
        }
        key.hits.push_back(now.0);
    }
    key.last_used_at = Some(now);
    if !key.grants(required) {
        return Err(ApiError::new(
            403,
            format!("API key missing required scope: {}", required.name()),
        ));
    }
    Ok(Caller {
        org: key.org.clone(),
        user_id: key.user_id.clone(),
        key_name: key.name.clone(),
    })
}

/// The response an injected fault produces.
pub(crate) fn fault_response(fault: Fault) -> Response {
    let status = |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    match fault {
        Fault::Status(500) => ApiError::bare(500, "Internal server error").into_response(),
        Fault::Status(429) => ApiError::too_many_requests(1).into_response(),
        Fault::Status(code) => {
            let reason = status(code).canonical_reason().unwrap_or("Error");
            if code >= 500 {
                ApiError::bare(code, reason).into_response()
            } else {
                ApiError::new(code, reason).into_response()
            }
        }
        Fault::Html(code) => {
            let status = status(code);
            let title = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"));
            let page = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
                 <center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n"
            );
            raw_response(status, "text/html", page)
        }
        Fault::Truncated => raw_response(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"{"data":[{"id":"3f2b9c1e-8a4d-4e6f-9b1a-2c"#.to_string(),
        ),
        Fault::Empty(code) => {
            let mut response = Response::new(axum::body::Body::empty());
            *response.status_mut() = status(code);
            response
        }
        // Handled by `faults::middleware` before routing.
        other => crate::faults::response(other),
    }
}

//! `GET /v1/repos`, and the sandbox-only key management under `/v1/_sandbox/keys`
//! (the vendor does this in its dashboard).

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::{Ctx, created, ok};
use crate::error::{ApiError, ApiResult, Check, parse_body};
use crate::state::{ApiKey, MAX_ACTIVE_KEYS, Scope, State, UnifiedRepo};
use crate::util::Ts;

/// `MergedReposResponseDto`.
#[derive(Serialize)]
struct Repos<'a> {
    repos: &'a [UnifiedRepo],
    errors: [&'a str; 0],
}

/// `GET /repos`: the organization's seeded connected repositories.
pub(crate) fn repos(state: &mut State, ctx: &Ctx) -> ApiResult {
    let repos = state
        .orgs
        .iter()
        .find(|o| o.id == ctx.caller.org)
        .map_or(&[][..], |o| &o.repos);
    ok(&Repos { repos, errors: [] })
}

/// A key as listed: never the secret.
#[derive(Serialize)]
struct KeyView<'a> {
    id: &'a str,
    name: &'a str,
    prefix: &'a str,
    scopes: Vec<&'static str>,
    revoked: bool,
    created_at: Ts,
    last_used_at: Option<Ts>,
}

fn scope_names(key: &ApiKey) -> Vec<&'static str> {
    key.scopes.iter().map(|s| s.name()).collect()
}

#[derive(Serialize)]
struct KeyList<'a> {
    data: Vec<KeyView<'a>>,
    total: usize,
}

/// `GET /_sandbox/keys`: the organization's keys, revoked ones included.
pub(crate) fn list(state: &mut State, ctx: &Ctx) -> ApiResult {
    let data: Vec<KeyView> = state
        .keys
        .iter()
        .filter(|k| k.org == ctx.caller.org)
        .map(|k| KeyView {
            id: &k.id,
            name: &k.name,
            prefix: k.prefix(),
            scopes: scope_names(k),
            revoked: k.revoked,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        })
        .collect();
    ok(&KeyList {
        total: data.len(),
        data,
    })
}

/// The one response that carries the full key.
#[derive(Serialize)]
struct NewKey<'a> {
    id: &'a str,
    name: &'a str,
    key: &'a str,
    prefix: &'a str,
    scopes: Vec<&'static str>,
}

/// `POST /_sandbox/keys` with `{"name": "...", "scopes": ["read", "write"]}`.
pub(crate) fn create(state: &mut State, ctx: &Ctx) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let mut check = Check::new(&body);
    let name = check.string("name", true, Some(100)).map(str::to_owned);
    let scopes = check.array("scopes", true, Some(1), None).map(|items| {
        items
            .iter()
            .map(|v| v.as_str().and_then(Scope::parse))
            .collect::<Option<Vec<_>>>()
    });
    if let Some(None) = scopes {
        check.errors.push(format!(
            "each value in scopes {}",
            crate::error::one_of_message(Scope::NAMES)
        ));
    }
    check.finish()?;
    let (Some(name), Some(Some(mut scopes))) = (name, scopes) else {
        return Err(ApiError::bad_request("Invalid request body"));
    };
    scopes.dedup();
    let active = state
        .keys
        .iter()
        .filter(|k| k.org == ctx.caller.org && !k.revoked)
        .count();
    if active >= MAX_ACTIVE_KEYS {
        return Err(ApiError::new(
            409,
            format!(
                "Maximum number of active API keys ({MAX_ACTIVE_KEYS}) reached. \
                 Revoke an unused key before creating a new one."
            ),
        ));
    }
    let secret = state.add_key(&ctx.caller.org, &name, scopes);
    let key = state.keys.last().expect("a key was just added");
    created(&NewKey {
        id: &key.id,
        name: &key.name,
        key: &secret,
        prefix: key.prefix(),
        scopes: scope_names(key),
    })
}

/// `DELETE /_sandbox/keys/{id}`: revokes immediately; `204` with no body.
pub(crate) fn revoke(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let key = state
        .keys
        .iter_mut()
        .find(|k| k.id == id && k.org == ctx.caller.org)
        .ok_or_else(|| ApiError::not_found("API key not found"))?;
    key.revoked = true;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

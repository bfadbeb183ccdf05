//! `/v1/findings` and `/v1/scans/{id}/findings[/export]`: only approved findings
//! of the caller's organization are ever visible.

use serde::Serialize;
use serde_json::Value;

use super::{Ctx, Page, created, ok, sort_by_key};
use crate::error::{ApiError, ApiResult, Check, QueryCheck, one_of_message, parse_body};
use crate::export::{Format, render};
use crate::state::{FINDING_STATES, Finding, SCAN_TYPES, SEVERITIES, SORT_ORDERS, State, ThreadEntry};

const NOT_FOUND: &str = "Finding not found";

/// The validated query of the findings list and export endpoints.
struct Filters<'q> {
    severity: Option<&'static str>,
    state: Option<&'static str>,
    scan_id: Option<&'q str>,
    scan_type: Option<&'static str>,
    repo_url: Option<&'q str>,
    since: Option<i64>,
    until: Option<i64>,
    sort_by: &'static str,
    descending: bool,
    page: u64,
    limit: u64,
    format: Option<Format>,
}

fn filters<'q>(
    state: &State,
    ctx: &'q Ctx,
    scan_in_path: Option<&'q str>,
    export: bool,
) -> Result<Filters<'q>, ApiError> {
    let mut query = QueryCheck::new(&ctx.query);
    let page = query.int("page", 1, 1, None);
    let limit = query.int("limit", 15, 1, Some(100));
    let filters = Filters {
        severity: query.one_of("severity", SEVERITIES),
        state: query.one_of("state", FINDING_STATES),
        scan_id: scan_in_path.or(query.raw("scan_id")),
        scan_type: query.one_of("scan_type", SCAN_TYPES),
        repo_url: query.raw("repo_url"),
        since: query.iso_date("found_since"),
        until: query.iso_date("found_until"),
        sort_by: query
            .one_of("sort_by", &["found_at", "updated_at", "severity"])
            .unwrap_or("found_at"),
        descending: query.one_of("sort_order", SORT_ORDERS).unwrap_or("DESC") == "DESC",
        page,
        limit,
        format: None,
    };
    let format = if export {
        if query.raw("format").is_none() {
            query.errors.push(format!("format {}", one_of_message(Format::NAMES)));
        }
        query.one_of("format", Format::NAMES).and_then(Format::parse)
    } else {
        None
    };
    query.finish()?;
    if let Some(scan_id) = filters.scan_id {
        state
            .scan(&ctx.caller.org, scan_id)
            .ok_or_else(|| ApiError::not_found("Scan not found"))?;
    }
    Ok(Filters { format, ..filters })
}

/// The visible findings matching `f`, sorted.
fn select<'s>(state: &'s State, ctx: &Ctx, f: &Filters) -> Vec<&'s Finding> {
    let mut found: Vec<&Finding> = state
        .findings
        .iter()
        .filter(|x| x.approved && x.org == ctx.caller.org)
        .filter(|x| f.severity.is_none_or(|v| x.severity == v))
        .filter(|x| f.state.is_none_or(|v| x.state == v))
        .filter(|x| f.scan_id.is_none_or(|v| x.scan_id.as_deref() == Some(v)))
        .filter(|x| f.scan_type.is_none_or(|v| x.scan_type == v))
        .filter(|x| f.repo_url.is_none_or(|v| x.repo_url.as_deref() == Some(v)))
        .filter(|x| f.since.is_none_or(|v| x.found_at.0 as i64 >= v))
        .filter(|x| f.until.is_none_or(|v| (x.found_at.0 as i64) < v))
        .collect();
    sort_by_key(&mut found, f.descending, |x| {
        let key = match f.sort_by {
            "severity" => x.severity_rank() as u64,
            "updated_at" => x.updated_at.0,
            _ => x.found_at.0,
        };
        (key, x.seq)
    });
    found
}

/// `GET /findings` and `GET /scans/{id}/findings`.
pub(crate) fn list(state: &mut State, ctx: &Ctx, scan: Option<&str>) -> ApiResult {
    let f = filters(state, ctx, scan, false)?;
    let found = select(state, ctx, &f);
    ok(&Page::of(found, f.page, f.limit))
}

/// `GET /findings/export` and `GET /scans/{id}/findings/export` (not paginated).
pub(crate) fn export(state: &mut State, ctx: &Ctx, scan: Option<&str>) -> ApiResult {
    let f = filters(state, ctx, scan, true)?;
    let found = select(state, ctx, &f);
    let stem = scan.map_or_else(|| "findings".to_string(), |id| format!("findings-{id}"));
    Ok(render(f.format.unwrap_or(Format::Json), &found, &stem))
}

fn visible(state: &State, ctx: &Ctx, id: &str) -> Result<usize, ApiError> {
    state
        .visible_finding(&ctx.caller.org, id)
        .ok_or_else(|| ApiError::not_found(NOT_FOUND))
}

/// `GET /findings/{id}`: the finding with its triage thread.
pub(crate) fn get(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let index = visible(state, ctx, id)?;
    ok(&state.findings[index].detail())
}

/// `RestUpdateFindingResponseDto`.
#[derive(Serialize)]
struct Updated<'a> {
    id: &'a str,
    state: &'a str,
    severity: &'a str,
    duplicate_of: Option<&'a str>,
}

/// `PATCH /findings/{id}` (`RestUpdateFindingDto`).
pub(crate) fn update(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let mut check = Check::new(&body);
    let new_state = check.one_of("state", false, FINDING_STATES);
    let new_severity = check.one_of("severity", false, SEVERITIES);
    for reason in ["state_reason", "severity_reason", "reason"] {
        check.string(reason, false, Some(2000));
    }
    // `Some(None)`: unmark (`"duplicate_of": null`); `Some(Some(id))`: mark.
    let duplicate_of = match body.get("duplicate_of") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => check.uuid("duplicate_of", false).map(Some),
    };
    check.finish()?;
    if new_state.is_none() && new_severity.is_none() && duplicate_of.is_none() {
        return Err(ApiError::bad_request(
            "At least one of state, severity, or duplicate_of must be provided",
        ));
    }
    let index = visible(state, ctx, id)?;
    if let Some(Some(target)) = duplicate_of {
        if target == id {
            return Err(ApiError::bad_request(
                "A finding cannot be marked as a duplicate of itself",
            ));
        }
        let same_repo = state
            .visible_finding(&ctx.caller.org, target)
            .is_some_and(|t| state.findings[t].repo_url == state.findings[index].repo_url);
        if !same_repo {
            return Err(ApiError::bad_request(
                "duplicate_of must reference a finding in the same repository",
            ));
        }
    }
    let now = state.now();
    let finding = &mut state.findings[index];
    if let Some(new_state) = new_state {
        if new_state == "resolved" && finding.state != "resolved" {
            finding.resolved_at = Some(now);
        }
        finding.state = new_state;
    }
    if let Some(severity) = new_severity {
        finding.severity = severity;
    }
    if let Some(duplicate_of) = duplicate_of {
        finding.duplicate_of = duplicate_of.map(str::to_owned);
    }
    finding.updated_at = now;
    ok(&Updated {
        id: &finding.id,
        state: finding.state,
        severity: finding.severity,
        duplicate_of: finding.duplicate_of.as_deref(),
    })
}

#[derive(Serialize)]
struct CommentAdded {
    comment_id: String,
}

/// `POST /findings/{id}/comments` (`RestAddCommentDto`): appends to the triage thread.
pub(crate) fn comment(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let mut check = Check::new(&body);
    let text = check.string("comment", true, Some(4000)).map(str::to_owned);
    check.finish()?;
    let index = visible(state, ctx, id)?;
    let entry = ThreadEntry {
        id: state.rng.uuid(),
        reaction: None,
        comment: text,
        user_id: ctx.caller.user_id.clone(),
        username: format!("api-key:{}", ctx.caller.key_name),
        source: "api",
        timestamp: state.now(),
    };
    let comment_id = entry.id.clone();
    state.findings[index].thread.push(entry);
    created(&CommentAdded { comment_id })
}

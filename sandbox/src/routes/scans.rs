//! `/v1/scans`: triggering scans against a cost estimation, listing and polling them.

use serde::Serialize;
use serde_json::Value;

use super::{Ctx, Page, created, ok, sort_by_key};
use crate::error::{ApiError, ApiResult, Check, QueryCheck, parse_body};
use crate::state::{SCAN_STATUSES, SCAN_TYPES, SORT_ORDERS, Scan, State, Summary};
use crate::util::is_uuid;

const SOURCES: &[&str] = &["connected", "public", "upload"];
const PENTEST_ONLY: &[&str] = &[
    "target_urls",
    "auth_instructions",
    "custom_context",
    "context_document_ids",
];

/// `RestCreateScanResponseDto`.
#[derive(Serialize)]
struct CreatedScan<'a> {
    id: &'a str,
    task_id: &'a str,
    status: &'a str,
    message: &'a str,
}

/// Repository URLs compare without case, trailing `/` or `.git`.
fn same_repo(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().trim_end_matches('/');
        s.strip_suffix(".git").unwrap_or(s).to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

fn is_url(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        ["http://", "https://"].iter().any(|p| {
            s.strip_prefix(p)
                .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        })
    })
}

/// A present, non-null, non-empty value.
fn given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// `POST /scans` (`RestCreateScanDto`), enforcing the documented rules in order:
/// validation, pentest inputs, readiness, repo/archive and branch match, single
/// use, then credits.
pub(crate) fn create(state: &mut State, ctx: &Ctx) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let pentest = PENTEST_ONLY.iter().any(|f| given(body.get(*f)));
    let mut check = Check::new(&body);
    let mut repos: Vec<(String, String)> = Vec::new();
    if let Some(items) = check.array("repos", true, Some(1), None) {
        for (i, obj) in check.objects("repos", items) {
            let mut repo = check.child(obj, format!("repos.{i}."));
            let url = repo.string("url", true, None);
            let branch = repo.string("branch", true, None);
            repo.one_of("source", false, SOURCES);
            if let (Some(url), Some(branch)) = (url, branch) {
                repos.push((url.to_owned(), branch.to_owned()));
            }
            check.absorb(repo);
        }
    }
    let target_urls = check.each("target_urls", "must be a URL address", is_url);
    check.string("auth_instructions", false, Some(2000));
    check.string("custom_context", false, Some(2000));
    check.each("context_document_ids", "must be a UUID", |v| {
        v.as_str().is_some_and(is_uuid)
    });
    let estimation_id = if given(body.get("cost_estimation_id")) || !pentest {
        check.uuid("cost_estimation_id", true)
    } else {
        None
    };
    check.finish()?;
    let Some(estimation_id) = estimation_id else {
        return Err(ApiError::bad_request(
            "cost_estimation_id is required for pentest scans",
        ));
    };

    let org = ctx.caller.org.clone();
    let estimation = state
        .estimations
        .iter()
        .find(|e| e.id == estimation_id && e.organization_id == org)
        .ok_or_else(|| ApiError::not_found("Cost estimation not found"))?;
    let cost = estimation.total_credits.unwrap_or(0);
    if !matches!(estimation.status, "completed" | "partial") || cost == 0 {
        return Err(ApiError::bad_request("Cost estimation is not ready"));
    }
    // The estimation's spelling of each repository (URL or archive id).
    let mut scanned = Vec::new();
    for (url, branch) in &repos {
        let matches: Vec<_> = estimation.repos.iter().filter(|r| same_repo(r.label(), url)).collect();
        if matches.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Repository or archive {url} was not included in the cost estimation"
            )));
        }
        let matched = matches
            .iter()
            .find(|r| r.source == "upload" || r.branch.as_deref() == Some(branch.as_str()))
            .ok_or_else(|| {
                ApiError::bad_request(format!("Branch {branch} does not match the cost estimation branch"))
            })?;
        scanned.push(matched.label().to_string());
    }
    if estimation.claimed_by.is_some() {
        return Err(ApiError::new(
            409,
            "Cost estimation has already been used to start a scan",
        ));
    }
    let name = estimation.name.clone();
    let credits = state.org_mut(&org).map_or(0, |o| o.credits);
    if credits < cost {
        return Err(ApiError::new(402, "Insufficient credits to start this scan"));
    }

    let now = state.now();
    let scan = Scan {
        id: state.rng.uuid(),
        task_id: format!("pentest_{}", state.rng.hex(16)),
        scan_type: "full",
        status: "pending",
        name: Some(name),
        repo_url: scanned.first().cloned(),
        branch: repos.first().map(|r| r.1.clone()),
        pr_number: None,
        target_urls,
        findings_summary: Summary::default(),
        created_at: now,
        updated_at: now,
        org: org.clone(),
        seq: state.next_seq(),
        repos: scanned,
    };
    if let Some(o) = state.org_mut(&org) {
        o.credits -= cost;
    }
    if let Some(e) = state.estimations.iter_mut().find(|e| e.id == estimation_id) {
        e.claimed_by = Some(scan.id.clone());
    }
    let response = CreatedScan {
        id: &scan.id,
        task_id: &scan.task_id,
        status: scan.status,
        message: "Scan started successfully",
    };
    let result = created(&response);
    state.scans.push(scan);
    result
}

/// `GET /scans?page&limit&scan_type&status&sort_by&sort_order`.
pub(crate) fn list(state: &mut State, ctx: &Ctx) -> ApiResult {
    let mut query = QueryCheck::new(&ctx.query);
    let page = query.int("page", 1, 1, None);
    let limit = query.int("limit", 15, 1, Some(100));
    let scan_type = query.one_of("scan_type", SCAN_TYPES);
    let status = query.one_of("status", SCAN_STATUSES);
    let sort_by = query
        .one_of("sort_by", &["created_at", "updated_at", "status"])
        .unwrap_or("created_at");
    let descending = query.one_of("sort_order", SORT_ORDERS).unwrap_or("DESC") == "DESC";
    query.finish()?;
    let mut scans: Vec<Scan> = state
        .scans
        .iter()
        .filter(|s| s.org == ctx.caller.org)
        .filter(|s| scan_type.is_none_or(|t| s.scan_type == t))
        .filter(|s| status.is_none_or(|t| s.status == t))
        .map(|s| state.scan_view(s))
        .collect();
    sort_by_key(&mut scans, descending, |s| {
        let key = match sort_by {
            "updated_at" => s.updated_at.to_string(),
            "status" => s.status.to_string(),
            _ => s.created_at.to_string(),
        };
        (key, s.seq)
    });
    ok(&Page::of(scans, page, limit))
}

fn find<'a>(state: &'a State, ctx: &Ctx, id: &str) -> Result<&'a Scan, ApiError> {
    state
        .scan(&ctx.caller.org, id)
        .ok_or_else(|| ApiError::not_found("Scan not found"))
}

/// `GET /scans/{id}`.
pub(crate) fn get(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let scan = find(state, ctx, id)?;
    ok(&state.scan_view(scan))
}

/// `GET /scans/{id}/status`.
pub(crate) fn status(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    ok(&find(state, ctx, id)?.status_view())
}

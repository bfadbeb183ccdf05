//! `/v1/cost-estimations`.

use serde::Serialize;

use super::{Ctx, created, ok, window};
use crate::error::{ApiError, ApiResult, Check, QueryCheck, parse_body};
use crate::state::{Estimation, RepoInput, State, short_name};

const SOURCES: &[&str] = &["connected", "public", "upload"];

/// `POST /cost-estimations` (`CreateCostEstimationDto`).
pub(crate) fn create(state: &mut State, ctx: &Ctx) -> ApiResult {
    let body = parse_body(&ctx.body)?;
    let mut check = Check::new(&body);
    let name = check.string("name", false, None).map(str::to_owned);
    let mut repos = Vec::new();
    if let Some(items) = check.array("repos", true, None, None) {
        for (i, obj) in check.objects("repos", items) {
            let mut repo = check.child(obj, format!("repos.{i}."));
            let source = repo.one_of("source", false, SOURCES).unwrap_or("connected");
            let input = if source == "upload" {
                let archive_id = repo.string("archive_id", true, None);
                RepoInput {
                    source: "upload",
                    repo_url: None,
                    branch: None,
                    commit_sha: None,
                    archive_id: archive_id.map(str::to_owned),
                }
            } else {
                let repo_url = repo.string("repo_url", true, None);
                let branch = repo.string("branch", true, None);
                if source == "connected" {
                    repo.number("github_installation_id");
                }
                RepoInput {
                    source: if source == "public" { "public" } else { "connected" },
                    repo_url: repo_url.map(str::to_owned),
                    branch: branch.map(str::to_owned),
                    commit_sha: None,
                    archive_id: None,
                }
            };
            repos.push(input);
            check.absorb(repo);
        }
    }
    check.finish()?;
    if repos.is_empty() {
        return Err(ApiError::bad_request("At least one repository is required"));
    }
    let name = name.unwrap_or_else(|| {
        let first = short_name(repos[0].label()).to_string();
        match repos.len() {
            1 => first,
            n => format!("{first} (+{} more)", n - 1),
        }
    });
    let estimation = state.new_estimation(&ctx.caller.org, &ctx.caller.user_id, name, repos);
    state.estimations.push(estimation.clone());
    created(&estimation)
}

#[derive(Serialize)]
struct List<'a> {
    data: Vec<&'a Estimation>,
    total: usize,
}

/// `GET /cost-estimations?limit&offset`: most recent first, offset-based.
pub(crate) fn list(state: &mut State, ctx: &Ctx) -> ApiResult {
    let mut query = QueryCheck::new(&ctx.query);
    let limit = query.int("limit", 50, 1, Some(100));
    let offset = query.int("offset", 0, 0, None);
    query.finish()?;
    let mut mine: Vec<&Estimation> = state
        .estimations
        .iter()
        .filter(|e| e.organization_id == ctx.caller.org)
        .collect();
    mine.sort_by_key(|e| std::cmp::Reverse((e.created_at, e.seq)));
    let total = mine.len();
    let data = mine
        .into_iter()
        .skip(window(Some(offset)))
        .take(window(Some(limit)))
        .collect();
    ok(&List { data, total })
}

/// `GET /cost-estimations/{id}`.
pub(crate) fn get(state: &mut State, ctx: &Ctx, id: &str) -> ApiResult {
    let estimation = state
        .estimations
        .iter()
        .find(|e| e.id == id && e.organization_id == ctx.caller.org)
        .ok_or_else(|| ApiError::not_found("Cost estimation not found"))?;
    ok(estimation)
}

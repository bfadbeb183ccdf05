//! The sandbox's whole world, kept in one `Mutex<State>`: clock, keys, orgs,
//! estimations, scans and findings, and the lifecycle rules that move them.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::seed::{TEMPLATES, sql_injection_path};
use crate::util::{Rng, Ts, fake_sha};
use crate::{Config, Fault, Keys};

pub(crate) const SEVERITIES: &[&str] = &["critical", "high", "medium", "low", "info"];
pub(crate) const FINDING_STATES: &[&str] = &[
    "open",
    "true_positive",
    "false_positive",
    "accepted_risk",
    "resolved",
    "closed",
];
pub(crate) const SCAN_TYPES: &[&str] = &["pr", "full"];
pub(crate) const SCAN_STATUSES: &[&str] = &[
    "pending",
    "running",
    "completed",
    "failed",
    "stopped",
    "cancelled",
    "skipped",
    "pending_verification",
    "pending_triage",
    "draft",
    "estimating",
    "estimated",
];
pub(crate) const SORT_ORDERS: &[&str] = &["ASC", "DESC"];

/// The two seeded organizations.
pub(crate) const ACME: &str = "acme";
pub(crate) const GLOBEX: &str = "globex";
/// Maximum number of active (non-revoked) keys per organization.
pub(crate) const MAX_ACTIVE_KEYS: usize = 10;

/// An API key scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Read,
    Write,
    Delete,
    Admin,
}

impl Scope {
    pub(crate) const NAMES: &[&str] = &["read", "write", "delete", "admin"];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Delete => "delete",
            Scope::Admin => "admin",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Scope> {
        [Scope::Read, Scope::Write, Scope::Delete, Scope::Admin]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// Sandbox time: the wall clock at start, plus elapsed real time (if enabled), plus `advance()`s.
#[derive(Debug)]
pub(crate) struct Clock {
    real: bool,
    started: Instant,
    offset: Duration,
    base_ms: u64,
}

impl Clock {
    pub(crate) fn now(&self) -> Ts {
        let elapsed = if self.real {
            self.started.elapsed()
        } else {
            Duration::ZERO
        };
        Ts(self.base_ms + (elapsed + self.offset).as_millis() as u64)
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

pub(crate) struct ApiKey {
    pub(crate) id: String,
    pub(crate) org: String,
    pub(crate) name: String,
    pub(crate) secret: String,
    pub(crate) scopes: Vec<Scope>,
    pub(crate) revoked: bool,
    pub(crate) user_id: String,
    pub(crate) created_at: Ts,
    pub(crate) last_used_at: Option<Ts>,
    /// Timestamps (ms) of the requests counted in the current rate-limit window.
    pub(crate) hits: VecDeque<u64>,
}

impl ApiKey {
    /// The non-secret prefix: the first 12 characters.
    pub(crate) fn prefix(&self) -> &str {
        &self.secret[..12]
    }

    /// Whether the key grants `scope` (`write` implies `read`).
    pub(crate) fn grants(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || (scope == Scope::Read && self.scopes.contains(&Scope::Write))
    }
}

#[derive(Debug)]
pub(crate) struct Org {
    pub(crate) id: String,
    pub(crate) credits: u64,
    pub(crate) repos: Vec<UnifiedRepo>,
}

/// `UnifiedRepoDto`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UnifiedRepo {
    pub(crate) id: String,
    pub(crate) provider: &'static str,
    pub(crate) name: &'static str,
    pub(crate) provider_key: String,
    pub(crate) enabled: bool,
    pub(crate) threat_model_updated_at: Option<Ts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pr_scans_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pr_scan_branches: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) installation_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) default_branch: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) visibility: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) webhook_registered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_private: Option<bool>,
}

/// `RepoInputResponseDto`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RepoInput {
    pub(crate) source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) repo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) commit_sha: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) archive_id: Option<String>,
}

impl RepoInput {
    /// The repository URL, or the archive id for uploads.
    pub(crate) fn label(&self) -> &str {
        self.repo_url
            .as_deref()
            .or(self.archive_id.as_deref())
            .unwrap_or_default()
    }
}

/// `RepoResultApplicationDto`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Application {
    app_name: String,
    app_root_path: &'static str,
    architecture: &'static str,
}

/// `RepoResultResponseDto`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RepoResult {
    repo_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit_sha: Option<String>,
    status: &'static str,
    from_cache: bool,
    applications: Vec<Application>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credits: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsupported_languages: Option<Vec<&'static str>>,
}

/// `CostEstimationResponseDto`, plus sandbox bookkeeping.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Estimation {
    pub(crate) id: String,
    pub(crate) organization_id: String,
    pub(crate) user_id: String,
    pub(crate) name: String,
    pub(crate) task_id: String,
    pub(crate) status: &'static str,
    pub(crate) repos: Vec<RepoInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) total_credits: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) repo_results: Option<Vec<RepoResult>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
    pub(crate) triage_required: bool,
    pub(crate) triage_fee_credits: u64,
    pub(crate) created_at: Ts,
    pub(crate) updated_at: Ts,
    #[serde(skip)]
    pub(crate) seq: u64,
    /// The scan that claimed this estimation, if any.
    #[serde(skip)]
    pub(crate) claimed_by: Option<String>,
}

/// Lowercased marker checks on a repository URL or archive id.
pub(crate) fn has_marker(label: &str, marker: &str) -> bool {
    label.to_ascii_lowercase().contains(marker)
}

/// `fail` anywhere (except in `scan-fail`) fails the estimation.
fn fails_estimation(label: &str) -> bool {
    has_marker(&label.to_ascii_lowercase().replace("scan-fail", ""), "fail")
}

/// The repository's short name: the last path segment without `.git`.
pub(crate) fn short_name(label: &str) -> &str {
    let trimmed = label.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
    last.strip_suffix(".git").unwrap_or(last)
}

/// Credits for one repository: `500 + 100 × len(short name)`, `0` for an `empty` repo.
pub(crate) fn repo_credits(label: &str) -> u64 {
    if has_marker(label, "empty") {
        0
    } else {
        500 + 100 * short_name(label).len() as u64
    }
}

impl Estimation {
    /// Moves the estimation along its lifecycle: `pending` → `running` at half
    /// of `duration`, then the terminal outcome at `duration`.
    fn advance(&mut self, now: u64, duration: u64) {
        let created = self.created_at.0;
        if self.status == "pending" && now >= created + duration / 2 {
            self.status = "running";
            self.updated_at = Ts(created + duration / 2);
        }
        if self.status == "running" && now >= created + duration {
            self.updated_at = Ts(created + duration);
            self.finish();
        }
    }

    fn finish(&mut self) {
        let failing = self.repos.iter().find(|r| fails_estimation(r.label()));
        let mut results = Vec::new();
        if let Some(failing) = failing {
            let error = format!("Failed to clone repository {}", failing.label());
            for repo in &self.repos {
                let own = fails_estimation(repo.label());
                results.push(result_for(
                    repo,
                    "failed",
                    None,
                    Some(if own {
                        error.clone()
                    } else {
                        "Estimation aborted because another repository failed".into()
                    }),
                ));
            }
            self.status = "failed";
            self.error = Some(error);
        } else {
            let mut total = 0;
            let mut partial = false;
            for repo in &self.repos {
                let credits = repo_credits(repo.label());
                let mut result = if has_marker(repo.label(), "partial") {
                    partial = true;
                    let mut r = result_for(
                        repo,
                        "failed",
                        Some(credits / 2),
                        Some("Unsupported languages detected: COBOL".into()),
                    );
                    r.failure_reason = Some("unsupported_language");
                    r.unsupported_languages = Some(vec!["COBOL"]);
                    r
                } else {
                    result_for(repo, "completed", Some(credits), None)
                };
                total += result.credits.unwrap_or(0);
                result.applications = vec![Application {
                    app_name: short_name(repo.label()).to_string(),
                    app_root_path: ".",
                    architecture: "Node.js web application with PostgreSQL",
                }];
                results.push(result);
            }
            self.status = if partial { "partial" } else { "completed" };
            self.total_credits = Some(total);
            self.triage_fee_credits = total / 5;
        }
        self.repo_results = Some(results);
    }
}

fn result_for(repo: &RepoInput, status: &'static str, credits: Option<u64>, error: Option<String>) -> RepoResult {
    RepoResult {
        repo_url: repo.label().to_string(),
        branch: repo.branch.clone(),
        commit_sha: repo.commit_sha.clone(),
        status,
        from_cache: false,
        applications: Vec::new(),
        credits,
        error,
        failure_reason: None,
        unsupported_languages: None,
    }
}

/// `RestScanFindingsSummaryDto`.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Summary {
    critical: u64,
    high: u64,
    medium: u64,
    low: u64,
    info: u64,
}

/// `RestScanResponseDto`, plus sandbox bookkeeping.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Scan {
    pub(crate) id: String,
    pub(crate) task_id: String,
    pub(crate) scan_type: &'static str,
    pub(crate) status: &'static str,
    pub(crate) name: Option<String>,
    pub(crate) repo_url: Option<String>,
    pub(crate) branch: Option<String>,
    pub(crate) pr_number: Option<u32>,
    pub(crate) target_urls: Option<Vec<String>>,
    pub(crate) findings_summary: Summary,
    pub(crate) created_at: Ts,
    pub(crate) updated_at: Ts,
    #[serde(skip)]
    pub(crate) org: String,
    #[serde(skip)]
    pub(crate) seq: u64,
    /// Scanned repositories (URL or archive id).
    #[serde(skip)]
    pub(crate) repos: Vec<String>,
}

/// `RestScanStatusResponseDto`.
#[derive(Serialize)]
pub(crate) struct ScanStatus<'a> {
    id: &'a str,
    task_id: &'a str,
    status: &'a str,
    created_at: Ts,
    updated_at: Ts,
}

impl Scan {
    pub(crate) fn status_view(&self) -> ScanStatus<'_> {
        ScanStatus {
            id: &self.id,
            task_id: &self.task_id,
            status: self.status,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// `RestTriageThreadEntryDto`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ThreadEntry {
    pub(crate) id: String,
    pub(crate) reaction: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) user_id: String,
    pub(crate) username: String,
    pub(crate) source: &'static str,
    pub(crate) timestamp: Ts,
}

/// `TaintStepDto`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TaintStep {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) file: &'static str,
    pub(crate) line: u32,
    pub(crate) end_line: u32,
    pub(crate) symbol: &'static str,
    pub(crate) description: &'static str,
    pub(crate) taint_sources: Vec<&'static str>,
    pub(crate) code: &'static str,
    pub(crate) code_start_line: u32,
    pub(crate) code_end_line: u32,
}

/// `RestFindingResponseDto`, plus the detail fields and sandbox bookkeeping.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Finding {
    pub(crate) id: String,
    pub(crate) title: &'static str,
    pub(crate) category: &'static str,
    pub(crate) severity: &'static str,
    pub(crate) state: &'static str,
    pub(crate) description: &'static str,
    pub(crate) affected_file: &'static str,
    pub(crate) affected_code: &'static str,
    pub(crate) proof_of_concept: Option<&'static str>,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) scan_id: Option<String>,
    pub(crate) found_at: Ts,
    pub(crate) updated_at: Ts,
    pub(crate) resolved_at: Option<Ts>,
    #[serde(skip)]
    pub(crate) org: String,
    #[serde(skip)]
    pub(crate) seq: u64,
    /// Only `approved` findings are visible through the API.
    #[serde(skip)]
    pub(crate) approved: bool,
    #[serde(skip)]
    pub(crate) line: u32,
    #[serde(skip)]
    pub(crate) repo_url: Option<String>,
    #[serde(skip)]
    pub(crate) scan_type: &'static str,
    #[serde(skip)]
    pub(crate) duplicate_of: Option<String>,
    #[serde(skip)]
    pub(crate) thread: Vec<ThreadEntry>,
    #[serde(skip)]
    pub(crate) taint_path: Vec<TaintStep>,
}

/// `RestFindingDetailResponseDto`.
#[derive(Serialize)]
pub(crate) struct FindingDetail<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    triage_thread: &'a [ThreadEntry],
    taint_path: &'a [TaintStep],
    occurrence_count: u32,
    repo_url: &'a Option<String>,
    scan_type: &'a str,
}

impl Finding {
    pub(crate) fn detail(&self) -> FindingDetail<'_> {
        FindingDetail {
            finding: self,
            triage_thread: &self.thread,
            taint_path: &self.taint_path,
            occurrence_count: 1,
            repo_url: &self.repo_url,
            scan_type: self.scan_type,
        }
    }

    pub(crate) fn severity_rank(&self) -> usize {
        SEVERITIES.len() - SEVERITIES.iter().position(|s| *s == self.severity).unwrap_or(4)
    }
}

/// The sandbox state. Always accessed under the single `Mutex`; never held across `.await`.
pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) rng: Rng,
    pub(crate) faults: VecDeque<(Fault, usize)>,
    pub(crate) orgs: Vec<Org>,
    pub(crate) keys: Vec<ApiKey>,
    pub(crate) estimations: Vec<Estimation>,
    pub(crate) scans: Vec<Scan>,
    pub(crate) findings: Vec<Finding>,
    /// Successful handler runs per operation (`"POST /scans"`).
    pub(crate) applied: std::collections::HashMap<&'static str, usize>,
    seq: u64,
}

impl State {
    /// Builds the seeded world and returns it with the seeded keys.
    pub(crate) fn seeded(config: Config) -> (State, Keys) {
        let base_ms = match config.seed {
            // A fixed epoch keeps seeded runs fully reproducible.
            Some(_) => 1_773_144_000_000, // 2026-03-10T12:00:00Z
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
        };
        let mut state = State {
            clock: Clock {
                real: config.real_clock,
                started: Instant::now(),
                offset: Duration::ZERO,
                base_ms,
            },
            rng: Rng::new(config.seed),
            faults: VecDeque::new(),
            orgs: Vec::new(),
            keys: Vec::new(),
            estimations: Vec::new(),
            scans: Vec::new(),
            findings: Vec::new(),
            applied: Default::default(),
            seq: 0,
            config,
        };
        let keys = state.seed();
        (state, keys)
    }

    /// Adds a key and returns its secret.
    pub(crate) fn add_key(&mut self, org: &str, name: &str, scopes: Vec<Scope>) -> String {
        let secret = self.rng.api_key();
        let key = ApiKey {
            id: self.rng.uuid(),
            org: org.into(),
            name: name.into(),
            secret: secret.clone(),
            scopes,
            revoked: false,
            user_id: self.rng.uuid(),
            created_at: self.now(),
            last_used_at: None,
            hits: VecDeque::new(),
        };
        self.keys.push(key);
        secret
    }

    pub(crate) fn now(&self) -> Ts {
        self.clock.now()
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub(crate) fn org_mut(&mut self, id: &str) -> Option<&mut Org> {
        self.orgs.iter_mut().find(|o| o.id == id)
    }

    /// Takes the next injected fault, if any.
    pub(crate) fn take_fault(&mut self) -> Option<Fault> {
        if crate::faults::handling_a_fault() {
            return None; // this request already carries one (see `faults`)
        }
        let (fault, remaining) = self.faults.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            self.faults.pop_front();
        }
        Some(fault)
    }

    /// Brings every estimation and scan up to date with the clock.
    pub(crate) fn tick(&mut self) {
        let now = self.now().0;
        let estimation_ms = self.config.estimation_time.as_millis() as u64;
        for estimation in &mut self.estimations {
            estimation.advance(now, estimation_ms);
        }
        let scan_ms = self.config.scan_time.as_millis() as u64;
        let mut finished = Vec::new();
        for (index, scan) in self.scans.iter_mut().enumerate() {
            let created = scan.created_at.0;
            if scan.status == "pending" && now >= created + scan_ms / 2 {
                scan.status = "running";
                scan.updated_at = Ts(created + scan_ms / 2);
            }
            if scan.status == "running" && now >= created + scan_ms {
                scan.updated_at = Ts(created + scan_ms);
                if scan.repos.iter().any(|r| has_marker(r, "fail")) {
                    scan.status = "failed";
                } else {
                    scan.status = "completed";
                    finished.push(index);
                }
            }
        }
        for index in finished {
            let at = self.scans[index].updated_at;
            self.generate_findings(index, at);
        }
    }

    pub(crate) fn generate_findings(&mut self, scan_index: usize, at: Ts) {
        let scan = self.scans[scan_index].clone();
        for repo in &scan.repos {
            for t in TEMPLATES {
                let seq = self.next_seq();
                self.findings.push(Finding {
                    id: self.rng.uuid(),
                    title: t.title,
                    category: t.category,
                    severity: t.severity,
                    state: "open",
                    description: t.description,
                    affected_file: t.file,
                    affected_code: t.code,
                    proof_of_concept: t.poc,
                    tags: t.tags.to_vec(),
                    scan_id: Some(scan.id.clone()),
                    found_at: at,
                    updated_at: at,
                    resolved_at: None,
                    org: scan.org.clone(),
                    seq,
                    approved: t.approved,
                    line: t.line,
                    repo_url: Some(repo.clone()),
                    scan_type: scan.scan_type,
                    duplicate_of: None,
                    thread: Vec::new(),
                    taint_path: if t.category == "injection" {
                        sql_injection_path()
                    } else {
                        Vec::new()
                    },
                });
            }
        }
    }

    /// The scan as the API shows it, with its findings summary computed.
    pub(crate) fn scan_view(&self, scan: &Scan) -> Scan {
        let mut view = scan.clone();
        let summary = &mut view.findings_summary;
        for f in self
            .findings
            .iter()
            .filter(|f| f.approved && f.scan_id.as_deref() == Some(&scan.id))
        {
            *match f.severity {
                "critical" => &mut summary.critical,
                "high" => &mut summary.high,
                "medium" => &mut summary.medium,
                "low" => &mut summary.low,
                _ => &mut summary.info,
            } += 1;
        }
        view
    }

    pub(crate) fn scan(&self, org: &str, id: &str) -> Option<&Scan> {
        self.scans.iter().find(|s| s.org == org && s.id == id)
    }

    /// Index of a finding visible to `org` (approved and owned).
    pub(crate) fn visible_finding(&self, org: &str, id: &str) -> Option<usize> {
        self.findings
            .iter()
            .position(|f| f.approved && f.org == org && f.id == id)
    }

    /// A new estimation record in `pending` state (not yet stored).
    pub(crate) fn new_estimation(
        &mut self,
        org: &str,
        user_id: &str,
        name: String,
        repos: Vec<RepoInput>,
    ) -> Estimation {
        let now = self.now();
        let task_id = format!(
            "cost_est_{}_{}",
            repos.first().map_or("repo", |r| short_name(r.label())),
            self.rng.next_u64() % 100_000
        );
        let repos = repos
            .into_iter()
            .map(|mut r| {
                if r.source != "upload" {
                    let text = format!("{}#{}", r.label(), r.branch.as_deref().unwrap_or(""));
                    r.commit_sha = Some(fake_sha(&text));
                }
                r
            })
            .collect();
        Estimation {
            id: self.rng.uuid(),
            organization_id: org.into(),
            user_id: user_id.into(),
            name,
            task_id,
            status: "pending",
            repos,
            total_credits: None,
            repo_results: None,
            error: None,
            triage_required: false,
            triage_fee_credits: 0,
            created_at: now,
            updated_at: now,
            seq: self.next_seq(),
            claimed_by: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str) -> RepoInput {
        RepoInput {
            source: "public",
            repo_url: Some(url.into()),
            branch: Some("main".into()),
            commit_sha: None,
            archive_id: None,
        }
    }

    fn estimate(urls: &[&str]) -> (State, Estimation) {
        let config = Config::default().with_real_clock(false).with_seed(1);
        let (mut state, _) = State::seeded(config);
        let mut e = state.new_estimation(ACME, "user", "n".into(), urls.iter().map(|u| repo(u)).collect());
        e.advance(e.created_at.0 + 999, 2000);
        assert_eq!(e.status, "pending");
        e.advance(e.created_at.0 + 1000, 2000);
        assert_eq!(e.status, "running");
        e.advance(e.created_at.0 + 2000, 2000);
        (state, e)
    }

    #[test]
    fn estimation_outcomes_follow_the_repo_markers() {
        let (_, ok) = estimate(&["https://github.com/acme/webapp"]);
        assert_eq!((ok.status, ok.total_credits), ("completed", Some(1100)));
        let (_, partial) = estimate(&["https://github.com/acme/webapp", "https://github.com/acme/partial"]);
        assert_eq!((partial.status, partial.total_credits), ("partial", Some(1100 + 600)));
        let (_, failed) = estimate(&["https://github.com/acme/will-fail"]);
        assert_eq!((failed.status, failed.total_credits), ("failed", None));
        assert_eq!(
            failed.error.as_deref(),
            Some("Failed to clone repository https://github.com/acme/will-fail")
        );
        let (_, scan_fail) = estimate(&["https://github.com/acme/scan-fail"]);
        assert_eq!(scan_fail.status, "completed");
        let (_, empty) = estimate(&["https://github.com/acme/empty"]);
        assert_eq!((empty.status, empty.total_credits), ("completed", Some(0)));
    }

    #[test]
    fn seeded_state_is_reproducible_and_hides_unapproved_findings() {
        let config = Config::default().with_seed(42);
        let (a, keys_a) = State::seeded(config.clone());
        let (_, keys_b) = State::seeded(config);
        assert_eq!(keys_a.read_write, keys_b.read_write);
        let acme: Vec<_> = a.findings.iter().filter(|f| f.org == ACME).collect();
        assert_eq!(acme.len(), TEMPLATES.len());
        assert_eq!(acme.iter().filter(|f| f.approved).count(), 5);
        let hidden = acme.iter().find(|f| !f.approved).unwrap();
        assert_eq!(a.visible_finding(ACME, &hidden.id), None);
        assert_eq!(a.visible_finding(GLOBEX, &acme[0].id), None);
        assert_eq!(a.visible_finding(ACME, &acme[0].id), Some(0));
    }
}

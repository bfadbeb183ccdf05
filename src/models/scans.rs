//! Scans: `POST /scans`, `GET /scans`, `GET /scans/{id}`,
//! `GET /scans/{id}/status`, and the query of `GET /scans/{id}/findings/export`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::cost_estimations::{CostEstimation, RepoInput, RepoSource};
use super::findings::{ExportFormat, Severity};
use super::open_enum::open_enum;
use super::pagination::SortOrder;

open_enum! {
    /// Kind of scan: a pull-request review or a full Whitebox Scan.
    ///
    /// ```
    /// use hacktron::models::ScanType;
    ///
    /// assert_eq!(ScanType::Pr.as_str(), "pr");
    /// assert_eq!("full".parse::<ScanType>(), Ok(ScanType::Full));
    /// ```
    pub enum ScanType {
        /// `pr`: a review of one pull or merge request.
        Pr => "pr",
        /// `full`: a Whitebox Scan of whole repositories.
        Full => "full",
    }
}

open_enum! {
    /// Lifecycle status of a scan (the `status` of [`Scan`] and [`ScanStatus`]).
    ///
    /// Poll until [`is_terminal`](Self::is_terminal) is true.
    ///
    /// ```
    /// use hacktron::models::ScanState;
    ///
    /// let status: ScanState = serde_json::from_str(r#""running""#)?;
    /// assert!(!status.is_terminal());
    /// // A status this SDK does not know yet decodes too, and keeps its spelling.
    /// let newer: ScanState = serde_json::from_str(r#""paused""#)?;
    /// assert_eq!(newer, ScanState::Unknown("paused".into()));
    /// assert_eq!(serde_json::to_string(&newer)?, r#""paused""#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum ScanState {
        /// `pending`: accepted, not started yet.
        Pending => "pending",
        /// `running`: the scan is in progress.
        Running => "running",
        /// `completed`: finished successfully; findings are available. Terminal.
        Completed => "completed",
        /// `failed`: the scan failed. Terminal.
        Failed => "failed",
        /// `stopped`: the scan was stopped before finishing. Terminal.
        Stopped => "stopped",
        /// `cancelled`: the scan was cancelled. Terminal.
        Cancelled => "cancelled",
        /// `skipped`: the scan was skipped and will not run. Terminal.
        Skipped => "skipped",
        /// `pending_verification`: findings are awaiting automated verification.
        PendingVerification => "pending_verification",
        /// `pending_triage`: findings are awaiting human triage.
        PendingTriage => "pending_triage",
        /// `draft`: created but not submitted.
        Draft => "draft",
        /// `estimating`: its cost estimation is running.
        Estimating => "estimating",
        /// `estimated`: its cost estimation is done; the scan has not started.
        Estimated => "estimated",
    }
}

impl ScanState {
    /// Whether the scan will not change status any more: `completed`, `failed`,
    /// `stopped`, `cancelled` or `skipped` (the API's documented stop-polling set).
    ///
    /// ```
    /// use hacktron::models::ScanState;
    ///
    /// assert!(ScanState::Completed.is_terminal());
    /// assert!(ScanState::Cancelled.is_terminal());
    /// assert!(!ScanState::PendingTriage.is_terminal());
    /// assert!(!ScanState::from("paused").is_terminal()); // unknown: keep polling
    /// ```
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Stopped | Self::Cancelled | Self::Skipped
        )
    }
}

open_enum! {
    /// Field to sort `GET /scans` by (`sort_by`).
    ///
    /// ```
    /// use hacktron::models::{ScanListQuery, ScanSortBy, SortOrder};
    ///
    /// let oldest_first = ScanListQuery::new().sort_by(ScanSortBy::CreatedAt).sort_order(SortOrder::Asc);
    /// assert_eq!(oldest_first.sort_by.unwrap().as_str(), "created_at");
    /// ```
    pub enum ScanSortBy {
        /// `created_at`: when the scan was created.
        CreatedAt => "created_at",
        /// `updated_at`: when the scan last changed.
        UpdatedAt => "updated_at",
        /// `status`: the scan's status.
        Status => "status",
    }
}

/// A repository to scan, an item of [`CreateScan::repos`] (`RestRepoDto`).
///
/// Must name a repository and branch included in the cost estimation the scan
/// claims; the server rejects any other. [`CreateScan::from_estimation`] builds
/// exactly those.
///
/// ```
/// use hacktron::models::{RepoSource, ScanRepo};
///
/// let repo = ScanRepo::new("https://github.com/acme/webapp", "main");
/// assert_eq!(repo.source, None); // the server assumes `connected`
/// let public = ScanRepo::new("https://github.com/rust-lang/log", "master").source(RepoSource::Public);
/// assert_eq!(public.source, Some(RepoSource::Public));
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ScanRepo {
    /// Repository URL; for an uploaded archive, its archive id.
    pub url: String,
    /// Branch name, the same as in the cost estimation.
    pub branch: String,
    /// Where the repository comes from; the server assumes `connected` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RepoSource>,
}

impl ScanRepo {
    /// A repository at `url` on `branch`, from the default (`connected`) source.
    ///
    /// ```
    /// let repo = hacktron::models::ScanRepo::new("https://github.com/acme/webapp", "main");
    /// assert_eq!((repo.url.as_str(), repo.branch.as_str()), ("https://github.com/acme/webapp", "main"));
    /// ```
    #[must_use]
    pub fn new(url: impl Into<String>, branch: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            branch: branch.into(),
            source: None,
        }
    }

    setters! {
        /// Where the repository comes from (`connected`, `public` or `upload`).
        source: RepoSource,
    }

    /// The branch sent for an uploaded archive whose estimation reports none.
    const ARCHIVE_BRANCH: &str = "main";

    /// The scan request's spelling of item `index` of an estimation's `repos`;
    /// the rules are those of [`CreateScan::from_estimation`].
    fn from_input(index: usize, input: &RepoInput) -> Result<Self, IncompleteRepoInput> {
        let missing = |field| IncompleteRepoInput { index, missing: field };
        if input.source == Some(RepoSource::Upload) {
            let archive_id = input.archive_id.as_ref().ok_or_else(|| missing("archive_id"))?;
            let branch = input.branch.as_deref().unwrap_or(Self::ARCHIVE_BRANCH);
            return Ok(Self::new(archive_id, branch).source(RepoSource::Upload));
        }
        let url = input.repo_url.as_ref().ok_or_else(|| missing("repo_url"))?;
        let branch = input.branch.as_ref().ok_or_else(|| missing("branch"))?;
        Ok(Self {
            source: input.source.clone(),
            ..Self::new(url, branch)
        })
    }
}

/// Why [`CreateScan::from_estimation`] could not build a scan: an item of the
/// estimation's [`repos`](CostEstimation::repos) lacks the field that names it.
///
/// ```
/// use hacktron::models::{CostEstimation, CreateScan};
///
/// let estimation: CostEstimation = serde_json::from_value(serde_json::json!({
///     "id": "7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11", "status": "completed",
///     "repos": [{"source": "connected", "repo_url": "https://github.com/acme/webapp"}],
/// #   "organization_id": "acme", "user_id": "u1", "task_id": "t1", "total_credits": 1100.0,
/// #   "triage_required": false, "triage_fee_credits": 0.0,
/// #   "created_at": "2026-03-10T12:00:00Z", "updated_at": "2026-03-10T12:00:02Z",
/// }))?;
/// let err = CreateScan::from_estimation(&estimation).unwrap_err();
/// assert_eq!((err.index(), err.missing()), (0, "branch"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncompleteRepoInput {
    index: usize,
    missing: &'static str,
}

impl IncompleteRepoInput {
    /// Position of the item in the estimation's `repos`, from `0`.
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// Wire name of the missing field: `repo_url`, `branch` or `archive_id`.
    #[must_use]
    pub fn missing(&self) -> &'static str {
        self.missing
    }
}

impl fmt::Display for IncompleteRepoInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "repository {} of the cost estimation has no `{}`, so a scan cannot name it",
            self.index, self.missing
        )
    }
}

impl std::error::Error for IncompleteRepoInput {}

/// Body of `POST /scans`: start a Whitebox Scan (`RestCreateScanDto`).
///
/// Needs a `completed` or `partial` cost estimation with positive
/// `total_credits`, and claims it: one estimation starts one scan. Answered
/// with a [`CreatedScan`]; `402` when the organization lacks credits.
///
/// ```
/// use hacktron::models::{CreateScan, ScanRepo};
///
/// let scan = CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11")
///     .repo(ScanRepo::new("https://github.com/acme/webapp", "main"))
///     .target_url("https://staging.acme.test")
///     .auth_instructions("Log in as demo@acme.test / demo");
/// let body = serde_json::to_value(&scan)?;
/// assert_eq!(body["target_urls"][0], "https://staging.acme.test");
/// assert!(body.get("custom_context").is_none()); // unset: not sent
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CreateScan {
    /// UUID of the completed cost estimation this scan claims.
    pub cost_estimation_id: String,
    /// Repositories to scan: the same repositories and branches as the estimation.
    pub repos: Vec<ScanRepo>,
    /// Target URLs for the pentest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_urls: Option<Vec<String>>,
    /// How to authenticate against the targets (at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_instructions: Option<String>,
    /// Free-form context for the pentest (at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_context: Option<String>,
    /// UUIDs of context documents to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_document_ids: Option<Vec<String>>,
}

impl CreateScan {
    /// A scan claiming the cost estimation `cost_estimation_id`, with no
    /// repositories yet: add them with [`repo`](Self::repo).
    ///
    /// ```
    /// use hacktron::models::CreateScan;
    ///
    /// let scan = CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11");
    /// assert!(scan.repos.is_empty());
    /// ```
    #[must_use]
    pub fn new(cost_estimation_id: impl Into<String>) -> Self {
        Self {
            cost_estimation_id: cost_estimation_id.into(),
            repos: Vec::new(),
            target_urls: None,
            auth_instructions: None,
            custom_context: None,
            context_document_ids: None,
        }
    }

    /// A scan claiming `estimation` of exactly what it estimated: one
    /// [`ScanRepo`] per item of [`estimation.repos`](CostEstimation::repos), in
    /// order, with its URL, branch and source. Building the scan this way is
    /// how to avoid the server's "not included in the cost estimation"
    /// ([`Error::NotInEstimation`](crate::Error::NotInEstimation)) and "branch
    /// does not match" ([`Error::BranchMismatch`](crate::Error::BranchMismatch))
    /// rejections.
    ///
    /// * A `connected` or `public` repository, or one of no or an unknown
    ///   `source`, is sent with its `repo_url` and `branch`, and the `source`
    ///   exactly as the estimation reports it (none when it reports none).
    /// * An uploaded archive (`source` `upload`) is sent with its `archive_id`
    ///   as the `url`, the name the server matches it by. The request requires
    ///   a `branch`, but an estimation records none for an archive
    ///   ([`RepoInput::branch`] is for `connected` and `public`), so there is
    ///   no estimated branch to match: the SDK sends the estimation's `branch`
    ///   if it does report one, otherwise `main`.
    ///
    /// Every repository of a `partial` estimation is included, failed ones too,
    /// since they are all part of the estimation. This does not check that the
    /// estimation is ready: see
    /// [`is_ready_for_scan`](CostEstimation::is_ready_for_scan). Pentest inputs
    /// (target URLs and so on) are left unset; chain their setters.
    ///
    /// # Errors
    ///
    /// [`IncompleteRepoInput`] when an item of `estimation.repos` lacks the
    /// field that names it (`repo_url` or `branch`, or `archive_id` for an
    /// upload), which the spec allows but a scan cannot do without.
    ///
    /// # Examples
    ///
    /// ```
    /// # let estimation: hacktron::models::CostEstimation = serde_json::from_value(serde_json::json!({
    /// #     "id": "7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11", "organization_id": "acme", "user_id": "u1", "task_id": "t1",
    /// #     "status": "completed", "total_credits": 1100.0, "triage_required": false, "triage_fee_credits": 0.0,
    /// #     "created_at": "2026-03-10T12:00:00Z", "updated_at": "2026-03-10T12:00:02Z",
    /// #     "repos": [
    /// #         {"source": "connected", "repo_url": "https://github.com/acme/webapp", "branch": "main"},
    /// #         {"source": "upload", "archive_id": "arc_42"}
    /// #     ]
    /// # }))?;
    /// use hacktron::models::{CreateScan, RepoSource};
    ///
    /// // `estimation`: a completed estimation of a connected repository and an upload.
    /// let scan = CreateScan::from_estimation(&estimation)?;
    /// assert_eq!(scan.cost_estimation_id, estimation.id);
    /// assert_eq!(scan.repos[0].url, "https://github.com/acme/webapp");
    /// assert_eq!(scan.repos[0].branch, "main");
    /// assert_eq!((scan.repos[1].url.as_str(), scan.repos[1].branch.as_str()), ("arc_42", "main"));
    /// assert_eq!(scan.repos[1].source, Some(RepoSource::Upload));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_estimation(estimation: &CostEstimation) -> Result<Self, IncompleteRepoInput> {
        let repos = estimation
            .repos
            .iter()
            .enumerate()
            .map(|(index, input)| ScanRepo::from_input(index, input))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            repos,
            ..Self::new(&estimation.id)
        })
    }

    /// Adds a repository to scan.
    ///
    /// ```
    /// use hacktron::models::{CreateScan, ScanRepo};
    ///
    /// let scan = CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11")
    ///     .repo(ScanRepo::new("https://github.com/acme/webapp", "main"))
    ///     .repo(ScanRepo::new("https://github.com/acme/infra", "main"));
    /// assert_eq!(scan.repos.len(), 2);
    /// ```
    #[must_use]
    pub fn repo(mut self, repo: ScanRepo) -> Self {
        self.repos.push(repo);
        self
    }

    /// Adds several repositories to scan.
    ///
    /// ```
    /// use hacktron::models::{CreateScan, ScanRepo};
    ///
    /// let urls = ["https://github.com/acme/webapp", "https://github.com/acme/infra"];
    /// let scan = CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11")
    ///     .repos(urls.map(|url| ScanRepo::new(url, "main")));
    /// assert_eq!(scan.repos.len(), 2);
    /// ```
    #[must_use]
    pub fn repos(mut self, repos: impl IntoIterator<Item = ScanRepo>) -> Self {
        self.repos.extend(repos);
        self
    }

    /// Adds a target URL for the pentest.
    ///
    /// ```
    /// let scan = hacktron::models::CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11")
    ///     .target_url("https://staging.acme.test")
    ///     .target_url("https://api.staging.acme.test");
    /// assert_eq!(scan.target_urls.map(|urls| urls.len()), Some(2));
    /// ```
    #[must_use]
    pub fn target_url(mut self, url: impl Into<String>) -> Self {
        self.target_urls.get_or_insert_with(Vec::new).push(url.into());
        self
    }

    /// Adds a context document (by UUID) to include.
    ///
    /// ```
    /// let scan = hacktron::models::CreateScan::new("7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11")
    ///     .context_document_id("3d2f4c1a-5b6e-4f70-8a9b-0c1d2e3f4a5b");
    /// assert_eq!(scan.context_document_ids.map(|ids| ids.len()), Some(1));
    /// ```
    #[must_use]
    pub fn context_document_id(mut self, id: impl Into<String>) -> Self {
        self.context_document_ids.get_or_insert_with(Vec::new).push(id.into());
        self
    }

    setters! { into {
        /// How to authenticate against the targets (at most 2000 characters).
        auth_instructions: String,
        /// Free-form context for the pentest (at most 2000 characters).
        custom_context: String,
    } }
}

/// Answer of `POST /scans` (`RestCreateScanResponseDto`): poll
/// `GET /scans/{id}/status` with its `id`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CreatedScan {
    /// Scan UUID.
    pub id: String,
    /// Identifier of the task running the scan.
    pub task_id: String,
    /// Initial status of the scan.
    pub status: ScanState,
    /// Human-readable confirmation from the server.
    pub message: String,
}

/// Count of a scan's findings per severity (`RestScanFindingsSummaryDto`).
///
/// ```
/// use hacktron::models::{FindingsSummary, Severity};
///
/// let summary = FindingsSummary { critical: 1, high: 2, low: 4, ..Default::default() };
/// assert_eq!(summary.total(), 7);
/// assert_eq!(summary.at_or_above(&Severity::High), 3);
/// assert_eq!(summary.count(&Severity::Medium), 0);
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct FindingsSummary {
    /// Critical findings.
    pub critical: u64,
    /// High-severity findings.
    pub high: u64,
    /// Medium-severity findings.
    pub medium: u64,
    /// Low-severity findings.
    pub low: u64,
    /// Informational findings.
    pub info: u64,
}

impl FindingsSummary {
    /// The count for one severity; `0` for a severity the summary does not carry.
    ///
    /// ```
    /// use hacktron::models::{FindingsSummary, Severity};
    ///
    /// let summary = FindingsSummary { high: 2, ..Default::default() };
    /// assert_eq!(summary.count(&Severity::High), 2);
    /// assert_eq!(summary.count(&Severity::from("catastrophic")), 0);
    /// ```
    #[must_use]
    pub fn count(&self, severity: &Severity) -> u64 {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
            Severity::Unknown(_) => 0,
        }
    }

    /// Number of findings at or above `threshold` by
    /// [`Severity::is_at_least`], e.g. for a CI gate that fails on any `high` or
    /// `critical` finding. An unknown `threshold` cannot be ranked, so it counts
    /// every finding ([`total`](Self::total)), failing such a gate closed.
    ///
    /// ```
    /// use hacktron::models::{FindingsSummary, Severity};
    ///
    /// let summary = FindingsSummary { critical: 1, high: 2, medium: 3, ..Default::default() };
    /// assert_eq!(summary.at_or_above(&Severity::High), 3); // a CI gate fails on these
    /// assert_eq!(summary.at_or_above(&Severity::Critical), 1);
    /// assert_eq!(summary.at_or_above(&Severity::from("severe")), 6); // unknown threshold: every finding
    /// ```
    #[must_use]
    pub fn at_or_above(&self, threshold: &Severity) -> u64 {
        Severity::KNOWN
            .iter()
            .filter(|severity| severity.is_at_least(threshold))
            .map(|severity| self.count(severity))
            .sum()
    }

    /// Number of findings of every severity.
    ///
    /// ```
    /// let summary = hacktron::models::FindingsSummary { high: 2, info: 5, ..Default::default() };
    /// assert_eq!(summary.total(), 7);
    /// ```
    #[must_use]
    pub fn total(&self) -> u64 {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// A scan, as returned by `GET /scans/{id}` and listed by `GET /scans`
/// (`RestScanResponseDto`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// # let id = client.list_scans(&Default::default()).await?.data.remove(0).id;
/// use hacktron::prelude::*;
/// use hacktron::models::{ScanState, Severity};
///
/// // A CI gate: the scan must have completed without high or critical findings.
/// let scan = client.get_scan(&id).await?;
/// let blocking = scan.findings_summary.at_or_above(&Severity::High);
/// let passed = scan.status == ScanState::Completed && blocking == 0;
/// let verdict = if passed { "passed" } else { "failed" };
/// println!("scan {}: {blocking} blocking findings, gate {verdict}", scan.id);
/// # assert!(!passed); // the seeded scan has one critical and one high finding
/// # Ok(()) }
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Scan {
    /// Scan UUID.
    pub id: String,
    /// Identifier of the task running the scan.
    pub task_id: String,
    /// Pull-request review or full scan.
    pub scan_type: ScanType,
    /// Current status.
    pub status: ScanState,
    /// Display name, if any.
    #[serde(default)]
    pub name: Option<String>,
    /// Scanned repository URL, if the scan has one.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// Scanned branch, if any.
    #[serde(default)]
    pub branch: Option<String>,
    /// Pull or merge request number, for `pr` scans.
    #[serde(default)]
    pub pr_number: Option<u64>,
    /// Pentest target URLs, if any.
    #[serde(default)]
    pub target_urls: Option<Vec<String>>,
    /// Count of the scan's findings per severity.
    pub findings_summary: FindingsSummary,
    /// Creation time (ISO 8601).
    pub created_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
}

/// Lightweight status of a scan, for polling: `GET /scans/{id}/status`
/// (`RestScanStatusResponseDto`).
///
/// Poll every 10 to 30 seconds until
/// [`status.is_terminal()`](ScanState::is_terminal).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ScanStatus {
    /// Scan UUID.
    pub id: String,
    /// Identifier of the task running the scan.
    pub task_id: String,
    /// Current status.
    pub status: ScanState,
    /// Creation time (ISO 8601).
    pub created_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
}

/// Query of `GET /scans`: pagination, filters and sort. Unset fields are not sent.
///
/// ```
/// use hacktron::models::{ScanListQuery, ScanState, ScanType};
///
/// let query = ScanListQuery::new().scan_type(ScanType::Full).status(ScanState::Running).limit(50);
/// let sent = serde_json::to_value(&query)?; // the query string, as JSON
/// assert_eq!(sent, serde_json::json!({"scan_type": "full", "status": "running", "limit": 50}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ScanListQuery {
    /// 1-based page number (server default `1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Items per page; the vendor's pagination page gives a maximum of `100`.
    ///
    /// Unset, the server's default applies, and the vendor documents two
    /// different defaults: its pagination page (`pagination-filtering.mdx`)
    /// says `15`, maximum `100`, while its `openapi.json` declares this
    /// parameter of `GET /scans` with `"default": 100` and no maximum. The
    /// sandbox follows the page (default `15`; above `100` is a `400`). Set it
    /// when the page size matters; [`Page::limit`](super::Page::limit) echoes
    /// the size the server applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only scans of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<ScanType>,
    /// Only scans in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ScanState>,
    /// Field to sort by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<ScanSortBy>,
    /// Sort direction (server default `DESC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl ScanListQuery {
    /// An empty query: first page, server defaults, no filters.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// 1-based page number.
        page: u64,
        /// Items per page.
        limit: u32,
        /// Only scans of this type.
        scan_type: ScanType,
        /// Only scans in this status.
        status: ScanState,
        /// Field to sort by.
        sort_by: ScanSortBy,
        /// Sort direction.
        sort_order: SortOrder,
    }
}

/// Query of `GET /scans/{id}/findings/export`: the required export format.
///
/// The export is not paginated and holds every approved finding of the scan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ScanExportQuery {
    /// Export format: `json`, `csv` or `sarif`.
    pub format: ExportFormat,
}

impl ScanExportQuery {
    /// An export in `format`.
    ///
    /// ```
    /// use hacktron::models::{ExportFormat, ScanExportQuery};
    ///
    /// let flag = "SARIF"; // e.g. from the command line
    /// let query = ScanExportQuery::new(ExportFormat::parse_known(flag)?);
    /// assert_eq!(query.format, ExportFormat::Sarif);
    /// # Ok::<(), hacktron::models::UnknownValue>(())
    /// ```
    #[must_use]
    pub fn new(format: ExportFormat) -> Self {
        Self { format }
    }
}

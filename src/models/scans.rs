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
    #[must_use]
    pub fn repo(mut self, repo: ScanRepo) -> Self {
        self.repos.push(repo);
        self
    }

    /// Adds several repositories to scan.
    #[must_use]
    pub fn repos(mut self, repos: impl IntoIterator<Item = ScanRepo>) -> Self {
        self.repos.extend(repos);
        self
    }

    /// Adds a target URL for the pentest.
    #[must_use]
    pub fn target_url(mut self, url: impl Into<String>) -> Self {
        self.target_urls.get_or_insert_with(Vec::new).push(url.into());
        self
    }

    /// Adds a context document (by UUID) to include.
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
    #[must_use]
    pub fn at_or_above(&self, threshold: &Severity) -> u64 {
        Severity::KNOWN
            .iter()
            .filter(|severity| severity.is_at_least(threshold))
            .map(|severity| self.count(severity))
            .sum()
    }

    /// Number of findings of every severity.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// A scan, as returned by `GET /scans/{id}` and listed by `GET /scans`
/// (`RestScanResponseDto`).
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
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ScanListQuery {
    /// 1-based page number (server default `1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
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
        page: u32,
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
    #[must_use]
    pub fn new(format: ExportFormat) -> Self {
        Self { format }
    }
}

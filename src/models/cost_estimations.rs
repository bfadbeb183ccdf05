//! Cost estimations: `POST /cost-estimations`, `GET /cost-estimations`,
//! `GET /cost-estimations/{id}`.
//!
//! An estimation resolves the repositories to scan, detects the applications
//! in them and predicts the credit cost. A `completed` or `partial` one with
//! positive `total_credits` is what `POST /scans` claims;
//! [`CreateScan::from_estimation`](super::CreateScan::from_estimation) builds
//! that scan of exactly its repositories.

use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;

open_enum! {
    /// Where a repository to estimate or scan comes from.
    pub enum RepoSource {
        /// `connected`: a repository of a provider connected to the organization.
        Connected => "connected",
        /// `public`: a public repository, by URL.
        Public => "public",
        /// `upload`: an uploaded source archive.
        Upload => "upload",
    }
}

open_enum! {
    /// Status of a cost estimation.
    ///
    /// Poll until [`is_terminal`](Self::is_terminal); a terminal estimation is immutable.
    pub enum CostEstimationStatus {
        /// `pending`: accepted, not started yet.
        Pending => "pending",
        /// `running`: the estimation is in progress.
        Running => "running",
        /// `completed`: every repository was estimated; `total_credits` is set. Terminal.
        Completed => "completed",
        /// `partial`: some repositories failed; see `repo_results[].status`. Terminal.
        Partial => "partial",
        /// `failed`: the whole estimation failed; see `error`. Terminal.
        Failed => "failed",
    }
}

impl CostEstimationStatus {
    /// Whether the estimation is done: `completed`, `partial` or `failed`.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Partial | Self::Failed)
    }
}

open_enum! {
    /// Outcome of estimating one repository.
    pub enum RepoResultStatus {
        /// `completed`: the repository was estimated.
        Completed => "completed",
        /// `failed`: it could not be; see `error` and `failure_reason`.
        Failed => "failed",
    }
}

open_enum! {
    /// Structured reason a repository could not be estimated.
    pub enum FailureReason {
        /// `unsupported_language`: the repository is mostly in languages Hacktron
        /// cannot scan yet; see `unsupported_languages`.
        UnsupportedLanguage => "unsupported_language",
    }
}

/// A repository to estimate, an item of [`CreateCostEstimation::repos`]: one of
/// `ConnectedCostEstimationRepoDto`, `PublicCostEstimationRepoDto` or
/// `UploadCostEstimationRepoDto`, told apart by `source`.
///
/// Each variant carries exactly the fields valid for its source.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum EstimationRepo {
    /// `connected`: a repository of a provider connected to the organization.
    Connected {
        /// Repository URL.
        repo_url: String,
        /// Branch name.
        branch: String,
        /// GitHub App installation id; leave unset for PAT-based connections
        /// (e.g. GitHub Enterprise), where the server resolves it from the URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        github_installation_id: Option<u64>,
    },
    /// `public`: a public repository, by URL.
    Public {
        /// Repository URL.
        repo_url: String,
        /// Branch name.
        branch: String,
    },
    /// `upload`: an uploaded source archive.
    Upload {
        /// Id of the uploaded scan archive.
        archive_id: String,
    },
}

impl EstimationRepo {
    /// A connected repository, its installation resolved by the server from the URL.
    #[must_use]
    pub fn connected(repo_url: impl Into<String>, branch: impl Into<String>) -> Self {
        Self::Connected {
            repo_url: repo_url.into(),
            branch: branch.into(),
            github_installation_id: None,
        }
    }

    /// A connected repository reached through the GitHub App installation `installation_id`.
    #[must_use]
    pub fn connected_via_installation(
        repo_url: impl Into<String>,
        branch: impl Into<String>,
        installation_id: u64,
    ) -> Self {
        Self::Connected {
            repo_url: repo_url.into(),
            branch: branch.into(),
            github_installation_id: Some(installation_id),
        }
    }

    /// A public repository at `repo_url` on `branch`.
    #[must_use]
    pub fn public(repo_url: impl Into<String>, branch: impl Into<String>) -> Self {
        Self::Public {
            repo_url: repo_url.into(),
            branch: branch.into(),
        }
    }

    /// An uploaded archive, by its id.
    #[must_use]
    pub fn upload(archive_id: impl Into<String>) -> Self {
        Self::Upload {
            archive_id: archive_id.into(),
        }
    }

    /// The source this repository is tagged with on the wire.
    #[must_use]
    pub fn source(&self) -> RepoSource {
        match self {
            Self::Connected { .. } => RepoSource::Connected,
            Self::Public { .. } => RepoSource::Public,
            Self::Upload { .. } => RepoSource::Upload,
        }
    }
}

/// Body of `POST /cost-estimations` (`CreateCostEstimationDto`); answered with
/// a [`CostEstimation`] in `pending` or `running` status.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CreateCostEstimation {
    /// Friendly name for the estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Repositories to estimate (at least one).
    pub repos: Vec<EstimationRepo>,
}

impl CreateCostEstimation {
    /// An estimation of `repos`; add more with [`repo`](Self::repo).
    #[must_use]
    pub fn new(repos: impl IntoIterator<Item = EstimationRepo>) -> Self {
        Self {
            name: None,
            repos: repos.into_iter().collect(),
        }
    }

    /// Adds a repository to estimate.
    #[must_use]
    pub fn repo(mut self, repo: EstimationRepo) -> Self {
        self.repos.push(repo);
        self
    }

    setters! { into {
        /// Friendly name for the estimation.
        name: String,
    } }
}

/// A cost estimation: `GET /cost-estimations/{id}`, the answer of
/// `POST /cost-estimations`, and the items of `GET /cost-estimations`
/// (`CostEstimationResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CostEstimation {
    /// Estimation UUID; pass it as `cost_estimation_id` to `POST /scans`.
    pub id: String,
    /// Organization UUID.
    pub organization_id: String,
    /// UUID of the user who created it.
    pub user_id: String,
    /// Friendly name, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Task identifier.
    pub task_id: String,
    /// Status.
    pub status: CostEstimationStatus,
    /// The repositories as submitted and resolved.
    pub repos: Vec<RepoInput>,
    /// Estimated credits across all repositories, once estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_credits: Option<f64>,
    /// Per-repository results, once estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo_results: Option<Vec<RepoResult>>,
    /// Error message, when the estimation failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether a scan of this estimation must include human triage (large
    /// application above the cost threshold); not optional when true.
    pub triage_required: bool,
    /// Triage fee in credits, added to the scan when triage is enabled.
    pub triage_fee_credits: f64,
    /// Creation time (ISO 8601).
    pub created_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
}

impl CostEstimation {
    /// Whether `POST /scans` can claim it: `completed` or `partial` with
    /// positive `total_credits`.
    #[must_use]
    pub fn is_ready_for_scan(&self) -> bool {
        matches!(
            self.status,
            CostEstimationStatus::Completed | CostEstimationStatus::Partial
        ) && self.total_credits.is_some_and(|credits| credits > 0.0)
    }
}

/// A repository as submitted to an estimation and resolved by the server
/// (`RepoInputResponseDto`). Which fields are set depends on `source`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct RepoInput {
    /// Where the repository comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RepoSource>,
    /// Repository URL (`connected` and `public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo_url: Option<String>,
    /// Branch name (`connected` and `public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Commit the branch resolved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_sha: Option<String>,
    /// Archive id (`upload`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_id: Option<String>,
}

/// Estimation result of one repository (`RepoResultResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RepoResult {
    /// Repository URL.
    pub repo_url: String,
    /// Branch name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Commit estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_sha: Option<String>,
    /// Whether this repository was estimated.
    pub status: RepoResultStatus,
    /// Whether the result was served from cache.
    pub from_cache: bool,
    /// Applications detected in the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applications: Option<Vec<DetectedApplication>>,
    /// Estimated credits for this repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<f64>,
    /// Error message, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Structured failure reason, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<FailureReason>,
    /// Unsupported languages detected among the repository's top languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported_languages: Option<Vec<String>>,
}

/// An application detected in a repository (`RepoResultApplicationDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DetectedApplication {
    /// Application name.
    pub app_name: String,
    /// Root path of the application in the repository.
    pub app_root_path: String,
    /// Description of its architecture, if detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
}

/// Query of `GET /cost-estimations`: offset-based pagination, most recent
/// first. Unset fields are not sent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct CostEstimationListQuery {
    /// Items to return (server default `50`, maximum `100`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Items to skip (server default `0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl CostEstimationListQuery {
    /// An empty query: server defaults.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Items to return.
        limit: u32,
        /// Items to skip.
        offset: u64,
    }
}

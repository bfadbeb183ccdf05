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
    ///
    /// ```
    /// use hacktron::models::{EstimationRepo, RepoSource};
    ///
    /// assert_eq!(EstimationRepo::upload("arc_42").source(), RepoSource::Upload);
    /// assert_eq!(RepoSource::Connected.as_str(), "connected");
    /// ```
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
    ///
    /// ```
    /// use hacktron::models::CostEstimationStatus;
    ///
    /// let status: CostEstimationStatus = serde_json::from_str(r#""partial""#)?;
    /// assert!(status.is_terminal());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
    ///
    /// ```
    /// use hacktron::models::CostEstimationStatus;
    ///
    /// assert!(CostEstimationStatus::Failed.is_terminal());
    /// assert!(!CostEstimationStatus::Running.is_terminal());
    /// ```
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Partial | Self::Failed)
    }
}

open_enum! {
    /// Outcome of estimating one repository.
    ///
    /// ```
    /// use hacktron::models::RepoResultStatus;
    ///
    /// assert_eq!(RepoResultStatus::from("failed"), RepoResultStatus::Failed);
    /// ```
    pub enum RepoResultStatus {
        /// `completed`: the repository was estimated.
        Completed => "completed",
        /// `failed`: it could not be; see `error` and `failure_reason`.
        Failed => "failed",
    }
}

open_enum! {
    /// Structured reason a repository could not be estimated.
    ///
    /// ```
    /// use hacktron::models::FailureReason;
    ///
    /// let reason: FailureReason = serde_json::from_str(r#""unsupported_language""#)?;
    /// assert_eq!(reason, FailureReason::UnsupportedLanguage);
    /// // Reasons the server adds later are kept, not rejected.
    /// assert!(FailureReason::from("repo_too_large").is_unknown());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
///
/// ```
/// use hacktron::models::EstimationRepo;
///
/// let repo = EstimationRepo::public("https://github.com/rust-lang/log", "master");
/// assert_eq!(
///     serde_json::to_value(&repo)?,
///     serde_json::json!({"source": "public", "repo_url": "https://github.com/rust-lang/log", "branch": "master"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
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
    ///
    /// ```
    /// use hacktron::models::EstimationRepo;
    ///
    /// let repo = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// assert!(serde_json::to_value(&repo)?.get("github_installation_id").is_none());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn connected(repo_url: impl Into<String>, branch: impl Into<String>) -> Self {
        Self::Connected {
            repo_url: repo_url.into(),
            branch: branch.into(),
            github_installation_id: None,
        }
    }

    /// A connected repository reached through the GitHub App installation `installation_id`.
    ///
    /// ```
    /// use hacktron::models::EstimationRepo;
    ///
    /// let repo = EstimationRepo::connected_via_installation("https://github.com/acme/webapp", "main", 4242);
    /// assert_eq!(serde_json::to_value(&repo)?["github_installation_id"], 4242);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
    ///
    /// ```
    /// use hacktron::models::{EstimationRepo, RepoSource};
    ///
    /// let repo = EstimationRepo::public("https://github.com/rust-lang/log", "master");
    /// assert_eq!(repo.source(), RepoSource::Public);
    /// ```
    #[must_use]
    pub fn public(repo_url: impl Into<String>, branch: impl Into<String>) -> Self {
        Self::Public {
            repo_url: repo_url.into(),
            branch: branch.into(),
        }
    }

    /// An uploaded archive, by its id.
    ///
    /// ```
    /// use hacktron::models::EstimationRepo;
    ///
    /// let repo = EstimationRepo::upload("arc_42");
    /// assert_eq!(serde_json::to_value(&repo)?, serde_json::json!({"source": "upload", "archive_id": "arc_42"}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn upload(archive_id: impl Into<String>) -> Self {
        Self::Upload {
            archive_id: archive_id.into(),
        }
    }

    /// The source this repository is tagged with on the wire.
    ///
    /// ```
    /// use hacktron::models::{EstimationRepo, RepoSource};
    ///
    /// assert_eq!(EstimationRepo::connected("https://github.com/acme/webapp", "main").source(), RepoSource::Connected);
    /// ```
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
///
/// ```
/// use hacktron::models::{CreateCostEstimation, EstimationRepo};
///
/// let request = CreateCostEstimation::new([EstimationRepo::connected("https://github.com/acme/webapp", "main")])
///     .repo(EstimationRepo::upload("arc_42"))
///     .name("webapp and the vendored SDK");
/// assert_eq!(request.repos.len(), 2);
/// ```
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
    ///
    /// ```
    /// use hacktron::models::{CreateCostEstimation, EstimationRepo};
    ///
    /// let branches = ["main", "release/1.x"];
    /// let repos = branches.map(|branch| EstimationRepo::connected("https://github.com/acme/webapp", branch));
    /// let request = CreateCostEstimation::new(repos);
    /// assert_eq!(request.repos.len(), 2);
    /// assert_eq!(request.name, None);
    /// ```
    #[must_use]
    pub fn new(repos: impl IntoIterator<Item = EstimationRepo>) -> Self {
        Self {
            name: None,
            repos: repos.into_iter().collect(),
        }
    }

    /// Adds a repository to estimate.
    ///
    /// ```
    /// use hacktron::models::{CreateCostEstimation, EstimationRepo};
    ///
    /// let request = CreateCostEstimation::new([]).repo(EstimationRepo::upload("arc_42"));
    /// assert_eq!(request.repos, [EstimationRepo::upload("arc_42")]);
    /// ```
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
/// # let urls = ["https://github.com/acme/webapp", "https://github.com/acme/infra"];
/// # let repos = urls.map(|url| EstimationRepo::connected(url, "main"));
/// # let created = client.create_cost_estimation(&CreateCostEstimation::new(repos)).await?;
/// # sandbox.advance(std::time::Duration::from_secs(2)); // the sandbox's estimations take 2 s
/// use hacktron::prelude::*;
///
/// let estimation = client.wait_for_cost_estimation(&created.id, &Wait::new(), |_| {}).await?;
/// for result in estimation.repo_results.iter().flatten() {
///     println!("{} ({}): {:?} credits", result.repo_url, result.status, result.credits);
/// }
/// println!("in all: {:?} credits", estimation.total_credits);
/// # let sum: f64 = estimation.repo_results.iter().flatten().filter_map(|r| r.credits).sum();
/// # assert_eq!(estimation.total_credits, Some(sum));
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # let json = serde_json::json!({
    /// #     "id": "7c1e5a9e-0d1b-4c3a-9a51-3f0e8b2d6c11", "organization_id": "acme", "user_id": "u1", "task_id": "t1",
    /// #     "status": "completed", "total_credits": 1100.0, "triage_required": false, "triage_fee_credits": 0.0,
    /// #     "created_at": "2026-03-10T12:00:00Z", "updated_at": "2026-03-10T12:00:02Z", "repos": []
    /// # });
    /// use hacktron::models::CostEstimation;
    ///
    /// let mut estimation: CostEstimation = serde_json::from_value(json)?; // `completed`, 1100 credits
    /// assert!(estimation.is_ready_for_scan());
    /// estimation.total_credits = Some(0.0); // nothing to scan
    /// assert!(!estimation.is_ready_for_scan());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
///
/// ```
/// use hacktron::models::CostEstimationListQuery;
///
/// let second_slice = CostEstimationListQuery::new().limit(20).offset(20);
/// assert_eq!(serde_json::to_value(&second_slice)?, serde_json::json!({"limit": 20, "offset": 20}));
/// # Ok::<(), serde_json::Error>(())
/// ```
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

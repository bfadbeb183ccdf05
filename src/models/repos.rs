//! Repositories: `GET /repos`, every repository of every connected provider.

use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;

open_enum! {
    /// Source-code provider a repository comes from.
    ///
    /// ```
    /// use hacktron::models::RepoProvider;
    ///
    /// assert_eq!(RepoProvider::GitHub.as_str(), "github");
    /// assert_eq!("GitLab".parse::<RepoProvider>(), Ok(RepoProvider::GitLab));
    /// ```
    pub enum RepoProvider {
        /// `github`: GitHub or GitHub Enterprise.
        GitHub => "github",
        /// `gitlab`: GitLab.
        GitLab => "gitlab",
        /// `bitbucket`: Bitbucket.
        Bitbucket => "bitbucket",
        /// `azure`: Azure DevOps.
        Azure => "azure",
    }
}

/// Answer of `GET /repos` (`MergedReposResponseDto`): the merged list, plus the
/// providers that failed to answer, so a partial list is told from a full one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RepoList {
    /// Repositories of every provider, most recently threat-modelled first.
    pub repos: Vec<Repo>,
    /// Providers that failed to respond; their repositories are missing.
    pub errors: Vec<String>,
}

/// A repository of a connected provider (`UnifiedRepoDto`).
///
/// This is the one schema with camelCase wire names (`providerKey`,
/// `prScansEnabled`, ...). Fields marked with a provider are only sent for it.
///
/// ```
/// use hacktron::models::{Repo, RepoProvider};
///
/// let repo: Repo = serde_json::from_str(r#"{
///     "id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "provider": "github", "name": "acme/webapp",
///     "providerKey": "acme/webapp", "enabled": true, "prScansEnabled": true, "installationId": 4242
/// }"#)?;
/// assert_eq!(repo.provider, RepoProvider::GitHub);
/// assert_eq!((repo.pr_scans_enabled, repo.installation_id), (Some(true), Some(4242)));
/// assert_eq!(repo.default_branch, None); // GitLab only
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Repo {
    /// Internal UUID.
    pub id: String,
    /// Source-code provider.
    pub provider: RepoProvider,
    /// Display name: `owner/repo` (GitHub), `namespace/project` (GitLab),
    /// `workspace/slug` (Bitbucket), `project/repository` (Azure DevOps).
    pub name: String,
    /// Provider-native identifier: `owner/repo` (GitHub), numeric project id
    /// (GitLab), repository UUID (Bitbucket, Azure DevOps).
    pub provider_key: String,
    /// Whether the repository is enabled for scanning.
    pub enabled: bool,
    /// Time of the latest `threat_model.md` update (ISO 8601); `None` if it has none.
    #[serde(default)]
    pub threat_model_updated_at: Option<String>,
    /// Whether pull/merge-request scans are enabled (GitHub and GitLab).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_scans_enabled: Option<bool>,
    /// Target-branch patterns for pull/merge-request scans (GitHub and GitLab).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_scan_branches: Option<Vec<String>>,
    /// GitHub App installation id (GitHub only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<u64>,
    /// GitHub Enterprise base URL or Azure DevOps organization URL; `None` for
    /// github.com. Build clone and display URLs from this host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Default branch (GitLab only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<String>,
    /// Project visibility (GitLab only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Whether a webhook is registered for the project (GitLab only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_registered: Option<bool>,
    /// Whether the repository is private (Bitbucket only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
}

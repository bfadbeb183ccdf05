//! HFW dependency verdicts: `GET /hfw/verdict/{ecosystem}/{packageName}`,
//! `GET /hfw/verdict/{ecosystem}/{scope}/{packageName}`,
//! `POST /hfw/verdicts/batch` and `GET /hfw/osv/feed`.
//!
//! These endpoints are public (no API key) and fast-mode: they answer from the
//! known-malware feed and normally return at once.

use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;

open_enum! {
    /// Package ecosystem.
    ///
    /// ```
    /// use hacktron::models::Ecosystem;
    ///
    /// assert_eq!(Ecosystem::parse_known("PyPI"), Ok(Ecosystem::Pypi));
    /// assert_eq!(Ecosystem::Pypi.as_str(), "pypi");
    /// ```
    pub enum Ecosystem {
        /// `npm`: the npm registry.
        Npm => "npm",
        /// `pypi`: the Python Package Index.
        Pypi => "pypi",
    }
}

open_enum! {
    /// Whether a verdict is final.
    ///
    /// ```
    /// use hacktron::models::VerdictStatus;
    ///
    /// let status = VerdictStatus::from("scanning");
    /// let ask_again = status != VerdictStatus::Ready;
    /// assert!(ask_again);
    /// ```
    pub enum VerdictStatus {
        /// `ready`: the verdict is final.
        Ready => "ready",
        /// `pending`: no verdict yet; ask again later.
        Pending => "pending",
        /// `scanning`: the package is being analysed; ask again later.
        Scanning => "scanning",
    }
}

open_enum! {
    /// How dangerous a package version is.
    ///
    /// ```
    /// use hacktron::models::VerdictLevel;
    ///
    /// let level: VerdictLevel = serde_json::from_str(r#""unknown""#)?;
    /// assert_eq!(level, VerdictLevel::Unassessed); // documented: no verdict
    /// let newer: VerdictLevel = serde_json::from_str(r#""quarantined""#)?;
    /// assert_eq!(newer, VerdictLevel::Unknown("quarantined".into())); // not documented yet
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum VerdictLevel {
        /// `clean`: no sign of malware.
        Clean => "clean",
        /// `suspicious`: some signs of malicious behaviour.
        Suspicious => "suspicious",
        /// `malicious`: known or detected malware.
        Malicious => "malicious",
        /// `unknown`: the service has no verdict for this version. (Named
        /// `Unassessed` because [`VerdictLevel::Unknown`] holds the values the SDK
        /// does not know.)
        Unassessed => "unknown",
    }
}

/// A package version to check, an item of [`BatchVerdictRequest::packages`]
/// (`RestHfwBatchPackageDto`).
///
/// ```
/// use hacktron::models::{BatchPackage, Ecosystem};
///
/// assert_eq!(BatchPackage::npm("@types/node", "22.0.0"), BatchPackage::new(Ecosystem::Npm, "@types/node", "22.0.0"));
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BatchPackage {
    /// Package ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name (scoped npm names included, e.g. `@scope/name`).
    pub package: String,
    /// Package version.
    pub version: String,
}

impl BatchPackage {
    /// The package `package` at `version` in `ecosystem`.
    ///
    /// ```
    /// use hacktron::models::{BatchPackage, Ecosystem};
    ///
    /// let package = BatchPackage::new(Ecosystem::from("pypi"), "requests", "2.32.3");
    /// assert_eq!(package, BatchPackage::pypi("requests", "2.32.3"));
    /// ```
    #[must_use]
    pub fn new(ecosystem: Ecosystem, package: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            ecosystem,
            package: package.into(),
            version: version.into(),
        }
    }

    /// An npm package at `version`.
    ///
    /// ```
    /// let package = hacktron::models::BatchPackage::npm("left-pad", "1.3.0");
    /// let body = serde_json::json!({"ecosystem": "npm", "package": "left-pad", "version": "1.3.0"});
    /// assert_eq!(serde_json::to_value(&package)?, body);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn npm(package: impl Into<String>, version: impl Into<String>) -> Self {
        Self::new(Ecosystem::Npm, package, version)
    }

    /// A PyPI package at `version`.
    ///
    /// ```
    /// use hacktron::models::{BatchPackage, Ecosystem};
    ///
    /// assert_eq!(BatchPackage::pypi("requests", "2.32.3").ecosystem, Ecosystem::Pypi);
    /// ```
    #[must_use]
    pub fn pypi(package: impl Into<String>, version: impl Into<String>) -> Self {
        Self::new(Ecosystem::Pypi, package, version)
    }
}

/// Body of `POST /hfw/verdicts/batch` (`RestHfwBatchRequestDto`).
///
/// ```
/// use hacktron::models::{BatchPackage, BatchVerdictRequest};
///
/// let lockfile = [("left-pad", "1.3.0"), ("event-stream", "3.3.6")];
/// let request = BatchVerdictRequest::new(lockfile.map(|(name, version)| BatchPackage::npm(name, version)));
/// assert_eq!(request.packages.len(), 2);
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BatchVerdictRequest {
    /// Package versions to check.
    pub packages: Vec<BatchPackage>,
}

impl BatchVerdictRequest {
    /// A request for `packages`; add more with [`package`](Self::package).
    ///
    /// ```
    /// use hacktron::models::{BatchPackage, BatchVerdictRequest};
    ///
    /// let request = BatchVerdictRequest::new(vec![BatchPackage::pypi("requests", "2.32.3")]);
    /// assert_eq!(request.packages[0].package, "requests");
    /// ```
    #[must_use]
    pub fn new(packages: impl IntoIterator<Item = BatchPackage>) -> Self {
        Self {
            packages: packages.into_iter().collect(),
        }
    }

    /// Adds a package version to check.
    ///
    /// ```
    /// use hacktron::models::{BatchPackage, BatchVerdictRequest};
    ///
    /// let request = BatchVerdictRequest::new([]).package(BatchPackage::npm("left-pad", "1.3.0"));
    /// assert_eq!(request.packages.len(), 1);
    /// ```
    #[must_use]
    pub fn package(mut self, package: BatchPackage) -> Self {
        self.packages.push(package);
        self
    }
}

/// Verdict on one package version: `GET /hfw/verdict/...` and the items of
/// [`BatchVerdicts::verdicts`] (`RestHfwVerdictResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Whether the verdict is final.
    pub status: VerdictStatus,
    /// Package ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name.
    pub package: String,
    /// Package version.
    pub version: String,
    /// How dangerous the version is.
    pub level: VerdictLevel,
    /// Confidence of the verdict, as the service words it.
    pub confidence: String,
    /// Human-readable summary.
    pub summary: String,
    /// Evidence behind the verdict, as free-form JSON objects.
    pub findings: Vec<serde_json::Value>,
    /// Where the verdict comes from, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// OSV advisory id, if the version is in the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osv_id: Option<String>,
}

impl Verdict {
    /// Whether the version is flagged `malicious`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::<hacktron::NoKey>::public().base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{Ecosystem, VerdictQuery};
    ///
    /// let verdict = client.package_verdict(&Ecosystem::Npm, "evil-pkg", &VerdictQuery::new("1.0.0")).await?;
    /// assert!(verdict.is_malicious());
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn is_malicious(&self) -> bool {
        self.level == VerdictLevel::Malicious
    }
}

/// Answer of `POST /hfw/verdicts/batch` (`RestHfwBatchResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BatchVerdicts {
    /// Overall status of the batch, as the service words it.
    pub status: String,
    /// One verdict per package that could be checked.
    pub verdicts: Vec<Verdict>,
    /// Packages that could not be checked, as free-form JSON objects.
    pub errors: Vec<serde_json::Value>,
}

/// One page of the known-malware feed: `GET /hfw/osv/feed`
/// (`RestHfwOsvFeedResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OsvFeed {
    /// Number of entries in the whole feed, when the server reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// The entries of this page.
    pub results: Vec<OsvFeedEntry>,
}

/// A package of the known-malware feed and its malicious versions
/// (`RestHfwOsvFeedResultDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OsvFeedEntry {
    /// Package ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name.
    pub package: String,
    /// Known-malicious versions.
    pub versions: Vec<String>,
}

/// Query of `GET /hfw/osv/feed`: offset-based pagination. Unset fields are not sent.
///
/// ```
/// use hacktron::models::OsvFeedQuery;
///
/// let next_page = OsvFeedQuery::new().limit(500).offset(500);
/// assert_eq!(serde_json::to_value(&next_page)?, serde_json::json!({"limit": 500, "offset": 500}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct OsvFeedQuery {
    /// Entries to return, 1 to 500 (server default `200`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Entries to skip (server default `0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl OsvFeedQuery {
    /// An empty query: server defaults.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Entries to return, 1 to 500.
        limit: u32,
        /// Entries to skip.
        offset: u64,
    }
}

/// Query of `GET /hfw/verdict/{ecosystem}/{packageName}` and its scoped-npm
/// twin: the required `version`, and how long to wait.
///
/// ```
/// use hacktron::models::VerdictQuery;
///
/// let patient = VerdictQuery::new("3.3.6").wait_seconds(30);
/// assert_eq!(serde_json::to_value(&patient)?, serde_json::json!({"version": "3.3.6", "wait_seconds": 30}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VerdictQuery {
    /// Package version to check.
    pub version: String,
    /// Seconds to wait for an upstream verdict, 0 to 60 (server default `0`:
    /// answer at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<u32>,
}

impl VerdictQuery {
    /// A query for `version`, answered at once.
    ///
    /// ```
    /// let now = hacktron::models::VerdictQuery::new("3.3.6");
    /// assert_eq!(serde_json::to_value(&now)?, serde_json::json!({"version": "3.3.6"}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn new(version: impl Into<String>) -> Self {
        Self {
            version: version.into(),
            wait_seconds: None,
        }
    }

    setters! {
        /// Seconds to wait for an upstream verdict, 0 to 60.
        wait_seconds: u32,
    }
}

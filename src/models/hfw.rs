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
    pub enum Ecosystem {
        /// `npm`: the npm registry.
        Npm => "npm",
        /// `pypi`: the Python Package Index.
        Pypi => "pypi",
    }
}

open_enum! {
    /// Whether a verdict is final.
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
    #[must_use]
    pub fn new(ecosystem: Ecosystem, package: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            ecosystem,
            package: package.into(),
            version: version.into(),
        }
    }

    /// An npm package at `version`.
    #[must_use]
    pub fn npm(package: impl Into<String>, version: impl Into<String>) -> Self {
        Self::new(Ecosystem::Npm, package, version)
    }

    /// A PyPI package at `version`.
    #[must_use]
    pub fn pypi(package: impl Into<String>, version: impl Into<String>) -> Self {
        Self::new(Ecosystem::Pypi, package, version)
    }
}

/// Body of `POST /hfw/verdicts/batch` (`RestHfwBatchRequestDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BatchVerdictRequest {
    /// Package versions to check.
    pub packages: Vec<BatchPackage>,
}

impl BatchVerdictRequest {
    /// A request for `packages`; add more with [`package`](Self::package).
    #[must_use]
    pub fn new(packages: impl IntoIterator<Item = BatchPackage>) -> Self {
        Self {
            packages: packages.into_iter().collect(),
        }
    }

    /// Adds a package version to check.
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

//! Findings: `GET /findings`, `GET /findings/{id}`, `PATCH /findings/{id}`,
//! `POST /findings/{id}/comments`, `GET /findings/export`, and the finding
//! lists of `GET /scans/{id}/findings`.
//!
//! Only findings that passed automated verification
//! (`verification_status = approved`) are ever visible through the API; any
//! other finding answers `404`, like one that does not exist.

use std::cmp::Ordering;

use serde::{Deserialize, Deserializer, Serialize};

use super::open_enum::open_enum;
use super::pagination::SortOrder;
use super::scans::ScanType;

open_enum! {
    /// Severity of a finding.
    ///
    /// # Order
    ///
    /// `Ord` ranks by real severity, `Critical > High > Medium > Low > Info`,
    /// and ranks every [`Unknown`](Self::Unknown) value (one the server added
    /// after this SDK) **above** `Critical`: this SDK cannot tell how severe it
    /// is, so it sorts first when you list severest first, and
    /// `severity >= Severity::High` counts it, rather than hiding it below
    /// `Info`. Unknown values order among themselves by wire string, so `cmp`
    /// agrees with `Eq`.
    ///
    /// # Thresholds
    ///
    /// For a gate such as "fail on high or worse", parse the threshold with
    /// [`parse_known`](Self::parse_known), which rejects what is not a
    /// severity, and compare with [`is_at_least`](Self::is_at_least), which
    /// fails closed on what it cannot rank:
    ///
    /// ```
    /// use hacktron::models::Severity;
    ///
    /// let gate = Severity::parse_known("HIGH")?; // trimmed, any ASCII case
    /// assert_eq!(gate, Severity::High);
    /// assert!(Severity::Critical.is_at_least(&gate));
    /// assert!(!Severity::Medium.is_at_least(&gate));
    /// assert!(Severity::from("catastrophic").is_at_least(&gate)); // unknown: counted
    ///
    /// let typo = Severity::parse_known("hgih").unwrap_err();
    /// assert_eq!(
    ///     typo.to_string(),
    ///     "unknown Severity `hgih`; expected one of `critical`, `high`, `medium`, `low`, `info`"
    /// );
    /// # Ok::<(), hacktron::models::UnknownValue>(())
    /// ```
    pub enum Severity {
        /// `critical`.
        Critical => "critical",
        /// `high`.
        High => "high",
        /// `medium`.
        Medium => "medium",
        /// `low`.
        Low => "low",
        /// `info`: informational, no direct risk.
        Info => "info",
    }
}

impl Severity {
    /// Whether this severity is at or above `threshold`, the rule for gates
    /// such as "fail on high or worse". It never lets a severity it cannot rank
    /// pass a gate:
    ///
    /// * both known: by rank, `Critical > High > Medium > Low > Info`;
    /// * `self` unknown (a severity the server added after this SDK): `true`
    ///   for every threshold;
    /// * `threshold` unknown (it cannot be ranked): `true` for every severity,
    ///   so a gate set to a level this SDK does not know stops on everything
    ///   instead of on nothing. Parse thresholds with
    ///   [`parse_known`](Self::parse_known) so that an unknown one is an error
    ///   instead.
    ///
    /// This equals `self >= threshold` except for an unknown `threshold`,
    /// which `Ord` ranks above `Critical`.
    ///
    /// ```
    /// use hacktron::models::Severity;
    ///
    /// assert!(Severity::High.is_at_least(&Severity::High));
    /// assert!(!Severity::Low.is_at_least(&Severity::Medium));
    /// assert!(Severity::from("catastrophic").is_at_least(&Severity::Critical));
    /// assert!(Severity::Info.is_at_least(&Severity::from("severe"))); // unknown threshold: fails closed
    /// ```
    #[must_use]
    pub fn is_at_least(&self, threshold: &Severity) -> bool {
        threshold.rank().is_none() || self >= threshold
    }

    /// The rank of a known severity (`Info` lowest), `None` for an unknown one.
    fn rank(&self) -> Option<u8> {
        // By wire string, to agree with `PartialEq`, which compares wire strings.
        match self.as_str() {
            "critical" => Some(5),
            "high" => Some(4),
            "medium" => Some(3),
            "low" => Some(2),
            "info" => Some(1),
            _ => None,
        }
    }
}

impl Ord for Severity {
    fn cmp(&self, other: &Self) -> Ordering {
        // Unknown values rank above every known one (`u8::MAX`); their wire
        // strings break the tie so that `cmp` stays consistent with `Eq`.
        let rank = |s: &Self| s.rank().unwrap_or(u8::MAX);
        rank(self)
            .cmp(&rank(other))
            .then_with(|| self.as_str().cmp(other.as_str()))
    }
}

impl PartialOrd for Severity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

open_enum! {
    /// Triage state of a finding.
    ///
    /// ```
    /// use hacktron::models::FindingState;
    ///
    /// assert_eq!(FindingState::parse_known("False_Positive"), Ok(FindingState::FalsePositive));
    /// assert_eq!(FindingState::AcceptedRisk.to_string(), "accepted_risk");
    /// ```
    pub enum FindingState {
        /// `open`: not triaged yet.
        Open => "open",
        /// `true_positive`: confirmed as a real issue.
        TruePositive => "true_positive",
        /// `false_positive`: dismissed as not a real issue.
        FalsePositive => "false_positive",
        /// `accepted_risk`: real, but the risk is accepted.
        AcceptedRisk => "accepted_risk",
        /// `resolved`: fixed.
        Resolved => "resolved",
        /// `closed`: its pull or merge request was closed without merging.
        Closed => "closed",
    }
}

open_enum! {
    /// Field to sort finding lists by (`sort_by`).
    ///
    /// ```
    /// use hacktron::models::{FindingListQuery, FindingSortBy, SortOrder};
    ///
    /// let severest_first = FindingListQuery::new().sort_by(FindingSortBy::Severity).sort_order(SortOrder::Desc);
    /// assert_eq!(severest_first.sort_by.unwrap().as_str(), "severity");
    /// ```
    pub enum FindingSortBy {
        /// `found_at`: when the finding was discovered.
        FoundAt => "found_at",
        /// `updated_at`: when the finding last changed.
        UpdatedAt => "updated_at",
        /// `severity`: the finding's severity.
        Severity => "severity",
    }
}

open_enum! {
    /// Format of a findings export (`format`).
    ///
    /// ```
    /// use hacktron::models::ExportFormat;
    ///
    /// let format = ExportFormat::parse_known(" csv ")?; // a command-line flag
    /// assert_eq!(format, ExportFormat::Csv);
    /// assert!(ExportFormat::parse_known("xlsx").is_err());
    /// # Ok::<(), hacktron::models::UnknownValue>(())
    /// ```
    pub enum ExportFormat {
        /// `json`: a JSON array of [`Finding`] objects.
        Json => "json",
        /// `csv`: one row per finding, with a header row.
        Csv => "csv",
        /// `sarif`: a SARIF 2.1.0 document, for code-scanning tools.
        Sarif => "sarif",
    }
}

open_enum! {
    /// Role of a step in a taint path.
    ///
    /// ```
    /// use hacktron::models::TaintStepKind;
    ///
    /// assert_eq!(TaintStepKind::KNOWN, [TaintStepKind::Source, TaintStepKind::Propagation, TaintStepKind::Sink]);
    /// ```
    pub enum TaintStepKind {
        /// `source`: where untrusted data enters.
        Source => "source",
        /// `propagation`: where the data flows through.
        Propagation => "propagation",
        /// `sink`: where the data reaches a dangerous operation.
        Sink => "sink",
    }
}

/// A finding, as listed by `GET /findings` and `GET /scans/{id}/findings`
/// (`RestFindingResponseDto`). Only approved findings are listed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Finding {
    /// Finding UUID.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Vulnerability category.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// Triage state.
    pub state: FindingState,
    /// Full description (Markdown).
    pub description: String,
    /// Path of the affected file.
    pub affected_file: String,
    /// The affected code.
    pub affected_code: String,
    /// Proof of concept, if one was produced.
    #[serde(default)]
    pub proof_of_concept: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// UUID of the scan that found it, if any.
    #[serde(default)]
    pub scan_id: Option<String>,
    /// Discovery time (ISO 8601).
    pub found_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
    /// Time of the most recent transition to `resolved` (ISO 8601); `None` if
    /// never resolved.
    #[serde(default)]
    pub resolved_at: Option<String>,
}

/// A finding with its full triage context: `GET /findings/{id}`
/// (`RestFindingDetailResponseDto`).
///
/// Holds every field of [`Finding`] plus the triage thread, taint path,
/// occurrence count, repository and scan type; convert with
/// `Finding::from(detail)` to drop the extras.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// # let id = client.list_findings(&Default::default()).await?.data.remove(0).id;
/// use hacktron::prelude::*;
/// use hacktron::models::Finding;
///
/// let detail = client.get_finding(&id).await?;
/// println!("{} comments, {} taint steps", detail.triage_thread.len(), detail.taint_path.len());
/// let finding = Finding::from(detail); // what `list_findings` gives
/// assert_eq!(finding.id, id);
/// # Ok(()) }
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FindingDetail {
    /// Finding UUID.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Vulnerability category.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// Triage state.
    pub state: FindingState,
    /// Full description (Markdown).
    pub description: String,
    /// Path of the affected file.
    pub affected_file: String,
    /// The affected code.
    pub affected_code: String,
    /// Proof of concept, if one was produced.
    #[serde(default)]
    pub proof_of_concept: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// UUID of the scan that found it, if any.
    #[serde(default)]
    pub scan_id: Option<String>,
    /// Discovery time (ISO 8601).
    pub found_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
    /// Time of the most recent transition to `resolved` (ISO 8601); `None` if
    /// never resolved.
    #[serde(default)]
    pub resolved_at: Option<String>,
    /// Comments and reactions from the dashboard and integrations, oldest first.
    pub triage_thread: Vec<TriageEntry>,
    /// Steps of the taint flow from source to sink; empty when there is none.
    pub taint_path: Vec<TaintStep>,
    /// How many times this finding has been seen.
    pub occurrence_count: u64,
    /// Repository URL, if known.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// Type of the scan that found it, if known.
    #[serde(default)]
    pub scan_type: Option<ScanType>,
}

impl From<FindingDetail> for Finding {
    fn from(detail: FindingDetail) -> Self {
        Self {
            id: detail.id,
            title: detail.title,
            category: detail.category,
            severity: detail.severity,
            state: detail.state,
            description: detail.description,
            affected_file: detail.affected_file,
            affected_code: detail.affected_code,
            proof_of_concept: detail.proof_of_concept,
            tags: detail.tags,
            scan_id: detail.scan_id,
            found_at: detail.found_at,
            updated_at: detail.updated_at,
            resolved_at: detail.resolved_at,
        }
    }
}

/// An entry of a finding's triage thread (`RestTriageThreadEntryDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TriageEntry {
    /// Entry id.
    pub id: String,
    /// Reaction, if the entry is one.
    #[serde(default)]
    pub reaction: Option<String>,
    /// Comment text, if the entry is one.
    #[serde(default)]
    pub comment: Option<String>,
    /// Id of the author.
    pub user_id: String,
    /// Author's name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Where the entry was made (dashboard, GitHub, Slack, API, ...).
    pub source: String,
    /// When the entry was made (ISO 8601).
    pub timestamp: String,
}

/// One step of a finding's taint path (`TaintStepDto`).
///
/// ```
/// use hacktron::models::{TaintStep, TaintStepKind};
///
/// let step: TaintStep = serde_json::from_str(r#"{
///     "type": "sink", "file": "src/db.rs", "line": 42, "end_line": 44, "symbol": "find_user",
///     "description": "the name reaches a raw SQL query", "taint_sources": ["name"]
/// }"#)?;
/// assert_eq!(step.kind, TaintStepKind::Sink);
/// assert_eq!(step.code, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TaintStep {
    /// Role of the step: source, propagation or sink (wire name `type`).
    #[serde(rename = "type")]
    pub kind: TaintStepKind,
    /// File of the step.
    pub file: String,
    /// First line of the step.
    pub line: u32,
    /// Last line of the step.
    pub end_line: u32,
    /// Symbol the step is in.
    pub symbol: String,
    /// What happens to the tainted data here.
    pub description: String,
    /// Raw docstring of the symbol, as supplemental context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Tainted values flowing into this step.
    pub taint_sources: Vec<String>,
    /// Source lines of the step's symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 1-based line in the file where [`code`](Self::code) starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_start_line: Option<u32>,
    /// 1-based line in the file where [`code`](Self::code) ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_end_line: Option<u32>,
}

/// Body of `PATCH /findings/{id}`: change state, severity and/or duplicate link
/// (`RestUpdateFindingDto`).
///
/// Every field is optional and unset fields are not sent; each change is
/// recorded in the finding's audit trail and propagated to integrations.
///
/// ```
/// use hacktron::models::{FindingState, Severity, UpdateFinding};
///
/// let update = UpdateFinding::new()
///     .state(FindingState::TruePositive)
///     .severity(Severity::Critical)
///     .reason("reachable from the public login form");
/// let body = serde_json::to_value(&update)?;
/// assert_eq!(body, serde_json::json!({
///     "state": "true_positive", "severity": "critical", "reason": "reachable from the public login form",
/// }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct UpdateFinding {
    /// New triage state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<FindingState>,
    /// New severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Reason for the state change (defaults to [`reason`](Self::reason)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<String>,
    /// Reason for the severity change (defaults to [`reason`](Self::reason)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
    /// Reason applied to both changes when their own reason is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Duplicate link: `None` leaves it alone (not sent), `Some(Some(uuid))`
    /// marks the finding a duplicate of `uuid` (same repository), `Some(None)`
    /// sends `null` to unmark it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_nullable"
    )]
    pub duplicate_of: Option<Option<String>>,
}

impl UpdateFinding {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let nothing = hacktron::models::UpdateFinding::new();
    /// assert_eq!(serde_json::to_string(&nothing)?, "{}");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// New triage state.
        state: FindingState,
        /// New severity.
        severity: Severity,
    }

    setters! { into {
        /// Reason for the state change.
        state_reason: String,
        /// Reason for the severity change.
        severity_reason: String,
        /// Reason for both changes, when their own reason is not given.
        reason: String,
    } }

    /// Marks the finding a duplicate of the canonical finding `id`, which must be
    /// in the same repository.
    ///
    /// ```
    /// use hacktron::models::UpdateFinding;
    ///
    /// let update = UpdateFinding::new().duplicate_of("0b6f2b1e-3c4d-4e5f-8a9b-1c2d3e4f5a6b");
    /// assert_eq!(serde_json::to_value(&update)?["duplicate_of"], "0b6f2b1e-3c4d-4e5f-8a9b-1c2d3e4f5a6b");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn duplicate_of(mut self, id: impl Into<String>) -> Self {
        self.duplicate_of = Some(Some(id.into()));
        self
    }

    /// Unmarks the finding as a duplicate (sends `"duplicate_of": null`).
    ///
    /// ```
    /// use hacktron::models::UpdateFinding;
    ///
    /// let update = UpdateFinding::new().not_duplicate();
    /// assert_eq!(serde_json::to_string(&update)?, r#"{"duplicate_of":null}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn not_duplicate(mut self) -> Self {
        self.duplicate_of = Some(None);
        self
    }
}

/// Reads a present field as `Some(value)`, `null` included (`Some(None)`);
/// `#[serde(default)]` covers the absent field (`None`).
fn present_nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// Answer of `PATCH /findings/{id}` (`RestUpdateFindingResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct UpdatedFinding {
    /// Finding UUID.
    pub id: String,
    /// Triage state after the update.
    pub state: FindingState,
    /// Severity after the update.
    pub severity: Severity,
    /// UUID of the canonical finding this one duplicates, if any.
    #[serde(default)]
    pub duplicate_of: Option<String>,
}

/// Body of `POST /findings/{id}/comments`: append to the triage thread
/// (`RestAddCommentDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AddComment {
    /// Comment text (Markdown, at most 4000 characters).
    pub comment: String,
}

impl AddComment {
    /// A comment with the text `comment`.
    ///
    /// ```
    /// let comment = hacktron::models::AddComment::new("Confirmed on staging; fix in #1234.");
    /// assert_eq!(serde_json::to_string(&comment)?, r#"{"comment":"Confirmed on staging; fix in #1234."}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn new(comment: impl Into<String>) -> Self {
        Self {
            comment: comment.into(),
        }
    }
}

/// Answer of `POST /findings/{id}/comments` (`RestAddCommentResponseDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AddedComment {
    /// Id of the new comment.
    pub comment_id: String,
}

/// Query of `GET /findings` and `GET /scans/{id}/findings`: pagination, filters
/// (combined with AND) and sort. Unset fields are not sent.
///
/// ```
/// use hacktron::models::{FindingListQuery, FindingState, Severity};
///
/// let query = FindingListQuery::new()
///     .severity(Severity::High)
///     .state(FindingState::Open)
///     .found_since("2026-01-01T00:00:00Z");
/// let sent = serde_json::to_value(&query)?; // the query string, as JSON
/// assert_eq!(sent, serde_json::json!({"severity": "high", "state": "open", "found_since": "2026-01-01T00:00:00Z"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct FindingListQuery {
    /// 1-based page number (server default `1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Items per page; the vendor's pagination page gives a maximum of `100`.
    ///
    /// Unset, the server's default applies, and the vendor documents two
    /// different defaults: its pagination page (`pagination-filtering.mdx`)
    /// says `15`, maximum `100`, while its `openapi.json` declares this
    /// parameter of `GET /findings` and `GET /scans/{id}/findings` with
    /// `"default": 100` and no maximum. The sandbox follows the page (default
    /// `15`; above `100` is a `400`). Set it when the page size matters;
    /// [`Page::limit`](super::Page::limit) echoes the size the server applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only findings of this severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Only findings in this triage state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<FindingState>,
    /// Only findings of this scan (UUID); `404` if the scan is not visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_id: Option<String>,
    /// Only findings seen by a scan of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_type: Option<ScanType>,
    /// Only findings of this exact repository URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo_url: Option<String>,
    /// Only findings discovered at or after this ISO 8601 time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_since: Option<String>,
    /// Only findings discovered before this ISO 8601 time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_until: Option<String>,
    /// Field to sort by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<FindingSortBy>,
    /// Sort direction (server default `DESC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl FindingListQuery {
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
        /// Only findings of this severity.
        severity: Severity,
        /// Only findings in this triage state.
        state: FindingState,
    }

    setters! { into {
        /// Only findings of this scan (UUID).
        scan_id: String,
    } }

    setters! {
        /// Only findings seen by a scan of this type.
        scan_type: ScanType,
    }

    setters! { into {
        /// Only findings of this exact repository URL.
        repo_url: String,
        /// Only findings discovered at or after this ISO 8601 time.
        found_since: String,
        /// Only findings discovered before this ISO 8601 time.
        found_until: String,
    } }

    setters! {
        /// Field to sort by.
        sort_by: FindingSortBy,
        /// Sort direction.
        sort_order: SortOrder,
    }
}

/// Query of `GET /findings/export`: the required `format` plus the same
/// filters as [`FindingListQuery`]. Unset fields are not sent.
///
/// The export holds every approved finding matching the filters.
///
/// ```
/// use hacktron::models::{ExportFormat, FindingExportQuery, Severity};
///
/// let query = FindingExportQuery::new(ExportFormat::Csv).severity(Severity::Critical);
/// assert_eq!(serde_json::to_value(&query)?, serde_json::json!({"format": "csv", "severity": "critical"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FindingExportQuery {
    /// The filters (and `page`, `limit`), the same as a list's: sent as
    /// the list's query parameters, beside `format`. `limit` is declared
    /// for `GET /findings/export` in `openapi.json` with `"default": 100`
    /// and no maximum; the vendor's export page does not mention it.
    #[serde(flatten)]
    pub filters: FindingListQuery,
    /// Export format: `json`, `csv` or `sarif`.
    pub format: ExportFormat,
}

impl FindingExportQuery {
    /// An export of every approved finding in `format`, unfiltered.
    ///
    /// ```
    /// use hacktron::models::{ExportFormat, FindingExportQuery};
    ///
    /// let everything = FindingExportQuery::new(ExportFormat::Json);
    /// assert_eq!(serde_json::to_value(&everything)?, serde_json::json!({"format": "json"}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn new(format: ExportFormat) -> Self {
        Self::with_filters(format, FindingListQuery::default())
    }

    /// An export in `format` of exactly the findings `filters` selects.
    ///
    /// ```
    /// use hacktron::models::{ExportFormat, FindingExportQuery, FindingListQuery, Severity};
    ///
    /// let filters = FindingListQuery::new().severity(Severity::High).repo_url("https://github.com/acme/webapp");
    /// let export = FindingExportQuery::with_filters(ExportFormat::Sarif, filters.clone());
    /// assert_eq!(export.filters, filters);
    /// ```
    #[must_use]
    pub fn with_filters(format: ExportFormat, filters: FindingListQuery) -> Self {
        Self { filters, format }
    }

    delegated_setters! { filters:
        /// 1-based page number.
        page: u64,
        /// Items per page.
        limit: u32,
        /// Only findings of this severity.
        severity: Severity,
        /// Only findings in this triage state.
        state: FindingState,
        /// Only findings of this scan (UUID).
        scan_id: impl Into<String>,
        /// Only findings seen by a scan of this type.
        scan_type: ScanType,
        /// Only findings of this exact repository URL.
        repo_url: impl Into<String>,
        /// Only findings discovered at or after this ISO 8601 time.
        found_since: impl Into<String>,
        /// Only findings discovered before this ISO 8601 time.
        found_until: impl Into<String>,
        /// Field to sort by.
        sort_by: FindingSortBy,
        /// Sort direction.
        sort_order: SortOrder,
    }
}

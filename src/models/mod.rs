//! Typed request, response and query models of the Hacktron REST API.
//!
//! Every type is re-exported here, flat: `hacktron::models::Scan`,
//! `hacktron::models::Severity`, and so on. Names follow the OpenAPI schemas
//! without their `Rest`/`Dto`/`Response` noise; field names are the wire names.
//!
//! * Response types decode leniently: fields the SDK does not know are ignored,
//!   and every enum keeps values it does not know in an `Unknown(String)`
//!   variant, so a server that grows a new status does not break your build or
//!   your decoding.
//! * Request bodies and query structs are built with a constructor that takes
//!   the required fields, then chainable setters for the optional ones. Fields
//!   left unset are not sent at all.
//!
//! Timestamps are ISO 8601 strings and ids are UUID strings, passed through as
//! the server sends them.

// `setters! { /// doc
//     page: u32 }`            -> `pub fn page(mut self, page: u32) -> Self`
// `setters! { into { /// doc
//     name: String } }`       -> `pub fn name(mut self, name: impl Into<String>) -> Self`
// Both store `Some(value)` in the `Option` field of the same name. Numbers and
// enums take their own type (an integer literal cannot infer through
// `impl Into<u32>`); strings take `impl Into<String>`.
macro_rules! setters {
    (into { $($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, $field: impl ::core::convert::Into<$ty>) -> Self {
                self.$field = ::core::option::Option::Some($field.into());
                self
            }
        )*
    };
    ($($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, $field: $ty) -> Self {
                self.$field = ::core::option::Option::Some($field);
                self
            }
        )*
    };
}

/// Setters that set a field of an inner query (`filters: severity: Severity`):
/// the outer query's builder methods, without copying the inner's fields.
macro_rules! delegated_setters {
    ($inner:ident: $($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, $field: $ty) -> Self {
                self.$inner = self.$inner.$field($field);
                self
            }
        )*
    };
}

mod open_enum;

pub use open_enum::UnknownValue;

mod cost_estimations;
mod findings;
mod hfw;
mod pagination;
mod repos;
mod scans;

#[cfg(test)]
mod tests;

pub use cost_estimations::{
    CostEstimation, CostEstimationListQuery, CostEstimationStatus, CreateCostEstimation, DetectedApplication,
    EstimationRepo, FailureReason, RepoInput, RepoResult, RepoResultStatus, RepoSource,
};
pub use findings::{
    AddComment, AddedComment, ExportFormat, Finding, FindingDetail, FindingExportQuery, FindingListQuery,
    FindingSortBy, FindingState, Severity, TaintStep, TaintStepKind, TriageEntry, UpdateFinding, UpdatedFinding,
};
pub use hfw::{
    BatchPackage, BatchVerdictRequest, BatchVerdicts, Ecosystem, OsvFeed, OsvFeedEntry, OsvFeedQuery, Verdict,
    VerdictLevel, VerdictQuery, VerdictStatus,
};
pub use pagination::{OffsetPage, Page, SortOrder};
pub use repos::{Repo, RepoList, RepoProvider};
pub use scans::{
    CreateScan, CreatedScan, FindingsSummary, IncompleteRepoInput, Scan, ScanExportQuery, ScanListQuery, ScanRepo,
    ScanSortBy, ScanState, ScanStatus, ScanType,
};

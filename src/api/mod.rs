//! The Hacktron REST API, one trait per resource, declared with
//! [`#[endpoint]`](crate::endpoint).
//!
//! Every trait is implemented for every [`Client<K>`](crate::Client); which
//! methods compile depends on `K`: a [`ReadOnly`](crate::ReadOnly) client cannot
//! call the `write` ones. Bring them all into scope with
//! `use hacktron::prelude::*`.

mod cost_estimations;
mod findings;
mod hfw;
mod repos;
mod scans;

pub use cost_estimations::CostEstimations;
pub use findings::Findings;
pub use hfw::DependencyFirewall;
pub use repos::Repos;
pub use scans::Scans;

use crate::{Client, Endpoint};

/// Every operation of the Hacktron REST API these bindings declare, from the
/// constants `#[endpoint]` generates.
pub const ENDPOINTS: &[Endpoint] = &[
    <Client as Scans>::CREATE_SCAN,
    <Client as Scans>::LIST_SCANS,
    <Client as Scans>::GET_SCAN,
    <Client as Scans>::GET_SCAN_STATUS,
    <Client as Scans>::LIST_SCAN_FINDINGS,
    <Client as Scans>::EXPORT_SCAN_FINDINGS,
    <Client as Findings>::LIST_FINDINGS,
    <Client as Findings>::EXPORT_FINDINGS,
    <Client as Findings>::GET_FINDING,
    <Client as Findings>::UPDATE_FINDING,
    <Client as Findings>::ADD_FINDING_COMMENT,
    <Client as CostEstimations>::CREATE_COST_ESTIMATION,
    <Client as CostEstimations>::LIST_COST_ESTIMATIONS,
    <Client as CostEstimations>::GET_COST_ESTIMATION,
    <Client as Repos>::LIST_REPOS,
    <Client as DependencyFirewall>::BATCH_VERDICTS,
    <Client as DependencyFirewall>::OSV_FEED,
    <Client as DependencyFirewall>::PACKAGE_VERDICT,
    <Client as DependencyFirewall>::SCOPED_NPM_VERDICT,
];

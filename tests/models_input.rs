//! The models' user-input helpers against the sandbox: a scan built with
//! `CreateScan::from_estimation` is accepted as exactly what was estimated,
//! and a severity typed by a user (`HIGH`) filters like the wire's `high`.

#[macro_use]
mod support;

use hacktron::models::{
    CreateCostEstimation, CreateScan, EstimationRepo, FindingListQuery, RepoSource, ScanRepo, ScanState, Severity,
};
use hacktron::prelude::*;
use support::sandbox::*;

#[tokio::test]
async fn a_scan_from_its_estimation_is_accepted_for_every_source() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let public = "https://github.com/octo/hello";
    let request = CreateCostEstimation::new([
        EstimationRepo::connected(WEBAPP, "release/2.x"),
        EstimationRepo::public(public, "trunk"),
        EstimationRepo::upload("archive-1234"),
        // Its estimation fails, so the whole one ends `partial`.
        EstimationRepo::connected(PARTIAL, "main"),
    ]);
    let created = client.create_cost_estimation(&request).await.unwrap();
    sandbox.advance(ESTIMATION_TIME);
    let estimation = client.get_cost_estimation(&created.id).await.unwrap();
    assert!(estimation.is_ready_for_scan(), "{estimation:?}");

    // Hand-built, one wrong branch is refused...
    let by_hand = CreateScan::new(&estimation.id).repos([
        ScanRepo::new(WEBAPP, "main"),
        ScanRepo::new(public, "trunk").source(RepoSource::Public),
    ]);
    expect_err!(client.create_scan(&by_hand).await, Error::BranchMismatch { branch, .. } if branch == "main");

    // ...while the estimation's own request names every repository as estimated.
    let scan = CreateScan::from_estimation(&estimation).unwrap();
    let urls: Vec<&str> = scan.repos.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, [WEBAPP, public, "archive-1234", PARTIAL]);
    let started = client.create_scan(&scan).await.unwrap();
    sandbox.advance(SCAN_TIME);
    let scan = client.get_scan(&started.id).await.unwrap();
    assert_eq!(scan.status, ScanState::Completed);
    assert_eq!(scan.branch.as_deref(), Some("release/2.x"));
    assert_eq!(
        scan.findings_summary.total(),
        20,
        "five visible findings per repository"
    );
}

#[tokio::test]
async fn a_severity_typed_in_any_case_filters_like_the_wire_value() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let estimation = estimated(&sandbox, &client, WEBAPP, "main").await;
    let started = client
        .create_scan(&CreateScan::from_estimation(&estimation).unwrap())
        .await
        .unwrap();
    sandbox.advance(SCAN_TIME);

    // What a `--fail-on HIGH` flag holds, parsed as user input.
    let threshold: Severity = " HIGH ".parse().unwrap();
    assert_eq!(threshold, Severity::parse_known("HIGH").unwrap());
    let high = client
        .list_scan_findings(&started.id, &FindingListQuery::new().severity(threshold.clone()))
        .await
        .unwrap();
    assert_eq!(high.total, 1);
    assert!(high.data.iter().all(|f| f.severity == Severity::High));

    let all = client
        .all_scan_findings(&started.id, FindingListQuery::new().limit(100))
        .try_collect()
        .await
        .unwrap();
    let blocking = all.iter().filter(|f| f.severity.is_at_least(&threshold)).count();
    assert_eq!(blocking, 2, "high and critical");

    // The wire conversion is exact: `HIGH` is sent as is, and the server refuses it.
    let wire = Severity::from("HIGH");
    assert!(wire.is_unknown());
    let refused = client
        .list_scan_findings(&started.id, &FindingListQuery::new().severity(wire))
        .await;
    assert_eq!(refused.unwrap_err().status().map(|s| s.as_u16()), Some(400));
}

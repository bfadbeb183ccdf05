//! Cost estimations end to end: create (201), list and get (200), the
//! lifecycle on the sandbox clock, every outcome, offset pagination, and
//! `wait_for_cost_estimation`.

#[macro_use]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hacktron::models::{
    CostEstimationListQuery, CostEstimationStatus, CreateCostEstimation, EstimationRepo, FailureReason,
    RepoResultStatus, RepoSource,
};
use hacktron::prelude::*;
use support::sandbox::*;

#[tokio::test]
async fn create_get_and_list_follow_the_lifecycle() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    // 201: the new estimation, still pending.
    let request = CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]).name("webapp main");
    let created = client.create_cost_estimation(&request).await.unwrap();
    assert_eq!(created.status, CostEstimationStatus::Pending);
    assert_eq!(created.name.as_deref(), Some("webapp main"));
    assert_eq!(created.organization_id, sandbox.keys().acme_org);
    assert_eq!(created.repos.len(), 1);
    assert_eq!(created.repos[0].source, Some(RepoSource::Connected));
    assert_eq!(created.repos[0].repo_url.as_deref(), Some(WEBAPP));
    assert_eq!(created.repos[0].branch.as_deref(), Some("main"));
    assert_eq!(created.repos[0].commit_sha.as_ref().map(String::len), Some(40));
    assert_eq!(created.total_credits, None);
    assert!(!created.is_ready_for_scan());

    // `running` at half the estimation time, `completed` at the full time.
    sandbox.advance(ESTIMATION_TIME / 2);
    let running = client.get_cost_estimation(&created.id).await.unwrap();
    assert_eq!(running.status, CostEstimationStatus::Running);
    sandbox.advance(ESTIMATION_TIME / 2);
    let done = client.get_cost_estimation(&created.id).await.unwrap();
    assert_eq!(done.status, CostEstimationStatus::Completed);
    assert_eq!(done.total_credits, Some(1100.0), "500 + 100 × len(\"webapp\")");
    assert_eq!(done.triage_fee_credits, 220.0);
    assert!(done.is_ready_for_scan());
    let results = done.repo_results.as_deref().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, RepoResultStatus::Completed);
    assert_eq!(results[0].credits, Some(1100.0));
    let apps = results[0].applications.as_deref().unwrap();
    assert_eq!(apps[0].app_name, "webapp");

    // 200: the list holds it, most recent first.
    let second = client
        .create_cost_estimation(&estimate_request(PARTIAL, "dev"))
        .await
        .unwrap();
    let list = client
        .list_cost_estimations(&CostEstimationListQuery::new())
        .await
        .unwrap();
    assert_eq!(list.total, 2);
    let ids: Vec<_> = list.data.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str(), created.id.as_str()]);
    assert_eq!(list.data[1], done);
}

#[tokio::test]
async fn each_repository_marker_gives_its_outcome() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    let failed = estimated(&sandbox, &client, WILL_FAIL, "main").await;
    assert_eq!(failed.status, CostEstimationStatus::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some("Failed to clone repository https://github.com/acme/will-fail")
    );
    assert_eq!(failed.total_credits, None);
    assert!(!failed.is_ready_for_scan());

    let partial = estimated(&sandbox, &client, PARTIAL, "main").await;
    assert_eq!(partial.status, CostEstimationStatus::Partial);
    assert_eq!(
        partial.total_credits,
        Some(600.0),
        "half of 500 + 100 × len(\"partial\")"
    );
    assert!(partial.is_ready_for_scan());
    let result = &partial.repo_results.as_deref().unwrap()[0];
    assert_eq!(result.status, RepoResultStatus::Failed);
    assert_eq!(result.failure_reason, Some(FailureReason::UnsupportedLanguage));
    assert_eq!(result.unsupported_languages.as_deref(), Some(&["COBOL".to_owned()][..]));

    let empty = estimated(&sandbox, &client, EMPTY, "main").await;
    assert_eq!(empty.status, CostEstimationStatus::Completed);
    assert_eq!(empty.total_credits, Some(0.0));
    assert!(!empty.is_ready_for_scan(), "0 credits cannot start a scan");

    // `scan-fail` is only a scan outcome: it estimates fine.
    let scan_fail = estimated(&sandbox, &client, SCAN_FAIL, "main").await;
    assert_eq!(scan_fail.status, CostEstimationStatus::Completed);
}

#[tokio::test]
async fn all_cost_estimations_walks_every_slice() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let mut created = Vec::new();
    for i in 0..5 {
        let url = format!("https://github.com/acme/service-{i}");
        let estimation = client
            .create_cost_estimation(&estimate_request(&url, "main"))
            .await
            .unwrap();
        created.push(estimation.id);
        // Distinct creation times make "most recent first" unambiguous.
        sandbox.advance(Duration::from_millis(10));
    }
    created.reverse();

    let first = client
        .list_cost_estimations(&CostEstimationListQuery::new().limit(2))
        .await
        .unwrap();
    assert_eq!((first.data.len(), first.total), (2, 5));
    assert_eq!(first.next_offset(0), Some(2));

    let mut items = client.all_cost_estimations(CostEstimationListQuery::new().limit(2));
    let mut seen = Vec::new();
    while let Some(item) = items.next().await {
        seen.push(item.unwrap().id);
    }
    assert_eq!(items.pages_fetched(), 3, "slices of 2, 2 and 1");
    assert_eq!(seen, created);

    // Starting at an offset skips what is before it.
    let tail = client
        .all_cost_estimations(CostEstimationListQuery::new().limit(2).offset(3))
        .try_collect()
        .await
        .unwrap();
    let tail: Vec<_> = tail.into_iter().map(|e| e.id).collect();
    assert_eq!(tail, created[3..]);
}

#[tokio::test]
async fn wait_for_cost_estimation_reports_each_status_in_order() {
    let sandbox = start(fast(400)).await;
    let client = read_write(&sandbox);
    let created = client
        .create_cost_estimation(&estimate_request(WEBAPP, "main"))
        .await
        .unwrap();

    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let wait = poll_every(5, Duration::from_secs(20));
    let done = client
        .wait_for_cost_estimation(&created.id, &wait, move |e| {
            record.lock().unwrap().push(e.status.clone())
        })
        .await
        .unwrap();
    assert_eq!(done.status, CostEstimationStatus::Completed);
    assert!(done.is_ready_for_scan());
    assert_eq!(
        *seen.lock().unwrap(),
        [
            CostEstimationStatus::Pending,
            CostEstimationStatus::Running,
            CostEstimationStatus::Completed
        ]
    );
}

#[tokio::test]
async fn wait_for_cost_estimation_stops_at_failed_and_at_its_deadline() {
    let sandbox = start(fast(50)).await;
    let client = read_write(&sandbox);
    let failing = client
        .create_cost_estimation(&estimate_request(WILL_FAIL, "main"))
        .await
        .unwrap();
    let done = client
        .wait_for_cost_estimation(&failing.id, &poll_every(5, Duration::from_secs(20)), |_| {})
        .await
        .unwrap();
    assert_eq!(done.status, CostEstimationStatus::Failed, "`failed` is terminal too");

    // On a manual clock the estimation never moves: the deadline ends the wait.
    let frozen = start(manual()).await;
    let client = read_write(&frozen);
    let created = client
        .create_cost_estimation(&estimate_request(WEBAPP, "main"))
        .await
        .unwrap();
    let e = expect_err!(
        client
            .wait_for_cost_estimation(&created.id, &poll_every(10, Duration::from_millis(60)), |_| {})
            .await,
        Error::WaitDeadline { .. }
    );
    let Error::WaitDeadline { waited, last_status } = e else {
        unreachable!()
    };
    assert_eq!(last_status, "pending");
    assert!(waited >= Duration::from_millis(60), "{waited:?}");
}

#[tokio::test]
async fn validation_unknown_ids_and_other_organizations() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    // 400: no repositories at all.
    let e = expect_err!(
        client.create_cost_estimation(&CreateCostEstimation::new([])).await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["At least one repository is required"]);

    // 400: a validation failure per field.
    let e = expect_err!(
        client.create_cost_estimation(&estimate_request("", "")).await,
        Error::BadRequest { .. }
    );
    assert!(
        e.messages()
            .contains(&"repos.0.repo_url should not be empty".to_owned()),
        "{e:?}"
    );
    assert!(
        e.messages().contains(&"repos.0.branch should not be empty".to_owned()),
        "{e:?}"
    );

    // 404: unknown id, and another organization's estimation.
    let unknown = "00000000-0000-4000-8000-000000000000";
    let e = expect_err!(client.get_cost_estimation(unknown).await, Error::NotFound { .. });
    assert_eq!(e.messages(), ["Cost estimation not found"]);
    let mine = client
        .create_cost_estimation(&estimate_request(WEBAPP, "main"))
        .await
        .unwrap();
    let globex = other_org(&sandbox);
    expect_err!(globex.get_cost_estimation(&mine.id).await, Error::NotFound { .. });
    let theirs = globex
        .list_cost_estimations(&CostEstimationListQuery::new())
        .await
        .unwrap();
    assert_eq!(theirs.total, 0);
}

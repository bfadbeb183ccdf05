//! Scans end to end: start one from an estimation (201), follow it, list and
//! filter, read and export its findings, `wait_for_scan`, and every way
//! `POST /scans` is refused (400 with each failure mode, 402, 404, 409).

#[macro_use]
mod support;

use hacktron::CallError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hacktron::models::{
    CreateCostEstimation, CreateScan, EstimationRepo, ExportFormat, FindingListQuery, RepoSource, ScanExportQuery,
    ScanListQuery, ScanRepo, ScanSortBy, ScanState, ScanType, Severity, SortOrder,
};
use hacktron::prelude::*;
use hacktron::scope::write;
use hacktron::{endpoint, scope::KeyKind};
use support::sandbox::*;

/// `POST /scans` with a body the typed model cannot express (it always sends
/// the required `cost_estimation_id`).
trait RawScans {
    #[endpoint(POST, "/scans", scope = write)]
    async fn create_scan_raw(&self, #[body] body: &serde_json::Value) -> Result<serde_json::Value, Error>;
}
impl<K: KeyKind<Service = hacktron::Hacktron>> RawScans for Client<K> {}

#[tokio::test]
async fn a_scan_starts_runs_and_completes() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let acme = &sandbox.keys().acme_org;
    let estimation = estimated(&sandbox, &client, WEBAPP, "main").await;

    // 201, and the estimation's credits are taken.
    let created = client
        .create_scan(&scan_request(&estimation.id, WEBAPP, "main"))
        .await
        .unwrap();
    assert_eq!(created.status, ScanState::Pending);
    assert_eq!(created.message, "Scan started successfully");
    assert!(created.task_id.starts_with("pentest_"), "{}", created.task_id);
    assert_eq!(sandbox.credits(acme), Some(INITIAL_CREDITS - 1100));

    let scan = client.get_scan(&created.id).await.unwrap();
    assert_eq!(scan.id, created.id);
    assert_eq!(scan.scan_type, ScanType::Full);
    assert_eq!(scan.status, ScanState::Pending);
    assert_eq!(scan.repo_url.as_deref(), Some(WEBAPP));
    assert_eq!(scan.branch.as_deref(), Some("main"));
    assert_eq!(scan.name, estimation.name);
    assert_eq!(scan.findings_summary.total(), 0);

    let status = client.get_scan_status(&created.id).await.unwrap();
    assert_eq!(
        (status.id.as_str(), status.status.clone()),
        (created.id.as_str(), ScanState::Pending)
    );
    assert_eq!(status.task_id, created.task_id);

    sandbox.advance(SCAN_TIME / 2);
    let status = client.get_scan_status(&created.id).await.unwrap();
    assert_eq!(status.status, ScanState::Running);
    assert!(!status.status.is_terminal());

    sandbox.advance(SCAN_TIME / 2);
    let status = client.get_scan_status(&created.id).await.unwrap();
    assert_eq!(status.status, ScanState::Completed);
    assert!(status.status.is_terminal());
    let scan = client.get_scan(&created.id).await.unwrap();
    assert_eq!(scan.findings_summary.total(), 5, "one visible finding per severity");
    for severity in Severity::KNOWN {
        assert_eq!(scan.findings_summary.count(severity), 1, "{severity}");
    }
    assert_eq!(scan.findings_summary.at_or_above(&Severity::High), 2);
}

#[tokio::test]
async fn several_repositories_of_every_source_are_scanned_as_estimated() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let public = "https://github.com/octo/hello";
    let request = CreateCostEstimation::new([
        EstimationRepo::connected(WEBAPP, "main"),
        EstimationRepo::public(public, "trunk"),
        EstimationRepo::upload("archive-1234"),
    ]);
    let created = client.create_cost_estimation(&request).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("webapp (+2 more)"));
    let sources: Vec<_> = created.repos.iter().map(|r| r.source.clone().unwrap()).collect();
    assert_eq!(sources, [RepoSource::Connected, RepoSource::Public, RepoSource::Upload]);
    assert_eq!(created.repos[2].archive_id.as_deref(), Some("archive-1234"));
    assert_eq!(
        (created.repos[2].repo_url.as_ref(), created.repos[2].commit_sha.as_ref()),
        (None, None)
    );

    sandbox.advance(ESTIMATION_TIME);
    let estimation = client.get_cost_estimation(&created.id).await.unwrap();
    // 1100 + (500 + 100 × len("hello")) + (500 + 100 × len("archive-1234"))
    assert_eq!(estimation.total_credits, Some(3800.0));

    // An upload is matched by its archive id; its branch is not checked.
    let scan = CreateScan::new(&estimation.id).repos([
        ScanRepo::new(WEBAPP, "main"),
        ScanRepo::new(public, "trunk").source(RepoSource::Public),
        ScanRepo::new("archive-1234", "whatever").source(RepoSource::Upload),
    ]);
    let started = client.create_scan(&scan).await.unwrap();
    assert_eq!(sandbox.credits(&sandbox.keys().acme_org), Some(INITIAL_CREDITS - 3800));
    sandbox.advance(SCAN_TIME);
    let scan = client.get_scan(&started.id).await.unwrap();
    assert_eq!(scan.status, ScanState::Completed);
    assert_eq!(
        scan.findings_summary.total(),
        15,
        "five visible findings per repository"
    );
    let archive = client
        .list_scan_findings(&scan.id, &FindingListQuery::new().repo_url("archive-1234"))
        .await
        .unwrap();
    assert_eq!(archive.total, 5);
}

#[tokio::test]
async fn list_scans_filters_sorts_and_pages() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let seeded = seeded_scan(&client).await;
    assert_eq!(seeded.status, ScanState::Completed);
    assert_eq!(seeded.pr_number, Some(42));

    let done = completed_scan(&sandbox, &client, WEBAPP, "main").await;
    let estimation = estimated(&sandbox, &client, "https://github.com/acme/payments-api", "main").await;
    let running = client
        .create_scan(&scan_request(
            &estimation.id,
            "https://github.com/acme/payments-api",
            "main",
        ))
        .await
        .unwrap();

    let all = client.list_scans(&ScanListQuery::new()).await.unwrap();
    assert_eq!((all.total, all.page, all.limit), (3, 1, 15));
    let ids: Vec<_> = all.data.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [running.id.as_str(), done.id.as_str(), seeded.id.as_str()],
        "newest first by default"
    );

    let ids = |page: hacktron::models::Page<hacktron::models::Scan>| -> Vec<String> {
        page.data.into_iter().map(|s| s.id).collect()
    };
    let full = client
        .list_scans(&ScanListQuery::new().scan_type(ScanType::Full))
        .await
        .unwrap();
    assert_eq!(ids(full), [running.id.clone(), done.id.clone()]);
    let pr = client
        .list_scans(&ScanListQuery::new().scan_type(ScanType::Pr))
        .await
        .unwrap();
    assert_eq!(ids(pr), [seeded.id.as_str()]);
    let completed = client
        .list_scans(&ScanListQuery::new().status(ScanState::Completed))
        .await
        .unwrap();
    assert_eq!(ids(completed), [done.id.clone(), seeded.id.clone()]);
    let pending = client
        .list_scans(&ScanListQuery::new().status(ScanState::Pending))
        .await
        .unwrap();
    assert_eq!(ids(pending), [running.id.as_str()]);
    let oldest_first = client
        .list_scans(
            &ScanListQuery::new()
                .sort_by(ScanSortBy::CreatedAt)
                .sort_order(SortOrder::Asc),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(oldest_first),
        [seeded.id.clone(), done.id.clone(), running.id.clone()]
    );

    // Pages of one, and `all_scans` across them.
    let second = client.list_scans(&ScanListQuery::new().limit(1).page(2)).await.unwrap();
    assert_eq!((second.total, second.page, second.limit), (3, 2, 1));
    assert!(second.has_next());
    assert_eq!(ids(second), [done.id.as_str()]);
    let mut items = client.all_scans(ScanListQuery::new().limit(1));
    let mut walked = Vec::new();
    while let Some(scan) = items.next().await {
        walked.push(scan.unwrap().id);
    }
    assert_eq!(items.pages_fetched(), 3);
    assert_eq!(walked, [running.id.clone(), done.id.clone(), seeded.id.clone()]);

    // 400 for a filter value the server does not know.
    let e = expect_err!(
        client
            .list_scans(&ScanListQuery::new().status(ScanState::from("exploded")))
            .await,
        Error::BadRequest { .. }
    );
    assert!(
        e.messages()[0].starts_with("status must be one of the following values: pending, running"),
        "{e:?}"
    );
}

#[tokio::test]
async fn scan_findings_are_listed_and_exported_in_every_format() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let scan = completed_scan(&sandbox, &client, WEBAPP, "main").await;

    let page = client
        .list_scan_findings(&scan.id, &FindingListQuery::new())
        .await
        .unwrap();
    assert_eq!(page.total, 5);
    assert!(page.data.iter().all(|f| f.scan_id.as_deref() == Some(scan.id.as_str())));
    let critical = client
        .list_scan_findings(&scan.id, &FindingListQuery::new().severity(Severity::Critical))
        .await
        .unwrap();
    assert_eq!(critical.total, 1);
    assert_eq!(critical.data[0].title, "SQL injection in user search endpoint");
    let walked = client
        .all_scan_findings(&scan.id, FindingListQuery::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked.len(), 5);

    // JSON: an array of the visible findings.
    let json = client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Json))
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    let body = json.bytes(1 << 20).await.unwrap();
    let exported: Vec<hacktron::models::Finding> = serde_json::from_slice(&body).unwrap();
    let mut exported_ids: Vec<_> = exported.iter().map(|f| f.id.clone()).collect();
    let mut listed_ids: Vec<_> = page.data.iter().map(|f| f.id.clone()).collect();
    exported_ids.sort();
    listed_ids.sort();
    assert_eq!(exported_ids, listed_ids);

    // CSV: a header row and one row per finding, as an attachment.
    let csv = client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Csv))
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv.headers()["content-disposition"],
        format!("attachment; filename=\"findings-{}.csv\"", scan.id).as_str()
    );
    let text = String::from_utf8(csv.bytes(1 << 20).await.unwrap().to_vec()).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert!(lines[0].starts_with("id,title,category,severity,state"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + 5);
    assert!(listed_ids.iter().all(|id| text.contains(id.as_str())));

    // SARIF 2.1.0, one result per visible finding; written out through `copy_to`.
    let sarif = client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Sarif))
        .await
        .unwrap();
    assert_eq!(sarif.headers()["content-type"], "application/sarif+json; charset=utf-8");
    let mut written = Vec::new();
    let n = sarif.copy_to(&mut written).await.unwrap();
    assert_eq!(n as usize, written.len());
    let log: serde_json::Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len() as u64, page.total);
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "Hacktron");
}

#[tokio::test]
async fn wait_for_scan_reaches_completed_or_failed() {
    let sandbox = start(fast(150)).await;
    let client = read_write(&sandbox);
    let wait = poll_every(5, Duration::from_secs(20));

    let mut scans = Vec::new();
    for url in [WEBAPP, SCAN_FAIL] {
        let created = client
            .create_cost_estimation(&estimate_request(url, "main"))
            .await
            .unwrap();
        let estimation = client
            .wait_for_cost_estimation(&created.id, &wait, |_| {})
            .await
            .unwrap();
        assert!(estimation.is_ready_for_scan(), "{estimation:?}");
        scans.push(
            client
                .create_scan(&scan_request(&estimation.id, url, "main"))
                .await
                .unwrap(),
        );
    }

    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let done = client
        .wait_for_scan(&scans[0].id, &wait, move |s| {
            record.lock().unwrap().push(s.status.clone())
        })
        .await
        .unwrap();
    assert_eq!(done.status, ScanState::Completed);
    // Each status once, in lifecycle order, ending with `completed` (how many
    // of the earlier ones a poll catches depends on timing).
    let seen = seen.lock().unwrap().clone();
    let lifecycle = [ScanState::Pending, ScanState::Running, ScanState::Completed];
    let mut rest = lifecycle.iter();
    assert!(seen.iter().all(|s| rest.any(|l| l == s)), "{seen:?}");
    assert_eq!(seen.last(), Some(&ScanState::Completed), "{seen:?}");
    let findings = client
        .list_scan_findings(&done.id, &FindingListQuery::new())
        .await
        .unwrap();
    assert_eq!(findings.total, 5);

    let failed = client.wait_for_scan(&scans[1].id, &wait, |_| {}).await.unwrap();
    assert_eq!(failed.status, ScanState::Failed);
    let failed = client.get_scan(&failed.id).await.unwrap();
    assert_eq!(failed.findings_summary.total(), 0);
}

#[tokio::test]
async fn wait_for_scan_gives_up_at_its_deadline() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let estimation = estimated(&sandbox, &client, WEBAPP, "main").await;
    let created = client
        .create_scan(&scan_request(&estimation.id, WEBAPP, "main"))
        .await
        .unwrap();
    // The manual clock does not move: the scan stays pending.
    let e = expect_err!(
        client
            .wait_for_scan(&created.id, &poll_every(10, Duration::from_millis(50)), |_| {})
            .await,
        Error::WaitDeadline { .. }
    );
    let Error::WaitDeadline { waited, last_status } = e else {
        unreachable!()
    };
    assert_eq!(last_status, "pending");
    assert!(waited >= Duration::from_millis(50), "{waited:?}");
}

#[tokio::test]
async fn validation_errors_come_back_as_several_messages() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    // 400: no repositories and an id that is not a UUID, each reported.
    let e = expect_err!(
        client.create_scan(&CreateScan::new("not-a-uuid")).await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.status(), Some(hacktron::StatusCode::BAD_REQUEST));
    assert_eq!(
        e.messages(),
        [
            "repos must contain at least 1 elements",
            "cost_estimation_id must be a UUID"
        ]
    );
    assert_eq!(e.response().unwrap().error(), Some("Bad Request"));
    assert!(!e.is_retryable());

    // Nested fields are named by their position.
    let e = expect_err!(
        client
            .create_scan(&CreateScan::new("00000000-0000-4000-8000-000000000000").repo(ScanRepo::new("", "")))
            .await,
        Error::BadRequest { .. }
    );
    assert!(
        e.messages().contains(&"repos.0.url should not be empty".to_owned()),
        "{e:?}"
    );
    assert!(
        e.messages().contains(&"repos.0.branch should not be empty".to_owned()),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_scan_needs_a_ready_estimation_of_the_same_repositories() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    // CostEstimationRequired: pentest inputs without any estimation id. The
    // typed body always carries the id, so this goes through a raw body.
    let raw = serde_json::json!({
        "repos": [{ "url": WEBAPP, "branch": "main" }],
        "target_urls": ["https://app.example.com"],
    });
    let e = expect_err!(client.create_scan_raw(&raw).await, Error::CostEstimationRequired { .. });
    assert_eq!(e.messages(), ["cost_estimation_id is required for pentest scans"]);
    assert_eq!(e.status(), Some(hacktron::StatusCode::BAD_REQUEST));
    // The typed model with an empty id reads the same way on the server.
    let typed = scan_request("", WEBAPP, "main").target_url("https://app.example.com");
    expect_err!(client.create_scan(&typed).await, Error::CostEstimationRequired { .. });

    // CostEstimationNotReady: right after the estimation was created...
    let created = client
        .create_cost_estimation(&estimate_request(WEBAPP, "main"))
        .await
        .unwrap();
    let e = expect_err!(
        client.create_scan(&scan_request(&created.id, WEBAPP, "main")).await,
        Error::CostEstimationNotReady { .. }
    );
    assert_eq!(e.messages(), ["Cost estimation is not ready"]);
    // ...still while it runs...
    sandbox.advance(ESTIMATION_TIME / 2);
    expect_err!(
        client.create_scan(&scan_request(&created.id, WEBAPP, "main")).await,
        Error::CostEstimationNotReady { .. }
    );
    // ...and for good when it came to 0 credits or failed.
    sandbox.advance(ESTIMATION_TIME / 2);
    for url in [EMPTY, WILL_FAIL] {
        let estimation = estimated(&sandbox, &client, url, "main").await;
        expect_err!(
            client.create_scan(&scan_request(&estimation.id, url, "main")).await,
            Error::CostEstimationNotReady { .. }
        );
    }

    // NotInEstimation, naming the repository.
    let other = "https://github.com/acme/infra";
    let e = expect_err!(
        client.create_scan(&scan_request(&created.id, other, "main")).await,
        Error::NotInEstimation { repository, .. } if repository == other
    );
    assert_eq!(
        e.messages(),
        ["Repository or archive https://github.com/acme/infra was not included in the cost estimation"]
    );

    // BranchMismatch, naming the branch.
    let e = expect_err!(
        client.create_scan(&scan_request(&created.id, WEBAPP, "develop")).await,
        Error::BranchMismatch { branch, .. } if branch == "develop"
    );
    assert!(e.to_string().contains("develop"), "{e}");

    // None of that claimed the estimation: it still starts its scan (a `.git`
    // suffix and a trailing slash name the same repository).
    let scan = client
        .create_scan(&scan_request(
            &created.id,
            "https://github.com/acme/webapp.git/",
            "main",
        ))
        .await
        .unwrap();
    assert_eq!(scan.status, ScanState::Pending);
}

#[tokio::test]
async fn insufficient_credits_is_402_and_claims_nothing() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let acme = sandbox.keys().acme_org.clone();
    let estimation = estimated(&sandbox, &client, WEBAPP, "main").await;

    sandbox.set_credits(&acme, 0);
    let e = expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::InsufficientCredits { .. }
    );
    assert_eq!(e.status(), Some(hacktron::StatusCode::PAYMENT_REQUIRED));
    assert_eq!(e.messages(), ["Insufficient credits to start this scan"]);

    sandbox.set_credits(&acme, 1099);
    expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::InsufficientCredits { .. }
    );
    assert_eq!(sandbox.credits(&acme), Some(1099));

    // Topped up exactly to the cost, the same estimation starts the scan.
    sandbox.set_credits(&acme, 1100);
    client
        .create_scan(&scan_request(&estimation.id, WEBAPP, "main"))
        .await
        .unwrap();
    assert_eq!(sandbox.credits(&acme), Some(0));
}

#[tokio::test]
async fn one_estimation_starts_one_scan() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let estimation = estimated(&sandbox, &client, WEBAPP, "main").await;
    client
        .create_scan(&scan_request(&estimation.id, WEBAPP, "main"))
        .await
        .unwrap();
    let e = expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::Conflict { .. }
    );
    assert_eq!(e.status(), Some(hacktron::StatusCode::CONFLICT));
    assert_eq!(e.messages(), ["Cost estimation has already been used to start a scan"]);
    assert_eq!(
        sandbox.credits(&sandbox.keys().acme_org),
        Some(INITIAL_CREDITS - 1100),
        "charged once"
    );
}

/// An export whose connection drops mid-body is never a success: `copy_to`
/// fails with `Incomplete`, saying how many bytes it wrote, for every format.
#[tokio::test]
async fn a_truncated_export_is_an_error_naming_the_bytes_written() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let scan = seeded_scan(&client).await;
    for format in [ExportFormat::Json, ExportFormat::Csv, ExportFormat::Sarif] {
        // The status, headers and 4 bytes of the body, then the connection closes.
        sandbox.inject(hacktron_sandbox::Fault::StallBody(Duration::from_millis(20)), 1);
        let export = client
            .export_scan_findings(&scan.id, &ScanExportQuery::new(format.clone()))
            .await
            .expect("the export's headers arrive");
        let mut out = Vec::new();
        let e: Error = export.copy_to(&mut out).await.expect_err("a cut body is not Ok").into();
        let Error::Call(CallError::Incomplete { written, .. }) = &e else {
            panic!("{format}: expected Incomplete, got {e:?}");
        };
        assert_eq!(*written, out.len() as u64, "{format}");
        assert_eq!(out.len(), 4, "{format}: the sandbox lets 4 bytes through");
        assert!(e.to_string().contains(&format!("after {written} bytes")), "{e}");
        assert!(
            !e.is_retryable(),
            "a partial file is not retried behind the caller's back"
        );
    }
}

/// A resend of `POST /scans` is safe by the one-claim rule: after a `500`
/// that came after the claim, the resend finds the estimation claimed, and
/// the call says the scan may have started, keeping both statuses. One scan
/// exists, charged once.
#[tokio::test]
async fn a_resend_after_a_500_past_the_claim_says_the_scan_may_have_started() {
    let sandbox = start(manual()).await;
    let client = retrying::<ReadWrite>(&sandbox, &sandbox.keys().read_write, 4);
    let estimation = estimated(&sandbox, &read_write(&sandbox), WEBAPP, "main").await;
    let before = scan_count(&client).await;
    sandbox.inject(hacktron_sandbox::Fault::StatusAfterHandling(500), 1);
    let e = expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::ScanMayHaveStarted { .. }
    );
    let Error::ScanMayHaveStarted { response } = &e else {
        unreachable!()
    };
    assert_eq!(
        response.earlier,
        [hacktron_runtime::Outcome::Answered(
            hacktron::StatusCode::INTERNAL_SERVER_ERROR
        )]
    );
    assert_eq!(response.status, hacktron::StatusCode::CONFLICT);
    assert_eq!(e.attempts(), 2);
    let text = e.to_string();
    assert!(
        text.contains("may have started")
            && text.contains("HTTP 409 after 2 attempts (earlier: HTTP 500)")
            && text.contains("list_scans"),
        "{text}"
    );
    assert_eq!(
        text.matches("HTTP 500").count(),
        1,
        "the earlier outcome is named once: {text}"
    );
    assert_eq!(scan_count(&client).await, before + 1, "exactly one scan started");
    assert_eq!(
        sandbox.credits(&sandbox.keys().acme_org),
        Some(INITIAL_CREDITS - 1100),
        "charged once"
    );
}

/// The same after an answer lost on the wire (the server handled the
/// request and closed the connection before answering).
#[tokio::test]
async fn a_resend_after_a_dropped_answer_says_the_scan_may_have_started() {
    let sandbox = start(manual()).await;
    let client = retrying::<ReadWrite>(&sandbox, &sandbox.keys().read_write, 4);
    let estimation = estimated(&sandbox, &read_write(&sandbox), WEBAPP, "main").await;
    let before = scan_count(&client).await;
    sandbox.inject(hacktron_sandbox::Fault::Drop, 1);
    let e = expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::ScanMayHaveStarted { .. }
    );
    assert!(e.to_string().contains("no answer"), "{e}");
    assert_eq!(scan_count(&client).await, before + 1, "exactly one scan started");
}

/// A resend whose first attempt was refused before the claim (a 429) just
/// starts the scan; a second create on a claimed estimation, with no unknown
/// attempt before it, stays a plain `Conflict`.
#[tokio::test]
async fn a_resend_after_a_refusal_before_the_claim_starts_the_scan() {
    let sandbox = start(manual()).await;
    let client = retrying::<ReadWrite>(&sandbox, &sandbox.keys().read_write, 4);
    let estimation = estimated(&sandbox, &read_write(&sandbox), WEBAPP, "main").await;
    sandbox.inject(hacktron_sandbox::Fault::Status(500), 1);
    client
        .create_scan(&scan_request(&estimation.id, WEBAPP, "main"))
        .await
        .expect("a 500 before handling is retried and the scan starts");
    expect_err!(
        client.create_scan(&scan_request(&estimation.id, WEBAPP, "main")).await,
        Error::Conflict { .. }
    );
}

async fn scan_count(client: &Client<ReadWrite>) -> u64 {
    client.list_scans(&ScanListQuery::new()).await.unwrap().total
}

#[tokio::test]
async fn unknown_and_foreign_scans_are_404() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let unknown = "00000000-0000-4000-8000-000000000000";
    let e = expect_err!(client.get_scan(unknown).await, Error::NotFound { .. });
    assert_eq!(e.messages(), ["Scan not found"]);
    expect_err!(client.get_scan_status(unknown).await, Error::NotFound { .. });
    expect_err!(
        client.list_scan_findings(unknown, &FindingListQuery::new()).await,
        Error::NotFound { .. }
    );
    expect_err!(
        client
            .export_scan_findings(unknown, &ScanExportQuery::new(ExportFormat::Json))
            .await,
        Error::NotFound { .. }
    );
    // An unknown estimation id is a 404 too.
    let e = expect_err!(
        client.create_scan(&scan_request(unknown, WEBAPP, "main")).await,
        Error::NotFound { .. }
    );
    assert_eq!(e.messages(), ["Cost estimation not found"]);

    // globex sees neither acme's scan nor its estimation.
    let scan = completed_scan(&sandbox, &client, WEBAPP, "main").await;
    let globex = other_org(&sandbox);
    expect_err!(globex.get_scan(&scan.id).await, Error::NotFound { .. });
    expect_err!(globex.get_scan_status(&scan.id).await, Error::NotFound { .. });
    expect_err!(
        globex.list_scan_findings(&scan.id, &FindingListQuery::new()).await,
        Error::NotFound { .. }
    );
    let estimation = estimated(&sandbox, &client, WEBAPP, "release").await;
    expect_err!(
        globex
            .create_scan(&scan_request(&estimation.id, WEBAPP, "release"))
            .await,
        Error::NotFound { .. }
    );
    let theirs = globex.list_scans(&ScanListQuery::new()).await.unwrap();
    assert_eq!(theirs.total, 1, "only globex's own seeded scan");
    assert_ne!(theirs.data[0].id, scan.id);
}

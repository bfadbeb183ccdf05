//! Findings end to end: list with filters and sorting, `all_findings` across
//! pages, exports, the detail view, triage updates, comments, and the one
//! `FindingNotFound` for every finding a caller may not see.

#[macro_use]
mod support;

use hacktron::models::{
    AddComment, ExportFormat, Finding, FindingExportQuery, FindingListQuery, FindingSortBy, FindingState, ScanType,
    Severity, SortOrder, TaintStepKind, UpdateFinding,
};
use hacktron::prelude::*;
use hacktron_sandbox::Sandbox;
use support::sandbox::*;

/// A sandbox whose acme organization has 10 visible findings: 5 from the
/// seeded PR scan, 5 from a completed full scan of the same repository.
async fn ten_findings() -> (Sandbox, Client<ReadWrite>, String, String) {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let seeded = seeded_scan(&client).await.id;
    let full = completed_scan(&sandbox, &client, WEBAPP, "main").await.id;
    (sandbox, client, seeded, full)
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn list_findings_filters_and_sorts() {
    let (_sandbox, client, seeded, full) = ten_findings().await;

    let all = client.list_findings(&FindingListQuery::new()).await.unwrap();
    assert_eq!((all.total, all.page, all.limit), (10, 1, 15));

    let critical = client
        .list_findings(&FindingListQuery::new().severity(Severity::Critical))
        .await
        .unwrap();
    assert_eq!(critical.total, 2);
    assert!(critical.data.iter().all(|f| f.severity == Severity::Critical));

    for scan in [&seeded, &full] {
        let of_scan = client
            .list_findings(&FindingListQuery::new().scan_id(scan.as_str()))
            .await
            .unwrap();
        assert_eq!(of_scan.total, 5);
        assert!(of_scan.data.iter().all(|f| f.scan_id.as_ref() == Some(scan)));
    }
    let pr = client
        .list_findings(&FindingListQuery::new().scan_type(ScanType::Pr))
        .await
        .unwrap();
    assert_eq!(pr.total, 5);

    // Everything starts `open`; triage one and filter on it.
    let open = client
        .list_findings(&FindingListQuery::new().state(FindingState::Open))
        .await
        .unwrap();
    assert_eq!(open.total, 10);
    let target = &critical.data[0].id;
    client
        .update_finding(target, &UpdateFinding::new().state(FindingState::TruePositive))
        .await
        .unwrap();
    let confirmed = client
        .list_findings(&FindingListQuery::new().state(FindingState::TruePositive))
        .await
        .unwrap();
    assert_eq!(ids(&confirmed.data), [target.as_str()]);
    let combined = client
        .list_findings(
            &FindingListQuery::new()
                .severity(Severity::Critical)
                .state(FindingState::Open),
        )
        .await
        .unwrap();
    assert_eq!(combined.total, 1);

    // Sorted by severity, both ways.
    let query = FindingListQuery::new().sort_by(FindingSortBy::Severity);
    let high_first = client
        .list_findings(&query.clone().sort_order(SortOrder::Desc))
        .await
        .unwrap();
    let severities: Vec<_> = high_first.data.iter().map(|f| f.severity.clone()).collect();
    let mut expected = severities.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, expected);
    assert_eq!(severities[0], Severity::Critical);
    assert_eq!(severities[9], Severity::Info);
    let low_first = client.list_findings(&query.sort_order(SortOrder::Asc)).await.unwrap();
    assert_eq!(low_first.data[0].severity, Severity::Info);
    assert_eq!(low_first.data[9].severity, Severity::Critical);

    // Sorted by discovery: the seeded scan's findings are a day older.
    let oldest_first = client
        .list_findings(
            &FindingListQuery::new()
                .sort_by(FindingSortBy::FoundAt)
                .sort_order(SortOrder::Asc),
        )
        .await
        .unwrap();
    assert!(
        oldest_first.data[..5]
            .iter()
            .all(|f| f.scan_id.as_ref() == Some(&seeded))
    );
    assert!(oldest_first.data[5..].iter().all(|f| f.scan_id.as_ref() == Some(&full)));

    // By repository, and by discovery time (`found_since` inclusive,
    // `found_until` exclusive; an offset form of the same instant works too).
    let webapp = client
        .list_findings(&FindingListQuery::new().repo_url(WEBAPP))
        .await
        .unwrap();
    assert_eq!(webapp.total, 10);
    let elsewhere = client
        .list_findings(&FindingListQuery::new().repo_url("https://github.com/acme/infra"))
        .await
        .unwrap();
    assert_eq!(elsewhere.total, 0);
    let cut = oldest_first.data[5].found_at.clone();
    assert!(cut.ends_with('Z'), "{cut}");
    let with_offset = cut.replace('Z', "+00:00");
    for since in [&cut, &with_offset] {
        let recent = client
            .list_findings(&FindingListQuery::new().found_since(since.as_str()))
            .await
            .unwrap();
        assert_eq!(recent.total, 5, "since {since}");
        assert!(recent.data.iter().all(|f| f.scan_id.as_ref() == Some(&full)));
    }
    let older = client
        .list_findings(&FindingListQuery::new().found_until(with_offset.as_str()))
        .await
        .unwrap();
    assert_eq!(older.total, 5);
    assert!(older.data.iter().all(|f| f.scan_id.as_ref() == Some(&seeded)));
    let e = expect_err!(
        client
            .list_findings(&FindingListQuery::new().found_since("last tuesday"))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["found_since must be a valid ISO 8601 date string"]);

    // A scan id filter must name a visible scan.
    let e = expect_err!(
        client
            .list_findings(&FindingListQuery::new().scan_id("00000000-0000-4000-8000-000000000000"))
            .await,
        Error::NotFound { .. }
    );
    assert_eq!(e.messages(), ["Scan not found"]);
    // And a bad filter value is a 400.
    let e = expect_err!(
        client
            .list_findings(&FindingListQuery::new().severity(Severity::from("catastrophic")))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["severity must be one of the following values: critical, high, medium, low, info"]
    );
}

#[tokio::test]
async fn all_findings_walks_every_page() {
    let (_sandbox, client, _, _) = ten_findings().await;
    let total = client.list_findings(&FindingListQuery::new()).await.unwrap().total;
    assert_eq!(total, 10);

    let mut items = client.all_findings(FindingListQuery::new().limit(2));
    let mut seen = Vec::new();
    while let Some(finding) = items.next().await {
        seen.push(finding.unwrap().id);
    }
    assert_eq!(items.pages_fetched(), 5);
    assert_eq!(seen.len() as u64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no finding twice");

    // Filters apply on every page.
    let high = client
        .all_findings(FindingListQuery::new().limit(1).severity(Severity::High))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(high.len(), 2);
    assert!(high.iter().all(|f| f.severity == Severity::High));
}

/// `Items` is a `futures` `Stream` that owns its client: the combinators
/// apply, and it moves into a task of its own.
#[tokio::test]
async fn all_findings_is_a_stream_that_moves_into_a_task() {
    use hacktron::{StreamExt, TryStreamExt};

    let (_sandbox, client, _, _) = ten_findings().await;
    let spawned = tokio::spawn(client.all_findings(FindingListQuery::new().limit(3)).try_collect());
    let all = spawned.await.expect("the task ran").unwrap();
    assert_eq!(all.len(), 10);

    let high_titles: Vec<String> = client
        .all_findings(FindingListQuery::new().limit(2))
        .try_filter(|f| std::future::ready(f.severity == Severity::High))
        .map_ok(|f| f.title)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(high_titles.len(), 2);

    // Several lists at once, each in its own stream.
    let counts: Vec<usize> = futures_util::stream::iter([1u32, 2, 5])
        .map(|limit| client.all_findings(FindingListQuery::new().limit(limit)).try_collect())
        .buffer_unordered(3)
        .map(|r| r.unwrap().len())
        .collect()
        .await;
    assert_eq!(counts, [10, 10, 10]);
}

#[tokio::test]
async fn findings_export_in_every_format() {
    let (_sandbox, client, seeded, _) = ten_findings().await;

    let json = client
        .export_findings(&FindingExportQuery::new(ExportFormat::Json))
        .await
        .unwrap();
    assert_eq!(json.headers()["content-type"], "application/json; charset=utf-8");
    let all: Vec<Finding> = serde_json::from_slice(&json.bytes(1 << 20).await.unwrap()).unwrap();
    assert_eq!(all.len(), 10);

    let filtered = FindingExportQuery::new(ExportFormat::Json)
        .severity(Severity::Critical)
        .scan_id(seeded.as_str());
    let body = client
        .export_findings(&filtered)
        .await
        .unwrap()
        .bytes(1 << 20)
        .await
        .unwrap();
    let critical: Vec<Finding> = serde_json::from_slice(&body).unwrap();
    assert_eq!(critical.len(), 1);
    assert_eq!(critical[0].severity, Severity::Critical);
    assert_eq!(critical[0].scan_id.as_ref(), Some(&seeded));

    let csv = client
        .export_findings(&FindingExportQuery::new(ExportFormat::Csv))
        .await
        .unwrap();
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=\"findings.csv\""
    );
    let text = String::from_utf8(csv.bytes(1 << 20).await.unwrap().to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + 10);
    assert!(all.iter().all(|f| text.contains(f.id.as_str())));

    let sarif = client
        .export_findings(&FindingExportQuery::new(ExportFormat::Sarif))
        .await
        .unwrap();
    assert_eq!(
        sarif.headers()["content-disposition"],
        "attachment; filename=\"findings.sarif\""
    );
    let log: serde_json::Value = serde_json::from_slice(&sarif.bytes(1 << 20).await.unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), all.len());
    let mut sarif_ids: Vec<_> = results
        .iter()
        .map(|r| r["partialFingerprints"]["hacktronFindingId"].as_str().unwrap())
        .collect();
    let mut json_ids = ids(&all);
    sarif_ids.sort_unstable();
    json_ids.sort_unstable();
    assert_eq!(sarif_ids, json_ids);

    // The format is required: an unknown one is a 400.
    let e = expect_err!(
        client
            .export_findings(&FindingExportQuery::new(ExportFormat::from("xlsx")))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["format must be one of the following values: json, csv, sarif"]
    );
}

#[tokio::test]
async fn a_finding_detail_has_its_thread_and_taint_path() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let scan = seeded_scan(&client).await;
    let page = client
        .list_findings(&FindingListQuery::new().severity(Severity::Critical))
        .await
        .unwrap();
    let listed = page.data[0].clone();

    let detail = client.get_finding(&listed.id).await.unwrap();
    assert_eq!(detail.id, listed.id);
    assert_eq!(detail.scan_id.as_ref(), Some(&scan.id));
    assert_eq!(detail.repo_url.as_deref(), Some(WEBAPP));
    assert_eq!(detail.scan_type, Some(ScanType::Pr));
    assert_eq!(detail.occurrence_count, 1);
    assert!(detail.triage_thread.is_empty());
    assert!(detail.proof_of_concept.is_some());
    let kinds: Vec<_> = detail.taint_path.iter().map(|s| s.kind.clone()).collect();
    assert_eq!(
        kinds,
        [TaintStepKind::Source, TaintStepKind::Propagation, TaintStepKind::Sink]
    );
    assert_eq!(detail.taint_path[2].symbol, "db.query");
    // The detail is the listed finding plus the extra fields.
    assert_eq!(Finding::from(detail), listed);
}

#[tokio::test]
async fn updates_change_state_severity_and_duplicate_links() {
    let (sandbox, client, seeded, full) = ten_findings().await;
    let of = |scan: &str, severity: Severity| {
        let query = FindingListQuery::new().scan_id(scan).severity(severity);
        let client = client.clone();
        async move { client.list_findings(&query).await.unwrap().data.remove(0) }
    };
    let old_sqli = of(&seeded, Severity::Critical).await;
    let new_sqli = of(&full, Severity::Critical).await;

    // 200: state, with the resolution time set by the server.
    sandbox.advance(std::time::Duration::from_secs(60));
    let updated = client
        .update_finding(
            &old_sqli.id,
            &UpdateFinding::new()
                .state(FindingState::Resolved)
                .state_reason("fixed in #43"),
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.id.as_str(), updated.state.clone()),
        (old_sqli.id.as_str(), FindingState::Resolved)
    );
    assert_eq!(updated.severity, Severity::Critical);
    let detail = client.get_finding(&old_sqli.id).await.unwrap();
    assert_eq!(detail.state, FindingState::Resolved);
    assert!(detail.resolved_at.is_some());
    assert_ne!(detail.updated_at, old_sqli.updated_at);

    // Severity.
    let updated = client
        .update_finding(
            &new_sqli.id,
            &UpdateFinding::new()
                .severity(Severity::High)
                .severity_reason("needs auth"),
        )
        .await
        .unwrap();
    assert_eq!(updated.severity, Severity::High);
    assert_eq!(client.get_finding(&new_sqli.id).await.unwrap().severity, Severity::High);

    // Duplicate link to a finding of the same repository, then unlinked.
    let marked = client
        .update_finding(&new_sqli.id, &UpdateFinding::new().duplicate_of(old_sqli.id.as_str()))
        .await
        .unwrap();
    assert_eq!(marked.duplicate_of.as_ref(), Some(&old_sqli.id));
    let unmarked = client
        .update_finding(&new_sqli.id, &UpdateFinding::new().not_duplicate())
        .await
        .unwrap();
    assert_eq!(unmarked.duplicate_of, None);
    assert_eq!(unmarked.severity, Severity::High, "other fields are kept");

    // 400: an enum value the server does not know, with its validation message.
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().state(FindingState::from("wontfix")))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        [
            "state must be one of the following values: open, true_positive, false_positive, accepted_risk, resolved, closed"
        ]
    );
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().severity(Severity::from("urgent")))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["severity must be one of the following values: critical, high, medium, low, info"]
    );
    // 400: nothing to change, a self-link, a malformed or cross-repository link.
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().reason("just because"))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["At least one of state, severity, or duplicate_of must be provided"]
    );
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().duplicate_of(new_sqli.id.as_str()))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["A finding cannot be marked as a duplicate of itself"]);
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().duplicate_of("F-1"))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["duplicate_of must be a UUID"]);
    let elsewhere = completed_scan(&sandbox, &client, "https://github.com/acme/infra", "main").await;
    let foreign = of(&elsewhere.id, Severity::Low).await;
    let e = expect_err!(
        client
            .update_finding(&new_sqli.id, &UpdateFinding::new().duplicate_of(foreign.id.as_str()))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["duplicate_of must reference a finding in the same repository"]
    );
}

#[tokio::test]
async fn comments_land_in_the_triage_thread() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let finding = client
        .list_findings(&FindingListQuery::new().limit(1))
        .await
        .unwrap()
        .data
        .remove(0);

    let first = client
        .add_finding_comment(&finding.id, &AddComment::new("Confirmed on staging."))
        .await
        .unwrap();
    let second = client
        .add_finding_comment(&finding.id, &AddComment::new("Fix scheduled for Friday."))
        .await
        .unwrap();
    assert_ne!(first.comment_id, second.comment_id);

    let detail = client.get_finding(&finding.id).await.unwrap();
    let thread: Vec<_> = detail
        .triage_thread
        .iter()
        .map(|e| (e.id.as_str(), e.comment.as_deref()))
        .collect();
    assert_eq!(
        thread,
        [
            (first.comment_id.as_str(), Some("Confirmed on staging.")),
            (second.comment_id.as_str(), Some("Fix scheduled for Friday."))
        ]
    );
    assert_eq!(detail.triage_thread[0].source, "api");
    assert_eq!(detail.triage_thread[0].username.as_deref(), Some("api-key:read-write"));

    let e = expect_err!(
        client.add_finding_comment(&finding.id, &AddComment::new("")).await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["comment should not be empty"]);
}

#[tokio::test]
async fn unknown_unapproved_and_foreign_findings_are_all_finding_not_found() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    // The never-approved finding's id is never shown by the API: the
    // sandbox hands it over for tests.
    let hidden = sandbox.unapproved_finding_ids(&sandbox.keys().acme_org);
    assert_eq!(hidden.len(), 1, "one seeded finding is never approved");
    let never_approved = &hidden[0];
    let scan = seeded_scan(&client).await;
    let visible: Vec<_> = client
        .list_scan_findings(&scan.id, &FindingListQuery::new())
        .await
        .unwrap()
        .data
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(visible.len(), 5);
    assert!(!visible.contains(never_approved));

    let globex = other_org(&sandbox);
    let foreign = globex
        .list_findings(&FindingListQuery::new())
        .await
        .unwrap()
        .data
        .remove(0)
        .id;
    let unknown = "00000000-0000-4000-8000-000000000000".to_owned();

    for id in [&unknown, never_approved, &foreign] {
        let e = expect_err!(client.get_finding(id).await, Error::FindingNotFound { .. });
        assert_eq!(e.status(), Some(hacktron::StatusCode::NOT_FOUND));
        assert_eq!(e.messages(), ["Finding not found"]);
        expect_err!(
            client
                .update_finding(id, &UpdateFinding::new().state(FindingState::Closed))
                .await,
            Error::FindingNotFound { .. }
        );
        expect_err!(
            client.add_finding_comment(id, &AddComment::new("hello?")).await,
            Error::FindingNotFound { .. }
        );
    }
    // The same answer the other way round: acme's findings are invisible to globex.
    expect_err!(globex.get_finding(&visible[0]).await, Error::FindingNotFound { .. });

    // Nor does the hidden finding show up in any list or export.
    let listed = client
        .all_findings(FindingListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 5);
    assert!(listed.iter().all(|f| &f.id != never_approved && f.id != foreign));
    let csv = client
        .export_findings(&FindingExportQuery::new(ExportFormat::Csv))
        .await
        .unwrap();
    let text = String::from_utf8(csv.bytes(1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(!text.contains(never_approved.as_str()));
}

#[tokio::test]
async fn a_page_past_u32_decodes_and_ends_a_walk() {
    // The docs give `page` no maximum and the server echoes the page asked
    // for: a page number past `u32::MAX` decodes, empty, and ends `all_*`.
    let (_sandbox, client, _, _) = ten_findings().await;
    let far = u64::from(u32::MAX) + 5;
    let page = client
        .list_findings(&FindingListQuery::new().page(far).limit(2))
        .await
        .unwrap();
    assert_eq!((page.page, page.limit, page.total), (far, 2, 10));
    assert!(page.data.is_empty());
    assert_eq!(page.next_page(), None);
    let walked: Vec<Finding> = client
        .all_findings(FindingListQuery::new().page(far))
        .try_collect()
        .await
        .unwrap();
    assert!(walked.is_empty());
}

//! Wire-format tests: every response decodes from a spec-shaped example and
//! re-encodes to exactly the same JSON, requests and queries encode exactly as
//! the spec expects, and enums keep values they do not know.

use std::collections::HashSet;
use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::*;

/// Decodes `json` as `T`, checks that re-encoding gives back exactly `json`
/// (so no field is lost, renamed, or invented), and returns the decoded value.
#[track_caller]
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: Value) -> T {
    let decoded: T = serde_json::from_value(json.clone()).expect("example decodes");
    assert_eq!(serde_json::to_value(&decoded).expect("re-encodes"), json);
    decoded
}

#[track_caller]
fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

fn scan_json() -> Value {
    json!({
        "id": "8f14e45f-ceea-467f-a0e6-8f3bb4d0b2a1",
        "task_id": "pentest_acme-api_1718000000",
        "scan_type": "full",
        "status": "completed",
        "name": "Nightly API scan",
        "repo_url": "https://github.com/acme/api",
        "branch": "main",
        "pr_number": null,
        "target_urls": ["https://staging.acme.dev"],
        "findings_summary": { "critical": 1, "high": 2, "medium": 3, "low": 4, "info": 5 },
        "created_at": "2026-03-10T12:00:00.000Z",
        "updated_at": "2026-03-10T14:30:00.000Z"
    })
}

fn finding_json() -> Value {
    json!({
        "id": "c9bf9e57-1685-4c89-bafb-ff5af830be8a",
        "title": "SQL injection in /users search",
        "category": "A03:2021-Injection",
        "severity": "high",
        "state": "open",
        "description": "User input reaches a raw SQL query.",
        "affected_file": "src/users/search.ts",
        "affected_code": "db.query(`SELECT * FROM users WHERE name = '${q}'`)",
        "proof_of_concept": "curl 'https://app/users?q=%27%20OR%201=1--'",
        "tags": ["sqli", "taint"],
        "scan_id": "8f14e45f-ceea-467f-a0e6-8f3bb4d0b2a1",
        "found_at": "2026-03-10T13:00:00.000Z",
        "updated_at": "2026-03-11T09:00:00.000Z",
        "resolved_at": null
    })
}

fn cost_estimation_json() -> Value {
    json!({
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "organization_id": "f336d0bc-b841-465b-8045-024475c079dd",
        "user_id": "f336d0bc-b841-465b-8045-024475c079dd",
        "name": "Q3 audit",
        "task_id": "cost_est_owner-repo_12345",
        "status": "partial",
        "repos": [
            {
                "source": "connected",
                "repo_url": "https://github.com/owner/repo",
                "branch": "main",
                "commit_sha": "abc123def456"
            },
            { "source": "upload", "archive_id": "arch_42" }
        ],
        "total_credits": 8000.0,
        "repo_results": [
            {
                "repo_url": "https://github.com/owner/repo",
                "branch": "main",
                "commit_sha": "abc123def456",
                "status": "completed",
                "from_cache": false,
                "applications": [
                    {
                        "app_name": "backend-api",
                        "app_root_path": "apps/api",
                        "architecture": "NestJS REST API with PostgreSQL"
                    },
                    { "app_name": "worker", "app_root_path": "apps/worker" }
                ],
                "credits": 8000.0
            },
            {
                "repo_url": "https://github.com/owner/legacy",
                "status": "failed",
                "from_cache": true,
                "error": "Repository is mostly COBOL",
                "failure_reason": "unsupported_language",
                "unsupported_languages": ["COBOL"]
            }
        ],
        "triage_required": false,
        "triage_fee_credits": 1600.0,
        "created_at": "2026-03-10T12:00:00.000Z",
        "updated_at": "2026-03-10T12:05:00.000Z"
    })
}

fn verdict_json() -> Value {
    json!({
        "status": "ready",
        "ecosystem": "npm",
        "package": "event-stream",
        "version": "3.3.6",
        "level": "malicious",
        "confidence": "high",
        "summary": "Contains the flatmap-stream payload.",
        "findings": [{ "kind": "install-script", "file": "index.js" }],
        "source": "osv",
        "osv_id": "MAL-2018-1"
    })
}

// ---------------------------------------------------------------- responses

#[test]
fn scan_round_trips() {
    let scan: Scan = round_trip(scan_json());
    assert_eq!(scan.scan_type, ScanType::Full);
    assert_eq!(scan.status, ScanState::Completed);
    assert!(scan.status.is_terminal());
    assert_eq!(scan.pr_number, None);
    assert_eq!(scan.name.as_deref(), Some("Nightly API scan"));
    assert_eq!(scan.findings_summary.total(), 15);
}

#[test]
fn scan_with_nulls_round_trips() {
    let mut json = scan_json();
    json["scan_type"] = json!("pr");
    json["name"] = Value::Null;
    json["repo_url"] = Value::Null;
    json["branch"] = Value::Null;
    json["pr_number"] = json!(42);
    json["target_urls"] = Value::Null;
    let scan: Scan = round_trip(json);
    assert_eq!(scan.scan_type, ScanType::Pr);
    assert_eq!(scan.pr_number, Some(42));
    assert_eq!(scan.target_urls, None);
}

#[test]
fn unknown_fields_are_ignored() {
    let mut json = scan_json();
    json["mermaid_diagram"] = json!("graph TD; A-->B");
    json["findings_summary"]["critical_plus"] = json!(9);
    let scan: Scan = serde_json::from_value(json).expect("unknown fields do not fail decoding");
    assert_eq!(scan.findings_summary.critical, 1);
}

#[test]
fn unknown_enum_values_survive_decode_and_re_encode() {
    let mut json = scan_json();
    json["status"] = json!("paused_for_review");
    json["scan_type"] = json!("dast");
    let scan: Scan = round_trip(json);
    assert_eq!(scan.status, ScanState::Unknown("paused_for_review".to_owned()));
    assert!(scan.status.is_unknown());
    assert!(!scan.status.is_terminal());
    assert_eq!(scan.scan_type.as_str(), "dast");

    let mut json = finding_json();
    json["severity"] = json!("catastrophic");
    json["state"] = json!("wont_fix");
    let finding: Finding = round_trip(json);
    assert_eq!(finding.severity, Severity::Unknown("catastrophic".to_owned()));
    assert_eq!(finding.state.to_string(), "wont_fix");
}

#[test]
fn scan_status_created_scan_and_page_round_trip() {
    let status: ScanStatus = round_trip(json!({
        "id": "8f14e45f-ceea-467f-a0e6-8f3bb4d0b2a1",
        "task_id": "pentest_acme-api_1718000000",
        "status": "pending_triage",
        "created_at": "2026-03-10T12:00:00.000Z",
        "updated_at": "2026-03-10T12:01:00.000Z"
    }));
    assert_eq!(status.status, ScanState::PendingTriage);
    assert!(!status.status.is_terminal());

    let created: CreatedScan = round_trip(json!({
        "id": "8f14e45f-ceea-467f-a0e6-8f3bb4d0b2a1",
        "task_id": "pentest_acme-api_1718000000",
        "status": "pending",
        "message": "Scan started"
    }));
    assert_eq!(created.status, ScanState::Pending);

    let page: Page<Scan> = round_trip(json!({ "data": [scan_json()], "total": 284, "page": 2, "limit": 50 }));
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, "8f14e45f-ceea-467f-a0e6-8f3bb4d0b2a1");
    assert!(page.has_next());
    assert_eq!(page.next_page(), Some(3));
}

#[test]
fn page_stops_at_the_end_and_on_empty_pages() {
    let last: Page<Finding> = round_trip(json!({ "data": [finding_json()], "total": 101, "page": 3, "limit": 50 }));
    assert!(!last.has_next());
    assert_eq!(last.next_page(), None);

    let empty: Page<Finding> = round_trip(json!({ "data": [], "total": 500, "page": 9, "limit": 0 }));
    assert!(!empty.has_next(), "an empty page must end a pagination loop");
}

#[test]
fn finding_and_detail_round_trip() {
    let finding: Finding = round_trip(finding_json());
    assert_eq!(finding.severity, Severity::High);
    assert_eq!(finding.state, FindingState::Open);
    assert_eq!(finding.resolved_at, None);

    let mut json = finding_json();
    let extra = json!({
        "triage_thread": [
            {
                "id": "t1",
                "reaction": null,
                "comment": "Confirmed on staging.",
                "user_id": "u1",
                "username": "alice",
                "source": "api",
                "timestamp": "2026-03-11T08:00:00.000Z"
            },
            {
                "id": "t2",
                "reaction": "+1",
                "comment": null,
                "user_id": "u2",
                "source": "slack",
                "timestamp": "2026-03-11T08:30:00.000Z"
            }
        ],
        "taint_path": [
            {
                "type": "source",
                "file": "src/users/controller.ts",
                "line": 10,
                "end_line": 12,
                "symbol": "search",
                "description": "Query parameter q enters here.",
                "taint_sources": ["req.query.q"],
                "code": "search(@Query('q') q: string) {",
                "code_start_line": 8,
                "code_end_line": 14
            },
            {
                "type": "sink",
                "file": "src/users/search.ts",
                "line": 40,
                "end_line": 40,
                "symbol": "findByName",
                "description": "Interpolated into raw SQL.",
                "detail": "Runs a raw query.",
                "taint_sources": ["q"]
            }
        ],
        "occurrence_count": 3,
        "repo_url": "https://github.com/acme/api",
        "scan_type": "full"
    });
    json.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let detail: FindingDetail = round_trip(json);
    assert_eq!(detail.triage_thread.len(), 2);
    assert_eq!(detail.triage_thread[1].username, None);
    assert_eq!(detail.taint_path[0].kind, TaintStepKind::Source);
    assert_eq!(detail.taint_path[1].kind, TaintStepKind::Sink);
    assert_eq!(detail.taint_path[1].code, None);
    assert_eq!(detail.scan_type, Some(ScanType::Full));

    assert_eq!(Finding::from(detail), finding);
}

#[test]
fn finding_mutation_answers_round_trip() {
    let updated: UpdatedFinding = round_trip(json!({
        "id": "c9bf9e57-1685-4c89-bafb-ff5af830be8a",
        "state": "false_positive",
        "severity": "low",
        "duplicate_of": null
    }));
    assert_eq!(updated.state, FindingState::FalsePositive);
    assert_eq!(updated.severity, Severity::Low);
    assert_eq!(updated.duplicate_of, None);

    let added: AddedComment = round_trip(json!({ "comment_id": "cmt_1" }));
    assert_eq!(added.comment_id, "cmt_1");
}

#[test]
fn cost_estimation_round_trips() {
    let estimation: CostEstimation = round_trip(cost_estimation_json());
    assert_eq!(estimation.status, CostEstimationStatus::Partial);
    assert!(estimation.status.is_terminal());
    assert!(estimation.is_ready_for_scan());
    assert_eq!(estimation.repos[0].source, Some(RepoSource::Connected));
    assert_eq!(estimation.repos[1].archive_id.as_deref(), Some("arch_42"));
    let results = estimation.repo_results.as_ref().unwrap();
    assert_eq!(results[0].applications.as_ref().unwrap()[1].architecture, None);
    assert_eq!(results[1].status, RepoResultStatus::Failed);
    assert_eq!(results[1].failure_reason, Some(FailureReason::UnsupportedLanguage));
    assert_eq!(estimation.triage_fee_credits, 1600.0);
}

#[test]
fn pending_cost_estimation_is_not_ready() {
    let estimation: CostEstimation = round_trip(json!({
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "organization_id": "f336d0bc-b841-465b-8045-024475c079dd",
        "user_id": "f336d0bc-b841-465b-8045-024475c079dd",
        "task_id": "cost_est_owner-repo_12345",
        "status": "running",
        "repos": [{ "source": "public", "repo_url": "https://github.com/o/r", "branch": "main" }],
        "triage_required": true,
        "triage_fee_credits": 0.0,
        "created_at": "2026-03-10T12:00:00.000Z",
        "updated_at": "2026-03-10T12:00:00.000Z"
    }));
    assert!(!estimation.status.is_terminal());
    assert!(!estimation.is_ready_for_scan());
    assert_eq!(estimation.total_credits, None);
    assert_eq!(estimation.name, None);
    assert!(encode(&estimation).get("repo_results").is_none());
}

#[test]
fn cost_estimation_list_is_an_offset_page() {
    let list: OffsetPage<CostEstimation> = round_trip(json!({ "data": [cost_estimation_json()], "total": 3 }));
    assert_eq!(list.data[0].id, "123e4567-e89b-12d3-a456-426614174000");
    assert_eq!(list.next_offset(0), Some(1));
    assert_eq!(list.next_offset(2), None);
}

#[test]
fn repo_list_round_trips_with_camel_case_names() {
    let list: RepoList = round_trip(json!({
        "repos": [
            {
                "id": "123e4567-e89b-12d3-a456-426614174000",
                "provider": "github",
                "name": "octocat/Hello-World",
                "providerKey": "octocat/Hello-World",
                "enabled": true,
                "threatModelUpdatedAt": "2026-06-22T12:00:00.000Z",
                "prScansEnabled": true,
                "prScanBranches": ["main", "**/release/**"],
                "installationId": 12345678,
                "baseUrl": "https://ghe.example.com"
            },
            {
                "id": "223e4567-e89b-12d3-a456-426614174000",
                "provider": "gitlab",
                "name": "group/project",
                "providerKey": "4242",
                "enabled": false,
                "threatModelUpdatedAt": null,
                "defaultBranch": "main",
                "visibility": "private",
                "webhookRegistered": true
            },
            {
                "id": "323e4567-e89b-12d3-a456-426614174000",
                "provider": "gitea",
                "name": "ws/slug",
                "providerKey": "{uuid}",
                "enabled": true,
                "threatModelUpdatedAt": null,
                "isPrivate": true
            }
        ],
        "errors": ["bitbucket"]
    }));
    let github = &list.repos[0];
    assert_eq!(github.provider, RepoProvider::GitHub);
    assert_eq!(github.provider_key, "octocat/Hello-World");
    assert_eq!(github.installation_id, Some(12_345_678));
    assert_eq!(github.pr_scan_branches.as_ref().unwrap().len(), 2);
    assert_eq!(list.repos[1].threat_model_updated_at, None);
    assert_eq!(list.repos[1].default_branch.as_deref(), Some("main"));
    assert_eq!(list.repos[2].provider, RepoProvider::Unknown("gitea".to_owned()));
    assert_eq!(list.repos[2].is_private, Some(true));
    assert_eq!(list.errors, ["bitbucket"]);
}

#[test]
fn hfw_answers_round_trip() {
    let verdict: Verdict = round_trip(verdict_json());
    assert_eq!(verdict.level, VerdictLevel::Malicious);
    assert!(verdict.is_malicious());
    assert_eq!(verdict.findings[0]["kind"], "install-script");

    let batch: BatchVerdicts = round_trip(json!({
        "status": "ok",
        "verdicts": [
            verdict_json(),
            {
                "status": "pending",
                "ecosystem": "pypi",
                "package": "requests",
                "version": "2.32.3",
                "level": "unknown",
                "confidence": "low",
                "summary": "Not in the feed yet.",
                "findings": []
            }
        ],
        "errors": [{ "package": "left-pad", "error": "version missing" }]
    }));
    assert_eq!(batch.verdicts[1].status, VerdictStatus::Pending);
    assert_eq!(batch.verdicts[1].ecosystem, Ecosystem::Pypi);
    assert_eq!(batch.verdicts[1].level, VerdictLevel::Unassessed);
    assert!(!batch.verdicts[1].level.is_unknown(), "`unknown` is a documented level");
    assert_eq!(batch.errors.len(), 1);

    let feed: OsvFeed = round_trip(json!({
        "total": 1200,
        "results": [{ "ecosystem": "npm", "package": "event-stream", "versions": ["3.3.6"] }]
    }));
    assert_eq!(feed.total, Some(1200));
    assert_eq!(feed.results[0].ecosystem, Ecosystem::Npm);
    let feed: OsvFeed = round_trip(json!({ "results": [] }));
    assert_eq!(feed.total, None);
}

// ----------------------------------------------------------------- requests

#[test]
fn estimation_repos_serialize_as_the_tagged_union() {
    let body = CreateCostEstimation::new([
        EstimationRepo::connected("https://github.com/org/private", "main"),
        EstimationRepo::connected_via_installation("https://github.com/org/app", "dev", 12_345_678),
        EstimationRepo::public("https://github.com/org/repo", "main"),
        EstimationRepo::upload("arch_42"),
    ])
    .name("Q3 audit");
    let expected = json!({
        "name": "Q3 audit",
        "repos": [
            { "source": "connected", "repo_url": "https://github.com/org/private", "branch": "main" },
            {
                "source": "connected",
                "repo_url": "https://github.com/org/app",
                "branch": "dev",
                "github_installation_id": 12345678
            },
            { "source": "public", "repo_url": "https://github.com/org/repo", "branch": "main" },
            { "source": "upload", "archive_id": "arch_42" }
        ]
    });
    assert_eq!(encode(&body), expected);
    assert_eq!(body.repos[3].source(), RepoSource::Upload);
    let decoded: CreateCostEstimation = serde_json::from_value(expected).unwrap();
    assert_eq!(decoded, body);

    let unnamed = CreateCostEstimation::new([]).repo(EstimationRepo::upload("a"));
    assert_eq!(
        encode(&unnamed),
        json!({ "repos": [{ "source": "upload", "archive_id": "a" }] })
    );
}

#[test]
fn estimation_repo_rejects_invalid_combinations() {
    let missing_archive = json!({ "source": "upload", "repo_url": "https://github.com/o/r" });
    assert!(serde_json::from_value::<EstimationRepo>(missing_archive).is_err());
    let missing_branch = json!({ "source": "public", "repo_url": "https://github.com/o/r" });
    assert!(serde_json::from_value::<EstimationRepo>(missing_branch).is_err());
    let bad_source = json!({ "source": "ftp", "archive_id": "a" });
    assert!(serde_json::from_value::<EstimationRepo>(bad_source).is_err());
}

#[test]
fn create_scan_omits_unset_fields() {
    let minimal = CreateScan::new("123e4567-e89b-12d3-a456-426614174000")
        .repo(ScanRepo::new("https://github.com/acme/api", "main"));
    assert_eq!(
        encode(&minimal),
        json!({
            "cost_estimation_id": "123e4567-e89b-12d3-a456-426614174000",
            "repos": [{ "url": "https://github.com/acme/api", "branch": "main" }]
        })
    );

    let full = CreateScan::new("est")
        .repos([
            ScanRepo::new("https://github.com/acme/api", "main"),
            ScanRepo::new("https://github.com/acme/web", "dev").source(RepoSource::Public),
        ])
        .target_url("https://staging.acme.dev")
        .target_url("https://admin.staging.acme.dev")
        .auth_instructions("Log in as test@acme.dev")
        .custom_context("Multi-tenant SaaS")
        .context_document_id("doc-1");
    assert_eq!(
        encode(&full),
        json!({
            "cost_estimation_id": "est",
            "repos": [
                { "url": "https://github.com/acme/api", "branch": "main" },
                { "url": "https://github.com/acme/web", "branch": "dev", "source": "public" }
            ],
            "target_urls": ["https://staging.acme.dev", "https://admin.staging.acme.dev"],
            "auth_instructions": "Log in as test@acme.dev",
            "custom_context": "Multi-tenant SaaS",
            "context_document_ids": ["doc-1"]
        })
    );
}

/// A terminal estimation of `repos` (each an item of `RepoInputResponseDto`).
fn estimation_of(repos: Value) -> CostEstimation {
    let mut json = cost_estimation_json();
    json["repos"] = repos;
    serde_json::from_value(json).expect("estimation decodes")
}

#[test]
fn scan_from_estimation_scans_exactly_what_was_estimated() {
    let estimation = estimation_of(json!([
        {
            "source": "connected",
            "repo_url": "https://github.com/acme/api",
            "branch": "release/2.x",
            "commit_sha": "abc123def456"
        },
        { "source": "public", "repo_url": "https://github.com/octo/hello", "branch": "trunk" },
        { "source": "upload", "archive_id": "arch_42" },
        { "repo_url": "https://gitlab.com/acme/legacy", "branch": "master" },
        { "source": "mirror", "repo_url": "https://git.acme.dev/tools", "branch": "dev" }
    ]));
    let scan = CreateScan::from_estimation(&estimation).unwrap();
    assert_eq!(scan.cost_estimation_id, estimation.id);

    // Each scanned repository is the estimated one: same URL (archive id for an
    // upload), branch and source, in the same order.
    assert_eq!(scan.repos.len(), estimation.repos.len());
    for (repo, estimated) in scan.repos.iter().zip(&estimation.repos) {
        let name = estimated.repo_url.as_ref().or(estimated.archive_id.as_ref()).unwrap();
        assert_eq!(&repo.url, name);
        assert_eq!(repo.source, estimated.source);
        if let Some(branch) = &estimated.branch {
            assert_eq!(&repo.branch, branch);
        }
    }
    assert_eq!(
        encode(&scan),
        json!({
            "cost_estimation_id": "123e4567-e89b-12d3-a456-426614174000",
            "repos": [
                { "url": "https://github.com/acme/api", "branch": "release/2.x", "source": "connected" },
                { "url": "https://github.com/octo/hello", "branch": "trunk", "source": "public" },
                // `branch` is required on the wire; an archive has none estimated.
                { "url": "arch_42", "branch": "main", "source": "upload" },
                // No source reported: none sent, the server's default applies.
                { "url": "https://gitlab.com/acme/legacy", "branch": "master" },
                // A source this SDK does not know is passed through unchanged.
                { "url": "https://git.acme.dev/tools", "branch": "dev", "source": "mirror" }
            ]
        })
    );

    // The pentest inputs are still the caller's to add.
    let scan = scan
        .target_url("https://staging.acme.dev")
        .custom_context("Multi-tenant SaaS");
    assert_eq!(
        scan.target_urls.as_deref(),
        Some(&["https://staging.acme.dev".to_owned()][..])
    );
    assert_eq!(scan.repos.len(), 5);
}

#[test]
fn scan_from_estimation_keeps_an_archive_branch_and_a_partial_estimations_failures() {
    // The spec lets an estimation report a branch for an archive; it is kept.
    let estimation = estimation_of(json!([{ "source": "upload", "archive_id": "arch_42", "branch": "v1" }]));
    let scan = CreateScan::from_estimation(&estimation).unwrap();
    assert_eq!(
        encode(&scan.repos),
        json!([{ "url": "arch_42", "branch": "v1", "source": "upload" }])
    );

    // The fixture is `partial`: its second result failed, and both of its
    // repositories are still scanned, since both were estimated.
    let partial: CostEstimation = serde_json::from_value(cost_estimation_json()).unwrap();
    assert_eq!(partial.status, CostEstimationStatus::Partial);
    let scan = CreateScan::from_estimation(&partial).unwrap();
    let urls: Vec<&str> = scan.repos.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, ["https://github.com/owner/repo", "arch_42"]);
}

#[test]
fn scan_from_estimation_names_the_field_a_repository_lacks() {
    for (repos, index, missing) in [
        (json!([{ "source": "public", "branch": "main" }]), 0, "repo_url"),
        (
            json!([
                { "source": "public", "repo_url": "https://github.com/o/r", "branch": "main" },
                { "source": "connected", "repo_url": "https://github.com/o/s" }
            ]),
            1,
            "branch",
        ),
        (json!([{ "repo_url": "https://github.com/o/r" }]), 0, "branch"),
        // An upload is named by its archive id, not by a URL.
        (
            json!([{ "source": "upload", "repo_url": "https://github.com/o/r", "branch": "main" }]),
            0,
            "archive_id",
        ),
    ] {
        let err = CreateScan::from_estimation(&estimation_of(repos.clone())).unwrap_err();
        assert_eq!((err.index(), err.missing()), (index, missing), "{repos}");
        assert_eq!(
            err.to_string(),
            format!("repository {index} of the cost estimation has no `{missing}`, so a scan cannot name it")
        );
    }
}

#[test]
fn list_limit_defaults_disagree_in_the_vendor_docs_as_documented() {
    // `FindingListQuery::limit` and `ScanListQuery::limit` say `openapi.json`
    // declares `limit` with `"default": 100` and no maximum, unlike the
    // pagination page's `15` / `100`. Keep them true if the spec changes.
    let spec: Value = serde_json::from_str(include_str!("../../tests/data/openapi.json")).unwrap();
    for path in ["/scans", "/findings", "/scans/{id}/findings", "/findings/export"] {
        let parameters = spec["paths"][path]["get"]["parameters"].as_array().unwrap();
        let limit = parameters.iter().find(|p| p["name"] == "limit").unwrap();
        assert_eq!(limit["schema"]["default"], json!(100), "{path}");
        assert!(limit["schema"].get("maximum").is_none(), "{path}");
    }
}

#[test]
fn update_finding_sends_only_what_changes() {
    assert_eq!(encode(&UpdateFinding::new()), json!({}));

    let triage = UpdateFinding::new()
        .state(FindingState::AcceptedRisk)
        .severity(Severity::Low)
        .reason("Internal-only endpoint");
    assert_eq!(
        encode(&triage),
        json!({ "state": "accepted_risk", "severity": "low", "reason": "Internal-only endpoint" })
    );

    let mark = UpdateFinding::new().duplicate_of("canon-uuid").state_reason("dup");
    assert_eq!(
        encode(&mark),
        json!({ "state_reason": "dup", "duplicate_of": "canon-uuid" })
    );

    let unmark = UpdateFinding::new().not_duplicate();
    assert_eq!(encode(&unmark), json!({ "duplicate_of": null }));

    // Absent, null and set stay three different things when decoding too.
    let decode = |json| serde_json::from_value::<UpdateFinding>(json).unwrap().duplicate_of;
    assert_eq!(decode(json!({})), None);
    assert_eq!(decode(json!({ "duplicate_of": null })), Some(None));
    assert_eq!(decode(json!({ "duplicate_of": "x" })), Some(Some("x".to_owned())));
}

#[test]
fn comment_and_batch_requests_encode() {
    assert_eq!(
        encode(&AddComment::new("Fixed in #42")),
        json!({ "comment": "Fixed in #42" })
    );

    let batch = BatchVerdictRequest::new([BatchPackage::npm("@scope/name", "1.0.0")])
        .package(BatchPackage::pypi("requests", "2.32.3"));
    assert_eq!(
        encode(&batch),
        json!({
            "packages": [
                { "ecosystem": "npm", "package": "@scope/name", "version": "1.0.0" },
                { "ecosystem": "pypi", "package": "requests", "version": "2.32.3" }
            ]
        })
    );
}

// ------------------------------------------------------------------ queries

#[test]
fn default_queries_send_nothing() {
    assert_eq!(encode(&ScanListQuery::new()), json!({}));
    assert_eq!(encode(&FindingListQuery::new()), json!({}));
    assert_eq!(encode(&CostEstimationListQuery::new()), json!({}));
    assert_eq!(encode(&OsvFeedQuery::new()), json!({}));
    assert_eq!(
        encode(&FindingExportQuery::new(ExportFormat::Csv)),
        json!({ "format": "csv" })
    );
    assert_eq!(
        encode(&ScanExportQuery::new(ExportFormat::Sarif)),
        json!({ "format": "sarif" })
    );
    assert_eq!(encode(&VerdictQuery::new("1.0.0")), json!({ "version": "1.0.0" }));
}

#[test]
fn queries_are_flat_with_wire_values() {
    let scans = ScanListQuery::new()
        .page(2)
        .limit(50)
        .scan_type(ScanType::Pr)
        .status(ScanState::PendingVerification)
        .sort_by(ScanSortBy::CreatedAt)
        .sort_order(SortOrder::Asc);
    assert_eq!(
        encode(&scans),
        json!({
            "page": 2, "limit": 50, "scan_type": "pr", "status": "pending_verification",
            "sort_by": "created_at", "sort_order": "ASC"
        })
    );

    let findings = FindingListQuery::new()
        .page(1)
        .limit(25)
        .severity(Severity::High)
        .state(FindingState::Open)
        .scan_id("scan-uuid")
        .scan_type(ScanType::Full)
        .repo_url("https://github.com/acme/api")
        .found_since("2026-01-01T00:00:00Z")
        .found_until("2026-02-01T00:00:00Z")
        .sort_by(FindingSortBy::UpdatedAt)
        .sort_order(SortOrder::Desc);
    let expected = json!({
        "page": 1, "limit": 25, "severity": "high", "state": "open", "scan_id": "scan-uuid",
        "scan_type": "full", "repo_url": "https://github.com/acme/api",
        "found_since": "2026-01-01T00:00:00Z", "found_until": "2026-02-01T00:00:00Z",
        "sort_by": "updated_at", "sort_order": "DESC"
    });
    assert_eq!(encode(&findings), expected);

    let export = FindingExportQuery::with_filters(ExportFormat::Json, findings.clone());
    let mut expected_export = expected;
    expected_export["format"] = json!("json");
    assert_eq!(encode(&export), expected_export);
    let chained = FindingExportQuery::new(ExportFormat::Json)
        .severity(Severity::Critical)
        .repo_url("https://github.com/acme/api");
    assert_eq!(
        encode(&chained),
        json!({ "severity": "critical", "repo_url": "https://github.com/acme/api", "format": "json" })
    );

    assert_eq!(
        encode(&CostEstimationListQuery::new().limit(10).offset(20)),
        json!({ "limit": 10, "offset": 20 })
    );
    assert_eq!(
        encode(&OsvFeedQuery::new().limit(500).offset(0)),
        json!({ "limit": 500, "offset": 0 })
    );
    assert_eq!(
        encode(&VerdictQuery::new("4.17.21").wait_seconds(30)),
        json!({ "version": "4.17.21", "wait_seconds": 30 })
    );

    for query in [encode(&scans), encode(&export)] {
        let all_scalar = query
            .as_object()
            .unwrap()
            .values()
            .all(|v| v.is_string() || v.is_number());
        assert!(all_scalar, "query strings take scalars only: {query}");
    }
}

// -------------------------------------------------------------------- enums

macro_rules! assert_known_values_round_trip {
    ($($enum:ident: [$($wire:literal),+ $(,)?]),+ $(,)?) => {$(
        let wires: Vec<&str> = $enum::KNOWN.iter().map($enum::as_str).collect();
        assert_eq!(wires, [$($wire),+], "{} documents exactly the spec's values", stringify!($enum));
        for known in $enum::KNOWN {
            assert!(!known.is_unknown());
            assert_eq!(known.as_str().parse::<$enum>().unwrap(), *known);
            assert_eq!(known.to_string(), known.as_str());
            assert_eq!(encode(known), json!(known.as_str()));
            let decoded: $enum = serde_json::from_value(json!(known.as_str())).unwrap();
            assert_eq!(&decoded, known);
            assert!(!matches!(decoded, $enum::Unknown(_)));
        }
        let novel: $enum = serde_json::from_value(json!("not_in_the_docs")).unwrap();
        assert_eq!(novel, $enum::Unknown("not_in_the_docs".to_owned()));
        assert_eq!(encode(&novel), json!("not_in_the_docs"));
        assert_user_input_is_case_insensitive_but_the_wire_is_not::<$enum>(stringify!($enum), &[$($wire),+]);
    )+};
}

/// User input (`FromStr`, `parse_known`) matches a documented value trimmed and
/// in any ASCII case; the wire (serde, `From`) matches it exactly.
#[track_caller]
fn assert_user_input_is_case_insensitive_but_the_wire_is_not<E>(name: &str, wires: &[&str])
where
    E: std::str::FromStr<Err = std::convert::Infallible>
        + for<'a> From<&'a str>
        + Serialize
        + DeserializeOwned
        + PartialEq
        + Debug
        + ParseKnown,
{
    for (i, wire) in wires.iter().enumerate() {
        for other in &wires[i + 1..] {
            assert!(
                !wire.eq_ignore_ascii_case(other),
                "{name}: `{wire}` and `{other}` differ only in case"
            );
        }
        let known = E::from(*wire);
        // A spelling the wire does not use: the other ASCII case.
        let flipped = if wire.to_ascii_uppercase() == *wire {
            wire.to_ascii_lowercase()
        } else {
            wire.to_ascii_uppercase()
        };
        let padded = format!(" \t{flipped}\n");
        for input in [flipped.as_str(), padded.as_str()] {
            assert_eq!(input.parse::<E>().unwrap(), known, "{name}: {input:?} parses");
            assert_eq!(E::parse_known(input).unwrap(), known, "{name}: {input:?} is known");
        }

        let on_wire = E::from(flipped.as_str());
        assert_ne!(on_wire, known, "{name}: `{flipped}` is not a wire value");
        let decoded: E = serde_json::from_value(json!(flipped)).unwrap();
        assert_eq!(decoded, on_wire);
        assert_eq!(encode(&decoded), json!(flipped), "{name}: re-encodes unchanged");
        let padded_wire: E = serde_json::from_value(json!(format!(" {wire}"))).unwrap();
        assert_ne!(padded_wire, known, "{name}: the wire is not trimmed");
    }

    let err = E::parse_known(" not_in_the_docs ").unwrap_err();
    assert_eq!(err.kind(), name);
    assert_eq!(err.value(), " not_in_the_docs ");
    assert_eq!(err.expected(), wires);
    let listed: Vec<String> = wires.iter().map(|w| format!("`{w}`")).collect();
    assert_eq!(
        err.to_string(),
        format!(
            "unknown {name} ` not_in_the_docs `; expected one of {}",
            listed.join(", ")
        )
    );
    assert_eq!(
        " not_in_the_docs ".parse::<E>().unwrap(),
        E::from(" not_in_the_docs "),
        "{name}: `FromStr` keeps what it does not know verbatim"
    );
}

/// `parse_known` of every open enum, for the generic check above.
trait ParseKnown: Sized {
    fn parse_known(input: &str) -> Result<Self, UnknownValue>;
}

macro_rules! impl_parse_known {
    ($($enum:ident),+ $(,)?) => {$(
        impl ParseKnown for $enum {
            fn parse_known(input: &str) -> Result<Self, UnknownValue> {
                $enum::parse_known(input)
            }
        }
    )+};
}

impl_parse_known! {
    ScanType, ScanState, ScanSortBy, SortOrder, Severity, FindingState, FindingSortBy, ExportFormat,
    TaintStepKind, RepoSource, CostEstimationStatus, RepoResultStatus, FailureReason, RepoProvider,
    Ecosystem, VerdictStatus, VerdictLevel,
}

#[test]
fn every_enum_knows_exactly_the_spec_values() {
    assert_known_values_round_trip! {
        ScanType: ["pr", "full"],
        ScanState: [
            "pending", "running", "completed", "failed", "stopped", "cancelled", "skipped",
            "pending_verification", "pending_triage", "draft", "estimating", "estimated",
        ],
        ScanSortBy: ["created_at", "updated_at", "status"],
        SortOrder: ["ASC", "DESC"],
        Severity: ["critical", "high", "medium", "low", "info"],
        FindingState: ["open", "true_positive", "false_positive", "accepted_risk", "resolved", "closed"],
        FindingSortBy: ["found_at", "updated_at", "severity"],
        ExportFormat: ["json", "csv", "sarif"],
        TaintStepKind: ["source", "propagation", "sink"],
        RepoSource: ["connected", "public", "upload"],
        CostEstimationStatus: ["pending", "running", "completed", "partial", "failed"],
        RepoResultStatus: ["completed", "failed"],
        FailureReason: ["unsupported_language"],
        RepoProvider: ["github", "gitlab", "bitbucket", "azure"],
        Ecosystem: ["npm", "pypi"],
        VerdictStatus: ["ready", "pending", "scanning"],
        VerdictLevel: ["clean", "suspicious", "malicious", "unknown"],
    }
}

#[test]
fn open_enum_conversions_agree() {
    assert_eq!("full".parse::<ScanType>().unwrap(), ScanType::Full);
    assert_eq!(ScanType::from(String::from("pr")), ScanType::Pr);
    assert_eq!(String::from(ScanState::PendingTriage), "pending_triage");
    assert_eq!(String::from(ScanState::Unknown("paused".to_owned())), "paused");
    assert_eq!(SortOrder::Desc.as_ref(), "DESC");
    assert_eq!(format!("[{:>6}]", Severity::Low), "[   low]");

    // A hand-built Unknown spelling a known value is that value.
    assert_eq!(ScanType::Unknown("pr".to_owned()), ScanType::Pr);
    assert!(!ScanType::Unknown("pr".to_owned()).is_unknown());
    let set: HashSet<ScanType> = [ScanType::Pr, ScanType::Unknown("pr".to_owned())].into();
    assert_eq!(set.len(), 1, "Hash agrees with Eq");

    // The wire is case-sensitive: `asc` is not a documented sort order...
    assert!(SortOrder::from("asc").is_unknown());
    let decoded: SortOrder = serde_json::from_value(json!("asc")).unwrap();
    assert_eq!(decoded, SortOrder::Unknown("asc".to_owned()));
    // ...but user input is not: `asc` is what a user means by `ASC`.
    assert_eq!("asc".parse::<SortOrder>().unwrap(), SortOrder::Asc);
    assert_eq!(SortOrder::parse_known("  Desc ").unwrap(), SortOrder::Desc);
    // `unknown` is a documented verdict level, not the `Unknown` catch-all.
    assert_eq!(VerdictLevel::parse_known("UNKNOWN").unwrap(), VerdictLevel::Unassessed);
}

#[test]
fn severity_thresholds_from_user_input() {
    // The user study's `--fail-on HIGH`: it is `high`, not an unknown severity.
    assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
    assert_eq!(" Critical\n".parse::<Severity>().unwrap(), Severity::Critical);
    assert_eq!(Severity::parse_known("HIGH"), Ok(Severity::High));
    let err = Severity::parse_known("hgih").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown Severity `hgih`; expected one of `critical`, `high`, `medium`, `low`, `info`"
    );
    let shown: &dyn std::error::Error = &err;
    assert!(shown.source().is_none());

    // Wire values stay exact: a server sending `HIGH` sent something new.
    let decoded: Finding = serde_json::from_value({
        let mut json = finding_json();
        json["severity"] = json!("HIGH");
        json
    })
    .unwrap();
    assert_eq!(decoded.severity, Severity::Unknown("HIGH".to_owned()));
    assert_eq!(encode(&decoded)["severity"], json!("HIGH"));
}

#[test]
fn severity_orders_by_real_severity_with_unknown_values_first() {
    let mut severities = vec![
        Severity::Info,
        Severity::Unknown("novel".to_owned()),
        Severity::Critical,
        Severity::Low,
        Severity::Unknown("another".to_owned()),
        Severity::High,
        Severity::Medium,
    ];
    severities.sort();
    assert_eq!(
        severities,
        [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
            Severity::Unknown("another".to_owned()),
            Severity::Unknown("novel".to_owned()),
        ]
    );
    assert!(Severity::Critical > Severity::High);
    assert!(Severity::Unknown("aaa".to_owned()) > Severity::Critical);
    assert_eq!(
        Severity::Unknown("critical".to_owned()).cmp(&Severity::Critical),
        std::cmp::Ordering::Equal
    );

    // Severest first, as a findings table lists them: what cannot be ranked leads.
    severities.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities[0], Severity::Unknown("novel".to_owned()));
    assert_eq!(severities[2..], Severity::KNOWN[..]);
}

#[test]
fn severity_thresholds_fail_closed() {
    use Severity::{Critical, High, Info, Low, Medium};
    let unknown = || Severity::Unknown("catastrophic".to_owned());

    // Known against known: by rank.
    let at_least_high: Vec<&Severity> = Severity::KNOWN.iter().filter(|s| s.is_at_least(&High)).collect();
    assert_eq!(at_least_high, [&Critical, &High]);
    assert!(Info.is_at_least(&Info));
    assert!(!Info.is_at_least(&Low));
    assert!(Critical.is_at_least(&Critical));
    assert!(!Medium.is_at_least(&Critical));

    // An unknown severity is at least every threshold: a gate stops on it.
    for threshold in Severity::KNOWN {
        assert!(unknown().is_at_least(threshold), "{threshold}");
    }
    // An unknown threshold cannot be ranked: every severity meets it, where
    // `>=` (the sort order, unknown ranked first) would let every known one pass.
    for severity in Severity::KNOWN {
        assert!(severity.is_at_least(&unknown()), "{severity}");
        assert!(*severity < unknown());
    }
    assert!(unknown().is_at_least(&Severity::Unknown("zzz".to_owned())));
    // `Unknown` spelling a known value is that value, threshold or not.
    assert!(!Low.is_at_least(&Severity::Unknown("high".to_owned())));

    let summary = FindingsSummary {
        critical: 1,
        high: 2,
        medium: 3,
        low: 4,
        info: 5,
    };
    assert_eq!(summary.at_or_above(&Critical), 1);
    assert_eq!(summary.at_or_above(&High), 3);
    assert_eq!(summary.at_or_above(&Info), 15);
    assert_eq!(summary.at_or_above(&unknown()), 15, "an unknown threshold fails closed");
    assert_eq!(summary.at_or_above(&Severity::from("HIGH")), 15);
    assert_eq!(summary.at_or_above(&"HIGH".parse().unwrap()), 3);
    assert_eq!(summary.count(&Medium), 3);
}

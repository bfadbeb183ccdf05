//! Authentication, scopes, tenancy, the rate limit, injected faults, the
//! public `hfw` routes and `GET /repos`, end to end: each documented status
//! and failure mode as the typed value or `Error` variant the client returns.

#[macro_use]
mod support;

use hacktron::CallError;
use std::time::Duration;

use hacktron::models::{
    BatchPackage, BatchVerdictRequest, CostEstimation, CreateCostEstimation, Ecosystem, FindingListQuery, FindingState,
    OsvFeedQuery, RepoProvider, ScanListQuery, UpdateFinding, UpdatedFinding, VerdictLevel, VerdictQuery,
    VerdictStatus,
};
use hacktron::prelude::*;
use hacktron::scope::KeyKind;
use hacktron::scope::{public, read, write};
use hacktron::{Response, RetryPolicy, StatusCode, endpoint};
use hacktron_sandbox::Fault;
use support::sandbox::*;

/// Bindings that also return the status, to see 200 and 201 themselves.
trait WithStatus {
    #[endpoint(POST, "/cost-estimations", scope = write)]
    async fn create_estimation_with_status(
        &self,
        #[body] estimation: &CreateCostEstimation,
    ) -> Result<Response<CostEstimation>, Error>;

    #[endpoint(GET, "/cost-estimations/{id}", scope = read)]
    async fn get_estimation_with_status(&self, id: &str) -> Result<Response<CostEstimation>, Error>;

    #[endpoint(PATCH, "/findings/{id}", scope = write)]
    async fn update_finding_with_status(
        &self,
        id: &str,
        #[body] update: &UpdateFinding,
    ) -> Result<Response<UpdatedFinding>, Error>;
}
impl<K: KeyKind<Service = hacktron::Hacktron>> WithStatus for Client<K> {}

/// `GET /scans` as a dashboard would call it: a session token in
/// `Authorization` and, being `public` here, no API key.
trait DashboardSession {
    #[endpoint(GET, "/scans", scope = public)]
    async fn scans_with_session(
        &self,
        #[header("Authorization")] authorization: &str,
    ) -> Result<serde_json::Value, Error>;
}
impl<K: KeyKind<Service = hacktron::Hacktron>> DashboardSession for Client<K> {}

#[tokio::test]
async fn success_statuses_are_200_and_201() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    let created = client
        .create_estimation_with_status(&estimate_request(WEBAPP, "main"))
        .await
        .unwrap();
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.headers["content-type"], "application/json; charset=utf-8");
    let read = client.get_estimation_with_status(&created.id).await.unwrap();
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.into_inner(), created.into_inner());

    let finding = client
        .list_findings(&FindingListQuery::new())
        .await
        .unwrap()
        .data
        .remove(0);
    let updated = client
        .update_finding_with_status(&finding.id, &UpdateFinding::new().state(FindingState::AcceptedRisk))
        .await
        .unwrap();
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.state, FindingState::AcceptedRisk);
}

#[tokio::test]
async fn revoked_and_unknown_keys_are_401() {
    let sandbox = start(manual()).await;
    let revoked: Client<ReadWrite> = client(&sandbox, &sandbox.keys().revoked);
    let e = expect_err!(
        revoked.list_scans(&ScanListQuery::new()).await,
        Error::Unauthorized { .. }
    );
    assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(e.messages(), ["API key has been revoked"]);
    assert!(!e.is_retryable());
    // Every keyed route refuses it, writes included.
    expect_err!(
        revoked.create_cost_estimation(&estimate_request(WEBAPP, "main")).await,
        Error::Unauthorized { .. }
    );

    // A well-formed key the server never issued.
    let stranger: Client<ReadOnly> = client(&sandbox, "hacktron_0000000000000000000000000000");
    let e = expect_err!(stranger.list_repos().await, Error::Unauthorized { .. });
    assert_eq!(e.messages(), ["Invalid API key"]);
}

#[tokio::test]
async fn a_read_only_key_behind_a_write_type_gets_missing_scope() {
    let sandbox = start(manual()).await;
    // The declared type grants `write`, so this compiles; the real key is read-only.
    let mislabelled: Client<ReadWrite> = client(&sandbox, &sandbox.keys().read_only);
    let e = expect_err!(
        mislabelled.create_cost_estimation(&estimate_request(WEBAPP, "main")).await,
        Error::MissingScope { scope, .. } if scope == "write"
    );
    assert_eq!(e.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(e.messages(), ["API key missing required scope: write"]);
    assert!(e.to_string().contains("create a key that includes `write`"), "{e}");

    let scan = seeded_scan(&mislabelled).await; // reading is fine
    let finding = mislabelled
        .list_scan_findings(&scan.id, &FindingListQuery::new())
        .await
        .unwrap()
        .data
        .remove(0);
    expect_err!(
        mislabelled.create_scan(&scan_request("00000000-0000-4000-8000-000000000000", WEBAPP, "main")).await,
        Error::MissingScope { scope, .. } if scope == "write"
    );
    expect_err!(
        mislabelled.update_finding(&finding.id, &UpdateFinding::new().state(FindingState::Closed)).await,
        Error::MissingScope { scope, .. } if scope == "write"
    );
    expect_err!(
        mislabelled.add_finding_comment(&finding.id, &hacktron::models::AddComment::new("hi")).await,
        Error::MissingScope { scope, .. } if scope == "write"
    );
    // Nothing changed.
    let after = read_only(&sandbox).get_finding(&finding.id).await.unwrap();
    assert_eq!(after.state, FindingState::Open);
    assert!(after.triage_thread.is_empty());
}

#[tokio::test]
async fn the_rate_limit_is_429_with_retry_after_per_key() {
    let sandbox = start(manual().with_rate_limit(3, Duration::from_secs(60))).await;
    let client = read_write(&sandbox);
    for _ in 0..3 {
        client.list_scans(&ScanListQuery::new()).await.unwrap();
    }
    let e = expect_err!(
        client.list_scans(&ScanListQuery::new()).await,
        Error::RateLimited { retry_after: Some(after), .. } if *after == Duration::from_secs(60)
    );
    assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(e.messages(), ["ThrottlerException: Too Many Requests"]);
    assert!(e.is_retryable());
    assert!(e.to_string().contains("for 60s as the server asked"), "{e}");

    // Per key: another key, and the keyless public routes, are not limited.
    read_only(&sandbox).list_repos().await.unwrap();
    no_key(&sandbox).osv_feed(&OsvFeedQuery::new()).await.unwrap();

    // A rolling window: half-way through, the wait is halved; then it is over.
    sandbox.advance(Duration::from_secs(30));
    expect_err!(
        client.list_repos().await,
        Error::RateLimited { retry_after: Some(after), .. } if *after == Duration::from_secs(30)
    );
    sandbox.advance(Duration::from_secs(30));
    client.list_scans(&ScanListQuery::new()).await.unwrap();
}

#[tokio::test]
async fn an_injected_500_is_a_server_error_once() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);
    sandbox.inject(Fault::Status(500), 1);
    let e = expect_err!(client.list_scans(&ScanListQuery::new()).await, Error::Server { .. });
    assert_eq!(e.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(e.messages(), ["Internal server error"]);
    assert!(e.is_retryable());
    // Only once.
    assert_eq!(client.list_scans(&ScanListQuery::new()).await.unwrap().total, 1);

    // An injected 429 carries `Retry-After: 1`.
    sandbox.inject(Fault::Status(429), 1);
    expect_err!(
        client.list_repos().await,
        Error::RateLimited { retry_after: Some(after), .. } if *after == Duration::from_secs(1)
    );
}

#[tokio::test]
async fn the_retry_policy_absorbs_transient_failures_within_its_attempts() {
    let sandbox = start(manual()).await;
    let key = sandbox.keys().read_write.clone();
    let client: Client<ReadWrite> = retrying(&sandbox, &key, 3);

    // A lone 500 or gateway 503 on a GET is retried away.
    sandbox.inject(Fault::Status(500), 1);
    assert_eq!(client.list_scans(&ScanListQuery::new()).await.unwrap().total, 1);
    sandbox.inject(Fault::Empty(503), 2);
    assert_eq!(client.list_repos().await.unwrap().repos.len(), 4);

    // More failures than attempts: the last error, counting the attempts.
    sandbox.inject(Fault::Status(500), 3);
    let e = expect_err!(client.list_scans(&ScanListQuery::new()).await, Error::Server { .. });
    assert_eq!(e.attempts(), 3);
    assert!(
        client.list_scans(&ScanListQuery::new()).await.is_ok(),
        "all three faults were used"
    );

    // A gateway error on a POST is not retried: it may have been applied.
    sandbox.inject(Fault::Html(502), 1);
    let e = expect_err!(
        client.create_cost_estimation(&estimate_request(WEBAPP, "main")).await,
        Error::WriteMayHaveApplied { cause, .. } if matches!(**cause, Error::UnexpectedStatus { .. })
    );
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(502));
    // Nor is a client error.
    let e = expect_err!(
        client.get_scan("00000000-0000-4000-8000-000000000000").await,
        Error::NotFound { .. }
    );
    assert_eq!(e.attempts(), 1);

    // A 429 waits out `Retry-After` (1 s here), then succeeds.
    sandbox.inject(Fault::Status(429), 1);
    let started = std::time::Instant::now();
    client.list_repos().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn proxy_pages_truncated_and_empty_bodies_are_typed_errors() {
    let sandbox = start(manual()).await;
    let client = read_write(&sandbox);

    // A proxy's HTML 502: no JSON to parse, the page is kept whole.
    sandbox.inject(Fault::Html(502), 1);
    let e = expect_err!(
        client.list_scans(&ScanListQuery::new()).await,
        Error::UnexpectedStatus { .. }
    );
    assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
    assert!(e.messages().is_empty());
    let response = e.response().unwrap();
    assert_eq!(response.headers["content-type"], "text/html");
    assert!(!response.truncated);
    let page = response.text();
    assert!(page.starts_with("<html>"), "{page}");
    assert!(page.contains("<title>502 Bad Gateway</title>"), "{page}");
    assert_eq!(e.body().map(<[u8]>::len), Some(page.len()));
    assert!(e.is_retryable());
    assert!(e.to_string().contains("502 Bad Gateway"), "{e}");

    // A 200 whose JSON stops half-way: a decode error, not a panic, with the body.
    sandbox.inject(Fault::Truncated, 1);
    let e = expect_err!(
        client.list_scans(&ScanListQuery::new()).await,
        Error::Call(CallError::Decode { .. })
    );
    let Error::Call(CallError::Decode { status, body, .. }) = &e else {
        unreachable!()
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(&body[..], br#"{"data":[{"id":"3f2b9c1e-8a4d-4e6f-9b1a-2c"#);
    assert!(e.to_string().contains(r#"body starts with: {"data":[{"#), "{e}");
    assert_eq!(e.status(), Some(StatusCode::OK));

    // A 200 of another content type whose JSON is not the expected shape:
    // a decode error naming the missing field, never a silent default.
    sandbox.inject(Fault::WrongContentType, 1);
    let e = expect_err!(client.list_repos().await, Error::Call(CallError::Decode { .. }));
    let Error::Call(CallError::Decode { path, message, .. }) = &e else {
        unreachable!()
    };
    assert_eq!(path, ".", "{e}");
    assert!(message.contains("missing field"), "{e}");
    assert!(e.to_string().contains("maintenance"), "the body snippet is shown: {e}");

    // A 503 with no body at all.
    sandbox.inject(Fault::Empty(503), 1);
    let e = expect_err!(client.list_repos().await, Error::UnexpectedStatus { .. });
    assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(e.body(), Some(&b""[..]));
    assert!(e.messages().is_empty());
    assert!(e.is_retryable());
    assert!(e.to_string().contains("empty body"), "{e}");

    // Faults queue in order and hit public routes too; then all is well again.
    sandbox.inject(Fault::Empty(503), 1);
    sandbox.inject(Fault::Html(504), 1);
    let public = no_key(&sandbox);
    let first = public.osv_feed(&OsvFeedQuery::new()).await.unwrap_err();
    let second = public.osv_feed(&OsvFeedQuery::new()).await.unwrap_err();
    assert_eq!(first.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(second.status(), Some(StatusCode::GATEWAY_TIMEOUT));
    assert!(public.osv_feed(&OsvFeedQuery::new()).await.is_ok());
    assert!(client.list_repos().await.is_ok());
}

#[tokio::test]
async fn a_session_token_instead_of_a_key_is_session_token() {
    let sandbox = start(manual()).await;
    let (dashboard, spy) = spied(&sandbox, Client::<NoKey>::public());
    assert_eq!(dashboard.key_prefix(), None);
    let e = expect_err!(
        dashboard.scans_with_session("Bearer x").await,
        Error::SessionToken { .. }
    );
    let sent = Sent {
        path: "/v1/scans".into(),
        api_key: false,
        authorization: Some("Bearer x".into()),
    };
    assert_eq!(spy.sent(), [sent]);
    assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        e.messages(),
        ["This endpoint requires API key authentication (X-Api-Key header)"]
    );
    // Without the token it is the plain 401 for a missing key.
    let e = expect_err!(dashboard.scans_with_session("").await, Error::Unauthorized { .. });
    assert_eq!(e.messages(), ["Missing API key"]);
}

#[tokio::test]
async fn the_backend_route_is_backend_route_and_its_rest_alias_works() {
    let sandbox = start(manual()).await;
    let key = &sandbox.keys().read_write;
    let backend = Client::builder(key.as_str())
        .base_url(format!("http://{}/api/v1", sandbox.addr()))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let e = expect_err!(
        backend.list_scans(&ScanListQuery::new()).await,
        Error::BackendRoute { .. }
    );
    assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(e.to_string().contains("use https://api.hacktron.ai/v1"), "{e}");

    // `/api/v1/rest/...` is what the public host maps `/v1/...` onto.
    let rest = Client::builder(key.as_str())
        .base_url(format!("http://{}/api/v1/rest", sandbox.addr()))
        .build()
        .unwrap();
    assert_eq!(rest.list_scans(&ScanListQuery::new()).await.unwrap().total, 1);
}

#[tokio::test]
async fn another_organization_sees_none_of_acmes_resources() {
    let sandbox = start(manual()).await;
    let acme = read_write(&sandbox);
    let globex = other_org(&sandbox);
    let scan = completed_scan(&sandbox, &acme, WEBAPP, "main").await;
    let estimation = acme
        .list_cost_estimations(&Default::default())
        .await
        .unwrap()
        .data
        .remove(0);
    let finding = acme
        .list_scan_findings(&scan.id, &FindingListQuery::new())
        .await
        .unwrap()
        .data
        .remove(0);

    expect_err!(globex.get_scan(&scan.id).await, Error::NotFound { .. });
    expect_err!(globex.get_cost_estimation(&estimation.id).await, Error::NotFound { .. });
    let e = expect_err!(globex.get_finding(&finding.id).await, Error::FindingNotFound { .. });
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    expect_err!(
        globex
            .update_finding(&finding.id, &UpdateFinding::new().state(FindingState::Closed))
            .await,
        Error::FindingNotFound { .. }
    );

    // Its lists hold only its own seeded data.
    let scans = globex.list_scans(&ScanListQuery::new()).await.unwrap();
    assert_eq!(scans.total, 1);
    assert_eq!(scans.data[0].repo_url.as_deref(), Some("https://github.com/globex/hq"));
    assert_eq!(globex.list_findings(&FindingListQuery::new()).await.unwrap().total, 5);
    assert_eq!(
        globex.list_cost_estimations(&Default::default()).await.unwrap().total,
        0
    );
    let repos = globex.list_repos().await.unwrap();
    let names: Vec<_> = repos.repos.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["globex/hq"]);
    // And acme's finding is untouched.
    assert_eq!(acme.get_finding(&finding.id).await.unwrap().state, FindingState::Open);
}

#[tokio::test]
async fn repos_lists_every_connected_provider() {
    let sandbox = start(manual()).await;
    let repos = read_only(&sandbox).list_repos().await.unwrap();
    assert!(repos.errors.is_empty());
    let found: Vec<_> = repos
        .repos
        .iter()
        .map(|r| (r.name.as_str(), r.provider.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("acme/webapp", RepoProvider::GitHub),
            ("acme/infra", RepoProvider::GitLab),
            ("acme/payments-api", RepoProvider::GitHub),
            ("acme/legacy-portal", RepoProvider::Bitbucket),
        ]
    );
    let webapp = &repos.repos[0];
    assert_eq!(webapp.pr_scans_enabled, Some(true));
    assert_eq!(webapp.installation_id, Some(48_213_377));
    assert!(webapp.threat_model_updated_at.is_some());
    let infra = &repos.repos[1];
    assert_eq!(infra.default_branch.as_deref(), Some("main"));
    assert_eq!(
        infra.pr_scan_branches.as_deref(),
        Some(&["main".to_owned(), "**/release/**".to_owned()][..])
    );
    let legacy = &repos.repos[3];
    assert!(!legacy.enabled);
    assert_eq!(legacy.is_private, Some(true));
}

#[tokio::test]
async fn hfw_verdicts_and_feed_need_no_key() {
    let sandbox = start(manual()).await;
    let (hfw, spy) = spied(&sandbox, Client::<NoKey>::public());
    assert_eq!(hfw.key_prefix(), None, "a client with no key at all");

    // GET /hfw/verdict/{ecosystem}/{packageName}
    let evil = hfw
        .package_verdict(&Ecosystem::Npm, "evil-pkg", &VerdictQuery::new("1.0.0"))
        .await
        .unwrap();
    assert_eq!(evil.status, VerdictStatus::Ready);
    assert_eq!((evil.package.as_str(), evil.version.as_str()), ("evil-pkg", "1.0.0"));
    assert!(evil.is_malicious());
    assert_eq!(evil.osv_id.as_deref(), Some("MAL-2026-0001"));
    assert_eq!(evil.findings.len(), 1);
    assert_eq!(evil.findings[0]["severity"], "critical");

    let clean = hfw
        .package_verdict(&Ecosystem::Pypi, "requests", &VerdictQuery::new("2.31.0"))
        .await
        .unwrap();
    assert_eq!(clean.level, VerdictLevel::Clean);
    assert!(!clean.is_malicious());
    assert!(clean.findings.is_empty());
    assert_eq!(clean.ecosystem, Ecosystem::Pypi);

    let unknown = hfw
        .package_verdict(
            &Ecosystem::Npm,
            "unknown-thing",
            &VerdictQuery::new("0.1.0").wait_seconds(0),
        )
        .await
        .unwrap();
    assert_eq!(
        (unknown.status, unknown.level),
        (VerdictStatus::Pending, VerdictLevel::Unassessed)
    );

    // GET /hfw/verdict/{ecosystem}/{scope}/{packageName}, scope with or without its `@`.
    for scope in ["evil", "@evil"] {
        let stealer = hfw
            .scoped_npm_verdict(&Ecosystem::Npm, scope, "stealer", &VerdictQuery::new("0.0.1"))
            .await
            .unwrap();
        assert_eq!(stealer.package, "@evil/stealer");
        assert!(stealer.is_malicious(), "{stealer:?}");
    }
    let later = hfw
        .scoped_npm_verdict(&Ecosystem::Npm, "evil", "stealer", &VerdictQuery::new("1.0.0"))
        .await
        .unwrap();
    assert_eq!(
        later.level,
        VerdictLevel::Clean,
        "only the listed versions are malicious"
    );
    let types = hfw
        .scoped_npm_verdict(&Ecosystem::Npm, "types", "node", &VerdictQuery::new("20.0.0"))
        .await
        .unwrap();
    assert_eq!(
        (types.package.as_str(), types.level),
        ("@types/node", VerdictLevel::Clean)
    );

    // POST /hfw/verdicts/batch: one verdict per package, in order.
    let batch = hfw
        .batch_verdicts(&BatchVerdictRequest::new([
            BatchPackage::npm("evil-pkg", "2.0.0"),
            BatchPackage::pypi("requests", "2.31.0"),
            BatchPackage::npm("event-stream", "3.3.6"),
            BatchPackage::npm("suspicious-helper", "1.0.0"),
        ]))
        .await
        .unwrap();
    assert_eq!(batch.status, "ok");
    assert!(batch.errors.is_empty());
    let levels: Vec<_> = batch.verdicts.iter().map(|v| v.level.clone()).collect();
    assert_eq!(
        levels,
        [
            VerdictLevel::Malicious,
            VerdictLevel::Clean,
            VerdictLevel::Malicious,
            VerdictLevel::Suspicious
        ]
    );

    // GET /hfw/osv/feed, whole and sliced.
    let feed = hfw.osv_feed(&OsvFeedQuery::new()).await.unwrap();
    assert_eq!(feed.total, Some(4));
    assert_eq!(feed.results.len(), 4);
    assert!(
        feed.results.iter().any(|e| e.package == "evil-pkg"
            && e.ecosystem == Ecosystem::Npm
            && e.versions.contains(&"1.0.0".to_owned()))
    );
    let slice = hfw.osv_feed(&OsvFeedQuery::new().limit(1).offset(1)).await.unwrap();
    assert_eq!(slice.results.len(), 1);
    assert_eq!(slice.results[0].package, "@evil/stealer");
    assert_eq!(slice.results[0].versions, ["0.0.1", "0.0.2"]);

    // Not one request carried a key...
    let sent = spy.sent();
    assert_eq!(sent.len(), 10);
    assert!(
        sent.iter().all(|s| !s.api_key && s.path.starts_with("/v1/hfw/")),
        "{sent:?}"
    );
    // ...and a client that has one does not send it to these routes either.
    let (keyed, spy) = spied(&sandbox, Client::builder(sandbox.keys().revoked.as_str()));
    let feed = keyed.osv_feed(&OsvFeedQuery::new()).await.unwrap();
    assert_eq!(feed.total, Some(4), "a revoked key does not matter: it is not sent");
    expect_err!(keyed.list_repos().await, Error::Unauthorized { .. });
    let sent: Vec<_> = spy.sent().into_iter().map(|s| (s.path, s.api_key)).collect();
    assert_eq!(
        sent,
        [("/v1/hfw/osv/feed".to_owned(), false), ("/v1/repos".to_owned(), true)]
    );

    // Validation still applies to keyless calls.
    let e = expect_err!(
        hfw.package_verdict(&Ecosystem::Npm, "evil-pkg", &VerdictQuery::new(""))
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["version should not be empty", "version must be a string"]
    );
}

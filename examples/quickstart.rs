//! The whole Hacktron workflow, end to end:
//! estimate -> wait -> scan -> wait -> findings -> SARIF export -> triage -> comment,
//! then the typed errors you will meet and how to match them.
//!
//! With no environment it starts the embedded sandbox, so it runs on a fresh
//! machine with no account: `cargo run --example quickstart`.
//! With `HACKTRON_API_KEY` set (and optionally `HACKTRON_BASE_URL`) it runs
//! against that host instead; this starts a real, billed scan.

use std::time::{Duration, Instant};

use hacktron::models::{
    AddComment, CreateCostEstimation, CreateScan, EstimationRepo, ExportFormat, FindingListQuery, FindingState,
    ScanExportQuery, ScanRepo, Severity, UpdateFinding,
};
use hacktron::prelude::*;
use hacktron_sandbox::{Config, Sandbox};

const REPO: &str = "https://github.com/acme/webapp";
const BRANCH: &str = "main";

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    // Keep the sandbox alive for the whole run: dropping it stops the server.
    let (client, sandbox, wait) = connect().await?;

    println!("1. Estimating the cost of scanning {REPO} ({BRANCH})");
    let estimation = client
        .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::public(REPO, BRANCH)]))
        .await?;
    let estimation = client
        .wait_for_cost_estimation(&estimation.id, &wait, |e| {
            println!("   estimation {}: {}", short(&e.id), e.status)
        })
        .await?;
    let credits = estimation.total_credits.unwrap_or(0.0);
    println!("   -> {credits} credits");

    println!("2. Starting the scan");
    let scan = client
        .create_scan(&CreateScan::new(&estimation.id).repo(ScanRepo::new(REPO, BRANCH)))
        .await?;
    let status = client
        .wait_for_scan(&scan.id, &wait, |s| println!("   scan {}: {}", short(&s.id), s.status))
        .await?;
    if status.status != hacktron::models::ScanState::Completed {
        return Err(format!("scan ended `{}`", status.status).into());
    }

    println!("3. Findings");
    let findings = client
        .all_scan_findings(&scan.id, FindingListQuery::new().limit(100))
        .try_collect()
        .await?;
    for f in &findings {
        println!("   {:<8} {:<44} {}", f.severity, f.title, f.affected_file);
    }

    let path = std::env::temp_dir().join(format!("hacktron-{}.sarif", short(&scan.id)));
    let mut file = tokio::fs::File::create(&path).await?;
    let bytes = client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Sarif))
        .await?
        .copy_to(&mut file)
        .await?;
    println!("4. Exported SARIF ({bytes} bytes) to {}", path.display());

    let worst = findings
        .iter()
        .max_by_key(|f| f.severity.clone())
        .ok_or("the scan found nothing to triage")?;
    let updated = client
        .update_finding(
            &worst.id,
            &UpdateFinding::new()
                .state(FindingState::TruePositive)
                .severity(Severity::High),
        )
        .await?;
    println!(
        "5. Triaged {} -> state {}, severity {}",
        short(&worst.id),
        updated.state,
        updated.severity
    );
    client
        .add_finding_comment(&worst.id, &AddComment::new("Confirmed; fix tracked in SEC-123."))
        .await?;
    println!("6. Commented on {}", short(&worst.id));

    println!("7. Errors are types you can match:");
    // The estimation was claimed by the scan above; a fresh one is not ready yet.
    let fresh = client
        .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::public(REPO, BRANCH)]))
        .await?;
    match client
        .create_scan(&CreateScan::new(&fresh.id).repo(ScanRepo::new(REPO, BRANCH)))
        .await
    {
        Err(e @ Error::CostEstimationNotReady { .. }) => println!("   not ready:     {e}"),
        other => println!("   unexpected:    {other:?}"),
    }
    match client.get_finding("00000000-0000-4000-8000-000000000000").await {
        Err(e @ Error::FindingNotFound { .. }) => println!("   not found:     {e}"),
        other => println!("   unexpected:    {other:?}"),
    }
    if let Some(sandbox) = &sandbox {
        // Only the sandbox lets us empty the organization's credits.
        sandbox.set_credits(&sandbox.keys().acme_org, 0);
        let ready = client.wait_for_cost_estimation(&fresh.id, &wait, |_| {}).await?;
        match client
            .create_scan(&CreateScan::new(&ready.id).repo(ScanRepo::new(REPO, BRANCH)))
            .await
        {
            Err(e @ Error::InsufficientCredits { .. }) => println!("   no credits:    {e}"),
            other => println!("   unexpected:    {other:?}"),
        }
    }

    println!("Done in {:.1}s.", started.elapsed().as_secs_f64());
    Ok(())
}

/// A client for `HACKTRON_API_KEY` when it is set, otherwise for a sandbox
/// started here, with polling fast enough for a demo.
async fn connect() -> Result<(Client<ReadWrite>, Option<Sandbox>, Wait), Box<dyn std::error::Error>> {
    if std::env::var_os("HACKTRON_API_KEY").is_some() {
        let client = Client::<ReadWrite>::from_env()?;
        println!(
            "Using {} with key {}",
            client.base_url(),
            client.key_prefix().unwrap_or("?")
        );
        return Ok((client, None, Wait::new()));
    }
    let config = Config::default()
        .with_estimation_time(Duration::from_millis(600))
        .with_scan_time(Duration::from_millis(900));
    let sandbox = Sandbox::start_with(config).await?;
    println!(
        "No HACKTRON_API_KEY set: using an embedded sandbox at {}",
        sandbox.base_url()
    );
    let client = Client::<ReadWrite>::builder(sandbox.keys().read_write.clone())
        .base_url(sandbox.base_url())
        .build()?;
    let wait = Wait::new()
        .interval(Duration::from_millis(150))
        .jitter(Duration::from_millis(50));
    Ok((client, Some(sandbox), wait))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

//! CI gate: scan, write SARIF, exit 1 on a finding at or above the threshold, 2 on an error.
//! `cargo run --example ci_gate -- REPO BRANCH SEVERITY FILE` (a sandbox without HACKTRON_API_KEY)
use std::{process::ExitCode, time::Duration};

use hacktron::models::{CreateCostEstimation, CreateScan, EstimationRepo, ExportFormat, ScanExportQuery, Severity};
use hacktron::prelude::*;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: &str| args.get(i).map_or(default, String::as_str).to_owned();
    let (repo, branch) = (arg(1, "https://github.com/acme/webapp"), arg(2, "main"));
    let (fail_on, sarif) = (arg(3, "high"), arg(4, "hacktron.sarif"));
    match gate(&repo, &branch, &fail_on, &sarif).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn gate(repo: &str, branch: &str, fail_on: &str, sarif: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let threshold = Severity::parse_known(fail_on)?; // `HIGH` works; `hgih` lists the valid values
    let _sandbox; // the embedded sandbox lives as long as the gate
    let (client, wait) = if std::env::var_os("HACKTRON_API_KEY").is_some() {
        (Client::from_env()?, Wait::new())
    } else {
        let sandbox = hacktron_sandbox::Sandbox::start().await?;
        let client = Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url());
        _sandbox = sandbox;
        (client.build()?, Wait::new().interval(Duration::from_millis(100)))
    };
    let estimate = CreateCostEstimation::new([EstimationRepo::public(repo, branch)]);
    let estimation = client.create_cost_estimation(&estimate).await?;
    let estimation = client.wait_for_cost_estimation(&estimation.id, &wait, |_| {}).await?;
    let scan = client.create_scan(&CreateScan::from_estimation(&estimation)?).await?;
    client
        .wait_for_scan(&scan.id, &wait, |s| eprintln!("scan {}", s.status))
        .await?;
    let export = client.export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Sarif));
    export
        .await?
        .copy_to(&mut tokio::fs::File::create(sarif).await?)
        .await?;
    let blocking: Vec<_> = (client.all_scan_findings(&scan.id, Default::default()))
        .try_filter(|f| std::future::ready(f.severity.is_at_least(&threshold)))
        .try_collect()
        .await?;
    for f in &blocking {
        println!("{:<8} {} (at or above {threshold})", f.severity, f.title);
    }
    Ok(blocking.len())
}

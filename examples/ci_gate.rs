//! A CI gate: scan a repository and branch, wait, write SARIF for the code
//! scanning UI, and exit non-zero when findings at or above a severity exist.
//!
//! ```sh
//! cargo run --example ci_gate -- --repo https://github.com/acme/webapp --branch main \
//!     --fail-on high --sarif hacktron.sarif
//! ```
//!
//! Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or API error.
//! Without `HACKTRON_API_KEY` it runs against an embedded sandbox.

use std::process::ExitCode;
use std::time::Duration;

use hacktron::models::{
    CreateCostEstimation, CreateScan, EstimationRepo, ExportFormat, ScanExportQuery, ScanRepo, ScanState, Severity,
};
use hacktron::prelude::*;

struct Args {
    repo: String,
    branch: String,
    fail_on: Severity,
    sarif: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        repo: String::new(),
        branch: "main".into(),
        fail_on: Severity::High,
        sarif: "hacktron.sarif".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--repo" => args.repo = value()?,
            "--branch" => args.branch = value()?,
            "--fail-on" => {
                let v = value()?;
                args.fail_on = v.parse().map_err(|_| format!("bad severity {v}"))?;
                if args.fail_on.is_unknown() {
                    return Err(format!("--fail-on takes one of {:?}", Severity::KNOWN));
                }
            }
            "--sarif" => args.sarif = value()?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.repo.is_empty() {
        return Err("usage: ci_gate --repo URL [--branch B] [--fail-on SEVERITY] [--sarif FILE]".into());
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match gate(&args).await {
        Ok(0) => {
            println!("gate passed: no findings at or above {}", args.fail_on);
            ExitCode::SUCCESS
        }
        Ok(n) => {
            println!("gate failed: {n} finding(s) at or above {}", args.fail_on);
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn gate(args: &Args) -> Result<u64, Box<dyn std::error::Error>> {
    let (client, _sandbox, wait) = if std::env::var_os("HACKTRON_API_KEY").is_some() {
        (Client::<ReadWrite>::from_env()?, None, Wait::new())
    } else {
        let config = hacktron_sandbox::Config::default()
            .with_estimation_time(Duration::from_millis(300))
            .with_scan_time(Duration::from_millis(300));
        let sandbox = hacktron_sandbox::Sandbox::start_with(config).await?;
        let client = Client::<ReadWrite>::builder(sandbox.keys().read_write.clone())
            .base_url(sandbox.base_url())
            .build()?;
        (
            client,
            Some(sandbox),
            Wait::new().interval(Duration::from_millis(100)).jitter(Duration::ZERO),
        )
    };
    let estimate = CreateCostEstimation::new([EstimationRepo::public(&args.repo, &args.branch)]);
    let estimation = client.create_cost_estimation(&estimate).await?;
    let estimation = client.wait_for_cost_estimation(&estimation.id, &wait, |_| {}).await?;
    if !estimation.is_ready_for_scan() {
        return Err(format!(
            "estimation ended `{}`: {}",
            estimation.status,
            estimation.error.unwrap_or_default()
        )
        .into());
    }
    let scan = CreateScan::new(&estimation.id).repo(ScanRepo::new(&args.repo, &args.branch));
    let scan = client.create_scan(&scan).await?;
    let status = client
        .wait_for_scan(&scan.id, &wait, |s| eprintln!("scan {}", s.status))
        .await?;
    if status.status != ScanState::Completed {
        return Err(format!("scan ended `{}`", status.status).into());
    }
    let mut file = tokio::fs::File::create(&args.sarif).await?;
    client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Sarif))
        .await?
        .copy_to(&mut file)
        .await?;
    eprintln!("SARIF written to {}", args.sarif);
    let summary = client.get_scan(&scan.id).await?.findings_summary;
    Ok(summary.at_or_above(&args.fail_on))
}

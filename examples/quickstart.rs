//! The whole Hacktron workflow, end to end:
//! estimate -> wait -> scan -> wait -> findings -> SARIF export -> triage -> comment,
//! then the typed errors you will meet and how to match them.
//!
//! With no environment it starts the embedded sandbox, so it runs on a fresh
//! machine with no account: `cargo run --example quickstart`.
//! With `HACKTRON_API_KEY` set (and optionally `HACKTRON_BASE_URL`) it runs
//! against that host instead; this starts a real, billed scan.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use hacktron::models::{
    AddComment, CreateCostEstimation, CreateScan, EstimationRepo, ExportFormat, Finding, FindingListQuery,
    FindingState, ScanExportQuery, Severity, UpdateFinding,
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
    // Exactly the repositories and branches estimated, so none is refused.
    let scan = client.create_scan(&CreateScan::from_estimation(&estimation)?).await?;
    let status = client
        .wait_for_scan(&scan.id, &wait, |s| println!("   scan {}: {}", short(&s.id), s.status))
        .await?;
    if status.status != hacktron::models::ScanState::Completed {
        return Err(format!("scan ended `{}`", status.status).into());
    }

    println!("3. Findings");
    let mut findings = client
        .all_scan_findings(&scan.id, FindingListQuery::new().limit(100))
        .try_collect()
        .await?;
    sort_severest_first(&mut findings);
    for line in table(&findings) {
        println!("   {line}");
    }

    let path = std::env::temp_dir().join(format!("hacktron-{}.sarif", short(&scan.id)));
    let mut file = tokio::fs::File::create(&path).await?;
    let bytes = client
        .export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Sarif))
        .await?
        .copy_to(&mut file)
        .await?;
    println!("4. Exported SARIF ({bytes} bytes) to {}", path.display());

    let worst = findings.first().ok_or("the scan found nothing to triage")?;
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
    match client.create_scan(&CreateScan::from_estimation(&fresh)?).await {
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
        match client.create_scan(&CreateScan::from_estimation(&ready)?).await {
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
        let client = Client::builder_from_env().hook(Progress).build()?;
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
    let client = Client::builder(sandbox.keys().read_write.clone())
        .base_url(sandbox.base_url())
        .hook(Progress)
        .build()?;
    let wait = Wait::new()
        .interval(Duration::from_millis(150))
        .jitter(Duration::from_millis(50));
    Ok((client, Some(sandbox), wait))
}

/// Says so when the client waits before a retry (a 429's `Retry-After`, a
/// gateway error), so a long wait is never silent.
struct Progress;

impl hacktron::Hook for Progress {
    fn on_retry(&self, retry: &hacktron::retry::RetryEvent<'_>) {
        let why = retry
            .status
            .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {}", s.as_u16()));
        let asked = if retry.server_asked {
            ", as the server asked"
        } else {
            ""
        };
        println!(
            "   {} got {why}; retrying in {:.1}s{asked}",
            retry.endpoint.name,
            retry.delay.as_secs_f64()
        );
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

/// Width of the severity column: `critical`, the longest documented severity.
const SEVERITY_WIDTH: usize = 8;
/// Width of the title column.
const TITLE_WIDTH: usize = 44;

/// Severest first, `critical` to `info`; a severity this SDK does not know
/// yet ranks above `critical` (see `Severity`'s order), so it leads. Findings
/// of one severity keep the server's order.
fn sort_severest_first(findings: &mut [Finding]) {
    findings.sort_by(|a, b| b.severity.cmp(&a.severity));
}

/// The findings table: a header, then one line per finding, each cell cut to
/// its column. The file is the last column, so it is never cut.
fn table(findings: &[Finding]) -> Vec<String> {
    let row = |severity: &str, title: &str, file: &str| {
        let severity = fit(severity, SEVERITY_WIDTH);
        let title = fit(title, TITLE_WIDTH);
        format!("{severity:<SEVERITY_WIDTH$} {title:<TITLE_WIDTH$} {file}")
            .trim_end()
            .to_owned()
    };
    let mut lines = vec![row("SEVERITY", "TITLE", "FILE")];
    lines.extend(
        findings
            .iter()
            .map(|f| row(f.severity.as_str(), &f.title, &f.affected_file)),
    );
    lines
}

/// `text` in at most `width` characters: cut, with `…` as its last one, when
/// longer. Counts `char`s, as `format!`'s padding does, so a column of
/// double-width characters can still look wider.
fn fit(text: &str, width: usize) -> Cow<'_, str> {
    if text.chars().count() <= width {
        return Cow::Borrowed(text);
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    Cow::Owned(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: &str, title: &str) -> Finding {
        serde_json::from_value(serde_json::json!({
            "id": "c9bf9e57-1685-4c89-bafb-ff5af830be8a",
            "title": title,
            "category": "A03:2021-Injection",
            "severity": severity,
            "state": "open",
            "description": "",
            "affected_file": "src/app.ts",
            "affected_code": "",
            "tags": [],
            "found_at": "2026-03-10T13:00:00.000Z",
            "updated_at": "2026-03-10T13:00:00.000Z"
        }))
        .unwrap()
    }

    #[test]
    fn findings_are_listed_severest_first() {
        let mut findings: Vec<Finding> = ["low", "critical", "info", "catastrophic", "high", "medium", "high"]
            .into_iter()
            .enumerate()
            .map(|(i, severity)| finding(severity, &format!("#{i}")))
            .collect();
        sort_severest_first(&mut findings);
        let order: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.severity.as_str(), f.title.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("catastrophic", "#3"),
                ("critical", "#1"),
                ("high", "#4"),
                ("high", "#6"),
                ("medium", "#5"),
                ("low", "#0"),
                ("info", "#2"),
            ]
        );
        assert_eq!(findings[1].severity, Severity::Critical);
    }

    #[test]
    fn long_cells_are_cut_to_their_column_with_an_ellipsis() {
        assert_eq!(fit("short", 8), "short");
        assert_eq!(fit("exactly8", 8), "exactly8");
        assert_eq!(fit("ninechars", 8), "ninecha…");
        assert_eq!(fit("ünïcödé titles", 5), "ünïc…");
        assert_eq!(fit("anything", 0), "…");

        let long = "Server-side request forgery through the avatar URL fetcher in /profile";
        let lines = table(&[finding("catastrophic", long), finding("high", "SQL injection")]);
        assert_eq!(lines[0], format!("{:<8} {:<44} FILE", "SEVERITY", "TITLE"));
        let file_column = SEVERITY_WIDTH + 1 + TITLE_WIDTH + 1;
        for line in &lines[1..] {
            let (cells, file) = line.split_at(line.char_indices().nth(file_column).unwrap().0);
            assert_eq!(file, "src/app.ts", "{line}");
            assert_eq!(cells.chars().count(), file_column, "{line}");
        }
        assert!(lines[1].starts_with("catastr… Server-side request forgery through the ava… "));
        assert!(lines[2].starts_with("high     SQL injection "));
    }
}

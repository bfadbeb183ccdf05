//! Many concurrent calls against the sandbox while faults are injected:
//! every call ends in a value or a typed error, and no `POST /scans` is
//! ever applied twice for one estimation.
//!
//! `cargo test --test load -- --nocapture` prints the figures; the 10 000-call
//! run is `#[ignore]`d: `cargo test --release --test load -- --ignored --nocapture`.

use hacktron::CallError;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hacktron::RetryPolicy;
use hacktron::models::{CreateCostEstimation, CreateScan, EstimationRepo, ScanListQuery, ScanRepo};
use hacktron::prelude::*;
use hacktron_sandbox::{Config, Fault, Sandbox};

const TASKS: usize = 64;
const WEBAPP: &str = "https://github.com/acme/webapp";

fn variant(e: &Error) -> &'static str {
    match e {
        Error::Server { .. } => "Server",
        Error::RateLimited { .. } => "RateLimited",
        Error::Conflict { .. } => "Conflict",
        Error::UnexpectedStatus { .. } => "UnexpectedStatus",
        Error::Call(CallError::Decode { .. }) => "Decode",
        Error::Call(CallError::Transport { .. }) => "Transport",
        Error::Call(CallError::Timeout { .. }) => "Timeout",
        Error::Call(CallError::Connect { .. }) => "Connect",
        Error::NotFound { .. } => "NotFound",
        Error::BadRequest { .. } => "BadRequest",
        Error::ScanMayHaveStarted { .. } => "ScanMayHaveStarted",
        Error::Call(CallError::Incomplete { .. }) => "Incomplete",
        _ => "other",
    }
}

/// The fault injected before call `i`, if any, and how many requests it hits.
fn fault_for(i: usize) -> Option<(Fault, usize)> {
    if !i.is_multiple_of(5) {
        return None;
    }
    Some(match (i / 5) % 8 {
        0 => (Fault::Status(500), 3),
        1 => (Fault::RateLimited { retry_after: None }, 2),
        2 => (Fault::Drop, 1),
        3 => (Fault::Html(502), 1),
        4 => (Fault::Truncated, 1),
        // A body cut mid-way: the status and 4 bytes, then the connection closes.
        5 => (Fault::StallBody(Duration::from_millis(2)), 1),
        // A `Retry-After` far beyond any deadline.
        6 => (
            Fault::RateLimited {
                retry_after: Some(u64::MAX),
            },
            1,
        ),
        _ => (Fault::Status(500), 5),
    })
}

async fn run(calls: usize) {
    let sandbox = Arc::new(
        Sandbox::start_with(
            Config::default()
                .without_rate_limit()
                .with_real_clock(false)
                .with_initial_credits(u64::MAX / 4),
        )
        .await
        .unwrap(),
    );
    let policy = RetryPolicy::new()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(10))
        .jitter(false)
        .max_attempts(4);
    let client = Client::builder(sandbox.keys().read_write.as_str())
        .base_url(sandbox.base_url())
        .retry(policy)
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap();

    // Estimations to start scans from, several create_scan calls each.
    let estimations: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..(calls / 40).max(4) {
            let e = client
                .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]))
                .await
                .unwrap();
            ids.push(e.id);
        }
        sandbox.advance(Duration::from_secs(3));
        ids
    };
    let scans_before = client.list_scans(&ScanListQuery::new()).await.unwrap().total;
    // A completed scan to export, and its export's length without faults.
    let exported = client.list_scans(&ScanListQuery::new()).await.unwrap().data[0]
        .id
        .clone();
    let export_query = hacktron::models::ScanExportQuery::new(hacktron::models::ExportFormat::Csv);
    let full_export = {
        let mut all = Vec::new();
        let stream = client.export_scan_findings(&exported, &export_query).await.unwrap();
        stream.copy_to(&mut all).await.unwrap();
        Arc::new(all)
    };
    // Exports answered whole but with another body (the `Truncated` fault
    // is a well-framed 200 of cut JSON: no client can tell it from a real
    // answer by its framing).
    let other_bodies = Arc::new(AtomicUsize::new(0));
    let short_exports = Arc::new(AtomicUsize::new(0));

    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(BTreeMap::<&'static str, usize>::new()));
    let created = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let posts_lost = Arc::new(AtomicUsize::new(0));
    let estimations = Arc::new(estimations);
    let injected = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (exported, export_query, short) = (exported.clone(), export_query.clone(), short_exports.clone());
            let (full_export, other_bodies) = (full_export.clone(), other_bodies.clone());
            let (client, sandbox, next, ok, errors, created, estimations, injected, lost) = (
                client.clone(),
                sandbox.clone(),
                next.clone(),
                ok.clone(),
                errors.clone(),
                created.clone(),
                estimations.clone(),
                injected.clone(),
                posts_lost.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= calls {
                        return;
                    }
                    if let Some((fault, times)) = fault_for(i) {
                        let name = format!("{fault:?}");
                        sandbox.inject(fault, times);
                        *injected.lock().unwrap().entry(name).or_default() += times;
                    }
                    let result: Result<(), Error> = match i % 5 {
                        0 => {
                            let estimation = &estimations[(i / 4) % estimations.len()];
                            let scan = CreateScan::new(estimation.as_str()).repo(ScanRepo::new(WEBAPP, "main"));
                            match client.create_scan(&scan).await {
                                Ok(_) => {
                                    *created.lock().unwrap().entry(estimation.clone()).or_default() += 1;
                                    Ok(())
                                }
                                Err(e) => {
                                    if matches!(
                                        e,
                                        Error::Call(CallError::Transport { .. })
                                            | Error::Call(CallError::Timeout { .. })
                                    ) && e.attempts() != 1
                                    {
                                        lost.fetch_add(1, Ordering::Relaxed);
                                    }
                                    Err(e)
                                }
                            }
                        }
                        1 => client.list_repos().await.map(drop),
                        2 => client.list_scans(&ScanListQuery::new()).await.map(drop),
                        3 => match client.export_scan_findings(&exported, &export_query).await {
                            Ok(stream) => {
                                let mut out = Vec::new();
                                match stream.copy_to(&mut out).await {
                                    Ok(n) => {
                                        assert_eq!(n as usize, out.len(), "copy_to counts what it wrote");
                                        if out != *full_export {
                                            // A cut CSV is a prefix of the real one.
                                            if full_export.starts_with(&out) {
                                                short.fetch_add(1, Ordering::Relaxed);
                                            } else {
                                                other_bodies.fetch_add(1, Ordering::Relaxed);
                                            }
                                        }
                                        Ok(())
                                    }
                                    Err(e) => Err(e.into()),
                                }
                            }
                            Err(e) => Err(e),
                        },
                        _ => client
                            .get_cost_estimation(&estimations[i % estimations.len()])
                            .await
                            .map(drop),
                    };
                    match result {
                        Ok(()) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => *errors.lock().unwrap().entry(variant(&e)).or_default() += 1,
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task panicked");
    }
    let elapsed = start.elapsed();

    let ok = ok.load(Ordering::Relaxed);
    let errors = errors.lock().unwrap().clone();
    let failed: usize = errors.values().sum();
    let created = created.lock().unwrap().clone();
    let scans_after = client
        .with_retry(RetryPolicy::new())
        .list_scans(&ScanListQuery::new())
        .await
        .unwrap()
        .total;
    println!(
        "load: {calls} calls over {TASKS} tasks in {elapsed:?} ({:.0} calls/s)",
        calls as f64 / elapsed.as_secs_f64()
    );
    println!("load: {ok} values, {failed} typed errors: {errors:?}");
    println!("load: faults injected (requests hit): {:?}", injected.lock().unwrap());
    println!(
        "load: {} estimations, {} got a 201, scans on the server {} -> {}",
        estimations.len(),
        created.len(),
        scans_before,
        scans_after
    );

    let short_exports = short_exports.load(Ordering::Relaxed);
    println!(
        "load: exports Ok with a cut body: {short_exports}; Ok with another, well-framed body: {}",
        other_bodies.load(Ordering::Relaxed)
    );
    assert_eq!(short_exports, 0, "no export is Ok with a partial body");
    assert_eq!(ok + failed, calls, "every call returned a value or a typed error");
    assert_eq!(
        errors.get("other"),
        None,
        "only the expected kinds of errors: {errors:?}"
    );
    assert!(ok > calls / 2, "most calls survive the faults: {ok}/{calls}");
    for (estimation, n) in &created {
        assert!(*n <= 1, "estimation {estimation} got {n} scans");
    }
    assert!(
        scans_after - scans_before <= estimations.len() as u64,
        "at most one scan per estimation on the server"
    );
    assert!(scans_after - scans_before >= created.len() as u64);
    // A POST whose answer was lost ends the call (it is not resent): its
    // scan may exist without the caller having seen the 201, never twice.
    println!(
        "load: create_scan calls ended by a lost answer: {}",
        posts_lost.load(Ordering::Relaxed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_thousand_calls_under_faults() {
    run(1_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "10 000 calls: run with --ignored (in release)"]
async fn ten_thousand_calls_under_faults() {
    run(10_000).await;
}

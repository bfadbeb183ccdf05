//! No write is applied twice: every write operation against every way its
//! outcome can be lost, with the sandbox's state counted after each call.
//!
//! A cell passes when the sandbox shows exactly one effect, or the call
//! failed with an error that says the write may have happened and how to
//! check (`WriteMayHaveApplied`, `ScanMayHaveStarted`). Run with
//! `--nocapture` to print the matrix.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hacktron::models::{
    AddComment, CostEstimationListQuery, CreateCostEstimation, CreateScan, EstimationRepo, FindingListQuery,
    FindingState, ScanListQuery, ScanRepo, UpdateFinding,
};
use hacktron::prelude::*;
use hacktron::retry::Attempt;
use hacktron::scope::write;
use hacktron::transport::HttpRequest;
use hacktron::{Hook, RetryPolicy, endpoint};
use hacktron_sandbox::{Config, Fault, Sandbox};

const WEBAPP: &str = "https://github.com/acme/webapp";
/// The client's per-attempt timeout; `StallHeaders` holds the answer longer.
const TIMEOUT: Duration = Duration::from_millis(300);
const STALL: Duration = Duration::from_millis(700);

fn faults() -> [(&'static str, Fault); 4] {
    [
        ("500 after handling", Fault::StatusAfterHandling(500)),
        ("answer dropped after handling", Fault::Drop),
        ("timeout after handling", Fault::StallHeaders(STALL)),
        ("reset while sending", Fault::Reset),
    ]
}

/// Counts the attempts the client sends.
#[derive(Clone, Default)]
struct Sends(Arc<Mutex<u32>>);

impl Sends {
    fn take(&self) -> u32 {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Hook for Sends {
    fn before_send(&self, _: &mut HttpRequest, _: &Attempt<'_>) {
        *self.0.lock().unwrap() += 1;
    }
}

/// A write of the user's own, extending the Hacktron bindings: a `POST` not
/// declared `idempotent`.
pub trait MyComments {
    #[endpoint(POST, "/findings/{id}/comments", scope = write)]
    async fn post_comment(&self, id: &str, #[body] comment: &AddComment) -> Result<serde_json::Value, Error>;
}
impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> MyComments for Client<K> {}

struct World {
    sandbox: Sandbox,
    /// Retries as by default (4 attempts), quickly.
    client: Client,
    /// Reads the state: never retries, no hook.
    reader: Client,
    sends: Sends,
    finding: String,
}

async fn world() -> World {
    let sandbox = Sandbox::start_with(Config::default().with_real_clock(false).without_rate_limit())
        .await
        .unwrap();
    let sends = Sends::default();
    let key = &sandbox.keys().read_write;
    let client = Client::builder(key)
        .base_url(sandbox.base_url())
        .retry(
            RetryPolicy::new()
                .initial_backoff(Duration::from_millis(10))
                .jitter(false),
        )
        .timeout(Some(TIMEOUT))
        .hook(sends.clone())
        .build()
        .unwrap();
    let reader = Client::builder(key)
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let finding = reader.list_findings(&FindingListQuery::new()).await.unwrap().data[0]
        .id
        .clone();
    World {
        sandbox,
        client,
        reader,
        sends,
        finding,
    }
}

impl World {
    async fn comments(&self) -> usize {
        self.reader
            .get_finding(&self.finding)
            .await
            .unwrap()
            .triage_thread
            .len()
    }

    async fn estimations(&self) -> u64 {
        self.reader
            .list_cost_estimations(&CostEstimationListQuery::new())
            .await
            .unwrap()
            .total
    }

    async fn scans(&self) -> u64 {
        self.reader.list_scans(&ScanListQuery::new()).await.unwrap().total
    }

    async fn ready_estimation(&self) -> String {
        let created = self
            .reader
            .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]))
            .await
            .unwrap();
        self.sandbox.advance(Duration::from_secs(3));
        created.id
    }

    /// A comment posted by `call` with `fault` injected: sent once, the thread grown
    /// by exactly what the sandbox applied, and an error that says to look
    /// for it (`look`).
    async fn comment_cell<T>(
        &self,
        operation: &'static str,
        fault_name: &'static str,
        fault: &Fault,
        look: &str,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Cell {
        let (comments, runs) = (
            self.comments().await,
            self.sandbox.applied("POST /findings/{id}/comments"),
        );
        self.sandbox.inject(fault.clone(), 1);
        let result = call.await;
        self.settle(fault).await;
        let cell = Cell {
            operation,
            fault: fault_name,
            outcome: outcome(&result),
            sent: self.sends.take(),
            handled: self.sandbox.applied("POST /findings/{id}/comments") - runs,
            effects: self.comments().await as i64 - comments as i64,
        };
        let e = result.as_ref().err().unwrap_or_else(|| panic!("{cell:?}"));
        says_how_to_check(e, operation, look);
        assert_eq!(cell.effects, i64::from(!matches!(fault, Fault::Reset)), "{cell:?}");
        cell
    }

    /// Lets a stalled handler's answer go before the state is read.
    async fn settle(&self, fault: &Fault) {
        if matches!(fault, Fault::StallHeaders(_)) {
            tokio::time::sleep(STALL).await;
        }
    }
}

/// One cell: what the call ended in, attempts sent, handler runs, and the
/// effect seen in the state.
#[derive(Debug)]
struct Cell {
    operation: &'static str,
    fault: &'static str,
    outcome: String,
    sent: u32,
    handled: usize,
    effects: i64,
}

impl Cell {
    fn row(&self) -> String {
        format!(
            "| `{}` | {} | {} | {} | {} | {} |",
            self.operation, self.fault, self.outcome, self.sent, self.handled, self.effects
        )
    }
}

fn outcome<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "Ok".to_owned(),
        Err(Error::WriteMayHaveApplied { cause, .. }) => {
            format!("WriteMayHaveApplied({})", variant(cause))
        }
        Err(e) => variant(e),
    }
}

fn variant(e: &Error) -> String {
    format!("{e:?}")
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The error must say the write may have happened, and how to look.
fn says_how_to_check(e: &Error, operation: &str, look: &str) {
    let text = e.to_string();
    assert!(
        matches!(e, Error::WriteMayHaveApplied { operation: o, .. } if *o == operation),
        "{e:?}"
    );
    assert!(text.contains("may have been applied"), "{text}");
    assert!(!text.contains("retry with backoff"), "no advice to resend: {text}");
    assert!(text.contains(look), "{text}");
    assert_eq!(e.attempts(), 1, "sent once: {text}");
}

#[tokio::test]
async fn no_write_is_applied_twice_whatever_happens_to_its_answer() {
    let w = world().await;
    let mut cells = Vec::new();

    for (name, fault) in faults() {
        // create_scan: resent (one claim per estimation); a resend that
        // finds the claim taken says the scan may have started.
        let estimation = w.ready_estimation().await;
        let (scans, runs) = (w.scans().await, w.sandbox.applied("POST /scans"));
        w.sends.take();
        w.sandbox.inject(fault.clone(), 1);
        let result = w
            .client
            .create_scan(&CreateScan::new(&estimation).repo(ScanRepo::new(WEBAPP, "main")))
            .await;
        w.settle(&fault).await;
        let cell = Cell {
            operation: "create_scan",
            fault: name,
            outcome: outcome(&result),
            sent: w.sends.take(),
            handled: w.sandbox.applied("POST /scans") - runs,
            effects: (w.scans().await - scans) as i64,
        };
        assert_eq!(cell.effects, 1, "{cell:?}");
        match (&fault, &result) {
            (Fault::Reset, Ok(_)) => {}
            (Fault::Reset, Err(e)) => panic!("nothing was applied, so the resend starts it: {e:?}"),
            (_, Err(Error::ScanMayHaveStarted { .. })) => {}
            (_, other) => panic!("{name}: {other:?}"),
        }
        cells.push(cell);

        // update_finding: sets values, declared idempotent, resent.
        let runs = w.sandbox.applied("PATCH /findings/{id}");
        let target = if w.reader.get_finding(&w.finding).await.unwrap().state == FindingState::Resolved {
            FindingState::Open
        } else {
            FindingState::Resolved
        };
        w.sandbox.inject(fault.clone(), 1);
        let result = w
            .client
            .update_finding(&w.finding, &UpdateFinding::new().state(target.clone()))
            .await;
        w.settle(&fault).await;
        let state = w.reader.get_finding(&w.finding).await.unwrap().state;
        let cell = Cell {
            operation: "update_finding",
            fault: name,
            outcome: outcome(&result),
            sent: w.sends.take(),
            handled: w.sandbox.applied("PATCH /findings/{id}") - runs,
            effects: i64::from(state == target),
        };
        assert!(result.is_ok(), "{cell:?}: {result:?}");
        assert_eq!(state, target, "{cell:?}");
        cells.push(cell);

        // add_finding_comment: never resent after an unknown outcome.
        let text = format!("posted once ({name})");
        let cell = w
            .comment_cell("add_finding_comment", name, &fault, "triage_thread", async {
                w.client.add_finding_comment(&w.finding, &AddComment::new(text)).await
            })
            .await;
        cells.push(cell);

        // create_cost_estimation: never resent after an unknown outcome.
        let (estimations, runs) = (w.estimations().await, w.sandbox.applied("POST /cost-estimations"));
        w.sandbox.inject(fault.clone(), 1);
        let result = w
            .client
            .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]))
            .await;
        w.settle(&fault).await;
        let cell = Cell {
            operation: "create_cost_estimation",
            fault: name,
            outcome: outcome(&result),
            sent: w.sends.take(),
            handled: w.sandbox.applied("POST /cost-estimations") - runs,
            effects: (w.estimations().await - estimations) as i64,
        };
        let e = result.as_ref().expect_err(name);
        says_how_to_check(e, "create_cost_estimation", "list_cost_estimations");
        assert_eq!(cell.sent, 1, "{cell:?}");
        assert_eq!(cell.effects, i64::from(!matches!(fault, Fault::Reset)), "{cell:?}");
        cells.push(cell);

        // A POST of the user's own, not declared idempotent: the same rule.
        let text = format!("mine, once ({name})");
        let cell = w
            .comment_cell("post_comment", name, &fault, "current state", async {
                w.client.post_comment(&w.finding, &AddComment::new(text)).await
            })
            .await;
        cells.push(cell);
    }

    println!("| operation | fault | call ended in | attempts sent | handler runs | effects in state |");
    println!("|---|---|---|---|---|---|");
    for cell in &cells {
        println!("{}", cell.row());
        assert!(cell.effects <= 1, "{cell:?}");
    }
    assert_eq!(cells.len(), 20);
}

#[tokio::test]
async fn a_write_refused_before_processing_is_still_retried() {
    // A 429 and a connection never made are definite: nothing was done.
    let w = world().await;
    let before = w.comments().await;
    w.sandbox.inject(Fault::RateLimited { retry_after: None }, 2);
    w.sends.take();
    w.client
        .add_finding_comment(&w.finding, &AddComment::new("after two 429s"))
        .await
        .expect("the third attempt is answered");
    assert_eq!(w.sends.take(), 3);
    assert_eq!(w.comments().await, before + 1);
}

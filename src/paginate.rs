//! Lists walked to the end without tracking pages: the runtime's
//! paginated stream, with Hacktron's error.

use crate::Error;

/// Every item of a paginated list, fetched one page at a time as you read:
/// a [`Stream`](crate::Stream) of `Result<T, Error>`, so the `futures` combinators
/// (`try_filter`, `map_ok`, `try_collect`, and `try_buffer_unordered` once
/// `map_ok` made each item a future…) apply: [`TryStreamExt`](crate::TryStreamExt)
/// and [`StreamExt`](crate::StreamExt) are re-exported, and in the prelude.
///
/// It owns what it needs (a clone of the client: same pool, same limiter),
/// so it can move into `tokio::spawn`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// use hacktron::prelude::*;
/// use hacktron::models::{FindingListQuery, Severity};
///
/// let mut findings = client.all_findings(FindingListQuery::new().severity(Severity::Critical).limit(100));
/// while let Some(finding) = findings.next().await {
///     println!("{}", finding?.title);
/// }
/// // The combinators, with nothing but the prelude in scope:
/// let titles: Vec<String> = client.all_findings(FindingListQuery::new()).map_ok(|f| f.title).try_collect().await?;
/// # assert_eq!(titles.len(), 5);
/// // Or in a task of its own:
/// let all = tokio::spawn(client.all_scans(Default::default()).try_collect());
/// # assert!(!all.await??.is_empty());
/// # Ok(()) }
/// ```
///
/// After an error, the stream ends: the error is the last item.
///
/// It is the runtime's [`Paginated`](hacktron_runtime::Paginated) stream:
/// the `all_*` methods are endpoints declared with `paginate = ...`
/// (`page("page", items = "/data", total = "/total")`, or `offset("offset", ...)`
/// for cost estimations), each page one call of the client, retried as any
/// other. [`next`](hacktron_runtime::Paginated::next),
/// [`try_collect`](hacktron_runtime::Paginated::try_collect),
/// [`pages_fetched`](hacktron_runtime::Paginated::pages_fetched) and
/// [`pages`](hacktron_runtime::Paginated::pages) are its methods.
pub type Items<T> = hacktron_runtime::Paginated<T, Error>;

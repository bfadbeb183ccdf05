use crate::models::{
    CreateScan, CreatedScan, Finding, FindingListQuery, Page, Scan, ScanExportQuery, ScanListQuery, ScanStatus,
};
use crate::paginate::Items;
use crate::scope::{KeyKind, read, write};
use crate::wait::{Wait, poll};
use crate::{Api, AsClient, ByteStream, Client, Error, KeyOf, endpoint};

/// Whitebox Scans: start them, follow them, read and export their findings.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// use hacktron::prelude::*;
///
/// let page = client.list_scans(&Default::default()).await?;
/// for scan in &page.data {
///     let high = client.get_scan(&scan.id).await?.findings_summary.high;
///     println!("{} ({}): {high} high findings", scan.id, scan.status);
/// }
/// # assert!(page.total >= 1);
/// # Ok(()) }
/// ```
pub trait Scans {
    /// Starts a Whitebox Scan of the repositories of a `completed` or
    /// `partial` cost estimation (`POST /scans`, scope `write`).
    ///
    /// Fails with [`Error::CostEstimationNotReady`], [`Error::NotInEstimation`],
    /// [`Error::BranchMismatch`] or [`Error::InsufficientCredits`] as the docs
    /// describe.
    ///
    /// Sent again after a `5xx` or a lost answer, like an idempotent request:
    /// the API has no idempotency keys, but a cost estimation can be claimed
    /// by one started scan only, so a resend cannot start a second scan. If a
    /// resend finds the estimation claimed after an attempt whose outcome was
    /// unknown, the call fails with [`Error::ScanMayHaveStarted`]: the first
    /// attempt probably started the scan; look for it before starting
    /// another. `client.with_retry(RetryPolicy::never())` sends it once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{CreateCostEstimation, CreateScan, EstimationRepo, ScanState};
    ///
    /// let repo = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// let estimation = client.create_cost_estimation(&CreateCostEstimation::new([repo])).await?;
    /// # sandbox.advance(std::time::Duration::from_secs(2)); // the sandbox's estimations take 2 s
    /// let estimation = client.wait_for_cost_estimation(&estimation.id, &Wait::new(), |_| {}).await?;
    /// let scan = client.create_scan(&CreateScan::from_estimation(&estimation)?).await?;
    /// assert_eq!(scan.status, ScanState::Pending);
    /// # Ok(()) }
    /// ```
    #[endpoint(POST, "/scans", scope = write, idempotent)]
    async fn create_scan(&self, #[body] scan: &CreateScan) -> Result<CreatedScan, Error>;

    /// One page of the organization's scans (`GET /scans`, scope `read`).
    /// [`all_scans`](Self::all_scans) walks every page.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{ScanListQuery, ScanState};
    ///
    /// let query = ScanListQuery::new().status(ScanState::Completed).limit(10);
    /// let page = client.list_scans(&query).await?;
    /// assert!(page.data.iter().all(|scan| scan.status == ScanState::Completed));
    /// println!("{} of {} completed scans", page.data.len(), page.total);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans", scope = read)]
    async fn list_scans(&self, #[query(flatten)] query: &ScanListQuery) -> Result<Page<Scan>, Error>;

    /// A scan by id (`GET /scans/{id}`, scope `read`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let id = client.list_scans(&Default::default()).await?.data.remove(0).id;
    /// use hacktron::prelude::*;
    ///
    /// let scan = client.get_scan(&id).await?;
    /// assert_eq!(scan.id, id);
    /// println!("{} is {}, {} critical findings", scan.id, scan.status, scan.findings_summary.critical);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans/{id}", scope = read)]
    async fn get_scan(&self, id: &str) -> Result<Scan, Error>;

    /// The lightweight status of a scan, for polling (`GET /scans/{id}/status`,
    /// scope `read`). [`wait_for_scan`](Self::wait_for_scan) polls it for you.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let scan = client.list_scans(&Default::default()).await?.data.remove(0);
    /// use hacktron::prelude::*;
    ///
    /// let status = client.get_scan_status(&scan.id).await?;
    /// assert_eq!(status.id, scan.id);
    /// if !status.status.is_terminal() {
    ///     // Not done yet: poll again later, or let `wait_for_scan` do it.
    /// }
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans/{id}/status", scope = read)]
    async fn get_scan_status(&self, id: &str) -> Result<ScanStatus, Error>;

    /// One page of a scan's approved findings (`GET /scans/{id}/findings`,
    /// scope `read`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let scan = client.list_scans(&Default::default()).await?.data.remove(0);
    /// use hacktron::prelude::*;
    /// use hacktron::models::{FindingListQuery, Severity};
    ///
    /// let query = FindingListQuery::new().severity(Severity::Critical);
    /// let page = client.list_scan_findings(&scan.id, &query).await?;
    /// assert!(page.data.iter().all(|f| f.severity == Severity::Critical && f.scan_id.as_ref() == Some(&scan.id)));
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans/{id}/findings", scope = read)]
    async fn list_scan_findings(
        &self,
        id: &str,
        #[query(flatten)] query: &FindingListQuery,
    ) -> Result<Page<Finding>, Error>;

    /// A scan's findings as a JSON, CSV or SARIF document, streamed
    /// (`GET /scans/{id}/findings/export`, scope `read`). Write it out with
    /// [`ByteStream::copy_to`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let scan = client.list_scans(&Default::default()).await?.data.remove(0);
    /// use hacktron::prelude::*;
    /// use hacktron::models::{ExportFormat, ScanExportQuery};
    ///
    /// let export = client.export_scan_findings(&scan.id, &ScanExportQuery::new(ExportFormat::Csv)).await?;
    /// let mut csv = Vec::new(); // or a `tokio::fs::File`
    /// let written = export.copy_to(&mut csv).await?;
    /// assert_eq!(written, csv.len() as u64);
    /// assert!(csv.starts_with(b"id,title,"));
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans/{id}/findings/export", scope = read)]
    async fn export_scan_findings(
        &self,
        id: &str,
        #[query(flatten)] query: &ScanExportQuery,
    ) -> Result<ByteStream, Error>;

    /// Every scan matching `query`, page after page (`page` in `query` is
    /// where to start).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::ScanListQuery;
    ///
    /// let scans = client.all_scans(ScanListQuery::new().limit(100)).try_collect().await?;
    /// assert_eq!(scans.len() as u64, client.list_scans(&ScanListQuery::new()).await?.total);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans", scope = read, paginate = page("page", items = "/data", total = "/total"))]
    fn all_scans(&self, #[query(flatten)] query: ScanListQuery) -> Items<Scan>;

    /// Every approved finding of scan `id` matching `query`, page after page.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let scan = client.list_scans(&Default::default()).await?.data.remove(0);
    /// use hacktron::prelude::*;
    /// use hacktron::models::FindingListQuery;
    ///
    /// let mut findings = client.all_scan_findings(&scan.id, FindingListQuery::new());
    /// while let Some(finding) = findings.next().await {
    ///     let finding = finding?;
    ///     println!("{:>8} {}", finding.severity, finding.title);
    /// }
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/scans/{id}/findings", scope = read, paginate = page("page", items = "/data", total = "/total"))]
    fn all_scan_findings(&self, id: &str, #[query(flatten)] query: FindingListQuery) -> Items<Finding>;

    /// Polls the scan's status until it is terminal (`completed`, `failed`,
    /// `stopped`, `cancelled` or `skipped`) and returns the last status.
    /// `on_change` sees every status that differs from the one before, for
    /// progress output. Fails with [`Error::WaitDeadline`] when `wait`'s
    /// deadline passes first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let scan = client.list_scans(&Default::default()).await?.data.remove(0);
    /// use std::time::Duration;
    /// use hacktron::prelude::*;
    ///
    /// let wait = Wait::new().deadline(Duration::from_secs(2 * 3600));
    /// let status = client.wait_for_scan(&scan.id, &wait, |s| eprintln!("scan is {}", s.status)).await?;
    /// assert!(status.status.is_terminal());
    /// # Ok(()) }
    /// ```
    fn wait_for_scan<'a>(
        &'a self,
        id: &'a str,
        wait: &'a Wait,
        on_change: impl FnMut(&ScanStatus) + Send + 'a,
    ) -> impl Future<Output = Result<ScanStatus, Error>> + Send + 'a
    where
        Self: Api + Sized,
        KeyOf<Self>: read + KeyKind<Service = crate::Hacktron>,
    {
        poll(
            wait,
            self.client().as_client().base_url(),
            move || self.get_scan_status(id),
            |s: &ScanStatus| s.status.is_terminal(),
            |s: &ScanStatus| s.status.to_string(),
            on_change,
        )
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> Scans for Client<K> {}

use crate::models::{
    CreateScan, CreatedScan, Finding, FindingListQuery, Page, Scan, ScanExportQuery, ScanListQuery, ScanStatus,
};
use crate::paginate::Items;
use crate::scope::{Grants, KeyKind, read, write};
use crate::wait::{Wait, poll};
use crate::{Api, ByteStream, Client, Error, endpoint};

/// Whitebox Scans: start them, follow them, read and export their findings.
pub trait Scans {
    /// Starts a Whitebox Scan of the repositories of a `completed` or
    /// `partial` cost estimation (`POST /scans`, scope `write`).
    ///
    /// Fails with [`Error::CostEstimationNotReady`], [`Error::NotInEstimation`],
    /// [`Error::BranchMismatch`] or [`Error::InsufficientCredits`] as the docs
    /// describe. Not retried: the API has no idempotency keys.
    #[endpoint(POST, "/scans", scope = write)]
    async fn create_scan(&self, #[body] scan: &CreateScan) -> Result<CreatedScan, Error>;

    /// One page of the organization's scans (`GET /scans`, scope `read`).
    /// [`all_scans`](Self::all_scans) walks every page.
    #[endpoint(GET, "/scans", scope = read)]
    async fn list_scans(&self, #[query(flatten)] query: &ScanListQuery) -> Result<Page<Scan>, Error>;

    /// A scan by id (`GET /scans/{id}`, scope `read`).
    #[endpoint(GET, "/scans/{id}", scope = read)]
    async fn get_scan(&self, id: &str) -> Result<Scan, Error>;

    /// The lightweight status of a scan, for polling (`GET /scans/{id}/status`,
    /// scope `read`). [`wait_for_scan`](Self::wait_for_scan) polls it for you.
    #[endpoint(GET, "/scans/{id}/status", scope = read)]
    async fn get_scan_status(&self, id: &str) -> Result<ScanStatus, Error>;

    /// One page of a scan's approved findings (`GET /scans/{id}/findings`,
    /// scope `read`).
    #[endpoint(GET, "/scans/{id}/findings", scope = read)]
    async fn list_scan_findings(
        &self,
        id: &str,
        #[query(flatten)] query: &FindingListQuery,
    ) -> Result<Page<Finding>, Error>;

    /// A scan's findings as a JSON, CSV or SARIF document, streamed
    /// (`GET /scans/{id}/findings/export`, scope `read`). Write it out with
    /// [`ByteStream::copy_to`].
    #[endpoint(GET, "/scans/{id}/findings/export", scope = read)]
    async fn export_scan_findings(
        &self,
        id: &str,
        #[query(flatten)] query: &ScanExportQuery,
    ) -> Result<ByteStream, Error>;

    /// Every scan matching `query`, page after page (`page` in `query` is
    /// where to start).
    fn all_scans(&self, query: ScanListQuery) -> Items<Scan>
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        let start = query.page.unwrap_or(1);
        let client = self.client().clone();
        Items::pages(start, move |page| {
            let query = query.clone().page(page);
            let client = client.clone();
            async move { client.list_scans(&query).await }
        })
    }

    /// Every approved finding of scan `id` matching `query`, page after page.
    fn all_scan_findings(&self, id: &str, query: FindingListQuery) -> Items<Finding>
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        let start = query.page.unwrap_or(1);
        let client = self.client().clone();
        let id = id.to_owned();
        Items::pages(start, move |page| {
            let query = query.clone().page(page);
            let (client, id) = (client.clone(), id.clone());
            async move { client.list_scan_findings(&id, &query).await }
        })
    }

    /// Polls the scan's status until it is terminal (`completed`, `failed`,
    /// `stopped`, `cancelled` or `skipped`) and returns the last status.
    /// `on_change` sees every status that differs from the one before, for
    /// progress output. Fails with [`Error::WaitDeadline`] when `wait`'s
    /// deadline passes first.
    fn wait_for_scan<'a>(
        &'a self,
        id: &'a str,
        wait: &'a Wait,
        on_change: impl FnMut(&ScanStatus) + Send + 'a,
    ) -> impl Future<Output = Result<ScanStatus, Error>> + Send + 'a
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        poll(
            wait,
            self.client().base_url(),
            move || self.get_scan_status(id),
            |s: &ScanStatus| s.status.is_terminal(),
            |s: &ScanStatus| s.status.to_string(),
            on_change,
        )
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> Scans for Client<K> {}

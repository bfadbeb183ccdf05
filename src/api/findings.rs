use crate::models::{
    AddComment, AddedComment, Finding, FindingDetail, FindingExportQuery, FindingListQuery, Page, UpdateFinding,
    UpdatedFinding,
};
use crate::paginate::Items;
use crate::scope::{KeyKind, read, write};
use crate::{Api, AsClient, ByteStream, Client, Error, KeyOf, endpoint};

/// Findings: list, read, triage, comment and export. Only findings that
/// reached the `approved` verification state are visible; any other id gives
/// [`Error::FindingNotFound`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// # let unapproved = sandbox.unapproved_finding_ids(&sandbox.keys().acme_org).remove(0);
/// use hacktron::prelude::*;
///
/// let listed = client.list_findings(&Default::default()).await?;
/// let finding = client.get_finding(&listed.data[0].id).await?;
/// assert_eq!(finding.id, listed.data[0].id);
/// // A finding still awaiting verification is not there at all.
/// let hidden = client.get_finding(&unapproved).await;
/// assert!(matches!(hidden, Err(Error::FindingNotFound { .. })));
/// # Ok(()) }
/// ```
pub trait Findings {
    /// One page of the organization's approved findings (`GET /findings`,
    /// scope `read`). [`all_findings`](Self::all_findings) walks every page.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{FindingListQuery, FindingSortBy, Severity, SortOrder};
    ///
    /// let query = FindingListQuery::new()
    ///     .severity(Severity::High)
    ///     .sort_by(FindingSortBy::FoundAt)
    ///     .sort_order(SortOrder::Desc);
    /// let page = client.list_findings(&query).await?;
    /// assert!(page.data.iter().all(|f| f.severity == Severity::High));
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/findings", scope = read)]
    async fn list_findings(&self, #[query(flatten)] query: &FindingListQuery) -> Result<Page<Finding>, Error>;

    /// Findings as a JSON, CSV or SARIF document, streamed
    /// (`GET /findings/export`, scope `read`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{ExportFormat, FindingExportQuery, Severity};
    ///
    /// let query = FindingExportQuery::new(ExportFormat::Sarif).severity(Severity::Critical);
    /// let sarif = client.export_findings(&query).await?.bytes(16 << 20).await?;
    /// let log: serde_json::Value = serde_json::from_slice(&sarif)?;
    /// assert_eq!(log["version"], "2.1.0");
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/findings/export", scope = read)]
    async fn export_findings(&self, #[query(flatten)] query: &FindingExportQuery) -> Result<ByteStream, Error>;

    /// A finding with its details and triage thread (`GET /findings/{id}`,
    /// scope `read`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let id = client.list_findings(&Default::default()).await?.data.remove(0).id;
    /// use hacktron::prelude::*;
    ///
    /// let finding = client.get_finding(&id).await?;
    /// println!("{} ({}), seen {} times", finding.title, finding.severity, finding.occurrence_count);
    /// for step in &finding.taint_path {
    ///     println!("  {} {}:{}", step.kind, step.file, step.line);
    /// }
    /// assert_eq!(finding.id, id);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/findings/{id}", scope = read)]
    async fn get_finding(&self, id: &str) -> Result<FindingDetail, Error>;

    /// Changes a finding's state, severity or duplicate link
    /// (`PATCH /findings/{id}`, scope `write`).
    ///
    /// It sets values, so applying it twice leaves the finding as applying it
    /// once does: it is declared `idempotent` and resent after a `5xx` or a
    /// lost answer, like a `GET`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let id = client.list_findings(&Default::default()).await?.data.remove(0).id;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{FindingState, UpdateFinding};
    ///
    /// let update = UpdateFinding::new()
    ///     .state(FindingState::FalsePositive)
    ///     .reason("test fixture, never deployed");
    /// let updated = client.update_finding(&id, &update).await?;
    /// assert_eq!(updated.state, FindingState::FalsePositive);
    /// # Ok(()) }
    /// ```
    #[endpoint(PATCH, "/findings/{id}", scope = write, idempotent)]
    async fn update_finding(&self, id: &str, #[body] update: &UpdateFinding) -> Result<UpdatedFinding, Error>;

    /// Adds a comment to a finding's triage thread
    /// (`POST /findings/{id}/comments`, scope `write`).
    ///
    /// Each request adds a comment, so it is never resent after an unknown
    /// outcome (a `5xx`, a timeout, a connection lost after sending): the
    /// call fails with [`Error::WriteMayHaveApplied`], and the comment may be
    /// in the finding's `triage_thread`; look there before adding it again.
    /// A `429` or a connection never made is retried as usual.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # let id = client.list_findings(&Default::default()).await?.data.remove(0).id;
    /// use hacktron::prelude::*;
    /// use hacktron::models::AddComment;
    ///
    /// let added = client.add_finding_comment(&id, &AddComment::new("Fixed in #1234.")).await?;
    /// let thread = client.get_finding(&id).await?.triage_thread;
    /// assert!(thread.iter().any(|entry| entry.id == added.comment_id));
    /// # Ok(()) }
    /// ```
    #[endpoint(POST, "/findings/{id}/comments", scope = write)]
    async fn add_finding_comment(&self, id: &str, #[body] comment: &AddComment) -> Result<AddedComment, Error>;

    /// Every approved finding matching `query`, page after page.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{FindingListQuery, Severity};
    ///
    /// let query = FindingListQuery::new().severity(Severity::Critical).limit(100);
    /// let critical = client.all_findings(query).try_collect().await?;
    /// assert!(!critical.is_empty());
    /// assert!(critical.iter().all(|f| f.severity == Severity::Critical));
    /// # Ok(()) }
    /// ```
    fn all_findings(&self, query: FindingListQuery) -> Items<Finding>
    where
        Self: Api + Sized,
        KeyOf<Self>: read + KeyKind<Service = crate::Hacktron>,
    {
        let (start, client) = (query.page.unwrap_or(1), self.client().as_client().clone());
        Items::page_by_page(client.into(), query, start, FindingListQuery::page, |c, q| async move {
            c.list_findings(&q).await
        })
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> Findings for Client<K> {}

use crate::models::{
    AddComment, AddedComment, Finding, FindingDetail, FindingExportQuery, FindingListQuery, Page, UpdateFinding,
    UpdatedFinding,
};
use crate::paginate::Items;
use crate::scope::{Grants, KeyKind, read, write};
use crate::{Api, ByteStream, Client, Error, endpoint};

/// Findings: list, read, triage, comment and export. Only findings that
/// reached the `approved` verification state are visible; any other id gives
/// [`Error::FindingNotFound`].
pub trait Findings {
    /// One page of the organization's approved findings (`GET /findings`,
    /// scope `read`). [`all_findings`](Self::all_findings) walks every page.
    #[endpoint(GET, "/findings", scope = read)]
    async fn list_findings(&self, #[query(flatten)] query: &FindingListQuery) -> Result<Page<Finding>, Error>;

    /// Findings as a JSON, CSV or SARIF document, streamed
    /// (`GET /findings/export`, scope `read`).
    #[endpoint(GET, "/findings/export", scope = read)]
    async fn export_findings(&self, #[query(flatten)] query: &FindingExportQuery) -> Result<ByteStream, Error>;

    /// A finding with its details and triage thread (`GET /findings/{id}`,
    /// scope `read`).
    #[endpoint(GET, "/findings/{id}", scope = read)]
    async fn get_finding(&self, id: &str) -> Result<FindingDetail, Error>;

    /// Changes a finding's state, severity or duplicate link
    /// (`PATCH /findings/{id}`, scope `write`).
    #[endpoint(PATCH, "/findings/{id}", scope = write)]
    async fn update_finding(&self, id: &str, #[body] update: &UpdateFinding) -> Result<UpdatedFinding, Error>;

    /// Adds a comment to a finding's triage thread
    /// (`POST /findings/{id}/comments`, scope `write`).
    #[endpoint(POST, "/findings/{id}/comments", scope = write)]
    async fn add_finding_comment(&self, id: &str, #[body] comment: &AddComment) -> Result<AddedComment, Error>;

    /// Every approved finding matching `query`, page after page.
    fn all_findings(&self, query: FindingListQuery) -> Items<Finding>
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        let start = query.page.unwrap_or(1);
        let client = self.client().clone();
        Items::pages(start, move |page| {
            let query = query.clone().page(page);
            let client = client.clone();
            async move { client.list_findings(&query).await }
        })
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> Findings for Client<K> {}

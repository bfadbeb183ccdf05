use crate::models::RepoList;
use crate::scope::{KeyKind, read};
use crate::{Client, Error, endpoint};

/// Repositories of the organization's connected providers.
pub trait Repos {
    /// Repositories from every connected provider, with whether PR scans are
    /// enabled (`GET /repos`, scope `read`). Providers that failed to answer
    /// are listed in [`RepoList::errors`].
    #[endpoint(GET, "/repos", scope = read)]
    async fn list_repos(&self) -> Result<RepoList, Error>;
}

impl<K: KeyKind<Service = crate::Hacktron>> Repos for Client<K> {}

use crate::models::RepoList;
use crate::scope::{KeyKind, read};
use crate::{Client, Error, endpoint};

/// Repositories of the organization's connected providers.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::ClientBuilder::<hacktron::ReadOnly>::new(&sandbox.keys().read_only).base_url(sandbox.base_url()).build()?;
/// use hacktron::prelude::*;
///
/// let with_pr_scans = client.list_repos().await?.repos.into_iter().filter(|r| r.pr_scans_enabled == Some(true));
/// for repo in with_pr_scans {
///     println!("{} ({})", repo.name, repo.provider);
/// }
/// # Ok(()) }
/// ```
pub trait Repos {
    /// Repositories from every connected provider, with whether PR scans are
    /// enabled (`GET /repos`, scope `read`). Providers that failed to answer
    /// are listed in [`RepoList::errors`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    ///
    /// let list = client.list_repos().await?;
    /// for repo in &list.repos {
    ///     println!("{} ({}), PR scans: {:?}", repo.name, repo.provider, repo.pr_scans_enabled);
    /// }
    /// assert!(list.errors.is_empty(), "providers that did not answer: {:?}", list.errors);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/repos", scope = read)]
    async fn list_repos(&self) -> Result<RepoList, Error>;
}

impl<K: KeyKind<Service = crate::Hacktron>> Repos for Client<K> {}

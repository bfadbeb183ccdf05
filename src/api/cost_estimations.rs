use crate::models::{CostEstimation, CostEstimationListQuery, CreateCostEstimation, OffsetPage};
use crate::paginate::Items;
use crate::scope::{KeyKind, read, write};
use crate::wait::{Wait, poll};
use crate::{Api, AsClient, Client, Error, KeyOf, endpoint};

/// Cost estimations: what a Whitebox Scan of some repositories will cost.
/// A scan can only start from a `completed` or `partial` estimation.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// use hacktron::prelude::*;
/// use hacktron::models::{CreateCostEstimation, EstimationRepo};
///
/// let repos = [EstimationRepo::public("https://github.com/acme/webapp", "main")];
/// let estimation = client.create_cost_estimation(&CreateCostEstimation::new(repos)).await?;
/// # sandbox.advance(std::time::Duration::from_secs(2)); // the sandbox's estimations take 2 s
/// let estimation = client.wait_for_cost_estimation(&estimation.id, &Wait::new(), |_| {}).await?;
/// println!("{:?} credits, ready: {}", estimation.total_credits, estimation.is_ready_for_scan());
/// # assert!(estimation.is_ready_for_scan());
/// # Ok(()) }
/// ```
pub trait CostEstimations {
    /// Starts estimating the given repositories (`POST /cost-estimations`,
    /// scope `write`). Poll it with
    /// [`wait_for_cost_estimation`](Self::wait_for_cost_estimation).
    ///
    /// Each request creates an estimation, so it is never resent after an
    /// unknown outcome (a `5xx`, a timeout, a connection lost after
    /// sending): the call fails with [`Error::WriteMayHaveApplied`]; look for
    /// the estimation with `list_cost_estimations` (most recent first) before
    /// creating another. A `429` or a connection never made is retried as
    /// usual.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{CreateCostEstimation, EstimationRepo};
    ///
    /// let request = CreateCostEstimation::new([EstimationRepo::connected("https://github.com/acme/webapp", "main")])
    ///     .name("webapp, main");
    /// let estimation = client.create_cost_estimation(&request).await?;
    /// assert!(!estimation.status.is_terminal()); // `pending`: poll it
    /// # Ok(()) }
    /// ```
    #[endpoint(POST, "/cost-estimations", scope = write)]
    async fn create_cost_estimation(&self, #[body] estimation: &CreateCostEstimation) -> Result<CostEstimation, Error>;

    /// A slice of the organization's estimations, most recent first
    /// (`GET /cost-estimations`, scope `read`; offset-based).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
    /// # let webapp = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// # let estimation = client.create_cost_estimation(&CreateCostEstimation::new([webapp])).await?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::CostEstimationListQuery;
    ///
    /// let slice = client.list_cost_estimations(&CostEstimationListQuery::new().limit(20)).await?;
    /// assert_eq!(slice.data[0].id, estimation.id); // most recent first
    /// println!("{} of {} estimations", slice.data.len(), slice.total);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/cost-estimations", scope = read)]
    async fn list_cost_estimations(
        &self,
        #[query(flatten)] query: &CostEstimationListQuery,
    ) -> Result<OffsetPage<CostEstimation>, Error>;

    /// An estimation by id (`GET /cost-estimations/{id}`, scope `read`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
    /// # let webapp = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// # let estimation = client.create_cost_estimation(&CreateCostEstimation::new([webapp])).await?;
    /// use hacktron::prelude::*;
    ///
    /// let estimation = client.get_cost_estimation(&estimation.id).await?;
    /// if !estimation.is_ready_for_scan() {
    ///     println!("{}: not ready yet", estimation.status);
    /// }
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/cost-estimations/{id}", scope = read)]
    async fn get_cost_estimation(&self, id: &str) -> Result<CostEstimation, Error>;

    /// Every estimation, slice after slice (`offset` in `query` is where to
    /// start).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
    /// # let webapp = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// # let estimation = client.create_cost_estimation(&CreateCostEstimation::new([webapp])).await?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::CostEstimationListQuery;
    ///
    /// let all = client.all_cost_estimations(CostEstimationListQuery::new().limit(100)).try_collect().await?;
    /// assert!(all.iter().any(|e| e.id == estimation.id));
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/cost-estimations", scope = read, paginate = offset("offset", items = "/data", total = "/total"))]
    fn all_cost_estimations(&self, #[query(flatten)] query: CostEstimationListQuery) -> Items<CostEstimation>;

    /// Polls the estimation until it is `completed`, `partial` or `failed`
    /// and returns it. `on_change` sees every new status.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
    /// # let webapp = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// # let estimation = client.create_cost_estimation(&CreateCostEstimation::new([webapp])).await?;
    /// # sandbox.advance(std::time::Duration::from_secs(2)); // the sandbox's estimations take 2 s
    /// use std::time::Duration;
    /// use hacktron::prelude::*;
    ///
    /// let wait = Wait::new().interval(Duration::from_secs(15)).deadline(Duration::from_secs(600));
    /// let done = client.wait_for_cost_estimation(&estimation.id, &wait, |e| eprintln!("{}", e.status)).await?;
    /// assert!(done.status.is_terminal());
    /// # Ok(()) }
    /// ```
    fn wait_for_cost_estimation<'a>(
        &'a self,
        id: &'a str,
        wait: &'a Wait,
        on_change: impl FnMut(&CostEstimation) + Send + 'a,
    ) -> impl Future<Output = Result<CostEstimation, Error>> + Send + 'a
    where
        Self: Api + Sized,
        KeyOf<Self>: read + KeyKind<Service = crate::Hacktron>,
    {
        poll(
            wait,
            self.client().as_client().base_url(),
            move || self.get_cost_estimation(id),
            |e: &CostEstimation| e.status.is_terminal(),
            |e: &CostEstimation| e.status.to_string(),
            on_change,
        )
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> CostEstimations for Client<K> {}

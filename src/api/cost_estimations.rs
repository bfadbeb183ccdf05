use crate::models::{CostEstimation, CostEstimationListQuery, CreateCostEstimation, OffsetPage};
use crate::paginate::Items;
use crate::scope::{Grants, KeyKind, read, write};
use crate::wait::{Wait, poll};
use crate::{Api, Client, Error, endpoint};

/// Cost estimations: what a Whitebox Scan of some repositories will cost.
/// A scan can only start from a `completed` or `partial` estimation.
pub trait CostEstimations {
    /// Starts estimating the given repositories (`POST /cost-estimations`,
    /// scope `write`). Poll it with
    /// [`wait_for_cost_estimation`](Self::wait_for_cost_estimation).
    #[endpoint(POST, "/cost-estimations", scope = write)]
    async fn create_cost_estimation(&self, #[body] estimation: &CreateCostEstimation) -> Result<CostEstimation, Error>;

    /// A slice of the organization's estimations, most recent first
    /// (`GET /cost-estimations`, scope `read`; offset-based).
    #[endpoint(GET, "/cost-estimations", scope = read)]
    async fn list_cost_estimations(
        &self,
        #[query(flatten)] query: &CostEstimationListQuery,
    ) -> Result<OffsetPage<CostEstimation>, Error>;

    /// An estimation by id (`GET /cost-estimations/{id}`, scope `read`).
    #[endpoint(GET, "/cost-estimations/{id}", scope = read)]
    async fn get_cost_estimation(&self, id: &str) -> Result<CostEstimation, Error>;

    /// Every estimation, slice after slice (`offset` in `query` is where to
    /// start).
    fn all_cost_estimations(&self, query: CostEstimationListQuery) -> Items<CostEstimation>
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        let start = query.offset.unwrap_or(0);
        let client = self.client().clone();
        Items::offsets(start, move |offset| {
            let query = query.clone().offset(offset);
            let client = client.clone();
            async move { client.list_cost_estimations(&query).await }
        })
    }

    /// Polls the estimation until it is `completed`, `partial` or `failed`
    /// and returns it. `on_change` sees every new status.
    fn wait_for_cost_estimation<'a>(
        &'a self,
        id: &'a str,
        wait: &'a Wait,
        on_change: impl FnMut(&CostEstimation) + Send + 'a,
    ) -> impl Future<Output = Result<CostEstimation, Error>> + Send + 'a
    where
        Self: Api + Sized,
        <Self as Api>::Key: Grants<read> + KeyKind<Service = crate::Hacktron>,
    {
        poll(
            wait,
            self.client().base_url(),
            move || self.get_cost_estimation(id),
            |e: &CostEstimation| e.status.is_terminal(),
            |e: &CostEstimation| e.status.to_string(),
            on_change,
        )
    }
}

impl<K: KeyKind<Service = crate::Hacktron>> CostEstimations for Client<K> {}

use crate::models::{BatchVerdictRequest, BatchVerdicts, Ecosystem, OsvFeed, OsvFeedQuery, Verdict, VerdictQuery};
use crate::scope::{KeyKind, public};
use crate::{Client, Error, endpoint};

/// The dependency firewall (`hfw`): fast malware verdicts on packages. These
/// endpoints are public: no key is sent, and a
/// [`Client<NoKey>`](crate::NoKey) can call them.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// use hacktron::prelude::*;
/// use hacktron::models::{Ecosystem, VerdictQuery};
///
/// let client = Client::<NoKey>::public().base_url(sandbox.base_url()).build()?;
/// let verdict = client.package_verdict(&Ecosystem::Pypi, "requests", &VerdictQuery::new("2.32.3")).await?;
/// assert!(!verdict.is_malicious());
/// # Ok(()) }
/// ```
pub trait DependencyFirewall {
    /// Verdicts for many package versions at once (`POST /hfw/verdicts/batch`).
    ///
    /// A lookup that changes nothing, sent as a `POST` for its body: it is
    /// declared `idempotent`, so it is resent after a `5xx` or a lost answer.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::<hacktron::NoKey>::public().base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{BatchPackage, BatchVerdictRequest};
    ///
    /// let lockfile = [BatchPackage::npm("left-pad", "1.3.0"), BatchPackage::npm("event-stream", "3.3.6")];
    /// let batch = client.batch_verdicts(&BatchVerdictRequest::new(lockfile)).await?;
    /// let flagged: Vec<_> = batch.verdicts.iter().filter(|v| v.is_malicious()).map(|v| &v.package).collect();
    /// assert_eq!(flagged, ["event-stream"]);
    /// # Ok(()) }
    /// ```
    #[endpoint(POST, "/hfw/verdicts/batch", scope = public, idempotent)]
    async fn batch_verdicts(&self, #[body] request: &BatchVerdictRequest) -> Result<BatchVerdicts, Error>;

    /// The known-malware feed (`GET /hfw/osv/feed`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::<hacktron::NoKey>::public().base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::OsvFeedQuery;
    ///
    /// let feed = client.osv_feed(&OsvFeedQuery::new().limit(100)).await?;
    /// for entry in &feed.results {
    ///     println!("{} {}: {}", entry.ecosystem, entry.package, entry.versions.join(", "));
    /// }
    /// assert!(!feed.results.is_empty());
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/hfw/osv/feed", scope = public)]
    async fn osv_feed(&self, #[query(flatten)] query: &OsvFeedQuery) -> Result<OsvFeed, Error>;

    /// The verdict on one package version
    /// (`GET /hfw/verdict/{ecosystem}/{packageName}`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::<hacktron::NoKey>::public().base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{Ecosystem, VerdictLevel, VerdictQuery};
    ///
    /// let verdict = client.package_verdict(&Ecosystem::Npm, "event-stream", &VerdictQuery::new("3.3.6")).await?;
    /// assert_eq!(verdict.level, VerdictLevel::Malicious);
    /// println!("{}: {}", verdict.osv_id.as_deref().unwrap_or("-"), verdict.summary);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/hfw/verdict/{ecosystem}/{packageName}", scope = public)]
    async fn package_verdict(
        &self,
        ecosystem: &Ecosystem,
        #[path("packageName")] package: &str,
        #[query(flatten)] query: &VerdictQuery,
    ) -> Result<Verdict, Error>;

    /// The verdict on a scoped npm package such as `@types/node`: pass
    /// `scope` without its `@`... or with it, as the registry spells it
    /// (`GET /hfw/verdict/{ecosystem}/{scope}/{packageName}`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::<hacktron::NoKey>::public().base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::{Ecosystem, VerdictQuery};
    ///
    /// let query = VerdictQuery::new("0.0.1");
    /// let verdict = client.scoped_npm_verdict(&Ecosystem::Npm, "@evil", "stealer", &query).await?;
    /// assert_eq!(verdict.package, "@evil/stealer");
    /// assert!(verdict.is_malicious());
    /// # let bare = client.scoped_npm_verdict(&Ecosystem::Npm, "evil", "stealer", &query).await?;
    /// # assert_eq!(bare, verdict);
    /// # Ok(()) }
    /// ```
    #[endpoint(GET, "/hfw/verdict/{ecosystem}/{scope}/{packageName}", scope = public)]
    async fn scoped_npm_verdict(
        &self,
        ecosystem: &Ecosystem,
        scope: &str,
        #[path("packageName")] package: &str,
        #[query(flatten)] query: &VerdictQuery,
    ) -> Result<Verdict, Error>;
}

impl<K: KeyKind<Service = crate::Hacktron>> DependencyFirewall for Client<K> {}

use crate::models::{BatchVerdictRequest, BatchVerdicts, Ecosystem, OsvFeed, OsvFeedQuery, Verdict, VerdictQuery};
use crate::scope::{KeyKind, public};
use crate::{Client, Error, endpoint};

/// The dependency firewall (`hfw`): fast malware verdicts on packages. These
/// endpoints are public: no key is sent, and a
/// [`Client<NoKey>`](crate::NoKey) can call them.
pub trait DependencyFirewall {
    /// Verdicts for many package versions at once (`POST /hfw/verdicts/batch`).
    #[endpoint(POST, "/hfw/verdicts/batch", scope = public)]
    async fn batch_verdicts(&self, #[body] request: &BatchVerdictRequest) -> Result<BatchVerdicts, Error>;

    /// The known-malware feed (`GET /hfw/osv/feed`).
    #[endpoint(GET, "/hfw/osv/feed", scope = public)]
    async fn osv_feed(&self, #[query(flatten)] query: &OsvFeedQuery) -> Result<OsvFeed, Error>;

    /// The verdict on one package version
    /// (`GET /hfw/verdict/{ecosystem}/{packageName}`).
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

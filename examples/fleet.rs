//! Binding an API that is not Hacktron, from scratch, with the same runtime.
//!
//! "Fleet" is a made-up deployment API: bearer tokens, scopes `deploy` and
//! `admin` (`admin` implies `deploy`), error bodies
//! `{"code": "service_locked", "detail": "..."}`, and no public host, so a
//! client must be given a base URL. The example starts a small Fleet server
//! on 127.0.0.1 and calls it:
//!
//! ```sh
//! cargo run --example fleet
//! ```
//!
//! Everything Fleet-specific is in the `fleet` module below: what an SDK
//! crate for Fleet would hold. Nothing of Hacktron is used.

mod fleet {
    use hacktron_runtime::scope::KeyKind;
    use hacktron_runtime::service::{Auth, Failure, Retry, Service, default_retry};
    use hacktron_runtime::{Client, ErrorResponse, endpoint};
    use serde::{Deserialize, Serialize};

    /// The Fleet API.
    pub enum Fleet {}

    impl Service for Fleet {
        type Error = FleetError;
        const NAME: &'static str = "Fleet";
        const AUTH: Auth = Auth::Header {
            name: "authorization",
            scheme: Some("Bearer"),
        };
        const USER_AGENT: &'static str = "fleet-example/0.1";
        const KEY_ENV: Option<&'static str> = Some("FLEET_TOKEN");
        const KEY_PREFIX_LEN: usize = 4;

        fn check_key(token: &str) -> Result<(), FleetError> {
            match token.strip_prefix("flt_") {
                Some(rest) if rest.len() >= 6 => Ok(()),
                _ => Err(FleetError::BadToken),
            }
        }

        fn error_from_response(response: ErrorResponse) -> FleetError {
            #[derive(Deserialize)]
            struct Body {
                code: String,
                detail: String,
            }
            let body: Option<Body> = serde_json::from_slice(&response.body).ok();
            let response = Box::new(response);
            match body {
                Some(b) if b.code == "service_locked" => FleetError::Locked {
                    detail: b.detail,
                    response,
                },
                Some(b) if b.code == "missing_scope" => FleetError::MissingScope {
                    detail: b.detail,
                    response,
                },
                _ if response.status.as_u16() == 404 => FleetError::NoSuchService { response },
                _ => FleetError::Status { response },
            }
        }

        // A locked service unlocks when the deploy holding it ends: worth
        // retrying, like a 429, whatever the method.
        fn retry(failure: Failure<'_>) -> Retry {
            match failure {
                Failure::Response(r) if r.status.as_u16() == 423 => Retry::Yes { after: r.retry_after() },
                other => default_retry(other),
            }
        }
    }

    /// What Fleet calls return on failure: Fleet's own cases, then anything
    /// any HTTP call can hit.
    #[derive(Debug, thiserror::Error)]
    pub enum FleetError {
        /// 423: another deploy holds the service.
        #[error(
            "the service is locked by another deploy ({detail}); wait for it to finish, or cancel it with an admin token"
        )]
        Locked {
            /// Fleet's `detail`.
            detail: String,
            /// The response.
            response: Box<ErrorResponse>,
        },
        /// 403: the token lacks a scope.
        #[error("this token cannot do that ({detail}); create a token with the scope in Fleet's console")]
        MissingScope {
            /// Fleet's `detail`.
            detail: String,
            /// The response.
            response: Box<ErrorResponse>,
        },
        /// 404: no service of that name.
        #[error("no such service; list them with `fleet services`")]
        NoSuchService {
            /// The response.
            response: Box<ErrorResponse>,
        },
        /// Any other status.
        #[error("Fleet answered {response}")]
        Status {
            /// The response.
            response: Box<ErrorResponse>,
        },
        /// The token is not a Fleet token.
        #[error("Fleet tokens start with `flt_`; copy yours from the console")]
        BadToken,
        /// Anything any HTTP call can hit.
        #[error(transparent)]
        Call(#[from] hacktron_runtime::Error),
    }

    /// A token with `deploy`.
    pub struct DeployToken;
    impl KeyKind for DeployToken {
        type Service = Fleet;
    }
    /// A token with `admin` (and so `deploy`).
    pub struct AdminToken;
    impl KeyKind for AdminToken {
        type Service = Fleet;
    }

    hacktron_runtime::scopes! {
        credential = "token";
        /// Scope `deploy`.
        pub deploy = "deploy";
        /// Scope `admin`: a token with it has `deploy` too.
        pub admin = "admin";
        grants {
            DeployToken: deploy;
            AdminToken: admin, deploy;
        }
    }

    /// A service as Fleet describes it.
    #[derive(Debug, Deserialize, Serialize)]
    pub struct ServiceInfo {
        /// Its name.
        pub name: String,
        /// The version running.
        pub version: String,
    }

    /// A deploy request.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct NewDeploy<'a> {
        /// The version to roll out.
        pub version: &'a str,
    }

    /// Fleet's operations. No `crate =`: the attribute finds the runtime
    /// among this crate's dependencies.
    pub trait Services {
        /// A service by name.
        #[endpoint(GET, "/services/{name}", scope = deploy)]
        async fn service(&self, name: &str) -> Result<ServiceInfo, FleetError>;

        /// Rolls out a version.
        #[endpoint(POST, "/services/{name}/deploys", scope = deploy)]
        async fn deploy(&self, name: &str, #[body] deploy: &NewDeploy<'_>) -> Result<ServiceInfo, FleetError>;

        /// The service's log, as text.
        #[endpoint(GET, "/services/{name}/log", scope = deploy)]
        async fn log(&self, name: &str, #[query] lines: Option<u32>) -> Result<String, FleetError>;

        /// Removes a service: `admin` only.
        #[endpoint(DELETE, "/services/{name}", scope = admin)]
        async fn remove(&self, name: &str) -> Result<(), FleetError>;
    }
    impl<K: KeyKind<Service = Fleet>> Services for Client<K> {}
}

#[doc(hidden)]
pub use hacktron_runtime::__private;

/// A Fleet server on 127.0.0.1 with two tokens and two services.
// Handlers return axum's `Response` as their error, as axum intends.
#[allow(clippy::result_large_err)]
mod server {
    use axum::Router;
    use axum::extract::Path;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::{delete, get, post};
    use serde_json::json;

    fn scopes(headers: &HeaderMap) -> &'static [&'static str] {
        match headers.get("authorization").and_then(|v| v.to_str().ok()) {
            Some("Bearer flt_deploy_1234") => &["deploy"],
            Some("Bearer flt_admin_5678") => &["deploy", "admin"],
            _ => &[],
        }
    }

    fn refuse(status: StatusCode, code: &str, detail: &str) -> Response {
        (status, axum::Json(json!({ "code": code, "detail": detail }))).into_response()
    }

    fn check(headers: &HeaderMap, scope: &str) -> Result<(), Response> {
        match scopes(headers) {
            [] => Err(refuse(StatusCode::UNAUTHORIZED, "bad_token", "unknown token")),
            s if !s.contains(&scope) => Err(refuse(
                StatusCode::FORBIDDEN,
                "missing_scope",
                &format!("token lacks scope: {scope}"),
            )),
            _ => Ok(()),
        }
    }

    fn service(name: &str) -> Result<serde_json::Value, Response> {
        match name {
            "api" => Ok(json!({ "name": "api", "version": "1.4.0" })),
            "billing" => Err(refuse(StatusCode::LOCKED, "service_locked", "deploy 41 holds billing")),
            _ => Err(refuse(StatusCode::NOT_FOUND, "not_found", "no such service")),
        }
    }

    pub async fn start() -> String {
        let app = Router::new()
            .route(
                "/v2/services/{name}",
                get(|h: HeaderMap, Path(name): Path<String>| async move {
                    check(&h, "deploy")?;
                    service(&name).map(axum::Json)
                }),
            )
            .route(
                "/v2/services/{name}",
                delete(|h: HeaderMap, Path(name): Path<String>| async move {
                    check(&h, "admin")?;
                    service(&name).map(|_| StatusCode::NO_CONTENT)
                }),
            )
            .route(
                "/v2/services/{name}/deploys",
                post(
                    |h: HeaderMap, Path(name): Path<String>, axum::Json(d): axum::Json<serde_json::Value>| async move {
                        check(&h, "deploy")?;
                        service(&name)?;
                        Ok::<_, Response>(axum::Json(json!({ "name": name, "version": d["version"] })))
                    },
                ),
            )
            .route(
                "/v2/services/{name}/log",
                get(|h: HeaderMap, Path(name): Path<String>| async move {
                    check(&h, "deploy")?;
                    service(&name)?;
                    Ok::<_, Response>(([("content-type", "text/plain")], "12:00 started\n12:01 healthy\n"))
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}/v2")
    }
}

use fleet::{AdminToken, DeployToken, FleetError, NewDeploy, Services};
use hacktron_runtime::{Client, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), FleetError> {
    let base = server::start().await;

    // No public host: a client without a base URL is a configuration error.
    let err = Client::<DeployToken>::new("flt_deploy_1234").unwrap_err();
    println!("1. without a base URL: {err}");
    let err = Client::<DeployToken>::builder("sk_live_1")
        .base_url(&base)
        .build()
        .unwrap_err();
    println!("2. a token of another service: {err}");

    let deployer = Client::<DeployToken>::builder("flt_deploy_1234")
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()?;
    let api = deployer.service("api").await?;
    println!("3. {} runs {}", api.name, api.version);
    let rolled = deployer.deploy("api", &NewDeploy { version: "1.5.0" }).await?;
    println!("4. deployed {} {}", rolled.name, rolled.version);
    print!("5. log of api:\n{}", deployer.log("api", Some(2)).await?);
    // deployer.remove("api") does not compile: "API key missing required scope: admin".

    match deployer.service("billing").await {
        Err(FleetError::Locked { detail, response }) => {
            println!("6. locked ({detail}), HTTP {}", response.status.as_u16())
        }
        other => println!("6. unexpected: {other:?}"),
    }
    match deployer.service("payroll").await {
        Err(e @ FleetError::NoSuchService { .. }) => println!("7. {e}"),
        other => println!("7. unexpected: {other:?}"),
    }

    let admin = Client::<AdminToken>::builder("flt_admin_5678")
        .base_url(&base)
        .build()?;
    admin.remove("api").await?;
    println!(
        "8. removed api with an admin token (admin implies deploy: {})",
        admin.service("api").await?.name
    );
    println!("   {admin:?}");
    Ok(())
}

//! Paginated endpoints walked over HTTP, one style after another, through a
//! service of the test's own ("Catalog"): each test runs a small server on
//! 127.0.0.1 that answers from the request it gets and records them all.

mod support;
use support::{Seen, Server};

use hacktron_runtime::scope::KeyKind;
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{
    ApiError, Client, ErrorDetails, ErrorResponse, Paginated, PaginationError, RetryPolicy, endpoint,
};
use serde_json::{Value, json};

/// A catalog API: bearer tokens, the stock error.
enum Catalog {}

impl Service for Catalog {
    type Error = ApiError;
    const NAME: &'static str = "Catalog";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "catalog-test/1";

    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

struct Reader;
impl KeyKind for Reader {
    type Service = Catalog;
}
hacktron_runtime::scopes! {
    /// Scope `catalog:read`.
    read = "catalog:read";
    grants {
        Reader: read;
        MapsKey: read;
    }
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Item {
    id: u64,
}

trait CatalogApi {
    #[endpoint(GET, "/items", scope = read, paginate = page("page", items = "/data", total = "/total"))]
    fn items_by_page(&self, #[query] limit: u32) -> Paginated<Item, ApiError>;

    #[endpoint(GET, "/items", scope = read, paginate = page("p", start = 0))]
    fn items_by_page_from_zero(&self) -> Paginated<Item, ApiError>;

    #[endpoint(GET, "/items", scope = read, paginate = offset("offset", items = "/results", more = "/has_more"))]
    fn items_by_offset(&self, #[query] limit: u32) -> Paginated<Item, ApiError>;

    #[endpoint(GET, "/items", scope = read, paginate = cursor("cursor", next = "/meta/next_cursor", items = "/data"))]
    fn items_by_cursor(&self, #[query] limit: u32) -> Paginated<Item, ApiError>;

    #[endpoint(GET, "/items", scope = read, paginate = next_url("/links/next", items = "/data"))]
    fn items_by_next_url(&self) -> Paginated<Item, ApiError>;

    #[endpoint(GET, "/repos/{owner}/issues", scope = read, paginate = link_header)]
    fn issues(&self, owner: &str, #[query] state: &str) -> Paginated<Item, ApiError>;
}
impl<K: KeyKind<Service = Catalog>> CatalogApi for Client<K> {}

/// What the server answers.
struct Reply {
    status: u16,
    link: Option<String>,
    body: String,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        link: None,
        body: body.to_string(),
    }
}

/// A server on 127.0.0.1 (the runtime tests' own) answering with `script`,
/// as JSON with the reply's `Link`.
async fn serve(script: impl Fn(&Server, &Seen) -> Reply + Send + Sync + 'static) -> Server {
    Server::start_at(move |server, seen| {
        let reply = script(server, seen);
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        headers.extend(reply.link.map(|l| ("link".to_owned(), l)));
        (reply.status, headers, reply.body)
    })
    .await
}

/// The value of `name` in `target`'s query.
fn param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Items `from..to` (at most `total`) as JSON.
fn ids(from: u64, to: u64, total: u64) -> Value {
    json!((from..to.min(total)).map(|id| json!({"id": id})).collect::<Vec<_>>())
}

fn client(base: &str) -> Client<Reader> {
    Client::<Reader>::builder("catalog-token")
        .base_url(format!("{base}/v1"))
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

async fn all<T, E>(mut stream: Paginated<T, E>) -> (Vec<T>, Option<E>, u64)
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let mut items = Vec::new();
    let mut error = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => items.push(item),
            Err(e) => {
                assert!(error.is_none(), "an error is the last item");
                error = Some(e);
            }
        }
    }
    (items, error, stream.pages_fetched())
}

fn id_list(items: &[Item]) -> Vec<u64> {
    items.iter().map(|i| i.id).collect()
}

#[tokio::test]
async fn page_numbers_stop_at_the_total() {
    // 5 items, pages of `limit`, 1-based; the server says the total.
    let server = serve(|_, seen| {
        let page: u64 = param(&seen.target, "page").map_or(1, |p| p.parse().unwrap());
        let limit: u64 = param(&seen.target, "limit").unwrap().parse().unwrap();
        ok(json!({"data": ids((page - 1) * limit, page * limit, 5), "total": 5}))
    })
    .await;
    let (items, error, pages) = all(client(&server.url).items_by_page(2)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2, 3, 4]);
    assert_eq!(pages, 3, "page 3 reaches the total: no fourth request");
    assert_eq!(
        server.targets(),
        [
            "/v1/items?limit=2",
            "/v1/items?limit=2&page=2",
            "/v1/items?limit=2&page=3"
        ]
    );
    let auth = server
        .seen()
        .iter()
        .map(|s| s.header("authorization").map(str::to_owned))
        .collect::<Vec<_>>();
    assert!(
        auth.iter().all(|a| a.as_deref() == Some("Bearer catalog-token")),
        "{auth:?}"
    );
}

#[tokio::test]
async fn page_numbers_without_a_total_stop_at_an_empty_page() {
    // The body is the array; pages of 2 numbered from 0.
    let server = serve(|_, seen| {
        let p: u64 = param(&seen.target, "p").map_or(0, |p| p.parse().unwrap());
        ok(ids(p * 2, p * 2 + 2, 3))
    })
    .await;
    let (items, error, pages) = all(client(&server.url).items_by_page_from_zero()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2]);
    assert_eq!(pages, 3);
    assert_eq!(server.targets(), ["/v1/items", "/v1/items?p=1", "/v1/items?p=2"]);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received_and_stop_when_has_more_is_false() {
    // The server gives fewer items than asked for (a cap of 3).
    let server = serve(|_, seen| {
        let offset: u64 = param(&seen.target, "offset").map_or(0, |p| p.parse().unwrap());
        let limit: u64 = param(&seen.target, "limit").unwrap().parse().unwrap();
        let end = offset + limit.min(3);
        ok(json!({"results": ids(offset, end, 7), "has_more": end < 7}))
    })
    .await;
    let (items, error, pages) = all(client(&server.url).items_by_offset(10)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), (0..7).collect::<Vec<_>>());
    assert_eq!(pages, 3);
    assert_eq!(
        server.targets(),
        [
            "/v1/items?limit=10",
            "/v1/items?limit=10&offset=3",
            "/v1/items?limit=10&offset=6"
        ]
    );
}

#[tokio::test]
async fn cursors_in_the_body_are_sent_back_until_there_is_none() {
    let server = serve(|_, seen| match param(&seen.target, "cursor").as_deref() {
        None => ok(json!({"data": ids(0, 2, 9), "meta": {"next_cursor": "b&c=d"}})),
        Some("b&c=d") => ok(json!({"data": ids(2, 4, 9), "meta": {"next_cursor": 17}})),
        Some("17") => ok(json!({"data": [], "meta": {"next_cursor": "last"}})),
        Some("last") => ok(json!({"data": ids(4, 5, 9), "meta": {"next_cursor": null}})),
        Some(other) => panic!("unexpected cursor {other}"),
    })
    .await;
    let (items, error, pages) = all(client(&server.url).items_by_cursor(2)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2, 3, 4], "an empty page with a cursor goes on");
    assert_eq!(pages, 4);
    assert_eq!(
        server.targets(),
        [
            "/v1/items?limit=2",
            "/v1/items?limit=2&cursor=b%26c%3Dd",
            "/v1/items?limit=2&cursor=17",
            "/v1/items?limit=2&cursor=last"
        ]
    );
}

#[tokio::test]
async fn a_cursor_handed_out_again_is_a_typed_error_not_a_loop() {
    // The server ignores the cursor: the same page and cursor forever.
    let server = serve(|_, _| ok(json!({"data": ids(0, 2, 2), "meta": {"next_cursor": "abc"}}))).await;
    let (items, error, pages) = all(client(&server.url).items_by_cursor(2)).await;
    assert_eq!(id_list(&items), [0, 1, 0, 1], "the pages before the repeat are read");
    assert_eq!(pages, 2);
    assert_eq!(server.targets().len(), 2);
    let error = error.expect("the repeat ends the stream with an error");
    match error.runtime_error() {
        Some(hacktron_runtime::Error::Pagination(PaginationError::Repeated { cursor, pages })) => {
            assert_eq!(cursor, "abc");
            assert_eq!(*pages, 2);
        }
        other => panic!("expected a repeated cursor, got {other:?}"),
    }
    assert!(error.to_string().contains("`abc` again"), "{error}");
}

#[tokio::test]
async fn next_urls_in_the_body_may_be_relative_to_the_page() {
    let server = serve(|_, seen| match seen.target.as_str() {
        "/v1/items" => ok(json!({"data": ids(0, 2, 9), "links": {"next": "/v1/items/after/2?n=2"}})),
        // Relative to `/v1/items/after/2`: `/v1/items/after/page-3`.
        "/v1/items/after/2?n=2" => ok(json!({"data": ids(2, 4, 9), "links": {"next": "page-3"}})),
        "/v1/items/after/page-3" => ok(json!({"data": ids(4, 5, 9), "links": {"next": ""}})),
        other => panic!("unexpected request {other}"),
    })
    .await;
    let (items, error, pages) = all(client(&server.url).items_by_next_url()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2, 3, 4]);
    assert_eq!(pages, 3);
    let seen = server.seen();
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some("Bearer catalog-token"))
    );
}

#[tokio::test]
async fn the_link_header_is_followed_to_another_path_shape() {
    // The first call is `/v1/repos/acme/issues`; its next link is the
    // API's own other shape, `/v2/repositories/42/issues`, then relative.
    let server = serve(|server, seen| match seen.target.as_str() {
        "/v1/repos/acme/issues?state=open" => Reply {
            link: Some(format!(
                r#"<{}/v1/repos/acme/issues?state=open>; rel="first", <{}/v2/repositories/42/issues?state=open&page=2>; rel="next", <https://elsewhere.example/last>; rel="last""#,
                server.url, server.url
            )),
            ..ok(ids(0, 2, 5))
        },
        "/v2/repositories/42/issues?state=open&page=2" => Reply {
            link: Some(r#"<?state=open&page=3>; rel="prev next""#.to_owned()),
            ..ok(ids(2, 4, 5))
        },
        "/v2/repositories/42/issues?state=open&page=3" => Reply {
            link: Some(r#"</v1/repos/acme/issues?state=open>; rel="first""#.to_owned()),
            ..ok(ids(4, 5, 5))
        },
        other => panic!("unexpected request {other}"),
    })
    .await;
    let (items, error, pages) = all(client(&server.url).issues("acme", "open")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2, 3, 4]);
    assert_eq!(pages, 3);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some("Bearer catalog-token"))
    );
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused_and_nothing_is_sent_there() {
    let other = serve(|_, _| ok(ids(100, 102, 200))).await;
    let to = format!("{}/v1/items?page=2", other.url);
    let server = serve(move |_, _| Reply {
        link: Some(format!("<{to}>; rel=\"next\"")),
        ..ok(ids(0, 2, 9))
    })
    .await;
    let (items, error, pages) = all(client(&server.url).issues("acme", "open")).await;
    assert_eq!(id_list(&items), [0, 1], "the page before the link is read");
    assert_eq!(pages, 1);
    let error = error.expect("the foreign link ends the stream with an error");
    match error.runtime_error() {
        Some(hacktron_runtime::Error::Pagination(PaginationError::ForeignOrigin { link, origin, page })) => {
            assert_eq!(link, &format!("{}/v1/items?page=2", other.url));
            assert_eq!(origin, &other.url);
            assert_eq!(*page, 2);
        }
        other => panic!("expected a foreign origin, got {other:?}"),
    }
    assert!(
        other.targets().is_empty(),
        "nothing, and no credential, went to the other origin"
    );

    // The same in the body, relative to nothing: an absolute URL.
    let to = format!("{}/v1/items", other.url);
    let server = serve(move |_, _| ok(json!({"data": ids(0, 1, 9), "links": {"next": to}}))).await;
    let (_, error, _) = all(client(&server.url).items_by_next_url()).await;
    assert!(matches!(
        error.as_ref().and_then(|e| e.runtime_error()),
        Some(hacktron_runtime::Error::Pagination(
            PaginationError::ForeignOrigin { .. }
        ))
    ));
    assert!(other.targets().is_empty());
}

#[tokio::test]
async fn a_trusted_origin_is_followed_with_the_credential() {
    let other = serve(|_, _| ok(ids(2, 3, 9))).await;
    let to = format!("{}/mirror/issues?page=2", other.url);
    let server = serve(move |_, _| Reply {
        link: Some(format!("<{to}>; rel=\"next\"")),
        ..ok(ids(0, 2, 9))
    })
    .await;
    let client = Client::<Reader>::builder("catalog-token")
        .base_url(format!("{}/v1", server.url))
        .trust_origin(&other.url)
        .build()
        .unwrap();
    let (items, error, _) = all(client.issues("acme", "open")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(id_list(&items), [0, 1, 2]);
    let seen = other.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "/mirror/issues?page=2");
    assert_eq!(seen[0].header("authorization"), Some("Bearer catalog-token"));
}

#[tokio::test]
async fn an_error_mid_walk_ends_the_stream_with_its_status() {
    let server = serve(|_, seen| match param(&seen.target, "page").as_deref() {
        None => ok(json!({"data": ids(0, 2, 9), "total": 9})),
        _ => Reply {
            status: 503,
            link: None,
            body: json!({"message": "down for maintenance"}).to_string(),
        },
    })
    .await;
    let mut stream = client(&server.url).items_by_page(2);
    assert_eq!(stream.next().await.unwrap().unwrap(), Item { id: 0 });
    assert_eq!(stream.next().await.unwrap().unwrap(), Item { id: 1 });
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.to_string().contains("down for maintenance"), "{error}");
    assert!(stream.next().await.is_none(), "the stream ends after the error");
    assert_eq!(stream.pages_fetched(), 1);
    assert_eq!(server.targets().len(), 2);
}

#[tokio::test]
async fn an_item_that_does_not_decode_is_a_decode_error_at_its_path() {
    let server = serve(|_, _| ok(json!({"data": [{"id": 1}, {"id": "two"}], "total": 2}))).await;
    let (items, error, _) = all(client(&server.url).items_by_page(2)).await;
    assert!(items.is_empty(), "a page is decoded whole");
    match error.as_ref().and_then(|e| e.runtime_error()) {
        Some(hacktron_runtime::Error::Decode { path, .. }) => assert_eq!(path, "data[1].id"),
        other => panic!("expected a decoding error, got {other:?}"),
    }
    // Items that are not where the declaration says.
    let server = serve(|_, _| ok(json!({"items": []}))).await;
    let (_, error, _) = all(client(&server.url).items_by_page(2)).await;
    match error.as_ref().and_then(|e| e.runtime_error()) {
        Some(hacktron_runtime::Error::Decode { path, message, .. }) => {
            assert_eq!(path, "data");
            assert_eq!(message, "expected an array of items, found nothing");
        }
        other => panic!("expected a decoding error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_moves_into_a_task_and_pages_can_be_read_whole() {
    let server = serve(|_, seen| {
        let page: u64 = param(&seen.target, "page").map_or(1, |p| p.parse().unwrap());
        ok(json!({"data": ids((page - 1) * 2, page * 2, 5), "total": 5}))
    })
    .await;
    let client = client(&server.url);
    let task = tokio::spawn(client.items_by_page(2).try_collect());
    assert_eq!(task.await.unwrap().unwrap().len(), 5);
    let mut pages = client.items_by_page(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().len());
    }
    assert_eq!(sizes, [2, 2, 1]);
}

/// An API whose key is a query parameter: a next link gets the client's
/// key in place of whatever the server wrote there, once.
enum Maps {}

impl Service for Maps {
    type Error = ApiError;
    const NAME: &'static str = "Maps";
    const AUTH: Auth = Auth::Query { name: "key" };
    const USER_AGENT: &'static str = "maps-test/1";

    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

struct MapsKey;
impl KeyKind for MapsKey {
    type Service = Maps;
}

trait MapsApi {
    #[endpoint(GET, "/places", scope = read, paginate = next_url("/next", items = "/results"))]
    fn places(&self) -> Paginated<Item, ApiError>;
}
impl<K: KeyKind<Service = Maps>> MapsApi for Client<K> {}

#[tokio::test]
async fn a_query_credential_goes_once_with_each_next_link_and_a_link_back_is_a_repeat() {
    let server = serve(|_, seen| match seen.target.as_str() {
        "/v1/places?key=maps-key" => ok(json!({"results": ids(0, 2, 9), "next": "/v1/places?after=2&key=echoed"})),
        "/v1/places?after=2&key=maps-key" => ok(json!({"results": ids(2, 3, 9), "next": "/v1/places"})),
        other => panic!("unexpected request {other}"),
    })
    .await;
    let client = Client::<MapsKey>::builder("maps-key")
        .base_url(format!("{}/v1", server.url))
        .build()
        .unwrap();
    let (items, error, pages) = all(client.places()).await;
    assert_eq!(id_list(&items), [0, 1, 2]);
    assert_eq!(pages, 2);
    assert_eq!(
        server.targets(),
        ["/v1/places?key=maps-key", "/v1/places?after=2&key=maps-key"]
    );
    // The link back to the first page is the first page again.
    assert!(matches!(
        error.as_ref().and_then(|e| e.runtime_error()),
        Some(hacktron_runtime::Error::Pagination(PaginationError::Repeated { cursor, .. })) if cursor == "/v1/places"
    ));
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_a_typed_error_not_a_loop() {
    // No total, never an empty page: the same two items whatever the page.
    let server = serve(|_, _| ok(ids(0, 2, 2))).await;
    let (items, error, pages) = all(client(&server.url).items_by_page_from_zero()).await;
    assert_eq!(id_list(&items), [0, 1], "the repeated page's items are not read twice");
    assert_eq!(pages, 2);
    assert_eq!(server.targets(), ["/v1/items", "/v1/items?p=1"]);
    match error.as_ref().and_then(|e| e.runtime_error()) {
        Some(hacktron_runtime::Error::Pagination(PaginationError::Ignored { param, value, pages })) => {
            assert_eq!((*param, *value, *pages), ("p", 1, 2));
        }
        other => panic!("expected an ignored page number, got {other:?}"),
    }
}

//! Lists walked to the end without tracking pages.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;
use crate::models::{OffsetPage, Page};

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Chunk<T>, Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(u64) -> PageFuture<T> + Send>;

struct Chunk<T> {
    items: Vec<T>,
    next: Option<u64>,
}

/// Every item of a paginated list, fetched one page at a time as you read:
/// a [`Stream`] of `Result<T, Error>`, so the `futures` combinators
/// (`try_filter`, `map_ok`, `try_collect`, and `try_buffer_unordered` once
/// `map_ok` made each item a future…) apply: [`TryStreamExt`](crate::TryStreamExt)
/// and [`StreamExt`](crate::StreamExt) are re-exported, and in the prelude.
///
/// It owns what it needs (a clone of the client: same pool, same limiter),
/// so it can move into `tokio::spawn`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// use hacktron::prelude::*;
/// use hacktron::models::{FindingListQuery, Severity};
///
/// let mut findings = client.all_findings(FindingListQuery::new().severity(Severity::Critical).limit(100));
/// while let Some(finding) = findings.next().await {
///     println!("{}", finding?.title);
/// }
/// // The combinators, with nothing but the prelude in scope:
/// let titles: Vec<String> = client.all_findings(FindingListQuery::new()).map_ok(|f| f.title).try_collect().await?;
/// # assert_eq!(titles.len(), 5);
/// // Or in a task of its own:
/// let all = tokio::spawn(client.all_scans(Default::default()).try_collect());
/// # assert!(!all.await??.is_empty());
/// # Ok(()) }
/// ```
///
/// After an error, the stream ends: the error is the last item.
#[must_use = "a list does nothing until it is read"]
pub struct Items<T> {
    fetch: Fetch<T>,
    pending: Option<PageFuture<T>>,
    buffer: std::vec::IntoIter<T>,
    cursor: Option<u64>,
    pages: u64,
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("next_cursor", &self.cursor)
            .field("pages_fetched", &self.pages)
            .field("fetching", &self.pending.is_some())
            .finish()
    }
}

// Nothing is pinned structurally: the page future is boxed.
impl<T> Unpin for Items<T> {}

impl<T: Send + 'static> Items<T> {
    /// A page-numbered list (`page`/`limit`), starting at page `start`.
    pub(crate) fn pages<F, Fut>(start: u64, mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        let fetch: Fetch<T> = Box::new(move |page| {
            let page = fetch(page);
            Box::pin(async move {
                let page = page.await?;
                let next = page.next_page();
                Ok(Chunk { items: page.data, next })
            })
        });
        Self::with(fetch, start)
    }

    /// What every page-numbered `all_*` helper is: `list(client, query)`
    /// with the query's page set by `at`, from `start` on.
    pub(crate) fn page_by_page<K, Q, F, Fut>(
        client: crate::Client<K>,
        query: Q,
        start: u64,
        at: fn(Q, u64) -> Q,
        list: F,
    ) -> Self
    where
        K: hacktron_runtime::scope::KeyKind,
        Q: Clone + Send + 'static,
        F: Fn(crate::Client<K>, Q) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Self::pages(start, move |page| list(client.clone(), at(query.clone(), page)))
    }

    /// An offset-based list (`limit`/`offset`), starting at `start`.
    pub(crate) fn offsets<F, Fut>(start: u64, mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<OffsetPage<T>, Error>> + Send + 'static,
    {
        let fetch: Fetch<T> = Box::new(move |offset| {
            let page = fetch(offset);
            Box::pin(async move {
                let page = page.await?;
                let next = page.next_offset(offset);
                Ok(Chunk { items: page.data, next })
            })
        });
        Self::with(fetch, start)
    }

    fn with(fetch: Fetch<T>, start: u64) -> Self {
        Items {
            fetch,
            pending: None,
            buffer: Vec::new().into_iter(),
            cursor: Some(start),
            pages: 0,
        }
    }

    /// The next item, fetching the next page when this one is used up;
    /// `None` at the end of the list.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    ///
    /// let mut findings = client.all_findings(Default::default());
    /// let mut titles = Vec::new();
    /// while let Some(finding) = findings.next().await {
    ///     titles.push(finding?.title);
    /// }
    /// assert!(findings.next().await.is_none()); // and stays ended
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the whole list into a `Vec`, stopping at the first error.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::FindingListQuery;
    ///
    /// let findings = client.all_findings(FindingListQuery::new().limit(2)).try_collect().await?;
    /// assert_eq!(findings.len() as u64, client.list_findings(&Default::default()).await?.total);
    /// # Ok(()) }
    /// ```
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// How many pages were fetched so far.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// use hacktron::prelude::*;
    /// use hacktron::models::FindingListQuery;
    ///
    /// let mut findings = client.all_findings(FindingListQuery::new().limit(2));
    /// assert_eq!(findings.pages_fetched(), 0); // nothing is fetched before the first read
    /// findings.next().await.transpose()?;
    /// assert_eq!(findings.pages_fetched(), 1);
    /// # Ok(()) }
    /// ```
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }
}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.pending.is_none() {
                let Some(cursor) = this.cursor.take() else {
                    return Poll::Ready(None);
                };
                this.pending = Some((this.fetch)(cursor));
            }
            let Some(pending) = this.pending.as_mut() else {
                return Poll::Ready(None);
            };
            let result = std::task::ready!(pending.as_mut().poll(cx));
            this.pending = None;
            match result {
                Ok(chunk) => {
                    this.pages += 1;
                    this.cursor = chunk.next;
                    this.buffer = chunk.items.into_iter();
                }
                // `cursor` was taken: the stream ends after the error.
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        if self.cursor.is_none() && self.pending.is_none() {
            (buffered, Some(buffered))
        } else {
            (buffered, None)
        }
    }
}

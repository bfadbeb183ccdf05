//! Lists walked to the end without tracking pages.

use std::future::Future;
use std::pin::Pin;

use crate::Error;
use crate::models::{OffsetPage, Page};

type Fetch<'a, T> =
    Box<dyn FnMut(u64) -> Pin<Box<dyn Future<Output = Result<Chunk<T>, Error>> + Send + 'a>> + Send + 'a>;

struct Chunk<T> {
    items: Vec<T>,
    next: Option<u64>,
}

/// Every item of a paginated list, fetched one page at a time as you read.
///
/// ```no_run
/// # async fn demo(client: hacktron::Client) -> Result<(), hacktron::Error> {
/// use hacktron::prelude::*;
/// use hacktron::models::{FindingListQuery, Severity};
///
/// let mut findings = client.all_findings(FindingListQuery::new().severity(Severity::Critical).limit(100));
/// while let Some(finding) = findings.next().await {
///     println!("{}", finding?.title);
/// }
/// # Ok(()) }
/// ```
///
/// After an error, [`next`](Self::next) returns `None`: the error is the last
/// item.
pub struct Items<'a, T> {
    fetch: Fetch<'a, T>,
    buffer: std::vec::IntoIter<T>,
    cursor: Option<u64>,
    pages: u64,
}

impl<T> std::fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("next_cursor", &self.cursor)
            .field("pages_fetched", &self.pages)
            .finish()
    }
}

impl<'a, T: Send + 'a> Items<'a, T> {
    /// A page-numbered list (`page`/`limit`), starting at page `start`.
    pub(crate) fn pages<F, Fut>(start: u32, mut fetch: F) -> Self
    where
        F: FnMut(u32) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |page| {
            let page = fetch(u32::try_from(page).unwrap_or(u32::MAX));
            Box::pin(async move {
                let page = page.await?;
                let next = page.next_page().map(u64::from);
                Ok(Chunk { items: page.data, next })
            })
        });
        Items {
            fetch,
            buffer: Vec::new().into_iter(),
            cursor: Some(u64::from(start)),
            pages: 0,
        }
    }

    /// An offset-based list (`limit`/`offset`), starting at `start`.
    pub(crate) fn offsets<F, Fut>(start: u64, mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<OffsetPage<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |offset| {
            let page = fetch(offset);
            Box::pin(async move {
                let page = page.await?;
                let next = page.next_offset(offset);
                Ok(Chunk { items: page.data, next })
            })
        });
        Items {
            fetch,
            buffer: Vec::new().into_iter(),
            cursor: Some(start),
            pages: 0,
        }
    }

    /// The next item, fetching the next page when this one is used up;
    /// `None` at the end of the list.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            let cursor = self.cursor.take()?;
            match (self.fetch)(cursor).await {
                Ok(chunk) => {
                    self.pages += 1;
                    self.cursor = chunk.next;
                    self.buffer = chunk.items.into_iter();
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Reads the whole list into a `Vec`, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }
}

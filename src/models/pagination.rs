//! Pagination envelopes and the shared sort order.
//!
//! Most list endpoints are page-based (`page` + `limit`, answered with a
//! [`Page`]); cost estimations are offset-based (`limit` + `offset`, answered
//! with an [`OffsetPage`]).

use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;

open_enum! {
    /// Direction of a `sort_order` query parameter; the server defaults to `DESC`.
    ///
    /// ```
    /// use hacktron::models::SortOrder;
    ///
    /// assert_eq!(SortOrder::Asc.as_str(), "ASC"); // upper case on the wire
    /// assert_eq!("asc".parse::<SortOrder>(), Ok(SortOrder::Asc)); // user input: any case
    /// ```
    pub enum SortOrder {
        /// `ASC`: smallest (oldest, lowest) first.
        Asc => "ASC",
        /// `DESC`: largest (newest, highest) first. The server's default.
        Desc => "DESC",
    }
}

/// One page of a page-based list (`GET /scans`, `GET /findings`,
/// `GET /scans/{id}/findings`).
///
/// Maps the shared shape of `RestScanListResponseDto` and
/// `RestFindingListResponseDto`. The server echoes the `page` and `limit` it
/// used; `total` counts every matching item across all pages.
///
/// ```
/// use hacktron::models::Page;
///
/// let page: Page<String> = serde_json::from_str(r#"{"data": ["a", "b"], "total": 5, "page": 1, "limit": 2}"#)?;
/// assert_eq!(page.next_page(), Some(2));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub data: Vec<T>,
    /// Number of items matching the query across all pages.
    pub total: u64,
    /// 1-based number of this page. The vendor's docs give `page` no
    /// maximum, so any page number the server echoes decodes.
    pub page: u64,
    /// Page size the server applied.
    pub limit: u64,
}

impl<T> Page<T> {
    /// Whether a later page holds more items (`page * limit < total`).
    ///
    /// An empty page is treated as the last one, so a loop driven by this
    /// method always ends.
    ///
    /// ```
    /// use hacktron::models::Page;
    ///
    /// let page = Page { data: vec!["e"], total: 5, page: 3, limit: 2 };
    /// assert!(!page.has_next()); // 3 × 2 ≥ 5
    /// let empty = Page::<&str> { data: vec![], total: 5, page: 9, limit: 2 };
    /// assert!(!empty.has_next());
    /// ```
    #[must_use]
    pub fn has_next(&self) -> bool {
        !self.data.is_empty() && self.page.saturating_mul(self.limit) < self.total
    }

    /// The number of the next page to request, if [`has_next`](Self::has_next).
    ///
    /// ```
    /// use hacktron::models::Page;
    ///
    /// let first = Page { data: vec!["a", "b"], total: 5, page: 1, limit: 2 };
    /// assert_eq!(first.next_page(), Some(2));
    /// ```
    #[must_use]
    pub fn next_page(&self) -> Option<u64> {
        if self.has_next() {
            self.page.checked_add(1)
        } else {
            None
        }
    }
}

/// One slice of an offset-based list (`GET /cost-estimations`).
///
/// Maps `RestCostEstimationListResponseDto`, which carries only the items and
/// the overall `total`; the offset is the one you asked for.
///
/// ```
/// use hacktron::models::OffsetPage;
///
/// let slice: OffsetPage<u32> = serde_json::from_str(r#"{"data": [1, 2, 3], "total": 7}"#)?;
/// assert_eq!(slice.next_offset(0), Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OffsetPage<T> {
    /// The items in this slice, most recent first.
    pub data: Vec<T>,
    /// Number of items across the whole list.
    pub total: u64,
}

impl<T> OffsetPage<T> {
    /// The `offset` to request next, given the `offset` this slice was fetched
    /// with, or `None` once the list is exhausted (or this slice was empty).
    ///
    /// ```
    /// use hacktron::models::OffsetPage;
    ///
    /// let slice = OffsetPage { data: vec![5, 6], total: 7 };
    /// assert_eq!(slice.next_offset(3), Some(5)); // fetched with offset 3
    /// assert_eq!(slice.next_offset(5), None); // 5 + 2 items reach the total
    /// ```
    #[must_use]
    pub fn next_offset(&self, offset: u64) -> Option<u64> {
        let next = offset.saturating_add(self.data.len() as u64);
        (!self.data.is_empty() && next < self.total).then_some(next)
    }
}

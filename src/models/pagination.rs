//! Pagination envelopes and the shared sort order.
//!
//! Most list endpoints are page-based (`page` + `limit`, answered with a
//! [`Page`]); cost estimations are offset-based (`limit` + `offset`, answered
//! with an [`OffsetPage`]).

use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;

open_enum! {
    /// Direction of a `sort_order` query parameter; the server defaults to `DESC`.
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
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub data: Vec<T>,
    /// Number of items matching the query across all pages.
    pub total: u64,
    /// 1-based number of this page.
    pub page: u32,
    /// Page size the server applied.
    pub limit: u32,
}

impl<T> Page<T> {
    /// Whether a later page holds more items (`page * limit < total`).
    ///
    /// An empty page is treated as the last one, so a loop driven by this
    /// method always ends.
    #[must_use]
    pub fn has_next(&self) -> bool {
        !self.data.is_empty() && u64::from(self.page) * u64::from(self.limit) < self.total
    }

    /// The number of the next page to request, if [`has_next`](Self::has_next).
    #[must_use]
    pub fn next_page(&self) -> Option<u32> {
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
    #[must_use]
    pub fn next_offset(&self, offset: u64) -> Option<u64> {
        let next = offset.saturating_add(self.data.len() as u64);
        (!self.data.is_empty() && next < self.total).then_some(next)
    }
}

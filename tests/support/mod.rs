//! What the integration tests share, in one place:
//!
//! - [`sandbox`]: a Hacktron sandbox per test, clients for its seeded keys,
//!   the estimation → scan walk on its manual clock, and `expect_err!`;
//! - [`server`]: a small purpose-built HTTP server for the edge cases a
//!   sandbox does not produce;
//! - [`logs`]: what the client logged, captured.
//!
//! Each test file takes what it needs: `#[macro_use] mod support;` and
//! `use support::sandbox::*;` or `use support::server::{Reply, TestServer};`.
#![allow(dead_code, unused_macros)]

#[macro_use]
pub mod sandbox;
pub mod logs;
pub mod server;

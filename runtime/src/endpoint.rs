//! Compile-time metadata of an endpoint.

use std::fmt;

/// An HTTP method an endpoint can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// The method's name in upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Whether sending the request twice has the same effect as once.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
            Method::Head => http::Method::HEAD,
            Method::Options => http::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `#[endpoint]` knows about an endpoint, available as a constant:
/// for an endpoint method `get_thing` of trait `Things`, `<C as Things>::GET_THING`
/// for any client type `C` that implements `Things`. Hooks see it too
/// ([`Attempt::endpoint`](crate::retry::Attempt::endpoint)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The trait method's name.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, relative to the base URL (`/scans/{id}`).
    pub path: &'static str,
    /// The scope's name, as the service spells it.
    pub scope: &'static str,
    /// Attempts allowed by the attribute's `retry =` key (`never` is 1);
    /// `None` follows the client's [`RetryPolicy`](crate::retry::RetryPolicy).
    pub max_attempts: Option<u32>,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (scope {})", self.method, self.path, self.scope)
    }
}

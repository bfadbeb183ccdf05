//! Redirects the transport hands back, followed by the client: it knows
//! which header is the service's credential, which no HTTP stack does.

use http::header::ACCEPT;
use http::{HeaderMap, HeaderValue, Method, StatusCode};

use crate::transport::HttpRequest;

/// What a redirect leads to, as the client follows it: a fresh request,
/// made without the one that got the redirect (whose copy the common call
/// does not keep).
///
/// The client's transport follows redirects within an origin, and to
/// another origin where the credential is one it drops (`Authorization`);
/// the client follows those it hands back. The request that follows is
/// fresh: as browsers, curl and reqwest do, a `303`, and a `301`/`302`
/// answering a `POST`, become a `GET`; a `307`/`308` keeps the method, and
/// is not followed when the request had a body (it would go, whole, to a
/// server the caller did not name). It carries `Accept` and the service's
/// default headers, not the endpoint's `#[header]` arguments, and no
/// credential: the caller adds one where the origin is the service's.
/// `None` when `status` is not a redirect followed (`301`, `302`, `303`,
/// `307`, `308`), `location` is not an http(s) URL (relative ones resolve
/// against `base`), or a `307`/`308` would resend a body.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fresh(
    status: StatusCode,
    location: &HeaderValue,
    base: &url::Url,
    method: &Method,
    had_body: bool,
    accept: &'static str,
    defaults: &HeaderMap,
    timeout: Option<std::time::Duration>,
) -> Option<HttpRequest> {
    let method = match status.as_u16() {
        303 if *method == Method::HEAD => Method::HEAD,
        303 => Method::GET,
        301 | 302 if *method == Method::POST => Method::GET,
        301 | 302 | 307 | 308 if had_body => return None,
        301 | 302 | 307 | 308 => method.clone(),
        _ => return None,
    };
    let url = base.join(location.to_str().ok()?).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return None;
    }
    let mut headers = HeaderMap::new();
    for (name, value) in defaults {
        headers.append(name.clone(), value.clone());
    }
    if !headers.contains_key(ACCEPT) {
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
    }
    Some(HttpRequest {
        method,
        url,
        headers,
        body: None,
        stream: None,
        timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_request_keeps_no_body_and_no_credential() {
        let base = url::Url::parse("https://api.example.com/v1").unwrap();
        let mut defaults = HeaderMap::new();
        defaults.insert("x-api-version", HeaderValue::from_static("2024-01-01"));
        let cdn = HeaderValue::from_static("https://cdn.example.net/f/1?sig=abc");
        let next = fresh(
            StatusCode::FOUND,
            &cdn,
            &base,
            &Method::GET,
            false,
            "application/json",
            &defaults,
            None,
        )
        .unwrap();
        assert_eq!(next.url.as_str(), "https://cdn.example.net/f/1?sig=abc");
        assert_eq!(next.method, Method::GET);
        assert_eq!(next.headers["accept"], "application/json");
        assert_eq!(next.headers["x-api-version"], "2024-01-01");
        assert_eq!(next.headers.len(), 2);
        for (status, method, body, expected) in [
            (303, Method::POST, true, Some(Method::GET)),
            (302, Method::POST, true, Some(Method::GET)),
            (301, Method::PUT, true, None),
            (307, Method::POST, true, None),
            (308, Method::PUT, false, Some(Method::PUT)),
            (303, Method::HEAD, false, Some(Method::HEAD)),
            (304, Method::GET, false, None),
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            let next = fresh(status, &cdn, &base, &method, body, "*/*", &HeaderMap::new(), None);
            assert_eq!(next.map(|n| n.method), expected, "{status} {method}");
        }
        let relative = HeaderValue::from_static("/v2/moved");
        let next = fresh(
            StatusCode::FOUND,
            &relative,
            &base,
            &Method::GET,
            false,
            "*/*",
            &HeaderMap::new(),
            None,
        )
        .unwrap();
        assert_eq!(next.url.as_str(), "https://api.example.com/v2/moved");
        let ftp = HeaderValue::from_static("ftp://files.example.com/x");
        assert!(
            fresh(
                StatusCode::FOUND,
                &ftp,
                &base,
                &Method::GET,
                false,
                "*/*",
                &HeaderMap::new(),
                None
            )
            .is_none()
        );
    }
}

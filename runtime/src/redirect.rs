//! Redirects, followed by the client itself: it knows which header is the
//! service's credential, which no HTTP stack does.

use http::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, PROXY_AUTHORIZATION};
use http::{HeaderName, HeaderValue, Method, StatusCode};

use crate::transport::HttpRequest;

/// The request a redirect leads to, from the one that got it: `None` when
/// `status` is not a redirect the client follows (`301`, `302`, `303`,
/// `307`, `308`) or `location` is not an http(s) URL.
///
/// As browsers, curl and reqwest do: a `303`, and a `301`/`302` answering a
/// `POST`, become a `GET` without the body; a `307`/`308` keeps the method
/// and body. On the way to an origin the credential may not go to (one not
/// in `trusted`), the request loses `credential` (the service's own header),
/// `Authorization`, `Cookie`, `Proxy-Authorization` and every header marked
/// sensitive; it never gets them back on a later hop.
pub(crate) fn follow(
    previous: &HttpRequest,
    status: StatusCode,
    location: &HeaderValue,
    trusted: &[url::Origin],
    credential: Option<&HeaderName>,
) -> Option<HttpRequest> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let url = previous.url.join(location.to_str().ok()?).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return None;
    }
    let mut next = previous.clone();
    let to_get = match status.as_u16() {
        303 => previous.method != Method::HEAD,
        301 | 302 => previous.method == Method::POST,
        _ => false,
    };
    if to_get {
        next.method = Method::GET;
        next.body = None;
        next.stream = None;
        for name in [CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING] {
            next.headers.remove(name);
        }
    }
    let origin = url.origin();
    if origin != previous.url.origin() && !trusted.contains(&origin) {
        strip_credentials(&mut next.headers, credential);
    }
    next.url = url;
    Some(next)
}

/// Removes what may carry a credential.
fn strip_credentials(headers: &mut http::HeaderMap, credential: Option<&HeaderName>) {
    if let Some(name) = credential {
        headers.remove(name);
    }
    for name in [AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION] {
        headers.remove(name);
    }
    let sensitive: Vec<HeaderName> = headers
        .iter()
        .filter(|(_, v)| v.is_sensitive())
        .map(|(n, _)| n.clone())
        .collect();
    for name in sensitive {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, url: &str) -> HttpRequest {
        let mut headers = http::HeaderMap::new();
        let mut key = HeaderValue::from_static("secret");
        key.set_sensitive(true);
        headers.insert("x-api-key", key);
        headers.insert(COOKIE, HeaderValue::from_static("session=1"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("x-trace", HeaderValue::from_static("t-1"));
        HttpRequest {
            method,
            url: url.parse().unwrap(),
            headers,
            body: Some(bytes::Bytes::from_static(b"{}")),
            stream: None,
            timeout: None,
        }
    }

    fn origins(urls: &[&str]) -> Vec<url::Origin> {
        urls.iter().map(|u| url::Url::parse(u).unwrap().origin()).collect()
    }

    #[test]
    fn another_origin_gets_no_credential_and_a_trusted_one_does() {
        let name = HeaderName::from_static("x-api-key");
        let trusted = origins(&["https://api.example.com", "https://uploads.example.com"]);
        let from = request(Method::GET, "https://api.example.com/v1/files/1");
        let location = HeaderValue::from_static("https://cdn.example.net/f/1?sig=abc");
        let next = follow(&from, StatusCode::FOUND, &location, &trusted, Some(&name)).unwrap();
        assert_eq!(next.url.as_str(), "https://cdn.example.net/f/1?sig=abc");
        assert!(next.headers.get("x-api-key").is_none());
        assert!(next.headers.get(COOKIE).is_none());
        assert_eq!(next.headers["x-trace"], "t-1");
        let location = HeaderValue::from_static("https://uploads.example.com/f/1");
        let next = follow(&from, StatusCode::FOUND, &location, &trusted, Some(&name)).unwrap();
        assert_eq!(next.headers["x-api-key"], "secret");
        // The same host over plain http is another origin.
        let location = HeaderValue::from_static("http://api.example.com/v1/files/1");
        let next = follow(&from, StatusCode::MOVED_PERMANENTLY, &location, &trusted, Some(&name)).unwrap();
        assert!(next.headers.get("x-api-key").is_none());
    }

    #[test]
    fn methods_and_bodies_change_as_browsers_do() {
        let trusted = origins(&["https://api.example.com"]);
        let post = request(Method::POST, "https://api.example.com/v1/things");
        let relative = HeaderValue::from_static("/v1/things/7");
        for (status, method, body) in [
            (301, Method::GET, false),
            (302, Method::GET, false),
            (303, Method::GET, false),
            (307, Method::POST, true),
            (308, Method::POST, true),
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            let next = follow(&post, status, &relative, &trusted, None).unwrap();
            assert_eq!(next.url.as_str(), "https://api.example.com/v1/things/7");
            assert_eq!(next.method, method, "{status}");
            assert_eq!(next.body.is_some(), body, "{status}");
            assert_eq!(next.headers.contains_key(CONTENT_TYPE), body, "{status}");
        }
        let put = request(Method::PUT, "https://api.example.com/v1/things/7");
        let next = follow(&put, StatusCode::FOUND, &relative, &trusted, None).unwrap();
        assert_eq!(next.method, Method::PUT);
    }

    #[test]
    fn what_is_not_a_redirect_is_not_followed() {
        let from = request(Method::GET, "https://api.example.com/v1/x");
        let ok = HeaderValue::from_static("/v1/y");
        assert!(follow(&from, StatusCode::NOT_MODIFIED, &ok, &[], None).is_none());
        assert!(follow(&from, StatusCode::MULTIPLE_CHOICES, &ok, &[], None).is_none());
        let ftp = HeaderValue::from_static("ftp://files.example.com/x");
        assert!(follow(&from, StatusCode::FOUND, &ftp, &[], None).is_none());
        let bad = HeaderValue::from_bytes(b"/\xff").unwrap();
        assert!(follow(&from, StatusCode::FOUND, &bad, &[], None).is_none());
    }
}

//! Rate limits as the server reports them, per resource: what is left and
//! when it resets, read from response headers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

/// The furthest reset followed: a day.
const MAX_RESET_SECS: u64 = 24 * 60 * 60;

/// What the server said is left of one resource's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    /// Requests left in the current window.
    pub remaining: u64,
    /// When the window resets.
    pub reset: Instant,
}

/// Reads a response's rate-limit headers: `(resource, what is left)`, or
/// `None` when it has none (or none that parse). Understood, first found
/// wins:
///
/// - the IETF `RateLimit` field (`"default";r=0;t=30`, and the older
///   `limit=100, remaining=0, reset=30`), with `RateLimit-Policy` naming
///   the resource;
/// - `RateLimit-Remaining` / `RateLimit-Reset` (seconds from now);
/// - `X-RateLimit-Remaining` / `X-RateLimit-Reset` (seconds from now, or a
///   Unix time when larger than 10⁹, as GitHub sends), with
///   `X-RateLimit-Resource` naming the resource (GitHub's `core`,
///   `search`).
///
/// The resource is `""` when the server names none: the whole API.
///
/// ```
/// use std::time::{Duration, Instant};
/// use hacktron_runtime::HeaderMap;
/// use hacktron_runtime::limits::read_headers;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-remaining", "0".parse()?);
/// headers.insert("x-ratelimit-reset", "30".parse()?);
/// headers.insert("x-ratelimit-resource", "search".parse()?);
/// let (resource, left) = read_headers(&headers, Instant::now()).unwrap();
/// assert_eq!((resource.as_str(), left.remaining), ("search", 0));
/// assert!(left.reset > Instant::now() + Duration::from_secs(29));
///
/// let mut ietf = HeaderMap::new();
/// ietf.insert("ratelimit", r#""hourly";r=12;t=600"#.parse()?);
/// let (resource, left) = read_headers(&ietf, Instant::now()).unwrap();
/// assert_eq!((resource.as_str(), left.remaining), ("hourly", 12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_headers(headers: &HeaderMap, now: Instant) -> Option<(String, Remaining)> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    // A reset further than a day away is no window this client waits for
    // (and an absurd one must not overflow the clock): not a usable limit.
    let at = |seconds: u64| {
        (seconds <= MAX_RESET_SECS).then(|| Remaining {
            remaining: 0,
            reset: now + Duration::from_secs(seconds),
        })
    };
    if let Some(field) = text("ratelimit")
        && let Some((policy, remaining, reset)) = structured(field)
    {
        let resource = policy
            .or_else(|| text("ratelimit-policy").and_then(first_name))
            .unwrap_or_default();
        return Some((
            resource,
            Remaining {
                remaining,
                ..at(reset)?
            },
        ));
    }
    if let (Some(remaining), Some(reset)) = (text("ratelimit-remaining"), text("ratelimit-reset")) {
        let (remaining, reset) = (remaining.parse().ok()?, reset.parse().ok()?);
        let resource = text("ratelimit-policy").and_then(first_name).unwrap_or_default();
        return Some((
            resource,
            Remaining {
                remaining,
                ..at(reset)?
            },
        ));
    }
    if let (Some(remaining), Some(reset)) = (text("x-ratelimit-remaining"), text("x-ratelimit-reset")) {
        let remaining = remaining.parse().ok()?;
        let reset: u64 = reset.parse().ok()?;
        let seconds = if reset > 1_000_000_000 {
            let unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            reset.saturating_sub(unix)
        } else {
            reset
        };
        let resource = text("x-ratelimit-resource").unwrap_or_default().to_owned();
        return Some((
            resource,
            Remaining {
                remaining,
                ..at(seconds)?
            },
        ));
    }
    None
}

/// `"name";r=12;t=600` (draft 08 and later; several policies separated by
/// `,`, the one with the fewest requests left wins) or `limit=100,
/// remaining=12, reset=600` (earlier drafts): `(policy name, remaining,
/// reset seconds)`.
fn structured(field: &str) -> Option<(Option<String>, u64, u64)> {
    let one = |policy: &str| {
        let (mut remaining, mut reset, mut name) = (None, None, None);
        for item in policy.split([';', ',']).map(str::trim) {
            match item.split_once('=') {
                Some(("r" | "remaining", v)) => remaining = v.trim().parse().ok(),
                Some(("t" | "reset", v)) => reset = v.trim().parse().ok(),
                Some(_) => {}
                None if item.starts_with('"') => name = Some(item.trim_matches('"').to_owned()),
                None => {}
            }
        }
        Some((name, remaining?, reset?))
    };
    if field.trim_start().starts_with('"') {
        field
            .split(',')
            .filter_map(one)
            .min_by_key(|(_, remaining, reset)| (*remaining, u64::MAX - reset))
    } else {
        one(field)
    }
}

/// The first policy's name in a `RateLimit-Policy` field (`"hourly";q=100;w=3600`).
fn first_name(field: &str) -> Option<String> {
    let first = field.split([';', ',']).next()?.trim();
    first.starts_with('"').then(|| first.trim_matches('"').to_owned())
}

/// What the server reported, per resource, and which resource each
/// endpoint's responses named: a client's, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct ServerLimits {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    resources: HashMap<String, Remaining>,
    endpoints: HashMap<&'static str, String>,
}

impl ServerLimits {
    /// Notes what a response of `endpoint` says.
    pub(crate) fn observe(&self, endpoint: &'static str, headers: &HeaderMap) {
        let Some((resource, left)) = read_headers(headers, Instant::now()) else {
            return;
        };
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.endpoints.get(endpoint) != Some(&resource) {
            state.endpoints.insert(endpoint, resource.clone());
        }
        state.resources.insert(resource, left);
    }

    /// How long a call of `endpoint` must wait for its resource's window
    /// to reset (`Some` only when the server said none is left), the
    /// resource's name with it; and whether the server reports this
    /// endpoint's limit at all (then the static preset is not applied).
    pub(crate) fn wait(&self, endpoint: &'static str) -> (Option<(String, Duration)>, bool) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(resource) = state.endpoints.get(endpoint).cloned() else {
            return (None, false);
        };
        let now = Instant::now();
        match state.resources.get_mut(&resource) {
            Some(left) if left.remaining == 0 && left.reset > now => {
                let wait = left.reset - now;
                (Some((resource, wait)), true)
            }
            Some(left) => {
                // Counted down here too, so that calls made before the next
                // answer do not all go out on one `remaining=1`.
                if left.reset > now {
                    left.remaining = left.remaining.saturating_sub(1);
                }
                (None, true)
            }
            None => (None, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn each_header_family_is_read() {
        let now = Instant::now();
        let cases = [
            (headers(&[("ratelimit", "limit=100, remaining=7, reset=20")]), "", 7, 20),
            (
                headers(&[
                    ("ratelimit", "\"burst\";r=0;t=5"),
                    ("ratelimit-policy", "\"other\";q=10;w=1"),
                ]),
                "burst",
                0,
                5,
            ),
            (
                headers(&[
                    ("ratelimit", "r=3;t=9"),
                    ("ratelimit-policy", "\"daily\";q=1000;w=86400"),
                ]),
                "daily",
                3,
                9,
            ),
            (
                headers(&[("ratelimit-remaining", "4"), ("ratelimit-reset", "60")]),
                "",
                4,
                60,
            ),
            (
                headers(&[
                    ("x-ratelimit-remaining", "59"),
                    ("x-ratelimit-reset", "3600"),
                    ("x-ratelimit-resource", "core"),
                ]),
                "core",
                59,
                3600,
            ),
        ];
        for (map, resource, remaining, reset) in cases {
            let (name, left) = read_headers(&map, now).unwrap();
            assert_eq!((name.as_str(), left.remaining), (resource, remaining), "{map:?}");
            assert_eq!(left.reset, now + Duration::from_secs(reset), "{map:?}");
        }
        // A Unix time, as GitHub sends.
        let unix = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let map = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(unix + 120).to_string()),
        ]);
        let (_, left) = read_headers(&map, now).unwrap();
        let secs = (left.reset - now).as_secs();
        assert!((118..=121).contains(&secs), "{secs}");
    }

    #[test]
    fn the_most_restrictive_of_several_policies_wins() {
        let now = Instant::now();
        let map = headers(&[("ratelimit", "\"burst\";r=0;t=1, \"daily\";r=500;t=86400")]);
        let (name, left) = read_headers(&map, now).unwrap();
        assert_eq!((name.as_str(), left.remaining), ("burst", 0));
        assert_eq!(left.reset, now + Duration::from_secs(1));
    }

    #[test]
    fn what_does_not_parse_is_not_a_limit() {
        let now = Instant::now();
        for map in [
            headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "18446744073709551615"),
            ]),
            headers(&[
                ("ratelimit-remaining", "0"),
                ("ratelimit-reset", "10000000000000000000"),
            ]),
            headers(&[("ratelimit", "r=0;t=18446744073709551615")]),
            headers(&[]),
            headers(&[("x-ratelimit-remaining", "many"), ("x-ratelimit-reset", "30")]),
            headers(&[("x-ratelimit-remaining", "3")]),
            headers(&[("ratelimit", "\"p\";q=100")]),
            headers(&[("retry-after", "30")]),
        ] {
            assert_eq!(read_headers(&map, now), None, "{map:?}");
        }
    }

    #[test]
    fn an_endpoint_waits_only_for_its_own_resource() {
        let limits = ServerLimits::default();
        assert_eq!(limits.wait("search_code"), (None, false), "nothing known yet");
        limits.observe(
            "search_code",
            &headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "30"),
                ("x-ratelimit-resource", "search"),
            ]),
        );
        limits.observe(
            "get_repo",
            &headers(&[
                ("x-ratelimit-remaining", "4999"),
                ("x-ratelimit-reset", "3600"),
                ("x-ratelimit-resource", "core"),
            ]),
        );
        let (wait, reported) = limits.wait("search_code");
        let (resource, wait) = wait.unwrap();
        assert!(reported);
        assert_eq!(resource, "search");
        assert!(
            wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(limits.wait("get_repo"), (None, true));
        assert_eq!(limits.wait("list_issues"), (None, false), "never answered yet");
    }

    #[test]
    fn calls_between_answers_count_down() {
        let limits = ServerLimits::default();
        limits.observe(
            "e",
            &headers(&[("ratelimit-remaining", "2"), ("ratelimit-reset", "60")]),
        );
        assert_eq!(limits.wait("e"), (None, true));
        assert_eq!(limits.wait("e"), (None, true));
        assert!(limits.wait("e").0.is_some(), "the third call waits for the window");
    }
}

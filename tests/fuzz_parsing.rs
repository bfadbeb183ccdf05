//! Property-style fuzzing of response parsing, without extra dependencies:
//! a deterministic xorshift generator feeds `ErrorResponse::new` + `classify`
//! and `decode` with random and mutated inputs. Nothing may panic, and every
//! error's `Display` must name the status.
//!
//! Default: 100 000 inputs. `FUZZ_ITERATIONS` overrides; the ignored test
//! runs 1 000 000: `cargo test --release --test fuzz_parsing -- --ignored --nocapture`.

use hacktron::ErrorDetails as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use hacktron::models::{CostEstimation, CreatedScan, Finding, Page, RepoList, Scan, ScanStatus};
use hacktron::{ErrorResponse, classify};
use hacktron::{HeaderMap, StatusCode};
use hacktron_runtime::decode;

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const MESSAGES: &[&str] = &[
    r#""Internal server error""#,
    r#""API key lacks required scope: write""#,
    r#""Insufficient credits""#,
    r#""Repository https://github.com/acme/x was not part of the cost estimation""#,
    r#""Branch 'dev' does not match the estimated branch""#,
    r#"["name should not be empty","repos must be an array"]"#,
    r#"[{"property":"repos","constraints":{"isArray":"repos must be an array"}}]"#,
    r#"[{"children":[{"constraints":{"a":{"b":[1,2,{"c":null}]}}}]}]"#,
    r#"{"nested":{"deeper":["x",1e400,-0,true]}}"#,
    "123456789012345678901234567890123456789012345678901234567890",
    "1e999999",
    "-9223372036854775809",
    "null",
    "true",
    r#""\ud800""#,
    r#""\u0000 control \n\t""#,
    r#""ThrottlerException: Too Many Requests""#,
];

const RETRY_AFTER: &[&str] = &[
    "1",
    "0",
    "-1",
    "120",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "1.5",
    " 3 ",
    "",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Mon, 32 Foo 2024 25:61:61 GMT",
    "garbage",
];

/// A body: random bytes, or a documented error body with mutations.
fn body(rng: &mut Rng, status: u16) -> Vec<u8> {
    if rng.chance(4) {
        return rng.bytes(300);
    }
    let message = rng.pick(MESSAGES);
    let error = if rng.chance(2) { r#","error":"Bad Request""# } else { "" };
    let mut body = format!(r#"{{"statusCode":{status},"message":{message}{error}}}"#).into_bytes();
    if rng.chance(8) {
        // Deep nesting.
        let depth = rng.below(300);
        let mut deep = "[".repeat(depth).into_bytes();
        deep.extend_from_slice(&body);
        deep.extend(std::iter::repeat_n(b']', depth));
        body = deep;
    }
    for _ in 0..rng.below(4) {
        if body.is_empty() {
            break;
        }
        let at = rng.below(body.len());
        match rng.below(5) {
            0 => body.truncate(at),
            1 => body[at] = rng.next() as u8,
            2 => body.insert(at, *rng.pick(&[0xff, 0xfe, 0xc3, 0x80, b'"', b'\\', b'{', b']', 0])),
            3 => {
                body.remove(at);
            }
            _ => {
                let copy = body[at..].to_vec();
                body.extend_from_slice(&copy);
            }
        }
    }
    body
}

/// Success bodies: valid-looking JSON of the models, mutated.
fn success_body(rng: &mut Rng) -> Vec<u8> {
    const SEEDS: &[&str] = &[
        r#"{"data":[],"total":0,"page":1,"limit":20}"#,
        r#"{"data":[{"id":"f","severity":"critical"}],"total":1e30,"page":-1,"limit":20}"#,
        r#"{"id":"e","organization_id":"o","user_id":"u","task_id":"t","status":"completed","repos":[],"total_credits":1100,"triage_required":false,"triage_fee_credits":0,"created_at":"x","updated_at":"y"}"#,
        r#"{"id":"s","task_id":"t","status":"pending","message":"ok"}"#,
        r#"{"repos":[],"errors":["x"]}"#,
        "",
        "   ",
        "null",
    ];
    let mut body = rng.pick(SEEDS).as_bytes().to_vec();
    if rng.chance(3) {
        body = rng.bytes(200);
    }
    for _ in 0..rng.below(3) {
        if body.is_empty() {
            break;
        }
        let at = rng.below(body.len());
        match rng.below(3) {
            0 => body.truncate(at),
            1 => body[at] = rng.next() as u8,
            _ => body.insert(at, 0xff),
        }
    }
    body
}

fn one(rng: &mut Rng) {
    let status = 100 + rng.below(900) as u16;
    let status = StatusCode::from_u16(status).unwrap();
    let mut headers = HeaderMap::new();
    if rng.chance(2) {
        let value: &[u8] = if rng.chance(10) {
            &[b'1', 0xff, b'2']
        } else {
            rng.pick(RETRY_AFTER).as_bytes()
        };
        if let Ok(value) = value.try_into() {
            headers.insert("retry-after", value);
        }
    }
    if rng.chance(3) {
        headers.insert(
            "content-type",
            rng.pick(&["text/html", "application/json", "text/plain"])
                .parse()
                .unwrap(),
        );
    }
    let body = body(rng, status.as_u16());
    let truncated = rng.chance(5);
    let response = ErrorResponse::new(status, headers, body.into(), truncated);
    let _ = (response.messages().len(), response.message());
    let error = classify(response);
    let shown = error.to_string();
    assert!(
        shown.contains(&status.as_u16().to_string()),
        "Display lacks the status {status}: {shown}"
    );
    assert_eq!(error.status(), Some(status));
    let _ = (
        format!("{error:?}"),
        error.is_retryable(),
        error.attempts(),
        error.messages().len(),
    );

    let body = success_body(rng);
    let status = StatusCode::from_u16(200 + rng.below(100) as u16).unwrap();
    macro_rules! check {
        ($t:ty) => {
            if let Err(e) = decode::<$t>(status, body.clone().into()) {
                let shown = e.to_string();
                assert!(shown.contains(&status.as_u16().to_string()), "{shown}");
                let _ = format!("{e:?}");
            }
        };
    }
    match rng.below(7) {
        0 => check!(Page<Finding>),
        1 => check!(CostEstimation),
        2 => check!(CreatedScan),
        3 => check!(RepoList),
        4 => check!(Page<Scan>),
        5 => check!(ScanStatus),
        _ => check!(serde_json::Value),
    }
}

fn fuzz(default: usize) {
    let iterations = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = Instant::now();
    let mut failures = Vec::new();
    for i in 0..iterations {
        let seed = rng.next() | 1;
        let mut case = Rng(seed);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| one(&mut case))) {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("input {i} (seed {seed:#x}): {what}"));
            if failures.len() >= 10 {
                break;
            }
        }
    }
    println!(
        "fuzz: {iterations} inputs in {:?}, {} failures",
        start.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn parsing_never_panics_and_always_names_the_status() {
    fuzz(100_000);
}

#[test]
#[ignore = "1 000 000 inputs: run with --ignored, in release"]
fn parsing_never_panics_long_run() {
    fuzz(1_000_000);
}

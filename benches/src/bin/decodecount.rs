//! Repeats one decoding `n` times, for counting instructions under callgrind (the network-free rows of
//! BENCHMARKS.md): `decodecount <findings-serde|findings-hacktron|error-value|error-struct|error-classify> <n>`.

use std::hint::black_box;

use bytes::Bytes;
use hacktron::models::{Finding, Page};
use hacktron::{ErrorResponse, HeaderMap, StatusCode, classify};
use hacktron_benches::{ERROR_400, ErrorBody, findings_page_json};
use hacktron_runtime::decode;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(2)
        .and_then(|n| n.parse().ok())
        .expect("usage: decodecount <what> <n>");
    let findings = Bytes::from(findings_page_json(10_000));
    let error = Bytes::from_static(ERROR_400);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().unwrap());
    for _ in 0..n {
        match args[1].as_str() {
            "findings-serde" => drop(black_box(
                serde_json::from_slice::<Page<Finding>>(black_box(&findings)).unwrap(),
            )),
            "findings-hacktron" => drop(black_box(
                decode::<Page<Finding>>(StatusCode::OK, black_box(findings.clone())).unwrap(),
            )),
            "error-value" => drop(black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&error)).unwrap(),
            )),
            "error-struct" => drop(black_box(
                serde_json::from_slice::<ErrorBody>(black_box(&error)).unwrap(),
            )),
            "error-classify" => drop(black_box(classify(ErrorResponse::new(
                StatusCode::BAD_REQUEST,
                headers.clone(),
                black_box(error.clone()),
                false,
            )))),
            other => panic!("unknown: {other}"),
        }
    }
}

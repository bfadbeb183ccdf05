//! Decoding costs with no network: the error path (decode and classify a 400 with an array `message`) against
//! serde_json alone, and a page of 10,000 findings through `hacktron_runtime::decode` against
//! `serde_json::from_slice` into the same structs.
//!
//! `cargo bench -p hacktron-benches --bench decode`

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hacktron::models::{Finding, Page};
use hacktron::{ErrorResponse, HeaderMap, StatusCode, classify};
use hacktron_benches::{ERROR_400, ErrorBody, findings_page_json};
use hacktron_runtime::decode;

fn error_path(c: &mut Criterion) {
    let body = Bytes::from_static(ERROR_400);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().unwrap());
    let mut g = c.benchmark_group("error_400");
    g.bench_function("serde_json_value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap()))
    });
    g.bench_function("serde_json_struct", |b| {
        b.iter(|| black_box(serde_json::from_slice::<ErrorBody>(black_box(&body)).unwrap()))
    });
    // What the runtime does for every non-2xx response once the body is read: the headers are cloned here
    // because `ErrorResponse::new` takes them by value (the runtime moves the response's own).
    g.bench_function("hacktron_classify", |b| {
        b.iter(|| {
            let e = classify(ErrorResponse::new(
                StatusCode::BAD_REQUEST,
                headers.clone(),
                black_box(body.clone()),
                false,
            ));
            black_box(e)
        })
    });
    g.bench_function("header_map_clone", |b| b.iter(|| black_box(headers.clone())));
    g.finish();
}

fn findings(c: &mut Criterion) {
    let json = Bytes::from(findings_page_json(10_000));
    let check: Page<Finding> = serde_json::from_slice(&json).unwrap();
    assert_eq!(check.data.len(), 10_000);
    let mut g = c.benchmark_group("findings_10k");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.sample_size(30);
    g.bench_function("serde_json_from_slice", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Page<Finding>>(black_box(&json)).unwrap()))
    });
    g.bench_function("hacktron_decode", |b| {
        b.iter(|| black_box(decode::<Page<Finding>>(StatusCode::OK, black_box(json.clone())).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, error_path, findings);
criterion_main!(benches);

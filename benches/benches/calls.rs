//! Throughput of one call made four ways against the same keep-alive server process, at 1 and 64 concurrent
//! callers: `#[endpoint]` (generated), hand-written reqwest, raw hyper (the floor) and, with
//! `--features feignhttp`, feignhttp. The client runs on one current-thread runtime (one core); the server is
//! `bench_server`, a separate process. Compare within one run: wall-clock drifts between processes.
//!
//! `cargo bench -p hacktron-benches [--features feignhttp] --bench calls`

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hacktron_benches::{Call, Clients, Kind, ServerProcess, run};

fn calls(c: &mut Criterion) {
    let _server = ServerProcess::start(env!("CARGO_BIN_EXE_bench_server"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clients = rt.block_on(async { Clients::new() });
    for (call, call_name) in [(Call::Get, "get"), (Call::Post, "post")] {
        for callers in [1u64, 64] {
            let mut group = c.benchmark_group(format!("{call_name}/callers={callers}"));
            group.throughput(Throughput::Elements(1));
            group.sample_size(20);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(3));
            for &kind in Kind::ALL {
                group.bench_function(BenchmarkId::from_parameter(kind.name()), |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let start = Instant::now();
                            run(kind, call, &clients, callers, iters).await;
                            start.elapsed()
                        })
                    })
                });
            }
            group.finish();
        }
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);

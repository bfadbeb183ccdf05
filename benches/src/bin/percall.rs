//! Makes `n` calls of one kind against a running `bench_server`, for counting client instructions:
//!
//! ```text
//! percall <generated|reqwest|hyper|feignhttp> <get|post> <n>
//! ```
//!
//! Run it under `valgrind --tool=callgrind` for n = 1000 and n = 2000: the difference / 1000 is the per-call
//! count, setup (runtime, client, connection) cancels. One current-thread runtime: one core, deterministic.

use hacktron_benches::{Call, Clients, Kind, run};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: percall <generated|reqwest|hyper|feignhttp> <get|post> <n>";
    let kind = args.get(1).and_then(|k| Kind::parse(k)).expect(usage);
    let call = match args.get(2).map(String::as_str) {
        Some("get") => Call::Get,
        Some("post") => Call::Post,
        _ => panic!("{usage}"),
    };
    let n: u64 = args.get(3).and_then(|n| n.parse().ok()).expect(usage);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let clients = Clients::new();
        // One call first so the connection (and feignhttp's lazy client) exist in every run.
        run(kind, call, &clients, 1, 1).await;
        run(kind, call, &clients, 1, n).await;
    });
}

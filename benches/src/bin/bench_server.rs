//! The benchmarks' HTTP server as a process of its own, so client CPU is measured alone:
//! `bench_server [ADDR]` (default 127.0.0.1:47311). Answers every request with the ~300-byte item JSON.

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| hacktron_benches::ADDR.to_owned());
    hacktron_benches::run_server(&addr);
}

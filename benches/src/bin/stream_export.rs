//! Streaming an export: throughput and peak memory of
//! `Findings::export_findings` + `ByteStream::copy_to` against a raw reqwest
//! byte stream (`Response::chunk` loop) writing to the same kind of file.
//!
//! `cargo run --release -p hacktron-benches --bin stream_export` starts a
//! local server (`serve`, its own process) that sends a generated CSV body of
//! `STREAM_MIB` MiB (default 1024), chunked and never held in memory, then
//! runs each client mode in its own process, so one mode's peak resident
//! memory (`VmHWM`) cannot mask the other's: `raw` then `generated`, then
//! (`STREAM_ROUNDS`, default 2) the other way round. Throughput is the best
//! round; memory the highest. The temp files are deleted.
//!
//! The modes can also be run alone: `stream_export serve`, then
//! `stream_export raw|generated PORT`.

use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use hacktron::api::Findings;
use hacktron::models::{ExportFormat, FindingExportQuery};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "hacktron_abcdefghijklmnopqrstuvwx";
/// Payload bytes per HTTP chunk the server writes.
const CHUNK: usize = 64 * 1024;
const MIB: f64 = 1024.0 * 1024.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mib: u64 = env_or("STREAM_MIB", 1024);
    match args.first().map(String::as_str) {
        None => orchestrate(mib),
        Some("serve") => serve(mib),
        Some(mode @ ("raw" | "generated")) => {
            let port: u16 = args
                .get(1)
                .and_then(|p| p.parse().ok())
                .expect("usage: stream_export raw|generated PORT");
            client(mode, port, mib);
        }
        Some(other) => {
            eprintln!("unknown mode `{other}`; usage: stream_export [serve | raw PORT | generated PORT]");
            std::process::exit(2);
        }
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ------------------------------------------------------------------ server

/// Serves `GET /v1/findings/export`: `mib` MiB of CSV rows, chunked; one
/// request per connection. Prints `PORT <port>` once listening.
fn serve(mib: u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("PORT {}", listener.local_addr().unwrap().port());
        std::io::stdout().flush().unwrap();
        // One chunk, framing included, written over and over.
        let frame: &'static [u8] = Box::leak(chunk_frame().into_boxed_slice());
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            socket.set_nodelay(true).unwrap();
            tokio::spawn(async move {
                let _ = respond(socket, frame, mib).await;
            });
        }
    });
}

fn chunk_frame() -> Vec<u8> {
    let mut rows = Vec::with_capacity(CHUNK + 256);
    let mut n = 0u64;
    while rows.len() < CHUNK {
        let severity = ["critical", "high", "medium", "low"][(n % 4) as usize];
        let _ = writeln!(
            rows,
            "fnd_{n:012},{severity},approved,src/handlers/export_{}.rs,{},\"SQL injection in query builder\"",
            n % 97,
            10 + n % 400
        );
        n += 1;
    }
    rows.truncate(CHUNK);
    let mut frame = format!("{CHUNK:x}\r\n").into_bytes();
    frame.extend_from_slice(&rows);
    frame.extend_from_slice(b"\r\n");
    frame
}

async fn respond(mut socket: tokio::net::TcpStream, frame: &[u8], mib: u64) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await?;
        if n == 0 || head.len() > 16 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let target = line.split(|&b| b == b' ').nth(1).unwrap_or_default();
    if !target.starts_with(b"/v1/findings/export") {
        socket
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await?;
        return Ok(());
    }
    socket
        .write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        )
        .await?;
    let chunks = mib * 1024 * 1024 / CHUNK as u64;
    for _ in 0..chunks {
        socket.write_all(frame).await?;
    }
    socket.write_all(b"0\r\n\r\n").await?;
    socket.shutdown().await
}

// ------------------------------------------------------------------ clients

/// Downloads the export once in `mode` and prints one `RESULT` line.
fn client(mode: &str, port: u16, mib: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let rss_start = status_kib("VmRSS");
    let path = std::env::temp_dir().join(format!("hacktron-stream-{mode}-{}.csv", std::process::id()));
    let result = rt.block_on(async {
        let start = Instant::now();
        let bytes = match mode {
            "generated" => generated(port, &path).await,
            _ => raw(port, &path).await,
        };
        (bytes, start.elapsed())
    });
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    let (bytes, elapsed) = result;
    let expected = mib * 1024 * 1024;
    assert_eq!(bytes, expected, "{mode}: received {bytes} bytes");
    assert_eq!(size, expected, "{mode}: wrote {size} bytes");
    let secs = elapsed.as_secs_f64();
    println!(
        "RESULT mode={mode} bytes={bytes} secs={secs:.3} mibs={:.1} hwm_kib={} rss_start_kib={rss_start}",
        bytes as f64 / MIB / secs,
        status_kib("VmHWM"),
    );
}

/// The binding: `export_findings` + `ByteStream::copy_to`.
async fn generated(port: u16, path: &Path) -> u64 {
    let client = hacktron::Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .build()
        .unwrap();
    let stream = client
        .export_findings(&FindingExportQuery::new(ExportFormat::Csv))
        .await
        .unwrap();
    let mut file = tokio::fs::File::create(path).await.unwrap();
    stream.copy_to(&mut file).await.unwrap()
}

/// By hand: reqwest, `Response::chunk` into the file.
async fn raw(port: u16, path: &Path) -> u64 {
    let client = reqwest::Client::builder().build().unwrap();
    let mut response = client
        .get(format!("http://127.0.0.1:{port}/v1/findings/export"))
        .query(&[("format", "csv")])
        .header("x-api-key", KEY)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let mut file = tokio::fs::File::create(path).await.unwrap();
    let mut total = 0u64;
    while let Some(chunk) = response.chunk().await.unwrap() {
        file.write_all(&chunk).await.unwrap();
        total += chunk.len() as u64;
    }
    file.flush().await.unwrap();
    total
}

/// A `kB` field of `/proc/self/status` (`VmHWM`: peak resident set).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

// ------------------------------------------------------------------ orchestration

struct Run {
    mibs: f64,
    secs: f64,
    hwm_kib: u64,
    rss_start_kib: u64,
}

fn orchestrate(mib: u64) {
    let rounds: usize = env_or("STREAM_ROUNDS", 2);
    let exe = std::env::current_exe().unwrap();
    let mut server = Command::new(&exe)
        .arg("serve")
        .env("STREAM_MIB", mib.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first
        .trim()
        .strip_prefix("PORT ")
        .expect("server did not start")
        .to_owned();
    println!(
        "stream_export: {mib} MiB of CSV from 127.0.0.1:{port} (chunked, {} KiB chunks) to a file in {}; {} cpus, {}",
        CHUNK / 1024,
        std::env::temp_dir().display(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
    );

    let mut runs: Vec<(String, Run)> = Vec::new();
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            ["raw", "generated"]
        } else {
            ["generated", "raw"]
        };
        for mode in order {
            let out = Command::new(&exe)
                .args([mode, port.as_str()])
                .env("STREAM_MIB", mib.to_string())
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let Some(line) = text.lines().find(|l| l.starts_with("RESULT ")) else {
                let _ = server.kill();
                let _ = server.wait();
                panic!("{mode} failed: {}", String::from_utf8_lossy(&out.stderr));
            };
            let field = |k: &str| -> f64 {
                line.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0)
            };
            let run = Run {
                mibs: field("mibs"),
                secs: field("secs"),
                hwm_kib: field("hwm_kib") as u64,
                rss_start_kib: field("rss_start_kib") as u64,
            };
            println!(
                "  round {} {mode:>9}: {:7.1} MiB/s ({:.2} s), peak RSS {:.1} MiB (VmHWM; {:.1} MiB at start)",
                round + 1,
                run.mibs,
                run.secs,
                run.hwm_kib as f64 / 1024.0,
                run.rss_start_kib as f64 / 1024.0
            );
            runs.push((mode.to_owned(), run));
        }
    }
    let _ = server.kill();
    let _ = server.wait();

    let best = |mode: &str| {
        runs.iter()
            .filter(|(m, _)| m == mode)
            .map(|(_, r)| r.mibs)
            .fold(0.0, f64::max)
    };
    let peak = |mode: &str| {
        runs.iter()
            .filter(|(m, _)| m == mode)
            .map(|(_, r)| r.hwm_kib)
            .max()
            .unwrap_or(0) as f64
            / 1024.0
    };
    let (raw, generated) = (best("raw"), best("generated"));
    let ratio = generated / raw;
    println!(
        "raw reqwest chunk loop: {raw:.1} MiB/s, peak RSS {:.1} MiB",
        peak("raw")
    );
    println!(
        "generated export_findings + copy_to: {generated:.1} MiB/s, peak RSS {:.1} MiB",
        peak("generated")
    );
    println!(
        "throughput generated / raw = {ratio:.3}x (target >= 0.95: {}); peak RSS of generated {:.1} MiB (target < 32: {})",
        if ratio >= 0.95 { "met" } else { "MISSED" },
        peak("generated"),
        if peak("generated") < 32.0 { "met" } else { "MISSED" },
    );
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

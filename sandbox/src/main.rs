//! `hacktron-sandbox`: serves the sandbox on 127.0.0.1 until Ctrl-C.
//!
//! The port comes from `--port N`, else `HACKTRON_SANDBOX_PORT`, else `0` (a free port).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use hacktron_sandbox::{Config, Sandbox};

const USAGE: &str = "usage: hacktron-sandbox [--port N]\n\n\
    Serves a local Hacktron REST API on 127.0.0.1 until Ctrl-C.\n\
    The port is --port N, else $HACKTRON_SANDBOX_PORT, else 0 (a free port).";

/// The port from the arguments or the environment.
fn port() -> Result<u16, String> {
    let mut args = std::env::args().skip(1);
    let mut port = std::env::var("HACKTRON_SANDBOX_PORT").ok();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Err(USAGE.into()),
            "--port" | "-p" => port = Some(args.next().ok_or("--port needs a value")?),
            other => match other.strip_prefix("--port=") {
                Some(value) => port = Some(value.into()),
                None => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            },
        }
    }
    port.map_or(Ok(0), |p| p.trim().parse().map_err(|_| format!("invalid port `{p}`")))
}

#[tokio::main]
async fn main() -> ExitCode {
    let port = match port() {
        Ok(port) => port,
        Err(message) if message == USAGE => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start_with(Config::default().with_port(port)).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("hacktron-sandbox: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let keys = sandbox.keys();
    println!("Hacktron sandbox listening on {}", sandbox.base_url());
    println!();
    println!("  export HACKTRON_BASE_URL={}", sandbox.base_url());
    println!("  export HACKTRON_API_KEY={}", keys.read_write);
    println!();
    println!("Seeded keys (send as X-Api-Key):");
    println!("  read+write        (org {}): {}", keys.acme_org, keys.read_write);
    println!("  read only         (org {}): {}", keys.acme_org, keys.read_only);
    println!("  revoked           (org {}): {}", keys.acme_org, keys.revoked);
    println!("  read+write+admin  (org {}): {}", keys.acme_org, keys.admin);
    println!("  read+write        (org {}): {}", keys.other_org_id, keys.other_org);
    println!();
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("hacktron-sandbox: cannot wait for Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    drop(sandbox);
    println!("stopped");
    ExitCode::SUCCESS
}

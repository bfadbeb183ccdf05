//! Replays the committed fuzz corpora with `cargo test`: every file under
//! `fuzz/corpus/<target>/`, `fuzz/seeds/<target>/` and
//! `fuzz/regressions/<target>/` goes through the same target function the
//! cargo-fuzz binary runs (`fuzz/targets_common.rs`, included here), so an
//! input that once broke an invariant keeps being checked on stable, in
//! seconds, without libFuzzer.
//!
//! To fuzz for real (see fuzz/README.md):
//! `cd fuzz && cargo fuzz run -s none -a <target> corpus/<target> seeds/<target>`.
//!
//! `write_sandbox_seeds` (ignored) refreshes the seeds taken from a real
//! sandbox's answers: `cargo test --test fuzz_corpus -- --ignored write_sandbox_seeds`.

#[path = "../fuzz/targets_common.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted; none when it is absent.
fn files(kind: &str, target: &str) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

/// Every input of `target`: its corpus, seeds and saved reproducers.
fn inputs(target: &str) -> Vec<PathBuf> {
    ["corpus", "seeds", "regressions"]
        .iter()
        .flat_map(|kind| files(kind, target))
        .collect()
}

/// Runs `run` on each file; returns one line per input that panicked.
fn replay(files: &[PathBuf], run: fn(&[u8])) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    failures
}

fn target(name: &str) -> fn(&[u8]) {
    targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no target {name}"))
}

fn replay_target(name: &str) {
    let corpus = files("corpus", name);
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{name}/ is empty: the target has never been fuzzed, or its corpus was lost"
    );
    let all = inputs(name);
    let failures = replay(&all, target(name));
    assert!(
        failures.is_empty(),
        "{} of {} inputs of `{name}` broke an invariant (reproduce with `cd fuzz && cargo fuzz run -s none -a {name} <file>`):\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn classify_corpus() {
    replay_target("classify");
}

#[test]
fn retry_after_corpus() {
    replay_target("retry_after");
}

#[test]
fn error_body_corpus() {
    replay_target("error_body");
}

#[test]
fn decode_corpus() {
    replay_target("decode");
}

#[test]
fn byte_stream_corpus() {
    replay_target("byte_stream");
}

#[test]
fn sandbox_request_corpus() {
    replay_target("sandbox_request");
}

/// Each target has its cargo-fuzz binary, its corpus and a test above; a
/// target added to `TARGETS` without them fails here.
#[test]
fn every_target_is_wired_up() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let this = std::fs::read_to_string(file!()).unwrap_or_else(|_| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus.rs")).expect("this file")
    });
    for (name, _) in targets::TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] `{name}`"
        );
        let bin = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let source = std::fs::read_to_string(&bin).unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        assert!(
            source.contains(&format!("targets::{name}(")),
            "{} does not run targets::{name}",
            bin.display()
        );
        assert!(!files("corpus", name).is_empty(), "fuzz/corpus/{name}/ is empty");
        assert!(
            this.contains(&format!("replay_target(\"{name}\")")),
            "no test replays `{name}`"
        );
    }
}

/// The replay itself can fail: a target that panics on an input is reported
/// with that input's file.
#[test]
fn a_panicking_input_is_reported() {
    let files = inputs("error_body");
    fn panics_on_json(data: &[u8]) {
        assert!(!data.starts_with(b"{"), "deliberate failure");
    }
    let failures = replay(&files, panics_on_json);
    assert!(!failures.is_empty(), "a panicking target went unnoticed");
    assert!(
        failures
            .iter()
            .all(|f| f.contains("deliberate failure") && f.contains("fuzz/")),
        "{failures:?}"
    );
}

/// The invariants themselves: a stream read that lies is caught.
#[test]
fn the_stream_invariant_catches_short_and_wrong_reads() {
    let input = targets::parse_stream(b"\x00\xff\x00\x01\x03abcdef");
    assert_eq!(input.chunks.len(), 2);
    assert_eq!(input.data(), b"abcdef");
    let caught = |outcome: targets::Outcome| {
        catch_unwind(AssertUnwindSafe(|| targets::check_stream(&input, "test", &outcome))).is_err()
    };
    assert!(!caught(targets::Outcome::Copied(Ok(6), b"abcdef".to_vec())));
    assert!(caught(targets::Outcome::Copied(Ok(3), b"abc".to_vec())), "a short Ok");
    assert!(
        caught(targets::Outcome::Copied(Ok(6), b"abcdeX".to_vec())),
        "wrong bytes"
    );
    assert!(
        caught(targets::Outcome::Read(Err("boom".into()))),
        "an error from a good body"
    );

    let failing = targets::parse_stream(b"\x01\xff\x00\x00abc");
    assert!(failing.fails);
    let outcome = targets::Outcome::Copied(Ok(3), b"abc".to_vec());
    assert!(
        catch_unwind(AssertUnwindSafe(|| targets::check_stream(&failing, "test", &outcome))).is_err(),
        "Ok from a body that failed"
    );
}

/// The sandbox reply check: empty replies, 5xx and misshapen errors fail.
#[test]
fn the_reply_check_catches_empty_replies_and_5xx() {
    assert!(targets::check_reply(b"").is_err());
    assert!(targets::check_reply(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n").is_err());
    assert!(
        targets::check_reply(
            b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\r\n{\"statusCode\":500,\"message\":\"Internal server error\"}"
        )
        .is_err()
    );
    assert!(
        targets::check_reply(
            b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{\"statusCode\":400,\"message\":\"x\"}"
        )
        .is_err()
    );
    assert_eq!(
        targets::check_reply(
            b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{\"statusCode\":404,\"message\":\"Finding not found\",\"error\":\"Not Found\"}"
        ),
        Ok(404)
    );
}

/// Writes seeds from a real sandbox's answers to every `sandbox_request`
/// seed: success bodies for `decode`, error replies for `classify` and
/// `error_body`, export bodies for `byte_stream`.
#[test]
#[ignore = "rewrites fuzz/seeds/; run by hand"]
fn write_sandbox_seeds() {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let write = |target: &str, name: &str, data: &[u8]| {
        let dir = fuzz_dir().join("seeds").join(target);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(data);
        let name = name.replace(['<', '>'], "_");
        std::fs::write(dir.join(format!("sandbox-{name}-{hash:016x}")), data).expect("write");
    };
    for file in files("seeds", "sandbox_request") {
        let data = std::fs::read(&file).expect("read");
        let (req, _, raw) = targets::send_to_sandbox(&data);
        let raw = raw.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let (status, body) = targets::split_reply(&raw).expect("a reply");
        let head_len = raw.len() - body.len();
        let head = String::from_utf8_lossy(&raw[..head_len]);
        if (200..300).contains(&status) {
            match targets::success_model(&req.method, &req.target) {
                Some(model) => write("decode", model, &[model.as_bytes(), b"\n", body].concat()),
                None => {
                    // An export: the body in three chunks, and cut short.
                    let third = (body.len() / 3).min(255) as u8;
                    let mut seed = vec![0x04, 0, 0, 2, third, third];
                    seed.extend_from_slice(body);
                    write("byte_stream", "export", &seed);
                    seed[0] = 0x05;
                    write("byte_stream", "export-cut", &seed);
                }
            }
        } else {
            // The reply as the response format: status line, headers, body.
            let mut seed = format!("{status}\n");
            for line in head.lines().skip(1).filter(|l| !l.is_empty()) {
                seed += line;
                seed += "\n";
            }
            seed += "\n";
            let seed = [seed.as_bytes(), body].concat();
            write("classify", &status.to_string(), &seed);
            write("retry_after", &status.to_string(), &seed);
            write("error_body", &status.to_string(), body);
        }
    }
}

//! The audit trace's costs (DESIGN §10): `verify` throughput on a 100,000-event signed trace
//! (in process and whole process), and `replay` of a recorded 20-step run against `run`.
//!
//! Run with `cargo bench -p playbook --bench trace`. It measures and reports; it asserts
//! nothing about time. `PLAYBOOK_BENCH_RUNS` sets the number of timed runs (default 5).

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use playbook::trace::{Recorder, Redactor, seal, verify};

const EVENTS: u64 = 100_000;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A signed trace of `EVENTS` events shaped like a real run: calls, decisions and results.
fn big_trace(dir: &Path) -> std::path::PathBuf {
    let (key, _, _) = seal::keygen(&dir.join("bench")).expect("keygen");
    let signer = seal::Signer::load(&key).expect("key");
    let path = dir.join("big.jsonl");
    let mut r = Recorder::create(&path, Some(signer), Redactor::default()).expect("trace");
    let manifest = serde_json::json!({"manifest_version": 2, "playbook": {"name": "bench"}, "inputs": [],
        "grants": [{"id": "g1", "capability": "fs.read", "effect": "read", "scope": {"path": "input.txt"}}]});
    let digest = playbook::trace::sha256_hex(playbook::trace::canonical(&manifest).as_bytes());
    r.append(
        "run-start",
        serde_json::json!({"playbook": "bench", "component_sha256": "00", "manifest_sha256": digest, "manifest": manifest}),
    );
    let mut n = 1;
    while n + 3 < EVENTS {
        let call = r.append(
            "call",
            serde_json::json!({"iface": "fs", "req": {"grant": 0, "op": "read", "tool": "cat", "paths": ["input.txt"]},
                               "io": {"stdin": "", "capture": false, "merge": false, "discard": false}}),
        );
        r.append(
            "decision",
            serde_json::json!({"capability": "fs.read", "effect": "read", "scope": {"path": "input.txt"},
                               "need_effect": "read", "grant": "g1", "privileged": false, "decision": "allowed", "match": "exact"}),
        );
        r.append(
            "result",
            serde_json::json!({"call": call, "status": 0, "stdout": "", "stderr": "", "shown": "line 1\nline 2\n"}),
        );
        n += 3;
    }
    r.append("run-end", serde_json::json!({"status": 0}));
    r.seal("00", &digest, serde_json::json!({}));
    path
}

fn main() {
    let runs: usize = std::env::var("PLAYBOOK_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let work = std::env::temp_dir().join(format!("playbook-trace-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");
    let trace = big_trace(&work);
    let public = seal::load_public(&work.join("bench.pub")).expect("public key");
    let events = std::fs::read_to_string(&trace).expect("trace").lines().count();
    let bytes = std::fs::metadata(&trace).expect("size").len();
    let mut inproc = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let r = verify::verify(&trace, Some(&public), None).expect("verify");
        inproc.push(start.elapsed().as_secs_f64());
        assert!(r.ok() && r.signature_verified, "{:?}", r.error);
    }
    let playbook = env!("CARGO_BIN_EXE_playbook");
    let mut whole = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let st = Command::new(playbook)
            .args(["verify", trace.to_str().unwrap(), "--pubkey", work.join("bench.pub").to_str().unwrap()])
            .stdout(Stdio::null())
            .status()
            .expect("verify");
        whole.push(start.elapsed().as_secs_f64());
        assert!(st.success());
    }
    let (m1, m2) = (median(inproc), median(whole));
    // The trace's size and event count are far below 2^52: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let (megabytes, count) = (bytes as f64 / 1e6, events as f64);
    println!("\nverify: {events} events, {megabytes:.1} MB, signed, with checkpoints every 1000 events, {runs} runs");
    println!("  in process      {:>8.1} ms  {:>10.0} events/s", m1 * 1000.0, count / m1);
    println!("  playbook verify {:>8.1} ms  {:>10.0} events/s (whole process)", m2 * 1000.0, count / m2);
    let pubkey = work.join("bench.pub");
    if let Some(mb) =
        common::peak_rss_mb(playbook, &["verify", trace.to_str().unwrap(), "--pubkey", pubkey.to_str().unwrap()])
    {
        println!("  playbook verify peak RSS {mb:.1} MB");
    }

    // Replay against run: a 20-step runbook of files and programs.
    let mut md = String::from("# Twenty\n");
    for i in 0..20 {
        let c = match i % 4 {
            0 => "cat input.txt",
            1 => "tail -n 5 input.txt",
            2 => "echo x >> out.log",
            _ => "true",
        };
        let _ = write!(md, "\n## Step {i}\n\n```bash\n{c}\n```\n");
    }
    std::fs::write(work.join("twenty.md"), md).expect("runbook");
    let input = (1..=50).fold(String::new(), |mut out, i| {
        let _ = writeln!(out, "line {i}");
        out
    });
    std::fs::write(work.join("input.txt"), input).expect("input");
    let st = Command::new(playbook)
        .args(["compile", "twenty.md", "-o", "twenty.wasm"])
        .current_dir(&work)
        .status()
        .expect("compile");
    assert!(st.success());
    let time = |args: &[&str]| {
        let mut v = Vec::new();
        for _ in 0..runs + 2 {
            let start = Instant::now();
            let st = Command::new(playbook)
                .args(args)
                .current_dir(&work)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run");
            v.push(start.elapsed().as_secs_f64() * 1000.0);
            assert!(st.success(), "{args:?}");
        }
        median(v.split_off(2))
    };
    let run = time(&["run", "twenty.wasm", "--yes", "--trace", "twenty.jsonl"]);
    let replay = time(&["replay", "twenty.jsonl", "--playbook", "twenty.wasm", "--quiet"]);
    println!("replay of a 20-step run: {replay:.2} ms (the run itself: {run:.2} ms), whole process");
    println!("target: verify ≥ 200,000 events/s");
    if std::env::var_os("PLAYBOOK_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}

//! Whole-process benchmark of the data plane (issue 19): pipelines over a 1 GB log and over
//! 200 MB of container logs, under `playbook run --yes` and under bash, side by side in one
//! run: wall time (median) and peak resident memory (GNU time), and whether the outputs match.
//!
//! `cargo bench -p playbook --bench streams` (`PLAYBOOK_BENCH_RUNS`, default 5;
//! `PLAYBOOK_BENCH_GB` the log's size in GB, default 1). The Docker part needs the engine and
//! the test image of `tests/env/up`; without them it is left out, and says so. Not a test: it
//! measures and reports.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `program ARGS…` in `dir`: wall time and standard output.
fn once(dir: &Path, program: &str, args: &[&str]) -> (Duration, Vec<u8>) {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run");
    (start.elapsed(), out.stdout)
}

fn median(mut t: Vec<Duration>) -> f64 {
    t.sort();
    t[t.len() / 2].as_secs_f64() * 1000.0
}

/// One pipeline under bash and under playbook: the row of the table.
fn compare(dir: &Path, runs: usize, label: &str, line: &str) {
    let rb = dir.join(format!("{}.md", label.replace(|c: char| !c.is_ascii_alphanumeric(), "-")));
    std::fs::write(&rb, format!("# Bench\n\n## Pipeline\n\n```bash\n{line}\n```\n")).unwrap();
    let rb = rb.to_str().unwrap().to_string();
    let pb = env!("CARGO_BIN_EXE_playbook");
    let pb_args = ["run", rb.as_str(), "--yes", "--trace", "off", "--workdir", dir.to_str().unwrap()];
    let bash_args = ["-c", line];
    // A warm-up each: the page cache holds the file, the component cache the playbook.
    let (_, want) = once(dir, "bash", &bash_args);
    let (_, got) = once(dir, pb, &pb_args);
    let (mut tb, mut tp) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        tb.push(once(dir, "bash", &bash_args).0);
        tp.push(once(dir, pb, &pb_args).0);
    }
    let (mb, mp) = (median(tb), median(tp));
    let rss = |p: &str, a: &[&str]| {
        std::env::set_current_dir(dir).ok();
        common::peak_rss_mb(p, a).map_or_else(|| "n/a".into(), |m| format!("{m:.1}"))
    };
    println!(
        "{label:<44} {mb:>9.1} {mp:>9.1} {:>7.2} {:>9} {:>9}  {}",
        mp / mb,
        rss("bash", &bash_args),
        rss(pb, &pb_args),
        if got == want { "same".to_string() } else { format!("DIFFER: {:?}", String::from_utf8_lossy(&got)) }
    );
}

fn header(what: &str, runs: usize) {
    println!("\n{what}: median of {runs} runs after a warm-up, whole process, `--trace off`");
    println!(
        "{:<44} {:>9} {:>9} {:>7} {:>9} {:>9}  output",
        "pipeline", "bash ms", "pb ms", "× bash", "bash MB", "pb MB"
    );
}

fn main() {
    let runs: usize = std::env::var("PLAYBOOK_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let gb: f64 = std::env::var("PLAYBOOK_BENCH_GB").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let dir = std::env::temp_dir().join(format!("playbook-bench-streams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The log: access lines, one in eight an error, written in chunks.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let target = (gb * 1e9) as u64;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("big.log")).unwrap());
    let (mut written, mut i) = (0u64, 0u64);
    while written < target {
        let line = format!(
            "2026-12-03T10:{:02}:{:02}Z {} req={i} served /api/v1/orders/{} in {}ms\n",
            i / 60 % 60,
            i % 60,
            if i % 8 == 0 { "ERROR" } else { "INFO " },
            i % 9973,
            i % 97
        );
        f.write_all(line.as_bytes()).unwrap();
        written += line.len() as u64;
        i += 1;
    }
    f.flush().unwrap();
    drop(f);
    #[allow(clippy::cast_precision_loss)]
    let gb_written = written as f64 / 1e9;
    header(&format!("a {gb_written:.2} GB log ({i} lines)"), runs);
    for (label, line) in [
        ("cat big.log | wc -c", "cat big.log | wc -c"),
        ("grep -c served big.log", "grep -c served big.log"),
        ("cat big.log | grep -c ERROR", "cat big.log | grep -c ERROR"),
        ("cat big.log | grep served | tail -n 2", "cat big.log | grep served | tail -n 2"),
        ("cat big.log | head -n 3", "cat big.log | head -n 3"),
    ] {
        compare(&dir, runs, label, line);
    }
    let _ = std::fs::remove_file(dir.join("big.log"));
    // Container logs: a container that wrote 200 MB of lines.
    // (`PLAYBOOK_BENCH_DOCKER=0` leaves the container logs out: they take minutes.)
    let wanted = std::env::var("PLAYBOOK_BENCH_DOCKER").map_or(true, |v| v != "0");
    let engine = wanted
        && Command::new("docker")
            .args(["image", "inspect", "--format", "{{.Id}}", "storycore/advanced-workflows:latest"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if engine {
        let name = format!("playbook-bench-logs-{}", std::process::id());
        let made = Command::new("docker")
            .args([
                "run",
                "--name",
                &name,
                "storycore/advanced-workflows:latest",
                "sh",
                "-c",
                "yes 'ERROR upstream timed out while reading response header' | head -n 3700000",
            ])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if made {
            header("200 MB of container logs (3,700,000 lines)", runs);
            compare(
                &dir,
                runs,
                "docker logs app 2>&1 | grep -c ERROR",
                &format!("docker logs {name} 2>&1 | grep -c ERROR"),
            );
            compare(&dir, runs, "docker logs app | wc -c", &format!("docker logs {name} | wc -c"));
            compare(&dir, runs, "docker logs app | tail -n 1", &format!("docker logs {name} | tail -n 1"));
        }
        let _ = Command::new("docker").args(["rm", "-f", &name]).stdout(Stdio::null()).status();
    } else {
        println!("\n(no Docker engine with the test image: container logs left out; tests/env/up starts it)");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

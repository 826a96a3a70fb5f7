//! The cost of the kernel jail per program start: a runbook of N program runs (`uname -s`, a
//! read program) run whole-process with jails and with `--unconfined`; the difference divided by
//! N is what one jail costs (Landlock ruleset and its path rules, the seccomp filter, dropping
//! capabilities, all built per start). Also one `exec` program (`/usr/bin/env true`), whose jail
//! carries more rules.
//!
//! `cargo bench -p playbook --bench jail`. Measures and reports; asserts nothing about time.
//! `PLAYBOOK_BENCH_RUNS` sets the number of runs (default 10).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const STARTS: usize = 200;

fn runbook(dir: &std::path::Path, name: &str, line: &str) -> String {
    let body = format!("{line} >/dev/null\n").repeat(STARTS);
    let p = dir.join(name);
    std::fs::write(&p, format!("# Jail bench\n\n```bash\n{body}```\n")).expect("write runbook");
    p.to_string_lossy().into_owned()
}

fn once(dir: &std::path::Path, rb: &str, extra: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", rb, "--workdir", dir.to_str().unwrap(), "--yes", "--trace", "off"])
        .args(extra)
        .env("PLAYBOOK_CACHE_DIR", dir.join("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run playbook");
    let elapsed = start.elapsed();
    assert!(status.success(), "playbook run {rb} {extra:?} failed");
    elapsed
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("PLAYBOOK_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("playbook-bench-jail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    println!("\nthe jail per program start: {STARTS} starts per run, median of {runs} runs after 2 warm-ups");
    println!("{:<28} {:>12} {:>14} {:>16}", "program", "jailed ms", "unconfined ms", "jail µs / start");
    for (label, line) in [("uname -s (read jail)", "uname -s"), ("/usr/bin/env true (exec jail)", "/usr/bin/env true")]
    {
        let rb = runbook(&dir, &format!("{}.md", label.split(' ').next().unwrap_or("x").replace('/', "_")), line);
        for _ in 0..2 {
            once(&dir, &rb, &[]);
            once(&dir, &rb, &["--unconfined"]);
        }
        let jailed = median((0..runs).map(|_| once(&dir, &rb, &[])).collect());
        let free = median((0..runs).map(|_| once(&dir, &rb, &["--unconfined"])).collect());
        #[allow(clippy::cast_precision_loss)] // 200 starts and a few seconds: exact in f64
        let per = (jailed.as_secs_f64() - free.as_secs_f64()) * 1e6 / STARTS as f64;
        println!("{label:<28} {:>12.1} {:>14.1} {per:>16.1}", jailed.as_secs_f64() * 1e3, free.as_secs_f64() * 1e3);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! Whole-process benchmarks on each seed runbook: `playbook manifest` and `playbook compile`
//! (DESIGN §10: ≤ 10 ms median), and the size of each compiled component (target ≤ 64 KB).
//!
//! Run with `cargo bench -p playbook --bench cli`. Not a test: it measures and reports, it
//! asserts nothing about time. Set `PLAYBOOK_BENCH_RUNS` to change the number of runs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seeds() -> Vec<PathBuf> {
    let dir = std::env::var_os("PLAYBOOK_SEEDS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds"), PathBuf::from);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seeds at {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn time_once(args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run playbook");
    let elapsed = start.elapsed();
    assert!(status.success(), "playbook {args:?} failed");
    elapsed
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn measure(label: &str, runs: usize, args_of: &dyn Fn(&str) -> Vec<String>, size_of: Option<&dyn Fn(&str) -> u64>) {
    println!("\nplaybook {label}, whole process, {runs} runs after 5 warm-ups (target: median <= 10 ms)");
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "seed",
        "median ms",
        "min ms",
        "max ms",
        if size_of.is_some() { "component B" } else { "source B" },
        "peak RSS MB"
    );
    for seed in seeds() {
        let p = seed.to_str().unwrap();
        let args = args_of(p);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for _ in 0..5 {
            time_once(&args);
        }
        let mut t: Vec<Duration> = (0..runs).map(|_| time_once(&args)).collect();
        t.sort();
        let size = match size_of {
            Some(f) => f(p),
            None => std::fs::metadata(&seed).map_or(0, |m| m.len()),
        };
        let rss = common::peak_rss_mb(env!("CARGO_BIN_EXE_playbook"), &args)
            .map_or_else(|| "n/a".to_string(), |m| format!("{m:.1}"));
        println!(
            "{:<28} {:>10.2} {:>10.2} {:>10.2} {:>12} {:>12}",
            seed.file_name().unwrap().to_string_lossy(),
            ms(t[t.len() / 2]),
            ms(t[0]),
            ms(t[t.len() - 1]),
            size,
            rss
        );
    }
}

fn main() {
    let runs: usize = std::env::var("PLAYBOOK_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let out = std::env::temp_dir().join(format!("playbook-bench-{}.wasm", std::process::id()));
    let out_s = out.to_str().unwrap().to_string();
    measure("manifest", runs, &|p| vec!["manifest".into(), p.into()], None);
    let size = |_: &str| std::fs::metadata(&out).map_or(0, |m| m.len());
    measure("compile", runs, &|p| vec!["compile".into(), p.into(), "-o".into(), out_s.clone()], Some(&size));
    let _ = std::fs::remove_file(&out);
}

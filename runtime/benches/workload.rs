//! The 20-step workload of DESIGN §10, whole process, side by side in one run: `playbook run`
//! of a runbook with twenty one-command steps (8 × `curl -sf` to a loopback HTTP server,
//! 4 file reads, 4 appends, 4 × `true`) against `bash` running the same twenty commands, and
//! the same run with `--trace off`: the cost of the audit trace.
//!
//! Run with `cargo bench -p playbook --bench workload`. It measures and reports; it asserts
//! nothing about time. `PLAYBOOK_BENCH_RUNS` sets the number of timed runs (default 20), taken
//! in alternation after warm-ups. Peak memory is read with GNU time (`/usr/bin/time -f %M`)
//! when it is installed.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The twenty commands, in order: each is one step of the runbook and one line of the script.
fn commands() -> Vec<String> {
    let mut v = Vec::new();
    for round in 0..4 {
        v.push("curl -sf \"http://127.0.0.1:$PORT/health\"".to_string());
        v.push("curl -sf \"http://127.0.0.1:$PORT/health\"".to_string());
        v.push(if round % 2 == 0 { "cat input.txt" } else { "tail -n 5 input.txt" }.to_string());
        v.push("echo x >> out.log".to_string());
        v.push("true".to_string());
    }
    v
}

fn runbook() -> String {
    let mut md = String::from("# Twenty steps\n\nThe workload of DESIGN §10.\n");
    for (i, c) in commands().iter().enumerate() {
        md.push_str(&format!("\n## Step {}\n\n```bash\n{c}\n```\n", i + 1));
    }
    md
}

fn script() -> String {
    let mut s = String::from("set -euo pipefail\n");
    for c in commands() {
        s.push_str(&c);
        s.push('\n');
    }
    s
}

/// A minimal HTTP/1.1 server answering `ok` to every request, on its own threads.
fn serve() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut r = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                while r.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let mut s = stream;
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
            });
        }
    });
    port
}

struct Sample {
    wall: Duration,
    rss_kb: Option<u64>,
}

fn time_available() -> bool {
    Command::new("/usr/bin/time").args(["-f", "%M", "true"]).output().is_ok_and(|o| o.status.success())
}

fn once(argv: &[String], work: &Path, port: u16, with_time: bool) -> Sample {
    let _ = std::fs::write(work.join("out.log"), "");
    let report = work.join("time.txt");
    let mut cmd = if with_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&report).args(argv);
        c
    } else {
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..]);
        c
    };
    cmd.current_dir(work).env("PORT", port.to_string()).stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let status = cmd.status().expect("run");
    let wall = start.elapsed();
    assert!(status.success(), "{argv:?} failed");
    let lines = std::fs::read_to_string(work.join("out.log")).unwrap_or_default().lines().count();
    assert_eq!(lines, 4, "{argv:?} did not append four lines");
    let rss_kb = with_time
        .then(|| std::fs::read_to_string(&report).ok())
        .flatten()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()));
    Sample { wall, rss_kb }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("PLAYBOOK_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let work = std::env::temp_dir().join(format!("playbook-workload-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work dir");
    let input: String = (1..=50).map(|i| format!("line {i}\n")).collect();
    std::fs::write(work.join("input.txt"), input).expect("input");
    std::fs::write(work.join("runbook.md"), runbook()).expect("runbook");
    std::fs::write(work.join("workload.sh"), script()).expect("script");
    let port = serve();
    let with_time = time_available();
    let playbook = env!("CARGO_BIN_EXE_playbook").to_string();
    let cache = work.join("cache");
    let tools: Vec<(&str, Vec<String>)> = vec![
        ("bash", vec!["bash".into(), "workload.sh".into()]),
        (
            "playbook run (runbook.md)",
            vec![
                playbook.clone(),
                "run".into(),
                "runbook.md".into(),
                "--yes".into(),
                "--trace".into(),
                "t.jsonl".into(),
            ],
        ),
        (
            "  same, --trace off",
            vec![playbook.clone(), "run".into(), "runbook.md".into(), "--yes".into(), "--trace".into(), "off".into()],
        ),
    ];
    let compiled = work.join("workload.wasm");
    let st = Command::new(&playbook)
        .args(["compile", "runbook.md", "-o"])
        .arg(&compiled)
        .current_dir(&work)
        .status()
        .expect("compile");
    assert!(st.success());
    let mut tools = tools;
    tools.push((
        "playbook run (workload.wasm)",
        vec![
            playbook.clone(),
            "run".into(),
            compiled.display().to_string(),
            "--yes".into(),
            "--trace".into(),
            "t.jsonl".into(),
        ],
    ));

    // The cache is the runtime's default one unless PLAYBOOK_CACHE_DIR says otherwise; cold
    // starts are measured separately below with a fresh cache directory each time.
    for (_, argv) in &tools {
        for _ in 0..3 {
            once(argv, &work, port, false);
        }
    }
    let mut samples: Vec<Vec<Sample>> = tools.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (i, (_, argv)) in tools.iter().enumerate() {
            samples[i].push(once(argv, &work, port, with_time));
        }
    }
    // Cold start: a fresh cache directory, so Cranelift compiles the component.
    let mut cold = Vec::new();
    for k in 0..runs.min(10) {
        let dir = cache.join(format!("cold-{k}"));
        let start = Instant::now();
        let st = Command::new(&playbook)
            .args(["run", "runbook.md", "--yes", "--trace", "t.jsonl"])
            .current_dir(&work)
            .env("PORT", port.to_string())
            .env("PLAYBOOK_CACHE_DIR", &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        cold.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(st.success());
    }

    println!("\n20-step workload (DESIGN §10), whole process, {runs} alternating runs after 3 warm-ups each");
    println!(
        "{:<30} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "tool", "median ms", "min ms", "max ms", "× bash", "peak RSS MB"
    );
    let bash_median = median(samples[0].iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect());
    for (i, (name, _)) in tools.iter().enumerate() {
        let ms: Vec<f64> = samples[i].iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect();
        let (lo, hi) = (ms.iter().copied().fold(f64::MAX, f64::min), ms.iter().copied().fold(0.0, f64::max));
        let m = median(ms);
        let rss: Vec<f64> = samples[i].iter().filter_map(|s| s.rss_kb).map(|k| k as f64 / 1024.0).collect();
        let rss = if rss.is_empty() { "n/a".to_string() } else { format!("{:.1}", median(rss)) };
        println!("{name:<30} {m:>10.2} {lo:>10.2} {hi:>10.2} {:>10.2} {rss:>12}", m / bash_median);
    }
    println!(
        "{:<30} {:>10.2}   (fresh cache each run: Cranelift compiles the component)",
        "playbook run, cold cache",
        median(cold)
    );
    let traced = median(samples[1].iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect());
    let untraced = median(samples[2].iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect());
    println!(
        "cost of the trace: {:+.1} % ({traced:.2} ms traced vs {untraced:.2} ms with --trace off)",
        (traced / untraced - 1.0) * 100.0
    );
    println!("targets: playbook ≤ 0.5 × bash; peak memory ≤ 40 MB; tracing ≤ +10 %");
    let _ = std::fs::remove_dir_all(&work);
}

//! The 20-step workload of DESIGN §10, whole process, side by side in one run: `playbook run`
//! of a runbook with twenty one-command steps (8 × `curl -sf` to a loopback HTTP server,
//! 4 file reads, 4 appends, 4 × `true`) against `bash` running the same twenty commands, and
//! the same run with `--trace off`: the cost of the audit trace.
//!
//! With `PLAYBOOK_BENCH_ANSIBLE=/path/to/ansible-playbook` (`bench/suite` installs ansible-core
//! in a virtual environment) the same twenty commands also run as an Ansible play
//! (`connection: local`, `gather_facts: false`, one `shell` task per command).
//!
//! Run with `cargo bench -p playbook --bench workload`. It measures and reports; it asserts
//! nothing about time. `PLAYBOOK_BENCH_RUNS` sets the number of timed runs (default 20), taken
//! in alternation after warm-ups (`PLAYBOOK_BENCH_ANSIBLE_RUNS`, default 5, for Ansible, which
//! takes seconds per run). Peak memory is read with GNU time (`/usr/bin/time -f %M`) when it
//! is installed. The figures also go to `$PLAYBOOK_BENCH_OUT` (default `target/bench-results`)
//! as `workload.json` and a bar chart, `workload.svg`.

use std::fmt::Write as _;
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
        let _ = write!(md, "\n## Step {}\n\n```bash\n{c}\n```\n", i + 1);
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

/// The same commands as an Ansible play against localhost.
fn ansible_play() -> String {
    let mut y = String::from(
        "- name: twenty steps\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  vars:\n    ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n  environment:\n    PORT: \"{{ lookup('env', 'PORT') }}\"\n  tasks:\n",
    );
    for (i, c) in commands().iter().enumerate() {
        let _ = write!(
            y,
            "    - name: step {}\n      ansible.builtin.shell: {}\n      args:\n        chdir: \"{{{{ work }}}}\"\n",
            i + 1,
            serde_json::to_string(c).expect("yaml string")
        );
    }
    y
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
    let input = (1..=50).fold(String::new(), |mut out, i| {
        let _ = writeln!(out, "line {i}");
        out
    });
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
            "playbook run, --trace off",
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

    // Ansible, when given: seconds per run, so fewer runs, after one warm-up.
    let mut rows: Vec<(String, Vec<Sample>)> = tools.iter().map(|(n, _)| (*n).to_string()).zip(samples).collect();
    if let Some(ap) = std::env::var_os("PLAYBOOK_BENCH_ANSIBLE") {
        let n: usize = std::env::var("PLAYBOOK_BENCH_ANSIBLE_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
        std::fs::write(work.join("play.yml"), ansible_play()).expect("play");
        let home = work.join("ansible-home");
        std::fs::create_dir_all(&home).expect("ansible home");
        // Through `env`, so that Ansible's own state stays in the work directory.
        let argv = vec![
            "env".to_string(),
            format!("ANSIBLE_HOME={}", home.display()),
            format!("ANSIBLE_LOCAL_TEMP={}", home.join("tmp").display()),
            ap.to_string_lossy().into_owned(),
            "-i".into(),
            "localhost,".into(),
            "play.yml".into(),
            "-e".into(),
            format!("work={}", work.display()),
        ];
        once(&argv, &work, port, false);
        let ansible: Vec<Sample> = (0..n).map(|_| once(&argv, &work, port, with_time)).collect();
        rows.push(("ansible-playbook (shell tasks)".to_string(), ansible));
    }

    println!("\n20-step workload (DESIGN §10), whole process, {runs} alternating runs after 3 warm-ups each");
    println!(
        "{:<32} {:>5} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "tool", "runs", "median ms", "min ms", "max ms", "× bash", "peak RSS MB"
    );
    let ms_of = |v: &[Sample]| v.iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect::<Vec<f64>>();
    let bash_median = median(ms_of(&rows[0].1));
    let mut json_rows = Vec::new();
    for (name, samples) in &rows {
        let ms = ms_of(samples);
        let (lo, hi) = (ms.iter().copied().fold(f64::MAX, f64::min), ms.iter().copied().fold(0.0, f64::max));
        let m = median(ms.clone());
        // Resident sizes in KiB are far below 2^52: exact as f64.
        #[allow(clippy::cast_precision_loss)]
        let rss: Vec<f64> = samples.iter().filter_map(|s| s.rss_kb).map(|k| k as f64 / 1024.0).collect();
        let rss_m = (!rss.is_empty()).then(|| median(rss));
        let rss_s = rss_m.map_or_else(|| "n/a".to_string(), |r| format!("{r:.1}"));
        println!("{name:<32} {:>5} {m:>10.2} {lo:>10.2} {hi:>10.2} {:>10.2} {rss_s:>12}", ms.len(), m / bash_median);
        json_rows.push(serde_json::json!({
            "tool": name.trim(), "runs": ms.len(), "median_ms": m, "min_ms": lo, "max_ms": hi,
            "ratio_to_bash": m / bash_median, "peak_rss_mb": rss_m,
        }));
    }
    let cold_ms = median(cold.clone());
    println!(
        "{:<32} {:>5} {cold_ms:>10.2}   (fresh cache each run: Cranelift compiles the component)",
        "playbook run, cold cache",
        cold.len()
    );
    json_rows.push(serde_json::json!({ "tool": "playbook run, cold cache", "runs": cold.len(), "median_ms": cold_ms, "ratio_to_bash": cold_ms / bash_median }));
    let traced = median(ms_of(&rows[1].1));
    let untraced = median(ms_of(&rows[2].1));
    println!(
        "cost of the trace: {:+.1} % ({traced:.2} ms traced vs {untraced:.2} ms with --trace off)",
        (traced / untraced - 1.0) * 100.0
    );
    let ansible = rows.iter().find(|(n, _)| n.starts_with("ansible")).map(|(_, s)| median(ms_of(s)));
    if let Some(a) = ansible {
        println!(
            "playbook run (runbook.md) is {:.0}× faster than ansible-playbook ({a:.0} ms vs {traced:.2} ms)",
            a / traced
        );
    }
    println!(
        "targets: playbook ≤ 0.5 × bash; ≥ 100 × faster than ansible-playbook; peak memory ≤ 40 MB; tracing ≤ +10 %"
    );
    let out = std::env::var_os("PLAYBOOK_BENCH_OUT").map_or_else(
        || std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-results")),
        std::path::PathBuf::from,
    );
    if std::fs::create_dir_all(&out).is_ok() {
        let doc = serde_json::json!({
            "runs": runs, "rows": json_rows, "trace_cost_percent": (traced / untraced - 1.0) * 100.0,
            "ansible_over_playbook": ansible.map(|a| a / traced),
        });
        let _ = std::fs::write(out.join("workload.json"), serde_json::to_string_pretty(&doc).unwrap_or_default());
        let bars: Vec<(String, f64)> = json_rows
            .iter()
            .map(|r| (r["tool"].as_str().unwrap_or_default().to_string(), r["median_ms"].as_f64().unwrap_or(0.0)))
            .collect();
        let _ = std::fs::write(
            out.join("workload.svg"),
            bar_chart("20-step workload: median wall time (log scale)", &bars),
        );
        println!("written: {}/workload.json, workload.svg", out.display());
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// A horizontal bar chart on a logarithmic axis, as a standalone SVG.
fn bar_chart(title: &str, bars: &[(String, f64)]) -> String {
    let (left, width, row) = (260.0, 440.0, 26.0);
    let max = bars.iter().map(|b| b.1).fold(1.0, f64::max);
    let decades = max.log10().ceil().max(1.0);
    let x = |v: f64| left + width * (v.max(1.0).log10() / decades);
    // A few bars: their count is exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let height = 60.0 + row * bars.len() as f64 + 30.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<text x=\"10\" y=\"20\" font-size=\"14\">{title}</text>\n",
        left + width + 90.0
    );
    // A whole number of decades of milliseconds, at least 1 and a handful at most: exact as i32.
    #[allow(clippy::cast_possible_truncation)]
    let top = decades as i32;
    for d in 0..=top {
        let v = 10f64.powi(d);
        let gx = x(v);
        let _ = writeln!(
            svg,
            "<line x1=\"{gx}\" y1=\"40\" x2=\"{gx}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{gx}\" y=\"{}\" text-anchor=\"middle\" fill=\"#666\">{} ms</text>",
            height - 25.0,
            height - 10.0,
            v
        );
    }
    for (i, (name, v)) in bars.iter().enumerate() {
        // A bar's index, like their count above, is exact as f64.
        #[allow(clippy::cast_precision_loss)]
        let y = 45.0 + row * i as f64;
        let colour = if name.starts_with("playbook") { "#2b6cb0" } else { "#a0aec0" };
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{name}</text><rect x=\"{left}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\">{v:.1}</text>",
            left - 8.0,
            y + 14.0,
            (x(*v) - left).max(1.0),
            row - 8.0,
            x(*v) + 4.0,
            y + 14.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

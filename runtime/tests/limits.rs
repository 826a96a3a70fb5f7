//! Limits a run cannot talk its way past: SIGINT/SIGTERM end it within a tick however tight its
//! loop (epoch interruption, and a check at every host call), the trace's size cap stops it
//! cleanly and sealed, `sleep` is bounded by `--timeout`, and anything after the seal makes
//! `verify` fail. Real processes, real signals, real files.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::crafted::events;
use common::{playbook, read, runbook, text, workdir, write};

/// Waits until `cond` holds (at most `secs`).
fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// `playbook run RUNBOOK --workdir DIR ARGS…` started in the background, output piped.
fn spawn(dir: &Path, runbook: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", runbook, "--workdir", dir.to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` once the trace shows `ready`, and returns the output and how long the process
/// took to end after the signal.
fn signal_when(
    child: Child,
    trace: &Path,
    ready: impl Fn(&str) -> bool,
    signal: nix::sys::signal::Signal,
) -> (Output, Duration) {
    assert!(
        wait_for(30, || std::fs::read_to_string(trace).is_ok_and(|t| ready(&t))),
        "the run did not get going: {:?}",
        std::fs::read_to_string(trace).ok().map(|t| t.len())
    );
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    let sent = Instant::now();
    nix::sys::signal::kill(pid, signal).unwrap();
    let o = child.wait_with_output().unwrap();
    (o, sent.elapsed())
}

/// The run ended by `signal`: its status, an `interrupted` event, a signed checkpoint last, and
/// `verify` says it was interrupted (exit 3) with every signature good.
fn assert_interrupted(dir: &Path, trace: &Path, o: &Output, took: Duration, code: i32, signal: &str) {
    let out = text(o);
    assert_eq!(o.status.code(), Some(code), "{out}");
    // A liveness bound, generous for a loaded machine: the tick is 10 ms.
    assert!(took < Duration::from_secs(3), "the run took {took:?} to stop after {signal}: {out}");
    assert!(out.contains(&format!("interrupted by {signal}")), "{out}");
    let ev = events(trace);
    let at = ev.iter().position(|e| e["kind"] == "interrupted").expect("an interrupted event");
    assert_eq!(ev[at]["signal"], signal);
    assert_eq!(ev[at + 1]["kind"], "run-end");
    assert_eq!(ev.last().unwrap()["kind"], "checkpoint", "a signed checkpoint closes the interrupted trace");
    let v = playbook(dir, &["verify", trace.to_str().unwrap(), "--pubkey", "k.pub"]);
    let vout = text(&v);
    assert_eq!(v.status.code(), Some(3), "{vout}");
    assert!(vout.contains(&format!("interrupted by {signal}")) && vout.contains("(signatures verified)"), "{vout}");
}

#[test]
fn sigterm_ends_a_tight_loop_of_host_calls_at_once() {
    let dir = workdir("limits-term");
    assert!(playbook(&dir, &["keygen", "--out", "k"]).status.success());
    // `[ -f x ]` is a file test: a host call (intent, decision, result) each time round.
    let md = runbook(&dir, "loop.md", "# Loop\n\n## Spin\n\n```bash\nwhile true; do\n  [ -f x ]\ndone\n```\n");
    let trace = dir.join("t.jsonl");
    let child = spawn(&dir, &md, &["--key", "k.key", "--trace", trace.to_str().unwrap()]);
    let (o, took) =
        signal_when(child, &trace, |t| t.matches("\"op\":\"stat\"").count() > 200, nix::sys::signal::Signal::SIGTERM);
    assert_interrupted(&dir, &trace, &o, took, 143, "SIGTERM");
    // After the signal no call started: the last call has its result.
    let ev = events(&trace);
    let last_call = ev.iter().rposition(|e| e["kind"] == "call").unwrap();
    assert!(ev[last_call..].iter().any(|e| e["kind"] == "result"), "no call is left in flight");
}

#[test]
fn sigint_ends_a_guest_loop_that_makes_no_host_call() {
    let dir = workdir("limits-int");
    assert!(playbook(&dir, &["keygen", "--out", "k"]).status.success());
    // Nothing here reaches the host: only the epoch stops it (before its fuel runs out).
    let md = runbook(&dir, "spin.md", "# Spin\n\n## Spin\n\n```bash\nwhile true; do\n  true\ndone\n```\n");
    let trace = dir.join("t.jsonl");
    let child = spawn(&dir, &md, &["--key", "k.key", "--trace", trace.to_str().unwrap()]);
    let (o, took) = signal_when(child, &trace, |t| t.contains("\"step-start\""), nix::sys::signal::Signal::SIGINT);
    assert_interrupted(&dir, &trace, &o, took, 130, "SIGINT");
    assert!(!text(&o).contains("ran out of fuel"), "{}", text(&o));
}

#[test]
fn a_signal_ends_a_question_on_the_terminal_at_once() {
    let dir = workdir("limits-ask");
    let md = runbook(&dir, "ask.md", "# Ask\n\n## Say\n\n```bash\necho \"id is <machine-id>\"\n```\n");
    signal_during_question(&dir, &md, "input `machine_id`");
}

#[test]
fn a_signal_ends_a_confirmation_question_at_once_and_nothing_is_removed() {
    let dir = workdir("limits-confirm");
    std::fs::write(dir.join("old.log"), "keep me\n").unwrap();
    let md = runbook(&dir, "rm.md", "# Clean\n\n## Remove\n\n```bash\nrm old.log\n```\n");
    signal_during_question(&dir, &md, "go ahead? [y/N]");
    assert!(dir.join("old.log").exists(), "a question ended by a signal is not a yes");
    let ev = events(&dir.join("t.jsonl"));
    assert!(!ev.iter().any(|e| e["decision"] == "unconfirmed"), "nor a no: {ev:?}");
}

/// Runs `md` on a terminal (`script` gives it one: stdin and stderr), waits until it asks the
/// question shown as `asked`, sends SIGTERM, and checks that the run ends at once with 143.
fn signal_during_question(dir: &std::path::Path, md: &str, asked: &str) {
    let inner =
        format!("exec {} run {md} --workdir {} --trace t.jsonl", env!("CARGO_BIN_EXE_playbook"), dir.to_str().unwrap());
    let Ok(mut script) = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        assert!(common::require("script(1), to give the run a terminal", false));
        return;
    };
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut out = script.stdout.take().unwrap();
    let shown = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = std::io::Read::read(&mut out, &mut buf) {
            shown.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    assert!(wait_for(30, || seen.lock().unwrap().contains(asked)), "{}", seen.lock().unwrap());
    let child = common::sh("pgrep", &["-P", &script.id().to_string()]).expect("the run under script");
    let pid = nix::unistd::Pid::from_raw(child.trim().parse().unwrap());
    let sent = Instant::now();
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    assert!(wait_for(3, || nix::sys::signal::kill(pid, None).is_err()), "the question held the run after SIGTERM");
    let took = sent.elapsed();
    let status = script.wait().unwrap();
    drop(script.stdin.take());
    let _ = reader.join();
    let out = seen.lock().unwrap().clone();
    assert!(took < Duration::from_secs(3), "{took:?}: {out}");
    assert!(out.contains("interrupted by SIGTERM") && out.contains("exit status 143"), "{out}");
    assert_eq!(status.code(), Some(143), "script passes the run's status on (-e): {out}");
    let ev = events(&dir.join("t.jsonl"));
    assert!(ev.iter().any(|e| e["kind"] == "interrupted"), "{ev:?}");
    assert!(!ev.iter().any(|e| e["kind"] == "denied"), "being stopped is not a denial: {ev:?}");
}

#[test]
fn the_trace_size_cap_stops_the_run_cleanly_and_sealed() {
    let dir = workdir("limits-cap");
    assert!(playbook(&dir, &["keygen", "--out", "k"]).status.success());
    let cap: u64 = 64 * 1024;
    // A loop that only prints: no host call to deny, the epoch stops it.
    let md = runbook(
        &dir,
        "print.md",
        "# Print\n\n## Say\n\n```bash\nwhile true; do\n  echo \"a line of output, again and again\"\ndone\n```\n",
    );
    let started = Instant::now();
    let o = playbook(
        &dir,
        &[
            "run",
            &md,
            "--workdir",
            dir.to_str().unwrap(),
            "--key",
            "k.key",
            "--trace",
            "p.jsonl",
            "--trace-max-bytes",
            "64K",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(started.elapsed() < Duration::from_secs(20), "stopped by the cap, not by its fuel");
    assert!(out.contains("the trace reached its size cap (65536 bytes"), "{out}");
    let trace = dir.join("p.jsonl");
    let size = std::fs::metadata(&trace).unwrap().len();
    assert!(size <= cap && size > cap / 2, "{size} bytes");
    let ev = events(&trace);
    let kinds: Vec<&str> = ev.iter().rev().take(3).map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["seal", "run-end", "limit"], "the limit, run-end and the seal fit the reserve");
    let limit = &ev[ev.len() - 3];
    assert_eq!((limit["limit"].as_str(), limit["max"].as_u64()), (Some("trace"), Some(cap)));
    assert_eq!(ev[ev.len() - 2]["limit"], "trace");
    let v = playbook(&dir, &["verify", "p.jsonl", "--pubkey", "k.pub"]);
    let vout = text(&v);
    assert_eq!(v.status.code(), Some(0), "{vout}");
    assert!(vout.contains("sealed and signed") && vout.contains("size cap"), "{vout}");

    // A loop of changes: every change made is in the trace (intent, decision, result), and
    // none is made once the cap is reached.
    let md =
        runbook(&dir, "append.md", "# Append\n\n## Grow\n\n```bash\nwhile true; do\n  echo x >> log.txt\ndone\n```\n");
    let o = playbook(
        &dir,
        &[
            "run",
            &md,
            "--workdir",
            dir.to_str().unwrap(),
            "--yes",
            "--key",
            "k.key",
            "--trace",
            "a.jsonl",
            "--trace-max-bytes",
            "64K",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("no call is made unrecorded"), "{out}");
    let trace = dir.join("a.jsonl");
    assert!(std::fs::metadata(&trace).unwrap().len() <= cap);
    let ev = events(&trace);
    let appends = read(&dir, "log.txt").unwrap_or_default().lines().count();
    let results = ev.iter().filter(|e| e["kind"] == "result" && e["status"] == 0).count();
    let confirmed = ev.iter().filter(|e| e["kind"] == "decision" && e["decision"] == "confirmed").count();
    assert!(appends > 10, "{appends}");
    // Each append is two recorded calls: its file opened, then written (the cap may fall
    // between the two of the last one).
    assert_eq!(results, confirmed, "each call recorded, none unrecorded");
    assert!(results == 2 * appends || results == 2 * appends + 1, "{results} calls for {appends} appends");
    let v = playbook(&dir, &["verify", "a.jsonl", "--pubkey", "k.pub"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));

    // The cap takes K, M and G, and refuses what leaves no room.
    let o = playbook(&dir, &["run", &md, "--workdir", dir.to_str().unwrap(), "--trace-max-bytes", "10K"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("under the smallest trace cap"), "{}", text(&o));
    let o = playbook(&dir, &["run", &md, "--workdir", dir.to_str().unwrap(), "--trace-max-bytes", "lots"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn sleep_is_bounded_by_the_timeout_and_says_so() {
    let dir = workdir("limits-sleep");
    let md = runbook(&dir, "s.md", "# S\n\n## Wait\n\n```bash\nsleep 8\necho woke\n```\n");
    let started = Instant::now();
    let o = playbook(&dir, &["run", &md, "--workdir", dir.to_str().unwrap(), "--timeout", "2", "--trace", "off"]);
    let took = started.elapsed();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("capped at 2s by --timeout") && out.contains("woke"), "{out}");
    assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(7), "{took:?}");
    // --max-wait, when shorter, is the one named.
    let o = playbook(
        &dir,
        &["run", &md, "--workdir", dir.to_str().unwrap(), "--timeout", "2", "--max-wait", "1", "--trace", "off"],
    );
    assert!(text(&o).contains("capped at 1s by --max-wait"), "{}", text(&o));
}

#[test]
fn anything_after_the_seal_makes_verify_fail() {
    let dir = workdir("limits-seal");
    let md = runbook(&dir, "d.md", "# D\n\n## Say\n\n```bash\necho hello\n```\n");
    let o = playbook(&dir, &["run", &md, "--workdir", dir.to_str().unwrap(), "--trace", "t.jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let sealed = std::fs::read_to_string(dir.join("t.jsonl")).unwrap();
    let n = sealed.lines().count();
    assert_eq!(playbook(&dir, &["verify", "t.jsonl"]).status.code(), Some(0));
    for (what, extra) in [
        ("an empty line", "\n"),
        ("a line that is not JSON", "garbage\n"),
        ("bytes without a newline", "{\"v\":1"),
        ("a copy of a line", &format!("{}\n", sealed.lines().nth(1).unwrap())),
    ] {
        write(&dir, "x.jsonl", &format!("{sealed}{extra}"));
        let v = playbook(&dir, &["verify", "x.jsonl"]);
        let vout = text(&v);
        assert_eq!(v.status.code(), Some(1), "{what}: {vout}");
        assert!(vout.contains("FAILED") && vout.contains(&format!("seq {n}")), "{what}: {vout}");
        // And nothing resumes it.
        let o = playbook(
            &dir,
            &["run", &md, "--workdir", dir.to_str().unwrap(), "--resume", "x.jsonl", "--resume-unverified"],
        );
        assert!(matches!(o.status.code(), Some(1 | 2)), "{what}: {}", text(&o));
    }
    // A line that is not JSON in the middle of an unsealed trace is an edit too; only a torn
    // last line (what a crash leaves) is incomplete.
    let lines: Vec<&str> = sealed.lines().collect();
    write(&dir, "m.jsonl", &format!("{}\nnot json\n{}\n", lines[..2].join("\n"), lines[2]));
    let v = playbook(&dir, &["verify", "m.jsonl"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("seq 2:") && text(&v).contains("line 3"), "{}", text(&v));
    write(&dir, "c.jsonl", &format!("{}\n{{\"v\":1,\"se", lines[..3].join("\n")));
    assert_eq!(playbook(&dir, &["verify", "c.jsonl"]).status.code(), Some(3));
}

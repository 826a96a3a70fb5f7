//! Faults from outside: the Docker engine stopping mid-run, HTTP servers that drop connections
//! or answer slowly, a trace that runs out of space or cannot be written, SIGTERM. Each time the
//! run says what happened, the trace verifies (sealed, or as an intact prefix), `--resume`
//! picks up an interrupted run, and no completed change is made twice. (SIGKILL at several
//! points is in trace.rs.)

mod common;

use std::io::Read as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::crafted::{denials, events, playbook, run_traced};
use common::{Server, read, require, runbook, sh, text, workdir, write};

/// Waits until `cond` holds (at most `secs`).
fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn trace_has(path: &Path, kind: &str) -> bool {
    events(path).iter().any(|e| e["kind"] == kind)
}

/// The dockerd that tests/env/up started (its command line is that script's).
const OUR_DOCKERD: &str = "dockerd --iptables=false --ip6tables=false --storage-driver=vfs";

/// Starts the engine again however the test ends.
struct RestartEngine;

impl Drop for RestartEngine {
    fn drop(&mut self) {
        let up = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/env/up");
        let o = Command::new(up).output().expect("tests/env/up");
        assert!(o.status.success(), "restarting the engine: {}", text(&o));
    }
}

#[test]
fn the_docker_engine_stopping_mid_run_is_reported_and_no_change_is_repeated() {
    let ours = sh("pgrep", &["-f", OUR_DOCKERD]).is_some();
    if !require("a Docker engine started by tests/env/up (this test stops and restarts it)", ours) {
        return;
    }
    let name = "pb-fault-engine";
    let _ = sh("docker", &["rm", "-f", name]);
    assert!(sh("docker", &["run", "-d", "--name", name, "--network", "none", "playbook-test:latest"]).is_some());
    let dir = workdir("fault-engine");
    let md = format!(
        "# Engine\n\n## Restart\n\n```bash\ndocker restart {name}\n```\n\n## Pause\n\n```bash\nsleep 4\n```\n\n## Check\n\n```bash\ndocker inspect -f '{{{{.RestartCount}}}}' {name}\ndocker ps --filter name={name}\n```\n"
    );
    let f = runbook(&dir, "e.md", &md);
    let trace = dir.join("t.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", &f, "--workdir", dir.to_str().unwrap(), "--yes", "--trace", trace.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let restart = RestartEngine;
    assert!(wait_for(30, || trace_has(&trace, "wait")), "the run reached its pause");
    let started = sh("docker", &["inspect", "-f", "{{.State.StartedAt}}", name]).unwrap();
    // Stop the engine while the run waits.
    assert!(Command::new("pkill").args(["-TERM", "-f", OUR_DOCKERD]).status().unwrap().success());
    assert!(wait_for(30, || sh("docker", &["info"]).is_none()), "the engine stopped");
    let o = child.wait_with_output().unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("Cannot connect to the Docker daemon"), "docker's own words reach the operator: {out}");
    assert!(out.contains("failed: check"), "{out}");
    let ev = events(&trace);
    let restarts = ev.iter().filter(|e| e["kind"] == "call" && e["req"]["verb"] == "container.restart").count();
    assert_eq!(restarts, 1, "the restart was made once");
    let v = playbook(&dir, &["verify", trace.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    // Back up: the container was restarted once by the run, never again.
    drop(restart);
    let _ = sh("docker", &["start", name]);
    let count = sh("docker", &["inspect", "-f", "{{.RestartCount}}", name]).unwrap_or_default();
    assert!(count.trim() == "0" || count.trim() == "1", "{count}");
    assert_ne!(sh("docker", &["inspect", "-f", "{{.State.StartedAt}}", name]).as_deref(), Some(started.as_str()));
    let _ = sh("docker", &["rm", "-f", name]);
}

/// A server that accepts, reads the request, then answers `reply` (or nothing) and closes.
fn raw_server(reply: &'static [u8]) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut s = s;
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = std::io::Write::write_all(&mut s, reply);
        }
    });
    port
}

#[test]
fn http_servers_that_drop_cut_or_stall_are_reported_like_curl() {
    let dir = workdir("fault-http");
    let server = Server::start();
    let cut = raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this");
    let md = format!(
        "# H\n\n```bash\ncurl -sS {}\ncurl -sS http://127.0.0.1:{cut}/\ncurl -sS --max-time 1 {}\ncurl -sS --retry 2 {}\necho still here >> log.txt\n```\n",
        server.url("/drop"),
        server.url("/slow"),
        server.url("/ok"),
    );
    let f = std::path::PathBuf::from(runbook(&dir, "h.md", &md));
    let (o, ev) = run_traced(&dir, &f, "t.jsonl", &["--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "the last command decides the step: {out}");
    assert!(out.contains("curl: (52) Empty reply from server"), "{out}");
    assert!(out.contains("curl: (18) transfer closed with 991 bytes remaining to read"), "{out}");
    assert!(out.contains("curl: (28) Operation timed out after 100"), "{out}");
    assert!(out.contains("hello"), "{out}");
    let statuses: Vec<i64> =
        ev.iter().filter(|e| e["kind"] == "result").filter_map(|e| e["status"].as_i64()).take(4).collect();
    assert_eq!(statuses[0], 52);
    assert_eq!(&statuses[1..], &[18, 28, 0]);
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("still here\n"));
    let v = playbook(&dir, &["verify", "t.jsonl"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
}

/// Mounts a tmpfs of `kib` KiB at `at` (root only); unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path, kib: u32) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs", at.to_str()?])
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        ok.then(|| Self(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_trace_that_runs_out_of_space_stops_every_further_call() {
    let dir = workdir("fault-space");
    let Some(_disk) = SmallDisk::mount(&dir.join("small"), 64) else {
        assert!(require("root, to mount a 64 KiB tmpfs for the trace", false));
        return;
    };
    write(&dir, "big.txt", &"a line of output that fills the trace quickly\n".repeat(3000));
    let f = std::path::PathBuf::from(runbook(
        &dir,
        "s.md",
        "# S\n\n## Read\n\n```bash\ncat big.txt\n```\n\n## Change\n\n```bash\necho changed >> changes.txt\n```\n",
    ));
    let (o, _) = run_traced(&dir, &f, "small/t.jsonl", &["--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("No space left on device") && out.contains("no call is made unrecorded"), "{out}");
    assert!(out.contains("the trace is incomplete"), "{out}");
    assert!(read(&dir, "changes.txt").is_none(), "no change was made unrecorded");
    // What was written is an intact prefix, cut where the disk filled.
    let v = playbook(&dir, &["verify", "small/t.jsonl"]);
    assert_eq!(v.status.code(), Some(3), "{}", text(&v));
    // A trace that cannot be written at all: nothing runs.
    write(&dir, "one.md", "# O\n\n```bash\necho x >> changes.txt\n```\n");
    let o = playbook(&dir, &["run", "one.md", "--workdir", dir.to_str().unwrap(), "--yes", "--trace", "/dev/full"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(read(&dir, "changes.txt").is_none());
    let o = playbook(&dir, &["run", "one.md", "--yes", "--trace", "/proc/no/such/dir/t.jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("trace"), "{}", text(&o));
    assert!(read(&dir, "changes.txt").is_none());
}

#[test]
fn sigterm_leaves_a_signed_resumable_trace_and_resume_repeats_nothing() {
    let dir = workdir("fault-term");
    assert!(playbook(&dir, &["keygen", "--out", "k"]).status.success());
    let f = runbook(
        &dir,
        "t.md",
        "# T\n\n## One\n\n```bash\necho one >> log.txt\n```\n\n## Pause\n\n```bash\nsleep 30\n```\n\n## Two\n\n```bash\necho two >> log.txt\n```\n",
    );
    let trace = dir.join("t.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", &f, "--workdir", dir.to_str().unwrap(), "--yes", "--key", "k.key", "--trace"])
        .arg(&trace)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(wait_for(20, || trace_has(&trace, "wait")), "the run reached its pause");
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let o = child.wait_with_output().unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(143), "{out}");
    assert!(out.contains("interrupted by SIGTERM"), "{out}");
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("one\n"));
    // Not sealed: intact, signed up to a checkpoint, and resumable.
    let v = playbook(&dir, &["verify", "t.jsonl", "--pubkey", "k.pub"]);
    let vout = text(&v);
    assert_eq!(v.status.code(), Some(3), "{vout}");
    assert!(vout.contains("interrupted by SIGTERM") && vout.contains("--resume"), "{vout}");
    let ev = events(&trace);
    // Signed after run-start, after each change (the append's file opened, then written), and
    // last after the interruption.
    let checkpoints = ev.iter().filter(|e| e["kind"] == "checkpoint").count();
    assert_eq!(checkpoints, 4, "{vout}");
    assert!(vout.contains("checkpoints: 4 (signatures verified)"), "{vout}");
    let write = ev.iter().position(|e| e["kind"] == "decision" && e["decision"] == "confirmed").unwrap();
    assert_eq!(ev[write + 1]["kind"], "result");
    assert_eq!(ev[write + 2]["kind"], "checkpoint", "a change is covered by a signature as soon as it is done");
    assert!(ev.iter().any(|e| e["kind"] == "interrupted" && e["signal"] == "SIGTERM"));
    assert_eq!(ev.last().unwrap()["kind"], "checkpoint");
    assert!(!ev.iter().any(|e| e["kind"] == "seal"));
    // Resume: the first append is replayed, not made again; the rest runs; the chain is sealed.
    let o = playbook(
        &dir,
        &[
            "run",
            &f,
            "--workdir",
            dir.to_str().unwrap(),
            "--yes",
            "--key",
            "k.key",
            "--max-wait",
            "1",
            "--resume",
            "t.jsonl",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("(replayed)"), "{}", text(&o));
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("one\ntwo\n"));
    let v = playbook(&dir, &["verify", "t.jsonl", "--pubkey", "k.pub"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert!(denials(&events(&trace)).is_empty());
}

//! Seed 002 end to end against a local process and files: a small "Cell 0" deployment in a
//! work directory (`tests/fixtures/cell0`: a Python HTTP daemon on port 18800, start/stop
//! scripts, a doctor and a restore script, logs, locks and backups).
//!
//! The daemon's port is the seed's own, so the tests take a lock.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::{read, run_merged, text, workdir};

static PORT_18800: Mutex<()> = Mutex::new(());

fn seed() -> String {
    let dir = std::env::var("PLAYBOOK_SEEDS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds").to_string());
    format!("{dir}/002_bba7b5548cc726b2.txt")
}

/// Stops the daemon when a test ends, passed or not.
struct Daemon;

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = std::process::Command::new("pkill").args(["-f", "service/cell0d.py"]).status();
    }
}

fn deployment(name: &str) -> std::path::PathBuf {
    let dir = workdir(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cell0");
    for rel in ["service/cell0d.py", "scripts/cell0-doctor.py", "scripts/restore.py", "start.sh", "stop.sh"] {
        std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(rel), dir.join(rel)).unwrap();
    }
    common::write(&dir, "logs/error.log", &std::fs::read_to_string(fixture.join("error.log")).unwrap());
    for rel in ["data/a.lock", "data/b.lock", "data/temp/x.tmp", "data/store.db", "backups/latest.tar.gz"] {
        common::write(&dir, rel, rel);
    }
    std::fs::create_dir_all(dir.join("config")).unwrap();
    // The start script checks its daemon's port: `exec` programs get the network only when the
    // operator's policy says so.
    common::write(&dir, "policy.json", r#"{"version": 1, "exec": {"network": true}}"#);
    dir
}

/// `--policy` for the deployment's own policy file.
fn policy(dir: &Path) -> String {
    dir.join("policy.json").to_string_lossy().into_owned()
}

fn python() -> bool {
    common::require("python on PATH", common::sh("python", &["--version"]).is_some())
}

#[test]
fn service_down_restarts_the_daemon_and_clears_locks() {
    if !python() {
        return;
    }
    let _g = PORT_18800.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _d = Daemon;
    let dir = deployment("cell0-down");
    let s = seed();
    let o = run_merged(
        &dir,
        &[
            &s,
            "--choose",
            "p0-service-down",
            "--choose",
            "p0-service-down/if-restart-fails",
            "--yes",
            "--policy",
            &policy(&dir),
            "--max-wait",
            "1",
            "--timeout",
            "20",
        ],
    );
    let out = text(&o);
    for piece in [
        "PROCESS DOWN",
        "cell0 doctor: quick check passed",
        "ERROR agent crashed",
        "cell0d started",
        "{\"status\":\"ok\",\"mode\":\"full\"}",
        "▶ If Restart Fails",
        "Address already in use",
        "restored backups/latest.tar.gz --configs-only",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    // The locks and temp files are gone, the store is not.
    assert!(!dir.join("data/a.lock").exists() && !dir.join("data/b.lock").exists(), "{out}");
    assert!(dir.join("data/temp").is_dir() && !dir.join("data/temp/x.tmp").exists(), "{out}");
    assert_eq!(read(&dir, "data/store.db").as_deref(), Some("data/store.db"));
    assert_eq!(o.status.code(), Some(0), "{out}");
}

#[test]
fn data_corruption_keeps_a_copy_and_restores() {
    if !python() {
        return;
    }
    let _g = PORT_18800.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _d = Daemon;
    let dir = deployment("cell0-corrupt");
    let s = seed();
    let p = policy(&dir);
    let o = run_merged(
        &dir,
        &[&s, "--choose", "p0-data-corruption", "--yes", "--policy", &p, "--max-wait", "1", "--timeout", "20"],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    // `cp -r data data.corrupted.$(date +%s)`: a copy named by the real clock.
    let copies: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("data.corrupted."))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}\n{out}");
    assert!(copies[0]["data.corrupted.".len()..].chars().all(|c| c.is_ascii_digit()), "{copies:?}");
    assert_eq!(read(&dir, &format!("{}/store.db", copies[0])).as_deref(), Some("data/store.db"));
    for piece in
        ["backups/latest.tar.gz", "restored backups/cell0_backup_YYYYMMDD_HHMMSS.tar.gz --verify", "cell0d started"]
    {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
}

#[test]
fn high_memory_writes_the_limits_and_shows_the_manual_watch() {
    if !python() {
        return;
    }
    let _g = PORT_18800.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _d = Daemon;
    let dir = deployment("cell0-memory");
    let s = seed();
    // Without --yes the heredoc write is refused and the file never appears.
    let o = run_merged(&dir, &[&s, "--choose", "p1-high-memory-usage", "--max-wait", "1", "--timeout", "20"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(!dir.join("config/emergency_limits.yaml").exists());
    let p = policy(&dir);
    let o = run_merged(
        &dir,
        &[&s, "--choose", "p1-high-memory-usage", "--yes", "--policy", &p, "--max-wait", "1", "--timeout", "20"],
    );
    let out = text(&o);
    assert_eq!(
        read(&dir, "config/emergency_limits.yaml").as_deref(),
        Some("max_concurrent_models: 1\nmax_context_length: 2048\nmax_workers: 2\n"),
        "{out}"
    );
    assert!(out.contains("%MEM"), "ps output shown\n{out}");
    assert!(out.contains("by hand: watch -n 2 'free -h'"), "{out}");
    assert!(out.contains("cell0d started"), "{out}");
}

//! Shared by the whole-process benchmarks.

use std::process::{Command, Stdio};

/// Peak resident memory of one run of `program ARGS…`, in MB, from GNU time (`/usr/bin/time
/// -f %M`); `None` without GNU time or when the run fails.
pub fn peak_rss_mb(program: &str, args: &[&str]) -> Option<f64> {
    let report = std::env::temp_dir().join(format!("playbook-bench-rss-{}", std::process::id()));
    let st = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let kb: f64 = std::fs::read_to_string(&report).ok()?.lines().last()?.trim().parse().ok()?;
    let _ = std::fs::remove_file(&report);
    st.success().then_some(kb / 1024.0)
}

//! Other programs: an argv (never a shell), a cleared environment plus the declared variables,
//! the working directory inside the root, a timeout and output caps.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{HostState, failed, show};
use crate::bindings::playbook::host::process::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use crate::{needs, policy};

/// Largest output kept per stream.
const OUTPUT_CAP: usize = 16 * 1024 * 1024;

fn read_capped(mut r: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, bool)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        let mut truncated = false;
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    truncated |= n > room;
                }
            }
        }
        (kept, truncated)
    })
}

impl HostState {
    fn program_path(program: &str) -> String {
        match program.strip_prefix("~/") {
            Some(rest) => format!("{}/{rest}", std::env::var("HOME").unwrap_or_default()),
            None => program.to_string(),
        }
    }

    fn spawn(&mut self, r: &Request, io: &Io) -> Outcome {
        let program = Self::program_path(&r.program);
        let mut cmd = if r.privileged {
            let mut c = Command::new("sudo");
            c.arg("-n").arg("--").arg(&program);
            c
        } else {
            Command::new(&program)
        };
        cmd.args(&r.args).env_clear();
        for key in ["PATH", "HOME", "LANG", "TERM", "USER"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        for o in &r.env {
            cmd.env(&o.key, &o.value);
        }
        let dir = self.resolve(".").unwrap_or_else(|_| self.opts.workdir.clone());
        cmd.current_dir(dir);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return failed(127, &format!("{}: command not found\n", r.program));
            }
            Err(e) => return failed(126, &format!("{}: {e}\n", r.program)),
        };
        if r.background {
            drop(child.stdin.take());
            self.background.push(child);
            return super::ok("");
        }
        if let Some(mut stdin) = child.stdin.take() {
            let input = io.stdin.clone();
            std::thread::spawn(move || {
                let _ = stdin.write_all(input.as_bytes());
            });
        }
        let out = child.stdout.take().map(read_capped);
        let err = child.stderr.take().map(read_capped);
        let started = Instant::now();
        let limit = Duration::from_secs(self.opts.timeout_secs.max(1));
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s.code().unwrap_or(128),
                Ok(None) if started.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break 124;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => break 1,
            }
        };
        let (stdout, t1) = out.and_then(|h| h.join().ok()).unwrap_or_default();
        let (stderr, t2) = err.and_then(|h| h.join().ok()).unwrap_or_default();
        let mut stderr = String::from_utf8_lossy(&stderr).into_owned();
        if t1 || t2 {
            stderr.push_str(&format!("playbook: output of {} truncated at {OUTPUT_CAP} bytes\n", r.program));
        }
        if status == 124 {
            stderr.push_str(&format!("playbook: {} stopped after {} s\n", r.program, limit.as_secs()));
        }
        let mut stdout = String::from_utf8_lossy(&stdout).into_owned();
        if io.merge_stderr {
            stdout.push_str(&stderr);
            stderr.clear();
        }
        Outcome { status, stdout, stderr }
    }
}

impl Host for HostState {
    async fn run(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        if let Err(d) = policy::check_env(r.env.iter().map(|o| o.key.as_str())) {
            let reason = d.to_string();
            return Err(self.deny_text(&reason));
        }
        let needs = needs::process(&r.program, &r.args);
        if !self.gate(r.grant, &needs, r.privileged)? {
            return Ok(self.dry(&format!("run {} {}", r.program, r.args.join(" "))));
        }
        let out = self.spawn(&r, &io);
        Ok(show(self, &out, io.capture))
    }
}

//! Running a program from an argv: the one place the runtime starts processes (`docker`,
//! `kubectl`, and the runbook's other programs). No shell: the argv goes to `execve` as built.
//!
//! Output that the guest does not capture is streamed to the operator as it arrives, so long
//! commands show progress and a large output never sits in memory; captured output (pipes,
//! `$(…)`, `>`) is kept up to a cap. Every program runs under a wall-clock limit.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::process::Command;

use super::HostState;
use crate::bindings::{Io, Outcome};

/// Largest output kept for the guest per stream; the rest is counted and dropped.
pub const OUTPUT_CAP: usize = 16 * 1024 * 1024;

/// Background jobs that may run at once.
pub const MAX_JOBS: usize = 64;

/// A program started with `&`, and the timer that stops it after its bound, if it has one.
/// The timer kills the job's process group by id, so it is aborted before the job is reaped:
/// once reaped, the id may be reused by an unrelated process.
pub struct Job {
    pub child: tokio::process::Child,
    pub timer: Option<tokio::task::AbortHandle>,
    /// The task showing its output, which ends when both its pipes close.
    pub output: Option<tokio::task::JoinHandle<()>>,
}

/// How long a background job is waited for to report that it is ready.
pub const READY_WAIT: Duration = Duration::from_secs(10);

/// Variables every program inherits from the runtime's environment; all others are cleared.
const BASE_ENV: &[&str] = &["PATH", "HOME", "LANG", "LC_ALL", "TERM", "USER", "TZ"];

/// One program to start.
#[derive(Debug, Default)]
pub struct Spawn {
    /// The program, as the runbook names it (for messages).
    pub label: String,
    pub program: String,
    pub args: Vec<String>,
    /// Variables the runbook sets (`NAME=value cmd`, `export`).
    pub env: Vec<(String, String)>,
    /// Further variables taken from the runtime's environment (`DOCKER_HOST`, `KUBECONFIG`).
    pub pass_env: &'static [&'static str],
    pub cwd: PathBuf,
    /// A bounded command (`logs -f`, `-w`, `port-forward`): stopped after this long, and that
    /// counts as success.
    pub bounded: Option<Duration>,
    /// The jail it runs in; none is refused (unless the run is `--unconfined`).
    pub jail: Option<super::jail::Jail>,
}

/// How the output of one stream is handled.
pub struct Sink {
    /// Shown to the operator as it arrives.
    live: bool,
    to_stderr: bool,
    pub(super) kept: Vec<u8>,
    pub(super) dropped: usize,
    /// Partial line waiting for its end (`--output json` emits whole lines).
    pending: Vec<u8>,
    /// `--output json`, and the step the lines belong to.
    json: Option<String>,
    /// What was shown, kept (up to `SHOWN_CAP`) for the trace, and how much there was.
    pub(super) seen: Vec<u8>,
    pub(super) seen_total: u64,
    /// Secrets to mask on the terminal; then output is shown a line at a time.
    redactor: std::sync::Arc<crate::trace::Redactor>,
    /// A partial line held back while secrets are masked.
    held: Vec<u8>,
    /// The call's output derives from a secret: shown (and kept for the trace) as one mark.
    secret: bool,
    withheld: u64,
    /// What it is shown on was found closed (its reader went away): the program writing to it
    /// is stopped by SIGPIPE, as under bash, by closing its end of the pipe.
    pub(super) broken: bool,
}

/// What is shown instead of output that derives from a secret.
#[must_use]
pub fn withheld_mark(bytes: u64) -> String {
    format!("«{bytes} bytes withheld: derived from a secret»\n")
}

impl Sink {
    pub(super) fn new(state: &HostState, live: bool, to_stderr: bool) -> Self {
        let json = state.opts.json.then(|| state.current_step.clone());
        Self {
            live,
            to_stderr,
            kept: Vec::new(),
            dropped: 0,
            pending: Vec::new(),
            json,
            seen: Vec::new(),
            seen_total: 0,
            redactor: std::sync::Arc::clone(&state.redactor),
            held: Vec::new(),
            secret: state.secret_call,
            withheld: 0,
            broken: false,
        }
    }

    /// Masks secrets in what is about to be shown. With secrets, only whole lines go out (a
    /// secret split across two reads is still caught); the rest waits for its line's end.
    fn masked(&mut self, chunk: &[u8], last: bool) -> Vec<u8> {
        if self.redactor.is_empty() {
            return chunk.to_vec();
        }
        self.held.extend_from_slice(chunk);
        let cut = if last {
            self.held.len()
        } else if let Some(nl) = self.held.iter().rposition(|&b| b == b'\n') {
            nl + 1
        } else if self.held.len() > 64 * 1024 {
            // A long line goes out in pieces, but the last bytes that could begin a secret stay
            // held: a secret split across two writes is still caught.
            let mut at = self.held.len().saturating_sub(self.redactor.longest().saturating_sub(1));
            while at > 0 && at < self.held.len() && self.held[at] & 0xC0 == 0x80 {
                at -= 1;
            }
            at
        } else {
            0
        };
        let ready: Vec<u8> = self.held.drain(..cut).collect();
        self.redactor.redact(&String::from_utf8_lossy(&ready)).into_bytes()
    }

    pub(super) fn take(&mut self, chunk: &[u8]) {
        if !self.live {
            // (Standard error not shown — `2>/dev/null`, `2> FILE` — is kept for the guest, which
            // writes it to the file or drops it.)
            let room = OUTPUT_CAP.saturating_sub(self.kept.len());
            self.kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            self.dropped += chunk.len().saturating_sub(room);
            return;
        }
        self.seen_total += chunk.len() as u64;
        if self.secret {
            self.withheld += chunk.len() as u64;
            return;
        }
        let room = super::SHOWN_CAP.saturating_sub(self.seen.len());
        self.seen.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let chunk = self.masked(chunk, false);
        self.write_out(&chunk);
    }

    /// Shows bytes: as JSON lines with `--output json`, else on the terminal.
    fn write_out(&mut self, chunk: &[u8]) {
        if self.json.is_some() {
            self.pending.extend_from_slice(chunk);
            while let Some(nl) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=nl).collect();
                self.emit_json(&line[..line.len() - 1]);
            }
            if self.pending.len() > 64 * 1024 {
                let line = std::mem::take(&mut self.pending);
                self.emit_json(&line);
            }
        } else if !super::console::write(self.to_stderr, chunk) {
            self.broken = true;
        }
    }

    fn emit_json(&mut self, line: &[u8]) {
        let kind = if self.to_stderr { "stderr" } else { "stdout" };
        let step = self.json.as_deref().unwrap_or_default();
        let v = serde_json::json!({ "event": kind, "text": String::from_utf8_lossy(line), "step": step });
        if !super::console::out(&format!("{v}\n")) {
            self.broken = true;
        }
    }

    pub(super) fn finish(&mut self) {
        if self.withheld > 0 {
            let mark = withheld_mark(self.withheld);
            self.seen.extend_from_slice(mark.as_bytes());
            self.write_out(mark.as_bytes());
            self.withheld = 0;
        }
        if !self.held.is_empty() {
            let rest = self.masked(&[], true);
            self.write_out(&rest);
        }
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.emit_json(&line);
        }
    }
}

/// Copies a child's standard output and error into their sinks (`merge`: both into `out`, for
/// `2>&1`) until both streams end; what a sink shows is streamed in chunks of 64 KiB at most.
///
/// A stream whose sink was found closed is closed here too (its read end dropped), so the
/// program's next write to it raises SIGPIPE, as when bash's reader goes away.
async fn copy_streams(
    stdout: tokio::process::ChildStdout,
    stderr: tokio::process::ChildStderr,
    out: &mut Sink,
    err: &mut Sink,
    merge: bool,
) {
    let (mut b1, mut b2) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    let (mut stdout, mut stderr) = (Some(stdout), Some(stderr));
    while stdout.is_some() || stderr.is_some() {
        tokio::select! {
            r = async { stdout.as_mut()?.read(&mut b1).await.ok() }, if stdout.is_some() => match r {
                Some(n) if n > 0 => {
                    out.take(&b1[..n]);
                    if out.broken {
                        stdout = None;
                    }
                }
                _ => stdout = None,
            },
            r = async { stderr.as_mut()?.read(&mut b2).await.ok() }, if stderr.is_some() => match r {
                Some(n) if n > 0 => {
                    let sink = if merge { &mut *out } else { &mut *err };
                    sink.take(&b2[..n]);
                    if sink.broken {
                        stderr = None;
                    }
                }
                _ => stderr = None,
            },
        }
    }
}

/// Copies one stream into its sink until it ends, or until the sink is found closed (then the
/// stream is dropped: the program's next write raises SIGPIPE): standard output and error
/// joined (`2>&1`), or standard error alone when standard output goes into a pipe.
async fn copy_one(mut r: impl tokio::io::AsyncRead + Unpin, out: &mut Sink) {
    let mut b = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut b).await {
            Ok(n) if n > 0 => {
                out.take(&b[..n]);
                if out.broken {
                    break;
                }
            }
            _ => break,
        }
    }
}

/// A program started by [`HostState::execute`], its output not yet copied.
pub struct Running {
    label: String,
    bounded: bool,
    limit: Duration,
    child: tokio::process::Child,
    stdout: Option<tokio::process::ChildStdout>,
    stderr: Option<tokio::process::ChildStderr>,
    receiver: Option<tokio::net::unix::pipe::Receiver>,
    out: Sink,
    err: Sink,
    merge: bool,
    quiet_stderr: bool,
    /// It reads a pipe of the pipeline: it runs on while the guest goes on.
    reads_pipe: bool,
}

/// A program that ended (or was stopped), for [`HostState::finished`].
pub struct Finished {
    label: String,
    status: i32,
    note: String,
    out: Sink,
    err: Sink,
    quiet_stderr: bool,
}

impl Running {
    /// Copies its output until it ends, or stops it at its bound or the run's timeout.
    pub async fn run(self) -> Finished {
        let Self {
            label,
            bounded,
            limit,
            mut child,
            stdout,
            stderr,
            receiver,
            mut out,
            mut err,
            merge,
            quiet_stderr,
            ..
        } = self;
        let pump = async {
            match (receiver, stdout, stderr) {
                (Some(r), _, _) => copy_one(r, &mut out).await,
                (None, Some(o), Some(e)) => copy_streams(o, e, &mut out, &mut err, merge).await,
                // Into a pipe: only standard error is left to copy.
                (None, None, Some(e)) => copy_one(e, &mut err).await,
                _ => {}
            }
            child.wait().await
        };
        let waited = tokio::time::timeout(limit, pump).await;
        out.finish();
        err.finish();
        let mut note = String::new();
        let status = match waited {
            Ok(Ok(st)) => exit_code(st),
            Ok(Err(e)) => {
                note = format!("playbook: waiting for {label}: {e}\n");
                1
            }
            Err(_) => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                if bounded {
                    note =
                        format!("playbook: {label} stopped after {} s, as the runbook's bound says\n", limit.as_secs());
                    0
                } else {
                    note = format!("playbook: {label} stopped after {} s (--timeout)\n", limit.as_secs());
                    124
                }
            }
        };
        Finished { label, status, note, out, err, quiet_stderr }
    }
}

/// The shell's status for a program that could not be started.
fn spawn_error(label: &str, e: &std::io::Error) -> Outcome {
    if e.kind() == std::io::ErrorKind::NotFound {
        super::failed(127, &format!("bash: {label}: command not found\n"))
    } else {
        super::failed(126, &format!("{label}: {e}\n"))
    }
}

impl HostState {
    /// The command of a spawn, in its jail. A program without a jail, or on a kernel without
    /// Landlock, is refused unless the operator ran `--unconfined`.
    fn command(&self, s: &Spawn) -> Result<Command, Outcome> {
        let mut cmd = Command::new(&s.program);
        cmd.args(&s.args).env_clear();
        for key in BASE_ENV.iter().chain(s.pass_env) {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        for (k, v) in &s.env {
            cmd.env(k, v);
        }
        cmd.current_dir(&s.cwd).kill_on_drop(true);
        if self.opts.unconfined {
            return Ok(cmd);
        }
        let refuse = |why: String| super::failed(126, &format!("{}: not started: {why}\n", s.label));
        let Some(jail) = &s.jail else { return Err(refuse("no jail was built for it".into())) };
        if !super::jail::supported() {
            return Err(refuse(
                "this kernel has no Landlock, so the program cannot be confined (`--unconfined` runs it anyway)".into(),
            ));
        }
        let prepared = jail.prepare().map_err(refuse)?;
        super::jail::install(cmd.as_std_mut(), prepared);
        Ok(cmd)
    }

    /// Starts a program in the background (`cmd &`); it is stopped after its bound, if it has
    /// one, or when the run ends. Its output is shown as it arrives, as a shell's job would.
    ///
    /// With `ready`, the run waits (at most [`READY_WAIT`]) until the program prints a line
    /// containing that text or ends: `kubectl port-forward … &` followed by `curl localhost`
    /// means "once the forward listens", which a shell leaves to luck.
    ///
    /// # Errors
    /// A denial when [`MAX_JOBS`] jobs already run: a loop of `cmd &` cannot fill the machine.
    pub async fn start_background(
        &mut self,
        s: &Spawn,
        ready: Option<&str>,
    ) -> Result<Outcome, crate::bindings::Error> {
        // Jobs that ended are reaped here, their timers first (see [`Job`]).
        self.background.retain_mut(|job| {
            if let Some(timer) = &job.timer {
                // Ended? Look without reaping: a zombie keeps its group id, so the timer is
                // harmless until it is aborted; reaping comes only after that.
                if job.child.id().is_some_and(|pid| !alive(pid)) {
                    timer.abort();
                    job.timer = None;
                }
            }
            job.timer.is_some() || matches!(job.child.try_wait(), Ok(None))
        });
        if self.background.len() >= MAX_JOBS {
            return Err(
                self.deny_text(&format!("{}: {MAX_JOBS} background jobs already run; no more are started", s.label))
            );
        }
        let mut cmd = match self.command(s) {
            Ok(c) => c,
            Err(refused) => return Ok(self.report(refused)),
        };
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // Its own process group, so that stopping the job stops what it started too.
        #[cfg(unix)]
        cmd.process_group(0);
        // Background jobs outlive the call: dropping the handle must not kill them.
        cmd.kill_on_drop(false);
        let mut child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => return Ok(self.report(spawn_error(&s.label, &e))),
        };
        let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Ok(super::failed(126, &format!("{}: no output pipes\n", s.label)));
        };
        let (mut out, mut err) = (Sink::new(self, true, false), Sink::new(self, !self.quiet_stderr, true));
        if let Some(marker) = ready {
            let mut seen = Vec::new();
            let (mut buf, mut ebuf) = (vec![0u8; 8 * 1024], vec![0u8; 8 * 1024]);
            let mut err_open = true;
            let wait = tokio::time::sleep(READY_WAIT);
            tokio::pin!(wait);
            loop {
                tokio::select! {
                    r = stdout.read(&mut buf) => match r {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            out.take(&buf[..n]);
                            seen.extend_from_slice(&buf[..n]);
                            if seen.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                                break;
                            }
                        }
                    },
                    r = stderr.read(&mut ebuf), if err_open => match r {
                        Ok(n) if n > 0 => err.take(&ebuf[..n]),
                        _ => err_open = false,
                    },
                    () = &mut wait => {
                        self.event("note", &format!("playbook: {} did not report `{marker}` within {} s; going on", s.label, READY_WAIT.as_secs()), serde_json::json!({}));
                        break;
                    }
                }
            }
        }
        // The rest of its output is shown as it comes, until it ends or is stopped.
        let output = tokio::spawn(async move {
            copy_streams(stdout, stderr, &mut out, &mut err, false).await;
            out.finish();
            err.finish();
        });
        let mut timer = None;
        #[cfg(unix)]
        if let (Some(bound), Some(pid)) = (s.bounded, child.id().and_then(|p| i32::try_from(p).ok())) {
            // The job is not reaped while this timer lives (see [`Job`]), so the group id
            // cannot be reused before it fires.
            let handle = tokio::spawn(async move {
                tokio::time::sleep(bound).await;
                let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
            });
            timer = Some(handle.abort_handle());
        }
        self.background.push(Job { child, timer, output: Some(output) });
        Ok(super::ok(""))
    }

    /// Runs a program to completion (or to its bound or the run's timeout) and returns its
    /// outcome; what the guest does not capture has already been shown.
    ///
    /// A program reading a pipe of the pipeline (`io.stdin-pipe`) is started and left running:
    /// the call returns at once, and `pipes.wait` finishes it. One writing into a pipe
    /// (`io.stdout-pipe`) has the pipe as its standard output (and error, with `2>&1`).
    pub async fn execute(&mut self, s: &Spawn, io: &Io) -> Outcome {
        let running = match self.start(s, io) {
            Ok(r) => r,
            Err(refused) => return refused,
        };
        if running.reads_pipe {
            let task = tokio::spawn(running.run());
            self.call_pipes.started = Some(super::pipes::Reading::Program { task, keep: None });
            return super::ok("");
        }
        let done = running.run().await;
        self.finished(done)
    }

    /// Spawns a program with its standard streams as the call's `io` says.
    fn start(&mut self, s: &Spawn, io: &Io) -> Result<Running, Outcome> {
        let mut cmd = match self.command(s) {
            Ok(c) => c,
            Err(refused) => return Err(self.report(refused)),
        };
        let reads = self.call_pipes.reads.take();
        let reads_pipe = reads.is_some();
        match reads {
            Some((_, r)) => cmd.stdin(Stdio::from(r)),
            None if io.stdin.is_empty() => cmd.stdin(Stdio::null()),
            None => cmd.stdin(Stdio::piped()),
        };
        // Into a pipe of the pipeline: the program writes into it itself.
        let mut into_pipe = false;
        if let Some((_, w)) = &self.call_pipes.writes {
            let (Ok(w1), Ok(w2)) = (w.try_clone(), w.try_clone()) else {
                return Err(self.report(super::failed(126, &format!("{}: no pipe for its output\n", s.label))));
            };
            cmd.stdout(Stdio::from(w1));
            if io.merge_stderr {
                cmd.stderr(Stdio::from(w2));
            } else {
                cmd.stderr(Stdio::piped());
            }
            into_pipe = true;
        }
        // `2>&1`: one pipe for both descriptors, so their lines keep the order the program
        // wrote them in, as under bash.
        let shared = if io.merge_stderr && !into_pipe {
            std::io::pipe().ok().and_then(|(r, w)| w.try_clone().ok().map(|w2| (r, w, w2)))
        } else {
            None
        };
        let merged = if let Some((r, w, w2)) = shared {
            cmd.stdout(w).stderr(w2);
            Some(r)
        } else {
            if !into_pipe {
                cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            }
            None
        };
        let spawned = cmd.spawn();
        // (The parent's ends of the pipes go with the command, so the readers see their end.)
        drop(cmd);
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => return Err(self.report(spawn_error(&s.label, &e))),
        };
        if let Some(mut stdin) = child.stdin.take() {
            let input = io.stdin.clone().into_bytes();
            tokio::spawn(async move {
                let _ = stdin.write_all(&input).await;
            });
        }
        let out = Sink::new(self, !io.capture || into_pipe, false);
        // `2>&1` sends standard error where standard output goes.
        let err = Sink::new(self, !self.quiet_stderr, true);
        let receiver =
            merged.and_then(|r| tokio::net::unix::pipe::Receiver::from_owned_fd(std::os::fd::OwnedFd::from(r)).ok());
        Ok(Running {
            label: s.label.clone(),
            bounded: s.bounded.is_some(),
            limit: s.bounded.unwrap_or(Duration::from_secs(self.opts.timeout_secs.max(1))),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
            child,
            receiver,
            out,
            err,
            merge: io.merge_stderr,
            quiet_stderr: self.quiet_stderr,
            reads_pipe,
        })
    }

    /// A program's end as the guest sees it: its status, what it printed that was kept, and a
    /// note on what went wrong on the way (shown, and kept in the call's result).
    pub(super) fn finished(&mut self, done: Finished) -> Outcome {
        let Finished { label, mut status, mut note, out, err, quiet_stderr } = done;
        if out.broken || err.broken {
            let _ = writeln!(
                note,
                "playbook: the run's output is closed: {label} was stopped by SIGPIPE (status {status})"
            );
        }
        for (dropped, which) in [(out.dropped, "output"), (err.dropped, "error output")] {
            if dropped > 0 {
                // A cut is the command's error, never a quietly shorter result.
                let _ = writeln!(
                    note,
                    "playbook: {which} of {label} passed the {} MiB kept in memory for `$(…)`, a redirection or a loop \
                     ({dropped} bytes more were not kept): the command fails",
                    OUTPUT_CAP >> 20
                );
                self.event(
                    "limit",
                    &format!("  ✗ limit: {which} of {label} cut at {} MiB", OUTPUT_CAP >> 20),
                    serde_json::json!({ "limit": "kept-output", "max": OUTPUT_CAP, "dropped": dropped }),
                );
                if status == 0 {
                    status = 1;
                }
            }
        }
        let stderr = if quiet_stderr { String::from_utf8_lossy(&err.kept).into_owned() } else { String::new() };
        let outcome = Outcome { status, stdout: String::from_utf8_lossy(&out.kept).into_owned(), stderr };
        for sink in [&out, &err] {
            self.keep_shown(&sink.seen);
            self.shown_bytes += sink.seen_total.saturating_sub(sink.seen.len() as u64);
        }
        if !note.is_empty() {
            let quiet = std::mem::replace(&mut self.quiet_stderr, false);
            self.report(super::failed(status, &note));
            self.quiet_stderr = quiet;
        }
        outcome
    }

    /// Shows an outcome's output (stderr always) and returns it with stderr marked as shown.
    pub(super) fn report(&mut self, o: Outcome) -> Outcome {
        super::show(self, &o, false);
        // (Not shown, it goes back to the guest: `2> FILE`.)
        if self.quiet_stderr { o } else { Outcome { stderr: String::new(), ..o } }
    }
}

#[cfg(unix)]
fn exit_code(st: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    st.code().unwrap_or_else(|| 128 + st.signal().unwrap_or(0))
}

#[cfg(not(unix))]
fn exit_code(st: std::process::ExitStatus) -> i32 {
    st.code().unwrap_or(1)
}

/// Whether a child of this process is still running, without reaping it (`waitid` with
/// `WNOWAIT`): an ended child stays a zombie, so its id is not reused until it is reaped.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
    let Ok(pid) = i32::try_from(pid) else { return false };
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    matches!(waitid(Id::Pid(nix::unistd::Pid::from_raw(pid)), flags), Ok(WaitStatus::StillAlive))
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

//! The host side of a run: one file per WIT interface. Every effectful call is authorized by
//! `policy` on its typed request, confirmed when it changes something, then carried out by a
//! real backend (files, processes, text filters; Docker, Kubernetes and HTTP come next).

pub mod console;
pub mod docker;
pub mod exec;
pub mod facts;
pub mod fs;
pub mod http;
#[cfg(target_os = "linux")]
pub mod jail;
pub mod jq;
pub mod kube;
pub mod operator;
pub mod pipes;
pub mod process;
pub mod record;
pub mod text;

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;

use playbook_capability::Need;

use crate::bindings::{Error, Outcome};
use crate::policy::{self, Denial, Grant, Policy};

/// What the operator said on the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub inputs: BTreeMap<String, String>,
    /// `--choose ID`: unique prefixes of branch ids.
    pub choose: Vec<String>,
    pub policy: Policy,
    pub dry_run: bool,
    /// The granted root for files; also the working directory of programs.
    pub workdir: PathBuf,
    /// Whether a person can answer questions (stdin and stderr are terminals).
    pub interactive: bool,
    /// `--output json`: one JSON event per line on stdout instead of terminal text.
    pub json: bool,
    /// Seconds a program may run.
    pub timeout_secs: u64,
    /// `--max-wait`: the longest a `sleep` may wait.
    pub max_wait: Option<u32>,
    /// `--trace FILE`: where the signed, hash-chained trace goes (else the default directory).
    pub trace: Option<PathBuf>,
    /// Replay shows nothing of the recorded output (tests, benchmarks).
    pub quiet_replay: bool,
    /// `--key FILE`: signs checkpoints and the seal.
    pub key: Option<PathBuf>,
    /// `playbook replay TRACE`: no live effects, the trace's results instead.
    pub replay: Option<PathBuf>,
    /// `--resume TRACE`: replay the finished prefix, then go on live, extending the trace.
    pub resume: Option<PathBuf>,
    /// `--resolve HOST=ADDR`: host names the HTTP client sends to a fixed address.
    pub resolve: Vec<(String, std::net::IpAddr)>,
    /// `--approved DIGEST`: the manifest or component digests the run may have.
    pub approved: Vec<String>,
    /// `--unconfined`: programs run without a jail (recorded in the trace and the summary).
    pub unconfined: bool,
    /// `--skip-manual`: without a terminal, a manual step is passed by (recorded) instead of
    /// stopping the run.
    pub skip_manual: bool,
    /// `--step`, `--from`, `--until`: the steps the run is limited to.
    pub selection: Selection,
    /// `--plan FILE`: the changes, `(step, grant)`, an approved plan lists; they are confirmed
    /// by it, and no other change is made.
    pub plan: Option<std::collections::BTreeSet<(String, String)>>,
}

/// The steps a run is limited to (`--step`, `--from`, `--until`), with what each branch holds,
/// so that a choice or an optional section on the way to a selected step is taken by itself.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Ids of the steps to run; `None`: every step.
    pub steps: Option<std::collections::BTreeSet<String>>,
    /// For each branch of a choice and each optional section (by id): the steps it holds.
    pub under: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// For each optional section (by id): the ids of every node and branch inside it, so that
    /// `--choose` naming one of them enters the section too.
    pub inside: BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl Selection {
    /// Whether a step runs.
    #[must_use]
    pub fn runs(&self, step: &str) -> bool {
        self.steps.as_ref().is_none_or(|s| s.contains(step))
    }

    /// Whether a branch holds a selected step (`None`: nothing is selected, the question stands).
    #[must_use]
    pub fn holds(&self, branch: &str) -> Option<bool> {
        let steps = self.steps.as_ref()?;
        Some(self.under.get(branch).is_some_and(|u| u.iter().any(|s| steps.contains(s))))
    }
}

/// Counts for the final summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub steps: u32,
    pub failed: u32,
    pub denied: u32,
    pub denials: Vec<String>,
    /// Ids of the steps that ended with a non-zero status.
    pub failed_steps: Vec<String>,
    /// Steps of the graph that were not run (other branches, or after a stop).
    pub skipped: u32,
    /// The signal that stopped the run, if one did.
    pub interrupted: Option<String>,
    /// Optional sections that were offered and not chosen (ids).
    pub not_chosen: Vec<String>,
    /// Manual steps passed by with `--skip-manual` (ids).
    pub manual_skipped: Vec<String>,
}

/// An input of the playbook, from the manifest.
#[derive(Clone, Debug)]
pub struct InputInfo {
    pub name: String,
    /// `placeholder` or `env`.
    pub source: String,
    pub secret: bool,
}

/// The state of one run.
pub struct HostState {
    pub opts: Options,
    /// The workdir with symbolic links resolved, once: what every path must stay inside.
    pub real_root: PathBuf,
    /// The workdir opened as a capability: every file operation goes through it.
    pub root_dir: Option<cap_std::fs::Dir>,
    pub grants: Vec<Grant>,
    pub inputs: Vec<InputInfo>,
    /// Programs started with `&`, stopped when the run ends.
    pub background: Vec<exec::Job>,
    /// Working directory relative to the root (`cd`); `None` is the root itself.
    pub cwd: Option<String>,
    pub summary: Summary,
    pub current_step: String,
    /// The current call's standard error goes to `/dev/null` (`2>/dev/null`).
    pub quiet_stderr: bool,
    /// HTTP clients by (insecure, connect timeout), reused across requests.
    pub http_clients: Vec<(String, reqwest::Client)>,
    pub table: wasmtime::component::ResourceTable,
    /// Linear memory a playbook may use, in bytes; a `memory.grow` beyond it fails (recorded).
    pub memory_limit: usize,
    /// The limit that stopped or curtailed the run, if one did: `memory`, `output`.
    pub limit_hit: Option<&'static str>,
    /// Why the run ends without its seal, so that `--resume` can take it up again (a call in
    /// flight that nobody confirmed to run again).
    pub leave_open: Option<String>,
    /// Bytes the guest printed, and how many of them were not shown (beyond `PRINT_CAP`).
    pub printed: u64,
    pub print_dropped: u64,
    /// The trace being written (none while replaying).
    pub recorder: Option<std::sync::Mutex<crate::trace::Recorder>>,
    /// Replaying a trace (`replay`, or the prefix of `run --resume`).
    pub replay: Option<record::Replay>,
    /// `seq` of the call being carried out, for its result.
    pub call_seq: Option<u64>,
    /// What the current call showed the operator (kept up to `SHOWN_CAP` for the trace).
    pub shown: Vec<u8>,
    pub shown_bytes: u64,
    /// Secrets out of the terminal output too.
    pub redactor: std::sync::Arc<crate::trace::Redactor>,
    /// How the call being gated is matched (recorded with its decisions).
    pub matching: policy::Match,
    /// The call being gated opens a redirection's file before its command runs (`> FILE`,
    /// `2> FILE`: created or emptied, nothing written yet).
    pub opening: bool,
    /// The grant and scope a redirection's opening was confirmed for: the write of the
    /// command's output into that file, after it runs, is the same redirection and is not
    /// asked again.
    pub opened: Option<(u32, Vec<(String, String)>)>,
    /// The call being carried out prints what derives from a secret (`io.secret`).
    pub secret_call: bool,
    /// The pipes between the commands of the run's pipelines.
    pub pipes: pipes::Pipes,
    /// The pipes the call being carried out reads and writes.
    pub call_pipes: pipes::CallPipes,
    /// Paths of the call being carried out found inside the root (links, hard links): each is
    /// looked at once per call, however often the call resolves it.
    pub checked_paths: std::cell::RefCell<std::collections::HashSet<PathBuf>>,
}

/// How much of what a call shows is kept in its trace result (all of it is counted).
pub const SHOWN_CAP: usize = 64 * 1024;

/// Linear memory a playbook may grow to. Compiled runbooks use a few pages.
pub const MEMORY_LIMIT: usize = 256 << 20;

/// What the playbook itself may print (`echo`, `printf`) over a run; beyond it, output is
/// counted, not shown nor traced, and the trace says so once.
pub const PRINT_CAP: u64 = 16 << 20;

/// Memory and tables are bounded; a refused growth is recorded as a `limit` event (the guest
/// sees `memory.grow` fail, and a compiled playbook traps on that).
impl wasmtime::ResourceLimiter for HostState {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired <= self.memory_limit {
            return Ok(true);
        }
        if self.limit_hit.is_none() {
            self.limit_hit = Some("memory");
            self.event(
                "limit",
                &format!("  ✗ limit: the playbook asked for {desired} bytes of memory (limit {})", self.memory_limit),
                serde_json::json!({ "limit": "memory", "current": current, "desired": desired, "max": self.memory_limit }),
            );
        }
        Ok(false)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 10_000)
    }

    fn instances(&self) -> usize {
        4
    }
}

impl HostState {
    #[must_use]
    pub fn new(opts: Options, grants: Vec<Grant>, inputs: Vec<InputInfo>) -> Self {
        // The runtime holds the operator's environment (cloud keys): non-dumpable, its
        // `/proc/PID/environ` and memory are closed to the jailed programs it starts (they have
        // no CAP_SYS_PTRACE).
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_dumpable(false);
        Self {
            real_root: opts.workdir.canonicalize().unwrap_or_else(|_| opts.workdir.clone()),
            root_dir: cap_std::fs::Dir::open_ambient_dir(&opts.workdir, cap_std::ambient_authority()).ok(),
            opts,
            grants,
            inputs,
            background: Vec::new(),
            cwd: None,
            summary: Summary::default(),
            current_step: String::new(),
            quiet_stderr: false,
            http_clients: Vec::new(),
            table: wasmtime::component::ResourceTable::new(),
            memory_limit: MEMORY_LIMIT,
            limit_hit: None,
            leave_open: None,
            printed: 0,
            print_dropped: 0,
            recorder: None,
            replay: None,
            call_seq: None,
            shown: Vec::new(),
            shown_bytes: 0,
            redactor: std::sync::Arc::new(crate::trace::Redactor::default()),
            matching: policy::Match::Exact,
            opening: false,
            opened: None,
            secret_call: false,
            pipes: pipes::Pipes::default(),
            call_pipes: pipes::CallPipes::default(),
            checked_paths: std::cell::RefCell::default(),
        }
    }

    /// `wait`: each background job to its end and its output shown, within `--timeout` in
    /// all; a job still running then is stopped, and said so.
    pub async fn wait_background(&mut self) {
        let limit = std::time::Duration::from_secs(self.opts.timeout_secs.max(1));
        let deadline = tokio::time::Instant::now() + limit;
        for mut job in std::mem::take(&mut self.background) {
            let ended = tokio::time::timeout_at(deadline, job.child.wait()).await.is_ok();
            if !ended {
                kill_job(&mut job).await;
                self.event(
                    "note",
                    &format!(
                        "playbook: wait: a background job still ran after {} s (--timeout); stopped",
                        limit.as_secs()
                    ),
                    serde_json::json!({}),
                );
            }
            if let Some(timer) = job.timer.take() {
                timer.abort();
            }
            if let Some(output) = job.output.take() {
                let _ = tokio::time::timeout(std::time::Duration::from_secs(5), output).await;
            }
        }
    }

    /// Stops the background programs of the run.
    pub async fn stop_background(&mut self) {
        for mut job in self.background.drain(..) {
            if let Some(timer) = job.timer.take() {
                timer.abort();
            }
            kill_job(&mut job).await;
        }
    }

    /// Emits one event: a JSON line with `--output json`, else a line on stderr.
    pub fn event(&self, kind: &str, text: &str, fields: serde_json::Value) {
        if matches!(kind, "denied" | "note" | "interrupted" | "dry-run" | "limit") {
            let mut f = fields.clone();
            if let Some(o) = f.as_object_mut() {
                o.insert("text".into(), text.trim().into());
            }
            self.trace(kind, f);
        }
        let text = &self.redactor.redact(text);
        if self.opts.json {
            let mut v = serde_json::json!({ "event": kind, "text": text });
            // Every field is masked, not only the text: a reason or a URL may hold a secret.
            if let (Some(o), serde_json::Value::Object(extra)) = (v.as_object_mut(), self.redactor.redact_value(fields))
            {
                o.extend(extra);
            }
            if !console::out(&format!("{v}\n")) {
                // The reader of the event stream is gone: nobody follows the run any more.
                crate::run::stop_on_closed_output();
            }
        } else {
            // (A closed standard error loses only messages the trace keeps too.)
            console::err(&format!("{text}\n"));
        }
    }

    fn deny(&mut self, d: &Denial) -> Error {
        self.deny_text(&d.to_string())
    }

    /// Counts and reports a denial; the guest stops the run when it sees the error.
    pub fn deny_text(&mut self, reason: &str) -> Error {
        self.summary.denied += 1;
        // The summary prints it at the end (and `--output json` lists it): masked here, once.
        self.summary.denials.push(self.redactor.redact(reason));
        self.event(
            "denied",
            &format!("  ✗ denied: {reason}"),
            serde_json::json!({ "step": self.current_step, "reason": reason }),
        );
        Error::Denied(reason.to_string())
    }

    /// Authorizes and confirms every need of one call. `Ok(true)`: carry it out; `Ok(false)`:
    /// a dry run, report instead.
    ///
    /// # Errors
    /// `Error::Denied` when the policy refuses a need or the operator does not confirm it (the
    /// denial is traced and shown).
    pub fn gate(&mut self, named: u32, needs: &[Need], privileged: bool) -> Result<bool, Error> {
        self.gate_on(named, needs, privileged, policy::Match::Exact)
    }

    /// `gate`, comparing scopes as `how` says (a redirect hop: `Match::Target`).
    ///
    /// # Errors
    /// As `gate`: `Error::Denied` for a refused or unconfirmed need.
    pub fn gate_on(&mut self, named: u32, needs: &[Need], privileged: bool, how: policy::Match) -> Result<bool, Error> {
        self.matching = how;
        let mut changes = false;
        for need in needs {
            let grant = match policy::authorize_on(&self.grants, &self.opts.policy, named, need, privileged, how) {
                Ok(g) => g.clone(),
                Err(d) => {
                    self.trace_call(need, None, privileged, "denied");
                    return Err(self.deny(&d));
                }
            };
            changes |= grant.effect.changes();
            // `--plan`: a change the approved plan lists is confirmed by it; any other is denied.
            let planned = match &self.opts.plan {
                Some(plan) if grant.effect.changes() => {
                    if !plan.contains(&(self.current_step.clone(), grant.id.clone())) {
                        self.trace_call(need, Some(&grant), privileged, "denied");
                        let reason = format!(
                            "{} {} in step `{}` is not in the approved plan (--plan)",
                            grant.effect.as_str(),
                            grant.capability,
                            self.current_step
                        );
                        return Err(self.deny_text(&reason));
                    }
                    true
                }
                _ => false,
            };
            if self.opts.dry_run {
                continue;
            }
            let interactive = self.opts.interactive;
            // The write after a confirmed opening of the same redirection (see `opened`).
            let same_redirection = !self.opening
                && self.opened.as_ref().is_some_and(|(g, scope)| *g == grant.index && *scope == need.scope);
            if same_redirection {
                self.opened = None;
            }
            // A signal while the question waits ends it at once: not confirmed, and the run stops.
            let mut ask = |g: &Grant| {
                if same_redirection {
                    return true;
                }
                let scope = g.scope.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
                let q = format!("  ? {} {} {} — go ahead? [y/N] ", g.effect.as_str(), g.capability, scope);
                operator::ask(&q).is_some_and(|a| matches!(a.as_str(), "y" | "Y" | "yes"))
            };
            let asker: Option<&mut dyn FnMut(&Grant) -> bool> =
                if interactive || same_redirection { Some(&mut ask) } else { None };
            let confirmed = if planned { Ok(()) } else { policy::confirm(&grant, &self.opts.policy, asker) };
            if let Err(d) = confirmed {
                if self.stopping().is_some() {
                    return Err(self.stopped());
                }
                self.trace_call(need, Some(&grant), privileged, "unconfirmed");
                return Err(self.deny(&d));
            }
            if self.opening && !same_redirection && grant.effect.changes() {
                self.opened = Some((grant.index, need.scope.clone()));
            }
            self.trace_call(
                need,
                Some(&grant),
                privileged,
                if grant.effect.changes() { "confirmed" } else { "allowed" },
            );
            // A decision the trace could not keep (disk full, size cap) stops the call.
            if let Some(why) = self.trace_broken() {
                return Err(self.deny_text(&format!("{why}: no call is made unrecorded")));
            }
        }
        Ok(!(self.opts.dry_run && changes))
    }

    /// The host's decision on one need of a call: what `verify` checks against the manifest.
    /// `effect` and `privileged` are the grant's (what was allowed and confirmed), `need_effect`
    /// what the call itself does; without a grant, both are the call's.
    fn trace_call(&self, need: &Need, grant: Option<&Grant>, privileged: bool, decision: &str) {
        if self.recorder.is_none() {
            return;
        }
        let scope: serde_json::Map<String, serde_json::Value> =
            need.scope.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        self.trace(
            "decision",
            serde_json::json!({
                "step": self.current_step, "capability": need.capability,
                "effect": grant.map_or(need.effect, |g| g.effect).as_str(),
                "need_effect": need.effect.as_str(),
                "scope": scope, "privileged": grant.map_or(privileged, |g| g.privileged),
                "grant": grant.map(|g| g.id.clone()),
                "decision": decision,
                "match": if self.matching == policy::Match::Target { "target" } else { "exact" },
            }),
        );
    }

    /// How long a stream may run: the shorter of what the request asks and what its grant says.
    #[must_use]
    pub fn bound(&self, grant: u32, asked: Option<u32>) -> Option<std::time::Duration> {
        let granted = self.grants.iter().find(|g| g.index == grant).and_then(|g| g.bounded_seconds);
        [asked, granted].into_iter().flatten().min().map(|s| std::time::Duration::from_secs(u64::from(s)))
    }

    /// The run's working directory (`cd` inside the root) as a real path, for programs.
    #[must_use]
    pub fn cwd_path(&self) -> PathBuf {
        self.resolve(".").unwrap_or_else(|_| self.opts.workdir.clone())
    }

    /// What a dry run reports instead of a change.
    pub fn dry(&self, what: &str) -> Outcome {
        self.event(
            "dry-run",
            &format!("  · would {what}"),
            serde_json::json!({ "step": self.current_step, "would": what }),
        );
        ok("")
    }
}

/// A request's settings as the capability vocabulary types them.
#[must_use]
pub fn settings(o: &[crate::bindings::Setting]) -> Vec<playbook_capability::Setting<String>> {
    o.iter().map(|s| playbook_capability::Setting { key: s.key.clone(), value: s.value.clone() }).collect()
}

/// Whether this process can ask a person.
#[must_use]
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Sorts names as bash sorts the paths of a glob: by the locale's collation (`LC_COLLATE`,
/// `LC_ALL`, `LANG`), byte order in the C locale.
#[allow(unsafe_code)]
pub fn collate(names: &mut [String]) {
    static LOCALE: std::sync::Once = std::sync::Once::new();
    // SAFETY: `setlocale` is called once, before any `strcoll`, with a NUL-terminated string.
    LOCALE.call_once(|| unsafe {
        libc::setlocale(libc::LC_COLLATE, c"".as_ptr());
    });
    let keyed: Vec<(Option<std::ffi::CString>, String)> =
        names.iter().map(|n| (std::ffi::CString::new(n.as_bytes()).ok(), n.clone())).collect();
    let mut keyed = keyed;
    keyed.sort_by(|(a, an), (b, bn)| match (a, b) {
        // SAFETY: both are valid NUL-terminated strings that live across the call.
        (Some(a), Some(b)) => unsafe { libc::strcoll(a.as_ptr(), b.as_ptr()) }.cmp(&0).then_with(|| an.cmp(bn)),
        _ => an.cmp(bn),
    });
    for (slot, (_, n)) in names.iter_mut().zip(keyed) {
        *slot = n;
    }
}

/// A successful outcome with the given output.
#[must_use]
pub fn ok(stdout: &str) -> Outcome {
    Outcome { status: 0, stdout: stdout.to_string(), stderr: String::new() }
}

/// A failed outcome (the command ran and failed, as a shell sees it).
#[must_use]
pub fn failed(status: i32, stderr: &str) -> Outcome {
    Outcome { status, stdout: String::new(), stderr: stderr.to_string() }
}

/// Shows output that the guest did not capture, as the terminal would.
pub fn show(state: &mut HostState, out: &Outcome, capture: bool) -> Outcome {
    if state.secret_call {
        // Derived from a secret: one mark per stream instead of the text.
        let masked = Outcome {
            status: out.status,
            stdout: if out.stdout.is_empty() { String::new() } else { exec::withheld_mark(out.stdout.len() as u64) },
            stderr: if out.stderr.is_empty() { String::new() } else { exec::withheld_mark(out.stderr.len() as u64) },
        };
        let shown = std::mem::replace(&mut state.secret_call, false);
        show(state, &masked, capture);
        state.secret_call = shown;
        return out.clone();
    }
    let mut closed = false;
    if !out.stderr.is_empty() && !state.quiet_stderr {
        state.keep_shown(out.stderr.as_bytes());
        if state.opts.json {
            state.event("stderr", out.stderr.trim_end(), serde_json::json!({ "step": state.current_step }));
        } else {
            closed |= !console::err(&state.redactor.redact(&out.stderr));
        }
    }
    if !capture && !out.stdout.is_empty() {
        state.keep_shown(out.stdout.as_bytes());
        if state.opts.json {
            state.event("stdout", out.stdout.trim_end(), serde_json::json!({ "step": state.current_step }));
        } else {
            closed |= !console::out(&state.redactor.redact(&out.stdout));
        }
    }
    if closed {
        // The command wrote to a closed stream: under bash, SIGPIPE stops it (status 141) and
        // the script goes on.
        state.event(
            "note",
            "playbook: the run's output is closed: the command was stopped by SIGPIPE (status 141)",
            serde_json::json!({ "closed": "output" }),
        );
        return Outcome { status: crate::run::EXIT_SIGPIPE, ..out.clone() };
    }
    out.clone()
}

/// The `io` of a call the host makes of its own accord (`cd`, a check, a replayed answer): no
/// input, nothing captured, no pipes.
#[must_use]
pub fn no_io() -> crate::bindings::Io {
    crate::bindings::Io {
        stdin: String::new(),
        capture: false,
        merge_stderr: false,
        discard_stderr: false,
        secret: false,
        stdin_pipe: 0,
        stdout_pipe: 0,
    }
}

impl HostState {
    /// Keeps what a call showed, for its trace result.
    pub fn keep_shown(&mut self, bytes: &[u8]) {
        self.shown_bytes += bytes.len() as u64;
        let room = SHOWN_CAP.saturating_sub(self.shown.len());
        self.shown.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

impl crate::bindings::playbook::host::types::Host for HostState {}

/// Stops a background job: its whole process group, so a script's own children go with it.
async fn kill_job(job: &mut exec::Job) {
    #[cfg(unix)]
    if let Some(pid) = job.child.id().and_then(|p| i32::try_from(p).ok()) {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
    }
    let _ = job.child.kill().await;
}

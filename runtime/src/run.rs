//! `playbook run`: load a component (compiling Markdown first), check its manifest, and run it on
//! wasmtime with the host of `host/`, under a memory limit and a fuel budget.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use playbook_capability::manifest::{InputSource, Manifest};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store};

use crate::bindings::Playbook;
use crate::host::{HostState, InputInfo, Options, Summary};
use crate::policy;

/// Instructions a playbook may execute in the guest (host calls do not count).
const FUEL: u64 = 5_000_000_000;

/// How often the engine's epoch advances: the longest the guest runs between two checks of
/// whether the run must stop (a signal, a full trace), however tight its loop.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// What `playbook run` adds to the host's options: the trace's size cap and how `--resume`
/// treats a prefix it cannot verify.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// `--trace-max-bytes`: the trace stops growing (and the run stops, sealed) at this size.
    pub trace_max_bytes: u64,
    /// `--resume-unverified`: resume a trace whose prefix no signature of `--key` covers,
    /// replaying it as it is (recorded in the trace and said in the summary).
    pub resume_unverified: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self { trace_max_bytes: crate::trace::DEFAULT_MAX_BYTES, resume_unverified: false }
    }
}

/// Where precompiled components are kept, content-addressed by wasmtime (a hash of the
/// component bytes, the wasmtime version and the engine settings), so that a second run of
/// the same playbook skips Cranelift: `$PLAYBOOK_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/playbook/components`, else `~/.cache/playbook/components`.
/// `PLAYBOOK_CACHE_DIR=off` disables it.
#[must_use]
pub fn cache_dir() -> Option<std::path::PathBuf> {
    match std::env::var_os("PLAYBOOK_CACHE_DIR") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(v.into()),
        _ => std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))
            .map(|base| base.join("playbook").join("components")),
    }
}

/// Exit status after SIGINT (128 + 2) and SIGTERM (128 + 15), as a shell reports them.
pub const EXIT_SIGINT: i32 = 130;
pub const EXIT_SIGTERM: i32 = 143;
/// Exit status after SIGPIPE (128 + 13): the run's own output was closed (see `host::console`).
pub const EXIT_SIGPIPE: i32 = 141;

/// The exit status of the signal the process received (0: none). Set by the watcher thread;
/// read by the epoch callback (which stops the guest) and at the start of every host call.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The exit status of the signal that stops the run, once one was received.
#[must_use]
pub fn signal_received() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        code => Some(code),
    }
}

/// `SIGINT` or `SIGTERM`, from an exit status.
#[must_use]
pub fn signal_name(code: i32) -> &'static str {
    match code {
        EXIT_SIGINT => "SIGINT",
        EXIT_SIGPIPE => "SIGPIPE",
        _ => "SIGTERM",
    }
}

/// Stops the run as bash stops when its own output is closed: the shell dies of SIGPIPE when
/// a builtin writes to a pipe nobody reads. The guest is stopped at its next epoch and no
/// further call is made; the run ends with status 141, recorded as interrupted by SIGPIPE.
pub fn stop_on_closed_output() {
    let _ = SIGNAL.compare_exchange(0, EXIT_SIGPIPE, Ordering::SeqCst, Ordering::SeqCst);
}

/// A thread of its own that advances the engine's epoch every `EPOCH_TICK` and receives
/// SIGINT and SIGTERM: it runs whatever the run's thread is doing (a guest loop that never
/// yields included), so a signal is seen within a tick.
struct Watcher {
    stop: Arc<AtomicBool>,
    /// Woken once a signal is received: ends a run waiting in a host call.
    notify: Arc<tokio::sync::Notify>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watcher {
    /// Starts the thread; returns once the signal handlers are installed.
    fn start(engine: &Engine) -> Result<Self, String> {
        let stop = Arc::new(AtomicBool::new(false));
        let notify = Arc::new(tokio::sync::Notify::new());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
        let (engine, stopped, notified) = (engine.clone(), stop.clone(), notify.clone());
        let thread = std::thread::Builder::new()
            .name("playbook-watch".into())
            .spawn(move || match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt.block_on(watch(&engine, &stopped, &notified, &ready_tx)),
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                }
            })
            .map_err(|e| format!("starting the signal watcher: {e}"))?;
        let watcher = Self { stop, notify, thread: Some(thread) };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(watcher),
            Ok(Err(e)) => Err(format!("signal watcher: {e}")),
            Err(_) => Err("the signal watcher stopped".into()),
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn received(code: i32, notify: &tokio::sync::Notify) {
    // The first signal decides the exit status.
    let _ = SIGNAL.compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
    notify.notify_one();
}

async fn watch(
    engine: &Engine,
    stop: &AtomicBool,
    notify: &tokio::sync::Notify,
    ready: &std::sync::mpsc::Sender<Result<(), String>>,
) {
    let mut tick = tokio::time::interval(EPOCH_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (mut int, mut term) = match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(int), Ok(term)) => (int, term),
            (Err(e), _) | (_, Err(e)) => {
                let _ = ready.send(Err(e.to_string()));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        while !stop.load(Ordering::SeqCst) {
            tokio::select! {
                _ = int.recv() => received(EXIT_SIGINT, notify),
                _ = term.recv() => received(EXIT_SIGTERM, notify),
                _ = tick.tick() => {}
            }
            engine.increment_epoch();
        }
    }
    #[cfg(not(unix))]
    {
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut fired = false;
        let _ = ready.send(Ok(()));
        while !stop.load(Ordering::SeqCst) {
            tokio::select! {
                r = &mut ctrl_c, if !fired => {
                    fired = true;
                    if r.is_ok() {
                        received(EXIT_SIGINT, notify);
                    }
                }
                _ = tick.tick() => {}
            }
            engine.increment_epoch();
        }
    }
}

/// An error message as the trace keeps it: at most 2 KiB (a trap's backtrace can be long; the
/// terminal shows all of it), so that the closing lines fit the trace's reserve.
fn short(message: &str) -> String {
    const MAX: usize = 2048;
    if message.len() <= MAX {
        return message.to_string();
    }
    let mut end = MAX;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &message[..end])
}

/// What a run ended with.
pub struct Ended {
    pub status: i32,
    pub summary: Summary,
    /// Where the trace was written.
    pub trace: Option<std::path::PathBuf>,
    /// The trace could not be written completely (disk full, unwritable).
    pub trace_error: Option<String>,
    /// Replay: the first place the component did something else than the trace.
    pub divergence: Option<String>,
    /// Guest events replayed from a trace.
    pub replayed: usize,
    /// `--resume` refused the trace (`seq N: …`): nothing ran and the trace is untouched.
    pub refused: Option<String>,
    /// `--resume`: the `resume` event, what was verified and replayed.
    pub resume: Option<serde_json::Value>,
    /// The limit that stopped or curtailed the run (`trace`, `memory`, `output`, `fuel`).
    pub limit: Option<&'static str>,
}

/// Runs component bytes whose manifest is `manifest`.
///
/// # Errors
/// When the component cannot be loaded or traps (a bug, a limit, or a hand-crafted component).
pub fn run(component: &[u8], document: &Manifest, opts: Options) -> Result<Ended, String> {
    run_with(component, document, opts, &RunOptions::default())
}

/// `run`, with the trace's cap and the resume policy of `more`.
///
/// # Errors
/// As `run`.
#[allow(clippy::too_many_lines)]
pub fn run_with(component: &[u8], document: &Manifest, opts: Options, more: &RunOptions) -> Result<Ended, String> {
    let component_digest = playbook_capability::component::sha256_hex(component);
    let grants = policy::grants_of(document)?;
    let inputs: Vec<InputInfo> = document
        .inputs
        .iter()
        .map(|i| InputInfo {
            name: i.name.clone(),
            source: match i.source {
                InputSource::Placeholder => "placeholder".to_string(),
                InputSource::Env => "env".to_string(),
            },
            secret: i.secret,
        })
        .collect();
    let manifest = &document.to_json();
    let mut config = Config::new();
    config.consume_fuel(true);
    // The guest is interrupted at the next epoch when the run must stop (see `Watcher`).
    config.epoch_interruption(true);
    if let Some(dir) = cache_dir() {
        let mut cc = wasmtime::CacheConfig::new();
        cc.with_directory(dir);
        // An unusable cache directory only costs a compilation; the run goes on without it.
        if let Ok(cache) = wasmtime::Cache::new(cc) {
            config.cache(Some(cache));
        }
    }
    let engine = Engine::new(&config).map_err(|e| format!("wasmtime: {e}"))?;
    let component = Component::new(&engine, component).map_err(|e| format!("loading the component: {e}"))?;
    let mut linker: Linker<HostState> = Linker::new(&engine);
    Playbook::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)
        .map_err(|e| format!("linking: {e}"))?;
    let mut state = HostState::new(opts, grants, inputs);
    let started = crate::trace::now_ms();
    let run_id = crate::trace::random_hex(16);
    let manifest_digest = crate::trace::sha256_hex(crate::trace::canonical(manifest).as_bytes());
    let resume = match setup_trace(&mut state, &component_digest, &manifest_digest, manifest, &run_id, more)? {
        Setup::Ready(resume) => resume,
        Setup::Refused(refused) => {
            return Ok(Ended {
                status: 1,
                summary: Summary::default(),
                trace: state.opts.resume.clone(),
                trace_error: None,
                divergence: None,
                replayed: 0,
                refused: Some(refused),
                resume: None,
                limit: None,
            });
        }
    };
    let unapproved = approval_refused(&state.opts.approved, &component_digest, &manifest_digest);
    if let Some(reason) = &unapproved {
        state.deny_text(reason);
    }
    let mut store = Store::new(&engine, state);
    store.limiter(|s| s as &mut dyn wasmtime::ResourceLimiter);
    store.set_fuel(FUEL).map_err(|e| e.to_string())?;
    // Every tick: stop the guest if the run must stop, else let the executor run (background
    // jobs' output, the signal) and go on.
    store.epoch_deadline_callback(|cx| {
        if cx.data().stopping().is_some() {
            return Err(wasmtime::Error::msg("the run was stopped (a signal, or the trace is full)"));
        }
        Ok(wasmtime::UpdateDeadline::Yield(1))
    });
    store.set_epoch_deadline(1);
    SIGNAL.store(0, Ordering::SeqCst);
    let watcher = Watcher::start(&engine)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        if unapproved.is_some() {
            return Ok(playbook_capability::component::DENIED_STATUS);
        }
        let pb = Playbook::instantiate_async(&mut store, &component, &linker)
            .await
            .map_err(|e| format!("instantiating: {e}"))?;
        // SIGINT or SIGTERM stop the run where it is: the guest at its next epoch, or the call
        // in flight dropped (its program killed); background jobs are stopped, and the summary
        // says so.
        let status = tokio::select! {
            r = pb.call_run(&mut store) => r.map_err(|e| {
                if e.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::OutOfFuel) {
                    store.data_mut().limit_hit.get_or_insert("fuel");
                    format!("the playbook ran out of fuel ({FUEL} instructions): an endless loop?")
                } else {
                    format!("the playbook trapped: {e:?}")
                }
            }),
            () = watcher.notify.notified() => Ok(0),
        };
        store.data_mut().stop_background().await;
        status
    });
    drop(watcher);
    let full = store
        .data()
        .recorder
        .as_ref()
        .and_then(|r| r.lock().unwrap_or_else(std::sync::PoisonError::into_inner).full.clone());
    let result = match (signal_received(), result) {
        (Some(code), _) => Ok(code),
        (None, r) if full.is_some() => {
            // The trace is full: the run was stopped (its next call denied, or the guest at
            // its next epoch), cleanly, and is sealed.
            let state = store.data_mut();
            state.limit_hit = Some("trace");
            if state.summary.denied == 0 {
                state.summary.denied += 1;
                state.summary.denials.push(format!("{}: the run was stopped", full.clone().unwrap_or_default()));
            }
            r.or(Ok(playbook_capability::component::DENIED_STATUS))
        }
        (None, r) => r,
    };
    if let Ok(code @ (EXIT_SIGINT | EXIT_SIGTERM | EXIT_SIGPIPE)) = result
        && signal_received().is_some()
    {
        let which = signal_name(code);
        store.data_mut().summary.interrupted = Some(which.to_string());
        store.data().event(
            "interrupted",
            &if code == EXIT_SIGPIPE {
                "\n  ■ stopped by SIGPIPE: the run's own output was closed, as bash stops when it writes \
                 to a closed pipe; background jobs stopped"
                    .to_string()
            } else {
                format!("\n  ■ interrupted by {which}; background jobs stopped")
            },
            serde_json::json!({ "signal": which }),
        );
    }
    let summary = store.data().summary.clone();
    let state = store.data_mut();
    let divergence = state.replay.as_ref().and_then(|r| r.diverged.clone()).or_else(|| {
        // Replay: the component ended while the trace had more to say.
        state
            .replay
            .as_ref()
            .filter(|r| !r.then_live && r.pos < r.events.len())
            .map(|r| format!("the component ended, but the trace goes on at seq {}", r.events[r.pos].seq()))
    });
    let error = result.as_ref().err().map(|e| short(e));
    state.trace(
        "run-end",
        serde_json::json!({
            "status": result.as_ref().ok(), "error": error, "steps": summary.steps,
            "failed": summary.failed, "denied": summary.denied, "interrupted": summary.interrupted,
            "limit": state.limit_hit, "printed": state.printed, "print_dropped": state.print_dropped,
        }),
    );
    let mut trace_error = None;
    if let Some(rec) = state.recorder.as_ref() {
        let mut rec = rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if summary.interrupted.is_some() || state.leave_open.is_some() {
            // Stopped from outside, or at a resumed call nobody confirmed: not finished, so not
            // sealed. A signed checkpoint covers what
            // was written, and `--resume` continues the same chain.
            rec.checkpoint();
        } else {
            rec.seal(
                &component_digest,
                &manifest_digest,
                serde_json::json!({
                    "runner": { "name": "playbook", "version": env!("CARGO_PKG_VERSION"), "wasmtime": "48.0.8" },
                    "playbook": { "name": document.playbook.name, "source_sha256": document.playbook.source_sha256 },
                    "invocation": { "run_id": run_id, "host": host_name(), "started": started, "finished": crate::trace::now_ms() },
                    "result": { "status": result.as_ref().ok(), "error": error },
                }),
            );
        }
        trace_error.clone_from(&rec.broken);
    }
    let trace =
        state.recorder.as_ref().map(|r| r.lock().unwrap_or_else(std::sync::PoisonError::into_inner).path.clone());
    let replayed = state.replay.as_ref().map_or(0, |r| r.replayed);
    let limit = state.limit_hit;
    result.map(|status| Ended {
        status,
        summary,
        trace,
        trace_error,
        divergence,
        replayed,
        refused: None,
        resume,
        limit,
    })
}

/// Why the run is refused by `--approved`, if it is: neither the manifest nor the component is
/// one the operator named (a widened manifest or a swapped component after review).
fn approval_refused(approved: &[String], component: &str, manifest: &str) -> Option<String> {
    if approved.is_empty() {
        return None;
    }
    let ok = approved.iter().any(|a| {
        let hex = a.strip_prefix("sha256:").unwrap_or(a).to_ascii_lowercase();
        hex == component || hex == manifest
    });
    (!ok).then(|| {
        format!(
            "the manifest sha256:{manifest} (component sha256:{component}) is not the approved one ({})",
            approved.join(", ")
        )
    })
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The secret inputs' values known before the run (given with --input or in the environment).
fn secret_values(state: &HostState) -> Vec<(String, String)> {
    state
        .inputs
        .iter()
        .filter(|i| i.secret)
        .filter_map(|i| {
            let v = state.opts.inputs.get(&i.name).cloned().or_else(|| std::env::var(&i.name).ok())?;
            Some((i.name.clone(), v))
        })
        .collect()
}

/// The key of secret fingerprints without a signing key: one per user, created on first use.
fn host_fingerprint_key() -> Vec<u8> {
    let Some(dir) = crate::trace::default_dir().and_then(|d| d.parent().map(std::path::Path::to_path_buf)) else {
        return Vec::new();
    };
    let path = dir.join("fingerprint.key");
    if let Ok(k) = std::fs::read(&path)
        && k.len() == 32
    {
        return k;
    }
    let mut k = vec![0u8; 32];
    let _ = getrandom::getrandom(&mut k);
    let _ = std::fs::create_dir_all(&dir);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    if let Ok(mut f) = opts.open(&path) {
        let _ = std::io::Write::write_all(&mut f, &k);
    }
    k
}

/// What `setup_trace` found.
enum Setup {
    /// The trace is open (`--resume`: the `resume` event written).
    Ready(Option<serde_json::Value>),
    /// `--resume` refused the trace: `seq N: …`.
    Refused(String),
}

/// Opens the trace for recording, replay or resume, and writes `run-start` (or `resume`).
fn setup_trace(
    state: &mut HostState,
    component_digest: &str,
    manifest_digest: &str,
    manifest: &serde_json::Value,
    run_id: &str,
    more: &RunOptions,
) -> Result<Setup, String> {
    use crate::trace::{Journal, Recorder, Redactor, seal::Signer};
    // The key is read once: it keys the secrets' fingerprints and signs the trace.
    let signer = state.opts.key.as_deref().map(Signer::load).transpose()?;
    let fp_key = signer.as_ref().map_or_else(host_fingerprint_key, Signer::fingerprint_key);
    let redactor = Redactor::new(&secret_values(state), fp_key);
    state.redactor = std::sync::Arc::new(redactor.clone());
    if let Some(path) = state.opts.replay.clone() {
        let journal = Journal::read(&path)?;
        state.replay = Some(crate::host::record::Replay { events: journal.guest_events(), ..Default::default() });
        return Ok(Setup::Ready(None));
    }
    if let Some(path) = state.opts.resume.clone() {
        let journal = Journal::read(&path)?;
        if journal.sealed() && !journal.trailing_lines() {
            return Err(format!(
                "{}: that run finished (its trace is sealed); there is nothing to resume",
                path.display()
            ));
        }
        return Ok(resume(state, &journal, signer, redactor, component_digest, manifest_digest, run_id, more));
    }
    let Some(path) = state.opts.trace.clone() else { return Ok(Setup::Ready(None)) };
    let mut rec = Recorder::create(&path, signer, redactor.clone())?;
    rec.set_max_bytes(more.trace_max_bytes);
    state.recorder = Some(std::sync::Mutex::new(rec));
    let inputs: serde_json::Map<String, serde_json::Value> = state
        .opts
        .inputs
        .iter()
        .map(|(k, v)| {
            let secret = state.inputs.iter().any(|i| i.name == *k && i.secret);
            let value = if secret {
                serde_json::json!({ "secret": true, "hmac": redactor.fingerprint(v) })
            } else {
                v.clone().into()
            };
            (k.clone(), value)
        })
        .collect();
    let o = &state.opts;
    let options = serde_json::json!({
        "choose": o.choose, "yes": o.policy.yes, "dry_run": o.dry_run, "allow": o.policy.allow,
        "deny": o.policy.deny, "allow_privileged": o.policy.allow_privileged, "timeout": o.timeout_secs,
        "max_wait": o.max_wait, "trace_max_bytes": more.trace_max_bytes,
        "unconfined": o.unconfined,
        "jail": if o.unconfined { "off (--unconfined)" } else if crate::host::jail::supported() { "landlock+seccomp" } else { "unavailable: programs refused" },
        "resolve": o.resolve.iter().map(|(h, ip)| format!("{h}={ip}")).collect::<Vec<_>>(),
    });
    state.trace(
        "run-start",
        serde_json::json!({
            "run_id": run_id,
            "playbook": manifest["playbook"],
            "component_sha256": component_digest,
            "manifest_sha256": manifest_digest,
            "manifest": manifest,
            "runtime": concat!("playbook ", env!("CARGO_PKG_VERSION")),
            "host": host_name(),
            "inputs": inputs,
            "options": options,
            "fingerprint_key": redactor.key_id(),
        }),
    );
    // Signed at once: what the run is of (component, manifest, inputs, options) is covered
    // from the start, and a resume of this trace has a checkpoint to verify.
    checkpoint_now(state);
    Ok(Setup::Ready(None))
}

fn checkpoint_now(state: &HostState) {
    if let Some(rec) = state.recorder.as_ref() {
        rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner).checkpoint_now();
    }
}

/// `--resume TRACE`: verifies the trace before anything of it is replayed, then reopens it.
///
/// Refused (`seq N: …`, nothing run, the file untouched): a broken chain or a line that is
/// not JSON followed by more; a trace of another component or manifest; and, unless
/// `--resume-unverified`, a trace no checkpoint signed with `--key` covers, or one with a
/// checkpoint that does not verify with it.
///
/// Verified, only the events before the last valid checkpoint are replayed; what comes after
/// it is covered by no signature and not trusted: its reads are made again live (their
/// recorded results ignored) and a change recorded there is asked about like a call in flight.
#[allow(clippy::too_many_arguments)]
fn resume(
    state: &mut HostState,
    journal: &crate::trace::Journal,
    signer: Option<crate::trace::seal::Signer>,
    redactor: crate::trace::Redactor,
    component_digest: &str,
    manifest_digest: &str,
    run_id: &str,
    more: &RunOptions,
) -> Setup {
    use crate::trace::{Recorder, verify};
    let path = journal.path.display();
    let refuse = |why: String| Setup::Refused(format!("{path}: {why}"));
    let Some(start) = journal.start() else {
        return refuse("seq 0: not a playbook trace (it does not begin with run-start)".into());
    };
    for (what, field, ours) in
        [("component", "component_sha256", component_digest), ("manifest", "manifest_sha256", manifest_digest)]
    {
        if start[field].as_str() != Some(ours) {
            return refuse(format!(
                "seq 0: the trace is of {what} sha256:{}, not of this one (sha256:{ours}): resume the same playbook",
                start[field].as_str().unwrap_or("?")
            ));
        }
    }
    let public = signer.as_ref().map(crate::trace::seal::Signer::public);
    let prefix = match verify::resume_prefix(journal, public.as_ref()) {
        Ok(p) => p,
        Err(why) => return refuse(format!("{why}; nothing was replayed or run")),
    };
    let lines = journal.lines.len();
    let (replayed_to, verified_to) = match (&prefix.unverified, prefix.covered) {
        (None, Some(c)) => (usize::try_from(c).unwrap_or(lines), Some(c)),
        (Some(why), _) if !more.resume_unverified => {
            return refuse(format!(
                "{why}. Nothing was replayed or run: pass --key with the key the run was signed with, or --resume-unverified to replay the trace as it is (recorded in the trace)"
            ));
        }
        _ => (lines, None),
    };
    let events = journal.recorded(replayed_to);
    // After the last verified checkpoint: matched (never replayed) to ask before a change is
    // made again.
    let tail: Vec<crate::trace::Recorded> = if verified_to.is_some() {
        journal.guest_events().into_iter().filter(|r| r.seq() >= replayed_to as u64).collect()
    } else {
        Vec::new()
    };
    let keyid = signer.as_ref().map(crate::trace::seal::Signer::keyid);
    let mut rec = match Recorder::extend(journal, signer, redactor) {
        Ok(r) => r,
        Err(e) => return refuse(e),
    };
    rec.set_max_bytes(more.trace_max_bytes);
    state.recorder = Some(std::sync::Mutex::new(rec));
    state.replay =
        Some(crate::host::record::Replay { events, then_live: true, tail, verified_to, ..Default::default() });
    let mut fields = serde_json::json!({
        "from_seq": lines, "torn_tail": journal.torn, "run_id": run_id,
        "verified": verified_to.is_some(), "verified_to": verified_to, "replayed_to": replayed_to,
        "keyid": keyid,
    });
    let text = if let (Some(to), None) = (verified_to, &prefix.unverified) {
        let after = if to + 1 < lines as u64 {
            format!("; seq {}–{} come after it, are covered by no signature and are run again live", to + 1, lines - 1)
        } else {
            String::new()
        };
        format!(
            "↻ resuming {path}: verified up to the signed checkpoint at seq {to}; replaying what came before it{after}"
        )
    } else {
        let why = prefix.unverified.clone().unwrap_or_default();
        fields["unverified"] = why.clone().into();
        fields["flag"] = "--resume-unverified".into();
        format!(
            "↻ resuming {path} UNVERIFIED (--resume-unverified): {why}; seq 0–{} are replayed as recorded",
            lines.saturating_sub(1)
        )
    };
    state.trace("resume", fields.clone());
    checkpoint_now(state);
    state.event("resume", &text, fields.clone());
    Setup::Ready(Some(fields))
}

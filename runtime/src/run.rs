//! `playbook run`: load a component (compiling Markdown first), check its manifest, and run it on
//! wasmtime with the host of `host/`, under a memory limit and a fuel budget.

use playbook_capability::manifest::{InputSource, Manifest};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store};

use crate::bindings::Playbook;
use crate::host::{HostState, InputInfo, Options, Summary};
use crate::policy;

/// Instructions a playbook may execute in the guest (host calls do not count).
const FUEL: u64 = 5_000_000_000;

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

/// Resolves when the process receives SIGINT or SIGTERM, with the matching exit status.
async fn interrupted() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(mut int), Ok(mut term)) => tokio::select! {
                _ = int.recv() => EXIT_SIGINT,
                _ = term.recv() => EXIT_SIGTERM,
            },
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        EXIT_SIGINT
    }
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
}

/// Runs component bytes whose manifest is `manifest`.
///
/// # Errors
/// When the component cannot be loaded or traps (a bug, a limit, or a hand-crafted component).
pub fn run(component: &[u8], document: &Manifest, opts: Options) -> Result<Ended, String> {
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
    setup_trace(&mut state, &component_digest, &manifest_digest, manifest, &run_id)?;
    let unapproved = approval_refused(&state.opts.approved, &component_digest, &manifest_digest);
    if let Some(reason) = &unapproved {
        state.deny_text(reason);
    }
    let mut store = Store::new(&engine, state);
    store.limiter(|s| s as &mut dyn wasmtime::ResourceLimiter);
    store.set_fuel(FUEL).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        if unapproved.is_some() {
            return Ok(playbook_capability::component::DENIED_STATUS);
        }
        let pb = Playbook::instantiate_async(&mut store, &component, &linker)
            .await
            .map_err(|e| format!("instantiating: {e}"))?;
        // SIGINT or SIGTERM stop the run where it is: the call in flight is dropped (its
        // program killed), background jobs are stopped, and the summary says so.
        let status = tokio::select! {
            r = pb.call_run(&mut store) => r.map_err(|e| {
                if e.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::OutOfFuel) {
                    store.data_mut().limit_hit.get_or_insert("fuel");
                    format!("the playbook ran out of fuel ({FUEL} instructions): an endless loop?")
                } else {
                    format!("the playbook trapped: {e:?}")
                }
            }),
            signal = interrupted() => Ok(signal),
        };
        store.data_mut().stop_background().await;
        status
    });
    if let Ok(code @ (EXIT_SIGINT | EXIT_SIGTERM)) = result {
        let which = if code == EXIT_SIGINT { "SIGINT" } else { "SIGTERM" };
        store.data_mut().summary.interrupted = Some(which.to_string());
        store.data().event(
            "interrupted",
            &format!("\n  ■ interrupted by {which}; background jobs stopped"),
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
            .map(|r| format!("the component ended, but the trace goes on at seq {}", r.events[r.pos].0["seq"]))
    });
    state.trace(
        "run-end",
        serde_json::json!({
            "status": result.as_ref().ok(), "error": result.as_ref().err(), "steps": summary.steps,
            "failed": summary.failed, "denied": summary.denied, "interrupted": summary.interrupted,
            "limit": state.limit_hit, "printed": state.printed, "print_dropped": state.print_dropped,
        }),
    );
    let mut trace_error = None;
    if let Some(rec) = state.recorder.as_ref() {
        let mut rec = rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if summary.interrupted.is_some() {
            // Stopped from outside: not finished, so not sealed. A signed checkpoint covers what
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
                    "result": { "status": result.as_ref().ok(), "error": result.as_ref().err() },
                }),
            );
        }
        trace_error.clone_from(&rec.broken);
    }
    let trace =
        state.recorder.as_ref().map(|r| r.lock().unwrap_or_else(std::sync::PoisonError::into_inner).path.clone());
    let replayed = state.replay.as_ref().map_or(0, |r| r.replayed);
    result.map(|status| Ended { status, summary, trace, trace_error, divergence, replayed })
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

/// Opens the trace for recording, replay or resume, and writes `run-start` (or `resume`).
fn setup_trace(
    state: &mut HostState,
    component_digest: &str,
    manifest_digest: &str,
    manifest: &serde_json::Value,
    run_id: &str,
) -> Result<(), String> {
    use crate::trace::{Journal, Recorder, Redactor, seal::Signer};
    // The key is read once: it keys the secrets' fingerprints and signs the trace.
    let signer = state.opts.key.as_deref().map(Signer::load).transpose()?;
    let fp_key = signer.as_ref().map_or_else(host_fingerprint_key, Signer::fingerprint_key);
    let redactor = Redactor::new(&secret_values(state), fp_key);
    state.redactor = std::sync::Arc::new(redactor.clone());
    if let Some(path) = state.opts.replay.clone() {
        let journal = Journal::read(&path)?;
        state.replay = Some(crate::host::record::Replay { events: journal.guest_events(), ..Default::default() });
        return Ok(());
    }
    if let Some(path) = state.opts.resume.clone() {
        let journal = Journal::read(&path)?;
        let start =
            journal.start().ok_or_else(|| format!("{}: not a playbook trace (no run-start)", path.display()))?;
        if start["component_sha256"].as_str() != Some(component_digest) {
            return Err(format!(
                "{} is a trace of component sha256:{}, not of this one (sha256:{component_digest}): resume the same playbook",
                path.display(),
                start["component_sha256"].as_str().unwrap_or("?")
            ));
        }
        if journal.sealed() {
            return Err(format!(
                "{}: that run finished (its trace is sealed); there is nothing to resume",
                path.display()
            ));
        }
        let from = journal.lines.len();
        let torn = journal.torn.clone();
        let events = journal.guest_events();
        let rec = Recorder::extend(&journal, signer, redactor)?;
        state.recorder = Some(std::sync::Mutex::new(rec));
        state.replay = Some(crate::host::record::Replay { events, then_live: true, ..Default::default() });
        state.trace("resume", serde_json::json!({ "from_seq": from, "torn_tail": torn, "run_id": run_id }));
        return Ok(());
    }
    let Some(path) = state.opts.trace.clone() else { return Ok(()) };
    let rec = Recorder::create(&path, signer, redactor.clone())?;
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
        "max_wait": o.max_wait,
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
    Ok(())
}

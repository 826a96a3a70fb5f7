//! `playbook run`: load a component (compiling Markdown first), check its manifest, and run it on
//! wasmtime with the host of `host/`, under a memory limit and a fuel budget.

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
}

/// Runs component bytes whose manifest is `manifest`.
///
/// # Errors
/// When the component cannot be loaded or traps (a bug, a limit, or a hand-crafted component).
pub fn run(component: &[u8], manifest: &serde_json::Value, opts: Options) -> Result<Ended, String> {
    let component_digest = playbook_compiler::sha256_hex(component);
    let grants = policy::grants_of(manifest)?;
    let inputs: Vec<InputInfo> = manifest["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| InputInfo {
            name: i["name"].as_str().unwrap_or_default().to_string(),
            source: i["source"].as_str().unwrap_or_default().to_string(),
            secret: i["secret"].as_bool().unwrap_or(false),
        })
        .collect();
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
    state.open_trace()?;
    state.trace(
        "run-start",
        serde_json::json!({
            "component_sha256": component_digest,
            "manifest_sha256": playbook_compiler::sha256_hex(manifest.to_string().as_bytes()),
            "playbook": manifest["playbook"],
            "runtime": concat!("playbook ", env!("CARGO_PKG_VERSION")),
            "resolve": state.opts.resolve.iter().map(|(h, ip)| format!("{h}={ip}")).collect::<Vec<_>>(),
        }),
    );
    let mut store = Store::new(&engine, state);
    store.limiter(|s| &mut s.limits);
    store.set_fuel(FUEL).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        let pb = Playbook::instantiate_async(&mut store, &component, &linker)
            .await
            .map_err(|e| format!("instantiating: {e}"))?;
        // SIGINT or SIGTERM stop the run where it is: the call in flight is dropped (its
        // program killed), background jobs are stopped, and the summary says so.
        let status = tokio::select! {
            r = pb.call_run(&mut store) => r.map_err(|e| format!("the playbook trapped: {e:?}")),
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
    store.data().trace(
        "run-end",
        serde_json::json!({
            "status": result.as_ref().ok(), "error": result.as_ref().err(), "steps": summary.steps,
            "failed": summary.failed, "denied": summary.denied,
        }),
    );
    result.map(|status| Ended { status, summary })
}

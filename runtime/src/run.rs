//! `playbook run`: load a component (compiling Markdown first), check its manifest, and run it on
//! wasmtime with the host of `host/`, under a memory limit and a fuel budget.

use std::path::Path;

use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store};

use crate::bindings::Playbook;
use crate::host::{HostState, InputInfo, Options, Summary};
use crate::policy;

/// Instructions a playbook may execute in the guest (host calls do not count).
const FUEL: u64 = 5_000_000_000;

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
    let grants = policy::grants_of(manifest)?;
    let inputs: Vec<InputInfo> = manifest["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| InputInfo {
            name: i["name"].as_str().unwrap_or_default().to_string(),
            source: i["source"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    let mut config = Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config).map_err(|e| format!("wasmtime: {e}"))?;
    let component = Component::new(&engine, component).map_err(|e| format!("loading the component: {e}"))?;
    let mut linker: Linker<HostState> = Linker::new(&engine);
    Playbook::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)
        .map_err(|e| format!("linking: {e}"))?;
    let mut store = Store::new(&engine, HostState::new(opts, grants, inputs));
    store.limiter(|s| &mut s.limits);
    store.set_fuel(FUEL).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        let pb = Playbook::instantiate_async(&mut store, &component, &linker)
            .await
            .map_err(|e| format!("instantiating: {e}"))?;
        pb.call_run(&mut store).await.map_err(|e| format!("the playbook trapped: {e:?}"))
    });
    store.data_mut().stop_background();
    let summary = store.data().summary.clone();
    result.map(|status| Ended { status, summary })
}

/// Component bytes and manifest of a `.md` (compiled now) or a compiled `.wasm`.
///
/// # Errors
/// Unreadable files, runbooks with errors (already printed), components without a manifest.
pub fn load(path: &Path) -> Result<Result<(Vec<u8>, serde_json::Value), u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.starts_with(b"\0asm") {
        let sections = playbook_compiler::codegen::read_sections(&bytes)?;
        let manifest = sections.get(playbook_compiler::codegen::sections::MANIFEST).ok_or_else(|| {
            format!("{} is WebAssembly but not a playbook: it has no manifest section", path.display())
        })?;
        let manifest =
            serde_json::from_str(manifest).map_err(|e| format!("{}: bad manifest section: {e}", path.display()))?;
        return Ok(Ok((bytes, manifest)));
    }
    match crate::cli::compile_path(path)? {
        Ok(c) if !c.has_errors() => {
            let emitted = playbook_compiler::codegen::emit(&c)
                .map_err(|e| format!("internal error while generating code: {e}"))?;
            Ok(Ok((emitted.component, c.manifest.to_json(&c.source))))
        }
        Ok(c) => {
            let errors: Vec<_> =
                c.diagnostics.iter().filter(|d| d.severity == playbook_compiler::Severity::Error).cloned().collect();
            eprint!("{}", crate::cli::render::diagnostics_text(&c.source, &errors, false));
            Ok(Err(crate::cli::EXIT_RUNBOOK_ERRORS))
        }
        Err((source, diags)) => {
            eprint!("{}", crate::cli::render::diagnostics_text(&source, &diags, false));
            Ok(Err(crate::cli::EXIT_RUNBOOK_ERRORS))
        }
    }
}

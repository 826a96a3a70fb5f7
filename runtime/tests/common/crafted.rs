//! Components an attacker could hand the runtime: hand-written WAT wrapped with the playbook
//! world, or the code of one runbook carrying the manifest a reviewer approved for another.

use std::path::{Path, PathBuf};
use std::process::Output;

pub use super::playbook;

use playbook_compiler::{Source, codegen, compile};

/// The manifest the compiler gives `md`: what a reviewer approved.
pub fn manifest_of(md: &str) -> serde_json::Value {
    let c = compile(Source::new("approved.md", md));
    c.manifest.to_json(&c.source)
}

/// Writes a component of `component` bytes (no custom sections) with `manifest` as its
/// manifest section text and an empty graph.
pub fn with_manifest_text(dir: &Path, name: &str, component: Vec<u8>, manifest: &str) -> PathBuf {
    let graph = serde_json::json!({ "nodes": [], "edges": [] });
    let bytes = codegen::attach(
        component,
        vec![
            (playbook_capability::component::sections::MANIFEST, manifest.as_bytes().to_vec()),
            (playbook_capability::component::sections::GRAPH, graph.to_string().into_bytes()),
        ],
    );
    let path = dir.join(format!("{name}.wasm"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A component of `wat` (a core module importing the playbook world) carrying `manifest`.
pub fn from_wat(dir: &Path, name: &str, wat: &str, manifest: &serde_json::Value) -> PathBuf {
    let core = wat::parse_str(wat).unwrap();
    let bytes = codegen::componentize_core(&core).unwrap();
    with_manifest_text(dir, name, bytes, &manifest.to_string())
}

/// The code of `rogue_md` with the manifest of `approved_md`.
pub fn rogue(dir: &Path, name: &str, approved_md: &str, rogue_md: &str) -> PathBuf {
    let rogue = compile(Source::new("rogue.md", rogue_md));
    let code = codegen::emit_code(&rogue).unwrap().component;
    with_manifest_text(dir, name, code, &manifest_of(approved_md).to_string())
}

/// The events of a trace file.
pub fn events(trace: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(trace)
        .map_or_else(|_| Vec::new(), |t| t.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

/// `playbook run TARGET --workdir DIR --trace DIR/NAME.jsonl ARGS…`: the output and the events.
pub fn run_traced(dir: &Path, target: &Path, trace: &str, args: &[&str]) -> (Output, Vec<serde_json::Value>) {
    let t = dir.join(trace);
    let _ = std::fs::remove_file(&t);
    let mut all =
        vec!["run", target.to_str().unwrap(), "--workdir", dir.to_str().unwrap(), "--trace", t.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = playbook(dir, &all);
    (o, events(&t))
}

/// The reasons of the `denied` events.
pub fn denials(ev: &[serde_json::Value]) -> Vec<String> {
    ev.iter().filter(|e| e["kind"] == "denied").map(|e| e["reason"].as_str().unwrap_or_default().to_string()).collect()
}

/// The trace verifies as sealed (signed or not): exit 0.
pub fn assert_verifies(dir: &Path, trace: &str) {
    let o = playbook(dir, &["verify", trace]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

//! `playbook manifest` and `playbook graph`: what a runbook may do, and in what order.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::Path;

use super::render;
use super::{EXIT_RUNBOOK_ERRORS, GraphFormat, ManifestFormat};
use playbook_capability::manifest::{self, Manifest};
use playbook_compiler::{Compilation, codegen};

/// Compiles runbook bytes, or prints the errors and returns the exit code.
fn compiled_from(path: &Path, bytes: &[u8]) -> Result<Compilation, u8> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match super::compile_bytes(path, bytes) {
        Ok(c) if !c.has_blocking_errors() => {
            // Blocks that could not be compiled became manual steps: say so, once.
            let contained = c.diagnostics.iter().filter(|d| d.contained).count();
            if contained > 0 {
                eprintln!(
                    "{}: warning: {contained} error{} confined to blocks that become manual steps; run `playbook check` for details",
                    c.source.name(),
                    if contained == 1 { " is" } else { "s are" }
                );
            }
            Ok(c)
        }
        Ok(c) => {
            let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.blocks()).cloned().collect();
            eprint!("{}", render::diagnostics_text(&c.source, &errors, color));
            eprintln!("{}: {}; run `playbook check` for details", c.source.name(), render::summary(&c.diagnostics));
            Err(EXIT_RUNBOOK_ERRORS)
        }
        Err((source, diags)) => {
            eprint!("{}", render::diagnostics_text(&source, &diags, color));
            Err(EXIT_RUNBOOK_ERRORS)
        }
    }
}

/// Reads and compiles a runbook as Markdown, whatever its extension.
fn compiled(path: &Path) -> Result<Result<Compilation, u8>, String> {
    Ok(compiled_from(path, &super::read(path)?))
}

/// What a path holds: a runbook (compiled now) or a compiled playbook component.
pub enum Loaded {
    Source(Box<Compilation>),
    Component { bytes: Vec<u8>, sections: BTreeMap<String, String> },
}

impl Loaded {
    /// One JSON document: from the compilation, or from the component's custom section.
    ///
    /// # Errors
    /// A component without the section, or one whose section is refused or not JSON.
    pub fn json(&self, path: &Path, name: &str) -> Result<serde_json::Value, String> {
        match self {
            Self::Source(c) if name == playbook_capability::component::sections::MANIFEST => {
                Ok(c.manifest.to_json(&c.source))
            }
            Self::Source(c) => Ok(playbook_compiler::render::graph_document(c)),
            Self::Component { sections, .. } => {
                let text = sections.get(name).ok_or_else(|| format!("{} has no {name} section", path.display()))?;
                if name == playbook_capability::component::sections::MANIFEST {
                    // Strict: what the reviewer reads is what the runtime enforces.
                    return manifest::read(text)
                        .map(|m| m.to_json())
                        .map_err(|e| format!("{}: the manifest is refused: {e}", path.display()));
                }
                serde_json::from_str(text)
                    .map_err(|e| format!("{}: the {name} section is not valid JSON: {e}", path.display()))
            }
        }
    }

    /// The manifest, read strictly from a component or made from the compilation.
    ///
    /// # Errors
    /// A component whose manifest section is refused.
    pub fn manifest(&self, path: &Path) -> Result<Manifest, String> {
        match self {
            Self::Source(c) => Ok(c.manifest.document(&c.source)),
            Self::Component { sections, .. } => {
                let text = sections
                    .get(playbook_capability::component::sections::MANIFEST)
                    .ok_or_else(|| format!("{} has no manifest section", path.display()))?;
                manifest::read(text).map_err(|e| format!("{}: the manifest is refused: {e}", path.display()))
            }
        }
    }

    /// Component bytes, manifest and number of steps, generating the code of a runbook.
    ///
    /// # Errors
    /// A code-generation failure or a component whose manifest section is not JSON.
    pub fn into_playbook(self, path: &Path) -> Result<(Vec<u8>, Manifest, u32), String> {
        let manifest = self.manifest(path)?;
        let graph = self.json(path, playbook_capability::component::sections::GRAPH)?;
        let steps = graph["nodes"].as_array().map_or(0, |n| n.iter().filter(|n| n["kind"] == "step").count());
        let steps = u32::try_from(steps).unwrap_or(u32::MAX);
        match self {
            Self::Source(c) => {
                let emitted = codegen::emit(&c).map_err(|e| format!("internal error while generating code: {e}"))?;
                Ok((emitted.component, manifest, steps))
            }
            Self::Component { bytes, .. } => Ok((bytes, manifest, steps)),
        }
    }
}

/// Reads a path once: a wasm binary is a compiled playbook (it must carry a manifest), anything
/// else is a runbook, compiled now. `Ok(Err(code))`: the runbook has errors, already printed.
///
/// # Errors
/// Unreadable files and WebAssembly that is not a playbook.
pub fn load(path: &Path) -> Result<Result<Loaded, u8>, String> {
    let bytes = super::read(path)?;
    if bytes.starts_with(b"\0asm") {
        let sections = playbook_capability::component::read_sections(&bytes)?;
        if !sections.contains_key(playbook_capability::component::sections::MANIFEST) {
            return Err(format!("{} is WebAssembly but not a playbook: it has no manifest section", path.display()));
        }
        return Ok(Ok(Loaded::Component { bytes, sections }));
    }
    Ok(compiled_from(path, &bytes).map(|c| Loaded::Source(Box::new(c))))
}

/// `playbook compile`: the runbook's component to `output` (and its core module to `core`); the
/// exit code, nonzero when the runbook has errors (they are printed).
///
/// # Errors
/// When the runbook cannot be read, code generation fails, or an output cannot be written.
pub fn compile(path: &Path, output: &Path, core: Option<&Path>) -> Result<u8, String> {
    // Parse the WIT world on the second core while the runbook compiles.
    let abi = std::thread::spawn(|| {
        std::sync::LazyLock::force(&codegen::ABI);
    });
    let c = match compiled(path)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let _ = abi.join();
    let emitted = codegen::emit(&c).map_err(|e| format!("internal error while generating code: {e}"))?;
    std::fs::write(output, &emitted.component).map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    if let Some(core_path) = core {
        std::fs::write(core_path, &emitted.core).map_err(|e| format!("cannot write {}: {e}", core_path.display()))?;
    }
    eprintln!(
        "compiled {} -> {} ({} bytes, {} grants, {} steps)",
        c.source.name(),
        output.display(),
        emitted.component.len(),
        c.manifest.grants.len(),
        c.graph.nodes.len()
    );
    Ok(0)
}

/// The manifest of a runbook or a compiled component, or the exit code of its errors.
fn manifest_of(path: &Path) -> Result<Result<Manifest, u8>, String> {
    match load(path)? {
        Ok(loaded) => loaded.manifest(path).map(Ok),
        Err(code) => Ok(Err(code)),
    }
}

/// `playbook manifest OLD --diff NEW`: grants and inputs gained and lost, compared by
/// capability, effect, scope and privilege (not by id or line, which move with edits).
///
/// # Errors
/// When either file cannot be read, is neither a runbook nor a playbook component, or carries a
/// manifest the strict reader refuses.
pub fn manifest_diff(old: &Path, new: &Path, format: ManifestFormat) -> Result<u8, String> {
    let (a, b) = match (manifest_of(old)?, manifest_of(new)?) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return Ok(code),
    };
    let d = manifest::diff(&a, &b);
    match format {
        ManifestFormat::Json => println!("{}", serde_json::to_string_pretty(&d).map_err(|e| e.to_string())?),
        ManifestFormat::Text => print!("{}", manifest::diff_text(&d)),
    }
    Ok(u8::from(!d.is_empty()))
}

/// The digest of a manifest as traces name it: SHA-256 of its RFC 8785 canonical JSON.
#[must_use]
pub fn manifest_digest(m: &Manifest) -> String {
    format!("sha256:{}", crate::trace::sha256_hex(crate::trace::canonical(&m.to_json()).as_bytes()))
}

/// `playbook manifest`: the same JSON-derived output for a runbook and for its component.
///
/// # Errors
/// When the file cannot be read, is neither a runbook nor a playbook component, or carries a
/// manifest the strict reader refuses.
pub fn manifest(path: &Path, format: ManifestFormat) -> Result<u8, String> {
    let m = match manifest_of(path)? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    match format {
        ManifestFormat::Json => println!("{}", serde_json::to_string_pretty(&m).map_err(|e| e.to_string())?),
        ManifestFormat::Text => {
            print!("{}", m.to_text());
            // What a reviewer approves: `playbook run … --approved` refuses any other manifest.
            println!("\nApprove with: --approved {}", manifest_digest(&m));
        }
    }
    Ok(0)
}

/// `playbook steps` (and `playbook run --list`): every step, choice and optional section, with
/// its id, effects and inputs.
///
/// # Errors
/// As `graph`.
pub fn steps(path: &Path, json: bool) -> Result<u8, String> {
    let g = match load(path)? {
        Ok(loaded) => loaded.json(path, playbook_capability::component::sections::GRAPH)?,
        Err(code) => return Ok(code),
    };
    let list = super::steps::Graph::new(&g)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list.json()).map_err(|e| e.to_string())?);
    } else {
        print!("{}", list.text());
    }
    Ok(0)
}

/// `playbook graph`: the same JSON-derived output for a runbook and for its component.
///
/// # Errors
/// When the file cannot be read, is neither a runbook nor a playbook component, or its graph
/// section is not JSON.
pub fn graph(path: &Path, format: GraphFormat) -> Result<u8, String> {
    let g = match load(path)? {
        Ok(loaded) => loaded.json(path, playbook_capability::component::sections::GRAPH)?,
        Err(code) => return Ok(code),
    };
    match format {
        GraphFormat::Json => println!("{}", serde_json::to_string_pretty(&g).map_err(|e| e.to_string())?),
        GraphFormat::Mermaid => print!("{}", playbook_capability::graph::mermaid_of(&g)),
        GraphFormat::Dot => print!("{}", playbook_capability::graph::dot_of(&g)),
    }
    Ok(0)
}

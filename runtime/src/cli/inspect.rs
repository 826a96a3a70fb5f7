//! `playbook manifest` and `playbook graph`: what a runbook may do, and in what order.

use std::io::IsTerminal as _;
use std::path::Path;

use super::render;
use super::{EXIT_RUNBOOK_ERRORS, GraphFormat, ManifestFormat};
use playbook_compiler::{Compilation, Severity, codegen};

/// Compiles, or prints the errors and returns the exit code.
fn compiled(path: &Path) -> Result<Result<Compilation, u8>, String> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match super::compile_path(path)? {
        Ok(c) if !c.has_errors() => Ok(Ok(c)),
        Ok(c) => {
            let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
            eprint!("{}", render::diagnostics_text(&c.source, &errors, color));
            eprintln!("{}: {}; run `playbook check` for details", c.source.name(), render::summary(&c.diagnostics));
            Ok(Err(EXIT_RUNBOOK_ERRORS))
        }
        Err((source, diags)) => {
            eprint!("{}", render::diagnostics_text(&source, &diags, color));
            Ok(Err(EXIT_RUNBOOK_ERRORS))
        }
    }
}

/// Whether the file is a compiled playbook (a wasm binary) rather than Markdown.
fn is_wasm(path: &Path) -> Result<bool, String> {
    use std::io::Read as _;
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(f.read(&mut magic).map_err(|e| format!("cannot read {}: {e}", path.display()))? == 4 && magic == *b"\0asm")
}

/// The playbook custom sections of a compiled component.
fn sections(path: &Path) -> Result<std::collections::BTreeMap<String, String>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let s = codegen::read_sections(&bytes)?;
    if !s.contains_key(codegen::sections::MANIFEST) {
        return Err(format!("{} is WebAssembly but not a playbook: it has no manifest section", path.display()));
    }
    Ok(s)
}

/// One JSON section of a compiled playbook.
fn section_json(path: &Path, name: &str) -> Result<serde_json::Value, String> {
    let s = sections(path)?;
    let text = s.get(name).ok_or_else(|| format!("{} has no {name} section", path.display()))?;
    serde_json::from_str(text).map_err(|e| format!("{}: the {name} section is not valid JSON: {e}", path.display()))
}

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

/// The manifest JSON of a runbook or a compiled component, or the exit code of its errors.
fn manifest_json(path: &Path) -> Result<Result<serde_json::Value, u8>, String> {
    if is_wasm(path)? {
        return section_json(path, codegen::sections::MANIFEST).map(Ok);
    }
    Ok(compiled(path)?.map(|c| c.manifest.to_json(&c.source)))
}

/// `playbook manifest OLD --diff NEW`: grants and inputs gained and lost, compared by
/// capability, effect, scope and privilege (not by id or line, which move with edits).
pub fn manifest_diff(old: &Path, new: &Path, format: ManifestFormat) -> Result<u8, String> {
    let (a, b) = match (manifest_json(old)?, manifest_json(new)?) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return Ok(code),
    };
    let d = playbook_compiler::manifest::diff(&a, &b);
    match format {
        ManifestFormat::Json => println!("{}", serde_json::to_string_pretty(&d).map_err(|e| e.to_string())?),
        ManifestFormat::Text => print!("{}", playbook_compiler::manifest::diff_text(&d)),
    }
    let same = ["gained", "lost"].iter().all(|k| {
        d[k]["grants"].as_array().is_none_or(Vec::is_empty) && d[k]["inputs"].as_array().is_none_or(Vec::is_empty)
    });
    Ok(if same { 0 } else { 1 })
}

pub fn manifest(path: &Path, format: ManifestFormat) -> Result<u8, String> {
    if is_wasm(path)? {
        let m = section_json(path, codegen::sections::MANIFEST)?;
        match format {
            ManifestFormat::Json => println!("{}", serde_json::to_string_pretty(&m).map_err(|e| e.to_string())?),
            ManifestFormat::Text => print!("{}", playbook_compiler::manifest::text_of(&m)),
        }
        return Ok(0);
    }
    let c = match compiled(path)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match format {
        ManifestFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&c.manifest.to_json(&c.source)).map_err(|e| e.to_string())?)
        }
        ManifestFormat::Text => print!("{}", c.manifest.to_text(&c.source)),
    }
    Ok(0)
}

pub fn graph(path: &Path, format: GraphFormat) -> Result<u8, String> {
    if is_wasm(path)? {
        let g = section_json(path, codegen::sections::GRAPH)?;
        match format {
            GraphFormat::Json => println!("{}", serde_json::to_string_pretty(&g).map_err(|e| e.to_string())?),
            GraphFormat::Mermaid => print!("{}", playbook_compiler::render::mermaid_of(&g)),
            GraphFormat::Dot => print!("{}", playbook_compiler::render::dot_of(&g)),
        }
        return Ok(0);
    }
    let c = match compiled(path)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match format {
        GraphFormat::Mermaid => print!("{}", playbook_compiler::render::mermaid(&c.source, &c.graph)),
        GraphFormat::Dot => print!("{}", playbook_compiler::render::dot(&c.source, &c.graph)),
        GraphFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&playbook_compiler::render::graph_json(&c.source, &c.graph))
                .map_err(|e| e.to_string())?
        ),
    }
    Ok(0)
}

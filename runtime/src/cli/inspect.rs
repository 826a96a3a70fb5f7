//! `playbook manifest` and `playbook graph`: what a runbook may do, and in what order.

use std::io::IsTerminal as _;
use std::path::Path;

use super::render;
use super::{EXIT_RUNBOOK_ERRORS, GraphFormat, ManifestFormat};
use playbook_compiler::{Compilation, Severity};

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

pub fn manifest(path: &Path, format: ManifestFormat) -> Result<u8, String> {
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

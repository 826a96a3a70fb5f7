//! `playbook check RUNBOOK.md`: every diagnostic, exit 0 when there are no errors.

use std::io::IsTerminal as _;
use std::path::Path;

use super::render;
use super::{DiagFormat, EXIT_RUNBOOK_ERRORS};
use playbook_compiler::Severity;

pub fn run(path: &Path, format: DiagFormat) -> Result<u8, String> {
    let (source, diags) = match super::compile_path(path)? {
        Ok(c) => (c.source, c.diagnostics),
        Err((source, diags)) => (source, diags),
    };
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    match format {
        DiagFormat::Json => {
            let out = serde_json::json!({
                "file": source.name(),
                "ok": !errors,
                "diagnostics": render::diagnostics_json(&source, &diags),
            });
            println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
        }
        DiagFormat::Text => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", render::diagnostics_text(&source, &diags, color));
            eprintln!("{}: {}", source.name(), render::summary(&diags));
        }
    }
    Ok(if errors { EXIT_RUNBOOK_ERRORS } else { 0 })
}

//! Helpers shared by the compiler's integration tests.

#![allow(dead_code)]

use playbook_compiler::{Compilation, Kind, Source, compile};

/// Compiles a runbook given as Markdown text.
pub fn md(text: &str) -> Compilation {
    compile(Source::new("t.md", text))
}

/// Compiles one bash block holding `cmds`.
pub fn bash(cmds: &str) -> Compilation {
    md(&format!("# T\n\n## Step\n\n```bash\n{cmds}\n```\n"))
}

/// `(capability, effect, scope)` of every grant, scope as `k=v` strings.
pub fn grants(c: &Compilation) -> Vec<(String, String, Vec<String>)> {
    c.manifest
        .grants
        .iter()
        .map(|g| {
            (
                g.capability.clone(),
                g.effect.as_str().to_string(),
                g.scope.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            )
        })
        .collect()
}

/// The single grant of a one-command block.
pub fn only_grant(cmds: &str) -> (String, String, Vec<String>) {
    let c = bash(cmds);
    assert!(!c.has_errors(), "unexpected errors for `{cmds}`: {:#?}", c.diagnostics);
    let g = grants(&c);
    assert_eq!(g.len(), 1, "expected one grant for `{cmds}`, got {g:#?}");
    g.into_iter().next().unwrap()
}

pub fn kinds(c: &Compilation) -> Vec<Kind> {
    c.diagnostics.iter().map(|d| d.kind).collect()
}

/// Asserts that compiling `cmds` reports an error of `kind`, and returns its message.
pub fn error_of(cmds: &str, kind: Kind) -> String {
    let c = bash(cmds);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} for `{cmds}`: {:#?}", c.diagnostics));
    assert!(c.has_errors(), "`{cmds}` should not compile");
    d.message.clone()
}

pub fn has_scope(g: &(String, String, Vec<String>), kv: &str) -> bool {
    g.2.iter().any(|s| s == kv)
}

//! The corpus benchmark: how much of the runbooks in `corpus/` the compiler reads the way a
//! careful person does, measured against each runbook's truth file (`*.truth.json`: which
//! fences are shell, which lines are output).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_compiler::graph::NodeKind;
use playbook_compiler::{Compilation, Source, compile};

/// The runbooks of `corpus/`, each with its truth file, sorted by path: the families the rules
/// were tuned on, or (`holdout`) only `corpus/holdout/`, written afterwards and never tuned on.
///
/// # Panics
/// When `corpus/` cannot be listed.
#[must_use]
pub fn runbooks(holdout: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dir = crate::root().join("corpus");
    let mut families: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && (p.file_name().is_some_and(|n| n == "holdout") == holdout))
        .collect();
    families.sort();
    for family in families {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&family)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", family.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// What one runbook scored.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct FileScore {
    pub path: String,
    /// No error outside a block (every block error became a manual step).
    pub compiles: bool,
    /// Diagnostics of severity error (blocking or confined to a block).
    pub errors: usize,
    pub shell_fences: usize,
    /// Shell fences (by the truth file) that became steps: commands, or a manual step.
    pub shell_fences_as_steps: usize,
    /// Fences the truth file says are not shell but that run commands.
    pub other_fences_run: usize,
    pub grants: usize,
    /// Grants of a typed family (anything but untyped `process.exec`).
    pub typed_grants: usize,
    pub output_lines: usize,
    /// Output lines (by the truth file) lowered as commands of a step that runs.
    pub output_lines_as_commands: Vec<usize>,
    /// Shell fences that did not become steps, by line.
    pub missed_fences: Vec<usize>,
}

/// Totals over the corpus.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Figures {
    pub files: usize,
    pub files_compiling: usize,
    pub files_without_errors: usize,
    pub shell_fences: usize,
    pub shell_fences_as_steps: usize,
    pub other_fences_run: usize,
    pub grants: usize,
    pub typed_grants: usize,
    pub output_lines: usize,
    pub output_lines_as_commands: usize,
    pub scores: Vec<FileScore>,
}

#[derive(serde::Deserialize)]
struct Truth {
    fences: Vec<TruthFence>,
    output: Vec<usize>,
}

#[derive(serde::Deserialize)]
struct TruthFence {
    line: usize,
    shell: bool,
}

/// Scores one runbook against its truth file.
///
/// # Panics
/// When the runbook or its truth file cannot be read or parsed: the corpus is part of the
/// repository.
#[must_use]
pub fn score(path: &Path) -> (Compilation, FileScore) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let truth_path = path.with_extension("truth.json");
    let truth: Truth = serde_json::from_str(
        &std::fs::read_to_string(&truth_path).unwrap_or_else(|e| panic!("{}: {e}", truth_path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
    let name = path.strip_prefix(crate::root()).unwrap_or(path).display().to_string();
    let c = compile(Source::new(name.clone(), text));
    let line = |offset: usize| c.source.line_col(offset).0;
    // Lines covered by manual steps: their text is shown, never run.
    let manual: Vec<(usize, usize)> = c
        .graph
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Manual { .. }))
        .map(|n| (line(n.span.start), line(n.span.end.saturating_sub(1).max(n.span.start))))
        .collect();
    let mut command_lines = BTreeSet::new();
    let mut s = FileScore { path: name, ..FileScore::default() };
    for b in &c.document.blocks {
        let fence_line = line(b.span.start);
        let truth_fence = truth.fences.iter().find(|f| f.line == fence_line);
        let is_shell = truth_fence.is_some_and(|f| f.shell);
        let steps = b.runs || b.repl.is_some();
        if is_shell {
            s.shell_fences += 1;
            if steps {
                s.shell_fences_as_steps += 1;
            } else {
                s.missed_fences.push(fence_line);
            }
        } else if truth_fence.is_some() && b.runs {
            s.other_fences_run += 1;
        }
        if !b.runs {
            continue;
        }
        let mut offset = 0;
        for l in b.code.text.split_inclusive('\n') {
            let lead = l.len() - l.trim_start().len();
            if !l.trim().is_empty() && !l.trim_start().starts_with('#') {
                command_lines.insert(line(b.code.source_offset(offset + lead)));
            }
            offset += l.len();
        }
    }
    command_lines.retain(|l| !manual.iter().any(|(a, z)| a <= l && l <= z));
    s.output_lines = truth.output.len();
    s.output_lines_as_commands = truth.output.iter().copied().filter(|l| command_lines.contains(l)).collect();
    s.grants = c.manifest.grants.len();
    s.typed_grants = c.manifest.grants.iter().filter(|g| g.capability != "process.exec").count();
    s.errors = c.diagnostics.iter().filter(|d| d.severity == playbook_compiler::Severity::Error).count();
    s.compiles = !c.has_blocking_errors();
    (c, s)
}

/// Scores every runbook of the corpus (or of its held-out part).
#[must_use]
pub fn figures(holdout: bool) -> Figures {
    let mut f = Figures::default();
    for path in runbooks(holdout) {
        let (_, s) = score(&path);
        f.files += 1;
        f.files_compiling += usize::from(s.compiles);
        f.files_without_errors += usize::from(s.errors == 0);
        f.shell_fences += s.shell_fences;
        f.shell_fences_as_steps += s.shell_fences_as_steps;
        f.other_fences_run += s.other_fences_run;
        f.grants += s.grants;
        f.typed_grants += s.typed_grants;
        f.output_lines += s.output_lines;
        f.output_lines_as_commands += s.output_lines_as_commands.len();
        f.scores.push(s);
    }
    f
}

fn percent(n: usize, d: usize) -> String {
    if d == 0 {
        return "-".to_string();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = n as f64 * 100.0 / d as f64;
    format!("{p:.1}%")
}

impl Figures {
    /// The figures as the benchmark prints them.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut row = |what: &str, n: usize, d: usize, target: &str| {
            let _ = writeln!(out, "{what:<44} {n:>5} / {d:<5} {:>7}   target {target}", percent(n, d));
        };
        row("files compiling (no error outside a block)", self.files_compiling, self.files, "100%");
        row("files checked without any error", self.files_without_errors, self.files, "-");
        row("shell fences that became steps", self.shell_fences_as_steps, self.shell_fences, ">= 95%");
        row("grants of a typed family", self.typed_grants, self.grants, ">= 75%");
        row("output lines taken as commands", self.output_lines_as_commands, self.output_lines, "0");
        row("non-shell fences that run", self.other_fences_run, self.files, "0");
        out
    }
}

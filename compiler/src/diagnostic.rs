//! Diagnostics: collected (many per compilation), each pointing at the exact Markdown bytes.

use serde::Serialize;

use crate::source::{Source, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Warning,
    Error,
}

/// Every kind of diagnostic the compiler emits. The code is stable and documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The file is not UTF-8 text.
    InvalidUtf8,
    /// The file holds NUL bytes or other binary data.
    BinaryInput,
    /// The file is larger than the compiler accepts.
    TooLarge,
    /// The file has no content at all.
    EmptyRunbook,
    /// The runbook has no executable block.
    NothingToRun,
    /// A fence is never closed, so it swallows the rest of the file.
    UnclosedFence,
    /// An untagged fence whose content looks like shell commands.
    UntaggedShell,
    /// A `console` block without any `$ ` or `# ` prompt line.
    ConsoleWithoutPrompt,
    /// Lines of a shell block read as pasted output, not as commands.
    OutputInFence,
    /// The shell parser rejected a block.
    ShellSyntax,
    /// A shell construct the compiler cannot type.
    Unsupported,
    /// A command name that is not a literal (`$CMD args`).
    DynamicCommand,
    /// A command that needs a terminal: it becomes a manual step.
    Interactive,
    /// A command that never ends by itself: it becomes a bounded stream.
    Unbounded,
    /// An option of a known tool that the compiler does not understand.
    UnknownOption,
    /// A known tool invoked without what it needs (e.g. `curl` without a URL).
    MissingArgument,
    /// A command runs with `sudo`.
    Privileged,
    /// A program the compiler does not know: it may run arbitrary code.
    ArbitraryExec,
    /// A URL that cannot be parsed.
    InvalidUrl,
    /// A target name with a character that can hide another target: non-ASCII in a name or
    /// host (homoglyphs), or an invisible/control character anywhere.
    ConfusableName,
}

impl Kind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidUtf8 => "invalid-utf8",
            Self::BinaryInput => "binary-input",
            Self::TooLarge => "too-large",
            Self::EmptyRunbook => "empty-runbook",
            Self::NothingToRun => "nothing-to-run",
            Self::UnclosedFence => "unclosed-fence",
            Self::UntaggedShell => "untagged-shell",
            Self::ConsoleWithoutPrompt => "console-without-prompt",
            Self::OutputInFence => "output-in-fence",
            Self::ShellSyntax => "shell-syntax",
            Self::Unsupported => "unsupported",
            Self::DynamicCommand => "dynamic-command",
            Self::Interactive => "interactive",
            Self::Unbounded => "unbounded",
            Self::UnknownOption => "unknown-option",
            Self::MissingArgument => "missing-argument",
            Self::Privileged => "privileged",
            Self::ArbitraryExec => "arbitrary-exec",
            Self::InvalidUrl => "invalid-url",
            Self::ConfusableName => "confusable-name",
        }
    }
}

/// One finding: what, where (a span of the Markdown source), and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub span: Span,
    /// Text of the label placed on the span.
    pub label: String,
    pub help: Option<String>,
    /// An error confined to one block, which became a manual step carrying it: `check` still
    /// fails, but the rest of the runbook compiles and runs.
    pub contained: bool,
}

impl Diagnostic {
    #[must_use]
    pub fn new(severity: Severity, kind: Kind, span: Span, message: impl Into<String>) -> Self {
        Self { severity, kind, message: message.into(), span, label: String::new(), help: None, contained: false }
    }

    /// Whether it stops the runbook from compiling (an error not confined to a manual step).
    #[must_use]
    pub fn blocks(&self) -> bool {
        self.severity == Severity::Error && !self.contained
    }

    #[must_use]
    pub fn error(kind: Kind, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, kind, span, message)
    }

    #[must_use]
    pub fn warning(kind: Kind, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, kind, span, message)
    }

    #[must_use]
    pub fn hint(kind: Kind, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Hint, kind, span, message)
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A machine-readable form with file, line and column resolved.
    #[must_use]
    pub fn to_json(&self, source: &Source) -> serde_json::Value {
        let (line, column) = source.line_col(self.span.start);
        serde_json::json!({
            "severity": self.severity,
            "code": self.kind.code(),
            "message": self.message,
            "file": source.name(),
            "line": line,
            "column": column,
            "span": { "start": self.span.start, "end": self.span.end },
            "label": self.label,
            "help": self.help,
            "contained": self.contained,
        })
    }
}

/// A growing list of diagnostics, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds a diagnostic, once: a function's body is lowered at each of its calls, and says
    /// what is wrong in it only once.
    pub fn push(&mut self, d: Diagnostic) {
        if !self.0.iter().any(|e| e.span == d.span && e.message == d.message && e.severity == d.severity) {
            self.0.push(d);
        }
    }

    /// Moves every diagnostic of `other` here.
    pub fn append(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// The errors, as one line each.
    #[must_use]
    pub fn error_messages(&self) -> Vec<String> {
        self.0.iter().filter(|d| d.severity == Severity::Error).map(|d| d.message.clone()).collect()
    }

    /// Marks every error as confined to its block (which became a manual step).
    pub fn contain(&mut self) {
        for d in self.0.iter_mut().filter(|d| d.severity == Severity::Error) {
            d.contained = true;
            let note = "this block becomes a manual step carrying this error; the rest of the runbook compiles";
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h}\n{note}"),
                None => note.to_string(),
            });
        }
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    #[must_use]
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    /// Sorted by position, then severity; stable, so goldens do not depend on pass order.
    #[must_use]
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| (a.span.start, a.span.end, b.severity).cmp(&(b.span.start, b.span.end, a.severity)));
        self.0.dedup();
        self.0
    }
}

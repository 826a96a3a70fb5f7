//! Diagnostics rendered with miette: file, line, a label on the exact words, help text.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use playbook_compiler::{Diagnostic, Severity, Source};

struct Report<'a> {
    diag: &'a Diagnostic,
    src: NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("playbook::{}", self.diag.kind.code())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Hint => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag.help.as_ref().map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.diag.span;
        let label = (!self.diag.label.is_empty()).then(|| self.diag.label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new(label, s.start, s.len()))))
    }
}

/// Renders diagnostics as text; `color` for a terminal.
#[must_use]
pub fn diagnostics_text(source: &Source, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for d in diags {
        let report = Report {
            diag: d,
            src: NamedSource::new(source.name(), source.text().to_string()).with_language("markdown"),
        };
        let _ = handler.render_report(&mut out, &report);
    }
    out
}

/// Renders diagnostics as a JSON array.
#[must_use]
pub fn diagnostics_json(source: &Source, diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::Value::Array(diags.iter().map(|d| d.to_json(source)).collect())
}

/// A one-line count: `2 errors, 1 warning`.
#[must_use]
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Hint), "hint")
    )
}

//! The playbook compiler: Markdown runbook → typed step graph → capability manifest.
//!
//! The compiler never touches the disk, the clock or the environment: it is handed a
//! [`Source`] and returns data plus [`Diagnostic`]s (many per run, each with a span).
//!
//! Stages: [`markdown::parse`] → [`shell::lower`] (inside [`graph::build`]) →
//! [`manifest::infer`].

pub mod action;
pub mod codegen;
pub mod diagnostic;
pub mod fence;
pub mod graph;
pub mod manifest;
pub mod markdown;
pub mod render;
pub mod shell;
pub mod source;
pub mod taint;

pub use diagnostic::{Diagnostic, Diagnostics, Kind, Severity};
pub use graph::StepGraph;
pub use manifest::Manifest;
pub use markdown::Document;
pub use source::{Source, Span};

/// Largest runbook accepted (a runbook is prose; anything bigger is a mistake or an attack).
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;

/// What compiling a runbook produced.
#[derive(Debug)]
pub struct Compilation {
    pub source: Source,
    pub document: Document,
    pub graph: StepGraph,
    pub manifest: Manifest,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether an error stops the runbook from compiling: one that is not confined to a block
    /// (such a block becomes a manual step carrying its diagnostic; `check` still reports it).
    #[must_use]
    pub fn has_blocking_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::blocks)
    }
}

/// Turns raw file bytes into a `Source`, or explains why they are not a runbook.
///
/// The returned `Source` is always usable for rendering the diagnostics (lossy text).
///
/// # Errors
/// When the bytes are over `MAX_SOURCE_BYTES`, hold a NUL byte or are not UTF-8: a lossy
/// `Source` to render against, and the diagnostic that says which.
pub fn load(name: &str, bytes: &[u8]) -> Result<Source, (Source, Vec<Diagnostic>)> {
    let lossy = || Source::new(name, String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).into_owned());
    if bytes.len() > MAX_SOURCE_BYTES {
        let src = lossy();
        let d = Diagnostic::error(
            Kind::TooLarge,
            Span::new(0, 0),
            format!(
                "the file is {} bytes; runbooks larger than {} bytes are not compiled",
                bytes.len(),
                MAX_SOURCE_BYTES
            ),
        )
        .with_label("file starts here")
        .with_help("split the runbook into several files");
        return Err((src, vec![d]));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let src = lossy();
        let at = String::from_utf8_lossy(&bytes[..nul]).len().min(src.text().len());
        let d = Diagnostic::error(
            Kind::BinaryInput,
            Span::new(at, at),
            format!("the file holds a NUL byte at offset {nul}: it is binary, not Markdown"),
        )
        .with_label("NUL byte")
        .with_help("give playbook the runbook's Markdown file");
        return Err((src, vec![d]));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let src = lossy();
            let at = e.valid_up_to();
            let d = Diagnostic::error(
                Kind::InvalidUtf8,
                Span::new(at, at),
                format!("the file is not UTF-8: invalid byte sequence at offset {at}"),
            )
            .with_label("invalid UTF-8")
            .with_help("save the runbook as UTF-8");
            Err((src, vec![d]))
        }
    }
}

/// Compiles a runbook into its graph and manifest. Never panics; problems are diagnostics.
#[must_use]
pub fn compile(source: Source) -> Compilation {
    let mut diags = Diagnostics::default();
    if source.text().trim().is_empty() {
        diags.push(
            Diagnostic::error(Kind::EmptyRunbook, Span::new(0, 0), "the runbook is empty")
                .with_label("empty file")
                .with_help("write headings and ```bash blocks with the commands to run"),
        );
    }
    let document = markdown::parse(&source, &mut diags);
    let mut graph = graph::build(&source, &document, &mut diags);
    graph.pass_environment();
    taint::mark(&mut graph);
    if !source.text().trim().is_empty() && !document.blocks.iter().any(|b| b.runs) {
        diags.push(
            Diagnostic::warning(
                Kind::NothingToRun,
                Span::new(0, 0),
                "the runbook has no ```bash, ```sh or ```console block, so the playbook does nothing",
            )
            .with_label("no executable block")
            .with_help("tag the blocks that hold commands with ```bash"),
        );
    }
    let sha = playbook_capability::component::sha256_hex(source.text().as_bytes());
    let manifest = manifest::infer(&source, &graph, &sha);
    for d in manifest::confusable(&manifest).into_iter().chain(manifest::confusable_urls(&graph)) {
        diags.push(d);
    }
    // One hint per unknown program is enough.
    let mut seen = std::collections::BTreeSet::new();
    // Every diagnostic points into the source: a span computed past its end (the synthetic
    // newline that closes a block at the end of a file without one) ends at the end.
    let len = source.text().len();
    let diagnostics: Vec<Diagnostic> = diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.kind != Kind::ArbitraryExec || seen.insert(d.message.clone()))
        .map(|mut d| {
            d.span = Span::new(d.span.start.min(len), d.span.end.min(len));
            d
        })
        .collect();
    Compilation { source, document, graph, manifest, diagnostics }
}

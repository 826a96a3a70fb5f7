//! Typed actions: what each simple command means, and which capability it needs.
//!
//! `classify` looks at a command's argv and picks its family: Docker, Kubernetes, HTTP, files,
//! pure text filters, shell builtins, or a process. Each family's module parses the tool's own
//! options from a declared table, so nothing reaches a host as an uninterpreted string.

pub mod args;
pub mod builtin;
pub mod docker;
pub mod fs;
pub mod http;
pub mod kube;
pub mod process;
pub mod text;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::lower::Lowerer;
use crate::shell::{Part, Redirect, Word};
use crate::source::Span;

/// How much a capability can change: the axis security reviewers sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// No state change.
    Read,
    /// A reversible change.
    Write,
    /// An irreversible change: remove, delete, truncate, scale to zero.
    Destructive,
    /// Runs arbitrary code.
    Exec,
}

impl Effect {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Destructive => "destructive",
            Self::Exec => "exec",
        }
    }
}

/// A capability an action needs, with its exact scope (`key → value or hole template`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Need {
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
}

impl Need {
    #[must_use]
    pub fn new(capability: impl Into<String>, effect: Effect) -> Self {
        Self { capability: capability.into(), effect, scope: Vec::new() }
    }

    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.scope.push((key.to_string(), value.into()));
        self
    }
}

/// How a command is run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Mode {
    /// Run by the playbook.
    Run,
    /// Needs a person at a terminal: shown to the operator and confirmed by hand.
    Manual { reason: String },
    /// Never ends by itself: streamed for at most `seconds`, then stopped.
    Bounded { reason: String, seconds: u32 },
}

/// What a simple command means.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum Action {
    /// Only variable assignments (`X=1`, `X=$(cmd)`).
    Assign,
    Builtin(builtin::Builtin),
    Text(text::TextFilter),
    Fs(fs::FsCall),
    Http(Box<http::HttpCall>),
    Docker(docker::DockerCall),
    Kube(kube::KubeCall),
    Process(process::ProcessCall),
    /// The command could not be typed; a diagnostic says why.
    Invalid,
}

impl Action {
    /// The capabilities this action needs (redirections are added by the caller).
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        match self {
            Self::Assign | Self::Invalid => Vec::new(),
            Self::Builtin(b) => b.needs(),
            Self::Text(t) => t.needs(),
            Self::Fs(f) => f.needs(),
            Self::Http(h) => h.needs(),
            Self::Docker(d) => d.needs(),
            Self::Kube(k) => k.needs(),
            Self::Process(p) => p.needs(),
        }
    }

    /// A short name for graphs and plans: `docker.container.restart`, `text.grep`, `echo`.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Assign => "assign".into(),
            Self::Invalid => "invalid".into(),
            Self::Builtin(b) => b.name.clone(),
            Self::Text(t) => format!("text.{}", t.name),
            Self::Fs(f) => format!("fs.{}", f.op.as_str()),
            Self::Http(_) => "http.request".into(),
            Self::Docker(d) => d.capability(),
            Self::Kube(k) => k.capability(),
            Self::Process(_) => "process.exec".into(),
        }
    }
}

/// The outcome of classifying one simple command.
pub struct Classified {
    pub argv: Vec<Word>,
    pub action: Action,
    pub mode: Mode,
    pub privileged: bool,
}

/// Context handed to each family's classifier.
pub struct Cx<'l, 'a> {
    pub lw: &'l mut Lowerer<'a>,
    /// The whole command.
    pub span: Span,
    pub mode: Mode,
}

impl Cx<'_, '_> {
    pub fn error(&mut self, d: Diagnostic) {
        self.lw.error(d);
    }

    pub fn warn(&mut self, d: Diagnostic) {
        self.lw.diags.push(d);
    }

    /// Reports an option-table failure for `tool`.
    pub fn arg_error(&mut self, tool: &str, e: &args::ArgError) -> Action {
        match e {
            args::ArgError::Unknown { option, span } => self.error(
                Diagnostic::error(Kind::UnknownOption, *span, format!("`{tool}` option `{option}` is not understood by playbook"))
                    .with_label("unknown option")
                    .with_help(format!("playbook types every option of `{tool}` so the host never passes raw flags; remove it or file an issue to add it")),
            ),
            args::ArgError::MissingValue { option, span } => self.error(
                Diagnostic::error(Kind::MissingArgument, *span, format!("`{tool}` option `{option}` needs a value"))
                    .with_label("value missing"),
            ),
        }
        Action::Invalid
    }

    pub fn missing(&mut self, span: Span, message: impl Into<String>, help: &str) -> Action {
        self.error(
            Diagnostic::error(Kind::MissingArgument, span, message).with_label("here").with_help(help.to_string()),
        );
        Action::Invalid
    }

    /// Marks the command as needing a person at a terminal.
    pub fn manual(&mut self, span: Span, reason: &str) {
        self.warn(
            Diagnostic::warning(Kind::Interactive, span, format!("{reason}: this becomes a manual step"))
                .with_label("needs a terminal")
                .with_help("the operator is shown the command and confirms when done; make it non-interactive to let playbook run it"),
        );
        self.mode = Mode::Manual { reason: reason.to_string() };
    }

    /// Marks the command as a stream that playbook stops after a bounded time.
    pub fn bounded(&mut self, span: Span, reason: &str) {
        let seconds = 30;
        self.warn(
            Diagnostic::warning(
                Kind::Unbounded,
                span,
                format!("{reason}: it is streamed for at most {seconds} s, then stopped"),
            )
            .with_label("never ends by itself")
            .with_help("drop the follow/watch flag to run it once"),
        );
        self.mode = Mode::Bounded { reason: reason.to_string(), seconds };
    }
}

/// Classifies a simple command into a typed action.
pub fn classify(lw: &mut Lowerer<'_>, mut argv: Vec<Word>, redirects: &[Redirect], span: Span) -> Classified {
    let _ = redirects;
    let mut privileged = false;
    // Wrappers that do not change what runs: `sudo`, `nohup`, `time`.
    loop {
        match argv.first().and_then(Word::literal).as_deref() {
            Some("sudo") => {
                privileged = true;
                argv.remove(0);
                while argv.first().is_some_and(|w| w.literal_prefix().starts_with('-')) {
                    let f = argv.remove(0).literal().unwrap_or_default();
                    if matches!(f.as_str(), "-u" | "-g" | "--user" | "--group") && !argv.is_empty() {
                        argv.remove(0);
                    }
                }
                lw.diags.push(
                    Diagnostic::warning(Kind::Privileged, span, "this command runs with `sudo`")
                        .with_label("privileged")
                        .with_help("the manifest marks it privileged; the operator must allow privileged calls"),
                );
            }
            Some("nohup" | "time" | "command") => {
                argv.remove(0);
            }
            _ => break,
        }
    }
    let mut cx = Cx { lw, span, mode: Mode::Run };
    let action = match argv.first() {
        None => Action::Assign,
        Some(name) if !name.is_static() => {
            cx.error(
                Diagnostic::error(Kind::DynamicCommand, name.span, "the program to run is computed at run time")
                    .with_label("not a literal program name")
                    .with_help("write the program name literally so the manifest can say what runs"),
            );
            Action::Invalid
        }
        Some(name) => {
            let program = name.template();
            let base = program.rsplit('/').next().unwrap_or(&program).to_string();
            let args = &argv[1..];
            match base.as_str() {
                "docker" if program == "docker" => docker::classify(&mut cx, args),
                "docker-compose" if program == "docker-compose" => docker::classify_compose(&mut cx, args),
                "kubectl" if program == "kubectl" => kube::classify(&mut cx, args),
                "curl" | "wget" if program == base => http::classify(&mut cx, &base, args),
                _ if program == base && fs::is_fs(&base, args) => fs::classify(&mut cx, &base, args),
                _ if program == base && text::is_filter(&base) => text::classify(&mut cx, &base, args),
                _ if program == base && builtin::is_builtin(&base) => builtin::classify(&mut cx, &base, args),
                _ => process::classify(&mut cx, name, args),
            }
        }
    };
    let mode = cx.mode;
    Classified { argv, action, mode, privileged }
}

/// The scope value of a word: literal text, or a template with its holes.
#[must_use]
pub fn scope_of(w: &Word) -> String {
    w.template()
}

/// Whether the word holds any run-time hole.
#[must_use]
pub fn has_hole(w: &Word) -> bool {
    w.parts.iter().any(|p| !matches!(p, Part::Lit { .. } | Part::Glob { .. } | Part::Home))
}

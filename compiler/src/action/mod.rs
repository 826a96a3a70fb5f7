//! Typed actions: what each simple command means, and which capability it needs.
//!
//! `classify` looks at a command's argv and picks its family: Docker, Kubernetes, HTTP, files,
//! pure text filters, shell builtins, or a process. Each family's module parses the tool's own
//! options from a declared table, so nothing reaches a host as an uninterpreted string.

pub mod builtin;
pub mod docker;
pub mod fs;
pub mod http;
pub mod kube;
pub mod process;
pub mod scripts;
pub mod text;

use serde::Serialize;

use playbook_capability::docker::DockerRequest;
use playbook_capability::fs::FsRequest;
use playbook_capability::http::HttpRequest;
use playbook_capability::kube::{KubeClient, KubeRequest};
use playbook_capability::options::ArgError;
use playbook_capability::process::ProcessRequest;
use playbook_capability::text::TextRequest;
pub use playbook_capability::{Effect, Need};

use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::lower::Lowerer;
use crate::shell::{Part, Redirect, Word};
use crate::source::Span;

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
    Text(TextRequest<Word>),
    Fs(FsRequest<Word>),
    Http(Box<HttpRequest<Word>>),
    Docker(DockerRequest<Word>),
    Kube(KubeRequest<Word>),
    Process(ProcessRequest<Word>),
    /// The command could not be typed; a diagnostic says why.
    Invalid,
}

impl Action {
    /// The capabilities this action needs, relative paths joined to `cwd` (redirections are
    /// added by the caller). Each comes from the typed request the host will receive.
    #[must_use]
    pub fn needs(&self, cwd: Option<&str>) -> Vec<Need> {
        match self {
            Self::Assign | Self::Invalid => Vec::new(),
            Self::Builtin(b) => b.needs(cwd),
            Self::Text(t) => t.needs(cwd),
            Self::Fs(f) => f.needs(cwd),
            // A URL that does not parse was refused when the command was classified.
            Self::Http(h) => h.needs(cwd).unwrap_or_default(),
            Self::Docker(d) => d.needs(),
            Self::Kube(k) => k.needs(),
            Self::Process(p) => p.needs(),
        }
    }

    /// Every word the request holds: what the code generator evaluates, so what the manifest
    /// and the environment pass must look into (substitutions included).
    #[must_use]
    pub fn words(&self) -> Vec<&Word> {
        fn settings<'a>(o: &'a [playbook_capability::Setting<Word>], out: &mut Vec<&'a Word>) {
            out.extend(o.iter().filter_map(|s| s.value.as_ref()));
        }
        let mut out: Vec<&Word> = Vec::new();
        match self {
            Self::Assign | Self::Invalid => {}
            Self::Builtin(b) => {
                out.extend(&b.args);
                if let Some(f) = &b.stat {
                    out.extend(&f.paths);
                    settings(&f.options, &mut out);
                }
            }
            Self::Text(t) => {
                settings(&t.options, &mut out);
                out.extend(&t.operands);
                out.extend(&t.files);
                out.extend(t.env.iter().map(|(_, w)| w));
            }
            Self::Fs(f) => {
                out.extend(&f.paths);
                out.extend(&f.dest);
                settings(&f.options, &mut out);
            }
            Self::Http(h) => {
                out.push(&h.url);
                out.extend(&h.headers);
                out.extend(&h.body);
                settings(&h.options, &mut out);
            }
            Self::Docker(d) => {
                out.extend(&d.targets);
                settings(&d.options, &mut out);
                out.extend(&d.image);
                out.extend(&d.command);
                out.extend(&d.compose_file);
                out.extend(&d.project);
                out.extend(&d.literal);
            }
            Self::Kube(k) => {
                out.extend(&k.names);
                out.extend(&k.selector);
                out.extend(&k.namespace);
                settings(&k.options, &mut out);
                out.extend(&k.operands);
                out.extend(&k.literal);
            }
            Self::Process(p) => {
                out.push(&p.program);
                out.extend(&p.args);
                out.extend(p.env.iter().map(|(_, w)| w));
            }
        }
        out
    }

    /// `words`, mutably.
    pub fn words_mut(&mut self) -> Vec<&mut Word> {
        fn settings<'a>(o: &'a mut [playbook_capability::Setting<Word>], out: &mut Vec<&'a mut Word>) {
            out.extend(o.iter_mut().filter_map(|s| s.value.as_mut()));
        }
        let mut out: Vec<&mut Word> = Vec::new();
        match self {
            Self::Assign | Self::Invalid => {}
            Self::Builtin(b) => {
                out.extend(&mut b.args);
                if let Some(f) = &mut b.stat {
                    out.extend(&mut f.paths);
                    settings(&mut f.options, &mut out);
                }
            }
            Self::Text(t) => {
                settings(&mut t.options, &mut out);
                out.extend(&mut t.operands);
                out.extend(&mut t.files);
                out.extend(t.env.iter_mut().map(|(_, w)| w));
            }
            Self::Fs(f) => {
                out.extend(&mut f.paths);
                out.extend(&mut f.dest);
                settings(&mut f.options, &mut out);
            }
            Self::Http(h) => {
                out.push(&mut h.url);
                out.extend(&mut h.headers);
                out.extend(&mut h.body);
                settings(&mut h.options, &mut out);
            }
            Self::Docker(d) => {
                out.extend(&mut d.targets);
                settings(&mut d.options, &mut out);
                out.extend(&mut d.image);
                out.extend(&mut d.command);
                out.extend(&mut d.compose_file);
                out.extend(&mut d.project);
                out.extend(&mut d.literal);
            }
            Self::Kube(k) => {
                out.extend(&mut k.names);
                out.extend(&mut k.selector);
                out.extend(&mut k.namespace);
                settings(&mut k.options, &mut out);
                out.extend(&mut k.operands);
                out.extend(&mut k.literal);
            }
            Self::Process(p) => {
                out.push(&mut p.program);
                out.extend(&mut p.args);
                out.extend(p.env.iter_mut().map(|(_, w)| w));
            }
        }
        out
    }

    /// Whether the call reaches the host with privilege (`sudo`, a privileged container).
    #[must_use]
    pub fn privileged(&self) -> bool {
        match self {
            Self::Docker(d) => d.privileged(),
            Self::Process(p) => p.privileged,
            _ => false,
        }
    }

    /// A short name for graphs and plans: `docker.container.restart`, `text.grep`, `echo`.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Assign => "assign".into(),
            Self::Invalid => "invalid".into(),
            Self::Builtin(b) => b.name.clone(),
            Self::Text(t) => format!("text.{}", t.tool),
            Self::Fs(f) => format!("fs.{}", f.op),
            Self::Http(_) => "http.request".into(),
            Self::Docker(d) => d.verb.capability(),
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
    /// Its standard input is a file, a document or a pipe (its own `<`, or the loop or pipe it
    /// stands in), not the operator's terminal.
    pub fed: bool,
}

impl Cx<'_, '_> {
    pub fn error(&mut self, d: Diagnostic) {
        self.lw.error(d);
    }

    pub fn warn(&mut self, d: Diagnostic) {
        self.lw.diags.push(d);
    }

    /// Reports an option-table failure for `tool`; `args` are the words that were parsed.
    pub fn arg_error(&mut self, tool: &str, e: &ArgError, args: &[Word]) -> Action {
        let span_of = |at: usize| args.get(at).map_or(self.span, |w| w.span);
        match e {
            ArgError::Unknown { option, at } => {
                let span = span_of(*at);
                self.error(
                    Diagnostic::error(Kind::UnknownOption, span, format!("`{tool}` option `{option}` is not understood by playbook"))
                        .with_label("unknown option")
                        .with_help(format!("playbook types every option of `{tool}` so the host never passes raw flags; remove it or file an issue to add it")),
                );
            }
            ArgError::MissingValue { option, at } => {
                let span = span_of(*at);
                self.error(
                    Diagnostic::error(Kind::MissingArgument, span, format!("`{tool}` option `{option}` needs a value"))
                        .with_label("value missing"),
                );
            }
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
            Some("command") if argv.get(1).and_then(Word::literal).is_some_and(|w| w == "-v") => {
                let names = argv[2..].to_vec();
                let action = Action::Text(playbook_capability::text::TextRequest {
                    tool: playbook_capability::text::TextTool::CommandV,
                    options: Vec::new(),
                    operands: names,
                    files: Vec::new(),
                    env: Vec::new(),
                });
                return Classified { argv, action, mode: Mode::Run, privileged };
            }
            Some("command") if argv.get(1).and_then(Word::literal).is_some_and(|w| w.starts_with('-')) => {
                lw.diags.push(
                    Diagnostic::error(Kind::Unsupported, span, "`command` with this option is not supported")
                        .with_label("option")
                        .with_help("`command -v NAME` says where NAME is found; write the command itself otherwise"),
                );
                return Classified { argv, action: Action::Invalid, mode: Mode::Run, privileged };
            }
            Some("nohup" | "time" | "command") => {
                argv.remove(0);
            }
            _ => break,
        }
    }
    let fed = lw.fed > 0 || redirects.iter().any(Redirect::is_input);
    let mut cx = Cx { lw, span, mode: Mode::Run, fed };
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
                "kubectl" if program == "kubectl" => kube::classify(&mut cx, KubeClient::Kubectl, args),
                "oc" if program == "oc" => kube::classify(&mut cx, KubeClient::Oc, args),
                "curl" | "wget" if program == base => http::classify(&mut cx, &base, args),
                _ if program == base && fs::is_fs(&base) => fs::classify(&mut cx, &base, args),
                _ if program == base && text::is_filter(&base) => text::classify(&mut cx, &base, args),
                _ if program == base && builtin::is_builtin(&base) => builtin::classify(&mut cx, &base, args),
                _ => process::classify(&mut cx, name, args),
            }
        }
    };
    let mode = cx.mode;
    let mut action = action;
    let bound = if let Mode::Bounded { seconds, .. } = &mode { Some(*seconds) } else { None };
    match &mut action {
        Action::Docker(d) => d.bound = bound,
        Action::Kube(k) => k.bound = bound,
        Action::Process(p) => p.privileged = privileged,
        _ => {}
    }
    Classified { argv, action, mode, privileged }
}

/// Whether the word holds any run-time hole.
#[must_use]
pub fn has_hole(w: &Word) -> bool {
    w.parts.iter().any(|p| !matches!(p, Part::Lit { .. } | Part::Glob { .. } | Part::Home))
}

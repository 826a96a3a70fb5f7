//! Subcommands, one file each; `main` parses arguments and maps outcomes to exit codes.

mod check;
pub mod inspect;
pub mod plan;
pub mod render;
mod run;
pub mod steps;
mod trace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use playbook_compiler::{Compilation, Source};

/// Compile Markdown runbooks into sandboxed, capability-checked playbooks.
#[derive(Parser, Debug)]
#[command(name = "playbook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Report diagnostics for a runbook; exits 0 when there are no errors.
    Check {
        runbook: PathBuf,
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Compile a runbook into a WebAssembly component.
    Compile {
        runbook: PathBuf,
        /// Where to write the component.
        #[arg(short, long)]
        output: PathBuf,
        /// Also write the core module (before componentization), for inspection.
        #[arg(long)]
        core: Option<PathBuf>,
    },
    /// Run a runbook (or a compiled playbook) under its manifest and your policy.
    Run(Box<run::Args>),
    /// Print the capability manifest a runbook needs.
    Manifest {
        runbook: PathBuf,
        #[arg(long, value_enum, default_value_t = ManifestFormat::Text)]
        format: ManifestFormat,
        /// Compare with a newer version: what it gains (+) and loses (-). Exits 1 when they differ.
        #[arg(long, value_name = "NEW")]
        diff: Option<PathBuf>,
    },
    /// List the steps of a runbook: ids, kinds (step, choice, optional, manual, wait), what
    /// each does and the inputs it needs; the ids `run --step/--from/--until/--choose` take.
    Steps {
        runbook: PathBuf,
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Show every effect of every path (a tree over the choices and optional sections), with
    /// paths resolved, globs expanded by a read-only listing and the inputs still missing.
    /// Nothing runs. `--format json` is an approval `run --plan` holds the run to.
    Plan {
        runbook: PathBuf,
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
        /// Where paths are resolved and globs listed (default: current directory).
        #[arg(long)]
        workdir: Option<PathBuf>,
        /// An input, as `run` takes it (the plan names the ones still missing).
        #[arg(long = "input", value_name = "K=V")]
        inputs: Vec<String>,
    },
    /// Print the step graph of a runbook.
    Graph {
        runbook: PathBuf,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Check a run's trace: chain, seal, subjects, and every call against the embedded manifest.
    /// Exits 0 when it verifies, 1 when it does not, 3 when the run did not finish.
    Verify {
        trace: PathBuf,
        /// The public key the seal and checkpoints must be signed with (`PREFIX.pub`).
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
        /// The runbook or compiled playbook the run must have been of.
        #[arg(long, value_name = "FILE")]
        playbook: Option<PathBuf>,
    },
    /// Re-run a playbook against a trace's recorded results, with no live effects; reports the
    /// first call that differs.
    Replay {
        trace: PathBuf,
        #[arg(long, value_name = "FILE")]
        playbook: PathBuf,
        /// Do not show the recorded output.
        #[arg(long)]
        quiet: bool,
    },
    /// Write a new Ed25519 key pair: PREFIX.key (private, PKCS#8 PEM) and PREFIX.pub.
    Keygen {
        #[arg(long, value_name = "PREFIX")]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RunOutput {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DiagFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ManifestFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Json,
}

/// Exit codes: 0 success, 1 the runbook has errors, 2 the command could not run.
pub const EXIT_RUNBOOK_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Entry point of the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Run(_)) {
        // These commands only print: a closed standard output (`playbook manifest … | head -1`)
        // ends them quietly by SIGPIPE, as it ends other command-line tools. `run` keeps the
        // signal ignored and handles a closed output as bash does (see `host::console`).
        crate::host::console::default_sigpipe();
    }
    let result = match cli.command {
        Command::Check { runbook, format } => check::run(&runbook, format),
        Command::Run(args) => run::run(*args),
        Command::Compile { runbook, output, core } => inspect::compile(&runbook, &output, core.as_deref()),
        Command::Manifest { runbook, format, diff: Some(new) } => inspect::manifest_diff(&runbook, &new, format),
        Command::Manifest { runbook, format, diff: None } => inspect::manifest(&runbook, format),
        Command::Graph { runbook, format } => inspect::graph(&runbook, format),
        Command::Plan { runbook, format, workdir, inputs } => {
            plan::plan(&runbook, format == DiagFormat::Json, workdir.as_deref(), &inputs)
        }
        Command::Steps { runbook, format } => inspect::steps(&runbook, format == DiagFormat::Json),
        Command::Verify { trace: t, pubkey, playbook } => trace::verify(&t, pubkey.as_deref(), playbook.as_deref()),
        Command::Replay { trace: t, playbook, quiet } => trace::replay(&t, &playbook, quiet),
        Command::Keygen { out } => trace::keygen(&out),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("playbook: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The bytes of a file, or a message naming it.
///
/// # Errors
/// When the file cannot be read.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Compiles runbook bytes named by their path; `Err` holds the diagnostics of unusable bytes.
fn compile_bytes(path: &Path, bytes: &[u8]) -> Result<Compilation, (Source, Vec<playbook_compiler::Diagnostic>)> {
    playbook_compiler::load(&path.display().to_string(), bytes).map(playbook_compiler::compile)
}

/// Reads and compiles a runbook. `Err` is a file that cannot be read at all.
///
/// # Errors
/// When the file cannot be read.
pub fn compile_path(path: &Path) -> Result<Result<Compilation, (Source, Vec<playbook_compiler::Diagnostic>)>, String> {
    Ok(compile_bytes(path, &read(path)?))
}

//! `playbook run`: options to `host::Options`, the run, the summary and an honest exit code.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::host::Options;
use crate::policy::Policy;

/// Flags of `playbook run`.
// The field docs are clap's `--help` text, printed as written: backticks added for the lint
// (`$PLAYBOOK_TRACE_DIR`, the policy's JSON) would change what a user reads.
#[allow(clippy::doc_markdown)]
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The runbook (`.md`, any extension) or a compiled playbook (`.wasm`).
    pub runbook: PathBuf,
    /// An input: `--input machine_id=e78…`. Environment inputs fall back to the environment.
    #[arg(long = "input", value_name = "K=V")]
    pub inputs: Vec<String>,
    /// Take the branch whose id starts with ID at a choice.
    #[arg(long = "choose", value_name = "ID")]
    pub choose: Vec<String>,
    /// Confirm every change without asking (scripts, CI).
    #[arg(long)]
    pub yes: bool,
    /// Show every change the run would make, without making it.
    #[arg(long)]
    pub dry_run: bool,
    /// Policy file: {"allow": [...], "deny": [...], "allow_privileged": bool}.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Allow only these capabilities (patterns like `docker.*`).
    #[arg(long = "allow", value_name = "CAPABILITY")]
    pub allow: Vec<String>,
    /// Never allow these capabilities.
    #[arg(long = "deny", value_name = "CAPABILITY")]
    pub deny: Vec<String>,
    /// Allow calls written with `sudo`.
    #[arg(long)]
    pub allow_privileged: bool,
    /// The granted root for files and the programs' working directory (default: current).
    #[arg(long)]
    pub workdir: Option<PathBuf>,
    /// `json`: one event per line on stdout.
    #[arg(long, value_enum, default_value_t = super::RunOutput::Text)]
    pub output: super::RunOutput,
    /// Seconds any one command or request may take before it is stopped.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Cap every `sleep` of the runbook at this many seconds (rehearsals, tests).
    #[arg(long, value_name = "SECONDS")]
    pub max_wait: Option<u32>,
    /// Write the hash-chained trace to FILE (default: a new file in $PLAYBOOK_TRACE_DIR, else
    /// ~/.local/state/playbook/traces); `--trace off` writes none.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Sign checkpoints and the final seal with this Ed25519 private key (`playbook keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub key: Option<PathBuf>,
    /// Continue the interrupted run of TRACE: replay its finished prefix, ask about the call in
    /// flight, go on live and extend the same trace.
    #[arg(long, value_name = "TRACE")]
    pub resume: Option<PathBuf>,
    /// With --resume: resume a trace whose prefix cannot be verified (no --key, no signed
    /// checkpoint, or one that does not verify with --key), replaying it as it is. Recorded in
    /// the trace and said in the summary.
    #[arg(long, requires = "resume")]
    pub resume_unverified: bool,
    /// Stop the run, cleanly and sealed, when its trace would grow past N bytes (suffixes K,
    /// M, G: KiB, MiB, GiB; at least 64K). Default 1G.
    #[arg(long, value_name = "N", value_parser = parse_size, default_value = "1G")]
    pub trace_max_bytes: u64,
    /// Send HTTP requests for HOST to ADDR (an IP address) instead of what DNS says, like
    /// curl's `--resolve`: e.g. a cluster-internal service name reached through a tunnel. The
    /// URL, its port and the manifest's checks are unchanged.
    #[arg(long = "resolve", value_name = "HOST=ADDR")]
    pub resolve: Vec<String>,
    /// Run only if the playbook's manifest (or its component) has this digest: what the
    /// reviewer approved (`playbook manifest` prints it). Repeatable; any match will do.
    #[arg(long = "approved", value_name = "sha256:HEX")]
    pub approved: Vec<String>,
    /// Run programs without their kernel jail (Landlock, seccomp, dropped capabilities), for a
    /// kernel that has no Landlock. Recorded in the trace and said in the summary.
    #[arg(long)]
    pub unconfined: bool,
    /// Run only this step (an id from `playbook steps`; a section's id runs the steps it
    /// holds). Repeatable. Choices and optional sections on the way are taken by themselves.
    #[arg(long = "step", value_name = "ID")]
    pub step: Vec<String>,
    /// Start at this step: the steps before it are passed by.
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// Stop after this step.
    #[arg(long, value_name = "ID")]
    pub until: Option<String>,
    /// Make only the changes this saved plan lists (`playbook plan --format json`), each
    /// confirmed by it; any other change is denied. The plan must be of this very manifest.
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,
    /// List the steps (as `playbook steps` does) and run nothing.
    #[arg(long)]
    pub list: bool,
    /// Without a terminal, pass manual steps by instead of stopping at the first one (each is
    /// recorded in the trace and listed in the summary). `--yes` never confirms them.
    #[arg(long)]
    pub skip_manual: bool,
}

/// Exit status of a run whose steps all ended well.
pub const EXIT_OK: u8 = 0;
/// A step ended with a non-zero status (the summary names it).
pub const EXIT_STEP_FAILED: u8 = 1;
/// The run stopped at a denial: a call outside the manifest or the policy, an unconfirmed
/// change, an unanswered choice or a missing input; or at a limit (the trace's size cap).
pub const EXIT_DENIED: u8 = 126;
/// `--resume` refused the trace (forged, unsigned, of another playbook): nothing ran.
pub const EXIT_REFUSED: u8 = 1;

/// A size: digits, optionally followed by K, M or G (binary multiples; `KiB`, `MB`… too).
///
/// # Errors
/// When it is not one, or is under the smallest cap.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n.parse().map_err(|_| format!("`{text}` is not a size (e.g. 65536, 64K, 512M, 1G)"))?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{text}`: the unit is K, M or G")),
    };
    let bytes = n.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))?;
    if bytes < crate::trace::MIN_MAX_BYTES {
        return Err(format!("`{text}` is under the smallest trace cap ({} bytes, 64K)", crate::trace::MIN_MAX_BYTES));
    }
    Ok(bytes)
}

pub fn run(a: Args) -> Result<u8, String> {
    let path = a.runbook.as_path();
    let mut policy = match &a.policy {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Policy::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => Policy::default(),
    };
    policy.allow.extend(a.allow);
    policy.deny.extend(a.deny);
    policy.allow_privileged |= a.allow_privileged;
    policy.yes = a.yes;
    let mut inputs = BTreeMap::new();
    for kv in &a.inputs {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--input {kv}: expected NAME=VALUE"))?;
        inputs.insert(k.to_string(), v.to_string());
    }
    let mut resolve = Vec::new();
    for r in &a.resolve {
        let (host, addr) = r.split_once('=').ok_or_else(|| format!("--resolve {r}: expected HOST=ADDR"))?;
        let ip: std::net::IpAddr = addr.parse().map_err(|_| format!("--resolve {r}: `{addr}` is not an IP address"))?;
        resolve.push((host.to_ascii_lowercase(), ip));
    }
    let workdir = match a.workdir {
        Some(w) => w,
        None => std::env::current_dir().map_err(|e| e.to_string())?,
    };
    if !workdir.is_dir() {
        return Err(format!("--workdir {}: not a directory", workdir.display()));
    }
    if a.list {
        return super::inspect::steps(path, a.output == super::RunOutput::Json);
    }
    let loaded = match super::inspect::load(path)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let doc = loaded.json(path, playbook_capability::component::sections::GRAPH)?;
    let selection = match super::steps::Graph::new(&doc) {
        Ok(g) => g.select(&a.step, a.from.as_deref(), a.until.as_deref())?,
        // A component from an older playbook: no order to select by, the rest still runs.
        Err(e) if !a.step.is_empty() || a.from.is_some() || a.until.is_some() => return Err(e),
        Err(_) => crate::host::Selection::default(),
    };
    let (component, manifest, total_steps) = loaded.into_playbook(path)?;
    let plan = match &a.plan {
        Some(p) => Some(super::plan::approved(p, &manifest)?),
        None => None,
    };
    // A mistyped name would be dropped without a word, and the input it meant asked for (or
    // missing) later: refused now, with the names the runbook has.
    for name in inputs.keys() {
        if !manifest.inputs.iter().any(|i| i.name == *name)
            && !playbook_compiler::graph::AMBIENT_ENV.contains(&name.as_str())
        {
            let known: Vec<&str> = manifest.inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(if known.is_empty() {
                format!("--input {name}: this runbook has no inputs")
            } else {
                format!("--input {name}: this runbook has no input `{name}`; its inputs are: {}", known.join(", "))
            });
        }
    }
    let opts = Options {
        inputs,
        choose: a.choose,
        policy,
        dry_run: a.dry_run,
        workdir,
        interactive: crate::host::interactive(),
        json: a.output == super::RunOutput::Json,
        timeout_secs: a.timeout,
        max_wait: a.max_wait,
        trace: if a.resume.is_some() { None } else { trace_path(a.trace, path) },
        resolve,
        quiet_replay: false,
        key: a.key,
        replay: None,
        resume: a.resume,
        approved: a.approved,
        unconfined: a.unconfined,
        skip_manual: a.skip_manual,
        selection,
        plan,
    };
    let json = opts.json;
    let unconfined = opts.unconfined;
    let more = crate::run::RunOptions { trace_max_bytes: a.trace_max_bytes, resume_unverified: a.resume_unverified };
    let mut ended = crate::run::run_with(&component, &manifest, opts, &more)?;
    if let Some(why) = &ended.refused {
        if json {
            crate::host::console::out(&format!(
                "{}\n",
                serde_json::json!({ "event": "end", "status": EXIT_REFUSED, "refused": why, "trace": ended.trace })
            ));
        } else {
            eprintln!("playbook: --resume refused: {why}");
        }
        return Ok(EXIT_REFUSED);
    }
    if let Some(e) = &ended.trace_error {
        eprintln!("playbook: {e}: the trace is incomplete");
    }
    ended.summary.skipped = total_steps.saturating_sub(ended.summary.steps);
    let code = exit_code(ended.status, &ended.summary);
    let s = &ended.summary;
    if json {
        crate::host::console::out(&format!(
            "{}\n",
            serde_json::json!({
                "event": "end", "status": code, "playbook_status": ended.status, "steps": s.steps,
                "failed": s.failed, "failed_steps": s.failed_steps, "skipped": s.skipped,
                "denied": s.denied, "denials": s.denials, "interrupted": s.interrupted,
                "not_chosen": s.not_chosen, "manual_skipped": s.manual_skipped,
                "limit": ended.limit, "resume": ended.resume, "unconfined": unconfined, "trace": ended.trace
            })
        ));
    } else {
        // (On a closed standard error the summary is lost; the trace keeps it.)
        let mut text = String::new();
        let _ = writeln!(
            text,
            "\n{} step{} run, {} failed, {} skipped, {} denied; exit status {code}",
            s.steps,
            if s.steps == 1 { "" } else { "s" },
            s.failed,
            s.skipped,
            s.denied,
        );
        for f in &s.failed_steps {
            let _ = writeln!(text, "  failed: {f}");
        }
        for d in &s.denials {
            let _ = writeln!(text, "  denied: {d}");
        }
        for n in &s.not_chosen {
            let _ = writeln!(text, "  not chosen: {n} (optional; --choose {n} runs it)");
        }
        for m in &s.manual_skipped {
            let _ = writeln!(text, "  manual step passed by (--skip-manual): {m}");
        }
        if let Some(r) = &ended.resume {
            let _ = writeln!(text, "  resumed: {}", resume_summary(r, ended.replayed));
        }
        if unconfined {
            let _ = writeln!(text, "  UNCONFINED (--unconfined): programs ran without their kernel jails");
        }
        if let Some(t) = &ended.trace {
            let _ = writeln!(text, "  trace: {}", t.display());
        }
        crate::host::console::err(&text);
    }
    Ok(code)
}

/// What the summary says about a resume: how much was verified and replayed, or that it was not.
fn resume_summary(r: &serde_json::Value, replayed: usize) -> String {
    match r["verified_to"].as_u64() {
        Some(to) => format!(
            "the prefix was verified up to the signed checkpoint at seq {to} and {replayed} events of it replayed; what came after it was run again live"
        ),
        None => format!(
            "UNVERIFIED (--resume-unverified): {}; {replayed} events were replayed as recorded",
            r["unverified"].as_str().unwrap_or("the prefix was not verified")
        ),
    }
}

/// `--trace FILE`, `--trace off`, or a new file in the default directory named after the
/// runbook and the time.
fn trace_path(given: Option<PathBuf>, runbook: &std::path::Path) -> Option<PathBuf> {
    match given {
        Some(p) if p.as_os_str() == "off" => None,
        Some(p) => Some(p),
        None => {
            let stem = runbook.file_stem().map_or_else(|| "run".to_string(), |s| s.to_string_lossy().into_owned());
            let name = format!("{stem}-{}-{}.trace.jsonl", crate::trace::now_ms(), &crate::trace::random_hex(4));
            let dir = crate::trace::default_dir()?;
            // The default place: a run is not refused for it, but the operator is told.
            if let Err(e) = std::fs::create_dir_all(&dir) {
                eprintln!("playbook: warning: no trace is written: {}: {e} (pass --trace FILE)", dir.display());
                return None;
            }
            Some(dir.join(name))
        }
    }
}

/// The process's exit status: the playbook's own (`exit N`, a denial), else 1 when a step
/// failed, else 0.
fn exit_code(status: i32, s: &crate::host::Summary) -> u8 {
    if s.interrupted.is_some() {
        return u8::try_from(status).unwrap_or(EXIT_STEP_FAILED);
    }
    if s.denied > 0 {
        return EXIT_DENIED;
    }
    if status != 0 {
        return u8::try_from(status.clamp(1, 255)).unwrap_or(EXIT_STEP_FAILED);
    }
    if s.failed > 0 { EXIT_STEP_FAILED } else { EXIT_OK }
}

/// A runbook (compiled now) or a compiled playbook: its component bytes and manifest.
///
/// # Errors
/// When it cannot be read, has errors, or is not a playbook.
pub fn load_playbook(path: &std::path::Path) -> Result<(Vec<u8>, playbook_capability::manifest::Manifest), String> {
    match super::inspect::load(path)? {
        Ok(loaded) => loaded.into_playbook(path).map(|(c, m, _)| (c, m)),
        Err(_) => Err(format!("{} has errors (see `playbook check`)", path.display())),
    }
}

/// The component bytes of a runbook or a compiled playbook.
///
/// # Errors
/// As `load_playbook`.
pub fn component_of(path: &std::path::Path) -> Result<Vec<u8>, String> {
    load_playbook(path).map(|(c, _)| c)
}

//! `playbook run`: options to `host::Options`, the run, the summary and an honest exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::host::Options;
use crate::policy::Policy;

pub struct Args {
    pub inputs: Vec<String>,
    pub choose: Vec<String>,
    pub yes: bool,
    pub dry_run: bool,
    pub policy: Option<PathBuf>,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub allow_privileged: bool,
    pub workdir: Option<PathBuf>,
    pub json: bool,
    pub timeout: u64,
}

pub fn run(path: &Path, a: Args) -> Result<u8, String> {
    let mut policy = match &a.policy {
        Some(p) => {
            Policy::from_json(&std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?)?
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
    let workdir = match a.workdir {
        Some(w) => w,
        None => std::env::current_dir().map_err(|e| e.to_string())?,
    };
    if !workdir.is_dir() {
        return Err(format!("--workdir {}: not a directory", workdir.display()));
    }
    let (component, manifest) = match crate::run::load(path)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let opts = Options {
        inputs,
        choose: a.choose,
        policy,
        dry_run: a.dry_run,
        workdir,
        interactive: crate::host::interactive(),
        json: a.json,
        timeout_secs: a.timeout,
    };
    let json = opts.json;
    let ended = crate::run::run(&component, &manifest, opts)?;
    let s = &ended.summary;
    if json {
        println!(
            "{}",
            serde_json::json!({ "event": "end", "status": ended.status, "steps": s.steps, "failed": s.failed, "denied": s.denied, "denials": s.denials })
        );
    } else {
        eprintln!(
            "\n{} step{} run, {} failed, {} denied; exit status {}",
            s.steps,
            if s.steps == 1 { "" } else { "s" },
            s.failed,
            s.denied,
            ended.status
        );
        for d in &s.denials {
            eprintln!("  denied: {d}");
        }
    }
    Ok(u8::try_from(ended.status.clamp(0, 255)).unwrap_or(1))
}

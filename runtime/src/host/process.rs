//! Other programs: an argv (never a shell), a cleared environment plus the declared variables,
//! the working directory inside the root, a timeout and output caps (see `exec`).

use playbook_capability::process::ProcessRequest;

use super::HostState;
use super::exec::Spawn;
use crate::bindings::playbook::host::process::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use crate::policy;

fn program_path(program: &str) -> String {
    match program.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", std::env::var("HOME").unwrap_or_default()),
        None => program.to_string(),
    }
}

/// The guest's request in the capability vocabulary.
fn typed(r: &Request) -> ProcessRequest<String> {
    ProcessRequest {
        program: r.program.clone(),
        args: r.args.clone(),
        env: r.env.iter().map(|v| (v.name.clone(), v.value.clone())).collect(),
        privileged: r.privileged,
        background: r.background,
    }
}

impl HostState {
    /// The jail of a program: cut from what the call does (its effect, computed from the
    /// request like the manifest's), its network scope, and for `exec` the operator's policy.
    fn program_jail(&self, p: &ProcessRequest<String>, program: &str) -> super::jail::Jail {
        use super::jail::{Kind, Net, also_runs, for_program};
        let effect = p.effect();
        let privileged = p.privileged && self.opts.policy.allow_privileged;
        let mut j =
            for_program(effect, &self.real_root, if p.privileged { "sudo" } else { program }, p.network(), privileged);
        if p.privileged {
            also_runs(&mut j, program);
        }
        if j.kind == Kind::Exec {
            let e = &self.opts.policy.exec;
            j.read.extend(e.read.iter().map(std::path::PathBuf::from));
            j.write.extend(e.write.iter().map(std::path::PathBuf::from));
            if e.network {
                j.net = Net::Any;
            }
        }
        j
    }

    async fn process_live(&mut self, r: &Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let p = typed(r);
        if let Err(d) = policy::check_env(p.env.iter().map(|(k, _)| k.as_str())) {
            let reason = d.to_string();
            return Err(self.deny_text(&reason));
        }
        if let Err(e) = self.metadata_targets(&p.program, &p.args) {
            return Err(self.deny_text(&e));
        }
        if !self.gate(r.grant, &p.needs(), p.privileged)? {
            return Ok(self.dry(&format!("run {} {}", p.program, p.args.join(" "))));
        }
        let program = program_path(&p.program);
        let jail = self.program_jail(&p, &program);
        let (program, args) = if p.privileged {
            // `sudo -n`: never prompt for a password on a terminal the run does not own.
            ("sudo".to_string(), ["-n".to_string(), "--".to_string(), program].into_iter().chain(p.args).collect())
        } else {
            (program, p.args)
        };
        let spawn = Spawn {
            label: p.program.clone(),
            program,
            args,
            env: p.env,
            cwd: self.cwd_path(),
            jail: Some(jail),
            ..Spawn::default()
        };
        if p.background {
            return self.start_background(&spawn, None).await;
        }
        Ok(self.execute(&spawn, &io).await)
    }
}

impl HostState {
    /// `chmod`, `chown`, `chgrp` change what a path leads to, and the kernel's jail does not
    /// hold metadata changes: each file operand must resolve inside the root (no symbolic link
    /// leading out, no `..` above it), and `-L` (follow every link on the way down) is refused.
    fn metadata_targets(&self, program: &str, args: &[String]) -> Result<(), String> {
        let base = program.rsplit('/').next().unwrap_or(program);
        if !matches!(base, "chmod" | "chown" | "chgrp") {
            return Ok(());
        }
        let mut operands = Vec::new();
        let mut reference = false;
        let mut options_done = false;
        for a in args {
            if !options_done && a == "--" {
                options_done = true;
            } else if !options_done && a.starts_with("--") {
                if a == "--dereference" {
                    return Err(format!("{base} {a}: following symbolic links is not allowed here"));
                }
                if let Some(file) = a.strip_prefix("--reference=") {
                    reference = true;
                    operands.push(file.to_string());
                }
            } else if !options_done && a.starts_with('-') && a.len() > 1 && !(base == "chmod" && is_mode(a)) {
                if a.contains('L') {
                    return Err(format!("{base} {a}: following symbolic links is not allowed here"));
                }
            } else {
                operands.push(a.clone());
            }
        }
        // The mode or owner comes first, unless `--reference=FILE` gives it.
        let files = if reference { &operands[..] } else { operands.get(1..).unwrap_or_default() };
        for f in files {
            self.relative(f).map_err(|e| format!("{base}: {e}"))?;
        }
        Ok(())
    }
}

/// A `chmod` mode written with a leading `-` (`-x`, `-w,+r`), not an option.
fn is_mode(a: &str) -> bool {
    a.len() > 1
        && a[1..]
            .chars()
            .all(|c| matches!(c, 'r' | 'w' | 'x' | 'X' | 's' | 't' | ',' | '+' | '-' | '=' | 'u' | 'g' | 'o' | 'a'))
        && !a.contains('R')
}

impl Host for HostState {
    async fn run(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = super::record::request_json(r.grant, &typed(&r));
        if let Some(done) = self.begin_call("process", &req, &io) {
            return done;
        }
        let reads = io.stdin_pipe;
        let result = self.process_live(&r, io).await;
        self.end_piped(reads, result).await
    }
}

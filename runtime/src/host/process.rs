//! Other programs: an argv (never a shell), a cleared environment plus the declared variables,
//! the working directory inside the root, a timeout and output caps (see `exec`).

use super::HostState;
use super::exec::Spawn;
use super::record::opts;
use crate::bindings::playbook::host::process::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use crate::{needs, policy};
use serde_json::json;

fn program_path(program: &str) -> String {
    match program.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", std::env::var("HOME").unwrap_or_default()),
        None => program.to_string(),
    }
}

impl HostState {
    async fn process_live(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        if let Err(d) = policy::check_env(r.env.iter().map(|o| o.key.as_str())) {
            let reason = d.to_string();
            return Err(self.deny_text(&reason));
        }
        let needs = needs::process(&r.program, &r.args);
        if !self.gate(r.grant, &needs, r.privileged)? {
            return Ok(self.dry(&format!("run {} {}", r.program, r.args.join(" "))));
        }
        let program = program_path(&r.program);
        let (program, args) = if r.privileged {
            // `sudo -n`: never prompt for a password on a terminal the run does not own.
            ("sudo".to_string(), ["-n".to_string(), "--".to_string(), program].into_iter().chain(r.args).collect())
        } else {
            (program, r.args)
        };
        let spawn = Spawn {
            label: r.program.clone(),
            program,
            args,
            env: r.env.into_iter().map(|o| (o.key, o.value)).collect(),
            cwd: self.cwd_path(),
            ..Spawn::default()
        };
        if r.background {
            return Ok(self.start_background(&spawn, None).await);
        }
        Ok(self.execute(&spawn, &io).await)
    }
}

impl Host for HostState {
    async fn run(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = json!({ "grant": r.grant, "program": r.program, "args": r.args, "env": opts(&r.env), "privileged": r.privileged, "background": r.background });
        if let Some(done) = self.begin_call("process", req, &io) {
            return done;
        }
        let result = self.process_live(r, io).await;
        self.end_call(&result);
        result
    }
}

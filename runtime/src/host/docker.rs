//! Docker: the host runs the real `docker` client with an argv rebuilt from the typed request by
//! the compiler's own option tables, so the operator sees Docker's own output and nothing but
//! declared options reaches the engine. Containers are resolved first: a target must name
//! exactly one container by its exact name (not an ID prefix, not another container).

use std::time::Duration;

use playbook_compiler::action::docker as table;

use super::exec::Spawn;
use super::record::opts;
use super::{HostState, pairs};
use crate::bindings::playbook::host::docker::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use crate::needs;
use serde_json::json;

/// What the `docker` client may take from the runtime's environment.
const DOCKER_ENV: &[&str] =
    &["DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"];

/// `bounded-seconds` added by the compiler to unbounded commands.
pub fn bound(options: &[(String, String)]) -> Option<Duration> {
    options.iter().find(|(k, _)| k == "bounded-seconds").and_then(|(_, v)| v.parse().ok()).map(Duration::from_secs)
}

impl HostState {
    fn docker_spawn(&self, args: Vec<String>, bounded: Option<Duration>) -> Spawn {
        Spawn {
            label: "docker".into(),
            program: "docker".into(),
            args,
            pass_env: DOCKER_ENV,
            cwd: self.cwd_path(),
            bounded,
            ..Spawn::default()
        }
    }

    /// Checks that `name` is a container's exact name, when such a container exists. Docker
    /// itself would also accept an ID prefix or resolve to another container; a grant for
    /// `web` must not reach a container whose ID starts with `web`.
    async fn exact_container(&mut self, name: &str) -> Result<(), Error> {
        let spawn = self.docker_spawn(
            vec!["container".into(), "inspect".into(), "--format={{.Name}}".into(), name.to_string()],
            None,
        );
        let quiet = Io { stdin: String::new(), capture: true, merge_stderr: true, discard_stderr: false };
        let out = self.execute(&spawn, &quiet).await;
        if out.status != 0 {
            // No such container: Docker will say so itself when the command runs.
            return Ok(());
        }
        let found = out.stdout.trim();
        if found == format!("/{name}") {
            Ok(())
        } else {
            Err(self.deny_text(&format!("`{name}` resolves to container {found}, not to one named exactly `{name}`")))
        }
    }
}

impl HostState {
    async fn docker_live(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        let options = pairs(&r.options);
        let needs = needs::docker(&r.verb, &r.targets, &options, &r.image, &r.command, &r.compose_file, &r.project);
        let args = match table::argv(&r.verb, &r.targets, &options, &r.image, &r.command, &r.compose_file, &r.project) {
            Ok(a) => a,
            Err(e) => return Err(self.deny_text(&format!("docker {}: {e}", r.verb))),
        };
        if !self.gate(r.grant, &needs, false)? {
            return Ok(self.dry(&format!("docker {}", args.join(" "))));
        }
        if r.verb.starts_with("container.") && !matches!(r.verb.as_str(), "container.run" | "container.list") {
            for t in &r.targets {
                self.exact_container(t).await?;
            }
        }
        let spawn = self.docker_spawn(args, bound(&options));
        Ok(self.execute(&spawn, &io).await)
    }
}

impl Host for HostState {
    async fn call(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = json!({ "grant": r.grant, "verb": r.verb, "targets": r.targets, "options": opts(&r.options), "image": r.image, "command": r.command, "compose_file": r.compose_file, "project": r.project });
        if let Some(done) = self.begin_call("docker", req, &io) {
            return done;
        }
        let result = self.docker_live(r, io).await;
        self.end_call(&result);
        result
    }
}

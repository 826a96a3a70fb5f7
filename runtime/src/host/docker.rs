//! Docker: the host runs the real `docker` client with the argv `DockerRequest::argv` rebuilds
//! from the typed request, so the operator sees Docker's own output and nothing but declared
//! options reaches the engine. Containers are resolved first: a target must name exactly one
//! container by its exact name (not an ID prefix, not another container).

use std::time::Duration;

use playbook_capability::docker::{DockerRequest, DockerVerb};

use super::exec::Spawn;
use super::{HostState, settings};
use crate::bindings::playbook::host::docker::{Host, Request};
use crate::bindings::{Error, Io, Outcome};

/// What the `docker` client may take from the runtime's environment.
const DOCKER_ENV: &[&str] =
    &["DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"];

/// The guest's request in the capability vocabulary (the WIT enum and the vocabulary's list
/// share one order, which a test checks).
fn typed(r: &Request) -> Result<DockerRequest<String>, String> {
    let verb = DockerVerb::from_index(r.verb as usize).ok_or("unknown Docker verb")?;
    let mut d = DockerRequest::new(verb);
    d.targets.clone_from(&r.targets);
    d.options = settings(&r.options);
    d.image.clone_from(&r.image);
    d.command.clone_from(&r.command);
    d.compose_file.clone_from(&r.compose_file);
    d.project.clone_from(&r.project);
    d.literal.clone_from(&r.literal);
    d.bound = r.bound_seconds;
    d.background = r.background;
    Ok(d)
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
            jail: Some(self.docker_jail()),
            ..Spawn::default()
        }
    }

    /// The `docker` client's jail: it reads the working directory and its own configuration and
    /// reaches its engine (the Unix socket, or the TCP port of `DOCKER_HOST`), nothing else.
    fn docker_jail(&self) -> super::jail::Jail {
        use super::jail::{Kind, Net, runs};
        let exe = runs("docker");
        let mut j = super::jail::Jail::new(Kind::DockerClient, &self.real_root, exe);
        let home = std::env::var("HOME").unwrap_or_default();
        let config = std::env::var("DOCKER_CONFIG").unwrap_or_else(|_| format!("{home}/.docker"));
        j.read.push(config.into());
        if let Ok(certs) = std::env::var("DOCKER_CERT_PATH") {
            j.read.push(certs.into());
        }
        if let Ok(host) = std::env::var("DOCKER_HOST")
            && let Some(port) = host
                .strip_prefix("tcp://")
                .and_then(|h| h.rsplit(':').next())
                .and_then(|p| p.trim_end_matches('/').parse().ok())
        {
            j.net = Net::Tcp { connect: vec![port], bind: Vec::new() };
        }
        j
    }

    /// Checks that `name` is a container's exact name, when such a container exists. Docker
    /// itself would also accept an ID prefix or resolve to another container; a grant for
    /// `web` must not reach a container whose ID starts with `web`.
    async fn exact_container(&mut self, name: &str) -> Result<(), Error> {
        let spawn = self.docker_spawn(
            vec!["container".into(), "inspect".into(), "--format={{.Name}}".into(), name.to_string()],
            None,
        );
        let quiet = Io { capture: true, merge_stderr: true, ..super::no_io() };
        // (A check of its own: not the pipes of the call it checks.)
        let pipes = std::mem::take(&mut self.call_pipes);
        let out = self.execute(&spawn, &quiet).await;
        self.call_pipes = pipes;
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

    async fn docker_live(&mut self, r: &Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let d = typed(r).map_err(|e| self.deny_text(&format!("docker: {e}")))?;
        let args = d.argv().map_err(|e| self.deny_text(&format!("docker {}: {e}", d.verb)))?;
        // A relative bind-mount source is a path in the working directory as the manifest says;
        // one that a symbolic link leads out of reaches the host like an absolute one.
        if !d.privileged() {
            for v in d.options.iter().filter(|o| o.key == "volume").filter_map(|o| o.value.as_deref()) {
                let src = playbook_capability::docker::mount_source(v);
                if (src.contains('/') || src.starts_with('.'))
                    && let Err(e) = self.resolve(src)
                {
                    return Err(self.deny_text(&format!("docker run: the bind mount {e}; that is a privileged run")));
                }
            }
        }
        if !self.gate(r.grant, &d.needs(), d.privileged())? {
            return Ok(self.dry(&format!("docker {}", args.join(" "))));
        }
        // `docker cp`: the local side is a path of the granted root, and the client may write
        // there (a destination) and nowhere else.
        let mut copy_write = None;
        let mut containers = d.targets.clone();
        if d.verb == DockerVerb::ContainerCp {
            let [src, dst] = d.targets.as_slice() else { return Err(self.deny_text("docker cp takes two paths")) };
            let Some((container, _, local, from)) = playbook_capability::docker::cp_parts(src, dst) else {
                return Err(self.deny_text("docker cp: exactly one side must be CONTAINER:PATH"));
            };
            let full = self.resolve(&local).map_err(|e| self.deny_text(&format!("docker cp: {e}")))?;
            if from {
                copy_write = Some(if full.is_dir() {
                    full
                } else {
                    full.parent().map_or_else(|| full.clone(), std::path::Path::to_path_buf)
                });
            }
            containers = vec![container];
        }
        if d.verb.as_str().starts_with("container.")
            && !matches!(d.verb, DockerVerb::ContainerRun | DockerVerb::ContainerList)
        {
            for t in &containers {
                self.exact_container(t).await?;
            }
        }
        let bound = self.bound(r.grant, d.bound);
        let mut spawn = self.docker_spawn(args, bound);
        if let (Some(dir), Some(jail)) = (copy_write, spawn.jail.as_mut()) {
            jail.write.push(dir);
        }
        if d.background {
            return self.start_background(&spawn, None).await;
        }
        Ok(self.execute(&spawn, &io).await)
    }
}

impl Host for HostState {
    async fn call(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = match typed(&r) {
            Ok(d) => super::record::request_json(r.grant, &d),
            Err(e) => serde_json::json!({ "grant": r.grant, "invalid": e }),
        };
        if let Some(done) = self.begin_call("docker", &req, &io) {
            return done;
        }
        let reads = io.stdin_pipe;
        let result = self.docker_live(&r, io).await;
        self.end_piped(reads, result).await
    }
}

//! Interfaces whose real backends are not written yet (Docker, Kubernetes, HTTP). Calls are still
//! authorized against the manifest; an authorized call then fails honestly, like a missing tool.

use super::{HostState, failed, show};
use crate::bindings::playbook::host::{docker, http, kube};
use crate::bindings::{Error, Io, Outcome};
use crate::needs;

fn pairs(o: &[crate::bindings::Opt]) -> Vec<(String, String)> {
    o.iter().map(|o| (o.key.clone(), o.value.clone())).collect()
}

fn not_yet(state: &HostState, what: &str, io: &Io) -> Outcome {
    show(state, &failed(127, &format!("playbook: the {what} backend is not available in this build yet\n")), io.capture)
}

impl docker::Host for HostState {
    async fn call(&mut self, r: docker::Request, io: Io) -> Result<Outcome, Error> {
        let needs =
            needs::docker(&r.verb, &r.targets, &pairs(&r.options), &r.image, &r.command, &r.compose_file, &r.project);
        if !self.gate(r.grant, &needs, false)? {
            return Ok(self.dry(&format!("docker {} {}", r.verb, r.targets.join(" "))));
        }
        Ok(not_yet(self, "Docker", &io))
    }
}

impl kube::Host for HostState {
    async fn call(&mut self, r: kube::Request, io: Io) -> Result<Outcome, Error> {
        let needs = needs::kube(
            &r.verb,
            &r.resources,
            &r.names,
            &r.selector,
            &r.namespace,
            r.all_namespaces,
            &pairs(&r.options),
            &r.operands,
        );
        if !self.gate(r.grant, &needs, false)? {
            return Ok(self.dry(&format!("kubectl {} {}", r.verb, r.names.join(" "))));
        }
        Ok(not_yet(self, "Kubernetes", &io))
    }
}

impl http::Host for HostState {
    async fn send(&mut self, r: http::Request, io: Io) -> Result<Outcome, Error> {
        let Some(needs) = needs::http(&r.tool, &r.method, &r.url, &r.headers, &pairs(&r.options)) else {
            return Err(self.deny_text(&format!("`{}` is not a URL playbook can check", r.url)));
        };
        if !self.gate(r.grant, &needs, false)? {
            return Ok(self.dry(&format!("{} {}", r.method, r.url)));
        }
        Ok(not_yet(self, "HTTP", &io))
    }
}

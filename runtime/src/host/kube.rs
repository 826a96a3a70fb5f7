//! Kubernetes: the host runs the real `kubectl` with the operator's kubeconfig and an argv
//! rebuilt from the typed request by the compiler's own option table.

use playbook_compiler::action::kube as table;

use super::HostState;
use super::docker::bound;
use super::exec::Spawn;
use super::pairs;
use super::record::opts;
use crate::bindings::playbook::host::kube::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use crate::needs;
use serde_json::json;

/// What `kubectl` may take from the runtime's environment.
const KUBE_ENV: &[&str] = &["KUBECONFIG", "KUBECACHEDIR"];

impl HostState {
    async fn kube_live(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        let options = pairs(&r.options);
        let needs = needs::kube(
            &r.verb,
            &r.resources,
            &r.names,
            &r.selector,
            &r.namespace,
            r.all_namespaces,
            &options,
            &r.operands,
        );
        let args = match table::argv(
            &r.verb,
            &r.resources,
            &r.names,
            &r.selector,
            &r.namespace,
            r.all_namespaces,
            &options,
            &r.operands,
        ) {
            Ok(a) => a,
            Err(e) => return Err(self.deny_text(&format!("kubectl {}: {e}", r.verb))),
        };
        if !self.gate(r.grant, &needs, false)? {
            return Ok(self.dry(&format!("kubectl {}", args.join(" "))));
        }
        let spawn = Spawn {
            label: "kubectl".into(),
            program: "kubectl".into(),
            args,
            pass_env: KUBE_ENV,
            cwd: self.cwd_path(),
            bounded: bound(&options),
            ..Spawn::default()
        };
        if options.iter().any(|(k, _)| k == "background") {
            // `kubectl port-forward … &`: the next command expects the forward to listen.
            let ready = (r.verb == "port-forward").then_some("Forwarding from");
            return Ok(self.start_background(&spawn, ready).await);
        }
        Ok(self.execute(&spawn, &io).await)
    }
}

impl Host for HostState {
    async fn call(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = json!({ "grant": r.grant, "verb": r.verb, "resources": r.resources, "names": r.names, "selector": r.selector, "namespace": r.namespace, "all_namespaces": r.all_namespaces, "options": opts(&r.options), "operands": r.operands });
        if let Some(done) = self.begin_call("kube", req, &io) {
            return done;
        }
        let result = self.kube_live(r, io).await;
        self.end_call(&result);
        result
    }
}

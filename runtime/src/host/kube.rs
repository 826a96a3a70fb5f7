//! Kubernetes: the host runs the real `kubectl` with the operator's kubeconfig and the argv
//! `KubeRequest::argv` rebuilds from the typed request.

use playbook_capability::kube::{KubeRequest, KubeVerb};

use super::exec::Spawn;
use super::{HostState, settings};
use crate::bindings::playbook::host::kube::{Host, Request};
use crate::bindings::{Error, Io, Outcome};

/// What `kubectl` may take from the runtime's environment.
const KUBE_ENV: &[&str] = &["KUBECONFIG", "KUBECACHEDIR"];

/// The guest's request in the capability vocabulary.
fn typed(r: &Request) -> Result<KubeRequest<String>, String> {
    let verb = KubeVerb::from_index(r.verb as usize).ok_or("unknown kubectl verb")?;
    let mut k = KubeRequest::new(verb);
    k.resources.clone_from(&r.resources);
    k.names.clone_from(&r.names);
    k.selector.clone_from(&r.selector);
    k.namespace.clone_from(&r.namespace);
    k.all_namespaces = r.all_namespaces;
    k.options = settings(&r.options);
    k.operands.clone_from(&r.operands);
    k.bound = r.bound_seconds;
    k.background = r.background;
    Ok(k)
}

impl HostState {
    async fn kube_live(&mut self, r: &Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        let k = typed(r).map_err(|e| self.deny_text(&format!("kubectl: {e}")))?;
        let args = k.argv().map_err(|e| self.deny_text(&format!("kubectl {}: {e}", k.verb)))?;
        if !self.gate(r.grant, &k.needs(), false)? {
            return Ok(self.dry(&format!("kubectl {}", args.join(" "))));
        }
        let spawn = Spawn {
            label: "kubectl".into(),
            program: "kubectl".into(),
            args,
            pass_env: KUBE_ENV,
            cwd: self.cwd_path(),
            bounded: self.bound(r.grant, k.bound),
            ..Spawn::default()
        };
        if k.background {
            // `kubectl port-forward … &`: the next command expects the forward to listen.
            let ready = (k.verb == KubeVerb::PortForward).then_some("Forwarding from");
            return Ok(self.start_background(&spawn, ready).await);
        }
        Ok(self.execute(&spawn, &io).await)
    }
}

impl Host for HostState {
    async fn call(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = match typed(&r) {
            Ok(k) => super::record::request_json(r.grant, &k),
            Err(e) => serde_json::json!({ "grant": r.grant, "invalid": e }),
        };
        if let Some(done) = self.begin_call("kube", &req, &io) {
            return done;
        }
        let result = self.kube_live(&r, io).await;
        self.end_call(&result);
        result
    }
}

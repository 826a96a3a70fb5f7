//! Kubernetes: the host runs the real `kubectl` with the operator's kubeconfig and the argv
//! `KubeRequest::argv` rebuilds from the typed request.

use std::path::PathBuf;

use playbook_capability::kube::{KubeClient, KubeRequest, KubeVerb};

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
    k.client = KubeClient::from_index(r.client as usize).ok_or("unknown Kubernetes client")?;
    k.resources.clone_from(&r.resources);
    k.names.clone_from(&r.names);
    k.selector.clone_from(&r.selector);
    k.namespace.clone_from(&r.namespace);
    k.all_namespaces = r.all_namespaces;
    k.options = settings(&r.options);
    k.operands.clone_from(&r.operands);
    k.literal.clone_from(&r.literal);
    k.bound = r.bound_seconds;
    k.background = r.background;
    Ok(k)
}

/// The kubeconfig files kubectl reads: `KUBECONFIG` (a `:` list), else `~/.kube/config`.
fn kubeconfigs() -> Vec<PathBuf> {
    match std::env::var("KUBECONFIG") {
        Ok(list) if !list.is_empty() => list.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
        _ => vec![PathBuf::from(format!("{}/.kube/config", std::env::var("HOME").unwrap_or_default()))],
    }
}

/// The ports of the API servers a kubeconfig names (`server: https://host:port`).
fn server_ports(config: &str) -> Vec<u16> {
    config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server:"))
        .filter_map(|v| url::Url::parse(v.trim().trim_matches(['"', '\''])).ok())
        .filter_map(|u| u.port_or_known_default())
        .collect()
}

/// The local ports `kubectl port-forward` listens on (`8080:80`, `8080`, `:80` picks one).
fn forwarded_ports(k: &KubeRequest<String>) -> Vec<u16> {
    if k.verb != KubeVerb::PortForward {
        return Vec::new();
    }
    k.operands.iter().filter_map(|o| o.split(':').next()).filter_map(|p| p.parse().ok()).collect()
}

impl HostState {
    /// kubectl's jail: it reads the working directory (`apply -f`), its kubeconfig and
    /// `~/.kube`, writes its discovery cache, connects to the API servers' ports and listens on
    /// the ports of a `port-forward`; nothing else.
    fn kube_jail(&self, k: &KubeRequest<String>) -> super::jail::Jail {
        use super::jail::{Kind, Net, runs};
        let exe = runs(k.client.as_str());
        let mut j = super::jail::Jail::new(Kind::KubeClient, &self.real_root, exe);
        let home = std::env::var("HOME").unwrap_or_default();
        let mut connect = Vec::new();
        for c in kubeconfigs() {
            connect.extend(server_ports(&std::fs::read_to_string(&c).unwrap_or_default()));
            j.read.push(c);
        }
        j.read.push(format!("{home}/.kube").into());
        let cache = std::env::var("KUBECACHEDIR").unwrap_or_else(|_| format!("{home}/.kube/cache"));
        let _ = std::fs::create_dir_all(&cache);
        j.write.push(cache.into());
        j.write.push(format!("{home}/.kube/http-cache").into());
        connect.sort_unstable();
        connect.dedup();
        j.net = Net::Tcp { connect, bind: forwarded_ports(k) };
        j
    }

    async fn kube_live(&mut self, r: &Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let k = typed(r).map_err(|e| self.deny_text(&format!("kubectl: {e}")))?;
        let args = k.argv().map_err(|e| self.deny_text(&format!("{} {}: {e}", k.client, k.verb)))?;
        if !self.gate(r.grant, &k.needs(), false)? {
            return Ok(self.dry(&format!("{} {}", k.client, args.join(" "))));
        }
        let spawn = Spawn {
            label: k.client.as_str().into(),
            program: k.client.as_str().into(),
            args,
            pass_env: KUBE_ENV,
            cwd: self.cwd_path(),
            bounded: self.bound(r.grant, k.bound),
            jail: Some(self.kube_jail(&k)),
            ..Spawn::default()
        };
        if k.background {
            // `kubectl port-forward … &`: the next command expects the forward to listen.
            let ready = (k.verb == KubeVerb::PortForward).then_some("Forwarding from");
            return self.start_background(&spawn, ready).await;
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
        let reads = io.stdin_pipe;
        let result = self.kube_live(&r, io).await;
        self.end_piped(reads, result).await
    }
}

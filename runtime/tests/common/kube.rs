//! A Kubernetes cluster for one test: the project's `kube-test-apiserver`, started in this
//! process on loopback (contract tests), or — with `PLAYBOOK_TEST_KUBECONFIG=FILE` — the real
//! cluster that kubeconfig's current context points at, in a fresh namespace of its own that is
//! deleted afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

pub struct Cluster {
    /// The kubeconfig the test and playbook use (a copy, for a real cluster).
    pub config: PathBuf,
    /// A real cluster rather than kube-test-apiserver.
    pub real: bool,
    namespace: Option<String>,
    /// Further namespaces made by the test (deleted afterwards on a real cluster).
    extra: std::cell::RefCell<Vec<String>>,
}

impl Cluster {
    pub fn start(dir: &Path, name: &str) -> Self {
        let config = dir.join("kubeconfig");
        if let Some(real) = std::env::var_os("PLAYBOOK_TEST_KUBECONFIG") {
            std::fs::copy(&real, &config).expect("PLAYBOOK_TEST_KUBECONFIG is readable");
            let ns = format!("playbook-e2e-{}-{name}", std::process::id());
            let c = Self { config, real: true, namespace: Some(ns.clone()), extra: std::cell::RefCell::default() };
            c.kubectl(&["create", "namespace", &ns]);
            c.kubectl(&["config", "set-context", "--current", &format!("--namespace={ns}")]);
            return c;
        }
        Self { config: test_server(dir), real: false, namespace: None, extra: std::cell::RefCell::default() }
    }

    /// A second namespace for the test: `NAME` on the test server, unique on a real cluster.
    pub fn other_namespace(&self, name: &str) -> String {
        let ns = match &self.namespace {
            Some(own) => format!("{own}-{name}"),
            None => name.to_string(),
        };
        let file = self.config.with_file_name(format!("namespace-{ns}.yaml"));
        std::fs::write(&file, format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")).unwrap();
        self.apply(&file);
        self.extra.borrow_mut().push(ns.clone());
        ns
    }

    /// `kubectl ARGS…` against the cluster; panics with kubectl's message when it fails.
    pub fn kubectl(&self, args: &[&str]) -> String {
        kubectl(&self.config, args)
    }

    /// Applies a manifest file, validated as kubectl does by default (on the server, through
    /// the OpenAPI documents the test server publishes too).
    pub fn apply(&self, file: &Path) {
        self.kubectl(&["apply", "-f", file.to_str().unwrap()]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if !self.real {
            return;
        }
        for ns in self.namespace.iter().chain(self.extra.borrow().iter()) {
            let _ = Command::new("kubectl")
                .args(["delete", "namespace", ns, "--wait=false"])
                .env("KUBECONFIG", &self.config)
                .output();
        }
    }
}

/// A fresh `kube-test-apiserver` in this process, and its kubeconfig in `dir`.
pub fn test_server(dir: &Path) -> PathBuf {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let store = Arc::new(Mutex::new(kube_test_apiserver::store::Store::new()));
    std::thread::spawn(move || kube_test_apiserver::server::serve(listener, store));
    let config = dir.join("kubeconfig");
    std::fs::write(&config, kube_test_apiserver::server::kubeconfig(&addr)).unwrap();
    config
}

/// `kubectl ARGS…` with a kubeconfig; panics with kubectl's message when it fails.
pub fn kubectl(config: &Path, args: &[&str]) -> String {
    let o = Command::new("kubectl").args(args).env("KUBECONFIG", config).output().unwrap();
    assert!(o.status.success(), "kubectl {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn kubectl_present() -> bool {
    super::require("kubectl", super::sh("kubectl", &["version", "--client"]).is_some())
}

//! `kube-test-apiserver`: a small Kubernetes-API-compatible server, written by the project for
//! contract tests of playbook's kubectl backend. It holds namespaces, deployments, replicasets,
//! pods, events, services and configmaps in memory, runs a tiny deployment controller, and
//! answers the real `kubectl` over HTTP on loopback. It is not Kubernetes: no validation,
//! defaulting, admission, RBAC, scheduling or timing.

pub mod patch;
pub mod server;
pub mod spdy;
pub mod store;

//! `kube-test-apiserver`: a small Kubernetes-API-compatible server, written by the project for
//! contract tests of playbook's kubectl backend. It holds namespaces, nodes, pods, events,
//! services, configmaps, secrets, service accounts, resource quotas, deployments, replicasets,
//! ingresses and role bindings in memory, runs a tiny deployment controller, publishes OpenAPI
//! v2 and v3 documents for those kinds, validates fields on the server as `fieldValidation`
//! asks, and answers the real `kubectl` over HTTP on loopback. It is not Kubernetes: no
//! defaulting, value validation, admission, RBAC, scheduling or timing.
//!
//! | module | job |
//! |---|---|
//! | `server` | the listener, the tokio runtime, the kubeconfig |
//! | `http` | hyper: requests in, replies out, watch streams, the SPDY upgrade |
//! | `api` | routing and the resource handlers |
//! | `discovery`, `table` | discovery documents; server-side `Table`s for `kubectl get` |
//! | `schema` | the one description of each kind (`schemas/*.txt`) |
//! | `openapi`, `protobuf` | the OpenAPI documents rendered from it; v2 as protobuf |
//! | `validate` | unknown fields under `fieldValidation` Strict, Warn and Ignore |
//! | `patch` | merge, JSON and strategic merge patches |
//! | `store` | the objects, selectors and the deployment controller |
//! | `spdy`, `container` | exec and port-forward streams; what a container does |

pub mod api;
pub mod container;
pub mod discovery;
pub mod http;
pub mod openapi;
pub mod patch;
pub mod protobuf;
pub mod schema;
pub mod server;
pub mod spdy;
pub mod store;
pub mod table;
pub mod validate;

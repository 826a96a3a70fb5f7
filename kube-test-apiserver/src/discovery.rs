//! Discovery: `/version`, `/api`, `/apis` and each group version's resource list, which is how
//! kubectl maps `deploy` or `svc` to a resource and learns what it may do with it.

use serde_json::{Value, json};

use crate::store::{GROUPS, KINDS, Kind};

/// The discovery document at `segs` (the path's segments), if it is one.
#[must_use]
pub fn document(segs: &[&str]) -> Option<Value> {
    let core: Vec<Kind> = KINDS.iter().copied().filter(|k| k.group.is_empty()).collect();
    Some(match segs {
        ["version"] => json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0-playbook-test",
            "gitCommit": "0000000", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
            "goVersion": "go1.24", "compiler": "gc", "platform": "linux/amd64"}),
        ["api"] => json!({"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
        ["apis"] => {
            let mut groups: Vec<Value> = GROUPS
                .iter()
                .map(|g| {
                    json!({"name": g, "versions": [{"groupVersion": format!("{g}/v1"), "version": "v1"}],
                           "preferredVersion": {"groupVersion": format!("{g}/v1"), "version": "v1"}})
                })
                .collect();
            groups.push(json!({"name": "metrics.k8s.io", "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
                               "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}}));
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        }
        ["api", "v1"] => resource_list("v1", &core),
        ["apis", "metrics.k8s.io", "v1beta1"] => resource_list("metrics.k8s.io/v1beta1", &[]),
        ["apis", g, "v1"] if GROUPS.contains(g) => {
            let kinds: Vec<Kind> = KINDS.iter().copied().filter(|k| k.group == *g).collect();
            resource_list(&format!("{g}/v1"), &kinds)
        }
        _ => return None,
    })
}

fn resource_list(group_version: &str, kinds: &[Kind]) -> Value {
    if group_version == "metrics.k8s.io/v1beta1" {
        return json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": [
            {"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]},
            {"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]}]});
    }
    let mut resources: Vec<Value> = kinds
        .iter()
        .map(|k| {
            json!({"name": k.plural, "singularName": k.kind.to_ascii_lowercase(), "namespaced": k.namespaced,
                   "kind": k.kind, "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
                   "shortNames": short_names(k.plural)})
        })
        .collect();
    if group_version == "v1" {
        resources
            .push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
    } else if group_version == "apps/v1" {
        resources
            .push(json!({"name": "deployments/scale", "singularName": "", "namespaced": true, "group": "autoscaling",
                              "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}));
    }
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}

fn short_names(plural: &str) -> Value {
    match plural {
        "pods" => json!(["po"]),
        "namespaces" => json!(["ns"]),
        "events" => json!(["ev"]),
        "services" => json!(["svc"]),
        "configmaps" => json!(["cm"]),
        "deployments" => json!(["deploy"]),
        "replicasets" => json!(["rs"]),
        "nodes" => json!(["no"]),
        "serviceaccounts" => json!(["sa"]),
        "resourcequotas" => json!(["quota"]),
        "ingresses" => json!(["ing"]),
        _ => json!([]),
    }
}

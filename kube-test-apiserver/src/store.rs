//! The objects the server holds, and a tiny deployment controller: a deployment gets one
//! ReplicaSet per pod template (named by the template's hash, with a revision annotation and an
//! owner reference, as the real controller does) and the current one gets its pods, Running and
//! Ready at once. That is what `kubectl rollout history/undo/status`, `get pods` and `logs -l` read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use sha2::Digest as _;

/// A resource type: where it lives in the API and what its objects are called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub plural: &'static str,
    pub kind: &'static str,
    /// `""` for the core group.
    pub group: &'static str,
    pub namespaced: bool,
}

const fn kind(plural: &'static str, kind: &'static str, group: &'static str, namespaced: bool) -> Kind {
    Kind { plural, kind, group, namespaced }
}

pub const KINDS: &[Kind] = &[
    kind("namespaces", "Namespace", "", false),
    kind("nodes", "Node", "", false),
    kind("pods", "Pod", "", true),
    kind("events", "Event", "", true),
    kind("services", "Service", "", true),
    kind("configmaps", "ConfigMap", "", true),
    kind("secrets", "Secret", "", true),
    kind("serviceaccounts", "ServiceAccount", "", true),
    kind("resourcequotas", "ResourceQuota", "", true),
    kind("deployments", "Deployment", "apps", true),
    kind("replicasets", "ReplicaSet", "apps", true),
    kind("ingresses", "Ingress", "networking.k8s.io", true),
    kind("rolebindings", "RoleBinding", "rbac.authorization.k8s.io", true),
    kind("clusterrolebindings", "ClusterRoleBinding", "rbac.authorization.k8s.io", false),
];

/// The API groups besides the core one, each served at version `v1`.
pub const GROUPS: &[&str] = &["apps", "networking.k8s.io", "rbac.authorization.k8s.io"];

impl Kind {
    #[must_use]
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { "v1".into() } else { format!("{}/v1", self.group) }
    }

    #[must_use]
    pub fn by_plural(group: &str, plural: &str) -> Option<Self> {
        KINDS.iter().copied().find(|k| k.group == group && k.plural == plural)
    }
}

/// The one node every pod runs on.
pub const NODE: &str = "playbook-node-1";

/// `(plural, namespace, name)`; the namespace is empty for cluster-scoped objects.
pub type Key = (String, String, String);

#[derive(Debug, Default)]
pub struct Store {
    pub objects: BTreeMap<Key, Value>,
    pub version: u64,
    uid: u64,
}

/// RFC 3339 time now.
#[must_use]
pub fn now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = i64::try_from(days).unwrap_or(0) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Keys sorted, so that equal templates hash alike whatever their key order.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k]))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// Drops nulls, empty objects and empty lists: what a typed client adds on a round trip
/// (`creationTimestamp: null`, `resources: {}`) and the real server's defaulting evens out.
fn pruned(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), pruned(v)))
                .filter(|(_, v)| {
                    !(v.is_null()
                        || v.as_object().is_some_and(Map::is_empty)
                        || v.as_array().is_some_and(Vec::is_empty))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pruned).collect()),
        other => other.clone(),
    }
}

/// The `pod-template-hash` of a template (without that label).
fn template_hash(template: &Value) -> String {
    let mut t = pruned(template);
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove("pod-template-hash");
    }
    let digest = sha2::Sha256::digest(canonical(&t).as_bytes());
    // Lowercase letters and digits, like the real hash's safe encoding.
    hex(&digest[..5])
}

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Whether `labels` satisfy a label selector (`a=b,c!=d,e`, `a in (x,y)`).
#[must_use]
pub fn selects(selector: &str, labels: &Value) -> bool {
    let get = |k: &str| labels.get(k).and_then(Value::as_str);
    let mut terms = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(&selector[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&selector[start..]);
    terms.into_iter().map(str::trim).filter(|t| !t.is_empty()).all(|t| {
        if let Some((k, v)) = t.split_once("!=") {
            get(k.trim()) != Some(v.trim())
        } else if let Some((k, v)) = t.split_once("==").or_else(|| t.split_once('=')) {
            get(k.trim()) == Some(v.trim())
        } else if let Some((k, set)) = t.split_once(" notin ") {
            let set: Vec<&str> = set.trim().trim_matches(['(', ')']).split(',').map(str::trim).collect();
            get(k.trim()).is_none_or(|v| !set.contains(&v))
        } else if let Some((k, set)) = t.split_once(" in ") {
            let set: Vec<&str> = set.trim().trim_matches(['(', ')']).split(',').map(str::trim).collect();
            get(k.trim()).is_some_and(|v| set.contains(&v))
        } else if let Some(k) = t.strip_prefix('!') {
            get(k.trim()).is_none()
        } else {
            get(t).is_some()
        }
    })
}

/// Whether an object satisfies a field selector (`metadata.name=x,involvedObject.kind=Pod`).
#[must_use]
pub fn fields_match(selector: &str, obj: &Value) -> bool {
    selector.split(',').map(str::trim).filter(|t| !t.is_empty()).all(|t| {
        let (path, want, eq) = match t.split_once("!=") {
            Some((p, v)) => (p, v, false),
            None => match t.split_once("==").or_else(|| t.split_once('=')) {
                Some((p, v)) => (p, v, true),
                None => return true,
            },
        };
        let pointer = format!("/{}", path.trim().replace('.', "/"));
        let have = obj.pointer(&pointer).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        (have.as_deref() == Some(want.trim())) == eq
    })
}

impl Store {
    /// A store holding the `default` and `kube-system` namespaces and one node.
    ///
    /// # Panics
    /// Never in practice: the kinds it creates are in the server's own table.
    #[must_use]
    pub fn new() -> Self {
        let mut s = Self::default();
        for ns in ["default", "kube-system"] {
            let obj = json!({"metadata": {"name": ns}});
            let _ = s.create(Kind::by_plural("", "namespaces").expect("kind"), "", obj);
        }
        let node = json!({
            "metadata": {"name": NODE, "labels": {"kubernetes.io/hostname": NODE, "node-role.kubernetes.io/control-plane": ""}},
            "spec": {},
            "status": {
                "capacity": {"cpu": "2", "memory": "8Gi", "pods": "110"},
                "allocatable": {"cpu": "2", "memory": "8Gi", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                                "lastHeartbeatTime": now(), "lastTransitionTime": now()}],
                "nodeInfo": {"kubeletVersion": "v1.33.0", "osImage": "playbook test node", "kernelVersion": "6.1",
                             "containerRuntimeVersion": "containerd://2.0", "architecture": "amd64", "operatingSystem": "linux"},
                "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}, {"type": "Hostname", "address": NODE}],
            },
        });
        let _ = s.create(Kind::by_plural("", "nodes").expect("kind"), "", node);
        s
    }

    fn bump(&mut self) -> String {
        self.version += 1;
        self.version.to_string()
    }

    /// Fills in what the API server sets on create.
    fn stamp(&mut self, kind: Kind, ns: &str, obj: &mut Value) {
        let rv = self.bump();
        self.uid += 1;
        let uid = format!("00000000-0000-4000-8000-{:012x}", self.uid);
        let o = obj.as_object_mut().expect("object");
        o.insert("apiVersion".into(), kind.api_version().into());
        o.insert("kind".into(), kind.kind.into());
        let meta = o.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        let m = meta.as_object_mut().expect("metadata object");
        if kind.namespaced {
            m.insert("namespace".into(), ns.into());
        }
        m.insert("uid".into(), uid.into());
        m.insert("resourceVersion".into(), rv.into());
        m.entry("creationTimestamp").or_insert_with(|| now().into());
        m.entry("generation").or_insert(1.into());
        if kind.plural == "namespaces" {
            o.insert("status".into(), json!({"phase": "Active"}));
        }
    }

    /// Creates an object.
    ///
    /// # Errors
    /// `(409, reason)` when it exists, `(422, reason)` when it has no name.
    pub fn create(&mut self, kind: Kind, ns: &str, mut obj: Value) -> Result<Value, (u16, String)> {
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).map(str::to_string);
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return Err((422, format!("{} must have metadata.name", kind.kind)));
        };
        let ns = if kind.namespaced { ns.to_string() } else { String::new() };
        let key = (kind.plural.to_string(), ns.clone(), name.clone());
        if self.objects.contains_key(&key) {
            return Err((409, format!("{}.{} \"{name}\" already exists", kind.plural, kind.group)));
        }
        if !obj.is_object() {
            return Err((422, "the body is not an object".into()));
        }
        self.stamp(kind, &ns, &mut obj);
        self.objects.insert(key, obj.clone());
        if kind.plural == "deployments" {
            self.reconcile(&ns, &name);
            return Ok(self.objects[&(kind.plural.to_string(), ns, name)].clone());
        }
        Ok(obj)
    }

    /// Replaces an object after a patch or a PUT; the generation moves when the spec changed.
    pub fn replace(&mut self, kind: Kind, ns: &str, name: &str, mut obj: Value) -> Value {
        let ns = if kind.namespaced { ns.to_string() } else { String::new() };
        let key = (kind.plural.to_string(), ns.clone(), name.to_string());
        let old = self.objects.get(&key).cloned().unwrap_or(Value::Null);
        let rv = self.bump();
        let changed = old.get("spec") != obj.get("spec");
        if let Some(o) = obj.as_object_mut() {
            // A PUT or a patch result may leave them out; clients need them (describe's events).
            o.insert("apiVersion".into(), kind.api_version().into());
            o.insert("kind".into(), kind.kind.into());
        }
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert("resourceVersion".into(), rv.into());
            for k in ["uid", "creationTimestamp", "name"] {
                if let Some(v) = old.pointer(&format!("/metadata/{k}")) {
                    m.insert(k.into(), v.clone());
                }
            }
            let generation = old.pointer("/metadata/generation").and_then(Value::as_u64).unwrap_or(1);
            m.insert("generation".into(), (generation + u64::from(changed)).into());
        }
        self.objects.insert(key.clone(), obj);
        if kind.plural == "deployments" {
            self.reconcile(&ns, name);
        }
        self.objects[&key].clone()
    }

    pub fn delete(&mut self, kind: Kind, ns: &str, name: &str) -> Option<Value> {
        let ns = if kind.namespaced { ns.to_string() } else { String::new() };
        let gone = self.objects.remove(&(kind.plural.to_string(), ns.clone(), name.to_string()))?;
        self.bump();
        if kind.plural == "deployments" {
            let uid = gone.pointer("/metadata/uid").cloned();
            let owned: Vec<Key> = self
                .objects
                .iter()
                .filter(|((p, n, _), o)| {
                    p == "replicasets" && *n == ns && o.pointer("/metadata/ownerReferences/0/uid") == uid.as_ref()
                })
                .map(|(k, _)| k.clone())
                .collect();
            for k in owned {
                self.objects.remove(&k);
                self.sync_pods(&ns, &k.2, 0, &Value::Null);
            }
        }
        if kind.plural == "namespaces" {
            self.objects.retain(|(_, n, _), _| *n != name);
        }
        if kind.plural == "pods"
            && let Some(rs_name) = gone.pointer("/metadata/ownerReferences/0/name").and_then(Value::as_str)
            && let Some(rs) = self.objects.get(&("replicasets".to_string(), ns.clone(), rs_name.to_string())).cloned()
        {
            // The ReplicaSet replaces a deleted pod.
            let replicas = rs.pointer("/spec/replicas").and_then(Value::as_u64).unwrap_or(0);
            let template = rs.pointer("/spec/template").cloned().unwrap_or(Value::Null);
            self.sync_pods(&ns, rs_name, replicas, &template);
        }
        Some(gone)
    }

    #[must_use]
    pub fn get(&self, kind: Kind, ns: &str, name: &str) -> Option<&Value> {
        let ns = if kind.namespaced { ns } else { "" };
        self.objects.get(&(kind.plural.to_string(), ns.to_string(), name.to_string()))
    }

    /// Objects of a kind, in one namespace or all (`ns` empty), filtered by selectors.
    #[must_use]
    pub fn list(&self, kind: Kind, ns: &str, labels: &str, fields: &str) -> Vec<Value> {
        self.objects
            .iter()
            .filter(|((p, n, _), _)| p == kind.plural && (ns.is_empty() || n == ns))
            .filter(|(_, o)| selects(labels, o.pointer("/metadata/labels").unwrap_or(&Value::Null)))
            .filter(|(_, o)| fields_match(fields, o))
            .map(|(_, o)| o.clone())
            .collect()
    }

    fn event(&mut self, ns: &str, object: &Value, reason: &str, message: &str) {
        let kind = Kind::by_plural("", "events").expect("kind");
        let n = self.version;
        let obj_name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
        let ev = json!({
            "metadata": {"name": format!("{obj_name}.{n:x}")},
            "involvedObject": {
                "kind": object["kind"], "name": obj_name, "namespace": ns,
                "uid": object.pointer("/metadata/uid"), "apiVersion": object["apiVersion"],
            },
            "reason": reason, "message": message, "type": "Normal",
            "source": {"component": "deployment-controller"},
            "firstTimestamp": now(), "lastTimestamp": now(), "count": 1,
        });
        let _ = self.create(kind, ns, ev);
    }

    /// The deployment controller, run after every change to a deployment.
    fn reconcile(&mut self, ns: &str, name: &str) {
        let dkey = ("deployments".to_string(), ns.to_string(), name.to_string());
        let Some(dep) = self.objects.get(&dkey).cloned() else { return };
        let template = dep.pointer("/spec/template").cloned().unwrap_or(json!({}));
        let hash = template_hash(&template);
        let replicas = dep.pointer("/spec/replicas").and_then(Value::as_u64).unwrap_or(1);
        let uid = dep.pointer("/metadata/uid").cloned().unwrap_or(Value::Null);
        let owned: Vec<(String, Value)> = self
            .objects
            .iter()
            .filter(|((p, n, _), o)| {
                p == "replicasets" && n == ns && o.pointer("/metadata/ownerReferences/0/uid") == Some(&uid)
            })
            .map(|((_, _, n), o)| (n.clone(), o.clone()))
            .collect();
        let revision_of = |o: &Value| {
            o.pointer("/metadata/annotations/deployment.kubernetes.io~1revision")
                .and_then(Value::as_str)
                .and_then(|r| r.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let max_revision = owned.iter().map(|(_, o)| revision_of(o)).max().unwrap_or(0);
        let rs_name = format!("{name}-{hash}");
        let current = owned.iter().find(|(n, _)| *n == rs_name).map(|(_, o)| o.clone());
        let revision = match &current {
            Some(o) if revision_of(o) == max_revision => max_revision,
            _ => max_revision + 1,
        };
        let mut labels = template.pointer("/metadata/labels").cloned().unwrap_or(json!({}));
        labels["pod-template-hash"] = hash.clone().into();
        let mut rs_template = template.clone();
        rs_template["metadata"]["labels"] = labels.clone();
        let mut selector = dep.pointer("/spec/selector").cloned().unwrap_or(json!({"matchLabels": {}}));
        selector["matchLabels"]["pod-template-hash"] = hash.clone().into();
        let mut annotations = json!({"deployment.kubernetes.io/revision": revision.to_string()});
        if let Some(cause) = dep.pointer("/metadata/annotations/kubernetes.io~1change-cause") {
            annotations["kubernetes.io/change-cause"] = cause.clone();
        }
        let rs = json!({
            "metadata": {
                "name": rs_name, "labels": labels, "annotations": annotations,
                "ownerReferences": [{
                    "apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": uid,
                    "controller": true, "blockOwnerDeletion": true,
                }],
            },
            "spec": {"replicas": replicas, "selector": selector, "template": rs_template},
            "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "fullyLabeledReplicas": replicas, "observedGeneration": 1},
        });
        let rs_kind = Kind::by_plural("apps", "replicasets").expect("kind");
        let new_rs = current.is_none();
        match current {
            None => {
                let _ = self.create(rs_kind, ns, rs);
            }
            Some(mut old) => {
                old["metadata"]["annotations"] = rs["metadata"]["annotations"].clone();
                old["spec"]["replicas"] = replicas.into();
                old["status"] = rs["status"].clone();
                let key = ("replicasets".to_string(), ns.to_string(), rs_name.clone());
                let rv = self.bump();
                old["metadata"]["resourceVersion"] = rv.into();
                self.objects.insert(key, old);
            }
        }
        // Every other ReplicaSet of the deployment scales to zero.
        for (other, _) in owned.iter().filter(|(n, _)| *n != rs_name) {
            let key = ("replicasets".to_string(), ns.to_string(), other.clone());
            if let Some(o) = self.objects.get_mut(&key) {
                o["spec"]["replicas"] = 0.into();
                o["status"] = json!({"replicas": 0, "observedGeneration": 1});
            }
            self.sync_pods(ns, other, 0, &Value::Null);
        }
        self.sync_pods(ns, &rs_name, replicas, &rs_template);
        let generation = dep.pointer("/metadata/generation").cloned().unwrap_or(1.into());
        if let Some(d) = self.objects.get_mut(&dkey) {
            d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = revision.to_string().into();
            d["status"] = json!({
                "observedGeneration": generation, "replicas": replicas, "updatedReplicas": replicas,
                "readyReplicas": replicas, "availableReplicas": replicas,
                "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                     "message": "Deployment has minimum availability.", "lastUpdateTime": now(), "lastTransitionTime": now()},
                    {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                     "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "lastUpdateTime": now(), "lastTransitionTime": now()},
                ],
            });
        }
        if new_rs {
            self.event(ns, &dep, "ScalingReplicaSet", &format!("Scaled up replica set {rs_name} to {replicas}"));
        }
    }

    /// Makes the pods of a ReplicaSet number `replicas`, Running and Ready.
    fn sync_pods(&mut self, ns: &str, rs_name: &str, replicas: u64, template: &Value) {
        let mut existing: Vec<String> = self
            .objects
            .iter()
            .filter(|((p, n, _), o)| {
                p == "pods"
                    && n == ns
                    && o.pointer("/metadata/ownerReferences/0/name").and_then(Value::as_str) == Some(rs_name)
            })
            .map(|((_, _, n), _)| n.clone())
            .collect();
        existing.sort();
        let want = usize::try_from(replicas).unwrap_or(0);
        for extra in existing.iter().skip(want) {
            self.objects.remove(&("pods".to_string(), ns.to_string(), extra.clone()));
        }
        let pod_kind = Kind::by_plural("", "pods").expect("kind");
        let rs_uid = self
            .objects
            .get(&("replicasets".to_string(), ns.to_string(), rs_name.to_string()))
            .and_then(|o| o.pointer("/metadata/uid").cloned());
        let mut i = 0u32;
        while existing.len() < want {
            // The object counter makes a replacement for a deleted pod a new name, as in a cluster.
            let suffix =
                hex(&sha2::Sha256::digest(format!("{rs_name}/{i}/{}", self.uid).as_bytes())[..3])[..5].to_string();
            i += 1;
            let name = format!("{rs_name}-{suffix}");
            if existing.contains(&name) {
                continue;
            }
            let containers = template.pointer("/spec/containers").cloned().unwrap_or(json!([]));
            let statuses: Vec<Value> = containers
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    json!({
                        "name": c["name"], "image": c["image"], "ready": true, "restartCount": 0, "started": true,
                        "state": {"running": {"startedAt": now()}},
                    })
                })
                .collect();
            let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
            spec["nodeName"] = NODE.into();
            let pod = json!({
                "metadata": {
                    "name": name,
                    "labels": template.pointer("/metadata/labels").cloned().unwrap_or(json!({})),
                    "annotations": template.pointer("/metadata/annotations").cloned().unwrap_or(json!({})),
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs_name, "uid": rs_uid, "controller": true}],
                },
                "spec": spec,
                "status": {
                    "phase": "Running", "podIP": "10.0.0.1", "hostIP": "10.0.0.1", "startTime": now(),
                    "conditions": [{"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}],
                    "containerStatuses": statuses,
                },
            });
            if self.create(pod_kind, ns, pod).is_ok() {
                existing.push(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(image: &str) -> Value {
        json!({
            "metadata": {"name": "web"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": image}]}}},
        })
    }

    #[test]
    fn a_deployment_gets_a_replicaset_per_template_and_its_pods() {
        let mut s = Store::new();
        let d = Kind::by_plural("apps", "deployments").unwrap();
        let rs = Kind::by_plural("apps", "replicasets").unwrap();
        let pods = Kind::by_plural("", "pods").unwrap();
        s.create(d, "shop", deployment("shop:1")).unwrap();
        assert_eq!(s.list(pods, "shop", "app=web", "").len(), 2);
        let mut dep = s.get(d, "shop", "web").unwrap().clone();
        dep["spec"]["template"]["spec"]["containers"][0]["image"] = "shop:2".into();
        s.replace(d, "shop", "web", dep);
        let sets = s.list(rs, "shop", "app=web", "");
        assert_eq!(sets.len(), 2);
        let revisions: Vec<&str> = sets
            .iter()
            .map(|r| r["metadata"]["annotations"]["deployment.kubernetes.io/revision"].as_str().unwrap())
            .collect();
        assert!(revisions.contains(&"1") && revisions.contains(&"2"), "{revisions:?}");
        let running = s.list(pods, "shop", "app=web", "");
        assert_eq!(running.len(), 2);
        assert!(running.iter().all(|p| p["spec"]["containers"][0]["image"] == "shop:2"));
        // Back to the first template: its ReplicaSet comes back with revision 3.
        let mut dep = s.get(d, "shop", "web").unwrap().clone();
        dep["spec"]["template"]["spec"]["containers"][0]["image"] = "shop:1".into();
        s.replace(d, "shop", "web", dep);
        assert_eq!(s.list(rs, "shop", "app=web", "").len(), 2);
        assert_eq!(
            s.get(d, "shop", "web").unwrap()["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
            "3"
        );
    }

    #[test]
    fn selectors() {
        let l = json!({"app": "web", "tier": "front"});
        assert!(selects("app=web", &l) && selects("app==web,tier", &l) && selects("tier in (front,back)", &l));
        assert!(!selects("app!=web", &l) && !selects("!tier", &l) && !selects("app=db", &l));
        assert!(fields_match("metadata.name=x", &json!({"metadata": {"name": "x"}})));
    }

    #[test]
    fn time_is_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_764_028_800), "2025-11-25T00:00:00Z");
    }
}

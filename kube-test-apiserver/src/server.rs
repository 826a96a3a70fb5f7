//! HTTP/1.1 on loopback, one thread per connection: discovery, CRUD, list with label and field
//! selectors, watch, the three patch types, the scale subresource, pod logs, and server-side
//! `Table` responses so that `kubectl get` prints the real columns.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::patch;
use crate::spdy;
use crate::store::{GROUPS, KINDS, Kind, NODE, Store, now};

/// One request, parsed.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
    }

    fn param(&self, name: &str) -> &str {
        self.query.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// What to send back.
pub enum Response {
    Json(u16, Value),
    Text(u16, String),
    /// A watch: these events, then the stream stays open a little and closes.
    Watch(Vec<Value>, Duration),
    /// `101 Switching Protocols` to SPDY/3.1, then the exec or port-forward streams.
    Upgrade(spdy::Session),
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 3 <= b.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(v) => {
                    out.push(v);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let chunked =
        headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    let mut body = vec![0u8; length];
    r.read_exact(&mut body)?;
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            let mut chunk = vec![0u8; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect();
    Ok(Some(Request { method, path: path.to_string(), query, headers, body }))
}

fn status(code: u16, reason: &str, message: &str) -> Response {
    Response::Json(
        code,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": message, "reason": reason, "code": code}),
    )
}

fn not_found(kind: Kind, name: &str) -> Response {
    let group = if kind.group.is_empty() { String::new() } else { format!(".{}", kind.group) };
    status(404, "NotFound", &format!("{}{group} \"{name}\" not found", kind.plural))
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

fn age(obj: &Value) -> String {
    let Some(ts) = obj.pointer("/metadata/creationTimestamp").and_then(Value::as_str) else {
        return "<unknown>".into();
    };
    // Both are RFC 3339 in UTC from this server: compare as seconds of the day when same day.
    let secs = |t: &str| -> Option<i64> {
        let (date, time) = t.split_once('T')?;
        let d: Vec<i64> = date.split('-').filter_map(|x| x.parse().ok()).collect();
        let h: Vec<i64> = time.trim_end_matches('Z').split(':').filter_map(|x| x.parse().ok()).collect();
        let days = d.first()? * 372 + d.get(1)? * 31 + d.get(2)?;
        Some(days * 86_400 + h.first()? * 3600 + h.get(1)? * 60 + h.get(2)?)
    };
    let diff = secs(&now()).zip(secs(ts)).map_or(0, |(a, b)| (a - b).max(0));
    match diff {
        d if d < 120 => format!("{d}s"),
        d if d < 7200 => format!("{}m", d / 60),
        d => format!("{}h", d / 3600),
    }
}

fn column(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": ty, "format": if name == "Name" { "name" } else { "" }, "description": "", "priority": 0})
}

/// The cells of one table row.
type Cells = dyn Fn(&Value) -> Vec<Value>;

/// A server-side `Table`, as `kubectl get` asks for it.
fn table(kind: Kind, objects: &[Value], version: u64) -> Value {
    let (columns, cells): (Vec<Value>, Box<Cells>) = match kind.plural {
        "deployments" => (
            vec![
                column("Name", "string"),
                column("Ready", "string"),
                column("Up-to-date", "integer"),
                column("Available", "integer"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let want = o.pointer("/spec/replicas").and_then(Value::as_u64).unwrap_or(1);
                let ready = o.pointer("/status/readyReplicas").and_then(Value::as_u64).unwrap_or(0);
                vec![
                    o["metadata"]["name"].clone(),
                    format!("{ready}/{want}").into(),
                    o.pointer("/status/updatedReplicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/availableReplicas").cloned().unwrap_or(0.into()),
                    age(o).into(),
                ]
            }),
        ),
        "replicasets" => (
            vec![
                column("Name", "string"),
                column("Desired", "integer"),
                column("Current", "integer"),
                column("Ready", "integer"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/spec/replicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/replicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/readyReplicas").cloned().unwrap_or(0.into()),
                    age(o).into(),
                ]
            }),
        ),
        "pods" => (
            vec![
                column("Name", "string"),
                column("Ready", "string"),
                column("Status", "string"),
                column("Restarts", "string"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let n = o.pointer("/spec/containers").and_then(Value::as_array).map_or(0, Vec::len);
                let ready = o
                    .pointer("/status/containerStatuses")
                    .and_then(Value::as_array)
                    .map_or(0, |s| s.iter().filter(|c| c["ready"] == true).count());
                vec![
                    o["metadata"]["name"].clone(),
                    format!("{ready}/{n}").into(),
                    o.pointer("/status/phase").cloned().unwrap_or("Pending".into()),
                    "0".into(),
                    age(o).into(),
                ]
            }),
        ),
        "nodes" => (
            vec![
                column("Name", "string"),
                column("Status", "string"),
                column("Roles", "string"),
                column("Age", "string"),
                column("Version", "string"),
            ],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    "Ready".into(),
                    "control-plane".into(),
                    age(o).into(),
                    o.pointer("/status/nodeInfo/kubeletVersion").cloned().unwrap_or("".into()),
                ]
            }),
        ),
        "services" => (
            vec![
                column("Name", "string"),
                column("Type", "string"),
                column("Cluster-IP", "string"),
                column("External-IP", "string"),
                column("Port(s)", "string"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let ports: Vec<String> = o
                    .pointer("/spec/ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| format!("{}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP")))
                    .collect();
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/spec/type").cloned().unwrap_or("ClusterIP".into()),
                    o.pointer("/spec/clusterIP").cloned().unwrap_or("10.96.0.10".into()),
                    "<none>".into(),
                    ports.join(",").into(),
                    age(o).into(),
                ]
            }),
        ),
        "namespaces" => (
            vec![column("Name", "string"), column("Status", "string"), column("Age", "string")],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/status/phase").cloned().unwrap_or("Active".into()),
                    age(o).into(),
                ]
            }),
        ),
        "events" => (
            vec![
                column("Last Seen", "string"),
                column("Type", "string"),
                column("Reason", "string"),
                column("Object", "string"),
                column("Message", "string"),
            ],
            Box::new(|o: &Value| {
                let obj = format!(
                    "{}/{}",
                    o.pointer("/involvedObject/kind").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase(),
                    o.pointer("/involvedObject/name").and_then(Value::as_str).unwrap_or("")
                );
                vec![age(o).into(), o["type"].clone(), o["reason"].clone(), obj.into(), o["message"].clone()]
            }),
        ),
        _ => (
            vec![column("Name", "string"), column("Age", "string")],
            Box::new(|o: &Value| vec![o["metadata"]["name"].clone(), age(o).into()]),
        ),
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            json!({"cells": cells(o), "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}})
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": version.to_string()},
           "columnDefinitions": columns, "rows": rows})
}

fn wants_table(r: &Request) -> bool {
    r.header("accept").contains("as=Table")
}

fn list_of(kind: Kind, items: Vec<Value>, version: u64) -> Value {
    json!({"kind": format!("{}List", kind.kind), "apiVersion": kind.api_version(),
           "metadata": {"resourceVersion": version.to_string()}, "items": items})
}

fn logs(pod: &Value, r: &Request) -> String {
    let name = pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("pod");
    let custom = pod.pointer("/metadata/annotations/playbook.test~1logs").and_then(Value::as_str);
    let previous = r.param("previous") == "true";
    let text = match (custom, previous) {
        (_, true) => format!("{} ERROR {name}: previous container exited with status 137 (OOMKilled)\n", now()),
        (Some(t), _) => t.to_string(),
        (None, _) => format!("{} INFO {name}: started\n{} INFO {name}: serving on :8080\n", now(), now()),
    };
    let lines: Vec<&str> = text.lines().collect();
    let tail: usize = r.param("tailLines").parse().unwrap_or(lines.len());
    lines[lines.len().saturating_sub(tail)..].iter().map(|l| format!("{l}\n")).collect()
}

fn scale_of(dep: &Value) -> Value {
    let selector: Vec<String> = dep
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    json!({"kind": "Scale", "apiVersion": "autoscaling/v1",
           "metadata": {"name": dep["metadata"]["name"], "namespace": dep["metadata"]["namespace"],
                        "resourceVersion": dep["metadata"]["resourceVersion"], "uid": dep["metadata"]["uid"]},
           "spec": {"replicas": dep.pointer("/spec/replicas").cloned().unwrap_or(1.into())},
           "status": {"replicas": dep.pointer("/status/replicas").cloned().unwrap_or(0.into()), "selector": selector.join(",")}})
}

/// Applies a PATCH body of the given content type to `obj`.
fn apply_patch(obj: &mut Value, content_type: &str, body: &Value) -> Result<(), String> {
    if content_type.contains("json-patch") {
        patch::json_patch(obj, body)
    } else if content_type.contains("strategic-merge-patch") || content_type.contains("apply-patch") {
        patch::strategic(obj, body);
        Ok(())
    } else if content_type.contains("merge-patch") {
        patch::merge(obj, body);
        Ok(())
    } else {
        Err(format!("unsupported patch type `{content_type}`"))
    }
}

/// `kubectl top`: fixed, plausible usage for every pod and the node.
fn metrics(store: &Mutex<Store>, rest: &[&str], r: &Request) -> Response {
    let s = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (ns, what) = match rest {
        ["namespaces", ns, what] => (*ns, *what),
        [what] => ("", *what),
        _ => return status(404, "NotFound", "the server could not find the requested resource"),
    };
    let meta = |o: &Value| {
        json!({"name": o["metadata"]["name"], "namespace": o["metadata"]["namespace"],
               "labels": o["metadata"]["labels"], "creationTimestamp": now()})
    };
    match what {
        "pods" => {
            let pods = s.list(Kind::by_plural("", "pods").expect("kind"), ns, r.param("labelSelector"), "");
            let items: Vec<Value> = pods
                .iter()
                .map(|p| {
                    let containers: Vec<Value> = p
                        .pointer("/spec/containers")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|c| json!({"name": c["name"], "usage": {"cpu": "5m", "memory": "20Mi"}}))
                        .collect();
                    json!({"metadata": meta(p), "timestamp": now(), "window": "30s", "containers": containers})
                })
                .collect();
            Response::Json(
                200,
                json!({"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
            )
        }
        "nodes" => Response::Json(
            200,
            json!({"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
                   "items": [{"metadata": {"name": NODE, "creationTimestamp": now()}, "timestamp": now(), "window": "30s",
                              "usage": {"cpu": "250m", "memory": "1Gi"}}]}),
        ),
        _ => status(404, "NotFound", "the server could not find the requested resource"),
    }
}

/// Routes one request.
#[allow(clippy::too_many_lines)]
pub fn handle(store: &Mutex<Store>, r: &Request) -> Response {
    let segs: Vec<&str> = r.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let core: Vec<Kind> = KINDS.iter().copied().filter(|k| k.group.is_empty()).collect();
    match segs.as_slice() {
        ["version"] => {
            return Response::Json(
                200,
                json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0-playbook-test",
                "gitCommit": "0000000", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                "goVersion": "go1.24", "compiler": "gc", "platform": "linux/amd64"}),
            );
        }
        ["api"] => {
            return Response::Json(
                200,
                json!({"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
            );
        }
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
            return Response::Json(200, json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}));
        }
        ["api", "v1"] => return Response::Json(200, resource_list("v1", &core)),
        ["apis", "metrics.k8s.io", "v1beta1"] => {
            return Response::Json(200, resource_list("metrics.k8s.io/v1beta1", &[]));
        }
        ["apis", "metrics.k8s.io", "v1beta1", rest @ ..] => return metrics(store, rest, r),
        ["apis", g, "v1"] if GROUPS.contains(g) => {
            let kinds: Vec<Kind> = KINDS.iter().copied().filter(|k| k.group == *g).collect();
            return Response::Json(200, resource_list(&format!("{g}/v1"), &kinds));
        }
        ["healthz" | "readyz" | "livez"] => return Response::Text(200, "ok".into()),
        _ => {}
    }
    // /api/v1/… or /apis/apps/v1/…, then [namespaces/NS/]PLURAL[/NAME[/SUB]].
    let (group, rest) = match segs.as_slice() {
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", g, "v1", rest @ ..] if GROUPS.contains(g) => (*g, rest),
        _ => return status(404, "NotFound", &format!("the server could not find the requested resource ({})", r.path)),
    };
    let (ns, rest): (&str, &[&str]) = match rest {
        ["namespaces", ns, tail @ ..] if !tail.is_empty() => (ns, tail),
        _ => ("", rest),
    };
    let (plural, name, sub) = match rest {
        [p] => (*p, None, None),
        [p, n] => (*p, Some(*n), None),
        [p, n, s] => (*p, Some(*n), Some(*s)),
        _ => return status(404, "NotFound", "the server could not find the requested resource"),
    };
    let Some(kind) = Kind::by_plural(group, plural) else {
        return status(404, "NotFound", &format!("the server doesn't have a resource type \"{plural}\""));
    };
    if !r.body.is_empty() && !r.header("content-type").contains("json") {
        // Protobuf (what `kubectl create deployment/namespace` sends) and CBOR are not read:
        // seed such objects with `kubectl apply -f`, which sends JSON.
        return status(
            415,
            "UnsupportedMediaType",
            &format!(
                "the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json (got {})",
                r.header("content-type")
            ),
        );
    }
    let mut s = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let body: Value =
        if r.body.is_empty() { Value::Null } else { serde_json::from_slice(&r.body).unwrap_or(Value::Null) };
    match (r.method.as_str(), name, sub) {
        ("GET", None, None) => {
            let items = s.list(kind, ns, r.param("labelSelector"), r.param("fieldSelector"));
            if r.param("watch") == "true" || r.param("watch") == "1" {
                let mut events: Vec<Value> = items.into_iter().map(|o| json!({"type": "ADDED", "object": o})).collect();
                if r.param("sendInitialEvents") == "true" {
                    // A watch-list: the initial events end with this bookmark.
                    events.push(json!({"type": "BOOKMARK", "object": {"kind": kind.kind, "apiVersion": kind.api_version(),
                        "metadata": {"resourceVersion": s.version.to_string(), "annotations": {"k8s.io/initial-events-end": "true"}}}}));
                }
                let secs = r.param("timeoutSeconds").parse().unwrap_or(5u64).min(5);
                return Response::Watch(events, Duration::from_secs(secs));
            }
            if wants_table(r) {
                Response::Json(200, table(kind, &items, s.version))
            } else {
                Response::Json(200, list_of(kind, items, s.version))
            }
        }
        ("GET", Some(n), None) => match s.get(kind, ns, n) {
            Some(o) if wants_table(r) => Response::Json(200, table(kind, std::slice::from_ref(o), s.version)),
            Some(o) => Response::Json(200, o.clone()),
            None => not_found(kind, n),
        },
        ("GET", Some(n), Some("log")) if kind.plural == "pods" => match s.get(kind, ns, n) {
            Some(pod) => Response::Text(200, logs(pod, r)),
            None => not_found(kind, n),
        },
        ("GET" | "POST", Some(n), Some(sub @ ("exec" | "portforward"))) if kind.plural == "pods" => {
            let Some(pod) = s.get(kind, ns, n).cloned() else { return not_found(kind, n) };
            if !r.header("upgrade").eq_ignore_ascii_case("SPDY/3.1") {
                // WebSocket streams are not served: kubectl falls back to SPDY.
                return status(
                    400,
                    "BadRequest",
                    "unable to upgrade streaming request: only SPDY/3.1 streams are served",
                );
            }
            stream_session(&s, ns, &pod, sub, r)
        }
        ("GET", Some(n), Some("scale")) if kind.plural == "deployments" => match s.get(kind, ns, n) {
            Some(d) => Response::Json(200, scale_of(d)),
            None => not_found(kind, n),
        },
        ("PATCH" | "PUT", Some(n), Some("scale")) if kind.plural == "deployments" => {
            let Some(mut d) = s.get(kind, ns, n).cloned() else { return not_found(kind, n) };
            let mut scale = scale_of(&d);
            if r.method == "PUT" {
                scale = body;
            } else if let Err(e) = apply_patch(&mut scale, r.header("content-type"), &body) {
                return status(422, "Invalid", &e);
            }
            d["spec"]["replicas"] = scale.pointer("/spec/replicas").cloned().unwrap_or(1.into());
            let d = s.replace(kind, ns, n, d);
            Response::Json(200, scale_of(&d))
        }
        ("POST", None, None) => {
            let target_ns = if ns.is_empty() {
                body.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default").to_string()
            } else {
                ns.to_string()
            };
            match s.create(kind, &target_ns, body) {
                Ok(o) => Response::Json(201, o),
                Err((409, m)) => status(409, "AlreadyExists", &m),
                Err((code, m)) => status(code, "Invalid", &m),
            }
        }
        ("PUT", Some(n), None) => {
            if s.get(kind, ns, n).is_none() {
                return not_found(kind, n);
            }
            Response::Json(200, s.replace(kind, ns, n, body))
        }
        ("PATCH", Some(n), None) => {
            let Some(mut o) = s.get(kind, ns, n).cloned() else { return not_found(kind, n) };
            if let Err(e) = apply_patch(&mut o, r.header("content-type"), &body) {
                return status(422, "Invalid", &e);
            }
            Response::Json(200, s.replace(kind, ns, n, o))
        }
        ("DELETE", Some(n), None) => match s.delete(kind, ns, n) {
            Some(o) => Response::Json(200, o),
            None => not_found(kind, n),
        },
        _ => status(405, "MethodNotAllowed", &format!("{} is not supported on {}", r.method, r.path)),
    }
}

/// The exec or port-forward session a streaming request asks for.
fn stream_session(s: &Store, ns: &str, pod: &Value, sub: &str, r: &Request) -> Response {
    let name = pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    if sub == "portforward" {
        let targets = pod
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.strip_prefix("playbook.test/port-")?.parse().ok()?, v.as_str()?.to_string())))
            .collect();
        return Response::Upgrade(spdy::Session::PortForward { pod: name, targets });
    }
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default();
    let wanted = r.param("container");
    let Some(container) =
        containers.iter().find(|c| wanted.is_empty() || c.get("name").and_then(Value::as_str) == Some(wanted))
    else {
        return status(400, "BadRequest", &format!("container {wanted} is not valid for pod {name}"));
    };
    let configmaps = |cm: &str| s.get(Kind::by_plural("", "configmaps")?, ns, cm).cloned();
    let env = spdy::container_env(pod, container, &configmaps);
    let command = r.query.iter().filter(|(k, _)| k == "command").map(|(_, v)| v.clone()).collect();
    let on = |p: &str| r.param(p) == "true" || r.param(p) == "1";
    Response::Upgrade(spdy::Session::Exec {
        command,
        pod: name,
        env,
        stderr: on("stderr"),
        stdin: on("stdin"),
        tty: on("tty"),
    })
}

fn write_response(mut stream: &TcpStream, resp: Response) -> std::io::Result<()> {
    let (code, ctype, body) = match resp {
        Response::Upgrade(session) => {
            write!(
                stream,
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: {}\r\n\r\n",
                session.protocol()
            )?;
            stream.flush()?;
            spdy::serve(stream.try_clone()?, &session);
            return Ok(());
        }
        Response::Json(code, v) => (code, "application/json", v.to_string().into_bytes()),
        Response::Text(code, t) => (code, "text/plain", t.into_bytes()),
        Response::Watch(events, hold) => {
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")?;
            for e in events {
                writeln!(stream, "{e}")?;
            }
            stream.flush()?;
            std::thread::sleep(hold);
            return Ok(());
        }
    };
    let reason = match code {
        200 => "OK",
        201 => "Created",
        404 => "Not Found",
        400 => "Bad Request",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        _ => "Error",
    };
    write!(
        stream,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

/// Serves until the process ends.
pub fn serve(listener: TcpListener, store: Arc<Mutex<Store>>) {
    for stream in listener.incoming().flatten() {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            if let Ok(Some(req)) = read_request(&stream) {
                if std::env::var_os("KUBE_TEST_APISERVER_LOG").is_some() {
                    eprintln!("{} {} {:?}", req.method, req.path, req.query);
                }
                let resp = handle(&store, &req);
                let _ = write_response(&stream, resp);
            }
        });
    }
}

/// A kubeconfig for the server at `addr`.
#[must_use]
pub fn kubeconfig(addr: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: playbook-test\n  cluster:\n    server: http://{addr}\ncontexts:\n- name: playbook-test\n  context:\n    cluster: playbook-test\n    user: playbook-test\n    namespace: default\ncurrent-context: playbook-test\nusers:\n- name: playbook-test\n  user:\n    token: playbook-test\n"
    )
}

//! What each request gets: routing, then discovery and OpenAPI documents, CRUD, list and watch
//! with label and field selectors, the three patch types, the scale subresource, pod logs, the
//! metrics API, and the streaming subresources (`exec`, `portforward`) that `spdy.rs` serves.
//! Bodies that are created, replaced or patched go through field validation (`validate.rs`).
//! Nothing here knows HTTP framing: `http.rs` turns hyper's requests into [`Request`]s and
//! [`Reply`]s back into responses.

use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use crate::schema::schemas;
use crate::store::{GROUPS, Kind, NODE, Store, now};
use crate::validate::{self, Directive};
use crate::{container, discovery, openapi, patch, spdy, table};

/// One request, read whole.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Decoded, in order; a name may repeat (`command=env&command=-0`).
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    #[must_use]
    pub fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
    }

    #[must_use]
    pub fn param(&self, name: &str) -> &str {
        self.query.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// What to send back.
pub enum Body {
    Json(Value),
    Text(String),
    /// A document rendered once (`content type`, bytes).
    Static(&'static str, &'static [u8]),
    /// A watch: these events, then the stream stays open a little and ends.
    Watch(Vec<Value>, Duration),
    /// `101 Switching Protocols` to SPDY/3.1, then the exec or port-forward streams.
    Upgrade(spdy::Session),
}

pub struct Reply {
    pub code: u16,
    pub body: Body,
    /// `Warning` headers (unknown fields dropped under `fieldValidation=Warn`).
    pub warnings: Vec<String>,
}

impl Reply {
    fn json(code: u16, v: Value) -> Self {
        Self { code, body: Body::Json(v), warnings: Vec::new() }
    }

    fn warned(mut self, warnings: Vec<String>) -> Self {
        self.warnings = warnings;
        self
    }
}

/// What the real server answers a request for `…spec.v2@v1.0+protobuf` with (Go's MIME parser
/// would reject the `@` in a response).
const PROTOBUF_V2: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

fn status(code: u16, reason: &str, message: &str) -> Reply {
    Reply::json(
        code,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": message, "reason": reason, "code": code}),
    )
}

/// `422 Invalid` for one field error, as `errors.NewInvalid` words it.
fn invalid(kind: &str, group: &str, field: &str, body: &str) -> Reply {
    let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
    let mut r = status(422, "Invalid", &format!("{qualified} \"\" is invalid: {field}: {body}"));
    if let Body::Json(v) = &mut r.body {
        v["details"] = json!({"group": group, "kind": kind, "causes": [{"reason": "FieldValueInvalid", "message": body, "field": field}]});
    }
    r
}

fn not_found(kind: Kind, name: &str) -> Reply {
    let group = if kind.group.is_empty() { String::new() } else { format!(".{}", kind.group) };
    status(404, "NotFound", &format!("{}{group} \"{name}\" not found", kind.plural))
}

fn wants_table(r: &Request) -> bool {
    r.header("accept").contains("as=Table")
}

fn list_of(kind: Kind, items: &[Value], version: u64) -> Value {
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
    lines[lines.len().saturating_sub(tail)..].iter().fold(String::new(), |mut out, l| {
        let _ = writeln!(out, "{l}");
        out
    })
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

/// The directive of a request, or the real server's `422` for a bad one.
fn directive(r: &Request, options: &str) -> Result<Directive, Reply> {
    Directive::from_param(r.param("fieldValidation"))
        .map_err(|e| invalid(options, "meta.k8s.io", "fieldValidation", e.trim_start_matches("fieldValidation: ")))
}

/// Field validation of a body to create or replace an object of `group`/`kind` (`Scale` for
/// the subresource): the warnings to send, or the `400` the real server's decoder gives.
fn decode(group: &str, kind: &str, r: &Request, body: &mut Value, options: &str) -> Result<Vec<String>, Reply> {
    let d = directive(r, options)?;
    let Some(t) = schemas().kind(group, kind) else { return Ok(Vec::new()) };
    let expected = if group.is_empty() { "v1".to_string() } else { format!("{group}/v1") };
    let sent = body.get("apiVersion").and_then(Value::as_str).unwrap_or(&expected).to_string();
    if sent != expected {
        return Err(status(
            400,
            "BadRequest",
            &format!("the API version in the data ({sent}) does not match the expected API version ({expected})"),
        ));
    }
    validate::apply(schemas(), t, body, d, false).map_err(|e| {
        let sent_kind = body.get("kind").and_then(Value::as_str).unwrap_or(kind);
        let version = sent.rsplit('/').next().unwrap_or("v1");
        status(400, "BadRequest", &format!("{sent_kind} in version \"{version}\" cannot be handled as a {kind}: {e}"))
    })
}

/// Applies a PATCH body of the given content type to `obj` (of `group`/`kind`), then validates
/// the result as the real server does: unknown fields are those of the patched object.
fn apply_patch(obj: &mut Value, group: &str, kind: &str, r: &Request, body: &Value) -> Result<Vec<String>, Reply> {
    let d = directive(r, "PatchOptions")?;
    let content_type = r.header("content-type");
    let t = schemas().kind(group, kind);
    let strategic = content_type.contains("strategic-merge-patch") || content_type.contains("apply-patch");
    if content_type.contains("json-patch") {
        patch::json_patch(obj, body).map_err(|e| status(422, "Invalid", &e))?;
    } else if strategic {
        patch::strategic(obj, body, t);
    } else if content_type.contains("merge-patch") {
        patch::merge(obj, body);
    } else {
        return Err(status(415, "UnsupportedMediaType", &format!("unsupported patch type `{content_type}`")));
    }
    let Some(t) = t else { return Ok(Vec::new()) };
    validate::apply(schemas(), t, obj, d, true).map_err(|e| {
        // The server shows a strategic patch as Go prints the decoded map, the other two as
        // the patched object's JSON.
        let shown = if strategic { validate::go_value(body) } else { obj.to_string() };
        invalid("", "", "patch", &format!("Invalid value: {}: {e}", validate::go_quote(&shown)))
    })
}

/// `kubectl top`: fixed, plausible usage for every pod and the node.
fn metrics(store: &Mutex<Store>, rest: &[&str], r: &Request) -> Reply {
    let s = store.lock().unwrap_or_else(PoisonError::into_inner);
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
            Reply::json(
                200,
                json!({"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
            )
        }
        "nodes" => Reply::json(
            200,
            json!({"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
                   "items": [{"metadata": {"name": NODE, "creationTimestamp": now()}, "timestamp": now(), "window": "30s",
                              "usage": {"cpu": "250m", "memory": "1Gi"}}]}),
        ),
        _ => status(404, "NotFound", "the server could not find the requested resource"),
    }
}

/// The OpenAPI documents: v2 as protobuf when asked for (kubectl always is), else JSON.
fn openapi_document(segs: &[&str], r: &Request) -> Reply {
    let body = match segs {
        ["v2"] => {
            let (json, proto) = openapi::v2();
            if r.header("accept").contains("protobuf") {
                Body::Static(PROTOBUF_V2, proto)
            } else {
                Body::Static("application/json", json)
            }
        }
        ["v3"] => Body::Json(openapi::v3_index()),
        ["v3", rest @ ..] => match openapi::v3(&rest.join("/")) {
            Some(doc) => Body::Static("application/json", &doc.json),
            None => return status(404, "NotFound", "the server could not find the requested resource"),
        },
        _ => return status(404, "NotFound", "the server could not find the requested resource"),
    };
    Reply { code: 200, body, warnings: Vec::new() }
}

/// Routes one request.
#[must_use]
pub fn handle(store: &Mutex<Store>, r: &Request) -> Reply {
    let segs: Vec<&str> = r.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    if let Some(doc) = discovery::document(&segs) {
        return Reply::json(200, doc);
    }
    match segs.as_slice() {
        ["openapi", rest @ ..] => return openapi_document(rest, r),
        ["apis", "metrics.k8s.io", "v1beta1", rest @ ..] => return metrics(store, rest, r),
        ["healthz" | "readyz" | "livez"] => {
            return Reply { code: 200, body: Body::Text("ok".into()), warnings: Vec::new() };
        }
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
    let body: Value =
        if r.body.is_empty() { Value::Null } else { serde_json::from_slice(&r.body).unwrap_or(Value::Null) };
    resource(store, r, kind, ns, name, sub, body)
}

/// A request on a resource: `kind` in namespace `ns` (empty: all, or cluster-scoped).
fn resource(
    store: &Mutex<Store>,
    r: &Request,
    kind: Kind,
    ns: &str,
    name: Option<&str>,
    sub: Option<&str>,
    mut body: Value,
) -> Reply {
    let mut s = store.lock().unwrap_or_else(PoisonError::into_inner);
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
                return Reply { code: 200, body: Body::Watch(events, Duration::from_secs(secs)), warnings: Vec::new() };
            }
            if wants_table(r) {
                Reply::json(200, table::table(kind, &items, s.version))
            } else {
                Reply::json(200, list_of(kind, &items, s.version))
            }
        }
        ("GET", Some(n), None) => match s.get(kind, ns, n) {
            Some(o) if wants_table(r) => Reply::json(200, table::table(kind, std::slice::from_ref(o), s.version)),
            Some(o) => Reply::json(200, o.clone()),
            None => not_found(kind, n),
        },
        ("GET", Some(n), Some("log")) if kind.plural == "pods" => match s.get(kind, ns, n) {
            Some(pod) => Reply { code: 200, body: Body::Text(logs(pod, r)), warnings: Vec::new() },
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
            Some(d) => Reply::json(200, scale_of(d)),
            None => not_found(kind, n),
        },
        ("PATCH" | "PUT", Some(n), Some("scale")) if kind.plural == "deployments" => {
            let Some(mut d) = s.get(kind, ns, n).cloned() else { return not_found(kind, n) };
            let mut scale = scale_of(&d);
            let warnings = if r.method == "PUT" {
                scale = body;
                match decode("autoscaling", "Scale", r, &mut scale, "UpdateOptions") {
                    Ok(w) => w,
                    Err(e) => return e,
                }
            } else {
                match apply_patch(&mut scale, "autoscaling", "Scale", r, &body) {
                    Ok(w) => w,
                    Err(e) => return e,
                }
            };
            d["spec"]["replicas"] = scale.pointer("/spec/replicas").cloned().unwrap_or(1.into());
            let d = s.replace(kind, ns, n, d);
            Reply::json(200, scale_of(&d)).warned(warnings)
        }
        ("POST", None, None) => {
            let warnings = match decode(kind.group, kind.kind, r, &mut body, "CreateOptions") {
                Ok(w) => w,
                Err(e) => return e,
            };
            let target_ns = if ns.is_empty() {
                body.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default").to_string()
            } else {
                ns.to_string()
            };
            match s.create(kind, &target_ns, body) {
                Ok(o) => Reply::json(201, o).warned(warnings),
                Err((409, m)) => status(409, "AlreadyExists", &m),
                Err((code, m)) => status(code, "Invalid", &m),
            }
        }
        ("PUT", Some(n), None) => {
            if s.get(kind, ns, n).is_none() {
                return not_found(kind, n);
            }
            match decode(kind.group, kind.kind, r, &mut body, "UpdateOptions") {
                Ok(w) => Reply::json(200, s.replace(kind, ns, n, body)).warned(w),
                Err(e) => e,
            }
        }
        ("PATCH", Some(n), None) => {
            let Some(mut o) = s.get(kind, ns, n).cloned() else { return not_found(kind, n) };
            match apply_patch(&mut o, kind.group, kind.kind, r, &body) {
                Ok(w) => Reply::json(200, s.replace(kind, ns, n, o)).warned(w),
                Err(e) => e,
            }
        }
        ("DELETE", Some(n), None) => match s.delete(kind, ns, n) {
            Some(o) => Reply::json(200, o),
            None => not_found(kind, n),
        },
        _ => status(405, "MethodNotAllowed", &format!("{} is not supported on {}", r.method, r.path)),
    }
}

/// The exec or port-forward session a streaming request asks for.
fn stream_session(s: &Store, ns: &str, pod: &Value, sub: &str, r: &Request) -> Reply {
    let name = pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let session = if sub == "portforward" {
        let targets = pod
            .pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.strip_prefix("playbook.test/port-")?.parse().ok()?, v.as_str()?.to_string())))
            .collect();
        spdy::Session::PortForward { pod: name, targets }
    } else {
        let containers = pod.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default();
        let wanted = r.param("container");
        let Some(container) =
            containers.iter().find(|c| wanted.is_empty() || c.get("name").and_then(Value::as_str) == Some(wanted))
        else {
            return status(400, "BadRequest", &format!("container {wanted} is not valid for pod {name}"));
        };
        let configmaps = |cm: &str| s.get(Kind::by_plural("", "configmaps")?, ns, cm).cloned();
        let env = container::env(pod, container, &configmaps);
        let command = r.query.iter().filter(|(k, _)| k == "command").map(|(_, v)| v.clone()).collect();
        let on = |p: &str| r.param(p) == "true" || r.param(p) == "1";
        spdy::Session::Exec { command, pod: name, env, stderr: on("stderr"), stdin: on("stdin"), tty: on("tty") }
    };
    Reply { code: 101, body: Body::Upgrade(session), warnings: Vec::new() }
}

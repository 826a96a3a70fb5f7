//! `/openapi/v2` and `/openapi/v3`: the documents kubectl reads, rendered from `schema.rs`.
//!
//! What kubectl 1.37 does with them:
//! * `apply`/`create`/`replace` with `--validate=strict` (the default) look up the kind's PATCH
//!   operation in `/openapi/v3/apis/GROUP/VERSION` (via the `/openapi/v3` index); because it
//!   lists the `fieldValidation` query parameter, kubectl sends `fieldValidation=Strict` and the
//!   server validates (`validate.rs`). Only when that lookup fails does kubectl validate on its
//!   own side with the v2 document, which it asks for as protobuf (`protobuf.rs`).
//! * `apply` to an existing object computes its strategic merge patch from the v3 schemas
//!   (`x-kubernetes-patch-merge-key`/`-strategy`), the same metadata `patch.rs` merges with.
//! * `explain` renders the v3 schemas (`--output=plaintext-openapiv2`: the v2 ones).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use sha2::Digest as _;

use crate::protobuf;
use crate::schema::{Field, Schemas, Ty, Type, schemas};
use crate::store::{KINDS, Kind, hex};

/// A rendered document and the hash the v3 index links it with.
pub struct Doc {
    pub path: String,
    pub json: Vec<u8>,
    pub hash: String,
}

const TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

const FIELD_VALIDATION: &str = "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.";

/// Which flavour is rendered: they differ in where definitions live and how a described
/// reference carries its description (OpenAPI 3.0 ignores siblings of `$ref`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    V2,
    V3,
}

impl Flavour {
    fn reference(self, id: &str) -> Value {
        match self {
            Self::V2 => json!({"$ref": format!("#/definitions/{id}")}),
            Self::V3 => json!({"$ref": format!("#/components/schemas/{id}")}),
        }
    }
}

fn scalar_id(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Time => Some(TIME),
        Ty::MicroTime => Some(MICRO_TIME),
        Ty::Quantity => Some(QUANTITY),
        Ty::IntOrString => Some(INT_OR_STRING),
        _ => None,
    }
}

/// The schema of a value of type `ty` (a list item, a map value or, with `field`, a property).
fn value_schema(s: &Schemas, ty: &Ty, f: Flavour) -> Value {
    let id = match ty {
        Ty::Named(i) => Some(s.types[*i].id.as_str()),
        other => scalar_id(other),
    };
    if let Some(id) = id {
        return f.reference(id);
    }
    match ty {
        Ty::Str => json!({"type": "string"}),
        Ty::Int32 => json!({"type": "integer", "format": "int32"}),
        Ty::Int64 => json!({"type": "integer", "format": "int64"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Number => json!({"type": "number", "format": "double"}),
        Ty::Bytes => json!({"type": "string", "format": "byte"}),
        Ty::List(inner) => json!({"type": "array", "items": value_schema(s, inner, f)}),
        Ty::Map(inner) => json!({"type": "object", "additionalProperties": value_schema(s, inner, f)}),
        _ => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
    }
}

fn property(s: &Schemas, field: &Field, f: Flavour) -> Value {
    let mut p = value_schema(s, &field.ty, f);
    if f == Flavour::V3 && p.get("$ref").is_some() {
        p = json!({"allOf": [p]});
    }
    let m = p.as_object_mut().expect("schema object");
    if !field.description.is_empty() {
        m.insert("description".into(), field.description.clone().into());
    }
    if let Some(key) = &field.merge_key {
        m.insert("x-kubernetes-patch-merge-key".into(), key.clone().into());
    }
    if let Some(strategy) = &field.strategy {
        m.insert("x-kubernetes-patch-strategy".into(), strategy.clone().into());
    }
    p
}

fn definition(s: &Schemas, t: &Type, f: Flavour) -> Value {
    let properties: Map<String, Value> =
        t.fields.iter().map(|field| (field.name.clone(), property(s, field, f))).collect();
    let mut d = json!({"description": t.description, "type": "object", "properties": properties});
    let required: Vec<&str> = t.fields.iter().filter(|x| x.required).map(|x| x.name.as_str()).collect();
    if !required.is_empty() {
        d["required"] = json!(required);
    }
    if let Some(g) = &t.gvk {
        d["x-kubernetes-group-version-kind"] = json!([{"group": g.group, "kind": g.kind, "version": g.version}]);
    }
    d
}

fn builtin(id: &str) -> Value {
    match id {
        TIME => {
            json!({"description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON (RFC 3339).", "type": "string", "format": "date-time"})
        }
        MICRO_TIME => {
            json!({"description": "MicroTime is version of Time with microsecond level precision.", "type": "string", "format": "date-time"})
        }
        QUANTITY => {
            json!({"description": "Quantity is a fixed-point representation of a number, such as 500m or 1Gi.", "type": "string"})
        }
        INT_OR_STRING => {
            json!({"description": "IntOrString is a type that can hold an int32 or a string.", "type": "string", "format": "int-or-string"})
        }
        _ => {
            json!({"description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", "type": "object"})
        }
    }
}

/// The types reachable from `roots`, in the files' order, and the built-in scalars they use.
fn closure(s: &Schemas, roots: &[usize]) -> (Vec<usize>, BTreeSet<&'static str>) {
    fn walk(s: &Schemas, ty: &Ty, seen: &mut BTreeSet<usize>, scalars: &mut BTreeSet<&'static str>) {
        match ty {
            Ty::Named(i) => {
                if seen.insert(*i) {
                    for f in &s.types[*i].fields {
                        walk(s, &f.ty, seen, scalars);
                    }
                }
            }
            Ty::List(inner) | Ty::Map(inner) => walk(s, inner, seen, scalars),
            other => scalars.extend(scalar_id(other)),
        }
    }
    let mut seen = BTreeSet::new();
    let mut scalars = BTreeSet::from([PATCH]);
    for &r in roots {
        walk(s, &Ty::Named(r), &mut seen, &mut scalars);
    }
    (seen.into_iter().collect(), scalars)
}

fn definitions(s: &Schemas, roots: &[usize], f: Flavour) -> Map<String, Value> {
    let (types, scalars) = closure(s, roots);
    let mut out: Map<String, Value> =
        types.iter().map(|&i| (s.types[i].id.clone(), definition(s, &s.types[i], f))).collect();
    out.extend(scalars.into_iter().map(|id| (id.to_string(), builtin(id))));
    out
}

fn param(name: &str, location: &str, description: &str, f: Flavour) -> Value {
    let mut p = json!({"name": name, "in": location, "description": description});
    if location == "path" {
        p["required"] = true.into();
    }
    match f {
        Flavour::V2 => {
            p["type"] = "string".into();
            p["uniqueItems"] = true.into();
        }
        Flavour::V3 => p["schema"] = json!({"type": "string", "uniqueItems": true}),
    }
    p
}

/// The prefix of operation ids and the tag, as the real server names them (`AppsV1`, `apps_v1`).
fn group_names(group: &str) -> (String, String) {
    let base = group.strip_suffix(".k8s.io").unwrap_or(if group.is_empty() { "core" } else { group });
    let mut camel = String::new();
    let mut tag = String::new();
    for (i, part) in base.split('.').enumerate() {
        let mut c = part.chars();
        let first = c.next().map(|x| x.to_ascii_uppercase()).into_iter().collect::<String>();
        let _ = write!(camel, "{first}{}", c.as_str());
        if i == 0 {
            tag.push_str(part);
        } else {
            let _ = write!(tag, "{first}{}", &part[1..]);
        }
    }
    (format!("{camel}V1"), format!("{tag}_v1"))
}

/// An operation, as `x-kubernetes-action` names it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    List,
    Post,
    Get,
    Put,
    Patch,
    Delete,
}

impl Action {
    /// The path item's method, the verb of operation ids, and the real server's description.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::List => ("get", "list", "list or watch objects of kind"),
            Self::Post => ("post", "create", "create a"),
            Self::Get => ("get", "read", "read the specified"),
            Self::Put => ("put", "replace", "replace the specified"),
            Self::Patch => ("patch", "patch", "partially update the specified"),
            Self::Delete => ("delete", "delete", "delete a"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Post => "post",
            Self::Get => "get",
            Self::Put => "put",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }
}

/// One operation on `kind`'s path whose objects are `group`/`object` (the kind itself, or a
/// deployment's `Scale`). Writes list `fieldValidation`: that is what makes kubectl validate on
/// the server.
fn operation(action: Action, kind: &Kind, (group, object): (&str, &str), f: Flavour) -> Value {
    let (prefix, tag) = group_names(kind.group);
    let scope = if kind.namespaced { "Namespaced" } else { "" };
    let (_, verb, description) = action.words();
    let suffix = if object == "Scale" { format!("{}Scale", kind.kind) } else { object.to_string() };
    let mut op = json!({
        "description": format!("{description} {object}"),
        "operationId": format!("{verb}{prefix}{scope}{suffix}"),
        "tags": [tag],
    });
    let writes = matches!(action, Action::Post | Action::Put | Action::Patch);
    let mut params = Vec::new();
    if writes {
        params.push(param("dryRun", "query", "When present, indicates that modifications should not be persisted.", f));
        params.push(param(
            "fieldManager",
            "query",
            "fieldManager is a name associated with the actor or entity that is making these changes.",
            f,
        ));
        params.push(param("fieldValidation", "query", FIELD_VALIDATION, f));
    }
    let body_types: &[&str] = if action == Action::Patch {
        &["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]
    } else {
        &["*/*"]
    };
    let body = f.reference(&if action == Action::Patch { PATCH.to_string() } else { schema_id(group, object) });
    let returned = (!matches!(action, Action::List | Action::Delete)).then(|| f.reference(&schema_id(group, object)));
    let code = if action == Action::Post { "201" } else { "200" };
    match f {
        Flavour::V2 => {
            if writes {
                params.push(json!({"name": "body", "in": "body", "required": true, "schema": body}));
                op["consumes"] = json!(body_types);
            }
            op["produces"] = json!(["application/json"]);
            op["responses"] = match returned {
                Some(schema) => json!({code: {"description": "OK", "schema": schema}}),
                None => json!({"200": {"description": "OK"}}),
            };
        }
        Flavour::V3 => {
            if writes {
                let content: Map<String, Value> =
                    body_types.iter().map(|t| ((*t).to_string(), json!({"schema": body}))).collect();
                op["requestBody"] = json!({"content": content, "required": true});
            }
            op["responses"] = match returned {
                Some(schema) => {
                    json!({code: {"description": "OK", "content": {"application/json": {"schema": schema}}}})
                }
                None => json!({"200": {"description": "OK"}}),
            };
        }
    }
    op["parameters"] = params.into();
    op["x-kubernetes-action"] = action.name().into();
    op["x-kubernetes-group-version-kind"] = json!({"group": group, "kind": object, "version": "v1"});
    op
}

/// A path item holding `actions` and the path's own parameters.
fn path_item(actions: &[Action], kind: &Kind, object: (&str, &str), parameters: &[Value], f: Flavour) -> Value {
    let mut item: Map<String, Value> =
        actions.iter().map(|&a| (a.words().0.to_string(), operation(a, kind, object, f))).collect();
    item.insert("parameters".into(), parameters.to_vec().into());
    Value::Object(item)
}

fn schema_id(group: &str, kind: &str) -> String {
    schemas().kind(group, kind).map_or_else(|| PATCH.to_string(), |t| t.id.clone())
}

/// The collection and item paths of one kind (and a deployment's `scale`).
fn kind_paths(kind: &Kind, f: Flavour, paths: &mut Map<String, Value>) {
    let root = if kind.group.is_empty() { "/api/v1".to_string() } else { format!("/apis/{}/v1", kind.group) };
    let collection = if kind.namespaced {
        format!("{root}/namespaces/{{namespace}}/{}", kind.plural)
    } else {
        format!("{root}/{}", kind.plural)
    };
    let mut scope = vec![param("pretty", "query", "If 'true', then the output is pretty printed.", f)];
    if kind.namespaced {
        scope.push(param("namespace", "path", "object name and auth scope, such as for teams and projects", f));
    }
    let own = (kind.group, kind.kind);
    paths.insert(collection.clone(), path_item(&[Action::List, Action::Post], kind, own, &scope, f));
    let mut item_scope = scope;
    item_scope.push(param("name", "path", &format!("name of the {}", kind.kind), f));
    let item = [Action::Get, Action::Put, Action::Patch, Action::Delete];
    paths.insert(format!("{collection}/{{name}}"), path_item(&item, kind, own, &item_scope, f));
    if kind.plural == "deployments" {
        let scale = [Action::Get, Action::Put, Action::Patch];
        paths.insert(
            format!("{collection}/{{name}}/scale"),
            path_item(&scale, kind, ("autoscaling", "Scale"), &item_scope, f),
        );
    }
}

fn roots(kinds: &[&Kind]) -> Vec<usize> {
    let s = schemas();
    let mut roots: Vec<usize> = Vec::new();
    for k in kinds {
        let names: &[(&str, &str)] = if k.plural == "deployments" {
            &[(k.group, k.kind), ("autoscaling", "Scale")]
        } else {
            &[(k.group, k.kind)]
        };
        for (g, n) in names {
            if let Some(i) = s.types.iter().position(|t| t.gvk.as_ref().is_some_and(|x| x.group == *g && x.kind == *n))
            {
                roots.push(i);
            }
        }
    }
    roots
}

fn hashed(path: String, doc: &Value) -> Doc {
    let json = serde_json::to_vec(doc).expect("document serializes");
    let hash = hex(&sha2::Sha512::digest(&json)).to_ascii_uppercase();
    Doc { path, json, hash }
}

/// One v3 document per group version, as `api/v1` and `apis/GROUP/v1` name them.
fn v3_docs() -> &'static [Doc] {
    static DOCS: OnceLock<Vec<Doc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let s = schemas();
        let mut groups: Vec<&str> = KINDS.iter().map(|k| k.group).collect();
        groups.dedup();
        groups
            .into_iter()
            .map(|g| {
                let kinds: Vec<&Kind> = KINDS.iter().filter(|k| k.group == g).collect();
                let mut paths = Map::new();
                for k in &kinds {
                    kind_paths(k, Flavour::V3, &mut paths);
                }
                let doc = json!({
                    "openapi": "3.0.0",
                    "info": {"title": "Kubernetes", "version": "v1.33.0"},
                    "paths": paths,
                    "components": {"schemas": definitions(s, &roots(&kinds), Flavour::V3)},
                });
                let path = if g.is_empty() { "api/v1".to_string() } else { format!("apis/{g}/v1") };
                hashed(path, &doc)
            })
            .collect()
    })
}

/// `/openapi/v3`: where each group version's document is.
#[must_use]
pub fn v3_index() -> Value {
    let paths: Map<String, Value> = v3_docs()
        .iter()
        .map(|d| (d.path.clone(), json!({"serverRelativeURL": format!("/openapi/v3/{}?hash={}", d.path, d.hash)})))
        .collect();
    json!({"paths": paths})
}

/// `/openapi/v3/PATH` (`api/v1`, `apis/apps/v1`, …).
#[must_use]
pub fn v3(path: &str) -> Option<&'static Doc> {
    v3_docs().iter().find(|d| d.path == path)
}

/// `/openapi/v2` as JSON and as the protobuf kubectl asks for.
///
/// # Panics
/// Never in practice: the document is a `serde_json::Value`, which always serializes.
#[must_use]
pub fn v2() -> &'static (Vec<u8>, Vec<u8>) {
    static DOC: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut paths = Map::new();
        for k in KINDS {
            kind_paths(k, Flavour::V2, &mut paths);
        }
        let all: Vec<&Kind> = KINDS.iter().collect();
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "Kubernetes", "version": "v1.33.0"},
            "paths": paths,
            "definitions": definitions(schemas(), &roots(&all), Flavour::V2),
        });
        (serde_json::to_vec(&doc).expect("document serializes"), protobuf::document(&doc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_v3_index_links_every_group_version_and_patch_advertises_field_validation() {
        let index = v3_index();
        for p in ["api/v1", "apis/apps/v1", "apis/networking.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1"] {
            let url = index["paths"][p]["serverRelativeURL"].as_str().unwrap();
            assert!(url.starts_with(&format!("/openapi/v3/{p}?hash=")), "{url}");
        }
        let doc: Value = serde_json::from_slice(&v3("apis/apps/v1").unwrap().json).unwrap();
        let patch = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"],
            json!({"group": "apps", "kind": "Deployment", "version": "v1"})
        );
        assert!(
            patch["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "fieldValidation" && p["in"] == "query")
        );
        assert!(patch["requestBody"]["content"].get("application/strategic-merge-patch+json").is_some());
        assert_eq!(patch["operationId"], "patchAppsV1NamespacedDeployment");
        let schemas = &doc["components"]["schemas"];
        let containers = &schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
        assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(containers["items"]["$ref"], "#/components/schemas/io.k8s.api.core.v1.Container");
        assert!(schemas.get("io.k8s.api.autoscaling.v1.Scale").is_some());
        // Every reference resolves inside its own document.
        let text = String::from_utf8(v3("api/v1").unwrap().json.clone()).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        for r in text.split("\"#/components/schemas/").skip(1) {
            let id = &r[..r.find('"').unwrap()];
            assert!(doc["components"]["schemas"].get(id).is_some(), "{id} dangles");
        }
    }

    #[test]
    fn group_names_follow_the_real_server() {
        assert_eq!(group_names(""), ("CoreV1".into(), "core_v1".into()));
        assert_eq!(
            group_names("rbac.authorization.k8s.io"),
            ("RbacAuthorizationV1".into(), "rbacAuthorization_v1".into())
        );
    }
}

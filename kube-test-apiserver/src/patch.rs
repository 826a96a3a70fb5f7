//! The three patch types of the Kubernetes API: JSON merge patch (RFC 7386), JSON patch
//! (RFC 6902) and strategic merge patch, whose merge keys and strategies come from the same
//! schemas the OpenAPI documents publish (`schema.rs`), so kubectl's patches and this server's
//! merging agree.

use serde_json::{Map, Value};

use crate::schema::{Field, Schemas, Ty, Type, schemas};

/// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
///
/// # Panics
/// Never: the target is made an object just before it is used as one.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if v.is_null() {
            t.shift_remove(k);
        } else {
            merge(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// Where a strategic merge is in the schema: inside a struct, among a map's values, or
/// somewhere not described (then lists are replaced and objects merged, as for a merge patch).
#[derive(Clone, Copy)]
enum At<'a> {
    Struct(&'a Type),
    Values(&'a Ty),
    Unknown,
}

impl<'a> At<'a> {
    fn of(s: &'a Schemas, ty: &'a Ty) -> Self {
        match ty {
            Ty::Named(i) => Self::Struct(&s.types[*i]),
            Ty::Map(inner) => Self::Values(inner),
            _ => Self::Unknown,
        }
    }

    /// A key's field (for its merge key and strategy) and where its value is.
    fn child(self, key: &str) -> (Option<&'a Field>, Option<&'a Ty>) {
        match self {
            Self::Struct(t) => match t.field(key) {
                Some(f) => (Some(f), Some(&f.ty)),
                None => (None, None),
            },
            Self::Values(ty) => (None, Some(ty)),
            Self::Unknown => (None, None),
        }
    }
}

/// A patch value without its `$`-directives, for where it is stored as it is.
fn without_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(k, _)| !k.starts_with('$')).map(|(k, v)| (k.clone(), without_directives(v))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_directives).collect()),
        other => other.clone(),
    }
}

/// Strategic merge patch, guided by the schema of `t` (the kind of the patched object): like a
/// merge patch, except that lists whose field has `x-kubernetes-patch-strategy: merge` merge —
/// item by item on their `x-kubernetes-patch-merge-key`, or as a set of primitives — and the
/// directives kubectl sends are honoured: `$patch: delete`/`replace`, `$retainKeys`,
/// `$deleteFromPrimitiveList/…`. `$setElementOrder/…` (ordering only) is ignored.
pub fn strategic(target: &mut Value, patch: &Value, t: Option<&Type>) {
    let s = schemas();
    merge_at(s, target, patch, t.map_or(At::Unknown, At::Struct));
}

fn merge_at(s: &Schemas, target: &mut Value, patch: &Value, at: At<'_>) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") || !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if let Some(list) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(have)), Value::Array(gone)) = (t.get_mut(list), v) {
                have.retain(|x| !gone.contains(x));
            }
            continue;
        }
        if k.starts_with('$') {
            continue;
        }
        let (field, ty) = at.child(k);
        let child_at = ty.map_or(At::Unknown, |ty| At::of(s, ty));
        match v {
            Value::Null => {
                t.shift_remove(k);
            }
            Value::Object(o) if o.get("$patch").and_then(Value::as_str) == Some("delete") => {
                t.shift_remove(k);
            }
            Value::Array(items) if field.is_some_and(Field::merges) => {
                let item_at = match ty {
                    Some(Ty::List(inner)) => At::of(s, inner),
                    _ => At::Unknown,
                };
                let list = t.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                let list = list.as_array_mut().expect("array");
                merge_list(s, list, items, field.and_then(|f| f.merge_key.as_deref()), item_at);
            }
            Value::Array(_) => {
                t.insert(k.clone(), without_directives(v));
            }
            Value::Object(_) => merge_at(s, t.entry(k.clone()).or_insert(Value::Null), v, child_at),
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(Value::Array(keep)) = p.get("$retainKeys") {
        t.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k)));
    }
}

/// A list with the merge strategy: objects merge on `key`, primitives are a set.
fn merge_list(s: &Schemas, list: &mut Vec<Value>, items: &[Value], key: Option<&str>, at: At<'_>) {
    let directive = |item: &Value| item.get("$patch").and_then(Value::as_str).map(str::to_string);
    if items.iter().any(|i| directive(i).as_deref() == Some("replace")) {
        *list = items.iter().filter(|i| directive(i).is_none()).map(without_directives).collect();
        return;
    }
    for item in items {
        let Some(key) = key.filter(|_| item.is_object()) else {
            if !list.contains(item) {
                list.push(item.clone());
            }
            continue;
        };
        let id = item.get(key).cloned();
        let pos = id.as_ref().and_then(|id| list.iter().position(|x| x.get(key) == Some(id)));
        match (pos, directive(item).as_deref() == Some("delete")) {
            (Some(i), true) => {
                list.remove(i);
            }
            (Some(i), false) => merge_at(s, &mut list[i], item, at),
            (None, true) => {}
            (None, false) => {
                let mut fresh = Value::Object(Map::new());
                merge_at(s, &mut fresh, item, at);
                list.push(fresh);
            }
        }
    }
}

fn pointer_parts(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let rest = path.strip_prefix('/').ok_or_else(|| format!("invalid JSON pointer `{path}`"))?;
    Ok(rest.split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect())
}

fn parent<'v>(doc: &'v mut Value, parts: &[String]) -> Result<&'v mut Value, String> {
    let mut cur = doc;
    for p in parts {
        cur = match cur {
            Value::Object(m) => m.get_mut(p).ok_or_else(|| format!("path element `{p}` not found"))?,
            Value::Array(a) => {
                let i: usize = p.parse().map_err(|_| format!("`{p}` is not an index"))?;
                a.get_mut(i).ok_or_else(|| format!("index {i} out of range"))?
            }
            _ => return Err(format!("cannot descend into `{p}`")),
        };
    }
    Ok(cur)
}

fn add(doc: &mut Value, path: &str, value: Value, replace: bool) -> Result<(), String> {
    let parts = pointer_parts(path)?;
    let Some((last, init)) = parts.split_last() else {
        *doc = value;
        return Ok(());
    };
    match parent(doc, init)? {
        Value::Object(m) => {
            if replace && !m.contains_key(last) {
                return Err(format!("replace: `{path}` does not exist"));
            }
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value);
            } else {
                let i: usize = last.parse().map_err(|_| format!("`{last}` is not an index"))?;
                if replace {
                    *a.get_mut(i).ok_or_else(|| format!("index {i} out of range"))? = value;
                } else if i <= a.len() {
                    a.insert(i, value);
                } else {
                    return Err(format!("index {i} out of range"));
                }
            }
        }
        _ => return Err(format!("`{path}`: parent is not a container")),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let parts = pointer_parts(path)?;
    let (last, init) = parts.split_last().ok_or("cannot remove the whole document")?;
    match parent(doc, init)? {
        Value::Object(m) => m.remove(last).ok_or_else(|| format!("remove: `{path}` does not exist")),
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| format!("`{last}` is not an index"))?;
            (i < a.len()).then(|| a.remove(i)).ok_or_else(|| format!("index {i} out of range"))
        }
        _ => Err(format!("`{path}`: parent is not a container")),
    }
}

/// RFC 6902.
///
/// # Errors
/// The first operation that cannot be applied; the document is then left unchanged.
pub fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), String> {
    let ops = ops.as_array().ok_or("a JSON patch is a list of operations")?;
    let mut work = doc.clone();
    for op in ops {
        let path = op["path"].as_str().ok_or("operation without a path")?;
        match op["op"].as_str() {
            Some("add") => add(&mut work, path, op["value"].clone(), false)?,
            Some("replace") => add(&mut work, path, op["value"].clone(), true)?,
            Some("remove") => {
                remove(&mut work, path)?;
            }
            Some("test") => {
                let here = work.pointer(path).ok_or_else(|| format!("test: `{path}` does not exist"))?;
                if *here != op["value"] {
                    return Err(format!("test failed at `{path}`"));
                }
            }
            Some("move") => {
                let from = op["from"].as_str().ok_or("move without from")?;
                let v = remove(&mut work, from)?;
                add(&mut work, path, v, false)?;
            }
            Some("copy") => {
                let from = op["from"].as_str().ok_or("copy without from")?;
                let v = work.pointer(from).cloned().ok_or_else(|| format!("copy: `{from}` does not exist"))?;
                add(&mut work, path, v, false)?;
            }
            other => return Err(format!("unknown operation {other:?}")),
        }
    }
    *doc = work;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({"spec": {"template": {"spec": {"containers": [
            {"name": "app", "image": "shop:2", "resources": {"limits": {"cpu": "1"}}},
            {"name": "sidecar", "image": "proxy:1"}
        ]}}}})
    }

    #[test]
    fn strategic_merges_containers_by_name_and_merge_replaces_the_list() {
        let patch = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "app", "resources": {"limits": {"memory": "512Mi"}}}
        ]}}}});
        let mut d = deployment();
        strategic(&mut d, &patch, schemas().kind("apps", "Deployment"));
        let cs = &d["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs.as_array().unwrap().len(), 2);
        assert_eq!(cs[0]["image"], "shop:2");
        assert_eq!(cs[0]["resources"]["limits"], json!({"cpu": "1", "memory": "512Mi"}));
        let mut d = deployment();
        merge(&mut d, &patch);
        assert_eq!(d["spec"]["template"]["spec"]["containers"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn strategic_follows_each_fields_patch_metadata_and_directives() {
        let s = schemas();
        // A service's ports merge on `port`; a pod's tolerations are atomic and replaced.
        let mut svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}});
        strategic(&mut svc, &json!({"spec": {"ports": [{"port": 80, "targetPort": 8081}]}}), s.kind("", "Service"));
        assert_eq!(svc["spec"]["ports"], json!([{"port": 80, "targetPort": 8081}, {"port": 443}]));
        let mut pod = json!({"spec": {"tolerations": [{"key": "a"}, {"key": "b"}], "containers": [{"name": "app"}]}});
        let patch = json!({"spec": {"tolerations": [{"key": "c"}],
                                    "containers": [{"name": "app", "$patch": "delete"}]},
                           "metadata": {"$deleteFromPrimitiveList/finalizers": ["x"]}});
        pod["metadata"] = json!({"finalizers": ["x", "y"]});
        strategic(&mut pod, &patch, s.kind("", "Pod"));
        assert_eq!(pod["spec"]["tolerations"], json!([{"key": "c"}]));
        assert_eq!(pod["spec"]["containers"], json!([]));
        assert_eq!(pod["metadata"]["finalizers"], json!(["y"]));
        // `$retainKeys`: switching a deployment to Recreate drops its rollingUpdate.
        let mut d = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
        strategic(
            &mut d,
            &json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
            s.kind("apps", "Deployment"),
        );
        assert_eq!(d["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn json_patch_applies_all_or_nothing() {
        let mut d = deployment();
        json_patch(
            &mut d,
            &json!([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "shop:1"}]),
        )
        .unwrap();
        assert_eq!(d["spec"]["template"]["spec"]["containers"][0]["image"], "shop:1");
        let before = d.clone();
        assert!(
            json_patch(
                &mut d,
                &json!([
                    {"op": "add", "path": "/metadata", "value": {}},
                    {"op": "remove", "path": "/nope"}
                ])
            )
            .is_err()
        );
        assert_eq!(d, before);
    }
}

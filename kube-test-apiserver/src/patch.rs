//! The three patch types of the Kubernetes API: JSON merge patch (RFC 7386), JSON patch
//! (RFC 6902) and strategic merge patch (lists of objects merged by their merge key).

use serde_json::{Map, Value};

/// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
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
            t.remove(k);
        } else {
            merge(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// The merge key of a list field in the types this server holds, as the Kubernetes types declare
/// it (`patchMergeKey`).
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers" | "initContainers" | "env" | "volumes" | "imagePullSecrets" => "name",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "conditions" => "type",
        "tolerations" => "key",
        _ => return None,
    })
}

/// Strategic merge patch: like a merge patch, except that lists with a merge key merge item by
/// item, and `$patch: delete` removes an item.
pub fn strategic(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("object");
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        match (v, merge_key(k)) {
            (Value::Null, _) => {
                t.remove(k);
            }
            (Value::Array(items), Some(key)) => {
                let list = t.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                let list = list.as_array_mut().expect("array");
                for item in items {
                    let id = item.get(key).cloned();
                    let pos = id.as_ref().and_then(|id| list.iter().position(|x| x.get(key) == Some(id)));
                    let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                    match (pos, delete) {
                        (Some(i), true) => {
                            list.remove(i);
                        }
                        (Some(i), false) => strategic(&mut list[i], item),
                        (None, true) => {}
                        (None, false) => {
                            let mut fresh = Value::Object(Map::new());
                            strategic(&mut fresh, item);
                            list.push(fresh);
                        }
                    }
                }
            }
            _ => strategic(t.entry(k.clone()).or_insert(Value::Null), v),
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
        strategic(&mut d, &patch);
        let cs = &d["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs.as_array().unwrap().len(), 2);
        assert_eq!(cs[0]["image"], "shop:2");
        assert_eq!(cs[0]["resources"]["limits"], json!({"cpu": "1", "memory": "512Mi"}));
        let mut d = deployment();
        merge(&mut d, &patch);
        assert_eq!(d["spec"]["template"]["spec"]["containers"].as_array().unwrap().len(), 1);
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

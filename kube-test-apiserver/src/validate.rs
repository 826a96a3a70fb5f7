//! Server-side field validation, the way the API server's strict decoding does it: a field that
//! the kind's type (`schema.rs`) does not have is unknown. The `fieldValidation` query parameter
//! says what then happens: `Strict` rejects the request, `Warn` (the default) drops the field and
//! sends a `Warning` header, `Ignore` drops it silently — dropped because the real server decodes
//! into typed structs, so an unknown field is never stored.
//!
//! The messages are the real server's: a create or update fails with `400 BadRequest`
//! (`Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown
//! field "spec.foo"`), a patch with `422 Invalid` naming the patch (Go's `%+v` of the patch map).
//! Only unknown fields are checked: no duplicate fields (serde keeps the last one, and kubectl
//! never sends any), no type mismatches, no required fields.

use std::fmt::Write as _;

use serde_json::Value;

use crate::schema::{Schemas, Ty, Type};

/// The `fieldValidation` directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    Ignore,
    Warn,
    Strict,
}

impl Directive {
    /// The query parameter's value; empty is `Warn`, as on the real server.
    ///
    /// # Errors
    /// The real server's message for an unsupported value.
    pub fn from_param(value: &str) -> Result<Self, String> {
        match value {
            "Ignore" => Ok(Self::Ignore),
            "" | "Warn" => Ok(Self::Warn),
            "Strict" => Ok(Self::Strict),
            other => Err(format!(
                "fieldValidation: Unsupported value: \"{other}\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""
            )),
        }
    }
}

/// The unknown fields of `value` read as type `t`, in document order, named by their path as
/// the server names them (`spec.template.spec.containers[0].foo`); with `prune`, they are removed.
pub fn unknown_fields(s: &Schemas, t: &Type, value: &mut Value, prune: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut path = String::new();
    walk_struct(s, t, value, &mut path, &mut found, prune);
    found
}

fn walk_struct(s: &Schemas, t: &Type, value: &mut Value, path: &mut String, found: &mut Vec<String>, prune: bool) {
    let Some(m) = value.as_object_mut() else { return };
    let mut unknown = Vec::new();
    for (k, child) in m.iter_mut() {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(k);
        if let Some(f) = t.field(k) {
            walk(s, &f.ty, child, path, found, prune);
        } else {
            found.push(path.clone());
            unknown.push(k.clone());
        }
        path.truncate(len);
    }
    if prune {
        for k in unknown {
            m.shift_remove(&k);
        }
    }
}

fn walk(s: &Schemas, ty: &Ty, value: &mut Value, path: &mut String, found: &mut Vec<String>, prune: bool) {
    match (ty, value) {
        (Ty::Named(i), v) => walk_struct(s, &s.types[*i], v, path, found, prune),
        (Ty::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                walk(s, inner, item, path, found, prune);
                path.truncate(len);
            }
        }
        (Ty::Map(inner), Value::Object(m)) => {
            for (k, item) in m.iter_mut() {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                walk(s, inner, item, path, found, prune);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// `strict decoding error: unknown field "a", unknown field "b"`.
#[must_use]
pub fn strict_error(unknown: &[String]) -> String {
    let fields: Vec<String> = unknown.iter().map(|p| format!("unknown field {}", go_quote(p))).collect();
    format!("strict decoding error: {}", fields.join(", "))
}

/// What a directive makes of the unknown fields of a body about to be stored: `Err` with the
/// strict decoding error under `Strict`, otherwise the fields removed and, under `Warn`, the
/// warnings to send.
///
/// # Errors
/// Under `Strict`, when there is an unknown field; `sorted` sorts them first (a patch's are
/// found in the patched object, which the server walks in sorted order).
pub fn apply(s: &Schemas, t: &Type, value: &mut Value, d: Directive, sorted: bool) -> Result<Vec<String>, String> {
    let mut unknown = unknown_fields(s, t, value, d != Directive::Strict);
    if sorted {
        unknown.sort();
    }
    match d {
        Directive::Strict if !unknown.is_empty() => Err(strict_error(&unknown)),
        Directive::Warn => Ok(unknown.iter().map(|p| format!("unknown field {}", go_quote(p))).collect()),
        _ => Ok(Vec::new()),
    }
}

/// Go's `%q` of a string: what the server's messages quote values with.
#[must_use]
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%+v` of a decoded JSON value (`map[a:1 b:[x y]]`, keys sorted), which the server
/// prints a rejected patch with.
#[must_use]
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let pairs: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_value(&m[k.as_str()]))).collect();
            format!("map[{}]", pairs.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schemas;
    use serde_json::json;

    fn deployment() -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
               "spec": {"replicas": 1, "replicaz": 2, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"containers": [{"name": "app", "image": "shop:1", "imagePullPolicyy": "Always",
                                                              "resources": {"limits": {"cpu": "1"}}}],
                                              "volumes": [{"name": "v", "ephemeral": {"anything": {"goes": true}}}]}}}})
    }

    #[test]
    fn unknown_fields_are_found_with_the_servers_paths_and_pruned_on_request() {
        let s = schemas();
        let t = s.kind("apps", "Deployment").unwrap();
        let mut d = deployment();
        assert_eq!(
            unknown_fields(s, t, &mut d, false),
            ["spec.replicaz", "spec.template.spec.containers[0].imagePullPolicyy"]
        );
        assert_eq!(
            apply(s, t, &mut d.clone(), Directive::Strict, false).unwrap_err(),
            "strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
        );
        let warnings = apply(s, t, &mut d, Directive::Warn, false).unwrap();
        assert_eq!(warnings[0], "unknown field \"spec.replicaz\"");
        assert!(d["spec"].get("replicaz").is_none());
        assert_eq!(
            d["spec"]["template"]["spec"]["volumes"][0]["ephemeral"]["anything"]["goes"], true,
            "free objects are kept"
        );
        assert!(unknown_fields(s, t, &mut d, false).is_empty());
    }

    #[test]
    fn values_print_as_go_prints_them() {
        let v = json!({"spec": {"foo": 1, "bar": [true, "x"]}, "a": null});
        assert_eq!(go_value(&v), "map[a:<nil> spec:map[bar:[true x] foo:1]]");
        assert_eq!(go_quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(Directive::from_param("").unwrap(), Directive::Warn);
        assert!(Directive::from_param("strict").is_err());
    }
}

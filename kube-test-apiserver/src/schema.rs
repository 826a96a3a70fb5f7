//! The one description of every kind the server serves, read once from `schemas/*.txt`. It is
//! what the OpenAPI documents publish (`openapi.rs`), what field validation checks request
//! bodies against (`validate.rs`) and where strategic merge patches find their merge keys
//! (`patch.rs`), so that what kubectl is told and what the server does cannot drift apart.
//!
//! The files hold one line per type or field (`#` starts a comment line):
//!
//! ```text
//! package io.k8s.api.apps.v1                        prefix of the definition names that follow
//! type Deployment kind=apps/v1 "description"        a struct; `kind=` marks a served kind
//!   replicas integer "description"                  a field: name, type, flags, description
//!   containers []Container required merge=name "…"  flags: required, merge=KEY, strategy=S
//! ```
//!
//! Field types: `string`, `integer` (int32), `int64`, `boolean`, `number`, `byte` (base64),
//! `time`, `microtime`, `quantity`, `int-or-string`, `object` (a value whose inside is not
//! described here: neither checked nor pruned), another type's short name, `[]T` (a list) or
//! `{}T` (a map with string keys).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The files, in the order their types are published.
const SOURCES: &[(&str, &str)] = &[
    ("meta-v1.txt", include_str!("../schemas/meta-v1.txt")),
    ("core-v1.txt", include_str!("../schemas/core-v1.txt")),
    ("core-v1-pod.txt", include_str!("../schemas/core-v1-pod.txt")),
    ("core-v1-volume.txt", include_str!("../schemas/core-v1-volume.txt")),
    ("apps-v1.txt", include_str!("../schemas/apps-v1.txt")),
    ("autoscaling-v1.txt", include_str!("../schemas/autoscaling-v1.txt")),
    ("networking-v1.txt", include_str!("../schemas/networking-v1.txt")),
    ("rbac-v1.txt", include_str!("../schemas/rbac-v1.txt")),
];

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int32,
    Int64,
    Bool,
    Number,
    /// Base64 in JSON (`[]byte` in Go).
    Bytes,
    Time,
    MicroTime,
    Quantity,
    IntOrString,
    /// Described no further: any value, never checked or pruned inside.
    Free,
    /// A struct: an index into [`Schemas::types`].
    Named(usize),
    List(Box<Ty>),
    Map(Box<Ty>),
}

#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    /// `x-kubernetes-patch-merge-key`: lists of objects merge item by item on this key.
    pub merge_key: Option<String>,
    /// `x-kubernetes-patch-strategy`: `merge`, `retainKeys` or both, comma-separated.
    pub strategy: Option<String>,
    pub description: String,
}

impl Field {
    /// Whether a strategic merge patch merges this list rather than replacing it.
    #[must_use]
    pub fn merges(&self) -> bool {
        self.strategy.as_deref().is_some_and(|s| s.split(',').any(|p| p == "merge"))
    }
}

/// A served kind's group, version and kind (`x-kubernetes-group-version-kind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

#[derive(Debug)]
pub struct Type {
    /// The short name the files use (`DeploymentSpec`).
    pub name: String,
    /// The OpenAPI definition name (`io.k8s.api.apps.v1.DeploymentSpec`).
    pub id: String,
    pub description: String,
    pub gvk: Option<Gvk>,
    pub fields: Vec<Field>,
}

impl Type {
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug)]
pub struct Schemas {
    pub types: Vec<Type>,
    by_name: HashMap<String, usize>,
}

impl Schemas {
    /// The type a served kind's objects have.
    #[must_use]
    pub fn kind(&self, group: &str, kind: &str) -> Option<&Type> {
        self.types.iter().find(|t| t.gvk.as_ref().is_some_and(|g| g.group == group && g.kind == kind))
    }

    /// A type by its short name.
    #[must_use]
    pub fn named(&self, name: &str) -> Option<&Type> {
        self.by_name.get(name).map(|&i| &self.types[i])
    }
}

/// The parsed description (the files are part of the binary, and a test parses them).
///
/// # Panics
/// When a file is malformed, which `schemas_parse` catches first.
pub fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| parse(SOURCES).unwrap_or_else(|e| panic!("kube-test-apiserver schemas: {e}")))
}

/// A line split into its words and its trailing quoted description.
fn split(line: &str) -> (Vec<&str>, String) {
    match line.split_once('"') {
        Some((words, rest)) => (words.split_whitespace().collect(), rest.trim_end().trim_end_matches('"').to_string()),
        None => (line.split_whitespace().collect(), String::new()),
    }
}

fn ty(word: &str, by_name: &HashMap<String, usize>) -> Result<Ty, String> {
    if let Some(inner) = word.strip_prefix("[]") {
        return Ok(Ty::List(Box::new(ty(inner, by_name)?)));
    }
    if let Some(inner) = word.strip_prefix("{}") {
        return Ok(Ty::Map(Box::new(ty(inner, by_name)?)));
    }
    Ok(match word {
        "string" => Ty::Str,
        "integer" => Ty::Int32,
        "int64" => Ty::Int64,
        "boolean" => Ty::Bool,
        "number" => Ty::Number,
        "byte" => Ty::Bytes,
        "time" => Ty::Time,
        "microtime" => Ty::MicroTime,
        "quantity" => Ty::Quantity,
        "int-or-string" => Ty::IntOrString,
        "object" => Ty::Free,
        name => Ty::Named(*by_name.get(name).ok_or_else(|| format!("unknown type `{name}`"))?),
    })
}

fn gvk(spec: &str, kind: &str) -> Gvk {
    let (group, version) = spec.rsplit_once('/').unwrap_or(("", spec));
    Gvk { group: group.to_string(), version: version.to_string(), kind: kind.to_string() }
}

/// Parses `(file name, text)` pairs.
///
/// # Errors
/// `file:line: what` for the first malformed line or unknown type name.
pub fn parse(sources: &[(&str, &str)]) -> Result<Schemas, String> {
    // Names first, so that a field may name a type defined further down or in another file.
    let mut by_name = HashMap::new();
    let mut types = Vec::new();
    for (file, text) in sources {
        let mut package = "";
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with(' ')) {
            let (words, description) = split(line);
            match words.as_slice() {
                ["package", p] => package = p,
                ["type", name, rest @ ..] => {
                    let at = format!("{file}:{}", n + 1);
                    if package.is_empty() {
                        return Err(format!("{at}: `type` before `package`"));
                    }
                    if by_name.insert((*name).to_string(), types.len()).is_some() {
                        return Err(format!("{at}: type `{name}` defined twice"));
                    }
                    let gvk = match rest {
                        [] => None,
                        [k] if k.starts_with("kind=") => Some(gvk(&k["kind=".len()..], name)),
                        _ => return Err(format!("{at}: unexpected `{}`", rest.join(" "))),
                    };
                    types.push(Type {
                        name: (*name).to_string(),
                        id: format!("{package}.{name}"),
                        description,
                        gvk,
                        fields: Vec::new(),
                    });
                }
                _ => {}
            }
        }
    }
    let mut current = None;
    for (file, text) in sources {
        for (n, line) in text.lines().enumerate() {
            let at = format!("{file}:{}", n + 1);
            let (words, description) = split(line);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            match words.as_slice() {
                [name, t, flags @ ..] if line.starts_with("  ") => {
                    let Some(i) = current else { return Err(format!("{at}: field outside a type")) };
                    let mut field = Field {
                        name: (*name).to_string(),
                        ty: ty(t, &by_name).map_err(|e| format!("{at}: {e}"))?,
                        required: false,
                        merge_key: None,
                        strategy: None,
                        description,
                    };
                    for flag in flags {
                        match flag.split_once('=') {
                            None if *flag == "required" => field.required = true,
                            Some(("merge", key)) => {
                                field.merge_key = Some(key.to_string());
                                field.strategy.get_or_insert_with(|| "merge".to_string());
                            }
                            Some(("strategy", s)) => field.strategy = Some(s.to_string()),
                            _ => return Err(format!("{at}: unknown flag `{flag}`")),
                        }
                    }
                    let t: &mut Type = &mut types[i];
                    if t.field(name).is_some() {
                        return Err(format!("{at}: field `{name}` defined twice"));
                    }
                    t.fields.push(field);
                }
                ["package", _] => current = None,
                ["type", name, ..] => current = by_name.get(*name).copied(),
                _ => return Err(format!("{at}: cannot read `{}`", line.trim())),
            }
        }
    }
    Ok(Schemas { types, by_name })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KINDS;

    #[test]
    fn schemas_parse_and_describe_every_kind_the_store_holds() {
        let s = parse(SOURCES).unwrap();
        for k in KINDS {
            let t = s.kind(k.group, k.kind).unwrap_or_else(|| panic!("no schema for {}", k.kind));
            assert!(t.field("metadata").is_some(), "{} has no metadata", k.kind);
        }
        let containers = s.named("PodSpec").unwrap().field("containers").unwrap();
        assert_eq!(containers.merge_key.as_deref(), Some("name"));
        assert!(containers.merges() && containers.required);
        assert_eq!(s.named("ServiceSpec").unwrap().field("ports").unwrap().merge_key.as_deref(), Some("port"));
        assert_eq!(s.kind("apps", "Deployment").unwrap().id, "io.k8s.api.apps.v1.Deployment");
    }

    #[test]
    fn malformed_lines_name_their_place() {
        let e = parse(&[("x.txt", "package p\ntype A\n  b Nope \"\"\n")]).unwrap_err();
        assert_eq!(e, "x.txt:3: unknown type `Nope`");
        let e = parse(&[("x.txt", "package p\ntype A\n  b string bogus\n")]).unwrap_err();
        assert_eq!(e, "x.txt:3: unknown flag `bogus`");
    }
}

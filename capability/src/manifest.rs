//! The capability manifest: the contract a security reviewer signs. The compiler writes it into
//! the component; the runtime, `playbook manifest` and `playbook verify` read it back with `read`,
//! strictly: what a reviewer was shown is exactly what is enforced.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::effect::Effect;

/// The version of the manifest format this crate writes and reads.
pub const MANIFEST_VERSION: u32 = 2;

/// The whole manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub manifest_version: u32,
    pub playbook: Playbook,
    #[serde(default)]
    pub inputs: Vec<Input>,
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub manual: Vec<Manual>,
}

/// Which runbook the manifest is of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub name: String,
    #[serde(default)]
    pub source_file: String,
    #[serde(default)]
    pub source_sha256: String,
}

/// Where an input's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputSource {
    /// `<machine-id>`: given with `--input` or answered at a prompt.
    Placeholder,
    /// `$ADMIN_TOKEN`: `--input`, else the environment.
    Env,
}

/// One input of the playbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub name: String,
    #[serde(default)]
    pub secret: bool,
    pub source: InputSource,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub origin: String,
}

fn yes() -> bool {
    true
}

// serde's `skip_serializing_if` hands the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// One permission: a capability with its effect on an exact scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub id: String,
    pub capability: String,
    pub effect: Effect,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "is_false")]
    pub privileged: bool,
    /// Streamed for at most this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounded_seconds: Option<u32>,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub steps: Vec<String>,
}

/// A command the operator performs by hand: never run, only shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    pub command: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub step: String,
}

/// A grant's scope: keys in order, each once (a duplicate key is an error, not a silent
/// overwrite: a reviewer's tool may have shown the other value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope(pub Vec<(String, String)>);

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Scope;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a scope: an object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scope, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    if out.iter().any(|(o, _)| *o == k) {
                        return Err(serde::de::Error::custom(format!("duplicate scope key `{}`", k.escape_default())));
                    }
                    out.push((k, v));
                }
                Ok(Scope(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Characters that show as nothing, or change how text around them is shown: zero-width
/// spaces and joiners, bidirectional overrides, soft hyphens, variation selectors, tags and
/// controls. A reviewer cannot see them, so no grant may hold them.
#[must_use]
pub fn invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00..=0x1f | 0x7f..=0x9f | 0xad | 0x34f | 0x61c | 0x115f | 0x1160 | 0x17b4 | 0x17b5
        | 0x180b..=0x180f | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0x3164
        | 0xfe00..=0xfe0f | 0xfeff | 0xffa0 | 0xfff0..=0xfffb | 0xe0000..=0xe0fff)
}

/// Scope keys holding free text (paths, arguments, bodies, option values): non-ASCII letters are
/// legitimate there (`café.log`, `grep "größe"`); invisible characters are not.
fn free_text(key: &str) -> bool {
    key.starts_with('-')
        || key.starts_with("env.")
        || key.starts_with("header.")
        || matches!(
            key,
            "path" | "from" | "file" | "argv" | "command" | "body" | "headers" | "env" | "operands" | "images"
        )
}

/// Why a scope value could mislead its reviewer, if it could: an invisible character anywhere,
/// or any non-ASCII character in a name, a host or a program (a Cyrillic `е` in `wеb`).
#[must_use]
pub fn confusing(key: &str, value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| invisible(*c)) {
        return Some(format!("an invisible character U+{:04X}", u32::from(c)));
    }
    let checked = if free_text(key) {
        ""
    } else if key == "url" {
        // The authority only: a path may hold any (percent-encoded or literal) text.
        let rest = value.split_once("://").map_or(value, |(_, r)| r);
        rest.split(['/', '?', '#']).next().unwrap_or_default()
    } else if key == "path" {
        ""
    } else {
        value
    };
    checked.chars().find(|c| !c.is_ascii()).map(|c| format!("the non-ASCII character U+{:04X} `{c}`", u32::from(c)))
}

/// Reads a manifest as the runtime and `playbook manifest` trust it: strict JSON (no duplicate
/// keys, no unknown fields, typed values), this `manifest_version`, capability names of the
/// vocabulary's shape and scopes a reviewer can read.
///
/// # Errors
/// The first thing that is not so, naming where it is.
pub fn read(text: &str) -> Result<Manifest, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let version: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not a manifest: {e}"))?;
    if let Some(v) = version.get("manifest_version")
        && v != MANIFEST_VERSION
    {
        return Err(format!("manifest_version {v} is not one this playbook reads (it reads {MANIFEST_VERSION})"));
    }
    let m: Manifest = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            format!("not a manifest: {}", e.inner())
        } else {
            format!("not a manifest: {path}: {}", e.inner())
        }
    })?;
    de.end().map_err(|e| format!("not a manifest: {e}"))?;
    m.check()?;
    Ok(m)
}

impl Manifest {
    /// The manifest as JSON (the form of the custom section and the trace).
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Checks what the types alone do not: names and scopes a reviewer can read.
    ///
    /// # Errors
    /// The first value that is not so.
    pub fn check(&self) -> Result<(), String> {
        if self.manifest_version != MANIFEST_VERSION {
            return Err(format!(
                "manifest_version {} is not one this playbook reads (it reads {MANIFEST_VERSION})",
                self.manifest_version
            ));
        }
        for (i, input) in self.inputs.iter().enumerate() {
            if input.name.is_empty() || !input.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("inputs[{i}]: `{}` is not an input name", input.name.escape_default()));
            }
        }
        for (i, g) in self.grants.iter().enumerate() {
            let shaped = g.capability.split('.').count() >= 2
                && g.capability
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            if !shaped {
                return Err(format!("grants[{i}]: `{}` is not a capability name", g.capability.escape_default()));
            }
            for (k, v) in &g.scope.0 {
                if let Some(why) = confusing(k, v).or_else(|| confusing("key", k)) {
                    return Err(format!(
                        "grants[{i}]: the scope {} `{}` holds {why}",
                        k.escape_default(),
                        v.escape_default()
                    ));
                }
            }
        }
        Ok(())
    }

    /// A readable form for reviewers, grouped by effect, with red flags.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Manifest of \"{}\"", self.playbook.name);
        let _ = writeln!(out, "  source  {}  sha256:{}", self.playbook.source_file, self.playbook.source_sha256);
        let _ = writeln!(out);
        if self.inputs.is_empty() {
            let _ = writeln!(out, "Inputs: none");
        } else {
            let _ = writeln!(out, "Inputs ({})", self.inputs.len());
            for i in &self.inputs {
                let kind = match (i.source, i.required) {
                    (InputSource::Placeholder, _) => "required",
                    (InputSource::Env, false) => "optional, from env",
                    (InputSource::Env, true) => "from environment",
                };
                let secret = if i.secret { "  SECRET" } else { "" };
                let _ = writeln!(out, "  {:<24} {:<18}{}  {}", i.name, kind, secret, i.origin);
            }
        }
        for effect in Effect::ALL {
            let gs: Vec<&Grant> = self.grants.iter().filter(|g| g.effect == effect).collect();
            if gs.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let flag = match effect {
                Effect::Read => "",
                Effect::Write => "  (asks before running)",
                Effect::Destructive => "  (asks before running; irreversible)",
                Effect::Exec => "  (!) runs arbitrary code",
            };
            let _ = writeln!(out, "{} ({}){flag}", effect.as_str().to_uppercase(), gs.len());
            for g in gs {
                let scope: Vec<String> = g
                    .scope
                    .0
                    .iter()
                    .filter(|(k, _)| {
                        g.capability != "http.request" || !matches!(k.as_str(), "scheme" | "host" | "port" | "path")
                    })
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let mut flags = String::new();
                if g.privileged {
                    flags.push_str("  (!) privileged");
                }
                if let Some(b) = g.bounded_seconds {
                    let _ = write!(flags, "  (bounded {b}s)");
                }
                let _ = writeln!(out, "  {:<4} {:<32} {}{}", g.id, g.capability, scope.join("  "), flags);
                let _ = writeln!(out, "       {}  in {}", g.origin, g.steps.join(", "));
            }
        }
        if !self.manual.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "MANUAL ({}): shown to the operator, never run by playbook", self.manual.len());
            for c in &self.manual {
                let _ = writeln!(out, "  {}  {}  ({})", c.origin, c.command, c.reason);
            }
        }
        out
    }
}

/// What identifies a grant across versions: not its id, line or steps, which move with edits.
fn same_grant(a: &Grant, b: &Grant) -> bool {
    a.capability == b.capability && a.effect == b.effect && a.scope == b.scope && a.privileged == b.privileged
}

fn same_input(a: &Input, b: &Input) -> bool {
    a.name == b.name && a.secret == b.secret && a.source == b.source && a.required == b.required
}

/// One side of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub grants: Vec<Grant>,
    pub inputs: Vec<Input>,
}

/// A scope key whose value differs between a lost grant and the gained grant that replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub capability: String,
    pub key: String,
    /// `None`: the key is new, or gone.
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The difference between two manifests: what `new` gains and what it loses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub old: Playbook,
    pub new: Playbook,
    pub gained: Changes,
    pub lost: Changes,
    /// For a gained grant with a lost one of the same capability: each scope key that differs.
    pub changed: Vec<Changed>,
}

impl Diff {
    /// Whether nothing was gained or lost.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.gained == Changes::default() && self.lost == Changes::default()
    }
}

/// The difference between two manifests.
#[must_use]
pub fn diff(old: &Manifest, new: &Manifest) -> Diff {
    let grants = |from: &[Grant], other: &[Grant]| -> Vec<Grant> {
        from.iter().filter(|g| !other.iter().any(|o| same_grant(g, o))).cloned().collect()
    };
    let inputs = |from: &[Input], other: &[Input]| -> Vec<Input> {
        from.iter().filter(|i| !other.iter().any(|o| same_input(i, o))).cloned().collect()
    };
    let gained = Changes { grants: grants(&new.grants, &old.grants), inputs: inputs(&new.inputs, &old.inputs) };
    let lost = Changes { grants: grants(&old.grants, &new.grants), inputs: inputs(&old.inputs, &new.inputs) };
    let mut changed = Vec::new();
    for g in &gained.grants {
        let Some(l) = lost.grants.iter().find(|l| l.capability == g.capability) else { continue };
        let get = |s: &Scope, k: &str| s.0.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        let mut keys: Vec<&String> = l.scope.0.iter().map(|(k, _)| k).collect();
        keys.extend(g.scope.0.iter().map(|(k, _)| k).filter(|k| !l.scope.0.iter().any(|(lk, _)| lk == *k)));
        for k in keys {
            let (old, new) = (get(&l.scope, k), get(&g.scope, k));
            if old != new {
                changed.push(Changed { capability: g.capability.clone(), key: k.clone(), old, new });
            }
        }
        if l.effect != g.effect {
            changed.push(Changed {
                capability: g.capability.clone(),
                key: "effect".into(),
                old: Some(l.effect.to_string()),
                new: Some(g.effect.to_string()),
            });
        }
        if l.privileged != g.privileged {
            changed.push(Changed {
                capability: g.capability.clone(),
                key: "privileged".into(),
                old: Some(l.privileged.to_string()),
                new: Some(g.privileged.to_string()),
            });
        }
    }
    Diff { old: old.playbook.clone(), new: new.playbook.clone(), gained, lost, changed }
}

/// The reviewer's view of a manifest diff.
#[must_use]
pub fn diff_text(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "--- {} (sha256:{})", d.old.source_file, d.old.source_sha256);
    let _ = writeln!(out, "+++ {} (sha256:{})", d.new.source_file, d.new.source_sha256);
    for (sign, side) in [('+', &d.gained), ('-', &d.lost)] {
        for i in &side.inputs {
            let secret = if i.secret { " SECRET" } else { "" };
            let source = match i.source {
                InputSource::Placeholder => "placeholder",
                InputSource::Env => "env",
            };
            let _ = writeln!(out, "{sign} input {} ({source}){secret}  {}", i.name, i.origin);
        }
        for g in &side.grants {
            let scope: Vec<String> = g.scope.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let flag = match (g.effect, g.privileged) {
                (_, true) => "  (!) privileged",
                (Effect::Exec, _) => "  (!) runs arbitrary code",
                _ => "",
            };
            let _ = writeln!(
                out,
                "{sign} {:<11} {:<32} {}{flag}  {}",
                g.effect.as_str(),
                g.capability,
                scope.join("  "),
                g.origin
            );
        }
    }
    for c in &d.changed {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        let _ = writeln!(out, "~ {} {}: {} → {}", c.capability, c.key, show(&c.old), show(&c.new));
    }
    if d.is_empty() {
        let _ = writeln!(out, "  no capability or input gained or lost");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(scope: &str) -> String {
        format!(
            r#"{{"manifest_version":2,"playbook":{{"name":"t"}},"grants":[{{"id":"g1","capability":"docker.container.restart","effect":"write","scope":{scope}}}]}}"#
        )
    }

    #[test]
    fn reads_a_manifest_and_refuses_what_is_not_one() {
        let m = read(&manifest(r#"{"container":"web"}"#)).unwrap();
        assert_eq!(m.grants[0].scope.0, vec![("container".to_string(), "web".to_string())]);
        let err = read(&manifest(r#"{"container":"web","container":"db"}"#)).unwrap_err();
        assert!(err.contains("duplicate scope key `container`"), "{err}");
        let err = read(&manifest(r#"{"container":"w\u0435b"}"#)).unwrap_err();
        assert!(err.contains("non-ASCII"), "{err}");
        let err = read(r#"{"manifest_version":2,"playbook":{"name":"t"},"grants":[],"extra":1}"#).unwrap_err();
        assert!(err.contains("unknown field `extra`"), "{err}");
        let err = read(r#"{"manifest_version":1,"playbook":{"name":"t"},"grants":[]}"#).unwrap_err();
        assert!(err.contains("manifest_version 1"), "{err}");
        let err = read(r#"{"manifest_version":2,"playbook":{"name":"t"},"grants":[{"id":"g1","capability":"x.y","effect":"rule","scope":{}}]}"#).unwrap_err();
        assert!(err.contains("grants[0].effect"), "{err}");
        let err =
            read(r#"{"manifest_version":2,"manifest_version":2,"playbook":{"name":"t"},"grants":[]}"#).unwrap_err();
        assert!(err.contains("duplicate field"), "{err}");
    }

    #[test]
    fn a_diff_names_the_scope_key_that_changed() {
        let a = read(&manifest(r#"{"container":"web"}"#)).unwrap();
        let b = read(&manifest(r#"{"container":"web","--env-file":"/outside/s.env"}"#)).unwrap();
        let d = diff(&a, &b);
        assert!(!d.is_empty());
        assert!(
            diff_text(&d).contains("~ docker.container.restart --env-file: (none) → /outside/s.env"),
            "{}",
            diff_text(&d)
        );
        assert!(diff(&a, &a).is_empty());
    }
}

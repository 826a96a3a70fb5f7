//! The capability manifest: the contract a security reviewer signs off, inferred from the graph.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::action::{Effect, Mode, Need};
use crate::graph::{NodeKind, StepGraph};
use crate::shell::{RedirectOp, Simple};
use crate::source::{Source, Span};

pub const MANIFEST_VERSION: u32 = 1;

/// One permission: a capability on an exact scope, with where it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    pub id: String,
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
    pub privileged: bool,
    /// Streamed for at most this many seconds.
    pub bounded: Option<u32>,
    pub span: Span,
    pub steps: Vec<String>,
}

/// A command the operator performs by hand: not granted, only shown.
#[derive(Clone, Debug, Serialize)]
pub struct ManualCommand {
    pub command: String,
    pub reason: String,
    pub span: Span,
    pub step: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub name: String,
    pub source_file: String,
    pub source_sha256: String,
    pub inputs: Vec<crate::graph::Input>,
    pub grants: Vec<Grant>,
    pub manual: Vec<ManualCommand>,
    /// `(command span, capability, grant index)` for every need: how the code generator finds
    /// the grant each request carries.
    #[serde(skip)]
    pub uses: Vec<(Span, String, u32)>,
}

/// Capabilities a simple command's redirections need.
fn redirect_needs(s: &Simple) -> Vec<Need> {
    s.redirects
        .iter()
        .filter_map(|r| {
            let path = r.file()?.template();
            Some(match r.op {
                RedirectOp::Read => Need::new("fs.read", Effect::Read).with("path", path),
                RedirectOp::Append | RedirectOp::WriteBoth { append: true } => {
                    Need::new("fs.append", Effect::Write).with("path", path)
                }
                _ => Need::new("fs.write", Effect::Destructive).with("path", path),
            })
        })
        .collect()
}

/// Infers the manifest: one grant per distinct (capability, effect, scope, privilege).
#[must_use]
pub fn infer(source: &Source, graph: &StepGraph, sha256: &str) -> Manifest {
    let mut grants: Vec<Grant> = Vec::new();
    let mut manual = Vec::new();
    let mut uses: Vec<(Span, String, u32)> = Vec::new();
    // The working directory as `cd` leaves it, in document order: relative paths are
    // granted where they will really be (choices and loops are not followed).
    let mut cwd: Option<String> = None;
    graph.walk(&mut |node| {
        let Some(script) = StepGraph::script(node) else { return };
        let in_manual_node = matches!(node.kind, NodeKind::Manual { .. });
        script.visit_simple(&mut |s| {
            if let Mode::Manual { reason } = &s.mode {
                manual.push(ManualCommand {
                    command: source.slice(s.span).split_whitespace().collect::<Vec<_>>().join(" "),
                    reason: reason.clone(),
                    span: s.span,
                    step: node.id.clone(),
                });
                return;
            }
            let _ = in_manual_node;
            if let crate::action::Action::Builtin(b) = &s.action
                && b.name == "cd"
            {
                let target = b.args.first().map_or_else(|| "~".to_string(), crate::shell::Word::template);
                cwd = Some(join(cwd.as_deref(), &target));
            }
            let bounded = if let Mode::Bounded { seconds, .. } = s.mode { Some(seconds) } else { None };
            for mut need in s.action.needs().into_iter().chain(redirect_needs(s)) {
                if need.capability.starts_with("fs.") {
                    for (k, v) in &mut need.scope {
                        if k == "path" || k == "from" {
                            *v = v.split(' ').map(|p| join(cwd.as_deref(), p)).collect::<Vec<_>>().join(" ");
                        }
                    }
                }
                if matches!(s.action, crate::action::Action::Process(_))
                    && need.capability == "process.exec"
                    && !s.assignments.is_empty()
                {
                    let env: Vec<String> = s.assignments.iter().map(|(k, v)| format!("{k}={}", v.template())).collect();
                    need.scope.push(("env".into(), env.join(" ")));
                }
                let privileged = s.privileged || matches!(&s.action, crate::action::Action::Docker(d) if d.privileged);
                if let Some((gi, g)) = grants.iter_mut().enumerate().find(|(_, g)| {
                    g.capability == need.capability
                        && g.effect == need.effect
                        && g.scope == need.scope
                        && g.privileged == privileged
                }) {
                    if !g.steps.contains(&node.id) {
                        g.steps.push(node.id.clone());
                    }
                    g.bounded = g.bounded.max(bounded);
                    uses.push((s.span, g.capability.clone(), u32::try_from(gi).unwrap_or(u32::MAX)));
                    continue;
                }
                uses.push((s.span, need.capability.clone(), u32::try_from(grants.len()).unwrap_or(u32::MAX)));
                grants.push(Grant {
                    id: format!("g{}", grants.len() + 1),
                    capability: need.capability,
                    effect: need.effect,
                    scope: need.scope,
                    privileged,
                    bounded,
                    span: s.span,
                    steps: vec![node.id.clone()],
                });
            }
        });
    });
    Manifest {
        name: graph.title.clone(),
        source_file: source.file_name().to_string(),
        source_sha256: sha256.to_string(),
        inputs: graph.inputs.clone(),
        grants,
        manual,
        uses,
    }
}

/// `base/path`, unless `path` is absolute, home-relative or `base` is unknown.
pub fn join(base: Option<&str>, path: &str) -> String {
    match base {
        Some(b) if !path.starts_with(['/', '~']) => {
            let p = path.strip_prefix("./").unwrap_or(path);
            if p == "." { b.to_string() } else { format!("{}/{p}", b.trim_end_matches('/')) }
        }
        _ => path.to_string(),
    }
}

impl Manifest {
    /// The JSON form of DESIGN §4, deterministic key order.
    #[must_use]
    pub fn to_json(&self, source: &Source) -> Value {
        let inputs: Vec<Value> = self
            .inputs
            .iter()
            .map(|i| json!({ "name": i.name, "secret": i.secret, "source": i.source, "required": i.required, "origin": source.origin(i.span.start) }))
            .collect();
        let grants: Vec<Value> = self
            .grants
            .iter()
            .map(|g| {
                let mut scope = Map::new();
                for (k, v) in &g.scope {
                    scope.insert(k.clone(), Value::String(v.clone()));
                }
                let mut o = Map::new();
                o.insert("id".into(), json!(g.id));
                o.insert("capability".into(), json!(g.capability));
                o.insert("effect".into(), json!(g.effect));
                o.insert("scope".into(), Value::Object(scope));
                if g.privileged {
                    o.insert("privileged".into(), json!(true));
                }
                if let Some(b) = g.bounded {
                    o.insert("bounded_seconds".into(), json!(b));
                }
                o.insert("origin".into(), json!(source.origin(g.span.start)));
                o.insert("steps".into(), json!(g.steps));
                Value::Object(o)
            })
            .collect();
        let manual: Vec<Value> = self
            .manual
            .iter()
            .map(|m| json!({ "command": m.command, "reason": m.reason, "origin": source.origin(m.span.start), "step": m.step }))
            .collect();
        json!({
            "manifest_version": MANIFEST_VERSION,
            "playbook": { "name": self.name, "source_file": self.source_file, "source_sha256": self.source_sha256 },
            "inputs": inputs,
            "grants": grants,
            "manual": manual,
        })
    }

    /// A readable form for reviewers, grouped by effect, with red flags.
    #[must_use]
    pub fn to_text(&self, source: &Source) -> String {
        text_of(&self.to_json(source))
    }
}

/// The reviewer's text form, rendered from the manifest JSON (so a compiled component, which
/// carries only the JSON, prints exactly what the source does).
#[must_use]
pub fn text_of(m: &Value) -> String {
    use std::fmt::Write as _;
    let str_of = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out = String::new();
    let _ = writeln!(out, "Manifest of \"{}\"", str_of(&m["playbook"]["name"]));
    let _ = writeln!(
        out,
        "  source  {}  sha256:{}",
        str_of(&m["playbook"]["source_file"]),
        str_of(&m["playbook"]["source_sha256"])
    );
    let _ = writeln!(out);
    let empty = Vec::new();
    let inputs = m["inputs"].as_array().unwrap_or(&empty);
    if inputs.is_empty() {
        let _ = writeln!(out, "Inputs: none");
    } else {
        let _ = writeln!(out, "Inputs ({})", inputs.len());
        for i in inputs {
            let kind = match (i["source"].as_str(), i["required"].as_bool()) {
                (Some("placeholder"), _) => "required",
                (_, Some(false)) => "optional, from env",
                _ => "from environment",
            };
            let secret = if i["secret"] == true { "  SECRET" } else { "" };
            let _ = writeln!(out, "  {:<24} {:<18}{}  {}", str_of(&i["name"]), kind, secret, str_of(&i["origin"]));
        }
    }
    let grants = m["grants"].as_array().unwrap_or(&empty);
    for effect in [Effect::Read, Effect::Write, Effect::Destructive, Effect::Exec] {
        let gs: Vec<&Value> = grants.iter().filter(|g| g["effect"] == effect.as_str()).collect();
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
            let capability = str_of(&g["capability"]);
            let scope: Vec<String> = g["scope"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, _)| {
                            capability != "http.request" || !matches!(k.as_str(), "scheme" | "host" | "port" | "path")
                        })
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            let mut flags = String::new();
            if g["privileged"] == true {
                flags.push_str("  (!) privileged");
            }
            if let Some(b) = g["bounded_seconds"].as_u64() {
                let _ = write!(flags, "  (bounded {b}s)");
            }
            let steps: Vec<String> = g["steps"].as_array().map(|a| a.iter().map(str_of).collect()).unwrap_or_default();
            let _ = writeln!(out, "  {:<4} {:<32} {}{}", str_of(&g["id"]), capability, scope.join("  "), flags);
            let _ = writeln!(out, "       {}  in {}", str_of(&g["origin"]), steps.join(", "));
        }
    }
    let manual = m["manual"].as_array().unwrap_or(&empty);
    if !manual.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "MANUAL ({}): shown to the operator, never run by playbook", manual.len());
        for c in manual {
            let _ = writeln!(out, "  {}  {}  ({})", str_of(&c["origin"]), str_of(&c["command"]), str_of(&c["reason"]));
        }
    }
    out
}

/// What identifies a grant across versions: not its id or line, which move with edits.
fn grant_key(g: &Value) -> Value {
    json!({
        "capability": g["capability"],
        "effect": g["effect"],
        "scope": g["scope"],
        "privileged": g["privileged"].as_bool().unwrap_or(false),
    })
}

fn input_key(i: &Value) -> Value {
    json!({ "name": i["name"], "secret": i["secret"], "source": i["source"], "required": i["required"] })
}

/// The difference between two manifests (JSON): what `new` gains and what it loses.
#[must_use]
pub fn diff(old: &Value, new: &Value) -> Value {
    let empty = Vec::new();
    let list = |m: &Value, k: &str| m[k].as_array().unwrap_or(&empty).clone();
    let only = |from: &[Value], other: &[Value], key: &dyn Fn(&Value) -> Value| -> Vec<Value> {
        let other: Vec<Value> = other.iter().map(key).collect();
        from.iter().filter(|x| !other.contains(&key(x))).cloned().collect()
    };
    let (og, ng) = (list(old, "grants"), list(new, "grants"));
    let (oi, ni) = (list(old, "inputs"), list(new, "inputs"));
    json!({
        "old": old["playbook"],
        "new": new["playbook"],
        "gained": { "grants": only(&ng, &og, &grant_key), "inputs": only(&ni, &oi, &input_key) },
        "lost": { "grants": only(&og, &ng, &grant_key), "inputs": only(&oi, &ni, &input_key) },
    })
}

/// The reviewer's view of a manifest diff.
#[must_use]
pub fn diff_text(d: &Value) -> String {
    use std::fmt::Write as _;
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out = String::new();
    let _ = writeln!(out, "--- {} (sha256:{})", s(&d["old"]["source_file"]), s(&d["old"]["source_sha256"]));
    let _ = writeln!(out, "+++ {} (sha256:{})", s(&d["new"]["source_file"]), s(&d["new"]["source_sha256"]));
    let mut any = false;
    for (sign, side) in [('+', "gained"), ('-', "lost")] {
        for i in d[side]["inputs"].as_array().into_iter().flatten() {
            any = true;
            let secret = if i["secret"] == true { " SECRET" } else { "" };
            let _ = writeln!(out, "{sign} input {} ({}){secret}  {}", s(&i["name"]), s(&i["source"]), s(&i["origin"]));
        }
        for g in d[side]["grants"].as_array().into_iter().flatten() {
            any = true;
            let scope: Vec<String> = g["scope"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect())
                .unwrap_or_default();
            let flag = match (s(&g["effect"]).as_str(), g["privileged"] == true) {
                (_, true) => "  (!) privileged",
                ("exec", _) => "  (!) runs arbitrary code",
                _ => "",
            };
            let _ = writeln!(
                out,
                "{sign} {:<11} {:<32} {}{flag}  {}",
                s(&g["effect"]),
                s(&g["capability"]),
                scope.join("  "),
                s(&g["origin"])
            );
        }
    }
    if !any {
        let _ = writeln!(out, "  no capability or input gained or lost");
    }
    out
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

/// Scope keys holding free text (paths, arguments, patches): non-ASCII letters are legitimate
/// there (`café.log`, `grep "größe"`); invisible characters are not.
const FREE_TEXT_KEYS: &[&str] = &["path", "from", "file", "argv", "command", "patch"];

/// Why a scope value could mislead its reviewer, if it could: an invisible character anywhere,
/// or any non-ASCII character in a name, a host or a program (a Cyrillic `е` in `wеb`).
#[must_use]
pub fn confusing(key: &str, value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| invisible(*c)) {
        return Some(format!("an invisible character U+{:04X}", u32::from(c)));
    }
    let checked = if FREE_TEXT_KEYS.contains(&key) {
        ""
    } else if key == "url" {
        // The authority only: a path may hold any (percent-encoded or literal) text.
        let rest = value.split_once("://").map_or(value, |(_, r)| r);
        rest.split(['/', '?', '#']).next().unwrap_or_default()
    } else {
        value
    };
    checked.chars().find(|c| !c.is_ascii()).map(|c| format!("the non-ASCII character U+{:04X} `{c}`", u32::from(c)))
}

/// A target written with a character that can hide another one: an error at the command.
#[must_use]
pub fn confusable(m: &Manifest) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Kind};
    let mut out = Vec::new();
    for g in &m.grants {
        for (k, v) in &g.scope {
            if let Some(why) = confusing(k, v) {
                out.push(
                    Diagnostic::error(
                        Kind::ConfusableName,
                        g.span,
                        format!("the {k} `{}` of {} holds {why}", v.escape_default(), g.capability),
                    )
                    .with_label("may hide another target")
                    .with_help(
                        "write names and hosts in plain ASCII (an IDN host as its xn-- form); a reviewer must see the exact target",
                    ),
                );
            }
        }
    }
    out
}

/// JSON read without losing anything a reviewer might have been shown: a duplicate key is an
/// error (serde_json keeps the last one silently, a reviewer's tool may show the first).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format!("duplicate key `{k}`")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Checks that `v` is an object with only the `allowed` keys and all the `required` ones.
fn fields(v: &Value, what: &str, allowed: &[&str], required: &[&str]) -> Result<(), String> {
    let o = v.as_object().ok_or_else(|| format!("{what} is not an object"))?;
    if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("{what} has an unknown field `{}`", k.escape_default()));
    }
    if let Some(k) = required.iter().find(|k| !o.contains_key(**k)) {
        return Err(format!("{what} lacks the field `{k}`"));
    }
    Ok(())
}

fn text<'v>(v: &'v Value, what: &str) -> Result<&'v str, String> {
    v.as_str().ok_or_else(|| format!("{what} is not a string"))
}

/// Reads a manifest as the runtime and `playbook manifest` trust it: strict JSON (no duplicate
/// keys), `manifest_version` 1, no unknown fields, typed values, capability names of the
/// vocabulary's shape and scopes a reviewer can read (no invisible characters, no non-ASCII
/// names or hosts). What a reviewer was shown is then exactly what is enforced.
///
/// # Errors
/// The first thing that is not so, as text.
pub fn read(text_: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text_);
    let Strict(m) = serde::Deserialize::deserialize(&mut de).map_err(|e| format!("not a manifest: {e}"))?;
    de.end().map_err(|e| format!("not a manifest: {e}"))?;
    fields(
        &m,
        "the manifest",
        &["manifest_version", "playbook", "inputs", "grants", "manual"],
        &["manifest_version", "playbook", "grants"],
    )?;
    if m["manifest_version"] != MANIFEST_VERSION {
        return Err(format!(
            "manifest_version {} is not one this playbook reads (it reads {MANIFEST_VERSION})",
            m["manifest_version"]
        ));
    }
    fields(&m["playbook"], "playbook", &["name", "source_file", "source_sha256"], &["name"])?;
    for (i, input) in m["inputs"].as_array().map_or(&[][..], Vec::as_slice).iter().enumerate() {
        let what = format!("input {i}");
        fields(input, &what, &["name", "secret", "source", "required", "origin"], &["name"])?;
        let name = text(&input["name"], &what)?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("{what}: `{}` is not an input name", name.escape_default()));
        }
    }
    if !m["inputs"].is_null() && !m["inputs"].is_array() {
        return Err("inputs is not a list".into());
    }
    let grants = m["grants"].as_array().ok_or("grants is not a list")?;
    for (i, g) in grants.iter().enumerate() {
        let what = format!("grant {i}");
        fields(
            g,
            &what,
            &["id", "capability", "effect", "scope", "privileged", "bounded_seconds", "origin", "steps"],
            &["id", "capability", "effect", "scope"],
        )?;
        let cap = text(&g["capability"], &what)?;
        let shaped = cap.split('.').count() >= 2
            && cap.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        if !shaped {
            return Err(format!("{what}: `{}` is not a capability name", cap.escape_default()));
        }
        if !matches!(text(&g["effect"], &what)?, "read" | "write" | "destructive" | "exec") {
            return Err(format!("{what}: unknown effect {}", g["effect"]));
        }
        let scope = g["scope"].as_object().ok_or_else(|| format!("{what}: scope is not an object"))?;
        for (k, v) in scope {
            let v = text(v, &format!("{what}: scope {k}"))?;
            if let Some(why) = confusing(k, v).or_else(|| confusing("key", k)) {
                return Err(format!("{what}: the scope {} `{}` holds {why}", k.escape_default(), v.escape_default()));
            }
        }
        if !g["privileged"].is_null() && !g["privileged"].is_boolean() {
            return Err(format!("{what}: privileged is not true or false"));
        }
        if !g["bounded_seconds"].is_null() && !g["bounded_seconds"].is_u64() {
            return Err(format!("{what}: bounded_seconds is not a number of seconds"));
        }
    }
    for (i, manual) in m["manual"].as_array().map_or(&[][..], Vec::as_slice).iter().enumerate() {
        fields(manual, &format!("manual command {i}"), &["command", "reason", "origin", "step"], &["command"])?;
    }
    Ok(m)
}

//! Every host call is checked here, on the typed request, against the manifest embedded in the
//! component and the operator's policy: manifest ∩ policy, deny by default.
//!
//! The request is turned back into the compiler's own `Need` (capability and exact scope), so the
//! host judges a call exactly as the reviewer's manifest describes it. Scope values in the
//! manifest may hold holes (`{input.machine_id}`, `{var.m}`, ``{output of `…`}``); a hole
//! accepts one plain value: not empty, not starting with `-`, no `/`, no `.`/`..`, no blanks and
//! no shell metacharacters. A command's output, split into words by the shell, may give zero or
//! more such values. Changes (`write`, `destructive`, `exec`) then need a confirmation,
//! which fails closed when nobody can give it.

use playbook_compiler::action::{Effect, Need};
use serde_json::Value;

/// One grant of the embedded manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub index: u32,
    pub id: String,
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
    pub privileged: bool,
}

/// Why a call is refused; recorded in the trace and shown to the operator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("no grant of the manifest allows {capability} with {scope}")]
    NotInManifest { capability: String, scope: String },
    #[error("the operator's policy denies {capability} (rule `{rule}`)")]
    PolicyDenies { capability: String, rule: String },
    #[error("{capability} is privileged (sudo) and the operator's policy does not allow privileged calls")]
    Privileged { capability: String },
    #[error("{effect} call {capability} needs a confirmation and nobody can give one (no terminal, no --yes)")]
    Unconfirmed { capability: String, effect: &'static str },
    #[error("the operator declined {capability}")]
    Declined { capability: String },
    #[error("environment variable {name} may not be passed to a program")]
    Environment { name: String },
}

/// The grants of a manifest JSON (`playbook.manifest` section).
///
/// # Errors
/// When the JSON is not a manifest of a version this runtime reads.
pub fn grants_of(manifest: &Value) -> Result<Vec<Grant>, String> {
    if manifest["manifest_version"] != 1 {
        return Err(format!("unsupported manifest version {}", manifest["manifest_version"]));
    }
    let empty = Vec::new();
    let mut out = Vec::new();
    for (i, g) in manifest["grants"].as_array().unwrap_or(&empty).iter().enumerate() {
        let effect = match g["effect"].as_str() {
            Some("read") => Effect::Read,
            Some("write") => Effect::Write,
            Some("destructive") => Effect::Destructive,
            Some("exec") => Effect::Exec,
            other => return Err(format!("grant {i}: unknown effect {other:?}")),
        };
        let scope = g["scope"]
            .as_object()
            .ok_or_else(|| format!("grant {i}: no scope"))?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        out.push(Grant {
            index: u32::try_from(i).map_err(|_| "too many grants")?,
            id: g["id"].as_str().unwrap_or_default().to_string(),
            capability: g["capability"].as_str().unwrap_or_default().to_string(),
            effect,
            scope,
            privileged: g["privileged"].as_bool().unwrap_or(false),
        });
    }
    Ok(out)
}

/// The operator's side: allow/deny rules on capabilities, and how confirmations are answered.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Capability patterns (`docker.*`, `kube.deployments.scale`); empty allows what the
    /// manifest grants.
    pub allow: Vec<String>,
    /// Capability patterns always refused; they win over `allow`.
    pub deny: Vec<String>,
    /// Allow calls written with `sudo`.
    pub allow_privileged: bool,
    /// `--yes`: changes are confirmed without asking.
    pub yes: bool,
}

/// `docker.*` matches `docker.container.rm`; `*` matches everything.
fn pattern_matches(pattern: &str, capability: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => capability.starts_with(prefix),
        None => pattern == capability,
    }
}

impl Policy {
    /// Reads `{"allow": [...], "deny": [...], "allow_privileged": bool}`.
    ///
    /// # Errors
    /// When the file is not such a JSON object.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("policy is not JSON: {e}"))?;
        let list = |k: &str| -> Result<Vec<String>, String> {
            match &v[k] {
                Value::Null => Ok(Vec::new()),
                Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map(str::to_string).ok_or_else(|| format!("policy `{k}` holds a non-string")))
                    .collect(),
                _ => Err(format!("policy `{k}` must be a list of capability patterns")),
            }
        };
        Ok(Self {
            allow: list("allow")?,
            deny: list("deny")?,
            allow_privileged: v["allow_privileged"].as_bool().unwrap_or(false),
            yes: false,
        })
    }
}

/// Whether one value may fill a hole.
fn plain_value(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('-')
        && v != "."
        && v != ".."
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '@' | '+' | '=' | ',' | '%'))
}

/// One piece of a scope template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Lit(&'a str),
    /// `{input.x}`, `{var.x}`, `{status}`: exactly one plain value.
    One,
    /// ``{output of `cmd`}``: a command's output, split into words by the shell: zero or more
    /// plain values separated by single spaces.
    Words,
}

/// A scope template: literal pieces and holes.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    loop {
        let next =
            ["{input.", "{var.", "{output of `", "{status}"].iter().filter_map(|p| rest.find(p).map(|i| (i, *p))).min();
        let Some((at, kind)) = next else {
            if !rest.is_empty() {
                out.push(Piece::Lit(rest));
            }
            return out;
        };
        if at > 0 {
            out.push(Piece::Lit(&rest[..at]));
        }
        let close = if kind == "{output of `" {
            rest[at..].find("`}").map(|i| at + i + 2)
        } else {
            rest[at..].find('}').map(|i| at + i + 1)
        };
        let Some(end) = close else {
            out.push(Piece::Lit(&rest[at..]));
            return out;
        };
        out.push(if kind == "{output of `" { Piece::Words } else { Piece::One });
        rest = &rest[end..];
    }
}

/// Whether `v` is zero or more plain values separated by single spaces.
fn plain_words(v: &str) -> bool {
    v.is_empty() || v.split(' ').all(plain_value)
}

/// Whether `value` is an instance of `template`.
#[must_use]
pub fn template_matches(template: &str, value: &str) -> bool {
    fn go(ps: &[Piece<'_>], v: &str) -> bool {
        match ps.split_first() {
            None => v.is_empty(),
            Some((Piece::Lit(lit), rest)) => v.strip_prefix(lit).is_some_and(|r| go(rest, r)),
            Some((Piece::One, rest)) => {
                (1..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| plain_value(&v[..n]) && go(rest, &v[n..]))
            }
            Some((Piece::Words, rest)) => {
                (0..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| plain_words(&v[..n]) && go(rest, &v[n..]))
            }
        }
    }
    go(&pieces(template), value)
}

pub fn same_scope(grant: &[(String, String)], need: &[(String, String)]) -> bool {
    grant.len() == need.len()
        && grant.iter().all(|(k, t)| need.iter().any(|(nk, v)| nk == k && (t == v || template_matches(t, v))))
}

pub fn show_scope(scope: &[(String, String)]) -> String {
    scope.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

/// Finds the grant that allows `need` (preferring the one the request names) and applies the
/// operator's allow/deny rules. Confirmation is a separate step (`confirm`).
///
/// # Errors
/// The denial, when no grant matches or the policy refuses.
pub fn authorize<'g>(
    grants: &'g [Grant],
    policy: &Policy,
    named: u32,
    need: &Need,
    privileged: bool,
) -> Result<&'g Grant, Denial> {
    let fits =
        |g: &&Grant| g.capability == need.capability && g.privileged == privileged && same_scope(&g.scope, &need.scope);
    let grant =
        grants.iter().find(|g| g.index == named).filter(fits).or_else(|| grants.iter().find(fits)).ok_or_else(
            || Denial::NotInManifest { capability: need.capability.clone(), scope: show_scope(&need.scope) },
        )?;
    if let Some(rule) = policy.deny.iter().find(|p| pattern_matches(p, &need.capability)) {
        return Err(Denial::PolicyDenies { capability: need.capability.clone(), rule: rule.clone() });
    }
    if !policy.allow.is_empty() && !policy.allow.iter().any(|p| pattern_matches(p, &need.capability)) {
        return Err(Denial::PolicyDenies { capability: need.capability.clone(), rule: "not in allow".into() });
    }
    if privileged && !policy.allow_privileged {
        return Err(Denial::Privileged { capability: need.capability.clone() });
    }
    Ok(grant)
}

/// Asks before a change. `ask` is `None` when nobody can answer (no terminal): then only `--yes`
/// lets the call through.
///
/// # Errors
/// When the change is declined or cannot be confirmed.
pub fn confirm(grant: &Grant, policy: &Policy, ask: Option<&mut dyn FnMut(&Grant) -> bool>) -> Result<(), Denial> {
    if grant.effect == Effect::Read || policy.yes {
        return Ok(());
    }
    match ask {
        Some(ask) => {
            if ask(grant) {
                Ok(())
            } else {
                Err(Denial::Declined { capability: grant.capability.clone() })
            }
        }
        None => Err(Denial::Unconfirmed { capability: grant.capability.clone(), effect: grant.effect.as_str() }),
    }
}

/// Environment variables a program may not be handed, whatever the runbook says.
///
/// # Errors
/// The first forbidden name.
pub fn check_env<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<(), Denial> {
    for name in names {
        if name.starts_with("LD_")
            || name.starts_with("DYLD_")
            || matches!(name, "PATH" | "IFS" | "BASH_ENV" | "ENV" | "PYTHONPATH" | "NODE_OPTIONS")
        {
            return Err(Denial::Environment { name: name.to_string() });
        }
    }
    Ok(())
}

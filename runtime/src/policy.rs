//! Every host call is checked here, on the typed request, against the manifest embedded in the
//! component and the operator's policy: manifest ∩ policy, deny by default.
//!
//! The request's own `needs` (capability, effect and exact scope, from `playbook-capability`) are
//! compared with the grants a reviewer read, so the host judges a call exactly as the manifest
//! describes it. A grant allows a need with the same capability, privilege and scope (holes
//! filled by plain values) and an effect no greater than its own. Changes (`write`,
//! `destructive`, `exec`) then need a confirmation, which fails closed when nobody can give it.

use playbook_capability::manifest::Manifest;
use playbook_capability::policy::{PolicyDocument, pattern_matches};
use playbook_capability::scope::{same_scope_of, same_scope_on, show_scope, target_key};
use playbook_capability::{Effect, Need};

/// One grant of the embedded manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub index: u32,
    pub id: String,
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
    pub privileged: bool,
    pub bounded_seconds: Option<u32>,
}

/// Why a call is refused; recorded in the trace and shown to the operator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("no grant of the manifest allows {capability} with {scope}")]
    NotInManifest { capability: String, scope: String },
    #[error("{capability} is {effect}, but its grant `{grant}` is only {granted}")]
    EffectBeyondGrant { capability: String, effect: &'static str, grant: String, granted: &'static str },
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

/// The grants of a manifest, indexed as the component refers to them.
///
/// # Errors
/// When there are more grants than a request can name.
pub fn grants_of(manifest: &Manifest) -> Result<Vec<Grant>, String> {
    manifest
        .grants
        .iter()
        .enumerate()
        .map(|(i, g)| {
            Ok(Grant {
                index: u32::try_from(i).map_err(|_| "too many grants")?,
                id: g.id.clone(),
                capability: g.capability.clone(),
                effect: g.effect,
                scope: g.scope.0.clone(),
                privileged: g.privileged,
                bounded_seconds: g.bounded_seconds,
            })
        })
        .collect()
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
    /// What `exec` programs may reach beyond the granted root.
    pub exec: playbook_capability::policy::ExecPolicy,
}

impl From<PolicyDocument> for Policy {
    fn from(d: PolicyDocument) -> Self {
        Self { allow: d.allow, deny: d.deny, allow_privileged: d.allow_privileged, yes: false, exec: d.exec }
    }
}

impl Policy {
    /// Reads a policy document (`--policy FILE`) strictly: an unknown key or a wrong type is
    /// an error naming it.
    ///
    /// # Errors
    /// As `playbook_capability::policy::read`.
    pub fn from_json(text: &str) -> Result<Self, String> {
        playbook_capability::policy::read(text).map(Self::from)
    }
}

/// How a need's scope is compared with a grant's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Every key: the request as the backend receives it.
    Exact,
    /// Where it goes and what it carries, not the tool's options: the hop of a followed
    /// redirect, which sends the same request to a URL another grant must name.
    Target,
}

/// Finds the grant that allows `need` (preferring the one the request names) and applies the
/// operator's allow/deny rules. Confirmation is a separate step (`confirm`).
///
/// # Errors
/// The denial, when no grant matches, the need goes beyond its grant's effect, or the policy
/// refuses.
pub fn authorize<'g>(
    grants: &'g [Grant],
    policy: &Policy,
    named: u32,
    need: &Need,
    privileged: bool,
) -> Result<&'g Grant, Denial> {
    authorize_on(grants, policy, named, need, privileged, Match::Exact)
}

/// `authorize`, comparing scopes as `how` says.
///
/// # Errors
/// As `authorize`.
pub fn authorize_on<'g>(
    grants: &'g [Grant],
    policy: &Policy,
    named: u32,
    need: &Need,
    privileged: bool,
    how: Match,
) -> Result<&'g Grant, Denial> {
    let scope_fits = |g: &Grant| match how {
        Match::Exact => same_scope_of(&need.capability, &g.scope, &need.scope),
        Match::Target => same_scope_on(&g.scope, &need.scope, target_key),
    };
    let fits = |g: &&Grant| g.capability == need.capability && g.privileged == privileged && scope_fits(g);
    let candidates = || grants.iter().filter(fits);
    let grant = grants
        .iter()
        .find(|g| g.index == named)
        .filter(fits)
        .filter(|g| need.effect <= g.effect)
        .or_else(|| candidates().find(|g| need.effect <= g.effect))
        .ok_or_else(|| match candidates().next() {
            // The scope is granted, but for less than this call does (`scale --replicas=$N` with
            // N = 0 under a `write` grant).
            Some(g) => Denial::EffectBeyondGrant {
                capability: need.capability.clone(),
                effect: need.effect.as_str(),
                grant: g.id.clone(),
                granted: g.effect.as_str(),
            },
            None => Denial::NotInManifest { capability: need.capability.clone(), scope: show_scope(&need.scope) },
        })?;
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
    if !grant.effect.changes() || policy.yes {
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

//! The operator's policy document (`--policy FILE`): which capabilities a run may use, beyond
//! what the manifest grants. Read strictly: a typo such as `"dny"` is an error naming the key,
//! never a policy that silently allows everything.

use serde::Deserialize;

/// The version of the policy format.
pub const POLICY_VERSION: u32 = 1;

/// `{"version": 1, "allow": [...], "deny": [...], "allow_privileged": false}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    /// The format version; absent means 1.
    #[serde(default)]
    pub version: Option<u32>,
    /// Capability patterns (`docker.*`, `kube.deployments.scale`); empty allows what the manifest
    /// grants.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Capability patterns always refused; they win over `allow`.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Allow calls written with `sudo` (and privileged containers).
    #[serde(default)]
    pub allow_privileged: bool,
    /// What a program with effect `exec` may reach beyond the granted root, once confirmed.
    #[serde(default)]
    pub exec: ExecPolicy,
}

/// The jail of `exec` programs: by default they write the granted root and read and run the
/// system's programs; these widen it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecPolicy {
    /// Absolute paths they may also read.
    #[serde(default)]
    pub read: Vec<String>,
    /// Absolute paths they may also write (`/tmp`).
    #[serde(default)]
    pub write: Vec<String>,
    /// Whether they may use the network.
    #[serde(default)]
    pub network: bool,
}

/// Reads a policy document.
///
/// # Errors
/// Invalid JSON, an unknown key, a value of the wrong type or another version, naming where.
pub fn read(text: &str) -> Result<PolicyDocument, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: PolicyDocument = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." { format!("policy: {}", e.inner()) } else { format!("policy: `{path}`: {}", e.inner()) }
    })?;
    de.end().map_err(|e| format!("policy: {e}"))?;
    if let Some(v) = doc.version
        && v != POLICY_VERSION
    {
        return Err(format!("policy: version {v} is not one this playbook reads (it reads {POLICY_VERSION})"));
    }
    if let Some(p) = doc.exec.read.iter().chain(&doc.exec.write).find(|p| !p.starts_with('/')) {
        return Err(format!("policy: `exec` paths are absolute; `{}` is not", p.escape_default()));
    }
    for p in doc.allow.iter().chain(&doc.deny) {
        let body = p.strip_suffix('*').unwrap_or(p);
        if body.contains('*')
            || p.is_empty()
            || !p.chars().all(|c| c.is_ascii_lowercase() || matches!(c, '.' | '-' | '*'))
        {
            return Err(format!(
                "policy: `{}` is not a capability pattern (`docker.*`, `fs.read`)",
                p.escape_default()
            ));
        }
    }
    Ok(doc)
}

/// `docker.*` matches `docker.container.rm`; `*` matches everything.
#[must_use]
pub fn pattern_matches(pattern: &str, capability: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => capability.starts_with(prefix),
        None => pattern == capability,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_or_a_wrong_type_is_refused_by_name() {
        assert!(read(r#"{"dny": ["fs.*"]}"#).unwrap_err().contains("unknown field `dny`"));
        let e = read(r#"{"deny": "fs.*"}"#).unwrap_err();
        assert!(e.contains("`deny`"), "{e}");
        let e = read(r#"{"allow_privileged": "yes"}"#).unwrap_err();
        assert!(e.contains("`allow_privileged`"), "{e}");
        assert!(read(r#"{"version": 2}"#).is_err());
        assert!(read(r#"{"deny": ["fs.*write"]}"#).is_err());
        let p = read(r#"{"version": 1, "deny": ["fs.*"], "allow_privileged": true}"#).unwrap();
        assert_eq!(p.deny, ["fs.*"]);
        assert!(p.allow_privileged);
        assert!(pattern_matches("docker.*", "docker.container.rm") && !pattern_matches("fs.read", "fs.readx"));
    }
}

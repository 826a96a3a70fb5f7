//! `playbook plan`: every effect of every path, as a tree over the choices and optional
//! sections (it never stops at a choice), with paths resolved against the workdir, globs
//! expanded by a read-only listing of it, and the inputs still missing. Nothing runs. The JSON
//! form is an approval: `playbook run --plan PLAN.json` makes only the changes it lists.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_capability::manifest::{Grant, InputSource, Manifest};
use serde_json::{Value, json};

use super::steps::{Graph, ids, line_of, str_of};

/// Format version of a plan document.
pub const PLAN_VERSION: u64 = 1;

/// What the plan is made against: the workdir (for paths and globs) and the inputs given.
struct Context<'a> {
    manifest: &'a Manifest,
    workdir: PathBuf,
    root: Option<cap_std::fs::Dir>,
    given: &'a BTreeMap<String, String>,
}

impl Context<'_> {
    /// Whether an input is at hand: given, or (an environment input, a secret) in the
    /// environment.
    fn has(&self, name: &str) -> bool {
        self.given.contains_key(name)
            || self
                .manifest
                .inputs
                .iter()
                .find(|i| i.name == name)
                .is_none_or(|i| (i.source == InputSource::Env || i.secret) && std::env::var_os(name).is_some())
    }

    /// The names a glob in the last component of `rel` matches in the workdir now (a
    /// read-only listing; a pattern in a directory part is not listed).
    fn matches(&self, rel: &str) -> Option<Vec<String>> {
        let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
        if !name.contains(['*', '?', '[']) || dir.contains(['*', '?', '[']) {
            return None;
        }
        let root = self.root.as_ref()?;
        let listed = if dir.is_empty() { "." } else { dir };
        let mut found: Vec<String> = root
            .read_dir(listed)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        (name.starts_with('.') || !n.starts_with('.'))
                            && playbook_capability::scope::component_matches(name, n)
                    })
                    .map(|n| if dir.is_empty() { n } else { format!("{dir}/{n}") })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        Some(found)
    }

    /// One effect of a step: its grant, with each file path resolved.
    fn effect(&self, g: &Grant) -> Value {
        let mut e = json!({
            "grant": g.id, "capability": g.capability, "effect": g.effect.as_str(),
            "changes": g.effect.changes(), "scope": g.scope, "origin": g.origin,
        });
        if g.privileged {
            e["privileged"] = true.into();
        }
        let mut resolved = serde_json::Map::new();
        let mut matches = serde_json::Map::new();
        for (k, v) in &g.scope.0 {
            if !playbook_capability::scope::path_key(&g.capability, k) {
                continue;
            }
            if v.contains('{') {
                resolved.insert(k.clone(), "(known when it runs)".into());
                continue;
            }
            let abs = if Path::new(v).is_absolute() { PathBuf::from(v) } else { self.workdir.join(v) };
            resolved.insert(k.clone(), abs.display().to_string().into());
            if let Some(m) = self.matches(v) {
                matches.insert(k.clone(), json!(m));
            }
        }
        if !resolved.is_empty() {
            e["resolved"] = resolved.into();
        }
        if !matches.is_empty() {
            e["matches"] = matches.into();
        }
        e
    }
}

/// The plan of one node of the graph, and of what it holds.
fn node(g: &Graph<'_>, n: &Value, cx: &Context<'_>) -> Value {
    let id = str_of(&n["id"]);
    let mut o = json!({ "id": id, "kind": n["kind"], "title": n["title"], "line": line_of(n) });
    let children = |list: &Value| -> Vec<Value> {
        ids(list).into_iter().filter_map(|c| g.by_id.get(c)).map(|c| node(g, c, cx)).collect()
    };
    match str_of(&n["kind"]) {
        "choice" => {
            let branches: Vec<Value> = n["branches"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| json!({ "id": b["id"], "title": b["title"], "about": b["about"], "nodes": children(&b["nodes"]) }))
                .collect();
            o["branches"] = json!(branches);
        }
        "optional" => {
            o["id"] = n["branch"].clone();
            o["why"] = n["why"].clone();
            o["about"] = n["about"].clone();
            o["nodes"] = json!(children(&n["nodes"]));
        }
        _ => {
            let effects: Vec<Value> = cx
                .manifest
                .grants
                .iter()
                .filter(|gr| gr.steps.iter().any(|s| s == id))
                .map(|gr| cx.effect(gr))
                .collect();
            o["effects"] = json!(effects);
            let inputs = ids(&n["inputs"]);
            o["inputs"] = json!(inputs);
            o["missing"] = json!(inputs.iter().filter(|i| !cx.has(i)).collect::<Vec<_>>());
            if n["kind"] == "manual" {
                o["by_hand"] = n["text"].clone();
            }
        }
    }
    o
}

/// Every change of every path, `(step, grant)`, in tree order.
fn changes(nodes: &[Value], out: &mut Vec<Value>) {
    for n in nodes {
        for e in n["effects"].as_array().into_iter().flatten().filter(|e| e["changes"] == true) {
            out.push(json!({
                "step": n["id"], "grant": e["grant"], "capability": e["capability"],
                "effect": e["effect"], "scope": e["scope"],
            }));
        }
        for b in n["branches"].as_array().into_iter().flatten() {
            changes(b["nodes"].as_array().map_or(&[][..], Vec::as_slice), out);
        }
        changes(n["nodes"].as_array().map_or(&[][..], Vec::as_slice), out);
    }
}

/// Inputs still missing, each with the steps that need it, in tree order.
fn missing(nodes: &[Value], out: &mut Vec<(String, Vec<String>)>) {
    for n in nodes {
        for m in ids(&n["missing"]) {
            let step = str_of(&n["id"]).to_string();
            match out.iter_mut().find(|(name, _)| name == m) {
                Some((_, steps)) => steps.push(step),
                None => out.push((m.to_string(), vec![step])),
            }
        }
        for b in n["branches"].as_array().into_iter().flatten() {
            missing(b["nodes"].as_array().map_or(&[][..], Vec::as_slice), out);
        }
        missing(n["nodes"].as_array().map_or(&[][..], Vec::as_slice), out);
    }
}

/// The plan document.
///
/// # Errors
/// A graph without a step order (a component from an older playbook).
pub fn document(
    doc: &Value,
    manifest: &Manifest,
    workdir: &Path,
    given: &BTreeMap<String, String>,
) -> Result<Value, String> {
    let g = Graph::new(doc)?;
    let root = cap_std::fs::Dir::open_ambient_dir(workdir, cap_std::ambient_authority()).ok();
    let cx = Context { manifest, workdir: workdir.to_path_buf(), root, given };
    let tree: Vec<Value> =
        ids(&doc["body"]).into_iter().filter_map(|id| g.by_id.get(id)).map(|n| node(&g, n, &cx)).collect();
    let mut all = Vec::new();
    changes(&tree, &mut all);
    let mut lacking = Vec::new();
    missing(&tree, &mut lacking);
    Ok(json!({
        "plan_version": PLAN_VERSION,
        "playbook": {
            "name": manifest.playbook.name,
            "manifest": super::inspect::manifest_digest(manifest),
        },
        "workdir": workdir.display().to_string(),
        "tree": tree,
        "changes": all,
        "missing_inputs": lacking.iter().map(|(n, s)| json!({ "name": n, "steps": s })).collect::<Vec<_>>(),
    }))
}

/// `k=v` pairs of a scope, on one line.
fn scope_text(scope: &Value) -> String {
    scope
        .as_object()
        .map(|m| {
            m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect::<Vec<_>>().join("  ")
        })
        .unwrap_or_default()
}

fn render(nodes: &[Value], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth + 1);
    for n in nodes {
        let (id, title, line) = (str_of(&n["id"]), str_of(&n["title"]), str_of(&n["line"]));
        match str_of(&n["kind"]) {
            "choice" => {
                let _ = writeln!(out, "{pad}choice    {id}  {title}  (line {line}; every branch below)");
                for (k, b) in n["branches"].as_array().into_iter().flatten().enumerate() {
                    let about = b["about"].as_str().map(|a| format!(" — {a}")).unwrap_or_default();
                    let _ = writeln!(out, "{pad}  {}) {}  {}{about}", k + 1, str_of(&b["id"]), str_of(&b["title"]));
                    render(b["nodes"].as_array().map_or(&[][..], Vec::as_slice), depth + 2, out);
                }
            }
            "optional" => {
                let _ = writeln!(
                    out,
                    "{pad}optional  {id}  {title}  (line {line}; {}: runs only with --choose {id})",
                    str_of(&n["why"])
                );
                render(n["nodes"].as_array().map_or(&[][..], Vec::as_slice), depth + 1, out);
            }
            kind => {
                let _ = writeln!(out, "{pad}{kind:<9} {id}  {title}  (line {line})");
                let more = format!("{pad}          ");
                if let Some(t) = n["by_hand"].as_str() {
                    let _ = writeln!(out, "{more}by hand: {}", t.lines().next().unwrap_or_default());
                }
                for e in n["effects"].as_array().into_iter().flatten() {
                    let effect = str_of(&e["effect"]);
                    let effect = if e["changes"] == true { effect.to_uppercase() } else { effect.to_string() };
                    let privileged = if e["privileged"] == true { "  (sudo)" } else { "" };
                    let _ = writeln!(
                        out,
                        "{more}{effect:<12} {:<4} {}  {}{privileged}",
                        str_of(&e["grant"]),
                        str_of(&e["capability"]),
                        scope_text(&e["scope"])
                    );
                    if let Some(r) = e["resolved"].as_object() {
                        for (k, v) in r {
                            let matched = match e["matches"][k].as_array() {
                                Some(m) if m.is_empty() => "; matches nothing now".to_string(),
                                Some(m) => format!(
                                    "; matches now: {}",
                                    m.iter().map(|x| x.as_str().unwrap_or_default()).collect::<Vec<_>>().join(", ")
                                ),
                                None => String::new(),
                            };
                            let _ = writeln!(out, "{more}{:<17} {k} → {}{matched}", "", v.as_str().unwrap_or_default());
                        }
                    }
                }
                let missing = ids(&n["missing"]);
                if !missing.is_empty() {
                    let _ = writeln!(out, "{more}missing input: {}", missing.join(", "));
                }
            }
        }
    }
}

/// The plan for people.
#[must_use]
pub fn text(plan: &Value, runbook: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Plan of \"{}\"  (manifest {})",
        str_of(&plan["playbook"]["name"]),
        str_of(&plan["playbook"]["manifest"])
    );
    let _ = writeln!(
        out,
        "  every path and every effect, nothing run; workdir {}; CHANGES in capitals\n",
        str_of(&plan["workdir"])
    );
    render(plan["tree"].as_array().map_or(&[][..], Vec::as_slice), 0, &mut out);
    let lacking = plan["missing_inputs"].as_array().cloned().unwrap_or_default();
    if !lacking.is_empty() {
        out.push_str("\nInputs still missing:\n");
        for m in &lacking {
            let _ = writeln!(out, "  {}  (needed by {})", str_of(&m["name"]), ids(&m["steps"]).join(", "));
        }
    }
    let n = plan["changes"].as_array().map_or(0, Vec::len);
    let _ = writeln!(
        out,
        "\n{n} change{} on some path. To approve exactly these: playbook plan {} --format json > plan.json; playbook run {} --plan plan.json",
        if n == 1 { "" } else { "s" },
        runbook.display(),
        runbook.display()
    );
    out
}

/// What a saved plan approves: `(step, grant)` of every change it lists, after checking it is a
/// plan of this very manifest.
///
/// # Errors
/// A file that is not a plan, or a plan of another manifest.
pub fn approved(plan_path: &Path, manifest: &Manifest) -> Result<BTreeSet<(String, String)>, String> {
    let text = std::fs::read_to_string(plan_path).map_err(|e| format!("cannot read {}: {e}", plan_path.display()))?;
    let plan: Value =
        serde_json::from_str(&text).map_err(|e| format!("--plan {}: not a plan: {e}", plan_path.display()))?;
    if plan["plan_version"].as_u64() != Some(PLAN_VERSION) {
        return Err(format!("--plan {}: not a plan of this playbook version", plan_path.display()));
    }
    let digest = super::inspect::manifest_digest(manifest);
    let theirs = str_of(&plan["playbook"]["manifest"]);
    if theirs != digest {
        return Err(format!(
            "--plan {}: the plan is of manifest {theirs}, this playbook's is {digest}: make the plan again and review it",
            plan_path.display()
        ));
    }
    Ok(plan["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (str_of(&c["step"]).to_string(), str_of(&c["grant"]).to_string()))
        .collect())
}

/// `playbook plan RUNBOOK`.
///
/// # Errors
/// As `playbook steps`, and an `--input` that is not `NAME=VALUE`.
pub fn plan(path: &Path, json_out: bool, workdir: Option<&Path>, inputs: &[String]) -> Result<u8, String> {
    let mut given = BTreeMap::new();
    for kv in inputs {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--input {kv}: expected NAME=VALUE"))?;
        given.insert(k.to_string(), v.to_string());
    }
    let workdir = match workdir {
        Some(w) => w.to_path_buf(),
        None => std::env::current_dir().map_err(|e| e.to_string())?,
    };
    let loaded = match super::inspect::load(path)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let manifest = loaded.manifest(path)?;
    let doc = loaded.json(path, playbook_capability::component::sections::GRAPH)?;
    let plan = document(&doc, &manifest, &workdir, &given)?;
    if json_out {
        println!("{}", serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?);
    } else {
        print!("{}", text(&plan, path));
    }
    Ok(0)
}

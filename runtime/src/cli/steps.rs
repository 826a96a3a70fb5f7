//! `playbook steps` and `playbook run --list`: the step graph as a list an operator reads (ids,
//! kinds, effects, inputs, the first line of each option's prose); and the selection of
//! `--step`, `--from` and `--until`, resolved against the same graph.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::host::Selection;

/// The graph document of a playbook (its `playbook.graph` section), read for listing and
/// selection.
pub struct Graph<'a> {
    pub(super) doc: &'a Value,
    pub(super) by_id: BTreeMap<&'a str, &'a Value>,
}

/// A node of the listing: where it sits and what it is.
struct Row<'a> {
    depth: usize,
    node: &'a Value,
}

pub(super) fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

pub(super) fn line_of(n: &Value) -> &str {
    str_of(&n["origin"]).rsplit(':').next().unwrap_or("?")
}

pub(super) fn ids(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().map(str_of).collect()).unwrap_or_default()
}

impl<'a> Graph<'a> {
    /// # Errors
    /// A graph document without the top-level sequence (a component compiled by an older
    /// playbook).
    pub fn new(doc: &'a Value) -> Result<Self, String> {
        if !doc["body"].is_array() {
            return Err("this playbook's graph has no step order (compile it again with this playbook)".into());
        }
        let by_id =
            doc["nodes"].as_array().map(|ns| ns.iter().map(|n| (str_of(&n["id"]), n)).collect()).unwrap_or_default();
        Ok(Self { doc, by_id })
    }

    fn rows(&self) -> Vec<Row<'a>> {
        fn go<'a>(g: &Graph<'a>, seq: Vec<&str>, depth: usize, out: &mut Vec<Row<'a>>) {
            for id in seq {
                let Some(&n) = g.by_id.get(id) else { continue };
                out.push(Row { depth, node: n });
                match str_of(&n["kind"]) {
                    "choice" => {
                        for b in n["branches"].as_array().into_iter().flatten() {
                            go(g, ids(&b["nodes"]), depth + 2, out);
                        }
                    }
                    "optional" => go(g, ids(&n["nodes"]), depth + 1, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        go(self, ids(&self.doc["body"]), 0, &mut out);
        out
    }

    /// Ids of the steps (steps, waits, manual steps) in document order.
    fn steps(&self) -> Vec<&'a str> {
        self.rows()
            .iter()
            .filter(|r| !matches!(str_of(&r.node["kind"]), "choice" | "optional"))
            .map(|r| str_of(&r.node["id"]))
            .collect()
    }

    /// The steps under a node: itself when it is a step, what its branches hold otherwise.
    fn steps_under(&self, id: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack = vec![id.to_string()];
        while let Some(id) = stack.pop() {
            let Some(n) = self.by_id.get(id.as_str()) else { continue };
            match str_of(&n["kind"]) {
                "choice" => {
                    for b in n["branches"].as_array().into_iter().flatten() {
                        stack.extend(ids(&b["nodes"]).into_iter().map(str::to_string));
                    }
                }
                "optional" => stack.extend(ids(&n["nodes"]).into_iter().map(str::to_string)),
                _ => {
                    out.insert(id);
                }
            }
        }
        out
    }

    /// Every branch of a choice and every optional section, by id, with the steps it holds.
    fn branches(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for n in self.by_id.values() {
            match str_of(&n["kind"]) {
                "choice" => {
                    for b in n["branches"].as_array().into_iter().flatten() {
                        let mut under = BTreeSet::new();
                        for id in ids(&b["nodes"]) {
                            under.extend(self.steps_under(id));
                        }
                        out.insert(str_of(&b["id"]).to_string(), under);
                    }
                }
                "optional" => {
                    out.insert(str_of(&n["branch"]).to_string(), self.steps_under(str_of(&n["id"])));
                }
                _ => {}
            }
        }
        out
    }

    /// For each optional section: the ids of the nodes and branches inside it.
    fn inside(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for n in self.by_id.values().filter(|n| n["kind"] == "optional") {
            let mut all = BTreeSet::new();
            let mut stack: Vec<&str> = ids(&n["nodes"]);
            while let Some(id) = stack.pop() {
                let Some(m) = self.by_id.get(id) else { continue };
                all.insert(id.to_string());
                match str_of(&m["kind"]) {
                    "choice" => {
                        for b in m["branches"].as_array().into_iter().flatten() {
                            all.insert(str_of(&b["id"]).to_string());
                            stack.extend(ids(&b["nodes"]));
                        }
                    }
                    "optional" => {
                        all.insert(str_of(&m["branch"]).to_string());
                        stack.extend(ids(&m["nodes"]));
                    }
                    _ => {}
                }
            }
            out.insert(str_of(&n["branch"]).to_string(), all);
        }
        out
    }

    /// The steps an argument of `--step`/`--from`/`--until` names: a step's id, a branch's or
    /// an optional section's id (what it holds), or the start of ids (`emergency-commands`).
    fn resolve(&self, arg: &str, flag: &str) -> Result<BTreeSet<String>, String> {
        if let Some(n) = self.by_id.get(arg) {
            return Ok(self.steps_under(str_of(&n["id"])));
        }
        if let Some(under) = self.branches().remove(arg) {
            return Ok(under);
        }
        let prefixed: BTreeSet<String> =
            self.steps().into_iter().filter(|s| s.starts_with(arg)).map(str::to_string).collect();
        if prefixed.is_empty() {
            return Err(format!(
                "{flag} {arg}: no step has this id; the steps are: {} (`playbook steps` lists them)",
                self.steps().join(", ")
            ));
        }
        Ok(prefixed)
    }

    /// The selection of `--step` (any number), `--from` and `--until`.
    ///
    /// # Errors
    /// An id that names no step.
    pub fn select(&self, step: &[String], from: Option<&str>, until: Option<&str>) -> Result<Selection, String> {
        if step.is_empty() && from.is_none() && until.is_none() {
            return Ok(Selection { inside: self.inside(), ..Selection::default() });
        }
        let order = self.steps();
        let mut chosen: BTreeSet<String> = if step.is_empty() {
            order.iter().map(|s| (*s).to_string()).collect()
        } else {
            let mut all = BTreeSet::new();
            for s in step {
                all.extend(self.resolve(s, "--step")?);
            }
            all
        };
        let position = |set: &BTreeSet<String>, last: bool| {
            let hits = order.iter().enumerate().filter(|(_, s)| set.contains(**s)).map(|(i, _)| i);
            if last { hits.max() } else { hits.min() }
        };
        if let Some(f) = from {
            let start = position(&self.resolve(f, "--from")?, false).unwrap_or(0);
            chosen.retain(|s| order.iter().position(|o| o == s).is_some_and(|p| p >= start));
        }
        if let Some(u) = until {
            let end = position(&self.resolve(u, "--until")?, true).unwrap_or(usize::MAX);
            chosen.retain(|s| order.iter().position(|o| o == s).is_some_and(|p| p <= end));
        }
        Ok(Selection { steps: Some(chosen), under: self.branches(), inside: self.inside() })
    }

    /// The listing: one line per node (kind, id, title, line), then what it does and needs;
    /// the branches of a choice with the first line of their prose.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", str_of(&self.doc["title"]));
        for r in self.rows() {
            let n = r.node;
            let pad = "  ".repeat(r.depth + 1);
            let kind = match str_of(&n["kind"]) {
                "wait" => n["seconds"].as_u64().map_or_else(|| "wait".to_string(), |s| format!("wait {s}s")),
                k => k.to_string(),
            };
            let id = match str_of(&n["kind"]) {
                "optional" => str_of(&n["branch"]),
                _ => str_of(&n["id"]),
            };
            let _ = writeln!(out, "{pad}{kind:<9} {id}  {}  (line {})", str_of(&n["title"]), line_of(n));
            let more = format!("{pad}{:<9} ", "");
            match str_of(&n["kind"]) {
                "choice" => {
                    for (k, b) in n["branches"].as_array().into_iter().flatten().enumerate() {
                        let about = b["about"].as_str().map(|a| format!(" — {a}")).unwrap_or_default();
                        let _ = writeln!(out, "{more}{}) {}  {}{about}", k + 1, str_of(&b["id"]), str_of(&b["title"]));
                    }
                }
                "optional" => {
                    let about = n["about"].as_str().map(|a| format!("; {a}")).unwrap_or_default();
                    let _ = writeln!(out, "{more}{}, run only when chosen (--choose {id}){about}", str_of(&n["why"]));
                }
                _ => {
                    let effects = ids(&n["effects"]);
                    let inputs = ids(&n["inputs"]);
                    let mut parts = Vec::new();
                    if !effects.is_empty() {
                        parts.push(format!("does: {}", effects.join(", ")));
                    }
                    if !inputs.is_empty() {
                        parts.push(format!("needs: {}", inputs.join(", ")));
                    }
                    if !parts.is_empty() {
                        let _ = writeln!(out, "{more}{}", parts.join("; "));
                    }
                }
            }
        }
        out
    }

    /// What `playbook run RUNBOOK --yes` does without a terminal and without `--choose`: the
    /// steps it runs, the optional sections it passes by, and where it stops (the first choice
    /// nobody answered, the first manual step nobody can do).
    #[must_use]
    pub fn default_run(&self) -> String {
        let mut out = String::new();
        for id in ids(&self.doc["body"]) {
            let Some(n) = self.by_id.get(id) else { continue };
            let (title, line) = (str_of(&n["title"]), line_of(n));
            match str_of(&n["kind"]) {
                "optional" => {
                    let _ = writeln!(out, "not chosen  {}  {title}  ({})", str_of(&n["branch"]), str_of(&n["why"]));
                }
                "choice" => {
                    let _ = writeln!(out, "stops at    {id}  {title}  (a choice: --choose one of its branches)");
                    return out;
                }
                "manual" => {
                    let _ = writeln!(
                        out,
                        "stops at    {id}  {title}  (a manual step: a person on a terminal, or --skip-manual)"
                    );
                    return out;
                }
                _ => {
                    let _ = writeln!(out, "runs        {id}  {title}  (line {line})");
                }
            }
        }
        out.push_str("ends\n");
        out
    }

    /// The listing as JSON: one object per node, in document order, with its depth.
    #[must_use]
    pub fn json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows()
            .iter()
            .map(|r| {
                let n = r.node;
                let mut o = json!({
                    "id": n["id"], "kind": n["kind"], "title": n["title"], "origin": n["origin"],
                    "depth": r.depth,
                });
                for k in ["effects", "inputs", "why", "about", "branch", "seconds"] {
                    if !n[k].is_null() {
                        o[k] = n[k].clone();
                    }
                }
                if let Some(bs) = n["branches"].as_array() {
                    o["branches"] = json!(
                        bs.iter()
                            .map(|b| json!({ "id": b["id"], "title": b["title"], "about": b["about"] }))
                            .collect::<Vec<_>>()
                    );
                }
                o
            })
            .collect();
        json!({ "title": self.doc["title"], "steps": rows })
    }
}

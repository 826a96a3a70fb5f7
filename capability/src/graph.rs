//! The step graph document (the `playbook.graph` section) rendered for people: Mermaid and DOT.
//! Rendered from the JSON, so a compiled component prints what its source does.

use std::fmt::Write as _;

use serde_json::Value;

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// `title\nid (line N)`, with a prefix for the node's kind.
fn label(n: &Value) -> String {
    let line = str_of(&n["origin"]).rsplit(':').next().unwrap_or("?").to_string();
    let kind = match (str_of(&n["kind"]), n["seconds"].as_u64()) {
        ("wait", Some(s)) => format!("wait {s}s: "),
        ("wait", None) => "wait: ".into(),
        ("manual", _) => "manual: ".into(),
        ("choice", _) => "choose: ".into(),
        ("optional", _) => format!("optional ({}): ", str_of(&n["why"])),
        _ => String::new(),
    };
    format!("{kind}{}\\n{} (line {line})", str_of(&n["title"]), str_of(&n["id"]))
}

fn escape_mermaid(s: &str) -> String {
    s.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

/// An edge by node positions: `(from, to or None for the end, label)`.
type IndexedEdge = (usize, Option<usize>, Option<String>);

/// Node positions by id, the edges, and the entry node.
fn indexed(g: &Value) -> (Vec<Value>, Vec<IndexedEdge>, Option<usize>) {
    let nodes = g["nodes"].as_array().cloned().unwrap_or_default();
    let pos = |id: &str| nodes.iter().position(|n| n["id"] == id);
    let edges = g["edges"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter_map(|e| {
                    Some((pos(str_of(&e["from"]))?, pos(str_of(&e["to"])), e["label"].as_str().map(str::to_string)))
                })
                .collect()
        })
        .unwrap_or_default();
    let entry = g["entry"].as_str().and_then(pos);
    (nodes, edges, entry)
}

/// Mermaid flowchart, from the graph JSON.
#[must_use]
pub fn mermaid_of(g: &Value) -> String {
    let (nodes, edges, entry) = indexed(g);
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(out, "  start([\"{}\"])", escape_mermaid(str_of(&g["title"])));
    for (i, n) in nodes.iter().enumerate() {
        let l = escape_mermaid(&label(n)).replace("\\n", "<br/>");
        let shape = match str_of(&n["kind"]) {
            "choice" => format!("n{i}{{\"{l}\"}}"),
            "optional" => format!("n{i}{{{{\"{l}\"}}}}"),
            "manual" => format!("n{i}[/\"{l}\"/]"),
            "wait" => format!("n{i}([\"{l}\"])"),
            _ => format!("n{i}[\"{l}\"]"),
        };
        let _ = writeln!(out, "  {shape}");
    }
    out.push_str("  done([end])\n");
    match entry {
        Some(first) => {
            let _ = writeln!(out, "  start --> n{first}");
        }
        None => out.push_str("  start --> done\n"),
    }
    for (from, to, label) in edges {
        let to = to.map_or_else(|| "done".to_string(), |t| format!("n{t}"));
        match label {
            Some(l) => {
                let _ = writeln!(out, "  n{from} -- \"{}\" --> {to}", escape_mermaid(&l));
            }
            None => {
                let _ = writeln!(out, "  n{from} --> {to}");
            }
        }
    }
    out
}

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace("\\\\n", "\\n")
}

/// Graphviz DOT, from the graph JSON.
#[must_use]
pub fn dot_of(g: &Value) -> String {
    let (nodes, edges, entry) = indexed(g);
    let mut out = String::from("digraph playbook {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n");
    let _ = writeln!(out, "  start [shape=oval, label=\"{}\"];", escape_dot(str_of(&g["title"])));
    for (i, n) in nodes.iter().enumerate() {
        let shape = match str_of(&n["kind"]) {
            "choice" => "diamond",
            "optional" => "hexagon",
            "manual" => "parallelogram",
            "wait" => "ellipse",
            _ => "box",
        };
        let _ = writeln!(out, "  n{i} [shape={shape}, label=\"{}\"];", escape_dot(&label(n)));
    }
    out.push_str("  done [shape=oval, label=\"end\"];\n");
    match entry {
        Some(first) => {
            let _ = writeln!(out, "  start -> n{first};");
        }
        None => out.push_str("  start -> done;\n"),
    }
    for (from, to, label) in edges {
        let to = to.map_or_else(|| "done".to_string(), |t| format!("n{t}"));
        match label {
            Some(l) => {
                let _ = writeln!(out, "  n{from} -> {to} [label=\"{}\"];", escape_dot(&l));
            }
            None => {
                let _ = writeln!(out, "  n{from} -> {to};");
            }
        }
    }
    out.push_str("}\n");
    out
}

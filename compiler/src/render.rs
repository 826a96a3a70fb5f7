//! The step graph as Mermaid, DOT and JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::action::Mode;
use crate::graph::{NodeKind, StepGraph};
use crate::source::Source;

fn commands_json(source: &Source, node: &crate::graph::Node) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(script) = StepGraph::script(node) {
        for item in &script.items {
            let mut labels = Vec::new();
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    c.visit_simple(&mut |s| labels.push(s.action.label()));
                }
            }
            let mut modes = Vec::new();
            item.chain
                .first
                .commands
                .iter()
                .chain(item.chain.rest.iter().flat_map(|(_, p)| p.commands.iter()))
                .for_each(|c| {
                    c.visit_simple(&mut |s| match &s.mode {
                        Mode::Run => {}
                        Mode::Manual { .. } => modes.push("manual"),
                        Mode::Bounded { .. } => modes.push("bounded"),
                    });
                });
            let text = source.slice(item.span).split_whitespace().collect::<Vec<_>>().join(" ");
            let mut o = json!({ "origin": source.origin(item.span.start), "command": text, "actions": labels });
            if item.background {
                o["background"] = json!(true);
            }
            if let Some(m) = modes.first() {
                o["mode"] = json!(m);
            }
            out.push(o);
        }
    }
    out
}

/// Graph JSON for tools: nodes with their commands and origins, and explicit edges.
#[must_use]
pub fn graph_json(source: &Source, g: &StepGraph) -> Value {
    let nodes: Vec<Value> = g
        .nodes
        .iter()
        .map(|n| {
            let mut o = json!({
                "id": n.id,
                "title": n.title,
                "origin": source.origin(n.span.start),
            });
            match &n.kind {
                NodeKind::Step { .. } => o["kind"] = json!("step"),
                NodeKind::Wait { seconds, .. } => {
                    o["kind"] = json!("wait");
                    o["seconds"] = json!(seconds);
                }
                NodeKind::Manual { text, .. } => {
                    o["kind"] = json!("manual");
                    o["text"] = json!(text);
                }
                NodeKind::Choice { branches } => {
                    o["kind"] = json!("choice");
                    o["branches"] = json!(
                        branches
                            .iter()
                            .map(|b| json!({
                                "id": b.id,
                                "title": b.title,
                                "origin": source.origin(b.span.start),
                                "nodes": b.body.iter().map(|&i| g.nodes[i].id.clone()).collect::<Vec<_>>(),
                            }))
                            .collect::<Vec<_>>()
                    );
                }
            }
            if !matches!(n.kind, NodeKind::Choice { .. }) {
                o["commands"] = json!(commands_json(source, n));
            }
            o
        })
        .collect();
    let edges: Vec<Value> = g
        .edges()
        .into_iter()
        .map(|e| {
            let mut o = json!({ "from": g.nodes[e.from].id, "to": e.to.map(|t| g.nodes[t].id.clone()) });
            if let Some(l) = e.label {
                o["label"] = json!(l);
            }
            o
        })
        .collect();
    json!({
        "title": g.title,
        "entry": g.body.first().map(|&i| g.nodes[i].id.clone()),
        "inputs": g.inputs.iter().map(|i| json!({ "name": i.name, "secret": i.secret, "source": i.source, "origin": source.origin(i.span.start) })).collect::<Vec<_>>(),
        "nodes": nodes,
        "edges": edges,
    })
}

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

/// Mermaid flowchart of a compiled graph.
#[must_use]
pub fn mermaid(source: &Source, g: &StepGraph) -> String {
    mermaid_of(&graph_json(source, g))
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

/// Graphviz DOT of a compiled graph.
#[must_use]
pub fn dot(source: &Source, g: &StepGraph) -> String {
    dot_of(&graph_json(source, g))
}

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
            let mut o = json!({ "from": g.nodes[e.from].id, "to": e.to.map_or_else(|| "end".to_string(), |t| g.nodes[t].id.clone()) });
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

fn label(source: &Source, n: &crate::graph::Node) -> String {
    let line = source.line_col(n.span.start).0;
    let kind = match &n.kind {
        NodeKind::Step { .. } => String::new(),
        NodeKind::Wait { seconds: Some(s), .. } => format!("wait {s}s: "),
        NodeKind::Wait { .. } => "wait: ".into(),
        NodeKind::Manual { .. } => "manual: ".into(),
        NodeKind::Choice { .. } => "choose: ".into(),
    };
    format!("{kind}{}\\n{} (line {line})", n.title, n.id)
}

fn escape_mermaid(s: &str) -> String {
    s.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

/// Mermaid flowchart.
#[must_use]
pub fn mermaid(source: &Source, g: &StepGraph) -> String {
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(out, "  start([\"{}\"])", escape_mermaid(&g.title));
    for (i, n) in g.nodes.iter().enumerate() {
        let l = escape_mermaid(&label(source, n)).replace("\\n", "<br/>");
        let shape = match n.kind {
            NodeKind::Choice { .. } => format!("n{i}{{\"{l}\"}}"),
            NodeKind::Manual { .. } => format!("n{i}[/\"{l}\"/]"),
            NodeKind::Wait { .. } => format!("n{i}([\"{l}\"])"),
            NodeKind::Step { .. } => format!("n{i}[\"{l}\"]"),
        };
        let _ = writeln!(out, "  {shape}");
    }
    out.push_str("  done([end])\n");
    match g.body.first() {
        Some(first) => {
            let _ = writeln!(out, "  start --> n{first}");
        }
        None => out.push_str("  start --> done\n"),
    }
    for e in g.edges() {
        let to = e.to.map_or_else(|| "done".to_string(), |t| format!("n{t}"));
        match e.label {
            Some(l) => {
                let _ = writeln!(out, "  n{} -- \"{}\" --> {to}", e.from, escape_mermaid(&l));
            }
            None => {
                let _ = writeln!(out, "  n{} --> {to}", e.from);
            }
        }
    }
    out
}

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace("\\\\n", "\\n")
}

/// Graphviz DOT.
#[must_use]
pub fn dot(source: &Source, g: &StepGraph) -> String {
    let mut out = String::from("digraph playbook {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n");
    let _ = writeln!(out, "  start [shape=oval, label=\"{}\"];", escape_dot(&g.title));
    for (i, n) in g.nodes.iter().enumerate() {
        let shape = match n.kind {
            NodeKind::Choice { .. } => "diamond",
            NodeKind::Manual { .. } => "parallelogram",
            NodeKind::Wait { .. } => "ellipse",
            NodeKind::Step { .. } => "box",
        };
        let _ = writeln!(out, "  n{i} [shape={shape}, label=\"{}\"];", escape_dot(&label(source, n)));
    }
    out.push_str("  done [shape=oval, label=\"end\"];\n");
    match g.body.first() {
        Some(first) => {
            let _ = writeln!(out, "  start -> n{first};");
        }
        None => out.push_str("  start -> done;\n"),
    }
    for e in g.edges() {
        let to = e.to.map_or_else(|| "done".to_string(), |t| format!("n{t}"));
        match e.label {
            Some(l) => {
                let _ = writeln!(out, "  n{} -> {to} [label=\"{}\"];", e.from, escape_dot(&l));
            }
            None => {
                let _ = writeln!(out, "  n{} -> {to};", e.from);
            }
        }
    }
    out.push_str("}\n");
    out
}

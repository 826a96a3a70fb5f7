//! The step graph as Mermaid, DOT and JSON.

use playbook_capability::graph::{dot_of, mermaid_of};
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
                                "about": b.about,
                            }))
                            .collect::<Vec<_>>()
                    );
                }
                NodeKind::Optional { why, branch } => {
                    o["kind"] = json!("optional");
                    o["why"] = json!(why);
                    o["branch"] = json!(branch.id);
                    o["about"] = json!(branch.about);
                    o["nodes"] = json!(branch.body.iter().map(|&i| g.nodes[i].id.clone()).collect::<Vec<_>>());
                }
            }
            if !matches!(n.kind, NodeKind::Choice { .. } | NodeKind::Optional { .. }) {
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

/// The graph document a component carries (and `playbook graph --format json` prints): the
/// graph JSON, with the top-level sequence (`body`) and, for every node, the capabilities its
/// commands use (`effects`) and the inputs it reads (`inputs`).
#[must_use]
pub fn graph_document(c: &crate::Compilation) -> Value {
    let mut doc = graph_json(&c.source, &c.graph);
    let effects = crate::codegen::Effects::of(c);
    if let Some(nodes) = doc["nodes"].as_array_mut() {
        for (i, n) in nodes.iter_mut().enumerate() {
            n["effects"] = json!(effects.of_body(&[i]));
            let inputs: Vec<&str> =
                c.graph.needs.get(i).into_iter().flatten().map(|&k| c.graph.inputs[k].name.as_str()).collect();
            n["inputs"] = json!(inputs);
        }
    }
    doc["body"] = json!(c.graph.body.iter().map(|&i| c.graph.nodes[i].id.clone()).collect::<Vec<_>>());
    doc
}

/// Mermaid flowchart of a compiled graph.
#[must_use]
pub fn mermaid(source: &Source, g: &StepGraph) -> String {
    mermaid_of(&graph_json(source, g))
}

/// Graphviz DOT of a compiled graph.
#[must_use]
pub fn dot(source: &Source, g: &StepGraph) -> String {
    dot_of(&graph_json(source, g))
}

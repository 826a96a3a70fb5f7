//! The typed step graph: steps, choices, manual steps and waits, with stable ids from headings.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::action::{Action, Mode};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::fence;
use crate::markdown::{Block, Document};
use crate::shell::lower::Lowerer;
use crate::shell::{Command, Part, Script, Simple};
use crate::source::{Source, Span};

/// What a graph node is.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NodeKind {
    /// Commands from one block, run by the playbook.
    Step { script: Script },
    /// A block that only waits (`sleep 30`).
    Wait { seconds: Option<u64>, script: Script },
    /// Something the operator does by hand: interactive commands, or an option with no commands.
    Manual {
        text: String,
        script: Script,
        /// Why playbook cannot run it when it is not the author's own manual step: a block that
        /// does not compile, a session opened on another host, statements at a database prompt.
        #[serde(skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// Alternatives the operator picks from.
    Choice { branches: Vec<Branch> },
    /// A section the runbook marks as conditional or alternative (a rollback, a recovery, an
    /// emergency, "if … persists", "optional"): entered only when the operator chooses it.
    Optional {
        /// What marks it ("a rollback", "conditional", …).
        why: String,
        branch: Branch,
    },
}

/// One alternative of a choice: a sequence of nodes.
#[derive(Clone, Debug, Serialize)]
pub struct Branch {
    pub id: String,
    pub title: String,
    pub span: Span,
    pub body: Vec<usize>,
    /// The first line of its prose ("Symptoms: Container not running").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub id: String,
    pub title: String,
    pub span: Span,
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// A required value of the playbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Input {
    pub name: String,
    pub secret: bool,
    /// `placeholder` (`<machine-id>`, must be given) or `env` (falls back to the environment).
    pub source: &'static str,
    /// False for `${NAME:-default}`: an absent value is empty, not an error.
    pub required: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct StepGraph {
    pub title: String,
    pub nodes: Vec<Node>,
    /// The top-level sequence.
    pub body: Vec<usize>,
    pub inputs: Vec<Input>,
    /// For each node, the inputs (indices into `inputs`) its commands read: asked for when
    /// that step is about to run, not before.
    #[serde(skip)]
    pub needs: Vec<Vec<usize>>,
}

/// An edge of the graph: `to == None` is the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: Option<usize>,
    pub label: Option<String>,
}

impl StepGraph {
    /// Sequence and branch edges, in a stable order.
    #[must_use]
    pub fn edges(&self) -> Vec<Edge> {
        let mut out = Vec::new();
        self.wire(&self.body, None, &mut out);
        out
    }

    fn wire(&self, seq: &[usize], after: Option<usize>, out: &mut Vec<Edge>) {
        for (i, &n) in seq.iter().enumerate() {
            let next = seq.get(i + 1).copied().or(after);
            if let NodeKind::Choice { branches } = &self.nodes[n].kind {
                for b in branches {
                    out.push(Edge { from: n, to: b.body.first().copied().or(next), label: Some(b.title.clone()) });
                    self.wire(&b.body, next, out);
                }
            } else if let NodeKind::Optional { branch, .. } = &self.nodes[n].kind {
                out.push(Edge { from: n, to: branch.body.first().copied().or(next), label: Some("chosen".into()) });
                out.push(Edge { from: n, to: next, label: Some("not chosen".into()) });
                self.wire(&branch.body, next, out);
            } else {
                out.push(Edge { from: n, to: next, label: None });
            }
        }
    }

    /// Every node reachable in document order, with the ids of the steps it is nested in.
    pub fn walk(&self, f: &mut dyn FnMut(&Node)) {
        fn go(g: &StepGraph, seq: &[usize], f: &mut dyn FnMut(&Node)) {
            for &n in seq {
                f(&g.nodes[n]);
                match &g.nodes[n].kind {
                    NodeKind::Choice { branches } => {
                        for b in branches {
                            go(g, &b.body, f);
                        }
                    }
                    NodeKind::Optional { branch, .. } => go(g, &branch.body, f),
                    _ => {}
                }
            }
        }
        go(self, &self.body, f);
    }

    /// Variables exported anywhere in the runbook: programs see them in their environment.
    #[must_use]
    pub fn exported(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        self.walk(&mut |node| {
            if let Some(s) = Self::script(node) {
                s.visit_simple(&mut |s| {
                    if let crate::action::Action::Builtin(b) = &s.action
                        && b.name == "export"
                    {
                        for a in &b.args {
                            let p = a.literal_prefix();
                            let name = p.split('=').next().unwrap_or("");
                            if !name.is_empty() && !name.starts_with('-') {
                                out.insert(name.to_string());
                            }
                        }
                    }
                });
            }
        });
        out
    }

    /// Gives every program request the environment it will receive: the command's own
    /// `NAME=value` prefixes, then the runbook's exported variables (their values at run time),
    /// so the manifest and the host see one and the same request.
    pub fn pass_environment(&mut self) {
        for node in &mut self.nodes {
            if let NodeKind::Step { script } | NodeKind::Wait { script, .. } | NodeKind::Manual { script, .. } =
                &mut node.kind
            {
                script.propagate_constants();
            }
        }
        let exported = self.exported();
        for node in &mut self.nodes {
            let script = match &mut node.kind {
                NodeKind::Step { script } | NodeKind::Wait { script, .. } | NodeKind::Manual { script, .. } => script,
                NodeKind::Choice { .. } | NodeKind::Optional { .. } => continue,
            };
            script.visit_simple_mut(&mut |s| {
                let mut env: Vec<(String, crate::shell::Word)> = s.assignments.clone();
                for name in &exported {
                    if !env.iter().any(|(n, _)| n == name) {
                        let var = crate::shell::Part::Var { name: name.clone(), quoted: true, default: None, op: None };
                        env.push((name.clone(), crate::shell::Word { parts: vec![var], span: s.span }));
                    }
                }
                match &mut s.action {
                    crate::action::Action::Process(p) => p.env = env,
                    // A filter sees these (awk's `ENVIRON`, `LC_ALL=C sort`); `jq`'s `env` and
                    // `$ENV` see them and nothing of the host.
                    crate::action::Action::Text(t) => t.env = env,
                    _ => {}
                }
            });
        }
    }

    #[must_use]
    pub fn script(node: &Node) -> Option<&Script> {
        match &node.kind {
            NodeKind::Step { script } | NodeKind::Wait { script, .. } | NodeKind::Manual { script, .. } => Some(script),
            NodeKind::Choice { .. } | NodeKind::Optional { .. } => None,
        }
    }
}

/// Slug of a heading: `## Step 1: Confirm the Alert (5 min)` → `step-1-confirm-the-alert`.
#[must_use]
pub fn slug(title: &str) -> String {
    let mut t = String::new();
    let mut depth = 0u32;
    for c in title.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => t.push(c),
            _ => {}
        }
    }
    let t = t.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix(['.', ')']).map_or(t, str::trim_start);
    let mut s = String::new();
    for c in t.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "step".into() } else { s }
}

/// A piece of one block: commands in sequence, or alternatives `(start, end, id key, title)`.
enum Segment {
    Plain(usize, usize),
    Choice(Vec<(usize, usize, String, String)>),
}

/// End of the paragraph that starts at `start`: the first blank line after a command.
fn paragraph_end(text: &str, start: usize) -> usize {
    let mut off = start;
    let mut seen_command = false;
    for line in text[start..].split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() && seen_command {
            return off;
        }
        if !t.is_empty() && !t.starts_with('#') {
            seen_command = true;
        }
        off += line.len();
    }
    text.len()
}

/// Kinds of sibling headings that are alternatives rather than a sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Option,
    If,
    Severity,
    Scenario,
    Numbered,
    Colon,
}

/// Title and comment markers, matched by hand: ASCII, case-insensitive, no regex start-up cost.
mod markers {
    use super::Marker;

    fn lower(s: &str) -> String {
        s.trim().to_ascii_lowercase()
    }

    fn boundary(rest: &str) -> bool {
        rest.chars().next().is_none_or(|c| !c.is_ascii_alphanumeric())
    }

    /// After `keyword` and blanks: digits or one letter, then a word boundary. Returns the label
    /// and what follows it.
    fn labelled<'a>(s: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
        let rest = s.strip_prefix(keyword)?;
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if trimmed.len() == rest.len() {
            return None;
        }
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        let n = if digits > 0 {
            digits
        } else {
            usize::from(trimmed.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        };
        (n > 0 && boundary(&trimmed[n..])).then(|| (&trimmed[..n], &trimmed[n..]))
    }

    fn severity(t: &str) -> bool {
        let t = t.strip_prefix("for").filter(|r| r.starts_with([' ', '\t'])).map_or(t, str::trim_start);
        let Some(rest) = t.strip_prefix("sev").or_else(|| t.strip_prefix('p')) else { return false };
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        rest.chars().next().is_some_and(|c| c.is_ascii_digit()) && boundary(&rest[1..])
    }

    fn numbered(t: &str) -> bool {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && t[digits..].starts_with(['.', ')']) && t[digits + 1..].starts_with(char::is_whitespace)
    }

    fn causes(parent: &str) -> bool {
        lower(parent).split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(
                w,
                "cause"
                    | "causes"
                    | "issue"
                    | "issues"
                    | "problem"
                    | "problems"
                    | "failure"
                    | "failures"
                    | "scenario"
                    | "scenarios"
            )
        })
    }

    /// What kind of alternative a sibling heading is, if any.
    pub fn of_title(title: &str, parent: &str) -> Option<Marker> {
        let t = lower(title);
        let first_word = |w: &str| t.strip_prefix(w).is_some_and(boundary);
        if labelled(&t, "option").is_some() {
            Some(Marker::Option)
        } else if first_word("if") || first_word("when") {
            Some(Marker::If)
        } else if severity(&t) {
            Some(Marker::Severity)
        } else if t
            .strip_prefix("scenario")
            .is_some_and(|r| r.starts_with([' ', '\t']) && r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        {
            Some(Marker::Scenario)
        } else if numbered(&t) && causes(parent) {
            Some(Marker::Numbered)
        } else if title.trim_end().ends_with(':') {
            Some(Marker::Colon)
        } else {
            None
        }
    }

    /// `# OPTION A: title` lines of a block: `(line start, label, title)`.
    pub fn block_options(text: &str) -> Vec<(usize, String, String)> {
        let mut out = Vec::new();
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_start_matches([' ', '\t']);
            if let Some(after_hash) = body.strip_prefix('#') {
                let comment = after_hash.trim_start_matches('#').trim_start_matches([' ', '\t']);
                let lowered = comment.to_ascii_lowercase();
                if let Some((label, _)) = labelled(&lowered, "option") {
                    // ASCII lowering keeps byte offsets: skip `option` in the original.
                    let after_kw = &comment["option".len()..];
                    let after_label = after_kw.trim_start_matches([' ', '\t'])[label.len()..].trim();
                    let title = after_label.strip_prefix([':', '.', '-']).unwrap_or(after_label).trim();
                    out.push((off, label.to_ascii_uppercase(), title.to_string()));
                }
            }
            off += line.len();
        }
        out
    }

    /// Words (and pairs of words) that mark a section an operator enters only when chosen,
    /// by family: what the family is called, and its words.
    const OPTIONAL: &[(&str, &[&str])] = &[
        ("a rollback", &["rollback", "rollbacks", "roll back", "rolling back", "revert", "reverting", "undo"]),
        ("a recovery", &["recovery", "recover", "recovering", "restore", "restoring", "restoration"]),
        ("an emergency", &["emergency", "emergencies", "break glass", "breakglass", "last resort", "nuclear"]),
        ("an escalation", &["escalation", "escalations", "escalate", "escalating"]),
        ("optional", &["optional", "optionally"]),
        ("an alternative", &["alternative", "alternatives", "alternatively", "alternate", "alternately"]),
    ];

    /// What follows `if` in a title that makes the section conditional ("If Issue Persists",
    /// "Restart if needed").
    const CONDITIONS: &[&str] =
        &["persists", "persist", "fails", "fail", "failed", "needed", "necessary", "required", "applicable", "still"];

    fn words(s: &str) -> Vec<String> {
        lower(s).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
    }

    fn family_of(words: &[String], family: &[&str]) -> bool {
        family.iter().any(|f| match f.split_once(' ') {
            Some((a, b)) => words.windows(2).any(|w| w[0] == a && w[1] == b),
            None => words.iter().any(|w| w == f),
        })
    }

    /// Why a section with this title is optional, if it is: a rollback, a recovery, an
    /// emergency, an escalation, "optional", an alternative, or a condition ("If … persists",
    /// "only if", "… if needed", a title that starts with `If`/`When`). A family the runbook's
    /// own title names is its purpose, not an option ("Deployment Rollback" rolls back).
    pub fn optional_reason(title: &str, runbook_title: &str) -> Option<&'static str> {
        let (w, own) = (words(title), words(runbook_title));
        for (why, family) in OPTIONAL {
            if family_of(&w, family) && !family_of(&own, family) {
                return Some(why);
            }
        }
        let first = w.first().map(String::as_str);
        let conditional = matches!(first, Some("if" | "when"))
            || w.windows(2).any(|p| p[0] == "only" && matches!(p[1].as_str(), "if" | "when"))
            || w.windows(2).any(|p| p[0] == "in" && p[1] == "case")
            || w.iter()
                .position(|x| x == "if")
                .is_some_and(|i| w[i + 1..].iter().any(|x| CONDITIONS.contains(&x.as_str())));
        conditional.then_some("conditional")
    }

    /// Why the paragraph right before a block makes it optional: it opens with "Optionally",
    /// "Alternatively", "Only if", "If that fails", "If … persists", "As a last resort", "To
    /// roll back".
    pub fn lead_reason(lead: &str) -> Option<&'static str> {
        let first = lead.split(['.', ':', ',', ';', '\n']).next().unwrap_or_default();
        let w = words(first);
        let starts = |p: &[&str]| w.len() >= p.len() && w.iter().zip(p).all(|(a, b)| a == b);
        if starts(&["optional"]) || starts(&["optionally"]) {
            Some("optional")
        } else if starts(&["alternatively"]) || starts(&["alternative"]) || starts(&["alternately"]) {
            Some("an alternative")
        } else if starts(&["as", "a", "last", "resort"]) || starts(&["in", "an", "emergency"]) {
            Some("an emergency")
        } else if starts(&["to", "roll", "back"]) || starts(&["to", "rollback"]) || starts(&["to", "revert"]) {
            Some("a rollback")
        } else if (starts(&["if"]) || starts(&["only", "if"]))
            && w.iter().any(|x| CONDITIONS.contains(&x.as_str()) || x == "not" || x == "doesn")
        {
            Some("conditional")
        } else {
            None
        }
    }

    /// A title of a numbered part of one procedure ("Step 2: …", "2. …").
    pub fn is_step_title(title: &str) -> bool {
        let t = lower(title);
        numbered(&t) || labelled(&t, "step").is_some()
    }

    /// Platforms and environments a runbook gives one paragraph each.
    const PLATFORMS: &[&str] = &[
        "docker",
        "compose",
        "docker-compose",
        "kubernetes",
        "k8s",
        "kubectl",
        "openshift",
        "podman",
        "helm",
        "systemd",
        "systemctl",
        "swarm",
        "nomad",
        "ecs",
        "eks",
        "gke",
        "aks",
        "production",
        "prod",
        "staging",
        "stage",
        "development",
        "dev",
        "local",
        "localhost",
        "test",
        "qa",
        "linux",
        "macos",
        "windows",
        "ubuntu",
        "debian",
        "rhel",
        "centos",
    ];

    /// The label of a paragraph that opens with a comment naming only a platform or an
    /// environment (`# Docker`, `# Kubernetes:`, `# If using Kubernetes`, `# Production`), and
    /// has commands after it.
    pub fn platform_label(paragraph: &str) -> Option<String> {
        let mut lines = paragraph.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next()?;
        let comment = first.strip_prefix('#')?.trim_start_matches('#').trim();
        if !lines.any(|l| !l.starts_with('#')) {
            return None;
        }
        let bare = comment.split('(').next().unwrap_or_default().trim().trim_end_matches(':').trim();
        let w: Vec<String> = words(bare);
        let skip = w
            .iter()
            .take_while(|x| matches!(x.as_str(), "if" | "using" | "for" | "on" | "via" | "with" | "in" | "the"))
            .count();
        let rest = &w[skip..];
        let named = !rest.is_empty()
            && rest.len() <= 2
            && rest.iter().all(|x| {
                PLATFORMS.contains(&x.as_str()) || matches!(x.as_str(), "env" | "environment" | "cluster" | "mode")
            });
        named.then(|| bare.to_string())
    }

    /// A `# or` line.
    pub fn is_or_line(line: &str) -> bool {
        let body = line.trim();
        body.strip_prefix('#').is_some_and(|r| {
            let r = lower(r.trim_start_matches('#'));
            r == "or" || r == "or:"
        })
    }
}

struct Builder<'a> {
    source: &'a Source,
    doc: &'a Document,
    diags: &'a mut Diagnostics,
    graph: StepGraph,
    ids: HashMap<String, usize>,
    /// Direct blocks and child headings of each heading (`None` = before any heading).
    children: HashMap<Option<usize>, Vec<usize>>,
    blocks_of: HashMap<Option<usize>, Vec<usize>>,
    /// The heading whose title is the runbook's title (left out of ids).
    title_heading: Option<usize>,
    /// The functions the blocks lowered so far define.
    functions: std::collections::HashSet<String>,
    /// Why the sections being read are optional, when an optional heading above them is split
    /// into one optional step per section ("Emergency Commands" → each command its own).
    inherited: Option<&'static str>,
}

/// Builds the graph from the document, lowering every executable block.
pub fn build(source: &Source, doc: &Document, diags: &mut Diagnostics) -> StepGraph {
    let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (i, h) in doc.headings.iter().enumerate() {
        children.entry(h.parent).or_default().push(i);
    }
    let mut blocks_of: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        blocks_of.entry(b.heading).or_default().push(i);
    }
    let title_heading = doc
        .headings
        .iter()
        .position(|h| h.level == 1)
        .filter(|&i| doc.headings.iter().filter(|h| h.level == 1).count() == 1 && doc.headings[i].parent.is_none());
    let mut b = Builder {
        source,
        doc,
        diags,
        graph: StepGraph {
            title: doc.title().unwrap_or_else(|| source.file_name()).to_string(),
            ..StepGraph::default()
        },
        ids: HashMap::new(),
        children,
        blocks_of,
        title_heading,
        functions: std::collections::HashSet::new(),
        inherited: None,
    };
    let mut body = b.section(None);
    // Headings at the top level that have no parent (the usual case is one H1 holding all).
    let roots = b.children.get(&None).cloned().unwrap_or_default();
    body.extend(b.sections(&roots, ""));
    b.graph.body = body;
    (b.graph.inputs, b.graph.needs) = collect_inputs(&b.graph);
    b.graph
}

/// Splits a range of a block at the lines that open a session (`ssh host`, `oc debug node/x`,
/// `psql`): `(start, end, None)` runs here; `(start, end, Some(what))` is typed in the session
/// that line opens. An opener followed by commands takes the rest of the range; one followed only
/// by comments and other openers (`# Production` / `psql -h prod` / `# Staging` / `psql -h
/// staging`) is a session of its own, and the scan goes on after it. Pieces holding only
/// comments and blank lines are left out.
fn sessions(text: &str, start: usize, end: usize) -> Vec<(usize, usize, Option<String>)> {
    let commands =
        |a: usize, b: usize| text[a..b].lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        let Some((o, what)) = fence::session_opener(&text[pos..end]) else {
            if commands(pos, end) {
                out.push((pos, end, None));
            }
            break;
        };
        let at = pos + o;
        if commands(pos, at) {
            out.push((pos, at, None));
        }
        let line_end = text[at..end].find('\n').map_or(end, |n| at + n + 1);
        let next = fence::session_opener(&text[line_end..end]).map_or(end, |(n, _)| line_end + n);
        if commands(line_end, next) {
            out.push((at, end, Some(what)));
            break;
        }
        out.push((at, line_end, Some(what)));
        pos = line_end;
    }
    if out.is_empty() {
        out.push((start, end, None));
    }
    out
}

impl Builder<'_> {
    fn has_code(&self, heading: usize) -> bool {
        self.blocks_of.get(&Some(heading)).is_some_and(|bs| bs.iter().any(|&i| self.doc.blocks[i].runs))
            || self.children.get(&Some(heading)).is_some_and(|cs| cs.iter().any(|&c| self.has_code(c)))
    }

    /// Nodes for the direct blocks of a heading (`None`: before the first heading).
    fn section(&mut self, heading: Option<usize>) -> Vec<usize> {
        let blocks = self.blocks_of.get(&heading).cloned().unwrap_or_default();
        let mut out = Vec::new();
        for bi in blocks {
            let block = &self.doc.blocks[bi];
            if !block.runs {
                continue;
            }
            let why = block.lead.as_deref().and_then(markers::lead_reason);
            let nodes = self.block_nodes(bi);
            match why {
                Some(why) if !nodes.is_empty() => out.push(self.optional_block(bi, why, nodes)),
                _ => out.extend(nodes),
            }
        }
        out
    }

    /// An optional node holding the nodes of a block its lead paragraph marks as optional.
    fn optional_block(&mut self, bi: usize, why: &str, body: Vec<usize>) -> usize {
        let block = &self.doc.blocks[bi];
        let (base_id, title) = self.block_title(block);
        let about = block.lead.as_deref().map(|l| l.lines().next().unwrap_or_default().to_string());
        let span = block.span;
        let branch = Branch { id: base_id.clone(), title: title.clone(), span, body, about };
        let id = self.unique(format!("{base_id}/optional"));
        self.push(Node { id, title, span, kind: NodeKind::Optional { why: why.to_string(), branch } })
    }

    /// Nodes for a list of sibling headings, grouping alternatives into choices.
    fn sections(&mut self, siblings: &[usize], parent_title: &str) -> Vec<usize> {
        let with_code: Vec<usize> = siblings.iter().copied().filter(|&h| self.has_code(h)).collect();
        let markers: Vec<Option<Marker>> =
            with_code.iter().map(|&h| markers::of_title(&self.doc.headings[h].title, parent_title)).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < with_code.len() {
            let m = markers[i];
            let mut j = i + 1;
            while j < with_code.len() && m.is_some() && markers[j] == m {
                j += 1;
            }
            let group = &with_code[i..j];
            // (A lone `If …` section is optional: done only when chosen.)
            let is_choice = m.is_some() && group.len() >= 2;
            if is_choice {
                out.push(self.choice(group));
            } else {
                for &h in group {
                    let own = markers::optional_reason(&self.doc.headings[h].title, &self.graph.title);
                    match own.or(self.inherited) {
                        Some(why) if self.splits(h) => {
                            let saved = self.inherited.replace(why);
                            out.extend(self.heading_nodes(h));
                            self.inherited = saved;
                        }
                        Some(why) => {
                            let saved = self.inherited.take();
                            let body = self.heading_nodes(h);
                            self.inherited = saved;
                            out.push(self.optional_heading(h, why, body));
                        }
                        None => out.extend(self.heading_nodes(h)),
                    }
                }
            }
            i = j;
        }
        out
    }

    /// Whether an optional heading is a menu of optional sections rather than one procedure:
    /// no block of its own, two or more sections with code, none of them a numbered step of a
    /// procedure or an alternative of a choice.
    fn splits(&self, h: usize) -> bool {
        if self.blocks_of.get(&Some(h)).is_some_and(|bs| bs.iter().any(|&i| self.doc.blocks[i].runs)) {
            return false;
        }
        let title = &self.doc.headings[h].title;
        let kids: Vec<usize> =
            self.children.get(&Some(h)).into_iter().flatten().copied().filter(|&c| self.has_code(c)).collect();
        kids.len() >= 2
            && kids.iter().all(|&c| {
                let t = &self.doc.headings[c].title;
                !markers::is_step_title(t) && markers::of_title(t, title).is_none()
            })
    }

    /// An optional node holding the nodes of a heading.
    fn optional_heading(&mut self, h: usize, why: &str, body: Vec<usize>) -> usize {
        let hd = &self.doc.headings[h];
        let (title, span, about) = (hd.title.trim_end_matches(':').trim().to_string(), hd.span, hd.about.clone());
        let branch = Branch { id: self.heading_id(h), title: title.clone(), span, body, about };
        let id = self.unique(format!("{}/optional", branch.id));
        self.push(Node { id, title, span, kind: NodeKind::Optional { why: why.to_string(), branch } })
    }

    fn heading_nodes(&mut self, h: usize) -> Vec<usize> {
        let mut out = self.section(Some(h));
        let kids = self.children.get(&Some(h)).cloned().unwrap_or_default();
        let title = self.doc.headings[h].title.clone();
        out.extend(self.sections(&kids, &title));
        out
    }

    fn choice(&mut self, group: &[usize]) -> usize {
        let first = &self.doc.headings[group[0]];
        let parent = first.parent.filter(|p| Some(*p) != self.title_heading);
        let (id_base, title) = match parent {
            Some(p) => (self.heading_id(p), self.doc.headings[p].title.clone()),
            None => (slug(&first.title), "Choose one".to_string()),
        };
        let span = first.span;
        let mut branches = Vec::new();
        for &h in group {
            let body = self.heading_nodes(h);
            let hd = &self.doc.headings[h];
            branches.push(Branch {
                id: self.heading_id(h),
                title: hd.title.trim_end_matches(':').trim().to_string(),
                span: hd.span,
                body,
                about: hd.about.clone(),
            });
        }
        let id = self.unique(id_base);
        self.push(Node {
            id,
            title: title.trim_end_matches(':').trim().to_string(),
            span,
            kind: NodeKind::Choice { branches },
        })
    }

    /// `top-section/leaf` for a heading, ignoring the runbook title.
    fn heading_id(&self, h: usize) -> String {
        let path: Vec<usize> =
            self.doc.heading_path(Some(h)).into_iter().filter(|&i| Some(i) != self.title_heading).collect();
        match path.as_slice() {
            [] => slug(&self.doc.headings[h].title),
            [only] => slug(&self.doc.headings[*only].title),
            [first, .., last] => {
                format!("{}/{}", slug(&self.doc.headings[*first].title), slug(&self.doc.headings[*last].title))
            }
        }
    }

    fn unique(&mut self, base: String) -> String {
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }

    fn push(&mut self, node: Node) -> usize {
        self.graph.nodes.push(node);
        self.graph.nodes.len() - 1
    }

    /// Title and id for a block: its list item, else its heading.
    fn block_title(&self, block: &Block) -> (String, String) {
        let heading = block.heading.filter(|&h| Some(h) != self.title_heading);
        let base_id = heading.map_or_else(|| "main".to_string(), |h| self.heading_id(h));
        let heading_title =
            block.heading.map_or_else(|| self.graph.title.clone(), |h| self.doc.headings[h].title.clone());
        match &block.item {
            Some(item) => (format!("{base_id}/{}", slug(&item.title)), item.title.clone()),
            None => (base_id, heading_title.trim_end_matches(':').trim().to_string()),
        }
    }

    fn block_nodes(&mut self, bi: usize) -> Vec<usize> {
        let block = &self.doc.blocks[bi];
        let (base_id, title) = self.block_title(block);
        // Statements at a database prompt are typed by hand in that client's session.
        if let Some(client) = block.repl {
            self.diags.push(
                Diagnostic::warning(
                    Kind::Interactive,
                    Span::new(block.span.start, block.span.start + 3),
                    format!("this block is typed at a `{client}` prompt: it becomes a manual step"),
                )
                .with_label("an interactive session")
                .with_help(format!("to let playbook run a statement, write it as a command (`{client} -c …`)")),
            );
            let text = format!("in a `{client}` session, by hand:\n{}", block.typed.trim_end());
            let id = self.unique(base_id);
            let why = Some(format!("statements typed at a `{client}` prompt"));
            let node =
                Node { id, title, span: block.span, kind: NodeKind::Manual { text, script: Script::default(), why } };
            return vec![self.push(node)];
        }
        let text = block.code.text.clone();
        // An unclosed fence runs to the end of the file, prose included: shown, never run.
        if !block.closed {
            let id = self.unique(base_id);
            let node = Self::refused_node(id, title, block.span, &text, &["this fence is never closed".to_string()]);
            return vec![self.push(node)];
        }
        let segments = Self::segments(&text);
        let single = segments.len() == 1 && matches!(segments[0], Segment::Plain(..));
        let mut out = Vec::new();
        for (k, seg) in segments.into_iter().enumerate() {
            match seg {
                Segment::Plain(start, end) => {
                    let mut pieces = sessions(&text, start, end);
                    // A session still open at the end of this run holds the rest of the block:
                    // alternatives after it are typed there too.
                    let carries = matches!(pieces.last(), Some((_, to, Some(_))) if *to == end && end < text.len());
                    if carries && let Some(last) = pieces.last_mut() {
                        last.1 = text.len();
                    }
                    let whole = single && pieces.len() == 1;
                    for (from, to, session) in pieces {
                        let first = out.is_empty() && (k == 0 || single);
                        let id = match (&session, first, k == 0 || single) {
                            (Some(_), true, _) | (None, _, true) => base_id.clone(),
                            (Some(_), false, _) => format!("{base_id}/session"),
                            (None, _, false) => format!("{base_id}/after"),
                        };
                        let id = self.unique(id);
                        let span = if whole { block.span } else { block.code.source_span(from, to) };
                        let node = self.range_node(bi, from, to, session, id, title.clone(), span);
                        out.push(self.push(node));
                    }
                    if carries {
                        break;
                    }
                }
                Segment::Choice(alternatives) => {
                    let mut branches = Vec::new();
                    for (start, end, key, label) in alternatives {
                        let bid = self.unique(format!("{base_id}/{key}"));
                        let span = block.code.source_span(start, end);
                        let mut body = Vec::new();
                        for (j, (from, to, session)) in sessions(&text, start, end).into_iter().enumerate() {
                            let id = if j == 0 { bid.clone() } else { self.unique(format!("{bid}/session")) };
                            let piece_span = block.code.source_span(from, to);
                            let node = self.range_node(bi, from, to, session, id, label.clone(), piece_span);
                            body.push(self.push(node));
                        }
                        branches.push(Branch { id: bid, title: label, span, body, about: None });
                    }
                    let cid = self.unique(format!("{base_id}/choice"));
                    out.push(self.push(Node {
                        id: cid,
                        title: title.clone(),
                        span: block.span,
                        kind: NodeKind::Choice { branches },
                    }));
                }
            }
        }
        out
    }

    /// The node of a range of a block: its commands, a manual step when it cannot be compiled,
    /// or, when `session` names what its first line opens, the session typed by hand.
    #[allow(clippy::too_many_arguments)]
    fn range_node(
        &mut self,
        bi: usize,
        from: usize,
        to: usize,
        session: Option<String>,
        id: String,
        title: String,
        span: Span,
    ) -> Node {
        let text = self.doc.blocks[bi].code.text.clone();
        let Some(what) = session else {
            return match self.lower(bi, from, to) {
                Ok(script) => self.step_node(id, title, span, script, &text[from..to]),
                Err(why) => Self::refused_node(id, title, span, &text[from..to], &why),
            };
        };
        let line_end = text[from..to].find('\n').map_or(to, |n| from + n);
        let at = self.doc.blocks[bi].code.source_span(from, line_end);
        self.diags.push(
            Diagnostic::warning(Kind::Interactive, at, format!("{what}: the lines after it are typed in that session, by hand"))
                .with_label("opens a session")
                .with_help("the block from this line on becomes one manual step; to let playbook run a command there, write it as one command (`ssh host CMD`, `kubectl exec POD -- CMD`, `psql -c …`)"),
        );
        let typed = text[from..to].lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
        let shown = if typed.lines().count() == 1 {
            format!("{what}; open it and work there by hand:\n{typed}")
        } else {
            format!("{what}; in that session, by hand:\n{typed}")
        };
        let why = Some(what.split_once("` opens ").map_or(what.clone(), |(_, r)| format!("opens {r}")));
        Node { id, title, span, kind: NodeKind::Manual { text: shown, script: Script::default(), why } }
    }

    /// Splits a block's text into plain runs and in-block alternatives: `# OPTION A: …`
    /// markers, or paragraphs whose lines are separated by a `# or` comment.
    fn segments(text: &str) -> Vec<Segment> {
        let markers = markers::block_options(text);
        if markers.len() >= 2 {
            let mut out = Vec::new();
            if !text[..markers[0].0].trim().is_empty() {
                out.push(Segment::Plain(0, markers[0].0));
            }
            let mut alts = Vec::new();
            let mut end_of_last = text.len();
            for (k, (start, label, what)) in markers.iter().enumerate() {
                let end = if let Some(next) = markers.get(k + 1) {
                    next.0
                } else {
                    // The last option runs to the first blank line after one of its commands.
                    end_of_last = paragraph_end(text, *start);
                    end_of_last
                };
                let title = if what.is_empty() { format!("Option {label}") } else { format!("Option {label}: {what}") };
                alts.push((*start, end, format!("option-{}", label.to_lowercase()), title));
            }
            out.push(Segment::Choice(alts));
            if !text[end_of_last..].trim().is_empty() {
                out.push(Segment::Plain(end_of_last, text.len()));
            }
            return out;
        }
        // Paragraphs; one holding `# or` lines is a choice between its parts.
        let mut out: Vec<Segment> = Vec::new();
        let mut plain_start: Option<usize> = None;
        let mut off = 0;
        let mut paragraphs = Vec::new();
        let mut para_start = 0;
        for line in text.split_inclusive('\n') {
            if line.trim().is_empty() {
                if off > para_start {
                    paragraphs.push((para_start, off));
                }
                para_start = off + line.len();
            }
            off += line.len();
        }
        if off > para_start {
            paragraphs.push((para_start, off));
        }
        let labels: Vec<Option<String>> =
            paragraphs.iter().map(|&(ps, pe)| markers::platform_label(&text[ps..pe])).collect();
        let mut k = 0;
        while k < paragraphs.len() {
            let (ps, pe) = paragraphs[k];
            // Paragraphs for one platform or environment each (`# Docker` / `# Kubernetes`,
            // `# Production` / `# Staging`): alternatives, not a sequence.
            let run = labels[k..].iter().take_while(|l| l.is_some()).count();
            if run >= 2 {
                if let Some(s0) = plain_start.take() {
                    out.push(Segment::Plain(s0, ps));
                }
                let alts = (k..k + run)
                    .map(|j| {
                        let label = labels[j].clone().unwrap_or_default();
                        let (start, end) = paragraphs[j];
                        (start, end, slug(&label), label)
                    })
                    .collect();
                out.push(Segment::Choice(alts));
                k += run;
                continue;
            }
            k += 1;
            let mut cuts = Vec::new();
            let mut o = ps;
            for line in text[ps..pe].split_inclusive('\n') {
                if markers::is_or_line(line) {
                    cuts.push((o, o + line.len()));
                }
                o += line.len();
            }
            if cuts.is_empty() {
                plain_start.get_or_insert(ps);
                continue;
            }
            if let Some(s0) = plain_start.take() {
                out.push(Segment::Plain(s0, ps));
            }
            let mut alts = Vec::new();
            let mut start = ps;
            for (k, &(cs, ce)) in cuts.iter().chain(std::iter::once(&(pe, pe))).enumerate() {
                let label = text[start..cs]
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty() && !l.starts_with('#'))
                    .unwrap_or("(nothing)")
                    .to_string();
                alts.push((start, cs, format!("alternative-{}", k + 1), label));
                start = ce;
            }
            out.push(Segment::Choice(alts));
        }
        match plain_start {
            Some(s0) => out.push(Segment::Plain(s0, text.len())),
            None if out.is_empty() => out.push(Segment::Plain(0, text.len())),
            None => {}
        }
        out
    }

    /// Lowers a range of a block; when it cannot be compiled, the errors that say why (they
    /// are kept as diagnostics too, marked as confined to that block).
    fn lower(&mut self, bi: usize, start: usize, end: usize) -> Result<Script, Vec<String>> {
        let block = &self.doc.blocks[bi];
        let mut local = Diagnostics::default();
        let mut lw = Lowerer::new(&block.code, &mut local);
        lw.foreign.clone_from(&self.functions);
        let lowered = lw.lower_range(start, end);
        self.functions.extend(lw.defined());
        let result = if let Some(script) = lowered {
            Ok(script)
        } else {
            local.contain();
            let mut why = local.error_messages();
            why.dedup();
            Err(why)
        };
        self.diags.append(local);
        result
    }

    /// The node of a range that could not be compiled: a manual step carrying the reason.
    fn refused_node(id: String, title: String, span: Span, text: &str, why: &[String]) -> Node {
        let what = text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
        let text = format!("playbook cannot run this block ({}); do it by hand:\n{what}", why.join("; "));
        let why = Some(format!("playbook cannot run this block: {}", why.join("; ")));
        Node { id, title, span, kind: NodeKind::Manual { text, script: Script::default(), why } }
    }

    fn step_node(&self, id: String, title: String, span: Span, script: Script, text: &str) -> Node {
        let _ = self.source;
        let mut simples: Vec<&Simple> = Vec::new();
        script.visit_simple(&mut |s| simples.push(s));
        let runs: Vec<&&Simple> = simples.iter().filter(|s| !matches!(s.action, Action::Assign)).collect();
        let kind = if script.items.is_empty() {
            let comments: Vec<&str> =
                text.lines().map(|l| l.trim().trim_start_matches('#').trim()).filter(|l| !l.is_empty()).collect();
            NodeKind::Manual { text: comments.join("\n"), script, why: None }
        } else if !runs.is_empty() && runs.iter().all(|s| matches!(s.mode, Mode::Manual { .. })) {
            NodeKind::Manual { text: text.trim().to_string(), script, why: None }
        } else if !runs.is_empty() && runs.iter().all(|s| matches!(&s.action, Action::Builtin(b) if b.name == "sleep"))
        {
            let seconds = runs.iter().map(|s| if let Action::Builtin(b) = &s.action { b.seconds } else { None }).sum();
            NodeKind::Wait { seconds, script }
        } else {
            NodeKind::Step { script }
        };
        Node { id, title, span, kind }
    }
}

/// Names that look like credentials become secret inputs: any part of the name (split at `_`,
/// `-`, `.`) that contains one of these words, in any case — `TOKEN2`, `DB_SECRETS`, `SSHKEY`,
/// `ACCESSKEY_ID`, `SecretKey`, `X-Auth-Token`. Wrongly secret costs a masked value; wrongly
/// not secret costs a leak, so the rule is broad.
#[must_use]
pub fn is_secret(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PASS",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "PRIVATE",
        "CERT",
        "COOKIE",
        "SESSION",
    ];
    name.to_ascii_uppercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| WORDS.iter().any(|w| part.contains(w)))
}

/// The shell's variables a run takes from the operator's environment (or, for `HOSTNAME` and
/// `UID`, from the host) when the runbook reads them.
pub const AMBIENT_ENV: &[&str] =
    &["HOME", "USER", "LOGNAME", "SHELL", "PATH", "LANG", "TERM", "TMPDIR", "HOSTNAME", "UID"];

/// Variables every shell has: read from the host, never inputs.
const AMBIENT: &[&str] = &[
    "HOME", "USER", "PATH", "PWD", "OLDPWD", "HOSTNAME", "SHELL", "TMPDIR", "LANG", "TERM", "LOGNAME", "UID", "RANDOM",
];

fn collect_inputs(graph: &StepGraph) -> (Vec<Input>, Vec<Vec<usize>>) {
    let mut assigned: BTreeSet<String> = BTreeSet::new();
    let mut reads: Vec<(String, Span, bool)> = Vec::new();
    let mut optional: BTreeSet<String> = BTreeSet::new();
    let visit_script = |script: &Script, assigned: &mut BTreeSet<String>, reads: &mut Vec<(String, Span, bool)>| {
        fn script_vars(s: &Script, assigned: &mut BTreeSet<String>, reads: &mut Vec<(String, Span, bool)>) {
            for item in &s.items {
                for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                    for c in &p.commands {
                        command_vars(c, assigned, reads);
                    }
                }
            }
        }
        fn word_vars(w: &crate::shell::Word, assigned: &mut BTreeSet<String>, reads: &mut Vec<(String, Span, bool)>) {
            for part in &w.parts {
                match part {
                    Part::Var { name, default, op, .. } => {
                        let name = if default.is_some() { format!("{name}\u{0}optional") } else { name.clone() };
                        reads.push((name, w.span, false));
                        if let Some(d) = default {
                            word_vars(d, assigned, reads);
                        }
                        for o in op.iter().flat_map(|o| o.words()) {
                            word_vars(o, assigned, reads);
                        }
                    }
                    Part::Input { name } => reads.push((name.clone(), w.span, true)),
                    Part::Subst { script, .. } => script_vars(script, assigned, reads),
                    // A name arithmetic reads and the block never assigns is an optional input
                    // (unset, it is 0, as in bash).
                    Part::Arith { expr, .. } => {
                        let mut names = Vec::new();
                        expr.assigned(&mut names);
                        assigned.extend(names);
                        let mut read = Vec::new();
                        expr.reads(&mut read);
                        reads.extend(read.into_iter().map(|n| (format!("{n}\u{0}optional"), w.span, false)));
                        for w in expr.words() {
                            word_vars(w, assigned, reads);
                        }
                    }
                    _ => {}
                }
            }
        }
        fn command_vars(c: &Command, assigned: &mut BTreeSet<String>, reads: &mut Vec<(String, Span, bool)>) {
            match c {
                Command::Simple(s) => {
                    for (name, w) in &s.assignments {
                        word_vars(w, assigned, reads);
                        assigned.insert(name.clone());
                    }
                    let is_export = matches!(&s.action, Action::Builtin(b) if matches!(b.name.as_str(), "export" | "read" | "unset"));
                    if matches!(&s.action, Action::Builtin(b) if b.name == "read") {
                        assigned.insert("REPLY".to_string());
                    }
                    for w in s.argv.iter().skip(1) {
                        if is_export {
                            let p = w.literal_prefix();
                            let name = p.split('=').next().unwrap_or("");
                            if !name.is_empty() && !name.starts_with('-') {
                                assigned.insert(name.to_string());
                            }
                        }
                        word_vars(w, assigned, reads);
                    }
                    for r in &s.redirects {
                        word_vars(&r.target, assigned, reads);
                    }
                }
                Command::If { arms, otherwise, .. } => {
                    for (a, b) in arms {
                        script_vars(a, assigned, reads);
                        script_vars(b, assigned, reads);
                    }
                    if let Some(o) = otherwise {
                        script_vars(o, assigned, reads);
                    }
                }
                Command::For { var, items, body, .. } => {
                    for w in items {
                        word_vars(w, assigned, reads);
                    }
                    assigned.insert(var.clone());
                    script_vars(body, assigned, reads);
                }
                Command::While { cond, body, .. } => {
                    script_vars(cond, assigned, reads);
                    script_vars(body, assigned, reads);
                }
                Command::Group { body, redirects, .. } => {
                    script_vars(body, assigned, reads);
                    for r in redirects {
                        word_vars(&r.target, assigned, reads);
                    }
                }
                Command::Call(call) => {
                    for w in &call.args {
                        word_vars(w, assigned, reads);
                    }
                    assigned.extend(call.locals.iter().cloned());
                    script_vars(&call.body, assigned, reads);
                }
                Command::Case { word, arms, .. } => {
                    word_vars(word, assigned, reads);
                    for (patterns, body) in arms {
                        for w in patterns {
                            word_vars(w, assigned, reads);
                        }
                        script_vars(body, assigned, reads);
                    }
                }
            }
        }
        script_vars(script, assigned, reads);
    };
    graph.walk(&mut |node| {
        if let Some(s) = StepGraph::script(node) {
            visit_script(s, &mut assigned, &mut reads);
        }
    });
    let mut inputs: Vec<Input> = Vec::new();
    for (name, _, _) in &reads {
        if let Some(n) = name.strip_suffix("\u{0}optional") {
            optional.insert(n.to_string());
        }
    }
    let required_somewhere: BTreeSet<String> =
        reads.iter().filter(|(n, _, _)| !n.ends_with("\u{0}optional")).map(|(n, _, _)| n.clone()).collect();
    for (name, span, placeholder) in reads {
        let name = name.strip_suffix("\u{0}optional").map_or(name.clone(), str::to_string);
        if !placeholder
            && (assigned.contains(&name)
                || AMBIENT.contains(&name.as_str())
                || crate::shell::is_positional(&name)
                || crate::shell::array_ref(&name).is_some())
        {
            continue;
        }
        if inputs.iter().any(|i| i.name == name) {
            continue;
        }
        inputs.push(Input {
            secret: is_secret(&name),
            source: if placeholder { "placeholder" } else { "env" },
            required: placeholder || required_somewhere.contains(&name) || !optional.contains(&name),
            name,
            span,
        });
    }
    let needs = graph
        .nodes
        .iter()
        .map(|node| {
            let mut out: Vec<usize> = Vec::new();
            if let Some(s) = StepGraph::script(node) {
                let (mut assigned, mut reads) = (BTreeSet::new(), Vec::new());
                visit_script(s, &mut assigned, &mut reads);
                for (name, _, _) in reads {
                    let name = name.strip_suffix("\u{0}optional").unwrap_or(&name);
                    if let Some(i) = inputs.iter().position(|i| i.name == name)
                        && !out.contains(&i)
                    {
                        out.push(i);
                    }
                }
            }
            out
        })
        .collect();
    (inputs, needs)
}

#[cfg(test)]
mod tests {
    use super::Marker;
    use super::markers::{block_options, is_or_line, of_title};

    #[test]
    fn title_markers() {
        assert_eq!(of_title("Option 1: Rollback", ""), Some(Marker::Option));
        assert_eq!(of_title("OPTION b - scale", ""), Some(Marker::Option));
        assert_eq!(of_title("Optional extras", ""), None);
        assert_eq!(of_title("If Pods are CrashLoopBackOff:", ""), Some(Marker::If));
        assert_eq!(of_title("Iffy", ""), None);
        assert_eq!(of_title("For SEV-1 (Critical)", ""), Some(Marker::Severity));
        assert_eq!(of_title("P0 - Service Down", ""), Some(Marker::Severity));
        assert_eq!(of_title("Postmortem", ""), None);
        assert_eq!(of_title("Scenario 3: High Latency", ""), Some(Marker::Scenario));
        assert_eq!(of_title("2. Out of Memory", "Common Causes & Solutions"), Some(Marker::Numbered));
        assert_eq!(of_title("2. Out of Memory", "Procedure"), None);
        assert_eq!(of_title("Code Issues:", ""), Some(Marker::Colon));
    }

    #[test]
    fn comment_markers() {
        let text = "x\n# OPTION A: Roll back\n#option 2 - restart now\n# optional: no\n";
        assert_eq!(
            block_options(text),
            [(2, "A".to_string(), "Roll back".to_string()), (24, "2".to_string(), "restart now".to_string())]
        );
        assert!(is_or_line("  # or\n") && is_or_line("## OR:") && !is_or_line("# order matters"));
    }
}

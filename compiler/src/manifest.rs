//! The capability manifest, inferred from the graph: one grant per distinct need of the typed
//! requests the code generator emits. The document itself (what a reviewer signs, what the
//! runtime reads back) is `playbook_capability::manifest`.

use playbook_capability::manifest::{self as doc, InputSource, MANIFEST_VERSION};
use serde::Serialize;

use crate::action::{Effect, Mode};
use crate::graph::StepGraph;
use crate::source::{Source, Span};

/// One permission: a capability on an exact scope, with where it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    pub id: String,
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
    pub privileged: bool,
    /// Streamed for at most this many seconds.
    pub bounded: Option<u32>,
    pub span: Span,
    pub steps: Vec<String>,
}

/// A command the operator performs by hand: not granted, only shown.
#[derive(Clone, Debug, Serialize)]
pub struct ManualCommand {
    pub command: String,
    pub reason: String,
    pub span: Span,
    pub step: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub name: String,
    pub source_file: String,
    pub source_sha256: String,
    pub inputs: Vec<crate::graph::Input>,
    pub grants: Vec<Grant>,
    pub manual: Vec<ManualCommand>,
    /// `(command span, capability, grant index)` for every need: how the code generator finds
    /// the grant each request carries.
    #[serde(skip)]
    pub uses: Vec<(Span, String, u32)>,
}

/// Infers the manifest: one grant per distinct (capability, effect, scope, privilege).
#[must_use]
pub fn infer(source: &Source, graph: &StepGraph, sha256: &str) -> Manifest {
    let mut grants: Vec<Grant> = Vec::new();
    let mut manual = Vec::new();
    let mut uses: Vec<(Span, String, u32)> = Vec::new();
    // The working directory as `cd` leaves it, in document order: relative paths are
    // granted where they will really be (choices and loops are not followed).
    let mut cwd: Option<String> = None;
    graph.walk(&mut |node| {
        // A block playbook cannot run, a session, a database prompt: listed for the reviewer.
        if let crate::graph::NodeKind::Manual { text, why: Some(why), .. } = &node.kind {
            let typed: Vec<&str> = text.lines().skip(1).collect();
            let more = typed.len().saturating_sub(1);
            manual.push(ManualCommand {
                command: format!(
                    "{}{}",
                    typed.first().map_or("", |l| l.trim()),
                    if more > 0 {
                        format!(" (+{more} line{})", if more == 1 { "" } else { "s" })
                    } else {
                        String::new()
                    }
                ),
                reason: why.clone(),
                span: node.span,
                step: node.id.clone(),
            });
        }
        let Some(script) = StepGraph::script(node) else { return };
        // A `cd` inside `( … )` ends with it.
        let mut subshells = script.subshells();
        subshells.sort_by_key(|s| s.start);
        let mut next = 0;
        let loops = script.loop_values();
        // (A `$(…)` is visited before the command holding it, which starts before it: leaving
        // the substitution's span, either way, ends it.)
        let mut open: Vec<(Span, Option<String>)> = Vec::new();
        script.visit_simple(&mut |s| {
            while open.last().is_some_and(|(at, _)| at.end <= s.span.start || at.start > s.span.start) {
                if let Some((_, saved)) = open.pop() {
                    cwd = saved;
                }
            }
            while next < subshells.len() && subshells[next].start <= s.span.start {
                if subshells[next].end > s.span.start {
                    open.push((subshells[next], cwd.clone()));
                }
                next += 1;
            }
            if let Mode::Manual { reason } = &s.mode {
                manual.push(ManualCommand {
                    command: source.slice(s.span).split_whitespace().collect::<Vec<_>>().join(" "),
                    reason: reason.clone(),
                    span: s.span,
                    step: node.id.clone(),
                });
                return;
            }
            if let crate::action::Action::Builtin(b) = &s.action
                && b.name == "cd"
            {
                let target = b.args.first().map_or_else(|| "~".to_string(), crate::shell::Word::template);
                cwd = Some(playbook_capability::fs::join_dir(cwd.as_deref(), &target));
            }
            let bounded = if let Mode::Bounded { seconds, .. } = s.mode { Some(seconds) } else { None };
            let privileged = s.privileged || s.action.privileged();
            // Inside `for f in a b c`, the command as it runs for each value: its grants name
            // the values, not a hole that could hold anything.
            let mut variants = vec![s.clone()];
            for (var, values) in loops.get(&(s.span.start, s.span.end)).into_iter().flatten() {
                let hole = format!("{{var.{var}}}");
                let uses_var = variants.iter().any(|v| {
                    v.action.needs(cwd.as_deref()).iter().any(|n| n.scope.iter().any(|(_, x)| x.contains(&hole)))
                        || v.redirects.iter().any(|r| r.target.template().contains(&hole))
                });
                if !uses_var || variants.len() * values.len() > 256 {
                    continue;
                }
                variants = variants
                    .iter()
                    .flat_map(|v| {
                        values.iter().map(move |value| {
                            let mut one = v.clone();
                            // The paths of a glob: split unquoted, each is still one of them,
                            // which the hole checks.
                            if value.starts_with("{glob `") {
                                let words = one
                                    .action
                                    .words_mut()
                                    .into_iter()
                                    .chain(one.redirects.iter_mut().map(|r| &mut r.target));
                                for w in words {
                                    for p in &mut w.parts {
                                        if let crate::shell::Part::Var { name, quoted, .. } = p
                                            && name == var
                                        {
                                            *quoted = true;
                                        }
                                    }
                                }
                            }
                            let mut c = crate::shell::Command::Simple(Box::new(one));
                            c.replace_var(var, value);
                            let crate::shell::Command::Simple(one) = c else { unreachable!("a simple command") };
                            *one
                        })
                    })
                    .collect();
            }
            for v in &variants {
                let redirects = v.redirects.iter().filter_map(crate::shell::Redirect::request);
                let needs =
                    v.action.needs(cwd.as_deref()).into_iter().chain(redirects.flat_map(|r| r.needs(cwd.as_deref())));
                for need in needs {
                    add_grant(&mut grants, &mut uses, need, s.span, &node.id, privileged, bounded);
                }
            }
        });
        // The output redirections of groups and loops (`{ …; } > FILE`, `done >> LOG`).
        for (r, span) in script.group_redirects() {
            if let Some(req) = r.request() {
                for need in req.needs(cwd.as_deref()) {
                    add_grant(&mut grants, &mut uses, need, span, &node.id, false, None);
                }
            }
        }
        // A subshell still open at the end of the block ends there.
        if let Some((_, saved)) = open.into_iter().next() {
            cwd = saved;
        }
    });
    Manifest {
        name: graph.title.clone(),
        source_file: source.file_name().to_string(),
        source_sha256: sha256.to_string(),
        inputs: graph.inputs.clone(),
        grants,
        manual,
        uses,
    }
}

impl Manifest {
    /// The document a reviewer signs and the runtime enforces.
    #[must_use]
    pub fn document(&self, source: &Source) -> doc::Manifest {
        doc::Manifest {
            manifest_version: MANIFEST_VERSION,
            playbook: doc::Playbook {
                name: self.name.clone(),
                source_file: self.source_file.clone(),
                source_sha256: self.source_sha256.clone(),
            },
            inputs: self
                .inputs
                .iter()
                .map(|i| doc::Input {
                    name: i.name.clone(),
                    secret: i.secret,
                    source: if i.source == "placeholder" { InputSource::Placeholder } else { InputSource::Env },
                    required: i.required,
                    origin: source.origin(i.span.start),
                })
                .collect(),
            grants: self
                .grants
                .iter()
                .map(|g| doc::Grant {
                    id: g.id.clone(),
                    capability: g.capability.clone(),
                    effect: g.effect,
                    scope: doc::Scope(g.scope.clone()),
                    privileged: g.privileged,
                    bounded_seconds: g.bounded,
                    origin: source.origin(g.span.start),
                    steps: g.steps.clone(),
                })
                .collect(),
            manual: self
                .manual
                .iter()
                .map(|m| doc::Manual {
                    command: m.command.clone(),
                    reason: m.reason.clone(),
                    origin: source.origin(m.span.start),
                    step: m.step.clone(),
                })
                .collect(),
        }
    }

    /// The JSON form of DESIGN §4, deterministic key order.
    #[must_use]
    pub fn to_json(&self, source: &Source) -> serde_json::Value {
        self.document(source).to_json()
    }

    /// A readable form for reviewers, grouped by effect, with red flags.
    #[must_use]
    pub fn to_text(&self, source: &Source) -> String {
        self.document(source).to_text()
    }
}

/// A URL written with a character that can hide another one. Checked on the URL as written:
/// parsing maps some away (IDNA drops a zero-width space), so the grant's parsed URL is clean.
#[must_use]
pub fn confusable_urls(graph: &StepGraph) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Kind};
    let mut out = Vec::new();
    graph.walk(&mut |node| {
        let Some(script) = StepGraph::script(node) else { return };
        script.visit_simple(&mut |s| {
            let crate::action::Action::Http(h) = &s.action else { return };
            let url = h.url.template();
            if let Some(why) = doc::confusing("url", &url) {
                out.push(
                    Diagnostic::error(Kind::ConfusableName, h.url.span, format!("the URL `{}` holds {why}", url.escape_default()))
                        .with_label("may hide another target")
                        .with_help("write names and hosts in plain ASCII (an IDN host as its xn-- form); a reviewer must see the exact target"),
                );
            }
        });
    });
    out
}

/// A target written with a character that can hide another one: an error at the command.
#[must_use]
pub fn confusable(m: &Manifest) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Kind};
    let mut out = Vec::new();
    for g in &m.grants {
        for (k, v) in &g.scope {
            if let Some(why) = doc::confusing(k, v) {
                out.push(
                    Diagnostic::error(
                        Kind::ConfusableName,
                        g.span,
                        format!("the {k} `{}` of {} holds {why}", v.escape_default(), g.capability),
                    )
                    .with_label("may hide another target")
                    .with_help(
                        "write names and hosts in plain ASCII (an IDN host as its xn-- form); a reviewer must see the exact target",
                    ),
                );
            }
        }
    }
    out
}

/// Adds a need to the grants: to the grant of the same capability, effect, scope and privilege
/// if there is one (recording the step), else as a new grant.
fn add_grant(
    grants: &mut Vec<Grant>,
    uses: &mut Vec<(Span, String, u32)>,
    need: playbook_capability::Need,
    span: Span,
    step: &str,
    privileged: bool,
    bounded: Option<u32>,
) {
    if let Some((gi, g)) = grants.iter_mut().enumerate().find(|(_, g)| {
        g.capability == need.capability
            && g.effect == need.effect
            && g.scope == need.scope
            && g.privileged == privileged
    }) {
        if !g.steps.iter().any(|s| s == step) {
            g.steps.push(step.to_string());
        }
        g.bounded = g.bounded.max(bounded);
        uses.push((span, g.capability.clone(), u32::try_from(gi).unwrap_or(u32::MAX)));
        return;
    }
    uses.push((span, need.capability.clone(), u32::try_from(grants.len()).unwrap_or(u32::MAX)));
    grants.push(Grant {
        id: format!("g{}", grants.len() + 1),
        capability: need.capability,
        effect: need.effect,
        scope: need.scope,
        privileged,
        bounded,
        span,
        steps: vec![step.to_string()],
    });
}

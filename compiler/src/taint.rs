//! Secret taint: which commands' output a secret input flowed into — through variables, pipes,
//! command substitutions, filters and files written — so the host masks that output as a whole
//! on the terminal and in the trace, whatever transformation hid the secret's text (`rev`,
//! `base64`, `jq explode`, `od -c`).
//!
//! A flow-insensitive fixpoint over the whole runbook: a variable is tainted when any assignment
//! of it is, a file when any write of it is. Wrongly tainted costs a masked output; wrongly clean
//! costs a leak, so the rule errs one way. An HTTP request's headers (`Authorization: Bearer …`)
//! do not taint its response: a server answers with its own data, and what it echoes of a header
//! is still caught by the masking of the secret's own text.

use std::collections::BTreeSet;

use crate::action::Action;
use crate::graph::{NodeKind, StepGraph};
use crate::shell::{Command, Part, Pipeline, RedirectOp, Script, Simple, Word};

/// What is known to carry a secret.
#[derive(Default)]
struct Taint {
    /// Secret inputs (placeholders and environment variables).
    inputs: BTreeSet<String>,
    /// Variables assigned a tainted value somewhere.
    vars: BTreeSet<String>,
    /// Files (as templates) written with tainted content somewhere.
    files: BTreeSet<String>,
    changed: bool,
}

impl Taint {
    fn word(&self, w: &Word) -> bool {
        w.parts.iter().any(|p| match p {
            Part::Input { name } => self.inputs.contains(name),
            Part::Var { name, default, op, .. } => {
                let array = crate::shell::array_ref(name).map(|(a, _)| a.to_string());
                self.inputs.contains(name)
                    || self.vars.contains(name)
                    || array.is_some_and(|a| self.vars.contains(&a))
                    || default.as_ref().is_some_and(|d| self.word(d))
                    || op.as_ref().is_some_and(|o| o.words().into_iter().any(|w| self.word(w)))
            }
            Part::Subst { script, .. } => self.script_output(script),
            Part::Arith { expr, .. } => {
                let mut reads = Vec::new();
                expr.reads(&mut reads);
                reads.iter().any(|n| self.inputs.contains(n) || self.vars.contains(n))
                    || expr.words().into_iter().any(|w| self.word(w))
            }
            Part::Lit { .. } | Part::Glob { .. } | Part::Home | Part::Status => false,
        })
    }

    /// Whether anything a script prints (to stdout, as `$(…)` captures it) is tainted.
    fn script_output(&self, s: &Script) -> bool {
        let mut any = false;
        s.visit_simple(&mut |c| any |= self.output(c, false));
        any
    }

    fn taint_var(&mut self, name: &str) {
        if self.vars.insert(name.to_string()) {
            self.changed = true;
        }
    }

    fn taint_file(&mut self, template: String) {
        if self.files.insert(template) {
            self.changed = true;
        }
    }

    /// Whether a simple command's output derives from a secret, given whether its input does.
    fn output(&self, s: &Simple, stdin: bool) -> bool {
        let mut t = stdin;
        for r in &s.redirects {
            match r.op {
                RedirectOp::Read => t |= r.file().is_some_and(|f| self.files.contains(&f.template())),
                RedirectOp::HereDoc | RedirectOp::HereString => t |= self.word(&r.target),
                _ => {}
            }
        }
        t |= s.assignments.iter().any(|(_, w)| self.word(w));
        t |= match &s.action {
            // A server's answer does not derive from the headers it was sent.
            Action::Http(h) => self.word(&h.url) || h.body.as_ref().is_some_and(|b| self.word(b)),
            Action::Fs(f) => {
                f.paths.iter().any(|p| self.word(p) || self.files.contains(&p.template()))
                    || f.options.iter().filter_map(|o| o.value.as_ref()).any(|v| self.word(v))
            }
            Action::Text(x) => {
                x.files.iter().any(|p| self.word(p) || self.files.contains(&p.template()))
                    || x.operands.iter().any(|w| self.word(w))
                    || x.options.iter().filter_map(|o| o.value.as_ref()).any(|v| self.word(v))
                    || x.env.iter().any(|(_, w)| self.word(w))
            }
            other => other.words().into_iter().any(|w| self.word(w)),
        };
        t
    }

    /// What a command taints: variables it assigns, files it writes.
    fn effects(&mut self, s: &Simple, output: bool) {
        // `(( x = SECRET ))`, `$((n += SECRET))`: what the arithmetic assigns from a secret.
        for w in s.action.words().into_iter().chain(s.assignments.iter().map(|(_, w)| w)) {
            for p in &w.parts {
                if let Part::Arith { expr, .. } = p
                    && self.word(&Word { parts: vec![p.clone()], span: w.span })
                {
                    let mut names = Vec::new();
                    expr.assigned(&mut names);
                    for n in &names {
                        self.taint_var(n);
                    }
                }
            }
        }
        for (name, w) in &s.assignments {
            if matches!(s.action, Action::Assign | Action::Invalid) && self.word(w) {
                self.taint_var(name);
            }
        }
        // `a=("$TOKEN")`: the array (every element) is secret.
        if let Action::Builtin(b) = &s.action
            && matches!(b.name.as_str(), "=(" | "+=(")
            && b.args.iter().skip(1).any(|w| self.word(w))
            && let Some(name) = b.args.first().and_then(Word::literal)
        {
            self.taint_var(&name);
        }
        if let Action::Builtin(b) = &s.action
            && matches!(b.name.as_str(), "export")
        {
            for a in &b.args {
                let p = a.literal_prefix();
                if let Some(eq) = p.find('=')
                    && self.word(a)
                {
                    self.taint_var(&p[..eq]);
                }
            }
        }
        if output {
            for r in &s.redirects {
                if matches!(r.op, RedirectOp::Write | RedirectOp::Append | RedirectOp::WriteBoth { .. })
                    && let Some(f) = r.file()
                {
                    self.taint_file(f.template());
                }
            }
            if let Action::Fs(f) = &s.action {
                use playbook_capability::fs::FsOp;
                match f.op {
                    FsOp::Write | FsOp::Append => f.paths.iter().for_each(|p| self.taint_file(p.template())),
                    FsOp::Copy | FsOp::Move => f.dest.iter().for_each(|d| self.taint_file(d.template())),
                    _ => {}
                }
            }
        }
    }

    fn script(&mut self, s: &mut Script) {
        for item in &mut s.items {
            self.pipeline(&mut item.chain.first);
            for (_, p) in &mut item.chain.rest {
                self.pipeline(p);
            }
        }
    }

    fn pipeline(&mut self, p: &mut Pipeline) {
        let mut stdin = false;
        for c in &mut p.commands {
            stdin = self.command(c, stdin);
        }
    }

    /// Marks a command and returns whether its output is tainted.
    fn command(&mut self, c: &mut Command, stdin: bool) -> bool {
        match c {
            Command::Simple(s) => {
                // Substitutions inside it first: their commands are marked too.
                for w in s.action.words_mut().into_iter().chain(s.assignments.iter_mut().map(|(_, w)| w)) {
                    self.subst(w);
                }
                let out = self.output(s, stdin);
                s.secret = out;
                self.effects(s, out);
                out
            }
            Command::If { arms, otherwise, .. } => {
                let mut out = false;
                for (cond, then) in arms {
                    self.script(cond);
                    self.script(then);
                    out |= self.script_output(cond) || self.script_output(then);
                }
                if let Some(o) = otherwise {
                    self.script(o);
                    out |= self.script_output(o);
                }
                out
            }
            Command::For { var, items, body, .. } => {
                if items.iter().any(|w| self.word(w)) {
                    self.taint_var(var);
                }
                for w in items.iter_mut() {
                    self.subst(w);
                }
                self.script(body);
                self.script_output(body)
            }
            Command::While { cond, body, .. } => {
                self.script(cond);
                self.script(body);
                self.script_output(cond) || self.script_output(body)
            }
            Command::Group { body, .. } => {
                self.script(body);
                stdin || self.script_output(body)
            }
            // An argument derived from a secret makes the positional parameters secret (in
            // every function: wrongly secret costs a masked value).
            Command::Call(call) => {
                if call.args.iter().any(|w| self.word(w)) {
                    for n in (1..=call.args.len().max(9)).map(|n| n.to_string()).chain(["@".into(), "*".into()]) {
                        self.taint_var(&n);
                    }
                }
                for w in &mut call.args {
                    self.subst(w);
                }
                self.script(&mut call.body);
                stdin || self.script_output(&call.body)
            }
            Command::Case { word, arms, .. } => {
                self.subst(word);
                let mut out = false;
                for (patterns, body) in arms {
                    for w in patterns.iter_mut() {
                        self.subst(w);
                    }
                    self.script(body);
                    out |= self.script_output(body);
                }
                out
            }
        }
    }

    fn subst(&mut self, w: &mut Word) {
        for p in &mut w.parts {
            if let Part::Subst { script, .. } = p {
                self.script(script);
            }
            for inner in p.inner_words_mut() {
                self.subst(inner);
            }
        }
    }
}

/// Marks every command whose output derives from a secret input (`Simple::secret`).
pub fn mark(graph: &mut StepGraph) {
    let mut t = Taint {
        inputs: graph.inputs.iter().filter(|i| i.secret).map(|i| i.name.clone()).collect(),
        ..Taint::default()
    };
    if t.inputs.is_empty() {
        return;
    }
    // Taint only grows, and there are finitely many names: this ends.
    for _ in 0..32 {
        t.changed = false;
        for node in &mut graph.nodes {
            if let NodeKind::Step { script } | NodeKind::Wait { script, .. } | NodeKind::Manual { script, .. } =
                &mut node.kind
            {
                t.script(script);
            }
        }
        if !t.changed {
            break;
        }
    }
}

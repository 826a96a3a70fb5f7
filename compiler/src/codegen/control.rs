//! Control flow: sequences, `&&`/`||`/`!`, pipes, `if`, `for`, `while`, groups and
//! redirections run in the guest; each simple command goes to its family's request.

use wasm_encoder::BlockType::Empty;
use wasm_encoder::Instruction as W;

use super::values::{Fx, Sink, V};
use crate::action::{Action, Mode};
use crate::shell::{Command, Connector, Pipeline, Redirect, RedirectOp, Script, Simple, Word};
use crate::source::Span;

/// A pipeline that is one `if`, loop or `{ …; }`: `set -e` looked at the commands inside it, and
/// does not look again at its status (`for …; do a && b; done` goes on when `a` fails, as
/// bash does). A subshell's failure counts where it stands, and so does a group whose own
/// redirection failed (`{ …; } > /missing/x`).
fn inside_checked(p: &Pipeline) -> bool {
    !p.negated
        && match p.commands.as_slice() {
            [Command::If { .. } | Command::For { .. } | Command::While { .. } | Command::Case { .. }] => true,
            [Command::Group { subshell: false, redirects, .. }] => redirects.is_empty(),
            _ => false,
        }
}

impl Fx<'_, '_> {
    /// A step's commands, one top-level line at a time (`text` is the runbook's): an error in
    /// arithmetic abandons the rest of its line, as bash does, and the next line runs.
    pub fn lines(&mut self, s: &Script, text: &str) {
        let mut start = 0;
        for (i, item) in s.items.iter().enumerate() {
            let next = s.items.get(i + 1);
            let ends = next.is_none_or(|n| text.get(item.span.end..n.span.start).is_none_or(|t| t.contains('\n')));
            if ends {
                self.open(W::Block(Empty));
                self.discards.push(self.depth);
                self.items(&s.items[start..=i], Sink::Terminal);
                self.discards.pop();
                self.close();
                self.b.c(0).set(self.discarding);
                start = i + 1;
            }
        }
    }

    pub fn script(&mut self, s: &Script, sink: Sink) {
        self.items(&s.items, sink);
    }

    fn items(&mut self, items: &[crate::shell::Item], sink: Sink) {
        for item in items {
            // `set -e` looks at the last command of a list only, never at a background job.
            let last = item.chain.rest.len();
            let checked =
                |fx: &Self, k: usize, p: &Pipeline| k == last && !p.negated && !item.background && fx.no_errexit == 0;
            // The step of `for ((…))` is not a command of the body: `set -e` does not look at it.
            let step = matches!(item.chain.first.commands.as_slice(),
                [Command::Simple(s)] if matches!(&s.action, Action::Builtin(b) if b.name == "((step"));
            let check = checked(self, 0, &item.chain.first) && !step;
            self.no_errexit += u32::from(!check);
            self.pipeline(&item.chain.first, sink, item.background);
            self.no_errexit -= u32::from(!check);
            if check && !inside_checked(&item.chain.first) {
                self.errexit_check();
            }
            for (k, (conn, p)) in item.chain.rest.iter().enumerate() {
                self.b.get(self.status);
                if *conn == Connector::And {
                    self.b.i(W::I32Eqz);
                }
                self.open(W::If(Empty));
                let check = checked(self, k + 1, p);
                self.no_errexit += u32::from(!check);
                self.pipeline(p, sink, item.background);
                self.no_errexit -= u32::from(!check);
                if check && !inside_checked(p) {
                    self.errexit_check();
                }
                self.close();
            }
        }
    }

    /// A condition (`if`, `while`, `until`): `set -e` does not apply in it.
    fn condition(&mut self, s: &Script, sink: Sink) {
        self.no_errexit += 1;
        self.script(s, sink);
        self.no_errexit -= 1;
    }

    pub(super) fn pipeline(&mut self, p: &Pipeline, sink: Sink, background: bool) {
        let mut stdin = self.g.str("");
        let n = p.commands.len();
        // `set -o pipefail`: the rightmost failure of the pipeline is its status.
        let failed = (n > 1).then(|| self.b.local());
        if let Some(f) = failed {
            self.b.c(0).set(f);
        }
        // Element `k` reads element `k - 1`'s output through a host pipe, as it is written,
        // when it is one program (a filter, `docker`, `kubectl`, another program); elsewhere
        // (a loop, a builtin, `read`) the output is collected first.
        let piped: Vec<bool> =
            (0..n).map(|k| k > 0 && !background && reads_a_pipe(&p.commands[k], k + 1 == n)).collect();
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && piped[j + 1] {
                j += 1;
            }
            // Elements `i..=j` run joined by pipes; what comes after `j` reads its output from
            // a buffer.
            let (run_sink, buffer) = if j + 1 == n {
                (sink, None)
            } else {
                let (ap, al) = self.new_buffer();
                (Sink::Capture(ap, al), Some((ap, al)))
            };
            if i == j {
                self.element(p, i, &stdin, run_sink, background);
            } else {
                // The pipe read by each element `k` of `i + 1..=j`, started right to left: each
                // reader runs before what writes into its pipe.
                let pipes: Vec<u32> = (i + 1..=j)
                    .map(|_| {
                        let h = self.b.local();
                        self.call("pipes", "open", &[]);
                        self.b.set(h);
                        h
                    })
                    .collect();
                // The last command writes into a file: the host writes it from a pipe of its
                // own, opened first, as bash opens the file when that command starts.
                let sink_file = match &p.commands[j] {
                    Command::Simple(s) if j + 1 == n => without_file_sink(s).zip(file_sink(s)),
                    _ => None,
                };
                let file_pipe = sink_file.as_ref().map(|(_, (r, _))| {
                    let hf = self.b.local();
                    self.call("pipes", "open", &[]);
                    self.b.set(hf);
                    let req = r.request().expect("a file redirection");
                    self.fs_request(p.commands[j].span(), &req, &V::Pipe(hf), Sink::Terminal, false);
                    hf
                });
                if file_pipe.is_some() {
                    // (The file could not be opened: the pipeline does not run; status 1.)
                    self.b.get(self.status).i(W::I32Eqz);
                    self.open(W::If(Empty));
                }
                let pipe = |k: usize| pipes[k - i - 1];
                let sink_of = |k: usize| match file_pipe {
                    Some(hf) if k == j => Sink::Stream(hf),
                    _ if k == j => run_sink,
                    _ => Sink::Stream(pipe(k + 1)),
                };
                for k in (i + 1..=j).rev() {
                    match (&sink_file, k == j) {
                        (Some((rest, (_, merge))), true) => {
                            let c = Command::Simple(Box::new(rest.clone()));
                            self.element_of(n, k, &c, &V::Pipe(pipe(k)), sink_of(k), background, *merge);
                            if let Some(hf) = file_pipe {
                                self.call("pipes", "close", &[("pipe", V::L(hf))]);
                            }
                        }
                        _ => self.element(p, k, &V::Pipe(pipe(k)), sink_of(k), background),
                    }
                    if k < j {
                        // (The reader of the next pipe holds its own end of it.)
                        self.call("pipes", "close", &[("pipe", V::L(pipe(k + 1)))]);
                    }
                }
                self.element(p, i, &stdin, Sink::Stream(pipe(i + 1)), background);
                self.call("pipes", "close", &[("pipe", V::L(pipe(i + 1)))]);
                if let Some(f) = failed {
                    self.b.get(self.status).get(f).get(self.status).i(W::Select).set(f);
                }
                for k in i + 1..=j {
                    self.call("pipes", "wait", &[("pipe", V::L(pipe(k)))]);
                    let out = self.outcome();
                    // (On the terminal or into a pipe, the host has put it there already.)
                    self.route(&out, sink_of(k), false);
                    if let (Some(f), true) = (failed, k + 1 < n) {
                        self.b.get(self.status).get(f).get(self.status).i(W::Select).set(f);
                    }
                }
                if let Some(hf) = file_pipe {
                    // The file written: a write that failed fails the command (status 1).
                    let saved = self.b.local();
                    self.b.get(self.status).set(saved);
                    self.call("pipes", "wait", &[("pipe", V::L(hf))]);
                    let _ = self.outcome();
                    self.b.c(1).get(saved).get(self.status).i(W::Select).set(self.status);
                    self.b.i(W::Else);
                    self.b.c(1).set(self.status);
                    self.close();
                }
            }
            if let Some((ap, al)) = buffer {
                stdin = V::pair(ap, al);
                if let (Some(f), true) = (failed, i == j) {
                    self.b.get(self.status).get(f).get(self.status).i(W::Select).set(f);
                }
            }
            i = j + 1;
        }
        if let Some(f) = failed {
            // status == 0 && pipefail: the rightmost failure before it.
            self.b.get(self.status).i(W::I32Eqz).i(W::GlobalGet(super::helpers::G_PIPEFAIL)).i(W::I32And);
            self.open(W::If(Empty));
            self.b.get(f).set(self.status);
            self.close();
        }
        if p.negated {
            self.b.get(self.status).i(W::I32Eqz).set(self.status);
        }
    }

    /// Element `i` of a pipeline: a subshell to bash, so an arithmetic error ends that one only.
    fn element(&mut self, p: &Pipeline, i: usize, stdin: &V, sink: Sink, background: bool) {
        self.element_of(p.commands.len(), i, &p.commands[i], stdin, sink, background, false);
    }

    /// `element` of command `c` (element `i` of `n`); `merge`: its standard error goes where
    /// its output goes (`&> FILE` taken away into the pipeline's file).
    #[allow(clippy::too_many_arguments)]
    fn element_of(&mut self, n: usize, i: usize, c: &Command, stdin: &V, sink: Sink, background: bool, merge: bool) {
        if merge {
            let mut c = c.clone();
            if let Command::Simple(s) = &mut c {
                s.redirects.push(Redirect {
                    fd: Some(2),
                    op: RedirectOp::Duplicate,
                    target: Word::lit("1", s.span),
                    span: s.span,
                });
            }
            return self.element_of(n, i, &c, stdin, sink, background, false);
        }
        if n > 1 {
            self.open(W::Block(Empty));
            self.discards.push(self.depth);
            self.elements += 1;
        }
        let tail = std::mem::replace(&mut self.in_pipe_tail, i > 0);
        self.command(c, stdin, sink, background);
        self.in_pipe_tail = tail;
        if n > 1 {
            self.elements -= 1;
            self.discards.pop();
            self.close();
            self.b.c(0).set(self.discarding);
        }
    }

    pub(super) fn command(&mut self, c: &Command, stdin: &V, sink: Sink, background: bool) {
        match c {
            Command::Simple(s) => self.simple(s, stdin, sink, background),
            Command::If { arms, otherwise, .. } => {
                let mut opened = 0;
                for (k, (cond, then)) in arms.iter().enumerate() {
                    if k > 0 {
                        self.b.i(W::Else);
                    }
                    self.condition(cond, sink);
                    self.b.get(self.status).i(W::I32Eqz);
                    self.open(W::If(Empty));
                    opened += 1;
                    self.script(then, sink);
                }
                self.b.i(W::Else);
                match otherwise {
                    Some(o) => self.script(o, sink),
                    None => {
                        self.b.c(0).set(self.status);
                    }
                }
                for _ in 0..opened {
                    self.close();
                }
            }
            Command::For { var, items, body, xargs: None, .. } => self.for_loop(var, items, body, sink, None),
            Command::For { var, items, body, xargs: Some(x), .. } => {
                let program = body.first_program().unwrap_or_else(|| "echo".into());
                self.for_loop(var, items, body, sink, Some((*x, &program)));
            }
            Command::Case { word, arms, .. } => {
                // The word is expanded once, without splitting; no arm matching leaves status 0.
                let subject = self.word(word);
                self.b.c(0).set(self.status);
                self.open(W::Block(Empty));
                let out = self.depth;
                for (patterns, body) in arms {
                    let matched = self.b.local();
                    self.b.c(0).set(matched);
                    for p in patterns {
                        let pv = self.pattern(p);
                        self.push(&pv);
                        self.push(&subject);
                        self.b.helper(super::body::Helper::Match).get(matched).i(W::I32Or).set(matched);
                    }
                    self.b.get(matched);
                    self.open(W::If(Empty));
                    self.script(body, sink);
                    self.b.i(W::Br(self.depth - out));
                    self.close();
                }
                self.close();
            }
            // Its status is the last body command's (`break`'s, `continue`'s), 0 when the body
            // never ran.
            Command::While { cond, body, until, .. } => {
                let last = self.b.local();
                self.b.c(0).set(last);
                self.open(W::Block(Empty));
                let brk = self.depth;
                self.open(W::Loop(Empty));
                let top = self.depth;
                // `break` in the condition leaves this loop, as in bash.
                self.loops.push((brk, top));
                self.condition(cond, sink);
                self.loops.pop();
                // `while` leaves when the condition fails, `until` when it succeeds.
                self.b.get(self.status).i(W::I32Eqz);
                if !until {
                    self.b.i(W::I32Eqz);
                }
                self.open(W::If(Empty));
                self.b.get(last).set(self.status);
                self.b.i(W::Br(self.depth - brk));
                self.close();
                self.open(W::Block(Empty));
                let cont = self.depth;
                self.loops.push((brk, cont));
                self.script(body, sink);
                self.loops.pop();
                self.close();
                self.b.get(self.status).set(last);
                self.b.i(W::Br(self.depth - top));
                self.close();
                self.close();
            }
            Command::Call(call) => self.call_function(call, sink),
            Command::Group { body, redirects, subshell, .. } => {
                // Fed a file, a document or a pipe: its `read` commands read it, line by line.
                let fed = self.in_pipe_tail || redirects.iter().any(Redirect::is_input);
                let subshell = *subshell;
                self.compound_redirects = true;
                self.with_redirects(redirects, Span::default(), stdin, sink, |fx, input, sink, _merge| {
                    if fed {
                        let (p, l, pos) = (fx.b.local(), fx.b.local(), fx.b.local());
                        fx.push(input);
                        fx.b.set(l).set(p).c(0).set(pos);
                        fx.feed.push((p, l, pos));
                    }
                    let tail = std::mem::replace(&mut fx.in_pipe_tail, false);
                    if subshell {
                        // `( … )`: its variables, its directory and its `exit` stay inside it.
                        fx.subshell(body, sink, false);
                    } else {
                        fx.script(body, sink);
                    }
                    fx.in_pipe_tail = tail;
                    if fed {
                        fx.feed.pop();
                    }
                });
            }
        }
    }

    /// `( … )` and `$(…)`: its variables, its directory, its `set` options and its `exit` stay
    /// inside it; its status is that of its last command. A command substitution runs without
    /// `set -e`, as bash (outside POSIX mode) runs it.
    pub(super) fn subshell(&mut self, body: &Script, sink: Sink, substitution: bool) {
        let mut names = Vec::new();
        let mut cd = false;
        assigned(body, &mut names, &mut cd);
        let saved: Vec<(String, V)> = names.iter().map(|k| (k.clone(), self.var(k))).collect();
        let here = cd.then(|| self.pwd());
        let options = [super::helpers::G_ERREXIT, super::helpers::G_PIPEFAIL, super::helpers::G_NOUNSET].map(|g| {
            let l = self.b.local();
            self.b.i(W::GlobalGet(g)).set(l);
            (g, l)
        });
        if substitution {
            self.b.c(0).i(W::GlobalSet(super::helpers::G_ERREXIT));
        }
        self.open(W::Block(Empty));
        self.subshells.push(self.depth);
        self.discards.push(self.depth);
        self.elements += 1;
        self.script(body, sink);
        self.elements -= 1;
        self.discards.pop();
        self.subshells.pop();
        self.close();
        self.b.c(0).set(self.discarding);
        for (g, l) in options {
            self.b.get(l).i(W::GlobalSet(g));
        }
        for (k, v) in &saved {
            self.set_var_raw(k, v);
        }
        if let Some(dir) = here {
            let status = self.b.local();
            self.b.get(self.status).set(status);
            self.call("fs", "chdir", &[("grant", V::Const(super::values::NO_GRANT)), ("path", dir)]);
            let _ = self.outcome();
            self.b.get(status).set(self.status);
        }
    }

    /// A function's body, with the arguments as its positional parameters; its `local`
    /// variables and the caller's parameters are given back when it ends or returns.
    fn call_function(&mut self, call: &crate::shell::Call, sink: Sink) {
        let (all, count) = self.fields(&call.args);
        let caller = self.var(super::values::POSITIONAL);
        self.set_var(super::values::POSITIONAL, &V::pair(all, count));
        let mut frame = Vec::new();
        for name in &call.locals {
            let (p, l, declared) = (self.b.local(), self.b.local(), self.b.local());
            self.b.c(0).set(declared);
            frame.push((name.clone(), V::pair(p, l), declared));
        }
        self.frames.push(frame);
        self.open(W::Block(Empty));
        self.returns.push(self.depth);
        self.script(&call.body, sink);
        self.returns.pop();
        self.close();
        let frame = self.frames.pop().unwrap_or_default();
        for (name, saved, declared) in &frame {
            self.b.get(*declared);
            self.open(W::If(Empty));
            self.set_var_raw(&format!("var:{name}"), saved);
            self.close();
        }
        self.set_var(super::values::POSITIONAL, &caller);
    }

    /// The working directory, as `pwd` prints it (without its newline).
    fn pwd(&mut self) -> V {
        let (ap, al) = self.new_buffer();
        let empty = self.g.str("");
        let req = playbook_capability::fs::FsRequest::new(
            playbook_capability::fs::FsOp::Pwd,
            playbook_capability::fs::FsTool::Pwd,
            Vec::new(),
        );
        self.fs_request(Span::default(), &req, &empty, Sink::Capture(ap, al), false);
        // Drop the newline (there is none when the call failed).
        self.b.get(al).c(1).i(W::I32Sub).c(0).get(al).i(W::Select).set(al);
        V::pair(ap, al)
    }

    pub(super) fn for_loop(
        &mut self,
        var: &str,
        items: &[Word],
        body: &Script,
        sink: Sink,
        xargs: Option<(crate::shell::Xargs, &str)>,
    ) {
        // Each item is one value, or the fields of an unquoted expansion; for `xargs -I`, each
        // line.
        let (all, count) = match (xargs, items) {
            (Some((x, _)), [w]) if x.lines => {
                let v = self.word(w);
                self.xargs_lines(&v)
            }
            _ => self.fields(items),
        };
        let i = self.b.local();
        let failed = self.b.local();
        self.b.c(0).set(i).c(0).set(self.status).c(0).set(failed);
        if let Some((x, _)) = xargs
            && x.batch
        {
            // `… | xargs CMD`: the items are the array `var`, and the command runs once (not
            // at all without items under `-r`); its status is xargs' (123 for 1–125, 124 for 255).
            self.set_var_raw(&format!("array:{var}"), &V::pair(all, count));
            if x.no_run_if_empty {
                self.b.get(count).i(W::I32Eqz).i(W::I32Eqz);
                self.open(W::If(Empty));
            }
            self.script(body, sink);
            self.b.c(124).c(123).get(self.status).c(255).i(W::I32Eq).i(W::Select);
            self.b.get(self.status);
            self.b.get(self.status).c(1).i(W::I32GeU).get(self.status).c(125).i(W::I32LeU).i(W::I32And);
            self.b.get(self.status).c(255).i(W::I32Eq).i(W::I32Or);
            self.b.i(W::Select).set(self.status);
            if x.no_run_if_empty {
                self.close();
            }
            return;
        }
        // (`echo` bare prints an empty line, as `echo ""` would; `cat` bare reads xargs' empty
        // input.)
        if let Some((x, "echo")) = xargs
            && !x.no_run_if_empty
        {
            self.b.get(count).i(W::I32Eqz);
            self.open(W::If(Empty));
            let nl = self.g.str("\n");
            self.route(&nl, sink, true);
            self.close();
        }
        if let Some((x, program)) = xargs
            && !x.no_run_if_empty
            && !matches!(program, "cat" | "echo")
        {
            // GNU xargs runs the command once without an item; here that is said, and the
            // status is the one xargs gives when its command fails.
            self.b.get(count).i(W::I32Eqz);
            self.open(W::If(Empty));
            let m = self.g.str(&format!(
                "playbook: xargs had no items: GNU xargs would run `{program}` once without one, which playbook does not (write `xargs -r` to skip it)\n"
            ));
            self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", V::Const(0))]);
            self.b.c(123).set(self.status);
            self.close();
        }
        self.open(W::Block(Empty));
        let brk = self.depth;
        self.open(W::Loop(Empty));
        self.b.get(i).get(count).i(W::I32GeU).i(W::BrIf(self.depth - brk));
        let (p, l) = (self.b.local(), self.b.local());
        self.b.get(all).get(i).c(8).i(W::I32Mul).i(W::I32Add).load(0).set(p);
        self.b.get(all).get(i).c(8).i(W::I32Mul).i(W::I32Add).load(4).set(l);
        self.set_var(&format!("var:{var}"), &V::pair(p, l));
        // `continue` goes to the increment, in a block of its own.
        self.open(W::Block(Empty));
        let cont = self.depth;
        self.loops.push((brk, cont));
        self.script(body, sink);
        self.loops.pop();
        self.close();
        if xargs.is_some() {
            // xargs goes on after a command that failed (1–125), and stops after one that
            // exited 255 (status 124), could not run (126) or was not found (127).
            self.b.get(self.status).c(255).i(W::I32Eq);
            self.open(W::If(Empty));
            self.b.c(124).set(self.status);
            self.b.i(W::Br(self.depth - brk));
            self.close();
            self.b.get(self.status).c(126).i(W::I32GeU);
            self.b.i(W::BrIf(self.depth - brk));
            self.b.get(failed).get(self.status).c(0).i(W::I32Ne).i(W::I32Or).set(failed);
        }
        self.b.get(i).c(1).i(W::I32Add).set(i);
        self.b.i(W::Br(self.depth - (brk + 1)));
        self.close();
        self.close();
        if xargs.is_some() {
            // After all items: 123 when any command failed, else 0.
            self.b.get(self.status).c(124).i(W::I32LtU);
            self.open(W::If(Empty));
            self.b.c(123).c(123).c(0).get(failed).i(W::Select);
            self.b.get(count).i(W::I32Eqz).get(self.status).c(123).i(W::I32Eq).i(W::I32And);
            self.b.i(W::Select).set(self.status);
            self.close();
        }
    }

    /// The lines of `input` as a `list<string>` (locals of its address and length), as
    /// `xargs -I` takes them: without the newline and the leading blanks, empty ones skipped.
    fn xargs_lines(&mut self, input: &V) -> (u32, u32) {
        let (p, l, list, n, start, i, c) = (
            self.b.local(),
            self.b.local(),
            self.b.local(),
            self.b.local(),
            self.b.local(),
            self.b.local(),
            self.b.local(),
        );
        self.push(input);
        self.b.set(l).set(p);
        self.b.get(l).c(1).i(W::I32Add).c(8).i(W::I32Mul).c(4).helper(super::body::Helper::Alloc).set(list);
        self.b.c(0).set(n).c(0).set(start).c(0).set(i);
        self.open(W::Block(Empty));
        let out = self.depth;
        self.open(W::Loop(Empty));
        // At the end, or at a newline: the line from `start`, if it holds anything.
        self.b.get(i).get(l).i(W::I32GeU);
        self.open(W::If(wasm_encoder::BlockType::Result(wasm_encoder::ValType::I32)));
        self.b.c(10);
        self.b.i(W::Else);
        self.b.get(p).get(i).i(W::I32Add).load8(0);
        self.close();
        self.b.set(c);
        self.b.get(c).c(10).i(W::I32Eq);
        self.open(W::If(Empty));
        self.b.get(i).get(start).i(W::I32GtU);
        self.open(W::If(Empty));
        self.b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(p).get(start).i(W::I32Add).store(0);
        self.b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(i).get(start).i(W::I32Sub).store(4);
        self.b.get(n).c(1).i(W::I32Add).set(n);
        self.close();
        self.b.get(i).c(1).i(W::I32Add).set(start);
        self.b.i(W::Else);
        // A blank at the start of a line is dropped.
        self.b.get(i).get(start).i(W::I32Eq).get(c).c(32).i(W::I32Eq).get(c).c(9).i(W::I32Eq).i(W::I32Or).i(W::I32And);
        self.open(W::If(Empty));
        self.b.get(start).c(1).i(W::I32Add).set(start);
        self.close();
        self.close();
        self.b.get(i).get(l).i(W::I32GeU).i(W::BrIf(self.depth - out));
        self.b.get(i).c(1).i(W::I32Add).set(i);
        self.b.i(W::Br(self.depth - (out + 1)));
        self.close();
        self.close();
        (list, n)
    }

    /// Applies redirections around `run`: input from files and heredocs, output to files.
    pub(super) fn with_redirects(
        &mut self,
        redirects: &[Redirect],
        span: Span,
        stdin: &V,
        sink: Sink,
        run: impl FnOnce(&mut Self, &V, Sink, bool),
    ) {
        let mut input = stdin.clone();
        let mut merge = false;
        let mut err_file: Option<(&Redirect, u32, u32)> = None;
        let mut out: Option<(&Redirect, bool)> = None;
        let mut to_stderr = false;
        let mut stderr_null = false;
        let mut reads = 0;
        let outer_discard = self.discard_stderr;
        let compound = std::mem::replace(&mut self.compound_redirects, false);
        let outer_null = std::mem::replace(&mut self.outer_stderr_null, outer_discard);
        for r in redirects {
            match r.op {
                RedirectOp::Read => {
                    if let Some(req) = r.request() {
                        let (ap, al) = self.new_buffer();
                        let empty = self.g.str("");
                        // A file that cannot be read fails the command, which does not run
                        // (bash: status 1 and the reason).
                        if reads > 0 {
                            self.b.get(self.status).i(W::I32Eqz);
                            self.open(W::If(Empty));
                        }
                        self.fs_request(span, &req, &empty, Sink::Capture(ap, al), false);
                        if reads > 0 {
                            self.close();
                        }
                        reads += 1;
                        input = V::pair(ap, al);
                    }
                }
                // `>&2`: standard output goes where standard error goes.
                RedirectOp::Duplicate
                    if r.fd.is_none_or(|fd| fd == 1) && r.target.literal().as_deref() == Some("2") =>
                {
                    to_stderr = true;
                    // After `2>/dev/null`, standard error is the null device, and so is this.
                    stderr_null = self.discard_stderr;
                    out = None;
                }
                RedirectOp::HereDoc => input = self.word(&r.target),
                RedirectOp::HereString => {
                    let v = self.word(&r.target);
                    let nl = self.g.str("\n");
                    input = self.concat(&v, &nl);
                }
                RedirectOp::Duplicate => {
                    if r.fd == Some(2) && r.target.literal().as_deref() == Some("1") {
                        merge = true;
                    }
                }
                RedirectOp::Write | RedirectOp::Append
                    if r.fd == Some(2) && r.target.literal().as_deref() == Some("/dev/null") =>
                {
                    self.discard_stderr = true;
                }
                // `2> FILE`, `2>> FILE` (of one request): the host does not show standard error
                // and returns it; it is written to the file after the command.
                RedirectOp::Write | RedirectOp::Append if r.fd == Some(2) => {
                    self.discard_stderr = true;
                    err_file = Some((r, self.b.local(), self.b.local()));
                }
                RedirectOp::Write | RedirectOp::Append | RedirectOp::WriteBoth { .. } => {
                    if r.fd.is_none_or(|fd| fd == 1) || matches!(r.op, RedirectOp::WriteBoth { .. }) {
                        out = Some((r, r.file().is_some()));
                        if matches!(r.op, RedirectOp::WriteBoth { .. }) {
                            merge = true;
                        }
                    }
                }
            }
        }
        // The files written are opened before the command runs, as bash opens them: one that
        // cannot be opened fails the command (status 1, bash's message), which does not run;
        // `> FILE` is empty even when the command prints nothing or is denied.
        let late = std::mem::take(&mut self.late_open);
        let one_program = std::mem::take(&mut self.one_program);
        let opened: Vec<&Redirect> = out
            .iter()
            .filter(|_| !late)
            .filter(|(_, to_file)| *to_file)
            .map(|(r, _)| *r)
            .chain(err_file.iter().filter(|_| !late).map(|(r, _, _)| *r))
            .collect();
        // (Their failure is bash's own message, on the standard error around the command.)
        let quiet = std::mem::replace(&mut self.discard_stderr, outer_discard);
        for r in opened {
            if let Some(req) = r.request() {
                if reads > 0 {
                    self.b.get(self.status).i(W::I32Eqz);
                    self.open(W::If(Empty));
                }
                let empty = self.g.str("");
                self.fs_request(span, &req, &empty, Sink::Terminal, false);
                if reads > 0 {
                    self.close();
                }
                reads += 1;
            }
        }
        self.discard_stderr = quiet;
        if reads > 0 {
            self.b.get(self.status).i(W::I32Eqz);
            self.open(W::If(Empty));
        }
        match out {
            None if to_stderr => {
                let (ap, al) = self.new_buffer();
                if compound {
                    self.catching(|fx| run(fx, &input, Sink::Capture(ap, al), merge));
                } else {
                    run(self, &input, Sink::Capture(ap, al), merge);
                }
                self.grab_stderr(err_file);
                if !outer_discard && !stderr_null {
                    let saved = self.b.local();
                    self.b.get(self.status).set(saved);
                    let secret = V::bool(self.secret);
                    self.call(
                        "operator",
                        "print",
                        &[("text", V::pair(ap, al)), ("to-stderr", V::Const(1)), ("secret", secret)],
                    );
                    self.b.get(saved).set(self.status);
                }
                self.go_on_abandoning();
            }
            None => {
                run(self, &input, sink, merge);
                self.grab_stderr(err_file);
            }
            // One program into a file: a pipe the host writes into the file as the program
            // prints, never whole in memory (the file was opened, as bash opens it, above).
            Some((r, true)) if one_program && !compound && !late && r.request().is_some() => {
                let req = r.request().expect("checked");
                let h = self.b.local();
                self.call("pipes", "open", &[]);
                self.b.set(h);
                self.fs_request(span, &req, &V::Pipe(h), Sink::Terminal, false);
                run(self, &input, Sink::Stream(h), merge);
                self.grab_stderr(err_file);
                let saved = self.b.local();
                self.b.get(self.status).set(saved);
                self.call("pipes", "close", &[("pipe", V::L(h))]);
                self.call("pipes", "wait", &[("pipe", V::L(h))]);
                let _ = self.outcome();
                // (A file that could not be written fails the command, as in `write_output`.)
                self.b.c(1).get(saved).get(self.status).i(W::Select).set(self.status);
                self.go_on_abandoning();
            }
            Some((r, to_file)) => {
                let (ap, al) = self.new_buffer();
                if compound {
                    self.catching(|fx| run(fx, &input, Sink::Capture(ap, al), merge));
                } else {
                    run(self, &input, Sink::Capture(ap, al), merge);
                }
                self.grab_stderr(err_file);
                if let (true, Some(req)) = (to_file, r.request()) {
                    self.write_output(span, &req, (ap, al), !late);
                }
                self.go_on_abandoning();
            }
        }
        if let Some((r, p, l)) = err_file
            && let Some(req) = r.request()
        {
            self.write_output(span, &req, (p, l), !late);
            self.go_on_abandoning();
        }
        if reads > 0 {
            // The read failed: the command did not run, and its status is 1.
            self.b.i(W::Else);
            self.b.c(1).set(self.status);
            self.close();
        }
        self.discard_stderr = outer_discard;
        self.outer_stderr_null = outer_null;
    }

    /// Writes what a command printed (the locals of its address and length) into its
    /// redirection's file; one that cannot be written fails the command (bash: status 1). A
    /// file `opened` before the command needs no write of nothing.
    fn write_output(
        &mut self,
        span: Span,
        req: &playbook_capability::fs::FsRequest<Word>,
        (p, l): (u32, u32),
        opened: bool,
    ) {
        if opened {
            self.b.get(l).i(W::I32Eqz).i(W::I32Eqz);
            self.open(W::If(Empty));
        }
        let saved = self.b.local();
        self.b.get(self.status).set(saved);
        self.fs_request(span, req, &V::pair(p, l), Sink::Terminal, false);
        self.b.c(1).get(saved).get(self.status).i(W::Select).set(self.status);
        if opened {
            self.close();
        }
    }

    /// After a request with `2> FILE`: its standard error (empty when it was denied or failed
    /// to run) into the two locals.
    fn grab_stderr(&mut self, err_file: Option<(&Redirect, u32, u32)>) {
        let Some((_, p, l)) = err_file else { return };
        let layouts = self.g.abi.layouts;
        let ra = i32::try_from(self.g.retarea).expect("small");
        self.b.c(0).set(p).c(0).set(l);
        self.b.c(ra).load8(0).i(W::I32Eqz);
        self.open(W::If(Empty));
        self.b.c(ra).load(layouts.result_payload + layouts.outcome_stderr).set(p);
        self.b.c(ra).load(layouts.result_payload + layouts.outcome_stderr + 4).set(l);
        self.close();
    }

    fn simple(&mut self, s: &Simple, stdin: &V, sink: Sink, background: bool) {
        if let Mode::Manual { .. } = s.mode {
            let text = self
                .g
                .manual_text
                .get(&(s.span.start, s.span.end))
                .cloned()
                .unwrap_or_else(|| s.argv.iter().map(Word::template).collect::<Vec<_>>().join(" "));
            self.manual(&text);
            return;
        }
        let span = s.span;
        let outer = std::mem::replace(&mut self.secret, s.secret);
        self.late_open = s.argv.iter().chain(s.assignments.iter().map(|(_, w)| w)).any(Word::has_effects);
        self.one_program = !background
            && matches!(s.action, Action::Text(_) | Action::Process(_) | Action::Docker(_) | Action::Kube(_));
        self.simple_action(s, stdin, sink, background, span);
        self.late_open = false;
        self.one_program = false;
        self.secret = outer;
    }

    fn simple_action(&mut self, s: &Simple, stdin: &V, sink: Sink, background: bool, span: Span) {
        match &s.action {
            // The status of an assignment is that of its last `$(…)`, else 0.
            // `> FILE` alone creates (or empties) the file, as bash does.
            Action::Assign if s.assignments.is_empty() && !s.redirects.is_empty() => {
                self.redirected(s, stdin, sink, |fx, _input, _sink, _merge| {
                    fx.b.c(0).set(fx.status);
                });
            }
            Action::Assign | Action::Invalid => {
                let status = self.b.local();
                self.b.c(0).set(status);
                for (name, w) in &s.assignments {
                    let v = self.word(w);
                    if w.parts.iter().any(|p| matches!(p, crate::shell::Part::Subst { .. })) {
                        self.b.get(self.status).set(status);
                    }
                    self.set_var(&format!("var:{name}"), &v);
                }
                self.b.get(status).set(self.status);
            }
            Action::Builtin(b) => self.builtin(s, b, stdin, sink),
            Action::Text(t) => self.text_request(s, t, stdin, sink),
            Action::Fs(f) => {
                self.redirected(s, stdin, sink, |fx, input, sink, merge| fx.fs_request(span, f, input, sink, merge));
            }
            Action::Http(h) => {
                self.redirected(s, stdin, sink, |fx, input, sink, merge| fx.http_request(span, h, input, sink, merge));
            }
            Action::Docker(d) => {
                let mut d = d.clone();
                d.background = background;
                self.redirected(s, stdin, sink, |fx, input, sink, merge| {
                    fx.docker_request(span, &d, input, sink, merge);
                });
            }
            Action::Kube(k) => {
                let mut k = k.clone();
                k.background = background;
                self.redirected(s, stdin, sink, |fx, input, sink, merge| fx.kube_request(span, &k, input, sink, merge));
            }
            Action::Process(p) => {
                let mut p = p.clone();
                p.background = background;
                self.redirected(s, stdin, sink, |fx, input, sink, merge| {
                    fx.process_request(span, &p, input, sink, merge);
                });
            }
        }
    }

    /// Runs a request between the command's redirections.
    fn redirected(&mut self, s: &Simple, stdin: &V, sink: Sink, run: impl FnOnce(&mut Self, &V, Sink, bool)) {
        let redirects = s.redirects.clone();
        self.with_redirects(&redirects, s.span, stdin, sink, run);
    }
}

/// The variables a script assigns (`NAME=…`, `export NAME=…`, `for NAME in`, `unset NAME`), as
/// slot keys, and whether it changes directory.
fn assigned(script: &Script, names: &mut Vec<String>, cd: &mut bool) {
    let mut positional = false;
    let mut arrays: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        let key = format!("var:{n}");
        if !names.contains(&key) {
            names.push(key);
        }
    };
    script.visit_commands(&mut |c| {
        let mut arith = Vec::new();
        for w in c.own_words() {
            w.arith_assigned(&mut arith);
        }
        for n in &arith {
            add(n);
        }
        assigned_by(c, &mut add, cd);
        // An array assigned.
        if let Command::Simple(s) = c
            && let Action::Builtin(b) = &s.action
            && matches!(b.name.as_str(), "=(" | "+=(")
            && let Some(name) = b.args.first().and_then(Word::literal)
        {
            arrays.push(format!("array:{name}"));
        }
        if let Command::Simple(s) = c
            && let Action::Builtin(b) = &s.action
            && matches!(b.name.as_str(), "mapfile" | "readarray")
        {
            let name = b.args.iter().filter_map(Word::literal).find(|a| a != "-t");
            arrays.push(format!("array:{}", name.as_deref().unwrap_or("MAPFILE")));
        }
        // `shift` and `set --` change the positional parameters.
        if let Command::Simple(s) = c
            && let Action::Builtin(b) = &s.action
            && (b.name == "shift"
                || (b.name == "set" && b.args.first().and_then(Word::literal).as_deref() == Some("--")))
        {
            positional = true;
        }
    });
    if positional && !names.iter().any(|n| n == super::values::POSITIONAL) {
        names.push(super::values::POSITIONAL.to_string());
    }
    for a in arrays {
        if !names.contains(&a) {
            names.push(a);
        }
    }
}

fn assigned_by(c: &Command, add: &mut dyn FnMut(&str), cd: &mut bool) {
    match c {
        Command::Simple(s) => match &s.action {
            Action::Assign => s.assignments.iter().for_each(|(n, _)| add(n)),
            Action::Builtin(b) if b.name == "read" => {
                let names: Vec<String> =
                    b.args.iter().filter_map(Word::literal).filter(|a| !a.starts_with('-')).collect();
                if names.is_empty() {
                    add("REPLY");
                }
                for n in &names {
                    add(n);
                }
            }
            Action::Builtin(b) if matches!(b.name.as_str(), "export" | "unset" | "readonly" | "local") => {
                for a in &b.args {
                    let p = a.literal_prefix();
                    add(p.split('=').next().unwrap_or(&p));
                }
            }
            Action::Builtin(b) if matches!(b.name.as_str(), "cd" | "pushd" | "popd") => *cd = true,
            _ => {}
        },
        Command::For { var, .. } => add(var),
        _ => {}
    }
}

/// Whether a command of a pipeline after the first reads its input through a host pipe: one
/// program (a filter, `docker`, `kubectl`, another program) with its input from the pipe, run
/// by itself, its output to the terminal, a pipe or a `$(…)` (no redirection but of standard
/// error into standard output or the null device).
fn reads_a_pipe(c: &Command, last: bool) -> bool {
    let Command::Simple(s) = c else { return false };
    if last && let Some(rest) = without_file_sink(s) {
        return reads_a_pipe(&Command::Simple(Box::new(rest)), false);
    }
    let stderr_only = s.redirects.iter().all(|r| {
        r.fd == Some(2)
            && match r.op {
                RedirectOp::Duplicate => r.target.literal().as_deref() == Some("1"),
                RedirectOp::Write | RedirectOp::Append => r.target.literal().as_deref() == Some("/dev/null"),
                _ => false,
            }
    });
    !matches!(s.mode, Mode::Manual { .. })
        && !s.secret
        && stderr_only
        && (matches!(s.action, Action::Text(_) | Action::Process(_) | Action::Docker(_) | Action::Kube(_))
            || matches!(&s.action, Action::Fs(f) if f.tool == playbook_capability::fs::FsTool::Tee))
}

/// The last command of a pipeline that writes into one file (`… | grep x > out.txt`, `>>`,
/// `&>`): the command without that redirection, which the pipeline then feeds a pipe the host
/// writes into the file. None when it has no such redirection, more than one, or words that
/// run commands (bash expands them before it opens the file).
fn without_file_sink(s: &Simple) -> Option<Simple> {
    let is_sink = |r: &Redirect| {
        r.file().is_some()
            && (matches!(r.op, RedirectOp::WriteBoth { .. })
                || (matches!(r.op, RedirectOp::Write | RedirectOp::Append) && r.fd.is_none_or(|fd| fd == 1)))
    };
    let sinks = s.redirects.iter().filter(|r| is_sink(r)).count();
    let effects =
        s.argv.iter().chain(s.assignments.iter().map(|(_, w)| w)).chain(s.redirects.iter().map(|r| &r.target));
    if sinks != 1 || effects.into_iter().any(Word::has_effects) {
        return None;
    }
    let mut rest = s.clone();
    rest.redirects.retain(|r| !is_sink(r));
    Some(rest)
}

/// The file redirection `without_file_sink` takes away, and whether standard error goes with it.
fn file_sink(s: &Simple) -> Option<(&Redirect, bool)> {
    s.redirects.iter().find_map(|r| match r.op {
        RedirectOp::WriteBoth { .. } if r.file().is_some() => Some((r, true)),
        RedirectOp::Write | RedirectOp::Append if r.file().is_some() && r.fd.is_none_or(|fd| fd == 1) => {
            Some((r, false))
        }
        _ => None,
    })
}

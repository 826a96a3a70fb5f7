//! Script → wasm instructions. The runbook's logic (sequence, `&&`/`||`/`!`, `if`, `for`,
//! `while`, variables, substitutions, pipes and redirections) runs in the guest; only typed
//! requests cross to the host.

use std::collections::{BTreeSet, HashMap};

use wasm_encoder::BlockType::Empty;
use wasm_encoder::Instruction as W;
use wit_parser::Type;

use super::abi::Abi;
use super::body::{Body, Callee, Helper, Ins};
use super::helpers::{G_EXIT_CODE, G_EXITING};
use crate::action::{Action, Mode};
use crate::shell::{Command, Connector, Part, Pipeline, Redirect, RedirectOp, Script, Simple, Word};
use crate::source::Span;

/// Status a guest exits with when the host denies a call.
pub const EXIT_DENIED: i32 = 126;
/// Grant index meaning "this call relies on no grant" (`cd`, `pwd`).
pub const NO_GRANT: i32 = -1;

/// A value to lower: constants, locals, pool strings, and aggregates.
#[derive(Clone, Debug)]
pub enum V {
    Const(i32),
    L(u32),
    Pool(u32),
    Pair(Box<V>, Box<V>),
    R(Vec<V>),
}

impl V {
    fn pair(p: u32, l: u32) -> Self {
        Self::Pair(Box::new(Self::L(p)), Box::new(Self::L(l)))
    }
}

/// Where a command's standard output goes.
#[derive(Clone, Copy, Debug)]
pub enum Sink {
    /// The operator's terminal (the host shows it).
    Terminal,
    /// Appended to a guest buffer held in two locals.
    Capture(u32, u32),
}

/// State shared by all functions of one module.
pub struct Gen<'a> {
    pub abi: &'a Abi,
    /// String pool bytes and dedup index.
    pub pool: Vec<u8>,
    pool_index: HashMap<String, u32>,
    /// Variable slots by key (`var:NAME`, `input:NAME`).
    pub vars: HashMap<String, u32>,
    /// Grants used by each command, by its span.
    pub grants: &'a HashMap<(usize, usize), Vec<(String, u32)>>,
    /// Variables exported anywhere in the runbook: passed to processes.
    pub exported: BTreeSet<String>,
    pub retarea: u32,
    pub used_imports: BTreeSet<(String, String)>,
    /// Manual commands as the manifest shows them (as written), by span.
    pub manual_text: HashMap<(usize, usize), String>,
}

impl<'a> Gen<'a> {
    pub fn new(abi: &'a Abi, grants: &'a HashMap<(usize, usize), Vec<(String, u32)>>, retarea: u32) -> Self {
        Self {
            abi,
            pool: Vec::new(),
            pool_index: HashMap::new(),
            vars: HashMap::new(),
            grants,
            exported: BTreeSet::new(),
            retarea,
            used_imports: BTreeSet::new(),
            manual_text: HashMap::new(),
        }
    }

    /// Offset of a string in the pool (deduplicated).
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&o) = self.pool_index.get(s) {
            return o;
        }
        let o = u32::try_from(self.pool.len()).expect("pool fits");
        self.pool.extend_from_slice(s.as_bytes());
        self.pool_index.insert(s.to_string(), o);
        o
    }

    pub fn str(&mut self, s: &str) -> V {
        let o = self.intern(s);
        V::Pair(Box::new(V::Pool(o)), Box::new(V::Const(i32::try_from(s.len()).expect("short"))))
    }

    pub fn slot(&mut self, key: &str) -> u32 {
        let n = u32::try_from(self.vars.len()).expect("few vars");
        *self.vars.entry(key.to_string()).or_insert(n)
    }
}

/// Emits one function's code.
pub struct Fx<'g, 'a> {
    pub g: &'g mut Gen<'a>,
    pub b: Body,
    pub status: u32,
    /// The step whose code this is (for manual commands).
    pub step_id: String,
    /// Block depth, and the depths of enclosing loops' `(break, continue)` labels.
    depth: u32,
    loops: Vec<(u32, u32)>,
    /// Inside a `2>/dev/null`: the host drops standard error.
    discard_stderr: bool,
}

impl<'g, 'a> Fx<'g, 'a> {
    pub fn new(g: &'g mut Gen<'a>, b: Body, step_id: String) -> Self {
        let mut b = b;
        let status = b.local();
        Self { g, b, status, step_id, depth: 0, loops: Vec::new(), discard_stderr: false }
    }

    fn open(&mut self, i: W<'static>) {
        self.b.i(i);
        self.depth += 1;
    }

    fn close(&mut self) {
        self.b.i(W::End);
        self.depth -= 1;
    }

    fn push(&mut self, v: &V) {
        match v {
            V::Const(c) => {
                self.b.c(*c);
            }
            V::L(l) => {
                self.b.get(*l);
            }
            V::Pool(o) => self.b.ins.push(Ins::PoolAddr(*o)),
            V::Pair(a, b) => {
                self.push(a);
                self.push(b);
            }
            V::R(vs) => {
                for v in vs {
                    self.push(v);
                }
            }
        }
    }

    /// Stores `v` of WIT type `ty` at `base + off`.
    fn store(&mut self, base: u32, off: u32, ty: &Type, v: &V) {
        use super::abi::Shape;
        match self.g.abi.shape(ty) {
            Shape::Byte => {
                self.b.get(base);
                self.push(v);
                self.b.store8(off);
            }
            Shape::Word => {
                self.b.get(base);
                self.push(v);
                self.b.store(off);
            }
            Shape::Pair => {
                let V::Pair(p, l) = v else { panic!("a string or list value for {ty:?}") };
                self.b.get(base);
                self.push(p);
                self.b.store(off);
                self.b.get(base);
                self.push(l);
                self.b.store(off + 4);
            }
            Shape::Record(fields) => {
                let V::R(vs) = v else { panic!("a record value for {ty:?}") };
                let offs = self.g.abi.offsets(&fields);
                for ((f, o), v) in fields.iter().zip(offs).zip(vs) {
                    self.store(base, off + o, f, v);
                }
            }
        }
    }

    /// Allocates `size` bytes aligned to `align` into a new local.
    fn alloc(&mut self, size: u32, align: u32) -> u32 {
        let p = self.b.local();
        self.b
            .c(i32::try_from(size).expect("small"))
            .c(i32::try_from(align).expect("small"))
            .helper(Helper::Alloc)
            .set(p);
        p
    }

    /// A `list<elem>` built from items at run time.
    fn list(&mut self, elem: &Type, items: &[V]) -> V {
        if items.is_empty() {
            return V::Pair(Box::new(V::Const(0)), Box::new(V::Const(0)));
        }
        let (size, align) = self.g.abi.size_align(elem);
        let n = u32::try_from(items.len()).expect("few items");
        let area = self.alloc(size * n, align);
        for (i, item) in items.iter().enumerate() {
            self.store(area, size * u32::try_from(i).expect("few"), elem, item);
        }
        V::Pair(Box::new(V::L(area)), Box::new(V::Const(i32::try_from(n).expect("few"))))
    }

    /// Calls an import with lowered arguments. Results, if any, are left in the return area or
    /// on the stack as the signature says.
    fn call_import(&mut self, iface: &str, name: &str, args: &[V]) {
        let key = (iface.to_string(), name.to_string());
        let imp = self.g.abi.imports.get(&key).unwrap_or_else(|| panic!("import {iface}.{name}")).clone();
        let types: Vec<Type> = imp.func.params.iter().map(|p| p.ty).collect();
        if imp.sig.indirect_params {
            let (size, align) = self.g.abi.params_size_align(&types);
            let area = self.alloc(size, align);
            let offs = self.g.abi.offsets(&types);
            for ((ty, off), v) in types.iter().zip(offs).zip(args) {
                self.store(area, off, ty, v);
            }
            self.b.get(area);
        } else {
            for a in args {
                self.push(a);
            }
        }
        if imp.sig.retptr {
            self.b.c(i32::try_from(self.g.retarea).expect("small"));
        }
        self.b.call(Callee::Import(key.0.clone(), key.1.clone()));
        self.g.used_imports.insert(key);
    }

    /// Stops the run with `code` (a denial, or `exit`).
    fn exit_with(&mut self, code: &V) {
        self.push(code);
        self.b.i(W::GlobalSet(G_EXIT_CODE));
        self.b.c(1).i(W::GlobalSet(G_EXITING));
        self.b.i(W::Return);
    }

    /// After a call returning `result<outcome, error>`: sets status and returns stdout.
    /// A denial stops the run.
    fn outcome(&mut self) -> V {
        let (p, n) = (self.b.local(), self.b.local());
        self.b.helper(Helper::Outcome).set(n).set(p).set(self.status);
        self.b.i(W::GlobalGet(G_EXITING)).i(W::If(Empty)).i(W::Return).i(W::End);
        V::pair(p, n)
    }

    /// Sends output to the sink.
    fn route(&mut self, out: &V, sink: Sink, print: bool) {
        match sink {
            Sink::Capture(ap, al) => {
                self.b.get(ap).get(al);
                self.push(out);
                self.b.helper(Helper::Concat).set(al).set(ap);
            }
            Sink::Terminal if print => {
                self.call_import("operator", "print", &[out.clone(), V::Const(0)]);
            }
            Sink::Terminal => {}
        }
    }

    fn new_buffer(&mut self) -> (u32, u32) {
        let (p, l) = (self.b.local(), self.b.local());
        self.b.c(0).set(p).c(0).set(l);
        (p, l)
    }

    fn concat(&mut self, a: &V, b: &V) -> V {
        let (p, l) = (self.b.local(), self.b.local());
        self.push(a);
        self.push(b);
        self.b.helper(Helper::Concat).set(l).set(p);
        V::pair(p, l)
    }

    fn var(&mut self, key: &str) -> V {
        let slot = self.g.slot(key);
        let (p, l) = (self.b.local(), self.b.local());
        self.b.ins.push(Ins::VarAddr(slot));
        self.b.load(0).set(p);
        self.b.ins.push(Ins::VarAddr(slot));
        self.b.load(4).set(l);
        V::pair(p, l)
    }

    fn set_var(&mut self, key: &str, v: &V) {
        let slot = self.g.slot(key);
        let V::Pair(p, l) = v else { unreachable!("strings are pairs") };
        self.b.ins.push(Ins::VarAddr(slot));
        self.push(p);
        self.b.store(0);
        self.b.ins.push(Ins::VarAddr(slot));
        self.push(l);
        self.b.store(4);
    }

    /// The value of a word.
    pub fn word(&mut self, w: &Word) -> V {
        let mut acc: Option<V> = None;
        for part in &w.parts {
            let v = match part {
                Part::Lit { text } | Part::Glob { text } => self.g.str(text),
                Part::Home => self.g.str("~"),
                Part::Input { name } => self.var(&format!("input:{name}")),
                Part::Var { name, default, .. } => {
                    let v = self.var(&format!("var:{name}"));
                    if let (Some(d), V::Pair(p, l)) = (default, &v) {
                        let (V::L(p), V::L(l)) = (p.as_ref(), l.as_ref()) else { unreachable!() };
                        let (p, l) = (*p, *l);
                        self.b.get(l).i(W::I32Eqz);
                        self.open(W::If(Empty));
                        let dv = self.word(d);
                        self.push(&dv);
                        self.b.set(l).set(p);
                        self.close();
                    }
                    v
                }
                Part::Status => {
                    let (p, l) = (self.b.local(), self.b.local());
                    self.b.get(self.status).helper(Helper::Itoa).set(l).set(p);
                    V::pair(p, l)
                }
                Part::Subst { script, .. } => {
                    let (ap, al) = self.new_buffer();
                    self.script(script, Sink::Capture(ap, al));
                    let (p, l) = (self.b.local(), self.b.local());
                    self.b.get(ap).get(al).helper(Helper::Trim).set(l).set(p);
                    V::pair(p, l)
                }
            };
            acc = Some(match acc {
                None => v,
                Some(a) => self.concat(&a, &v),
            });
        }
        acc.unwrap_or_else(|| self.g.str(""))
    }

    /// An optional word's value, or the empty string.
    fn opt_word(&mut self, w: Option<&Word>) -> V {
        match w {
            Some(w) => self.word(w),
            None => self.g.str(""),
        }
    }

    /// Calls a capability import with a request record and `io`, then routes its outcome.
    fn request(&mut self, iface: &str, name: &str, req: Vec<V>, io: V, sink: Sink, print: bool) {
        self.call_import(iface, name, &[V::R(req), io]);
        let out = self.outcome();
        self.route(&out, sink, print);
    }

    /// The values of words as a `list<string>`.
    /// Arguments as the shell passes them: unquoted expansions are split into fields.
    fn word_list(&mut self, ws: &[Word]) -> V {
        if ws.iter().any(Self::splits) {
            let (all, count) = self.fields(ws);
            return V::pair(all, count);
        }
        let vs: Vec<V> = ws.iter().map(|w| self.word(w)).collect();
        self.string_list(&vs)
    }

    fn string_list(&mut self, vs: &[V]) -> V {
        self.list(&Type::String, vs)
    }

    fn opts(&mut self, iface: &str, record: &str, opts: &[(String, Option<Word>)], extra: &[(&str, String)]) -> V {
        let elem = self.g.abi.list_element(iface, record, "options");
        let mut items = Vec::new();
        for (k, v) in opts {
            let key = self.g.str(k);
            let val = match v {
                Some(w) => self.word(w),
                None => self.g.str(""),
            };
            items.push(V::R(vec![key, val]));
        }
        for (k, v) in extra {
            let key = self.g.str(k);
            let val = self.g.str(v);
            items.push(V::R(vec![key, val]));
        }
        self.list(&elem, &items)
    }

    fn grant(&self, span: Span, capability: &str) -> V {
        let found = self
            .g
            .grants
            .get(&(span.start, span.end))
            .and_then(|gs| gs.iter().find(|(c, _)| c == capability).or_else(|| gs.first()).map(|(_, g)| *g));
        V::Const(found.map_or(NO_GRANT, |g| i32::try_from(g).expect("few grants")))
    }

    fn io(&mut self, stdin: &V, sink: Sink, merge: bool) -> V {
        V::R(vec![
            stdin.clone(),
            V::Const(i32::from(matches!(sink, Sink::Capture(..)))),
            V::Const(i32::from(merge)),
            V::Const(i32::from(self.discard_stderr && !merge)),
        ])
    }

    /// Calls an import (for the module assembler).
    pub fn call_import_pub(&mut self, iface: &str, name: &str, args: &[V]) {
        self.call_import(iface, name, args);
    }

    pub fn string_list_pub(&mut self, vs: &[V]) -> V {
        self.string_list(vs)
    }

    /// A manual node: the operator does it by hand and confirms.
    pub fn manual_text(&mut self, text: &str) {
        self.manual(text);
    }

    /// Reads an input into its variable slot; a missing input stops the run before any effect.
    pub fn input(&mut self, name: &str, key: &str, required: bool) {
        let n = self.g.str(name);
        self.call_import("operator", "input", &[n]);
        let l = self.g.abi.layouts;
        let ra = i32::try_from(self.g.retarea).expect("small");
        let (p, n) = (self.b.local(), self.b.local());
        self.b.c(0).set(p).c(0).set(n);
        self.b.c(ra).load8(0);
        self.open(W::If(Empty));
        if required {
            self.exit_with(&V::Const(EXIT_DENIED));
        }
        self.b.i(W::Else);
        self.b.c(ra).load(l.result_string_payload).set(p);
        self.b.c(ra).load(l.result_string_payload + 4).set(n);
        self.close();
        self.set_var(key, &V::pair(p, n));
    }

    /// After a call returning `result<u32, error>`: the value in a local, or the run stops.
    pub fn result_u32_or_stop(&mut self) -> u32 {
        let l = self.g.abi.layouts;
        let ra = i32::try_from(self.g.retarea).expect("small");
        self.b.c(ra).load8(0);
        self.open(W::If(Empty));
        self.exit_with(&V::Const(EXIT_DENIED));
        self.close();
        let v = self.b.local();
        self.b.c(ra).load(l.result_u32_payload).set(v);
        v
    }

    // ---- statements ----------------------------------------------------------------------

    pub fn script(&mut self, s: &Script, sink: Sink) {
        for item in &s.items {
            self.pipeline(&item.chain.first, sink, item.background);
            for (conn, p) in &item.chain.rest {
                self.b.get(self.status);
                if *conn == Connector::And {
                    self.b.i(W::I32Eqz);
                }
                self.open(W::If(Empty));
                self.pipeline(p, sink, item.background);
                self.close();
            }
        }
    }

    fn pipeline(&mut self, p: &Pipeline, sink: Sink, background: bool) {
        let mut stdin = self.g.str("");
        let n = p.commands.len();
        for (i, c) in p.commands.iter().enumerate() {
            if i + 1 == n {
                self.command(c, &stdin, sink, background);
            } else {
                let (ap, al) = self.new_buffer();
                self.command(c, &stdin, Sink::Capture(ap, al), background);
                stdin = V::pair(ap, al);
            }
        }
        if p.negated {
            self.b.get(self.status).i(W::I32Eqz).set(self.status);
        }
    }

    fn command(&mut self, c: &Command, stdin: &V, sink: Sink, background: bool) {
        match c {
            Command::Simple(s) => self.simple(s, stdin, sink, background),
            Command::If { arms, otherwise, .. } => {
                let mut opened = 0;
                for (k, (cond, then)) in arms.iter().enumerate() {
                    if k > 0 {
                        self.b.i(W::Else);
                    }
                    self.script(cond, sink);
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
            Command::For { var, items, body, .. } => self.for_loop(var, items, body, sink),
            Command::While { cond, body, until, .. } => {
                self.open(W::Block(Empty));
                let brk = self.depth;
                self.open(W::Loop(Empty));
                let cont = self.depth;
                self.loops.push((brk, cont));
                self.script(cond, sink);
                // `while` leaves when the condition fails, `until` when it succeeds.
                self.b.get(self.status).i(W::I32Eqz);
                if !until {
                    self.b.i(W::I32Eqz);
                }
                self.b.i(W::BrIf(self.depth - brk));
                self.script(body, sink);
                self.b.i(W::Br(self.depth - cont));
                self.loops.pop();
                self.close();
                self.close();
                self.b.c(0).set(self.status);
            }
            Command::Group { body, redirects, .. } => {
                self.with_redirects(redirects, Span::default(), stdin, sink, |fx, _stdin, sink, _merge| {
                    fx.script(body, sink)
                });
            }
        }
    }

    /// Whether a word is split into fields by the shell (an unquoted `$X` or `$(…)`).
    fn splits(w: &Word) -> bool {
        w.parts.iter().any(|p| matches!(p, Part::Var { quoted: false, .. } | Part::Subst { quoted: false, .. }))
    }

    /// The words as one `list<string>`: each word one value, or the fields of an unquoted
    /// expansion (none when it is empty). Returns the locals of the list's address and length.
    fn fields(&mut self, items: &[Word]) -> (u32, u32) {
        let mut lists = Vec::new();
        for w in items {
            let v = self.word(w);
            let (lp, ln) = (self.b.local(), self.b.local());
            if Self::splits(w) {
                self.push(&v);
                self.b.helper(Helper::Split).set(ln).set(lp);
            } else {
                let area = self.alloc(8, 4);
                self.store(area, 0, &Type::String, &v);
                self.b.get(area).set(lp).c(1).set(ln);
            }
            lists.push((lp, ln));
        }
        // Join the lists.
        let (all, count, i) = (self.b.local(), self.b.local(), self.b.local());
        self.b.c(0).set(count);
        for &(_, ln) in &lists {
            self.b.get(count).get(ln).i(W::I32Add).set(count);
        }
        self.b.get(count).c(8).i(W::I32Mul).c(4).helper(Helper::Alloc).set(all);
        self.b.c(0).set(i);
        for &(lp, ln) in &lists {
            self.b.get(all).get(i).c(8).i(W::I32Mul).i(W::I32Add).get(lp).get(ln).c(8).i(W::I32Mul);
            self.b.i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
            self.b.get(i).get(ln).i(W::I32Add).set(i);
        }
        (all, count)
    }

    fn for_loop(&mut self, var: &str, items: &[Word], body: &Script, sink: Sink) {
        // Each item is one value, or the fields of an unquoted expansion.
        let (all, count) = self.fields(items);
        let i = self.b.local();
        self.b.c(0).set(i).c(0).set(self.status);
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
        self.b.get(i).c(1).i(W::I32Add).set(i);
        self.b.i(W::Br(self.depth - (brk + 1)));
        self.close();
        self.close();
    }

    /// Applies redirections around `run`: input from files and heredocs, output to files.
    fn with_redirects(
        &mut self,
        redirects: &[Redirect],
        span: Span,
        stdin: &V,
        sink: Sink,
        run: impl FnOnce(&mut Self, &V, Sink, bool),
    ) {
        let mut input = stdin.clone();
        let mut merge = false;
        let mut out: Option<(&Redirect, bool)> = None;
        let outer_discard = self.discard_stderr;
        for r in redirects {
            match r.op {
                RedirectOp::Read => {
                    if let Some(file) = r.file() {
                        let (ap, al) = self.new_buffer();
                        let file = file.clone();
                        let empty = self.g.str("");
                        self.fs_call(span, "read", "<", &[file], None, &[], &empty, Sink::Capture(ap, al), false);
                        input = V::pair(ap, al);
                    }
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
        match out {
            None => run(self, &input, sink, merge),
            Some((r, to_file)) => {
                let (ap, al) = self.new_buffer();
                run(self, &input, Sink::Capture(ap, al), merge);
                if to_file {
                    let saved = self.b.local();
                    self.b.get(self.status).set(saved);
                    let op = if matches!(r.op, RedirectOp::Append | RedirectOp::WriteBoth { append: true }) {
                        "append"
                    } else {
                        "write"
                    };
                    let tool = if op == "append" { ">>" } else { ">" };
                    let content = V::pair(ap, al);
                    self.fs_call(
                        span,
                        op,
                        tool,
                        std::slice::from_ref(&r.target),
                        None,
                        &[],
                        &content,
                        Sink::Terminal,
                        false,
                    );
                    self.b.get(saved).set(self.status);
                }
            }
        }
        self.discard_stderr = outer_discard;
    }

    #[allow(clippy::too_many_arguments)]
    fn fs_call(
        &mut self,
        span: Span,
        op: &str,
        tool: &str,
        paths: &[Word],
        dest: Option<&Word>,
        options: &[(String, Option<Word>)],
        stdin: &V,
        sink: Sink,
        merge: bool,
    ) {
        let cap = match op {
            "read" | "test" => {
                if op == "test" {
                    "fs.stat"
                } else {
                    "fs.read"
                }
            }
            "write" => "fs.write",
            other => {
                return self.fs_call_cap(
                    span,
                    &format!("fs.{other}"),
                    op,
                    tool,
                    paths,
                    dest,
                    options,
                    stdin,
                    sink,
                    merge,
                );
            }
        };
        self.fs_call_cap(span, cap, op, tool, paths, dest, options, stdin, sink, merge);
    }

    #[allow(clippy::too_many_arguments)]
    fn fs_call_cap(
        &mut self,
        span: Span,
        cap: &str,
        op: &str,
        tool: &str,
        paths: &[Word],
        dest: Option<&Word>,
        options: &[(String, Option<Word>)],
        stdin: &V,
        sink: Sink,
        merge: bool,
    ) {
        let grant = self.grant(span, cap);
        let op_v = self.g.str(op);
        let tool_v = self.g.str(tool);
        let paths_v = self.word_list(paths);
        let dest_v = self.opt_word(dest);
        let opts = self.opts("fs", "request", options, &[]);
        let io = self.io(stdin, sink, merge);
        self.call_import("fs", "call", &[V::R(vec![grant, op_v, tool_v, paths_v, dest_v, opts]), io]);
        let out = self.outcome();
        self.route(&out, sink, false);
    }

    fn manual(&mut self, text: &str) {
        let id = self.g.str(&self.step_id.clone());
        let t = self.g.str(text);
        self.call_import("operator", "manual", &[id, t]);
        let ra = i32::try_from(self.g.retarea).expect("small");
        self.b.c(ra).load8(0);
        self.open(W::If(Empty));
        self.exit_with(&V::Const(EXIT_DENIED));
        self.close();
        self.b.c(0).set(self.status);
    }

    #[allow(clippy::too_many_lines)]
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
        let mut bounded: Vec<(&str, String)> = match &s.mode {
            Mode::Bounded { seconds, .. } => vec![("bounded-seconds", seconds.to_string())],
            _ => Vec::new(),
        };
        if background {
            // `cmd &`: the host starts it, tracks it and stops it when the run ends.
            bounded.push(("background", String::new()));
        }
        let span = s.span;
        match &s.action {
            Action::Assign | Action::Invalid => {
                for (name, w) in &s.assignments {
                    let v = self.word(w);
                    self.set_var(&format!("var:{name}"), &v);
                }
                self.b.c(0).set(self.status);
            }
            Action::Builtin(b) => self.builtin(s, b, stdin, sink),
            Action::Text(t) => {
                let (t, s_redirects) = (t.clone(), s.redirects.clone());
                self.with_redirects(&s_redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let mut input = input.clone();
                    if !t.files.is_empty() {
                        let (ap, al) = fx.new_buffer();
                        for f in &t.files {
                            let empty = fx.g.str("");
                            fx.fs_call(
                                span,
                                "read",
                                "cat",
                                std::slice::from_ref(f),
                                None,
                                &[],
                                &empty,
                                Sink::Capture(ap, al),
                                false,
                            );
                        }
                        input = V::pair(ap, al);
                    }
                    let name = fx.g.str(&t.name);
                    let opts = fx.opts("text", "request", &t.options, &[]);
                    let ops = fx.word_list(&t.operands);
                    // Pure: the host returns the output and the guest decides where it goes.
                    let (bp, bl) = (fx.b.local(), fx.b.local());
                    let io = fx.io(&input, Sink::Capture(bp, bl), merge);
                    fx.request("text", "filter", vec![name, opts, ops], io, sink, true);
                });
            }
            Action::Fs(f) => {
                let (f, redirects) = (f.clone(), s.redirects.clone());
                self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let cap = match f.op {
                        crate::action::fs::FsOp::Copy => "fs.write".to_string(),
                        op => format!("fs.{}", op.as_str()),
                    };
                    let mut options = f.options.clone();
                    for (k, v) in &bounded {
                        options.push(((*k).to_string(), Some(Word::lit(v, span))));
                    }
                    fx.fs_call_cap(
                        span,
                        &cap,
                        f.op.as_str(),
                        &f.tool,
                        &f.paths,
                        f.dest.as_ref(),
                        &options,
                        input,
                        sink,
                        merge,
                    );
                });
            }
            Action::Http(h) => {
                let (h, redirects) = (h.clone(), s.redirects.clone());
                self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let grant = fx.grant(span, "http.request");
                    let tool = fx.g.str(&h.tool);
                    let method = fx.g.str(&h.method);
                    let url = fx.word(&h.url);
                    let headers = fx.word_list(&h.headers);
                    let body = fx.opt_word(h.body.as_ref());
                    let mut options: Vec<(String, Option<Word>)> = Vec::new();
                    for (flag, on) in [
                        ("fail", h.fail),
                        ("silent", h.silent),
                        ("show-error", h.show_error),
                        ("head", h.head_only),
                        ("include", h.include_headers),
                        ("location", h.follow_redirects),
                        ("insecure", h.insecure),
                    ] {
                        if on {
                            options.push((flag.to_string(), None));
                        }
                    }
                    for (key, v) in [
                        ("output", &h.output),
                        ("write-out", &h.write_out),
                        ("max-time", &h.max_time),
                        ("connect-timeout", &h.connect_timeout),
                        ("retry", &h.retry),
                        ("user", &h.user),
                    ] {
                        if let Some(w) = v {
                            options.push((key.to_string(), Some(w.clone())));
                        }
                    }
                    let opts = fx.opts("http", "request", &options, &[]);
                    let io = fx.io(input, sink, merge);
                    let has_body = V::Const(i32::from(h.body.is_some()));
                    fx.request(
                        "http",
                        "send",
                        vec![grant, tool, method, url, headers, body, has_body, opts],
                        io,
                        sink,
                        false,
                    );
                });
            }
            Action::Docker(d) => {
                let (d, redirects) = (d.clone(), s.redirects.clone());
                self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let grant = fx.grant(span, &d.capability());
                    let verb = fx.g.str(&d.verb);
                    let targets = fx.word_list(&d.targets);
                    let opts = fx.opts("docker", "request", &d.options, &bounded);
                    let image = fx.opt_word(d.image.as_ref());
                    let command = fx.word_list(&d.command);
                    let file = fx.opt_word(d.compose_file.as_ref());
                    let project = fx.opt_word(d.project.as_ref());
                    let io = fx.io(input, sink, merge);
                    fx.request(
                        "docker",
                        "call",
                        vec![grant, verb, targets, opts, image, command, file, project],
                        io,
                        sink,
                        false,
                    );
                });
            }
            Action::Kube(k) => {
                let (k, redirects) = (k.clone(), s.redirects.clone());
                self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let grant = fx.grant(span, &k.capability());
                    let verb = fx.g.str(&k.verb);
                    let resources: Vec<V> = k.resources.iter().map(|r| fx.g.str(r)).collect();
                    let resources = fx.string_list(&resources);
                    let names = fx.word_list(&k.names);
                    let selector = fx.opt_word(k.selector.as_ref());
                    let namespace = fx.opt_word(k.namespace.as_ref());
                    let opts = fx.opts("kube", "request", &k.options, &bounded);
                    let operands = fx.word_list(&k.operands);
                    let io = fx.io(input, sink, merge);
                    let all = V::Const(i32::from(k.all_namespaces));
                    fx.request(
                        "kube",
                        "call",
                        vec![grant, verb, resources, names, selector, namespace, all, opts, operands],
                        io,
                        sink,
                        false,
                    );
                });
            }
            Action::Process(p) => {
                let (p, redirects, assignments, privileged) =
                    (p.clone(), s.redirects.clone(), s.assignments.clone(), s.privileged);
                self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
                    let grant = fx.grant(span, "process.exec");
                    let program = fx.word(&p.program);
                    let args = fx.word_list(&p.args);
                    let elem = fx.g.abi.list_element("process", "request", "env");
                    let mut env = Vec::new();
                    for name in fx.g.exported.clone() {
                        if assignments.iter().any(|(n, _)| *n == name) {
                            continue;
                        }
                        let k = fx.g.str(&name);
                        let v = fx.var(&format!("var:{name}"));
                        env.push(V::R(vec![k, v]));
                    }
                    for (name, w) in &assignments {
                        let k = fx.g.str(name);
                        let v = fx.word(w);
                        env.push(V::R(vec![k, v]));
                    }
                    let env = fx.list(&elem, &env);
                    let io = fx.io(input, sink, merge);
                    fx.call_import(
                        "process",
                        "run",
                        &[
                            V::R(vec![
                                grant,
                                program,
                                args,
                                env,
                                V::Const(i32::from(privileged)),
                                V::Const(i32::from(background)),
                            ]),
                            io,
                        ],
                    );
                    let out = fx.outcome();
                    fx.route(&out, sink, false);
                });
            }
        }
    }

    #[allow(clippy::too_many_lines)]
    fn builtin(&mut self, s: &Simple, b: &crate::action::builtin::Builtin, stdin: &V, sink: Sink) {
        let span = s.span;
        let b = b.clone();
        let redirects = s.redirects.clone();
        self.with_redirects(&redirects, span, stdin, sink, |fx, _input, sink, _merge| match b.name.as_str() {
            "echo" => {
                let mut args: &[Word] = &b.args;
                let mut newline = true;
                let mut escapes = false;
                while let Some(flag) = args
                    .first()
                    .and_then(Word::literal)
                    .filter(|f| matches!(f.as_str(), "-n" | "-e" | "-ne" | "-en" | "-E"))
                {
                    newline &= !flag.contains('n');
                    escapes |= flag.contains('e');
                    args = &args[1..];
                }
                if escapes {
                    let name = fx.g.str("echo");
                    let mut options = vec![("escapes".to_string(), None)];
                    if !newline {
                        options.push(("no-newline".to_string(), None));
                    }
                    let opts = fx.opts("text", "request", &options, &[]);
                    let ops = fx.word_list(args);
                    let empty = fx.g.str("");
                    let io = fx.io(&empty, Sink::Capture(0, 0), false);
                    fx.request("text", "filter", vec![name, opts, ops], io, sink, true);
                    return;
                }
                let mut text: Option<V> = None;
                for (i, a) in args.iter().enumerate() {
                    let v = fx.word(a);
                    text = Some(match text {
                        None => v,
                        Some(t) => {
                            let sep = fx.g.str(" ");
                            let t = fx.concat(&t, &sep);
                            let _ = i;
                            fx.concat(&t, &v)
                        }
                    });
                }
                let mut text = text.unwrap_or_else(|| fx.g.str(""));
                if newline {
                    let nl = fx.g.str("\n");
                    text = fx.concat(&text, &nl);
                }
                fx.route(&text, sink, true);
                fx.b.c(0).set(fx.status);
            }
            "printf" => {
                let name = fx.g.str("printf");
                let opts = fx.opts("text", "request", &[], &[]);
                let ops = fx.word_list(&b.args);
                let empty = fx.g.str("");
                let io = fx.io(&empty, Sink::Capture(0, 0), false);
                fx.request("text", "filter", vec![name, opts, ops], io, sink, true);
            }
            "export" | "readonly" => {
                for a in &b.args {
                    let prefix = a.literal_prefix();
                    if let Some(eq) = prefix.find('=') {
                        let name = prefix[..eq].to_string();
                        let value = crate::action::args::suffix(a, eq + 1);
                        let v = fx.word(&value);
                        fx.set_var(&format!("var:{name}"), &v);
                    }
                }
                fx.b.c(0).set(fx.status);
            }
            "unset" => {
                for a in &b.args {
                    if let Some(name) = a.literal() {
                        let empty = V::Pair(Box::new(V::Const(0)), Box::new(V::Const(0)));
                        fx.set_var(&format!("var:{name}"), &empty);
                    }
                }
                fx.b.c(0).set(fx.status);
            }
            "cd" => {
                let path = match b.args.first() {
                    Some(w) => fx.word(w),
                    None => fx.g.str("~"),
                };
                fx.call_import("fs", "chdir", &[V::Const(NO_GRANT), path]);
                let out = fx.outcome();
                fx.route(&out, sink, false);
            }
            "pwd" => {
                let empty = fx.g.str("");
                fx.fs_call_cap(span, "fs.pwd", "pwd", "pwd", &[], None, &[], &empty, sink, false);
            }
            "sleep" => {
                let secs = b.seconds.unwrap_or(0);
                fx.call_import(
                    "operator",
                    "sleep",
                    &[V::Const(i32::try_from(secs.min(i32::MAX as u64)).unwrap_or(i32::MAX))],
                );
                fx.b.c(0).set(fx.status);
            }
            "date" | "hostname" => {
                if b.name == "date" {
                    let args = fx.word_list(&b.args);
                    fx.call_import("facts", "date", &[args]);
                } else {
                    fx.call_import("facts", "hostname", &[]);
                }
                let ra = i32::try_from(fx.g.retarea).expect("small");
                let (p, l) = (fx.b.local(), fx.b.local());
                fx.b.c(ra).load(0).set(p).c(ra).load(4).set(l);
                fx.route(&V::pair(p, l), sink, true);
                fx.b.c(0).set(fx.status);
            }
            "test" | "[" => {
                if b.stat_paths.is_empty() {
                    let name = fx.g.str("test");
                    let opts = fx.opts("text", "request", &[], &[]);
                    let mut operands = b.args.clone();
                    if b.name == "[" {
                        operands.pop();
                    }
                    let ops = fx.word_list(&operands);
                    let empty = fx.g.str("");
                    let io = fx.io(&empty, Sink::Capture(0, 0), false);
                    fx.call_import("text", "filter", &[V::R(vec![name, opts, ops]), io]);
                    let _ = fx.outcome();
                } else {
                    let mut operands = b.args.clone();
                    if b.name == "[" {
                        operands.pop();
                    }
                    let empty = fx.g.str("");
                    let (ap, al) = fx.new_buffer();
                    fx.fs_call_cap(
                        span,
                        "fs.stat",
                        "test",
                        "test",
                        &operands,
                        None,
                        &[],
                        &empty,
                        Sink::Capture(ap, al),
                        false,
                    );
                }
            }
            "exit" => match b.args.first().and_then(Word::literal).and_then(|a| a.parse::<i32>().ok()) {
                Some(n) => fx.exit_with(&V::Const(n & 0xff)),
                None => {
                    let st = V::L(fx.status);
                    fx.exit_with(&st);
                }
            },
            "false" => {
                fx.b.c(1).set(fx.status);
            }
            "break" | "continue" => {
                if let Some(&(brk, cont)) = fx.loops.last() {
                    let target = if b.name == "break" { brk } else { cont };
                    fx.b.i(W::Br(fx.depth - target));
                }
            }
            // `true`, `:`, `set`, `wait` and the rest change nothing the guest tracks.
            _ => {
                fx.b.c(0).set(fx.status);
            }
        });
    }
}

//! Values and memory: the string pool, variable slots, guest buffers, and the lowering of WIT
//! values (strings, lists, enums, options, records packed by field name) into guest memory.

use std::collections::{BTreeSet, HashMap};

use wasm_encoder::BlockType::Empty;
use wasm_encoder::Instruction as W;
use wit_parser::Type;

use super::abi::{Abi, Shape};
use super::body::{Body, Callee, Helper, Ins};
use super::helpers::{G_EXIT_CODE, G_EXITING};
use crate::shell::{Part, Word};
use crate::source::Span;

/// Status a guest exits with when the host denies a call.
/// The slot of the positional parameters: the address and count of a `list<string>`.
pub const POSITIONAL: &str = "positional";

pub const EXIT_DENIED: i32 = playbook_capability::component::DENIED_STATUS;
/// Grant index meaning "this call relies on no grant" (`cd`, `pwd`).
pub const NO_GRANT: i32 = -1;

/// A value to lower: constants, locals, pool strings, and aggregates.
#[derive(Clone, Debug)]
pub enum V {
    Const(i32),
    L(u32),
    Pool(u32),
    /// A string or a list: address and length.
    Pair(Box<V>, Box<V>),
    /// `option<T>`: absent, or present with its value.
    Opt(Option<Box<V>>),
    /// A record, field by field by name; stored in the order the WIT declares, and every field
    /// the WIT declares must be given (a WIT change cannot mis-store silently).
    Rec(Vec<(&'static str, V)>),
    /// The standard input of a command that reads a host pipe (the local holding its handle):
    /// only `Fx::io` takes it, as the call's `stdin-pipe`.
    Pipe(u32),
}

impl V {
    #[must_use]
    pub fn pair(p: u32, l: u32) -> Self {
        Self::Pair(Box::new(Self::L(p)), Box::new(Self::L(l)))
    }

    #[must_use]
    pub fn some(v: Self) -> Self {
        Self::Opt(Some(Box::new(v)))
    }

    #[must_use]
    pub fn bool(b: bool) -> Self {
        Self::Const(i32::from(b))
    }
}

/// Where a command's standard output goes.
#[derive(Clone, Copy, Debug)]
pub enum Sink {
    /// The operator's terminal (the host shows it).
    Terminal,
    /// Appended to a guest buffer held in two locals.
    Capture(u32, u32),
    /// Into a host pipe (the local holding its handle), read by the next command of the
    /// pipeline as it is written.
    Stream(u32),
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
    pub retarea: u32,
    pub used_imports: BTreeSet<(String, String)>,
    /// Manual commands as the manifest shows them (as written), by span.
    pub manual_text: HashMap<(usize, usize), String>,
}

impl<'a> Gen<'a> {
    #[must_use]
    pub fn new(abi: &'a Abi, grants: &'a HashMap<(usize, usize), Vec<(String, u32)>>, retarea: u32) -> Self {
        Self {
            abi,
            pool: Vec::new(),
            pool_index: HashMap::new(),
            vars: HashMap::new(),
            grants,
            retarea,
            used_imports: BTreeSet::new(),
            manual_text: HashMap::new(),
        }
    }

    /// Offset of a string in the pool (deduplicated).
    ///
    /// # Panics
    /// When the pool outgrows `u32`, which a wasm32 memory cannot hold anyway.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&o) = self.pool_index.get(s) {
            return o;
        }
        let o = u32::try_from(self.pool.len()).expect("pool fits");
        self.pool.extend_from_slice(s.as_bytes());
        self.pool_index.insert(s.to_string(), o);
        o
    }

    /// A string from the pool, as a pointer and a length.
    ///
    /// # Panics
    /// When the pool outgrows `u32` or the string `i32`, which a wasm32 memory cannot hold anyway.
    pub fn str(&mut self, s: &str) -> V {
        let o = self.intern(s);
        V::Pair(Box::new(V::Pool(o)), Box::new(V::Const(i32::try_from(s.len()).expect("short"))))
    }

    /// The slot of a variable (or other keyed value), allocated on first use.
    ///
    /// # Panics
    /// When a runbook has more than `u32::MAX` variables, which its size limit rules out.
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
    pub(super) depth: u32,
    pub(super) loops: Vec<(u32, u32)>,
    /// The depths of enclosing subshells' blocks: `exit` leaves the innermost.
    pub(super) subshells: Vec<u32>,
    /// The depths of the blocks an arithmetic error abandons: the top-level line, a subshell,
    /// an element of a pipeline; innermost last.
    pub(super) discards: Vec<u32>,
    /// Set while an arithmetic error is abandoning commands: a redirected group on the way out
    /// writes what its commands printed, then goes on abandoning.
    pub(super) discarding: u32,
    /// The redirections being applied are a compound command's (`{ …; } > FILE`, `done >
    /// FILE`): what its commands printed before an arithmetic error is still written.
    pub(super) compound_redirects: bool,
    /// The input of the innermost command fed a file or a pipe (`while read …; done < FILE`):
    /// its buffer and the position `read` has reached, as locals.
    pub(super) feed: Vec<(u32, u32, u32)>,
    /// The command being emitted stands after a `|` (its input is the pipe).
    pub(super) in_pipe_tail: bool,
    /// Above zero where `set -e` does not apply: conditions, all but the last command of an
    /// `&&`/`||` list, a negated pipeline, and everything inside them.
    pub(super) no_errexit: u32,
    /// Inside a `2>/dev/null`: the host drops standard error.
    pub(super) discard_stderr: bool,
    /// The shell's own standard error is discarded (a group's `2>/dev/null` around it): where
    /// bash's messages about expansions go.
    pub(super) outer_stderr_null: bool,
    /// The command being emitted prints what derives from a secret.
    pub(super) secret: bool,
    /// How many subshells and elements of pipelines are around the code (each is a subshell of
    /// bash's): an unset variable under `set -u` ends the innermost with status 1, the shell
    /// itself with 127.
    pub(super) elements: u32,
    /// The depths of the blocks of the functions being run: `return` leaves the innermost.
    pub(super) returns: Vec<u32>,
    /// For each function being run, its `local` names: the locals holding the value each had
    /// before, and whether its `local` has run yet.
    pub(super) frames: Vec<Vec<(String, V, u32)>>,
    /// In the EXIT trap's commands: the local holding the status the trap was entered with,
    /// which a bare `exit` there exits with.
    pub(super) trap_entry: Option<u32>,
    /// The command being emitted expands a `$(…)` or `$((…))` in its words: bash does that
    /// before it opens the files its redirections write, so they are opened after it.
    pub(super) late_open: bool,
    /// The command being emitted is one program (a filter, `docker`, `kubectl`, another):
    /// its `> FILE` can be a pipe the host writes into the file as the program prints.
    pub(super) one_program: bool,
}

impl<'g, 'a> Fx<'g, 'a> {
    pub fn new(g: &'g mut Gen<'a>, b: Body, step_id: String) -> Self {
        let mut b = b;
        let status = b.local();
        let discarding = b.local();
        Self {
            g,
            b,
            status,
            step_id,
            depth: 0,
            loops: Vec::new(),
            subshells: Vec::new(),
            discards: Vec::new(),
            discarding,
            compound_redirects: false,
            feed: Vec::new(),
            in_pipe_tail: false,
            no_errexit: 0,
            discard_stderr: false,
            outer_stderr_null: false,
            secret: false,
            elements: 0,
            returns: Vec::new(),
            frames: Vec::new(),
            trap_entry: None,
            late_open: false,
            one_program: false,
        }
    }

    pub(super) fn open(&mut self, i: W<'static>) {
        self.b.i(i);
        self.depth += 1;
    }

    pub(super) fn close(&mut self) {
        self.b.i(W::End);
        self.depth -= 1;
    }

    pub(super) fn push(&mut self, v: &V) {
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
            V::Opt(_) | V::Rec(_) => panic!("aggregates are passed in memory"),
            V::Pipe(_) => panic!("a pipe is a call's input, not a value"),
        }
    }

    /// How many core values a WIT type flattens to.
    fn flat_count(&self, ty: &Type) -> usize {
        match self.g.abi.shape(ty) {
            Shape::Byte | Shape::Word => 1,
            Shape::Pair => 2,
            Shape::Option(inner, _) => 1 + self.flat_count(&inner),
            Shape::Record(fields) => fields.iter().map(|(_, t)| self.flat_count(t)).sum(),
        }
    }

    /// Pushes `v` of WIT type `ty` as the canonical ABI flattens it: records field by field in
    /// the WIT's order, an option as its discriminant and then its payload (zeros when absent).
    fn push_flat(&mut self, ty: &Type, v: &V) {
        match (self.g.abi.shape(ty), v) {
            (Shape::Record(fields), V::Rec(given)) => {
                let mut names: Vec<&str> = given.iter().map(|(n, _)| *n).collect();
                names.sort_unstable();
                let mut expected: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                expected.sort_unstable();
                assert_eq!(names, expected, "the fields of {ty:?} as the WIT declares them");
                for (name, t) in &fields {
                    let (_, fv) = given.iter().find(|(n, _)| n == name).expect("checked above");
                    self.push_flat(t, fv);
                }
            }
            (Shape::Option(inner, _), V::Opt(o)) => {
                self.b.c(i32::from(o.is_some()));
                match o {
                    Some(x) => self.push_flat(&inner, x),
                    None => {
                        for _ in 0..self.flat_count(&inner) {
                            self.b.c(0);
                        }
                    }
                }
            }
            (Shape::Record(_) | Shape::Option(..), _) => panic!("a record or option value for {ty:?}"),
            _ => self.push(v),
        }
    }

    /// Stores `v` of WIT type `ty` at `base + off`.
    fn store(&mut self, base: u32, off: u32, ty: &Type, v: &V) {
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
            Shape::Option(inner, payload) => {
                let V::Opt(o) = v else { panic!("an option value for {ty:?}") };
                self.b.get(base).c(i32::from(o.is_some())).store8(off);
                if let Some(x) = o {
                    self.store(base, off + payload, &inner, x);
                }
            }
            Shape::Record(fields) => {
                let V::Rec(given) = v else { panic!("a record value for {ty:?}") };
                let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                let mut given_names: Vec<&str> = given.iter().map(|(n, _)| *n).collect();
                given_names.sort_unstable();
                let mut expected = names.clone();
                expected.sort_unstable();
                assert_eq!(given_names, expected, "the fields of {ty:?} as the WIT declares them");
                let types: Vec<Type> = fields.iter().map(|(_, t)| *t).collect();
                let offs = self.g.abi.offsets(&types);
                for ((name, t), o) in fields.iter().zip(offs) {
                    let (_, fv) = given.iter().find(|(n, _)| n == name).expect("checked above");
                    self.store(base, off + o, t, fv);
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
    pub(super) fn list(&mut self, elem: &Type, items: &[V]) -> V {
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

    /// Calls an import with its parameters by name. Results, if any, are left in the return area
    /// or on the stack as the signature says.
    pub(super) fn call(&mut self, iface: &str, name: &str, args: &[(&str, V)]) {
        let key = (iface.to_string(), name.to_string());
        let imp = self.g.abi.imports.get(&key).unwrap_or_else(|| panic!("import {iface}.{name}")).clone();
        let params: Vec<(&str, Type)> = imp.func.params.iter().map(|p| (p.name.as_str(), p.ty)).collect();
        assert_eq!(
            params.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            args.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            "the parameters of {iface}.{name} as the WIT declares them"
        );
        let types: Vec<Type> = params.iter().map(|(_, t)| *t).collect();
        if imp.sig.indirect_params {
            let (size, align) = self.g.abi.params_size_align(&types);
            let area = self.alloc(size, align);
            let offs = self.g.abi.offsets(&types);
            for ((ty, off), (_, v)) in types.iter().zip(offs).zip(args) {
                self.store(area, off, ty, v);
            }
            self.b.get(area);
        } else {
            for (ty, (_, v)) in types.iter().zip(args) {
                self.push_flat(ty, v);
            }
        }
        if imp.sig.retptr {
            self.b.c(i32::try_from(self.g.retarea).expect("small"));
        }
        self.b.call(Callee::Import(key.0.clone(), key.1.clone()));
        self.g.used_imports.insert(key);
    }

    /// Stops the run with `code` (a denial, or `exit`).
    /// `set -e`: a failed command here ends the run (or the subshell) with its status.
    pub(super) fn errexit_check(&mut self) {
        if self.no_errexit > 0 {
            return;
        }
        self.b.i(W::GlobalGet(super::helpers::G_ERREXIT));
        self.b.get(self.status).i(W::I32Const(0)).i(W::I32Ne).i(W::I32And);
        self.open(W::If(Empty));
        if let Some(&target) = self.subshells.last() {
            self.b.i(W::Br(self.depth - target));
        } else {
            let st = V::L(self.status);
            self.exit_with(&st);
        }
        self.close();
    }

    pub(super) fn exit_with(&mut self, code: &V) {
        self.push(code);
        self.b.i(W::GlobalSet(G_EXIT_CODE));
        self.b.c(1).i(W::GlobalSet(G_EXITING));
        self.b.i(W::Return);
    }

    /// After a call returning `result<outcome, error>`: sets status and returns stdout.
    /// A denial stops the run.
    pub(super) fn outcome(&mut self) -> V {
        let (p, n) = (self.b.local(), self.b.local());
        self.b.helper(Helper::Outcome).set(n).set(p).set(self.status);
        self.b.i(W::GlobalGet(G_EXITING)).i(W::If(Empty)).i(W::Return).i(W::End);
        V::pair(p, n)
    }

    /// Sends output to the sink.
    pub(super) fn route(&mut self, out: &V, sink: Sink, print: bool) {
        match sink {
            Sink::Capture(ap, al) => {
                self.b.get(ap).get(al);
                self.push(out);
                self.b.helper(Helper::Concat).set(al).set(ap);
            }
            Sink::Terminal if print => {
                let secret = V::bool(self.secret);
                self.call(
                    "operator",
                    "print",
                    &[("text", out.clone()), ("to-stderr", V::Const(0)), ("secret", secret)],
                );
            }
            Sink::Terminal => {}
            Sink::Stream(h) => {
                // The shell's own output into the pipe; a reader that ended makes it SIGPIPE's
                // status, as for a builtin writing into a closed pipe under bash.
                let V::Pair(_, len) = out else { unreachable!("a string") };
                self.push(len);
                self.open(W::If(Empty));
                self.call("pipes", "write", &[("pipe", V::L(h)), ("text", out.clone())]);
                self.b.i(W::I32Eqz);
                self.open(W::If(Empty));
                self.b.c(141).set(self.status);
                self.close();
                self.close();
            }
        }
    }

    pub(super) fn new_buffer(&mut self) -> (u32, u32) {
        let (p, l) = (self.b.local(), self.b.local());
        self.b.c(0).set(p).c(0).set(l);
        (p, l)
    }

    pub(super) fn concat(&mut self, a: &V, b: &V) -> V {
        let (p, l) = (self.b.local(), self.b.local());
        self.push(a);
        self.push(b);
        self.b.helper(Helper::Concat).set(l).set(p);
        V::pair(p, l)
    }

    /// A variable's value, or a positional parameter's (`1`, `#`, and `@`/`*` joined with
    /// spaces).
    pub(super) fn param(&mut self, name: &str) -> V {
        let (key, index) = if let Some((array, index)) = crate::shell::array_ref(name) {
            (format!("array:{array}"), index.to_string())
        } else if crate::shell::is_positional(name) {
            (POSITIONAL.to_string(), name.to_string())
        } else {
            return self.var(&format!("var:{name}"));
        };
        let V::Pair(all, count) = self.var(&key) else { unreachable!("a pair") };
        let (V::L(all), V::L(count)) = (*all, *count) else { unreachable!("locals") };
        let positional = key == POSITIONAL;
        // An array's element: by number (from the end when negative) or by a variable's value.
        if !positional && !matches!(index.as_str(), "@" | "*" | "#") {
            let k = self.b.local();
            if let Ok(n) = index.parse::<i32>() {
                if n < 0 {
                    self.b.get(count).c(n).i(W::I32Add).set(k);
                } else {
                    self.b.c(n).set(k);
                }
            } else {
                let e = crate::shell::Arith::Var { name: index.clone(), dollar: false };
                let (v, err) = self.arith(&e, &index, "");
                self.discard_if(err);
                // (Negative: from the end.)
                self.b.get(v).i(W::I32WrapI64).set(k);
                self.b.get(v).c64(0).i(W::I64LtS);
                self.open(W::If(Empty));
                self.b.get(count).get(k).i(W::I32Add).set(k);
                self.close();
            }
            // Before the first element: bash's message, and no value.
            self.b.get(k).c(0).i(W::I32LtS);
            self.open(W::If(Empty));
            if !self.outer_stderr_null {
                let array = crate::shell::array_ref(name).map_or(name, |(a, _)| a);
                let m = self.g.str(&format!("bash: {array}: bad array subscript\n"));
                let secret = V::bool(self.secret);
                self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", secret)]);
            }
            self.close();
            let (p, l) = (self.b.local(), self.b.local());
            self.b.c(0).set(p).c(0).set(l);
            self.b.get(k).get(count).i(W::I32LtU);
            self.open(W::If(Empty));
            self.b.get(all).get(k).c(8).i(W::I32Mul).i(W::I32Add).load(0).set(p);
            self.b.get(all).get(k).c(8).i(W::I32Mul).i(W::I32Add).load(4).set(l);
            self.close();
            return V::pair(p, l);
        }
        match index.as_str() {
            "#" => {
                let (p, l) = (self.b.local(), self.b.local());
                self.b.get(count).i(W::I64ExtendI32U).helper(Helper::Itoa64).set(l).set(p);
                V::pair(p, l)
            }
            "@" | "*" => {
                let (p, l, i) = (self.b.local(), self.b.local(), self.b.local());
                let empty = self.g.str("");
                self.push(&empty);
                self.b.set(l).set(p).c(0).set(i);
                self.open(W::Block(Empty));
                let out = self.depth;
                self.open(W::Loop(Empty));
                self.b.get(i).get(count).i(W::I32GeU).i(W::BrIf(self.depth - out));
                self.b.get(i);
                self.open(W::If(Empty));
                let sep = self.g.str(" ");
                let joined = self.concat(&V::pair(p, l), &sep);
                self.push(&joined);
                self.b.set(l).set(p);
                self.close();
                let (ep, el) = (self.b.local(), self.b.local());
                self.b.get(all).get(i).c(8).i(W::I32Mul).i(W::I32Add).load(0).set(ep);
                self.b.get(all).get(i).c(8).i(W::I32Mul).i(W::I32Add).load(4).set(el);
                let joined = self.concat(&V::pair(p, l), &V::pair(ep, el));
                self.push(&joined);
                self.b.set(l).set(p);
                self.b.get(i).c(1).i(W::I32Add).set(i);
                self.b.i(W::Br(self.depth - (out + 1)));
                self.close();
                self.close();
                V::pair(p, l)
            }
            n => {
                let k: i32 = n.parse().unwrap_or(i32::MAX).min(1 << 24);
                let (p, l) = (self.b.local(), self.b.local());
                self.b.c(0).set(p).c(0).set(l);
                self.b.get(count).c(k).i(W::I32GeU);
                self.open(W::If(Empty));
                self.b.get(all).c((k - 1) * 8).i(W::I32Add).load(0).set(p);
                self.b.get(all).c((k - 1) * 8).i(W::I32Add).load(4).set(l);
                self.close();
                V::pair(p, l)
            }
        }
    }

    /// Under `set -u`, a variable that is not set (its address 0) stops the shell as bash's
    /// does: its message, then status 127 out of the shell, or 1 out of the subshell (or
    /// pipeline element) it stands in. `$@` and `$*` never count as unset.
    pub(super) fn unbound_check(&mut self, name: &str, v: &V) {
        if matches!(name, "@" | "*" | "#")
            || crate::shell::array_ref(name).is_some_and(|(_, i)| matches!(i, "@" | "*" | "#"))
        {
            return;
        }
        let V::Pair(p, _) = v else { return };
        self.b.i(W::GlobalGet(super::helpers::G_NOUNSET));
        self.push(p);
        self.b.i(W::I32Eqz).i(W::I32And);
        self.open(W::If(Empty));
        if !self.outer_stderr_null {
            let shown = if crate::shell::is_positional(name) { format!("${name}") } else { name.to_string() };
            let m = self.g.str(&format!("bash: {shown}: unbound variable\n"));
            let secret = V::bool(self.secret);
            self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", secret)]);
        }
        if self.elements > 0 {
            self.b.c(1).set(self.discarding);
            self.abandon();
        } else {
            // 127, or 1 under `set -e`.
            let code = self.b.local();
            self.b.c(1).c(127).i(W::GlobalGet(super::helpers::G_ERREXIT)).i(W::Select).set(code);
            self.exit_with(&V::L(code));
        }
        self.close();
    }

    pub(super) fn var(&mut self, key: &str) -> V {
        let slot = self.g.slot(key);
        let (p, l) = (self.b.local(), self.b.local());
        self.b.ins.push(Ins::VarAddr(slot));
        self.b.load(0).set(p);
        self.b.ins.push(Ins::VarAddr(slot));
        self.b.load(4).set(l);
        V::pair(p, l)
    }

    /// Sets a variable; a shell variable's value is never at address 0, which means unset
    /// (`unset`, `local NAME`, an input nobody gave).
    pub(super) fn set_var(&mut self, key: &str, v: &V) {
        if key.starts_with("var:")
            && let V::Pair(p, l) = v
            && !matches!(p.as_ref(), V::Pool(_))
        {
            let set = self.b.local();
            let empty = self.g.str("");
            let V::Pair(e, _) = empty else { unreachable!("a pair") };
            self.push(p);
            self.push(&e);
            self.push(p);
            self.b.i(W::Select).set(set);
            let v = V::Pair(Box::new(V::L(set)), l.clone());
            self.set_var_raw(key, &v);
        } else {
            self.set_var_raw(key, v);
        }
    }

    /// Sets a slot as it is (an unset variable is `(0, 0)`).
    pub(super) fn set_var_raw(&mut self, key: &str, v: &V) {
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
                Part::Var { name, default: None, op: Some(op), .. } => {
                    let v = self.param(name);
                    self.unbound_check(name, &v);
                    self.var_op(&v, op)
                }
                Part::Var { name, default: Some(_), op: Some(op), .. } => {
                    let v = self.param(name);
                    self.var_op(&v, op)
                }
                Part::Var { name, default, .. } => {
                    let v = self.param(name);
                    if default.is_none() {
                        self.unbound_check(name, &v);
                    }
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
                    self.b.get(self.status).i(W::I64ExtendI32S).helper(Helper::Itoa64).set(l).set(p);
                    V::pair(p, l)
                }
                Part::Arith { expr, text } => self.arith_word(expr, text),
                // The paths of a glob, each ended by a NUL (split by `fields`).
                Part::Subst { script, glob: true, .. } => {
                    let (ap, al) = self.new_buffer();
                    self.script(script, Sink::Capture(ap, al));
                    V::pair(ap, al)
                }
                Part::Subst { script, .. } => {
                    let (ap, al) = self.new_buffer();
                    self.subshell(script, Sink::Capture(ap, al), true);
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

    /// `${#v}`, `${v%p}`, `${v/p/r}` and their kinds on the value `v`.
    fn var_op(&mut self, v: &V, op: &crate::shell::VarOp) -> V {
        use crate::shell::VarOp;
        let (p, l) = (self.b.local(), self.b.local());
        match op {
            VarOp::Length => {
                self.push(v);
                self.b.helper(Helper::Chars).i(W::I64ExtendI32U).helper(Helper::Itoa64).set(l).set(p);
            }
            VarOp::Substring { offset, length } => return self.substring(v, offset, length.as_ref()),
            VarOp::Case { upper, all } => {
                let bad = self.b.local();
                self.push(v);
                self.b.c(i32::from(*upper) + 2 * i32::from(*all)).helper(Helper::Case).set(bad).set(l).set(p);
                // A character beyond ASCII: bash maps it by the locale, which is not carried out.
                self.b.get(bad);
                self.open(W::If(Empty));
                let m = self.g.str(
                    "playbook: ${v^^}/${v,,} met a character beyond ASCII, which bash maps by the locale; not carried out\n",
                );
                self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", V::Const(0))]);
                self.exit_with(&V::Const(2));
                self.close();
            }
            VarOp::Remove { suffix, longest, pattern } => {
                let pv = self.pattern(pattern);
                self.push(&pv);
                self.push(v);
                self.b.c(i32::from(*suffix) * 2 + i32::from(*longest)).helper(Helper::Remove).set(l).set(p);
            }
            VarOp::Replace { mode, pattern, with } => {
                let pv = self.pattern(pattern);
                let wv = self.word(with);
                self.push(&pv);
                self.push(v);
                self.push(&wv);
                self.b.c(*mode as i32).helper(Helper::Replace).set(l).set(p);
            }
        }
        V::pair(p, l)
    }

    /// A word as a pattern (`case`, `[[ == ]]`): its unquoted `*`, `?` and `[…]` match, what
    /// was quoted — literally or by expansion — matches itself.
    pub(super) fn pattern(&mut self, w: &Word) -> V {
        let mut acc: Option<V> = None;
        for part in &w.parts {
            let v = match part {
                Part::Glob { text } => self.g.str(text),
                Part::Lit { text } => {
                    let escaped: String = text
                        .chars()
                        .flat_map(|c| {
                            let special = matches!(c, '*' | '?' | '[' | ']' | '\\');
                            special.then_some('\\').into_iter().chain(std::iter::once(c))
                        })
                        .collect();
                    self.g.str(&escaped)
                }
                Part::Var { quoted: false, .. } | Part::Subst { quoted: false, .. } => {
                    self.word(&Word { parts: vec![part.clone()], span: w.span })
                }
                _ => {
                    let v = self.word(&Word { parts: vec![part.clone()], span: w.span });
                    let (p, l) = (self.b.local(), self.b.local());
                    self.push(&v);
                    self.b.helper(Helper::Escape).set(l).set(p);
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

    /// An optional word as an `option<string>`.
    pub(super) fn opt_word(&mut self, w: Option<&Word>) -> V {
        match w {
            Some(w) => {
                let v = self.word(w);
                V::some(v)
            }
            None => V::Opt(None),
        }
    }

    /// Arguments as the shell passes them, as a `list<string>`: unquoted expansions are split
    /// into fields.
    pub(super) fn word_list(&mut self, ws: &[Word]) -> V {
        if ws.iter().any(Self::splits) {
            let (all, count) = self.fields(ws);
            return V::pair(all, count);
        }
        let vs: Vec<V> = ws.iter().map(|w| self.word(w)).collect();
        self.list(&Type::String, &vs)
    }

    /// Literal strings as a `list<string>`.
    pub(super) fn str_list(&mut self, items: &[String]) -> V {
        let vs: Vec<V> = items.iter().map(|s| self.g.str(s)).collect();
        self.list(&Type::String, &vs)
    }

    /// A request's settings as a `list<setting>`.
    pub(super) fn settings(&mut self, settings: &[playbook_capability::Setting<Word>]) -> V {
        let elem = self.g.abi.type_of("types", "setting");
        let mut items = Vec::new();
        for s in settings {
            let key = self.g.str(&s.key);
            let value = self.opt_word(s.value.as_ref());
            items.push(V::Rec(vec![("key", key), ("value", value)]));
        }
        self.list(&elem, &items)
    }

    /// Variables as a `list<variable>`.
    pub(super) fn variables(&mut self, vars: &[(String, Word)]) -> V {
        let elem = self.g.abi.type_of("types", "variable");
        let mut items = Vec::new();
        for (name, w) in vars {
            let n = self.g.str(name);
            let v = self.word(w);
            items.push(V::Rec(vec![("name", n), ("value", v)]));
        }
        self.list(&elem, &items)
    }

    /// The grant a command's call of `capability` relies on.
    pub(super) fn grant(&self, span: Span, capability: &str) -> V {
        let found = self
            .g
            .grants
            .get(&(span.start, span.end))
            .and_then(|gs| gs.iter().find(|(c, _)| c == capability).or_else(|| gs.first()).map(|(_, g)| *g));
        V::Const(found.map_or(NO_GRANT, |g| i32::try_from(g).expect("few grants")))
    }

    /// An enum value of the WIT, by case name.
    pub(super) fn case(&self, iface: &str, name: &str, case: &str) -> V {
        V::Const(self.g.abi.enum_case(iface, name, case))
    }

    pub(super) fn io(&mut self, stdin: &V, sink: Sink, merge: bool) -> V {
        let (stdin, stdin_pipe) = match stdin {
            V::Pipe(h) => (self.g.str(""), V::L(*h)),
            v => (v.clone(), V::Const(0)),
        };
        let stdout_pipe = match sink {
            Sink::Stream(h) => V::L(h),
            _ => V::Const(0),
        };
        V::Rec(vec![
            ("stdin", stdin),
            // (Into a pipe: what the host makes itself comes back only if it could not go in.)
            ("capture", V::bool(matches!(sink, Sink::Capture(..) | Sink::Stream(_)))),
            ("merge-stderr", V::bool(merge)),
            ("discard-stderr", V::bool(self.discard_stderr && !merge)),
            ("secret", V::bool(self.secret)),
            ("stdin-pipe", stdin_pipe),
            ("stdout-pipe", stdout_pipe),
        ])
    }

    /// Whether a call's `io` reads a host pipe: the call starts its command and returns; the
    /// outcome comes from `pipes.wait`.
    pub(super) fn reads_pipe(io: &V) -> bool {
        matches!(io, V::Rec(fields) if fields.iter().any(|(n, v)| *n == "stdin-pipe" && matches!(v, V::L(_))))
    }

    /// Whether a word is split into fields by the shell (an unquoted `$X` or `$(…)`).
    pub(super) fn splits(w: &Word) -> bool {
        w.parts.iter().any(|p| matches!(p, Part::Var { quoted: false, .. } | Part::Subst { quoted: false, .. }))
            || Self::all_args(w).is_some()
    }

    /// `"$@"`, `"${a[@]}"`: each positional parameter (or element) one field; the slot of the
    /// list.
    fn all_args(w: &Word) -> Option<String> {
        match w.parts.as_slice() {
            [Part::Var { name, quoted: true, default: None, op: None }] if name == "@" => Some(POSITIONAL.to_string()),
            [Part::Var { name, quoted: true, default: None, op: None }] => match crate::shell::array_ref(name) {
                Some((array, "@")) => Some(format!("array:{array}")),
                _ => None,
            },
            _ => None,
        }
    }

    /// `NAME=(…)`, `NAME+=(…)`: the array's elements, each word one (or its fields).
    pub(super) fn assign_array(&mut self, name: &str, words: &[Word], append: bool) {
        let key = format!("array:{name}");
        let (all, count) = self.fields(words);
        if append {
            let V::Pair(old, n) = self.var(&key) else { unreachable!("a pair") };
            let (V::L(old), V::L(n)) = (*old, *n) else { unreachable!("locals") };
            let (joined, total) = (self.b.local(), self.b.local());
            self.b.get(n).get(count).i(W::I32Add).set(total);
            self.b.get(total).c(8).i(W::I32Mul).c(4).helper(Helper::Alloc).set(joined);
            self.b.get(joined).get(old).get(n).c(8).i(W::I32Mul).i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
            self.b.get(joined).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(all).get(count).c(8).i(W::I32Mul);
            self.b.i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
            self.set_var_raw(&key, &V::pair(joined, total));
        } else {
            self.set_var_raw(&key, &V::pair(all, count));
        }
    }

    /// The words as one `list<string>`: each word one value, or the fields of an unquoted
    /// expansion (none when it is empty). Returns the locals of the list's address and length.
    pub(super) fn fields(&mut self, items: &[Word]) -> (u32, u32) {
        let mut lists = Vec::new();
        for w in items {
            if let Some(key) = Self::all_args(w) {
                let V::Pair(all, count) = self.var(&key) else { unreachable!("a pair") };
                let (V::L(all), V::L(count)) = (*all, *count) else { unreachable!("locals") };
                lists.push((all, count));
                continue;
            }
            let v = self.word(w);
            let (lp, ln) = (self.b.local(), self.b.local());
            if matches!(w.parts.as_slice(), [Part::Subst { glob: true, .. }]) {
                self.push(&v);
                self.b.helper(Helper::SplitNul).set(ln).set(lp);
            } else if Self::splits(w) {
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

    /// A manual step: the operator does it by hand and confirms; nobody confirming stops the run.
    pub(super) fn manual(&mut self, text: &str) {
        let id = self.g.str(&self.step_id.clone());
        let t = self.g.str(text);
        self.call("operator", "manual", &[("id", id), ("text", t)]);
        let ra = i32::try_from(self.g.retarea).expect("small");
        self.b.c(ra).load8(0);
        self.open(W::If(Empty));
        self.exit_with(&V::Const(EXIT_DENIED));
        self.close();
        self.b.c(0).set(self.status);
    }

    /// After a call returning `result<_, error>`: an error stops the run (a denial).
    pub(super) fn stop_on_error(&mut self) {
        let ra = i32::try_from(self.g.retarea).expect("small");
        self.b.c(ra).load8(0);
        self.open(W::If(Empty));
        self.exit_with(&V::Const(EXIT_DENIED));
        self.close();
    }

    /// Reads an input into its variable slot; a missing input stops the run before any effect.
    pub(super) fn input(&mut self, name: &str, key: &str, required: bool) {
        let n = self.g.str(name);
        self.call("operator", "input", &[("name", n)]);
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
    pub(super) fn result_u32_or_stop(&mut self) -> u32 {
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
}

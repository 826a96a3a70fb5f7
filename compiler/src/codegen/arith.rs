//! Bash arithmetic in the guest: 64-bit wrapping integers, evaluated left to right with bash's
//! short-circuits, and bash's errors (division by 0, a negative exponent, a value that is not a
//! number) as a failure of the expression.

use wasm_encoder::BlockType::Empty;
use wasm_encoder::Instruction as W;

use super::body::Helper;
use super::values::{Fx, V};
use crate::shell::{Arith, ArithOp};

impl Fx<'_, '_> {
    /// Evaluates `e` (written `text`) into a fresh i64 local; the second local is 1 when the
    /// evaluation failed, after bash's message was printed. `prefix` starts the message (`((: `
    /// for the command, nothing for `$((…))`).
    pub(super) fn arith(&mut self, e: &Arith, text: &str, prefix: &str) -> (u32, u32) {
        let (v, err) = (self.b.local64(), self.b.local());
        self.b.c(0).set(err);
        self.open(W::Block(Empty));
        // Bash shows the expression without its leading blanks, and where the error is.
        let shown = text.trim_start();
        let mut fail = Fail {
            depth: self.depth,
            err,
            prefix: prefix.to_string(),
            text: shown.to_string(),
            leaves: leaves(shown),
            next: 0,
        };
        self.eval(e, v, &mut fail);
        self.close();
        (v, err)
    }

    /// `$((…))` in a word: its decimal value. On an error bash abandons the rest of the command
    /// line (or the subshell, or the pipeline's element it is in) with status 1.
    pub(super) fn arith_word(&mut self, e: &Arith, text: &str) -> V {
        let (v, err) = self.arith(e, text, "");
        self.discard_if(err);
        let (p, l) = (self.b.local(), self.b.local());
        self.b.get(v).helper(Helper::Itoa64).set(l).set(p);
        V::pair(p, l)
    }

    /// When `err` is set: status 1, and the rest of the line (or subshell, or pipeline element)
    /// is abandoned, as bash abandons it after an expansion error.
    pub(super) fn discard_if(&mut self, err: u32) {
        self.b.get(err);
        self.open(W::If(Empty));
        self.b.c(1).set(self.discarding);
        self.abandon();
        self.close();
    }

    /// Status 1, and out to the innermost block an error abandons.
    pub(super) fn abandon(&mut self) {
        self.b.c(1).set(self.status);
        if let Some(&target) = self.discards.last() {
            self.b.i(W::Br(self.depth - target));
        } else {
            self.exit_with(&V::Const(1));
        }
    }

    /// Runs `run` so that an arithmetic error inside it stops at its end (the caller then
    /// writes what was printed and calls `go_on_abandoning`).
    pub(super) fn catching(&mut self, run: impl FnOnce(&mut Self)) {
        self.open(W::Block(Empty));
        self.discards.push(self.depth);
        run(self);
        self.discards.pop();
        self.close();
    }

    /// After `catching`: when an error was abandoning commands, go on out.
    pub(super) fn go_on_abandoning(&mut self) {
        self.b.get(self.discarding);
        self.open(W::If(Empty));
        self.abandon();
        self.close();
    }

    /// `${v:offset:length}` on the value `v`, in characters.
    pub(super) fn substring(&mut self, v: &V, offset: &(Arith, String), length: Option<&(Arith, String)>) -> V {
        let (vp, vl) = (self.b.local(), self.b.local());
        self.push(v);
        self.b.set(vl).set(vp);
        let n = self.b.local64();
        self.b.get(vp).get(vl).helper(Helper::Chars).i(W::I64ExtendI32U).set(n);
        let (off, err) = self.arith(&offset.0, &offset.1, "");
        self.discard_if(err);
        let (start, end) = (self.b.local64(), self.b.local64());
        // A negative offset counts from the end; before the start or past the end is empty.
        self.b.get(off).get(n).i(W::I64Add).get(off).get(off).c64(0).i(W::I64LtS).i(W::Select).set(start);
        self.b.get(n).set(end);
        self.b.get(start).c64(0).i(W::I64LtS).get(start).get(n).i(W::I64GtS).i(W::I32Or);
        self.open(W::If(Empty));
        self.b.c64(0).set(start).c64(0).set(end);
        self.b.i(W::Else);
        if let Some(length) = length {
            let (len, err) = self.arith(&length.0, &length.1, "");
            self.discard_if(err);
            self.b.get(len).c64(0).i(W::I64LtS);
            self.open(W::If(Empty));
            self.b.get(n).get(len).i(W::I64Add).set(end);
            // bash: "substring expression < 0", and the line is abandoned.
            self.b.get(end).get(start).i(W::I64LtS);
            self.open(W::If(Empty));
            let m = self.g.str(&format!("bash: {}: substring expression < 0\n", length.1.trim()));
            self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", V::Const(0))]);
            let one = self.b.local();
            self.b.c(1).set(one);
            self.discard_if(one);
            self.close();
            self.b.i(W::Else);
            self.b.get(len).get(n).get(start).i(W::I64Sub).i(W::I64LtS);
            self.open(W::If(Empty));
            self.b.get(start).get(len).i(W::I64Add).set(end);
            self.close();
            self.close();
        }
        self.close();
        let (b0, b1) = (self.b.local(), self.b.local());
        self.b.get(vp).get(vl).get(start).i(W::I32WrapI64).helper(Helper::CharByte).set(b0);
        self.b.get(vp).get(vl).get(end).i(W::I32WrapI64).helper(Helper::CharByte).set(b1);
        let (p, l) = (self.b.local(), self.b.local());
        self.b.get(vp).get(b0).i(W::I32Add).set(p);
        self.b.get(b1).get(b0).i(W::I32Sub).set(l);
        V::pair(p, l)
    }

    /// `(( e ))`: status 0 when `e` is not zero, 1 when it is or when it failed.
    pub(super) fn arith_command(&mut self, e: &Arith, text: &str, prefix: &str) {
        let (v, err) = self.arith(e, text, prefix);
        self.b.get(v).i(W::I64Eqz).get(err).i(W::I32Or).set(self.status);
    }

    fn eval(&mut self, e: &Arith, dst: u32, fail: &mut Fail) {
        match e {
            Arith::Num { value } => {
                fail.next += 1;
                self.b.c64(*value).set(dst);
            }
            Arith::Var { name, dollar } => {
                let value = self.param(name);
                self.unbound_check(name, &value);
                self.number(&value, &format!("${name}"), *dollar, dst, fail);
            }
            Arith::Word { word } => {
                let value = self.word(word);
                self.number(&value, &format!("`{}`", word.template()), true, dst, fail);
            }
            Arith::Unary { op, operand } => {
                self.eval(operand, dst, fail);
                match op {
                    ArithOp::Neg => {
                        self.b.c64(0).get(dst).i(W::I64Sub).set(dst);
                    }
                    ArithOp::Not => {
                        self.b.get(dst).i(W::I64Eqz).i(W::I64ExtendI32U).set(dst);
                    }
                    ArithOp::BitNot => {
                        self.b.get(dst).c64(-1).i(W::I64Xor).set(dst);
                    }
                    _ => {}
                }
            }
            Arith::Binary { op: ArithOp::And | ArithOp::Or, left, right } => {
                let or = matches!(e, Arith::Binary { op: ArithOp::Or, .. });
                self.eval(left, dst, fail);
                self.b.get(dst).i(W::I64Eqz);
                if !or {
                    self.b.i(W::I32Eqz);
                }
                // `a && b` looks at `b` when `a` is true, `a || b` when it is false.
                self.open(W::If(Empty));
                self.eval(right, dst, fail);
                self.b.get(dst).i(W::I64Eqz).i(W::I32Eqz).i(W::I64ExtendI32U).set(dst);
                self.b.i(W::Else);
                self.b.c64(i64::from(or)).set(dst);
                self.close();
            }
            Arith::Binary { op: ArithOp::Comma, left, right } => {
                self.eval(left, dst, fail);
                self.eval(right, dst, fail);
            }
            Arith::Binary { op, left, right } => {
                let r = self.b.local64();
                self.eval(left, dst, fail);
                let first = fail.next;
                self.eval(right, r, fail);
                // Bash's error token: from the divisor on, or the exponent's last number.
                let at = if *op == ArithOp::Pow { fail.next.saturating_sub(1) } else { first };
                let token = fail.start(at, *op != ArithOp::Pow);
                self.combine(*op, dst, r, fail, token);
            }
            Arith::Cond { cond, then, otherwise } => {
                self.eval(cond, dst, fail);
                self.b.get(dst).i(W::I64Eqz).i(W::I32Eqz);
                self.open(W::If(Empty));
                self.eval(then, dst, fail);
                self.b.i(W::Else);
                self.eval(otherwise, dst, fail);
                self.close();
            }
            Arith::Assign { name, op, value } => {
                if let Some(op) = op {
                    let r = self.b.local64();
                    let current = self.var(&format!("var:{name}"));
                    self.unbound_check(name, &current);
                    self.number(&current, &format!("${name}"), false, dst, fail);
                    let first = fail.next;
                    self.eval(value, r, fail);
                    let token = fail.start(first, true);
                    self.combine(*op, dst, r, fail, token);
                } else {
                    fail.next += 1;
                    self.eval(value, dst, fail);
                }
                self.store_number(name, dst);
            }
            Arith::Step { name, delta, post } => {
                let new = self.b.local64();
                let value = self.var(&format!("var:{name}"));
                self.unbound_check(name, &value);
                self.number(&value, &format!("${name}"), false, dst, fail);
                self.b.get(dst).c64(*delta).i(W::I64Add).set(new);
                self.store_number(name, new);
                if !post {
                    self.b.get(new).set(dst);
                }
            }
        }
    }

    /// `dst = dst OP r`, with bash's errors.
    fn combine(&mut self, op: ArithOp, dst: u32, r: u32, fail: &mut Fail, token: usize) {
        let simple = |op: ArithOp| match op {
            ArithOp::Add => Some(W::I64Add),
            ArithOp::Sub => Some(W::I64Sub),
            ArithOp::Mul => Some(W::I64Mul),
            ArithOp::Shl => Some(W::I64Shl),
            ArithOp::Shr => Some(W::I64ShrS),
            ArithOp::BitAnd => Some(W::I64And),
            ArithOp::BitXor => Some(W::I64Xor),
            ArithOp::BitOr => Some(W::I64Or),
            _ => None,
        };
        let compare = |op: ArithOp| match op {
            ArithOp::Lt => Some(W::I64LtS),
            ArithOp::Le => Some(W::I64LeS),
            ArithOp::Gt => Some(W::I64GtS),
            ArithOp::Ge => Some(W::I64GeS),
            ArithOp::Eq => Some(W::I64Eq),
            ArithOp::Ne => Some(W::I64Ne),
            _ => None,
        };
        if let Some(i) = simple(op) {
            self.b.get(dst).get(r).i(i).set(dst);
        } else if let Some(i) = compare(op) {
            self.b.get(dst).get(r).i(i).i(W::I64ExtendI32U).set(dst);
        } else {
            match op {
                ArithOp::Div | ArithOp::Rem => {
                    self.b.get(r).i(W::I64Eqz);
                    self.open(W::If(Empty));
                    self.fail(fail, "division by 0", Some(token));
                    self.close();
                    // x / -1 is -x (wrapping: bash's answer for the smallest number, where the
                    // machine's division would trap); x % -1 is 0.
                    self.b.get(r).c64(-1).i(W::I64Eq);
                    self.open(W::If(Empty));
                    if op == ArithOp::Div {
                        self.b.c64(0).get(dst).i(W::I64Sub).set(dst);
                    } else {
                        self.b.c64(0).set(dst);
                    }
                    self.b.i(W::Else);
                    let i = if op == ArithOp::Div { W::I64DivS } else { W::I64RemS };
                    self.b.get(dst).get(r).i(i).set(dst);
                    self.close();
                }
                ArithOp::Pow => {
                    self.b.get(r).c64(0).i(W::I64LtS);
                    self.open(W::If(Empty));
                    self.fail(fail, "exponent less than 0", Some(token));
                    self.close();
                    self.b.get(dst).get(r).helper(Helper::Pow).set(dst);
                }
                // `&&`, `||`, `,` and the unary operators never reach here.
                _ => {}
            }
        }
    }

    /// A value as a number into `dst`. Empty is 0 for a name (`n`); where the text stands in
    /// the expression (`$n`, `$(…)`) it must be a number too.
    fn number(&mut self, value: &V, shown: &str, dollar: bool, dst: u32, fail: &mut Fail) {
        fail.next += 1;
        let code = self.b.local();
        self.push(value);
        self.b.helper(Helper::Atoi).set(code).set(dst);
        // 3: `08`, bash's own error.
        self.b.get(code).c(3).i(W::I32Eq);
        self.open(W::If(Empty));
        let msg = self.g.str(": value too great for base (error token is \"");
        let m = self.concat(value, &msg);
        let m = self.concat(&m, value);
        let end = self.g.str("\")");
        let m = self.concat(&m, &end);
        self.fail_with(fail, &m, true);
        self.close();
        self.b.get(code).c(1).i(W::I32Eq);
        if dollar {
            self.b.get(code).c(2).i(W::I32Eq).i(W::I32Or);
        }
        self.open(W::If(Empty));
        let what =
            if dollar { format!("the text of {shown} (\"") } else { format!("the value of {} (\"", &shown[1..]) };
        let head = self.g.str(&format!("playbook: {}{}: {what}", fail.prefix, fail.text.trim_end()));
        let m = self.concat(&head, value);
        let tail = self.g.str("\") is not a number; bash would read it as an expression, which is not carried out");
        let m = self.concat(&m, &tail);
        self.fail_with(fail, &m, false);
        self.close();
    }

    fn store_number(&mut self, name: &str, v: u32) {
        let (p, l) = (self.b.local(), self.b.local());
        self.b.get(v).helper(Helper::Itoa64).set(l).set(p);
        self.set_var(&format!("var:{name}"), &V::pair(p, l));
    }

    /// Bash's message for the expression (`bash: 1/0: division by 0`), then the failure.
    /// The expression as bash shows it, from byte `from`: `$name` and `$1` replaced by their
    /// values (bash expands them before it evaluates).
    fn shown(&mut self, text: &str, from: usize) -> V {
        let mut parts: Vec<V> = Vec::new();
        let add = |_: &mut Self, v: V, parts: &mut Vec<V>| parts.push(v);
        let rest = &text[from.min(text.len())..];
        let mut lit = String::new();
        let mut i = 0;
        while i < rest.len() {
            let after = &rest[i + 1..];
            let (name, used) = if !rest[i..].starts_with('$') {
                ("", 0)
            } else if let Some(inner) = after.strip_prefix('{') {
                inner.find('}').map_or(("", 0), |close| (&inner[..close], close + 2))
            } else if after.starts_with(|c: char| c.is_ascii_digit() || c == '#') {
                (&after[..1], 1)
            } else {
                let n = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..n], n)
            };
            let plain = crate::shell::is_positional(name)
                || (name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if plain {
                if !lit.is_empty() {
                    let v = self.g.str(&std::mem::take(&mut lit));
                    add(self, v, &mut parts);
                }
                let v = self.param(name);
                add(self, v, &mut parts);
                i += 1 + used;
            } else {
                let c = rest[i..].chars().next().unwrap_or(' ');
                lit.push(c);
                i += c.len_utf8();
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            let v = self.g.str(&lit);
            add(self, v, &mut parts);
        }
        let mut all = parts.into_iter();
        let first = all.next().unwrap_or_else(|| self.g.str(""));
        all.fold(first, |a, v| self.concat(&a, &v))
    }

    /// Bash's message for the expression (`bash: 1/0: division by 0 (error token is "0")`),
    /// then the failure.
    fn fail(&mut self, fail: &mut Fail, what: &str, token: Option<usize>) {
        let head = self.g.str(&fail.prefix);
        let text = self.shown(&fail.text.clone(), 0);
        let m = self.concat(&head, &text);
        let what = self.g.str(&format!(": {what}"));
        let mut m = self.concat(&m, &what);
        if let Some(at) = token {
            let open = self.g.str(" (error token is \"");
            m = self.concat(&m, &open);
            let t = self.shown(&fail.text.clone(), at);
            m = self.concat(&m, &t);
            let close = self.g.str("\")");
            m = self.concat(&m, &close);
        }
        self.fail_with(fail, &m, true);
    }

    fn fail_with(&mut self, fail: &mut Fail, message: &V, bash: bool) {
        // The shell's own stderr: a command's `2>/dev/null` applies after its words expanded.
        if !self.outer_stderr_null {
            let m = if bash {
                let head = self.g.str("bash: ");
                self.concat(&head, message)
            } else {
                message.clone()
            };
            let nl = self.g.str("\n");
            let m = self.concat(&m, &nl);
            let secret = V::bool(self.secret);
            self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", secret)]);
        }
        self.b.c(1).set(fail.err);
        self.b.i(W::Br(self.depth - fail.depth));
    }
}

/// Where a failing evaluation goes (the end of its block, with `err` set), and what bash's
/// message shows: the expression and, by its leaves (numbers and names, in the order the
/// evaluation meets them), where an error is.
struct Fail {
    depth: u32,
    err: u32,
    prefix: String,
    text: String,
    leaves: Vec<usize>,
    next: usize,
}

impl Fail {
    /// Where leaf `k` starts; `parens` takes in the parentheses that open there.
    fn start(&self, k: usize, parens: bool) -> usize {
        let mut at = self.leaves.get(k).copied().unwrap_or(self.text.len());
        if parens {
            while at > 0 && self.text.as_bytes()[at - 1] == b'(' {
                at -= 1;
            }
        }
        at
    }
}

/// Where each number and name of an expression starts, in order.
fn leaves(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'#' || c == b'@';
        if c == b'$' || c.is_ascii_alphanumeric() || c == b'_' {
            out.push(i);
            i += 1;
            if b.get(i) == Some(&b'{') {
                while i < b.len() && b[i] != b'}' {
                    i += 1;
                }
                i += 1;
            }
            while i < b.len() && word(b[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

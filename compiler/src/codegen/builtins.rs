//! Shell builtins carried out in the guest: `echo`, `printf`, `export`, `unset`, `cd`, `pwd`,
//! `sleep`, `date`, `hostname`, `test`/`[`, `exit`, `true`/`false`, `break`/`continue`.

use playbook_capability::Setting;
use playbook_capability::Value as _;
use playbook_capability::fs::{FsOp, FsRequest, FsTool};
use playbook_capability::text::{TextRequest, TextTool};
use wasm_encoder::Instruction as W;

use super::values::{Fx, NO_GRANT, Sink, V};
use crate::shell::{Simple, Word};

/// A shell builtin carried out by the host's pure filters (`echo -e`, `printf`, `test`).
fn pure(tool: TextTool, options: Vec<Setting<Word>>, operands: Vec<Word>) -> TextRequest<Word> {
    TextRequest { tool, options, operands, files: Vec::new(), env: Vec::new() }
}

impl Fx<'_, '_> {
    pub(super) fn builtin(&mut self, s: &Simple, b: &crate::action::builtin::Builtin, stdin: &V, sink: Sink) {
        let span = s.span;
        let b = b.clone();
        let redirects = s.redirects.clone();
        let own_input = self.in_pipe_tail || redirects.iter().any(crate::shell::Redirect::is_input);
        let ifs = s.assignments.iter().find(|(n, _)| n == "IFS").and_then(|(_, w)| w.literal());
        self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, _merge| match b.name.as_str() {
            "read" => fx.read(&b.args, own_input.then_some(input), ifs.as_deref().unwrap_or(" \t\n")),
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
                // A first operand known only at run time may spell an option (`"$flag"` holding
                // `-n`): bash's echo reads it so, and so does the host's.
                let leading = !escapes
                    && args.first().is_some_and(|w| {
                        w.literal().is_none() && matches!(w.parts.first(), Some(crate::shell::Part::Var { .. }))
                    });
                // The host's echo of the fields.
                let host_echo = |fx: &mut Self, leading_options: bool| {
                    let mut options = if escapes { vec![Setting::flag("escapes")] } else { Vec::new() };
                    if !newline {
                        options.push(Setting::flag("no-newline"));
                    }
                    if leading_options {
                        options.push(Setting::flag("leading-options"));
                    }
                    let empty = fx.g.str("");
                    fx.filter(&pure(TextTool::Echo, options, args.to_vec()), V::Const(NO_GRANT), &empty, sink, false);
                };
                // With escapes, or an unquoted expansion to split into words.
                if escapes || args.iter().any(Self::splits) {
                    host_echo(fx, leading);
                    return;
                }
                // A first operand that is a plain variable and starts with `-` when it runs:
                // the host's echo (a value without side effects, read twice).
                let plain_var = |w: &Word| {
                    w.parts.iter().all(|p| match p {
                        crate::shell::Part::Lit { .. } => true,
                        crate::shell::Part::Var { default, op, .. } => default.is_none() && op.is_none(),
                        _ => false,
                    })
                };
                let dashed = leading && args.first().is_some_and(plain_var);
                if dashed {
                    let first = fx.word(&args[0]);
                    let V::Pair(p, l) = first else { unreachable!("strings are pairs") };
                    fx.push(&l);
                    fx.b.i(W::I32Eqz).i(W::If(wasm_encoder::BlockType::Result(wasm_encoder::ValType::I32)));
                    fx.b.c(0).i(W::Else);
                    fx.push(&p);
                    fx.b.load8(0).c(45).i(W::I32Eq).i(W::End);
                    fx.open(W::If(wasm_encoder::BlockType::Empty));
                    host_echo(fx, true);
                    fx.b.i(W::Else);
                } else if leading {
                    // (Any other run-time first operand: a substitution, a default — evaluated
                    // once, by the host's echo.)
                    host_echo(fx, true);
                    return;
                }
                let mut text: Option<V> = None;
                for a in args {
                    let v = fx.word(a);
                    text = Some(match text {
                        None => v,
                        Some(t) => {
                            let sep = fx.g.str(" ");
                            let t = fx.concat(&t, &sep);
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
                if dashed {
                    fx.close();
                }
            }
            "printf" => {
                let empty = fx.g.str("");
                fx.filter(&pure(TextTool::Printf, Vec::new(), b.args.clone()), V::Const(NO_GRANT), &empty, sink, false);
            }
            "export" => {
                for a in &b.args {
                    let prefix = a.literal_prefix();
                    if let Some(eq) = prefix.find('=') {
                        let name = prefix[..eq].to_string();
                        let value = a.suffix(eq + 1);
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
                        fx.set_var_raw(&format!("var:{name}"), &empty);
                    }
                }
                fx.b.c(0).set(fx.status);
            }
            "cd" => {
                let path = match b.args.first() {
                    Some(w) => fx.word(w),
                    None => fx.g.str("~"),
                };
                fx.call("fs", "chdir", &[("grant", V::Const(NO_GRANT)), ("path", path)]);
                let out = fx.outcome();
                fx.route(&out, sink, false);
            }
            "pwd" => {
                let empty = fx.g.str("");
                fx.fs_request(span, &FsRequest::new(FsOp::Pwd, FsTool::Pwd, Vec::new()), &empty, sink, false);
            }
            // `wait`: the background jobs end (their output shown); status 0, as bash's.
            "wait" => {
                fx.call("operator", "wait-jobs", &[]);
                fx.b.c(0).set(fx.status);
            }
            "sleep" => {
                let secs = b.seconds.unwrap_or(0);
                fx.call("operator", "sleep", &[("seconds", V::Const(i32::try_from(secs).unwrap_or(i32::MAX)))]);
                fx.b.c(0).set(fx.status);
            }
            "date" | "hostname" => {
                if b.name == "date" {
                    let args = fx.word_list(&b.args);
                    fx.call("facts", "date", &[("args", args)]);
                } else {
                    fx.call("facts", "hostname", &[]);
                }
                let ra = i32::try_from(fx.g.retarea).expect("small");
                let (p, l) = (fx.b.local(), fx.b.local());
                fx.b.c(ra).load(0).set(p).c(ra).load(4).set(l);
                fx.route(&V::pair(p, l), sink, true);
                fx.b.c(0).set(fx.status);
            }
            "test" | "[" => {
                if let Some(stat) = &b.stat {
                    let empty = fx.g.str("");
                    let (ap, al) = fx.new_buffer();
                    fx.fs_request(span, stat, &empty, Sink::Capture(ap, al), false);
                } else {
                    let mut operands = b.args.clone();
                    if b.name == "[" {
                        operands.pop();
                    }
                    let empty = fx.g.str("");
                    let (ap, al) = fx.new_buffer();
                    fx.filter(
                        &pure(
                            TextTool::Test,
                            if b.name == "[" { vec![Setting::flag("bracket")] } else { Vec::new() },
                            operands,
                        ),
                        V::Const(NO_GRANT),
                        &empty,
                        Sink::Capture(ap, al),
                        false,
                    );
                }
            }
            // In a subshell, `exit` leaves the subshell with its status.
            "exit" if !fx.subshells.is_empty() => {
                if let Some(n) = b.args.first().and_then(Word::literal).and_then(|a| a.parse::<i32>().ok()) {
                    fx.b.c(n & 0xff).set(fx.status);
                }
                let target = *fx.subshells.last().unwrap_or(&0);
                fx.b.i(W::Br(fx.depth - target));
            }
            "exit" => {
                if let Some(n) = b.args.first().and_then(Word::literal).and_then(|a| a.parse::<i32>().ok()) {
                    fx.exit_with(&V::Const(n & 0xff));
                } else if let Some(w) =
                    b.args.first().filter(|w| !matches!(w.parts.as_slice(), [crate::shell::Part::Status]))
                {
                    // `exit "$rc"`, `exit $((…))`.
                    let st = fx.b.local();
                    fx.numeric_status("exit", w, st);
                    fx.exit_with(&V::L(st));
                } else {
                    let st = V::L(fx.trap_entry.filter(|_| b.args.is_empty()).unwrap_or(fx.status));
                    fx.exit_with(&st);
                }
            }
            // `trap 'COMMANDS' EXIT` sets the trap the run ends with; `trap - EXIT` unsets it.
            "trap" => {
                let id = match b.args.first() {
                    Some(w) if matches!(w.parts.as_slice(), [crate::shell::Part::Subst { .. }]) => super::trap_id(w),
                    _ => 0,
                };
                fx.b.c(id).i(W::GlobalSet(super::helpers::G_TRAP));
                fx.b.c(0).set(fx.status);
            }
            // `mapfile [-t] [NAME]`: each line of the input one element (`-t`: without its
            // newline); a last line without one too.
            "mapfile" | "readarray" => {
                let strip = i32::from(b.args.iter().any(|a| a.literal().as_deref() == Some("-t")));
                let name = b
                    .args
                    .iter()
                    .filter_map(Word::literal)
                    .find(|a| a != "-t")
                    .unwrap_or_else(|| "MAPFILE".to_string());
                let (p, l, list, n, start, i) =
                    (fx.b.local(), fx.b.local(), fx.b.local(), fx.b.local(), fx.b.local(), fx.b.local());
                fx.push(input);
                fx.b.set(l).set(p);
                fx.b.get(l).c(1).i(W::I32Add).c(8).i(W::I32Mul).c(4).helper(super::body::Helper::Alloc).set(list);
                fx.b.c(0).set(n).c(0).set(start).c(0).set(i);
                let store = |fx: &mut Self, end: u32, minus: i32| {
                    fx.b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(p).get(start).i(W::I32Add).store(0);
                    fx.b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(end).get(start).i(W::I32Sub).c(minus);
                    fx.b.i(W::I32Sub).store(4);
                    fx.b.get(n).c(1).i(W::I32Add).set(n);
                };
                fx.open(W::Block(wasm_encoder::BlockType::Empty));
                let out = fx.depth;
                fx.open(W::Loop(wasm_encoder::BlockType::Empty));
                fx.b.get(i).get(l).i(W::I32GeU).i(W::BrIf(fx.depth - out));
                fx.b.get(p).get(i).i(W::I32Add).load8(0).c(10).i(W::I32Eq);
                fx.open(W::If(wasm_encoder::BlockType::Empty));
                fx.b.get(i).c(1).i(W::I32Add).set(i);
                store(fx, i, strip);
                fx.b.get(i).set(start);
                fx.b.i(W::Else);
                fx.b.get(i).c(1).i(W::I32Add).set(i);
                fx.close();
                fx.b.i(W::Br(fx.depth - (out + 1)));
                fx.close();
                fx.close();
                fx.b.get(start).get(l).i(W::I32LtU);
                fx.open(W::If(wasm_encoder::BlockType::Empty));
                store(fx, l, 0);
                fx.close();
                fx.set_var_raw(&format!("array:{name}"), &V::pair(list, n));
                fx.b.c(0).set(fx.status);
            }
            // `NAME=(…)`, `NAME+=(…)`.
            "=(" | "+=(" => {
                let name = b.args.first().and_then(Word::literal).unwrap_or_default();
                // Its status is that of its last `$(…)` (`a=($(grep …))` under `set -e`), else 0.
                fx.b.c(0).set(fx.status);
                fx.assign_array(&name, &b.args[1..], b.name == "+=(");
                if !b.args[1..].iter().any(|w| w.parts.iter().any(|p| matches!(p, crate::shell::Part::Subst { .. }))) {
                    fx.b.c(0).set(fx.status);
                }
            }
            // `set -- A B`: new positional parameters.
            "set" if b.args.first().and_then(Word::literal).as_deref() == Some("--") => {
                let (all, count) = fx.fields(&b.args[1..]);
                fx.set_var(super::values::POSITIONAL, &V::pair(all, count));
                fx.b.c(0).set(fx.status);
            }
            // `local NAME[=VALUE]…`: the value the name had is kept, the first time, to give it
            // back when the function ends; without a value the name is empty in the function.
            "local" => {
                for a in &b.args {
                    let prefix = a.literal_prefix();
                    let (name, value) = match prefix.find('=') {
                        Some(eq) => (prefix[..eq].to_string(), Some(a.suffix(eq + 1))),
                        None => (prefix.clone(), None),
                    };
                    // (`local NAME` leaves it unset in the function, as bash does.)
                    let v = match &value {
                        Some(w) => fx.word(w),
                        None => V::Pair(Box::new(V::Const(0)), Box::new(V::Const(0))),
                    };
                    let key = format!("var:{name}");
                    let entry = fx.frames.last().and_then(|f| f.iter().find(|(n, _, _)| *n == name)).cloned();
                    if let Some((_, V::Pair(sp, sl), declared)) = entry {
                        let (V::L(sp), V::L(sl)) = (*sp, *sl) else { unreachable!("locals") };
                        fx.b.get(declared).i(W::I32Eqz);
                        fx.open(W::If(wasm_encoder::BlockType::Empty));
                        let before = fx.var(&key);
                        fx.push(&before);
                        fx.b.set(sl).set(sp).c(1).set(declared);
                        fx.close();
                    }
                    if value.is_some() {
                        fx.set_var(&key, &v);
                    } else {
                        fx.set_var_raw(&key, &v);
                    }
                }
                fx.b.c(0).set(fx.status);
            }
            // `return [N]`: the function ends with status N (the last command's by default).
            "return" => {
                if let Some(n) = b.args.first().and_then(Word::literal).and_then(|a| a.parse::<i64>().ok()) {
                    #[allow(clippy::cast_possible_truncation)]
                    fx.b.c((n & 0xff) as i32).set(fx.status);
                } else if let Some(w) = b.args.first() {
                    // `return $code`.
                    let status = fx.status;
                    fx.numeric_status("return", w, status);
                }
                if let Some(&ret) = fx.returns.last() {
                    fx.b.i(W::Br(fx.depth - ret));
                }
            }
            // `shift [N]`: status 1, and nothing shifted, when there are fewer than N.
            "shift" => {
                let n: i32 =
                    b.args.first().and_then(Word::literal).and_then(|l| l.parse().ok()).unwrap_or(1).min(1 << 24);
                let V::Pair(all, count) = fx.var(super::values::POSITIONAL) else { unreachable!("a pair") };
                let (V::L(all), V::L(count)) = (*all, *count) else { unreachable!("locals") };
                fx.b.c(1).set(fx.status);
                fx.b.get(count).c(n).i(W::I32GeU);
                fx.open(W::If(wasm_encoder::BlockType::Empty));
                fx.b.get(all).c(n * 8).i(W::I32Add).set(all);
                fx.b.get(count).c(n).i(W::I32Sub).set(count);
                fx.set_var(super::values::POSITIONAL, &V::pair(all, count));
                fx.b.c(0).set(fx.status);
                fx.close();
            }
            "set" => {
                if let Ok((errexit, pipefail, nounset)) = crate::action::builtin::set_options(&b.args) {
                    for (flag, global) in [
                        (errexit, super::helpers::G_ERREXIT),
                        (pipefail, super::helpers::G_PIPEFAIL),
                        (nounset, super::helpers::G_NOUNSET),
                    ] {
                        if let Some(on) = flag {
                            fx.b.c(i32::from(on)).i(W::GlobalSet(global));
                        }
                    }
                }
                fx.b.c(0).set(fx.status);
            }
            "false" => {
                fx.b.c(1).set(fx.status);
            }
            "break" | "continue" => {
                // `break N`: the Nth loop out (all of them when there are fewer).
                let n: usize = b.args.first().and_then(Word::literal).and_then(|l| l.parse().ok()).unwrap_or(1);
                let at = fx.loops.len().saturating_sub(n.max(1));
                if let Some(&(brk, cont)) = fx.loops.get(at) {
                    let target = if b.name == "break" { brk } else { cont };
                    fx.b.c(0).set(fx.status);
                    fx.b.i(W::Br(fx.depth - target));
                }
            }
            "true" | ":" => {
                fx.b.c(0).set(fx.status);
            }
            // The parts of `for ((init; cond; step))`: an error ends the loop with status 1.
            "((init" | "((cond" | "((step" => {
                if let Some(crate::shell::Part::Arith { expr, text }) = b.args.first().and_then(|w| w.parts.first()) {
                    let (v, err) = fx.arith(expr, text, "((: ");
                    match b.name.as_str() {
                        "((init" => {
                            fx.b.get(err).set(fx.status);
                        }
                        "((cond" => {
                            fx.b.get(v).i(W::I64Eqz).set(fx.status);
                        }
                        _ => {}
                    }
                    if b.name != "((init"
                        && let Some(&(brk, _)) = fx.loops.last()
                    {
                        fx.b.get(err);
                        fx.open(W::If(wasm_encoder::BlockType::Empty));
                        fx.b.c(1).set(fx.status);
                        fx.b.i(W::Br(fx.depth - brk));
                        fx.close();
                    }
                }
            }
            "((" | "let" => {
                if let Some(crate::shell::Part::Arith { expr, text }) = b.args.first().and_then(|w| w.parts.first()) {
                    fx.arith_command(expr, text, if b.name == "let" { "let: " } else { "((: " });
                }
            }
            // The classifier refuses every other builtin (`set`, `wait`, `read` is manual), so
            // nothing compiles that this does not carry out.
            other => unreachable!("the classifier refuses the builtin `{other}`"),
        });
    }
}

impl Fx<'_, '_> {
    /// The status `exit WORD` / `return WORD` gives, into the local `into`: the word's value as
    /// a number (modulo 256), or bash's `numeric argument required` and 2.
    fn numeric_status(&mut self, builtin: &str, w: &Word, into: u32) {
        let v = self.word(w);
        let (n, code) = (self.b.local64(), self.b.local());
        self.push(&v);
        self.b.helper(super::body::Helper::Atoi).set(code).set(n);
        self.b.get(code);
        self.open(W::If(wasm_encoder::BlockType::Empty));
        let head = self.g.str(&format!("bash: {builtin}: "));
        let m = self.concat(&head, &v);
        let tail = self.g.str(": numeric argument required\n");
        let m = self.concat(&m, &tail);
        let secret = V::bool(self.secret);
        self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", secret)]);
        self.b.c(2).set(into);
        self.b.i(W::Else);
        self.b.get(n).i(W::I32WrapI64).c(0xff).i(W::I32And).set(into);
        self.close();
    }

    /// `read [-r] [NAME…]`: the next line of its own input (a redirection, the pipe before it)
    /// or of the input the command around it was fed, split on `ifs` as bash splits it: fields
    /// for all names but the last, which takes the rest; no names put the whole line in
    /// `REPLY`. Status 1 at the end of the input, and for a last line without its newline
    /// (whose words are assigned all the same).
    pub(super) fn read(&mut self, args: &[Word], own: Option<&V>, ifs: &str) {
        let raw = args.iter().any(|a| a.literal().as_deref() == Some("-r"));
        let names: Vec<String> =
            args.iter().filter_map(Word::literal).filter(|a| !a.starts_with('-')).collect::<Vec<_>>();
        let (p, l, pos) = if let Some(input) = own {
            let (p, l, pos) = (self.b.local(), self.b.local(), self.b.local());
            self.push(input);
            self.b.set(l).set(p).c(0).set(pos);
            (p, l, pos)
        } else if let Some(&cursor) = self.feed.last() {
            cursor
        } else {
            let (p, l, pos) = (self.b.local(), self.b.local(), self.b.local());
            self.b.c(0).set(p).c(0).set(l).c(0).set(pos);
            (p, l, pos)
        };
        let (lp, ll) = (self.b.local(), self.b.local());
        self.b.get(p).get(l).get(pos).c(i32::from(raw)).helper(super::body::Helper::ReadLine);
        self.b.set(self.status).set(pos).set(ll).set(lp);
        // Without `-r`, read takes a backslash as an escape: not carried out, so the run stops
        // rather than read the line differently.
        self.b.get(self.status).c(2).i(W::I32Eq);
        self.open(W::If(wasm_encoder::BlockType::Empty));
        let m = self
            .g
            .str("playbook: `read` met a NUL byte, or without -r a backslash, which bash would drop or take as an escape; not carried out (write `read -r`)\n");
        self.call("operator", "print", &[("text", m), ("to-stderr", V::Const(1)), ("secret", V::Const(0))]);
        self.exit_with(&V::Const(2));
        self.close();
        let line = V::pair(lp, ll);
        if names.is_empty() {
            self.set_var("var:REPLY", &line);
            return;
        }
        if ifs.is_empty() {
            for (k, n) in names.iter().enumerate() {
                let v = if k == 0 { line.clone() } else { self.g.str("") };
                self.set_var(&format!("var:{n}"), &v);
            }
            return;
        }
        let ifs_v = self.g.str(ifs);
        let at = self.b.local();
        self.b.get(lp).get(ll).c(0);
        self.push(&ifs_v);
        self.b.helper(super::body::Helper::IfsSkip).set(at);
        for (k, n) in names.iter().enumerate() {
            let (fp, fl, next) = (self.b.local(), self.b.local(), self.b.local());
            self.b.get(lp).get(ll).get(at);
            self.push(&ifs_v);
            self.b.helper(super::body::Helper::IfsField).set(next).set(fl).set(fp);
            if k + 1 == names.len() {
                // The last name: the field alone when nothing follows its delimiter, else the
                // rest of the line without its trailing blanks.
                self.b.get(next).get(ll).i(W::I32LtU);
                self.open(W::If(wasm_encoder::BlockType::Empty));
                let end = self.b.local();
                self.b.get(lp).get(ll).get(at);
                self.push(&ifs_v);
                self.b.helper(super::body::Helper::IfsTrim).set(end);
                self.b.get(lp).get(at).i(W::I32Add).set(fp);
                self.b.get(end).get(at).i(W::I32Sub).set(fl);
                self.close();
            }
            self.set_var(&format!("var:{n}"), &V::pair(fp, fl));
            self.b.get(next).set(at);
        }
    }
}

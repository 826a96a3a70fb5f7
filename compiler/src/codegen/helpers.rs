//! Bodies of the guest helpers: allocation, string concatenation, field splitting, trimming
//! and number formatting, written directly as wasm instructions.

use wasm_encoder::BlockType::Empty;
use wasm_encoder::Instruction as W;

use super::body::{Body, Helper};

/// Global indices shared by the emitter and the helpers.
pub const G_HEAP: u32 = 0;
pub const G_EXITING: u32 = 1;
pub const G_EXIT_CODE: u32 = 2;
/// `set -e` is on.
pub const G_ERREXIT: u32 = 3;
/// `set -o pipefail` is on.
pub const G_PIPEFAIL: u32 = 4;
/// `set -u` is on.
pub const G_NOUNSET: u32 = 5;
/// The `trap … EXIT` set (its id; 0: none).
pub const G_TRAP: u32 = 6;
/// The status the last step ended with (`$?` in an EXIT trap after the last step).
pub const G_LAST: u32 = 7;

/// Builds the body of one helper; `retarea` and `layouts` place the results of host calls.
///
/// # Panics
/// When `retarea` is past `i32::MAX`: the emitter puts the return area at byte 8.
#[must_use]
pub fn body(h: Helper, retarea: u32, layouts: &super::abi::Layouts) -> Body {
    let (params, results) = h.signature();
    let mut b = Body::new(params, results);
    match h {
        Helper::Alloc => alloc(&mut b),
        Helper::Realloc => realloc(&mut b),
        Helper::Concat => concat(&mut b),
        Helper::Split => split(&mut b),
        Helper::Trim => trim(&mut b),
        Helper::Outcome => outcome(&mut b, i32::try_from(retarea).expect("small"), layouts),
        Helper::Match => pattern_match(&mut b),
        Helper::Escape => escape(&mut b),
        Helper::Chars => chars(&mut b),
        Helper::Remove => remove(&mut b),
        Helper::Replace => replace(&mut b),
        Helper::Atoi => atoi(&mut b),
        Helper::Itoa64 => itoa64(&mut b),
        Helper::Pow => pow(&mut b),
        Helper::ReadLine => read_line(&mut b),
        Helper::IfsSkip => ifs_skip(&mut b),
        Helper::IfsField => ifs_field(&mut b),
        Helper::IfsTrim => ifs_trim(&mut b),
        Helper::CharByte => char_byte(&mut b),
        Helper::Case => case_map(&mut b),
        Helper::SplitNul => split_nul(&mut b),
    }
    b.i(W::End);
    b
}

fn memory_bytes(b: &mut Body) {
    b.i(W::MemorySize(0)).c(16).i(W::I32Shl);
}

fn alloc(b: &mut Body) {
    let (size, align) = (0, 1);
    let p = b.local();
    let end = b.local();
    // p = (heap + align - 1) & -align
    b.i(W::GlobalGet(G_HEAP))
        .get(align)
        .i(W::I32Add)
        .c(1)
        .i(W::I32Sub)
        .c(0)
        .get(align)
        .i(W::I32Sub)
        .i(W::I32And)
        .set(p);
    b.get(p).get(size).i(W::I32Add).set(end);
    b.i(W::Block(Empty));
    b.get(end);
    memory_bytes(b);
    b.i(W::I32LeU).i(W::BrIf(0));
    b.get(end);
    memory_bytes(b);
    b.i(W::I32Sub).c(65535).i(W::I32Add).c(16).i(W::I32ShrU).i(W::MemoryGrow(0)).c(-1).i(W::I32Eq);
    b.i(W::If(Empty)).i(W::Unreachable).i(W::End);
    b.i(W::End);
    b.get(end).i(W::GlobalSet(G_HEAP));
    b.get(p);
}

fn realloc(b: &mut Body) {
    let (old, old_size, align, new_size) = (0, 1, 2, 3);
    let p = b.local();
    b.get(new_size).get(align).helper(Helper::Alloc).set(p);
    b.get(old_size).i(W::If(Empty));
    b.get(p).get(old).get(old_size).get(new_size).get(old_size).get(new_size).i(W::I32LtU).i(W::Select);
    b.i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
    b.i(W::End);
    b.get(p);
}

fn concat(b: &mut Body) {
    let (p1, l1, p2, l2) = (0, 1, 2, 3);
    let p = b.local();
    b.get(l2).i(W::I32Eqz).i(W::If(Empty)).get(p1).get(l1).i(W::Return).i(W::End);
    b.get(l1).i(W::I32Eqz).i(W::If(Empty)).get(p2).get(l2).i(W::Return).i(W::End);
    b.get(l1).get(l2).i(W::I32Add).c(1).helper(Helper::Alloc).set(p);
    b.get(p).get(p1).get(l1).i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
    b.get(p).get(l1).i(W::I32Add).get(p2).get(l2).i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
    b.get(p).get(l1).get(l2).i(W::I32Add);
}

fn trim(b: &mut Body) {
    let (p, l) = (0, 1);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(l).i(W::I32Eqz).i(W::BrIf(1));
    b.get(p).get(l).i(W::I32Add).c(1).i(W::I32Sub).load8(0).c(10).i(W::I32Ne).i(W::BrIf(1));
    b.get(l).c(1).i(W::I32Sub).set(l).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(p).get(l);
}

fn split(b: &mut Body) {
    let (p, l) = (0, 1);
    let (i, n, list, start, inword, c) = (b.local(), b.local(), b.local(), b.local(), b.local(), b.local());
    // At most (l + 1) / 2 words.
    b.get(l)
        .c(1)
        .i(W::I32Add)
        .c(1)
        .i(W::I32ShrU)
        .c(1)
        .i(W::I32Add)
        .c(8)
        .i(W::I32Mul)
        .c(4)
        .helper(Helper::Alloc)
        .set(list);
    let store_word = |b: &mut Body, end: u32| {
        // list[n] = (p + start, end - start); n += 1
        b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(p).get(start).i(W::I32Add).store(0);
        b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(end).get(start).i(W::I32Sub).store(4);
        b.get(n).c(1).i(W::I32Add).set(n);
    };
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).set(c);
    // blank: space, tab, newline, carriage return
    b.get(c)
        .c(32)
        .i(W::I32Eq)
        .get(c)
        .c(9)
        .i(W::I32Eq)
        .i(W::I32Or)
        .get(c)
        .c(10)
        .i(W::I32Eq)
        .i(W::I32Or)
        .get(c)
        .c(13)
        .i(W::I32Eq)
        .i(W::I32Or);
    b.i(W::If(Empty));
    b.get(inword).i(W::If(Empty));
    store_word(b, i);
    b.c(0).set(inword);
    b.i(W::End);
    b.i(W::Else);
    b.get(inword).i(W::I32Eqz).i(W::If(Empty)).get(i).set(start).c(1).set(inword).i(W::End);
    b.i(W::End);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(inword).i(W::If(Empty));
    store_word(b, l);
    b.i(W::End);
    b.get(list).get(n);
}

/// Fields each ended by a NUL: at most `l` of them.
fn split_nul(b: &mut Body) {
    let (p, l) = (0, 1);
    let (i, n, list, start) = (b.local(), b.local(), b.local(), b.local());
    b.get(l).c(8).i(W::I32Mul).c(4).helper(Helper::Alloc).set(list);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).i(W::I32Eqz);
    b.i(W::If(Empty));
    // list[n] = (p + start, i - start); n += 1; start = i + 1
    b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(p).get(start).i(W::I32Add).store(0);
    b.get(list).get(n).c(8).i(W::I32Mul).i(W::I32Add).get(i).get(start).i(W::I32Sub).store(4);
    b.get(n).c(1).i(W::I32Add).set(n);
    b.get(i).c(1).i(W::I32Add).set(start);
    b.i(W::End);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(list).get(n);
}

/// Bash reads a variable's value in arithmetic as an expression; the values a runbook holds
/// are numbers, read here as bash reads them. Anything else is refused by the caller.
fn atoi(b: &mut Body) {
    let (p, l) = (0, 1);
    let (i, end, c, neg, base, d) = (b.local(), b.local(), b.local(), b.local(), b.local(), b.local());
    let (v, big) = (b.local64(), b.local());
    let blank = |b: &mut Body, c: u32| {
        b.get(c).c(32).i(W::I32Eq).get(c).c(9).i(W::I32Eq).i(W::I32Or).get(c).c(10).i(W::I32Eq).i(W::I32Or);
    };
    let byte = |b: &mut Body, at: u32| {
        b.get(p).get(at).i(W::I32Add).load8(0);
    };
    // Trim blanks at both ends.
    b.get(l).set(end);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(end).i(W::I32GeU).i(W::BrIf(1));
    byte(b, i);
    b.set(c);
    blank(b, c);
    b.i(W::I32Eqz).i(W::BrIf(1));
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(end).get(i).i(W::I32LeU).i(W::BrIf(1));
    b.get(p).get(end).i(W::I32Add).c(1).i(W::I32Sub).load8(0).set(c);
    blank(b, c);
    b.i(W::I32Eqz).i(W::BrIf(1));
    b.get(end).c(1).i(W::I32Sub).set(end).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(i).get(end).i(W::I32GeU).i(W::If(Empty)).c64(0).c(2).i(W::Return).i(W::End);
    // A sign.
    byte(b, i);
    b.set(c);
    b.get(c).c(45).i(W::I32Eq).get(c).c(43).i(W::I32Eq).i(W::I32Or).i(W::If(Empty));
    b.get(c).c(45).i(W::I32Eq).set(neg);
    b.get(i).c(1).i(W::I32Add).set(i);
    b.i(W::End);
    b.get(i).get(end).i(W::I32GeU).i(W::If(Empty)).c64(0).c(1).i(W::Return).i(W::End);
    // The base: 0x… hex (at least one digit), 0… octal, else decimal.
    b.c(10).set(base);
    byte(b, i);
    b.c(48).i(W::I32Eq).i(W::If(Empty));
    b.c(8).set(base);
    b.get(i).c(1).i(W::I32Add).get(end).i(W::I32LtU).i(W::If(Empty));
    b.get(p).get(i).i(W::I32Add).load8(1).c(32).i(W::I32Or).c(120).i(W::I32Eq).i(W::If(Empty));
    b.c(16).set(base);
    b.get(i).c(2).i(W::I32Add).set(i);
    // `0x` alone is 0 to bash.
    b.get(i).get(end).i(W::I32GeU).i(W::If(Empty)).c64(0).c(0).i(W::Return).i(W::End);
    b.i(W::End);
    b.i(W::End);
    b.i(W::End);
    // Digits, wrapping as bash's intmax_t does.
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(end).i(W::I32GeU).i(W::BrIf(1));
    byte(b, i);
    b.set(c);
    b.c(-1).set(d);
    b.get(c).c(48).i(W::I32Sub).c(10).i(W::I32LtU).i(W::If(Empty));
    b.get(c).c(48).i(W::I32Sub).set(d);
    b.i(W::End);
    b.get(c).c(32).i(W::I32Or).c(97).i(W::I32Sub).c(6).i(W::I32LtU).get(base).c(16).i(W::I32Eq).i(W::I32And);
    b.i(W::If(Empty));
    b.get(c).c(32).i(W::I32Or).c(87).i(W::I32Sub).set(d);
    b.i(W::End);
    b.get(d).c(0).i(W::I32LtS).i(W::If(Empty)).c64(0).c(1).i(W::Return).i(W::End);
    // An 8 or 9 in an octal number: bash's "value too great for base".
    b.get(d).get(base).i(W::I32GeU).i(W::If(Empty)).c(1).set(big).i(W::End);
    b.get(v).get(base).i(W::I64ExtendI32U).i(W::I64Mul).get(d).i(W::I64ExtendI32U).i(W::I64Add).set(v);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(big).i(W::If(Empty)).c64(0).c(3).i(W::Return).i(W::End);
    b.i(W::I64Const(0)).get(v).i(W::I64Sub).get(v).get(neg).i(W::Select);
    b.c(0);
}

fn itoa64(b: &mut Body) {
    let n = 0;
    let (buf, pos, neg, v) = (b.local(), b.local(), b.local(), b.local64());
    b.c(24).c(1).helper(Helper::Alloc).set(buf);
    b.c(24).set(pos);
    b.get(n).i(W::I64Const(0)).i(W::I64LtS).set(neg);
    // The magnitude as unsigned (i64::MIN stays 2^63).
    b.i(W::I64Const(0)).get(n).i(W::I64Sub).get(n).get(neg).i(W::Select).set(v);
    b.i(W::Loop(Empty));
    b.get(pos).c(1).i(W::I32Sub).set(pos);
    b.get(buf)
        .get(pos)
        .i(W::I32Add)
        .get(v)
        .i(W::I64Const(10))
        .i(W::I64RemU)
        .i(W::I32WrapI64)
        .c(48)
        .i(W::I32Add)
        .store8(0);
    b.get(v).i(W::I64Const(10)).i(W::I64DivU).set(v);
    b.get(v).i(W::I64Eqz).i(W::I32Eqz).i(W::BrIf(0));
    b.i(W::End);
    b.get(neg).i(W::If(Empty));
    b.get(pos).c(1).i(W::I32Sub).set(pos);
    b.get(buf).get(pos).i(W::I32Add).c(45).store8(0);
    b.i(W::End);
    b.get(buf).get(pos).i(W::I32Add).c(24).get(pos).i(W::I32Sub);
}

fn read_line(b: &mut Body) {
    let (p, l, pos, raw) = (0, 1, 2, 3);
    let (i, c) = (b.local(), b.local());
    b.get(pos).get(l).i(W::I32GeU).i(W::If(Empty)).get(p).get(l).i(W::I32Add).c(0).get(l).c(1).i(W::Return).i(W::End);
    b.get(pos).set(i);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).set(c);
    b.get(c).c(10).i(W::I32Eq).i(W::BrIf(1));
    // A backslash without `-r`, or a NUL byte (which bash drops): status 2.
    b.get(c).c(92).i(W::I32Eq).get(raw).i(W::I32Eqz).i(W::I32And).get(c).i(W::I32Eqz).i(W::I32Or).i(W::If(Empty));
    b.get(p).get(pos).i(W::I32Add).get(i).get(pos).i(W::I32Sub).get(i).c(2).i(W::Return);
    b.i(W::End);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    // (line, its length, the position after its newline, 0 when it had one)
    b.get(p).get(pos).i(W::I32Add).get(i).get(pos).i(W::I32Sub);
    b.get(i).get(l).i(W::I32LtU).i(W::If(wasm_encoder::BlockType::Result(wasm_encoder::ValType::I32)));
    b.get(i).c(1).i(W::I32Add).i(W::Else).get(l).i(W::End);
    b.get(i).get(l).i(W::I32GeU);
}

/// The kind of byte `c` in `IFS` (the string at params `ip`, `il`): 0 not in it, 1 an `IFS`
/// blank (space, tab, newline), 2 another `IFS` character.
fn ifs_kind(b: &mut Body, c: u32, ip: u32, il: u32) -> u32 {
    let (j, kind) = (b.local(), b.local());
    b.c(0).set(kind).c(0).set(j);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(j).get(il).i(W::I32GeU).i(W::BrIf(1));
    b.get(ip).get(j).i(W::I32Add).load8(0).get(c).i(W::I32Eq).i(W::If(Empty));
    b.c(2).set(kind);
    b.get(c).c(32).i(W::I32Eq).get(c).c(9).i(W::I32Eq).i(W::I32Or).get(c).c(10).i(W::I32Eq).i(W::I32Or);
    b.i(W::If(Empty)).c(1).set(kind).i(W::End);
    b.i(W::Br(2));
    b.i(W::End);
    b.get(j).c(1).i(W::I32Add).set(j).i(W::Br(0));
    b.i(W::End).i(W::End);
    kind
}

/// Advances `i` (a local) over bytes of `IFS` kind `want` while it is below `l`.
fn ifs_skip_kind(b: &mut Body, i: u32, want: i32, once: bool) {
    let (p, l, ip, il) = (0, 1, 3, 4);
    let c = b.local();
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).set(c);
    let k = ifs_kind(b, c, ip, il);
    b.get(k).c(want).i(W::I32Ne).i(W::BrIf(1));
    b.get(i).c(1).i(W::I32Add).set(i);
    if !once {
        b.i(W::Br(0));
    }
    b.i(W::End).i(W::End);
}

fn ifs_skip(b: &mut Body) {
    let pos = 2;
    ifs_skip_kind(b, pos, 1, false);
    b.get(pos);
}

fn ifs_field(b: &mut Body) {
    let (p, l, pos, ip, il) = (0, 1, 2, 3, 4);
    let (i, c) = (b.local(), b.local());
    b.get(pos).set(i);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).set(c);
    let k = ifs_kind(b, c, ip, il);
    b.get(k).i(W::BrIf(1));
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    let end = b.local();
    b.get(i).set(end);
    // The delimiter: blanks, then at most one other IFS character and the blanks after it.
    ifs_skip_kind(b, i, 1, false);
    ifs_skip_kind(b, i, 2, true);
    ifs_skip_kind(b, i, 1, false);
    b.get(p).get(pos).i(W::I32Add).get(end).get(pos).i(W::I32Sub).get(i);
}

fn ifs_trim(b: &mut Body) {
    let (p, l, pos, ip, il) = (0, 1, 2, 3, 4);
    let (end, c) = (b.local(), b.local());
    b.get(l).set(end);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(end).get(pos).i(W::I32LeU).i(W::BrIf(1));
    b.get(p).get(end).i(W::I32Add).c(1).i(W::I32Sub).load8(0).set(c);
    let k = ifs_kind(b, c, ip, il);
    b.get(k).c(1).i(W::I32Ne).i(W::BrIf(1));
    b.get(end).c(1).i(W::I32Sub).set(end).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(end);
}

fn char_byte(b: &mut Body) {
    let (p, l, k) = (0, 1, 2);
    let (i, c) = (b.local(), b.local());
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).get(c).get(k).i(W::I32GeU).i(W::I32Or).i(W::BrIf(1));
    b.get(i).c(1).i(W::I32Add).set(i);
    // Past the continuation bytes of this character.
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).c(0xC0).i(W::I32And).c(0x80).i(W::I32Ne).i(W::BrIf(1));
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(c).c(1).i(W::I32Add).set(c).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(i);
}

fn case_map(b: &mut Body) {
    let (p, l, mode) = (0, 1, 2);
    let (out, i, c, bad, end) = (b.local(), b.local(), b.local(), b.local(), b.local());
    b.get(l).c(1).helper(Helper::Alloc).set(out);
    b.get(out).get(p).get(l).i(W::MemoryCopy { src_mem: 0, dst_mem: 0 });
    // All characters, or the first one only.
    b.get(l).set(end);
    b.get(mode).c(2).i(W::I32And).i(W::I32Eqz).get(l).c(0).i(W::I32Ne).i(W::I32And);
    b.i(W::If(Empty)).c(1).set(end).i(W::End);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(end).i(W::I32GeU).i(W::BrIf(1));
    b.get(out).get(i).i(W::I32Add).load8(0).set(c);
    b.get(c).c(0x80).i(W::I32GeU).i(W::If(Empty)).c(1).set(bad).i(W::End);
    b.get(mode).c(1).i(W::I32And).i(W::If(Empty));
    b.get(c).c(97).i(W::I32Sub).c(26).i(W::I32LtU).i(W::If(Empty));
    b.get(out).get(i).i(W::I32Add).get(c).c(32).i(W::I32Sub).store8(0);
    b.i(W::End);
    b.i(W::Else);
    b.get(c).c(65).i(W::I32Sub).c(26).i(W::I32LtU).i(W::If(Empty));
    b.get(out).get(i).i(W::I32Add).get(c).c(32).i(W::I32Add).store8(0);
    b.i(W::End);
    b.i(W::End);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(out).get(l).get(bad);
}

/// Exponentiation by squaring, wrapping.
fn pow(b: &mut Body) {
    let (base, exp) = (0, 1);
    let r = b.local64();
    b.i(W::I64Const(1)).set(r);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(exp).i(W::I64Eqz).i(W::BrIf(1));
    b.get(exp).i(W::I64Const(1)).i(W::I64And).i(W::I32WrapI64).i(W::If(Empty));
    b.get(r).get(base).i(W::I64Mul).set(r);
    b.i(W::End);
    b.get(base).get(base).i(W::I64Mul).set(base);
    b.get(exp).i(W::I64Const(1)).i(W::I64ShrU).set(exp);
    b.i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(r);
}

fn outcome(b: &mut Body, ra: i32, l: &super::abi::Layouts) {
    b.c(ra).load8(0).i(W::If(Empty));
    b.c(ra).load8(l.result_payload).i(W::I32Eqz).i(W::If(Empty));
    b.c(super::values::EXIT_DENIED).i(W::GlobalSet(G_EXIT_CODE)).c(1).i(W::GlobalSet(G_EXITING));
    b.i(W::End);
    b.c(1).c(0).c(0).i(W::Return);
    b.i(W::End);
    b.c(ra).load(l.result_payload + l.outcome_status);
    b.c(ra).load(l.result_payload + l.outcome_stdout);
    b.c(ra).load(l.result_payload + l.outcome_stdout + 4);
}

/// The classic matcher with one saved `*`: on a mismatch, the last `*` takes one more byte.
/// `?` takes one UTF-8 character; `[…]` a byte in its set (ranges, `!`/`^` to negate, `]`
/// first is literal; without a closing `]` the `[` is literal); `\x` is `x`.
fn pattern_match(b: &mut Body) {
    let (pp, pl, sp, sl) = (0, 1, 2, 3);
    let (pi, si, star, mark, c, sc, ok, n, clen) =
        (b.local(), b.local(), b.local(), b.local(), b.local(), b.local(), b.local(), b.local(), b.local());
    let (j, neg, first, lo, hi, cc) = (b.local(), b.local(), b.local(), b.local(), b.local(), b.local());
    let byte = |b: &mut Body, base: u32, at: u32| {
        b.get(base).get(at).i(W::I32Add).load8(0);
    };
    b.c(-1).set(star);
    b.i(W::Block(Empty)); // $fail (depth 1 inside)
    b.i(W::Block(Empty)); // $tail
    b.i(W::Loop(Empty)); // $main
    b.get(si).get(sl).i(W::I32GeU).i(W::BrIf(1));
    byte(b, sp, si);
    b.set(sc);
    b.i(W::Block(Empty)); // $backtrack
    b.get(pi).get(pl).i(W::I32GeU).i(W::BrIf(0));
    byte(b, pp, pi);
    b.set(c);
    // `*`: remember it, take nothing yet.
    b.get(c).c(42).i(W::I32Eq).i(W::If(Empty));
    b.get(pi).set(star).get(pi).c(1).i(W::I32Add).set(pi).get(si).set(mark).i(W::Br(2));
    b.i(W::End);
    b.c(1).set(clen).c(1).set(n);
    b.get(c).c(63).i(W::I32Eq).i(W::If(Empty));
    {
        // `?`: one character (its UTF-8 length, within the subject).
        b.c(1).set(ok);
        b.c(2).c(1).get(sc).c(0xC0).i(W::I32GeU).i(W::Select).set(clen);
        b.c(3).get(clen).get(sc).c(0xE0).i(W::I32GeU).i(W::Select).set(clen);
        b.c(4).get(clen).get(sc).c(0xF0).i(W::I32GeU).i(W::Select).set(clen);
        b.get(si).get(clen).i(W::I32Add).get(sl).i(W::I32GtU).i(W::If(Empty)).c(1).set(clen).i(W::End);
    }
    b.i(W::Else);
    b.get(c).c(92).i(W::I32Eq).get(pi).c(1).i(W::I32Add).get(pl).i(W::I32LtU).i(W::I32And).i(W::If(Empty));
    {
        // `\x`
        b.get(pp).get(pi).i(W::I32Add).load8(1).get(sc).i(W::I32Eq).set(ok).c(2).set(n);
    }
    b.i(W::Else);
    // A literal byte, unless a bracket expression closes below.
    b.get(c).get(sc).i(W::I32Eq).set(ok);
    b.get(c).c(91).i(W::I32Eq).i(W::If(Empty));
    {
        b.get(pi).c(1).i(W::I32Add).set(j).c(0).set(neg);
        b.get(j).get(pl).i(W::I32LtU).i(W::If(Empty));
        byte(b, pp, j);
        b.set(cc);
        b.get(cc).c(33).i(W::I32Eq).get(cc).c(94).i(W::I32Eq).i(W::I32Or).i(W::If(Empty));
        b.c(1).set(neg).get(j).c(1).i(W::I32Add).set(j);
        b.i(W::End);
        b.i(W::End);
        b.get(j).set(first).c(0).set(lo); // lo: matched so far
        b.i(W::Block(Empty)); // $nobracket / done
        b.i(W::Loop(Empty));
        b.get(j).get(pl).i(W::I32GeU).i(W::BrIf(1)); // no `]`: literal `[` (ok as set above)
        byte(b, pp, j);
        b.set(cc);
        b.get(cc).c(93).i(W::I32Eq).get(j).get(first).i(W::I32GtU).i(W::I32And).i(W::If(Empty));
        b.get(lo).get(neg).i(W::I32Xor).set(ok).get(j).c(1).i(W::I32Add).get(pi).i(W::I32Sub).set(n).i(W::Br(3));
        b.i(W::End);
        b.get(cc).c(92).i(W::I32Eq).get(j).c(1).i(W::I32Add).get(pl).i(W::I32LtU).i(W::I32And).i(W::If(Empty));
        b.get(j).c(1).i(W::I32Add).set(j);
        byte(b, pp, j);
        b.set(cc);
        b.i(W::End);
        b.get(cc).set(hi);
        // `a-z` (a `-` before the closing `]` is literal).
        b.get(j).c(2).i(W::I32Add).get(pl).i(W::I32LtU).i(W::If(Empty));
        b.get(pp).get(j).i(W::I32Add).load8(1).c(45).i(W::I32Eq);
        b.get(pp).get(j).i(W::I32Add).load8(2).c(93).i(W::I32Ne).i(W::I32And).i(W::If(Empty));
        b.get(pp).get(j).i(W::I32Add).load8(2).set(hi).get(j).c(2).i(W::I32Add).set(j);
        b.i(W::End);
        b.i(W::End);
        b.get(sc).get(cc).i(W::I32GeU).get(sc).get(hi).i(W::I32LeU).i(W::I32And).get(lo).i(W::I32Or).set(lo);
        b.get(j).c(1).i(W::I32Add).set(j).i(W::Br(0));
        b.i(W::End); // loop
        b.i(W::End); // block
    }
    b.i(W::End); // if `[`
    b.i(W::End); // else (escape)
    b.i(W::End); // else (`?`)
    b.get(ok).i(W::I32Eqz).i(W::BrIf(0));
    b.get(pi).get(n).i(W::I32Add).set(pi).get(si).get(clen).i(W::I32Add).set(si).i(W::Br(1));
    b.i(W::End); // $backtrack
    b.get(star).c(0).i(W::I32LtS).i(W::BrIf(2));
    b.get(star).c(1).i(W::I32Add).set(pi).get(mark).c(1).i(W::I32Add).set(mark).get(mark).set(si).i(W::Br(0));
    b.i(W::End); // $main
    b.i(W::End); // $tail
    // The subject is used up: only `*`s may be left.
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(pi).get(pl).i(W::I32GeU).i(W::BrIf(1));
    byte(b, pp, pi);
    b.c(42).i(W::I32Ne).i(W::BrIf(1));
    b.get(pi).c(1).i(W::I32Add).set(pi).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(pi).get(pl).i(W::I32Eq).i(W::Return);
    b.i(W::End); // $fail
    b.c(0);
}

fn escape(b: &mut Body) {
    let (p, l) = (0, 1);
    let (out, n, i, c) = (b.local(), b.local(), b.local(), b.local());
    b.get(l).c(2).i(W::I32Mul).c(1).i(W::I32Add).c(1).helper(Helper::Alloc).set(out);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    b.get(p).get(i).i(W::I32Add).load8(0).set(c);
    for special in [42, 63, 91, 93, 92] {
        b.get(c).c(special).i(W::I32Eq);
    }
    b.i(W::I32Or).i(W::I32Or).i(W::I32Or).i(W::I32Or);
    b.i(W::If(Empty));
    b.get(out).get(n).i(W::I32Add).c(92).store8(0).get(n).c(1).i(W::I32Add).set(n);
    b.i(W::End);
    b.get(out).get(n).i(W::I32Add).get(c).store8(0).get(n).c(1).i(W::I32Add).set(n);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(out).get(n);
}

fn chars(b: &mut Body) {
    let (p, l) = (0, 1);
    let (i, n) = (b.local(), b.local());
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    b.get(i).get(l).i(W::I32GeU).i(W::BrIf(1));
    // Every byte but a continuation byte (10xxxxxx) starts a character.
    b.get(p).get(i).i(W::I32Add).load8(0).c(0xC0).i(W::I32And).c(0x80).i(W::I32Ne).get(n).i(W::I32Add).set(n);
    b.get(i).c(1).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(n);
}

/// Tries each cut `i` of the subject in bash's order: a prefix `s[..i]` from the shortest
/// (`#`) or the longest (`##`); a suffix `s[i..]` from the shortest (`%`) or the longest (`%%`).
/// The first that matches is removed.
fn remove(b: &mut Body) {
    let (pp, pl, sp, sl, mode) = (0, 1, 2, 3, 4);
    let (suffix, longest, forward, i) = (b.local(), b.local(), b.local(), b.local());
    b.get(mode).c(2).i(W::I32And).set(suffix);
    b.get(mode).c(1).i(W::I32And).set(longest);
    // Forward (0 → l) for `#` and `%%`, backward for `##` and `%`.
    b.get(suffix).i(W::I32Eqz).get(longest).i(W::I32Eqz).i(W::I32Eq).set(forward);
    b.c(0).get(sl).get(forward).i(W::Select).set(i);
    b.i(W::Block(Empty)).i(W::Loop(Empty));
    // Cuts only between characters: a UTF-8 continuation byte (10xxxxxx) is inside one.
    // (At the end there is no byte: the address is then the start, and the test ignores it.)
    b.get(i).get(sl).i(W::I32LtU);
    b.get(sp).get(i).i(W::I32Add).get(sp).get(i).get(sl).i(W::I32LtU).i(W::Select);
    b.load8(0).c(0xC0).i(W::I32And).c(0x80).i(W::I32Eq);
    b.i(W::I32And).i(W::I32Eqz).i(W::If(Empty));
    // The subject tried: `s[i..]` for a suffix, `s[..i]` for a prefix.
    b.get(pp).get(pl);
    b.get(sp).get(i).i(W::I32Add).get(sp).get(suffix).i(W::Select);
    b.get(sl).get(i).i(W::I32Sub).get(i).get(suffix).i(W::Select);
    b.helper(Helper::Match).i(W::If(Empty));
    b.get(suffix).i(W::If(Empty));
    b.get(sp).get(i).i(W::Return);
    b.i(W::End);
    b.get(sp).get(i).i(W::I32Add).get(sl).get(i).i(W::I32Sub).i(W::Return);
    b.i(W::End);
    b.i(W::End); // a cut between characters
    // The last cut tried: l going forward, 0 going back.
    b.get(i).get(sl).c(0).get(forward).i(W::Select).i(W::I32Eq).i(W::BrIf(1));
    b.get(i).c(1).c(-1).get(forward).i(W::Select).i(W::I32Add).set(i).i(W::Br(0));
    b.i(W::End).i(W::End);
    b.get(sp).get(sl);
}

/// `${v/p/r}` and its kinds: at each start from the left, the longest match is replaced (the
/// first only, or each, going on after it); `/#` and `/%` anchor it at an end. An empty
/// pattern replaces nothing, except anchored, where it inserts.
fn replace(b: &mut Body) {
    let (pp, pl, sp, sl, rp, rl, mode) = (0, 1, 2, 3, 4, 5, 6);
    let (start, end, pos, ap, al, found) = (b.local(), b.local(), b.local(), b.local(), b.local(), b.local());
    let append = |b: &mut Body, p: &dyn Fn(&mut Body), l: &dyn Fn(&mut Body)| {
        b.get(ap).get(al);
        p(b);
        l(b);
        b.helper(Helper::Concat).set(al).set(ap);
    };
    // Prefix: the longest `s[..end]` that matches.
    b.get(mode).c(2).i(W::I32Eq).i(W::If(Empty));
    b.get(sl).set(end);
    b.i(W::Loop(Empty));
    b.get(pp).get(pl).get(sp).get(end).helper(Helper::Match).i(W::If(Empty));
    b.get(rp).get(rl).get(sp).get(end).i(W::I32Add).get(sl).get(end).i(W::I32Sub).helper(Helper::Concat).i(W::Return);
    b.i(W::End);
    b.get(end).i(W::If(Empty)).get(end).c(1).i(W::I32Sub).set(end).i(W::Br(1)).i(W::End);
    b.i(W::End);
    b.get(sp).get(sl).i(W::Return);
    b.i(W::End);
    // Suffix: the longest `s[start..]` that matches.
    b.get(mode).c(3).i(W::I32Eq).i(W::If(Empty));
    b.i(W::Loop(Empty));
    b.get(pp).get(pl).get(sp).get(start).i(W::I32Add).get(sl).get(start).i(W::I32Sub).helper(Helper::Match);
    b.i(W::If(Empty));
    b.get(sp).get(start).get(rp).get(rl).helper(Helper::Concat).i(W::Return);
    b.i(W::End);
    b.get(start).get(sl).i(W::I32LtU).i(W::If(Empty)).get(start).c(1).i(W::I32Add).set(start).i(W::Br(1)).i(W::End);
    b.i(W::End);
    b.get(sp).get(sl).i(W::Return);
    b.i(W::End);
    // First or all.
    b.get(pl).i(W::I32Eqz).i(W::If(Empty)).get(sp).get(sl).i(W::Return).i(W::End);
    b.i(W::Block(Empty)).i(W::Loop(Empty)); // $done, $next-start
    // Past the end; the empty tail is tried only for an empty subject.
    b.get(start).get(sl).i(W::I32GtU).i(W::BrIf(1));
    b.get(start).get(sl).i(W::I32Eq).get(sl).c(0).i(W::I32Ne).i(W::I32And).i(W::BrIf(1));
    b.c(0).set(found);
    b.get(sl).set(end);
    b.i(W::Block(Empty)).i(W::Loop(Empty)); // $no-match-here, $shorter
    b.get(pp).get(pl).get(sp).get(start).i(W::I32Add).get(end).get(start).i(W::I32Sub).helper(Helper::Match);
    b.i(W::If(Empty));
    append(
        b,
        &|b| {
            b.get(sp).get(pos).i(W::I32Add);
        },
        &|b| {
            b.get(start).get(pos).i(W::I32Sub);
        },
    );
    append(
        b,
        &|b| {
            b.get(rp);
        },
        &|b| {
            b.get(rl);
        },
    );
    b.get(end).set(pos).c(1).set(found).i(W::Br(2));
    b.i(W::End);
    b.get(end).get(start).i(W::I32LeU).i(W::BrIf(1));
    b.get(end).c(1).i(W::I32Sub).set(end).i(W::Br(0));
    b.i(W::End).i(W::End);
    // Matched: once only (mode 0) or on after the match (an empty one moves on by one).
    b.get(found).i(W::If(Empty));
    b.get(mode).i(W::I32Eqz).i(W::BrIf(2));
    b.get(end).get(start).c(1).i(W::I32Add).get(end).get(start).i(W::I32GtU).i(W::Select).set(start).i(W::Br(1));
    b.i(W::End);
    b.get(start).c(1).i(W::I32Add).set(start).i(W::Br(0));
    b.i(W::End).i(W::End);
    append(
        b,
        &|b| {
            b.get(sp).get(pos).i(W::I32Add);
        },
        &|b| {
            b.get(sl).get(pos).i(W::I32Sub);
        },
    );
    b.get(ap).get(al);
}

//! A function body under construction: instructions with symbolic calls and addresses, and
//! locals allocated on demand. Symbols are resolved when the module is assembled.

use wasm_encoder::{Instruction, MemArg, ValType};

/// Functions the emitter calls by name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Callee {
    /// An imported host function `(interface, function)`.
    Import(String, String),
    /// A guest helper.
    Helper(Helper),
    /// A step function, by position.
    Step(usize),
}

/// Helpers every playbook module defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Helper {
    /// `(size, align) -> ptr`: bump allocation, growing memory.
    Alloc,
    /// `(old, old_size, align, new_size) -> ptr`: the canonical ABI's allocator.
    Realloc,
    /// `(p1, l1, p2, l2) -> (p, l)`
    Concat,
    /// `(p, l) -> (list, count)`: splits on blanks into a `list<string>`.
    Split,
    /// `(p, l) -> (p, l)`: drops trailing newlines, as `$(…)` does.
    Trim,
    /// `() -> (status, p, l)`: reads a `result<outcome, error>` from the return area; on a
    /// denial it sets the exit globals (the caller then returns).
    Outcome,
    /// `(pattern p, l, subject p, l) -> matched`: bash's pattern matching (`*`, `?`, `[…]`,
    /// `\x`), as `case` and `[[ == ]]` use it.
    Match,
    /// `(p, l) -> (p, l)`: a backslash before each of `* ? [ ] \`, so a quoted expansion in a
    /// pattern matches itself.
    Escape,
    /// `(p, l) -> n`: the number of UTF-8 characters.
    Chars,
    /// `(pattern p, l, subject p, l, mode) -> (p, l)`: `${v#p}` (mode 0), `${v##p}` (1),
    /// `${v%p}` (2), `${v%%p}` (3).
    Remove,
    /// `(pattern p, l, subject p, l, with p, l, mode) -> (p, l)`: `${v/p/r}` (mode 0), `${v//p/r}`
    /// (1), `${v/#p/r}` (2), `${v/%p/r}` (3).
    Replace,
    /// `(p, l) -> (n: i64, code)`: a variable's value as bash's arithmetic reads a number —
    /// blanks around it, a sign, then decimal, `0x` hex or `0` octal. `code` is 0 when it is
    /// one, 1 when it is not a number, 2 when it is empty or blank, 3 when a digit is too great
    /// for its base (`08`).
    Atoi,
    /// `(n: i64) -> (p, l)`: decimal text of a number (statuses and lengths are extended).
    Itoa64,
    /// `(base: i64, exponent: i64) -> i64`: wrapping power; the exponent is not negative.
    Pow,
    /// `(p, l, pos, raw) -> (line p, l, pos, status)`: the next line of a buffer from `pos`, as
    /// `read` takes it: status 0 with its newline, 1 at the end or for a last line without one,
    /// 2 when `raw` is 0 and the line holds a backslash (which `read` without `-r` interprets).
    ReadLine,
    /// `(line p, l, pos, ifs p, l) -> pos`: past the `IFS` blanks at `pos`.
    IfsSkip,
    /// `(line p, l, pos, ifs p, l) -> (field p, l, pos)`: one field from `pos` and the
    /// delimiter after it (blanks, at most one other `IFS` character, blanks).
    IfsField,
    /// `(line p, l, pos, ifs p, l) -> end`: the end of the line without its trailing `IFS`
    /// blanks (never before `pos`).
    IfsTrim,
    /// `(p, l, k) -> offset`: where the `k`th UTF-8 character starts (`l` past the end).
    CharByte,
    /// `(p, l, mode) -> (p, l, beyond_ascii)`: ASCII case mapping; mode bit 0 upper, bit 1 all
    /// characters (else the first only). `beyond_ascii` when a mapped character is not ASCII.
    Case,
    /// `(p, l) -> (list, n)`: the fields of text each ended by a NUL (the paths a glob matched).
    SplitNul,
}

impl Helper {
    pub const ALL: [Self; 21] = [
        Self::Alloc,
        Self::Realloc,
        Self::Concat,
        Self::Split,
        Self::Trim,
        Self::Outcome,
        Self::Match,
        Self::Escape,
        Self::Chars,
        Self::Remove,
        Self::Replace,
        Self::Atoi,
        Self::Itoa64,
        Self::Pow,
        Self::ReadLine,
        Self::IfsSkip,
        Self::IfsField,
        Self::IfsTrim,
        Self::CharByte,
        Self::Case,
        Self::SplitNul,
    ];

    #[must_use]
    pub fn signature(self) -> (Vec<ValType>, Vec<ValType>) {
        use ValType::{I32, I64};
        match self {
            Self::Atoi => (vec![I32, I32], vec![I64, I32]),
            Self::Itoa64 => (vec![I64], vec![I32, I32]),
            Self::Pow => (vec![I64, I64], vec![I64]),
            Self::ReadLine => (vec![I32; 4], vec![I32; 4]),
            Self::IfsSkip | Self::IfsTrim => (vec![I32; 5], vec![I32]),
            Self::CharByte => (vec![I32; 3], vec![I32]),
            Self::Case => (vec![I32; 3], vec![I32; 3]),
            Self::IfsField => (vec![I32; 5], vec![I32; 3]),
            Self::Alloc | Self::Chars => (vec![I32, I32], vec![I32]),
            Self::Realloc | Self::Match => (vec![I32, I32, I32, I32], vec![I32]),
            Self::Concat => (vec![I32, I32, I32, I32], vec![I32, I32]),
            Self::Split | Self::SplitNul | Self::Trim | Self::Escape => (vec![I32, I32], vec![I32, I32]),
            Self::Remove => (vec![I32; 5], vec![I32, I32]),
            Self::Replace => (vec![I32; 7], vec![I32, I32]),
            Self::Outcome => (vec![], vec![I32, I32, I32]),
        }
    }
}

/// One instruction, or a symbol to resolve.
#[derive(Clone, Debug)]
pub enum Ins {
    I(Instruction<'static>),
    Call(Callee),
    /// `i32.const` of the address of a variable slot.
    VarAddr(u32),
    /// `i32.const` of an address in the string pool.
    PoolAddr(u32),
}

#[derive(Clone, Debug, Default)]
pub struct Body {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
    pub locals: Vec<ValType>,
    pub ins: Vec<Ins>,
}

/// A memory argument with the given static offset.
#[must_use]
pub fn mem(offset: u32, align: u32) -> MemArg {
    MemArg { offset: u64::from(offset), align, target: wasm_encoder::MemArgTarget::Memory(0), ordering: None }
}

impl Body {
    #[must_use]
    pub fn new(params: Vec<ValType>, results: Vec<ValType>) -> Self {
        Self { params, results, ..Self::default() }
    }

    /// A fresh i32 local.
    ///
    /// # Panics
    /// When a function has more than `u32::MAX` locals, which wasm does not allow anyway.
    pub fn local(&mut self) -> u32 {
        self.locals.push(ValType::I32);
        u32::try_from(self.params.len() + self.locals.len() - 1).expect("locals fit")
    }

    /// A fresh i64 local.
    ///
    /// # Panics
    /// When a function has more than `u32::MAX` locals, which wasm does not allow anyway.
    pub fn local64(&mut self) -> u32 {
        self.locals.push(ValType::I64);
        u32::try_from(self.params.len() + self.locals.len() - 1).expect("locals fit")
    }

    pub fn c64(&mut self, v: i64) -> &mut Self {
        self.i(Instruction::I64Const(v))
    }

    pub fn i(&mut self, i: Instruction<'static>) -> &mut Self {
        self.ins.push(Ins::I(i));
        self
    }

    pub fn c(&mut self, v: i32) -> &mut Self {
        self.i(Instruction::I32Const(v))
    }

    pub fn get(&mut self, l: u32) -> &mut Self {
        self.i(Instruction::LocalGet(l))
    }

    pub fn set(&mut self, l: u32) -> &mut Self {
        self.i(Instruction::LocalSet(l))
    }

    pub fn call(&mut self, c: Callee) -> &mut Self {
        self.ins.push(Ins::Call(c));
        self
    }

    pub fn helper(&mut self, h: Helper) -> &mut Self {
        self.call(Callee::Helper(h))
    }

    pub fn load(&mut self, offset: u32) -> &mut Self {
        self.i(Instruction::I32Load(mem(offset, 2)))
    }

    pub fn load8(&mut self, offset: u32) -> &mut Self {
        self.i(Instruction::I32Load8U(mem(offset, 0)))
    }

    pub fn store(&mut self, offset: u32) -> &mut Self {
        self.i(Instruction::I32Store(mem(offset, 2)))
    }

    pub fn store8(&mut self, offset: u32) -> &mut Self {
        self.i(Instruction::I32Store8(mem(offset, 0)))
    }
}

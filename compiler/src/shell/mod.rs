//! Shell → typed script IR: brush-parser's AST lowered to words, pipelines and typed actions.

pub mod lower;
pub mod placeholder;

use serde::Serialize;

use crate::action::{Action, Mode};
use crate::source::Span;

/// A list of commands run in order (a block, a loop body, a branch).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Script {
    pub items: Vec<Item>,
}

/// One `a && b || c` chain, optionally sent to the background with `&`.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub chain: Chain,
    pub background: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Chain {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connector {
    And,
    Or,
}

/// `[!] a | b | c`
#[derive(Clone, Debug, Serialize)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Command {
    Simple(Box<Simple>),
    If {
        arms: Vec<(Script, Script)>,
        otherwise: Option<Script>,
        span: Span,
    },
    For {
        var: String,
        items: Vec<Word>,
        body: Script,
        span: Span,
        /// The loop is `… | xargs CMD`'s: its status is xargs' own (0, 123 when a command
        /// failed, 124 when one exited 255, 126/127 as they come).
        xargs: Option<Xargs>,
    },
    While {
        cond: Script,
        body: Script,
        until: bool,
        span: Span,
    },
    Group {
        body: Script,
        subshell: bool,
        redirects: Vec<Redirect>,
        span: Span,
    },
    /// `case WORD in PATTERN|PATTERN) …;; esac`: the first arm with a matching pattern runs.
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Script)>,
        span: Span,
    },
    /// A call of a function the block defined: its body, lowered where it is called.
    Call(Box<Call>),
}

/// `NAME ARGS…` where the block defined `NAME() { …; }`: the body runs with the arguments as
/// `$1 $2 … "$@"` and `$#`, the names it declares `local` get their values back when it
/// returns, and `return` ends it.
#[derive(Clone, Debug, Serialize)]
pub struct Call {
    pub name: String,
    pub args: Vec<Word>,
    pub body: Script,
    /// The names a `local` in the body declares.
    pub locals: Vec<String>,
    pub span: Span,
}

impl Command {
    /// The span of the whole command.
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Command::Simple(s) => s.span,
            Command::Call(c) => c.span,
            Command::If { span, .. }
            | Command::For { span, .. }
            | Command::While { span, .. }
            | Command::Group { span, .. }
            | Command::Case { span, .. } => *span,
        }
    }
}

/// The name of an array's expansion as a `Part::Var` holds it (`a[@]`, `a[*]`, `a[#]`, `a[2]`,
/// `a[i]`): the array's name and the index.
#[must_use]
pub fn array_ref(name: &str) -> Option<(&str, &str)> {
    name.strip_suffix(']')?.split_once('[')
}

/// A positional parameter's name as a `Part::Var` holds it: `1`…, `#`, `@` or `*`.
#[must_use]
pub fn is_positional(name: &str) -> bool {
    matches!(name, "#" | "@" | "*") || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) && name != "0")
}

/// A simple command: assignments, argv, redirections, and what it means.
#[derive(Clone, Debug, Serialize)]
pub struct Simple {
    pub span: Span,
    pub assignments: Vec<(String, Word)>,
    pub argv: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub action: Action,
    pub mode: Mode,
    /// Run through `sudo`.
    pub privileged: bool,
    /// Its output derives from a secret input (`taint::mark`): the host masks it as a whole.
    pub secret: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Redirect {
    /// The file descriptor written as a prefix (`2>`), if any.
    pub fd: Option<i32>,
    pub op: RedirectOp,
    pub target: Word,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectOp {
    /// `< file`
    Read,
    /// `> file` (truncates)
    Write,
    /// `>> file`
    Append,
    /// `&> file` / `&>> file`
    WriteBoth { append: bool },
    /// `2>&1`: the target is the descriptor.
    Duplicate,
    /// `<< EOF`: the target is the document.
    HereDoc,
    /// `<<< word`
    HereString,
}

impl Redirect {
    /// The file request this redirection makes, if it touches a file: `< f` reads, `> f` and
    /// `&> f` write, `>> f` appends.
    #[must_use]
    pub fn request(&self) -> Option<playbook_capability::fs::FsRequest<Word>> {
        use playbook_capability::fs::{FsOp, FsRequest, FsTool};
        let file = self.file()?.clone();
        let (op, tool) = match self.op {
            RedirectOp::Read => (FsOp::Read, FsTool::RedirectIn),
            RedirectOp::Append | RedirectOp::WriteBoth { append: true } => (FsOp::Append, FsTool::RedirectAppend),
            _ => (FsOp::Write, FsTool::RedirectOut),
        };
        Some(FsRequest::new(op, tool, vec![file]))
    }

    /// `< FILE`, `<< DOC`, `<<< WORD`: it gives the command its input.
    #[must_use]
    pub fn is_input(&self) -> bool {
        matches!(self.op, RedirectOp::Read | RedirectOp::HereDoc | RedirectOp::HereString)
    }

    /// The file path this redirection touches, if it is a file (not `/dev/null`, not a fd).
    #[must_use]
    pub fn file(&self) -> Option<&Word> {
        match self.op {
            RedirectOp::Read | RedirectOp::Write | RedirectOp::Append | RedirectOp::WriteBoth { .. } => {
                (self.target.literal().as_deref() != Some("/dev/null")).then_some(&self.target)
            }
            _ => None,
        }
    }
}

/// How `xargs` was asked to run (see `Command::For`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Xargs {
    /// `-r`: nothing runs without an item. Without it GNU xargs runs the command once with
    /// none, which playbook does not: the run says so, with status 123.
    pub no_run_if_empty: bool,
    /// All the items go to one command (`xargs CMD`, a program's arguments): the loop's
    /// variable is the array of them, and its body runs once.
    pub batch: bool,
    /// `-I R`: each line of the input is one item (its leading blanks dropped, empty lines
    /// skipped), not each word.
    pub lines: bool,
}

/// A shell word as typed parts: literals, variables, inputs, command substitutions.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Word {
    pub parts: Vec<Part>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "part", rename_all = "kebab-case")]
pub enum Part {
    /// Literal text (quotes removed).
    Lit { text: String },
    /// Unquoted text holding `*`, `?` or `[`: a glob pattern.
    Glob { text: String },
    /// `~` at the start of a word.
    Home,
    /// `$NAME` / `${NAME}` / `${NAME:-default}`, and the operations on its value (`${#NAME}`,
    /// `${NAME%pattern}`, `${NAME//pattern/with}`, …).
    Var { name: String, quoted: bool, default: Option<Box<Word>>, op: Option<Box<VarOp>> },
    /// `<name>`: a required input of the playbook.
    Input { name: String },
    /// `$(…)` / `` `…` ``; with `glob`, an unquoted glob expanded at run time (`logs/*.log`):
    /// its script asks for the matching paths, each one word (`text` is the pattern).
    Subst { script: Box<Script>, text: String, quoted: bool, glob: bool },
    /// `$?`
    Status,
    /// `$((…))`: the decimal value of bash's arithmetic on 64-bit integers.
    Arith { expr: Box<Arith>, text: String },
}

/// Bash arithmetic (`$((…))`, `(( … ))`, `for ((…))`) on 64-bit integers, wrapping on overflow.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "arith", rename_all = "kebab-case")]
pub enum Arith {
    Num {
        value: i64,
    },
    /// A variable's value read as a number: `x` (empty or unset is 0) or `$x` (the value's text
    /// stands in the expression, so it must be a number).
    Var {
        name: String,
        dollar: bool,
    },
    /// Another expansion (`$(…)`, `${#v}`, `$((…))`): its text stands in the expression, so it
    /// must be a number.
    Word {
        word: Box<Word>,
    },
    Unary {
        op: ArithOp,
        operand: Box<Arith>,
    },
    /// `&&`, `||` and `,` evaluate their right side only when bash does.
    Binary {
        op: ArithOp,
        left: Box<Arith>,
        right: Box<Arith>,
    },
    Cond {
        cond: Box<Arith>,
        then: Box<Arith>,
        otherwise: Box<Arith>,
    },
    /// `x = e`, `x += e`, …
    Assign {
        name: String,
        op: Option<ArithOp>,
        value: Box<Arith>,
    },
    /// `++x`, `x--`, …: by `delta`, yielding the new value (prefix) or the old one (postfix).
    Step {
        name: String,
        delta: i64,
        post: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
    Comma,
    Neg,
    Plus,
    Not,
    BitNot,
}

impl Arith {
    /// Its sub-expressions, left to right.
    fn operands(&self) -> Vec<&Arith> {
        match self {
            Self::Num { .. } | Self::Var { .. } | Self::Step { .. } | Self::Word { .. } => Vec::new(),
            Self::Unary { operand, .. } | Self::Assign { value: operand, .. } => vec![operand],
            Self::Binary { left, right, .. } => vec![left, right],
            Self::Cond { cond, then, otherwise } => vec![cond, then, otherwise],
        }
    }

    fn operands_mut(&mut self) -> Vec<&mut Arith> {
        match self {
            Self::Num { .. } | Self::Var { .. } | Self::Step { .. } | Self::Word { .. } => Vec::new(),
            Self::Unary { operand, .. } | Self::Assign { value: operand, .. } => vec![operand],
            Self::Binary { left, right, .. } => vec![left, right],
            Self::Cond { cond, then, otherwise } => vec![cond, then, otherwise],
        }
    }

    /// The words it holds (its `$(…)` and other expansions), left to right.
    #[must_use]
    pub fn words(&self) -> Vec<&Word> {
        match self {
            Self::Word { word } => vec![word.as_ref()],
            _ => self.operands().into_iter().flat_map(Self::words).collect(),
        }
    }

    pub fn words_mut(&mut self) -> Vec<&mut Word> {
        match self {
            Self::Word { word } => vec![word.as_mut()],
            _ => self.operands_mut().into_iter().flat_map(Self::words_mut).collect(),
        }
    }

    /// The names it assigns, in order of appearance.
    pub fn assigned(&self, out: &mut Vec<String>) {
        for a in self.operands() {
            a.assigned(out);
        }
        match self {
            Self::Word { word } => word.arith_assigned(out),
            Self::Assign { name, .. } | Self::Step { name, .. } => out.push(name.clone()),
            _ => {}
        }
    }

    /// The names whose values it reads.
    pub fn reads(&self, out: &mut Vec<String>) {
        match self {
            Self::Word { word } => word.visit_vars(&mut |p| {
                if let Part::Var { name, .. } = p {
                    out.push(name.clone());
                }
                if let Part::Arith { expr, .. } = p {
                    expr.reads(out);
                }
            }),
            Self::Var { name, .. } | Self::Step { name, .. } | Self::Assign { name, op: Some(_), .. } => {
                out.push(name.clone());
            }
            _ => {}
        }
        for a in self.operands() {
            a.reads(out);
        }
    }
}

impl Part {
    /// The words inside it: a variable's default, its pattern and replacement, the expansions
    /// inside arithmetic. (A substitution's commands are its script, not words.)
    #[must_use]
    pub fn inner_words(&self) -> Vec<&Word> {
        match self {
            Part::Var { default, op, .. } => {
                default.iter().map(AsRef::as_ref).chain(op.iter().flat_map(|o| o.words())).collect()
            }
            Part::Arith { expr, .. } => expr.words(),
            _ => Vec::new(),
        }
    }

    pub fn inner_words_mut(&mut self) -> Vec<&mut Word> {
        match self {
            Part::Var { default, op, .. } => {
                let mut v: Vec<&mut Word> = default.iter_mut().map(AsMut::as_mut).collect();
                if let Some(o) = op {
                    match o.as_mut() {
                        VarOp::Length | VarOp::Substring { .. } | VarOp::Case { .. } => {}
                        VarOp::Remove { pattern, .. } => v.push(pattern),
                        VarOp::Replace { pattern, with, .. } => {
                            v.push(pattern);
                            v.push(with);
                        }
                    }
                }
                v
            }
            Part::Arith { expr, .. } => expr.words_mut(),
            _ => Vec::new(),
        }
    }
}

/// What a parameter expansion does to the variable's value; patterns are bash's.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VarOp {
    /// `${#v}`: its length in characters.
    Length,
    /// `${v#p}` `${v##p}` (prefix) and `${v%p}` `${v%%p}` (suffix): the shortest or longest
    /// match removed.
    Remove { suffix: bool, longest: bool, pattern: Word },
    /// `${v/p/r}` (first), `${v//p/r}` (all), `${v/#p/r}` (prefix), `${v/%p/r}` (suffix).
    Replace { mode: ReplaceMode, pattern: Word, with: Word },
    /// `${v:offset}`, `${v:offset:length}` in characters; the expressions hold only names and
    /// numbers.
    Substring { offset: (Arith, String), length: Option<(Arith, String)> },
    /// `${v^^}` (`upper`, `all`), `${v^}`, `${v,,}`, `${v,}`: ASCII letters; a value with other
    /// characters stops the run (bash maps them by the locale).
    Case { upper: bool, all: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplaceMode {
    First = 0,
    All = 1,
    Prefix = 2,
    Suffix = 3,
}

impl VarOp {
    /// The words it holds (its pattern and replacement).
    #[must_use]
    pub fn words(&self) -> Vec<&Word> {
        match self {
            Self::Length | Self::Substring { .. } | Self::Case { .. } => Vec::new(),
            Self::Remove { pattern, .. } => vec![pattern],
            Self::Replace { pattern, with, .. } => vec![pattern, with],
        }
    }
}

impl Word {
    #[must_use]
    pub fn lit(text: &str, span: Span) -> Self {
        Self { parts: vec![Part::Lit { text: text.to_string() }], span }
    }

    /// The word's value when it holds no expansion at all.
    #[must_use]
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit { text } => s.push_str(text),
                _ => return None,
            }
        }
        Some(s)
    }

    /// The literal text before the first expansion.
    #[must_use]
    pub fn literal_prefix(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit { text } | Part::Glob { text } => s.push_str(text),
                _ => break,
            }
        }
        s
    }

    #[must_use]
    pub fn is_static(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Lit { .. } | Part::Glob { .. } | Part::Home))
    }

    /// Whether expanding the word runs something (`$(…)`, `$((…))`), which bash does before
    /// it opens the command's redirections.
    #[must_use]
    pub fn has_effects(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(p, Part::Subst { .. } | Part::Arith { .. }) || p.inner_words().into_iter().any(Word::has_effects)
        })
    }

    /// Whether the word holds an unquoted glob.
    #[must_use]
    pub fn has_glob(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Glob { .. }))
    }

    /// A readable template: literals as written, holes as `{input.x}`, `{var.x}`, `{output of …}`.
    #[must_use]
    pub fn template(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit { text } | Part::Glob { text } => s.push_str(text),
                Part::Home => s.push('~'),
                // Any number of words: `"$@"`, `"${a[@]}"`.
                Part::Var { name, .. }
                    if matches!(name.as_str(), "@" | "*") || name.ends_with("[@]") || name.ends_with("[*]") =>
                {
                    s.push_str("{words.");
                    s.push_str(name);
                    s.push('}');
                }
                Part::Var { name, .. } => {
                    s.push_str("{var.");
                    s.push_str(name);
                    s.push('}');
                }
                Part::Input { name } => {
                    s.push_str("{input.");
                    s.push_str(name);
                    s.push('}');
                }
                Part::Subst { text, glob: true, .. } => {
                    s.push_str("{glob `");
                    s.push_str(text);
                    s.push_str("`}");
                }
                Part::Subst { text, .. } => {
                    s.push_str("{output of `");
                    s.push_str(text.trim());
                    s.push_str("`}");
                }
                Part::Status => s.push_str("{status}"),
                Part::Arith { text, .. } => {
                    s.push_str("{arithmetic `");
                    s.push_str(text.trim());
                    s.push_str("`}");
                }
            }
        }
        s
    }

    /// The names assigned by the arithmetic in it (`$((i++))`), defaults and patterns included.
    pub fn arith_assigned(&self, out: &mut Vec<String>) {
        for p in &self.parts {
            if let Part::Arith { expr, .. } = p {
                expr.assigned(out);
            } else {
                for w in p.inner_words() {
                    w.arith_assigned(out);
                }
            }
        }
    }

    /// Names of the inputs and variables this word reads, including inside substitutions.
    pub fn visit_vars(&self, f: &mut dyn FnMut(&Part)) {
        for p in &self.parts {
            f(p);
            for w in p.inner_words() {
                w.visit_vars(f);
            }
        }
    }
}

/// A word is a value of a typed request while compiling: its template shows the holes the
/// runtime fills.
impl playbook_capability::Value for Word {
    fn template(&self) -> String {
        Word::template(self)
    }

    fn quoted(&self) -> String {
        use playbook_capability::value::{escape_ansi, escape_quoted, has_control, needs_quotes};
        let literal: String = self
            .parts
            .iter()
            .filter_map(|p| match p {
                Part::Lit { text } | Part::Glob { text } => Some(text.as_str()),
                Part::Home => Some("~"),
                _ => None,
            })
            .collect();
        let holes = self.parts.iter().any(|p| !matches!(p, Part::Lit { .. } | Part::Glob { .. } | Part::Home));
        let (open, escape): (&str, fn(&str) -> String) = if has_control(&literal) {
            ("$'", escape_ansi)
        } else if needs_quotes(&literal) || (literal.is_empty() && !holes) {
            ("'", escape_quoted)
        } else {
            return Word::template(self);
        };
        let mut s = String::from(open);
        for p in &self.parts {
            match p {
                Part::Lit { text } | Part::Glob { text } => s.push_str(&escape(text)),
                other => s.push_str(&Word { parts: vec![other.clone()], span: self.span }.template()),
            }
        }
        s.push('\'');
        s
    }

    fn literal(&self) -> Option<String> {
        Word::literal(self)
    }

    fn literal_prefix(&self) -> String {
        Word::literal_prefix(self)
    }

    fn is_static(&self) -> bool {
        Word::is_static(self)
    }

    fn suffix(&self, mut n: usize) -> Self {
        let mut parts = Vec::new();
        for p in &self.parts {
            match p {
                Part::Lit { text } | Part::Glob { text } if n > 0 => {
                    if n < text.len() {
                        let rest = text[n..].to_string();
                        parts.push(if matches!(p, Part::Glob { .. }) {
                            Part::Glob { text: rest }
                        } else {
                            Part::Lit { text: rest }
                        });
                        n = 0;
                    } else {
                        n -= text.len();
                    }
                }
                other => parts.push(other.clone()),
            }
        }
        if parts.is_empty() {
            parts.push(Part::Lit { text: String::new() });
        }
        Word { parts, span: self.span }
    }

    fn lit_like(&self, text: &str) -> Self {
        Word::lit(text, self.span)
    }

    fn from_literal(text: &str) -> Self {
        Word::lit(text, Span::default())
    }
}

impl Script {
    /// The program of the first simple command, when written out (`xargs`' command).
    #[must_use]
    pub fn first_program(&self) -> Option<String> {
        let item = self.items.first()?;
        match item.chain.first.commands.first()? {
            Command::Simple(s) => s.argv.first().and_then(Word::literal),
            _ => None,
        }
    }

    /// Every simple command, in source order, including those in substitutions and bodies.
    pub fn visit_simple<'a>(&'a self, f: &mut dyn FnMut(&'a Simple)) {
        for item in &self.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    c.visit_simple(f);
                }
            }
        }
    }
}

impl Script {
    /// Every command in it, as `visit_commands`, without going into the bodies of the
    /// functions it calls.
    pub fn visit_commands_until_call<'a>(&'a self, f: &mut dyn FnMut(&'a Command)) {
        for item in &self.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    f(c);
                    if !matches!(c, Command::Call(_)) {
                        for body in c.bodies() {
                            body.visit_commands_until_call(f);
                        }
                    }
                }
            }
        }
    }

    /// Every compound and simple command in it, outer before inner, in source order (not those
    /// in substitutions).
    pub fn visit_commands<'a>(&'a self, f: &mut dyn FnMut(&'a Command)) {
        for item in &self.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    f(c);
                    for body in c.bodies() {
                        body.visit_commands(f);
                    }
                }
            }
        }
    }

    /// The redirections of its groups (`{ …; } > FILE`, and loops wrapped in one), with the
    /// group's span.
    #[must_use]
    pub fn group_redirects(&self) -> Vec<(&Redirect, Span)> {
        let mut out = Vec::new();
        self.visit_commands(&mut |c| {
            if let Command::Group { redirects, span, .. } = c {
                out.extend(redirects.iter().map(|r| (r, *span)));
            }
        });
        out
    }

    /// A `break` or `continue` in it that would leave a loop around it (not one of its own).
    #[must_use]
    pub fn loop_exit(&self) -> Option<Span> {
        self.loop_exit_by("break").or_else(|| self.loop_exit_by("continue"))
    }

    /// A `break` or `continue` (as `name` says) that would leave a loop around it.
    #[must_use]
    pub fn loop_exit_by(&self, name: &str) -> Option<Span> {
        for item in &self.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    let found = match c {
                        Command::Simple(s) => match &s.action {
                            Action::Builtin(b) if b.name == name => Some(s.span),
                            _ => None,
                        },
                        Command::If { arms, otherwise, .. } => arms
                            .iter()
                            .find_map(|(c, b)| c.loop_exit_by(name).or_else(|| b.loop_exit_by(name)))
                            .or_else(|| otherwise.as_ref().and_then(|o| o.loop_exit_by(name))),
                        Command::Group { body, .. } => body.loop_exit_by(name),
                        Command::Case { arms, .. } => arms.iter().find_map(|(_, b)| b.loop_exit_by(name)),
                        Command::For { .. } | Command::While { .. } | Command::Call(_) => None,
                    };
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        None
    }

    /// The spans of the subshells in it — `( … )`, and the commands of each `$(…)` — outermost
    /// first, in source order.
    #[must_use]
    pub fn subshells(&self) -> Vec<Span> {
        let mut out = Vec::new();
        let substs = |words: &mut dyn Iterator<Item = &Word>, out: &mut Vec<Span>| {
            for w in words {
                word_substs(w, &mut |script| out.extend(script.extent()));
            }
        };
        self.visit_commands(&mut |c| match c {
            Command::Group { subshell: true, span, .. } => out.push(*span),
            Command::For { items, .. } => substs(&mut items.iter(), &mut out),
            Command::Case { word, arms, .. } => {
                substs(&mut std::iter::once(word).chain(arms.iter().flat_map(|(ps, _)| ps)), &mut out);
            }
            _ => {}
        });
        self.visit_simple(&mut |s| {
            let words = s.action.words().into_iter().chain(s.assignments.iter().map(|(_, w)| w));
            substs(&mut words.chain(s.redirects.iter().map(|r| &r.target)), &mut out);
        });
        out
    }

    /// From the start of its first simple command to the end of its last.
    #[must_use]
    pub fn extent(&self) -> Option<Span> {
        let mut at: Option<Span> = None;
        self.visit_simple(&mut |s| {
            at = Some(match at {
                None => s.span,
                Some(a) => Span { start: a.start.min(s.span.start), end: a.end.max(s.span.end) },
            });
        });
        at
    }
}

impl Script {
    /// Every simple command, mutably, including those in substitutions and bodies.
    pub fn visit_simple_mut(&mut self, f: &mut dyn FnMut(&mut Simple)) {
        for item in &mut self.items {
            for p in std::iter::once(&mut item.chain.first).chain(item.chain.rest.iter_mut().map(|(_, p)| p)) {
                for c in &mut p.commands {
                    c.visit_simple_mut(f);
                }
            }
        }
    }
}

fn visit_word_mut(w: &mut Word, f: &mut dyn FnMut(&mut Simple)) {
    for p in &mut w.parts {
        if let Part::Subst { script, .. } = p {
            script.visit_simple_mut(f);
        }
        // `${X:-$(…)}`, `$(( $(…) + 1 ))`: their commands run too.
        for w in p.inner_words_mut() {
            visit_word_mut(w, f);
        }
    }
}

/// The scripts of a word's substitutions (in defaults and arithmetic too).
pub fn word_scripts<'a>(w: &'a Word, f: &mut dyn FnMut(&'a Script)) {
    word_substs(w, f);
}

/// The scripts of a word's substitutions, those in `${X:-…}` defaults included.
fn word_substs<'a>(w: &'a Word, f: &mut dyn FnMut(&'a Script)) {
    for p in &w.parts {
        if let Part::Subst { script, .. } = p {
            f(script);
        }
        for w in p.inner_words() {
            word_substs(w, f);
        }
    }
}

impl Command {
    pub fn visit_simple_mut(&mut self, f: &mut dyn FnMut(&mut Simple)) {
        match self {
            Self::Simple(s) => {
                let process = matches!(s.action, Action::Process(_));
                let Simple { action, assignments, redirects, .. } = &mut **s;
                // The request's own words are what runs; a program's prefixes travel in its env.
                let assigned = assignments.iter_mut().map(|(_, w)| w).filter(|_| !process);
                for w in
                    action.words_mut().into_iter().chain(assigned).chain(redirects.iter_mut().map(|r| &mut r.target))
                {
                    visit_word_mut(w, f);
                }
                f(s);
            }
            Self::If { arms, otherwise, .. } => {
                for (c, b) in arms {
                    c.visit_simple_mut(f);
                    b.visit_simple_mut(f);
                }
                if let Some(o) = otherwise {
                    o.visit_simple_mut(f);
                }
            }
            Self::For { items, body, .. } => {
                for w in items {
                    visit_word_mut(w, f);
                }
                body.visit_simple_mut(f);
            }
            Self::While { cond, body, .. } => {
                cond.visit_simple_mut(f);
                body.visit_simple_mut(f);
            }
            Self::Group { body, .. } => body.visit_simple_mut(f),
            Self::Call(call) => {
                for w in &mut call.args {
                    visit_word_mut(w, f);
                }
                call.body.visit_simple_mut(f);
            }
            Self::Case { word, arms, .. } => {
                visit_word_mut(word, f);
                for (patterns, body) in arms {
                    for w in patterns {
                        visit_word_mut(w, f);
                    }
                    body.visit_simple_mut(f);
                }
            }
        }
    }

    pub fn visit_simple<'a>(&'a self, f: &mut dyn FnMut(&'a Simple)) {
        match self {
            Self::Simple(s) => {
                // The request's own words are what runs; a program's prefixes travel in its env.
                let process = matches!(s.action, Action::Process(_));
                let assigned = s.assignments.iter().map(|(_, w)| w).filter(|_| !process);
                for w in s.action.words().into_iter().chain(assigned).chain(s.redirects.iter().map(|r| &r.target)) {
                    word_substs(w, &mut |script| script.visit_simple(f));
                }
                f(s);
            }
            Self::If { arms, otherwise, .. } => {
                for (c, b) in arms {
                    c.visit_simple(f);
                    b.visit_simple(f);
                }
                if let Some(o) = otherwise {
                    o.visit_simple(f);
                }
            }
            Self::For { items, body, .. } => {
                for w in items {
                    word_substs(w, &mut |script| script.visit_simple(f));
                }
                body.visit_simple(f);
            }
            Self::While { cond, body, .. } => {
                cond.visit_simple(f);
                body.visit_simple(f);
            }
            Self::Group { body, .. } => body.visit_simple(f),
            Self::Call(call) => {
                for w in &call.args {
                    word_substs(w, &mut |script| script.visit_simple(f));
                }
                call.body.visit_simple(f);
            }
            Self::Case { word, arms, .. } => {
                for w in std::iter::once(word).chain(arms.iter().flat_map(|(ps, _)| ps)) {
                    word_substs(w, &mut |script| script.visit_simple(f));
                }
                for (_, body) in arms {
                    body.visit_simple(f);
                }
            }
        }
    }
}

/// Builtins that set or unset the variables named in their arguments.
const SETS_VARIABLES: &[&str] = &[
    "export",
    "unset",
    "readonly",
    "local",
    "declare",
    "typeset",
    "read",
    "mapfile",
    "readarray",
    "printf",
    "getopts",
];

impl Script {
    /// Constant propagation: a variable assigned exactly once in the block, at its top level,
    /// to a literal (`LOG=/var/log/app.log`), holds that value in every command after the
    /// assignment, so those commands name it literally — in the manifest as in the code. Any
    /// other assignment of the name anywhere in the block (in a loop, a subshell, a
    /// substitution, by `read`, `export`, `for`, …) keeps it a variable. An unquoted use is
    /// replaced only when splitting and globbing leave the value as it is.
    pub fn propagate_constants(&mut self) {
        let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut anything = false;
        let bump = |count: &mut std::collections::HashMap<String, usize>, n: &str, by: usize| {
            let c = count.entry(n.to_string()).or_default();
            *c = c.saturating_add(by);
        };
        // Every command, those inside any substitution included (a program's prefixes too).
        self.every_command(&mut |c| match c {
            Command::Simple(s) => {
                match &s.action {
                    Action::Assign | Action::Invalid => {
                        for (n, _) in &s.assignments {
                            bump(&mut count, n, 1);
                        }
                    }
                    Action::Builtin(b) if SETS_VARIABLES.contains(&b.name.as_str()) => {
                        for a in &b.args {
                            let p = a.literal_prefix();
                            bump(&mut count, p.split('=').next().unwrap_or(&p), 2);
                        }
                    }
                    _ => {}
                }
                // A builtin whose arguments are not all literal could set anything, and so
                // could `source` and `eval`.
                if let Action::Builtin(b) = &s.action
                    && ((SETS_VARIABLES.contains(&b.name.as_str()) && b.args.iter().any(|a| a.literal().is_none()))
                        || matches!(b.name.as_str(), "source" | "." | "eval"))
                {
                    anything = true;
                }
            }
            Command::For { var, .. } => bump(&mut count, var, 2),
            _ => {}
        });
        for n in self.arith_assigned() {
            bump(&mut count, &n, 2);
        }
        if anything {
            return;
        }
        let mut constants: Vec<(usize, String, String)> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let p = &item.chain.first;
            if item.background || !item.chain.rest.is_empty() || p.negated {
                continue;
            }
            if let [Command::Simple(s)] = p.commands.as_slice()
                && matches!(s.action, Action::Assign)
            {
                for (n, w) in &s.assignments {
                    if count.get(n) == Some(&1)
                        && let Some(v) = w.literal()
                    {
                        constants.push((i, n.clone(), v));
                    }
                }
            }
        }
        for (at, name, value) in constants {
            for item in &mut self.items[at + 1..] {
                for p in std::iter::once(&mut item.chain.first).chain(item.chain.rest.iter_mut().map(|(_, p)| p)) {
                    for c in &mut p.commands {
                        c.replace_var(&name, &value);
                    }
                }
            }
        }
    }
}

impl Command {
    /// Replaces reads of `name` by `value` in every word of the command (not in `case`
    /// patterns, where a literal would change what matches).
    pub fn replace_var(&mut self, name: &str, value: &str) {
        fn word(w: &mut Word, name: &str, value: &str) {
            let fits_unquoted = !value.is_empty() && !value.contains([' ', '\t', '\n', '*', '?', '[']);
            for p in &mut w.parts {
                match p {
                    Part::Var { name: n, quoted, default, op: None }
                        if n == name && (*quoted || fits_unquoted) && (default.is_none() || !value.is_empty()) =>
                    {
                        *p = Part::Lit { text: value.to_string() };
                    }
                    Part::Subst { script: s, .. } => script(s, name, value),
                    other => {
                        for w in other.inner_words_mut() {
                            word(w, name, value);
                        }
                    }
                }
            }
        }
        fn script(s: &mut Script, name: &str, value: &str) {
            for item in &mut s.items {
                for p in std::iter::once(&mut item.chain.first).chain(item.chain.rest.iter_mut().map(|(_, p)| p)) {
                    for c in &mut p.commands {
                        c.replace_var(name, value);
                    }
                }
            }
        }
        match self {
            Self::Simple(s) => {
                let Simple { action, assignments, redirects, argv, .. } = &mut **s;
                for w in action
                    .words_mut()
                    .into_iter()
                    .chain(assignments.iter_mut().map(|(_, w)| w))
                    .chain(redirects.iter_mut().map(|r| &mut r.target))
                    .chain(argv.iter_mut())
                {
                    word(w, name, value);
                }
            }
            Self::If { arms, otherwise, .. } => {
                for (c, b) in arms {
                    script(c, name, value);
                    script(b, name, value);
                }
                if let Some(o) = otherwise {
                    script(o, name, value);
                }
            }
            Self::For { items, body, .. } => {
                for w in items {
                    word(w, name, value);
                }
                script(body, name, value);
            }
            Self::While { cond, body, .. } => {
                script(cond, name, value);
                script(body, name, value);
            }
            Self::Group { body, redirects, .. } => {
                for r in redirects {
                    word(&mut r.target, name, value);
                }
                script(body, name, value);
            }
            Self::Case { word: w, arms, .. } => {
                word(w, name, value);
                for (_, b) in arms {
                    script(b, name, value);
                }
            }
            Self::Call(call) => {
                for w in &mut call.args {
                    word(w, name, value);
                }
                // A name the function declares `local` is another variable inside it, and its
                // positional parameters are its own.
                if !call.locals.iter().any(|l| l == name) && !is_positional(name) {
                    script(&mut call.body, name, value);
                }
            }
        }
    }
}

/// For each simple command inside `for` loops over literal words, the loops around it, innermost
/// last: `(variable, its values)`. Only loops whose variable nothing in the body assigns.
pub type LoopValues = std::collections::HashMap<(usize, usize), Vec<(String, Vec<String>)>>;

impl Script {
    #[must_use]
    pub fn loop_values(&self) -> LoopValues {
        fn walk(s: &Script, stack: &mut Vec<(String, Vec<String>)>, out: &mut LoopValues) {
            for item in &s.items {
                for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                    for c in &p.commands {
                        command(c, stack, out);
                    }
                }
            }
        }
        fn command(c: &Command, stack: &mut Vec<(String, Vec<String>)>, out: &mut LoopValues) {
            match c {
                Command::Simple(s) => {
                    if !stack.is_empty() {
                        out.insert((s.span.start, s.span.end), stack.clone());
                    }
                    let words = s.action.words().into_iter().chain(s.assignments.iter().map(|(_, w)| w));
                    for w in words.chain(s.redirects.iter().map(|r| &r.target)) {
                        word_substs(w, &mut |script| walk(script, stack, out));
                    }
                }
                Command::For { var, items, body, .. } => {
                    // A literal value, or the paths a glob gives (a hole that takes them).
                    let values: Option<Vec<String>> = items
                        .iter()
                        .map(|w| match w.parts.as_slice() {
                            [Part::Subst { glob: true, text, .. }] => Some(format!("{{glob `{text}`}}")),
                            _ => w.literal(),
                        })
                        .collect();
                    let mut assigned = false;
                    body.visit_simple(&mut |s| {
                        assigned |= s.assignments.iter().any(|(n, _)| n == var)
                            || matches!(&s.action, Action::Builtin(b) if SETS_VARIABLES.contains(&b.name.as_str())
                                && (b.name != "printf" || b.args.first().and_then(Word::literal).is_some_and(|a| a.starts_with("-v"))));
                    });
                    body.visit_commands(&mut |c| assigned |= matches!(c, Command::For { var: v, .. } if v == var));
                    assigned |= body.arith_assigned().contains(var);
                    match values {
                        Some(values) if !assigned => {
                            stack.push((var.clone(), values));
                            walk(body, stack, out);
                            stack.pop();
                        }
                        _ => walk(body, stack, out),
                    }
                }
                Command::If { arms, otherwise, .. } => {
                    for (a, b) in arms {
                        walk(a, stack, out);
                        walk(b, stack, out);
                    }
                    if let Some(o) = otherwise {
                        walk(o, stack, out);
                    }
                }
                Command::While { cond, body, .. } => {
                    walk(cond, stack, out);
                    walk(body, stack, out);
                }
                Command::Group { body, .. } => walk(body, stack, out),
                Command::Case { arms, .. } => {
                    for (_, b) in arms {
                        walk(b, stack, out);
                    }
                }
                Command::Call(call) => {
                    for w in &call.args {
                        word_substs(w, &mut |script| walk(script, stack, out));
                    }
                    // The loop's variable may be a `local` of the function, or assigned in it.
                    let mut assigned = call.body.arith_assigned();
                    call.body.visit_simple(&mut |s| {
                        assigned.extend(s.assignments.iter().map(|(n, _)| n.clone()));
                        if matches!(&s.action, Action::Builtin(b) if SETS_VARIABLES.contains(&b.name.as_str())) {
                            assigned.push(String::from("\u{0}any"));
                        }
                    });
                    let kept: Vec<(String, Vec<String>)> = stack
                        .iter()
                        .filter(|(v, _)| {
                            !call.locals.contains(v) && !assigned.iter().any(|a| a == v || a == "\u{0}any")
                        })
                        .cloned()
                        .collect();
                    let mut inner = kept;
                    walk(&call.body, &mut inner, out);
                }
            }
        }
        let mut out = LoopValues::new();
        walk(self, &mut Vec::new(), &mut out);
        out
    }
}

impl Script {
    /// Every command in it, outer before inner, including those inside the substitutions of
    /// any of its words (arguments, prefixes, redirections, `for` lists, `case` words, defaults).
    pub fn every_command<'a>(&'a self, f: &mut dyn FnMut(&'a Command)) {
        fn word<'a>(w: &'a Word, f: &mut dyn FnMut(&'a Command)) {
            for p in &w.parts {
                if let Part::Subst { script, .. } = p {
                    script.every_command(f);
                }
                for w in p.inner_words() {
                    word(w, f);
                }
            }
        }
        self.visit_commands(&mut |c| {
            f(c);
            for w in c.own_words() {
                word(w, f);
            }
        });
    }

    /// Every variable the arithmetic anywhere in it assigns (`((i++))`, `$((n += 2))`), those in
    /// substitutions included.
    #[must_use]
    pub fn arith_assigned(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.every_command(&mut |c| {
            for w in c.own_words() {
                w.arith_assigned(&mut out);
            }
        });
        out
    }
}

impl Script {
    /// Every pipeline in it, outer before inner: in bodies, conditions and the substitutions of
    /// every word.
    pub fn visit_pipelines(&self, f: &mut dyn FnMut(&Pipeline)) {
        fn word(w: &Word, f: &mut dyn FnMut(&Pipeline)) {
            for p in &w.parts {
                if let Part::Subst { script, .. } = p {
                    script.visit_pipelines(f);
                }
                for w in p.inner_words() {
                    word(w, f);
                }
            }
        }
        for item in &self.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                f(p);
                for c in &p.commands {
                    for w in c.own_words() {
                        word(w, f);
                    }
                    for body in c.bodies() {
                        body.visit_pipelines(f);
                    }
                }
            }
        }
    }
}

impl Command {
    /// The scripts a compound command holds, in source order: an `if`'s conditions and
    /// branches, a loop's condition and body, a group's body, a `case`'s arms.
    #[must_use]
    pub fn bodies(&self) -> Vec<&Script> {
        match self {
            Command::Simple(_) => Vec::new(),
            Command::If { arms, otherwise, .. } => {
                arms.iter().flat_map(|(c, b)| [c, b]).chain(otherwise.as_ref()).collect()
            }
            Command::For { body, .. } | Command::Group { body, .. } => vec![body],
            Command::While { cond, body, .. } => vec![cond, body],
            Command::Case { arms, .. } => arms.iter().map(|(_, b)| b).collect(),
            Command::Call(call) => vec![&call.body],
        }
    }

    /// The words a command holds itself (not those of the commands in its bodies): a simple
    /// command's request, argv, prefixes and redirections, a loop's list, a `case` word and its
    /// patterns, a group's redirections.
    #[must_use]
    pub fn own_words(&self) -> Vec<&Word> {
        match self {
            Command::Simple(s) => s
                .action
                .words()
                .into_iter()
                .chain(s.argv.iter())
                .chain(s.assignments.iter().map(|(_, w)| w))
                .chain(s.redirects.iter().map(|r| &r.target))
                .collect(),
            Command::For { items, .. } => items.iter().collect(),
            Command::Case { word, arms, .. } => {
                std::iter::once(word).chain(arms.iter().flat_map(|(ps, _)| ps)).collect()
            }
            Command::Group { redirects, .. } => redirects.iter().map(|r| &r.target).collect(),
            Command::Call(call) => call.args.iter().collect(),
            Command::If { .. } | Command::While { .. } => Vec::new(),
        }
    }
}

//! brush-parser AST → `Script`. Every node gets a Markdown span; anything that cannot be typed
//! is a diagnostic, never silently dropped.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use brush_parser::ast;
use brush_parser::word::{self, Parameter, ParameterExpr, SpecialParameter, WordPiece, WordPieceWithSource};
use brush_parser::{ParseError, Parser, ParserOptions, SourcePosition};

use super::placeholder::{self, CLOSE, OPEN};
use super::{
    Arith, ArithOp, Chain, Command, Connector, Item, Part, Pipeline, Redirect, RedirectOp, ReplaceMode, Script, Simple,
    VarOp, Word,
};
use crate::action;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::markdown::MappedText;
use crate::source::Span;
use playbook_capability::fs::{FsOp, FsRequest, FsTool};

/// Largest block the shell parser is given; beyond it the block is rejected with a diagnostic.
const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// Deepest nesting of `(`, `{`, `$(` and of `if`/`for`/`while`/`case` accepted. The shell parser
/// recurses (and re-parses substitutions) per level, so deeper input could exhaust the stack or
/// take exponential time; no runbook comes near this.
const MAX_NESTING: usize = 12;

/// The deepest nesting in shell text, found by a linear scan (quotes skipped, keywords counted).
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max, mut keywords, mut max_kw) = (0usize, 0usize, 0usize, 0usize);
    let mut in_single = false;
    let mut word = String::new();
    let end_word = |word: &mut String, keywords: &mut usize, max_kw: &mut usize| {
        match word.as_str() {
            "if" | "for" | "while" | "until" | "case" => {
                *keywords += 1;
                *max_kw = (*max_kw).max(*keywords);
            }
            "fi" | "done" | "esac" => *keywords = keywords.saturating_sub(1),
            _ => {}
        }
        word.clear();
    };
    for c in text.chars() {
        if in_single {
            in_single = c != '\'';
            continue;
        }
        match c {
            '\'' => in_single = true,
            '(' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            end_word(&mut word, &mut keywords, &mut max_kw);
        }
    }
    end_word(&mut word, &mut keywords, &mut max_kw);
    max.max(max_kw)
}

/// Text handed to the parser, and where it sits in the block's code.
#[derive(Clone)]
struct Frame {
    text: String,
    base: usize,
    /// Byte offset of each character (brush positions count characters), plus the end.
    char_bytes: Vec<usize>,
}

impl Frame {
    fn new(text: String, base: usize) -> Self {
        let mut char_bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        char_bytes.push(text.len());
        Self { text, base, char_bytes }
    }

    fn offset(&self, pos: &SourcePosition) -> usize {
        self.base + self.char_bytes.get(pos.index).copied().unwrap_or(self.text.len())
    }
}

/// Lowers one block of shell code into a script.
pub struct Lowerer<'a> {
    code: &'a MappedText,
    pub diags: &'a mut Diagnostics,
    opts: ParserOptions,
    /// Working text with placeholders marked.
    marked: String,
    failed: bool,
    /// Above zero while lowering commands whose standard input is a file or a pipe the shell
    /// reads (`while read …; done < FILE`, `… | while read`): a `read` there reads it.
    pub fed: u32,
    /// The functions defined so far in the block, by name: their text and their body.
    functions: std::collections::HashMap<String, (Frame, ast::FunctionBody)>,
    /// The functions other blocks define: a call of one here is refused (each block is
    /// compiled on its own).
    pub foreign: std::collections::HashSet<String>,
    /// The functions whose bodies are being lowered (a call of one of them is recursion).
    pub calls: Vec<String>,
    /// Positional parameters (`$1`, `"$@"`, `$#`) have a meaning here: in a function's body,
    /// or after `set --`.
    positional: bool,
    /// Above zero inside a compound command or a substitution: no function is defined there.
    nest: u32,
    /// `set -u` came before, in the block.
    nounset: bool,
    /// The names assigned arrays so far in the block (`NAME=(…)`).
    arrays: std::collections::HashSet<String>,
    /// The names last assigned a literal holding a glob character (`pat='*.log'`): unquoted,
    /// bash would expand them as patterns.
    glob_vars: std::collections::HashMap<String, String>,
    /// Above zero inside a subshell of bash's: `( … )`, `$(…)`, an element of a pipeline.
    subshell: u32,
    /// The literal arguments of the call whose body is being lowered, when it never shifts
    /// them: `$1`, `$#` and `"$@"` stand in its words as written.
    args: Option<Vec<String>>,
}

impl<'a> Lowerer<'a> {
    pub fn new(code: &'a MappedText, diags: &'a mut Diagnostics) -> Self {
        let (marked, _) = placeholder::mark(&code.text);
        Self {
            code,
            diags,
            opts: ParserOptions::default(),
            marked,
            failed: false,
            fed: 0,
            functions: std::collections::HashMap::new(),
            foreign: std::collections::HashSet::new(),
            calls: Vec::new(),
            positional: false,
            nest: 0,
            nounset: false,
            arrays: std::collections::HashSet::new(),
            glob_vars: std::collections::HashMap::new(),
            subshell: 0,
            args: None,
        }
    }

    /// The names of the functions the block defines.
    #[must_use]
    pub fn defined(&self) -> Vec<String> {
        self.functions.keys().cloned().collect()
    }

    /// Whether `name` is a function the block defined, or an array it assigned.
    #[must_use]
    pub fn function_or_array(&self, name: &str) -> bool {
        self.functions.contains_key(name) || self.arrays.contains(name)
    }

    /// Whether positional parameters have a meaning where the lowering stands.
    #[must_use]
    pub fn positional(&self) -> bool {
        self.positional
    }

    /// Markdown span of a byte range of the block's code.
    #[must_use]
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.code.source_span(start, end.max(start))
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.failed = true;
        self.diags.push(d);
    }

    /// Lowers a range of the block (the whole block, or one `# OPTION` segment).
    /// Returns `None` when any part of it could not be typed (diagnostics say why).
    pub fn lower_range(&mut self, start: usize, end: usize) -> Option<Script> {
        self.failed = false;
        if end - start > MAX_BLOCK_BYTES {
            let span = self.span(start, start + 1);
            self.error(
                Diagnostic::error(
                    Kind::TooLarge,
                    span,
                    format!(
                        "this block is {} bytes; blocks larger than {MAX_BLOCK_BYTES} bytes are not compiled",
                        end - start
                    ),
                )
                .with_label("block starts here")
                .with_help("split it into smaller blocks under their own headings"),
            );
            return None;
        }
        let text = self.marked[start..end].to_string();
        let depth = nesting_depth(&text);
        if depth > MAX_NESTING {
            let span = self.span(start, start + 1);
            self.error(
                Diagnostic::error(Kind::Unsupported, span, format!("this block nests {depth} levels deep; at most {MAX_NESTING} levels of `( )`, `{{ }}`, `$( )` and `if`/`for`/`while` are compiled"))
                    .with_label("block starts here")
                    .with_help("flatten it: assign inner results to variables first"),
            );
            return None;
        }
        let script = self.parse_script(&Frame::new(text, start));
        if self.failed { None } else { script }
    }

    fn parse_script(&mut self, frame: &Frame) -> Option<Script> {
        let opts = self.opts.clone();
        let parsed =
            catch_unwind(AssertUnwindSafe(|| Parser::new(Cursor::new(frame.text.as_bytes()), &opts).parse_program()));
        match parsed {
            Ok(Ok(program)) => {
                let mut script = Script::default();
                for list in &program.complete_commands {
                    self.lower_list_into(frame, list, &mut script);
                }
                Some(script)
            }
            Ok(Err(e)) => {
                let (at, what) = match &e {
                    ParseError::ParsingNear(pos) => (frame.offset(pos), e.to_string()),
                    ParseError::Tokenizing { inner, position } => (
                        position.as_ref().map_or(frame.base + frame.text.len(), |p| frame.offset(p)),
                        inner.to_string(),
                    ),
                    ParseError::ParsingAtEndOfInput => (frame.base + frame.text.len(), e.to_string()),
                };
                let at = at.min(self.code.text.len().saturating_sub(1));
                let span = self.span(at, at + 1);
                let what =
                    what.split(" at ").next().unwrap_or(&what).split(" (detected").next().unwrap_or(&what).to_string();
                self.error(
                    Diagnostic::error(Kind::ShellSyntax, span, format!("this block is not valid shell: {what}"))
                        .with_label(what)
                        .with_help("fix the quoting or syntax; a placeholder is written as <name>"),
                );
                None
            }
            Err(_) => {
                let span = self.span(frame.base, frame.base + 1);
                self.error(
                    Diagnostic::error(Kind::ShellSyntax, span, "the shell parser failed on this block")
                        .with_label("block starts here"),
                );
                None
            }
        }
    }

    fn loc_span(&self, frame: &Frame, loc: Option<&brush_parser::SourceSpan>) -> Option<Span> {
        loc.map(|l| {
            let s = frame.offset(&l.start);
            let e = frame.offset(&l.end);
            self.span(s, e)
        })
    }

    fn lower_list_into(&mut self, frame: &Frame, list: &ast::CompoundList, out: &mut Script) {
        for ast::CompoundListItem(and_or, sep) in &list.0 {
            let first = self.lower_pipeline(frame, &and_or.first);
            let rest = and_or
                .additional
                .iter()
                .map(|a| match a {
                    ast::AndOr::And(p) => (Connector::And, self.lower_pipeline(frame, p)),
                    ast::AndOr::Or(p) => (Connector::Or, self.lower_pipeline(frame, p)),
                })
                .collect::<Vec<_>>();
            let span = rest.last().map_or(first.span, |(_, p)| first.span.to(p.span));
            let background = matches!(sep, ast::SeparatorOperator::Async);
            // `cmd &` runs in the background for one program, `docker` or `kubectl` command,
            // as bash's job does. Anything else (a group, a loop, `a && b`, a builtin, a
            // typed file or text request) would run in the foreground here, its output
            // before what follows it: refused rather than reordered.
            let one_job = rest.is_empty()
                && !first.negated
                && matches!(first.commands.as_slice(), [Command::Simple(s)]
                    if matches!(s.action, action::Action::Process(_) | action::Action::Docker(_) | action::Action::Kube(_))
                        || matches!(s.mode, action::Mode::Manual { .. }));
            if background && !one_job {
                self.unsupported(
                    span,
                    "`&` on a group, a chain, a builtin or a file/text command",
                    "run it in the foreground, or put `&` after one program, `docker` or `kubectl` command",
                );
            }
            out.items.push(Item { chain: Chain { first, rest }, background, span });
        }
    }

    fn lower_list(&mut self, frame: &Frame, list: &ast::CompoundList) -> Script {
        let mut s = Script::default();
        self.lower_list_into(frame, list, &mut s);
        s
    }

    fn lower_pipeline(&mut self, frame: &Frame, p: &ast::Pipeline) -> Pipeline {
        use brush_parser::ast::SourceLocation;
        let span = self.loc_span(frame, p.location().as_ref()).unwrap_or_else(|| self.span(frame.base, frame.base));
        let mut commands: Vec<Command> = Vec::new();
        let piped = u32::from(p.seq.len() > 1);
        self.subshell += piped;
        for (i, c) in p.seq.iter().enumerate() {
            if i > 0
                && let ast::Command::Simple(x) = c
                && x.word_or_name.as_ref().is_some_and(|w| w.value == "xargs")
            {
                let at = self.loc_span(frame, c.location().as_ref()).unwrap_or(span);
                let (start, end) = (p.seq[0].location(), p.seq[i - 1].location());
                let text = start.zip(end).map(|(s, e)| {
                    let (s, e) = (frame.offset(&s.start), frame.offset(&e.end));
                    self.marked.get(s..e).unwrap_or_default().replace(OPEN, "<").replace(CLOSE, ">")
                });
                let before = std::mem::take(&mut commands);
                if let Some(each) = self.lower_xargs(frame, x, at, before, text.unwrap_or_default(), span) {
                    commands.push(each);
                }
                continue;
            }
            // A command after a `|` reads the pipe: a `read` in it (`… | while read l`) reads
            // it, and nothing else in a compound command may read it too.
            self.fed += u32::from(i > 0);
            let lowered = self.lower_command(frame, c, span);
            self.fed -= u32::from(i > 0);
            if i > 0
                && (matches!(c, ast::Command::Compound(..)) || matches!(lowered, Some(Command::Call(_))))
                && let Some(l) = &lowered
                && self.refuse_stdin_readers(l, span).is_none()
            {
                continue;
            }
            // A substitution in the words of a command after `|` would read the pipe in bash;
            // it runs before the command, without it: refused.
            if i > 0
                && let Some(simple @ Command::Simple(_)) = &lowered
            {
                let mut found = None;
                for w in simple.own_words() {
                    crate::shell::word_scripts(w, &mut |script| found = found.or_else(|| stdin_reader(script, true)));
                }
                if let Some(at) = found {
                    self.unsupported(
                        at,
                        "a substitution that reads the pipe",
                        "bash would give it the pipe's input; run it before the pipeline: v=$(…); cmd | …",
                    );
                    continue;
                }
            }
            commands.extend(lowered);
        }
        // `kubectl exec -it … -- env | grep LOG`: the operator runs the whole pipeline by hand
        // and reads its result; playbook runs none of it (a `grep` of nothing would only fail).
        if commands.len() > 1
            && let Some(i) = commands
                .iter()
                .position(|c| matches!(c, Command::Simple(s) if matches!(s.mode, crate::action::Mode::Manual { .. })))
        {
            let mut manual = commands.swap_remove(i);
            if let Command::Simple(s) = &mut manual {
                s.span = span;
            }
            commands = vec![manual];
        }
        // Each command of a pipeline runs in a subshell of its own: what changes the shell
        // (variables, `cd`, `exit`, `set -e` ending a group) stays inside it.
        if commands.len() > 1 {
            for c in &mut commands {
                if !changes_shell(c) {
                    continue;
                }
                let at = c.span();
                let body = Script {
                    items: vec![Item {
                        chain: Chain {
                            first: Pipeline { negated: false, commands: vec![c.clone()], span: at },
                            rest: Vec::new(),
                        },
                        background: false,
                        span: at,
                    }],
                };
                if let Some(exit) = body.loop_exit() {
                    self.unsupported(
                        exit,
                        "`break`/`continue` in a pipeline",
                        "each command of a pipeline runs in a subshell, which cannot leave the loop around it",
                    );
                }
                *c = Command::Group { body, subshell: true, redirects: Vec::new(), span: at };
            }
        }
        self.subshell -= piped;
        Pipeline { negated: p.bang, commands, span }
    }

    /// `… | xargs [-r] [-n 1] [-I R] CMD ARGS…` → `for xargs_item in $(…); do CMD ARGS… "$xargs_item"; done`
    /// (with `-I R`, the item where `R` is written): the command runs once per item of its
    /// input, split into words, and not at all when there is none (as `-r`). What the manifest
    /// grants is the per-item command, with the item as a hole.
    fn lower_xargs(
        &mut self,
        frame: &Frame,
        x: &ast::SimpleCommand,
        at: Span,
        before: Vec<Command>,
        text: String,
        span: Span,
    ) -> Option<Command> {
        const ITEM: &str = "xargs_item";
        let refuse = |lw: &mut Self, what: &str| {
            lw.error(
                Diagnostic::error(Kind::Unsupported, at, format!("`xargs` {what} is not supported"))
                    .with_label("`xargs`")
                    .with_help(
                        "use `… | xargs [-r] [-n 1] [-I {}] COMMAND ARGS`, or `for x in $(…); do COMMAND \"$x\"; done`",
                    ),
            );
            None
        };
        if x.prefix.is_some() {
            return refuse(self, "with assignments or redirections before it");
        }
        let mut words = Vec::new();
        for item in x.suffix.iter().flat_map(|p| p.0.iter()) {
            match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => words.extend(self.lower_words(frame, w, at)),
                _ => return refuse(self, "with redirections or assignments"),
            }
        }
        let mut replace: Option<String> = None;
        let mut one_each = false;
        let mut no_run_if_empty = false;
        let mut rest = words.into_iter().peekable();
        while let Some(w) = rest.peek() {
            let Some(flag) = w.literal().filter(|f| f.starts_with('-')) else { break };
            rest.next();
            let value = |rest: &mut std::iter::Peekable<std::vec::IntoIter<Word>>, attached: &str| {
                if attached.is_empty() { rest.next().and_then(|w| w.literal()) } else { Some(attached.to_string()) }
            };
            match flag.as_str() {
                "-r" | "--no-run-if-empty" => no_run_if_empty = true,
                "--" => break,
                "-i" | "--replace" => replace = Some("{}".into()),
                f if f.starts_with("--replace=") => replace = Some(f["--replace=".len()..].to_string()),
                f if f.starts_with("-I") => match value(&mut rest, &f[2..]) {
                    Some(r) if !r.is_empty() => replace = Some(r),
                    _ => return refuse(self, "`-I` without a replacement string"),
                },
                "-rn1" | "-r1" => {
                    no_run_if_empty = true;
                    one_each = true;
                }
                f if f.starts_with("-n")
                    || f.starts_with("-L")
                    || f.starts_with("--max-args")
                    || f.starts_with("--max-lines") =>
                {
                    let attached = f
                        .strip_prefix("--max-args")
                        .or_else(|| f.strip_prefix("--max-lines"))
                        .map_or(&f[2..], |a| a.trim_start_matches('='));
                    if value(&mut rest, attached).as_deref() != Some("1") {
                        return refuse(self, "with more than one item per command");
                    }
                    one_each = true;
                }
                f => return refuse(self, &format!("option `{f}`")),
            }
        }
        let mut argv: Vec<Word> = rest.collect();
        if argv.is_empty() {
            argv.push(Word::lit("echo", at));
        }
        // The items: the output of the commands before `xargs`, split into words.
        let input = Word {
            parts: vec![Part::Subst { script: Box::new(one_script(before, span)), text, quoted: false, glob: false }],
            span,
        };
        // Without `-n 1` or `-I`, xargs gives all the items to one command. playbook runs the
        // command once per item, which is the same only for a command that treats each operand
        // on its own and prints nothing about their number.
        let program = argv.first().and_then(Word::literal).unwrap_or_else(|| "echo".into());
        let words: Vec<String> =
            argv.iter().skip(1).filter_map(Word::literal).filter(|w| !w.starts_with('-')).collect();
        let verb = |i: usize| words.get(i).map_or("", String::as_str);
        let per_item = match program.as_str() {
            "docker" => {
                let v = if matches!(verb(0), "container" | "image") { verb(1) } else { verb(0) };
                matches!(v, "restart" | "stop" | "start" | "kill" | "rm" | "rmi" | "pause" | "unpause")
            }
            "kubectl" => verb(0) == "delete",
            p => XARGS_PER_ITEM.contains(&p),
        };
        if replace.is_none() && !one_each && !per_item {
            // A program (or `echo`) takes them all as its arguments, as xargs gives them.
            const BATCH: &str = "xargs_items";
            self.arrays.insert(BATCH.into());
            let mut all = argv;
            all.push(Word {
                parts: vec![Part::Var { name: format!("{BATCH}[@]"), quoted: true, default: None, op: None }],
                span: at,
            });
            let each = self.built(all, at);
            let takes_list = matches!(&each, Command::Simple(s) if match &s.action {
                action::Action::Process(_) => true,
                action::Action::Builtin(b) => matches!(b.name.as_str(), "echo" | "printf"),
                _ => false,
            });
            if !takes_list {
                return refuse(
                    self,
                    &format!("giving all its items to one `{program}` (playbook runs one typed request per item)"),
                );
            }
            return Some(Command::For {
                var: BATCH.into(),
                items: vec![input],
                body: one_script(vec![each], at),
                span: at,
                xargs: Some(super::Xargs { no_run_if_empty, batch: true, lines: false }),
            });
        }
        let item = |span: Span| Word {
            parts: vec![Part::Var { name: ITEM.into(), quoted: true, default: None, op: None }],
            span,
        };
        match &replace {
            None => argv.push(item(at)),
            Some(r) => {
                for w in argv.iter_mut().skip(1) {
                    let mut parts = Vec::new();
                    for p in std::mem::take(&mut w.parts) {
                        match p {
                            Part::Lit { text } if text.contains(r.as_str()) => {
                                let mut pieces = text.split(r.as_str()).peekable();
                                while let Some(piece) = pieces.next() {
                                    if !piece.is_empty() {
                                        parts.push(Part::Lit { text: piece.to_string() });
                                    }
                                    if pieces.peek().is_some() {
                                        parts.push(Part::Var {
                                            name: ITEM.into(),
                                            quoted: true,
                                            default: None,
                                            op: None,
                                        });
                                    }
                                }
                            }
                            p => parts.push(p),
                        }
                    }
                    w.parts = parts;
                }
            }
        }
        let each = self.built(argv, at);
        Some(Command::For {
            var: ITEM.into(),
            items: vec![input],
            body: one_script(vec![each], at),
            span: at,
            // (`-I` runs nothing without an input line, as if `-r`.)
            xargs: Some(super::Xargs {
                no_run_if_empty: no_run_if_empty || replace.is_some(),
                batch: false,
                lines: replace.is_some(),
            }),
        })
    }

    fn unsupported(&mut self, span: Span, what: &str, help: &str) {
        self.error(
            Diagnostic::error(Kind::Unsupported, span, format!("{what} is not supported in a runbook block"))
                .with_label(what.to_string())
                .with_help(help.to_string()),
        );
    }

    fn lower_command(&mut self, frame: &Frame, c: &ast::Command, outer: Span) -> Option<Command> {
        use brush_parser::ast::SourceLocation;
        let span = self.loc_span(frame, c.location().as_ref()).unwrap_or(outer);
        match c {
            ast::Command::Simple(s)
                if s.word_or_name.as_ref().is_some_and(|w| w.value == "let") && s.prefix.is_none() =>
            {
                self.lower_let(frame, s, span)
            }
            ast::Command::Simple(s)
                if s.word_or_name.as_ref().is_some_and(|w| self.functions.contains_key(&w.value)) =>
            {
                self.lower_call(frame, s, span)
            }
            ast::Command::Simple(s) if s.word_or_name.as_ref().is_some_and(|w| self.foreign.contains(&w.value)) => {
                self.unsupported(
                    span,
                    "a call of a function another block defines",
                    "define the function in the block that calls it (each block is compiled on its own)",
                );
                None
            }
            ast::Command::Simple(s) => Some(Command::Simple(Box::new(self.lower_simple(frame, s, span)))),
            ast::Command::Compound(cc, redirects) => {
                self.nest += 1;
                let lowered = self.lower_compound(frame, cc, redirects.as_ref(), span);
                self.nest -= 1;
                lowered
            }
            ast::Command::Function(f) => self.define(frame, f, span),
            // `[[ … ]]`: tests (`test`), patterns (a `case`), `&&`, `||`, `!` and parentheses,
            // as one command whose status is the expression's.
            ast::Command::ExtendedTest(e, redirects) => {
                if redirects.is_some() {
                    self.unsupported(span, "a redirection of `[[ … ]]`", "`[[ … ]]` prints nothing; drop it");
                    return None;
                }
                let chain = Chain { first: self.lower_ext(frame, &e.expr, span)?, rest: Vec::new() };
                let body = Script { items: vec![Item { chain, background: false, span }] };
                Some(Command::Group { body, subshell: true, redirects: Vec::new(), span })
            }
        }
    }

    /// `if`, loops, groups, subshells, `case`, `(( ))`, `for ((…))`, with their redirections.
    fn lower_compound(
        &mut self,
        frame: &Frame,
        cc: &ast::CompoundCommand,
        redirects: Option<&ast::RedirectList>,
        span: Span,
    ) -> Option<Command> {
        let redirects: Vec<Redirect> = redirects
            .as_ref()
            .map(|r| r.0.iter().filter_map(|r| self.lower_redirect(frame, r, span)).collect())
            .unwrap_or_default();
        // Input into a compound command (`while read …; done < FILE`, `{ …; } <<EOF`) is
        // what its `read` commands read; any other command in it that would read it too
        // is refused below.
        let fed = redirects.iter().any(Redirect::is_input);
        if redirects.iter().filter(|r| r.fd.is_none_or(|fd| fd == 0) && r.is_input()).count() > 1 {
            self.unsupported(span, "two inputs for one command", "keep one `<` redirection");
            return None;
        }
        self.fed += u32::from(fed);
        // `for …; done > FILE`: its output redirections apply to the whole of it, as a
        // group's do.
        let wrap = |c: Option<Command>, redirects: Vec<Redirect>| match c {
            Some(c) if !redirects.is_empty() && !matches!(c, Command::Group { .. }) => {
                let item = Item {
                    chain: Chain { first: Pipeline { negated: false, commands: vec![c], span }, rest: Vec::new() },
                    background: false,
                    span,
                };
                Some(Command::Group { body: Script { items: vec![item] }, subshell: false, redirects, span })
            }
            c => c,
        };
        self.check_redirect_order(&redirects);
        if self.refuse_merge(&redirects, "a compound command") {
            return None;
        }
        let group_redirects = redirects.clone();
        let lowered = match cc {
            ast::CompoundCommand::ForClause(f) => {
                let items: Vec<Word> = if let Some(ws) = &f.values {
                    ws.iter().flat_map(|w| self.lower_words(frame, w, span)).collect()
                } else if let Some(args) = &self.args {
                    // `for a; do`: the positional parameters (here the call's literal arguments).
                    args.iter().map(|a| Word::lit(a, span)).collect()
                } else if self.positional {
                    vec![Word {
                        parts: vec![Part::Var { name: "@".into(), quoted: true, default: None, op: None }],
                        span,
                    }]
                } else {
                    self.unsupported(span, "`for` without `in`", "list the values: for x in a b c");
                    Vec::new()
                };
                self.check_glob_vars(&items);
                // `for f in logs/*.log`: the paths, found when the loop starts.
                let mut items = items;
                for w in &mut items {
                    if w.has_glob() {
                        *w = self.glob_word(w)?;
                    }
                }
                let body = self.lower_list(frame, &f.body.list);
                Some(Command::For { var: f.variable_name.clone(), items, body, span, xargs: None })
            }
            ast::CompoundCommand::IfClause(i) => {
                let mut arms = vec![(self.lower_list(frame, &i.condition), self.lower_list(frame, &i.then))];
                let mut otherwise = None;
                for e in i.elses.iter().flatten() {
                    let body = self.lower_list(frame, &e.body);
                    match &e.condition {
                        Some(c) => arms.push((self.lower_list(frame, c), body)),
                        None => otherwise = Some(body),
                    }
                }
                Some(Command::If { arms, otherwise, span })
            }
            ast::CompoundCommand::WhileClause(w) | ast::CompoundCommand::UntilClause(w) => {
                let cond = self.lower_list(frame, &w.0);
                // A loop on `read` from the terminal would ask the operator for every
                // line: refused, not turned into endless manual steps.
                let mut asks = false;
                cond.visit_simple(&mut |s| asks |= matches!(s.mode, crate::action::Mode::Manual { .. }));
                if asks {
                    self.unsupported(
                        span,
                        "a `while read` loop on the terminal",
                        "give the loop its input: `done < FILE`, `cmd | while read -r …`, or `done <<< \"$VAR\"`",
                    );
                    return None;
                }
                Some(Command::While {
                    cond,
                    body: self.lower_list(frame, &w.1.list),
                    until: matches!(cc, ast::CompoundCommand::UntilClause(_)),
                    span,
                })
            }
            ast::CompoundCommand::BraceGroup(b) => {
                Some(Command::Group { body: self.lower_list(frame, &b.list), subshell: false, redirects, span })
            }
            ast::CompoundCommand::Subshell(b) => {
                self.subshell += 1;
                let body = self.lower_list(frame, &b.list);
                self.subshell -= 1;
                if let Some(at) = body.loop_exit() {
                    self.unsupported(
                        at,
                        "`break`/`continue` inside `( … )`",
                        "a subshell cannot leave the loop around it; move it out of the parentheses",
                    );
                    return None;
                }
                Some(Command::Group { body, subshell: true, redirects, span })
            }
            ast::CompoundCommand::CaseClause(c) => {
                let word = self.lower_word(frame, &c.value, span);
                let mut arms = Vec::new();
                for item in &c.cases {
                    if !matches!(item.post_action, ast::CaseItemPostAction::ExitCase) {
                        let at = self.loc_span(frame, ast::SourceLocation::location(item).as_ref()).unwrap_or(span);
                        self.unsupported(
                            at,
                            "`;&` and `;;&` in a `case`",
                            "end each arm with `;;` and repeat the commands where both apply",
                        );
                        return None;
                    }
                    let patterns: Vec<Word> = item.patterns.iter().map(|p| self.lower_word(frame, p, span)).collect();
                    if std::iter::once(&word).chain(&patterns).any(|w| w.parts.iter().any(|p| matches!(p, Part::Home)))
                    {
                        self.unsupported(span, "`~` in a `case`", "write \"$HOME\" instead");
                        return None;
                    }
                    if patterns
                        .iter()
                        .any(|w| w.parts.iter().any(|p| matches!(p, Part::Glob { text } if text.contains("[:"))))
                    {
                        self.unsupported(
                            span,
                            "a character class (`[[:alpha:]]`) in a pattern",
                            "list the characters: [a-zA-Z], [0-9]",
                        );
                        return None;
                    }
                    let body = item.cmd.as_ref().map(|l| self.lower_list(frame, l)).unwrap_or_default();
                    arms.push((patterns, body));
                }
                Some(Command::Case { word, arms, span })
            }
            // `(( e ))`: status 0 when `e` is not zero.
            ast::CompoundCommand::Arithmetic(a) => {
                // The text as written between the parentheses (bash shows its trailing
                // blanks in its messages).
                let raw = frame
                    .text
                    .get(
                        frame.offset(&a.loc.start).saturating_sub(frame.base)
                            ..frame.offset(&a.loc.end).saturating_sub(frame.base),
                    )
                    .and_then(|t| t.trim().strip_prefix("((")?.strip_suffix("))"))
                    .filter(|t| t.trim() == a.expr.value.trim())
                    .unwrap_or(&a.expr.value)
                    .to_string();
                self.arith_command(frame, &raw, span)
            }
            // `for ((init; cond; step)); do …; done`: `init`, then a `while (( cond ))`
            // whose body ends with `step`.
            ast::CompoundCommand::ArithmeticForClause(f) => {
                // `init && while ((cond)); do body; step; done`: `((init`, `((cond` and
                // `((step` are arithmetic whose error ends the loop with status 1 (as
                // bash's does), which `set -e` does not look at, and the step leaves the
                // status of the body's last command.
                let mut part = |e: Option<&ast::UnexpandedArithmeticExpr>, name: &str, empty: &str| {
                    let text = e.map_or(empty, |e| e.value.as_str());
                    let text = if text.trim().is_empty() { empty } else { text };
                    self.arith_builtin(frame, name, text, span)
                };
                let init = f.initializer.as_ref().map(|e| part(Some(e), "((init", "0"));
                let cond = part(f.condition.as_ref(), "((cond", "1");
                let step = part(f.updater.as_ref(), "((step", "0");
                let mut body = self.lower_list(frame, &f.body.list);
                let mut far_continue = None;
                body.visit_simple(&mut |s| {
                    if let crate::action::Action::Builtin(b) = &s.action
                        && b.name == "continue"
                        && !b.args.is_empty()
                    {
                        far_continue = far_continue.or(Some(s.span));
                    }
                });
                if let Some(at) = body.loop_exit_by("continue").or(far_continue) {
                    self.unsupported(
                        at,
                        "`continue` in a `for ((…))` loop",
                        "use `if … then …; fi` around the rest of the body, or a `while` loop",
                    );
                    return None;
                }
                let (cond, step) = (cond?, step?);
                let pipe = |c: Command| Pipeline { negated: false, commands: vec![c], span };
                let one =
                    |c: Command| Item { chain: Chain { first: pipe(c), rest: Vec::new() }, background: false, span };
                body.items.push(one(step));
                let looped = Command::While { cond: Script { items: vec![one(cond)] }, body, until: false, span };
                let item = match init {
                    Some(init) => Item {
                        chain: Chain { first: pipe(init?), rest: vec![(Connector::And, pipe(looped))] },
                        background: false,
                        span,
                    },
                    None => one(looped),
                };
                let body = Script { items: vec![item] };
                Some(Command::Group { body, subshell: false, redirects: redirects.clone(), span })
            }
            ast::CompoundCommand::Coprocess(_) => {
                self.unsupported(span, "`coproc`", "run the command in the background with `&`");
                None
            }
        };
        self.fed -= u32::from(fed);
        if fed && let Some(c) = &lowered {
            self.refuse_stdin_readers(c, span)?;
        }
        wrap(lowered, group_redirects)
    }

    /// `NAME() { …; }` / `function NAME { …; }`: the body is kept and lowered where it is
    /// called (`lower_call`). The definition itself succeeds, as bash's does.
    fn define(&mut self, frame: &Frame, f: &ast::FunctionDefinition, span: Span) -> Option<Command> {
        let name = f.fname.value.clone();
        if self.nest > 0 || !self.calls.is_empty() {
            self.unsupported(
                span,
                "a function defined inside another command",
                "define it at the top of the block, outside any `if`, loop, group or function",
            );
            return None;
        }
        if f.body.1.is_some() {
            self.unsupported(
                span,
                "a redirection of a function's definition",
                "redirect where it is called: NAME > FILE, or inside the body",
            );
            return None;
        }
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !valid || action::builtin::is_builtin(&name) || matches!(name.as_str(), "sudo" | "command" | "time") {
            self.unsupported(
                span,
                "a function with this name",
                "name it with letters, digits, `_` and `-`, and not as a shell builtin",
            );
            return None;
        }
        self.functions.insert(name, (frame.clone(), f.body.clone()));
        Some(self.built(vec![Word::lit("true", span)], span))
    }

    /// `NAME ARGS…` of a function the block defined: its body, lowered here with the arguments
    /// as its positional parameters. Literal arguments stand in the body as written, so the
    /// manifest names what each call does.
    fn lower_call(&mut self, frame: &Frame, s: &ast::SimpleCommand, span: Span) -> Option<Command> {
        let name = s.word_or_name.as_ref()?.value.clone();
        if s.prefix.is_some() {
            self.unsupported(span, "an assignment before a function call", "assign the variable on its own line first");
            return None;
        }
        if self.calls.contains(&name) {
            self.unsupported(
                span,
                "a function that calls itself",
                "write the repetition as a loop: for x in …; do …; done",
            );
            return None;
        }
        let mut parts = SimpleParts::default();
        for item in s.suffix.iter().flat_map(|p| p.0.iter()) {
            self.lower_item(frame, item, false, span, &mut parts);
        }
        let SimpleParts { argv: args, redirects, .. } = parts;
        if let Some(w) = args.iter().find(|w| w.has_glob()) {
            self.unsupported(
                w.span,
                "a glob in a function call's arguments",
                "loop over the paths and call the function for each: for f in logs/*.log; do NAME \"$f\"; done",
            );
            return None;
        }
        if redirects.iter().any(Redirect::is_input) {
            self.unsupported(
                span,
                "input redirected into a function call (`f < FILE`, `f <<EOF`)",
                "give the function the file's name as an argument and redirect inside: f FILE, with `… < \"$1\"` in its body",
            );
            return None;
        }
        self.check_redirect_order(&redirects);
        if self.refuse_merge(&redirects, "a function call") {
            return None;
        }
        let (def, body) = self.functions.get(&name).cloned()?;
        // `f web 3`: `$1` is `web` and `$#` is 2 in the body, unless it may shift them.
        let text = ast::SourceLocation::location(&body)
            .and_then(|l| def.text.get(def.offset(&l.start) - def.base..def.offset(&l.end) - def.base))
            .unwrap_or("shift");
        let may_shift =
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| matches!(w, "shift" | "set"));
        let literal: Option<Vec<String>> = args.iter().map(Word::literal).collect::<Option<_>>().filter(|_| !may_shift);
        self.calls.push(name.clone());
        let positional = std::mem::replace(&mut self.positional, true);
        let outer_args = std::mem::replace(&mut self.args, literal);
        let lowered = self.lower_compound(&def, &body.0, None, span);
        self.args = outer_args;
        self.positional = positional;
        self.calls.pop();
        let lowered = lowered?;
        let at = lowered.span();
        let body = Script {
            items: vec![Item {
                chain: Chain {
                    first: Pipeline { negated: false, commands: vec![lowered], span: at },
                    rest: Vec::new(),
                },
                background: false,
                span: at,
            }],
        };
        if let Some(exit) = body.loop_exit() {
            self.unsupported(
                exit,
                "`break`/`continue` that leaves a function",
                "end the function with `return N` and test its status in the loop",
            );
            return None;
        }
        if let Some(at) = stray_return(&body) {
            self.unsupported(
                at,
                "`return` inside a subshell, a pipeline, `$(…)` or a redirected group",
                "return from the function's own commands; set a variable in the inner command and test it after",
            );
            return None;
        }
        let mut locals = Vec::new();
        own_locals(&body, &mut locals);
        // A local array (`local l=(a b)`, `local rows; mapfile -t rows …`): playbook's
        // `local` saves and restores plain values only.
        let mut arrays_here: Vec<String> = Vec::new();
        own_simple(&body, &mut |s| {
            if let action::Action::Builtin(b) = &s.action {
                match b.name.as_str() {
                    "=(" | "+=(" => arrays_here.extend(b.args.first().and_then(Word::literal)),
                    "mapfile" | "readarray" => arrays_here.push(
                        b.args
                            .iter()
                            .filter_map(Word::literal)
                            .rfind(|a| a != "-t")
                            .unwrap_or_else(|| "MAPFILE".into()),
                    ),
                    "local" if b.args.iter().any(|a| a.literal_prefix().contains("=(")) => {
                        arrays_here.extend(
                            b.args.iter().map(|a| a.literal_prefix().split('=').next().unwrap_or("").to_string()),
                        );
                    }
                    _ => {}
                }
            }
        });
        if let Some(n) = locals.iter().find(|n| arrays_here.contains(n) || self.arrays.contains(*n)) {
            self.unsupported(
                span,
                &format!("the array `{n}` declared `local`"),
                "give the function's array its own name, used nowhere else",
            );
            return None;
        }
        let call = Command::Call(Box::new(super::Call { name, args, body, locals, span }));
        if redirects.is_empty() {
            return Some(call);
        }
        let item = Item {
            chain: Chain { first: Pipeline { negated: false, commands: vec![call], span }, rest: Vec::new() },
            background: false,
            span,
        };
        Some(Command::Group { body: Script { items: vec![item] }, subshell: false, redirects, span })
    }

    /// In a command fed the shell's input (`while read …; done < FILE`), any command other than
    /// `read` that would read that input too — bash gives it the rest of the file — is refused:
    /// filters without files, programs (`ssh` is the classic), `-i`/`-` requests.
    fn refuse_stdin_readers(&mut self, c: &Command, span: Span) -> Option<()> {
        let script = Script {
            items: vec![Item {
                chain: Chain { first: Pipeline { negated: false, commands: vec![c.clone()], span }, rest: Vec::new() },
                background: false,
                span,
            }],
        };
        let found = stdin_reader(&script, false);
        if let Some(at) = found {
            self.unsupported(
                at,
                "a command that reads the loop's input",
                "bash would give it the rest of the input; give it its own: `cmd < /dev/null`, or `echo \"$line\" | cmd`",
            );
            return None;
        }
        Some(())
    }

    /// An unquoted glob (`logs/*.log`, `data/2024-03-1[12].csv`) as the host expands it when
    /// the command runs: the paths it matches, sorted, each one word, or the pattern itself when
    /// none does. Only a literal pattern with its wildcards in the last component is expanded;
    /// anything else is refused with the reason.
    pub fn glob_word(&mut self, w: &Word) -> Option<Word> {
        let mut pattern = String::new();
        let mut fine = true;
        let mut last_wild = None;
        for p in &w.parts {
            match p {
                Part::Glob { text } => {
                    for (i, c) in text.char_indices() {
                        if matches!(c, '*' | '?' | '[') {
                            last_wild = Some(pattern.len() + i);
                        }
                    }
                    pattern.push_str(text);
                }
                // A quoted `*` is a literal star, which a pattern cannot say here.
                Part::Lit { text } if !text.contains(['*', '?', '[', '\\']) => pattern.push_str(text),
                _ => fine = false,
            }
        }
        let first_wild = w
            .parts
            .iter()
            .scan(0usize, |at, p| {
                let here = *at;
                let text = match p {
                    Part::Glob { text } | Part::Lit { text } => text.as_str(),
                    _ => "",
                };
                *at += text.len();
                Some(matches!(p, Part::Glob { .. }).then(|| text.find(['*', '?', '[']).map(|i| here + i)).flatten())
            })
            .flatten()
            .next();
        let dir_end = pattern.rfind('/');
        if !fine || first_wild.zip(dir_end).is_some_and(|(f, d)| f < d) || last_wild.is_none() {
            self.unsupported(
                w.span,
                &format!("the glob `{}`", w.template()),
                "playbook expands a literal pattern whose wildcards are in its last part (logs/*.log); write the directory out, or loop over `$(ls DIR)`",
            );
            return None;
        }
        let lit = Word::lit(&pattern, w.span);
        let request = FsRequest::new(FsOp::Glob, FsTool::Glob, vec![lit.clone()]);
        let simple = Simple {
            span: w.span,
            assignments: Vec::new(),
            argv: vec![lit],
            redirects: Vec::new(),
            action: action::Action::Fs(request),
            mode: action::Mode::Run,
            privileged: false,
            secret: false,
        };
        let item = Item {
            chain: Chain {
                first: Pipeline { negated: false, commands: vec![Command::Simple(Box::new(simple))], span: w.span },
                rest: Vec::new(),
            },
            background: false,
            span: w.span,
        };
        let script = Script { items: vec![item] };
        Some(Word {
            parts: vec![Part::Subst { script: Box::new(script), text: pattern, quoted: false, glob: true }],
            span: w.span,
        })
    }

    /// `trap 'COMMANDS' EXIT`: the commands, parsed here, run when the run ends (after its last
    /// step, an `exit`, a `set -e` stop); `trap - EXIT` and `trap '' EXIT` take it back. Other
    /// signals, computed commands and traps inside a subshell are refused.
    fn lower_trap(&mut self, frame: &Frame, s: &ast::SimpleCommand, argv: &[Word], span: Span) -> Simple {
        let simple = |action| Simple {
            span,
            assignments: Vec::new(),
            argv: argv.to_vec(),
            redirects: Vec::new(),
            action,
            mode: action::Mode::Run,
            privileged: false,
            secret: false,
        };
        let mut args = &argv[1..];
        if args.first().and_then(Word::literal).as_deref() == Some("--") {
            args = &args[1..];
        }
        let help = "write trap 'COMMANDS' EXIT: they run when the run ends; playbook's runtime handles signals itself";
        let why = match args {
            [] | [_] => Some("`trap` without an action and a signal"),
            [_, signals @ ..]
                if !signals.iter().all(|w| matches!(w.literal().as_deref(), Some("EXIT" | "0" | "SIGEXIT"))) =>
            {
                Some("a trap on a signal other than EXIT")
            }
            [action, ..] if action.literal().is_none() => Some("a trap whose commands are computed"),
            _ if self.subshell > 0 => Some("a trap inside a subshell"),
            _ if !self.calls.is_empty() => Some("a trap set inside a function"),
            _ => None,
        };
        if let Some(why) = why {
            self.unsupported(span, why, help);
            return simple(action::Action::Invalid);
        }
        let action = &args[0];
        let text = action.literal().unwrap_or_default();
        // `trap cleanup EXIT` before `cleanup() { … }`: bash finds the function when the trap
        // runs; here the trap's commands are read where it is set.
        let called = text.split([';', '&', '|', '\n']).filter_map(|c| c.split_whitespace().next());
        for name in called {
            let defined_later = [format!("{name}()"), format!("{name} ()"), format!("function {name}")]
                .iter()
                .any(|d| self.code.text.contains(d.as_str()));
            if !self.functions.contains_key(name) && defined_later {
                self.unsupported(
                    span,
                    &format!("a trap calling `{name}`, defined after it"),
                    "define the function before the `trap` line",
                );
                return simple(action::Action::Invalid);
            }
        }
        let word = if text.trim().is_empty() || text == "-" {
            Word::lit(&text, action.span)
        } else {
            // The commands as written in the block (inside their quotes), so spans hold.
            let from = s.word_or_name.as_ref().and_then(|w| w.loc.as_ref()).map(|l| frame.offset(&l.start));
            let at = from.and_then(|f| self.marked.get(f..).and_then(|m| m.find(&text)).map(|i| f + i));
            let Some(base) = at else {
                self.unsupported(
                    span,
                    "a trap whose commands are not written out as they run",
                    "write the commands in single quotes: trap 'rm -f \"$tmp\"' EXIT",
                );
                return simple(action::Action::Invalid);
            };
            self.nest += 1;
            let script = self.parse_script(&Frame::new(text.clone(), base));
            self.nest -= 1;
            let Some(script) = script else { return simple(action::Action::Invalid) };
            Word {
                parts: vec![Part::Subst { script: Box::new(script), text, quoted: true, glob: false }],
                span: action.span,
            }
        };
        let trap = action::builtin::Builtin { name: "trap".into(), args: vec![word], seconds: None, stat: None };
        simple(action::Action::Builtin(trap))
    }

    /// `NAME=(a b c)` and `NAME+=(d)` as commands of their own: the builtin `=(` (or `+=(`)
    /// holding the name and the words, each one element (unquoted expansions split).
    fn lower_array(&mut self, arrays: &[(String, bool, Vec<Word>)], more: bool, span: Span) -> Simple {
        let simple = |action, argv| Simple {
            span,
            assignments: Vec::new(),
            argv,
            redirects: Vec::new(),
            action,
            mode: action::Mode::Run,
            privileged: false,
            secret: false,
        };
        let [(name, append, words)] = arrays else {
            self.unsupported(span, "several arrays assigned in one command", "assign one array per line");
            return simple(action::Action::Invalid, Vec::new());
        };
        if more {
            self.unsupported(span, "an array assigned before a command", "assign the array on its own line");
            return simple(action::Action::Invalid, Vec::new());
        }
        self.arrays.insert(name.clone());
        let mut args = vec![Word::lit(name, span)];
        args.extend(words.iter().cloned());
        let b = action::builtin::Builtin {
            name: if *append { "+=(" } else { "=(" }.to_string(),
            args: args.clone(),
            seconds: None,
            stat: None,
        };
        simple(action::Action::Builtin(b), args)
    }

    /// `(( text ))` as a command: the builtin `((` holding the expression.
    fn arith_command(&mut self, frame: &Frame, text: &str, span: Span) -> Option<Command> {
        self.arith_builtin(frame, "((", text, span)
    }

    /// `let EXPR…`: each argument an expression, as `(( EXPR, … ))`. An argument is taken as
    /// written, quoted or not; one that bash would glob or split is refused.
    fn lower_let(&mut self, frame: &Frame, s: &ast::SimpleCommand, span: Span) -> Option<Command> {
        let mut exprs: Vec<String> = Vec::new();
        for item in s.suffix.iter().flat_map(|p| p.0.iter()) {
            let raw = match item {
                ast::CommandPrefixOrSuffixItem::Word(w) | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                    w.value.as_str()
                }
                _ => {
                    self.unsupported(span, "a redirection of `let`", "`let` prints nothing; drop it");
                    return None;
                }
            };
            let text = if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                (!inner.contains('\'')).then_some(inner)
            } else if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                (!inner.contains(['"', '\\', '`'])).then_some(inner)
            } else {
                (!raw.contains(['*', '?', '[', '\'', '"', '\\', '`'])).then_some(raw)
            };
            let Some(text) = text else {
                self.unsupported(
                    span,
                    "this `let` argument",
                    "quote each expression whole: let 'n = n * 2', or write (( n = n * 2 ))",
                );
                return None;
            };
            exprs.push(text.to_string());
        }
        if exprs.is_empty() {
            self.unsupported(span, "`let` without an expression", "let 'n += 1'");
            return None;
        }
        self.arith_builtin(frame, "let", &exprs.join(", "), span)
    }

    fn arith_builtin(&mut self, frame: &Frame, name: &str, text: &str, span: Span) -> Option<Command> {
        let expr = self.arith(frame, text, frame.base, span)?;
        let shown = text.replace(OPEN, "<").replace(CLOSE, ">");
        let word = Word { parts: vec![Part::Arith { expr: Box::new(expr), text: shown }], span };
        let builtin =
            action::builtin::Builtin { name: name.into(), args: vec![word.clone()], seconds: None, stat: None };
        Some(Command::Simple(Box::new(Simple {
            span,
            assignments: Vec::new(),
            argv: vec![Word::lit(name, span), word],
            redirects: Vec::new(),
            action: action::Action::Builtin(builtin),
            mode: action::Mode::Run,
            privileged: false,
            secret: false,
        })))
    }

    /// Bash arithmetic: `$name` and `${name}` stand for their values (which must then be
    /// numbers); anything else that bash would expand first — substitutions, quotes,
    /// positional parameters — is refused, and so is what the parser cannot read.
    fn arith(&mut self, frame: &Frame, text: &str, at: usize, span: Span) -> Option<Arith> {
        let mut rewritten = String::with_capacity(text.len());
        let mut words: Vec<Word> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let c = rest.chars().next().unwrap_or(' ');
            if c != '$' {
                if matches!(c, '"' | '\'' | '`' | '\\' | OPEN | CLOSE | placeholder::FILL) {
                    self.unsupported(
                        span,
                        "quotes, backslashes or placeholders inside arithmetic",
                        "assign the value to a variable first: n=<count>; echo $((n + 1))",
                    );
                    return None;
                }
                rewritten.push(c);
                i += c.len_utf8();
                continue;
            }
            let after = &rest[1..];
            // An expansion joined to a name or number (`${v}1`, `$a$b`, `x$v`) makes one token
            // of their texts: not carried out.
            let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
            let glued = |rewritten: &str, next: Option<char>| {
                rewritten.chars().next_back().is_some_and(word_char) || next.is_some_and(|c| word_char(c) || c == '$')
            };
            let (name, used) = if let Some(inner) = after.strip_prefix('{') {
                let close = inner.find('}').unwrap_or(inner.len());
                (&inner[..close], close + 2)
            } else {
                let n = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..n], n)
            };
            // `$1`, `${10}`, `$#` in a function's body: positional parameters.
            let (name, used) = if self.positional && name.is_empty() && after.starts_with('#') {
                (COUNT, 1)
            } else if self.positional && !after.starts_with('{') && after.starts_with(|c: char| c.is_ascii_digit()) {
                (&after[..1], 1)
            } else {
                (name, used)
            };
            let positional = self.positional && name != "0" && (crate::shell::is_positional(name) || name == COUNT);
            let valid = positional
                || (name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if valid && glued(&rewritten, after[used..].chars().next()) {
                self.unsupported(
                    span,
                    "an expansion joined to other text inside arithmetic",
                    "bash would read the joined text as one number or name; put the value in a variable first",
                );
                return None;
            }
            if valid {
                rewritten.push_str(DOLLAR);
                rewritten.push_str(name);
                i += 1 + used;
                continue;
            }
            // `$(…)`, `$((…))`, `${#v}`, `${v:-0}`: the expansion's text, lowered as a word.
            let piece = word::parse(rest, &self.opts).ok().and_then(|p| p.into_iter().next());
            let positional = self.positional;
            let Some(piece) = piece.filter(|p| {
                p.start_index == 0
                    && match &p.piece {
                        WordPiece::CommandSubstitution(_) | WordPiece::ArithmeticExpression(_) => true,
                        WordPiece::ParameterExpansion(
                            e @ (ParameterExpr::Parameter { .. }
                            | ParameterExpr::UseDefaultValues { .. }
                            | ParameterExpr::ParameterLength { .. }),
                        ) => match param_of(e) {
                            Some(Parameter::Named(_)) => true,
                            // `${#a[@]}`, `${a[2]}`, `${a[i]}`.
                            Some(Parameter::NamedWithAllIndices { .. }) => {
                                matches!(e, ParameterExpr::ParameterLength { .. })
                            }
                            Some(Parameter::NamedWithIndex { .. }) => matches!(e, ParameterExpr::Parameter { .. }),
                            Some(p) => {
                                positional && positional_name(&p).is_some_and(|n| !matches!(n.as_str(), "@" | "*"))
                            }
                            None => false,
                        },
                        _ => false,
                    }
            }) else {
                self.unsupported(
                    span,
                    "this expansion inside arithmetic",
                    "use a variable ($((n + 1))), `$(…)` or `${#v}`; assign other values to a variable first",
                );
                return None;
            };
            if glued(&rewritten, rest.get(piece.end_index.max(1)..).and_then(|r| r.chars().next())) {
                self.unsupported(
                    span,
                    "an expansion joined to other text inside arithmetic",
                    "bash would read the joined text as one number or name; put the value in a variable first",
                );
                return None;
            }
            let mut parts = Vec::new();
            self.lower_piece(frame, &piece.piece, at + i, true, span, &mut parts);
            merge_literals(&mut parts);
            rewritten.push_str(WORD);
            rewritten.push_str(&words.len().to_string());
            words.push(Word { parts, span });
            i += piece.end_index.max(1);
            if !text.is_char_boundary(i.min(text.len())) {
                self.unsupported(span, "this expansion inside arithmetic", "put the value in a variable first");
                return None;
            }
        }
        let parsed = catch_unwind(AssertUnwindSafe(|| brush_parser::arithmetic::parse(&rewritten)));
        let Ok(Ok(expr)) = parsed else {
            self.unsupported(
                span,
                "this arithmetic expression",
                "bash would not read it either (a number with a leading 0 is octal: 08 is an error); write it as `a + b`, `n * 2`, `i++`",
            );
            return None;
        };
        match arith_from(&expr, &words) {
            Ok(a) => Some(a),
            Err((what, help)) => {
                self.unsupported(span, what, help);
                None
            }
        }
    }

    /// A simple command built here (`test …`, `true`), classified as if written.
    fn built(&mut self, argv: Vec<Word>, span: Span) -> Command {
        let classified = action::classify(self, argv, &[], span);
        Command::Simple(Box::new(Simple {
            span,
            assignments: Vec::new(),
            argv: classified.argv,
            redirects: Vec::new(),
            action: classified.action,
            mode: classified.mode,
            privileged: classified.privileged,
            secret: false,
        }))
    }

    /// `echo $pat` after `pat='*.log'`: bash expands the value as a pattern, which playbook
    /// does only for patterns written in the command: refused.
    fn check_glob_vars(&mut self, words: &[Word]) {
        for w in words {
            for p in &w.parts {
                if let Part::Var { name, quoted: false, op: None, .. } = p
                    && let Some(v) = self.glob_vars.get(name).cloned()
                {
                    self.unsupported(
                        w.span,
                        &format!("`${name}` unquoted, holding the pattern `{v}`"),
                        "bash would expand it to the matching paths: write the pattern in the command (ls logs/*.log), or quote it (\"$NAME\") to keep it as text",
                    );
                    return;
                }
            }
        }
    }

    /// `$(< FILE)`: bash reads the file as `$(cat FILE)` would, without running `cat` (its
    /// failure reads `bash: FILE: No such file or directory`, as a failed `< FILE` does).
    fn read_file_subst(&mut self, script: &mut Script) {
        let [item] = script.items.as_mut_slice() else { return };
        if !item.chain.rest.is_empty() || item.background {
            return;
        }
        let [Command::Simple(s)] = item.chain.first.commands.as_mut_slice() else { return };
        let alone = s.argv.is_empty() && s.assignments.is_empty();
        if !(alone && matches!(s.redirects.as_slice(), [r] if r.op == RedirectOp::Read && r.fd.is_none_or(|f| f == 0)))
        {
            return;
        }
        let classified = action::classify(self, vec![Word::lit("cat", s.span)], &s.redirects, s.span);
        s.argv = classified.argv;
        s.action = classified.action;
        s.mode = classified.mode;
    }

    /// An operand of `[[ … ]]`: expanded without splitting or globbing, as if quoted.
    fn ext_operand(&mut self, frame: &Frame, w: &ast::Word, span: Span) -> Word {
        let mut w = self.lower_word(frame, w, span);
        for p in &mut w.parts {
            match p {
                Part::Var { quoted, .. } | Part::Subst { quoted, .. } => *quoted = true,
                Part::Glob { text } => *p = Part::Lit { text: std::mem::take(text) },
                _ => {}
            }
        }
        w
    }

    fn lower_ext(&mut self, frame: &Frame, e: &ast::ExtendedTestExpr, span: Span) -> Option<Pipeline> {
        use ast::{BinaryPredicate as B, ExtendedTestExpr as E};
        let one = |c: Command| Pipeline { negated: false, commands: vec![c], span };
        Some(match e {
            E::Parenthesized(x) => self.lower_ext(frame, x, span)?,
            E::Not(x) => {
                let mut p = self.lower_ext(frame, x, span)?;
                if p.negated {
                    let body = Script {
                        items: vec![Item { chain: Chain { first: p, rest: Vec::new() }, background: false, span }],
                    };
                    p = one(Command::Group { body, subshell: false, redirects: Vec::new(), span });
                }
                p.negated = true;
                p
            }
            E::And(a, b) | E::Or(a, b) => {
                let conn = if matches!(e, E::And(..)) { Connector::And } else { Connector::Or };
                let (a, b) = (self.lower_ext(frame, a, span)?, self.lower_ext(frame, b, span)?);
                let chain = Chain { first: a, rest: vec![(conn, b)] };
                let body = Script { items: vec![Item { chain, background: false, span }] };
                one(Command::Group { body, subshell: false, redirects: Vec::new(), span })
            }
            E::UnaryTest(pred, w) => {
                let flag = pred.to_string();
                if !matches!(flag.as_str(), "-n" | "-z")
                    && !playbook_capability::fs::FILE_TESTS.contains(&flag.as_str())
                {
                    self.unsupported(
                        span,
                        &format!("`{flag}` in `[[ … ]]`"),
                        "use -n, -z, -e, -f, -d, -s, -r, -w, -x, -L",
                    );
                    return None;
                }
                let operand = self.ext_operand(frame, w, span);
                let c = self.built(vec![Word::lit("test", span), Word::lit(&pred.to_string(), span), operand], span);
                one(c)
            }
            E::BinaryTest(pred, l, r) => match pred {
                B::StringExactlyMatchesPattern
                | B::StringDoesNotExactlyMatchPattern
                | B::StringExactlyMatchesString
                | B::StringDoesNotExactlyMatchString => {
                    let word = self.ext_operand(frame, l, span);
                    let pattern = self.lower_word(frame, r, span);
                    // bash matches `[[ == ]]` as if `extglob` were on: `@(a|b)`, `*(x)`, …
                    if r.value.contains("@(")
                        || r.value.contains("*(")
                        || r.value.contains("+(")
                        || r.value.contains("?(")
                        || r.value.contains("!(")
                    {
                        self.unsupported(
                            span,
                            "an extended pattern (`@(…)`, `*(…)`, …)",
                            "compare with `||`: [[ $x == a || $x == b ]]",
                        );
                        return None;
                    }
                    if [&word, &pattern].iter().any(|w| w.parts.iter().any(|p| matches!(p, Part::Home))) {
                        self.unsupported(span, "`~` in `[[ … ]]`", "write \"$HOME\" instead");
                        return None;
                    }
                    if pattern.parts.iter().any(|p| matches!(p, Part::Glob { text } if text.contains("[:"))) {
                        self.unsupported(
                            span,
                            "a character class (`[[:alpha:]]`) in a pattern",
                            "list the characters: [a-zA-Z], [0-9]",
                        );
                        return None;
                    }
                    let yes = matches!(pred, B::StringExactlyMatchesPattern | B::StringExactlyMatchesString);
                    let (matched, other) = if yes { ("true", "false") } else { ("false", "true") };
                    let arm = |lw: &mut Self, name: &str| Script {
                        items: vec![Item {
                            chain: Chain { first: one(lw.built(vec![Word::lit(name, span)], span)), rest: Vec::new() },
                            background: false,
                            span,
                        }],
                    };
                    let arms = vec![
                        (vec![pattern], arm(self, matched)),
                        (vec![Word { parts: vec![Part::Glob { text: "*".into() }], span }], arm(self, other)),
                    ];
                    one(Command::Case { word, arms, span })
                }
                B::StringMatchesRegex | B::StringContainsSubstring => {
                    self.unsupported(
                        span,
                        "`=~` in `[[ … ]]`",
                        "match with a pattern: [[ $x == *text* ]], or use grep -E",
                    );
                    return None;
                }
                B::LeftSortsBeforeRight | B::LeftSortsAfterRight => {
                    self.unsupported(
                        span,
                        "`<` and `>` in `[[ … ]]` (they sort by the locale)",
                        "compare for equality, or sort the values with `sort`",
                    );
                    return None;
                }
                B::ArithmeticEqualTo
                | B::ArithmeticNotEqualTo
                | B::ArithmeticLessThan
                | B::ArithmeticLessThanOrEqualTo
                | B::ArithmeticGreaterThan
                | B::ArithmeticGreaterThanOrEqualTo => {
                    self.unsupported(
                        span,
                        "a numeric comparison in `[[ … ]]` (its operands are arithmetic: an empty value is 0)",
                        "use [ \"$x\" -gt 5 ], which compares integers",
                    );
                    return None;
                }
                B::FilesReferToSameDeviceAndInodeNumbers
                | B::LeftFileIsNewerOrExistsWhenRightDoesNot
                | B::LeftFileIsOlderOrDoesNotExistWhenRightDoes => {
                    self.unsupported(span, "`-nt`, `-ot` and `-ef`", "compare with `find -newer` or `stat`");
                    return None;
                }
                #[allow(unreachable_patterns)]
                _ => {
                    let (l, r) = (self.ext_operand(frame, l, span), self.ext_operand(frame, r, span));
                    one(self.built(vec![Word::lit("test", span), l, Word::lit(&pred.to_string(), span), r], span))
                }
            },
        })
    }

    fn lower_simple(&mut self, frame: &Frame, s: &ast::SimpleCommand, span: Span) -> Simple {
        let mut parts = SimpleParts::default();
        for item in s.prefix.iter().flat_map(|p| p.0.iter()) {
            self.lower_item(frame, item, true, span, &mut parts);
        }
        if let Some(w) = &s.word_or_name {
            let words = self.lower_words(frame, w, span);
            parts.argv.extend(words);
        }
        for item in s.suffix.iter().flat_map(|p| p.0.iter()) {
            self.lower_item(frame, item, false, span, &mut parts);
        }
        let SimpleParts { assignments, argv, redirects, arrays } = parts;
        self.check_glob_vars(&argv);
        if argv.is_empty() {
            for (n, w) in &assignments {
                match w.literal().filter(|v| v.contains(['*', '?', '['])) {
                    Some(v) => self.glob_vars.insert(n.clone(), v),
                    None => self.glob_vars.remove(n),
                };
            }
        }
        self.check_redirect_order(&redirects);
        self.check_same_file(&argv, &redirects);
        if let Some(name) = assignments.iter().map(|(n, _)| n).find(|n| self.arrays.contains(*n)) {
            self.unsupported(
                span,
                &format!("a plain value assigned to the array `{name}`"),
                "assign the whole array: NAME=(value)",
            );
        }
        if !arrays.is_empty() {
            return self.lower_array(
                &arrays,
                !argv.is_empty() || !assignments.is_empty() || !redirects.is_empty(),
                span,
            );
        }
        if argv.first().and_then(Word::literal).as_deref() == Some("set")
            && let Some(w) = argv.iter().find(|w| w.has_glob())
        {
            self.unsupported(w.span, "a glob in `set --`", "loop over the paths: for f in logs/*.log; do …; done");
        }
        if argv.first().and_then(Word::literal).as_deref() == Some("trap") {
            return self.lower_trap(frame, s, &argv, span);
        }
        if argv.is_empty() && !assignments.is_empty() && redirects.iter().any(|r| r.file().is_some()) {
            self.unsupported(span, "a redirection of an assignment", "write the assignment and `> FILE` on their own");
        }
        // `"$@"`, `"${a[@]}"`, `${a[*]}`: words known only when it runs. A program takes them
        // as its arguments; a typed request would read them in the wrong places.
        let splice = |w: &Word| {
            w.parts.iter().any(|p| {
                matches!(p, Part::Var { name, quoted, .. }
                    if name == "@" || name.ends_with("[@]") || (!*quoted && (name == "*" || name.ends_with("[*]"))))
            })
        };
        let list_ok = |a: &action::Action| match a {
            action::Action::Process(_) => true,
            action::Action::Builtin(b) => matches!(b.name.as_str(), "echo" | "printf" | "set" | "=(" | "+=("),
            _ => false,
        };
        let spliced = argv.iter().skip(1).find(|w| splice(w)).map(|w| w.span);
        let mut classified = action::classify(self, argv, &redirects, span);
        // `echo ~`, `[ "$HOME" = ~ ]`, `x=~/backups`: the text of `~` is `$HOME`. (A path of a
        // typed request keeps `~`, which the host resolves against its root.)
        if let action::Action::Builtin(b) = &mut classified.action
            && matches!(b.name.as_str(), "echo" | "printf" | "test" | "[" | "export" | "local")
        {
            b.args.iter_mut().for_each(home_as_var);
            classified.argv.iter_mut().skip(1).for_each(home_as_var);
        }
        let mut assignments = assignments;
        for (_, w) in &mut assignments {
            home_as_var(w);
        }
        // `2> FILE`: the standard error a request returns; a builtin's messages, or those of
        // the commands of a group or a call, are not gathered.
        let to_err_file = redirects.iter().find(|r| r.fd == Some(2) && r.file().is_some() && !r.is_input());
        if let Some(r) = to_err_file
            && !matches!(
                classified.action,
                action::Action::Process(_)
                    | action::Action::Text(_)
                    | action::Action::Fs(_)
                    | action::Action::Docker(_)
                    | action::Action::Kube(_)
                    | action::Action::Http(_)
            )
        {
            self.unsupported(
                r.span,
                "standard error of a builtin or an assignment redirected to a file",
                "redirect the standard error of a program (`grep … 2> errors.log`), or send it to /dev/null",
            );
        }
        if let Some(at) = spliced
            && !list_ok(&classified.action)
        {
            self.unsupported(
                at,
                "a list of words known only at run time given to a typed command",
                "loop over it: for x in \"${LIST[@]}\"; do CMD \"$x\"; done",
            );
        }
        if let action::Action::Builtin(b) = &classified.action
            && b.name == "set"
            && let Ok((_, _, Some(on))) = action::builtin::set_options(&b.args)
        {
            self.nounset = on;
        }
        // After `set -- a b`, the block has positional parameters.
        if matches!(&classified.action, action::Action::Builtin(b) if b.name == "set" && b.args.first().and_then(Word::literal).as_deref() == Some("--"))
        {
            self.positional = true;
        }
        // Field splitting on another `IFS` is carried out for `read` only (`IFS=, read -r a b`,
        // with a literal value); anywhere else it is refused, not ignored.
        let is_read = matches!(&classified.action, action::Action::Builtin(b) if b.name == "read");
        if let Some((_, w)) = assignments.iter().find(|(n, _)| n == "IFS")
            && !(is_read && w.literal().is_some_and(|l| l.is_ascii()))
        {
            self.unsupported(
                span,
                "assigning `IFS`",
                "`IFS=… read -r a b` splits a line; elsewhere split with a tool: tr ',' '\\n', cut -d, -f2, or awk -F,",
            );
        }
        // `x=$(cmd) echo …`, `n=$((n+1)) true`: the prefix of a builtin or a typed request is
        // not evaluated, so its substitution or arithmetic would not run: refused.
        if !matches!(
            classified.action,
            action::Action::Assign | action::Action::Process(_) | action::Action::Text(_) | action::Action::Invalid
        ) && assignments.iter().any(|(_, w)| w.has_effects())
        {
            self.unsupported(
                span,
                "a substitution or arithmetic in a command's prefix",
                "assign it on its own line first: x=$(…); cmd",
            );
        }
        Simple {
            span,
            assignments,
            argv: classified.argv,
            redirects,
            action: classified.action,
            mode: classified.mode,
            privileged: classified.privileged,
            secret: false,
        }
    }

    fn lower_item(
        &mut self,
        frame: &Frame,
        item: &ast::CommandPrefixOrSuffixItem,
        in_prefix: bool,
        span: Span,
        parts: &mut SimpleParts,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => {
                if in_prefix {
                    match (&a.name, &a.value) {
                        (ast::AssignmentName::VariableName(n), ast::AssignmentValue::Scalar(v)) if !a.append => {
                            let value = self.lower_word(frame, v, span);
                            parts.assignments.push((n.clone(), value));
                        }
                        (ast::AssignmentName::VariableName(n), ast::AssignmentValue::Array(items))
                            if items.iter().all(|(k, _)| k.is_none()) =>
                        {
                            let mut words = Vec::new();
                            for (_, w) in items {
                                for mut word in self.lower_words(frame, w, span) {
                                    // `files=(logs/*.log)`: the paths, when it runs.
                                    if word.has_glob() {
                                        match self.glob_word(&word) {
                                            Some(g) => word = g,
                                            None => return,
                                        }
                                    }
                                    words.push(word);
                                }
                            }
                            parts.arrays.push((n.clone(), a.append, words));
                        }
                        _ => self.unsupported(
                            span,
                            "this array or `+=` assignment",
                            "assign a plain value (NAME=value) or a whole array (NAME=(a b c), NAME+=(d))",
                        ),
                    }
                } else {
                    parts.argv.push(self.lower_word(frame, w, span));
                }
            }
            ast::CommandPrefixOrSuffixItem::Word(w) => {
                let words = self.lower_words(frame, w, span);
                parts.argv.extend(words);
            }
            ast::CommandPrefixOrSuffixItem::IoRedirect(r) => {
                if let Some(r) = self.lower_redirect(frame, r, span) {
                    parts.redirects.push(r);
                }
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(..) => {
                self.unsupported(
                    span,
                    "process substitution `<(…)`",
                    "write the output to a file first, or use a pipe",
                );
            }
        }
    }

    fn lower_redirect(&mut self, frame: &Frame, r: &ast::IoRedirect, outer: Span) -> Option<Redirect> {
        use brush_parser::ast::SourceLocation;
        let span = self.loc_span(frame, r.location().as_ref()).unwrap_or(outer);
        let (fd, op, target) = match r {
            ast::IoRedirect::File(fd, kind, target) => {
                let op = match kind {
                    ast::IoFileRedirectKind::Read => RedirectOp::Read,
                    ast::IoFileRedirectKind::Write | ast::IoFileRedirectKind::Clobber => RedirectOp::Write,
                    ast::IoFileRedirectKind::Append => RedirectOp::Append,
                    ast::IoFileRedirectKind::DuplicateOutput => RedirectOp::Duplicate,
                    ast::IoFileRedirectKind::DuplicateInput => {
                        self.unsupported(span, "an input duplication `<&`", "redirect the input from a file with `<`");
                        return None;
                    }
                    ast::IoFileRedirectKind::ReadAndWrite => {
                        self.unsupported(span, "a read-write redirection `<>`", "read with `<` or write with `>`");
                        return None;
                    }
                };
                let target = match target {
                    ast::IoFileRedirectTarget::Filename(w) | ast::IoFileRedirectTarget::Duplicate(w) => {
                        self.lower_word(frame, w, span)
                    }
                    ast::IoFileRedirectTarget::Fd(n) => Word::lit(&n.to_string(), span),
                    ast::IoFileRedirectTarget::ProcessSubstitution(..) => {
                        self.unsupported(span, "process substitution `>(…)`", "write to a file, or use a pipe");
                        return None;
                    }
                };
                (*fd, op, target)
            }
            ast::IoRedirect::HereDocument(fd, doc) => {
                let w = &doc.doc;
                let target = if doc.requires_expansion {
                    let start = w.loc.as_ref().map_or(0, |l| frame.offset(&l.start));
                    match word::parse_heredoc(&w.value, &self.opts) {
                        Ok(pieces) => self.lower_pieces(frame, &pieces, start, true, span),
                        Err(_) => Word::lit(&w.value, span),
                    }
                } else {
                    Word::lit(&w.value, span)
                };
                // Under `set -u`, bash reports an unset variable of a document and goes on
                // without the command, unlike anywhere else: not carried out.
                if self.nounset && target.parts.iter().any(|p| matches!(p, Part::Var { default: None, .. })) {
                    self.unsupported(
                        span,
                        "a variable in a here-document after `set -u`",
                        "give it a default (${NAME:-}), or assign the text to a variable first",
                    );
                }
                (*fd, RedirectOp::HereDoc, target)
            }
            ast::IoRedirect::HereString(fd, w) => (*fd, RedirectOp::HereString, self.lower_word(frame, w, span)),
            ast::IoRedirect::OutputAndError(w, append) => {
                (None, RedirectOp::WriteBoth { append: *append }, self.lower_word(frame, w, span))
            }
        };
        // What is carried out: `>`/`>>` of standard output, `2>/dev/null`, `2> FILE`, `2>&1`,
        // `>&2`, `&>`, `<`, here-documents and here-strings. Anything else is refused, never
        // dropped.
        let dup = target.literal();
        let refused = match op {
            RedirectOp::Write | RedirectOp::Append => match fd {
                // (`2> FILE` is carried out for a command that is one request: see `lower_simple`.)
                None | Some(1 | 2) => None,
                Some(_) => Some(("a redirection of a descriptor other than 1 and 2", "use `>` and `2>&1`")),
            },
            RedirectOp::Duplicate => match (fd, dup.as_deref()) {
                (Some(2), Some("1")) | (None | Some(1), Some("2")) => None,
                _ => Some(("this descriptor duplication", "use `2>&1` or `>&2`")),
            },
            RedirectOp::Read | RedirectOp::HereDoc | RedirectOp::HereString if fd.is_some_and(|f| f != 0) => {
                Some(("input redirected to a descriptor other than 0", "redirect the command's standard input"))
            }
            _ => None,
        };
        if let Some((what, help)) = refused {
            self.unsupported(span, what, help);
            return None;
        }
        // Bash expands a redirection (and a heredoc) where the command runs, in a child for a
        // program: an arithmetic assignment there would not last. Refused.
        let mut assigns = Vec::new();
        target.arith_assigned(&mut assigns);
        if !assigns.is_empty() {
            self.unsupported(
                span,
                "an arithmetic assignment in a redirection or heredoc",
                "compute the value first: n=$((n + 1)); cmd > \"out-$n.txt\"",
            );
            return None;
        }
        Some(Redirect { fd, op, target, span })
    }

    /// `2>&1 > FILE` sends standard error where standard output went before (the terminal) and
    /// then the output to the file: that order is refused; `> FILE 2>&1` is carried out.
    /// `{ …; } 2>&1`, `f &> FILE`, `done 2>&1 | …`: standard error of the commands inside
    /// joining their output is not carried out for a compound command or a call; refused.
    fn refuse_merge(&mut self, redirects: &[Redirect], what: &str) -> bool {
        let merge = redirects.iter().find(|r| {
            matches!(r.op, RedirectOp::WriteBoth { .. })
                || (r.fd == Some(2) && r.file().is_some() && !r.is_input())
                || (r.op == RedirectOp::Duplicate && r.fd == Some(2) && r.target.literal().as_deref() == Some("1"))
        });
        if let Some(r) = merge {
            self.unsupported(
                r.span,
                &format!(
                    "standard error joined to standard output or sent to a file (`2>&1`, `&>`, `2> FILE`) for {what}"
                ),
                "redirect it on each command inside (`cmd 2>&1`, `cmd 2> FILE`), or send it to /dev/null",
            );
        }
        merge.is_some()
    }

    /// `sort F > F`, `grep x F > F`: bash empties `F` before the command starts, so the
    /// command reads nothing. playbook writes the output after the command, which would keep
    /// the file's content: refused rather than carried out differently.
    fn check_same_file(&mut self, argv: &[Word], redirects: &[Redirect]) {
        let norm = |w: &Word| w.literal().map(|l| l.trim_start_matches("./").to_string());
        if argv.first().and_then(Word::literal).is_some_and(|p| matches!(p.as_str(), "echo" | "printf")) {
            return;
        }
        for r in redirects {
            let truncates = matches!(r.op, RedirectOp::Write | RedirectOp::WriteBoth { append: false });
            let Some(target) = r.file().filter(|_| truncates).and_then(norm) else { continue };
            let read =
                argv.iter().skip(1).chain(redirects.iter().filter(|x| x.op == RedirectOp::Read).map(|x| &x.target));
            if read.filter_map(norm).any(|w| w == target) {
                self.unsupported(
                    r.span,
                    &format!("`{target}` both read by the command and emptied by `>`"),
                    "bash empties the file before the command reads it; write to a new file and move it: cmd F > F.new && mv F.new F",
                );
                return;
            }
        }
    }

    fn check_redirect_order(&mut self, redirects: &[Redirect]) {
        // `> f 2> f`: two opens of one file, each writing over the other.
        let target = |fd: i32| {
            redirects
                .iter()
                .find(|r| r.fd.unwrap_or(1) == fd && r.file().is_some() && !r.is_input())
                .and_then(|r| r.target.literal().map(|t| (t.trim_start_matches("./").to_string(), r.span)))
        };
        if let (Some((a, _)), Some((b, at))) = (target(1), target(2))
            && a == b
        {
            self.unsupported(
                at,
                "standard output and standard error opened on one file",
                "write `> FILE 2>&1` to send both to it",
            );
            return;
        }
        // Only one redirection of standard error, and `>&2` never beside a file for standard
        // output: other orders are bash's "last one wins", not carried out.
        let stderr_ones = redirects
            .iter()
            .filter(|r| {
                (r.fd == Some(2) && matches!(r.op, RedirectOp::Write | RedirectOp::Append | RedirectOp::Duplicate))
                    || matches!(r.op, RedirectOp::WriteBoth { .. })
            })
            .count();
        let to_stderr = redirects.iter().any(|r| {
            r.op == RedirectOp::Duplicate && r.fd.is_none_or(|f| f == 1) && r.target.literal().as_deref() == Some("2")
        });
        let stdout_file = redirects.iter().any(|r| {
            matches!(r.op, RedirectOp::Write | RedirectOp::Append | RedirectOp::WriteBoth { .. })
                && r.fd.is_none_or(|f| f == 1)
        });
        let merges = redirects.iter().filter(|r| r.op == RedirectOp::Duplicate && r.fd == Some(2)).count();
        if let Some(r) = redirects.first()
            && (stderr_ones > 1 || (to_stderr && (stdout_file || merges > 0)))
        {
            self.unsupported(
                r.span,
                "this combination of redirections (bash applies them in order, last one winning)",
                "keep one redirection per stream: `> FILE 2>&1`, `2>/dev/null`, or `>&2`",
            );
            return;
        }
        let merge_at = redirects.iter().position(|r| {
            r.op == RedirectOp::Duplicate && r.fd == Some(2) && r.target.literal().as_deref() == Some("1")
        });
        if let Some(m) = merge_at
            && let Some(w) = redirects[m + 1..]
                .iter()
                .find(|r| matches!(r.op, RedirectOp::Write | RedirectOp::Append) && r.fd.is_none_or(|f| f == 1))
        {
            self.unsupported(
                w.span,
                "`2>&1` before `> FILE` (standard error stays on the terminal)",
                "write `> FILE 2>&1` to send both to the file",
            );
        }
    }

    /// `$1`, `$#`, `"$*"` of literal arguments stand in the word as written (unquoted, only
    /// when splitting and globbing leave the value as it is).
    fn literal_args(&self, word: &mut Word) {
        let Some(args) = &self.args else { return };
        let mut changed = false;
        for p in &mut word.parts {
            if let Part::Var { name, quoted, default: None, op: None } = p
                && crate::shell::is_positional(name)
                && name != "@"
            {
                let value = match name.as_str() {
                    "#" => args.len().to_string(),
                    "*" => args.join(" "),
                    // (Beyond the arguments it is unset, which `set -u` tells from empty.)
                    n => match n.parse::<usize>().ok().and_then(|k| args.get(k - 1)) {
                        Some(v) => v.clone(),
                        None => continue,
                    },
                };
                if *quoted || fits_unquoted(&value) {
                    *p = Part::Lit { text: value };
                    changed = true;
                }
            }
        }
        if changed {
            merge_literals(&mut word.parts);
        }
    }

    /// A word after brace expansion (`{1..5}`, `a{b,c}`), which bash does before anything else.
    fn lower_words(&mut self, frame: &Frame, w: &ast::Word, outer: Span) -> Vec<Word> {
        if let Some(values) = expand_braces(&w.value) {
            let span = self.lower_word(frame, w, outer).span;
            // (`*.{csv,txt}`: each word a pattern of its own.)
            return values
                .iter()
                .map(|v| {
                    let mut parts = Vec::new();
                    push_lit(v, true, &mut parts);
                    if parts.is_empty() {
                        parts.push(Part::Lit { text: String::new() });
                    }
                    Word { parts, span }
                })
                .collect();
        }
        let word = self.lower_word(frame, w, outer);
        // `"$@"` (and `$@`, `$*` whose values do not split) of literal arguments: a word each.
        if let (Some(args), [Part::Var { name, quoted, default: None, op: None }]) = (&self.args, word.parts.as_slice())
            && ((name == "@" && *quoted)
                || (matches!(name.as_str(), "@" | "*") && !*quoted && args.iter().all(|a| fits_unquoted(a))))
        {
            return args.iter().map(|a| Word::lit(a, word.span)).collect();
        }
        vec![word]
    }

    fn lower_word(&mut self, frame: &Frame, w: &ast::Word, outer: Span) -> Word {
        let start = w.loc.as_ref().map(|l| frame.offset(&l.start));
        let span = start.map_or(outer, |s| self.span(s, s + w.value.len()));
        match word::parse(&w.value, &self.opts) {
            Ok(pieces) => {
                let mut word = self.lower_pieces(frame, &pieces, start.unwrap_or(frame.base), false, span);
                word.span = span;
                self.literal_args(&mut word);
                if word.parts.len() > 1
                    && word.parts.iter().any(
                        |p| matches!(p, Part::Var { name, quoted: true, .. } if name == "@" || name.ends_with("[@]")),
                    )
                {
                    self.unsupported(
                        span,
                        "`\"$@\"` joined with other text in one word",
                        "write \"$@\" as a word of its own, or \"$*\" for the arguments joined with spaces",
                    );
                }
                word
            }
            Err(e) => {
                self.error(
                    Diagnostic::error(Kind::ShellSyntax, span, format!("this word cannot be parsed: {e}"))
                        .with_label("here"),
                );
                Word::lit(&w.value, span)
            }
        }
    }

    fn lower_pieces(
        &mut self,
        frame: &Frame,
        pieces: &[WordPieceWithSource],
        start: usize,
        quoted: bool,
        span: Span,
    ) -> Word {
        let mut word = Word { parts: Vec::new(), span };
        for p in pieces {
            self.lower_piece(frame, &p.piece, start + p.start_index, quoted, span, &mut word.parts);
        }
        merge_literals(&mut word.parts);
        word
    }

    /// The pattern or replacement of a parameter expansion, as a word (a pattern is lowered
    /// unquoted, so its `*`, `?` and `[…]` match even inside double quotes). Substitutions
    /// inside it are refused.
    fn op_word(&mut self, frame: &Frame, raw: &str, at: usize, quoted: bool, span: Span) -> Option<Word> {
        let pieces = word::parse(raw, &self.opts).unwrap_or_default();
        let w = self.lower_pieces(frame, &pieces, at, quoted, span);
        if w.parts.iter().any(|p| matches!(p, Part::Subst { .. } | Part::Var { op: Some(_), .. })) {
            self.unsupported(
                span,
                "a substitution inside a parameter expansion's pattern",
                "put the value in a variable first: p=$(…); echo \"${v#\"$p\"}\"",
            );
            return None;
        }
        Some(w)
    }

    /// A parameter expansion: `$NAME`, `${NAME:-default}`, `${#NAME}`, `${NAME%pattern}`, ….
    fn lower_parameter(
        &mut self,
        frame: &Frame,
        expr: &ParameterExpr,
        at: usize,
        quoted: bool,
        span: Span,
        out: &mut Vec<Part>,
    ) {
        // Variables bash sets itself as it runs (`$PIPESTATUS`, `$RANDOM`, `$LINENO`, …): an
        // environment or an input would give another value, silently.
        if let Some(
            Parameter::Named(n)
            | Parameter::NamedWithIndex { name: n, .. }
            | Parameter::NamedWithAllIndices { name: n, .. },
        ) = param_of(expr)
            && BASH_DYNAMIC.contains(&n.as_str())
        {
            self.unsupported(
                span,
                &format!("bash's own variable `{n}`"),
                "bash sets it as it runs, and playbook does not: test each command's status with `if cmd; then …` or `$?` right after it",
            );
            return;
        }
        // Arrays: `"${a[@]}"`, `${a[*]}`, `${#a[@]}`, `${a[2]}`, `${a[-1]}`, `${a[i]}`, named as
        // `Part::Var` holds them (`a[@]`, `a[*]`, `a[#]`, `a[2]`, `a[i]`).
        let array = |p: &Parameter| match p {
            Parameter::NamedWithAllIndices { name, concatenate } => {
                Some(Ok(format!("{name}[{}]", if *concatenate { "*" } else { "@" })))
            }
            Parameter::NamedWithIndex { name, index } => {
                let index = index.trim().trim_start_matches('$');
                let number = index.strip_prefix('-').unwrap_or(index);
                let plain = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
                let named = index.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && index.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                Some(if plain || named { Ok(format!("{name}[{index}]")) } else { Err(()) })
            }
            Parameter::Named(n) if self.arrays.contains(n) => Some(Err(())),
            _ => None,
        };
        if let Some(p) = param_of(expr)
            && let Some(name) = array(&p)
        {
            let Ok(name) = name else {
                self.unsupported(
                    span,
                    "this use of an array",
                    "use \"${NAME[@]}\", ${NAME[*]}, ${#NAME[@]} or ${NAME[N]} / ${NAME[i]} (a number or a variable)",
                );
                return;
            };
            match expr {
                ParameterExpr::Parameter { indirect: false, .. } => {
                    out.push(Part::Var { name, quoted, default: None, op: None });
                }
                ParameterExpr::ParameterLength { indirect: false, .. }
                    if name.ends_with("[@]") || name.ends_with("[*]") =>
                {
                    let count = format!("{}[#]", &name[..name.len() - 3]);
                    out.push(Part::Var { name: count, quoted, default: None, op: None });
                }
                // `${a[0]##*/}`, `${a[i]:-none}`, `${#a[1]}`: an operation on one element, as on
                // a variable of that name.
                _ if !(name.ends_with("[@]")
                    || name.ends_with("[*]")
                    || matches!(expr, ParameterExpr::Parameter { indirect: true, .. })) =>
                {
                    let mut on_element = expr.clone();
                    if let Some(p) = param_mut(&mut on_element) {
                        *p = Parameter::Named(name);
                    }
                    self.lower_parameter(frame, &on_element, at, quoted, span, out);
                }
                _ => self.unsupported(
                    span,
                    "an operation on a whole array",
                    "loop over the elements: for f in \"${NAME[@]}\"; do echo \"${f%.log}\"; done",
                ),
            }
            return;
        }
        match expr {
            ParameterExpr::Parameter { parameter, indirect: false } => match parameter {
                Parameter::Named(n) => out.push(Part::Var { name: n.clone(), quoted, default: None, op: None }),
                Parameter::Special(SpecialParameter::LastExitStatus) => out.push(Part::Status),
                _ => self.unsupported(
                    span,
                    "this special parameter",
                    "a runbook block has positional parameters only in a function or after `set --`; use a named variable",
                ),
            },
            // `${v-default}` tells unset from empty, which playbook's variables do not.
            ParameterExpr::UseDefaultValues { test_type: word::ParameterTestType::Unset, .. } => self.unsupported(
                span,
                "`${NAME-default}` (without the colon)",
                "write ${NAME:-default}, which also replaces an empty value",
            ),
            ParameterExpr::UseDefaultValues {
                parameter: Parameter::Named(n),
                indirect: false,
                default_value,
                ..
            } => {
                // `${v:-"two  words"}` unquoted: bash keeps the quoted default as one field, and
                // splits the variable's own value; one `quoted` cannot say both.
                if !quoted && default_value.as_ref().is_some_and(|d| d.contains(['"', '\''])) {
                    self.unsupported(
                        span,
                        "a quoted default inside an unquoted `${NAME:-…}`",
                        "quote the whole expansion: \"${NAME:-two words}\"",
                    );
                    return;
                }
                let default = default_value.as_ref().map(|d| {
                    let pieces = word::parse(d, &self.opts).unwrap_or_default();
                    Box::new(self.lower_pieces(frame, &pieces, at, quoted, span))
                });
                out.push(Part::Var { name: n.clone(), quoted, default, op: None });
            }
            ParameterExpr::ParameterLength { parameter: Parameter::Named(n), indirect: false } => {
                out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(VarOp::Length)) });
            }
            // `${v^^}`, `${v,,}`, `${v^}`, `${v,}` (without a pattern).
            ParameterExpr::UppercaseFirstChar { parameter: Parameter::Named(n), indirect: false, pattern }
            | ParameterExpr::UppercasePattern { parameter: Parameter::Named(n), indirect: false, pattern }
            | ParameterExpr::LowercaseFirstChar { parameter: Parameter::Named(n), indirect: false, pattern }
            | ParameterExpr::LowercasePattern { parameter: Parameter::Named(n), indirect: false, pattern }
                if pattern.as_deref().is_none_or(str::is_empty) =>
            {
                let (upper, all) = match expr {
                    ParameterExpr::UppercaseFirstChar { .. } => (true, false),
                    ParameterExpr::UppercasePattern { .. } => (true, true),
                    ParameterExpr::LowercaseFirstChar { .. } => (false, false),
                    _ => (false, true),
                };
                let op = VarOp::Case { upper, all };
                out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(op)) });
            }
            // `${v:offset}`, `${v:offset:length}`: characters, offsets and lengths as bash's
            // arithmetic (negative ones count from the end). Only names and numbers in them.
            ParameterExpr::Substring { parameter: Parameter::Named(n), indirect: false, offset, length } => {
                let simple = |a: &Arith| {
                    let mut assigned = Vec::new();
                    a.assigned(&mut assigned);
                    assigned.is_empty() && a.words().is_empty()
                };
                let (offset_text, length_text) = (offset.value.clone(), length.as_ref().map(|l| l.value.clone()));
                let offset = self.arith(frame, &offset.value, at, span);
                let length = length.as_ref().map(|l| self.arith(frame, &l.value, at, span));
                match (offset, length) {
                    (Some(o), Some(Some(l))) if simple(&o) && simple(&l) => {
                        let length = Some((l, length_text.unwrap_or_default()));
                        let op = VarOp::Substring { offset: (o, offset_text), length };
                        out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(op)) });
                    }
                    (Some(o), None) if simple(&o) => {
                        let op = VarOp::Substring { offset: (o, offset_text), length: None };
                        out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(op)) });
                    }
                    (Some(_), None | Some(Some(_))) => self.unsupported(
                        span,
                        "an assignment or substitution in a substring's offset",
                        "compute it first: i=$((i + 1)); echo \"${v:i:2}\"",
                    ),
                    _ => {}
                }
            }
            ParameterExpr::RemoveSmallestSuffixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern,
            }
            | ParameterExpr::RemoveLargestSuffixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern,
            }
            | ParameterExpr::RemoveSmallestPrefixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern,
            }
            | ParameterExpr::RemoveLargestPrefixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern,
            } => {
                let suffix = matches!(
                    expr,
                    ParameterExpr::RemoveSmallestSuffixPattern { .. }
                        | ParameterExpr::RemoveLargestSuffixPattern { .. }
                );
                let longest = matches!(
                    expr,
                    ParameterExpr::RemoveLargestSuffixPattern { .. }
                        | ParameterExpr::RemoveLargestPrefixPattern { .. }
                );
                if let Some(pattern) = self.op_word(frame, pattern.as_deref().unwrap_or(""), at, false, span) {
                    let op = VarOp::Remove { suffix, longest, pattern };
                    out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(op)) });
                }
            }
            ParameterExpr::ReplaceSubstring {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern,
                replacement,
                match_kind,
            } => {
                let raw = replacement.as_deref().unwrap_or("");
                if raw.contains('&') {
                    self.unsupported(
                        span,
                        "`&` in a replacement (bash puts the matched text there)",
                        "write the text out, or put the replacement in a variable",
                    );
                    return;
                }
                // `${v/#p/r}` and `${v/%p/r}` anchor the pattern.
                let (mode, pattern) = match (match_kind, pattern.as_str()) {
                    (word::SubstringMatchKind::FirstOccurrence, p) if p.starts_with('#') => {
                        (ReplaceMode::Prefix, &p[1..])
                    }
                    (word::SubstringMatchKind::FirstOccurrence, p) if p.starts_with('%') => {
                        (ReplaceMode::Suffix, &p[1..])
                    }
                    (word::SubstringMatchKind::Prefix, p) => (ReplaceMode::Prefix, p),
                    (word::SubstringMatchKind::Suffix, p) => (ReplaceMode::Suffix, p),
                    (word::SubstringMatchKind::Anywhere, p) => (ReplaceMode::All, p),
                    (word::SubstringMatchKind::FirstOccurrence, p) => (ReplaceMode::First, p),
                };
                let pattern = self.op_word(frame, pattern, at, false, span);
                let with = self.op_word(frame, raw, at, quoted, span);
                if let (Some(pattern), Some(with)) = (pattern, with) {
                    let op = VarOp::Replace { mode, pattern, with };
                    out.push(Part::Var { name: n.clone(), quoted, default: None, op: Some(Box::new(op)) });
                }
            }
            _ => self.unsupported(
                span,
                "this parameter expansion",
                "use $NAME, ${NAME:-default}, ${#NAME}, ${NAME#pattern}, ${NAME%pattern}, ${NAME/pattern/with}, ${NAME:offset:length} or ${NAME^^}",
            ),
        }
    }

    fn lower_piece(
        &mut self,
        frame: &Frame,
        piece: &WordPiece,
        at: usize,
        quoted: bool,
        span: Span,
        out: &mut Vec<Part>,
    ) {
        match piece {
            WordPiece::Text(t) => push_text(t, !quoted, out),
            WordPiece::SingleQuotedText(t) => push_text(t, false, out),
            WordPiece::AnsiCQuotedText(t) => push_text(&ansi_c(t), false, out),
            WordPiece::DoubleQuotedSequence(ps) | WordPiece::GettextDoubleQuotedSequence(ps) => {
                if ps.is_empty() {
                    out.push(Part::Lit { text: String::new() });
                }
                for p in ps {
                    self.lower_piece(frame, &p.piece, at + p.start_index, true, span, out);
                }
            }
            WordPiece::TildeExpansion(t) => match t {
                word::TildeExpr::Home => out.push(Part::Home),
                _ => self.unsupported(span, "this tilde expansion", "write the path out, or use ~/"),
            },
            WordPiece::EscapeSequence(s) => {
                let c = s.strip_prefix('\\').unwrap_or(s);
                if c == "\n" {
                    // A line continuation disappears.
                } else if quoted && !matches!(c, "$" | "`" | "\"" | "\\") {
                    out.push(Part::Lit { text: s.clone() });
                } else {
                    out.push(Part::Lit { text: c.to_string() });
                }
            }
            WordPiece::ParameterExpansion(expr) => {
                // `$1`, `${2:-x}`, `$#`, `"$@"` in a function's body (or after `set --`): a
                // positional parameter, named as `Part::Var` holds it.
                let renamed;
                let expr = match param_of(expr).as_ref().and_then(positional_name) {
                    Some(name) if self.positional => {
                        if matches!(name.as_str(), "@" | "*") && !matches!(expr, ParameterExpr::Parameter { .. }) {
                            self.unsupported(
                                span,
                                "an operation on `$@` or `$*`",
                                "loop over the arguments: for a in \"$@\"; do …; done",
                            );
                            return;
                        }
                        let mut e = expr.clone();
                        if let Some(p) = param_mut(&mut e) {
                            *p = Parameter::Named(name);
                        }
                        renamed = e;
                        &renamed
                    }
                    _ => expr,
                };
                self.lower_parameter(frame, expr, at, quoted, span, out);
            }
            WordPiece::CommandSubstitution(body) | WordPiece::BackquotedCommandSubstitution(body) => {
                let skip = if matches!(piece, WordPiece::CommandSubstitution(_)) { 2 } else { 1 };
                // Where the body stands in the text: the substitution need not open the word
                // (`x=$(…)`, `"a $(b)"`), so look for it from the word's start.
                let base = self
                    .marked
                    .get(at..)
                    .and_then(|m| m.find(&format!("{}{body}", if skip == 2 { "$(" } else { "`" })))
                    .map_or(at + skip, |i| at + i + skip);
                // The body is a slice of the marked text; parse it where it stands so spans hold.
                let text = self
                    .marked
                    .get(base..base + body.len())
                    .filter(|t| *t == body.as_str())
                    .map_or_else(|| body.clone(), str::to_string);
                self.nest += 1;
                self.subshell += 1;
                let inner = self.parse_script(&Frame::new(text, base));
                self.subshell -= 1;
                self.nest -= 1;
                if let Some(mut script) = inner {
                    self.read_file_subst(&mut script);
                    if let Some(exit) = script.loop_exit() {
                        self.unsupported(
                            exit,
                            "`break`/`continue` inside `$(…)`",
                            "a substitution cannot leave the loop around it; test its output instead",
                        );
                        return;
                    }
                    let shown = body.replace(OPEN, "<").replace(CLOSE, ">").replace(placeholder::FILL, " ");
                    out.push(Part::Subst { script: Box::new(script), text: shown, quoted, glob: false });
                }
            }
            WordPiece::ArithmeticExpression(e) => {
                if let Some(expr) = self.arith(frame, &e.value, at, span) {
                    let text = e.value.replace(OPEN, "<").replace(CLOSE, ">");
                    out.push(Part::Arith { expr: Box::new(expr), text });
                }
            }
        }
    }
}

/// The first command in a script that would read the script's standard input: the head of a
/// pipeline without an input of its own that reads its input (`read` too, when `with_read`).
fn stdin_reader(script: &Script, with_read: bool) -> Option<Span> {
    let mut found = None;
    script.visit_pipelines(&mut |p| {
        if let Some(Command::Simple(s)) = p.commands.first()
            && found.is_none()
            && !s.redirects.iter().any(Redirect::is_input)
            && (reads_stdin(s)
                || (with_read && matches!(&s.action, crate::action::Action::Builtin(b) if b.name == "read")))
        {
            found = Some(s.span);
        }
    });
    found
}

/// Whether a command reads its standard input when it has no file or pipe of its own.
fn reads_stdin(s: &Simple) -> bool {
    use crate::action::Action;
    let stdin_word = |w: &Word| {
        w.literal().is_some_and(|l| {
            matches!(l.as_str(), "-" | "-i" | "-it" | "-ti" | "--interactive" | "--stdin") || l.contains("@-")
        })
    };
    match &s.action {
        Action::Text(t) => t.files.is_empty() && !matches!(t.tool, playbook_capability::text::TextTool::CommandV),
        // `ssh -n` takes its input from /dev/null.
        Action::Process(p) => {
            !(p.program.literal().as_deref() == Some("ssh")
                && p.args
                    .iter()
                    .take_while(|a| a.literal().is_some_and(|l| l.starts_with('-')))
                    .any(|a| a.literal().as_deref() == Some("-n")))
        }
        Action::Fs(f) => matches!(f.tool, playbook_capability::fs::FsTool::Tee),
        Action::Docker(_) | Action::Kube(_) | Action::Http(_) => s.argv.iter().any(stdin_word),
        Action::Builtin(_) | Action::Assign | Action::Invalid => false,
    }
}

/// Stands for `$` before a name inside arithmetic while it is parsed (`$n` reads the value's
/// text, `n` evaluates it): a prefix no runbook's variable has.
const DOLLAR: &str = "__playbook_dollar_";
/// Stands for the Nth other expansion inside arithmetic (`$(…)`, `${#v}`) while it is parsed.
const WORD: &str = "__playbook_word_";
/// Stands for `#` in `$#` inside arithmetic while it is parsed.
const COUNT: &str = "__playbook_count";

/// brush-parser's arithmetic tree as ours.
fn arith_from(e: &ast::ArithmeticExpr, words: &[Word]) -> Result<Arith, (&'static str, &'static str)> {
    use ast::{ArithmeticExpr as E, ArithmeticTarget as T, BinaryOperator as B, UnaryAssignmentOperator as S};
    let target = |t: &T| match t {
        T::Variable(n) if n.starts_with(DOLLAR) || n.starts_with(WORD) => {
            Err(("assigning to `$name` in arithmetic", "assign to the name itself: (( n += 1 ))"))
        }
        T::Variable(n) => Ok(n.clone()),
        T::ArrayElement(..) => Err(("an array element in arithmetic", "use a plain variable")),
    };
    let bin = |op: &B| match op {
        B::Power => ArithOp::Pow,
        B::Multiply => ArithOp::Mul,
        B::Divide => ArithOp::Div,
        B::Modulo => ArithOp::Rem,
        B::Comma => ArithOp::Comma,
        B::Add => ArithOp::Add,
        B::Subtract => ArithOp::Sub,
        B::ShiftLeft => ArithOp::Shl,
        B::ShiftRight => ArithOp::Shr,
        B::LessThan => ArithOp::Lt,
        B::LessThanOrEqualTo => ArithOp::Le,
        B::GreaterThan => ArithOp::Gt,
        B::GreaterThanOrEqualTo => ArithOp::Ge,
        B::Equals => ArithOp::Eq,
        B::NotEquals => ArithOp::Ne,
        B::BitwiseAnd => ArithOp::BitAnd,
        B::BitwiseXor => ArithOp::BitXor,
        B::BitwiseOr => ArithOp::BitOr,
        B::LogicalAnd => ArithOp::And,
        B::LogicalOr => ArithOp::Or,
    };
    let sub = |e: &E| arith_from(e, words).map(Box::new);
    Ok(match e {
        E::Literal(value) => Arith::Num { value: *value },
        E::Reference(T::Variable(n)) => {
            if let Some(k) = n.strip_prefix(WORD).and_then(|k| k.parse::<usize>().ok()).and_then(|k| words.get(k)) {
                Arith::Word { word: Box::new(k.clone()) }
            } else if let Some(n) = n.strip_prefix(DOLLAR) {
                Arith::Var { name: if n == COUNT { "#".to_string() } else { n.to_string() }, dollar: true }
            } else {
                Arith::Var { name: n.clone(), dollar: false }
            }
        }
        E::Reference(T::ArrayElement(..)) => return Err(("an array element in arithmetic", "use a plain variable")),
        E::UnaryOp(op, x) => Arith::Unary {
            op: match op {
                ast::UnaryOperator::UnaryPlus => ArithOp::Plus,
                ast::UnaryOperator::UnaryMinus => ArithOp::Neg,
                ast::UnaryOperator::BitwiseNot => ArithOp::BitNot,
                ast::UnaryOperator::LogicalNot => ArithOp::Not,
            },
            operand: sub(x)?,
        },
        E::BinaryOp(op, l, r) => Arith::Binary { op: bin(op), left: sub(l)?, right: sub(r)? },
        E::Conditional(c, t, o) => Arith::Cond { cond: sub(c)?, then: sub(t)?, otherwise: sub(o)? },
        E::Assignment(t, v) => Arith::Assign { name: target(t)?, op: None, value: sub(v)? },
        E::BinaryAssignment(op, t, v) => Arith::Assign { name: target(t)?, op: Some(bin(op)), value: sub(v)? },
        E::UnaryAssignment(op, t) => {
            let (delta, post) = match op {
                S::PrefixIncrement => (1, false),
                S::PrefixDecrement => (-1, false),
                S::PostfixIncrement => (1, true),
                S::PostfixDecrement => (-1, true),
            };
            Arith::Step { name: target(t)?, delta, post }
        }
    })
}

#[derive(Default)]
struct SimpleParts {
    assignments: Vec<(String, Word)>,
    /// `NAME=(…)` / `NAME+=(…)`: the name, whether it appends, the words.
    arrays: Vec<(String, bool, Vec<Word>)>,
    argv: Vec<Word>,
    redirects: Vec<Redirect>,
}

/// Expands one brace group in an unquoted literal word: `{1..5}` or `pre{a,b}post`.
fn expand_braces(raw: &str) -> Option<Vec<String>> {
    if raw.contains(['\'', '"', '$', '`', '\\', OPEN]) {
        return None;
    }
    let open = raw.find('{')?;
    let close = open + raw[open..].find('}')?;
    let (pre, inner, post) = (&raw[..open], &raw[open + 1..close], &raw[close + 1..]);
    if inner.contains('{') {
        return None;
    }
    let items: Vec<String> = if let Some((a, b)) = inner.split_once("..") {
        let (a, b): (i64, i64) = (a.parse().ok()?, b.parse().ok()?);
        if (a - b).abs() > 10_000 {
            return None;
        }
        if a <= b { (a..=b).map(|i| i.to_string()).collect() } else { (b..=a).rev().map(|i| i.to_string()).collect() }
    } else if inner.contains(',') {
        inner.split(',').map(str::to_string).collect()
    } else {
        return None;
    };
    Some(items.into_iter().map(|i| format!("{pre}{i}{post}")).collect())
}

/// Splits text into literals, globs (when unquoted) and placeholder inputs.
fn push_text(t: &str, unquoted: bool, out: &mut Vec<Part>) {
    let mut rest = t;
    while let Some(open) = rest.find(OPEN) {
        push_lit(&rest[..open], unquoted, out);
        let after = &rest[open + 1..];
        let close = after.find(CLOSE).unwrap_or(after.len());
        out.push(Part::Input { name: placeholder::input_name(&after[..close]) });
        rest = after.get(close + 1..).unwrap_or("");
    }
    push_lit(rest, unquoted, out);
}

fn push_lit(t: &str, unquoted: bool, out: &mut Vec<Part>) {
    if t.is_empty() {
        return;
    }
    if unquoted && t.contains(['*', '?', '[']) {
        out.push(Part::Glob { text: t.to_string() });
    } else {
        out.push(Part::Lit { text: t.to_string() });
    }
}

fn merge_literals(parts: &mut Vec<Part>) {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts.drain(..) {
        match (merged.last_mut(), p) {
            // (A quoted or escaped `*` after a glob stays literal: it is not merged into it.)
            (Some(Part::Lit { text: a }), Part::Lit { text: b })
            | (Some(Part::Glob { text: a }), Part::Glob { text: b }) => {
                a.push_str(&b);
            }
            (_, p) => merged.push(p),
        }
    }
    // An empty literal only matters when it is the whole word (`""`).
    if merged.len() > 1 {
        merged.retain(|p| !matches!(p, Part::Lit { text } if text.is_empty()));
    }
    *parts = merged;
}

/// The text of `$'…'` with bash's escapes decoded: `\n`, `\t`, `\e`, `\xHH`, `\NNN` (octal),
/// `\uHHHH`, `\cX`, `\\`, `\'`, ….
fn ansi_c(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    let digits = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, radix: u32, max: usize| {
        let mut v = String::new();
        while v.len() < max && chars.peek().is_some_and(|c| c.is_digit(radix)) {
            v.extend(chars.next());
        }
        (!v.is_empty()).then(|| u32::from_str_radix(&v, radix).ok()).flatten()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let decoded = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'e' | 'E' => Some('\u{1b}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '\'' | '"' | '?' => Some(e),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                char::from_u32(v & 0xff)
            }
            'x' => digits(&mut chars, 16, 2).and_then(char::from_u32),
            'u' => digits(&mut chars, 16, 4).and_then(char::from_u32),
            'U' => digits(&mut chars, 16, 8).and_then(char::from_u32),
            'c' => {
                chars.next().map(|x| char::from(u8::try_from(u32::from(x.to_ascii_uppercase()) ^ 0x40).unwrap_or(0)))
            }
            _ => None,
        };
        if let Some(d) = decoded {
            out.push(d);
        } else {
            out.push('\\');
            out.push(e);
        }
    }
    out
}

/// Whether a command of a pipeline could change the shell it runs in, so needs the subshell
/// bash gives it: compound commands, assignments and the builtins that set state.
fn changes_shell(c: &Command) -> bool {
    // `echo $((n += 1)) | cat`: the assignment stays in the pipeline's subshell.
    let mut arith = Vec::new();
    for w in c.own_words() {
        w.arith_assigned(&mut arith);
    }
    if !arith.is_empty() {
        return true;
    }
    match c {
        Command::Simple(s) => match &s.action {
            action::Action::Assign => true,
            action::Action::Builtin(b) => !matches!(
                b.name.as_str(),
                "echo" | "printf" | "true" | "false" | ":" | "pwd" | "test" | "[" | "date" | "hostname" | "sleep"
            ),
            _ => false,
        },
        Command::Group { subshell: true, .. } => false,
        _ => true,
    }
}

/// A `return` that could not end its function by leaving the commands around it: inside a
/// subshell, a pipeline of several commands, a substitution or a redirected group.
fn stray_return(body: &Script) -> Option<Span> {
    fn allowed(s: &Script, out: &mut Vec<Span>) {
        for item in &s.items {
            for p in std::iter::once(&item.chain.first).chain(item.chain.rest.iter().map(|(_, p)| p)) {
                for c in &p.commands {
                    match c {
                        Command::Simple(s) if matches!(&s.action, action::Action::Builtin(b) if b.name == "return") => {
                            out.push(s.span);
                        }
                        // Not in a subshell, a call (its `return` is its own), or a group with
                        // output redirections (written after the body; input is read before).
                        Command::Group { subshell: true, .. } | Command::Call(_) => {}
                        Command::Group { redirects, .. } if !redirects.iter().all(Redirect::is_input) => {}
                        c if p.commands.len() == 1 && !item.background => {
                            for b in c.bodies() {
                                allowed(b, out);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let mut ok = Vec::new();
    allowed(body, &mut ok);
    let mut stray = None;
    own_simple(body, &mut |s| {
        if stray.is_none()
            && matches!(&s.action, action::Action::Builtin(b) if b.name == "return")
            && !ok.contains(&s.span)
        {
            stray = Some(s.span);
        }
    });
    stray
}

/// The simple commands of a function's own body (with those in its substitutions), not those
/// of the functions it calls, which are theirs.
fn own_simple<'a>(s: &'a Script, f: &mut dyn FnMut(&'a Simple)) {
    s.visit_commands_until_call(&mut |c| {
        if let Command::Simple(s) = c {
            f(s);
        }
        for w in c.own_words() {
            super::word_scripts(w, &mut |inner| own_simple(inner, f));
        }
    });
}

/// The names the `local` commands of a function's own body declare.
fn own_locals(body: &Script, out: &mut Vec<String>) {
    own_simple(body, &mut |s| {
        if let action::Action::Builtin(b) = &s.action
            && b.name == "local"
        {
            for a in &b.args {
                let p = a.literal_prefix();
                let name = p.split('=').next().unwrap_or("").to_string();
                if !name.is_empty() && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    });
}

/// `~` as the text it stands for: `$HOME`.
fn home_as_var(w: &mut Word) {
    for p in &mut w.parts {
        if matches!(p, Part::Home) {
            *p = Part::Var { name: "HOME".into(), quoted: true, default: None, op: None };
        }
    }
}

/// One pipeline as a script.
fn one_script(commands: Vec<Command>, span: Span) -> Script {
    Script {
        items: vec![Item {
            chain: Chain { first: Pipeline { negated: false, commands, span }, rest: Vec::new() },
            background: false,
            span,
        }],
    }
}

/// Programs for which `xargs CMD` (all items at once) and one `CMD ITEM` per item print and do
/// the same: each operand is handled on its own, and nothing is said about their number.
/// (`docker` and `kubectl` for the verbs that print one line per operand: see `lower_xargs`.)
const XARGS_PER_ITEM: &[&str] = &["rm", "rmdir", "mkdir", "touch", "chmod", "chown", "cat"];

/// The variables bash itself sets or changes while it runs.
const BASH_DYNAMIC: &[&str] = &[
    "PIPESTATUS",
    "RANDOM",
    "SRANDOM",
    "SECONDS",
    "LINENO",
    "BASHPID",
    "FUNCNAME",
    "BASH_SOURCE",
    "BASH_LINENO",
    "BASH_COMMAND",
    "BASH_SUBSHELL",
    "BASH_ARGV",
    "BASH_ARGC",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "PPID",
    "UID",
    "EUID",
    "GROUPS",
    "BASH_VERSION",
    "BASH_VERSINFO",
    "OLDPWD",
    "DIRSTACK",
    "SHLVL",
];

/// The parameter an expansion reads.
fn param_of(e: &ParameterExpr) -> Option<Parameter> {
    let mut e = e.clone();
    param_mut(&mut e).map(|p| p.clone())
}

/// The parameter an expansion reads, to change it.
fn param_mut(e: &mut ParameterExpr) -> Option<&mut Parameter> {
    match e {
        ParameterExpr::Parameter { parameter, .. }
        | ParameterExpr::UseDefaultValues { parameter, .. }
        | ParameterExpr::AssignDefaultValues { parameter, .. }
        | ParameterExpr::IndicateErrorIfNullOrUnset { parameter, .. }
        | ParameterExpr::UseAlternativeValue { parameter, .. }
        | ParameterExpr::ParameterLength { parameter, .. }
        | ParameterExpr::RemoveSmallestSuffixPattern { parameter, .. }
        | ParameterExpr::RemoveLargestSuffixPattern { parameter, .. }
        | ParameterExpr::RemoveSmallestPrefixPattern { parameter, .. }
        | ParameterExpr::RemoveLargestPrefixPattern { parameter, .. }
        | ParameterExpr::Substring { parameter, .. }
        | ParameterExpr::Transform { parameter, .. }
        | ParameterExpr::UppercaseFirstChar { parameter, .. }
        | ParameterExpr::UppercasePattern { parameter, .. }
        | ParameterExpr::LowercaseFirstChar { parameter, .. }
        | ParameterExpr::LowercasePattern { parameter, .. }
        | ParameterExpr::ReplaceSubstring { parameter, .. } => Some(parameter),
        ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => None,
    }
}

/// `$1`…, `$#`, `$@`, `$*` as the names `Part::Var` gives them (`$0` is not one).
fn positional_name(p: &Parameter) -> Option<String> {
    match p {
        Parameter::Positional(n) if *n > 0 => Some(n.to_string()),
        Parameter::Special(SpecialParameter::PositionalParameterCount) => Some("#".to_string()),
        Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate }) => {
            Some(if *concatenate { "*" } else { "@" }.to_string())
        }
        _ => None,
    }
}

/// A value that an unquoted expansion leaves as one word: not empty, no blank, no glob.
fn fits_unquoted(v: &str) -> bool {
    !v.is_empty() && !v.contains([' ', '\t', '\n', '*', '?', '['])
}

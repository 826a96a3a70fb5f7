//! File commands (`cat FILE`, `ls`, `rm`, `cp`, `mv`, `mkdir`, `touch`, `tee`) → typed file
//! requests. Paths stay relative to the granted root; the host resolves them with cap-std.

use playbook_capability::fs::{FsOp, FsRequest, FsTool};
use playbook_capability::{Value as _, options};

use super::{Action, Cx, text};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// Whether `name` is handled here (cat/head/tail without files are text filters instead).
#[must_use]
pub fn is_fs(name: &str) -> bool {
    FsTool::command(name).is_some_and(|t| !matches!(t, FsTool::Test | FsTool::Pwd))
}

/// `head -5` is `head -n 5`.
fn normalise_count(args: &[Word]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for w in args {
        // `-n -4` is "all but the last 4": the value of the option before it.
        let takes_value = out
            .last()
            .and_then(Word::literal)
            .is_some_and(|p| matches!(p.as_str(), "-n" | "-c" | "--lines" | "--bytes"));
        match w.literal() {
            Some(l)
                if !takes_value && l.len() > 1 && l.starts_with('-') && l[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                out.push(w.lit_like("-n"));
                out.push(w.lit_like(&l[1..]));
            }
            _ => out.push(w.clone()),
        }
    }
    out
}

/// `cat|head|tail|ls|rm|cp|mv|mkdir|touch|tee ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let Some(tool) = FsTool::command(name) else { unreachable!("is_fs said so") };
    let args = if matches!(tool, FsTool::Head | FsTool::Tail) { normalise_count(args) } else { args.to_vec() };
    // Reading standard input, or files with options (`head -c`, `tail -n +5`, `cat -n`, several
    // files with their headers): the real tool as a filter, with the filter's whole table. A
    // plain `cat FILE…` is a read, and `tail -f` a bounded follow.
    if matches!(tool, FsTool::Cat | FsTool::Head | FsTool::Tail)
        && let Some(filter) = playbook_capability::text::TextTool::command(name)
        && let Ok(p) = options::parse(filter.spec().0, &args, false)
    {
        let files = p.positional.len() + p.rest.as_ref().map_or(0, Vec::len);
        let plain_cat = tool == FsTool::Cat && p.opts.is_empty();
        if files == 0 || (!plain_cat && !p.has("follow")) {
            return text::classify(cx, name, &args);
        }
    }
    let table = tool.options();
    let parsed = match options::parse(table, &args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(name, &e, &args),
    };
    let mut paths = parsed.positional.clone();
    if let Some(rest) = &parsed.rest {
        paths.extend(rest.iter().cloned());
    }
    // The host expands a path's `*` and `?`; a quoted one must stay a name (`rm "*.log"` removes
    // the file of that name in bash), which the request cannot say yet.
    if let Some(w) = paths.iter().find(|w| {
        w.parts.iter().any(|p| matches!(p, crate::shell::Part::Lit { text } if text.contains(['*', '?', '['])))
    }) {
        cx.error(
            Diagnostic::error(Kind::Unsupported, w.span, format!("`{name}` of a path with a quoted `*`, `?` or `[`"))
                .with_label("quoted glob character")
                .with_help("playbook would expand it as a pattern; rename the file, or leave the pattern unquoted"),
        );
        return Action::Invalid;
    }
    // Options the file host does not carry out are refused, never dropped (`mkdir -m 700`
    // would leave the directory open to all).
    let not_carried_out: &[(&str, &str)] = match tool {
        FsTool::Rm | FsTool::Cp | FsTool::Mv => &[("verbose", "-v")],
        FsTool::Mkdir => &[("verbose", "-v"), ("mode", "-m")],
        FsTool::Rmdir => &[("parents", "-p")],
        _ => &[],
    };
    if let Some((_, flag)) = not_carried_out.iter().find(|(k, _)| parsed.has(k)) {
        let help = match *flag {
            "-m" => format!("create it, then set its mode: {name} DIR && chmod 700 DIR"),
            "-p" => "remove each directory, deepest first: rmdir a/b/c a/b a".to_string(),
            _ => format!("drop `{flag}`, and print what was done with echo"),
        };
        return cx.missing(cx.span, format!("`{name} {flag}` is not carried out"), &help);
    }
    if tool == FsTool::Mv && parsed.has("no-clobber") {
        return cx.missing(cx.span, "`mv -n` is not carried out", "test first: [ -e DEST ] || mv SOURCE DEST");
    }
    if tool == FsTool::Tail && parsed.has("follow") {
        cx.bounded(cx.span, "`tail -f` follows until interrupted");
    }
    if tool == FsTool::Rm && parsed.has("interactive") {
        cx.manual(cx.span, "`rm -i` asks before each file");
    }
    let op = match tool {
        FsTool::Cat | FsTool::Head | FsTool::Tail => FsOp::Read,
        FsTool::Ls => FsOp::List,
        FsTool::Rm | FsTool::Rmdir => FsOp::Remove,
        FsTool::Cp => FsOp::Copy,
        FsTool::Mv => FsOp::Move,
        FsTool::Mkdir => FsOp::Mkdir,
        FsTool::Touch => FsOp::Touch,
        FsTool::Tee if parsed.has("append") => FsOp::Append,
        _ => FsOp::Write,
    };
    let dest = if matches!(op, FsOp::Copy | FsOp::Move) {
        if paths.len() < 2 {
            return cx.missing(cx.span, format!("`{name}` needs a source and a destination"), "cp SOURCE… DEST");
        }
        paths.pop()
    } else {
        None
    };
    if paths.is_empty() && !matches!(op, FsOp::List | FsOp::Write | FsOp::Append) {
        return cx.missing(cx.span, format!("`{name}` needs a path"), "name the file or directory");
    }
    let mut r = FsRequest::new(op, tool, paths);
    r.dest = dest;
    r.options = parsed.in_order(&[]);
    Action::Fs(r)
}

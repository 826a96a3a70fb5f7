//! Pure text filters on a pipe (`grep`, `jq`, `wc`, …) → typed text requests: no capability,
//! recomputed on replay. File operands are reads and need `fs.read`.

use playbook_capability::text::{TextRequest, TextTool};
use playbook_capability::{Setting, options};

use super::{Action, Cx, scripts};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

#[must_use]
pub fn is_filter(name: &str) -> bool {
    TextTool::command(name).is_some()
}

/// `grep|jq|wc|… ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let Some(tool) = TextTool::command(name) else { unreachable!("is_filter said so") };
    if tool == TextTool::Sed && args.iter().any(|w| w.literal_prefix().starts_with("-i")) {
        cx.error(
            Diagnostic::error(
                Kind::Unsupported,
                cx.span,
                "`sed -i` edits a file in place, which playbook does not type",
            )
            .with_label("in-place edit")
            .with_help("write the result with `sed … FILE > FILE.new` and `mv FILE.new FILE`"),
        );
        return Action::Invalid;
    }
    if tool == TextTool::Jq
        && let Some(w) = args.iter().find(|w| {
            let p = w.literal_prefix();
            p.starts_with("--") && p.contains('=')
        })
    {
        cx.error(
            Diagnostic::error(Kind::Unsupported, w.span, "jq does not read an option's value after `=`")
                .with_label("`--option=value`")
                .with_help("give the value as the next word: jq --indent 2 …"),
        );
        return Action::Invalid;
    }
    let (table, mut fixed) = tool.spec();
    let parsed = match options::parse(table, args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(name, &e, args),
    };
    if parsed.has("follow") {
        cx.bounded(cx.span, "`tail -f` follows until interrupted");
    }
    // With `-e`, grep's pattern is an option; with `-e`, sed's script is.
    if (tool == TextTool::Grep && parsed.value("regexp").is_some())
        || (tool == TextTool::Sed && parsed.value("expression").is_some())
    {
        fixed = 0;
    }
    let mut positional = parsed.positional.clone();
    if let Some(rest) = &parsed.rest {
        positional.extend(rest.iter().cloned());
    }
    let one_set = tool == TextTool::Tr && (parsed.has("delete") || parsed.has("squeeze")) && positional.len() == 1;
    if positional.len() < fixed && !one_set {
        return cx.missing(
            cx.span,
            format!("`{name}` needs {fixed} operand(s) before any file"),
            "for example: grep PATTERN [FILE…]",
        );
    }
    let split = fixed.min(positional.len());
    let files = positional.split_off(split);
    if tool == TextTool::Tr && !files.is_empty() {
        return cx.missing(files[0].span, "`tr` reads only standard input", "pipe the file into it: cat FILE | tr …");
    }
    // The host expands a file operand's `*`, `?` and `[…]`; one that was quoted must stay a
    // name, which the request cannot say yet.
    if let Some(w) = files.iter().find(|w| {
        w.parts.iter().any(|p| matches!(p, crate::shell::Part::Lit { text } if text.contains(['*', '?', '['])))
    }) {
        cx.error(
            Diagnostic::error(
                Kind::Unsupported,
                w.span,
                format!("`{name}` of a file name with a quoted `*`, `?` or `[`"),
            )
            .with_label("quoted glob character")
            .with_help("playbook would expand it as a pattern; rename the file, or leave the pattern unquoted"),
        );
        return Action::Invalid;
    }
    if let Some(why) = refusal(tool, &parsed, &positional, &files) {
        cx.error(
            Diagnostic::error(Kind::Unsupported, cx.span, format!("`{name}` {}", why.0))
                .with_label(why.1)
                .with_help(why.2),
        );
        return Action::Invalid;
    }
    // In the command line's order: a later option overrides an earlier one for these tools.
    let mut options = parsed.in_order(&[]);
    match name {
        "egrep" => options.push(Setting::flag("extended")),
        "fgrep" => options.push(Setting::flag("fixed")),
        _ => {}
    }
    Action::Text(TextRequest { tool, options, operands: positional, files, env: Vec::new() })
}

/// Why a filter would not run as bash runs it with the host's tool: it would write, run or
/// read beyond its grant, or its options would change meaning when spelled in table order.
/// `(message, label, help)`.
fn refusal(
    tool: TextTool,
    parsed: &options::Parsed<Word>,
    operands: &[Word],
    files: &[Word],
) -> Option<(String, &'static str, &'static str)> {
    let program = operands.first().and_then(Word::literal);
    match tool {
        TextTool::Awk if program.is_none() => Some((
            "program is computed when the runbook runs, so what it does cannot be checked".into(),
            "not a literal program",
            "write the awk program in single quotes; pass values with -v NAME=\"$VAR\"",
        )),
        TextTool::Awk => {
            let why = program.as_deref().and_then(scripts::awk_effect)?;
            Some((
                format!("program {why}"),
                "effect",
                "keep awk to filtering; write files and run commands as their own commands",
            ))
        }
        TextTool::Sed => {
            let scripts: Vec<String> = if parsed.value("expression").is_some() {
                parsed.values("expression").into_iter().filter_map(Word::literal).collect()
            } else {
                program.into_iter().collect()
            };
            let why = scripts.iter().find_map(|s| scripts::sed_effect(s))?;
            Some((format!("script {why}"), "effect", "keep sed to filtering; write files with a redirection"))
        }
        TextTool::Uniq if files.len() > 1 => {
            Some(("with two files writes the second".into(), "output file", "redirect instead: uniq INPUT > OUTPUT"))
        }
        TextTool::Grep if (parsed.has("recursive") || parsed.has("dereference-recursive")) && files.is_empty() => {
            Some((
                "-r without a path searches the working directory unnamed in the manifest".into(),
                "no path",
                "name the directory: grep -r PATTERN DIR",
            ))
        }
        TextTool::Grep if parsed.has("dereference-recursive") => Some((
            "-R follows symbolic links, also out of the directories the manifest names".into(),
            "-R",
            "use -r, which searches the directory without following links",
        )),
        TextTool::Jq if program.as_deref().is_some_and(jq_loads_modules) => Some((
            "program loads modules (`import`/`include`), files the manifest does not name".into(),
            "module",
            "put the definitions into the program itself",
        )),
        TextTool::Jq if program.as_deref().is_some_and(|p| p.starts_with('-')) => Some((
            "program starts with `-`, which jq reads as an option".into(),
            "program",
            "write it in parentheses: jq '(-1)'",
        )),
        _ => None,
    }
}

/// Whether a jq program loads a module (`import "m" as m;`, `include "m";`), outside strings.
fn jq_loads_modules(program: &str) -> bool {
    let mut code = String::new();
    let mut in_string = false;
    let mut chars = program.chars();
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (_, '"') => in_string = !in_string,
            (false, c) => code.push(c),
            (true, _) => {}
        }
    }
    ["import", "include", "modulemeta", "get_search_list"].iter().any(|w| {
        code.match_indices(w).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + w.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'))
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

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
    if let Some(why) = refusal(tool, &parsed, &positional, &files) {
        cx.error(
            Diagnostic::error(Kind::Unsupported, cx.span, format!("`{name}` {}", why.0))
                .with_label(why.1)
                .with_help(why.2),
        );
        return Action::Invalid;
    }
    let mut options = parsed.settings(table, &[]);
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
        TextTool::Head | TextTool::Tail if parsed.has("lines") && parsed.has("bytes") => {
            Some(("with both -n and -c takes the last one given".into(), "-n and -c", "keep one of them"))
        }
        _ => None,
    }
}

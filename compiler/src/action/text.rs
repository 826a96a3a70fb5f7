//! Pure text filters on a pipe (`grep`, `jq`, `wc`, …) → typed text requests: no capability,
//! recomputed on replay. File operands are reads and need `fs.read`.

use playbook_capability::text::{TextRequest, TextTool};
use playbook_capability::{Setting, options};

use super::{Action, Cx};
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
    if positional.len() < fixed && !(tool == TextTool::Tr && parsed.has("delete") && positional.len() == 1) {
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
    let mut options = parsed.settings(table, &[]);
    match name {
        "egrep" => options.push(Setting::flag("extended")),
        "fgrep" => options.push(Setting::flag("fixed")),
        _ => {}
    }
    Action::Text(TextRequest { tool, options, operands: positional, files, env: Vec::new() })
}

//! Pure text filters on a pipe (`grep`, `jq`, `wc`, …): no capability, recomputed on replay.
//! File operands are reads and need `fs.read`.

use serde::Serialize;

use super::args::{self, Opt, flag, valued};
use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// A typed text filter: the host (or guest) applies it to its input deterministically.
#[derive(Clone, Debug, Serialize)]
pub struct TextFilter {
    pub name: String,
    pub options: Vec<(String, Option<Word>)>,
    /// Non-file operands: the pattern of `grep`, the program of `jq`/`awk`/`sed`, the sets of `tr`.
    pub operands: Vec<Word>,
    /// Files read instead of standard input.
    pub files: Vec<Word>,
}

impl TextFilter {
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        self.files.iter().map(|f| Need::new("fs.read", Effect::Read).with("path", scope_of(f))).collect()
    }
}

const FILTERS: &[&str] = &[
    "grep", "egrep", "fgrep", "wc", "sort", "uniq", "cut", "tr", "jq", "awk", "sed", "column", "tac", "head", "tail",
    "cat",
];

#[must_use]
pub fn is_filter(name: &str) -> bool {
    FILTERS.contains(&name)
}

/// How many leading operands are not files.
fn spec(name: &str) -> (&'static [Opt], usize) {
    match name {
        "grep" | "egrep" | "fgrep" => (
            const {
                &[
                    flag("ignore-case", &["-i", "--ignore-case"]),
                    flag("invert", &["-v", "--invert-match"]),
                    flag("extended", &["-E", "--extended-regexp"]),
                    flag("fixed", &["-F", "--fixed-strings"]),
                    flag("count", &["-c", "--count"]),
                    flag("only-matching", &["-o", "--only-matching"]),
                    flag("line-number", &["-n", "--line-number"]),
                    flag("no-filename", &["-h"]),
                    flag("with-filename", &["-H"]),
                    flag("files-with-matches", &["-l"]),
                    flag("quiet", &["-q", "--quiet", "--silent"]),
                    flag("word", &["-w", "--word-regexp"]),
                    flag("line", &["-x", "--line-regexp"]),
                    flag("no-messages", &["-s"]),
                    valued("after", &["-A", "--after-context"]),
                    valued("before", &["-B", "--before-context"]),
                    valued("context", &["-C", "--context"]),
                    valued("regexp", &["-e", "--regexp"]),
                    valued("max-count", &["-m", "--max-count"]),
                    flag("color", &["--color", "--colour"]),
                    flag("perl", &["-P"]),
                ]
            },
            1,
        ),
        "wc" => (
            const {
                &[
                    flag("lines", &["-l", "--lines"]),
                    flag("bytes", &["-c", "--bytes"]),
                    flag("words", &["-w", "--words"]),
                    flag("chars", &["-m", "--chars"]),
                ]
            },
            0,
        ),
        "sort" => (
            const {
                &[
                    flag("numeric", &["-n", "--numeric-sort"]),
                    flag("reverse", &["-r", "--reverse"]),
                    valued("key", &["-k", "--key"]),
                    valued("separator", &["-t", "--field-separator"]),
                    flag("unique", &["-u", "--unique"]),
                    flag("human", &["-h", "--human-numeric-sort"]),
                    flag("version", &["-V", "--version-sort"]),
                    flag("ignore-case", &["-f", "--ignore-case"]),
                ]
            },
            0,
        ),
        "uniq" => (
            const {
                &[
                    flag("count", &["-c", "--count"]),
                    flag("repeated", &["-d", "--repeated"]),
                    flag("unique", &["-u", "--unique"]),
                    flag("ignore-case", &["-i", "--ignore-case"]),
                ]
            },
            0,
        ),
        "cut" => (
            const {
                &[
                    valued("delimiter", &["-d", "--delimiter"]),
                    valued("fields", &["-f", "--fields"]),
                    valued("characters", &["-c", "--characters"]),
                    valued("bytes", &["-b", "--bytes"]),
                ]
            },
            0,
        ),
        "tr" => (
            const {
                &[
                    flag("delete", &["-d", "--delete"]),
                    flag("squeeze", &["-s", "--squeeze-repeats"]),
                    flag("complement", &["-c", "-C", "--complement"]),
                ]
            },
            2,
        ),
        "jq" => (
            const {
                &[
                    flag("raw-output", &["-r", "--raw-output"]),
                    flag("compact", &["-c", "--compact-output"]),
                    flag("exit-status", &["-e", "--exit-status"]),
                    flag("slurp", &["-s", "--slurp"]),
                    flag("null-input", &["-n", "--null-input"]),
                    flag("join", &["-j", "--join-output"]),
                    flag("sort-keys", &["-S", "--sort-keys"]),
                    flag("monochrome", &["-M", "--monochrome-output"]),
                ]
            },
            1,
        ),
        "awk" => (const { &[valued("field-separator", &["-F"]), valued("assign", &["-v"])] }, 1),
        "sed" => (
            const {
                &[
                    flag("quiet", &["-n", "--quiet", "--silent"]),
                    flag("extended", &["-E", "-r", "--regexp-extended"]),
                    valued("expression", &["-e", "--expression"]),
                ]
            },
            1,
        ),
        "column" => (const { &[flag("table", &["-t", "--table"]), valued("separator", &["-s", "--separator"])] }, 0),
        "head" | "tail" => (
            const {
                &[
                    valued("lines", &["-n", "--lines"]),
                    valued("bytes", &["-c", "--bytes"]),
                    flag("follow", &["-f", "-F", "--follow"]),
                    flag("quiet", &["-q"]),
                ]
            },
            0,
        ),
        "cat" => (const { &[flag("number", &["-n", "--number"]), flag("squeeze", &["-s"])] }, 0),
        _ => (&[], 0),
    }
}

/// `grep|jq|wc|… ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let canonical = match name {
        "egrep" | "fgrep" => "grep",
        other => other,
    };
    if name == "sed" && args.iter().any(|w| w.literal_prefix().starts_with("-i")) {
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
    let (opts, mut fixed) = spec(name);
    let parsed = match args::parse(opts, args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(name, &e),
    };
    if parsed.has("follow") {
        cx.bounded(cx.span, "`tail -f` follows until interrupted");
    }
    // With `-e`, grep's pattern is an option; with `-e`, sed's script is.
    if (canonical == "grep" && parsed.value("regexp").is_some())
        || (name == "sed" && parsed.value("expression").is_some())
    {
        fixed = 0;
    }
    let mut positional = parsed.positional.clone();
    if let Some(rest) = &parsed.rest {
        positional.extend(rest.iter().cloned());
    }
    if positional.len() < fixed && !(name == "tr" && parsed.has("delete") && positional.len() == 1) {
        return cx.missing(
            cx.span,
            format!("`{name}` needs {fixed} operand(s) before any file"),
            "for example: grep PATTERN [FILE…]",
        );
    }
    let split = fixed.min(positional.len());
    let files = positional.split_off(split);
    if name == "tr" && !files.is_empty() {
        return cx.missing(files[0].span, "`tr` reads only standard input", "pipe the file into it: cat FILE | tr …");
    }
    let mut options: Vec<(String, Option<Word>)> =
        parsed.opts.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect();
    if name == "egrep" {
        options.push(("extended".into(), None));
    } else if name == "fgrep" {
        options.push(("fixed".into(), None));
    }
    Action::Text(TextFilter { name: canonical.to_string(), options, operands: positional, files })
}

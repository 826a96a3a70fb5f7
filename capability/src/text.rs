//! Text filters on a pipe (`grep`, `jq`, `wc`, …) and the shell's own `echo -e`, `printf` and
//! `test`: pure functions of their input, needing no grant. File operands are reads, so they
//! need `fs.read`.

use crate::effect::Effect;
use crate::fs::join;
use crate::options::{Opt, Setting, flag, valued};
use crate::scope::Need;
use crate::value::Value;

named_enum! {
    /// A pure filter the host applies.
    pub enum TextTool {
        Grep = "grep",
        Wc = "wc",
        Sort = "sort",
        Uniq = "uniq",
        Cut = "cut",
        Tr = "tr",
        Jq = "jq",
        Awk = "awk",
        Sed = "sed",
        Column = "column",
        Tac = "tac",
        Head = "head",
        Tail = "tail",
        Cat = "cat",
        Echo = "echo",
        Printf = "printf",
        Test = "test",
    }
}

impl TextTool {
    /// The filter by its command name (`egrep` and `fgrep` are `grep`).
    #[must_use]
    pub fn command(name: &str) -> Option<Self> {
        match name {
            "egrep" | "fgrep" => Some(Self::Grep),
            "echo" | "printf" | "test" => None,
            other => Self::from_name(other),
        }
    }

    /// Its option table and how many leading operands are not files.
    #[must_use]
    pub fn spec(self) -> (&'static [Opt], usize) {
        match self {
            Self::Grep => (
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
            Self::Wc => (
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
            Self::Sort => (
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
            Self::Uniq => (
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
            Self::Cut => (
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
            Self::Tr => (
                const {
                    &[
                        flag("delete", &["-d", "--delete"]),
                        flag("squeeze", &["-s", "--squeeze-repeats"]),
                        flag("complement", &["-c", "-C", "--complement"]),
                    ]
                },
                2,
            ),
            Self::Jq => (
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
            Self::Awk => (const { &[valued("field-separator", &["-F"]), valued("assign", &["-v"])] }, 1),
            Self::Sed => (
                const {
                    &[
                        flag("quiet", &["-n", "--quiet", "--silent"]),
                        flag("extended", &["-E", "-r", "--regexp-extended"]),
                        valued("expression", &["-e", "--expression"]),
                    ]
                },
                1,
            ),
            Self::Column => {
                (const { &[flag("table", &["-t", "--table"]), valued("separator", &["-s", "--separator"])] }, 0)
            }
            Self::Head | Self::Tail => (
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
            Self::Cat => (const { &[flag("number", &["-n", "--number"]), flag("squeeze", &["-s"])] }, 0),
            Self::Echo => (const { &[flag("escapes", &["-e"]), flag("no-newline", &["-n"])] }, 0),
            Self::Tac | Self::Printf | Self::Test => (&[], 0),
        }
    }
}

/// A typed filter. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TextRequest<V> {
    pub tool: TextTool,
    pub options: Vec<Setting<V>>,
    /// Non-file operands: the pattern of `grep`, the program of `jq`/`awk`/`sed`, the sets of `tr`.
    pub operands: Vec<V>,
    /// Files read instead of standard input (the guest reads them through `fs.read` first).
    pub files: Vec<V>,
    /// The runbook's variables `jq` sees as `env` and `$ENV` (its prefixes and exported
    /// variables); empty for the other filters.
    pub env: Vec<(String, V)>,
}

impl<V: Value> TextRequest<V> {
    /// Reading the file operands: the filter itself needs nothing.
    #[must_use]
    pub fn needs(&self, cwd: Option<&str>) -> Vec<Need> {
        self.files.iter().map(|f| Need::new("fs.read", Effect::Read).with("path", join(cwd, &f.template()))).collect()
    }
}

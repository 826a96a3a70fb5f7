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
        /// The shell's `command -v NAME…`: where each name is found.
        CommandV = "command-v",
    }
}

impl TextTool {
    /// The filter by its command name (`egrep` and `fgrep` are `grep`).
    #[must_use]
    pub fn command(name: &str) -> Option<Self> {
        match name {
            "egrep" | "fgrep" => Some(Self::Grep),
            "echo" | "printf" | "test" | "command-v" => None,
            other => Self::from_name(other),
        }
    }

    /// Its option table and how many leading operands are not files. The tables follow the
    /// GNU tools' `--help` (mawk for `awk`, jq 1.6, util-linux `column`), less what writes a
    /// file (`sort -o`, `sed -i`), runs a program (`sort --compress-program`) or reads a file
    /// the manifest would not name (`grep -f`, `sed -f`, `jq --slurpfile`).
    #[must_use]
    pub fn spec(self) -> (&'static [Opt], usize) {
        match self {
            Self::Grep => (GREP, 1),
            Self::Wc => (WC, 0),
            Self::Sort => (SORT, 0),
            Self::Uniq => (UNIQ, 0),
            Self::Cut => (CUT, 0),
            Self::Tr => (TR, 2),
            Self::Jq => (JQ, 1),
            Self::Awk => (const { &[valued("field-separator", &["-F"]), valued("assign", &["-v"])] }, 1),
            Self::Sed => (SED, 1),
            Self::Column => (COLUMN, 0),
            Self::Head | Self::Tail => (HEAD_TAIL, 0),
            Self::Cat => (CAT, 0),
            Self::Tac => (TAC, 0),
            // (`leading-options`: operands known only at run time that spell echo's options —
            // `-n`, `-e`, `-E`, `-ne` — are read as options, as bash's echo reads them.)
            Self::Echo => (
                const {
                    &[
                        flag("escapes", &["-e"]),
                        flag("no-newline", &["-n"]),
                        flag("leading-options", &["--leading-options"]),
                    ]
                },
                0,
            ),
            // (`[`: spelled so, its messages say `[:`.)
            Self::Test => (const { &[flag("bracket", &["["])] }, 0),
            Self::Printf | Self::CommandV => (&[], 0),
        }
    }
}

const GREP: &[Opt] = &[
    flag("ignore-case", &["-i", "-y", "--ignore-case"]),
    flag("no-ignore-case", &["--no-ignore-case"]),
    flag("invert", &["-v", "--invert-match"]),
    flag("extended", &["-E", "--extended-regexp"]),
    flag("fixed", &["-F", "--fixed-strings"]),
    flag("basic", &["-G", "--basic-regexp"]),
    flag("perl", &["-P", "--perl-regexp"]),
    flag("count", &["-c", "--count"]),
    flag("only-matching", &["-o", "--only-matching"]),
    flag("line-number", &["-n", "--line-number"]),
    flag("byte-offset", &["-b", "--byte-offset"]),
    flag("no-filename", &["-h", "--no-filename"]),
    flag("with-filename", &["-H", "--with-filename"]),
    flag("files-with-matches", &["-l", "--files-with-matches"]),
    flag("files-without-match", &["-L", "--files-without-match"]),
    flag("quiet", &["-q", "--quiet", "--silent"]),
    flag("word", &["-w", "--word-regexp"]),
    flag("line", &["-x", "--line-regexp"]),
    flag("no-messages", &["-s", "--no-messages"]),
    flag("text", &["-a", "--text"]),
    flag("binary-without-match", &["-I"]),
    flag("initial-tab", &["-T", "--initial-tab"]),
    flag("null", &["-Z", "--null"]),
    flag("null-data", &["-z", "--null-data"]),
    flag("line-buffered", &["--line-buffered"]),
    flag("recursive", &["-r", "--recursive"]),
    flag("dereference-recursive", &["-R", "--dereference-recursive"]),
    valued("include", &["--include"]),
    valued("exclude", &["--exclude"]),
    valued("exclude-dir", &["--exclude-dir"]),
    valued("after", &["-A", "--after-context"]),
    valued("before", &["-B", "--before-context"]),
    valued("context", &["-C", "--context"]),
    valued("regexp", &["-e", "--regexp"]),
    valued("max-count", &["-m", "--max-count"]),
    valued("label", &["--label"]),
    flag("color", &["--color", "--colour"]),
];

const WC: &[Opt] = &[
    flag("lines", &["-l", "--lines"]),
    flag("bytes", &["-c", "--bytes"]),
    flag("words", &["-w", "--words"]),
    flag("chars", &["-m", "--chars"]),
    flag("max-line-length", &["-L", "--max-line-length"]),
];

const SORT: &[Opt] = &[
    flag("numeric", &["-n", "--numeric-sort"]),
    flag("general-numeric", &["-g", "--general-numeric-sort"]),
    flag("reverse", &["-r", "--reverse"]),
    valued("key", &["-k", "--key"]),
    valued("separator", &["-t", "--field-separator"]),
    flag("unique", &["-u", "--unique"]),
    flag("human", &["-h", "--human-numeric-sort"]),
    flag("version", &["-V", "--version-sort"]),
    flag("month", &["-M", "--month-sort"]),
    flag("ignore-case", &["-f", "--ignore-case"]),
    flag("ignore-leading-blanks", &["-b", "--ignore-leading-blanks"]),
    flag("dictionary-order", &["-d", "--dictionary-order"]),
    flag("ignore-nonprinting", &["-i", "--ignore-nonprinting"]),
    flag("stable", &["-s", "--stable"]),
    flag("check", &["-c", "--check"]),
    flag("check-quiet", &["-C"]),
    flag("merge", &["-m", "--merge"]),
    flag("zero-terminated", &["-z", "--zero-terminated"]),
];

const UNIQ: &[Opt] = &[
    flag("count", &["-c", "--count"]),
    flag("repeated", &["-d", "--repeated"]),
    flag("all-repeated", &["-D"]),
    flag("unique", &["-u", "--unique"]),
    flag("ignore-case", &["-i", "--ignore-case"]),
    valued("skip-fields", &["-f", "--skip-fields"]),
    valued("skip-chars", &["-s", "--skip-chars"]),
    valued("check-chars", &["-w", "--check-chars"]),
    flag("zero-terminated", &["-z", "--zero-terminated"]),
];

const CUT: &[Opt] = &[
    valued("delimiter", &["-d", "--delimiter"]),
    valued("fields", &["-f", "--fields"]),
    valued("characters", &["-c", "--characters"]),
    valued("bytes", &["-b", "--bytes"]),
    flag("only-delimited", &["-s", "--only-delimited"]),
    flag("complement", &["--complement"]),
    valued("output-delimiter", &["--output-delimiter"]),
    flag("zero-terminated", &["-z", "--zero-terminated"]),
];

const TR: &[Opt] = &[
    flag("delete", &["-d", "--delete"]),
    flag("squeeze", &["-s", "--squeeze-repeats"]),
    flag("complement", &["-c", "-C", "--complement"]),
    flag("truncate-set1", &["-t", "--truncate-set1"]),
];

const JQ: &[Opt] = &[
    flag("raw-output", &["-r", "--raw-output"]),
    flag("compact", &["-c", "--compact-output"]),
    flag("exit-status", &["-e", "--exit-status"]),
    flag("slurp", &["-s", "--slurp"]),
    flag("null-input", &["-n", "--null-input"]),
    flag("raw-input", &["-R", "--raw-input"]),
    flag("join", &["-j", "--join-output"]),
    flag("sort-keys", &["-S", "--sort-keys"]),
    flag("ascii-output", &["-a", "--ascii-output"]),
    flag("monochrome", &["-M", "--monochrome-output"]),
    flag("color-output", &["-C", "--color-output"]),
    flag("tab", &["--tab"]),
    valued("indent", &["--indent"]),
    flag("seq", &["--seq"]),
    flag("stream", &["--stream"]),
];

const SED: &[Opt] = &[
    flag("quiet", &["-n", "--quiet", "--silent"]),
    flag("extended", &["-E", "-r", "--regexp-extended"]),
    valued("expression", &["-e", "--expression"]),
    flag("separate", &["-s", "--separate"]),
    flag("null-data", &["-z", "--null-data"]),
    flag("unbuffered", &["-u", "--unbuffered"]),
    flag("posix", &["--posix"]),
    flag("sandbox", &["--sandbox"]),
];

const COLUMN: &[Opt] = &[
    flag("table", &["-t", "--table"]),
    valued("separator", &["-s", "--separator"]),
    valued("output-separator", &["-o", "--output-separator"]),
    valued("output-width", &["-c", "--output-width"]),
    flag("fillrows", &["-x", "--fillrows"]),
    valued("table-columns", &["-N", "--table-columns"]),
    valued("table-right", &["-R", "--table-right"]),
    flag("json", &["-J", "--json"]),
];

const HEAD_TAIL: &[Opt] = &[
    valued("lines", &["-n", "--lines"]),
    valued("bytes", &["-c", "--bytes"]),
    flag("follow", &["-f", "-F", "--follow"]),
    flag("quiet", &["-q", "--quiet", "--silent"]),
    flag("verbose", &["-v", "--verbose"]),
    flag("zero-terminated", &["-z", "--zero-terminated"]),
];

const CAT: &[Opt] = &[
    flag("number", &["-n", "--number"]),
    flag("number-nonblank", &["-b", "--number-nonblank"]),
    flag("squeeze", &["-s", "--squeeze-blank"]),
    flag("show-all", &["-A", "--show-all"]),
    flag("show-ends", &["-E", "--show-ends"]),
    flag("show-tabs", &["-T", "--show-tabs"]),
    flag("show-nonprinting", &["-v", "--show-nonprinting"]),
    flag("e", &["-e"]),
    flag("t", &["-t"]),
    flag("unbuffered", &["-u"]),
];

const TAC: &[Opt] = &[
    flag("before", &["-b", "--before"]),
    flag("regex", &["-r", "--regex"]),
    valued("separator", &["-s", "--separator"]),
];

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

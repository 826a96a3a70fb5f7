//! File commands (`cat FILE`, `ls`, `rm`, `cp`, `mv`, `mkdir`, `touch`, `tee`) → `fs.*`.
//! Paths stay relative to the granted root; the host resolves them with cap-std.

use serde::Serialize;

use super::args::{self, Opt, flag, valued};
use super::{Action, Cx, Effect, Need, scope_of, text};
use crate::shell::Word;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FsOp {
    Read,
    List,
    Remove,
    Copy,
    Move,
    Mkdir,
    Touch,
    Write,
    Append,
}

impl FsOp {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::List => "list",
            Self::Remove => "remove",
            Self::Copy => "copy",
            Self::Move => "move",
            Self::Mkdir => "mkdir",
            Self::Touch => "touch",
            Self::Write => "write",
            Self::Append => "append",
        }
    }
}

/// A typed file operation.
#[derive(Clone, Debug, Serialize)]
pub struct FsCall {
    /// The command as written (`cat`, `head`, `tail`, `ls`, …): decides the output format.
    pub tool: String,
    pub op: FsOp,
    pub paths: Vec<Word>,
    /// Destination of `cp` and `mv`.
    pub dest: Option<Word>,
    pub options: Vec<(String, Option<Word>)>,
}

impl FsCall {
    fn has(&self, key: &str) -> bool {
        self.options.iter().any(|(k, _)| k == key)
    }

    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let recursive = self.has("recursive");
        let one = |cap: &str, effect: Effect, p: &Word| {
            let n = Need::new(cap, effect).with("path", scope_of(p));
            if recursive { n.with("recursive", "true") } else { n }
        };
        match self.op {
            FsOp::Read => self.paths.iter().map(|p| one("fs.read", Effect::Read, p)).collect(),
            FsOp::List => {
                if self.paths.is_empty() {
                    vec![one("fs.list", Effect::Read, &Word::lit(".", Default::default()))]
                } else {
                    self.paths.iter().map(|p| one("fs.list", Effect::Read, p)).collect()
                }
            }
            FsOp::Remove => self.paths.iter().map(|p| one("fs.remove", Effect::Destructive, p)).collect(),
            FsOp::Mkdir => self.paths.iter().map(|p| one("fs.mkdir", Effect::Write, p)).collect(),
            FsOp::Touch => self.paths.iter().map(|p| one("fs.touch", Effect::Write, p)).collect(),
            FsOp::Write => self.paths.iter().map(|p| one("fs.write", Effect::Destructive, p)).collect(),
            FsOp::Append => self.paths.iter().map(|p| one("fs.append", Effect::Write, p)).collect(),
            FsOp::Copy | FsOp::Move => {
                let mut out: Vec<Need> = self.paths.iter().map(|p| one("fs.read", Effect::Read, p)).collect();
                if let Some(d) = &self.dest {
                    let cap = if self.op == FsOp::Copy { "fs.write" } else { "fs.move" };
                    let mut n = one(cap, Effect::Write, d);
                    if self.op == FsOp::Move {
                        n = n.with("from", self.paths.iter().map(scope_of).collect::<Vec<_>>().join(" "));
                    }
                    out.push(n);
                }
                if self.op == FsOp::Move {
                    out.retain(|n| n.capability != "fs.read");
                }
                out
            }
        }
    }
}

const FILE_TOOLS: &[&str] = &["cat", "head", "tail", "ls", "rm", "rmdir", "cp", "mv", "mkdir", "touch", "tee"];

/// Whether `name` is handled here (cat/head/tail without files are text filters instead).
#[must_use]
pub fn is_fs(name: &str, _args: &[Word]) -> bool {
    FILE_TOOLS.contains(&name)
}

fn spec(tool: &str) -> &'static [Opt] {
    match tool {
        "cat" => {
            const {
                &[
                    flag("number", &["-n", "--number"]),
                    flag("number-nonblank", &["-b"]),
                    flag("squeeze", &["-s"]),
                    flag("show-all", &["-A"]),
                    flag("show-ends", &["-E"]),
                ]
            }
        }
        "head" => {
            const { &[valued("lines", &["-n", "--lines"]), valued("bytes", &["-c", "--bytes"]), flag("quiet", &["-q"])] }
        }
        "tail" => {
            const {
                &[
                    valued("lines", &["-n", "--lines"]),
                    valued("bytes", &["-c", "--bytes"]),
                    flag("follow", &["-f", "-F", "--follow"]),
                    flag("quiet", &["-q"]),
                ]
            }
        }
        "ls" => {
            const {
                &[
                    flag("long", &["-l"]),
                    flag("all", &["-a", "--all"]),
                    flag("almost-all", &["-A"]),
                    flag("human", &["-h", "--human-readable"]),
                    flag("time", &["-t"]),
                    flag("reverse", &["-r"]),
                    flag("size", &["-S"]),
                    flag("one", &["-1"]),
                    flag("directory", &["-d"]),
                    flag("recursive", &["-R"]),
                ]
            }
        }
        "rm" => {
            const {
                &[
                    flag("recursive", &["-r", "-R", "--recursive"]),
                    flag("force", &["-f", "--force"]),
                    flag("verbose", &["-v"]),
                    flag("interactive", &["-i"]),
                ]
            }
        }
        "rmdir" => const { &[flag("parents", &["-p"])] },
        "cp" => {
            const {
                &[
                    flag("recursive", &["-r", "-R", "--recursive"]),
                    flag("archive", &["-a", "--archive"]),
                    flag("preserve", &["-p"]),
                    flag("force", &["-f"]),
                    flag("verbose", &["-v"]),
                ]
            }
        }
        "mv" => const { &[flag("force", &["-f"]), flag("verbose", &["-v"]), flag("no-clobber", &["-n"])] },
        "mkdir" => {
            const { &[flag("parents", &["-p", "--parents"]), flag("verbose", &["-v"]), valued("mode", &["-m", "--mode"])] }
        }
        "tee" => const { &[flag("append", &["-a", "--append"])] },
        _ => &[],
    }
}

/// `head -5` is `head -n 5`.
fn normalise_count(args: &[Word]) -> Vec<Word> {
    args.iter()
        .flat_map(|w| match w.literal() {
            Some(l) if l.len() > 1 && l.starts_with('-') && l[1..].chars().all(|c| c.is_ascii_digit()) => {
                vec![Word::lit("-n", w.span), Word::lit(&l[1..], w.span)]
            }
            _ => vec![w.clone()],
        })
        .collect()
}

/// `cat|head|tail|ls|rm|cp|mv|mkdir|touch|tee ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, tool: &str, args: &[Word]) -> Action {
    let args = if matches!(tool, "head" | "tail") { normalise_count(args) } else { args.to_vec() };
    let parsed = match args::parse(spec(tool), &args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e),
    };
    let mut paths = parsed.positional.clone();
    if let Some(rest) = &parsed.rest {
        paths.extend(rest.iter().cloned());
    }
    if matches!(tool, "cat" | "head" | "tail") && paths.is_empty() {
        // Reading standard input: a pure filter.
        return text::classify(cx, tool, &args);
    }
    if tool == "tail" && parsed.has("follow") {
        cx.bounded(cx.span, "`tail -f` follows until interrupted");
    }
    if tool == "rm" && parsed.has("interactive") {
        cx.manual(cx.span, "`rm -i` asks before each file");
    }
    let op = match tool {
        "cat" | "head" | "tail" => FsOp::Read,
        "ls" => FsOp::List,
        "rm" | "rmdir" => FsOp::Remove,
        "cp" => FsOp::Copy,
        "mv" => FsOp::Move,
        "mkdir" => FsOp::Mkdir,
        "touch" => FsOp::Touch,
        "tee" if parsed.has("append") => FsOp::Append,
        _ => FsOp::Write,
    };
    let dest = if matches!(op, FsOp::Copy | FsOp::Move) {
        if paths.len() < 2 {
            return cx.missing(cx.span, format!("`{tool}` needs a source and a destination"), "cp SOURCE… DEST");
        }
        paths.pop()
    } else {
        None
    };
    if paths.is_empty() && !matches!(op, FsOp::List | FsOp::Write | FsOp::Append) {
        return cx.missing(cx.span, format!("`{tool}` needs a path"), "name the file or directory");
    }
    Action::Fs(FsCall {
        tool: tool.to_string(),
        op,
        paths,
        dest,
        options: parsed.opts.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect(),
    })
}

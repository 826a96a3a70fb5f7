//! Files: `cat`, `ls`, `rm`, `cp`, `mv`, `mkdir`, `touch`, `tee`, redirections and file tests as
//! typed requests on paths relative to the granted root. The host resolves them with cap-std.

use crate::effect::Effect;
use crate::options::{self, Opt, Setting, flag, valued};
use crate::scope::Need;
use crate::value::Value;

named_enum! {
    /// What a file request does.
    pub enum FsOp {
        Read = "read",
        List = "list",
        Remove = "remove",
        Copy = "copy",
        Move = "move",
        Mkdir = "mkdir",
        Touch = "touch",
        Write = "write",
        Append = "append",
        Stat = "stat",
        Pwd = "pwd",
        /// The paths an unquoted glob matches (`for f in logs/*.log`), ended each by a NUL, or
        /// the pattern itself when none does, as bash leaves it.
        Glob = "glob",
    }
}

named_enum! {
    /// The command as written: it decides the output format and the messages.
    pub enum FsTool {
        Cat = "cat",
        Head = "head",
        Tail = "tail",
        Ls = "ls",
        Rm = "rm",
        Rmdir = "rmdir",
        Cp = "cp",
        Mv = "mv",
        Mkdir = "mkdir",
        Touch = "touch",
        Tee = "tee",
        /// `< FILE`
        RedirectIn = "redirect-in",
        /// `> FILE`
        RedirectOut = "redirect-out",
        /// `>> FILE`
        RedirectAppend = "redirect-append",
        /// `test -f FILE`, `[ -d DIR ]`
        Test = "test",
        Pwd = "pwd",
        /// A glob the shell expands (`logs/*.log` in a `for` list or a program's arguments).
        Glob = "glob",
    }
}

impl FsTool {
    /// The tool by its command name.
    #[must_use]
    pub fn command(name: &str) -> Option<Self> {
        Self::from_name(name).filter(|t| !matches!(t, Self::RedirectIn | Self::RedirectOut | Self::RedirectAppend))
    }

    /// The option table of the tool.
    #[must_use]
    pub fn options(self) -> &'static [Opt] {
        match self {
            Self::Cat => {
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
            Self::Head => {
                const { &[valued("lines", &["-n", "--lines"]), valued("bytes", &["-c", "--bytes"]), flag("quiet", &["-q"])] }
            }
            Self::Tail => {
                const {
                    &[
                        valued("lines", &["-n", "--lines"]),
                        valued("bytes", &["-c", "--bytes"]),
                        flag("follow", &["-f", "-F", "--follow"]),
                        flag("quiet", &["-q"]),
                    ]
                }
            }
            // GNU ls's `--help`, less `--color` (a pipe has none) and what only formats for a
            // terminal's width.
            Self::Ls => {
                const {
                    &[
                        flag("long", &["-l"]),
                        flag("all", &["-a", "--all"]),
                        flag("almost-all", &["-A", "--almost-all"]),
                        flag("human", &["-h", "--human-readable"]),
                        flag("si", &["--si"]),
                        flag("time", &["-t"]),
                        flag("reverse", &["-r", "--reverse"]),
                        flag("size", &["-S"]),
                        flag("one", &["-1"]),
                        flag("directory", &["-d", "--directory"]),
                        flag("recursive", &["-R", "--recursive"]),
                        flag("classify", &["-F", "--classify"]),
                        flag("indicator-slash", &["-p"]),
                        flag("inode", &["-i", "--inode"]),
                        flag("numeric-uid-gid", &["-n", "--numeric-uid-gid"]),
                        flag("no-owner", &["-g"]),
                        flag("no-group", &["-o"]),
                        flag("show-size", &["-s", "--size"]),
                        flag("access-time", &["-u"]),
                        flag("change-time", &["-c"]),
                        flag("extension", &["-X"]),
                        flag("natural", &["-v"]),
                        flag("unsorted", &["-U"]),
                        flag("dereference", &["-L", "--dereference"]),
                        flag("quote-name", &["-Q", "--quote-name"]),
                        flag("full-time", &["--full-time"]),
                        flag("group-directories-first", &["--group-directories-first"]),
                        valued("time-style", &["--time-style"]),
                        valued("sort", &["--sort"]),
                        valued("block-size", &["--block-size"]),
                        flag("commas", &["-m"]),
                    ]
                }
            }
            Self::Rm => {
                const {
                    &[
                        flag("recursive", &["-r", "-R", "--recursive"]),
                        flag("force", &["-f", "--force"]),
                        flag("verbose", &["-v"]),
                        flag("interactive", &["-i"]),
                    ]
                }
            }
            Self::Rmdir => const { &[flag("parents", &["-p"])] },
            Self::Cp => {
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
            Self::Mv => const { &[flag("force", &["-f"]), flag("verbose", &["-v"]), flag("no-clobber", &["-n"])] },
            Self::Mkdir => {
                const {
                    &[
                        flag("parents", &["-p", "--parents"]),
                        flag("verbose", &["-v"]),
                        valued("mode", &["-m", "--mode"]),
                    ]
                }
            }
            Self::Tee => const { &[flag("append", &["-a", "--append"])] },
            Self::Test => const { &[valued("test", &["--test"]), flag("not", &["--not"])] },
            _ => &[],
        }
    }

    /// How messages start: `cat: …`; redirections speak as the shell.
    #[must_use]
    pub fn shown(self) -> &'static str {
        match self {
            Self::RedirectIn | Self::RedirectOut | Self::RedirectAppend => "bash",
            Self::Test => "[",
            other => other.as_str(),
        }
    }
}

/// File tests `[ -X path ]` the host answers.
pub const FILE_TESTS: &[&str] = &["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h"];

/// A typed file request. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FsRequest<V> {
    pub op: FsOp,
    pub tool: FsTool,
    pub paths: Vec<V>,
    /// Destination of `cp` and `mv`.
    pub dest: Option<V>,
    pub options: Vec<Setting<V>>,
}

/// `base/path`, unless `path` is absolute, home-relative or `base` is unknown.
#[must_use]
pub fn join(base: Option<&str>, path: &str) -> String {
    match base {
        Some("." | "") => path.strip_prefix("./").unwrap_or(path).to_string(),
        Some(b) if !path.starts_with(['/', '~']) => {
            let p = path.strip_prefix("./").unwrap_or(path);
            if p == "." { b.to_string() } else { format!("{}/{p}", b.trim_end_matches('/')) }
        }
        _ => path.to_string(),
    }
}

/// The directory `cd PATH` leaves the shell in, from `base`: bash's `cd` is logical, so `..` takes
/// back a component (`cd logs/nginx; cd ../..` is back at the start). Paths given to programs are
/// not resolved so: the kernel resolves their `..` through the directories as they are.
#[must_use]
pub fn join_dir(base: Option<&str>, path: &str) -> String {
    let joined = join(base, path);
    if joined.split('/').any(|c| c == "..") { lexical(&joined) } else { joined }
}

/// `a/b/../c` → `a/c`, keeping a `..` that climbs above the start (`../x`) and a leading `/`.
fn lexical(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            ".." if absolute => {}
            c => out.push(c),
        }
    }
    let s = out.join("/");
    if absolute {
        format!("/{s}")
    } else if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

impl<V: Value> FsRequest<V> {
    #[must_use]
    pub fn new(op: FsOp, tool: FsTool, paths: Vec<V>) -> Self {
        Self { op, tool, paths, dest: None, options: Vec::new() }
    }

    /// What the request changes.
    #[must_use]
    pub fn effect(&self) -> Effect {
        match self.op {
            FsOp::Read | FsOp::List | FsOp::Stat | FsOp::Pwd | FsOp::Glob => Effect::Read,
            FsOp::Copy | FsOp::Move | FsOp::Mkdir | FsOp::Touch | FsOp::Append => Effect::Write,
            FsOp::Remove | FsOp::Write => Effect::Destructive,
        }
    }

    /// What the request needs, relative paths joined to the working directory `cwd` (relative to
    /// the root; `None` is the root): what the file names really are when it runs.
    #[must_use]
    pub fn needs(&self, cwd: Option<&str>) -> Vec<Need> {
        let opts = options::scope_of(self.tool.options(), &self.options);
        let one = |cap: &str, effect: Effect, p: &V| {
            let mut n = Need::new(cap, effect).with("path", join(cwd, &p.template()));
            n.scope.extend(opts.iter().cloned());
            n
        };
        let each =
            |cap: &str, effect: Effect| -> Vec<Need> { self.paths.iter().map(|p| one(cap, effect, p)).collect() };
        match self.op {
            FsOp::Pwd => Vec::new(),
            FsOp::Read => each("fs.read", Effect::Read),
            FsOp::Stat => each("fs.stat", Effect::Read),
            FsOp::List if self.paths.is_empty() => vec![one("fs.list", Effect::Read, &V::from_literal("."))],
            FsOp::List | FsOp::Glob => each("fs.list", Effect::Read),
            FsOp::Remove => each("fs.remove", Effect::Destructive),
            FsOp::Mkdir => each("fs.mkdir", Effect::Write),
            FsOp::Touch => each("fs.touch", Effect::Write),
            FsOp::Write => each("fs.write", Effect::Destructive),
            FsOp::Append => each("fs.append", Effect::Write),
            FsOp::Copy => {
                let mut out = each("fs.read", Effect::Read);
                if let Some(d) = &self.dest {
                    out.push(one("fs.write", Effect::Write, d));
                }
                out
            }
            FsOp::Move => self
                .dest
                .iter()
                .map(|d| {
                    let from = self.paths.iter().map(|p| join(cwd, &p.template())).collect::<Vec<_>>().join(" ");
                    let mut n =
                        Need::new("fs.move", Effect::Write).with("path", join(cwd, &d.template())).with("from", from);
                    n.scope.extend(opts.iter().cloned());
                    n
                })
                .collect(),
        }
    }
}

impl FsRequest<String> {
    /// Checks what a compiled playbook cannot be trusted to have checked: the tool fits the
    /// operation and its options are declared.
    ///
    /// # Errors
    /// Why the request cannot be carried out.
    pub fn check(&self) -> Result<(), String> {
        let fits = match self.op {
            FsOp::Read => matches!(self.tool, FsTool::Cat | FsTool::Head | FsTool::Tail | FsTool::RedirectIn),
            FsOp::List => self.tool == FsTool::Ls,
            FsOp::Remove => matches!(self.tool, FsTool::Rm | FsTool::Rmdir),
            FsOp::Copy => self.tool == FsTool::Cp,
            FsOp::Move => self.tool == FsTool::Mv,
            FsOp::Mkdir => self.tool == FsTool::Mkdir,
            FsOp::Touch => self.tool == FsTool::Touch,
            FsOp::Write => matches!(self.tool, FsTool::Tee | FsTool::RedirectOut),
            FsOp::Append => matches!(self.tool, FsTool::Tee | FsTool::RedirectAppend),
            FsOp::Stat => self.tool == FsTool::Test && self.paths.len() == 1,
            FsOp::Pwd => self.tool == FsTool::Pwd,
            FsOp::Glob => self.tool == FsTool::Glob && self.paths.len() == 1,
        };
        if !fits {
            return Err(format!("`{}` does not {}", self.tool, self.op));
        }
        if matches!(self.op, FsOp::Copy | FsOp::Move) != self.dest.is_some() {
            return Err(format!("`{}` takes a destination exactly when it copies or moves", self.tool));
        }
        if self.op == FsOp::Stat {
            let test = self.options.iter().find(|s| s.key == "test").and_then(|s| s.value.as_deref());
            if !test.is_some_and(|t| FILE_TESTS.contains(&t)) {
                return Err("a file test needs one of -e -f -d -s -r -w -x -L -h".into());
            }
        }
        options::check(self.tool.options(), &self.options, &[])
    }
}

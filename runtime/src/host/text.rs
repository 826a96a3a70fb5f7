//! Text filters: the host's own `grep`, `wc`, `head`, `tail`, `sort`, `uniq`, `cut`, `tr`, `tac`,
//! `column`, `cat`, `printf`, `jq`, `awk` and `sed`, each run in a read jail (it reads the granted
//! root and the system, writes nothing but the null device, executes nothing else, has no
//! network): standard input in, standard output and error out, exactly as under bash. Native
//! only where that is identical: the shell's `echo` and `test`, `cat` of a pipe, and jaq where
//! jq is not installed.

use playbook_capability::text::{TextRequest, TextTool};

use super::exec::Spawn;
use super::{HostState, failed, ok, settings};
use crate::bindings::playbook::host::text::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use serde_json::json;

/// The guest's request in the capability vocabulary, its options checked against the filter's
/// table.
fn typed(r: &Request) -> Result<TextRequest<String>, String> {
    let tool = TextTool::from_index(r.tool as usize).ok_or("unknown filter")?;
    let t = TextRequest {
        tool,
        options: settings(&r.options),
        operands: r.operands.clone(),
        files: r.files.clone(),
        env: r.env.iter().map(|v| (v.name.clone(), v.value.clone())).collect(),
    };
    playbook_capability::options::check(tool.spec().0, &t.options, &[]).map_err(|e| format!("{tool}: {e}"))?;
    Ok(t)
}

/// `echo -e`'s escapes, as bash's builtin reads them; `\\c` ends the output (no newline after
/// it either: the second value says so).
fn unescape(s: &str) -> (String, bool) {
    // Bytes, as bash writes them: `\\xe2\\x9c\\x93` is one character.
    let mut out: Vec<u8> = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let digits = |from: usize, most: usize, radix: u32| -> (u32, usize) {
        let mut v = 0;
        let mut n = 0;
        while n < most && from + n < b.len() && b[from + n].is_digit(radix) {
            v = v * radix + b[from + n].to_digit(radix).unwrap_or(0);
            n += 1;
        }
        (v, n)
    };
    let push = |out: &mut Vec<u8>, c: char| {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    };
    let done =
        |out: Vec<u8>| String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    while i < b.len() {
        if b[i] != '\\' || i + 1 == b.len() {
            push(&mut out, b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            'a' => out.push(7),
            'b' => out.push(8),
            'c' => return (done(out), true),
            'e' | 'E' => out.push(0x1b),
            'f' => out.push(0xc),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(0xb),
            '\\' => out.push(b'\\'),
            '0' | 'x' => {
                let (most, radix) = if c == '0' { (3, 8) } else { (2, 16) };
                let (v, n) = digits(i, most, radix);
                if c == 'x' && n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(u8::try_from(v & 0xff).unwrap_or(0));
                    i += n;
                }
            }
            'u' | 'U' => {
                let (v, n) = digits(i, if c == 'u' { 4 } else { 8 }, 16);
                if n == 0 {
                    push(&mut out, '\\');
                    push(&mut out, c);
                } else {
                    push(&mut out, char::from_u32(v).unwrap_or('\u{fffd}'));
                    i += n;
                }
            }
            other => {
                push(&mut out, '\\');
                push(&mut out, other);
            }
        }
    }
    (done(out), false)
}

/// `test`/`[` with POSIX's rules by the number of arguments (so `[ "$v" = '!' ]` compares
/// strings), bash's operators and its messages.
fn test(ops: &[String]) -> Result<bool, String> {
    fn binary(op: &str) -> bool {
        matches!(op, "=" | "==" | "!=" | "<" | ">" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge")
    }
    fn compare(a: &str, op: &str, b: &str) -> Result<bool, String> {
        let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: integer expression expected"));
        Ok(match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a.as_bytes() < b.as_bytes(),
            ">" => a.as_bytes() > b.as_bytes(),
            "-eq" => num(a)? == num(b)?,
            "-ne" => num(a)? != num(b)?,
            "-lt" => num(a)? < num(b)?,
            "-le" => num(a)? <= num(b)?,
            "-gt" => num(a)? > num(b)?,
            "-ge" => num(a)? >= num(b)?,
            _ => return Err(format!("{op}: binary operator expected")),
        })
    }
    fn two(a: &str, b: &str) -> Result<bool, String> {
        match a {
            "!" | "-z" => Ok(b.is_empty()),
            "-n" => Ok(!b.is_empty()),
            _ => Err(format!("{a}: unary operator expected")),
        }
    }
    fn three(a: &str, op: &str, b: &str) -> Result<bool, String> {
        if binary(op) {
            compare(a, op, b)
        } else if a == "!" {
            two(op, b).map(|r| !r)
        } else if a == "(" && b == ")" {
            Ok(!op.is_empty())
        } else {
            Err(format!("{op}: binary operator expected"))
        }
    }
    match ops {
        [] => Ok(false),
        [s] => Ok(!s.is_empty()),
        [a, b] => two(a, b),
        [a, op, b] => three(a, op, b),
        [n, a, op, b] if n == "!" => three(a, op, b).map(|r| !r),
        [l, a, b, r] if l == "(" && r == ")" => two(a, b),
        _ => Err("too many arguments".into()),
    }
}

/// Variables a filter takes from the operator's environment, as it would under the operator's
/// shell: the locale and the time zone (they change sorting, character classes and dates).
const LOCALE_ENV: &[&str] =
    &["LANG", "LANGUAGE", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME", "TZ"];

impl HostState {
    async fn text_live(&mut self, r: &Request, io: &Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let t = typed(r).map_err(|e| self.deny_text(&format!("text: {e}")))?;
        // File operands: files of the granted root, read under their `fs.read` grants by the
        // filter itself (in a jail that reads the root and nothing it could write).
        if !t.files.is_empty() {
            // (The null device is every jail's, and reads as nothing.)
            for f in t.files.iter().filter(|f| *f != "/dev/null") {
                self.relative(f).map_err(|e| self.deny_text(&e))?;
            }
            let needs = t.needs(self.cwd.as_deref());
            if !self.gate(r.grant, &needs, false)? {
                return Ok(self.dry(&format!("read {}", t.files.join(" "))));
            }
        }
        let has = |k: &str| t.options.iter().any(|o| o.key == k);
        let ops = &t.operands;
        let native = match t.tool {
            // The shell's own builtins, as bash carries them out.
            TextTool::Echo => {
                let (mut escapes, mut newline) = (has("escapes"), !has("no-newline"));
                let mut ops: &[String] = ops;
                if has("leading-options") {
                    while let Some(o) = ops.first().and_then(|o| o.strip_prefix('-')) {
                        if o.is_empty() || !o.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
                            break;
                        }
                        for c in o.chars() {
                            match c {
                                'n' => newline = false,
                                'e' => escapes = true,
                                _ => escapes = false,
                            }
                        }
                        ops = &ops[1..];
                    }
                }
                let text = ops.join(" ");
                let (text, stop) = if escapes { unescape(&text) } else { (text, false) };
                Some(ok(&if !newline || stop { text } else { format!("{text}\n") }))
            }
            TextTool::Test => Some(match test(ops) {
                Ok(true) => ok(""),
                Ok(false) => failed(1, ""),
                Err(e) => failed(2, &format!("bash: {}: {e}\n", if has("bracket") { "[" } else { "test" })),
            }),
            TextTool::CommandV => Some(command_v(ops)),
            // `cat` of a pipe passes it on unchanged (of a host pipe, the program streams it).
            TextTool::Cat if t.files.is_empty() && t.options.is_empty() && self.call_pipes.reads.is_none() => {
                Some(ok(&io.stdin))
            }
            // jaq where jq is not installed, and for programs that read `env`/`$ENV`: they see
            // the runbook's variables only, never the operator's environment.
            TextTool::Jq if super::jail::runs("jq").is_empty() || ops.first().is_some_and(|p| reads_env(p)) => {
                if let Some((_, r)) = self.call_pipes.reads.take() {
                    // Reading a pipe: its input is collected as it comes, and `wait` runs it.
                    self.call_pipes.started = Some(super::pipes::Reading::Collecting {
                        task: super::pipes::collect(r, super::exec::OUTPUT_CAP),
                        request: Box::new(t.clone()),
                        io: io.clone(),
                        writes: self.call_pipes.writes.take(),
                    });
                    return Ok(ok(""));
                }
                Some(self.jaq(&t, io))
            }
            _ => None,
        };
        if let Some(out) = native {
            if !out.stderr.is_empty() {
                super::show(
                    self,
                    &Outcome { status: out.status, stdout: String::new(), stderr: out.stderr.clone() },
                    true,
                );
            }
            // (Not shown, standard error goes back to the guest: `2> FILE`.)
            let mut out = if self.quiet_stderr { out } else { Outcome { stderr: String::new(), ..out } };
            // Reading a pipe, onto the terminal: the host shows what the guest would have.
            if self.call_pipes.reads.is_some() && !io.capture && self.call_pipes.writes.is_none() {
                out = super::show(self, &out, false);
                out.stdout.clear();
            }
            return Ok(out);
        }
        let mut t = t;
        t.files = self.globbed(&t.files).map_err(|e| self.deny_text(&e))?;
        let args = argv(&t).map_err(|e| self.deny_text(&format!("{}: {e}", t.tool)))?;
        let program = t.tool.as_str().to_string();
        let mut jail =
            super::jail::for_program(playbook_capability::Effect::Read, &self.real_root, &program, false, false);
        // `tac` and `sort` keep what does not fit in memory (or a pipe `tac` cannot seek) in
        // temporary files: a private directory of their own, removed afterwards, is the one
        // place they may write.
        let scratch = Scratch::new();
        // The runbook's variables reach the filter (awk's ENVIRON, `LC_ALL=C sort`), but none
        // that changes which code a C program loads or runs.
        if let Some((name, _)) = t.env.iter().find(|(n, _)| {
            crate::policy::check_env([n.as_str()]).is_err()
                || matches!(n.as_str(), "GCONV_PATH" | "NLSPATH" | "LOCPATH" | "GLIBC_TUNABLES" | "HOSTALIASES")
                || n.starts_with("MALLOC_")
        }) {
            return Err(self.deny_text(&format!("{}: `{name}` would change the code the filter loads", t.tool)));
        }
        let mut env = t.env.clone();
        if let Some(dir) = scratch.as_ref().filter(|_| t.tool != TextTool::Jq) {
            jail.write.push(dir.0.clone());
            env.push(("TMPDIR".into(), dir.0.to_string_lossy().into_owned()));
        }
        let spawn = Spawn {
            label: program.clone(),
            program,
            args,
            // jq's `env` and `$ENV` are the runbook's variables; the others see the locale.
            env,
            pass_env: if t.tool == TextTool::Jq { &[] } else { LOCALE_ENV },
            cwd: self.cwd_path(),
            jail: Some(jail),
            ..Spawn::default()
        };
        let out = self.execute(&spawn, io).await;
        // A filter reading a pipe runs on: its scratch directory lives as long as it does.
        if let Some(super::pipes::Reading::Program { keep, .. }) = self.call_pipes.started.as_mut() {
            *keep = scratch.map(|s| Box::new(s) as Box<dyn Send>);
        } else {
            drop(scratch);
        }
        Ok(out)
    }

    /// File operands with a glob in their last component, expanded as bash expands them: the
    /// matches in order, written with the operand's own directory part; no match leaves the
    /// word as it is.
    pub(super) fn globbed(&self, files: &[String]) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for f in files {
            if f == "/dev/null" {
                out.push(f.clone());
                continue;
            }
            // `dir/*/`: the directories among the matches, written with their slash.
            if let Some(pattern) =
                f.strip_suffix('/').filter(|p| p.rsplit('/').next().is_some_and(|n| n.contains(['*', '?'])))
            {
                let dirs: Vec<String> = self
                    .globbed(&[pattern.to_string()])?
                    .into_iter()
                    .filter(|m| m != pattern && self.resolve(m).is_ok_and(|p| p.is_dir()))
                    .map(|m| format!("{m}/"))
                    .collect();
                if dirs.is_empty() {
                    out.push(f.clone());
                }
                out.extend(dirs);
                continue;
            }
            let name = f.rsplit('/').next().unwrap_or(f);
            if !name.contains(['*', '?', '[']) {
                out.push(f.clone());
                continue;
            }
            let dir = &f[..f.len() - name.len()];
            let matches = self.expand(f)?;
            if matches.is_empty() {
                out.push(f.clone());
            }
            for m in matches {
                if let Some(n) = m.file_name().map(|n| n.to_string_lossy().into_owned())
                    && (name.starts_with('.') || !n.starts_with('.'))
                {
                    self.relative(&format!("{dir}{n}"))?;
                    out.push(format!("{dir}{n}"));
                }
            }
        }
        Ok(out)
    }

    /// jq's language on a host without jq: jaq, on standard input or the files read natively.
    pub(super) fn jaq(&self, t: &TextRequest<String>, io: &Io) -> Outcome {
        let has = |k: &str| t.options.iter().any(|o| o.key == k);
        let mut input = io.stdin.clone();
        if !t.files.is_empty() {
            input.clear();
            for f in &t.files {
                match self
                    .relative(f)
                    .and_then(|rel| self.root().and_then(|d| d.read_to_string(&rel)).map_err(|e| e.to_string()))
                {
                    Ok(text) => input.push_str(&text),
                    Err(e) => return failed(2, &format!("jq: error: Could not open {f}: {e}\n")),
                }
            }
        }
        let flags = super::jq::Flags {
            raw: has("raw-output"),
            compact: has("compact"),
            join: has("join"),
            slurp: has("slurp"),
            null_input: has("null-input"),
            exit_status: has("exit-status"),
            sort_keys: has("sort-keys"),
        };
        let (status, stdout, stderr) =
            super::jq::run(t.operands.first().map_or(".", String::as_str), &input, flags, &t.env);
        Outcome { status, stdout, stderr }
    }
}

/// bash's builtins and keywords: `command -v` names them as they are.
const SHELL_WORDS: &[&str] = &[
    ".",
    ":",
    "[",
    "[[",
    "]]",
    "alias",
    "bg",
    "bind",
    "break",
    "builtin",
    "case",
    "cd",
    "command",
    "compgen",
    "complete",
    "continue",
    "declare",
    "dirs",
    "disown",
    "do",
    "done",
    "echo",
    "elif",
    "else",
    "enable",
    "esac",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fc",
    "fg",
    "fi",
    "for",
    "function",
    "getopts",
    "hash",
    "help",
    "history",
    "if",
    "in",
    "jobs",
    "kill",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "select",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "test",
    "then",
    "time",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "until",
    "wait",
    "while",
    "{",
    "}",
];

/// `command -v NAME…`: a builtin or keyword by its name, a program by the path bash finds on
/// `PATH`; status 1 when one is not found.
fn command_v(names: &[String]) -> Outcome {
    let path = std::env::var("PATH").unwrap_or_default();
    let mut out = String::new();
    let mut status = 0;
    for n in names {
        if SHELL_WORDS.contains(&n.as_str()) {
            out.push_str(n);
            out.push('\n');
            continue;
        }
        let found = if n.contains('/') {
            is_executable(std::path::Path::new(n)).then(|| n.clone())
        } else {
            path.split(':')
                .map(|d| if d.is_empty() { std::path::PathBuf::from(n) } else { std::path::Path::new(d).join(n) })
                .find(|p| is_executable(p))
                .map(|p| p.to_string_lossy().into_owned())
        };
        match found {
            Some(p) => {
                out.push_str(&p);
                out.push('\n');
            }
            None => status = 1,
        }
    }
    Outcome { status, stdout: out, stderr: String::new() }
}

fn is_executable(p: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A filter's private temporary directory, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Option<Self> {
        use std::os::unix::fs::DirBuilderExt as _;
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("playbook-filter-{}-{n}", std::process::id()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir).ok()?;
        Some(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether a jq program reads the environment (`env`, `$ENV`).
fn reads_env(program: &str) -> bool {
    program.contains("$ENV")
        || program.match_indices("env").any(|(i, _)| {
            let before = program[..i].chars().next_back();
            let after = program[i + 3..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
}

/// The filter's argv after its name: its options as the table spells them, then its operands
/// and files (after `--` when one of them starts with `-`).
fn argv(t: &TextRequest<String>) -> Result<Vec<String>, String> {
    let mut args = playbook_capability::options::unparse(t.tool.spec().0, &t.options, &[])?;
    if t.tool == TextTool::Jq {
        // jq reads `--indent 2`, never `--indent=2`, and (before 1.7) no `--`: the compiler
        // refuses a program that starts with `-`.
        let mut split = Vec::new();
        for a in args {
            match a.split_once('=') {
                Some((k, v)) if k.starts_with("--") => split.extend([k.to_string(), v.to_string()]),
                _ => split.push(a),
            }
        }
        split.extend(t.operands.iter().chain(&t.files).cloned());
        return Ok(split);
    }
    // GNU sed's sandbox refuses `e`, `r` and `w`: the compiler refuses them already; a script
    // computed at run time cannot bring them back.
    if t.tool == TextTool::Sed && !t.options.iter().any(|o| o.key == "sandbox") {
        args.insert(0, "--sandbox".into());
    }
    let operands: Vec<&String> = t.operands.iter().chain(&t.files).collect();
    if t.tool != TextTool::Printf && operands.iter().any(|o| o.starts_with('-') && o.len() > 1) {
        args.push("--".into());
    }
    args.extend(operands.into_iter().cloned());
    Ok(args)
}

impl Host for HostState {
    async fn filter(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = match typed(&r) {
            Ok(t) => serde_json::to_value(&t).unwrap_or_default(),
            Err(e) => json!({ "invalid": e }),
        };
        if let Some(done) = self.begin_call("text", &req, &io) {
            return done;
        }
        let reads = io.stdin_pipe;
        let result = self.text_live(&r, &io).await;
        self.end_piped(reads, result).await
    }
}

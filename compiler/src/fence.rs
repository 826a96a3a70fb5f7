//! What the lines of a fence are: commands (after a prompt, or on their own), their
//! continuations, comments, or pasted output — read the way a person reads a runbook.
//!
//! Real runbooks tag loosely: shell sits in untagged fences and under `text` or `terminal`,
//! commands carry prompts (`$ `, `user@host:~$ `, `[root@node ~]# `), and the output of a command
//! is pasted right under it, inside the same `bash` fence. A line of output taken for a command
//! is a program that the author never meant to run, so the rules here lean towards output: a
//! line is a command only when the fence says so (a shell tag, a prompt) or it starts with a
//! known program; everything read as output is reported, never dropped silently.

/// How a fence's info string leans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// `bash`, `sh`, `shell`, `zsh`: commands, unless prompts say otherwise.
    Shell,
    /// `console`, `shell-session`, `terminal`: a session — prompt lines are commands.
    Session,
    /// No tag, or one that says nothing about the language (`text`, `cli`, `no-highlight`).
    Loose,
    /// Another language (`yaml`, `json`, `sql`, `promql`, `python`, …) or output (`log`).
    Other,
}

impl Tag {
    /// The tag of a fence's first info word (lower case).
    #[must_use]
    pub fn of(word: &str) -> Self {
        match word {
            "bash" | "sh" | "shell" | "zsh" | "ksh" | "ash" | "dash" => Self::Shell,
            "console" | "shell-session" | "shellsession" | "sh-session" | "bash-session" | "terminal" | "session"
            | "$" => Self::Session,
            "" | "text" | "txt" | "plain" | "plaintext" | "cli" | "no-highlight" | "nohighlight" | "none" | "cmd"
            | "command" | "commands" | "nocode" | "code" | "default" => Self::Loose,
            _ => Self::Other,
        }
    }
}

/// What one line of a fence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// A command; `skip` bytes (indentation and prompt) come before it.
    Command {
        skip: usize,
    },
    /// The next line of a command (`\`, an open quote, a heredoc, `do … done`); `skip` bytes
    /// (a `> ` continuation prompt) come before it.
    More {
        skip: usize,
    },
    /// A statement typed at a database or REPL prompt (`postgres=# SELECT 1;`).
    Statement,
    /// A comment; `skip` bytes (indentation and a prompt) come before it.
    Comment {
        skip: usize,
    },
    Blank,
    /// Pasted output, a log line, a table: never run.
    Output,
}

/// The lines of one fence, read.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// One entry per line of the fence's content (split after each `\n`).
    pub lines: Vec<Line>,
    /// How many lines carried a shell prompt.
    pub prompts: usize,
    /// The client whose prompt was seen (`psql`, `mysql`, `redis-cli`, `mongosh`), if any.
    pub repl: Option<&'static str>,
    /// Why a loose fence is shell (`it has `$ ` prompts`), when it is.
    pub detected: Option<String>,
}

impl Reading {
    /// Whether anything in the fence runs.
    #[must_use]
    pub fn runs(&self) -> bool {
        self.lines.iter().any(|l| matches!(l, Line::Command { .. }))
    }

    #[must_use]
    pub fn output_lines(&self) -> usize {
        self.lines.iter().filter(|l| **l == Line::Output).count()
    }
}

/// Reads a fence's content. `tag` is what its info string says.
#[must_use]
pub fn read(text: &str, tag: Tag) -> Reading {
    let lines: Vec<&str> = text.split_inclusive('\n').map(|l| l.trim_end_matches(['\n', '\r'])).collect();
    let mut r = Reading::default();
    if tag == Tag::Other {
        r.lines = vec![Line::Output; lines.len()];
        return r;
    }
    let session = tag != Tag::Shell;
    // `# ` is a root prompt in a session fence; in a loose one only when the fence opens with
    // such a line (`# dmesg -T` over its output), never a comment further down a config file.
    let root = tag == Tag::Session
        || (tag == Tag::Loose
            && lines.iter().map(|l| l.trim()).find(|l| !l.is_empty()).is_some_and(|l| {
                l.strip_prefix("# ")
                    .is_some_and(|rest| starts_with_program(rest.trim_start()) && !rest.trim_start().starts_with('/'))
            }));
    // A prompt counts only where the shell is between commands: not in a heredoc's body, an
    // open quote or a continued line (`cat <<EOF` / `$ x` / `EOF` holds no prompt).
    let mut pre = State::default();
    let prompted: Vec<Option<Prompt>> = lines
        .iter()
        .map(|l| {
            if pre.open() {
                pre.feed(l);
                return None;
            }
            let p = prompt(l, session, root);
            match p {
                Some(Prompt::Shell(skip)) => pre.feed(&l[skip..]),
                Some(Prompt::Repl(_)) => {}
                None => pre.feed(l),
            }
            p
        })
        .collect();
    r.prompts = prompted.iter().filter(|p| matches!(p, Some(Prompt::Shell(_)))).count();
    r.repl = prompted.iter().find_map(|p| if let Some(Prompt::Repl(c)) = p { Some(*c) } else { None });
    // mongosh statements pasted without a prompt (`db.currentOp()`, `rs.status()`).
    if tag == Tag::Loose
        && r.prompts == 0
        && r.repl.is_none()
        && lines
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .is_some_and(|l| ["db.", "rs.", "sh."].iter().any(|p| l.starts_with(p)) && l.contains('('))
    {
        r.repl = Some("mongosh");
        r.lines = lines.iter().map(|l| if l.trim().is_empty() { Line::Blank } else { Line::Statement }).collect();
        return r;
    }
    let with_prompts = r.prompts > 0 || r.repl.is_some();
    // A loose fence runs only when it is unmistakably shell.
    if tag == Tag::Loose || (tag == Tag::Session && !with_prompts) {
        let why = if r.prompts > 0 {
            Some("it has shell prompts (`$ `)".to_string())
        } else if r.repl.is_some() {
            None
        } else {
            first_command(&lines).map(|p| format!("its first line runs `{p}`"))
        };
        match why {
            Some(w) => r.detected = Some(w),
            None if r.repl.is_none() => {
                r.lines = vec![Line::Output; lines.len()];
                return r;
            }
            None => {}
        }
    }
    let strict = tag != Tag::Shell;
    let mut state = State::default();
    let mut table = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if state.open() {
            // `> ` is the shell's own continuation prompt, in pasted sessions.
            let skip = if with_prompts && trimmed.starts_with("> ") { indent + 2 } else { 0 };
            state.feed(&line[skip..]);
            r.lines.push(Line::More { skip });
            continue;
        }
        if trimmed.is_empty() {
            table = false;
            r.lines.push(Line::Blank);
            continue;
        }
        let kind = match prompted[i] {
            Some(Prompt::Shell(skip)) => {
                table = false;
                if line[skip..].trim().is_empty() || line[skip..].trim_start().starts_with('#') {
                    Line::Comment { skip }
                } else {
                    state.feed(&line[skip..]);
                    Line::Command { skip }
                }
            }
            Some(Prompt::Repl(_)) => {
                table = false;
                Line::Statement
            }
            None if trimmed.starts_with('#') => Line::Comment { skip: 0 },
            None if with_prompts => Line::Output,
            None => {
                if is_table_header(trimmed) {
                    table = true;
                }
                // A line that opens a heredoc, a quote or a continuation is shell syntax, not
                // output (`"$SSH" db-1 bash -s <<'EOF'`); a lone `{` before a JSON key is JSON.
                let mut probe = State::default();
                probe.feed(line);
                let json_open = trimmed == "{"
                    && lines[i + 1..]
                        .iter()
                        .map(|l| l.trim())
                        .find(|l| !l.is_empty())
                        .is_none_or(|l| l.starts_with('"') || l.starts_with('}'));
                // Only a heredoc, a trailing `\` or a `{` group count: an apostrophe in output
                // (`Latest checkpoint's REDO location:`) opens nothing.
                let opens = (!probe.heredoc.is_empty() || probe.backslash || (probe.depth > 0 && !json_open))
                    && !is_log_line(trimmed)
                    && !is_table_header(trimmed);
                if !opens
                    && ((table && !starts_with_program(trimmed))
                        || is_output(trimmed)
                        || (strict && !plausible_command(trimmed)))
                {
                    Line::Output
                } else {
                    table = false;
                    state.feed(line);
                    Line::Command { skip: 0 }
                }
            }
        };
        r.lines.push(kind);
    }
    r
}

/// A prompt at the start of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prompt {
    /// A shell prompt, `n` bytes long (indentation included).
    Shell(usize),
    /// A database or REPL prompt: the lines after it are not shell.
    Repl(&'static str),
}

/// The prompt a line starts with, if any. `session`: the fence is not tagged as a script, so
/// `# ` may be a root prompt (when a command follows it).
fn prompt(line: &str, session: bool, root: bool) -> Option<Prompt> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if let Some(c) = repl_prompt(trimmed) {
        return Some(Prompt::Repl(c));
    }
    let after = |n: usize| Some(Prompt::Shell(indent + n));
    if trimmed == "$" {
        return after(1);
    }
    if trimmed.starts_with("$ ") {
        return after(2);
    }
    // `% kubectl …` (zsh) and `# kubectl …` (root): only before something that runs.
    for p in ["% ", "# "] {
        if let Some(rest) = trimmed.strip_prefix(p)
            && (p == "% " && session || p == "# " && root)
            && starts_with_program(rest.trim_start())
            // `# /etc/app/heap.options` names a file, in a comment.
            && !rest.trim_start().starts_with('/')
        {
            return after(p.len() + (rest.len() - rest.trim_start().len()));
        }
    }
    // `(initramfs) fsck -y /dev/sda1`: the early-boot shell.
    if let Some(rest) = trimmed.strip_prefix("(initramfs) ") {
        return after(trimmed.len() - rest.len());
    }
    // `(venv) $ `
    if trimmed.starts_with('(')
        && let Some(close) = trimmed.find(") ")
        && let Some(rest) = trimmed[close + 2..].strip_prefix("$ ")
    {
        let _ = rest;
        return after(close + 4);
    }
    // `[root@node1 ~]# `, `[user@host dir]$ `
    if trimmed.starts_with('[')
        && let Some(close) = trimmed.find(']')
        && trimmed[1..close].contains('@')
        && let Some(sign) = trimmed[close + 1..].chars().next().filter(|c| matches!(c, '$' | '#'))
        && trimmed[close + 1 + sign.len_utf8()..].starts_with(' ')
    {
        return after(close + 1 + sign.len_utf8() + 1);
    }
    // `user@host:~/dir$ `, `root@node:/# `, `worker$ `, `host:~ user$ `
    let word_end = trimmed.find([' ', '\t']).unwrap_or(trimmed.len());
    let word = &trimmed[..word_end];
    if word.len() >= 2 && trimmed[word_end..].starts_with(' ') {
        let last = word.chars().last().unwrap_or(' ');
        let body = &word[..word.len() - last.len_utf8()];
        let user_host = body.contains('@') && body.split('@').next().is_some_and(is_name);
        let bare = is_name(body) && !body.contains("//");
        if (last == '$' && (user_host || bare)) || (last == '#' && user_host) {
            return after(word_end + 1);
        }
    }
    // `sh-4.4# ` (a shell in a debug pod), `bash-5.1$ `
    if let Some((name, _)) = word.split_once('-')
        && matches!(name, "sh" | "bash" | "ash" | "zsh")
        && word.len() > name.len() + 2
        && matches!(word.chars().last(), Some('#' | '$'))
        && word[name.len() + 1..word.len() - 1].chars().all(|c| c.is_ascii_digit() || c == '.')
        && trimmed[word_end..].starts_with(' ')
    {
        return after(word_end + 1);
    }
    // `pg-orders-1 $ sudo patronictl list`: a host name, a space, `$ ` and a command.
    if let Some(rest) = trimmed[word_end..].strip_prefix(" $ ")
        && is_name(word)
        && !word.contains("//")
        && word.chars().any(|c| c.is_ascii_digit() || matches!(c, '-' | '@' | '.'))
        && !is_known(word)
        && starts_with_program(rest)
    {
        return after(word_end + 3);
    }
    // `MacBook:~ me$ `
    if let Some(sp) = trimmed.find(' ')
        && trimmed[..sp].contains(':')
        && let Some(rest) = trimmed.get(sp + 1..)
        && let Some(end) = rest.find("$ ")
        && is_name(&rest[..end])
        && !trimmed[..sp].contains("//")
    {
        return after(sp + 1 + end + 2);
    }
    None
}

/// A host, user or directory name in a prompt.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '~' | '/' | '@'))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '~')
}

/// A database or REPL prompt: `postgres=# `, `mydb=> `, `postgres-# `, `mysql> `,
/// `MariaDB [db]> `, `127.0.0.1:6379> `, `redis> `, `rs0:PRIMARY> `, `test> `.
/// A statement typed at a database prompt, without the prompt (`postgres=# SELECT 1;` →
/// `SELECT 1;`).
#[must_use]
pub fn strip_repl_prompt(line: &str) -> &str {
    let t = line.trim_start();
    if repl_prompt(t).is_none() {
        return t;
    }
    let end = [t.find("> "), t.find("# "), t.strip_suffix('>').map(str::len)].into_iter().flatten().min().unwrap_or(0);
    t[end..].get(1..).unwrap_or("").trim_start()
}

fn repl_prompt(t: &str) -> Option<&'static str> {
    // Commands of redis-cli, after its bare `> ` prompt.
    const REDIS: &[&str] = &[
        "info",
        "slowlog",
        "client",
        "config",
        "memory",
        "latency",
        "dbsize",
        "monitor",
        "ping",
        "get",
        "set",
        "del",
        "keys",
        "scan",
        "ttl",
        "type",
        "cluster",
        "replicaof",
        "slaveof",
        "role",
        "bgsave",
        "flushall",
        "flushdb",
        "sentinel",
        "acl",
        "debug",
        "object",
        "hgetall",
        "lrange",
        "llen",
        "xinfo",
        "unlink",
    ];
    for (p, client) in
        [("grub rescue> ", "grub"), ("grub> ", "grub"), ("cqlsh> ", "cqlsh"), ("cqlsh:", "cqlsh"), ("zk: ", "zkCli")]
    {
        if t.starts_with(p) && (p != "cqlsh:" || t.contains("> ")) {
            return Some(client);
        }
    }
    if let Some(rest) = t.strip_prefix("> ")
        && rest.split_whitespace().next().is_some_and(|w| REDIS.contains(&w.to_ascii_lowercase().as_str()))
    {
        return Some("redis-cli");
    }
    // mongosh: `rs0 [direct: primary] admin> `
    if let Some(open) = t.find(" [direct: ")
        && let Some(close) = t[open..].find("] ")
        && t[open + close + 2..].split_once("> ").is_some_and(|(db, _)| is_name(db))
    {
        return Some("mongosh");
    }
    let end = [t.find("> "), t.find("# "), t.strip_suffix('>').map(str::len)].into_iter().flatten().min()?;
    let p = &t[..end];
    if p.is_empty() || p.contains(' ') && !p.starts_with("MariaDB [") {
        return None;
    }
    let sign = t[end..].chars().next()?;
    if let Some(name) = p.strip_suffix('=').or_else(|| p.strip_suffix('-')).or_else(|| p.strip_suffix('(')) {
        return (is_name(name) && !name.contains('@')).then_some("psql");
    }
    if sign != '>' {
        return None;
    }
    if p == "mysql" || p.starts_with("MariaDB [") {
        return Some("mysql");
    }
    if p.starts_with("redis") || is_host_port(p) {
        return Some("redis-cli");
    }
    let mongo = p
        .split(':')
        .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        && (p.contains(":PRIMARY") || p.contains(":SECONDARY") || matches!(p, "test" | "admin" | "local" | "mongos"));
    mongo.then_some("mongosh")
}

fn is_host_port(p: &str) -> bool {
    let p = p.split('[').next().unwrap_or(p);
    p.rsplit_once(':').is_some_and(|(h, port)| {
        !h.is_empty() && !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) && is_name(h)
    })
}

/// Why a loose fence is shell, judged on its first command line: a known program, `sudo`, a
/// script, or an assignment (`export NAME=…`, `NAME=$(…)`, or `NAME=value` followed by a line
/// that runs a known program).
fn first_command(lines: &[&str]) -> Option<String> {
    let mut body = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let l = body.next()?;
    if is_output(l) {
        return None;
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    if words[0] == "sudo" && words.len() > 1 {
        return Some("its first line runs a command with `sudo`".to_string());
    }
    if words[0] == "export" && words.get(1).is_some_and(|w| is_assignment(w) && w.contains('=')) {
        return Some("its first line exports a shell variable".to_string());
    }
    let mut i = 0;
    while i < words.len() && words[i].contains('=') && is_assignment(words[i]) {
        if words[i].contains("$(") || words[i].contains('`') {
            return Some("its first line assigns a command's output".to_string());
        }
        i += 1;
    }
    match words.get(i) {
        None => {
            let upper = words.iter().all(|w| {
                w.split('=')
                    .next()
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            });
            (upper
                && body.any(|b| {
                    starts_with_program(b) && !b.split_whitespace().all(|w| w.contains('=') && is_assignment(w))
                }))
            .then(|| "it sets shell variables for the commands below".to_string())
        }
        Some(w) if is_known(w) || is_path_command(w) || is_script(w) => Some(format!("its first line runs `{w}`")),
        Some(&("cd" | "pushd" | "source")) if words.len() == i + 2 && is_path_like(words[i + 1]) => {
            Some(format!("its first line runs `{}`", words[i]))
        }
        Some(&("for" | "while" | "until" | "if"))
            if l.contains("; do") || l.contains("; then") || l.ends_with(" do") || l.ends_with(" then") =>
        {
            Some("its first line is a shell loop or test".to_string())
        }
        Some(_) => None,
    }
}

/// Whether a line starts with a known program (after `sudo` and `VAR=value` prefixes); any
/// command after `sudo` counts.
#[must_use]
pub fn starts_with_program(l: &str) -> bool {
    let mut words = l.split_whitespace();
    let mut w = words.next().unwrap_or("");
    let mut sudo = false;
    while w == "sudo" || (w.contains('=') && !w.starts_with('=') && !w.starts_with('-')) {
        sudo |= w == "sudo";
        match words.next() {
            Some(n) => w = n,
            None => return w != "sudo",
        }
    }
    sudo || is_known(w) || is_path_command(w) || is_script(w) || SHELL_WORDS.contains(&w)
}

/// `/var/lib/x`, `~/app`, `../build`, `$HOME/x`: a path as `cd` takes it.
fn is_path_like(w: &str) -> bool {
    (w.starts_with('/')
        || w.starts_with("~/")
        || w.starts_with("./")
        || w.starts_with("../")
        || w.starts_with('$')
        || w == "~"
        || w == "-")
        && !w.contains("//")
}

/// `kafka-topics.sh`, `pg_ctl.sh`: a script named by its file.
fn is_script(w: &str) -> bool {
    w.len() > 3
        && std::path::Path::new(w).extension().is_some_and(|e| e.eq_ignore_ascii_case("sh"))
        && w.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
}

/// `./deploy.sh`, `/usr/local/bin/tool`, `bin/rails`, `~/bin/x`.
fn is_path_command(w: &str) -> bool {
    (w.starts_with("./") || w.starts_with('/') || w.starts_with("~/") || w.starts_with("../"))
        && w.len() > 2
        && !w.contains("//")
        && w.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '~' | '$' | '{' | '}'))
}

/// Words that open or close shell syntax, and builtins.
const SHELL_WORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "function", "{", "}",
    "(", ")", "[", "[[", "!", "export", "unset", "local", "readonly", "declare", "set", "source", ".", "cd", "pushd",
    "popd", "echo", "printf", "read", "exit", "return", "true", "false", ":", "test", "eval", "exec", "trap", "wait",
    "sleep", "alias", "time", "shift", "break", "continue", "let", "type", "command", "builtin", "ulimit", "umask",
];

/// Whether a line reads like a command rather than prose or output: a known program, a path,
/// shell syntax, an assignment, or a variable.
fn plausible_command(l: &str) -> bool {
    let first = l.split_whitespace().next().unwrap_or("");
    starts_with_program(l)
        || first.starts_with('$')
        || first.starts_with("((")
        || (first.contains('=') && !first.starts_with('=') && is_assignment(first))
}

fn is_assignment(w: &str) -> bool {
    let name = w.split('=').next().unwrap_or("");
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit())
}

/// A table header: two or more upper-case columns (`NAME   READY   STATUS`, `CONTAINER ID   IMAGE`).
fn is_table_header(l: &str) -> bool {
    let cols: Vec<&str> = l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    let words: Vec<&str> = l.split_whitespace().collect();
    words.len() >= 2
        && (cols.len() >= 2 || words.len() >= 3)
        && words.iter().all(|w| {
            w.chars().any(|c| c.is_ascii_uppercase())
                && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-_()%/.:#|+".contains(c))
        })
}

/// Lines that are output whatever the fence says: `key: value` (YAML, `describe`), JSON,
/// tables, log lines with a timestamp, `HTTP/1.1 200 OK`, numbers, rules, `(3 rows)`.
#[must_use]
pub fn is_output(l: &str) -> bool {
    let first = l.split_whitespace().next().unwrap_or("");
    let c0 = l.chars().next().unwrap_or(' ');
    // (`IFS=:`, `PATH=$PATH:`: an assignment whose value ends with a colon.)
    if first.len() > 1
        && first.ends_with(':')
        && !first.contains("::")
        && !(first.contains('=') && is_assignment(first))
    {
        return true;
    }
    // `2>/dev/null cat …`, `2>>err.log ls …`: a redirection before the command.
    let digits = l.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < l.len()
        && (digits.starts_with('>') || digits.starts_with('<'))
        && words_after_redirect_start_a_command(digits)
    {
        return false;
    }
    // `{ cmd; }` is a group; `{"a": 1}` and `{` before a key are JSON.
    // A line that starts with a program or a builtin the shell knows (`echo  a  b`, `'grep' …`)
    // is a command, however its spacing looks; so is `< FILE cmd`.
    let bare = first.trim_matches(['\'', '"']);
    // (A program's name over aligned columns is a table's header: `id    repository  status`.)
    let builtin = (SHELL_WORDS.contains(&bare) || crate::action::builtin::is_builtin(bare))
        && !matches!(bare, "{" | "}" | "(" | ")" | "[" | "[[" | "!" | ":" | ".");
    // (`nginx  | 2024/01/01 …` is compose's log prefix, not the program.)
    let compose_prefix = l.find("  | ").is_some_and(|at| {
        let next = l[at + 4..].split_whitespace().next().unwrap_or("");
        !(is_known(next) || SHELL_WORDS.contains(&next))
    });
    // (A program over spaced paths is a command: `cp  config/app.env  app.env.saved`.)
    let spaced_paths = l.split_whitespace().skip(1).any(|w| {
        w.split_once('/').is_some_and(|(a, b)| {
            a.chars().any(|c| c.is_ascii_alphabetic()) || b.chars().any(|c| c.is_ascii_alphabetic())
        })
    });
    if (builtin || (is_known(bare) && (!is_spaced_table(l) || spaced_paths)))
        && !first.ends_with(':')
        && !compose_prefix
    {
        return false;
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    if words.len() >= 3 && words[0] == "<" && (is_known(words[2]) || SHELL_WORDS.contains(&words[2])) {
        return false;
    }
    let group = c0 == '{'
        && l[1..].starts_with([' ', '\t'])
        && l[1..]
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '$' | '.' | '[' | '!' | '('))
        && l.contains(';');
    // `ports=(80 443)`, `list+=(x)`: an array assigned.
    if let Some(eq) = l.find("=(")
        && is_assignment(&format!("{}=", l[..eq].trim_end_matches('+')))
    {
        return false;
    }
    // `f="report 2024.csv"; …`, `line='key = value'`: an assignment of a quoted value, alone or
    // before a command, is shell (a logfmt line, `time="…" level=info`, is not).
    if let Some(eq) = l.find('=')
        && is_assignment(&l[..=eq])
        && let Some(q) = l[eq + 1..].chars().next().filter(|c| matches!(c, '"' | '\''))
        && let Some(close) = l[eq + 2..].find(q)
    {
        let rest = l[eq + 2 + close + 1..].trim_start();
        if rest.is_empty() || rest.starts_with([';', '&', '|']) {
            return false;
        }
    }
    // `"$TOOL" -r …`: a quoted expansion as the program.
    if group || l.starts_with("\"$") {
        return false;
    }
    if c0.is_ascii_digit() || matches!(c0, '{' | '}' | ']' | '"' | '|' | '+' | '=' | '<' | '…' | '*' | '\'') {
        return !(c0 == '<' && l.starts_with("<<"));
    }
    if c0 == '[' && !(l.starts_with("[ ") || l.starts_with("[[ ")) {
        return true;
    }
    if l.starts_with("- ") || l.starts_with("---") || l.starts_with("...") || l == "-" {
        return true;
    }
    if first.starts_with("HTTP/") || l.starts_with("(END)") || l.starts_with("Error from server") {
        return true;
    }
    // A URL on its own line, `Name     = value` (a CLI's status block), `Machines` (a
    // section title of output), `traefik-1  | {…}` (compose's log prefix).
    if first.starts_with("http://") || first.starts_with("https://") {
        return true;
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    if words.get(1) == Some(&"=") && words.len() >= 3 {
        return true;
    }
    // `notAfter=Jun 12 02:11:39 2024 GMT`: after an assignment, no program starts with a digit.
    // (`rc=$(echo 7)`, `n=$((x + 1))`: a substitution opened in the value is shell.)
    if words.len() >= 2
        && first.contains('=')
        && is_assignment(first)
        && !first.contains(['$', '`', '"', '\'', '('])
        && words[1].chars().next().is_some_and(|c| c.is_ascii_digit())
        && !words[1].contains('>')
    {
        return true;
    }
    if words.len() == 1
        && first.len() > 2
        && first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && first.chars().skip(1).all(|c| c.is_ascii_lowercase())
        && !is_known(first)
    {
        return true;
    }
    if let Some(bar) = l.find("  | ")
        && !l[..bar].trim().contains(' ')
    {
        return true;
    }
    is_table_header(l) || is_spaced_table(l) || is_log_line(l) || is_query(l)
}

/// After `2>FILE` / `2>>FILE` / `<FILE` at the start of a line: a program or builtin follows.
fn words_after_redirect_start_a_command(rest: &str) -> bool {
    // The target (attached or not), then the program.
    let mut words = rest.trim_start_matches(['>', '<', '&']).split_whitespace().skip(1);
    words.next().is_some_and(|w| is_known(w) || SHELL_WORDS.contains(&w) || crate::action::builtin::is_builtin(w))
}

/// A row of columns aligned with runs of spaces, without shell syntax (`id   repository
/// status`, `es-data-1   93   30.9gb`).
fn is_spaced_table(l: &str) -> bool {
    let cols = l.split("  ").map(str::trim).filter(|c| !c.is_empty()).count();
    cols >= 3
        && !l.contains(['|', '$', '=', '"', '\'', '>', '<', ';', '&', '`', '\\'])
        && !l.split_whitespace().any(|w| w.starts_with('-'))
}

/// A query language, not shell: `PromQL` (`sum(rate(x[5m])) by (host)`, `min by (pod) (…)`) or
/// an Elasticsearch console request (`GET _cat/indices?v`).
fn is_query(l: &str) -> bool {
    let words: Vec<&str> = l.split_whitespace().collect();
    let ident = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == ':');
    // `f() {` defines a shell function; `f(x…` calls a query function.
    let call =
        words.first().and_then(|w| w.split_once('(')).is_some_and(|(f, rest)| ident(f) && !rest.starts_with(')'));
    let grouped =
        words.len() >= 3 && ident(words[0]) && matches!(words[1], "by" | "without") && words[2].starts_with('(');
    let console = words.len() >= 2
        && matches!(words[0], "GET" | "PUT" | "POST" | "DELETE" | "HEAD")
        && (words[1].starts_with('_') || words[1].starts_with("/_"));
    call || grouped || console
}

/// `Oct 18 19:39:36 host chronyd[812]: …`, `2024-05-01T10:00:00Z …`, `I1018 19:39:36.1 …`,
/// `time="…" level=info …`.
fn is_log_line(l: &str) -> bool {
    const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let words: Vec<&str> = l.split_whitespace().take(3).collect();
    let clock = |w: &str| w.len() >= 5 && w.as_bytes()[2] == b':' && w[..2].chars().all(|c| c.is_ascii_digit());
    if words.len() >= 3
        && (MONTHS.contains(&words[0]) || DAYS.contains(&words[0]))
        && (words[1].chars().all(|c| c.is_ascii_digit()) || MONTHS.contains(&words[1]))
        && (clock(words[2]) || words[2].chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    let b = l.as_bytes();
    // klog: `I1018 19:39:36.123456 …`
    if b.len() > 6
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
    {
        return true;
    }
    // logfmt: `time="…" level=info msg=…`, two `key=` pairs at least and no shell syntax (a
    // `msg="…"; for …` line is an assignment).
    let logfmt = ["time=", "level=", "ts=", "msg="].iter().any(|k| l.starts_with(k));
    let pairs = l
        .split_whitespace()
        .filter(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            })
        })
        .count();
    logfmt && pairs >= 2 && !l.contains([';', '$', '`']) && !l.contains("&&") && !l.contains(" | ")
}

/// The first line of a block that opens an interactive session at top level (not inside a
/// quote, heredoc, continuation or compound command): its byte offset and what it opens. The
/// lines after it are typed in that session, not run here.
#[must_use]
pub fn session_opener(text: &str) -> Option<(usize, String)> {
    let mut state = State::default();
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if !state.open() {
            // The whole command: a line ending in `\` goes on on the next.
            let mut logical = String::new();
            for l in &lines[i..] {
                let body = l.trim_end_matches(['\n', '\r']).trim();
                if let Some(cont) = body.strip_suffix('\\') {
                    logical.push_str(cont);
                    logical.push(' ');
                } else {
                    logical.push_str(body);
                    break;
                }
            }
            if let Some(what) = opener(logical.trim()) {
                return Some((offset, what));
            }
        }
        state.feed(line.trim_end_matches(['\n', '\r']));
        offset += line.len();
    }
    None
}

/// What a command line opens, when it starts an interactive session: a remote shell, a shell
/// in a container or node, another user's login shell, a chroot, or a database client
/// without a command.
#[must_use]
pub fn opener(line: &str) -> Option<String> {
    let code = line.split(" #").next().unwrap_or(line).trim();
    if code.contains(['|', ';', '>', '<']) || code.contains("&&") || code.contains("||") {
        return None;
    }
    let words: Vec<&str> = code.split_whitespace().collect();
    let (program, args) = words.split_first()?;
    let shown = format!("`{code}`");
    let shells = ["sh", "bash", "/bin/sh", "/bin/bash", "ash", "zsh", "/bin/ash", "/bin/zsh", "/usr/bin/bash"];
    // Arguments that are not options (and not the values of options that take one).
    let operands = |valued: &[&str]| {
        let mut out = Vec::new();
        let mut skip = false;
        for a in args {
            if skip {
                skip = false;
            } else if a.starts_with('-') {
                skip = valued.contains(a);
            } else {
                out.push(*a);
            }
        }
        out
    };
    match *program {
        "sudo" => {
            // sudo's own options, then the command (none with `-i`/`-s`: a login shell).
            let mut i = 0;
            let mut login = false;
            while let Some(a) = args.get(i) {
                if !a.starts_with('-') || *a == "--" {
                    if *a == "--" {
                        i += 1;
                    }
                    break;
                }
                let valued = ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group"];
                login |= matches!(*a, "-i" | "-s" | "--login" | "--shell")
                    || (a.len() > 2
                        && !a.starts_with("--")
                        && (a.contains('i') || a.contains('s'))
                        && !a.contains('=')
                        && a[1..].chars().all(|c| c.is_ascii_alphabetic()));
                let takes = valued.contains(a) || (a.len() > 2 && !a.starts_with("--") && a.ends_with('u'));
                i += if takes { 2 } else { 1 };
            }
            let rest = args.get(i..).unwrap_or_default();
            match rest {
                [] if login => Some(format!("{shown} opens another user's shell")),
                [] => None,
                ["su", ..] => Some(format!("{shown} opens another user's shell")),
                [sh] if shells.contains(sh) => Some(format!("{shown} opens a root shell")),
                _ => opener(&rest.join(" ")),
            }
        }
        "su" if args.len() <= 2 && !args.contains(&"-c") => Some(format!("{shown} opens another user's shell")),
        "ssh"
            if operands(&[
                "-p", "-i", "-l", "-o", "-J", "-F", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-m", "-O", "-S", "-W",
                "-w", "-B", "-Q",
            ])
            .len()
                == 1 =>
        {
            Some(format!("{shown} opens a shell on another host"))
        }
        "chroot" if operands(&["--userspec", "--groups"]).len() == 1 => {
            Some(format!("{shown} opens a shell in another root"))
        }
        "oc" | "kubectl" => {
            // The verb: the first word that is neither an option nor a global option's value.
            let globals = [
                "-n",
                "--namespace",
                "--context",
                "--kubeconfig",
                "--cluster",
                "--user",
                "-s",
                "--server",
                "--as",
                "--token",
                "--request-timeout",
                "-v",
            ];
            let mut i = 0;
            while args.get(i).is_some_and(|a| a.starts_with('-')) {
                i += if globals.contains(&args[i]) { 2 } else { 1 };
            }
            let verb = args.get(i)?;
            let dashdash = args.iter().position(|a| *a == "--");
            match *verb {
                // `oc debug node/x` opens a shell; `kubectl debug` only when attached (`-it`).
                "debug"
                    if dashdash.is_none()
                        && (*program == "oc"
                            || args.iter().any(|a| {
                                matches!(*a, "-it" | "-ti" | "-i" | "--stdin" | "--attach" | "--attach=true")
                            })) =>
                {
                    Some(format!("{shown} opens a shell on a node or in a debug container"))
                }
                "rsh" if operands(&["-c", "--container", "-n", "--namespace", "--shell"]).len() == 2 => {
                    Some(format!("{shown} opens a shell in a pod"))
                }
                "exec" | "rsh" if dashdash.is_some_and(|d| args.len() == d + 2 && shells.contains(&args[d + 1])) => {
                    Some(format!("{shown} opens a shell in a pod"))
                }
                _ => None,
            }
        }
        // `docker exec -it C sh`, `docker container exec …`, `docker compose exec web sh`,
        // `docker-compose exec web bash`, `docker run -it IMAGE bash`.
        "docker" | "podman" | "docker-compose"
            if {
                let sub: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).take(2).collect();
                let exec = matches!(sub.as_slice(), ["exec", ..] | ["container" | "compose", "exec"])
                    || (*program == "docker-compose" && sub.first() == Some(&"exec"));
                let run = matches!(sub.as_slice(), ["run", ..] | ["container", "run"])
                    && args.iter().any(|a| matches!(*a, "-it" | "-ti" | "-i" | "--interactive"));
                (exec || run) && args.last().is_some_and(|l| shells.contains(l))
            } =>
        {
            Some(format!("{shown} opens a shell in a container"))
        }
        "psql" | "mysql" | "mariadb" | "mongosh" | "mongo" | "sqlite3" | "cqlsh"
            if !args.iter().any(|a| {
                matches!(
                    *a,
                    "-c" | "-f"
                        | "-e"
                        | "--command"
                        | "--file"
                        | "--execute"
                        | "--eval"
                        | "-l"
                        | "--list"
                        | "--version"
                        | "-V"
                ) || a.starts_with("--command=")
                    || a.starts_with("--eval=")
                    || a.starts_with("--execute=")
            }) =>
        {
            Some(format!("{shown} opens a `{program}` session"))
        }
        "redis-cli"
            if operands(&["-h", "-p", "-a", "-n", "-u", "--user", "--pass", "-s"]).is_empty()
                && !args.contains(&"--version") =>
        {
            Some(format!("{shown} opens a `redis-cli` session"))
        }
        _ => None,
    }
}

/// Shell state across the lines of one command: open quotes, a heredoc, a trailing `\` or
/// operator, an open `for`/`if`/`while`/`case`/`{`.
#[derive(Debug, Default)]
struct State {
    quote: Option<char>,
    heredoc: Vec<String>,
    backslash: bool,
    operator: bool,
    depth: i32,
    /// Open parentheses: `a=(` over several lines, `$(` not closed yet. (A `case` pattern's
    /// lone `)` closes nothing.)
    parens: i32,
}

impl State {
    fn open(&self) -> bool {
        self.quote.is_some()
            || !self.heredoc.is_empty()
            || self.backslash
            || self.operator
            || self.depth > 0
            || self.parens > 0
    }

    fn feed(&mut self, line: &str) {
        if let Some(word) = self.heredoc.first() {
            if line.trim_start_matches('\t') == word {
                self.heredoc.remove(0);
            }
            return;
        }
        self.backslash = false;
        self.operator = false;
        let b: Vec<char> = line.chars().collect();
        let mut i = 0;
        // Whether the word being read is in command position (where `for`, `fi`… count).
        let mut command_position = self.quote.is_none();
        let mut naming = false;
        let mut word = String::new();
        while i < b.len() {
            let c = b[i];
            if let Some(q) = self.quote {
                if c == '\\' && q == '"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    self.quote = None;
                }
                i += 1;
                continue;
            }
            match c {
                '\\' if i + 1 == b.len() => {
                    self.backslash = true;
                    break;
                }
                '\\' => {
                    word.push(c);
                    i += 2;
                    continue;
                }
                '\'' | '"' => {
                    self.quote = Some(c);
                    word.push(c);
                    i += 1;
                    continue;
                }
                '#' if word.is_empty() => break,
                // `<<` opens a heredoc, except as a shift inside `$(( … ))`.
                '<' if b.get(i + 1) == Some(&'<') && b.get(i + 2) != Some(&'<') && !in_arithmetic(&b[..i]) => {
                    let mut j = i + 2;
                    if b.get(j) == Some(&'-') {
                        j += 1;
                    }
                    while b.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    let tag: String = b[j..]
                        .iter()
                        .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&' | ')' | '>'))
                        .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                        .collect();
                    if !tag.is_empty() {
                        self.heredoc.push(tag);
                    }
                    word.push('<');
                    i = j;
                    continue;
                }
                _ => {}
            }
            match c {
                '(' => self.parens += 1,
                ')' => self.parens = (self.parens - 1).max(0),
                _ => {}
            }
            let separator = matches!(c, ';' | '|' | '&' | '(' | ')');
            if c.is_whitespace() || separator {
                if !word.is_empty() {
                    let keyword = command_position && self.keyword(&word);
                    // After `do`, `then`, `!`…, a command follows; after any other word, arguments.
                    command_position = keyword && !matches!(word.as_str(), "for" | "case" | "select" | "function");
                    // `function NAME {`: the body's `{` follows the name.
                    if naming {
                        command_position = true;
                        naming = false;
                    }
                    naming |= keyword && word == "function";
                    word.clear();
                }
                if separator {
                    command_position = true;
                }
            } else {
                word.push(c);
            }
            i += 1;
        }
        if self.quote.is_none() {
            if command_position && !word.is_empty() {
                self.keyword(&word);
            }
            let t = line.trim_end();
            self.operator = !self.backslash && (t.ends_with('|') || t.ends_with("&&") || t.ends_with("||"));
        }
    }

    /// Counts a word in command position that opens or closes a compound command; whether it
    /// is a reserved word.
    fn keyword(&mut self, word: &str) -> bool {
        match word {
            "if" | "for" | "while" | "until" | "case" | "select" | "{" => self.depth += 1,
            "fi" | "done" | "esac" | "}" => self.depth = (self.depth - 1).max(0),
            "do" | "then" | "else" | "elif" | "!" | "time" | "in" | "function" => {}
            _ => return false,
        }
        true
    }
}

/// Whether the text before a position leaves an arithmetic `(( … ))` open.
fn in_arithmetic(before: &[char]) -> bool {
    let text: String = before.iter().collect();
    text.matches("((").count() > text.matches("))").count()
}

/// Whether a word is a program runbooks run. Not exhaustive: a program missing here still runs
/// in a fence tagged as shell; in a loose fence it is read as output, with a warning.
#[must_use]
pub fn is_known(w: &str) -> bool {
    let base = w.rsplit('/').next().unwrap_or(w);
    KNOWN.binary_search(&base).is_ok()
}

/// Programs seen in operations runbooks, sorted (a test keeps them so).
const KNOWN: &[&str] = &[
    "ab",
    "amtool",
    "ansible",
    "ansible-playbook",
    "apachectl",
    "apk",
    "apt",
    "apt-get",
    "argocd",
    "arp",
    "atq",
    "awk",
    "aws",
    "az",
    "base64",
    "bash",
    "bc",
    "blkid",
    "borg",
    "bq",
    "brew",
    "buildah",
    "bundle",
    "bzip2",
    "caddy",
    "calicoctl",
    "cassandra-stress",
    "cat",
    "celery",
    "ceph",
    "certbot",
    "cfssl",
    "chmod",
    "chown",
    "chronyc",
    "chroot",
    "cilium",
    "cmp",
    "column",
    "conntrack",
    "consul",
    "cp",
    "cqlsh",
    "crictl",
    "crontab",
    "csplit",
    "ctr",
    "curl",
    "cut",
    "date",
    "dd",
    "df",
    "diff",
    "dig",
    "dmesg",
    "dnf",
    "docker",
    "docker-compose",
    "doctl",
    "du",
    "e2fsck",
    "echo",
    "egrep",
    "elasticsearch-node",
    "env",
    "envoy",
    "etcdctl",
    "etcdutl",
    "ethtool",
    "exportfs",
    "expr",
    "fallocate",
    "fdisk",
    "fgrep",
    "file",
    "find",
    "findmnt",
    "flux",
    "fly",
    "flyctl",
    "free",
    "fsck",
    "fuser",
    "gcloud",
    "getent",
    "gh",
    "git",
    "gitlab-ctl",
    "gitlab-rails",
    "gitlab-rake",
    "gitlab-runner",
    "glab",
    "gpg",
    "grafana-cli",
    "grep",
    "groups",
    "gsutil",
    "gunicorn",
    "gunzip",
    "gzip",
    "haproxy",
    "hdparm",
    "head",
    "helm",
    "helmfile",
    "heroku",
    "host",
    "hostname",
    "hostnamectl",
    "htop",
    "id",
    "ifconfig",
    "iftop",
    "influx",
    "iostat",
    "iotop",
    "ip",
    "ip6tables",
    "ipcs",
    "iperf3",
    "iptables",
    "iptables-save",
    "ipvsadm",
    "istioctl",
    "java",
    "jcmd",
    "jenkins-cli",
    "jmap",
    "journalctl",
    "jq",
    "jstack",
    "jstat",
    "k9s",
    "kafka-configs",
    "kafka-configs.sh",
    "kafka-consumer-groups",
    "kafka-consumer-groups.sh",
    "kafka-topics",
    "kafka-topics.sh",
    "kcat",
    "keytool",
    "kill",
    "killall",
    "kind",
    "kubeadm",
    "kubectl",
    "kubectx",
    "kubelet",
    "kubens",
    "kustomize",
    "last",
    "ldd",
    "less",
    "linkerd",
    "ln",
    "logcli",
    "loginctl",
    "logrotate",
    "lokitool",
    "ls",
    "lsblk",
    "lscpu",
    "lsmod",
    "lsof",
    "lvcreate",
    "lvdisplay",
    "lvextend",
    "lvs",
    "make",
    "mariadb",
    "mc",
    "md5sum",
    "mdadm",
    "memcached-tool",
    "memcstat",
    "mimirtool",
    "minikube",
    "mkdir",
    "mkfs",
    "mkswap",
    "mktemp",
    "modprobe",
    "mongo",
    "mongodump",
    "mongorestore",
    "mongosh",
    "mongostat",
    "mongotop",
    "more",
    "mount",
    "mtr",
    "mv",
    "mysql",
    "mysqladmin",
    "mysqlbinlog",
    "mysqldump",
    "nc",
    "ncat",
    "nerdctl",
    "nethogs",
    "netstat",
    "networkctl",
    "nfsstat",
    "nft",
    "nginx",
    "nmap",
    "nmcli",
    "node",
    "nodetool",
    "nohup",
    "nomad",
    "npm",
    "nproc",
    "npx",
    "nsenter",
    "nslookup",
    "ntpdate",
    "ntpq",
    "numactl",
    "nvidia-smi",
    "nvme",
    "oc",
    "od",
    "openssl",
    "packer",
    "patroni",
    "patronictl",
    "perf",
    "pg_basebackup",
    "pg_ctl",
    "pg_ctlcluster",
    "pg_dump",
    "pg_dumpall",
    "pg_isready",
    "pg_lsclusters",
    "pg_restore",
    "pgbouncer",
    "pgrep",
    "pidof",
    "ping",
    "ping6",
    "pip",
    "pip3",
    "pkill",
    "pm2",
    "pmap",
    "podman",
    "printenv",
    "promtool",
    "ps",
    "psql",
    "pulumi",
    "pvcreate",
    "pvdisplay",
    "pvs",
    "pwd",
    "python",
    "python3",
    "rabbitmq-diagnostics",
    "rabbitmq-plugins",
    "rabbitmqadmin",
    "rabbitmqctl",
    "rados",
    "radosgw-admin",
    "rails",
    "rake",
    "rbd",
    "rclone",
    "readlink",
    "realpath",
    "reboot",
    "redis-cli",
    "redis-sentinel",
    "redis-server",
    "repmgr",
    "resize2fs",
    "resolvectl",
    "restic",
    "rev",
    "rg",
    "rm",
    "rmdir",
    "rpcinfo",
    "rpm",
    "rsync",
    "ruby",
    "runc",
    "s3cmd",
    "sar",
    "scp",
    "sed",
    "seq",
    "service",
    "sestatus",
    "setenforce",
    "sftp",
    "sh",
    "sha1sum",
    "sha256sum",
    "shasum",
    "showmount",
    "shred",
    "shutdown",
    "sidekiqmon",
    "skopeo",
    "smartctl",
    "snap",
    "sort",
    "split",
    "sqlite3",
    "ss",
    "ssh",
    "ssh-keygen",
    "sstableloader",
    "stat",
    "stern",
    "strace",
    "stress",
    "su",
    "sudo",
    "supervisorctl",
    "swapoff",
    "swapon",
    "sysctl",
    "systemctl",
    "systemd-analyze",
    "systemd-resolve",
    "tail",
    "tar",
    "tcpdump",
    "tee",
    "telnet",
    "terraform",
    "terragrunt",
    "timedatectl",
    "timeout",
    "tmux",
    "top",
    "touch",
    "tr",
    "tracepath",
    "traceroute",
    "traefik",
    "truncate",
    "tshark",
    "tune2fs",
    "umount",
    "uname",
    "uniq",
    "unzip",
    "update-ca-certificates",
    "uptime",
    "useradd",
    "usermod",
    "uwsgi",
    "valkey-cli",
    "vault",
    "velero",
    "vgcreate",
    "vgdisplay",
    "vgextend",
    "vgs",
    "vi",
    "vim",
    "virsh",
    "vmstat",
    "w",
    "watch",
    "wc",
    "wget",
    "which",
    "who",
    "whoami",
    "xargs",
    "xfs_growfs",
    "xfs_repair",
    "xxd",
    "yarn",
    "yq",
    "yum",
    "zcat",
    "zfs",
    "zgrep",
    "zkCli.sh",
    "zkServer.sh",
    "zookeeper-shell.sh",
    "zpool",
    "zypper",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, tag: Tag) -> Vec<Line> {
        read(text, tag).lines
    }

    #[test]
    fn known_programs_stay_sorted() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]), "{:?}", KNOWN.windows(2).find(|w| w[0] >= w[1]));
    }

    #[test]
    fn prompts_are_recognised_and_stripped() {
        let cases = [
            ("$ kubectl get pods", 2),
            ("  $ ls", 4),
            ("user@host:~$ df -h", 13),
            ("root@node-1:/var/log# ls", 22),
            ("[root@node1 ~]# systemctl status etcd", 16),
            ("[core@master-0 ~]$ oc get nodes", 19),
            ("worker$ ls", 8),
            ("(venv) $ pip list", 9),
            ("% kubectl get ns", 2),
            ("MacBook:~ me$ ls", 14),
        ];
        for (line, skip) in cases {
            assert_eq!(prompt(line, true, true), Some(Prompt::Shell(skip)), "{line}");
        }
        let line = "# kubectl get pods";
        assert_eq!(prompt(line, true, true), Some(Prompt::Shell(2)), "{line}");
        assert_eq!(prompt(line, false, false), None, "a comment in a bash fence: {line}");
        for line in ["● nginx.service - A high performance web server", "é● x", "日本$ ls"] {
            let _ = prompt(line, true, true);
            let _ = read(line, Tag::Loose);
        }
        for line in ["# Check the pods", "echo $ x", "http://x.example.com$ y"] {
            assert!(!matches!(prompt(line, true, true), Some(Prompt::Shell(_))), "{line}");
        }
    }

    #[test]
    fn repl_prompts_name_their_client() {
        for (line, client) in [
            ("postgres=# SELECT 1;", "psql"),
            ("pgbouncer=# SHOW POOLS;", "psql"),
            ("mydb=> \\dt", "psql"),
            ("postgres-# WHERE x;", "psql"),
            ("mysql> SHOW PROCESSLIST;", "mysql"),
            ("MariaDB [app]> SELECT 1;", "mysql"),
            ("127.0.0.1:6379> INFO memory", "redis-cli"),
            ("redis-cli> PING", "redis-cli"),
            ("rs0:PRIMARY> rs.status()", "mongosh"),
        ] {
            assert_eq!(prompt(line, true, true), Some(Prompt::Repl(client)), "{line}");
        }
        for line in ["kubectl get pods > out.txt", "echo a>b", "x > y"] {
            assert_eq!(prompt(line, true, true), None, "{line}");
        }
    }

    #[test]
    fn output_under_a_prompt_is_output() {
        let text = "$ kubectl get pods -n web\nNAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5m\n\n$ kubectl describe pod web-1\nName:         web-1\nEvents:\n  Normal  Pulled  kubelet  pulled\n";
        let k = kinds(text, Tag::Shell);
        assert_eq!(
            k,
            [
                Line::Command { skip: 2 },
                Line::Output,
                Line::Output,
                Line::Blank,
                Line::Command { skip: 2 },
                Line::Output,
                Line::Output,
                Line::Output
            ]
        );
    }

    #[test]
    fn pasted_output_without_prompts_is_output() {
        let text = "kubectl get pvc\nNAME        STATUS    VOLUME   CAPACITY\ndata-0      Bound     pv-1     10Gi\nkubectl get pods\nOct 18 19:39:36 host chronyd[812]: Selected source 10.0.0.1\n2024-05-01T10:00:00Z error something\napiVersion: v1\n{\"a\": 1}\n";
        let k = kinds(text, Tag::Shell);
        assert_eq!(
            k,
            [
                Line::Command { skip: 0 },
                Line::Output,
                Line::Output,
                Line::Command { skip: 0 },
                Line::Output,
                Line::Output,
                Line::Output,
                Line::Output
            ]
        );
    }

    #[test]
    fn queries_and_aligned_tables_in_a_shell_fence_are_not_commands() {
        for l in [
            "sum(rate(nginx_http_requests_total{status=~\"5..\"}[5m])) by (host)",
            "min by (pod) (vault_core_unsealed{namespace=\"vault\"})",
            "GET _cat/indices?v",
            "id                                   repository  status start_epoch",
        ] {
            assert!(is_output(l), "{l}");
        }
        for l in [
            "https://minio-3.store.example.internal:9000/mnt/disk6\toffline",
            "  Name     = webhooks-relay",
            "Machines",
            "traefik-1  | {\"level\":\"error\"}",
            "notAfter=Jun 12 02:11:39 2024 GMT",
        ] {
            assert!(is_output(l.trim()), "{l}");
        }
        for l in [
            "kubectl get pods -n web",
            "id -u",
            "echo  a  b  c > x",
            "sum file.txt",
            "LEVEL=debug ./run.sh",
            "f=\"report 2024.csv\"; echo \"${f%.csv}\"",
            "line='key = value'",
            "{ echo a; echo b; } > out.txt",
        ] {
            assert!(!is_output(l), "{l}");
        }
    }

    #[test]
    fn loose_fences_with_assignments_sudo_scripts_and_loops_are_shell() {
        for text in [
            "export ETCDCTL_API=3\netcdctl endpoint status\n",
            "ES=https://es:9200\ncurl -s \"$ES/_cluster/health\"\n",
            "rev=$(etcdctl endpoint status -w json)\n",
            "sudo chef-client\n",
            "sudo -u postgres fallocate -l 5G /x\n",
            "kafka-log-dirs.sh --describe --broker-list 2\n",
            "for h in a b; do echo $h; done\n",
        ] {
            assert!(read(text, Tag::Loose).runs(), "{text}");
        }
        for text in ["max_connections=200\nshared_buffers=4GB\n", "HOST=db-1\nPORT=5432\n"] {
            assert!(!read(text, Tag::Loose).runs(), "a config file: {text}");
        }
    }

    #[test]
    fn loose_fences_run_only_when_unmistakably_shell() {
        let r = read("kubectl -n web get pods\n", Tag::Loose);
        assert!(r.runs() && r.detected.is_some());
        let r = read("Subject: hello\nsome prose here\n", Tag::Loose);
        assert!(!r.runs());
        let r = read("nginx-abc  1/1  Running\n", Tag::Loose);
        assert!(!r.runs());
        let r = read("rate(http_requests_total[5m]) > 0.5\n", Tag::Loose);
        assert!(!r.runs());
        let r = read("kubectl get pods\nweb-1  1/1  Running  0  5m\n", Tag::Loose);
        assert_eq!(r.lines, [Line::Command { skip: 0 }, Line::Output]);
        let r = read("apiVersion: v1\nkind: Pod\n", Tag::Other);
        assert!(!r.runs());
    }

    #[test]
    fn console_comments_and_root_prompts() {
        let r = read("# Check the disk\n# df -h\nFilesystem  Size\n/dev/sda1   10G\n", Tag::Session);
        assert_eq!(r.lines, [Line::Comment { skip: 0 }, Line::Command { skip: 2 }, Line::Output, Line::Output]);
    }

    #[test]
    fn continuations_heredocs_and_loops_stay_with_their_command() {
        let text = "$ curl -s \\\n>   -X POST http://x\n$ cat <<EOF > f.txt\nName: value\nEOF\n$ for p in a b; do\n>   echo $p\n> done\n";
        let r = read(text, Tag::Session);
        assert_eq!(
            r.lines,
            [
                Line::Command { skip: 2 },
                Line::More { skip: 2 },
                Line::Command { skip: 2 },
                Line::More { skip: 0 },
                Line::More { skip: 0 },
                Line::Command { skip: 2 },
                Line::More { skip: 2 },
                Line::More { skip: 2 },
            ]
        );
        let text = "for ns in a b; do\n  kubectl -n \"$ns\" get pods\ndone\ncurl -d '{\n  \"a\": 1\n}' http://x\n";
        let r = read(text, Tag::Shell);
        assert_eq!(
            r.lines,
            [
                Line::Command { skip: 0 },
                Line::More { skip: 0 },
                Line::More { skip: 0 },
                Line::Command { skip: 0 },
                Line::More { skip: 0 },
                Line::More { skip: 0 }
            ]
        );
    }

    #[test]
    fn repl_sessions_are_statements() {
        let r = read(
            "$ psql -U postgres\npostgres=# SELECT count(*) FROM pg_stat_activity;\n count\n-------\n    12\n(1 row)\n",
            Tag::Session,
        );
        assert_eq!(r.repl, Some("psql"));
        assert_eq!(r.lines[1], Line::Statement);
        assert!(r.lines[2..].iter().all(|l| *l == Line::Output));
    }
}

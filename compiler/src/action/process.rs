//! Every other program → `process.exec` with an argv template and an effect: known programs
//! get a known effect (`systemctl status` reads, `systemctl restart` writes), unknown ones `exec`.

use serde::Serialize;

use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::{Part, Word};

#[derive(Clone, Debug, Serialize)]
pub struct ProcessCall {
    pub program: Word,
    pub args: Vec<Word>,
    pub effect: Effect,
    /// Whether the effect comes from the table of known programs.
    pub known: bool,
}

impl ProcessCall {
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        vec![
            Need::new("process.exec", self.effect)
                .with("program", scope_of(&self.program))
                .with("argv", self.args.iter().map(quote).collect::<Vec<_>>().join(" ")),
        ]
    }
}

/// Shows an argv element so that spaces written in it stay visible. A hole is not quoted for the
/// text of its description: what fills it is one plain word, or, for an unquoted `$(…)`, words.
fn quote(w: &Word) -> String {
    let a = scope_of(w);
    let spaced = w
        .parts
        .iter()
        .any(|p| matches!(p, Part::Lit { text } | Part::Glob { text } if text.contains(char::is_whitespace)));
    if a.is_empty() || spaced { format!("'{a}'") } else { a }
}

/// What a known program does, given its arguments. `None`: unknown program.
fn known_effect(base: &str, args: &[String]) -> Option<Effect> {
    let first = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
    let has = |f: &str| args.iter().any(|a| a == f || a.starts_with(&format!("{f}=")));
    Some(match base {
        "journalctl" | "dmesg" if has("--clear") || has("-c") || has("--vacuum-size") || has("--vacuum-time") => {
            Effect::Destructive
        }
        "journalctl" | "dmesg" | "free" | "df" | "du" | "uptime" | "ps" | "pgrep" | "lsof" | "ss" | "netstat"
        | "uname" | "id" | "whoami" | "vmstat" | "iostat" | "pmap" | "lscpu" | "nproc" | "printenv" | "which"
        | "stat" | "dig" | "nslookup" | "host" | "pg_isready" | "rocm-smi" | "lsblk" | "mount" | "getent"
        | "sha256sum" | "md5sum" | "file" => Effect::Read,
        "ping" | "traceroute" | "nc" | "telnet" => Effect::Read,
        "env" if args.is_empty() => Effect::Read,
        "top" if has("-b") => Effect::Read,
        "find" if has("-delete") => Effect::Destructive,
        "find" if has("-exec") || has("-execdir") => Effect::Exec,
        "find" => Effect::Read,
        "nvidia-smi" if has("--gpu-reset") || has("-r") || has("-pm") || has("-pl") || has("-e") || has("-c") => {
            Effect::Write
        }
        "nvidia-smi" => Effect::Read,
        "systemctl" | "service" => {
            let verb = if base == "service" { args.get(1).map(String::as_str) } else { first };
            match verb {
                Some(
                    "status" | "is-active" | "is-enabled" | "is-failed" | "show" | "list-units" | "list-timers" | "cat"
                    | "list-unit-files",
                )
                | None => Effect::Read,
                _ => Effect::Write,
            }
        }
        "kill" | "pkill" | "killall" => Effect::Write,
        "git" => match first {
            Some("log" | "status" | "diff" | "show" | "branch" | "rev-parse" | "describe" | "blame" | "remote") => {
                Effect::Read
            }
            _ => Effect::Write,
        },
        "ollama" => match first {
            Some("list" | "ps" | "show") => Effect::Read,
            Some("pull") => Effect::Write,
            _ => Effect::Exec,
        },
        "chmod" | "chown" | "ln" => Effect::Write,
        _ => return None,
    })
}

/// Programs that need a terminal, and why.
fn interactive(base: &str, args: &[String]) -> Option<&'static str> {
    let none_but_flags = args.iter().all(|a| a.starts_with('-'));
    match base {
        "top" | "htop" | "atop" if !args.iter().any(|a| a == "-b") => Some("`top` without `-b` redraws a screen"),
        "watch" => Some("`watch` redraws forever"),
        "wscat" | "telnet" => Some("an interactive network client"),
        "vi" | "vim" | "nano" | "emacs" | "less" | "more" => Some("an editor or pager"),
        "psql" | "mysql" | "redis-cli" | "mongo" | "mongosh" | "sqlite3"
            if !args.iter().any(|a| matches!(a.as_str(), "-c" | "-f" | "-e" | "--command" | "--file" | "--eval"))
                && (base != "redis-cli" || none_but_flags) =>
        {
            Some("a database shell without a command")
        }
        "python" | "python3" | "node" | "bash" | "sh" | "zsh" | "irb" if none_but_flags => {
            Some("an interpreter without a script")
        }
        "ssh" if args.iter().filter(|a| !a.starts_with('-')).count() <= 1 => {
            Some("`ssh` without a remote command opens a shell")
        }
        "ping" if !args.iter().any(|a| a == "-c" || a.starts_with("-c")) => Some("`ping` without `-c` never stops"),
        _ => None,
    }
}

fn unbounded(base: &str, args: &[String]) -> Option<&'static str> {
    let follow = args.iter().any(|a| a == "-f" || a == "--follow" || a == "-F");
    match base {
        "journalctl" if follow => Some("`journalctl -f` follows until interrupted"),
        _ => None,
    }
}

/// `PROGRAM ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, program: &Word, args: &[Word]) -> Action {
    let shown = program.template();
    let base = shown.rsplit('/').next().unwrap_or(&shown).to_string();
    let lits: Vec<String> = args.iter().map(Word::template).collect();
    if matches!(base.as_str(), "xargs" | "parallel") {
        cx.error(
            Diagnostic::error(
                Kind::Unsupported,
                cx.span,
                format!("`{base}` runs commands built from its input, which playbook cannot type"),
            )
            .with_label(format!("`{base}`"))
            .with_help("use `for x in $(…); do COMMAND \"$x\"; done`"),
        );
        return Action::Invalid;
    }
    if let Some(reason) = interactive(&base, &lits) {
        cx.manual(cx.span, reason);
    } else if let Some(reason) = unbounded(&base, &lits) {
        cx.bounded(cx.span, reason);
    }
    let (effect, known) = match (shown == base
        || shown.starts_with("/usr/")
        || shown.starts_with("/bin/")
        || shown.starts_with("/sbin/"))
    .then(|| known_effect(&base, &lits))
    .flatten()
    {
        Some(e) => (e, true),
        None => (Effect::Exec, false),
    };
    if !known && cx.mode == super::Mode::Run {
        cx.warn(
            Diagnostic::hint(
                Kind::ArbitraryExec,
                program.span,
                format!("`{shown}` is not a program playbook knows: it runs with effect `exec`"),
            )
            .with_label("may run arbitrary code")
            .with_help("reviewers see it flagged in the manifest; the operator's policy must allow it"),
        );
    }
    Action::Process(ProcessCall { program: program.clone(), args: args.to_vec(), effect, known })
}

//! Every other program → a typed process request: the program, its argv and its environment.
//! A program of a typed family (`playbook_capability::family`: systemctl, psql, helm, aws, …)
//! needs its family's capability; the rest `process.exec`, with the effect of
//! `playbook_capability::process`'s table of known programs.

use playbook_capability::family::Family;
use playbook_capability::process::ProcessRequest;

use super::{Action, Cx};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// Programs that need a terminal, and why.
fn interactive(base: &str, args: &[String]) -> Option<&'static str> {
    let none_but_flags = args.iter().all(|a| a.starts_with('-'));
    match base {
        "top" | "htop" | "atop" if !args.iter().any(|a| a == "-b") => Some("`top` without `-b` redraws a screen"),
        "watch" => Some("`watch` redraws forever"),
        "wscat" | "telnet" => Some("an interactive network client"),
        "vi" | "vim" | "nano" | "emacs" | "less" | "more" => Some("an editor or pager"),
        "psql" | "mysql" | "redis-cli" | "mongo" | "mongosh" | "sqlite3"
            if !args.iter().any(|a| {
                matches!(a.as_str(), "-c" | "-f" | "-e" | "--command" | "--file" | "--eval" | "--execute")
                    || a.starts_with("--command=")
                    || a.starts_with("--execute=")
                    || a.starts_with("--eval=")
                    || (base == "psql" && matches!(a.as_str(), "-l" | "--list" | "--version" | "-V"))
                    || (base != "psql" && a == "--version")
                    || (base == "redis-cli"
                        && matches!(
                            a.as_str(),
                            "--scan" | "--bigkeys" | "--memkeys" | "--hotkeys" | "--rdb" | "--pipe"
                        ))
            }) && (base != "redis-cli" || none_but_flags) =>
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
        "etcdctl" if args.iter().any(|a| a == "watch") => Some("`etcdctl watch` streams until interrupted"),
        "flux" if args.first().is_some_and(|a| a == "logs") && follow => {
            Some("`flux logs -f` follows until interrupted")
        }
        _ => None,
    }
}

/// `PROGRAM ARGS…`; the environment and privilege are filled in by the caller.
pub fn classify(cx: &mut Cx<'_, '_>, program: &Word, args: &[Word]) -> Action {
    let shown = program.template();
    let base = shown.rsplit('/').next().unwrap_or(&shown).to_string();
    let lits: Vec<String> = args.iter().map(Word::template).collect();
    // An unquoted `*`/`?`/`[…]` in a path is expanded by bash before the program runs: here the
    // host expands it when the command runs (the manifest grants the listing, and the program
    // only paths the pattern matches).
    let mut args = args.to_vec();
    for w in &mut args {
        let t = w.template();
        if w.parts.iter().any(|p| matches!(p, crate::shell::Part::Glob { text } if text.contains(['*', '?', '['])))
            && !t.contains("://")
            && !t.contains('=')
        {
            match cx.lw.glob_word(w) {
                Some(g) => *w = g,
                None => return Action::Invalid,
            }
        }
    }
    let args = args.as_slice();
    // `… | xargs CMD` is a loop, lowered with its pipeline (`shell::lower`); here it reads no
    // pipe, and `parallel` runs its commands at once.
    if matches!(base.as_str(), "xargs" | "parallel") {
        let help = if base == "xargs" {
            "pipe its input in: `… | xargs [-r] [-n 1] [-I {}] COMMAND ARGS`"
        } else {
            "use `… | xargs -r COMMAND ARGS`, or `for x in $(…); do COMMAND \"$x\"; done`"
        };
        cx.error(
            Diagnostic::error(
                Kind::Unsupported,
                cx.span,
                format!("`{base}` runs commands built from its input, which playbook cannot type here"),
            )
            .with_label(format!("`{base}`"))
            .with_help(help),
        );
        return Action::Invalid;
    }
    if let Some(reason) = interactive(&base, &lits) {
        cx.manual(cx.span, reason);
    } else if let Some(reason) = unbounded(&base, &lits) {
        cx.bounded(cx.span, reason);
    }
    let request = ProcessRequest {
        program: program.clone(),
        args: args.to_vec(),
        env: Vec::new(),
        privileged: false,
        background: false,
    };
    // At run time the words are text: a hole where the subcommand belongs would name a
    // capability nobody reviewed.
    if let Some(Family::Hole(what)) = request.family() {
        let at = args.iter().find(|w| !w.is_static()).map_or(cx.span, |w| w.span);
        cx.error(
            Diagnostic::error(Kind::DynamicCommand, at, format!("{what} is not written literally"))
                .with_label("known only at run time")
                .with_help(format!("write each `{base}` command out, in a `case` or an `if` if it depends on a value")),
        );
        return Action::Invalid;
    }
    if !request.known() && cx.mode == super::Mode::Run {
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
    Action::Process(request)
}

//! Shell builtins: variables, `cd`, `echo`, `sleep` (a wait), `date`/`hostname` (recorded host
//! facts), tests, `exit`. They run inside the component; only file tests need a capability.

use serde::Serialize;

use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

#[derive(Clone, Debug, Serialize)]
pub struct Builtin {
    pub name: String,
    pub args: Vec<Word>,
    /// For `sleep`: the wait in seconds, when literal.
    pub seconds: Option<u64>,
    /// For `test`/`[`: paths whose existence or type is checked.
    pub stat_paths: Vec<Word>,
}

impl Builtin {
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        self.stat_paths.iter().map(|p| Need::new("fs.stat", Effect::Read).with("path", scope_of(p))).collect()
    }
}

const BUILTINS: &[&str] = &[
    "echo", "printf", "export", "cd", "sleep", "date", "hostname", "test", "[", "exit", "true", "false", ":", "pwd",
    "unset", "wait", "break", "continue", "set", "read", "source", ".", "eval", "exec", "trap", "alias", "shift",
    "local", "return", "ulimit", "umask", "readonly", "declare",
];

#[must_use]
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// Parses `30`, `2s`, `5m`, `1h`, `0.5` into whole seconds (rounded up).
#[must_use]
pub fn parse_duration(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if !(0.0..=1e9).contains(&v) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some((v * mult).ceil() as u64)
}

const FILE_TESTS: &[&str] = &["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-p", "-S", "-b", "-c"];

/// `echo|cd|sleep|test|… ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let mut b = Builtin { name: name.to_string(), args: args.to_vec(), seconds: None, stat_paths: Vec::new() };
    match name {
        "source" | "." | "eval" | "exec" | "trap" | "alias" | "shift" | "local" | "return" | "declare" | "readonly"
        | "ulimit" | "umask" => {
            cx.error(
                Diagnostic::error(Kind::Unsupported, cx.span, format!("`{name}` is not supported in a runbook block"))
                    .with_label(format!("`{name}`"))
                    .with_help(match name {
                        "source" | "." => "copy the commands into the runbook so they can be reviewed",
                        "eval" | "exec" => "write the command out literally",
                        _ => "remove it; each block runs in the playbook's own shell state",
                    }),
            );
            return Action::Invalid;
        }
        "read" => cx.manual(cx.span, "`read` waits for the operator to type"),
        "sleep" => {
            let lit = args.first().and_then(Word::literal);
            match lit.as_deref().and_then(parse_duration) {
                Some(s) if args.len() == 1 => b.seconds = Some(s),
                _ => return cx.missing(cx.span, "`sleep` needs one literal duration such as 30 or 5m", "sleep 30"),
            }
        }
        "set" => {
            let ok = args.iter().all(|a| {
                a.literal().is_some_and(|l| {
                    (l.starts_with('-') || l.starts_with('+'))
                        && l[1..].chars().all(|c| matches!(c, 'e' | 'u' | 'x' | 'o'))
                        || matches!(l.as_str(), "pipefail" | "errexit" | "nounset" | "xtrace")
                })
            });
            if !ok {
                cx.error(
                    Diagnostic::error(
                        Kind::Unsupported,
                        cx.span,
                        "only `set -e`, `-u`, `-x` and `-o pipefail` are supported",
                    )
                    .with_label("`set`"),
                );
                return Action::Invalid;
            }
        }
        "exit"
            if args.len() > 1
                || args.first().is_some_and(|a| {
                    a.literal().is_none_or(|l| l.parse::<i32>().is_err())
                        && !matches!(a.parts.as_slice(), [crate::shell::Part::Status])
                }) =>
        {
            return cx.missing(cx.span, "`exit` takes a literal number or `$?`", "exit 1");
        }
        "hostname" if !args.is_empty() && !args.iter().all(|a| a.literal().is_some_and(|l| l.starts_with('-'))) => {
            cx.error(
                Diagnostic::error(
                    Kind::Unsupported,
                    cx.span,
                    "`hostname NAME` changes the host name; playbook only reads it",
                )
                .with_label("changes the host"),
            );
            return Action::Invalid;
        }
        "test" | "[" => {
            let mut operands = args.to_vec();
            if name == "[" {
                if operands.last().and_then(Word::literal).as_deref() != Some("]") {
                    return cx.missing(cx.span, "`[` needs a closing `]`", "[ -f FILE ]");
                }
                operands.pop();
            }
            for pair in operands.windows(2) {
                if pair[0].literal().is_some_and(|l| FILE_TESTS.contains(&l.as_str())) {
                    b.stat_paths.push(pair[1].clone());
                }
            }
        }
        _ => {}
    }
    Action::Builtin(b)
}

//! Shell builtins: variables, `cd`, `echo`, `sleep` (a wait), `date`/`hostname` (recorded host
//! facts), tests, `exit`. They run inside the component; only file tests need a capability.

use playbook_capability::Setting;
use playbook_capability::fs::{FILE_TESTS, FsOp, FsRequest, FsTool};
use serde::Serialize;

use super::{Action, Cx, Need};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

#[derive(Clone, Debug, Serialize)]
pub struct Builtin {
    pub name: String,
    pub args: Vec<Word>,
    /// For `sleep`: the wait in seconds, when literal.
    pub seconds: Option<u64>,
    /// For `test -f PATH`/`[ -d PATH ]`: the file test the host answers.
    pub stat: Option<FsRequest<Word>>,
}

impl Builtin {
    #[must_use]
    pub fn needs(&self, cwd: Option<&str>) -> Vec<Need> {
        self.stat.as_ref().map(|s| s.needs(cwd)).unwrap_or_default()
    }
}

/// The builtins the classifier recognises (each either carried out or refused).
pub const BUILTINS: &[&str] = &[
    "echo",
    "printf",
    "export",
    "cd",
    "sleep",
    "date",
    "hostname",
    "test",
    "[",
    "exit",
    "true",
    "false",
    ":",
    "pwd",
    "unset",
    "wait",
    "break",
    "continue",
    "set",
    "read",
    "source",
    ".",
    "eval",
    "exec",
    "trap",
    "alias",
    "shift",
    "local",
    "return",
    "ulimit",
    "umask",
    "readonly",
    "declare",
    "let",
    "typeset",
    "mapfile",
    "readarray",
    "shopt",
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

/// `echo|cd|sleep|test|… ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let mut b = Builtin { name: name.to_string(), args: args.to_vec(), seconds: None, stat: None };
    // `echo config/*`: the paths, found when it runs.
    if matches!(name, "echo" | "printf") {
        for w in &mut b.args {
            if w.has_glob() {
                match cx.lw.glob_word(w) {
                    Some(g) => *w = g,
                    None => return Action::Invalid,
                }
            }
        }
    }
    let args: &[Word] = &b.args.clone();
    match name {
        "local" | "return" if cx.lw.calls.is_empty() => {
            return cx.missing(
                cx.span,
                format!("`{name}` outside a function"),
                "use it in a function's body: name() { local v=…; …; return 0; }",
            );
        }
        "local" => {
            let named = |a: &Word| {
                let p = a.literal_prefix();
                let n = p.split('=').next().unwrap_or("");
                (p.contains('=') || a.literal().is_some())
                    && n.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            if let Some(bad) = args.iter().find(|a| !named(a)) {
                return cx.missing(
                    bad.span,
                    "`local` takes names and NAME=value (no options)",
                    "local name=value other",
                );
            }
        }
        "return" | "shift"
            if args.len() > 1
                || (name == "shift"
                    && args.first().is_some_and(|a| {
                        a.literal().is_none_or(|l| l.parse::<i64>().is_err() || l.starts_with('-'))
                    })) =>
        {
            return cx.missing(cx.span, format!("`{name}` takes a literal number"), &format!("{name} 1"));
        }
        "shift" if !cx.lw.positional() => {
            return cx.missing(
                cx.span,
                "`shift` outside a function",
                "a runbook block has positional parameters only in a function or after `set --`",
            );
        }
        "set" if args.first().and_then(Word::literal).as_deref() == Some("--") => {}
        // `cd logs/arch*`: bash expands the glob into the directory.
        "cd" if args.iter().any(Word::has_glob) => {
            return cx.missing(cx.span, "a glob in `cd` is not carried out", "name the directory: cd logs/archive");
        }
        // `cd -` goes back to `$OLDPWD`, which playbook does not keep.
        "cd" if args.iter().any(|a| a.literal().as_deref() == Some("-")) => {
            return cx.missing(
                cx.span,
                "`cd -` (back to the previous directory) is not carried out",
                "name the directory: cd ..  or  cd /path",
            );
        }
        // `[ -e logs/*.log ]`: bash expands the glob into the test's words.
        "test" | "[" if args.iter().any(Word::has_glob) => {
            return cx.missing(
                cx.span,
                "a glob in a test is not carried out",
                "test each path: for f in logs/*.log; do [ -e \"$f\" ] && …; done",
            );
        }
        // `unset -f f`, `unset arr`, `unset 'a[1]'`: functions and arrays stay as they are.
        "unset"
            if args
                .iter()
                .any(|a| a.literal().is_none_or(|l| l == "-f" || l.contains('[') || cx.lw.function_or_array(&l))) =>
        {
            return cx.missing(
                cx.span,
                "`unset` of a function, an array or an element is not carried out",
                "unset plain variables only (unset NAME); give a new array its own name",
            );
        }
        // `unset IFS` brings back the default splitting, after an `IFS=` playbook refuses.
        "unset" if args.iter().any(|a| a.literal().as_deref() == Some("IFS")) => {
            return cx.missing(
                cx.span,
                "`unset IFS` is not carried out",
                "playbook always splits with the default IFS; `IFS=… read -r a b` splits one line",
            );
        }
        // `wait` without arguments: for every `cmd &` of the run.
        "wait" if args.is_empty() => {}
        "source" | "." | "eval" | "exec" | "trap" | "alias" | "declare" | "readonly" | "ulimit" | "umask" | "wait"
        | "let" | "typeset" | "shopt" => {
            cx.error(
                Diagnostic::error(Kind::Unsupported, cx.span, format!("`{name}` is not supported in a runbook block"))
                    .with_label(format!("`{name}`"))
                    .with_help(match name {
                        "source" | "." => "copy the commands into the runbook so they can be reviewed",
                        "eval" | "exec" => "write the command out literally",
                        "set" => "playbook does not carry out `set` options (`-e`, `-u`, `pipefail`) yet; chain the commands with `&&` to stop at the first failure",
                        "wait" => "`wait` without arguments waits for every `&` job; a job id or `$!` is not carried out",
                        "let" => "shell arithmetic is not carried out yet; compute the value with awk or write it out",
                        "mapfile" | "readarray" => "read the lines with `while read -r line; do …; done < FILE`",
                        "shopt" => "playbook expands globs as bash does by default (no nullglob, dotglob, failglob or nocaseglob); test for a match with `[ -e \"$f\" ]` in the loop",
                        _ => "remove it; each block runs in the playbook's own shell state",
                    }),
            );
            return Action::Invalid;
        }
        "set" => {
            if let Err((w, why)) = set_options(args) {
                cx.error(
                    Diagnostic::error(
                        Kind::Unsupported,
                        w.span,
                        format!("`set {}` is not supported: {why}", w.template()),
                    )
                    .with_label("option")
                    .with_help("playbook carries out `set -e`, `set -o pipefail` and their `+` forms"),
                );
                return Action::Invalid;
            }
        }
        // `read [-r] [NAME…]` from a file, a document or a pipe; from the terminal it is the
        // operator's to answer.
        "read" => {
            let names: Vec<&Word> =
                args.iter().skip_while(|a| a.literal().is_some_and(|l| l.starts_with('-'))).collect();
            let options: Vec<String> = args.iter().take(args.len() - names.len()).filter_map(Word::literal).collect();
            if let Some(bad) = options.iter().find(|o| o.as_str() != "-r") {
                return cx.missing(
                    cx.span,
                    format!("`read {bad}` is not carried out"),
                    "read -r NAME… reads one line into the names",
                );
            }
            if let Some(bad) = names.iter().find(|n| {
                n.literal().is_none_or(|l| {
                    !l.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
            }) {
                return cx.missing(bad.span, "`read` takes literal variable names", "read -r host port");
            }
            if !cx.fed {
                cx.manual(cx.span, "`read` waits for the operator to type");
            }
        }
        // `mapfile -t NAME < FILE` (`readarray`): the lines into an array.
        "mapfile" | "readarray" => {
            let names: Vec<&Word> = args.iter().filter(|a| a.literal().as_deref() != Some("-t")).collect();
            let name_ok = |w: &Word| {
                w.literal().is_some_and(|l| {
                    l.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
            };
            if names.len() > 1 || names.first().is_some_and(|w| !name_ok(w)) {
                return cx.missing(
                    cx.span,
                    format!("`{name}` takes `-t` and one array name"),
                    "mapfile -t lines < FILE",
                );
            }
            if !cx.fed {
                return cx.missing(
                    cx.span,
                    format!("`{name}` without an input"),
                    "give it its input: mapfile -t lines < FILE, or mapfile -t lines <<< \"$(cmd)\"",
                );
            }
        }
        "printf" if args.first().and_then(Word::literal).is_some_and(|a| a.starts_with("-v")) => {
            return cx.missing(cx.span, "`printf -v` (into a variable) is not carried out yet", "v=$(printf '%s' …)");
        }
        "break" | "continue"
            if args.len() > 1
                || args
                    .first()
                    .is_some_and(|a| a.literal().and_then(|l| l.parse::<u32>().ok()).is_none_or(|n| n == 0)) =>
        {
            return cx.missing(cx.span, format!("`{name}` takes a literal loop count from 1"), "break 2");
        }
        "sleep" => {
            let lit = args.first().and_then(Word::literal);
            match lit.as_deref().and_then(parse_duration) {
                Some(s) if args.len() == 1 => b.seconds = Some(s),
                _ => return cx.missing(cx.span, "`sleep` needs one literal duration such as 30 or 5m", "sleep 30"),
            }
        }
        // `exit N`, `exit $?`, `exit "$rc"`; a literal that is not a number is bash's error.
        "exit"
            if args.len() > 1
                || args.first().is_some_and(|a| a.literal().is_some_and(|l| l.parse::<i32>().is_err())) =>
        {
            return cx.missing(cx.span, "`exit` takes one number (literal, `$?` or a variable)", "exit 1");
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
        "test" | "["
            if args
                .iter()
                .skip(1)
                .any(|a| a.literal().is_some_and(|l| matches!(l.as_str(), "-a" | "-o" | "-nt" | "-ot" | "-ef")))
                || (args.len().saturating_sub(usize::from(name == "[")) == 2
                    && args[0].literal().is_some_and(|l| {
                        l.len() == 2
                            && l.starts_with('-')
                            && !matches!(l.as_str(), "-n" | "-z" | "-p" | "-S" | "-b" | "-c")
                            && !FILE_TESTS.contains(&l.as_str())
                    })) =>
        {
            return cx.missing(
                cx.span,
                format!("`{name}` with `-a`, `-o`, `-nt`, `-ot`, `-ef` or this unary test is not carried out"),
                "join tests with && and || between them: [ -n \"$A\" ] && [ -n \"$B\" ]",
            );
        }
        "test" | "[" => {
            let mut operands = args.to_vec();
            if name == "[" {
                if operands.last().and_then(Word::literal).as_deref() != Some("]") {
                    return cx.missing(cx.span, "`[` needs a closing `]`", "[ -f FILE ]");
                }
                operands.pop();
            }
            let is_file_test = |w: &Word| {
                w.literal().is_some_and(|l| {
                    FILE_TESTS.contains(&l.as_str()) || matches!(l.as_str(), "-p" | "-S" | "-b" | "-c")
                })
            };
            let negated = operands.first().and_then(Word::literal).as_deref() == Some("!");
            let rest = if negated { &operands[1..] } else { &operands[..] };
            match rest {
                [op, path] if is_file_test(op) => {
                    let test = op.literal().unwrap_or_default();
                    if !FILE_TESTS.contains(&test.as_str()) {
                        return cx.missing(
                            op.span,
                            format!("the file test `{test}` is not supported"),
                            "use -e, -f, -d, -s, -r, -w, -x, -L or -h",
                        );
                    }
                    let mut r = FsRequest::new(FsOp::Stat, FsTool::Test, vec![path.clone()]);
                    r.options.push(Setting::valued("test", op.clone()));
                    if negated {
                        r.options.push(Setting::flag("not"));
                    }
                    b.stat = Some(r);
                }
                _ if operands.iter().any(is_file_test) => {
                    return cx.missing(
                        cx.span,
                        "a file test combined with others in one `[ … ]` is not supported",
                        "write one test per `[ … ]` and join them with && or ||",
                    );
                }
                _ => {}
            }
        }
        _ => {}
    }
    Action::Builtin(b)
}

/// `(errexit, pipefail, nounset)`: each `Some(on)` when `set` names it.
pub type ShellOptions = (Option<bool>, Option<bool>, Option<bool>);

/// The shell options `set` changes: `(errexit, pipefail)`, each `Some(on)` when named. Only
/// `-e`/`+e`, `-o errexit`, `-o pipefail` (and clusters of them) are carried out; `-u` would
/// need the unset variables bash knows about, `-x` bash's trace format.
///
/// # Errors
/// The word that names another option, and why.
pub fn set_options(args: &[Word]) -> Result<ShellOptions, (&Word, &'static str)> {
    let (mut errexit, mut pipefail, mut nounset) = (None, None, None);
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let Some(text) = w.literal() else { return Err((w, "computed at run time")) };
        let on = text.starts_with('-');
        if !(on || text.starts_with('+')) || text.len() < 2 {
            return Err((w, "positional parameters are not used in a runbook"));
        }
        for c in text[1..].chars() {
            match c {
                'e' => errexit = Some(on),
                'o' => {
                    i += 1;
                    match args.get(i).and_then(Word::literal).as_deref() {
                        Some("errexit") => errexit = Some(on),
                        Some("pipefail") => pipefail = Some(on),
                        Some("nounset") => nounset = Some(on),
                        _ => {
                            return Err((
                                args.get(i).unwrap_or(w),
                                "only `-o errexit`, `-o pipefail` and `-o nounset` are carried out",
                            ));
                        }
                    }
                }
                'u' => nounset = Some(on),
                'x' => return Err((w, "`-x` (a trace of each command) is not carried out")),
                _ => return Err((w, "this option is not carried out")),
            }
        }
        i += 1;
    }
    Ok((errexit, pipefail, nounset))
}

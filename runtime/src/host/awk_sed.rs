//! The simple `awk` and `sed` programs runbooks use, natively: field printing with patterns and
//! an `END` block for awk; substitutions, deletions and prints with line or pattern addresses for
//! sed. A program outside these forms is refused with status 2 and says so: never guessed at.

use regex::Regex;

use super::text::lines;

/// A POSIX basic regular expression as the `regex` crate reads it (`\(`, `\|`, `\+` become
/// operators; bare `(`, `|`, `+` become literals), or an extended one as is.
fn translate(re: &str, extended: bool) -> String {
    if extended {
        return re.to_string();
    }
    let mut out = String::new();
    let mut chars = re.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(o @ ('(' | ')' | '|' | '+' | '?' | '{' | '}')) => out.push(o),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '|' | '+' | '?' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// awk

#[derive(Debug)]
enum Cond {
    All,
    Re(Regex),
    Nr(String, usize),
    Field(usize, bool, String),
}

#[derive(Debug)]
enum Expr {
    Field(usize),
    LastField,
    Nf,
    Nr,
    Str(String),
}

#[derive(Debug)]
struct Rule {
    cond: Cond,
    /// `None`: print the line (`/re/` alone).
    print: Option<Vec<Expr>>,
}

fn awk_expr(t: &str) -> Option<Expr> {
    let t = t.trim();
    Some(match t {
        "$NF" => Expr::LastField,
        "NF" => Expr::Nf,
        "NR" => Expr::Nr,
        _ if t.starts_with('"') && t.ends_with('"') && t.len() >= 2 => {
            Expr::Str(t[1..t.len() - 1].replace("\\t", "\t").replace("\\n", "\n"))
        }
        _ => Expr::Field(t.strip_prefix('$')?.parse().ok()?),
    })
}

fn awk_print(body: &str) -> Option<Vec<Expr>> {
    let body = body.trim().trim_end_matches(';').trim();
    let args = body.strip_prefix("print")?;
    if args.trim().is_empty() {
        return Some(vec![Expr::Field(0)]);
    }
    // Commas separate (joined with a space); adjacent terms concatenate.
    let mut out = Vec::new();
    for (i, part) in args.split(',').enumerate() {
        if i > 0 {
            out.push(Expr::Str(" ".into()));
        }
        let mut rest = part.trim();
        while !rest.is_empty() {
            let end = if let Some(quoted) = rest.strip_prefix('"') {
                quoted.find('"').map(|e| e + 2)?
            } else {
                rest.find([' ', '"']).unwrap_or(rest.len())
            };
            out.push(awk_expr(&rest[..end])?);
            rest = rest[end..].trim_start();
        }
    }
    Some(out)
}

fn awk_cond(c: &str) -> Option<Cond> {
    let c = c.trim();
    if c.is_empty() {
        return Some(Cond::All);
    }
    if let Some(re) = c.strip_prefix('/').and_then(|r| r.strip_suffix('/')) {
        return Regex::new(re).ok().map(Cond::Re);
    }
    for op in ["==", "!=", ">=", "<=", ">", "<"] {
        if let Some((l, r)) = c.split_once(op) {
            let (l, r) = (l.trim(), r.trim());
            if l == "NR" {
                return Some(Cond::Nr(op.to_string(), r.parse().ok()?));
            }
            let field: usize = l.strip_prefix('$')?.parse().ok()?;
            let value = r.trim_matches('"').to_string();
            return match op {
                "==" => Some(Cond::Field(field, true, value)),
                "!=" => Some(Cond::Field(field, false, value)),
                _ => None,
            };
        }
    }
    None
}

/// Parses `[cond] { print … } … [END { print … }]`.
fn awk_program(p: &str) -> Option<(Vec<Rule>, Option<Vec<Expr>>)> {
    let mut rules = Vec::new();
    let mut end = None;
    let mut rest = p.trim();
    while !rest.is_empty() {
        let (head, body, after) = match rest.find('{') {
            Some(open) => {
                let close = open + rest[open..].find('}')?;
                (&rest[..open], Some(&rest[open + 1..close]), &rest[close + 1..])
            }
            None => (rest, None, ""),
        };
        let head = head.trim();
        if head == "END" {
            end = Some(awk_print(body?)?);
        } else {
            let print = match body {
                Some(b) => Some(awk_print(b)?),
                None => None,
            };
            rules.push(Rule { cond: awk_cond(head)?, print });
        }
        rest = after.trim().trim_start_matches(';').trim();
    }
    Some((rules, end))
}

/// `awk [-F SEP] PROGRAM`.
#[must_use]
pub fn awk(program: &str, separator: Option<&str>, input: &str) -> (i32, String, String) {
    let Some((rules, end)) = awk_program(program) else {
        return (
            2,
            String::new(),
            format!(
                "playbook: awk program `{program}` is beyond the simple forms playbook runs ({{print $N}}, /re/, NR==N, $N==\"x\", END)\n"
            ),
        );
    };
    let mut out = String::new();
    let mut nr = 0;
    let eval = |e: &Expr, line: &str, fields: &[&str], nr: usize| -> String {
        match e {
            Expr::Field(0) => line.to_string(),
            Expr::Field(n) => fields.get(n - 1).map_or(String::new(), |f| (*f).to_string()),
            Expr::LastField => fields.last().map_or(String::new(), |f| (*f).to_string()),
            Expr::Nf => fields.len().to_string(),
            Expr::Nr => nr.to_string(),
            Expr::Str(s) => s.clone(),
        }
    };
    for line in lines(input) {
        nr += 1;
        let fields: Vec<&str> = match separator {
            Some(sep) if sep.len() == 1 => line.split(sep).collect(),
            Some(sep) => Regex::new(sep).map_or_else(|_| vec![line], |re| re.split(line).collect()),
            None => line.split_whitespace().collect(),
        };
        for rule in &rules {
            let hit = match &rule.cond {
                Cond::All => true,
                Cond::Re(re) => re.is_match(line),
                Cond::Nr(op, n) => match op.as_str() {
                    "==" => nr == *n,
                    "!=" => nr != *n,
                    ">" => nr > *n,
                    ">=" => nr >= *n,
                    "<" => nr < *n,
                    _ => nr <= *n,
                },
                Cond::Field(i, eq, v) => {
                    let f = if *i == 0 { line } else { fields.get(i - 1).copied().unwrap_or("") };
                    (f == v) == *eq
                }
            };
            if hit {
                match &rule.print {
                    None => out.push_str(line),
                    Some(es) => out.extend(es.iter().map(|e| eval(e, line, &fields, nr))),
                }
                out.push('\n');
            }
        }
    }
    if let Some(es) = end {
        out.extend(es.iter().map(|e| eval(e, "", &[], nr)));
        out.push('\n');
    }
    (0, out, String::new())
}

// ---------------------------------------------------------------------------------------------
// sed

#[derive(Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

#[derive(Debug)]
enum Cmd {
    Subst { re: Regex, with: String, global: bool, print: bool },
    Delete,
    Print,
    Quit,
}

#[derive(Debug)]
struct SedCmd {
    from: Option<Addr>,
    to: Option<Addr>,
    cmd: Cmd,
}

fn sed_addr(s: &str, extended: bool) -> Option<(Option<Addr>, &str)> {
    if let Some(rest) = s.strip_prefix('/') {
        let end = rest.find('/')?;
        return Some((Some(Addr::Re(Regex::new(&translate(&rest[..end], extended)).ok()?)), &rest[end + 1..]));
    }
    if let Some(rest) = s.strip_prefix('$') {
        return Some((Some(Addr::Last), rest));
    }
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        return Some((Some(Addr::Line(s[..digits].parse().ok()?)), &s[digits..]));
    }
    Some((None, s))
}

/// `\1` → `${1}` and `&` → `${0}` in a replacement.
fn replacement(r: &str) -> String {
    let mut out = String::new();
    let mut chars = r.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => {
                    out.push_str("${");
                    out.push(d);
                    out.push('}');
                }
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            },
            '&' => out.push_str("${0}"),
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

fn sed_command(s: &str, extended: bool) -> Option<SedCmd> {
    let s = s.trim();
    let (from, rest) = sed_addr(s, extended)?;
    let (to, rest) = match rest.strip_prefix(',') {
        Some(r) => sed_addr(r, extended)?,
        None => (None, rest),
    };
    let rest = rest.trim_start();
    let cmd = match rest.chars().next()? {
        'd' if rest.len() == 1 => Cmd::Delete,
        'p' if rest.len() == 1 => Cmd::Print,
        'q' if rest.len() == 1 => Cmd::Quit,
        's' => {
            let delim = rest[1..].chars().next()?;
            let parts: Vec<&str> = rest[1 + delim.len_utf8()..].split(delim).collect();
            let [re, with, flags] = parts.as_slice() else { return None };
            if !flags.chars().all(|c| matches!(c, 'g' | 'p' | 'I')) {
                return None;
            }
            let pattern = translate(re, extended);
            let pattern = if flags.contains('I') { format!("(?i){pattern}") } else { pattern };
            Cmd::Subst {
                re: Regex::new(&pattern).ok()?,
                with: replacement(with),
                global: flags.contains('g'),
                print: flags.contains('p'),
            }
        }
        _ => return None,
    };
    Some(SedCmd { from, to, cmd })
}

/// `sed [-n] [-E] SCRIPT` (commands separated by `;` or given with several `-e`).
#[must_use]
pub fn sed(scripts: &[String], quiet: bool, extended: bool, input: &str) -> (i32, String, String) {
    let mut cmds = Vec::new();
    for script in scripts {
        for part in script.split([';', '\n']).filter(|p| !p.trim().is_empty()) {
            match sed_command(part, extended) {
                Some(c) => cmds.push(c),
                None => {
                    return (
                        2,
                        String::new(),
                        format!(
                            "playbook: sed command `{}` is beyond the simple forms playbook runs (s///[gpI], d, p, q with line, $ or /re/ addresses)\n",
                            part.trim()
                        ),
                    );
                }
            }
        }
    }
    let all = lines(input);
    let mut out = String::new();
    let mut active = vec![false; cmds.len()];
    'lines: for (i, line) in all.iter().enumerate() {
        let n = i + 1;
        let last = n == all.len();
        let at = |a: &Addr, l: &str| match a {
            Addr::Line(k) => n == *k,
            Addr::Last => last,
            Addr::Re(re) => re.is_match(l),
        };
        let mut text = (*line).to_string();
        for (ci, c) in cmds.iter().enumerate() {
            let hit = match (&c.from, &c.to) {
                (None, _) => true,
                (Some(f), None) => at(f, &text),
                (Some(f), Some(t)) => {
                    if active[ci] {
                        if at(t, &text) || matches!(t, Addr::Line(k) if n >= *k) {
                            active[ci] = false;
                        }
                        true
                    } else if at(f, &text) {
                        active[ci] = !matches!(t, Addr::Line(k) if n >= *k);
                        true
                    } else {
                        false
                    }
                }
            };
            if !hit {
                continue;
            }
            match &c.cmd {
                Cmd::Delete => continue 'lines,
                Cmd::Print => {
                    out.push_str(&text);
                    out.push('\n');
                }
                Cmd::Quit => {
                    if !quiet {
                        out.push_str(&text);
                        out.push('\n');
                    }
                    break 'lines;
                }
                Cmd::Subst { re, with, global, print } => {
                    let replaced =
                        if *global { re.replace_all(&text, with.as_str()) } else { re.replace(&text, with.as_str()) };
                    let changed = replaced != text;
                    text = replaced.into_owned();
                    if changed && *print {
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
            }
        }
        if !quiet {
            out.push_str(&text);
            out.push('\n');
        }
    }
    (0, out, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awk_prints_fields_with_patterns_and_end() {
        let ps = "root 1 init\nwww 42 nginx\nwww 43 nginx\n";
        assert_eq!(awk("{print $2}", None, ps).1, "1\n42\n43\n");
        assert_eq!(awk("/nginx/ {print $2, $NF}", None, ps).1, "42 nginx\n43 nginx\n");
        assert_eq!(awk("NR==1", None, ps).1, "root 1 init\n");
        assert_eq!(awk("$1 == \"www\" { print $2 \"!\" } END { print NR }", None, ps).1, "42!\n43!\n3\n");
        assert_eq!(awk("{print $1}", Some(":"), "a:b\nc:d\n").1, "a\nc\n");
        assert_eq!(awk("{ s += $1 } END { print s }", None, ps).0, 2);
    }

    #[test]
    fn sed_substitutes_deletes_and_prints() {
        let t = "alpha=1\nbeta=2\ngamma=3\n";
        assert_eq!(sed(&["s/=.*//".into()], false, false, t).1, "alpha\nbeta\ngamma\n");
        assert_eq!(sed(&["s/a/A/g".into()], false, false, "banana\n").1, "bAnAnA\n");
        assert_eq!(sed(&["s/\\(b\\)eta/\\1ETA/".into()], false, false, t).1, "alpha=1\nbETA=2\ngamma=3\n");
        assert_eq!(sed(&["2d".into()], false, false, t).1, "alpha=1\ngamma=3\n");
        assert_eq!(sed(&["/beta/p".into()], true, false, t).1, "beta=2\n");
        assert_eq!(sed(&["1,2p".into()], true, false, t).1, "alpha=1\nbeta=2\n");
        assert_eq!(sed(&["$d".into()], false, false, t).1, "alpha=1\nbeta=2\n");
        assert_eq!(sed(&["y/abc/xyz/".into()], false, false, t).0, 2);
    }
}

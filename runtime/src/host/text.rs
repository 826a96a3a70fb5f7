//! Pure text filters, applied natively and deterministically: `grep`, `wc`, `head`, `tail`,
//! `sort`, `uniq`, `cut`, `tr`, `cat`, `echo -e`, `printf`, `test`/`[` on strings, `jq` (jaq), and
//! simple `awk` and `sed` programs.

use std::fmt::Write as _;

use playbook_capability::text::{TextRequest, TextTool};

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
        files: Vec::new(),
        env: r.env.iter().map(|v| (v.name.clone(), v.value.clone())).collect(),
    };
    playbook_capability::options::check(tool.spec().0, &t.options, &[]).map_err(|e| format!("{tool}: {e}"))?;
    Ok(t)
}

/// Lines split on `\n` only, as the coreutils see them: a `\r` stays part of its line.
pub(super) fn lines(s: &str) -> Vec<&str> {
    if s.is_empty() { Vec::new() } else { s.strip_suffix('\n').unwrap_or(s).split('\n').collect() }
}

fn joined(v: &[impl AsRef<str>]) -> String {
    let mut out = String::new();
    for l in v {
        out.push_str(l.as_ref());
        out.push('\n');
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') | None => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

fn printf(args: &[String]) -> String {
    let Some((fmt, mut rest)) = args.split_first().map(|(f, r)| (f.clone(), r.iter())) else { return String::new() };
    let fmt = unescape(&fmt);
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some('s' | 'd' | 'i') => out.push_str(rest.next().map_or("", String::as_str)),
                Some('%') | None => out.push('%'),
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn test(ops: &[String]) -> Result<bool, String> {
    let (neg, ops) = match ops.split_first() {
        Some((b, rest)) if b == "!" => (true, rest),
        _ => (false, ops),
    };
    let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: integer expression expected"));
    let r = match ops {
        [] => false,
        [s] => !s.is_empty(),
        [op, s] if op == "-n" => !s.is_empty(),
        [op, s] if op == "-z" => s.is_empty(),
        [a, op, b] => match op.as_str() {
            "=" | "==" => a == b,
            "!=" => a != b,
            "-eq" => num(a)? == num(b)?,
            "-ne" => num(a)? != num(b)?,
            "-lt" => num(a)? < num(b)?,
            "-le" => num(a)? <= num(b)?,
            "-gt" => num(a)? > num(b)?,
            "-ge" => num(a)? >= num(b)?,
            other => return Err(format!("{other}: unknown operator")),
        },
        _ => return Err("too many arguments".into()),
    };
    Ok(r != neg)
}

impl HostState {
    fn text_live(&mut self, r: &Request, io: &Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let t = typed(r).map_err(|e| self.deny_text(&format!("text: {e}")))?;
        let has = |k: &str| t.options.iter().any(|o| o.key == k);
        let opt = |k: &str| t.options.iter().rev().find(|o| o.key == k).and_then(|o| o.value.clone());
        let input = io.stdin.as_str();
        let ops = &t.operands;
        let out = match t.tool.as_str() {
            "cat" => ok(input),
            "echo" => {
                let text = ops.join(" ");
                let text = if has("escapes") { unescape(&text) } else { text };
                ok(&if has("no-newline") { text } else { format!("{text}\n") })
            }
            "printf" => ok(&printf(ops)),
            "test" => match test(ops) {
                Ok(true) => ok(""),
                Ok(false) => failed(1, ""),
                Err(e) => failed(2, &format!("test: {e}\n")),
            },
            "grep" => {
                let pattern = opt("regexp").or_else(|| ops.first().cloned()).unwrap_or_default();
                let pattern = if has("fixed") {
                    regex::escape(&pattern)
                } else {
                    pattern.replace("\\|", "|").replace("\\(", "(").replace("\\)", ")")
                };
                let pattern = if has("word") { format!(r"\b(?:{pattern})\b") } else { pattern };
                let pattern = if has("line") { format!("^(?:{pattern})$") } else { pattern };
                let re = match regex::RegexBuilder::new(&pattern).case_insensitive(has("ignore-case")).build() {
                    Ok(re) => re,
                    Err(e) => return Ok(failed(2, &format!("grep: invalid pattern: {e}\n"))),
                };
                let all = lines(input);
                let hit: Vec<bool> = all.iter().map(|l| re.is_match(l) != has("invert")).collect();
                let count = hit.iter().filter(|h| **h).count();
                let status = i32::from(count == 0);
                if has("count") {
                    Outcome { status, stdout: format!("{count}\n"), stderr: String::new() }
                } else if has("quiet") {
                    Outcome { status, stdout: String::new(), stderr: String::new() }
                } else {
                    let n = |k: &str| opt(k).and_then(|v| v.parse::<usize>().ok());
                    let (before, after) =
                        (n("before").or(n("context")).unwrap_or(0), n("after").or(n("context")).unwrap_or(0));
                    let mut keep = vec![false; all.len()];
                    for (i, h) in hit.iter().enumerate() {
                        if *h {
                            for k in keep.iter_mut().take((i + after + 1).min(all.len())).skip(i.saturating_sub(before))
                            {
                                *k = true;
                            }
                        }
                    }
                    let picked: Vec<&str> = if has("only-matching") {
                        all.iter().filter_map(|l| re.find(l).map(|m| m.as_str())).collect()
                    } else {
                        all.iter().zip(&keep).filter(|(_, k)| **k).map(|(l, _)| *l).collect()
                    };
                    Outcome { status, stdout: joined(&picked), stderr: String::new() }
                }
            }
            "wc" => {
                let l = input.matches('\n').count();
                let w = input.split_whitespace().count();
                let c = input.len();
                let text = if has("lines") {
                    format!("{l}\n")
                } else if has("words") {
                    format!("{w}\n")
                } else if has("bytes") || has("chars") {
                    format!("{c}\n")
                } else {
                    format!("{l:>7} {w:>7} {c:>7}\n")
                };
                ok(&text)
            }
            "head" | "tail" => {
                let n: usize = opt("lines").and_then(|v| v.trim_start_matches(['-', '+']).parse().ok()).unwrap_or(10);
                let all = lines(input);
                let picked: Vec<&str> = if t.tool == TextTool::Head {
                    all.iter().take(n).copied().collect()
                } else {
                    all.iter().skip(all.len().saturating_sub(n)).copied().collect()
                };
                ok(&joined(&picked))
            }
            "sort" => {
                let mut all: Vec<&str> = lines(input);
                if has("numeric") || has("human") {
                    let key = |s: &str| s.split_whitespace().next().and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0);
                    all.sort_by(|a, b| key(a).total_cmp(&key(b)));
                } else {
                    all.sort_unstable();
                }
                if has("reverse") {
                    all.reverse();
                }
                if has("unique") {
                    all.dedup();
                }
                ok(&joined(&all))
            }
            "uniq" => {
                let mut groups: Vec<(usize, &str)> = Vec::new();
                for l in lines(input) {
                    match groups.last_mut() {
                        Some((n, last)) if *last == l => *n += 1,
                        _ => groups.push((1, l)),
                    }
                }
                let picked: Vec<String> = groups
                    .iter()
                    .filter(|(n, _)| !((has("repeated") && *n < 2) || (has("unique") && *n > 1)))
                    .map(|(n, l)| if has("count") { format!("{n:>7} {l}") } else { (*l).to_string() })
                    .collect();
                ok(&joined(&picked))
            }
            "cut" => {
                let delim = opt("delimiter").unwrap_or_else(|| "\t".into());
                let fields: Vec<usize> =
                    opt("fields").unwrap_or_default().split(',').filter_map(|f| f.parse().ok()).collect();
                let picked: Vec<String> = lines(input)
                    .iter()
                    .map(|l| {
                        let parts: Vec<&str> = l.split(delim.as_str()).collect();
                        fields
                            .iter()
                            .filter_map(|f| parts.get(f.wrapping_sub(1)).copied())
                            .collect::<Vec<_>>()
                            .join(&delim)
                    })
                    .collect();
                ok(&joined(&picked))
            }
            "tr" => {
                let set = |s: &str| -> Vec<char> { unescape(s).chars().collect() };
                let from = set(ops.first().map_or("", String::as_str));
                let to = set(ops.get(1).map_or("", String::as_str));
                let text: String = if has("delete") {
                    input.chars().filter(|c| !from.contains(c)).collect()
                } else {
                    input
                        .chars()
                        .map(|c| {
                            from.iter().position(|f| *f == c).map_or(c, |i| *to.get(i).or(to.last()).unwrap_or(&c))
                        })
                        .collect()
                };
                ok(&text)
            }
            "tac" => {
                let mut all = lines(input);
                all.reverse();
                ok(&joined(&all))
            }
            "column" => {
                // `column -t`: align whitespace-separated (or `-s`-separated) fields.
                let sep = opt("separator");
                let rows: Vec<Vec<&str>> = lines(input)
                    .into_iter()
                    .map(|l| match sep.as_deref() {
                        Some(sp) => l.split(|c| sp.contains(c)).collect(),
                        None => l.split_whitespace().collect(),
                    })
                    .collect();
                if has("table") {
                    let mut widths: Vec<usize> = Vec::new();
                    for row in &rows {
                        for (i, f) in row.iter().enumerate() {
                            let w = f.chars().count();
                            if i < widths.len() {
                                widths[i] = widths[i].max(w);
                            } else {
                                widths.push(w);
                            }
                        }
                    }
                    let table: Vec<String> = rows
                        .iter()
                        .map(|row| {
                            let mut line = String::new();
                            for (i, f) in row.iter().enumerate() {
                                if i + 1 == row.len() {
                                    line.push_str(f);
                                } else {
                                    let _ = write!(line, "{f:<w$}  ", w = widths[i]);
                                }
                            }
                            line
                        })
                        .collect();
                    ok(&joined(&table))
                } else {
                    ok(input)
                }
            }
            "jq" => {
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
                    super::jq::run(ops.first().map_or(".", String::as_str), input, flags, &t.env);
                Outcome { status, stdout, stderr }
            }
            "awk" => {
                if has("assign") {
                    failed(2, "playbook: awk -v is beyond the simple forms playbook runs\n")
                } else {
                    let (status, stdout, stderr) = super::awk_sed::awk(
                        ops.first().map_or("", String::as_str),
                        opt("field-separator").as_deref(),
                        input,
                    );
                    Outcome { status, stdout, stderr }
                }
            }
            "sed" => {
                let mut scripts: Vec<String> =
                    t.options.iter().filter(|o| o.key == "expression").filter_map(|o| o.value.clone()).collect();
                if scripts.is_empty() {
                    scripts.extend(ops.first().cloned());
                }
                let (status, stdout, stderr) = super::awk_sed::sed(&scripts, has("quiet"), has("extended"), input);
                Outcome { status, stdout, stderr }
            }
            other => failed(2, &format!("playbook: the `{other}` filter is not available in this build yet\n")),
        };
        // A filter's complaints (`grep: invalid pattern`, `jq: error …`) reach the operator.
        if !out.stderr.is_empty() {
            super::show(self, &Outcome { status: out.status, stdout: String::new(), stderr: out.stderr.clone() }, true);
        }
        Ok(Outcome { stderr: String::new(), ..out })
    }
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
        let result = self.text_live(&r, &io);
        self.end_call(&result);
        result
    }
}

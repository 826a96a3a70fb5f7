//! Option tables of known tools: every flag is declared, so an unknown one is a diagnostic rather
//! than a string passed through to a host. The same table parses a runbook's argv (`parse`),
//! rebuilds the argv the backend receives (`unparse`) and lists the options in a scope
//! (`scope_of`), so what a reviewer reads is what runs.

use crate::value::{Value, quote};

/// One option of a tool: its spellings, whether it takes a value, and its canonical key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opt {
    pub names: &'static [&'static str],
    pub value: bool,
    pub key: &'static str,
}

impl Opt {
    /// The spelling the backend is given and the scope shows: the first long name, else the first.
    #[must_use]
    pub fn long(&self) -> &'static str {
        self.names.iter().find(|n| n.starts_with("--")).unwrap_or(&self.names[0])
    }
}

/// Shorthand for a table entry.
#[must_use]
pub const fn flag(key: &'static str, names: &'static [&'static str]) -> Opt {
    Opt { names, value: false, key }
}

#[must_use]
pub const fn valued(key: &'static str, names: &'static [&'static str]) -> Opt {
    Opt { names, value: true, key }
}

/// One option as a request carries it: its canonical key and, when it takes one, its value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Setting<V> {
    pub key: String,
    pub value: Option<V>,
}

impl<V> Setting<V> {
    #[must_use]
    pub fn flag(key: &str) -> Self {
        Self { key: key.to_string(), value: None }
    }

    #[must_use]
    pub fn valued(key: &str, value: V) -> Self {
        Self { key: key.to_string(), value: Some(value) }
    }
}

/// What `parse` found.
#[derive(Clone, Debug)]
pub struct Parsed<V> {
    /// `(key, value)` in the order given.
    pub opts: Vec<(&'static str, Option<V>)>,
    pub positional: Vec<V>,
    /// Words after a `--`, if there was one.
    pub rest: Option<Vec<V>>,
}

impl<V> Default for Parsed<V> {
    fn default() -> Self {
        Self { opts: Vec::new(), positional: Vec::new(), rest: None }
    }
}

impl<V: Value> Parsed<V> {
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.opts.iter().any(|(k, _)| *k == key)
    }

    /// The last value given for `key`.
    #[must_use]
    pub fn value(&self, key: &str) -> Option<&V> {
        self.opts.iter().rev().find(|(k, _)| *k == key).and_then(|(_, v)| v.as_ref())
    }

    #[must_use]
    pub fn values(&self, key: &str) -> Vec<&V> {
        self.opts.iter().filter(|(k, _)| *k == key).filter_map(|(_, v)| v.as_ref()).collect()
    }

    /// Whether a flag is on: given, and not as `--flag=false`.
    #[must_use]
    pub fn on(&self, key: &str) -> bool {
        self.opts
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .is_some_and(|(_, v)| v.as_ref().and_then(Value::literal).as_deref() != Some("false"))
    }

    /// The literal value of an option, if given and literal.
    #[must_use]
    pub fn lit(&self, key: &str) -> Option<String> {
        self.value(key).and_then(Value::literal)
    }

    /// The options as a request carries them, without the keys in `except`, in the order of
    /// the table (repeated options keep their own order): the order of the command line does not
    /// change what these tools do, so one request, one manifest.
    #[must_use]
    pub fn settings(&self, table: &[Opt], except: &[&str]) -> Vec<Setting<V>> {
        let mut out: Vec<(usize, Setting<V>)> = self
            .opts
            .iter()
            .filter(|(k, _)| !except.contains(k))
            .map(|(k, v)| {
                let at = table.iter().position(|o| o.key == *k).unwrap_or(usize::MAX);
                (at, Setting { key: (*k).to_string(), value: v.clone() })
            })
            .collect();
        out.sort_by_key(|(at, _)| *at);
        out.into_iter().map(|(_, s)| s).collect()
    }
}

impl<V: Value> Parsed<V> {
    /// The options in the order of the command line, without the keys in `except`: for tools
    /// whose later options override earlier ones (`grep -H -h`, `ls -S -t`, `head -v -q`).
    #[must_use]
    pub fn in_order(&self, except: &[&str]) -> Vec<Setting<V>> {
        self.opts
            .iter()
            .filter(|(k, _)| !except.contains(k))
            .map(|(k, v)| Setting { key: (*k).to_string(), value: v.clone() })
            .collect()
    }
}

/// Why parsing stopped; `at` is the index of the word in the parsed slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    Unknown { option: String, at: usize },
    MissingValue { option: String, at: usize },
}

fn is_number(s: &str) -> bool {
    s.len() > 1 && s[1..].chars().all(|c| c.is_ascii_digit())
}

/// Parses `args` against `spec`. With `stop_at_positional`, everything from the first
/// positional on is positional (for tools that take a command to run: `exec`, `run`). A flag
/// given a value (`--watch=false`) is not one the table can carry: it is reported as unknown.
///
/// # Errors
/// The first undeclared option, or a valued option without its value.
pub fn parse<V: Value>(spec: &[Opt], args: &[V], stop_at_positional: bool) -> Result<Parsed<V>, ArgError> {
    parse_as(spec, args, stop_at_positional, Style::Plain)
}

/// How a tool reads its options: Go's `pflag` (kubectl, docker) also takes `-v=6` for `-v 6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Pflag,
}

/// `parse`, with the tool's option style.
///
/// # Errors
/// As `parse`.
pub fn parse_as<V: Value>(
    spec: &[Opt],
    args: &[V],
    stop_at_positional: bool,
    style: Style,
) -> Result<Parsed<V>, ArgError> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let prefix = w.literal_prefix();
        let whole = w.literal();
        if whole.as_deref() == Some("--") {
            out.rest = Some(args[i + 1..].to_vec());
            break;
        }
        if prefix.starts_with("--") {
            let (name, attached) = match prefix.find('=') {
                Some(eq) => (prefix[..eq].to_string(), Some(w.suffix(eq + 1))),
                None => (prefix.clone(), None),
            };
            let Some(opt) = spec.iter().find(|o| o.names.contains(&name.as_str())) else {
                return Err(ArgError::Unknown { option: name, at: i });
            };
            if opt.value {
                let v = if let Some(v) = attached {
                    v
                } else {
                    i += 1;
                    args.get(i).cloned().ok_or(ArgError::MissingValue { option: name, at: i - 1 })?
                };
                out.opts.push((opt.key, Some(v)));
            } else if let Some(v) = attached {
                // pflag's booleans take `=true`/`=false`; nothing else is a flag's value.
                if style == Style::Pflag
                    && matches!(whole.as_deref(), Some(w) if w.ends_with("=true") || w.ends_with("=false"))
                {
                    out.opts.push((opt.key, Some(v)));
                } else {
                    return Err(ArgError::Unknown { option: prefix, at: i });
                }
            } else {
                out.opts.push((opt.key, None));
            }
        } else if prefix.len() > 1
            && prefix.starts_with('-')
            && (!is_number(&prefix) || spec.iter().any(|o| o.names.contains(&prefix.as_str())))
        {
            // (`-1` is a number unless the table has it as an option: `ls -1`.)
            // A cluster of short options: `-sS`, `-n50`, `-it`.
            let chars: Vec<(usize, char)> = prefix.char_indices().skip(1).collect();
            for &(at, c) in &chars {
                let name = format!("-{c}");
                let Some(opt) = spec.iter().find(|o| o.names.contains(&name.as_str())) else {
                    return Err(ArgError::Unknown { option: name, at: i });
                };
                if opt.value {
                    let mut rest_at = at + c.len_utf8();
                    if style == Style::Pflag && prefix[rest_at..].starts_with('=') {
                        rest_at += 1;
                    }
                    let v = if rest_at < prefix.len() || (whole.is_none() && rest_at == prefix.len()) {
                        w.suffix(rest_at)
                    } else {
                        i += 1;
                        args.get(i).cloned().ok_or(ArgError::MissingValue { option: name, at: i - 1 })?
                    };
                    out.opts.push((opt.key, Some(v)));
                    break;
                }
                out.opts.push((opt.key, None));
            }
        } else {
            if stop_at_positional {
                out.positional.extend(args[i..].iter().cloned());
                break;
            }
            out.positional.push(w.clone());
        }
        i += 1;
    }
    Ok(out)
}

/// What `parse_lenient` found: the options it knows, and the words it does not.
#[derive(Clone, Debug)]
pub struct Lenient<V> {
    pub parsed: Parsed<V>,
    /// `(index, spelling)` of each word holding an option the table does not declare.
    pub unknown: Vec<(usize, String)>,
}

/// `parse_as`, going on past undeclared options: each is recorded and its word skipped (its
/// value, if it takes one, is read as a positional: the caller keeps such a command literal).
///
/// # Errors
/// A valued option without its value.
pub fn parse_lenient<V: Value>(
    spec: &[Opt],
    args: &[V],
    stop_at_positional: bool,
    style: Style,
) -> Result<Lenient<V>, ArgError> {
    let mut parsed = Parsed::default();
    let mut unknown = Vec::new();
    let mut start = 0;
    loop {
        match parse_as(spec, &args[start..], stop_at_positional, style) {
            Ok(p) => {
                parsed.opts.extend(p.opts);
                parsed.positional.extend(p.positional);
                parsed.rest = p.rest;
                return Ok(Lenient { parsed, unknown });
            }
            Err(ArgError::Unknown { option, at }) => {
                // Keep what came before the unknown word, then go on after it.
                let before =
                    parse_as(spec, &args[start..start + at], stop_at_positional, style).map_err(|e| shift(e, start))?;
                parsed.opts.extend(before.opts);
                parsed.positional.extend(before.positional);
                unknown.push((start + at, option));
                start += at + 1;
            }
            Err(e) => return Err(shift(e, start)),
        }
    }
}

fn shift(e: ArgError, by: usize) -> ArgError {
    match e {
        ArgError::Unknown { option, at } => ArgError::Unknown { option, at: at + by },
        ArgError::MissingValue { option, at } => ArgError::MissingValue { option, at: at + by },
    }
}

/// Turns a request's options back into a tool's argv by the table that parsed them: the long
/// spelling, `--name=value` for values (so a value can never be read as another option). An
/// option the table does not declare, or that `refuse` names, is refused, so a hand-crafted
/// request cannot smuggle one.
///
/// # Errors
/// The first undeclared or refused option, a flag given a value, or a valued option without one.
pub fn unparse(spec: &[Opt], options: &[Setting<String>], refuse: &[&str]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for s in options {
        if refuse.contains(&s.key.as_str()) {
            return Err(format!("option `{}` is not allowed here", s.key));
        }
        let Some(opt) = spec.iter().find(|o| o.key == s.key) else {
            return Err(format!("option `{}` is not declared for this command", s.key));
        };
        let name = opt.long();
        match (&s.value, opt.value) {
            (Some(v), true) if name.starts_with("--") => out.push(format!("{name}={v}")),
            (Some(v), true) => {
                out.push(name.to_string());
                out.push(v.clone());
            }
            (None, false) => out.push(name.to_string()),
            (Some(v), false) if name.starts_with("--") && (v == "true" || v == "false") => {
                out.push(format!("{name}={v}"));
            }
            (Some(_), false) => return Err(format!("flag `{name}` takes no value")),
            (None, true) => return Err(format!("option `{name}` needs a value")),
        }
    }
    Ok(out)
}

/// Checks a run-time request's options against the table: declared keys only, values exactly
/// where the table takes them.
///
/// # Errors
/// As `unparse`.
pub fn check(spec: &[Opt], options: &[Setting<String>], refuse: &[&str]) -> Result<(), String> {
    unparse(spec, options, refuse).map(|_| ())
}

/// The options of a request as scope entries: one per option, keyed by its long spelling
/// (`--env`), holding its values (`true` for a flag) as a quoted list, in the request's order.
/// Keys start with `-`, so they never collide with a request's typed keys (`container`, `name`).
#[must_use]
pub fn scope_of<V: Value>(spec: &[Opt], options: &[Setting<V>]) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for s in options {
        let name =
            spec.iter().find(|o| o.key == s.key).map_or_else(|| format!("--{}", s.key), |o| o.long().to_string());
        let shown = s.value.as_ref().map_or_else(|| "true".to_string(), Value::quoted);
        match out.iter_mut().find(|(k, _)| *k == name) {
            Some((_, vs)) => vs.push(shown),
            None => out.push((name, vec![shown])),
        }
    }
    out.into_iter().map(|(k, vs)| (k, vs.join(" "))).collect()
}

/// Refuses operands that a tool would read as options.
///
/// # Errors
/// The first operand that is empty or starts with `-`.
pub fn plain_operands<'a>(what: &str, operands: impl IntoIterator<Item = &'a String>) -> Result<(), String> {
    match operands.into_iter().find(|o| o.starts_with('-') || o.is_empty()) {
        Some(o) => Err(format!("{what} `{o}` is empty or starts with `-`")),
        None => Ok(()),
    }
}

/// A plain operand shown the way a scope shows it.
#[must_use]
pub fn shown(v: &str) -> String {
    quote(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Opt] = &[
        flag("silent", &["-s", "--silent"]),
        flag("show-error", &["-S"]),
        valued("request", &["-X", "--request"]),
        valued("tail", &["--tail", "-n"]),
    ];

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn clusters_attached_values_and_long_forms() {
        let p = parse(SPEC, &words("-sS -XPOST --tail=5 -n 7 url"), false).unwrap();
        assert!(p.has("silent") && p.has("show-error"));
        assert_eq!(p.lit("request").as_deref(), Some("POST"));
        assert_eq!(p.values("tail").len(), 2);
        assert_eq!(p.positional[0], "url");
    }

    #[test]
    fn unknown_option_is_reported_with_its_position() {
        assert_eq!(
            parse(SPEC, &words("-s --upload-file x"), false).unwrap_err(),
            ArgError::Unknown { option: "--upload-file".into(), at: 1 }
        );
    }

    #[test]
    fn settings_follow_the_table_and_unparse_uses_long_names() {
        let p = parse(SPEC, &words("--tail=-5 -S -s"), false).unwrap();
        let s = p.settings(SPEC, &[]);
        assert_eq!(unparse(SPEC, &s, &[]).unwrap(), ["--silent", "-S", "--tail=-5"]);
        assert_eq!(
            scope_of(SPEC, &s),
            [("--silent".into(), "true".into()), ("-S".into(), "true".into()), ("--tail".into(), "-5".into())]
        );
        assert!(unparse(SPEC, &[Setting::valued("upload-file", "x".to_string())], &[]).is_err());
        assert!(unparse(SPEC, &[Setting::valued("silent", "yes".to_string())], &[]).is_err());
        assert!(unparse(SPEC, &[Setting::flag("tail")], &[]).is_err());
        assert!(unparse(SPEC, &[Setting::flag("silent")], &["silent"]).is_err());
    }

    #[test]
    fn dashdash_ends_options() {
        let p = parse(SPEC, &words("-s -- env -s"), false).unwrap();
        assert_eq!(p.rest.unwrap().len(), 2);
    }
}

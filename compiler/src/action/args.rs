//! Option parsing for known tools: every flag is declared, so an unknown one is a diagnostic
//! rather than a string passed through to a host.

use crate::shell::{Part, Word};
use crate::source::Span;

/// One option of a tool: its spellings, whether it takes a value, and its canonical key.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub names: &'static [&'static str],
    pub value: bool,
    pub key: &'static str,
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

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// `(key, value)` in the order given.
    pub opts: Vec<(&'static str, Option<Word>)>,
    pub positional: Vec<Word>,
    /// Words after a `--`, if there was one.
    pub rest: Option<Vec<Word>>,
}

impl Parsed {
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.opts.iter().any(|(k, _)| *k == key)
    }

    #[must_use]
    pub fn value(&self, key: &str) -> Option<&Word> {
        self.opts.iter().rev().find(|(k, _)| *k == key).and_then(|(_, v)| v.as_ref())
    }

    #[must_use]
    pub fn values(&self, key: &str) -> Vec<&Word> {
        self.opts.iter().filter(|(k, _)| *k == key).filter_map(|(_, v)| v.as_ref()).collect()
    }

    /// The literal value of an option, if given and literal.
    #[must_use]
    pub fn lit(&self, key: &str) -> Option<String> {
        self.value(key).and_then(Word::literal)
    }
}

/// Why parsing stopped.
#[derive(Clone, Debug)]
pub enum ArgError {
    Unknown { option: String, span: Span },
    MissingValue { option: String, span: Span },
}

/// Parses `args` against `spec`. With `stop_at_positional`, everything from the first
/// positional on is positional (for tools that take a command to run: `exec`, `run`).
pub fn parse(spec: &[Opt], args: &[Word], stop_at_positional: bool) -> Result<Parsed, ArgError> {
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
                Some(eq) => (prefix[..eq].to_string(), Some(suffix(w, eq + 1))),
                None => (prefix.clone(), None),
            };
            let Some(opt) = spec.iter().find(|o| o.names.contains(&name.as_str())) else {
                return Err(ArgError::Unknown { option: name, span: w.span });
            };
            if opt.value {
                let v = match attached {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i).cloned().ok_or(ArgError::MissingValue { option: name, span: w.span })?
                    }
                };
                out.opts.push((opt.key, Some(v)));
            } else {
                out.opts.push((opt.key, None));
            }
        } else if prefix.len() > 1 && prefix.starts_with('-') && !is_number(&prefix) {
            // A cluster of short options: `-sS`, `-n50`, `-it`.
            let chars: Vec<(usize, char)> = prefix.char_indices().skip(1).collect();
            let mut k = 0;
            while k < chars.len() {
                let (at, c) = chars[k];
                let name = format!("-{c}");
                let Some(opt) = spec.iter().find(|o| o.names.contains(&name.as_str())) else {
                    return Err(ArgError::Unknown { option: name, span: w.span });
                };
                if opt.value {
                    let rest_at = at + c.len_utf8();
                    let v = if rest_at < prefix.len() || whole.is_none() && rest_at <= prefix.len() && w.parts.len() > 1
                    {
                        suffix(w, rest_at)
                    } else {
                        i += 1;
                        args.get(i).cloned().ok_or(ArgError::MissingValue { option: name, span: w.span })?
                    };
                    out.opts.push((opt.key, Some(v)));
                    break;
                }
                out.opts.push((opt.key, None));
                k += 1;
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

fn is_number(s: &str) -> bool {
    s.len() > 1 && s[1..].chars().all(|c| c.is_ascii_digit())
}

/// The word with its first `n` literal bytes removed.
#[must_use]
pub fn suffix(w: &Word, mut n: usize) -> Word {
    let mut parts = Vec::new();
    for p in &w.parts {
        match p {
            Part::Lit { text } | Part::Glob { text } if n > 0 => {
                if n < text.len() {
                    let rest = text[n..].to_string();
                    parts.push(if matches!(p, Part::Glob { .. }) {
                        Part::Glob { text: rest }
                    } else {
                        Part::Lit { text: rest }
                    });
                    n = 0;
                } else {
                    n -= text.len();
                }
            }
            other => parts.push(other.clone()),
        }
    }
    if parts.is_empty() {
        parts.push(Part::Lit { text: String::new() });
    }
    Word { parts, span: w.span }
}

/// Keys the code generator adds to a request's options for the host, not for the tool.
pub const HOST_KEYS: &[&str] = &["bounded-seconds", "background"];

/// Turns typed options back into a tool's argv, by the same table that parsed them: the long
/// spelling, `--name=value` for values (so a value can never be read as another option). An
/// option the table does not declare is refused, so a hand-crafted request cannot smuggle one.
///
/// # Errors
/// The first undeclared option, a flag given a value, or an option refused by `refuse`.
pub fn unparse(spec: &[Opt], options: &[(String, String)], refuse: &[&str]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (key, value) in options {
        if HOST_KEYS.contains(&key.as_str()) {
            continue;
        }
        if refuse.contains(&key.as_str()) {
            return Err(format!("option `{key}` is not allowed here"));
        }
        let Some(opt) = spec.iter().find(|o| o.key == key) else {
            return Err(format!("option `{key}` is not declared for this command"));
        };
        let name = opt.names.iter().find(|n| n.starts_with("--")).unwrap_or(&opt.names[0]);
        match (opt.value, name.starts_with("--")) {
            (true, true) => out.push(format!("{name}={value}")),
            (true, false) => {
                out.push((*name).to_string());
                out.push(value.clone());
            }
            (false, _) if value.is_empty() => out.push((*name).to_string()),
            (false, _) => return Err(format!("flag `{name}` takes no value")),
        }
    }
    Ok(out)
}

/// Refuses operands that a tool would read as options.
///
/// # Errors
/// The first operand that starts with `-`.
pub fn plain_operands<'a>(what: &str, operands: impl IntoIterator<Item = &'a String>) -> Result<(), String> {
    match operands.into_iter().find(|o| o.starts_with('-') || o.is_empty()) {
        Some(o) => Err(format!("{what} `{o}` is empty or starts with `-`")),
        None => Ok(()),
    }
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

    fn words(s: &str) -> Vec<Word> {
        s.split(' ').map(|t| Word::lit(t, Span::default())).collect()
    }

    #[test]
    fn clusters_attached_values_and_long_forms() {
        let p = parse(SPEC, &words("-sS -XPOST --tail=5 -n 7 url"), false).unwrap();
        assert!(p.has("silent") && p.has("show-error"));
        assert_eq!(p.lit("request").as_deref(), Some("POST"));
        assert_eq!(p.values("tail").len(), 2);
        assert_eq!(p.positional[0].literal().as_deref(), Some("url"));
    }

    #[test]
    fn unknown_option_is_reported() {
        assert!(
            matches!(parse(SPEC, &words("--upload-file x"), false), Err(ArgError::Unknown { option, .. }) if option == "--upload-file")
        );
    }

    #[test]
    fn unparse_uses_long_names_and_refuses_undeclared_options() {
        let o = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            unparse(SPEC, &[o("silent", ""), o("tail", "-5"), o("bounded-seconds", "30")], &[]).unwrap(),
            ["--silent", "--tail=-5"]
        );
        assert_eq!(unparse(SPEC, &[o("show-error", "")], &[]).unwrap(), ["-S"]);
        assert!(unparse(SPEC, &[o("upload-file", "x")], &[]).is_err());
        assert!(unparse(SPEC, &[o("silent", "yes")], &[]).is_err());
        assert!(unparse(SPEC, &[o("silent", "")], &["silent"]).is_err());
    }

    #[test]
    fn dashdash_ends_options() {
        let p = parse(SPEC, &words("-s -- env -s"), false).unwrap();
        assert_eq!(p.rest.unwrap().len(), 2);
    }
}

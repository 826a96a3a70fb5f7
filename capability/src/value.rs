//! The values a typed request holds. While compiling they are shell words with holes (an input, a
//! variable, a command's output); at run time they are the strings the guest computed. Both sides
//! build a request's scope with the same code, through this trait.

use std::fmt::Write as _;

/// A value of a typed request.
pub trait Value: Clone + std::fmt::Debug {
    /// The value as a scope shows it: literal text as written, holes as `{input.x}`, `{var.x}`,
    /// ``{output of `cmd`}`` or `{status}`. At run time, the string itself.
    fn template(&self) -> String;

    /// The template as one element of a list: quoted as a shell would need it, decided on the
    /// literal text alone (holes hold plain values), so a run-time value quotes the way its
    /// compile-time template does.
    fn quoted(&self) -> String;

    /// The whole value, when it holds no hole and no glob.
    fn literal(&self) -> Option<String>;

    /// The literal text before the first hole.
    fn literal_prefix(&self) -> String;

    /// Whether it holds no hole (globs and `~` are static).
    fn is_static(&self) -> bool;

    /// The value without its first `n` literal bytes (`--tail=5` → `5`).
    #[must_use]
    fn suffix(&self, n: usize) -> Self;

    /// A literal value from the same place as this one (`-5` → `-n`, `5`).
    #[must_use]
    fn lit_like(&self, text: &str) -> Self;

    /// A literal value from nowhere in particular (the `.` of a bare `ls`).
    #[must_use]
    fn from_literal(text: &str) -> Self;
}

impl Value for String {
    fn template(&self) -> String {
        self.clone()
    }

    fn quoted(&self) -> String {
        quote(self)
    }

    fn literal(&self) -> Option<String> {
        Some(self.clone())
    }

    fn literal_prefix(&self) -> String {
        self.clone()
    }

    fn is_static(&self) -> bool {
        true
    }

    fn suffix(&self, n: usize) -> Self {
        self.get(n..).unwrap_or_default().to_string()
    }

    fn lit_like(&self, text: &str) -> Self {
        text.to_string()
    }

    fn from_literal(text: &str) -> Self {
        text.to_string()
    }
}

/// Whether literal text needs quotes to stay one element of a space-separated list.
#[must_use]
pub fn needs_quotes(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\'' | '"'
                    | '\\'
                    | '$'
                    | '`'
                    | ';'
                    | '&'
                    | '|'
                    | '<'
                    | '>'
                    | '('
                    | ')'
                    | '*'
                    | '?'
                    | '['
                    | ']'
                    | '#'
                    | '!'
                    | '{'
                    | '}'
            )
    })
}

/// Literal text inside single quotes: `'` becomes `'\''`.
#[must_use]
pub fn escape_quoted(text: &str) -> String {
    text.replace('\'', "'\\''")
}

/// Whether literal text holds control characters (a newline in a JSON patch): it is then shown
/// as bash's `$'…'`, so a reviewer sees every character and none is invisible.
#[must_use]
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Literal text inside `$'…'`: backslash escapes for `\\`, `'` and control characters.
#[must_use]
pub fn escape_ansi(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A string as one element of a list: as it is when plain, else in single quotes (`$'…'` when it
/// holds control characters).
#[must_use]
pub fn quote(text: &str) -> String {
    if has_control(text) {
        format!("$'{}'", escape_ansi(text))
    } else if text.is_empty() || needs_quotes(text) {
        format!("'{}'", escape_quoted(text))
    } else {
        text.to_string()
    }
}

/// Elements as one scope value: each quoted as needed, separated by single spaces.
#[must_use]
pub fn quoted_list<V: Value>(values: &[V]) -> String {
    values.iter().map(Value::quoted).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_as_it_is_and_the_rest_is_quoted() {
        assert_eq!(quote("web-1"), "web-1");
        assert_eq!(quote("a=b:c/d"), "a=b:c/d");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("reboot -f"), "'reboot -f'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quoted_list(&["a".to_string(), "b c".to_string()]), "a 'b c'");
        assert_eq!(quote("{\n  \"a\": 1\n}"), "$'{\\n  \"a\": 1\\n}'");
    }
}

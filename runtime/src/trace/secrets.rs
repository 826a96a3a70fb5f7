//! Secrets out of everything the run writes: the trace, the seal and the operator's terminal.
//!
//! A secret input's value is replaced by `«secret:NAME»` wherever it appears — as itself, in
//! standard or URL-safe base64 (padded or not), percent-encoded, or in hex — and the trace
//! keeps only an HMAC-SHA256 fingerprint of it under a key the operator holds. Secrets shorter
//! than four characters are replaced only where they stand as a whole word, so that a one-letter
//! secret does not blank out every `a` of the output; a secret embedded inside a larger encoded
//! blob (the base64 of `user:secret`) is not recognisable and is not caught.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac as _};
use serde_json::Value;

/// Below this length a secret is replaced only as a whole word.
const SHORT: usize = 4;

#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// `(form, replacement)`, longest forms first.
    forms: Vec<(String, String)>,
    /// Short secrets, replaced as whole words.
    short: Vec<(String, String)>,
    key: Vec<u8>,
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Redactor {
    /// A redactor for these `(name, value)` secrets, fingerprinting with `key`.
    #[must_use]
    pub fn new(secrets: &[(String, String)], key: Vec<u8>) -> Self {
        let mut r = Self { key, ..Self::default() };
        for (name, value) in secrets {
            if value.is_empty() {
                continue;
            }
            let mark = format!("«secret:{name}»");
            if value.chars().count() < SHORT {
                r.short.push((value.clone(), mark));
                continue;
            }
            let b = value.as_bytes();
            let hex = super::hex(b);
            for form in [
                value.clone(),
                STANDARD.encode(b),
                STANDARD_NO_PAD.encode(b),
                URL_SAFE.encode(b),
                URL_SAFE_NO_PAD.encode(b),
                percent(value),
                hex.clone(),
                hex.to_ascii_uppercase(),
            ] {
                if !r.forms.iter().any(|(f, _)| *f == form) {
                    r.forms.push((form, mark.clone()));
                }
            }
        }
        r.forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        r
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty() && self.short.is_empty()
    }

    /// The longest form a secret takes (how much a stream must hold back to catch it whole).
    #[must_use]
    pub fn longest(&self) -> usize {
        self.forms.first().map_or(0, |(f, _)| f.len()).max(self.short.iter().map(|(f, _)| f.len()).max().unwrap_or(0))
    }

    /// HMAC-SHA256 of a value under the run's fingerprint key, in hex.
    #[must_use]
    pub fn fingerprint(&self, value: &str) -> String {
        let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&self.key) else { return String::new() };
        mac.update(value.as_bytes());
        super::hex(&mac.finalize().into_bytes())
    }

    /// The id of the fingerprint key (not the key): SHA-256 of it, shortened.
    #[must_use]
    pub fn key_id(&self) -> String {
        super::sha256_hex(&self.key)[..16].to_string()
    }

    /// `s` with every secret replaced.
    #[must_use]
    pub fn redact(&self, s: &str) -> String {
        if self.is_empty() {
            return s.to_string();
        }
        let mut out = s.to_string();
        for (form, mark) in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), mark);
            }
        }
        for (word, mark) in &self.short {
            out = replace_words(&out, word, mark);
        }
        out
    }

    /// Every string of a JSON value redacted (keys too).
    #[must_use]
    pub fn redact_value(&self, v: Value) -> Value {
        if self.is_empty() {
            return v;
        }
        match v {
            Value::String(s) => Value::String(self.redact(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(|x| self.redact_value(x)).collect()),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, x)| (self.redact(&k), self.redact_value(x))).collect())
            }
            other => other,
        }
    }
}

fn replace_words(s: &str, word: &str, mark: &str) -> String {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(word) {
        // What precedes the match: in this piece, else what was already written.
        let before = if i > 0 { rest[..i].chars().last() } else { out.chars().last() };
        let after = rest[i + word.len()..].chars().next();
        out.push_str(&rest[..i]);
        if is_word(before) || is_word(after) {
            out.push_str(word);
        } else {
            out.push_str(mark);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_of_a_secret_is_replaced() {
        let r = Redactor::new(&[("TOKEN".into(), "s3cr3t/+value".into())], b"k".to_vec());
        for form in [
            "s3cr3t/+value".to_string(),
            STANDARD.encode("s3cr3t/+value"),
            URL_SAFE_NO_PAD.encode("s3cr3t/+value"),
            "s3cr3t%2F%2Bvalue".to_string(),
            "7333637233742f2b76616c7565".to_string(),
            "7333637233742f2b76616c7565".to_ascii_uppercase(),
        ] {
            let out = r.redact(&format!("Authorization: Bearer {form}!"));
            assert_eq!(out, "Authorization: Bearer «secret:TOKEN»!", "{form}");
        }
        assert_eq!(r.fingerprint("s3cr3t/+value").len(), 64);
        assert_ne!(r.fingerprint("s3cr3t/+value"), Redactor::new(&[], b"other".to_vec()).fingerprint("s3cr3t/+value"));
    }

    #[test]
    fn a_short_secret_is_replaced_only_as_a_word() {
        let r = Redactor::new(&[("PIN".into(), "42".into())], Vec::new());
        assert_eq!(r.redact("pin 42, not 1042 or 42a"), "pin «secret:PIN», not 1042 or 42a");
    }
}

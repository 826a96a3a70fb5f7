//! Placeholders such as `<machine-id>` are found before shell parsing.
//!
//! brush-parser would read `<machine-id>` as an input redirection from a file named
//! `machine-id`. The pre-pass swaps the angle brackets for two control characters of the same
//! length (so every offset stays valid), and word lowering turns the marked name into an input.

/// Marks the start of a placeholder name in text handed to the shell parser.
pub const OPEN: char = '\u{1}';
/// Marks the end of a placeholder name.
pub const CLOSE: char = '\u{2}';

/// A placeholder occurrence: its name as written and its byte range in the block text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// Rewrites `<name>` to `\u{1}name\u{2}` and lists the occurrences.
///
/// A placeholder starts with a letter and holds letters, digits, `_`, `-` and `.`. A `<`
/// that follows another `<` (a heredoc or here-string) or a digit (`0<file`) is left alone.
#[must_use]
pub fn mark(text: &str) -> (String, Vec<Placeholder>) {
    let bytes = text.as_bytes();
    let mut out = text.as_bytes().to_vec();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<'
            && (i == 0 || !(bytes[i - 1] == b'<' || bytes[i - 1].is_ascii_digit()))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            let name_len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                .count();
            let close = i + 1 + name_len;
            if bytes.get(close) == Some(&b'>') {
                out[i] = OPEN as u8;
                out[close] = CLOSE as u8;
                found.push(Placeholder { name: text[i + 1..close].to_string(), start: i, end: close + 1 });
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    // Only ASCII bytes were swapped for ASCII bytes, so the text is still UTF-8.
    (String::from_utf8(out).unwrap_or_else(|_| text.to_string()), found)
}

/// The input name of a placeholder: `machine-id` → `machine_id`.
#[must_use]
pub fn input_name(placeholder: &str) -> String {
    placeholder.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_marked_without_moving_offsets() {
        let src = "fly machine restart <machine-id> -a app";
        let (marked, found) = mark(src);
        assert_eq!(marked.len(), src.len());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "machine-id");
        assert_eq!(&src[found[0].start..found[0].end], "<machine-id>");
        assert_eq!(input_name(&found[0].name), "machine_id");
    }

    #[test]
    fn heredocs_redirects_and_fd_forms_are_left_alone() {
        for src in ["cat << EOF", "cat <<EOF>x", "cmd 0<in", "cmd < in.txt", "a 2>&1"] {
            assert!(mark(src).1.is_empty(), "{src}");
        }
    }
}

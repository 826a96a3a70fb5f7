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

/// Fills the inside of a placeholder where a space or bracket stood (`<pod name>`,
/// `{{ var }}`), so the shell parser sees one word.
pub const FILL: char = '\u{3}';

/// Rewrites placeholders to `\u{1}name\u{2}` (same length, so every offset stays valid) and
/// lists the occurrences. Three shapes are placeholders:
///
/// * `<name>` and `<words with spaces>`: a letter first, then letters, digits, `_`, `-`, `.`
///   and single spaces (at most eight words, not ending in a space). A `<` that follows another
///   `<` (a heredoc or here-string) or a digit (`0<file`) is left alone, and so are
///   redirections (`< in`, `<in >out`: a space after `<` or before `>`).
/// * `[problem-namespace]`: a whole word in brackets holding a `-` or `_` between letters
///   (`[a-z]`, `[0-9]` and `[[:space:]]` are globs, `[ -f x ]` a test).
/// * `{{ var }}` and `{{var}}` outside single quotes: one identifier (Go templates such as
///   `{{.State.Status}}` start with a dot and are left alone).
#[must_use]
pub fn mark(text: &str) -> (String, Vec<Placeholder>) {
    let bytes = text.as_bytes();
    let mut out = text.as_bytes().to_vec();
    let mut found = Vec::new();
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let found_here = match b {
            b'\\' if !single => {
                i += 2;
                continue;
            }
            b'\'' if !double => {
                single = !single;
                None
            }
            b'"' if !single => {
                double = !double;
                None
            }
            // Inside single quotes `<…>` is text (`grep '<no value>'`); in double quotes a
            // one-word `<name>` is still the author's blank to fill.
            b'<' if !single && (i == 0 || !(bytes[i - 1] == b'<' || bytes[i - 1].is_ascii_digit())) => {
                angle(bytes, i).filter(|end| !double || !bytes[i..*end].contains(&b' '))
            }
            b'[' if !single && !double => bracket(bytes, i),
            // `{{ var }}` outside quotes only: in quotes it is a template (`"{{end}}"`).
            b'{' if !single && !double => braces(bytes, i),
            _ => None,
        };
        if let Some(end) = found_here {
            out[i] = OPEN as u8;
            out[end - 1] = CLOSE as u8;
            for o in &mut out[i + 1..end - 1] {
                if matches!(*o, b' ' | b'{' | b'}' | b'\t' | b'$') {
                    *o = FILL as u8;
                }
            }
            let name = text[i + 1..end - 1].trim_matches(|c| matches!(c, ' ' | '{' | '}')).to_string();
            found.push(Placeholder { name, start: i, end });
            i = end;
            continue;
        }
        i += 1;
    }
    // Only ASCII bytes were swapped for ASCII bytes, so the text is still UTF-8.
    (String::from_utf8(out).unwrap_or_else(|_| text.to_string()), found)
}

fn word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// `<name>` or `<a few words>` at `i`: the end (exclusive) of the placeholder.
fn angle(bytes: &[u8], i: usize) -> Option<usize> {
    if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut j = i + 1;
    let mut words = 1;
    while j < bytes.len() {
        match bytes[j] {
            b'>' => {
                // `<dump.sql 2>err.log`: a redirection of stderr, not a placeholder.
                let last = bytes[i + 1..j].rsplit(|c| *c == b' ').next().unwrap_or_default();
                let fd = words > 1 && !last.is_empty() && last.iter().all(u8::is_ascii_digit);
                return (bytes[j - 1] != b' ' && !fd).then_some(j + 1);
            }
            b' ' if bytes.get(j + 1).is_some_and(|&n| word_char(n)) && words < 8 => words += 1,
            c if word_char(c) => {}
            _ => return None,
        }
        j += 1;
    }
    None
}

/// `[problem-namespace]` as a whole word at `i`.
fn bracket(bytes: &[u8], i: usize) -> Option<usize> {
    if i > 0 && !matches!(bytes[i - 1], b' ' | b'\t' | b'=' | b'/' | b'"' | b':') {
        return None;
    }
    let len = bytes[i + 1..].iter().take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-')).count();
    let close = i + 1 + len;
    let inner = &bytes[i + 1..close];
    let joined = inner
        .windows(3)
        .any(|w| w[0].is_ascii_alphabetic() && matches!(w[1], b'-' | b'_') && w[2].is_ascii_alphabetic());
    let long_sides = inner.split(|c| matches!(c, b'-' | b'_')).all(|p| p.len() >= 2);
    let ends_word = bytes.get(close + 1).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'/' | b'"' | b';' | b'|'));
    (bytes.get(close) == Some(&b']')
        && inner.first().is_some_and(u8::is_ascii_alphabetic)
        && joined
        && long_sides
        && ends_word)
        .then_some(close + 1)
}

/// `{{ var }}` at `i`.
fn braces(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i + 1) != Some(&b'{') {
        return None;
    }
    let mut j = i + 2;
    while bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    // `{{ $labels.namespace }}` (an alert template's variable) or `{{ cluster }}`.
    let template_var = bytes.get(j) == Some(&b'$');
    if template_var {
        j += 1;
    }
    if !bytes.get(j).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
        return None;
    }
    while bytes
        .get(j)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-') || (template_var && c == b'.'))
    {
        j += 1;
    }
    while bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    (bytes.get(j) == Some(&b'}') && bytes.get(j + 1) == Some(&b'}')).then_some(j + 2)
}

/// The input name of a placeholder: `machine-id` → `machine_id`.
#[must_use]
pub fn input_name(placeholder: &str) -> String {
    let mapped: String =
        placeholder.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let mut name = String::with_capacity(mapped.len());
    for c in mapped.trim_matches('_').chars() {
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    name
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
    fn placeholders_of_several_words_brackets_and_braces_are_one_input() {
        let names = |src: &str| mark(src).1.into_iter().map(|p| input_name(&p.name)).collect::<Vec<_>>();
        assert_eq!(names("kubectl logs <pod name from alert> -n x"), ["pod_name_from_alert"]);
        assert_eq!(names("kubectl get pods -n [problem-namespace]"), ["problem_namespace"]);
        assert_eq!(names("curl http://{{ host }}:8080/{{port}}"), ["host", "port"]);
        assert_eq!(names("kubectl -n {{ $labels.namespace }} get pods"), ["labels_namespace"]);
        let (marked, _) = mark("ssh <user at host> uptime");
        assert_eq!(marked.split(' ').count(), 3, "one word for the placeholder: {marked:?}");
    }

    #[test]
    fn globs_tests_templates_and_redirections_are_left_alone() {
        for src in [
            "ls [a-z]*",
            "grep '[[:space:]]' f",
            "[ -f x ] && echo",
            "echo [0-9]",
            "docker inspect -f '{{.State.Status}}' c",
            "docker ps --format '{{ id }}'",
            "sort <in >out",
            "cmd < a b >c",
            "echo {a,b}",
            "mysql app <dump.sql 2>err.log",
            "helm template . | grep '<no value>'",
            "kubectl get pods -o go-template=\"{{range .items}}{{end}}\"",
            "echo \"don't\" '{{ x }}'",
        ] {
            assert!(mark(src).1.is_empty(), "{src}: {:?}", mark(src).1);
        }
    }

    #[test]
    fn heredocs_redirects_and_fd_forms_are_left_alone() {
        for src in ["cat << EOF", "cat <<EOF>x", "cmd 0<in", "cmd < in.txt", "a 2>&1"] {
            assert!(mark(src).1.is_empty(), "{src}");
        }
    }
}

//! What an `awk` or `sed` program does beyond filtering: writing files, running commands,
//! reading files the manifest would not name. Such programs are refused when compiling (the
//! filter's jail would stop them at run time, and bash would not).

/// The first effect of a `sed` script (`w`/`W` write a file, `e` runs a command, `r`/`R` read
/// one, and so do the `w` and `e` flags of `s`), if any.
#[must_use]
pub fn sed_effect(script: &str) -> Option<&'static str> {
    let b: Vec<char> = script.chars().collect();
    let mut i = 0;
    // Skips a regular expression delimited by `d`, from just after its opening delimiter.
    let skip_re = |mut i: usize, d: char| -> usize {
        while i < b.len() && b[i] != d {
            if b[i] == '\\' {
                i += 1;
            }
            i += 1;
        }
        i + 1
    };
    while i < b.len() {
        let c = b[i];
        match c {
            '/' => i = skip_re(i + 1, '/'),
            '\\' if i + 1 < b.len() => i = skip_re(i + 2, b[i + 1]),
            'w' | 'W' => return Some("writes a file (`w`)"),
            'e' => return Some("runs a command (`e`)"),
            'r' | 'R' => return Some("reads a file the manifest does not name (`r`)"),
            's' | 'y' if i + 1 < b.len() => {
                let d = b[i + 1];
                let mut j = skip_re(i + 2, d);
                j = skip_re(j, d);
                let start = j;
                while j < b.len() && !matches!(b[j], ';' | '\n' | '}') {
                    j += 1;
                }
                if c == 's' {
                    let flags: String = b[start.min(b.len())..j.min(b.len())].iter().collect();
                    if flags.contains('w') {
                        return Some("writes a file (the `w` flag of `s`)");
                    }
                    if flags.contains('e') {
                        return Some("runs a command (the `e` flag of `s`)");
                    }
                }
                i = j;
            }
            // Text of a, i, c and labels of :, b, t, T run to the end of the line.
            'a' | 'i' | 'c' | ':' | 'b' | 't' | 'T' => {
                while i < b.len() && b[i] != '\n' && !(matches!(c, ':' | 'b' | 't' | 'T') && b[i] == ';') {
                    i += 1;
                }
            }
            // Addresses, separators and the other commands.
            _ => i += 1,
        }
    }
    None
}

/// The first effect of an `awk` program (`system()`, a pipe to or from a command, output to a
/// file, `getline` from a file, `ARGV`/`ARGC` changed to read other files), if any. Strings,
/// regular expressions and comments are skipped as awk's lexer skips them; a `>` or `|` at the
/// top level of a `print`/`printf` statement is a redirection, as awk reads it.
#[must_use]
pub fn awk_effect(program: &str) -> Option<&'static str> {
    // Awks differ on whether a `/` inside `[…]` ends a regular expression: both readings are
    // checked, so neither can hide a statement.
    awk_code_effect(&awk_code(program, true)).or_else(|| awk_code_effect(&awk_code(program, false)))
}

fn awk_code_effect(code: &str) -> Option<&'static str> {
    let words = |w: &str| {
        code.match_indices(w).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + w.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    if words("system") {
        return Some("runs a command (`system`)");
    }
    if words("ARGV") || words("ARGC") {
        return Some("uses `ARGV`/`ARGC`, which choose the files it reads");
    }
    if words("getline") && (code.contains('|') || code.contains('<')) {
        let pipe = code.match_indices("getline").any(|(i, _)| {
            let before = code[..i].trim_end();
            let after = code[i + 7..].trim_start();
            // `getline < FILE` or `getline VAR < FILE`.
            let after =
                after.trim_start_matches(|c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '[' | ']' | '"'));
            before.ends_with('|') || after.trim_start().starts_with('<')
        });
        if pipe {
            return Some("reads a command's output or a file (`getline`)");
        }
    }
    for (i, _) in code.match_indices("print") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut depth = 0i32;
        for c in code[i..].chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ';' | '}' | '\n' if depth <= 0 => break,
                '>' if depth <= 0 => return Some("writes a file (`print >`)"),
                '|' if depth <= 0 => return Some("pipes into a command (`print |`)"),
                _ => {}
            }
        }
    }
    None
}

/// An awk program with its strings emptied (`""`), its regular expressions emptied (`//`) and
/// its comments removed. A `/` opens a regular expression where an operand may start (after an
/// operator, a bracket, a separator or a keyword such as `print`), and divides after an operand.
fn awk_code(program: &str, brackets: bool) -> String {
    const BEFORE_REGEX: &[&str] = &["print", "printf", "return", "in", "case", "getline", "do", "else"];
    let mut code = String::new();
    let mut chars = program.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                code.push_str("\"\"");
                while let Some(s) = chars.next() {
                    if s == '\\' {
                        chars.next();
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '#' => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        code.push('\n');
                        break;
                    }
                }
            }
            '/' if regex_may_start(&code, BEFORE_REGEX) => {
                code.push_str("//");
                let mut bracket = false;
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '[' if brackets => bracket = true,
                        ']' => bracket = false,
                        '/' if !bracket => break,
                        '\n' => {
                            code.push('\n');
                            break;
                        }
                        _ => {}
                    }
                }
            }
            c => code.push(c),
        }
    }
    code
}

/// Whether a `/` after `code` starts a regular expression rather than dividing.
fn regex_may_start(code: &str, keywords: &[&str]) -> bool {
    let before = code.trim_end_matches([' ', '\t']);
    match before.chars().next_back() {
        None => true,
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let word: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            keywords.contains(&word.as_str())
        }
        Some(c) => !matches!(c, ')' | ']' | '$' | '.' | '"'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_scripts_that_reach_outside_are_found() {
        for s in ["w out.txt", "/x/w out", "s/a/b/w out", "s/a/b/e", "1e date", "r other", "$ R x", "s/a/b/;w f"] {
            assert!(sed_effect(s).is_some(), "{s}");
        }
        for s in [
            "s/a/b/g",
            "s/w/e/2",
            "y/abc/ABC/",
            "/error/d",
            "2,3p",
            "s|/var/www|/srv|g",
            "1i\\header",
            "/^#/!s/x/y/I",
            "$!N;P;D",
            ":a;N;$!ba;s/\\n/ /g",
        ] {
            assert_eq!(sed_effect(s), None, "{s}");
        }
    }

    #[test]
    fn awk_programs_that_reach_outside_are_found() {
        for p in [
            "{ system(\"rm -rf /\") }",
            "{ print > \"out.txt\" }",
            "{ print $1 >> \"f\" }",
            "{ print | \"sort\" }",
            "BEGIN { while ((\"date\" | getline d) > 0) print d }",
            "{ getline line < \"other\" }",
            "/\"/ { system(\"rm x\") } /\"/",
            "{ getline a[\"k\"] < \"/etc/passwd\" }",
            "BEGIN { ARGV[1] = \"/etc/shadow\"; ARGC = 2 } { print }",
            "$0 ~ /[/]\"/ { print > \"f\" }",
            "{ print /\"/; system(\"id\") }",
        ] {
            assert!(awk_effect(p).is_some(), "{p}");
        }
        for p in [
            "{s+=$2} END {print s}",
            "$3 > 100 { print $1 }",
            "{ print ($1 > 2) }",
            "{ printf \"%s > %s\\n\", $1, $2 }",
            "{ if ($2 > max) max = $2 } END { print max }",
            "NR > 1 { print $1 \"|\" $2 }",
            "{ getline; print }",
            "{ print $1 / 2 }",
            "/system/ { n++ } END { print n }",
            "$2 ~ /a|b/ { print }",
            "{ x = (a) / 2; print x }",
        ] {
            assert_eq!(awk_effect(p), None, "{p}");
        }
    }
}

//! What a call needs — a capability, its effect and an exact scope — and how a scope template
//! with holes is matched by the values of a run.
//!
//! A scope value may hold holes (`{input.machine_id}`, `{var.m}`, ``{output of `…`}``). A hole
//! accepts one plain value: not empty, not starting with `-`, no `/`, no `.`/`..`, no blanks and
//! no shell metacharacters. A command's output, split into words by the shell, may give zero or
//! more such values separated by single spaces. In a file path of an `fs.*` capability
//! (`path`, `from`) a hole takes a relative path of such values instead (`path_value`).

use serde::Serialize;

use crate::effect::Effect;

/// A scope: `key → value or template`, in the order the request gives them.
pub type Scope = Vec<(String, String)>;

/// A capability a request needs, with its exact scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Need {
    pub capability: String,
    pub effect: Effect,
    pub scope: Scope,
}

impl Need {
    #[must_use]
    pub fn new(capability: impl Into<String>, effect: Effect) -> Self {
        Self { capability: capability.into(), effect, scope: Vec::new() }
    }

    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.scope.push((key.to_string(), value.into()));
        self
    }

    /// The value of a scope key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.scope.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Whether one value may fill a hole. A percent-encoded `/`, `.` or `\` is refused too: a URL
/// decodes it into the path (`%2e%2e%2f` climbs like `../`).
#[must_use]
pub fn plain_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    !v.is_empty()
        && !v.starts_with('-')
        && v != "."
        && v != ".."
        && !["%2f", "%2e", "%5c"].iter().any(|e| lower.contains(e))
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '@' | '+' | '=' | ',' | '%'))
}

/// One piece of a scope template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Lit(&'a str),
    /// `{input.x}`, `{var.x}`, `{status}`: exactly one plain value.
    One,
    /// ``{output of `cmd`}``: zero or more plain values separated by single spaces.
    Words,
    /// ``{glob `logs/*.log`}``: the paths the glob matched (one or more, separated by single
    /// spaces), or the pattern itself when it matched nothing, as bash leaves it.
    Glob(&'a str),
}

/// A scope template: literal pieces and holes.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    loop {
        let next = ["{input.", "{var.", "{output of `", "{status}", "{glob `", "{words."]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, *p)))
            .min();
        let Some((at, kind)) = next else {
            if !rest.is_empty() {
                out.push(Piece::Lit(rest));
            }
            return out;
        };
        if at > 0 {
            out.push(Piece::Lit(&rest[..at]));
        }
        let quoted = kind.ends_with('`');
        let close =
            if quoted { rest[at..].find("`}").map(|i| at + i + 2) } else { rest[at..].find('}').map(|i| at + i + 1) };
        let Some(end) = close else {
            out.push(Piece::Lit(&rest[at..]));
            return out;
        };
        out.push(match kind {
            "{output of `" | "{words." => Piece::Words,
            "{glob `" => Piece::Glob(&rest[at + kind.len()..end - 2]),
            _ => Piece::One,
        });
        rest = &rest[end..];
    }
}

/// Whether a scope template holds any hole.
#[must_use]
pub fn has_hole(template: &str) -> bool {
    pieces(template).iter().any(|p| !matches!(p, Piece::Lit(_)))
}

/// Whether `v` is zero or more plain values separated by single spaces.
fn plain_words(v: &str) -> bool {
    v.is_empty() || v.split(' ').all(plain_value)
}

/// Whether one value may fill a hole of a file path (`fs.read path=logs/{var.f}`): a relative
/// path of plain names (`archive/app-1.log`, `incident notes.txt`), never absolute, never
/// climbing (`.`, `..`, an empty name), never an option. The host still resolves it under its
/// root, and the kernel's jail holds the program to its grant.
#[must_use]
pub fn path_value(v: &str) -> bool {
    let body = v.strip_suffix('/').unwrap_or(v);
    !body.is_empty()
        && !body.starts_with('/')
        // (Each name a plain value, blanks allowed inside it.)
        && body.split('/').all(|c| !c.starts_with(' ') && plain_value(&c.replace(' ', "_")))
}

/// Whether `value` is an instance of `template`.
#[must_use]
pub fn template_matches(template: &str, value: &str) -> bool {
    matches_with(template, value, plain_value)
}

/// Whether `value` is an instance of `template`, a file path's: its holes take relative
/// paths (`path_value`).
#[must_use]
pub fn path_template_matches(template: &str, value: &str) -> bool {
    matches_with(template, value, path_value)
}

fn matches_with(template: &str, value: &str, one: fn(&str) -> bool) -> bool {
    fn go(ps: &[Piece<'_>], v: &str, one: fn(&str) -> bool) -> bool {
        match ps.split_first() {
            None => v.is_empty(),
            Some((Piece::Lit(lit), rest)) => v.strip_prefix(lit).is_some_and(|r| go(rest, r, one)),
            Some((Piece::One, rest)) => {
                (1..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| one(&v[..n]) && go(rest, &v[n..], one))
            }
            Some((Piece::Words, rest)) => {
                (0..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| plain_words(&v[..n]) && go(rest, &v[n..], one))
            }
            Some((Piece::Glob(pattern), rest)) => globbed_paths(pattern, v, &|tail| go(rest, tail, one)),
        }
    }
    template == value || go(&pieces(template), value, one)
}

/// Whether `v` starts with one or more paths `pattern` matches (or the pattern itself),
/// separated by single spaces, and `then` accepts what follows.
fn globbed_paths(pattern: &str, v: &str, then: &dyn Fn(&str) -> bool) -> bool {
    (1..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| {
        let (item, tail) = v.split_at(n);
        (item == pattern || path_matches(pattern, item))
            && (then(tail) || tail.strip_prefix(' ').is_some_and(|t| globbed_paths(pattern, t, then)))
    })
}

/// Whether bash's pathname expansion of `pattern` could give `path`: component by component,
/// `*` and `?` never match `/`, a leading `.` is matched only by a `.` written in the pattern,
/// and a path starting with `-` only by a pattern that does.
#[must_use]
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let (ps, vs): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    ps.len() == vs.len()
        && (pattern.starts_with('-') || !path.starts_with('-'))
        && !path.chars().any(char::is_control)
        && ps.iter().zip(&vs).all(|(p, v)| {
            (p.starts_with('.') || !v.starts_with('.') || p == v) && {
                let (pc, vc): (Vec<char>, Vec<char>) = (p.chars().collect(), v.chars().collect());
                wildcard(&pc, &vc)
            }
        })
}

/// Whether one path component (a file name) matches a pattern's component: `*`, `?`, `[…]`.
#[must_use]
pub fn component_matches(pattern: &str, name: &str) -> bool {
    wildcard(&pattern.chars().collect::<Vec<_>>(), &name.chars().collect::<Vec<_>>())
}

/// `*`, `?`, `[…]` (ranges, `!`/`^` negation) and `\x` over one path component.
fn wildcard(p: &[char], n: &[char]) -> bool {
    match p.split_first() {
        None => n.is_empty(),
        Some(('*', rest)) => (0..=n.len()).any(|i| wildcard(rest, &n[i..])),
        Some(('?', rest)) => !n.is_empty() && wildcard(rest, &n[1..]),
        Some(('[', rest)) => match (bracket(rest), n.split_first()) {
            (Some((set, after)), Some((c, n_rest))) => set(*c) && wildcard(after, n_rest),
            (Some(_), None) => false,
            (None, _) => n.first() == Some(&'[') && wildcard(rest, &n[1..]),
        },
        Some(('\\', rest)) if !rest.is_empty() => n.first() == Some(&rest[0]) && wildcard(&rest[1..], &n[1..]),
        Some((c, rest)) => n.first() == Some(c) && wildcard(rest, &n[1..]),
    }
}

/// A bracket expression after its `[`: the test it makes and the pattern after its `]`.
type Bracket<'a> = (Box<dyn Fn(char) -> bool + 'a>, &'a [char]);

fn bracket(p: &[char]) -> Option<Bracket<'_>> {
    let (negated, body) = match p.first() {
        Some('!' | '^') => (true, &p[1..]),
        _ => (false, p),
    };
    // A `]` first is a member; `[:digit:]` is a class; the set ends at the next other `]`.
    let mut items: Vec<Member> = Vec::new();
    let mut i = 0;
    let close = loop {
        match body.get(i) {
            None => return None,
            Some(']') if i > 0 => break i,
            Some('[') if body.get(i + 1) == Some(&':') => {
                let end = (i + 2..body.len().saturating_sub(1)).find(|&j| body[j] == ':' && body[j + 1] == ']')?;
                let name: String = body[i + 2..end].iter().collect();
                items.push(Member::Class(class(&name)?));
                i = end + 2;
            }
            Some(&c) if body.get(i + 1) == Some(&'-') && body.get(i + 2).is_some_and(|&e| e != ']') => {
                items.push(Member::Range(c, body[i + 2]));
                i += 3;
            }
            Some(&c) => {
                items.push(Member::Char(c));
                i += 1;
            }
        }
    };
    let test = move |c: char| {
        let hit = items.iter().any(|m| match *m {
            Member::Char(x) => x == c,
            Member::Range(a, b) => a <= c && c <= b,
            Member::Class(f) => f(c),
        });
        hit != negated
    };
    Some((Box::new(test), &body[close + 1..]))
}

/// One member of a bracket expression.
enum Member {
    Char(char),
    Range(char, char),
    Class(fn(char) -> bool),
}

/// A POSIX character class by name, as the C and UTF-8 locales define it for ASCII.
fn class(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => |c: char| c.is_alphabetic(),
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => |c: char| c.is_alphanumeric(),
        "upper" => |c: char| c.is_uppercase(),
        "lower" => |c: char| c.is_lowercase(),
        "space" => |c: char| c.is_whitespace(),
        "blank" => |c: char| c == ' ' || c == '\t',
        "punct" => |c: char| c.is_ascii_punctuation(),
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        "cntrl" => |c: char| c.is_control(),
        "print" => |c: char| !c.is_control(),
        "graph" => |c: char| !c.is_control() && !c.is_whitespace(),
        _ => return None,
    })
}

/// Whether `value` is an instance of `template` whose holes take any text: the values of
/// environment variables (`env.NAME`), which no program reads as options.
#[must_use]
pub fn free_template_matches(template: &str, value: &str) -> bool {
    fn go(ps: &[Piece<'_>], v: &str) -> bool {
        match ps.split_first() {
            None => v.is_empty(),
            Some((Piece::Lit(lit), rest)) => v.strip_prefix(lit).is_some_and(|r| go(rest, r)),
            Some((_, rest)) => (0..=v.len()).filter(|&n| v.is_char_boundary(n)).any(|n| go(rest, &v[n..])),
        }
    }
    template == value || go(&pieces(template), value)
}

/// Whether a scope key holds free text whose holes take any value: an environment variable's
/// value, a header line, a request body. None of them can be read as an option or a path. Their
/// values are shown with control characters escaped (`\n`), on both sides alike.
#[must_use]
pub fn free_key(key: &str) -> bool {
    key.starts_with("env.") || key.starts_with("header.") || key == "body"
}

/// Whether a run's scope is an instance of a grant's: the same keys, each value matching.
#[must_use]
pub fn same_scope(grant: &[(String, String)], need: &[(String, String)]) -> bool {
    same_scope_of("", grant, need)
}

/// Whether a scope key of a capability is a file path whose holes take relative paths: `path`
/// and `from` of the `fs.*` capabilities.
#[must_use]
pub fn path_key(capability: &str, key: &str) -> bool {
    capability.starts_with("fs.") && matches!(key, "path" | "from")
}

/// `same_scope` for a call of `capability`: a file path's holes take relative paths.
#[must_use]
pub fn same_scope_of(capability: &str, grant: &[(String, String)], need: &[(String, String)]) -> bool {
    grant.len() == need.len()
        && grant.iter().all(|(k, t)| {
            need.iter().any(|(nk, v)| {
                nk == k
                    && if free_key(k) {
                        free_template_matches(t, v)
                    } else if path_key(capability, k) {
                        path_template_matches(t, v)
                    } else {
                        template_matches(t, v)
                    }
            })
        })
}

/// Whether a scope key names where a call goes or what it carries, not how the tool behaves:
/// every key but the options (`--silent`, `--location`). A redirect hop is judged on these.
#[must_use]
pub fn target_key(key: &str) -> bool {
    !key.starts_with('-')
}

/// `same_scope` on the keys `keep` selects, on both sides.
#[must_use]
pub fn same_scope_on(grant: &[(String, String)], need: &[(String, String)], keep: fn(&str) -> bool) -> bool {
    let g: Vec<(String, String)> = grant.iter().filter(|(k, _)| keep(k)).cloned().collect();
    let n: Vec<(String, String)> = need.iter().filter(|(k, _)| keep(k)).cloned().collect();
    same_scope(&g, &n)
}

/// A scope as `key=value` pairs for people.
#[must_use]
pub fn show_scope(scope: &[(String, String)]) -> String {
    scope.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_path_hole_takes_a_relative_path_and_nothing_that_climbs_or_is_an_option() {
        let fs =
            |t: &str, v: &str| same_scope_of("fs.read", &[("path".into(), t.into())], &[("path".into(), v.into())]);
        assert!(fs("{var.f}", "logs/archive/app-1.log"));
        assert!(fs("logs/{var.f}", "logs/archive/app-1.log"));
        assert!(!fs("logs/{var.f}", "other/app-1.log"));
        assert!(fs("{var.f}", "notes/incident notes.txt"), "a name with a blank inside");
        assert!(fs("{var.f}", "logs/"), "a directory with its slash");
        assert!(!fs("{var.f}", "/etc/passwd"), "never absolute");
        assert!(!fs("{var.f}", "logs/../../etc/passwd"), "never climbing");
        assert!(!fs("{var.f}", "./x"));
        assert!(!fs("{var.f}", "logs//x"), "no empty name");
        assert!(!fs("{var.f}", "-rf"), "never an option");
        assert!(!fs("{var.f}", "logs/-rf"));
        assert!(!fs("{var.f}", " lead"), "no leading blank");
        assert!(!fs("{var.f}", "a%2f..%2fb"), "no encoded climbs");
        // Elsewhere a hole still takes one plain value: a URL's path, a container's name.
        let http = |v: &str| {
            same_scope_of("http.request", &[("path".into(), "/api/{var.id}".into())], &[("path".into(), v.into())])
        };
        assert!(http("/api/web-1"));
        assert!(!http("/api/a/b"));
        assert!(!same_scope(&[("path".into(), "{var.f}".into())], &[("path".into(), "a/b".into())]));
    }

    #[test]
    fn glob_holes_take_the_paths_their_pattern_matches() {
        let t = "{glob `logs/*.log`}";
        assert!(template_matches(t, "logs/app.log"));
        assert!(template_matches(t, "logs/app.log logs/worker.log"));
        assert!(template_matches(t, "logs/*.log"), "an unmatched glob stays as written");
        assert!(template_matches(t, "logs/incident notes.log"), "names with blanks");
        assert!(!template_matches(t, "logs/../etc/passwd.log"), "`*` does not cross `/`");
        assert!(!template_matches(t, "logs/.hidden.log"), "a leading dot is not matched by `*`");
        assert!(!template_matches(t, "other/app.log"));
        assert!(!template_matches(t, ""));
        assert!(template_matches(
            "wc -l {glob `data/2024-03-1[12].csv`} x",
            "wc -l data/2024-03-11.csv data/2024-03-12.csv x"
        ));
        assert!(!template_matches("{glob `data/2024-03-1[!12].csv`}", "data/2024-03-11.csv"));
        assert!(!template_matches("{glob `*`}", "-rf"), "an option is never a match of a pattern without `-`");
        assert!(!template_matches("{glob `a/*`}", "a/b/c"));
    }

    #[test]
    fn holes_take_one_plain_value_and_outputs_take_words() {
        assert!(template_matches("{input.id}", "web-1"));
        assert!(!template_matches("{input.id}", "-rf"));
        assert!(!template_matches("{input.id}", "../etc"));
        assert!(!template_matches("{input.id}", "a b"));
        assert!(!template_matches("/api/{input.id}", "/api/%2e%2e%2Fadmin"), "encoded climbs are refused");
        assert!(!template_matches("/api/{input.id}", "/api/a%2Fb"));
        assert!(template_matches("logs/{var.f}.txt", "logs/app.txt"));
        assert!(template_matches("{output of `docker ps -q`}", "a1 b2"));
        assert!(template_matches("{output of `docker ps -q`}", ""));
        assert!(!template_matches("{output of `docker ps -q`}", "a  b"));
        assert!(template_matches("'a b{var.x}'", "'a bfoo'"));
        assert!(!template_matches("web", "web2"));
    }

    #[test]
    fn scopes_match_key_by_key() {
        let s = |v: &[(&str, &str)]| v.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect::<Vec<_>>();
        assert!(same_scope(&s(&[("container", "{input.c}")]), &s(&[("container", "web")])));
        assert!(!same_scope(&s(&[("container", "web")]), &s(&[("container", "web"), ("--env", "A=1")])));
        assert!(same_scope(&s(&[("env.DIR", "{var.DIR}")]), &s(&[("env.DIR", "/opt/a b")])));
        assert!(!same_scope(&s(&[("env.DIR", "/opt/{var.X}")]), &s(&[("env.DIR", "/etc")])));
    }
}

//! `jq`, natively, with jaq (a jq interpreter in Rust): the filter runs on the guest's input in
//! the host, deterministically, with jq's output formats (`-r`, `-c`, `-j`, `-S`) and exit
//! statuses (`-e`: 1 for a last output of `false`/`null`, 4 for none; 2 for input that is not
//! JSON, 3 for a filter that does not compile, 5 for an error while running).

use std::fmt::Write as _;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, ValT as _, Vars, data, unwrap_valr};
use jaq_json::Val;
use jaq_json::write::Pp;

/// jq's flags, from the request's typed options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub raw: bool,
    pub compact: bool,
    pub join: bool,
    pub slurp: bool,
    pub null_input: bool,
    pub exit_status: bool,
    pub sort_keys: bool,
}

/// Exit status, standard output, standard error.
pub type Result3 = (i32, String, String);

/// Runs `program` on `input` (a stream of JSON values). `env` is what `env` and `$ENV` see:
/// the runbook's own variables, never the host's environment.
#[must_use]
pub fn run(program: &str, input: &str, f: Flags, env: &[(String, String)]) -> Result3 {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .chain(jaq_core::load::parse("def env: $ENV;", |p| p.defs()).unwrap_or_default());
    // jaq's own `env` reads the process environment: it is replaced by the definition above.
    let funs = jaq_core::funs().chain(jaq_std::funs().filter(|(name, _, _)| *name != "env")).chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = match loader.load(&arena, File { code: program, path: () }) {
        Ok(m) => m,
        Err(errs) => {
            return (
                3,
                String::new(),
                format!("jq: error: cannot parse the filter `{program}` ({} error(s))\n", errs.len()),
            );
        }
    };
    let filter = match Compiler::default().with_funs(funs).with_global_vars(["$ENV"]).compile(modules) {
        Ok(f) => f,
        Err(errs) => {
            return (
                3,
                String::new(),
                format!("jq: error: cannot compile the filter `{program}` ({} error(s))\n", errs.len()),
            );
        }
    };
    let mut inputs: Vec<Val> = Vec::new();
    if !f.null_input {
        for v in jaq_json::read::parse_many(input.as_bytes()) {
            match v {
                Ok(v) => inputs.push(v),
                Err(e) => {
                    return (
                        2,
                        String::new(),
                        format!("jq: error (at <stdin>): cannot parse the input as JSON: {e}\n"),
                    );
                }
            }
        }
    }
    if f.slurp {
        inputs = vec![inputs.into_iter().collect()];
    } else if f.null_input {
        inputs = vec![Val::Null];
    }
    let pp = Pp {
        indent: (!f.compact).then(|| "  ".to_string()),
        sort_keys: f.sort_keys,
        sep_space: !f.compact,
        ..Pp::default()
    };
    let (mut out, mut err) = (Vec::new(), String::new());
    let mut last: Option<Val> = None;
    let mut status = 0;
    let env_val: Val =
        Val::from_map(env.iter().map(|(k, v)| (Val::from(k.clone()), Val::from(v.clone())))).unwrap_or(Val::Null);
    for input in inputs {
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([env_val.clone()]));
        for v in filter.id.run((ctx, input)).map(unwrap_valr) {
            match v {
                Ok(v) => {
                    match &v {
                        Val::TStr(s) if f.raw || f.join => out.extend_from_slice(s),
                        _ => {
                            let _ = jaq_json::write::write(&mut out, &pp, 0, &v);
                        }
                    }
                    if !f.join {
                        out.push(b'\n');
                    }
                    last = Some(v);
                }
                Err(e) => {
                    let _ = writeln!(err, "jq: error (at <stdin>): {e}");
                    status = 5;
                }
            }
        }
    }
    if status == 0 && f.exit_status {
        status = match last {
            None => 4,
            Some(Val::Null | Val::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    (status, String::from_utf8_lossy(&out).into_owned(), err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_runbooks_use() {
        let machines = r#"[{"id":"e78","state":"started"},{"id":"9a1","state":"stopped"}]"#;
        let raw = Flags { raw: true, ..Flags::default() };
        assert_eq!(run(".[].id", machines, raw, &[]).1, "e78\n9a1\n");
        assert_eq!(run(".[].id", machines, Flags::default(), &[]).1, "\"e78\"\n\"9a1\"\n");
        assert_eq!(run(r#".[] | select(.state == "stopped") | .id"#, machines, raw, &[]).1, "9a1\n");
        assert_eq!(run("length", machines, Flags::default(), &[]).1, "2\n");
        assert_eq!(
            run(".[0]", machines, Flags::default(), &[]).1,
            "{\n  \"id\": \"e78\",\n  \"state\": \"started\"\n}\n"
        );
        assert_eq!(
            run(".[0]", machines, Flags { compact: true, ..Flags::default() }, &[]).1,
            "{\"id\":\"e78\",\"state\":\"started\"}\n"
        );
    }

    #[test]
    fn statuses_follow_jq() {
        assert_eq!(run(".a", "{", Flags::default(), &[]).0, 2);
        assert_eq!(run(".[", "{}", Flags::default(), &[]).0, 3);
        assert_eq!(run(".a.b", r#"{"a":5}"#, Flags::default(), &[]).0, 5);
        let e = Flags { exit_status: true, ..Flags::default() };
        assert_eq!(run(".a", r#"{"a":null}"#, e, &[]).0, 1);
        assert_eq!(run(".a", r#"{"a":1}"#, e, &[]).0, 0);
        assert_eq!(run("empty", r"{}", e, &[]).0, 4);
    }

    #[test]
    fn env_sees_the_runbook_s_variables_only() {
        let raw = Flags { raw: true, null_input: true, ..Flags::default() };
        let env = [("LEVEL".to_string(), "debug".to_string())];
        assert_eq!(run("env.LEVEL", "", raw, &env).1, "debug\n");
        assert_eq!(run("$ENV | keys | join(\",\")", "", raw, &env).1, "LEVEL\n");
        assert_eq!(run("env | length", "", raw, &[]).1, "0\n", "the host's environment is not there");
    }
}

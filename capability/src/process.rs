//! Other programs: an argv (never a shell string), the environment the runbook gives them, and
//! an effect from a table of known programs (`systemctl status` reads, `systemctl restart`
//! writes); every other program is `exec`.

use crate::effect::Effect;
use crate::scope::Need;
use crate::value::{Value, escape_ansi, quoted_list};

/// A program to run. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProcessRequest<V> {
    pub program: V,
    pub args: Vec<V>,
    /// The variables the runbook passes (`NAME=value cmd`, `export NAME`), by name.
    pub env: Vec<(String, V)>,
    /// Written with `sudo`.
    pub privileged: bool,
    /// Started with `&`: the host tracks it and stops it when the run ends.
    pub background: bool,
}

/// What a known program does, given its arguments. `None`: an unknown program.
#[must_use]
pub fn known_effect(base: &str, args: &[String]) -> Option<Effect> {
    let first = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
    let has = |f: &str| args.iter().any(|a| a == f || a.starts_with(&format!("{f}=")));
    Some(match base {
        "journalctl" | "dmesg" if has("--clear") || has("-c") || has("--vacuum-size") || has("--vacuum-time") => {
            Effect::Destructive
        }
        "env" if args.is_empty() => Effect::Read,
        "top" if has("-b") => Effect::Read,
        "find" if has("-delete") => Effect::Destructive,
        "find" if has("-exec") || has("-execdir") => Effect::Exec,
        "nvidia-smi" if has("--gpu-reset") || has("-r") || has("-pm") || has("-pl") || has("-e") || has("-c") => {
            Effect::Write
        }
        // Below the guarded arms above: `find` and `nvidia-smi` read unless a guard matched.
        "journalctl" | "dmesg" | "free" | "df" | "du" | "uptime" | "ps" | "pgrep" | "lsof" | "ss" | "netstat"
        | "uname" | "id" | "whoami" | "vmstat" | "iostat" | "pmap" | "lscpu" | "nproc" | "printenv" | "which"
        | "stat" | "dig" | "nslookup" | "host" | "pg_isready" | "rocm-smi" | "lsblk" | "mount" | "getent"
        | "sha256sum" | "md5sum" | "file" | "ping" | "traceroute" | "nc" | "telnet" | "find" | "nvidia-smi" => {
            Effect::Read
        }
        "systemctl" | "service" => {
            let verb = if base == "service" { args.get(1).map(String::as_str) } else { first };
            match verb {
                Some(
                    "status" | "is-active" | "is-enabled" | "is-failed" | "show" | "list-units" | "list-timers" | "cat"
                    | "list-unit-files",
                )
                | None => Effect::Read,
                _ => Effect::Write,
            }
        }
        "git" => match first {
            Some("log" | "status" | "diff" | "show" | "branch" | "rev-parse" | "describe" | "blame" | "remote") => {
                Effect::Read
            }
            _ => Effect::Write,
        },
        "ollama" => match first {
            Some("list" | "ps" | "show") => Effect::Read,
            Some("pull") => Effect::Write,
            _ => Effect::Exec,
        },
        "kill" | "pkill" | "killall" | "chmod" | "chown" | "ln" => Effect::Write,
        _ => return None,
    })
}

/// The program's base name when it is one the effect table may judge: written bare, or from a
/// system directory (`./x` and `~/bin/x` are the runbook's own and run with `exec`).
#[must_use]
pub fn judged_name(program: &str) -> Option<&str> {
    let base = program.rsplit('/').next().unwrap_or(program);
    (program == base || ["/usr/", "/bin/", "/sbin/"].iter().any(|d| program.starts_with(d))).then_some(base)
}

impl<V: Value> ProcessRequest<V> {
    /// What the program changes, by the table of known programs.
    #[must_use]
    pub fn effect(&self) -> Effect {
        let args: Vec<String> = self.args.iter().map(Value::template).collect();
        judged_name(&self.program.template()).and_then(|b| known_effect(b, &args)).unwrap_or(Effect::Exec)
    }

    /// Whether the effect comes from the table (a known program).
    #[must_use]
    pub fn known(&self) -> bool {
        let args: Vec<String> = self.args.iter().map(Value::template).collect();
        judged_name(&self.program.template()).and_then(|b| known_effect(b, &args)).is_some()
    }

    /// The program, its exact argv and every variable it is given (`env.NAME`: a variable's value
    /// reaches no option, so a hole in it takes any text).
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let mut n = Need::new("process.exec", self.effect())
            .with("program", self.program.template())
            .with("argv", quoted_list(&self.args));
        let mut env: Vec<(&String, &V)> = self.env.iter().map(|(k, v)| (k, v)).collect();
        env.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in env {
            n = n.with(&format!("env.{k}"), escape_ansi(&v.template()));
        }
        vec![n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_and_environment_are_in_the_scope() {
        let r = ProcessRequest {
            program: "systemctl".to_string(),
            args: vec!["restart".into(), "nginx".into()],
            env: vec![("B".into(), "2".into()), ("A".into(), "x y".into())],
            privileged: true,
            background: false,
        };
        let n = &r.needs()[0];
        assert_eq!(n.effect, Effect::Write);
        assert_eq!(n.get("argv"), Some("restart nginx"));
        assert_eq!(n.get("env.A"), Some("x y"));
        assert_eq!(n.get("env.B"), Some("2"));
        let status = ProcessRequest { args: vec!["status".to_string()], ..r.clone() };
        assert_eq!(status.effect(), Effect::Read);
        let own = ProcessRequest { program: "./deploy.sh".to_string(), args: vec![], ..r };
        assert_eq!(own.effect(), Effect::Exec);
    }
}

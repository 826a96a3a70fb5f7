//! Other programs: an argv (never a shell string), the environment the runbook gives them, and
//! an effect from a table of known programs. The programs of a typed family (`systemctl`,
//! `psql`, `helm`, `aws`, …: see `family`) need a capability of their own with a typed scope;
//! the rest need `process.exec`, with the table's effect or `exec`.

use crate::effect::Effect;
use crate::family::{self, Family};
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
///
/// Judged on every argument, not on the program's name alone: `find -fprint`, `git branch -D`,
/// `dmesg -C` or `journalctl --vacuum-files` change things although the program usually reads.
/// The kernel jail is the second wall: a read program runs where it can do nothing else.
#[must_use]
pub fn known_effect(base: &str, args: &[String]) -> Option<Effect> {
    let first = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
    let has = |f: &str| args.iter().any(|a| a == f || a.starts_with(&format!("{f}=")));
    // A short flag anywhere in a cluster (`-Cx`).
    let short = |c: char| args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains(c));
    match family::classify(base, args) {
        Some(Family::Typed(t)) => return Some(t.effect),
        // An untyped form that may run anything; or a hole, which the compiler refuses (at run
        // time there are none).
        Some(Family::Untyped(Effect::Exec) | Family::Hole(_)) => return None,
        Some(Family::Untyped(e)) => return Some(e),
        None => {}
    }
    Some(match base {
        "find" => find_effect(args),
        "git" => git_effect(args),
        "dmesg" if has("--clear") || has("--read-clear") || short('C') || short('c') => Effect::Destructive,
        "dmesg"
            if has("--console-off")
                || has("--console-on")
                || has("--console-level")
                || short('D')
                || short('E')
                || short('n') =>
        {
            Effect::Write
        }
        "ss" if has("--kill") || short('K') => Effect::Destructive,
        // `mount` with no argument lists; with any it mounts (or remounts).
        "mount" if args.iter().all(|a| a == "-l" || a == "--show-labels") => Effect::Read,
        // nvidia-smi reads only with query forms; everything else may change the GPU.
        "nvidia-smi" if args.iter().all(|a| nvidia_query(a)) => Effect::Read,
        "env" if args.is_empty() => Effect::Read,
        "top" if has("-b") => Effect::Read,
        // Below the guarded arms above: these read unless a guard matched.
        "dmesg" | "ss" | "free" | "df" | "du" | "uptime" | "ps" | "pgrep" | "lsof" | "netstat" | "uname" | "id"
        | "whoami" | "vmstat" | "iostat" | "pmap" | "lscpu" | "nproc" | "printenv" | "which" | "stat"
        | "pg_isready" | "rocm-smi" | "lsblk" | "getent" | "sha256sum" | "md5sum" | "file" | "traceroute"
        | "telnet" => Effect::Read,
        "ollama" => match first {
            Some("list" | "ps" | "show") => Effect::Read,
            Some("pull") => Effect::Write,
            _ => Effect::Exec,
        },
        "mount" | "umount" | "nvidia-smi" | "kill" | "pkill" | "killall" | "chmod" | "chown" | "ln" => Effect::Write,
        _ => return None,
    })
}

/// `nvidia-smi` arguments that only query.
fn nvidia_query(a: &str) -> bool {
    matches!(a, "-q" | "--query" | "-L" | "--list-gpus" | "-x" | "--xml-format" | "--format=csv" | "-l" | "topo" | "-m")
        || ["--query-gpu=", "--query-compute-apps=", "--format=", "-i=", "--id=", "-d=", "--display="]
            .iter()
            .any(|p| a.starts_with(p))
        || a.chars().all(|c| c.is_ascii_digit() || c == ',')
        || matches!(
            a,
            "-i" | "--id" | "-d" | "--display" | "MEMORY" | "UTILIZATION" | "TEMPERATURE" | "POWER" | "CLOCK"
        )
}

/// `find`: reads, unless one of its actions writes, deletes or runs a program.
fn find_effect(args: &[String]) -> Effect {
    let mut effect = Effect::Read;
    for a in args {
        let e = match a.as_str() {
            "-exec" | "-execdir" | "-ok" | "-okdir" => Effect::Exec,
            "-delete" | "-fprint" | "-fprint0" | "-fprintf" | "-fls" => Effect::Destructive,
            _ => Effect::Read,
        };
        effect = effect.max(e);
    }
    effect
}

/// `git`: only the subcommands and forms that read are `read`.
fn git_effect(args: &[String]) -> Effect {
    // Options before the subcommand that point git at other places or run code.
    let mut rest = args.iter().map(String::as_str).peekable();
    while let Some(a) = rest.peek() {
        if !a.starts_with('-') {
            break;
        }
        if matches!(*a, "-c" | "--exec-path" | "--config-env")
            || a.starts_with("--exec-path=")
            || a.starts_with("--config-env=")
        {
            return Effect::Exec;
        }
        if matches!(*a, "-C" | "--git-dir" | "--work-tree" | "--namespace") {
            rest.next();
        }
        rest.next();
    }
    let Some(sub) = rest.next() else { return Effect::Read };
    let more: Vec<&str> = rest.collect();
    let any = |fs: &[&str]| more.iter().any(|a| fs.iter().any(|f| a == f || a.starts_with(&format!("{f}="))));
    let writes_output = any(&["--output", "-o"]);
    match sub {
        "status" | "rev-parse" | "describe" | "blame" | "ls-files" | "ls-tree" | "cat-file" | "shortlog" | "reflog"
            if !writes_output =>
        {
            Effect::Read
        }
        "log" | "show" | "diff" if !writes_output && !any(&["--ext-diff", "--textconv"]) => Effect::Read,
        // `git branch` lists; with a name, or -d/-D/-m/-M/-c/-C/-u, it changes branches.
        "branch"
            if more.iter().all(|a| {
                matches!(
                    *a,
                    "-a" | "--all" | "-r" | "--remotes" | "-v" | "-vv" | "--list" | "--show-current" | "--no-color"
                )
            }) =>
        {
            Effect::Read
        }
        "branch" if any(&["-d", "-D", "--delete"]) => Effect::Destructive,
        // `git remote` and `git remote -v` / `show` / `get-url` list; add, remove, rename and
        // set-url change the repository's configuration.
        "remote" if more.first().is_none_or(|a| matches!(*a, "-v" | "--verbose" | "show" | "get-url")) => Effect::Read,
        "remote" if more.first().is_some_and(|a| matches!(*a, "remove" | "rm" | "prune")) => Effect::Destructive,
        "tag" if more.is_empty() || more.iter().all(|a| matches!(*a, "-l" | "--list")) => Effect::Read,
        "config" if more.iter().any(|a| matches!(*a, "--get" | "--get-all" | "--list" | "-l" | "--get-regexp")) => {
            Effect::Read
        }
        "clean" | "reset" if any(&["--hard", "-f", "--force", "-x", "-d"]) => Effect::Destructive,
        "push" if any(&["--force", "-f", "--delete", "-d", "--mirror", "--prune"]) => Effect::Destructive,
        _ => Effect::Write,
    }
}

/// Environment variables that make a program load or run code it names: a program given one
/// runs with effect `exec` whatever it is (`GIT_CONFIG_*` setting `core.fsmonitor`, `LD_PRELOAD`,
/// `PAGER`, `PYTHONSTARTUP`, `BASH_ENV`, …).
#[must_use]
pub fn code_runner_variable(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "LD_", "DYLD_", "GIT_", "PYTHON", "PERL", "RUBY", "NODE_", "JAVA_", "_JAVA", "XDG_", "LESS", "BASH_", "GCONV",
        "NLSPATH", "KUBE_", "KUBECTL_", "DOCKER_",
    ];
    const EXACT: &[&str] = &[
        "ENV",
        "BASH_ENV",
        "PROMPT_COMMAND",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "EDITOR",
        "VISUAL",
        "HOME",
        "PATH",
        "SHELL",
        "TERMINFO",
        "MANOPT",
        "BROWSER",
        "GIT",
    ];
    const SUFFIXES: &[&str] =
        &["_OPTIONS", "_OPTS", "PAGER", "ASKPASS", "_COMMAND", "_CMD", "_EDITOR", "_HOOK", "_PLUGINS", "_PRELOAD"];
    let n = name.to_ascii_uppercase();
    EXACT.contains(&n.as_str()) || PREFIXES.iter().any(|p| n.starts_with(p)) || SUFFIXES.iter().any(|s| n.ends_with(s))
}

/// Programs whose job is the network: they are granted sockets (and say so in their scope).
#[must_use]
pub fn network_program(base: &str) -> bool {
    matches!(
        base,
        "ping"
            | "ping6"
            | "traceroute"
            | "tracepath"
            | "mtr"
            | "dig"
            | "nslookup"
            | "host"
            | "nc"
            | "ncat"
            | "netcat"
            | "telnet"
            | "openssl"
            | "pg_isready"
            | "redis-cli"
            | "psql"
            | "mysql"
            | "mongosh"
            | "grpcurl"
            | "ssh"
            | "scp"
            | "rsync"
            | "nmap"
            | "arping"
            | "whois"
            | "helm"
            | "etcdctl"
            | "aws"
            | "gcloud"
            | "az"
            | "terraform"
            | "tofu"
            | "argocd"
            | "flux"
            | "ceph"
            | "vault"
            | "nomad"
            | "consul"
            | "rabbitmqctl"
            | "patronictl"
    )
}

/// The program's base name when it is one the effect table may judge: written bare, or from a
/// system directory (`./x` and `~/bin/x` are the runbook's own and run with `exec`).
#[must_use]
pub fn judged_name(program: &str) -> Option<&str> {
    let base = program.rsplit('/').next().unwrap_or(program);
    (program == base || ["/usr/", "/bin/", "/sbin/"].iter().any(|d| program.starts_with(d))).then_some(base)
}

impl<V: Value> ProcessRequest<V> {
    /// What the program changes, by the table of known programs; a variable that makes it run
    /// code it names (`GIT_CONFIG_*`, `LD_PRELOAD`, `PAGER`, …) makes it `exec`.
    #[must_use]
    pub fn effect(&self) -> Effect {
        if self.env.iter().any(|(k, _)| code_runner_variable(k)) {
            return Effect::Exec;
        }
        let args: Vec<String> = self.args.iter().map(Value::template).collect();
        judged_name(&self.program.template()).and_then(|b| known_effect(b, &args)).unwrap_or(Effect::Exec)
    }

    /// What the program's family makes of it, when it has one.
    #[must_use]
    pub fn family(&self) -> Option<Family> {
        judged_name(&self.program.template()).and_then(|b| family::classify(b, &self.args))
    }

    /// Whether the program is granted the network (a program whose job it is).
    #[must_use]
    pub fn network(&self) -> bool {
        judged_name(&self.program.template()).is_some_and(network_program)
    }

    /// Whether the effect comes from the table (a known program).
    #[must_use]
    pub fn known(&self) -> bool {
        let args: Vec<String> = self.args.iter().map(Value::template).collect();
        judged_name(&self.program.template()).and_then(|b| known_effect(b, &args)).is_some()
    }

    /// The program, its exact argv and every variable it is given (`env.NAME`: a variable's value
    /// reaches no option, so a hole in it takes any text). A program of a typed family needs its
    /// family's capability, with the keys naming its target before these.
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let mut n = match self.family() {
            Some(Family::Typed(t)) => {
                let mut n = Need::new(t.capability, self.effect());
                n.scope = t.scope;
                n
            }
            _ => Need::new("process.exec", self.effect()),
        };
        n = n.with("program", self.program.template()).with("argv", quoted_list(&self.args));
        if self.network() {
            n = n.with("network", "any");
        }
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
        let own = ProcessRequest { program: "./deploy.sh".to_string(), args: vec![], ..r.clone() };
        assert_eq!(own.effect(), Effect::Exec);
        let git = ProcessRequest {
            program: "git".to_string(),
            args: vec!["status".into()],
            env: vec![("GIT_CONFIG_COUNT".into(), "1".into())],
            ..r
        };
        assert_eq!(git.effect(), Effect::Exec, "a variable that makes git run code makes it exec");
    }

    #[test]
    fn programs_that_usually_read_are_judged_on_every_argument() {
        let e = |p: &str, a: &str| {
            known_effect(p, &a.split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>()).unwrap()
        };
        assert_eq!(e("find", ". -name x"), Effect::Read);
        assert_eq!(e("find", ". -fprint /tmp/x"), Effect::Destructive);
        assert_eq!(e("find", ". -ok sh -c id ;"), Effect::Exec);
        assert_eq!(e("git", "log --oneline"), Effect::Read);
        assert_eq!(e("git", "log --output=/tmp/x"), Effect::Write);
        assert_eq!(e("git", "branch"), Effect::Read);
        assert_eq!(e("git", "branch -D main"), Effect::Destructive);
        assert_eq!(e("git", "remote -v"), Effect::Read);
        assert_eq!(e("git", "remote remove origin"), Effect::Destructive);
        assert_eq!(e("git", "-c core.fsmonitor=x status"), Effect::Exec);
        assert_eq!(e("mount", ""), Effect::Read);
        assert_eq!(e("mount", "-t tmpfs none /mnt"), Effect::Write);
        assert_eq!(e("dmesg", "-T"), Effect::Read);
        assert_eq!(e("dmesg", "-C"), Effect::Destructive);
        assert_eq!(e("journalctl", "-u docker -n 50"), Effect::Read);
        assert_eq!(e("journalctl", "--vacuum-files=1"), Effect::Destructive);
        assert_eq!(e("ss", "-tlnp"), Effect::Read);
        assert_eq!(e("ss", "-K dst 1.2.3.4"), Effect::Destructive);
        assert_eq!(e("nvidia-smi", ""), Effect::Read);
        assert_eq!(e("nvidia-smi", "--query-gpu=memory.used --format=csv"), Effect::Read);
        assert_eq!(e("nvidia-smi", "-mig 1"), Effect::Write);
    }
}

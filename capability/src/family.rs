//! Typed families of programs: operators' tools whose arguments say what they do. Each gets a
//! capability of its own (`systemd.unit.restart`, `helm.release.uninstall`, `db.postgres.query`),
//! an effect from its arguments and a scope naming its target (`unit`, `release`, `namespace`,
//! `host`, `database`, `command`, …); the program and its exact argv stay in the scope, so a
//! grant binds every option.
//!
//! The compiler classifies shell words (holes shown as `{var.x}`), the runtime the strings of a
//! run, with the same code. So the capability's name is taken from literal words only: a hole
//! where a subcommand belongs is [`Family::Hole`] (the compiler refuses it), and a hole in a
//! statement (`psql -c "… $X"`) makes the statement `destructive`, the effect the run is then
//! checked against again with the real text.
//!
//! Vocabulary and effects:
//! * `systemd.unit.<verb>`, `systemd.manager.<verb>`, `systemd.system.<verb>` (`systemctl`,
//!   `service`): status/show/cat/is-*/list-* read; start/restart/reload/enable/disable/
//!   daemon-reload write; stop/kill/mask/isolate/reboot/poweroff destructive (they take a
//!   service or the machine down). Scope `unit`, and `host`/`machine`/`manager` when given.
//! * `systemd.journal.read` (read), `.maintain` (`--flush`, `--sync`: write), `.vacuum`
//!   (`--vacuum-*`, `--rotate`: destructive). Scope `unit`.
//! * `db.postgres.query`, `db.mysql.query`, `db.redis.command`, `db.mongo.eval`: the effect of
//!   the statements (the most of several); scope `host`, `port`, `user`, `database`, `command`
//!   or `file`.
//! * `helm.<release|chart|repo|plugin>.<verb>`, `etcd.<key|endpoint|member|…>.<verb>`,
//!   `argocd.<app|cluster|repo|proj>.<verb>`, `flux.<kind>.<verb>`, `terraform.<stack|state|
//!   workspace>.<verb>`: the subcommand's effect; scope release/key/app/name and the namespace,
//!   context or directory.
//! * `aws.api.<verb>`, `gcloud.api.<verb>`, `az.api.<verb>`: the verb is the operation's first
//!   word (`describe`, `delete`); scope `service`, `operation` and every option that changes the
//!   target (`profile`, `region`, `project`, `subscription`, …).
//! * `net.dns.query`, `net.icmp.ping`, `net.tcp.probe`, `net.tls.connect`: read, scope `host`.

// The tables keep one arm per kind of subcommand, in the order a reader looks them up, even
// where two arms give the same effect.
#![allow(clippy::match_same_arms)]

use crate::effect::Effect;
use crate::scope::has_hole;
use crate::value::Value;

/// What a family makes of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// A typed need: its capability, effect and the keys naming its target.
    Typed(Typed),
    /// A program of a family in a form it does not type (an unknown subcommand): it stays a
    /// `process.exec` need with this effect.
    Untyped(Effect),
    /// A hole where the subcommand belongs (`helm $VERB`): what it names at run time cannot be
    /// known now.
    Hole(&'static str),
}

/// A typed need, before the program, argv and environment are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    pub capability: String,
    pub effect: Effect,
    pub scope: Vec<(String, String)>,
}

impl Typed {
    fn new(capability: impl Into<String>, effect: Effect) -> Self {
        Self { capability: capability.into(), effect, scope: Vec::new() }
    }

    fn with(mut self, key: &str, value: Option<String>) -> Self {
        if let Some(v) = value {
            self.scope.push((key.to_string(), v));
        }
        self
    }
}

/// The family of a program, by its base name.
#[must_use]
pub fn classify<V: Value>(base: &str, args: &[V]) -> Option<Family> {
    let t: Vec<String> = args.iter().map(Value::template).collect();
    if let Some(prefix) = prefix(base)
        && matches!(t.as_slice(), [v] if matches!(v.as_str(), "--version" | "version" | "-V"))
    {
        return Some(Family::Typed(Typed::new(format!("{prefix}.version"), Effect::Read)));
    }
    Some(match base {
        "systemctl" => systemctl(args),
        "service" => service(args),
        "journalctl" => journalctl(args),
        "psql" => db::psql(args),
        "mysql" | "mariadb" => db::mysql(args),
        "redis-cli" => db::redis(args),
        "mongosh" | "mongo" => db::mongo(args),
        "helm" => tools::helm(args),
        "etcdctl" => tools::etcdctl(args),
        "terraform" | "tofu" => tools::terraform(args),
        "argocd" => tools::argocd(args),
        "flux" => tools::flux(args),
        "aws" => cloud::aws(args),
        "gcloud" => cloud::gcloud(args),
        "az" => cloud::az(args),
        "dig" | "nslookup" | "host" => net::dns(base, args),
        "ping" | "ping6" => net::ping(args),
        "nc" | "ncat" | "netcat" => net::nc(args),
        "openssl" => net::openssl(args),
        _ => return ops::classify(base, args),
    })
}

/// The capability prefix of a family's program.
fn prefix(base: &str) -> Option<&'static str> {
    Some(match base {
        "systemctl" | "service" | "journalctl" => "systemd",
        "psql" => "db.postgres",
        "mysql" | "mariadb" => "db.mysql",
        "redis-cli" => "db.redis",
        "mongosh" | "mongo" => "db.mongo",
        "helm" => "helm",
        "etcdctl" => "etcd",
        "terraform" | "tofu" => "terraform",
        "argocd" => "argocd",
        "flux" => "flux",
        "aws" => "aws",
        "gcloud" => "gcloud",
        "az" => "az",
        _ => return ops::prefix(base),
    })
}

// ---- scanning argv ------------------------------------------------------------------------

/// A program's options: those that take a value (`--namespace NS`, `--namespace=NS`, `-nNS`)
/// and flags. An option in neither list is unknown: a positional after it is not trusted to be
/// what it seems (the option may have taken it as its value).
struct Opts {
    values: &'static [&'static str],
    flags: &'static [&'static str],
}

/// A positional word: its index in argv, its text, and whether only known options precede it.
struct Pos {
    at: usize,
    text: String,
    clean: bool,
}

struct Scan<'a, V> {
    args: &'a [V],
    /// `(option, value)` in order.
    opts: Vec<(String, Option<V>)>,
    pos: Vec<Pos>,
    /// An option in neither list was given.
    unknown: bool,
}

fn scan<'a, V: Value>(args: &'a [V], o: &Opts) -> Scan<'a, V> {
    let mut s = Scan { args, opts: Vec::new(), pos: Vec::new(), unknown: false };
    let mut unknown = false;
    let mut ended = false;
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let t = w.template();
        i += 1;
        if ended || !t.starts_with('-') || t == "-" {
            s.pos.push(Pos { at: i - 1, text: t, clean: !unknown });
            continue;
        }
        if t == "--" {
            ended = true;
            continue;
        }
        if let Some((n, _)) = t.split_once('=')
            && (o.values.contains(&n) || o.flags.contains(&n))
        {
            s.opts.push((n.to_string(), Some(w.suffix(n.len() + 1))));
        } else if o.values.contains(&t.as_str()) {
            s.opts.push((t.clone(), args.get(i).cloned()));
            i += 1;
        } else if o.flags.contains(&t.as_str()) {
            s.opts.push((t.clone(), None));
        } else if !t.starts_with("--") && t.len() > 2 && t.is_char_boundary(2) && o.values.contains(&&t[..2]) {
            s.opts.push((t[..2].to_string(), Some(w.suffix(2))));
        } else if !t.starts_with("--")
            && t.len() > 2
            && t[1..].chars().all(|c| o.flags.iter().any(|f| f.len() == 2 && f.ends_with(c)))
        {
            s.opts.extend(t[1..].chars().map(|c| (format!("-{c}"), None)));
        } else {
            unknown = true;
            s.unknown = true;
            s.opts.push((t, None));
        }
    }
    s
}

impl<V: Value> Scan<'_, V> {
    fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(n, _)| names.contains(&n.as_str()))
    }

    /// The last value of any of these options, quoted as a scope shows it.
    fn value(&self, names: &[&str]) -> Option<String> {
        self.opts
            .iter()
            .rev()
            .find(|(n, v)| names.contains(&n.as_str()) && v.is_some())
            .and_then(|(_, v)| v.as_ref().map(Value::quoted))
    }

    /// Every value of these options, as one list.
    fn values(&self, names: &[&str]) -> Option<String> {
        let vs: Vec<String> = self
            .opts
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| v.as_ref().map(Value::quoted))
            .collect();
        (!vs.is_empty()).then(|| vs.join(" "))
    }

    /// The raw texts of these options' values.
    fn texts(&self, names: &[&str]) -> Vec<String> {
        self.opts
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| v.as_ref().map(Value::template))
            .collect()
    }

    fn word(&self, k: usize) -> Option<&str> {
        self.pos.get(k).map(|p| p.text.as_str())
    }

    /// Positional `k` as a scope value, when only known options come before it.
    fn operand(&self, k: usize) -> Option<String> {
        self.pos.get(k).filter(|p| p.clean).map(|p| self.args[p.at].quoted())
    }

    /// Positionals from `k` on, as one list, when only known options come before them.
    fn operands(&self, k: usize) -> Option<String> {
        let ps = self.pos.get(k..).unwrap_or_default();
        (!ps.is_empty() && ps.iter().all(|p| p.clean))
            .then(|| ps.iter().map(|p| self.args[p.at].quoted()).collect::<Vec<_>>().join(" "))
    }

    /// The subcommand words `0..n`: literal, after known options only. `Err` when one of them is
    /// a hole; `Ok(None)` when they are missing or an unknown option precedes them.
    fn verbs(&self, n: usize) -> Result<Option<Vec<&str>>, ()> {
        let ps = &self.pos[..n.min(self.pos.len())];
        if ps.iter().any(|p| has_hole(&p.text)) {
            return Err(());
        }
        Ok((ps.len() == n && ps.iter().all(|p| p.clean)).then(|| ps.iter().map(|p| p.text.as_str()).collect()))
    }
}

/// A subcommand word as part of a capability name: lowercase letters and `-` only.
fn name_part(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-')
}

// ---- systemd ------------------------------------------------------------------------------

const SYSTEMCTL: Opts = Opts {
    values: &[
        "-H",
        "--host",
        "-M",
        "--machine",
        "-t",
        "--type",
        "-p",
        "--property",
        "-P",
        "--state",
        "-n",
        "--lines",
        "-o",
        "--output",
        "-s",
        "--signal",
        "--kill-whom",
        "--kill-value",
        "--root",
        "--image",
        "--job-mode",
        "--what",
        "--timestamp",
        "--message",
        "--preset-mode",
        "--reboot-argument",
        "--boot-loader-entry",
        "--drop-in",
        "--when",
    ],
    flags: &[
        "--user",
        "--system",
        "--global",
        "-a",
        "--all",
        "-l",
        "--full",
        "--no-pager",
        "--no-legend",
        "-q",
        "--quiet",
        "--now",
        "--no-block",
        "--no-ask-password",
        "-r",
        "--recursive",
        "-f",
        "--force",
        "--failed",
        "--plain",
        "--no-reload",
        "--runtime",
        "--show-types",
        "--value",
        "--wait",
        "--dry-run",
        "-i",
        "--no-wall",
        "--check-inhibitors",
        "--firmware-setup",
        "--reverse",
        "--after",
        "--before",
        "--with-dependencies",
        "--show-transaction",
        "-T",
    ],
};

/// The resource and effect of a `systemctl` verb.
fn systemd_verb(verb: &str) -> Option<(&'static str, Effect)> {
    use Effect::{Destructive, Read, Write};
    Some(match verb {
        "status" | "is-active" | "is-enabled" | "is-failed" | "show" | "cat" | "list-dependencies" | "help" => {
            ("unit", Read)
        }
        "list-units" | "list-unit-files" | "list-timers" | "list-sockets" | "list-jobs" | "list-machines"
        | "list-automounts" | "list-paths" | "is-system-running" | "get-default" | "show-environment" => {
            ("manager", Read)
        }
        "start"
        | "restart"
        | "reload"
        | "try-restart"
        | "reload-or-restart"
        | "try-reload-or-restart"
        | "condrestart"
        | "force-reload"
        | "enable"
        | "disable"
        | "reenable"
        | "preset"
        | "reset-failed"
        | "set-property"
        | "revert"
        | "unmask"
        | "link"
        | "freeze"
        | "thaw" => ("unit", Write),
        "daemon-reload" | "daemon-reexec" | "set-default" | "set-environment" | "unset-environment" | "preset-all" => {
            ("manager", Write)
        }
        "stop" | "kill" | "mask" | "isolate" | "clean" => ("unit", Destructive),
        "reboot" | "poweroff" | "halt" | "kexec" | "suspend" | "hibernate" | "hybrid-sleep" | "rescue"
        | "emergency" | "default" | "soft-reboot" | "exit" | "switch-root" => ("system", Destructive),
        _ => return None,
    })
}

fn systemd_scope<V: Value>(t: Typed, s: &Scan<'_, V>) -> Typed {
    t.with("host", s.value(&["-H", "--host"])).with("machine", s.value(&["-M", "--machine"])).with(
        "manager",
        (s.has(&["--user"]).then(|| "user".to_string())).or_else(|| s.has(&["--global"]).then(|| "global".into())),
    )
}

fn systemctl<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &SYSTEMCTL);
    let verb = match s.verbs(1) {
        Err(()) => return Family::Hole("the `systemctl` command"),
        Ok(None) if s.pos.is_empty() && !s.unknown => "list-units",
        Ok(None) => return Family::Untyped(Effect::Destructive),
        Ok(Some(v)) => v[0],
    };
    let Some((resource, effect)) = systemd_verb(verb) else { return Family::Untyped(Effect::Destructive) };
    // `disable --now` and `mask --now` also stop the unit.
    let effect = if verb == "disable" && s.has(&["--now"]) { Effect::Destructive } else { effect };
    let t = Typed::new(format!("systemd.{resource}.{verb}"), effect).with("unit", s.operands(1));
    Family::Typed(systemd_scope(t, &s))
}

/// `service UNIT VERB` (and `service --status-all`).
fn service<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &Opts { values: &[], flags: &["--status-all", "--full-restart"] });
    if s.has(&["--status-all"]) && s.pos.is_empty() {
        return Family::Typed(Typed::new("systemd.manager.list-units", Effect::Read));
    }
    let Some(verb) = s.word(1) else { return Family::Untyped(Effect::Destructive) };
    if has_hole(verb) {
        return Family::Hole("the `service` action");
    }
    match systemd_verb(verb) {
        Some(("unit", effect)) => {
            Family::Typed(Typed::new(format!("systemd.unit.{verb}"), effect).with("unit", s.operand(0)))
        }
        // Init scripts take actions of their own: what they do is the script's.
        _ => Family::Untyped(Effect::Destructive),
    }
}

const JOURNALCTL: Opts = Opts {
    values: &[
        "-u",
        "--unit",
        "--user-unit",
        "-n",
        "--lines",
        "-p",
        "--priority",
        "-o",
        "--output",
        "-S",
        "--since",
        "-U",
        "--until",
        "-t",
        "--identifier",
        "-g",
        "--grep",
        "-D",
        "--directory",
        "--file",
        "-M",
        "--machine",
        "-H",
        "--host",
        "--output-fields",
        "--facility",
        "--root",
        "--image",
        "--namespace",
        "--cursor",
        "--after-cursor",
        "--vacuum-size",
        "--vacuum-time",
        "--vacuum-files",
        "-T",
        "--exclude-identifier",
    ],
    flags: &[],
};

fn journalctl<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &JOURNALCTL);
    let (verb, effect) = if s.has(&["--vacuum-size", "--vacuum-time", "--vacuum-files", "--rotate"]) {
        ("vacuum", Effect::Destructive)
    } else if s.has(&[
        "--flush",
        "--sync",
        "--relinquish-var",
        "--smart-relinquish-var",
        "--update-catalog",
        "--setup-keys",
    ]) {
        ("maintain", Effect::Write)
    } else {
        ("read", Effect::Read)
    };
    let t = Typed::new(format!("systemd.journal.{verb}"), effect)
        .with("unit", s.values(&["-u", "--unit", "--user-unit"]))
        .with("directory", s.value(&["-D", "--directory"]))
        .with("file", s.values(&["--file"]))
        .with("machine", s.value(&["-M", "--machine"]))
        .with("host", s.value(&["-H", "--host"]));
    Family::Typed(t)
}

mod cloud;
mod db;
mod net;
mod ops;
mod tools;

#[cfg(test)]
mod tests;

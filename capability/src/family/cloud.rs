//! Cloud CLIs: `aws SERVICE OPERATION`, `gcloud GROUP… COMMAND`, `az GROUP… COMMAND`. The
//! capability is `<cli>.api.<verb>`, the verb the operation's first word (`describe`,
//! `delete`); the service and the operation are in the scope, with every option that points the
//! call elsewhere (`--profile`, `--region`, `--project`, `--subscription`, …).

use super::{Family, Opts, Scan, Typed, name_part, scan};
use crate::effect::Effect::{self, Destructive, Exec, Read, Write};
use crate::value::Value;

/// The effect of an operation by its first word; `None` for a word not listed.
fn verb_effect(verb: &str) -> Option<Effect> {
    Some(match verb {
        "describe" | "list" | "get" | "show" | "head" | "wait" | "ls" | "presign" | "lookup" | "search" | "query"
        | "validate" | "estimate" | "check" | "print" | "filter" | "scan" | "batch-get" | "test" | "exists"
        | "browse" | "read" | "tail" | "view" | "simulate" => Read,
        "create" | "update" | "put" | "start" | "stop" | "modify" | "tag" | "untag" | "attach" | "associate"
        | "enable" | "disable" | "register" | "set" | "add" | "copy" | "cp" | "sync" | "mv" | "mb" | "import"
        | "export" | "restore" | "reboot" | "restart" | "run" | "invoke" | "publish" | "send" | "scale" | "resize"
        | "upgrade" | "apply" | "deploy" | "login" | "logout" | "configure" | "replace" | "authorize" | "revoke"
        | "rotate" | "detach" | "disassociate" | "cancel" | "reset" | "accept" | "reject" | "allocate" | "assign"
        | "unassign" | "grant" | "move" | "rename" | "swap" | "redeploy" | "reimage" | "deallocate" | "generalize"
        | "capture" | "suspend" | "resume" | "website" | "install" | "rollback" | "promote" | "failover" | "renew" => {
            Write
        }
        "delete" | "remove" | "rm" | "rb" | "terminate" | "destroy" | "deregister" | "purge" | "release" | "empty"
        | "drop" | "flush" | "wipe" | "erase" | "uninstall" | "deprovision" => Destructive,
        // A shell on the machine, or a command run on it.
        "ssh" | "scp" | "execute" | "send-command" | "start-session" | "run-command" | "connect" => Exec,
        _ => return None,
    })
}

/// An operation's verb word and effect: `describe-instances` → `describe`, read.
fn operation(op: &str) -> Option<(&str, Effect)> {
    if ["execute-command", "send-command", "start-session", "run-command", "get-credentials"]
        .iter()
        .any(|x| op.contains(x))
    {
        // `get-credentials` writes the kubeconfig.
        let write = op.contains("get-credentials");
        return Some((if write { "update" } else { "execute" }, if write { Write } else { Exec }));
    }
    let first = op.split('-').next().unwrap_or(op);
    let first = if op.starts_with("batch-get") { "get" } else { first };
    verb_effect(first).filter(|_| name_part(first)).map(|e| (first, e))
}

const AWS: Opts = Opts {
    values: &[
        "--region",
        "--profile",
        "--endpoint-url",
        "--output",
        "--query",
        "--cli-read-timeout",
        "--cli-connect-timeout",
        "--ca-bundle",
        "--color",
        "--cli-binary-format",
    ],
    flags: &[
        "--debug",
        "--no-verify-ssl",
        "--no-paginate",
        "--no-sign-request",
        "--no-cli-pager",
        "--no-cli-auto-prompt",
    ],
};

fn cloud_scope<V: Value>(mut t: Typed, s: &Scan<'_, V>, keys: &[(&str, &[&str])]) -> Typed {
    for (key, names) in keys {
        t = t.with(key, s.value(names));
    }
    t
}

pub(in crate::family) fn aws<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &AWS);
    let v = match s.verbs(2) {
        Err(()) => return Family::Hole("the `aws` service and operation"),
        // `aws configure` alone asks questions; `aws help`.
        Ok(None) => return Family::Untyped(Exec),
        Ok(Some(v)) => v,
    };
    let (service, op) = (v[0], v[1]);
    let Some((verb, mut effect)) = (match (service, op) {
        ("configure", "list" | "get" | "list-profiles" | "export-credentials") => Some(("get", Read)),
        ("configure", "set" | "import" | "sso" | "add-model") => Some(("configure", Write)),
        ("s3", "ls" | "presign") => Some((op, Read)),
        ("s3", "cp" | "sync" | "mv" | "mb" | "website") => Some((op, Write)),
        ("s3", "rm" | "rb") => Some((op, Destructive)),
        ("s3", _) => None,
        _ => operation(op),
    }) else {
        return Family::Untyped(Exec);
    };
    // `s3 sync --delete` removes what the source lacks; `mv` removes its source.
    if service == "s3" && (s.has(&["--delete"]) || op == "mv") {
        effect = effect.max(Destructive);
    }
    if s.has(&["--dry-run"]) && effect == Write {
        effect = Read;
    }
    let t = Typed::new(format!("aws.api.{verb}"), effect)
        .with("service", Some(service.to_string()))
        .with("operation", Some(op.to_string()));
    let t = cloud_scope(
        t,
        &s,
        &[("profile", &["--profile"]), ("region", &["--region"]), ("endpoint-url", &["--endpoint-url"])],
    );
    // The high-level s3 commands name their paths.
    let t = if service == "s3" { t.with("path", s.operands(2)) } else { t };
    Family::Typed(t)
}

/// `gcloud`/`az`: the groups, then the first word that is a command; operands after it.
fn grouped<V: Value>(
    cli: &str,
    s: &Scan<'_, V>,
    what: &'static str,
) -> Result<(String, String, usize, Effect, String), Family> {
    let mut groups = Vec::new();
    for (k, p) in s.pos.iter().enumerate() {
        if crate::scope::has_hole(&p.text) {
            return Err(Family::Hole(what));
        }
        if !p.clean || !name_part(&p.text.replace(|c: char| c.is_ascii_digit(), "")) {
            return Err(Family::Untyped(Exec));
        }
        if k > 0
            && let Some((verb, effect)) = operation(&p.text)
        {
            let _ = cli;
            return Ok((groups.join(" "), p.text.clone(), k, effect, verb.to_string()));
        }
        groups.push(p.text.clone());
    }
    Err(Family::Untyped(Exec))
}

const GCLOUD: Opts = Opts {
    values: &[
        "--project",
        "--account",
        "--configuration",
        "--region",
        "--zone",
        "--format",
        "--filter",
        "--limit",
        "--sort-by",
        "--page-size",
        "--verbosity",
        "--impersonate-service-account",
        "--billing-project",
        "--location",
        "--cluster",
        "--flags-file",
        "--access-token-file",
        "--trace-token",
    ],
    flags: &["--quiet", "-q", "--no-user-output-enabled", "--log-http", "--user-output-enabled", "--verbosity=debug"],
};

pub(in crate::family) fn gcloud<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &GCLOUD);
    let (service, op, _, effect, verb) = match grouped("gcloud", &s, "the `gcloud` command") {
        Ok(g) => g,
        Err(f) => return f,
    };
    // `--flags-file` reads more options from a file: what they point at is not seen here.
    let effect = if s.has(&["--flags-file"]) { effect.max(Destructive) } else { effect };
    let t = Typed::new(format!("gcloud.api.{verb}"), effect).with("service", Some(service)).with("operation", Some(op));
    Family::Typed(cloud_scope(
        t,
        &s,
        &[
            ("project", &["--project"]),
            ("account", &["--account"]),
            ("configuration", &["--configuration"]),
            ("impersonate", &["--impersonate-service-account"]),
            ("region", &["--region"]),
            ("zone", &["--zone"]),
            ("location", &["--location"]),
            ("cluster", &["--cluster"]),
        ],
    ))
}

const AZ: Opts = Opts {
    values: &[
        "--subscription",
        "-o",
        "--output",
        "--query",
        "-g",
        "--resource-group",
        "-n",
        "--name",
        "-l",
        "--location",
        "--ids",
        "--namespace-name",
        "--vault-name",
        "--account-name",
        "--cluster-name",
    ],
    flags: &["--only-show-errors", "--debug", "--verbose", "-y", "--yes", "--no-wait", "--all"],
};

pub(in crate::family) fn az<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &AZ);
    let (service, op, _, effect, verb) = match grouped("az", &s, "the `az` command") {
        Ok(g) => g,
        Err(f) => return f,
    };
    let t = Typed::new(format!("az.api.{verb}"), effect).with("service", Some(service)).with("operation", Some(op));
    Family::Typed(cloud_scope(
        t,
        &s,
        &[
            ("subscription", &["--subscription"]),
            ("resource-group", &["-g", "--resource-group"]),
            ("name", &["-n", "--name"]),
            ("ids", &["--ids"]),
            ("location", &["-l", "--location"]),
        ],
    ))
}

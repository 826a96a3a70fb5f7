//! Deployment tools: helm, etcdctl, terraform, argocd and flux, by subcommand. A subcommand
//! they do not list here (a plugin, an alias) may run anything: it stays `process.exec` with
//! effect `exec`.

use super::{Family, Opts, Scan, Typed, scan};
use crate::effect::Effect::{Destructive, Exec, Read, Write};
use crate::value::Value;

/// The subcommand words, or what to make of their absence.
macro_rules! verbs {
    ($s:expr, $n:expr, $what:literal) => {
        match $s.verbs($n) {
            Err(()) => return Family::Hole($what),
            Ok(None) => return Family::Untyped(Exec),
            Ok(Some(v)) => v,
        }
    };
}

const HELM: Opts = Opts {
    values: &[
        "-n",
        "--namespace",
        "--kube-context",
        "--kubeconfig",
        "--registry-config",
        "--repository-cache",
        "--repository-config",
        "--burst-limit",
        "--qps",
        "--kube-apiserver",
        "--kube-as-user",
        "--kube-as-group",
        "--kube-ca-file",
        "--kube-token",
        "--kube-tls-server-name",
        "-f",
        "--values",
        "--set",
        "--set-string",
        "--set-file",
        "--set-json",
        "--set-literal",
        "--version",
        "--timeout",
        "-o",
        "--output",
        "--revision",
        "--max",
        "--filter",
        "-l",
        "--selector",
        "--description",
        "--post-renderer",
        "--post-renderer-args",
        "--repo",
        "--username",
        "--password",
        "--ca-file",
        "--cert-file",
        "--key-file",
        "--keyring",
        "--name-template",
        "--history-max",
        "--labels",
        "-d",
        "--destination",
        "--untardir",
        "--api-versions",
        "--kube-version",
        "-s",
        "--show-only",
        "--output-dir",
        "--template",
        "--deletion-propagation",
    ],
    flags: &[
        "--debug",
        "--install",
        "-i",
        "--wait",
        "--wait-for-jobs",
        "--atomic",
        "--create-namespace",
        "--dry-run",
        "--force",
        "--reuse-values",
        "--reset-values",
        "--reset-then-reuse-values",
        "--cleanup-on-fail",
        "--generate-name",
        "-g",
        "--skip-crds",
        "--no-hooks",
        "--keep-history",
        "-A",
        "--all-namespaces",
        "-a",
        "--all",
        "--deployed",
        "--failed",
        "--pending",
        "--uninstalled",
        "--superseded",
        "--uninstalling",
        "-q",
        "--short",
        "--devel",
        "--insecure-skip-tls-verify",
        "--pass-credentials",
        "--dependency-update",
        "--render-subchart-notes",
        "--disable-openapi-validation",
        "--recreate-pods",
        "--force-update",
        "--kube-insecure-skip-tls-verify",
        "-h",
        "--help",
        "--verify",
        "--untar",
        "--plain-http",
        "--include-crds",
        "--validate",
        "--skip-tests",
        "--no-headers",
        "-m",
        "--max-col-width",
        "--regexp",
        "--enable-dns",
        "--hide-notes",
        "--hide-secret",
        "--take-ownership",
        "--skip-schema-validation",
        "--rollback-on-failure",
        "--server-side",
        "--force-conflicts",
    ],
};

pub(in crate::family) fn helm<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &HELM);
    let v = verbs!(s, 1, "the `helm` command");
    let two = s.word(1).unwrap_or_default();
    let sub_clean = s.pos.get(1).is_some_and(|p| p.clean && !crate::scope::has_hole(&p.text));
    // `(resource, verb, effect, index of the first operand)`
    let (resource, verb, effect, at) = match v[0] {
        "list" | "ls" => ("release", "list", Read, 1),
        "status" | "history" | "hist" => ("release", if v[0] == "hist" { "history" } else { v[0] }, Read, 1),
        "get" if sub_clean && matches!(two, "all" | "values" | "manifest" | "notes" | "hooks" | "metadata") => {
            ("release", "get", Read, 2)
        }
        "show" | "inspect" => ("chart", "show", Read, if sub_clean { 2 } else { 1 }),
        "template" | "lint" | "verify" => ("chart", v[0], Read, 1),
        "search" => ("repo", "search", Read, 2),
        "env" => ("client", "env", Read, 1),
        "install" | "upgrade" | "rollback" | "test" => ("release", v[0], Write, 1),
        "pull" | "fetch" | "package" | "push" => ("chart", if v[0] == "fetch" { "pull" } else { v[0] }, Write, 1),
        "uninstall" | "delete" | "del" | "un" => ("release", "uninstall", Destructive, 1),
        "repo" if sub_clean => match two {
            "list" | "ls" => ("repo", "list", Read, 2),
            "add" | "update" | "up" | "index" => ("repo", if two == "up" { "update" } else { two }, Write, 2),
            "remove" | "rm" => ("repo", "remove", Destructive, 2),
            _ => return Family::Untyped(Exec),
        },
        "dependency" | "dep" if sub_clean => match two {
            "list" | "ls" => ("dependency", "list", Read, 2),
            "update" | "up" | "build" => ("dependency", if two == "up" { "update" } else { two }, Write, 2),
            _ => return Family::Untyped(Exec),
        },
        "plugin" if sub_clean && matches!(two, "list" | "ls") => ("plugin", "list", Read, 2),
        "registry" if sub_clean && matches!(two, "login" | "logout") => ("registry", two, Write, 2),
        // `helm plugin install`, a plugin's own subcommand, `helm completion`…
        _ => return Family::Untyped(Exec),
    };
    // A post-renderer is a program of the runbook's: it runs on every rendered manifest.
    let effect = if s.has(&["--post-renderer"]) {
        Exec
    } else if s.has(&["--dry-run"]) && resource == "release" && effect == Write {
        Read
    } else {
        effect
    };
    let mut t = Typed::new(format!("helm.{resource}.{verb}"), effect);
    t = match resource {
        "release" => t
            .with("release", s.operand(at))
            .with("chart", s.operand(at + 1).filter(|_| matches!(verb, "install" | "upgrade"))),
        "chart" => t.with("chart", s.operand(at)),
        "repo" => t.with("repo", s.operand(at)),
        _ => t,
    };
    let t = t
        .with(
            "namespace",
            s.value(&["-n", "--namespace"]).or_else(|| s.has(&["-A", "--all-namespaces"]).then(|| "*".into())),
        )
        .with("context", s.value(&["--kube-context"]))
        .with("kubeconfig", s.value(&["--kubeconfig"]))
        .with("apiserver", s.value(&["--kube-apiserver"]));
    Family::Typed(t)
}

const ETCDCTL: Opts = Opts {
    values: &[
        "--endpoints",
        "--cacert",
        "--cert",
        "--key",
        "--user",
        "--password",
        "--dial-timeout",
        "--command-timeout",
        "-w",
        "--write-out",
        "--discovery-srv",
        "--discovery-srv-name",
        "--keepalive-time",
        "--keepalive-timeout",
        "--rev",
        "--limit",
        "--sort-by",
        "--order",
        "--lease",
        "--consistency",
        "--peer-urls",
        "--learner",
    ],
    flags: &[
        "--insecure-skip-tls-verify",
        "--insecure-transport",
        "--insecure-discovery",
        "--debug",
        "--hex",
        "--prefix",
        "--keys-only",
        "--print-value-only",
        "--from-key",
        "--ignore-lease",
        "--ignore-value",
        "--prev-kv",
        "--cluster",
        "--physical",
        "--count-only",
        "-i",
        "--interactive",
        "--no-sync",
        "--progress-notify",
    ],
};

pub(in crate::family) fn etcdctl<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &ETCDCTL);
    let v = verbs!(s, 1, "the `etcdctl` command");
    let two = s.pos.get(1).filter(|p| p.clean && !crate::scope::has_hole(&p.text)).map_or("", |p| p.text.as_str());
    let (resource, verb, effect) = match (v[0], two) {
        ("get", _) => ("key", "get", Read),
        ("watch", _) => ("key", "watch", Read),
        ("put", _) => ("key", "put", Write),
        ("del", _) => ("key", "del", Destructive),
        ("endpoint", "health" | "status" | "hashkv") => ("endpoint", two, Read),
        ("member", "list") => ("member", "list", Read),
        ("member", "add" | "update" | "promote") => ("member", two, Write),
        ("member", "remove") => ("member", "remove", Destructive),
        ("alarm", "list") => ("alarm", "list", Read),
        ("alarm", "disarm") => ("alarm", "disarm", Destructive),
        ("snapshot", "status") => ("snapshot", "status", Read),
        ("snapshot", "save") => ("snapshot", "save", Write),
        ("defrag", _) => ("cluster", "defrag", Write),
        ("compaction" | "compact", _) => ("cluster", "compact", Write),
        ("move-leader", _) => ("cluster", "move-leader", Write),
        ("check", "perf" | "datascale") => ("cluster", "check", Read),
        ("lease", "list" | "timetolive") => ("lease", two, Read),
        ("lease", "grant" | "keep-alive") => ("lease", two, Write),
        ("lease", "revoke") => ("lease", "revoke", Destructive),
        ("user" | "role", "list" | "get") => (v[0], two, Read),
        ("user" | "role", "add" | "grant-role" | "grant-permission" | "passwd") => (v[0], two, Write),
        ("user" | "role", "delete" | "revoke-role" | "revoke-permission") => (v[0], two, Destructive),
        ("auth", "status") => ("auth", "status", Read),
        ("auth", "enable" | "disable") => ("auth", two, Write),
        ("lock" | "elect", _) => ("cluster", v[0], Write),
        // `txn` reads its operations from the input.
        _ => return Family::Untyped(Destructive),
    };
    let at = if resource == "key" { 1 } else { 2 };
    let mut t = Typed::new(format!("etcd.{resource}.{verb}"), effect);
    if resource == "key" {
        t = t.with("key", s.operand(at)).with(
            "range",
            if s.has(&["--prefix"]) {
                Some("prefix".into())
            } else if s.has(&["--from-key"]) {
                Some("from-key".into())
            } else {
                s.operand(at + 1).filter(|_| verb != "put").map(|_| "range".into())
            },
        );
    }
    if resource == "snapshot" {
        t = t.with("file", s.operand(2));
    }
    if resource == "member" && verb != "list" {
        t = t.with("member", s.operand(2));
    }
    Family::Typed(
        t.with("endpoints", s.value(&["--endpoints"]))
            .with("user", s.value(&["--user"]).map(|u| u.split(':').next().unwrap_or_default().to_string())),
    )
}

/// Terraform's options are single-dash words; these take the next word (or `=VALUE`).
const TERRAFORM_NEXT: &[&str] = &[
    "-var",
    "-var-file",
    "-target",
    "-out",
    "-state",
    "-state-out",
    "-backup",
    "-backend-config",
    "-replace",
    "-chdir",
];

/// The rest: flags, or options written `-name=VALUE`.
const TERRAFORM_FLAGS: &[&str] = &[
    "-auto-approve",
    "-destroy",
    "-refresh-only",
    "-json",
    "-no-color",
    "-compact-warnings",
    "-detailed-exitcode",
    "-raw",
    "-check",
    "-diff",
    "-recursive",
    "-upgrade",
    "-reconfigure",
    "-migrate-state",
    "-force-copy",
    "-help",
    "-h",
    "-input",
    "-lock",
    "-lock-timeout",
    "-refresh",
    "-allow-missing",
    "-ignore-remote-version",
    "-force",
    "-parallelism",
    "-plugin-dir",
    "-from-module",
    "-write",
    "-list",
    "-get",
    "-backend",
    "-id",
    "-config",
    "-test-directory",
    "-generate-config-out",
    "-dry-run",
];

pub(in crate::family) fn terraform<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &Opts { values: TERRAFORM_NEXT, flags: TERRAFORM_FLAGS });
    let v = verbs!(s, 1, "the `terraform` command");
    let two = s.pos.get(1).filter(|p| p.clean && !crate::scope::has_hole(&p.text)).map_or("", |p| p.text.as_str());
    let destroy = s.has(&["-destroy"]);
    let (resource, verb, effect, at) = match v[0] {
        "plan" if s.has(&["-out"]) => ("stack", "plan", Write, 1),
        "plan" | "show" | "output" | "validate" | "providers" | "graph" => ("stack", v[0], Read, 1),
        "fmt" if s.has(&["-check"]) || s.texts(&["-write"]).iter().any(|w| w == "false") => ("stack", "fmt", Read, 1),
        "fmt" => ("stack", "fmt", Write, 1),
        "apply" if destroy => ("stack", "destroy", Destructive, 1),
        "destroy" => ("stack", "destroy", Destructive, 1),
        "init" | "apply" | "import" | "refresh" | "taint" | "untaint" | "get" => ("stack", v[0], Write, 1),
        "force-unlock" => ("stack", "force-unlock", Destructive, 1),
        "state" => match two {
            "list" | "show" | "pull" => ("state", two, Read, 2),
            "mv" | "push" | "replace-provider" => ("state", two, Write, 2),
            "rm" => ("state", "rm", Destructive, 2),
            _ => return Family::Untyped(Exec),
        },
        "workspace" => match two {
            "list" | "show" => ("workspace", two, Read, 2),
            "new" | "select" => ("workspace", two, Write, 2),
            "delete" => ("workspace", "delete", Destructive, 2),
            _ => return Family::Untyped(Exec),
        },
        // `console`, `test`, `login`, a wrapper's own command…
        _ => return Family::Untyped(Exec),
    };
    let address =
        matches!((resource, verb), ("state", "show" | "rm" | "mv") | ("stack", "import" | "taint" | "untaint"));
    let t = Typed::new(format!("terraform.{resource}.{verb}"), effect)
        .with("dir", s.value(&["-chdir"]))
        .with("workspace", s.operand(at).filter(|_| resource == "workspace" && verb != "list" && verb != "show"))
        .with("address", if address { s.operands(at) } else { None })
        .with("target", s.values(&["-target"]))
        .with("plan", s.operand(at).filter(|_| verb == "apply" || (verb == "show" && resource == "stack")))
        .with("var-file", s.values(&["-var-file"]))
        .with("auto-approve", s.has(&["-auto-approve"]).then(|| "true".into()));
    Family::Typed(t)
}

const ARGOCD: Opts = Opts {
    values: &[
        "--server",
        "--auth-token",
        "--config",
        "--grpc-web-root-path",
        "-H",
        "--header",
        "--logformat",
        "--loglevel",
        "--port-forward-namespace",
        "--kube-context",
        "--argocd-context",
        "-o",
        "--output",
        "--revision",
        "--project",
        "-p",
        "--parameter",
        "--local",
        "--resource",
        "--label",
        "-l",
        "--selector",
        "--timeout",
        "--retry-limit",
        "--strategy",
        "--cascade",
        "--propagation-policy",
        "--app-namespace",
        "-N",
        "--client-crt",
        "--client-crt-key",
        "--http-retry-max",
        "--redis-haproxy-name",
        "--repo-server-name",
        "--server-name",
        "--refresh",
    ],
    flags: &[
        "--grpc-web",
        "--insecure",
        "--plaintext",
        "--port-forward",
        "--core",
        "--prune",
        "--dry-run",
        "--force",
        "--async",
        "-y",
        "--yes",
        "--hard-refresh",
        "--apply-out-of-sync-only",
        "--replace",
        "--server-side",
        "--show-operation",
        "--show-params",
        "--health",
        "--sync",
        "--suspended",
        "--degraded",
        "--exit-code",
    ],
};

pub(in crate::family) fn argocd<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &ARGOCD);
    let v = verbs!(s, 1, "the `argocd` command");
    if v[0] == "version" {
        return Family::Typed(Typed::new("argocd.version", Read).with("server", s.value(&["--server"])));
    }
    let v = verbs!(s, 2, "the `argocd` command");
    let (group, verb) = (v[0], v[1]);
    let effect = match (group, verb) {
        ("app" | "appset", "list" | "get" | "diff" | "history" | "manifests" | "resources" | "logs" | "wait") => Read,
        ("app" | "appset", "sync" | "set" | "unset" | "rollback" | "create" | "patch" | "terminate-op" | "actions") => {
            Write
        }
        ("app" | "appset", "delete" | "delete-resource") => Destructive,
        ("cluster" | "repo" | "proj" | "repocreds" | "cert" | "gpg" | "account", "list" | "get" | "get-user-info")
        | ("account", "can-i") => Read,
        ("cluster" | "repo" | "proj" | "repocreds" | "cert" | "gpg", "add" | "set" | "create" | "edit") => Write,
        ("cluster" | "repo" | "proj" | "repocreds" | "cert" | "gpg", "rm" | "delete") => Destructive,
        _ => return Family::Untyped(Exec),
    };
    let effect = if s.has(&["--dry-run"]) && effect == Write { Read } else { effect };
    let t = Typed::new(format!("argocd.{group}.{verb}"), effect)
        .with(if group == "app" { "app" } else { "name" }, s.operand(2))
        .with("project", s.value(&["--project"]))
        .with("server", s.value(&["--server"]))
        .with("context", s.value(&["--argocd-context", "--kube-context"]));
    Family::Typed(t)
}

const FLUX: Opts = Opts {
    values: &[
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--timeout",
        "-l",
        "--label-selector",
        "--kind",
        "--level",
        "--since",
        "--tail",
        "--flux-namespace",
        "--components",
        "--components-extra",
        "--path",
        "--source",
        "--interval",
        "--url",
        "--branch",
        "--tag",
        "--chart",
        "--export",
        "--owner",
        "--repository",
    ],
    flags: &[
        "-A",
        "--all-namespaces",
        "--with-source",
        "--all",
        "--pre",
        "--status-selector",
        "-s",
        "--silent",
        "--verbose",
        "--keep-namespace",
        "--dry-run",
        "--watch",
        "-w",
        "--follow",
        "-f",
        "--no-header",
        "--force",
        "--reset",
    ],
};

/// A flux kind word, as a capability part.
fn flux_kind(k: &str) -> Option<&'static str> {
    Some(match k {
        "kustomization" | "kustomizations" | "ks" => "kustomization",
        "helmrelease" | "helmreleases" | "hr" => "helmrelease",
        "source" | "sources" => "source",
        "alert" | "alerts" => "alert",
        "alert-provider" | "alert-providers" => "alert-provider",
        "receiver" | "receivers" => "receiver",
        "image" | "images" => "image",
        "all" => "all",
        "tenant" => "tenant",
        "artifact" => "artifact",
        "secret" => "secret",
        _ => return None,
    })
}

pub(in crate::family) fn flux<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &FLUX);
    let v = verbs!(s, 1, "the `flux` command");
    let (effect, kinded) = match v[0] {
        "get" | "export" | "tree" | "trace" | "diff" | "events" => (Read, true),
        "check" | "logs" | "stats" | "version" => (Read, false),
        "reconcile" | "suspend" | "resume" | "create" => (Write, true),
        "install" | "bootstrap" => (Write, false),
        "delete" => (Destructive, true),
        "uninstall" => (Destructive, false),
        _ => return Family::Untyped(Exec),
    };
    let effect = if s.has(&["--dry-run"]) && effect != Read { Read } else { effect };
    if !kinded {
        let t = Typed::new(format!("flux.cluster.{}", v[0]), effect);
        return Family::Typed(flux_scope(t, &s));
    }
    let kind = match s.verbs(2) {
        Err(()) => return Family::Hole("the `flux` kind"),
        Ok(Some(k)) => flux_kind(k[1]),
        Ok(None) => None,
    };
    let Some(kind) = kind else { return Family::Untyped(Exec) };
    // `flux get source git NAME`: the source kind, then the name.
    let at = if matches!(kind, "source" | "image" | "alert-provider" | "secret") { 3 } else { 2 };
    let t = Typed::new(format!("flux.{kind}.{}", v[0]), effect)
        .with(
            "kind",
            s.operands(1)
                .map(|_| s.pos[1..at.min(s.pos.len())].iter().map(|p| p.text.clone()).collect::<Vec<_>>().join(" ")),
        )
        .with("name", s.operand(at));
    Family::Typed(flux_scope(t, &s))
}

fn flux_scope<V: Value>(t: Typed, s: &Scan<'_, V>) -> Typed {
    t.with(
        "namespace",
        s.value(&["-n", "--namespace"]).or_else(|| s.has(&["-A", "--all-namespaces"]).then(|| "*".into())),
    )
    .with("context", s.value(&["--context"]))
    .with("kubeconfig", s.value(&["--kubeconfig"]))
}

//! `kubectl …` → `kube.<resource>.<verb>` capabilities with namespace, names or selector.

use serde::Serialize;

use super::args::{self, Opt, flag, valued};
use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// A typed Kubernetes request; the host rebuilds `kubectl`'s argv from it.
#[derive(Clone, Debug, Serialize)]
pub struct KubeCall {
    /// `get`, `describe`, `logs`, `rollout-restart`, `set-image`, …
    pub verb: String,
    pub effect: Effect,
    /// Canonical plural resource names (`deployments`, `pods`).
    pub resources: Vec<String>,
    pub names: Vec<Word>,
    pub selector: Option<Word>,
    /// `None`: the namespace of the operator's current context.
    pub namespace: Option<Word>,
    pub all_namespaces: bool,
    pub options: Vec<(String, Option<Word>)>,
    /// Extra operands: the command of `exec`, `container=image` of `set image`, ports of
    /// `port-forward`.
    pub operands: Vec<Word>,
}

impl KubeCall {
    #[must_use]
    pub fn capability(&self) -> String {
        format!("kube.{}.{}", self.resources.first().map_or("*", String::as_str), self.verb)
    }

    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let ns = if self.all_namespaces {
            "*".to_string()
        } else {
            self.namespace.as_ref().map_or_else(|| "{context}".to_string(), scope_of)
        };
        let mut out = Vec::new();
        for r in &self.resources {
            let ns = if CLUSTER_SCOPED.contains(&r.as_str()) { "(cluster)".to_string() } else { ns.clone() };
            let base = Need::new(format!("kube.{r}.{}", self.verb), self.effect).with("namespace", ns);
            let targeted: Vec<Need> = if let Some(sel) = &self.selector {
                vec![base.clone().with("selector", scope_of(sel))]
            } else if self.names.is_empty() {
                vec![base.clone().with("name", "*")]
            } else {
                self.names.iter().map(|n| base.clone().with("name", scope_of(n))).collect()
            };
            for mut n in targeted {
                match self.verb.as_str() {
                    "exec" => n = n.with("command", self.operands.iter().map(scope_of).collect::<Vec<_>>().join(" ")),
                    "set-image" => {
                        n = n.with("images", self.operands.iter().map(scope_of).collect::<Vec<_>>().join(" "))
                    }
                    "scale" => {
                        if let Some((_, Some(r))) = self.options.iter().find(|(k, _)| k == "replicas") {
                            n = n.with("replicas", scope_of(r));
                        }
                    }
                    "patch" => {
                        if let Some((_, Some(body))) = self.options.iter().find(|(k, _)| k == "patch") {
                            n = n.with("patch", scope_of(body).split_whitespace().collect::<String>());
                        }
                        if let Some((_, Some(t))) = self.options.iter().find(|(k, _)| k == "type") {
                            n = n.with("patch-type", scope_of(t));
                        }
                    }
                    "port-forward" => {
                        n = n.with("ports", self.operands.iter().map(scope_of).collect::<Vec<_>>().join(" "))
                    }
                    _ => {}
                }
                out.push(n);
            }
        }
        out
    }
}

/// Resources that live outside any namespace.
const CLUSTER_SCOPED: &[&str] =
    &["nodes", "namespaces", "clusterrolebindings", "clusterroles", "persistentvolumes", "storageclasses"];

const OPTS: &[Opt] = &[
    valued("namespace", &["-n", "--namespace"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    valued("selector", &["-l", "--selector"]),
    valued("output", &["-o", "--output"]),
    flag("watch", &["-w", "--watch"]),
    flag("watch-only", &["--watch-only"]),
    valued("sort-by", &["--sort-by"]),
    flag("show-labels", &["--show-labels"]),
    valued("label-columns", &["-L", "--label-columns"]),
    valued("field-selector", &["--field-selector"]),
    flag("no-headers", &["--no-headers"]),
    flag("ignore-not-found", &["--ignore-not-found"]),
    flag("show-events", &["--show-events"]),
    valued("tail", &["--tail"]),
    flag("previous", &["-p", "--previous"]),
    valued("since", &["--since"]),
    valued("since-time", &["--since-time"]),
    flag("follow", &["-f", "--follow"]),
    valued("container", &["-c", "--container", "--containers"]),
    flag("all-containers", &["--all-containers"]),
    flag("timestamps", &["--timestamps"]),
    flag("prefix", &["--prefix"]),
    valued("limit-bytes", &["--limit-bytes"]),
    flag("containers-usage", &["--use-protocol-buffers"]),
    valued("for", &["--for"]),
    valued("types", &["--types"]),
    valued("replicas", &["--replicas"]),
    valued("current-replicas", &["--current-replicas"]),
    valued("timeout", &["--timeout"]),
    valued("revision", &["--revision"]),
    valued("to-revision", &["--to-revision"]),
    valued("patch", &["--patch"]),
    valued("type", &["--type"]),
    valued("patch-file", &["--patch-file"]),
    flag("all", &["--all"]),
    valued("limits", &["--limits"]),
    valued("requests", &["--requests"]),
    flag("force", &["--force"]),
    valued("grace-period", &["--grace-period"]),
    flag("now", &["--now"]),
    valued("wait", &["--wait"]),
    flag("stdin", &["-i", "--stdin"]),
    flag("tty", &["-t", "--tty"]),
    valued("address", &["--address"]),
    valued("pod-running-timeout", &["--pod-running-timeout"]),
    valued("filename", &["-f", "--filename"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("dry-run", &["--dry-run"]),
    flag("server-side", &["--server-side"]),
    valued("context", &["--context"]),
    flag("overwrite", &["--overwrite"]),
    flag("ignore-daemonsets", &["--ignore-daemonsets"]),
    flag("delete-emptydir-data", &["--delete-emptydir-data"]),
    flag("record", &["--record"]),
];

/// Canonical plural name of a resource type or one of its short names.
#[must_use]
pub fn canonical_resource(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    let t = t.split('.').next().unwrap_or(&t).to_string();
    let r = match t.as_str() {
        "po" | "pod" | "pods" => "pods",
        "deploy" | "deployment" | "deployments" => "deployments",
        "rs" | "replicaset" | "replicasets" => "replicasets",
        "sts" | "statefulset" | "statefulsets" => "statefulsets",
        "ds" | "daemonset" | "daemonsets" => "daemonsets",
        "svc" | "service" | "services" => "services",
        "cm" | "configmap" | "configmaps" => "configmaps",
        "secret" | "secrets" => "secrets",
        "no" | "node" | "nodes" => "nodes",
        "ns" | "namespace" | "namespaces" => "namespaces",
        "ev" | "event" | "events" => "events",
        "ing" | "ingress" | "ingresses" => "ingresses",
        "sa" | "serviceaccount" | "serviceaccounts" => "serviceaccounts",
        "rolebinding" | "rolebindings" => "rolebindings",
        "clusterrolebinding" | "clusterrolebindings" => "clusterrolebindings",
        "role" | "roles" => "roles",
        "clusterrole" | "clusterroles" => "clusterroles",
        "quota" | "resourcequota" | "resourcequotas" => "resourcequotas",
        "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => "horizontalpodautoscalers",
        "job" | "jobs" => "jobs",
        "cj" | "cronjob" | "cronjobs" => "cronjobs",
        "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => "persistentvolumeclaims",
        "pv" | "persistentvolume" | "persistentvolumes" => "persistentvolumes",
        "ep" | "endpoints" => "endpoints",
        "all" => "all",
        other => return other.to_string(),
    };
    r.to_string()
}

struct Verb {
    name: &'static str,
    verb: &'static str,
    effect: Effect,
    /// Resource used when the command names none (`logs POD` reads pods).
    default_resource: Option<&'static str>,
}

const VERBS: &[Verb] = &[
    Verb { name: "get", verb: "get", effect: Effect::Read, default_resource: None },
    Verb { name: "describe", verb: "describe", effect: Effect::Read, default_resource: None },
    Verb { name: "logs", verb: "logs", effect: Effect::Read, default_resource: Some("pods") },
    Verb { name: "top", verb: "top", effect: Effect::Read, default_resource: None },
    Verb { name: "events", verb: "list", effect: Effect::Read, default_resource: Some("events") },
    Verb { name: "scale", verb: "scale", effect: Effect::Write, default_resource: None },
    Verb { name: "patch", verb: "patch", effect: Effect::Write, default_resource: None },
    Verb { name: "delete", verb: "delete", effect: Effect::Destructive, default_resource: None },
    Verb { name: "exec", verb: "exec", effect: Effect::Exec, default_resource: Some("pods") },
    Verb { name: "port-forward", verb: "port-forward", effect: Effect::Read, default_resource: Some("pods") },
    Verb { name: "edit", verb: "edit", effect: Effect::Write, default_resource: None },
    Verb { name: "apply", verb: "apply", effect: Effect::Write, default_resource: Some("*") },
    Verb { name: "create", verb: "create", effect: Effect::Write, default_resource: None },
    Verb { name: "label", verb: "label", effect: Effect::Write, default_resource: None },
    Verb { name: "annotate", verb: "annotate", effect: Effect::Write, default_resource: None },
    Verb { name: "cordon", verb: "cordon", effect: Effect::Write, default_resource: Some("nodes") },
    Verb { name: "uncordon", verb: "uncordon", effect: Effect::Write, default_resource: Some("nodes") },
    Verb { name: "drain", verb: "drain", effect: Effect::Destructive, default_resource: Some("nodes") },
];

/// `kubectl ARGS…`
#[allow(clippy::too_many_lines)]
pub fn classify(cx: &mut Cx<'_, '_>, args: &[Word]) -> Action {
    let Some(first) = args.first().and_then(Word::literal) else {
        return cx.missing(
            cx.span,
            "`kubectl` needs a command",
            "kubectl get|describe|logs|scale|rollout|patch|set|delete|exec …",
        );
    };
    let (verb, effect, default_resource, rest) = match first.as_str() {
        "rollout" => {
            let sub = args.get(1).and_then(Word::literal).unwrap_or_default();
            let (v, e) = match sub.as_str() {
                "status" => ("rollout-status", Effect::Read),
                "history" => ("rollout-history", Effect::Read),
                "restart" => ("rollout-restart", Effect::Write),
                "undo" => ("rollout-undo", Effect::Write),
                "pause" => ("rollout-pause", Effect::Write),
                "resume" => ("rollout-resume", Effect::Write),
                _ => {
                    return cx.missing(
                        args.get(1).map_or(cx.span, |w| w.span),
                        format!("`kubectl rollout {sub}` is not a rollout command"),
                        "kubectl rollout status|history|restart|undo|pause|resume",
                    );
                }
            };
            (v.to_string(), e, None, &args[2.min(args.len())..])
        }
        "set" => {
            let sub = args.get(1).and_then(Word::literal).unwrap_or_default();
            let v = match sub.as_str() {
                "image" => "set-image",
                "resources" => "set-resources",
                "env" => "set-env",
                _ => {
                    return cx.missing(
                        args.get(1).map_or(cx.span, |w| w.span),
                        format!("`kubectl set {sub}` is not supported"),
                        "kubectl set image|resources|env",
                    );
                }
            };
            (v.to_string(), Effect::Write, None, &args[2.min(args.len())..])
        }
        name => match VERBS.iter().find(|v| v.name == name) {
            Some(v) => (v.verb.to_string(), v.effect, v.default_resource, &args[1..]),
            None => {
                return cx.missing(args[0].span, format!("`kubectl {name}` is not a kubectl command playbook knows"), "known: get, describe, logs, top, events, scale, rollout, patch, set, delete, exec, port-forward, edit, apply, label, annotate, cordon, drain");
            }
        },
    };
    // `-p` is `--previous` for logs but the body for patch; `-f` is `--follow` or `--filename`.
    let opts: Vec<Opt> = OPTS
        .iter()
        .map(|o| match (verb.as_str(), o.key) {
            ("patch", "previous") => valued("patch", &["-p", "--patch"]),
            // `set resources` spells it in the plural.
            ("set-resources", "container") => valued("container", &["-c", "--containers"]),
            ("apply" | "create" | "delete", "follow") => valued("filename", &["-f", "--filename"]),
            _ => *o,
        })
        .collect();
    let parsed = match args::parse(&opts, rest, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error("kubectl", &e),
    };
    if parsed.value("context").is_some() {
        cx.warn(
            Diagnostic::warning(
                Kind::UnknownOption,
                cx.span,
                "`--context` switches cluster: the manifest records it, and the operator's policy must allow it",
            )
            .with_label("other cluster"),
        );
    }
    let mut positional = parsed.positional.clone();
    let mut operands = parsed.rest.clone().unwrap_or_default();
    let mut resources = Vec::new();
    let mut names = Vec::new();
    // TYPE/NAME, TYPE NAME…, or TYPE1,TYPE2.
    if default_resource == Some("pods") && positional.first().is_some_and(|w| !w.literal_prefix().contains('/')) {
        if let Some(n) = (!positional.is_empty()).then(|| positional.remove(0)) {
            names.push(n);
        }
        resources.push("pods".to_string());
    } else if let Some(first) = positional.first().cloned() {
        let text = first.literal_prefix();
        if let Some((t, _)) = text.split_once('/') {
            resources.push(canonical_resource(t));
            names.push(super::args::suffix(&first, t.len() + 1));
            positional.remove(0);
        } else if first.is_static() && !matches!(verb.as_str(), "events") {
            resources.extend(text.split(',').map(canonical_resource));
            positional.remove(0);
            if !matches!(verb.as_str(), "set-image" | "set-env" | "port-forward" | "exec") {
                names.append(&mut positional);
            }
        }
    }
    if resources.is_empty() {
        match default_resource {
            Some(r) => resources.push(r.to_string()),
            None if verb == "top" => {
                return cx.missing(cx.span, "`kubectl top` needs `pods` or `nodes`", "kubectl top pods -l app=x");
            }
            None => {
                return cx.missing(
                    cx.span,
                    format!("`kubectl {first}` needs a resource type"),
                    "for example: kubectl get deployment NAME",
                );
            }
        }
    }
    if matches!(verb.as_str(), "exec" | "set-image" | "set-env" | "port-forward") {
        // Remaining positionals are operands (`c=image`, `8080:80`); the first may be the name.
        if names.is_empty() && !positional.is_empty() {
            names.push(positional.remove(0));
        }
        let mut p = positional;
        p.append(&mut operands);
        operands = p;
    } else if !positional.is_empty() {
        names.append(&mut positional);
    }
    let selector = parsed.value("selector").cloned();
    let mut effect = effect;
    // Mode: interactive and unbounded forms.
    if verb == "edit" {
        cx.manual(cx.span, "`kubectl edit` opens an editor");
    }
    if verb == "exec" && (parsed.has("stdin") || parsed.has("tty")) {
        cx.manual(cx.span, "`kubectl exec -it` attaches a terminal");
    }
    if verb == "exec" && operands.is_empty() {
        return cx.missing(cx.span, "`kubectl exec` needs a command after `--`", "kubectl exec POD -- COMMAND");
    }
    if parsed.has("watch") || parsed.has("watch-only") {
        let explicit_off = parsed.value("watch").is_some();
        if !explicit_off {
            cx.bounded(cx.span, "`-w` watches until interrupted");
        }
    }
    if parsed.has("follow") {
        cx.bounded(cx.span, "`logs -f` follows until interrupted");
    }
    if verb == "port-forward" {
        cx.bounded(cx.span, "`port-forward` runs until stopped");
    }
    if verb == "scale" {
        match parsed.lit("replicas") {
            Some(r) if r == "0" => effect = Effect::Destructive,
            Some(_) => {}
            None if parsed.value("replicas").is_some() => {}
            None => {
                return cx.missing(
                    cx.span,
                    "`kubectl scale` needs `--replicas`",
                    "kubectl scale deployment NAME --replicas=N",
                );
            }
        }
    }
    if verb == "patch" && parsed.value("patch").is_none() && parsed.value("patch-file").is_none() {
        return cx.missing(
            cx.span,
            "`kubectl patch` needs a patch body (`-p`)",
            "kubectl patch deployment NAME -p '{…}'",
        );
    }
    if names.is_empty()
        && selector.is_none()
        && !parsed.has("all")
        && matches!(effect, Effect::Write | Effect::Destructive | Effect::Exec)
        && verb != "apply"
    {
        return cx.missing(
            cx.span,
            format!("`kubectl {first}` changes objects but names none"),
            "name the object (deployment/NAME) or give a selector (-l app=x)",
        );
    }
    Action::Kube(KubeCall {
        verb,
        effect,
        resources,
        names,
        selector,
        namespace: parsed.value("namespace").cloned(),
        all_namespaces: parsed.has("all-namespaces"),
        options: parsed
            .opts
            .iter()
            .filter(|(k, _)| !matches!(*k, "namespace" | "selector" | "all-namespaces"))
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
        operands,
    })
}

/// The `kubectl` argv (without `kubectl`) of a typed request, rebuilt from the option table that
/// parsed the runbook. The operator's kubeconfig and current context apply; `--context`,
/// `--stdin` and `--tty` are refused (another cluster, a terminal).
///
/// # Errors
/// An unknown verb, an undeclared or refused option, or an operand read as an option.
#[allow(clippy::too_many_arguments)]
pub fn argv(
    verb: &str,
    resources: &[String],
    names: &[String],
    selector: &str,
    namespace: &str,
    all_namespaces: bool,
    options: &[(String, String)],
    operands: &[String],
) -> Result<Vec<String>, String> {
    args::plain_operands("name", names)?;
    args::plain_operands("resource", resources)?;
    let mut out: Vec<String> = match verb {
        "list" => vec!["events".into()],
        _ => match verb.split_once('-') {
            Some((group @ ("rollout" | "set"), sub)) => vec![group.into(), sub.into()],
            _ if VERBS.iter().any(|v| v.verb == verb) => vec![verb.into()],
            _ => return Err(format!("unknown kubectl verb `{verb}`")),
        },
    };
    let pod_first = matches!(verb, "logs" | "exec" | "port-forward");
    let one_object = pod_first || verb.starts_with("set-");
    match (resources, names) {
        (_, _) if verb == "list" => {}
        // `logs -l app=x`: the pods come from the selector.
        ([r], []) if pod_first && r == "pods" => {}
        ([r], [n]) if pod_first && r == "pods" => out.push(n.clone()),
        ([r], [n]) if one_object => out.push(format!("{r}/{n}")),
        (_, _) if one_object && names.len() > 1 => return Err(format!("`{verb}` acts on one object")),
        ([r], _) if verb == "apply" && r == "*" => {}
        _ => {
            out.push(resources.join(","));
            out.extend(names.iter().cloned());
        }
    }
    if !namespace.is_empty() {
        args::plain_operands("namespace", [&namespace.to_string()])?;
        out.push(format!("--namespace={namespace}"));
    }
    if all_namespaces {
        out.push("--all-namespaces".into());
    }
    if !selector.is_empty() {
        out.push(format!("--selector={selector}"));
    }
    let table: Vec<Opt> = OPTS
        .iter()
        .map(|o| match (verb, o.key) {
            ("patch", "previous") => valued("patch", &["-p", "--patch"]),
            // `set resources` spells it in the plural.
            ("set-resources", "container") => valued("container", &["-c", "--containers"]),
            ("apply" | "create" | "delete", "follow") => valued("filename", &["-f", "--filename"]),
            _ => *o,
        })
        .collect();
    out.extend(args::unparse(
        &table,
        options,
        &["context", "stdin", "tty", "namespace", "selector", "all-namespaces"],
    )?);
    if verb == "exec" {
        if operands.is_empty() {
            return Err("`exec` needs a command".into());
        }
        out.push("--".into());
        out.extend(operands.iter().cloned());
    } else {
        args::plain_operands("operand", operands)?;
        out.extend(operands.iter().cloned());
    }
    Ok(out)
}

#[cfg(test)]
mod argv_tests {
    use super::argv;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    fn o(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(k, x)| ((*k).to_string(), (*x).to_string())).collect()
    }

    #[test]
    fn rebuilds_kubectl_commands() {
        let a = |verb: &str, r: &[&str], n: &[&str], sel: &str, ns: &str, opts: &[(&str, &str)], ops: &[&str]| {
            argv(verb, &s(r), &s(n), sel, ns, false, &o(opts), &s(ops)).unwrap().join(" ")
        };
        assert_eq!(
            a("get", &["pods"], &[], "app=web", "prod", &[], &[]),
            "get pods --namespace=prod --selector=app=web"
        );
        assert_eq!(
            a("logs", &["pods"], &["web-1"], "", "prod", &[("previous", ""), ("tail", "50")], &[]),
            "logs web-1 --namespace=prod --previous --tail=50"
        );
        assert_eq!(
            a("rollout-undo", &["deployments"], &["web"], "", "", &[("to-revision", "2")], &[]),
            "rollout undo deployments web --to-revision=2"
        );
        assert_eq!(
            a("set-image", &["deployments"], &["web"], "", "", &[], &["web=nginx:1"]),
            "set image deployments/web web=nginx:1"
        );
        assert_eq!(
            a("patch", &["deployments"], &["web"], "", "", &[("type", "json"), ("patch", "[{\"op\": 1}]")], &[]),
            "patch deployments web --type=json --patch=[{\"op\": 1}]"
        );
        assert_eq!(a("exec", &["pods"], &["db"], "", "", &[], &["psql", "-c", "x"]), "exec db -- psql -c x");
        assert_eq!(
            a("set-resources", &["deployments"], &["web"], "", "", &[("container", "app"), ("limits", "cpu=1")], &[]),
            "set resources deployments/web --containers=app --limits=cpu=1"
        );
        assert_eq!(a("list", &["events"], &[], "", "prod", &[], &[]), "events --namespace=prod");
        assert_eq!(
            a("logs", &["pods"], &[], "app=web", "shop", &[("tail", "50")], &[]),
            "logs --namespace=shop --selector=app=web --tail=50"
        );
    }

    #[test]
    fn refuses_other_clusters_terminals_and_option_like_operands() {
        let r = |verb: &str, n: &[&str], opts: &[(&str, &str)]| {
            argv(verb, &s(&["pods"]), &s(n), "", "", false, &o(opts), &[]).is_err()
        };
        assert!(r("get", &["web"], &[("context", "prod")]));
        assert!(r("get", &["--kubeconfig=/x"], &[]));
        assert!(r("get", &["web"], &[("token", "x")]));
        assert!(r("drop", &["web"], &[]));
    }
}

//! Kubernetes: `kubectl …` as typed requests. The host runs the real `kubectl` with the
//! operator's kubeconfig and the argv `KubeRequest::argv` rebuilds; the scope holds the namespace,
//! the objects, every option and every operand.

use crate::effect::Effect;
use crate::options::{self, Opt, Setting, flag, valued};
use crate::scope::Need;
use crate::value::{Value, quoted_list};

named_enum! {
    /// What a Kubernetes request does.
    pub enum KubeVerb {
        Get = "get",
        Describe = "describe",
        Logs = "logs",
        Top = "top",
        Events = "list",
        Scale = "scale",
        Patch = "patch",
        Delete = "delete",
        Exec = "exec",
        PortForward = "port-forward",
        Edit = "edit",
        Apply = "apply",
        Create = "create",
        Label = "label",
        Annotate = "annotate",
        Cordon = "cordon",
        Uncordon = "uncordon",
        Drain = "drain",
        RolloutStatus = "rollout-status",
        RolloutHistory = "rollout-history",
        RolloutRestart = "rollout-restart",
        RolloutUndo = "rollout-undo",
        RolloutPause = "rollout-pause",
        RolloutResume = "rollout-resume",
        SetImage = "set-image",
        SetResources = "set-resources",
        SetEnv = "set-env",
    }
}

/// A top-level `kubectl` verb: its spelling, request verb, effect and the resource it acts on
/// when the command names none (`logs POD` reads pods).
#[derive(Debug)]
pub struct Verb {
    pub name: &'static str,
    pub verb: KubeVerb,
    pub effect: Effect,
    pub default_resource: Option<&'static str>,
}

pub const VERBS: &[Verb] = &[
    Verb { name: "get", verb: KubeVerb::Get, effect: Effect::Read, default_resource: None },
    Verb { name: "describe", verb: KubeVerb::Describe, effect: Effect::Read, default_resource: None },
    Verb { name: "logs", verb: KubeVerb::Logs, effect: Effect::Read, default_resource: Some("pods") },
    Verb { name: "top", verb: KubeVerb::Top, effect: Effect::Read, default_resource: None },
    Verb { name: "events", verb: KubeVerb::Events, effect: Effect::Read, default_resource: Some("events") },
    Verb { name: "scale", verb: KubeVerb::Scale, effect: Effect::Write, default_resource: None },
    Verb { name: "patch", verb: KubeVerb::Patch, effect: Effect::Write, default_resource: None },
    Verb { name: "delete", verb: KubeVerb::Delete, effect: Effect::Destructive, default_resource: None },
    Verb { name: "exec", verb: KubeVerb::Exec, effect: Effect::Exec, default_resource: Some("pods") },
    Verb { name: "port-forward", verb: KubeVerb::PortForward, effect: Effect::Read, default_resource: Some("pods") },
    Verb { name: "edit", verb: KubeVerb::Edit, effect: Effect::Write, default_resource: None },
    Verb { name: "apply", verb: KubeVerb::Apply, effect: Effect::Write, default_resource: Some("*") },
    Verb { name: "create", verb: KubeVerb::Create, effect: Effect::Write, default_resource: None },
    Verb { name: "label", verb: KubeVerb::Label, effect: Effect::Write, default_resource: None },
    Verb { name: "annotate", verb: KubeVerb::Annotate, effect: Effect::Write, default_resource: None },
    Verb { name: "cordon", verb: KubeVerb::Cordon, effect: Effect::Write, default_resource: Some("nodes") },
    Verb { name: "uncordon", verb: KubeVerb::Uncordon, effect: Effect::Write, default_resource: Some("nodes") },
    Verb { name: "drain", verb: KubeVerb::Drain, effect: Effect::Destructive, default_resource: Some("nodes") },
];

/// `kubectl rollout SUB` and `kubectl set SUB`.
pub const SUBVERBS: &[(&str, &str, KubeVerb, Effect)] = &[
    ("rollout", "status", KubeVerb::RolloutStatus, Effect::Read),
    ("rollout", "history", KubeVerb::RolloutHistory, Effect::Read),
    ("rollout", "restart", KubeVerb::RolloutRestart, Effect::Write),
    ("rollout", "undo", KubeVerb::RolloutUndo, Effect::Write),
    ("rollout", "pause", KubeVerb::RolloutPause, Effect::Write),
    ("rollout", "resume", KubeVerb::RolloutResume, Effect::Write),
    ("set", "image", KubeVerb::SetImage, Effect::Write),
    ("set", "resources", KubeVerb::SetResources, Effect::Write),
    ("set", "env", KubeVerb::SetEnv, Effect::Write),
];

/// Resources that live outside any namespace.
pub const CLUSTER_SCOPED: &[&str] =
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
    valued("container", &["-c", "--container"]),
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

/// Options the host never passes: another cluster, a terminal, and the typed fields.
pub const REFUSED: &[&str] = &["context", "stdin", "tty", "namespace", "selector", "all-namespaces"];

/// The option table of a verb: `-p` is `--previous` for logs but the body for patch, `-f` is
/// `--follow` or `--filename`, and `set resources` spells `--containers` in the plural.
#[must_use]
pub fn table(verb: KubeVerb) -> Vec<Opt> {
    OPTS.iter()
        .map(|o| match (verb, o.key) {
            (KubeVerb::Patch, "previous") => valued("patch", &["-p", "--patch"]),
            (KubeVerb::SetResources, "container") => valued("container", &["-c", "--containers"]),
            (KubeVerb::Apply | KubeVerb::Create | KubeVerb::Delete, "follow") => {
                valued("filename", &["-f", "--filename"])
            }
            _ => *o,
        })
        .collect()
}

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

impl KubeVerb {
    /// The effect a verb has before its arguments are seen.
    #[must_use]
    pub fn base_effect(self) -> Effect {
        VERBS
            .iter()
            .find(|v| v.verb == self)
            .map(|v| v.effect)
            .or_else(|| SUBVERBS.iter().find(|s| s.2 == self).map(|s| s.3))
            .unwrap_or(Effect::Exec)
    }

    /// The words `kubectl` is given for it.
    #[must_use]
    pub fn words(self) -> Vec<&'static str> {
        if let Some((group, sub, ..)) = SUBVERBS.iter().find(|s| s.2 == self) {
            return vec![group, sub];
        }
        VERBS.iter().find(|v| v.verb == self).map_or_else(Vec::new, |v| vec![v.name])
    }

    /// What the operands after the object are called in a scope.
    fn operands_key(self) -> &'static str {
        match self {
            Self::Exec => "command",
            Self::SetImage => "images",
            Self::PortForward => "ports",
            _ => "operands",
        }
    }
}

/// A typed Kubernetes request. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KubeRequest<V> {
    pub verb: KubeVerb,
    /// Canonical plural resource names (`deployments`, `pods`).
    pub resources: Vec<String>,
    pub names: Vec<V>,
    pub selector: Option<V>,
    /// `None`: the namespace of the operator's current context.
    pub namespace: Option<V>,
    pub all_namespaces: bool,
    /// Declared options (not the namespace or selector), in table order.
    pub options: Vec<Setting<V>>,
    /// The command of `exec`, `container=image` of `set image`, ports of `port-forward`.
    pub operands: Vec<V>,
    /// Streamed for at most this many seconds (`-w`, `logs -f`, `port-forward`).
    pub bound: Option<u32>,
    /// Started with `&` (a `port-forward` the next commands use).
    pub background: bool,
}

impl<V: Value> KubeRequest<V> {
    #[must_use]
    pub fn new(verb: KubeVerb) -> Self {
        Self {
            verb,
            resources: Vec::new(),
            names: Vec::new(),
            selector: None,
            namespace: None,
            all_namespaces: false,
            options: Vec::new(),
            operands: Vec::new(),
            bound: None,
            background: false,
        }
    }

    fn value(&self, key: &str) -> Option<&V> {
        self.options.iter().rev().find(|s| s.key == key).and_then(|s| s.value.as_ref())
    }

    /// The capability of its first resource: `kube.deployments.scale`.
    #[must_use]
    pub fn capability(&self) -> String {
        format!("kube.{}.{}", self.resources.first().map_or("*", String::as_str), self.verb)
    }

    /// What the request changes: scaling to zero replicas is destructive.
    #[must_use]
    pub fn effect(&self) -> Effect {
        if self.verb == KubeVerb::Scale && self.value("replicas").and_then(Value::literal).as_deref() == Some("0") {
            return Effect::Destructive;
        }
        self.verb.base_effect()
    }

    /// What the request needs: one need per resource and object (or selector).
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let ns = if self.all_namespaces {
            "*".to_string()
        } else {
            self.namespace.as_ref().map_or_else(|| "{context}".to_string(), Value::template)
        };
        let table = table(self.verb);
        let mut rest = options::scope_of(&table, &self.options);
        if !self.operands.is_empty() || self.verb == KubeVerb::Exec {
            rest.push((self.verb.operands_key().to_string(), quoted_list(&self.operands)));
        }
        let mut out = Vec::new();
        for r in &self.resources {
            let ns = if CLUSTER_SCOPED.contains(&r.as_str()) { "(cluster)".to_string() } else { ns.clone() };
            let base = Need::new(format!("kube.{r}.{}", self.verb), self.effect()).with("namespace", ns);
            let targeted: Vec<Need> = if let Some(sel) = &self.selector {
                vec![base.clone().with("selector", sel.template())]
            } else if self.names.is_empty() {
                vec![base.clone().with("name", "*")]
            } else {
                self.names.iter().map(|n| base.clone().with("name", n.template())).collect()
            };
            for mut n in targeted {
                n.scope.extend(rest.iter().cloned());
                out.push(n);
            }
        }
        out
    }
}

impl KubeRequest<String> {
    /// The `kubectl` argv (without `kubectl`). The operator's kubeconfig and current context
    /// apply; `--context`, `--stdin` and `--tty` are refused (another cluster, a terminal).
    ///
    /// # Errors
    /// An undeclared or refused option, a verb given the wrong objects, or an operand read as an
    /// option.
    pub fn argv(&self) -> Result<Vec<String>, String> {
        let verb = self.verb;
        options::plain_operands("name", &self.names)?;
        options::plain_operands("resource", &self.resources)?;
        if self.resources.is_empty() {
            return Err(format!("`{verb}` names no resource"));
        }
        let mut out: Vec<String> = verb.words().into_iter().map(str::to_string).collect();
        let pod_first = matches!(verb, KubeVerb::Logs | KubeVerb::Exec | KubeVerb::PortForward);
        let one_object = pod_first || matches!(verb, KubeVerb::SetImage | KubeVerb::SetResources | KubeVerb::SetEnv);
        match (self.resources.as_slice(), self.names.as_slice()) {
            (_, _) if verb == KubeVerb::Events => {}
            // `logs -l app=x`: the pods come from the selector.
            ([r], []) if pod_first && r == "pods" => {}
            ([r], [n]) if pod_first && r == "pods" => out.push(n.clone()),
            ([r], [n]) if one_object => out.push(format!("{r}/{n}")),
            (_, _) if one_object && self.names.len() > 1 => return Err(format!("`{verb}` acts on one object")),
            ([r], _) if verb == KubeVerb::Apply && r == "*" => {}
            _ => {
                out.push(self.resources.join(","));
                out.extend(self.names.iter().cloned());
            }
        }
        if let Some(ns) = &self.namespace {
            options::plain_operands("namespace", [ns])?;
            out.push(format!("--namespace={ns}"));
        }
        if self.all_namespaces {
            out.push("--all-namespaces".into());
        }
        if let Some(sel) = &self.selector {
            out.push(format!("--selector={sel}"));
        }
        out.extend(options::unparse(&table(verb), &self.options, REFUSED)?);
        if verb == KubeVerb::Exec {
            if self.operands.is_empty() {
                return Err("`exec` needs a command".into());
            }
            out.push("--".into());
            out.extend(self.operands.iter().cloned());
        } else {
            options::plain_operands("operand", &self.operands)?;
            out.extend(self.operands.iter().cloned());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    fn a(
        verb: KubeVerb,
        r: &[&str],
        n: &[&str],
        sel: &str,
        ns: &str,
        options: &[(&str, Option<&str>)],
        operands: &[&str],
    ) -> Result<String, String> {
        let mut k = KubeRequest::new(verb);
        k.resources = s(r);
        k.names = s(n);
        k.selector = (!sel.is_empty()).then(|| sel.to_string());
        k.namespace = (!ns.is_empty()).then(|| ns.to_string());
        k.options =
            options.iter().map(|(k, v)| Setting { key: (*k).to_string(), value: v.map(str::to_string) }).collect();
        k.operands = s(operands);
        k.argv().map(|v| v.join(" "))
    }

    #[test]
    fn rebuilds_kubectl_commands() {
        assert_eq!(
            a(KubeVerb::Get, &["pods"], &[], "app=web", "prod", &[], &[]).unwrap(),
            "get pods --namespace=prod --selector=app=web"
        );
        assert_eq!(
            a(KubeVerb::Logs, &["pods"], &["web-1"], "", "prod", &[("previous", None), ("tail", Some("50"))], &[])
                .unwrap(),
            "logs web-1 --namespace=prod --previous --tail=50"
        );
        assert_eq!(
            a(KubeVerb::RolloutUndo, &["deployments"], &["web"], "", "", &[("to-revision", Some("2"))], &[]).unwrap(),
            "rollout undo deployments web --to-revision=2"
        );
        assert_eq!(
            a(KubeVerb::SetImage, &["deployments"], &["web"], "", "", &[], &["web=nginx:1"]).unwrap(),
            "set image deployments/web web=nginx:1"
        );
        assert_eq!(
            a(KubeVerb::Exec, &["pods"], &["db"], "", "", &[], &["psql", "-c", "x"]).unwrap(),
            "exec db -- psql -c x"
        );
        assert_eq!(
            a(
                KubeVerb::SetResources,
                &["deployments"],
                &["web"],
                "",
                "",
                &[("container", Some("app")), ("limits", Some("cpu=1"))],
                &[]
            )
            .unwrap(),
            "set resources deployments/web --containers=app --limits=cpu=1"
        );
        assert_eq!(a(KubeVerb::Events, &["events"], &[], "", "prod", &[], &[]).unwrap(), "events --namespace=prod");
    }

    #[test]
    fn refuses_other_clusters_terminals_and_option_like_operands() {
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("context", Some("prod"))], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["--kubeconfig=/x"], "", "", &[], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("token", Some("x"))], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("replicas", None)], &[]).is_err());
    }

    #[test]
    fn scope_holds_options_and_scale_to_zero_is_destructive() {
        let mut k = KubeRequest::new(KubeVerb::Scale);
        k.resources = s(&["deployments"]);
        k.names = s(&["web"]);
        k.options = vec![Setting::valued("replicas", "0".to_string())];
        let n = &k.needs()[0];
        assert_eq!(n.effect, Effect::Destructive);
        assert_eq!(n.get("--replicas"), Some("0"));
        assert_eq!(n.get("namespace"), Some("{context}"));
    }
}

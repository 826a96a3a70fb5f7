//! Kubernetes: `kubectl …` and `oc …` as typed requests. The host runs the real client with the
//! operator's kubeconfig and the argv `KubeRequest::argv` rebuilds; the scope holds the namespace,
//! the objects, every option and every operand. A command with an option the tables do not
//! declare keeps its exact words (`literal`): the scope shows them and the host passes them as
//! they are, after checking its verb and that none changes the cluster or the trust.

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
        Explain = "explain",
        ApiResources = "api-resources",
        ApiVersions = "api-versions",
        AuthCanI = "auth-can-i",
        Version = "version",
        ClusterInfo = "cluster-info",
        ClusterInfoDump = "cluster-info-dump",
        ConfigView = "config-view",
        ConfigGetContexts = "config-get-contexts",
        ConfigCurrentContext = "config-current-context",
        Replace = "replace",
        Taint = "taint",
        Cp = "cp",
        Debug = "debug",
        Wait = "wait",
        Project = "project",
    }
}

named_enum! {
    /// Which client runs the request: `oc` is `kubectl` with the additions of Red Hat's distribution.
    pub enum KubeClient {
        Kubectl = "kubectl",
        Oc = "oc",
    }
}

/// What the words after a verb name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objects {
    /// `TYPE NAME…`, `TYPE/NAME`, `TYPE1,TYPE2` (or `-f FILE` where the default is `*`).
    Typed,
    /// A pod by its bare name, or `TYPE/NAME` (`logs`, `exec`, `port-forward`, `debug`).
    Pod,
    /// Node names (`cordon`, `drain`).
    Node,
    /// No objects: the positionals are operands (`explain pods.spec`, `auth can-i get pods`).
    None,
    /// `kubectl cp SRC DST`, one side `[NAMESPACE/]POD:PATH`.
    Copy,
}

/// A `kubectl` verb: its words, request verb, effect, what it acts on, the resource its
/// capability names when the command names none, and its own options (the global ones are
/// added by `table`).
#[derive(Debug)]
pub struct Verb {
    /// The first word (`rollout` of `rollout status`).
    pub name: &'static str,
    pub words: &'static [&'static str],
    pub verb: KubeVerb,
    pub effect: Effect,
    pub objects: Objects,
    pub default_resource: Option<&'static str>,
    pub opts: &'static [Opt],
}

const fn verb(
    words: &'static [&'static str],
    verb: KubeVerb,
    effect: Effect,
    objects: Objects,
    default_resource: Option<&'static str>,
    opts: &'static [Opt],
) -> Verb {
    Verb { name: words[0], words, verb, effect, objects, default_resource, opts }
}

use Effect::{Destructive, Exec as Run, Read, Write};
use Objects::{Node, Pod, Typed};

/// Every verb playbook types. Longer spellings first, so `cluster-info dump` is found before
/// `cluster-info`.
pub const VERBS: &[Verb] = &[
    verb(&["get"], KubeVerb::Get, Read, Typed, None, GET),
    verb(&["describe"], KubeVerb::Describe, Read, Typed, None, DESCRIBE),
    verb(&["logs"], KubeVerb::Logs, Read, Pod, Some("pods"), LOGS),
    verb(&["top"], KubeVerb::Top, Read, Typed, None, TOP),
    verb(&["adm", "top"], KubeVerb::Top, Read, Typed, None, TOP),
    verb(&["events"], KubeVerb::Events, Read, Objects::None, Some("events"), EVENTS),
    verb(&["scale"], KubeVerb::Scale, Write, Typed, None, SCALE),
    verb(&["patch"], KubeVerb::Patch, Write, Typed, None, PATCH),
    verb(&["delete"], KubeVerb::Delete, Destructive, Typed, None, DELETE),
    verb(&["exec"], KubeVerb::Exec, Run, Pod, Some("pods"), EXEC),
    verb(&["port-forward"], KubeVerb::PortForward, Read, Pod, Some("pods"), PORT_FORWARD),
    verb(&["edit"], KubeVerb::Edit, Write, Typed, None, EDIT),
    verb(&["apply"], KubeVerb::Apply, Write, Typed, Some("*"), APPLY),
    verb(&["create"], KubeVerb::Create, Write, Typed, Some("*"), CREATE),
    verb(&["label"], KubeVerb::Label, Write, Typed, None, LABEL),
    verb(&["annotate"], KubeVerb::Annotate, Write, Typed, None, ANNOTATE),
    verb(&["cordon"], KubeVerb::Cordon, Write, Node, Some("nodes"), CORDON),
    verb(&["adm", "cordon"], KubeVerb::Cordon, Write, Node, Some("nodes"), CORDON),
    verb(&["adm", "uncordon"], KubeVerb::Uncordon, Write, Node, Some("nodes"), CORDON),
    verb(&["adm", "drain"], KubeVerb::Drain, Destructive, Node, Some("nodes"), DRAIN),
    verb(&["adm", "taint"], KubeVerb::Taint, Write, Typed, None, TAINT),
    verb(&["uncordon"], KubeVerb::Uncordon, Write, Node, Some("nodes"), CORDON),
    verb(&["drain"], KubeVerb::Drain, Destructive, Node, Some("nodes"), DRAIN),
    verb(&["rollout", "status"], KubeVerb::RolloutStatus, Read, Typed, None, ROLLOUT_STATUS),
    verb(&["rollout", "history"], KubeVerb::RolloutHistory, Read, Typed, None, ROLLOUT_HISTORY),
    verb(&["rollout", "restart"], KubeVerb::RolloutRestart, Write, Typed, None, ROLLOUT_RESTART),
    verb(&["rollout", "undo"], KubeVerb::RolloutUndo, Write, Typed, None, ROLLOUT_UNDO),
    verb(&["rollout", "pause"], KubeVerb::RolloutPause, Write, Typed, None, ROLLOUT_PAUSE),
    verb(&["rollout", "resume"], KubeVerb::RolloutResume, Write, Typed, None, ROLLOUT_RESUME),
    verb(&["set", "image"], KubeVerb::SetImage, Write, Typed, None, SET_IMAGE),
    verb(&["set", "resources"], KubeVerb::SetResources, Write, Typed, None, SET_RESOURCES),
    verb(&["set", "env"], KubeVerb::SetEnv, Write, Typed, None, SET_ENV),
    verb(&["explain"], KubeVerb::Explain, Read, Objects::None, Some("schema"), EXPLAIN),
    verb(&["api-resources"], KubeVerb::ApiResources, Read, Objects::None, Some("cluster"), API_RESOURCES),
    verb(&["api-versions"], KubeVerb::ApiVersions, Read, Objects::None, Some("cluster"), &[]),
    verb(&["auth", "can-i"], KubeVerb::AuthCanI, Read, Objects::None, Some("access"), AUTH_CAN_I),
    verb(&["version"], KubeVerb::Version, Read, Objects::None, Some("cluster"), VERSION),
    verb(&["cluster-info", "dump"], KubeVerb::ClusterInfoDump, Read, Objects::None, Some("cluster"), CLUSTER_INFO_DUMP),
    verb(&["cluster-info"], KubeVerb::ClusterInfo, Read, Objects::None, Some("cluster"), &[]),
    verb(&["config", "view"], KubeVerb::ConfigView, Read, Objects::None, Some("config"), CONFIG_VIEW),
    verb(
        &["config", "get-contexts"],
        KubeVerb::ConfigGetContexts,
        Read,
        Objects::None,
        Some("config"),
        CONFIG_GET_CONTEXTS,
    ),
    verb(&["config", "current-context"], KubeVerb::ConfigCurrentContext, Read, Objects::None, Some("config"), &[]),
    verb(&["replace"], KubeVerb::Replace, Write, Typed, Some("*"), REPLACE),
    verb(&["taint"], KubeVerb::Taint, Write, Typed, None, TAINT),
    verb(&["cp"], KubeVerb::Cp, Write, Objects::Copy, Some("pods"), CP),
    verb(&["debug"], KubeVerb::Debug, Run, Pod, Some("pods"), DEBUG),
    verb(&["wait"], KubeVerb::Wait, Read, Typed, None, WAIT),
    verb(&["project"], KubeVerb::Project, Read, Objects::None, Some("config"), PROJECT),
];

/// Resources that live outside any namespace (and the pseudo-resources of verbs that name no
/// object).
pub const CLUSTER_SCOPED: &[&str] = &[
    "nodes",
    "namespaces",
    "clusterrolebindings",
    "clusterroles",
    "persistentvolumes",
    "storageclasses",
    "cluster",
    "schema",
    "config",
];

/// Options that point the client at another cluster, identity or trust, or make it write files
/// of its own: never passed, typed or literal, each with the reason a diagnostic gives.
/// From `kubectl options` (v1.37) and `oc options`.
pub const REFUSED_OPTIONS: &[(&str, &str)] = &[
    ("--kubeconfig", "reads another kubeconfig: another cluster or identity"),
    ("--kuberc", "reads another kubectl preferences file"),
    ("--context", "switches to another context: another cluster or identity"),
    ("--cluster", "switches to another cluster"),
    ("--server", "talks to another API server"),
    ("-s", "talks to another API server (`--server`)"),
    ("--user", "switches to another identity"),
    ("--username", "authenticates as another user"),
    ("--password", "authenticates with a password on the command line"),
    ("--token", "authenticates with another bearer token"),
    ("--as", "impersonates another user"),
    ("--as-group", "impersonates another group"),
    ("--as-uid", "impersonates another user id"),
    ("--as-user-extra", "impersonates with extra attributes"),
    ("--certificate-authority", "trusts another certificate authority"),
    ("--client-certificate", "authenticates with another client certificate"),
    ("--client-key", "authenticates with another client key"),
    ("--tls-server-name", "checks the server's certificate against another name"),
    ("--insecure-skip-tls-verify", "stops checking the API server's certificate"),
    ("--insecure-skip-tls-verify-backend", "stops checking the kubelet's certificate"),
    ("--proxy-url", "sends the requests through a proxy"),
    ("--cache-dir", "writes its cache to another directory"),
    ("--profile-output", "writes a profile file"),
    ("--output-directory", "writes files outside the manifest (`cluster-info dump`)"),
];

/// Whether `word` spells a refused option (`--token`, `--token=x`, `-s`, `-sURL`), and why.
/// `--profile` is refused only where it is the global profiler (not `debug --profile`).
#[must_use]
pub fn refused_option(verb: Option<KubeVerb>, word: &str) -> Option<&'static str> {
    let name = word.split_once('=').map_or(word, |(n, _)| n);
    if name == "--profile" && verb != Some(KubeVerb::Debug) {
        return Some("writes a profile of the client");
    }
    if name == "--raw" && verb == Some(KubeVerb::ConfigView) {
        return Some("prints the kubeconfig's credentials");
    }
    REFUSED_OPTIONS.iter().find_map(|(n, why)| {
        let hit = if n.starts_with("--") {
            name == *n
        } else {
            // A short option may close a cluster of flags (`-As URL` is `-A -s URL`).
            let letter = n.chars().nth(1).unwrap_or(' ');
            word.starts_with('-')
                && !word.starts_with("--")
                && word[1..].chars().take_while(|c| *c == letter || "AitwRqh".contains(*c)).any(|c| c == letter)
        };
        hit.then_some(*why)
    })
}

/// Options the host never passes as settings: a terminal, and the typed fields.
pub const REFUSED: &[&str] = &["stdin", "tty", "namespace", "selector", "all-namespaces"];

/// The row of `VERBS` for `verb` (`top` and `adm top` share a row's verb; the first is used).
#[must_use]
pub fn row(verb: KubeVerb) -> Option<&'static Verb> {
    VERBS.iter().find(|v| v.verb == verb)
}

/// The option table of a verb: its own options, then the global ones it does not spell itself.
#[must_use]
pub fn table(verb: KubeVerb) -> Vec<Opt> {
    let own = row(verb).map_or(&[][..], |r| r.opts);
    let mut out = own.to_vec();
    out.extend(GLOBAL.iter().filter(|g| !own.iter().any(|o| o.names.iter().any(|n| g.names.contains(n)))));
    out
}

/// Where the verb is in a command's words: global options may come first (`kubectl -n prod get
/// pods`). Returns the row and the index of the verb's first word. A word before the verb that
/// is not a global option of the table is skipped over like a flag.
#[must_use]
pub fn locate<V: Value>(words: &[V]) -> Option<(&'static Verb, usize)> {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let p = w.literal_prefix();
        if !p.starts_with('-') {
            break;
        }
        let name = p.split_once('=').map_or(p.as_str(), |(n, _)| n).to_string();
        let takes_value = !p.contains('=')
            && (GLOBAL.iter().any(|o| o.value && o.names.contains(&name.as_str()))
                || REFUSED_OPTIONS.iter().any(|(n, _)| *n == name && !n.contains("insecure")));
        i += if takes_value { 2 } else { 1 };
    }
    let lits: Vec<Option<String>> = words.iter().skip(i).take(2).map(Value::literal).collect();
    VERBS
        .iter()
        .find(|v| v.words.iter().enumerate().all(|(k, w)| lits.get(k).and_then(Option::as_deref) == Some(*w)))
        .map(|v| (v, i))
}

// The option tables below are each verb's `Options:` list from `kubectl VERB --help` (v1.37.1,
// the same text as kubernetes.io/docs/reference/kubectl/generated/); a `=false`/`=true` default
// is a flag. `create` is the union of its subcommands' lists, `top` of `top pod` and `top node`;
// `drain` keeps the older `--delete-local-data`.
/// Global options every verb takes (`kubectl options`, v1.37), less the refused ones.
pub const GLOBAL: &[Opt] = &[
    flag("disable-compression", &["--disable-compression"]),
    valued("log-flush-frequency", &["--log-flush-frequency"]),
    flag("match-server-version", &["--match-server-version"]),
    valued("namespace", &["-n", "--namespace"]),
    valued("request-timeout", &["--request-timeout"]),
    valued("v", &["-v", "--v"]),
    valued("vmodule", &["--vmodule"]),
    flag("warnings-as-errors", &["--warnings-as-errors"]),
];
const GET: &[Opt] = &[
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("chunk-size", &["--chunk-size"]),
    valued("field-selector", &["--field-selector"]),
    valued("filename", &["-f", "--filename"]),
    flag("ignore-not-found", &["--ignore-not-found"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("label-columns", &["-L", "--label-columns"]),
    flag("no-headers", &["--no-headers"]),
    valued("output", &["-o", "--output"]),
    flag("output-watch-events", &["--output-watch-events"]),
    valued("raw", &["--raw"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("server-print", &["--server-print"]),
    flag("show-kind", &["--show-kind"]),
    flag("show-labels", &["--show-labels"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("sort-by", &["--sort-by"]),
    valued("subresource", &["--subresource"]),
    valued("template", &["--template"]),
    flag("watch", &["-w", "--watch"]),
    flag("watch-only", &["--watch-only"]),
];
const DESCRIBE: &[Opt] = &[
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    valued("chunk-size", &["--chunk-size"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-events", &["--show-events"]),
];
const LOGS: &[Opt] = &[
    flag("all-containers", &["--all-containers"]),
    flag("all-pods", &["--all-pods"]),
    valued("container", &["-c", "--container"]),
    flag("follow", &["-f", "--follow"]),
    flag("ignore-errors", &["--ignore-errors"]),
    valued("limit-bytes", &["--limit-bytes"]),
    valued("max-log-requests", &["--max-log-requests"]),
    valued("pod-running-timeout", &["--pod-running-timeout"]),
    flag("prefix", &["--prefix"]),
    flag("previous", &["-p", "--previous"]),
    valued("selector", &["-l", "--selector"]),
    valued("since", &["--since"]),
    valued("since-time", &["--since-time"]),
    valued("tail", &["--tail"]),
    flag("timestamps", &["--timestamps"]),
];
const TOP: &[Opt] = &[
    flag("containers", &["--containers"]),
    valued("field-selector", &["--field-selector"]),
    flag("no-headers", &["--no-headers"]),
    flag("show-capacity", &["--show-capacity"]),
    flag("show-swap", &["--show-swap"]),
    valued("sort-by", &["--sort-by"]),
    flag("sum", &["--sum"]),
    flag("use-protocol-buffers", &["--use-protocol-buffers"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    valued("selector", &["-l", "--selector"]),
];
const EVENTS: &[Opt] = &[
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("chunk-size", &["--chunk-size"]),
    valued("for", &["--for"]),
    flag("no-headers", &["--no-headers"]),
    valued("output", &["-o", "--output"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
    valued("types", &["--types"]),
    flag("watch", &["-w", "--watch"]),
];
const EXPLAIN: &[Opt] = &[
    valued("api-version", &["--api-version"]),
    valued("max-depth", &["--max-depth"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
];
const API_RESOURCES: &[Opt] = &[
    valued("api-group", &["--api-group"]),
    flag("cached", &["--cached"]),
    valued("categories", &["--categories"]),
    flag("namespaced", &["--namespaced"]),
    flag("no-headers", &["--no-headers"]),
    valued("output", &["-o", "--output"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("sort-by", &["--sort-by"]),
    valued("verbs", &["--verbs"]),
];
const AUTH_CAN_I: &[Opt] = &[
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("list", &["--list"]),
    flag("no-headers", &["--no-headers"]),
    flag("quiet", &["-q", "--quiet"]),
    valued("subresource", &["--subresource"]),
];
const VERSION: &[Opt] = &[flag("client", &["--client"]), valued("output", &["-o", "--output"])];
const CLUSTER_INFO_DUMP: &[Opt] = &[
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("namespaces", &["--namespaces"]),
    valued("output", &["-o", "--output"]),
    valued("pod-running-timeout", &["--pod-running-timeout"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const CONFIG_VIEW: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    flag("flatten", &["--flatten"]),
    flag("merge", &["--merge"]),
    flag("minify", &["--minify"]),
    valued("output", &["-o", "--output"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const CONFIG_GET_CONTEXTS: &[Opt] = &[flag("no-headers", &["--no-headers"]), valued("output", &["-o", "--output"])];
const APPLY: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("cascade", &["--cascade"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    flag("force", &["--force"]),
    flag("force-conflicts", &["--force-conflicts"]),
    valued("grace-period", &["--grace-period"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("openapi-patch", &["--openapi-patch"]),
    valued("output", &["-o", "--output"]),
    flag("overwrite", &["--overwrite"]),
    flag("prune", &["--prune"]),
    valued("prune-allowlist", &["--prune-allowlist"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("server-side", &["--server-side"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("subresource", &["--subresource"]),
    valued("template", &["--template"]),
    valued("timeout", &["--timeout"]),
    valued("validate", &["--validate"]),
    flag("wait", &["--wait"]),
];
const CREATE: &[Opt] = &[
    valued("aggregation-rule", &["--aggregation-rule"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("annotation", &["--annotation"]),
    flag("append-hash", &["--append-hash"]),
    valued("audience", &["--audience"]),
    valued("bound-object-kind", &["--bound-object-kind"]),
    valued("bound-object-name", &["--bound-object-name"]),
    valued("bound-object-uid", &["--bound-object-uid"]),
    valued("cert", &["--cert"]),
    valued("class", &["--class"]),
    valued("clusterip", &["--clusterip"]),
    valued("clusterrole", &["--clusterrole"]),
    valued("default-backend", &["--default-backend"]),
    valued("description", &["--description"]),
    valued("docker-email", &["--docker-email"]),
    valued("docker-password", &["--docker-password"]),
    valued("docker-server", &["--docker-server"]),
    valued("docker-username", &["--docker-username"]),
    valued("dry-run", &["--dry-run"]),
    valued("duration", &["--duration"]),
    flag("edit", &["--edit"]),
    valued("external-name", &["--external-name"]),
    valued("field-manager", &["--field-manager"]),
    valued("from-env-file", &["--from-env-file"]),
    valued("from-file", &["--from-file"]),
    valued("from-literal", &["--from-literal"]),
    valued("from", &["--from"]),
    flag("global-default", &["--global-default"]),
    valued("group", &["--group"]),
    valued("hard", &["--hard"]),
    valued("image", &["--image"]),
    valued("key", &["--key"]),
    valued("max-unavailable", &["--max-unavailable"]),
    valued("min-available", &["--min-available"]),
    valued("node-port", &["--node-port"]),
    valued("non-resource-url", &["--non-resource-url"]),
    valued("port", &["--port"]),
    valued("preemption-policy", &["--preemption-policy"]),
    valued("raw", &["--raw"]),
    valued("resource-name", &["--resource-name"]),
    valued("resource", &["--resource"]),
    valued("restart", &["--restart"]),
    valued("role", &["--role"]),
    valued("rule", &["--rule"]),
    flag("save-config", &["--save-config"]),
    valued("schedule", &["--schedule"]),
    valued("scopes", &["--scopes"]),
    valued("selector", &["--selector"]),
    valued("serviceaccount", &["--serviceaccount"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("tcp", &["--tcp"]),
    valued("template", &["--template"]),
    valued("type", &["--type"]),
    valued("user", &["--user"]),
    valued("validate", &["--validate"]),
    valued("value", &["--value"]),
    valued("verb", &["--verb"]),
    flag("windows-line-endings", &["--windows-line-endings"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    valued("replicas", &["-r", "--replicas"]),
];
const REPLACE: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("cascade", &["--cascade"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    flag("force", &["--force"]),
    valued("grace-period", &["--grace-period"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    valued("raw", &["--raw"]),
    flag("recursive", &["-R", "--recursive"]),
    flag("save-config", &["--save-config"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("subresource", &["--subresource"]),
    valued("template", &["--template"]),
    valued("timeout", &["--timeout"]),
    valued("validate", &["--validate"]),
    flag("wait", &["--wait"]),
];
const PATCH: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    valued("patch", &["-p", "--patch"]),
    valued("patch-file", &["--patch-file"]),
    flag("recursive", &["-R", "--recursive"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("subresource", &["--subresource"]),
    valued("template", &["--template"]),
    valued("type", &["--type"]),
];
const LABEL: &[Opt] = &[
    flag("all", &["--all"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("field-selector", &["--field-selector"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("list", &["--list"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("overwrite", &["--overwrite"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("resource-version", &["--resource-version"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const ANNOTATE: &[Opt] = &[
    flag("all", &["--all"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("field-selector", &["--field-selector"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("list", &["--list"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("overwrite", &["--overwrite"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("resource-version", &["--resource-version"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const SCALE: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("current-replicas", &["--current-replicas"]),
    valued("dry-run", &["--dry-run"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("replicas", &["--replicas"]),
    valued("resource-version", &["--resource-version"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
    valued("timeout", &["--timeout"]),
];
const ROLLOUT_STATUS: &[Opt] = &[
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("revision", &["--revision"]),
    valued("selector", &["-l", "--selector"]),
    valued("timeout", &["--timeout"]),
    flag("watch", &["-w", "--watch"]),
];
const ROLLOUT_HISTORY: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("revision", &["--revision"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const ROLLOUT_RESTART: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const ROLLOUT_UNDO: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
    valued("to-revision", &["--to-revision"]),
];
const ROLLOUT_PAUSE: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const ROLLOUT_RESUME: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const SET_IMAGE: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const SET_RESOURCES: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("containers", &["-c", "--containers"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("limits", &["--limits"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("requests", &["--requests"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const SET_ENV: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("containers", &["-c", "--containers"]),
    valued("dry-run", &["--dry-run"]),
    valued("env", &["-e", "--env"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("from", &["--from"]),
    valued("keys", &["--keys"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("list", &["--list"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("overwrite", &["--overwrite"]),
    valued("prefix", &["--prefix"]),
    flag("recursive", &["-R", "--recursive"]),
    flag("resolve", &["--resolve"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
];
const CORDON: &[Opt] = &[valued("dry-run", &["--dry-run"]), valued("selector", &["-l", "--selector"])];
const DRAIN: &[Opt] = &[
    valued("chunk-size", &["--chunk-size"]),
    flag("delete-emptydir-data", &["--delete-emptydir-data"]),
    flag("delete-local-data", &["--delete-local-data"]),
    flag("disable-eviction", &["--disable-eviction"]),
    valued("dry-run", &["--dry-run"]),
    flag("force", &["--force"]),
    valued("grace-period", &["--grace-period"]),
    flag("ignore-daemonsets", &["--ignore-daemonsets"]),
    valued("pod-selector", &["--pod-selector"]),
    valued("selector", &["-l", "--selector"]),
    valued("skip-wait-for-delete-timeout", &["--skip-wait-for-delete-timeout"]),
    valued("timeout", &["--timeout"]),
];
const TAINT: &[Opt] = &[
    flag("all", &["--all"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-manager", &["--field-manager"]),
    valued("output", &["-o", "--output"]),
    flag("overwrite", &["--overwrite"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
    valued("validate", &["--validate"]),
];
const DELETE: &[Opt] = &[
    flag("all", &["--all"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    valued("cascade", &["--cascade"]),
    valued("dry-run", &["--dry-run"]),
    valued("field-selector", &["--field-selector"]),
    valued("filename", &["-f", "--filename"]),
    flag("force", &["--force"]),
    valued("grace-period", &["--grace-period"]),
    flag("ignore-not-found", &["--ignore-not-found"]),
    flag("interactive", &["-i", "--interactive"]),
    valued("kustomize", &["-k", "--kustomize"]),
    flag("now", &["--now"]),
    valued("output", &["-o", "--output"]),
    valued("raw", &["--raw"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    valued("timeout", &["--timeout"]),
    flag("wait", &["--wait"]),
];
const EXEC: &[Opt] = &[
    valued("container", &["-c", "--container"]),
    valued("filename", &["-f", "--filename"]),
    valued("pod-running-timeout", &["--pod-running-timeout"]),
    flag("quiet", &["-q", "--quiet"]),
    flag("stdin", &["-i", "--stdin"]),
    flag("tty", &["-t", "--tty"]),
];
const CP: &[Opt] = &[
    valued("container", &["-c", "--container"]),
    flag("no-preserve", &["--no-preserve"]),
    valued("retries", &["--retries"]),
];
const PORT_FORWARD: &[Opt] =
    &[valued("address", &["--address"]), valued("pod-running-timeout", &["--pod-running-timeout"])];
const DEBUG: &[Opt] = &[
    flag("arguments-only", &["--arguments-only"]),
    flag("attach", &["--attach"]),
    valued("container", &["-c", "--container"]),
    valued("copy-to", &["--copy-to"]),
    valued("custom", &["--custom"]),
    valued("env", &["--env"]),
    valued("filename", &["-f", "--filename"]),
    valued("image", &["--image"]),
    valued("image-pull-policy", &["--image-pull-policy"]),
    flag("keep-annotations", &["--keep-annotations"]),
    flag("keep-init-containers", &["--keep-init-containers"]),
    flag("keep-labels", &["--keep-labels"]),
    flag("keep-liveness", &["--keep-liveness"]),
    flag("keep-readiness", &["--keep-readiness"]),
    flag("keep-startup", &["--keep-startup"]),
    valued("profile", &["--profile"]),
    flag("quiet", &["-q", "--quiet"]),
    flag("replace", &["--replace"]),
    flag("same-node", &["--same-node"]),
    valued("set-image", &["--set-image"]),
    flag("share-processes", &["--share-processes"]),
    flag("stdin", &["-i", "--stdin"]),
    valued("target", &["--target"]),
    flag("tty", &["-t", "--tty"]),
];
const EDIT: &[Opt] = &[
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("field-manager", &["--field-manager"]),
    valued("filename", &["-f", "--filename"]),
    valued("kustomize", &["-k", "--kustomize"]),
    valued("output", &["-o", "--output"]),
    flag("output-patch", &["--output-patch"]),
    flag("recursive", &["-R", "--recursive"]),
    flag("save-config", &["--save-config"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("subresource", &["--subresource"]),
    valued("template", &["--template"]),
    valued("validate", &["--validate"]),
    flag("windows-line-endings", &["--windows-line-endings"]),
];
const WAIT: &[Opt] = &[
    flag("all", &["--all"]),
    flag("all-namespaces", &["-A", "--all-namespaces"]),
    flag("allow-missing-template-keys", &["--allow-missing-template-keys"]),
    valued("field-selector", &["--field-selector"]),
    valued("filename", &["-f", "--filename"]),
    valued("for", &["--for"]),
    flag("local", &["--local"]),
    valued("output", &["-o", "--output"]),
    flag("recursive", &["-R", "--recursive"]),
    valued("selector", &["-l", "--selector"]),
    flag("show-managed-fields", &["--show-managed-fields"]),
    valued("template", &["--template"]),
    valued("timeout", &["--timeout"]),
];

const PROJECT: &[Opt] = &[flag("short", &["-q", "--short"])];

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
        row(self).map_or(Effect::Exec, |v| v.effect)
    }

    /// The words the client is given for it (`oc adm top`, `kubectl top`).
    #[must_use]
    pub fn words(self, client: KubeClient) -> Vec<&'static str> {
        // `oc` spells the node verbs under `adm` (`oc adm top`, `oc adm drain`).
        if client == KubeClient::Oc {
            match self {
                Self::Top => return vec!["adm", "top"],
                Self::Cordon => return vec!["adm", "cordon"],
                Self::Uncordon => return vec!["adm", "uncordon"],
                Self::Drain => return vec!["adm", "drain"],
                Self::Taint => return vec!["adm", "taint"],
                _ => {}
            }
        }
        row(self).map_or_else(Vec::new, |v| v.words.to_vec())
    }

    /// Whether `client` has the verb: `project` belongs to `oc` only.
    #[must_use]
    pub fn known_to(self, client: KubeClient) -> bool {
        self != Self::Project || client == KubeClient::Oc
    }

    /// What the operands after the object are called in a scope.
    fn operands_key(self) -> &'static str {
        match self {
            Self::Exec | Self::Debug => "command",
            Self::SetImage => "images",
            Self::PortForward => "ports",
            Self::Taint => "taints",
            Self::Cp => "paths",
            _ => "operands",
        }
    }

    fn objects(self) -> Objects {
        row(self).map_or(Objects::None, |v| v.objects)
    }
}

/// The verb of a command's words for `client`, skipping global options before it.
#[must_use]
pub fn locate_for<V: Value>(client: KubeClient, words: &[V]) -> Option<(&'static Verb, usize)> {
    let (row, at) = locate(words)?;
    let oc_only = row.words.first() == Some(&"adm") || row.verb == KubeVerb::Project;
    (client == KubeClient::Oc || !oc_only).then_some((row, at))
}

/// A typed Kubernetes request. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KubeRequest<V> {
    pub client: KubeClient,
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
    /// The command of `exec`, `container=image` of `set image`, ports of `port-forward`, the
    /// subcommand of `create secret generic`, the operands of `explain` or `auth can-i`.
    pub operands: Vec<V>,
    /// Non-empty when an option is not typed: the command's own words after the client's name,
    /// passed as they are. The typed fields then only name the capability.
    pub literal: Vec<V>,
    /// Streamed for at most this many seconds (`-w`, `logs -f`, `port-forward`).
    pub bound: Option<u32>,
    /// Started with `&` (a `port-forward` the next commands use).
    pub background: bool,
}

/// `create` subcommands written before the object's name, and the resource each creates.
pub const CREATE_KINDS: &[(&[&str], &str)] = &[
    (&["secret", "generic"], "secrets"),
    (&["secret", "tls"], "secrets"),
    (&["secret", "docker-registry"], "secrets"),
    (&["service", "clusterip"], "services"),
    (&["service", "nodeport"], "services"),
    (&["service", "loadbalancer"], "services"),
    (&["service", "externalname"], "services"),
    (&["svc", "clusterip"], "services"),
    (&["svc", "nodeport"], "services"),
    (&["svc", "loadbalancer"], "services"),
    (&["svc", "externalname"], "services"),
    (&["clusterrole"], "clusterroles"),
    (&["clusterrolebinding"], "clusterrolebindings"),
    (&["configmap"], "configmaps"),
    (&["cm"], "configmaps"),
    (&["cronjob"], "cronjobs"),
    (&["cj"], "cronjobs"),
    (&["deployment"], "deployments"),
    (&["deploy"], "deployments"),
    (&["ingress"], "ingresses"),
    (&["ing"], "ingresses"),
    (&["job"], "jobs"),
    (&["namespace"], "namespaces"),
    (&["ns"], "namespaces"),
    (&["poddisruptionbudget"], "poddisruptionbudgets"),
    (&["pdb"], "poddisruptionbudgets"),
    (&["priorityclass"], "priorityclasses"),
    (&["pc"], "priorityclasses"),
    (&["quota"], "resourcequotas"),
    (&["resourcequota"], "resourcequotas"),
    (&["role"], "roles"),
    (&["rolebinding"], "rolebindings"),
    (&["serviceaccount"], "serviceaccounts"),
    (&["sa"], "serviceaccounts"),
    (&["token"], "serviceaccounts"),
];

impl<V: Value> KubeRequest<V> {
    #[must_use]
    pub fn new(verb: KubeVerb) -> Self {
        Self {
            client: KubeClient::Kubectl,
            verb,
            resources: Vec::new(),
            names: Vec::new(),
            selector: None,
            namespace: None,
            all_namespaces: false,
            options: Vec::new(),
            operands: Vec::new(),
            literal: Vec::new(),
            bound: None,
            background: false,
        }
    }

    fn value(&self, key: &str) -> Option<String> {
        if !self.literal.is_empty() {
            // `--key=value` or `--key value` among the literal words.
            let long = format!("--{key}");
            let words: Vec<String> = self.literal.iter().map(Value::template).collect();
            return words.iter().enumerate().rev().find_map(|(i, w)| {
                w.strip_prefix(&format!("{long}="))
                    .map(str::to_string)
                    .or_else(|| (*w == long).then(|| words.get(i + 1).cloned().unwrap_or_default()))
            });
        }
        self.options.iter().rev().find(|s| s.key == key).and_then(|s| s.value.as_ref()).and_then(Value::literal)
    }

    fn has(&self, key: &str) -> bool {
        if !self.literal.is_empty() {
            let long = format!("--{key}");
            return self.literal.iter().map(Value::template).any(|w| w == long || w.starts_with(&format!("{long}=")));
        }
        self.options.iter().any(|s| s.key == key)
    }

    /// The capability of its first resource: `kube.deployments.scale`.
    #[must_use]
    pub fn capability(&self) -> String {
        format!("kube.{}.{}", self.resources.first().map_or("*", String::as_str), self.verb)
    }

    /// What the request changes: a client-side or server-side dry run changes nothing, scaling
    /// to zero replicas is destructive, so is `replace --force` (delete, then create), and
    /// `set env --list` only reads.
    #[must_use]
    pub fn effect(&self) -> Effect {
        let base = self.verb.base_effect();
        if base == Effect::Write && matches!(self.value("dry-run").as_deref(), Some("client" | "server")) {
            return Effect::Read;
        }
        match self.verb {
            KubeVerb::Scale if self.value("replicas").as_deref() == Some("0") => Effect::Destructive,
            KubeVerb::Replace if self.has("force") => Effect::Destructive,
            KubeVerb::SetEnv if self.has("list") => Effect::Read,
            // Copying from a pod writes only local files (an `fs.write` of its own).
            KubeVerb::Cp if self.operands.first().is_some_and(|s| remote(&s.template())) => Effect::Read,
            _ => base,
        }
    }

    /// What the request needs: one need per resource and object (or selector); a command kept
    /// literal needs its verb's capability with its exact words.
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let ns = if self.all_namespaces {
            "*".to_string()
        } else {
            self.namespace.as_ref().map_or_else(|| "{context}".to_string(), Value::template)
        };
        let client = (self.client == KubeClient::Oc).then(|| ("client".to_string(), "oc".to_string()));
        if !self.literal.is_empty() {
            let mut n = Need::new(self.capability(), self.effect());
            n.scope.extend(client);
            n.scope.push(("argv".into(), quoted_list(&self.literal)));
            return vec![n];
        }
        let table = table(self.verb);
        let mut rest: Vec<(String, String)> = client.into_iter().collect();
        rest.extend(options::scope_of(&table, &self.options));
        if !self.operands.is_empty() || self.verb == KubeVerb::Exec {
            rest.push((self.verb.operands_key().to_string(), quoted_list(&self.operands)));
        }
        let mut out = Vec::new();
        for r in &self.resources {
            let ns = if CLUSTER_SCOPED.contains(&r.as_str()) { "(cluster)".to_string() } else { ns.clone() };
            let base = Need::new(format!("kube.{r}.{}", self.verb), self.effect()).with("namespace", ns);
            let targeted: Vec<Need> = if let Some(sel) = &self.selector {
                vec![base.clone().with("selector", sel.template())]
            } else if self.verb.objects() == Objects::None {
                vec![base.clone()]
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

/// Whether a `kubectl cp` operand is the pod's side (`pod:/path`, `ns/pod:/path`).
#[must_use]
pub fn remote(operand: &str) -> bool {
    operand.split_once(':').is_some_and(|(pod, _)| !pod.is_empty() && !pod.starts_with(['.', '/', '~']))
}

impl KubeRequest<String> {
    /// The client's argv (without the client itself). The operator's kubeconfig and current
    /// context apply; a terminal (`--stdin`, `--tty`) and every option of `REFUSED_OPTIONS` are
    /// refused.
    ///
    /// # Errors
    /// An undeclared or refused option, a verb given the wrong objects, or an operand read as an
    /// option.
    pub fn argv(&self) -> Result<Vec<String>, String> {
        let verb = self.verb;
        if !verb.known_to(self.client) {
            return Err(format!("`{}` has no verb `{verb}`", self.client));
        }
        if !self.literal.is_empty() {
            return self.literal_argv();
        }
        options::plain_operands("name", &self.names)?;
        options::plain_operands("resource", &self.resources)?;
        if self.resources.is_empty() {
            return Err(format!("`{verb}` names no resource"));
        }
        let mut out: Vec<String> = verb.words(self.client).into_iter().map(str::to_string).collect();
        let objects = verb.objects();
        let one_object =
            objects == Objects::Pod || matches!(verb, KubeVerb::SetImage | KubeVerb::SetResources | KubeVerb::SetEnv);
        match (self.resources.as_slice(), self.names.as_slice()) {
            _ if matches!(objects, Objects::None | Objects::Copy) => {
                if !self.names.is_empty() {
                    return Err(format!("`{verb}` names no object"));
                }
                if verb == KubeVerb::Project && !self.operands.is_empty() {
                    return Err("`project NAME` switches the current project".into());
                }
            }
            _ if verb == KubeVerb::Create && !self.operands.is_empty() => {
                // `create secret generic NAME`: the subcommand, then the name.
                self.create_kind()?;
                out.extend(self.operands.iter().cloned());
                out.extend(self.names.iter().cloned());
            }
            // `logs -l app=x`: the pods come from the selector.
            ([r], []) if objects == Objects::Pod && r == "pods" => {}
            ([r], [n]) if objects == Objects::Pod && r == "pods" => out.push(n.clone()),
            ([r], [n]) if one_object => out.push(format!("{r}/{n}")),
            _ if one_object && self.names.len() > 1 => return Err(format!("`{verb}` acts on one object")),
            ([r], _) if objects == Objects::Node && r == "nodes" => out.extend(self.names.iter().cloned()),
            ([r], _) if r == "*" => out.extend(self.names.iter().cloned()),
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
        match verb {
            KubeVerb::Exec | KubeVerb::Debug => {
                if verb == KubeVerb::Exec && self.operands.is_empty() {
                    return Err("`exec` needs a command".into());
                }
                if !self.operands.is_empty() {
                    out.push("--".into());
                    out.extend(self.operands.iter().cloned());
                }
            }
            KubeVerb::Create => {}
            KubeVerb::Cp => {
                let [from, to] = self.operands.as_slice() else {
                    return Err("`cp` takes a source and a destination".into());
                };
                options::plain_operands("path", [from, to])?;
                if remote(from) == remote(to) {
                    return Err("`cp` copies between a pod and a local path".into());
                }
                out.push(from.clone());
                out.push(to.clone());
            }
            _ => {
                options::plain_operands("operand", &self.operands)?;
                out.extend(self.operands.iter().cloned());
            }
        }
        Ok(out)
    }

    /// A `create` subcommand must create the resource the capability names.
    fn create_kind(&self) -> Result<(), String> {
        let words: Vec<&str> = self.operands.iter().map(String::as_str).collect();
        match CREATE_KINDS.iter().find(|(k, _)| *k == words.as_slice()) {
            Some((_, r)) if self.resources == [*r] => Ok(()),
            Some((_, r)) => Err(format!("`create {}` creates {r}, not {}", words.join(" "), self.resources.join(","))),
            None => Err(format!("`create {}` is not a create subcommand playbook knows", words.join(" "))),
        }
    }

    /// The literal words, checked: the verb they spell is the request's, and no word is a
    /// refused option or a terminal.
    fn literal_argv(&self) -> Result<Vec<String>, String> {
        let Some((row, at)) = locate_for(self.client, &self.literal) else {
            return Err("the literal words name no known verb".into());
        };
        if row.verb != self.verb {
            return Err(format!("the literal words are `{}`, not `{}`", row.verb, self.verb));
        }
        let end = self.literal.iter().position(|w| w == "--").unwrap_or(self.literal.len());
        for w in &self.literal[..end] {
            if let Some(why) = refused_option(Some(self.verb), w) {
                return Err(format!("`{w}` {why}"));
            }
        }
        let _ = at;
        Ok(self.literal.clone())
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
            a(KubeVerb::Get, &["pods"], &[], "app=web", "prod", &[("request-timeout", Some("10s"))], &[]).unwrap(),
            "get pods --namespace=prod --selector=app=web --request-timeout=10s"
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
        assert_eq!(a(KubeVerb::Events, &["events"], &[], "", "prod", &[], &[]).unwrap(), "events --namespace=prod");
        assert_eq!(a(KubeVerb::Cordon, &["nodes"], &["n1"], "", "", &[], &[]).unwrap(), "cordon n1");
        assert_eq!(
            a(KubeVerb::Create, &["secrets"], &["s"], "", "", &[("dry-run", Some("client"))], &["secret", "generic"])
                .unwrap(),
            "create secret generic s --dry-run=client"
        );
        assert_eq!(
            a(KubeVerb::AuthCanI, &["access"], &[], "", "", &[], &["get", "pods"]).unwrap(),
            "auth can-i get pods"
        );
        assert_eq!(a(KubeVerb::ApiResources, &["cluster"], &[], "", "", &[], &[]).unwrap(), "api-resources");
        assert_eq!(a(KubeVerb::Cp, &["pods"], &[], "", "", &[], &["db:/tmp/x", "./x"]).unwrap(), "cp db:/tmp/x ./x");
    }

    #[test]
    fn refuses_other_clusters_terminals_and_option_like_operands() {
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("context", Some("prod"))], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["--kubeconfig=/x"], "", "", &[], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("token", Some("x"))], &[]).is_err());
        assert!(a(KubeVerb::Get, &["pods"], &["web"], "", "", &[("replicas", None)], &[]).is_err());
        assert!(a(KubeVerb::Exec, &["pods"], &["db"], "", "", &[("tty", None)], &["sh"]).is_err());
        assert!(
            a(KubeVerb::Create, &["configmaps"], &["x"], "", "", &[], &["clusterrolebinding"]).is_err(),
            "a create subcommand creates what its capability names"
        );
        assert!(a(KubeVerb::Cp, &["pods"], &[], "", "", &[], &["./a", "./b"]).is_err());
    }

    #[test]
    fn literal_words_keep_their_verb_and_refuse_other_clusters() {
        let lit = |verb: KubeVerb, words: &[&str]| {
            let mut k = KubeRequest::new(verb);
            k.resources = s(&["pods"]);
            k.literal = s(words);
            k
        };
        assert_eq!(lit(KubeVerb::Get, &["-n", "x", "get", "pods", "--chunk"]).argv().unwrap().len(), 5);
        assert!(lit(KubeVerb::Get, &["delete", "pods", "--x"]).argv().is_err(), "another verb");
        assert!(lit(KubeVerb::Get, &["get", "pods", "--server=https://evil"]).argv().is_err());
        assert!(lit(KubeVerb::Get, &["--token", "t", "get", "pods"]).argv().is_err());
        let k = lit(KubeVerb::Get, &["get", "pods", "--x"]);
        assert_eq!(k.needs()[0].get("argv"), Some("get pods --x"));
        assert_eq!(lit(KubeVerb::Apply, &["apply", "-f", "x", "--dry-run=client", "--x"]).effect(), Effect::Read);
    }

    #[test]
    fn verbs_are_found_after_global_options() {
        let w = s(&["-n", "prod", "--request-timeout=5s", "rollout", "status", "deploy/x"]);
        let (row, at) = locate(&w).unwrap();
        assert_eq!((row.verb, at), (KubeVerb::RolloutStatus, 3));
        assert!(locate_for(KubeClient::Kubectl, &s(&["project"])).is_none());
        assert_eq!(locate_for(KubeClient::Oc, &s(&["adm", "top", "pods"])).unwrap().0.verb, KubeVerb::Top);
        assert_eq!(locate_for(KubeClient::Oc, &s(&["adm", "drain", "node-1"])).unwrap().0.verb, KubeVerb::Drain);
        assert!(locate_for(KubeClient::Kubectl, &s(&["adm", "drain", "node-1"])).is_none(), "`adm` is oc's");
        assert_eq!(KubeVerb::Uncordon.words(KubeClient::Oc), ["adm", "uncordon"]);
        assert_eq!(
            refused_option(None, "--insecure-skip-tls-verify=true"),
            Some("stops checking the API server's certificate")
        );
        assert!(refused_option(Some(KubeVerb::Debug), "--profile=general").is_none());
        assert!(refused_option(Some(KubeVerb::Get), "-As").is_some(), "`-As URL` is `-A -s URL`");
        assert!(refused_option(Some(KubeVerb::Get), "-shttps://x").is_some());
        assert!(refused_option(Some(KubeVerb::Get), "-A").is_none());
        assert!(refused_option(Some(KubeVerb::Get), "-ns").is_none(), "`-ns`: the namespace `s`");
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

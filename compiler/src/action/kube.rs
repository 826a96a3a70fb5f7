//! `kubectl …` and `oc …` → typed Kubernetes requests (`kube.<resource>.<verb>` with namespace,
//! names or selector), with the option tables of `playbook_capability::kube`. Global options may
//! stand before or after the verb, as kubectl's own parser takes them. An option the tables do
//! not declare keeps the command literal (with a warning); one that changes the cluster, the
//! identity or the trust is an error.

use playbook_capability::kube::{
    self as k, CREATE_KINDS, GLOBAL, KubeClient, KubeRequest, KubeVerb, Objects, canonical_resource, locate_for,
    refused_option, table,
};
use playbook_capability::options::{self, Style};
use playbook_capability::{Effect, Value as _};

use super::{Action, Cx};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// `kubectl ARGS…` / `oc ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, client: KubeClient, args: &[Word]) -> Action {
    let tool = client.as_str();
    let Some((row, at)) = locate_for(client, args) else {
        let span = args.iter().find(|w| !w.literal_prefix().starts_with('-')).map_or(cx.span, |w| w.span);
        let name = args.iter().find(|w| !w.literal_prefix().starts_with('-')).map(Word::template);
        return cx.missing(
            span,
            match name {
                Some(n) => format!("`{tool} {n}` is not a {tool} command playbook knows"),
                None => format!("`{tool}` needs a command"),
            },
            "known: get, describe, logs, top, events, explain, api-resources, api-versions, auth can-i, version, \
             cluster-info, config view|get-contexts|current-context, apply, create, replace, patch, label, annotate, \
             scale, rollout, set, cordon, uncordon, drain, taint, delete, exec, cp, port-forward, debug, edit, wait",
        );
    };
    let verb = row.verb;
    let end = args.iter().position(|w| w.literal().as_deref() == Some("--")).unwrap_or(args.len());
    for w in &args[..end] {
        let text = w.literal_prefix();
        if text.starts_with('-')
            && let Some(why) = refused_option(Some(verb), &text)
        {
            let name = text.split_once('=').map_or(text.as_str(), |(n, _)| n).to_string();
            cx.error(
                Diagnostic::error(Kind::UnknownOption, w.span, format!("`{tool}` option `{name}` {why}"))
                    .with_label("another cluster, identity or trust")
                    .with_help(format!(
                        "playbook runs {tool} with the operator's kubeconfig, current context and certificates; remove the option"
                    )),
            );
            return Action::Invalid;
        }
    }
    let first = row.words.join(" ");
    let words_end = at + row.words.len();
    let opts = table(verb);
    let globals = match options::parse_lenient(GLOBAL, &args[..at], false, Style::Pflag) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e, args),
    };
    let rest = &args[words_end..];
    let local = match options::parse_lenient(&opts, rest, false, Style::Pflag) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e, rest),
    };
    let mut unknown: Vec<(usize, String)> = globals.unknown;
    unknown.extend(local.unknown.into_iter().map(|(i, o)| (i + words_end, o)));
    let mut parsed = local.parsed;
    let mut opts_all = globals.parsed.opts;
    opts_all.append(&mut parsed.opts);
    parsed.opts = opts_all;

    let mut positional = parsed.positional.clone();
    let mut operands = parsed.rest.clone().unwrap_or_default();
    let mut resources = Vec::new();
    let mut names = Vec::new();
    match row.objects {
        Objects::Pod => {
            if let Some(first) = (!positional.is_empty()).then(|| positional.remove(0)) {
                let text = first.literal_prefix();
                if let Some((t, _)) = text.split_once('/') {
                    resources.push(canonical_resource(t));
                    names.push(first.suffix(t.len() + 1));
                } else {
                    resources.push("pods".into());
                    names.push(first);
                }
            }
            // Ports of `port-forward`, a command written without `--`.
            positional.append(&mut operands);
            operands = positional;
        }
        Objects::Node => names = positional,
        Objects::None | Objects::Copy => {
            positional.append(&mut operands);
            operands = positional;
        }
        Objects::Typed => {
            if verb == KubeVerb::Create && !positional.is_empty() {
                let lits: Vec<String> = positional.iter().take(2).map(|w| w.literal().unwrap_or_default()).collect();
                let kind = CREATE_KINDS
                    .iter()
                    .filter(|(ws, _)| ws.iter().zip(&lits).filter(|(a, b)| **a == b.as_str()).count() == ws.len())
                    .max_by_key(|(ws, _)| ws.len());
                let Some((ws, r)) = kind else {
                    return cx.missing(
                        positional[0].span,
                        format!("`{tool} create {}` is not a create subcommand playbook knows", lits[0]),
                        "kubectl create -f FILE, or create configmap|secret generic|job|namespace|deployment … NAME",
                    );
                };
                operands = positional.drain(..ws.len()).collect();
                resources.push((*r).to_string());
                names = positional;
            } else if let Some(first) = positional.first().cloned() {
                let text = first.literal_prefix();
                if let Some((t, _)) = text.split_once('/') {
                    resources.push(canonical_resource(t));
                    names.push(first.suffix(t.len() + 1));
                    positional.remove(0);
                } else if first.is_static() {
                    resources.extend(text.split(',').map(canonical_resource));
                    positional.remove(0);
                }
                if matches!(verb, KubeVerb::SetImage | KubeVerb::SetEnv | KubeVerb::Taint) {
                    // `set image deploy/x c=image`, `taint nodes n1 k=v:NoSchedule`.
                    if names.is_empty() && !positional.is_empty() {
                        names.push(positional.remove(0));
                    }
                    operands = positional;
                } else if matches!(verb, KubeVerb::Label | KubeVerb::Annotate) {
                    // `label pods web-1 tier=db`, `annotate deploy x note-`.
                    let (ops, objs): (Vec<Word>, Vec<Word>) = positional
                        .into_iter()
                        .partition(|w| w.literal_prefix().contains('=') || w.template().ends_with('-'));
                    names.extend(objs);
                    operands = ops;
                } else {
                    names.append(&mut positional);
                }
            }
        }
    }
    if resources.is_empty() {
        match row.default_resource {
            Some(r) => resources.push(r.to_string()),
            None if verb == KubeVerb::Top => {
                return cx.missing(
                    cx.span,
                    format!("`{tool} top` needs `pods` or `nodes`"),
                    "kubectl top pods -l app=x",
                );
            }
            None => {
                return cx.missing(
                    cx.span,
                    format!("`{tool} {first}` needs a resource type"),
                    "for example: kubectl get deployment NAME",
                );
            }
        }
    }
    let selector = parsed.value("selector").cloned();
    if let Some(a) = checks(cx, tool, &first, verb, &parsed, &names, &operands, selector.is_some()) {
        return a;
    }
    let mut r = KubeRequest::new(verb);
    r.client = client;
    r.resources = resources;
    if !unknown.is_empty() {
        return literal(cx, tool, r, args, &unknown);
    }
    r.names = names;
    r.selector = selector;
    r.namespace = parsed.value("namespace").cloned();
    r.all_namespaces = parsed.has("all-namespaces");
    r.options = parsed.settings(&opts, &["namespace", "selector", "all-namespaces"]);
    r.operands = operands;
    Action::Kube(r)
}

/// What a verb needs, and the modes of its interactive and unbounded forms.
#[allow(clippy::too_many_arguments)]
fn checks(
    cx: &mut Cx<'_, '_>,
    tool: &str,
    first: &str,
    verb: KubeVerb,
    parsed: &options::Parsed<Word>,
    names: &[Word],
    operands: &[Word],
    selector: bool,
) -> Option<Action> {
    let terminal = parsed.on("stdin") || parsed.on("tty");
    if verb == KubeVerb::Edit {
        cx.manual(cx.span, &format!("`{tool} edit` opens an editor"));
    }
    if matches!(verb, KubeVerb::Exec | KubeVerb::Debug) && terminal {
        cx.manual(cx.span, &format!("`{tool} {first} -it` attaches a terminal"));
    }
    if verb == KubeVerb::Delete && parsed.on("interactive") {
        cx.manual(cx.span, &format!("`{tool} delete -i` asks on the terminal"));
    }
    if verb == KubeVerb::Project && !operands.is_empty() {
        return Some(cx.missing(
            operands[0].span,
            format!("`{tool} project NAME` switches the current project of the operator's kubeconfig"),
            "name the namespace with `-n NAME` on each command instead",
        ));
    }
    if verb == KubeVerb::Exec && operands.is_empty() {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} exec` needs a command after `--`"),
            "kubectl exec POD -- COMMAND",
        ));
    }
    if verb == KubeVerb::Cp && operands.len() != 2 {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} cp` takes a source and a destination"),
            "kubectl cp POD:/path ./local",
        ));
    }
    if verb == KubeVerb::Cp && operands.iter().filter(|o| k::remote(&o.template())).count() != 1 {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} cp` copies between a pod and a local path"),
            "kubectl cp POD:/path ./local",
        ));
    }
    if parsed.on("watch") || parsed.on("watch-only") {
        cx.bounded(cx.span, "`-w` watches until interrupted");
    }
    if parsed.on("follow") {
        cx.bounded(cx.span, "`logs -f` follows until interrupted");
    }
    if verb == KubeVerb::PortForward {
        cx.bounded(cx.span, "`port-forward` runs until stopped");
    }
    if verb == KubeVerb::Scale && parsed.value("replicas").is_none() {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} scale` needs `--replicas`"),
            "kubectl scale deployment NAME --replicas=N",
        ));
    }
    if verb == KubeVerb::Patch && parsed.value("patch").is_none() && parsed.value("patch-file").is_none() {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} patch` needs a patch body (`-p`)"),
            "kubectl patch deployment NAME -p '{…}'",
        ));
    }
    let from_file = parsed.has("filename") || parsed.has("kustomize");
    if names.is_empty()
        && !selector
        && !parsed.has("all")
        && verb.base_effect() != Effect::Read
        && !from_file
        && !matches!(verb, KubeVerb::Apply | KubeVerb::Replace | KubeVerb::Cp | KubeVerb::Debug)
    {
        return Some(cx.missing(
            cx.span,
            format!("`{tool} {first}` changes objects but names none"),
            "name the object (deployment/NAME) or give a selector (-l app=x)",
        ));
    }
    None
}

/// A command with options the tables do not declare: kept as its exact words, with a warning
/// for each such option. Its words must all be literal, so the manifest shows what runs.
fn literal(
    cx: &mut Cx<'_, '_>,
    tool: &str,
    mut r: KubeRequest<Word>,
    args: &[Word],
    unknown: &[(usize, String)],
) -> Action {
    if let Some(w) = args.iter().find(|w| w.literal().is_none()) {
        let (_, option) = &unknown[0];
        cx.error(
            Diagnostic::error(
                Kind::UnknownOption,
                w.span,
                format!("`{tool}` option `{option}` is not typed, and this word is computed at run time"),
            )
            .with_label("run-time value")
            .with_help("a command with an untyped option runs with its literal words only: write them literally, or drop the option"),
        );
        return Action::Invalid;
    }
    for (at, option) in unknown {
        cx.warn(
            Diagnostic::warning(
                Kind::UnknownOption,
                args.get(*at).map_or(cx.span, |w| w.span),
                format!("`{option}` is not typed: the command runs with its literal arguments"),
            )
            .with_label("untyped option")
            .with_help(format!(
                "the manifest shows the exact words `{tool}` receives; file an issue to type the option"
            )),
        );
    }
    r.literal = args.to_vec();
    Action::Kube(r)
}

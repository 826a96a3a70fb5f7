//! `kubectl …` → typed Kubernetes requests (`kube.<resource>.<verb>` with namespace, names or
//! selector), with the option tables of `playbook_capability::kube`.

use playbook_capability::kube::{KubeRequest, KubeVerb, SUBVERBS, VERBS, canonical_resource, table};
use playbook_capability::{Effect, Value as _, options};

use super::{Action, Cx};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// `kubectl ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, args: &[Word]) -> Action {
    let Some(first) = args.first().and_then(Word::literal) else {
        return cx.missing(
            cx.span,
            "`kubectl` needs a command",
            "kubectl get|describe|logs|scale|rollout|patch|set|delete|exec …",
        );
    };
    let (verb, default_resource, rest) = match first.as_str() {
        group @ ("rollout" | "set") => {
            let sub = args.get(1).and_then(Word::literal).unwrap_or_default();
            let Some(&(_, _, verb, _)) = SUBVERBS.iter().find(|(g, s, ..)| *g == group && *s == sub) else {
                let known: Vec<&str> = SUBVERBS.iter().filter(|(g, ..)| *g == group).map(|(_, s, ..)| *s).collect();
                return cx.missing(
                    args.get(1).map_or(cx.span, |w| w.span),
                    format!("`kubectl {group} {sub}` is not a command playbook knows"),
                    &format!("kubectl {group} {}", known.join("|")),
                );
            };
            (verb, None, &args[2.min(args.len())..])
        }
        name => match VERBS.iter().find(|v| v.name == name) {
            Some(v) => (v.verb, v.default_resource, &args[1..]),
            None => {
                return cx.missing(args[0].span, format!("`kubectl {name}` is not a kubectl command playbook knows"), "known: get, describe, logs, top, events, scale, rollout, patch, set, delete, exec, port-forward, edit, apply, label, annotate, cordon, drain");
            }
        },
    };
    let opts = table(verb);
    let parsed = match options::parse(&opts, rest, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error("kubectl", &e, rest),
    };
    if parsed.value("context").is_some() {
        cx.error(
            Diagnostic::error(Kind::UnknownOption, cx.span, "`--context` switches to another cluster")
                .with_label("other cluster")
                .with_help("playbook runs kubectl with the operator's current context; remove the option"),
        );
        return Action::Invalid;
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
            names.push(first.suffix(t.len() + 1));
            positional.remove(0);
        } else if first.is_static() && verb != KubeVerb::Events {
            resources.extend(text.split(',').map(canonical_resource));
            positional.remove(0);
            if !matches!(verb, KubeVerb::SetImage | KubeVerb::SetEnv | KubeVerb::PortForward | KubeVerb::Exec) {
                names.append(&mut positional);
            }
        }
    }
    if resources.is_empty() {
        match default_resource {
            Some(r) => resources.push(r.to_string()),
            None if verb == KubeVerb::Top => {
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
    if matches!(verb, KubeVerb::Exec | KubeVerb::SetImage | KubeVerb::SetEnv | KubeVerb::PortForward) {
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
    // Mode: interactive and unbounded forms.
    if verb == KubeVerb::Edit {
        cx.manual(cx.span, "`kubectl edit` opens an editor");
    }
    if verb == KubeVerb::Exec && (parsed.has("stdin") || parsed.has("tty")) {
        cx.manual(cx.span, "`kubectl exec -it` attaches a terminal");
    }
    if verb == KubeVerb::Exec && operands.is_empty() {
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
    if verb == KubeVerb::PortForward {
        cx.bounded(cx.span, "`port-forward` runs until stopped");
    }
    if verb == KubeVerb::Scale && parsed.value("replicas").is_none() {
        return cx.missing(cx.span, "`kubectl scale` needs `--replicas`", "kubectl scale deployment NAME --replicas=N");
    }
    if verb == KubeVerb::Patch && parsed.value("patch").is_none() && parsed.value("patch-file").is_none() {
        return cx.missing(
            cx.span,
            "`kubectl patch` needs a patch body (`-p`)",
            "kubectl patch deployment NAME -p '{…}'",
        );
    }
    if names.is_empty()
        && selector.is_none()
        && !parsed.has("all")
        && verb.base_effect() != Effect::Read
        && verb != KubeVerb::Apply
    {
        return cx.missing(
            cx.span,
            format!("`kubectl {first}` changes objects but names none"),
            "name the object (deployment/NAME) or give a selector (-l app=x)",
        );
    }
    let mut r = KubeRequest::new(verb);
    r.resources = resources;
    r.names = names;
    r.selector = selector;
    r.namespace = parsed.value("namespace").cloned();
    r.all_namespaces = parsed.has("all-namespaces");
    r.options = parsed.settings(&opts, &["namespace", "selector", "all-namespaces"]);
    r.operands = operands;
    Action::Kube(r)
}

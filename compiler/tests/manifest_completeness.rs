//! Manifest completeness by construction: two commands whose typed requests differ — in a
//! target, an option, a value, a header, a body, an environment variable — have different
//! manifests, and `manifest --diff` names what changed. Commands are built at random from the
//! option tables themselves, so an option added to a table is covered without a new test.

use playbook_capability::docker::{CONTAINER, DockerVerb, RUN_OPTS, TERMINAL};
use playbook_capability::http::HONOURED;
use playbook_capability::kube::{REFUSED, VERBS, table};
use playbook_capability::manifest::{Manifest, diff, diff_text};
use playbook_capability::options::Opt;
use playbook_compiler::{Source, compile};
use proptest::prelude::*;
use proptest::sample::select;

/// Values that are plain, spaced, quoted or option-like: enough to tell requests apart.
fn value() -> impl Strategy<Value = String> {
    select(vec!["1", "web", "8080:80", "A=b", "a b", "/srv/data:/data", "x=y,z", "0"]).prop_map(str::to_string)
}

/// A shell word for `v`, quoted so the shell keeps it one word.
fn word(v: &str) -> String {
    format!("'{v}'")
}

/// Options of a table, written with their long (or only) spelling and a value where taken.
fn options(table: Vec<Opt>, skip: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    let usable: Vec<Opt> = table.into_iter().filter(|o| !skip.contains(&o.key)).collect();
    let most = if usable.is_empty() { 0 } else { 4 };
    let usable = if usable.is_empty() { vec![playbook_capability::options::flag("none", &["--none"])] } else { usable };
    proptest::collection::vec((select(usable), value()), 0..=most).prop_map(|opts| {
        opts.into_iter()
            .map(|(o, v)| if o.value { format!("{}={}", o.long(), word(&v)) } else { o.long().to_string() })
            .collect()
    })
}

const DOCKER_SKIP: &[&str] = &["interactive", "tty", "attach", "follow", "detach", "rm"];

fn docker_run() -> impl Strategy<Value = String> {
    (
        options(RUN_OPTS.to_vec(), DOCKER_SKIP),
        select(vec!["busybox", "nginx:1"]),
        proptest::collection::vec(value(), 0..2),
    )
        .prop_map(|(opts, image, cmd)| {
            let cmd: Vec<String> = cmd.iter().map(|c| word(c)).collect();
            format!("docker run -d {} {image} {}", opts.join(" "), cmd.join(" "))
        })
}

fn docker_verb() -> impl Strategy<Value = String> {
    let subs: Vec<&'static playbook_capability::docker::Sub> = CONTAINER
        .iter()
        .filter(|s| !matches!(s.verb, DockerVerb::ContainerStats | DockerVerb::ContainerList))
        .filter(|s| s.arity != playbook_capability::docker::Arity::None)
        .collect();
    select(subs).prop_flat_map(|sub| {
        (options(sub.opts.to_vec(), DOCKER_SKIP), select(vec!["web", "db"]))
            .prop_map(move |(opts, target)| format!("docker {} {} {target}", sub.names[0], opts.join(" ")))
    })
}

fn kubectl() -> impl Strategy<Value = String> {
    const KUBE_SKIP: &[&str] =
        &["watch", "watch-only", "follow", "stdin", "tty", "context", "namespace", "selector", "all-namespaces"];
    let verbs: Vec<&'static playbook_capability::kube::Verb> = VERBS
        .iter()
        .filter(|v| matches!(v.name, "get" | "describe" | "delete" | "scale" | "label" | "annotate" | "logs"))
        .collect();
    select(verbs).prop_flat_map(|v| {
        let _ = REFUSED;
        (options(table(v.verb), KUBE_SKIP), select(vec!["api", "web"]), select(vec!["shop", "prod"])).prop_map(
            move |(opts, name, ns)| {
                let object = if v.name == "logs" { name.to_string() } else { format!("deployment/{name}") };
                let replicas = if v.name == "scale" { " --replicas=2" } else { "" };
                format!("kubectl {} {object} -n {ns}{replicas} {}", v.name, opts.join(" "))
            },
        )
    })
}

fn curl() -> impl Strategy<Value = String> {
    let honoured: Vec<Opt> =
        playbook_capability::http::CURL.iter().copied().filter(|o| HONOURED.contains(&o.key)).collect();
    (
        options(honoured, &["output", "head", "include"]),
        select(vec!["GET", "POST", "DELETE"]),
        proptest::collection::vec(select(vec!["X-A: 1", "X-B: two words", "Authorization: Bearer $TOKEN"]), 0..3),
        proptest::option::of(select(vec!["a=1", "{\"k\": 2}"])),
        select(vec!["http://localhost:8080/health", "http://localhost:8080/api?x=1"]),
    )
        .prop_map(|(opts, method, headers, body, url)| {
            let h: Vec<String> = headers.iter().map(|h| format!("-H \"{h}\"")).collect();
            let b = body.map(|b| format!("-d '{b}'")).unwrap_or_default();
            format!("curl -X {method} {} {} {b} {url}", opts.join(" "), h.join(" "))
        })
}

fn program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(select(vec!["LOG=debug", "MODE='a b'", "GIT_DIR=/x"]), 0..2),
        select(vec!["./deploy.sh", "systemctl", "journalctl"]),
        proptest::collection::vec(value(), 0..3),
    )
        .prop_map(|(env, prog, args)| {
            let args: Vec<String> = args.iter().map(|a| word(a)).collect();
            format!("{} {prog} {}", env.join(" "), args.join(" "))
        })
}

fn command() -> impl Strategy<Value = String> {
    prop_oneof![docker_run(), docker_verb(), kubectl(), curl(), program()]
}

/// The manifest and the typed requests (spans removed) of a one-command runbook; `None` when it
/// does not compile to a call.
fn compiled(cmd: &str) -> Option<(Manifest, serde_json::Value)> {
    let c = compile(Source::new("c.md", format!("# C\n\n```bash\n{cmd}\n```\n")));
    if c.has_errors() || !c.manifest.manual.is_empty() || c.manifest.grants.is_empty() {
        return None;
    }
    let mut requests = Vec::new();
    c.graph.walk(&mut |node| {
        if let Some(s) = playbook_compiler::StepGraph::script(node) {
            s.visit_simple(&mut |s| requests.push(serde_json::to_value(&s.action).unwrap()));
        }
    });
    let mut requests = serde_json::Value::Array(requests);
    strip_spans(&mut requests);
    Some((c.manifest.document(&c.source), requests))
}

fn strip_spans(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("span");
            o.values_mut().for_each(strip_spans);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn different_requests_have_different_manifests(a in command(), b in command()) {
        let (Some((ma, ra)), Some((mb, rb))) = (compiled(&a), compiled(&b)) else { return Ok(()) };
        if ra == rb {
            // The same request: the same grants.
            prop_assert!(diff(&ma, &mb).is_empty(), "{a}\n{b}\n{}", diff_text(&diff(&ma, &mb)));
            return Ok(());
        }
        let d = diff(&ma, &mb);
        prop_assert!(!d.is_empty(), "different requests, one manifest:\n  {a}\n  {b}\n{ra}\n{rb}");
        // When one grant of a capability replaces another, the diff names the keys that changed.
        let same_capability = d.gained.grants.iter().any(|g| d.lost.grants.iter().any(|l| l.capability == g.capability));
        if same_capability {
            prop_assert!(!d.changed.is_empty(), "{}", diff_text(&d));
            let text = diff_text(&d);
            for c in &d.changed {
                prop_assert!(text.contains(&format!("~ {} {}:", c.capability, c.key)), "{text}");
            }
        }
    }
}

#[test]
fn the_attack_of_the_issue_changes_the_manifest() {
    // An approved `docker run` and the same with a host env file and a health command added.
    let approved = compiled("docker run -d --name web busybox").unwrap().0;
    let widened =
        compiled("docker run -d --name web --env-file /outside/s.env --health-cmd 'reboot -f' busybox").unwrap().0;
    let d = diff(&approved, &widened);
    assert!(!d.is_empty());
    let text = diff_text(&d);
    assert!(text.contains("~ docker.container.run --env-file: (none) → /outside/s.env"), "{text}");
    assert!(text.contains("~ docker.container.run --health-cmd: (none) → 'reboot -f'"), "{text}");
    let _ = TERMINAL;
}

/// The property is not vacuous: most generated commands compile to calls.
#[test]
fn most_generated_commands_compile_to_calls() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut ok, mut failed) = (0, Vec::new());
    for _ in 0..300 {
        let cmd = command().new_tree(&mut runner).unwrap().current();
        if compiled(&cmd).is_some() {
            ok += 1;
        } else {
            failed.push(cmd);
        }
    }
    assert!(ok >= 240, "{ok} of 300 compiled; some that did not: {:#?}", &failed[..failed.len().min(12)]);
}

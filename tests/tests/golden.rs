//! Golden files of the manifest, the graph and the diagnostics of every runbook in the corpus.
//! `BLESS=1 cargo test -p playbook-tests --test golden` rewrites them.

use playbook_compiler::{Source, compile, render};
use playbook_tests::{corpus, golden, root};

#[test]
fn corpus_outputs_match_golden_files() {
    for path in corpus() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let c = compile(Source::new(name.clone(), text));
        assert!(
            !c.has_errors(),
            "{name} must compile:\n{}",
            playbook::cli::render::diagnostics_text(&c.source, &c.diagnostics, false)
        );
        let dir = root().join("tests/golden").join(&stem);
        golden(
            &dir.join("manifest.json"),
            &(serde_json::to_string_pretty(&c.manifest.to_json(&c.source)).unwrap() + "\n"),
        );
        golden(&dir.join("manifest.txt"), &c.manifest.to_text(&c.source));
        golden(&dir.join("graph.mmd"), &render::mermaid(&c.source, &c.graph));
        golden(&dir.join("graph.json"), &(serde_json::to_string_pretty(&render::graph_document(&c)).unwrap() + "\n"));
        let doc = render::graph_document(&c);
        let steps = playbook::cli::steps::Graph::new(&doc).unwrap();
        golden(&dir.join("steps.txt"), &steps.text());
        golden(&dir.join("default-run.txt"), &steps.default_run());
        golden(
            &dir.join("diagnostics.txt"),
            &playbook::cli::render::diagnostics_text(&c.source, &c.diagnostics, false),
        );
    }
}

#[test]
fn seed_000_manifest_has_what_the_issue_lists() {
    let path = playbook_tests::seeds_dir().join("000_84719773df260702.txt");
    let c = compile(Source::new("000_84719773df260702.txt", std::fs::read_to_string(path).unwrap()));
    let m = c.manifest.to_json(&c.source);
    let grants = m["grants"].as_array().unwrap();
    let has = |cap: &str, effect: &str, kv: &[(&str, &str)]| {
        grants
            .iter()
            .any(|g| g["capability"] == cap && g["effect"] == effect && kv.iter().all(|(k, v)| g["scope"][*k] == *v))
    };
    assert!(has("http.request", "read", &[("method", "GET"), ("url", "http://localhost:8080/health")]));
    assert!(has("docker.container.list", "read", &[]));
    assert!(has("docker.container.logs", "read", &[("container", "advanced-comfyui-workflows")]));
    assert!(has("docker.container.restart", "write", &[("container", "advanced-comfyui-workflows")]));
    assert!(has("docker.container.update", "write", &[("container", "advanced-comfyui-workflows")]));
    assert!(has("docker.container.rm", "destructive", &[("container", "advanced-comfyui-workflows")]));
    assert!(has(
        "docker.container.run",
        "write",
        &[("image", "storycore/advanced-workflows:v1.0.0"), ("--name", "advanced-comfyui-workflows-rollback")]
    ));
    assert!(has("systemd.journal.read", "read", &[("program", "journalctl")]));
    assert!(has("process.exec", "read", &[("program", "free")]));
    assert!(has("process.exec", "write", &[("program", "nvidia-smi"), ("argv", "--gpu-reset")]));
    let systemctl = grants.iter().find(|g| g["scope"]["program"] == "systemctl").unwrap();
    assert_eq!(systemctl["capability"], "systemd.unit.restart");
    assert_eq!(systemctl["scope"]["unit"], "docker");
    assert_eq!(systemctl["effect"], "write");
    assert_eq!(systemctl["privileged"], true);
    assert_eq!(systemctl["scope"]["argv"], "restart docker");
    // The four causes form one choice.
    let choices: Vec<_> = c
        .graph
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            playbook_compiler::graph::NodeKind::Choice { branches } => Some(branches.len()),
            _ => None,
        })
        .collect();
    assert_eq!(choices, [4]);
}

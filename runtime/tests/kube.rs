//! Kubernetes contract tests: the real `kubectl` (on PATH; CI pins v1.37 from PyPI) against the
//! project's `kube-test-apiserver`, started in this process on loopback. They prove that the
//! runtime builds the right kubectl calls and that kubectl's real requests (discovery, tables,
//! watch-lists, the three patch types, scale, logs, rollout history/undo/status) do what the
//! runbook means. They are not tests against Kubernetes: see kube-test-apiserver's docs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::kube::{kubectl, kubectl_present, test_server};
use common::{text, workdir};

const RUNBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../runbooks/k8s-deployment-rollback.md");

const DEPLOYMENT: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        playbook.test/logs: |
          INFO started
          ERROR db connection refused
    spec:
      containers:
      - name: app
        image: shop:1
        env: [{name: MODE, value: live}]
";

/// A fresh server (these contract tests are the server's own: they run on it only).
fn cluster(dir: &Path) -> PathBuf {
    test_server(dir)
}

/// `web` in `shop` at revision 2 (`shop:2`), revision 1 being `shop:1`.
fn seeded(dir: &Path) -> PathBuf {
    let config = cluster(dir);
    std::fs::write(dir.join("web.yaml"), DEPLOYMENT).unwrap();
    kubectl(&config, &["apply", "-f", dir.join("web.yaml").to_str().unwrap()]);
    kubectl(&config, &["set", "image", "deployment/web", "app=shop:2", "-n", "shop"]);
    config
}

fn playbook(dir: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    let log = dir.join("out.log");
    let file = std::fs::File::create(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), RUNBOOK, "--input", "deployment=web", "--max-wait", "1"])
        .args(args)
        .env("KUBECONFIG", config)
        .stdin(std::process::Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    std::process::Output { status, stdout: std::fs::read(&log).unwrap(), stderr: Vec::new() }
}

/// `playbook run MD --yes` for a runbook written as `DIR/NAME`.
fn run_md(dir: &Path, config: &Path, name: &str, md: &str) -> std::process::Output {
    run_md_with(dir, config, name, md, &[])
}

fn run_md_with(dir: &Path, config: &Path, name: &str, md: &str, extra: &[&str]) -> std::process::Output {
    std::fs::write(dir.join(name), md).unwrap();
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), dir.join(name).to_str().unwrap(), "--yes"])
        .args(extra)
        .env("KUBECONFIG", config)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn jsonpath(config: &Path, path: &str) -> String {
    kubectl(config, &["get", "deployment", "web", "-n", "shop", "-o", &format!("jsonpath={path}")])
}

#[test]
fn the_rollback_runbook_investigates_and_rolls_back() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-undo");
    let config = seeded(&dir);
    assert_eq!(jsonpath(&config, "{.spec.template.spec.containers[0].image}"), "shop:2");
    let o = playbook(&dir, &config, &["--choose", "mitigate/option-a", "--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for piece in [
        "web    2/2     2            2",
        "REVISION  CHANGE-CAUSE",
        "Running",
        "ERROR db connection refused",
        "deployment.apps/web rolled back",
        "deployment \"web\" successfully rolled out",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    assert_eq!(jsonpath(&config, "{.spec.template.spec.containers[0].image}"), "shop:1");
    assert_eq!(jsonpath(&config, "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"), "3");
}

#[test]
fn option_b_scales_and_patches_strategically() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-scale");
    let config = seeded(&dir);
    let o = playbook(&dir, &config, &["--choose", "mitigate/option-b", "--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("deployment.apps/web scaled") && out.contains("deployment.apps/web patched"), "{out}");
    // The strategic patch merged into the `app` container: the image is still there.
    assert_eq!(
        jsonpath(
            &config,
            "{.spec.replicas} {.status.readyReplicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].resources.limits.memory}"
        ),
        "3 3 shop:2 512Mi"
    );
    assert_eq!(kubectl(&config, &["get", "pods", "-n", "shop", "-l", "app=web", "-o", "name"]).lines().count(), 3);
}

#[test]
fn denied_writes_leave_the_deployment_unchanged() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-deny");
    let config = seeded(&dir);
    let before =
        jsonpath(&config, "{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.resourceVersion}");
    // No terminal, no --yes: the scale fails closed.
    let o = playbook(&dir, &config, &["--choose", "mitigate/option-b"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("kube.deployments.scale needs a confirmation"), "{}", text(&o));
    // The operator's policy refuses rollbacks even with --yes.
    let o =
        playbook(&dir, &config, &["--choose", "mitigate/option-a", "--yes", "--deny", "kube.deployments.rollout-undo"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("policy denies kube.deployments.rollout-undo"), "{}", text(&o));
    // A name the hole cannot take.
    let o = playbook(&dir, &config, &["--choose", "mitigate/option-a", "--yes", "--input", "deployment=--all"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert_eq!(
        jsonpath(&config, "{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.resourceVersion}"),
        before
    );
}

#[test]
fn the_server_patches_like_kubectl_patch_local() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-local");
    let config = cluster(&dir);
    std::fs::write(dir.join("web.yaml"), DEPLOYMENT).unwrap();
    kubectl(&config, &["apply", "-f", dir.join("web.yaml").to_str().unwrap()]);
    let only_deployment = DEPLOYMENT.split("---\n").nth(1).unwrap();
    std::fs::write(dir.join("d.yaml"), only_deployment).unwrap();
    let d = dir.join("d.yaml");
    for (kind, body) in [
        (
            "strategic",
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","resources":{"limits":{"memory":"512Mi"}}}]}}}}"#,
        ),
        ("merge", r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"shop:9"}]}}}}"#),
        ("json", r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"shop:7"}]"#),
    ] {
        let local = kubectl(
            &config,
            &[
                "patch",
                "--local",
                "-f",
                d.to_str().unwrap(),
                "--type",
                kind,
                "-p",
                body,
                "-o",
                "jsonpath={.spec.template.spec.containers}",
            ],
        );
        kubectl(&config, &["patch", "deployment", "web", "-n", "shop", "--type", kind, "-p", body]);
        let served = jsonpath(&config, "{.spec.template.spec.containers}");
        let norm = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(norm(&served), norm(&local), "{kind} patch");
        // Back to the original for the next patch type.
        kubectl(&config, &["apply", "-f", d.to_str().unwrap()]);
        kubectl(
            &config,
            &[
                "patch",
                "deployment",
                "web",
                "-n",
                "shop",
                "--type",
                "json",
                "-p",
                r#"[{"op":"replace","path":"/spec/template/spec/containers","value":[{"name":"app","image":"shop:1","env":[{"name":"MODE","value":"live"}]}]}]"#,
            ],
        );
    }
}

#[test]
fn set_image_and_set_resources_match_kubectl_local() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-set-local");
    let config = cluster(&dir);
    std::fs::write(dir.join("web.yaml"), DEPLOYMENT).unwrap();
    kubectl(&config, &["apply", "-f", dir.join("web.yaml").to_str().unwrap()]);
    std::fs::write(dir.join("d.yaml"), DEPLOYMENT.split("---\n").nth(1).unwrap()).unwrap();
    let d = dir.join("d.yaml");
    let containers = "jsonpath={.spec.template.spec.containers}";
    let local_image =
        kubectl(&config, &["set", "image", "--local", "-f", d.to_str().unwrap(), "app=shop:5", "-o", containers]);
    let local_resources = kubectl(
        &config,
        &[
            "set",
            "resources",
            "--local",
            "-f",
            d.to_str().unwrap(),
            "-c",
            "app",
            "--limits=cpu=1,memory=1Gi",
            "--requests=cpu=250m",
            "-o",
            containers,
        ],
    );
    // kubectl's typed objects print an empty `resources: {}` that a real API server would
    // store too; the test server keeps what it was sent. Equal up to empty objects.
    let norm = |s: &str| without_empty_objects(serde_json::from_str::<serde_json::Value>(s).unwrap());
    kubectl(&config, &["set", "image", "deployment/web", "app=shop:5", "-n", "shop"]);
    assert_eq!(norm(&jsonpath(&config, "{.spec.template.spec.containers}")), norm(&local_image));
    kubectl(&config, &["set", "image", "deployment/web", "app=shop:1", "-n", "shop"]);
    // The same change through a runbook: playbook's argv for `set resources -c` is kubectl's.
    let md = "# Tune\n\n## Resources\n\n```bash\nkubectl set resources deployment web -n shop -c app --limits=cpu=1,memory=1Gi --requests=cpu=250m\n```\n";
    let o = run_md(&dir, &config, "tune.md", md);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("resource requirements updated"), "{}", text(&o));
    assert_eq!(norm(&jsonpath(&config, "{.spec.template.spec.containers}")), norm(&local_resources));
}

fn without_empty_objects(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, without_empty_objects(v)))
                .filter(|(_, v)| !matches!(v, Value::Object(o) if o.is_empty()))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_empty_objects).collect()),
        other => other,
    }
}

#[test]
fn exec_logs_delete_and_edit_through_a_runbook() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-more");
    let config = seeded(&dir);
    let before = kubectl(&config, &["get", "pods", "-n", "shop", "-l", "app=web", "-o", "name"]);
    let md = "# More\n\n## Look and replace\n\n```bash\nkubectl logs deployment/web -n shop --tail=1\nkubectl exec deploy/web -n shop -c app -- printenv MODE\nkubectl exec deploy/web -n shop -- env | grep -c MODE=live\nkubectl delete pod -n shop -l app=web\nkubectl edit deployment web -n shop\n```\n";
    // Without a terminal, the interactive edit stops the run (a person must do it)…
    let o = run_md(&dir, &config, "more.md", md);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("manual step `look-and-replace` needs a person"), "{out}");
    // …unless the operator passes it by.
    let o = run_md_with(&dir, &config, "more.md", md, &["--skip-manual"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for piece in [
        "ERROR db connection refused\nlive\n1\n",
        "deleted from shop namespace",
        "✋ by hand: kubectl edit deployment web -n shop",
        "passed by (--skip-manual)",
        "manual step passed by (--skip-manual): look-and-replace",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    assert!(!out.contains("INFO started"), "--tail=1 shows one line:\n{out}");
    // The ReplicaSet replaced the deleted pods with new ones.
    let after = kubectl(&config, &["get", "pods", "-n", "shop", "-l", "app=web", "-o", "name"]);
    assert_eq!(after.lines().count(), 2, "{after}");
    assert!(before.lines().all(|p| !after.contains(p)), "{before} / {after}");
    // A command the container does not have fails as kubectl reports it.
    let o = Command::new("kubectl")
        .args(["exec", "deploy/web", "-n", "shop", "--", "sh", "-c", "id"])
        .env("KUBECONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(127), "{}", text(&o));
}

#[test]
fn investigation_commands_read_what_the_server_holds() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-read");
    let config = seeded(&dir);
    let md = "# Look\n\n## Look around\n\n```bash\nkubectl describe deployment web -n shop\nkubectl top pods -n shop -l app=web\nkubectl top nodes\nkubectl get events -n shop\nkubectl describe nodes\nkubectl logs -n shop -l app=web --previous\n```\n\n## Restart\n\n```bash\nkubectl rollout restart deployment/web -n shop\nkubectl rollout history deployment/web -n shop\n```\n";
    let o = run_md(&dir, &config, "look.md", md);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for piece in [
        "NewReplicaSet:",
        "CPU(cores)",
        "playbook-node-1",
        "ScalingReplicaSet",
        "Kubelet Version:",
        "previous container exited with status 137",
        "deployment.apps/web restarted",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    // The restart is a new template: a third revision.
    assert!(out.contains("\n3 ") || out.contains("\n3\t") || out.contains("3         <none>"), "{out}");
    assert!(
        !jsonpath(&config, "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}").is_empty()
    );
}

/// Issue 16: global options before the verb, new verbs, and an option playbook does not type
/// (kept literal: the manifest shows the words, the host passes exactly them) against the real
/// kubectl.
#[test]
fn global_options_anywhere_new_verbs_and_literal_options_reach_kubectl() {
    if !kubectl_present() {
        return;
    }
    let dir = workdir("kube-globals");
    let config = seeded(&dir);
    let md = "# K\n\n```bash\nkubectl -n shop get deployments\nkubectl --namespace=shop --request-timeout=10s get pods\nkubectl get deployment web -n shop --server-print=false\nkubectl api-versions\nkubectl -n shop label deployment web tier=frontend --overwrite\n```\n";
    std::fs::write(dir.join("g.md"), md).unwrap();
    let m = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["manifest", dir.join("g.md").to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(m.status.code(), Some(0), "{}", String::from_utf8_lossy(&m.stderr));
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    let caps: Vec<&str> = m["grants"].as_array().unwrap().iter().map(|g| g["capability"].as_str().unwrap()).collect();
    assert!(caps.contains(&"kube.deployments.get") && caps.contains(&"kube.deployments.label"), "{caps:?}");
    assert!(m["grants"].as_array().unwrap().iter().all(|g| g["capability"] != "process.exec"), "{m}");
    let o = run_md(&dir, &config, "g.md", md);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("web"), "the deployments are listed: {out}");
    assert!(out.contains("apps/v1"), "api-versions answered from discovery: {out}");
    assert_eq!(jsonpath(&config, "{.metadata.labels.tier}"), "frontend", "the label reached the server: {out}");
}

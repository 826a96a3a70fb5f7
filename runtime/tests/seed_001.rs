//! Seed 001 ("Service Down", `AgentNativeFramework`) end to end through the real `kubectl`:
//! every branch of its three choices, with its investigation steps, the multi-line JSON patch,
//! the bounded `-w` watch, `port-forward … &` followed by `curl localhost`, and its manual
//! `exec -it` and `edit` steps. Contract tests against `kube-test-apiserver`; with
//! `PLAYBOOK_TEST_KUBECONFIG=FILE` the same tests run against a real cluster (README).
//!
//! The runbook's verification curls `http://agent-native-framework:8080/…`, a name only the
//! cluster's DNS knows: the tests give playbook `--resolve agent-native-framework=127.0.0.2`
//! and serve the health and metrics endpoints there, as an operator would through a tunnel.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use common::kube::{Cluster, kubectl_present};
use common::{Server, text, workdir};

const NAME: &str = "agent-native-framework";

/// The tests share local ports 8080 (the runbook's port-forward) and 127.0.0.2:8080/8000.
static PORTS: Mutex<()> = Mutex::new(());

fn seed() -> PathBuf {
    let dir = std::env::var("PLAYBOOK_SEEDS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds").to_string());
    Path::new(&dir).join("001_0d029be4a4415fdd.txt")
}

struct Fixture {
    dir: PathBuf,
    cluster: Cluster,
    /// What a port-forward to the pods' port 8080 reaches (on the test server).
    _pod: Server,
}

/// The service's address as the verification step reaches it (one for all tests: a
/// listener lives as long as the test process).
static SERVICE: std::sync::OnceLock<(Server, Server)> = std::sync::OnceLock::new();

/// The cluster the runbook expects, at revision 2 (`v1.0.1`; revision 1 is `busybox:1.36`).
fn fixture(name: &str) -> Fixture {
    let dir = workdir(&format!("seed001-{name}"));
    let cluster = Cluster::start(&dir, name);
    let pod = Server::start();
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed001/cluster.yaml"))
        .unwrap()
        .replace("PORT_8080", &format!("127.0.0.1:{}", pod.port));
    std::fs::write(dir.join("cluster.yaml"), yaml).unwrap();
    cluster.apply(&dir.join("cluster.yaml"));
    cluster.kubectl(&["set", "image", &format!("deployment/{NAME}"), "agent-manager=agent-native-framework:v1.0.1"]);
    SERVICE.get_or_init(|| (Server::start_on("127.0.0.2:8080"), Server::start_on("127.0.0.2:8000")));
    Fixture { dir, cluster, _pod: pod }
}

impl Fixture {
    fn run(&self, args: &[&str]) -> Output {
        let log = self.dir.join("out.log");
        let file = std::fs::File::create(&log).unwrap();
        let status = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["run", "--workdir", self.dir.to_str().unwrap(), seed().to_str().unwrap()])
            .args(["--resolve", &format!("{NAME}=127.0.0.2"), "--max-wait", "1"])
            .args(args)
            .env("KUBECONFIG", &self.cluster.config)
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .status()
            .unwrap();
        Output { status, stdout: std::fs::read(&log).unwrap(), stderr: Vec::new() }
    }

    fn get(&self, path: &str) -> String {
        self.cluster.kubectl(&["get", "deployment", NAME, "-o", &format!("jsonpath={path}")])
    }

    /// Steps allowed to fail: on a real cluster `logs --previous` finds no previous container
    /// and `top` needs metrics-server; the test server answers both.
    fn allowed_failures(&self) -> &'static [&'static str] {
        if self.cluster.real {
            &["investigation/step-2-review-pod-logs", "investigation/step-3-check-resource-utilization"]
        } else {
            &[]
        }
    }

    /// The run ended, and the steps that failed are exactly `expected` (plus the allowed ones).
    fn assert_failed_steps(&self, o: &Output, expected: &[&str]) -> String {
        let out = text(o);
        let failed: Vec<&str> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("failed: "))
            .filter(|s| !self.allowed_failures().contains(s))
            .collect();
        assert_eq!(failed, expected, "{out}");
        let code = i32::from(!(expected.is_empty() && failed.is_empty() && !out.contains("failed: ")));
        assert_eq!(o.status.code(), Some(code), "{out}");
        out
    }
}

fn contains_all(out: &str, pieces: &[&str]) {
    for piece in pieces {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
}

/// What every path shows before its first choice, and the verification after its last.
const INVESTIGATION: &[&str] = &[
    "▶ Step 1: Check Pod Status",
    "agent-native-framework   2/2     2            2",
    "NewReplicaSet:",
    "▶ Step 2: Review Pod Logs",
    "ERROR anthropic api: 401 invalid x-api-key",
    "▶ Step 3: Check Resource Utilization",
    "▶ Step 4: Validate Configuration",
    "LOG_LEVEL: INFO",
    "agent-secrets",
    // The two `exec -it` lines, the first with its `| grep`, are the operator's to run.
    "✋ by hand: kubectl exec -it deployment/agent-native-framework -- env | grep -E \"(ANTHROPIC|LOG|AGENT)\"",
    "✋ by hand: kubectl exec -it deployment/agent-native-framework -- curl -I https://api.anthropic.com/v1/health",
    "ServiceAccount  agent-native-framework",
    "▶ Step 3: Verification",
    "{\"status\":\"live\"}",
    "{\"status\":\"ready\"}",
    "agent_requests_total{shard=\"19\"} 133",
];

#[test]
fn crash_loop_then_rollback_then_configuration_fix() {
    if !kubectl_present() {
        return;
    }
    let _ports = PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fixture("crash");
    let o = f.run(&[
        "--yes",
        "--skip-manual",
        "--choose",
        "response/if-pods-are-crashloopbackoff",
        "--choose",
        "response/option-1",
        "--choose",
        "resolution/configuration-issues",
    ]);
    let out = f.assert_failed_steps(&o, &[]);
    contains_all(&out, INVESTIGATION);
    contains_all(
        &out,
        &[
            "◆ Immediate Actions: If Pods are CrashLoopBackOff",
            "deployment.apps/agent-native-framework patched",
            "deployment.apps/agent-native-framework restarted",
            "deployment.apps/agent-native-framework rolled back",
            "successfully rolled out",
            "✋ by hand: kubectl edit configmap agent-config",
            "✋ by hand: kubectl edit secret agent-secrets",
        ],
    );
    if !f.cluster.real {
        contains_all(&out, &["previous container exited with status 137 (OOMKilled)", "CPU(cores)"]);
    }
    // Revisions: 1 busybox, 2 v1.0.1, 3 the 4Gi patch, 4 the restart; undo brings back 3's
    // template as revision 5, and the configuration fix restarts it again (6). The strategic
    // patch merged into the container: the image and the request stayed.
    assert_eq!(
        f.get("{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].resources.requests.memory}"),
        "agent-native-framework:v1.0.1 4Gi 256Mi"
    );
    assert_eq!(f.get("{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"), "6");
    assert!(!f.get("{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}").is_empty());
}

#[test]
fn no_pods_then_scale_up_then_resource_fix() {
    if !kubectl_present() {
        return;
    }
    let _ports = PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fixture("nopods");
    f.cluster.kubectl(&["scale", "deployment", NAME, "--replicas=0"]);
    let o = f.run(&[
        "--yes",
        "--skip-manual",
        "--choose",
        "response/if-no-pods-running",
        "--choose",
        "response/option-2",
        "--choose",
        "resolution/resource-issues",
    ]);
    // kubectl ≥ 1.33 shows no events when `describe` matches several objects (`--show-events`
    // defaults to false then), so the runbook's `describe pods -l … | grep -A5 "Events:"`
    // finds nothing and its step fails, as it would at the operator's terminal.
    let out = f.assert_failed_steps(&o, &["response/if-no-pods-running/check-for-scheduling-issues"]);
    contains_all(
        &out,
        &[
            "agent-native-framework   0/0     0            0",
            "deployment.apps/agent-native-framework scaled",
            "◆ Emergency Mitigation: Option 2: Scale Up Replicas",
            "Running",
            "◆ Step 2: Implement Fix: Resource Issues",
            "deployment.apps/agent-native-framework patched",
        ],
    );
    // The patch body spanning twelve lines of the runbook arrived whole.
    assert_eq!(
        f.get("{.spec.replicas} {.spec.template.spec.containers[0].resources.requests.cpu} {.spec.template.spec.containers[0].resources.requests.memory} {.spec.template.spec.containers[0].resources.limits.cpu} {.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].image}"),
        "4 500m 1Gi 2000m 4Gi agent-native-framework:v1.0.1"
    );
    let pods = f.cluster.kubectl(&["get", "pods", "-l", "app=agent-native-framework", "-o", "name"]);
    if !f.cluster.real {
        assert_eq!(pods.lines().count(), 4, "{pods}");
    }
}

#[test]
fn unhealthy_pods_then_configuration_fix_then_hotfix() {
    if !kubectl_present() {
        return;
    }
    let _ports = PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fixture("unhealthy");
    let o = f.run(&[
        "--yes",
        "--skip-manual",
        "--choose",
        "response/if-pods-running-but-unhealthy",
        "--choose",
        "response/option-3",
        "--choose",
        "resolution/code-issues",
    ]);
    let out = f.assert_failed_steps(&o, &[]);
    contains_all(&out, INVESTIGATION);
    contains_all(
        &out,
        &[
            // `port-forward … &` is waited for until it listens, then curl goes through it.
            "Forwarding from 127.0.0.1:8080 -> 8080",
            "Handling connection for 8080",
            "ClusterIP",
            "configmap/agent-config patched",
            "deployment.apps/agent-native-framework restarted",
            "deployment.apps/agent-native-framework image updated",
            "successfully rolled out",
        ],
    );
    // Both health checks went through the forward, before the verification's own.
    let health = out.matches("{\"status\":\"live\"}").count() + out.matches("{\"status\":\"ready\"}").count();
    assert_eq!(health, 4, "{out}");
    assert_eq!(
        f.cluster.kubectl(&["get", "configmap", "agent-config", "-o", "jsonpath={.data.LOG_LEVEL} {.data.AGENT_POOL}"]),
        "DEBUG 8"
    );
    assert_eq!(f.get("{.spec.template.spec.containers[0].image}"), "agent-native-framework:hotfix-v1.0.1");
    if !f.cluster.real {
        // What the manual `exec -it … env | grep` would show the operator now.
        let env = f.cluster.kubectl(&["exec", &format!("deployment/{NAME}"), "--", "env"]);
        assert!(env.contains("LOG_LEVEL=DEBUG") && env.contains("AGENT_MODE=production"), "{env}");
    }
}

#[test]
fn writes_are_gated_and_a_write_outside_the_manifest_is_denied() {
    if !kubectl_present() {
        return;
    }
    let _ports = PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fixture("deny");
    let state = || f.get("{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.resourceVersion}");
    let before = state();
    // No terminal: nobody can do the first manual step (`exec -it`), so the run stops there,
    // before any change; with --yes as well (it confirms changes, not a person's work).
    for yes in [&[][..], &["--yes"][..]] {
        let mut args = vec!["--choose", "response/if-pods-are-crashloopbackoff", "--choose", "response/option-1"];
        args.extend_from_slice(yes);
        let o = f.run(&args);
        assert_eq!(o.status.code(), Some(126), "{}", text(&o));
        assert!(
            text(&o).contains("manual step `investigation/step-4-validate-configuration` needs a person"),
            "{}",
            text(&o)
        );
        assert_eq!(state(), before);
    }
    // The operator's policy refuses patches even with --yes.
    let o = f.run(&[
        "--yes",
        "--skip-manual",
        "--deny",
        "kube.deployments.patch",
        "--choose",
        "response/if-pods-are-crashloopbackoff",
        "--choose",
        "response/option-1",
    ]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("policy denies kube.deployments.patch"), "{}", text(&o));
    assert_eq!(state(), before);

    // The code of a runbook that scales another deployment, or the same one in another
    // namespace, carrying seed 001's manifest: what a hand-crafted component is. Denied,
    // nothing scaled.
    let payments = f.cluster.other_namespace("payments");
    let deployment = |name: &str, ns: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  replicas: 1\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec: {{containers: [{{name: app, image: \"busybox:1.36\", command: [sleep, \"3600\"]}}]}}\n"
        )
    };
    let own = f.cluster.kubectl(&["config", "view", "--minify", "-o", "jsonpath={..namespace}"]);
    let own = if own.is_empty() { "default".to_string() } else { own };
    std::fs::write(
        f.dir.join("others.yaml"),
        format!("{}---\n{}", deployment("billing", &own), deployment(NAME, &payments)),
    )
    .unwrap();
    f.cluster.apply(&f.dir.join("others.yaml"));
    for (rogue_line, (name, ns)) in [
        ("kubectl scale deployment billing --replicas=0".to_string(), ("billing", own.as_str())),
        (format!("kubectl scale deployment {NAME} -n {payments} --replicas=0"), (NAME, payments.as_str())),
    ] {
        let wasm = crafted(&f.dir, &rogue_line);
        let o = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args([
                "run",
                "--workdir",
                f.dir.to_str().unwrap(),
                wasm.to_str().unwrap(),
                "--yes",
                "--skip-manual",
                "--max-wait",
                "1",
            ])
            .args(["--choose", "response/if-no-pods-running", "--choose", "response/option-2"])
            .env("KUBECONFIG", &f.cluster.config)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let out = text(&o);
        assert_eq!(o.status.code(), Some(126), "{out}");
        assert!(out.contains("denied: no grant of the manifest allows kube.deployments.scale"), "{out}");
        let replicas = f.cluster.kubectl(&["get", "deployment", name, "-n", ns, "-o", "jsonpath={.spec.replicas}"]);
        assert_eq!(replicas, "1", "{name} in {ns}");
    }
    // The deployment the manifest does grant was scaled to 2 by the allowed step before.
    assert_eq!(f.get("{.spec.replicas}"), "2");
}

/// Seed 001 with Option 2's scale replaced by `rogue_line`, carrying seed 001's own manifest.
fn crafted(dir: &Path, rogue_line: &str) -> PathBuf {
    use playbook_compiler::{Source, codegen, compile};
    let text = std::fs::read_to_string(seed()).unwrap();
    let rogue = compile(Source::new(
        "001.md",
        text.replace("kubectl scale deployment agent-native-framework --replicas=4", rogue_line),
    ));
    let honest = compile(Source::new("001.md", &text));
    let manifest = honest.manifest.to_json(&honest.source).to_string();
    let graph = playbook_compiler::render::graph_document(&rogue).to_string();
    let bytes = codegen::attach(
        codegen::emit_code(&rogue).unwrap().component,
        vec![
            (playbook_capability::component::sections::MANIFEST, manifest.into_bytes()),
            (playbook_capability::component::sections::GRAPH, graph.into_bytes()),
        ],
    );
    let wasm = dir.join("crafted.wasm");
    std::fs::write(&wasm, &bytes).unwrap();
    wasm
}

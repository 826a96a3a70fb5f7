//! Docker end to end on a real engine (started by `tests/env/up`): seed 000 against a container
//! named `advanced-comfyui-workflows` serving `/health` on port 8080 — every branch of its
//! choice, the rollback and the full recovery — and `runbooks/web-service-down.md`. Denied
//! changes are checked on the engine itself.
//!
//! The tests share port 8080 and container names, so they take a lock.

mod common;

use std::io::{Read as _, Write as _};
use std::sync::Mutex;
use std::time::Duration;

use common::{require, run, run_merged, sh, stdout, text, workdir};

static ENGINE: Mutex<()> = Mutex::new(());

const SEED_000: &str = "000_84719773df260702.txt";
const MAIN: &str = "advanced-comfyui-workflows";
const ROLLBACK: &str = "advanced-comfyui-workflows-rollback";

fn seed(name: &str) -> String {
    let dir = std::env::var("PLAYBOOK_SEEDS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds").to_string());
    format!("{dir}/{name}")
}

fn engine() -> bool {
    let ready = sh("docker", &["info", "--format", "{{.ServerVersion}}"]).is_some()
        && sh("docker", &["image", "inspect", "--format", "{{.Id}}", "storycore/advanced-workflows:latest"]).is_some();
    require("a Docker engine with the playbook test image", ready)
}

fn docker(args: &[&str]) -> Option<String> {
    sh("docker", args).map(|s| s.trim().to_string())
}

fn inspect(name: &str, format: &str) -> Option<String> {
    docker(&["inspect", "--format", format, name])
}

/// `GET /health` on a loopback port, answered within a few seconds.
fn healthy(port: u16) -> bool {
    for _ in 0..50 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = s.write_all(b"GET /health HTTP/1.0\r\n\r\n");
            let mut body = String::new();
            let _ = s.read_to_string(&mut body);
            if body.starts_with("HTTP/1.0 200") || body.starts_with("HTTP/1.1 200") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Removes seed 000's containers when the test ends, so that port 8080 is free again.
struct Service;

impl Drop for Service {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", MAIN, ROLLBACK]);
    }
}

/// The service of seed 000, freshly started, and nothing else of its names.
fn fresh_service() -> Service {
    let _ = docker(&["rm", "-f", MAIN, ROLLBACK]);
    docker(&["run", "-d", "--name", MAIN, "-p", "8080:8080", "storycore/advanced-workflows:latest"])
        .expect("start the service container");
    assert!(healthy(8080), "the service container does not answer on 8080");
    Service
}

fn seed_000(extra: &[&str]) -> std::process::Output {
    let dir = workdir("seed000");
    let path = seed(SEED_000);
    let mut args = vec![path.as_str(), "--max-wait", "1"];
    args.extend_from_slice(extra);
    run_merged(&dir, &args)
}

/// Lines of the output, in order, each containing the next expected piece.
fn in_order(out: &str, pieces: &[&str]) {
    let mut rest = out;
    for p in pieces {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => panic!("`{p}` missing (or out of order) in:\n{out}"),
        }
    }
}

/// After the recovery section: the rollback container serves v1.0.0 on 8080, and the full
/// recovery's fresh container was created with the runbook's settings but could not start,
/// because the rollback still holds the port — the runbook's own flaw, reported honestly.
fn assert_recovered(o: &std::process::Output) {
    let out = text(o);
    assert_eq!(
        inspect(ROLLBACK, "{{.Config.Image}} {{.State.Status}}").as_deref(),
        Some("storycore/advanced-workflows:v1.0.0 running"),
        "{out}"
    );
    assert!(healthy(8080), "{out}");
    let main =
        inspect(MAIN, "{{.Config.Image}} {{.State.Status}} {{.HostConfig.RestartPolicy.Name}} {{json .Config.Env}}")
            .unwrap_or_default();
    assert!(main.starts_with("storycore/advanced-workflows:latest created unless-stopped"), "{main}\n{out}");
    assert!(main.contains("ENVIRONMENT=production"), "{main}");
    assert!(out.contains("step recovery/full-recovery ended with status 125"), "{out}");
    assert_eq!(o.status.code(), Some(1), "a failed step gives exit status 1\n{out}");
    assert!(out.contains("failed: recovery/full-recovery"), "{out}");
}

/// The default run of a cause: the recovery section is a menu, not the next steps. Nothing of
/// it ran: no rollback container, the service's own container still serves, and the summary
/// names both procedures as not chosen.
fn assert_not_recovered(o: &std::process::Output) {
    let out = text(o);
    assert!(inspect(ROLLBACK, "{{.Id}}").is_none(), "no rollback container\n{out}");
    assert_eq!(
        inspect(MAIN, "{{.Config.Image}} {{.State.Status}}").as_deref(),
        Some("storycore/advanced-workflows:latest running"),
        "{out}"
    );
    assert!(!out.contains("▶ Rollback Procedure") && !out.contains("▶ Full Recovery"), "{out}");
    assert!(out.contains("not chosen: recovery/rollback-procedure"), "{out}");
    assert!(out.contains("not chosen: recovery/full-recovery"), "{out}");
}

#[test]
fn seed_000_container_crash_branch_restarts_and_leaves_the_recovery_unchosen() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let before = inspect(MAIN, "{{.State.StartedAt}}").unwrap();
    let o = seed_000(&["--choose", "diagnosis/container-crash", "--yes"]);
    let out = text(&o);
    in_order(
        &out,
        &[
            "▶ Step 1: Confirm the Alert",
            "▶ Step 2: Check Logs",
            "◆ Common Causes & Solutions: 1. Container Crash",
            "▶ 1. Container Crash",
            MAIN,
            "ok",
            "◇ not chosen: Rollback Procedure",
            "◇ not chosen: Full Recovery",
        ],
    );
    assert_ne!(inspect(MAIN, "{{.State.StartedAt}}").as_deref(), Some(before.as_str()), "restarted\n{out}");
    // (The log step's last command, a grep for OOM kills in an empty journal, finds none.)
    assert!(out.contains("failed: initial-assessment/step-2-check-logs"), "{out}");
    assert!(!out.contains("failed: diagnosis/"), "{out}");
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_not_recovered(&o);
}

#[test]
fn seed_000_container_crash_branch_restarts_then_rolls_back_when_the_recovery_is_chosen() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let before = inspect(MAIN, "{{.State.StartedAt}}").unwrap();
    let o = seed_000(&["--choose", "diagnosis/container-crash", "--choose", "recovery", "--yes"]);
    let out = text(&o);
    in_order(
        &out,
        &[
            "▶ Step 1: Confirm the Alert",
            "ok",
            "storycore/advanced-workflows:latest",
            "▶ Step 2: Check Logs",
            "◆ Common Causes & Solutions: 1. Container Crash",
            "▶ 1. Container Crash",
            MAIN,
            "ok",
            "▶ Rollback Procedure",
            "▶ Full Recovery",
        ],
    );
    assert!(!out.contains("Out of Memory (OOM)  ["), "other branches are not run\n{out}");
    assert!(out.contains("3 skipped"), "{out}");
    assert!(!before.is_empty());
    assert_recovered(&o);
}

#[test]
fn seed_000_out_of_memory_branch_meets_the_real_engine_quirk() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let o = seed_000(&["--choose", "diagnosis/out-of-memory", "--yes"]);
    let out = text(&o);
    // `docker update --memory` on a container without a limit fails on a real engine; the
    // runbook goes on to the restart, as bash would.
    in_order(&out, &["▶ 2. Out of Memory (OOM)", "Mem:", "memoryswap", MAIN, "◇ not chosen: Rollback Procedure"]);
    assert_not_recovered(&o);
}

#[test]
fn seed_000_gpu_branch_reports_the_missing_tool() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let o = seed_000(&["--choose", "diagnosis/gpu", "--yes"]);
    let out = text(&o);
    in_order(&out, &["▶ 3. GPU Issues", "nvidia-smi: command not found", "nvidia-smi: command not found"]);
    assert!(out.contains("step diagnosis/gpu-issues ended with status 127"), "{out}");
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_not_recovered(&o);
}

#[test]
fn seed_000_network_branch_stops_at_the_privileged_restart() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let before = inspect(MAIN, "{{.State.StartedAt}}").unwrap();
    let o = seed_000(&["--choose", "diagnosis/network", "--yes"]);
    let out = text(&o);
    in_order(&out, &["▶ 4. Network Issues", "bridge", "\"Name\": \"bridge\"", "denied"]);
    assert!(out.contains("privileged (sudo)"), "{out}");
    assert_eq!(o.status.code(), Some(126), "{out}");
    // The run stopped: no recovery, the service untouched.
    assert!(!out.contains("▶ Rollback Procedure"), "{out}");
    assert!(inspect(ROLLBACK, "{{.Id}}").is_none());
    assert_eq!(inspect(MAIN, "{{.State.StartedAt}}").as_deref(), Some(before.as_str()));
}

#[test]
fn a_denied_restart_leaves_the_container_untouched() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let _service = fresh_service();
    let before = inspect(MAIN, "{{.State.StartedAt}} {{.RestartCount}}").unwrap();
    // No terminal and no --yes: the write fails closed.
    let o = seed_000(&["--choose", "diagnosis/container-crash"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("docker.container.restart needs a confirmation and nobody can give one"), "{}", text(&o));
    // The operator's policy: --yes, but restarts denied.
    let o = seed_000(&["--choose", "diagnosis/container-crash", "--yes", "--deny", "docker.container.restart"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("policy denies docker.container.restart"), "{}", text(&o));
    assert_eq!(inspect(MAIN, "{{.State.StartedAt}} {{.RestartCount}}").as_deref(), Some(before.as_str()));
    assert_eq!(inspect(MAIN, "{{.State.Status}}").as_deref(), Some("running"));
}

#[test]
fn a_target_must_be_a_container_of_that_exact_name() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let name = "pb-exact-name";
    let _ = docker(&["rm", "-f", name]);
    let id = docker(&["run", "-d", "--name", name, "--network", "none", "playbook-test:latest"]).unwrap();
    let before = inspect(name, "{{.State.StartedAt}}").unwrap();
    let dir = workdir("exact");
    let md = common::runbook(&dir, "r.md", "# R\n\n## Restart\n\n```bash\ndocker restart <container>\n```\n");
    // An ID prefix would make Docker restart that container; playbook refuses.
    let prefix = &id[..12];
    let o = run(&dir, &[&md, "--yes", "--input", &format!("container={prefix}")]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains(&format!("resolves to container /{name}")), "{}", text(&o));
    assert_eq!(inspect(name, "{{.State.StartedAt}}").as_deref(), Some(before.as_str()));
    // The exact name is fine.
    let o = run(&dir, &[&md, "--yes", "--input", &format!("container={name}")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(stdout(&o).trim(), name);
    assert_ne!(inspect(name, "{{.State.StartedAt}}").as_deref(), Some(before.as_str()));
    let _ = docker(&["rm", "-f", name]);
}

#[test]
fn web_service_down_runs_both_options() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let md = concat!(env!("CARGO_MANIFEST_DIR"), "/../runbooks/web-service-down.md");
    for option in ["fix/option-1", "fix/option-2"] {
        let _ = docker(&["rm", "-f", "pb-web"]);
        docker(&[
            "run",
            "-d",
            "--name",
            "pb-web",
            "--network",
            "host",
            "playbook-test:latest",
            "httpd",
            "-f",
            "-p",
            "18080",
            "-h",
            "/www",
        ])
        .unwrap();
        assert!(healthy(18080));
        let dir = workdir("web");
        let o = run_merged(&dir, &[md, "--choose", option, "--yes", "--max-wait", "1"]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(0), "{out}");
        in_order(&out, &["pb-web Up", "running restarts=0", "pb-web", "healthy after attempt 1"]);
        if option == "fix/option-2" {
            assert_eq!(inspect("pb-web", "{{.HostConfig.Memory}}").as_deref(), Some("67108864"));
        }
    }
    let _ = docker(&["rm", "-f", "pb-web"]);
}

/// Issue 16: verbs runbooks use beyond containers (volumes, images, system df) and an option
/// playbook does not type (kept literal, passed exactly) reach the real engine; a volume made
/// by the runbook is really there and is really removed.
#[test]
fn volumes_images_system_df_and_a_literal_option_reach_the_engine() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = workdir("docker-verbs");
    let _ = docker(&["volume", "rm", "-f", "playbook-verbs-vol"]);
    let md = "# V\n\n```bash\ndocker volume create playbook-verbs-vol\ndocker volume ls --format '{{.Name}}'\ndocker image ls storycore/advanced-workflows --format '{{.Repository}}:{{.Tag}}'\ndocker system df\ndocker ps -a --no-trunc --format '{{.Names}}'\n```\n";
    std::fs::write(dir.join("v.md"), md).unwrap();
    let o = run(&dir, &[dir.join("v.md").to_str().unwrap(), "--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("playbook-verbs-vol"), "the volume is listed: {out}");
    assert!(out.contains("storycore/advanced-workflows:latest"), "{out}");
    assert!(out.contains("Local Volumes") || out.contains("VOLUMES") || out.contains("Volumes"), "system df: {out}");
    assert_eq!(
        docker(&["volume", "inspect", "--format", "{{.Name}}", "playbook-verbs-vol"]).as_deref(),
        Some("playbook-verbs-vol")
    );
    let rm = "# R\n\n```bash\ndocker volume rm playbook-verbs-vol\n```\n";
    std::fs::write(dir.join("r.md"), rm).unwrap();
    let o = run(&dir, &[dir.join("r.md").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(126), "a destructive call is not run unconfirmed: {}", text(&o));
    assert!(docker(&["volume", "inspect", "playbook-verbs-vol"]).is_some(), "still there");
    let o = run(&dir, &[dir.join("r.md").to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(docker(&["volume", "inspect", "playbook-verbs-vol"]).is_none(), "removed by the confirmed run");
}

#[test]
fn docker_cp_copies_both_ways_as_the_docker_client_does() {
    if !engine() {
        return;
    }
    let _g = ENGINE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let name = "playbook-cp-test";
    let _ = docker(&["rm", "-f", name]);
    docker(&["run", "-d", "--name", name, "--network", "none", "storycore/advanced-workflows:latest"])
        .expect("a container to copy from");
    let _cleanup = Removed(name);
    let script = format!(
        "docker cp {name}:/www/health out/health\necho \"status=$?\"\nwc -c < out/health\n\
         docker cp note.txt {name}:/www/note.txt\necho \"status=$?\"\ndocker exec {name} /bin/busybox cat /www/note.txt\n\
         docker cp {name}:/no/such/file out/\necho \"status=$?\"\n"
    );
    let ours_dir = workdir("docker-cp-ours");
    let theirs_dir = workdir("docker-cp-bash");
    for d in [&ours_dir, &theirs_dir] {
        std::fs::create_dir_all(d.join("out")).unwrap();
        std::fs::write(d.join("note.txt"), "copied in\n").unwrap();
    }
    let md = ours_dir.join("cp.md");
    std::fs::write(&md, format!("# Cp\n\n```bash\n{script}```\n")).unwrap();
    let m = common::playbook(&ours_dir, &["manifest", md.to_str().unwrap()]);
    let manifest = stdout(&m);
    assert!(manifest.contains("docker.container.cp"), "{manifest}");
    assert!(manifest.contains("container=playbook-cp-test") && manifest.contains("to-local=out/health"), "{manifest}");
    assert!(manifest.contains("from-local=note.txt"), "{manifest}");
    let ours = run(&ours_dir, &[md.to_str().unwrap(), "--yes"]);
    let theirs = std::process::Command::new("bash").arg("-c").arg(&script).current_dir(&theirs_dir).output().unwrap();
    assert_eq!(stdout(&ours), stdout(&theirs), "playbook vs bash\n--- playbook:\n{}", text(&ours));
    assert!(stdout(&ours).contains("copied in\n"), "{}", text(&ours));
    assert_eq!(
        std::fs::read(ours_dir.join("out/health")).unwrap(),
        std::fs::read(theirs_dir.join("out/health")).unwrap()
    );
    // The local side stays in the granted root.
    let md = ours_dir.join("out.md");
    std::fs::write(&md, format!("# Out\n\n```bash\ndocker cp {name}:/www/health /tmp/playbook-cp-escape\n```\n"))
        .unwrap();
    let o = run(&ours_dir, &[md.to_str().unwrap(), "--yes"]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("outside the granted root"), "{}", text(&o));
    assert!(!std::path::Path::new("/tmp/playbook-cp-escape").exists());
}

struct Removed(&'static str);

impl Drop for Removed {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", self.0]);
    }
}

//! The kernel as the second wall (issue 15): the attacks that got through when a program
//! classified `read` was trusted to only read, each run for real and each stopped — by a
//! classification that judges every argument, and by the jail (Landlock, seccomp, dropped
//! capabilities) when the classification alone would not have.

mod common;

use std::path::Path;

use common::crafted::{events, run_traced};
use common::{read, runbook, text, workdir, write};

/// A unique path outside the work directory that an attack tries to create.
fn outside(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("playbook-jail-{}-{name}", std::process::id()))
}

fn block(lines: &str) -> String {
    format!("# J\n\n```bash\n{lines}\n```\n")
}

/// Runs a runbook with `--yes` and a trace; the output and the trace's events.
fn run_yes(dir: &Path, name: &str, md: &str, extra: &[&str]) -> (std::process::Output, Vec<serde_json::Value>) {
    let rb = runbook(dir, name, md);
    let mut args = vec!["--yes"];
    args.extend_from_slice(extra);
    run_traced(dir, Path::new(&rb), &format!("{name}.jsonl"), &args)
}

/// The recorded stderr of every call's result.
fn recorded_stderr(ev: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for e in ev.iter().filter(|e| e["kind"] == "result") {
        out.push_str(e["stderr"].as_str().unwrap_or_default());
        out.push_str(e["shown"].as_str().unwrap_or_default());
    }
    out
}

#[test]
fn find_cannot_write_outside_the_workdir_even_when_confirmed() {
    let dir = workdir("jail-find");
    let target = outside("find");
    let _ = std::fs::remove_file(&target);
    write(&dir, "a.txt", "a\n");
    let (o, ev) = run_yes(&dir, "f.md", &block(&format!("find . -name a.txt -fprint {}", target.display())), &[]);
    assert!(!target.exists(), "find wrote outside the workdir: {}", text(&o));
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
    assert!(recorded_stderr(&ev).contains("Permission denied") || text(&o).contains("Permission denied"));
    // Without --yes it is not run at all: it is classified as the change it is.
    let rb = runbook(&dir, "g.md", &block(&format!("find . -fprint {}", target.display())));
    let o = common::run(&dir, &[&rb]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
}

#[test]
fn a_read_program_that_writes_is_stopped_by_the_kernel() {
    // `file` is classified read; `file -C` compiles a magic file into the working directory.
    // Only the jail stands in the way: a read jail has the workdir read-only.
    let dir = workdir("jail-file");
    write(&dir, "magic", "0 string PLAYBOOK playbook test\n");
    let (o, _) = run_yes(&dir, "m.md", &block("file -C -m magic"), &[]);
    assert!(!dir.join("magic.mgc").exists(), "the read program wrote: {}", text(&o));
    assert!(text(&o).to_lowercase().contains("permission denied"), "{}", text(&o));
}

#[test]
fn a_read_program_cannot_start_another_program() {
    // A repository whose configuration runs a command on `git status` (core.fsmonitor): git
    // is classified read, so the jail lets it execute nothing but itself.
    let dir = workdir("jail-git");
    let target = outside("git");
    let _ = std::fs::remove_file(&target);
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git").args(args).current_dir(&dir).output().unwrap();
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    git(&["config", "core.fsmonitor", &format!("touch {}", target.display())]);
    let (o, _) = run_yes(&dir, "s.md", &block("git status --short"), &[]);
    assert!(!target.exists(), "git ran its fsmonitor hook: {}", text(&o));
}

#[test]
fn environment_that_makes_git_run_code_makes_it_exec() {
    let dir = workdir("jail-git-env");
    let target = outside("git-env");
    let _ = std::fs::remove_file(&target);
    let o = std::process::Command::new("git").args(["init", "-q"]).current_dir(&dir).output().unwrap();
    assert!(o.status.success());
    let md = block(&format!(
        "export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor GIT_CONFIG_VALUE_0='touch {}'\ngit status --short",
        target.display()
    ));
    let rb = runbook(&dir, "e.md", &md);
    let m = common::playbook(&dir, &["manifest", &rb, "--format", "json"]);
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    let grant = m["grants"].as_array().unwrap().iter().find(|g| g["scope"]["program"] == "git").unwrap().clone();
    assert_eq!(grant["effect"], "exec", "{grant}");
    assert!(grant["scope"]["env.GIT_CONFIG_VALUE_0"].is_string(), "the variable is in the scope: {grant}");
    // Not confirmed: not run.
    let o = common::run(&dir, &[&rb]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(!target.exists());
    // Confirmed, it runs as exec: its hook may run, but writes only inside the workdir.
    let (o, _) = run_yes(&dir, "e2.md", &md, &[]);
    assert!(!target.exists(), "an exec program wrote outside the workdir: {}", text(&o));
}

#[test]
fn mount_dmesg_and_ss_changes_fail_with_eperm() {
    let dir = workdir("jail-sys");
    std::fs::create_dir_all(dir.join("mnt")).unwrap();
    let before = std::fs::read_to_string("/proc/self/mounts").unwrap();
    let kernel_log = std::process::Command::new("dmesg").output().map_or(0, |o| o.stdout.len());
    let (o, _) = run_yes(
        &dir,
        "s.md",
        &block(
            "mount -t tmpfs none mnt\necho \"mount=$?\"\ndmesg -C\necho \"dmesg=$?\"\nss -K dst 192.0.2.1\necho \"ss=$?\"",
        ),
        &[],
    );
    let out = text(&o);
    assert_eq!(std::fs::read_to_string("/proc/self/mounts").unwrap(), before, "nothing was mounted: {out}");
    assert!(!out.contains("mount=0"), "{out}");
    assert!(!out.contains("dmesg=0"), "{out}");
    let after = std::process::Command::new("dmesg").output().map_or(0, |o| o.stdout.len());
    assert!(after >= kernel_log.min(1), "the kernel log was not cleared: {out}");
    // Reading the kernel log still works: `dmesg` keeps CAP_SYSLOG alone.
    let (o, _) = run_yes(&dir, "r.md", &block("dmesg | tail -n 1 | wc -l"), &[]);
    assert!(text(&o).contains('1'), "{}", text(&o));
}

#[test]
fn jq_sees_the_runbook_s_variables_not_the_operator_s() {
    let dir = workdir("jail-jq");
    let rb = runbook(&dir, "j.md", &block("export LEVEL=debug\njq -n -c env"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--trace", "off"])
        .env("CLOUD_ACCESS_KEY", "AKIA-leaked-value")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = text(&o);
    assert!(out.contains("{\"LEVEL\":\"debug\"}"), "{out}");
    assert!(!out.contains("AKIA-leaked-value") && !out.contains("PATH"), "{out}");
}

#[test]
fn docker_runs_that_reach_the_host_are_privileged() {
    let dir = workdir("jail-docker");
    for (i, run) in [
        "docker run -d --name pb-jail -v ../../..:/host playbook-test true",
        "docker run -d --name pb-jail --network host playbook-test true",
        "docker run -d --name pb-jail --pid host playbook-test true",
    ]
    .iter()
    .enumerate()
    {
        let rb = runbook(&dir, &format!("d{i}.md"), &block(run));
        let m = common::playbook(&dir, &["manifest", &rb, "--format", "json"]);
        let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
        assert_eq!(m["grants"][0]["privileged"], true, "{run}: {m}");
        // Refused before it reaches the engine without --allow-privileged.
        let o = common::run(&dir, &[&rb, "--yes"]);
        assert_eq!(o.status.code(), Some(126), "{run}: {}", text(&o));
        assert!(text(&o).contains("privileged"), "{}", text(&o));
    }
    // A relative source that a symbolic link leads out of is refused at run time.
    std::os::unix::fs::symlink("/", dir.join("data")).unwrap();
    let rb = runbook(&dir, "link.md", &block("docker run -d --name pb-jail -v ./data:/host playbook-test true"));
    let o = common::run(&dir, &[&rb, "--yes"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("symbolic link leads out"), "{}", text(&o));
    let rb = runbook(&dir, "cmd.md", &block("docker run --rm playbook-test sh -c id"));
    let m = common::playbook(&dir, &["manifest", &rb, "--format", "json"]);
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(m["grants"][0]["effect"], "exec", "a container running the runbook's command: {m}");
}

#[test]
fn hard_links_matched_by_a_glob_or_inside_a_destination_are_refused() {
    let dir = workdir("jail-links");
    let secret = outside("secret");
    std::fs::write(&secret, "outside the root\n").unwrap();
    std::fs::hard_link(&secret, dir.join("link1")).unwrap();
    std::fs::create_dir_all(dir.join("d")).unwrap();
    std::fs::hard_link(&secret, dir.join("d/payload.txt")).unwrap();
    write(&dir, "payload.txt", "overwritten\n");
    let (o, ev) = run_yes(&dir, "l.md", &block("cat link*"), &[]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(!text(&o).contains("outside the root"), "{}", text(&o));
    assert!(
        ev.iter().any(|e| e["kind"] == "denied" && e["reason"].as_str().unwrap_or_default().contains("hard links"))
    );
    let (o, _) = run_yes(&dir, "c.md", &block("cp payload.txt d/"), &[]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "outside the root\n", "the outside file is unchanged");
    assert_eq!(read(&dir, "payload.txt").as_deref(), Some("overwritten\n"));
}

#[test]
fn a_loop_of_background_jobs_stops_at_sixty_four() {
    let dir = workdir("jail-jobs");
    let (o, ev) = run_yes(&dir, "b.md", &block("while true; do vmstat 1 30 >/dev/null & done"), &[]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    let started = ev.iter().filter(|e| e["kind"] == "call" && e["req"]["program"] == "vmstat").count();
    assert!((64..=65).contains(&started), "{started} jobs asked for");
    assert!(
        ev.iter()
            .any(|e| e["kind"] == "denied" && e["reason"].as_str().unwrap_or_default().contains("64 background jobs"))
    );
    let _ = events;
}

#[test]
fn without_landlock_programs_are_refused_unless_unconfined() {
    let dir = workdir("jail-none");
    let rb = runbook(&dir, "u.md", &block("uname -s"));
    let go = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--trace", "off"])
            .args(extra)
            .env("PLAYBOOK_LANDLOCK", "off")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let o = go(&[]);
    assert!(text(&o).contains("has no Landlock"), "{}", text(&o));
    assert!(!text(&o).contains("Linux\n"), "{}", text(&o));
    let o = go(&["--unconfined"]);
    assert!(text(&o).contains("Linux"), "{}", text(&o));
    assert!(text(&o).contains("UNCONFINED (--unconfined)"), "the summary says so: {}", text(&o));
    // And the trace's run-start records it, for whoever audits the run.
    let trace = dir.join("u.jsonl");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--unconfined", "--trace", trace.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let first = std::fs::read_to_string(&trace).unwrap();
    let start: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(start["kind"], "run-start");
    assert_eq!(start["options"]["unconfined"], true, "{start}");
    assert_eq!(start["options"]["jail"], "off (--unconfined)", "{start}");
}

#[test]
fn a_secret_split_across_two_writes_of_a_long_line_is_still_masked() {
    let dir = workdir("jail-split");
    let token = "tok-3f9a6c1e0b7d";
    // 65,530 bytes, then the secret across the 64 KiB boundary of the pipe's reads.
    write(&dir, "big.txt", &format!("{}{token} end\n", "x".repeat(65_530)));
    let rb = runbook(&dir, "s.md", &block("/bin/cat big.txt\n: \"$API_TOKEN\""));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--trace", "t.jsonl"])
        .env("API_TOKEN", token)
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = text(&o);
    assert!(!out.contains(token), "the secret was printed whole");
    assert!(out.contains("«secret:API_TOKEN»"), "{}", &out[out.len().saturating_sub(400)..]);
    assert!(!std::fs::read_to_string(dir.join("t.jsonl")).unwrap().contains(token));
}

#[test]
fn output_derived_from_a_secret_is_masked_whatever_the_transformation() {
    let dir = workdir("jail-taint");
    let token = "s3cr3t-Value-42";
    let md = block(
        "echo \"$API_TOKEN\" | rev\necho \"$API_TOKEN\" | sed 's/./& /g'\nprintf '%s' \"$API_TOKEN\" | od -c | head -n 1\necho \"\\\"$API_TOKEN\\\"\" | jq -c 'explode'\nU=$(echo \"$API_TOKEN\" | tr a-z A-Z)\necho \"$U\"\necho \"$API_TOKEN\" > t.txt\ncat t.txt | rev\nprintf '%s' \"$API_TOKEN\" | xxd -p\necho \"\\\"$API_TOKEN\\\"\" | jq -r 'ascii_downcase'\necho visible",
    );
    let rb = runbook(&dir, "t.md", &md);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--trace", "t.jsonl"])
        .env("API_TOKEN", token)
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = text(&o);
    let trace = std::fs::read_to_string(dir.join("t.jsonl")).unwrap_or_else(|_| panic!("no trace: {out}"));
    let reversed: String = token.chars().rev().collect();
    let hex = token.bytes().fold(String::new(), |mut h, b| {
        use std::fmt::Write as _;
        let _ = write!(h, "{b:02x}");
        h
    });
    for leak in [
        token.to_string(),
        reversed,
        token.to_uppercase(),
        token.to_lowercase(),
        "s 3 c r 3 t".to_string(),
        "115,51,99".to_string(),
        hex[..16].to_string(),
    ] {
        assert!(!out.contains(&leak) && !trace.contains(&leak), "`{leak}` leaked:\n{out}");
    }
    assert_eq!(out.matches("derived from a secret»").count(), 8, "{out}");
    assert!(out.contains("visible"), "{out}");
}

#[test]
fn dry_run_runs_only_what_a_read_jail_confines() {
    let dir = workdir("jail-dry");
    let target = outside("dry");
    let _ = std::fs::remove_file(&target);
    write(&dir, "magic", "0 string PLAYBOOK playbook test\n");
    let md = block(&format!("uname -s\nfile -C -m magic\n./deploy.sh\nfind . -fprint {}", target.display()));
    write(&dir, "deploy.sh", "#!/bin/sh\ntouch deployed\n");
    std::fs::set_permissions(dir.join("deploy.sh"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let rb = runbook(&dir, "d.md", &md);
    let o = common::run(&dir, &[&rb, "--dry-run", "--trace", "off"]);
    let out = text(&o);
    assert!(out.contains("Linux"), "a read runs: {out}");
    assert!(!dir.join("magic.mgc").exists() && !dir.join("deployed").exists() && !target.exists(), "{out}");
    assert!(out.contains("would run ./deploy.sh"), "{out}");
}

#[test]
fn the_review_s_read_grants_that_changed_things_are_changes_now() {
    // Each ran as a READ grant before issue 15: without confirmation and under --dry-run.
    let dir = workdir("jail-review");
    let target = outside("review");
    let _ = std::fs::remove_file(&target);
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git").args(args).current_dir(&dir).output().unwrap();
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    git(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "one"]);
    git(&["branch", "doomed"]);
    git(&["remote", "add", "origin", "https://git.example.invalid/r.git"]);
    let t = target.display();
    let attacks = [
        format!("find . -maxdepth 0 -exec sh -c 'id > {t}' \\;"),
        format!("git log --output={t}"),
        "git branch -D doomed".to_string(),
        "git remote remove origin".to_string(),
        "journalctl --vacuum-files=1".to_string(),
        "dmesg -C".to_string(),
        "ss -K dst 192.0.2.1".to_string(),
        "nvidia-smi -mig 1".to_string(),
        format!("mount -t tmpfs none {t}"),
    ];
    let unchanged = || {
        let o =
            std::process::Command::new("git").args(["branch", "--list", "doomed"]).current_dir(&dir).output().unwrap();
        let r = std::process::Command::new("git").args(["remote"]).current_dir(&dir).output().unwrap();
        !target.exists()
            && String::from_utf8_lossy(&o.stdout).contains("doomed")
            && String::from_utf8_lossy(&r.stdout).contains("origin")
    };
    for (i, attack) in attacks.iter().enumerate() {
        let rb = runbook(&dir, &format!("r{i}.md"), &block(attack));
        // The manifest says it is a change (or runs code), not a read.
        let m = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["manifest", &rb, "--format", "json"])
            .output()
            .unwrap();
        let manifest: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap_or_default();
        let effects: Vec<&str> =
            manifest["grants"].as_array().into_iter().flatten().filter_map(|g| g["effect"].as_str()).collect();
        assert!(!effects.is_empty() && !effects.contains(&"read"), "{attack}: {effects:?} in {manifest}");
        // Without a terminal and without --yes it is not run: the question fails closed.
        let o = common::run(&dir, &[&rb, "--trace", "off"]);
        assert_eq!(o.status.code(), Some(126), "{attack}: {}", text(&o));
        assert!(unchanged(), "{attack} ran unconfirmed: {}", text(&o));
        // A dry run does not run it either, even with --yes.
        let o = common::run(&dir, &[&rb, "--trace", "off", "--dry-run", "--yes"]);
        assert!(text(&o).contains("would run"), "{attack}: {}", text(&o));
        assert!(unchanged(), "{attack} ran under --dry-run: {}", text(&o));
    }
    // Confirmed, the exec program still cannot write outside the workdir (its jail).
    let rb = runbook(&dir, "x.md", &block(&attacks[0]));
    let o = common::run(&dir, &[&rb, "--trace", "off", "--yes"]);
    assert!(!target.exists(), "find -exec wrote outside the workdir: {}", text(&o));
    assert!(text(&o).contains("Permission denied"), "{}", text(&o));
}

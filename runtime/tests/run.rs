//! `playbook run` end to end on real files and processes: changes happen only when confirmed,
//! denials leave everything untouched, the root cannot be escaped, choices and inputs fail closed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("playbook-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(dir: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(rel)).ok()
}

fn playbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap()])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn runbook(dir: &Path, md: &str) -> String {
    let p = dir.join("runbook.md");
    std::fs::write(&p, md).unwrap();
    p.to_str().unwrap().to_string()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn disk(dir: &Path) {
    write(dir, "var/log/app.log", "a\nERROR x\nb\n");
    write(dir, "var/cache/a.tmp", "tmp");
    write(dir, "var/cache/keep.dat", "keep");
}

const DISK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../runbooks/disk-cleanup.md");

#[test]
fn disk_cleanup_runs_for_real_with_yes() {
    let dir = workdir("yes");
    disk(&dir);
    let o = playbook(&dir, &[DISK, "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(read(&dir, "var/archive/app.log.1").as_deref(), Some("a\nERROR x\nb\n"));
    assert_eq!(read(&dir, "var/log/app.log").as_deref(), Some(""));
    assert!(read(&dir, "var/cache/a.tmp").is_none());
    assert_eq!(read(&dir, "var/cache/keep.dat").as_deref(), Some("keep"));
    let log = read(&dir, "var/log/operations.log").unwrap();
    assert!(log.contains(" cleaned var/ on ") && log.ends_with('\n'), "{log}");
    let out = text(&o);
    assert!(out.contains("ERROR x"), "tail shows the log:\n{out}");
    assert!(out.contains("archive present"), "{out}");
    assert!(out.contains("5 steps run, 0 failed, 0 skipped, 0 denied"), "{out}");
}

#[test]
fn without_a_terminal_or_yes_changes_are_denied_and_nothing_changes() {
    let dir = workdir("closed");
    disk(&dir);
    let o = playbook(&dir, &[DISK]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("needs a confirmation and nobody can give one"), "{}", text(&o));
    assert_eq!(read(&dir, "var/log/app.log").as_deref(), Some("a\nERROR x\nb\n"));
    assert!(read(&dir, "var/cache/a.tmp").is_some());
    assert!(!dir.join("var/archive").exists());
}

#[test]
fn dry_run_reports_changes_without_making_them() {
    let dir = workdir("dry");
    disk(&dir);
    let o = playbook(&dir, &[DISK, "--dry-run"]);
    let out = text(&o);
    // The last step reads the log the dry run did not write: `wc -l < missing` fails as in bash.
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("var/log/operations.log: No such file or directory"), "{out}");
    assert!(out.contains("would mkdir var/archive") && out.contains("would remove var/cache/*.tmp"), "{out}");
    assert!(read(&dir, "var/cache/a.tmp").is_some());
    assert!(!dir.join("var/archive").exists());
}

#[test]
fn paths_cannot_leave_the_root() {
    let dir = workdir("escape");
    write(&dir, "inside.txt", "ok\n");
    std::fs::write(dir.parent().unwrap().join(format!("playbook-run-{}-secret", std::process::id())), "secret\n")
        .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", dir.join("etc-link")).unwrap();
    let rb = runbook(
        &dir,
        &format!(
            "# T\n\n## A\n\n```bash\ncat inside.txt\ncat ../playbook-run-{}-secret\n```\n\n## B\n\n```bash\ncat etc-link/hostname\n```\n",
            std::process::id()
        ),
    );
    let o = playbook(&dir, &[&rb, "--yes"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("ok\n") && !out.contains("secret\n"), "{out}");
    assert!(out.contains("climbs out of the granted root"), "{out}");
    let rb = runbook(&dir, "# T\n\n```bash\ncat etc-link/hostname\n```\n");
    let o = playbook(&dir, &[&rb, "--yes"]);
    assert!(text(&o).contains("symbolic link leads out"), "{}", text(&o));
}

#[test]
fn choices_take_choose_or_fail_closed_listing_options() {
    let dir = workdir("choice");
    let rb = runbook(
        &dir,
        "# T\n\n## Fix\n\n### Option 1: Note A\n\n```bash\necho a > chosen.txt\n```\n\n### Option 2: Note B\n\n```bash\necho b > chosen.txt\n```\n",
    );
    let o = playbook(&dir, &[&rb, "--yes"]);
    assert_eq!(o.status.code(), Some(126));
    assert!(text(&o).contains("pass --choose with one of: fix/option-1-note-a"), "{}", text(&o));
    assert!(read(&dir, "chosen.txt").is_none());
    let o = playbook(&dir, &[&rb, "--yes", "--choose", "fix/option-2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(read(&dir, "chosen.txt").as_deref(), Some("b\n"));
}

#[test]
fn a_missing_input_stops_before_any_effect() {
    let dir = workdir("input");
    let rb = runbook(&dir, "# T\n\n```bash\necho start > log.txt\necho \"<ticket>\" >> log.txt\n```\n");
    let o = playbook(&dir, &[&rb, "--yes"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(read(&dir, "log.txt").is_none(), "nothing may happen before inputs are known");
    let o = playbook(&dir, &[&rb, "--yes", "--input", "ticket=INC-7"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("start\nINC-7\n"));
}

#[test]
fn real_programs_run_with_an_argv_and_their_status_counts() {
    let dir = workdir("proc");
    let rb = runbook(
        &dir,
        "# T\n\n```bash\nuname -s > os.txt\nfalse || echo fallback >> os.txt\nls missing-dir 2>/dev/null || echo missing >> os.txt\n```\n",
    );
    let o = playbook(&dir, &[&rb, "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(read(&dir, "os.txt").as_deref(), Some("Linux\nfallback\nmissing\n"));
}

#[test]
fn operator_policy_deny_wins() {
    let dir = workdir("policy");
    let rb = runbook(&dir, "# T\n\n```bash\necho x > out.txt\n```\n");
    let o = playbook(&dir, &[&rb, "--yes", "--deny", "fs.*"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("policy denies fs.write"), "{}", text(&o));
    assert!(read(&dir, "out.txt").is_none());
}

#[test]
fn a_component_asking_outside_its_manifest_is_denied() {
    // The code of one runbook with the manifest of another: what a hand-crafted component is.
    use playbook_compiler::{Source, codegen, compile};
    let dir = workdir("crafted");
    let rogue =
        compile(Source::new("a.md", "# A\n\n```bash\necho pwned > ../../owned.txt\necho x > target.txt\n```\n"));
    let honest = compile(Source::new("b.md", "# B\n\n```bash\necho x > target.txt\n```\n"));
    let bytes = codegen::emit(&rogue).unwrap().component;
    let manifest = honest.manifest.document(&honest.source);
    let opts = playbook::host::Options {
        workdir: dir.clone(),
        policy: playbook::policy::Policy { yes: true, ..Default::default() },
        timeout_secs: 10,
        ..Default::default()
    };
    let ended = playbook::run::run(&bytes, &manifest, opts).unwrap();
    assert_eq!(ended.status, 126);
    assert_eq!(ended.summary.denied, 1);
    assert!(read(&dir, "target.txt").is_none(), "the run stopped at the denial");
}

#[test]
fn json_output_is_one_event_per_line() {
    let dir = workdir("json");
    let rb = runbook(&dir, "# T\n\n## Say\n\n```bash\necho hello\n```\n");
    let o = playbook(&dir, &[&rb, "--output", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let events: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds, ["step", "stdout", "step-end", "end"], "{events:#?}");
    assert_eq!(events[1]["text"], "hello");
    assert_eq!(events[3]["status"], 0);
}

#[test]
fn precompiled_components_are_cached_and_a_damaged_entry_is_recompiled() {
    let dir = workdir("cache");
    let cache = dir.join("cache");
    let md = runbook(&dir, "# C\n\n## Say\n\n```bash\necho cached-run\n```\n");
    let go = || {
        Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["run", "--workdir", dir.to_str().unwrap(), &md])
            .env("PLAYBOOK_CACHE_DIR", &cache)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let entries = || -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![cache.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_none() && !p.file_name().unwrap().to_string_lossy().starts_with('.') {
                    out.push(p);
                }
            }
        }
        out
    };
    let o = go();
    assert!(String::from_utf8_lossy(&o.stdout).contains("cached-run"), "{}", text(&o));
    let cached = entries();
    assert_eq!(cached.len(), 1, "one content-addressed entry: {cached:?}");
    let o = go();
    assert!(String::from_utf8_lossy(&o.stdout).contains("cached-run"), "{}", text(&o));
    assert_eq!(entries(), cached, "the second run reuses the entry");
    // A damaged entry is not trusted: the component is compiled again and the run succeeds.
    std::fs::write(&cached[0], b"not machine code").unwrap();
    let o = go();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("cached-run"), "{}", text(&o));
}

#[test]
fn jq_awk_sed_and_friends_filter_like_the_real_tools() {
    let dir = workdir("filters");
    write(&dir, "machines.json", r#"[{"id":"e78","state":"started"},{"id":"9a1","state":"stopped"}]"#);
    write(&dir, "ps.txt", "root 1 init\nwww 42 nginx\nwww 43 nginx\n");
    let block = [
        "cat machines.json | jq -r '.[].id'",
        "cat machines.json | jq -c '.[] | select(.state == \"stopped\")'",
        "for id in $(cat machines.json | jq -r '.[].id'); do echo \"machine $id\"; done",
        "cat ps.txt | awk '/nginx/ {print $2}'",
        "cat ps.txt | sed -n '2p'",
        "cat ps.txt | sed 's/www/web/g' | tac | head -n 1",
        "cat ps.txt | column -t",
    ]
    .join("\n");
    let md = runbook(&dir, &format!("# F\n\n## Filter\n\n```bash\n{block}\n```\n"));
    let o = playbook(&dir, &[&md]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The same commands in bash with the real tools (where installed) give the same text.
    let expected = "e78\n9a1\n{\"id\":\"9a1\",\"state\":\"stopped\"}\nmachine e78\nmachine 9a1\n42\n43\nwww 42 nginx\nweb 43 nginx\nroot  1   init\nwww   42  nginx\nwww   43  nginx\n";
    assert_eq!(String::from_utf8_lossy(&o.stdout), expected);
    if let Ok(real) = Command::new("bash").arg("-c").arg(&block).current_dir(&dir).output()
        && real.status.success()
    {
        assert_eq!(
            String::from_utf8_lossy(&real.stdout),
            expected,
            "bash and the real tools disagree with the expectation"
        );
    }
}

#[test]
fn trace_records_events_and_every_call_decision_as_json_lines() {
    let dir = workdir("trace");
    disk(&dir);
    let trace = dir.join("run.trace");
    let o = playbook(&dir, &[DISK, "--trace", trace.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let seqs: Vec<u64> = lines.iter().map(|v| v["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..lines.len() as u64).collect::<Vec<_>>(), "seq counts up from 0");
    assert_eq!(lines[0]["kind"], "run-start");
    assert_eq!(lines[0]["component_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(lines[lines.len() - 2]["kind"], "run-end");
    assert_eq!(lines.last().unwrap()["kind"], "seal");
    let decisions: Vec<&serde_json::Value> = lines.iter().filter(|v| v["kind"] == "decision").collect();
    assert!(decisions.iter().any(|c| c["decision"] == "allowed" && c["capability"] == "fs.read"), "{decisions:?}");
    let refused =
        decisions.iter().find(|c| c["decision"] == "unconfirmed").expect("the unconfirmed change is recorded");
    assert!(refused["grant"].as_str().is_some_and(|g| g.starts_with('g')), "{refused}");
    assert!(lines.iter().any(|v| v["kind"] == "denied"), "the denial is recorded");
    assert!(lines.iter().any(|v| v["kind"] == "result" && v["status"] == 0), "results are recorded");
    assert!(lines.iter().any(|v| v["kind"] == "call" && v["iface"] == "fs"), "calls are recorded");
}

#[test]
fn stderr_to_dev_null_is_dropped_and_filter_errors_are_shown() {
    let dir = workdir("quiet");
    let md = runbook(
        &dir,
        "# Q\n\n## S\n\n```bash\nls no-such-file 2>/dev/null || echo \"status $?\"\nls also-missing\necho '{' | jq .a\n```\n",
    );
    let o = playbook(&dir, &[&md]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("no-such-file"), "2>/dev/null drops it:\n{err}");
    assert!(err.contains("also-missing"), "without it, stderr is shown:\n{err}");
    assert!(err.contains("parse error: Unfinished JSON term"), "a filter's error is shown:\n{err}");
    // GNU ls's status for a missing operand.
    assert!(String::from_utf8_lossy(&o.stdout).contains("status 2"), "{}", text(&o));
}

#[test]
fn sigterm_stops_the_run_and_its_background_jobs() {
    let dir = workdir("sigterm");
    // A background job and a long wait; the marker makes the job findable.
    let marker = format!("pb-bg-{}", std::process::id());
    write(&dir, "bg.sh", "#!/bin/sh\nsleep 120\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir.join("bg.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let md = runbook(&dir, &format!("# S\n\n## Start\n\n```bash\n./bg.sh {marker} &\nsleep 60\necho never\n```\n"));
    let child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &md, "--yes"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let running =
        || Command::new("pgrep").args(["-f", &format!("bg.sh {marker}")]).output().is_ok_and(|o| o.status.success());
    // Wait (bounded) until the job runs, then stop the run.
    for _ in 0..100 {
        if running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(running(), "the background job started");
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", text(&o));
    assert!(text(&o).contains("interrupted by SIGTERM"), "{}", text(&o));
    assert!(!text(&o).contains("never"), "{}", text(&o));
    assert!(!running(), "the background job was stopped");
}

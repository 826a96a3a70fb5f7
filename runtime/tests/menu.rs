//! A runbook is a menu, not a script: optional sections run only when chosen, `--yes` never
//! does a person's manual work, inputs are asked for when a step needs them, `--step`,
//! `--from` and `--until` select steps, `playbook plan` shows every path and `run --plan` holds
//! the run to it, and `--resume` leaves an unconfirmed trace open. Real files, real processes,
//! a real terminal (a pty from `script`).

mod common;

use std::path::Path;

use common::crafted::events;
use common::{on_terminal, playbook, read, run, runbook, stdout, text, workdir};

/// Checks, a restart, a rollback and a conditional clean-up: only the first two are the
/// procedure.
const MENU: &str = "# Web down\n\n## Check\n\n```bash\necho checked > check.txt\n```\n\n## Restart\n\n```bash\necho restarted > restart.txt\n```\n\n## Rollback\n\nPut the previous release back.\n\n```bash\necho rolled-back > rollback.txt\n```\n\n## If the disk is still full\n\n```bash\nrm -f big.log\n```\n";

fn trace_kinds(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    events(&dir.join(name))
}

#[test]
fn optional_sections_are_passed_by_under_yes_and_listed_as_not_chosen() {
    let dir = workdir("menu-default");
    std::fs::write(dir.join("big.log"), "x").unwrap();
    let md = runbook(&dir, "m.md", MENU);
    let t = dir.join("t.jsonl");
    let o = run(&dir, &[&md, "--yes", "--trace", t.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(read(&dir, "check.txt").as_deref(), Some("checked\n"));
    assert_eq!(read(&dir, "restart.txt").as_deref(), Some("restarted\n"));
    assert!(read(&dir, "rollback.txt").is_none(), "the rollback is not the next step\n{out}");
    assert!(dir.join("big.log").exists(), "the conditional clean-up did not run\n{out}");
    assert!(out.contains("not chosen: rollback (optional; --choose rollback runs it)"), "{out}");
    assert!(out.contains("not chosen: if-the-disk-is-still-full"), "{out}");
    // The trace records each offer and its answer; it verifies and replays.
    let ev = trace_kinds(&dir, "t.jsonl");
    let offers: Vec<_> = ev.iter().filter(|e| e["kind"] == "offer").collect();
    assert_eq!(offers.len(), 2, "{ev:?}");
    assert!(offers.iter().all(|e| e["taken"] == false), "{offers:?}");
    assert!(playbook(&dir, &["verify", "t.jsonl"]).status.success());
    let r = playbook(&dir, &["replay", "t.jsonl", "--playbook", &md, "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    // JSON: the end event lists them.
    let o = run(&dir, &[&md, "--yes", "--trace", "off", "--output", "json"]);
    let end: serde_json::Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    assert_eq!(end["not_chosen"], serde_json::json!(["rollback", "if-the-disk-is-still-full"]), "{end}");
}

#[test]
fn an_optional_section_runs_when_chosen() {
    let dir = workdir("menu-chosen");
    std::fs::write(dir.join("big.log"), "x").unwrap();
    let md = runbook(&dir, "m.md", MENU);
    let o = run(&dir, &[&md, "--yes", "--trace", "off", "--choose", "rollback"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("◇ Rollback: chosen (--choose rollback)"), "{out}");
    assert_eq!(read(&dir, "rollback.txt").as_deref(), Some("rolled-back\n"));
    assert!(dir.join("big.log").exists(), "only the chosen one ran\n{out}");
}

#[test]
fn on_a_terminal_the_offer_shows_its_prose_and_effects_and_the_answer_decides() {
    let dir = workdir("menu-terminal");
    std::fs::write(dir.join("big.log"), "x").unwrap();
    let md = runbook(&dir, "m.md", MENU);
    let go = "go ahead? [y/N]";
    let offer = "run it? [y/N]";
    // check.txt, restart.txt: two confirmations; the rollback: yes (and its write); the
    // clean-up: no.
    let Some((status, shown)) = on_terminal(
        &dir,
        &[&md, "--trace", "off"],
        &[(go, "y\n"), (go, "y\n"), (offer, "y\n"), (go, "y\n"), (offer, "n\n")],
    ) else {
        return;
    };
    assert_eq!(status, Some(0), "{shown}");
    for piece in ["◇ Rollback  [rollback]  (optional: a rollback)", "Put the previous release back.", "does: fs.write"]
    {
        assert!(shown.contains(piece), "`{piece}` missing:\n{shown}");
    }
    assert_eq!(read(&dir, "rollback.txt").as_deref(), Some("rolled-back\n"));
    assert!(dir.join("big.log").exists(), "{shown}");
    // With --yes on a terminal, an optional section is not asked about: it is passed by.
    std::fs::remove_file(dir.join("rollback.txt")).unwrap();
    let Some((status, shown)) = on_terminal(&dir, &[&md, "--yes", "--trace", "off"], &[]) else { return };
    assert_eq!(status, Some(0), "{shown}");
    assert!(!shown.contains(offer), "{shown}");
    assert!(read(&dir, "rollback.txt").is_none(), "{shown}");
}

const MANUAL: &str = "# Fix\n\n## Prepare\n\n```bash\necho prepared > prepared.txt\n```\n\n## Edit the config\n\n```bash\nkubectl edit deployment web\n```\n\n## Finish\n\n```bash\necho finished > finished.txt\n```\n";

#[test]
fn yes_never_confirms_a_manual_step_and_skip_manual_is_recorded() {
    let dir = workdir("menu-manual");
    let md = runbook(&dir, "m.md", MANUAL);
    let t = dir.join("t.jsonl");
    let o = run(&dir, &[&md, "--yes", "--trace", t.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("manual step `edit-the-config` needs a person"), "{out}");
    assert!(out.contains("--skip-manual"), "the message says how to go on\n{out}");
    assert!(read(&dir, "prepared.txt").is_some() && read(&dir, "finished.txt").is_none(), "{out}");
    let ev = trace_kinds(&dir, "t.jsonl");
    assert!(ev.iter().any(|e| e["kind"] == "manual" && e["confirmed"] == false), "{ev:?}");

    let t2 = dir.join("t2.jsonl");
    let o = run(&dir, &[&md, "--yes", "--skip-manual", "--trace", t2.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("manual step passed by (--skip-manual): edit-the-config"), "{out}");
    assert_eq!(read(&dir, "finished.txt").as_deref(), Some("finished\n"));
    let ev = trace_kinds(&dir, "t2.jsonl");
    assert!(ev.iter().any(|e| e["kind"] == "manual" && e["skipped"] == "--skip-manual"), "{ev:?}");
    assert!(playbook(&dir, &["verify", "t2.jsonl"]).status.success());
    let r = playbook(&dir, &["replay", "t2.jsonl", "--playbook", &md, "--quiet"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
}

#[test]
fn on_a_terminal_a_manual_step_is_confirmed_by_the_person_and_keys_typed_before_do_not_count() {
    let dir = workdir("menu-manual-tty");
    let md = runbook(
        &dir,
        "m.md",
        "# Fix\n\n## Wait\n\n```bash\nsleep 1\n```\n\n## Edit the config\n\n```bash\nkubectl edit deployment web\n```\n",
    );
    let done = "done? [y/N]";
    // A `y` typed during the wait is flushed before the question; the answer given at the
    // question is `n`: the step is not confirmed, even with --yes.
    let Some((status, shown)) = on_terminal(&dir, &[&md, "--yes", "--trace", "t.jsonl"], &[("", "y\n"), (done, "n\n")])
    else {
        return;
    };
    assert_eq!(status, Some(126), "{shown}");
    assert!(shown.contains("manual step `edit-the-config` was not confirmed"), "{shown}");
    let Some((status, shown)) = on_terminal(&dir, &[&md, "--trace", "off"], &[(done, "y\n")]) else { return };
    assert_eq!(status, Some(0), "{shown}");
}

#[test]
fn inputs_are_asked_for_when_a_step_needs_them_and_every_missing_one_of_the_path_is_named() {
    let dir = workdir("menu-inputs");
    let md = runbook(
        &dir,
        "m.md",
        "# Deploy\n\n## Prepare\n\n```bash\necho ready > ready.txt\n```\n\n## Tag\n\n```bash\necho \"<version>\" > tag.txt\n```\n\n## Notify\n\n```bash\necho \"$CHANNEL\" > notify.txt\n```\n\n## Emergency rollback\n\n```bash\necho \"<previous>\" > rollback.txt\n```\n",
    );
    let o = run(&dir, &[&md, "--yes", "--trace", "off"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    // The first step ran; the run stopped before the one that needs `version`, naming the
    // path's other missing input too, and how to give each. The rollback's input is not asked.
    assert_eq!(read(&dir, "ready.txt").as_deref(), Some("ready\n"));
    assert!(read(&dir, "tag.txt").is_none());
    assert!(
        out.contains("step `tag` needs input `version` that was not given; the steps after it on this path also need `CHANNEL`: pass --input version=VALUE --input CHANNEL=VALUE (or set CHANNEL in the environment)"),
        "{out}"
    );
    assert!(!out.contains("previous"), "{out}");
    assert!(out.contains("1 step run"), "the refused step did not run\n{out}");
    // JSON says the same.
    let o = run(&dir, &[&md, "--yes", "--trace", "off", "--output", "json"]);
    let end: serde_json::Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    assert!(end["denials"][0].as_str().unwrap().contains("needs input `version`"), "{end}");
    // Given (one as an input, one from the environment), the run goes through.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &md, "--yes", "--trace", "off", "--input", "version=1.2.3"])
        .env("CHANNEL", "#ops")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(read(&dir, "tag.txt").as_deref(), Some("1.2.3\n"));
    assert_eq!(read(&dir, "notify.txt").as_deref(), Some("#ops\n"));
    // A mistyped name is an error that lists the real ones; nothing runs.
    std::fs::remove_file(dir.join("ready.txt")).unwrap();
    let o = run(&dir, &[&md, "--yes", "--trace", "off", "--input", "verison=1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains(
            "--input verison: this runbook has no input `verison`; its inputs are: version, CHANNEL, previous"
        ),
        "{}",
        text(&o)
    );
    assert!(read(&dir, "ready.txt").is_none());
}

const STEPS: &str = "# Ops\n\n## Check\n\n```bash\necho a >> log.txt\n```\n\n## Drain\n\n```bash\necho b >> log.txt\n```\n\n## Common causes\n\n### 1. Crash\n\n**Symptoms:** the container is gone\n\n```bash\necho crash >> log.txt\n```\n\n### 2. Memory\n\n**Symptoms:** OOM in the log\n\n```bash\necho memory >> log.txt\n```\n\n## Verify\n\n```bash\necho verify >> log.txt\n```\n";

#[test]
fn step_from_and_until_select_steps_and_take_the_choice_on_the_way() {
    let dir = workdir("menu-steps");
    let md = runbook(&dir, "s.md", STEPS);
    let lines = |args: &[&str]| {
        let _ = std::fs::remove_file(dir.join("log.txt"));
        let mut all = vec![md.as_str(), "--yes", "--trace", "off"];
        all.extend_from_slice(args);
        let o = run(&dir, &all);
        (o.status.code(), read(&dir, "log.txt").unwrap_or_default(), text(&o))
    };
    let (code, log, out) = lines(&["--step", "common-causes/memory"]);
    assert_eq!((code, log.as_str()), (Some(0), "memory\n"), "{out}");
    assert!(out.contains("◆ Common causes: 2. Memory (it holds a selected step)"), "{out}");
    let (code, log, out) = lines(&["--step", "drain", "--step", "verify"]);
    assert_eq!((code, log.as_str()), (Some(0), "b\nverify\n"), "{out}");
    let (code, log, out) = lines(&["--until", "drain"]);
    assert_eq!((code, log.as_str()), (Some(0), "a\nb\n"), "{out}");
    // From a step before the choice: the choice is still the operator's.
    let (code, log, out) = lines(&["--from", "drain"]);
    assert_eq!((code, log.as_str()), (Some(126), "b\n"), "{out}");
    assert!(out.contains("choice `common-causes` needs an answer"), "{out}");
    let (code, log, out) = lines(&["--from", "drain", "--choose", "common-causes/crash"]);
    assert_eq!((code, log.as_str()), (Some(0), "b\ncrash\nverify\n"), "{out}");
    // An id that names no step.
    let (code, _, out) = lines(&["--step", "nope"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("--step nope: no step has this id; the steps are: check, drain"), "{out}");
}

#[test]
fn list_shows_ids_kinds_effects_inputs_and_the_prose_of_each_option() {
    let dir = workdir("menu-list");
    let md = runbook(&dir, "s.md", &format!("{STEPS}\n## Rollback\n\n```bash\necho \"<release>\" > r.txt\n```\n"));
    let o = run(&dir, &[&md, "--list"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for piece in [
        "step      check  Check  (line 5)",
        "does: fs.append",
        "choice    common-causes  Common causes",
        "1) common-causes/crash  1. Crash — Symptoms: the container is gone",
        "2) common-causes/memory  2. Memory — Symptoms: OOM in the log",
        "optional  rollback  Rollback",
        "a rollback, run only when chosen (--choose rollback)",
        "needs: release",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    assert!(read(&dir, "log.txt").is_none(), "--list runs nothing");
    assert_eq!(stdout(&playbook(&dir, &["steps", &md])), out, "`playbook steps` prints the same");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&playbook(&dir, &["steps", &md, "--format", "json"]))).unwrap();
    let kinds: Vec<&str> = json["steps"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["step", "step", "choice", "step", "step", "step", "optional", "step"]);
}

#[test]
fn plan_shows_every_path_and_run_plan_makes_only_its_changes() {
    let dir = workdir("menu-plan");
    std::fs::create_dir_all(dir.join("cache")).unwrap();
    for f in ["a.tmp", "b.tmp"] {
        std::fs::write(dir.join("cache").join(f), "x").unwrap();
    }
    let md = runbook(
        &dir,
        "p.md",
        "# Clean\n\n## Causes\n\n### 1. Cache full\n\n```bash\nrm -f cache/*.tmp\n```\n\n### 2. Log full\n\n```bash\ncp app.log app.log.1\n```\n\n## Rollback\n\n```bash\necho \"<release>\" > release.txt\n```\n",
    );
    let o = playbook(&dir, &["plan", &md, "--workdir", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let abs = dir.display().to_string();
    for piece in [
        "choice    causes  Causes",
        "DESTRUCTIVE  g1   fs.remove  path=cache/*.tmp",
        &format!("path → {abs}/cache/*.tmp; matches now: cache/a.tmp, cache/b.tmp"),
        "WRITE        g3   fs.write  path=app.log.1",
        "optional  rollback  Rollback",
        "release  (needed by rollback)",
        "3 changes on some path",
    ] {
        assert!(out.contains(piece), "`{piece}` missing:\n{out}");
    }
    assert!(dir.join("cache/a.tmp").exists(), "plan runs nothing");
    // The JSON plan as the approval: every change on every path, bound to the manifest.
    let o = playbook(&dir, &["plan", &md, "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let changes: Vec<(&str, &str)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["step"].as_str().unwrap(), c["grant"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, [("causes/cache-full", "g1"), ("causes/log-full", "g3"), ("rollback", "g4")]);
    // Without the removal in the plan: the removal is denied (no --yes needed for the rest).
    let mut narrowed = plan.clone();
    narrowed["changes"] = serde_json::json!(plan["changes"].as_array().unwrap()[1..]);
    std::fs::write(dir.join("narrow.json"), narrowed.to_string()).unwrap();
    let narrow = dir.join("narrow.json");
    let o = run(&dir, &[&md, "--plan", narrow.to_str().unwrap(), "--choose", "causes/cache", "--trace", "off"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(
        text(&o).contains("destructive fs.remove in step `causes/cache-full` is not in the approved plan"),
        "{}",
        text(&o)
    );
    assert!(dir.join("cache/a.tmp").exists());
    // With the whole plan: the removal is made, confirmed by the plan, without --yes.
    std::fs::write(dir.join("plan.json"), plan.to_string()).unwrap();
    let (p, t) = (dir.join("plan.json"), dir.join("t.jsonl"));
    let o =
        run(&dir, &[&md, "--plan", p.to_str().unwrap(), "--choose", "causes/cache", "--trace", t.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!dir.join("cache/a.tmp").exists() && !dir.join("cache/b.tmp").exists());
    assert!(playbook(&dir, &["verify", "t.jsonl"]).status.success());
    // A plan of another runbook (another manifest) is refused before anything runs.
    let other = runbook(&dir, "o.md", "# Other\n\n```bash\nrm -f cache/*.tmp\nrm -f other.txt\n```\n");
    let o = run(&dir, &[&other, "--plan", p.to_str().unwrap(), "--trace", "off"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("the plan is of manifest sha256:"), "{}", text(&o));
}

#[test]
fn resume_without_a_confirmation_leaves_the_trace_open_and_a_stopped_wait_waits_what_was_left() {
    let dir = workdir("menu-resume");
    std::fs::write(dir.join("slow.sh"), "#!/bin/sh\nsleep 3\necho ran >> ran.txt\n").unwrap();
    std::fs::set_permissions(dir.join("slow.sh"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let md = runbook(
        &dir,
        "r.md",
        "# R\n\n## Slow\n\n```bash\n./slow.sh\n```\n\n## Wait\n\n```bash\nsleep 20\n```\n\n## Touch\n\n```bash\ntouch done.txt\n```\n",
    );
    let trace = dir.join("t.jsonl");
    let start = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["run", "--workdir", dir.to_str().unwrap(), &md, "--trace", trace.to_str().unwrap()])
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let wait_for = |what: &dyn Fn(&[serde_json::Value]) -> bool| {
        for _ in 0..600 {
            if what(&events(&trace)) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("never happened: {:?}", events(&trace));
    };
    // Killed while the program runs: its call is in flight.
    let mut child = start(&["--yes"]);
    wait_for(&|ev| ev.iter().any(|e| e["kind"] == "call" && e["req"]["program"] == "./slow.sh"));
    child.kill().unwrap();
    let _ = child.wait();
    let t = trace.to_str().unwrap();
    let resume = ["--resume", t, "--resume-unverified", "--max-wait", "2"];
    // No --yes and no terminal: nobody confirms running it again; the trace is not sealed.
    let o = run(&dir, &[&[md.as_str()][..], &resume[..]].concat());
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("the trace is left open: resume it again"), "{}", text(&o));
    assert!(!events(&trace).iter().any(|e| e["kind"] == "seal"), "not sealed");
    // So it can be resumed again, now confirmed; it is killed again during the wait…
    let mut child = start(&[&["--yes"][..], &resume[..]].concat());
    wait_for(&|ev| ev.iter().filter(|e| e["kind"] == "wait").count() == 1);
    child.kill().unwrap();
    let _ = child.wait();
    assert!(!dir.join("done.txt").exists());
    // …and the next resume waits only what was left of the (capped) 2 s before going on.
    let o = run(&dir, &[&[md.as_str(), "--yes"][..], &resume[..]].concat());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("the run stopped during this 20s wait"), "{out}");
    let left = events(&trace).iter().find(|e| e["kind"] == "wait-resumed").and_then(|e| e["left"].as_u64());
    assert!(left.is_some_and(|l| l <= 2), "{left:?}");
    assert!(dir.join("done.txt").exists(), "{out}");
    assert!(events(&trace).iter().any(|e| e["kind"] == "seal"), "finished: sealed");
}

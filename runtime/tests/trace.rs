//! The signed, hash-chained trace: record, verify (and every kind of tampering), SIGKILL at
//! several points, resume, replay with a divergence, and secrets kept out of everything.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{Server, playbook, read, runbook, text, workdir};

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["run", "--workdir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    playbook(dir, &all)
}

const DEMO: &str = "# Demo\n\n## Write\n\n```bash\necho hello > out.txt\ncat out.txt\nhostname | wc -c\n```\n\n## Count\n\n```bash\nwc -l out.txt\necho done\n```\n";

/// A signed run of DEMO: the trace, the key prefix.
fn signed_run(dir: &Path) -> (PathBuf, PathBuf) {
    let o = playbook(dir, &["keygen", "--out", "ops"]);
    assert!(o.status.success(), "{}", text(&o));
    let md = runbook(dir, "demo.md", DEMO);
    let o = run(dir, &[&md, "--yes", "--trace", "t.jsonl", "--key", "ops.key"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("trace: t.jsonl"), "{}", text(&o));
    (dir.join("t.jsonl"), dir.join("ops"))
}

fn verify(dir: &Path, trace: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["verify", trace.to_str().unwrap()];
    args.extend_from_slice(extra);
    playbook(dir, &args)
}

fn lines(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p).unwrap().lines().map(str::to_string).collect()
}

fn write_lines(p: &Path, l: &[String]) {
    std::fs::write(p, l.iter().flat_map(|x| [x.as_str(), "\n"]).collect::<String>()).unwrap();
}

#[test]
fn a_signed_run_verifies_and_every_tampering_names_its_seq() {
    let dir = workdir("trace-verify");
    let (trace, _) = signed_run(&dir);
    let o = verify(&dir, &trace, &["--pubkey", "ops.pub"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("the signature verifies with the given public key"), "{}", text(&o));
    // Without the key it says what it could not check; a copy elsewhere verifies the same.
    assert!(text(&verify(&dir, &trace, &[])).contains("pass --pubkey"));
    let elsewhere = workdir("trace-verify-copy");
    std::fs::copy(&trace, elsewhere.join("moved.jsonl")).unwrap();
    std::fs::copy(dir.join("ops.pub"), elsewhere.join("ops.pub")).unwrap();
    assert_eq!(verify(&elsewhere, &elsewhere.join("moved.jsonl"), &["--pubkey", "ops.pub"]).status.code(), Some(0));
    // The run it is of, and not another.
    assert_eq!(verify(&dir, &trace, &["--playbook", "demo.md"]).status.code(), Some(0));
    let other = runbook(&dir, "other.md", &DEMO.replace("echo done", "echo finished"));
    let o = verify(&dir, &trace, &["--playbook", &other]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("seq 0: the run was of component"), "{}", text(&o));

    // Each decision carries its grant's effect: the redirection's write is destructive, and
    // confirmed; the reads are allowed.
    let decisions: Vec<serde_json::Value> = lines(&trace)
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["kind"] == "decision")
        .collect();
    let write = decisions.iter().find(|d| d["capability"] == "fs.write").expect("the write's decision");
    assert_eq!((write["effect"].as_str(), write["need_effect"].as_str()), (Some("destructive"), Some("destructive")));
    assert_eq!(write["decision"], "confirmed");
    let read = decisions.iter().find(|d| d["capability"] == "fs.read").expect("the read's decision");
    assert_eq!((read["effect"].as_str(), read["decision"].as_str()), (Some("read"), Some("allowed")));

    let original = lines(&trace);
    let n = original.len();
    let tampered = dir.join("bad.jsonl");
    let check = |l: &[String], expect: &str, code: i32, what: &str| {
        write_lines(&tampered, l);
        let o = verify(&dir, &tampered, &["--pubkey", "ops.pub"]);
        assert_eq!(o.status.code(), Some(code), "{what}: {}", text(&o));
        assert!(text(&o).contains(expect), "{what}: `{expect}` missing:\n{}", text(&o));
    };
    // An edited event (still valid, canonical JSON).
    let i = original.iter().position(|l| l.contains("\"kind\":\"result\"")).unwrap();
    let mut edited = original.clone();
    edited[i] = edited[i].replacen("\"status\":0", "\"status\":1", 1);
    assert_ne!(edited[i], original[i]);
    check(&edited, &format!("seq {i}: the line was edited"), 1, "edit");
    // An edit that is not canonical any more (of a line verify reads whole).
    let d = original.iter().position(|l| l.contains("\"kind\":\"decision\"")).unwrap();
    let mut spaced = original.clone();
    spaced[d] = spaced[d].replacen(':', ": ", 1);
    check(&spaced, &format!("seq {d}: the line is not in canonical form"), 1, "reformat");
    // Deleted, inserted, reordered.
    let mut deleted = original.clone();
    deleted.remove(4);
    check(&deleted, "seq 4: found seq 5 where seq 4 belongs", 1, "delete");
    let mut inserted = original.clone();
    inserted.insert(4, original[2].clone());
    check(&inserted, "seq 4: found seq 2 where seq 4 belongs", 1, "insert");
    let mut swapped = original.clone();
    swapped.swap(4, 5);
    check(&swapped, "seq 4: found seq 5 where seq 4 belongs", 1, "reorder");
    // Truncated: the prefix is intact, the seal is gone.
    check(&original[..n - 3], &format!("seq {}: the trace ends without its seal", n - 3), 3, "truncate");
    let mut torn = original[..n - 1].join("\n");
    torn.push_str("\n{\"env");
    std::fs::write(&tampered, torn).unwrap();
    assert_eq!(verify(&dir, &tampered, &[]).status.code(), Some(3));
    // The seal: a swapped payload type, a forged signature, the wrong key.
    let mut swapped_type = original.clone();
    swapped_type[n - 1] =
        swapped_type[n - 1].replace("application/vnd.in-toto+json", "application/vnd.playbook.checkpoint+json");
    check(&swapped_type, &format!("seq {}: the seal's payload type", n - 1), 1, "payload type");
    let seal: serde_json::Value = serde_json::from_str(&original[n - 1]).unwrap();
    let sig = seal["envelope"]["signatures"][0]["sig"].as_str().unwrap().to_string();
    let mut forged_sig: Vec<u8> = sig.bytes().collect();
    forged_sig[10] = if forged_sig[10] == b'A' { b'B' } else { b'A' };
    let mut forged = original.clone();
    forged[n - 1] = forged[n - 1].replace(&sig, std::str::from_utf8(&forged_sig).unwrap());
    check(&forged, "does not verify with the given public key", 1, "forged signature");
    assert!(playbook(&dir, &["keygen", "--out", "intruder"]).status.success());
    let o = verify(&dir, &trace, &["--pubkey", "intruder.pub"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // Another key: the first line it should have signed is the checkpoint after run-start.
    assert!(original[1].contains("\"kind\":\"checkpoint\""), "{}", original[1]);
    assert!(text(&o).contains("seq 1: the checkpoint's signature does not verify"), "{}", text(&o));
    // An unsigned run verifies as intact, and says it is unsigned.
    let md = runbook(&dir, "demo2.md", DEMO);
    assert_eq!(run(&dir, &[&md, "--yes", "--trace", "u.jsonl"]).status.code(), Some(0));
    let o = verify(&dir, &dir.join("u.jsonl"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("UNSIGNED"), "{}", text(&o));
    assert_eq!(verify(&dir, &dir.join("u.jsonl"), &["--pubkey", "ops.pub"]).status.code(), Some(1));
}

#[test]
fn a_killed_run_leaves_a_verifiable_prefix_and_resume_finishes_it_once() {
    let dir0 = workdir("trace-kill");
    let md = "# Kill\n\n## One\n\n```bash\necho one >> log.txt\n```\n\n## Slow\n\n```bash\npython3 -c \"import time; time.sleep(3)\"\n```\n\n## Two\n\n```bash\necho two >> log.txt\n```\n";
    assert!(playbook(&dir0, &["keygen", "--out", "k"]).status.success());
    for (i, after) in [30u64, 400, 1500, 4500].into_iter().enumerate() {
        let dir = dir0.join(format!("at-{after}"));
        std::fs::create_dir_all(&dir).unwrap();
        let rb = runbook(&dir, "kill.md", md);
        let trace = dir.join("t.jsonl");
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--trace"])
            .arg(&trace)
            .args(["--key", dir0.join("k.key").to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(after));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !trace.exists() {
            assert_eq!(i, 0, "only the earliest kill may come before the trace exists");
            continue;
        }
        let o = verify(&dir, &trace, &["--pubkey", dir0.join("k.pub").to_str().unwrap()]);
        let out = text(&o);
        // Intact (a finished run) or an intact prefix; never a broken chain.
        assert!(matches!(o.status.code(), Some(0 | 3)), "killed at {after} ms: {out}");
        if after == 1500 {
            assert_eq!(o.status.code(), Some(3), "{out}");
            assert!(out.contains("in flight: seq") && out.contains("python3 -c"), "{out}");
            assert_eq!(read(&dir, "log.txt").as_deref(), Some("one\n"));
            // Without the key nothing proves the prefix is the run's: refused, untouched.
            let before = std::fs::read(&trace).unwrap();
            let o = run(&dir, &[&rb, "--yes", "--resume", trace.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(1), "{}", text(&o));
            assert!(text(&o).contains("--resume refused") && text(&o).contains("seq 0: no --key"), "{}", text(&o));
            assert_eq!(std::fs::read(&trace).unwrap(), before, "a refused resume leaves the trace as it was");
            // Resume with the key: the prefix verifies up to the checkpoint that follows the
            // first append, which is replayed (not done twice); the call in flight runs again
            // because of --yes, the rest runs live, and the same chain grows.
            let key = dir0.join("k.key");
            let o = run(&dir, &[&rb, "--yes", "--key", key.to_str().unwrap(), "--resume", trace.to_str().unwrap()]);
            let out = text(&o);
            assert_eq!(o.status.code(), Some(0), "{out}");
            assert!(out.contains("(replayed)") && out.contains("verified up to the signed checkpoint at seq"), "{out}");
            assert!(!out.contains("UNVERIFIED"), "{out}");
            assert_eq!(read(&dir, "log.txt").as_deref(), Some("one\ntwo\n"), "the append was not repeated");
            let ev = common::crafted::events(&trace);
            let resume = ev.iter().find(|e| e["kind"] == "resume").unwrap();
            assert_eq!(resume["verified"], true);
            let to = resume["verified_to"].as_u64().unwrap();
            assert_eq!(ev[usize::try_from(to).unwrap()]["kind"], "checkpoint");
            let o = verify(&dir, &trace, &["--pubkey", dir0.join("k.pub").to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{}", text(&o));
            assert!(text(&o).contains("sealed and signed") && text(&o).contains("resumed"), "{}", text(&o));
            // The resumed trace replays as one run: each call once, in the component's order.
            let o = playbook(&dir, &["replay", trace.to_str().unwrap(), "--playbook", &rb, "--quiet"]);
            assert_eq!(o.status.code(), Some(0), "{}", text(&o));
            // Without --yes nobody confirms the call in flight: resume stops before it.
            let o = run(&dir, &[&rb, "--resume", trace.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(2), "a sealed trace is not resumed: {}", text(&o));
        }
    }
}

#[test]
fn resume_without_confirmation_stops_at_the_call_in_flight() {
    let dir = workdir("trace-resume-no");
    let rb = runbook(
        &dir,
        "r.md",
        "# R\n\n## A\n\n```bash\necho a >> log.txt\npython3 -c \"import time; time.sleep(3)\"\necho b >> log.txt\n```\n",
    );
    let trace = dir.join("t.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--trace", trace.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let _ = child.kill();
    let _ = child.wait();
    // Unsigned: refused unless the operator says to trust it as it is.
    let o = run(&dir, &[&rb, "--resume", trace.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--resume-unverified"), "{}", text(&o));
    let o = run(&dir, &[&rb, "--resume", trace.to_str().unwrap(), "--resume-unverified"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("was in flight when the run stopped"), "{}", text(&o));
    assert!(text(&o).contains("resumed: UNVERIFIED (--resume-unverified)"), "{}", text(&o));
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("a\n"), "nothing was repeated or run");
    let ev = common::crafted::events(&trace);
    assert!(ev.iter().any(|e| e["kind"] == "resume" && e["verified"] == false && e["flag"] == "--resume-unverified"));
}

/// What an attacker without the key can do to a trace: recompute every `prev` after an edit.
fn rechain(lines: &mut [String]) {
    for i in 1..lines.len() {
        let mut e: serde_json::Value = serde_json::from_str(&lines[i]).unwrap();
        e["prev"] = playbook::trace::sha256_hex(lines[i - 1].as_bytes()).into();
        lines[i] = playbook::trace::canonical(&e);
    }
}

/// A read whose result a later change acts on, with a pause between them.
const CLEAN: &str = "# Clean\n\n## Find\n\n```bash\nVICTIM=$(cat victim.txt)\necho \"found $VICTIM\"\n```\n\n## Wait\n\n```bash\nsleep 30\n```\n\n## Remove\n\n```bash\nrm \"$VICTIM\"\n```\n";

/// Starts CLEAN in `dir` (signed with `DIR/k.key`), stops it during its pause with `signal`,
/// then forges the result of its read to name `precious.txt` and re-chains the trace.
fn forged_clean(dir: &Path, signal: nix::sys::signal::Signal) -> (String, PathBuf) {
    assert!(playbook(dir, &["keygen", "--out", "k"]).status.success());
    common::write(dir, "victim.txt", "scratch.txt\n");
    common::write(dir, "scratch.txt", "temporary\n");
    common::write(dir, "precious.txt", "keep me\n");
    let rb = runbook(dir, "clean.md", CLEAN);
    let trace = dir.join("t.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &rb, "--yes", "--key", "k.key", "--trace"])
        .arg(&trace)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = std::time::Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&trace).is_ok_and(|t| t.contains("\"kind\":\"wait\"")) {
        assert!(std::time::Instant::now() < until, "the run reached its pause");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, signal).unwrap();
    let _ = child.wait();
    // The read's result, and what the run printed of it.
    let mut l = lines(&trace);
    assert!(l.iter().any(|x| x.contains("\"kind\":\"result\"") && x.contains("scratch.txt")));
    for x in &mut l {
        *x = x.replace("scratch.txt", "precious.txt");
    }
    rechain(&mut l);
    write_lines(&trace, &l);
    // Without the key the forgery passes for an intact prefix.
    assert_eq!(verify(dir, &trace, &[]).status.code(), Some(3));
    (rb, trace)
}

#[test]
fn a_forged_prefix_is_refused_naming_the_checkpoint_it_breaks() {
    let dir = workdir("trace-forged");
    // SIGTERM: the interrupted run signed a checkpoint over the read; the forgery breaks it.
    let (rb, trace) = forged_clean(&dir, nix::sys::signal::Signal::SIGTERM);
    let ev = common::crafted::events(&trace);
    let last = ev.len() - 1;
    assert_eq!(ev[last]["kind"], "checkpoint");
    let before = std::fs::read(&trace).unwrap();
    let o = run(&dir, &[&rb, "--yes", "--key", "k.key", "--max-wait", "1", "--resume", trace.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("--resume refused"), "{out}");
    // The first checkpoint after the edit is the first bad seq.
    let first_bad = ev.iter().position(|e| e["kind"] == "checkpoint" && e["seq"].as_u64() > Some(3)).unwrap();
    assert!(out.contains(&format!("seq {first_bad}: the checkpoint's signature does not verify")), "{out}");
    assert_eq!(std::fs::read(&trace).unwrap(), before, "nothing replayed, run or written");
    assert!(read(&dir, "precious.txt").is_some() && read(&dir, "scratch.txt").is_some());
    // Without the key, refused as well.
    let o = run(&dir, &[&rb, "--yes", "--max-wait", "1", "--resume", trace.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // The operator may insist: replayed as it is, said in the summary and recorded.
    let o = run(
        &dir,
        &[
            &rb,
            "--yes",
            "--key",
            "k.key",
            "--max-wait",
            "1",
            "--resume",
            trace.to_str().unwrap(),
            "--resume-unverified",
        ],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("UNVERIFIED (--resume-unverified)") && out.contains(&format!("seq {first_bad}")), "{out}");
    let ev = common::crafted::events(&trace);
    let resume = ev.iter().find(|e| e["kind"] == "resume").unwrap();
    assert_eq!((resume["verified"].as_bool(), resume["flag"].as_str()), (Some(false), Some("--resume-unverified")));
    assert!(resume["unverified"].as_str().unwrap().starts_with(&format!("seq {first_bad}:")));
    // …which is what trusting a forged read means: it acted on the forged name.
    assert!(read(&dir, "precious.txt").is_none() && read(&dir, "scratch.txt").is_some());
    // `verify` with the key fails at the forgery (what the resumed run signed does not hide it).
    let o = verify(&dir, &trace, &["--pubkey", "k.pub"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains(&format!("seq {first_bad}: the checkpoint's signature")), "{}", text(&o));
}

#[test]
fn reads_no_signature_covers_are_made_again_live_on_resume() {
    let dir = workdir("trace-forged-tail");
    // SIGKILL: no checkpoint after the read; the last one (after run-start) still verifies.
    let (rb, trace) = forged_clean(&dir, nix::sys::signal::Signal::SIGKILL);
    let o = run(&dir, &[&rb, "--yes", "--key", "k.key", "--max-wait", "1", "--resume", trace.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("verified up to the signed checkpoint at seq 1"), "{out}");
    assert!(out.contains("found scratch.txt"), "the read was made again: {out}");
    // The forged result was not used: the real one was.
    assert!(read(&dir, "precious.txt").is_some(), "{out}");
    assert!(read(&dir, "scratch.txt").is_none(), "{out}");
    let o = verify(&dir, &trace, &["--pubkey", "k.pub"]);
    let vout = text(&o);
    assert_eq!(o.status.code(), Some(0), "{vout}");
    assert!(vout.contains("were not covered by a signature then, and were not replayed"), "{vout}");
    // The trace replays as the run the component made: the forged tail is not part of it.
    let o = playbook(&dir, &["replay", trace.to_str().unwrap(), "--playbook", &rb, "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn replay_matches_its_own_run_and_names_the_first_divergence() {
    let dir = workdir("trace-replay");
    let md = runbook(&dir, "demo.md", DEMO);
    assert_eq!(run(&dir, &[&md, "--yes", "--trace", "t.jsonl"]).status.code(), Some(0));
    std::fs::remove_file(dir.join("out.txt")).unwrap();
    let o = playbook(&dir, &["replay", "t.jsonl", "--playbook", "demo.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("replay matches"), "{}", text(&o));
    assert!(text(&o).contains("hello"), "the recorded output is shown: {}", text(&o));
    assert!(read(&dir, "out.txt").is_none(), "replay has no live effects");
    // The same runbook with one argument changed.
    runbook(&dir, "changed.md", &DEMO.replace("wc -l out.txt", "wc -c out.txt"));
    let o = playbook(&dir, &["compile", "changed.md", "-o", "changed.wasm"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = playbook(&dir, &["replay", "t.jsonl", "--playbook", "changed.wasm", "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("replay DIVERGED: first divergence at seq"), "{out}");
    assert!(out.contains("\"key\":\"lines\""), "the recorded request is shown: {out}");
}

#[test]
fn secrets_stay_out_of_the_trace_the_seal_and_the_terminal() {
    let dir = workdir("trace-secret");
    let seeds = std::env::var("PLAYBOOK_SEEDS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds").to_string());
    let seed = format!("{seeds}/004_287542415efdb23a.txt");
    // localhost:8080 of the runbook is this server (127.0.0.2 keeps 127.0.0.1:8080 free).
    let server = Server::start_on("127.0.0.2:8080");
    let token = "s3cret";
    let o = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &seed, "--yes", "--input", "id=42"])
        .args(["--resolve", "localhost=127.0.0.2", "--max-wait", "1", "--trace", "t.jsonl"])
        .args(["--choose", "quick-diagnostics/is-the-system-down/alternative-1"])
        .args(["--choose", "top-5-most-common-issues/workflow-stuck"])
        .args(["--choose", "emergency-commands/force-workflow-cancel", "--choose", "database-connection/local"])
        .arg("--skip-manual")
        .env("ADMIN_TOKEN", token)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = text(&o);
    // The server saw the real header: the request went out right.
    let seen = server.requests();
    assert!(
        seen.iter()
            .any(|r| r.starts_with("POST /api/v1/workflows/42/cancel") && r.contains(&format!("Bearer {token}"))),
        "{seen:?}"
    );
    assert!(out.contains("▶ Force Workflow Cancel") && out.contains("welcome"), "{out}");
    let trace = std::fs::read_to_string(dir.join("t.jsonl")).unwrap();
    let encodings =
        ["s3cret", "czNjcmV0", "73336372657", "73336372657".to_ascii_uppercase().as_str()].map(str::to_string);
    for form in &encodings {
        assert!(!trace.contains(form.as_str()), "`{form}` is in the trace");
        assert!(!out.contains(form.as_str()), "`{form}` is on the terminal");
    }
    // The seal's payload (base64 of the statement) has none either.
    let seal = trace.lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(seal).unwrap();
    let payload = v["envelope"]["payload"].as_str().unwrap();
    assert!(!String::from_utf8_lossy(&base64_decode(payload)).contains(token));
    // What stands in for it: a marker in the request and a keyed fingerprint of the input.
    assert!(trace.contains("Authorization: Bearer «secret:ADMIN_TOKEN»"), "{trace}");
    assert!(trace.contains("\"name\":\"ADMIN_TOKEN\"") && trace.contains("\"hmac\":\""), "{trace}");
    assert!(verify(&dir, &dir.join("t.jsonl"), &[]).status.success());
    // An echo of the secret is masked on the terminal as well: as a whole, since its output
    // derives from the secret (whatever an echo or a filter made of it).
    let md = runbook(&dir, "leak.md", "# Leak\n\n## Say\n\n```bash\necho \"token=$ADMIN_TOKEN\"\n```\n");
    let o = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &md, "--trace", "leak.jsonl"])
        .env("ADMIN_TOKEN", token)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(text(&o).contains("bytes withheld: derived from a secret»"), "{}", text(&o));
    assert!(!text(&o).contains("token="), "{}", text(&o));
    assert!(!text(&o).contains(token));
    assert!(!std::fs::read_to_string(dir.join("leak.jsonl")).unwrap().contains(token));
}

fn base64_decode(s: &str) -> Vec<u8> {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let Some(v) = table.iter().position(|&t| t == c) else { continue };
        acc = (acc << 6) | u32::try_from(v).unwrap();
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap());
        }
    }
    out
}

#[test]
fn wait_for_background_jobs_is_recorded_verified_and_replayed() {
    let dir = workdir("trace-wait");
    let md = runbook(
        &dir,
        "bg.md",
        "# B\n\n```bash\nsh -c 'sleep 0.3; echo job-finished > done.txt' &\necho started\nwait\ncat done.txt\n```\n",
    );
    let o = run(&dir, &[&md, "--yes", "--trace", "t.jsonl"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    // `wait` waited: the file the job wrote after 0.3 s is there for the next command.
    assert!(out.contains("job-finished"), "{out}");
    let events = std::fs::read_to_string(dir.join("t.jsonl")).unwrap();
    assert!(events.contains("\"kind\":\"wait-jobs\""), "the wait is recorded");
    assert_eq!(verify(&dir, &dir.join("t.jsonl"), &[]).status.code(), Some(0));
    let o = playbook(&dir, &["replay", "t.jsonl", "--playbook", "bg.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("replay matches"), "{}", text(&o));
}

#[test]
fn a_trace_longer_than_a_read_block_verifies_and_an_edit_deep_in_it_is_named() {
    // `verify` reads a trace 4 MiB at a time and keeps no line: this one is about 7 MB, so a
    // line straddles a block's edge, and the seal's digest runs over every block.
    let dir = workdir("trace-long");
    let o = playbook(&dir, &["keygen", "--out", "ops"]);
    assert!(o.status.success(), "{}", text(&o));
    let filler = "x".repeat(300);
    let md = runbook(
        &dir,
        "long.md",
        &format!("# Long\n\n## Print\n\n```bash\nfor i in $(seq 1 15000); do\n  echo \"$i {filler}\"\ndone\n```\n"),
    );
    let o = run(&dir, &[&md, "--yes", "--trace", "t.jsonl", "--key", "ops.key"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let trace = dir.join("t.jsonl");
    assert!(std::fs::metadata(&trace).unwrap().len() > 5 << 20, "the trace spans more than one block");
    let o = verify(&dir, &trace, &["--pubkey", "ops.pub"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("sealed and signed"), "{}", text(&o));
    // An edit far past the first block: named by its seq.
    let mut l = lines(&trace);
    let at = l.len() * 3 / 4;
    l[at] = l[at].replacen(&filler, &"y".repeat(300), 1);
    write_lines(&trace, &l);
    let o = verify(&dir, &trace, &["--pubkey", "ops.pub"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains(&format!("seq {at}: the line was edited")), "{}", text(&o));
}

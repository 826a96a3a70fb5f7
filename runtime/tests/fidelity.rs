//! The differential suite: every case of `tests/fidelity/cases/*.sh` runs under `bash -c` and
//! as a runbook block under `playbook run --yes`, each in its own copy of
//! `tests/fidelity/fixtures/`. A case playbook accepts must leave the same standard output,
//! standard error, exit status and files; a case it refuses must be refused with a diagnostic
//! that has a help line. It prints `N same / M refused / K differ` and fails on any difference.
//!
//! The cases refused today are listed in `tests/fidelity/refused.txt`: a case that starts being
//! refused fails the suite (something that ran faithfully no longer runs), and so does one that
//! stops being refused until the list is updated (`BLESS=1`), so the list is always the truth.
//! `tests/fidelity/known-differences.txt` lists, with a reason each, the cases that still differ
//! (open bugs, and the `$ ` prompt convention runbooks rely on): any other difference fails the
//! suite, and so does a listed case that no longer differs.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use common::twin::{commands_stderr, tree, without_line_numbers};
use common::{runbook, text, workdir};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity")
}

/// `(file, name, script)` of every case, in file and source order.
fn cases() -> Vec<(String, String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("cases"))
        .expect("tests/fidelity/cases")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    files.sort();
    let mut out: Vec<(String, String, String)> = Vec::new();
    for f in files {
        let file = f.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(&f).unwrap();
        for line in body.lines() {
            if let Some(name) = line.strip_prefix("## ") {
                out.push((file.clone(), name.trim().to_string(), String::new()));
            } else if let Some((_, _, script)) = out.last_mut().filter(|(f, _, _)| *f == file) {
                script.push_str(line);
                script.push('\n');
            }
        }
    }
    let mut names: Vec<&String> = out.iter().map(|(_, n, _)| n).collect();
    names.sort();
    let dup = names.windows(2).find(|w| w[0] == w[1]);
    assert!(dup.is_none(), "case names must be unique: {dup:?}");
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

enum Verdict {
    Same,
    Refused,
    /// Refused, but without a help line.
    RefusedBadly(String),
    Differs(String),
}

fn one(name: &str, script: &str) -> Verdict {
    let ours = workdir(&format!("fid-{name}-ours"));
    let theirs = workdir(&format!("fid-{name}-bash"));
    copy_tree(&root().join("fixtures"), &ours);
    copy_tree(&root().join("fixtures"), &theirs);
    let md = runbook(&ours, "case.md", &format!("# Case\n\n```bash\n{script}```\n"));
    // One locale for both (sorting, messages, quotes): the one the expectations were written in.
    let pin = |c: &mut Command| {
        c.env("LANG", "C.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LC_COLLATE");
    };
    let mut check = Command::new(env!("CARGO_BIN_EXE_playbook"));
    pin(&mut check);
    let check = check.args(["check", &md]).output().unwrap();
    if check.status.code() != Some(0) {
        let said = text(&check);
        let _ = (std::fs::remove_dir_all(&ours), std::fs::remove_dir_all(&theirs));
        return if said.contains("help:") { Verdict::Refused } else { Verdict::RefusedBadly(said) };
    }
    let mut ours_cmd = Command::new(env!("CARGO_BIN_EXE_playbook"));
    pin(&mut ours_cmd);
    let o = ours_cmd
        .args(["run", "--workdir", ours.to_str().unwrap(), &md, "--yes", "--trace", "off"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    std::fs::remove_file(&md).unwrap();
    let mut bash = Command::new("bash");
    pin(&mut bash);
    let b = bash.arg("-c").arg(script).current_dir(&theirs).stdin(Stdio::null()).output().unwrap();
    let mut why = String::new();
    let (o_out, b_out) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&b.stdout));
    if o_out != b_out {
        let _ = write!(why, "stdout\n--- playbook:\n{o_out}--- bash:\n{b_out}");
    }
    let (o_err, b_err) = (
        commands_stderr(&String::from_utf8_lossy(&o.stderr)),
        without_line_numbers(&String::from_utf8_lossy(&b.stderr)),
    );
    if o_err != b_err {
        let _ = write!(why, "stderr\n--- playbook:\n{o_err}--- bash:\n{b_err}");
    }
    if o.status.code() != b.status.code() {
        let _ = writeln!(why, "exit status: playbook {:?}, bash {:?}", o.status.code(), b.status.code());
    }
    let (o_tree, b_tree) = (tree(&ours), tree(&theirs));
    if o_tree != b_tree {
        let names =
            |t: &[(String, Vec<u8>)]| t.iter().map(|(n, c)| format!("{n} ({} bytes)", c.len())).collect::<Vec<_>>();
        let (on, bn) = (names(&o_tree), names(&b_tree));
        let only = |a: &[String], b: &[String]| a.iter().filter(|x| !b.contains(x)).cloned().collect::<Vec<_>>();
        let _ = writeln!(why, "files: only playbook's {:?}, only bash's {:?}", only(&on, &bn), only(&bn, &on));
    }
    let _ = (std::fs::remove_dir_all(&ours), std::fs::remove_dir_all(&theirs));
    if why.is_empty() { Verdict::Same } else { Verdict::Differs(why) }
}

#[test]
fn every_accepted_case_behaves_as_bash() {
    let all = cases();
    assert!(all.len() >= 400, "the suite has {} cases; it should have at least 400", all.len());
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<(usize, Verdict)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some((_, name, script)) = all.get(i) else { break };
                    let v = one(name, script);
                    results.lock().unwrap().push((i, v));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let (mut same, mut refused, mut differ, mut bad) = (0, Vec::new(), Vec::new(), Vec::new());
    for (i, v) in &results {
        let (file, name, script) = &all[*i];
        match v {
            Verdict::Same => same += 1,
            Verdict::Refused => refused.push(name.clone()),
            Verdict::RefusedBadly(said) => bad.push(format!("{file}: {name}: refused without a help line:\n{said}")),
            Verdict::Differs(why) => differ.push(format!("{file}: {name}\n{script}{why}")),
        }
    }
    let summary = format!(
        "fidelity: {same} same / {} refused / {} differ, of {} cases",
        refused.len() + bad.len(),
        differ.len(),
        all.len()
    );
    println!("{summary}");
    for d in &differ {
        println!("\n=== differs: {d}");
    }
    for b in &bad {
        println!("\n=== {b}");
    }
    let listed = root().join("refused.txt");
    let mut now = refused.clone();
    now.sort();
    let text_now: String = now.iter().flat_map(|n| [n.as_str(), "\n"]).collect();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&listed, &text_now).unwrap();
    }
    let before = std::fs::read_to_string(&listed).unwrap_or_default();
    let before: Vec<&str> = before.lines().collect();
    let newly: Vec<&String> = now.iter().filter(|n| !before.contains(&n.as_str())).collect();
    let no_longer: Vec<&&str> = before.iter().filter(|n| !now.iter().any(|m| m == *n)).collect();
    let known = std::fs::read_to_string(root().join("known-differences.txt")).unwrap_or_default();
    let known: Vec<&str> =
        known.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_whitespace().next()).collect();
    let differing: Vec<&str> =
        results.iter().filter(|(_, v)| matches!(v, Verdict::Differs(_))).map(|(i, _)| all[*i].1.as_str()).collect();
    let unknown: Vec<&&str> = differing.iter().filter(|n| !known.contains(n)).collect();
    let fixed: Vec<&&str> = known.iter().filter(|n| !differing.contains(n)).collect();
    println!(
        "({} of the differences are listed in tests/fidelity/known-differences.txt)",
        differing.len() - unknown.len()
    );
    assert!(bad.is_empty(), "{summary}: refused without a help line");
    assert!(unknown.is_empty(), "{summary}: these cases differ from bash: {unknown:?}");
    assert!(fixed.is_empty(), "{summary}: these no longer differ, remove them from known-differences.txt: {fixed:?}");
    assert!(newly.is_empty(), "{summary}: newly refused (they ran before): {newly:?}");
    assert!(
        no_longer.is_empty(),
        "{summary}: no longer refused, update tests/fidelity/refused.txt with BLESS=1: {no_longer:?}"
    );
}

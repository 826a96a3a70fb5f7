//! Typed families end to end: the runtime recomputes a family program's need from the request
//! with the capability crate, so the manifest's typed grant is what a run is held to.

mod common;

use common::crafted::{assert_verifies, denials, rogue, run_traced};
use common::{require, runbook, text, workdir, write};

#[test]
fn a_typed_family_grant_runs_and_another_target_is_denied() {
    if !require("psql", common::sh("psql", &["--version"]).is_some()) {
        return;
    }
    let dir = workdir("families");
    let md = "# Client\n\n## Version\n\n```bash\npsql --version\n```\n";
    let path = runbook(&dir, "client.md", md);
    let (o, ev) = run_traced(&dir, std::path::Path::new(&path), "t.jsonl", &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("psql (PostgreSQL)"), "{}", text(&o));
    assert!(ev.iter().any(|e| e["kind"] == "decision" && e["capability"] == "db.postgres.version"), "{ev:?}");
    assert_verifies(&dir, "t.jsonl");

    // The code of a runbook that asks for another statement, under the approved manifest.
    let approved = "# Q\n\n## Q\n\n```bash\npsql -h 127.0.0.1 -c 'SELECT 1'\n```\n";
    let other = "# Q\n\n## Q\n\n```bash\npsql -h 127.0.0.1 -c 'DROP TABLE users'\n```\n";
    let wasm = rogue(&dir, "rogue", approved, other);
    let (o, ev) = run_traced(&dir, &wasm, "r.jsonl", &["--yes"]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(denials(&ev).iter().any(|d| d.contains("db.postgres.query")), "{:?}\n{}", denials(&ev), text(&o));
    assert_verifies(&dir, "r.jsonl");
}

#[test]
fn xargs_runs_the_command_once_per_item() {
    let dir = workdir("xargs");
    write(&dir, "a.txt", "alpha\n");
    write(&dir, "b.txt", "beta\n");
    write(&dir, "list.txt", "a.txt\nb.txt\n");
    let md = "# X\n\n## Each\n\n```bash\ncat list.txt | xargs -I {} cat {}\n```\n";
    let path = runbook(&dir, "x.md", md);
    let (o, _) = run_traced(&dir, std::path::Path::new(&path), "x.jsonl", &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("alpha") && out.contains("beta"), "{out}");
}

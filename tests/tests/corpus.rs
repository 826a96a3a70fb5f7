//! The corpus of runbooks written in the style of public ones (`corpus/`): golden manifests and
//! graphs for every file, and the benchmark's figures held to the targets of issue 16.
//! `BLESS=1 cargo test -p playbook-tests --test corpus` rewrites the golden files.

use playbook_compiler::render;
use playbook_tests::{golden, measure, root};

#[test]
fn every_corpus_runbook_matches_its_golden_manifest_and_graph() {
    let mut files = measure::runbooks(false);
    files.extend(measure::runbooks(true));
    assert!(files.len() >= 80, "the corpus holds at least 80 runbooks, found {}", files.len());
    for path in files {
        let (c, _) = measure::score(&path);
        let rel = path.strip_prefix(root().join("corpus")).unwrap().with_extension("");
        let dir = root().join("tests/golden/corpus").join(rel);
        golden(&dir.join("manifest.txt"), &c.manifest.to_text(&c.source));
        golden(&dir.join("graph.mmd"), &render::mermaid(&c.source, &c.graph));
    }
}

#[test]
fn the_corpus_figures_meet_the_targets() {
    let f = measure::figures(false);
    let report = f.text();
    assert_eq!(f.files_compiling, f.files, "every file compiles (errors confined to blocks):\n{report}");
    assert_eq!(f.output_lines_as_commands, 0, "no output line is taken for a command:\n{report}");
    assert_eq!(f.other_fences_run, 0, "no config, query or output fence runs:\n{report}");
    assert!(
        f.shell_fences_as_steps * 100 >= f.shell_fences * 95,
        "at least 95% of shell fences become steps:\n{report}"
    );
}

#[test]
fn the_held_out_corpus_never_runs_output_or_other_languages() {
    let f = measure::figures(true);
    assert!(f.files >= 20, "the held-out set holds at least 20 runbooks, found {}", f.files);
    let report = f.text();
    assert_eq!(f.files_compiling, f.files, "{report}");
    assert_eq!(f.other_fences_run, 0, "{report}");
}

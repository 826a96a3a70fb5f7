//! Shared helpers for the project's end-to-end tests: where the corpus lives, and golden files
//! that are rewritten with `BLESS=1`.

use std::path::{Path, PathBuf};

/// The repository root.
///
/// # Panics
/// Never: the crate's directory, `tests/`, is inside the repository.
#[must_use]
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The seed runbooks: `$PLAYBOOK_SEEDS`, or `../shared/seeds` beside the repository.
///
/// # Panics
/// When the directory is missing: the seeds are the conformance corpus and must not be skipped.
#[must_use]
pub fn seeds_dir() -> PathBuf {
    let dir = std::env::var_os("PLAYBOOK_SEEDS").map_or_else(|| root().join("../shared/seeds"), PathBuf::from);
    assert!(
        dir.is_dir(),
        "seed corpus not found at {}: set PLAYBOOK_SEEDS or check out shared/ beside the repository",
        dir.display()
    );
    dir
}

/// Every runbook of the conformance corpus: the five seeds and `runbooks/*.md`, sorted.
///
/// # Panics
/// When the seed corpus is missing (see [`seeds_dir`]) or a directory of it cannot be listed.
#[must_use]
pub fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for (dir, ext) in [(seeds_dir(), "txt"), (root().join("runbooks"), "md")] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext) && p.file_name().is_some_and(|n| n != "README.md"))
            .collect();
        found.sort();
        files.extend(found);
    }
    assert!(files.len() >= 8, "corpus too small: {files:?}");
    files
}

/// Compares `actual` with the golden file, or rewrites it when `BLESS=1`.
///
/// # Panics
/// When they differ, showing the first differing line.
pub fn golden(path: &Path, actual: &str) {
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("golden files live in a directory")).expect("create golden dir");
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("missing golden file {}: run with BLESS=1 to create it", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\nrun with BLESS=1 to accept the new output",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

pub mod measure;

//! One test per diagnostic kind: what triggers it, its severity, and the exact span it labels.

mod common;

use common::{bash, md};
use playbook_compiler::{Compilation, Kind, Severity, Source, load};

/// The first diagnostic of `kind`, with the source text its span covers.
fn find(c: &Compilation, kind: Kind) -> (Severity, String) {
    let d =
        c.diagnostics.iter().find(|d| d.kind == kind).unwrap_or_else(|| panic!("no {kind:?} in {:#?}", c.diagnostics));
    (d.severity, c.source.slice(d.span).to_string())
}

fn load_err(bytes: &[u8]) -> (Kind, Severity) {
    let (_, diags) = load("x.md", bytes).expect_err("must be rejected");
    (diags[0].kind, diags[0].severity)
}

#[test]
fn invalid_utf8() {
    assert_eq!(load_err(b"# T\n\xff\xfe bad"), (Kind::InvalidUtf8, Severity::Error));
}

#[test]
fn binary_input() {
    assert_eq!(load_err(b"\x7fELF\x02\x01\x01\x00\x00\x00"), (Kind::BinaryInput, Severity::Error));
}

#[test]
fn too_large() {
    let big = vec![b'a'; playbook_compiler::MAX_SOURCE_BYTES + 1];
    assert_eq!(load_err(&big), (Kind::TooLarge, Severity::Error));
}

#[test]
fn empty_runbook() {
    let c = playbook_compiler::compile(Source::new("e.md", "  \n"));
    assert_eq!(find(&c, Kind::EmptyRunbook).0, Severity::Error);
}

#[test]
fn nothing_to_run() {
    let c = md("# Notes\n\nJust prose.\n\n```yaml\na: 1\n```\n");
    assert_eq!(find(&c, Kind::NothingToRun).0, Severity::Warning);
    assert!(!c.has_errors());
}

#[test]
fn unclosed_fence_points_at_the_opening_line() {
    let c = md("# T\n\n```bash\nrm -rf data\n\nprose that would run\n");
    assert_eq!(find(&c, Kind::UnclosedFence), (Severity::Error, "```bash".to_string()));
    assert!(c.manifest.grants.is_empty(), "nothing of an unclosed fence runs: {:#?}", c.manifest.grants);
    let above = md("# T\n\n```bash\ndocker ps\n```\n\n```bash\nrm -rf data\n");
    assert!(!above.has_blocking_errors(), "the error is confined to the unclosed block");
    assert_eq!(above.manifest.grants.len(), 1, "the block above it still runs");
}

#[test]
fn untagged_shell_hint() {
    let c = md("# T\n\n```\ndocker restart web\n```\n");
    assert_eq!(find(&c, Kind::UntaggedShell), (Severity::Hint, "```".to_string()));
    assert_eq!(c.manifest.grants.len(), 1, "an untagged fence of shell runs, with a hint saying so");
    let prose = md("# T\n\n```\nThe service answers within a second.\n```\n");
    assert!(prose.manifest.grants.is_empty(), "an untagged fence of prose never runs");
    assert!(!prose.diagnostics.iter().any(|d| d.kind == Kind::UntaggedShell));
}

#[test]
fn console_without_prompt() {
    let c = md("# T\n\n```console\nuid=0(root)\n```\n");
    assert_eq!(find(&c, Kind::ConsoleWithoutPrompt).0, Severity::Warning);
}

#[test]
fn shell_syntax_unterminated_quote() {
    let c = bash("echo 'never closed");
    let (sev, _) = find(&c, Kind::ShellSyntax);
    assert_eq!(sev, Severity::Error);
    let d = c.diagnostics.iter().find(|d| d.kind == Kind::ShellSyntax).unwrap();
    assert_eq!(c.source.line_col(d.span.start).0, 6, "points into the block, at the quote");
}

#[test]
fn unsupported_construct_names_it() {
    let c = bash("case $x in a) echo a;& b) echo b;; esac");
    assert_eq!(find(&c, Kind::Unsupported).0, Severity::Error);
    let c = bash("if true; then f() { echo hi; }; fi");
    assert!(c.diagnostics.iter().any(|d| d.kind == Kind::Unsupported && d.message.contains("function")));
    let c = bash("f() { f; }\nf");
    assert!(c.diagnostics.iter().any(|d| d.kind == Kind::Unsupported && d.message.contains("calls itself")));
}

#[test]
fn dynamic_command_labels_the_program_word() {
    let c = bash("$CMD restart web");
    assert_eq!(find(&c, Kind::DynamicCommand), (Severity::Error, "$CMD".to_string()));
}

#[test]
fn interactive_labels_the_command() {
    let c = bash("kubectl edit configmap agent-config");
    assert_eq!(find(&c, Kind::Interactive), (Severity::Warning, "kubectl edit configmap agent-config".to_string()));
}

#[test]
fn unbounded() {
    let c = bash("kubectl logs -f deployment/api");
    assert_eq!(find(&c, Kind::Unbounded).0, Severity::Warning);
}

#[test]
fn unknown_option_labels_the_option() {
    let c = bash("curl --upload-file secrets.txt http://h/");
    assert_eq!(find(&c, Kind::UnknownOption), (Severity::Error, "--upload-file".to_string()));
}

#[test]
fn missing_argument() {
    let c = bash("docker logs");
    assert_eq!(find(&c, Kind::MissingArgument).0, Severity::Error);
}

#[test]
fn missing_argument_for_computed_sleep_and_a_literal_exit_that_is_no_number() {
    assert_eq!(find(&bash("sleep $WAIT"), Kind::MissingArgument).0, Severity::Error);
    assert_eq!(find(&bash("exit soon"), Kind::MissingArgument).0, Severity::Error);
    assert_eq!(find(&bash("exit 1 2"), Kind::MissingArgument).0, Severity::Error);
    // A computed status is carried out (bash's message and 2 when it is no number).
    assert!(!bash("false || exit $?").has_errors());
    assert!(!bash("rc=$(cat status.txt); exit \"$rc\"").has_errors());
}

#[test]
fn privileged() {
    let c = bash("sudo systemctl restart ollama");
    assert_eq!(find(&c, Kind::Privileged).0, Severity::Warning);
}

#[test]
fn arbitrary_exec_is_reported_once_per_program() {
    let c = bash("./start.sh\n./start.sh --again\n./stop.sh");
    let n = c.diagnostics.iter().filter(|d| d.kind == Kind::ArbitraryExec).count();
    assert_eq!(n, 2);
    assert_eq!(find(&c, Kind::ArbitraryExec), (Severity::Hint, "./start.sh".to_string()));
}

#[test]
fn invalid_url() {
    let c = bash("curl gopher://h/x");
    assert_eq!(find(&c, Kind::InvalidUrl), (Severity::Error, "gopher://h/x".to_string()));
}

#[test]
fn block_too_large() {
    let huge = "echo x\n".repeat(40_000);
    let c = bash(&huge);
    assert_eq!(find(&c, Kind::TooLarge).0, Severity::Error);
}

#[test]
fn diagnostics_in_list_items_point_at_the_indented_source() {
    let c = md("# T\n\n1. **Fix it**:\n   ```bash\n   curl --bogus http://h/\n   ```\n");
    let (_, text) = find(&c, Kind::UnknownOption);
    assert_eq!(text, "--bogus");
}

#[test]
fn every_kind_has_a_distinct_code() {
    let all = [
        Kind::InvalidUtf8,
        Kind::BinaryInput,
        Kind::TooLarge,
        Kind::EmptyRunbook,
        Kind::NothingToRun,
        Kind::UnclosedFence,
        Kind::UntaggedShell,
        Kind::ConsoleWithoutPrompt,
        Kind::ShellSyntax,
        Kind::Unsupported,
        Kind::DynamicCommand,
        Kind::Interactive,
        Kind::Unbounded,
        Kind::UnknownOption,
        Kind::MissingArgument,
        Kind::Privileged,
        Kind::ArbitraryExec,
        Kind::InvalidUrl,
    ];
    let codes: std::collections::BTreeSet<&str> = all.iter().map(|k| k.code()).collect();
    assert_eq!(codes.len(), all.len());
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let deep = format!("echo {}x{}", "$(echo ".repeat(3000), ")".repeat(3000));
    let c = bash(&deep);
    assert!(
        c.diagnostics.iter().any(|d| d.kind == Kind::Unsupported && d.message.contains("levels deep")),
        "{:#?}",
        c.diagnostics
    );
    let ifs = format!("{}echo{}", "if true; then ".repeat(500), "; fi".repeat(500));
    assert!(bash(&ifs).has_errors());
    let fine = format!("echo {}x{}", "$(echo ".repeat(6), ")".repeat(6));
    assert!(!bash(&fine).has_errors());
}

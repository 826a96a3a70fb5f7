//! Inputs (placeholders, environment, secrets) and graph shape (choices, manual, waits, ids).

// The compiler itself never touches disk (compiler/clippy.toml); a test reads a seed runbook.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{bash, md};
use playbook_compiler::graph::NodeKind;
use playbook_compiler::{Source, compile};

fn input_names(c: &playbook_compiler::Compilation) -> Vec<(String, bool, &'static str)> {
    c.graph.inputs.iter().map(|i| (i.name.clone(), i.secret, i.source)).collect()
}

#[test]
fn placeholders_become_required_inputs_not_redirections() {
    let c = bash("~/.fly/bin/fly machine restart <machine-id> -a hotdash-llamaindex-mcp");
    assert_eq!(input_names(&c), [("machine_id".to_string(), false, "placeholder")]);
    let g = &c.manifest.grants;
    assert_eq!(g.len(), 1, "{g:#?}");
    assert!(
        g[0].scope.contains(&("argv".into(), "machine restart {input.machine_id} -a hotdash-llamaindex-mcp".into()))
    );
}

#[test]
fn placeholder_at_end_of_line_parses() {
    let c = bash("curl http://localhost:8080/api/v1/workflows/<id>");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(input_names(&c)[0].0, "id");
}

#[test]
fn unassigned_environment_variables_are_inputs_and_credentials_are_secret() {
    let c = bash("curl -X POST http://h/x -H \"Authorization: Bearer $ADMIN_TOKEN\"\necho \"$REGION\"");
    assert_eq!(input_names(&c), [("ADMIN_TOKEN".to_string(), true, "env"), ("REGION".to_string(), false, "env")]);
}

#[test]
fn assigned_loop_and_ambient_variables_are_not_inputs() {
    let c = bash("export LEVEL=debug\nNAME=web\nfor m in a b; do echo \"$m $LEVEL $NAME $HOME\"; done");
    assert!(c.graph.inputs.is_empty(), "{:?}", c.graph.inputs);
}

#[test]
fn secret_names() {
    use playbook_compiler::graph::is_secret;
    for s in [
        "ADMIN_TOKEN",
        "DB_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "API_KEY",
        "GITHUB_APITOKEN",
        "api-key",
        // Any part containing a credential word, in any case (issue 15's list).
        "TOKEN2",
        "PASSWORD1",
        "DB_SECRETS",
        "SSHKEY",
        "ACCESSKEY_ID",
        "SecretKey",
        "TLS_CERT",
        "X_AUTH",
        "PRIVATE_PEM",
        "REDIS_PASS",
    ] {
        assert!(is_secret(s), "{s}");
    }
    // Broad on purpose: a name that merely contains a word is secret too (`KEYSPACE_NAME`);
    // masked by mistake costs little, leaked by mistake costs much.
    for s in ["REGION", "machine_id", "NAMESPACE", "REPLICAS", "LOG_LEVEL"] {
        assert!(!is_secret(s), "{s}");
    }
}

#[test]
fn option_headings_form_one_choice() {
    let c = md(
        "# T\n\n## Mitigation\n\n### Option 1: Roll back\n\n```bash\nkubectl rollout undo deployment/api\n```\n\n### Option 2: Scale\n\n```bash\nkubectl scale deployment api --replicas=4\n```\n",
    );
    assert_eq!(c.graph.body.len(), 1);
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not a choice") };
    let ids: Vec<&str> = branches.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["mitigation/option-1-roll-back", "mitigation/option-2-scale"]);
}

#[test]
fn numbered_causes_form_a_choice_and_ids_drop_numbering() {
    let c = md(
        "# T\n\n## Diagnosis\n\n### Common Causes\n\n#### 1. Container Crash\n\n```bash\ndocker restart web\n```\n\n#### 2. Out of Memory\n\n```bash\nfree -h\n```\n",
    );
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not a choice") };
    assert_eq!(branches[0].id, "diagnosis/container-crash");
    assert_eq!(c.manifest.grants[0].steps, ["diagnosis/container-crash"]);
}

#[test]
fn numbered_headings_elsewhere_are_a_sequence() {
    let c = md(
        "# T\n\n## Procedure\n\n### 1. Stop\n\n```bash\ndocker stop web\n```\n\n### 2. Start\n\n```bash\ndocker start web\n```\n",
    );
    assert_eq!(c.graph.body.len(), 2);
}

#[test]
fn a_lone_if_section_is_optional() {
    let c = md("# T\n\n## If Restart Fails\n\nRemove it first.\n\n```bash\ndocker rm -f web\n```\n");
    let NodeKind::Optional { why, branch } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not optional") };
    assert_eq!(why, "conditional");
    assert_eq!(branch.id, "if-restart-fails");
    assert_eq!(branch.about.as_deref(), Some("Remove it first."));
    assert_eq!(branch.body.len(), 1);
}

/// The kind of each node of a sequence, and the id of what an optional node holds.
fn shape(c: &playbook_compiler::Compilation, seq: &[usize]) -> Vec<String> {
    seq.iter()
        .map(|&i| match &c.graph.nodes[i].kind {
            NodeKind::Choice { .. } => format!("choice {}", c.graph.nodes[i].id),
            NodeKind::Optional { why, branch } => format!("optional {} ({why})", branch.id),
            NodeKind::Manual { .. } => format!("manual {}", c.graph.nodes[i].id),
            _ => format!("step {}", c.graph.nodes[i].id),
        })
        .collect()
}

#[test]
fn rollback_recovery_emergency_and_escalation_sections_are_optional() {
    let c = md(
        "# Service down\n\n## Check\n\n```bash\ndocker ps\n```\n\n## Rollback\n\n```bash\ndocker stop web\n```\n\n## Recovery\n\n### Restore the database\n\n```bash\ndocker start db\n```\n\n### Full recovery\n\n```bash\ndocker rm web\n```\n\n## Emergency: stop everything\n\n```bash\ndocker stop db\n```\n\n## Escalate to the on-call\n\n```bash\ncurl -X POST http://pager.example/page\n```\n\n## Verify\n\n```bash\ndocker ps -a\n```\n",
    );
    assert_eq!(
        shape(&c, &c.graph.body),
        [
            "step check",
            "optional rollback (a rollback)",
            "optional recovery/restore-the-database (a recovery)",
            "optional recovery/full-recovery (a recovery)",
            "optional emergency-stop-everything (an emergency)",
            "optional escalate-to-the-on-call (an escalation)",
            "step verify",
        ]
    );
}

#[test]
fn a_family_the_runbook_title_names_is_its_purpose() {
    let c =
        md("# Deployment rollback\n\n## Roll back the release\n\n```bash\nkubectl rollout undo deployment/api\n```\n");
    assert_eq!(shape(&c, &c.graph.body), ["step roll-back-the-release"]);
}

#[test]
fn a_numbered_procedure_under_an_optional_heading_is_one_optional_step() {
    let c = md(
        "# T\n\n## Rollback procedure\n\n### Step 1: Stop\n\n```bash\ndocker stop web\n```\n\n### Step 2: Start the old one\n\n```bash\ndocker start web-old\n```\n",
    );
    assert_eq!(shape(&c, &c.graph.body), ["optional rollback-procedure (a rollback)"]);
    let NodeKind::Optional { branch, .. } = &c.graph.nodes[c.graph.body[0]].kind else { unreachable!() };
    assert_eq!(branch.body.len(), 2, "both steps are inside it");
}

#[test]
fn conditional_titles_and_lead_paragraphs_make_optional_steps() {
    let c = md(
        "# T\n\n## Restart\n\n```bash\ndocker restart web\n```\n\nIf the restart does not help, clear the cache:\n\n```bash\nrm -rf cache\n```\n\nAlternatively, recreate it:\n\n```bash\ndocker rm -f web\n```\n\nThen look:\n\n```bash\ndocker ps\n```\n\n## Clean up if needed\n\n```bash\nrm -f tmp.log\n```\n\n## Optional: tidy the images\n\n```bash\ndocker image prune -f\n```\n",
    );
    assert_eq!(
        shape(&c, &c.graph.body),
        [
            "step restart",
            "optional restart (conditional)",
            "optional restart (an alternative)",
            "step restart-4",
            "optional clean-up-if-needed (conditional)",
            "optional optional-tidy-the-images (optional)",
        ]
    );
}

#[test]
fn paragraphs_for_one_platform_each_are_alternatives() {
    let c = bash("# Docker\ndocker-compose restart api\n\n# Kubernetes\nkubectl rollout restart deployment/api");
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not a choice") };
    let titles: Vec<&str> = branches.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, ["Docker", "Kubernetes"]);
    // Comments that say what a command does are a sequence.
    let c = bash("# Connection test\npg_isready -h localhost\n\n# Quick query\ndocker ps");
    assert_eq!(c.graph.body.len(), 1);
    assert!(matches!(c.graph.nodes[c.graph.body[0]].kind, NodeKind::Step { .. }));
}

#[test]
fn choice_branches_carry_the_first_line_of_their_prose() {
    let c = md(
        "# T\n\n## Common causes\n\n### 1. Crash\n**Symptoms:** Container not running\n**Solution:**\n```bash\ndocker restart web\n```\n\n### 2. Memory\n\n**Symptoms:** OOM in the log\n\n```bash\nfree -h\n```\n",
    );
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not a choice") };
    assert_eq!(branches[0].about.as_deref(), Some("Symptoms: Container not running"));
    assert_eq!(branches[1].about.as_deref(), Some("Symptoms: OOM in the log"));
}

#[test]
fn option_comment_markers_split_one_block() {
    let c = bash(
        "# OPTION A: Roll back\n# see the deployment guide\n\n# OPTION B: Restart\ndocker restart web\n\n# Log it\necho done >> log.md",
    );
    let kinds: Vec<&str> = c
        .graph
        .body
        .iter()
        .map(|&i| match c.graph.nodes[i].kind {
            NodeKind::Choice { .. } => "choice",
            NodeKind::Step { .. } => "step",
            NodeKind::Manual { .. } => "manual",
            NodeKind::Wait { .. } => "wait",
            NodeKind::Optional { .. } => "optional",
        })
        .collect();
    assert_eq!(kinds, ["choice", "step"]);
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { unreachable!() };
    assert!(
        matches!(c.graph.nodes[branches[0].body[0]].kind, NodeKind::Manual { .. }),
        "an option with no command is manual"
    );
    assert_eq!(branches[1].title, "Option B: Restart");
}

#[test]
fn or_comment_makes_alternatives() {
    let c = bash("docker-compose ps\n# or\nkubectl get pods -n app");
    let NodeKind::Choice { branches } = &c.graph.nodes[c.graph.body[0]].kind else { panic!("not a choice") };
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[1].title, "kubectl get pods -n app");
}

#[test]
fn list_items_title_their_blocks() {
    let c = md(
        "# T\n\n## Fix\n\n1. **Identify the crash cause**:\n   ```bash\n   kubectl logs -l app=x --previous\n   ```\n",
    );
    let n = &c.graph.nodes[c.graph.body[0]];
    assert_eq!(n.title, "Identify the crash cause");
    assert_eq!(n.id, "fix/identify-the-crash-cause");
}

#[test]
fn ids_are_unique() {
    let c = md("# T\n\n## A\n\n```bash\necho 1\n```\n\n```bash\necho 2\n```\n");
    let ids: Vec<&str> = c.graph.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["a", "a-2"]);
}

#[test]
fn seed_003_has_machine_id_and_no_bogus_file_grants() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds/003_2bf367caff813517.txt");
    let text = std::fs::read_to_string(path).expect("the seed corpus is beside the project in ../shared/seeds");
    let c = compile(Source::new("003_2bf367caff813517.txt", text));
    assert!(!c.has_errors());
    assert!(c.graph.inputs.iter().any(|i| i.name == "machine_id" && i.source == "placeholder"));
    for g in &c.manifest.grants {
        for (k, v) in &g.scope {
            assert!(!(k == "path" && (v.ends_with("machine-id") || v == "-a")), "bogus grant {g:?}");
        }
    }
}

#[test]
fn a_variable_assigned_once_to_a_literal_names_its_value_in_the_manifest() {
    let path = |cmds: &str| {
        let c = common::bash(cmds);
        let g = common::grants(&c);
        g.iter().find(|g| g.0 == "fs.read").map_or_else(|| panic!("{cmds}: {g:#?}"), |g| g.2.clone())
    };
    assert!(path("LOG=/var/log/app.log\ncat \"$LOG\"").contains(&"path=/var/log/app.log".to_string()));
    assert!(path("LOG=/var/log/app.log\ncat $LOG").contains(&"path=/var/log/app.log".to_string()));
    // Assigned twice, in a subshell, by a loop or read: it stays a variable.
    for cmds in [
        "LOG=/a\nLOG=/b\ncat \"$LOG\"",
        "LOG=/a\n( LOG=/b )\ncat \"$LOG\"",
        "LOG=/a\nx=$(LOG=/b)\ncat \"$LOG\"",
        "LOG=/a\nfor LOG in /b /c; do :; done\ncat \"$LOG\"",
        "LOG=/a\nexport LOG\ncat \"$LOG\"",
        "cat \"$LOG\"\nLOG=/a",
        "true && LOG=/a\ncat \"$LOG\"",
        // (Builtins with computed names could set it: nothing is propagated, and nothing panics.)
        "export $A\nexport $B\nexport $C\nLOG=/a\ncat \"$LOG\"",
    ] {
        assert!(path(cmds).contains(&"path={var.LOG}".to_string()), "{cmds}: {:?}", path(cmds));
    }
    // Unquoted, a value that splitting or globbing would change stays a variable.
    assert!(path("F='a b'\ncat $F").iter().any(|s| s.contains("{var.F}")), "{:?}", path("F='a b'\ncat $F"));
}

/// A function called with literal arguments is granted what each call does: the manifest names
/// `web` and `db`, not a hole; the positional parameters are never inputs.
#[test]
fn function_calls_with_literal_arguments_are_granted_as_written() {
    let c = bash("restart() {\n  docker restart \"$1\"\n  echo \"restarted $1 of $#\"\n}\nrestart web\nrestart db");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(c.graph.inputs.is_empty(), "{:?}", c.graph.inputs);
    let scopes: Vec<String> = c.manifest.grants.iter().map(|g| format!("{} {:?}", g.capability, g.scope)).collect();
    assert_eq!(scopes.len(), 2, "{scopes:#?}");
    assert!(scopes.iter().any(|s| s.contains("\"web\"")) && scopes.iter().any(|s| s.contains("\"db\"")), "{scopes:#?}");
    // With a computed argument, the grant has a hole where `$1` is.
    let c = bash("restart() { docker restart \"$1\"; }\nfor c in $(cat names.txt); do restart \"$c\"; done");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(c.manifest.grants.iter().any(|g| format!("{:?}", g.scope).contains("{var.1}")), "{:#?}", c.manifest.grants);
}

/// Each block is compiled on its own: a function one block defines is not called from another
/// (it would run as a program of that name), and says so.
#[test]
fn a_function_of_another_block_is_refused_where_it_is_called() {
    let c = md("# T\n\n## A\n\n```bash\ngreet() { echo hi; }\ngreet\n```\n\n## B\n\n```bash\ngreet\n```\n");
    assert!(
        c.diagnostics.iter().any(|d| d.message.contains("a function another block defines")),
        "{:#?}",
        c.diagnostics
    );
    assert_eq!(
        c.diagnostics.iter().filter(|d| d.severity == playbook_compiler::diagnostic::Severity::Error).count(),
        1
    );
}

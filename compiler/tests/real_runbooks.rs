//! Runbooks as people write them: untagged fences, prompts, pasted output, a block that cannot
//! compile next to blocks that can, sessions opened on other hosts, placeholders in prose form.

mod common;

use common::{grants, md};
use playbook_compiler::fence::{Line, Tag, read};
use playbook_compiler::graph::NodeKind;
use playbook_compiler::{Compilation, Kind, Severity};

fn manual_texts(c: &Compilation) -> Vec<String> {
    c.graph
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Manual { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn capabilities(c: &Compilation) -> Vec<String> {
    grants(c).into_iter().map(|g| g.0).collect()
}

fn kinds(c: &Compilation) -> Vec<Kind> {
    c.diagnostics.iter().map(|d| d.kind).collect()
}

#[test]
fn prompts_in_a_bash_fence_are_stripped_and_the_output_under_them_never_runs() {
    let c = md(
        "# T\n\n```bash\n$ kubectl get pods -n web\nNAME      READY   STATUS    RESTARTS   AGE\nweb-1     1/1     Running   0          2d\n$ docker ps\n```\n",
    );
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(capabilities(&c), ["kube.pods.get", "docker.container.list"]);
    let d = c.diagnostics.iter().find(|d| d.kind == Kind::OutputInFence).expect("a warning about the output");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(c.source.line_col(d.span.start).0, 5, "on the first output line");
}

#[test]
fn log_lines_and_yaml_pasted_in_a_shell_fence_are_output() {
    let c = md(
        "# T\n\n```shell\njournalctl -u chronyd -n 2\nOct 18 19:39:36 host chronyd[812]: Selected source 10.0.0.1\nOct 18 19:40:01 host chronyd[812]: System clock wrong\n```\n",
    );
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(grants(&c).len(), 1, "{:#?}", grants(&c));
    assert!(grants(&c)[0].2.iter().any(|s| s == "program=journalctl"), "{:#?}", grants(&c));
}

#[test]
fn an_assignment_named_msg_is_shell_and_a_logfmt_line_is_output() {
    let r = read(
        "msg=\"a b c\"; for w in $msg; do echo \"$w\"; done\ntime=\"2024-05-01 10:00\" level=info msg=\"started\"\n",
        Tag::Shell,
    );
    assert_eq!(r.lines[0], Line::Command { skip: 0 }, "{:?}", r.lines);
    assert_eq!(r.lines[1], Line::Output, "{:?}", r.lines);
}

#[test]
fn console_fences_run_the_prompt_lines_and_keep_comments_as_comments() {
    let c = md(
        "# T\n\n```console\n# Check the nodes first\n$ kubectl get nodes\nNAME     STATUS   ROLES\nnode-1   Ready    worker\n```\n",
    );
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(capabilities(&c), ["kube.nodes.get"]);
}

#[test]
fn fences_with_odd_tags_and_named_prompts_are_read_as_shell_with_a_hint() {
    for fence in ["```text\nuser@host:~$ docker ps\n```", "```cli\nworker$ docker ps\n```", "```\ndocker ps\n```"] {
        let c = md(&format!("# T\n\n{fence}\n"));
        assert_eq!(capabilities(&c), ["docker.container.list"], "{fence}");
        assert!(kinds(&c).contains(&Kind::UntaggedShell), "{fence}: {:#?}", c.diagnostics);
    }
    let session = md("# T\n\n```terminal\n[root@node-1 ~]# docker ps\nCONTAINER ID   IMAGE\n```\n");
    assert_eq!(capabilities(&session), ["docker.container.list"], "a session tag: prompt lines run, no hint");
    assert!(!kinds(&session).contains(&Kind::UntaggedShell));
    let yaml = md("# T\n\n```yaml\nkubectl: true\n```\n");
    assert!(yaml.manifest.grants.is_empty(), "another language never runs");
}

#[test]
fn one_block_that_cannot_compile_becomes_a_manual_step_and_the_rest_of_the_file_runs() {
    let c = md(
        "# T\n\n## Look\n\n```bash\ndocker ps\n```\n\n## Broken\n\n```bash\necho 'never closed\n```\n\n## After\n\n```bash\ndocker logs web\n```\n",
    );
    assert!(c.has_errors(), "check still reports the broken block");
    assert!(!c.has_blocking_errors(), "but the error is confined to its block");
    let d = c.diagnostics.iter().find(|d| d.kind == Kind::ShellSyntax).unwrap();
    assert!(d.contained, "the syntax error is marked as confined to its block");
    assert_eq!(capabilities(&c), ["docker.container.list", "docker.container.logs"]);
    let manual = manual_texts(&c);
    assert_eq!(manual.len(), 1, "{manual:#?}");
    assert!(manual[0].starts_with("playbook cannot run this block ("), "{}", manual[0]);
    assert!(manual[0].ends_with("echo 'never closed"), "the block is shown to do by hand: {}", manual[0]);
}

#[test]
fn a_session_opener_makes_the_rest_of_its_block_one_manual_step() {
    let c = md("# T\n\n```bash\ndocker ps\nssh db-1\nsudo systemctl restart postgresql\nrm -rf /var/lib/pg/tmp\n```\n");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(capabilities(&c), ["docker.container.list"], "nothing after `ssh db-1` runs here");
    let manual = manual_texts(&c);
    assert_eq!(manual.len(), 1);
    assert!(manual[0].contains("`ssh db-1` opens a shell on another host"), "{}", manual[0]);
    assert!(manual[0].ends_with("sudo systemctl restart postgresql\nrm -rf /var/lib/pg/tmp"), "{}", manual[0]);
    assert!(c.diagnostics.iter().any(|d| d.kind == Kind::Interactive && c.source.slice(d.span) == "ssh db-1"));

    for opener in [
        "oc debug node/worker-1",
        "oc rsh postgres-0",
        "kubectl exec -it web-1 -- bash",
        "sudo su - postgres",
        "chroot /host",
        "psql -U postgres",
        "docker exec -it web sh",
    ] {
        let c = md(&format!("# T\n\n```bash\n{opener}\ncat /etc/hosts\n```\n"));
        assert!(capabilities(&c).is_empty(), "{opener}: {:#?}", grants(&c));
        assert_eq!(manual_texts(&c).len(), 1, "{opener}");
    }
    for command in ["ssh db-1 uptime", "kubectl exec web-1 -- cat /etc/hosts", "psql -c 'SELECT 1'", "sudo -u app ls"] {
        assert!(fence_opener(command).is_none(), "{command} runs a command, it opens nothing");
    }
}

fn fence_opener(line: &str) -> Option<String> {
    playbook_compiler::fence::opener(line)
}

#[test]
fn statements_at_a_database_prompt_are_one_manual_step() {
    let c = md(
        "# T\n\n```\npostgres=# SELECT pid, state FROM pg_stat_activity;\n pid | state\n-----+-------\n 42  | idle\n```\n",
    );
    assert!(c.manifest.grants.is_empty());
    let manual = manual_texts(&c);
    assert_eq!(manual, ["in a `psql` session, by hand:\nSELECT pid, state FROM pg_stat_activity;"]);
}

#[test]
fn placeholders_of_several_words_are_one_input_never_a_redirection() {
    let c = md("# T\n\n```bash\nkubectl logs <pod name from alert> -n [problem-namespace]\n```\n");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let names: Vec<&str> = c.graph.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["pod_name_from_alert", "problem_namespace"]);
    assert_eq!(capabilities(&c), ["kube.pods.logs"], "no file write invented from `<`/`>`");
}

#[test]
fn blockquote_markers_without_a_space_are_stripped() {
    let c = md("# T\n\n>```bash\n>docker ps\n>```\n");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(capabilities(&c), ["docker.container.list"]);
}

#[test]
fn an_error_inside_a_substitution_on_a_later_line_points_at_that_line() {
    let c = md("# T\n\n```bash\necho start\nx=$(\n  kubectl frobnicate pods\n)\n```\n");
    let d = c.diagnostics.iter().find(|d| d.severity == Severity::Error).expect("an error");
    assert_eq!(c.source.line_col(d.span.start).0, 6, "{:#?}", c.diagnostics);
}

#[test]
fn a_newline_inside_quotes_is_not_an_invisible_character() {
    let c = md("# T\n\n```bash\necho \"first line\nsecond line\"\n```\n");
    assert!(!c.diagnostics.iter().any(|d| d.message.contains("invisible")), "{:#?}", c.diagnostics);
}

/// The review's cases: a session opened in an alternative, openers behind options or on two
/// lines, prompts inside a heredoc, a heredoc opened by a line that looks like output, a `# `
/// line in a loose fence, a comment after a prompt.
#[test]
fn sessions_in_alternatives_and_openers_behind_options_never_run_locally() {
    let alt = md(
        "# T\n\n```bash\n# Option A: restart on the node\nssh node-1\nsudo systemctl restart kubelet\n# Option B: reboot it\nssh node-1 sudo reboot\n```\n",
    );
    assert!(
        !grants(&alt).iter().any(|g| g.2.iter().any(|s| s == "unit=kubelet")),
        "nothing typed after `ssh node-1` runs here: {:#?}",
        grants(&alt)
    );
    for block in [
        "kubectl -n prod exec -it web-0 -- bash\nrm -rf /data/cache",
        "oc -n shop rsh web-0\nrm -rf /data/cache",
        "ssh -i key.pem \\\n  ubuntu@10.0.0.5\nrm -rf /data/cache",
        "docker compose exec web sh\nrm -rf /data/cache",
        "docker-compose exec web bash\nrm -rf /data/cache",
        "docker run -it --rm busybox sh\nrm -rf /data/cache",
        "sudo -u postgres -i\nrm -rf /data/cache",
        "sudo -iu postgres\nrm -rf /data/cache",
        "sudo bash\nrm -rf /data/cache",
    ] {
        let c = md(&format!("# T\n\n```bash\n{block}\n```\n"));
        assert!(
            !grants(&c).iter().any(|g| g.0.starts_with("fs.")),
            "{block}: the `rm` after the opener must not run here: {:#?}",
            grants(&c)
        );
        assert_eq!(manual_texts(&c).len(), 1, "{block}");
    }
}

#[test]
fn heredocs_and_quotes_are_tracked_through_prompts_and_output_shapes() {
    // A `$ ` inside a heredoc body is text, not a prompt: the block stays a script.
    let c = md("# T\n\n```bash\ncat > motd.txt <<'EOF'\n$ sudo systemctl start app\nEOF\n```\n");
    assert!(!grants(&c).iter().any(|g| g.0.starts_with("systemd")), "{:#?}", grants(&c));
    assert!(!kinds(&c).contains(&Kind::OutputInFence), "no line of it is output: {:#?}", c.diagnostics);
    // A line starting with a quote that opens a heredoc is shell: its body is not run locally.
    let c = md("# T\n\n```bash\n\"$SSH\" db-1 sudo bash -s <<'EOF'\nsystemctl stop postgresql\nEOF\n```\n");
    assert!(!grants(&c).iter().any(|g| g.0.starts_with("systemd")), "the heredoc body is data: {:#?}", grants(&c));
    // `<<` inside arithmetic is a shift, not a heredoc.
    let r = read("$ echo $((1 << 10))\n1024\n$ docker ps\n", Tag::Session);
    assert_eq!(r.lines, [Line::Command { skip: 2 }, Line::Output, Line::Command { skip: 2 }]);
    // An apostrophe in output opens no quote.
    let r = read(
        "/usr/lib/postgresql/15/bin/pg_controldata /d | grep -i checkpoint\nLatest checkpoint's REDO location:    2B78/DF\n",
        Tag::Loose,
    );
    assert_eq!(r.lines, [Line::Command { skip: 0 }, Line::Output]);
}

#[test]
fn a_root_comment_in_a_loose_fence_never_runs_and_a_comment_after_a_prompt_is_a_comment() {
    let c = md("# T\n\n```\nlisten 8080\n# rm -rf /var/cache/app/* before restarting\n```\n");
    assert!(c.manifest.grants.is_empty(), "{:#?}", grants(&c));
    let c = md("# T\n\n```console\n$ # check the pods\n$ kubectl get pods\n```\n");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(capabilities(&c), ["kube.pods.get"]);
}

//! One test per classifier: a command line in, the typed capability, effect and scope out.

mod common;

use common::{bash, error_of, grants, has_scope, kinds, only_grant};
use playbook_compiler::Kind;
use playbook_compiler::graph::NodeKind;

// ---- docker -------------------------------------------------------------------------------

#[test]
fn docker_logs_reads_one_container() {
    let g = only_grant("docker logs advanced-comfyui-workflows --tail 100");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.logs", "read"));
    assert!(has_scope(&g, "container=advanced-comfyui-workflows"));
}

#[test]
fn docker_restart_and_update_are_writes_with_their_settings() {
    let g = only_grant("docker restart web");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.restart", "write"));
    let g = only_grant("docker update --memory=128g web");
    assert_eq!(g.0, "docker.container.update");
    assert!(has_scope(&g, "--memory=128g"), "{g:?}");
}

#[test]
fn docker_rm_is_destructive() {
    let g = only_grant("docker rm -f web");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.rm", "destructive"));
}

#[test]
fn docker_run_scopes_image_and_name() {
    let g = only_grant("docker run -d --name web-rollback -p 8080:8080 storycore/advanced-workflows:v1.0.0");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.run", "write"));
    assert!(has_scope(&g, "image=storycore/advanced-workflows:v1.0.0"));
    assert!(has_scope(&g, "--name=web-rollback"));
    assert!(has_scope(&g, "--publish=8080:8080"));
    assert!(has_scope(&g, "--detach=true"));
}

#[test]
fn docker_exec_is_exec_and_interactive_exec_is_manual() {
    let g = only_grant("docker exec web cat /etc/hostname");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.exec", "exec"));
    assert!(has_scope(&g, "command=cat /etc/hostname"));
    let c = bash("docker exec -it web sh -c 'ls'");
    assert!(kinds(&c).contains(&Kind::Interactive));
    assert!(grants(&c).is_empty(), "a manual command is not granted");
    assert_eq!(c.manifest.manual.len(), 1);
}

#[test]
fn docker_ps_and_network_are_reads() {
    assert_eq!(only_grant("docker ps -a").0, "docker.container.list");
    let g = only_grant("docker network inspect bridge");
    assert_eq!(g.0, "docker.network.inspect");
    assert!(has_scope(&g, "network=bridge"));
}

#[test]
fn docker_compose_both_spellings() {
    let g = only_grant("docker-compose logs --tail=100 orchestrator");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.compose.logs", "read"));
    assert!(has_scope(&g, "service=orchestrator"));
    let g = only_grant("docker compose -f prod.yml restart orchestrator");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.compose.restart", "write"));
    assert!(has_scope(&g, "file=prod.yml"));
    assert_eq!(only_grant("docker compose down").1, "destructive");
}

#[test]
fn docker_unknown_subcommand_and_global_options_are_errors() {
    error_of("docker frobnicate web", Kind::MissingArgument);
    error_of("docker -H tcp://evil:2375 ps", Kind::UnknownOption);
    // An untyped option is no longer an error (issue 16): see `cli_tables.rs`.
    error_of("docker logs --bogus \"$C\"", Kind::UnknownOption);
}

#[test]
fn docker_logs_follow_is_bounded() {
    let c = bash("docker logs -f web");
    assert!(kinds(&c).contains(&Kind::Unbounded));
    assert_eq!(c.manifest.grants[0].bounded, Some(30));
}

// ---- kubectl ------------------------------------------------------------------------------

#[test]
fn kubectl_get_uses_canonical_resource_and_current_namespace() {
    let g = only_grant("kubectl get deploy agent-native-framework");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("kube.deployments.get", "read"));
    assert!(has_scope(&g, "namespace={context}"));
    assert!(has_scope(&g, "name=agent-native-framework"));
}

#[test]
fn kubectl_logs_with_selector_and_namespace() {
    let g = only_grant("kubectl logs -n prod -l app=api --tail=100 --previous");
    assert_eq!(g.0, "kube.pods.logs");
    assert!(has_scope(&g, "namespace=prod"));
    assert!(has_scope(&g, "selector=app=api"));
}

#[test]
fn kubectl_type_slash_name_form() {
    let g = only_grant("kubectl rollout restart deployment/orchestrator");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("kube.deployments.rollout-restart", "write"));
    assert!(has_scope(&g, "name=orchestrator"));
}

#[test]
fn kubectl_scale_to_zero_is_destructive() {
    assert_eq!(only_grant("kubectl scale deployment api --replicas=2").1, "write");
    assert_eq!(only_grant("kubectl scale deployment api --replicas=0").1, "destructive");
}

#[test]
fn kubectl_patch_keeps_the_multi_line_body() {
    let g = only_grant("kubectl patch deployment api -p '{\n  \"spec\": {\"replicas\": 3}\n}'");
    assert_eq!(g.0, "kube.deployments.patch");
    assert!(has_scope(&g, r#"--patch=$'{\n  "spec": {"replicas": 3}\n}'"#), "{g:?}");
}

#[test]
fn kubectl_set_image_and_delete() {
    let g = only_grant("kubectl set image deployment/api app=api:v2");
    assert_eq!(g.0, "kube.deployments.set-image");
    assert!(has_scope(&g, "images=app=api:v2"));
    assert_eq!(only_grant("kubectl delete pod api-123").1, "destructive");
}

#[test]
fn kubectl_exec_edit_and_watch_modes() {
    assert!(kinds(&bash("kubectl exec -it deployment/api -- env")).contains(&Kind::Interactive));
    assert!(kinds(&bash("kubectl edit configmap agent-config")).contains(&Kind::Interactive));
    assert!(kinds(&bash("kubectl get pods -w")).contains(&Kind::Unbounded));
    let g = only_grant("kubectl exec deployment/api -- env");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("kube.deployments.exec", "exec"));
}

#[test]
fn kubectl_change_without_target_is_an_error() {
    error_of("kubectl delete pods", Kind::MissingArgument);
    error_of("kubectl scale deployment api", Kind::MissingArgument);
}

// ---- http ---------------------------------------------------------------------------------

#[test]
fn curl_get_is_a_read_with_a_parsed_url() {
    let g = only_grant("curl -f http://localhost:8080/health");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("http.request", "read"));
    for kv in ["method=GET", "scheme=http", "host=localhost", "port=8080", "path=/health"] {
        assert!(has_scope(&g, kv), "{kv} in {g:?}");
    }
}

#[test]
fn curl_methods_follow_flags() {
    assert!(has_scope(&only_grant("curl -X POST http://h/x"), "method=POST"));
    assert!(has_scope(&only_grant("curl -d a=1 http://h/x"), "method=POST"));
    assert!(has_scope(&only_grant("curl -I https://h/x"), "method=HEAD"));
    assert_eq!(only_grant("curl -X DELETE http://h/x").1, "destructive");
}

#[test]
fn curl_headers_are_scoped_with_their_values_as_holes() {
    let g = only_grant("curl -X POST http://localhost:8080/api -H \"Authorization: Bearer $ADMIN_TOKEN\"");
    assert!(has_scope(&g, "header.1=Authorization: Bearer {var.ADMIN_TOKEN}"), "{g:?}");
}

#[test]
fn curl_placeholder_in_path_is_a_hole() {
    let g = only_grant("curl -X POST http://localhost:8080/api/v1/workflows/<id>/cancel");
    assert!(has_scope(&g, "path=/api/v1/workflows/{input.id}/cancel"), "{g:?}");
}

#[test]
fn curl_output_file_needs_a_write() {
    let c = bash("curl -s -o out.json http://h/x");
    let g = grants(&c);
    assert!(g.iter().any(|g| g.0 == "fs.write" && g.2.contains(&"path=out.json".to_string())), "{g:?}");
}

#[test]
fn curl_unknown_flag_and_bad_url_are_errors() {
    error_of("curl --upload-file x http://h/", Kind::UnknownOption);
    error_of("curl ftp://h/file", Kind::InvalidUrl);
    error_of("curl -s", Kind::MissingArgument);
}

#[test]
fn wget_is_an_http_request() {
    // `-q` alone would save a file named `health`: that is refused (see cli_tables).
    let g = only_grant("wget -qO- -T 5 http://h/health");
    assert_eq!(g.0, "http.request");
}

// ---- files --------------------------------------------------------------------------------

#[test]
fn cat_and_head_of_files_are_reads() {
    assert_eq!(only_grant("cat logs/error.log"), ("fs.read".into(), "read".into(), vec!["path=logs/error.log".into()]));
    assert_eq!(only_grant("head -5 a.txt").0, "fs.read");
}

#[test]
fn rm_is_destructive_and_recursive_is_scoped() {
    let g = only_grant("rm -rf data/temp/*");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("fs.remove", "destructive"));
    assert!(has_scope(&g, "path=data/temp/*"));
    assert!(has_scope(&g, "--recursive=true"));
    assert!(has_scope(&g, "--force=true"));
}

#[test]
fn redirections_are_file_capabilities() {
    let g = grants(&bash("echo a > out.txt\necho b >> log.txt\nwc -l < in.txt\necho c > /dev/null 2>&1"));
    let caps: Vec<(&str, &str)> = g.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
    assert_eq!(caps, [("fs.write", "destructive"), ("fs.append", "write"), ("fs.read", "read")]);
}

#[test]
fn cp_reads_source_and_writes_destination() {
    let g = grants(&bash("cp -r data data.bak"));
    assert_eq!(g[0].0, "fs.read");
    assert_eq!(g[1].0, "fs.write");
    assert!(has_scope(&g[1], "path=data.bak"));
}

#[test]
fn cd_moves_relative_paths() {
    let g = grants(&bash("cd artifacts\necho x > status.txt"));
    assert!(has_scope(&g[0], "path=artifacts/status.txt"), "{g:?}");
}

#[test]
fn tail_follow_is_bounded() {
    assert!(kinds(&bash("tail -f app.log")).contains(&Kind::Unbounded));
}

// ---- pure text filters --------------------------------------------------------------------

#[test]
fn filters_on_a_pipe_need_nothing() {
    let c = bash("docker ps | grep -i web | wc -l");
    let g = grants(&c);
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(g[0].0, "docker.container.list");
}

#[test]
fn filters_with_file_operands_read_them() {
    assert_eq!(
        only_grant("grep -A 5 auto_stop fly.toml"),
        ("fs.read".into(), "read".into(), vec!["path=fly.toml".into()])
    );
    assert_eq!(only_grant("jq -r '.[].id' machines.json").2, vec!["path=machines.json".to_string()]);
}

#[test]
fn sed_in_place_is_an_error() {
    error_of("sed -i 's/a/b/' config.yaml", Kind::Unsupported);
}

// ---- builtins -----------------------------------------------------------------------------

#[test]
fn sleep_alone_is_a_wait_node() {
    let c = bash("sleep 5m");
    assert!(grants(&c).is_empty());
    assert!(matches!(c.graph.nodes[0].kind, NodeKind::Wait { seconds: Some(300), .. }));
}

#[test]
fn file_tests_need_stat() {
    assert_eq!(only_grant("[ -f /etc/app.conf ] && echo ok").0, "fs.stat");
}

#[test]
fn source_and_eval_are_errors() {
    error_of("source ./env.sh", Kind::Unsupported);
    error_of("eval \"$CMD\"", Kind::Unsupported);
}

// ---- processes ----------------------------------------------------------------------------

#[test]
fn systemctl_status_reads_and_restart_writes() {
    assert_eq!(only_grant("systemctl status docker").1, "read");
    let g = only_grant("systemctl restart docker");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("systemd.unit.restart", "write"));
    assert!(has_scope(&g, "unit=docker"));
    assert!(has_scope(&g, "program=systemctl"));
    assert!(has_scope(&g, "argv=restart docker"));
}

#[test]
fn sudo_is_privileged() {
    let c = bash("sudo systemctl restart docker");
    assert!(c.manifest.grants[0].privileged);
    assert!(kinds(&c).contains(&Kind::Privileged));
    assert!(has_scope(&grants(&c)[0], "program=systemctl"));
}

#[test]
fn unknown_programs_are_exec() {
    let c = bash("python scripts/restore.py backups/latest.tar.gz --verify");
    assert_eq!(grants(&c)[0].1, "exec");
    assert!(kinds(&c).contains(&Kind::ArbitraryExec));
    assert_eq!(only_grant("nvidia-smi --gpu-reset").1, "write");
    assert_eq!(only_grant("nvidia-smi").1, "read");
}

#[test]
fn interactive_programs_become_manual_steps() {
    for cmd in ["top", "watch -n 2 'free -h'", "psql -h db -U postgres", "wscat -c ws://localhost:1"] {
        let c = bash(cmd);
        assert!(kinds(&c).contains(&Kind::Interactive), "{cmd}");
        assert!(matches!(c.graph.nodes[0].kind, NodeKind::Manual { .. }), "{cmd}");
    }
    assert_eq!(only_grant("top -b -n 1").1, "read");
    let g = only_grant("psql -h db -c 'select 1'");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("db.postgres.query", "read"));
    assert!(has_scope(&g, "command='select 1'"), "{g:?}");
}

#[test]
fn computed_program_and_xargs_are_errors() {
    error_of("$TOOL --version", Kind::DynamicCommand);
    error_of("ls | xargs -0 rm", Kind::Unsupported);
    error_of("xargs rm < list.txt", Kind::Unsupported);
}

#[test]
fn env_prefix_is_shown_on_the_process_grant() {
    let g = only_grant("LOG=debug node check.mjs");
    assert!(has_scope(&g, "env.LOG=debug"), "{g:?}");
}

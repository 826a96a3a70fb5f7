//! Typed families: a command line in, the family's capability, effect and target scope out.

mod common;

use common::{bash, error_of, grants, has_scope, only_grant};
use playbook_compiler::Kind;

#[test]
fn systemctl_verbs_are_capabilities_with_the_unit_in_scope() {
    let g = only_grant("systemctl status nginx");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("systemd.unit.status", "read"));
    assert!(has_scope(&g, "unit=nginx") && has_scope(&g, "argv=status nginx"), "{g:?}");
    assert_eq!(only_grant("sudo systemctl restart nginx").0, "systemd.unit.restart");
    let g = only_grant("systemctl stop nginx");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("systemd.unit.stop", "destructive"));
    let g = only_grant("journalctl -u kubelet --since '1 hour ago' --no-pager");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("systemd.journal.read", "read"));
    assert!(has_scope(&g, "unit=kubelet"));
    assert_eq!(only_grant("journalctl --vacuum-size=500M").1, "destructive");
}

#[test]
fn a_unit_from_an_input_is_a_hole_and_a_verb_from_one_is_refused() {
    let g = only_grant("systemctl restart <service>");
    assert!(has_scope(&g, "unit={input.service}"), "{g:?}");
    error_of("systemctl $ACTION nginx", Kind::DynamicCommand);
    error_of("helm $VERB web", Kind::DynamicCommand);
}

#[test]
fn sql_statements_give_the_effect() {
    let g = only_grant("psql -h db.internal -U app -d orders -c 'SELECT count(*) FROM orders'");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("db.postgres.query", "read"));
    for kv in ["host=db.internal", "user=app", "database=orders", "command='SELECT count(*) FROM orders'"] {
        assert!(has_scope(&g, kv), "{kv}: {g:?}");
    }
    assert_eq!(only_grant("psql -c 'DROP TABLE sessions'").1, "destructive");
    assert_eq!(only_grant("psql -c 'VACUUM ANALYZE orders'").1, "write");
    assert_eq!(only_grant("psql -c \"DELETE FROM jobs WHERE id = $ID\"").1, "destructive");
    assert_eq!(only_grant("psql -c \"SELECT * FROM jobs WHERE id = $ID\"").1, "destructive", "a hole is conservative");
    assert_eq!(only_grant("psql -f migrate.sql").1, "destructive");
    assert_eq!(only_grant("redis-cli -h cache INFO memory").1, "read");
    assert_eq!(only_grant("redis-cli -h cache FLUSHDB").1, "destructive");
    assert_eq!(only_grant("mysql -e 'SHOW PROCESSLIST'").1, "read");
    assert_eq!(only_grant("mongosh --quiet --eval 'db.serverStatus().connections'").1, "read");
}

#[test]
fn deployment_tools_say_what_they_change() {
    let g = only_grant("helm uninstall web -n prod");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("helm.release.uninstall", "destructive"));
    assert!(has_scope(&g, "release=web") && has_scope(&g, "namespace=prod") && has_scope(&g, "network=any"));
    assert_eq!(only_grant("helm list -n prod").0, "helm.release.list");
    let g = only_grant("terraform apply -auto-approve");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("terraform.stack.apply", "write"));
    assert!(has_scope(&g, "auto-approve=true"));
    assert_eq!(only_grant("terraform plan").1, "read");
    assert_eq!(only_grant("terraform destroy").1, "destructive");
    assert_eq!(only_grant("etcdctl endpoint health").0, "etcd.endpoint.health");
    assert_eq!(only_grant("argocd app sync web").0, "argocd.app.sync");
    assert_eq!(only_grant("flux reconcile kustomization apps -n flux-system").0, "flux.kustomization.reconcile");
}

#[test]
fn cloud_calls_record_where_they_go() {
    let g = only_grant("aws --profile prod --region eu-west-1 ec2 describe-instances");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("aws.api.describe", "read"));
    for kv in ["service=ec2", "operation=describe-instances", "profile=prod", "region=eu-west-1"] {
        assert!(has_scope(&g, kv), "{kv}: {g:?}");
    }
    assert_eq!(only_grant("aws s3 rm s3://bucket/key").1, "destructive");
    assert_eq!(only_grant("gcloud compute instances list --project p").0, "gcloud.api.list");
    assert!(has_scope(&only_grant("az vm list --subscription s"), "subscription=s"));
}

#[test]
fn network_checks_name_the_host() {
    let g = only_grant("dig +short api.example.com");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("net.dns.query", "read"));
    assert!(has_scope(&g, "host=api.example.com"));
    assert!(has_scope(&only_grant("nc -zv db 5432"), "port=5432"));
    assert!(has_scope(&only_grant("openssl s_client -connect api:443 </dev/null"), "host=api"));
}

#[test]
fn untyped_forms_stay_process_exec() {
    let g = only_grant("helm plugin install https://example.com/p");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("process.exec", "exec"));
    assert_eq!(only_grant("systemctl frobnicate x").1, "destructive");
}

#[test]
fn xargs_runs_the_typed_command_once_per_item() {
    let c = bash("cat stuck.txt | xargs -r -n 1 kubectl delete pod -n jobs");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let g = grants(&c);
    assert!(g.iter().any(|g| g.0 == "kube.pods.delete" && g.1 == "destructive"), "{g:#?}");
    let c = bash("cat units.txt | xargs -I {} systemctl restart {}");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let g = grants(&c);
    let r = g.iter().find(|g| g.0 == "systemd.unit.restart").unwrap_or_else(|| panic!("{g:#?}"));
    assert!(has_scope(r, "unit={var.xargs_item}"), "{r:?}");
    let c = bash("docker ps -q | xargs docker restart");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(grants(&c).iter().any(|g| g.0 == "docker.container.restart"), "{:#?}", grants(&c));
    error_of("ls | xargs -P 4 rm", Kind::Unsupported);
    error_of("xargs rm < list.txt", Kind::Unsupported);
}

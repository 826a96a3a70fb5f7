use super::*;
use crate::effect::Effect::{Destructive, Exec, Read, Write};

fn words(line: &str) -> Vec<String> {
    line.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// `(capability, effect)` of a command line, or `untyped`.
fn of(line: &str) -> (String, Effect) {
    let w = words(line);
    match classify(&w[0], &w[1..]) {
        Some(Family::Typed(t)) => (t.capability, t.effect),
        Some(Family::Untyped(e)) => ("untyped".into(), e),
        Some(Family::Hole(_)) => ("hole".into(), Exec),
        None => ("none".into(), Exec),
    }
}

fn scope(line: &str, key: &str) -> Option<String> {
    let w = words(line);
    match classify(&w[0], &w[1..]) {
        Some(Family::Typed(t)) => t.scope.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
        _ => None,
    }
}

fn is(line: &str, capability: &str, effect: Effect) {
    assert_eq!(of(line), (capability.to_string(), effect), "{line}");
}

#[test]
fn systemd_verbs_have_their_effects() {
    is("systemctl status nginx", "systemd.unit.status", Read);
    is("systemctl --no-pager list-units --failed", "systemd.manager.list-units", Read);
    is("systemctl", "systemd.manager.list-units", Read);
    is("systemctl restart nginx", "systemd.unit.restart", Write);
    is("systemctl daemon-reload", "systemd.manager.daemon-reload", Write);
    is("systemctl stop nginx", "systemd.unit.stop", Destructive);
    is("systemctl mask nginx", "systemd.unit.mask", Destructive);
    is("systemctl reboot", "systemd.system.reboot", Destructive);
    is("systemctl frobnicate x", "untyped", Destructive);
    is("systemctl {var.verb} nginx", "hole", Exec);
    assert_eq!(scope("systemctl restart nginx php-fpm", "unit").as_deref(), Some("nginx php-fpm"));
    assert_eq!(scope("systemctl -H web1 restart nginx", "host").as_deref(), Some("web1"));
    assert_eq!(scope("systemctl --user restart app", "manager").as_deref(), Some("user"));
    is("service nginx reload", "systemd.unit.reload", Write);
    assert_eq!(scope("service nginx reload", "unit").as_deref(), Some("nginx"));
    is("service nginx {var.a}", "hole", Exec);
    is("journalctl -u docker -n 50 --no-pager", "systemd.journal.read", Read);
    assert_eq!(scope("journalctl -u docker -u kubelet", "unit").as_deref(), Some("docker kubelet"));
    is("journalctl --vacuum-time=2d", "systemd.journal.vacuum", Destructive);
    is("journalctl --flush", "systemd.journal.maintain", Write);
}

#[test]
fn database_statements_are_classified() {
    let psql = |cmd: &str| {
        let mut w = words("psql -h db -U app -d orders -c");
        w.push(cmd.to_string());
        match classify("psql", &w[1..]) {
            Some(Family::Typed(t)) => t,
            other => panic!("{other:?}"),
        }
    };
    let t = psql("SELECT count(*) FROM t");
    assert_eq!((t.capability.as_str(), t.effect), ("db.postgres.query", Read));
    assert!(t.scope.contains(&("host".into(), "db".into())) && t.scope.contains(&("database".into(), "orders".into())));
    assert!(t.scope.contains(&("command".into(), "'SELECT count(*) FROM t'".into())), "{t:?}");
    assert_eq!(psql("DROP TABLE x").effect, Destructive);
    assert_eq!(psql("DELETE FROM t WHERE id={var.id}").effect, Destructive);
    assert_eq!(psql("SELECT * FROM t WHERE id={var.id}").effect, Destructive, "a hole is judged at run time");
    is("psql -f migrate.sql", "db.postgres.query", Destructive);
    is("psql", "untyped", Destructive);
    assert_eq!(scope("psql postgresql://app@db:5433/orders -c x", "port").as_deref(), Some("5433"));
    is("redis-cli -h cache INFO memory", "db.redis.command", Read);
    is("redis-cli FLUSHALL", "db.redis.command", Destructive);
    is("redis-cli --scan --pattern sess:*", "db.redis.command", Read);
    assert_eq!(scope("redis-cli -h cache -n 2 GET k", "database").as_deref(), Some("2"));
    is("mysql -h db -e SHOW", "db.mysql.query", Read);
    is("mongosh --quiet --eval db.stats()", "db.mongo.eval", Read);
    is("mongosh script.js", "db.mongo.eval", Exec);
}

#[test]
fn deployment_tools_are_typed_by_subcommand() {
    is("helm list -A", "helm.release.list", Read);
    is("helm -n prod status web", "helm.release.status", Read);
    is("helm get values web -n prod", "helm.release.get", Read);
    is("helm upgrade --install web bitnami/nginx -n prod -f values.yaml", "helm.release.upgrade", Write);
    assert_eq!(scope("helm upgrade --install web bitnami/nginx -n prod", "release").as_deref(), Some("web"));
    assert_eq!(scope("helm upgrade --install web bitnami/nginx -n prod", "chart").as_deref(), Some("bitnami/nginx"));
    assert_eq!(scope("helm upgrade --install web bitnami/nginx -n prod", "namespace").as_deref(), Some("prod"));
    is("helm uninstall web -n prod", "helm.release.uninstall", Destructive);
    is("helm repo add bitnami https://charts.bitnami.com/bitnami", "helm.repo.add", Write);
    is("helm install web chart --post-renderer ./kustomize.sh", "helm.release.install", Exec);
    is("helm diff upgrade web chart", "untyped", Exec);
    is("helm {var.v} web", "hole", Exec);
    is("helm --frob list", "untyped", Exec);
    is("etcdctl get /registry --prefix --keys-only", "etcd.key.get", Read);
    assert_eq!(scope("etcdctl get /registry --prefix", "range").as_deref(), Some("prefix"));
    is("etcdctl endpoint health --cluster", "etcd.endpoint.health", Read);
    is("etcdctl del /a", "etcd.key.del", Destructive);
    is("etcdctl snapshot save /backup/s.db", "etcd.snapshot.save", Write);
    is("etcdctl member remove 8e9e05c52164694d", "etcd.member.remove", Destructive);
    is("terraform plan", "terraform.stack.plan", Read);
    is("terraform -chdir=infra apply -auto-approve", "terraform.stack.apply", Write);
    assert_eq!(scope("terraform -chdir=infra apply -auto-approve", "auto-approve").as_deref(), Some("true"));
    assert_eq!(scope("terraform -chdir=infra apply -auto-approve", "dir").as_deref(), Some("infra"));
    is("terraform apply -destroy", "terraform.stack.destroy", Destructive);
    is("terraform destroy -target=aws_instance.web", "terraform.stack.destroy", Destructive);
    is("terraform state rm aws_instance.web", "terraform.state.rm", Destructive);
    is("terraform state list", "terraform.state.list", Read);
    is("terraform console", "untyped", Exec);
    is("argocd app get web", "argocd.app.get", Read);
    is("argocd app sync web --prune", "argocd.app.sync", Write);
    is("argocd app delete web -y", "argocd.app.delete", Destructive);
    is("flux get kustomizations -A", "flux.kustomization.get", Read);
    is("flux reconcile ks apps --with-source", "flux.kustomization.reconcile", Write);
    is("flux reconcile source git flux-system", "flux.source.reconcile", Write);
    assert_eq!(scope("flux reconcile source git flux-system", "name").as_deref(), Some("flux-system"));
    is("flux check", "flux.cluster.check", Read);
    is("flux uninstall", "flux.cluster.uninstall", Destructive);
}

#[test]
fn cloud_operations_are_typed_by_their_verb() {
    is("aws ec2 describe-instances --region eu-west-1", "aws.api.describe", Read);
    assert_eq!(scope("aws --profile prod ec2 describe-instances", "profile").as_deref(), Some("prod"));
    assert_eq!(scope("aws ec2 describe-instances --region eu-west-1", "service").as_deref(), Some("ec2"));
    is("aws ec2 terminate-instances --instance-ids i-1", "aws.api.terminate", Destructive);
    is("aws s3 ls s3://bucket/", "aws.api.ls", Read);
    is("aws s3 cp a s3://b/a", "aws.api.cp", Write);
    is("aws s3 sync . s3://b --delete", "aws.api.sync", Destructive);
    is("aws s3 rm s3://b/a", "aws.api.rm", Destructive);
    is("aws ssm send-command --document-name x", "aws.api.execute", Exec);
    is("aws {var.s} describe-instances", "hole", Exec);
    is("gcloud compute instances list --project p1", "gcloud.api.list", Read);
    assert_eq!(scope("gcloud compute instances list --project p1", "project").as_deref(), Some("p1"));
    is("gcloud compute instances delete vm1 --zone z", "gcloud.api.delete", Destructive);
    is("gcloud container clusters get-credentials c1", "gcloud.api.update", Write);
    is("az vm list -g rg", "az.api.list", Read);
    is("az group delete -n rg --yes", "az.api.delete", Destructive);
    assert_eq!(scope("az vm list --subscription s1", "subscription").as_deref(), Some("s1"));
    is("az vm run-command invoke -g rg -n vm", "az.api.execute", Exec);
}

#[test]
fn network_checks_name_their_host() {
    is("dig +short example.com A", "net.dns.query", Read);
    assert_eq!(scope("dig +short example.com A @1.1.1.1", "host").as_deref(), Some("example.com"));
    assert_eq!(scope("dig +short example.com A @1.1.1.1", "server").as_deref(), Some("1.1.1.1"));
    is("host api.internal", "net.dns.query", Read);
    is("ping -c 3 db", "net.icmp.ping", Read);
    is("nc -zv db 5432", "net.tcp.probe", Read);
    is("nc db 5432", "untyped", Read);
    is("openssl s_client -connect api:443 -servername api", "net.tls.connect", Read);
    assert_eq!(scope("openssl s_client -connect api:443", "port").as_deref(), Some("443"));
    is("psql --version", "db.postgres.version", Read);
}

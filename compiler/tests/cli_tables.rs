//! The option tables of kubectl/oc, docker/compose and curl/wget: each form runbooks use, its
//! capability, effect and scope; untyped options kept literal with a warning; options that change
//! the target or the trust refused.

mod common;

use common::{bash, error_of, grants, has_scope, only_grant};
use playbook_compiler::Kind;

fn warnings(cmds: &str) -> Vec<String> {
    bash(cmds)
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::UnknownOption && d.severity == playbook_compiler::diagnostic::Severity::Warning)
        .map(|d| d.message.clone())
        .collect()
}

// ---- kubectl / oc ---------------------------------------------------------------------------

#[test]
fn kubectl_global_options_before_or_after_the_verb() {
    for cmd in [
        "kubectl -n shop get pods",
        "kubectl get pods -n shop",
        "kubectl --namespace=shop get pods",
        "kubectl --request-timeout=10s -n shop get pods",
        "kubectl -v=6 get pods -n shop",
    ] {
        let g = only_grant(cmd);
        assert_eq!((g.0.as_str(), g.1.as_str()), ("kube.pods.get", "read"), "{cmd}");
        assert!(has_scope(&g, "namespace=shop"), "{cmd}: {g:?}");
    }
    assert!(has_scope(&only_grant("kubectl --request-timeout=10s get pods"), "--request-timeout=10s"));
    assert!(has_scope(&only_grant("kubectl -v=6 get pods"), "--v=6"));
    assert!(has_scope(&only_grant("kubectl --namespace=shop logs web-1 --tail=20"), "name=web-1"));
}

#[test]
fn kubectl_options_that_change_the_cluster_or_trust_are_refused_with_a_reason() {
    for (cmd, why) in [
        ("kubectl --kubeconfig=/tmp/k get pods", "another kubeconfig"),
        ("kubectl get pods --server https://x:6443", "another API server"),
        ("kubectl -s https://x:6443 get pods", "another API server"),
        ("kubectl --token=abc get pods", "bearer token"),
        ("kubectl --context prod get pods", "another context"),
        ("kubectl --cluster=c get pods", "another cluster"),
        ("kubectl --user=u get pods", "another identity"),
        ("kubectl --as=admin delete pod x", "impersonates"),
        ("kubectl --as-group=system:masters get pods", "impersonates"),
        ("kubectl --certificate-authority=/ca get pods", "certificate authority"),
        ("kubectl --insecure-skip-tls-verify get pods", "certificate"),
        ("kubectl logs web --insecure-skip-tls-verify-backend", "kubelet"),
        ("kubectl config view --raw", "credentials"),
        ("kubectl cluster-info dump --output-directory=/tmp/d", "writes files"),
    ] {
        let m = error_of(cmd, Kind::UnknownOption);
        assert!(m.contains(why), "{cmd}: {m}");
    }
}

#[test]
fn kubectl_read_verbs() {
    for (cmd, cap) in [
        ("kubectl describe deploy web -n shop", "kube.deployments.describe"),
        ("kubectl top pod -n shop --containers", "kube.pods.top"),
        ("kubectl top nodes", "kube.nodes.top"),
        ("kubectl events -n shop --for pod/web-1", "kube.events.list"),
        ("kubectl explain pods.spec.containers", "kube.schema.explain"),
        ("kubectl api-resources --namespaced=true", "kube.cluster.api-resources"),
        ("kubectl api-versions", "kube.cluster.api-versions"),
        ("kubectl auth can-i delete pods -n shop", "kube.access.auth-can-i"),
        ("kubectl version -o json", "kube.cluster.version"),
        ("kubectl cluster-info", "kube.cluster.cluster-info"),
        ("kubectl cluster-info dump -n shop", "kube.cluster.cluster-info-dump"),
        ("kubectl config view --minify", "kube.config.config-view"),
        ("kubectl config get-contexts", "kube.config.config-get-contexts"),
        ("kubectl config current-context", "kube.config.config-current-context"),
        ("kubectl rollout history deployment/web", "kube.deployments.rollout-history"),
        ("kubectl wait --for=condition=Ready pod/web-1 --timeout=60s", "kube.pods.wait"),
        ("kubectl create configmap app --from-literal=a=b --dry-run=client -o yaml", "kube.configmaps.create"),
        ("kubectl apply -f deploy.yaml --dry-run=server", "kube.*.apply"),
        ("kubectl set env deployment/web --list", "kube.deployments.set-env"),
    ] {
        let g = only_grant(cmd);
        assert_eq!((g.0.as_str(), g.1.as_str()), (cap, "read"), "{cmd}");
    }
    let g = only_grant("kubectl auth can-i delete pods -n shop");
    assert!(has_scope(&g, "operands=delete pods"), "{g:?}");
}

#[test]
fn kubectl_write_and_destructive_verbs() {
    for (cmd, cap, effect) in [
        ("kubectl apply -k overlays/prod", "kube.*.apply", "write"),
        ("kubectl create job manual-1 --from=cronjob/nightly -n shop", "kube.jobs.create", "write"),
        ("kubectl create secret generic db --from-literal=a=b", "kube.secrets.create", "write"),
        ("kubectl create namespace shop", "kube.namespaces.create", "write"),
        ("kubectl replace -f web.yaml", "kube.*.replace", "write"),
        ("kubectl replace --force -f web.yaml", "kube.*.replace", "destructive"),
        ("kubectl label pods web-1 tier=db --overwrite", "kube.pods.label", "write"),
        ("kubectl annotate deploy web note=x", "kube.deployments.annotate", "write"),
        ("kubectl rollout pause deployment/web", "kube.deployments.rollout-pause", "write"),
        ("kubectl rollout undo deployment/web --to-revision=2", "kube.deployments.rollout-undo", "write"),
        ("kubectl set image deployment/web web=nginx:1.27", "kube.deployments.set-image", "write"),
        ("kubectl set resources deployment/web -c web --limits=cpu=500m", "kube.deployments.set-resources", "write"),
        ("kubectl set env deployment/web LOG=debug", "kube.deployments.set-env", "write"),
        ("kubectl cordon node-1", "kube.nodes.cordon", "write"),
        ("kubectl uncordon node-1", "kube.nodes.uncordon", "write"),
        ("kubectl taint nodes node-1 dedicated=db:NoSchedule", "kube.nodes.taint", "write"),
        (
            "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data --force --grace-period=30 --timeout=5m",
            "kube.nodes.drain",
            "destructive",
        ),
        (
            "kubectl drain node-1 --delete-local-data --pod-selector=app=web --disable-eviction",
            "kube.nodes.drain",
            "destructive",
        ),
        ("kubectl delete pod web-1 -n shop --grace-period=0 --force", "kube.pods.delete", "destructive"),
        ("kubectl exec web-1 -c app -- cat /etc/hosts", "kube.pods.exec", "exec"),
        ("kubectl debug web-1 --image=busybox --target=app", "kube.pods.debug", "exec"),
        ("kubectl cp ./dump.sql db-0:/tmp/dump.sql", "kube.pods.cp", "write"),
        ("kubectl cp db-0:/tmp/dump.sql ./dump.sql", "kube.pods.cp", "read"),
    ] {
        let g = only_grant(cmd);
        assert_eq!((g.0.as_str(), g.1.as_str()), (cap, effect), "{cmd}");
    }
    let g = only_grant("kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data");
    assert!(has_scope(&g, "name=node-1") && has_scope(&g, "--ignore-daemonsets=true"), "{g:?}");
    let g = only_grant("kubectl taint nodes node-1 dedicated=db:NoSchedule");
    assert!(has_scope(&g, "taints=dedicated=db:NoSchedule"), "{g:?}");
}

#[test]
fn kubectl_interactive_forms_are_manual_and_watches_bounded() {
    for cmd in
        ["kubectl debug -it web-1 --image=busybox -- sh", "kubectl exec -it web-1 -- sh", "kubectl delete pod x -i"]
    {
        let c = bash(cmd);
        assert!(!c.has_errors(), "{cmd}: {:#?}", c.diagnostics);
        assert!(c.diagnostics.iter().any(|d| d.kind == Kind::Interactive), "{cmd}");
    }
    assert!(
        bash("kubectl rollout status deploy/web --watch=false").diagnostics.iter().all(|d| d.kind != Kind::Unbounded)
    );
    assert!(bash("kubectl get pods --watch").diagnostics.iter().any(|d| d.kind == Kind::Unbounded));
}

#[test]
fn oc_is_kubectl_with_openshift_verbs() {
    let g = only_grant("oc get pods -n shop");
    assert_eq!(g.0, "kube.pods.get");
    assert!(has_scope(&g, "client=oc"));
    let g = only_grant("oc adm top pods -n shop");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("kube.pods.top", "read"));
    assert_eq!(only_grant("oc project").1, "read");
    let m = error_of("oc project shop", Kind::MissingArgument);
    assert!(m.contains("switches the current project"), "{m}");
    assert!(bash("kubectl project").has_errors(), "`project` is OpenShift's");
}

#[test]
fn an_untyped_kubectl_option_keeps_the_command_literal_with_a_warning() {
    let c = bash("kubectl get pods -n shop --chunk-size=50 --bogus-flag");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let g = grants(&c);
    assert_eq!((g[0].0.as_str(), g[0].1.as_str()), ("kube.pods.get", "read"));
    assert!(g[0].2.contains(&"argv=get pods -n shop --chunk-size=50 --bogus-flag".to_string()), "{g:?}");
    let w = warnings("kubectl get pods -n shop --bogus-flag");
    assert_eq!(w, ["`--bogus-flag` is not typed: the command runs with its literal arguments"]);
    // The verb keeps its effect.
    assert_eq!(only_grant("kubectl delete pod web-1 --bogus").1, "destructive");
    // A run-time value cannot be typed that way.
    let m = error_of("kubectl get pods -n \"$NS\" --bogus", Kind::UnknownOption);
    assert!(m.contains("not typed"), "{m}");
    // Nor can a refused option hide among untyped ones.
    assert!(bash("kubectl get pods --bogus --token=x").has_errors());
}

// ---- docker / compose ------------------------------------------------------------------------

#[test]
fn docker_global_options_that_change_the_engine_are_refused_with_a_reason() {
    for (cmd, why) in [
        ("docker -H tcp://evil:2375 ps", "another Docker engine"),
        ("docker --host=unix:///x ps", "another Docker engine"),
        ("docker --context prod ps", "another Docker context"),
        ("docker --config /tmp/c ps", "another client configuration"),
        ("docker --tlsverify ps", "trusted"),
    ] {
        let m = error_of(cmd, Kind::UnknownOption);
        assert!(m.contains(why), "{cmd}: {m}");
    }
}

#[test]
fn docker_images_volumes_networks_and_system() {
    for (cmd, cap, effect) in [
        ("docker system df", "docker.system.df", "read"),
        ("docker system prune -af --volumes", "docker.system.prune", "destructive"),
        ("docker image ls --format '{{.Repository}}'", "docker.image.list", "read"),
        ("docker image inspect nginx:1 -f '{{.Id}}'", "docker.image.inspect", "read"),
        ("docker image rm nginx:1", "docker.image.rm", "destructive"),
        ("docker rmi -f nginx:1", "docker.image.rm", "destructive"),
        ("docker image prune -a -f", "docker.image.prune", "destructive"),
        ("docker volume ls -q", "docker.volume.list", "read"),
        ("docker volume inspect data", "docker.volume.inspect", "read"),
        ("docker volume create data", "docker.volume.create", "write"),
        ("docker volume rm data", "docker.volume.rm", "destructive"),
        ("docker volume prune -f", "docker.volume.prune", "destructive"),
        ("docker container prune -f --filter until=24h", "docker.container.prune", "destructive"),
        ("docker builder prune -af --keep-storage 10GB", "docker.builder.prune", "destructive"),
        ("docker network create --driver bridge backend", "docker.network.create", "write"),
        ("docker network connect backend web", "docker.network.connect", "write"),
        ("docker network disconnect -f backend web", "docker.network.disconnect", "write"),
        ("docker network rm backend", "docker.network.rm", "destructive"),
        ("docker stats --no-stream web", "docker.container.stats", "read"),
        ("docker inspect -f '{{.State.Status}}' web", "docker.container.inspect", "read"),
        ("docker ps -a -q --filter status=exited --format '{{.Names}}'", "docker.container.list", "read"),
        ("docker logs --since 10m --tail 50 -t web", "docker.container.logs", "read"),
    ] {
        let g = only_grant(cmd);
        assert_eq!((g.0.as_str(), g.1.as_str()), (cap, effect), "{cmd}");
    }
    let g = only_grant("docker network connect backend web");
    assert!(has_scope(&g, "network=backend") && has_scope(&g, "container=web"), "{g:?}");
}

#[test]
fn compose_global_options_and_subcommands() {
    let g = only_grant("docker compose -f prod.yml -p shop --env-file prod.env --profile debug ps");
    assert_eq!(g.0, "docker.compose.ps");
    for kv in ["file=prod.yml", "project=shop", "--env-file=prod.env", "--profile=debug"] {
        assert!(has_scope(&g, kv), "{kv}: {g:?}");
    }
    for (cmd, cap, effect) in [
        ("docker compose create web", "docker.compose.create", "write"),
        ("docker compose build --no-cache web", "docker.compose.build", "write"),
        ("docker compose images", "docker.compose.images", "read"),
        ("docker compose kill -s SIGTERM web", "docker.compose.kill", "write"),
        ("docker compose rm -f -s web", "docker.compose.rm", "destructive"),
        ("docker-compose --project-directory ./app logs --tail 20 web", "docker.compose.logs", "read"),
    ] {
        let g = only_grant(cmd);
        assert_eq!((g.0.as_str(), g.1.as_str()), (cap, effect), "{cmd}");
    }
}

#[test]
fn an_untyped_docker_option_keeps_the_command_literal_with_a_warning() {
    let c = bash("docker logs --bogus web");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let g = grants(&c);
    assert_eq!((g[0].0.as_str(), g[0].1.as_str()), ("docker.container.logs", "read"));
    assert!(has_scope(&g[0], "argv=logs --bogus web"), "{g:?}");
    assert_eq!(
        warnings("docker logs --bogus web"),
        ["`--bogus` is not typed: the command runs with its literal arguments"]
    );
    let g = only_grant("docker-compose --env-file a.env up -d --bogus");
    assert!(has_scope(&g, "argv=compose --env-file a.env up -d --bogus"), "{g:?}");
    assert!(bash("docker logs --bogus \"$C\"").has_errors());
}

// ---- curl / wget -----------------------------------------------------------------------------

#[test]
fn curl_globoff_is_what_the_host_does_and_target_changes_are_refused() {
    let g = only_grant("curl -g -sS --connect-timeout 5 -m 10 --retry 3 http://localhost:8080/a[1]");
    assert!(has_scope(&g, "--globoff=true"), "{g:?}");
    for cmd in [
        "curl --resolve api:443:10.0.0.1 https://api/health",
        "curl --connect-to api:443:evil:443 https://api/",
        "curl -x http://proxy:3128 http://api/",
    ] {
        let m = error_of(cmd, Kind::UnknownOption);
        assert!(m.contains("sends the request"), "{cmd}: {m}");
    }
}

#[test]
fn curl_tls_retry_header_and_query_options_are_typed() {
    let c = bash("curl -sS --cacert /etc/pki/ca.crt -E client.pem --key client.key https://etcd:2379/health");
    let g = grants(&c);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(has_scope(&g[0], "--cacert=/etc/pki/ca.crt") && has_scope(&g[0], "--cert=client.pem"), "{g:?}");
    let reads: Vec<&str> = g.iter().filter(|g| g.0 == "fs.read").flat_map(|g| g.2.iter().map(String::as_str)).collect();
    assert_eq!(reads, ["path=/etc/pki/ca.crt", "path=client.pem", "path=client.key"], "{g:?}");
    let g = only_grant(
        "curl -s --retry 5 --retry-connrefused --retry-all-errors --retry-max-time 60 --http1.1 http://a:8080/",
    );
    for kv in ["--retry=5", "--retry-connrefused=true", "--retry-all-errors=true", "--retry-max-time=60"] {
        assert!(has_scope(&g, kv), "{kv}: {g:?}");
    }
    // -G with --data-urlencode is a read; the data is in the scope.
    let g = only_grant("curl -sG http://prom:9090/api/v1/query --data-urlencode 'query=up == 0'");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("http.request", "read"), "{g:?}");
    assert!(has_scope(&g, "method=GET") && has_scope(&g, "--data-urlencode='query=up == 0'"), "{g:?}");
    // Without -G the same data is a POST.
    let g = only_grant("curl -s --data-urlencode 'a=b' http://a/x");
    assert!(has_scope(&g, "method=POST"), "{g:?}");
    // -D FILE and -O write files the manifest names.
    let g = grants(&bash("curl -s -D headers.txt -O https://dl.example.com/v1/tool.tar.gz"));
    let writes: Vec<&str> =
        g.iter().filter(|g| g.0 == "fs.write").flat_map(|g| g.2.iter().map(String::as_str)).collect();
    assert_eq!(writes, ["path=tool.tar.gz", "path=headers.txt"], "{g:?}");
    assert_eq!(grants(&bash("curl -s -D - -o /dev/null https://a/")).len(), 1);
}

#[test]
fn curl_and_wget_forms_that_would_run_differently_are_refused() {
    for (cmd, says) in [
        ("curl -sO https://dl.example.com/", "ends in a file name"),
        ("curl -s --data-urlencode @query.txt http://a/", "reading a file"),
        ("curl -s --data-urlencode name@query.txt http://a/", "reading a file"),
        ("curl -s --data-urlencode 'a=1' -d 'b=2' http://a/", "after `--data-urlencode`"),
        ("curl -sv http://a/", "is not carried out"),
        ("curl -s --http2 https://a/", "is not carried out"),
        ("wget http://a/file.tar.gz", "saves the response to a file"),
        ("wget -q http://a/file.tar.gz", "saves the response to a file"),
        ("wget -O- http://a/", "progress"),
        ("wget -S -qO- http://a/", "-S"),
    ] {
        let c = bash(cmd);
        assert!(c.has_errors(), "`{cmd}` should not compile");
        let all: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(all.iter().any(|m| m.contains(says)), "`{cmd}`: {all:?}");
    }
    let c = bash("wget -qO- --ca-certificate=ca.pem --tries=3 --retry-connrefused -T 5 https://a:8443/healthz");
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let g = grants(&c);
    assert!(has_scope(&g[0], "--ca-certificate=ca.pem") && has_scope(&g[0], "--tries=3"), "{g:?}");
    assert_eq!((g[1].0.as_str(), g[1].2.as_slice()), ("fs.read", ["path=ca.pem".to_string()].as_slice()), "{g:?}");
}

#[test]
fn docker_cp_names_the_container_its_path_and_the_local_side() {
    let g = only_grant("docker cp -a web:/etc/nginx/nginx.conf ./nginx.conf");
    assert_eq!((g.0.as_str(), g.1.as_str()), ("docker.container.cp", "write"), "{g:?}");
    for kv in ["container=web", "path=/etc/nginx/nginx.conf", "to-local=./nginx.conf", "--archive=true"] {
        assert!(has_scope(&g, kv), "{kv}: {g:?}");
    }
    let g = only_grant("docker container cp backup.sql <db container>:/tmp/backup.sql");
    assert!(has_scope(&g, "from-local=backup.sql") && has_scope(&g, "path=/tmp/backup.sql"), "{g:?}");
    // A local path that starts with `/` or `.` is local even with a colon in it, as Docker reads it.
    let g = only_grant("docker cp web:/data ./a:b");
    assert!(has_scope(&g, "to-local=./a:b"), "{g:?}");
    for (cmd, says) in [
        ("docker cp a.txt b.txt", "between a container and a local path"),
        ("docker cp web:/a db:/b", "between a container and a local path"),
        ("docker cp web:/var/log -", "tar stream"),
        ("docker cp web:/x", "takes two"),
    ] {
        let c = bash(cmd);
        assert!(c.has_errors(), "`{cmd}` should not compile");
        let all: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(all.iter().any(|m| m.contains(says)), "`{cmd}`: {all:?}");
    }
}

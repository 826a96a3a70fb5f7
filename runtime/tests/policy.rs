//! The host's check of typed requests against a compiled manifest and the operator's policy:
//! in-scope calls pass, everything else is denied with a reason, changes fail closed.

use playbook::policy::{self, Denial, Grant, Policy};
use playbook_compiler::{Source, compile};

/// The needs of run-time requests, built as the host builds them: from the typed request of the
/// capability vocabulary, with the strings the guest computed.
mod needs {
    use playbook_capability::docker::{DockerRequest, DockerVerb};
    use playbook_capability::fs::{FsOp, FsRequest, FsTool};
    use playbook_capability::http::{HttpRequest, HttpTool};
    use playbook_capability::kube::{KubeRequest, KubeVerb, table};
    use playbook_capability::options::Opt;
    use playbook_capability::process::ProcessRequest;
    use playbook_capability::{Need, Setting};

    /// `(key, value)` pairs as settings: an empty value is a flag when the table says so.
    fn settings(table: &[Opt], options: &[(String, String)]) -> Vec<Setting<String>> {
        options
            .iter()
            .map(|(k, v)| {
                let valued = table.iter().find(|o| o.key == k).is_none_or(|o| o.value);
                Setting { key: k.clone(), value: valued.then(|| v.clone()) }
            })
            .collect()
    }

    pub fn docker(
        verb: &str,
        targets: &[String],
        options: &[(String, String)],
        image: &str,
        command: &[String],
        file: &str,
        project: &str,
    ) -> Vec<Need> {
        let verb = DockerVerb::from_name(verb).unwrap();
        let mut d = DockerRequest::new(verb);
        d.targets = targets.to_vec();
        d.options = settings(verb.options(), options);
        d.image = (!image.is_empty()).then(|| image.to_string());
        d.command = command.to_vec();
        d.compose_file = (!file.is_empty()).then(|| file.to_string());
        d.project = (!project.is_empty()).then(|| project.to_string());
        d.needs()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn kube(
        verb: &str,
        resources: &[String],
        names: &[String],
        selector: &str,
        namespace: &str,
        all_namespaces: bool,
        options: &[(String, String)],
        operands: &[String],
    ) -> Vec<Need> {
        let verb = KubeVerb::from_name(verb).unwrap();
        let mut k = KubeRequest::new(verb);
        k.resources = resources.to_vec();
        k.names = names.to_vec();
        k.selector = (!selector.is_empty()).then(|| selector.to_string());
        k.namespace = (!namespace.is_empty()).then(|| namespace.to_string());
        k.all_namespaces = all_namespaces;
        k.options = settings(&table(verb), options);
        k.operands = operands.to_vec();
        k.needs()
    }

    pub fn http(
        tool: &str,
        method: &str,
        url: &str,
        headers: &[String],
        options: &[(String, String)],
    ) -> Option<Vec<Need>> {
        let tool = HttpTool::from_name(tool).unwrap();
        let h = HttpRequest {
            tool,
            method: method.to_string(),
            url: url.to_string(),
            headers: headers.to_vec(),
            body: None,
            options: settings(tool.table(), options),
        };
        h.needs(None).ok()
    }

    pub fn fs(
        op: &str,
        tool: &str,
        paths: &[String],
        dest: &str,
        options: &[(String, String)],
        cwd: Option<&str>,
    ) -> Option<Vec<Need>> {
        let op = FsOp::from_name(op)?;
        let tool = match tool {
            ">" => FsTool::RedirectOut,
            ">>" => FsTool::RedirectAppend,
            "<" => FsTool::RedirectIn,
            t => FsTool::from_name(t)?,
        };
        let mut f = FsRequest::new(op, tool, paths.to_vec());
        f.dest = (!dest.is_empty()).then(|| dest.to_string());
        f.options = settings(tool.options(), options);
        Some(f.needs(cwd))
    }

    pub fn process(program: &str, args: &[String]) -> Vec<Need> {
        ProcessRequest {
            program: program.to_string(),
            args: args.to_vec(),
            env: Vec::new(),
            privileged: false,
            background: false,
        }
        .needs()
    }
}

fn grants(md: &str) -> Vec<Grant> {
    let c = compile(Source::new("t.md", md));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    policy::grants_of(&c.manifest.document(&c.source)).unwrap()
}

fn bash(block: &str) -> Vec<Grant> {
    grants(&format!("# T\n\n## S\n\n```bash\n{block}\n```\n"))
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn allowed(gs: &[Grant], need: &playbook_capability::Need) -> Result<String, Denial> {
    policy::authorize(gs, &Policy::default(), 0, need, false).map(|g| g.id.clone())
}

#[test]
fn a_granted_container_is_allowed_and_another_is_denied() {
    let gs = bash("docker restart advanced-comfyui-workflows");
    let ok = needs::docker("container.restart", &s(&["advanced-comfyui-workflows"]), &[], "", &[], "", "");
    assert_eq!(allowed(&gs, &ok[0]), Ok("g1".to_string()));
    let other = needs::docker("container.restart", &s(&["database"]), &[], "", &[], "", "");
    assert!(matches!(allowed(&gs, &other[0]), Err(Denial::NotInManifest { .. })));
    let rm = needs::docker("container.rm", &s(&["advanced-comfyui-workflows"]), &[], "", &[], "", "");
    assert!(matches!(allowed(&gs, &rm[0]), Err(Denial::NotInManifest { .. })), "a different verb is not covered");
}

#[test]
fn docker_update_must_keep_the_granted_settings() {
    let gs = bash("docker update --memory=128g web");
    let ok = needs::docker("container.update", &s(&["web"]), &[("memory".into(), "128g".into())], "", &[], "", "");
    assert!(allowed(&gs, &ok[0]).is_ok());
    let more = needs::docker("container.update", &s(&["web"]), &[("memory".into(), "512g".into())], "", &[], "", "");
    assert!(allowed(&gs, &more[0]).is_err());
}

#[test]
fn an_unquoted_command_output_takes_zero_or_more_plain_words() {
    let gs = bash("pmap $(pgrep -f cell0d) | tail -1");
    let call = |args: &[&str]| needs::process("pmap", &s(args));
    for ok in [&[][..], &["4242"][..], &["4242", "4343"][..]] {
        assert!(allowed(&gs, &call(ok)[0]).is_ok(), "{ok:?}");
    }
    for bad in [&["-x"][..], &["4242", "-p"][..], &["a;b"][..], &["a b"][..]] {
        assert!(allowed(&gs, &call(bad)[0]).is_err(), "{bad:?} must not fill the hole");
    }
}

#[test]
fn holes_take_one_plain_value() {
    let gs = bash("~/.fly/bin/fly machine restart <machine-id> -a hotdash");
    let call = |id: &str| needs::process("~/.fly/bin/fly", &s(&["machine", "restart", id, "-a", "hotdash"]));
    assert!(allowed(&gs, &call("e784079b449483")[0]).is_ok());
    for bad in ["-rf", "a;b", "..", "x/../../etc", "a b", "$(id)", ""] {
        assert!(allowed(&gs, &call(bad)[0]).is_err(), "{bad:?} must not fill the hole");
    }
}

#[test]
fn urls_are_checked_after_parsing() {
    let gs = bash("curl -f http://localhost:8080/health");
    let get = |url: &str| needs::http("curl", "GET", url, &[], &[("fail".into(), String::new())]);
    assert!(allowed(&gs, &get("http://localhost:8080/health").unwrap()[0]).is_ok());
    // Credentials make it no URL playbook checks at all.
    assert!(get("http://localhost:8080@evil.example/health").is_none());
    let get = |url: &str| get(url).unwrap();
    for bad in [
        "http://127.0.0.1:8080/health",
        "https://localhost:8080/health",
        "http://localhost:8081/health",
        "http://localhost:8080/health/../admin",
        "http://localhost:8080/health?x=1",
    ] {
        assert!(allowed(&gs, &get(bad)[0]).is_err(), "{bad} must be denied");
    }
    let post =
        needs::http("curl", "POST", "http://localhost:8080/health", &[], &[("fail".into(), String::new())]).unwrap();
    assert!(allowed(&gs, &post[0]).is_err(), "another method is another grant");
}

#[test]
fn paths_follow_the_working_directory_and_cannot_climb_out() {
    let gs = bash("cd artifacts\necho ok > status.txt");
    let write = |path: &str, cwd: Option<&str>| needs::fs("write", ">", &s(&[path]), "", &[], cwd).unwrap();
    assert!(allowed(&gs, &write("status.txt", Some("artifacts"))[0]).is_ok());
    assert!(allowed(&gs, &write("status.txt", None)[0]).is_err());
    assert!(allowed(&gs, &write("../artifacts/status.txt", Some("artifacts"))[0]).is_err());
}

#[test]
fn kube_namespace_and_name_are_scoped() {
    let gs = bash("kubectl scale deployment api -n shop --replicas=3");
    let scale = |ns: &str, name: &str, replicas: &str| {
        needs::kube(
            "scale",
            &s(&["deployments"]),
            &s(&[name]),
            "",
            ns,
            false,
            &[("replicas".into(), replicas.into())],
            &[],
        )
    };
    assert!(allowed(&gs, &scale("shop", "api", "3")[0]).is_ok());
    assert!(allowed(&gs, &scale("kube-system", "api", "3")[0]).is_err());
    assert!(allowed(&gs, &scale("shop", "db", "3")[0]).is_err());
    assert!(allowed(&gs, &scale("shop", "api", "0")[0]).is_err());
}

#[test]
fn a_call_that_does_more_than_its_grant_is_denied_by_effect() {
    // `--replicas=$N` is granted as a write; with N = 0 the call is destructive.
    // (`N` holds a computed value: a literal one would be named in the grant itself.)
    let gs = bash("N=$(echo 3)\nkubectl scale deployment api -n shop --replicas=$N");
    let scale = |replicas: &str| {
        needs::kube(
            "scale",
            &s(&["deployments"]),
            &s(&["api"]),
            "",
            "shop",
            false,
            &[("replicas".into(), replicas.into())],
            &[],
        )
    };
    assert!(allowed(&gs, &scale("3")[0]).is_ok());
    assert!(
        matches!(allowed(&gs, &scale("0")[0]), Err(Denial::EffectBeyondGrant { .. })),
        "{:?}",
        allowed(&gs, &scale("0")[0])
    );
}

#[test]
fn options_that_reach_docker_are_part_of_the_grant() {
    let gs = bash("docker run -d --name web busybox");
    let run = |extra: &[(&str, &str)]| {
        let mut o: Vec<(String, String)> = vec![("detach".into(), String::new()), ("name".into(), "web".into())];
        o.extend(extra.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())));
        needs::docker("container.run", &[], &o, "busybox", &[], "", "")
    };
    assert!(allowed(&gs, &run(&[])[0]).is_ok());
    for extra in [
        ("env-file", "/outside/s.env"),
        ("health-cmd", "reboot -f"),
        ("label", "x=y"),
        ("workdir", "/"),
        ("hostname", "h"),
    ] {
        assert!(allowed(&gs, &run(&[extra])[0]).is_err(), "{extra:?} reaches the engine, so it must be granted");
    }
}

#[test]
fn the_named_grant_is_preferred_but_any_matching_grant_allows() {
    let gs = bash("cat a.txt b.txt");
    let read = |p: &str| needs::fs("read", "cat", &s(&[p]), "", &[], None).unwrap();
    // Both reads name grant 0; the second is allowed by grant 1.
    assert_eq!(policy::authorize(&gs, &Policy::default(), 0, &read("b.txt")[0], false).unwrap().id, "g2");
}

#[test]
fn operator_policy_denies_and_restricts() {
    let gs = bash("docker restart web\ncurl -s http://h/x");
    let restart = &needs::docker("container.restart", &s(&["web"]), &[], "", &[], "", "")[0];
    let deny = Policy { deny: vec!["docker.*".into()], ..Policy::default() };
    assert!(matches!(policy::authorize(&gs, &deny, 0, restart, false), Err(Denial::PolicyDenies { .. })));
    let allow_http = Policy::from_json(r#"{"allow": ["http.request"]}"#).unwrap();
    assert!(policy::authorize(&gs, &allow_http, 0, restart, false).is_err());
    let get = &needs::http("curl", "GET", "http://h/x", &[], &[("silent".into(), String::new())]).unwrap()[0];
    assert!(policy::authorize(&gs, &allow_http, 1, get, false).is_ok());
    assert!(Policy::from_json(r#"{"allow": "docker.*"}"#).is_err());
    let typo = Policy::from_json(r#"{"dny": ["fs.*"]}"#).unwrap_err();
    assert!(typo.contains("unknown field `dny`"), "{typo}");
}

#[test]
fn privileged_calls_need_the_operator_s_consent() {
    let gs = bash("sudo systemctl restart docker");
    let need = &needs::process("systemctl", &s(&["restart", "docker"]))[0];
    assert!(matches!(policy::authorize(&gs, &Policy::default(), 0, need, true), Err(Denial::Privileged { .. })));
    assert!(policy::authorize(&gs, &Policy { allow_privileged: true, ..Policy::default() }, 0, need, true).is_ok());
    assert!(
        policy::authorize(&gs, &Policy { allow_privileged: true, ..Policy::default() }, 0, need, false).is_err(),
        "without sudo it is another grant"
    );
}

#[test]
fn changes_are_confirmed_and_fail_closed() {
    let gs = bash("docker ps\ndocker restart web");
    let (read, write) = (&gs[0], &gs[1]);
    let p = Policy::default();
    assert!(policy::confirm(read, &p, None).is_ok(), "reads are not asked about");
    assert!(matches!(policy::confirm(write, &p, None), Err(Denial::Unconfirmed { .. })), "nobody to ask: denied");
    assert!(policy::confirm(write, &Policy { yes: true, ..Policy::default() }, None).is_ok());
    let mut no = |_: &Grant| false;
    assert!(matches!(policy::confirm(write, &p, Some(&mut no)), Err(Denial::Declined { .. })));
    let mut yes = |_: &Grant| true;
    assert!(policy::confirm(write, &p, Some(&mut yes)).is_ok());
}

#[test]
fn dangerous_environment_names_are_refused() {
    assert!(policy::check_env(["LOG_LEVEL", "SYNTHETIC_CHECK_URL"]).is_ok());
    for bad in ["LD_PRELOAD", "DYLD_INSERT_LIBRARIES", "PATH", "BASH_ENV"] {
        assert!(policy::check_env([bad]).is_err(), "{bad}");
    }
}

#[test]
fn every_seed_grant_is_allowed_for_its_own_literal_requests() {
    // Grants without holes must accept the request the compiler would send for them.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    let text = std::fs::read_to_string(dir.join("000_84719773df260702.txt")).expect("seed corpus");
    let gs = grants(&text);
    let logs = &needs::docker(
        "container.logs",
        &s(&["advanced-comfyui-workflows"]),
        &[("tail".into(), "100".into())],
        "",
        &[],
        "",
        "",
    )[0];
    assert!(allowed(&gs, logs).is_ok());
    let journal = &needs::process("journalctl", &s(&["-u", "docker", "-n", "50", "--no-pager"]))[0];
    assert!(allowed(&gs, journal).is_ok());
    let run = &needs::docker(
        "container.run",
        &[],
        &[
            ("detach".into(), String::new()),
            ("name".into(), "advanced-comfyui-workflows-rollback".into()),
            ("publish".into(), "8080:8080".into()),
        ],
        "storycore/advanced-workflows:v1.0.0",
        &[],
        "",
        "",
    )[0];
    assert!(allowed(&gs, run).is_ok(), "{run:?}");
    let other_image =
        &needs::docker("container.run", &[], &[("name".into(), "x".into())], "evil/miner:latest", &[], "", "")[0];
    assert!(allowed(&gs, other_image).is_err());
}

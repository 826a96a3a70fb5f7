//! HTTP end to end against a real server on loopback: the native client reproduces curl's
//! output and exit codes (checked against the real `curl`, run by `bash` on the same commands),
//! redirects and URLs are authorized as parsed, large bodies stay bounded in memory.

mod common;

use common::{Server, closed_port, run, runbook, stdout, text, workdir};

/// One runbook block: each line, then its status, as `bash` would print it.
fn block(lines: &[String]) -> String {
    let mut s = String::from("# HTTP\n\n## Calls\n\n```bash\n");
    for l in lines {
        s.push_str(l);
        s.push_str("\necho \"status=$?\"\n");
    }
    s.push_str("```\n");
    s
}

fn bash(lines: &[String], dir: &std::path::Path) -> std::process::Output {
    let script: String = lines.iter().flat_map(|l| [l.as_str(), "\necho \"status=$?\"\n"]).collect();
    std::process::Command::new("bash").arg("-c").arg(script).current_dir(dir).output().unwrap()
}

#[test]
fn output_and_exit_codes_match_real_curl() {
    if !common::require("curl", common::sh("curl", &["--version"]).is_some()) {
        return;
    }
    let srv = Server::start();
    let dead = closed_port();
    let u = |p: &str| srv.url(p);
    let lines = vec![
        format!("curl -s {}", u("/ok")),
        format!("curl -sf {}", u("/missing")),
        format!("curl -s {}", u("/missing")),
        format!("curl -s -o /dev/null -w '%{{http_code}}\\n' {}", u("/missing")),
        format!("curl -s -w '%{{http_code}} %{{size_download}}\\n' {}", u("/ok")),
        format!("curl -sf --max-time 1 {}", u("/slow")),
        format!("curl -s http://127.0.0.1:{dead}/"),
        format!("curl -s -X POST -H 'X-Test: 1' -d 'a=b' {}", u("/echo")),
        format!("curl -s {}", u("/redirect")),
        format!("curl -sL {}", u("/redirect")),
        format!("curl -sI {} | head -n 1", u("/ok")),
        format!("curl -s {}", u("/drop")),
        format!("curl -sf {} || echo DOWN", u("/missing")),
    ];
    let dir = workdir("curl-contract");
    let md = runbook(&dir, "http.md", &block(&lines));
    let ours = run(&dir, &[&md, "--yes"]);
    let theirs = bash(&lines, &dir);
    assert_eq!(stdout(&ours), stdout(&theirs), "playbook vs curl\n--- playbook:\n{}", text(&ours));
    // The statuses are part of stdout; make sure the interesting ones are really there.
    let out = stdout(&ours);
    for status in ["status=22", "status=28", "status=7", "status=52", "404\nstatus=0", "200 6\nstatus=0"] {
        assert!(out.contains(status), "{status} missing in:\n{out}");
    }
}

#[test]
fn error_messages_follow_curl() {
    let srv = Server::start();
    let dead = closed_port();
    let dir = workdir("curl-errors");
    let md = runbook(
        &dir,
        "e.md",
        &block(&[
            format!("curl -sS -f {}", srv.url("/missing")),
            format!("curl -sS http://127.0.0.1:{dead}/"),
            format!("curl -f {}", srv.url("/missing")),
            format!("curl -s -f {}", srv.url("/missing")),
        ]),
    );
    let o = run(&dir, &[&md]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("curl: (22) The requested URL returned error: 404"), "{err}");
    assert!(err.contains(&format!("curl: (7) Failed to connect to 127.0.0.1 port {dead} after")), "{err}");
    // `-s` without `-S` hides the message: two messages for -sS, one for the plain -f.
    assert_eq!(err.matches("curl: (22)").count(), 2, "{err}");
}

#[test]
fn a_redirect_is_authorized_before_it_is_followed() {
    let srv = Server::start();
    let dir = workdir("redirect");
    // `/away` redirects to localhost:PORT/ok, which no grant names.
    let md = runbook(&dir, "r.md", &block(&[format!("curl -sL {}", srv.url("/away"))]));
    let o = run(&dir, &[&md]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("no grant of the manifest allows http.request"), "{}", text(&o));
    assert!(text(&o).contains("host=localhost"), "{}", text(&o));
    let asked: Vec<String> = srv.requests().iter().map(|r| r.lines().next().unwrap_or("").to_string()).collect();
    assert_eq!(asked, ["GET /away HTTP/1.1"], "the redirect target was never requested");
}

#[test]
fn credentials_in_a_url_are_refused() {
    let srv = Server::start();
    let dir = workdir("userinfo");
    let md = runbook(&dir, "u.md", &block(&[format!("curl -s http://admin:pw@127.0.0.1:{}/ok", srv.port)]));
    // Refused when compiling: the block becomes a manual step saying why, and is never sent.
    let o = run(&dir, &[&md]);
    assert_eq!(o.status.code(), Some(126), "nobody is there to do it by hand: {}", text(&o));
    assert!(text(&o).contains("playbook cannot run this block (the URL carries credentials)"), "{}", text(&o));
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_playbook")).args(["check", &md]).output().unwrap();
    assert_eq!(checked.status.code(), Some(1), "check still reports the error");
    assert!(srv.requests().is_empty());
}

#[test]
fn writes_and_secret_headers() {
    let srv = Server::start();
    let dir = workdir("writes");
    let md = runbook(
        &dir,
        "w.md",
        &format!(
            "# W\n\n## Post\n\n```bash\ncurl -s -X POST {echo}\ncurl -s -o out/page.txt {ok}\ncat out/page.txt\ncurl -sf -H \"Authorization: Bearer $API_TOKEN\" {auth}\n```\n",
            echo = srv.url("/echo"),
            ok = srv.url("/ok"),
            auth = srv.url("/auth")
        ),
    );
    std::fs::create_dir_all(dir.join("out")).unwrap();
    // Without --yes the POST (a write) is refused before anything is sent.
    let o = run(&dir, &[&md]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap(), &md, "--yes"])
        .env("API_TOKEN", "s3cret")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(common::read(&dir, "out/page.txt").as_deref(), Some("hello\n"));
    assert!(stdout(&o).contains("POST /echo"), "{}", text(&o));
    assert!(stdout(&o).contains("welcome"), "{}", text(&o));
}

#[test]
fn a_large_body_is_streamed_or_capped_not_held() {
    let srv = Server::start();
    let dir = workdir("big");
    // Captured (a pipe): kept up to the cap, the rest dropped and said so.
    let md = runbook(&dir, "b.md", &block(&[format!("curl -s {} | wc -c", srv.url("/big"))]));
    let o = run(&dir, &[&md]);
    assert!(stdout(&o).starts_with("16777216\n"), "{}", text(&o));
    assert!(text(&o).contains("cut at 16 MiB"), "{}", String::from_utf8_lossy(&o.stderr));
    // Shown on the terminal: all 40 MiB arrive, streamed.
    let md = runbook(&dir, "s.md", &block(&[format!("curl -s {}", srv.url("/big"))]));
    let o = run(&dir, &[&md]);
    assert_eq!(o.stdout.len(), (40 << 20) + "status=0\n".len());
}

#[test]
fn a_secret_never_shows_in_headers_the_effective_url_or_denials() {
    let srv = Server::start();
    let dir = workdir("http-secret-out");
    let token = "tok-91c2e7aa04";
    let md = runbook(
        &dir,
        "s.md",
        &format!(
            "# S\n\n## Look\n\n```bash\ncurl -s -o /dev/null -w '%{{url_effective}}\\n' \"{missing}?token=$API_TOKEN\"\ncurl -si -H \"Authorization: Bearer $API_TOKEN\" {reflect}\ncurl -sI -H \"Authorization: Bearer $API_TOKEN\" {reflect}\ncurl -s -X DELETE \"{missing}?token=$API_TOKEN\"\n```\n",
            missing = srv.url("/missing"),
            reflect = srv.url("/reflect"),
        ),
    );
    for json in [false, true] {
        let trace = dir.join(format!("t{json}.jsonl"));
        let mut args = vec!["run", "--workdir", dir.to_str().unwrap(), &md, "--trace", trace.to_str().unwrap()];
        if json {
            args.extend(["--output", "json"]);
        }
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(&args)
            .env("API_TOKEN", token)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let all = text(&o);
        // The DELETE is not confirmed (no terminal, no --yes): a denial, which names the URL.
        assert_eq!(o.status.code(), Some(126), "{all}");
        assert!(all.contains("withheld") || all.contains("«"), "output derived from the secret is masked: {all}");
        assert!(!all.contains(token), "the token reached the terminal: {all}");
        let written = std::fs::read_to_string(&trace).unwrap();
        assert!(!written.contains(token), "the token reached the trace");
    }
    // The server did see it: masking is of what is shown and kept, not of what is sent.
    assert!(srv.requests().iter().any(|r| r.contains(token)));
}

#[test]
fn encoded_slashes_and_dots_in_a_url_hole_are_refused() {
    let srv = Server::start();
    let dir = workdir("http-encoded");
    let md =
        runbook(&dir, "e.md", &format!("# E\n\n```bash\ncurl -s {}/$WORKFLOW\n```\n", srv.url("/api/v1/workflows")));
    for value in ["..%2F..%2Fadmin", "%2e%2e/admin", "%2E%2E", "a%5Cb"] {
        let o = run(&dir, &[&md, "--input", &format!("WORKFLOW={value}"), "--trace", "off"]);
        assert_eq!(o.status.code(), Some(126), "{value}: {}", text(&o));
        assert!(text(&o).contains("denied"), "{value}: {}", text(&o));
    }
    assert!(srv.requests().is_empty(), "nothing was sent: {:?}", srv.requests());
    // A plain value goes through.
    let o = run(&dir, &[&md, "--input", "WORKFLOW=w1", "--trace", "off"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(srv.requests().len(), 1);
}

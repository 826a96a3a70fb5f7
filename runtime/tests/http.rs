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
    // Through a pipe: all 40 MiB reach the next command, in chunks.
    let md = runbook(&dir, "b.md", &block(&[format!("curl -s {} | wc -c", srv.url("/big"))]));
    let o = run(&dir, &[&md]);
    assert!(stdout(&o).starts_with("41943040\n"), "{}", text(&o));
    assert!(!text(&o).contains("cut at"), "{}", text(&o));
    // Kept in memory (`$(…)`): up to the cap, and the cut fails the command (curl's 23).
    let md = runbook(&dir, "k.md", &block(&[format!("x=$(curl -s {})", srv.url("/big"))]));
    let o = run(&dir, &[&md]);
    assert!(stdout(&o).contains("status=23"), "{}", text(&o));
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

/// Milliseconds in curl's messages vary between two runs; the rest must not.
fn without_ms(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        let kept: Vec<&str> =
            words.iter().enumerate().map(|(i, w)| if words.get(i + 1) == Some(&"ms:") { "N" } else { w }).collect();
        out.push_str(&kept.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn common_flags_match_real_curl() {
    if !common::require("curl", common::sh("curl", &["--version"]).is_some()) {
        return;
    }
    let srv = Server::start();
    let dead = closed_port();
    let u = |p: &str| srv.url(p);
    let lines = vec![
        // -G and --data-urlencode: the query curl builds (spaces as `+`, escapes in lower case).
        format!("curl -s -G -d 'step=5m' --data-urlencode 'query=up{{job=\"api\"}} == 0' {}", u("/echo?x=1")),
        format!("curl -s --data-urlencode 'q=a b&c' --data-urlencode '=~raw!' {}", u("/echo")),
        // -D FILE and -D -, -O.
        format!("curl -s -D head.txt -o /dev/null -w '%{{http_code}}\\n' {}", u("/ok")),
        "grep -ci '^content-length: 6' head.txt".to_string(),
        format!("curl -s -D - -o /dev/null {} | head -n 1", u("/missing")),
        format!("curl -sO {}", u("/ok?page=2")),
        "cat ok".to_string(),
        "curl -sS --http1.1 -o /dev/null -w '%{http_code}\\n' ".to_string() + &u("/ok"),
        // Retries: a refused connection only with --retry-connrefused; HTTP 503 always.
        format!("curl -sS --retry 2 --retry-delay 1 --retry-connrefused http://127.0.0.1:{dead}/"),
        format!("curl -sS --retry 2 --retry-delay 1 http://127.0.0.1:{dead}/"),
        format!("curl -s --retry 1 --retry-delay 1 -w ' %{{http_code}}\\n' {}", u("/unavailable")),
        format!("wget -qO- {}", u("/ok")),
        format!("wget -qO- --tries=1 --timeout=5 {}", u("/missing")),
    ];
    let ours_dir = workdir("curl-flags-ours");
    let theirs_dir = workdir("curl-flags-bash");
    let md = runbook(&ours_dir, "http.md", &block(&lines));
    let before = srv.requests().len();
    let ours = run(&ours_dir, &[&md, "--yes"]);
    let ours_requests = srv.requests().len() - before;
    let theirs = bash(&lines, &theirs_dir);
    let bash_requests = srv.requests().len() - before - ours_requests;
    assert_eq!(stdout(&ours), stdout(&theirs), "playbook vs curl\n--- playbook:\n{}", text(&ours));
    // Standard error: the same messages, as many times (one per try under -sS).
    let err = |o: &std::process::Output| {
        without_ms(&String::from_utf8_lossy(&o.stderr))
            .lines()
            .filter(|l| l.starts_with("curl:") || l.starts_with("Warning:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(err(&ours), err(&theirs), "stderr\n--- playbook:\n{}", text(&ours));
    assert_eq!(err(&ours).iter().filter(|l| l.starts_with("curl: (7)")).count(), 4, "{}", text(&ours));
    // The 503 was tried twice by both.
    assert_eq!(ours_requests, bash_requests, "{:?}", srv.requests());
    let out = stdout(&ours);
    for want in
        ["GET /echo?x=1&step=5m&query=up%7bjob%3d%22api%22%7d+%3d%3d+0", "q=a+b%26c&~raw%21", "busy\nbusy\n 503"]
    {
        assert!(out.contains(want), "{want}:\n{out}");
    }
    assert_eq!(common::read(&ours_dir, "ok").as_deref(), Some("hello\n"));
}

#[test]
fn a_run_grants_and_reads_the_files_of_tls_options() {
    if !common::require("curl", common::sh("curl", &["--version"]).is_some()) {
        return;
    }
    let dir = workdir("curl-flags-grants");
    let md = runbook(
        &dir,
        "g.md",
        "# G\n\n```bash\ncurl -s --cacert pki/ca.crt --cert pki/c.crt --key pki/c.key -D out/h.txt -O https://127.0.0.1:8443/x.tar\n```\n",
    );
    let m = common::playbook(&dir, &["manifest", &md, "--format", "json"]);
    let json = stdout(&m);
    for want in ["\"pki/ca.crt\"", "\"pki/c.crt\"", "\"pki/c.key\"", "\"out/h.txt\"", "\"x.tar\"", "--cacert"] {
        assert!(json.contains(want), "{want} missing:\n{json}");
    }
    // The certificate files are read only inside the granted root.
    let md = runbook(
        &dir,
        "o.md",
        "# O\n\n```bash\ncurl -s --cacert /etc/ssl/private/none.pem https://127.0.0.1:8443/\n```\n",
    );
    let o = run(&dir, &[&md, "--yes"]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("outside the granted root"), "{}", text(&o));
}

/// `openssl s_server` serving this directory over TLS with a certificate of a test authority,
/// asking for a client certificate of that authority when `client` is set.
struct TlsServer {
    child: std::process::Child,
    port: u16,
}

impl TlsServer {
    /// A test authority and a server certificate it signed, in `dir`.
    fn certificates(dir: &std::path::Path) {
        let sh = |script: &str| {
            let o = std::process::Command::new("bash").arg("-c").arg(script).current_dir(dir).output().unwrap();
            assert!(o.status.success(), "{script}: {}", String::from_utf8_lossy(&o.stderr));
        };
        sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=playbook-test-ca \
            -addext basicConstraints=critical,CA:TRUE 2>/dev/null \
            && openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost 2>/dev/null \
            && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth,clientAuth\\n' > ext \
            && openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 2 -extfile ext 2>/dev/null \
            && echo hi > hello.txt");
    }

    fn start(dir: &std::path::Path, client: bool) -> Self {
        let port = closed_port();
        let accept = port.to_string();
        let mut args = vec!["s_server", "-quiet", "-accept", &accept, "-cert", "srv.crt", "-key", "srv.key", "-WWW"];
        if client {
            args.extend(["-CAfile", "ca.crt", "-Verify", "1"]);
        }
        let child = std::process::Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self { child, port }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn cacert_and_client_certificates_match_real_curl() {
    if !common::require(
        "curl and openssl",
        common::sh("curl", &["--version"]).is_some() && common::sh("openssl", &["version"]).is_some(),
    ) {
        return;
    }
    let dir = workdir("curl-tls");
    TlsServer::certificates(&dir);
    let plain = TlsServer::start(&dir, false);
    let mutual = TlsServer::start(&dir, true);
    let u = |s: &TlsServer| format!("https://127.0.0.1:{}/hello.txt", s.port);
    let lines = vec![
        format!("curl -s --cacert ca.crt {}", u(&plain)),
        format!("curl -s {}", u(&plain)),
        format!("curl -sS --cacert missing.crt {}", u(&plain)),
        format!("curl -s --cacert ca.crt {}", u(&mutual)),
        format!("curl -s --cacert ca.crt --cert srv.crt --key srv.key {}", u(&mutual)),
        format!("curl -s -k {}", u(&plain)),
        format!("wget -qO- --ca-certificate=ca.crt {}", u(&plain)),
    ];
    let md = runbook(&dir, "tls.md", &block(&lines));
    let ours = run(&dir, &[&md, "--yes"]);
    let theirs = bash(&lines, &dir);
    assert_eq!(stdout(&ours), stdout(&theirs), "playbook vs curl\n--- playbook:\n{}", text(&ours));
    let out = stdout(&ours);
    assert_eq!(out, "hi\nstatus=0\nstatus=60\nstatus=77\nstatus=56\nhi\nstatus=0\nhi\nstatus=0\nhi\nstatus=0\n");
    assert!(text(&ours).contains("curl: (77) error setting certificate file: missing.crt"), "{}", text(&ours));
}

//! The adversarial cases of the threat model (research C4), adapted to playbook: each attempt
//! fails closed, and where a run happens, the trace records the denial and still verifies.
//! SECURITY.md maps every case to its test (some live in trace.rs, crafted.rs and docker.rs) and
//! says why the few that do not apply do not.

mod common;

use std::path::Path;

use common::crafted::{
    assert_verifies, denials, from_wat, manifest_of, playbook, rogue, run_traced, with_manifest_text,
};
use common::{Server, read, runbook, text, workdir, write};

/// Runs `target` with `--yes` and a trace; asserts it was refused (126) with a recorded denial
/// containing `reason`, and that the trace verifies. Returns the output text.
fn refused(dir: &Path, target: &Path, args: &[&str], reason: &str) -> String {
    let mut all = vec!["--yes"];
    all.extend_from_slice(args);
    let (o, ev) = run_traced(dir, target, "t.jsonl", &all);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    let d = denials(&ev);
    assert!(d.iter().any(|r| r.contains(reason)), "no recorded denial with `{reason}`: {d:?}\n{out}");
    assert_verifies(dir, "t.jsonl");
    out
}

/// A runbook file in `dir`.
fn md(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    runbook(dir, name, text).into()
}

/// `playbook check` output and status.
fn check(dir: &Path, file: &Path) -> (Option<i32>, String) {
    let o = playbook(dir, &["check", file.to_str().unwrap()]);
    (o.status.code(), text(&o))
}

// C4.1 — `curl | sh`, `eval`, `bash -c`, a heredoc into a shell: refused, made manual, or an
// `exec` grant a reviewer sees; never a silent mapping.
#[test]
fn c01_shell_strings_are_refused_made_manual_or_flagged_exec() {
    let dir = workdir("adv-01");
    let server = Server::start();
    let evaled = md(&dir, "eval.md", "# E\n\n```bash\nCMD='rm -rf /'\neval \"$CMD\"\n```\n");
    let (code, out) = check(&dir, &evaled);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("`eval` is not supported") && out.contains("eval.md:5"), "{out}");
    // The block is confined: it becomes a manual step showing the text, and nothing of it runs.
    let m = playbook(&dir, &["manifest", evaled.to_str().unwrap(), "--format", "json"]);
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(m["grants"].as_array().unwrap().len(), 0, "{m}");
    assert!(m["manual"][0]["reason"].as_str().unwrap().contains("`eval` is not supported"), "{m}");
    let (o, ev) = run_traced(&dir, &evaled, "e.jsonl", &[]);
    assert_eq!(o.status.code(), Some(126), "nobody confirmed the manual step: {}", text(&o));
    assert!(denials(&ev).iter().any(|d| d.contains("manual step")), "{:?}", denials(&ev));
    assert!(!ev.iter().any(|e| e["kind"] == "call"), "no call of the refused block ran: {ev:?}");

    // Piped into a shell: shown to the operator as a manual step, never fetched by playbook.
    let piped = md(&dir, "pipe.md", &format!("# P\n\n```bash\ncurl -s {} | sh\n```\n", server.url("/ok")));
    let m = playbook(&dir, &["manifest", piped.to_str().unwrap(), "--format", "json"]);
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(m["grants"].as_array().unwrap().len(), 0, "{m}");
    assert!(m["manual"][0]["command"].as_str().unwrap().contains("| sh"), "{m}");
    let (o, ev) = run_traced(&dir, &piped, "t.jsonl", &[]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(denials(&ev).iter().any(|d| d.contains("manual step")), "{:?}", denials(&ev));
    assert!(server.requests().is_empty(), "playbook fetched the script: {:?}", server.requests());

    // An interpreter with a string: an `exec` grant, confirmed or denied like any change.
    let bash_c = md(&dir, "bash.md", "# B\n\n```bash\nbash -c \"echo pwned > p.txt\"\n```\n");
    let m = playbook(&dir, &["manifest", bash_c.to_str().unwrap(), "--format", "json"]);
    let m: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(m["grants"][0]["effect"], "exec", "{m}");
    assert_eq!(m["grants"][0]["capability"], "process.exec", "{m}");
    let (o, ev) = run_traced(&dir, &bash_c, "t.jsonl", &[]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(denials(&ev).iter().any(|d| d.contains("exec call process.exec needs a confirmation")), "{ev:?}");
    refused(&dir, &bash_c, &["--deny", "process.exec"], "policy denies process.exec");
    assert!(read(&dir, "p.txt").is_none());
}

// C4.2 — homoglyphs and invisible characters in names and hosts: compile errors; a crafted
// manifest holding them is refused.
#[test]
fn c02_homoglyphs_and_invisible_characters_are_refused() {
    let dir = workdir("adv-02");
    let f = md(
        &dir,
        "h.md",
        "# H\n\n```bash\ndocker restart w\u{435}b\ncurl -s http://ex\u{200b}ample.com/\nkubectl get pods -n pr\u{43e}d\n```\n",
    );
    let (code, out) = check(&dir, &f);
    assert_eq!(code, Some(1), "{out}");
    for (what, line) in [("w\\u{435}b", "h.md:4"), ("U+200B", "h.md:5"), ("pr\\u{43e}d", "h.md:6")] {
        assert!(out.contains(what) && out.contains(line), "{what} at {line}: {out}");
    }
    // Paths may hold non-ASCII letters; never invisible ones.
    let ok = md(&dir, "ok.md", "# O\n\n```bash\ncat caf\u{e9}.log\n```\n");
    assert_eq!(check(&dir, &ok).0, Some(0));
    let hidden = md(&dir, "hidden.md", "# O\n\n```bash\ncat \"notes\u{202e}txt.exe\"\n```\n");
    assert!(check(&dir, &hidden).1.contains("U+202E"));
    // A manifest written by hand with a homoglyph container is refused before anything runs.
    let mut m = manifest_of("# R\n\n```bash\ndocker restart web\n```\n");
    m["grants"][0]["scope"]["container"] = "w\u{435}b".into();
    let wasm = with_manifest_text(
        &dir,
        "homoglyph",
        component_of("# R\n\n```bash\ndocker restart web\n```\n"),
        &m.to_string(),
    );
    let o = playbook(&dir, &["run", wasm.to_str().unwrap(), "--yes", "--trace", "x.jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("the manifest is refused") && text(&o).contains("U+0435"), "{}", text(&o));
}

fn component_of(md_text: &str) -> Vec<u8> {
    let c = playbook_compiler::compile(playbook_compiler::Source::new("r.md", md_text));
    playbook_compiler::codegen::emit_code(&c).unwrap().component
}

// C4.3 — duplicate keys, unknown fields, an unknown manifest_version, two manifest sections.
#[test]
fn c03_malformed_manifests_are_parse_errors() {
    let dir = workdir("adv-03");
    let src = "# R\n\n```bash\ncat notes.txt\n```\n";
    let good = manifest_of(src).to_string();
    let cases = [
        (
            "dup-key",
            good.replacen("{\"manifest_version\":2,", "{\"manifest_version\":2,\"manifest_version\":2,", 1),
            "duplicate field `manifest_version`",
        ),
        (
            "dup-grant-key",
            good.replacen("\"capability\":\"fs.read\"", "\"capability\":\"fs.read\",\"capability\":\"fs.remove\"", 1),
            "duplicate field `capability`",
        ),
        (
            "dup-scope-key",
            good.replacen("\"path\":\"notes.txt\"", "\"path\":\"notes.txt\",\"path\":\"/etc/shadow\"", 1),
            "duplicate scope key `path`",
        ),
        (
            "unknown-field",
            good.replacen("\"effect\":\"read\"", "\"effect\":\"read\",\"max_calls\":1", 1),
            "unknown field `max_calls`",
        ),
        (
            "unknown-top",
            good.replacen("{\"manifest_version\":2,", "{\"manifest_version\":2,\"policy\":\"allow-all\",", 1),
            "unknown field `policy`",
        ),
        ("version-1", good.replacen("\"manifest_version\":2", "\"manifest_version\":1", 1), "manifest_version 1"),
        ("no-version", good.replacen("\"manifest_version\":2,", "", 1), "missing field `manifest_version`"),
        (
            "bad-effect",
            good.replacen("\"effect\":\"read\"", "\"effect\":\"harmless\"", 1),
            "unknown variant `harmless`",
        ),
        ("trailing", format!("{good} {{}}"), "trailing characters"),
    ];
    for (name, manifest, why) in cases {
        assert_ne!(manifest, good, "{name}: the edit applied");
        let wasm = with_manifest_text(&dir, name, component_of(src), &manifest);
        for cmd in ["run", "manifest"] {
            let o = playbook(&dir, &[cmd, wasm.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(2), "{name} {cmd}: {}", text(&o));
            assert!(text(&o).contains(why), "{name} {cmd}: {}", text(&o));
        }
    }
    // Two manifest sections: which one did the reviewer read? Neither counts.
    let wasm = dir.join("two.wasm");
    let mut bytes = std::fs::read(with_manifest_text(&dir, "one", component_of(src), &good)).unwrap();
    let widened = manifest_of("# W\n\n```bash\nrm -rf notes\n```\n").to_string();
    bytes = playbook_compiler::codegen::attach(
        bytes,
        vec![(playbook_capability::component::sections::MANIFEST, widened.into_bytes())],
    );
    std::fs::write(&wasm, bytes).unwrap();
    let o = playbook(&dir, &["run", wasm.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("two playbook.manifest sections"), "{}", text(&o));
}

// C4.4 — a manifest widened, or a component swapped, after approval: refused by digest.
#[test]
fn c04_a_widened_manifest_or_swapped_component_is_not_the_approved_one() {
    let dir = workdir("adv-04");
    write(&dir, "notes.txt", "n\n");
    let approved = md(&dir, "a.md", "# A\n\n```bash\ncat notes.txt\n```\n");
    let o = playbook(&dir, &["manifest", approved.to_str().unwrap()]);
    let shown = text(&o);
    let digest = shown.split("--approved ").nth(1).unwrap().trim().to_string();
    assert!(digest.starts_with("sha256:") && digest.len() == 71, "{shown}");
    let (o, _) = run_traced(&dir, &approved, "t.jsonl", &["--approved", &digest]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The same runbook, one more command: a new manifest.
    let widened = md(&dir, "w.md", "# A\n\n```bash\ncat notes.txt\nrm notes.txt\n```\n");
    let out = refused(&dir, &widened, &["--approved", &digest], "is not the approved one");
    assert!(!out.contains("n\n"), "nothing ran: {out}");
    assert!(read(&dir, "notes.txt").is_some());
    // Approved by component: other code under the same manifest is refused too.
    let c = dir.join("a.wasm");
    assert!(playbook(&dir, &["compile", approved.to_str().unwrap(), "-o", c.to_str().unwrap()]).status.success());
    let component_digest =
        format!("sha256:{}", playbook_capability::component::sha256_hex(&std::fs::read(&c).unwrap()));
    let (o, _) = run_traced(&dir, &c, "t.jsonl", &["--approved", &component_digest]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let swapped =
        rogue(&dir, "swapped", "# A\n\n```bash\ncat notes.txt\n```\n", "# A\n\n```bash\nwc -c notes.txt\n```\n");
    refused(&dir, &swapped, &["--approved", &component_digest], "is not the approved one");
}

// C4.5 — URL tricks: userinfo, fragments, backslashes, IDN, a trailing dot. Judged on the URL
// the host parsed, against the grant for `localhost:PORT`.
#[test]
fn c05_url_tricks_are_judged_after_parsing() {
    let dir = workdir("adv-05");
    let server = Server::start();
    let p = server.port;
    let approved = format!("# A\n\n```bash\ncurl -s http://localhost:{p}/ok\n```\n");
    let tricks = [
        // Credentials in a literal URL are a compile error; from a variable, the host refuses them.
        (format!("$U\nU='http://localhost:{p}@127.0.0.1:{p}/ok'"), "carries credentials"),
        (format!("http://127.0.0.1:{p}/ok#@localhost:{p}/ok"), "no grant of the manifest allows http.request"),
        (format!("http://127.0.0.1:{p}\\\\@localhost:{p}/ok"), "no grant of the manifest allows http.request"),
        (format!("http://localhost.:{p}/ok"), "no grant of the manifest allows http.request"),
        (format!("http://xn--lcalhost-nbh:{p}/ok"), "no grant of the manifest allows http.request"),
        (format!("http://localhost:{p}/ok/../../admin"), "no grant of the manifest allows http.request"),
    ];
    for (i, (url, why)) in tricks.iter().enumerate() {
        let line = match url.split_once('\n') {
            Some((var, set)) => format!("{set}\ncurl -s \"{var}\""),
            None => format!("curl -s '{url}'"),
        };
        let wasm = rogue(&dir, &format!("t{i}"), &approved, &format!("# A\n\n```bash\n{line}\n```\n"));
        refused(&dir, &wasm, &[], why);
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// A name other than `localhost` that this machine's /etc/hosts maps to a loopback address.
fn loopback_alias() -> Option<String> {
    let hosts = std::fs::read_to_string("/etc/hosts").ok()?;
    hosts.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|l| {
        let mut w = l.split_whitespace();
        let ip: std::net::IpAddr = w.next()?.parse().ok()?;
        if !ip.is_loopback() {
            return None;
        }
        w.find(|n| !n.contains("localhost") && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .map(str::to_string)
    })
}

// C4.6 — a granted name that resolves inside (loopback, link-local, metadata), and numeric
// aliases of loopback.
#[test]
fn c06_names_resolving_inside_and_numeric_aliases_are_denied() {
    let dir = workdir("adv-06");
    let server = Server::start();
    let p = server.port;
    let Some(alias) = loopback_alias() else {
        assert!(common::require("a name in /etc/hosts for 127.0.0.1 besides localhost", false));
        return;
    };
    let f = md(&dir, "r.md", &format!("# R\n\n```bash\ncurl -s http://{alias}:{p}/ok\n```\n"));
    let out = refused(&dir, &f, &[], &format!("`{alias}` resolves to 127."));
    assert!(out.contains("a loopback address"), "{out}");
    assert!(server.requests().is_empty());
    // The operator may say so: --resolve is their choice, and it goes through.
    let (o, _) = run_traced(&dir, &f, "t.jsonl", &["--resolve", &format!("{alias}=127.0.0.1")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.requests().len(), 1);
    // Numeric aliases and metadata addresses under a grant for a name.
    let approved = "# A\n\n```bash\ncurl -s http://api.example.com/v1/status\n```\n";
    for (i, url) in [
        format!("http://2130706433:{p}/v1/status"),
        format!("http://0x7f.1:{p}/v1/status"),
        format!("http://[::ffff:127.0.0.1]:{p}/v1/status"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
    ]
    .iter()
    .enumerate()
    {
        let wasm = rogue(&dir, &format!("n{i}"), approved, &format!("# A\n\n```bash\ncurl -s {url}\n```\n"));
        refused(&dir, &wasm, &[], "no grant of the manifest allows http.request");
    }
    assert_eq!(server.requests().len(), 1);
    // The classifier itself, on the forms that hide loopback and metadata.
    for ip in
        ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1", "169.254.169.254", "0.0.0.0", "fe80::1", "fd00:ec2::254"]
    {
        assert!(playbook::host::http::inside(ip.parse().unwrap()), "{ip}");
    }
    for ip in ["10.0.0.1", "192.168.1.1", "93.184.216.34", "2001:db8::1"] {
        assert!(!playbook::host::http::inside(ip.parse().unwrap()), "{ip}");
    }
}

// C4.7 — a redirect to a host that is not granted: that hop is denied.
#[test]
fn c07_a_redirect_to_another_host_is_denied() {
    let dir = workdir("adv-07");
    let server = Server::start();
    let f = md(&dir, "r.md", &format!("# R\n\n```bash\ncurl -sL http://127.0.0.1:{}/away\n```\n", server.port));
    refused(&dir, &f, &[], &format!("host=localhost port={}", server.port));
    assert_eq!(server.requests().len(), 1, "only the first hop: {:?}", server.requests());
}

// C4.8 — a guest-set `Host:` (or framing header), a relative URL.
#[test]
fn c08_host_headers_and_relative_urls_are_refused() {
    let dir = workdir("adv-08");
    let server = Server::start();
    let p = server.port;
    for h in ["Host: evil.example", "Transfer-Encoding: chunked", "Content-Length: 0"] {
        let f = md(&dir, "r.md", &format!("# R\n\n```bash\ncurl -s -H '{h}' http://127.0.0.1:{p}/echo\n```\n"));
        let name = h.split(':').next().unwrap();
        refused(&dir, &f, &[], &format!("the header `{name}` may not be set"));
    }
    // A relative URL in a crafted component: the host parses it before anything else.
    let approved = format!("# A\n\n```bash\ncurl -s http://127.0.0.1:{p}/ok\n```\n");
    let wasm = rogue(&dir, "relative", &approved, "# A\n\n```bash\nU=/ok\ncurl -s \"$U\"\n```\n");
    refused(&dir, &wasm, &[], "`/ok` is not an http(s) URL playbook can check");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

// C4.9 — the edges of templates: a hole is one plain value, the literal rest must match
// exactly, and the port is exact.
#[test]
fn c09_template_edges_and_exact_ports() {
    use playbook_capability::scope::template_matches as m;
    assert!(m("{input.sub}.example.com", "api.example.com"));
    assert!(!m("{input.sub}.example.com", "example.com"), "a hole is never empty");
    assert!(!m("{input.sub}.example.com", ".example.com"));
    assert!(!m("{input.sub}.example.com", "api.example.com.evil.net"));
    assert!(!m("{input.sub}.example.com", "evil.net/x.example.com"));
    assert!(!m("{input.sub}.example.com", "evil.net#.example.com"));
    assert!(!m("{input.sub}.example.com", "a b.example.com"));
    assert!(!m("8080", "8081") && !m("8080", "808") && !m("8080", "80800") && m("8080", "8080"));
    let dir = workdir("adv-09");
    let server = Server::start();
    let p = server.port;
    let f = md(&dir, "r.md", &format!("# R\n\n```bash\ncurl -s http://<sub>.localhost:{p}/ok\n```\n"));
    for (bad, host) in [("evil.net/", "host=evil.net "), ("-x", "host=-x.localhost "), ("a#b", "host=a ")] {
        let out = refused(
            &dir,
            &f,
            &["--input", &format!("sub={bad}")],
            &format!("allows http.request with method=GET url=http://{}", &bad[..1]),
        );
        assert!(out.contains(host), "{out}");
        assert!(!out.contains("hello"), "{out}");
    }
    // One port off, through a crafted component: denied.
    for port in [p - 1, p + 1] {
        let approved = format!("# A\n\n```bash\ncurl -s http://127.0.0.1:{p}/ok\n```\n");
        let wasm = rogue(
            &dir,
            &format!("p{port}"),
            &approved,
            &format!("# A\n\n```bash\ncurl -s http://127.0.0.1:{port}/ok\n```\n"),
        );
        refused(&dir, &wasm, &[], &format!("port={port}"));
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

// C4.10 — `..`, an absolute path, a symlink out, a trailing-slash symlink, a hard link.
#[test]
fn c10_paths_cannot_leave_the_root() {
    let dir = workdir("adv-10");
    let outside = dir.parent().unwrap().join(format!("adv-10-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "top secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("out")).unwrap();
    std::fs::hard_link(outside.join("secret.txt"), dir.join("hard.txt")).unwrap();
    let rel = format!("../adv-10-outside-{}/secret.txt", std::process::id());
    let abs = outside.join("secret.txt").display().to_string();
    for (cmd, why) in [
        (format!("cat {rel}"), "climbs out of the granted root"),
        (format!("cat {abs}"), "outside the granted root"),
        ("cat out/secret.txt".to_string(), "a symbolic link leads out"),
        ("ls out/".to_string(), "a symbolic link leads out"),
        ("cat hard.txt".to_string(), "has 2 hard links"),
        ("for f in out/*; do echo \"$f\"; done".to_string(), "a symbolic link leads out"),
        ("echo x >> hard.txt".to_string(), "has 2 hard links"),
    ] {
        let f = md(&dir, "r.md", &format!("# R\n\n```bash\n{cmd}\n```\n"));
        let out = refused(&dir, &f, &[], why);
        assert!(!out.contains("top secret"), "{cmd}: {out}");
    }
    assert_eq!(std::fs::read_to_string(outside.join("secret.txt")).unwrap(), "top secret\n");
}

// C4.10b — a grant for the paths of a glob (`for f in logs/*.log; do cat "$f"; done`) takes
// only paths that glob can give: not a subdirectory's, not a hidden file, not a climb, not
// another directory.
#[test]
fn c10b_a_glob_grant_takes_only_what_the_glob_matches() {
    let dir = workdir("adv-10b");
    for (name, text) in [
        ("logs/app.log", "content-of-app\n"),
        ("logs/sub/deep.log", "content-of-deep\n"),
        ("logs/.hidden.log", "content-of-hidden\n"),
        ("other.log", "content-of-other\n"),
    ] {
        write(&dir, name, text);
    }
    let approved = "# A\n\n```bash\nfor f in logs/*.log; do cat \"$f\"; done\n```\n";
    let f = md(&dir, "a.md", approved);
    let (o, _) = run_traced(&dir, &f, "a.jsonl", &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("content-of-app") && !text(&o).contains("content-of-deep"), "{}", text(&o));
    for (i, cmd) in
        ["cat logs/sub/deep.log", "cat logs/.hidden.log", "cat other.log", "cat logs/../other.log"].iter().enumerate()
    {
        let wasm = rogue(&dir, &format!("g{i}"), approved, &format!("# A\n\n```bash\n{cmd}\n```\n"));
        let out = refused(&dir, &wasm, &[], "no grant of the manifest allows fs.read");
        assert!(!out.contains("content-of-"), "{cmd}: {out}");
    }
}

// C4.11 — a read-only grant, and a component that truncates, creates or appends.
#[test]
fn c11_a_read_grant_does_not_write() {
    let dir = workdir("adv-11");
    write(&dir, "notes.txt", "keep\n");
    let approved = "# A\n\n```bash\ncat notes.txt\n```\n";
    for (i, (cmd, cap)) in
        [("echo x > notes.txt", "fs.write"), ("echo x >> notes.txt", "fs.append"), ("touch new.txt", "fs.touch")]
            .iter()
            .enumerate()
    {
        let wasm = rogue(&dir, &format!("w{i}"), approved, &format!("# A\n\n```bash\n{cmd}\n```\n"));
        refused(&dir, &wasm, &[], &format!("no grant of the manifest allows {cap}"));
    }
    assert_eq!(read(&dir, "notes.txt").as_deref(), Some("keep\n"));
    assert!(read(&dir, "new.txt").is_none());
}

// C4.12 — Docker: `web-old`, `web ` and another container under a grant for `web` (the ID
// prefix that Docker would resolve is in docker.rs, against the real engine).
#[test]
fn c12_docker_targets_are_exact_names() {
    let dir = workdir("adv-12");
    let approved = "# A\n\n```bash\ndocker restart web\n```\n";
    for (i, target) in ["web-old", "'web '", "web2", "Web", "web/../db"].iter().enumerate() {
        let wasm = rogue(&dir, &format!("d{i}"), approved, &format!("# A\n\n```bash\ndocker restart {target}\n```\n"));
        refused(&dir, &wasm, &[], "no grant of the manifest allows docker.container.restart");
    }
}

// C4.13 — raw Engine-API smuggling: only typed requests exist. The verb is an enum, so no
// string (an Engine API path) can be one; a discriminant that is not a case is refused by the
// canonical ABI before the host sees a request, and nothing reaches Docker.
#[test]
fn c13_only_typed_docker_requests_exist() {
    let wit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../wit/playbook.wit")).unwrap();
    let docker = &wit[wit.find("interface docker").unwrap()..];
    let docker = &docker[..docker.find("\n}\n").unwrap()];
    assert_eq!(docker.matches(": func(").count(), 1, "one typed call: {docker}");
    assert!(docker.contains("enum verb") && docker.contains("verb: verb,"), "the verb is an enum: {docker}");
    assert!(!docker.contains("path") && !docker.contains("body"), "no raw path or body parameter: {docker}");
    let dir = workdir("adv-13");
    // A hand-written request laid out as the canonical ABI says and passed by pointer: grant 0,
    // then verb discriminant 99 (the enum has 34 cases); every other field zero (empty lists,
    // absent options, false).
    let wat = r#"(module
  (import "playbook:host/docker@0.2.0" "call" (func $docker (param i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (global.set $heap (i32.add (local.get $p) (local.get 3))) (local.get $p))
  (func (export "run") (result i32)
    (i32.store (i32.const 2048) (i32.const 0))
    (i32.store8 (i32.const 2052) (i32.const 99))
    (call $docker (i32.const 2048) (i32.const 4096))
    (i32.const 0)))"#;
    let m = manifest_of("# A\n\n```bash\ndocker restart web\n```\n");
    let wasm = from_wat(&dir, "smuggle", wat, &m);
    let (o, ev) = run_traced(&dir, &wasm, "t.jsonl", &["--yes"]);
    let out = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("invalid enum discriminant") || out.contains("trapped"), "{out}");
    assert!(!ev.iter().any(|e| e["kind"] == "call"), "no request reached the host: {ev:?}");
    assert_verifies(&dir, "t.jsonl");
}

// C4.14 — Kubernetes: exec under a logs grant, `deletecollection` under a delete of one pod,
// another namespace. Denied before kubectl runs, so no cluster is needed.
#[test]
fn c14_kube_verbs_and_namespaces_are_exact() {
    let dir = workdir("adv-14");
    let approved = "# A\n\n```bash\nkubectl logs web-1 -n prod\nkubectl delete pod web-1 -n prod\n```\n";
    for (i, (cmd, cap)) in [
        ("kubectl exec web-1 -n prod -- env", "kube.pods.exec"),
        ("kubectl delete pods --all -n prod", "kube.pods.delete"),
        ("kubectl delete pods -l app=web -n prod", "kube.pods.delete"),
        ("kubectl logs web-1 -n payments", "kube.pods.logs"),
        ("kubectl logs web-1 --all-namespaces", "kube.pods.logs"),
        ("kubectl logs web-1", "kube.pods.logs"),
    ]
    .iter()
    .enumerate()
    {
        let wasm = rogue(&dir, &format!("k{i}"), approved, &format!("# A\n\n```bash\n{cmd}\n```\n"));
        refused(&dir, &wasm, &["--resolve", "unused=127.0.0.1"], &format!("no grant of the manifest allows {cap}"));
    }
}

// C4.15 — exec: extra argv, `;` inside an argument, an option in a hole, LD_PRELOAD/PATH, another
// binary.
#[test]
fn c15_program_argv_and_environment_are_exact() {
    let dir = workdir("adv-15");
    write(&dir, "deploy.sh", "#!/bin/sh\necho deployed \"$@\" >> deployed.txt\n");
    std::fs::set_permissions(dir.join("deploy.sh"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let approved = "# A\n\n```bash\n./deploy.sh --env staging\n```\n";
    for (i, cmd) in [
        "./deploy.sh --env staging --force",
        "./deploy.sh --env 'staging;rm -rf /'",
        "./deploy.sh --env production",
        "./deploy2.sh --env staging",
        "/bin/sh deploy.sh --env staging",
    ]
    .iter()
    .enumerate()
    {
        let wasm = rogue(&dir, &format!("x{i}"), approved, &format!("# A\n\n```bash\n{cmd}\n```\n"));
        refused(&dir, &wasm, &[], "no grant of the manifest allows process.exec");
    }
    for var in ["LD_PRELOAD=/tmp/x.so", "PATH=/tmp/evil"] {
        let f = md(&dir, "env.md", &format!("# E\n\n```bash\n{var} ./deploy.sh --env staging\n```\n"));
        refused(&dir, &f, &[], &format!("environment variable {} may not be passed", var.split('=').next().unwrap()));
    }
    let f = md(&dir, "hole.md", "# H\n\n```bash\n./deploy.sh --env <env>\n```\n");
    refused(&dir, &f, &["--input", "env=--force"], "process.exec with program=./deploy.sh argv=--env --force");
    assert!(read(&dir, "deployed.txt").is_none(), "nothing was deployed");
}

// C4.16 — approval reuse: every change asks on its own; a yes is not remembered for the next
// call under the same grant. Run on a real terminal (a pty from `script`).
#[test]
fn c16_a_confirmation_is_not_reused() {
    let dir = workdir("adv-16");
    let f = md(&dir, "r.md", "# R\n\n```bash\necho a >> log.txt\necho b >> log.txt\n```\n");
    let trace = dir.join("t.jsonl");
    let args = [f.to_str().unwrap(), "--trace", trace.to_str().unwrap()];
    let q = "go ahead? [y/N]";
    let Some((status, out)) = common::on_terminal(&dir, &args, &[(q, "y\n"), (q, "n\n")]) else { return };
    assert_eq!(out.matches(q).count(), 2, "{out}");
    assert_eq!(status, Some(126), "{out}");
    assert_eq!(read(&dir, "log.txt").as_deref(), Some("a\n"));
    let ev = common::crafted::events(&dir.join("t.jsonl"));
    assert_eq!(denials(&ev), vec!["the operator declined fs.append".to_string()]);
    // One decision per call: the first redirection's opening (asked), the write of its output
    // into that file (the same redirection, not asked again), the second one's opening (asked,
    // declined).
    assert_eq!(ev.iter().filter(|e| e["kind"] == "decision").count(), 3, "{ev:?}");
    assert_verifies(&dir, "t.jsonl");
}

// C4.17 — deep recursion (an endless loop is in crafted.rs): a trap, and the run is sealed.
#[test]
fn c17_deep_recursion_traps_and_the_run_is_sealed() {
    let dir = workdir("adv-17");
    let wat = r#"(module (func $f (param i32) (result i32) (call $f (i32.add (local.get 0) (i32.const 1))))
      (func (export "run") (result i32) (call $f (i32.const 0))))"#;
    let wasm = from_wat(&dir, "recurse", wat, &manifest_of("# N\n\n```bash\necho hi\n```\n"));
    let (o, ev) = run_traced(&dir, &wasm, "t.jsonl", &[]);
    assert_ne!(o.status.code(), Some(0));
    let end = ev.iter().find(|e| e["kind"] == "run-end").unwrap();
    assert!(end["error"].as_str().unwrap().contains("stack"), "{end}");
    assert_verifies(&dir, "t.jsonl");
}

// C4.18 — a slow host call: the wall-clock timeout cancels it, the trace says how it ended.
#[test]
fn c18_a_slow_call_is_cancelled_by_the_wall_clock() {
    let dir = workdir("adv-18");
    let server = Server::start();
    write(
        &dir,
        "slow.sh",
        "#!/bin/sh
exec sleep 30
",
    );
    std::fs::set_permissions(dir.join("slow.sh"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let f = md(
        &dir,
        "r.md",
        &format!(
            "# R

```bash
curl -sS {}
./slow.sh || echo stopped
```
",
            server.url("/slow")
        ),
    );
    let started = std::time::Instant::now();
    let (o, ev) = run_traced(&dir, &f, "t.jsonl", &["--timeout", "1", "--yes"]);
    let out = text(&o);
    assert!(out.contains("curl: (28)"), "{out}");
    assert!(out.contains("./slow.sh stopped after 1 s (--timeout)") && out.contains("stopped"), "{out}");
    let results: Vec<&serde_json::Value> = ev.iter().filter(|e| e["kind"] == "result").collect();
    assert_eq!(results[0]["status"], 28, "{results:?}");
    assert_eq!(results[1]["status"], 124, "{results:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "both calls were cut short");
    assert_verifies(&dir, "t.jsonl");
}

// C4.19 — a response far larger than any pipe may hold: through a pipe it streams, whole, and
// the trace holds the count, not the body; kept in memory (`$(…)`) it is capped, and the cut is
// the command's error, recorded (memory growth of the guest is in crafted.rs).
#[test]
fn c19_a_huge_response_streams_through_a_pipe_and_is_capped_where_it_is_kept() {
    let dir = workdir("adv-19");
    let server = Server::start();
    let url = server.url("/big");
    let f = md(
        &dir,
        "r.md",
        &format!("# R\n\n```bash\ncurl -s {url} | wc -c\nbody=$(curl -s {url})\necho \"kept: $? ${{#body}}\"\n```\n"),
    );
    let (o, ev) = run_traced(&dir, &f, "t.jsonl", &[]);
    let out = text(&o);
    assert!(out.contains(&(40u64 << 20).to_string()), "wc counts the whole body: {out}");
    assert!(out.contains("response cut at 16 MiB"), "{out}");
    assert!(out.contains(&format!("kept: 23 {}", 16u64 << 20)), "the cut fails the command: {out}");
    let cut = ev.iter().find(|e| e["kind"] == "limit").expect("the cut is recorded");
    assert_eq!(cut["limit"], "kept-output", "{cut}");
    // What is captured is recorded (replay needs it), up to the cap; the streamed body is not.
    let size = std::fs::metadata(dir.join("t.jsonl")).unwrap().len();
    assert!(size < 40 << 20, "{size} bytes");
    assert_verifies(&dir, "t.jsonl");
}

// C4.21/22 — lines after the seal, a signature by another key under its own keyid.
#[test]
fn c21_c22_appended_bytes_and_another_signer_are_rejected() {
    let dir = workdir("adv-21");
    assert!(playbook(&dir, &["keygen", "--out", "ops"]).status.success());
    assert!(playbook(&dir, &["keygen", "--out", "evil"]).status.success());
    let f = md(&dir, "r.md", "# R\n\n```bash\necho hi\n```\n");
    let (o, _) = run_traced(&dir, &f, "t.jsonl", &["--key", "evil.key"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Signed, but not by the operator's key.
    let v = playbook(&dir, &["verify", "t.jsonl", "--pubkey", "ops.pub"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    // Bytes after the seal.
    let (o, _) = run_traced(&dir, &f, "t.jsonl", &["--key", "ops.key"]);
    assert_eq!(o.status.code(), Some(0));
    let mut t = std::fs::read(dir.join("t.jsonl")).unwrap();
    t.extend_from_slice(b"{\"kind\":\"note\"}\n");
    std::fs::write(dir.join("t.jsonl"), t).unwrap();
    let v = playbook(&dir, &["verify", "t.jsonl", "--pubkey", "ops.pub"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
}

// A file path's hole takes a relative path computed at run time (`f=$(…); cat "$f"`), never
// one that climbs, is absolute or is an option: those are denied (by the root's check, or by the
// grant), and the denial is recorded.
#[test]
fn c23_a_run_time_path_that_climbs_or_is_absolute_is_denied() {
    let dir = workdir("adv-23");
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    write(&dir, "logs/app.log", "ERROR one\n");
    for (value, reason) in [
        ("logs/../../etc/hostname", "climbs out of the granted root"),
        ("/etc/hostname", "outside the granted root"),
        ("-n", "no grant of the manifest allows fs.read"),
    ] {
        let f = md(&dir, "r.md", &format!("# R\n\n```bash\np=$(echo '{value}')\ncat \"$p\"\n```\n"));
        let out = refused(&dir, &f, &[], reason);
        assert!(!out.contains("localhost") && !out.contains("root:"), "nothing outside was read: {out}");
    }
    // The same shape with a path inside the root runs.
    let f = md(&dir, "ok.md", "# R\n\n```bash\np=$(echo logs/app.log)\ncat \"$p\"\n```\n");
    let o = playbook(&dir, &["run", "--yes", "--trace", "off", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("ERROR one"), "{}", text(&o));
}

// The kernel's jail does not hold metadata changes (Landlock has no right for chmod/chown):
// `chmod`'s, `chown`'s and `chgrp`'s file operands are resolved by the host first, and a
// symbolic link that leads out of the root is denied, directly, through a run-time value or
// through xargs; a file inside is changed.
#[test]
fn c24_chmod_through_a_symbolic_link_out_of_the_root_is_denied() {
    use std::os::unix::fs::PermissionsExt as _;
    let outside = workdir("adv-24-outside");
    let canary = outside.join("secret.txt");
    std::fs::write(&canary, "secret\n").unwrap();
    std::fs::set_permissions(&canary, std::fs::Permissions::from_mode(0o644)).unwrap();
    let dir = workdir("adv-24");
    std::os::unix::fs::symlink(&canary, dir.join("link")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("dirlink")).unwrap();
    for script in [
        "chmod 600 link",
        "f=$(echo link); chmod 600 \"$f\"",
        "echo link | xargs chmod 640",
        "chmod -R 700 dirlink",
        "chmod 600 dirlink/secret.txt",
        "chmod --reference=link x",
    ] {
        let f = md(&dir, "r.md", &format!("# R\n\n```bash\n{script}\n```\n"));
        refused(&dir, &f, &[], "a symbolic link leads out of the granted root");
        let mode = std::fs::metadata(&canary).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "`{script}` changed a file outside the root");
    }
    write(&dir, "mine.txt", "x\n");
    let f = md(&dir, "ok.md", "# R\n\n```bash\nchmod 600 mine.txt\n```\n");
    let o = playbook(&dir, &["run", "--yes", "--trace", "off", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(std::fs::metadata(dir.join("mine.txt")).unwrap().permissions().mode() & 0o777, 0o600);
}

//! The `playbook` binary on good and bad input: exit codes, rendered diagnostics, no panics.

use std::path::PathBuf;
use std::process::{Command, Output};

fn playbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook")).args(args).env("NO_COLOR", "1").output().expect("run playbook")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("playbook-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Bad input: exit 1 with the named diagnostic, never a panic.
fn rejects(name: &str, bytes: &[u8], code: &str) {
    let path = temp_file(name, bytes);
    for cmd in ["check", "manifest", "graph"] {
        let o = playbook(&[cmd, path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd} {name}: {err}");
        assert!(err.contains(&format!("playbook::{code}")), "{cmd} {name} should report {code}:\n{err}");
        assert!(!err.contains("panicked"), "{cmd} {name} panicked:\n{err}");
        assert!(o.stdout.is_empty(), "{cmd} {name} must print no manifest or graph on error");
    }
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    rejects("bad.md", b"# T\n```bash\necho \xff\xfe\n```\n", "invalid-utf8");
}

#[test]
fn empty_file_is_a_diagnostic() {
    rejects("empty.md", b"", "empty-runbook");
}

#[test]
fn ten_megabyte_file_is_a_diagnostic() {
    let big = "# Big\n\n```bash\necho hi\n```\n".repeat(10 * 1024 * 1024 / 30);
    rejects("big.md", big.as_bytes(), "too-large");
}

#[test]
fn binary_junk_is_a_diagnostic() {
    // The low byte of each hash.
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0]).collect();
    rejects("junk.bin", &junk, "binary-input");
}

#[test]
fn unterminated_quote_points_at_the_line() {
    let path = temp_file("quote.md", b"# T\n\n```bash\necho 'open\n```\n");
    let o = playbook(&["check", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("playbook::shell-syntax"), "{err}");
    assert!(err.contains("quote.md:4:"), "names file and line:\n{err}");
}

#[test]
fn unclosed_fence_is_an_error_confined_to_its_block() {
    let path = temp_file("fence.md", b"# T\n\n```bash\nls\n```\n\n```bash\nrm -rf data\n\nprose\n");
    let o = playbook(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "check reports it: {}", stderr(&o));
    assert!(stderr(&o).contains("playbook::unclosed-fence"), "{}", stderr(&o));
    // The rest of the file compiles; the unclosed block is a manual step, never run.
    let o = playbook(&["manifest", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let grants = m["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "only the closed block's `ls`: {m}");
    assert!(m["manual"][0]["reason"].as_str().unwrap().contains("never closed"), "{m}");
    assert!(stderr(&o).contains("1 error is confined to blocks that become manual steps"), "{}", stderr(&o));
}

#[test]
fn warnings_alone_exit_zero_and_the_extension_does_not_matter() {
    let path = temp_file("runbook.txt", b"# T\n\n```bash\nsudo systemctl restart docker\n```\n");
    let o = playbook(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 errors, 1 warning"), "{}", stderr(&o));
}

#[test]
fn check_json_lists_diagnostics_with_lines() {
    let path = temp_file("j.md", b"# T\n\n```bash\ncurl --nope http://h/\n```\n");
    let o = playbook(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json on stdout");
    assert_eq!(v["ok"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "unknown-option");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 6);
    assert_eq!(d["severity"], "error");
}

#[test]
fn manifest_and_graph_formats() {
    let path = temp_file("ok.md", b"# T\n\n## Restart\n\n```bash\ndocker restart web\n```\n");
    let p = path.to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&playbook(&["manifest", p, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["manifest_version"], 2);
    assert_eq!(json["grants"][0]["capability"], "docker.container.restart");
    assert_eq!(json["grants"][0]["origin"], "ok.md:6");
    let text = String::from_utf8(playbook(&["manifest", p]).stdout).unwrap();
    assert!(text.contains("WRITE (1)") && text.contains("container=web"), "{text}");
    let mermaid = String::from_utf8(playbook(&["graph", p]).stdout).unwrap();
    assert!(mermaid.starts_with("flowchart TD"), "{mermaid}");
    let dot = String::from_utf8(playbook(&["graph", p, "--format", "dot"]).stdout).unwrap();
    assert!(dot.starts_with("digraph playbook {") && dot.contains("restart"), "{dot}");
    let graph: serde_json::Value = serde_json::from_slice(&playbook(&["graph", p, "--format", "json"]).stdout).unwrap();
    assert_eq!(graph["entry"], "restart");
}

#[test]
fn missing_file_is_a_usage_error() {
    let o = playbook(&["check", "/nonexistent/runbook.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"));
}

fn seed(name: &str) -> PathBuf {
    let dir = std::env::var_os("PLAYBOOK_SEEDS")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds"), PathBuf::from);
    dir.join(name)
}

#[test]
fn compile_is_byte_for_byte_reproducible_across_processes_dirs_and_paths() {
    let text = std::fs::read(seed("003_2bf367caff813517.txt")).expect("seed corpus beside the project");
    let a = temp_file("a-runbook.md", &text);
    let b_dir = std::env::temp_dir().join(format!("playbook-cli-{}-elsewhere/deeper", std::process::id()));
    std::fs::create_dir_all(&b_dir).unwrap();
    let b = b_dir.join("a-runbook.md");
    std::fs::write(&b, &text).unwrap();
    let out_a = a.with_extension("wasm");
    let out_b = b.with_extension("wasm");
    let run_in = |dir: &std::path::Path, input: &std::path::Path, out: &std::path::Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .current_dir(dir)
            .args(["compile", input.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    run_in(a.parent().unwrap(), std::path::Path::new("a-runbook.md"), &out_a);
    run_in(std::path::Path::new("/"), &b, &out_b);
    let (x, y) = (std::fs::read(&out_a).unwrap(), std::fs::read(&out_b).unwrap());
    assert!(x.len() > 1000);
    assert!(x == y, "two compilations differ");
}

#[test]
fn manifest_and_graph_of_the_component_print_the_same_as_the_source() {
    for name in ["000_84719773df260702.txt", "001_0d029be4a4415fdd.txt"] {
        let src = seed(name);
        let out = temp_file(&format!("{name}.wasm"), b"");
        let o = playbook(&["compile", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        for args in [
            ["manifest", "--format", "json"],
            ["manifest", "--format", "text"],
            ["graph", "--format", "json"],
            ["graph", "--format", "mermaid"],
            ["graph", "--format", "dot"],
        ] {
            let from_src = playbook(&[args[0], src.to_str().unwrap(), args[1], args[2]]).stdout;
            let from_wasm = playbook(&[args[0], out.to_str().unwrap(), args[1], args[2]]).stdout;
            assert!(!from_src.is_empty());
            assert_eq!(String::from_utf8_lossy(&from_src), String::from_utf8_lossy(&from_wasm), "{name} {args:?}");
        }
    }
}

#[test]
fn a_wasm_file_that_is_not_a_playbook_is_refused() {
    let path = temp_file("other.wasm", b"\0asm\x01\0\0\0");
    let o = playbook(&["manifest", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a playbook"), "{}", stderr(&o));
}

#[test]
fn manifest_diff_shows_what_a_new_version_gains_and_loses() {
    let old = temp_file("v1.md", b"# T\n\n## A\n\n```bash\ndocker restart web\ncurl -sf http://h/health\n```\n");
    let new = temp_file("v2.md", b"# T\n\n## A\n\n```bash\n# moved down a line\ndocker restart web\ndocker rm -f old\ncurl -sf \"http://h/x?k=$API_TOKEN\"\n```\n");
    let o = playbook(&["manifest", old.to_str().unwrap(), "--diff", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("+ destructive docker.container.rm"), "{text}");
    assert!(text.contains("+ input API_TOKEN (env) SECRET"), "{text}");
    assert!(text.contains("- read        http.request"), "{text}");
    assert!(
        !text.contains("docker.container.restart"),
        "an unchanged grant that moved lines is not a difference:\n{text}"
    );
    let same = playbook(&["manifest", old.to_str().unwrap(), "--diff", old.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(0));
}

#[test]
fn a_policy_with_a_typo_or_a_wrong_type_is_refused_naming_the_key() {
    let rb = temp_file("p.md", b"# P\n\n```bash\necho hi > out.txt\n```\n");
    for (name, policy, key) in [
        ("typo.json", &br#"{"dny": ["fs.*"]}"#[..], "unknown field `dny`"),
        ("type.json", br#"{"deny": "fs.*"}"#, "`deny`"),
        ("version.json", br#"{"version": 9}"#, "version 9"),
    ] {
        let p = temp_file(name, policy);
        let o = playbook(&["run", rb.to_str().unwrap(), "--yes", "--policy", p.to_str().unwrap(), "--trace", "off"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(key), "{name}: {}", stderr(&o));
        assert!(!rb.with_file_name("out.txt").exists(), "{name}: nothing ran");
    }
}

#[test]
fn a_widened_docker_run_is_named_by_manifest_diff() {
    let old = temp_file("old.md", b"# R\n\n```bash\ndocker run -d --name web busybox\n```\n");
    let new = temp_file(
        "new.md",
        b"# R\n\n```bash\ndocker run -d --name web --env-file /outside/s.env --health-cmd 'reboot -f' busybox\n```\n",
    );
    let o = playbook(&["manifest", old.to_str().unwrap(), "--diff", new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "different: {}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("--env-file: (none) → /outside/s.env"), "{out}");
    assert!(out.contains("--health-cmd: (none) → 'reboot -f'"), "{out}");
}

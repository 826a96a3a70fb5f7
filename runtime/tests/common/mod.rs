//! Shared pieces of the end-to-end tests: running `playbook`, work directories, the environment
//! check that fails under `PLAYBOOK_REQUIRE_ENV`, and a real HTTP server on loopback.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("playbook-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn read(dir: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(rel)).ok()
}

/// `playbook ARGS…` in `dir`, no terminal.
pub fn playbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook")).args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap()
}

/// `playbook run --workdir DIR ARGS…` with no terminal.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap()])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Like `run`, with standard output and error in one stream, in the order they were written.
pub fn run_merged(dir: &Path, args: &[&str]) -> Output {
    let log = dir.join(format!("merged-{}.log", std::process::id()));
    let file = std::fs::File::create(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "--workdir", dir.to_str().unwrap()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    let all = std::fs::read(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    Output { status, stdout: all, stderr: Vec::new() }
}

/// `playbook run --workdir DIR ARGS…` on a terminal (a pty from `script`): for each
/// `(question, answer)` in turn, waits until the output shows the question once more, then
/// types the answer. Returns the exit status and everything the terminal showed; `None` when
/// `script` is missing (and `PLAYBOOK_REQUIRE_ENV` is not set).
pub fn on_terminal(dir: &Path, args: &[&str], conversation: &[(&str, &str)]) -> Option<(Option<i32>, String)> {
    if !require("script (util-linux) for a pseudo-terminal", sh("script", &["--version"]).is_some()) {
        return None;
    }
    let quoted: Vec<String> = args.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    let inner =
        format!("exec {} run --workdir '{}' {}", env!("CARGO_BIN_EXE_playbook"), dir.display(), quoted.join(" "));
    let mut child = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let mut out = child.stdout.take().unwrap();
    let shown = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = out.read(&mut buf) {
            shown.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    let mut asked: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (question, answer) in conversation {
        let n = asked.entry(question).or_insert(0);
        *n += 1;
        let want = *n;
        let start = std::time::Instant::now();
        while seen.lock().unwrap().matches(question).count() < want {
            assert!(
                start.elapsed() < Duration::from_mins(1),
                "`{question}` was not asked (time {want}):\n{}",
                seen.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // (The question is printed before the terminal is read: a moment for the read to start.)
        std::thread::sleep(Duration::from_millis(100));
        stdin.write_all(answer.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    let _ = reader.join();
    let text = seen.lock().unwrap().clone();
    Some((status.code(), text))
}

/// Writes `md` as `DIR/NAME` and returns its path.
pub fn runbook(dir: &Path, name: &str, md: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, md).unwrap();
    p.to_str().unwrap().to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Whether an environment the test needs is here. Absent: with `PLAYBOOK_REQUIRE_ENV` set (CI)
/// the test fails; otherwise it says so loudly and the caller returns early.
pub fn require(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    let msg = format!("{what} is not available; start it with tests/env/up (see README)");
    assert!(std::env::var_os("PLAYBOOK_REQUIRE_ENV").is_none(), "PLAYBOOK_REQUIRE_ENV is set and {msg}");
    eprintln!("SKIPPED (environment missing): {msg}");
    false
}

/// Runs a program and returns its stdout, or `None` when it fails.
pub fn sh(program: &str, args: &[&str]) -> Option<String> {
    let o = Command::new(program).args(args).stdin(Stdio::null()).output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// A real HTTP/1.1 server on 127.0.0.1 with routes for the curl contract:
/// `/ok`, `/missing` (404), `/slow` (3 s), `/redirect` (302 to `/ok`), `/away` (302 to another
/// host), `/big` (`PLAYBOOK_BIG` bytes), `/echo` (method, headers and body), `/drop` (closes
/// without answering), `/auth` (401 unless `Authorization: Bearer s3cret`), and a service's
/// `/health/live`, `/health/ready` and `/metrics` (40 lines).
pub struct Server {
    pub port: u16,
    /// Request lines and headers seen, one entry per request.
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start() -> Self {
        Self::start_on("127.0.0.1:0")
    }

    /// On a given address (`127.0.0.2:8080` stands in for a service's own address).
    pub fn start_on(addr: &str) -> Self {
        let listener = TcpListener::bind(addr).unwrap_or_else(|e| panic!("cannot listen on {addr}: {e}"));
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || {
                    let _ = serve(stream, port, &log);
                });
            }
        });
        Self { port, seen }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn respond(s: &mut TcpStream, code: &str, headers: &str, body: &[u8]) -> std::io::Result<()> {
    write!(s, "HTTP/1.1 {code}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n", body.len())?;
    s.write_all(body)
}

fn serve(stream: TcpStream, port: u16, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut r = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        let h = h.trim_end().to_string();
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
        headers.push(h);
    }
    let mut body = vec![0u8; length];
    r.read_exact(&mut body)?;
    log.lock().unwrap().push(format!("{}\n{}", line.trim_end(), headers.join("\n")));
    let mut s = stream;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let text = "Content-Type: text/plain\r\n";
    match path.as_str() {
        p if p == "/ok" || p.starts_with("/ok?") => respond(&mut s, "200 OK", text, b"hello\n"),
        "/missing" => respond(&mut s, "404 Not Found", text, b"not found\n"),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            respond(&mut s, "200 OK", text, b"late\n")
        }
        "/redirect" => respond(&mut s, "302 Found", "Location: /ok\r\n", b"moved\n"),
        "/away" => respond(&mut s, "302 Found", &format!("Location: http://localhost:{port}/ok\r\n"), b"moved\n"),
        "/big" => {
            let n: usize = std::env::var("PLAYBOOK_BIG").ok().and_then(|v| v.parse().ok()).unwrap_or(40 << 20);
            write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n")?;
            let chunk = vec![b'x'; 1 << 16];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len());
                s.write_all(&chunk[..k])?;
                left -= k;
            }
            Ok(())
        }
        p if p == "/echo" || p.starts_with("/echo?") => {
            let mut out = format!("{} {path}\n", line.split_whitespace().next().unwrap_or(""));
            for h in &headers {
                let lower = h.to_ascii_lowercase();
                if lower.starts_with("x-") || lower.starts_with("content-type") || lower.starts_with("authorization") {
                    out.push_str(h);
                    out.push('\n');
                }
            }
            out.push_str(&String::from_utf8_lossy(&body));
            out.push('\n');
            respond(&mut s, "200 OK", text, out.as_bytes())
        }
        p if p == "/auth" || p.starts_with("/api/v1/workflows/") && p.ends_with("/cancel") => {
            if headers.iter().any(|h| h == "Authorization: Bearer s3cret" || h == "authorization: Bearer s3cret") {
                respond(&mut s, "200 OK", text, b"welcome\n")
            } else {
                respond(&mut s, "401 Unauthorized", text, b"who are you\n")
            }
        }
        "/reflect" => {
            // Sends the request's Authorization back in a response header (what `-i` shows).
            let seen = headers.iter().find(|h| h.to_ascii_lowercase().starts_with("authorization:"));
            let seen = seen.and_then(|h| h.split_once(':')).map_or("", |(_, v)| v.trim());
            respond(&mut s, "200 OK", &format!("{text}X-Seen: {seen}\r\n"), b"reflected\n")
        }
        "/drop" => Ok(()),
        "/unavailable" => respond(&mut s, "503 Service Unavailable", text, b"busy\n"),
        "/health/live" => respond(&mut s, "200 OK", text, b"{\"status\":\"live\"}\n"),
        "/health/ready" => respond(&mut s, "200 OK", text, b"{\"status\":\"ready\"}\n"),
        "/metrics" => {
            let lines = (0..40).fold(String::new(), |mut out, i| {
                let _ = writeln!(out, "agent_requests_total{{shard=\"{i}\"}} {}", i * 7);
                out
            });
            respond(&mut s, "200 OK", text, lines.as_bytes())
        }
        _ => respond(&mut s, "404 Not Found", text, b"no route\n"),
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
pub mod crafted;
pub mod kube;
pub mod twin;

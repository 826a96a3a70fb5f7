//! The emitted component run on wasmtime against a recording host: for each construct, the
//! exact sequence of typed calls. The host here is in memory; the real backends are the
//! runtime's. What this proves is that the runbook's logic runs in the guest.

use std::collections::VecDeque;
use std::fmt::Write as _;

use playbook_compiler::{Source, codegen, compile};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

mod bindings {
    wasmtime::component::bindgen!({ path: "../wit/playbook.wit", world: "playbook" });
}

use bindings::playbook::host::types::{Error, Io, Outcome, Setting};
use bindings::playbook::host::{docker, facts, fs, http, kube, operator, process, text};
use playbook_capability::docker::DockerVerb;
use playbook_capability::fs::{FsOp, FsTool};
use playbook_capability::kube::KubeVerb;
use playbook_capability::text::TextTool;

/// Answers to give, in order, per kind of call; unlisted calls succeed with empty output.
#[derive(Default)]
struct Host {
    calls: Vec<String>,
    /// `(prefix of the recorded call, status, stdout)`: the first matching answer is used once.
    answers: VecDeque<(String, i32, String)>,
    /// Calls whose record starts with this are denied.
    deny: Option<String>,
    choice: u32,
    inputs: Vec<(String, String)>,
    pipes: u32,
    /// What was written into each pipe, and the command reading it.
    written: std::collections::HashMap<u32, String>,
    readers: std::collections::HashMap<u32, (String, Io)>,
}

fn opts(o: &[Setting]) -> String {
    o.iter()
        .map(|o| match &o.value {
            None => o.key.clone(),
            Some(v) => format!("{}={v}", o.key),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A request's bound and background flag, as fields of their own.
fn flow(bound: Option<u32>, background: bool) -> String {
    let mut s = String::new();
    if let Some(b) = bound {
        let _ = write!(s, " bound={b}s");
    }
    if background {
        s.push_str(" &");
    }
    s
}

fn env(v: &[bindings::playbook::host::types::Variable]) -> String {
    v.iter().map(|v| format!("{}={}", v.name, v.value)).collect::<Vec<_>>().join(",")
}

impl Host {
    fn answer(&mut self, call: String, io: &Io) -> Result<Outcome, Error> {
        // A command reading a pipe answers once what writes into the pipe has run (`wait`),
        // with what was written as its input.
        if io.stdin_pipe != 0 {
            self.readers.insert(io.stdin_pipe, (call, io.clone()));
            return Ok(Outcome { status: 0, stdout: String::new(), stderr: String::new() });
        }
        let call = if io.stdin.is_empty() { call } else { format!("{call} <{:?}", io.stdin) };
        let call = if io.stdout_pipe == 0 { call } else { format!("{call} >pipe") };
        let call = if io.capture && io.stdout_pipe == 0 { format!("{call} |") } else { call };
        self.calls.push(call.clone());
        if self.deny.as_ref().is_some_and(|d| call.starts_with(d.as_str())) {
            return Err(Error::Denied("not in the manifest".into()));
        }
        if let Some(i) = self.answers.iter().position(|(p, _, _)| call.starts_with(p.as_str())) {
            let (_, status, stdout) = self.answers.remove(i).expect("index in range");
            return Ok(Outcome { status, stdout, stderr: String::new() });
        }
        Ok(Outcome { status: 0, stdout: String::new(), stderr: String::new() })
    }
}

impl bindings::playbook::host::types::Host for Host {}

impl docker::Host for Host {
    fn call(&mut self, r: docker::Request, io: Io) -> Result<Outcome, Error> {
        let verb = DockerVerb::from_index(r.verb as usize).unwrap();
        let call = format!(
            "docker {verb} {:?} [{}] g{}{}",
            r.targets,
            opts(&r.options),
            r.grant,
            flow(r.bound_seconds, r.background)
        );
        self.answer(call, &io)
    }
}

impl kube::Host for Host {
    fn call(&mut self, r: kube::Request, io: Io) -> Result<Outcome, Error> {
        let call = format!(
            "kube {} {:?} {:?} ns={} sel={} [{}] {:?}{}",
            KubeVerb::from_index(r.verb as usize).unwrap(),
            r.resources,
            r.names,
            r.namespace.unwrap_or_default(),
            r.selector.unwrap_or_default(),
            opts(&r.options),
            r.operands,
            flow(r.bound_seconds, r.background)
        );
        self.answer(call, &io)
    }
}

impl http::Host for Host {
    fn send(&mut self, r: http::Request, io: Io) -> Result<Outcome, Error> {
        let call = format!("http {} {} [{}] {:?}", r.method, r.url, opts(&r.options), r.headers);
        self.answer(call, &io)
    }
}

impl fs::Host for Host {
    fn call(&mut self, r: fs::Request, io: Io) -> Result<Outcome, Error> {
        let tool = match FsTool::from_index(r.tool as usize).unwrap() {
            FsTool::RedirectIn => "<".to_string(),
            FsTool::RedirectOut => ">".to_string(),
            FsTool::RedirectAppend => ">>".to_string(),
            t => t.to_string(),
        };
        let op = match FsOp::from_index(r.op as usize).unwrap() {
            FsOp::Stat => "test".to_string(),
            o => o.to_string(),
        };
        let call = format!("fs {op} {tool} {:?}", r.paths);
        self.answer(call, &io)
    }

    fn chdir(&mut self, _grant: u32, path: String) -> Result<Outcome, Error> {
        self.calls.push(format!("fs chdir {path}"));
        Ok(Outcome { status: 0, stdout: String::new(), stderr: String::new() })
    }
}

impl process::Host for Host {
    fn run(&mut self, r: process::Request, io: Io) -> Result<Outcome, Error> {
        let env = env(&r.env);
        let call = format!(
            "process {} {:?}{}{}",
            r.program,
            r.args,
            if env.is_empty() { String::new() } else { format!(" env[{env}]") },
            if r.privileged { " sudo" } else { "" }
        ) + if r.background { " &" } else { "" };
        self.answer(call, &io)
    }
}

impl text::Host for Host {
    fn filter(&mut self, r: text::Request, io: Io) -> Result<Outcome, Error> {
        let tool = TextTool::from_index(r.tool as usize).unwrap();
        let call = format!("text {tool} [{}] {:?}", opts(&r.options), r.operands);
        self.answer(call, &io)
    }
}

impl operator::Host for Host {
    fn step_start(&mut self, id: String, _title: String) -> bool {
        self.calls.push(format!("step {id}"));
        true
    }
    fn step_end(&mut self, _id: String, status: i32) {
        self.calls.push(format!("end {status}"));
    }
    fn print(&mut self, text: String, _to_stderr: bool, secret: bool) {
        self.calls.push(if secret { format!("print secret {text:?}") } else { format!("print {text:?}") });
    }
    fn choose(&mut self, id: String, _title: String, options: Vec<String>) -> Result<u32, Error> {
        self.calls.push(format!("choose {id} {}", options.len()));
        Ok(self.choice)
    }
    fn offer(
        &mut self,
        id: String,
        _title: String,
        why: String,
        _about: String,
        effects: Vec<String>,
    ) -> Result<u32, Error> {
        self.calls.push(format!("offer {id} ({why}) {effects:?}"));
        Ok(self.choice)
    }
    fn require(&mut self, step: String, names: Vec<String>, later: Vec<String>) -> Result<(), Error> {
        self.calls.push(format!("require {step} {names:?} later {later:?}"));
        let lacking = names.iter().any(|n| !self.inputs.iter().any(|(i, _)| i == n));
        if lacking { Err(Error::Denied(format!("{step} lacks inputs"))) } else { Ok(()) }
    }
    fn manual(&mut self, id: String, text: String) -> Result<(), Error> {
        self.calls.push(format!("manual {id} {text:?}"));
        Ok(())
    }
    fn input(&mut self, name: String) -> Result<String, Error> {
        self.calls.push(format!("input {name}"));
        self.inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::Denied(format!("input {name} missing")))
    }
    fn sleep(&mut self, seconds: u32) {
        self.calls.push(format!("sleep {seconds}"));
    }
    fn wait_jobs(&mut self) {
        self.calls.push("wait-jobs".to_string());
    }
}

/// Pipes record what the guest does with them; a reader's outcome is empty.
impl bindings::playbook::host::pipes::Host for Host {
    fn open(&mut self) -> u32 {
        self.pipes += 1;
        self.pipes
    }
    fn write(&mut self, pipe: u32, text: String) -> bool {
        self.written.entry(pipe).or_default().push_str(&text);
        true
    }
    fn close(&mut self, _pipe: u32) {}
    fn wait(&mut self, pipe: u32) -> Result<Outcome, Error> {
        let Some((call, mut io)) = self.readers.remove(&pipe) else {
            return Ok(Outcome { status: 0, stdout: String::new(), stderr: String::new() });
        };
        io.stdin = self.written.remove(&pipe).unwrap_or_default();
        io.stdin_pipe = 0;
        let into = io.stdout_pipe;
        let mut out = self.answer(call, &io)?;
        if into != 0 {
            self.written.entry(into).or_default().push_str(&std::mem::take(&mut out.stdout));
        }
        Ok(out)
    }
}

impl facts::Host for Host {
    fn date(&mut self, args: Vec<String>) -> String {
        self.calls.push(format!("date {args:?}"));
        "20261125\n".into()
    }
    fn hostname(&mut self) -> String {
        "box\n".into()
    }
}

fn component_of(markdown: &str) -> Vec<u8> {
    let c = compile(Source::new("t.md", markdown));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    codegen::emit(&c).expect("emits").component
}

/// Runs a one-block runbook and returns `(exit status, calls)`.
fn run_with(block: &str, host: Host) -> (i32, Vec<String>) {
    run_md(&format!("# T\n\n## S\n\n```bash\n{block}\n```\n"), host)
}

fn run_md(markdown: &str, host: Host) -> (i32, Vec<String>) {
    let bytes = component_of(markdown);
    let engine = Engine::default();
    let component = Component::new(&engine, &bytes).expect("wasmtime compiles the component");
    let mut linker: Linker<Host> = Linker::new(&engine);
    bindings::Playbook::add_to_linker::<Host, HasSelf<Host>>(&mut linker, |h| h).expect("link");
    let mut store = Store::new(&engine, host);
    let pb = bindings::Playbook::instantiate(&mut store, &component, &linker).expect("instantiate");
    let status = pb.call_run(&mut store).expect("run");
    (status, std::mem::take(&mut store.data_mut().calls))
}

fn run(block: &str) -> Vec<String> {
    run_with(block, Host::default()).1
}

fn answering(answers: &[(&str, i32, &str)]) -> Host {
    Host {
        answers: answers.iter().map(|(p, s, o)| ((*p).to_string(), *s, (*o).to_string())).collect(),
        ..Host::default()
    }
}

#[test]
fn or_echoes_only_when_the_request_fails() {
    let ok = run_with("curl -f http://127.0.0.1:8080/health || echo DOWN", answering(&[]));
    assert_eq!(ok.1, ["step s", "http GET http://127.0.0.1:8080/health [fail] []", "end 0"]);
    let down = run_with("curl -f http://127.0.0.1:8080/health || echo DOWN", answering(&[("http", 22, "")]));
    assert_eq!(down.1, ["step s", "http GET http://127.0.0.1:8080/health [fail] []", "print \"DOWN\\n\"", "end 0"]);
}

#[test]
fn and_runs_the_second_only_on_success() {
    let calls = run_with("docker restart web && echo restarted", answering(&[("docker", 1, "")])).1;
    assert_eq!(calls, ["step s", "docker container.restart [\"web\"] [] g0", "end 1"]);
}

#[test]
fn for_over_a_substitution_calls_once_per_id() {
    let host = answering(&[
        ("process ~/.fly/bin/fly [\"machine\", \"list\"", 0, "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]"),
        ("text jq", 0, "a\nb\nc\n"),
    ]);
    let calls = run_with(
        "for m in $(~/.fly/bin/fly machine list -a app -j | jq -r '.[].id'); do\n  ~/.fly/bin/fly machine status \"$m\" -a app\ndone",
        host,
    )
    .1;
    assert_eq!(
        calls,
        [
            "step s",
            // (`jq` reads the pipe `fly` writes into; `$(…)` keeps what `jq` prints.)
            "process ~/.fly/bin/fly [\"machine\", \"list\", \"-a\", \"app\", \"-j\"] >pipe",
            "text jq [raw-output] [\".[].id\"] <\"[{\\\"id\\\":\\\"a\\\"},{\\\"id\\\":\\\"b\\\"},{\\\"id\\\":\\\"c\\\"}]\" |",
            "process ~/.fly/bin/fly [\"machine\", \"status\", \"a\", \"-a\", \"app\"]",
            "process ~/.fly/bin/fly [\"machine\", \"status\", \"b\", \"-a\", \"app\"]",
            "process ~/.fly/bin/fly [\"machine\", \"status\", \"c\", \"-a\", \"app\"]",
            "end 0",
        ]
    );
}

#[test]
fn pipes_feed_output_to_the_next_command() {
    let calls =
        run_with("docker ps | grep web | wc -l", answering(&[("docker", 0, "web\ndb\n"), ("text grep", 0, "web\n")])).1;
    assert_eq!(
        calls,
        [
            // Each writes into the pipe the next reads; the last prints on the terminal itself.
            "step s",
            "docker container.list [] [] g0 >pipe",
            "text grep [] [\"web\"] <\"web\\ndb\\n\" >pipe",
            "text wc [lines] [] <\"web\\n\"",
            "end 0"
        ]
    );
}

#[test]
fn redirections_write_and_append_through_fs() {
    let calls = run_with(
        "echo hello > out.txt\necho more >> out.txt\nwc -l < out.txt",
        answering(&[("fs read", 0, "hello\nmore\n")]),
    )
    .1;
    assert_eq!(
        calls,
        [
            "step s",
            // Each file is opened (created, or emptied by `>`) before its command runs, as bash
            // opens it; the output is written after.
            "fs write > [\"out.txt\"]",
            "fs write > [\"out.txt\"] <\"hello\\n\"",
            "fs append >> [\"out.txt\"]",
            "fs append >> [\"out.txt\"] <\"more\\n\"",
            "fs read < [\"out.txt\"] |",
            "text wc [lines] [] <\"hello\\nmore\\n\" |",
            "print \"\"",
            "end 0"
        ]
    );
}

#[test]
fn variables_export_and_defaults() {
    let calls = run("export LEVEL=debug\nNAME=web\necho \"$NAME ${MISSING:-fallback} $LEVEL\"\n./start.sh");
    assert_eq!(
        calls,
        [
            // (An input with a default is read when the step starts, and never required.)
            "step s",
            "input MISSING",
            "print \"web fallback debug\\n\"",
            "process ./start.sh [] env[LEVEL=debug]",
            "end 0"
        ]
    );
}

#[test]
fn command_substitution_trims_newlines_and_date_is_a_fact() {
    let calls = run("mkdir -p logs/incident-$(date +%Y%m%d)");
    assert_eq!(calls, ["step s", "date [\"+%Y%m%d\"]", "fs mkdir mkdir [\"logs/incident-20261125\"]", "end 0"]);
}

#[test]
fn if_else_and_negation() {
    let src = "if ! curl -sf http://h/health; then\n  echo down\nelse\n  echo up\nfi";
    let up = run_with(src, answering(&[])).1;
    assert_eq!(up[2], "print \"up\\n\"");
    let down = run_with(src, answering(&[("http", 7, "")])).1;
    assert_eq!(down[2], "print \"down\\n\"");
}

#[test]
fn while_with_break() {
    let calls = run_with(
        "while true; do\n  if curl -sf http://h/ready; then break; fi\n  sleep 1\ndone\necho ready",
        answering(&[("http", 7, ""), ("http", 7, "")]),
    )
    .1;
    let https = calls.iter().filter(|c| c.starts_with("http")).count();
    let sleeps = calls.iter().filter(|c| c.starts_with("sleep")).count();
    assert_eq!((https, sleeps), (3, 2), "{calls:#?}");
    assert_eq!(calls[calls.len() - 2], "print \"ready\\n\"");
}

#[test]
fn cd_changes_directory_on_the_host() {
    assert_eq!(run("cd /tmp && ls"), ["step s", "fs chdir /tmp", "fs list ls []", "end 0"]);
}

#[test]
fn exit_stops_the_run_with_its_status() {
    let (status, calls) = run_with("echo a\nexit 3\necho b", Host::default());
    assert_eq!(status, 3);
    assert_eq!(calls, ["step s", "print \"a\\n\""]);
}

#[test]
fn a_denied_call_stops_the_run() {
    let host = Host { deny: Some("docker container.restart".into()), ..Host::default() };
    let (status, calls) = run_md(
        "# T\n\n## One\n\n```bash\ndocker restart web\necho after\n```\n\n## Two\n\n```bash\necho never\n```\n",
        host,
    );
    assert_eq!(status, playbook_capability::component::DENIED_STATUS);
    assert_eq!(calls, ["step one", "docker container.restart [\"web\"] [] g0"]);
}

#[test]
fn choices_are_asked_and_only_the_chosen_branch_runs() {
    let md = "# T\n\n## Fix\n\n### Option 1: Restart\n\n```bash\ndocker restart web\n```\n\n### Option 2: Recreate\n\n```bash\ndocker rm -f web\n```\n\n## Verify\n\n```bash\ncurl -sf http://h/health\n```\n";
    let (_, calls) = run_md(md, Host { choice: 1, ..Host::default() });
    assert_eq!(
        calls,
        [
            "choose fix 2",
            "step fix/option-2-recreate",
            "docker container.rm [\"web\"] [force] g1",
            "end 0",
            "step verify",
            "http GET http://h/health [fail,silent] []",
            "end 0"
        ]
    );
}

#[test]
fn inputs_are_required_before_the_step_that_reads_them_and_a_missing_one_stops() {
    let md = "# T\n\n## S\n\n```bash\n~/.fly/bin/fly machine restart <machine-id> -a app\n```\n";
    let (status, calls) = run_md(md, Host::default());
    let required = "require s [\"machine_id\"] later []".to_string();
    assert_eq!(
        (status, calls),
        (playbook_capability::component::DENIED_STATUS, vec!["step s".to_string(), required.clone()])
    );
    let host = Host { inputs: vec![("machine_id".into(), "m-42".into())], ..Host::default() };
    let (_, calls) = run_md(md, host);
    assert_eq!(calls[..3], ["step s".to_string(), required, "input machine_id".to_string()]);
    assert_eq!(calls[3], "process ~/.fly/bin/fly [\"machine\", \"restart\", \"m-42\", \"-a\", \"app\"]");
}

#[test]
fn a_step_that_needs_no_input_runs_before_one_that_lacks_it_and_the_path_is_named() {
    let md = "# T\n\n## A\n\n```bash\necho start\n```\n\n## B\n\n```bash\necho \"$TOKEN_B\"\n```\n\n## C\n\n```bash\necho <id>\n```\n\n## If it persists\n\n```bash\necho \"$LATER\"\n```\n";
    let (status, calls) = run_md(md, Host::default());
    assert_eq!(status, playbook_capability::component::DENIED_STATUS);
    assert_eq!(
        calls,
        [
            "step a",
            "print \"start\\n\"",
            "end 0",
            "step b",
            // The optional section's input is not part of the path until it is chosen.
            "require b [\"TOKEN_B\"] later [\"id\"]",
        ]
    );
}

#[test]
fn an_optional_section_is_offered_with_its_effects_and_runs_only_when_taken() {
    let md = "# T\n\n## Check\n\n```bash\ndocker ps\n```\n\n## Rollback\n\n```bash\ndocker stop web\ndocker start web-old\n```\n";
    let (_, calls) = run_md(md, Host::default());
    assert_eq!(
        calls,
        [
            "step check",
            "docker container.list [] [] g0",
            "end 0",
            "offer rollback (a rollback) [\"docker.container.stop\", \"docker.container.start\"]",
        ]
    );
    let (_, calls) = run_md(md, Host { choice: 1, ..Host::default() });
    assert_eq!(
        calls[4..],
        [
            "step rollback",
            "docker container.stop [\"web\"] [] g1",
            "docker container.start [\"web-old\"] [] g2",
            "end 0"
        ]
    );
}

#[test]
fn manual_and_bounded_commands() {
    let calls = run("kubectl edit configmap cfg\nkubectl get pods -w");
    assert_eq!(calls[1], "manual s \"kubectl edit configmap cfg\"");
    assert!(calls[2].ends_with(" bound=30s"), "{calls:?}");
}

#[test]
fn sudo_marks_the_process_privileged() {
    assert_eq!(run("sudo systemctl restart docker")[1], "process systemctl [\"restart\", \"docker\"] sudo");
}

#[test]
fn every_corpus_runbook_compiles_to_a_valid_component() {
    for path in playbook_tests::corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = compile(Source::new(path.file_name().unwrap().to_string_lossy(), text));
        let bytes = codegen::emit(&c).unwrap_or_else(|e| panic!("{}: {e}", path.display())).component;
        let engine = Engine::default();
        Component::new(&engine, &bytes).unwrap_or_else(|e| panic!("{}: wasmtime rejects it: {e}", path.display()));
        let sections = playbook_capability::component::read_sections(&bytes).unwrap();
        let manifest: serde_json::Value =
            serde_json::from_str(&sections[playbook_capability::component::sections::MANIFEST]).unwrap();
        assert_eq!(manifest, c.manifest.to_json(&c.source), "{}", path.display());
    }
}

fn component_imports(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::ComponentImportSection(reader)) = payload {
            for import in reader {
                out.push(import.unwrap().name.name.to_string());
            }
        }
    }
    out
}

#[test]
fn the_component_imports_only_what_the_runbook_uses() {
    let imports = component_imports(&component_of("# T\n\n```bash\ndocker restart web\n```\n"));
    let mut ifaces: Vec<&str> = imports.iter().map(String::as_str).filter(|i| !i.ends_with("/types@0.2.0")).collect();
    ifaces.sort_unstable();
    assert_eq!(ifaces, ["playbook:host/docker@0.2.0", "playbook:host/operator@0.2.0"]);
}

#[test]
fn small_runbooks_match_their_wat_golden_files() {
    for (name, md) in [
        ("or-echo", "# T\n\n## Check\n\n```bash\ncurl -f http://127.0.0.1:8080/health || echo DOWN\n```\n"),
        ("for-subst", "# T\n\n## Each\n\n```bash\nfor m in $(cat ids.txt); do docker restart \"$m\"; done\n```\n"),
    ] {
        let c = compile(Source::new(format!("{name}.md"), md));
        let core = codegen::emit(&c).unwrap().core;
        let wat = wasmprinter::print_bytes(&core).unwrap();
        playbook_tests::golden(&playbook_tests::root().join(format!("tests/golden/wat/{name}.wat")), &wat);
    }
}

#[test]
fn generated_runbooks_emit_or_report_but_never_panic() {
    const PIECES: &[&str] = &[
        "docker restart web",
        "curl -sf http://h/x",
        "echo $X",
        "for i in a b; do echo $i; done",
        "if true; then ls; fi",
        "cat f | grep x | wc -l",
        "X=$(date)",
        "echo > out",
        "while false; do break; done",
        "kubectl get pods -n a",
        "sleep 1",
        "exit 2",
        "! true",
        "a=1 ./run.sh",
        "cd /tmp",
        "[ -f x ] && echo y",
        "echo \"$(hostname)\" >> log",
        "<id>",
        "&&",
        "||",
        "|",
        ";",
        "\n",
    ];
    let mut seed: u64 = 7;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut emitted = 0;
    for _ in 0..300 {
        let n = (next() % 8) as usize;
        let body: Vec<&str> =
            (0..n).map(|_| PIECES[usize::try_from(next() % PIECES.len() as u64).expect("below a usize")]).collect();
        let c = compile(Source::new("g.md", format!("# G\n\n```bash\n{}\n```\n", body.join(" "))));
        if c.has_errors() {
            continue;
        }
        codegen::emit(&c).unwrap_or_else(|e| panic!("{body:?}: {e}"));
        emitted += 1;
    }
    assert!(emitted > 50, "only {emitted} generated runbooks compiled");
}

#[test]
fn background_jobs_are_marked_for_the_host() {
    let calls = run("kubectl port-forward deployment/api 8080:8080 &\ncurl -s http://localhost:8080/health/live");
    assert!(calls[1].starts_with("kube port-forward") && calls[1].ends_with(" bound=30s &"), "{calls:?}");
    assert!(calls[2].starts_with("http GET http://localhost:8080/health/live"), "{calls:?}");
    let calls = run("ollama serve &");
    assert_eq!(calls[1], "process ollama [\"serve\"] &");
}

#[test]
fn until_loops_until_the_condition_succeeds() {
    let calls =
        run_with("until curl -sf http://h/ready; do\n  sleep 1\ndone", answering(&[("http", 7, ""), ("http", 7, "")]))
            .1;
    let https = calls.iter().filter(|c| c.starts_with("http")).count();
    let sleeps = calls.iter().filter(|c| c.starts_with("sleep")).count();
    assert_eq!((https, sleeps), (3, 2), "{calls:#?}");
}

#[test]
fn elif_chains_pick_the_first_true_branch() {
    let src = "if curl -sf http://h/a; then\n  echo a\nelif curl -sf http://h/b; then\n  echo b\nelse\n  echo none\nfi";
    let b = run_with(src, answering(&[("http GET http://h/a", 7, "")])).1;
    assert_eq!(b[3], "print \"b\\n\"", "{b:?}");
    let none = run_with(src, answering(&[("http GET http://h/a", 7, ""), ("http GET http://h/b", 7, "")])).1;
    assert_eq!(none[3], "print \"none\\n\"", "{none:?}");
}

#[test]
fn continue_skips_to_the_next_item() {
    let calls = run("for x in a b c; do\n  if [ \"$x\" = b ]; then continue; fi\n  echo $x\ndone");
    let prints: Vec<&String> = calls.iter().filter(|c| c.starts_with("print")).collect();
    // The recording host answers every `test` with success, so every item continues.
    assert!(prints.is_empty(), "{calls:#?}");
    let tests = calls.iter().filter(|c| c.starts_with("text test")).count();
    assert_eq!(tests, 3);
}

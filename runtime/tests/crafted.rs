//! Hand-crafted components, written here in WAT and wrapped with the playbook world: what an
//! attacker who skips the compiler can hand the runtime. Each one is denied, trapped or capped,
//! and its run still ends with a sealed trace that verifies.

mod common;

use std::path::Path;
use std::process::Output;

use common::crafted::{events, from_wat as component, manifest_of, playbook};
use common::{read, text, workdir, write};
use playbook_capability::fs::{FsOp, FsTool};

/// Runs a component with a signing key and returns the output and the trace's events.
fn run_signed(dir: &Path, wasm: &Path) -> (Output, Vec<serde_json::Value>) {
    if !dir.join("ops.key").exists() {
        assert!(playbook(dir, &["keygen", "--out", "ops"]).status.success());
    }
    let o = playbook(
        dir,
        &[
            "run",
            wasm.to_str().unwrap(),
            "--workdir",
            dir.to_str().unwrap(),
            "--yes",
            "--trace",
            "t.jsonl",
            "--key",
            "ops.key",
        ],
    );
    (o, events(&dir.join("t.jsonl")))
}

/// The trace is sealed, signed and verifies with the public key.
fn assert_sealed(dir: &Path) {
    let o = playbook(dir, &["verify", "t.jsonl", "--pubkey", "ops.pub"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("sealed and signed"), "{}", text(&o));
}

fn run_end(ev: &[serde_json::Value]) -> &serde_json::Value {
    ev.iter().rev().find(|e| e["kind"] == "run-end").expect("run-end recorded")
}

/// The canonical ABI of `fs.call`: its parameters (the request: grant, op, tool, paths, dest as
/// an option, options; then io: stdin, capture, merge, discard, secret, stdin-pipe,
/// stdout-pipe) are more than sixteen flat values, so they go in memory, at a pointer, laid out
/// as a record (see `FS_ARGS`); then a return pointer.
const FS_IMPORT: &str = r#"(import "playbook:host/fs@0.2.0" "call" (func $fs (param i32 i32)))"#;

/// `$fs_args`: stores the arguments of `fs.call(grant 0, op, tool, paths (one), dest none,
/// options [], io: stdin "", nothing set, no pipes)` at 4096, by the record layout: grant @0,
/// op @4, tool @5, paths @8, dest @16 (its case) and @20, options @28, stdin @36, the four
/// flags @44..47, stdin-pipe @48, stdout-pipe @52.
const FS_ARGS: &str = r"(func $fs_args (param $op i32) (param $tool i32) (param $paths i32) (result i32)
    (memory.fill (i32.const 4096) (i32.const 0) (i32.const 56))
    (i32.store8 (i32.const 4100) (local.get $op))
    (i32.store8 (i32.const 4101) (local.get $tool))
    (i32.store (i32.const 4104) (local.get $paths))
    (i32.store (i32.const 4108) (i32.const 1))
    (i32.const 4096))";

/// Discriminants of the fs enums, in the WIT's order.
const OP_READ: u32 = 0;
const OP_REMOVE: u32 = 2;
const TOOL_CAT: u32 = 0;
const TOOL_RM: u32 = 4;

/// A bump allocator for the strings the host hands back.
const REALLOC: &str = r#"(global $heap (mut i32) (i32.const 16384))
  (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (local.get $p))"#;

#[test]
fn calls_outside_the_manifest_are_denied_and_recorded() {
    let dir = workdir("crafted-outside");
    write(&dir, "notes.txt", "approved reading\n");
    write(&dir.parent().unwrap().join(format!("crafted-secret-{}", std::process::id())), "s.txt", "top secret\n");
    let manifest = manifest_of("# Notes\n\n```bash\ncat notes.txt\n```\n");
    // grant 0 is `fs.read notes.txt`; the component asks to remove it, then to read a file
    // outside the root, then (honestly) to read it.
    let wat = format!(
        r#"(module
  {FS_IMPORT}
  (memory (export "memory") 4)
  {REALLOC}
  (data (i32.const 1056) "notes.txt")
  (data (i32.const 1072) "\20\04\00\00\09\00\00\00")
  (data (i32.const 1100) "../crafted-secret-{pid}/s.txt")
  (data (i32.const 1160) "\4c\04\00\00\{len:02x}\00\00\00")
  {FS_ARGS}
  ;; fs.call(grant 0, op, tool, paths (one), dest none, options [], io: stdin "", no capture)
  (func $call (param $op i32) (param $tool i32) (param $paths i32)
    (call $fs (call $fs_args (local.get $op) (local.get $tool) (local.get $paths)) (i32.const 2048)))
  (func (export "run") (result i32)
    (call $call (i32.const {OP_REMOVE}) (i32.const {TOOL_RM}) (i32.const 1072))
    (call $call (i32.const {OP_READ}) (i32.const {TOOL_CAT}) (i32.const 1160))
    (call $call (i32.const {OP_READ}) (i32.const {TOOL_CAT}) (i32.const 1072))
    (i32.const 0)))"#,
        pid = std::process::id(),
        len = format!("../crafted-secret-{}/s.txt", std::process::id()).len(),
    );
    let wasm = component(&dir, "outside", &wat, &manifest);
    let (o, ev) = run_signed(&dir, &wasm);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(126), "{out}");
    assert!(out.contains("no grant of the manifest allows fs.remove"), "{out}");
    let at = |op: FsOp| FsOp::ALL.iter().position(|x| *x == op).unwrap();
    let tool = |t: FsTool| FsTool::ALL.iter().position(|x| *x == t).unwrap();
    assert_eq!((at(FsOp::Read), at(FsOp::Remove)), (OP_READ as usize, OP_REMOVE as usize), "the WAT's discriminants");
    assert_eq!((tool(FsTool::Cat), tool(FsTool::Rm)), (TOOL_CAT as usize, TOOL_RM as usize), "the WAT's discriminants");
    assert!(out.contains("approved reading"), "the granted read went through: {out}");
    assert_eq!(read(&dir, "notes.txt").as_deref(), Some("approved reading\n"), "nothing was removed");
    let denied: Vec<&serde_json::Value> = ev.iter().filter(|e| e["kind"] == "denied").collect();
    assert_eq!(denied.len(), 2, "{denied:?}");
    assert!(denied[1]["reason"].as_str().unwrap().contains("climbs out of the granted root"), "{denied:?}");
    assert!(!std::fs::read_to_string(dir.join("t.jsonl")).unwrap().contains("top secret"));
    assert_eq!(run_end(&ev)["denied"], 2);
    assert_sealed(&dir);
}

#[test]
fn an_endless_loop_runs_out_of_fuel_and_the_run_is_sealed() {
    let dir = workdir("crafted-loop");
    let wat = r#"(module (func (export "run") (result i32) (loop $l (br $l)) (i32.const 0)))"#;
    let wasm = component(&dir, "loop", wat, &manifest_of("# Nothing\n\n```bash\necho hi\n```\n"));
    let (o, ev) = run_signed(&dir, &wasm);
    let out = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("ran out of fuel"), "{out}");
    assert_eq!(run_end(&ev)["limit"], "fuel", "{:?}", run_end(&ev));
    assert_sealed(&dir);
}

#[test]
fn unbounded_memory_growth_is_refused_at_the_limit_and_recorded() {
    let dir = workdir("crafted-grow");
    // Grows 1 MiB at a time until refused, then traps.
    let wat = r#"(module (memory 1)
      (func (export "run") (result i32)
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
        unreachable))"#;
    let wasm = component(&dir, "grow", wat, &manifest_of("# Nothing\n\n```bash\necho hi\n```\n"));
    let (o, ev) = run_signed(&dir, &wasm);
    let out = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("limit: the playbook asked for"), "{out}");
    let limit = ev.iter().find(|e| e["kind"] == "limit").expect("limit recorded");
    assert_eq!(limit["limit"], "memory");
    assert!(limit["desired"].as_u64().unwrap() > limit["max"].as_u64().unwrap());
    assert_eq!(run_end(&ev)["limit"], "memory");
    assert!(run_end(&ev)["error"].as_str().unwrap().contains("trapped"), "{:?}", run_end(&ev));
    assert_sealed(&dir);
}

#[test]
fn an_output_flood_is_capped_counted_and_the_trace_stays_small() {
    let dir = workdir("crafted-flood");
    // 1,024 prints of 64 KiB: 64 MiB asked to be shown.
    let wat = r#"(module
      (import "playbook:host/operator@0.2.0" "print" (func $print (param i32 i32 i32 i32)))
      (memory (export "memory") 3)
      (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
      (func (export "run") (result i32) (local $i i32)
        (memory.fill (i32.const 65536) (i32.const 120) (i32.const 65536))
        (loop $l
          (call $print (i32.const 65536) (i32.const 65536) (i32.const 0) (i32.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 1024))))
        (i32.const 0)))"#;
    let wasm = component(&dir, "flood", wat, &manifest_of("# Nothing\n\n```bash\necho hi\n```\n"));
    let (o, ev) = run_signed(&dir, &wasm);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let cap = playbook::host::PRINT_CAP;
    assert!(o.stdout.len() as u64 <= cap, "shown {} bytes", o.stdout.len());
    assert!(o.stdout.len() as u64 >= cap - 65536, "shown {} bytes", o.stdout.len());
    assert!(String::from_utf8_lossy(&o.stderr).contains("the rest is not shown"));
    let limit = ev.iter().find(|e| e["kind"] == "limit").expect("limit recorded");
    assert_eq!(limit["limit"], "output");
    let end = run_end(&ev);
    assert_eq!(end["printed"], 64u64 << 20);
    assert_eq!(end["print_dropped"].as_u64().unwrap() + o.stdout.len() as u64, 64u64 << 20);
    let size = std::fs::metadata(dir.join("t.jsonl")).unwrap().len();
    assert!(size < cap + (2 << 20), "trace of {size} bytes");
    assert_sealed(&dir);
}

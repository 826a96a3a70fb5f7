//! Criterion micro-benchmark of one host call, end to end: a component (hand-written WAT)
//! makes N `fs.call` reads of a granted file, each lifted and lowered by the canonical ABI,
//! checked against the manifest and the policy, and carried out through cap-std. The run with
//! 0 calls is the fixed cost (engine, cached component, instantiation); the difference divided
//! by N is the cost of one call. Traced and untraced.
//!
//! `cargo bench -p playbook --bench host_call` (`-- --quick` for a short run).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use playbook_compiler::codegen;

fn component(calls: u32) -> Vec<u8> {
    let wat = format!(
        r#"(module
  ;; (More than sixteen flat parameters: they go in memory, laid out as a record.)
  (import "playbook:host/fs@0.2.0" "call" (func $fs (param i32 i32)))
  (memory (export "memory") 64)
  (global $heap (mut i32) (i32.const 16384))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (global.set $heap (i32.add (local.get $p) (local.get 3))) (local.get $p))
  (data (i32.const 1056) "notes.txt")
  (data (i32.const 1072) "\20\04\00\00\09\00\00\00")
  (func (export "run") (result i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const {calls})))
      (global.set $heap (i32.const 16384))
      ;; grant 0 @0, op read (0) @4, tool cat (0) @5, paths [notes.txt] @8, dest none @16,
      ;; options [] @28, io @36: stdin "", captured (@44), no pipes (@48, @52)
      (memory.fill (i32.const 4096) (i32.const 0) (i32.const 56))
      (i32.store (i32.const 4104) (i32.const 1072))
      (i32.store (i32.const 4108) (i32.const 1))
      (i32.store8 (i32.const 4140) (i32.const 1))
      (call $fs (i32.const 4096) (i32.const 2048))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.const 0)))"#
    );
    codegen::componentize_core(&wat::parse_str(&wat).unwrap()).unwrap()
}

fn host_call(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("playbook-bench-host-call-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "a note\n").unwrap();
    let compiled =
        playbook_compiler::compile(playbook_compiler::Source::new("n.md", "# N\n\n```bash\ncat notes.txt\n```\n"));
    let manifest = compiled.manifest.document(&compiled.source);
    let opts = |trace: Option<std::path::PathBuf>| playbook::host::Options {
        workdir: dir.clone(),
        policy: playbook::policy::Policy { yes: true, ..Default::default() },
        timeout_secs: 10,
        trace,
        ..Default::default()
    };
    let mut g = c.benchmark_group("one host call (fs read through the gate)");
    for n in [0u32, 1000] {
        let bytes = component(n);
        g.bench_function(format!("run with {n} calls, no trace"), |b| {
            b.iter(|| playbook::run::run(black_box(&bytes), &manifest, opts(None)).unwrap().status);
        });
        let trace = dir.join("t.jsonl");
        g.bench_function(format!("run with {n} calls, traced"), |b| {
            b.iter(|| playbook::run::run(black_box(&bytes), &manifest, opts(Some(trace.clone()))).unwrap().status);
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, host_call);
criterion_main!(benches);

//! Criterion micro-benchmarks of the compiler's stages on the seed runbooks: loading the bytes,
//! Markdown, the graph (shell parsing and typing inside), the manifest, code generation (core
//! module, wit-component, validation) and the whole `compile` + `emit`.
//!
//! `cargo bench -p playbook-compiler --bench stages` (`-- --quick` for a short run). The seeds
//! come from `../shared/seeds` beside the repository, or `$PLAYBOOK_SEEDS`.

// The compiler itself never touches disk, environment or clock (compiler/clippy.toml); its bench
// reads the seed corpus from disk, where `$PLAYBOOK_SEEDS` says.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use playbook_compiler::{Diagnostics, Source, codegen, compile, graph, load, manifest, markdown};

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var("PLAYBOOK_SEEDS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds").to_string());
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed corpus at {dir}: {e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(|c: char| c.is_ascii_digit()))
        .map(|e| (e.file_name().to_string_lossy()[..3].to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

fn stages(c: &mut Criterion) {
    for (name, bytes) in seeds() {
        let mut g = c.benchmark_group(format!("seed {name}"));
        g.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
        g.bench_function("load", |b| b.iter(|| load("s.md", black_box(&bytes)).ok()));
        let source: Source = load("s.md", &bytes).unwrap();
        g.bench_function("markdown", |b| b.iter(|| markdown::parse(black_box(&source), &mut Diagnostics::default())));
        let doc = markdown::parse(&source, &mut Diagnostics::default());
        g.bench_function("graph (shell parse + typing)", |b| {
            b.iter(|| graph::build(black_box(&source), black_box(&doc), &mut Diagnostics::default()));
        });
        let graph = graph::build(&source, &doc, &mut Diagnostics::default());
        g.bench_function("manifest", |b| b.iter(|| manifest::infer(black_box(&source), black_box(&graph), "0")));
        let compiled = compile(source.clone());
        g.bench_function("codegen (core + component + validate)", |b| {
            b.iter(|| codegen::emit_code(black_box(&compiled)).unwrap());
        });
        g.bench_function("compile + emit (all)", |b| {
            b.iter(|| codegen::emit(&compile(black_box(source.clone()))).unwrap());
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);

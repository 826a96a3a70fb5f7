//! In-process timing of one compilation and code generation, cold and warm:
//! `cargo run --release -p playbook-compiler --example compile_timing -- RUNBOOK.md`.
//! A diagnostic aid, not a benchmark.

// The compiler itself never touches disk, environment or clock (compiler/clippy.toml); this tool
// reads a runbook named on its command line and times the compiler with the clock.
#![allow(clippy::disallowed_methods)]

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: compile_timing RUNBOOK.md");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    for i in 0..3 {
        let t = std::time::Instant::now();
        let c = playbook_compiler::compile(playbook_compiler::Source::new(path.clone(), text.clone()));
        let compiled = t.elapsed();
        let emitted = playbook_compiler::codegen::emit(&c).expect("emits");
        println!(
            "run {i}: compile {compiled:?}, + emit {:?} (component {} B, core {} B)",
            t.elapsed().saturating_sub(compiled),
            emitted.component.len(),
            emitted.core.len()
        );
    }
}

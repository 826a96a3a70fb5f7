//! Any bytes as a runbook: loading (UTF-8, size, binary checks), Markdown, the shell parser,
//! typing, the graph and the manifest give a compilation or diagnostics, never a panic. When
//! there are no errors, code generation must produce a component that validates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = playbook_compiler::load("fuzz.md", data) else { return };
    let c = playbook_compiler::compile(source);
    for d in &c.diagnostics {
        // Every diagnostic points into the file.
        assert!(d.span.end <= c.source.text().len(), "{d:?}");
    }
    if !c.has_errors() {
        let emitted = playbook_compiler::codegen::emit(&c).expect("code generation of an error-free runbook");
        let sections = playbook_capability::component::read_sections(&emitted.component).expect("sections");
        let manifest = &sections[playbook_capability::component::sections::MANIFEST];
        // What the compiler writes, the strict reader takes back.
        playbook_compiler::manifest::read(manifest).expect("the compiler's own manifest reads back");
    }
});

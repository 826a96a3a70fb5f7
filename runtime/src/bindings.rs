//! The one `bindgen!` of the runtime: host traits for every interface of `wit/playbook.wit`.

wasmtime::component::bindgen!({
    path: "../wit/playbook.wit",
    world: "playbook",
    imports: { default: async },
    exports: { default: async },
});

pub use playbook::host::types::{Error, Io, Outcome, Setting};

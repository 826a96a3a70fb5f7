//! `playbook`: the command line around the compiler, and the runtime that runs compiled
//! playbooks on wasmtime under their manifest and the operator's policy.
//!
//! Only this crate renders: the compiler returns data and diagnostics, the CLI prints them.

pub mod bindings;
pub mod cli;
pub mod host;
pub mod policy;
pub mod run;
pub mod trace;

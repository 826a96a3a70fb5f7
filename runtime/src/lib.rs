//! `playbook`: the command line around the compiler (and, later, the runtime).
//!
//! Only this crate renders: the compiler returns data and diagnostics, the CLI prints them.

pub mod cli;
pub mod needs;
pub mod policy;

//! Typed requests per family, packed into their WIT records field by field by name: Docker,
//! Kubernetes, HTTP, files, programs and text filters, one file each. Each is the same request
//! the manifest's grants were inferred from.

mod docker;
mod fs;
mod http;
mod kube;
mod process;
mod text;

use super::values::{Fx, Sink, V};

impl Fx<'_, '_> {
    /// Calls a capability import with a request record and `io`, then routes its outcome.
    pub(in crate::codegen) fn send(&mut self, iface: &str, func: &str, req: V, io: V, sink: Sink, print: bool) {
        let started = Self::reads_pipe(&io);
        self.call(iface, func, &[("req", req), ("io", io)]);
        let out = self.outcome();
        // A command reading a pipe has only started: its output is routed after `pipes.wait`.
        if !started {
            self.route(&out, sink, print);
        }
    }
}

/// A request's time bound as the WIT's `option<u32>` (seconds past `i32::MAX` saturate).
fn bound(seconds: Option<u32>) -> V {
    seconds.map_or(V::Opt(None), |s| V::some(V::Const(i32::try_from(s).unwrap_or(i32::MAX))))
}

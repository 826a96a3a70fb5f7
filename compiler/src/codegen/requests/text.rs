//! A pure filter, packed into `text.request` by field name; its file operands are read first.

use playbook_capability::fs::{FsOp, FsRequest, FsTool};
use playbook_capability::text::TextRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::{Simple, Word};

impl Fx<'_, '_> {
    /// A pure filter: its files are read first (each an `fs.read` of its own), then the host
    /// applies the filter and the guest routes the output.
    pub(in crate::codegen) fn text_request(&mut self, s: &Simple, t: &TextRequest<Word>, stdin: &V, sink: Sink) {
        let span = s.span;
        let redirects = s.redirects.clone();
        self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
            let mut input = input.clone();
            if !t.files.is_empty() {
                let (ap, al) = fx.new_buffer();
                for f in &t.files {
                    let empty = fx.g.str("");
                    let read = FsRequest::new(FsOp::Read, FsTool::Cat, vec![f.clone()]);
                    fx.fs_request(span, &read, &empty, Sink::Capture(ap, al), false);
                }
                input = V::pair(ap, al);
            }
            fx.filter(t, &input, sink, merge);
        });
    }

    /// Calls a text filter on `input` and routes what it prints (its file operands are read by
    /// the caller).
    pub(in crate::codegen) fn filter(&mut self, t: &TextRequest<Word>, input: &V, sink: Sink, merge: bool) {
        let tool = self.case("text", "tool", &t.tool.wit_name());
        let options = self.settings(&t.options);
        let operands = self.word_list(&t.operands);
        let env = self.variables(&t.env);
        let req = V::Rec(vec![("tool", tool), ("options", options), ("operands", operands), ("env", env)]);
        // Pure: the host returns the output and the guest decides where it goes.
        let (bp, bl) = (self.b.local(), self.b.local());
        let io = self.io(input, Sink::Capture(bp, bl), merge);
        self.send("text", "filter", req, io, sink, true);
    }
}

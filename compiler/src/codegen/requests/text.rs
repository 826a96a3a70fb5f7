//! A filter, packed into `text.request` by field name; its file operands are read by the
//! filter itself, under the `fs.read` grants they need.

use playbook_capability::text::TextRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::{Simple, Word};

impl Fx<'_, '_> {
    /// A filter: the host runs it on its input or its files and the guest routes the output.
    pub(in crate::codegen) fn text_request(&mut self, s: &Simple, t: &TextRequest<Word>, stdin: &V, sink: Sink) {
        let span = s.span;
        let redirects = s.redirects.clone();
        self.with_redirects(&redirects, span, stdin, sink, |fx, input, sink, merge| {
            let grant = fx.grant(span, "fs.read");
            fx.filter(t, grant, input, sink, merge);
        });
    }

    /// Calls a text filter on `input` (or its files, under `grant`) and routes what it prints.
    pub(in crate::codegen) fn filter(&mut self, t: &TextRequest<Word>, grant: V, input: &V, sink: Sink, merge: bool) {
        let tool = self.case("text", "tool", &t.tool.wit_name());
        let options = self.settings(&t.options);
        let operands = self.word_list(&t.operands);
        let files = self.word_list(&t.files);
        let env = self.variables(&t.env);
        let req = V::Rec(vec![
            ("grant", grant),
            ("tool", tool),
            ("options", options),
            ("operands", operands),
            ("files", files),
            ("env", env),
        ]);
        // Pure: the host returns the output and the guest decides where it goes; into a pipe,
        // or from one to the terminal, the host streams it.
        let (bp, bl) = (self.b.local(), self.b.local());
        let into = match sink {
            Sink::Stream(_) => sink,
            Sink::Terminal if matches!(input, V::Pipe(_)) => sink,
            _ => Sink::Capture(bp, bl),
        };
        let io = self.io(input, into, merge);
        self.send("text", "filter", req, io, sink, true);
    }
}

//! A program request, packed into `process.request` by field name.
use playbook_capability::process::ProcessRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::Word;
use crate::source::Span;

impl Fx<'_, '_> {
    pub(in crate::codegen) fn process_request(
        &mut self,
        span: Span,
        p: &ProcessRequest<Word>,
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let grant = self.grant(span, "process.exec");
        let program = self.word(&p.program);
        let args = self.word_list(&p.args);
        let env = self.variables(&p.env);
        let req = V::Rec(vec![
            ("grant", grant),
            ("program", program),
            ("args", args),
            ("env", env),
            ("privileged", V::bool(p.privileged)),
            ("background", V::bool(p.background)),
        ]);
        let io = self.io(input, sink, merge);
        self.send("process", "run", req, io, sink, false);
    }
}

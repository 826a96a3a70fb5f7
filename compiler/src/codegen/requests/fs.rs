//! A file request, packed into `fs.request` by field name.
use playbook_capability::fs::{FsOp, FsRequest};

use super::super::values::{Fx, Sink, V};
use crate::shell::Word;
use crate::source::Span;

impl Fx<'_, '_> {
    /// A file request; its grant is the one for the capability its first need names.
    pub(in crate::codegen) fn fs_request(
        &mut self,
        span: Span,
        f: &FsRequest<Word>,
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let capability = match f.op {
            FsOp::Copy => "fs.write".to_string(),
            op => format!("fs.{op}"),
        };
        let grant = self.grant(span, &capability);
        let op = self.case("fs", "op", &f.op.wit_name());
        let tool = self.case("fs", "tool", &f.tool.wit_name());
        let paths = self.word_list(&f.paths);
        let dest = self.opt_word(f.dest.as_ref());
        let options = self.settings(&f.options);
        let req = V::Rec(vec![
            ("grant", grant),
            ("op", op),
            ("tool", tool),
            ("paths", paths),
            ("dest", dest),
            ("options", options),
        ]);
        let io = self.io(input, sink, merge);
        self.send("fs", "call", req, io, sink, false);
    }
}

//! An HTTP request, packed into `http.request` by field name.
use playbook_capability::http::HttpRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::Word;
use crate::source::Span;

impl Fx<'_, '_> {
    pub(in crate::codegen) fn http_request(
        &mut self,
        span: Span,
        h: &HttpRequest<Word>,
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let grant = self.grant(span, "http.request");
        let tool = self.case("http", "tool", &h.tool.wit_name());
        let method = self.g.str(&h.method);
        let url = self.word(&h.url);
        let headers = self.word_list(&h.headers);
        let body = self.opt_word(h.body.as_ref());
        let options = self.settings(&h.options);
        let req = V::Rec(vec![
            ("grant", grant),
            ("tool", tool),
            ("method", method),
            ("url", url),
            ("headers", headers),
            ("body", body),
            ("options", options),
        ]);
        let io = self.io(input, sink, merge);
        self.send("http", "send", req, io, sink, false);
    }
}

//! Typed requests per family, packed into their WIT records field by field by name: Docker,
//! Kubernetes, HTTP, files, programs and text filters. Each is the same request the manifest's
//! grants were inferred from.

use playbook_capability::docker::DockerRequest;
use playbook_capability::fs::{FsOp, FsRequest, FsTool};
use playbook_capability::http::HttpRequest;
use playbook_capability::kube::KubeRequest;
use playbook_capability::process::ProcessRequest;
use playbook_capability::text::TextRequest;

use super::values::{Fx, Sink, V};
use crate::shell::{Simple, Word};
use crate::source::Span;

impl Fx<'_, '_> {
    /// Calls a capability import with a request record and `io`, then routes its outcome.
    fn send(&mut self, iface: &str, func: &str, req: V, io: V, sink: Sink, print: bool) {
        self.call(iface, func, &[("req", req), ("io", io)]);
        let out = self.outcome();
        self.route(&out, sink, print);
    }

    fn bound(&mut self, seconds: Option<u32>) -> V {
        seconds.map_or(V::Opt(None), |s| V::some(V::Const(i32::try_from(s).unwrap_or(i32::MAX))))
    }

    pub(super) fn docker_request(&mut self, span: Span, d: &DockerRequest<Word>, input: &V, sink: Sink, merge: bool) {
        let grant = self.grant(span, &d.verb.capability());
        let verb = self.case("docker", "verb", &d.verb.wit_name());
        let targets = self.word_list(&d.targets);
        let options = self.settings(&d.options);
        let image = self.opt_word(d.image.as_ref());
        let command = self.word_list(&d.command);
        let file = self.opt_word(d.compose_file.as_ref());
        let project = self.opt_word(d.project.as_ref());
        let bound = self.bound(d.bound);
        let req = V::Rec(vec![
            ("grant", grant),
            ("verb", verb),
            ("targets", targets),
            ("options", options),
            ("image", image),
            ("command", command),
            ("compose-file", file),
            ("project", project),
            ("bound-seconds", bound),
            ("background", V::bool(d.background)),
        ]);
        let io = self.io(input, sink, merge);
        self.send("docker", "call", req, io, sink, false);
    }

    pub(super) fn kube_request(&mut self, span: Span, k: &KubeRequest<Word>, input: &V, sink: Sink, merge: bool) {
        let grant = self.grant(span, &k.capability());
        let verb = self.case("kube", "verb", &k.verb.wit_name());
        let resources = self.str_list(&k.resources);
        let names = self.word_list(&k.names);
        let selector = self.opt_word(k.selector.as_ref());
        let namespace = self.opt_word(k.namespace.as_ref());
        let options = self.settings(&k.options);
        let operands = self.word_list(&k.operands);
        let bound = self.bound(k.bound);
        let req = V::Rec(vec![
            ("grant", grant),
            ("verb", verb),
            ("resources", resources),
            ("names", names),
            ("selector", selector),
            ("namespace", namespace),
            ("all-namespaces", V::bool(k.all_namespaces)),
            ("options", options),
            ("operands", operands),
            ("bound-seconds", bound),
            ("background", V::bool(k.background)),
        ]);
        let io = self.io(input, sink, merge);
        self.send("kube", "call", req, io, sink, false);
    }

    pub(super) fn http_request(&mut self, span: Span, h: &HttpRequest<Word>, input: &V, sink: Sink, merge: bool) {
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

    /// A file request; its grant is the one for the capability its first need names.
    pub(super) fn fs_request(&mut self, span: Span, f: &FsRequest<Word>, input: &V, sink: Sink, merge: bool) {
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

    pub(super) fn process_request(&mut self, span: Span, p: &ProcessRequest<Word>, input: &V, sink: Sink, merge: bool) {
        let grant = self.grant(span, "process.exec");
        let program = self.word(&p.program);
        let args = self.word_list(&p.args);
        let elem = self.g.abi.type_of("process", "variable");
        let mut env = Vec::new();
        for (name, w) in &p.env {
            let n = self.g.str(name);
            let v = self.word(w);
            env.push(V::Rec(vec![("name", n), ("value", v)]));
        }
        let env = self.list(&elem, &env);
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

    /// A pure filter: its files are read first (each an `fs.read` of its own), then the host
    /// applies the filter and the guest routes the output.
    pub(super) fn text_request(&mut self, s: &Simple, t: &TextRequest<Word>, stdin: &V, sink: Sink) {
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
            fx.filter(&t.tool.wit_name(), &t.options, &t.operands, &input, sink, merge);
        });
    }

    /// Calls a text filter on `input` and routes what it prints.
    pub(super) fn filter(
        &mut self,
        tool: &str,
        options: &[playbook_capability::Setting<Word>],
        operands: &[Word],
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let tool = self.case("text", "tool", tool);
        let options = self.settings(options);
        let operands = self.word_list(operands);
        let req = V::Rec(vec![("tool", tool), ("options", options), ("operands", operands)]);
        // Pure: the host returns the output and the guest decides where it goes.
        let (bp, bl) = (self.b.local(), self.b.local());
        let io = self.io(input, Sink::Capture(bp, bl), merge);
        self.send("text", "filter", req, io, sink, true);
    }
}

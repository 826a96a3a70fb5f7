//! A Docker request, packed into `docker.request` by field name.
use playbook_capability::docker::DockerRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::Word;
use crate::source::Span;

impl Fx<'_, '_> {
    pub(in crate::codegen) fn docker_request(
        &mut self,
        span: Span,
        d: &DockerRequest<Word>,
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let grant = self.grant(span, &d.verb.capability());
        let verb = self.case("docker", "verb", &d.verb.wit_name());
        let targets = self.word_list(&d.targets);
        let options = self.settings(&d.options);
        let image = self.opt_word(d.image.as_ref());
        let command = self.word_list(&d.command);
        let file = self.opt_word(d.compose_file.as_ref());
        let project = self.opt_word(d.project.as_ref());
        let literal = self.word_list(&d.literal);
        let bound = super::bound(d.bound);
        let req = V::Rec(vec![
            ("grant", grant),
            ("verb", verb),
            ("targets", targets),
            ("options", options),
            ("image", image),
            ("command", command),
            ("compose-file", file),
            ("project", project),
            ("literal", literal),
            ("bound-seconds", bound),
            ("background", V::bool(d.background)),
        ]);
        let io = self.io(input, sink, merge);
        self.send("docker", "call", req, io, sink, false);
    }
}

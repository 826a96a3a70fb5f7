//! A Kubernetes request, packed into `kube.request` by field name.
use playbook_capability::kube::KubeRequest;

use super::super::values::{Fx, Sink, V};
use crate::shell::Word;
use crate::source::Span;

impl Fx<'_, '_> {
    pub(in crate::codegen) fn kube_request(
        &mut self,
        span: Span,
        k: &KubeRequest<Word>,
        input: &V,
        sink: Sink,
        merge: bool,
    ) {
        let grant = self.grant(span, &k.capability());
        let verb = self.case("kube", "verb", &k.verb.wit_name());
        let resources = self.str_list(&k.resources);
        let names = self.word_list(&k.names);
        let selector = self.opt_word(k.selector.as_ref());
        let namespace = self.opt_word(k.namespace.as_ref());
        let options = self.settings(&k.options);
        let operands = self.word_list(&k.operands);
        let literal = self.word_list(&k.literal);
        let client = self.case("kube", "client", &k.client.wit_name());
        let bound = super::bound(k.bound);
        let req = V::Rec(vec![
            ("grant", grant),
            ("client", client),
            ("verb", verb),
            ("resources", resources),
            ("names", names),
            ("selector", selector),
            ("namespace", namespace),
            ("all-namespaces", V::bool(k.all_namespaces)),
            ("options", options),
            ("operands", operands),
            ("literal", literal),
            ("bound-seconds", bound),
            ("background", V::bool(k.background)),
        ]);
        let io = self.io(input, sink, merge);
        self.send("kube", "call", req, io, sink, false);
    }
}

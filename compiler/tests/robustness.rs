//! Any text yields a compilation with diagnostics, never a panic: thousands of inputs stitched
//! from Markdown and shell fragments by a fixed-seed generator (reproducible, no dependency).

use playbook_compiler::{Source, compile, load};

const FRAGMENTS: &[&str] = &[
    "```bash\n",
    "```\n",
    "~~~sh\n",
    "```console\n$ ",
    "> ",
    "1. ",
    "- ",
    "# ",
    "## Option 1: x\n",
    "### If y:\n",
    "'",
    "\"",
    "$(",
    ")",
    "`",
    "<id>",
    "<machine-id>",
    "|",
    "&&",
    "||",
    ";",
    "&",
    "\n",
    "\\\n",
    "for x in a b; do ",
    "done",
    "if true; then ",
    "fi",
    "while false; do ",
    "{",
    "}",
    "(",
    "kubectl ",
    "docker ",
    "curl ",
    "-",
    "--",
    "-f ",
    "-n ",
    "http://h/",
    "logs ",
    "get ",
    "rm -rf ",
    "> out ",
    ">> log ",
    "< in ",
    "<<EOF\n",
    "EOF\n",
    "$X",
    "${Y:-z}",
    "$?",
    "sudo ",
    "# OPTION A: a\n",
    "# or\n",
    "é",
    "🚀",
    "\t",
    "  ",
    "=",
    "*",
    "[",
    "]",
    "!",
    // The shapes of real runbooks (issue 16): prompts, output, sessions, placeholders.
    "```\n",
    "```text\n",
    "user@host:~$ ",
    "[root@node-1 ~]# ",
    "sh-4.4# ",
    "pg-1 $ ",
    "postgres=# ",
    "127.0.0.1:6379> ",
    "rs0 [direct: primary] admin> ",
    "(initramfs) ",
    "NAME   READY   STATUS\n",
    "Oct 18 19:39:36 host chronyd[812]: x\n",
    "key: value\n",
    "ssh db-1\n",
    "oc debug node/n\n",
    "kubectl exec -it p -- bash\n",
    "psql -U postgres\n",
    "<pod name from alert>",
    "[problem-namespace]",
    "{{ cluster }}",
    "{{ $labels.x }}",
    "● ",
    "xargs -r ",
    "systemctl restart ",
    "helm uninstall ",
    "ceph osd ",
    "sum(rate(x[5m])) by (h)\n",
    "export A=1\n",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below a usize")
    }
}

#[test]
fn random_runbooks_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let n = rng.below(60);
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        }
        let c = compile(Source::new(format!("r{round}.md"), text.clone()));
        // Every diagnostic span lies inside the text.
        for d in &c.diagnostics {
            assert!(d.span.end <= text.len() && d.span.start <= d.span.end, "bad span {d:?} for {text:?}");
        }
        // Every grant's steps name real nodes.
        for g in &c.manifest.grants {
            for s in &g.steps {
                assert!(c.graph.nodes.iter().any(|n| &n.id == s), "grant step {s} missing for {text:?}");
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..500 {
        let n = rng.below(512);
        // Bits 24..32 of each draw.
        let bytes: Vec<u8> = (0..n).map(|_| rng.next().to_le_bytes()[3]).collect();
        if let Ok(src) = load("b.md", &bytes) {
            let _ = compile(src);
        }
    }
}

/// Markdown made of the fragments above and arbitrary text, as proptest draws it (and shrinks
/// it to the smallest failing input when a property fails).
fn markdown() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        4 => (0..FRAGMENTS.len()).prop_map(|i| FRAGMENTS[i].to_string()),
        1 => "\\PC{0,12}",
        1 => "[a-z0-9./:-]{1,16}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

    /// Any Markdown yields a compilation or diagnostics that point into it; an error-free one
    /// emits a valid component whose manifest the strict reader takes back unchanged.
    #[test]
    fn any_markdown_compiles_or_gets_diagnostics(text in markdown()) {
        let c = compile(Source::new("p.md", text.clone()));
        for d in &c.diagnostics {
            proptest::prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{:?}", d);
            proptest::prop_assert!(!d.message.is_empty());
        }
        if !c.has_errors() {
            let emitted = playbook_compiler::codegen::emit(&c);
            proptest::prop_assert!(emitted.is_ok(), "code generation failed: {:?}", emitted.err());
            let sections = playbook_capability::component::read_sections(&emitted.unwrap().component).unwrap();
            let text = &sections[playbook_capability::component::sections::MANIFEST];
            let back = playbook_capability::manifest::read(text);
            proptest::prop_assert!(back.is_ok(), "{:?}", back.err());
            proptest::prop_assert_eq!(back.unwrap(), c.manifest.document(&c.source));
        }
    }

    /// Any bytes: loaded and compiled, or refused with a diagnostic.
    #[test]
    fn any_bytes_load_or_get_a_diagnostic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
        match load("b.md", &bytes) {
            Ok(src) => { let _ = compile(src); }
            Err((_, diags)) => proptest::prop_assert!(!diags.is_empty()),
        }
    }

    /// A manifest with any field added where none belongs is refused, naming the field.
    #[test]
    fn unknown_manifest_fields_are_refused(key in "[a-z_]{1,12}", at in 0usize..3) {
        let c = compile(Source::new("m.md", "# M\n\n```bash\ncat notes.txt\ndocker restart web\n```\n"));
        let mut m = c.manifest.to_json(&c.source);
        let known: &[&str] = match at {
            0 => &["manifest_version", "playbook", "inputs", "grants", "manual"],
            1 => &["name", "source_file", "source_sha256"],
            _ => &["id", "capability", "effect", "scope", "privileged", "bounded_seconds", "origin", "steps"],
        };
        proptest::prop_assume!(!known.contains(&key.as_str()));
        let target = match at { 0 => &mut m, 1 => &mut m["playbook"], _ => &mut m["grants"][1] };
        target.as_object_mut().unwrap().insert(key.clone(), serde_json::json!(1));
        let err = playbook_capability::manifest::read(&m.to_string()).unwrap_err();
        proptest::prop_assert!(err.contains(&format!("unknown field `{key}`")), "{}", err);
    }
}

/// Found by the property above: a backquote at the end of a file whose last fence is never
/// closed and has no newline put a hint one byte past the end.
#[test]
fn diagnostics_of_a_file_ending_inside_a_fence_stay_inside_it() {
    let text = "```bash\n\"````bash\n\"\"````bash\n`$```bash\n\"";
    let c = compile(Source::new("p.md", text));
    assert!(!c.diagnostics.is_empty());
    for d in &c.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
    }
}

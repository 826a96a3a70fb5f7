//! Code generation: the step graph emitted as a core wasm module (wasm-encoder), wrapped into a
//! component (wit-component) and validated (wasmparser). Custom sections carry the manifest,
//! the graph and the source digest, so `playbook manifest OUT.wasm` needs nothing else.

pub mod abi;
mod arith;
pub mod body;
mod builtins;
mod control;
pub mod helpers;
mod requests;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use wasm_encoder::{
    CodeSection, ConstExpr, CustomSection, DataSection, Encode, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, GlobalSection, GlobalType, ImportSection, Instruction as W, MemorySection, MemoryType, Module,
    TypeSection, ValType,
};

use crate::Compilation;
use crate::graph::{NodeKind, StepGraph};
use abi::{Abi, core_type};
use body::{Body, Callee, Helper, Ins};
use helpers::{G_ERREXIT, G_EXIT_CODE, G_EXITING, G_HEAP, G_LAST, G_NOUNSET, G_PIPEFAIL, G_TRAP};
use values::{Fx, Gen, V};

pub use playbook_capability::component::sections;

/// The parsed WIT world: parsed once per process.
pub static ABI: LazyLock<Abi> = LazyLock::new(Abi::load);

/// Where the return area lives in guest memory.
const RETAREA: u32 = 8;

/// The emitted artefacts.
pub struct Emitted {
    pub core: Vec<u8>,
    pub component: Vec<u8>,
}

/// Emits the component of a compilation without errors.
///
/// # Errors
/// When wit-component or validation rejects the module: a compiler bug, reported as text.
pub fn emit(c: &Compilation) -> Result<Emitted, String> {
    // The JSON of the custom sections is rendered on a second core while the code is generated.
    std::thread::scope(|scope| {
        let payloads = scope.spawn(|| section_payloads(c));
        let emitted = emit_code(c);
        let payloads = payloads.join().map_err(|_| "rendering the custom sections failed".to_string())?;
        emitted.map(|e| Emitted { component: attach(e.component, payloads), core: e.core })
    })
}

/// The component of a compilation without its custom sections: what `attach` completes (tests
/// pair the code of one runbook with the manifest of another to play a hand-crafted component).
///
/// # Errors
/// As `emit`.
pub fn emit_code(c: &Compilation) -> Result<Emitted, String> {
    let abi = &*ABI;
    let mut grants: HashMap<(usize, usize), Vec<(String, u32)>> = HashMap::new();
    for (span, cap, g) in &c.manifest.uses {
        grants.entry((span.start, span.end)).or_default().push((cap.clone(), *g));
    }
    let mut g = Gen::new(abi, &grants, RETAREA);
    g.manual_text = c.manifest.manual.iter().map(|m| ((m.span.start, m.span.end), m.command.clone())).collect();

    let later_needs = later_needs(&c.graph);
    // One function per step (node that is not a choice), then the body of `run`.
    let mut step_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut bodies: Vec<Body> = Vec::new();
    for (i, node) in c.graph.nodes.iter().enumerate() {
        if matches!(node.kind, NodeKind::Choice { .. } | NodeKind::Optional { .. }) {
            continue;
        }
        let mut fx = Fx::new(&mut g, Body::new(vec![], vec![]), node.id.clone());
        let id = fx.g.str(&node.id);
        let title = fx.g.str(&node.title);
        fx.call("operator", "step-start", &[("id", id.clone()), ("title", title)]);
        fx.b.i(W::I32Eqz).i(W::If(wasm_encoder::BlockType::Empty)).i(W::Return).i(W::End);
        // The inputs the step reads, asked for when it is about to run: a missing one stops the
        // run before its first command, naming what this path still needs.
        let needs = &c.graph.needs[i];
        if !needs.is_empty() {
            let required: Vec<String> =
                needs.iter().map(|&k| &c.graph.inputs[k]).filter(|i| i.required).map(|i| i.name.clone()).collect();
            if !required.is_empty() {
                let step = fx.g.str(&node.id);
                let names = fx.str_list(&required);
                let later = fx.str_list(later_needs.get(&i).map_or(&[][..], Vec::as_slice));
                fx.call("operator", "require", &[("step", step), ("names", names), ("later", later)]);
                fx.stop_on_error();
            }
            for &k in needs {
                let input = &c.graph.inputs[k];
                let key = if input.source == "placeholder" {
                    format!("input:{}", input.name)
                } else {
                    format!("var:{}", input.name)
                };
                fx.input(&input.name, &key, input.required);
            }
        }
        match &node.kind {
            NodeKind::Manual { text, .. } => fx.manual(text),
            NodeKind::Step { script } | NodeKind::Wait { script, .. } => fx.lines(script, c.source.text()),
            NodeKind::Choice { .. } | NodeKind::Optional { .. } => unreachable!(),
        }
        let st = V::L(fx.status);
        fx.call("operator", "step-end", &[("id", id), ("status", st)]);
        fx.b.get(fx.status).i(W::GlobalSet(G_LAST));
        fx.b.i(W::End);
        step_of.insert(i, bodies.len());
        bodies.push(fx.b);
    }
    let main = {
        let mut fx = Fx::new(&mut g, Body::new(vec![], vec![]), String::new());
        // The shell's own variables the runbook reads (`$HOME`, `$USER`, …) start as the
        // operator's shell has them; `$PWD` is read where it stands.
        for name in ambient_reads(&c.graph) {
            fx.input(&name, &format!("var:{name}"), false);
        }
        let effects = Effects::of(c);
        sequence(&mut fx, &c.graph, &c.graph.body, &step_of, &effects);
        fx.b.i(W::End);
        fx.b
    };
    let main_index = bodies.len();
    bodies.push(main);
    let traps_index = bodies.len();
    bodies.push(exit_traps(&mut g, &c.graph, c.source.text()));
    let mut run = Body::new(vec![], vec![ValType::I32]);
    run.call(Callee::Step(main_index));
    run.call(Callee::Step(traps_index));
    run.i(W::GlobalGet(G_EXIT_CODE));
    run.i(W::End);
    bodies.push(run);

    let core = assemble(abi, &g, &bodies)?;
    let component = componentize(abi, &core)?;
    Ok(Emitted { core, component })
}

/// For each step, the required inputs of the steps after it on the same path (up to the next
/// choice or optional section, whose branches may not be taken), not its own.
fn later_needs(g: &StepGraph) -> HashMap<usize, Vec<String>> {
    fn go(g: &StepGraph, seq: &[usize], out: &mut HashMap<usize, Vec<String>>) {
        for (k, &n) in seq.iter().enumerate() {
            match &g.nodes[n].kind {
                NodeKind::Choice { branches } => branches.iter().for_each(|b| go(g, &b.body, out)),
                NodeKind::Optional { branch, .. } => go(g, &branch.body, out),
                _ => {
                    let mut later: Vec<String> = Vec::new();
                    for &m in &seq[k + 1..] {
                        if matches!(g.nodes[m].kind, NodeKind::Choice { .. } | NodeKind::Optional { .. }) {
                            break;
                        }
                        for &i in &g.needs[m] {
                            let input = &g.inputs[i];
                            if input.required && !later.contains(&input.name) && !g.needs[n].contains(&i) {
                                later.push(input.name.clone());
                            }
                        }
                    }
                    out.insert(n, later);
                }
            }
        }
    }
    let mut out = HashMap::new();
    go(g, &g.body, &mut out);
    out
}

/// The `trap … EXIT` commands of the runbook, run when the run ends: the one set last (none
/// after `trap - EXIT`), with `$?` the status the run ends with, which it keeps unless the trap
/// calls `exit`. A run stopped by a denial runs none.
fn exit_traps(g: &mut Gen<'_>, graph: &StepGraph, text: &str) -> Body {
    let mut traps: Vec<(i32, crate::shell::Script)> = Vec::new();
    graph.walk(&mut |node| {
        if let Some(script) = StepGraph::script(node) {
            script.visit_simple(&mut |s| {
                if let crate::action::Action::Builtin(b) = &s.action
                    && b.name == "trap"
                    && let Some(w) = b.args.first()
                    && let [crate::shell::Part::Subst { script, .. }] = w.parts.as_slice()
                {
                    traps.push((trap_id(w), (**script).clone()));
                }
            });
        }
    });
    let mut fx = Fx::new(g, Body::new(vec![], vec![]), "exit-trap".to_string());
    if traps.is_empty() {
        fx.b.i(W::End);
        return fx.b;
    }
    fx.b.i(W::GlobalGet(G_TRAP)).i(W::I32Eqz);
    fx.b.i(W::GlobalGet(G_EXITING)).i(W::GlobalGet(G_EXIT_CODE)).c(values::EXIT_DENIED).i(W::I32Eq).i(W::I32And);
    fx.b.i(W::I32Or).i(W::If(wasm_encoder::BlockType::Empty)).i(W::Return).i(W::End);
    let (code, exiting) = (fx.b.local(), fx.b.local());
    fx.b.i(W::GlobalGet(G_EXIT_CODE)).set(code).i(W::GlobalGet(G_EXITING)).set(exiting);
    fx.b.get(code).i(W::GlobalGet(G_LAST)).get(exiting).i(W::Select).set(fx.status);
    let entry = fx.b.local();
    fx.b.get(fx.status).set(entry);
    fx.trap_entry = Some(entry);
    fx.b.c(0).i(W::GlobalSet(G_EXITING));
    let id = fx.g.str("exit-trap");
    let title = fx.g.str("EXIT trap");
    fx.call("operator", "step-start", &[("id", id.clone()), ("title", title)]);
    fx.b.i(W::Drop);
    for (k, script) in &traps {
        fx.b.i(W::GlobalGet(G_TRAP)).c(*k).i(W::I32Eq);
        fx.open(W::If(wasm_encoder::BlockType::Empty));
        fx.b.c(0).i(W::GlobalSet(G_TRAP));
        fx.lines(script, text);
        fx.close();
    }
    fx.call("operator", "step-end", &[("id", id), ("status", V::Const(0))]);
    // An `exit N` in the trap is the run's status (bash: the script's); else the status the
    // run ended with stays.
    fx.b.i(W::GlobalGet(G_EXITING)).i(W::I32Eqz);
    fx.open(W::If(wasm_encoder::BlockType::Empty));
    fx.b.get(code).i(W::GlobalSet(G_EXIT_CODE)).get(exiting).i(W::GlobalSet(G_EXITING));
    fx.close();
    fx.b.i(W::End);
    fx.b
}

/// The id a `trap` command gives its commands: where they are written, plus one.
#[must_use]
pub fn trap_id(w: &crate::shell::Word) -> i32 {
    i32::try_from(w.span.start).unwrap_or(i32::MAX - 1) + 1
}

/// What the steps of a graph may do, for the questions that offer them: the capabilities each
/// node's commands use, and whether it is done by hand.
pub struct Effects<'c> {
    c: &'c Compilation,
}

impl<'c> Effects<'c> {
    #[must_use]
    pub fn of(c: &'c Compilation) -> Self {
        Self { c }
    }

    /// The capabilities the nodes of a sequence use (nested ones included), in the order they
    /// appear, and `by hand` when a manual step is among them.
    #[must_use]
    pub fn of_body(&self, body: &[usize]) -> Vec<String> {
        let g = &self.c.graph;
        let mut spans = Vec::new();
        let mut manual = false;
        let mut stack: Vec<usize> = body.to_vec();
        while let Some(n) = stack.pop() {
            match &g.nodes[n].kind {
                NodeKind::Choice { branches } => stack.extend(branches.iter().flat_map(|b| b.body.iter().copied())),
                NodeKind::Optional { branch, .. } => stack.extend(branch.body.iter().copied()),
                NodeKind::Manual { .. } => manual = true,
                _ => spans.push(g.nodes[n].span),
            }
        }
        let mut uses: Vec<&(crate::source::Span, String, u32)> = self
            .c
            .manifest
            .uses
            .iter()
            .filter(|(s, _, _)| spans.iter().any(|n| n.start <= s.start && s.end <= n.end))
            .collect();
        uses.sort_by_key(|(s, _, _)| s.start);
        let mut out: Vec<String> = Vec::new();
        for (_, cap, _) in uses {
            if !out.contains(cap) {
                out.push(cap.clone());
            }
        }
        if manual {
            out.push("by hand".into());
        }
        out
    }
}

/// Emits a sequence of nodes in `run`'s body: steps are calls, choices ask the operator,
/// optional sections are offered.
fn sequence(
    fx: &mut Fx<'_, '_>,
    graph: &StepGraph,
    seq: &[usize],
    step_of: &BTreeMap<usize, usize>,
    effects: &Effects<'_>,
) {
    for &n in seq {
        let node = &graph.nodes[n];
        if let NodeKind::Optional { why, branch } = &node.kind {
            let id = fx.g.str(&branch.id);
            let title = fx.g.str(&branch.title);
            let why = fx.g.str(why);
            let about = fx.g.str(branch.about.as_deref().unwrap_or_default());
            let list = fx.str_list(&effects.of_body(&branch.body));
            fx.call(
                "operator",
                "offer",
                &[("id", id), ("title", title), ("why", why), ("about", about), ("effects", list)],
            );
            let picked = fx.result_u32_or_stop();
            fx.b.get(picked);
            fx.b.i(W::If(wasm_encoder::BlockType::Empty));
            sequence(fx, graph, &branch.body, step_of, effects);
            fx.b.i(W::End);
        } else if let NodeKind::Choice { branches } = &node.kind {
            let id = fx.g.str(&node.id);
            let title = fx.g.str(&node.title);
            // `id TAB title`, and `TAB about` when the branch has prose: what the menu shows.
            let labels: Vec<String> = branches
                .iter()
                .map(|b| match &b.about {
                    Some(a) => format!("{}\t{}\t{a}", b.id, b.title),
                    None => format!("{}\t{}", b.id, b.title),
                })
                .collect();
            let list = fx.str_list(&labels);
            fx.call("operator", "choose", &[("id", id), ("title", title), ("options", list)]);
            let picked = fx.result_u32_or_stop();
            for (k, b) in branches.iter().enumerate() {
                fx.b.get(picked).c(i32::try_from(k).expect("few branches")).i(W::I32Eq);
                fx.b.i(W::If(wasm_encoder::BlockType::Empty));
                sequence(fx, graph, &b.body, step_of, effects);
                fx.b.i(W::End);
            }
        } else {
            fx.b.call(Callee::Step(step_of[&n]));
            fx.b.i(W::GlobalGet(G_EXITING)).i(W::If(wasm_encoder::BlockType::Empty)).i(W::Return).i(W::End);
        }
    }
}

fn align(n: u32, a: u32) -> u32 {
    n.div_ceil(a) * a
}

/// Lays out memory and assembles the core module.
fn assemble(abi: &Abi, g: &Gen<'_>, bodies: &[Body]) -> Result<Vec<u8>, String> {
    let imports: Vec<(String, String)> = g.used_imports.iter().cloned().collect();
    let import_index: HashMap<(String, String), u32> =
        imports.iter().enumerate().map(|(i, k)| (k.clone(), u32::try_from(i).expect("few imports"))).collect();
    let n_imports = u32::try_from(imports.len()).expect("few imports");
    // Only the helpers the code calls (and those they call, and `cabi_realloc`) are emitted.
    let all_helpers: Vec<(Helper, Body)> =
        Helper::ALL.iter().map(|h| (*h, helpers::body(*h, RETAREA, &abi.layouts))).collect();
    let mut used: std::collections::BTreeSet<Helper> = std::collections::BTreeSet::from([Helper::Realloc]);
    let calls = |b: &Body, used: &mut std::collections::BTreeSet<Helper>| {
        for ins in &b.ins {
            if let Ins::Call(Callee::Helper(h)) = ins {
                used.insert(*h);
            }
        }
    };
    for b in bodies {
        calls(b, &mut used);
    }
    loop {
        let before = used.len();
        for (h, b) in &all_helpers {
            if used.contains(h) {
                calls(b, &mut used);
            }
        }
        if used.len() == before {
            break;
        }
    }
    let helper_bodies: Vec<Body> = all_helpers.into_iter().filter(|(h, _)| used.contains(h)).map(|(_, b)| b).collect();
    let emitted: Vec<Helper> = Helper::ALL.iter().copied().filter(|h| used.contains(h)).collect();
    let helper_index = |h: Helper| {
        n_imports + u32::try_from(emitted.iter().position(|x| *x == h).expect("an emitted helper")).expect("few")
    };
    let first_step = n_imports + u32::try_from(emitted.len()).expect("few");

    let vars_base = align(RETAREA + abi.layouts.retarea_size.max(8), 8);
    let pool_base = align(vars_base + 8 * u32::try_from(g.vars.len()).expect("few vars"), 8);
    let heap_base = align(pool_base + u32::try_from(g.pool.len()).map_err(|_| "string pool too large")?, 16);

    let mut types = TypeSection::new();
    let mut type_index: HashMap<(Vec<ValType>, Vec<ValType>), u32> = HashMap::new();
    let mut intern_type = |types: &mut TypeSection, params: Vec<ValType>, results: Vec<ValType>| -> u32 {
        let key = (params.clone(), results.clone());
        if let Some(&i) = type_index.get(&key) {
            return i;
        }
        let i = u32::try_from(type_index.len()).expect("few types");
        types.ty().function(params, results);
        type_index.insert(key, i);
        i
    };

    let mut import_section = ImportSection::new();
    for key in &imports {
        let imp = &abi.imports[key];
        let params: Vec<ValType> = imp.sig.params.iter().map(|t| core_type(*t)).collect();
        let results: Vec<ValType> = imp.sig.results.iter().map(|t| core_type(*t)).collect();
        let ti = intern_type(&mut types, params, results);
        import_section.import(&imp.module, &imp.name, EntityType::Function(ti));
    }
    let mut functions = FunctionSection::new();
    let mut code = CodeSection::new();
    for b in helper_bodies.iter().chain(bodies) {
        let ti = intern_type(&mut types, b.params.clone(), b.results.clone());
        functions.function(ti);
        let mut f = Function::new_with_locals_types(b.locals.clone());
        for ins in &b.ins {
            match ins {
                Ins::I(i) => {
                    f.instruction(i);
                }
                Ins::Call(Callee::Import(i, n)) => {
                    f.instruction(&W::Call(import_index[&(i.clone(), n.clone())]));
                }
                Ins::Call(Callee::Helper(h)) => {
                    f.instruction(&W::Call(helper_index(*h)));
                }
                Ins::Call(Callee::Step(s)) => {
                    f.instruction(&W::Call(first_step + u32::try_from(*s).expect("few steps")));
                }
                Ins::VarAddr(slot) => {
                    f.instruction(&W::I32Const(i32::try_from(vars_base + 8 * slot).expect("small")));
                }
                Ins::PoolAddr(o) => {
                    f.instruction(&W::I32Const(i32::try_from(pool_base + o).expect("small")));
                }
            }
        }
        code.function(&f);
    }
    let run_index = first_step + u32::try_from(bodies.len() - 1).expect("few");

    let mut memory = MemorySection::new();
    memory.memory(MemoryType {
        minimum: u64::from(heap_base / 65536 + 1),
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    let mutable = GlobalType { val_type: ValType::I32, mutable: true, shared: false };
    for (index, init) in [
        (G_HEAP, heap_base),
        (G_EXITING, 0),
        (G_EXIT_CODE, 0),
        (G_ERREXIT, 0),
        (G_PIPEFAIL, 0),
        (G_NOUNSET, 0),
        (G_TRAP, 0),
        (G_LAST, 0),
    ] {
        let _ = index;
        globals.global(mutable, &ConstExpr::i32_const(i32::try_from(init).expect("small")));
    }
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("cabi_realloc", ExportKind::Func, helper_index(Helper::Realloc));
    exports.export("run", ExportKind::Func, run_index);
    let mut data = DataSection::new();
    if !g.pool.is_empty() {
        data.active(0, &ConstExpr::i32_const(i32::try_from(pool_base).expect("small")), g.pool.iter().copied());
    }

    let mut module = Module::new();
    module.section(&types);
    module.section(&import_section);
    module.section(&functions);
    module.section(&memory);
    module.section(&globals);
    module.section(&exports);
    module.section(&code);
    module.section(&data);
    // The core module is validated as part of the component (see `componentize`).
    Ok(module.finish())
}

/// Wraps a core module that imports the playbook world into a validated component.
///
/// # Errors
/// When wit-component or wasmparser rejects the module.
pub fn componentize_core(core: &[u8]) -> Result<Vec<u8>, String> {
    componentize(&ABI, core)
}

fn componentize(abi: &Abi, core: &[u8]) -> Result<Vec<u8>, String> {
    let mut module = core.to_vec();
    wit_component::embed_component_metadata(
        &mut module,
        &abi.resolve,
        abi.world,
        wit_component::StringEncoding::UTF8,
        false,
    )
    .map_err(|e| format!("embedding the WIT world: {e:#}"))?;
    let component = wit_component::ComponentEncoder::default()
        .module(&module)
        .map_err(|e| format!("reading the core module: {e:#}"))?
        // Validated once below, with wasmparser directly.
        .validate(false)
        .encode()
        .map_err(|e| format!("encoding the component: {e:#}"))?;
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::default())
        .validate_all(&component)
        .map_err(|e| format!("emitted component is invalid: {e}"))?;
    Ok(component)
}

/// The manifest, graph and source digest as compact JSON, by section name. Text, Mermaid and
/// DOT are rendered from these documents, so they need no sections of their own.
fn section_payloads(c: &Compilation) -> Vec<(&'static str, Vec<u8>)> {
    let source = serde_json::json!({ "file": c.source.file_name(), "sha256": c.manifest.source_sha256 });
    [
        (sections::MANIFEST, c.manifest.to_json(&c.source)),
        (sections::GRAPH, crate::render::graph_document(c)),
        (sections::SOURCE, source),
    ]
    .into_iter()
    .map(|(name, value)| (name, serde_json::to_vec(&value).unwrap_or_default()))
    .collect()
}

/// Appends custom sections to a component.
#[must_use]
pub fn attach(mut component: Vec<u8>, payloads: Vec<(&str, Vec<u8>)>) -> Vec<u8> {
    for (name, data) in payloads {
        let section = CustomSection { name: name.into(), data: std::borrow::Cow::Owned(data) };
        component.push(0);
        section.encode(&mut component);
    }
    component
}

/// The variables every shell has that the runbook reads, from the operator's environment (and
/// `HOSTNAME`, `UID` from the host), in a stable order.
fn ambient_reads(graph: &crate::graph::StepGraph) -> Vec<String> {
    use crate::shell::Part;
    let mut names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let visit = |w: &crate::shell::Word, names: &mut std::collections::BTreeSet<String>| {
        w.visit_vars(&mut |p| {
            if let Part::Var { name, .. } = p
                && crate::graph::AMBIENT_ENV.contains(&name.as_str())
            {
                names.insert(name.clone());
            }
            if let Part::Arith { expr, .. } = p {
                let mut reads = Vec::new();
                expr.reads(&mut reads);
                names.extend(reads.into_iter().filter(|n| crate::graph::AMBIENT_ENV.contains(&n.as_str())));
            }
        });
    };
    graph.walk(&mut |node| {
        if let Some(script) = crate::graph::StepGraph::script(node) {
            script.visit_simple(&mut |s| {
                for w in s
                    .action
                    .words()
                    .into_iter()
                    .chain(s.assignments.iter().map(|(_, w)| w))
                    .chain(&s.argv)
                    .chain(s.redirects.iter().map(|r| &r.target))
                {
                    visit(w, &mut names);
                }
            });
        }
    });
    names.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime reads an enum by its discriminant and the vocabulary's `ALL` order, and the
    /// emitter writes it by case name: both hold only while the WIT lists the same cases in the
    /// same order.
    #[test]
    fn wit_enums_list_the_vocabulary_in_its_order() {
        use playbook_capability::{docker, fs, http, kube, text};
        fn names<T: Copy>(all: &[T], wit: fn(T) -> String) -> Vec<String> {
            all.iter().map(|v| wit(*v)).collect()
        }
        let cases = [
            ("docker", "verb", names(docker::DockerVerb::ALL, docker::DockerVerb::wit_name)),
            ("kube", "verb", names(kube::KubeVerb::ALL, kube::KubeVerb::wit_name)),
            ("kube", "client", names(kube::KubeClient::ALL, kube::KubeClient::wit_name)),
            ("http", "tool", names(http::HttpTool::ALL, http::HttpTool::wit_name)),
            ("fs", "op", names(fs::FsOp::ALL, fs::FsOp::wit_name)),
            ("fs", "tool", names(fs::FsTool::ALL, fs::FsTool::wit_name)),
            ("text", "tool", names(text::TextTool::ALL, text::TextTool::wit_name)),
        ];
        for (iface, name, vocabulary) in cases {
            assert_eq!(ABI.enum_cases(iface, name), vocabulary, "{iface}.{name}");
        }
    }

    /// Every builtin the classifier accepts is carried out by the emitter; the others are
    /// refused with a diagnostic. Nothing compiles to nothing.
    #[test]
    fn every_builtin_is_emitted_or_refused() {
        for name in crate::action::builtin::BUILTINS {
            let md = format!("# T\n\n```bash\nfor x in a; do {name} 1; done\n```\n");
            let c = crate::compile(crate::Source::new("t.md", md));
            if c.has_errors() {
                continue;
            }
            assert!(emit(&c).is_ok(), "`{name}` compiles but is not emitted");
        }
        for refused in ["set -o xtrace", "wait $!", "set -x", "trap 'x' INT", "eval ls", "shopt -s nullglob"] {
            let c = crate::compile(crate::Source::new("t.md", format!("# T\n\n```bash\n{refused}\n```\n")));
            assert!(c.has_errors(), "`{refused}` must be refused, not compiled to nothing");
        }
    }

    /// The hand-written lowering agrees with wit-parser: every import the module declares has
    /// exactly the core signature `wasm_signature(GuestImport)` gives, and the return-area
    /// offsets are the canonical ones.
    #[test]
    fn imports_match_wasm_signature_and_layouts_match_size_align() {
        let md = "# T\n\n## A\n\n```bash\ndocker logs web | grep -i error > errors.txt\nkubectl get pods -n x\ncurl -sf http://h/\n./x.sh\ncd /tmp\nsleep 1\ndate\nhostname\n```\n\n## B\n\n```bash\n~/fly restart <id>\n```\n";
        let c = crate::compile(crate::Source::new("t.md", md));
        let core = emit(&c).unwrap().core;
        let mut types = Vec::new();
        let mut checked = 0;
        for payload in wasmparser::Parser::new(0).parse_all(&core) {
            match payload.unwrap() {
                wasmparser::Payload::TypeSection(r) => {
                    for rec in r {
                        for sub in rec.unwrap().into_types() {
                            if let wasmparser::CompositeInnerType::Func(f) = &sub.composite_type.inner {
                                types.push(f.clone());
                            }
                        }
                    }
                }
                wasmparser::Payload::ImportSection(r) => {
                    for imp in r.into_imports() {
                        let imp = imp.unwrap();
                        let wasmparser::TypeRef::Func(ti) = imp.ty else { panic!("only functions are imported") };
                        let f = &types[ti as usize];
                        let (iface, _) = imp.module.trim_start_matches("playbook:host/").split_once('@').unwrap();
                        let expected = &ABI.imports[&(iface.to_string(), imp.name.to_string())].sig;
                        let params: Vec<ValType> = expected.params.iter().map(|t| core_type(*t)).collect();
                        let results: Vec<ValType> = expected.results.iter().map(|t| core_type(*t)).collect();
                        let got_params: Vec<ValType> = f.params().iter().map(|_| ValType::I32).collect();
                        assert!(f.params().iter().all(|t| *t == wasmparser::ValType::I32));
                        assert_eq!(got_params, params, "{}.{}", imp.module, imp.name);
                        assert_eq!(f.results().len(), results.len(), "{}.{}", imp.module, imp.name);
                        checked += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(checked >= 9, "checked {checked} imports");
        let l = ABI.layouts;
        // result<outcome, error>: u8 tag, payload at 4; outcome = { s32, string, string }.
        assert_eq!((l.result_payload, l.outcome_status, l.outcome_stdout, l.outcome_stderr), (4, 0, 4, 12));
        assert_eq!((l.error_payload, l.result_u32_payload, l.result_string_payload), (4, 4, 4));
        // The docker request travels by pointer (more than 16 flat values); io is flat.
        assert!(ABI.imports[&("docker".to_string(), "call".to_string())].sig.indirect_params);
        assert!(!ABI.imports[&("operator".to_string(), "print".to_string())].sig.indirect_params);
    }
}

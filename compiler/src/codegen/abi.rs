//! Canonical-ABI lowering for the playbook world, written by hand and driven by wit-parser's
//! `SizeAlign` and `wasm_signature`, so every offset and signature comes from the WIT itself.

use std::collections::BTreeMap;

use wit_parser::abi::{AbiVariant, WasmSignature, WasmType};
use wit_parser::{Function, Int, Resolve, SizeAlign, Type, TypeDefKind, WorldId, WorldItem, WorldKey};

/// The WIT world, compiled into the compiler.
pub const WIT: &str = include_str!("../../../wit/playbook.wit");
pub const PACKAGE: &str = "playbook:host";
pub const VERSION: &str = "0.2.0";

/// One imported function: its core module and field names, and its core signature.
#[derive(Clone, Debug)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub func: Function,
    pub sig: WasmSignature,
}

/// Byte offsets inside return areas, taken from `SizeAlign`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layouts {
    /// `result<outcome, error>`: where either payload starts.
    pub result_payload: u32,
    pub outcome_status: u32,
    pub outcome_stdout: u32,
    pub outcome_stderr: u32,
    /// `error`: where the message string starts, after its discriminant.
    pub error_payload: u32,
    /// `result<u32, error>` and `result<string, error>` payload offsets.
    pub result_u32_payload: u32,
    pub result_string_payload: u32,
    /// Size of the largest return area any import needs.
    pub retarea_size: u32,
}

/// The parsed world with sizes: what the emitter lowers against.
pub struct Abi {
    pub resolve: Resolve,
    pub world: WorldId,
    pub sizes: SizeAlign,
    /// Keyed by `(interface, function)`, e.g. `("docker", "call")`.
    pub imports: BTreeMap<(String, String), Import>,
    pub layouts: Layouts,
}

fn arch(a: wit_parser::ArchitectureSize) -> u32 {
    u32::try_from(a.size_wasm32()).expect("small offsets")
}

impl Abi {
    /// Parses the embedded WIT.
    ///
    /// # Panics
    /// Only if the embedded WIT is malformed, which the test suite rules out.
    #[must_use]
    pub fn load() -> Self {
        let mut resolve = Resolve::default();
        let pkg = resolve.push_str("playbook.wit", WIT).expect("embedded WIT parses");
        let world = resolve.select_world(&[pkg], Some("playbook")).expect("world playbook");
        let mut sizes = SizeAlign::default();
        sizes.fill(&resolve).expect("sizes");
        let mut imports = BTreeMap::new();
        for (key, item) in &resolve.worlds[world].imports {
            let (WorldKey::Interface(id), WorldItem::Interface { .. }) = (key, item) else { continue };
            let iface = &resolve.interfaces[*id];
            let iname = iface.name.clone().expect("named interface");
            for (fname, func) in &iface.functions {
                let sig = resolve.wasm_signature(AbiVariant::GuestImport, func);
                imports.insert(
                    (iname.clone(), fname.clone()),
                    Import {
                        module: format!("{PACKAGE}/{iname}@{VERSION}"),
                        name: fname.clone(),
                        func: func.clone(),
                        sig,
                    },
                );
            }
        }
        let mut abi = Self { resolve, world, sizes, imports, layouts: Layouts::default() };
        abi.layouts = abi.compute_layouts();
        abi
    }

    fn named(&self, iface: &str, ty: &str) -> Type {
        let id = self
            .resolve
            .interfaces
            .iter()
            .find(|(_, i)| i.name.as_deref() == Some(iface))
            .and_then(|(_, i)| i.types.get(ty).copied())
            .unwrap_or_else(|| panic!("type {iface}.{ty} in WIT"));
        Type::Id(id)
    }

    fn compute_layouts(&self) -> Layouts {
        let outcome = self.named("types", "outcome");
        let error = self.named("types", "error");
        let fields = self.record_fields(&outcome);
        let offs = self.sizes.field_offsets(fields.iter());
        let result_payload = arch(self.sizes.payload_offset(Int::U8, [Some(&outcome), Some(&error)]));
        let error_payload = arch(self.sizes.payload_offset(Int::U8, [Some(&Type::String), Some(&Type::String)]));
        let result_u32_payload = arch(self.sizes.payload_offset(Int::U8, [Some(&Type::U32), Some(&error)]));
        let result_string_payload = arch(self.sizes.payload_offset(Int::U8, [Some(&Type::String), Some(&error)]));
        let retarea_size = self
            .imports
            .values()
            .filter_map(|i| i.func.result.as_ref())
            .map(|t| arch(self.sizes.size(t)))
            .max()
            .unwrap_or(0);
        Layouts {
            result_payload,
            outcome_status: arch(offs[0].0),
            outcome_stdout: arch(offs[1].0),
            outcome_stderr: arch(offs[2].0),
            error_payload,
            result_u32_payload,
            result_string_payload,
            retarea_size,
        }
    }

    /// The field types of a record type (following aliases).
    #[must_use]
    pub fn record_fields(&self, ty: &Type) -> Vec<Type> {
        match ty {
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::Record(r) => r.fields.iter().map(|f| f.ty).collect(),
                TypeDefKind::Type(t) => self.record_fields(t),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// What shape a type has for lowering.
    ///
    /// # Panics
    /// When the type is one the playbook world does not use: a compiler bug the test suite rules out.
    #[must_use]
    pub fn shape(&self, ty: &Type) -> Shape {
        match ty {
            Type::Bool | Type::U8 | Type::S8 => Shape::Byte,
            Type::U32 | Type::S32 | Type::U16 | Type::S16 | Type::Char => Shape::Word,
            Type::String => Shape::Pair,
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::List(_) => Shape::Pair,
                TypeDefKind::Record(r) => Shape::Record(r.fields.iter().map(|f| (f.name.clone(), f.ty)).collect()),
                // Fewer than 256 cases: a one-byte discriminant.
                TypeDefKind::Enum(e) if e.cases.len() <= 256 => Shape::Byte,
                TypeDefKind::Option(t) => Shape::Option(*t, arch(self.sizes.payload_offset(Int::U8, [None, Some(t)]))),
                TypeDefKind::Type(t) => self.shape(t),
                other => panic!("type not used by the playbook world: {other:?}"),
            },
            other => panic!("type not used by the playbook world: {other:?}"),
        }
    }

    /// A named type of an interface (`("docker", "request")`).
    #[must_use]
    pub fn type_of(&self, iface: &str, name: &str) -> Type {
        self.named(iface, name)
    }

    /// The discriminant of an enum case, by name: the emitter never counts positions itself.
    ///
    /// # Panics
    /// When the WIT has no such case: a compiler bug the test suite rules out.
    #[must_use]
    pub fn enum_case(&self, iface: &str, name: &str, case: &str) -> i32 {
        let Type::Id(id) = self.named(iface, name) else { panic!("{iface}.{name} is an enum") };
        let TypeDefKind::Enum(e) = &self.resolve.types[id].kind else { panic!("{iface}.{name} is an enum") };
        let at =
            e.cases.iter().position(|c| c.name == case).unwrap_or_else(|| panic!("{iface}.{name} has no case {case}"));
        i32::try_from(at).expect("few cases")
    }

    /// The cases of an enum, in order.
    #[must_use]
    pub fn enum_cases(&self, iface: &str, name: &str) -> Vec<String> {
        let Type::Id(id) = self.named(iface, name) else { return Vec::new() };
        match &self.resolve.types[id].kind {
            TypeDefKind::Enum(e) => e.cases.iter().map(|c| c.name.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Size and alignment of a type in linear memory.
    ///
    /// # Panics
    /// When a size or an alignment exceeds `u32`, which no wasm32 layout does.
    #[must_use]
    pub fn size_align(&self, ty: &Type) -> (u32, u32) {
        (arch(self.sizes.size(ty)), u32::try_from(self.sizes.align(ty).align_wasm32()).expect("small"))
    }

    /// Offsets of the fields of a record (or of a parameter list laid out as one).
    #[must_use]
    pub fn offsets(&self, fields: &[Type]) -> Vec<u32> {
        self.sizes.field_offsets(fields.iter()).into_iter().map(|(o, _)| arch(o)).collect()
    }

    /// Size and alignment of a parameter list passed indirectly.
    ///
    /// # Panics
    /// When a size or an alignment exceeds `u32`, which no wasm32 layout does.
    #[must_use]
    pub fn params_size_align(&self, params: &[Type]) -> (u32, u32) {
        let info = self.sizes.params(params.iter());
        (arch(info.size), u32::try_from(info.align.align_wasm32()).expect("small"))
    }

    /// The type of a record's field, by name.
    ///
    /// # Panics
    /// When the WIT has no such record or field: a compiler bug the test suite rules out.
    #[must_use]
    pub fn field(&self, iface: &str, record: &str, field: &str) -> Type {
        let Type::Id(id) = self.named(iface, record) else { unreachable!() };
        let TypeDefKind::Record(r) = &self.resolve.types[id].kind else { panic!("{record} is a record") };
        r.fields.iter().find(|f| f.name == field).unwrap_or_else(|| panic!("{record}.{field}")).ty
    }

    /// The type of a list's elements.
    ///
    /// # Panics
    /// When the WIT has no such record, or the field is not a list: a compiler bug the test suite
    /// rules out.
    #[must_use]
    pub fn list_element(&self, iface: &str, record: &str, field: &str) -> Type {
        let rec = self.named(iface, record);
        let Type::Id(id) = rec else { unreachable!() };
        let TypeDefKind::Record(r) = &self.resolve.types[id].kind else { panic!("{record} is a record") };
        let f = r.fields.iter().find(|f| f.name == field).unwrap_or_else(|| panic!("{record}.{field}"));
        match f.ty {
            Type::Id(l) => match &self.resolve.types[l].kind {
                TypeDefKind::List(e) => *e,
                _ => panic!("{record}.{field} is a list"),
            },
            _ => panic!("{record}.{field} is a list"),
        }
    }
}

/// How a value of a WIT type is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One byte in memory, one i32 flat (bool, u8).
    Byte,
    /// Four bytes in memory, one i32 flat.
    Word,
    /// Pointer and length: strings and lists.
    Pair,
    /// Fields by name, in the order of the WIT.
    Record(Vec<(String, Type)>),
    /// `option<T>`: a one-byte discriminant, the payload at the given offset.
    Option(Type, u32),
}

/// Core wasm type of a flat value (the playbook world only uses i32).
#[must_use]
pub fn core_type(t: WasmType) -> wasm_encoder::ValType {
    match t {
        WasmType::I64 => wasm_encoder::ValType::I64,
        WasmType::F32 => wasm_encoder::ValType::F32,
        WasmType::F64 => wasm_encoder::ValType::F64,
        _ => wasm_encoder::ValType::I32,
    }
}

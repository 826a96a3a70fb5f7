//! The v2 document as kubectl asks for it: `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`,
//! the `openapi.v2.Document` message of gnostic-models' `OpenAPIv2.proto` (client-go decodes
//! it with `proto.Unmarshal` and nothing else). Only the messages and fields the server's own
//! JSON document uses are encoded; the field numbers are the proto file's. Vendor extensions are
//! `NamedAny`s whose `Any.yaml` holds the value as JSON, which is YAML too.

use serde_json::{Map, Value};

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(u8::try_from(v & 0x7f).expect("seven bits") | 0x80);
        v >>= 7;
    }
    out.push(u8::try_from(v).expect("below 0x80"));
}

/// A length-delimited field (strings, bytes, nested messages).
fn bytes(out: &mut Vec<u8>, field: u32, b: &[u8]) {
    varint(out, u64::from(field) << 3 | 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn boolean(out: &mut Vec<u8>, field: u32, on: bool) {
    if on {
        varint(out, u64::from(field) << 3);
        varint(out, 1);
    }
}

fn string(out: &mut Vec<u8>, field: u32, v: Option<&Value>) {
    if let Some(s) = v.and_then(Value::as_str).filter(|s| !s.is_empty()) {
        bytes(out, field, s.as_bytes());
    }
}

fn strings(out: &mut Vec<u8>, field: u32, v: Option<&Value>) {
    for s in v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        bytes(out, field, s.as_bytes());
    }
}

/// `NamedX { string name = 1; X value = 2; }`.
fn named(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + value.len() + 8);
    bytes(&mut out, 1, name.as_bytes());
    bytes(&mut out, 2, value);
    out
}

/// `repeated NamedAny vendor_extension`: every `x-` key of an object.
fn extensions(out: &mut Vec<u8>, field: u32, m: &Map<String, Value>) {
    for (k, v) in m.iter().filter(|(k, _)| k.starts_with("x-")) {
        let mut any = Vec::new();
        bytes(&mut any, 2, v.to_string().as_bytes());
        bytes(out, field, &named(k, &any));
    }
}

fn object(v: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// `message Schema`.
fn schema(v: &Value) -> Vec<u8> {
    let m = object(v);
    let mut out = Vec::new();
    string(&mut out, 1, m.get("$ref"));
    string(&mut out, 2, m.get("format"));
    string(&mut out, 4, m.get("description"));
    strings(&mut out, 19, m.get("required"));
    if let Some(extra) = m.get("additionalProperties") {
        // AdditionalPropertiesItem { Schema schema = 1; }
        let mut item = Vec::new();
        bytes(&mut item, 1, &schema(extra));
        bytes(&mut out, 21, &item);
    }
    if let Some(t) = m.get("type").and_then(Value::as_str) {
        // TypeItem { repeated string value = 1; }
        let mut item = Vec::new();
        bytes(&mut item, 1, t.as_bytes());
        bytes(&mut out, 22, &item);
    }
    if let Some(items) = m.get("items") {
        // ItemsItem { repeated Schema schema = 1; }
        let mut item = Vec::new();
        bytes(&mut item, 1, &schema(items));
        bytes(&mut out, 23, &item);
    }
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        // Properties { repeated NamedSchema additional_properties = 1; }
        let mut item = Vec::new();
        for (k, p) in props {
            bytes(&mut item, 1, &named(k, &schema(p)));
        }
        bytes(&mut out, 25, &item);
    }
    extensions(&mut out, 31, m);
    out
}

/// `message ParametersItem`: a body parameter, or a query or path parameter.
fn parameter(v: &Value) -> Vec<u8> {
    let m = object(v);
    let mut sub = Vec::new();
    let mut parameter = Vec::new();
    if m.get("in").and_then(Value::as_str) == Some("body") {
        // BodyParameter { description = 1; name = 2; in = 3; required = 4; schema = 5; }
        string(&mut sub, 1, m.get("description"));
        string(&mut sub, 2, m.get("name"));
        string(&mut sub, 3, m.get("in"));
        boolean(&mut sub, 4, m.get("required") == Some(&Value::Bool(true)));
        bytes(&mut sub, 5, &schema(m.get("schema").unwrap_or(&Value::Null)));
        bytes(&mut parameter, 1, &sub);
    } else {
        // Query and path sub-schemas share numbers up to `name`; then type is 6 or 5 and
        // uniqueItems 20 or 19 (a query parameter has allow_empty_value at 5).
        let query = m.get("in").and_then(Value::as_str) == Some("query");
        boolean(&mut sub, 1, m.get("required") == Some(&Value::Bool(true)));
        string(&mut sub, 2, m.get("in"));
        string(&mut sub, 3, m.get("description"));
        string(&mut sub, 4, m.get("name"));
        string(&mut sub, if query { 6 } else { 5 }, m.get("type"));
        boolean(&mut sub, if query { 20 } else { 19 }, m.get("uniqueItems") == Some(&Value::Bool(true)));
        // NonBodyParameter { query_parameter_sub_schema = 3; path_parameter_sub_schema = 4; }
        let mut non_body = Vec::new();
        bytes(&mut non_body, if query { 3 } else { 4 }, &sub);
        bytes(&mut parameter, 2, &non_body);
    }
    let mut item = Vec::new();
    bytes(&mut item, 1, &parameter);
    item
}

/// `message Operation`.
fn operation(v: &Value) -> Vec<u8> {
    let m = object(v);
    let mut out = Vec::new();
    strings(&mut out, 1, m.get("tags"));
    string(&mut out, 3, m.get("description"));
    string(&mut out, 5, m.get("operationId"));
    strings(&mut out, 6, m.get("produces"));
    strings(&mut out, 7, m.get("consumes"));
    for p in m.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        bytes(&mut out, 8, &parameter(p));
    }
    if let Some(responses) = m.get("responses").and_then(Value::as_object) {
        // Responses { repeated NamedResponseValue response_code = 1; }, ResponseValue
        // { Response response = 1; }, Response { description = 1; SchemaItem schema = 2; },
        // SchemaItem { Schema schema = 1; }.
        let mut codes = Vec::new();
        for (code, r) in responses {
            let mut response = Vec::new();
            string(&mut response, 1, r.get("description"));
            if let Some(s) = r.get("schema") {
                let mut item = Vec::new();
                bytes(&mut item, 1, &schema(s));
                bytes(&mut response, 2, &item);
            }
            let mut value = Vec::new();
            bytes(&mut value, 1, &response);
            bytes(&mut codes, 1, &named(code, &value));
        }
        bytes(&mut out, 9, &codes);
    }
    extensions(&mut out, 13, m);
    out
}

/// `message PathItem`.
fn path_item(v: &Value) -> Vec<u8> {
    let m = object(v);
    let mut out = Vec::new();
    for (verb, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
        if let Some(op) = m.get(verb) {
            bytes(&mut out, field, &operation(op));
        }
    }
    for p in m.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        bytes(&mut out, 9, &parameter(p));
    }
    out
}

/// `message Document` from the server's JSON v2 document.
#[must_use]
pub fn document(doc: &Value) -> Vec<u8> {
    let m = object(doc);
    let mut out = Vec::new();
    string(&mut out, 1, m.get("swagger"));
    if let Some(info) = m.get("info") {
        let mut i = Vec::new();
        string(&mut i, 1, info.get("title"));
        string(&mut i, 2, info.get("version"));
        bytes(&mut out, 2, &i);
    }
    let mut paths = Vec::new();
    for (p, item) in m.get("paths").and_then(Value::as_object).into_iter().flatten() {
        bytes(&mut paths, 2, &named(p, &path_item(item)));
    }
    bytes(&mut out, 8, &paths);
    let mut defs = Vec::new();
    for (name, s) in m.get("definitions").and_then(Value::as_object).into_iter().flatten() {
        bytes(&mut defs, 1, &named(name, &schema(s)));
    }
    bytes(&mut out, 9, &defs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn varints_and_fields_are_protobufs() {
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        let doc = document(&json!({"swagger": "2.0", "definitions": {"A": {"type": "object"}}}));
        // swagger (1, "2.0"), paths (8, empty), definitions (9) holding NamedSchema "A" with
        // Schema { type (22): TypeItem { value: "object" } }.
        let expected: Vec<u8> = [
            &[0x0a, 3][..],
            b"2.0",
            &[0x42, 0],
            &[0x4a, 18, 0x0a, 16, 0x0a, 1, b'A', 0x12, 11, 0xb2, 0x01, 8, 0x0a, 6],
            b"object",
        ]
        .concat();
        assert_eq!(doc, expected);
    }
}

//! The component format the compiler writes and the runtime reads: the custom sections a
//! playbook component carries (the manifest, the graph, the source digest), how they are found,
//! and the status a playbook exits with when a call is denied.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Names of the custom sections a playbook component carries (compact JSON each).
pub mod sections {
    pub const MANIFEST: &str = "playbook.manifest";
    pub const GRAPH: &str = "playbook.graph";
    pub const SOURCE: &str = "playbook.source";
}

/// The status a playbook exits with when the host denies a call.
pub const DENIED_STATUS: i32 = 126;

/// Hex SHA-256 of bytes: the digests of sources, components, manifests and traces.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

/// Reads the playbook custom sections of a component.
///
/// # Errors
/// When the bytes are not a wasm binary.
pub fn read_sections(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    // Only the component's own sections count: a `playbook.*` section hidden in a nested module
    // could otherwise be read by one tool and not by another.
    let mut depth = 0u32;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| format!("not a WebAssembly component: {e}"))?;
        match payload {
            wasmparser::Payload::Version { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::CustomSection(s) if depth == 1 && s.name().starts_with("playbook.") => {
                let text =
                    std::str::from_utf8(s.data()).map_err(|_| format!("the {} section is not UTF-8 text", s.name()))?;
                // Two manifests: which one did the reviewer see? Neither is trusted.
                if out.insert(s.name().to_string(), text.to_string()).is_some() {
                    return Err(format!("the component has two {} sections", s.name()));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

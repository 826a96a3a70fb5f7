//! Keys and seals: Ed25519 key pairs in PKCS#8 / SPKI PEM (`playbook keygen`, readable by
//! OpenSSL), DSSE envelopes (signature over the pre-authentication encoding, PAE) around an
//! in-toto Statement v1 whose subjects are the trace, the component and the manifest.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde_json::{Value, json};

/// DSSE payload type of the seal.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// DSSE payload type of a checkpoint (never a valid seal, and the other way round).
pub const CHECKPOINT_TYPE: &str = "application/vnd.playbook.checkpoint+json";
/// in-toto Statement type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The predicate type of a playbook run.
pub const PREDICATE_TYPE: &str = "https://playbook.dev/attestation/run/v1";

/// DSSE's pre-authentication encoding: `DSSEv1 SP len(type) SP type SP len(body) SP body`.
#[must_use]
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("DSSEv1 {} {payload_type} {} ", payload_type.len(), body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The key id: SHA-256 of the public key's SPKI DER, in hex. A hint, never trusted by itself.
#[must_use]
pub fn keyid(key: &VerifyingKey) -> String {
    key.to_public_key_der().map(|d| super::sha256_hex(d.as_bytes())).unwrap_or_default()
}

/// A private key that signs seals and checkpoints.
pub struct Signer {
    key: SigningKey,
}

impl Signer {
    /// Reads a PKCS#8 PEM private key (`PREFIX.key` of `playbook keygen`).
    ///
    /// # Errors
    /// When the file cannot be read or is not an Ed25519 private key.
    pub fn load(path: &Path) -> Result<Self, String> {
        let pem = std::fs::read_to_string(path).map_err(|e| format!("--key {}: {e}", path.display()))?;
        let key = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| format!("--key {}: not an Ed25519 private key in PKCS#8 PEM ({e})", path.display()))?;
        Ok(Self { key })
    }

    #[must_use]
    pub fn keyid(&self) -> String {
        keyid(&self.key.verifying_key())
    }

    /// The public half: what checks this key's checkpoints (`--resume` verifying a prefix).
    #[must_use]
    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs `PAE(payload_type, body)`; the signature in standard base64.
    #[must_use]
    pub fn sign(&self, payload_type: &str, body: &[u8]) -> String {
        STANDARD.encode(self.key.sign(&pae(payload_type, body)).to_bytes())
    }

    /// Key material for fingerprinting secrets: derived from the private key, so that whoever
    /// holds the key can check a fingerprint, and nobody else can brute-force it.
    #[must_use]
    pub fn fingerprint_key(&self) -> Vec<u8> {
        use sha2::Digest as _;
        let mut m = b"playbook secret fingerprint v1\0".to_vec();
        m.extend_from_slice(self.key.as_bytes());
        sha2::Sha256::digest(&m).to_vec()
    }
}

/// Writes a new key pair: `PREFIX.key` (PKCS#8 PEM, mode 0600) and `PREFIX.pub` (SPKI PEM).
///
/// # Errors
/// When randomness or the files are not available, or the key file already exists.
pub fn keygen(prefix: &Path) -> Result<(std::path::PathBuf, std::path::PathBuf, String), String> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    let private = key
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| format!("encoding the key: {e}"))?;
    let public = key
        .verifying_key()
        .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| format!("encoding the public key: {e}"))?;
    let (kp, pp) = (with_ext(prefix, "key"), with_ext(prefix, "pub"));
    if kp.exists() {
        return Err(format!("{} exists; not overwriting a key", kp.display()));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(&kp).map_err(|e| format!("{}: {e}", kp.display()))?;
    std::io::Write::write_all(&mut f, private.as_bytes()).map_err(|e| format!("{}: {e}", kp.display()))?;
    std::fs::write(&pp, public).map_err(|e| format!("{}: {e}", pp.display()))?;
    Ok((kp, pp, keyid(&key.verifying_key())))
}

fn with_ext(prefix: &Path, ext: &str) -> std::path::PathBuf {
    let mut s = prefix.as_os_str().to_os_string();
    s.push(".");
    s.push(ext);
    s.into()
}

/// Reads a public key (SPKI PEM, `PREFIX.pub`).
///
/// # Errors
/// When the file cannot be read or is not an Ed25519 public key.
pub fn load_public(path: &Path) -> Result<VerifyingKey, String> {
    let pem = std::fs::read_to_string(path).map_err(|e| format!("--pubkey {}: {e}", path.display()))?;
    VerifyingKey::from_public_key_pem(pem.trim())
        .map_err(|e| format!("--pubkey {}: not an Ed25519 public key in PEM ({e})", path.display()))
}

/// Decodes DSSE base64: standard or URL-safe, padded or not.
#[must_use]
pub fn b64(s: &str) -> Option<Vec<u8>> {
    let padded = |s: &str| {
        let mut p = s.to_string();
        while !p.len().is_multiple_of(4) {
            p.push('=');
        }
        p
    };
    STANDARD.decode(padded(s)).or_else(|_| URL_SAFE.decode(padded(s))).ok()
}

/// Whether `sig` (base64) is `key`'s signature of `PAE(payload_type, body)`.
#[must_use]
pub fn check(key: &VerifyingKey, payload_type: &str, body: &[u8], sig: &str) -> bool {
    let Some(bytes) = b64(sig) else { return false };
    let Ok(sig) = Signature::from_slice(&bytes) else { return false };
    key.verify(&pae(payload_type, body), &sig).is_ok()
}

/// The in-toto Statement of a run.
#[must_use]
pub fn statement(
    trace_sha256: &str,
    component_sha256: &str,
    manifest_sha256: &str,
    events: u64,
    head: &str,
    mut predicate: Value,
) -> Value {
    if let Some(p) = predicate.as_object_mut() {
        p.insert("trace".into(), json!({ "events": events, "head": head }));
    }
    json!({
        "_type": STATEMENT_TYPE,
        "subject": [
            { "name": "trace", "digest": { "sha256": trace_sha256 } },
            { "name": "component", "digest": { "sha256": component_sha256 } },
            { "name": "manifest", "digest": { "sha256": manifest_sha256 } },
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    })
}

/// A DSSE envelope around a statement; signed when there is a key.
#[must_use]
pub fn envelope(statement: &Value, signer: Option<&Signer>) -> Value {
    let payload = super::canonical(statement);
    let signatures: Vec<Value> = signer
        .map(|s| json!({ "keyid": s.keyid(), "sig": s.sign(PAYLOAD_TYPE, payload.as_bytes()) }))
        .into_iter()
        .collect();
    json!({ "payloadType": PAYLOAD_TYPE, "payload": STANDARD.encode(payload.as_bytes()), "signatures": signatures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_test_vector() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }

    #[test]
    fn keys_round_trip_and_sign() {
        let dir = std::env::temp_dir().join(format!("pb-keys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (k, p, id) = keygen(&dir.join("ops")).unwrap();
        assert!(keygen(&dir.join("ops")).is_err(), "an existing key is never overwritten");
        let signer = Signer::load(&k).unwrap();
        let public = load_public(&p).unwrap();
        assert_eq!(signer.keyid(), id);
        let sig = signer.sign(PAYLOAD_TYPE, b"{}");
        assert!(check(&public, PAYLOAD_TYPE, b"{}", &sig));
        assert!(!check(&public, CHECKPOINT_TYPE, b"{}", &sig), "a swapped payload type fails");
        assert!(!check(&public, PAYLOAD_TYPE, b"{} ", &sig));
        let url_safe = sig.replace('+', "-").replace('/', "_").trim_end_matches('=').to_string();
        assert!(check(&public, PAYLOAD_TYPE, b"{}", &url_safe), "URL-safe base64 is accepted");
        let _ = std::fs::remove_dir_all(dir);
    }
}

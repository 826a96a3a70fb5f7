//! The audit trace (DESIGN §7): one canonical JSON object per line, written and flushed as the
//! run goes, each line carrying its `seq` and the SHA-256 of the line before it (`prev`), so
//! that any edit, deletion, insertion, reordering or truncation breaks the chain at a named
//! `seq`. Signed checkpoints during long runs and a final seal (a DSSE envelope over an in-toto
//! Statement) bind the trace to a key, the component and the manifest.
//!
//! Every line is a self-contained event; a trace is a single file, so a copy moved elsewhere
//! verifies the same. The events the guest caused (`step-start`, `step-end`, `print`, `call`,
//! `choice`, `manual`, `input`, `wait`, `fact`) are what replay and resume compare and feed
//! back; the host's own (`decision`, `result`, `denied`, `checkpoint`, `resume`, `run-start`,
//! `run-end`, `seal`) record what it decided and what happened.

pub mod seal;
pub mod secrets;
pub mod verify;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

pub use secrets::Redactor;

/// Format version of each line (`v`).
pub const VERSION: u64 = 1;

/// `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Kinds of the events the guest causes, in the order it causes them: replay compares these.
pub const GUEST_KINDS: &[&str] =
    &["step-start", "step-end", "print", "call", "choice", "manual", "input", "wait", "fact"];

/// A signed checkpoint every this many events…
pub const CHECKPOINT_EVENTS: u64 = 1000;
/// …or this often, whichever comes first.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(30);

/// RFC 8785 (JCS) serialization of the values a trace holds: object keys sorted, no
/// whitespace, strings escaped as JSON requires and no more. Numbers in a trace are integers,
/// which JCS writes as `serde_json` does.
#[must_use]
pub fn canonical(v: &Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(v, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            // JCS orders by UTF-16 code units; for the ASCII keys of a trace that is byte order.
            if entries.iter().all(|(k, _)| k.is_ascii()) {
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            } else {
                entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            }
            out.push(b'{');
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let _ = serde_json::to_writer(&mut *out, k);
                out.push(b':');
                write_canonical(x, out);
            }
            out.push(b'}');
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(x, out);
            }
            out.push(b']');
        }
        other => {
            let _ = serde_json::to_writer(&mut *out, other);
        }
    }
}

#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    playbook_capability::component::sha256_hex(bytes)
}

/// Milliseconds since the Unix epoch (informative only: never compared on replay).
#[must_use]
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Where traces go when `--trace` is not given: `$PLAYBOOK_TRACE_DIR`, else
/// `$XDG_STATE_HOME/playbook/traces`, else `~/.local/state/playbook/traces`.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    match std::env::var_os("PLAYBOOK_TRACE_DIR") {
        Some(v) if !v.is_empty() => Some(v.into()),
        _ => std::env::var_os("XDG_STATE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state")))
            .map(|base| base.join("playbook").join("traces")),
    }
}

/// A fresh random hex string of `bytes` bytes (run ids, keys).
#[must_use]
pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    let _ = getrandom::getrandom(&mut b);
    hex(&b)
}

/// Lowercase hex of bytes.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Appends events to a trace file.
pub struct Recorder {
    file: std::fs::File,
    pub path: PathBuf,
    /// `seq` of the next line.
    seq: u64,
    /// SHA-256 of the last line written.
    prev: String,
    /// SHA-256 over every byte written so far (the seal's subject).
    digest: Sha256,
    signer: Option<seal::Signer>,
    redactor: Redactor,
    since_checkpoint: u64,
    last_checkpoint: Instant,
    /// The first write error: the run is told, the trace stops growing (and will not verify).
    pub broken: Option<String>,
}

impl Recorder {
    /// Creates (or truncates) a trace file.
    ///
    /// # Errors
    /// When the file or its directory cannot be created.
    pub fn create(path: &Path, signer: Option<seal::Signer>, redactor: Redactor) -> Result<Self, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("trace directory {}: {e}", dir.display()))?;
        }
        let file = std::fs::File::create(path).map_err(|e| format!("trace {}: {e}", path.display()))?;
        Ok(Self {
            file,
            path: path.to_path_buf(),
            seq: 0,
            prev: GENESIS.to_string(),
            digest: Sha256::new(),
            signer,
            redactor,
            since_checkpoint: 0,
            last_checkpoint: Instant::now(),
            broken: None,
        })
    }

    /// Reopens a trace to extend its chain (`--resume`): a torn last line is cut off first.
    ///
    /// # Errors
    /// When the file cannot be opened for appending.
    pub fn extend(journal: &Journal, signer: Option<seal::Signer>, redactor: Redactor) -> Result<Self, String> {
        let path = &journal.path;
        let file =
            std::fs::OpenOptions::new().write(true).open(path).map_err(|e| format!("trace {}: {e}", path.display()))?;
        file.set_len(journal.valid_bytes as u64).map_err(|e| format!("trace {}: {e}", path.display()))?;
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(|e| e.to_string())?;
        let mut digest = Sha256::new();
        digest.update(&journal.bytes[..journal.valid_bytes]);
        Ok(Self {
            file,
            path: path.clone(),
            seq: journal.lines.len() as u64,
            prev: journal.lines.last().map_or_else(|| GENESIS.to_string(), |l| l.hash.clone()),
            digest,
            signer,
            redactor,
            since_checkpoint: 0,
            last_checkpoint: Instant::now(),
            broken: None,
        })
    }

    /// Appends one event and flushes it to the operating system before returning, so that a
    /// crash (even SIGKILL) right after keeps it. Returns its `seq`.
    pub fn append(&mut self, kind: &str, fields: Value) -> u64 {
        let seq = self.write_line(kind, fields);
        self.since_checkpoint += 1;
        if self.signer.is_some()
            && (self.since_checkpoint >= CHECKPOINT_EVENTS || self.last_checkpoint.elapsed() >= CHECKPOINT_INTERVAL)
        {
            self.checkpoint();
        }
        seq
    }

    fn write_line(&mut self, kind: &str, fields: Value) -> u64 {
        let seq = self.seq;
        let mut obj = match self.redactor.redact_value(fields) {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                let mut m = Map::new();
                m.insert("value".into(), other);
                m
            }
        };
        obj.insert("v".into(), VERSION.into());
        obj.insert("seq".into(), seq.into());
        obj.insert("prev".into(), self.prev.clone().into());
        obj.insert("kind".into(), kind.into());
        obj.insert("t".into(), now_ms().into());
        let line = canonical(&Value::Object(obj));
        if self.broken.is_none() {
            let mut bytes = Vec::with_capacity(line.len() + 1);
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
            // One write per line: a crash leaves whole lines, or at worst one torn last line.
            match self.file.write_all(&bytes).and_then(|()| self.file.flush()) {
                Ok(()) => self.digest.update(&bytes),
                Err(e) => self.broken = Some(format!("writing the trace {}: {e}", self.path.display())),
            }
        }
        self.prev = sha256_hex(line.as_bytes());
        self.seq += 1;
        seq
    }

    /// A signed checkpoint: the key signs the chain's head so far.
    pub fn checkpoint(&mut self) {
        let Some(signer) = &self.signer else { return };
        let body = canonical(&serde_json::json!({ "seq": self.seq, "head": self.prev }));
        let sig = signer.sign(seal::CHECKPOINT_TYPE, body.as_bytes());
        let fields = serde_json::json!({ "head": self.prev, "keyid": signer.keyid(), "sig": sig });
        self.write_line("checkpoint", fields);
        self.since_checkpoint = 0;
        self.last_checkpoint = Instant::now();
    }

    /// Writes the seal as the last line: a DSSE envelope over an in-toto Statement whose
    /// subjects are this trace (every byte before the seal), the component and the manifest.
    /// Without a key the envelope has no signature, and `verify` says the run is unsigned.
    pub fn seal(&mut self, component_sha256: &str, manifest_sha256: &str, predicate: Value) {
        let trace_sha256 = hex(&self.digest.clone().finalize());
        let statement =
            seal::statement(&trace_sha256, component_sha256, manifest_sha256, self.seq, &self.prev, predicate);
        let envelope = seal::envelope(&statement, self.signer.as_ref());
        self.write_line("seal", serde_json::json!({ "envelope": envelope }));
    }
}

/// One line of a trace as read back.
#[derive(Debug, Clone)]
pub struct Line {
    /// Where the line is in the file (`start..end`, without its newline).
    pub start: usize,
    pub end: usize,
    /// The event; for most lines of `Journal::read_light`, `Null` and only `head` is kept.
    pub event: Value,
    pub head: Option<LineHead>,
    /// SHA-256 of the line (what the next line's `prev` must be).
    pub hash: String,
    /// The line is exactly the canonical form of its event.
    pub canonical: bool,
}

impl Line {
    #[must_use]
    pub fn kind(&self) -> &str {
        match &self.head {
            Some(h) => &h.kind,
            None => self.event["kind"].as_str().unwrap_or_default(),
        }
    }

    #[must_use]
    pub fn seq(&self) -> Option<u64> {
        match &self.head {
            Some(h) => h.seq,
            None => self.event["seq"].as_u64(),
        }
    }

    #[must_use]
    pub fn prev(&self) -> Option<&str> {
        match &self.head {
            Some(h) => h.prev.as_deref(),
            None => self.event["prev"].as_str(),
        }
    }

    #[must_use]
    pub fn version(&self) -> Option<u64> {
        match &self.head {
            Some(h) => h.v,
            None => self.event["v"].as_u64(),
        }
    }

    /// `call` of a result.
    #[must_use]
    pub fn call(&self) -> Option<u64> {
        match &self.head {
            Some(h) => h.call,
            None => self.event["call"].as_u64(),
        }
    }

    #[must_use]
    pub fn status(&self) -> Option<i64> {
        match &self.head {
            Some(h) => h.status,
            None => self.event["status"].as_i64(),
        }
    }
}

/// The head of an event read lightly.
#[derive(Debug, Clone)]
pub struct LineHead {
    pub v: Option<u64>,
    pub seq: Option<u64>,
    pub prev: Option<String>,
    pub kind: String,
    pub call: Option<u64>,
    pub status: Option<i64>,
}

/// The fields `verify` reads from events other than run-start, checkpoints and the seal.
const VERIFY_FIELDS: &[&str] = &[
    "v",
    "seq",
    "prev",
    "kind",
    "call",
    "grant",
    "capability",
    "effect",
    "need_effect",
    "match",
    "scope",
    "privileged",
    "decision",
    "status",
];

/// The head of an event: what every line carries, read without building the rest.
#[derive(serde::Deserialize)]
struct Head<'a> {
    v: Option<u64>,
    seq: Option<u64>,
    #[serde(borrow)]
    prev: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    kind: Option<std::borrow::Cow<'a, str>>,
    call: Option<u64>,
    status: Option<i64>,
}

fn parse_line(bytes: &[u8], start: usize, end: usize, light: bool) -> Option<Line> {
    let raw = std::str::from_utf8(&bytes[start..end]).ok()?;
    if light {
        // The chain (the hash of every byte) already catches any edit; most events need only
        // their head. Run-start, decisions, checkpoints and the seal are read whole.
        let head: Head<'_> = serde_json::from_str(raw).ok()?;
        let kind = head.kind.as_deref().unwrap_or_default();
        if !matches!(kind, "run-start" | "decision" | "checkpoint" | "seal") {
            let head = LineHead {
                v: head.v,
                seq: head.seq,
                prev: head.prev.map(std::borrow::Cow::into_owned),
                kind: kind.to_string(),
                call: head.call,
                status: head.status,
            };
            let hash = sha256_hex(raw.as_bytes());
            return Some(Line { start, end, hash, event: Value::Null, head: Some(head), canonical: true });
        }
    }
    let mut event: Value = serde_json::from_str(raw).ok().filter(Value::is_object)?;
    let canonical = canonical(&event) == raw;
    if light
        && let Some(m) = event.as_object_mut()
        && !matches!(m.get("kind").and_then(Value::as_str), Some("run-start" | "checkpoint" | "seal"))
    {
        m.retain(|k, _| VERIFY_FIELDS.contains(&k.as_str()));
    }
    Some(Line { start, end, hash: sha256_hex(raw.as_bytes()), event, head: None, canonical })
}

/// A trace file read back: its lines (up to the first that is not JSON), and how it ends.
pub struct Journal {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub lines: Vec<Line>,
    /// Bytes covered by `lines` (and their newlines).
    pub valid_bytes: usize,
    /// A last line without its newline, or a line that is not JSON: where reading stopped.
    pub torn: Option<String>,
}

impl Journal {
    /// Reads a trace.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn read(path: &Path) -> Result<Self, String> {
        Self::read_with(path, false)
    }

    /// Reads a trace keeping of each event only what `verify` looks at: a long trace does not
    /// sit in memory whole.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn read_light(path: &Path) -> Result<Self, String> {
        Self::read_with(path, true)
    }

    fn read_with(path: &Path, light: bool) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Self::from_bytes(path, bytes, light))
    }

    /// A trace already in memory (`path` names it in messages; fuzzing feeds bytes directly).
    #[must_use]
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, light: bool) -> Self {
        // Where each line is; then parsing, hashing and the canonical check of the lines run on
        // every core, in order-preserving chunks.
        let mut spans = Vec::new();
        let mut at = 0;
        let mut cut_off = false;
        while at < bytes.len() {
            if let Some(nl) = bytes[at..].iter().position(|&b| b == b'\n') {
                spans.push((at, at + nl));
                at += nl + 1;
            } else {
                cut_off = true;
                break;
            }
        }
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).clamp(1, 8);
        let chunk = spans.len().div_ceil(threads).max(1);
        let parsed: Vec<Option<Line>> = std::thread::scope(|scope| {
            let workers: Vec<_> = spans
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(|| part.iter().map(|&(a, b)| parse_line(&bytes, a, b, light)).collect::<Vec<_>>())
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        let mut lines = Vec::with_capacity(parsed.len());
        let mut torn = None;
        let mut valid_bytes = 0;
        for (line, &(_, end)) in parsed.into_iter().zip(&spans) {
            if let Some(l) = line {
                lines.push(l);
                valid_bytes = end + 1;
            } else {
                torn = Some(format!("line {} is not a JSON object", lines.len() + 1));
                break;
            }
        }
        if torn.is_none() && cut_off {
            torn = Some(format!("the last line (after seq {}) is cut off", lines.len().saturating_sub(1)));
        }
        Self { path: path.to_path_buf(), valid_bytes, bytes, lines, torn }
    }

    /// The `run-start` event.
    #[must_use]
    pub fn start(&self) -> Option<&Value> {
        self.lines.first().filter(|l| l.kind() == "run-start").map(|l| &l.event)
    }

    /// Whether the trace ends with its seal.
    #[must_use]
    pub fn sealed(&self) -> bool {
        self.lines.last().is_some_and(|l| l.kind() == "seal")
    }

    /// The guest's events in order, each with the host's answer to it (the `result` of a call,
    /// the chosen branch of a choice, …) when one was recorded.
    #[must_use]
    pub fn guest_events(&self) -> Vec<(Value, Option<Value>)> {
        let mut out: Vec<(Value, Option<Value>)> = Vec::new();
        let mut pending_call: Option<usize> = None;
        for l in &self.lines {
            let kind = l.kind();
            if GUEST_KINDS.contains(&kind) {
                let answered = !matches!(kind, "call");
                out.push((l.event.clone(), answered.then(|| l.event.clone())));
                if kind == "call" {
                    pending_call = Some(out.len() - 1);
                }
            } else if kind == "result"
                && let Some(i) = pending_call
                && out[i].0["seq"] == l.event["call"]
            {
                out[i].1 = Some(l.event.clone());
                pending_call = None;
            }
        }
        out
    }
}

/// The fields of a guest event that replay compares: everything but the chain and the clock.
#[must_use]
pub fn comparable(event: &Value) -> Value {
    let mut e = event.clone();
    if let Some(m) = e.as_object_mut() {
        for k in
            ["v", "seq", "prev", "t", "chosen", "branch", "confirmed", "value", "waited", "hmac", "secret", "missing"]
        {
            m.remove(k);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_and_drops_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{"b": [1, {"z": "é\n", "a": null}], "a": true, "A": "\u0001"}"#).unwrap();
        assert_eq!(canonical(&v), r#"{"A":"\u0001","a":true,"b":[1,{"a":null,"z":"é\n"}]}"#);
    }

    #[test]
    fn lines_chain_and_read_back() {
        let dir = std::env::temp_dir().join(format!("pb-trace-unit-{}", std::process::id()));
        let path = dir.join("t.jsonl");
        let mut r = Recorder::create(&path, None, Redactor::default()).unwrap();
        r.append("run-start", serde_json::json!({"x": 1}));
        r.append("call", serde_json::json!({"iface": "fs", "req": {"op": "read"}}));
        r.append("result", serde_json::json!({"call": 1, "status": 0}));
        let j = Journal::read(&path).unwrap();
        assert_eq!(j.lines.len(), 3);
        assert_eq!(j.lines[1].event["prev"], sha256_hex(&j.bytes[j.lines[0].start..j.lines[0].end]));
        assert!(j.torn.is_none());
        let g = j.guest_events();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].1.as_ref().unwrap()["status"], 0);
        let _ = std::fs::remove_dir_all(dir);
    }
}

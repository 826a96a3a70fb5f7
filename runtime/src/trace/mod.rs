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
pub const GUEST_KINDS: &[&str] = &[
    "step-start",
    "step-end",
    "print",
    "call",
    "choice",
    "offer",
    "manual",
    "require",
    "input",
    "wait",
    "wait-jobs",
    "fact",
    "pipe-write",
    "pipe-end",
];

/// A signed checkpoint every this many events…
pub const CHECKPOINT_EVENTS: u64 = 1000;
/// …or this often, whichever comes first (and right after the result of every change).
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(30);

/// The size a trace may grow to unless `--trace-max-bytes` says otherwise: 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;
/// The smallest cap `--trace-max-bytes` accepts: room for a run-start and the reserve.
pub const MIN_MAX_BYTES: u64 = 64 << 10;
/// Bytes under the cap that ordinary events never use: the decisions and result of the call
/// whose intent was written last, then the lines that close the run.
pub const RESERVE: u64 = 24 << 10;
/// The part of the reserve that only the closing lines use.
const CLOSING_ROOM: u64 = 12 << 10;
/// Lines that close a run, written in the reserve once the cap is reached (at most
/// `CLOSING_LINES` of them): what stopped it, `run-end`, the last checkpoint and the seal.
const CLOSING_KINDS: &[&str] = &["limit", "interrupted", "run-end", "checkpoint", "seal"];
const CLOSING_LINES: u32 = 8;

/// Where a line may go relative to the cap.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Room {
    /// Under `max - RESERVE`; past it the trace is full and the run stops.
    Ordinary,
    /// A decision or the result of the call in progress (its intent is written): under
    /// `max - CLOSING_ROOM`; a result that does not fit is kept by digest and size.
    InCall,
    /// A line that closes the run: up to the cap.
    Closing,
}

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
    /// Bytes in the file.
    written: u64,
    /// The size cap (`--trace-max-bytes`).
    max_bytes: u64,
    /// The cap was reached: the run stops; only closing lines are written from then on.
    pub full: Option<String>,
    /// The cap was reached by the last line and nobody was told yet.
    filled: bool,
    closing_written: u32,
    /// A call's intent was written and its result not yet.
    open_call: bool,
    /// A decision of the open call confirmed a change: a checkpoint follows its result.
    change: bool,
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
            written: 0,
            max_bytes: DEFAULT_MAX_BYTES,
            full: None,
            filled: false,
            closing_written: 0,
            open_call: false,
            change: false,
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
            written: journal.valid_bytes as u64,
            max_bytes: DEFAULT_MAX_BYTES,
            full: None,
            filled: false,
            closing_written: 0,
            open_call: false,
            change: false,
        })
    }

    /// Sets the size cap (`--trace-max-bytes`).
    pub fn set_max_bytes(&mut self, max: u64) {
        self.max_bytes = max;
    }

    /// Bytes written to the file so far.
    #[must_use]
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Whether a key signs this trace.
    #[must_use]
    pub fn signed(&self) -> bool {
        self.signer.is_some()
    }

    /// The cap was reached since the last time this was asked: the cap, once.
    pub fn take_filled(&mut self) -> Option<u64> {
        std::mem::take(&mut self.filled).then_some(self.max_bytes)
    }

    /// Appends one event and flushes it to the operating system before returning, so that a
    /// crash (even SIGKILL) right after keeps it. Returns its `seq`.
    ///
    /// With a key, a signed checkpoint follows the result of every call a decision confirmed as
    /// a change (so that a crash leaves every change covered by a signature, and `--resume` can
    /// trust what it replays), and one comes every `CHECKPOINT_EVENTS` events or
    /// `CHECKPOINT_INTERVAL`, never between a call's intent and its result.
    pub fn append(&mut self, kind: &str, fields: Value) -> u64 {
        let room = match kind {
            _ if CLOSING_KINDS.contains(&kind) => Room::Closing,
            "decision" | "result" if self.open_call => Room::InCall,
            _ => Room::Ordinary,
        };
        if kind == "call" {
            self.open_call = false;
            self.change = false;
        } else if kind == "decision" && fields["decision"] == "confirmed" {
            self.change = true;
        }
        let (seq, written) = self.write_line(kind, fields, room);
        // A call whose intent is not in the trace is not made (`begin_call` denies it).
        self.open_call |= kind == "call" && written;
        let ended = kind == "result" && std::mem::take(&mut self.open_call);
        self.since_checkpoint += 1;
        let changed = ended && std::mem::take(&mut self.change);
        let due = !self.open_call
            && (self.since_checkpoint >= CHECKPOINT_EVENTS || self.last_checkpoint.elapsed() >= CHECKPOINT_INTERVAL);
        if self.signer.is_some() && self.full.is_none() && (changed || due) {
            self.sign_head(Room::Ordinary);
        }
        seq
    }

    /// Whether a line of `len` bytes (with its newline) may be written where `room` says.
    fn fits(&self, len: u64, room: Room) -> bool {
        let limit = match room {
            Room::Ordinary => self.max_bytes.saturating_sub(RESERVE),
            Room::InCall => self.max_bytes.saturating_sub(CLOSING_ROOM),
            // The closing lines are what the reserve is for; they are few and small.
            Room::Closing => return self.closing_written < CLOSING_LINES,
        };
        self.written + len <= limit
    }

    /// Writes one line; its `seq`, and whether it is in the file.
    fn write_line(&mut self, kind: &str, fields: Value, room: Room) -> (u64, bool) {
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
        let event = Value::Object(obj);
        let mut line = canonical(&event);
        let mut written = false;
        if self.broken.is_none() {
            let mut fits = (self.full.is_none() || room != Room::Ordinary) && self.fits(line.len() as u64 + 1, room);
            if let (false, Room::InCall, "result", Value::Object(obj)) = (fits, room, kind, event) {
                // The call was made: its status is kept, its output by digest and size; the
                // whole of it is past the cap, so the run stops here.
                line = canonical(&Value::Object(shrunk(obj)));
                fits = self.fits(line.len() as u64 + 1, room);
                self.fill();
            }
            if !fits {
                // Not written: the chain goes on from the last line that was.
                self.fill();
                return (seq, false);
            }
            let mut bytes = Vec::with_capacity(line.len() + 1);
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
            // One write per line: a crash leaves whole lines, or at worst one torn last line.
            match self.file.write_all(&bytes).and_then(|()| self.file.flush()) {
                Ok(()) => {
                    written = true;
                    self.digest.update(&bytes);
                    self.written += bytes.len() as u64;
                    if self.full.is_some() {
                        self.closing_written += u32::from(room == Room::Closing);
                    } else if room != Room::Ordinary && self.written > self.max_bytes.saturating_sub(RESERVE) {
                        // The reserve is in use: the run stops after this call.
                        self.fill();
                    }
                }
                Err(e) => self.broken = Some(format!("writing the trace {}: {e}", self.path.display())),
            }
        }
        self.prev = sha256_hex(line.as_bytes());
        self.seq += 1;
        (seq, written)
    }

    /// The cap is reached: from now on only closing lines are written, and the run stops.
    fn fill(&mut self) {
        if self.full.is_none() {
            self.full = Some(format!("the trace reached its size cap ({} bytes)", self.max_bytes));
            self.filled = true;
        }
    }

    /// A signed checkpoint: the key signs the chain's head so far. This one closes a run
    /// (interrupted) and is written even when the trace is full.
    pub fn checkpoint(&mut self) {
        self.sign_head(Room::Closing);
    }

    /// A signed checkpoint now (an ordinary line: not once the trace is full).
    pub fn checkpoint_now(&mut self) {
        if self.full.is_none() {
            self.sign_head(Room::Ordinary);
        }
    }

    fn sign_head(&mut self, room: Room) {
        let Some(signer) = &self.signer else { return };
        let body = canonical(&serde_json::json!({ "seq": self.seq, "head": self.prev }));
        let sig = signer.sign(seal::CHECKPOINT_TYPE, body.as_bytes());
        let fields = serde_json::json!({ "head": self.prev, "keyid": signer.keyid(), "sig": sig });
        self.write_line("checkpoint", fields, room);
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
        self.write_line("seal", serde_json::json!({ "envelope": envelope }), Room::Closing);
    }
}

/// A result too large for what is left under the cap: its output replaced by digest and size
/// (of the redacted text), marked `truncated` (replay and resume do not use it as an answer).
fn shrunk(mut obj: Map<String, Value>) -> Map<String, Value> {
    for key in ["stdout", "stderr", "shown"] {
        if let Some(Value::String(text)) = obj.remove(key) {
            obj.insert(format!("{key}_sha256"), sha256_hex(text.as_bytes()).into());
            obj.insert(format!("{key}_bytes"), text.len().into());
        }
    }
    obj.insert("truncated".into(), "the trace reached its size cap: the output is kept by digest and size".into());
    // `seq`, `prev` and `t` stay as they were: the line is the same event, smaller.
    obj
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
    if light && let Some(line) = decision_line(raw, start, end) {
        return Some(line);
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

/// A decision as the host writes it (`HostState::trace_call`), every field borrowed.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionLine<'a> {
    #[serde(borrow)]
    capability: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    decision: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    effect: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    grant: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(borrow, rename = "match")]
    matching: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    need_effect: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    prev: std::borrow::Cow<'a, str>,
    privileged: bool,
    #[serde(borrow)]
    scope: std::collections::BTreeMap<std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>>,
    seq: u64,
    #[serde(borrow)]
    step: Option<std::borrow::Cow<'a, str>>,
    t: u64,
    v: u64,
}

/// A decision line read the fast way: typed, its canonical form written back from the typed
/// fields and compared with the line. `None` when it is not exactly such a line (another
/// shape, a key that is not ASCII, or not canonical): it is then read as any other line, with
/// the same result.
fn decision_line(raw: &str, start: usize, end: usize) -> Option<Line> {
    // (Cheap test first: most lines are not decisions.)
    if !raw.contains("\"kind\":\"decision\"") {
        return None;
    }
    let d: DecisionLine<'_> = serde_json::from_str(raw).ok()?;
    if d.kind != "decision" || !d.scope.keys().all(|k| k.is_ascii()) {
        return None;
    }
    let mut out = Vec::with_capacity(raw.len());
    let field = |out: &mut Vec<u8>, key: &str, first: bool| {
        if !first {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut *out, key);
        out.push(b':');
    };
    let text = |out: &mut Vec<u8>, v: &str| {
        let _ = serde_json::to_writer(&mut *out, v);
    };
    out.push(b'{');
    field(&mut out, "capability", true);
    text(&mut out, &d.capability);
    field(&mut out, "decision", false);
    text(&mut out, &d.decision);
    field(&mut out, "effect", false);
    text(&mut out, &d.effect);
    field(&mut out, "grant", false);
    match &d.grant {
        Some(g) => text(&mut out, g),
        None => out.extend_from_slice(b"null"),
    }
    field(&mut out, "kind", false);
    text(&mut out, &d.kind);
    field(&mut out, "match", false);
    text(&mut out, &d.matching);
    field(&mut out, "need_effect", false);
    text(&mut out, &d.need_effect);
    field(&mut out, "prev", false);
    text(&mut out, &d.prev);
    field(&mut out, "privileged", false);
    out.extend_from_slice(if d.privileged { b"true" } else { b"false" });
    field(&mut out, "scope", false);
    out.push(b'{');
    for (i, (k, v)) in d.scope.iter().enumerate() {
        field(&mut out, k, i == 0);
        text(&mut out, v);
    }
    out.push(b'}');
    field(&mut out, "seq", false);
    out.extend_from_slice(d.seq.to_string().as_bytes());
    if let Some(step) = &d.step {
        field(&mut out, "step", false);
        text(&mut out, step);
    }
    for (key, n) in [("t", d.t), ("v", d.v)] {
        field(&mut out, key, false);
        out.extend_from_slice(n.to_string().as_bytes());
    }
    out.push(b'}');
    if out != raw.as_bytes() {
        return None;
    }
    let scope: Map<String, Value> = d.scope.iter().map(|(k, v)| (k.to_string(), Value::from(v.as_ref()))).collect();
    let event = serde_json::json!({
        "v": d.v, "seq": d.seq, "prev": d.prev, "kind": "decision", "grant": d.grant,
        "capability": d.capability, "effect": d.effect, "need_effect": d.need_effect,
        "match": d.matching, "scope": scope, "privileged": d.privileged, "decision": d.decision,
    });
    Some(Line { start, end, hash: sha256_hex(raw.as_bytes()), event, head: None, canonical: true })
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
        for nl in memchr::memchr_iter(b'\n', &bytes) {
            spans.push((at, nl));
            at = nl + 1;
        }
        let cut_off = at < bytes.len();
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

    /// Whether the file goes on after the lines read with a complete line that is not JSON (or
    /// anything at all after the seal): not a write cut off by a crash, but an edit.
    #[must_use]
    pub fn trailing_lines(&self) -> bool {
        let rest = &self.bytes[self.valid_bytes.min(self.bytes.len())..];
        !rest.is_empty() && (self.sealed() || rest.contains(&b'\n'))
    }

    /// The guest's events in order, each with the host's answer to it (the `result` of a call,
    /// the chosen branch of a choice, …) when one was recorded.
    #[must_use]
    pub fn guest_events(&self) -> Vec<Recorded> {
        self.recorded(self.lines.len())
    }

    /// The guest's events of the first `limit` lines, in the order the component made them, each
    /// with the answer and the decisions recorded within those lines.
    ///
    /// A `resume` event drops what the interrupted run recorded after the lines its resume
    /// replayed (`replayed_to`: the tail it did not trust and ran again live); a
    /// `resume-in-flight` that ran a call again drops the call that was in flight. What is
    /// left is what the component did, once each, in order: what replay and the next resume
    /// compare.
    #[must_use]
    pub fn recorded(&self, limit: usize) -> Vec<Recorded> {
        fn last_open(out: &mut [Recorded], open: Option<u64>) -> Option<&mut Recorded> {
            out.last_mut().filter(|r| open.is_some_and(|c| r.seq() == c && r.answer.is_none()))
        }
        let mut out: Vec<Recorded> = Vec::new();
        // `seq` of the call whose decisions and result come next.
        let mut open: Option<u64> = None;
        for l in self.lines.iter().take(limit) {
            let kind = l.kind();
            let e = &l.event;
            let at = l.seq().unwrap_or_default();
            if GUEST_KINDS.contains(&kind) {
                let call = kind == "call";
                out.push(Recorded { event: e.clone(), answer: (!call).then(|| e.clone()), decisions: Vec::new() });
                open = call.then_some(at);
            } else if kind == "decision" {
                if let Some(r) = last_open(&mut out, open) {
                    r.decisions.push((at, e["decision"] == "confirmed"));
                }
            } else if kind == "result" && open.is_some() && e["call"].as_u64() == open {
                // A result kept by digest only (the trace was full) answers nothing.
                if let Some(r) = last_open(&mut out, open).filter(|_| e.get("truncated").is_none()) {
                    r.answer = Some(e.clone());
                }
                open = None;
            } else if kind == "resume" {
                let to = e["replayed_to"].as_u64().unwrap_or(at);
                out.retain(|r| r.seq() < to);
                for r in &mut out {
                    if r.answer.as_ref().is_some_and(|a| a["seq"].as_u64().is_none_or(|s| s >= to)) {
                        r.answer = None;
                    }
                    r.decisions.retain(|&(s, _)| s < to);
                }
                open = None;
            } else if kind == "resume-in-flight"
                && e["again"] == true
                && let Some(call) = e["call"].as_u64()
            {
                out.retain(|r| r.seq() != call);
            }
        }
        out
    }
}

/// A guest event read back from a trace.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub event: Value,
    /// The host's answer: the `result` of a call (none: in flight, or not among the lines
    /// read), the event itself for the other kinds.
    pub answer: Option<Value>,
    /// A call: the `seq` of each decision recorded about it, and whether it confirmed a change.
    pub decisions: Vec<(u64, bool)>,
}

impl Recorded {
    #[must_use]
    pub fn seq(&self) -> u64 {
        self.event["seq"].as_u64().unwrap_or_default()
    }

    #[must_use]
    pub fn is_call(&self) -> bool {
        self.event["kind"] == "call"
    }

    /// A call that may have changed something, so it is asked about before it is made again:
    /// a decision confirmed a change, or nothing says what it did (no decision, no result; a
    /// pure text filter excepted).
    #[must_use]
    pub fn may_have_changed(&self) -> bool {
        self.decisions.iter().any(|&(_, change)| change)
            || (self.decisions.is_empty() && self.answer.is_none() && self.event["iface"] != "text")
    }
}

/// The fields of a guest event that replay compares: everything but the chain and the clock.
#[must_use]
pub fn comparable(event: &Value) -> Value {
    let mut e = event.clone();
    if let Some(m) = e.as_object_mut() {
        for k in [
            "v",
            "seq",
            "prev",
            "t",
            "chosen",
            "branch",
            "confirmed",
            "value",
            "waited",
            "hmac",
            "secret",
            "missing",
            "taken",
            "skipped",
            "lacking",
            "unselected",
            // (What a pipe's reader ended with, and whether a write found it gone: answers.)
            "outcome",
            "shown",
            "shown_bytes",
            "reader_gone",
        ] {
            m.remove(k);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_read_the_fast_way_is_what_the_whole_read_keeps() {
        let e = serde_json::json!({
            "v": 1, "seq": 7, "prev": "ab", "kind": "decision", "t": 5, "step": "s/1",
            "capability": "fs.read", "effect": "read", "need_effect": "read",
            "scope": {"path": "a \"b\".txt", "host": "x"}, "privileged": false, "grant": null,
            "decision": "allowed", "match": "exact",
        });
        let raw = canonical(&e);
        let fast = decision_line(&raw, 0, raw.len()).expect("the fast way reads it");
        let slow = parse_line(raw.as_bytes(), 0, raw.len(), false).expect("the whole read");
        let mut kept = slow.event.clone();
        if let Some(m) = kept.as_object_mut() {
            m.retain(|k, _| VERIFY_FIELDS.contains(&k.as_str()));
        }
        assert_eq!(fast.event, kept);
        assert_eq!(fast.hash, slow.hash);
        assert!(fast.canonical && slow.canonical);
        // Not canonical, or another shape: left to the whole read.
        assert!(decision_line(&raw.replacen(':', ": ", 1), 0, raw.len() + 1).is_none());
        let mut other = e.clone();
        other["extra"] = 1.into();
        let other = canonical(&other);
        assert!(decision_line(&other, 0, other.len()).is_none());
    }

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
        assert_eq!(g[0].answer.as_ref().unwrap()["status"], 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pb-trace-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("t.jsonl")
    }

    #[test]
    fn the_cap_keeps_the_call_in_progress_and_the_closing_lines() {
        let path = temp("cap");
        let mut r = Recorder::create(&path, None, Redactor::default()).unwrap();
        r.set_max_bytes(MIN_MAX_BYTES);
        r.append("run-start", serde_json::json!({}));
        let filler = "x".repeat(1000);
        while r.written() + 1200 < MIN_MAX_BYTES - RESERVE {
            r.append("print", serde_json::json!({ "text": filler }));
        }
        // The intent fits; the result (64 KiB of output) does not: kept by digest and size.
        let call = r.append("call", serde_json::json!({ "iface": "fs" }));
        r.append("decision", serde_json::json!({ "decision": "confirmed" }));
        r.append("result", serde_json::json!({ "call": call, "status": 0, "stdout": "y".repeat(65536) }));
        assert!(r.full.is_some() && r.take_filled() == Some(MIN_MAX_BYTES) && r.take_filled().is_none());
        // Nothing ordinary any more; the closing lines still fit.
        let before = r.written();
        r.append("print", serde_json::json!({ "text": "dropped" }));
        r.append("call", serde_json::json!({ "iface": "fs" }));
        assert_eq!(r.written(), before);
        r.append("limit", serde_json::json!({ "limit": "trace" }));
        r.append("run-end", serde_json::json!({ "status": 126 }));
        r.seal("c", "m", serde_json::json!({}));
        assert!(r.written() <= MIN_MAX_BYTES);
        let j = Journal::read(&path).unwrap();
        let kinds: Vec<&str> = j.lines.iter().rev().take(5).map(Line::kind).collect();
        assert_eq!(kinds, ["seal", "run-end", "limit", "result", "decision"]);
        let result = &j.lines[j.lines.len() - 4].event;
        assert_eq!(result["stdout_bytes"], 65536);
        assert_eq!(result["stdout_sha256"], sha256_hex("y".repeat(65536).as_bytes()));
        assert!(result.get("stdout").is_none() && result["truncated"].is_string());
        // The chain holds across what was not written.
        assert!(j.lines.windows(2).all(|w| w[1].prev() == Some(w[0].hash.as_str())));
        // A result kept by digest answers nothing on replay.
        let g = j.guest_events();
        assert!(g.iter().find(|e| e.is_call()).unwrap().answer.is_none());
    }

    #[test]
    fn guest_events_leave_out_what_a_resume_did_not_trust() {
        let path = temp("resumed");
        let mut r = Recorder::create(&path, None, Redactor::default()).unwrap();
        r.append("run-start", serde_json::json!({}));
        let ok = |r: &mut Recorder, what: &str| {
            let c = r.append("call", serde_json::json!({ "iface": "fs", "req": what }));
            r.append("decision", serde_json::json!({ "decision": "allowed" }));
            r.append("result", serde_json::json!({ "call": c, "status": 0 }));
        };
        ok(&mut r, "a"); // seq 1-3
        let flight = r.append("call", serde_json::json!({ "iface": "process", "req": "b" })); // seq 4
        r.append("decision", serde_json::json!({ "decision": "confirmed" }));
        ok(&mut r, "untrusted"); // seq 6-8: the tail the resume did not trust
        r.append("resume", serde_json::json!({ "replayed_to": 6 }));
        r.append("resume-in-flight", serde_json::json!({ "call": flight, "again": true }));
        let again = r.append("call", serde_json::json!({ "iface": "process", "req": "b" }));
        r.append("result", serde_json::json!({ "call": again, "status": 0 }));
        ok(&mut r, "c");
        let j = Journal::read(&path).unwrap();
        let events = j.guest_events();
        let reqs: Vec<&str> = events.iter().map(|e| e.event["req"].as_str().unwrap()).collect();
        assert_eq!(reqs, ["a", "b", "c"], "each call once, in the component's order");
        assert!(j.guest_events().iter().all(|e| e.answer.is_some()));
        // The first 6 lines: the call in flight, a change with no result: asked about.
        let prefix = j.recorded(6);
        assert!(prefix[1].answer.is_none() && prefix[1].may_have_changed());
        assert!(!prefix[0].may_have_changed());
    }
}

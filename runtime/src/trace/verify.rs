//! `playbook verify TRACE`: the chain, the canonical form of every line, the checkpoints, the
//! seal (DSSE over an in-toto Statement), its subjects, and that every call the host allowed
//! was allowed by the manifest embedded in the trace. The first bad line is named by its `seq`.

use ed25519_dalek::VerifyingKey;
use playbook_capability::Effect;
use playbook_capability::scope::{same_scope_of, same_scope_on, show_scope, target_key};
use serde_json::Value;

use super::{GENESIS, Journal, canonical, seal, sha256_hex};
use crate::policy;

/// What verification found.
#[derive(Debug, Default)]
pub struct Report {
    /// Events read (lines).
    pub events: usize,
    /// The first problem: `seq N: …`.
    pub error: Option<String>,
    /// The trace ends with its seal.
    pub sealed: bool,
    /// The seal carries a signature…
    pub signed: bool,
    /// …that the given public key verified.
    pub signature_verified: bool,
    pub checkpoints: usize,
    /// Calls checked against the embedded manifest.
    pub calls: usize,
    /// A call whose intent was recorded with no result after it: in flight when the run stopped.
    pub in_flight: Option<String>,
    pub playbook: String,
    pub status: Option<i64>,
    /// The lines are intact but the run did not finish (no seal, or a last line cut off by a
    /// crash): `error` says which, and `verify` exits 3 rather than 1.
    pub incomplete: bool,
    /// What a reader should know about an intact trace: resumes (and what they did not trust),
    /// limits that stopped the run.
    pub notes: Vec<String>,
}

impl Report {
    #[must_use]
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.sealed
    }
}

/// What is wrong with line `i` of a chain whose previous line hashed to `prev`: `(seq, why)`.
fn chain_error(i: usize, line: &super::Line, prev: &str) -> Option<(usize, String)> {
    let seq = line.seq();
    if seq != Some(i as u64) {
        let found = seq.map_or_else(|| "none".to_string(), |s| s.to_string());
        return Some((i, format!("found seq {found} where seq {i} belongs: a line was deleted, inserted or moved")));
    }
    if line.prev() != Some(prev) {
        // The line before no longer hashes to what this one recorded.
        return Some((
            i.saturating_sub(1),
            format!("the line was edited (its hash is not the `prev` that seq {i} recorded)"),
        ));
    }
    if !line.canonical {
        return Some((i, "the line is not in canonical form: it was edited".into()));
    }
    if line.version() != Some(super::VERSION) {
        return Some((i, format!("unknown trace format version {:?}", line.version())));
    }
    None
}

/// Whether the checkpoint `e` at seq `i` is `key`'s signature of the chain's head `prev`.
fn checkpoint_verifies(key: &VerifyingKey, i: usize, prev: &str, e: &Value) -> bool {
    let body = canonical(&serde_json::json!({ "seq": i, "head": prev }));
    e["head"].as_str() == Some(prev)
        && seal::check(key, seal::CHECKPOINT_TYPE, body.as_bytes(), e["sig"].as_str().unwrap_or_default())
}

/// Complete lines after the last one read that are not JSON, or anything after the seal: an
/// edit, never what a crash leaves (one torn last line).
fn trailing_error(journal: &Journal) -> Option<(usize, String)> {
    journal.trailing_lines().then(|| {
        let n = journal.lines.len();
        let what = if journal.sealed() {
            "something follows the seal (an appended line, even an empty one): the trace was edited"
        } else {
            "the line is not a JSON object, and more follows it: the trace was edited"
        };
        (n, format!("{what} (line {})", n + 1))
    })
}

/// What `--resume` may trust of an unfinished trace.
#[derive(Debug, Default)]
pub struct Prefix {
    /// The `seq` of the last checkpoint that verified with the key: every line before it is
    /// covered by a signature.
    pub covered: Option<u64>,
    /// Why the trace is not verified (`seq N: …`): no key to check it with, no checkpoint, or a
    /// checkpoint that does not verify. `--resume-unverified` overrides this, and only this.
    pub unverified: Option<String>,
}

/// Checks an unfinished trace before `--resume` replays any of it: the chain (every line's
/// `seq`, `prev`, canonical form and version), the embedded manifest against its digest, and
/// each checkpoint's signature with `public`.
///
/// # Errors
/// `seq N: …` when the chain itself is broken (edited, not re-chained; garbage lines): nothing
/// can extend it into a trace that verifies, so no flag overrides this.
pub fn resume_prefix(journal: &Journal, public: Option<&VerifyingKey>) -> Result<Prefix, String> {
    let mut p = Prefix::default();
    let mut prev = GENESIS.to_string();
    for (i, line) in journal.lines.iter().enumerate() {
        if let Some((seq, why)) = chain_error(i, line, &prev) {
            return Err(format!("seq {seq}: {why}"));
        }
        let e = &line.event;
        if i == 0 {
            if line.kind() != "run-start" {
                return Err("seq 0: the trace does not begin with run-start".into());
            }
            if e["manifest_sha256"].as_str() != Some(sha256_hex(canonical(&e["manifest"]).as_bytes()).as_str()) {
                return Err("seq 0: the embedded manifest does not match its digest".into());
            }
        }
        if line.kind() == "checkpoint" && p.unverified.is_none() {
            match public {
                Some(key) if checkpoint_verifies(key, i, &prev, e) => p.covered = Some(i as u64),
                Some(_) => {
                    p.unverified = Some(format!(
                        "seq {i}: the checkpoint's signature does not verify with the key given (--key): the lines before it were edited and re-chained, or another key signed them"
                    ));
                }
                None => {}
            }
        }
        prev.clone_from(&line.hash);
    }
    if let Some((seq, why)) = trailing_error(journal) {
        return Err(format!("seq {seq}: {why}"));
    }
    if p.unverified.is_none() {
        if public.is_none() {
            p.unverified = Some("seq 0: no --key was given, so no signature of the trace can be checked".into());
        } else if p.covered.is_none() {
            p.unverified = Some(format!(
                "seq {}: no checkpoint signed with the key given covers any of the trace (it was recorded without --key, or its checkpoints were removed)",
                journal.lines.len()
            ));
        }
    }
    Ok(p)
}

fn fail(report: &mut Report, seq: impl std::fmt::Display, msg: &str) {
    if report.error.is_none() {
        report.error = Some(format!("seq {seq}: {msg}"));
    }
}

/// Verifies a trace file. `public` is the key the seal and checkpoints must be signed with;
/// `component` the bytes the run must have been of.
///
/// The file is read in blocks and each line verified and dropped as it comes: memory stays
/// bounded by a block, whatever the trace's length (the lines of a block are parsed on every
/// core, in order).
///
/// # Errors
/// When the file cannot be read.
pub fn verify(
    path: &std::path::Path,
    public: Option<&VerifyingKey>,
    component: Option<&[u8]>,
) -> Result<Report, String> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut v = Verifier::new(public, component);
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK + (64 << 10));
    // What follows the last line that was read: a line that is not JSON, or a last line cut
    // off (no newline), and whether a complete line comes after the last good one.
    let (mut torn, mut rest_has_line, mut rest_empty) = (None, false, true);
    let mut eof = false;
    while !eof && torn.is_none() {
        let had = block.len();
        block.resize(had + BLOCK, 0);
        let mut filled = had;
        while filled < block.len() {
            match file.read(&mut block[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(cannot(e)),
            }
        }
        block.truncate(filled);
        // The complete lines of the block; a partial last line waits for the next block.
        let cut = memchr::memrchr(b'\n', &block).map_or(0, |i| i + 1);
        let tail = block.split_off(cut);
        let lines = Journal::from_bytes(path, std::mem::take(&mut block), true);
        for line in &lines.lines {
            if !v.line(line, &lines.bytes[line.start..line.end]) {
                break;
            }
        }
        if let Some(t) = &lines.torn {
            // (A complete line that is not JSON: the lines after it are not read.)
            torn = Some(t.replacen(&format!("line {}", lines.lines.len() + 1), &format!("line {}", v.count + 1), 1));
            rest_has_line = true;
            rest_empty = false;
        }
        // The block's memory serves the next one, which begins with the partial line.
        block = lines.bytes;
        block.clear();
        block.extend_from_slice(&tail);
        if v.report.error.is_some() {
            break;
        }
    }
    if torn.is_none() && !block.is_empty() {
        // A last line without its newline: what a crash leaves mid-write.
        rest_empty = false;
        torn = Some(format!("the last line (after seq {}) is cut off", v.count.saturating_sub(1)));
    }
    let trailing = !rest_empty && (v.sealed_seen || rest_has_line);
    Ok(v.finish(trailing, torn.as_deref()))
}

/// Bytes read from a trace file at a time by [`verify`].
const BLOCK: usize = 4 << 20;

/// Verifies a trace already read (or given as bytes: `Journal::from_bytes`).
///
/// # Errors
/// None today; kept for symmetry with `verify`.
pub fn verify_journal(
    journal: &Journal,
    public: Option<&VerifyingKey>,
    component: Option<&[u8]>,
) -> Result<Report, String> {
    let mut v = Verifier::new(public, component);
    for line in &journal.lines {
        if !v.line(line, &journal.bytes[line.start..line.end]) {
            break;
        }
    }
    v.count = journal.lines.len();
    Ok(v.finish(journal.trailing_lines(), journal.torn.as_deref()))
}

/// The verification of a trace, fed its lines in order.
struct Verifier<'k> {
    public: Option<&'k VerifyingKey>,
    component: Option<&'k [u8]>,
    report: Report,
    grants: Vec<policy::Grant>,
    start: Option<Value>,
    prev: String,
    /// The call whose intent was read last and has no result yet: its `seq` and its line.
    open_call: Option<(usize, Vec<u8>)>,
    interrupted: Option<String>,
    /// Every byte of the lines read so far (with their newlines): the seal's trace digest.
    digest: sha2::Sha256,
    /// Lines fed.
    count: usize,
    sealed_seen: bool,
}

impl<'k> Verifier<'k> {
    fn new(public: Option<&'k VerifyingKey>, component: Option<&'k [u8]>) -> Self {
        use sha2::Digest as _;
        Self {
            public,
            component,
            report: Report::default(),
            grants: Vec::new(),
            start: None,
            prev: GENESIS.to_string(),
            open_call: None,
            interrupted: None,
            digest: sha2::Sha256::new(),
            count: 0,
            sealed_seen: false,
        }
    }

    /// Verifies line `self.count`; false once the trace failed (no further line is looked at).
    fn line(&mut self, line: &super::Line, raw: &[u8]) -> bool {
        use sha2::Digest as _;
        let i = self.count;
        self.count += 1;
        let r = &mut self.report;
        r.events = self.count;
        if self.sealed_seen {
            fail(r, i, "lines follow the seal");
            return false;
        }
        let e = &line.event;
        if let Some((seq, why)) = chain_error(i, line, &self.prev) {
            fail(r, seq, &why);
            return false;
        }
        let kind = line.kind();
        if i == 0 {
            if kind != "run-start" {
                fail(r, 0, "the trace does not begin with run-start");
                return false;
            }
            r.playbook = e["playbook"].as_str().unwrap_or_default().to_string();
            let manifest = &e["manifest"];
            if e["manifest_sha256"].as_str() != Some(sha256_hex(canonical(manifest).as_bytes()).as_str()) {
                fail(r, 0, "the embedded manifest does not match its digest");
                return false;
            }
            let typed = serde_json::to_string(manifest)
                .map_err(|e| e.to_string())
                .and_then(|t| playbook_capability::manifest::read(&t))
                .and_then(|m| policy::grants_of(&m));
            match typed {
                Ok(g) => self.grants = g,
                Err(err) => {
                    fail(r, 0, &format!("the embedded manifest is unusable: {err}"));
                    return false;
                }
            }
            if let Some(bytes) = self.component {
                let digest = playbook_capability::component::sha256_hex(bytes);
                if e["component_sha256"].as_str() != Some(digest.as_str()) {
                    fail(
                        r,
                        0,
                        &format!(
                            "the run was of component sha256:{}, not of the given one (sha256:{digest})",
                            e["component_sha256"].as_str().unwrap_or("?")
                        ),
                    );
                    return false;
                }
            }
            self.start = Some(e.clone());
        }
        match kind {
            "call" => self.open_call = Some((i, raw.to_vec())),
            "result" if self.open_call.as_ref().map(|(s, _)| *s as u64) == line.call() => self.open_call = None,
            "decision" if matches!(e["decision"].as_str(), Some("allowed" | "confirmed")) => {
                r.calls += 1;
                if let Err(m) = allowed(&self.grants, e) {
                    fail(r, i, &m);
                    return false;
                }
            }
            "checkpoint" => {
                r.checkpoints += 1;
                if let Some(key) = self.public
                    && !checkpoint_verifies(key, i, &self.prev, e)
                {
                    fail(r, i, "the checkpoint's signature does not verify with the given public key");
                    return false;
                }
            }
            "run-end" => r.status = line.status(),
            "resume" => {
                self.interrupted = None;
                r.notes.push(resume_note(i, &serde_json::from_slice(raw).unwrap_or_default()));
            }
            "limit" => {
                let full: Value = serde_json::from_slice(raw).unwrap_or_default();
                if full["limit"] == "trace" {
                    r.notes.push(format!(
                        "seq {i}: the trace reached its size cap ({} bytes): the run was stopped there",
                        full["max"]
                    ));
                }
            }
            "interrupted" => {
                self.interrupted =
                    serde_json::from_slice::<Value>(raw).ok().and_then(|v| v["signal"].as_str().map(str::to_string));
            }
            "seal" => {
                self.sealed_seen = true;
                let trace_digest = hex(&self.digest.clone().finalize());
                if let Err(m) = check_seal(r, e, self.start.as_ref(), &trace_digest, i as u64, &self.prev, self.public)
                {
                    fail(r, i, &m);
                    return false;
                }
                r.sealed = true;
            }
            _ => {}
        }
        self.prev.clone_from(&line.hash);
        self.digest.update(raw);
        self.digest.update(b"\n");
        true
    }

    /// The report, once every line was fed: `trailing` when a complete line follows the last
    /// good one (or anything follows the seal), `torn` what ended the reading early.
    fn finish(mut self, trailing: bool, torn: Option<&str>) -> Report {
        let n = self.count;
        let r = &mut self.report;
        r.events = n;
        if r.error.is_none() {
            if trailing {
                let what = if r.sealed {
                    "something follows the seal (an appended line, even an empty one): the trace was edited"
                } else {
                    "the line is not a JSON object, and more follows it: the trace was edited"
                };
                fail(r, n, &format!("{what} (line {})", n + 1));
            } else if let Some(torn) = torn {
                r.incomplete = true;
                fail(r, n, &format!("{torn}: the run was cut off mid-write"));
            } else if let (false, Some(signal)) = (r.sealed, &self.interrupted) {
                r.incomplete = true;
                fail(
                    r,
                    n,
                    &format!(
                        "the trace ends without its seal: the run was interrupted by {signal}; `playbook run --resume` continues it"
                    ),
                );
            } else if !r.sealed {
                r.incomplete = true;
                fail(
                    r,
                    n,
                    "the trace ends without its seal: the run did not finish (crashed or killed), or the end was cut off",
                );
            }
        }
        r.in_flight = self.open_call.map(|(s, raw)| {
            let full: Value = serde_json::from_slice(&raw).unwrap_or_default();
            format!("seq {s}: {}", describe_call(&full))
        });
        self.report
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What a `resume` event says about the lines before it.
fn resume_note(seq: usize, e: &Value) -> String {
    match (e["verified"].as_bool(), e["verified_to"].as_u64()) {
        (Some(false), _) => format!(
            "seq {seq}: resumed with --resume-unverified ({}): the lines before it were replayed without a verified signature",
            e["unverified"].as_str().unwrap_or("not verified")
        ),
        (Some(true), Some(to)) if to + 1 < seq as u64 => format!(
            "seq {seq}: resumed; the prefix was verified up to the checkpoint at seq {to}; seq {}–{} (after it) were not covered by a signature then, and were not replayed",
            to + 1,
            seq - 1
        ),
        (Some(true), Some(to)) => {
            format!("seq {seq}: resumed; the prefix was verified up to the checkpoint at seq {to}")
        }
        _ => format!("seq {seq}: resumed (a trace of an earlier playbook version: its prefix was not verified)"),
    }
}

fn describe_call(e: &Value) -> String {
    let req = &e["req"];
    let iface = e["iface"].as_str().unwrap_or_default();
    match iface {
        "kube" => format!("kubectl {} {}", req["verb"].as_str().unwrap_or_default(), join(&req["names"])),
        "docker" => format!("docker {} {}", req["verb"].as_str().unwrap_or_default(), join(&req["targets"])),
        "http" => format!("{} {}", req["method"].as_str().unwrap_or_default(), req["url"].as_str().unwrap_or_default()),
        "fs" => format!("{} {}", req["op"].as_str().unwrap_or_default(), join(&req["paths"])),
        "process" => format!("{} {}", req["program"].as_str().unwrap_or_default(), join(&req["args"])),
        other => format!("{other} {}", canonical(req)),
    }
}

fn join(v: &Value) -> String {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")
}

/// A decision the host recorded as allowed must fit the grant it names in the manifest.
fn allowed(grants: &[policy::Grant], e: &Value) -> Result<(), String> {
    let id = e["grant"].as_str().unwrap_or_default();
    let capability = e["capability"].as_str().unwrap_or_default();
    let Some(g) = grants.iter().find(|g| g.id == id) else {
        return Err(format!("{capability} was allowed by grant `{id}`, which the manifest does not have"));
    };
    let scope: Vec<(String, String)> = e["scope"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let privileged = e["privileged"].as_bool().unwrap_or(false);
    let scope_fits = match e["match"].as_str() {
        // A redirect hop: judged on where it goes and what it carries.
        Some("target") if capability == "http.request" => same_scope_on(&g.scope, &scope, target_key),
        Some("exact") | None => same_scope_of(capability, &g.scope, &scope),
        Some(other) => return Err(format!("{capability} was matched as `{other}`, which verify does not know")),
    };
    if g.capability != capability || g.privileged != privileged || !scope_fits {
        return Err(format!(
            "{capability} {} was allowed, but grant `{id}` ({}) does not allow it",
            show_scope(&scope),
            g.capability
        ));
    }
    // The effect confirmed is the grant's, and the call did no more than that.
    let effect = e["effect"].as_str().unwrap_or_default();
    if effect != g.effect.as_str() {
        return Err(format!("{capability} is recorded as {effect}, but grant `{id}` is {}", g.effect));
    }
    let done = e["need_effect"].as_str().and_then(|n| Effect::ALL.into_iter().find(|x| x.as_str() == n));
    if done.is_none_or(|n| n > g.effect) {
        return Err(format!(
            "{capability} did {}, more than grant `{id}` allows ({})",
            e["need_effect"].as_str().unwrap_or("an unrecorded effect"),
            g.effect
        ));
    }
    if e["decision"] == "allowed" && g.effect.changes() {
        return Err(format!(
            "{capability} changes something ({}) but was recorded as allowed without a confirmation",
            g.effect
        ));
    }
    Ok(())
}

fn check_seal(
    r: &mut Report,
    e: &Value,
    start: Option<&Value>,
    trace_digest: &str,
    events: u64,
    head: &str,
    public: Option<&VerifyingKey>,
) -> Result<(), String> {
    let env = &e["envelope"];
    if env["payloadType"] != seal::PAYLOAD_TYPE {
        return Err(format!("the seal's payload type is {}, not {}", env["payloadType"], seal::PAYLOAD_TYPE));
    }
    let payload = seal::b64(env["payload"].as_str().unwrap_or_default()).ok_or("the seal's payload is not base64")?;
    let sigs = env["signatures"].as_array().cloned().unwrap_or_default();
    r.signed = !sigs.is_empty();
    if let Some(key) = public {
        if !r.signed {
            return Err("the run is unsigned, but a public key was given".into());
        }
        // Any one signature by this key; key ids are hints and are not trusted.
        let good =
            sigs.iter().any(|s| seal::check(key, seal::PAYLOAD_TYPE, &payload, s["sig"].as_str().unwrap_or_default()));
        if !good {
            return Err("the seal's signature does not verify with the given public key (wrong key, or forged)".into());
        }
        r.signature_verified = true;
    }
    // Only a verified (or, unsigned, a chained) payload is parsed.
    let statement: Value = serde_json::from_slice(&payload).map_err(|_| "the seal's payload is not JSON")?;
    if statement["_type"] != seal::STATEMENT_TYPE || statement["predicateType"] != seal::PREDICATE_TYPE {
        return Err("the seal is not a playbook run statement".into());
    }
    let subject = |name: &str| {
        statement["subject"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["name"] == name)
            .and_then(|s| s["digest"]["sha256"].as_str())
            .map(str::to_string)
    };
    if subject("trace").as_deref() != Some(trace_digest) {
        return Err("the seal's trace digest does not match the lines before it".into());
    }
    let start = start.ok_or("no run-start")?;
    for (name, field) in [("component", "component_sha256"), ("manifest", "manifest_sha256")] {
        if subject(name).as_deref() != start[field].as_str() {
            return Err(format!("the seal's {name} digest is not the run's"));
        }
    }
    let t = &statement["predicate"]["trace"];
    if t["events"].as_u64() != Some(events) || t["head"].as_str() != Some(head) {
        return Err("the seal counts a different number of events or another head".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Recorder, Redactor, canonical, seal};

    /// A sealed, chained trace with one decision on a `docker restart` grant, as the host would
    /// write it but with `decision` fields of the test's choosing.
    fn one_decision(name: &str, decision: &Value) -> Report {
        let dir = std::env::temp_dir().join(format!("pb-effects-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.jsonl");
        let mut r = Recorder::create(&path, None, Redactor::default()).unwrap();
        let manifest = serde_json::json!({"manifest_version": 2, "playbook": {"name": "t"}, "grants": [
            {"id": "g1", "capability": "docker.container.restart", "effect": "write", "scope": {"container": "web"}}]});
        let digest = sha256_hex(canonical(&manifest).as_bytes());
        r.append(
            "run-start",
            serde_json::json!({"manifest": manifest, "manifest_sha256": digest, "component_sha256": "c"}),
        );
        let mut d = serde_json::json!({"capability": "docker.container.restart", "scope": {"container": "web"},
            "grant": "g1", "privileged": false, "match": "exact"});
        d.as_object_mut().unwrap().extend(decision.as_object().unwrap().clone());
        r.append("decision", d);
        r.append("run-end", serde_json::json!({"status": 0}));
        r.seal("c", &digest, serde_json::json!({}));
        verify(&path, None, None).unwrap()
    }

    #[test]
    fn a_decision_must_carry_its_grant_s_effect_and_stay_within_it() {
        let good = one_decision(
            "good",
            &serde_json::json!({"effect": "write", "need_effect": "write", "decision": "confirmed"}),
        );
        assert!(good.ok(), "{:?}", good.error);
        // A confirmed restart written down as a read is wrong evidence.
        let read = one_decision(
            "read",
            &serde_json::json!({"effect": "read", "need_effect": "read", "decision": "confirmed"}),
        );
        assert!(
            read.error.as_deref().is_some_and(|e| e.contains("recorded as read, but grant `g1` is write")),
            "{:?}",
            read.error
        );
        let more = one_decision(
            "more",
            &serde_json::json!({"effect": "write", "need_effect": "destructive", "decision": "confirmed"}),
        );
        assert!(
            more.error.as_deref().is_some_and(|e| e.contains("did destructive, more than grant `g1`")),
            "{:?}",
            more.error
        );
        let unasked = one_decision(
            "unasked",
            &serde_json::json!({"effect": "write", "need_effect": "write", "decision": "allowed"}),
        );
        assert!(unasked.error.as_deref().is_some_and(|e| e.contains("without a confirmation")), "{:?}", unasked.error);
    }

    #[test]
    fn long_runs_carry_signed_checkpoints_that_verify() {
        let dir = std::env::temp_dir().join(format!("pb-checkpoints-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (key, public, _) = seal::keygen(&dir.join("k")).unwrap();
        let path = dir.join("t.jsonl");
        let mut r = Recorder::create(&path, Some(seal::Signer::load(&key).unwrap()), Redactor::default()).unwrap();
        let manifest = serde_json::json!({"manifest_version": 2, "playbook": {"name": "t"}, "grants": []});
        let digest = sha256_hex(canonical(&manifest).as_bytes());
        r.append(
            "run-start",
            serde_json::json!({"manifest": manifest, "manifest_sha256": digest, "component_sha256": "c"}),
        );
        for i in 0..2500 {
            r.append("print", serde_json::json!({"text": format!("line {i}"), "stderr": false}));
        }
        r.append("run-end", serde_json::json!({"status": 0}));
        r.seal("c", &digest, serde_json::json!({}));
        let public = seal::load_public(&public).unwrap();
        let report = verify(&path, Some(&public), None).unwrap();
        assert!(report.ok() && report.signature_verified, "{:?}", report.error);
        assert_eq!(report.checkpoints, 2);
        // A checkpoint whose signature is not the key's fails at its seq.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let i = lines.iter().position(|l| l.contains("\"kind\":\"checkpoint\"")).unwrap();
        let mut e: serde_json::Value = serde_json::from_str(&lines[i]).unwrap();
        e["sig"] = seal::Signer::load(&key).unwrap().sign(seal::CHECKPOINT_TYPE, b"something else").into();
        lines[i] = canonical(&e);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let report = verify(&path, Some(&public), None).unwrap();
        let err = report.error.unwrap();
        assert!(err.starts_with(&format!("seq {i}: the checkpoint's signature")), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }
}

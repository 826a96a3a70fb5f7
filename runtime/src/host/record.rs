//! Recording and replaying the guest's calls. Every host function goes through here: when
//! recording, a call's typed request is appended to the trace (and flushed) before it is carried
//! out, and its result after; when replaying (`playbook replay`, or the finished prefix of
//! `run --resume`), the call must be the one the trace has at that position — same interface,
//! same request, arguments included — and the recorded result is returned with no live effect.

use serde_json::{Value, json};

use super::HostState;
use crate::bindings::{Error, Io, Outcome};
use crate::trace::{self, comparable};

/// Replaying a recorded trace.
#[derive(Debug, Default)]
pub struct Replay {
    /// The recorded guest events with the host's answers (`--resume`: those of the verified
    /// prefix only).
    pub events: Vec<trace::Recorded>,
    pub pos: usize,
    /// The first divergence, if the component did something else.
    pub diverged: Option<String>,
    /// `--resume`: once the recorded events are used up, the run goes on live.
    pub then_live: bool,
    /// Replayed events (for the summary).
    pub replayed: usize,
    /// `--resume`: the guest events recorded after the last verified checkpoint. Not trusted,
    /// so never replayed: while the component does the same again live, a change among them is
    /// asked about before it is made again (it may have been made).
    pub tail: Vec<trace::Recorded>,
    pub tail_pos: usize,
    /// `--resume`: the `seq` of the checkpoint the prefix was verified up to.
    pub verified_to: Option<u64>,
}

/// What replay says about a guest event.
pub enum Replayed {
    /// Not replaying (or past the recorded prefix of a resume): do it live.
    Live,
    /// The recorded answer to it.
    Answer(Value),
    /// The component diverged from the trace (already reported).
    Diverged(Error),
}

/// A typed request as the trace records it (and replay compares it): the request in the
/// capability vocabulary, with the grant it names.
#[must_use]
pub fn request_json(grant: u32, request: &impl serde::Serialize) -> Value {
    let mut v = serde_json::to_value(request).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("grant".into(), grant.into());
    }
    v
}

fn io_json(io: &Io) -> Value {
    let mut v =
        json!({ "stdin": io.stdin, "capture": io.capture, "merge": io.merge_stderr, "discard": io.discard_stderr });
    // (The pipes of a pipeline, only where there are: other calls' lines stay as they were.)
    if io.stdin_pipe != 0 {
        v["stdin_pipe"] = io.stdin_pipe.into();
    }
    if io.stdout_pipe != 0 {
        v["stdout_pipe"] = io.stdout_pipe.into();
    }
    v
}

impl HostState {
    /// Appends an event to the trace, if there is one; its `seq`. When that line reaches the
    /// trace's size cap, the operator is told and a `limit` event closes the trace's ordinary
    /// lines: the run stops (no further call, the guest interrupted at its next epoch).
    pub fn trace(&self, kind: &str, fields: Value) -> Option<u64> {
        let rec = self.recorder.as_ref()?;
        let (seq, filled) = {
            let mut r = rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let seq = r.append(kind, fields);
            (seq, r.take_filled())
        };
        if let Some(max) = filled {
            self.event(
                "limit",
                &format!(
                    "  ✗ limit: the trace reached its size cap ({max} bytes, --trace-max-bytes): the run stops here"
                ),
                json!({ "limit": "trace", "max": max }),
            );
        }
        Some(seq)
    }

    /// Why the run must stop now, if it must: a signal was received, or the trace is full.
    /// Checked at the start of every host call (the guest itself is stopped by the epoch).
    #[must_use]
    pub fn stopping(&self) -> Option<String> {
        if let Some(code) = crate::run::signal_received() {
            return Some(format!("interrupted by {}: no further call is made", crate::run::signal_name(code)));
        }
        let rec = self.recorder.as_ref()?;
        rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner).full.clone()
    }

    /// Checks a guest event against the recording when replaying.
    pub fn replaying(&mut self, kind: &str, fields: &Value) -> Replayed {
        let Some(rp) = self.replay.as_mut() else { return Replayed::Live };
        if rp.diverged.is_some() {
            return Replayed::Diverged(Error::Denied("replay already diverged".into()));
        }
        let mut got = fields.clone();
        if let Some(m) = got.as_object_mut() {
            m.insert("kind".into(), kind.into());
        }
        let Some(recorded) = rp.events.get(rp.pos).cloned() else {
            if rp.then_live {
                return self.after_prefix(&got);
            }
            let msg = format!(
                "the component goes on with {kind} {}, but the trace has no more events",
                trace::canonical(fields)
            );
            return self.diverge(&msg);
        };
        let seq = recorded.seq();
        let expected = comparable(&recorded.event);
        if expected != comparable(&got) {
            let msg = format!(
                "first divergence at seq {seq}: the trace has {}, the component did {}",
                trace::canonical(&expected),
                trace::canonical(&comparable(&got))
            );
            return self.diverge(&msg);
        }
        rp.pos += 1;
        rp.replayed += 1;
        match recorded.answer {
            Some(a) => Replayed::Answer(a),
            // A call in flight when the run stopped (or whose result no signature covers).
            None if rp.then_live && recorded.may_have_changed() => self.in_flight(&recorded, None),
            None if rp.then_live => {
                // It only read (or was refused): it is simply made again.
                rp.events.truncate(rp.pos);
                self.trace("resume-in-flight", json!({ "call": seq, "again": true, "asked": false }));
                Replayed::Live
            }
            None => {
                self.diverge(&format!("seq {seq}: the trace has no result for this call (the run was cut off here)"))
            }
        }
    }

    /// `--resume`, past the verified prefix: everything is live; while the component does
    /// what the unverified tail recorded, a change recorded there is asked about first.
    fn after_prefix(&mut self, got: &Value) -> Replayed {
        let Some(rp) = self.replay.as_mut() else { return Replayed::Live };
        let Some(t) = rp.tail.get(rp.tail_pos).cloned() else { return Replayed::Live };
        if comparable(&t.event) != comparable(got) {
            // The component went another way (a read answered differently live): what the tail
            // says says nothing about what comes now.
            rp.tail.clear();
            return Replayed::Live;
        }
        rp.tail_pos += 1;
        if t.is_call() && t.may_have_changed() {
            let covered = rp.verified_to.unwrap_or_default();
            return self.in_flight(&t, Some(covered));
        }
        Replayed::Live
    }

    fn diverge(&mut self, msg: &str) -> Replayed {
        if let Some(rp) = self.replay.as_mut()
            && rp.diverged.is_none()
        {
            rp.diverged = Some(msg.to_string());
        }
        Replayed::Diverged(self.deny_text(&format!("replay: {msg}")))
    }

    /// `--resume` met the call that was in flight, or (`unsigned_after`: the seq of the last
    /// verified checkpoint) a change recorded after it: run it again only if the operator says
    /// so.
    fn in_flight(&mut self, recorded: &trace::Recorded, unsigned_after: Option<u64>) -> Replayed {
        let seq = recorded.seq();
        let what = trace::canonical(&recorded.event["req"]);
        let why = match (unsigned_after, &recorded.answer) {
            (None, _) => format!("seq {seq} was in flight when the run stopped"),
            (Some(c), None) => {
                format!("seq {seq} was in flight when the run stopped (after the last verified checkpoint, seq {c})")
            }
            (Some(c), Some(_)) => format!(
                "seq {seq} is a change recorded after the last verified checkpoint (seq {c}): it may have been made"
            ),
        };
        let again = if self.opts.interactive {
            match super::operator::ask(&format!("  ? {why}: {what}\n    run it again? [y/N] ")).as_deref() {
                Some(answer) => matches!(answer, "y" | "Y" | "yes"),
                None => return Replayed::Diverged(self.stopped()),
            }
        } else {
            self.opts.policy.yes
        };
        let mut fields = json!({ "call": seq, "again": again });
        if unsigned_after.is_some() {
            fields["unverified"] = true.into();
        }
        self.trace("resume-in-flight", fields);
        if again {
            if let Some(rp) = self.replay.as_mut() {
                rp.events.truncate(rp.pos);
            }
            return Replayed::Live;
        }
        // Not finished: the trace stays open (not sealed), so the run can be resumed again.
        self.leave_open = Some(format!("seq {seq} was not confirmed to run again"));
        Replayed::Diverged(self.deny_text(&format!(
            "{why} and was not confirmed to run again (pass --yes, or answer on a terminal); the trace is left open: resume it again"
        )))
    }

    /// Before a call: replays it, or records its intent. `Some` is the call's outcome.
    pub fn begin_call(&mut self, iface: &str, req: &Value, io: &Io) -> Option<Result<Outcome, Error>> {
        // A signal stops the run: no call starts after it (the guest is stopped at its next
        // epoch; this holds between the two).
        if let Some(code) = crate::run::signal_received() {
            let why = format!("interrupted by {}: no further call is made", crate::run::signal_name(code));
            return Some(Err(Error::Denied(why)));
        }
        let fields = json!({ "iface": iface, "req": req, "io": io_json(io) });
        match self.replaying("call", &fields) {
            Replayed::Answer(a) => {
                // A pipe's reader that replay answers runs nowhere: what writes into its pipe
                // live (a resume's first live calls) finds it closed instead of filling it.
                if io.stdin_pipe != 0 {
                    self.drop_reader(io.stdin_pipe);
                }
                return Some(self.replayed_outcome(&a, io));
            }
            Replayed::Diverged(e) => return Some(Err(e)),
            Replayed::Live => {}
        }
        self.call_seq = self.trace("call", fields);
        // Fail closed: an audited run makes no call whose intent could not be written.
        if let Some(why) = self.trace_broken() {
            self.call_seq = None;
            return Some(Err(self.deny_text(&format!("{why}: no call is made unrecorded"))));
        }
        self.shown.clear();
        self.shown_bytes = 0;
        self.checked_paths.get_mut().clear();
        self.take_call_pipes(io);
        None
    }

    /// Why the trace can no longer be written (disk full, file gone unwritable, its size cap
    /// reached), if so.
    #[must_use]
    pub fn trace_broken(&self) -> Option<String> {
        let rec = self.recorder.as_ref()?;
        let r = rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        r.broken.clone().or_else(|| r.full.clone())
    }

    /// After a live call that may read or write a pipe of the pipeline (`reads`: the pipe of
    /// its `io.stdin-pipe`): its output into the pipe, its reader registered, its result.
    ///
    /// # Errors
    /// The call's own error, as it came.
    pub async fn end_piped(&mut self, reads: u32, result: Result<Outcome, Error>) -> Result<Outcome, Error> {
        let (result, extra) = self.settle_pipes(reads, result).await;
        self.end_call_with(&result, extra);
        result
    }

    /// After a live call: its result.
    pub fn end_call(&mut self, result: &Result<Outcome, Error>) {
        self.end_call_with(result, json!({}));
    }

    /// After a live call: its result, with fields about its pipes.
    fn end_call_with(&mut self, result: &Result<Outcome, Error>, extra: Value) {
        let Some(call) = self.call_seq.take() else { return };
        let shown = std::mem::take(&mut self.shown);
        let mut fields = match result {
            // Derived from a secret: the trace keeps a mark and a digest, never the text.
            Ok(o) if self.secret_call => json!({
                "call": call, "status": o.status, "secret": true,
                "stdout": if o.stdout.is_empty() { String::new() } else { super::exec::withheld_mark(o.stdout.len() as u64) },
                "stdout_sha256": crate::trace::sha256_hex(o.stdout.as_bytes()),
                "stderr": if o.stderr.is_empty() { String::new() } else { super::exec::withheld_mark(o.stderr.len() as u64) },
            }),
            Ok(o) => json!({ "call": call, "status": o.status, "stdout": o.stdout, "stderr": o.stderr }),
            Err(Error::Denied(m)) => json!({ "call": call, "error": { "denied": m } }),
            Err(Error::Failed(m)) => json!({ "call": call, "error": { "failed": m } }),
        };
        if self.shown_bytes > 0 {
            fields["shown"] = String::from_utf8_lossy(&shown).into_owned().into();
            fields["shown_bytes"] = self.shown_bytes.into();
        }
        if let (Some(f), Value::Object(extra)) = (fields.as_object_mut(), extra) {
            f.extend(extra);
        }
        self.trace("result", fields);
        self.secret_call = false;
    }

    /// A pipeline reader's outcome as the trace recorded it (`pipes.wait`).
    pub(super) fn replayed_pipe_end(&mut self, a: &Value) -> Result<Outcome, Error> {
        let io = super::no_io();
        let mut answer = a["outcome"].clone();
        if let (Some(o), Some(shown)) = (answer.as_object_mut(), a.get("shown")) {
            o.insert("shown".into(), shown.clone());
        }
        self.replayed_outcome(&answer, &io)
    }

    fn replayed_outcome(&mut self, a: &Value, io: &Io) -> Result<Outcome, Error> {
        if let Some(e) = a.get("error") {
            let m = e["denied"].as_str().or(e["failed"].as_str()).unwrap_or_default().to_string();
            return Err(if e.get("denied").is_some() { Error::Denied(m) } else { Error::Failed(m) });
        }
        let out = Outcome {
            status: i32::try_from(a["status"].as_i64().unwrap_or(1)).unwrap_or(1),
            stdout: a["stdout"].as_str().unwrap_or_default().to_string(),
            stderr: a["stderr"].as_str().unwrap_or_default().to_string(),
        };
        if !self.opts.quiet_replay {
            // What the operator saw, as recorded.
            if let Some(shown) = a["shown"].as_str() {
                super::console::out(shown);
            }
            if !io.discard_stderr && !out.stderr.is_empty() {
                super::console::err(&out.stderr);
            }
        }
        Ok(out)
    }
}

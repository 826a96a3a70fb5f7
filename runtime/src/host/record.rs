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
    /// The recorded guest events with the host's answers.
    pub events: Vec<(Value, Option<Value>)>,
    pub pos: usize,
    /// The first divergence, if the component did something else.
    pub diverged: Option<String>,
    /// `--resume`: once the recorded events are used up, the run goes on live.
    pub then_live: bool,
    /// Replayed events (for the summary).
    pub replayed: usize,
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
    json!({ "stdin": io.stdin, "capture": io.capture, "merge": io.merge_stderr, "discard": io.discard_stderr })
}

impl HostState {
    /// Appends an event to the trace, if there is one; its `seq`.
    pub fn trace(&self, kind: &str, fields: Value) -> Option<u64> {
        let rec = self.recorder.as_ref()?;
        let mut r = rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let seq = r.append(kind, fields);
        Some(seq)
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
        let Some((recorded, answer)) = rp.events.get(rp.pos).cloned() else {
            if rp.then_live {
                return Replayed::Live;
            }
            let msg = format!(
                "the component goes on with {kind} {}, but the trace has no more events",
                trace::canonical(fields)
            );
            return self.diverge(&msg);
        };
        let seq = recorded["seq"].as_u64().unwrap_or_default();
        let expected = comparable(&recorded);
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
        match answer {
            Some(a) => Replayed::Answer(a),
            None if rp.then_live => {
                // A call in flight when the run stopped: asked about before it runs again.
                self.in_flight(seq, &recorded)
            }
            None => {
                self.diverge(&format!("seq {seq}: the trace has no result for this call (the run was cut off here)"))
            }
        }
    }

    fn diverge(&mut self, msg: &str) -> Replayed {
        if let Some(rp) = self.replay.as_mut()
            && rp.diverged.is_none()
        {
            rp.diverged = Some(msg.to_string());
        }
        Replayed::Diverged(self.deny_text(&format!("replay: {msg}")))
    }

    /// `--resume` met the call that was in flight: run it again only if the operator says so.
    fn in_flight(&mut self, seq: u64, recorded: &Value) -> Replayed {
        let what = trace::canonical(&recorded["req"]);
        let again = if self.opts.interactive {
            eprint!("  ? seq {seq} was in flight when the run stopped: {what}\n    run it again? [y/N] ");
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line);
            matches!(line.trim(), "y" | "Y" | "yes")
        } else {
            self.opts.policy.yes
        };
        self.trace("resume-in-flight", json!({ "call": seq, "again": again }));
        if again {
            if let Some(rp) = self.replay.as_mut() {
                rp.events.truncate(rp.pos);
            }
            return Replayed::Live;
        }
        Replayed::Diverged(self.deny_text(&format!(
            "seq {seq} was in flight when the run stopped and was not confirmed to run again (pass --yes, or answer on a terminal)"
        )))
    }

    /// Before a call: replays it, or records its intent. `Some` is the call's outcome.
    pub fn begin_call(&mut self, iface: &str, req: &Value, io: &Io) -> Option<Result<Outcome, Error>> {
        let fields = json!({ "iface": iface, "req": req, "io": io_json(io) });
        match self.replaying("call", &fields) {
            Replayed::Answer(a) => return Some(self.replayed_outcome(&a, io)),
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
        None
    }

    /// Why the trace can no longer be written (disk full, file gone unwritable), if so.
    #[must_use]
    pub fn trace_broken(&self) -> Option<String> {
        let rec = self.recorder.as_ref()?;
        rec.lock().unwrap_or_else(std::sync::PoisonError::into_inner).broken.clone()
    }

    /// After a live call: its result.
    pub fn end_call(&mut self, result: &Result<Outcome, Error>) {
        let Some(call) = self.call_seq.take() else { return };
        let shown = std::mem::take(&mut self.shown);
        let mut fields = match result {
            Ok(o) => json!({ "call": call, "status": o.status, "stdout": o.stdout, "stderr": o.stderr }),
            Err(Error::Denied(m)) => json!({ "call": call, "error": { "denied": m } }),
            Err(Error::Failed(m)) => json!({ "call": call, "error": { "failed": m } }),
        };
        if self.shown_bytes > 0 {
            fields["shown"] = String::from_utf8_lossy(&shown).into_owned().into();
            fields["shown_bytes"] = self.shown_bytes.into();
        }
        self.trace("result", fields);
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
                print!("{shown}");
            }
            if !io.discard_stderr && !out.stderr.is_empty() {
                eprint!("{}", out.stderr);
            }
        }
        Ok(out)
    }
}

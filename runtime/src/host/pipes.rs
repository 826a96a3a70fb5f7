//! Pipes between the commands of a pipeline (the WIT's `pipes`): output flows from the command
//! writing it to the command reading it as it is written, through a pipe of the kernel, never
//! whole in guest or host memory.
//!
//! The guest starts a pipeline at its right end. A call whose `io.stdin-pipe` names a pipe
//! starts its program with the pipe's read end as standard input and returns at once; the
//! calls writing into the pipe (`io.stdout-pipe`) come after it: a program gets the pipe's write
//! end as its standard output, and what the host makes itself (a file's bytes, a builtin's text,
//! a response) is written into it in chunks, off the run's thread. `close` drops the host's own
//! write end, so the reader sees the end of its input once the programs writing have ended;
//! `wait` returns the reader's outcome. When the reader ends early (`| head -n 1`), a program
//! still writing is stopped by SIGPIPE and the host's writes end with EPIPE: status 141, as
//! under bash.

use std::collections::HashMap;
use std::io::{PipeReader, PipeWriter, Read as _, Write as _};

use serde_json::json;

use super::HostState;
use super::record::Replayed;
use crate::bindings::playbook::host::pipes::Host;
use crate::bindings::{Error, Io, Outcome};
use playbook_capability::text::TextRequest;

/// The command reading a pipe.
pub enum Reading {
    /// A program, running; `keep` lives as long as it does (a filter's scratch directory).
    Program { task: tokio::task::JoinHandle<super::exec::Finished>, keep: Option<Box<dyn Send>> },
    /// A task of the host reading it (`> FILE` written from the pipe).
    Task(tokio::task::JoinHandle<Outcome>),
    /// `tee` carried out by the host: its outcome, and what it showed.
    Tee(tokio::task::JoinHandle<(Outcome, Option<super::exec::Sink>)>),
    /// Its outcome is known already: it does not read its input (`echo`, `test`), or it was
    /// refused, failed to start, or is a dry run.
    Done(Result<Outcome, Error>),
    /// `jq` carried out by the host on its whole input, which is collected as it arrives (up
    /// to [`super::exec::OUTPUT_CAP`]).
    Collecting {
        task: tokio::task::JoinHandle<Result<Vec<u8>, u64>>,
        request: Box<TextRequest<String>>,
        io: Io,
        /// Its output goes into the next pipe.
        writes: Option<(u32, PipeWriter)>,
    },
}

/// One pipe: its ends while the host holds them, and what reads it.
struct Pipe {
    reader: Option<PipeReader>,
    writer: Option<PipeWriter>,
    reading: Option<Reading>,
}

/// The run's pipes, by handle.
#[derive(Default)]
pub struct Pipes {
    next: u32,
    open: HashMap<u32, Pipe>,
}

/// The pipes of the call being carried out, from its `io`.
#[derive(Default)]
pub struct CallPipes {
    /// The pipe it reads, until the program started takes the read end.
    pub reads: Option<(u32, PipeReader)>,
    /// The pipe its output goes into: a duplicate of the write end, dropped after the call.
    pub writes: Option<(u32, PipeWriter)>,
    /// The program reading the pipe, once it was started.
    pub started: Option<Reading>,
}

/// What the host wrote into a pipe for one call.
pub struct Written {
    pub bytes: u64,
    pub sha256: String,
    /// The reader had ended (EPIPE).
    pub reader_gone: bool,
}

/// Writes bytes into a pipe off the run's thread (the reader may be a program whose output
/// the run's thread is copying). Returns the pipe's end with what was written.
///
/// # Panics
/// Only if the blocking write itself panicked (it does not: it only calls `write_all`).
pub async fn write_all(w: PipeWriter, data: Vec<u8>) -> (PipeWriter, Written) {
    tokio::task::spawn_blocking(move || {
        let mut w = w;
        let sha256 = crate::trace::sha256_hex(&data);
        let gone = w.write_all(&data).is_err();
        (w, Written { bytes: data.len() as u64, sha256, reader_gone: gone })
    })
    .await
    .unwrap_or_else(|_| panic!("a pipe write does not panic"))
}

/// Copies a file into a pipe off the run's thread, by the kernel (`splice`, through
/// `std::io::copy`): `Err` is the read's error, or the reader ended (`Ok` with `reader_gone`).
/// A file is not hashed as it streams (that would cost more than the copy): what the trace
/// records is the reader's result.
///
/// # Panics
/// Only if the blocking copy itself panicked (it does not: it only reads and writes).
pub async fn copy_file(w: PipeWriter, mut file: std::fs::File) -> (PipeWriter, Result<Written, std::io::Error>) {
    tokio::task::spawn_blocking(move || {
        let mut w = w;
        let copied = std::io::copy(&mut file, &mut w);
        let written = match copied {
            Ok(bytes) => Ok(Written { bytes, sha256: String::new(), reader_gone: false }),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                Ok(Written { bytes: 0, sha256: String::new(), reader_gone: true })
            }
            Err(e) => Err(e),
        };
        (w, written)
    })
    .await
    .unwrap_or_else(|_| panic!("a pipe copy does not panic"))
}

/// Reads a pipe to its end, off the run's thread: `Err` holds how many bytes there were past
/// `cap` (what a native filter holds in memory is bounded).
#[must_use]
pub fn collect(mut r: PipeReader, cap: usize) -> tokio::task::JoinHandle<Result<Vec<u8>, u64>> {
    tokio::task::spawn_blocking(move || {
        let mut data = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut over = 0u64;
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) if data.len() + n <= cap => data.extend_from_slice(&buf[..n]),
                Ok(n) => over += n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        if over > 0 { Err(over) } else { Ok(data) }
    })
}

impl HostState {
    /// Takes the pipes a call's `io` names (live calls only).
    pub(super) fn take_call_pipes(&mut self, io: &Io) {
        let mut cp = CallPipes::default();
        if io.stdin_pipe != 0
            && let Some(r) = self.pipes.open.get_mut(&io.stdin_pipe).and_then(|p| p.reader.take())
        {
            cp.reads = Some((io.stdin_pipe, r));
        }
        if io.stdout_pipe != 0
            && let Some(w) =
                self.pipes.open.get(&io.stdout_pipe).and_then(|p| p.writer.as_ref()).and_then(|w| w.try_clone().ok())
        {
            cp.writes = Some((io.stdout_pipe, w));
        }
        self.call_pipes = cp;
    }

    /// After a live call: what it made itself goes into the pipe it writes (its outcome's
    /// `stdout` then empty); a call reading a pipe leaves its reader registered and returns
    /// status 0 (its outcome comes with `wait`). Returns the result and what the trace adds.
    pub(super) async fn settle_pipes(
        &mut self,
        reads: u32,
        result: Result<Outcome, Error>,
    ) -> (Result<Outcome, Error>, serde_json::Value) {
        let mut cp = std::mem::take(&mut self.call_pipes);
        let mut extra = json!({});
        let mut result = result;
        if let (Some((id, w)), Ok(o)) = (cp.writes.take(), result.as_mut())
            && !o.stdout.is_empty()
        {
            let (_w, written) = write_all(w, std::mem::take(&mut o.stdout).into_bytes()).await;
            if written.reader_gone && o.status == 0 {
                o.status = crate::run::EXIT_SIGPIPE;
            }
            extra["piped"] = json!({ "pipe": id, "bytes": written.bytes, "reader_gone": written.reader_gone });
            // (No digest of what derives from a secret: a short one could be guessed from it.)
            if !self.secret_call {
                extra["piped"]["sha256"] = written.sha256.into();
            }
        }
        if reads != 0 {
            // (A read end not taken is dropped here: what writes into the pipe gets SIGPIPE.)
            drop(cp.reads.take());
            let reading = match (cp.started.take(), &result) {
                (Some(r), _) => Some(r),
                (None, Err(Error::Denied(_))) => None,
                (None, r) => Some(Reading::Done(r.clone())),
            };
            if let Some(reading) = reading {
                // (A reader that failed at once says so now too: `> FILE` that cannot be
                // opened keeps its pipeline from running, as bash does.)
                let failed_now = matches!(&reading, Reading::Done(Ok(o)) if o.status != 0);
                if let Some(p) = self.pipes.open.get_mut(&reads) {
                    p.reading = Some(reading);
                }
                extra["started"] = reads.into();
                if !failed_now {
                    result = Ok(super::ok(""));
                }
            }
        }
        (result, extra)
    }

    /// Drops a pipe's read end that no program will take.
    pub(super) fn drop_reader(&mut self, id: u32) {
        if let Some(p) = self.pipes.open.get_mut(&id) {
            p.reader = None;
        }
    }

    /// The reader's outcome, once it ends.
    async fn wait_live(&mut self, id: u32) -> Result<Outcome, Error> {
        let Some(mut pipe) = self.pipes.open.remove(&id) else {
            return Err(Error::Failed(format!("pipe {id} is not open")));
        };
        pipe.writer = None;
        drop(pipe.reader.take());
        match pipe.reading.take() {
            // A pipeline begun before a resume: its reader ran in the run that stopped, and
            // its end was not recorded. Its output cannot be had again: fail closed.
            None => Err(self.deny_text(&format!(
                "the command reading pipe {id} ran before the run stopped and its end was not recorded: \
                 its output is lost; run this step again"
            ))),
            Some(Reading::Done(r)) => r,
            Some(Reading::Tee(task)) => match task.await {
                Ok((o, sink)) => {
                    let sink_cut = sink.as_ref().is_some_and(|s| s.dropped > 0);
                    if let Some(sink) = sink {
                        // Past the cap of what `$(…)` keeps: the command's error.
                        if sink.dropped > 0 {
                            let msg = format!(
                                "playbook: output of tee passed the {} MiB kept in memory ({} bytes more): the \
                                 command fails\n",
                                super::exec::OUTPUT_CAP >> 20,
                                sink.dropped
                            );
                            self.report(super::failed(1, &msg));
                        }
                        self.keep_shown(&sink.seen);
                        self.shown_bytes += sink.seen_total.saturating_sub(sink.seen.len() as u64);
                    }
                    let cut = sink_cut && o.status == 0;
                    // (Its messages shown; what `$(…)` keeps goes back to the guest.)
                    let o = super::show(self, &Outcome { status: if cut { 1 } else { o.status }, ..o }, true);
                    Ok(Outcome { stderr: String::new(), ..o })
                }
                Err(e) => Err(Error::Failed(format!("tee reading pipe {id} was lost: {e}"))),
            },
            Some(Reading::Task(task)) => match task.await {
                Ok(o) => Ok(self.report(o)),
                Err(e) => Err(Error::Failed(format!("the writer of pipe {id} was lost: {e}"))),
            },
            Some(Reading::Program { task, keep }) => {
                let done = task.await;
                drop(keep);
                match done {
                    Ok(done) => Ok(self.finished(done)),
                    Err(e) => Err(Error::Failed(format!("the program reading pipe {id} was lost: {e}"))),
                }
            }
            Some(Reading::Collecting { task, request, mut io, writes }) => {
                let data = task.await.map_err(|e| Error::Failed(format!("reading pipe {id}: {e}")))?;
                let mut out = match data {
                    Ok(data) => {
                        io.stdin = String::from_utf8_lossy(&data).into_owned();
                        io.stdin_pipe = 0;
                        self.jaq(&request, &io)
                    }
                    Err(over) => super::failed(
                        1,
                        &format!(
                            "playbook: jq's input passed the {} MiB it is given in memory ({over} bytes more): \
                             the command fails\n",
                            super::exec::OUTPUT_CAP >> 20
                        ),
                    ),
                };
                if !out.stderr.is_empty() {
                    let err =
                        Outcome { status: out.status, stdout: String::new(), stderr: std::mem::take(&mut out.stderr) };
                    let shown = super::show(self, &err, true);
                    out.stderr = shown.stderr;
                }
                if let Some((_, w)) = writes {
                    let (_w, written) = write_all(w, std::mem::take(&mut out.stdout).into_bytes()).await;
                    if written.reader_gone && out.status == 0 {
                        out.status = crate::run::EXIT_SIGPIPE;
                    }
                } else if !io.capture {
                    out = super::show(self, &out, false);
                    out.stdout.clear();
                }
                Ok(out)
            }
        }
    }
}

impl Host for HostState {
    async fn open(&mut self) -> u32 {
        self.pipes.next += 1;
        let id = self.pipes.next;
        // A pipe the kernel refuses (out of descriptors) has no ends: a program told to read
        // it gets none, and what writes into it fails as into a closed one.
        let (reader, writer) = std::io::pipe().map_or((None, None), |(r, w)| (Some(r), Some(w)));
        self.pipes.open.insert(id, Pipe { reader, writer, reading: None });
        id
    }

    async fn write(&mut self, pipe: u32, text: String) -> bool {
        if self.stopping().is_some() {
            return false;
        }
        // (The size only: what the shell writes may derive from a secret.)
        let fields = json!({ "pipe": pipe, "bytes": text.len() });
        match self.replaying("pipe-write", &fields) {
            Replayed::Answer(a) => return a["reader_gone"] != true,
            Replayed::Diverged(_) => return false,
            Replayed::Live => {}
        }
        let w = self.pipes.open.get(&pipe).and_then(|p| p.writer.as_ref()).and_then(|w| w.try_clone().ok());
        let gone = match w {
            Some(w) => write_all(w, text.into_bytes()).await.1.reader_gone,
            None => true,
        };
        let mut fields = fields;
        fields["reader_gone"] = gone.into();
        self.trace("pipe-write", fields);
        !gone
    }

    async fn close(&mut self, pipe: u32) {
        if let Some(p) = self.pipes.open.get_mut(&pipe) {
            p.writer = None;
        }
    }

    async fn wait(&mut self, pipe: u32) -> Result<Outcome, Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "pipe": pipe });
        match self.replaying("pipe-end", &fields) {
            Replayed::Answer(a) => {
                self.pipes.open.remove(&pipe);
                return self.replayed_pipe_end(&a);
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        self.shown.clear();
        self.shown_bytes = 0;
        let result = self.wait_live(pipe).await;
        let shown = std::mem::take(&mut self.shown);
        let mut fields = fields;
        fields["outcome"] = match &result {
            Ok(o) => json!({ "status": o.status, "stdout": o.stdout, "stderr": o.stderr }),
            Err(Error::Denied(m)) => json!({ "error": { "denied": m } }),
            Err(Error::Failed(m)) => json!({ "error": { "failed": m } }),
        };
        if self.shown_bytes > 0 {
            fields["shown"] = String::from_utf8_lossy(&shown).into_owned().into();
            fields["shown_bytes"] = self.shown_bytes.into();
        }
        self.trace("pipe-end", fields);
        result
    }
}

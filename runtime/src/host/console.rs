//! The run's own standard output and error. A stream whose reader went away
//! (`playbook run … | head -1`) is an answer, not a crash: the write reports it, the stream is
//! marked closed, and the caller does what bash does: a program writing to it is stopped by
//! SIGPIPE (status 141) and the run goes on; the shell's own output (a builtin's `echo`) ends
//! the run with SIGPIPE's status.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Standard output (0) and error (1), once a write found them closed.
static CLOSED: [AtomicBool; 2] = [AtomicBool::new(false), AtomicBool::new(false)];

/// Writes bytes to standard output (or error) and flushes. `false` when the stream is closed
/// (EPIPE), now or at an earlier write: nothing more is written to it. Other errors (a full
/// disk behind a redirect) are not a closed reader, and the run goes on as before.
pub fn write(to_stderr: bool, bytes: &[u8]) -> bool {
    let i = usize::from(to_stderr);
    if CLOSED[i].load(Ordering::Relaxed) {
        return false;
    }
    let written = if to_stderr {
        let mut e = std::io::stderr().lock();
        e.write_all(bytes).and_then(|()| e.flush())
    } else {
        let mut o = std::io::stdout().lock();
        o.write_all(bytes).and_then(|()| o.flush())
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            CLOSED[i].store(true, Ordering::Relaxed);
            false
        }
        _ => true,
    }
}

/// [`write`] of text to standard output.
#[allow(clippy::must_use_candidate)] // (Where a lost line matters, the caller looks.)
pub fn out(text: &str) -> bool {
    write(false, text.as_bytes())
}

/// [`write`] of text to standard error.
#[allow(clippy::must_use_candidate)] // (Where a lost line matters, the caller looks.)
pub fn err(text: &str) -> bool {
    write(true, text.as_bytes())
}

/// Whether standard output (or error) was found closed.
#[must_use]
pub fn closed(to_stderr: bool) -> bool {
    CLOSED[usize::from(to_stderr)].load(Ordering::Relaxed)
}

/// Restores SIGPIPE's default disposition (the Rust runtime ignores it), so that a write to a
/// closed pipe ends the process quietly with status 141, as it ends `cat` or `grep`. For the
/// commands that only print; called at start-up, before any thread runs.
#[allow(unsafe_code)]
pub fn default_sigpipe() {
    // SAFETY: `signal` with `SIG_DFL` installs no handler (no code runs in signal context), and
    // no other thread exists yet that could be changing dispositions at the same time.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

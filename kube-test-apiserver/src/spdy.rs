//! The streaming side of the API: `kubectl exec` and `kubectl port-forward` over SPDY/3.1.
//!
//! kubectl first asks for a WebSocket; the server declines (as an older API server would), and
//! kubectl falls back to an HTTP upgrade to SPDY/3.1, where each of its streams (error, stdout,
//! stderr for exec; error and data per connection for port-forward) is a SPDY stream. Only what
//! those two protocols use is implemented: `SYN_STREAM`/`SYN_REPLY` with zlib-compressed header
//! blocks, DATA with FIN, `RST_STREAM`, PING and GOAWAY. No flow control: the client does not
//! enforce it either.
//!
//! The session runs on the connection hyper hands over after the `101` (`http.rs`), as tokio
//! tasks: one reads frames, one per forwarded connection copies what the target sends. Exec runs
//! the built-in commands of `container.rs`; port-forward connects to the pod's
//! `playbook.test/port-N` address, and without one fails the way a closed port does.

use std::collections::HashMap;
use std::sync::Arc;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{Mutex, oneshot};

use crate::container;

/// The header names SPDY/3's zlib dictionary lists with a length prefix, in its order.
const DICTIONARY_WORDS: &[&str] = &[
    "options",
    "head",
    "post",
    "put",
    "delete",
    "trace",
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "accept-ranges",
    "age",
    "allow",
    "authorization",
    "cache-control",
    "connection",
    "content-base",
    "content-encoding",
    "content-language",
    "content-length",
    "content-location",
    "content-md5",
    "content-range",
    "content-type",
    "date",
    "etag",
    "expect",
    "expires",
    "from",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "last-modified",
    "location",
    "max-forwards",
    "pragma",
    "proxy-authenticate",
    "proxy-authorization",
    "range",
    "referer",
    "retry-after",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "vary",
    "via",
    "warning",
    "www-authenticate",
    "method",
    "get",
    "status",
    "200 OK",
    "version",
    "HTTP/1.1",
    "url",
    "public",
    "set-cookie",
    "keep-alive",
    "origin",
];

/// The dictionary's unprefixed tail: status codes, reason phrases, dates, common values.
const DICTIONARY_TAIL: &str = concat!(
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505",
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request",
    "401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented",
    "503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ",
    "Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,",
    "application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=",
    "gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.",
);

/// SPDY/3's preset zlib dictionary for header blocks.
#[must_use]
pub fn dictionary() -> Vec<u8> {
    let mut d = Vec::with_capacity(1500);
    for w in DICTIONARY_WORDS {
        d.extend_from_slice(&u32::try_from(w.len()).unwrap_or(0).to_be_bytes());
        d.extend_from_slice(w.as_bytes());
    }
    d.extend_from_slice(DICTIONARY_TAIL.as_bytes());
    d
}

const SYN_STREAM: u16 = 1;
const SYN_REPLY: u16 = 2;
const RST_STREAM: u16 = 3;
const PING: u16 = 6;
const GOAWAY: u16 = 7;
const FLAG_FIN: u8 = 1;

/// What the upgraded connection serves.
#[derive(Debug, Clone)]
pub enum Session {
    /// `kubectl exec`: the command, the pod, the container's environment, which streams.
    Exec { command: Vec<String>, pod: String, env: Vec<(String, String)>, stderr: bool, stdin: bool, tty: bool },
    /// `kubectl port-forward`: the pod, and where each of its ports leads (`port → address`).
    PortForward { pod: String, targets: HashMap<u16, String> },
}

impl Session {
    /// The stream protocol this session speaks, for the upgrade response.
    #[must_use]
    pub fn protocol(&self) -> &'static str {
        match self {
            Self::Exec { .. } => "v4.channel.k8s.io",
            Self::PortForward { .. } => "portforward.k8s.io",
        }
    }
}

/// The write half: frames go out whole, one at a time, through one compressor.
struct Out {
    stream: Box<dyn AsyncWrite + Send + Unpin>,
    deflate: Compress,
}

#[derive(Clone)]
struct Writer(Arc<Mutex<Out>>);

impl Writer {
    async fn control(&self, kind: u16, flags: u8, body: &[u8]) -> std::io::Result<()> {
        let mut frame = Vec::with_capacity(8 + body.len());
        frame.extend_from_slice(&[0x80, 3]);
        frame.extend_from_slice(&kind.to_be_bytes());
        frame.push(flags);
        frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(0).to_be_bytes()[1..]);
        frame.extend_from_slice(body);
        let mut out = self.0.lock().await;
        out.stream.write_all(&frame).await?;
        out.stream.flush().await
    }

    async fn reply(&self, id: u32) -> std::io::Result<()> {
        let mut out = self.0.lock().await;
        // An empty header block: zero pairs, compressed in the connection's zlib stream.
        let mut block = Vec::with_capacity(64);
        let _ = out.deflate.compress_vec(&[0, 0, 0, 0], &mut block, FlushCompress::Sync);
        let mut body = id.to_be_bytes().to_vec();
        body.extend_from_slice(&block);
        let mut frame = vec![0x80, 3, 0, u8::try_from(SYN_REPLY).unwrap_or(2), 0];
        frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(0).to_be_bytes()[1..]);
        frame.extend_from_slice(&body);
        out.stream.write_all(&frame).await?;
        out.stream.flush().await
    }

    async fn data(&self, id: u32, bytes: &[u8], fin: bool) -> std::io::Result<()> {
        let mut chunks: Vec<&[u8]> = bytes.chunks(16 * 1024).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        let last = chunks.len() - 1;
        let mut out = self.0.lock().await;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let mut frame = Vec::with_capacity(8 + chunk.len());
            frame.extend_from_slice(&(id & 0x7fff_ffff).to_be_bytes());
            frame.push(if fin && i == last { FLAG_FIN } else { 0 });
            frame.extend_from_slice(&u32::try_from(chunk.len()).unwrap_or(0).to_be_bytes()[1..]);
            frame.extend_from_slice(chunk);
            out.stream.write_all(&frame).await?;
        }
        out.stream.flush().await
    }
}

/// Inflates header blocks; one zlib stream per connection and direction.
struct HeaderReader {
    inflate: Decompress,
    dictionary: Vec<u8>,
}

impl HeaderReader {
    fn read(&mut self, block: &[u8]) -> Option<Vec<(String, String)>> {
        let mut out = Vec::with_capacity(block.len() * 4 + 64);
        let mut input = block;
        loop {
            let before_in = self.inflate.total_in();
            out.reserve(1024);
            match self.inflate.decompress_vec(input, &mut out, FlushDecompress::Sync) {
                Ok(Status::Ok | Status::BufError | Status::StreamEnd) => {}
                Err(e) if e.needs_dictionary().is_some() => {
                    self.inflate.set_dictionary(&self.dictionary).ok()?;
                }
                Err(_) => return None,
            }
            let used = usize::try_from(self.inflate.total_in() - before_in).unwrap_or(0);
            input = &input[used.min(input.len())..];
            if input.is_empty() && out.len() < out.capacity() {
                break;
            }
        }
        parse_headers(&out)
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn parse_headers(b: &[u8]) -> Option<Vec<(String, String)>> {
    let n = be32(b, 0)? as usize;
    let mut at = 4;
    let mut pairs = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        let len = be32(b, at)? as usize;
        let name = String::from_utf8_lossy(b.get(at + 4..at + 4 + len)?).into_owned();
        at += 4 + len;
        let len = be32(b, at)? as usize;
        let value = String::from_utf8_lossy(b.get(at + 4..at + 4 + len)?).into_owned();
        at += 4 + len;
        pairs.push((name.to_ascii_lowercase(), value));
    }
    Some(pairs)
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// One frame off the wire.
enum Frame {
    Control { kind: u16, body: Vec<u8> },
    Data { id: u32, flags: u8, body: Vec<u8> },
}

async fn read_frame(stream: &mut (impl AsyncRead + Unpin)) -> std::io::Result<Frame> {
    let mut head = [0u8; 8];
    stream.read_exact(&mut head).await?;
    let len = u32::from_be_bytes([0, head[5], head[6], head[7]]) as usize;
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).await?;
    if head[0] & 0x80 != 0 {
        Ok(Frame::Control { kind: u16::from_be_bytes([head[2], head[3]]), body })
    } else {
        Ok(Frame::Data { id: u32::from_be_bytes([head[0], head[1], head[2], head[3]]), flags: head[4], body })
    }
}

/// Serves one upgraded connection until the client closes it.
pub async fn serve(io: impl AsyncRead + AsyncWrite + Send + Unpin + 'static, session: Session) {
    let (mut reader, write_half) = tokio::io::split(io);
    let writer = Writer(Arc::new(Mutex::new(Out {
        stream: Box::new(write_half),
        deflate: Compress::new(Compression::default(), true),
    })));
    let mut headers = HeaderReader { inflate: Decompress::new(true), dictionary: dictionary() };
    let mut state = State::default();
    while let Ok(frame) = read_frame(&mut reader).await {
        match frame {
            Frame::Control { kind: SYN_STREAM, body, .. } => {
                let Some(id) = be32(&body, 0).map(|v| v & 0x7fff_ffff) else { break };
                let Some(h) = body.get(10..).and_then(|b| headers.read(b)) else { break };
                if writer.reply(id).await.is_err() {
                    break;
                }
                state.opened(&writer, &session, id, &h).await;
            }
            Frame::Control { kind: PING, body, .. } => {
                let _ = writer.control(PING, 0, &body).await;
            }
            Frame::Control { kind: RST_STREAM, body, .. } => {
                if let Some(id) = be32(&body, 0) {
                    state.targets.remove(&(id & 0x7fff_ffff));
                }
            }
            Frame::Control { kind: GOAWAY, .. } => break,
            Frame::Control { .. } => {}
            Frame::Data { id, flags, body } => state.data(id, &body, flags & FLAG_FIN != 0).await,
        }
    }
    // Dropping the state ends every forward; then the connection closes.
    drop(state);
    let _ = writer.0.lock().await.stream.shutdown().await;
}

/// A forwarded connection: where the client's bytes go, and the pump's stop signal (dropped,
/// it ends the pump: the client reset the stream or left).
struct Target {
    to: Option<OwnedWriteHalf>,
    _stop: oneshot::Sender<()>,
}

/// Streams seen so far on one connection.
#[derive(Default)]
struct State {
    /// Exec: stream type → stream id.
    exec: HashMap<String, u32>,
    exec_done: bool,
    /// Port-forward: request id → error stream id.
    errors: HashMap<String, u32>,
    /// Port-forward: data stream id → the connection to the target.
    targets: HashMap<u32, Target>,
}

impl State {
    async fn opened(&mut self, w: &Writer, session: &Session, id: u32, h: &[(String, String)]) {
        let kind = header(h, "streamtype");
        match session {
            Session::Exec { stderr, stdin, tty, .. } => {
                self.exec.insert(kind.to_string(), id);
                let wanted = ["error", "stdout"]
                    .into_iter()
                    .chain(stderr.then_some("stderr"))
                    .chain(stdin.then_some("stdin"))
                    .chain(tty.then_some("resize"));
                if !self.exec_done && wanted.into_iter().all(|k| self.exec.contains_key(k)) {
                    self.exec_done = true;
                    run_exec(w, session, &self.exec).await;
                }
            }
            Session::PortForward { pod, targets } => {
                let request = header(h, "requestid").to_string();
                let port = header(h, "port");
                match kind {
                    "error" => {
                        self.errors.insert(request, id);
                    }
                    "data" => {
                        let error_id = self.errors.get(&request).copied();
                        let target = port.parse::<u16>().ok().and_then(|p| targets.get(&p));
                        let connected = match target {
                            Some(addr) => TcpStream::connect(addr).await.map_err(|e| e.to_string()),
                            None => Err("connect: connection refused".to_string()),
                        };
                        match connected {
                            Ok(conn) => {
                                let (from, to) = conn.into_split();
                                let (stop, stopped) = oneshot::channel();
                                self.targets.insert(id, Target { to: Some(to), _stop: stop });
                                tokio::spawn(pump(from, w.clone(), id, error_id, stopped));
                            }
                            Err(why) => {
                                let message = format!(
                                    "error forwarding port {port} to pod {pod}, uid : failed to execute portforward in network namespace: failed to connect to localhost:{port} inside namespace: {why}"
                                );
                                if let Some(e) = error_id {
                                    let _ = w.data(e, message.as_bytes(), true).await;
                                }
                                let _ = w.data(id, &[], true).await;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    async fn data(&mut self, id: u32, body: &[u8], fin: bool) {
        let Some(target) = self.targets.get_mut(&id) else { return };
        if let Some(to) = target.to.as_mut() {
            if !body.is_empty() && to.write_all(body).await.is_err() {
                self.targets.remove(&id);
                return;
            }
            if fin {
                // Half-close: the target sees the client's end and may still answer.
                let _ = to.shutdown().await;
                target.to = None;
            }
        }
    }
}

/// Copies what the target sends into DATA frames, then ends the data and error streams.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    w: Writer,
    id: u32,
    error_id: Option<u32>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = tokio::select! {
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            },
            _ = &mut stopped => return,
        };
        if w.data(id, &buf[..n], false).await.is_err() {
            return;
        }
    }
    let _ = w.data(id, &[], true).await;
    if let Some(e) = error_id {
        let _ = w.data(e, &[], true).await;
    }
}

/// Runs a built-in command and answers on the exec streams: output, then the status, then FIN.
async fn run_exec(w: &Writer, session: &Session, streams: &HashMap<String, u32>) {
    let Session::Exec { command, pod, env, stderr: want_stderr, tty, .. } = session else { return };
    let (out, err, code) = container::builtin(command, pod, env);
    let (out, err) = if *tty { (format!("{out}{err}").replace('\n', "\r\n"), String::new()) } else { (out, err) };
    if let Some(&id) = streams.get("stdout") {
        let _ = w.data(id, out.as_bytes(), true).await;
    }
    if let Some(&id) = streams.get("stderr") {
        let _ = w.data(id, if *want_stderr { err.as_bytes() } else { &[] }, true).await;
    }
    let status = if code == 0 {
        json!({"metadata": {}, "status": "Success"})
    } else {
        json!({"metadata": {}, "status": "Failure",
               "message": format!("command terminated with non-zero exit code: exit status {code}"),
               "reason": "NonZeroExitCode",
               "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]}})
    };
    if let Some(&id) = streams.get("error") {
        let _ = w.data(id, status.to_string().as_bytes(), true).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_is_spdy3s() {
        // The length and the Adler-32 that zlib puts in a header block's DICTID, which kubectl's
        // SPDY framer (Go's `spdy` package) sends: a wrong byte would fail every exec.
        let d = dictionary();
        assert_eq!(d.len(), 1423);
        let mut c = Compress::new(Compression::default(), true);
        assert_eq!(c.set_dictionary(&d).unwrap(), 0xe3c6_a7c2);
    }

    #[test]
    fn header_blocks_round_trip_through_the_dictionary() {
        let mut block = 2u32.to_be_bytes().to_vec();
        for (k, v) in [("streamtype", "data"), ("port", "8080")] {
            block.extend_from_slice(&u32::try_from(k.len()).unwrap().to_be_bytes());
            block.extend_from_slice(k.as_bytes());
            block.extend_from_slice(&u32::try_from(v.len()).unwrap().to_be_bytes());
            block.extend_from_slice(v.as_bytes());
        }
        let mut c = Compress::new(Compression::default(), true);
        c.set_dictionary(&dictionary()).unwrap();
        let mut z = Vec::with_capacity(256);
        c.compress_vec(&block, &mut z, FlushCompress::Sync).unwrap();
        let mut r = HeaderReader { inflate: Decompress::new(true), dictionary: dictionary() };
        let h = r.read(&z).unwrap();
        assert_eq!(header(&h, "streamtype"), "data");
        assert_eq!(header(&h, "port"), "8080");
    }
}

//! HTTP, natively (reqwest on the run's tokio runtime), with the output and exit codes of the
//! `curl` or `wget` command the runbook wrote: `-f` gives 22 on an HTTP error, a refused
//! connection 7, a timeout 28, an unknown host 6; `-w '%{http_code}'`, `-I`, `-i`, `-o`, `-X`,
//! `-H`, `-d`, `-u`, `-L`, `--max-time`, `--connect-timeout`, `--retry`.
//!
//! The URL is parsed by the host and authorized as parsed (scheme, host, port, path); a URL that
//! carries credentials is refused, and with `-L` every redirect is authorized again before it
//! is followed.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use playbook_capability::http::{HttpRequest, HttpTool};

use super::exec::{OUTPUT_CAP, Sink};
use super::{HostState, settings};
use crate::bindings::playbook::host::http::{Host, Request};
use crate::bindings::{Error, Io, Outcome};

/// The guest's request in the capability vocabulary.
fn typed(r: &Request) -> Result<HttpRequest<String>, String> {
    let tool = HttpTool::from_index(r.tool as usize).ok_or("unknown HTTP tool")?;
    let h = HttpRequest {
        tool,
        method: r.method.clone(),
        url: r.url.clone(),
        headers: r.headers.clone(),
        body: r.body.clone(),
        options: settings(&r.options),
    };
    h.check()?;
    Ok(h)
}

/// The flags of one request, read from its typed options.
#[derive(Debug, Default)]
struct Flags {
    wget: bool,
    fail: bool,
    silent: bool,
    show_error: bool,
    head: bool,
    include: bool,
    location: bool,
    insecure: bool,
    output: Option<String>,
    write_out: Option<String>,
    max_time: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: u32,
    /// `--retry-delay`: a fixed wait between tries (else 1 s, doubling, as curl waits).
    retry_delay: Option<Duration>,
    /// `--retry-max-time`: no new try after this long.
    retry_max_time: Option<Duration>,
    /// `--retry-connrefused`: a refused connection is transient too.
    retry_connrefused: bool,
    /// `--retry-all-errors`: every failure is retried.
    retry_all: bool,
    max_redirs: u32,
    user: Option<String>,
    /// wget's `--password`, joined to `--user`.
    password: Option<String>,
    user_agent: Option<String>,
    /// `-G`: the data goes in the URL's query.
    get: bool,
    /// `--data-urlencode` arguments, in order.
    urlencoded: Vec<String>,
    cacert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    /// `-D FILE` (`-` is standard output).
    dump_header: Option<String>,
    /// `-O`: the body goes to the URL's file name.
    remote_name: bool,
    /// That name, from the URL as written (not a redirect's).
    remote_file: Option<String>,
}

fn seconds(v: &str) -> Option<Duration> {
    v.parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0).map(Duration::from_secs_f64)
}

impl Flags {
    fn of(r: &HttpRequest<String>) -> Self {
        let mut f = Self { wget: r.tool == HttpTool::Wget, max_redirs: 50, ..Self::default() };
        for o in &r.options {
            let v = o.value.as_deref().unwrap_or_default();
            match o.key.as_str() {
                "fail" => f.fail = true,
                "silent" => f.silent = true,
                "show-error" => f.show_error = true,
                "head" => f.head = true,
                "include" => f.include = true,
                "location" => f.location = true,
                "insecure" => f.insecure = true,
                "output" => f.output = Some(v.to_string()),
                "write-out" => f.write_out = Some(v.to_string()),
                "max-time" => f.max_time = seconds(v),
                "connect-timeout" => f.connect_timeout = seconds(v),
                "retry" => f.retry = v.parse().unwrap_or(0).min(10),
                "max-redirs" => f.max_redirs = v.parse().unwrap_or(50),
                "user" => f.user = Some(v.to_string()),
                "user-agent" => f.user_agent = Some(v.to_string()),
                "retry-delay" => f.retry_delay = v.parse::<u64>().ok().map(Duration::from_secs),
                "retry-max-time" => f.retry_max_time = v.parse::<u64>().ok().map(Duration::from_secs),
                "retry-connrefused" => f.retry_connrefused = true,
                "retry-all-errors" => f.retry_all = true,
                "password" => f.password = Some(v.to_string()),
                "get" => f.get = true,
                "data-urlencode" => f.urlencoded.push(v.to_string()),
                "cacert" => f.cacert = Some(v.to_string()),
                "cert" => f.cert = Some(v.to_string()),
                "key" => f.key = Some(v.to_string()),
                "dump-header" => f.dump_header = Some(v.to_string()),
                "remote-name" => f.remote_name = true,
                // `--no-buffer`: output is streamed as it comes anyway; the rest are typed fields.
                _ => {}
            }
        }
        f.remote_file = playbook_capability::http::remote_name(&r.url);
        // wget follows redirects and fails on HTTP errors by default; a refused connection
        // is not retried unless asked, as curl's.
        if f.wget {
            f.location = true;
            f.fail = true;
            if let Some(p) = f.password.take() {
                f.user = Some(format!("{}:{p}", f.user.take().unwrap_or_default()));
            }
        }
        f
    }

    /// Whether warnings are shown: `-s` mutes them, `-S` does not bring them back.
    fn warnings_shown(&self) -> bool {
        !self.silent
    }

    /// The data sent: the body's parts, then each `--data-urlencode` argument, joined by `&`.
    fn data(&self, body: Option<&String>) -> Option<String> {
        let mut parts: Vec<String> = body.into_iter().cloned().collect();
        parts.extend(self.urlencoded.iter().map(|a| playbook_capability::http::urlencode_data(a)));
        (!parts.is_empty()).then(|| parts.join("&"))
    }

    /// Why a failure is retried (curl's words), or `None` when it is not: timeouts and unknown
    /// hosts always, a refused connection with `--retry-connrefused`, anything with
    /// `--retry-all-errors`.
    fn transient(&self, code: i32) -> Option<&'static str> {
        match code {
            _ if self.retry_all => Some("(retrying all errors)"),
            28 | 6 => Some(": timeout"),
            7 if self.retry_connrefused => Some(": connection refused"),
            _ => None,
        }
    }

    /// The client's distinguishing settings.
    fn client_key(&self) -> String {
        format!(
            "{}|{:?}|{:?}|{:?}|{:?}",
            self.insecure,
            self.connect_timeout.map(|d| d.as_millis()),
            self.cacert,
            self.cert,
            self.key
        )
    }

    /// Whether error messages are shown (`-s` hides them unless `-S`).
    fn errors_shown(&self) -> bool {
        !self.silent || self.show_error
    }
}

/// What one exchange gave, for `-w` and the exit status.
#[derive(Debug, Default)]
struct Exchange {
    code: u16,
    url: String,
    content_type: String,
    redirect_url: String,
    redirects: u32,
    downloaded: usize,
    connected: Option<Duration>,
    first_byte: Option<Duration>,
    total: Duration,
    exit: i32,
    error: String,
}

/// A failure as curl reports it: exit code and message.
fn curl_error(e: &reqwest::Error, url: &url::Url, elapsed: Duration) -> (i32, String) {
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(0);
    let ms = elapsed.as_millis();
    let chain = {
        let mut s = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(inner) = src {
            let _ = write!(s, ": {inner}");
            src = inner.source();
        }
        s
    };
    if e.is_timeout() {
        if e.is_connect() {
            return (28, format!("Connection timed out after {ms} milliseconds"));
        }
        return (28, format!("Operation timed out after {ms} milliseconds with 0 bytes received"));
    }
    if e.is_connect() {
        if chain.contains("dns error") || chain.contains("failed to lookup") {
            return (6, format!("Could not resolve host: {host}"));
        }
        if chain.contains("certificate") || chain.contains("tls") || chain.contains("TLS") {
            return (60, format!("SSL certificate problem: {chain}"));
        }
        return (7, format!("Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server"));
    }
    if chain.contains("connection closed before message completed") {
        return (52, "Empty reply from server".into());
    }
    if e.is_redirect() {
        return (47, "Maximum redirects followed".into());
    }
    (56, format!("Failure when receiving data from the peer: {chain}"))
}

/// `%7B` → `%7b`: how curl 7.88 appends `-G` data to a URL.
fn lower_escapes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            out.push('%');
            out.push(char::from(b[i + 1].to_ascii_lowercase()));
            out.push(char::from(b[i + 2].to_ascii_lowercase()));
            i += 3;
        } else {
            let ch = s[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// A warning as curl prints it: `Warning: ` before each piece, cut at a blank so that each line
/// is at most 79 columns (its `warnf`).
fn curl_warning(text: &str) -> String {
    const PREFIX: &str = "Warning: ";
    let width = 79 - PREFIX.len();
    let mut out = String::new();
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        out.push_str(PREFIX);
        if rest.len() > width {
            let mut cut = width - 1;
            while cut > 0 && !matches!(rest[cut], b' ' | b'\t') {
                cut -= 1;
            }
            if cut == 0 {
                cut = width - 1;
            }
            out.push_str(&String::from_utf8_lossy(&rest[..=cut]));
            out.push('\n');
            rest = &rest[cut + 1..];
        } else {
            out.push_str(&String::from_utf8_lossy(rest));
            rest = &[];
        }
    }
    out
}

/// wget's exit codes for the same failures.
fn wget_exit(curl: i32) -> i32 {
    match curl {
        22 => 8,
        6 | 7 | 28 | 56 => 4,
        60 => 5,
        _ => 1,
    }
}

/// Expands curl's `-w` format.
fn write_out(format: &str, x: &Exchange) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('\\') | None => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
            },
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                out.push('%');
            }
            '%' if chars.peek() == Some(&'{') => {
                chars.next();
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let secs = |d: Option<Duration>| format!("{:.6}", d.unwrap_or_default().as_secs_f64());
                let v = match name.as_str() {
                    "http_code" | "response_code" => format!("{:03}", x.code),
                    "time_total" => secs(Some(x.total)),
                    "time_connect" | "time_appconnect" | "time_pretransfer" => secs(x.connected),
                    "time_starttransfer" => secs(x.first_byte),
                    "time_namelookup" => secs(Some(Duration::ZERO)),
                    "size_download" => x.downloaded.to_string(),
                    "url_effective" | "url" => x.url.clone(),
                    "content_type" => x.content_type.clone(),
                    "redirect_url" => x.redirect_url.clone(),
                    "num_redirects" => x.redirects.to_string(),
                    "exitcode" => x.exit.to_string(),
                    "errormsg" => x.error.clone(),
                    // `%{method}` and unknown variables expand to nothing.
                    _ => String::new(),
                };
                out.push_str(&v);
            }
            c => out.push(c),
        }
    }
    out
}

/// The status line and headers as curl prints them with `-I`/`-i`.
fn head_text(resp: &reqwest::Response) -> String {
    let version = match resp.version() {
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let status = resp.status();
    let mut s = format!("{version} {} {}\r\n", status.as_u16(), status.canonical_reason().unwrap_or(""));
    for (k, v) in resp.headers() {
        let _ = write!(s, "{}: {}\r\n", k.as_str(), String::from_utf8_lossy(v.as_bytes()));
    }
    s.push_str("\r\n");
    s
}

/// Where the body goes.
enum Body {
    Sink(Sink),
    File(cap_std::fs::File),
    /// Into a pipe of the pipeline, in chunks of `PIPE_CHUNK`.
    Pipe(std::io::PipeWriter, Vec<u8>),
    Discard,
}

/// Bytes of a body gathered before they are written into a pipe.
const PIPE_CHUNK: usize = 256 * 1024;

/// Names that say openly that they are this machine.
fn loopback_name(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost")
}

/// Addresses a granted *name* must not lead to: loopback, link-local (which holds the cloud
/// metadata service 169.254.169.254), unspecified, the IPv6 metadata address, and the IPv4
/// forms of those mapped into IPv6.
#[must_use]
pub fn inside(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.octets()[0] == 0,
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return inside(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg[0] & 0xffc0) == 0xfe80
                || v6 == std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
        }
    }
}

fn describe_inside(ip: std::net::IpAddr) -> &'static str {
    let v4 = match ip {
        std::net::IpAddr::V4(v4) => Some(v4),
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    };
    match v4 {
        Some(v4) if v4.is_loopback() => "a loopback address",
        Some(v4) if v4.is_link_local() => "a link-local address (the cloud metadata service lives there)",
        Some(_) => "an unspecified address",
        None if ip.is_loopback() => "a loopback address",
        None => "a link-local or metadata address",
    }
}

/// The client's resolver: the system's answer, refused when a name that is not openly local
/// leads inside (the check before the request names the denial; this closes the window of a
/// second, different answer).
struct Guarded;

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !loopback_name(&host)
                && let Some(a) = addrs.iter().find(|a| inside(a.ip()))
            {
                return Err(format!("{host} resolves to {}, refused", a.ip()).into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl HostState {
    /// A certificate or key file, read from the granted root.
    fn tls_file(&self, path: &str) -> Result<Vec<u8>, String> {
        let rel = self.relative(path)?;
        self.root().and_then(|d| d.read(&rel)).map_err(|e| format!("{path}: {e}"))
    }

    /// The client for these flags, or curl's exit status and message when its certificates
    /// cannot be loaded (77 for the CA file, 58 for the client's own).
    fn client(&mut self, f: &Flags) -> Result<Result<reqwest::Client, (i32, String)>, String> {
        let key = f.client_key();
        if let Some((_, c)) = self.http_clients.iter().find(|(k, _)| *k == key) {
            return Ok(Ok(c.clone()));
        }
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(f.insecure)
            .user_agent(concat!("curl/8 (playbook/", env!("CARGO_PKG_VERSION"), ")"))
            .http1_title_case_headers()
            .no_proxy()
            // Names are resolved again when the connection is made: a second answer that points
            // inside (DNS rebinding after the check below) fails there too.
            .dns_resolver(std::sync::Arc::new(Guarded));
        if let Some(t) = f.connect_timeout {
            b = b.connect_timeout(t);
        }
        for (host, ip) in &self.opts.resolve {
            // Port 0: the URL's own port is used.
            b = b.resolve(host, std::net::SocketAddr::new(*ip, 0));
        }
        if let Some(ca) = &f.cacert {
            // `--cacert` replaces the system's authorities, as curl's does.
            let certs = self
                .tls_file(ca)
                .ok()
                .and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).ok())
                .filter(|c| !c.is_empty());
            let Some(certs) = certs else {
                return Ok(Err((77, format!("error setting certificate file: {ca}"))));
            };
            b = b.tls_built_in_root_certs(false);
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        if let Some(cert) = &f.cert {
            let Ok(mut pem) = self.tls_file(cert) else {
                return Ok(Err((58, format!("could not load PEM client certificate from {cert}"))));
            };
            if let Some(k) = &f.key {
                match self.tls_file(k) {
                    Ok(key) => {
                        pem.push(b'\n');
                        pem.extend(key);
                    }
                    Err(_) => return Ok(Err((58, format!("unable to set private key file: '{k}' type PEM")))),
                }
            }
            match reqwest::Identity::from_pem(&pem) {
                Ok(id) => b = b.identity(id),
                Err(_) => return Ok(Err((58, format!("could not load PEM client certificate from {cert}")))),
            }
        }
        let c = b.build().map_err(|e| format!("HTTP client: {e}"))?;
        self.http_clients.push((key, c.clone()));
        Ok(Ok(c))
    }

    /// A granted host name must not lead inside this machine or to its cloud's metadata service
    /// unless the manifest says so: `localhost` (and `*.localhost`) name loopback openly, an IP
    /// literal is what the reviewer read, and `--resolve` is the operator's own choice. Any
    /// other name that resolves to a loopback, link-local or unspecified address is refused.
    async fn check_resolution(&mut self, url: &url::Url) -> Result<(), Error> {
        let Some(url::Host::Domain(name)) = url.host() else { return Ok(()) };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if loopback_name(&name) || self.opts.resolve.iter().any(|(h, _)| *h == name) {
            return Ok(());
        }
        let Ok(addrs) = tokio::net::lookup_host((name.as_str(), 0)).await else {
            // Unknown names fail later with curl's own error (6).
            return Ok(());
        };
        if let Some(ip) = addrs.map(|a| a.ip()).find(|ip| inside(*ip)) {
            return Err(self.deny_text(&format!(
                "`{name}` resolves to {ip}, {}: the manifest grants the name, not that address",
                describe_inside(ip)
            )));
        }
        Ok(())
    }

    /// Authorizes one URL of the request (the first, or a redirect target).
    fn authorize_url(
        &mut self,
        grant: u32,
        r: &HttpRequest<String>,
        url: &str,
        how: crate::policy::Match,
    ) -> Result<(url::Url, bool), Error> {
        let parsed = match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            _ => return Err(self.deny_text(&format!("`{url}` is not an http(s) URL playbook can check"))),
        };
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(self.deny_text(&format!(
                "`{}` carries credentials in the URL; pass them with -u from a secret input",
                parsed.host_str().unwrap_or_default()
            )));
        }
        // Where the request goes is the URL's business alone: a guest-set `Host` (or a framing
        // header) could send it elsewhere than the grant the reviewer read.
        if let Some(name) = r.headers.iter().map(|h| h.split(':').next().unwrap_or_default().trim()).find(|name| {
            ["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer"]
                .iter()
                .any(|n| name.eq_ignore_ascii_case(n))
                || name.starts_with(':')
        }) {
            return Err(self.deny_text(&format!(
                "the header `{name}` may not be set by a playbook: the URL alone says where a request goes"
            )));
        }
        let at = HttpRequest { url: parsed.as_str().to_string(), ..r.clone() };
        let needs = at.needs(self.cwd.as_deref()).map_err(|e| self.deny_text(&e))?;
        let go = self.gate_on(grant, &needs, false, how)?;
        Ok((parsed, go))
    }

    async fn send_once(
        &mut self,
        client: &reqwest::Client,
        r: &HttpRequest<String>,
        f: &Flags,
        url: &url::Url,
        method: &reqwest::Method,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut req = client.request(method.clone(), url.clone());
        let mut content_type = false;
        for h in &r.headers {
            if let Some((k, v)) = h.split_once(':') {
                content_type |= k.trim().eq_ignore_ascii_case("content-type");
                req = req.header(k.trim(), v.trim());
            }
        }
        if let Some(body) = f.data(r.body.as_ref()).filter(|_| !f.get)
            && method != reqwest::Method::GET
            && method != reqwest::Method::HEAD
        {
            if !content_type {
                req = req.header("Content-Type", "application/x-www-form-urlencoded");
            }
            req = req.body(body);
        }
        if let Some(agent) = &f.user_agent {
            req = req.header(reqwest::header::USER_AGENT, agent.as_str());
        }
        if let Some(user) = &f.user {
            let (u, p) = user.split_once(':').unwrap_or((user, ""));
            req = req.basic_auth(u, Some(p));
        }
        let limit = f.max_time.unwrap_or(Duration::from_secs(self.opts.timeout_secs.max(1)));
        req.timeout(limit).send().await
    }

    async fn http(&mut self, grant: u32, r: HttpRequest<String>, io: Io) -> Result<Outcome, Error> {
        let f = Flags::of(&r);
        let (mut url, go) = self.authorize_url(grant, &r, &r.url, crate::policy::Match::Exact)?;
        if !go {
            return Ok(self.dry(&format!("{} {}", r.method, r.url)));
        }
        let method = reqwest::Method::from_bytes(r.method.as_bytes())
            .map_err(|_| self.deny_text(&format!("`{}` is not an HTTP method", r.method)))?;
        self.check_resolution(&url).await?;
        if f.get
            && let Some(data) = f.data(r.body.as_ref())
        {
            // `-G`: the data is the query (after the URL's own, with `&`); curl writes the
            // hex digits of its escapes in lower case there.
            let data = lower_escapes(&data);
            let query = url.query().map_or(data.clone(), |q| format!("{q}&{data}"));
            url.set_query(Some(&query));
            if url.query() != Some(query.as_str()) {
                return Err(self.deny_text(&format!(
                    "`-G` data `{data}` holds characters a URL cannot carry as written (curl would send them raw)"
                )));
            }
        }
        // Certificates and keys are files of the granted root, like every file a run reads.
        for path in [&f.cacert, &f.cert, &f.key].into_iter().flatten() {
            self.relative(path).map_err(|e| self.deny_text(&e))?;
        }
        let client = self.client(&f).map_err(Error::Failed)?;
        let mut x = Exchange::default();
        let started = Instant::now();
        let mut attempt = 0;
        // What goes to standard output; a retried answer's body is part of it, as curl writes it.
        let mut out = Vec::new();
        let resp = loop {
            let client = match &client {
                Ok(c) => c,
                Err((code, msg)) => break Err((*code, msg.clone())),
            };
            let try_started = Instant::now();
            let sent = self.send_once(client, &r, &f, &url, &method).await;
            match sent {
                Ok(resp) if resp.status().is_redirection() && f.location => {
                    let Some(next) = resp
                        .headers()
                        .get(reqwest::header::LOCATION)
                        .and_then(|l| l.to_str().ok())
                        .and_then(|l| url.join(l).ok())
                    else {
                        break Ok(resp);
                    };
                    if x.redirects >= f.max_redirs {
                        break Err((47, format!("Maximum ({}) redirects followed", f.max_redirs)));
                    }
                    x.redirects += 1;
                    // The new target is checked like the first one.
                    // A hop sends the same headers and body to another URL: a grant must name
                    // that URL with them (the tool's own options are this request's).
                    let (checked, _) = self.authorize_url(grant, &r, next.as_str(), crate::policy::Match::Target)?;
                    self.check_resolution(&checked).await?;
                    url = checked;
                }
                Ok(resp)
                    if self.retry_left(&f, attempt, started)
                        && (matches!(resp.status().as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
                            || (f.retry_all && f.fail && resp.status().as_u16() >= 400)) =>
                {
                    attempt += 1;
                    let why = if f.retry_all { "(retrying all errors)" } else { ": HTTP error" };
                    if !(f.fail && resp.status().as_u16() >= 400) && matches!(f.output.as_deref(), None | Some("-")) {
                        if f.head || f.include {
                            out.extend_from_slice(head_text(&resp).as_bytes());
                        }
                        if !f.head {
                            out.extend_from_slice(&resp.bytes().await.unwrap_or_default());
                        }
                    }
                    self.retry_note(&f, attempt, why).await;
                }
                Ok(resp) => break Ok(resp),
                Err(e) => {
                    let (code, msg) = curl_error(&e, &url, try_started.elapsed());
                    if let Some(why) = f.transient(code).filter(|_| self.retry_left(&f, attempt, started)) {
                        attempt += 1;
                        if f.errors_shown() && !f.wget {
                            self.report(super::failed(0, &format!("curl: ({code}) {msg}\n")));
                        }
                        self.retry_note(&f, attempt, why).await;
                        continue;
                    }
                    break Err((code, msg));
                }
            }
        };
        x.connected = Some(started.elapsed());
        x.url = url.to_string();
        match resp {
            Err((code, msg)) => {
                x.exit = code;
                x.error = msg;
            }
            Ok(resp) => {
                x.code = resp.status().as_u16();
                x.first_byte = Some(started.elapsed());
                x.content_type = resp
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                if resp.status().is_redirection() {
                    x.redirect_url = resp
                        .headers()
                        .get(reqwest::header::LOCATION)
                        .and_then(|l| l.to_str().ok())
                        .and_then(|l| url.join(l).ok())
                        .map(|u| u.to_string())
                        .unwrap_or_default();
                }
                if f.fail && x.code >= 400 {
                    x.exit = 22;
                    x.error = format!("The requested URL returned error: {}", x.code);
                    if f.wget {
                        x.error = format!("ERROR {}: {}", x.code, resp.status().canonical_reason().unwrap_or(""));
                    }
                } else {
                    match f.dump_header.as_deref() {
                        None | Some("/dev/null") => {}
                        // `-D -` shows the headers where the body goes, before it.
                        Some("-") => out.extend_from_slice(head_text(&resp).as_bytes()),
                        Some(path) => {
                            if let Err(e) = self.write_granted(path, head_text(&resp).as_bytes()) {
                                x.exit = 23;
                                x.error = format!("Failed to open {path}: {e}");
                            }
                        }
                    }
                    if f.head || f.include {
                        out.extend_from_slice(head_text(&resp).as_bytes());
                    }
                    if !f.head {
                        let (bytes, err) = self.body(resp, &f, &io, &mut out).await?;
                        x.downloaded = bytes;
                        if let Some((code, msg)) = err {
                            x.exit = code;
                            x.error = msg;
                        }
                    }
                }
            }
        }
        x.total = started.elapsed();
        if let Some(w) = &f.write_out {
            out.extend_from_slice(write_out(w, &x).as_bytes());
        }
        // Headers of -i/-I and the -w text go where the body would have gone: stdout.
        let mut stdout = String::new();
        if io.capture {
            stdout = String::from_utf8_lossy(&out).into_owned();
        } else if !out.is_empty() {
            self.print_bytes(&out);
        }
        let mut stderr = String::new();
        if x.exit != 0 && f.errors_shown() {
            let msg = if f.wget { format!("wget: {}\n", x.error) } else { format!("curl: ({}) {}\n", x.exit, x.error) };
            stderr = self.report(super::failed(x.exit, &msg)).stderr;
        }
        let status = if f.wget && x.exit != 0 { wget_exit(x.exit) } else { x.exit };
        self.trace(
            "http-exchange",
            serde_json::json!({
                "step": self.current_step, "method": r.method, "url": x.url, "http_code": x.code, "status": status,
            }),
        );
        Ok(Outcome { status, stdout, stderr })
    }

    /// Whether another try is allowed: `--retry N` not used up, and `--retry-max-time` not
    /// passed.
    #[allow(clippy::unused_self)]
    fn retry_left(&self, f: &Flags, attempt: u32, started: Instant) -> bool {
        attempt < f.retry && f.retry_max_time.is_none_or(|m| started.elapsed() < m)
    }

    /// Writes a file the request's grant names (`-D FILE`), in the granted root.
    fn write_granted(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let rel = self.relative(path)?;
        self.root().and_then(|d| d.write(&rel, bytes)).map_err(|e| e.to_string())
    }

    /// Says that a try failed and waits before the next, as curl does: `--retry-delay`, else
    /// one second, doubling each time; the warning is curl's, wrapped as curl wraps it.
    async fn retry_note(&mut self, f: &Flags, attempt: u32, why: &str) {
        let wait = f.retry_delay.unwrap_or_else(|| Duration::from_secs(1 << (attempt - 1).min(9)));
        if f.warnings_shown() && !f.wget {
            let text = format!(
                "Problem {why}. Will retry in {} seconds. {} retries left.\n",
                wait.as_secs(),
                f.retry - attempt + 1
            );
            self.report(super::failed(0, &curl_warning(&text)));
        }
        tokio::time::sleep(wait).await;
    }

    /// Writes what a body gathered into its pipe; false when the reader has ended (curl
    /// ignores SIGPIPE: that is its error 23).
    async fn flush_pipe(w: &mut std::io::PipeWriter, buf: &mut Vec<u8>) -> bool {
        if buf.is_empty() {
            return true;
        }
        let Ok(dup) = w.try_clone() else { return false };
        let (_dup, written) = super::pipes::write_all(dup, std::mem::take(buf)).await;
        !written.reader_gone
    }

    /// Shows headers (`-i`, `-I`) and `-w` text as the body is shown: through a sink, so secrets
    /// are masked there too (a token in a `Location` header or `%{url_effective}`).
    fn print_bytes(&self, bytes: &[u8]) {
        let mut sink = Sink::new(self, true, false);
        sink.take(bytes);
        sink.finish();
    }

    /// Reads the body in chunks: to the `-o` file, to the guest (capped), or to the operator
    /// as it arrives. Returns the bytes read and a transfer error, if any.
    async fn body(
        &mut self,
        mut resp: reqwest::Response,
        f: &Flags,
        io: &Io,
        head: &mut Vec<u8>,
    ) -> Result<(usize, Option<(i32, String)>), Error> {
        let remote = f
            .output
            .is_none()
            .then_some(())
            .filter(|()| f.remote_name)
            .map(|()| f.remote_file.clone().unwrap_or_default());
        if remote.as_deref() == Some("") {
            return Ok((0, Some((23, "Remote file name has no length!".into()))));
        }
        let mut target = match f.output.as_deref().or(remote.as_deref()) {
            None | Some("-") if self.call_pipes.writes.is_some() => {
                let (_, w) = self.call_pipes.writes.take().expect("checked");
                Body::Pipe(w, std::mem::take(head))
            }
            None | Some("-") => {
                if io.capture {
                    let mut s = Sink::new(self, false, false);
                    s.kept = std::mem::take(head);
                    Body::Sink(s)
                } else {
                    if !head.is_empty() {
                        let h = std::mem::take(head);
                        self.print_bytes(&h);
                    }
                    Body::Sink(Sink::new(self, true, false))
                }
            }
            Some("/dev/null") => Body::Discard,
            Some(path) => {
                let rel = self.relative(path).map_err(|e| self.deny_text(&e))?;
                match self.root().and_then(|d| d.create(&rel)) {
                    Ok(file) => Body::File(file),
                    Err(e) => return Ok((0, Some((23, format!("Failure writing output to destination: {e}"))))),
                }
            }
        };
        let mut n = 0usize;
        let mut err = None;
        let expected = resp.content_length();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    n += chunk.len();
                    match &mut target {
                        Body::Sink(s) => {
                            s.take(&chunk);
                            if s.broken {
                                // curl ignores SIGPIPE: a closed output is its error 23.
                                err = Some((23, "Failure writing output to destination".into()));
                                break;
                            }
                        }
                        Body::File(file) => {
                            if let Err(e) = file.write_all(&chunk) {
                                err = Some((23, format!("Failure writing output to destination: {e}")));
                                break;
                            }
                        }
                        Body::Pipe(w, buf) => {
                            buf.extend_from_slice(&chunk);
                            if buf.len() >= PIPE_CHUNK && !Self::flush_pipe(w, buf).await {
                                err = Some((23, "Failure writing output to destination".into()));
                                break;
                            }
                        }
                        Body::Discard => {}
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    err = Some(match expected {
                        _ if e.is_timeout() => (28, format!("Operation timed out after {n} bytes received: {e}")),
                        // The server closed before the length it announced, as curl says it.
                        Some(len) if (n as u64) < len => {
                            (18, format!("transfer closed with {} bytes remaining to read", len - n as u64))
                        }
                        _ => (56, format!("Failure when receiving data from the peer after {n} bytes: {e}")),
                    });
                    break;
                }
            }
        }
        if let Body::Pipe(w, buf) = &mut target
            && err.is_none()
            && !Self::flush_pipe(w, buf).await
        {
            err = Some((23, "Failure writing output to destination".into()));
        }
        if let Body::Sink(mut s) = target {
            s.finish();
            if s.dropped > 0 {
                // Kept in memory (`$(…)`, a redirection, a loop over it): a cut is the
                // command's error, curl's "failure writing output", never a shorter body.
                self.report(super::failed(
                    0,
                    &format!(
                        "playbook: response cut at {} MiB, what a `$(…)` or a redirection keeps in memory ({} bytes \
                         more): the command fails\n",
                        OUTPUT_CAP >> 20,
                        s.dropped
                    ),
                ));
                self.event(
                    "limit",
                    &format!("  ✗ limit: a response cut at {} MiB", OUTPUT_CAP >> 20),
                    serde_json::json!({ "limit": "kept-output", "max": OUTPUT_CAP, "dropped": s.dropped }),
                );
                if err.is_none() {
                    err = Some((23, "Failure writing output to destination".into()));
                }
            }
            if io.capture {
                *head = s.kept;
            }
        }
        Ok((n, err))
    }
}

impl HostState {
    async fn http_live(&mut self, r: &Request, io: Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let h = typed(r).map_err(|e| self.deny_text(&format!("{}: {e}", r.url)))?;
        self.http(r.grant, h, io).await
    }
}

impl Host for HostState {
    async fn send(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = match typed(&r) {
            Ok(h) => super::record::request_json(r.grant, &h),
            Err(e) => serde_json::json!({ "grant": r.grant, "invalid": e }),
        };
        if let Some(done) = self.begin_call("http", &req, &io) {
            return done;
        }
        let reads = io.stdin_pipe;
        let result = self.http_live(&r, io).await;
        self.end_piped(reads, result).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_out_expands_curl_variables_and_escapes() {
        let x = Exchange { code: 404, url: "http://h/".into(), downloaded: 12, ..Exchange::default() };
        assert_eq!(write_out("%{http_code}\\n", &x), "404\n");
        assert_eq!(
            write_out("\\nStatus: %{http_code}, %{size_download} %% %{url_effective}", &x),
            "\nStatus: 404, 12 % http://h/"
        );
        assert_eq!(write_out("%{http_code}", &Exchange::default()), "000");
    }

    #[test]
    fn warnings_wrap_as_curls() {
        let text = "Problem : connection refused. Will retry in 1 seconds. 2 retries left.\n";
        assert_eq!(
            curl_warning(text),
            "Warning: Problem : connection refused. Will retry in 1 seconds. 2 retries \nWarning: left.\n"
        );
        assert_eq!(curl_warning("short\n"), "Warning: short\n");
    }

    #[test]
    fn wget_exit_codes_follow_wget() {
        assert_eq!(wget_exit(22), 8);
        assert_eq!(wget_exit(7), 4);
    }
}

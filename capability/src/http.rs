//! HTTP: `curl` and `wget` as typed requests, carried out natively by the host with the tool's
//! output and exit codes. The scope holds the method, the URL as parsed, every header, the body
//! and every option the host honours.

use std::fmt::Write as _;

use crate::effect::Effect;
use crate::options::{self, Opt, Setting, flag, valued};
use crate::scope::Need;
use crate::value::{Value, escape_ansi};

named_enum! {
    /// Which tool's output format and exit statuses a request follows.
    pub enum HttpTool {
        Curl = "curl",
        Wget = "wget",
    }
}

/// `curl` options. The keys `header`, `data`, `json` and `request` become the request's typed
/// fields; the others travel as settings.
pub const CURL: &[Opt] = &[
    flag("fail", &["-f", "--fail"]),
    flag("fail", &["--fail-with-body"]),
    flag("silent", &["-s", "--silent"]),
    flag("show-error", &["-S", "--show-error"]),
    flag("head", &["-I", "--head"]),
    flag("include", &["-i", "--include"]),
    valued("request", &["-X", "--request"]),
    valued("header", &["-H", "--header"]),
    valued("data", &["-d", "--data", "--data-ascii"]),
    valued("data-raw", &["--data-raw"]),
    valued("data-binary", &["--data-binary"]),
    valued("data-urlencode", &["--data-urlencode"]),
    valued("json", &["--json"]),
    valued("output", &["-o", "--output"]),
    valued("write-out", &["-w", "--write-out"]),
    valued("max-time", &["-m", "--max-time"]),
    valued("connect-timeout", &["--connect-timeout"]),
    flag("location", &["-L", "--location"]),
    valued("max-redirs", &["--max-redirs"]),
    flag("insecure", &["-k", "--insecure"]),
    flag("verbose", &["-v", "--verbose"]),
    valued("user", &["-u", "--user"]),
    valued("user-agent", &["-A", "--user-agent"]),
    valued("retry", &["--retry"]),
    valued("retry-delay", &["--retry-delay"]),
    valued("retry-max-time", &["--retry-max-time"]),
    flag("retry-connrefused", &["--retry-connrefused"]),
    flag("retry-all-errors", &["--retry-all-errors"]),
    flag("get", &["-G", "--get"]),
    flag("compressed", &["--compressed"]),
    flag("no-buffer", &["-N", "--no-buffer"]),
    // The host never expands `{}`/`[]` in a URL: `-g` is what it always does.
    flag("globoff", &["-g", "--globoff"]),
    // The host speaks HTTP/1.1 only: `--http1.1` is what it always does.
    flag("http1.1", &["--http1.1"]),
    valued("cacert", &["--cacert"]),
    valued("cert", &["-E", "--cert"]),
    valued("key", &["--key"]),
    valued("dump-header", &["-D", "--dump-header"]),
    flag("remote-name", &["-O", "--remote-name"]),
    flag("http2", &["--http2"]),
];

/// curl options that send a request somewhere other than its URL says, or trust differently
/// than the URL's scheme: refused, each with its reason.
pub const REFUSED_CURL: &[(&str, &str)] = &[
    ("--resolve", "sends the request to another address than the URL's host resolves to"),
    ("--connect-to", "sends the request to another host and port than the URL's"),
    ("-x", "sends the request through a proxy (`--proxy`)"),
    ("--proxy", "sends the request through a proxy"),
    ("--preproxy", "sends the request through a proxy"),
    ("--unix-socket", "sends the request to a Unix socket, not to the URL's host"),
    ("--abstract-unix-socket", "sends the request to a Unix socket, not to the URL's host"),
    ("-K", "reads more options from a file (`--config`)"),
    ("--config", "reads more options from a file"),
];

/// `wget` options, keyed as curl's where they mean the same.
pub const WGET: &[Opt] = &[
    flag("silent", &["-q", "--quiet"]),
    valued("output", &["-O", "--output-document"]),
    flag("spider", &["--spider"]),
    valued("max-time", &["-T", "--timeout"]),
    valued("header", &["--header"]),
    valued("data", &["--post-data"]),
    valued("request", &["--method"]),
    flag("insecure", &["--no-check-certificate"]),
    valued("retry", &["-t", "--tries"]),
    valued("max-redirs", &["--max-redirect"]),
    flag("retry-connrefused", &["--retry-connrefused"]),
    valued("cacert", &["--ca-certificate"]),
    valued("cert", &["--certificate"]),
    valued("key", &["--private-key"]),
    valued("user", &["--user", "--http-user"]),
    valued("password", &["--password", "--http-password"]),
    valued("data", &["--body-data"]),
];

/// Settings the host carries out. The rest of a tool's table (`-v`, `--compressed`, `--http2`)
/// is refused when compiling: nothing is accepted that would run differently.
pub const HONOURED: &[&str] = &[
    "fail",
    "silent",
    "show-error",
    "head",
    "include",
    "spider",
    "output",
    "write-out",
    "max-time",
    "connect-timeout",
    "location",
    "max-redirs",
    "insecure",
    "user",
    "user-agent",
    "retry",
    "retry-delay",
    "no-buffer",
    "globoff",
    "retry-max-time",
    "retry-connrefused",
    "retry-all-errors",
    "get",
    "data-urlencode",
    "http1.1",
    "cacert",
    "cert",
    "key",
    "dump-header",
    "remote-name",
    "password",
];

/// Keys that are typed fields of the request, not settings.
pub const FIELDS: &[&str] = &["header", "data", "data-raw", "data-binary", "json", "request"];

impl HttpTool {
    #[must_use]
    pub fn table(self) -> &'static [Opt] {
        match self {
            Self::Curl => CURL,
            Self::Wget => WGET,
        }
    }
}

/// The parts of a URL the host checks after parsing it itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UrlScope {
    pub scheme: String,
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: String,
    /// The path with its query.
    pub path: String,
}

impl UrlScope {
    /// The URL as one canonical string: the scheme's default port left out.
    #[must_use]
    pub fn url(&self) -> String {
        let default = matches!((self.scheme.as_str(), self.port.as_str()), ("http", "80") | ("https", "443"));
        if default || self.port.is_empty() {
            format!("{}://{}{}", self.scheme, self.host, self.path)
        } else {
            format!("{}://{}:{}{}", self.scheme, self.host, self.port, self.path)
        }
    }
}

/// The holes of a scope template, as `(start, end)` byte ranges.
fn holes(template: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((i, kind)) = ["{input.", "{var.", "{output of `", "{status}"]
        .iter()
        .filter_map(|p| template[at..].find(p).map(|i| (at + i, *p)))
        .min()
    {
        let close = if kind == "{output of `" { "`}" } else { "}" };
        let Some(end) = template[i..].find(close).map(|e| i + e + close.len()) else { break };
        out.push((i, end));
        at = end;
    }
    out
}

/// Parses a URL template: holes may stand in the path and query, be the host, or be the port.
/// The same function reads a run-time URL (which has no holes), so both sides agree on its parts.
#[must_use]
pub fn parse_url(template: &str) -> Option<UrlScope> {
    let mut text = String::new();
    let mut shown = Vec::new();
    let mut port_hole: Option<String> = None;
    let mut last = 0;
    for (s, e) in holes(template) {
        text.push_str(&template[last..s]);
        let hole = template[s..e].to_string();
        let authority = text.split_once("://").map_or(text.as_str(), |(_, rest)| rest);
        if port_hole.is_none() && text.ends_with(':') && !authority.contains('/') && !authority.is_empty() {
            // A hole right after `host:` is the port: it stands in as a number the parser accepts.
            text.push_str("65432");
            port_hole = Some(hole);
        } else {
            let _ = write!(text, "pbhole{}x", shown.len());
            shown.push(hole);
        }
        last = e;
    }
    text.push_str(&template[last..]);
    if !text.contains("://") {
        text = format!("http://{text}");
    }
    let url = url::Url::parse(&text).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let restore = |s: &str| {
        let mut s = s.to_string();
        for (i, h) in shown.iter().enumerate() {
            s = s.replace(&format!("pbhole{i}x"), h);
        }
        s
    };
    let host = restore(url.host_str()?);
    let mut path = restore(url.path());
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(&restore(q));
    }
    Some(UrlScope {
        scheme: url.scheme().to_string(),
        host,
        port: port_hole.unwrap_or_else(|| url.port_or_known_default().map(|p| p.to_string()).unwrap_or_default()),
        path,
    })
}

/// The file `curl -O` writes: the last segment of the URL's path, without its query (empty
/// when the path ends in `/`: curl refuses that).
#[must_use]
pub fn remote_name(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let (_, name) = path.rsplit_once('/')?;
    (!name.is_empty()).then(|| name.to_string())
}

/// curl's `--data-urlencode` of one argument: `content`, `=content` and `name=content` encode
/// the content (every byte but letters, digits and `-._~`; a space becomes `+`, as curl 7.88
/// sends it); `@file` forms are not accepted.
#[must_use]
pub fn urlencode_data(arg: &str) -> String {
    let encode = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else if b == b' ' {
                out.push('+');
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
        out
    };
    match arg.split_once('=') {
        Some(("", content)) => encode(content),
        Some((name, content)) => format!("{name}={}", encode(content)),
        None => encode(arg),
    }
}

/// A typed HTTP request. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct HttpRequest<V> {
    pub tool: HttpTool,
    pub method: String,
    pub url: V,
    /// `Name: value` lines, in order.
    pub headers: Vec<V>,
    pub body: Option<V>,
    /// Honoured settings, in table order.
    pub options: Vec<Setting<V>>,
}

impl<V: Value> HttpRequest<V> {
    /// What the method changes.
    #[must_use]
    pub fn effect(&self) -> Effect {
        match self.method.as_str() {
            "GET" | "HEAD" | "OPTIONS" => Effect::Read,
            "DELETE" => Effect::Destructive,
            _ => Effect::Write,
        }
    }

    /// The URL's parts, when it is one playbook can check.
    #[must_use]
    pub fn target(&self) -> Option<UrlScope> {
        parse_url(&self.url.template())
    }

    /// What the request needs: the request itself, and a file write for `-o FILE` (joined to the
    /// working directory `cwd`, as file requests are).
    ///
    /// # Errors
    /// When the URL is not an http(s) URL playbook can check.
    pub fn needs(&self, cwd: Option<&str>) -> Result<Vec<Need>, String> {
        let target =
            self.target().ok_or_else(|| format!("`{}` is not a URL playbook can check", self.url.template()))?;
        let mut n = Need::new("http.request", self.effect())
            .with("method", self.method.clone())
            .with("url", target.url())
            .with("scheme", target.scheme.clone())
            .with("host", target.host.clone())
            .with("port", target.port.clone())
            .with("path", target.path.clone());
        // Header lines and the body reach no option: their holes take any text (`free_key`).
        for (i, h) in self.headers.iter().enumerate() {
            n = n.with(&format!("header.{}", i + 1), escape_ansi(&h.template()));
        }
        if let Some(b) = &self.body {
            n = n.with("body", escape_ansi(&b.template()));
        }
        n.scope.extend(options::scope_of(self.tool.table(), &self.options));
        let mut out = vec![n];
        let last = |key: &str| self.options.iter().rev().find(|s| s.key == key).and_then(|s| s.value.as_ref());
        let to_file = |o: &V| !matches!(o.literal().as_deref(), Some("/dev/null" | "-"));
        if let Some(o) = last("output").filter(|o| to_file(o)) {
            out.push(Need::new("fs.write", Effect::Destructive).with("path", crate::fs::join(cwd, &o.template())));
        } else if last("output").is_none() && self.options.iter().any(|s| s.key == "remote-name") {
            let name = remote_name(&self.url.template()).ok_or("`-O` needs a URL that ends in a file name")?;
            out.push(Need::new("fs.write", Effect::Destructive).with("path", crate::fs::join(cwd, &name)));
        }
        if let Some(d) = last("dump-header").filter(|o| to_file(o)) {
            out.push(Need::new("fs.write", Effect::Destructive).with("path", crate::fs::join(cwd, &d.template())));
        }
        // Certificates and keys are read by the host from the granted root.
        for key in ["cacert", "cert", "key"] {
            if let Some(f) = last(key) {
                out.push(Need::new("fs.read", Effect::Read).with("path", crate::fs::join(cwd, &f.template())));
            }
        }
        Ok(out)
    }
}

impl HttpRequest<String> {
    /// Checks what a compiled playbook cannot be trusted to have checked: honoured settings of the
    /// tool's table only.
    ///
    /// # Errors
    /// The first setting the host does not carry out.
    pub fn check(&self) -> Result<(), String> {
        if let Some(s) = self.options.iter().find(|s| !HONOURED.contains(&s.key.as_str())) {
            return Err(format!("option `{}` is not one playbook carries out", s.key));
        }
        options::check(self.tool.table(), &self.options, FIELDS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_the_same_with_holes_and_values() {
        let t = parse_url("localhost:{input.port}/health").unwrap();
        assert_eq!((t.host.as_str(), t.port.as_str(), t.path.as_str()), ("localhost", "{input.port}", "/health"));
        let r = parse_url("http://localhost:8080").unwrap();
        assert_eq!(r.url(), "http://localhost:8080/");
        assert_eq!(parse_url("http://localhost:8080/").unwrap().url(), r.url());
        assert_eq!(
            parse_url("https://api.example.com/v1/{var.id}?x=1").unwrap().url(),
            "https://api.example.com/v1/{var.id}?x=1"
        );
        assert!(parse_url("ftp://x/").is_none());
        assert!(parse_url("http://u:p@x/").is_none());
    }

    #[test]
    fn headers_body_and_options_are_in_the_scope() {
        let r = HttpRequest {
            tool: HttpTool::Curl,
            method: "POST".into(),
            url: "http://localhost:8080/api".to_string(),
            headers: vec!["X-A: 1".to_string()],
            body: Some("{\"a\":1}".to_string()),
            options: vec![Setting::flag("fail"), Setting::valued("output", "out.json".to_string())],
        };
        let needs = r.needs(None).unwrap();
        assert_eq!(needs[0].effect, Effect::Write);
        assert_eq!(needs[0].get("header.1"), Some("X-A: 1"));
        assert_eq!(needs[0].get("body"), Some("{\"a\":1}"));
        assert_eq!(needs[0].get("--fail"), Some("true"));
        assert_eq!(needs[1].get("path"), Some("out.json"));
        assert!(r.check().is_ok());
        let mut bad = r.clone();
        bad.options.push(Setting::flag("verbose"));
        assert!(bad.check().is_err());
    }
}

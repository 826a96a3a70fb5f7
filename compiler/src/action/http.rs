//! `curl` and `wget` → `http.request`, with the URL parsed into a typed scope.

use serde::Serialize;

use super::args::{self, Opt, flag, valued};
use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::{Part, Word};

/// A typed HTTP request, carried out natively by the host with curl's semantics.
#[derive(Clone, Debug, Serialize)]
pub struct HttpCall {
    /// `curl` or `wget`: decides output format and exit codes.
    pub tool: String,
    pub method: String,
    pub url: Word,
    pub target: UrlScope,
    pub headers: Vec<Word>,
    pub body: Option<Word>,
    /// `-f`: exit 22 on HTTP errors.
    pub fail: bool,
    pub silent: bool,
    pub show_error: bool,
    /// `-I`: headers only.
    pub head_only: bool,
    /// `-i`: headers in the output.
    pub include_headers: bool,
    pub output: Option<Word>,
    pub write_out: Option<Word>,
    pub max_time: Option<Word>,
    pub connect_timeout: Option<Word>,
    pub follow_redirects: bool,
    pub insecure: bool,
    pub retry: Option<Word>,
    pub user: Option<Word>,
}

/// The parts of a URL the host checks after parsing it itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UrlScope {
    pub scheme: String,
    pub host: String,
    pub port: String,
    pub path: String,
}

impl HttpCall {
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let effect = match self.method.as_str() {
            "GET" | "HEAD" | "OPTIONS" => Effect::Read,
            "DELETE" => Effect::Destructive,
            _ => Effect::Write,
        };
        let mut n = Need::new("http.request", effect)
            .with("method", self.method.clone())
            .with("url", scope_of(&self.url))
            .with("scheme", self.target.scheme.clone())
            .with("host", self.target.host.clone())
            .with("port", self.target.port.clone())
            .with("path", self.target.path.clone());
        let names: Vec<String> =
            self.headers.iter().map(|h| h.template().split(':').next().unwrap_or("").trim().to_string()).collect();
        if !names.is_empty() {
            n = n.with("headers", names.join(", "));
        }
        if self.insecure {
            n = n.with("tls-verify", "off");
        }
        let mut out = vec![n];
        if let Some(o) = &self.output
            && o.literal().as_deref() != Some("/dev/null")
            && o.literal().as_deref() != Some("-")
        {
            out.push(Need::new("fs.write", Effect::Destructive).with("path", scope_of(o)));
        }
        out
    }
}

const CURL: &[Opt] = &[
    flag("fail", &["-f", "--fail"]),
    flag("fail", &["--fail-with-body"]),
    flag("silent", &["-s", "--silent"]),
    flag("show-error", &["-S", "--show-error"]),
    flag("head", &["-I", "--head"]),
    flag("include", &["-i", "--include"]),
    valued("request", &["-X", "--request"]),
    valued("header", &["-H", "--header"]),
    valued("data", &["-d", "--data", "--data-raw", "--data-binary", "--data-urlencode"]),
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
    flag("get", &["-G", "--get"]),
    flag("compressed", &["--compressed"]),
    flag("no-buffer", &["-N", "--no-buffer"]),
];

const WGET: &[Opt] = &[
    flag("silent", &["-q", "--quiet"]),
    valued("output", &["-O", "--output-document"]),
    flag("include", &["-S", "--server-response"]),
    flag("spider", &["--spider"]),
    valued("max-time", &["-T", "--timeout"]),
    valued("header", &["--header"]),
    valued("data", &["--post-data"]),
    valued("request", &["--method"]),
    flag("insecure", &["--no-check-certificate"]),
    valued("retry", &["-t", "--tries"]),
    valued("max-redirs", &["--max-redirect"]),
];

/// `curl ARGS…` / `wget ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, tool: &str, args: &[Word]) -> Action {
    let spec = if tool == "curl" { CURL } else { WGET };
    let parsed = match args::parse(spec, args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e),
    };
    let Some(url) = parsed.positional.first().cloned() else {
        return cx.missing(cx.span, format!("`{tool}` needs a URL"), "curl [OPTIONS] URL");
    };
    if parsed.positional.len() > 1 {
        return cx.missing(
            parsed.positional[1].span,
            format!("`{tool}` with more than one URL is not supported"),
            "write one request per line",
        );
    }
    let Some(target) = parse_url(&url) else {
        cx.error(
            Diagnostic::error(
                Kind::InvalidUrl,
                url.span,
                format!("`{}` is not a URL playbook can check", url.template()),
            )
            .with_label("not a URL")
            .with_help("write the scheme and host literally, e.g. http://localhost:8080/health"),
        );
        return Action::Invalid;
    };
    let body = parsed.value("data").or_else(|| parsed.value("json")).cloned();
    let head = parsed.has("head") || parsed.has("spider");
    let method = parsed.lit("request").map(|m| m.to_ascii_uppercase()).unwrap_or_else(|| {
        if head {
            "HEAD"
        } else if body.is_some() && !parsed.has("get") {
            "POST"
        } else {
            "GET"
        }
        .to_string()
    });
    if parsed.value("request").is_some() && parsed.lit("request").is_none() {
        cx.error(
            Diagnostic::error(Kind::DynamicCommand, cx.span, "the HTTP method is computed at run time")
                .with_label("method")
                .with_help("write the method literally"),
        );
        return Action::Invalid;
    }
    let mut headers: Vec<Word> = parsed.values("header").into_iter().cloned().collect();
    if parsed.value("json").is_some() {
        headers.push(Word::lit("Content-Type: application/json", cx.span));
    }
    let silent = parsed.has("silent");
    Action::Http(Box::new(HttpCall {
        tool: tool.to_string(),
        method,
        url,
        target,
        headers,
        body,
        fail: parsed.has("fail"),
        silent,
        show_error: parsed.has("show-error"),
        head_only: head,
        include_headers: parsed.has("include"),
        output: parsed.value("output").cloned(),
        write_out: parsed.value("write-out").cloned(),
        max_time: parsed.value("max-time").cloned(),
        connect_timeout: parsed.value("connect-timeout").cloned(),
        follow_redirects: parsed.has("location") || tool == "wget",
        insecure: parsed.has("insecure"),
        retry: parsed.value("retry").cloned(),
        user: parsed.value("user").cloned(),
    }))
}

/// Parses a URL template; holes (`{input.id}`) may stand in the path and query, or be the host.
#[must_use]
pub fn parse_url(w: &Word) -> Option<UrlScope> {
    // Holes become markers the URL parser accepts, then are put back.
    let mut text = String::new();
    let mut holes = Vec::new();
    // A hole right after `host:` is the port: it stands in as a number the parser accepts.
    let mut port_hole: Option<(String, String)> = None;
    for p in &w.parts {
        match p {
            Part::Lit { text: t } | Part::Glob { text: t } => text.push_str(t),
            other => {
                let shown = Word { parts: vec![other.clone()], span: w.span }.template();
                let authority = text.split_once("://").map_or(text.as_str(), |(_, rest)| rest);
                if port_hole.is_none() && text.ends_with(':') && !authority.contains('/') && !authority.is_empty() {
                    port_hole = Some(("65432".to_string(), shown));
                    text.push_str("65432");
                    continue;
                }
                text.push_str(&format!("pbhole{}x", holes.len()));
                holes.push(shown);
            }
        }
    }
    if !text.contains("://") {
        text = format!("http://{text}");
    }
    let url = url::Url::parse(&text).ok()?;
    let restore = |s: &str| {
        let mut s = s.to_string();
        for (i, h) in holes.iter().enumerate() {
            s = s.replace(&format!("pbhole{i}x"), h);
        }
        s
    };
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = restore(url.host_str()?);
    let mut path = restore(url.path());
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(&restore(q));
    }
    Some(UrlScope {
        scheme: url.scheme().to_string(),
        host,
        port: match port_hole {
            Some((_, shown)) => shown,
            None => url.port_or_known_default().map(|p| p.to_string()).unwrap_or_default(),
        },
        path,
    })
}

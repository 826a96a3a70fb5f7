//! `curl` and `wget` → typed HTTP requests, with the option tables of
//! `playbook_capability::http`. What the host does not carry out is refused here, never dropped.

use playbook_capability::http::{FIELDS, HONOURED, HttpRequest, HttpTool, REFUSED_CURL, parse_url, remote_name};
use playbook_capability::options;

use super::{Action, Cx};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::{Part, Word};

/// `curl ARGS…` / `wget ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, name: &str, args: &[Word]) -> Action {
    let tool = if name == "wget" { HttpTool::Wget } else { HttpTool::Curl };
    let spec = tool.table();
    if tool == HttpTool::Curl
        && let Some((w, why)) = args.iter().find_map(|w| {
            let p = w.literal_prefix();
            let name = p.split_once('=').map_or(p.as_str(), |(n, _)| n).to_string();
            REFUSED_CURL.iter().find(|(n, _)| *n == name).map(|(_, why)| (w, *why))
        })
    {
        cx.error(
            Diagnostic::error(Kind::UnknownOption, w.span, format!("`curl` option `{}` {why}", w.literal_prefix()))
                .with_label("another target")
                .with_help("the manifest grants the URL as written; remove the option"),
        );
        return Action::Invalid;
    }
    let parsed = match options::parse(spec, args, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(name, &e, args),
    };
    if let Some((key, _)) = parsed.opts.iter().find(|(k, _)| !HONOURED.contains(k) && !FIELDS.contains(k)) {
        let spelled = spec.iter().find(|o| o.key == *key).map_or(*key, |o| o.long());
        cx.error(
            Diagnostic::error(Kind::Unsupported, cx.span, format!("`{name} {spelled}` is not carried out by playbook"))
                .with_label(format!("`{spelled}`"))
                .with_help("playbook sends requests natively and would not do what this option does; remove it"),
        );
        return Action::Invalid;
    }
    if tool == HttpTool::Wget && (!parsed.has("silent") || parsed.value("output").is_none()) {
        let (what, help) = if parsed.value("output").is_none() {
            (
                "saves the response to a file named after the URL",
                "write `-qO- URL` to print it, or `-qO FILE URL` to save it where the manifest says",
            )
        } else {
            ("prints its progress and the server's replies on standard error", "add `-q`, as in `wget -qO- URL`")
        };
        cx.error(
            Diagnostic::error(Kind::Unsupported, cx.span, format!("`wget` without `-q` and `-O` {what}"))
                .with_label("wget")
                .with_help(help),
        );
        return Action::Invalid;
    }
    // `--data-urlencode @FILE` / `name@FILE` reads a file; the arguments are sent in argv order
    // after the `-d` ones, so a `-d` after one would move.
    let mut seen_encoded = false;
    for w in args {
        let p = w.literal_prefix();
        if p.starts_with("--data-urlencode") {
            seen_encoded = true;
        } else if seen_encoded && (p.starts_with("-d") || p.starts_with("--data") || p.starts_with("--json")) {
            cx.error(
                Diagnostic::error(Kind::Unsupported, w.span, "`-d` after `--data-urlencode` is not supported")
                    .with_label("order of the data")
                    .with_help("write the `-d` arguments before the `--data-urlencode` ones"),
            );
            return Action::Invalid;
        }
    }
    for w in parsed.values("data-urlencode") {
        let p = w.literal_prefix();
        let at_file = match p.find(['=', '@']) {
            Some(i) => p.as_bytes()[i] == b'@',
            None => w.literal().is_none() || p.contains('@'),
        };
        if at_file {
            cx.error(
                Diagnostic::error(
                    Kind::Unsupported,
                    w.span,
                    "`--data-urlencode` reading a file (`@FILE`) is not supported",
                )
                .with_label("data from a file")
                .with_help("write `name=value` with the value in the runbook"),
            );
            return Action::Invalid;
        }
    }
    let Some(url) = parsed.positional.first().cloned() else {
        return cx.missing(cx.span, format!("`{name}` needs a URL"), "curl [OPTIONS] URL");
    };
    if parsed.positional.len() > 1 {
        return cx.missing(
            parsed.positional[1].span,
            format!("`{name}` with more than one URL is not supported"),
            "write one request per line",
        );
    }
    let template = url.template();
    let authority = template.split_once("://").map_or(template.as_str(), |(_, r)| r);
    if authority.split(['/', '\\', '?', '#']).next().is_some_and(|a| a.contains('@')) {
        cx.error(
            Diagnostic::error(Kind::InvalidUrl, url.span, "the URL carries credentials")
                .with_label("user and password in the URL")
                .with_help(
                    "pass them with `-u \"$USER:$PASSWORD\"` from a secret input; a URL is shown and traced as written",
                ),
        );
        return Action::Invalid;
    }
    if parse_url(&template).is_none() {
        cx.error(
            Diagnostic::error(
                Kind::InvalidUrl,
                url.span,
                format!("`{}` is not a URL playbook can check", url.template()),
            )
            .with_label("not a URL")
            .with_help("write the scheme and host literally, without credentials, e.g. http://localhost:8080/health"),
        );
        return Action::Invalid;
    }
    // `-d @file` reads the body from a file: not carried out, so refused rather than sent as text.
    let bodies: Vec<(&str, &Word)> = parsed
        .opts
        .iter()
        .filter(|(k, _)| matches!(*k, "data" | "data-raw" | "data-binary" | "json"))
        .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)))
        .collect();
    if let Some((_, w)) = bodies.iter().find(|(k, w)| *k != "data-raw" && w.literal_prefix().starts_with('@')) {
        cx.error(
            Diagnostic::error(Kind::Unsupported, w.span, "a request body read from a file (`@FILE`) is not supported")
                .with_label("body from a file")
                .with_help("put the body in the runbook, or `--data-raw` to send a literal `@`"),
        );
        return Action::Invalid;
    }
    // Several bodies are joined with `&`, as curl joins them.
    let body = bodies.iter().map(|(_, w)| (*w).clone()).reduce(|mut a, b| {
        a.parts.push(Part::Lit { text: "&".into() });
        a.parts.extend(b.parts);
        a
    });
    let head = parsed.has("head") || parsed.has("spider");
    if parsed.value("request").is_some() && parsed.lit("request").is_none() {
        cx.error(
            Diagnostic::error(Kind::DynamicCommand, cx.span, "the HTTP method is computed at run time")
                .with_label("method")
                .with_help("write the method literally"),
        );
        return Action::Invalid;
    }
    if parsed.has("remote-name") && parsed.value("output").is_none() && remote_name(&url.template()).is_none() {
        cx.error(
            Diagnostic::error(Kind::Unsupported, url.span, "`curl -O` needs a URL that ends in a file name")
                .with_label("no file name")
                .with_help("name the file with `-o FILE`"),
        );
        return Action::Invalid;
    }
    let sends_data = body.is_some() || parsed.value("data-urlencode").is_some();
    let method = match parsed.lit("request") {
        Some(m) => m.to_ascii_uppercase(),
        None if head => "HEAD".to_string(),
        None if sends_data && !parsed.has("get") => "POST".to_string(),
        None => "GET".to_string(),
    };
    let mut headers: Vec<Word> = parsed.values("header").into_iter().cloned().collect();
    if parsed.value("json").is_some() {
        // `--json` is `--data` with these two headers.
        headers.push(Word::lit("Content-Type: application/json", cx.span));
        headers.push(Word::lit("Accept: application/json", cx.span));
    }
    let settings = parsed.settings(spec, FIELDS);
    Action::Http(Box::new(HttpRequest { tool, method, url, headers, body, options: settings }))
}

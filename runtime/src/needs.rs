//! Typed requests as the compiler's `Need`s: the host rebuilds each call's capability and scope
//! with the very functions that wrote the manifest, so checking is comparison, not guesswork.

use playbook_compiler::action::docker::DockerCall;
use playbook_compiler::action::fs::{FsCall, FsOp};
use playbook_compiler::action::http::{HttpCall, parse_url};
use playbook_compiler::action::kube::KubeCall;
use playbook_compiler::action::process::ProcessCall;
use playbook_compiler::action::{Effect, Need};
use playbook_compiler::shell::Word;
use playbook_compiler::source::Span;

fn w(s: &str) -> Word {
    Word::lit(s, Span::default())
}

fn ws(v: &[String]) -> Vec<Word> {
    v.iter().map(|s| w(s)).collect()
}

fn opt(s: &str) -> Option<Word> {
    (!s.is_empty()).then(|| w(s))
}

fn opts(v: &[(String, String)]) -> Vec<(String, Option<Word>)> {
    v.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "bounded-seconds" | "background"))
        .map(|(k, v)| (k.clone(), opt(v)))
        .collect()
}

/// A Docker request's needs (one per target).
#[must_use]
pub fn docker(
    verb: &str,
    targets: &[String],
    options: &[(String, String)],
    image: &str,
    command: &[String],
    compose_file: &str,
    project: &str,
) -> Vec<Need> {
    let target_kind = match verb.split('.').next().unwrap_or_default() {
        "container" => "container",
        "network" => "network",
        "image" => "image",
        "compose" => "service",
        _ => "system",
    };
    DockerCall {
        verb: verb.to_string(),
        effect: Effect::Read,
        targets: ws(targets),
        target_kind,
        options: opts(options),
        image: opt(image),
        command: ws(command),
        compose_file: opt(compose_file),
        project: opt(project),
        privileged: false,
    }
    .needs()
}

/// A Kubernetes request's needs.
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn kube(
    verb: &str,
    resources: &[String],
    names: &[String],
    selector: &str,
    namespace: &str,
    all_namespaces: bool,
    options: &[(String, String)],
    operands: &[String],
) -> Vec<Need> {
    KubeCall {
        verb: verb.to_string(),
        effect: Effect::Read,
        resources: resources.to_vec(),
        names: ws(names),
        selector: opt(selector),
        namespace: opt(namespace),
        all_namespaces,
        options: opts(options),
        operands: ws(operands),
    }
    .needs()
}

/// An HTTP request's needs; `None` when the URL is not one playbook can check.
#[must_use]
pub fn http(
    tool: &str,
    method: &str,
    url: &str,
    headers: &[String],
    options: &[(String, String)],
) -> Option<Vec<Need>> {
    let target = parse_url(&w(url))?;
    let get = |k: &str| options.iter().find(|(key, _)| key == k).map(|(_, v)| w(v));
    let has = |k: &str| options.iter().any(|(key, _)| key == k);
    Some(
        HttpCall {
            tool: tool.to_string(),
            method: method.to_string(),
            url: w(url),
            target,
            headers: ws(headers),
            body: None,
            fail: has("fail"),
            silent: has("silent"),
            show_error: has("show-error"),
            head_only: has("head"),
            include_headers: has("include"),
            output: get("output"),
            write_out: get("write-out"),
            max_time: get("max-time"),
            connect_timeout: get("connect-timeout"),
            follow_redirects: has("location"),
            insecure: has("insecure"),
            retry: get("retry"),
            user: get("user"),
        }
        .needs(),
    )
}

/// A file request's needs, with relative paths joined to the working directory (relative to
/// the root) as the manifest joined them.
#[must_use]
pub fn fs(
    op: &str,
    tool: &str,
    paths: &[String],
    dest: &str,
    options: &[(String, String)],
    cwd: Option<&str>,
) -> Option<Vec<Need>> {
    let op = match op {
        "read" => FsOp::Read,
        "list" => FsOp::List,
        "remove" => FsOp::Remove,
        "copy" => FsOp::Copy,
        "move" => FsOp::Move,
        "mkdir" => FsOp::Mkdir,
        "touch" => FsOp::Touch,
        "write" => FsOp::Write,
        "append" => FsOp::Append,
        _ => return None,
    };
    let mut needs =
        FsCall { tool: tool.to_string(), op, paths: ws(paths), dest: opt(dest), options: opts(options) }.needs();
    for n in &mut needs {
        for (k, v) in &mut n.scope {
            if k == "path" || k == "from" {
                *v = v.split(' ').map(|p| playbook_compiler::manifest::join(cwd, p)).collect::<Vec<_>>().join(" ");
            }
        }
    }
    Some(needs)
}

/// A program's needs.
#[must_use]
pub fn process(program: &str, args: &[String]) -> Vec<Need> {
    ProcessCall { program: w(program), args: ws(args), effect: Effect::Exec, known: false }.needs()
}

//! `docker …` and `docker compose …` / `docker-compose …` → typed Docker requests, with the
//! option tables of `playbook_capability::docker`.

use playbook_capability::docker::{
    Arity, COMPOSE, COMPOSE_GLOBAL, CONTAINER, DockerRequest, DockerVerb, EXEC_OPTS, RUN_OPTS, Sub, cp_parts,
    refused_global,
};
use playbook_capability::options::{self, Setting, Style};

use super::{Action, Cx};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// `docker ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, args: &[Word]) -> Action {
    let words: Vec<String> = args.iter().take(2).map(|w| w.literal().unwrap_or_default()).collect();
    let first = words.first().map(String::as_str);
    let second = words.get(1).map(String::as_str);
    match (first, second) {
        (Some("compose"), _) => return classify_compose(cx, args),
        (Some("run"), _) => return run(cx, &args[1..]),
        (Some("container"), Some("run")) => return run(cx, &args[2..]),
        (Some("exec"), _) => return exec(cx, &args[1..], false),
        (Some("container"), Some("exec")) => return exec(cx, &args[2..], false),
        (Some(f), _) if f.starts_with('-') => {
            let span = args[0].span;
            let name = f.split_once('=').map_or(f, |(n, _)| n);
            let message = match refused_global(f) {
                Some(why) => format!("docker option `{name}` {why}"),
                None => format!("global docker option `{name}` is not typed"),
            };
            cx.error(
                Diagnostic::error(Kind::UnknownOption, span, message)
                    .with_label("global option")
                    .with_help("playbook talks to the operator's configured Docker engine; remove the option"),
            );
            return Action::Invalid;
        }
        _ => {}
    }
    for take in [2, 1] {
        let key = words.iter().take(take).cloned().collect::<Vec<_>>().join(" ");
        if let Some(sub) = CONTAINER.iter().find(|s| s.names.contains(&key.as_str())) {
            return simple(cx, sub, args, take.min(args.len()), Compose::default());
        }
    }
    let span = args.first().map_or(cx.span, |w| w.span);
    cx.missing(
        span,
        format!("`docker {}` is not a Docker command playbook knows", words.join(" ")),
        "known: ps, logs, inspect, stats, top, restart, stop, start, kill, update, rm, run, exec, network ls/inspect, images, pull, info, compose …",
    )
}

/// What stood before a compose subcommand.
#[derive(Default)]
struct Compose {
    file: Option<Word>,
    project: Option<Word>,
    /// `--env-file`, `--profile`, `--project-directory`, …
    options: Vec<Setting<Word>>,
}

/// A subcommand with a plain target list; `all` is the command's words after `docker` (or
/// `docker-compose`), the subcommand's own arguments start at `at`.
fn simple(cx: &mut Cx<'_, '_>, sub: &Sub, all: &[Word], at: usize, compose: Compose) -> Action {
    let tool = if sub.verb.is_compose() { "docker compose" } else { "docker" };
    let rest = &all[at..];
    let lenient = match options::parse_lenient(sub.opts, rest, false, Style::Pflag) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e, rest),
    };
    let parsed = lenient.parsed;
    if !lenient.unknown.is_empty() {
        return literal(cx, tool, sub.verb, all, at, &lenient.unknown);
    }
    let n = parsed.positional.len();
    let ok = match sub.arity {
        Arity::None => n == 0,
        Arity::One => n == 1,
        Arity::OneOrMore => n >= 1,
        Arity::Any => true,
        Arity::Two | Arity::Copy => n == 2,
    };
    if !ok {
        let expected = match sub.arity {
            Arity::None => "no operand",
            Arity::One => "exactly one",
            Arity::Two => "two (network, container):",
            Arity::Copy => "two (a source and a destination, one of them CONTAINER:PATH):",
            _ => "at least one",
        };
        return cx.missing(
            cx.span,
            format!("`{tool} {}` takes {expected} {} name, got {n}", sub.names[0], sub.target),
            "name the target literally or with a placeholder such as <container>",
        );
    }
    if sub.arity == Arity::Copy {
        let (src, dst) = (&parsed.positional[0], &parsed.positional[1]);
        if let Some(w) = [src, dst].into_iter().find(|w| w.literal().as_deref() == Some("-")) {
            cx.error(
                Diagnostic::error(Kind::Unsupported, w.span, "`docker cp` with `-` (a tar stream) is not supported")
                    .with_label("tar stream")
                    .with_help("copy to or from a path: `docker cp CONTAINER:/path ./local`"),
            );
            return Action::Invalid;
        }
        if cp_parts(&src.template(), &dst.template()).is_none() {
            cx.error(
                Diagnostic::error(
                    Kind::MissingArgument,
                    cx.span,
                    "`docker cp` copies between a container and a local path",
                )
                .with_label("which side is the container's")
                .with_help(
                    "write exactly one side as CONTAINER:PATH, e.g. `docker cp web:/etc/nginx/nginx.conf ./nginx.conf`",
                ),
            );
            return Action::Invalid;
        }
    }
    if parsed.has("follow") {
        cx.bounded(cx.span, "`--follow` streams until interrupted");
    }
    if sub.verb == DockerVerb::ContainerStats && !parsed.has("no-stream") {
        cx.bounded(cx.span, "`docker stats` without `--no-stream` refreshes forever");
    }
    if sub.verb == DockerVerb::ContainerStart && parsed.has("interactive") {
        cx.manual(cx.span, "`docker start -i` attaches a terminal");
    }
    if sub.verb == DockerVerb::ComposeEvents && !parsed.has("json") {
        cx.bounded(cx.span, "`docker compose events` streams until interrupted");
    }
    let mut r = DockerRequest::new(sub.verb);
    r.targets.clone_from(&parsed.positional);
    r.options = compose.options;
    r.options.extend(parsed.settings(sub.opts, &[]));
    r.compose_file = compose.file;
    r.project = compose.project;
    Action::Docker(r)
}

/// A command with options the tables do not declare: kept as its exact words after `docker`,
/// with a warning for each. Its words must all be literal, so the manifest shows what runs.
fn literal(
    cx: &mut Cx<'_, '_>,
    tool: &str,
    verb: DockerVerb,
    all: &[Word],
    at: usize,
    unknown: &[(usize, String)],
) -> Action {
    if let Some(w) = all.iter().find(|w| w.literal().is_none()) {
        cx.error(
            Diagnostic::error(
                Kind::UnknownOption,
                w.span,
                format!("`{tool}` option `{}` is not typed, and this word is computed at run time", unknown[0].1),
            )
            .with_label("run-time value")
            .with_help("a command with an untyped option runs with its literal words only: write them literally, or drop the option"),
        );
        return Action::Invalid;
    }
    for (i, option) in unknown {
        cx.warn(
            Diagnostic::warning(
                Kind::UnknownOption,
                all.get(at + i).map_or(cx.span, |w| w.span),
                format!("`{option}` is not typed: the command runs with its literal arguments"),
            )
            .with_label("untyped option")
            .with_help(format!(
                "the manifest shows the exact words `{tool}` receives; file an issue to type the option"
            )),
        );
    }
    let mut r = DockerRequest::new(verb);
    r.literal = all.to_vec();
    if verb.is_compose() && all.first().and_then(Word::literal).as_deref() != Some("compose") {
        // `docker-compose ARGS` runs as `docker compose ARGS`.
        r.literal.insert(0, Word::lit("compose", cx.span));
    }
    Action::Docker(r)
}

fn run(cx: &mut Cx<'_, '_>, rest: &[Word]) -> Action {
    let parsed = match options::parse(RUN_OPTS, rest, true) {
        Ok(p) => p,
        Err(e) => return cx.arg_error("docker run", &e, rest),
    };
    let Some(image) = parsed.positional.first().cloned() else {
        return cx.missing(cx.span, "`docker run` needs an image", "docker run [OPTIONS] IMAGE [COMMAND]");
    };
    if parsed.has("interactive") && parsed.has("tty") {
        cx.manual(cx.span, "`docker run -it` attaches a terminal");
    } else if !parsed.has("detach") && parsed.positional.len() == 1 && !parsed.has("rm") {
        // A foreground service container never exits; runbooks mean `-d` nearly always.
        cx.warn(
            Diagnostic::warning(Kind::Unbounded, cx.span, "`docker run` without `-d` waits until the container exits")
                .with_label("foreground container")
                .with_help("add `-d` to start it in the background"),
        );
    }
    let mut r = DockerRequest::new(DockerVerb::ContainerRun);
    r.options = parsed.settings(RUN_OPTS, &[]);
    r.image = Some(image);
    r.command = parsed.positional[1..].to_vec();
    Action::Docker(r)
}

fn exec(cx: &mut Cx<'_, '_>, rest: &[Word], compose: bool) -> Action {
    let tool = if compose { "docker compose exec" } else { "docker exec" };
    let parsed = match options::parse(EXEC_OPTS, rest, true) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e, rest),
    };
    let Some(target) = parsed.positional.first().cloned() else {
        return cx.missing(
            cx.span,
            format!("`{tool}` needs a target and a command"),
            "docker exec CONTAINER COMMAND [ARG…]",
        );
    };
    let command = parsed.positional[1..].to_vec();
    if command.is_empty() {
        return cx.missing(cx.span, format!("`{tool}` needs a command to run"), "docker exec CONTAINER COMMAND [ARG…]");
    }
    if parsed.has("interactive") || parsed.has("tty") {
        cx.manual(cx.span, &format!("`{tool} -it` attaches a terminal"));
    }
    let mut r = DockerRequest::new(if compose { DockerVerb::ComposeExec } else { DockerVerb::ContainerExec });
    r.targets = vec![target];
    r.options = parsed.settings(EXEC_OPTS, &[]);
    r.command = command;
    Action::Docker(r)
}

/// `docker compose ARGS…` / `docker-compose ARGS…`; `all` holds `compose` itself when written
/// as `docker compose`.
pub fn classify_compose(cx: &mut Cx<'_, '_>, all: &[Word]) -> Action {
    let skip = usize::from(all.first().and_then(Word::literal).as_deref() == Some("compose"));
    let args = &all[skip..];
    let sub_at = args.iter().position(|w| !w.literal_prefix().starts_with('-') && w.is_static()).unwrap_or(args.len());
    // Global options come before the subcommand; values of valued options are skipped over.
    let mut i = 0;
    let mut compose = Compose::default();
    while i < args.len() && args[i].literal_prefix().starts_with('-') {
        let window = &args[i..(i + 2).min(args.len())];
        match options::parse(COMPOSE_GLOBAL, window, false) {
            Ok(p) => {
                compose.file = p.value("file").cloned().or(compose.file);
                compose.project = p.value("project").cloned().or(compose.project);
                compose.options.extend(p.settings(COMPOSE_GLOBAL, &["file", "project"]));
                let flag_only =
                    p.opts.first().is_some_and(|(k, _)| COMPOSE_GLOBAL.iter().any(|o| o.key == *k && !o.value));
                i += if flag_only || args[i].literal().is_some_and(|l| l.contains('=')) { 1 } else { 2 };
            }
            Err(e) => return cx.arg_error("docker compose", &e, window),
        }
    }
    let sub_at = sub_at.max(i);
    let Some(name) = args.get(sub_at).and_then(Word::literal) else {
        return cx.missing(
            cx.span,
            "`docker compose` needs a subcommand",
            "docker compose ps|logs|restart|up|down|stop|start|pull|top|exec",
        );
    };
    if name == "exec" {
        if compose.file.is_some() || compose.project.is_some() || !compose.options.is_empty() {
            return cx.missing(
                cx.span,
                "`docker compose -f/-p … exec` is not supported",
                "run `docker compose exec` from the project's directory",
            );
        }
        return exec(cx, &args[sub_at + 1..], true);
    }
    let Some(sub) = COMPOSE.iter().find(|s| s.names.contains(&name.as_str())) else {
        return cx.missing(
            args[sub_at].span,
            format!("`docker compose {name}` is not a compose command playbook knows"),
            "known: ps, logs, top, config, restart, stop, start, up, down, pull, create, build, images, events, kill, rm, exec",
        );
    };
    simple(cx, sub, all, skip + sub_at + 1, compose)
}

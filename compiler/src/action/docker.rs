//! `docker …` and `docker compose …` / `docker-compose …` → `docker.*` capabilities.

use serde::Serialize;

use super::args::{self, Opt, flag, valued};
use super::{Action, Cx, Effect, Need, scope_of};
use crate::diagnostic::{Diagnostic, Kind};
use crate::shell::Word;

/// A typed Docker request: the host rebuilds `docker`'s argv from these fields alone.
#[derive(Clone, Debug, Serialize)]
pub struct DockerCall {
    /// `container.restart`, `compose.logs`, `network.inspect`, …
    pub verb: String,
    pub effect: Effect,
    /// Containers, networks, images or compose services acted on.
    pub targets: Vec<Word>,
    /// What kind of thing `targets` names: `container`, `network`, `image`, `service`.
    pub target_kind: &'static str,
    /// Declared options, by canonical key.
    pub options: Vec<(String, Option<Word>)>,
    /// For `run`: the image. For `exec`/`run`: the command after the target.
    pub image: Option<Word>,
    pub command: Vec<Word>,
    /// For compose: `-f FILE` and `-p NAME`.
    pub compose_file: Option<Word>,
    pub project: Option<Word>,
    /// `run --privileged`, `--pid=host`, host network or mounts: flagged to reviewers.
    pub privileged: bool,
}

impl DockerCall {
    #[must_use]
    pub fn capability(&self) -> String {
        format!("docker.{}", self.verb)
    }

    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let base = Need::new(self.capability(), self.effect);
        let with_common = |mut n: Need| {
            if let Some(f) = &self.compose_file {
                n = n.with("file", scope_of(f));
            }
            if let Some(p) = &self.project {
                n = n.with("project", scope_of(p));
            }
            n
        };
        if self.verb == "container.run" {
            let mut n = base;
            if let Some(i) = &self.image {
                n = n.with("image", scope_of(i));
            }
            if let Some(name) = self.options.iter().find(|(k, _)| k == "name").and_then(|(_, v)| v.as_ref()) {
                n = n.with("name", scope_of(name));
            }
            for (k, v) in &self.options {
                if matches!(
                    k.as_str(),
                    "publish"
                        | "volume"
                        | "network"
                        | "privileged"
                        | "user"
                        | "gpus"
                        | "restart"
                        | "memory"
                        | "entrypoint"
                ) {
                    n = n.with(k, v.as_ref().map_or_else(|| "true".to_string(), scope_of));
                }
            }
            let env: Vec<String> = self
                .options
                .iter()
                .filter(|(k, _)| k == "env")
                .filter_map(|(_, v)| v.as_ref())
                .map(|v| v.template().split('=').next().unwrap_or("").to_string())
                .collect();
            if !env.is_empty() {
                n = n.with("env", env.join(" "));
            }
            if !self.command.is_empty() {
                n = n.with("command", self.command.iter().map(scope_of).collect::<Vec<_>>().join(" "));
            }
            return vec![with_common(n)];
        }
        if self.targets.is_empty() {
            let n = if self.target_kind == "service" { base.with("service", "*") } else { base };
            return vec![with_common(n)];
        }
        self.targets
            .iter()
            .map(|t| {
                let mut n = base.clone().with(self.target_kind, scope_of(t));
                if self.verb == "container.update" {
                    for (k, v) in &self.options {
                        n = n.with(k, v.as_ref().map_or_else(|| "true".to_string(), scope_of));
                    }
                }
                if self.verb.ends_with(".exec") {
                    n = n.with("command", self.command.iter().map(scope_of).collect::<Vec<_>>().join(" "));
                }
                with_common(n)
            })
            .collect()
    }
}

struct Sub {
    names: &'static [&'static str],
    verb: &'static str,
    effect: Effect,
    target: &'static str,
    /// How many targets: 0 = none, 1 = exactly one, 2 = one or more, 3 = any.
    arity: u8,
    opts: &'static [Opt],
}

const FORMAT: Opt = valued("format", &["--format"]);

const CONTAINER: &[Sub] = &[
    Sub {
        names: &["ps", "container ls", "container list", "container ps"],
        verb: "container.list",
        effect: Effect::Read,
        target: "container",
        arity: 0,
        opts: &[
            flag("all", &["-a", "--all"]),
            flag("quiet", &["-q", "--quiet"]),
            valued("filter", &["-f", "--filter"]),
            FORMAT,
            flag("no-trunc", &["--no-trunc"]),
            valued("last", &["-n", "--last"]),
            flag("latest", &["-l", "--latest"]),
            flag("size", &["-s", "--size"]),
        ],
    },
    Sub {
        names: &["logs", "container logs"],
        verb: "container.logs",
        effect: Effect::Read,
        target: "container",
        arity: 1,
        opts: &[
            valued("tail", &["--tail", "-n"]),
            valued("since", &["--since"]),
            valued("until", &["--until"]),
            flag("timestamps", &["-t", "--timestamps"]),
            flag("follow", &["-f", "--follow"]),
            flag("details", &["--details"]),
        ],
    },
    Sub {
        names: &["inspect", "container inspect"],
        verb: "container.inspect",
        effect: Effect::Read,
        target: "container",
        arity: 2,
        opts: &[valued("format", &["-f", "--format"]), flag("size", &["-s", "--size"]), valued("type", &["--type"])],
    },
    Sub {
        names: &["stats", "container stats"],
        verb: "container.stats",
        effect: Effect::Read,
        target: "container",
        arity: 3,
        opts: &[
            flag("no-stream", &["--no-stream"]),
            FORMAT,
            flag("all", &["-a", "--all"]),
            flag("no-trunc", &["--no-trunc"]),
        ],
    },
    Sub {
        names: &["top", "container top"],
        verb: "container.top",
        effect: Effect::Read,
        target: "container",
        arity: 1,
        opts: &[],
    },
    Sub {
        names: &["port", "container port"],
        verb: "container.port",
        effect: Effect::Read,
        target: "container",
        arity: 1,
        opts: &[],
    },
    Sub {
        names: &["restart", "container restart"],
        verb: "container.restart",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[valued("time", &["-t", "--time"]), valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["stop", "container stop"],
        verb: "container.stop",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[valued("time", &["-t", "--time"]), valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["start", "container start"],
        verb: "container.start",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[flag("attach", &["-a", "--attach"]), flag("interactive", &["-i", "--interactive"])],
    },
    Sub {
        names: &["kill", "container kill"],
        verb: "container.kill",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["pause", "container pause"],
        verb: "container.pause",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[],
    },
    Sub {
        names: &["unpause", "container unpause"],
        verb: "container.unpause",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[],
    },
    Sub {
        names: &["update", "container update"],
        verb: "container.update",
        effect: Effect::Write,
        target: "container",
        arity: 2,
        opts: &[
            valued("memory", &["-m", "--memory"]),
            valued("memory-swap", &["--memory-swap"]),
            valued("memory-reservation", &["--memory-reservation"]),
            valued("cpus", &["--cpus"]),
            valued("cpu-shares", &["-c", "--cpu-shares"]),
            valued("restart", &["--restart"]),
            valued("pids-limit", &["--pids-limit"]),
        ],
    },
    Sub {
        names: &["rm", "container rm"],
        verb: "container.rm",
        effect: Effect::Destructive,
        target: "container",
        arity: 2,
        opts: &[flag("force", &["-f", "--force"]), flag("volumes", &["-v", "--volumes"])],
    },
    Sub {
        names: &["network ls", "network list"],
        verb: "network.list",
        effect: Effect::Read,
        target: "network",
        arity: 0,
        opts: &[
            valued("filter", &["-f", "--filter"]),
            FORMAT,
            flag("quiet", &["-q", "--quiet"]),
            flag("no-trunc", &["--no-trunc"]),
        ],
    },
    Sub {
        names: &["network inspect"],
        verb: "network.inspect",
        effect: Effect::Read,
        target: "network",
        arity: 2,
        opts: &[valued("format", &["-f", "--format"]), flag("verbose", &["-v", "--verbose"])],
    },
    Sub {
        names: &["images", "image ls", "image list"],
        verb: "image.list",
        effect: Effect::Read,
        target: "image",
        arity: 3,
        opts: &[
            flag("all", &["-a", "--all"]),
            flag("quiet", &["-q", "--quiet"]),
            valued("filter", &["-f", "--filter"]),
            FORMAT,
        ],
    },
    Sub {
        names: &["pull", "image pull"],
        verb: "image.pull",
        effect: Effect::Write,
        target: "image",
        arity: 1,
        opts: &[flag("quiet", &["-q", "--quiet"])],
    },
    Sub {
        names: &["info", "system info"],
        verb: "system.info",
        effect: Effect::Read,
        target: "system",
        arity: 0,
        opts: &[FORMAT],
    },
    Sub {
        names: &["version"],
        verb: "system.version",
        effect: Effect::Read,
        target: "system",
        arity: 0,
        opts: &[FORMAT],
    },
    Sub {
        names: &["system df"],
        verb: "system.df",
        effect: Effect::Read,
        target: "system",
        arity: 0,
        opts: &[flag("verbose", &["-v", "--verbose"]), FORMAT],
    },
];

const RUN_OPTS: &[Opt] = &[
    flag("detach", &["-d", "--detach"]),
    valued("name", &["--name"]),
    valued("publish", &["-p", "--publish"]),
    valued("env", &["-e", "--env"]),
    valued("env-file", &["--env-file"]),
    valued("restart", &["--restart"]),
    valued("volume", &["-v", "--volume"]),
    valued("network", &["--network", "--net"]),
    flag("rm", &["--rm"]),
    flag("interactive", &["-i", "--interactive"]),
    flag("tty", &["-t", "--tty"]),
    valued("memory", &["-m", "--memory"]),
    valued("memory-swap", &["--memory-swap"]),
    valued("cpus", &["--cpus"]),
    valued("entrypoint", &["--entrypoint"]),
    valued("workdir", &["-w", "--workdir"]),
    valued("user", &["-u", "--user"]),
    flag("privileged", &["--privileged"]),
    valued("gpus", &["--gpus"]),
    valued("label", &["-l", "--label"]),
    valued("hostname", &["-h", "--hostname"]),
    valued("health-cmd", &["--health-cmd"]),
    flag("init", &["--init"]),
    flag("read-only", &["--read-only"]),
];

const EXEC_OPTS: &[Opt] = &[
    flag("interactive", &["-i", "--interactive"]),
    flag("tty", &["-t", "--tty"]),
    flag("detach", &["-d", "--detach"]),
    valued("env", &["-e", "--env"]),
    valued("user", &["-u", "--user"]),
    valued("workdir", &["-w", "--workdir"]),
];

/// `docker ARGS…`
pub fn classify(cx: &mut Cx<'_, '_>, args: &[Word]) -> Action {
    let words: Vec<String> = args.iter().take(2).map(|w| w.literal().unwrap_or_default()).collect();
    match words.first().map(String::as_str) {
        Some("compose") => return classify_compose(cx, &args[1..]),
        Some("run" | "container")
            if words.first().map(String::as_str) == Some("run") || words.get(1).map(String::as_str) == Some("run") =>
        {
            let skip = if words[0] == "run" { 1 } else { 2 };
            return run(cx, &args[skip..]);
        }
        Some("exec") => return exec(cx, &args[1..], false),
        Some("container") if words.get(1).map(String::as_str) == Some("exec") => return exec(cx, &args[2..], false),
        Some(first) if first.starts_with('-') => {
            let span = args[0].span;
            cx.error(
                Diagnostic::error(Kind::UnknownOption, span, format!("global docker option `{first}` is not allowed"))
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
            return simple(cx, sub, &args[take.min(args.len())..], None, None);
        }
    }
    let span = args.first().map_or(cx.span, |w| w.span);
    cx.missing(span, format!("`docker {}` is not a Docker command playbook knows", words.join(" ")), "known: ps, logs, inspect, stats, top, restart, stop, start, kill, update, rm, run, exec, network ls/inspect, images, pull, info, compose …")
}

fn simple(cx: &mut Cx<'_, '_>, sub: &Sub, rest: &[Word], file: Option<Word>, project: Option<Word>) -> Action {
    let tool = if file.is_some() || sub.verb.starts_with("compose") { "docker compose" } else { "docker" };
    let parsed = match args::parse(sub.opts, rest, false) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e),
    };
    let n = parsed.positional.len();
    let ok = match sub.arity {
        0 => n == 0,
        1 => n == 1,
        2 => n >= 1,
        _ => true,
    };
    if !ok {
        let expected = match sub.arity {
            0 => "no operand",
            1 => "exactly one",
            _ => "at least one",
        };
        return cx.missing(
            cx.span,
            format!("`{tool} {}` takes {expected} {} name, got {n}", sub.names[0], sub.target),
            "name the target literally or with a placeholder such as <container>",
        );
    }
    let mut effect = sub.effect;
    if parsed.has("follow") {
        cx.bounded(cx.span, "`--follow` streams until interrupted");
    }
    if sub.verb == "container.stats" && !parsed.has("no-stream") {
        cx.bounded(cx.span, "`docker stats` without `--no-stream` refreshes forever");
    }
    if sub.verb == "container.start" && parsed.has("interactive") {
        cx.manual(cx.span, "`docker start -i` attaches a terminal");
    }
    if sub.verb == "compose.down" && parsed.has("volumes") {
        effect = Effect::Destructive;
    }
    Action::Docker(DockerCall {
        verb: sub.verb.to_string(),
        effect,
        targets: parsed.positional.clone(),
        target_kind: sub.target,
        options: parsed.opts.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect(),
        image: None,
        command: Vec::new(),
        compose_file: file,
        project,
        privileged: false,
    })
}

fn run(cx: &mut Cx<'_, '_>, rest: &[Word]) -> Action {
    let parsed = match args::parse(RUN_OPTS, rest, true) {
        Ok(p) => p,
        Err(e) => return cx.arg_error("docker run", &e),
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
    let privileged =
        parsed.has("privileged") || parsed.values("volume").iter().any(|v| v.literal_prefix().starts_with('/'));
    Action::Docker(DockerCall {
        verb: "container.run".into(),
        effect: Effect::Write,
        targets: Vec::new(),
        target_kind: "container",
        options: parsed.opts.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect(),
        image: Some(image),
        command: parsed.positional[1..].to_vec(),
        compose_file: None,
        project: None,
        privileged,
    })
}

fn exec(cx: &mut Cx<'_, '_>, rest: &[Word], compose: bool) -> Action {
    let tool = if compose { "docker compose exec" } else { "docker exec" };
    let parsed = match args::parse(EXEC_OPTS, rest, true) {
        Ok(p) => p,
        Err(e) => return cx.arg_error(tool, &e),
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
    Action::Docker(DockerCall {
        verb: if compose { "compose.exec" } else { "container.exec" }.into(),
        effect: Effect::Exec,
        targets: vec![target],
        target_kind: if compose { "service" } else { "container" },
        options: parsed.opts.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect(),
        image: None,
        command,
        compose_file: None,
        project: None,
        privileged: false,
    })
}

const COMPOSE: &[Sub] = &[
    Sub {
        names: &["ps"],
        verb: "compose.ps",
        effect: Effect::Read,
        target: "service",
        arity: 3,
        opts: &[
            flag("all", &["-a", "--all"]),
            flag("quiet", &["-q", "--quiet"]),
            FORMAT,
            flag("services", &["--services"]),
        ],
    },
    Sub {
        names: &["logs"],
        verb: "compose.logs",
        effect: Effect::Read,
        target: "service",
        arity: 3,
        opts: &[
            valued("tail", &["--tail", "-n"]),
            valued("since", &["--since"]),
            valued("until", &["--until"]),
            flag("follow", &["-f", "--follow"]),
            flag("timestamps", &["-t", "--timestamps"]),
            flag("no-color", &["--no-color"]),
            flag("no-log-prefix", &["--no-log-prefix"]),
        ],
    },
    Sub { names: &["top"], verb: "compose.top", effect: Effect::Read, target: "service", arity: 3, opts: &[] },
    Sub {
        names: &["config"],
        verb: "compose.config",
        effect: Effect::Read,
        target: "service",
        arity: 0,
        opts: &[flag("quiet", &["-q", "--quiet"]), flag("services", &["--services"])],
    },
    Sub {
        names: &["restart"],
        verb: "compose.restart",
        effect: Effect::Write,
        target: "service",
        arity: 3,
        opts: &[valued("timeout", &["-t", "--timeout"])],
    },
    Sub {
        names: &["stop"],
        verb: "compose.stop",
        effect: Effect::Write,
        target: "service",
        arity: 3,
        opts: &[valued("timeout", &["-t", "--timeout"])],
    },
    Sub { names: &["start"], verb: "compose.start", effect: Effect::Write, target: "service", arity: 3, opts: &[] },
    Sub {
        names: &["up"],
        verb: "compose.up",
        effect: Effect::Write,
        target: "service",
        arity: 3,
        opts: &[
            flag("detach", &["-d", "--detach"]),
            flag("build", &["--build"]),
            flag("force-recreate", &["--force-recreate"]),
            flag("no-deps", &["--no-deps"]),
            valued("scale", &["--scale"]),
            flag("wait", &["--wait"]),
        ],
    },
    Sub {
        names: &["down"],
        verb: "compose.down",
        effect: Effect::Write,
        target: "service",
        arity: 0,
        opts: &[
            flag("volumes", &["-v", "--volumes"]),
            flag("remove-orphans", &["--remove-orphans"]),
            valued("timeout", &["-t", "--timeout"]),
        ],
    },
    Sub {
        names: &["pull"],
        verb: "compose.pull",
        effect: Effect::Write,
        target: "service",
        arity: 3,
        opts: &[flag("quiet", &["-q", "--quiet"])],
    },
];

const COMPOSE_GLOBAL: &[Opt] = &[valued("file", &["-f", "--file"]), valued("project", &["-p", "--project-name"])];

/// `docker compose ARGS…` / `docker-compose ARGS…`
pub fn classify_compose(cx: &mut Cx<'_, '_>, args: &[Word]) -> Action {
    let sub_at = args.iter().position(|w| !w.literal_prefix().starts_with('-') && w.is_static()).unwrap_or(args.len());
    // Global options come before the subcommand; values of valued options are skipped over.
    let mut i = 0;
    let mut file = None;
    let mut project = None;
    while i < args.len() && args[i].literal_prefix().starts_with('-') {
        match args::parse(COMPOSE_GLOBAL, &args[i..(i + 2).min(args.len())], false) {
            Ok(p) => {
                file = p.value("file").cloned().or(file);
                project = p.value("project").cloned().or(project);
                i += if args[i].literal().is_some_and(|l| l.contains('=')) { 1 } else { 2 };
            }
            Err(e) => return cx.arg_error("docker compose", &e),
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
        return exec(cx, &args[sub_at + 1..], true);
    }
    let Some(sub) = COMPOSE.iter().find(|s| s.names.contains(&name.as_str())) else {
        return cx.missing(
            args[sub_at].span,
            format!("`docker compose {name}` is not a compose command playbook knows"),
            "known: ps, logs, top, config, restart, stop, start, up, down, pull, exec",
        );
    };
    let action = simple(cx, sub, &args[sub_at + 1..], file, project);
    if let Action::Docker(mut d) = action {
        if d.verb == "compose.down" {
            d.effect = Effect::Destructive;
        }
        return Action::Docker(d);
    }
    action
}

/// Options that attach a terminal: a run has none to attach, so the host refuses them.
const TERMINAL: &[&str] = &["interactive", "tty", "attach"];

/// The `docker` argv (without `docker` itself) of a typed request, rebuilt from the option
/// tables that parsed the runbook: the operator sees `docker`'s own output, and nothing but
/// declared options and plain operands reaches it.
///
/// # Errors
/// An unknown verb, an undeclared option, a terminal option, or an operand that would be read as
/// an option.
#[allow(clippy::too_many_arguments)]
pub fn argv(
    verb: &str,
    targets: &[String],
    options: &[(String, String)],
    image: &str,
    command: &[String],
    compose_file: &str,
    project: &str,
) -> Result<Vec<String>, String> {
    args::plain_operands("target", targets)?;
    let mut out: Vec<String> = Vec::new();
    let compose = verb.starts_with("compose.");
    if compose {
        out.push("compose".into());
        if !compose_file.is_empty() {
            args::plain_operands("compose file", [&compose_file.to_string()])?;
            out.push(format!("--file={compose_file}"));
        }
        if !project.is_empty() {
            args::plain_operands("project", [&project.to_string()])?;
            out.push(format!("--project-name={project}"));
        }
    }
    match verb {
        "container.run" => {
            args::plain_operands("image", [&image.to_string()])?;
            out.push("run".into());
            out.extend(args::unparse(RUN_OPTS, options, TERMINAL)?);
            out.push(image.to_string());
            out.extend(command.iter().cloned());
        }
        "container.exec" | "compose.exec" => {
            let [target] = targets else { return Err(format!("`{verb}` takes one target")) };
            if command.is_empty() {
                return Err(format!("`{verb}` needs a command"));
            }
            out.push("exec".into());
            if compose {
                // Compose allocates a terminal by default; a run has none.
                out.push("--no-TTY".into());
            }
            out.extend(args::unparse(EXEC_OPTS, options, TERMINAL)?);
            out.push(target.clone());
            out.extend(command.iter().cloned());
        }
        _ => {
            let table = if compose { COMPOSE } else { CONTAINER };
            let sub = table.iter().find(|s| s.verb == verb).ok_or_else(|| format!("unknown Docker verb `{verb}`"))?;
            out.extend(sub.names[0].split(' ').map(str::to_string));
            out.extend(args::unparse(sub.opts, options, TERMINAL)?);
            out.extend(targets.iter().cloned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod argv_tests {
    use super::argv;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    fn o(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(k, x)| ((*k).to_string(), (*x).to_string())).collect()
    }

    #[test]
    fn rebuilds_the_commands_of_the_seeds() {
        assert_eq!(
            argv("container.logs", &s(&["web"]), &o(&[("tail", "100")]), "", &[], "", "").unwrap(),
            s(&["logs", "--tail=100", "web"])
        );
        assert_eq!(
            argv("network.inspect", &s(&["bridge"]), &[], "", &[], "", "").unwrap(),
            s(&["network", "inspect", "bridge"])
        );
        assert_eq!(
            argv(
                "container.run",
                &[],
                &o(&[("detach", ""), ("name", "web"), ("publish", "8080:8080"), ("env", "A=b c")]),
                "img:1",
                &s(&["httpd", "-f"]),
                "",
                ""
            )
            .unwrap(),
            s(&["run", "--detach", "--name=web", "--publish=8080:8080", "--env=A=b c", "img:1", "httpd", "-f"])
        );
        assert_eq!(
            argv("compose.logs", &s(&["api"]), &o(&[("tail", "5")]), "", &[], "dc.yml", "").unwrap(),
            s(&["compose", "--file=dc.yml", "logs", "--tail=5", "api"])
        );
        assert_eq!(
            argv("container.exec", &s(&["db"]), &[], "", &s(&["psql", "-c", "select 1"]), "", "").unwrap(),
            s(&["exec", "db", "psql", "-c", "select 1"])
        );
    }

    #[test]
    fn refuses_what_the_tables_do_not_declare() {
        assert!(argv("container.restart", &s(&["--help"]), &[], "", &[], "", "").is_err());
        assert!(argv("container.restart", &s(&["web"]), &o(&[("privileged", "")]), "", &[], "", "").is_err());
        assert!(argv("container.run", &[], &[], "--privileged", &[], "", "").is_err());
        assert!(argv("container.exec", &s(&["db"]), &o(&[("tty", "")]), "", &s(&["sh"]), "", "").is_err());
        assert!(argv("container.burn", &s(&["web"]), &[], "", &[], "", "").is_err());
    }
}

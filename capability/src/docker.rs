//! Docker: `docker …` and `docker compose …` as typed requests. The host runs the real `docker`
//! client with the argv `DockerRequest::argv` rebuilds from the request alone; the request's scope
//! lists every target, option and value that argv carries.

use crate::effect::Effect;
use crate::options::{self, Opt, Setting, flag, valued};
use crate::scope::Need;
use crate::value::{Value, quoted_list};

named_enum! {
    /// What a Docker request does.
    pub enum DockerVerb {
        ContainerList = "container.list",
        ContainerLogs = "container.logs",
        ContainerInspect = "container.inspect",
        ContainerStats = "container.stats",
        ContainerTop = "container.top",
        ContainerPort = "container.port",
        ContainerRestart = "container.restart",
        ContainerStop = "container.stop",
        ContainerStart = "container.start",
        ContainerKill = "container.kill",
        ContainerPause = "container.pause",
        ContainerUnpause = "container.unpause",
        ContainerUpdate = "container.update",
        ContainerRm = "container.rm",
        ContainerRun = "container.run",
        ContainerExec = "container.exec",
        NetworkList = "network.list",
        NetworkInspect = "network.inspect",
        ImageList = "image.list",
        ImagePull = "image.pull",
        SystemInfo = "system.info",
        SystemVersion = "system.version",
        SystemDf = "system.df",
        ComposePs = "compose.ps",
        ComposeLogs = "compose.logs",
        ComposeTop = "compose.top",
        ComposeConfig = "compose.config",
        ComposeRestart = "compose.restart",
        ComposeStop = "compose.stop",
        ComposeStart = "compose.start",
        ComposeUp = "compose.up",
        ComposeDown = "compose.down",
        ComposePull = "compose.pull",
        ComposeExec = "compose.exec",
        SystemPrune = "system.prune",
        ImageInspect = "image.inspect",
        ImageRm = "image.rm",
        ImagePrune = "image.prune",
        VolumeList = "volume.list",
        VolumeInspect = "volume.inspect",
        VolumeRm = "volume.rm",
        VolumePrune = "volume.prune",
        VolumeCreate = "volume.create",
        NetworkCreate = "network.create",
        NetworkRm = "network.rm",
        NetworkConnect = "network.connect",
        NetworkDisconnect = "network.disconnect",
        NetworkPrune = "network.prune",
        ComposeCreate = "compose.create",
        ComposeBuild = "compose.build",
        ComposeImages = "compose.images",
        ComposeEvents = "compose.events",
        ComposeKill = "compose.kill",
        ComposeRm = "compose.rm",
        ContainerPrune = "container.prune",
        BuilderPrune = "builder.prune",
        ContainerCp = "container.cp",
    }
}

/// How many targets a subcommand takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    None,
    One,
    OneOrMore,
    Any,
    /// A network and a container (`network connect NET CONTAINER`).
    Two,
    /// A source and a destination, exactly one of them `CONTAINER:PATH` (`cp`).
    Copy,
}

/// One subcommand: how it is written, what it does, its options.
#[derive(Debug)]
pub struct Sub {
    /// Spellings (`restart`, `container restart`); the first is what the host runs.
    pub names: &'static [&'static str],
    pub verb: DockerVerb,
    pub effect: Effect,
    /// What the targets are: `container`, `network`, `image`, `service`, `system`.
    pub target: &'static str,
    pub arity: Arity,
    pub opts: &'static [Opt],
}

const FORMAT: Opt = valued("format", &["--format"]);

/// The subcommands of `docker` itself (not `run`/`exec`, which take a command).
pub const CONTAINER: &[Sub] = &[
    Sub {
        names: &["ps", "container ls", "container list", "container ps"],
        verb: DockerVerb::ContainerList,
        effect: Effect::Read,
        target: "container",
        arity: Arity::None,
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
        verb: DockerVerb::ContainerLogs,
        effect: Effect::Read,
        target: "container",
        arity: Arity::One,
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
        verb: DockerVerb::ContainerInspect,
        effect: Effect::Read,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[valued("format", &["-f", "--format"]), flag("size", &["-s", "--size"]), valued("type", &["--type"])],
    },
    Sub {
        names: &["stats", "container stats"],
        verb: DockerVerb::ContainerStats,
        effect: Effect::Read,
        target: "container",
        arity: Arity::Any,
        opts: &[
            flag("no-stream", &["--no-stream"]),
            FORMAT,
            flag("all", &["-a", "--all"]),
            flag("no-trunc", &["--no-trunc"]),
        ],
    },
    Sub {
        names: &["top", "container top"],
        verb: DockerVerb::ContainerTop,
        effect: Effect::Read,
        target: "container",
        arity: Arity::One,
        opts: &[],
    },
    Sub {
        names: &["port", "container port"],
        verb: DockerVerb::ContainerPort,
        effect: Effect::Read,
        target: "container",
        arity: Arity::One,
        opts: &[],
    },
    Sub {
        names: &["restart", "container restart"],
        verb: DockerVerb::ContainerRestart,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[valued("time", &["-t", "--time"]), valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["stop", "container stop"],
        verb: DockerVerb::ContainerStop,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[valued("time", &["-t", "--time"]), valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["start", "container start"],
        verb: DockerVerb::ContainerStart,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[flag("attach", &["-a", "--attach"]), flag("interactive", &["-i", "--interactive"])],
    },
    Sub {
        names: &["kill", "container kill"],
        verb: DockerVerb::ContainerKill,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[valued("signal", &["-s", "--signal"])],
    },
    Sub {
        names: &["pause", "container pause"],
        verb: DockerVerb::ContainerPause,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[],
    },
    Sub {
        names: &["unpause", "container unpause"],
        verb: DockerVerb::ContainerUnpause,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[],
    },
    Sub {
        names: &["update", "container update"],
        verb: DockerVerb::ContainerUpdate,
        effect: Effect::Write,
        target: "container",
        arity: Arity::OneOrMore,
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
        verb: DockerVerb::ContainerRm,
        effect: Effect::Destructive,
        target: "container",
        arity: Arity::OneOrMore,
        opts: &[flag("force", &["-f", "--force"]), flag("volumes", &["-v", "--volumes"])],
    },
    Sub {
        names: &["network ls", "network list"],
        verb: DockerVerb::NetworkList,
        effect: Effect::Read,
        target: "network",
        arity: Arity::None,
        opts: &[
            valued("filter", &["-f", "--filter"]),
            FORMAT,
            flag("quiet", &["-q", "--quiet"]),
            flag("no-trunc", &["--no-trunc"]),
        ],
    },
    Sub {
        names: &["network inspect"],
        verb: DockerVerb::NetworkInspect,
        effect: Effect::Read,
        target: "network",
        arity: Arity::OneOrMore,
        opts: &[valued("format", &["-f", "--format"]), flag("verbose", &["-v", "--verbose"])],
    },
    Sub {
        names: &["images", "image ls", "image list"],
        verb: DockerVerb::ImageList,
        effect: Effect::Read,
        target: "image",
        arity: Arity::Any,
        opts: &[
            flag("all", &["-a", "--all"]),
            flag("quiet", &["-q", "--quiet"]),
            valued("filter", &["-f", "--filter"]),
            FORMAT,
        ],
    },
    Sub {
        names: &["pull", "image pull"],
        verb: DockerVerb::ImagePull,
        effect: Effect::Write,
        target: "image",
        arity: Arity::One,
        opts: &[flag("quiet", &["-q", "--quiet"])],
    },
    Sub {
        names: &["info", "system info"],
        verb: DockerVerb::SystemInfo,
        effect: Effect::Read,
        target: "system",
        arity: Arity::None,
        opts: &[FORMAT],
    },
    Sub {
        names: &["version"],
        verb: DockerVerb::SystemVersion,
        effect: Effect::Read,
        target: "system",
        arity: Arity::None,
        opts: &[FORMAT],
    },
    Sub {
        names: &["system df"],
        verb: DockerVerb::SystemDf,
        effect: Effect::Read,
        target: "system",
        arity: Arity::None,
        opts: &[flag("verbose", &["-v", "--verbose"]), FORMAT],
    }, // The tables below are each subcommand's `Options:` from `docker SUB --help` (Docker 28.2).
    Sub {
        names: &["system prune"],
        verb: DockerVerb::SystemPrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[
            flag("all", &["-a", "--all"]),
            valued("filter", &["--filter"]),
            flag("force", &["-f", "--force"]),
            flag("volumes", &["--volumes"]),
        ],
    },
    Sub {
        names: &["image inspect"],
        verb: DockerVerb::ImageInspect,
        effect: Effect::Read,
        target: "image",
        arity: Arity::OneOrMore,
        opts: &[valued("format", &["-f", "--format"]), valued("platform", &["--platform"])],
    },
    Sub {
        names: &["image rm", "rmi", "image remove"],
        verb: DockerVerb::ImageRm,
        effect: Effect::Destructive,
        target: "image",
        arity: Arity::OneOrMore,
        opts: &[flag("force", &["-f", "--force"]), flag("no-prune", &["--no-prune"])],
    },
    Sub {
        names: &["image prune"],
        verb: DockerVerb::ImagePrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[flag("all", &["-a", "--all"]), valued("filter", &["--filter"]), flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["volume ls", "volume list"],
        verb: DockerVerb::VolumeList,
        effect: Effect::Read,
        target: "volume",
        arity: Arity::None,
        opts: &[valued("filter", &["-f", "--filter"]), FORMAT, flag("quiet", &["-q", "--quiet"])],
    },
    Sub {
        names: &["volume inspect"],
        verb: DockerVerb::VolumeInspect,
        effect: Effect::Read,
        target: "volume",
        arity: Arity::OneOrMore,
        opts: &[valued("format", &["-f", "--format"])],
    },
    Sub {
        names: &["volume rm", "volume remove"],
        verb: DockerVerb::VolumeRm,
        effect: Effect::Destructive,
        target: "volume",
        arity: Arity::OneOrMore,
        opts: &[flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["volume prune"],
        verb: DockerVerb::VolumePrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[flag("all", &["-a", "--all"]), valued("filter", &["--filter"]), flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["volume create"],
        verb: DockerVerb::VolumeCreate,
        effect: Effect::Write,
        target: "volume",
        arity: Arity::One,
        opts: &[valued("driver", &["-d", "--driver"]), valued("label", &["--label"]), valued("opt", &["-o", "--opt"])],
    },
    Sub {
        names: &["network create"],
        verb: DockerVerb::NetworkCreate,
        effect: Effect::Write,
        target: "network",
        arity: Arity::One,
        opts: &[
            flag("attachable", &["--attachable"]),
            valued("aux-address", &["--aux-address"]),
            valued("config-from", &["--config-from"]),
            flag("config-only", &["--config-only"]),
            valued("driver", &["-d", "--driver"]),
            valued("gateway", &["--gateway"]),
            flag("ingress", &["--ingress"]),
            flag("internal", &["--internal"]),
            valued("ip-range", &["--ip-range"]),
            valued("ipam-driver", &["--ipam-driver"]),
            valued("ipam-opt", &["--ipam-opt"]),
            flag("ipv4", &["--ipv4"]),
            flag("ipv6", &["--ipv6"]),
            valued("label", &["--label"]),
            valued("opt", &["-o", "--opt"]),
            valued("scope", &["--scope"]),
            valued("subnet", &["--subnet"]),
        ],
    },
    Sub {
        names: &["network rm", "network remove"],
        verb: DockerVerb::NetworkRm,
        effect: Effect::Destructive,
        target: "network",
        arity: Arity::OneOrMore,
        opts: &[flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["network connect"],
        verb: DockerVerb::NetworkConnect,
        effect: Effect::Write,
        target: "network",
        arity: Arity::Two,
        opts: &[
            valued("alias", &["--alias"]),
            valued("driver-opt", &["--driver-opt"]),
            valued("gw-priority", &["--gw-priority"]),
            valued("ip", &["--ip"]),
            valued("ip6", &["--ip6"]),
            valued("link", &["--link"]),
            valued("link-local-ip", &["--link-local-ip"]),
        ],
    },
    Sub {
        names: &["network disconnect"],
        verb: DockerVerb::NetworkDisconnect,
        effect: Effect::Write,
        target: "network",
        arity: Arity::Two,
        opts: &[flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["network prune"],
        verb: DockerVerb::NetworkPrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[valued("filter", &["--filter"]), flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["container prune"],
        verb: DockerVerb::ContainerPrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[valued("filter", &["--filter"]), flag("force", &["-f", "--force"])],
    },
    Sub {
        names: &["builder prune"],
        verb: DockerVerb::BuilderPrune,
        effect: Effect::Destructive,
        target: "system",
        arity: Arity::None,
        opts: &[
            flag("all", &["-a", "--all"]),
            valued("filter", &["--filter"]),
            flag("force", &["-f", "--force"]),
            valued("keep-storage", &["--keep-storage"]),
            valued("reserved-space", &["--reserved-space"]),
            valued("max-used-space", &["--max-used-space"]),
            valued("min-free-space", &["--min-free-space"]),
        ],
    },
    Sub {
        names: &["cp", "container cp"],
        verb: DockerVerb::ContainerCp,
        effect: Effect::Write,
        target: "container",
        arity: Arity::Copy,
        opts: &[
            flag("archive", &["-a", "--archive"]),
            flag("follow-link", &["-L", "--follow-link"]),
            flag("quiet", &["-q", "--quiet"]),
        ],
    },
];

/// One side of `docker cp`, read as Docker reads it: a path that starts with `/` or `.` is
/// local even with a colon in it; otherwise `NAME:PATH` is a container's path.
#[must_use]
pub fn cp_side(arg: &str) -> Option<(&str, &str)> {
    if arg.starts_with(['/', '.']) {
        return None;
    }
    arg.split_once(':')
}

/// The two sides of a `docker cp`: `(container, path in it, local path, from the container)`,
/// when exactly one side is a container's.
#[must_use]
pub fn cp_parts(src: &str, dst: &str) -> Option<(String, String, String, bool)> {
    match (cp_side(src), cp_side(dst)) {
        (Some((c, p)), None) => Some((c.to_string(), p.to_string(), dst.to_string(), true)),
        (None, Some((c, p))) => Some((c.to_string(), p.to_string(), src.to_string(), false)),
        _ => None,
    }
}

/// `docker run` options. Each reaches the engine, so each is in the request's scope.
pub const RUN_OPTS: &[Opt] = &[
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
    valued("pid", &["--pid"]),
    valued("ipc", &["--ipc"]),
    valued("uts", &["--uts"]),
    valued("userns", &["--userns"]),
    valued("cap-add", &["--cap-add"]),
    valued("device", &["--device"]),
    valued("security-opt", &["--security-opt"]),
];

/// Whether a bind-mount source leaves the working directory: absolute, home-relative, or
/// climbing above it with `..` (`../../..:/host` is the host's root). A named volume is not a
/// path at all.
#[must_use]
pub fn mount_leaves_workdir(source: &str) -> bool {
    if source.starts_with('/') || source.starts_with('~') {
        return true;
    }
    if !source.contains('/') && !source.starts_with('.') {
        return false;
    }
    let mut depth: i32 = 0;
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

/// The source of a `-v SOURCE:TARGET[:MODE]` value.
#[must_use]
pub fn mount_source(volume: &str) -> &str {
    volume.split(':').next().unwrap_or_default()
}

/// `docker exec` / `docker compose exec` options.
pub const EXEC_OPTS: &[Opt] = &[
    flag("interactive", &["-i", "--interactive"]),
    flag("tty", &["-t", "--tty"]),
    flag("detach", &["-d", "--detach"]),
    valued("env", &["-e", "--env"]),
    valued("user", &["-u", "--user"]),
    valued("workdir", &["-w", "--workdir"]),
];

/// The subcommands of `docker compose`.
pub const COMPOSE: &[Sub] = &[
    Sub {
        names: &["ps"],
        verb: DockerVerb::ComposePs,
        effect: Effect::Read,
        target: "service",
        arity: Arity::Any,
        opts: &[
            flag("all", &["-a", "--all"]),
            flag("quiet", &["-q", "--quiet"]),
            FORMAT,
            flag("services", &["--services"]),
        ],
    },
    Sub {
        names: &["logs"],
        verb: DockerVerb::ComposeLogs,
        effect: Effect::Read,
        target: "service",
        arity: Arity::Any,
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
    Sub {
        names: &["top"],
        verb: DockerVerb::ComposeTop,
        effect: Effect::Read,
        target: "service",
        arity: Arity::Any,
        opts: &[],
    },
    Sub {
        names: &["config"],
        verb: DockerVerb::ComposeConfig,
        effect: Effect::Read,
        target: "service",
        arity: Arity::None,
        opts: &[flag("quiet", &["-q", "--quiet"]), flag("services", &["--services"])],
    },
    Sub {
        names: &["restart"],
        verb: DockerVerb::ComposeRestart,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[valued("timeout", &["-t", "--timeout"])],
    },
    Sub {
        names: &["stop"],
        verb: DockerVerb::ComposeStop,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[valued("timeout", &["-t", "--timeout"])],
    },
    Sub {
        names: &["start"],
        verb: DockerVerb::ComposeStart,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[],
    },
    Sub {
        names: &["up"],
        verb: DockerVerb::ComposeUp,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
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
        verb: DockerVerb::ComposeDown,
        effect: Effect::Destructive,
        target: "service",
        arity: Arity::None,
        opts: &[
            flag("volumes", &["-v", "--volumes"]),
            flag("remove-orphans", &["--remove-orphans"]),
            valued("timeout", &["-t", "--timeout"]),
        ],
    },
    Sub {
        names: &["pull"],
        verb: DockerVerb::ComposePull,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[flag("quiet", &["-q", "--quiet"])],
    },
    // From the Compose v2 reference (docs.docker.com/reference/cli/docker/compose/).
    Sub {
        names: &["create"],
        verb: DockerVerb::ComposeCreate,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[
            flag("build", &["--build"]),
            flag("force-recreate", &["--force-recreate"]),
            flag("no-build", &["--no-build"]),
            flag("no-recreate", &["--no-recreate"]),
            valued("pull", &["--pull"]),
            flag("remove-orphans", &["--remove-orphans"]),
            valued("scale", &["--scale"]),
        ],
    },
    Sub {
        names: &["build"],
        verb: DockerVerb::ComposeBuild,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[
            flag("no-cache", &["--no-cache"]),
            flag("pull", &["--pull"]),
            flag("quiet", &["-q", "--quiet"]),
            valued("build-arg", &["--build-arg"]),
        ],
    },
    Sub {
        names: &["images"],
        verb: DockerVerb::ComposeImages,
        effect: Effect::Read,
        target: "service",
        arity: Arity::Any,
        opts: &[FORMAT, flag("quiet", &["-q", "--quiet"])],
    },
    Sub {
        names: &["events"],
        verb: DockerVerb::ComposeEvents,
        effect: Effect::Read,
        target: "service",
        arity: Arity::Any,
        opts: &[flag("json", &["--json"])],
    },
    Sub {
        names: &["kill"],
        verb: DockerVerb::ComposeKill,
        effect: Effect::Write,
        target: "service",
        arity: Arity::Any,
        opts: &[valued("signal", &["-s", "--signal"]), flag("remove-orphans", &["--remove-orphans"])],
    },
    Sub {
        names: &["rm"],
        verb: DockerVerb::ComposeRm,
        effect: Effect::Destructive,
        target: "service",
        arity: Arity::Any,
        opts: &[
            flag("force", &["-f", "--force"]),
            flag("stop", &["-s", "--stop"]),
            flag("volumes", &["-v", "--volumes"]),
        ],
    },
];

/// `docker` options before the subcommand that point the client at another engine, its own
/// configuration or another trust: refused, each with its reason (`docker --help`, Docker 28.2).
pub const REFUSED_GLOBAL: &[(&str, &str)] = &[
    ("-H", "talks to another Docker engine (`--host`)"),
    ("--host", "talks to another Docker engine"),
    ("-c", "switches to another Docker context (`--context`)"),
    ("--context", "switches to another Docker context: another engine"),
    ("--config", "reads another client configuration (credentials, contexts)"),
    ("--tls", "changes how the connection to the engine is trusted"),
    ("--tlsverify", "changes how the connection to the engine is trusted"),
    ("--tlscacert", "trusts another certificate authority"),
    ("--tlscert", "authenticates with another certificate"),
    ("--tlskey", "authenticates with another key"),
];

/// Whether a word before the subcommand spells a refused global option, and why.
#[must_use]
pub fn refused_global(word: &str) -> Option<&'static str> {
    let name = word.split_once('=').map_or(word, |(n, _)| n);
    REFUSED_GLOBAL.iter().find_map(|(n, why)| {
        let hit = if n.starts_with("--") { name == *n } else { word.starts_with(n) && !word.starts_with("--") };
        hit.then_some(*why)
    })
}

/// `docker compose` options before the subcommand. `--env-file` and `--project-directory` name
/// what the engine reads: they are in the scope.
pub const COMPOSE_GLOBAL: &[Opt] = &[
    valued("file", &["-f", "--file"]),
    valued("project", &["-p", "--project-name"]),
    valued("project-directory", &["--project-directory"]),
    valued("env-file", &["--env-file"]),
    valued("profile", &["--profile"]),
    flag("compatibility", &["--compatibility"]),
    valued("ansi", &["--ansi"]),
    valued("progress", &["--progress"]),
];

/// Options that attach a terminal: a run has none to attach, so the host refuses them.
pub const TERMINAL: &[&str] = &["interactive", "tty", "attach"];

impl DockerVerb {
    /// The table row of a verb with a plain target list (all but `run` and `exec`).
    #[must_use]
    pub fn sub(self) -> Option<&'static Sub> {
        CONTAINER.iter().chain(COMPOSE).find(|s| s.verb == self)
    }

    /// The option table of the verb.
    #[must_use]
    pub fn options(self) -> &'static [Opt] {
        match self {
            // Compose's own options are in the scope too (`--env-file`), spelled by `scope_of`.
            Self::ContainerRun => RUN_OPTS,
            Self::ContainerExec | Self::ComposeExec => EXEC_OPTS,
            other => other.sub().map_or(&[], |s| s.opts),
        }
    }

    /// What its targets name.
    #[must_use]
    pub fn target_kind(self) -> &'static str {
        match self {
            Self::ContainerRun | Self::ContainerExec => "container",
            Self::ComposeExec => "service",
            other => other.sub().map_or("system", |s| s.target),
        }
    }

    #[must_use]
    pub fn is_compose(self) -> bool {
        self.as_str().starts_with("compose.")
    }

    /// The capability a request of this verb needs: `docker.container.restart`.
    #[must_use]
    pub fn capability(self) -> String {
        format!("docker.{}", self.as_str())
    }
}

/// A typed Docker request. `V` is a shell word while compiling and a string at run time.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DockerRequest<V> {
    pub verb: DockerVerb,
    /// Containers, networks, images or compose services acted on.
    pub targets: Vec<V>,
    /// Declared options, in table order.
    pub options: Vec<Setting<V>>,
    /// The image of `run`.
    pub image: Option<V>,
    /// The command of `run` and `exec`.
    pub command: Vec<V>,
    /// Compose `-f FILE` and `-p NAME`.
    pub compose_file: Option<V>,
    pub project: Option<V>,
    /// Non-empty when an option is not typed: the command's own words after `docker`, passed
    /// as they are. The other fields then only name the capability.
    pub literal: Vec<V>,
    /// Streamed for at most this many seconds, then stopped (`logs -f`, `stats`).
    pub bound: Option<u32>,
    /// Started with `&`.
    pub background: bool,
}

impl<V: Value> DockerRequest<V> {
    /// A request of `verb` with nothing else set.
    #[must_use]
    pub fn new(verb: DockerVerb) -> Self {
        Self {
            verb,
            targets: Vec::new(),
            options: Vec::new(),
            image: None,
            command: Vec::new(),
            compose_file: None,
            project: None,
            literal: Vec::new(),
            bound: None,
            background: false,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.options.iter().any(|s| s.key == key)
    }

    fn values(&self, key: &str) -> impl Iterator<Item = &V> {
        self.options.iter().filter(move |s| s.key == key).filter_map(|s| s.value.as_ref())
    }

    /// What the request changes: a container started with a command of the runbook's runs that
    /// command (`exec`), as `docker exec` does.
    #[must_use]
    pub fn effect(&self) -> Effect {
        match self.verb {
            DockerVerb::ContainerExec | DockerVerb::ComposeExec => Effect::Exec,
            DockerVerb::ContainerRun if !self.command.is_empty() => Effect::Exec,
            DockerVerb::ContainerRun => Effect::Write,
            v => v.sub().map_or(Effect::Exec, |s| s.effect),
        }
    }

    /// Whether the container it starts may reach the host: `--privileged`, added capabilities or
    /// devices, the host's network, PID, IPC, UTS or user namespace, a security option, or a bind
    /// mount of a path outside the working directory.
    #[must_use]
    pub fn privileged(&self) -> bool {
        if self.verb != DockerVerb::ContainerRun {
            return false;
        }
        let host = |key: &str| {
            self.values(key).any(|v| v.literal().is_none_or(|l| l == "host" || l.starts_with("container:")))
        };
        self.has("privileged")
            || self.has("cap-add")
            || self.has("device")
            || self.has("security-opt")
            || host("network")
            || host("pid")
            || host("ipc")
            || host("uts")
            || host("userns")
            || self.values("volume").any(|v| v.literal().is_none_or(|l| mount_leaves_workdir(mount_source(&l))))
    }

    /// What the request needs: one need per target, each with the request's every option.
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        if !self.literal.is_empty() {
            return vec![Need::new(self.verb.capability(), self.effect()).with("argv", quoted_list(&self.literal))];
        }
        let mut common: Vec<(String, String)> = Vec::new();
        if let Some(f) = &self.compose_file {
            common.push(("file".into(), f.template()));
        }
        if let Some(p) = &self.project {
            common.push(("project".into(), p.template()));
        }
        if let Some(i) = &self.image {
            common.push(("image".into(), i.template()));
        }
        common.extend(options::scope_of(self.verb.options(), &self.options));
        if !self.command.is_empty() || matches!(self.verb, DockerVerb::ContainerExec | DockerVerb::ComposeExec) {
            common.push(("command".into(), quoted_list(&self.command)));
        }
        let base = Need::new(self.verb.capability(), self.effect());
        let kind = self.verb.target_kind();
        let with_common = |mut n: Need| {
            n.scope.extend(common.iter().cloned());
            n
        };
        if self.targets.is_empty() {
            let n = match self.verb {
                DockerVerb::ContainerRun => base,
                _ if kind == "service" => base.with("service", "*"),
                _ => base,
            };
            return vec![with_common(n)];
        }
        if let (DockerVerb::ContainerCp, [src, dst]) = (self.verb, self.targets.as_slice()) {
            let Some((container, path, local, from)) = cp_parts(&src.template(), &dst.template()) else {
                return vec![with_common(base.with("source", src.template()).with("destination", dst.template()))];
            };
            let n = base
                .with("container", container)
                .with("path", path)
                .with(if from { "to-local" } else { "from-local" }, local);
            return vec![with_common(n)];
        }
        if let (Some(Arity::Two), [net, container]) = (self.verb.sub().map(|s| s.arity), self.targets.as_slice()) {
            return vec![with_common(base.with("network", net.template()).with("container", container.template()))];
        }
        self.targets.iter().map(|t| with_common(base.clone().with(kind, t.template()))).collect()
    }
}

/// Whether a setting's key is one of `docker compose`'s own options (other than `-f`, `-p`).
#[must_use]
pub fn is_compose_global(key: &str) -> bool {
    key != "file" && key != "project" && COMPOSE_GLOBAL.iter().any(|o| o.key == key)
}

impl DockerRequest<String> {
    /// The literal words, checked: they spell the request's verb, hold no refused global
    /// option and no terminal.
    fn literal_argv(&self) -> Result<Vec<String>, String> {
        let sub = self.verb.sub().ok_or_else(|| format!("`{}` cannot run with literal words", self.verb))?;
        let words = &self.literal;
        let body = if self.verb.is_compose() {
            if words.first().map(String::as_str) != Some("compose") {
                return Err("the literal words are not a `docker compose` command".into());
            }
            &words[1..]
        } else {
            &words[..]
        };
        if let Some((w, why)) = words.iter().find_map(|w| refused_global(w).map(|y| (w, y))) {
            return Err(format!("`{w}` {why}"));
        }
        let spells = |n: &str| {
            let ws: Vec<&str> = n.split(' ').collect();
            if self.verb.is_compose() {
                body.iter().any(|b| b == ws[0])
            } else {
                body.len() >= ws.len() && body.iter().zip(&ws).all(|(a, b)| a == b)
            }
        };
        if !sub.names.iter().any(|n| spells(n)) {
            return Err(format!("the literal words do not spell `{}`", self.verb));
        }
        if words.iter().any(|w| matches!(w.as_str(), "-i" | "-t" | "-it" | "-ti" | "--interactive" | "--tty")) {
            return Err("a terminal option: a run has no terminal".into());
        }
        Ok(words.clone())
    }

    /// Checks what a compiled playbook cannot be trusted to have checked: options declared by
    /// the verb's table, no terminal, and targets, image and compose names that cannot be read
    /// as options.
    ///
    /// # Errors
    /// Why the request cannot be carried out.
    pub fn check(&self) -> Result<(), String> {
        self.argv().map(|_| ())
    }

    /// The `docker` argv (without `docker` itself): the long spelling of each option, `--opt=value`
    /// forms, no operand that starts with `-`, no terminal option.
    ///
    /// # Errors
    /// An undeclared option, a terminal option, a wrong number of targets, or an operand that would
    /// be read as an option.
    pub fn argv(&self) -> Result<Vec<String>, String> {
        if !self.literal.is_empty() {
            return self.literal_argv();
        }
        options::plain_operands("target", &self.targets)?;
        let mut out: Vec<String> = Vec::new();
        let mut local = self.options.clone();
        if self.verb.is_compose() {
            out.push("compose".into());
            if let Some(f) = &self.compose_file {
                options::plain_operands("compose file", [f])?;
                out.push(format!("--file={f}"));
            }
            if let Some(p) = &self.project {
                options::plain_operands("project", [p])?;
                out.push(format!("--project-name={p}"));
            }
            // `--env-file`, `--profile`, `--project-directory`: before the subcommand.
            let global: Vec<Setting<String>>;
            (global, local) = local.into_iter().partition(|s| is_compose_global(&s.key));
            out.extend(options::unparse(COMPOSE_GLOBAL, &global, &["file", "project"])?);
        } else if self.compose_file.is_some() || self.project.is_some() {
            return Err("a compose file or project belongs to `docker compose` only".into());
        }
        if self.image.is_some() != (self.verb == DockerVerb::ContainerRun) {
            return Err("only `docker run` takes an image".into());
        }
        let takes_command =
            matches!(self.verb, DockerVerb::ContainerRun | DockerVerb::ContainerExec | DockerVerb::ComposeExec);
        if !takes_command && !self.command.is_empty() {
            return Err(format!("`{}` takes no command", self.verb));
        }
        match self.verb {
            DockerVerb::ContainerRun => {
                let image = self.image.clone().unwrap_or_default();
                options::plain_operands("image", [&image])?;
                if !self.targets.is_empty() {
                    return Err("`docker run` names its container with --name".into());
                }
                out.push("run".into());
                out.extend(options::unparse(RUN_OPTS, &local, TERMINAL)?);
                out.push(image);
                out.extend(self.command.iter().cloned());
            }
            DockerVerb::ContainerExec | DockerVerb::ComposeExec => {
                let [target] = self.targets.as_slice() else { return Err(format!("`{}` takes one target", self.verb)) };
                if self.command.is_empty() {
                    return Err(format!("`{}` needs a command", self.verb));
                }
                out.push("exec".into());
                if self.verb.is_compose() {
                    // Compose allocates a terminal by default; a run has none.
                    out.push("--no-TTY".into());
                }
                out.extend(options::unparse(EXEC_OPTS, &local, TERMINAL)?);
                out.push(target.clone());
                out.extend(self.command.iter().cloned());
            }
            verb => {
                let sub = verb.sub().ok_or_else(|| format!("unknown Docker verb `{verb}`"))?;
                let n = self.targets.len();
                let fits = match sub.arity {
                    Arity::None => n == 0,
                    Arity::One => n == 1,
                    Arity::OneOrMore => n >= 1,
                    Arity::Any => true,
                    Arity::Two => n == 2,
                    Arity::Copy => n == 2 && cp_parts(&self.targets[0], &self.targets[1]).is_some(),
                };
                if !fits {
                    return Err(format!("`{verb}` does not take {n} target(s)"));
                }
                if verb == DockerVerb::ContainerCp && self.targets.iter().any(|t| t == "-") {
                    return Err("`docker cp` with `-` (a tar stream) is not supported".into());
                }
                out.extend(sub.names[0].split(' ').map(str::to_string));
                out.extend(options::unparse(sub.opts, &local, TERMINAL)?);
                out.extend(self.targets.iter().cloned());
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_reaches_the_host_is_privileged() {
        let run = |opts: &[(&str, Option<&str>)]| {
            let mut r = req(DockerVerb::ContainerRun, &[], opts);
            r.image = Some("busybox".into());
            r.privileged()
        };
        assert!(!run(&[("volume", Some("data:/data"))]), "a named volume");
        assert!(!run(&[("volume", Some("./data:/data"))]));
        assert!(run(&[("volume", Some("../../..:/host"))]), "climbs out of the working directory");
        assert!(run(&[("volume", Some("data/../../x:/x"))]));
        assert!(run(&[("volume", Some("/:/host"))]));
        assert!(run(&[("network", Some("host"))]));
        assert!(!run(&[("network", Some("bridge"))]));
        for key in ["pid", "ipc", "uts", "userns"] {
            assert!(run(&[(key, Some("host"))]), "{key}");
        }
        assert!(run(&[("cap-add", Some("SYS_ADMIN"))]));
        assert!(run(&[("privileged", None)]));
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    fn req(verb: DockerVerb, targets: &[&str], opts: &[(&str, Option<&str>)]) -> DockerRequest<String> {
        let mut r = DockerRequest::new(verb);
        r.targets = s(targets);
        r.options = opts.iter().map(|(k, v)| Setting { key: (*k).to_string(), value: v.map(str::to_string) }).collect();
        r
    }

    #[test]
    fn rebuilds_the_commands_of_the_seeds() {
        assert_eq!(
            req(DockerVerb::ContainerLogs, &["web"], &[("tail", Some("100"))]).argv().unwrap(),
            s(&["logs", "--tail=100", "web"])
        );
        assert_eq!(
            req(DockerVerb::NetworkInspect, &["bridge"], &[]).argv().unwrap(),
            s(&["network", "inspect", "bridge"])
        );
        let mut run = req(
            DockerVerb::ContainerRun,
            &[],
            &[("detach", None), ("name", Some("web")), ("publish", Some("8080:8080")), ("env", Some("A=b c"))],
        );
        run.image = Some("img:1".into());
        run.command = s(&["httpd", "-f"]);
        assert_eq!(
            run.argv().unwrap(),
            s(&["run", "--detach", "--name=web", "--publish=8080:8080", "--env=A=b c", "img:1", "httpd", "-f"])
        );
        let mut logs = req(DockerVerb::ComposeLogs, &["api"], &[("tail", Some("5"))]);
        logs.compose_file = Some("dc.yml".into());
        assert_eq!(logs.argv().unwrap(), s(&["compose", "--file=dc.yml", "logs", "--tail=5", "api"]));
        let mut exec = req(DockerVerb::ContainerExec, &["db"], &[]);
        exec.command = s(&["psql", "-c", "select 1"]);
        assert_eq!(exec.argv().unwrap(), s(&["exec", "db", "psql", "-c", "select 1"]));
    }

    #[test]
    fn refuses_what_the_tables_do_not_declare() {
        assert!(req(DockerVerb::ContainerRestart, &["--help"], &[]).argv().is_err());
        assert!(req(DockerVerb::ContainerRestart, &["web"], &[("privileged", None)]).argv().is_err());
        let mut run = req(DockerVerb::ContainerRun, &[], &[]);
        run.image = Some("--privileged".into());
        assert!(run.argv().is_err());
        let mut exec = req(DockerVerb::ContainerExec, &["db"], &[("tty", None)]);
        exec.command = s(&["sh"]);
        assert!(exec.argv().is_err());
        assert!(req(DockerVerb::ContainerLogs, &["a", "b"], &[]).argv().is_err());
        let mut restart = req(DockerVerb::ContainerRestart, &["web"], &[]);
        restart.command = s(&["sh"]);
        assert!(restart.argv().is_err());
    }

    #[test]
    fn every_option_of_run_is_in_its_scope() {
        let mut run = req(
            DockerVerb::ContainerRun,
            &[],
            &[("name", Some("web")), ("env-file", Some("/outside/s.env")), ("health-cmd", Some("reboot -f"))],
        );
        run.image = Some("img".into());
        let n = &run.needs()[0];
        assert_eq!(n.get("--env-file"), Some("/outside/s.env"));
        assert_eq!(n.get("--health-cmd"), Some("'reboot -f'"));
        assert_eq!(n.get("--name"), Some("web"));
        assert_eq!(n.effect, Effect::Write);
        let mut with_cmd = run.clone();
        with_cmd.command = s(&["sh", "-c", "id"]);
        assert_eq!(with_cmd.needs()[0].effect, Effect::Exec, "a container running the runbook's command is exec");
        let restart = req(DockerVerb::ContainerRestart, &["web"], &[]);
        assert_eq!(restart.needs()[0].effect, Effect::Write);
        assert_eq!(restart.needs()[0].scope, vec![("container".to_string(), "web".to_string())]);
    }
}

//! Cluster and service tools by subcommand, from tables: ceph, vault, nomad, consul,
//! gitlab-ctl, rabbitmqctl, crictl, patronictl. The capability is the tool's prefix and the
//! subcommand words (`ceph.osd.out`, `vault.operator.unseal`, `rabbitmqctl.list-queues`); a
//! subcommand not in the table may do anything and stays `process.exec` with effect `exec`.

use super::{Family, Opts, Typed, scan};
use crate::effect::Effect::{self, Destructive, Exec, Read, Write};
use crate::value::Value;

/// One row: the subcommand words and their effect.
type Row = (&'static [&'static str], Effect);

/// The row whose words start the command's positionals (the longest first), the capability
/// named from them, and the operand after them as the scope's `target`.
fn by_table<V: Value>(prefix: &str, args: &[V], opts: &Opts, rows: &[Row], what: &'static str) -> Family {
    let s = scan(args, opts);
    // A hole where the first subcommand word belongs; a hole further on is an operand
    // (`ceph crash info <crash-id>`) unless a longer row needed it.
    if s.verbs(1).is_err() {
        return Family::Hole(what);
    }
    let mut best: Option<&Row> = None;
    for row in rows {
        let n = row.0.len();
        if let Ok(Some(v)) = s.verbs(n)
            && v == row.0
            && best.is_none_or(|b| b.0.len() < n)
        {
            best = Some(row);
        }
    }
    let Some((words, effect)) = best else { return Family::Untyped(Exec) };
    let name: Vec<String> = words.iter().map(|w| w.replace('_', "-").to_ascii_lowercase()).collect();
    let t = Typed::new(format!("{prefix}.{}", name.join(".")), *effect).with("target", s.operands(words.len()));
    Family::Typed(t)
}

const CEPH: Opts = Opts {
    values: &["-c", "--conf", "--cluster", "-n", "--name", "--id", "-k", "--keyring", "-f", "--format", "-m"],
    flags: &["--connect-timeout"],
};

const CEPH_ROWS: &[Row] = &[
    (&["status"], Read),
    (&["health"], Read),
    (&["health", "detail"], Read),
    (&["health", "mute"], Write),
    (&["health", "unmute"], Write),
    (&["df"], Read),
    (&["versions"], Read),
    (&["quorum_status"], Read),
    (&["osd", "tree"], Read),
    (&["osd", "df"], Read),
    (&["osd", "stat"], Read),
    (&["osd", "perf"], Read),
    (&["osd", "dump"], Read),
    (&["osd", "find"], Read),
    (&["osd", "metadata"], Read),
    (&["osd", "pool", "ls"], Read),
    (&["osd", "pool", "get"], Read),
    (&["osd", "pool", "stats"], Read),
    (&["osd", "blocked-by"], Read),
    (&["osd", "safe-to-destroy"], Read),
    (&["osd", "ok-to-stop"], Read),
    (&["pg", "stat"], Read),
    (&["pg", "dump"], Read),
    (&["pg", "dump_stuck"], Read),
    (&["pg", "ls"], Read),
    (&["pg", "query"], Read),
    (&["mon", "stat"], Read),
    (&["mon", "dump"], Read),
    (&["mgr", "services"], Read),
    (&["mgr", "stat"], Read),
    (&["fs", "status"], Read),
    (&["fs", "ls"], Read),
    (&["auth", "ls"], Read),
    (&["config", "get"], Read),
    (&["config", "dump"], Read),
    (&["config", "show"], Read),
    (&["crash", "ls"], Read),
    (&["crash", "ls-new"], Read),
    (&["crash", "info"], Read),
    (&["orch", "ps"], Read),
    (&["orch", "ls"], Read),
    (&["orch", "host", "ls"], Read),
    (&["osd", "in"], Write),
    (&["osd", "out"], Write),
    (&["osd", "set"], Write),
    (&["osd", "unset"], Write),
    (&["osd", "reweight"], Write),
    (&["osd", "crush", "reweight"], Write),
    (&["osd", "pool", "set"], Write),
    (&["osd", "set-nearfull-ratio"], Write),
    (&["osd", "set-full-ratio"], Write),
    (&["osd", "set-backfillfull-ratio"], Write),
    (&["pg", "repair"], Write),
    (&["pg", "deep-scrub"], Write),
    (&["config", "set"], Write),
    (&["crash", "archive"], Write),
    (&["crash", "archive-all"], Write),
    (&["mgr", "module", "enable"], Write),
    (&["mgr", "fail"], Write),
    (&["orch", "daemon", "restart"], Write),
    (&["orch", "restart"], Write),
    (&["osd", "rm"], Destructive),
    (&["osd", "purge"], Destructive),
    (&["osd", "destroy"], Destructive),
    (&["osd", "crush", "remove"], Destructive),
    (&["osd", "pool", "delete"], Destructive),
    (&["osd", "pool", "rm"], Destructive),
    (&["auth", "del"], Destructive),
    (&["fs", "rm"], Destructive),
    (&["mgr", "module", "disable"], Destructive),
];

const VAULT: Opts = Opts {
    values: &["-address", "-format", "-field", "-namespace", "-mount", "-ca-cert", "-key-shares", "-key-threshold"],
    flags: &["-detailed", "-non-interactive", "-self", "-stale"],
};

const VAULT_ROWS: &[Row] = &[
    (&["status"], Read),
    (&["version"], Read),
    (&["read"], Read),
    (&["list"], Read),
    (&["kv", "get"], Read),
    (&["kv", "list"], Read),
    (&["kv", "metadata", "get"], Read),
    (&["token", "lookup"], Read),
    (&["token", "capabilities"], Read),
    (&["secrets", "list"], Read),
    (&["auth", "list"], Read),
    (&["policy", "list"], Read),
    (&["policy", "read"], Read),
    (&["audit", "list"], Read),
    (&["lease", "lookup"], Read),
    (&["operator", "raft", "list-peers"], Read),
    (&["operator", "raft", "autopilot", "state"], Read),
    (&["operator", "members"], Read),
    (&["operator", "key-status"], Read),
    (&["write"], Write),
    (&["kv", "put"], Write),
    (&["kv", "patch"], Write),
    (&["token", "create"], Write),
    (&["token", "renew"], Write),
    (&["lease", "renew"], Write),
    (&["secrets", "enable"], Write),
    (&["secrets", "tune"], Write),
    (&["auth", "enable"], Write),
    (&["policy", "write"], Write),
    (&["operator", "unseal"], Write),
    (&["operator", "raft", "snapshot", "save"], Write),
    (&["delete"], Destructive),
    (&["kv", "delete"], Destructive),
    (&["kv", "destroy"], Destructive),
    (&["kv", "metadata", "delete"], Destructive),
    (&["token", "revoke"], Destructive),
    (&["lease", "revoke"], Destructive),
    (&["secrets", "disable"], Destructive),
    (&["auth", "disable"], Destructive),
    (&["policy", "delete"], Destructive),
    (&["operator", "seal"], Destructive),
    (&["operator", "step-down"], Destructive),
    (&["operator", "raft", "remove-peer"], Destructive),
    (&["operator", "raft", "snapshot", "restore"], Destructive),
];

const NOMAD: Opts = Opts {
    values: &["-address", "-namespace", "-region", "-t", "-type", "-task", "-n", "-tail", "-group", "-deadline"],
    flags: &[
        "-json",
        "-verbose",
        "-all-allocs",
        "-stale",
        "-detach",
        "-yes",
        "-stderr",
        "-evals",
        "-self",
        "-enable",
        "-disable",
    ],
};

const NOMAD_ROWS: &[Row] = &[
    (&["status"], Read),
    (&["version"], Read),
    (&["job", "status"], Read),
    (&["job", "inspect"], Read),
    (&["job", "history"], Read),
    (&["job", "plan"], Read),
    (&["job", "validate"], Read),
    (&["job", "allocs"], Read),
    (&["job", "deployments"], Read),
    (&["alloc", "status"], Read),
    (&["alloc", "logs"], Read),
    (&["alloc", "fs"], Read),
    (&["node", "status"], Read),
    (&["server", "members"], Read),
    (&["deployment", "status"], Read),
    (&["deployment", "list"], Read),
    (&["eval", "status"], Read),
    (&["operator", "raft", "list-peers"], Read),
    (&["job", "run"], Write),
    (&["job", "dispatch"], Write),
    (&["job", "revert"], Write),
    (&["job", "scale"], Write),
    (&["job", "promote"], Write),
    (&["alloc", "restart"], Write),
    (&["alloc", "signal"], Destructive),
    (&["node", "drain"], Destructive),
    (&["node", "eligibility"], Write),
    (&["deployment", "promote"], Write),
    (&["deployment", "resume"], Write),
    (&["deployment", "pause"], Write),
    (&["deployment", "fail"], Write),
    (&["job", "stop"], Destructive),
    (&["alloc", "stop"], Destructive),
    (&["system", "gc"], Destructive),
    (&["node", "purge"], Destructive),
    (&["operator", "raft", "remove-peer"], Destructive),
];

const CONSUL: Opts = Opts {
    values: &["-http-addr", "-datacenter", "-format", "-service", "-reason", "-separator"],
    flags: &["-detailed", "-recurse", "-keys", "-stale", "-wan", "-enable", "-disable"],
};

const CONSUL_ROWS: &[Row] = &[
    (&["members"], Read),
    (&["info"], Read),
    (&["version"], Read),
    (&["catalog", "services"], Read),
    (&["catalog", "nodes"], Read),
    (&["catalog", "datacenters"], Read),
    (&["kv", "get"], Read),
    (&["kv", "export"], Read),
    (&["operator", "raft", "list-peers"], Read),
    (&["operator", "autopilot", "state"], Read),
    (&["intention", "list"], Read),
    (&["kv", "put"], Write),
    (&["maint"], Write),
    (&["reload"], Write),
    (&["services", "register"], Write),
    (&["kv", "delete"], Destructive),
    (&["services", "deregister"], Destructive),
    (&["leave"], Destructive),
    (&["force-leave"], Destructive),
    (&["operator", "raft", "remove-peer"], Destructive),
];

const GITLAB_CTL: Opts = Opts { values: &[], flags: &[] };

const GITLAB_CTL_ROWS: &[Row] = &[
    (&["status"], Read),
    (&["show-config"], Read),
    (&["check-config"], Read),
    (&["tail"], Read),
    (&["service-list"], Read),
    (&["start"], Write),
    (&["restart"], Write),
    (&["reconfigure"], Write),
    (&["hup"], Write),
    (&["term"], Write),
    (&["pg-upgrade"], Write),
    (&["stop"], Destructive),
    (&["kill"], Destructive),
    (&["cleanse"], Destructive),
    (&["uninstall"], Destructive),
];

const RABBITMQCTL: Opts = Opts {
    values: &["-n", "--node", "-p", "--vhost", "-t", "--timeout"],
    flags: &["-q", "--quiet", "-s", "--silent", "--formatter"],
};

const RABBITMQCTL_ROWS: &[Row] = &[
    (&["status"], Read),
    (&["cluster_status"], Read),
    (&["environment"], Read),
    (&["report"], Read),
    (&["ping"], Read),
    (&["node_health_check"], Read),
    (&["list_queues"], Read),
    (&["list_connections"], Read),
    (&["list_channels"], Read),
    (&["list_consumers"], Read),
    (&["list_exchanges"], Read),
    (&["list_bindings"], Read),
    (&["list_users"], Read),
    (&["list_vhosts"], Read),
    (&["list_policies"], Read),
    (&["list_permissions"], Read),
    (&["list_operator_policies"], Read),
    (&["start_app"], Write),
    (&["set_policy"], Write),
    (&["set_operator_policy"], Write),
    (&["set_permissions"], Write),
    (&["set_vm_memory_high_watermark"], Write),
    (&["set_disk_free_limit"], Write),
    (&["add_user"], Write),
    (&["add_vhost"], Write),
    (&["sync_queue"], Write),
    (&["rotate_logs"], Write),
    (&["stop_app"], Destructive),
    (&["stop"], Destructive),
    (&["reset"], Destructive),
    (&["force_reset"], Destructive),
    (&["delete_queue"], Destructive),
    (&["purge_queue"], Destructive),
    (&["delete_user"], Destructive),
    (&["delete_vhost"], Destructive),
    (&["clear_policy"], Destructive),
    (&["close_connection"], Destructive),
    (&["close_all_connections"], Destructive),
    (&["forget_cluster_node"], Destructive),
];

const CRICTL: Opts = Opts {
    values: &[
        "-r",
        "--runtime-endpoint",
        "-i",
        "--image-endpoint",
        "--timeout",
        "-o",
        "--output",
        "--name",
        "--pod",
        "--state",
        "--label",
        "--tail",
        "--since",
        "--namespace",
    ],
    flags: &[
        "-a",
        "--all",
        "-q",
        "--quiet",
        "-v",
        "--verbose",
        "--no-trunc",
        "--latest",
        "-l",
        "--prune",
        "-t",
        "--timestamps",
        "-p",
        "--previous",
    ],
};

const CRICTL_ROWS: &[Row] = &[
    (&["ps"], Read),
    (&["pods"], Read),
    (&["images"], Read),
    (&["img"], Read),
    (&["inspect"], Read),
    (&["inspectp"], Read),
    (&["inspecti"], Read),
    (&["logs"], Read),
    (&["stats"], Read),
    (&["statsp"], Read),
    (&["info"], Read),
    (&["version"], Read),
    (&["imagefsinfo"], Read),
    (&["pull"], Write),
    (&["start"], Write),
    (&["stop"], Destructive),
    (&["stopp"], Destructive),
    (&["rm"], Destructive),
    (&["rmp"], Destructive),
    (&["rmi"], Destructive),
];

const PATRONICTL: Opts = Opts {
    values: &["-c", "--config-file", "--leader", "--candidate", "--member", "--scheduled", "--role", "--format", "-f"],
    flags: &["--force", "-W", "-w", "--watch", "--pending", "--wait"],
};

const PATRONICTL_ROWS: &[Row] = &[
    (&["list"], Read),
    (&["topology"], Read),
    (&["history"], Read),
    (&["show-config"], Read),
    (&["dsn"], Read),
    (&["version"], Read),
    (&["switchover"], Write),
    (&["failover"], Write),
    (&["restart"], Write),
    (&["reload"], Write),
    (&["pause"], Write),
    (&["resume"], Write),
    (&["edit-config"], Write),
    (&["reinit"], Destructive),
    (&["remove"], Destructive),
];

/// The tools of this module: their capability prefix (the program's name), options, rows,
/// and what a hole in the subcommand is called.
fn table(base: &str) -> Option<(&'static str, &'static Opts, &'static [Row], &'static str)> {
    Some(match base {
        "ceph" => ("ceph", &CEPH, CEPH_ROWS, "the `ceph` command"),
        "vault" => ("vault", &VAULT, VAULT_ROWS, "the `vault` command"),
        "nomad" => ("nomad", &NOMAD, NOMAD_ROWS, "the `nomad` command"),
        "consul" => ("consul", &CONSUL, CONSUL_ROWS, "the `consul` command"),
        "gitlab-ctl" => ("gitlab-ctl", &GITLAB_CTL, GITLAB_CTL_ROWS, "the `gitlab-ctl` command"),
        "rabbitmqctl" => ("rabbitmqctl", &RABBITMQCTL, RABBITMQCTL_ROWS, "the `rabbitmqctl` command"),
        "crictl" => ("crictl", &CRICTL, CRICTL_ROWS, "the `crictl` command"),
        "patronictl" => ("patronictl", &PATRONICTL, PATRONICTL_ROWS, "the `patronictl` command"),
        _ => return None,
    })
}

/// The capability prefix of one of this module's tools.
pub(in crate::family) fn prefix(base: &str) -> Option<&'static str> {
    table(base).map(|t| t.0)
}

/// One of this module's tools, by its table; `None` for another program.
pub(in crate::family) fn classify<V: Value>(base: &str, args: &[V]) -> Option<Family> {
    let (prefix, opts, rows, what) = table(base)?;
    // `ceph -s` / `ceph --status` (`ceph -w` watches, never ends: left untyped).
    if prefix == "ceph" && !args.is_empty() && args.iter().all(|a| matches!(a.template().as_str(), "-s" | "--status")) {
        return Some(Family::Typed(Typed::new("ceph.status", Read)));
    }
    Some(match by_table(prefix, args, opts, rows, what) {
        // Scaling a job to zero takes it down, as `kubectl scale --replicas=0` does.
        Family::Typed(mut t)
            if t.capability == "nomad.job.scale" && args.last().is_some_and(|a| a.template() == "0") =>
        {
            t.effect = Destructive;
            Family::Typed(t)
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(f: Family) -> (String, Effect) {
        match f {
            Family::Typed(t) => (t.capability, t.effect),
            other => panic!("not typed: {other:?}"),
        }
    }

    fn tool(base: &str, args: &[String]) -> Family {
        classify(base, args).expect("one of the tools")
    }

    fn s(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn subcommands_name_the_capability_and_give_the_effect() {
        assert_eq!(typed(tool("ceph", &s("-s"))), ("ceph.status".into(), Read));
        assert_eq!(typed(tool("ceph", &s("osd tree"))), ("ceph.osd.tree".into(), Read));
        assert_eq!(typed(tool("ceph", &s("osd out osd.3"))), ("ceph.osd.out".into(), Write));
        assert_eq!(typed(tool("ceph", &s("osd pool delete p p"))).1, Destructive);
        assert_eq!(typed(tool("ceph", &s("health detail"))), ("ceph.health.detail".into(), Read));
        assert_eq!(
            typed(tool("vault", &s("operator raft list-peers"))),
            ("vault.operator.raft.list-peers".into(), Read)
        );
        assert_eq!(typed(tool("vault", &s("kv destroy -versions=1 secret/x"))).1, Destructive);
        assert_eq!(typed(tool("nomad", &s("job stop -purge web"))).1, Destructive);
        assert_eq!(typed(tool("nomad", &s("job scale web 3"))).1, Write);
        assert_eq!(typed(tool("nomad", &s("job scale web 0"))).1, Destructive, "to zero takes it down");
        assert_eq!(typed(tool("nomad", &s("node drain -enable -yes abc"))).1, Destructive);
        assert_eq!(typed(tool("ceph", &s("health mute OSD_DOWN 1w"))).1, Write);
        assert_eq!(
            typed(tool("rabbitmqctl", &s("list_queues name messages"))),
            ("rabbitmqctl.list-queues".into(), Read)
        );
        assert_eq!(typed(tool("rabbitmqctl", &s("purge_queue orders"))).1, Destructive);
        assert_eq!(typed(tool("gitlab-ctl", &s("restart puma"))), ("gitlab-ctl.restart".into(), Write));
        assert_eq!(typed(tool("crictl", &s("rmi --prune"))).1, Destructive);
        assert_eq!(typed(tool("patronictl", &s("-c /etc/patroni.yml switchover --force"))).1, Write);
        assert_eq!(typed(tool("consul", &s("operator raft list-peers"))).1, Read);
        assert_eq!(
            typed(tool("ceph", &["crash".to_string(), "info".to_string(), "{input.crash_id}".to_string()])).1,
            Read
        );
        assert_eq!(
            tool("ceph", &["{var.verb}".to_string(), "tree".to_string()]),
            Family::Hole("the `ceph` command"),
            "a hole where the subcommand belongs"
        );
    }

    #[test]
    fn unknown_subcommands_and_options_stay_untyped_exec() {
        assert_eq!(tool("ceph", &s("daemon osd.1 config show")), Family::Untyped(Exec));
        assert_eq!(tool("vault", &s("ssh -role x host")), Family::Untyped(Exec));
        assert_eq!(tool("rabbitmqctl", &s("eval 'os:cmd(\"id\")'")), Family::Untyped(Exec));
        assert_eq!(tool("crictl", &s("exec -it c sh")), Family::Untyped(Exec));
        assert_eq!(tool("nomad", &s("alloc exec -task web 1234 sh")), Family::Untyped(Exec));
        assert_eq!(tool("ceph", &s("--bogus osd tree")), Family::Untyped(Exec), "an unknown option first");
    }
}

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

pub(in crate::family) fn ceph<V: Value>(args: &[V]) -> Family {
    // `ceph -s` / `ceph --status`, `ceph -w` (watch, never ends: left untyped).
    if args.iter().all(|a| matches!(a.template().as_str(), "-s" | "--status")) && !args.is_empty() {
        return Family::Typed(Typed::new("ceph.status", Read));
    }
    by_table("ceph", args, &CEPH, CEPH_ROWS, "the `ceph` command")
}

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

pub(in crate::family) fn vault<V: Value>(args: &[V]) -> Family {
    by_table("vault", args, &VAULT, VAULT_ROWS, "the `vault` command")
}

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

pub(in crate::family) fn nomad<V: Value>(args: &[V]) -> Family {
    let f = by_table("nomad", args, &NOMAD, NOMAD_ROWS, "the `nomad` command");
    // Scaling to zero takes the job down, as `kubectl scale --replicas=0` does.
    match f {
        Family::Typed(mut t)
            if t.capability == "nomad.job.scale" && args.last().is_some_and(|a| a.template() == "0") =>
        {
            t.effect = Destructive;
            Family::Typed(t)
        }
        other => other,
    }
}

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

pub(in crate::family) fn consul<V: Value>(args: &[V]) -> Family {
    by_table("consul", args, &CONSUL, CONSUL_ROWS, "the `consul` command")
}

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

pub(in crate::family) fn gitlab_ctl<V: Value>(args: &[V]) -> Family {
    by_table("gitlab-ctl", args, &GITLAB_CTL, GITLAB_CTL_ROWS, "the `gitlab-ctl` command")
}

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

pub(in crate::family) fn rabbitmqctl<V: Value>(args: &[V]) -> Family {
    by_table("rabbitmqctl", args, &RABBITMQCTL, RABBITMQCTL_ROWS, "the `rabbitmqctl` command")
}

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

pub(in crate::family) fn crictl<V: Value>(args: &[V]) -> Family {
    by_table("crictl", args, &CRICTL, CRICTL_ROWS, "the `crictl` command")
}

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

pub(in crate::family) fn patronictl<V: Value>(args: &[V]) -> Family {
    by_table("patronictl", args, &PATRONICTL, PATRONICTL_ROWS, "the `patronictl` command")
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

    fn s(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn subcommands_name_the_capability_and_give_the_effect() {
        assert_eq!(typed(ceph(&s("-s"))), ("ceph.status".into(), Read));
        assert_eq!(typed(ceph(&s("osd tree"))), ("ceph.osd.tree".into(), Read));
        assert_eq!(typed(ceph(&s("osd out osd.3"))), ("ceph.osd.out".into(), Write));
        assert_eq!(typed(ceph(&s("osd pool delete p p"))).1, Destructive);
        assert_eq!(typed(ceph(&s("health detail"))), ("ceph.health.detail".into(), Read));
        assert_eq!(typed(vault(&s("operator raft list-peers"))), ("vault.operator.raft.list-peers".into(), Read));
        assert_eq!(typed(vault(&s("kv destroy -versions=1 secret/x"))).1, Destructive);
        assert_eq!(typed(nomad(&s("job stop -purge web"))).1, Destructive);
        assert_eq!(typed(nomad(&s("job scale web 3"))).1, Write);
        assert_eq!(typed(nomad(&s("job scale web 0"))).1, Destructive, "to zero takes it down");
        assert_eq!(typed(nomad(&s("node drain -enable -yes abc"))).1, Destructive);
        assert_eq!(typed(ceph(&s("health mute OSD_DOWN 1w"))).1, Write);
        assert_eq!(typed(rabbitmqctl(&s("list_queues name messages"))), ("rabbitmqctl.list-queues".into(), Read));
        assert_eq!(typed(rabbitmqctl(&s("purge_queue orders"))).1, Destructive);
        assert_eq!(typed(gitlab_ctl(&s("restart puma"))), ("gitlab-ctl.restart".into(), Write));
        assert_eq!(typed(crictl(&s("rmi --prune"))).1, Destructive);
        assert_eq!(typed(patronictl(&s("-c /etc/patroni.yml switchover --force"))).1, Write);
        assert_eq!(typed(consul(&s("operator raft list-peers"))).1, Read);
        assert_eq!(typed(ceph(&["crash".to_string(), "info".to_string(), "{input.crash_id}".to_string()])).1, Read);
        assert_eq!(
            ceph(&["{var.verb}".to_string(), "tree".to_string()]),
            Family::Hole("the `ceph` command"),
            "a hole where the subcommand belongs"
        );
    }

    #[test]
    fn unknown_subcommands_and_options_stay_untyped_exec() {
        assert_eq!(ceph(&s("daemon osd.1 config show")), Family::Untyped(Exec));
        assert_eq!(vault(&s("ssh -role x host")), Family::Untyped(Exec));
        assert_eq!(rabbitmqctl(&s("eval 'os:cmd(\"id\")'")), Family::Untyped(Exec));
        assert_eq!(crictl(&s("exec -it c sh")), Family::Untyped(Exec));
        assert_eq!(nomad(&s("alloc exec -task web 1234 sh")), Family::Untyped(Exec));
        assert_eq!(ceph(&s("--bogus osd tree")), Family::Untyped(Exec), "an unknown option first");
    }
}

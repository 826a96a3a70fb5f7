//! Database clients with a command: the statements classified. A statement holding a hole is
//! `destructive` (its text is only known at run time, where it is classified again); a script
//! file is `destructive` too (its contents are not read here).

use super::{Family, Opts, Scan, Typed, scan};
use crate::effect::Effect::{self, Destructive, Exec, Read, Write};
use crate::scope::has_hole;
use crate::value::Value;

/// `host`, `port`, `user` and `database` from a connection URI
/// (`postgresql://user:pass@host:5432/db`), as far as it gives them.
fn uri(text: &str) -> Vec<(&'static str, String)> {
    let Some((_, rest)) = text.split_once("://") else { return Vec::new() };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (user, hostport) = authority.rsplit_once('@').map_or((None, authority), |(u, h)| (Some(u), h));
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (h, Some(p)),
        _ => (hostport, None),
    };
    let mut out = Vec::new();
    if !host.is_empty() {
        out.push(("host", host.to_string()));
    }
    if let Some(p) = port.filter(|p| !p.is_empty()) {
        out.push(("port", p.to_string()));
    }
    if let Some(u) = user {
        // The password is never shown apart: it stays in argv only.
        out.push(("user", u.split(':').next().unwrap_or(u).to_string()));
    }
    let db = path.split('?').next().unwrap_or_default();
    if !db.is_empty() {
        out.push(("database", db.to_string()));
    }
    out
}

/// The connection keys: options first, a URI's parts where an option gave none.
fn connection(mut t: Typed, given: [(&str, Option<String>); 4], uri_text: Option<&str>) -> Typed {
    let from_uri = uri_text.map(uri).unwrap_or_default();
    for (key, v) in given {
        let v = v.or_else(|| from_uri.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
        t = t.with(key, v);
    }
    t
}

/// The effect of the statements given, each a word of argv; a hole makes one `destructive`.
fn statements(texts: &[String], each: fn(&str) -> Effect) -> Effect {
    texts.iter().map(|s| if has_hole(s) { Destructive } else { each(s) }).max().unwrap_or(Read)
}

// ---- SQL ----------------------------------------------------------------------------------

/// A token of SQL: a word (uppercased), a `(` or a `;`; strings, quoted names and comments are
/// skipped.
#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Open,
    End,
    /// Any other sign (`,`, `=`, `)`): it parts a name from a `(` after it.
    Other,
}

fn tokens(sql: &str) -> Vec<Tok> {
    let b: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            '\'' | '"' | '`' => {
                i += 1;
                while i < b.len() {
                    if b[i] == '\\' && c != '"' {
                        i += 1;
                    } else if b[i] == c {
                        if b.get(i + 1) == Some(&c) {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
                i += 1;
            }
            '-' if b.get(i + 1) == Some(&'-') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '#' => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '/' if b.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            // A dollar-quoted body (`$$…$$`, `$tag$…$tag$`).
            '$' => {
                let tag_end = b[i + 1..].iter().position(|c| *c == '$').map(|p| i + 1 + p);
                match tag_end {
                    Some(e) if b[i + 1..e].iter().all(|c| c.is_alphanumeric() || *c == '_') => {
                        let tag: String = b[i..=e].iter().collect();
                        let rest: String = b[e + 1..].iter().collect();
                        let skip = rest
                            .find(&tag)
                            .map_or(rest.chars().count(), |p| rest[..p].chars().count() + tag.chars().count());
                        i = e + 1 + skip;
                    }
                    _ => i += 1,
                }
            }
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ';' => {
                out.push(Tok::End);
                i += 1;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Word(b[start..i].iter().collect::<String>().to_ascii_uppercase()));
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                out.push(Tok::Other);
                i += 1;
            }
        }
    }
    out
}

/// Functions a read statement may call: they change nothing.
const PURE: &[&str] = &[
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "NOW",
    "COALESCE",
    "NULLIF",
    "GREATEST",
    "LEAST",
    "ROUND",
    "CEIL",
    "FLOOR",
    "ABS",
    "LOWER",
    "UPPER",
    "LENGTH",
    "CHAR_LENGTH",
    "CONCAT",
    "CONCAT_WS",
    "SUBSTRING",
    "SUBSTR",
    "REPLACE",
    "TRIM",
    "LEFT",
    "RIGHT",
    "SPLIT_PART",
    "FORMAT",
    "TO_CHAR",
    "TO_TIMESTAMP",
    "TO_DATE",
    "DATE_TRUNC",
    "DATE",
    "EXTRACT",
    "AGE",
    "STRING_AGG",
    "ARRAY_AGG",
    "JSON_AGG",
    "JSONB_AGG",
    "GROUP_CONCAT",
    "VERSION",
    "DATABASE",
    "USER",
    "CURRENT_USER",
    "CURRENT_DATABASE",
    "CURRENT_SCHEMA",
    "CURRENT_SETTING",
    "PG_SIZE_PRETTY",
    "PG_DATABASE_SIZE",
    "PG_RELATION_SIZE",
    "PG_TOTAL_RELATION_SIZE",
    "PG_TABLE_SIZE",
    "PG_INDEXES_SIZE",
    "PG_IS_IN_RECOVERY",
    "PG_CURRENT_WAL_LSN",
    "PG_LAST_WAL_RECEIVE_LSN",
    "PG_LAST_WAL_REPLAY_LSN",
    "PG_WAL_LSN_DIFF",
    "PG_LAST_XACT_REPLAY_TIMESTAMP",
    "PG_POSTMASTER_START_TIME",
    "PG_BACKEND_PID",
    "PG_BLOCKING_PIDS",
    "PG_GET_INDEXDEF",
    "PG_GET_VIEWDEF",
    "PG_GET_FUNCTIONDEF",
    "PG_GET_CONSTRAINTDEF",
    "PG_GET_USERBYID",
    "PG_TABLESPACE_SIZE",
    "PG_IS_WAL_REPLAY_PAUSED",
    "TXID_CURRENT_SNAPSHOT",
    "HAS_TABLE_PRIVILEGE",
    "HAS_DATABASE_PRIVILEGE",
    "HAS_SCHEMA_PRIVILEGE",
    "OBJ_DESCRIPTION",
    "COL_DESCRIPTION",
    "CAST",
    "CONVERT",
    "IFNULL",
    "IF",
    "ISNULL",
    "UNIX_TIMESTAMP",
    "FROM_UNIXTIME",
    "TIMESTAMPDIFF",
    "DATEDIFF",
    "INTERVAL",
    "ROW_NUMBER",
    "RANK",
    "DENSE_RANK",
    "LAG",
    "LEAD",
    "PERCENTILE_CONT",
    "PERCENTILE_DISC",
    "QUOTE_IDENT",
    "QUOTE_LITERAL",
    "REGEXP_REPLACE",
    "ARRAY_LENGTH",
    "UNNEST",
    "GENERATE_SERIES",
    "EXISTS",
    "ANY",
    "ALL",
    "SOME",
    "IN",
    "VALUES",
    "OVER",
    "FILTER",
    "AS",
    "FROM",
    "JOIN",
    "ON",
    "USING",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "SELECT",
    "TABLE",
    "DISTINCT",
    "BY",
    "WITHIN",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "IS",
    "NUMERIC",
    "DECIMAL",
    "VARCHAR",
    "CHAR",
    "TIMESTAMP",
    "TIME",
    "INTEGER",
    "INT",
    "BIGINT",
    "FLOAT",
    "SLEEP",
    "PG_SLEEP",
    "PG_STAT_GET_ACTIVITY",
    "JSON_BUILD_OBJECT",
    "JSONB_BUILD_OBJECT",
    "ROW",
    "ARRAY",
    "EXPLAIN",
    "ANALYZE",
    "PG_READ_FILE",
    "PG_LS_DIR",
    "PG_STAT_FILE",
    "SHOW",
    "STATUS",
    "DESCRIBE",
];

/// Functions that change the server, by effect.
fn function_effect(name: &str) -> Effect {
    match name {
        "PG_TERMINATE_BACKEND"
        | "PG_CANCEL_BACKEND"
        | "PG_DROP_REPLICATION_SLOT"
        | "PG_PROMOTE"
        | "LO_UNLINK"
        | "DBLINK_EXEC"
        | "DBLINK" => Destructive,
        n if PURE.contains(&n) || n.starts_with("PG_STAT_GET_") || n.starts_with("PG_GET_") => Read,
        // `pg_reload_conf`, `setval`, `lo_export`, a function of the database's own: it may write.
        _ => Write,
    }
}

/// One SQL statement's effect: by its first word, at least what any word or call in it does
/// (a `DELETE` in a `WITH`, `ALTER TABLE … DROP`, `SELECT pg_terminate_backend(…)`).
fn sql_statement(toks: &[Tok]) -> Effect {
    let words: Vec<&str> =
        toks.iter().filter_map(|t| if let Tok::Word(w) = t { Some(w.as_str()) } else { None }).collect();
    let Some(first) = words.first() else { return Read };
    let has = |w: &str| words.contains(&w);
    let lead = match *first {
        "SELECT" | "WITH" | "VALUES" | "TABLE" | "SHOW" | "DESCRIBE" | "DESC" | "HELP" | "USE" | "BEGIN" | "COMMIT"
        | "ROLLBACK" | "START" | "END" | "SAVEPOINT" | "RELEASE" | "LISTEN" | "UNLISTEN" | "FETCH" | "DECLARE"
        | "CLOSE" | "DISCARD" | "CHECK" | "CHECKSUM" => Read,
        "EXPLAIN" if !has("ANALYZE") => Read,
        // `EXPLAIN ANALYZE` runs the statement it explains.
        "EXPLAIN" => {
            return sql_statement(
                &toks[toks.iter().position(|t| *t == Tok::Word("ANALYZE".into())).map_or(1, |p| p + 1)..],
            );
        }
        "COPY" if has("PROGRAM") => return Exec,
        "COPY" if has("STDOUT") => Read,
        "SYSTEM" => return Exec,
        "INSTALL" => return Exec,
        "INSERT" | "UPDATE" | "SET" | "RESET" | "ALTER" | "CREATE" | "GRANT" | "REVOKE" | "COMMENT" | "VACUUM"
        | "ANALYZE" | "REINDEX" | "CLUSTER" | "REFRESH" | "COPY" | "LOCK" | "NOTIFY" | "FLUSH" | "OPTIMIZE"
        | "REPAIR" | "LOAD" | "RENAME" | "CHECKPOINT" | "MERGE" | "REPLACE" | "SECURITY" | "IMPORT" | "PREPARE" => {
            Write
        }
        "DELETE" | "DROP" | "TRUNCATE" | "KILL" | "SHUTDOWN" | "PURGE" => Destructive,
        // `DO`, `CALL`, `EXECUTE` and anything else: code or statements not seen here.
        _ => Destructive,
    };
    let inside = words
        .iter()
        .map(|w| match *w {
            "DELETE" | "DROP" | "TRUNCATE" | "KILL" | "SHUTDOWN" => Destructive,
            "INSERT" | "UPDATE" | "MERGE" | "ALTER" | "CREATE" | "GRANT" | "REVOKE" | "INTO" | "OUTFILE"
            | "DUMPFILE" => Write,
            _ => Read,
        })
        .max()
        .unwrap_or(Read);
    // `INTO` is a write only outside `INSERT INTO` (where the statement already writes).
    let calls = toks
        .windows(2)
        .filter_map(|p| match p {
            [Tok::Word(w), Tok::Open] => Some(function_effect(w)),
            _ => None,
        })
        .max()
        .unwrap_or(Read);
    lead.max(inside).max(calls)
}

/// `psql`'s backslash commands.
fn psql_meta(m: &str) -> Effect {
    let mut parts = m.split_whitespace();
    let cmd = parts.next().unwrap_or_default();
    let arg = parts.next().unwrap_or_default();
    match cmd {
        "\\!" | "\\e" | "\\edit" | "\\ef" | "\\ev" | "\\setenv" => Exec,
        "\\o" | "\\out" | "\\g" | "\\w" | "\\write" if arg.starts_with('|') => Exec,
        "\\o" | "\\out" | "\\w" | "\\write" | "\\copy" | "\\lo_import" | "\\lo_export" => Write,
        "\\g" if arg.is_empty() => Read,
        "\\g" => Write,
        "\\gexec" | "\\i" | "\\ir" | "\\include" | "\\include_relative" | "\\lo_unlink" | "\\c" | "\\connect" => {
            Destructive
        }
        c if c.starts_with("\\d")
            || c.starts_with("\\l")
            || matches!(
                c,
                "\\conninfo"
                    | "\\x"
                    | "\\timing"
                    | "\\pset"
                    | "\\echo"
                    | "\\qecho"
                    | "\\set"
                    | "\\unset"
                    | "\\encoding"
                    | "\\z"
                    | "\\sf"
                    | "\\sv"
                    | "\\h"
                    | "\\help"
                    | "\\?"
                    | "\\a"
                    | "\\t"
                    | "\\H"
                    | "\\f"
                    | "\\C"
                    | "\\q"
                    | "\\errverbose"
                    | "\\gx"
                    | "\\gset"
                    | "\\warn"
            ) =>
        {
            Read
        }
        _ => Destructive,
    }
}

/// A `psql -c` text: one backslash command, or SQL statements.
fn psql_command(text: &str) -> Effect {
    let t = text.trim_start();
    if t.starts_with('\\') {
        return t
            .split("\\\\")
            .map(|m| if m.trim().is_empty() { Read } else { psql_meta(m.trim()) })
            .max()
            .unwrap_or(Read);
    }
    sql(text)
}

/// SQL text: its statements' effects, the most of them.
pub fn sql(text: &str) -> Effect {
    tokens(text).split(|t| *t == Tok::End).map(sql_statement).max().unwrap_or(Read)
}

/// A `mysql -e` text: SQL, or the client's own `system`/`\!` (a shell) and `source`.
fn mysql_command(text: &str) -> Effect {
    text.split(';')
        .map(|s| {
            let s = s.trim();
            let low = s.to_ascii_lowercase();
            if s.starts_with("\\!") || low.starts_with("system ") {
                Exec
            } else if low.starts_with("source ") || s.starts_with('\\') {
                // `source FILE`, `\. FILE` and the client's other commands.
                Destructive
            } else {
                sql(s)
            }
        })
        .max()
        .unwrap_or(Read)
}

const PSQL: Opts = Opts {
    values: &[
        "-c",
        "--command",
        "-f",
        "--file",
        "-h",
        "--host",
        "-p",
        "--port",
        "-U",
        "--username",
        "-d",
        "--dbname",
        "-v",
        "--set",
        "--variable",
        "-P",
        "--pset",
        "-o",
        "--output",
        "-L",
        "--log-file",
        "-F",
        "--field-separator",
        "-R",
        "--record-separator",
        "-T",
        "--table-attr",
    ],
    flags: &[
        "-X",
        "--no-psqlrc",
        "-A",
        "--no-align",
        "-t",
        "--tuples-only",
        "-q",
        "--quiet",
        "-x",
        "--expanded",
        "-e",
        "--echo-queries",
        "-E",
        "--echo-hidden",
        "-a",
        "--echo-all",
        "-b",
        "--echo-errors",
        "-n",
        "--no-readline",
        "-S",
        "--single-line",
        "-w",
        "--no-password",
        "--csv",
        "-1",
        "--single-transaction",
        "-H",
        "--html",
        "-l",
        "--list",
        "-z",
        "-0",
        "-s",
        "--single-step",
        "-W",
        "--password",
    ],
};

pub(super) fn psql<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &PSQL);
    let commands = s.texts(&["-c", "--command"]);
    let files = s.texts(&["-f", "--file"]);
    let mut effect = statements(&commands, psql_command);
    if !files.is_empty() {
        effect = effect.max(Destructive);
    }
    if commands.is_empty() && files.is_empty() && !s.has(&["-l", "--list"]) {
        return Family::Untyped(Destructive);
    }
    if s.has(&["-o", "--output", "-L", "--log-file"]) {
        effect = effect.max(Write);
    }
    // A conninfo as the database (`psql postgresql://…` or `-d "host=… dbname=…"`).
    let db = s.texts(&["-d", "--dbname"]).pop().or_else(|| s.pos.first().filter(|p| p.clean).map(|p| p.text.clone()));
    let t = connection(
        Typed::new("db.postgres.query", effect),
        [
            ("host", s.value(&["-h", "--host"])),
            ("port", s.value(&["-p", "--port"])),
            ("user", s.value(&["-U", "--username"]).or_else(|| s.operand(1))),
            (
                "database",
                s.value(&["-d", "--dbname"])
                    .filter(|d| !d.contains("://"))
                    .or_else(|| s.operand(0).filter(|d| !d.contains("://"))),
            ),
        ],
        db.as_deref(),
    );
    let t = if s.has(&["-l", "--list"]) && commands.is_empty() { t.with("command", Some("\\l".into())) } else { t };
    Family::Typed(with_command(t, &s, &["-c", "--command"], &["-f", "--file"]))
}

fn with_command<V: Value>(t: Typed, s: &Scan<'_, V>, command: &[&str], file: &[&str]) -> Typed {
    t.with("command", s.values(command)).with("file", s.values(file))
}

const MYSQL: Opts = Opts {
    values: &[
        "-e",
        "--execute",
        "-h",
        "--host",
        "-P",
        "--port",
        "-u",
        "--user",
        "-D",
        "--database",
        "-S",
        "--socket",
        "--defaults-file",
        "--defaults-extra-file",
        "--ssl-mode",
        "--protocol",
        "--init-command",
        "--default-character-set",
        "--login-path",
        "--connect-timeout",
    ],
    flags: &[
        "-B",
        "--batch",
        "-N",
        "--skip-column-names",
        "-s",
        "--silent",
        "-t",
        "--table",
        "-v",
        "--verbose",
        "-E",
        "--vertical",
        "-A",
        "--no-auto-rehash",
        "-r",
        "--raw",
        "-f",
        "--force",
        "-n",
        "--unbuffered",
        "--ssl",
        "--skip-ssl",
        "-X",
        "--xml",
        "-H",
        "--html",
        "-q",
        "--quick",
        "--no-defaults",
    ],
};

pub(super) fn mysql<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &MYSQL);
    let commands = s.texts(&["-e", "--execute"]);
    if commands.is_empty() {
        return Family::Untyped(Destructive);
    }
    let mut effect = statements(&commands, mysql_command);
    // `--init-command` runs SQL on connecting too.
    effect = effect.max(statements(&s.texts(&["--init-command"]), mysql_command));
    let t = Typed::new("db.mysql.query", effect)
        .with("host", s.value(&["-h", "--host"]))
        .with("port", s.value(&["-P", "--port"]))
        .with("user", s.value(&["-u", "--user"]))
        .with("database", s.value(&["-D", "--database"]).or_else(|| s.operand(0)));
    Family::Typed(with_command(t, &s, &["-e", "--execute"], &[]))
}

// ---- redis --------------------------------------------------------------------------------

const REDIS: Opts = Opts {
    values: &[
        "-h",
        "-p",
        "-s",
        "-a",
        "--user",
        "--pass",
        "--askpass",
        "-u",
        "-n",
        "-r",
        "-i",
        "-d",
        "-D",
        "--eval",
        "--pattern",
        "--count",
        "--cacert",
        "--cacertdir",
        "--cert",
        "--key",
        "--sni",
        "-t",
        "--rdb",
        "--functions-rdb",
        "--memkeys-samples",
        "--quoted-pattern",
    ],
    flags: &[
        "-c",
        "--tls",
        "--raw",
        "--no-raw",
        "--no-auth-warning",
        "-e",
        "-x",
        "--scan",
        "--bigkeys",
        "--memkeys",
        "--hotkeys",
        "--csv",
        "--json",
        "--quoted-json",
        "-3",
        "-2",
        "--verbose",
        "--insecure",
        "--pipe",
        "--stat",
        "--latency",
        "--latency-history",
        "--latency-dist",
        "--replica",
        "--intrinsic-latency",
        "--lru-test",
    ],
};

/// One redis command (its words): by the command and, for containers of subcommands, the
/// subcommand.
pub fn redis_command(words: &[String]) -> Effect {
    let Some(cmd) = words.first().map(|w| w.to_ascii_uppercase()) else { return Read };
    if has_hole(&cmd) {
        return Destructive;
    }
    let sub = words.get(1).map(|w| w.to_ascii_uppercase()).unwrap_or_default();
    let sub = sub.as_str();
    match cmd.as_str() {
        "GET" | "MGET" | "KEYS" | "SCAN" | "SSCAN" | "HSCAN" | "ZSCAN" | "TTL" | "PTTL" | "TYPE" | "EXISTS"
        | "STRLEN" | "HGET" | "HGETALL" | "HKEYS" | "HVALS" | "HLEN" | "HMGET" | "HEXISTS" | "LRANGE" | "LLEN"
        | "LINDEX" | "SMEMBERS" | "SCARD" | "SISMEMBER" | "ZRANGE" | "ZREVRANGE" | "ZCARD" | "ZSCORE" | "ZRANK"
        | "ZCOUNT" | "ZRANGEBYSCORE" | "INFO" | "PING" | "DBSIZE" | "ROLE" | "TIME" | "LASTSAVE" | "OBJECT"
        | "XLEN" | "XRANGE" | "XREVRANGE" | "XINFO" | "XPENDING" | "PUBSUB" | "COMMAND" | "ECHO" | "DUMP"
        | "GETRANGE" | "BITCOUNT" | "PFCOUNT" | "RANDOMKEY" | "SRANDMEMBER" | "LPOS" | "HRANDFIELD" | "ZRANDMEMBER"
        | "GEOPOS" | "GEODIST" | "GEOSEARCH" | "READONLY" | "WAIT" | "HELLO" | "AUTH" | "SELECT" | "LOLWUT" => Read,
        "CONFIG" => match sub {
            "GET" => Read,
            "SET"
                if words.iter().skip(2).step_by(2).any(|p| {
                    matches!(p.to_ascii_lowercase().as_str(), "dir" | "dbfilename" | "logfile" | "appendfilename")
                }) =>
            {
                Destructive
            }
            _ => Write,
        },
        "CLIENT" => match sub {
            "LIST" | "INFO" | "GETNAME" | "ID" | "TRACKINGINFO" | "GETREDIR" => Read,
            "KILL" => Destructive,
            _ => Write,
        },
        "CLUSTER" => match sub {
            "INFO" | "NODES" | "SLOTS" | "SHARDS" | "MYID" | "KEYSLOT" | "COUNTKEYSINSLOT" | "GETKEYSINSLOT"
            | "REPLICAS" | "LINKS" => Read,
            "RESET" | "FORGET" | "FAILOVER" | "FLUSHSLOTS" | "DELSLOTS" | "DELSLOTSRANGE" => Destructive,
            _ => Write,
        },
        "SLOWLOG" | "LATENCY" | "MEMORY" | "ACL" | "SCRIPT" | "FUNCTION" | "MODULE" | "XGROUP" => match sub {
            "GET" | "LEN" | "LATEST" | "HISTORY" | "DOCTOR" | "GRAPH" | "HISTOGRAM" | "USAGE" | "STATS"
            | "MALLOC-STATS" | "LIST" | "USERS" | "WHOAMI" | "GETUSER" | "CAT" | "LOG" | "EXISTS" | "DUMP" | "HELP" => {
                Read
            }
            "LOAD" | "LOADEX" if cmd == "MODULE" => Exec,
            "DELUSER" | "FLUSH" | "DELETE" | "KILL" | "UNLOAD" | "DESTROY" | "DELCONSUMER" => Destructive,
            _ => Write,
        },
        "SET" | "SETEX" | "SETNX" | "PSETEX" | "MSET" | "MSETNX" | "INCR" | "INCRBY" | "INCRBYFLOAT" | "DECR"
        | "DECRBY" | "APPEND" | "EXPIRE" | "PEXPIRE" | "EXPIREAT" | "PEXPIREAT" | "PERSIST" | "HSET" | "HMSET"
        | "HINCRBY" | "HSETNX" | "LPUSH" | "RPUSH" | "LPUSHX" | "RPUSHX" | "LSET" | "LINSERT" | "SADD" | "ZADD"
        | "ZINCRBY" | "XADD" | "XACK" | "XCLAIM" | "XAUTOCLAIM" | "BGSAVE" | "SAVE" | "BGREWRITEAOF" | "PUBLISH"
        | "COPY" | "RESTORE" | "SETRANGE" | "SETBIT" | "PFADD" | "PFMERGE" | "GEOADD" | "SINTERSTORE"
        | "SUNIONSTORE" | "SDIFFSTORE" | "ZUNIONSTORE" | "ZINTERSTORE" | "TOUCH" | "MULTI" | "EXEC" | "DISCARD"
        | "WATCH" | "UNWATCH" => Write,
        // Removes data, or the server, or its role; scripts may do any of it.
        _ => Destructive,
    }
}

pub(super) fn redis<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &REDIS);
    let words: Vec<String> = s.pos.iter().map(|p| p.text.clone()).collect();
    let mut effect = if words.is_empty() {
        if s.has(&["--scan", "--bigkeys", "--memkeys", "--hotkeys"]) {
            Read
        } else if s.has(&["--eval", "--pipe"]) {
            Destructive
        } else if s.has(&["--rdb", "--functions-rdb"]) {
            Write
        } else {
            return Family::Untyped(Destructive);
        }
    } else if s.unknown || s.has(&["--eval", "--pipe"]) {
        Destructive
    } else {
        redis_command(&words)
    };
    if s.has(&["-r"]) && effect == Read && !words.is_empty() {
        effect = Read;
    }
    let uri_text = s.texts(&["-u"]).pop();
    let t = connection(
        Typed::new("db.redis.command", effect),
        [
            ("host", s.value(&["-h"])),
            ("port", s.value(&["-p"])),
            ("user", s.value(&["--user"])),
            ("database", s.value(&["-n"])),
        ],
        uri_text.as_deref(),
    );
    let t =
        t.with("socket", s.value(&["-s"])).with("command", s.operands(0)).with("file", s.value(&["--eval", "--rdb"]));
    Family::Typed(t)
}

// ---- mongo --------------------------------------------------------------------------------

const MONGO: Opts = Opts {
    values: &[
        "--eval",
        "--host",
        "--port",
        "-u",
        "--username",
        "-p",
        "--password",
        "--authenticationDatabase",
        "--authenticationMechanism",
        "--json",
        "-f",
        "--file",
        "--tlsCAFile",
        "--tlsCertificateKeyFile",
    ],
    flags: &["--quiet", "--norc", "--nodb", "--tls", "--ssl", "--verbose", "--shell"],
};

/// mongosh methods that read, by name.
const MONGO_READ: &[&str] = &[
    "find",
    "findOne",
    "count",
    "countDocuments",
    "estimatedDocumentCount",
    "distinct",
    "stats",
    "getIndexes",
    "getCollectionNames",
    "getCollectionInfos",
    "getName",
    "serverStatus",
    "version",
    "hostInfo",
    "isMaster",
    "hello",
    "currentOp",
    "status",
    "conf",
    "config",
    "printReplicationInfo",
    "printSecondaryReplicationInfo",
    "printSlaveReplicationInfo",
    "getReplicationInfo",
    "isBalancerRunning",
    "getBalancerState",
    "getSiblingDB",
    "getCollection",
    "limit",
    "sort",
    "skip",
    "pretty",
    "toArray",
    "explain",
    "itcount",
    "size",
    "projection",
    "hint",
    "batchSize",
    "getMongo",
    "getUsers",
    "getUser",
    "getRoles",
    "listCommands",
    "dataSize",
    "storageSize",
    "totalIndexSize",
    "totalSize",
    "getProfilingStatus",
    "printShardingStatus",
    "serverBuildInfo",
    "getDBs",
    "getDBNames",
    "getLogComponents",
    "printCollectionStats",
    "latencyStats",
    "isCapped",
    "next",
    "hasNext",
    "forEach",
    "map",
];

const MONGO_WRITE: &[&str] = &[
    "insertOne",
    "insertMany",
    "insert",
    "updateOne",
    "updateMany",
    "update",
    "replaceOne",
    "createIndex",
    "createIndexes",
    "ensureIndex",
    "createCollection",
    "createView",
    "createUser",
    "grantRolesToUser",
    "revokeRolesFromUser",
    "setProfilingLevel",
    "renameCollection",
    "add",
    "addArb",
    "reconfig",
    "stepDown",
    "freeze",
    "enableSharding",
    "shardCollection",
    "startBalancer",
    "stopBalancer",
    "findOneAndUpdate",
    "findOneAndReplace",
    "fsyncLock",
    "fsyncUnlock",
    "compact",
    "setLogLevel",
    "initiate",
    "updateUser",
    "changeUserPassword",
];

const MONGO_DESTRUCTIVE: &[&str] = &[
    "deleteOne",
    "deleteMany",
    "remove",
    "drop",
    "dropDatabase",
    "dropIndex",
    "dropIndexes",
    "findOneAndDelete",
    "dropUser",
    "dropAllUsers",
    "shutdownServer",
    "killOp",
    "bulkWrite",
    "removeShard",
];

/// Commands of `runCommand`/`adminCommand` that read.
const MONGO_READ_COMMANDS: &[&str] = &[
    "ping",
    "serverStatus",
    "listDatabases",
    "dbStats",
    "collStats",
    "replSetGetStatus",
    "isMaster",
    "hello",
    "buildInfo",
    "getLog",
    "currentOp",
    "listCollections",
    "top",
    "hostInfo",
    "getCmdLineOpts",
    "connectionStatus",
    "getParameter",
    "listIndexes",
    "replSetGetConfig",
    "dataSize",
    "connPoolStats",
    "whatsmyuri",
    "features",
];

/// One mongosh expression: `db|rs|sh` then `.name` or `.method(ARGS)` with no call in ARGS
/// (so no JavaScript runs but the shell's own methods), optionally in `printjson(…)`.
fn mongo_expression(e: &str) -> Effect {
    let e = e.trim();
    for wrap in ["printjson(", "print(", "console.log(", "JSON.stringify(", "EJSON.stringify("] {
        if let Some(inner) = e.strip_prefix(wrap).and_then(|r| r.strip_suffix(')')) {
            return mongo_expression(inner);
        }
    }
    let Some(mut rest) = ["db", "rs", "sh"].iter().find_map(|r| e.strip_prefix(r)) else { return Exec };
    let mut effect = Read;
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('.') else { return Exec };
        let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(r.len());
        let name = &r[..end];
        if name.is_empty() {
            return Exec;
        }
        rest = &r[end..];
        let Some(a) = rest.strip_prefix('(') else { continue };
        let Some(close) = a.find(')') else { return Exec };
        let args = &a[..close];
        if args.contains('(') || args.contains('`') || args.contains("=>") || args.contains("function") {
            return Exec;
        }
        rest = &a[close + 1..];
        effect = effect.max(match name {
            "runCommand" | "adminCommand" => {
                let first = args.trim_start_matches(['{', ' ', '"', '\'']);
                let cmd: String = first.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if MONGO_READ_COMMANDS.contains(&cmd.as_str())
                    || args.trim_matches(['"', '\'']) == cmd && MONGO_READ_COMMANDS.contains(&cmd.as_str())
                {
                    Read
                } else {
                    Destructive
                }
            }
            "aggregate" if args.contains("$out") || args.contains("$merge") => Write,
            n if MONGO_READ.contains(&n) => Read,
            n if MONGO_WRITE.contains(&n) => Write,
            n if MONGO_DESTRUCTIVE.contains(&n) => Destructive,
            _ => return Exec,
        });
    }
    effect
}

/// A `--eval` text: statements separated by `;` or new lines.
fn mongo_eval(text: &str) -> Effect {
    text.split([';', '\n']).filter(|s| !s.trim().is_empty()).map(mongo_expression).max().unwrap_or(Read)
}

pub(super) fn mongo<V: Value>(args: &[V]) -> Family {
    let s = scan(args, &MONGO);
    let evals = s.texts(&["--eval"]);
    // A script (`-f x.js`, `mongosh x.js`) is JavaScript, which may run anything.
    let js = |t: &str| std::path::Path::new(t).extension().is_some_and(|e| e.eq_ignore_ascii_case("js"));
    let script = s.has(&["-f", "--file"]) || s.pos.iter().any(|p| js(&p.text));
    if evals.is_empty() && !script {
        return Family::Untyped(Destructive);
    }
    let effect = if script || s.unknown { Exec } else { statements(&evals, mongo_eval) };
    let target = s.pos.first().filter(|p| p.clean && !js(&p.text)).map(|p| p.text.clone());
    let t = connection(
        Typed::new("db.mongo.eval", effect),
        [
            ("host", s.value(&["--host"])),
            ("port", s.value(&["--port"])),
            ("user", s.value(&["-u", "--username"])),
            ("database", target.as_ref().filter(|d| !d.contains("://")).and(s.operand(0))),
        ],
        target.as_deref(),
    );
    Family::Typed(with_command(t, &s, &["--eval"], &["-f", "--file"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_statements_are_judged_on_every_word_and_call() {
        assert_eq!(sql("SELECT count(*) FROM pg_stat_activity"), Read);
        assert_eq!(sql("select pg_size_pretty(pg_database_size('app'))"), Read);
        assert_eq!(sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"), Destructive);
        assert_eq!(sql("SELECT my_cleanup()"), Write);
        assert_eq!(sql("SELECT 'DROP TABLE x'"), Read, "a string is not a statement");
        assert_eq!(sql("UPDATE t SET a = 1"), Write);
        assert_eq!(sql("SELECT 1; DROP TABLE x"), Destructive);
        assert_eq!(sql("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"), Destructive);
        assert_eq!(sql("ALTER TABLE t DROP COLUMN c"), Destructive);
        assert_eq!(sql("EXPLAIN SELECT 1"), Read);
        assert_eq!(sql("EXPLAIN ANALYZE DELETE FROM t"), Destructive);
        assert_eq!(sql("COPY t TO PROGRAM 'sh'"), Exec);
        assert_eq!(sql("VACUUM ANALYZE"), Write);
        assert_eq!(sql("DO $$ BEGIN PERFORM 1; END $$"), Destructive);
        assert_eq!(sql("SELECT * INTO backup FROM t"), Write);
        assert_eq!(psql_command("\\dt+"), Read);
        assert_eq!(psql_command("\\! rm -rf /"), Exec);
        assert_eq!(mysql_command("SHOW PROCESSLIST"), Read);
        assert_eq!(mysql_command("system id"), Exec);
    }

    #[test]
    fn redis_and_mongo_commands_are_judged() {
        let r = |s: &str| redis_command(&s.split(' ').map(str::to_string).collect::<Vec<_>>());
        assert_eq!(r("GET k"), Read);
        assert_eq!(r("config get maxmemory"), Read);
        assert_eq!(r("CONFIG SET maxmemory 1gb"), Write);
        assert_eq!(r("CONFIG SET dir /etc"), Destructive);
        assert_eq!(r("FLUSHALL"), Destructive);
        assert_eq!(r("MODULE LOAD /tmp/x.so"), Exec);
        assert_eq!(mongo_eval("db.users.find({a: 1}).limit(5)"), Read);
        assert_eq!(mongo_eval("printjson(rs.status())"), Read);
        assert_eq!(mongo_eval("db.adminCommand({ping: 1})"), Read);
        assert_eq!(mongo_eval("db.users.deleteMany({})"), Destructive);
        assert_eq!(mongo_eval("db.users.find(require('child_process').execSync('id'))"), Exec);
        assert_eq!(mongo_eval("const x = 1"), Exec);
    }

    #[test]
    fn uris_give_their_parts() {
        let u = uri("postgresql://app:secret@db.internal:5433/orders?sslmode=require");
        assert!(u.contains(&("host", "db.internal".into())) && u.contains(&("port", "5433".into())));
        assert!(u.contains(&("user", "app".into())) && u.contains(&("database", "orders".into())));
        assert!(!u.iter().any(|(_, v)| v.contains("secret")));
    }
}

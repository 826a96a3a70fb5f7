//! Network checks: a name looked up, a host pinged, a port probed, a TLS handshake. All read;
//! the scope names the host asked about.

use super::{Family, Opts, Typed, scan};
use crate::effect::Effect::{Exec, Read};
use crate::value::Value;

/// Record types and classes `dig` takes as words.
fn dns_word(w: &str) -> bool {
    matches!(
        w.to_ascii_uppercase().as_str(),
        "A" | "AAAA"
            | "MX"
            | "NS"
            | "TXT"
            | "SOA"
            | "CNAME"
            | "ANY"
            | "SRV"
            | "PTR"
            | "CAA"
            | "DS"
            | "DNSKEY"
            | "HTTPS"
            | "SVCB"
            | "NAPTR"
            | "TLSA"
            | "IN"
            | "CH"
            | "AXFR"
            | "IXFR"
    )
}

pub(in crate::family) fn dns<V: Value>(base: &str, args: &[V]) -> Family {
    let o = match base {
        "dig" => Opts {
            values: &["-b", "-c", "-k", "-p", "-q", "-t", "-x", "-y"],
            flags: &["-4", "-6", "-m", "-r", "-u", "-v", "-h"],
        },
        "host" => Opts {
            values: &["-c", "-N", "-R", "-t", "-W", "-m"],
            flags: &["-a", "-C", "-d", "-l", "-i", "-r", "-s", "-T", "-U", "-v", "-V", "-w", "-4", "-6"],
        },
        _ => Opts { values: &[], flags: &[] },
    };
    let s = scan(args, &o);
    // `dig -f FILE` reads the names from a file; `nslookup` without a name is a prompt.
    if s.unknown && base != "nslookup" {
        return Family::Untyped(Read);
    }
    let names: Vec<_> = s
        .pos
        .iter()
        .filter(|p| !(p.text.starts_with('@') || p.text.starts_with('+') || base == "dig" && dns_word(&p.text)))
        .collect();
    let server = s.pos.iter().find(|p| p.text.starts_with('@')).map(|p| s.args[p.at].quoted()[1..].to_string());
    let (name, server) = match base {
        "dig" => (names.first().map(|p| s.args[p.at].quoted()).or_else(|| s.value(&["-x", "-q"])), server),
        _ => (names.first().map(|p| s.args[p.at].quoted()), names.get(1).map(|p| s.args[p.at].quoted()).or(server)),
    };
    let Some(name) = name else { return Family::Untyped(Read) };
    Family::Typed(Typed::new("net.dns.query", Read).with("host", Some(name)).with("server", server))
}

pub(in crate::family) fn ping<V: Value>(args: &[V]) -> Family {
    let s = scan(
        args,
        &Opts {
            values: &["-c", "-i", "-w", "-W", "-s", "-t", "-I", "-M", "-Q", "-l", "-p", "-m", "-T"],
            flags: &["-4", "-6", "-q", "-n", "-D", "-O", "-v", "-a", "-A", "-R", "-U", "-B", "-d", "-r"],
        },
    );
    // `-f` floods, `-b` pings a broadcast address; and without `-c` it never stops (manual).
    if s.unknown || !s.has(&["-c"]) || s.pos.len() != 1 {
        return Family::Untyped(Read);
    }
    Family::Typed(Typed::new("net.icmp.ping", Read).with("host", s.operand(0)).with("count", s.value(&["-c"])))
}

pub(in crate::family) fn nc<V: Value>(args: &[V]) -> Family {
    let s = scan(
        args,
        &Opts {
            values: &["-w", "-s", "-i", "-X", "-x", "-q", "-W"],
            flags: &["-z", "-v", "-n", "-u", "-4", "-6", "-N", "-vv"],
        },
    );
    // Only a port scan (`-z`) sends nothing; `nc host port` sends its input, `-l` listens.
    if !s.has(&["-z"]) || s.unknown || s.pos.is_empty() {
        return Family::Untyped(Read);
    }
    Family::Typed(Typed::new("net.tcp.probe", Read).with("host", s.operand(0)).with("port", s.operands(1)))
}

pub(in crate::family) fn openssl<V: Value>(args: &[V]) -> Family {
    if args.first().map(Value::template).as_deref() != Some("s_client") {
        // `openssl x509 -in …`, `genrsa`, `enc`: files and keys, not typed here.
        return Family::Untyped(Exec);
    }
    let s = scan(
        &args[1..],
        &Opts {
            values: &[
                "-connect",
                "-servername",
                "-CAfile",
                "-CApath",
                "-cert",
                "-key",
                "-starttls",
                "-verify",
                "-proxy",
                "-alpn",
                "-name",
                "-sess_out",
                "-sess_in",
                "-keylogfile",
                "-msgfile",
            ],
            flags: &[
                "-showcerts",
                "-brief",
                "-verify_return_error",
                "-tls1_2",
                "-tls1_3",
                "-quiet",
                "-no_ign_eof",
                "-ign_eof",
                "-status",
                "-debug",
                "-msg",
                "-state",
                "-prexit",
                "-crlf",
                "-4",
                "-6",
                "-nocommands",
                "-no_ticket",
                "-reconnect",
            ],
        },
    );
    // Files it would write (`-sess_out`, `-keylogfile`, `-msgfile`) are not typed here.
    if s.unknown || s.has(&["-sess_out", "-keylogfile", "-msgfile"]) {
        return Family::Untyped(Exec);
    }
    let Some(connect) = s.texts(&["-connect"]).pop() else { return Family::Untyped(Exec) };
    let (host, port) = match connect.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), Some(p.to_string())),
        None => (connect, None),
    };
    let t = Typed::new("net.tls.connect", Read)
        .with("host", Some(host))
        .with("port", port)
        .with("servername", s.value(&["-servername"]));
    Family::Typed(t)
}

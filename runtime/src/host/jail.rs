//! The kernel as the second wall: every process the runtime starts runs in a jail cut from its
//! grant, set up between fork and exec. The classification decides what is asked and shown; the
//! jail makes sure a wrong classification cannot do more than the effect it was given.
//!
//! * `no_new_privs`, and every capability dropped (bounding, ambient, effective, permitted,
//!   inheritable), unless the call is privileged and the operator allowed privileged calls;
//! * Landlock: files readable, writable and executable only as the jail's kind says — a `read`
//!   program reads the granted root and the system paths a program needs to start
//!   ([`SYSTEM_READ`], [`ETC_READ`]) and executes only itself; a `write` program may also write
//!   the granted root; an `exec` program what the operator's policy grants (default: write the
//!   granted root, read and execute the system's programs); TCP only to the ports the jail names;
//!   signals only inside the jail for `read` programs;
//! * seccomp: `mount`, `ptrace`, `kexec`, `bpf`, `keyctl`, module loading, `reboot`, namespaces,
//!   clock and host-name changes and the like fail with `EPERM`; without network, sockets other
//!   than Unix and netlink ones too.
//!
//! The ruleset and the filter are built in the parent; the child only makes the system calls
//! that install them (no allocation after fork).

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, NetPort, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreated, RulesetCreatedAttr, Scope,
};
use playbook_capability::Effect;
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
};

/// The Landlock ABI the jails are written for (the kernel here has 7); newer rights are used
/// when the kernel has them, and a kernel without Landlock at all runs no program unless the
/// operator passes `--unconfined`.
const TARGET: ABI = ABI::V7;

/// Directories every jailed program may read: the programs and libraries a dynamically linked
/// program needs to start, and the kernel's views (`ps`, `free`, `lscpu`, `lsblk` read them).
pub const SYSTEM_READ: &[&str] = &[
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/libx32",
    "/bin",
    "/sbin",
    "/proc",
    "/sys",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
    "/dev/full",
    "/var/log/journal",
    "/run/log/journal",
    "/run/systemd",
    "/var/lib/dpkg",
];

/// Files of `/etc` every jailed program may read: the loader's cache, names, time, locale, TLS
/// roots, terminal descriptions. Not `/etc` itself: `shadow`, `sudoers`, SSH host keys and
/// private TLS keys stay out.
pub const ETC_READ: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
    "/etc/hosts",
    "/etc/host.conf",
    "/etc/resolv.conf",
    "/etc/gai.conf",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/locale.alias",
    "/etc/locale.conf",
    "/etc/default",
    "/etc/ssl/certs",
    "/etc/ca-certificates",
    "/etc/alternatives",
    "/etc/terminfo",
    "/etc/protocols",
    "/etc/services",
    "/etc/os-release",
    "/etc/lsb-release",
    "/etc/debian_version",
    "/etc/hostname",
    "/etc/machine-id",
    "/etc/mtab",
    "/etc/fstab",
    "/etc/magic",
    "/etc/systemd",
    "/etc/gitconfig",
    "/etc/inputrc",
];

/// Files every jailed program may write: the null device and the terminal.
pub const DEVICES_RW: &[&str] = &["/dev/null", "/dev/tty"];

/// What kind of jail, for the trace and the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
    Exec,
    /// The `docker` client: its configuration, its engine.
    DockerClient,
    /// `kubectl`: its kubeconfig and cache, its API servers.
    KubeClient,
}

impl Kind {
    /// The jail of a program call with this effect.
    #[must_use]
    pub fn of(effect: Effect) -> Self {
        match effect {
            Effect::Read => Self::Read,
            Effect::Write | Effect::Destructive => Self::Write,
            Effect::Exec => Self::Exec,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Exec => "exec",
            Self::DockerClient => "docker-client",
            Self::KubeClient => "kube-client",
        }
    }
}

/// Network a jail allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Net {
    /// Unix and netlink sockets only.
    #[default]
    None,
    /// TCP to these ports (connect) and on these (bind); UDP and raw sockets stay closed.
    Tcp { connect: Vec<u16>, bind: Vec<u16> },
    /// Any socket.
    Any,
}

/// What one process may do.
#[derive(Clone, Debug)]
pub struct Jail {
    pub kind: Kind,
    /// Read (files and directories beneath).
    pub read: Vec<PathBuf>,
    /// Read and execute.
    pub exec: Vec<PathBuf>,
    /// Read, write, create, remove (and execute, for exec jails).
    pub write: Vec<PathBuf>,
    pub net: Net,
    /// Capabilities kept (a privileged call the operator allowed: `sudo` needs them, and no
    /// `no_new_privs`).
    pub privileged: bool,
    /// The one capability a known program needs to do its reading, kept alone: `CAP_SYSLOG` for
    /// `dmesg` (the kernel log is restricted; clearing it stays refused by seccomp) and
    /// `CAP_NET_RAW` for `ping`-like tools.
    pub keep: Vec<u32>,
}

/// `CAP_NET_RAW` and `CAP_SYSLOG`, as `<linux/capability.h>` numbers them.
const CAP_NET_RAW: u32 = 13;
const CAP_SYSLOG: u32 = 34;

/// The capability a known program needs, if one.
#[must_use]
pub fn needed_capability(base: &str) -> Option<u32> {
    match base {
        "dmesg" => Some(CAP_SYSLOG),
        "ping" | "ping6" | "arping" | "traceroute" | "mtr" => Some(CAP_NET_RAW),
        _ => None,
    }
}

/// What the child installs: built in the parent.
pub struct Prepared {
    ruleset: Option<RulesetCreated>,
    filter: BpfProgram,
    privileged: bool,
    /// The capabilities kept, as a mask of the first 64.
    keep: u64,
}

/// Whether the kernel has Landlock at all (asked once per process). `PLAYBOOK_LANDLOCK=off`
/// answers no, to rehearse a kernel without it: then programs are refused unless the run is
/// `--unconfined` — it can only make a run stricter.
#[must_use]
pub fn supported() -> bool {
    static SUPPORTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SUPPORTED.get_or_init(|| {
        if std::env::var("PLAYBOOK_LANDLOCK").is_ok_and(|v| v == "off") {
            return false;
        }
        Ruleset::default()
            .set_compatibility(CompatLevel::HardRequirement)
            .handle_access(AccessFs::from_all(ABI::V1))
            .and_then(Ruleset::create)
            .is_ok()
    })
}

/// Where `program` is: a path as written, or the first match on `PATH`.
#[must_use]
pub fn locate(program: &str, path_env: &str) -> Option<PathBuf> {
    if program.contains('/') {
        return Some(PathBuf::from(program));
    }
    path_env
        .split(':')
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(program))
        .find(|p| p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// The files the kernel opens to execute `program`: the program, its `#!` interpreter (and the
/// program `#!/usr/bin/env NAME` names), and the ELF interpreter of each (the dynamic loader).
#[must_use]
pub fn executables(program: &Path, path_env: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![program.to_path_buf()];
    while let Some(p) = todo.pop() {
        if out.len() > 8 || out.contains(&p) {
            continue;
        }
        let Ok(head) = read_head(&p) else { continue };
        out.push(p.clone());
        if let Ok(real) = p.canonicalize()
            && real != p
        {
            out.push(real);
        }
        if let Some(rest) = head.strip_prefix(b"#!") {
            let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
            let line = String::from_utf8_lossy(line);
            let mut words = line.split_whitespace();
            if let Some(interp) = words.next() {
                todo.push(PathBuf::from(interp));
                if interp.ends_with("/env")
                    && let Some(name) = words.find(|w| !w.starts_with('-'))
                    && let Some(found) = locate(name, path_env)
                {
                    todo.push(found);
                }
            }
        } else if let Some(interp) = elf_interpreter(&head) {
            todo.push(PathBuf::from(interp));
        }
    }
    out
}

/// The first 4 KiB of a file.
fn read_head(p: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(p)?;
    let mut buf = vec![0u8; 4096];
    let n = f.read(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// `PT_INTERP` of a 64-bit little-endian ELF file, from its first bytes.
fn elf_interpreter(head: &[u8]) -> Option<String> {
    if head.len() < 64 || &head[..4] != b"\x7fELF" || head[4] != 2 || head[5] != 1 {
        return None;
    }
    let u16_at = |o: usize| head.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u64_at = |o: usize| head.get(o..o + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let phoff = usize::try_from(u64_at(0x20)?).ok()?;
    let phentsize = usize::from(u16_at(0x36)?);
    let phnum = usize::from(u16_at(0x38)?);
    for i in 0..phnum {
        let at = phoff + i * phentsize;
        let kind = head.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))?;
        if kind == 3 {
            let off = usize::try_from(u64_at(at + 8)?).ok()?;
            let len = usize::try_from(u64_at(at + 32)?).ok()?;
            let raw = head.get(off..off + len)?;
            return Some(String::from_utf8_lossy(raw.strip_suffix(&[0]).unwrap_or(raw)).into_owned());
        }
    }
    None
}

fn add_paths(
    mut r: RulesetCreated,
    paths: &[PathBuf],
    access: landlock::BitFlags<AccessFs>,
) -> Result<RulesetCreated, String> {
    for p in paths {
        // A path that does not exist here grants nothing.
        let Ok(fd) = PathFd::new(p) else { continue };
        let file = p.metadata().is_ok_and(|m| !m.is_dir());
        let access = if file { access & AccessFs::from_file(TARGET) } else { access };
        r = r.add_rule(PathBeneath::new(fd, access)).map_err(|e| format!("landlock rule for {}: {e}", p.display()))?;
    }
    Ok(r)
}

/// System calls no jailed program may make.
fn denied_syscalls() -> Vec<i64> {
    vec![
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_bpf,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_setns,
        libc::SYS_unshare,
        libc::SYS_perf_event_open,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_iopl,
        libc::SYS_ioperm,
        libc::SYS_acct,
        libc::SYS_quotactl,
        libc::SYS_settimeofday,
        libc::SYS_clock_settime,
        libc::SYS_clock_adjtime,
        libc::SYS_adjtimex,
        libc::SYS_sethostname,
        libc::SYS_setdomainname,
        libc::SYS_userfaultfd,
        libc::SYS_fanotify_init,
        libc::SYS_mount_setattr,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_lookup_dcookie,
    ]
}

/// The seccomp filter: the denied calls fail with `EPERM`; without network, so does a socket
/// of any family but Unix and netlink; `syslog` may only read the kernel log.
fn filter(net: &Net) -> Result<BpfProgram, String> {
    let mut rules: std::collections::BTreeMap<i64, Vec<SeccompRule>> =
        denied_syscalls().into_iter().map(|s| (s, Vec::new())).collect();
    let cond = |arg: u8, op: SeccompCmpOp, v: u64| {
        SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, v).map_err(|e| format!("seccomp condition: {e}"))
    };
    if *net == Net::None {
        let unix = u64::try_from(libc::AF_UNIX).unwrap_or(1);
        let netlink = u64::try_from(libc::AF_NETLINK).unwrap_or(16);
        let rule = SeccompRule::new(vec![cond(0, SeccompCmpOp::Ne, unix)?, cond(0, SeccompCmpOp::Ne, netlink)?])
            .map_err(|e| format!("seccomp rule: {e}"))?;
        rules.insert(libc::SYS_socket, vec![rule]);
    }
    // syslog(2): 2 (READ), 3 (READ_ALL) and 10 (SIZE_BUFFER) only; clearing or the console level
    // is a change.
    let syslog: Result<Vec<SeccompRule>, String> = [SeccompRule::new(vec![
        cond(0, SeccompCmpOp::Ne, 2)?,
        cond(0, SeccompCmpOp::Ne, 3)?,
        cond(0, SeccompCmpOp::Ne, 10)?,
    ])
    .map_err(|e| format!("seccomp rule: {e}"))]
    .into_iter()
    .collect();
    rules.insert(libc::SYS_syslog, syslog?);
    let arch = seccompiler::TargetArch::try_from(std::env::consts::ARCH).map_err(|e| format!("seccomp: {e}"))?;
    let eperm = u32::try_from(libc::EPERM).unwrap_or(1);
    SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Errno(eperm), arch)
        .and_then(TryInto::try_into)
        .map_err(|e| format!("seccomp filter: {e}"))
}

impl Jail {
    /// A jail of `kind` for a program, reading the granted `root`.
    #[must_use]
    pub fn new(kind: Kind, root: &Path, executables: Vec<PathBuf>) -> Self {
        let mut read: Vec<PathBuf> = SYSTEM_READ.iter().chain(ETC_READ).map(PathBuf::from).collect();
        let mut write: Vec<PathBuf> = DEVICES_RW.iter().map(PathBuf::from).collect();
        let mut exec = executables;
        match kind {
            Kind::Read | Kind::DockerClient | Kind::KubeClient => read.push(root.to_path_buf()),
            Kind::Write => write.push(root.to_path_buf()),
            Kind::Exec => {
                write.push(root.to_path_buf());
                // Scripts run other programs: the system's and those on the operator's `PATH`
                // (with the tree a `bin` or `shims` directory belongs to: pyenv, a toolchain),
                // confined like them.
                exec.extend(["/usr", "/bin", "/sbin", "/lib", "/lib64"].iter().map(PathBuf::from));
                for dir in std::env::var("PATH").unwrap_or_default().split(':').filter(|d| d.starts_with('/')) {
                    let d = Path::new(dir);
                    let tree = if d.ends_with("bin") || d.ends_with("shims") { d.parent().unwrap_or(d) } else { d };
                    exec.push(tree.to_path_buf());
                }
            }
        }
        Self { kind, read, exec, write, net: Net::None, privileged: false, keep: Vec::new() }
    }

    /// Builds the ruleset and the filter (in the parent). A privileged call of an operator who
    /// is not root runs through `sudo`, whose own policy then confines it: Landlock and seccomp
    /// without `no_new_privs` need a capability only root has.
    ///
    /// # Errors
    /// When the kernel refuses a rule or the filter cannot be built.
    pub fn prepare(&self) -> Result<Prepared, String> {
        // The same jail for the same program is built once per run: a later start duplicates
        // the ruleset's descriptor (rules are never added after it is made) and copies the filter.
        static BUILT: std::sync::Mutex<Vec<(String, RulesetCreated, BpfProgram)>> = std::sync::Mutex::new(Vec::new());
        if self.privileged && !nix::unistd::geteuid().is_root() {
            return Ok(Prepared { ruleset: None, filter: BpfProgram::new(), privileged: true, keep: 0 });
        }
        let key = format!("{self:?}");
        let mut built = BUILT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, ruleset, filter)) = built.iter().find(|(k, _, _)| *k == key) {
            let ruleset = ruleset.try_clone().map_err(|e| format!("landlock: {e}"))?;
            return Ok(Prepared {
                ruleset: Some(ruleset),
                filter: filter.clone(),
                privileged: self.privileged,
                keep: self.keep_mask(),
            });
        }
        let fresh = self.build()?;
        if built.len() < 64
            && let Some(r) = fresh.ruleset.as_ref().and_then(|r| r.try_clone().ok())
        {
            built.push((key, r, fresh.filter.clone()));
        }
        Ok(fresh)
    }

    fn keep_mask(&self) -> u64 {
        self.keep.iter().filter(|&&c| c < 64).fold(0u64, |m, &c| m | (1 << c))
    }

    fn build(&self) -> Result<Prepared, String> {
        let read = AccessFs::ReadFile | AccessFs::ReadDir;
        let exec = AccessFs::from_read(TARGET);
        let mut write = AccessFs::from_all(TARGET);
        if self.kind != Kind::Exec {
            write.remove(AccessFs::Execute);
        }
        let mut ruleset = Ruleset::default().handle_access(AccessFs::from_all(TARGET)).map_err(|e| e.to_string())?;
        if let Net::None | Net::Tcp { .. } = self.net {
            ruleset = ruleset.handle_access(AccessNet::from_all(TARGET)).map_err(|e| e.to_string())?;
        }
        if self.kind == Kind::Read {
            // A read program signals nobody outside its own jail.
            ruleset = ruleset.scope(Scope::Signal).map_err(|e| e.to_string())?;
        }
        let mut created = ruleset.create().map_err(|e| format!("landlock: {e}"))?.no_new_privs(!self.privileged);
        created = add_paths(created, &self.read, read)?;
        created = add_paths(created, &self.exec, exec)?;
        created = add_paths(created, &self.write, write)?;
        if let Net::Tcp { connect, bind } = &self.net {
            for &p in connect {
                created = created.add_rule(NetPort::new(p, AccessNet::ConnectTcp)).map_err(|e| e.to_string())?;
            }
            for &p in bind {
                created = created.add_rule(NetPort::new(p, AccessNet::BindTcp)).map_err(|e| e.to_string())?;
            }
        }
        Ok(Prepared {
            ruleset: Some(created),
            filter: filter(&self.net)?,
            privileged: self.privileged,
            keep: self.keep_mask(),
        })
    }
}

/// What the kernel executes to run `program` (located on `PATH`): looked up once per run.
#[must_use]
pub fn runs(program: &str) -> Vec<PathBuf> {
    static SEEN: std::sync::Mutex<Vec<(String, Vec<PathBuf>)>> = std::sync::Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, v)) = seen.iter().find(|(p, _)| p == program) {
        return v.clone();
    }
    let path = std::env::var("PATH").unwrap_or_default();
    let v = locate(program, &path).map(|p| executables(&p, &path)).unwrap_or_default();
    if seen.len() < 256 {
        seen.push((program.to_string(), v.clone()));
    }
    v
}

/// The jail of a program the runbook runs, with effect `effect`: `program` is located on `PATH`
/// (what the kernel will execute, interpreters included, is all it may execute in a read or
/// write jail).
#[must_use]
pub fn for_program(effect: Effect, root: &Path, program: &str, network: bool, privileged: bool) -> Jail {
    let mut j = Jail::new(Kind::of(effect), root, runs(program));
    if network {
        j.net = Net::Any;
    }
    j.privileged = privileged;
    let base = program.rsplit('/').next().unwrap_or(program);
    j.keep.extend(needed_capability(base));
    if base == "dmesg" {
        j.read.push(PathBuf::from("/dev/kmsg"));
    }
    // Debian's PostgreSQL clients are a wrapper script that runs the versioned binary.
    if matches!(base, "psql" | "pg_isready" | "pg_dump" | "pg_restore") {
        j.exec.push(PathBuf::from("/usr/lib/postgresql"));
    }
    j
}

/// Also executable in a jail: a program `sudo` runs, and what it needs.
pub fn also_runs(j: &mut Jail, program: &str) {
    j.exec.extend(runs(program));
}

/// The Linux capability header and data of `capset(2)` (version 3: two 32-bit words).
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

const CAP_VERSION_3: u32 = 0x2008_0522;

/// Installs the jail in the child, between fork and exec.
///
/// One of the two places the runtime needs `unsafe` (the other restores SIGPIPE at start-up,
/// `console::default_sigpipe`): `pre_exec` runs in the forked child, where
/// only async-signal-safe calls are allowed. The closure makes system calls only (`prctl`,
/// `capset`, `landlock_restrict_self`, `seccomp`) on data built before the fork; it allocates
/// nothing on success.
#[allow(unsafe_code)]
pub fn install(cmd: &mut std::process::Command, prepared: Prepared) {
    use std::os::unix::process::CommandExt as _;
    let mut prepared = Some(prepared);
    let hook = move || -> std::io::Result<()> {
        let Some(mut p) = prepared.take() else { return Ok(()) };
        if !p.privileged {
            // SAFETY: plain system calls on constants and stack data; errors for capabilities
            // this kernel does not have are expected and ignored.
            unsafe {
                if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                for cap in 0..64u64 {
                    if p.keep & (1 << cap) == 0 {
                        libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
                    }
                }
                libc::prctl(libc::PR_CAP_AMBIENT, libc::PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
                let header = CapHeader { version: CAP_VERSION_3, pid: 0 };
                let low = u32::try_from(p.keep & 0xffff_ffff).unwrap_or(0);
                let high = u32::try_from(p.keep >> 32).unwrap_or(0);
                let data = [
                    CapData { effective: low, permitted: low, inheritable: 0 },
                    CapData { effective: high, permitted: high, inheritable: 0 },
                ];
                if libc::syscall(libc::SYS_capset, &raw const header, data.as_ptr()) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
        }
        if let Some(ruleset) = p.ruleset.take() {
            ruleset.restrict_self().map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        if !p.filter.is_empty() {
            seccompiler::apply_filter(&p.filter).map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        Ok(())
    };
    // SAFETY: the hook only makes system calls (see above) and touches no lock the parent's
    // other threads may hold.
    unsafe {
        cmd.pre_exec(hook);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_and_the_interpreter_of_a_script_are_found() {
        let path = std::env::var("PATH").unwrap_or_default();
        let ls = locate("ls", &path).expect("ls on PATH");
        let ex = executables(&ls, &path);
        assert!(ex.iter().any(|p| p.to_string_lossy().contains("ld-linux")), "{ex:?}");
        let dir = std::env::temp_dir().join(format!("pb-jail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("s.sh");
        std::fs::write(&script, "#!/usr/bin/env bash\necho hi\n").unwrap();
        let ex = executables(&script, &path);
        assert!(ex.iter().any(|p| p.ends_with("env")) && ex.iter().any(|p| p.ends_with("bash")), "{ex:?}");
    }
}

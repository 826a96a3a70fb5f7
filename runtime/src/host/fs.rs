//! Files under the granted root (the workdir). Paths are joined to the run's working directory,
//! normalized, and refused early, with a clear message, when they climb out of the root or a
//! symbolic link leads out. The operations themselves then go through a cap-std `Dir` opened on
//! the root, which resolves every path component inside it: a link swapped in between the check
//! and the use still cannot reach outside.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use cap_std::fs::{Dir, OpenOptions};

use playbook_capability::fs::{FsOp, FsRequest, FsTool, join};

use super::{HostState, failed, ok, settings, show};
use crate::bindings::playbook::host::fs::{Host, Request};
use crate::bindings::{Error, Io, Outcome};
use serde_json::json;

/// The guest's request in the capability vocabulary.
fn typed(r: &Request) -> Result<FsRequest<String>, String> {
    let op = FsOp::from_index(r.op as usize).ok_or("unknown file operation")?;
    let tool = FsTool::from_index(r.tool as usize).ok_or("unknown file tool")?;
    let mut f = FsRequest::new(op, tool, r.paths.clone());
    f.dest.clone_from(&r.dest);
    f.options = settings(&r.options);
    Ok(f)
}

impl HostState {
    /// A request path as a real path inside the root, or why not.
    ///
    /// # Errors
    /// When the path leaves the granted root: `~`, an absolute path elsewhere, `..` past the
    /// root, a symbolic link out of it, or a file with several hard links.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        let normal = self.relative(path)?;
        Ok(self.opts.workdir.join(normal))
    }

    /// A request path relative to the root (`.` for the root itself), or why not.
    pub(super) fn relative(&self, path: &str) -> Result<PathBuf, String> {
        let joined = join(self.cwd.as_deref(), path);
        let root = &self.opts.workdir;
        let relative: PathBuf = if joined.starts_with('~') {
            return Err(format!("{path}: outside the granted root {}", root.display()));
        } else if Path::new(&joined).is_absolute() {
            match Path::new(&joined).strip_prefix(&self.real_root).or_else(|_| Path::new(&joined).strip_prefix(root)) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => return Err(format!("{path}: outside the granted root {}", root.display())),
            }
        } else {
            PathBuf::from(&joined)
        };
        let mut normal = PathBuf::new();
        for c in relative.components() {
            match c {
                Component::Normal(p) => normal.push(p),
                Component::ParentDir => {
                    if !normal.pop() {
                        return Err(format!("{path}: climbs out of the granted root"));
                    }
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        self.checked(&normal, path)?;
        if normal.as_os_str().is_empty() {
            normal.push(".");
        }
        Ok(normal)
    }

    /// Checks a path relative to the root: no symbolic link on the way leads out, and a file with
    /// several names is refused (another of them may be outside). `path` is how it was written.
    fn checked(&self, normal: &Path, path: &str) -> Result<(), String> {
        // (Checked already in this call: a call resolves its paths several times over.)
        if self.checked_paths.borrow().contains(normal) {
            return Ok(());
        }
        self.checked_uncached(normal, path)?;
        self.checked_paths.borrow_mut().insert(normal.to_path_buf());
        Ok(())
    }

    fn checked_uncached(&self, normal: &Path, path: &str) -> Result<(), String> {
        let root = &self.opts.workdir;
        let full = root.join(normal);
        // Symlinks: the deepest existing ancestor must still be inside the root.
        let mut probe = full;
        loop {
            if let Ok(real) = probe.canonicalize() {
                if !real.starts_with(&self.real_root) {
                    return Err(format!("{path}: a symbolic link leads out of the granted root"));
                }
                break;
            }
            if !probe.pop() {
                break;
            }
        }
        // A file with several names may have one outside the root: writing through this one
        // would change that file too, reading it would read it.
        #[cfg(unix)]
        if let Ok(m) = root.join(normal).symlink_metadata()
            && m.is_file()
            && std::os::unix::fs::MetadataExt::nlink(&m) > 1
        {
            return Err(format!(
                "{path}: has {} hard links; another name of it may be outside the granted root",
                std::os::unix::fs::MetadataExt::nlink(&m)
            ));
        }
        Ok(())
    }

    /// The root, opened as a capability.
    pub(super) fn root(&self) -> std::io::Result<&Dir> {
        self.root_dir.as_ref().ok_or_else(|| std::io::Error::other("the granted root could not be opened"))
    }

    /// Expands a glob in the last component of a path; paths relative to the root.
    pub(super) fn expand(&self, path: &str) -> Result<Vec<PathBuf>, String> {
        let rel = self.relative(path)?;
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !name.contains(['*', '?', '[']) {
            return Ok(vec![rel]);
        }
        let parent = rel.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        let mut names: Vec<String> = self
            .root()
            .and_then(|d| d.read_dir(&parent))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    // (A leading `.` is matched only by a `.` the pattern writes, as in bash.)
                    .filter(|n| {
                        (name.starts_with('.') || !n.starts_with('.'))
                            && playbook_capability::scope::component_matches(&name, n)
                    })
                    .collect()
            })
            .unwrap_or_default();
        super::collate(&mut names);
        // A pattern that matches nothing stays as written, as bash leaves it: `rm tmp/*.lock`
        // then fails on that name.
        if names.is_empty() {
            return Ok(vec![rel]);
        }
        Ok(names
            .into_iter()
            .map(|n| if parent == Path::new(".") { PathBuf::from(n) } else { parent.join(n) })
            .collect())
    }

    /// The paths an unquoted glob gives, as bash's pathname expansion gives them: the names in
    /// its directory its last component matches (`*`, `?`, `[…]`; a leading `.` only where the
    /// pattern writes one), in the order of the locale's collation, each with the directory as
    /// written; the pattern itself when none matches.
    pub(super) fn glob(&self, pattern: &str) -> Result<Vec<String>, String> {
        let (dir, name) = pattern.rsplit_once('/').map_or(("", pattern), |(d, n)| (d, n));
        let prefix = if pattern.contains('/') { format!("{dir}/") } else { String::new() };
        let listed = if pattern.contains('/') && dir.is_empty() {
            "/"
        } else if dir.is_empty() {
            "."
        } else {
            dir
        };
        let rel = self.relative(listed)?;
        let mut found: Vec<String> = self
            .root()
            .and_then(|d| d.read_dir(&rel))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        (name.starts_with('.') || !n.starts_with('.'))
                            && playbook_capability::scope::component_matches(name, n)
                    })
                    .map(|n| format!("{prefix}{n}"))
                    .collect()
            })
            .unwrap_or_default();
        if found.is_empty() {
            return Ok(vec![pattern.to_string()]);
        }
        super::collate(&mut found);
        Ok(found)
    }

    /// Every file a request touches must stay inside the root: each path as written, each file a
    /// glob matches (a hard-linked `link2` matched by `link*` is another name of a file that may
    /// be outside), and each name a copy or move makes inside a destination directory.
    fn check_targets(&self, f: &FsRequest<String>) -> Result<(), String> {
        for p in f.paths.iter().chain(f.dest.iter()) {
            self.resolve(p)?;
        }
        let root = self.root().map_err(|e| e.to_string())?;
        let mut sources = Vec::new();
        for p in &f.paths {
            for m in self.expand(p)? {
                // Each match is checked as a path of its own (links, hard links).
                self.checked(&m, &m.to_string_lossy())?;
                sources.push(m);
            }
        }
        if let (Some(dest), FsOp::Copy | FsOp::Move) = (&f.dest, f.op) {
            let dest = self.relative(dest)?;
            if root.metadata(&dest).is_ok_and(|m| m.is_dir()) {
                for src in &sources {
                    if let Some(name) = src.file_name() {
                        let target = dest.join(name);
                        self.checked(&target, &target.to_string_lossy())?;
                    }
                }
            }
        }
        Ok(())
    }

    fn shown(p: &Path) -> String {
        p.display().to_string()
    }

    /// A name as the coreutils' `quotef()` shows it (cat's messages): as it is when the shell
    /// would read it so, else quoted for the shell (`'my file.txt'`, `'logs/*.gz'`).
    fn quoted_if_needed(p: &Path) -> String {
        let s = p.display().to_string();
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ',' | ':' | '%' | '@' | '='));
        if plain {
            s
        } else if !s.contains('\'') {
            format!("'{s}'")
        } else if !s.contains(['"', '$', '`', '\\']) {
            format!("\"{s}\"")
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    }

    /// A name as the coreutils' `quote()` shows it (mkdir's messages): in typographic quotes
    /// under a UTF-8 locale, in apostrophes otherwise. (`quoteaf()`, rm's and cp's, is always
    /// apostrophes.)
    fn locale_quoted(p: &Path) -> String {
        let ctype = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if ctype.contains("utf-8") || ctype.contains("utf8") {
            format!("\u{2018}{}\u{2019}", p.display())
        } else {
            format!("'{}'", p.display())
        }
    }

    /// An error in the C library's words, as the tools and bash print them: without Rust's
    /// `(os error 2)`.
    fn c_words(msg: &str) -> &str {
        match msg.rfind(" (os error ") {
            Some(i) if msg.ends_with(')') => &msg[..i],
            _ => msg,
        }
    }

    fn perform(&mut self, r: &FsRequest<String>, io: &Io) -> Outcome {
        let opt = |k: &str| r.options.iter().find(|o| o.key == k).and_then(|o| o.value.clone());
        let has = |k: &str| r.options.iter().any(|o| o.key == k);
        let tool = r.tool.shown();
        let mut out = String::new();
        let mut err = String::new();
        let mut status = 0;
        let mut fail = |msg: String, err: &mut String| {
            let _ = writeln!(err, "{tool}: {}", Self::c_words(&msg));
            status = 1;
        };
        // `2>&1`: the messages go into the output where they happen.
        let merge = io.merge_stderr;
        macro_rules! to_err {
            () => {
                if merge { &mut out } else { &mut err }
            };
        }
        let root = match self.root() {
            Ok(d) => d,
            Err(e) => return failed(1, &format!("{tool}: {e}\n")),
        };
        match r.op {
            FsOp::Read => {
                let mut stdin_used = false;
                for p in &r.paths {
                    // `cat a - b`: `-` is standard input, where it stands (read once: a second
                    // `-` finds it at its end).
                    let from_stdin = p == "-";
                    let found = if from_stdin { vec![PathBuf::from("-")] } else { self.expand(p).unwrap_or_default() };
                    for full in found {
                        let read = if from_stdin {
                            let seen = std::mem::replace(&mut stdin_used, true);
                            Ok(if seen { Vec::new() } else { io.stdin.as_bytes().to_vec() })
                        } else {
                            root.read(&full)
                        };
                        match read {
                            Ok(bytes) => {
                                let text = String::from_utf8_lossy(&bytes);
                                let n: Option<usize> =
                                    opt("lines").and_then(|v| v.trim_start_matches(['-', '+']).parse().ok());
                                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                                let chosen: Vec<&str> = match (r.tool, n) {
                                    (FsTool::Head, n) => lines.iter().take(n.unwrap_or(10)).copied().collect(),
                                    (FsTool::Tail, n) => lines
                                        .iter()
                                        .skip(lines.len().saturating_sub(n.unwrap_or(10)))
                                        .copied()
                                        .collect(),
                                    _ => lines,
                                };
                                out.push_str(&chosen.concat());
                            }
                            Err(e) => fail(format!("{}: {e}", Self::quoted_if_needed(&full)), to_err!()),
                        }
                    }
                }
            }
            // Listed by the host's `ls` (`HostState::ls`), or expanded (`HostState::glob`),
            // before this is reached.
            FsOp::List | FsOp::Glob => {}
            FsOp::Remove => {
                for p in &r.paths {
                    let found = self.expand(p).unwrap_or_default();
                    for full in found {
                        let is_dir = root.symlink_metadata(&full).is_ok_and(|m| m.is_dir());
                        if is_dir && r.tool == FsTool::Rm && !has("recursive") && !has("dir") {
                            fail(format!("cannot remove '{}': Is a directory", Self::shown(&full)), to_err!());
                            continue;
                        }
                        if !is_dir && r.tool == FsTool::Rmdir && root.symlink_metadata(&full).is_ok() {
                            fail(format!("failed to remove '{}': Not a directory", Self::shown(&full)), to_err!());
                            continue;
                        }
                        let res = if is_dir {
                            if has("recursive") { root.remove_dir_all(&full) } else { root.remove_dir(&full) }
                        } else {
                            root.remove_file(&full)
                        };
                        if let Err(e) = res
                            && !(has("force") && e.kind() == std::io::ErrorKind::NotFound)
                        {
                            let verb = if r.tool == FsTool::Rmdir { "failed to remove" } else { "cannot remove" };
                            fail(format!("{verb} '{}': {e}", Self::shown(&full)), to_err!());
                        }
                    }
                }
            }
            FsOp::Mkdir => {
                for p in &r.paths {
                    if let Ok(full) = self.relative(p) {
                        let res = if has("parents") { root.create_dir_all(&full) } else { root.create_dir(&full) };
                        if let Err(e) = res {
                            fail(format!("cannot create directory {}: {e}", Self::locale_quoted(&full)), to_err!());
                        }
                    }
                }
            }
            FsOp::Touch => {
                for p in &r.paths {
                    if let Ok(full) = self.relative(p)
                        && let Err(e) = root.open_with(&full, OpenOptions::new().create(true).append(true))
                    {
                        fail(format!("cannot touch '{}': {e}", Self::shown(&full)), to_err!());
                    }
                }
            }
            FsOp::Write | FsOp::Append => {
                for p in &r.paths {
                    if let Ok(full) = self.relative(p) {
                        let mut how = OpenOptions::new();
                        how.create(true).write(true).append(r.op == FsOp::Append).truncate(r.op == FsOp::Write);
                        let res = root.open_with(&full, &how).and_then(|mut f| f.write_all(io.stdin.as_bytes()));
                        if let Err(e) = res {
                            fail(format!("{}: {e}", Self::shown(&full)), to_err!());
                        }
                    }
                }
                if r.tool == FsTool::Tee {
                    out.push_str(&io.stdin);
                }
            }
            FsOp::Copy | FsOp::Move => {
                let to = r.dest.clone().unwrap_or_default();
                let Ok(dest) = self.relative(&to) else {
                    return failed(1, &format!("{tool}: {to}: outside the granted root\n"));
                };
                for p in &r.paths {
                    for src in self.expand(p).unwrap_or_default() {
                        if root.symlink_metadata(&src).is_err() {
                            fail(format!("cannot stat '{}': No such file or directory", Self::shown(&src)), to_err!());
                            continue;
                        }
                        let into_dir = root.metadata(&dest).is_ok_and(|m| m.is_dir());
                        // `cp f nodir/`: a trailing slash names a directory, which is not there.
                        if !into_dir && to.ends_with('/') {
                            let msg = if r.op == FsOp::Move {
                                format!("cannot move '{}' to '{to}': Not a directory", Self::shown(&src))
                            } else {
                                format!("cannot create regular file '{to}': Not a directory")
                            };
                            fail(msg, to_err!());
                            continue;
                        }
                        if r.op == FsOp::Copy
                            && !(has("recursive") || has("archive"))
                            && root.symlink_metadata(&src).is_ok_and(|m| m.is_dir())
                        {
                            fail(format!("-r not specified; omitting directory '{}'", Self::shown(&src)), to_err!());
                            continue;
                        }
                        let target =
                            if into_dir { dest.join(src.file_name().unwrap_or_default()) } else { dest.clone() };
                        // The same file (`cp a a`, `cp a .`) is refused as the coreutils
                        // refuse it: copying it onto itself would empty it.
                        let same = |a: &Path, b: &Path| {
                            use cap_std::fs::MetadataExt as _;
                            matches!((root.metadata(a), root.metadata(b)), (Ok(x), Ok(y)) if x.dev() == y.dev() && x.ino() == y.ino())
                        };
                        if same(&src, &target) {
                            fail(
                                format!("'{}' and '{}' are the same file", Self::shown(&src), Self::shown(&target)),
                                to_err!(),
                            );
                            continue;
                        }
                        // (Through the directories as they are: `cp -r a link_to_a/x` too.)
                        let real = |p: &Path| {
                            let full = self.real_root.join(p);
                            std::fs::canonicalize(&full).ok().or_else(|| {
                                let parent = std::fs::canonicalize(full.parent()?).ok()?;
                                Some(parent.join(full.file_name()?))
                            })
                        };
                        let inside = target.starts_with(&src)
                            || matches!((real(&src), real(&target)), (Some(a), Some(b)) if b.starts_with(&a));
                        if r.op == FsOp::Copy && inside && root.metadata(&src).is_ok_and(|m| m.is_dir()) {
                            fail(
                                format!(
                                    "cannot copy a directory, '{}', into itself, '{}'",
                                    Self::shown(&src),
                                    Self::shown(&target)
                                ),
                                to_err!(),
                            );
                            continue;
                        }
                        let res = if r.op == FsOp::Move {
                            root.rename(&src, root, &target)
                        } else {
                            copy_tree(root, &src, &target, has("recursive") || has("archive"))
                        };
                        if let Err(e) = res {
                            fail(format!("'{}': {e}", Self::shown(&src)), to_err!());
                        }
                    }
                }
            }
            FsOp::Stat | FsOp::Pwd => return failed(2, &format!("playbook: `{}` is not carried out here\n", r.op)),
        }
        Outcome { status, stdout: out, stderr: err }
    }

    /// `[ -f path ]` and friends: one file predicate, maybe negated.
    fn test(&self, r: &FsRequest<String>) -> Result<bool, String> {
        let op = r.options.iter().find(|s| s.key == "test").and_then(|s| s.value.clone()).unwrap_or_default();
        let negate = r.options.iter().any(|s| s.key == "not");
        let [path] = r.paths.as_slice() else { return Err("a file test takes one path".into()) };
        let full = self.relative(path)?;
        let root = self.root().map_err(|e| e.to_string())?;
        // `file/` names a directory: a file with a slash after it is nothing.
        let m = root.metadata(&full).ok().filter(|m| m.is_dir() || !path.ends_with('/')).ok_or(());
        let result = match op.as_str() {
            "-e" => m.is_ok(),
            // What this process may do with it, as `access(2)` answers.
            "-r" | "-w" | "-x" => {
                use nix::unistd::AccessFlags;
                let mode = match op.as_str() {
                    "-r" => AccessFlags::R_OK,
                    "-w" => AccessFlags::W_OK,
                    _ => AccessFlags::X_OK,
                };
                m.is_ok() && nix::unistd::access(&self.real_root.join(&full), mode).is_ok()
            }
            "-f" => m.is_ok_and(|m| m.is_file()),
            "-d" => m.is_ok_and(|m| m.is_dir()),
            "-s" => m.is_ok_and(|m| m.len() > 0),
            "-L" | "-h" => root.symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()),
            _ => return Err(format!("unsupported test {op}")),
        };
        Ok(result != negate)
    }
}

fn copy_tree(root: &Dir, src: &Path, dest: &Path, recursive: bool) -> std::io::Result<()> {
    if root.symlink_metadata(src)?.is_dir() {
        if !recursive {
            return Err(std::io::Error::other("is a directory (not copied without -r)"));
        }
        root.create_dir_all(dest)?;
        for e in root.read_dir(src)? {
            let name = e?.file_name();
            copy_tree(root, &src.join(&name), &dest.join(&name), true)?;
        }
        Ok(())
    } else {
        root.copy(src, root, dest).map(|_| ())
    }
}

impl HostState {
    async fn fs_live(&mut self, r: &Request, io: &Io) -> Result<Outcome, Error> {
        self.quiet_stderr = io.discard_stderr;
        self.secret_call = io.secret;
        let f = typed(r).map_err(|e| self.deny_text(&format!("files: {e}")))?;
        if let Err(e) = f.check() {
            return Err(self.deny_text(&format!("{} {}: {e}", f.tool, f.op)));
        }
        if f.op == FsOp::Pwd {
            // (`Path::join("")` would add a slash that `pwd` does not print.)
            let here = self.cwd.as_deref().map_or_else(|| self.opts.workdir.clone(), |c| self.opts.workdir.join(c));
            return Ok(show(self, &ok(&format!("{}\n", here.display())), io.capture));
        }
        // A path outside the root is denied, a file test's too (`[ -d /srv/backups ]`): an
        // answer from here would not be the host's.
        if let Err(e) = self.check_targets(&f) {
            return Err(self.deny_text(&e));
        }
        // (A redirection's file opened before its command: `> FILE` with nothing to write yet.)
        self.opening = matches!(f.tool, FsTool::RedirectOut | FsTool::RedirectAppend) && io.stdin.is_empty();
        let gated = self.gate(r.grant, &f.needs(self.cwd.as_deref()), false);
        self.opening = false;
        let go = gated?;
        if f.op == FsOp::Stat {
            return Ok(match self.test(&f) {
                Ok(true) => ok(""),
                Ok(false) => failed(1, ""),
                Err(e) => failed(2, &format!("[: {e}\n")),
            });
        }
        if !go {
            return Ok(self.dry(&format!("{} {}", f.op, f.paths.join(" "))));
        }
        // `program > FILE`: the file is written from a pipe as the program prints; `… | tee
        // FILE`: the files and the output, as the pipe brings it.
        if matches!(f.op, FsOp::Write | FsOp::Append)
            && let Some((_, r)) = self.call_pipes.reads.take()
        {
            let started =
                if f.tool == FsTool::Tee { self.tee_from_pipe(&f, r, io) } else { self.write_from_pipe(&f, r) };
            return Ok(show(self, &started, true));
        }
        if f.op == FsOp::List {
            return self.ls(&f, io).await;
        }
        if f.op == FsOp::Glob {
            let mut out = String::new();
            for m in self.glob(&f.paths[0]).map_err(|e| self.deny_text(&e))? {
                out.push_str(&m);
                out.push('\0');
            }
            return Ok(show(self, &ok(&out), true));
        }
        // `cat FILE… | …`: the bytes go into the pipe in chunks, as they are read.
        if f.op == FsOp::Read
            && f.tool == FsTool::Cat
            && f.options.is_empty()
            && !f.paths.iter().any(|p| p == "-")
            && let Some((_, w)) = self.call_pipes.writes.take()
        {
            let out = self.cat_into_pipe(&f, w, io.merge_stderr).await;
            return Ok(show(self, &out, true));
        }
        // `cat FILE…` on the terminal: shown as it is read, never whole in memory.
        if f.op == FsOp::Read
            && f.tool == FsTool::Cat
            && f.options.is_empty()
            && !io.capture
            && !f.paths.iter().any(|p| p == "-")
        {
            let out = self.cat_to_terminal(&f, io.merge_stderr);
            return Ok(show(self, &out, true));
        }
        // Kept in memory (`$(…)`, a buffer): no more than a program's output may be. A file
        // past the cap fails the command before it is read, never a shorter result.
        if f.op == FsOp::Read && io.capture {
            let size: u64 = f
                .paths
                .iter()
                .flat_map(|p| self.expand(p).unwrap_or_default())
                .filter_map(|full| self.root().ok().and_then(|d| d.metadata(&full).ok()))
                .filter(cap_std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum();
            if size > super::exec::OUTPUT_CAP as u64 {
                self.event(
                    "limit",
                    &format!(
                        "  ✗ limit: {} of {size} bytes is past the {} MiB kept in memory",
                        f.tool,
                        super::exec::OUTPUT_CAP >> 20
                    ),
                    json!({ "limit": "kept-output", "max": super::exec::OUTPUT_CAP, "size": size }),
                );
                let msg = format!(
                    "playbook: {}: {} is {size} bytes, past the {} MiB that `$(…)`, a redirection or a loop keeps in \
                     memory: the command fails (a pipe into a program streams it)\n",
                    f.tool,
                    f.paths.join(" "),
                    super::exec::OUTPUT_CAP >> 20
                );
                return Ok(show(self, &failed(1, &msg), true));
            }
        }
        let out = self.perform(&f, io);
        Ok(show(self, &out, io.capture))
    }

    /// `> FILE`, `>> FILE` of a program: the file opened now, then written from the pipe by
    /// the kernel's copy off the run's thread until the program ends; `pipes.wait` has the
    /// outcome (bash's message when the file cannot be written).
    fn write_from_pipe(&mut self, f: &FsRequest<String>, r: std::io::PipeReader) -> Outcome {
        let Some(path) = f.paths.first() else { return ok("") };
        let full = match self.relative(path) {
            Ok(full) => full,
            Err(e) => return failed(1, &format!("bash: {e}\n")),
        };
        let mut how = OpenOptions::new();
        how.create(true).write(true).append(f.op == FsOp::Append).truncate(f.op == FsOp::Write);
        let words = |e: &dyn std::fmt::Display| Self::c_words(&e.to_string()).to_string();
        let file = match self.root().and_then(|d| d.open_with(&full, &how)) {
            Ok(file) => file.into_std(),
            Err(e) => return failed(1, &format!("bash: {}: {}\n", Self::shown(&full), words(&e))),
        };
        let shown = Self::shown(&full);
        let copy = tokio::task::spawn_blocking(move || {
            let (mut r, mut file) = (r, file);
            std::io::copy(&mut r, &mut file)
        });
        let task = tokio::spawn(async move {
            match copy.await {
                Ok(Ok(_)) => ok(""),
                Ok(Err(e)) => failed(1, &format!("bash: {shown}: {}\n", words(&e))),
                Err(e) => failed(1, &format!("bash: {shown}: {}\n", words(&e))),
            }
        });
        self.call_pipes.started = Some(super::pipes::Reading::Task(task));
        ok("")
    }

    /// `… | tee [-a] FILE…`: each chunk of the pipe into every file and on to the output (the
    /// terminal, the next pipe, or what `$(…)` keeps), off the run's thread, as GNU tee does:
    /// a file that cannot be opened or written is said and left out (status 1); an output
    /// whose reader ended stops it (SIGPIPE's 141).
    fn tee_from_pipe(&mut self, f: &FsRequest<String>, r: std::io::PipeReader, io: &Io) -> Outcome {
        use std::io::{Read as _, Write as _};
        let words = |e: &std::io::Error| Self::c_words(&e.to_string()).to_string();
        let (mut status, mut err) = (0, String::new());
        let mut files = Vec::new();
        for p in &f.paths {
            let mut how = OpenOptions::new();
            how.create(true).write(true).append(f.op == FsOp::Append).truncate(f.op == FsOp::Write);
            match self.relative(p).map_err(std::io::Error::other).and_then(|full| {
                self.root().and_then(|d| d.open_with(&full, &how)).map(|file| (p.clone(), file.into_std()))
            }) {
                Ok(file) => files.push(file),
                Err(e) => {
                    status = 1;
                    let _ = writeln!(err, "tee: {p}: {}", words(&e));
                }
            }
        }
        let mut next = self.call_pipes.writes.take().map(|(_, w)| w);
        let mut sink = next.is_none().then(|| super::exec::Sink::new(self, !io.capture, false));
        let task = tokio::task::spawn_blocking(move || {
            let (mut r, mut buf) = (r, vec![0u8; 64 * 1024]);
            loop {
                let n = match r.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                files.retain_mut(|(p, file)| match file.write_all(&buf[..n]) {
                    Ok(()) => true,
                    Err(e) => {
                        status = 1;
                        let _ = writeln!(err, "tee: {p}: {}", words(&e));
                        false
                    }
                });
                let gone = match (&mut next, &mut sink) {
                    (Some(w), _) => w.write_all(&buf[..n]).is_err(),
                    (None, Some(s)) => {
                        s.take(&buf[..n]);
                        s.broken
                    }
                    (None, None) => false,
                };
                if gone {
                    status = crate::run::EXIT_SIGPIPE;
                    break;
                }
            }
            drop(next);
            let mut out = Outcome { status, stdout: String::new(), stderr: err };
            if let Some(s) = &mut sink {
                s.finish();
                out.stdout = String::from_utf8_lossy(&std::mem::take(&mut s.kept)).into_owned();
            }
            (out, sink)
        });
        let task =
            tokio::spawn(async move { task.await.unwrap_or_else(|e| (failed(1, &format!("tee: {e}\n")), None)) });
        self.call_pipes.started = Some(super::pipes::Reading::Tee(task));
        ok("")
    }

    /// `cat FILE…` shown on the terminal in chunks, with cat's messages in place (into the
    /// output with `2>&1`, else returned as standard error).
    fn cat_to_terminal(&mut self, f: &FsRequest<String>, merge: bool) -> Outcome {
        use std::io::Read as _;
        let mut out = super::exec::Sink::new(self, true, false);
        let (mut status, mut err) = (0, String::new());
        let mut buf = vec![0u8; 256 * 1024];
        'files: for p in &f.paths {
            for full in self.expand(p).unwrap_or_default() {
                let mut failure = None;
                match self.root().and_then(|d| d.open(&full)) {
                    Ok(mut file) => loop {
                        match file.read(&mut buf) {
                            Ok(0) => break,
                            Ok(n) => {
                                out.take(&buf[..n]);
                                if out.broken {
                                    status = crate::run::EXIT_SIGPIPE;
                                    break 'files;
                                }
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                            Err(e) => {
                                failure = Some(e);
                                break;
                            }
                        }
                    },
                    Err(e) => failure = Some(e),
                }
                if let Some(e) = failure {
                    status = 1;
                    let line = format!("cat: {}: {}\n", Self::quoted_if_needed(&full), Self::c_words(&e.to_string()));
                    if merge { out.take(line.as_bytes()) } else { err.push_str(&line) }
                }
            }
        }
        out.finish();
        self.keep_shown(&out.seen);
        self.shown_bytes += out.seen_total.saturating_sub(out.seen.len() as u64);
        Outcome { status, stdout: String::new(), stderr: err }
    }

    /// `cat FILE…` into a pipe of the pipeline: each file copied in chunks off the run's
    /// thread, with cat's messages for one that cannot be read; a reader that ended stops it
    /// with SIGPIPE's status.
    async fn cat_into_pipe(&mut self, f: &FsRequest<String>, w: std::io::PipeWriter, merge: bool) -> Outcome {
        let mut w = w;
        let (mut status, mut err) = (0, String::new());
        let message = |e: &std::io::Error, full: &Path| {
            format!("cat: {}: {}\n", Self::quoted_if_needed(full), Self::c_words(&e.to_string()))
        };
        'files: for p in &f.paths {
            for full in self.expand(p).unwrap_or_default() {
                let opened = self.root().and_then(|d| d.open(&full)).map(cap_std::fs::File::into_std);
                let copied = match opened {
                    Ok(file) => {
                        let (back, copied) = super::pipes::copy_file(w, file).await;
                        w = back;
                        copied
                    }
                    Err(e) => Err(e),
                };
                match copied {
                    Ok(c) if c.reader_gone => {
                        status = crate::run::EXIT_SIGPIPE;
                        break 'files;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        status = 1;
                        let msg = message(&e, &full);
                        if merge {
                            // `2>&1`: the message goes into the pipe where it happens.
                            let Ok(dup) = w.try_clone() else { break 'files };
                            if super::pipes::write_all(dup, msg.into_bytes()).await.1.reader_gone {
                                status = crate::run::EXIT_SIGPIPE;
                                break 'files;
                            }
                        } else {
                            err.push_str(&msg);
                        }
                    }
                }
            }
        }
        Outcome { status, stdout: String::new(), stderr: err }
    }

    fn chdir_live(&mut self, path: &str) -> Outcome {
        self.quiet_stderr = false;
        // The new directory, normalised under the root (`d1/..` is the root, as bash's logical
        // `pwd` says).
        let rel = match self.relative(path) {
            Ok(rel) => rel,
            Err(e) => return show(self, &failed(1, &format!("cd: {e}\n")), false),
        };
        if let Ok(full) = self.resolve(path)
            && !full.is_dir()
        {
            let why = if full.exists() { "Not a directory" } else { "No such file or directory" };
            return show(self, &failed(1, &format!("bash: cd: {path}: {why}\n")), false);
        }
        self.cwd = (rel != std::path::Path::new(".")).then(|| rel.to_string_lossy().into_owned());
        ok("")
    }
}

impl HostState {
    /// `ls`: the host's own, in a read jail, on the paths as bash would expand them.
    async fn ls(&mut self, f: &FsRequest<String>, io: &Io) -> Result<Outcome, Error> {
        let mut args = playbook_capability::options::unparse(FsTool::Ls.options(), &f.options, &[])
            .map_err(|e| self.deny_text(&format!("ls: {e}")))?;
        let paths = self.globbed(&f.paths).map_err(|e| self.deny_text(&e))?;
        if paths.iter().any(|p| p.starts_with('-')) {
            args.push("--".into());
        }
        args.extend(paths);
        let jail = super::jail::for_program(playbook_capability::Effect::Read, &self.real_root, "ls", false, false);
        let spawn = super::exec::Spawn {
            label: "ls".into(),
            program: "ls".into(),
            args,
            pass_env: &["LANG", "LANGUAGE", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_TIME", "TZ", "TIME_STYLE"],
            cwd: self.cwd_path(),
            jail: Some(jail),
            ..super::exec::Spawn::default()
        };
        Ok(self.execute(&spawn, io).await)
    }
}

impl Host for HostState {
    async fn call(&mut self, r: Request, io: Io) -> Result<Outcome, Error> {
        let req = match typed(&r) {
            Ok(f) => super::record::request_json(r.grant, &f),
            Err(e) => json!({ "grant": r.grant, "invalid": e }),
        };
        if let Some(done) = self.begin_call("fs", &req, &io) {
            return done;
        }
        let reads = io.stdin_pipe;
        let result = self.fs_live(&r, &io).await;
        self.end_piped(reads, result).await
    }

    async fn chdir(&mut self, grant: u32, path: String) -> Result<Outcome, Error> {
        let io = super::no_io();
        let req = json!({ "grant": grant, "op": "chdir", "paths": [path] });
        if let Some(done) = self.begin_call("fs", &req, &io) {
            // The working directory is the run's own state: replay keeps it as the run had it.
            if matches!(done, Ok(ref o) if o.status == 0) {
                self.cwd = Some(playbook_capability::fs::join_dir(self.cwd.as_deref(), &path));
            }
            return done;
        }
        let result = Ok(self.chdir_live(&path));
        self.end_call(&result);
        result
    }
}

//! Twin directories for differential tests: what playbook prints on standard error besides
//! the commands' own output, bash's line numbers, and the files a run leaves behind.

use std::path::Path;

/// The playbook's own lines on standard error (step headers, the summary) are not the commands'.
pub fn commands_stderr(s: &str) -> String {
    s.lines()
        .filter(|l| {
            !(l.starts_with('▶')
                || l.is_empty()
                || l.contains(" step run")
                || l.contains(" steps run")
                || l.trim_start().starts_with("trace:")
                || l.trim_start().starts_with("failed: ")
                || l.trim_start().starts_with("step "))
        })
        .flat_map(|l| [l, "\n"])
        .collect()
}

/// `bash -c` names the line of its script in its own messages (`bash: line 7: x: No such file
/// or directory`); a runbook's block is not that script, so playbook says `bash: x: …`, as an
/// interactive bash does.
pub fn without_line_numbers(s: &str) -> String {
    s.lines()
        // (`bash -c` names a function's source `environment`: its messages from inside a
        // function read `environment: line 3: …` where others read `bash: …`.)
        .map(|l| {
            match l
                .strip_prefix("bash: line ")
                .or_else(|| l.strip_prefix("environment: line "))
                .and_then(|r| r.split_once(": "))
            {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => format!("bash: {rest}\n"),
                _ => format!("{l}\n"),
            }
        })
        .collect()
}

/// Every file under `dir` with its content.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

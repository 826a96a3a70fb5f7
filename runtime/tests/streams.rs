//! The data plane: output flows between the commands of a pipeline and to the terminal in
//! bounded chunks, a closed output ends commands as it ends them under bash, and a cap that is
//! reached is the command's error, never a quietly shorter stream. Real files, real programs.

mod common;

use std::os::unix::process::ExitStatusExt as _;
use std::process::{Command, Stdio};

use common::{read, runbook, text, workdir, write};

/// `playbook ARGS…` in `dir` with its standard output closed before it writes anything (the
/// reader of `playbook … | head -1` gone); returns the status and standard error.
fn closed_stdout(dir: &std::path::Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn printing_commands_end_quietly_on_a_closed_output() {
    let dir = workdir("streams-epipe-print");
    let rb = runbook(&dir, "rb.md", "# T\n\n## S\n\n```bash\necho hi\n```\n");
    for args in [vec!["manifest", rb.as_str()], vec!["graph", rb.as_str()], vec!["steps", rb.as_str()]] {
        let (status, stderr) = closed_stdout(&dir, &args);
        // As `cat` or `grep` end: by SIGPIPE, with nothing on standard error.
        assert_eq!(status.signal(), Some(13), "{args:?}: {status:?} {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn a_run_on_a_closed_output_goes_on_as_bash_does_then_stops_at_its_own_echo() {
    let dir = workdir("streams-epipe-run");
    let rb = runbook(
        &dir,
        "rb.md",
        "# T\n\n## S\n\n```bash\nseq 1 200000\necho \"seq said $?\" >&2\ntouch after-seq\necho one\ntouch after-echo\n```\n",
    );
    let trace = dir.join("t.jsonl");
    let (status, stderr) = closed_stdout(
        &dir,
        &["run", &rb, "--yes", "--workdir", dir.to_str().unwrap(), "--trace", trace.to_str().unwrap()],
    );
    // bash: `seq` dies of SIGPIPE (141) and the script goes on; the shell's own `echo` to the
    // closed pipe kills the shell, so `after-echo` is never made.
    assert_eq!(status.code(), Some(141), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("seq said 141"), "{stderr}");
    assert!(stderr.contains("stopped by SIGPIPE"), "{stderr}");
    assert!(read(&dir, "after-seq").is_some(), "{stderr}");
    assert!(read(&dir, "after-echo").is_none(), "{stderr}");
    // Recorded: the trace says why the run ended, and it can be resumed (not sealed).
    let v = common::playbook(&dir, &["verify", trace.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(3), "{}", text(&v));
    assert!(text(&v).contains("interrupted by SIGPIPE"), "{}", text(&v));
    let t = std::fs::read_to_string(&trace).unwrap();
    assert!(t.contains("\"status\":141"), "seq's status is in the trace");
    write(&dir, "unused", "");
}

/// The same lines under bash, in `dir` (the oracle).
fn bash(dir: &std::path::Path, script: &str) -> std::process::Output {
    Command::new("bash").args(["-c", script]).current_dir(dir).stdin(Stdio::null()).output().unwrap()
}

/// A log of `lines` lines, some of them errors, written without holding it in memory.
fn big_log(dir: &std::path::Path, name: &str, lines: usize) {
    use std::io::Write as _;
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name)).unwrap());
    for i in 0..lines {
        let level = if i % 7 == 0 { "ERROR" } else { "INFO" };
        writeln!(
            f,
            "2026-12-03T10:{:02}:{:02}Z {level} req={i} served /api/v1/orders in {}ms",
            i / 60 % 60,
            i % 60,
            i % 97
        )
        .unwrap();
    }
}

#[test]
fn outputs_far_past_the_kept_cap_stream_through_pipes_with_bashs_results() {
    let dir = workdir("streams-big");
    // 60 MB: well past the 16 MiB a `$(…)` or a buffer keeps, so a cut would show.
    big_log(&dir, "big.log", 900_000);
    let block = "cat big.log | wc -c\ngrep -c ERROR big.log\ncat big.log | grep ERROR | tail -n 2\n\
                 cat big.log | head -n 3\ncat big.log | grep -v INFO | cut -d' ' -f3 | sort | uniq -c | sort -rn | head -n 2\n\
                 cat big.log | sha256sum\necho \"last: $?\"\n";
    let rb = runbook(&dir, "rb.md", &format!("# Big\n\n## Count\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes", "--trace", dir.join("t.jsonl").to_str().unwrap()]);
    let want = bash(&dir, block);
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // The trace keeps the results, not the 60 MB that flowed: replay works from it.
    let t = std::fs::metadata(dir.join("t.jsonl")).unwrap().len();
    assert!(t < 1 << 20, "the trace holds {t} bytes");
    let replay = common::playbook(&dir, &["replay", dir.join("t.jsonl").to_str().unwrap(), "--playbook", &rb]);
    assert!(text(&replay).contains("replay matches"), "{}", text(&replay));
}

#[test]
fn a_reader_that_ends_early_stops_the_writer_as_sigpipe_does() {
    let dir = workdir("streams-head");
    // Without a pipe that closes, `seq` would write for hours and `yes` for ever.
    let block = "seq 1 100000000000 | head -n 2\nyes | head -n 1\nset -o pipefail\nseq 1 100000000000 | head -n 1\n\
                 echo \"pipefail: $?\"\n";
    let rb = runbook(&dir, "rb.md", &format!("# Head\n\n## Early\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes"]);
    let want = bash(&dir, block);
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
    assert!(common::stdout(&out).contains("pipefail: 141"), "{}", text(&out));
}

#[test]
fn bytes_pass_through_a_pipe_unchanged_and_statuses_are_bashs() {
    let dir = workdir("streams-bytes");
    let blob: Vec<u8> = (0..3_000_000u32).map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[1]).collect();
    std::fs::write(dir.join("blob.bin"), &blob).unwrap();
    let block = "cat blob.bin | sha256sum\ncat blob.bin | wc -c\ncat missing.txt | wc -l\necho \"st=$?\"\n\
                 set -o pipefail\nfalse | wc -l\necho \"pipefail=$?\"\nprintf 'b\\na\\nc\\n' | sort | head -n 2\n\
                 for f in blob.bin missing.txt; do echo \"$f\"; done | sort -r | tr a-z A-Z\n";
    let rb = runbook(&dir, "rb.md", &format!("# Bytes\n\n## Through\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes"]);
    let want = bash(&dir, block);
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cat: missing.txt: No such file or directory"));
}

#[test]
fn a_kept_output_past_its_cap_is_the_commands_error_not_a_shorter_result() {
    let dir = workdir("streams-cap");
    // `$(…)` keeps what it captures in memory: 5,000,000 lines (38 MB) pass its 16 MiB.
    let block = "x=$(seq 1 5000000)\necho \"status $?\"\nset -e\ny=$(seq 1 5000000)\necho not reached\n";
    let rb = runbook(&dir, "rb.md", &format!("# Cap\n\n## Keep\n\n```bash\n{block}```\n"));
    let trace = dir.join("t.jsonl");
    let out = common::run(&dir, &[&rb, "--yes", "--trace", trace.to_str().unwrap()]);
    let all = text(&out);
    assert!(common::stdout(&out).contains("status 1"), "{all}");
    assert!(!common::stdout(&out).contains("not reached"), "{all}");
    assert!(all.contains("16 MiB"), "{all}");
    assert_ne!(out.status.code(), Some(0), "{all}");
    let t = std::fs::read_to_string(&trace).unwrap();
    assert!(t.contains("\"kept-output\""), "the cut is recorded in the trace");
}

/// Removes the test's container when the test ends.
struct Gone(String);

impl Drop for Gone {
    fn drop(&mut self) {
        let _ = common::sh("docker", &["rm", "-f", &self.0]);
    }
}

#[test]
fn container_logs_past_the_cap_count_as_bash_counts_them() {
    if !common::require("a Docker engine", common::sh("docker", &["info", "--format", "{{.ServerVersion}}"]).is_some())
    {
        return;
    }
    let dir = workdir("streams-docker");
    let name = format!("playbook-streams-{}", std::process::id());
    // 1,700,000 lines of 11 bytes: 18.7 MB of log, past the 16 MiB that cut the count before.
    let made = common::sh(
        "docker",
        &[
            "run",
            "--name",
            &name,
            "storycore/advanced-workflows:latest",
            "sh",
            "-c",
            "yes 'ERROR boom' | head -n 1700000",
        ],
    );
    let _gone = Gone(name.clone());
    assert!(made.is_some(), "the container ran");
    let block = format!("docker logs {name} 2>&1 | grep -c ERROR\ndocker logs {name} | tail -n 1\n");
    let rb = runbook(&dir, "rb.md", &format!("# Logs\n\n## Count errors\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes"]);
    let want = bash(&dir, &block);
    assert_eq!(String::from_utf8_lossy(&want.stdout), "1700000\nERROR boom\n");
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
}

#[test]
fn a_program_writing_into_a_file_streams_and_the_files_match_bashs() {
    let dir = workdir("streams-files");
    let twin = workdir("streams-files-bash");
    big_log(&dir, "big.log", 700_000);
    std::fs::copy(dir.join("big.log"), twin.join("big.log")).unwrap();
    // 38 MB from one program, and a pipeline's 47 MB, each past the 16 MiB a buffer keeps.
    let block = "seq 1 5000000 > nums.txt\nseq 1 3 >> nums.txt\nwc -l nums.txt\n\
                 cat big.log | grep INFO > info.log\ncat big.log | grep -c ERROR > count.txt 2>&1\n\
                 cat big.log | grep -v nothing &> all.log\nwc -c info.log all.log count.txt\n\
                 echo x | wc -l > nodir/out.txt\necho \"st=$?\"\n";
    let rb = runbook(&dir, "rb.md", &format!("# Files\n\n## Write\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes"]);
    let want = bash(&twin, block);
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
    assert!(text(&out).contains("nodir/out.txt: No such file or directory"), "{}", text(&out));
    for f in ["nums.txt", "info.log", "count.txt", "all.log"] {
        let (a, b) = (std::fs::read(dir.join(f)).unwrap(), std::fs::read(twin.join(f)).unwrap());
        assert!(a == b, "{f}: {} bytes against bash's {}", a.len(), b.len());
    }
    // Kept in memory, the same file is past the cap: the command fails and says so.
    let rb = runbook(&dir, "kept.md", "# Kept\n\n## Keep\n\n```bash\nx=$(cat big.log)\necho \"kept: $?\"\n```\n");
    let out = common::run(&dir, &[&rb, "--yes"]);
    assert!(common::stdout(&out).contains("kept: 1"), "{}", text(&out));
    assert!(text(&out).contains("16 MiB"), "{}", text(&out));
}

#[test]
fn tee_in_a_pipeline_streams_into_its_files_and_on() {
    let dir = workdir("streams-tee");
    let twin = workdir("streams-tee-bash");
    big_log(&dir, "big.log", 500_000);
    std::fs::copy(dir.join("big.log"), twin.join("big.log")).unwrap();
    let block = "cat big.log | tee copy.log | wc -l\ncat big.log | grep ERROR | tee -a e1.log e2.log | tail -n 1\n\
                 x=$(printf 'a\\nb\\n' | tee small.txt)\necho \"$x\"\necho hi | tee nodir/f.txt\necho \"st=$?\"\n";
    let rb = runbook(&dir, "rb.md", &format!("# Tee\n\n## Tee\n\n```bash\n{block}```\n"));
    let out = common::run(&dir, &[&rb, "--yes"]);
    let want = bash(&twin, block);
    assert_eq!(common::stdout(&out), String::from_utf8_lossy(&want.stdout), "{}", text(&out));
    assert!(text(&out).contains("tee: nodir/f.txt: No such file or directory"), "{}", text(&out));
    for f in ["copy.log", "e1.log", "e2.log", "small.txt"] {
        let (a, b) = (std::fs::read(dir.join(f)).unwrap(), std::fs::read(twin.join(f)).unwrap());
        assert!(a == b, "{f}: {} bytes against bash's {}", a.len(), b.len());
    }
}

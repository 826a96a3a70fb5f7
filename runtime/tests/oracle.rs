//! Bash is the oracle: each case runs under `bash` and under `playbook run --yes` in twin
//! directories holding the same files, and standard output, standard error, every exit status
//! and the files left behind must be the same. The text tools are the host's own, run by
//! playbook in their read jails.

mod common;

use std::path::Path;
use std::process::Command;

use common::twin::{commands_stderr, tree, without_line_numbers};
use common::{run, runbook, text, workdir};

/// The files every case sees.
fn fixtures(dir: &Path) {
    let files: &[(&str, &str)] = &[
        ("data/t.txt", "b 2\na 10\nc 1\nd 3\ne 5\nf 6\n"),
        ("data/c.csv", "x,1\ny,2\n"),
        ("data/tabs.txt", "a\tb\n\tc\n"),
        ("data/j.json", "{\"a\":[1,2],\"b\":\"x\",\"items\":[{\"n\":\"p\",\"v\":1},{\"n\":\"q\",\"v\":2}]}\n"),
        ("data/lines.json", "{\"level\":\"error\",\"msg\":\"disk\"}\n{\"level\":\"info\",\"msg\":\"ok\"}\n"),
        ("logs/app.log", "INFO ok\nERROR bad\nINFO fine\nERROR worse\n"),
        ("logs/db.log", "ERROR one\n"),
        ("logs/old/archive.log", "ERROR archived\n"),
        ("data/dup.txt", "a\na\nb\na\n"),
        ("data/words.txt", "the quick  brown\n\n\nfox   jumps\n"),
    ];
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    // A directory whose times are the same in both twins, for `ls -l`.
    let ls = Command::new("bash")
        .arg("-c")
        .arg("mkdir -p tree/sub && touch tree/a.txt tree/.hidden && echo 12345 > tree/b.log && ln -s a.txt tree/link && touch -h -d '2024-01-02 03:04' tree/* tree/.hidden tree")
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(ls.success());
}

/// Runs `cases` (one command each, its status echoed after it) both ways and compares.
fn same_as_bash(name: &str, cases: &[&str]) {
    let script: String = cases.iter().flat_map(|c| [*c, "\necho \"status=$?\"\n"]).collect();
    same_script_as_bash(name, &script, cases);
}

/// Runs one whole script both ways: outputs, files and the exit status must be the same.
fn same_script_as_bash(name: &str, script: &str, cases: &[&str]) {
    let ours_dir = workdir(&format!("oracle-{name}-ours"));
    let bash_dir = workdir(&format!("oracle-{name}-bash"));
    fixtures(&ours_dir);
    fixtures(&bash_dir);
    let md = runbook(&ours_dir, "case.md", &format!("# Oracle\n\n```bash\n{script}```\n"));
    let check = Command::new(env!("CARGO_BIN_EXE_playbook")).args(["check", &md]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "every case compiles:\n{}", text(&check));
    let ours = run(&ours_dir, &[&md, "--yes", "--trace", "off"]);
    std::fs::remove_file(&md).unwrap();
    let theirs = Command::new("bash").arg("-c").arg(script).current_dir(&bash_dir).output().unwrap();
    let (o_out, b_out) = (String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout));
    if o_out != b_out {
        // Name the first case that differs.
        let o_cases: Vec<&str> = o_out.split_inclusive("status=").collect();
        let b_cases: Vec<&str> = b_out.split_inclusive("status=").collect();
        let at = o_cases.iter().zip(&b_cases).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "stdout differs at case {at} `{}`\n--- playbook:\n{}\n--- bash:\n{}\n--- playbook's stderr:\n{}",
            cases.get(at).unwrap_or(&"?"),
            o_cases.get(at).unwrap_or(&""),
            b_cases.get(at).unwrap_or(&""),
            String::from_utf8_lossy(&ours.stderr)
        );
    }
    assert_eq!(
        commands_stderr(&String::from_utf8_lossy(&ours.stderr)),
        without_line_numbers(&String::from_utf8_lossy(&theirs.stderr)),
        "stderr differs"
    );
    assert_eq!(tree(&ours_dir), tree(&bash_dir), "the files left behind differ");
    assert_eq!(ours.status.code(), theirs.status.code(), "exit status\n{}", text(&ours));
}

#[test]
fn tr_cut_sort_head_tail_wc_as_the_coreutils() {
    same_as_bash(
        "coreutils",
        &[
            "tr a-z A-Z < data/t.txt",
            "head -n 2 -c 3 data/t.txt",
            "head -c 3 -n 2 data/t.txt",
            "head -v -q -n 1 data/t.txt data/c.csv",
            "head -q -v -n 1 data/t.txt data/c.csv",
            "tr -s ' ' < data/words.txt",
            "tr -d '0-9' < data/t.txt",
            "tr -cd 'a-z\\n' < data/t.txt",
            "cut -c1-3 data/t.txt",
            "cut -d, -f2 data/c.csv",
            "cut -d' ' -f1 --complement data/t.txt",
            "sort -k2 -n data/t.txt",
            "sort -k2,2nr data/t.txt",
            "sort -r data/t.txt",
            "sort -u data/dup.txt",
            "tail -n +5 data/t.txt",
            "tail -n 2 data/t.txt",
            "tail -c 4 data/t.txt",
            "head -c 10 data/t.txt",
            "head -n -4 data/t.txt",
            "head -3 data/t.txt",
            "head -n 2 data/t.txt logs/app.log",
            "wc data/t.txt",
            "wc -l data/t.txt logs/app.log",
            "wc -l < data/t.txt",
            "wc -w data/words.txt",
            "wc -L data/words.txt",
            "uniq -c data/dup.txt",
            "uniq -d data/dup.txt",
            "sort data/dup.txt | uniq -c | sort -rn",
            "tac data/t.txt",
            "cat -n data/t.txt",
            "cat -A data/tabs.txt",
            "cat -s data/words.txt",
            "column -t -s, data/c.csv",
        ],
    );
}

#[test]
fn printf_as_bash_prints_it() {
    same_as_bash(
        "printf",
        &[
            "printf '%05d|%-4s|%x\\n' 42 ab 255",
            "printf '%s\\n' a b c",
            "printf '%.2f %o %e\\n' 3.14159 8 1234.5",
            "printf '%3s|%-3s|\\n' a b",
            "printf 'no newline'",
            "printf '%b\\n' 'tab\\there'",
        ],
    );
}

#[test]
fn grep_as_gnu_grep() {
    same_as_bash(
        "grep",
        &[
            "grep -n a data/t.txt",
            "grep -H -h ERROR logs/app.log logs/db.log",
            "grep -h -H ERROR logs/app.log logs/db.log",
            "grep -r --include=app.log --exclude=*.log ERROR logs",
            "grep -r --exclude=*.log --include=app.log ERROR logs",
            "grep -C1 c data/t.txt",
            "grep -A1 -B1 d data/t.txt",
            "grep -e a -e b data/t.txt",
            "grep -c ERROR logs/*.log",
            "grep ERROR logs/*.log",
            "grep -h ERROR logs/*.log",
            "grep -l ERROR logs/*.log",
            "grep -r ERROR logs",
            "grep -rh ERROR logs --include '*.log'",
            "grep -q nothing data/t.txt",
            "grep -c x missing.txt",
            "grep -E 'b|c' data/t.txt",
            "grep -v -i info logs/app.log",
            "grep -o '[0-9]*' data/t.txt",
            "grep -w a data/t.txt",
            "grep 'a\\|b' data/t.txt",
            "grep -m1 ERROR logs/app.log",
            "grep -c ERROR logs/nothing-*.log",
        ],
    );
}

#[test]
fn awk_and_sed_programs_as_the_hosts() {
    same_as_bash(
        "awk-sed",
        &[
            "awk '{s+=$2} END {print s}' data/t.txt",
            "awk '{a[$1]=$2} END {for (k in a) n++; print n}' data/t.txt",
            "awk -F, '{printf \"%s=%d\\n\", $1, $2}' data/c.csv",
            "awk -v x=3 '$2 > x {print $1}' data/t.txt",
            "awk '{gsub(/a/, \"A\"); print}' data/t.txt",
            "awk 'NR==2 {print $0; exit}' data/t.txt",
            "awk '{print NF}' data/words.txt",
            "awk 'length($0) > 3' data/t.txt",
            "sed 'y/abc/ABC/' data/t.txt",
            "sed 's/ /_/2' data/words.txt",
            "sed -n '2,3p' data/t.txt",
            "sed -e 's/a/A/' -e 's/b/B/' data/t.txt",
            "sed -E 's/([a-z]) ([0-9]+)/\\2 \\1/' data/t.txt",
            "sed '/ERROR/d' logs/app.log",
            "sed -n '$p' data/t.txt",
            "sed 's/x/y' data/t.txt",
        ],
    );
}

#[test]
fn jq_as_jq() {
    same_as_bash(
        "jq",
        &[
            "jq -r '.a | @tsv' data/j.json",
            "jq -r '.items[] | [.n, .v] | @csv' data/j.json",
            "jq '.b' data/j.json",
            "jq --indent 1 .a data/j.json",
            "jq --tab .items[0] data/j.json",
            "jq -c --tab .a data/j.json",
            "jq -c '.items | map(.v)' data/j.json",
            "jq -r 'select(.level == \"error\") | .msg' data/lines.json",
            "jq -s 'length' data/lines.json",
            "echo '{' | jq .",
            "jq . missing.json",
            "jq -e '.missing' data/j.json",
            "jq -R . data/t.txt | head -n 2",
            "jq --tab . data/j.json | head -n 3",
            "jq -S . data/j.json | head -n 2",
            "echo '{\"a\":1}' | jq '.a + 1'",
        ],
    );
}

#[test]
fn filters_in_pipelines_keep_bash_s_results() {
    same_as_bash(
        "pipes",
        &[
            "cat data/t.txt | sort | head -n 2",
            "cat logs/app.log | grep ERROR | wc -l",
            "grep ERROR logs/app.log | cut -d' ' -f2 | sort -r",
            "cat data/t.txt | awk '{print $2}' | sort -n | tail -n 1",
            "cat data/c.csv | tr ',' ' ' | column -t",
            "cat data/t.txt | tac | head -n 2",
            "cat data/t.txt | sort -k2 -n | tac",
        ],
    );
}

#[test]
fn ls_as_gnu_ls() {
    same_as_bash(
        "ls",
        &[
            "ls tree",
            "ls -S -t tree",
            "ls -t -S tree",
            "ls -l tree",
            "ls -la tree | tail -n +4",
            "ls -lh tree/*.log",
            "ls -1 tree/*.txt",
            "ls -d tree/*/",
            "ls -A tree",
            "ls -lt tree | head -n 3",
            "ls -F tree",
            "ls -R tree",
            "ls missing",
            "ls tree/nothing-*",
            "ls -l --time-style=+%Y-%m-%d tree",
        ],
    );
}

#[test]
fn streams_subshells_and_lists_as_bash() {
    same_as_bash(
        "shell",
        &[
            "echo x >&2",
            "echo y 1>&2",
            "ls missing 2>&1 | head -n 1",
            "wc -l < missing",
            "cat < data/t.txt | wc -l",
            "( exit 3 )",
            "(echo a; exit 4; echo never)",
            "A=1; ( A=2; echo \"in $A\" ); echo \"out $A\"",
            "(cd data && pwd | sed 's|.*/||'); ls data | head -n 1",
            // The `cd` of a substitution ends with it (in the manifest too).
            "w=$(cd logs && ls app.log); echo \"$w\"; cat data/c.csv",
            "cat logs/$(cd logs && ls db.log)",
            "for i in 1 2; do ( [ $i = 1 ] && exit 0; echo \"i=$i\" ); done",
            "false || echo recovered",
            "true && echo chained",
            "echo one; echo two >&2; echo three",
            "cat missing 2>/dev/null; echo after",
            "grep -c ERROR missing 2>&1",
            "x=$(echo hi); echo \"$x\"",
            "msg=\"a b  c\"; for w in $msg; do echo \"[$w]\"; done",
            "command -v ls",
            "command -v no-such-tool-here",
            "command -v cd",
            "for f in a b; do echo \"$f\"; done > data/out.txt; cat data/out.txt",
            "if true; then echo yes; fi >> data/out.txt; wc -l < data/out.txt",
            "echo \"$HOME\"",
            "echo \"$PATH\" | tr ':' '\\n' | head -n 1",
            "echo $'tab\\there\\x41\\101\\n' | cat -A",
            "printf '%s\\n' \"$SHELL\" \"$LANG\"",
        ],
    );
}

#[test]
fn set_e_and_pipefail_follow_bash_s_rules() {
    let scripts = [
        // A failure outside any condition ends the run with its status.
        "set -e\necho start\ngrep -q nothing data/t.txt\necho not reached\n",
        // Conditions, all but the last of a list, `!` and subshells in a condition are exempt.
        "set -e\nfalse || echo or-ok\nif false; then echo no; fi\nwhile false; do :; done\n! true\nfalse && echo never\n( false; echo inside ) || echo outer\necho reached\n",
        // The last command of a list counts.
        "set -e\ntrue && false\necho not reached\n",
        // A subshell's failure ends the subshell, then the run.
        "set -e\n( echo in; false; echo not-in )\necho not reached\n",
        // pipefail: the rightmost failure; without it the last command's status.
        "set -o pipefail\nfalse | true\necho \"pf=$?\"\ntrue | grep -c nothing data/t.txt | cat\necho \"pf=$?\"\nset +o pipefail\nfalse | true\necho \"no-pf=$?\"\n",
        "set -eo pipefail\ncat data/t.txt | grep -q zzz | sort\necho not reached\n",
        "set -e\nset +e\nfalse\necho \"off=$?\"\n",
        // A loop, an `if` or a group whose last list failed where set -e is exempt goes on.
        "set -e\nfor i in 1 2; do false && true; done\necho \"loop=$?\"\nif true; then false && true; fi\necho \"if=$?\"\n{ false && true; }\necho \"group=$?\"\n",
        // ... but a failure inside them still ends the run.
        "set -e\nfor i in 1 2; do echo \"i=$i\"; false; done\necho not reached\n",
        // A command substitution: set -e is off inside it; the assignment's status is its.
        "set -e\nx=$(false; echo hi)\necho \"$x\"\nif out=$(grep -c ERROR logs/app.log); then echo \"found $out\"; fi\nif out=$(grep -c zzz logs/app.log); then echo yes; else echo \"none $out\"; fi\ny=$(false)\necho not reached\n",
        // `set` inside a subshell stays there.
        "( set -e )\nfalse\necho \"after=$?\"\n( set -o pipefail; false | true; echo \"in=$?\" )\nfalse | true\necho \"out=$?\"\n",
        // A `case` arm is checked inside; a failed arm's last exempt list goes on.
        "set -e\ncase x in x) false && true ;; esac\necho \"case=$?\"\ncase x in x) echo arm; false; echo no ;; esac\necho not reached\n",
        // Each command of a pipeline is a subshell.
        "set -e\n{ echo one; false; echo two; } | cat\necho \"piped=$?\"\nx=1\nx=2 | cat\necho \"x=$x\"\nexit 3 | cat\necho still\n",
        // A substitution's variables, directory and exit stay inside it.
        "v=out\nw=$(v=in; cd logs; pwd; exit 4)\necho \"$? $v\"\necho \"$w\" | sed 's|.*/||'\nls -d logs data\n",
    ];
    for (i, script) in scripts.iter().enumerate() {
        same_script_as_bash(&format!("set-e-{i}"), script, &[script]);
    }
    // `-u` stops at an unset variable, with bash's message and status (127, or 1 under `-e`);
    // a default, `$@` and an empty value do not count.
    let script = "set -u\nunset gone\nempty=\necho \"[${gone:-d}] [$empty]\"\nf() { echo \"[$*] $#\"; }\nf\n( echo \"$gone\" ); echo \"sub=$?\"\necho \"$gone\" | cat; echo \"pipe=$?\"\necho \"$gone\"\necho not reached\n";
    same_script_as_bash("set-u", script, &[script]);
    let script = "set -euo pipefail\nunset gone\necho start\necho \"${gone}\"\necho not reached\n";
    same_script_as_bash("set-eu", script, &[script]);
    // `-x` is refused, not ignored.
    let dir = workdir("oracle-set-u");
    for cmd in ["set -x", "set -o xtrace"] {
        let md = runbook(&dir, "u.md", &format!("# U\n\n```bash\n{cmd}\necho x\n```\n"));
        let o = Command::new(env!("CARGO_BIN_EXE_playbook")).args(["check", &md]).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "`{cmd}`: {}", text(&o));
        assert!(text(&o).contains("is not supported"), "`{cmd}`: {}", text(&o));
    }
}

#[test]
fn case_matches_as_bash_does() {
    let script = "for v in web-1 db.prod \"a b\" x '*' '' é \"[x]\" 'a\\b' 10.0.0.7 -h --help; do\n  case \"$v\" in\n    web-*|api-*) echo \"$v: frontend\" ;;\n    db.prod) echo \"$v: database\" ;;\n    \"a b\") echo \"$v: quoted space\" ;;\n    ?) echo \"$v: one char\" ;;\n    '*') echo \"star literal\" ;;\n    \"\") echo \"empty\" ;;\n    \\[*\\]) echo \"$v: brackets\" ;;\n    *\\\\*) echo \"$v: backslash\" ;;\n    [0-9]*.[0-9]*) echo \"$v: address\" ;;\n    -h|--help) echo \"$v: usage\" ;;\n  esac\ndone\npat='d*'\ncase dog in $pat) echo glob-from-var ;; esac\ncase dog in \"$pat\") echo never ;; *) echo \"quoted var is literal\" ;; esac\ncase abc in [!a]*) echo no ;; [a-c][^x]?) echo \"brackets ok\" ;; esac\ncase x in y) echo no ;; esac; echo \"status=$?\"\ncase x in x) false ;; esac; echo \"status=$?\"\ncase x in x) ;; esac; echo \"status=$?\"\n";
    same_script_as_bash("case", script, &[script]);
}

#[test]
fn parameter_expansions_as_bash() {
    let script = "p=/var/log/nginx/access.log.1\necho \"${p##*/}|${p%/*}|${p%.*}|${p%%.*}|${p#/}|${p#*/}|${#p}\"\nimg=registry.local:5000/team/app:v1.2.3\necho \"${img##*:}|${img%:*}|${img#*/}|${img%%/*}\"\nv=abc; e=\necho \"[${v/*/x}][${v//b/}][${v/#a/X}][${v/%c/X}][${v/%/X}][${v/#/X}][${v//}][${v/b}][${e/*/x}][${e//*/x}]\"\ns=\"a-b-c d\"; echo \"${s//-/_}\" \"${s/-/+}\" ${s// /}\nu=héllo; echo \"${#u} ${#e} ${u#?} ${u%l*}\"\nn=\"web-1 web-2\"; echo \"${n//web/api}\"\npre=web-; echo \"${n#\"$pre\"}\" \"${n#$pre}\"\nstar='*'; t='a*b'; echo \"${t/\"$star\"/S}\" \"${t/$star/S}\"\nf=\"report 2024.csv\"; echo \"${f%.csv}.json\"\nline='key = value'; echo \"${line%% =*}\" \"${line#*= }\"\necho \"${p//[aeiou]/}\" \"${p//[!a-z]/_}\"\nh=$HOME; echo \"${h#\"$HOME\"}|${#HOME}\" | tr -d 0-9\n";
    same_script_as_bash("expansions", script, &[script]);
}

#[test]
fn double_bracket_tests_as_bash() {
    let script = "svc=web-frontend; empty=; f=\"logs/app.log\"\nmkdir -p logs; echo hi > logs/app.log; : > logs/empty.log\n[[ $svc == web-* ]] && echo \"web service\"\n[[ $svc != db* ]] && echo \"not db\"\n[[ $svc == \"web-*\" ]] || echo \"quoted pattern is literal\"\n[[ -z $empty && -n $svc ]] && echo \"empty and set\"\n[[ -f $f ]] && echo \"file exists\"\n[[ -s logs/empty.log ]] || echo \"empty file\"\n[[ -d logs && ! -e nope ]] && echo \"dir, no nope\"\n[[ ( $svc == api* || $svc == web* ) && -f $f ]] && echo grouped\n[[ ! $svc == *end ]] && echo \"not ending\"\n[[ $svc = web-frontend ]]; echo \"eq=$?\"\n[[ $svc == x ]]; echo \"ne=$?\"\npat='*-frontend'; [[ $svc == $pat ]] && echo \"var pattern\"; [[ $svc == \"$pat\" ]] || echo \"quoted var literal\"\nwords=\"a b\"; [[ $words == \"a b\" ]] && echo \"no split\"\nif [[ -f nope.txt ]]; then echo no; else echo \"no nope.txt\"; fi\nset -e\n[[ -n $svc ]]\n[[ -z $svc && -n $svc ]] || true\necho before\n[[ -f nope.txt ]]\necho not reached\n";
    same_script_as_bash("double-bracket", script, &[script]);
}

/// A variable assigned once to a literal names its path literally in the manifest, so the
/// commands that use it are granted exactly that path.
#[test]
fn paths_in_constant_variables_are_granted() {
    let script = "LOG=logs/app.log\nOLD=\"logs/old\"\ngrep -c ERROR \"$LOG\"\ncat $LOG | wc -l\nls $OLD\n[ -d \"$OLD\" ] && echo dir\nhead -n 1 \"$OLD/archive.log\"\nOUT=report.txt\ngrep ERROR $LOG > \"$OUT\"\nwc -l < $OUT\n";
    same_script_as_bash("constants", script, &[script]);
}

#[test]
fn a_filter_that_would_write_or_run_is_refused_when_compiling() {
    let dir = workdir("oracle-refused");
    for (cmd, says) in [
        ("awk '{ print > \"out.txt\" }' data/t.txt", "writes a file"),
        ("awk '{ system(\"rm -rf x\") }' data/t.txt", "runs a command"),
        ("awk 'BEGIN { \"date\" | getline d; print d }'", "getline"),
        ("sed 'w copy.txt' data/t.txt", "writes a file"),
        ("sed 's/a/b/e' data/t.txt", "runs a command"),
        ("sed '1r /etc/passwd' data/t.txt", "reads a file"),
        ("uniq data/dup.txt out.txt", "writes the second"),
        ("grep -r ERROR", "without a path"),
        ("sort -o sorted.txt data/t.txt", "-o"),
        ("awk \"$PROG\" data/t.txt", "computed when the runbook runs"),
        ("awk '/\"/ { system(\"id\") } /\"/' data/t.txt", "runs a command"),
        ("awk 'BEGIN { ARGV[1] = \"/etc/passwd\"; ARGC = 2 } { print }' data/t.txt", "ARGV"),
        ("awk '{ getline a[\"k\"] < \"/etc/hostname\" }' data/t.txt", "getline"),
        ("jq 'import \"m\" as m; .' data/j.json", "loads modules"),
        ("jq 'include \"m\"; .' data/j.json", "loads modules"),
        ("jq --indent=2 . data/j.json", "after `=`"),
        ("grep -R ERROR logs", "-R follows symbolic links"),
        ("for i in 1 2; do ( break ); done", "inside `( … )`"),
        ("case x in x) echo a ;& y) echo b ;; esac", "`;&` and `;;&`"),
        ("case x in [[:alpha:]]) echo a ;; esac", "character class"),
        ("[[ abc =~ ^a ]] && echo y", "`=~`"),
        ("[[ $n -gt 3 ]] && echo y", "numeric comparison"),
        ("[[ a < b ]] && echo y", "sort by the locale"),
        ("v=abc; echo \"${v/b/<&>}\"", "`&` in a replacement"),
        ("v=abc; echo \"${v#$(echo a)}\"", "a substitution inside"),
        // Shell forms whose input or expansion is not carried out yet: refused, never run wrong.
        ("for f in */app.log; do echo \"$f\"; done", "the glob `*/app.log`"),
        ("while read -r l; do cat; done < data/c.csv", "reads the loop's input"),
        ("cat data/c.csv | while read -r l; do ssh \"$l\" uptime; done", "reads the loop's input"),
        ("while read -r l; do x=$(tee copy.txt); done < data/c.csv", "reads the loop's input"),
        ("while read -r l; do echo \"$l\"; done", "on the terminal"),
        ("read -p 'name? ' n <<< x", "`read -p`"),
        ("IFS=,; echo a,b", "assigning `IFS`"),
        ("IFS=\"$SEP\" read -r a b <<< x", "assigning `IFS`"),
        ("echo $(( $1 + 1 ))", "this expansion inside arithmetic"),
        ("echo $(( a[1] + 1 ))", "array element"),
        ("echo $(( \"1\" + 1 ))", "quotes"),
        ("echo $(( 08 + 1 ))", "this arithmetic expression"),
        ("for ((i = 0; i < 2; i++)); do continue; done", "`continue` in a `for ((…))`"),
        ("d=logs; chmod 644 $d/*.log", "the glob"),
    ] {
        let md = runbook(&dir, "r.md", &format!("# R\n\n```bash\n{cmd}\n```\n"));
        let o = Command::new(env!("CARGO_BIN_EXE_playbook")).args(["check", &md]).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "`{cmd}` must not compile: {}", text(&o));
        assert!(text(&o).contains(says), "`{cmd}`: {}", text(&o));
    }
    // And a script computed at run time cannot bring `w` back: sed runs sandboxed.
    let md = runbook(&dir, "s.md", "# S\n\n```bash\nCMD='w stolen.txt'\nsed \"$CMD\" data/t.txt\n```\n");
    fixtures(&dir);
    let o = run(&dir, &[&md, "--yes", "--trace", "off"]);
    assert!(text(&o).contains("disabled in sandbox mode"), "{}", text(&o));
    assert!(!dir.join("stolen.txt").exists());
}

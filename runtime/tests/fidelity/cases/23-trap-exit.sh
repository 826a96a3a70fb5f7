# `trap … EXIT`: cleanup commands run when the shell ends (its last command, `exit`, `set -e`, `set -u`), with `$?`, keeping the status unless they `exit`.
## trap-cleanup-tmp
tmp=tmp/work.txt
trap 'rm -f "$tmp"; echo "cleaned up"' EXIT
echo data > "$tmp"
cat "$tmp"
## trap-runs-after-exit
trap 'echo "exiting with $?"' EXIT
echo start
exit 3
echo never
## trap-set-e-failure
set -e
trap 'echo "cleanup after failure: $?"' EXIT
echo start
false
echo never
## trap-status-kept
trap 'false' EXIT
echo done
## trap-exit-in-trap
trap 'echo bye; exit 7' EXIT
true
## trap-last-wins
trap 'echo first' EXIT
trap 'echo second' EXIT
echo body
## trap-removed
trap 'echo never' EXIT
trap - EXIT
echo body
## trap-ignored-empty
trap '' EXIT
echo body
## trap-function
cleanup() { echo "cleanup: removing $1"; rm -f tmp/lock; }
touch tmp/lock
trap 'cleanup tmp/lock' EXIT
ls tmp
## trap-in-if
if true; then trap 'echo conditional trap' EXIT; fi
echo body
## trap-nounset
set -u
unset missing
trap 'echo "trap sees $?"' EXIT
echo "$missing"
## trap-last-status
trap 'echo "status was $?"' EXIT
grep -q NOPE logs/app.log
## trap-signal-refused
trap 'echo int' INT TERM
echo body
## trap-subshell-refused
( trap 'echo inner' EXIT; echo in )
echo out
## trap-zero-signal
trap 'echo zero' 0
echo body

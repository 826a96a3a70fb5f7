# `set -u` (`-o nounset`): an unset variable stops the shell with bash's message and status 127, a subshell or pipeline element with 1; defaults and `$@` are exempt.
## nounset-stops
set -u
unset MISSING_VAR
echo "start"
echo "$MISSING_VAR"
echo "never"
## nounset-euo-pipefail
set -euo pipefail
unset target
svc=web
echo "restarting $svc"
echo "target: $target"
echo "never"
## nounset-default-exempt
set -u
echo "${REGION:-us-east-1} done"
## nounset-default-forms
set -u
echo "[${x:-a}] [${y:-}]"
echo after
## nounset-empty-is-set
set -u
x=
echo "[$x]"
y=""
echo "[${#y}]"
## nounset-unset-builtin
set -u
x=1
unset x
echo "${x:-gone}"
echo "$x"
echo never
## nounset-subshell
set -u
unset nope
( echo "$nope" )
echo "after $?"
## nounset-substitution
set -u
unset nope
v=$(echo "$nope")
echo "after [$v] $?"
## nounset-pipeline-element
set -u
unset nope
echo "$nope" | cat
echo "after $?"
## nounset-or-does-not-catch
set -u
unset nope
echo "$nope" || echo alt
echo never
## nounset-in-function
set -u
f() { echo "arg: $1"; }
f one
f
echo never
## nounset-positional-all-exempt
set -u
f() { echo "n=$# all=[$*]"; for a in "$@"; do echo "$a"; done; }
f
f a b
## nounset-arith
set -u
unset m
n=2
echo $(( n + 1 ))
echo $(( m + 1 ))
echo never
## nounset-off-again
set -u
unset nope
set +u
echo "[$nope]"
## nounset-long-option
set -o nounset
unset nope
echo "$nope"
## nounset-for-loop-var
set -u
for i in a b; do echo "$i"; done
echo "$i"
## nounset-read-sets
set -u
read -r a b <<< "one"
echo "[$a] [$b]"
## nounset-loop-body
set -u
unset later
for i in 1 2; do echo "$i $later"; done
## nounset-inputs-from-env
set -u
echo "$HOME" | grep -c /
## nounset-case-word
set -u
unset mode
case "$mode" in *) echo any ;; esac
## nounset-test-operand
set -u
unset flag
if [ -n "$flag" ]; then echo y; fi
echo never
## nounset-heredoc-refused
set -u
unset nope
cat <<EOF
value: $nope
EOF
echo after
## nounset-stderr-null
set -u
unset nope
echo "$nope" 2>/dev/null
echo never
## nounset-local-unset
set -u
f() { local x; echo "in"; echo "[$x]"; }
f
echo never
## nounset-arith-increment
set -u
unset c
(( c++ ))
echo never
## nounset-errexit-status
set -eu
unset t
( echo "$t" )
echo never
## nounset-empty-substitution-is-set
set -u
v=$(true)
echo "[$v]"
w="$v$v"
echo "[$w]"

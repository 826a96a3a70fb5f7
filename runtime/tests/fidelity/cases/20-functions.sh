# Functions: definitions, calls with arguments, `$1 $# "$@" "$*"`, `local`, `return`, `shift`, `set --`, and where they stop.
## fn-basic-args
greet() {
  echo "hello $1, you are $2"
}
greet alice admin
greet bob
## fn-count-and-all
show() { echo "$# args: $*"; for a in "$@"; do echo "[$a]"; done; }
show one "two words" three
show
show ""
## fn-quoted-all-to-program
count() { printf '%s\n' "$@" | wc -l; }
count a "b c" d
## fn-unquoted-all-splits
f() { for w in $@; do echo "<$w>"; done; }
f "a b" c
## fn-return-status
is_up() { [ "$1" = web ] && return 0; return 3; }
is_up web; echo "web: $?"
is_up db; echo "db: $?"
## fn-return-default-status
check() { grep -q ERROR logs/app.log; return; }
check; echo "status $?"
## fn-return-in-loop
first_error() {
  while read -r line; do
    case "$line" in *ERROR*) echo "first: $line"; return 0 ;; esac
  done < logs/app.log
  return 1
}
first_error || echo none
## fn-local-restores
name=global
f() { local name="inner $1"; echo "in: $name"; }
f x
echo "out: $name"
## fn-local-empty
v=5
f() { local v; echo "[$v]"; v=7; echo "[$v]"; }
f
echo "$v"
## fn-local-before-assign
x=1
f() { x=2; local x=3; echo "$x"; }
f
echo "$x"
## fn-global-assign
counter=0
bump() { counter=$((counter + 1)); }
bump; bump; bump
echo "counter=$counter"
## fn-shift
args() { echo "first=$1"; shift; echo "rest=$*"; shift 5; echo "shift5=$? count=$#"; }
args a b c
## fn-shift-loop
each() { while [ $# -gt 0 ]; do echo "item: $1"; shift; done; }
each web api "db primary"
## fn-set-dash-dash
set -- alpha beta
echo "$# $1 $2"
set --
echo "now $#"
## fn-nested-call
inner() { echo "inner got $1"; }
outer() { echo "outer got $1"; inner "$1-x"; echo "outer still $1"; }
outer one
## fn-call-before-definition-of-callee
a() { b "$@"; }
b() { echo "b: $*"; }
a 1 2
## fn-redirect-call
report() { echo "report for $1"; echo "done"; }
report prod > tmp/report.txt
cat tmp/report.txt
## fn-in-pipeline
list() { echo c; echo a; echo b; }
list | sort
## fn-pipeline-stdin-refused
upper() { tr a-z A-Z; }
echo hi | upper
## fn-set-e-inside
set -e
f() { echo start; false; echo never; }
f
echo after
## fn-set-e-return-status
set -e
f() { return 2; }
f
echo after
## fn-set-e-condition
set -e
f() { false; echo "goes on in a condition"; }
if f; then echo yes; fi
echo end
## fn-and-list-last
set -e
f() { false && true; }
f
echo after
## fn-exit-inside
f() { echo bye; exit 4; echo no; }
f
echo never
## fn-subshell-body
f() ( cd logs && pwd | sed 's|.*/||' )
f
pwd | sed 's|.*/||' | grep -v logs >/dev/null && echo "back"
## fn-with-defaults
deploy() { local env=${1:-staging} tag=${2:-latest}; echo "deploy $tag to $env"; }
deploy
deploy prod v1.2
## fn-param-ops
f() { echo "${1%.log} ${#1} ${1^^}"; }
f app.log
## fn-ten-args
f() { echo "$1 $9 ${10} $#"; }
f a b c d e g h i j k
## fn-keyword-form
function banner {
  echo "== $1 =="
}
banner Status
## fn-arith-local
sum() { local total=0 n; for n in "$@"; do total=$((total + n)); done; echo "$total"; }
sum 1 2 3 4
echo "[${total}]"
## fn-arith-error
f() { echo "$((10 / $1))"; echo in; }
f 0
echo next
## fn-output-captured
get_tag() { echo "v1.4.2"; }
tag=$(get_tag)
echo "tag is $tag"
## fn-status-of-call-in-if
healthy() { grep -q "status=200" logs/app.log; }
if healthy; then echo ok; else echo bad; fi
## fn-recursion-refused
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
fact 5
## fn-break-out-refused
stop() { break; }
for i in 1 2 3; do echo $i; stop; done
## fn-return-in-subshell-refused
f() { ( return 3 ); echo "after $?"; }
f
## fn-local-outside-refused
local x=1
echo $x
## fn-defined-in-if-refused
if true; then f() { echo x; }; fi
f
## fn-dollar-at-joined-refused
f() { echo "args:$@"; }
f a b
## fn-redefined
f() { echo one; }
f
f() { echo two; }
f
## fn-loop-calls
restart() { echo "restarting $1"; }
for svc in web api; do restart "$svc"; done
## fn-read-in-loop
parse() { read -r k v; echo "$k=$v"; }
printf 'a 1\nb 2\n' | while read -r line; do echo "$line" | parse; done
## fn-return-value-large
f() { return 300; }
f; echo $?
## fn-positional-top-level-empty
echo "[$1]"
## fn-pass-through-args
log() { echo "[$(date +%Y)] $*" | sed 's/^\[[0-9]*\] //'; }
run() { log "running: $*"; "$@"; }
run echo hello world
run grep -c ERROR logs/app.log
## fn-nested-locals
a() { local v=a; b; echo "a sees $v"; }
b() { local v=b; echo "b sees $v"; }
v=top
a
echo "top sees $v"
## fn-in-and-or-chain
ok() { return 0; }
no() { return 1; }
ok && echo "ok passed"
no || echo "no failed"
no && echo never
echo "status $?"
## fn-output-into-while
pods() { printf 'web-1 Running\nweb-2 CrashLoopBackOff\ndb-0 Running\n'; }
pods | while read -r name state; do [ "$state" = Running ] || echo "bad: $name"; done
## fn-heredoc-inside
render() {
  cat <<EOT
host=$1
port=${2:-8080}
EOT
}
render api.internal > tmp/app.conf
cat tmp/app.conf
## fn-cd-inside
go_logs() { cd logs; }
go_logs
pwd | sed 's|.*/||'
ls | head -2
## fn-unquoted-arg-splits
f() { for w in $1; do echo "<$w>"; done; }
v="a b  c"
f "$v"
f "x y"
## fn-called-before-defined
later
later() { echo defined; }
later
## fn-dynamic-args
f() { echo "$# first=$1 last=${3:-none}"; }
for n in 1 2; do f "$n" "n$n"; done
x="p q"
f $x r
## fn-status-last-command
f() { grep -q NOPE logs/app.log; }
f
echo "status $?"
## fn-errexit-off-in-and
set -e
f() { false; echo "still in f"; }
f && echo "f ok"
echo end
## fn-local-arith
f() { local i; for ((i = 0; i < 3; i++)); do echo "i=$i"; done; }
i=9
f
echo "after i=$i"
## fn-count-in-arith
f() { echo $(( $# * 10 )) $(( $1 + ${2:-0} )); }
f 4 5
f 7
## fn-shift-dynamic
f() { local first=$1; shift; echo "first=$first rest=$* n=$#"; }
f a b c
v="x y"
f $v z
## fn-set-in-function
f() { set -- one two; echo "$# $2"; }
g() { f x; echo "g still has $# $1"; }
g a b c
## fn-read-pipe-into-function
f() { read -r x; echo "got $x"; }
echo hello | f
## fn-exit-in-subshell-call
f() { echo "in f"; exit 2; }
( f ); echo "sub $?"
## fn-printf-all-args-empty
f() { printf '%s,' "$@"; echo; }
f
f ""
## fn-return-variable
count=0
f() { count=$((count+1)); return $count; }
f; echo "$? $count"; f; echo "$? $count"
## fn-for-without-in
f() { for a; do echo "<$a>"; done; }
f p q
## fn-set-e-or-caught
set -e
f() { false; }
f || echo "caught"
echo end
## fn-return-computed-values
f() { return "$1"; }
f 3; echo $?
f abc; echo $?
f 257; echo $?
## fn-for-without-in-dynamic
f() { for a; do echo "[$a]"; done; }
v="m n"
f $v "o p"

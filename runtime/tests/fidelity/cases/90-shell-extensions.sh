# Shell constructs playbook may refuse: case, arithmetic, [[ ]], functions, parameter operators, arrays, read loops, trap.
## ext-case-phase
phase=$(jq -r '.items[] | select(.metadata.name == "cache-warm-29501240-vwxyz") | .status.phase' data/pods.json)
case "$phase" in
  Running) echo "ok" ;;
  Pending) echo "waiting for scheduling" ;;
  *) echo "unexpected: $phase" ;;
esac
## ext-case-patterns
for f in app.log nginx.conf pods.json notes.txt; do
  case $f in
    *.log) echo "$f: log" ;;
    *.json|*.yaml) echo "$f: structured" ;;
    *) echo "$f: other" ;;
  esac
done
## ext-arith-sum
e=$(grep -c ERROR logs/app.log)
w=$(grep -c WARN logs/app.log)
echo "problems: $((e + w))"
## ext-arith-percent
total=$(wc -l < logs/nginx/access.log)
bad=$(grep -cE '" 5[0-9]{2} ' logs/nginx/access.log)
echo "5xx: $((bad * 100 / total))%"
## ext-arith-counter-loop
i=0
while [ $i -lt 3 ]; do
  echo "attempt $i"
  i=$((i + 1))
done
## ext-arith-let
let n=6*7
echo $n
## ext-arith-compound
n=5
(( n += 10 ))
echo "n=$n"
(( n > 10 )) && echo "big"
## ext-double-bracket-pattern
img=$(jq -r '.items[3].spec.containers[0].image' data/pods.json)
if [[ $img == *-rc* ]]; then echo "release candidate in prod: $img"; fi
## ext-double-bracket-regex
line=$(grep -m 1 'slow query' logs/app.log)
if [[ $line =~ ([0-9]+)ms ]]; then echo "slow: ${BASH_REMATCH[1]}ms"; fi
## ext-double-bracket-and
[[ -f config/app.env && -s config/app.env ]] && echo "env ok"
## ext-function-basic
check() {
  if grep -q "^$1," data/services.csv; then echo "$1: known"; else echo "$1: unknown"; fi
}
check orders
check billing
## ext-function-return
is_healthy() {
  grep -q "^$1,.*,healthy\$" data/services.csv
}
is_healthy search && echo "search healthy"
is_healthy payments || echo "payments not healthy"
## ext-function-keyword
function banner { echo "=== $1 ==="; }
banner "payments incident"
## ext-function-local
f() { local x=inner; echo "$x"; }
x=outer
f
echo "$x"
## ext-strip-suffix
f=app-2024-03-11.log
echo "${f%.log}"
echo "${f%%-*}"
## ext-strip-prefix
p=/var/lib/postgresql/data
echo "${p#/var/}"
echo "${p##*/}"
## ext-string-length
name=payments-6b7c8d9e0-fghij
echo "${#name}"
## ext-substring
pod=orders-5c6d7e8f9-abcde
echo "${pod:0:6}"
## ext-replace
v=db-primary.internal
echo "${v/primary/replica}"
echo "${v//./_}"
## ext-case-modification
s=warning
echo "${s^^}"
echo "${s^}"
## ext-array-basic
svcs=(orders payments search)
echo "${svcs[1]}"
echo "${#svcs[@]}"
## ext-array-loop
hosts=(web-01 web-02 db-01)
for h in "${hosts[@]}"; do echo "ping $h"; done
## ext-array-append
list=()
list+=(a)
list+=(b)
echo "${list[@]}"
## ext-assoc-array
declare -A port
port[orders]=8081
port[payments]=8082
echo "${port[payments]}"
## ext-read-loop-file
while read -r name team port rest; do
  echo "$name on $port"
done < <(tr ',' ' ' < data/services.csv | sed 1d | head -n 3)
## ext-while-read-redirect
while read -r line; do
  echo "> $line"
done < notes/todo.txt
## ext-while-read-ifs
while IFS=, read -r name team port replicas tier status; do
  [ "$status" = down ] && echo "DOWN: $name ($team)"
done < data/services.csv
## ext-pipe-into-while
grep ERROR logs/app.log | head -n 3 | while read -r ts level comp rest; do
  echo "$comp $level"
done
## ext-read-herestring
read -r a b <<< "orders 8081"
echo "$b"
## ext-trap-exit
trap 'echo cleanup' EXIT
echo working
## ext-trap-err
trap 'echo "failed at step" >&2' ERR
false
echo after
## ext-process-substitution
diff <(cut -d, -f1 data/reports/2024-03-11.csv) <(cut -d, -f1 data/reports/2024-03-12.csv) && echo "same services"
## ext-brace-expansion
echo web-0{1..3}
## ext-brace-list
echo config/{app.env,nginx.conf}
## ext-set-u
set -u
echo "${UNDEFINED_VARIABLE_X}"
echo never
## ext-set-x
set -x
echo traced
## ext-select-printf-v
printf -v msg '%s=%s' key value
echo "$msg"
## ext-indirect-expansion
ref=HOME
v=APP
APP=orders
echo "${!v}"
## ext-eval
cmd="grep -c ERROR logs/app.log"
eval "$cmd"
## ext-source-env
. config/app.env
echo "$DB_HOST:$DB_PORT"
## ext-shift-positional
set -- orders payments search
shift
echo "$1 $#"
## ext-arith-for
for ((i = 1; i <= 3; i++)); do echo "retry $i"; done
## ext-seq
for i in $(seq 1 3); do echo "node-$i"; done
## ext-getopts-like
set -- -n 5
echo "$1 $2"
## ext-coproc-free-wait
grep -c ERROR logs/app.log &
wait
## ext-mapfile
mapfile -t lines < notes/todo.txt
echo "${#lines[@]} ${lines[0]}"
## ext-nameref-printf-date-free
declare -i n=4
n=n*2
echo $n

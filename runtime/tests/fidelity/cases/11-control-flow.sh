# if/elif/else, for over literal lists and $(...) output, while with a false condition, && || ! { } ( ).
## if-elif-else-error-count
n=$(grep -c ERROR logs/app.log)
if [ "$n" -gt 50 ]; then
  echo "SEV1: $n errors"
elif [ "$n" -gt 10 ]; then
  echo "SEV2: $n errors"
else
  echo "ok"
fi
## if-grep-condition
if grep -q 'state=failed' logs/worker.log; then
  echo "failed jobs:"
  grep -c 'state=failed' logs/worker.log
else
  echo "no failed jobs"
fi
## if-not-condition
if ! grep -q OOMKilled logs/app.log; then echo "no OOM in app log"; fi
## if-else-missing-file
if [ -f config/prod.env ]; then
  cat config/prod.env
else
  echo "config/prod.env missing, using app.env" >&2
  grep -c = config/app.env
fi
## for-literal-services
for svc in orders payments search; do
  printf '%-10s ' "$svc"
  grep -c "$svc" logs/nginx/access.log
done
## for-command-output
for ns in $(jq -r '.items[].metadata.namespace' data/pods.json | sort -u); do
  echo "namespace $ns"
done
## for-files-literal
for f in logs/app.log logs/worker.log logs/empty.log; do
  echo "$f: $(wc -l < "$f") lines"
done
## for-nested
for level in ERROR WARN; do
  for comp in api db; do
    echo "$level $comp $(grep "$level" logs/app.log | grep -c "\[$comp\]")"
  done
done
## for-with-break
for code in 200 404 500 502; do
  if grep -q "\" $code " logs/nginx/access.log; then echo "first seen: $code"; break; fi
done
## for-with-continue
for svc in api-gateway orders payments search; do
  st=$(grep "^$svc," data/services.csv | cut -d, -f6)
  [ "$st" = healthy ] && continue
  echo "$svc is $st"
done
## while-false-never-runs
while false; do
  echo "never"
done
echo "after loop rc=$?"
## until-true-never-runs
until true; do echo never; done
echo done
## and-or-chain
grep -q payments data/services.csv && echo "payments listed" || echo "payments missing"
grep -q billing data/services.csv && echo "billing listed" || echo "billing missing"
## or-fallback-missing
cat config/prod.env 2>/dev/null || echo "no prod.env"
## and-short-circuit
false && echo "not printed"
echo "rc=$?"
## or-short-circuit
true || echo "not printed"
echo "rc=$?"
## bang-status
! true
echo "rc=$?"
! false
echo "rc=$?"
## group-redirect
{ echo "# errors"; grep -c ERROR logs/app.log; echo "# warnings"; grep -c WARN logs/app.log; } > summary.txt
cat summary.txt
## group-status
{ false; true; }
echo "rc=$?"
## subshell-cd-isolated
(cd logs && ls)
ls -d logs
## subshell-exit-status
(exit 3)
echo "rc=$?"
## subshell-variable-isolated
v=outer
(v=inner; echo "in: $v")
echo "out: $v"
## if-exit-status-of-if
if false; then echo x; fi
echo "rc=$?"
## exit-from-script
echo "checking"
grep -q payments data/services.csv || exit 1
echo "payments present"
exit 7
echo "never"
## exit-in-if
if ! [ -f config/prod.env ]; then
  echo "missing prod.env" >&2
  exit 2
fi
echo unreachable
## for-over-csv-column
for port in $(cut -d, -f3 data/services.csv | sed 1d | sort -n | head -n 3); do
  echo "port $port"
done
## if-string-compare-phase
phase=$(jq -r '.items[] | select(.metadata.name == "redis-0") | .status.phase' data/pods.json)
if [ "$phase" = Running ]; then echo "redis up"; else echo "redis $phase"; fi
## colon-true-false
:
echo "rc=$?"
false
echo "rc=$?"
true
echo "rc=$?"
## for-empty-list
for x in $(grep FATAL logs/app.log); do echo "$x"; done
echo "none found"
## while-grep-false
while grep -q FATAL logs/app.log; do echo loop; done
echo "no fatal"
## if-and-conditions
if [ -f data/pods.json ] && [ -s data/pods.json ]; then echo "pods.json ok"; fi
if [ -f data/pods.json ] || [ -f data/nodes.json ]; then echo "one exists"; fi
## for-literal-glob-free-words
for word in alpha "beta gamma" delta; do echo "[$word]"; done
## nested-if-in-for
for st in down degraded healthy; do
  c=$(grep -c ",$st\$" data/services.csv)
  if [ "$c" -gt 0 ]; then
    echo "$st: $c"
  fi
done
## group-in-pipeline
{ echo "header"; sed -n '2,3p' data/services.csv; } | cut -d, -f1
## exit-status-of-for
for f in README.txt nope.txt; do cat "$f" > /dev/null; done
echo "rc=$?"
## andor-precedence
false && echo a || echo b
true || echo c && echo d
## andor-chain-status
grep -q FATAL logs/app.log || grep -q PANIC logs/app.log
echo "rc=$?"
## if-pipeline-condition
if grep ERROR logs/app.log | grep -q '\[db\]'; then echo "db errors present"; fi
## if-negated-pipeline
if ! grep ERROR logs/app.log | grep -q '\[cache\]'; then echo "no cache errors"; fi
## if-elif-chain-files
for f in config/prod.env config/app.env; do
  if [ ! -e "$f" ]; then
    echo "$f: missing"
  elif [ -s "$f" ]; then
    echo "$f: $(grep -c = "$f") settings"
  else
    echo "$f: empty"
  fi
done
## for-break-nested-two
for a in 1 2; do
  for b in x y; do
    echo "$a$b"
    break 2
  done
done
echo "out"
## for-continue-nested
for a in 1 2; do
  for b in x y z; do
    [ "$b" = y ] && continue
    echo "$a$b"
  done
done
## for-loop-var-after
for x in first second last; do :; done
echo "x=$x"
## for-over-quoted-substitution
for line in "$(head -n 2 data/hosts.txt)"; do echo "[$line]"; done
## for-over-unquoted-lines-split
for w in $(head -n 2 data/hosts.txt); do echo "<$w>"; done
## subshell-exit-does-not-stop
(exit 4) || echo "subshell failed with $?"
echo "still here"
## subshell-in-pipeline
(echo b; echo a; echo c) | sort
## group-exit-stops-script
{ echo "before"; exit 6; }
echo "never"
## exit-in-subshell-substitution
v=$(echo inner; exit 3)
echo "rc=$? v=$v"
## nested-subshells
( (echo deep; exit 2); echo "mid rc=$?" )
echo "outer rc=$?"
## if-then-on-one-line
if [ -d logs ]; then echo yes; else echo no; fi
## while-condition-command-fails
while grep -q nope README.txt; do echo never; done
echo "rc=$?"
## if-status-when-branch-runs
if true; then false; fi
echo "rc=$?"
## case-free-string-dispatch
level=WARN
if [ "$level" = ERROR ]; then echo page; elif [ "$level" = WARN ]; then echo ticket; else echo ignore; fi
## for-in-newline-do
for svc in orders payments
do
  echo "restart $svc"
done
## semicolon-separated-commands
echo one; echo two; false; echo "rc=$?"
## background-free-wait-and
true && { echo "grouped"; echo "twice"; }
## bang-pipeline-status
! grep -q ERROR logs/app.log | cat
echo "rc=$?"

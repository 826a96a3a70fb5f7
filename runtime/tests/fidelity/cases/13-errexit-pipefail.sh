# set -e and set -o pipefail: where a script stops, and the exemptions bash makes.
## errexit-stops-on-missing-file
set -e
echo "step 1"
cat config/prod.env
echo "step 2 (never)"
## errexit-grep-no-match-stops
set -e
grep -c FATAL logs/app.log
echo "never"
## errexit-if-condition-exempt
set -e
if grep -q FATAL logs/app.log; then echo fatal; fi
echo "still running"
## errexit-or-exempt
set -e
grep -q FATAL logs/app.log || echo "no fatal"
echo "still running"
## errexit-and-list-exempt
set -e
grep -q FATAL logs/app.log && echo "fatal"
echo "still running"
## errexit-negated-exempt
set -e
! grep -q ERROR logs/app.log
echo "still running after negation"
## errexit-pipeline-last-only
set -e
cat nope.txt | wc -l
echo "pipeline status was the last command's"
## errexit-pipefail-stops
set -e
set -o pipefail
cat nope.txt | wc -l
echo "never"
## pipefail-status-printed
set -o pipefail
grep FATAL logs/app.log | wc -l
echo "rc=$?"
## pipefail-rightmost-failure
set -o pipefail
cat nope.txt | grep -q x | true
echo "rc=$?"
## pipefail-off-default
grep FATAL logs/app.log | wc -l
echo "rc=$?"
## errexit-set-plus-e
set -e
set +e
false
echo "continued rc=$?"
## errexit-subshell-status
set -e
(false)
echo "never"
## errexit-in-subshell-only
(set -e; false; echo "never in subshell")
echo "outer rc=$?"
## errexit-group-stops
set -e
{ echo "in group"; false; echo "never"; }
echo "never either"
## errexit-for-loop-stops
set -e
for f in README.txt nope.txt notes/todo.txt; do
  wc -l "$f"
done
echo "never"
## errexit-substitution-assignment
set -e
v=$(grep -c FATAL logs/app.log)
echo "never: $v"
## errexit-substitution-in-echo-continues
set -e
echo "count: $(grep -c FATAL logs/app.log)"
echo "still running"
## errexit-combined-flags
set -eo pipefail
jq -r '.items[].metadata.name' data/pods.json | head -n 2
jq . data/bad.json | wc -l
echo "never"
## errexit-exit-code-preserved
set -e
jq -e '.spec.paused' data/deploy.json
echo "never"
## errexit-while-false
set -e
while false; do echo x; done
echo "loop fine"
## errexit-last-command-status
set -e
echo start
grep -q payments data/services.csv
## errexit-stderr-then-stop
set -e
echo "checking payments" >&2
grep -q 'payments,.*,healthy' data/services.csv
echo "healthy"
## pipefail-with-head-ok
set -o pipefail
sort data/users.txt | uniq -c | sort -rn | head -n 1
echo "rc=$?"
## errexit-if-else-body-fails
set -e
if [ -f README.txt ]; then
  cat nope.txt
fi
echo "never"
## errexit-final-and-command-fails
set -e
true && false
echo "never"
## errexit-final-or-command-fails
set -e
false || false
echo "never"
## errexit-subshell-inherits
set -e
(echo "in sub"; false; echo "never in sub")
echo "never outer"
## errexit-group-or-rescue
set -e
{ echo "try"; false; } || echo "rescued"
echo "continued"
## errexit-pipefail-middle
set -eo pipefail
true | false | true
echo "never"
## errexit-for-body-fails
set -e
for i in 1 2; do
  [ "$i" = 2 ] && false
  echo "i=$i"
done
echo "after loop"
## errexit-if-else-false
set -e
if false; then :; else false; fi
echo "never"
## errexit-while-body-false
set -e
while true; do
  false
  echo never
done
echo never
## errexit-substitution-in-argument
set -e
echo "x$(false)y"
echo "continues"
## errexit-local-exempt-negation-pipe
set -e
! cat nope.txt | grep x
echo "continues"
## errexit-set-e-late
false
set -e
echo "reached"
cat nope.txt
echo "never"
## pipefail-exit-code-rightmost-nonzero
set -o pipefail
(exit 3) | (exit 4) | true
echo "rc=$?"
## pipefail-unset
set -o pipefail
set +o pipefail
false | true
echo "rc=$?"
## errexit-jq-e-in-if
set -e
if jq -e '.status.unavailableReplicas > 0' data/deploy.json > /dev/null; then echo "rollout incomplete"; fi
echo "checked"
## errexit-grep-count-zero-in-substitution-or
set -e
n=$(grep -c FATAL logs/app.log || true)
echo "fatal=$n"
## errexit-until-loop
set -e
until grep -q ERROR logs/app.log; do echo never; done
echo ok

# Pipelines the way incident runbooks chain them, and their exit statuses.
## pipe-top-error-components
grep ERROR logs/app.log | awk '{print $3}' | sort | uniq -c | sort -rn
## pipe-top-paths-5xx
awk '$9 >= 500 {print $7}' logs/nginx/access.log | sort | uniq -c | sort -rn | head -n 3
## pipe-slowest-requests
sort -k13 -n -r logs/nginx/access.log | head -n 3 | awk '{print $NF, $7}'
## pipe-unhealthy-containers
grep -v '^NAMES' data/containers.txt | grep -v 'healthy)' | cut -f1
## pipe-error-users
grep ERROR logs/app.log | grep -o 'user=u-[0-9]*' | cut -d= -f2 | sort -u
## pipe-status-of-last
grep ERROR logs/app.log | grep -q 'disk'
echo "rc=$?"
## pipe-status-first-fails
cat nope.txt | wc -l
echo "rc=$?"
## pipe-negated
! grep -q FATAL logs/app.log && echo "no fatal errors"
## pipe-into-head-early-exit
cat logs/nginx/access.log | head -n 2 | cut -d' ' -f1
## pipe-tr-sort-words
cat notes/*.md 2>/dev/null | tr -s ' ' '\n' | grep -c .
## pipe-jq-to-awk
jq -r '.items[] | "\(.metadata.namespace) \(.status.containerStatuses[0].restartCount // 0)"' data/pods.json | awk '{r[$1] += $2} END {for (n in r) print n, r[n]}' | sort
## pipe-sed-sort-uniq
sed -n 's/.*table=\([a-z]*\).*/\1/p' logs/app.log | sort | uniq -c
## pipe-metrics-top-memory
grep '^process_resident_memory_bytes' data/metrics.txt | sort -k2 -n -r | head -n 1 | sed 's/.*service="\([^"]*\)".*/\1/'
## pipe-hosts-by-zone
awk '{print $3, $1}' data/hosts.txt | sort | awk '{a[$1] = a[$1] " " $2} END {for (z in a) print z ":" a[z]}' | sort
## pipe-wc-in-substitution
total=$(cat logs/app.log logs/archive/app-2024-03-11.log | wc -l)
echo "lines: $total"
## pipe-long-chain
grep -v '^#' config/app.env | grep = | cut -d= -f1 | tr 'A-Z' 'a-z' | sort | head -n 5
## pipe-stderr-not-piped
cat README.txt nope.txt | wc -l
## pipe-both-streams-piped
cat README.txt nope.txt 2>&1 | wc -l
## pipe-ps-memory-top
sed 1d data/ps.txt | sort -k4 -n -r | head -n 3 | awk '{printf "%s %s%% %s\n", $2, $4, $11}'
## pipe-column-output
echo 'SERVICE STATUS
orders degraded
payments down' | column -t
## pipe-tac-tail
tac logs/app.log | grep -m 1 ERROR
## pipe-grep-count-stdin
grep -v DEBUG logs/app.log | grep -c '\[api\]'
## pipe-uniq-c-awk-format
cut -d' ' -f1 data/users.txt | sort | uniq -c | awk '{printf "%-6s %d\n", $2, $1}'
## pipe-sort-u-versions
jq -r '.items[].spec.containers[0].image' data/pods.json | cut -d: -f2 | sort -u
## pipe-group-exit
{ grep -c ERROR logs/app.log; grep -c WARN logs/app.log; } | paste -sd+ | tr -d '\n'
echo
## pipe-failed-jobs
grep 'state=failed' logs/worker.log | sed -E 's/.*job=([^ ]+) id=([0-9]+).*/\1 #\2/'
## pipe-echo-into-jq
echo '{"items":[{"n":"a","ok":true},{"n":"b","ok":false}]}' | jq -r '.items[] | select(.ok | not) | .n'
## pipe-printf-into-sort
printf '%s\n' 10.0.4.8 10.0.3.17 192.168.1.50 10.0.3.21 | sort -t. -k3,3n -k4,4n
## pipe-head-c-wc
head -c 100 logs/app.log | wc -c

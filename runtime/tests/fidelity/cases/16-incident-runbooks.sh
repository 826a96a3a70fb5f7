# Multi-step blocks as incident runbooks write them: triage, summaries, reports left behind.
## rb-triage-summary
echo "== error summary =="
grep ERROR logs/app.log | awk '{print $3}' | sort | uniq -c | sort -rn
echo "== 5xx by path =="
awk '$9 >= 500 {print $9, $7}' logs/nginx/access.log | sort | uniq -c | sort -rn | head -n 5
## rb-unhealthy-pods-report
mkdir -p reports
jq -r '.items[] | select(.status.phase != "Running" or (.status.containerStatuses[0].ready | not)) | [.metadata.namespace, .metadata.name, .status.phase] | @tsv' data/pods.json > reports/unhealthy.tsv
wc -l < reports/unhealthy.tsv
column -t reports/unhealthy.tsv
## rb-restart-threshold
limit=5
jq -r '.items[] | "\(.metadata.name) \(.status.containerStatuses[0].restartCount // 0)"' data/pods.json | awk -v l="$limit" '$2 > l {print "restart storm: " $1 " (" $2 ")"}'
## rb-disk-check
echo "filesystems over 90%:"
sed 1d data/df.txt | awk '{u = $5; sub("%", "", u); if (u + 0 > 90) print "  " $6 " " $5}'
## rb-config-diff-env
grep -v '^#' config/app.env | grep . | sort > current.env
sort config/.env.local > local.env
echo "overridden locally:"
cut -d= -f1 local.env | grep -F -f - current.env | cut -d= -f1
## rb-top-talkers
echo "top client IPs:"
awk '{print $1}' logs/nginx/access.log | sort | uniq -c | sort -rn | head -n 3 | awk '{printf "  %-15s %s\n", $2, $1}'
## rb-slow-requests-file
awk '$NF > 10 {print $4, $7, $NF}' logs/nginx/access.log | tr -d '[' > slow.txt
echo "slow requests: $(wc -l < slow.txt)"
head -n 3 slow.txt
## rb-db-pool-check
active=$(grep 'state="active"' data/metrics.txt | awk '{print $2}')
waiting=$(grep 'state="waiting"' data/metrics.txt | awk '{print $2}')
pool=$(grep '^DB_POOL_SIZE=' config/app.env | cut -d= -f2)
echo "active=$active waiting=$waiting pool=$pool"
if [ "$waiting" -gt 0 ] && [ "$active" -ge 15 ]; then echo "pool saturated: consider raising DB_POOL_SIZE"; fi
## rb-queue-depth-alert
grep '^queue_depth' data/metrics.txt | sed -E 's/.*queue="([^"]+)"\} ([0-9]+)/\1 \2/' | awk '$2 > 10 {print "backlog on " $1 ": " $2}'
## rb-error-rate-per-service
for svc in api payments; do
  total=$(grep "service=\"$svc\"" data/metrics.txt | grep '^http_requests_total' | awk '{s += $2} END {print s}')
  bad=$(grep "service=\"$svc\"" data/metrics.txt | grep 'code="5' | awk '{s += $2} END {print s + 0}')
  echo "$svc $bad/$total" | awk '{split($2, p, "/"); printf "%s error rate %.1f%%\n", $1, 100 * p[1] / p[2]}'
done
## rb-collect-artifacts
set -e
mkdir -p artifacts
cp logs/nginx/error.log artifacts/
grep ERROR logs/app.log > artifacts/app-errors.log
jq '.items[] | select(.metadata.name | startswith("payments"))' data/pods.json > artifacts/payments-pod.json
ls artifacts
wc -l artifacts/app-errors.log
## rb-collect-artifacts-fails-midway
set -e
mkdir -p artifacts
cp logs/nginx/error.log artifacts/
cp logs/nginx/upstream.log artifacts/
echo "never"
## rb-rotate-and-compress-free
mkdir -p logs/old
mv logs/worker.log logs/old/worker.log.1
: > logs/worker.log
ls logs logs/old
## rb-extract-failed-job-ids
grep 'state=failed' logs/worker.log | grep -o 'id=[0-9]*' | cut -d= -f2 > failed-ids.txt
echo "failed jobs: $(tr '\n' ' ' < failed-ids.txt)"
## rb-check-images-rc
if jq -e '[.items[].spec.containers[].image | select(test("-rc"))] | length > 0' data/pods.json > /dev/null; then
  echo "WARNING: release candidate images running:"
  jq -r '.items[].spec.containers[].image | select(test("-rc"))' data/pods.json
fi
## rb-nginx-upstreams
echo "upstream servers:"
sed -n '/upstream/,/}/p' config/nginx.conf | grep 'server ' | awk '{print $2}' | tr -d ';' | sort
## rb-count-per-minute
awk '{print substr($4, 14, 5)}' logs/nginx/access.log | sort | uniq -c | awk '$1 >= 5 {print $2, $1}'
## rb-health-gate
set -e
down=$(awk -F, '$6 == "down" {print $1}' data/services.csv)
if [ -n "$down" ]; then
  echo "services down: $down" >&2
  exit 1
fi
echo "all services up"
## rb-json-summary
jq '{pods: (.items | length), failed: ([.items[] | select(.status.phase == "Failed")] | length)}' data/pods.json
## rb-summary-markdown
{
  echo "# Incident summary"
  echo
  echo "* errors: $(grep -c ERROR logs/app.log)"
  echo "* 5xx: $(awk '$9 >= 500' logs/nginx/access.log | wc -l)"
  echo "* failed jobs: $(grep -c 'state=failed' logs/worker.log)"
} > summary.md
cat summary.md
## rb-users-affected
grep ERROR logs/app.log | grep -o 'user=u-[0-9]*' | sort -u | wc -l | awk '{print $1 " users affected"}'
## rb-compare-yesterday
for f in data/reports/2024-03-11.csv data/reports/2024-03-12.csv; do
  echo "$(basename "$f" .csv): $(awk -F, 'NR > 1 {e += $3} END {print e}' "$f") errors"
done
## rb-grep-config-values
for key in DB_HOST DB_PORT CACHE_TTL MISSING_KEY; do
  val=$(grep "^$key=" config/app.env | cut -d= -f2)
  echo "$key=${val:-<unset>}"
done
## rb-backup-before-edit
cp config/nginx.conf config/nginx.conf.orig
sed 's/max_fails=3/max_fails=5/' config/nginx.conf.orig > config/nginx.conf
grep -c max_fails=5 config/nginx.conf
cmp -s config/nginx.conf config/nginx.conf.orig || echo "config changed"
## rb-ps-java-heap
grep java data/ps.txt | grep -o '\-Xmx[0-9]*[gm]' | sort | uniq -c
## rb-stderr-warning-and-continue
if ! [ -f config/prod.env ]; then
  echo "warning: config/prod.env missing, falling back" >&2
fi
grep -c '=' config/app.env
## rb-exit-code-propagation
grep -q 'payments,.*,down' data/services.csv
status=$?
echo "payments down check: $status"
exit $status
## rb-events-warnings-by-object
jq -r 'select(.type == "Warning") | .object' data/events.jsonl | sort | uniq -c | sort -rn
## rb-final-status-line
errors=$(grep -c ERROR logs/app.log)
fivexx=$(awk '$9 >= 500' logs/nginx/access.log | wc -l)
printf 'STATUS errors=%d 5xx=%d verdict=%s\n' "$errors" "$fivexx" "$( [ "$errors" -gt 10 ] && echo degraded || echo ok )"

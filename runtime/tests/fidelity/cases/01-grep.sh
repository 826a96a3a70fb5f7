# grep over application logs, nginx logs and configs: counts, context, options, exit statuses.
## grep-count-500s
grep -c ' 500 ' logs/nginx/access.log
## grep-errors-app-log
grep ERROR logs/app.log
## grep-count-levels-separately
echo "errors: $(grep -c ERROR logs/app.log)"
echo "warnings: $(grep -c WARN logs/app.log)"
## grep-line-numbers-db
grep -n '\[db\]' logs/app.log
## grep-invert-drop-debug-info
grep -v -e DEBUG -e INFO logs/app.log
## grep-ignore-case-timeout
grep -i 'TIMED OUT' logs/nginx/error.log
## grep-only-matching-users
grep -o 'user=u-[0-9]*' logs/app.log | head -n 12
## grep-word-match-db
grep -w db config/alerts.yaml logs/app.log | head -n 5
## grep-extended-5xx
grep -E '" 5[0-9]{2} ' logs/nginx/access.log
## grep-fixed-string-query
grep -F 'search?q=shoes' logs/nginx/access.log | head -n 3
## grep-files-with-matches
grep -l ERROR logs/app.log logs/worker.log logs/archive/app-2024-03-11.log logs/empty.log
## grep-files-without-match
grep -L ERROR logs/app.log logs/worker.log logs/archive/app-2024-03-11.log logs/empty.log
## grep-no-filename
grep -h 'connection refused' logs/app.log logs/archive/app-2024-03-11.log
## grep-with-filename-single
grep -H 'slow query' logs/archive/app-2024-03-11.log
## grep-after-context
grep -A 2 'upstream orders_backend' config/nginx.conf
## grep-before-context
grep -B 3 'severity: page' config/alerts.yaml
## grep-context-both
grep -C 1 'state=failed' logs/worker.log
## grep-max-count
grep -m 3 WARN logs/app.log
## grep-quiet-found
if grep -q CrashLoopBackOff data/pods.json; then echo "pods crashlooping"; fi
## grep-quiet-not-found
grep -q OOMKilled logs/app.log
echo "rc=$?"
## grep-recursive-dir
grep -r 'connection refused' logs | sort
## grep-recursive-include
grep -r --include='*.csv' payments data | sort
## grep-recursive-count
grep -rc ERROR logs | sort
## grep-multiple-e
grep -c -e 'state=failed' -e 'state=retry' logs/worker.log
## grep-not-found-status
grep 'disk full' logs/app.log
echo "rc=$?"
## grep-missing-file
grep ERROR logs/missing.log
echo "rc=$?"
## grep-missing-and-present
grep -c ERROR logs/app.log logs/gone.log
echo "rc=$?"
## grep-regex-anchors-env
grep '^DB_' config/app.env
## grep-skip-comments-blank
grep -v '^#' config/app.env | grep -v '^$'
## grep-count-per-file
grep -c TODO "notes/incident notes.txt" notes/todo.txt
## grep-space-in-name
grep -n TODO "notes/incident notes.txt"
## grep-ip-addresses-unique
grep -oE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' logs/nginx/access.log | sort | uniq -c | sort -rn
## grep-stdin-pipe
cat data/ps.txt | grep java
## grep-empty-file
grep -c . logs/empty.log
echo "rc=$?"
## grep-invert-count-header
grep -vc '^name,' data/services.csv
## grep-ignore-case-word
grep -iw 'error' logs/nginx/error.log | cut -c1-40
## grep-extended-alternation
grep -E 'job=(report-export|cache-warm)' logs/worker.log
## grep-fixed-dollar
grep -F '$host' config/nginx.conf
## grep-basic-brackets
grep '\[crit\]\|\[error\]' logs/nginx/error.log | cut -d' ' -f1-3
## grep-dash-pattern
grep -e '-Xmx' data/ps.txt | awk '{print $2}'
## grep-count-zero-match
grep -c 'state=unknown' logs/worker.log
echo "rc=$?"
## grep-o-with-n
grep -on 'attempt=[0-9]' logs/app.log
## grep-bad-option
grep --frobnicate ERROR logs/app.log
echo "rc=$?"
## grep-bad-regex
grep -E 'status=(5' logs/app.log
echo "rc=$?"
## grep-recursive-l
grep -rl payments config notes | sort
## grep-whole-line
grep -x 'LOG_LEVEL=info' config/app.env
## grep-bre-interval
grep -c 'attempt=[0-9]\{1\}$' logs/app.log
## grep-bre-plus-escaped
grep -o 'id=[0-9]\+' logs/worker.log | head -n 3
## grep-backreference
printf 'aa-bb\nab-ab\nxy-xy\n' | grep '^\(..\)-\1$'
## grep-char-class
grep -c '[[:digit:]]\{3\}ms' logs/app.log
## grep-word-boundary
grep -o '\bu-10[0-9][0-9]\b' logs/app.log | sort -u | head -n 4
## grep-pattern-file
printf 'state=failed\nstate=retry\n' > patterns.txt
grep -c -f patterns.txt logs/worker.log
## grep-fixed-multiple-patterns
grep -F -e '[crit]' -e '[warn]' logs/nginx/error.log | cut -c1-34
## grep-suppress-errors
grep -s ERROR logs/app.log nope.log | wc -l
echo "rc=$?"
## grep-context-line-numbers
grep -n -A1 'proxy_pass' config/nginx.conf
## grep-count-invert-multiple-files
grep -vc '^#' config/app.env config/alerts.yaml
## grep-end-of-options
grep -c -- '-Xmx' data/ps.txt
## grep-perl-regex
grep -oP 'took=\K[0-9.]+' logs/worker.log | sort -n | tail -n 3
## grep-exclude-recursive
grep -r --exclude='*.log' -l 'payments' logs config | sort
## grep-recursive-dot
cd data && grep -rc 'payments' . | sort
## grep-files-without-match-status
grep -L ERROR logs/worker.log
echo "rc=$?"
## grep-byte-offset
grep -b 'DB_HOST' config/app.env
## grep-only-matching-ignore-case
grep -oi 'get\|post' logs/nginx/access.log | sort | uniq -c
## grep-extended-optional
grep -cE 'https?://' config/nginx.conf logs/nginx/error.log
## grep-empty-pattern
grep -c '' logs/worker.log
## grep-max-count-with-context
grep -m 1 -A 2 'server {' config/nginx.conf
## grep-count-with-filename-forced
grep -Hc ERROR logs/app.log
## grep-null-data-free-lines-with-tabs
grep -P '\t\S+ \d' data/containers.txt | cut -f1

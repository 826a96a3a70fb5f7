# sed: substitutions, addresses, -n/p, d, y///, -E, several -e, on configs and logs.
## sed-mask-user-ids
sed 's/user=u-[0-9]*/user=REDACTED/g' logs/app.log | grep ERROR | head -n 5
## sed-second-occurrence
echo 'a,b,c,d' | sed 's/,/;/2'
## sed-env-to-export
grep -v '^#' config/app.env | grep . | sed 's/^/export /'
## sed-print-range-lines
sed -n '5,9p' logs/app.log
## sed-print-matching
sed -n '/\[error\]/p' logs/nginx/error.log | cut -c1-60
## sed-delete-comments
sed '/^#/d' config/app.env
## sed-delete-blank-and-comments
sed -e '/^#/d' -e '/^$/d' config/app.env
## sed-translate-upper
head -n 3 data/hosts.txt | sed 'y/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/'
## sed-extended-groups
sed -E 's/^([a-z-]+)-[0-9]+ ([0-9.]+).*/\2 \1/' data/hosts.txt
## sed-multiple-e
sed -e 's/production/staging/' -e 's/5432/6432/' config/app.env | grep -e APP_ENV -e DB_PORT
## sed-print-first-line
sed -n '1p' data/services.csv
## sed-last-line
sed -n '$p' logs/worker.log
## sed-quit-after
sed 3q data/ps.txt
## sed-range-regex
sed -n '/upstream payments_backend/,/}/p' config/nginx.conf
## sed-strip-trailing-ms
grep 'slow query' logs/app.log | sed -E 's/.*slow query ([0-9]+)ms.*/\1/'
## sed-ampersand
sed -n 's/^DB_[A-Z_]*/[&]/p' config/app.env
## sed-alt-delimiter
grep proxy_pass config/nginx.conf | sed 's|http://||; s|;$||'
## sed-nginx-listen-ports
sed -n 's/^ *listen \([0-9]*\).*/\1/p' config/nginx.conf
## sed-delete-header
sed 1d data/services.csv | cut -d, -f1 | head -n 4
## sed-line-number-equals
sed -n '/CrashLoopBackOff/=' data/pods.json
## sed-insert-before
printf 'line one\nline two\n' | sed '1i\
header'
## sed-append-after
sed '/^LOG_LEVEL/a\
LOG_FORMAT=json' config/app.env | sed -n '/LOG_/p'
## sed-change-line
sed '/^MAX_RETRIES/c\
MAX_RETRIES=5' config/app.env | tail -n 3
## sed-case-insensitive-flag
sed -n 's/error/E/Ip' logs/nginx/error.log | cut -c1-30
## sed-every-other-line
sed -n '1~2p' data/users.txt
## sed-global-count-in-line
echo 'GET GET POST GET' | sed 's/GET/get/g'
## sed-missing-file
sed 's/a/b/' config/missing.conf
echo "rc=$?"
## sed-bad-command
sed 'k' config/app.env
echo "rc=$?"
## sed-unterminated-s
sed 's/a/b' config/app.env
echo "rc=$?"
## sed-write-to-file
sed -n '/ERROR/p' logs/app.log > errors.txt
wc -l < errors.txt
## sed-stdin-dash
grep db-primary config/app.env | sed 's/db-primary/db-replica/' -
## sed-negate-address
sed -n '/^#/!p' config/alerts.yaml | head -n 4
## sed-several-files
sed -n '1p' data/reports/2024-03-11.csv data/reports/2024-03-12.csv
## sed-hold-space-reverse
printf '1\n2\n3\n' | sed -n '1!G;h;$p'
## sed-newline-in-replacement
echo 'checkout_v2,fast_search,new_pricing' | sed 's/,/\n/g'
## sed-count-lines-equals
sed -n '$=' logs/app.log
## sed-delete-to-end
sed '4,$d' data/services.csv
## sed-first-match-only-range
sed '0,/server /s//SERVER /' config/nginx.conf | grep -n 'SERVER\|server ' | head -n 3
## sed-join-lines-n
printf 'key1\nval1\nkey2\nval2\n' | sed 'N;s/\n/=/'
## sed-separate-files
sed -s -n '$p' data/reports/2024-03-11.csv data/reports/2024-03-12.csv
## sed-write-flag
sed -n 's/^TODO: //w todo-extracted.txt' "notes/incident notes.txt"
cat todo-extracted.txt
## sed-extended-plus-question
sed -E -n 's/.*ratio=(0\.[0-9]+)?.*/\1/p' logs/app.log
## sed-case-conversion-gnu
sed 's/^[a-z]*/\U&/' data/hosts.txt | head -n 3
## sed-step-address
sed -n '2~3p' data/hosts.txt
## sed-address-plus-n
sed -n '/\[db\] connection refused/,+1p' logs/app.log
## sed-print-then-delete-header
sed -n '1!p' data/services.csv | sed -n '/frontend/p'
## sed-empty-regex-reuse
sed -n '/WARN/{s//W/;p}' logs/app.log | head -n 3
## sed-brace-block
sed -n '/^    server {/,/^    }/{/listen/p}' config/nginx.conf
## sed-trailing-whitespace
printf 'a  \nb\t\nc\n' | sed 's/[[:space:]]*$//' | cat -A
## sed-numbered-substitution-global-from-n
echo 'x x x x x' | sed 's/x/y/3g'
## sed-quit-with-status
sed '/ERROR/q5' logs/app.log | tail -n 1
echo "rc=${PIPESTATUS:-n/a}"
## sed-l-command
printf 'tab\there\n' | sed -n l
## sed-y-escapes
echo 'a:b:c' | sed 'y/:/\t/'
## sed-quit-exit-code
sed '/ERROR/q5' logs/app.log > first-error.txt
echo "rc=$?"
wc -l < first-error.txt

# awk: field sums, -F, -v, printf, arrays, NR/NF, END, gsub, length, substr, split, toupper.
## awk-high-cpu-processes
awk '$3 > 50 {print $2, $11}' data/ps.txt | sort -k1 -n
## awk-sum-rss-by-user
awk 'NR > 1 {rss[$1] += $6} END {for (u in rss) print u, rss[u]}' data/ps.txt | sort
## awk-status-counts
awk '{print $9}' logs/nginx/access.log | sort | uniq -c | sort -rn
## awk-bytes-total
awk '{sum += $10} END {print "bytes:", sum}' logs/nginx/access.log
## awk-average-request-time
awk '{t += $NF; n++} END {printf "avg=%.3f n=%d\n", t/n, n}' logs/nginx/access.log
## awk-csv-degraded
awk -F, '$6 != "healthy" && NR > 1 {print $1 " (" $6 ")"}' data/services.csv
## awk-csv-replicas-by-team
awk -F, 'NR > 1 {r[$2] += $4} END {for (t in r) printf "%-10s %3d\n", t, r[t]}' data/services.csv | sort
## awk-threshold-var
awk -v limit=90 'NR > 1 {gsub("%", "", $5); if ($5 + 0 >= limit) print $6, $5 "%"}' data/df.txt
## awk-nr-nf
awk '{print NR ": " NF " fields"}' data/hosts.txt | head -n 3
## awk-last-field
awk '{print $NF}' data/hosts.txt | sort | uniq -c
## awk-printf-table
awk -F, 'NR > 1 {printf "%-14s %5d %s\n", $1, $3, $5}' data/services.csv
## awk-gsub-redact
awk '{gsub(/user=u-[0-9]+/, "user=***"); print}' logs/app.log | grep -c 'user=\*\*\*'
## awk-length-long-lines
awk 'length($0) > 200 {print NR, length($0)}' logs/nginx/error.log
## awk-substr-time
awk '{print substr($1, 12, 8), $2}' logs/app.log | head -n 5
## awk-split-key-value
awk -F= '!/^#/ && NF == 2 {split($1, p, "_"); print p[1]}' config/app.env | sort | uniq -c
## awk-toupper-levels
awk '{print toupper(substr($3, 2, length($3) - 2))}' logs/app.log | sort | uniq -c | sort -rn
## awk-end-only-count
awk 'END {print NR}' logs/app.log
## awk-begin-header
awk 'BEGIN {print "HOST\tZONE"} {print $1 "\t" $3}' data/hosts.txt
## awk-multiple-files-fnr
awk 'FNR == 1 {print FILENAME}' data/reports/2024-03-11.csv data/reports/2024-03-12.csv
## awk-error-rate
awk -F, 'NR > 1 {printf "%s %.2f%%\n", $1, 100 * $3 / $2}' data/reports/2024-03-12.csv
## awk-compare-days
awk -F, 'FNR > 1 {e[$1] = e[$1] " " $3} END {for (s in e) print s e[s]}' data/reports/2024-03-11.csv data/reports/2024-03-12.csv | sort
## awk-metrics-sum
awk '/^http_requests_total/ && /code="5/ {s += $2} END {print "5xx:", s}' data/metrics.txt
## awk-regex-field-match
awk '$9 ~ /^5/ {print $7}' logs/nginx/access.log | sort | uniq -c | sort -rn
## awk-ofs
awk 'BEGIN {OFS = ","} {print $1, $2, $4}' data/hosts.txt
## awk-field-assign-rebuild
awk '{$2 = "x.x.x.x"; print}' data/hosts.txt | head -n 2
## awk-next-skip
awk '/^#/ {next} NF {print NR": "$0}' config/app.env | head -n 4
## awk-max-value
awk 'NR > 1 && $4 > max {max = $4; who = $11} END {print who, max}' data/ps.txt
## awk-tab-separated
awk -F'\t' 'NR > 1 && $2 !~ /^Up/ {print $1 ": " $2}' data/containers.txt
## awk-worker-durations
awk '{split($3, jb, "="); split($6, a, "="); sub("s", "", a[2]); t[jb[2]] += a[2]} END {for (j in t) printf "%s %.1f\n", j, t[j]}' logs/worker.log | sort
## awk-printf-int-format
awk 'NR > 1 {printf "%06d %s\n", $2, $1}' data/ps.txt | head -n 4
## awk-index-function
awk '{i = index($0, "upstream:"); if (i) print substr($0, i)}' logs/nginx/error.log
## awk-missing-file
awk '{print}' data/nope.txt
echo "rc=$?"
## awk-syntax-error
awk '{print $1' data/hosts.txt
echo "rc=$?"
## awk-exit-code
awk 'NR == 3 {exit 4}' data/hosts.txt
echo "rc=$?"
## awk-stdin-from-pipe
grep 'slow query' logs/app.log | awk '{gsub("ms", "", $6); s += $6} END {print s / NR}'
## awk-uniq-by-array
awk '!seen[$1]++' data/users.txt
## awk-in-operator
awk -F, 'NR == FNR {if (FNR > 1) team[$1] = $2; next} FNR > 1 && ($1 in team) {print $1, team[$1], $3}' data/services.csv data/reports/2024-03-12.csv
## awk-printf-no-newline
awk '{printf "%s ", $1} END {print ""}' data/hosts.txt
## awk-tolower-sub
echo 'Disk FULL on /srv/backups' | awk '{print tolower($0)}'
## awk-int-division
awk 'NR > 1 {print $1, int($6 / 1024) "MB"}' data/ps.txt | sort -k2 -n | tail -n 3
## awk-sprintf
awk -F, 'NR > 1 {s = sprintf("%s:%d", $1, $3); print s}' data/services.csv | head -n 3
## awk-regex-dynamic-var
awk -v svc=payments '$0 ~ svc' data/services.csv logs/nginx/error.log | cut -c1-50
## awk-ne-empty-fields
printf 'a,,c\n,,\nx,y,z\n' | awk -F, '{n = 0; for (i = 1; i <= NF; i++) if ($i != "") n++; print NR, n}'
## awk-number-output-format
awk 'BEGIN {print 0.1 + 0.2, 1/3, 2/2, 1e6, 1e16, 123456789012, 3.0, -0.5}'
## awk-ofmt-convfmt
awk 'BEGIN {OFMT = "%.2f"; x = 3.14159; print x; print x ""}'
## awk-large-sum-bytes
awk '{s += $5} END {print s, s / 1024 / 1024}' data/ps.txt
## awk-string-number-compare
printf '10\n9\n100\n' | awk '$1 > 9'
printf 'b10\nb9\n' | awk '$1 > "b9"'
## awk-uninitialized
awk 'BEGIN {print x + 0, "[" x "]", length(x)}'
## awk-printf-c-i
awk 'BEGIN {printf "%c|%i|%5.1f|%-5s|%5s|\n", 65, 42.9, 3.14159, "ab", "cd"}'
## awk-substr-edges
awk 'BEGIN {s = "payments"; print substr(s, 0, 3) "|" substr(s, 5) "|" substr(s, 20) "|" substr(s, -1, 3)}'
## awk-split-regex-sep
echo 'a1b22c333d' | awk '{n = split($0, p, /[0-9]+/); print n, p[1], p[4]}'
## awk-gsub-count-return
echo 'GET GET POST GET' | awk '{n = gsub(/GET/, "get"); print n, $0}'
## awk-sub-ampersand
echo 'took=12.4s' | awk '{sub(/[0-9.]+/, "[&]"); print}'
## awk-match-rstart
awk 'match($0, /duration_ms=[0-9]+|[0-9]+ms/) {print substr($0, RSTART, RLENGTH)}' logs/app.log | head -n 3
## awk-nf-modification
echo 'a b c d' | awk '{NF = 2; print; print NF}'
## awk-regex-interval
awk '/u-10[0-9]{2}/ {c++} END {print c + 0}' logs/app.log
## awk-delete-array
awk 'BEGIN {a[1]; a[2]; delete a[1]; for (k in a) print k; delete a; n = 0; for (k in a) n++; print n}'
## awk-printf-percent-literal
awk -F, 'NR > 1 {printf "%s %d%%\n", $1, $3 / $2 * 100}' data/reports/2024-03-11.csv
## awk-getline-var-stdin
printf 'one\ntwo\nthree\n' | awk 'NR == 1 {getline nxt; print $0 "+" nxt}'
## awk-rs-paragraph
printf 'a\nb\n\nc\nd\n' | awk 'BEGIN {RS = ""} {print NR ": " $1 "/" $2}'
## awk-fs-regex
echo 'k1 = v1;k2=v2' | awk -F' *[=;] *' '{print $2, $4}'
## awk-field-beyond-nf
echo 'a b' | awk '{print "[" $5 "]", NF}'
## awk-negative-field-error
echo 'a b' | awk '{print $(-1)}'
echo "rc=$?"
## awk-integer-big
awk 'BEGIN {print 2^31, 2^53, 2^53 + 1, 2^64}'
## awk-printf-d-large
awk 'BEGIN {printf "%d %d\n", 2147483648, 1e15}'
## awk-srand-free-int-rounding
awk 'BEGIN {print int(3.9), int(-3.9), 7 % 3, -7 % 3}'
## awk-string-concat-number
awk 'BEGIN {x = 1; y = x "0"; print y + 1}'
## awk-tab-ofs-print
awk -v OFS='\t' '{print $1, $2}' data/hosts.txt | head -n 2 | cat -A
## awk-v-escape
awk -v msg='line1\nline2' 'BEGIN {print msg}'
## awk-length-array
awk 'NR > 1 {u[$1]} END {print length(u)}' data/ps.txt
## awk-asort-free-sort-keys
awk -F, 'NR > 1 {print $4, $1}' data/services.csv | sort -k1,1nr -k2 | head -n 4
## awk-printf-exponent
awk 'BEGIN {printf "%e %g %g\n", 1234.5, 0.0001234, 123456789}'

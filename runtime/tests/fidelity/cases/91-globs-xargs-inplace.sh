# Globs in arguments and for lists, xargs, sed -i, sort -o, find, and other constructs playbook may refuse.
## glob-grep-logs
grep -c ERROR logs/*.log
## glob-for-loop
for f in logs/*.log; do echo "$f $(wc -l < "$f")"; done
## glob-wc-csv
wc -l data/reports/*.csv
## glob-no-match-literal
ls logs/*.gz
echo "rc=$?"
## glob-question-mark
ls data/reports/2024-03-1?.csv
## glob-bracket
ls data/reports/2024-03-1[12].csv
## glob-star-dir
ls -d */
## glob-hidden-not-matched
echo config/*
## glob-cat-concat
cat data/reports/*.csv | grep -vc '^service'
## glob-rm-pattern
touch tmp/a.tmp tmp/b.tmp tmp/keep.txt
rm tmp/*.tmp
ls tmp
## glob-cp-pattern
mkdir -p conf-backup
cp config/*.conf config/*.env conf-backup/
ls conf-backup
## glob-head-several
head -n 1 data/reports/*
## glob-quoted-literal
grep -c x "logs/*.log"
echo "rc=$?"
## xargs-plain-wc
ls data/reports | sed 's|^|data/reports/|' | xargs wc -l
## xargs-n1-echo
echo orders payments search | xargs -n 1 echo checking
## xargs-grep-files
grep -l ERROR logs/app.log logs/worker.log logs/archive/app-2024-03-11.log | xargs grep -c WARN
## xargs-basename
printf '%s\n' logs/app.log logs/nginx/access.log | xargs -n 1 basename
## xargs-rm
touch tmp/one tmp/two
printf 'tmp/one\ntmp/two\n' | xargs rm
ls -A tmp
## sed-inplace-config
sed -i 's/^LOG_LEVEL=info/LOG_LEVEL=debug/' config/app.env
grep LOG_LEVEL config/app.env
## sed-inplace-backup-suffix
sed -i.bak 's/max_fails=3/max_fails=5/g' config/nginx.conf
grep -c max_fails=5 config/nginx.conf
ls config
## sed-inplace-delete-lines
sed -i '/^#/d' config/app.env
head -n 2 config/app.env
## sort-output-file
sort -o data/users.sorted data/users.txt
cat data/users.sorted
## sort-output-inplace
sort -u -o data/users.txt data/users.txt
cat data/users.txt
## find-name
find logs -name '*.log' | sort
## find-type-f-count
find data -type f | wc -l
## find-empty
find . -empty -type f | sort
## tee-log-copy
grep ERROR logs/app.log | tee errors.txt | wc -l
wc -l errors.txt
## tee-append
echo "rollback done" | tee -a notes/todo.txt
cat notes/todo.txt
## diff-reports
diff data/reports/2024-03-11.csv data/reports/2024-03-12.csv
echo "rc=$?"
## cmp-same-file
cmp config/app.env config/app.env && echo identical
## paste-join-columns
cut -d, -f1 data/services.csv > names.txt
cut -d, -f6 data/services.csv > status.txt
paste -d: names.txt status.txt | head -n 4
## join-reports
sed 1d data/reports/2024-03-11.csv | sort > a.csv
sed 1d data/reports/2024-03-12.csv | sort > b.csv
join -t, a.csv b.csv | cut -d, -f1,3,6
## nl-number
nl notes/todo.txt
## rev-strings
echo 'lmth.xedni' | rev
## expand-tabs
head -n 2 data/containers.txt | expand -t 4
## fold-long-line
head -n 1 logs/nginx/error.log | fold -w 60
## split-lines
split -l 30 logs/nginx/access.log chunk-
wc -l chunk-*
## md5-fixed-content
printf 'orders\n' | md5sum
## sha256-file
sha256sum config/app.env
## base64-roundtrip
echo 'admin:s3cret' | base64
echo 'YWRtaW46czNjcmV0Cg==' | base64 -d
## seq-range
seq 3 3 12
## od-bytes
printf 'ok\n' | od -c
## comm-services
cut -d, -f1 data/reports/2024-03-11.csv | sort > a.txt
cut -d, -f1 data/services.csv | sort > b.txt
comm -12 a.txt b.txt
## realpath-free-readlink
ln -s README.txt link.txt 2>/dev/null
cat link.txt
rm link.txt
## env-grep
env | grep -c '^PATH='
## printenv-missing
printenv NOPE_NOT_SET
echo "rc=$?"
## awk-system-call
awk 'BEGIN {system("echo from-system")}'
## awk-getline-file
awk 'BEGIN {while ((getline line < "notes/todo.txt") > 0) n++; print n}'
## awk-print-to-file
awk -F, 'NR > 1 {print $1 > "names-from-awk.txt"}' data/services.csv
wc -l names-from-awk.txt
## ls-long-listing
ls -l logs | wc -l
## stat-size
stat -c %s config/app.env
## du-apparent
du -b README.txt
## mktemp-free-tmpfile
echo scratch > "tmp/scratch file.txt"
cat tmp/scratch\ file.txt

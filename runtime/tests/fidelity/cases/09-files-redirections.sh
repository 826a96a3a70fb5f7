# Files left behind: cp, mv, rm, mkdir -p, touch, and redirections > >> 2> 2>&1 < /dev/null.
## files-backup-config
cp config/app.env config/app.env.bak
ls config
## files-copy-into-dir
mkdir -p backup
cp config/nginx.conf config/app.env backup/
ls backup
## files-copy-recursive
cp -r logs/nginx saved-nginx
ls saved-nginx
## files-move-rotate
mv logs/worker.log logs/worker.log.1
touch logs/worker.log
ls logs
## files-rm-file
rm logs/empty.log
ls logs
## files-rm-missing
rm logs/none.log
echo "rc=$?"
## files-rm-force-missing
rm -f logs/none.log
echo "rc=$?"
## files-rm-recursive
rm -r logs/archive
ls logs
## files-rm-dir-without-r
rm logs/archive
echo "rc=$?"
## files-mkdir-exists
mkdir logs
echo "rc=$?"
## files-mkdir-p-nested
mkdir -p incident/2024-03-12/artifacts
echo collected > incident/2024-03-12/artifacts/README
cat incident/2024-03-12/artifacts/README
## files-touch-new
touch tmp/marker
[ -f tmp/marker ] && echo marker exists
## files-redirect-truncate
grep ERROR logs/app.log > errors.txt
grep WARN logs/app.log > errors.txt
wc -l errors.txt
## files-redirect-append
echo "# report" > report.md
grep -c ERROR logs/app.log >> report.md
grep -c WARN logs/app.log >> report.md
cat report.md
## files-stderr-to-file
cat nope.txt 2> err.txt
echo "rc=$?"
cat err.txt
## files-stderr-to-stdout
cat nope.txt README.txt 2>&1 | sort
## files-both-to-file
grep -c ERROR logs/app.log nope.log > both.txt 2>&1
cat both.txt
## files-stdin-redirect
wc -l < data/hosts.txt
sort -r < data/users.txt | head -n 3
## files-devnull
grep ERROR logs/app.log > /dev/null
echo "rc=$?"
cat missing 2> /dev/null
echo "rc=$?"
## files-write-then-append-stderr
echo start > run.log
ls nope 2>> run.log
echo end >> run.log
cat run.log
## files-cp-missing-source
cp nope.conf backup.conf
echo "rc=$?"
## files-mv-into-new-dir
mkdir -p archive
mv data/reports/2024-03-11.csv archive/
ls archive data/reports
## files-cp-overwrite
cp notes/todo.txt README.txt
cat README.txt
## files-space-name-copy
cp "notes/incident notes.txt" "notes/incident notes (copy).txt"
ls notes
## files-space-name-redirect
grep TODO "notes/incident notes.txt" > "notes/open items.txt"
cat "notes/open items.txt"
## files-touch-existing-content
touch notes/todo.txt
cat notes/todo.txt
## files-redirect-into-missing-dir
echo x > nodir/out.txt
echo "rc=$?"
## files-empty-redirect
> tmp/truncated.txt
wc -c tmp/truncated.txt
## files-cp-dir-without-r
cp logs logs-copy
echo "rc=$?"
## files-rmdir-empty
mkdir -p scratch/inner
rmdir scratch/inner
ls scratch
echo "rc=$?"
[ -d scratch/inner ] || echo "inner removed"
## files-mv-rename-over
echo new > tmp/new.txt
echo old > tmp/old.txt
mv tmp/new.txt tmp/old.txt
cat tmp/old.txt
ls tmp
## files-stdout-stderr-separate
grep -c payments data/services.csv nope.csv > out.txt 2> err.txt
echo "rc=$?"
cat out.txt err.txt
## files-extract-to-csv
awk -F, 'NR == 1 || $6 != "healthy"' data/services.csv > unhealthy.csv
cat unhealthy.csv
## files-heredoc-config
cat > config/override.env <<'CONF'
LOG_LEVEL=debug
MAX_RETRIES=5
CONF
cat config/override.env
## files-heredoc-expanding
svc=payments
cat <<MSG
service $svc is degraded
errors: $(grep -c ERROR logs/app.log)
MSG
## files-herestring
grep -c a <<< "alpha beta gamma"
## files-cp-preserve-name-dir
mkdir -p out
cp data/pods.json data/deploy.json out
ls out
## files-mkdir-several
mkdir -p a/b c/d
touch a/b/x c/d/y
ls -R a c
## redir-ampersand-greater
cat README.txt nope.txt &> all.txt
cat all.txt
## redir-ampersand-append
echo "run 1" > audit.log
ls nope &>> audit.log
cat audit.log
## redir-order-matters
ls nope 2>&1 > out.txt
echo "--- out.txt:"
cat out.txt
## redir-stdout-to-stderr-mid
echo "to stdout"
echo "to stderr" 1>&2
echo "back"
## redir-clobber-operator
echo one > f.txt
echo two >| f.txt
cat f.txt
## redir-same-file-in-out
sort data/users.txt > data/users.txt
wc -c data/users.txt
## redir-heredoc-dash-tabs
cat <<-EOT
	indented with a tab
	second line
	EOT
## redir-heredoc-quoted-no-expansion
cat <<'EOT'
literal $HOME and $(whoami) and `id`
EOT
## redir-heredoc-escaped-dollar
svc=orders
cat <<EOT
svc=$svc cost=\$5 path=\`pwd\`
EOT
## redir-heredoc-to-file-then-grep
cat > runbook-notes.txt <<EOT
step 1: drain node-a
step 2: restart payments
step 3: verify 5xx rate
EOT
grep -c step runbook-notes.txt
## redir-input-and-output
tr 'a-z' 'A-Z' < notes/todo.txt > notes/TODO-UPPER.txt
cat notes/TODO-UPPER.txt
## redir-stdin-missing-file
wc -l < nope.txt
echo "rc=$?"
## redir-output-to-directory
echo x > logs
echo "rc=$?"
## redir-devnull-both
grep -c ERROR logs/app.log nope.log > /dev/null 2>&1
echo "rc=$?"
## redir-group-stderr
{ echo out; echo err >&2; } 2> group-err.txt
cat group-err.txt
## redir-subshell-output
( echo "from subshell"; grep -c WARN logs/app.log ) > sub.txt
cat sub.txt
## redir-append-creates
echo first-line >> new-file.txt
cat new-file.txt
## redir-stderr-append-twice
cat nope1 2>> errs.txt
cat nope2 2>> errs.txt
cat errs.txt
## redir-if-block-output
if grep -q ERROR logs/app.log; then
  echo "errors found"
  grep -c ERROR logs/app.log
fi > if-out.txt
cat if-out.txt
## redir-for-loop-output
for s in orders payments; do grep "^$s," data/services.csv; done > picked.csv
cat picked.csv
## redir-colon-truncate
: > logs/app.log
wc -c logs/app.log
## redir-fd-dup-close-free
echo "visible" 2>&1
## redir-into-file-with-space
echo 'collected' > "tmp/out file.txt"
cat "tmp/out file.txt"
## redir-herestring-var
v='orders,8081'
cut -d, -f2 <<< "$v"
## files-mv-missing
mv nope.txt somewhere.txt
echo "rc=$?"
## files-cp-into-missing-dir
cp README.txt nodir/
echo "rc=$?"
## files-touch-in-missing-dir
touch nodir/file
echo "rc=$?"
## files-rmdir-nonempty
rmdir logs
echo "rc=$?"
## files-mkdir-p-existing-file
mkdir -p README.txt
echo "rc=$?"
## files-mv-dir
mv logs/archive old-logs
ls old-logs
## files-rm-several-some-missing
rm notes/todo.txt nope.txt README.txt
echo "rc=$?"
ls notes
[ -f README.txt ] || echo "README.txt removed"
## files-cp-r-into-existing
mkdir -p snap
cp -r config snap
ls -A snap/config
## files-cp-same-file
cp README.txt README.txt
echo "rc=$?"
cat README.txt

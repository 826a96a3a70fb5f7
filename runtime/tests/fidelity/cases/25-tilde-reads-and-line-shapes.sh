# `~` as text, `$(< FILE)`, `cat -`, bash's own variables, coreutils' wording of file errors, and line shapes the fence reader must see as commands.
## tilde-echo
echo ~
echo ~/backups
## tilde-assignment
backup_dir=~/backups/orders
echo "saving to $backup_dir"
## tilde-quoted-stays
echo "~" '~/x'
## tilde-test-compare
dest=~/restore
[ "$dest" = "$HOME/restore" ] && echo "under home"
## read-file-subst
env_file=$(< config/app.env)
echo "$env_file" | grep -c '^DB_'
## read-file-subst-missing
settings=$(< config/missing.env)
echo "rc=$? len=${#settings}"
## read-file-subst-in-condition
if grep -q production <<< "$(< config/app.env)"; then echo "prod settings"; fi
## cat-dash-between-files
printf 'middle line\n' | cat README.txt - notes/todo.txt
## cat-dash-twice
echo once | cat - -
## head-dash
printf '1\n2\n3\n' | head -n 2 -
## bash-var-random-refused
echo "id-$RANDOM"
## bash-var-lineno-refused
echo "at line $LINENO"
## bash-var-pipestatus-index-refused
grep -c ERROR logs/app.log | sort
echo "${PIPESTATUS[0]}"
## same-file-grep-refused
grep -v DEBUG logs/app.log > logs/app.log
## same-file-append-ok
wc -l < data/hosts.txt >> data/hosts.txt
tail -n 1 data/hosts.txt
## same-file-other-file
sort data/users.txt > data/users.sorted
head -n 2 data/users.sorted
## cd-dash-refused
cd logs && cd -
## unset-ifs-refused
unset IFS
echo ok
## glob-var-unquoted-refused
pattern='logs/*.log'
wc -l $pattern
## glob-var-quoted-is-text
pattern='logs/*.log'
echo "looking for $pattern"
## glob-var-reassigned-plain
p='*.txt'
p=README.txt
cat $p
## mkdir-missing-parent-quotes
mkdir backups/2024/03
echo "rc=$?"
## mkdir-existing-quotes
mkdir -p data && mkdir data
echo "rc=$?"
## cp-directory-without-r
cp config config.bak
echo "rc=$?"
ls config.bak
echo "ls: $?"
## cp-to-missing-dir-slash
cp config/app.env missing-dir/
echo "rc=$?"
## mv-to-missing-dir-slash
mv config/app.env missing-dir/
echo "rc=$?"
ls config
## rmdir-nonempty-wording
rmdir config
echo "rc=$?"
## rm-missing-wording
rm logs/none.log
echo "rc=$?"
## line-stderr-null-first
2>/dev/null grep -c ERROR logs/app.log logs/none.log
echo "rc=$?"
## line-merge-first
2>&1 ls logs/none.log | tr a-z A-Z
## line-ifs-colon-read
IFS=: read -r user rest <<< "deploy:x:1001"
echo "$user / $rest"
## line-path-assignment-colon
PATH_EXTRA=/opt/tools/bin:
echo "$PATH_EXTRA"
## line-spaced-cp
cp   config/nginx.conf   nginx.conf.bak
cmp config/nginx.conf nginx.conf.bak && echo identical
## line-assign-subst-then-digit
total=$(grep -c ERROR logs/app.log)
rc=$(echo 7); echo "rc=$rc total=$total"
## line-assign-arith-spaced
wait_s=$(( 2 * 30 )); echo "waiting $wait_s s"
## exit-variable
rc=$(grep -c WARN logs/app.log)
echo "warnings: $rc"
exit "$rc"
## exit-arith
errors=$(grep -c ERROR logs/app.log)
exit $(( errors > 0 ? 3 : 0 ))
## exit-not-a-number
reason=$(head -n 1 README.txt | cut -d' ' -f1)
exit "$reason"
echo never
## exit-status-saved
grep -q NOPE logs/app.log
rc=$?
echo "grep said $rc"
exit $rc
## exit-variable-in-function
fail_with() { echo "failing with $1" >&2; exit "$1"; }
fail_with 4
echo never

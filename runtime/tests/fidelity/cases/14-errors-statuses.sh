# Exit statuses and error messages: missing files, bad options, invalid JSON, unknown commands.
## err-command-not-found
kubectll get pods
echo "rc=$?"
## err-missing-file-several-tools
cat missing.log; echo "cat rc=$?"
grep x missing.log; echo "grep rc=$?"
wc -l missing.log; echo "wc rc=$?"
head -n 1 missing.log; echo "head rc=$?"
## err-sort-bad-option
sort --bogus data/users.txt
echo "rc=$?"
## err-head-bad-option
head -z -Q data/users.txt
echo "rc=$?"
## err-sed-bad-option
sed --nope 's/a/b/' README.txt
echo "rc=$?"
## err-jq-bad-json-messages
jq -r .name data/bad.json
echo "rc=$?"
## err-jq-type-error
jq '.items[0].metadata.name + 1' data/pods.json
echo "rc=$?"
## err-jq-iterate-null
jq '.spec.missing[]' data/deploy.json
echo "rc=$?"
## err-jq-raw-error-midstream
printf '{"a":1}\n{"a":\n' | jq -c .
echo "rc=$?"
## err-awk-division-by-zero
awk 'BEGIN {print 1 / 0}'
echo "rc=$?"
## err-exit-status-last
false
## err-exit-explicit
echo "fatal: payments down" >&2
exit 3
## err-exit-large
exit 300
## err-exit-no-arg-after-failure
grep -q FATAL logs/app.log
exit
## err-stderr-and-stdout-order
echo "out 1"
echo "err 1" >&2
echo "out 2"
echo "err 2" >&2
## err-tail-bad-number
tail -n x logs/app.log
echo "rc=$?"
## err-cut-no-list
cut data/services.csv
echo "rc=$?"
## err-tr-missing-operand
echo abc | tr
echo "rc=$?"
## err-uniq-missing-input
uniq nope.txt
echo "rc=$?"
## err-wc-directory
wc -l logs
echo "rc=$?"
## err-grep-directory-no-r
grep ERROR logs
echo "rc=$?"
## err-ls-mixed-missing
ls README.txt nope.txt notes
echo "rc=$?"
## err-mkdir-missing-parent
mkdir a/b/c
echo "rc=$?"
## err-cat-then-continue
cat nope.txt
echo "still here"
## err-cd-to-file
cd README.txt
echo "rc=$?"
## err-jq-missing-and-present
jq -r .kind data/deploy.json data/nope.json
echo "rc=$?"
## err-sort-numeric-garbage
printf '10\nabc\n2\n' | sort -n
## err-awk-bad-regex
awk '/[/ {print}' README.txt
echo "rc=$?"
## err-grep-extended-bad-brace
grep -E 'a{1' README.txt
echo "rc=$?"
## err-column-missing
column -t nope.txt
echo "rc=$?"
## err-tac-missing
tac nope.txt
echo "rc=$?"
## err-rm-directory-r-missing
rm -r nope-dir
echo "rc=$?"
## err-status-127-in-pipe
nosuchtool | wc -l
echo "rc=$?"
## err-printf-bad-format
printf '%z\n' 1
echo "rc=$?"
## err-jq-exit-status-flag
echo 'null' | jq -e .
echo "rc=$?"
echo 'false' | jq -e .
echo "rc=$?"
echo '0' | jq -e .
echo "rc=$?"

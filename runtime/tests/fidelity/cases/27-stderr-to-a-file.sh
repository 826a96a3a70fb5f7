# `2> FILE` and `2>> FILE` of a command that is one request: its standard error in the file, as bash writes it; groups, calls and builtins refused.
## err-file-ls-missing
ls logs/none.log 2> errors.log
echo "rc=$?"
cat errors.log
## err-file-append
echo "== run 1" > errors.log
ls logs/none.log 2>> errors.log
grep -c ERROR logs/none.log 2>> errors.log
cat errors.log
## err-file-empty-when-quiet
grep -c ERROR logs/app.log 2> errors.log
wc -c errors.log
## err-file-and-output-file
ls logs/app.log logs/none.log > found.txt 2> missing.txt
echo "rc=$?"
cat found.txt
cat missing.txt
## err-file-in-pipeline
grep -h WARN logs/app.log logs/none.log 2> grep-errors.txt | wc -l
cat grep-errors.txt
## err-file-jq
jq -r .name data/missing.json 2> jq-errors.txt
echo "rc=$?"
cat jq-errors.txt
## err-file-jq-parse
jq . data/bad.json 2> jq-errors.txt
echo "rc=$?"
cat jq-errors.txt
## err-file-sort-missing
sort data/none.txt 2> sort.err
echo "rc=$?"
cat sort.err
## err-file-cat-missing
cat config/none.env 2> cat.err || echo "no config"
cat cat.err
## err-file-then-set-e
set -e
ls logs/none.log 2> errors.log || true
cat errors.log
echo done
## err-file-before-command
2>errors.log ls logs/none.log
cat errors.log
## err-file-in-loop-body
for f in app none; do
  wc -l "logs/$f.log" 2>> wc-errors.txt
done
cat wc-errors.txt
## err-file-builtin-refused
echo "to stdout" 2> errors.log
## err-file-group-refused
{ ls logs/none.log; ls logs/nope.log; } 2> errors.log
## err-file-call-refused
check() { ls "logs/$1.log"; }
check none 2> errors.log
## err-file-cannot-open-skips-command
cp README.txt tmp/copy.txt 2> nodir/errors.log
echo "rc=$?"
ls tmp
## err-file-cannot-open-errexit
set -e
grep -c ERROR logs/app.log 2> nodir/errors.log
echo never
## out-file-cannot-open-skips-command
cp README.txt tmp/copy.txt > nodir/out.txt
echo "rc=$?"
ls tmp
## out-file-created-when-nothing-printed
grep NOPE logs/app.log > tmp/matches.txt
echo "rc=$?"
wc -c tmp/matches.txt
## out-file-subst-reads-it-first
echo "first line" > notes.txt
echo "$(cat notes.txt), then more" > notes.txt
cat notes.txt
## out-and-err-same-file-refused
ls logs/app.log logs/none.log > both.txt 2> both.txt

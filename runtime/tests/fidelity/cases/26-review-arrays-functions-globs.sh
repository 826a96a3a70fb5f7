# Found by an independent review of functions, globs, arrays, traps and mapfile: each case carried out as bash, or refused.
## rv-array-multiline-quoted
services=(
  "orders api"
  "payments worker"
  web
)
echo "${#services[@]}"
for s in "${services[@]}"; do echo "[$s]"; done
## rv-array-multiline-append
targets=(web)
targets+=(
  "db primary"
  cache
)
echo "${#targets[@]} ${targets[1]}"
## rv-array-quoted-on-closing-line
hosts=(web-1
  "db primary")
echo "${#hosts[@]}"
## rv-local-array-refused
f() { local l=(a b c); echo "${#l[@]}"; }
f
## rv-local-name-then-mapfile-refused
rows=(g1 g2)
f() { local rows; mapfile -t rows <<< "x"; echo "in ${#rows[@]}"; }
f
echo "out ${#rows[@]}"
## rv-call-merge-to-file-refused
f() { echo out; echo err >&2; }
f > all.log 2>&1
cat all.log
## rv-call-merge-pipe-refused
f() { ls logs/none.log; }
f 2>&1 | sed 's/^/> /'
## rv-if-merge-pipe-refused
if true; then ls logs/none.log; fi 2>&1 | tr a-z A-Z
## rv-loop-both-to-file-refused
for i in 1; do ls logs/none.log; done &> loop.log
cat loop.log
## rv-call-stderr-to-file
f() { echo out; ls logs/none.log; }
f 2> errs.log
echo "rc=$?"
cat errs.log
## rv-call-input-file-refused
count_lines() { wc -l; }
count_lines < logs/worker.log
## rv-call-here-string-refused
shout() { tr a-z A-Z; }
shout <<< "hello"
## rv-call-glob-args-refused
f() { echo "$#"; }
f data/reports/*.csv
## rv-set-dashdash-glob-refused
set -- logs/*.log
echo "$#"
## rv-rm-unmatched-glob
rm tmp/*.lock
echo "rc=$?"
## rv-rm-unmatched-glob-errexit
set -e
rm tmp/*.lock
echo "never"
## rv-rm-f-unmatched-glob
rm -f tmp/*.lock
echo "rc=$?"
## rv-cat-unmatched-glob
cat logs/*.gz
echo "rc=$?"
## rv-cat-unmatched-glob-in-pipe
cat config/app.env logs/*.gz | wc -l
## rv-cat-name-with-space
cat "notes/missing notes.txt"
echo "rc=$?"
## rv-shopt-refused
shopt -s nullglob
for f in logs/*.gz; do echo "got $f"; done
## rv-trap-function-defined-later-refused
trap cleanup EXIT
cleanup() { echo "cleanup ran"; }
echo body
## rv-trap-function-defined-before
cleanup() { echo "cleanup ran rc=$?"; }
trap cleanup EXIT
echo body
## rv-trap-in-function-refused
f() { trap 'echo "arg=[$1]"' EXIT; }
f inner
## rv-trap-bare-exit-keeps-status
trap 'echo t; exit' EXIT
exit 3
## rv-trap-exit-code-wins
trap 'echo "was $?"; exit 4' EXIT
true
## rv-unset-function-refused
f() { echo hi; }
f
unset -f f
## rv-unset-array-refused
a=(x y)
unset a
echo "${#a[@]}"
## rv-unset-element-refused
a=(x y z)
unset 'a[1]'
## rv-unset-scalar
v=1
unset v
echo "[${v:-gone}]"
## rv-test-glob-refused
if [ -e config/*.yaml ]; then echo yes; fi
## rv-glob-class-digit
echo data/reports/*-1[[:digit:]].csv
## rv-glob-class-upper-none
echo tmp/[[:upper:]]*
## rv-glob-class-negated
for f in data/[![:lower:]]*; do echo "$f"; done
## rv-array-subst-errexit
set -e
a=($(grep NOPE logs/app.log))
echo "never ${#a[@]}"
## rv-array-subst-status
a=($(grep -c ERROR logs/app.log))
echo "rc=$? ${a[0]}"
## rv-array-subst-failed-status
a=($(grep NOPE logs/app.log))
echo "rc=$? ${#a[@]}"
## rv-test-outside-root-denied
[ -d /proc/self ] && echo "proc"
## rv-cd-glob-refused
cd logs/arch*
ls
## rv-brace-glob-echo
echo data/reports/*.{csv,txt}
## rv-brace-glob-loop
for f in data/reports/*.{csv,json}; do echo "report: $f"; done
## rv-brace-glob-wc
wc -l data/*.{txt,csv}
## xa-status-any-failed
printf 'none-1\nnone-2\n' | xargs -n 1 rm 2>/dev/null
echo "rc=$?"
## xa-status-one-failed-goes-on
printf 'notes\nREADME.txt\n' | xargs -n 1 rmdir
echo "rc=$?"
ls notes >/dev/null && echo "notes still there"
## xa-status-all-ok
printf 'a\nb\n' | xargs -n 1 echo item
echo "rc=$?"
## xa-empty-without-r
grep -l NOPE logs/app.log | xargs rm
echo "rc=$?"
## xa-empty-with-r
grep -l NOPE logs/app.log | xargs -r rm
echo "rc=$?"
## xa-empty-cat
printf '' | xargs cat
echo "rc=$?"
## xa-false-each
printf 'x\ny\n' | xargs -n1 false
echo "rc=$?"
## xa-batch-echo
printf 'a\nb\n' | xargs echo
## xa-batch-echo-empty
printf '' | xargs echo
echo "rc=$?"
## xa-batch-echo-empty-r
printf '' | xargs -r echo
echo "rc=$?"
## xa-batch-basename-extra-operand
ls data | xargs basename
echo "rc=$?"
## xa-batch-basename-suffix
ls data | xargs basename -s .txt
## xa-batch-printf
cut -d, -f1 data/services.csv | xargs printf '[%s]\n'
## xa-batch-wc-refused
ls logs/*.log | xargs wc -l
## xa-docker-inspect-refused
printf 'web\n' | xargs docker inspect
## xa-replace-line-with-blanks
echo 'orders api' | xargs -I{} echo "[{}]"
## ph-local-path-from-argument
count_errors() { local file=$1; grep -c ERROR "$file"; }
count_errors logs/app.log
## ph-path-from-command-output
latest=$(ls logs/archive/*.log | tail -n 1)
wc -l < "$latest"
head -n 1 "$latest"
## ph-loop-over-grep-l
for f in $(grep -l WARN logs/*.log); do echo "== $f"; grep -c WARN "$f"; done
## ph-path-with-blank-from-variable
note="notes/incident notes.txt"
wc -l "$note"
## ph-array-of-paths
files=(logs/app.log logs/worker.log)
for f in "${files[@]}"; do tail -n 1 "$f"; done
## ph-copy-to-run-time-path
src=$(ls config/*.env | head -n 1)
cp "$src" "$src.bak"
ls config
## xa-replace-skips-empty-and-leading-blanks
printf 'web-1\n\n   db primary  \n' | xargs -I{} echo "restart [{}]"
## xa-replace-empty-input
grep NOPE logs/app.log | xargs -I{} echo "never {}"
echo "rc=$?"
## xa-replace-last-line-without-newline
printf 'a\nb' | xargs -I % echo "<%>"
## xa-each-echo-empty-input
grep NOPE logs/app.log | xargs -n 1 echo
echo "rc=$?"
## xa-each-echo-in-group-to-file
printf 'a\nb\n' | xargs -n 1 echo item > items.txt
cat items.txt
## echo-run-time-n-from-array
a=(-n x)
echo "${a[@]}"
echo end
## echo-run-time-n-from-loop
for o in -n plain; do echo "$o"; done
echo end
## echo-run-time-e-from-read
read -r flag <<< "-e"
echo "$flag" 'tab\there'
## echo-run-time-dash-text
msg="-- not an option"
echo "$msg"
v=-x
echo "$v" done
## echo-run-time-n-from-local
f() { local opt=-n; echo "$opt" "kept"; echo; }
f
## echo-run-time-default
unset m
echo "${m:--n}" after
echo end
## echo-run-time-empty-first
e=""
echo "$e" x
## arr-elem-basename-op
reports=(data/reports/*.csv)
echo "latest: ${reports[-1]##*/}"
echo "first without ext: ${reports[0]%.csv}"
## arr-elem-default
hosts=(web-1)
echo "second: ${hosts[1]:-none}"
## arr-elem-length
names=(orders payments)
echo "${#names[0]} ${#names[1]}"
## arr-elem-index-var-upper
envs=(staging prod)
i=1
echo "${envs[i]^^}"
## arr-elem-replace
logs=(app.log worker.log)
echo "${logs[1]/.log/.log.gz}"
## arr-elem-unset-under-nounset
set -u
a=(x)
echo "${a[3]:-fallback}"
## arr-whole-op-refused
a=(x.log y.log)
echo "${a[@]%.log}"
## fs-mkdir-mode-refused
mkdir -m 700 secrets
## fs-mkdir-verbose-refused
mkdir -pv backups/2024
## fs-rm-verbose-refused
rm -v tmp/*.tmp
## fs-rmdir-parents-refused
mkdir -p tmp/p/q && rmdir -p tmp/p/q
## fs-mv-no-clobber-refused
mv -n README.txt notes/
## fs-sort-same-file-via-variable
f=data/users.txt
sort "$f" > "$f"
wc -c "$f"

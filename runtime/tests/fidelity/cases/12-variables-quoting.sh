# Variables and quoting: assignments, "$v", unquoted splitting, ${v:-default}, $'...', $(...), exported env.
## var-basic-assign
svc=payments
echo "service=$svc"
echo "service=${svc}-svc"
## var-from-config
port=$(grep '^APP_PORT=' config/app.env | cut -d= -f2)
echo "app listens on $port"
## var-default-unset
echo "ns=${NAMESPACE:-prod}"
## var-default-empty
ns=""
echo "ns=${ns:-default}"
echo "ns2=${ns-kept-empty}"
## var-assign-default
echo "${REGION:=eu-west-1}"
echo "region is $REGION"
## var-alternate-value
flag=set
echo "[${flag:+--verbose}]"
echo "[${unset_var:+--verbose}]"
## var-single-quotes-literal
svc=orders
echo 'no $svc expansion here'
## var-double-quotes-expand
svc=orders
echo "expands: $svc, literal: \$svc"
## var-dollar-single-quote
printf '%s\n' $'tab:\there' $'newline:\nnext'
## var-dollar-single-quote-echo
echo $'quote \' inside'
## var-unquoted-splitting
list="web-01 web-02  db-01"
for h in $list; do echo "host: $h"; done
## var-quoted-no-splitting
list="web-01 web-02  db-01"
for h in "$list"; do echo "host: $h"; done
## var-unquoted-echo-collapses
msg="payments    down"
echo $msg
echo "$msg"
## var-command-substitution-trailing-newlines
out=$(printf 'a\nb\n\n\n')
echo "[$out]"
## var-nested-substitution
echo "last error component: $(grep ERROR logs/app.log | tail -n 1 | awk '{print $3}')"
## var-backticks
n=`grep -c WARN logs/app.log`
echo "warnings: $n"
## var-exit-status-variable
grep -q nope README.txt
rc=$?
echo "grep said $rc"
## var-env-export-child
export LOG_LEVEL=debug
awk 'BEGIN {print ENVIRON["LOG_LEVEL"]}'
## var-env-prefix-command
SVC=search awk 'BEGIN {print "svc=" ENVIRON["SVC"]}'
echo "after: [${SVC:-unset}]"
## var-unset
v=1
unset v
echo "v=[${v:-gone}]"
## var-empty-string-arg
printf '[%s]\n' "" "x" ""
## var-quoted-empty-var-arg
e=""
printf '[%s]\n' "$e" $e end
## var-special-chars-in-value
pattern='5[0-9][0-9]'
grep -cE "\" $pattern " logs/nginx/access.log
## var-concat-path
dir=logs
file=app.log
wc -l "$dir/$file"
## var-space-in-path
f="notes/incident notes.txt"
head -n 1 "$f"
## var-space-in-path-unquoted
f="notes/incident notes.txt"
head -n 1 $f
echo "rc=$?"
## var-reassign-in-loop
last=none
for s in orders payments search; do last=$s; done
echo "last=$last"
## var-dollar-question-after-pipe
grep ERROR logs/app.log | grep -q auth
echo "rc=$?"
## var-escaped-quotes
echo "he said \"rollback\" at 08:22"
echo 'it'\''s done'
## var-positional-none
echo "args: [$1] [$#]"
## var-dollar-zero
echo "$0"
## var-ifs-default-tabs
v=$(printf 'a\tb  c')
for w in $v; do echo "<$w>"; done
## var-assign-multiple
a=1 b=2 c=3
echo "$a$b$c"
## var-literal-star-quoted
echo "logs/*.log"
echo 'data/*'
## var-jq-arg-from-var
name=redis-0
jq -r --arg n "$name" '.items[] | select(.metadata.name == $n) | .spec.nodeName' data/pods.json
## var-awk-v-from-var
limit=60
awk -v l="$limit" 'NR > 1 && $3 + 0 > l {print $2}' data/ps.txt
## var-home-unrelated
x=~
[ -n "$x" ] && echo "tilde expands to something"
## var-custom-ifs-split
flags=$(grep '^FEATURE_FLAGS=' config/app.env | cut -d= -f2)
IFS=,
for f in $flags; do echo "flag: $f"; done
## var-ifs-restored-default
IFS=:
v='a:b c'
for w in $v; do echo "<$w>"; done
unset IFS
for w in $v; do echo "[$w]"; done
## var-error-if-unset
echo "${DEPLOY_TARGET:?set DEPLOY_TARGET first}"
echo "never"
## var-assignment-status
v=$(grep -c FATAL logs/app.log)
echo "rc=$? v=$v"
## var-readonly-assign
readonly env=prod
env=staging
echo "rc=$? env=$env"
## var-quoted-star-in-var
pat='*.log'
echo "$pat"
## var-unquoted-star-in-var
cd logs
pat='*.log'
echo $pat
## var-backslash-escapes-unquoted
echo a\ b\ \ c
echo \$HOME\*
## var-nested-quotes-in-substitution
echo "status: $(echo "a  b" | tr -s ' ')"
## var-empty-unquoted-dropped
empty=
printf '<%s>' a $empty b
echo
## var-newline-in-var-unquoted
v=$(printf 'web-01\nweb-02')
echo $v
echo "$v"
## var-dollar-at-empty
printf '<%s>\n' "$@"
echo "count=$#"
## var-pwd-basename
cd data/reports
basename "$PWD"
## var-shell-path-set
[ -n "$PATH" ] && echo "PATH is set"
## var-home-expansion-compare
[ "$HOME" = ~ ] && echo "tilde is HOME"
## var-concatenated-quoting
a=pay
echo "${a}ments"'-svc'"!"
## var-question-mark-after-failed-substitution
out=$(cat nope.txt 2>&1)
echo "rc=$? out=$out"
## var-locale-sensitive-sort-var
LC_ALL=C sort data/users.txt | head -n 3
## var-export-then-env-grep
export INCIDENT_ID=INC-2024-0312
env | grep '^INCIDENT_ID='
## var-inline-env-for-sort
LC_ALL=C sort -f data/users.txt | head -n 4
## var-angle-brackets-in-double-quotes
echo "usage: rollback <revision>"
## var-angle-brackets-grep-pattern
printf '<error>disk full</error>\n<info>ok</info>\n' > events.xml
grep -c "<error>" events.xml
## var-angle-brackets-single-quotes
echo '<none>'
## var-default-from-substitution
echo "owner: ${OWNER:-$(grep '^payments,' data/services.csv | cut -d, -f2)}"
## var-default-quoted-words
unset ns
echo ${ns:-"two  words"}
printf '<%s>\n' ${ns:-a b}
## var-substitution-read-file
todo=$(< notes/todo.txt)
echo "$todo" | wc -l
## var-substitution-nested-quotes
echo "$(grep -c "$(echo ERROR)" logs/app.log) errors"
## var-assign-no-split
v=$(head -n 2 data/hosts.txt)
w=$v
echo "$w" | wc -l
## var-tilde-in-quotes-literal
echo "~/not-expanded" '~/nor-this'
## var-dollar-literal-end
echo "cost: 5$"
echo 'a$'
## var-braces-adjacent-text
node=node-a
echo "${node}_pods" "$node_pods|"
## test-leading-zeros-numeric
[ 010 -eq 10 ] && echo "decimal, not octal"
[ -5 -lt 3 ] && echo "negative compare"
## test-string-with-bang
v='!'
[ "$v" = '!' ] && echo "bang equals bang"
## test-z-unquoted-empty
v=
[ -z $v ] && echo "empty is zero length"
## var-unset-plain-reference
echo "namespace=[$NAMESPACE]"
echo "done"

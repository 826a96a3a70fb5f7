# Lines bash runs as commands although they read like output, prompts or tables to a human.
## lines-leading-input-redirect
< data/users.txt sort | uniq -c | sort -rn | head -n 3
## lines-leading-stderr-redirect
2>/dev/null cat config/prod.env
echo "rc=$?"
## lines-group-negation
{ ! grep -q FATAL logs/app.log; } && echo "no fatal lines"
## lines-group-test
{ [ -f config/app.env ] && echo "env present"; }
## lines-quoted-program-variable
tool=jq
"$tool" -r .kind data/deploy.json
## lines-single-quoted-program
'grep' -c ERROR logs/app.log
## lines-aligned-arguments
cp  config/app.env  app.env.saved
ls app.env.saved
## lines-aligned-echo
echo  orders  payments  search
## lines-env-double-space-pipe
env  | grep -c '^PATH='
## lines-prompt-dollar
$ grep -c ERROR logs/app.log
21
## lines-prompt-user-host
ops@bastion:~$ grep -c WARN logs/app.log
## lines-uppercase-echo-words
echo STATUS READY
## lines-table-header-then-command
NAMES=$(cut -f1 data/containers.txt | sed 1d | tr '\n' ' ')
echo "$NAMES"
## lines-key-colon-word
echo status: degraded
## lines-var-assignment-then-digit
n=3 2>/dev/null
echo "n=$n"
## lines-dash-argument-table
printf '%s\n'  a  b  c
## lines-comment-after-command
grep -c ERROR logs/app.log  # count errors
## lines-leading-digit-redirect-append
echo "first" > notes.log
2>>notes.log ls nope
cat notes.log
## lines-bracket-without-space-word
[ -d logs ] && echo "logs is a dir"
## lines-brace-group-multiline
{
  echo "header"
  grep -c ERROR logs/app.log
} > counts.txt
cat counts.txt
## lines-subshell-multiline
(
  cd logs/nginx
  ls
)
## lines-multiline-awk-program
awk -F, '
NR > 1 && $6 != "healthy" {
  print $1
}
' data/services.csv
## lines-multiline-jq-program
jq -r '
  .items[]
  | select(.status.phase == "Running")
  | .metadata.name
' data/pods.json
## lines-continuation-backslash
grep -c \
  ERROR \
  logs/app.log
## lines-pipe-at-end-of-line
grep ERROR logs/app.log |
  awk '{print $3}' |
  sort -u
## lines-and-at-end-of-line
[ -f config/app.env ] &&
  echo "config present"
## lines-capitalized-single-word
Tail=tail
echo "$Tail"
## lines-url-first-word-echo
echo http://payments.prod.svc:8082/v1
## lines-json-looking-echo
echo '{"status":"ok"}' | jq -r .status

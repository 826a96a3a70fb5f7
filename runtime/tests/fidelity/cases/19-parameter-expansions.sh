# Parameter expansions beyond #, % and /: substrings (characters, negative offsets and lengths) and case modification.
## substr-basic
v="prod-api-gateway-7d9f"
echo "${v:0:4} ${v:5} ${v:5:3} ${v: -4} ${v:(-4):2} ${v:100} ${v: -100}"
## substr-negative-length
v="2024-03-11T10:15:00Z"
echo "${v:0:-1} ${v:11:-4}"
## substr-vars
start=2 len=3 s=abcdefgh
echo "${s:start:len} ${s:$start:$len} ${s:start+1}"
## substr-utf8
s="✓ déploiement réussi"
echo "${s:2:10}|${s: -5}"
## substr-length-error
v=abc
echo "${v:2:-3}"
echo after
## substr-empty-var
unset e
echo "[${e:0:3}]"
## substr-date-parts
ts=20240311
echo "${ts:0:4}-${ts:4:2}-${ts:6:2}"
## case-upper-env
env=staging
echo "deploying to ${env^^}"
## case-lower-answer
answer=YES
[ "${answer,,}" = yes ] && echo confirmed
## case-first-char
name=orders
echo "${name^} ${name^^} Mixed-Case: ${name,}"
v=ORDERS
echo "${v,} ${v,,}"
## case-empty
e=
echo "[${e^^}]"
## case-non-ascii
s="été"
echo "${s^^}"

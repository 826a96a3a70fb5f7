# Shell arithmetic: $((…)), (( … )), for ((…)), with bash's 64-bit integers, its errors and
# where an error leaves the script.
## arith-error-budget
total=$(wc -l < logs/app.log)
errors=$(grep -c ERROR logs/app.log)
echo "error rate: $(( errors * 100 / total ))%"
## arith-dollar-operands
e=$(grep -c ERROR logs/app.log)
w=$(grep -c WARN logs/app.log)
echo "issues: $(( $e + $w ))"
## arith-retry-backoff
for attempt in 1 2 3 4; do
  echo "attempt $attempt: waiting $(( 2 ** attempt ))s"
done
## arith-counter-while
i=0
while (( i < 3 )); do
  echo "probe $i"
  (( i++ ))
done
echo "probes: $i"
## arith-c-style-for
for ((i = 1; i <= 3; i++)); do echo "node-$i"; done
echo "after loop i=$i"
## arith-c-style-for-empty-parts
n=0
for ((;;)); do
  n=$((n + 1))
  if (( n >= 3 )); then break; fi
done
echo "stopped at $n"
## arith-compound-assign
n=5
(( n += 10 ))
(( n *= 2 ))
(( n -= 1 ))
(( n /= 3 ))
(( n %= 7 ))
echo "n=$n"
## arith-increment-forms
i=5
echo "$((i++)) $i $((++i)) $i $((i--)) $i $((--i)) $i"
## arith-status-zero-is-failure
(( 0 )); echo "zero: $?"
(( 7 )); echo "seven: $?"
x=0
(( x++ )); echo "post-increment from 0: $? x=$x"
## arith-errexit-on-zero
set -e
count=0
(( count++ ))
echo "never printed"
## arith-errexit-condition-exempt
set -e
if (( $(grep -c FATAL logs/app.log || true) > 0 )); then echo fatal; fi
echo "still here"
## arith-comparisons
a=10 b=3
echo "$((a > b)) $((a < b)) $((a >= 10)) $((a <= 9)) $((a == 10)) $((a != 10))"
## arith-logic-short-circuit
zero=0
echo "$(( zero && 1/zero )) $(( 1 || 1/zero )) $(( zero ? 1/zero : 4 ))"
## arith-ternary-threshold
disk=$(awk 'NR==2 {gsub("%","",$5); print $5}' data/df.txt)
echo "level: $(( disk > 90 ? 2 : disk > 80 ? 1 : 0 ))"
## arith-bit-operations
flags=6
echo "$(( flags & 2 )) $(( flags | 1 )) $(( flags ^ 3 )) $(( ~flags )) $(( 1 << 10 )) $(( -16 >> 2 ))"
## arith-negative-division
echo "$(( -7 / 2 )) $(( -7 % 3 )) $(( 7 % -3 )) $(( -2 ** 2 ))"
## arith-overflow-wraps
echo "$(( 9223372036854775807 + 1 )) $(( 2 ** 63 )) $(( 2 ** 64 ))"
## arith-min-divided-by-minus-one
min=$(( -9223372036854775807 - 1 ))
echo "$min $(( min / -1 )) $(( min % -1 ))"
## arith-bases
echo "$(( 0x1F )) $(( 010 )) $(( 2#1011 )) $(( 16#ff )) $(( 36#z ))"
## arith-values-in-bases
hex=0x10 oct=017 padded="  42  " neg=-5
echo "$((hex + 1)) $((oct + 1)) $((padded + 1)) $((neg * 2))"
## arith-unset-is-zero
unset missing
echo "$(( missing + 1 ))"
echo "$(( ${missing} + 1 ))" 2>/dev/null || true
## arith-empty-value-is-zero
empty=""
echo "$(( empty * 3 ))"
## arith-comma-and-assign
echo "$(( a = 4, b = a * 2, a + b )) a=$a b=$b"
## arith-division-by-zero-line
total=0
echo "avg: $(( 100 / total ))"; echo "same line, never"
echo "next line runs: $?"
## arith-division-by-zero-command
n=0
(( 10 / n )) || echo "failed with $?"
echo "after"
## arith-division-by-zero-in-if
if true; then
  echo "$(( 1 / 0 ))"
  echo "rest of the if, never"
fi
echo "after the if: $?"
## arith-division-by-zero-subshell
( echo "$(( 5 % 0 ))"; echo "never" ); echo "subshell status $?"
x=$(echo "$(( 1 / 0 ))"; echo inner); echo "substitution status $? x=[$x]"
## arith-division-by-zero-pipeline
echo "$(( 1 / 0 ))" | cat; echo "pipeline status $?"
## arith-negative-exponent
echo "$(( 2 ** -1 ))"
echo "after"
## arith-octal-month
month=08
echo "$(( month + 1 ))"
echo "after"
## arith-errexit-not-on-expansion-error
set -e
echo "$(( 1 / 0 ))"
echo "still running"
## arith-nested-parens
a=3 b=4
echo "$(( (a + b) * (a - b) ))  $(( ((a)) ))"
## arith-in-test
used=$(grep -c ERROR logs/app.log)
if [ "$((used * 2))" -gt 3 ]; then echo "over"; else echo "under"; fi
## arith-in-filename
n=$(( $(ls logs | wc -l) + 0 ))
echo "$n"
## arith-seconds-to-minutes
elapsed=3725
printf '%dm%02ds\n' $(( elapsed / 60 )) $(( elapsed % 60 ))
## arith-loop-sum
sum=0
for n in 3 5 8 13; do sum=$(( sum + n )); done
echo "sum=$sum"
## arith-c-for-nested-break
for ((i = 0; i < 3; i++)); do
  for ((j = 0; j < 3; j++)); do
    if (( j == 2 )); then break; fi
    echo "$i.$j"
  done
done
## arith-c-for-continue
for ((i = 0; i < 3; i++)); do
  (( i == 1 )) && continue
  echo "$i"
done
## arith-subshell-keeps-counter
n=1
( (( n += 5 )); echo "inside $n" )
echo "outside $n"
x=$(( n += 1 ))
echo "after substitution assignment n=$n x=$x"
## arith-not-a-number-value
v="3 4"
echo "$(( v + 1 ))"
echo "after"
## arith-quoted-inside
echo $(( "3" + 1 ))
## arith-array-element
arr=(1 2 3)
echo $(( arr[1] + 1 ))
## arith-command-substitution-inside
echo $(( $(wc -l < logs/app.log) * 2 ))
## arith-let-builtin
let n=6*7
echo $n
## arith-while-status-last-body
i=0
while [ $i -lt 1 ]; do i=1; false; done
echo "while status $?"
## arith-while-break-status
while true; do false; break; done
echo "after break $?"
## arith-assignment-is-not-a-constant
n=1
(( n++ ))
head -n "$n" logs/app.log
## arith-loop-variable-changed
for i in 1 2; do (( i += 10 )); echo "value $i"; done
## arith-only-assigned-by-arithmetic
(( total = 6 * 7 ))
echo "total is $total"
## arith-substitution-assigns-in-subshell
n=1
out=$(echo $(( n += 1 )))
echo "out=$out n=$n"
## arith-pipeline-element-assigns
n=1
echo $(( n += 1 )) | cat
echo "n=$n"
## arith-subst-in-arith
echo $(( $(wc -l < logs/app.log) * 2 ))
## arith-subst-errors-grep
if (( $(grep -c FATAL logs/app.log || true) > 0 )); then echo fatal; else echo none; fi
## arith-length
v=abcdef
echo $(( ${#v} + 1 ))
## arith-default
echo $(( ${unset_var:-5} * 2 ))
## arith-nested
echo $(( $((2 + 3)) * 4 ))
## arith-subst-empty
echo $(( $(true) + 1 ))
echo after
## arith-subst-quotes-inside
echo $(( $(grep -c "ERROR" logs/app.log) + 0 ))
## arith-subst-assign-inside
n=1
echo $(( $(echo 5) + (n += 2) )) $n
## arith-let-quoted
n=3
let 'n = n * 2' "m = n + 1"
echo "$n $m"
## arith-let-status
i=0
let i++; echo "st=$? i=$i"
let ++i; echo "st=$? i=$i"
## arith-let-div-zero
let 'x = 1/0'
echo "st=$?"
## arith-c-for-redirected
for ((i = 0; i < 2; i++)); do echo "line $i"; done > tmp/out.txt
cat tmp/out.txt
## arith-c-for-reads-file
for ((i = 0; i < 2; i++)); do read -r host rest; echo "$i $host"; done < data/hosts.txt
## arith-c-for-errexit
set -e
for ((i = -1; i < 2; i++)); do echo "$i"; done
echo reached
## arith-c-for-init-error
for ((i = 1 / 0; i < 2; i++)); do echo "$i"; done; echo "status $?"
## arith-c-for-step-error
for ((i = 0; i < 3; i += 1 / 0)); do echo "$i"; done; echo "status $?"
## arith-c-for-cond-error
n=0
for ((i = 0; i < 3 / n; i++)); do echo "$i"; done; echo "status $?"
## arith-c-for-body-status
for ((i = 0; i < 1; i++)); do false; done; echo "status $?"
## arith-error-in-redirected-group
{ echo kept; echo "$(( 1 / 0 ))"; echo never; } > tmp/g.txt
cat tmp/g.txt
## arith-error-in-redirected-loop
for i in 1 2; do echo "v$i"; echo $(( 1 / 0 )); done >> tmp/l.txt
cat tmp/l.txt
## arith-error-no-file-created
echo $(( 1 / 0 )) > tmp/none.txt
ls tmp
## arith-glued-expansion
v=5 v1=7
echo $(( ${v}1 + 1 ))
## arith-hex-prefix-alone
v=0x
echo "[$((v))]"

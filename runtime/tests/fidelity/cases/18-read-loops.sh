# Reading lines: while read loops over files, pipes, documents and here-strings, read's field
# splitting with the default IFS and with IFS=…, and what may read the loop's input.
## read-loop-hosts-file
while read -r host ip zone role; do
  echo "checking $host ($ip)"
done < data/hosts.txt
## read-loop-two-fields
while read -r name status; do
  echo "$name -> $status"
done < data/containers.txt
## read-loop-csv-ifs
while IFS=, read -r name team port rest; do
  echo "service=$name port=$port team=$team"
done < data/services.csv
## read-loop-skip-header
first=1
while IFS=, read -r name rest; do
  if [ "$first" = 1 ]; then first=0; continue; fi
  echo "$name"
done < data/services.csv
## read-loop-pipe-grep
grep ERROR logs/app.log | while read -r day time level msg; do
  echo "[$level] $msg"
done
## read-loop-pipe-variables-lost
count=0
cat data/hosts.txt | while read -r h; do count=$((count + 1)); done
echo "count after pipe: $count"
## read-loop-redirect-variables-kept
count=0
while read -r h; do count=$((count + 1)); done < data/hosts.txt
echo "count after redirect: $count"
## read-loop-heredoc
while read -r svc port; do
  echo "$svc listens on $port"
done <<EOF
api 8080
web 80
EOF
## read-loop-herestring
list="alpha beta
gamma delta"
while read -r a b; do echo "$b/$a"; done <<< "$list"
## read-loop-last-line-without-newline
printf 'one\ntwo' | while read -r w; do echo "got $w"; done
## read-loop-last-line-or-guard
printf 'one\ntwo' | while read -r w || [ -n "$w" ]; do echo "got $w"; done
## read-single-herestring
read -r a b <<< "orders 8081"
echo "$b"
## read-rest-in-last-name
read -r first rest <<< "  one   two  three  "
echo "[$first] [$rest]"
## read-reply-keeps-blanks
read -r <<< "  padded  "
echo "[$REPLY]"
## read-ifs-empty-keeps-line
IFS= read -r line <<< "   indented line  "
echo "[$line]"
## read-ifs-colon-trailing
IFS=: read -r user rest <<< "root:x:0:0:"
echo "[$user] [$rest]"
IFS=: read -r k v <<< "key:value:"
echo "[$k] [$v]"
## read-ifs-comma-space
IFS=", " read -r a b c <<< "x , y  z ,"
echo "[$a][$b][$c]"
## read-empty-fields
IFS=, read -r a b c <<< "x,,z"
echo "[$a][$b][$c]"
## read-more-names-than-fields
read -r a b c <<< "only"
echo "[$a][$b][$c]"
## read-from-file-first-line
read -r header < data/services.csv
echo "header: $header"
## read-status-at-end
read -r x < logs/empty.log
echo "status $? [$x]"
## read-missing-file
read -r x < data/nope.txt
echo "status $?"
## read-group-two-lines
{ read -r l1; read -r l2; } < data/hosts.txt
echo "$l1 / $l2"
## read-pipe-into-group
head -n 3 data/hosts.txt | { read -r a; read -r b; echo "first two: $a / $b"; }
## read-loop-break
while read -r h rest; do
  echo "$h"
  [ "$h" = web-02 ] && break
done < data/hosts.txt
## read-loop-nested-filter-on-line
while read -r line; do
  echo "$line" | grep -o '10\.[0-9.]*'
done < data/hosts.txt
## read-loop-status-after
while read -r h; do false; done < data/hosts.txt
echo "status $?"
## read-loop-tab-fields
while IFS=$'\t' read -r name status image; do
  echo "$name|$status"
done < data/containers.txt
## read-loop-cat-eats-input
while read -r h; do
  cat
done < data/hosts.txt
## read-loop-ssh-eats-input
while read -r h rest; do
  ssh "$h" uptime
done < data/hosts.txt
## read-without-r-backslash
read line <<< 'C:\temp\new'
echo "$line"
## read-without-r-plain
while read line; do echo "> $line"; done < data/hosts.txt
## read-option-p
read -p "name? " name <<< "x"
## read-ifs-elsewhere-refused
IFS=,
echo "a,b"
## read-ifs-non-ascii-refused
IFS='é' read -r a b <<< "xéy"
echo "[$a][$b]"
## read-substitution-after-pipe-refused
echo hi | echo "[$(read -r z; echo "$z")]"
## read-break-in-condition
n=0
while read -r h rest && [ "$h" != web-02 ]; do n=$((n + 1)); done < data/hosts.txt
echo "before web-02: $n"

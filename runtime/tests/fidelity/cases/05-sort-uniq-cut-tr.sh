# sort, uniq, cut, tr, column, tac over process lists, CSVs, df output and access logs.
## sort-numeric-reverse-cpu
sed 1d data/ps.txt | sort -k3 -n -r | head -n 5 | awk '{print $3, $2, $11}'
## sort-by-field-tab
cut -d, -f1,4 data/services.csv | sed 1d | sort -t, -k2 -n -r
## sort-unique-teams
cut -d, -f2 data/services.csv | sed 1d | sort -u
## sort-human-sizes
sed 1d data/df.txt | sort -k2 -h | awk '{print $2, $6}'
## sort-human-reverse-used
sed 1d data/df.txt | sort -h -r -k3 | head -n 3
## sort-plain-users
sort data/users.txt
## sort-fold-case
sort -f data/users.txt | uniq -i -c
## sort-multiple-keys
sort -t, -k5,5 -k4,4nr data/services.csv | grep -v '^name'
## uniq-count-users
sort data/users.txt | uniq -c | sort -rn
## uniq-duplicates-only
sort data/users.txt | uniq -d
## uniq-unique-only
sort data/users.txt | uniq -u
## uniq-adjacent-only
uniq data/users.txt | wc -l
## cut-fields-csv
cut -d, -f1,3 data/services.csv
## cut-characters
cut -c1-10 logs/app.log | sort -u
## cut-complement
cut -d, -f2,5 --complement data/services.csv | head -n 4
## cut-tab-default
cut -f1,3 data/containers.txt
## cut-field-range-open
cut -d' ' -f2- data/hosts.txt | head -n 3
## cut-chars-open-start
cut -c-19 logs/worker.log | tail -n 2
## cut-only-delimited
printf 'a:b\nplain\nc:d\n' | cut -d: -f2 -s
## tr-lowercase
echo 'ERROR Payments Gateway Timeout' | tr 'A-Z' 'a-z'
## tr-delete-digits
echo 'payments-6b7c8d9e0-fghij' | tr -d '0-9'
## tr-squeeze-spaces
head -n 4 data/ps.txt | tr -s ' '
## tr-complement-newlines
echo 'db-primary.internal:5432' | tr -c 'a-z\n' '_'
## tr-csv-to-tsv
head -n 3 data/services.csv | tr ',' '\t'
## tr-delete-carriage
printf 'LOG_LEVEL=info\r\nMAX_RETRIES=3\r\n' | tr -d '\r' | cat -A
## tr-words-per-line
tr -s ' ' '\n' < notes/todo.txt
## tr-classes
echo 'Node: node-a, Pods: 3' | tr '[:lower:]' '[:upper:]'
## column-table-hosts
column -t data/hosts.txt
## column-csv
column -t -s, data/services.csv | head -n 5
## tac-reverse-log
tail -n 5 logs/worker.log | tac
## sort-stable-key
sort -s -k4,4 data/hosts.txt
## sort-numeric-ports
cut -d, -f3 data/services.csv | sed 1d | sort -n | tr '\n' ' '
echo
## sort-check-sorted
sort -c data/users.txt
echo "rc=$?"
## sort-missing-file
sort data/nope.txt
echo "rc=$?"
## sort-merge-days
sed 1d data/reports/2024-03-11.csv > a.csv
sed 1d data/reports/2024-03-12.csv > b.csv
sort -t, -k1,1 -k2,2n a.csv b.csv
## uniq-skip-fields
awk '{print $3, $4}' logs/app.log | sort | uniq -c -f1 | sort -rn | head -n 4
## cut-bad-field
cut -d, -f0 data/services.csv
echo "rc=$?"
## tr-squeeze-newlines
printf 'a\n\n\nb\n\nc\n' | tr -s '\n'
## sort-reverse-alpha
cut -d' ' -f1 data/hosts.txt | sort -r
## sort-zone-count
awk '{print $3}' data/hosts.txt | sort | uniq -c | sort -k1,1nr -k2

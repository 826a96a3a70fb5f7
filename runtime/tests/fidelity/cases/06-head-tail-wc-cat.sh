# head, tail, wc, cat: line and byte counts, several files, headers, numbering, visible characters.
## head-first-lines
head -n 3 logs/app.log
## head-default-ten
head data/ps.txt | wc -l
## head-bytes
head -c 64 logs/nginx/access.log
echo
## head-negative-count
head -n -17 logs/worker.log
## head-several-files
head -n 2 data/reports/2024-03-11.csv data/reports/2024-03-12.csv
## head-quiet-several
head -q -n 1 data/reports/2024-03-11.csv data/services.csv
## head-verbose-single
head -v -n 2 config/app.env
## head-missing-file
head -n 1 logs/app.log logs/nope.log
echo "rc=$?"
## tail-last-lines
tail -n 4 logs/app.log
## tail-from-line
tail -n +2 data/services.csv | head -n 3
## tail-bytes
tail -c 40 logs/worker.log
## tail-several-files
tail -n 1 logs/worker.log logs/archive/app-2024-03-11.log
## tail-quiet
tail -q -n 1 data/reports/2024-03-11.csv data/reports/2024-03-12.csv
## tail-empty-file
tail -n 5 logs/empty.log
echo "rc=$?"
## tail-missing-file
tail -n 2 nope.log
echo "rc=$?"
## wc-lines
wc -l logs/app.log
## wc-lines-stdin
wc -l < logs/nginx/access.log
## wc-words
wc -w notes/todo.txt
## wc-bytes
wc -c config/app.env
## wc-several-files
wc -l logs/app.log logs/worker.log logs/nginx/access.log
## wc-all-counts
wc data/hosts.txt
## wc-space-name
wc -l "notes/incident notes.txt"
## wc-missing-file
wc -l logs/app.log missing.log
echo "rc=$?"
## wc-pipe-count
grep -c '' data/users.txt
sort -u data/users.txt | wc -l
## wc-empty-files
wc -c logs/empty.log data/empty.csv
## cat-number-lines
cat -n config/app.env | head -n 5
## cat-show-all
cat -A data/containers.txt | head -n 3
## cat-squeeze-blank
printf 'a\n\n\n\nb\n\n\nc\n' | cat -s
## cat-several-files
cat notes/todo.txt README.txt
## cat-missing-file
cat nope.txt
echo "rc=$?"
## cat-missing-among-present
cat notes/todo.txt nope.txt README.txt
echo "rc=$?"
## cat-dash-stdin
echo '--- appended ---' | cat notes/todo.txt - README.txt
## cat-number-nonblank
cat -b config/app.env | tail -n 4
## cat-directory
cat logs
echo "rc=$?"
## head-zero-lines
head -n 0 logs/app.log
echo "rc=$?"
## tail-plus-one
tail -n +1 notes/todo.txt
## head-bad-count
head -n abc logs/app.log
echo "rc=$?"
## wc-max-line-length
wc -L logs/nginx/error.log
## tail-then-head-window
head -n 40 logs/app.log | tail -n 5
## cat-show-tabs
head -n 2 data/containers.txt | cat -T

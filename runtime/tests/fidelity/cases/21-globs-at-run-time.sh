# Globs expanded when the command runs: `for` lists, program and `echo` arguments, brackets, hidden files, no match, names with blanks, and what the manifest grants.
## rglob-for-quoted-var
for f in logs/*.log; do printf '%s: %s\n' "$f" "$(grep -c . "$f")"; done
## rglob-for-no-match
for f in logs/*.gz; do echo "got [$f]"; done
## rglob-for-names-with-blanks
for f in notes/*.txt; do echo "<$f>"; wc -l < "$f"; done
## rglob-for-bracket
for f in data/reports/2024-03-1[12].csv; do head -n 1 "$f"; done
## rglob-for-question
for f in data/reports/2024-03-1?.csv; do echo "${f##*/}"; done
## rglob-for-mixed-items
for f in config/*.yaml extra config/*.conf; do echo "$f"; done
## rglob-echo-star
echo logs/*
## rglob-echo-no-match
echo nothing/*.x
## rglob-hidden-excluded
touch tmp/.hidden tmp/seen
echo tmp/*
## rglob-hidden-pattern
touch tmp/.hidden tmp/seen
echo tmp/.h*
## rglob-program-args
ls -1 data/reports/*.csv | sed 's|.*/||'
## rglob-cmp-program
cp config/app.env tmp/a.env
cmp config/*.env tmp/a.env && echo same
## rglob-bracket-negated
ls data/reports/2024-03-1[!1].csv
## rglob-in-function
count_logs() { for f in logs/*.log; do echo "$f"; done | wc -l; }
count_logs
## rglob-cwd
cd logs
for f in *.log; do echo "$f"; done
## rglob-dir-wildcard-refused
for f in */app.log; do echo "$f"; done
## rglob-var-dir-refused
dir=logs
for f in $dir/*.log; do echo "$f"; done
## rglob-rm-pattern-keeps-hidden
touch tmp/x.tmp tmp/.y.tmp
rm tmp/*.tmp
ls -A tmp
## rglob-grep-bracket
grep -c , data/reports/2024-03-1[12].csv
## rglob-unquoted-loop-var
for f in logs/*.log; do wc -l $f; done

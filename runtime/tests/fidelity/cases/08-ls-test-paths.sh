# ls (no -l/-t), test / [ ], basename, dirname, cd and pwd (piped through basename).
## ls-plain-dir
ls logs
## ls-one-per-line
ls -1 data
## ls-all-hidden
ls -a config
## ls-almost-all
ls -A tmp
## ls-recursive
ls -R logs
## ls-directory-itself
ls -d logs config data
## ls-by-size
ls -S data/reports
## ls-several-dirs
ls config notes
## ls-missing
ls nope
echo "rc=$?"
## ls-file-and-dir
ls README.txt notes
## ls-space-names
ls notes
ls -1 notes | grep -c ' '
## ls-reverse
ls -r data
## ls-after-mkdir
mkdir -p out/reports/daily
touch out/reports/daily/summary.txt out/a.txt
ls -R out
## ls-empty-dir
mkdir empty-dir
ls empty-dir
echo "rc=$?"
## test-file-exists
if [ -f config/app.env ]; then echo "env present"; fi
## test-dir
[ -d logs/nginx ] && echo "nginx logs dir"
## test-missing
[ -e logs/gone.log ] || echo "no gone.log"
## test-size-nonempty
for f in logs/empty.log logs/app.log data/empty.csv; do
  if [ -s "$f" ]; then echo "$f has data"; else echo "$f is empty"; fi
done
## test-string-empty
v=""
[ -z "$v" ] && echo "empty"
[ -n "$v" ] || echo "not set"
## test-string-equal
env=$(grep '^APP_ENV=' config/app.env | cut -d= -f2)
if [ "$env" = production ]; then echo "careful: production"; fi
[ "$env" != staging ] && echo "not staging"
## test-numeric-compare
n=$(grep -c ERROR logs/app.log)
if [ "$n" -gt 10 ]; then echo "too many errors: $n"; fi
[ "$n" -lt 100 ] && echo "under 100"
[ "$n" -eq 21 ] && echo "exactly 21"
## test-builtin-word
test -f data/pods.json && echo pods file
test 3 -le 2 || echo "3 > 2"
## test-negation
if ! [ -d data/pods.json ]; then echo "not a dir"; fi
## test-status-printed
[ -f nope ]
echo "rc=$?"
[ -f README.txt ]
echo "rc=$?"
## test-bad-integer
[ abc -gt 1 ]
echo "rc=$?"
## test-and-or-flags
[ -f config/app.env -a -f config/nginx.conf ] && echo both
[ -f nope -o -d logs ] && echo either
## basename-paths
basename /var/log/nginx/access.log
basename logs/archive/app-2024-03-11.log .log
basename "notes/incident notes.txt"
## dirname-paths
dirname /var/lib/postgresql/data
dirname logs/nginx/access.log
dirname file.txt
## cd-and-ls
cd logs/nginx
ls
cd ../..
ls -d logs
## cd-missing
cd /nonexistent-dir-for-test
echo "rc=$?"
## cd-subshell-pwd-basename
(cd data/reports && pwd | xargs basename)
pwd | xargs basename > /dev/null
ls -d data
## pwd-basename-only
cd config && basename "$(pwd)"
## cd-dash-back
cd logs
cd - > /dev/null
ls -d logs
## test-file-newer-skip
[ -r config/app.env ] && echo readable
[ -w config/app.env ] && echo writable
## test-unary-missing-arg
[ -f ]
echo "rc=$?"
## ls-classify
ls -F logs
## ls-slash-dirs
ls -p data
## ls-comma-separated
ls -m config
## ls-quote-names
ls -Q notes
## ls-by-extension
ls -X data
## ls-size-reverse
ls -S -r logs/nginx
## ls-dirs-first
ls --group-directories-first logs
## ls-columns-forced
ls -C data
## ls-across
ls -x data
## ls-recursive-all
ls -RA tmp config
## ls-one-hidden
ls -1A config
## ls-glob-free-file
ls data/pods.json data/deploy.json
## ls-trailing-slash
ls logs/nginx/
## test-string-lexical
[ "alpha" \< "beta" ] && echo "alpha sorts first"
## test-ge-le-ne
n=$(wc -l < data/hosts.txt)
[ "$n" -ge 8 ] && echo "ge"
[ "$n" -le 8 ] && echo "le"
[ "$n" -ne 9 ] && echo "ne"
## test-double-equals
[ "$(jq -r .kind data/deploy.json)" == Deployment ] && echo "is a deployment"
## test-paren-grouping
[ \( -f README.txt -o -f nope \) -a -d logs ] && echo grouped
## test-single-arg
[ "non-empty" ] && echo "true for a non-empty string"
[ "" ] || echo "false for empty"
## test-nonexistent-operator
[ 1 -foo 2 ]
echo "rc=$?"
## test-missing-bracket
[ -f README.txt
echo "rc=$?"
## test-dir-with-trailing-slash
[ -d logs/ ] && echo dir
[ -f README.txt/ ] || echo "not a file with slash"
## test-exec-bit
[ -x README.txt ] || echo "not executable"
## test-h-no-symlink
[ -L README.txt ] || echo "not a symlink"
## test-empty-var-unquoted
v=
[ -n $v ] && echo "unquoted -n on empty is true"
## basename-suffix-multiple
basename -a logs/app.log config/app.env
basename -s .csv data/reports/2024-03-12.csv
## dirname-trailing-slash
dirname logs/nginx/
dirname /
## cd-relative-chain
cd data
cd reports
ls
cd ../../logs
ls -d nginx
## cd-dotdot-beyond
cd logs/nginx/../archive && ls

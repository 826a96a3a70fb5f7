# Indexed arrays: `a=(…)`, `a+=(…)`, `"${a[@]}"`, `${a[*]}`, `${#a[@]}`, `${a[N]}`, `${a[i]}`, globs and substitutions in the list, and what is refused.
## arr-basic
services=(web api "db primary")
echo "count: ${#services[@]}"
for s in "${services[@]}"; do echo "svc: $s"; done
echo "first: ${services[0]} last: ${services[-1]} third: ${services[2]}"
## arr-star-joined
hosts=(a b c)
echo "all: ${hosts[*]}"
printf '[%s]\n' "${hosts[*]}"
## arr-unquoted-splits
pair=("x y" z)
for w in ${pair[@]}; do echo "<$w>"; done
## arr-append
list=(one)
list+=(two "three four")
echo "${#list[@]}: ${list[*]}"
## arr-from-substitution
names=($(cut -d, -f1 data/services.csv | tail -n +2))
echo "${#names[@]} services, first ${names[0]}"
## arr-from-glob
files=(logs/*.log)
echo "${#files[@]} logs"
for f in "${files[@]}"; do echo "${f##*/}"; done
## arr-glob-paths-read
files=(logs/*.log)
for f in "${files[@]}"; do wc -l < "$f"; done
## arr-index-loop
ports=(80 443 8080)
for ((i = 0; i < ${#ports[@]}; i++)); do echo "port[$i]=${ports[$i]}"; done
## arr-index-var-plain
ports=(80 443 8080)
i=1
echo "${ports[i]} ${ports[$i]}"
## arr-out-of-range
a=(x)
echo "[${a[5]}] [${a[-3]}]"
## arr-empty
e=()
echo "n=${#e[@]}"
for x in "${e[@]}"; do echo "never $x"; done
echo done
## arr-pass-to-program
sum=(2 + 3)
expr "${sum[@]}"
## arr-pass-to-typed-refused
args=(-c ERROR logs/app.log)
grep "${args[@]}"
## arr-to-function
show() { echo "$# args: $*"; }
items=(a "b c")
show "${items[@]}"
## arr-in-subshell-restored
a=(1 2)
( a=(9); echo "in ${a[*]}" )
echo "out ${a[*]}"
## arr-nounset
set -u
a=(x)
echo "${a[0]} ${#a[@]}" "${a[@]}"
echo "${a[3]}"
echo never
## arr-scalar-use-refused
a=(x y)
echo "$a"
## arr-element-assign-refused
a=(x y)
a[1]=z
echo "${a[@]}"
## arr-slice-refused
a=(x y z)
echo "${a[@]:1}"
## arr-joined-refused
a=(x y)
echo "items:${a[@]}"
## arr-mapfile-file
mapfile -t lines < notes/todo.txt
echo "${#lines[@]} lines, first: ${lines[0]}"
for l in "${lines[@]}"; do echo "- $l"; done
## arr-mapfile-keep-newlines
mapfile kept < notes/todo.txt
printf '[%s]' "${kept[@]}"
echo
## arr-readarray-herestring
readarray -t hosts <<< "$(cut -d, -f1 data/services.csv)"
echo "${#hosts[@]} ${hosts[1]}"
## arr-mapfile-default-name
mapfile -t < data/hosts.txt
echo "${#MAPFILE[@]}"
## arr-mapfile-piped-is-lost
printf 'a\nb\n' | mapfile -t piped
echo "[${#piped[@]}]"
## arr-mapfile-no-final-newline
printf 'x\ny' > tmp/nl.txt
mapfile -t parts < tmp/nl.txt
echo "${#parts[@]} ${parts[1]}"

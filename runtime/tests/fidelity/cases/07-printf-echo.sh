# printf and echo: formats, padding, repeated formats, escapes, -n/-e.
## printf-status-line
printf '%s is %s\n' payments down
## printf-padded-table
printf '%-14s %6s %s\n' SERVICE PORT STATUS orders 8081 degraded payments 8082 down
## printf-zero-pad
printf '%05d\n' 42 7 31337
## printf-hex
printf '%x %X %o\n' 255 48879 8
## printf-float
printf '%5.2f%%\n' 91.456 6 73.3912
## printf-repeat-format
printf '%s=%s\n' DB_HOST db-primary DB_PORT 5432 LOG_LEVEL
## printf-no-newline
printf 'checking %s... ' orders
printf 'done\n'
## printf-escape-tab
printf 'name\tport\napi\t8080\n'
## printf-percent-b
printf '%b\n' 'line1\nline2\tTabbed'
## printf-missing-args
printf '%s:%d\n'
## printf-width-star
printf '%*s|\n' 10 right
## printf-left-right
printf '[%-8s][%8s]\n' left right
## printf-char-escape-octal
printf 'bell-free \101\102\103\n'
## printf-bad-number
printf '%d\n' 12abc
echo "rc=$?"
## printf-quoted-q
printf '%q\n' 'file with spaces.txt'
## printf-into-file
printf '%s\n' web-01 web-02 db-01 > inventory.txt
cat inventory.txt
## printf-cmd-substitution
printf 'errors=%d warnings=%d\n' "$(grep -c ERROR logs/app.log)" "$(grep -c WARN logs/app.log)"
## echo-plain
echo payments rollback complete
## echo-n
echo -n 'no newline'
echo ' then newline'
## echo-e-escapes
echo -e 'col1\tcol2\nrow\x41'
## echo-no-e-literal
echo 'a\tb'
## echo-multiple-spaces-quoted
echo "keep    four spaces"
## echo-multiple-spaces-unquoted
echo drop    extra    spaces
## echo-empty
echo
echo ''
echo "after"
## echo-to-stderr
echo 'oops: payments unhealthy' >&2
echo 'continuing'
## echo-dash-dash
echo -- not-an-option
## echo-e-backslash-c
echo -e 'stop here\c ignored'
echo
## printf-dash-string
printf -- '-%s-\n' flag
## printf-negative-width
printf '%-5d|%5d|\n' 12 12
## printf-plus-sign
printf '%+d %+d\n' 5 -5
## printf-string-precision
printf '%.3s\n' payments orders
## printf-scientific
printf '%e\n' 1073741824
## printf-char
printf '%c%c\n' yes no
## echo-e-octal-and-escape
echo -e 'a\0101b \e[0m|' | cat -v
## echo-combined-flags
echo -ne 'retry\t1\n'
## echo-capital-e-disables
echo -E 'raw\tvalue'
## echo-backslash-in-double-quotes
echo "path C:\\temp and \$HOME literal"
## echo-not-an-option
echo -x 'dash x is printed'
## printf-vector-reuse-widths
printf '%-6s|%3d|\n' a 1 bb 22 ccc
## printf-backslash-in-arg-s
printf '%s\n' 'a\tb'
## printf-b-with-c
printf '%b' 'kept\cdropped'
echo
## printf-hex-input
printf '%d %d\n' 0x1F 010
## printf-char-quote-arg
printf '%d\n' "'A"
## printf-float-rounding
printf '%.0f %.0f %.1f\n' 2.5 3.5 0.05
## printf-too-many-formats
printf '%s %s %s\n' one two
## printf-percent-percent
printf '100%%\n'
## printf-to-stderr
printf 'warn: %s\n' 'disk 94%' >&2
## printf-format-from-variable
fmt='%-10s %s\n'
printf "$fmt" service status payments down
## printf-unicode-width
printf '[%-6s]\n' 'café'
## echo-utf8
echo 'déploiement terminé ✓'
## printf-large-int
printf '%d\n' 9223372036854775807
printf '%d\n' 9223372036854775808
echo "rc=$?"

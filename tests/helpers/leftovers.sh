#!/bin/sh
# leftovers.sh DIR: exits 1, listing them, when DIR (the TMPDIR tests/run.sh
# gives a run) holds anything: a test that left a temporary file or folder
# behind. The names say which test made them (laketop-NAME-XXXXXX).
set -u
dir=${1:?usage: leftovers.sh DIR}
left=$(find "$dir" -mindepth 1 -maxdepth 1 2>/dev/null | sed "s|^$dir/||" | sort)
[ -z "$left" ] && exit 0
echo "left in $dir by the tests:"
echo "$left" | sed 's/^/  /'
exit 1

#!/bin/sh
# test_layout.sh: the source layout's rules hold on the tree (see
# tests/helpers/check_layout.py): no include circle between modules, no
# curses below the UI, no file, environment or socket access in views/, no
# .c file over 600 lines without a reason at its top. Then the checker is
# shown to fail on a tree that breaks each rule. The argument (path to
# laketop) is not used.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NO_LAKETOP=1
. "$HERE/lib.sh"
cd "$ROOT" || exit 1
$PY tests/helpers/check_layout.py .

# The checker itself: a small tree that breaks every rule must fail each.
mkdir -p "$WORK/collector" "$WORK/views"
printf '#include "collector/b.h"\n' >"$WORK/collector/a.c"
printf '#include "collector/a.h"\n#include <curses.h>\n' >"$WORK/collector/b.c"
: >"$WORK/collector/a.h"
: >"$WORK/collector/b.h"
printf 'static const char *x(void) { return getenv("HOME"); }\n' >"$WORK/views/v.c"
i=0
while [ $i -lt 700 ]; do echo "/* line */"; i=$((i + 1)); done >"$WORK/views/w.c"
$PY tests/helpers/check_layout.py "$WORK" >"$WORK/out" 2>&1
for rule in "no include circle" "include no curses" "views/ reads no file" "no .c file over 600"; do
    if grep -q "^not ok - .*$rule" "$WORK/out"; then
        echo "ok - the checker catches a broken rule: $rule"
    else
        echo "not ok - the checker misses a broken rule: $rule"
        sed 's/^/# /' "$WORK/out"
    fi
done

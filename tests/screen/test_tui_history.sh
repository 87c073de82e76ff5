#!/bin/sh
# test_tui_history.sh: refused history lines on screen (issue 10, item 14).
# With the clock pinned, a history holding two samples dated after tomorrow
# and two lines that do not parse: the status bar counts the refused lines,
# whatever else the message line shows, and the message line says which,
# where (file and line) and why.
set -u
LAKETOP=${1:?usage: test_tui_history.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8 # the pane, tmux and python in UTF-8
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-history-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
LAKE="$WORK/lake"
mkdir -p "$LAKE/catalog/db" "$LAKE/storing/db/t" "$LAKE/.laketop"
printf '{"Name": "t", "StorageDescriptor": {"Location": "storing/db/t/"}}' >"$LAKE/catalog/db/t.json"
head -c 50000 /dev/zero >"$LAKE/storing/db/t/part-0.parquet"
{
    printf '# laketop history v1\n'
    printf '2026-02-20\tdb\tt\t20000\t1\t-\n'
    printf '2031-01-01\tdb\tt\t999999999\t9\t-\n' # line 3: years ahead
    printf 'garbage\n'                            # line 4
    printf '2026-03-09\tdb\tt\t777777\t9\t-\n'    # line 5: a week ahead
    printf '2026-02-27\tdb\tt\tmany\t1\t-\n'      # line 6
} >"$LAKE/.laketop/history.tsv"
RUN="env HOME=$WORK XDG_STATE_HOME=$WORK/state LAKETOP_NOW=2026-03-01T12:00:00Z LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $HERE/../../themes --view databases"

start 160 24 "$RUN"
check "the lake is shown" "db"
check "the status bar counts the refused history lines" "| 4 history lines refused"
check "the message line names the file, the first line and the count" \
    "history.tsv:4: 2 history line(s) did not parse and 2 sample(s) dated after 2026-03-02"
keys x # an unknown key: its message takes the message line for a while
check "another message takes the message line" "unknown key"
check "... the status bar still counts the refused lines" "| 4 history lines refused"
keys q
check "quits" "EXITED 0"
stop

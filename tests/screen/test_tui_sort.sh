#!/bin/sh
# test_tui_sort.sh: sorting that can be found and read, in tmux at 80x24
# and 120x40: the help lists the view's sort keys first, with the direction
# each sorts in first and the rule (names A to Z, figures largest first,
# Quota in soonest first); the first press follows it (the largest table
# by the sizes of its files, found with find), the key again inverts; the
# sorted header keeps its text whole; the status bar says the sort, and
# that its column is hidden when it is ("sorted by Size ▼", shorter when
# the source would not fit beside it: "sort: Quota in ▲ (hidden at this
# width)").
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAKETOP_NOW=2026-03-01T12:00:00Z # the demo's today and the dashboard's
export LAKETOP_NOW
. "$HERE/demo_lib.sh"

# the tables of weblogs by the bytes of their files (from the lake, not laketop)
for f in "$LAKE"/catalog/weblogs/*.json; do
    t=${f##*/} t=${t%.json}
    [ "$t" = database ] && continue
    loc=$(sed -n 's/.*"Location": "\([^"]*\)".*/\1/p' "$f" | head -n 1)
    bytes=$(find "$LAKE/$loc" -type f ! -name '_*' ! -name '.*' -printf '%s\n' 2>/dev/null |
        awk '{ n += $1 } END { print n + 0 }')
    echo "$bytes $t"
    # its newest data file (0: none, as stale as can be)
    newest=$(find "$LAKE/$loc" -type f ! -name '_*' ! -name '.*' -printf '%T@\n' 2>/dev/null |
        sort -n | tail -n 1)
    echo "${newest:-0} $t" >>"$WORK/newest"
done | sort -n >"$WORK/sizes"
stalest=$(sort -n "$WORK/newest" | head -n 1 | cut -d' ' -f2)
largest=$(tail -n 1 "$WORK/sizes" | cut -d' ' -f2)
smallest=$(head -n 1 "$WORK/sizes" | cut -d' ' -f2)
first_name=$(sed 's/^[0-9]* //' "$WORK/sizes" | LC_ALL=C sort | head -n 1)
last_name=$(sed 's/^[0-9]* //' "$WORK/sizes" | LC_ALL=C sort | tail -n 1)
[ -n "$largest" ] && [ "$largest" != "$smallest" ] && ok "sizes from the files ($largest largest)" ||
    notok "sizes from the files"

# row N: the Nth line of the screen
row() { screen | sed -n "$1p"; }
# first_row_is NAME LABEL: the first row of the table (line 3) is NAME's
first_row_is() {
    tries=50
    while [ $tries -gt 0 ]; do
        case "$(row 3)" in "$1 "* | "$1") ok "$2"; return ;; esac
        sleep 0.1
        tries=$((tries - 1))
    done
    notok "$2 (first row: $(row 3))"
}

# --- 80x24: the tables of weblogs -----------------------------------------
start 80 24 "$RUN"
wait_for "weblogs"
keys G Enter
wait_for "user_activity"

keys '?'
check "help: the sort keys of the view below, in sight on opening" "Sort the Tables view"
check "help: U, with its first direction" "by Quota in, smallest first"
check "help: S, largest first" "by Size, largest first"
check "help: N, A to Z first" "by Table, A to Z first"
check "help: the rule" "names A to Z first, figures largest first"
check "help: what the key again does" "again inverts"
keys '?'
wait_for "user_activity"

check "status bar: the sort at start" "Table ▲ |"
keys S
check "S: largest first (a figure)" "Size ▼ |"
first_row_is "$largest" "S: the largest table first ($largest, by find)"
check "the sorted header keeps its title" "▼Size"
keys S
check "S again inverts" "Size ▲ |"
first_row_is "$smallest" "S again: the smallest first ($smallest)"
keys N
check "N: a name, A to Z first" "Table ▲ |"
first_row_is "$first_name" "N: $first_name first"
keys N
first_row_is "$last_name" "N again: $last_name first"
keys L
check "L: Last data, the stalest first (largest age)" "Last data ▼ |"
first_row_is "$stalest" "L: $stalest first (by find: the oldest newest file, or none)"
check "the sorted header keeps its whole title (Last data)" "▼Last data"
keys Q
check "Q: the same rule as every figure (hidden at 80 columns)" \
    "Queries ▼ (hidden at this width)"
keys U
check "U at 80 columns: the status bar says the column is hidden" \
    "sort: Quota in ▲ (hidden at this width)"
keys M
check "M at 80 columns: hidden too" "Size, 30 days ▼ (hidden at this width)"
keys q
check "quits" "EXITED 0"
stop

# --- 120x40: the same columns in sight -------------------------------------
start 120 40 "$RUN"
wait_for "weblogs"
keys G Enter
wait_for "user_activity"
keys U
check "U at 120 columns: sorted, soonest first, said in full" "sorted by Quota in ▲ |"
check "... the column in sight (its header whole)" "▲Quota in"
check_absent "... and not said hidden" "column hidden"
keys Q
check "Q at 120 columns: the sorted header keeps its whole title" "▼Queries"
keys q
check "quits" "EXITED 0"
stop

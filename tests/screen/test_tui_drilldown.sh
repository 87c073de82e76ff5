#!/bin/sh
# test_tui_drilldown.sh: databases -> tables -> detail, in tmux at 80x24 and
# 200x50: the columns, the status bar, sparklines, nothing drawn outside the
# pane, Enter and Esc/Backspace, the end of a list; a broken catalog file
# marked down to its file and line; r refreshes now.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- 80x24 -------------------------------------------------------------
start 80 24 "$RUN"
check "80x24: databases listed" "weblogs"
check "80x24: column header" "Database"
# the source is whole when it fits, else cut in its middle, both ends in sight
check "80x24: status bar names the source" "local:/"
case "$(screen | tail -n 1)" in
*"local:$LAKE"* | *"local:/"*"…"*"lake"*) ok "80x24: ... whole, or cut in its middle" ;;
*) notok "80x24: ... whole, or cut in its middle ($(screen | tail -n 1))" ;;
esac
check "80x24: sparkline in UTF-8" "█"
if [ "$(screen | wc -l)" -le 24 ] && screen | python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))'; then
    ok "80x24: nothing drawn outside the pane"
else
    notok "80x24: lines longer than the pane"
fi

# sales is the 4th database in name order (census, marketing_app, music, sales)
keys j j j Enter
check "drill down into sales" "› sales"
check "tables of sales" "order_items"
check "tables view columns" "Last data"

keys Home Enter
check "Enter opens the table detail" "Location"
check "detail shows the history chart" "History"
check "detail shows partitions" "Partitions"
keys Escape
check "Esc goes back to the tables" "Avg file"
keys BSpace
check "Backspace goes back to the databases" "Stale"
keys q
check "quits" "EXITED 0"
stop

# --- 200x50 ------------------------------------------------------------
start 200 50 "$RUN"
check "200x50: databases listed" "weblogs"
check "200x50: 30-day sparkline header" "Size, 30 days"
keys j j j j Enter
check "200x50: weblogs tables" "clickstream_raw"
check "200x50: stale table shows days" "sessions"
keys G
sel=$(screen | grep -F "user_activity" | head -n 1)
[ -n "$sel" ] && ok "200x50: End reaches the last table" || notok "200x50: End reaches the last table"
keys q
check "quits" "EXITED 0"
stop

# --- a broken table is marked, the rest refreshes -----------------------
printf '{"Name": "broken",\n "StorageDescriptor": {\n' >"$LAKE/catalog/sales/broken.json"
start 80 24 "$RUN"
check "a broken catalog file is reported" "1 table with errors"
keys j j j Enter
check "the broken table is marked with !" "! broken"
keys Enter
check "its detail names the file and line" "broken.json:3"
keys q
check "quits" "EXITED 0"
stop
rm -f "$LAKE/catalog/sales/broken.json"

# --- r refreshes now: a database added while running appears -------------
start 100 30 "$RUN --interval 1h"
check "refresh test: started" "weblogs"
check_absent "no finance database yet" "finance"
mkdir -p "$LAKE/catalog/finance" "$LAKE/storing/finance/ledger"
printf '{"Name": "ledger", "StorageDescriptor": {"Location": "storing/finance/ledger/"}}' \
    >"$LAKE/catalog/finance/ledger.json"
head -c 3145728 /dev/zero >"$LAKE/storing/finance/ledger/part-0.parquet"
keys r
check "r: the new database appears without waiting for the interval" "finance"
check "r: its size is counted" "3.0 MiB"
keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_tui.sh: the dashboard as a person sees it, in tmux at 80x24 and
# 200x50: databases, drill-down, filter, sort, detail, help, theme, resize,
# the too-small message, and that q, Ctrl-C and SIGTERM restore the terminal.
set -u
LAKETOP=${1:?usage: test_tui.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
WORK=$(mktemp -d /tmp/laketop-screen-XXXXXX)
trap 'stop; rm -rf "$WORK"' EXIT
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" 2>/dev/null || { echo "not ok - demo lake"; exit 1; }
THEMES="$HERE/../../themes"
# The Overview is the first screen; most checks below start on Databases.
RUN0="env LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $THEMES"
RUN="$RUN0 --view databases"

# --- 80x24 -------------------------------------------------------------
start 80 24 "$RUN0"
check "80x24: the overview is the first screen" "laketop › Overview"
check "80x24: ... with the lake's totals" "3 stale, 1 late, 0 anomalies"
keys o
check "o goes from the overview to the databases" "laketop › Databases"
check "80x24: databases listed" "weblogs"
check "80x24: column header" "Database"
check "80x24: status bar names the source" "local:$LAKE"
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

keys /
check "filter prompt" "Filter: _"
keys o r d
check "incremental filter shows orders" "raw_orders"
check_absent "filter hides customers" "customers"
keys Enter
check "filter kept after Enter" "Filter: ord"
keys Escape
check "Esc clears the filter" "customers"

keys S
check "sort by size: arrow on Size" "▲Size"
first=$(screen | sed -n 3p)
case "$first" in
*products*) ok "smallest table first after sorting by size" ;;
*) notok "smallest table first after sorting by size (row: $first)" ;;
esac
keys S
check "S again inverts the sort" "▼Size"
first=$(screen | sed -n 3p)
case "$first" in
*orders*) ok "largest table first after inverting" ;;
*) notok "largest table first after inverting (row: $first)" ;;
esac
keys '>'
check "> moves the sort to the next column" "▼Files"

keys Home Enter
check "Enter opens the table detail" "Location"
check "detail shows the history chart" "History"
check "detail shows partitions" "Partitions"
keys Escape
check "Esc goes back to the tables" "Avg file"
keys BSpace
check "Backspace goes back to the databases" "Stale"

keys '?'
check "help opens" "Keys"
check "help lists quit" "quit"
keys G
check "help scrolls to its end" "theme: dark"
check "help lists sort hotkeys of the view below" "by Tables"
keys '?'
check "? closes help" "Database"

keys t
check "t cycles the theme" "theme: light"
keys '?' G
check "help names the new theme" "theme: light"
keys '?'

# resize to too small, then back
tm resize-window -t laketop -x 40 -y 10
check "too small terminal gets a message" "Terminal too small"
tm resize-window -t laketop -x 100 -y 30
check "resize back redraws the dashboard" "weblogs"
check_absent "too-small message gone after resize" "Terminal too small"

keys q
check "q quits with status 0" "EXITED 0"
check_absent "the terminal is restored (no dashboard left)" "Database"
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
keys C-c
check "Ctrl-C exits with 130 and restores the terminal" "EXITED 130"
stop

# --- mono, NO_COLOR, ASCII ----------------------------------------------
start 80 24 "env LANG=C LC_ALL=C $LAKETOP --lake $LAKE --themes-dir $THEMES --theme mono --view databases"
check "mono theme starts" "weblogs"
if screen | grep -q '█'; then notok "ASCII locale uses no block glyphs"; else ok "ASCII locale uses no block glyphs"; fi
check "ASCII sparkline" "#"
keys '?' G
check "mono: help names the theme" "theme: mono"
pid=$(tm display-message -p -t "$PANE" '#{pane_pid}')
child=$(pgrep -P "$pid" -f "laketop --lake" | head -n 1)
if [ -n "$child" ]; then kill -TERM "$child"; fi
check "SIGTERM exits with 143 and restores the terminal" "EXITED 143"
stop

start 80 24 "env NO_COLOR=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $THEMES --view databases"
check "NO_COLOR: starts" "weblogs"
keys '?' G
check "NO_COLOR: mono used" "theme: mono"
keys q
check "NO_COLOR: quits" "EXITED 0"
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

# --- b backs up the catalog in the background; a shows the activity -------
start 100 30 "env XDG_DATA_HOME=$WORK/data XDG_STATE_HOME=$WORK/state $RUN"
check "backup test: started" "weblogs"
keys b
check "b asks first, naming the source" "Back up the catalog of local:$LAKE"
check "... and the destination" "$WORK/data/laketop/backups"
keys n
check "n cancels" "backup cancelled"
[ ! -d "$WORK/data/laketop/backups" ] && ok "nothing written after n" || notok "nothing written after n"
keys b
check "b asks again" "y: back up"
keys y
keys a
check "a shows the activity" "Activity"
check "a backup of a catalog with a broken file fails" "FAILED"
check "... and says which file" "broken.json"
rm -f "$LAKE/catalog/sales/broken.json"
keys b
check "b asks again" "y: back up"
keys y
check "the backup succeeds, with its counts" "succeeded"
check "a full progress bar" "[##########]"
ls "$WORK"/data/laketop/backups/*/manifest.json >/dev/null 2>&1 && ok "the backup is on disk" ||
    notok "the backup is on disk"
keys a
check "a again goes back" "Database"
keys q
check "quits" "EXITED 0"
stop

# --- Z: zones and sync rules; s: a dry run, a question with its numbers -----
mkdir -p "$WORK/users"
printf '[zone storing]\nuri = %s/storing\nrole = storing\n[zone marketing]\nuri = %s\nrole = user\n[sync sales]\nfrom = storing\nto = marketing\nprefix = sales/\n' \
    "$LAKE" "$WORK/users" >"$WORK/sync.ini"
start 120 30 "env XDG_STATE_HOME=$WORK/state $RUN --config $WORK/sync.ini"
check "sync test: started" "weblogs"
keys Z
check "Z shows the zones" "marketing"
check "... and the rules" "storing -> marketing"
check "... never run yet" "never"
keys s
check "s runs a dry run first and shows its numbers" "objects ("
check "... then asks" "y: sync"
keys n
check "n cancels" "sync cancelled"
[ -z "$(ls "$WORK/users")" ] && ok "nothing copied after n" || notok "nothing copied after n"
keys s
check "s asks again" "y: sync"
keys y
keys r
if wait_for "copied" 100; then ok "the rule's last run shows its result"; else notok "the rule's last run shows its result"; fi
diff -r "$LAKE/storing/sales" "$WORK/users/sales" >/dev/null && ok "the zone is synced" || notok "the zone is synced"
keys q
check "quits" "EXITED 0"
stop
# production: the rule's name must be typed
{ printf '[laketop]\nproduction = true\n'; cat "$WORK/sync.ini"; } >"$WORK/prod.ini"
rm -rf "$WORK/users"/* "$WORK/state/laketop/syncs.json"
start 120 30 "env XDG_STATE_HOME=$WORK/state $RUN --config $WORK/prod.ini"
check "production: started" "weblogs"
keys Z
check "production: the rules" "storing -> marketing" # s needs the rule row first
keys s
check "production: the question wants the name typed" "production: type sales"
keys y Enter
check "a wrong name does nothing" "the name typed is not sales"
[ -z "$(ls "$WORK/users")" ] && ok "production: nothing copied after a wrong name" || notok "production: wrong name copied"
keys s
check "production: asks again" "production: type sales"
keys s a l e s Enter
check "production: the typed name starts the sync" "sync sales started"
if wait_for "copied" 100; then ok "production: the sync ran"; else notok "production: the sync ran"; fi
keys q
check "quits" "EXITED 0"
stop
start 120 30 "env XDG_STATE_HOME=$WORK/state $RUN --config $WORK/sync.ini --read-only"
check "read-only: started" "weblogs"
keys Z s
check "read-only: s is refused" "read-only mode: s is disabled"
keys q
check "quits" "EXITED 0"
stop

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

# --- export_dir: the day's export, written once by a job ------------------
printf '[laketop]\nexport_dir = %s\n' "$WORK/daily" >"$WORK/export.ini"
# one clock for both exports below, so that a run across midnight compares the same day
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
start 110 30 "env XDG_STATE_HOME=$WORK/state LAKETOP_NOW=$NOW $RUN --config $WORK/export.ini"
keys a
check "export_dir: the day's export runs as an action" "export    succeeded"
check "... and says where it went" "databases in $WORK/daily/datalake/tables/year="
keys q
check "quits" "EXITED 0"
stop
LAKETOP_NOW=$NOW "$LAKETOP" export "$WORK/daily2" --lake "$LAKE" >/dev/null 2>&1
n=$(find "$WORK/daily" -name '*.csv' | wc -l)
same=yes
for f in $(cd "$WORK/daily" && find . -name '*.csv'); do
    cmp -s "$WORK/daily/$f" "$WORK/daily2/$f" || same=no
done
[ "$n" -eq 2 ] && [ $same = yes ] && ok "... its tables.csv and databases.csv equal laketop export's" ||
    notok "daily export files ($n csv, same=$same)"

# --- a failed crawler: first in the overview; Enter opens it among the crawlers
printf '[crawler a_ok]\npath = landing/sales\ndatabase = crawled\n[crawler z_broken]\npath = landing/nothing\ndatabase = crawled2\n' >"$WORK/crawlers.ini"
XDG_STATE_HOME=$WORK/state "$LAKETOP" crawl z_broken --lake "$LAKE" --config "$WORK/crawlers.ini" >/dev/null 2>&1
start 100 30 "env XDG_STATE_HOME=$WORK/state $RUN0 --config $WORK/crawlers.ini"
check "a failed crawler heads the overview" "crawler failed   z_broken"
keys Enter
check "Enter on it opens the crawlers" "laketop › Overview › Crawlers"
keys c
check "... with the failed one selected (c names it)" "Start crawler z_broken"
keys Escape
keys q
check "quits" "EXITED 0"
stop

# --- o: the overview; Enter jumps to the table -----------------------------
printf '[table sales.products]\nquota = 1KiB\n' >"$WORK/quota.ini"
printf '[laketop]\nview = databases\n' >>"$WORK/quota.ini"
start 110 40 "$RUN0 --config $WORK/quota.ini"
check "config view = databases: starts on Databases" "weblogs"
keys o
check "o opens the overview" "laketop › Overview"
keys '?'
keys G
check "? on the overview says what its words mean" "late       nothing new for 1.5 times its usual interval"
check_absent "... and lists no sort keys it has not got" "by Look at"
keys Escape
check "... with the totals" "tables,"
check "... the largest tables" "largest"
check "... the fastest growing" "fastest growing"
check "... the most queried (the demo's query log)" "most queried"
check "... the late table" "late             weblogs.sessions"
check "... many small files" "small files      weblogs.clickstream_raw"
check "... and the never queried" "never queried"
check "... a quota reached (config)" "1.0 KiB reached"
row=$(row_of "late             weblogs.sessions")
top=$(row_of "Look at")
keys Home
i=$((top + 1))
while [ "$i" -lt "$row" ]; do keys j; i=$((i + 1)); done
keys Enter
check "Enter on a line opens its table" "Table        weblogs.sessions"
check "... whose detail says it is late" "LATE"
keys Escape
check "Esc comes back to the overview" "Look at"
check "... the demo's schema change" "schema changed   sales.customers"
check "... when, and how much" "2d ago: +1 -1 ~1 columns"
first=$(screen | sed -n 5p)
case "$first" in
*"stale (crit)"*) ok "what is wrong comes first: $first" ;;
*) notok "the first line is not a problem: $first" ;;
esac
row=$(row_of "schema changed   sales.customers")
sel=$(row_of "late             weblogs.sessions")
while [ "$sel" -lt "$row" ]; do keys j; sel=$((sel + 1)); done
keys Enter
check "Enter on it: the detail says when and what" "changed 2d ago"
check "... the column added" "+ state"
check "... the column removed" "- phone"
check "... the column retyped" "~ signup_date              string -> date"
keys Escape
keys o
check_absent "o again closes it" "Look at"
keys /
keys s a l e s Enter
check "filter to sales" "Filter: sales"
keys Enter
check "Tables view: a Quota column" "Quota in"
line=$(screen | grep -E "^products ")
case "$line" in
*reached*) ok "... sales.products' quota: reached" ;;
*) notok "... sales.products' quota: reached (row: $line)" ;;
esac
line=$(screen | grep -E "^customers ")
case "$line" in
*"        - "*) ok "... no quota on customers: -" ;;
*) notok "... no quota on customers (row: $line)" ;;
esac
keys q
check "quits" "EXITED 0"
stop

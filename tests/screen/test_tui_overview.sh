#!/bin/sh
# test_tui_overview.sh: the Overview, the first screen, as a person sees it
# in tmux: the lake's totals, d to the databases and o back, what its words
# mean (help), what needs a look first, Enter on a line opens its table,
# quotas from the config.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- 80x24: the first screen ---------------------------------------------
start 80 24 "$RUN0"
check "80x24: the overview is the first screen" "laketop › Overview"
# (issue 12: census.zip_codes and census.population are judged by their
# usual monthly and weekly loads, so only weblogs.sessions is stale)
check "80x24: ... with the lake's totals" "1 stale, 1 late, 0 anomalies"
keys d
check "d goes from the overview to the databases" "laketop › Databases"
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
# (issue 12: a stale table is not listed as late again; its line says so)
check "... the late table, stale, with its usual interval" "stale (crit)     weblogs.sessions"
check "... many small files" "small files      weblogs.clickstream_raw"
check "... and the never queried" "never queried"
check "... a quota reached (config)" "1.0 KiB reached"
row=$(row_of "stale (crit)     weblogs.sessions")
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
sel=$(row_of "stale (crit)     weblogs.sessions")
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

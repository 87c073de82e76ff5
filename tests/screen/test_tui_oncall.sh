#!/bin/sh
# test_tui_oncall.sh: the Overview without on-call noise (issue 12, item 6),
# on the demo at a fixed clock: census.zip_codes, loaded every 30 days and
# last 12 days ago, is not stale; the one stale line (weblogs.sessions)
# says which rule judged it; the never queried are a line per database with
# a count, and Enter on one opens that database's tables fewest queries
# first; the stopped table's detail forecasts flat.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
LAKETOP=${1:?usage: test_tui_oncall.sh path/to/laketop}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-oncall-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
export LAKETOP_NOW=2026-03-01T12:00:00Z
"$LAKETOP" demo "$WORK/lake" 2>/dev/null || { echo "not ok - demo lake"; exit 1; }
RUN="env LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state LAKETOP_NOW=$LAKETOP_NOW $LAKETOP --lake $WORK/lake --themes-dir $HERE/../../themes"

start 120 40 "$RUN"
check "the overview" "never queried"
check_absent "census.zip_codes (usually every 30d, 12d old) is not stale" "census.zip_codes"
check_absent "... nor census.population (weekly, 4d old)" "census.population"
check "the stale line says which rule judged it" "stale (crit)     weblogs.sessions        20d old: crit at 7d; usually every 1d"
check_absent "... and the table is not listed again as late" "late             weblogs.sessions"
n=$(screen | grep -c "^never queried ")
[ "$n" -eq 5 ] && ok "never queried: one line per database (5, not 13)" || notok "never queried: $n lines"
check "... with a count and the names" "never queried    weblogs                 3 tables, no query in 30 days: ad_impressions, clickstream_raw, sessions"
row=$(row_of "never queried    weblogs")
sel=$(row_of "stale (crit)     weblogs.sessions")
while [ "$sel" -lt "$row" ]; do keys j; sel=$((sel + 1)); done
keys Enter
check "Enter on it opens the database's tables" "laketop › Overview › weblogs"
first=$(screen | sed -n 3p)
case "$first" in
"ad_impressions "*) ok "... fewest queries first: $first" ;;
*) notok "... fewest queries first (first row: $first)" ;;
esac
keys Escape
check "Esc comes back to the overview" "Look at"
keys Home Enter
check "the stale table's detail" "Table        weblogs.sessions"
check "... forecasts flat: it stopped" "flat at 1.9 MiB: late, so taken as stopped"
keys Escape
check "back on the overview" "Look at"
keys d
check "Databases" "census"
keys Home Enter
check "census' tables" "› census"
keys Enter
check "census.population (the first): its detail" "Table        census.population"
check "... is judged by its weekly loads" "fresh (warn 10d, critical 21d, from its usual 7d)"
keys q
check "quits" "EXITED 0"
stop

# a [table] section of its own: the line names it
printf '[table census.zip_codes]\nstale_crit = 7d\n' >"$WORK/own.ini"
start 120 40 "$RUN --config $WORK/own.ini"
check "[table census.zip_codes]: stale again, from its section" "12d old: crit at 7d, from [table census.zip_codes]"
keys Home Enter
check "... its detail names the section" "(warn 2d, critical 7d, from [table census.zip_codes])"
keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_tui_actions.sh: the actions in tmux, their questions, progress and
# results: b backs up the catalog (a broken catalog file makes it fail,
# naming the file), a shows the activity, Z shows zones and sync rules and s
# syncs one (a dry run first; production wants the name typed; refused when
# read-only), the export_dir job, a failed crawler heads the overview and c
# names it.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# a broken catalog file, for the backup below to fail on
printf '{"Name": "broken",\n "StorageDescriptor": {\n' >"$LAKE/catalog/sales/broken.json"

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
[ "$n" -eq 3 ] && [ $same = yes ] && ok "... its tables.csv, databases.csv and costs.csv equal laketop export's" ||
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

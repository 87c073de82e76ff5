#!/bin/sh
# test_tui_fit.sh: no text is cut without its mark, in tmux at 60x20, 80x24
# and 120x40 in the dark, light and mono themes, on the Databases, Tables,
# detail, Crawlers, Zones, Activity and Overview screens: a word that is the
# start of a name of the lake (from its files and the test's config, not
# from laketop) ends in "…"; a table, database, crawler or sync rule too long
# loses its middle, not its end; a name column is as wide as its names (at
# 120 columns the Databases' names take what they need), and a name that
# fits in half the screen is shown whole.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAKETOP_NOW=2026-03-01T12:00:00Z # the demo's today and the dashboard's
export LAKETOP_NOW
. "$HERE/demo_lib.sh"
CUTS="$HERE/../helpers/screen_cuts.py"

# a table with a long name (sorted last in weblogs), a long crawler, zone
# and sync rule, a deep target (a [section] line is cut by the ini reader
# past 49 characters: the names stay within)
LONG=webpage_clickstream_events_by_session_and_region
sed "s/\"clickstream_raw\"/\"$LONG\"/" "$LAKE/catalog/weblogs/clickstream_raw.json" \
    >"$LAKE/catalog/weblogs/$LONG.json"
mkdir -p "$WORK/users_of_the_marketing_department"
cat >"$WORK/fit.ini" <<EOF
[crawler landing_sales_orders_nightly_finance]
path = landing/sales
database = crawled
[crawler z_weblogs]
path = landing/weblogs/clickstream_raw
database = crawled2
[zone storing]
uri = $LAKE/storing
role = storing
[zone marketing_department_users]
uri = $WORK/users_of_the_marketing_department
role = user
[sync sales_to_marketing_department_nightly]
from = storing
to = marketing_department_users
prefix = sales/
[job xfinance_nightly_orders_rollup_reports]
command = true
EOF
# a failed run of it (a short error: free text cut by the edge is no name)
mkdir -p "$LAKE/.laketop"
now=$(date +%s)
printf '{"job": "xfinance_nightly_orders_rollup_reports", "id": "r-1", "state": "FAILED", "started_at": %s, "ended_at": %s, "exit_status": 2, "error": "boom"}\n' \
    $((now - 7200)) $((now - 7000)) >>"$LAKE/.laketop/jobs.jsonl"

# the names, from the lake's files and the config above
NAMES="$WORK/names" STRICT="$WORK/strict"
{
    ls "$LAKE/catalog"
    for f in "$LAKE"/catalog/*/*.json; do
        b=${f##*/}
        [ "$b" = database.json ] || echo "${b%.json}"
    done
    sed -n 's/^\[crawler \(.*\)\]$/\1/p; s/^\[sync \(.*\)\]$/\1/p; s/^\[job \(.*\)\]$/\1/p' "$WORK/fit.ini"
} | sort -u >"$STRICT"
{
    cat "$STRICT"
    sed -n 's/^\[zone \(.*\)\]$/\1/p; s/^path = //p; s/^uri = //p' "$WORK/fit.ini"
    echo "$WORK/data/laketop/backups"
} | sort -u >"$NAMES"
grep -qx "$LONG" "$STRICT" && grep -qx clickstream_raw "$STRICT" && ok "the names, from the lake's files" ||
    notok "the names, from the lake's files ($(wc -l <"$STRICT") names)"

# look LABEL: the screen has no cut without its mark
look() {
    screen >"$WORK/shot"
    if out=$(python3 "$CUTS" "$NAMES" "$STRICT" "$WORK/shot" "$cols" 2>&1); then
        ok "$size $theme $1: no text cut without its mark"
    else
        notok "$size $theme $1: text cut without its mark"
        printf '%s\n' "$out" | sed 's/^/#   /'
    fi
}

# whole NAME LABEL: NAME is on the screen as a word of its own
whole() {
    if screen | tr -s ' ' '\n' | grep -qxF -- "$1"; then ok "$size $theme $2: $1 whole"; else
        notok "$size $theme $2: $1 whole"
    fi
}

# visit COMMAND: starts COMMAND at $cols x $rows and looks at every screen
visit() {
    start "$cols" "$rows" "$1"
    wait_for "weblogs" || notok "$size $theme: started"
    look Databases
    if [ "$cols" -ge 120 ]; then
        # the name column takes what the longest name needs, not half the screen
        longest=$(ls "$LAKE/catalog" | awk '{ if (length($0) > n) n = length($0) } END { print n }')
        at=$(screen | sed -n 2p | sed 's/[▲▼^]/^/' | awk '{ print index($0, "Tables") }')
        [ "$at" -gt 0 ] && [ "$at" -le $((longest + 4)) ] &&
            ok "$size $theme Databases: the name column as wide as its names ($longest)" ||
            notok "$size $theme Databases: the name column as wide as its names (Tables at $at, longest name $longest)"
    fi
    keys G Enter # weblogs, the last database
    wait_for "user_activity" || notok "$size $theme: the tables of weblogs"
    look Tables
    for f in "$LAKE"/catalog/weblogs/*.json; do
        t=${f##*/} t=${t%.json}
        [ "$t" = database ] && continue
        if [ ${#t} -le $((cols / 2 - 1)) ]; then whole "$t" Tables; fi
    done
    keys G Enter # the long name, sorted last
    wait_for "Last data" || notok "$size $theme: the detail of $LONG"
    look detail
    keys C
    wait_for "Crawler" || notok "$size $theme: the crawlers"
    look Crawlers
    keys Z
    wait_for "Sync rule" || notok "$size $theme: the zones"
    look Zones
    keys J
    wait_for "Pipeline" || notok "$size $theme: the pipeline"
    look Pipeline
    keys b
    wait_for "y: back up" || notok "$size $theme: b asks"
    keys y
    keys a
    wait_for "succeeded" || notok "$size $theme: the backup succeeded"
    look Activity
    keys o
    wait_for "Look at" || notok "$size $theme: the overview"
    look Overview
    keys q
    stop
}

ENV="env XDG_DATA_HOME=$WORK/data XDG_STATE_HOME=$WORK/state"
for size in 60x20 80x24 120x40; do
    cols=${size%x*} rows=${size#*x}
    for theme in dark light mono; do
        visit "$ENV $RUN --theme $theme --config $WORK/fit.ini"
    done
done

# an ASCII locale: the mark is "~"
size=80x24 cols=80 rows=24 theme="mono (ASCII)"
visit "$ENV LANG=C LC_ALL=C $LAKETOP --lake $LAKE --themes-dir $THEMES --view databases --theme mono --config $WORK/fit.ini"

# a sync's result in the Activity view, at 60 columns
size=60x20 cols=60 rows=20 theme=dark
start "$cols" "$rows" "$ENV $RUN --config $WORK/fit.ini"
wait_for "weblogs" || notok "sync: started"
keys Z
wait_for "storing -> " || notok "sync: the rules"
keys s
wait_for "y: sync" || notok "sync: s asks"
keys y
keys a
wait_for "copied" || notok "sync: it copied"
look "Activity after a sync"
keys q
stop

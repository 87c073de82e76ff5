#!/bin/sh
# test_tui_demo_views.sh: a fresh demo shows every view (issue 12, item 7):
# `laketop demo` shows a line of progress while it writes; the lake carries
# laketop.conf (a crawler, zones, sync rules), with which the dashboard, as
# `make run` starts it, has rows in the Overview, Databases, Crawlers and
# Zones, and in the Activity once s or c ran something; the counts are
# find's; `make run` and `laketop` with no lake given start with it.
# Without the config the Crawlers view says how to declare one.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
LAKETOP=${1:?usage: test_tui_demo_views.sh path/to/laketop}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-demo-views-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
export LAKETOP_NOW=2026-03-01T12:00:00Z
LAKE="$WORK/lake"
ENV="env LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data LAKETOP_NOW=$LAKETOP_NOW"

# --- laketop demo on a terminal: a line of progress, then where it is ------
start 300 10 "$ENV $LAKETOP demo $LAKE"
check "the demo says what it writes, table by table" "laketop: writing the demo lake to $LAKE: 21 of 21 tables"
check "... then how to open it with its declarations" "open it with: laketop --lake $LAKE --config $LAKE/laketop.conf"
check "... and ends" "EXITED 0"
stop
[ -f "$LAKE/laketop.conf" ] && ok "the lake carries laketop.conf" || notok "no $LAKE/laketop.conf"

# --- the dashboard as make run starts it ---------------------------------
RUN="$ENV $LAKETOP --lake $LAKE --config $LAKE/laketop.conf --themes-dir $HERE/../../themes"
start 120 30 "$RUN"
check "Overview: rows" "stale (crit)     weblogs.sessions"
keys o
check "Databases: rows" "marketing_app"
keys C
check "Crawlers: the demo's crawler" "partners_landing READY    never"
keys Z
check "Zones: the zones" " marketing        user"
check "... with their objects" " storing          storing"
check "Zones: the sync rules" "customers_to_marketing storing -> marketing"
keys s
check "s: a dry run, then the question" "y: sync"
keys y
want=$(find "$LAKE/storing/sales/customers" "$LAKE/storing/sales/products" -type f | wc -l)
keys a
check "Activity: the sync, with find's count of what it copied" "copied $want objects"
keys C
check "back to the Crawlers" "partners_landing"
keys c
check "c asks first" "Start crawler partners_landing"
keys y
tables=$(find "$LAKE/landing/partners" -mindepth 1 -maxdepth 1 -type d | wc -l)
check "the crawl catalogs what landing/partners holds (find: $tables tables)" "SUCCEEDED"
check "... +$tables ~0 -0" "+$tables ~0 -0"
keys a
check "Activity: the crawl too" "crawl "
keys q
check "quits" "EXITED 0"
stop
[ -f "$LAKE/catalog/partners/suppliers.json" ] && [ -f "$LAKE/catalog/partners/shipments.json" ] &&
    ok "the crawl wrote partners.suppliers and partners.shipments" || notok "the crawled entries"

# --- make run itself, on a fresh data home: progress, then the dashboard with
# the demo's declarations (the binary under test is make's BUILD) --------
BUILD_DIR=$(cd "$(dirname "$LAKETOP")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
start 250 30 "$ENV XDG_DATA_HOME=$WORK/fresh make -C $ROOT --no-print-directory run BUILD=$BUILD_DIR"
# make run checks the packages and the build first: up to 60 s on a busy machine
if wait_for "Look at" 600; then ok "make run: the dashboard"; else
    notok "make run: the dashboard (expected \"Look at\")"; fi
keys C
check "make run: the crawler in the Crawlers view" "partners_landing"
keys Z
check "make run: the sync rules in the Zones view" "songs_to_marketing"
keys q
check "make run: quits" "EXITED 0"
# the dashboard draws on the alternate screen: what make run wrote before it,
# the demo's progress, is in sight again once it has quit
check "make run: the demo's line of progress, before the dashboard" "21 of 21 tables"
stop

# laketop with no lake given opens the demo lake make run wrote, with its
# declarations too
start 120 30 "$ENV XDG_DATA_HOME=$WORK/fresh $LAKETOP --themes-dir $HERE/../../themes"
check "laketop alone: the demo lake" "Look at"
keys C
check "... with its crawler" "partners_landing"
keys q
check "quits" "EXITED 0"
stop

# --- without the config: the Crawlers view says how to declare one -----------
start 120 30 "$ENV $LAKETOP --lake $WORK/lake --themes-dir $HERE/../../themes"
check "started" "Look at"
keys C
check "an empty Crawlers view says how to declare one" "No crawlers: declare one in the config: [crawler NAME]"
keys q
check "quits" "EXITED 0"
stop

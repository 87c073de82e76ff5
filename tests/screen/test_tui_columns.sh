#!/bin/sh
# test_tui_columns.sh: F2, the columns of a view (issue 12, item 12), in
# tmux: a column hidden and gone from the table behind at once, another
# moved, the sort set from the dialog, the Name column kept; after quitting,
# a new start with the same XDG_STATE_HOME shows the same choice, read from
# laketop's own state file (laketop/views); a bad line there is a warning
# naming FILE:LINE, the rest still used; the hand-written config is left
# byte for byte as it was. The clock is pinned (the demo and the runs).
# The sort arrow may stand on either side of a title.
set -u
LAKETOP=${1:?usage: test_tui_columns.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-columns-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
NOW=2026-03-01T12:00:00Z
LAKE="$WORK/lake"
LAKETOP_NOW=$NOW "$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { echo "not ok - demo lake"; exit 1; }
mkdir -p "$WORK/config/laketop"
CONFIG="$WORK/config/laketop/config"
mkdir -p "$WORK/backup"
{
    printf '# my own notes, kept as they are\n[laketop]\ntheme = dark   ; a comment\n\n'
    printf '[zone landing]\nuri = %s\nrole = landing\n' "$LAKE/landing"
    printf '[zone storing]\nuri = %s\nrole = storing\n' "$LAKE/storing"
    printf '[zone backup]\nuri = %s\nrole = user\n' "$WORK/backup"
    # in name order a, b, c; from -> to in the order c, b, a
    printf '[sync a_copy]\nfrom = storing\nto = backup\ndelete = true\n'
    printf '[sync b_copy]\nfrom = landing\nto = storing\n'
    printf '[sync c_copy]\nfrom = landing\nto = backup\n'
} >"$CONFIG"
cp "$CONFIG" "$WORK/config.before"
STATE="$WORK/state/laketop/views"
RUN="env HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state LAKETOP_NOW=$NOW LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $HERE/../../themes --view databases"

# The database with the most objects, from the catalog and the files
# themselves (markers and hidden directories are not data).
MOST=$(python3 - "$LAKE" <<'PY'
import json, os, sys
lake = sys.argv[1]
counts = {}
for db in os.listdir(os.path.join(lake, "catalog")):
    n = 0
    for name in os.listdir(os.path.join(lake, "catalog", db)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(lake, "catalog", db, name)) as f:
            table = json.load(f)
        location = table.get("StorageDescriptor", {}).get("Location")
        if not location or "://" in location:
            continue  # a view, a resource link: no files of its own
        where = os.path.join(lake, location)
        for top, dirs, files in os.walk(where):
            dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
            n += sum(1 for x in files if not x.startswith(("_", ".")) and not x.endswith("_$folder$"))
    counts[db] = n
print(max(counts, key=lambda d: (counts[d], d)))
PY
)

# wait_line N PATTERN [TRIES]: polls until screen line N matches the
# extended regular expression PATTERN (or, with "!", does not).
wait_line() {
    n=$1 pattern=$2 tries=${3:-100}
    while [ "$tries" -gt 0 ]; do
        line=$(screen | sed -n "${n}p")
        case "$pattern" in
        !*) printf '%s\n' "$line" | grep -qE -- "${pattern#!}" || return 0 ;;
        *) printf '%s\n' "$line" | grep -qE -- "$pattern" && return 0 ;;
        esac
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}
check_line() {
    if wait_line "$2" "$3"; then ok "$1"; else notok "$1 (line $2, want /$3/)"; fi
}

# --- the choice, at 100x30 ---------------------------------------------
start 100 30 "$RUN"
check "the Databases view" "weblogs"
check_line "the header has every column" 2 "Database.* Tables .* Size .*Objects .*Stale .*Size, 30 days"
keys F2
check "F2 opens the columns of the view" "Columns of Databases"
check "the dialog says its keys" "Space: show/hide   [ ] or - +: move"
check "... all of them" "s Enter: sort by it (again: invert)   Esc F2 q: close"
keys Space
check "the Name column cannot be hidden" "the Database column is always shown"
check_line "... and stays" 2 "^Database"
keys j j j j Space # Stale
check_line "Stale hidden: gone from the table behind while choosing" 2 "!Stale"
check "... marked hidden in the list" "[ ] Stale"
check_line "... the other columns still there" 2 "Database.* Tables .* Size .*Objects .*Size, 30 days"
keys k '[' '['
check_line "Objects moved before Tables, live" 2 "^Database.* Objects +Tables +Size +[$]/mo +Size, 30 days"
keys s
check_line "s sorts by the column under the cursor" 2 "▲ *Objects|Objects *▲"
keys s
check_line "s again inverts it" 2 "▼ *Objects|Objects *▼"
check_line "... the most objects first ($MOST, counted from the files)" 3 "^$MOST "
keys Escape
check_absent "Esc closes the dialog" "Columns of Databases"
check "the choice is kept" "columns of Databases: kept for the next start"
if grep -qx "databases database objects tables size -stale mo size-30-days sort=objects:desc" "$STATE" 2>/dev/null; then
    ok "the state file has the line of the view"
else
    notok "the state file has the line of the view ($(cat "$STATE" 2>&1))"
fi
keys F2 q
check_absent "q closes it too" "Columns of Databases"

# the Zones view's sync rules, the same way
keys Z
check "the Zones view" "c_copy"
rules=$(row_of "Sync rule")
check_line "the rules in name order" $((rules + 1)) "^a_copy "
keys F2
check "F2 opens the columns of the sync rules" "Columns of Zones"
keys j j Space
check_line "Delete hidden from the rules, live" "$rules" "^Sync rule +From -> to +Last run +Result"
keys k s
check_line "sorted by From -> to from F2" "$rules" "From -> to *▲|▲ *From -> to"
check_line "... landing -> backup first" $((rules + 1)) "^c_copy +landing -> backup"
check_line "... storing -> backup last" $((rules + 3)) "^a_copy +storing -> backup"
keys F2
check_absent "F2 closes it" "Columns of Zones"
if grep -qx "zones sync-rule from-to -delete last-run result sort=from-to:asc" "$STATE" 2>/dev/null; then
    ok "the state file has the line of the Zones view"
else
    notok "the state file has the line of the Zones view ($(cat "$STATE" 2>&1))"
fi
keys Z
keys o F2
check "F2 in the Overview says where it works" "F2: the Overview view has no columns to choose"
keys '?'
check "the help lists F2" "columns of the view: show, hide, order, sort by any"
keys NPage
check "... and the dialog's keys" "sort by it (again: invert)"
keys q q
check "quits" "EXITED 0"

# --- a new start, the same XDG_STATE_HOME, at 80x24 -----------------------
start 80 24 "$RUN"
check "started again" "weblogs"
check_line "the choice is kept: Objects before Tables, no Stale" 2 "^Database.*Objects *[▲▼]? +Tables +Size"
check_line "... Stale still hidden" 2 "!Stale"
check_line "... the sort from F2" 2 "▼ *Objects|Objects *▼"
check_line "... the most objects first" 3 "^$MOST "
keys Z
check "the Zones view again" "c_copy"
rules=$(row_of "Sync rule")
check_line "its choice kept too: no Delete, sorted by From -> to" "$rules" "^Sync rule +▲? *From -> to *▲? +Last run"
check_line "... landing -> backup first" $((rules + 1)) "^c_copy "
keys q
check "quits again" "EXITED 0"

# --- a bad line in the state file: said with FILE:LINE, never a crash ----
bad=$(($(wc -l <"$STATE") + 1))
printf 'nosuchview table -size\n' >>"$STATE"
start 120 40 "$RUN"
check "a bad line: the file and line named (its directories may give way)" "views:$bad: unknown view \"nosuchview\""
check_line "... and the good lines still used" 2 "^Database.*Objects *[▲▼]? +Tables +Size"
keys q
check "quits with a bad line" "EXITED 0"

if cmp -s "$CONFIG" "$WORK/config.before"; then
    ok "the hand-written config is byte for byte as it was"
else
    notok "the hand-written config is byte for byte as it was ($(diff "$WORK/config.before" "$CONFIG"))"
fi
stop

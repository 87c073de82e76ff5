#!/bin/sh
# test_tui_selection.sh: the selected row never looks like the header, so a
# selection on the first row can be seen: at 60x20, 80x24 and 120x40, in the
# dark, light and mono themes and with NO_COLOR, the attributes of the
# Databases view's header line and of its selected first row are read from
# the escape sequences tmux shows (capture-pane -e), not from the text; the
# Overview's header and first row too.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export LAKETOP_NOW=2026-06-15T12:00:00Z # the demo lake is written for this day
. "$HERE/demo_lib.sh"

# compare WORD...: reads capture-pane -p -e on stdin; finds the header line
# (the first holding every WORD) and the row under it, which holds the
# selection; prints "same: ..." when a cell of the selected row has the
# attributes of a header cell (bold aside: it changes only the letters),
# else "distinct: ...".
compare() {
    python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")

state = ["39", "49", set()]

def cells(line):
    """(char, state) per cell; state = (fg, bg, frozenset(attrs)). tmux
    writes only the changes, and they carry over from line to line."""
    out = []
    for tok in re.findall(r"\x1b\[([0-9;]*)m|(.)", line):
        sgr, ch = tok
        fg, bg, attrs = state
        if ch:
            out.append((ch, (fg, bg, frozenset(attrs))))
            continue
        parts = sgr.split(";") if sgr else ["0"]
        i = 0
        while i < len(parts):
            p = int(parts[i] or 0)
            if p == 0: fg, bg, attrs = "39", "49", set()
            elif p in (1, 2, 3, 4, 5, 7, 8, 9): attrs.add(p)
            elif p == 22: attrs -= {1, 2}
            elif p in (23, 24, 25, 27, 28, 29): attrs.discard(p - 20)
            elif 30 <= p <= 37 or 90 <= p <= 97 or p == 39: fg = str(p)
            elif 40 <= p <= 47 or 100 <= p <= 107 or p == 49: bg = str(p)
            elif p in (38, 48) and i + 2 < len(parts) and parts[i + 1] == "5":
                if p == 38: fg = "5;" + parts[i + 2]
                else: bg = "5;" + parts[i + 2]
                i += 2
            i += 1
        state[:] = [fg, bg, attrs]
    return out

plain = [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in lines]
words = sys.argv[1:]
head = next((i for i, l in enumerate(plain) if all(w in l for w in words)), None)
if head is None or head + 1 >= len(lines):
    print("no header line found"); sys.exit(0)
def look(state):
    fg, bg, attrs = state
    return (fg, bg, attrs - {1})
parsed = [cells(l) for l in lines]
header = {look(s) for _, s in parsed[head]}
row = parsed[head + 1]
if not row:
    print("no selected row"); sys.exit(0)
seen = {look(s) for _, s in row}
same = seen & header
print(("same: " if same else "distinct: ") + "header %s, selected row %s" % (sorted(header), sorted(seen)))
' "$@"
}

# look VIEW MODE COLS ROWS WORD...: the view's header (the line with every
# WORD) against its selected first row
look() {
    view=$1 mode=$2 cols=$3 rows=$4
    shift 4
    run=$RUN
    [ "$view" = Overview ] && run=$RUN0
    if [ "$mode" = NO_COLOR ]; then
        start "$cols" "$rows" "env NO_COLOR=1 $run"
    else
        start "$cols" "$rows" "$run --theme $mode"
    fi
    # the first row: census (Databases, by name), weblogs.sessions (the
    # Overview: stale first)
    first=census
    [ "$view" = Overview ] && first=weblogs.sessions
    if ! wait_for "$first"; then
        notok "$view, $mode at ${cols}x$rows: shows $first"
        return
    fi
    # the selection is on the first row, right under the header
    verdict=$(tm capture-pane -p -e -t "$PANE" | compare "$@")
    case $verdict in
    distinct:*) ok "$view, $mode at ${cols}x$rows: the selected first row does not look like the header" ;;
    *) notok "$view, $mode at ${cols}x$rows: the selected first row looks like the header ($verdict)" ;;
    esac
    keys q
    check "$view, $mode at ${cols}x$rows: quits" "EXITED 0"
}

for size in "60 20" "80 24" "120 40"; do
    set -- $size
    for mode in dark light mono NO_COLOR; do
        look Databases "$mode" "$1" "$2" Tables Size
        look Overview "$mode" "$1" "$2" "Look at" Why
    done
done
stop

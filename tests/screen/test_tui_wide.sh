#!/bin/sh
# test_tui_wide.sh: rows laid out by display width (issue 10, item 13). A
# local lake whose names mix CJK (two cells a character), combining marks
# (none), a right-to-left override (U+202E) and plain ASCII: in the Tables
# view every row's Size column starts at the same display column, no row
# passes the pane's edge, the Table column is as wide as its names, and
# U+202E never reaches the pane raw (it is shown escaped, "\u202e"). The
# display columns are measured with python3's unicodedata, not with laketop.
set -u
LAKETOP=${1:?usage: test_tui_wide.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8 # the pane, tmux and python in UTF-8
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-wide-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
LAKE="$WORK/lake"

# the lake: database 数据湖 with four tables, each one 2048-byte data file
# (so every Size cell reads "2.0 KiB" and has the same width)
$PY - "$LAKE" <<'PYEOF'
import json, os, sys
lake = sys.argv[1]
tables = {
    "t1": "表格数据一二三四五六七八九十",      # 14 CJK: 28 cells
    "t2": "cafe\u0301_re\u0301sume\u0301_x",   # combining acute accents
    "t3": "abc\u202edef_rlo",                 # a right-to-left override
    "t4": "plain_ascii",
}
db = "数据湖"
os.makedirs(os.path.join(lake, "catalog", db))
for key, name in tables.items():
    loc = f"storing/{key}/"
    os.makedirs(os.path.join(lake, loc))
    with open(os.path.join(lake, loc, "part-0.parquet"), "wb") as f:
        f.write(b"\0" * 2048)
    with open(os.path.join(lake, "catalog", db, key + ".json"), "w", encoding="utf-8") as f:
        # t1's columns: a CJK name and an ASCII one, their types aligned in the detail
        columns = [{"Name": "列名称", "Type": "string"}, {"Name": "id", "Type": "bigint"}]
        json.dump({"Name": name, "StorageDescriptor": {"Location": loc,
                   "Columns": columns if key == "t1" else []}}, f, ensure_ascii=False)
PYEOF

RUN="env HOME=$WORK XDG_STATE_HOME=$WORK/state LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $HERE/../../themes --view databases"

# measure COLS: reads the pane on stdin; checks alignment and the edge
measure() {
    $PY -c '
import sys, unicodedata
cols = int(sys.argv[1])
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
lines = sys.stdin.read().split("\n")
rows = [l for l in lines if "2.0 KiB" in l]
starts = sorted({width(l[:l.index("2.0 KiB")]) for l in rows})
wide = [l for l in lines if width(l) > cols]
print(len(rows), " ".join(map(str, starts)), len(wide))
' "$1"
}

# --- 120x30: the Table column is wide enough for every name --------------
start 120 30 "$RUN"
check "the CJK database is listed" "数据湖"
keys Enter
check "its tables are listed" "plain_ascii"
check "the CJK table is listed" "表格数据"
set -- $(screen | measure 120)
if [ "$1" -eq 4 ] && [ "$#" -eq 3 ] && [ "$3" -eq 0 ]; then
    ok "120x30: the Size column starts at display column $2 on all 4 rows, no row past the edge"
else
    notok "120x30: 4 rows aligned within 120 cells (rows, Size start columns, rows too wide: $*)"
fi
if screen | grep -q "$(printf '\342\200\256')"; then
    notok "U+202E does not reach the pane raw"
else
    ok "U+202E does not reach the pane raw"
fi
check "U+202E is shown escaped" 'abc\u202edef_rlo'
keys q
check "quits" "EXITED 0"
stop

# --- 80x24: the Table column as wide as its names --------------------------
start 80 24 "$RUN"
check "80x24: the CJK database is listed" "数据湖"
keys Enter
check "80x24: its tables are listed" "plain_ascii"
set -- $(screen | measure 80)
if [ "$1" -eq 4 ] && [ "$#" -eq 3 ] && [ "$3" -eq 0 ]; then
    ok "80x24: the Size column starts at display column $2 on all 4 rows, no row past the edge"
else
    notok "80x24: 4 rows aligned within 80 cells (rows, Size start columns, rows too wide: $*)"
fi
# the name column takes what its names need first (issue 12): the CJK
# name, 28 cells, is whole at 80 columns
row=$(screen | grep -F "表格" | head -n 1)
case "$row" in
*"…"*) notok "80x24: the CJK name whole in its column (row: $row)" ;;
*"表格数据一二三四五六七八九十 "*) ok "80x24: the CJK name whole in its column" ;;
*) notok "80x24: the CJK name whole in its column (row: $row)" ;;
esac
# the detail of the CJK table: the name in full on its line, the line
# within the pane
keys G Enter
check "80x24: the CJK table's detail opens" "Location"
check "... and names it" "数据湖.表格数据一二三四五六七八九十"
keys G
check "... and lists its columns" "bigint"
cols=$(screen | $PY -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
text = sys.stdin.read().split("\n")
print(" ".join(str(w(l[:l.index(t)])) for t in ("string", "bigint") for l in text if t in l))')
set -- $cols
if [ "$#" -eq 2 ] && [ "$1" -eq "$2" ]; then
    ok "80x24: the column types line up after a CJK column name (display column $1)"
else
    notok "80x24: the column types line up after a CJK column name (columns: $cols)"
fi
keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_table_width.sh: `--once --format table` lays its columns out by
# display width (issue 10, item 13, the batch table): with table names of
# CJK characters (two columns each), combining marks (none) and plain
# ASCII, every row's SIZE column ends at the same display column, as the
# header's does; a right-to-left override in a name is printed escaped.
# The display width is measured with python3's unicodedata, not laketop.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8
mkdir -p "$HOME"
LAKE="$WORK/lake"
$PY - "$LAKE" <<'PYEOF'
import json, os, sys
lake = sys.argv[1]
tables = {"t1": "表格数据一二", "t2": "cafe\u0301_re\u0301sume\u0301", "t3": "abc\u202edef", "t4": "plain"}
db = "数据"
os.makedirs(os.path.join(lake, "catalog", db))
for key, name in tables.items():
    loc = f"storing/{key}/"
    os.makedirs(os.path.join(lake, loc))
    with open(os.path.join(lake, loc, "part-0.parquet"), "wb") as f:
        f.write(b"\0" * 2048)
    with open(os.path.join(lake, "catalog", db, key + ".json"), "w", encoding="utf-8") as f:
        json.dump({"Name": name, "StorageDescriptor": {"Location": loc, "Columns": []}}, f,
                  ensure_ascii=False)
PYEOF
"$LAKETOP" --lake "$LAKE" --once --format table >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] && ok "--format table on a lake of wide names" || { notok "--format table exit status"; sed 's/^/# /' "$WORK/err"; }
$PY - "$WORK/out" <<'PYEOF' && ok "every row's SIZE column ends where the header's does (display width)" || notok "columns misaligned by wide names"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
header = lines[0]
want = width(header[: header.index("SIZE") + len("SIZE")])
rows = [l for l in lines if "2.0 KiB" in l]
got = {width(l[: l.index("2.0 KiB") + len("2.0 KiB")]) for l in rows}
print("# header SIZE ends at", want, "rows at", sorted(got))
sys.exit(0 if len(rows) == 4 and got == {want} else 1)
PYEOF
if grep -q "$(printf '\342\200\256')" "$WORK/out"; then notok "U+202E printed raw"; else
    grep -qF 'abc\u202edef' "$WORK/out" && ok "U+202E printed escaped" || notok "U+202E not shown"; fi


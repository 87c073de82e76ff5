#!/bin/sh
# test_inventory_scale.sh: a generated S3 Inventory report of 100,000 and
# of 1,000,000 rows (tests/helpers/inventory_writer.py --rows, three
# CSV.gz data files) read by laketop --once (tests/run.sh also runs it with
# build/asan/laketop: ASan and UBSan, leaks checked at exit). Per table the
# figures equal python's sums over the generator's rows (tbl/ and tbl_old/
# siblings, a marker every 10th row, URL-encoded spaces), and memory is flat
# in the rows: peak RSS (/usr/bin/time -v) is printed for both and the 1M
# run must stay under 64 MiB above the 100k run. No timing is asserted.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
printf '[laketop]\ninventory = s3://inv/scale-lake/cfg/\n' >"$WORK/inv.ini"

for rows in 100000 1000000; do
    mkdir -p "$WORK/inv$rows"
    $PY - "$WORK" "$rows" <<'PYEOF'
import calendar, json, sys
work, rows = sys.argv[1], int(sys.argv[2])
tables = ["t0", "t1", "t1_old", "t3"]
seed = {"databases": [{"Name": "scale", "LocationUri": "s3://scale-lake/wh/", "tables": [
    {"Name": t, "Parameters": {"classification": "parquet"},
     "StorageDescriptor": {"Location": f"s3://scale-lake/wh/{t}/", "Columns": []}} for t in tables]}],
    "buckets": {"scale-lake": {"objects": []}},
    "files": [{"bucket": "inv", "prefix": "", "dir": f"{work}/inv{rows}"}]}
json.dump(seed, open(f"{work}/seed{rows}.json", "w"))
# the generator's rows (inventory_writer.py --rows), summed here on their own
want = {t: {"objects": 0, "bytes": 0, "marker_objects": 0, "newest": 0} for t in tables}
for i in range(rows):
    w = want[tables[i % 4]]
    if i % 10 == 9:
        w["marker_objects"] += 1
        continue
    w["objects"] += 1
    w["bytes"] += 1000 + i % 977
    w["newest"] = max(w["newest"], calendar.timegm((2026, 11, 1 + i % 28, 0, 0, 0)))
json.dump(want, open(f"{work}/want{rows}.json", "w"))
PYEOF
    $PY "$HELPERS/inventory_writer.py" - "$WORK/inv$rows" scale-lake cfg --rows "$rows" --files 3 >/dev/null
    start_endpoint "e$rows" --seed "$WORK/seed$rows.json"
    PORT=$(wait_port "e$rows") || { notok "endpoint started ($rows rows)"; continue; }
    /usr/bin/time -v "$LAKETOP" --config "$WORK/inv.ini" --endpoint-url "http://127.0.0.1:$PORT" --once \
        >"$WORK/once$rows.json" 2>"$WORK/err$rows" ||
        { notok "--once on a report of $rows rows"; grep -v '^	' "$WORK/err$rows" | sed 's/^/# /' | head -20; }
    kill "$(cat "$WORK/e$rows.pid")" 2>/dev/null
    rm -rf "$WORK/inv$rows"
done

$PY - "$WORK" <<'PYEOF'
import calendar, json, re, sys
work = sys.argv[1]
rss = {}
for rows in (100000, 1000000):
    want = json.load(open(f"{work}/want{rows}.json"))
    try:
        doc = json.load(open(f"{work}/once{rows}.json"))
    except ValueError:
        doc = {}
    got = {t["name"]: t for t in doc.get("tables", []) if t.get("database") == "scale"}
    for t, w in sorted(want.items()):
        g = got.get(t, {})
        for k in ("objects", "bytes", "marker_objects"):
            print(("ok" if g.get(k) == w[k] else "not ok") + f" - {rows} rows: {t} {k} {g.get(k)!r}, python {w[k]!r}")
        n = g.get("newest_object")
        n = calendar.timegm(__import__("time").strptime(n[:19], "%Y-%m-%dT%H:%M:%S")) if isinstance(n, str) else n
        print(("ok" if n == w["newest"] else "not ok") + f" - {rows} rows: {t} newest_object {g.get('newest_object')!r}")
        kind = (g.get("provenance") or {}).get("kind")
        print(("ok" if kind == "inventory" else "not ok") + f" - {rows} rows: {t} provenance {kind!r}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{work}/err{rows}").read())
    rss[rows] = int(m.group(1)) if m else None
    print(f"# {rows} rows: peak RSS {rss[rows]} KiB")
a, b = rss[100000], rss[1000000]
good = a is not None and b is not None and b - a < 64 * 1024
print(("ok" if good else "not ok") + f" - memory flat in the rows: peak RSS {a} KiB at 100k rows, {b} KiB at 1M rows")
PYEOF
exit $FAILED

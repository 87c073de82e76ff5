#!/bin/sh
# test_demo_formats.sh: the demo lake's Iceberg table (weblogs.events) and
# Delta table (sales.payments) cross-checked. The expected figures come from
# outside laketop: python3-avro reads the Iceberg metadata JSON, manifest
# lists and manifests (tests/helpers/open_formats_truth.py, which also
# replays the Delta log and checks the .crc), find/stat count what is under
# each location; then laketop's --once JSON must say the same: objects,
# bytes, records, s3_objects, s3_bytes, unreferenced_bytes, snapshots,
# last_commit, table_format, delete_files, retained_bytes (definitions:
# collector/formats/formats.h), and the waste insight with the demo's
# laketop.conf.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

LAKE="$WORK/lake"
export LAKETOP_NOW=2026-11-20T12:00:00Z
expect "the demo lake is written" "$LAKETOP" demo "$LAKE"
expect "the demo's Iceberg and Delta tables agree with themselves (summaries, manifest counts, .crc)" \
    $PY "$HELPERS/open_formats_truth.py" "$LAKE" "$WORK/truth.json"

# The story the demo tells, from the files alone.
expect "the files tell the demo's story: compactions, an expiry, orphans, deletes, waste" $PY - "$WORK/truth.json" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1]))["tables"]
ice, delta = t["weblogs.events"], t["sales.payments"]
assert ice["table_format"] == "iceberg" and delta["table_format"] == "delta", t.keys()
# 40 daily appends, two compactions, a delete; the snapshots older than 12 days expired
ops = ice["operations"]
assert ops.count("replace") == 1 and ops.count("delete") == 1, ops  # the first replace expired
assert ice["snapshots"] == 15, ice["snapshots"]
assert ice["delete_files"] == 1, ice
# the files the expired snapshots alone held, and the orphans of a failed write
assert ice["unreferenced_objects"] > 4 and ice["retained_bytes"] > 0, ice
# what the Overview's waste line needs with the demo's waste_bytes = 1MiB
assert ice["unreferenced_bytes"] > 0.3 * ice["bytes"], ice
assert ice["unreferenced_bytes"] > 1024 * 1024, ice
assert ice["s3_bytes"] > ice["bytes"] + ice["unreferenced_bytes"] + ice["retained_bytes"]
# creation, 30 appends, an OPTIMIZE whose removes were not vacuumed, 2 orphans
assert delta["snapshots"] == 32 and delta["operations"].count("OPTIMIZE") == 1, delta
assert delta["retained_bytes"] > 0 and delta["unreferenced_objects"] == 2, delta
assert delta["records"] > 0 and delta["objects"] > 0, delta
PYEOF

# s3_objects and s3_bytes from find/stat, not from the helper
for spec in weblogs.events:storing/weblogs/events sales.payments:storing/sales/payments; do
    table=${spec%%:*}
    dir="$LAKE/${spec#*:}"
    objects=$(find "$dir" -type f | wc -l)
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    expect "$table: find and stat count $objects objects, $bytes bytes, as the helper does" $PY -c "
import json, sys
t = json.load(open('$WORK/truth.json'))['tables']['$table']
sys.exit(0 if (t['s3_objects'], t['s3_bytes']) == ($objects, $bytes) else print(t) or 1)"
done

expect "laketop --once --format json on the demo lake" sh -c \
    "'$LAKETOP' --lake '$LAKE' --config '$LAKE/laketop.conf' --once --format json >'$WORK/once.json'"
$PY - "$WORK/truth.json" "$WORK/once.json" >"$WORK/compare" 2>&1 <<'PYEOF'
import json, sys
truth = json.load(open(sys.argv[1]))["tables"]
doc = json.load(open(sys.argv[2]))
by = {f"{t['database']}.{t['name']}": t for t in doc["tables"]}
fields = ("table_format", "objects", "bytes", "records", "s3_objects", "s3_bytes",
          "unreferenced_bytes", "snapshots", "last_commit", "delete_files", "retained_bytes")
for name in sorted(truth):
    got = by.get(name)
    if got is None:
        print(f"not ok - {name}: not in laketop's JSON")
        continue
    for field in fields:
        want, have = truth[name][field], got.get(field)
        if want == have:
            print(f"ok - {name} {field}: {want}")
        else:
            print(f"not ok - {name} {field}: laketop says {have!r}, the files {want!r}")
# the Overview's waste line (the demo's laketop.conf: waste_bytes = 1MiB, the
# default waste_share 30 %): weblogs.events, not sales.payments (2 orphans)
for name, want in (("weblogs.events", True), ("sales.payments", False)):
    have = by.get(name, {}).get("waste")
    print(("ok" if have is want else "not ok") + f" - {name} waste: {have!r}, want {want!r}")
# the Hive-style tables beside them keep their figures (no format, no unreferenced)
hive = [t for t in doc["tables"] if f"{t['database']}.{t['name']}" not in truth]
bad = [t["name"] for t in hive if t.get("table_format") != "hive" or t.get("unreferenced_bytes") is not None]
print(("not ok" if bad or len(hive) != 19 else "ok") + f" - the 19 other tables stay Hive-style {bad}")
PYEOF
cat "$WORK/compare"
if grep -q '^not ok' "$WORK/compare" || ! grep -q '^ok' "$WORK/compare"; then
    FAILED=1
    grep -v '^ok\|^not ok' "$WORK/compare" | sed 's/^/# /' | head -20
fi
exit $FAILED

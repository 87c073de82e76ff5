#!/bin/sh
# test_iceberg_writer.sh: guards the Iceberg fixture itself. Runs
# tests/fixtures/iceberg_writer.py with an s3:// and a file:// prefix and
# re-reads what it wrote with tests/helpers/iceberg_check.py (the metadata
# JSON, the manifest lists and manifests with python3-avro, a walk of the
# table directories): every figure of expected.json must be found again.
# Also: the checker notices a wrong figure, and the writer is deterministic.
set -u
NO_LAKETOP=1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

NOW=1796212800 # 2026-12-02T12:00:00Z
WRITER="$FIXTURES/iceberg_writer.py"
CHECK="$HELPERS/iceberg_check.py"

expect "writer runs (s3:// prefix)" $PY "$WRITER" --out "$WORK/s3" --uri-prefix s3://lake/warehouse/ --now $NOW
if $PY "$CHECK" "$WORK/s3" s3://lake/warehouse/ >"$WORK/check.out" 2>&1; then
    ok "expected.json agrees with the files (s3:// prefix, $(grep -c '^ok' "$WORK/check.out") figures)"
else
    notok "expected.json agrees with the files (s3:// prefix)"
    grep -v '^ok' "$WORK/check.out" | sed 's/^/# /' | head -20
fi

expect "writer runs (file:// prefix)" $PY "$WRITER" --out "$WORK/local" --uri-prefix "file://$WORK/local/" --now $NOW
if $PY "$CHECK" "$WORK/local" "file://$WORK/local/" >"$WORK/check.out" 2>&1; then
    ok "expected.json agrees with the files (file:// prefix)"
else
    notok "expected.json agrees with the files (file:// prefix)"
    grep -v '^ok' "$WORK/check.out" | sed 's/^/# /' | head -20
fi

# the shape the other tests rely on
shape() {
    $PY - "$WORK/s3" <<'PY'
import json, sys
out = sys.argv[1]
e = json.load(open(out + "/expected.json"))["tables"]
v1, v2, empty = e["ice_v1"], e["ice_v2"], e["ice_empty"]
assert v1["format_version"] == 1 and v1["snapshots"] == 3, v1
assert [c["operation"] for c in v1["commits"]] == ["append"] * 3, v1["commits"]
assert v2["format_version"] == 2 and "replace" in [c["operation"] for c in v2["commits"]]
assert v2["unreferenced_bytes"] > 0 and v2["retained_bytes"] > 0 and v2["delete_files"] == 1
assert v2["s3_bytes"] > v2["bytes"] + v2["unreferenced_bytes"] + v2["retained_bytes"]
assert empty["snapshots"] == 0 and empty["objects"] == 0 and empty["last_commit"] is None
c = json.load(open(out + "/catalog.json"))["tables"]
for t in c:
    assert t["Parameters"]["table_type"] == "ICEBERG"
    assert t["Parameters"]["metadata_location"].startswith("s3://lake/warehouse/" + t["Name"] + "/metadata/")
    assert t["StorageDescriptor"]["Location"] == "s3://lake/warehouse/" + t["Name"]
PY
}
expect "fixture has the shape its users rely on (v1 appends, v2 compaction, waste, empty)" shape

# the checker is not a rubber stamp: one byte off in expected.json is caught
cp -r "$WORK/s3" "$WORK/bad"
$PY - "$WORK/bad/expected.json" <<'PY'
import json, sys
p = sys.argv[1]
e = json.load(open(p))
e["tables"]["ice_v2"]["unreferenced_bytes"] += 1
json.dump(e, open(p, "w"))
PY
if $PY "$CHECK" "$WORK/bad" s3://lake/warehouse/ >"$WORK/check.out" 2>&1; then
    notok "checker catches a wrong unreferenced_bytes"
else
    if grep -q '^not ok - ice_v2 unreferenced_bytes' "$WORK/check.out"; then
        ok "checker catches a wrong unreferenced_bytes"
    else
        notok "checker catches a wrong unreferenced_bytes (for the wrong reason)"
        sed 's/^/# /' "$WORK/check.out" | grep -v '^# ok' | head
    fi
fi

$PY "$WRITER" --out "$WORK/again" --uri-prefix s3://lake/warehouse/ --now $NOW
expect "writer is deterministic (same --now, same expected.json)" cmp "$WORK/s3/expected.json" "$WORK/again/expected.json"

exit $FAILED

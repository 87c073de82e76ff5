#!/bin/sh
# test_iceberg_writer.sh: guards the Iceberg fixture itself. Runs
# tests/fixtures/iceberg_writer.py with an s3:// and a file:// prefix and
# re-reads what it wrote with tests/helpers/iceberg_check.py (the metadata
# JSON, the manifest lists and manifests with python3-avro, a walk of the
# table directories): every figure of expected.json must be found again.
# Also: the checker notices a wrong figure, and the writer is deterministic.
# Then laketop's readers (collector/formats/iceberg*.c, built here with
# ASan+UBSan into tests/helpers/iceberg_driver.c) read every table and must
# find the writer's figures: live, summed over the manifests, snapshots,
# last commit, commits, partition spec, unreferenced and retained bytes.
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

# laketop's readers against the writer's figures
cd "$ROOT" || exit 1
SOURCES="tests/helpers/iceberg_driver.c collector/formats/iceberg_metadata.c
collector/formats/iceberg_manifest.c collector/formats/iceberg_avro.c common/strbuf.c
common/xalloc.c"
# shellcheck disable=SC2086 # word splitting of the lists is wanted
if ${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Werror -I. -g -fsanitize=address,undefined \
    -fno-sanitize-recover=undefined $(pkg-config --cflags json-c avro-c) $SOURCES \
    $(pkg-config --libs json-c avro-c zlib) -lsnappy -lm -o "$WORK/iceberg_driver" \
    2>"$WORK/cc.log"; then
    ok "iceberg_driver builds (ASan+UBSan)"
else
    notok "iceberg_driver builds (ASan+UBSan)"
    sed 's/^/# /' "$WORK/cc.log" | head -20
fi

readers_agree() { # readers_agree DIR PREFIX
    $PY - "$WORK/iceberg_driver" "$1" "$2" <<'PY'
import datetime, json, os, subprocess, sys
driver, out, prefix = sys.argv[1:4]
catalog = json.load(open(os.path.join(out, "catalog.json")))["tables"]
expected = json.load(open(os.path.join(out, "expected.json")))["tables"]
bad = 0
def iso(ms):
    return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
def same(what, got, want):
    global bad
    if got != want:
        print("%s: laketop's readers %r, the writer %r" % (what, got, want))
        bad = 1
for t in catalog:
    name, want = t["Name"], expected[t["Name"]]
    run = subprocess.run([driver, prefix, out, t["Parameters"]["metadata_location"]],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print("%s: the driver failed: %s" % (name, run.stderr.strip()[:500]))
        bad = 1
        continue
    got = json.loads(run.stdout)
    for key in ("format_version", "objects", "bytes", "records", "delete_files",
                "snapshots", "partition_spec"):
        same(name + " " + key, got[key], want[key])
    for key in ("objects", "bytes", "records", "delete_files"):
        same(name + " sum over the manifests of " + key, got["sum_" + key], want[key])
    same(name + " last_commit", iso(got["last_commit_ms"]) if got["last_commit_ms"] else None,
         want["last_commit"])
    commits = [{"at": iso(c["at_ms"]), "operation": c["operation"], "total_files": c["total_files"],
                "total_bytes": c["total_bytes"], "total_records": c["total_records"]}
               for c in sorted(got["commits"], key=lambda c: c["at_ms"])]
    same(name + " commits", commits, want["commits"])
    referenced = {p for p, f in got["files"].items() if f["referenced"]}
    live = {p for p, f in got["files"].items() if f["live"]}
    unreferenced = retained = 0
    base = os.path.join(out, name)
    for root, _dirs, files in os.walk(base):
        for fname in files:
            rel = os.path.relpath(os.path.join(root, fname), base).replace(os.sep, "/")
            if rel.startswith("metadata/") or fname[0] in "_.":
                continue
            size = os.path.getsize(os.path.join(root, fname))
            address = prefix + name + "/" + rel
            if address not in referenced:
                unreferenced += size
            elif address not in live:
                retained += size
    same(name + " unreferenced_bytes", unreferenced, want["unreferenced_bytes"])
    same(name + " retained_bytes", retained, want["retained_bytes"])
sys.exit(bad)
PY
}
expect "laketop's Iceberg readers find the writer's figures (s3:// prefix)" readers_agree "$WORK/s3" s3://lake/warehouse/
expect "laketop's Iceberg readers find the writer's figures (file:// prefix)" readers_agree "$WORK/local" "file://$WORK/local/"

exit $FAILED

#!/bin/sh
# test_delta_writer.sh: guards the Delta fixture itself. The writer
# (tests/fixtures/delta_writer.py) computes its expected figures while it
# writes; here they are checked against a replay of the log it wrote by
# another program (tests/helpers/delta_replay.py: live files, records,
# versions, commits, unreferenced bytes, the .crc figures) and against
# find/stat for the s3_* figures. A tampered expected.json must be caught.
# laketop itself is not run.
set -u
NO_LAKETOP=1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

OUT="$WORK/lake"
NOW=1764633600 # 2025-12-02T00:00:00Z
expect "the writer writes its tables" $PY "$FIXTURES/delta_writer.py" --out "$OUT" \
    --uri-prefix "file://$OUT/" --now $NOW
expect "the replay agrees with expected.json" $PY "$HELPERS/delta_replay.py" "$OUT"

# s3_objects and s3_bytes: every file under the table, by find and stat
field() { # field TABLE KEY: a figure of expected.json
    $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["tables"][sys.argv[2]][sys.argv[3]])' \
        "$OUT/expected.json" "$1" "$2"
}
for t in delta_json delta_crc delta_nostats; do
    objects=$(find "$OUT/$t" -type f | wc -l | tr -d ' ')
    bytes=$(find "$OUT/$t" -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }')
    if [ "$objects" = "$(field $t s3_objects)" ] && [ "$bytes" = "$(field $t s3_bytes)" ]; then
        ok "$t: s3_objects $objects and s3_bytes $bytes as find/stat"
    else
        notok "$t: find/stat say $objects objects, $bytes bytes; expected.json $(field $t s3_objects), $(field $t s3_bytes)"
    fi
done

# what the tables must hold for the tests that use them
expect "delta_json has an orphan (unreferenced bytes), removed files kept and 8 versions" sh -c "
    [ $(field delta_json unreferenced_bytes) -gt 0 ] && [ $(field delta_json snapshots) -eq 8 ] &&
    [ $(find "$OUT/delta_json" -name '*.parquet' | wc -l) -gt $(field delta_json objects) ]"
expect "delta_json's log writes a file name percent-encoded" \
    grep -q 'a%20b.snappy.parquet' "$OUT/delta_json/_delta_log/00000000000000000002.json"
expect "delta_crc has a .crc for its newest version" test -f "$OUT/delta_crc/_delta_log/00000000000000000007.crc"
expect "delta_nostats has no records" sh -c "[ '$(field delta_nostats records)' = None ]"
expect "the catalog names the three tables as Delta, at PREFIX + table" $PY -c '
import json, sys
c = {t["Name"]: t for t in json.load(open(sys.argv[1]))["tables"]}
for n in ("delta_json", "delta_crc", "delta_nostats"):
    p = c[n]["Parameters"]
    assert p.get("table_type") == "DELTA" or p.get("spark.sql.sources.provider") == "delta", n
    assert c[n]["StorageDescriptor"]["Location"] == sys.argv[2] + n, n
    assert c[n]["TableType"] == "EXTERNAL_TABLE", n
' "$OUT/catalog.json" "file://$OUT/"
expect "commit times are --now minus whole hours, within 40 days" $PY -c '
import json, sys, calendar, time
now = int(sys.argv[2])
for n, t in json.load(open(sys.argv[1]))["tables"].items():
    for c in t["commits"]:
        at = calendar.timegm(time.strptime(c["at"], "%Y-%m-%dT%H:%M:%SZ"))
        assert (now - at) % 3600 == 0 and 0 < now - at <= 40 * 86400, (n, c)
' "$OUT/expected.json" $NOW

# the check can fail: a figure changed in expected.json is caught
cp -r "$OUT" "$WORK/tampered"
$PY - "$WORK/tampered/expected.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["tables"]["delta_json"]["bytes"] += 1
d["tables"]["delta_crc"]["commits"][3]["total_records"] = 0
json.dump(d, open(sys.argv[1], "w"))
PY
$PY "$HELPERS/delta_replay.py" "$WORK/tampered" >"$WORK/tampered.out" 2>&1
if [ $? -eq 1 ] && grep -q 'not ok - delta_json bytes' "$WORK/tampered.out" &&
    grep -q 'not ok - delta_crc commits' "$WORK/tampered.out"; then
    ok "a tampered expected.json is caught"
else
    notok "a tampered expected.json is not caught"
    sed 's/^/# /' "$WORK/tampered.out" | head
fi
# a .crc that disagrees with the log is caught
sed 's/"numFiles":6/"numFiles":5/' "$OUT/delta_crc/_delta_log/00000000000000000007.crc" \
    >"$WORK/tampered/delta_crc/_delta_log/00000000000000000007.crc"
if ! $PY "$HELPERS/delta_replay.py" "$WORK/tampered" delta_crc 2>&1 | grep -q 'not ok - 00000000000000000007.crc numFiles'; then
    notok "a .crc that disagrees with the replay is not caught"
else
    ok "a .crc that disagrees with the replay is caught"
fi

# an existing catalog.json and expected.json (another writer's) are kept
mkdir -p "$WORK/merged"
echo '{"tables": [{"Name": "ice_other"}]}' >"$WORK/merged/catalog.json"
echo '{"tables": {"ice_other": {"table_format": "iceberg"}}}' >"$WORK/merged/expected.json"
$PY "$FIXTURES/delta_writer.py" --out "$WORK/merged" --uri-prefix s3://lake/warehouse/ --now $NOW
expect "another writer's tables stay in catalog.json and expected.json" $PY -c '
import json, sys
c = [t["Name"] for t in json.load(open(sys.argv[1] + "/catalog.json"))["tables"]]
e = json.load(open(sys.argv[1] + "/expected.json"))["tables"]
assert "ice_other" in c and "delta_json" in c and "ice_other" in e and "delta_crc" in e
' "$WORK/merged"
exit $FAILED

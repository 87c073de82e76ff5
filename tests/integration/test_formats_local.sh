#!/bin/sh
# test_formats_local.sh: Iceberg, Delta and Hudi tables on the local lake,
# measured from their own metadata. The fixture writers (independent Python:
# tests/fixtures/iceberg_writer.py, delta_writer.py,
# delta_checkpoint_writer.py) write the tables and their expected figures;
# laketop's --once JSON must equal them exactly. Hive tables beside them keep
# their figures (find/stat); a table found by its _delta_log/ or .hoodie/
# alone; broken metadata (a missing metadata_location object, truncated JSON,
# manifests that are not Avro, a Delta log with a gap) marks the row with
# the reason and keeps its listing figures, the rest of the lake exact; and a
# dashboard's second refresh reads nothing for an unchanged table, only the
# new metadata when it changes (LAKETOP_FORMATS_DEBUG).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
export LAKETOP_NOW=2025-12-02T00:00:00Z
NOW=1764633600
CHECK="$HELPERS/formats_check.py"
LAKE="$WORK/lake"
mkdir -p "$LAKE/catalog"

# tap FILE: the TAP lines of a helper, counted as this test's
tap() {
    cat "$1"
    if grep -q '^not ok' "$1"; then FAILED=1; fi
}

for w in iceberg_writer:ice delta_writer:dl delta_checkpoint_writer:ck; do
    writer=${w%%:*}
    db=${w#*:}
    if $PY "$FIXTURES/$writer.py" --out "$LAKE/$db" --uri-prefix "file://$LAKE/$db/" --now $NOW \
        >"$WORK/$db.out" 2>&1; then ok "$writer wrote its tables"; else
        notok "$writer wrote its tables"
        sed 's/^/# /' "$WORK/$db.out" | head -5
    fi
    $PY "$CHECK" catalog "$LAKE/$db" "$LAKE" "$db"
done

# Hive tables beside them: data, markers, a hidden directory, partitions
mkdir -p "$LAKE/hive/events/dt=2025-11-30" "$LAKE/hive/events/dt=2025-12-01/_temporary/0"
head -c 100 /dev/zero >"$LAKE/hive/events/dt=2025-11-30/part-0.parquet"
head -c 200 /dev/zero >"$LAKE/hive/events/dt=2025-12-01/part-0.parquet"
head -c 50 /dev/zero >"$LAKE/hive/events/dt=2025-12-01/_temporary/0/part-9.parquet"
head -c 12 /dev/zero >"$LAKE/hive/events/dt=2025-12-01/.part-0.parquet.crc"
: >"$LAKE/hive/events/_SUCCESS"
# a Delta table the catalog does not say is one (its _delta_log/ does)
cp -R "$LAKE/dl/delta_json" "$LAKE/hive/plain_delta"
# a Hudi table found by its .hoodie/
mkdir -p "$LAKE/hive/hudi_t/.hoodie" "$LAKE/hive/hudi_t/2025/11/30"
echo "hoodie.table.name=hudi_t" >"$LAKE/hive/hudi_t/.hoodie/hoodie.properties"
: >"$LAKE/hive/hudi_t/.hoodie/20251130120000000.commit"
: >"$LAKE/hive/hudi_t/.hoodie/20251201093000.commit"
: >"$LAKE/hive/hudi_t/.hoodie/20251201100000.commit.requested"
head -c 300 /dev/zero >"$LAKE/hive/hudi_t/2025/11/30/f1.parquet"
mkdir -p "$LAKE/catalog/hive"
echo '{"Name": "hive"}' >"$LAKE/catalog/hive/database.json"
for t in events plain_delta hudi_t; do
    keys='[]'
    [ $t = events ] && keys='[{"Name": "dt", "Type": "string"}]'
    cat >"$LAKE/catalog/hive/$t.json" <<JSON
{"Name": "$t", "TableType": "EXTERNAL_TABLE", "Parameters": {"classification": "parquet"},
 "PartitionKeys": $keys, "StorageDescriptor": {"Location": "hive/$t", "Columns": []}}
JSON
done

# Broken metadata, each in a table of its own
mkdir -p "$LAKE/bad" "$LAKE/catalog/bad"
echo '{"Name": "bad"}' >"$LAKE/catalog/bad/database.json"
for t in bad_missing bad_truncated bad_notavro; do cp -R "$LAKE/ice/ice_v1" "$LAKE/bad/$t"; done
cp -R "$LAKE/dl/delta_json" "$LAKE/bad/bad_gap"
rm "$LAKE/bad/bad_gap/_delta_log/00000000000000000003.json"
current=$(ls "$LAKE/ice/ice_v1/metadata/" | grep 'metadata.json$' | sort | tail -n 1)
# truncated: the current metadata file cut in half
size=$(wc -c <"$LAKE/bad/bad_truncated/metadata/$current")
head -c $((size / 2)) "$LAKE/ice/ice_v1/metadata/$current" >"$LAKE/bad/bad_truncated/metadata/$current"
# not Avro: the metadata points into its own folder, whose manifests are text
sed "s|/ice/ice_v1/|/bad/bad_notavro/|g" "$LAKE/ice/ice_v1/metadata/$current" \
    >"$LAKE/bad/bad_notavro/metadata/$current"
for m in "$LAKE/bad/bad_notavro/metadata/"*.avro; do echo "this is not Avro" >"$m"; done
$PY - "$LAKE" "$current" <<'PY'
import json, os, sys
lake, current = sys.argv[1], sys.argv[2]
ice = {t["Name"]: t for t in json.load(open(f"{lake}/ice/catalog.json"))["tables"]}
dl = {t["Name"]: t for t in json.load(open(f"{lake}/dl/catalog.json"))["tables"]}
def put(name, table, metadata):
    t = json.loads(json.dumps(table))
    t["Name"] = name
    t["StorageDescriptor"]["Location"] = f"file://{lake}/bad/{name}"
    if metadata:
        t["Parameters"]["metadata_location"] = f"file://{lake}/bad/{name}/metadata/{metadata}"
    json.dump(t, open(f"{lake}/catalog/bad/{name}.json", "w"))
put("bad_missing", ice["ice_v1"], "99999-gone.metadata.json")
put("bad_truncated", ice["ice_v1"], current)
put("bad_notavro", ice["ice_v1"], current)
put("bad_gap", dl["delta_json"], None)
# the plain Delta table is expected to be delta_json's figures
e = json.load(open(f"{lake}/dl/expected.json"))["tables"]["delta_json"]
json.dump({"tables": {"plain_delta": e}}, open(f"{lake}/plain_expected.json", "w"))
PY

"$LAKETOP" --lake "$LAKE" --once >"$WORK/once.json" 2>"$WORK/once.err"
st=$?
[ $st -eq 0 ] && ok "--once exits 0 (broken metadata is not a row error)" ||
    { notok "--once exit status $st"; sed 's/^/# /' "$WORK/once.err" | head -5; }
for db in ice dl ck; do
    $PY "$CHECK" check "$LAKE/$db/expected.json" "$WORK/once.json" $db >"$WORK/check.$db"
    tap "$WORK/check.$db"
done
$PY "$CHECK" check "$LAKE/plain_expected.json" "$WORK/once.json" hive >"$WORK/check.plain"
tap "$WORK/check.plain"
$PY "$CHECK" hive "$LAKE/hive" "$WORK/once.json" hive events >"$WORK/check.hive"
tap "$WORK/check.hive"
$PY "$CHECK" fields "$WORK/once.json" hive events '"partitions"=2' '"marker_objects"=2' \
    '"table_format"="hive"' '"origin"="listing"' '"records"=null' >"$WORK/check.events"
tap "$WORK/check.events"
$PY "$CHECK" fields "$WORK/once.json" hive hudi_t '"table_format"="hudi"' '"origin"="listing"' \
    '"objects"=1' '"bytes"=300' '"s3_objects"=5' '"snapshots"=2' \
    '"last_commit"="2025-12-01T09:30:00Z"' '"unreferenced_bytes"=null' >"$WORK/check.hudi"
tap "$WORK/check.hudi"
for c in "bad_missing iceberg 99999-gone.metadata.json" "bad_truncated iceberg $current" \
    "bad_notavro iceberg manifest" "bad_gap delta gap"; do
    # shellcheck disable=SC2086
    $PY "$CHECK" bad "$LAKE/bad" "$WORK/once.json" bad $c >"$WORK/check.bad"
    tap "$WORK/check.bad"
done
$PY "$CHECK" fields "$WORK/once.json" ice ice_v2 '"origin"="metadata"' '"format_version"=2' \
    '"partition_spec"="day(ts), bucket(4, id)"' '"delete_files"=1' >"$WORK/check.v2"
tap "$WORK/check.v2"
# the history comes from the commits: a table never seen has 30 days of growth
$PY - "$WORK/once.json" >"$WORK/check.growth" <<'PY'
import json, sys
t = {(r["database"], r["name"]): r for r in json.load(open(sys.argv[1]))["tables"]}
r = t[("dl", "delta_json")]
print(("ok" if r["growth_30d_bytes"] is not None and r["growth_7d_bytes"] is not None
       else "not ok") + f" - delta_json's growth from its commits: 7d {r['growth_7d_bytes']}, "
      f"30d {r['growth_30d_bytes']}")
print(("ok" if r["stale"] == "fresh" and r["newest_object"] == r["last_commit"] else "not ok")
      + f" - delta_json's staleness from its last commit ({r['stale']}, {r['newest_object']})")
PY
tap "$WORK/check.growth"

# The dashboard, refreshing every second: the second refresh reads nothing
# for an unchanged table; a new metadata_location reads that one file (its
# manifests are the ones read already)
SOCK="laketop-formats-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT
DEBUG="$WORK/reads.log"
tmux -L "$SOCK" -f /dev/null new-session -d -s f -x 120 -y 30 \
    "LAKETOP_FORMATS_DEBUG='$DEBUG' '$LAKETOP' --lake '$LAKE' --interval 1 --no-mouse; sleep 600"
# wait_measures N: until ice.ice_v1 was measured N times (bounded)
wait_measures() {
    i=0
    while [ "$(grep -c '^measure ice.ice_v1$' "$DEBUG" 2>/dev/null || echo 0)" -lt "$1" ] && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 0.3 # that refresh's reads (none are expected)
}
wait_measures 3
$PY "$CHECK" reads "$DEBUG" ice.ice_v1 >"$WORK/reads.v1"
first=$(sed -n 1p "$WORK/reads.v1" | cut -d' ' -f1)
second=$(sed -n 2p "$WORK/reads.v1" | cut -d' ' -f1)
[ "${first:-0}" -ge 4 ] && [ "$second" = "0" ] &&
    ok "dashboard: ice_v1's first refresh read $first objects, the second none" ||
    { notok "dashboard: reads per refresh of ice_v1: $(tr '\n' '|' <"$WORK/reads.v1" | cut -c1-300)"; }
# a commit to the catalog: metadata_location moves (here to the previous one)
n=$(grep -c '^measure ice.ice_v1$' "$DEBUG")
$PY - "$LAKE/catalog/ice/ice_v1.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["Parameters"]["metadata_location"] = t["Parameters"]["previous_metadata_location"]
json.dump(t, open(sys.argv[1] + ".new", "w"))
PY
mv "$LAKE/catalog/ice/ice_v1.json.new" "$LAKE/catalog/ice/ice_v1.json"
prev=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["Parameters"]["metadata_location"])' "$LAKE/catalog/ice/ice_v1.json")
wait_measures $((n + 3))
$PY "$CHECK" reads "$DEBUG" ice.ice_v1 | tail -n +$((n + 1)) >"$WORK/reads.after"
changed=$(grep -v '^0$' "$WORK/reads.after" | head -n 1)
zeros=$(grep -c '^0$' "$WORK/reads.after")
[ "$changed" = "1 ${prev#file://}" ] && [ "$zeros" -ge 1 ] &&
    ok "dashboard: a new metadata_location is read alone (its manifests were read), then nothing" ||
    notok "dashboard: after the change: $(tr '\n' '|' <"$WORK/reads.after" | cut -c1-300)"
tmux -L "$SOCK" kill-server 2>/dev/null
exit $FAILED

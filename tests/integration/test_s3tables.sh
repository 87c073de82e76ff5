#!/bin/sh
# test_s3tables.sh: S3 Tables (table buckets) through the AWS test endpoint:
# the Iceberg writer's tables in a table bucket's namespace (their files
# served from a warehouse bucket "<uuid>--table-s3" that may be read but not
# listed) come out as the database "BUCKET/NAMESPACE" with the writer's own
# live figures (objects, bytes, records, snapshots, last_commit), s3_objects
# and unreferenced_bytes null (no listing), and no ListObjectsV2 of the
# warehouse in the request log; a Hive table of Glue beside them keeps its
# find/stat figures, and an account whose ListTableBuckets answers
# AccessDenied gets the same Glue figures and no error.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
export LAKETOP_NOW=2025-12-02T00:00:00Z
NOW=1764633600
CHECK="$HELPERS/formats_check.py"
FILES="$WORK/files"
WH=0a1b2c3d-1111-4222-8333-444455556666--table-s3
mkdir -p "$FILES"

tap() {
    cat "$1"
    if grep -q '^not ok' "$1"; then FAILED=1; fi
}

if $PY "$FIXTURES/iceberg_writer.py" --out "$FILES/wh" --uri-prefix "s3://$WH/" --now $NOW \
    >"$WORK/writer.out" 2>&1; then ok "iceberg_writer wrote its tables"; else
    notok "iceberg_writer wrote its tables"
    sed 's/^/# /' "$WORK/writer.out" | head -5
fi
mkdir -p "$FILES/hive/events/dt=2025-11-30" "$FILES/hive/events/dt=2025-12-01"
head -c 100 /dev/zero >"$FILES/hive/events/dt=2025-11-30/part-0.parquet"
head -c 200 /dev/zero >"$FILES/hive/events/dt=2025-12-01/part-0.parquet"
$PY - "$FILES" <<'PY'
import json, sys
events = {"Name": "events", "TableType": "EXTERNAL_TABLE",
          "Parameters": {"classification": "parquet"},
          "PartitionKeys": [{"Name": "dt", "Type": "string"}],
          "StorageDescriptor": {"Location": "s3://lake/hive/events/", "Columns": []}}
json.dump({"tables": [events]}, open(f"{sys.argv[1]}/hive/catalog.json", "w"))
PY
$PY "$CHECK" seed "$WORK/glue-seed.json" lake hive:"$FILES/hive":hive/
# the same Glue catalog, and a table bucket "analytics" whose namespace
# "sales" holds every table the writer wrote (metadata_location and
# location from its catalog.json, as S3 Tables would give them)
$PY - "$WORK/glue-seed.json" "$WORK/seed.json" "$FILES/wh" "$WH" <<'PY'
import json, sys
glue, out, wh, bucket = sys.argv[1:5]
doc = json.load(open(glue))
tables = []
for t in json.load(open(f"{wh}/catalog.json"))["tables"]:
    tables.append({"name": t["Name"], "metadata_location": t["Parameters"]["metadata_location"],
                   "warehouse_location": t["StorageDescriptor"]["Location"]})
doc["table_buckets"] = [{"name": "analytics", "namespaces": {"sales": tables}}]
doc["files"].append({"bucket": bucket, "prefix": "", "dir": wh})
json.dump(doc, open(out, "w"), indent=1)
PY
start_endpoint ep --seed "$WORK/seed.json" --page-size 2 --request-log "$WORK/requests.log"
PORT=$(wait_port ep) && ok "endpoint started" || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"

# the endpoint is S3 Tables as botocore knows it, and the warehouse is not listed
$PY - "$EP" "$WH" >"$WORK/check.endpoint" <<'PY'
import sys
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
ep, wh = sys.argv[1], sys.argv[2]
s = botocore.session.Session()
s3 = s.create_client("s3", region_name="us-east-1", endpoint_url=ep,
                     config=Config(s3={"addressing_style": "path"}))
try:
    s3.list_objects_v2(Bucket=wh)
    print("not ok - the warehouse bucket answered ListObjectsV2")
except ClientError as e:
    code = e.response["Error"]["Code"]
    print(("ok" if code == "AccessDenied" else "not ok") + f" - ListObjectsV2 of the warehouse: {code}")
try:
    st = s.create_client("s3tables", region_name="us-east-1", endpoint_url=ep)
except Exception as e:  # botocore without the s3tables model
    print(f"ok - botocore has no s3tables model here ({type(e).__name__}): checked by laketop only")
    sys.exit(0)
b = st.list_table_buckets()["tableBuckets"]
t = st.list_tables(tableBucketARN=b[0]["arn"], namespace="sales")["tables"]
m = st.get_table_metadata_location(tableBucketARN=b[0]["arn"], namespace="sales", name=t[0]["name"])
print(("ok" if m.get("metadataLocation") else "not ok") + f" - botocore's s3tables: {len(b)} bucket, {len(t)} tables")
PY
tap "$WORK/check.endpoint"
: >"$WORK/requests.log"

"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/once.json" 2>"$WORK/once.err"
st=$?
[ $st -eq 0 ] && ok "--once exits 0" ||
    { notok "--once exit status $st"; sed 's/^/# /' "$WORK/once.err" | head -5; }
$PY - "$FILES/wh/expected.json" "$WORK/once.json" >"$WORK/check.tables" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))["tables"]
doc = json.load(open(sys.argv[2]))
got = {t["name"]: t for t in doc["tables"] if t["database"] == "analytics/sales"}
dbs = [d["name"] for d in doc.get("databases", [])]
print(("ok" if "analytics/sales" in dbs else "not ok") + f" - the namespace is the database analytics/sales ({dbs})")
for name, w in sorted(want.items()):
    g = got.get(name)
    if g is None:
        print(f"not ok - analytics/sales.{name}: not in laketop's output")
        continue
    exp = {k: w[k] for k in ("table_format", "objects", "bytes", "records", "snapshots", "last_commit")}
    exp.update({"s3_objects": None, "s3_bytes": None, "unreferenced_bytes": None})
    diffs = [f"{k}: laketop {g.get(k)!r}, writer {v!r}" for k, v in exp.items() if g.get(k) != v]
    if g.get("format_error") or g.get("error"):
        diffs.append(f"error {g.get('error')!r} / {g.get('format_error')!r}")
    print(("not ok" if diffs else "ok") + f" - analytics/sales.{name}: " +
          ("; ".join(diffs) if diffs else ", ".join(f"{k} {v}" for k, v in exp.items())))
extra = sorted(set(got) - set(want))
print(("not ok" if extra else "ok") + f" - no other table in the namespace {extra}")
PY
tap "$WORK/check.tables"
$PY "$CHECK" hive "$FILES/hive" "$WORK/once.json" hive events >"$WORK/check.hive"
tap "$WORK/check.hive"
sleep 0.3
$PY - "$WORK/requests.log" "$WH" >"$WORK/check.log" <<'PY'
import json, sys
wh = sys.argv[2]
ops = {}
lists = 0
skewed = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    # LAKETOP_NOW puts laketop's clock a year back: a request sent before
    # any answer told it the endpoint's time is refused for the skew
    # (InvalidSignatureException) and sent again with the corrected clock
    if r["status"] == 400 and r.get("error") == "InvalidSignatureException":
        skewed[r["op"]] = skewed.get(r["op"], 0) + 1
        continue
    ops.setdefault(r["op"], []).append(r["status"])
    if r["op"] == "ListObjectsV2" and r["path"].lstrip("/").split("/")[0] == wh:
        lists += 1
print(("ok" if lists == 0 else "not ok") + f" - no ListObjectsV2 of the warehouse bucket ({lists})")
for op in ("ListTableBuckets", "ListNamespaces", "ListTables", "GetTableMetadataLocation"):
    s = ops.get(op, [])
    k = skewed.get(op, 0)
    print(("ok" if s and all(x == 200 for x in s) and k <= 1 else "not ok")
          + f" - {op}: {len(s)} request(s) answered, statuses {sorted(set(s))} ({k} sent again for the clock)")
PY
tap "$WORK/check.log"

# no table buckets, or not allowed to read them: the Glue tables unchanged, no error
start_endpoint glue --seed "$WORK/glue-seed.json"
start_endpoint denied --seed "$WORK/seed.json" --s3tables-denied
for e in glue denied; do
    P=$(wait_port $e) || { notok "endpoint $e started"; continue; }
    "$LAKETOP" --endpoint-url "http://127.0.0.1:$P" --once >"$WORK/$e.json" 2>"$WORK/$e.err"
    st=$?
    $PY "$CHECK" hive "$FILES/hive" "$WORK/$e.json" hive events >"$WORK/check.$e"
    tap "$WORK/check.$e"
    $PY - "$WORK/$e.json" "$WORK/once.json" $st >"$WORK/check.$e.same" <<'PY'
import json, sys
a, b, st = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
keys = ("name", "objects", "bytes", "s3_objects", "s3_bytes", "partitions", "error")
ra = [{k: t.get(k) for k in keys} for t in a["tables"] if t["database"] == "hive"]
rb = [{k: t.get(k) for k in keys} for t in b["tables"] if t["database"] == "hive"]
dbs = [d["name"] for d in a.get("databases", [])]
bad = []
if st != "0": bad.append(f"exit {st}")
if ra != rb: bad.append(f"hive rows {ra} != {rb}")
if dbs != ["hive"]: bad.append(f"databases {dbs}")
if a.get("error"): bad.append(f"error {a.get('error')!r}")
print(("not ok" if bad else "ok") + " - " + sys.argv[1].rsplit("/", 1)[1] +
      ": only the Glue database, its rows as with the table bucket, no error " + "; ".join(bad))
PY
    tap "$WORK/check.$e.same"
done
exit $FAILED

#!/bin/sh
# test_inventory.sh: issue 15 item 3 without Athena: the tables of a bucket
# with `inventory = s3://DEST/SOURCE/CONFIG/` are read from the newest
# complete S3 Inventory report (CSV.gz, written by tests/helpers/
# inventory_writer.py from the seed's objects and served as bucket "inv")
# instead of listed. Per table, --once JSON's objects, bytes, marker_objects
# and newest_object equal python's figures from the seed and a plain listing's,
# with tricky keys (spaces, +, %, UTF-8, =), a sibling prefix (tbl_old/), a
# nested hidden directory and markers; provenance "inventory" with the
# report's date (a newer one without its manifest.checksum skipped); the
# flat tables are not listed, the partitioned one only by its directories
# (none was being written when the report was taken, recent_partitions
# does not apply between reports: all counted from the report, verified_at
# the report's time);
# an older report is ignored; a broken manifest.checksum is refused with
# its reason (inventory_error) and the tables are listed instead; with
# `inventory = auto` the report is found through ListBucketInventoryConfigurations
# (served by the endpoint, read by awscli too).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$WORK/inv" "$WORK/bad"
aws_env
export LAKETOP_RETRY_BASE_MS=20

$PY - "$WORK" <<'PYEOF'
import calendar, json, sys
work = sys.argv[1]
tables = ["tbl", "tbl_old", "plain"]
objs = [
    ("wh/tbl/dt=2026-01-01/a b.parquet", 100, "2026-11-01T00:00:00Z", "STANDARD"),
    ("wh/tbl/dt=2026-01-01/c+d%e.parquet", 200, "2026-11-02T00:00:00Z", "STANDARD_IA"),
    ("wh/tbl/dt=2026-01-02/\u00e9t\u00e9=\u65e5.parquet", 300, "2026-11-03T00:00:00Z", "GLACIER_IR"),
    ("wh/tbl/dt=2026-01-02/_SUCCESS", 0, "2026-11-04T00:00:00Z", "STANDARD"),
    ("wh/tbl/_temporary/0/x.parquet", 50, "2026-11-05T00:00:00Z", "STANDARD"),
    ("wh/tbl_old/x.parquet", 7, "2026-10-01T00:00:00Z", "STANDARD"),
    ("wh/tbl_old/y y.parquet", 8, "2026-10-02T00:00:00Z", "STANDARD"),
    ("wh/plain/part-0.parquet", 1000, "2026-09-01T00:00:00Z", "STANDARD"),
    ("wh/plain/.part-0.crc", 12, "2026-09-01T00:00:00Z", "STANDARD"),
    ("scratch/z.bin", 5000, "2026-08-01T00:00:00Z", "STANDARD"),
]
def seed(files_dir):
    return {"databases": [{"Name": "inv", "LocationUri": "s3://inv-lake/wh/", "tables": [
        {"Name": t, "Parameters": {"classification": "parquet"},
         "PartitionKeys": [{"Name": "dt", "Type": "string"}] if t == "tbl" else [],
         "StorageDescriptor": {"Location": f"s3://inv-lake/wh/{t}/", "Columns": []}} for t in tables]}],
        "buckets": {"inv-lake": {"objects": [
            {"key": k, "size": s, "last_modified": m, "storage_class": c} for k, s, m, c in objs],
            "inventory_configurations": [{"id": "weekly-orc", "bucket": "inv", "format": "ORC"},
                                         {"id": "cfg", "bucket": "inv"}]}},
        "files": [{"bucket": "inv", "prefix": "", "dir": files_dir}]}
filt = [("wh/a/x y.parquet", 11, "2026-11-10T00:00:00Z"), ("wh/a/z.parquet", 12, "2026-11-11T00:00:00Z"),
        ("wh/b/q.parquet", 13, "2026-11-12T00:00:00Z")]
def with_filtered(doc):
    doc["databases"].append({"Name": "filt", "tables": [
        {"Name": t, "StorageDescriptor": {"Location": f"s3://filt-lake/wh/{t}/", "Columns": []}} for t in ("a", "b")]})
    doc["buckets"]["filt-lake"] = {"objects": [{"key": k, "size": s, "last_modified": m} for k, s, m in filt],
                                   "inventory_configurations": [{"id": "part", "bucket": "inv", "filter": "wh/a/"}]}
    return doc
json.dump(with_filtered(seed(work + "/inv")), open(work + "/seed.json", "w"))
json.dump(seed(work + "/bad"), open(work + "/seed_bad.json", "w"))
want = {}
for t in tables:
    mine = [o for o in objs if o[0].startswith(f"wh/{t}/")]
    rest = lambda k: k[len(f"wh/{t}/"):]
    hidden = [o for o in mine if any(c[:1] in "_." for c in rest(o[0]).split("/")[:-1])]
    seen = [o for o in mine if o not in hidden]
    markers = [o for o in seen if o[0].rsplit("/", 1)[-1][:1] in "_."]
    data = [o for o in seen if o not in markers]
    parts = {rest(o[0]).split("/")[0] for o in data if t == "tbl" and "=" in rest(o[0]).split("/")[0]}
    want[t] = {"objects": len(data), "bytes": sum(o[1] for o in data), "marker_objects": len(markers),
               "partitions": len(parts),
               "newest": max(calendar.timegm(__import__("time").strptime(o[2], "%Y-%m-%dT%H:%M:%SZ")) for o in data)}
json.dump(want, open(work + "/want.json", "w"))
PYEOF
# with `inventory = auto` the configuration comes from ListBucketInventoryConfigurations
# (the first enabled CSV one: cfg, not the ORC one).
# an older report (its figures would be wrong: it must not be taken) and the newest
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" inv-lake cfg --date 2026-11-30T01-00Z >/dev/null
$PY - "$WORK/inv/inv-lake/cfg/data/0000.csv.gz" <<'PYEOF'
import gzip, sys
open(sys.argv[1], "wb").write(gzip.compress(b'"inv-lake","wh/tbl/old.parquet","999999","2026-11-29T00:00:00.000Z","STANDARD"\n'))
PYEOF
mv "$WORK/inv/inv-lake/cfg/data" "$WORK/inv/inv-lake/cfg/data-old"
sed -i 's#/cfg/data/#/cfg/data-old/#' "$WORK/inv/inv-lake/cfg/2026-11-30T01-00Z/manifest.json"
$PY -c 'import hashlib,sys; d=sys.argv[1]; open(d+"/manifest.checksum","w").write(hashlib.md5(open(d+"/manifest.json","rb").read()).hexdigest())' \
    "$WORK/inv/inv-lake/cfg/2026-11-30T01-00Z"
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" inv-lake cfg --date 2026-12-01T01-00Z >/dev/null
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" filt-lake part --filter wh/a/ >/dev/null
# a newer report still being written (its manifest.checksum not there yet): skipped
mkdir -p "$WORK/inv/inv-lake/cfg/2026-12-02T01-00Z"
cp "$WORK/inv/inv-lake/cfg/2026-11-30T01-00Z/manifest.json" "$WORK/inv/inv-lake/cfg/2026-12-02T01-00Z/"
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/bad" inv-lake cfg --broken-checksum >/dev/null

start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
start_endpoint bad --seed "$WORK/seed_bad.json"
BPORT=$(wait_port bad) || { notok "endpoint (broken checksum) started"; exit 1; }

printf '[laketop]\ninventory = s3://inv/inv-lake/cfg/\nrecent_partitions = 1\n' >"$WORK/inv.ini"
printf '[laketop]\ninventory = auto\nrecent_partitions = 1\n' >"$WORK/auto.ini"
# botocore's parser reads the endpoint's ListBucketInventoryConfigurations
/usr/bin/aws --endpoint-url "http://127.0.0.1:$PORT" s3api list-bucket-inventory-configurations \
    --bucket inv-lake --output json >"$WORK/cli_inv.json" 2>"$WORK/err" ||
    { notok "aws s3api list-bucket-inventory-configurations"; sed 's/^/# /' "$WORK/err" | head -5; }
$PY - "$WORK/cli_inv.json" <<'PYEOF'
import json, sys
try:
    c = json.load(open(sys.argv[1])).get("InventoryConfigurationList", [])
except ValueError:
    c = []
got = [(x["Id"], x["IsEnabled"], x["Destination"]["S3BucketDestination"]["Bucket"],
        x["Destination"]["S3BucketDestination"]["Format"]) for x in c]
want = [("weekly-orc", True, "arn:aws:s3:::inv", "ORC"), ("cfg", True, "arn:aws:s3:::inv", "CSV")]
print(("ok" if got == want else "not ok") + f" - awscli reads the inventory configurations: {got}")
PYEOF
: >"$WORK/plain.ini"
"$LAKETOP" --config "$WORK/plain.ini" --endpoint-url "http://127.0.0.1:$PORT" --once >"$WORK/listed.json" 2>"$WORK/err" ||
    { notok "--once, listed"; sed 's/^/# /' "$WORK/err" | head -5; }
before=$(wc -l <"$WORK/requests.log")
head -n "$before" "$WORK/requests.log" >"$WORK/listed.log"
"$LAKETOP" --config "$WORK/inv.ini" --endpoint-url "http://127.0.0.1:$PORT" --once >"$WORK/inv.json" 2>"$WORK/err" ||
    { notok "--once, from the inventory"; sed 's/^/# /' "$WORK/err" | head -5; }
tail -n +$((before + 1)) "$WORK/requests.log" >"$WORK/inv.log"
"$LAKETOP" --config "$WORK/auto.ini" --endpoint-url "http://127.0.0.1:$PORT" --once >"$WORK/auto.json" 2>"$WORK/err" ||
    { notok "--once, inventory = auto"; sed 's/^/# /' "$WORK/err" | head -5; }
"$LAKETOP" --config "$WORK/inv.ini" --endpoint-url "http://127.0.0.1:$BPORT" --once >"$WORK/bad.json" 2>"$WORK/err" ||
    { notok "--once, broken checksum"; sed 's/^/# /' "$WORK/err" | head -5; }

$PY - "$WORK" "$HELPERS" <<'PYEOF'
import calendar, json, sys
work = sys.argv[1]
want = json.load(open(work + "/want.json"))
sys.path.insert(0, sys.argv[2])
import once_json
from once_json import epoch
tables = lambda name: once_json.tables(work, name)
listed, _ = tables("listed")
inv, inv_doc = tables("inv")
bad, bad_doc = tables("bad")
auto, auto_doc = tables("auto")
for t, w in sorted(want.items()):
    for run, got in (("listing", listed), ("inventory", inv), ("broken checksum", bad),
                     ("inventory = auto", auto)):
        g = got.get(t, {})
        for k in ("objects", "bytes", "marker_objects", "partitions"):
            print(("ok" if g.get(k) == w[k] else "not ok") + f" - {run}: {t} {k} {g.get(k)!r}, from the seed {w[k]!r}")
        n = epoch(g.get("newest_object"))
        print(("ok" if n == w["newest"] else "not ok") + f" - {run}: {t} newest_object {g.get('newest_object')!r}, from the seed {w['newest']}")
    for k in ("objects", "bytes", "marker_objects", "partitions", "newest_object", "s3_objects", "s3_bytes"):
        a, b = inv.get(t, {}).get(k), listed.get(t, {}).get(k)
        print(("ok" if a == b else "not ok") + f" - {t} {k}: inventory {a!r}, listing {b!r}")
    p = inv.get(t, {}).get("provenance") or {}
    report = calendar.timegm((2026, 12, 1, 1, 0, 0))
    # a flat table: the report's figures, as of it; the partitioned one:
    # its newest directory listed now, the rest verified at the report's time
    good = p.get("kind") == "inventory" and p.get("inventory_date") == "2026-12-01" and \
        epoch(p.get("verified_at")) == report and \
        ((epoch(p.get("as_of")) or 0) > report if t == "tbl" else epoch(p.get("as_of")) == report)
    print(("ok" if good else "not ok") + f" - {t} provenance from the newest report: {p}")
    p = auto.get(t, {}).get("provenance") or {}
    print(("ok" if p.get("kind") == "inventory" and p.get("inventory_date") == "2026-12-01" else "not ok")
          + f" - inventory = auto: {t} from the report found through ListBucketInventoryConfigurations: {p}")
    p = bad.get(t, {}).get("provenance") or {}
    print(("ok" if p.get("kind") == "listed" else "not ok") + f" - broken checksum: {t} listed instead ({p.get('kind')!r})")
e = inv_doc.get("inventory_error") if isinstance(inv_doc, dict) else None
print(("ok" if e is None else "not ok") + f" - no inventory_error when the report is good ({e!r})")
fa = {t["name"]: t for t in (auto_doc.get("tables", []) if isinstance(auto_doc, dict) else [])
      if t.get("database") == "filt"}
for name, objects, size, kind in (("a", 2, 23, "inventory"), ("b", 1, 13, "listed")):
    g = fa.get(name, {})
    k = (g.get("provenance") or {}).get("kind")
    print(("ok" if (g.get("objects"), g.get("bytes"), k) == (objects, size, kind) else "not ok")
          + f" - inventory = auto, a configuration filtered to wh/a/: table {name} {g.get('objects')!r} objects, "
          f"{g.get('bytes')!r} bytes, {k!r} (seeded {objects}, {size}, {kind})")
e = auto_doc.get("inventory_error") if isinstance(auto_doc, dict) else None
print(("ok" if e is None else "not ok") + f" - inventory = auto: no inventory_error ({e!r})")
e = bad_doc.get("inventory_error") if isinstance(bad_doc, dict) else None
print(("ok" if e and "is not the MD5 of manifest.json" in e and "2026-12-01T01-00Z" in e else "not ok")
      + f" - a broken checksum is refused with its reason: {e!r}")
def lake_lists(name):
    return [r for r in map(json.loads, open(f"{work}/{name}.log"))
            if r.get("op") == "ListObjectsV2" and r.get("path", "").startswith("/inv-lake")]
log = [json.loads(l) for l in open(work + "/inv.log")]
n = len(lake_lists("listed"))
print(("ok" if n > 0 else "not ok") + f" - without the inventory the tables are listed ({n} ListObjectsV2 on inv-lake)")
lake_lists = lake_lists("inv")
gets = [r for r in log if r.get("op") == "GetObject"]
others = [r for r in lake_lists if "wh%2Ftbl%2F" not in r.get("query", "")]
print(("ok" if not others else "not ok") + f" - no flat table listed with the inventory ({len(others)} ListObjectsV2 on inv-lake)")
# its newest objects are weeks older than the report: none was being written
# then, so only the delimiter listing looks for directories new since
print(("ok" if len(lake_lists) == 1 else "not ok") + f" - the partitioned table: only its directories listed, none was being written at the report ({len(lake_lists)} ListObjectsV2)")
print(("ok" if len(gets) == 5 else "not ok") + f" - GetObject: the unfinished report's checksum, then manifest.checksum, manifest.json and 2 data files ({len(gets)})")
dl = [r for r in log if r.get("op") == "ListObjectsV2" and r.get("path", "").rstrip("/") == "/inv"
      and "delimiter" in r.get("query", "")]
print(("ok" if len(dl) == 1 else "not ok") + f" - the report dates found with one delimiter listing ({len(dl)})")
PYEOF
exit $FAILED

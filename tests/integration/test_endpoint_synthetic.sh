#!/bin/sh
# test_endpoint_synthetic.sh: the test endpoint's "synthetic" buckets
# (tests/fixtures/synthetic_lake.py), which make bench_scale.sh's lake of
# millions of objects, and tests/bench/inventory_gen.c, which writes its
# inventory reports. A small lake (two partitioned tables with markers and a
# varying file count, one flat table) is computed here from the formulas of
# tests/fixtures/README.md, written out one object at a time; botocore's
# listings of the endpoint (pages of 7 keys across partitions, a delimiter
# listing, start-after, url encoding), HEAD and GetObject must give exactly
# those objects, the generator's CSV.gz rows the same ones, and laketop
# --once the sums per table. A write into the bucket is refused (501).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env

$PY - "$WORK" <<'PYEOF'
import calendar, datetime, json, sys
work = sys.argv[1]
specs = [
    {"bucket": "syn", "prefix": "ev/dt=", "start": "2026-02-26", "days": 5, "files_per_day": 9, "vary": 3,
     "size": 100, "size_spread": 50, "marker": True, "seed": 3, "time": "23:59:55"},
    {"bucket": "syn", "prefix": "ev_old/dt=", "start": "2025-12-30", "days": 4, "files_per_day": 2,
     "size": 7, "marker": False, "seed": 0},
    {"bucket": "syn", "prefix": "flat/", "start": "2025-06-01", "files": 23, "size": 5000, "size_spread": 9, "seed": 8},
]
tables = []
for name, parts in (("ev", 5), ("ev_old", 4), ("flat", 0)):
    t = {"Name": name, "Parameters": {"classification": "parquet"},
         "StorageDescriptor": {"Location": f"s3://syn/{name}/", "Columns": []}}
    if parts:
        t.update(PartitionKeys=[{"Name": "dt", "Type": "string"}], partition_count=parts)
    tables.append(t)
json.dump({"databases": [{"Name": "syn", "tables": tables}], "synthetic": specs}, open(f"{work}/seed.json", "w"))
# the objects, one by one, from the formulas (tests/fixtures/README.md)
objects = []
for g in specs:
    start = calendar.timegm(datetime.date.fromisoformat(g["start"]).timetuple())
    hh, mm, ss = (int(x) for x in g.get("time", "01:00:00").split(":"))
    days = g.get("days", 0)
    for d in range(max(1, days)):
        if days:
            vary = g.get("vary", 0)
            n = g["files_per_day"] + (d * 2654435761 + g["seed"] * 40503) % (2 * vary + 1) - vary
            day = (datetime.date.fromisoformat(g["start"]) + datetime.timedelta(days=d)).isoformat()
            directory = f"{g['prefix']}{day}/"
        else:
            n, directory = g["files"], g["prefix"]
        base = start + d * 86400 + hh * 3600 + mm * 60 + ss
        for j in range(n):
            size = g["size"] + (d * 7919 + j * 104729 + g["seed"] * 15485863) % (g.get("size_spread", 0) + 1)
            name = f"part-{j:05d}.parquet" if days else f"part-{j:07d}.parquet"
            objects.append({"key": directory + name, "size": size, "epoch": base + j})
        if g.get("marker"):
            objects.append({"key": directory + "_SUCCESS", "size": 0, "epoch": base + n})
objects.sort(key=lambda o: o["key"].encode())
json.dump(objects, open(f"{work}/objects.json", "w"))
PYEOF

start_endpoint main --seed "$WORK/seed.json"
PORT=$(wait_port main) || { notok "endpoint started"; cat "$WORK/main.err"; exit 1; }

$PY - "$WORK" "http://127.0.0.1:$PORT" "$KEY" "$SECRET" <<'PYEOF'
import datetime, json, sys, urllib.parse
import botocore.session
from botocore.exceptions import ClientError
work, url, key, secret = sys.argv[1:5]
want = json.load(open(f"{work}/objects.json"))
c = botocore.session.get_session().create_client("s3", endpoint_url=url, region_name="us-east-1",
                                                 aws_access_key_id=key, aws_secret_access_key=secret)
failed = False
def check(good, what):
    global failed
    print(("ok" if good else "not ok") + " - " + what)
    failed |= not good
iso = lambda e: datetime.datetime.fromtimestamp(e, datetime.timezone.utc)
def listing(**kw):
    got, prefixes, pages = [], [], 0
    for page in c.get_paginator("list_objects_v2").paginate(Bucket="syn", **kw):
        pages += 1
        got += page.get("Contents", [])
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    return got, prefixes, pages
got, _, pages = listing(PaginationConfig={"PageSize": 7})
have = [(o["Key"], o["Size"], o["LastModified"]) for o in got]
expect = [(o["key"], o["size"], iso(o["epoch"])) for o in want]
check(have == expect, f"a listing in pages of 7 ({pages} pages) gives the {len(expect)} objects of the formulas, "
      f"in order, with their sizes and times (got {len(have)})")
if have != expect:
    bad = next(i for i, (a, b) in enumerate(zip(have + [None] * len(expect), expect)) if a != b)
    print(f"# first difference at {bad}: {have[bad] if bad < len(have) else None} != {expect[bad]}")
check(len({o["ETag"] for o in got}) == len(got), "every object has its own ETag")
_, prefixes, _ = listing(Prefix="ev/", Delimiter="/")
days = sorted({o["key"].rsplit("/", 1)[0] + "/" for o in want if o["key"].startswith("ev/")})
check(prefixes == days, f"a delimiter listing of ev/ gives its {len(days)} partition directories: {prefixes}")
_, prefixes, _ = listing(Delimiter="/")
check(prefixes == ["ev/", "ev_old/", "flat/"], f"a delimiter listing of the bucket gives the tables: {prefixes}")
mid = want[len(want) // 2]["key"]
got, _, _ = listing(StartAfter=mid, Prefix=mid.split("/")[0] + "/")
check([o["Key"] for o in got] == [o["key"] for o in want if o["key"] > mid and o["key"].startswith(mid.split("/")[0] + "/")],
      f"start-after {mid} gives the keys after it")
page = c.list_objects_v2(Bucket="syn", EncodingType="url", Prefix="ev/dt=", MaxKeys=3)
raw = [o["Key"] for o in page["Contents"]]  # asked for by the caller, botocore leaves them encoded
check([urllib.parse.unquote_plus(k) for k in raw] == [o["key"] for o in want if o["key"].startswith("ev/")][:3]
      and all("%3D" in k for k in raw), f"encoding-type=url gives the keys form-encoded: {raw[0]}")
o = next(x for x in want if x["key"].startswith("ev/") and x["size"])
listed = next(x for x in listing(Prefix=o["key"])[0])
head = c.head_object(Bucket="syn", Key=o["key"])
body = c.get_object(Bucket="syn", Key=o["key"])["Body"].read()
check(head["ContentLength"] == o["size"] and len(body) == o["size"] and head["ETag"] == listed["ETag"],
      f"HEAD and GetObject of {o['key']}: {o['size']} bytes, the listing's ETag")
try:
    c.head_object(Bucket="syn", Key="ev/dt=2026-02-26/part-99999.parquet")
    check(False, "a key beyond the day's files is not there")
except ClientError as e:
    check(e.response["Error"]["Code"] in ("404", "NoSuchKey"), "a key beyond the day's files is 404")
try:
    c.put_object(Bucket="syn", Key="ev/new.parquet", Body=b"x")
    check(False, "a write into a synthetic bucket is refused")
except ClientError as e:
    check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 501, f"a write into a synthetic bucket is refused: {e.response['Error']['Code']}")
sys.exit(1 if failed else 0)
PYEOF
[ $? -eq 0 ] || FAILED=1

# the generator's report rows: the same objects
if cc -std=c11 -D_GNU_SOURCE -O1 -o "$WORK/inventory_gen" "$ROOT/tests/bench/inventory_gen.c" -lz -lcrypto; then
    mkdir -p "$WORK/report"
    $PY "$FIXTURES/synthetic_lake.py" tsv "$WORK/seed.json" | "$WORK/inventory_gen" "$WORK/report" part 3 >"$WORK/gen.out"
    $PY - "$WORK" <<'PYEOF'
import calendar, csv, glob, gzip, json, sys, time, urllib.parse
work = sys.argv[1]
want = json.load(open(f"{work}/objects.json"))
rows = []
for f in sorted(glob.glob(f"{work}/report/part*.csv.gz")):
    rows += list(csv.reader(gzip.open(f, "rt")))
got = [(r[0], urllib.parse.unquote_plus(r[1]), int(r[2]), calendar.timegm(time.strptime(r[3], "%Y-%m-%dT%H:%M:%S.000Z")), r[4])
       for r in rows]
expect = [("syn", o["key"], o["size"], o["epoch"], "STANDARD") for o in want]
print(("ok" if got == expect else "not ok") + f" - inventory_gen's {len(got)} rows are the {len(expect)} objects, in key order")
enc = all("=" not in r[1] and "%3D" in r[1] for r in rows if r[1].startswith("ev"))
print(("ok" if enc else "not ok") + " - inventory_gen URL-encodes the keys' '='")
sums = {}
for line in open(f"{work}/gen.out"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "spec":
        sums[f[2]] = (int(f[3]), int(f[4]), int(f[5]))
mine = {}
for o in want:
    p = o["key"].split("/")[0] + ("/dt=" if "dt=" in o["key"] else "/")
    m = mine.setdefault(p, [0, 0, 0])
    if o["key"].endswith("_SUCCESS"):
        m[2] += 1
    else:
        m[0] += 1
        m[1] += o["size"]
mine = {k: tuple(v) for k, v in mine.items()}
print(("ok" if sums == mine else "not ok") + f" - inventory_gen's sums per spec {sums} are the objects' {mine}")
sys.exit(0 if got == expect and enc and sums == mine else 1)
PYEOF
    [ $? -eq 0 ] || FAILED=1
else
    notok "tests/bench/inventory_gen.c compiles"
fi

# laketop's figures per table: the objects' sums
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT" --once >"$WORK/once.json" 2>"$WORK/once.err" ||
    { notok "laketop --once"; sed 's/^/# /' "$WORK/once.err" | head -5; }
$PY - "$WORK" <<'PYEOF' || FAILED=1
import json, sys
work = sys.argv[1]
want = json.load(open(f"{work}/objects.json"))
doc = json.load(open(f"{work}/once.json"))
bad = 0
for t in doc["tables"]:
    mine = [o for o in want if o["key"].startswith(t["name"] + "/")]
    exp = (sum(1 for o in mine if not o["key"].endswith("_SUCCESS")),
           sum(o["size"] for o in mine), sum(1 for o in mine if o["key"].endswith("_SUCCESS")))
    got = (t["objects"], t["bytes"], t["marker_objects"])
    print(("ok" if got == exp else "not ok") + f" - laketop --once: {t['name']} objects, bytes, markers {got}, the formulas {exp}")
    bad += got != exp
sys.exit(1 if bad or len(doc["tables"]) != 3 else 0)
PYEOF
exit $FAILED

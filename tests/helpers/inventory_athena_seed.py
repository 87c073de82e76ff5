#!/usr/bin/python3
"""inventory_athena_seed.py WORK [--configs JSON]: the lake of the Athena
inventory tests (test_inventory_athena.sh, test_inventory_parquet.sh):
bucket inv-lake with tricky keys (spaces, +, %, UTF-8, =, '), sibling
prefixes (tbl/ and tbl_old/), a nested table (plain/inner/), a hidden
directory and markers, its Glue tables, Athena work groups, and bucket
"inv" served from WORK/inv. Writes WORK/seed.json and WORK/want.json: per
table the figures an inventory gives ("inventory": a key counts for the
table of the longest location holding it) and a listing gives ("listed"),
worked out here by the listing's rules written again, not by laketop.
--configs: the bucket's inventory configurations (a JSON list, the
endpoint's seed shape: tests/fixtures/README.md)."""
import argparse

p = argparse.ArgumentParser()
p.add_argument("work")
p.add_argument("--configs", default="[]")
a = p.parse_args()
import calendar, json, sys, time
work = a.work
tables = {"tbl": 1, "tbl_old": 0, "plain": 0, "inner": 0}
loc = {"tbl": "wh/tbl/", "tbl_old": "wh/tbl_old/", "plain": "wh/plain/", "inner": "wh/plain/inner/"}
objs = [
    ("wh/tbl/dt=2026-01-01/a b.parquet", 100, "2026-11-01T00:00:00Z", "STANDARD"),
    ("wh/tbl/dt=2026-01-01/c+d%e.parquet", 200, "2026-11-02T00:00:00Z", "STANDARD_IA"),
    ("wh/tbl/dt=2026-01-02/\u00e9t\u00e9=\u65e5.parquet", 300, "2026-11-03T00:00:00Z", "GLACIER_IR"),
    ("wh/tbl/dt=2026-01-02/_SUCCESS", 0, "2026-11-04T00:00:00Z", "STANDARD"),
    ("wh/tbl/dt=2026-01-03/", 0, "2026-11-04T00:00:00Z", "STANDARD"),
    ("wh/tbl/dt=2026-01-03/it's.parquet", 9, "2026-11-06T00:00:00Z", "GLACIER"),
    ("wh/tbl/_temporary/0/x.parquet", 50, "2026-11-05T00:00:00Z", "STANDARD"),
    ("wh/tbl/loose.parquet", 4, "2026-10-05T00:00:00Z", "STANDARD"),
    ("wh/tbl_old/x.parquet", 7, "2026-10-01T00:00:00Z", "STANDARD"),
    ("wh/tbl_old/y y.parquet", 8, "2026-10-02T00:00:00Z", "DEEP_ARCHIVE"),
    ("wh/plain/part-0.parquet", 1000, "2026-09-01T00:00:00Z", "STANDARD"),
    ("wh/plain/.part-0.crc", 12, "2026-09-01T00:00:00Z", "STANDARD"),
    ("wh/plain/inner/q%20q.parquet", 21, "2026-09-03T00:00:00Z", "STANDARD"),
    ("wh/plain/inner_x/r.parquet", 22, "2026-09-04T00:00:00Z", "STANDARD"),
    ("scratch/z.bin", 5000, "2026-08-01T00:00:00Z", "STANDARD"),
]
doc = {"databases": [{"Name": "inv", "LocationUri": "s3://inv-lake/wh/", "tables": [
    {"Name": t, "Parameters": {"classification": "parquet"},
     "PartitionKeys": [{"Name": "dt", "Type": "string"}] if d else [],
     "StorageDescriptor": {"Location": f"s3://inv-lake/{loc[t]}", "Columns": []}} for t, d in tables.items()]}],
    "buckets": {"inv-lake": {"inventory_configurations": json.loads(a.configs), "objects": [
        {"key": k, "size": s, "last_modified": m, "storage_class": c} for k, s, m, c in objs]}},
    "athena": {"workgroups": ["primary", "lake"]},
    "files": [{"bucket": "inv", "prefix": "", "dir": work + "/inv"}]}
json.dump(doc, open(work + "/seed.json", "w"))
# the listing's rules, written again: the longest location containing the key
want, want_listed = {}, {}
for t, depth in tables.items():
  for nested, out in ((True, want), (False, want_listed)):
    # a listing counts every key below the location; the inventory gives a
    # key only to the table of the longest location (inner, not plain)
    mine = [o for o in objs if o[0].startswith(loc[t]) and
            (not nested or max((l for l in loc.values() if o[0].startswith(l)), key=len) == loc[t])]
    rest = lambda k: k[len(loc[t]):]
    hidden = [o for o in mine if any(c[:1] in "_." for c in rest(o[0]).split("/")[:-1])]
    seen = [o for o in mine if o not in hidden]
    markers = [o for o in seen if o[0].endswith("/") or o[0].rsplit("/", 1)[-1][:1] in "_."]
    data = [o for o in seen if o not in markers]
    parts = {rest(o[0]).split("/")[0] for o in data if depth and "/" in rest(o[0]) and "=" in rest(o[0]).split("/")[0]}
    classes = {}
    for o in mine:
        classes[o[3]] = classes.get(o[3], 0) + o[1]
    out[t] = {"objects": len(data), "bytes": sum(o[1] for o in data), "marker_objects": len(markers),
              "partitions": len(parts), "s3_objects": len(mine), "s3_bytes": sum(o[1] for o in mine),
              "storage_classes": classes,
              "newest": max(calendar.timegm(time.strptime(o[2], "%Y-%m-%dT%H:%M:%SZ")) for o in data)}
json.dump({"inventory": want, "listed": want_listed}, open(work + "/want.json", "w"))

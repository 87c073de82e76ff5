#!/usr/bin/python3
"""inventory_writer.py SEED OUT_DIR SOURCE_BUCKET CONFIG_ID [--date D] [--broken-checksum]
[--files N] [--format CSV] [--rows N]: writes an S3 Inventory report of SOURCE_BUCKET's
objects as the seed (tests/fixtures/README.md, "buckets") gives them, laid out
as S3 writes it into the destination bucket: OUT_DIR/SOURCE/CONFIG/DATE/
manifest.json and manifest.checksum (the hex MD5 of manifest.json),
OUT_DIR/SOURCE/CONFIG/data/<n>.csv.gz (gzip, every field quoted, keys
URL-encoded, rows in key order spread over N files) and
OUT_DIR/SOURCE/CONFIG/hive/dt=D/symlink.txt. With --format Parquet the data
files are OUT_DIR/SOURCE/CONFIG/data/<n>.parquet instead (written by
tests/fixtures/parquet_writer.py: bucket and key required UTF8, size,
last_modified_date as TIMESTAMP_MILLIS and storage_class optional; keys as
they are, not encoded), the manifest's fileSchema in S3's Parquet shape
("message s3.inventory { ... }"). OUT_DIR is then served as the
destination bucket with a seed "files" entry. Explicit "objects" only (every
one with its last_modified). With --rows N the objects are instead N generated
rows (row i: key wh/t{i%4}/dt={i%365}/part+{i}.parquet, a _SUCCESS marker
every 10th, size 1000 + i % 977, time 2026-11-{1 + i % 28}), written as
they are made (the scale test). Prints the report's date directory."""
import argparse, calendar, gzip, hashlib, json, os, sys, time, urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import parquet_writer as pw  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("seed")
p.add_argument("out")
p.add_argument("source")
p.add_argument("config")
p.add_argument("--date", default="2026-12-01T01-00Z")
p.add_argument("--dest", default="inv")
p.add_argument("--files", type=int, default=2)
p.add_argument("--format", default="CSV", choices=["CSV", "Parquet"])
p.add_argument("--broken-checksum", action="store_true")
p.add_argument("--rows", type=int, default=0)
p.add_argument("--filter", default="", help="the configuration's Filter/Prefix: only those keys")
a = p.parse_args()

TABLES = ["t0", "t1", "t1_old", "t3"]


def generated(i):
    name = "_SUCCESS" if i % 10 == 9 else f"part {i}.parquet"
    return {"key": f"wh/{TABLES[i % 4]}/dt={i % 365}/{name}", "size": 1000 + i % 977,
            "last_modified": f"2026-11-{1 + i % 28:02d}T00:00:00Z"}


if a.rows:
    rows = None
else:
    seed = json.load(open(a.seed))
    objects = seed["buckets"][a.source]["objects"]
    rows = sorted((o for o in objects if o["key"].startswith(a.filter)), key=lambda o: o["key"].encode("utf-8"))
base = os.path.join(a.out, a.source, a.config)
os.makedirs(os.path.join(base, "data"), exist_ok=True)
os.makedirs(os.path.join(base, a.date), exist_ok=True)
files = []
total = a.rows or len(rows)
per = max(1, -(-total // a.files))
PARQUET_SCHEMA = pw.Node("schema", pw.REQUIRED, children=[
    pw.Node("bucket", pw.REQUIRED, pw.BYTE_ARRAY, converted=pw.UTF8),
    pw.Node("key", pw.REQUIRED, pw.BYTE_ARRAY, converted=pw.UTF8),
    pw.Node("size", pw.OPTIONAL, pw.INT64),
    pw.Node("last_modified_date", pw.OPTIONAL, pw.INT64, converted=9),  # TIMESTAMP_MILLIS
    pw.Node("storage_class", pw.OPTIONAL, pw.BYTE_ARRAY, converted=pw.UTF8)])


def parquet_file(path, objects):
    millis = [calendar.timegm(time.strptime(o["last_modified"], "%Y-%m-%dT%H:%M:%SZ")) * 1000 for o in objects]
    columns = {"bucket": pw.flat([a.source] * len(objects), 0),
               "key": pw.flat([o["key"] for o in objects], 0),
               "size": pw.flat([o["size"] for o in objects], 1),
               "last_modified_date": pw.flat(millis, 1),
               "storage_class": pw.flat([o.get("storage_class", "STANDARD") for o in objects], 1)}
    pw.write_file(path, PARQUET_SCHEMA, columns, len(objects), codec="snappy")


for n in range(a.files):
    if a.format == "Parquet":
        key = f"{a.source}/{a.config}/data/{n:04d}.parquet"
        path = os.path.join(a.out, key)
        part = range(n * per, min(total, (n + 1) * per))
        parquet_file(path, [generated(i) if a.rows else rows[i] for i in part])
        body = open(path, "rb").read()
        files.append({"key": key, "size": len(body), "MD5checksum": hashlib.md5(body).hexdigest()})
        continue
    key = f"{a.source}/{a.config}/data/{n:04d}.csv.gz"
    path = os.path.join(a.out, key)
    with gzip.open(path, "wb", compresslevel=1) as out:
        for i in range(n * per, min(total, (n + 1) * per)):
            o = generated(i) if a.rows else rows[i]
            fields = [a.source, urllib.parse.quote_plus(o["key"], safe="/"), str(o["size"]),
                      o["last_modified"].replace("Z", ".000Z"), o.get("storage_class", "STANDARD")]
            out.write((",".join('"' + f.replace('"', '""') + '"' for f in fields) + "\n").encode("utf-8"))
    body = open(path, "rb").read()
    files.append({"key": key, "size": len(body), "MD5checksum": hashlib.md5(body).hexdigest()})
created = calendar.timegm(time.strptime(a.date, "%Y-%m-%dT%H-%MZ")) * 1000
manifest = {"sourceBucket": a.source, "destinationBucket": f"arn:aws:s3:::{a.dest}",
            "version": "2016-11-30", "creationTimestamp": str(created), "fileFormat": a.format,
            "fileSchema": "Bucket, Key, Size, LastModifiedDate, StorageClass" if a.format == "CSV" else
            "message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); "
            "optional int64 size; optional int64 last_modified_date (TIMESTAMP_MILLIS); "
            "optional binary storage_class (UTF8);}", "files": files}
body = json.dumps(manifest, indent=2).encode()
open(os.path.join(base, a.date, "manifest.json"), "wb").write(body)
digest = hashlib.md5(body).hexdigest()
if a.broken_checksum:
    digest = digest[::-1]
open(os.path.join(base, a.date, "manifest.checksum"), "w").write(digest + "\n")
hive = os.path.join(base, "hive", "dt=" + a.date[:10] + "-" + a.date[11:16])  # YYYY-MM-DD-HH-MM
os.makedirs(hive, exist_ok=True)
open(os.path.join(hive, "symlink.txt"), "w").write(
    "".join(f"s3://{a.dest}/{f['key']}\n" for f in files))
print(a.date)

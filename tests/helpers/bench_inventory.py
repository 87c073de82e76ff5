#!/usr/bin/python3
"""bench_inventory.py SEED OUT_DIR SOURCE CONFIG DATE FILES GEN: an S3 Inventory
report (CSV) of the synthetic bucket SOURCE of SEED (tests/fixtures/
synthetic_lake.py), laid out as S3 writes it into the destination bucket
(as tests/helpers/inventory_writer.py does): OUT_DIR/SOURCE/CONFIG/data/
partNNNN.csv.gz written by GEN (tests/bench/inventory_gen.c, FILES files),
DATE/manifest.json with each file's size and MD5, manifest.checksum, and
hive/dt=.../symlink.txt. Prints the generator's per-spec sums as JSON
{"s3://SOURCE/dir/": {objects, bytes, marker_objects, newest}}."""
import calendar, hashlib, json, os, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "fixtures"))
import synthetic_lake  # noqa: E402

seed, out, source, config, date, files, gen = sys.argv[1:8]
doc = json.load(open(seed))
specs = [g for g in doc.get("synthetic", []) if g.get("bucket") == source]
base = os.path.join(out, source, config)
os.makedirs(os.path.join(base, "data"), exist_ok=True)
os.makedirs(os.path.join(base, date), exist_ok=True)
run = subprocess.run([gen, os.path.join(base, "data"), "part", files], input=synthetic_lake.spec_tsv(specs),
                     capture_output=True, text=True, check=True)
entries, sums = [], {}
for line in run.stdout.splitlines():
    f = line.split("\t")
    if f[0] == "file":
        entries.append({"key": f"{source}/{config}/data/{f[1]}", "size": int(f[2]), "MD5checksum": f[3]})
    elif f[0] == "spec":
        d = f"s3://{f[1]}/{f[2][:f[2].rindex('/') + 1]}"
        w = sums.setdefault(d, {"objects": 0, "bytes": 0, "marker_objects": 0, "newest": 0})
        w["objects"] += int(f[3])
        w["bytes"] += int(f[4])
        w["marker_objects"] += int(f[5])
        w["newest"] = max(w["newest"], int(f[6]))
created = calendar.timegm(time.strptime(date, "%Y-%m-%dT%H-%MZ")) * 1000
manifest = {"sourceBucket": source, "destinationBucket": "arn:aws:s3:::inv", "version": "2016-11-30",
            "creationTimestamp": str(created), "fileFormat": "CSV",
            "fileSchema": "Bucket, Key, Size, LastModifiedDate, StorageClass", "files": entries}
body = json.dumps(manifest, indent=2).encode()
open(os.path.join(base, date, "manifest.json"), "wb").write(body)
open(os.path.join(base, date, "manifest.checksum"), "w").write(hashlib.md5(body).hexdigest() + "\n")
hive = os.path.join(base, "hive", "dt=" + date[:10] + "-01-00")
os.makedirs(hive, exist_ok=True)
open(os.path.join(hive, "symlink.txt"), "w").write("".join(f"s3://inv/{e['key']}\n" for e in entries))
json.dump(sums, sys.stdout)

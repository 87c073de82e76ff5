#!/usr/bin/python3
"""bench_scale_seed.py SEED.json [--scale X] [--days N] [--inventory-dir DIR]:
the lake of tests/bench_scale.sh as a seed with "synthetic" buckets
(tests/fixtures/synthetic_lake.py): 40 tables t00..t39 partitioned daily
(dt=, N days from 2025-12-01, default 365, about 680*X files a day with a
_SUCCESS marker each) and 4 flat tables f00..f03 (17,500*X files), in the
bucket scale-lake, each table in Glue with its partitions. 10.0 million
objects at X = 1. With --inventory-dir, that directory is served as the
bucket inv (an S3 Inventory report's destination)."""
import argparse
import json

p = argparse.ArgumentParser()
p.add_argument("seed")
p.add_argument("--scale", type=float, default=1.0)
p.add_argument("--days", type=int, default=365)
p.add_argument("--inventory-dir")
a = p.parse_args()
per = max(1, round(680 * a.scale))
flat = max(1, round(17500 * a.scale))
tables, synthetic = [], []
for i in range(40):
    name = f"t{i:02d}"
    tables.append({"Name": name, "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                   "Parameters": {"classification": "parquet"}, "partition_count": a.days,
                   "partition_start": "2025-12-01",
                   "StorageDescriptor": {"Location": f"s3://scale-lake/{name}/",
                                         "Columns": [{"Name": "id", "Type": "bigint"}]}})
    synthetic.append({"bucket": "scale-lake", "prefix": f"{name}/dt=", "start": "2025-12-01", "days": a.days,
                      "files_per_day": per, "vary": per // 10, "size": 60000 + 4000 * i, "size_spread": 120000,
                      "marker": True, "seed": i, "time": "01:00:00"})
for i in range(4):
    name = f"f{i:02d}"
    tables.append({"Name": name, "Parameters": {"classification": "parquet"},
                   "StorageDescriptor": {"Location": f"s3://scale-lake/{name}/",
                                         "Columns": [{"Name": "id", "Type": "bigint"}]}})
    synthetic.append({"bucket": "scale-lake", "prefix": f"{name}/", "start": "2025-06-01", "files": flat,
                      "size": 5000, "size_spread": 20000, "seed": 100 + i})
seed = {"databases": [{"Name": "scale", "LocationUri": "s3://scale-lake/", "tables": tables}],
        "synthetic": synthetic}
if a.inventory_dir:
    seed["files"] = [{"bucket": "inv", "prefix": "", "dir": a.inventory_dir}]
json.dump(seed, open(a.seed, "w"))

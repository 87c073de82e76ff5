#!/usr/bin/env python3
"""bench_aws_seed.py SEED.json: the AWS benchmark's lake: 40 tables, about
200,000 objects: four tables of about 40,000 objects in 365 daily
partitions, the rest about 1,100 objects each (10 partitions of 110)."""
import json
import sys

tables, generate = [], []
for i in range(40):
    name = f"t{i:02d}"
    big = i < 4
    tables.append({"Name": name, "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                   "Parameters": {"classification": "parquet"},
                   "StorageDescriptor": {"Location": f"s3://bench/{name}/",
                                         "Columns": [{"Name": "id", "Type": "bigint"}]}})
    generate.append({"prefix": f"{name}/dt=", "partitions": 365 if big else 10,
                     "objects_per_partition": 110, "size": 1000, "start": "2025-01-01"})
json.dump({"databases": [{"Name": "bench", "tables": tables}],
           "buckets": {"bench": {"generate": generate}}}, open(sys.argv[1], "w"))

#!/usr/bin/python3
"""iceberg_check.py DIR PREFIX: re-reads the Iceberg tables that
tests/fixtures/iceberg_writer.py wrote under DIR (addresses starting with
PREFIX map to DIR/) from their files alone (catalog.json's
metadata_location, the metadata JSON, the manifest lists and manifests with
python3-avro) and checks DIR/expected.json against what it finds: the live
figures summed over the current snapshot's manifests (and equal to its
summary), the referenced files of every retained snapshot, the unreferenced
and retained bytes, the snapshot count, the last commit, the commits. One
"ok - " or "not ok - " line per figure; exit status 1 when any differ."""

import datetime
import json
import os
import sys
import warnings

import avro.datafile
import avro.errors
import avro.io


def main():
    out, prefix = sys.argv[1], sys.argv[2]
    # Iceberg's logicalType "map" is unknown to python3-avro (read as an array)
    warnings.filterwarnings("ignore", category=avro.errors.IgnoredLogicalType)

    def path_of(address):
        if not address.startswith(prefix):
            raise SystemExit("address outside the prefix: " + address)
        return os.path.join(out, address[len(prefix):])

    def avro_records(address):
        with open(path_of(address), "rb") as f:
            reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
            records = list(reader)
            reader.close()
        return records

    def iso(ms):
        return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")

    catalog = json.load(open(os.path.join(out, "catalog.json")))
    expected = json.load(open(os.path.join(out, "expected.json")))["tables"]
    failed = False

    def check(what, got, want):
        nonlocal failed
        if got == want:
            print("ok - %s: %r" % (what, got))
        else:
            print("not ok - %s: found %r, expected.json says %r" % (what, got, want))
            failed = True

    names = set()
    for entry in catalog["tables"]:
        name = entry["Name"]
        names.add(name)
        want = expected[name]
        table_dir = os.path.join(out, name)
        check(name + " location", entry["StorageDescriptor"]["Location"], prefix + name)
        metadata = json.load(open(path_of(entry["Parameters"]["metadata_location"])))
        check(name + " format_version", metadata["format-version"], want["format_version"])
        snapshots = metadata.get("snapshots", [])
        current_id = metadata.get("current-snapshot-id")
        current = [s for s in snapshots if s["snapshot-id"] == current_id]

        def manifests_of(snapshot):
            if "manifest-list" in snapshot:
                return avro_records(snapshot["manifest-list"])
            return [{"manifest_path": p} for p in snapshot.get("manifests", [])]

        referenced = set()
        for s in snapshots:
            for m in manifests_of(s):
                for e in avro_records(m["manifest_path"]):
                    if e["status"] != 2:
                        referenced.add(e["data_file"]["file_path"])
        live_files = live_bytes = live_records = live_deletes = 0
        live = set()
        if current:
            for m in manifests_of(current[0]):
                for e in avro_records(m["manifest_path"]):
                    if e["status"] == 2:
                        continue
                    df = e["data_file"]
                    live.add(df["file_path"])
                    live_bytes += df["file_size_in_bytes"]
                    if df.get("content", 0) == 0:
                        live_files += 1
                        live_records += df["record_count"]
                    else:
                        live_deletes += 1
            summary = current[0]["summary"]
            check(name + " summary total-data-files", int(summary["total-data-files"]), live_files)
            check(name + " summary total-files-size", int(summary["total-files-size"]), live_bytes)
            check(name + " summary total-records", int(summary["total-records"]), live_records)
        check(name + " objects", live_files, want["objects"])
        check(name + " bytes", live_bytes, want["bytes"])
        check(name + " records", live_records, want["records"])
        check(name + " delete_files", live_deletes, want["delete_files"])
        s3_objects = s3_bytes = unreferenced = retained = 0
        for root, _dirs, files in os.walk(table_dir):
            for fname in files:
                path = os.path.join(root, fname)
                size = os.path.getsize(path)
                s3_objects += 1
                s3_bytes += size
                rel = os.path.relpath(path, table_dir)
                if rel.split(os.sep)[0] == "metadata" or fname[0] in "_." \
                        or fname.endswith("_$folder$"):
                    continue
                address = prefix + name + "/" + rel.replace(os.sep, "/")
                if address not in referenced:
                    unreferenced += size
                elif address not in live:
                    retained += size
        check(name + " s3_objects", s3_objects, want["s3_objects"])
        check(name + " s3_bytes", s3_bytes, want["s3_bytes"])
        check(name + " unreferenced_bytes", unreferenced, want["unreferenced_bytes"])
        check(name + " retained_bytes", retained, want["retained_bytes"])
        check(name + " snapshots", len(snapshots), want["snapshots"])
        check(name + " last_commit", iso(current[0]["timestamp-ms"]) if current else None,
              want["last_commit"])
        commits = [{"at": iso(s["timestamp-ms"]), "operation": s["summary"]["operation"],
                    "total_files": int(s["summary"]["total-data-files"]),
                    "total_bytes": int(s["summary"]["total-files-size"]),
                    "total_records": int(s["summary"]["total-records"])}
                   for s in sorted(snapshots, key=lambda s: s["timestamp-ms"])]
        check(name + " commits", commits, want["commits"])
    check("tables", sorted(names), sorted(expected))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

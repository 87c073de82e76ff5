#!/usr/bin/env python3
"""open_formats_truth.py: the figures of a local lake's Iceberg and Delta
tables, computed from their own files without laketop.

Usage: open_formats_truth.py LAKE_DIR [OUT_JSON]

Reads the catalog (catalog/<database>/<table>.json, Glue shapes) and, for
every table whose Parameters say Iceberg (table_type ICEBERG with
metadata_location) or Delta (spark.sql.sources.provider delta or table_type
DELTA):

- Iceberg: the metadata JSON named by metadata_location; the manifest lists
  and manifests of every retained snapshot read with Debian's python3-avro
  (each file's schema must carry Iceberg's field ids, which is what Iceberg
  readers resolve fields by); the current snapshot's live files summed
  (data files: objects, records; data and delete files: bytes, as Iceberg's
  total-files-size counts them) and checked against its summary; the
  referenced set (entries EXISTING or ADDED of any retained snapshot).
- Delta: the JSON commits of _delta_log/ replayed in order (adds not
  removed are live; every add and remove path is referenced), checked
  against the newest version's .crc when there is one.
- Both: the location walked with os.walk/lstat for s3_objects and s3_bytes;
  data files are the files outside metadata/ (_delta_log/) that are not
  markers (a name starting with '_' or '.', or ending in "_$folder$");
  unreferenced: data files no retained snapshot / no version references.

Addresses in metadata may be relative to the lake, absolute paths or
file:// URIs. Prints (or writes to OUT_JSON) {"tables": {"db.table":
{table_format, objects, bytes, records, delete_files, s3_objects, s3_bytes,
unreferenced_objects, unreferenced_bytes, retained_bytes, snapshots,
last_commit, operations}}}; exit 1 when a table's own figures disagree with
each other (summary vs manifests, .crc vs replay), 2 on unreadable input.
"""

import json
import os
import sys
from datetime import datetime, timezone

import warnings

import avro.datafile
import avro.io

FOLDER_SUFFIX = "_$folder$"
# Iceberg writes its maps of column ids as arrays of key/value records,
# marked logicalType "map", which python3-avro reads as the arrays they are.
warnings.filterwarnings("ignore", message="Unknown map")


def is_marker(name):
    return name.startswith(("_", ".")) or name.endswith(FOLDER_SUFFIX)


def iso(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_path(lake, address):
    if address.startswith("file://"):
        return os.path.normpath(address[len("file://"):])
    if address.startswith("/"):
        return os.path.normpath(address)
    return os.path.normpath(os.path.join(lake, address))


def walk(directory):
    """Every file under directory: {relative path: size}."""
    files = {}
    for root, _dirs, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            files[os.path.relpath(path, directory)] = os.lstat(path).st_size
    return files


def check_field_ids(schema, where):
    """Every field of every record in an Avro schema (JSON) has a field-id."""
    if isinstance(schema, list):
        for branch in schema:
            check_field_ids(branch, where)
    elif isinstance(schema, dict):
        if schema.get("type") == "record":
            for field in schema["fields"]:
                if "field-id" not in field:
                    raise SystemExit(f"{where}: field {field['name']} has no field-id")
                check_field_ids(field["type"], where)
        elif schema.get("type") == "array":
            if not isinstance(schema["items"], dict) and "element-id" not in schema:
                raise SystemExit(f"{where}: an array without element-id")
            check_field_ids(schema["items"], where)


def read_avro(path):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        schema = json.loads(reader.meta["avro.schema"].decode())
        check_field_ids(schema, path)
        meta = {k: v.decode() for k, v in reader.meta.items()}
        records = list(reader)
        reader.close()
    return meta, records


def data_files(listing, metadata_dir):
    return {k: v for k, v in listing.items()
            if not k.startswith(metadata_dir + "/") and not is_marker(os.path.basename(k))}


def iceberg(lake, location_dir, params, problems, name):
    metadata_path = local_path(lake, params["metadata_location"])
    meta = json.load(open(metadata_path))
    current_id = meta.get("current-snapshot-id", -1)
    snapshots = meta.get("snapshots", [])
    entries_of = {}  # manifest list -> [(status, content, path, size, records)]
    for snap in snapshots:
        meta_list, manifests = read_avro(local_path(lake, snap["manifest-list"]))
        assert meta_list["snapshot-id"] == str(snap["snapshot-id"]), meta_list
        entries = []
        for m in manifests:
            m_meta, rows = read_avro(local_path(lake, m["manifest_path"]))
            assert m_meta["format-version"] == str(meta["format-version"])
            assert m["manifest_length"] == os.path.getsize(local_path(lake, m["manifest_path"]))
            counts = [0, 0, 0]
            for row in rows:
                f = row["data_file"]
                counts[row["status"]] += 1
                entries.append((row["status"], f["content"], f["file_path"],
                                f["file_size_in_bytes"], f["record_count"]))
            got = [m["existing_files_count"], m["added_files_count"], m["deleted_files_count"]]
            if got != counts:
                problems.append(f"{name}: {m['manifest_path']}: counts {got} in the list, {counts} in it")
        entries_of[snap["snapshot-id"]] = entries
    out = {"table_format": "iceberg", "snapshots": len(snapshots)}
    current = next((s for s in snapshots if s["snapshot-id"] == current_id), None)
    live = [e for e in entries_of.get(current_id, []) if e[0] != 2]
    out["objects"] = sum(1 for e in live if e[1] == 0)
    out["records"] = sum(e[4] for e in live if e[1] == 0)
    out["bytes"] = sum(e[3] for e in live)
    out["delete_files"] = sum(1 for e in live if e[1] != 0)
    out["last_commit"] = iso(current["timestamp-ms"] // 1000) if current else None
    out["operations"] = [s["summary"]["operation"] for s in snapshots]
    if current:
        summary = current["summary"]
        for key, value in (("total-data-files", out["objects"]), ("total-files-size", out["bytes"]),
                           ("total-records", out["records"]),
                           ("total-delete-files", out["delete_files"])):
            if int(summary[key]) != value:
                problems.append(f"{name}: summary {key} {summary[key]}, manifests {value}")
    referenced = {local_path(lake, e[2]) for es in entries_of.values() for e in es if e[0] != 2}
    live_paths = {local_path(lake, e[2]) for e in live}
    listing = walk(location_dir)
    data = data_files(listing, "metadata")
    return out, listing, data, referenced, live_paths


def delta(lake, location_dir, name, problems):
    log_dir = os.path.join(location_dir, "_delta_log")
    commits = sorted(n for n in os.listdir(log_dir) if n.endswith(".json") and n[:20].isdigit())
    versions = [int(n[:20]) for n in commits]
    if versions != list(range(versions[0], versions[0] + len(versions))) or versions[0] != 0:
        raise SystemExit(f"{name}: the log has a gap: {versions}")
    live, referenced, last_ms, operations = {}, set(), None, []
    for n in commits:
        for line in open(os.path.join(log_dir, n)):
            action = json.loads(line)
            if "add" in action:
                a = action["add"]
                stats = json.loads(a["stats"]) if a.get("stats") else {}
                live[a["path"]] = (a["size"], stats.get("numRecords"))
                referenced.add(a["path"])
            elif "remove" in action:
                live.pop(action["remove"]["path"], None)
                referenced.add(action["remove"]["path"])
            elif "commitInfo" in action:
                last_ms = action["commitInfo"]["timestamp"]
                operations.append(action["commitInfo"]["operation"])
    records = [r for _s, r in live.values()]
    out = {"table_format": "delta", "snapshots": len(versions),
           "objects": len(live), "bytes": sum(s for s, _r in live.values()),
           "records": None if None in records else sum(records), "delete_files": None,
           "last_commit": iso(last_ms // 1000), "operations": operations}
    crc = os.path.join(log_dir, f"{versions[-1]:020d}.crc")
    if os.path.exists(crc):
        c = json.load(open(crc))
        if (c["tableSizeBytes"], c["numFiles"]) != (out["bytes"], out["objects"]):
            problems.append(f"{name}: .crc says {c['numFiles']} files, {c['tableSizeBytes']} bytes; "
                            f"the replay {out['objects']}, {out['bytes']}")
    listing = walk(location_dir)
    data = data_files(listing, "_delta_log")
    ref = {os.path.normpath(os.path.join(location_dir, p)) for p in referenced}
    live_paths = {os.path.normpath(os.path.join(location_dir, p)) for p in live}
    return out, listing, data, ref, live_paths


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    lake = os.path.abspath(sys.argv[1])
    problems, tables = [], {}
    catalog = os.path.join(lake, "catalog")
    for database in sorted(os.listdir(catalog)):
        db_dir = os.path.join(catalog, database)
        for entry in sorted(os.listdir(db_dir)):
            if not entry.endswith(".json") or entry == "database.json":
                continue
            t = json.load(open(os.path.join(db_dir, entry)))
            params = t.get("Parameters", {})
            kind = params.get("table_type", "").upper()
            provider = params.get("spark.sql.sources.provider", "").lower()
            name = f"{t.get('DatabaseName', database)}.{t['Name']}"
            location_dir = local_path(lake, t["StorageDescriptor"]["Location"])
            if kind == "ICEBERG" and params.get("metadata_location"):
                out, listing, data, referenced, live = iceberg(lake, location_dir, params,
                                                               problems, name)
            elif kind == "DELTA" or provider == "delta":
                out, listing, data, referenced, live = delta(lake, location_dir, name, problems)
            else:
                continue
            out["s3_objects"] = len(listing)
            out["s3_bytes"] = sum(listing.values())
            full = {os.path.normpath(os.path.join(location_dir, k)): v for k, v in data.items()}
            unreferenced = {k: v for k, v in full.items() if k not in referenced}
            out["unreferenced_objects"] = len(unreferenced)
            out["unreferenced_bytes"] = sum(unreferenced.values())
            out["retained_bytes"] = sum(v for k, v in full.items()
                                        if k in referenced and k not in live)
            missing = sorted(p for p in live if p not in full)
            if missing:
                problems.append(f"{name}: live files not on disk: {missing[:3]}")
            tables[name] = out
    text = json.dumps({"tables": tables}, indent=1, sort_keys=True)
    if len(sys.argv) == 3:
        open(sys.argv[2], "w").write(text + "\n")
    else:
        print(text)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

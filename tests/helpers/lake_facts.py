#!/usr/bin/env python3
"""lake_facts.py: checks laketop's JSON report against the lake on disk.

Usage: lake_facts.py LAKE_DIR LAKETOP_JSON_FILE

Reads the catalog (catalog/<database>/<table>.json, Glue shapes) and walks
every table location itself (os.scandir + lstat, symlinks not followed), then
compares what it found with laketop's JSON (`laketop --once --format json`):
objects, bytes, newest object, partitions, staleness, the database totals and
the last history sample. Standard library only.

An Iceberg or Delta table (Parameters.table_type ICEBERG with
metadata_location, DELTA, or spark.sql.sources.provider delta) is measured
by laketop from its own metadata: its objects, bytes, newest object and
history are test_demo_formats.sh's to check (open_formats_truth.py); here
its s3_objects and s3_bytes must be everything under the location, and the
database totals take laketop's live figures for it.

Storage rules (the same as laketop's and Athena's): files whose name starts
with '_' or '.' and names ending in "_$folder$" are markers, not data;
directories whose name starts with '_' or '.' are skipped entirely. A
partition is a directory at depth len(PartitionKeys) below the location whose
path below the location is made only of key=value directories.

Exit status: 0 when everything matches, 1 on any mismatch (each one printed),
2 on a usage error or an unreadable lake or report.
"""

import json
import math
import os
import stat
import sys
from datetime import datetime, timezone

FOLDER_SUFFIX = "_$folder$"


def is_marker(name):
    return name.startswith(("_", ".")) or name.endswith(FOLDER_SUFFIX)


def is_partition_name(name):
    eq = name.find("=")
    return 0 < eq < len(name) - 1


def parse_time(value):
    """Epoch seconds from a number or an ISO 8601 string; None when unknown."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return math.floor(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return math.floor(moment.timestamp())


def iso(seconds):
    if seconds is None:
        return "null"
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_date(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d")


def resolve(lake, location):
    """Location -> directory, or (None, why) when it is not on the local lake."""
    if not isinstance(location, str) or not location:
        return None, "no StorageDescriptor.Location"
    if location.startswith("file://"):
        return location[len("file://"):], None
    if "://" in location:
        return None, "location %s is not on the local lake" % location
    if location.startswith("/"):
        return location, None
    return os.path.join(lake, location), None


class TableFacts:
    def __init__(self):
        self.objects = 0
        self.bytes = 0
        self.newest = None
        self.partitions = 0
        self.markers = 0
        self.error = None


def scan(directory, n_keys):
    """Walks a table location like `find DIR` with lstat."""
    facts = TableFacts()
    if not os.path.isdir(directory):
        facts.error = "location %s does not exist" % directory if not os.path.lexists(
            directory) else "location %s is not a directory" % directory
        return facts
    # (path, depth below the location, every directory so far is key=value)
    stack = [(directory, 0, True)]
    while stack:
        path, depth, in_partitions = stack.pop()
        if in_partitions and depth == n_keys and depth > 0:
            facts.partitions += 1
        try:
            entries = list(os.scandir(path))
        except OSError as err:
            facts.error = facts.error or "cannot read %s: %s" % (path, err.strerror)
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            except OSError as err:
                facts.error = facts.error or "cannot stat %s: %s" % (entry.path, err.strerror)
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name.startswith(("_", ".")):
                    continue
                part = in_partitions and depth < n_keys and is_partition_name(entry.name)
                stack.append((entry.path, depth + 1, part))
            elif stat.S_ISREG(st.st_mode):
                if is_marker(entry.name):
                    facts.markers += 1
                    continue
                facts.objects += 1
                facts.bytes += st.st_size
                mtime = st.st_mtime_ns // 1_000_000_000
                if facts.newest is None or mtime > facts.newest:
                    facts.newest = mtime
    return facts


def expected_format(table):
    """The same rule as laketop: classification, else a guess, else unknown."""
    params = table.get("Parameters")
    if isinstance(params, dict):
        classification = params.get("classification")
        if isinstance(classification, str) and classification:
            return classification
    sd = table.get("StorageDescriptor")
    sd = sd if isinstance(sd, dict) else {}
    serde = sd.get("SerdeInfo")
    serde = serde if isinstance(serde, dict) else {}
    texts = [t for t in (sd.get("InputFormat"), serde.get("SerializationLibrary"))
             if isinstance(t, str)]
    guesses = [("parquet", "parquet"), ("Parquet", "parquet"), ("orc", "orc"), ("Orc", "orc"),
               ("avro", "avro"), ("Avro", "avro"), ("JsonSerDe", "json"), ("json", "json"),
               ("OpenCSVSerde", "csv"), ("LazySimpleSerDe", "csv"), ("TextInputFormat", "csv")]
    for needle, fmt in guesses:
        if any(needle in t for t in texts):
            return fmt
    return "unknown"


def iceberg_file_format(lake, address):
    """An Iceberg table's data file format when its catalog entry names none
    (Glue's Iceberg entries): its metadata's write.format.default, else the
    spec's default, parquet."""
    if not isinstance(address, str) or not address:
        return "unknown"
    path = address[len("file://"):] if address.startswith("file://") else address
    try:
        with open(os.path.join(lake, path)) as f:
            props = json.load(f).get("properties") or {}
    except (OSError, ValueError, AttributeError):
        return "unknown"
    value = props.get("write.format.default") if isinstance(props, dict) else None
    return value.lower() if isinstance(value, str) and value else "parquet"


class CatalogTable:
    def __init__(self, database, name, path):
        self.database = database
        self.name = name
        self.path = path
        self.broken = None  # why the JSON could not be used
        self.location = ""
        self.n_keys = 0
        self.format = "unknown"
        self.updated = None
        self.facts = None
        self.open_format = False
        self.everything = None  # (files, bytes) under the location, hidden ones too


def read_catalog(lake):
    catalog = os.path.join(lake, "catalog")
    if not os.path.isdir(catalog):
        raise SystemExit("lake_facts: %s: no catalog directory" % catalog)
    databases = []
    tables = []
    for db in sorted(os.listdir(catalog)):
        db_dir = os.path.join(catalog, db)
        if db.startswith(".") or not os.path.isdir(db_dir):
            continue
        databases.append(db)
        seen = set()
        for file in sorted(os.listdir(db_dir)):
            if file.startswith(".") or len(file) <= 5 or not file.endswith(".json"):
                continue
            if file == "database.json":
                continue
            path = os.path.join(db_dir, file)
            table = CatalogTable(db, file[:-5], path)
            try:
                with open(path, encoding="utf-8") as f:
                    obj = json.load(f)
            except (OSError, ValueError) as err:
                obj = None
                table.broken = "%s: %s" % (path, err)
            if table.broken is None:
                if not isinstance(obj, dict):
                    table.broken = "%s: not a JSON object" % path
                elif not isinstance(obj.get("Name"), str) or not obj.get("Name"):
                    table.broken = "%s: missing Name" % path
            if table.broken is None:
                table.name = obj["Name"]
                sd = obj.get("StorageDescriptor")
                sd = sd if isinstance(sd, dict) else {}
                location = sd.get("Location")
                table.location = location if isinstance(location, str) else ""
                keys = obj.get("PartitionKeys")
                if isinstance(keys, list):
                    table.n_keys = sum(1 for k in keys
                                       if isinstance(k, dict) and isinstance(k.get("Name"), str))
                table.format = expected_format(obj)
                params = obj.get("Parameters")
                params = params if isinstance(params, dict) else {}
                kind = str(params.get("table_type", "")).upper()
                table.open_format = (kind == "ICEBERG" and bool(params.get("metadata_location"))) \
                    or kind == "DELTA" or str(params.get("spark.sql.sources.provider", "")).lower() == "delta"
                if kind == "ICEBERG" and table.format == "unknown":
                    table.format = iceberg_file_format(lake, params.get("metadata_location"))
                table.updated = parse_time(obj.get("UpdateTime"))
            if table.name in seen:  # laketop keeps the first file naming a table
                continue
            seen.add(table.name)
            tables.append(table)
    return databases, tables


class Checker:
    def __init__(self):
        self.mismatches = 0

    def fail(self, what, message):
        self.mismatches += 1
        print("MISMATCH %s: %s" % (what, message))

    def same(self, what, field, reported, expected, show=str, source="disk"):
        if reported != expected:
            self.fail(what, "%s: laketop %s, %s %s" % (field, show(reported), source,
                                                       show(expected)))


def count(value):
    """A reported count; None for null (unknown)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def check(lake, report):
    databases, tables = read_catalog(lake)
    for t in tables:
        if t.broken:
            continue
        directory, why = resolve(lake, t.location)
        if directory is None:
            t.facts = TableFacts()
            t.facts.error = why
        else:
            t.facts = scan(directory, t.n_keys)
            if t.open_format:
                sizes = [os.lstat(os.path.join(root, n)).st_size
                         for root, _dirs, names in os.walk(directory) for n in names]
                t.everything = (len(sizes), sum(sizes))
    c = Checker()
    generated = parse_time(report.get("generated_at"))
    if generated is None:
        c.fail("report", "generated_at missing or not a time: %r" % report.get("generated_at"))

    reported_tables = {}
    for row in report.get("tables") or []:
        key = (row.get("database"), row.get("name"))
        reported_tables.setdefault(key, []).append(row)
    catalog_keys = {(t.database, t.name) for t in tables}
    for key, rows in sorted(reported_tables.items(), key=lambda kv: str(kv[0])):
        if key not in catalog_keys:
            c.fail("%s.%s" % key, "reported by laketop but not in the catalog")

    for t in tables:
        what = "%s.%s" % (t.database, t.name)
        rows = reported_tables.get((t.database, t.name), [])
        if len(rows) != 1:
            c.fail(what, "appears %d times in laketop's tables (want exactly once)" % len(rows))
            if not rows:
                continue
        row = rows[0]
        if t.broken:
            if not row.get("error"):
                c.fail(what, "catalog entry is broken (%s) but laketop reports no error" % t.broken)
            continue
        c.same(what, "location", row.get("location"), t.location)
        c.same(what, "format", row.get("format"), t.format)
        c.same(what, "catalog_updated", parse_time(row.get("catalog_updated")), t.updated, iso)

        f = t.facts
        if f.error:
            if not row.get("error"):
                c.fail(what, "cannot be scanned (%s) but laketop reports no error" % f.error)
            continue
        if row.get("error"):
            c.fail(what, "laketop reports an error (%s) but the location scans fine" % row["error"])
        # (a laketop from before the formats, without table_format in its
        # JSON, listed such a table as any other)
        if t.open_format and "table_format" in row:
            c.same(what, "table_format", row["table_format"] in ("iceberg", "delta"), True)
            c.same(what, "s3_objects", count(row.get("s3_objects")), t.everything[0])
            c.same(what, "s3_bytes", count(row.get("s3_bytes")), t.everything[1])
            t.facts.objects, t.facts.bytes = count(row.get("objects")), count(row.get("bytes"))
            continue
        c.same(what, "objects", count(row.get("objects")), f.objects)
        c.same(what, "bytes", count(row.get("bytes")), f.bytes)
        newest = parse_time(row.get("newest_object"))
        if row.get("newest_object") is not None and newest is None:
            c.fail(what, "newest_object is not a time: %r" % row.get("newest_object"))
        else:
            c.same(what, "newest_object", newest, f.newest, iso)
        c.same(what, "partitions", count(row.get("partitions")), f.partitions)

        staleness = count(row.get("staleness_seconds"))
        if generated is not None and newest is not None:
            # laketop clamps a newest object from the future to 0 seconds.
            want = max(0, generated - newest)
            c.same(what, "staleness_seconds (generated_at - newest_object)", staleness, want)
        elif newest is None and staleness is not None:
            c.fail(what, "staleness_seconds is %d without a newest object" % staleness)

        history = row.get("history") or []
        dates = [h.get("date") for h in history]
        if any(not isinstance(d, str) for d in dates) or dates != sorted(set(dates)):
            c.fail(what, "history dates are not strictly increasing")
        elif history and generated is not None:
            last = history[-1]
            if last.get("date") != utc_date(generated):
                c.fail(what, "last history sample is %s, not the report's day %s"
                       % (last.get("date"), utc_date(generated)))
            else:
                c.same(what, "last history sample bytes", count(last.get("bytes")), f.bytes)
                c.same(what, "last history sample objects", count(last.get("objects")),
                       f.objects)

    reported_dbs = {}
    for row in report.get("databases") or []:
        reported_dbs.setdefault(row.get("name"), []).append(row)
    for name in sorted(n for n in reported_dbs if n not in databases):
        c.fail("database %s" % name, "reported by laketop but not in the catalog")
    for db in databases:
        what = "database %s" % db
        rows = reported_dbs.get(db, [])
        if len(rows) != 1:
            c.fail(what, "appears %d times in laketop's databases (want exactly once)" % len(rows))
            if not rows:
                continue
        row = rows[0]
        mine = [t for t in tables if t.database == db]
        c.same(what, "tables", count(row.get("tables")), len(mine))
        # Unknown tables add nothing to laketop's totals; only compare when all are known.
        if all(t.facts is not None and t.facts.error is None for t in mine):
            c.same(what, "bytes", count(row.get("bytes")), sum(t.facts.bytes for t in mine))
            c.same(what, "objects", count(row.get("objects")), sum(t.facts.objects for t in mine))
        # Consistency: stale_tables counts the tables reported warn or crit.
        stale_rows = [rows[0] for (d, _), rows in reported_tables.items()
                      if d == db and "stale" in rows[0]]
        if "stale_tables" in row and stale_rows:
            want = sum(1 for r in stale_rows if r.get("stale") in ("warn", "crit"))
            c.same(what, "stale_tables", count(row.get("stale_tables")), want,
                   source="tables reported warn or crit:")

    print("lake_facts: %d tables checked, %d mismatches" % (len(tables), c.mismatches))
    return c.mismatches


def main(argv):
    if len(argv) != 3:
        print("usage: lake_facts.py LAKE_DIR LAKETOP_JSON_FILE", file=sys.stderr)
        return 2
    lake, report_path = argv[1], argv[2]
    if not os.path.isdir(lake):
        print("lake_facts: %s: not a directory" % lake, file=sys.stderr)
        return 2
    try:
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as err:
        print("lake_facts: %s: %s" % (report_path, err), file=sys.stderr)
        return 2
    if not isinstance(report, dict):
        print("lake_facts: %s: not a JSON object" % report_path, file=sys.stderr)
        return 2
    try:
        return 1 if check(lake, report) else 0
    except SystemExit as err:
        print(err, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

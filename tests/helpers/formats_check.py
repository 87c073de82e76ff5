#!/usr/bin/env python3
"""formats_check.py: the open-format integration tests' helper (independent
of laketop: it reads the fixture writers' files and laketop's --once JSON).

  formats_check.py catalog DIR LAKE DB       DIR/catalog.json -> LAKE/catalog/DB/<table>.json
  formats_check.py seed SEED BUCKET DB:DIR:PREFIX...
                                             an aws_endpoint.py seed: each DIR's catalog
                                             as database DB, its files served from disk
                                             under PREFIX in BUCKET
  formats_check.py check EXPECTED ONCE DB    TAP lines: every table of EXPECTED against
                                             laketop's --once JSON, field by field
  formats_check.py hive DIR ONCE DB TABLE... TAP lines: Hive tables' objects/bytes/s3_*
                                             against os.walk/stat of DIR/<table>
  formats_check.py bad DIR ONCE DB TABLE FORMAT WORD
                                             TAP line: a table whose metadata is broken:
                                             format_error has WORD, origin "listing",
                                             the listing's figures by the Hive rules
  formats_check.py fields ONCE DB TABLE KEY=JSON...
                                             TAP line: those fields of one row
  formats_check.py reads DEBUG TABLE         the reads of each measure of DB.TABLE in a
                                             LAKETOP_FORMATS_DEBUG file, one a line
  formats_check.py requests LOG PREFIX       the GetObject requests of each refresh (split
                                             at each ListObjectsV2 of PREFIX), one a line:
                                             "N key key ..."
"""
import json
import os
import sys

FIELDS = ("table_format", "objects", "bytes", "records", "s3_objects", "s3_bytes",
          "unreferenced_bytes", "snapshots", "last_commit")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def catalog(src, lake, db):
    out = os.path.join(lake, "catalog", db)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "database.json"), "w") as f:
        json.dump({"Name": db}, f)
    for t in load(os.path.join(src, "catalog.json"))["tables"]:
        with open(os.path.join(out, t["Name"] + ".json"), "w") as f:
            json.dump(t, f, indent=1)


def seed(path, bucket, specs):
    doc = {"databases": [], "buckets": {bucket: {"objects": []}}, "files": []}
    for spec in specs:
        db, src, prefix = spec.split(":", 2)
        tables = load(os.path.join(src, "catalog.json"))["tables"]
        doc["databases"].append({"Name": db, "tables": tables})
        doc["files"].append({"bucket": bucket, "prefix": prefix, "dir": os.path.abspath(src)})
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)


def rows(once, db):
    doc = load(once)
    return {t["name"]: t for t in doc["tables"] if t["database"] == db}


def check(expected, once, db, only=None):
    want = load(expected)["tables"]
    got = rows(once, db)
    bad = 0
    for name, w in sorted(want.items()):
        if only and name not in only:
            continue
        g = got.get(name)
        if g is None:
            print(f"not ok - {db}.{name}: not in laketop's output")
            bad += 1
            continue
        diffs = [f"{k}: laketop {g.get(k)!r}, writer {w.get(k)!r}" for k in FIELDS
                 if k in w and g.get(k) != w.get(k)]
        if g.get("format_error"):
            diffs.append(f"format_error {g['format_error']!r}")
        if diffs:
            print(f"not ok - {db}.{name}: " + "; ".join(diffs))
            bad += 1
        else:
            print(f"ok - {db}.{name}: " + ", ".join(f"{k} {w[k]}" for k in FIELDS if k in w))
    return bad


def walk(base):
    """(objects, bytes, s3_objects, s3_bytes) of a directory by the Hive rules."""
    objects = size = s3_objects = s3_bytes = 0
    for root, dirs, files in os.walk(base):
        rel = os.path.relpath(root, base)
        hidden = rel != "." and any(p[:1] in "_." for p in rel.split(os.sep))
        for fn in files:
            st = os.lstat(os.path.join(root, fn))
            if not os.path.isfile(os.path.join(root, fn)) or os.path.islink(os.path.join(root, fn)):
                continue
            s3_objects += 1
            s3_bytes += st.st_size
            if not hidden and fn[:1] not in "_." and not fn.endswith("_$folder$"):
                objects += 1
                size += st.st_size
    return objects, size, s3_objects, s3_bytes


def bad(src, once, db, name, fmt, word):
    g = rows(once, db).get(name, {})
    objects, size, s3_objects, s3_bytes = walk(os.path.join(src, name))
    w = {"table_format": fmt, "origin": "listing", "objects": objects, "bytes": size,
         "s3_objects": s3_objects, "s3_bytes": s3_bytes, "unreferenced_bytes": None,
         "records": None, "error": None}
    diffs = [f"{k}: laketop {g.get(k)!r}, wanted {v!r}" for k, v in w.items() if g.get(k) != v]
    why = g.get("format_error") or ""
    if word.lower() not in why.lower():
        diffs.append(f"format_error {why!r} lacks {word!r}")
    if diffs:
        print(f"not ok - bad {db}.{name}: " + "; ".join(diffs))
        return 1
    print(f"ok - bad {db}.{name}: listing figures {objects}/{size}, format_error {why!r}")
    return 0


def requests(log, prefix):
    segments = [[]]
    with open(log, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            q = r.get("query") or ""
            if r.get("op") == "ListObjectsV2" and ("prefix=" + prefix) in q.replace("%2F", "/"):
                segments.append([])
            elif r.get("op") == "GetObject":
                segments[-1].append(r.get("path", ""))
    for seg in segments[1:]:
        print(len(seg), *seg)


def fields(once, db, name, pairs):
    g = rows(once, db).get(name, {})
    diffs = []
    for pair in pairs:
        k, _, v = pair.partition("=")
        k = k.strip('"')
        if g.get(k) != json.loads(v):
            diffs.append(f"{k}: laketop {g.get(k)!r}, wanted {v}")
    if diffs:
        print(f"not ok - {db}.{name}: " + "; ".join(diffs))
        return 1
    print(f"ok - {db}.{name}: " + ", ".join(pairs))
    return 0


def reads(debug, table):
    segments = []
    with open(debug, encoding="utf-8") as f:
        for line in f:
            what, _, address = line.rstrip("\n").partition(" ")
            if what == "measure":
                segments.append(None if address != table else [])
            elif what == "read" and segments and segments[-1] is not None:
                segments[-1].append(address)
    for seg in segments:
        if seg is not None:
            print(len(seg), *seg)


def hive(src, once, db, names):
    got = rows(once, db)
    bad = 0
    for name in names:
        objects, size, s3_objects, s3_bytes = walk(os.path.join(src, name))
        g = got.get(name, {})
        w = {"table_format": "hive", "objects": objects, "bytes": size,
             "s3_objects": s3_objects, "s3_bytes": s3_bytes, "unreferenced_bytes": None}
        diffs = [f"{k}: laketop {g.get(k)!r}, find/stat {v!r}" for k, v in w.items()
                 if g.get(k) != v]
        if diffs:
            print(f"not ok - hive {db}.{name}: " + "; ".join(diffs))
            bad += 1
        else:
            print(f"ok - hive {db}.{name}: objects {objects}, bytes {size}, s3 {s3_objects}/{s3_bytes}")
    return bad


def main(argv):
    cmd = argv[1]
    if cmd == "catalog":
        catalog(*argv[2:5])
    elif cmd == "seed":
        seed(argv[2], argv[3], argv[4:])
    elif cmd == "check":
        only = set(argv[5:]) or None
        return 1 if check(argv[2], argv[3], argv[4], only) else 0
    elif cmd == "bad":
        return bad(*argv[2:8])
    elif cmd == "fields":
        return fields(argv[2], argv[3], argv[4], argv[5:])
    elif cmd == "reads":
        reads(argv[2], argv[3])
    elif cmd == "requests":
        requests(argv[2], argv[3])
    elif cmd == "hive":
        return 1 if hive(argv[2], argv[3], argv[4], argv[5:]) else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""delta_replay.py DIR [TABLE...]: replays each Delta table's log under DIR
on its own (not the writer's code: the commit files as any Delta reader
reads them) and checks DIR/expected.json against it: live objects, bytes,
records, snapshots, last_commit, format_version, the commits' totals,
unreferenced_bytes, and each <version>.crc's tableSizeBytes and numFiles.
Prints "ok - ..." / "not ok - ..." lines; exit 1 on any difference. The
s3_* figures are the caller's to check (find/stat)."""

import datetime
import json
import os
import re
import sys
import urllib.parse

failed = False


def check(what, got, want):
    global failed
    if got == want:
        print("ok - %s = %r" % (what, got))
    else:
        print("not ok - %s: replay %r, expected.json %r" % (what, got, want))
        failed = True


def iso(ms):
    return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def replay(table_dir, want):
    log = os.path.join(table_dir, "_delta_log")
    versions = sorted(int(n[:-5]) for n in os.listdir(log) if re.fullmatch(r"\d+\.json", n))
    check("versions without a gap", versions, list(range(len(versions))))
    live = {}
    referenced = set()
    commits = []
    reader = None
    last = None
    for v in versions:
        ts = None
        op = None
        adds = []
        removes = []
        with open(os.path.join(log, "%020d.json" % v)) as f:
            for line in f:
                if not line.strip():
                    continue
                action = json.loads(line)
                if "commitInfo" in action:
                    ts = action["commitInfo"]["timestamp"]
                    op = action["commitInfo"].get("operation")
                if "protocol" in action:
                    reader = action["protocol"]["minReaderVersion"]
                if "add" in action:
                    adds.append(action["add"])
                if "remove" in action:
                    removes.append(action["remove"])
        for r in removes:
            p = urllib.parse.unquote(r["path"])
            referenced.add(p)
            live.pop(p, None)
        for a in adds:
            p = urllib.parse.unquote(a["path"])
            referenced.add(p)
            n = json.loads(a["stats"]).get("numRecords") if a.get("stats") else None
            live[p] = (a["size"], n)
        files = len(live)
        size = sum(s for s, _ in live.values())
        recs = None if any(n is None for _, n in live.values()) else sum(n for _, n in live.values())
        commits.append({"at": iso(ts), "operation": op, "total_files": files, "total_bytes": size,
                        "total_records": recs})
        last = ts
        crc = os.path.join(log, "%020d.crc" % v)
        if os.path.exists(crc):
            with open(crc) as f:
                c = json.load(f)
            check("%020d.crc tableSizeBytes" % v, c["tableSizeBytes"], size)
            check("%020d.crc numFiles" % v, c["numFiles"], files)
    name = os.path.basename(table_dir)
    check(name + " objects", len(live), want["objects"])
    check(name + " bytes", sum(s for s, _ in live.values()), want["bytes"])
    recs = None if any(n is None for _, n in live.values()) else sum(n for _, n in live.values())
    check(name + " records", recs, want["records"])
    check(name + " snapshots", len(versions), want["snapshots"])
    check(name + " last_commit", iso(last), want["last_commit"])
    check(name + " format_version", reader, want["format_version"])
    check(name + " commits", commits, want["commits"])
    unref = 0
    for root, _, names in os.walk(table_dir):
        for n in names:
            rel = os.path.relpath(os.path.join(root, n), table_dir)
            if rel.split(os.sep)[0] == "_delta_log" or n[0] in "_." or n.endswith("_$folder$"):
                continue
            if rel not in referenced:
                unref += os.path.getsize(os.path.join(root, n))
    check(name + " unreferenced_bytes", unref, want["unreferenced_bytes"])


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "expected.json")) as f:
        expected = json.load(f)["tables"]
    names = sys.argv[2:] or sorted(t for t, e in expected.items() if e.get("table_format") == "delta")
    for name in names:
        replay(os.path.join(out, name), expected[name])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

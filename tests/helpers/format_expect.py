#!/usr/bin/env python3
"""format_expect.py: what the dashboard should show of open-format tables,
from the fixture writers' own figures (never from laketop's output).

    format_expect.py EXPECTED_JSON DATABASE NOW WASTE_SHARE WASTE_BYTES MAX_SNAPSHOTS

EXPECTED_JSON: a fixture writer's expected.json (tests/fixtures/*_writer.py);
DATABASE: the database its tables were put in; NOW: Unix seconds (the
LAKETOP_NOW of the run); the three insight settings of the run's config
(WASTE_SHARE a fraction). Prints one line per expected text,
"KEY<TAB>TEXT", for a screen test to look for:

    name.T          the Tables view's name cell: "T ice"
    size.T          its Size cell (laketop's fmt_bytes of the live bytes)
    live.T          the detail's Live line, after its label
    storage.T       On storage
    unref.T         Unreferenced, up to the share ("…, 30 % of live")
    unref_re.T      the same as a regular expression (grep -E), the count of
                    files optional where the writer does not give it
    title.T         the section's first line: "Iceberg v2 ice: figures from its
                    metadata", "Delta Lake (reader v1) Δ: figures from its log"
    waste.T         1 when the table should be flagged waste, else 0
    snapshots.T     Snapshots (Iceberg) / Versions (Delta): "6, oldest 2026-…"
    many.T          1 when past MAX_SNAPSHOTS, else 0
    last.T          Last commit: "2026-02-28 19:00"
    spec.T          Partitioning
    metafile.T      the metadata file, from the table's location on
    commit.T.K      the K-th commit line from the newest (K from 0): "2026-… append"
    ncommits.T      how many commits the metadata retains
    overview.T      the Overview's waste line's Why
    orphans.T       the remove_orphan_files statement (Iceberg) / VACUUM (Delta)
    expire.T        the expire_snapshots statement (Iceberg), when it is due
    format.T        iceberg or delta
"""
import json
import re
import sys
import time


def fmt_bytes(n):
    """common/fmt.c's fmt_bytes."""
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n < 1024:
        return "%s%d B" % (sign, n)
    value, unit = float(n), 0
    while value >= 1024.0 and unit + 1 < len(units):
        value /= 1024.0
        unit += 1
    if value >= 1023.95 and unit + 1 < len(units):
        value /= 1024.0
        unit += 1
    if value >= 100.0:
        return "%s%.0f %s" % (sign, value, units[unit])
    return "%s%.1f %s" % (sign, value, units[unit])



def ere(text):
    """TEXT as a fixed string in a POSIX extended regular expression."""
    return re.sub(r"([][.^$*+?(){}|\\])", r"\\\1", text)


def minute(text):
    """"2026-02-28T19:00:00Z" as the detail view writes it: "2026-02-28 19:00"."""
    return text[:10] + " " + text[11:16]


def plural(n, one, many):
    return one if n in (1, -1) else many


def main():
    path, database, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
    share, least, max_snapshots = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    with open(path) as f:
        tables = json.load(f)["tables"]
    out = []
    for name, t in sorted(tables.items()):
        fmt = t["table_format"]
        mark = "ice" if fmt == "iceberg" else "\u0394"
        out.append(("format." + name, fmt))
        out.append(("name." + name, "%s %s" % (name, mark)))
        version = t.get("format_version")
        if fmt == "iceberg":
            title = "Iceberg v%d" % version if version else "Iceberg"
        else:
            title = "Delta Lake (reader v%d)" % version if version else "Delta Lake"
        out.append(("title." + name, "%s %s: figures from its %s" % (
            title, mark, "metadata" if fmt == "iceberg" else "log")))
        out.append(("size." + name, fmt_bytes(t["bytes"])))
        live = "%s in %d %s" % (fmt_bytes(t["bytes"]), t["objects"],
                                plural(t["objects"], "file", "files"))
        if t.get("records") is not None:
            live += ", %d %s" % (t["records"], plural(t["records"], "record", "records"))
        out.append(("live." + name, live))
        storage = "%s in %d %s" % (fmt_bytes(t["s3_bytes"]), t["s3_objects"],
                                   plural(t["s3_objects"], "object", "objects"))
        if t.get("metadata_bytes") is not None:
            storage += ", of which metadata %s" % fmt_bytes(t["metadata_bytes"])
        out.append(("storage." + name, storage))
        unref = t["unreferenced_bytes"]
        text = fmt_bytes(unref)
        if t.get("unreferenced_objects") is not None:
            text += " in %d %s" % (t["unreferenced_objects"],
                                   plural(t["unreferenced_objects"], "file", "files"))
        if t["bytes"] > 0:
            text += ", %d %% of live" % int(round(100.0 * unref / t["bytes"] + 1e-9))
        out.append(("unref." + name, text))
        # the same as an extended regular expression, the file count
        # optional (a writer that does not say it)
        share_text = ""
        if t["bytes"] > 0:
            share_text = ", %d %% of live" % int(round(100.0 * unref / t["bytes"] + 1e-9))
        files = " in [0-9]+ files?"
        if t.get("unreferenced_objects") is not None:
            files = " in %d %s" % (t["unreferenced_objects"],
                                   plural(t["unreferenced_objects"], "file", "files"))
        out.append(("unref_re." + name, ere(fmt_bytes(unref)) + "(" + files + ")?" +
                    ere(share_text)))
        waste = unref > least and unref > share * t["bytes"]
        out.append(("waste." + name, "1" if waste else "0"))
        if t["bytes"] > 0:
            out.append(("overview." + name, "%s unreferenced (%d %% of live)" % (
                fmt_bytes(unref), int(round(100.0 * unref / t["bytes"] + 1e-9)))))
        snaps = "%d" % t["snapshots"]
        if t.get("oldest_snapshot"):
            snaps += ", oldest %s" % minute(t["oldest_snapshot"])
        out.append(("snapshots." + name, snaps))
        out.append(("many." + name, "1" if t["snapshots"] > max_snapshots else "0"))
        if t.get("last_commit"):
            out.append(("last." + name, minute(t["last_commit"])))
        if t.get("partition_spec") is not None:
            out.append(("spec." + name, t["partition_spec"] or "unpartitioned"))
        ml = t.get("metadata_location")
        if ml and ("/%s/" % name) in ml:
            out.append(("metafile." + name, ml[ml.index("/%s/" % name) + len(name) + 2:]))
        commits = t.get("commits") or []
        out.append(("ncommits." + name, str(len(commits))))
        for k, c in enumerate(reversed(commits)):
            out.append(("commit.%s.%d" % (name, k), "%s  %s" % (minute(c["at"]), c["operation"])))
        full = "%s.%s" % (database, name)
        if fmt == "iceberg":
            out.append(("orphans." + name,
                        "CALL system.remove_orphan_files(table => '%s')" % full))
            retained = t.get("retained_bytes") or 0
            if t["snapshots"] > max_snapshots or (
                    retained > 0 and retained > least and retained > share * t["bytes"]):
                keep = time.strftime("%Y-%m-%d", time.gmtime(now - 7 * 86400))
                out.append(("expire." + name,
                            "CALL system.expire_snapshots('%s', TIMESTAMP '%s')" % (full, keep)))
        else:
            out.append(("orphans." + name, "VACUUM %s RETAIN 168 HOURS" % full))
    for key, text in out:
        print("%s\t%s" % (key, text))


if __name__ == "__main__":
    main()

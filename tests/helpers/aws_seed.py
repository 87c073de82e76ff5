#!/usr/bin/env python3
"""aws_seed.py: writes a seed for tests/fixtures/aws_endpoint.py with tricky
keys, and computes from the same key list, independently of laketop, what
each table holds (objects, bytes, newest object, partitions, markers).

  aws_seed.py write SEED.json TRUTH.json
  aws_seed.py check TRUTH.json LAKETOP.json     (prints TAP lines)
"""
import json
import sys

T0 = 1735689600  # 2025-01-01T00:00:00Z


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def objects():
    """(key, size, last_modified) for bucket tricky-lake."""
    out = []
    n = 0

    def add(key, size):
        nonlocal n
        n += 1
        out.append((key, size, T0 + n * 3600 + (n * 7919) % 3000))

    # events: partitioned by dt, with every kind of awkward key
    for day in range(1, 8):
        d = f"events/dt=2025-01-0{day}/"
        add(d + "part-0000.parquet", 1000 + day)
        add(d + "a b+c%20.parquet", 7 * day)
        add(d + "ünï©ødé ✓.parquet", 11 * day)
        add(d + "tilde~eq=x&y<z>'\".parquet", 13)
        add(d + "_SUCCESS", 0)
    add("events/dt=2025-01-03/", 0)                    # zero-byte directory marker
    add("events/dt=2025-01-04_$folder$", 0)            # Hadoop folder marker
    add("events/dt=2025-01-05/.part-0000.parquet.crc", 12)  # hidden file
    add("events/top-level.json", 500)                   # data at the table's top level
    add("events/dt=2025-01-02!/odd.parquet", 77)        # '!' sorts before '/'
    add("events/dt=2025-01-02-extra.json", 66)          # a top-level key between dirs
    add("events/notapartition/file.parquet", 5)         # a directory that is not k=v
    add("events_old/dt=2024-12-31/part-0000.parquet", 99999)  # sibling: never counted
    add("events-archive/x.parquet", 88888)
    # flat: 30 objects, no directories
    for i in range(30):
        add(f"flat/file-{i:03d}.csv", 100 + i)
    # deep: two partition levels
    for m in ("01", "02", "03"):
        for k in range(3):
            add(f"deep/year=2024/month={m}/part-{k}.parquet", 2000 + k)
    add("deep/year=2024/month=03/_temporary/0/part-9.parquet", 0)
    return out


def table(name, location, keys=(), kind="EXTERNAL_TABLE", columns=None):
    t = {"Name": name, "TableType": kind, "CreateTime": iso(T0), "UpdateTime": iso(T0 + 86400),
         "Parameters": {"classification": "parquet"},
         "PartitionKeys": [{"Name": k, "Type": "string"} for k in keys],
         "StorageDescriptor": {"Location": location, "Columns": columns or [{"Name": "id", "Type": "bigint"}]}}
    if kind == "VIRTUAL_VIEW":
        del t["StorageDescriptor"]["Location"]
    return t


EVENT_COLUMNS = [{"Name": "id", "Type": "bigint"}, {"Name": "name", "Type": "string"}]
# the first version of tricky.events, before the change at T0 + 5h
EVENT_COLUMNS_V0 = [{"Name": "id", "Type": "int"}, {"Name": "payload", "Type": "string"}]


def schema_diff(before, after):
    """The change list laketop's JSON should give: removed and retyped in the old
    order, then added in the new order."""
    old = {c["Name"].lower(): c["Type"] for c in before}
    new = {c["Name"].lower(): c["Type"] for c in after}
    out = []
    for c in before:
        n = c["Name"].lower()
        if n not in new:
            out.append({"change": "removed", "column": c["Name"], "from": c["Type"]})
        elif new[n].lower() != c["Type"].lower():
            out.append({"change": "retyped", "column": c["Name"], "from": c["Type"], "to": new[n]})
    out += [{"change": "added", "column": c["Name"], "to": c["Type"]} for c in after if c["Name"].lower() not in old]
    return out


# Athena query history: (work group, database, SQL, age in days) and the
# queries_30d each table should get. More than 50 executions in a work group:
# ListQueryExecutions pages; the oldest are outside the 30-day window.
QUERIES_30D = {"tricky.events": 70, "tricky.deep": 3, "other.t01": 1}
QUERIES_UNPARSED = 1


def athena_seed():
    qs = []
    for i in range(55):  # primary: 55 within the window
        qs.append(("primary", "tricky", "SELECT count(*) FROM events WHERE dt = '2026-01-01'", i * 0.5))
    for i in range(15):
        qs.append(("analytics", "default", 'SELECT * FROM "tricky"."events" e', 1 + i))
    for i in range(3):
        qs.append(("analytics", "other", "WITH x AS (SELECT 1) SELECT * FROM tricky.deep d JOIN x ON true", 2 + i))
    qs.append(("analytics", "other", "SELECT * FROM t01 -- FROM t02", 3))
    qs.append(("analytics", "other", "SELECT * FROM t02 WHERE s = 'unclosed", 4))  # does not parse
    for i in range(5):  # older than the window: not counted
        qs.append(("primary", "tricky", "SELECT * FROM events", 31 + i))
    return {"workgroups": ["primary", "analytics", "idle"],
            "queries": [{"WorkGroup": g, "Database": d, "Query": q, "age_seconds": a * 86400} for g, d, q, a in qs]}


def seed():
    return {
        "default_time": iso(T0),
        "databases": [
            {"Name": "tricky", "Description": "awkward keys", "tables": [
                dict(table("events", "s3://tricky-lake/events/", ["dt"], columns=EVENT_COLUMNS), partition_count=6,
                     versions=[
                         {"UpdateTime": iso(T0), "StorageDescriptor": {
                             "Location": "s3://tricky-lake/events/", "Columns": EVENT_COLUMNS_V0}},
                         {"UpdateTime": iso(T0 + 18000), "StorageDescriptor": {
                             "Location": "s3://tricky-lake/events/", "Columns": EVENT_COLUMNS}},
                     ]),
                table("flat", "s3://tricky-lake/flat"),
                table("deep", "s3://tricky-lake/deep/", ["year", "month"]),
                table("empty", "s3://tricky-lake/nothing-here/"),
                table("denied", "s3://secret-lake/data/"),
                table("missing", "s3://no-such-bucket/data/"),
                table("v_events", "", kind="VIRTUAL_VIEW"),
            ]},
            {"Name": "other", "tables": [table(f"t{i:02d}", f"s3://tricky-lake/flat/") for i in range(3)]},
            {"Name": "link", "TargetDatabase": {"CatalogId": "210987654321", "DatabaseName": "partner"},
             "tables": []},
        ],
        "crawlers": [
            {"Name": "events-crawler", "Role": "arn:aws:iam::123456789012:role/crawler",
             "DatabaseName": "tricky", "Targets": {"S3Targets": [{"Path": "s3://tricky-lake/events/"}]},
             "State": "READY", "Schedule": {"ScheduleExpression": "cron(0 2 * * ? *)", "State": "SCHEDULED"},
             "LastCrawl": {"Status": "FAILED", "ErrorMessage": "Access denied to s3://tricky-lake/events/",
                           "StartTime": iso(T0 + 7200)},
             "simulate": {"seconds": 1.0, "result": "FAILED", "error": "Insufficient Lake Formation permission(s) on tricky"}},
            {"Name": "good-crawler", "Role": "arn:aws:iam::123456789012:role/crawler",
             "DatabaseName": "tricky", "Targets": {"S3Targets": [{"Path": "s3://tricky-lake/deep/"}]},
             "State": "READY", "LastCrawl": {"Status": "SUCCEEDED", "StartTime": iso(T0)},
             "simulate": {"seconds": 1.0, "result": "SUCCEEDED",
                          "metrics": {"TablesCreated": 3, "TablesUpdated": 7, "TablesDeleted": 1}}},
            {"Name": "flat-crawler", "Role": "arn:aws:iam::123456789012:role/crawler",
             "DatabaseName": "tricky", "Targets": {"S3Targets": [{"Path": "s3://tricky-lake/flat/"}]},
             "State": "RUNNING"},
        ],
        "athena": athena_seed(),
        "buckets": {
            "tricky-lake": {"objects": [{"key": k, "size": s, "last_modified": iso(t)} for k, s, t in objects()]},
            "secret-lake": {"denied": True, "objects": [{"key": "data/x.parquet", "size": 5}]},
        },
    }


def is_marker(key):
    if key.endswith("/"):
        return True
    last = key.rsplit("/", 1)[-1]
    return last.startswith(("_", ".")) or last.endswith("_$folder$")


def truth():
    objs = objects()
    result = {}
    for db in seed()["databases"]:
        for t in db.get("tables", []):
            loc = t["StorageDescriptor"].get("Location", "")
            if not loc.startswith("s3://tricky-lake/"):
                continue
            prefix = loc[len("s3://tricky-lake/"):]
            if prefix and not prefix.endswith("/"):
                prefix += "/"
            depth = len(t["PartitionKeys"])
            count = size = markers = 0
            newest = None
            parts = set()
            for key, s, m in objs:
                if not key.startswith(prefix):
                    continue
                if any(p.startswith(("_", ".")) for p in key[len(prefix):].split("/")[:-1]):
                    continue  # inside a hidden directory (_temporary): skipped, as Athena does
                if is_marker(key):
                    markers += 1
                    continue
                count += 1
                size += s
                newest = m if newest is None else max(newest, m)
                comps = key[len(prefix):].split("/")[:-1]
                if depth and len(comps) >= depth and all("=" in c and c.index("=") > 0 and not c.endswith("=") for c in comps[:depth]):
                    parts.add("/".join(comps[:depth]))
            result[f"{db['Name']}.{t['Name']}"] = {
                "objects": count, "bytes": size, "newest_object": iso(newest) if newest else None,
                "partitions": len(parts), "markers": markers,
                "all_keys": sum(1 for k, _, _ in objs if k.startswith(prefix)),
                "all_bytes": sum(s for k, s, _ in objs if k.startswith(prefix)),
                "file_keys": sum(1 for k, _, _ in objs if k.startswith(prefix) and not k.endswith("/")),
            }
    return result


def check(truth_file, laketop_file):
    want = json.load(open(truth_file))
    got = json.load(open(laketop_file))
    tables = {f"{t['database']}.{t['name']}": t for t in got["tables"]}
    failures = 0
    counts = {n: t.get("queries_30d") for n, t in tables.items()}
    wrong = {n: c for n, c in counts.items() if c != QUERIES_30D.get(n, 0)}
    good = not wrong and got.get("queries_unparsed") == QUERIES_UNPARSED
    print(("ok" if good else "not ok") + f" - queries_30d from Athena equal the seeded counts {QUERIES_30D}"
          f" (others 0; unparsed {got.get('queries_unparsed')}){'' if good else ' wrong: ' + repr(wrong)}")
    failures += not good
    for name, w in sorted(want.items()):
        t = tables.get(name)
        if t is None:
            print(f"not ok - {name}: missing from laketop's output")
            failures += 1
            continue
        diffs = [f"{k}: laketop {t.get(k)!r}, truth {w[k]!r}" for k in ("objects", "bytes", "newest_object", "partitions")
                 if t.get(k) != w[k]]
        if t.get("error"):
            diffs.append(f"error {t['error']!r}")
        if diffs:
            failures += 1
            print(f"not ok - {name}: " + "; ".join(diffs))
        else:
            print(f"ok - {name}: {w['objects']} objects, {w['bytes']} bytes, {w['partitions']} partitions")
    for name, needle in (("tricky.denied", "AccessDenied"), ("tricky.missing", "NoSuchBucket")):
        err = (tables.get(name) or {}).get("error") or ""
        print(("ok" if needle in err else "not ok") + f" - {name} is marked with {needle} ({err[:80]})")
        failures += needle not in err
    ev = tables.get("tricky.events") or {}
    for key, want_value in (("catalog_partitions", 6), ("schema_changed_at", iso(T0 + 18000)),
                            ("schema_changes", schema_diff(EVENT_COLUMNS_V0, EVENT_COLUMNS))):
        good = ev.get(key) == want_value
        print(("ok" if good else "not ok") + f" - tricky.events {key}: laketop {ev.get(key)!r}, seeded {want_value!r}")
        failures += not good
    crawlers = {c["name"]: c for c in got.get("crawlers", [])}
    ev_c = crawlers.get("events-crawler") or {}
    good = (set(crawlers) == {"events-crawler", "flat-crawler", "good-crawler"} and ev_c.get("last_crawl_status") == "FAILED"
            and "Access denied" in (ev_c.get("last_crawl_error") or "") and ev_c.get("targets") == ["s3://tricky-lake/events/"]
            and ev_c.get("last_crawl_start") == iso(T0 + 7200) and crawlers["flat-crawler"].get("state") == "RUNNING")
    print(("ok" if good else "not ok") + f" - crawlers from GetCrawlers, paginated: {sorted(crawlers)}")
    failures += not good
    gc = crawlers.get("good-crawler") or {}
    figures = (gc.get("tables_created"), gc.get("tables_updated"), gc.get("tables_deleted"))
    good = figures == (3, 7, 1) and ev_c.get("tables_created") == 0
    print(("ok" if good else "not ok") + f" - tables created/updated/deleted from GetCrawlerMetrics: {figures}")
    failures += not good
    view = tables.get("tricky.v_events") or {}
    ok = view and not view.get("error") and view.get("objects") is None
    print(("ok" if ok else "not ok") + " - a view is listed without storage figures and without an error")
    failures += not ok
    dbs = {d["name"]: d for d in got["databases"]}
    ok = (set(dbs) == {"tricky", "other", "link"} and dbs["other"]["tables"] == 3
          and dbs["link"].get("shared_from") == "210987654321:partner" and dbs["tricky"].get("shared_from") is None)
    print(("ok" if ok else "not ok") +  " - every database and table paginated in (one per page); the resource link names its target")
    failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1] == "write":
        json.dump(seed(), open(sys.argv[2], "w"), indent=1)
        json.dump(truth(), open(sys.argv[3], "w"), indent=1)
    elif sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))

#!/bin/sh
# test_catalog_prefetch.sh: the catalog's next page is asked for before the
# work its page brings (issue 15 item 4: "fetch catalog pages ahead"). A
# GetTables page queues each table's listing (and its uploads, versions);
# asked for after them, the next page waited a round trip behind them,
# page after page. With --concurrency 1 the requests go out one at a time
# in the order they were queued, so the endpoint's request log shows that
# order without any timing: the second GetTables page comes right after
# the first, before any listing of the first page's tables, and the third
# before any listing of the second's. Athena's query history
# (ListWorkGroups, ListQueryExecutions, BatchGetQueryExecution) and S3
# Tables' ListTableBuckets go beside the listing, queued with the catalog's
# first requests, not after every listing as before. The figures, and the
# query counts, stay the seed's.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME"
aws_env

# one database of 9 flat tables, each with 2 objects; --page-size 3: three
# GetTables pages
$PY - "$WORK/seed.json" <<'PYEOF'
import json, sys
tables = [{"Name": f"t{i}", "StorageDescriptor": {"Location": f"s3://pf-lake/wh/t{i}/", "Columns": []}}
          for i in range(9)]
objects = [{"key": f"wh/t{i}/part-{j}.parquet", "size": 100 * i + j, "last_modified": "2026-11-01T00:00:00Z"}
           for i in range(9) for j in range(2)]
queries = [{"WorkGroup": "primary", "Database": "pf", "Query": f"SELECT * FROM t{i % 3}", "age_seconds": 3600 * (i + 1)}
           for i in range(7)]
json.dump({"databases": [{"Name": "pf", "tables": tables}], "buckets": {"pf-lake": {"objects": objects}},
           "athena": {"workgroups": ["primary"], "queries": queries}}, open(sys.argv[1], "w"))
PYEOF
start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log" --page-size 3
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT" --concurrency 1 --once >"$WORK/once.json" 2>"$WORK/err" ||
    { notok "--once"; sed 's/^/# /' "$WORK/err" | head -5; }

$PY - "$WORK" <<'PYEOF'
import json, re, sys, urllib.parse
work = sys.argv[1]
log = [json.loads(l) for l in open(work + "/requests.log")]
seq = []  # ("tables", page) or ("list", table)
lists = [i for i, r in enumerate(log) if r.get("op") == "ListObjectsV2"]
first_list, last_list = (lists[0], lists[-1]) if lists else (-1, -1)
for op in ("ListWorkGroups", "ListTableBuckets"):
    at = [i for i, r in enumerate(log) if r.get("op") == op]
    print(("ok" if at and at[0] < first_list else "not ok")
          + f" - {op} is queued with the catalog's first requests, before any ListObjectsV2 (request {at[:1]}, listings {first_list}-{last_list})")
for op in ("ListQueryExecutions", "BatchGetQueryExecution"):
    at = [i for i, r in enumerate(log) if r.get("op") == op]
    print(("ok" if at and at[0] < last_list else "not ok")
          + f" - {op} is sent beside the listing, its first before the last ListObjectsV2 (requests {at}, listings {first_list}-{last_list})")
for r in log:
    if r.get("op") == "GetTables":
        seq.append(("tables", sum(1 for s in seq if s[0] == "tables") + 1))
    elif r.get("op") == "ListObjectsV2":
        m = re.search(r"prefix=([^&]*)", r.get("query", ""))
        t = re.match(r"wh/(t\d+)/", urllib.parse.unquote(m.group(1)) if m else "")
        if t:
            seq.append(("list", t.group(1)))
pages = [i for i, s in enumerate(seq) if s[0] == "tables"]
print(("ok" if len(pages) == 3 else "not ok") + f" - three GetTables pages of 3 tables ({len(pages)})")
for n in range(1, len(pages)):
    # the tables of page n are t{3(n-1)}..t{3n-1}: none listed before page n+1 is asked for
    mine = {f"t{i}" for i in range(3 * (n - 1), 3 * n)}
    early = [s[1] for s in seq[:pages[n]] if s[0] == "list" and s[1] in mine]
    print(("ok" if not early else "not ok")
          + f" - GetTables page {n + 1} is asked for before any listing of page {n}'s tables ({len(early)} before it)")
listed = {s[1] for s in seq if s[0] == "list"}
print(("ok" if listed == {f"t{i}" for i in range(9)} else "not ok") + f" - every table listed ({sorted(listed)})")
doc = json.load(open(work + "/once.json"))
got = {t["name"]: (t["objects"], t["bytes"]) for t in doc["tables"] if t["database"] == "pf"}
want = {f"t{i}": (2, 200 * i + 1) for i in range(9)}
print(("ok" if got == want else "not ok") + f" - the figures are the seed's ({got})")
queried = {t["name"]: t.get("queries_30d") for t in doc["tables"] if t["database"] == "pf"}
want = {f"t{i}": (3 if i == 0 else 2) if i < 3 else 0 for i in range(9)}
print(("ok" if queried == want else "not ok") + f" - the query counts are the seed's ({queried})")
PYEOF
exit $FAILED

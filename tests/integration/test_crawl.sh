#!/bin/sh
# test_crawl.sh: laketop crawl against the test endpoint's simulated
# crawlers: a good run exits 0 only once the crawler is READY again after
# running; a failing run exits 1 with its error; a running crawler, an
# unknown one and read-only mode give clear errors; --no-wait returns at
# once. The endpoint's request log shows what was sent.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
aws_env
export LAKETOP_CRAWL_POLL_MS=200
mkdir -p "$HOME"
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)"
starts() { grep -c '"op": "StartCrawler"' "$WORK/requests.log"; }

"$LAKETOP" crawl good-crawler --endpoint-url "$EP" >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && grep -q "crawler good-crawler: SUCCEEDED" "$WORK/out" &&
    ok "a good crawl exits 0 with SUCCEEDED" || { notok "good crawl (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
$PY - "$WORK/requests.log" <<'PYEOF' && ok "it was followed past RUNNING to READY (several GetCrawler polls)" || notok "followed to the end"
import json, sys
ops = [json.loads(l)["op"] for l in open(sys.argv[1])]
i = ops.index("StartCrawler")
assert ops[i + 1:].count("GetCrawler") >= 3, ops
PYEOF
"$LAKETOP" crawl events-crawler --endpoint-url "$EP" >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 1 ] && grep -q "FAILED: Insufficient Lake Formation permission" "$WORK/out" &&
    ok "a failing crawl exits 1 with its error message" || { notok "failing crawl (exit $st)"; cat "$WORK/out" | sed 's/^/# /'; }
"$LAKETOP" crawl flat-crawler --endpoint-url "$EP" >"$WORK/out" 2>&1
[ $? -eq 1 ] && grep -q "already running" "$WORK/out" && ok "a running crawler: CrawlerRunningException made clear" ||
    notok "running crawler"
"$LAKETOP" crawl nosuch --endpoint-url "$EP" >"$WORK/out" 2>&1
[ $? -eq 1 ] && grep -q "no crawler named nosuch" "$WORK/out" && ok "an unknown crawler: a clear error" ||
    notok "unknown crawler"
before=$(starts)
"$LAKETOP" crawl good-crawler --endpoint-url "$EP" --read-only >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && [ "$(starts)" -eq "$before" ] && grep -q "read-only" "$WORK/err" &&
    ok "--read-only: exit 2 and no StartCrawler sent" || notok "--read-only crawl"
"$LAKETOP" crawl good-crawler --endpoint-url "$EP" --no-wait >"$WORK/out" 2>&1
[ $? -eq 0 ] && grep -q "started" "$WORK/out" && ok "--no-wait returns once it started" || notok "--no-wait"
"$LAKETOP" crawl good-crawler --endpoint-url "$EP" >"$WORK/out" 2>&1
[ $? -eq 1 ] && grep -q "already running" "$WORK/out" && ok "... and it is then running" ||
    notok "running after --no-wait"
"$LAKETOP" crawl >/dev/null 2>&1
[ $? -eq 2 ] && ok "crawl without a NAME: exit 2" || notok "crawl without NAME"
# The local lake's crawler: directories of a zone into the catalog.
L="$WORK/lake"
"$LAKETOP" demo "$L" 2>/dev/null
cat >"$WORK/crawlers.ini" <<EOF2
[crawler landing_sales]
path = landing/sales
database = crawled
EOF2
"$LAKETOP" crawl x --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
[ $? -eq 1 ] && grep -q "no crawler named x" "$WORK/out" && ok "local: an unknown crawler is named" ||
    notok "local unknown crawler"
n_dirs=$(find "$L/landing/sales" -mindepth 1 -maxdepth 1 -type d | wc -l)
"$LAKETOP" crawl landing_sales --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
[ $? -eq 0 ] && grep -q "SUCCEEDED (tables: $n_dirs created, 0 updated, 0 deleted)" "$WORK/out" &&
    ok "local crawl: $n_dirs tables created" || { notok "local crawl"; cat "$WORK/out" | sed 's/^/# /'; }
t=$(ls "$L/catalog/crawled/" | grep -v database.json | head -n 1)
$PY - "$L/catalog/crawled/$t" "$L/landing/sales/${t%.json}" <<'PYEOF' && ok "the entry: location, classification, CSV header columns, partition keys" || notok "crawled entry"
import json, os, sys
t = json.load(open(sys.argv[1]))
d = sys.argv[2]
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if not f.startswith(("_", ".")))
assert t["StorageDescriptor"]["Location"].endswith(os.path.basename(d) + "/")
fmt = t["Parameters"]["classification"]
if fmt == "csv":
    header = open(files[0]).readline().strip().split(",")
    assert [c["Name"] for c in t["StorageDescriptor"]["Columns"]] == header, (header, t["StorageDescriptor"]["Columns"])
keys = [c.split("=")[0] for c in os.path.relpath(files[0], d).split("/")[:-1] if "=" in c]
assert [k["Name"] for k in t["PartitionKeys"]] == keys, (keys, t["PartitionKeys"])
PYEOF
"$LAKETOP" crawl landing_sales --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
grep -q "0 created, 0 updated, 0 deleted" "$WORK/out" && ok "a second crawl changes nothing" || notok "second local crawl"
mkdir -p "$L/landing/sales/returns/dt=2026-01-01"
printf 'return_id,order_id,reason\n1,2,damaged\n' >"$L/landing/sales/returns/dt=2026-01-01/part-0.csv"
"$LAKETOP" crawl landing_sales --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
grep -q "1 created, 0 updated, 0 deleted" "$WORK/out" && grep -q '"Name": "reason"' "$L/catalog/crawled/returns.json" &&
    ok "a new directory: a new table, its columns from the CSV header" || notok "new table"
# a column more in the data: the crawler updates the entry and keeps the old
# one as version 1; the JSON names the change
cp "$L/catalog/crawled/returns.json" "$WORK/returns.v1.json"
printf 'return_id,order_id,reason,refund\n1,2,damaged,9.5\n' >"$L/landing/sales/returns/dt=2026-01-01/part-0.csv"
"$LAKETOP" crawl landing_sales --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
grep -q "0 created, 1 updated, 0 deleted" "$WORK/out" && cmp -s "$WORK/returns.v1.json" "$L/catalog/crawled/versions/returns/1.json" &&
    ok "a schema change: the entry updated, the old one kept as versions/returns/1.json" ||
    { notok "schema change kept as a version"; cat "$WORK/out" | sed 's/^/# /'; ls -R "$L/catalog/crawled" | sed 's/^/# /'; }
"$LAKETOP" --lake "$L" --config "$WORK/crawlers.ini" --once >"$WORK/lake.json" 2>/dev/null
$PY - "$WORK/lake.json" "$L/catalog/crawled/returns.json" <<'PYEOF' && ok "--once: schema_changes names the added column, schema_changed_at the update" || notok "schema change in --once"
import json, sys
d = json.load(open(sys.argv[1]))
new = json.load(open(sys.argv[2]))
t = [x for x in d["tables"] if x["database"] == "crawled" and x["name"] == "returns"][0]
refund = [c for c in new["StorageDescriptor"]["Columns"] if c["Name"] == "refund"][0]
assert t["schema_changes"] == [{"change": "added", "column": "refund", "to": refund["Type"]}], t["schema_changes"]
assert t["schema_changed_at"] == new["UpdateTime"], (t["schema_changed_at"], new["UpdateTime"])
PYEOF
rm -rf "$L/landing/sales/returns"
"$LAKETOP" crawl landing_sales --lake "$L" --config "$WORK/crawlers.ini" >"$WORK/out" 2>&1
grep -q "0 created, 0 updated, 1 deleted" "$WORK/out" && [ ! -f "$L/catalog/crawled/returns.json" ] &&
    [ ! -d "$L/catalog/crawled/versions/returns" ] &&
    ok "a directory gone: its entry deleted, with its versions" || notok "deleted"
"$LAKETOP" --lake "$L" --config "$WORK/crawlers.ini" --once >"$WORK/lake.json" 2>/dev/null
$PY -c "
import json; d=json.load(open('$WORK/lake.json'))
c=[x for x in d['crawlers'] if x['name']=='landing_sales'][0]
assert c['last_crawl_status']=='SUCCEEDED' and c['state']=='READY', c
assert any(t['database']=='crawled' and t['objects'] for t in d['tables'])" &&
    ok "the crawled tables and the crawler show in --once" || notok "crawled tables in --once"
grep -q '"action":"crawl","target":"events-crawler"' "$XDG_STATE_HOME/laketop/audit.log" &&
    ok "crawls are in the audit log" || notok "audit log"

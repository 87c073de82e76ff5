#!/bin/sh
# test_cost.sh: issue 14's cost. Against the test endpoint: a table in five
# storage classes (small IA and Glacier IR objects under the 128 KiB
# minimum, Glacier and Deep Archive objects with their 40 KiB overhead,
# markers and hidden files that S3 bills too), Athena queries (one over two
# tables, a failed and a cancelled one, one under 10 MiB, one older than 30
# days, one without statistics); per table storage_classes, cost_month_usd
# and query_cost_30d_usd, the databases' sums and the top-level cost equal
# (within a millionth) what python computes here from the seed at the
# built-in and at a [prices] override; a bad [prices] key and value are
# clear errors; the local lake is all STANDARD, its sizes from os.walk.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20

# The seed and, from it alone, what each figure must be (the billing rules
# written out again here, not laketop's code).
$PY - "$WORK/seed.json" "$WORK/cases.json" <<'PYEOF'
import json, sys
KIB, MIB, GB, TB = 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4
objects = {  # table -> [(key below the location, size, class)]
    "mixed": [("dt=2025-01-01/a.parquet", 3 * MIB + 17, "STANDARD"),
              ("dt=2025-01-01/_SUCCESS", 0, "STANDARD"),
              ("dt=2025-01-01/_temporary/0/x.parquet", 4000, "STANDARD"),
              ("dt=2025-01-02/small-ia.parquet", 1000, "STANDARD_IA"),
              ("dt=2025-01-02/tiny-ia.parquet", 0, "STANDARD_IA"),
              ("dt=2025-01-02/big-ia.parquet", 700 * KIB + 3, "STANDARD_IA"),
              ("dt=2025-01-03/small-ir.parquet", 5000, "GLACIER_IR"),
              ("dt=2025-01-03/big-ir.parquet", 2 * MIB, "GLACIER_IR"),
              ("dt=2025-01-04/g1.parquet", 9 * MIB + 1, "GLACIER"),
              ("dt=2025-01-04/g2.parquet", 10, "GLACIER"),
              ("dt=2025-01-05/deep.parquet", 33 * MIB, "DEEP_ARCHIVE")],
    "plain": [(f"part-{i}.csv", 1000 * i + 7, "STANDARD") for i in range(1, 6)],
    "other": [("one.parquet", 123456, "ONEZONE_IA"), ("two.parquet", 99, "ONEZONE_IA")],
    # a Delta log (of the endpoint's filler bytes): laketop GETs it, a GET request
    "dlog": [("_delta_log/00000000000000000000.json", 300, "STANDARD"),
             ("part-0.parquet", 5000, "INTELLIGENT_TIERING")],
}
queries = [  # (sql, state, scanned bytes or None, age in days)
    ("SELECT * FROM costs.mixed", "SUCCEEDED", 123456789, 1),
    ("SELECT * FROM costs.mixed m JOIN costs.plain p ON m.id = p.id", "SUCCEEDED", 50 * MIB + 1, 2),
    ("SELECT * FROM costs.plain", "FAILED", 999999999, 3),
    ("SELECT * FROM costs.other", "CANCELLED", 3 * MIB, 4),
    ("SELECT count(*) FROM costs.other", "SUCCEEDED", 1000, 5),
    ("SELECT * FROM costs.mixed", "SUCCEEDED", 5 * GB, 40),
    ("SELECT * FROM costs.plain", "SUCCEEDED", None, 6),
]
seed = {"databases": [{"Name": "costs", "LocationUri": "s3://cost-lake/", "tables": [
    {"Name": t, "Parameters": {"classification": "parquet"},
     "StorageDescriptor": {"Location": f"s3://cost-lake/{t}/", "Columns": []}} for t in objects]}],
    "buckets": {"cost-lake": {"objects": [
        {"key": f"{t}/{k}", "size": s, "storage_class": c} for t, objs in objects.items()
        for k, s, c in objs] + [{"key": "outside/x.parquet", "size": 5 * GB, "storage_class": "GLACIER"}]}},
    "athena": {"queries": [dict({"Query": q, "Database": "costs", "State": st,
                                 "age_seconds": age * 86400},
                                **({"scanned_bytes": b} if b is not None else {}))
                           for q, st, b, age in queries]}}
json.dump(seed, open(sys.argv[1], "w"))

def storage_month(objs, price):
    usd = 0.0
    for _, size, c in objs:
        if c in ("STANDARD_IA", "ONEZONE_IA", "GLACIER_IR"):
            usd += max(size, 128 * KIB) / GB * price[c]
        elif c in ("GLACIER", "DEEP_ARCHIVE"):
            usd += (size + 32 * KIB) / GB * price[c] + 8 * KIB / GB * price["STANDARD"]
        else:
            usd += size / GB * price[c]
    return usd

def query_costs(per_tb):
    tables, total = {t: 0.0 for t in objects}, 0.0
    for sql, state, scanned, age in queries:
        if age >= 30 or scanned is None or state == "FAILED":
            continue
        mib = max(10, -(-scanned // MIB))
        usd = mib * MIB / TB * per_tb
        total += usd
        named = [t for t in objects if "costs." + t in sql]
        for t in named:
            tables[t] += usd / len(named)
    return tables, total

cases = {}
default = {"STANDARD": 0.023, "STANDARD_IA": 0.0125, "ONEZONE_IA": 0.01, "GLACIER_IR": 0.004,
           "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099, "INTELLIGENT_TIERING": 0.023}
override = dict(default, STANDARD=0.1, GLACIER=0.05, ONEZONE_IA=0.02)
for name, price, per_tb in (("default", default, 5.0), ("override", override, 7.5)):
    q, total = query_costs(per_tb)
    cases[name] = {"tables": {t: {"storage_classes": {c: sum(s for _, s, k in objs if k == c)
                                                      for c in {k for _, _, k in objs}},
                                  "cost_month_usd": storage_month(objs, price),
                                  "query_cost_30d_usd": q[t]} for t, objs in objects.items()},
                   "queries_30d_usd": total,
                   "storage_month_usd": sum(storage_month(o, price) for o in objects.values())}
json.dump(cases, open(sys.argv[2], "w"))
PYEOF

start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"

# check CASE LAKETOP.JSON [REQUEST_LOG INTERVAL LIST_PRICE GET_PRICE]: the
# figures of CASE, and the refresh cost from the endpoint's own log: its S3
# requests by S3's tiers (GET at the GET price; LIST, PUT, COPY, POST at the
# LIST price; Glue, Athena and STS not priced).
check() {
    $PY - "$WORK/cases.json" "$1" "$2" "${3:-}" "${4:-}" "${5:-}" "${6:-}" <<'PYEOF'
import json, sys
case = json.load(open(sys.argv[1]))[sys.argv[2]]
got = json.load(open(sys.argv[3]))
def near(a, b):
    return a is not None and abs(a - b) <= 1e-6 * max(abs(b), 1e-12)
tables = {t["name"]: t for t in got["tables"]}
for name, want in sorted(case["tables"].items()):
    t = tables.get(name, {})
    good = t.get("storage_classes") == want["storage_classes"]
    print(("ok" if good else "not ok") + f" - {sys.argv[2]}: {name} storage_classes {t.get('storage_classes')}, seeded {want['storage_classes']}")
    for k in ("cost_month_usd", "query_cost_30d_usd"):
        good = near(t.get(k), want[k])
        print(("ok" if good else "not ok") + f" - {sys.argv[2]}: {name} {k} {t.get(k)!r}, from the seed {want[k]!r}")
db = next(d for d in got["databases"] if d["name"] == "costs")
for k, w in (("cost_month_usd", sum(v["cost_month_usd"] for v in case["tables"].values())),
             ("query_cost_30d_usd", sum(v["query_cost_30d_usd"] for v in case["tables"].values()))):
    print(("ok" if near(db.get(k), w) else "not ok") + f" - {sys.argv[2]}: database {k} {db.get(k)!r}, the tables' sum {w!r}")
cost = got.get("cost", {})
for k in ("storage_month_usd", "queries_30d_usd"):
    print(("ok" if near(cost.get(k), case[k]) else "not ok") + f" - {sys.argv[2]}: cost.{k} {cost.get(k)!r}, from the seed {case[k]!r}")
good = cost.get("queries_without_cost") == 1
print(("ok" if good else "not ok") + f" - {sys.argv[2]}: queries_without_cost {cost.get('queries_without_cost')!r}, one seeded without statistics")
if sys.argv[4]:
    log = [json.loads(l) for l in open(sys.argv[4])]
    s3 = [r for r in log if r.get("service") == "s3"]
    # S3's LIST tier has the listings (ListMultipartUploads and ListParts too)
    listings = ("ListObjectsV2", "ListMultipartUploads", "ListParts")
    gets = sum(1 for r in s3 if r.get("method") in ("GET", "HEAD") and r.get("op") not in listings)
    deletes = sum(1 for r in s3 if r.get("method") == "DELETE")
    lists = len(s3) - gets - deletes
    want = 86400 / int(sys.argv[5]) / 1000 * (lists * float(sys.argv[6]) + gets * float(sys.argv[7]))
    v = cost.get("laketop_refresh_day_usd")
    good = (near(v, want) and cost.get("s3_list_requests") == lists and cost.get("s3_get_requests") == gets
            and lists > 0 and gets > 0)
    print(("ok" if good else "not ok") + f" - {sys.argv[2]}: laketop_refresh_day_usd {v!r} ({cost.get('s3_list_requests')} LIST, {cost.get('s3_get_requests')} GET), the endpoint logged {lists} LIST and {gets} GET of {len(log)} requests every {sys.argv[5]} s: {want!r}")
PYEOF
}

"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/default.json" 2>"$WORK/err" ||
    { notok "--once against the endpoint"; sed 's/^/# /' "$WORK/err" | head -5; }
check default "$WORK/default.json" "$WORK/requests.log" 60 0.005 0.0004 | tee "$WORK/checked"
grep -q '^not ok' "$WORK/checked" && FAILED=1

# [prices] over the built-in ones (interval 2 minutes for the refresh cost)
mkdir -p "$XDG_CONFIG_HOME/laketop"
cat >"$WORK/prices.ini" <<'EOF'
[laketop]
interval = 120s
[prices]
standard = 0.1
glacier = 0.05
onezone_ia = 0.02
athena_per_tb = 7.5
list_per_1000 = 0.01
get_per_1000 = 0.001
EOF
before=$(wc -l <"$WORK/requests.log")
"$LAKETOP" --endpoint-url "$EP" --config "$WORK/prices.ini" --once >"$WORK/override.json" 2>"$WORK/err" ||
    { notok "--once with [prices]"; sed 's/^/# /' "$WORK/err" | head -5; }
tail -n +$((before + 1)) "$WORK/requests.log" >"$WORK/requests2.log"
check override "$WORK/override.json" "$WORK/requests2.log" 120 0.01 0.001 | tee "$WORK/checked"
grep -q '^not ok' "$WORK/checked" && FAILED=1

# --format table carries $/MO, prometheus the cost metric
"$LAKETOP" --endpoint-url "$EP" --once --format table >"$WORK/table.txt" 2>/dev/null
head -1 "$WORK/table.txt" | grep -q '\$/MO' && ok "--format table has a \$/MO column" ||
    { notok "--format table has a \$/MO column"; head -3 "$WORK/table.txt" | sed 's/^/# /'; }
grep -q 'storage \$[0-9.]*/month' "$WORK/table.txt" && ok "--format table's totals say the month's storage" ||
    { notok "--format table's totals"; tail -2 "$WORK/table.txt" | sed 's/^/# /'; }
"$LAKETOP" --endpoint-url "$EP" check --format prometheus >"$WORK/prom.txt" 2>/dev/null
$PY - "$WORK/prom.txt" "$WORK/cases.json" <<'PYEOF'
import json, re, sys
want = json.load(open(sys.argv[2]))["default"]["tables"]
got = {m.group(1): float(m.group(2)) for m in re.finditer(
    r'^laketop_table_cost_month_usd\{database="costs",table="([^"]+)"\} (\S+)$', open(sys.argv[1]).read(), re.M)}
good = set(got) == set(want) and all(abs(got[t] - want[t]["cost_month_usd"]) <= 1e-6 * want[t]["cost_month_usd"] for t in want)
print(("ok" if good else "not ok") + f" - prometheus laketop_table_cost_month_usd {got}")
PYEOF

# the daily export's costs.csv (beside the job's tables.csv, whose columns stay)
"$LAKETOP" --endpoint-url "$EP" export "$WORK/export" >/dev/null 2>"$WORK/err" ||
    { notok "export"; sed 's/^/# /' "$WORK/err" | head -3; }
$PY - "$WORK/export" "$WORK/cases.json" <<'PYEOF'
import csv, glob, json, sys
want = json.load(open(sys.argv[2]))["default"]["tables"]
files = glob.glob(sys.argv[1] + "/datalake/tables/*/*/*/costs.csv")
rows = list(csv.DictReader(open(files[0], newline=""))) if len(files) == 1 else []
got = {r["TableName"]: r for r in rows if r["DatabaseName"] == "costs"}
def classes(w):
    return ";".join(f"{c}={b}" for c, b in sorted(w["storage_classes"].items(), key=lambda cb: ORDER.index(cb[0])))
ORDER = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]
good = set(got) == set(want) and all(
    abs(float(got[t]["StorageCostMonthUSD"]) - w["cost_month_usd"]) <= 1e-6 * w["cost_month_usd"]
    and abs(float(got[t]["QueryCost30DaysUSD"]) - w["query_cost_30d_usd"]) <= 1e-6 * w["query_cost_30d_usd"]
    and got[t]["StorageClasses"] == classes(w) for t, w in want.items())
print(("ok" if good else "not ok") + f" - export costs.csv: {files} {[(r['TableName'], r['StorageCostMonthUSD'], r['StorageClasses']) for r in rows]}")
PYEOF

# a bad [prices]: exit 2 with the file and line
printf '[prices]\nStandard = 0.1\n' >"$WORK/bad.ini"
"$LAKETOP" --endpoint-url "$EP" --config "$WORK/bad.ini" --once >/dev/null 2>"$WORK/err"
st=$?
[ $st -eq 2 ] && grep -qF "$WORK/bad.ini:2: unknown key \"Standard\" in [prices]" "$WORK/err" &&
    ok "an upper-case [prices] key: exit 2, bad.ini:2: unknown key" ||
    { notok "an upper-case [prices] key: exit $st"; sed 's/^/# /' "$WORK/err" | head -3; }
printf '[prices]\nglacier = cheap\n' >"$WORK/bad.ini"
"$LAKETOP" --endpoint-url "$EP" --config "$WORK/bad.ini" --once >/dev/null 2>"$WORK/err"
st=$?
[ $st -eq 2 ] && grep -qF "$WORK/bad.ini:2: glacier: \"cheap\" is not a price in USD" "$WORK/err" &&
    ok "a [prices] value that is not a number: exit 2 with the reason" ||
    { notok "a [prices] value that is not a number: exit $st"; sed 's/^/# /' "$WORK/err" | head -3; }

# The local lake: everything STANDARD, sizes from the files themselves
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1
"$LAKETOP" --lake "$LAKE" --once >"$WORK/local.json" 2>/dev/null
$PY - "$LAKE" "$WORK/local.json" <<'PYEOF'
import json, os, sys
lake, got = sys.argv[1], json.load(open(sys.argv[2]))
bad = []
total = 0.0
for t in got["tables"]:
    top = os.path.join(lake, t["location"])
    size = sum(os.lstat(os.path.join(d, f)).st_size for d, _, fs in os.walk(top) for f in fs
               if os.path.isfile(os.path.join(d, f)) and not os.path.islink(os.path.join(d, f)))
    files = sum(len(fs) for _, _, fs in os.walk(top))
    want = {"STANDARD": size} if files else {}
    usd = size / 1024 ** 3 * 0.023
    total += usd
    if t["storage_classes"] != want or abs(t["cost_month_usd"] - usd) > 1e-6 * max(usd, 1e-12):
        bad.append((t["database"], t["name"], t["storage_classes"], want, t["cost_month_usd"], usd))
print(("ok" if not bad else "not ok") + f" - local lake: {len(got['tables'])} tables all STANDARD at their os.walk sizes {bad[:2]}")
c = got["cost"]
good = abs(c["storage_month_usd"] - total) <= 1e-6 * total and c["laketop_refresh_day_usd"] is None
print(("ok" if good else "not ok") + f" - local lake: storage_month_usd {c['storage_month_usd']!r} = {total!r}, no refresh cost (null)")
PYEOF
exit $FAILED

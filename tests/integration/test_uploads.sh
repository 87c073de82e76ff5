#!/bin/sh
# test_uploads.sh: issue 14's hidden cost, incomplete multipart uploads.
# Against the test endpoint at --page-size 2 (so ListMultipartUploads and
# ListParts both take several pages): uploads under two tables (one with
# five parts, a key with a space, an IA and a Glacier IR one), one under a
# sibling prefix (tbl_old/ must not count for tbl/), one outside any
# table, a table without any, one with 105 (the parts of 100 are listed:
# the bytes are theirs, marked partial). Per table, --once JSON's incomplete_uploads,
# incomplete_upload_bytes, oldest_incomplete_upload and
# incomplete_upload_cost_month_usd equal what python computes from the
# seed; awscli (botocore) reads the same uploads and parts from the
# endpoint; the requests are billed at the LIST price; the Prometheus
# metric; with the calls denied the figures are null with the reason and
# the tables' other figures stand; the local lake says 0.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
AWS=/usr/bin/aws

$PY - "$WORK/seed.json" "$WORK/want.json" <<'PYEOF'
import calendar, json, sys
MIB, GB = 1024 ** 2, 1024 ** 3
tables = ["tbl", "tbl_old", "other", "clean", "many"]
uploads = [  # (key, upload id, initiated, class, part sizes)
    ("wh/tbl/dt=2026-01-01/a b.parquet", "u1", "2026-10-01T08:00:00Z", "STANDARD",
     [5 * MIB, 5 * MIB, 5 * MIB, 5 * MIB, 123]),
    ("wh/tbl/dt=2026-01-01/a b.parquet", "u2", "2026-11-20T08:00:00Z", "STANDARD", [7 * MIB]),
    ("wh/tbl/dt=2026-01-02/c.parquet", "u3", "2026-11-30T00:00:00Z", "STANDARD_IA", []),
    ("wh/tbl_old/x.parquet", "u4", "2025-01-01T00:00:00Z", "STANDARD", [9 * MIB]),
    ("wh/other/y.parquet", "u5", "2026-06-15T12:00:00Z", "GLACIER_IR", [6 * MIB, 1000]),
    ("scratch/z.bin", "u6", "2024-01-01T00:00:00Z", "STANDARD", [50 * MIB]),
] + [  # past the 100 uploads a table whose parts are listed
    (f"wh/many/f{i:03d}.parquet", f"m{i}", "2026-09-01T00:00:00Z", "STANDARD", [10 + i]) for i in range(105)
]
PARTS_MAX = 100
seed = {"databases": [{"Name": "up", "LocationUri": "s3://up-lake/wh/", "tables": [
    {"Name": t, "Parameters": {"classification": "parquet"},
     "StorageDescriptor": {"Location": f"s3://up-lake/wh/{t}/", "Columns": []}} for t in tables]}],
    "buckets": {"up-lake": {
        "objects": [{"key": f"wh/{t}/part-0.parquet", "size": 1000 + i} for i, t in enumerate(tables)],
        "uploads": [{"key": k, "upload_id": u, "initiated": at, "storage_class": c, "parts": p}
                    for k, u, at, c, p in uploads]}}}
json.dump(seed, open(sys.argv[1], "w"))
price = {"STANDARD": 0.023, "STANDARD_IA": 0.0125, "GLACIER_IR": 0.004}
want = {}
for t in tables:
    mine = sorted((u for u in uploads if u[0].startswith(f"wh/{t}/")), key=lambda u: (u[0].encode(), u[2]))
    oldest = min((u[2] for u in mine), default=None)
    listed = mine[:PARTS_MAX]  # the bytes: of the first 100 (in S3's order)
    want[t] = {"incomplete_uploads": len(mine),
               "incomplete_upload_bytes": sum(sum(u[4]) for u in listed),
               "partial": len(mine) > PARTS_MAX,
               "listed": [u[0] + "\t" + u[1] for u in listed],
               "incomplete_upload_cost_month_usd": sum(sum(u[4]) / GB * price[u[3]] for u in listed),
               "oldest_incomplete_upload": oldest and oldest.replace("Z", "").split(".")[0],
               "objects": 1, "bytes": 1000 + tables.index(t)}
json.dump({"tables": want, "uploads": [list(u) for u in uploads]}, open(sys.argv[2], "w"))
PYEOF

start_endpoint main --seed "$WORK/seed.json" --page-size 2 --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"

# awscli (botocore's parser, its own paginator) reads what the seed has
"$AWS" --endpoint-url "$EP" s3api list-multipart-uploads --bucket up-lake --prefix wh/tbl/ \
    --output json >"$WORK/cli_uploads.json" 2>"$WORK/err" || { notok "aws s3api list-multipart-uploads"; sed 's/^/# /' "$WORK/err" | head -5; }
"$AWS" --endpoint-url "$EP" s3api list-parts --bucket up-lake --key "wh/tbl/dt=2026-01-01/a b.parquet" \
    --upload-id u1 --output json >"$WORK/cli_parts.json" 2>"$WORK/err" || { notok "aws s3api list-parts"; sed 's/^/# /' "$WORK/err" | head -5; }
$PY - "$WORK/want.json" "$WORK/cli_uploads.json" "$WORK/cli_parts.json" <<'PYEOF'
import json, sys
want = json.load(open(sys.argv[1]))["uploads"]
try:
    got = json.load(open(sys.argv[2])).get("Uploads", [])
    parts = json.load(open(sys.argv[3])).get("Parts", [])
except ValueError:
    got, parts = [], []
mine = [(k, u, c) for k, u, _, c, _ in want if k.startswith("wh/tbl/")]
seen = [(g["Key"], g["UploadId"], g["StorageClass"]) for g in got]
print(("ok" if seen == mine else "not ok") + f" - awscli list-multipart-uploads --prefix wh/tbl/ (pages of 2): {seen}, seeded {mine}")
sizes = [p["Size"] for p in parts]
numbers = [p["PartNumber"] for p in parts]
print(("ok" if sizes == want[0][4] and numbers == [1, 2, 3, 4, 5] else "not ok")
      + f" - awscli list-parts (pages of 2): sizes {sizes}, seeded {want[0][4]}")
PYEOF

# laketop's requests alone: the log from here on
before=$(wc -l <"$WORK/requests.log")
"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/once.json" 2>"$WORK/err" ||
    { notok "--once against the endpoint"; sed 's/^/# /' "$WORK/err" | head -5; }
tail -n +$((before + 1)) "$WORK/requests.log" >"$WORK/laketop.log"
$PY - "$WORK/want.json" "$WORK/once.json" "$WORK/laketop.log" <<'PYEOF'
import json, sys
want = json.load(open(sys.argv[1]))["tables"]
got = {t["name"]: t for t in json.load(open(sys.argv[2]))["tables"] if t["database"] == "up"}
for name, w in sorted(want.items()):
    t = got.get(name, {})
    for k in ("incomplete_uploads", "incomplete_upload_bytes", "objects", "bytes"):
        print(("ok" if t.get(k) == w[k] else "not ok") + f" - {name} {k} {t.get(k)!r}, from the seed {w[k]!r}")
    o = t.get("oldest_incomplete_upload")
    good = (o is None and w["oldest_incomplete_upload"] is None) or (
        o is not None and w["oldest_incomplete_upload"] is not None and o.startswith(w["oldest_incomplete_upload"]))
    print(("ok" if good else "not ok") + f" - {name} oldest_incomplete_upload {o!r}, seeded {w['oldest_incomplete_upload']!r}")
    c, wc = t.get("incomplete_upload_cost_month_usd"), w["incomplete_upload_cost_month_usd"]
    good = c is not None and abs(c - wc) <= 1e-6 * max(wc, 1e-12)
    print(("ok" if good else "not ok") + f" - {name} incomplete_upload_cost_month_usd {c!r}, from the seed {wc!r}")
    good = t.get("incomplete_uploads_error") is None and t.get("incomplete_upload_bytes_partial") is w["partial"]
    print(("ok" if good else "not ok") + f" - {name}: no uploads error, incomplete_upload_bytes_partial {w['partial']}")
log = [json.loads(l) for l in open(sys.argv[3])]
ops = [r.get("op") for r in log]
n_up, n_parts = ops.count("ListMultipartUploads"), ops.count("ListParts")
# per table ceil(uploads / 2) pages (at least 1); per upload ceil(parts / 2) pages (at least 1)
up = json.load(open(sys.argv[1]))["uploads"]
pages = sum(max(1, -(-w["incomplete_uploads"] // 2)) for w in want.values())
listed = {x for w in want.values() for x in w["listed"]}
part_pages = sum(max(1, -(-len(p) // 2)) for k, u, _, _, p in up if k + "\t" + u in listed)
print(("ok" if (n_up, n_parts) == (pages, part_pages) else "not ok")
      + f" - requests: {n_up} ListMultipartUploads, {n_parts} ListParts; pages of 2 make {pages} and {part_pages}")
PYEOF

# billed at the LIST price: s3_list_requests counts them (the endpoint's log)
$PY - "$WORK/once.json" "$WORK/laketop.log" <<'PYEOF'
import json, sys
cost = json.load(open(sys.argv[1]))["cost"]
log = [json.loads(l) for l in open(sys.argv[2])]
s3 = [r for r in log if r.get("service") == "s3" and r.get("op") != "GetObject" and r.get("method") != "DELETE"]
print(("ok" if cost.get("s3_list_requests") == len(s3) else "not ok")
      + f" - s3_list_requests {cost.get('s3_list_requests')!r}: the endpoint logged {len(s3)} LIST-priced requests")
PYEOF

"$LAKETOP" --endpoint-url "$EP" check --format prometheus >"$WORK/prom.txt" 2>/dev/null
$PY - "$WORK/prom.txt" "$WORK/want.json" <<'PYEOF'
import json, re, sys
want = json.load(open(sys.argv[2]))["tables"]
got = {m.group(1): int(float(m.group(2))) for m in re.finditer(
    r'^laketop_table_incomplete_upload_bytes\{database="up",table="([^"]+)"\} (\S+)$', open(sys.argv[1]).read(), re.M)}
w = {t: v["incomplete_upload_bytes"] for t, v in want.items()}
print(("ok" if got == w else "not ok") + f" - prometheus laketop_table_incomplete_upload_bytes {got}, seeded {w}")
PYEOF
stop_fixture main

# denied: the figures are unknown, with the reason; the rest stands
start_endpoint denied --seed "$WORK/seed.json" --uploads-denied
PORT=$(wait_port denied) || { notok "endpoint (denied) started"; exit 1; }
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT" --once >"$WORK/denied.json" 2>"$WORK/err" ||
    { notok "--once with uploads denied"; sed 's/^/# /' "$WORK/err" | head -5; }
$PY - "$WORK/want.json" "$WORK/denied.json" <<'PYEOF'
import json, sys
want = json.load(open(sys.argv[1]))["tables"]
got = {t["name"]: t for t in json.load(open(sys.argv[2]))["tables"] if t["database"] == "up"}
bad = []
for name, w in want.items():
    t = got.get(name, {})
    if (t.get("incomplete_uploads") is not None or t.get("incomplete_upload_bytes") is not None
            or t.get("incomplete_upload_cost_month_usd") is not None
            or "AccessDenied" not in (t.get("incomplete_uploads_error") or "")
            or t.get("objects") != w["objects"] or t.get("bytes") != w["bytes"] or t.get("error") is not None):
        bad.append((name, {k: t.get(k) for k in ("incomplete_uploads", "incomplete_uploads_error", "objects", "error")}))
print(("ok" if not bad and len(got) == len(want) else "not ok")
      + f" - uploads denied: null figures with AccessDenied, objects and bytes stand {bad}")
PYEOF
stop_fixture denied

# The local lake: nothing can be left there, 0
"$LAKETOP" demo "$WORK/lake" >/dev/null 2>&1
"$LAKETOP" --lake "$WORK/lake" --once >"$WORK/local.json" 2>/dev/null
$PY - "$WORK/local.json" <<'PYEOF'
import json, sys
ts = json.load(open(sys.argv[1]))["tables"]
bad = [t["name"] for t in ts if (t["incomplete_uploads"], t["incomplete_upload_bytes"],
                                t["incomplete_upload_cost_month_usd"]) != (0, 0, 0)]
print(("ok" if ts and not bad else "not ok") + f" - local lake: {len(ts)} tables with 0 incomplete uploads {bad[:3]}")
PYEOF
exit $FAILED

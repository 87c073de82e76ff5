#!/bin/sh
# test_hostile.sh: wrong answers from the service never loop and are never
# taken as data (issue 10 items 7, 16 and 9), through the test endpoint's
# --hostile OP=MODE[*N]: a repeated page token ends its listing with an
# error on its row, in a bounded number of requests (GetDatabases,
# GetTables, GetPartitions, ListObjectsV2, Athena, a sync's and a backup's
# listings); an <Error>, an HTML page or a cut body inside a 200 gives the
# service's code and message or "the answer to OP is not XML", and is
# retried (*N: the retry then gives the exact figures); a CopyObject
# answered 200 with <Error> is a failed copy; a short or corrupt download
# is an error naming the object, its partial file removed, and the re-run
# copies it. Runs that looped before run under `timeout 60`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20

# The seed: two databases, five tables (one partitioned, 12 days), pages of
# 5 (so every listing has several pages); the truth comes from the seed.
$PY - "$WORK/seed.json" "$WORK/truth.json" <<'PYEOF'
import json, sys
objs = [{"key": f"orders/dt=2026-01-{d:02d}/part-{i}.parquet", "size": 1000 + d * 10 + i,
         "last_modified": f"2026-01-{d:02d}T01:00:00Z"} for d in range(1, 13) for i in range(3)]
objs += [{"key": f"items/part-{i}.csv", "size": 500 + i, "last_modified": "2026-01-05T00:00:00Z"}
         for i in range(7)]
sd = lambda loc: {"Location": loc, "Columns": [{"Name": "a", "Type": "string"}]}
tables = {"shop": [{"Name": "orders", "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                    "StorageDescriptor": sd("s3://lake/orders/"), "Parameters": {"classification": "parquet"},
                    "partition_count": 12, "partition_start": "2026-01-01"},
                   {"Name": "items", "StorageDescriptor": sd("s3://lake/items/"),
                    "Parameters": {"classification": "csv"}}],
          "other": [{"Name": f"t{i}", "StorageDescriptor": sd("s3://lake/items/"),
                     "Parameters": {"classification": "csv"}} for i in range(3)]}
json.dump({"databases": [{"Name": d, "tables": t} for d, t in tables.items()],
           "buckets": {"lake": {"objects": objs}, "dest": {"objects": []}}}, open(sys.argv[1], "w"))
truth = {}
for d, ts in tables.items():
    for t in ts:
        prefix = t["StorageDescriptor"]["Location"][len("s3://lake/"):]
        mine = [o for o in objs if o["key"].startswith(prefix)]
        truth[f"{d}.{t['Name']}"] = {"objects": len(mine), "bytes": sum(o["size"] for o in mine),
                                     "partitions": len({o["key"].split("/")[1] for o in mine}) if "PartitionKeys" in t else 0,
                                     "catalog_partitions": t.get("partition_count")}
json.dump(truth, open(sys.argv[2], "w"))
PYEOF

# check.py: what a --once JSON says, against the truth or a pattern.
cat >"$WORK/check.py" <<'PYEOF'
import json, sys
what, path = sys.argv[1], sys.argv[2]
try:
    doc = json.load(open(path))
except ValueError:
    print("# no JSON"); sys.exit(1)
truth = json.load(open(sys.argv[0].replace("check.py", "truth.json")))
rows = {f"{t['database']}.{t['name']}": t for t in doc["tables"]}
dbs = {d["name"]: d for d in doc["databases"]}
bad = []
if what == "exact":  # every table's figures are the seed's, no error anywhere
    for name, want in truth.items():
        got = rows.get(name)
        if got is None:
            bad.append(f"{name} missing"); continue
        for k, v in want.items():
            if got.get(k) != v:
                bad.append(f"{name}.{k} = {got.get(k)}, the seed says {v}")
        if got.get("error"):
            bad.append(f"{name}: {got['error']}")
    for name, d in dbs.items():
        if d.get("error"):
            bad.append(f"database {name}: {d['error']}")
        if d.get("tables") != sum(1 for n in truth if n.startswith(name + ".")):
            bad.append(f"database {name}: tables = {d.get('tables')}")
elif what in ("table", "database"):  # table|database NAME PATTERN: its error has PATTERN
    name, pattern = sys.argv[3], sys.argv[4]
    row = (rows if what == "table" else dbs).get(name)
    error = (row or {}).get("error") or ""
    if pattern not in error:
        bad.append(f"{what} {name}: error {error!r} lacks {pattern!r}")
elif what == "tables":  # tables PATTERN: every table's error has it
    for name in truth:
        error = (rows.get(name) or {}).get("error") or ""
        if sys.argv[3] not in error:
            bad.append(f"{name}: error {error!r} lacks {sys.argv[3]!r}")
elif what == "field":  # field TABLE KEY VALUE (JSON)
    got = (rows.get(sys.argv[3]) or {}).get(sys.argv[4], "absent")
    if got != json.loads(sys.argv[5]):
        bad.append(f"{sys.argv[3]}.{sys.argv[4]} = {got!r}, wanted {sys.argv[5]}")
elif what == "top":  # top KEY PATTERN: a top-level string has it
    if sys.argv[4] not in (doc.get(sys.argv[3]) or ""):
        bad.append(f"{sys.argv[3]} = {doc.get(sys.argv[3])!r} lacks {sys.argv[4]!r}")
for b in bad[:6]:
    print("#", b)
sys.exit(1 if bad else 0)
PYEOF
# check WHAT ARGS...: about the last --once run's JSON.
check() {
    _w=$1
    shift
    $PY "$WORK/check.py" "$_w" "$J" "$@"
}

N=0
# hostile MODE...: a fresh endpoint answering wrongly as told; EP, LOG.
hostile() {
    N=$((N + 1))
    [ -n "${EP_NAME:-}" ] && stop_fixture "$EP_NAME"
    EP_NAME=ep$N
    LOG="$WORK/requests$N.log"
    set -- $(for h in "$@"; do printf -- '--hostile %s ' "$h"; done)
    start_endpoint "$EP_NAME" --seed "$WORK/seed.json" --page-size 5 --request-log "$LOG" "$@"
    EP="http://127.0.0.1:$(wait_port "$EP_NAME")"
}
# once NAME: --once under timeout 60 into WORK/NAME.json and .err; ST its status.
once() {
    J="$WORK/$1.json"
    timeout 60 "$LAKETOP" --endpoint-url "$EP" --once >"$J" 2>"$WORK/$1.err"
    ST=$?
}
# requests OP: how many OP requests the endpoint answered (its log is
# written just after each answer: a moment for the last one).
requests() { sleep 0.2; grep -c "\"op\": \"$1\"" "$LOG"; }
# bounded WHAT N OP MAX: the run ended (not killed by the timeout) in at
# most MAX OP requests.
bounded() {
    got=$(requests "$3")
    [ "$ST" -ne 124 ] && [ "$got" -le "$4" ] && ok "$1: ended (exit $ST) after $got $3 requests" ||
        notok "$1: exit $ST (124: killed by the timeout) after $got $3 requests"
}
diag() { sed 's/^/# /' "$@" | head -5; }

# ---- item 7: a repeated page token ends its listing ---------------------------
hostile GetTables=repeat-token
once gt
bounded "GetTables repeating its token" "$ST" GetTables 20
[ "$ST" -eq 1 ] && check database shop "repeated page token" && check database other "repeated page token" &&
    ok "... exit 1, each database's row says \"repeated page token\"" || { notok "GetTables repeat: rows"; diag "$WORK/gt.err"; }

hostile ListObjectsV2=repeat-token
once lo
bounded "ListObjectsV2 repeating its token" "$ST" ListObjectsV2 50
[ "$ST" -eq 1 ] && check tables "ListObjectsV2: repeated page token" &&
    ok "... exit 1, every table's row says \"repeated page token\"" || { notok "ListObjectsV2 repeat: rows"; diag "$WORK/lo.err"; }

hostile GetPartitions=repeat-token
once gp
bounded "GetPartitions repeating its token" "$ST" GetPartitions 20
check table shop.orders "repeated page token" && check field shop.orders catalog_partitions null &&
    ok "... the table's row says so, its partition count unknown (null)" || { notok "GetPartitions repeat"; diag "$WORK/gp.err"; }

hostile GetDatabases=repeat-token
once gd
bounded "GetDatabases repeating its token" "$ST" GetDatabases 10
[ "$ST" -ne 0 ] && grep -q "GetDatabases: repeated page token" "$WORK/gd.err" &&
    ok "... the refresh fails saying so" || { notok "GetDatabases repeat"; diag "$WORK/gd.err"; }

hostile ListQueryExecutions=repeat-token
once aq
bounded "Athena ListQueryExecutions repeating its token" "$ST" ListQueryExecutions 10
check top queries_error "ListQueryExecutions: repeated page token" &&
    ok "... the query counts are unknown, queries_error says why" || { notok "Athena repeat"; diag "$WORK/aq.err"; }

# a backup's catalog dump and a sync's listing
hostile GetTables=repeat-token
timeout 60 "$LAKETOP" --endpoint-url "$EP" backup "$WORK/backup2" >"$WORK/bk.out" 2>&1
ST=$?
bounded "a backup's GetTables repeating its token" "$ST" GetTables 10
[ "$ST" -ne 0 ] && grep -q "repeated page token" "$WORK/bk.out" && ok "... the backup fails saying so" ||
    { notok "backup repeat (exit $ST)"; diag "$WORK/bk.out"; }

cat >"$WORK/config" <<EOF
[zone s3]
uri = s3://lake/
role = storing
[zone local]
uri = $WORK/down/
role = user
[zone s3dest]
uri = s3://dest/copy/
role = user
[sync down]
from = s3
to = local
prefix = items/
[sync copy]
from = s3
to = s3dest
prefix = items/
EOF
sync() { timeout 60 "$LAKETOP" --config "$WORK/config" --endpoint-url "$EP" sync "$@" >"$WORK/sync.out" 2>&1; ST=$?; }
hostile ListObjectsV2=repeat-token
sync down
bounded "a sync's ListObjectsV2 repeating its token" "$ST" ListObjectsV2 10
[ "$ST" -ne 0 ] && grep -q "ListObjectsV2: repeated page token" "$WORK/sync.out" && ok "... the sync fails saying so" ||
    { notok "sync listing repeat (exit $ST)"; diag "$WORK/sync.out"; }

# ---- item 16: errors inside a 200 ----------------------------------------------
hostile ListObjectsV2=error-200
once e200
[ "$ST" -eq 1 ] && check tables "InternalError (inside an HTTP 200 answer to ListObjectsV2): We encountered an internal error" &&
    ok "ListObjectsV2: an <Error> in a 200 gives S3's code and message on every row" || { notok "error-200 rows"; diag "$WORK/e200.err"; }
n=$(requests ListObjectsV2)
[ "$n" -gt 5 ] && [ "$n" -le 100 ] && ok "... InternalError is retried: $n requests for the 5 listings" ||
    notok "error-200: $n ListObjectsV2 requests for 5 listings"
hostile 'ListObjectsV2=error-200*4'
once e200r
[ "$ST" -eq 0 ] && check exact && ok "... and after 4 of them the retries give the exact figures" ||
    { notok "error-200*4 retried (exit $ST)"; check exact; diag "$WORK/e200r.err"; }

hostile ListObjectsV2=html-200
once html
[ "$ST" -eq 1 ] && check tables 'the answer to ListObjectsV2 is not XML or JSON: an HTML page titled "502 Bad Gateway"' &&
    ok "ListObjectsV2: an HTML page in a 200 is named as such on every row" || { notok "html-200 rows"; diag "$WORK/html.err"; }
hostile 'ListObjectsV2=html-200*4'
once htmlr
[ "$ST" -eq 0 ] && check exact && ok "... retried: the exact figures after 4 of them" ||
    { notok "html-200*4 retried (exit $ST)"; check exact; }

hostile ListObjectsV2=bad-200
once cut
[ "$ST" -eq 1 ] && check tables "the answer to ListObjectsV2 is not XML: it ends before its </ListBucketResult>" &&
    ok "ListObjectsV2: XML cut in half is named as such on every row" || { notok "bad-200 rows"; diag "$WORK/cut.err"; }
hostile 'ListObjectsV2=bad-200*4'
once cutr
[ "$ST" -eq 0 ] && check exact && ok "... retried: the exact figures after 4 of them" ||
    { notok "bad-200*4 retried (exit $ST)"; check exact; }

hostile GetTables=error-200
once gte
[ "$ST" -eq 1 ] && check database shop "InternalServiceException (inside an HTTP 200 answer to GetTables): an error inside a 200" &&
    ok "GetTables: a Glue error object in a 200 gives its code and message on the database's row" || { notok "GetTables error-200"; diag "$WORK/gte.err"; }
hostile 'GetTables=error-200*2'
once gter
[ "$ST" -eq 0 ] && check exact && ok "... retried: the exact figures after 2 of them" ||
    { notok "GetTables error-200*2 retried (exit $ST)"; check exact; }
hostile GetTables=bad-200
once gtc
[ "$ST" -eq 1 ] && check database shop "the answer to GetTables is not JSON" &&
    ok "GetTables: JSON cut in half is named as such on the database's row" || { notok "GetTables bad-200"; diag "$WORK/gtc.err"; }

hostile GetPartitions=error-200
once gpe
check table shop.orders "InternalServiceException (inside an HTTP 200 answer to GetPartitions)" &&
    check field shop.orders catalog_partitions null &&
    ok "GetPartitions: a failure is on its table's row, the count unknown (was: 0)" || { notok "GetPartitions error-200"; diag "$WORK/gpe.err"; }

hostile CopyObject=error-200
sync copy
[ "$ST" -eq 1 ] && grep -q "InternalError (inside an HTTP 200 answer to CopyObject)" "$WORK/sync.out" &&
    grep -q "after 0 copied" "$WORK/sync.out" &&
    ok "CopyObject: an <Error> in a 200 is a failed copy, and none is counted as copied" || { notok "CopyObject error-200 (exit $ST)"; diag "$WORK/sync.out"; }
hostile 'CopyObject=error-200*3'
sync copy
dest=$(/usr/bin/aws --endpoint-url "$EP" s3api list-objects-v2 --bucket dest --prefix copy/items/ \
    --query 'Contents[].Key' --output text 2>/dev/null | wc -w)
[ "$ST" -eq 0 ] && grep -q "copied 7 objects" "$WORK/sync.out" && [ "$dest" = 7 ] &&
    ok "... retried: 7 copied, 7 at the destination (awscli)" || { notok "CopyObject error-200*3 (exit $ST, $dest at the destination)"; diag "$WORK/sync.out"; }

# ---- item 9: a short or corrupt download is not a copy ---------------------------
# files_ok: every downloaded file has the listing's size and its MD5 is the ETag (awscli).
files_ok() {
    /usr/bin/aws --endpoint-url "$EP" s3api list-objects-v2 --bucket lake --prefix items/ \
        --query 'Contents[].[Key,Size,ETag]' --output text 2>/dev/null | tr -d '"' | sort >"$WORK/listed.txt"
    [ "$(wc -l <"$WORK/listed.txt")" -eq 7 ] || return 1
    while read -r key size etag; do
        f="$WORK/down/$key"
        [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ] && [ "$(md5sum <"$f" | cut -d' ' -f1)" = "$etag" ] || return 1
    done <"$WORK/listed.txt"
}
no_files() { [ -z "$(find "$WORK/down" -type f 2>/dev/null)" ]; }
for mode in short-body corrupt-body; do
    rm -rf "$WORK/down"
    hostile "GetObject=$mode*1"
    sync down
    case $mode in short-body) why="10 bytes came, the listing says 500" ;; *) why="the object's ETag is" ;; esac
    [ "$ST" -eq 1 ] && grep -q "get s3://lake/items/part-0.csv: .*$why" "$WORK/sync.out" && no_files &&
        ok "GetObject $mode: exit 1 naming the object ($why), no file put in place, no partial left" ||
        { notok "GetObject $mode (exit $ST)"; diag "$WORK/sync.out"; find "$WORK/down" -type f | sed 's/^/# /'; }
    sync down
    [ "$ST" -eq 0 ] && grep -q "copied 7 objects" "$WORK/sync.out" && files_ok &&
        ok "... the re-run copies all 7, sizes and MD5s equal to the listing (awscli)" ||
        { notok "GetObject $mode re-run (exit $ST)"; diag "$WORK/sync.out"; }
done
exit $FAILED

#!/bin/sh
# test_listing_ranges.sh: issue 15 item 4, a full refresh close to the
# floor. On a bench-like lake on the test endpoint (daily partitions of 110
# objects: two tables of 6,600 objects, four of 1,100, keys with spaces,
# '+', '%' and UTF-8), a second full listing (--once --full after a first
# --once) fetches no key twice (every ListObjectsV2 page's keys, as the
# endpoint's request log gives its first and last, are disjoint from every
# other page's of the table, and the pages' keys add up to the lake's
# objects), sends at most about one listing request per 1,000 objects plus
# one per table, and gives the figures python computes from the seed; a
# third run, from the ranges kept on disk, the same; after keys are deleted
# and added under the kept ranges, the figures are still exact.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env

$PY - "$WORK/seed.json" "$WORK/expect.json" <<'PYEOF'
import datetime, json, sys
tables, generate, objects, expect = [], [], [], {}
specs = [("big0", 60), ("big1", 60)] + [(f"small{i}", 10) for i in range(4)]
for name, nparts in specs:
    tables.append({"Name": name, "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                   "Parameters": {"classification": "parquet"},
                   "StorageDescriptor": {"Location": f"s3://lake/{name}/", "Columns": []}})
    sizes = [1000 + len(name), 7, 123456]
    generate.append({"prefix": f"{name}/dt=", "partitions": nparts, "objects_per_partition": 110,
                     "sizes": sizes, "start": "2025-01-01"})
    keys = {}
    for p in range(nparts):
        day = (datetime.date(2025, 1, 1) + datetime.timedelta(days=p)).isoformat()
        for j in range(110):
            keys[f"{name}/dt={day}/part-{j:05d}.parquet"] = sizes[j % 3]
    # keys that need escaping, in an old partition and in one past the generated ones
    for k, key in enumerate([f"{name}/dt=2025-01-05/a file+with %25 and é.parquet",
                             f"{name}/dt=2025-01-05/zz+%.parquet",
                             f"{name}/dt=2030-01-01/näive key.parquet"]):
        objects.append({"key": key, "size": 11 + k, "last_modified": "2025-06-01T00:00:00Z"})
        keys[key] = 11 + k
    parts = {key.split("/")[1] for key in keys}
    expect[name] = {"objects": len(keys), "bytes": sum(keys.values()), "partitions": len(parts)}
json.dump({"databases": [{"Name": "lake", "tables": tables}],
           "buckets": {"lake": {"generate": generate, "objects": objects}}}, open(sys.argv[1], "w"))
json.dump(expect, open(sys.argv[2], "w"))
PYEOF

start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"

# run N [ARGS]: laketop --once, its JSON in WORK/runN.json, its requests in WORK/runN.log
run() {
    n=$1
    shift
    : >"$WORK/requests.log"
    "$LAKETOP" --endpoint-url "$EP" --once "$@" >"$WORK/run$n.json" 2>"$WORK/run$n.err"
    rc=$?
    cp "$WORK/requests.log" "$WORK/run$n.log"
    return $rc
}

# figures N: the run's figures equal python's from the seed
figures() {
    $PY - "$WORK/run$1.json" "$WORK/expect.json" <<'PYEOF'
import json, sys
got = {t["name"]: t for t in json.load(open(sys.argv[1]))["tables"]}
want = json.load(open(sys.argv[2]))
bad = [(n, k, got.get(n, {}).get(k), v) for n, w in want.items() for k, v in w.items()
       if got.get(n, {}).get(k) != v]
for b in bad:
    print("# %s %s: laketop %s, seed %s" % b)
sys.exit(1 if bad else 0)
PYEOF
}

# pages N: no key twice, every key once, and a bound on the listing requests
pages() {
    $PY - "$WORK/run$1.log" "$WORK/expect.json" <<'PYEOF'
import json, math, sys
want = json.load(open(sys.argv[2]))
recs = [json.loads(line) for line in open(sys.argv[1])]
lists = [r for r in recs if r["op"] == "ListObjectsV2"]
by_table, ok = {}, True
for r in lists:
    if r.get("keys"):
        by_table.setdefault(r["first_key"].split("/")[0], []).append(r)
for name, w in want.items():
    pages = sorted(by_table.get(name, []), key=lambda r: r["first_key"])
    keys = sum(r["keys"] for r in pages)
    for a, b in zip(pages, pages[1:]):
        if b["first_key"] <= a["last_key"]:
            print(f"# {name}: pages {a['first_key']}..{a['last_key']} and {b['first_key']}..{b['last_key']} overlap")
            ok = False
    if keys != w["objects"]:
        print(f"# {name}: pages returned {keys} keys, the table has {w['objects']}")
        ok = False
bound = sum(math.ceil(w["objects"] / 1000) for w in want.values()) * 1.1 + len(want)
print(f"# {len(lists)} ListObjectsV2 requests, bound {bound:.1f}")
sys.exit(0 if ok and len(lists) <= bound else 1)
PYEOF
}

expect "a first --once runs" run 1
expect "the first --once's figures are the seed's" figures 1
expect "a second, full --once runs" run 2 --full
expect "the full listing's figures are the seed's" figures 2
expect "the full listing fetches no key twice and about one request a 1,000 objects plus one a table" pages 2
kept() { [ -n "$(find "$WORK/state" -name ranges.tsv -size +0)" ]; }
expect "the ranges are kept in the state directory" kept
expect "a third --once --full runs" run 3 --full
expect "its figures are the seed's" figures 3
expect "it too fetches no key twice, in as few requests" pages 3

# the lake changes under the kept ranges: a partition of big0 deleted (keys
# that were bounds among them), 500 keys added inside one of its ranges and
# a new partition; the next full listing is exact (a range that grew takes a
# second page)
change() {
    $PY - "$EP" "$KEY" "$SECRET" "$WORK/expect.json" <<'PYEOF'
import json, sys
import botocore.session
c = botocore.session.get_session().create_client(
    "s3", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
want = json.load(open(sys.argv[4]))
w = want["big0"]
sizes = [1000 + len("big0"), 7, 123456]
for j in range(110):  # dt=2025-01-20 goes
    c.delete_object(Bucket="lake", Key=f"big0/dt=2025-01-20/part-{j:05d}.parquet")
    w["objects"] -= 1
    w["bytes"] -= sizes[j % 3]
w["partitions"] -= 1
for j in range(500):  # 500 more in dt=2025-01-10, one of the ranges
    c.put_object(Bucket="lake", Key=f"big0/dt=2025-01-10/zz-{j:05d}.parquet", Body=b"x" * 5)
    w["objects"] += 1
    w["bytes"] += 5
c.put_object(Bucket="lake", Key="big0/dt=2025-01-10x/new.parquet", Body=b"y" * 9)
w["objects"] += 1
w["bytes"] += 9
w["partitions"] += 1
json.dump(want, open(sys.argv[4], "w"))
PYEOF
}
expect "the lake changes (botocore)" change
expect "a fourth --once --full runs" run 4 --full
expect "its figures are the changed lake's" figures 4
expect "a fifth --once --full, from the ranges of the changed lake, runs" run 5 --full
expect "its figures are the changed lake's" figures 5
expect "it fetches no key twice again" pages 5

# what is kept is swept only when the catalog was read whole: on the same
# endpoint address (the state directory is the account's, named by it), a
# refresh whose GetTables fails keeps every table's bounds; one whose
# catalog lacks small3 drops its bounds and keeps the rest
ranges_tables() { # the tables named in ranges.tsv, one a line
    find "$WORK/state" -name ranges.tsv -exec cut -f1,2 {} + | sort -u | tr '\t' .
}
restart() { # restart ARGS: the endpoint again on $PORT, with ARGS
    stop_fixture main
    i=0
    while kill -0 "$(cat "$WORK/main.pid")" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    rm -f "$WORK/main.port"
    start_endpoint main --port "$PORT" "$@"
    wait_port main >/dev/null
}
before=$(ranges_tables | wc -l)
restart --seed "$WORK/seed.json" --fail-rate 1 --fault-ops GetTables
"$LAKETOP" --endpoint-url "$EP" --once >/dev/null 2>&1
after=$(ranges_tables | wc -l)
[ "$before" -eq 6 ] && [ "$after" -eq "$before" ] &&
    ok "a refresh that could not read the catalog keeps every table's bounds ($after of 6)" ||
    notok "bounds after an unread catalog: $before tables before, $after after"
$PY - "$WORK/seed.json" "$WORK/seed2.json" <<'PYEOF'
import json, sys
seed = json.load(open(sys.argv[1]))
db = seed["databases"][0]
db["tables"] = [t for t in db["tables"] if t["Name"] != "small3"]
json.dump(seed, open(sys.argv[2], "w"))
PYEOF
restart --seed "$WORK/seed2.json"
"$LAKETOP" --endpoint-url "$EP" --once >/dev/null 2>&1
left=$(ranges_tables | tr '\n' ' ')
[ "$left" = "lake.big0 lake.big1 lake.small0 lake.small1 lake.small2 " ] &&
    ok "a table dropped from the catalog loses its bounds, the others keep theirs" ||
    notok "bounds after small3 was dropped: $left"
stop_fixture main
exit $FAILED

#!/bin/sh
# test_incremental.sh: issue 15 item 2, incremental listings of a
# partitioned table on the test endpoint (a "files" lake on disk, re-read by
# the endpoint before every S3 request, its page size 10). With
# flat_below = 0 (and verify_every, recent_partitions of its [database]
# and [table] sections over [laketop]'s): a second --once of the unchanged lake sends at most a
# tenth of the first one's ListObjectsV2 requests and gives the same
# figures; a new partition, a new file in the newest one and a deleted
# partition are exact at once; a file written into an old partition is
# counted once verify_every has passed (LAKETOP_NOW moved on, no sleeping);
# provenance says incremental (and since when verified) or listed; --full
# lists everything again; pages that fail and are retried change nothing.
# Every expected figure is python's, from the files.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
LAKE="$WORK/lake"
NOW0=$(date -u +%s)
iso() { $PY -c 'import datetime,sys; print(datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"; }

# 100 partitions of 20 files and a _SUCCESS marker, mtimes fixed
$PY - "$LAKE" "$WORK/seed.json" <<'PYEOF'
import json, os, sys
lake = sys.argv[1]
for p in range(100):
    d = os.path.join(lake, "events", f"dt=d{p:03d}")
    os.makedirs(d)
    for k in range(20):
        f = os.path.join(d, f"part-{k:02d}.csv")
        open(f, "w").write("x" * (p * 7 + k + 1))
        os.utime(f, (1700000000 + p * 3600 + k, 1700000000 + p * 3600 + k))
    open(os.path.join(d, "_SUCCESS"), "w").close()
seed = {"databases": [{"Name": "inc", "LocationUri": "s3://inc-lake/", "tables": [
    {"Name": "events", "Parameters": {"classification": "csv"},
     "PartitionKeys": [{"Name": "dt", "Type": "string"}],
     "StorageDescriptor": {"Location": "s3://inc-lake/events/", "Columns": []}}]}],
    "buckets": {"inc-lake": {"objects": []}},
    "files": [{"bucket": "inc-lake", "prefix": "", "dir": lake}]}
json.dump(seed, open(sys.argv[2], "w"))
PYEOF

start_endpoint main --seed "$WORK/seed.json" --page-size 10 --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"
cat >"$WORK/config.ini" <<'EOF2'
[laketop]
flat_below = 0
recent_partitions = 50
verify_every = 1w
[database inc]
verify_every = 5m
recent_partitions = 20
[table inc.events]
recent_partitions = 3
EOF2
: >"$WORK/requests.log"

# once NAME NOW [ARGS]: --once at NOW into NAME.json, its ListObjectsV2
# requests in NAME.lists
once() {
    _n=$1
    _t=$2
    shift 2
    _before=$(wc -l <"$WORK/requests.log")
    LAKETOP_NOW=$(iso "$_t") "$LAKETOP" --endpoint-url "$EP" --config "$WORK/config.ini" --once "$@" \
        >"$WORK/$_n.json" 2>"$WORK/$_n.err" || { notok "--once $_n"; sed 's/^/# /' "$WORK/$_n.err" | head -5; }
    tail -n +$((_before + 1)) "$WORK/requests.log" >"$WORK/$_n.log"
    grep -c '"ListObjectsV2"' "$WORK/$_n.log" >"$WORK/$_n.lists"
}

# check NAME KIND VERIFIED [SKIP_FILE]: the figures of NAME.json are those of
# the files (SKIP_FILE left out: written where laketop has not looked yet),
# its provenance KIND, verified at VERIFIED (epoch)
check() {
    $PY - "$LAKE" "$WORK/$1.json" "$1" "$2" "$3" "${4:-}" <<'PYEOF'
import datetime, json, os, sys
lake, got, name, kind, verified, skip = sys.argv[1:7]
objects = size = markers = every = 0
newest = -1
parts = set()
for root, _, files in os.walk(os.path.join(lake, "events")):
    for f in files:
        path = os.path.join(root, f)
        if path == skip:
            continue
        every += os.stat(path).st_size  # S3 bills markers too: storage_classes
        if f.startswith("_") or f.startswith("."):
            markers += 1
            continue
        st = os.stat(path)
        objects += 1
        size += st.st_size
        newest = max(newest, int(st.st_mtime))
        parts.add(os.path.basename(root))
t = next(t for t in json.load(open(got))["tables"] if t["name"] == "events")
iso = lambda e: datetime.datetime.fromtimestamp(e, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
want = {"objects": objects, "bytes": size, "marker_objects": markers, "partitions": len(parts),
        "newest_object": iso(newest), "storage_classes": {"STANDARD": every}}
have = {k: t.get(k) for k in want}
print(("ok" if have == want else "not ok") + f" - {name}: figures {have}, from the files {want}")
p = t.get("provenance", {})
good = p.get("kind") == kind and p.get("verified_at") == iso(int(verified))
print(("ok" if good else "not ok") + f" - {name}: provenance {p}, want {kind} verified at {iso(int(verified))}")
PYEOF
}
run_check() { check "$@" | tee "$WORK/checked"; grep -q '^not ok' "$WORK/checked" && FAILED=1; }

once first "$NOW0"
run_check first listed "$NOW0"
# requests_by_kind (issue 15 item 5) against the endpoint's own log of the run
$PY - "$WORK/first.log" "$WORK/first.json" <<'PYEOF'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
jobs = {"GetJobs", "GetJobRuns", "GetJobRun", "StartJobRun", "GetTriggers"}
want = {"listing": 0, "catalog": 0, "metadata": 0, "athena": 0, "pipeline": 0, "inventory": 0, "other": 0}
for r in log:
    svc, op = r.get("service"), r.get("op")
    if svc == "s3" and r.get("method") not in ("GET", "HEAD"):
        want["other"] += 1
    elif svc == "s3":
        want["listing" if op in ("ListObjectsV2", "ListMultipartUploads", "ListParts") else "metadata"] += 1
    elif svc == "glue":
        want["pipeline" if op in jobs else "catalog"] += 1
    elif svc == "s3tables":  # the table buckets' catalog
        want["catalog"] += 1
    elif svc == "athena":
        want["athena"] += 1
    elif svc == "states":
        want["pipeline"] += 1
    else:  # sts: who the keys are
        want["other"] += 1
doc = json.load(open(sys.argv[2]))
got = doc.get("requests_by_kind")
print(("ok" if got == want else "not ok") + f" - first: requests_by_kind {got}, the endpoint logged {want}")
total = sum((got or {}).values())
print(("ok" if total == doc.get("requests") == len(log) else "not ok")
      + f" - first: the kinds add up to requests ({total}, {doc.get('requests')}; the endpoint logged {len(log)})")
PYEOF
once second "$NOW0"
run_check second incremental "$NOW0"
a=$(cat "$WORK/first.lists") b=$(cat "$WORK/second.lists")
[ "$a" -ge 100 ] && [ $((b * 10)) -le "$a" ] &&
    ok "an unchanged lake: $b ListObjectsV2 requests after $a (at most a tenth)" ||
    notok "an unchanged lake: $b ListObjectsV2 requests after $a (at most a tenth)"
state=$(find "$XDG_STATE_HOME" -name incremental.tsv | head -n 1)
[ -n "$state" ] && head -n 1 "$state" | grep -q '^laketop-incremental 1$' &&
    ok "the state file is kept beside the history" || notok "the state file is kept beside the history"

# changes: a new partition, a file in the newest, a deleted partition, a
# file written into an old one
$PY - "$LAKE" <<'PYEOF'
import os, shutil, sys
ev = os.path.join(sys.argv[1], "events")
os.makedirs(os.path.join(ev, "dt=d100"))
for name, n in (("dt=d100/part-00.csv", 11), ("dt=d100/part-01.csv", 12), ("dt=d099/late.csv", 13),
                ("dt=d010/backfill.csv", 14)):
    f = os.path.join(ev, name)
    open(f, "w").write("y" * n)
    os.utime(f, (1800000000 + n, 1800000000 + n))
shutil.rmtree(os.path.join(ev, "dt=d050"))
PYEOF
once third "$NOW0"
run_check third incremental "$NOW0" "$LAKE/events/dt=d010/backfill.csv"
# verify_every (5m) has passed: every old partition listed again
LATER=$((NOW0 + 600))
once fourth "$LATER"
run_check fourth listed "$LATER"
once fifth "$LATER" --full
run_check fifth listed "$LATER"
c=$(cat "$WORK/fifth.lists")
[ "$c" -ge $((a * 9 / 10)) ] && ok "--full lists everything again: $c ListObjectsV2 requests (first: $a)" ||
    notok "--full lists everything again: $c ListObjectsV2 requests (first: $a)"
# a minute on: the recent ones and a fifth of the rest (a minute of 5m)
# listed, the others verified at LATER
once sixth $((LATER + 60))
run_check sixth incremental "$LATER"
d=$(cat "$WORK/sixth.lists")
[ "$d" -gt "$b" ] && [ $((d * 3)) -lt "$c" ] &&
    ok "a minute later a share is verified again: $d ListObjectsV2 requests" ||
    notok "a minute later a share is verified again: $d ListObjectsV2 requests (unchanged: $b, full: $c)"
# pages that fail and are sent again (the same port: the same state file):
# the kept and the listed figures still add up exactly
stop_fixture main
wait "$(cat "$WORK/main.pid")" 2>/dev/null
start_endpoint faulty --seed "$WORK/seed.json" --page-size 10 --port "$PORT" \
    --fault-ops ListObjectsV2 --fail-rate 0.3 --request-log "$WORK/requests.log"
wait_port faulty >/dev/null || { notok "endpoint (faults) started"; exit 1; }
before=$(wc -l <"$WORK/requests.log")
once seventh $((LATER + 60))
tail -n +$((before + 1)) "$WORK/requests.log" | $PY -c '
import json, sys
n = sum(1 for l in sys.stdin if (r := json.loads(l)).get("op") == "ListObjectsV2" and r.get("status", 0) >= 500)
print(("ok" if n > 0 else "not ok") + f" - seventh: {n} ListObjectsV2 pages failed and were sent again")'
run_check seventh incremental "$LATER"
status_is 2 "$LAKETOP" --endpoint-url "$EP" --full >/dev/null 2>"$WORK/stderr" &&
    stderr_has "--full goes with --once" && ok "--full without --once is refused" ||
    notok "--full without --once is refused"
printf '[laketop]\nverify_every = 0\n' >"$WORK/bad.ini"
status_is 2 "$LAKETOP" --endpoint-url "$EP" --config "$WORK/bad.ini" --once >/dev/null 2>"$WORK/stderr" &&
    stderr_has 'verify_every: "0" is not a duration' && ok "verify_every = 0 is refused" ||
    notok "verify_every = 0 is refused"
exit $FAILED

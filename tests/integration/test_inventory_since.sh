#!/bin/sh
# test_inventory_since.sh: issue 15 item 3, between two S3 Inventory
# reports. A partitioned table (events, dt=) and a flat one (dims) in a
# bucket served from files; the report (tests/helpers/inventory_writer.py)
# written from the files as they were at its time. Then a new partition, a
# file in the newest partition of the report and a deleted partition:
#  (a) the first --once's figures equal the files' (python, os.walk) and a
#      plain listing's; (b) the deleted partition is gone;
#  (e) provenance inventory: events as_of the run's time, verified_at the
#      report's, inventory_date its day; dims as of the report;
#  (c) a second --once with the same newest report fetches nothing from the
#      inventory's bucket but the date listing (no data file, no manifest)
#      and gives the same figures;
#  (d) a newer report (holding a file written into an old partition, which
#      no listing since the first report looks at) is read;
#  (f) a table dropped from the catalog leaves the state file.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$WORK/inv"
aws_env
export LAKETOP_RETRY_BASE_MS=20
LAKE="$WORK/lake"
epoch() { $PY -c 'import calendar,sys,time; print(calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")))' "$1"; }
R1=2026-12-01T01-00Z R2=2026-12-02T01-00Z
R1_AT=$(epoch 2026-12-01T01:00:00Z) R2_AT=$(epoch 2026-12-02T01:00:00Z)

# files FILE MTIME SIZE: one file of SIZE bytes, its time MTIME (epoch)
$PY - "$LAKE" "$WORK" <<'PYEOF'
import json, os, sys
lake, work = sys.argv[1:3]
t0 = 1795969800  # 2026-11-29T16:30Z: d009 (t0 + 9 h) is being written a day before the first report, d008 is done
for p in range(10):
    d = os.path.join(lake, "events", f"dt=d{p:03d}")
    os.makedirs(d)
    for k in range(5):
        f = os.path.join(d, f"part {k}+x.csv")
        open(f, "w").write("x" * (p * 11 + k + 1))
        os.utime(f, (t0 + p * 3600 + k, t0 + p * 3600 + k))
    open(os.path.join(d, "_SUCCESS"), "w").close()
    os.utime(os.path.join(d, "_SUCCESS"), (t0, t0))
os.makedirs(os.path.join(lake, "dims"))
for k in range(3):
    f = os.path.join(lake, "dims", f"d{k}.csv")
    open(f, "w").write("y" * (100 + k))
    os.utime(f, (t0 + k, t0 + k))
def seed(tables):
    return {"databases": [{"Name": "inc", "LocationUri": "s3://inc-lake/", "tables": [
        {"Name": t, "Parameters": {"classification": "csv"},
         "PartitionKeys": [{"Name": "dt", "Type": "string"}] if t == "events" else [],
         "StorageDescriptor": {"Location": f"s3://inc-lake/{t}/", "Columns": []}} for t in tables]}],
        "buckets": {"inc-lake": {"objects": []}},
        "files": [{"bucket": "inc-lake", "prefix": "", "dir": lake},
                  {"bucket": "inv", "prefix": "", "dir": work + "/inv"}]}
json.dump(seed(["events", "dims"]), open(work + "/seed.json", "w"))
json.dump(seed(["events"]), open(work + "/seed_dropped.json", "w"))
PYEOF

# report DATE: an inventory report of the files as they are now
report() {
    $PY - "$LAKE" "$WORK/report_seed.json" <<'PYEOF'
import datetime, json, os, sys
lake, out = sys.argv[1:3]
objs = []
for root, _, files in os.walk(lake):
    for f in files:
        path = os.path.join(root, f)
        st = os.stat(path)
        objs.append({"key": os.path.relpath(path, lake), "size": st.st_size,
                     "last_modified": datetime.datetime.fromtimestamp(int(st.st_mtime), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
json.dump({"buckets": {"inc-lake": {"objects": objs}}}, open(out, "w"))
PYEOF
    $PY "$HELPERS/inventory_writer.py" "$WORK/report_seed.json" "$WORK/inv" inc-lake cfg --date "$1" >/dev/null ||
        notok "inventory_writer $1"
}
report "$R1"

# what changed after the report: a new partition, a file in the newest one
# of the report, a partition deleted
$PY - "$LAKE" <<'PYEOF'
import os, shutil, sys
lake = sys.argv[1]
later = 1796104800  # 2026-12-01T06:00Z, after the report
d = os.path.join(lake, "events", "dt=d010")
os.makedirs(d)
for k in range(3):
    f = os.path.join(d, f"new-{k}.csv")
    open(f, "w").write("z" * (500 + k))
    os.utime(f, (later + k, later + k))
f = os.path.join(lake, "events", "dt=d009", "late.csv")
open(f, "w").write("w" * 777)
os.utime(f, (later + 10, later + 10))
shutil.rmtree(os.path.join(lake, "events", "dt=d003"))
PYEOF

start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"
printf '[laketop]\ninventory = s3://inv/inc-lake/cfg/\nrecent_partitions = 2\n' >"$WORK/inv.ini"
: >"$WORK/plain.ini"
: >"$WORK/requests.log"

# once NAME NOW CONFIG [ARGS]: --once at NOW (epoch) into NAME.json, the
# requests it sent in NAME.log
once() {
    _n=$1 _t=$2 _c=$3
    shift 3
    _before=$(wc -l <"$WORK/requests.log")
    LAKETOP_NOW=$($PY -c 'import datetime,sys; print(datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$_t") \
        XDG_STATE_HOME="${ONCE_STATE:-$XDG_STATE_HOME}" "$LAKETOP" --endpoint-url "$EP" --config "$WORK/$_c" --once "$@" \
        >"$WORK/$_n.json" 2>"$WORK/$_n.err" || { notok "--once $_n"; sed 's/^/# /' "$WORK/$_n.err" | head -5; }
    tail -n +$((_before + 1)) "$WORK/requests.log" >"$WORK/$_n.log"
}

# check NAME NOW REPORT_AT DAY DATA_GETS [TABLES]: NAME.json's figures are the
# files', its provenance as said above, and it fetched DATA_GETS inventory
# data files
check() {
    $PY - "$LAKE" "$WORK" "$@" <<'PYEOF'
import datetime, json, os, sys
lake, work, name, now, report_at, day, data_gets = sys.argv[1:8]
tables = sys.argv[8].split(",") if len(sys.argv) > 8 else ["events", "dims"]
now, report_at, data_gets = int(now), int(report_at), int(data_gets)
iso = lambda e: datetime.datetime.fromtimestamp(e, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
try:
    got = {t["name"]: t for t in json.load(open(f"{work}/{name}.json"))["tables"]}
except (ValueError, KeyError):
    got = {}
for table in tables:
    objects = size = markers = 0
    newest, parts = -1, set()
    for root, _, files in os.walk(os.path.join(lake, table)):
        for f in files:
            st = os.stat(os.path.join(root, f))
            if f[:1] in "_.":
                markers += 1
                continue
            objects += 1
            size += st.st_size
            newest = max(newest, int(st.st_mtime))
            if table == "events":
                parts.add(os.path.basename(root))
    want = {"objects": objects, "bytes": size, "marker_objects": markers, "partitions": len(parts),
            "newest_object": iso(newest)}
    t = got.get(table, {})
    have = {k: t.get(k) for k in want}
    print(("ok" if have == want else "not ok") + f" - {name}: {table} figures {have}, from the files {want}")
    p = t.get("provenance") or {}
    as_of = now if table == "events" else report_at
    wp = {"kind": "inventory", "as_of": iso(as_of), "verified_at": iso(report_at), "inventory_date": day}
    hp = {k: p.get(k) for k in wp}
    print(("ok" if hp == wp else "not ok") + f" - {name}: {table} provenance {hp}, want {wp}")
log = [json.loads(l) for l in open(f"{work}/{name}.log")]
data = [r for r in log if r.get("op") == "GetObject" and "/cfg/data/" in r.get("path", "")]
print(("ok" if len(data) == data_gets else "not ok") + f" - {name}: {len(data)} inventory data files fetched, want {data_gets}")
doc = json.load(open(f"{work}/{name}.json"))
kinds = doc.get("requests_by_kind") or {}
print(("ok" if kinds.get("inventory") == len(data) else "not ok")
      + f" - {name}: requests_by_kind.inventory {kinds.get('inventory')}, the data files fetched {len(data)}")
print(("ok" if sum(kinds.values()) == doc.get("requests") == len(log) else "not ok")
      + f" - {name}: the kinds add up to requests ({sum(kinds.values())}, {doc.get('requests')}, the endpoint logged {len(log)})")
ops = {}
for r in log:
    ops[r.get("op")] = ops.get(r.get("op"), 0) + 1
print(f"# {name}: {len(log)} requests: {dict(sorted(ops.items()))}")
PYEOF
}
run_check() { check "$@" | tee "$WORK/checked"; grep -q '^not ok' "$WORK/checked" && FAILED=1; }

T1=$((R1_AT + 11 * 3600))
once first "$T1" inv.ini
run_check first "$T1" "$R1_AT" 2026-12-01 2
# (b) the deleted partition: not in the figures, and gone from the state
state=$(find "$XDG_STATE_HOME" -name incremental.tsv | head -n 1)
if [ -n "$state" ] && ! grep -q 'dt=d003' "$state" && grep -q 'dt=d010' "$state" &&
    grep -q "^T	inc	events	inc-lake/events/	[0-9]*	$R1	$R1_AT\$" "$state"; then
    ok "the state keeps the report's date beside the table; d003 (deleted) dropped, d010 (new) kept"
else
    notok "the state file after the first run"
    sed 's/^/# /' "${state:-/dev/null}" | head -5
fi
# the same figures as a plain listing (a state of its own)
ONCE_STATE="$WORK/state_plain"
once plain "$T1" plain.ini
ONCE_STATE=
$PY - "$WORK/first.json" "$WORK/plain.json" <<'PYEOF'
import json, sys
a, b = ({t["name"]: t for t in json.load(open(f))["tables"]} for f in sys.argv[1:3])
for table in ("events", "dims"):
    for k in ("objects", "bytes", "marker_objects", "partitions", "newest_object", "s3_objects", "s3_bytes"):
        x, y = a.get(table, {}).get(k), b.get(table, {}).get(k)
        print(("ok" if x == y and x is not None else "not ok") + f" - {table} {k}: since the report {x!r}, a plain listing {y!r}")
PYEOF

# (c) the same newest report: not read again
T2=$((T1 + 600))
once second "$T2" inv.ini
run_check second "$T2" "$R1_AT" 2026-12-01 0
$PY - "$WORK/second.log" <<'PYEOF'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
inv = [r for r in log if r.get("path", "").startswith("/inv/") or r.get("path") == "/inv"]
ops = sorted({r.get("op") for r in inv})
print(("ok" if len(inv) == 1 and ops == ["ListObjectsV2"] else "not ok")
      + f" - second: the inventory's bucket asked only for its dates ({len(inv)} requests: {ops})")
PYEOF

# (d) a newer report, with a file written into an old partition before it
$PY - "$LAKE" <<'PYEOF'
import os, sys
f = os.path.join(sys.argv[1], "events", "dt=d001", "rewritten.csv")
open(f, "w").write("v" * 4321)
os.utime(f, (1796140800, 1796140800))  # 2026-12-01T16:00Z
PYEOF
report "$R2"
T3=$((R2_AT + 3600))
once third "$T3" inv.ini
run_check third "$T3" "$R2_AT" 2026-12-02 2
# --full reads the same report again
T4=$((T3 + 600))
once full "$T4" inv.ini --full
run_check full "$T4" "$R2_AT" 2026-12-02 2

# (f) dims dropped from the catalog (the endpoint again on the same port,
# so that the state file is the same): its state goes
stop_fixture main
_i=0
while kill -0 "$(cat "$WORK/main.pid")" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
grep -q '^T	inc	dims	' "$state" && ok "dims is in the state before it is dropped" ||
    notok "dims is in the state before it is dropped"
start_fixture again aws_endpoint.py --port "$PORT" --seed "$WORK/seed_dropped.json" --request-log "$WORK/requests.log"
wait_port again >/dev/null || { notok "endpoint started again"; exit 1; }
once dropped "$((T4 + 600))" inv.ini
run_check dropped "$((T4 + 600))" "$R2_AT" 2026-12-02 0 events
if grep -q '^T	inc	dims	' "$state"; then
    notok "a table dropped from the catalog is pruned from the state file"
else
    grep -q '^T	inc	events	' "$state" && ok "a table dropped from the catalog is pruned from the state file (events kept)" ||
        notok "events kept in the state file"
fi
exit $FAILED

#!/bin/sh
# test_inventory_athena.sh: issue 15 item 3 through Athena. The report
# (CSV.gz and the hive/dt=.../symlink.txt, written by tests/helpers/
# inventory_writer.py from the seed's objects, served as bucket "inv") is
# aggregated by the endpoint's Athena, whose queries sqlite3 executes
# (tests/fixtures/aws_athena_sql.py: never by matching the text). With
# athena_workgroup set, per table, --once JSON's objects, bytes,
# marker_objects, partitions, newest_object, s3_objects and s3_bytes equal
# python's figures from the seed (the listing's rules written again here)
# and a plain listing's, with tricky keys (spaces, +, %, UTF-8, =), sibling
# prefixes (tbl/ and tbl_old/), a nested table (longest location wins), a
# hidden directory and markers; laketop sends StartQueryExecution and reads
# none of the data files (Athena does); the second --once run sends no
# query (the same report's figures are kept); the JSON's "inventory" says the
# query's scanned bytes (the data files' bytes, from the files themselves)
# and their price; a FAILED query (an injected one, and a report whose data
# file is gone: HIVE_CANNOT_OPEN_SPLIT) gives inventory_error with its reason and
# the tables are listed instead; the dashboard quit while the query runs
# stops it (StopQueryExecution); bad config values are refused.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$WORK/inv"
aws_env
export LAKETOP_RETRY_BASE_MS=20 LAKETOP_ATHENA_POLL_MS=10

$PY "$HELPERS/inventory_athena_seed.py" "$WORK"
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" inv-lake cfg --date 2026-12-01T01-00Z >/dev/null

# --page-size 3: GetQueryResults answers in pages of 3 rows (and listings too)
start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log" --page-size 3
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
start_endpoint failing --seed "$WORK/seed.json" --athena-fail "HIVE_BAD_DATA: injected by the test"
FPORT=$(wait_port failing) || { notok "endpoint (failing Athena) started"; exit 1; }

printf '[laketop]\ninventory = s3://inv/inv-lake/cfg/\nathena_workgroup = lake\nathena_output = s3://results/laketop/\n' >"$WORK/athena.ini"
: >"$WORK/plain.ini"
run() { # run NAME CONFIG PORT
    "$LAKETOP" --config "$2" --endpoint-url "http://127.0.0.1:$3" --once >"$WORK/$1.json" 2>"$WORK/err" ||
        { notok "--once, $1"; sed 's/^/# /' "$WORK/err" | head -5; }
}
run listed "$WORK/plain.ini" "$PORT"
n0=$(wc -l <"$WORK/requests.log")
run athena "$WORK/athena.ini" "$PORT"
n1=$(wc -l <"$WORK/requests.log")
run again "$WORK/athena.ini" "$PORT"
n2=$(wc -l <"$WORK/requests.log")
run failed "$WORK/athena.ini" "$FPORT"
# the data files' bytes, what Athena scans (from the files themselves)
cat "$WORK"/inv/inv-lake/cfg/data/*.csv.gz | wc -c >"$WORK/data_bytes"
# a broken report: a data file its symlink.txt names is gone (Athena FAILS).
# A fresh state: with the state of the runs above, the same report is not
# queried again (its figures are kept, aws_inventory_apply.c)
rm -f "$WORK/inv/inv-lake/cfg/data/0001.csv.gz"
XDG_STATE_HOME="$WORK/state-broken" run broken "$WORK/athena.ini" "$PORT"
tail -n +$((n0 + 1)) "$WORK/requests.log" | head -n $((n1 - n0)) >"$WORK/athena.log"
tail -n +$((n1 + 1)) "$WORK/requests.log" | head -n $((n2 - n1)) >"$WORK/again.log"

$PY - "$WORK" "$HELPERS" <<'PYEOF'
import calendar, glob, json, os, sys, time
work = sys.argv[1]
wants = json.load(open(work + "/want.json"))
want, want_listed = wants["inventory"], wants["listed"]
sys.path.insert(0, sys.argv[2])
from once_json import epoch, tables
load = lambda name: tables(work, name)
listed, _ = load("listed")
athena, doc = load("athena")
again, again_doc = load("again")
failed, failed_doc = load("failed")
broken, broken_doc = load("broken")
for t, w in sorted(want.items()):
    for run, got, w in (("listing", listed, want_listed[t]), ("Athena", athena, want[t]),
                        ("Athena, second run", again, want[t]), ("Athena FAILED, listed", failed, want_listed[t]),
                        ("broken report, listed", broken, want_listed[t])):
        g = got.get(t, {})
        for k in ("objects", "bytes", "marker_objects", "partitions", "s3_objects", "s3_bytes", "storage_classes"):
            print(("ok" if g.get(k) == w[k] else "not ok") + f" - {run}: {t} {k} {g.get(k)!r}, from the seed {w[k]!r}")
        n = epoch(g.get("newest_object"))
        print(("ok" if n == w["newest"] else "not ok") + f" - {run}: {t} newest_object {g.get('newest_object')!r}, from the seed {w['newest']}")
    if want[t] == want_listed[t]:  # not a table with another inside
        # the storage's price (the billing minimums and archive overheads
        # counted per object: 128 KiB for IA, +40 KiB for GLACIER/DEEP_ARCHIVE)
        a, b = athena.get(t, {}).get("cost_month_usd"), listed.get(t, {}).get("cost_month_usd")
        print(("ok" if a is not None and a == b else "not ok") + f" - {t} cost_month_usd: Athena {a!r}, listing {b!r}")
    p = athena.get(t, {}).get("provenance") or {}
    # a flat table is as of the report; the partitioned one was listed since
    # (its new and newest directories), the rest verified by the report
    report = calendar.timegm((2026, 12, 1, 1, 0, 0))
    when = epoch(p.get("verified_at") if t == "tbl" else p.get("as_of"))  # tbl: partitioned
    good = p.get("kind") == "inventory" and when == report
    print(("ok" if good else "not ok") + f" - {t} provenance inventory of the report: {p}")
    p = failed.get(t, {}).get("provenance") or {}
    print(("ok" if p.get("kind") == "listed" else "not ok") + f" - FAILED query: {t} listed instead ({p.get('kind')!r})")
e = broken_doc.get("inventory_error") or ""
print(("ok" if "HIVE_CANNOT_OPEN_SPLIT" in e and "0001.csv.gz" in e else "not ok")
      + f" - a report whose data file is gone: Athena's reason in inventory_error ({e!r})")
e = doc.get("inventory_error")
print(("ok" if e is None else "not ok") + f" - no inventory_error through Athena ({e!r})")
e = failed_doc.get("inventory_error") or ""
print(("ok" if "HIVE_BAD_DATA: injected by the test" in e and "FAILED" in e else "not ok")
      + f" - a FAILED query's reason in inventory_error ({e!r})")
log = [json.loads(l) for l in open(work + "/athena.log")]
starts = [r for r in log if r.get("op") == "StartQueryExecution"]
kinds = [r.get("athena_kind") for r in starts]
print(("ok" if kinds == ["CREATE", "CREATE", "ALTER", "SELECT"] else "not ok")
      + f" - first run: CREATE DATABASE, CREATE TABLE, ADD PARTITION, the aggregate SELECT ({kinds})")
created = [r.get("athena_created") for r in starts[:3]]
print(("ok" if created == [True, True, True] else "not ok") + f" - first run created the database, table and partition ({created})")
data = [r for r in log if r.get("op") == "GetObject" and "/data/" in r.get("path", "")]
print(("ok" if not data else "not ok") + f" - laketop read no data file itself ({len(data)} GetObject of data/)")
# only the partitioned table is listed since the report (its directories,
# then its newest ones); the flat tables take the report's figures
lists = [r for r in log if r.get("op") == "ListObjectsV2" and r.get("path", "").startswith("/inv-lake")]
flat = [r for r in lists if "prefix=wh%2Ftbl%2F" not in r.get("query", "") and "prefix=wh/tbl/" not in r.get("query", "")]
print(("ok" if lists and not flat else "not ok") + f" - only the partitioned table listed since the report ({len(lists)} ListObjectsV2 of inv-lake, {len(flat)} elsewhere)")
polls = [r for r in log if r.get("op") == "GetQueryExecution"]
print(("ok" if len(polls) >= 2 * len(starts) else "not ok") + f" - every query polled to its end ({len(polls)} GetQueryExecution)")
res = [r for r in log if r.get("op") == "GetQueryResults"]
# the header, a row per flat table (3), tbl's root keys and its 4 top-level
# directories (dt=2026-01-01/ to -03/ and _temporary/)
rows = 1 + 3 + 1 + 4
print(("ok" if len(res) == -(-rows // 3) else "not ok") + f" - GetQueryResults read page after page ({len(res)} pages of 3 for {rows} rows)")
log2 = [json.loads(l) for l in open(work + "/again.log")]
s2 = [r for r in log2 if r.get("op") == "StartQueryExecution"]
print(("ok" if not s2 else "not ok")
      + f" - second --once run: the same report is not queried again ({[r.get('athena_kind') for r in s2]})")
size = int(open(work + "/data_bytes").read())
inv = doc.get("inventory") or {}
print(("ok" if inv.get("athena_scanned_bytes") == size else "not ok")
      + f" - JSON inventory.athena_scanned_bytes {inv.get('athena_scanned_bytes')!r} = the data files' {size} bytes")
billed = max(10 << 20, -(-size // (1 << 20)) * (1 << 20))
print(("ok" if inv.get("athena_billed_bytes") == billed else "not ok")
      + f" - billed bytes {inv.get('athena_billed_bytes')!r}: at least 10 MiB ({billed})")
usd = billed / 2 ** 40 * 5.0
print(("ok" if abs((inv.get("athena_usd") or -1) - usd) < 1e-12 else "not ok")
      + f" - its price {inv.get('athena_usd')!r} at athena_per_tb 5 ({usd})")
qid = inv.get("athena_query_id")
print(("ok" if qid and qid == starts[-1].get("athena_query_id") else "not ok")
      + f" - the query id {qid!r} is the SELECT's")
PYEOF

# the dashboard quits while the query runs: the query is stopped
# (StopQueryExecution), not left running and billed
$PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" inv-lake cfg --date 2026-12-01T01-00Z >/dev/null # whole again
start_endpoint slow --seed "$WORK/seed.json" --request-log "$WORK/slow.log" --athena-delay-ms 120000
SPORT=$(wait_port slow) || { notok "endpoint (slow Athena) started"; exit 1; }
SOCK="laketop-athena-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT
: >"$WORK/slow.log"
tmux -L "$SOCK" -f /dev/null new-session -d -s a -x 120 -y 30 \
    "'$LAKETOP' --config '$WORK/athena.ini' --endpoint-url 'http://127.0.0.1:$SPORT' --no-mouse; echo \$? >'$WORK/slow.rc'; sleep 600"
i=0
while ! grep -q '"athena_kind": "SELECT"' "$WORK/slow.log" && [ $i -lt 400 ]; do
    sleep 0.1
    i=$((i + 1))
done
tmux -L "$SOCK" send-keys -t a q
i=0
while [ ! -s "$WORK/slow.rc" ] && [ $i -lt 400 ]; do
    sleep 0.1
    i=$((i + 1))
done
tmux -L "$SOCK" kill-server 2>/dev/null
$PY - "$WORK/slow.log" "$WORK/slow.rc" <<'PYEOF'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
try:
    rc = open(sys.argv[2]).read().strip()
except OSError:
    rc = None
sel = [r.get("athena_query_id") for r in log if r.get("athena_kind") == "SELECT"]
stops = [(r.get("athena_query_id"), r.get("athena_state")) for r in log if r.get("op") == "StopQueryExecution"]
print(("ok" if rc == "0" else "not ok") + f" - the dashboard quits with q while the query runs (exit {rc!r})")
print(("ok" if sel and stops == [(sel[-1], "CANCELLED")] else "not ok")
      + f" - quitting stops the running query: StopQueryExecution {stops} of {sel}")
PYEOF

# bad values refused, with the key named
for bad in "athena_output = results/x" "athena_workgroup = a b" "inventory_database = Bad-Name"; do
    printf '[laketop]\n%s\n' "$bad" >"$WORK/bad.ini"
    key=${bad%% *}
    if "$LAKETOP" --config "$WORK/bad.ini" --endpoint-url "http://127.0.0.1:$PORT" --once >/dev/null 2>"$WORK/stderr"; then
        notok "config '$bad' refused"
    elif stderr_has "$key"; then
        ok "config '$bad' refused, naming $key"
    else
        notok "config '$bad' refused, naming $key"
    fi
done
exit $FAILED

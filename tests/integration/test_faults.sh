#!/bin/sh
# test_faults.sh: the AWS source under injected faults (issue 10, item 2).
# At 20 % 500/503s and 10 % throttling with pages of 50, `--once` gives the
# seed writer's truth for five fault seeds in a row: the parts whose
# request failed its three attempts are sent again at the end of the
# refresh (collector/aws/aws_rounds.h); Athena's calls likewise. At about
# 50 % faults, and with every S3 listing failing, only the parts that
# failed are marked, each with its reason, and every part that was read
# has its true figures. An error no retry can mend (AccessDenied,
# NoSuchBucket) is not retried.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
aws_env
export LAKETOP_RETRY_BASE_MS=20 # backoff unit for tests (the SDKs use 1 s)

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"

# run NAME ARGS...: an endpoint with ARGS and a request log, then `--once`
# against it with a HOME of its own (no history: the same listings every
# time); WORK/NAME.json, NAME.stderr, NAME.log; the endpoint is stopped.
run() {
    _n=$1
    shift
    start_endpoint "$_n" --seed "$WORK/seed.json" --request-log "$WORK/$_n.log" "$@"
    _port=$(wait_port "$_n") || { notok "$_n: the endpoint started"; return 1; }
    mkdir -p "$WORK/home-$_n"
    HOME="$WORK/home-$_n" "$LAKETOP" --endpoint-url "http://127.0.0.1:$_port" --once \
        >"$WORK/$_n.json" 2>"$WORK/$_n.stderr"
    echo $? >"$WORK/$_n.status"
    stop_fixture "$_n"
    wait "$(cat "$WORK/$_n.pid")" 2>/dev/null
}

# faults LOG: how many answers of LOG were injected faults.
faults() {
    $PY - "$1" <<'PYEOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    n += r["status"] >= 500 or r.get("error") in ("ThrottlingException", "SlowDown")
print(n)
PYEOF
}

# 1. Five fault seeds in a row at 20 % + 10 %: every figure is the truth.
for seed in 1 2 3 4 5; do
    run "seed$seed" --page-size 50 --fail-rate 0.2 --throttle-rate 0.1 --fault-seed "$seed"
    n=$(faults "$WORK/seed$seed.log")
    if $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/seed$seed.json" >"$WORK/seed$seed.check" 2>&1 &&
        [ "$n" -gt 0 ]; then
        ok "fault seed $seed (20 % + 10 %, pages of 50, $n faults injected): --once equals the truth"
    else
        notok "fault seed $seed (20 % + 10 %, pages of 50, $n faults injected): --once equals the truth"
        grep -v '^ok' "$WORK/seed$seed.check" | cut -c1-300 | sed 's/^/# /'
        sed 's/^/# stderr: /' "$WORK/seed$seed.stderr" | head -5
    fi
    # the only rows reported are the two the seed makes unreadable on purpose
    others=$(grep '^laketop: ' "$WORK/seed$seed.stderr" | grep -v -e 'tricky.denied: .*AccessDenied' \
        -e 'tricky.missing: .*NoSuchBucket' | head -3)
    [ "$(cat "$WORK/seed$seed.status")" -eq 1 ] && [ -z "$others" ] &&
        ok "fault seed $seed: only the denied and the missing bucket are reported" ||
        notok "fault seed $seed: exit $(cat "$WORK/seed$seed.status"), other reports: $others"
done

# An error no retry can mend is asked once per refresh, faults or not: the
# denied bucket answers AccessDenied once, the missing one NoSuchBucket once
# (per operation: its listing and its ListMultipartUploads each ask).
py_check() { # py_check ARGS... < SCRIPT: runs it, its "not ok" lines fail the test
    $PY - "$@" >"$WORK/py.out" 2>&1
    cat "$WORK/py.out"
    grep -q '^ok' "$WORK/py.out" && ! grep -q '^not ok' "$WORK/py.out" || FAILED=1
}
py_check "$WORK"/seed?.log <<'PYEOF'
import json, sys
bad = []
for path in sys.argv[1:]:
    codes = {}
    for line in open(path):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("error") in ("AccessDenied", "NoSuchBucket"):
            k = f"{r['error']} {r.get('op')}"
            codes[k] = codes.get(k, 0) + 1
    if ({k.split()[0] for k in codes} != {"AccessDenied", "NoSuchBucket"}
            or any(n != 1 for n in codes.values())):
        bad.append(f"{path.rsplit('/', 1)[-1]}: {codes}")
print(("ok" if not bad else "not ok") + " - AccessDenied and NoSuchBucket are not retried (one answer each per run)"
      + ("" if not bad else ": " + "; ".join(bad)))
PYEOF

# parts NAME CODES: every table of NAME.json is either exactly the truth
# or marked with a reason that names one of CODES (a regular expression);
# the denied and missing buckets with theirs; every database is there,
# and one without an error has all its tables. Prints how many were marked.
parts() {
    $PY - "$WORK/seed.json" "$WORK/truth.json" "$WORK/$1.json" "$2" <<'PYEOF'
import json, re, sys
seed, truth, got, codes = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), re.compile(sys.argv[4])
tables = {f"{t['database']}.{t['name']}": t for t in got["tables"]}
dbs = {d["name"]: d for d in got["databases"]}
wrong, marked = [], []
for db in seed["databases"]:
    d = dbs.get(db["Name"])
    if d is None:
        wrong.append(f"database {db['Name']} is missing")
        continue
    if d.get("error"):
        marked.append(db["Name"])
        if not codes.search(d["error"]):
            wrong.append(f"database {db['Name']}: reason {d['error']!r}")
        continue
    names = sorted(t["Name"] for t in db["tables"])
    have = sorted(n.split(".", 1)[1] for n in tables if n.split(".", 1)[0] == db["Name"])
    if names != have or d.get("tables") != len(names):
        wrong.append(f"database {db['Name']} read without error has tables {have} ({d.get('tables')}), seeded {names}")
for name, w in truth.items():
    t = tables.get(name)
    if t is None:
        if not dbs.get(name.split(".")[0], {}).get("error"):
            wrong.append(f"{name} is missing")
        continue
    if t.get("error"):
        marked.append(name)
        if not codes.search(t["error"]):
            wrong.append(f"{name}: reason {t['error']!r}")
        continue
    diffs = [f"{k} {t.get(k)!r} != {w[k]!r}" for k in ("objects", "bytes", "newest_object", "partitions") if t.get(k) != w[k]]
    if diffs:
        wrong.append(f"{name} (no error): " + ", ".join(diffs))
for name, needle in (("tricky.denied", "AccessDenied"), ("tricky.missing", "NoSuchBucket")):
    t = tables.get(name)
    if t is not None and needle not in (t.get("error") or "") and not codes.search(t.get("error") or ""):
        wrong.append(f"{name}: {t.get('error')!r}")
print(len(marked), "marked:", " ".join(marked) if marked else "none")
for w in wrong:
    print("WRONG", w)
sys.exit(1 if wrong else 0)
PYEOF
}
FAULT_CODES='InternalServiceException|ServiceUnavailableException|ThrottlingException|InternalError|SlowDown'

# 2. About 50 % faults: a part is right or marked with its reason.
for seed in 1 2 3; do
    run "half$seed" --page-size 50 --fail-rate 0.4 --throttle-rate 0.2 --fault-seed "$seed"
    if parts "half$seed" "$FAULT_CODES" >"$WORK/half$seed.parts"; then
        ok "50 % faults, seed $seed: every part read is right, the others marked with a reason ($(head -1 "$WORK/half$seed.parts"))"
    else
        notok "50 % faults, seed $seed: every part read is right, the others marked with a reason"
        sed 's/^/# /' "$WORK/half$seed.parts" | head -10
    fi
done

# 3. Every S3 listing fails, whatever the number of attempts: each table
# with storage is marked with the listing's reason, its figures unknown
# (null, not 0); the catalog was read whole and is right; a view is not
# marked. Each listing was sent again at the end of the refresh: more
# than the three attempts of one request, and not without end.
run s3down --page-size 50 --fail-rate 1.0 --fault-ops ListObjectsV2
py_check "$WORK/seed.json" "$WORK/s3down.json" "$FAULT_CODES" <<'PYEOF'
import json, re, sys
seed, got, codes = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), re.compile(sys.argv[3])
tables = {f"{t['database']}.{t['name']}": t for t in got["tables"]}
dbs = {d["name"]: d for d in got["databases"]}
want = {f"{db['Name']}.{t['Name']}": t for db in seed["databases"] for t in db["tables"]}
bad = [n for n, t in want.items() if n not in tables]
bad += [f"database {n}: {d['error']!r}" for n, d in dbs.items() if d.get("error")]
for n, t in want.items():
    g = tables.get(n)
    if g is None:
        continue
    if t["TableType"] == "VIRTUAL_VIEW":
        if g.get("error"):
            bad.append(f"{n} (a view) is marked: {g['error']!r}")
        continue
    s3 = f"s3://{t['StorageDescriptor']['Location'][5:].rstrip('/')}"
    if not codes.search(g.get("error") or "") or s3 not in g["error"]:
        bad.append(f"{n}: error {g.get('error')!r}")
    if any(g.get(k) is not None for k in ("objects", "bytes", "newest_object", "partitions")):
        bad.append(f"{n}: figures printed for a listing that failed")
ev = tables.get("tricky.events") or {}
if ev.get("catalog_partitions") != 6 or ev.get("schema_changed_at") != "2025-01-01T05:00:00Z":
    bad.append(f"tricky.events catalog figures: {ev.get('catalog_partitions')}, {ev.get('schema_changed_at')}")
print(("ok" if not bad else "not ok") + " - every S3 listing failing: each table marked with its listing's reason, no figure,"
      " the catalog whole and right" + ("" if not bad else ": " + "; ".join(bad[:6])))
PYEOF
py_check "$WORK/seed.json" "$WORK/s3down.log" <<'PYEOF'
import collections, json, sys
# tables that share a location send the same first page: count per table
sharing = collections.Counter()
for db in json.load(open(sys.argv[1]))["databases"]:
    for t in db["tables"]:
        loc = t["StorageDescriptor"].get("Location", "")
        if loc.startswith("s3://tricky-lake/"):
            sharing[loc[len("s3://tricky-lake/"):].rstrip("/") + "/"] += 1
sent = collections.Counter()
for line in open(sys.argv[2]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if r.get("op") == "ListObjectsV2" and r["path"].startswith("/tricky-lake"):
        sent[(r["path"], r["query"])] += 1
per_table = []
for (path, query), n in sent.items():
    prefix = next((p for p in sharing if f"prefix={p}" in query.replace("%2F", "/")), None)
    per_table.append(n / sharing[prefix] if prefix else n)
least, most = (min(per_table), max(per_table)) if per_table else (0, 0)
good = per_table and least > 3 and most <= 3 * 5
print(("ok" if good else "not ok") + f" - a failing listing is sent again at the end of the refresh: "
      f"{least:g} to {most:g} times each (3 attempts a round, at most 5 rounds)")
PYEOF

# 4. Athena's query history under 50 % faults on its own calls (read one
# after another, after the scan): the counts are the seeded ones. When
# Athena refuses (AccessDenied), that is said at once, not retried.
for seed in 1 2 3; do
    run "athena$seed" --page-size 50 --fail-rate 0.5 --fault-seed "$seed" \
        --fault-ops ListWorkGroups,ListQueryExecutions,BatchGetQueryExecution
    n=$(faults "$WORK/athena$seed.log")
    $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/athena$seed.json" 2>&1 | grep queries_30d >"$WORK/athena$seed.check"
    if grep -q '^ok' "$WORK/athena$seed.check" && [ "$n" -gt 0 ]; then
        ok "Athena at 50 % faults, seed $seed ($n faults injected): the query counts are the seeded ones"
    else
        notok "Athena at 50 % faults, seed $seed ($n faults injected): the query counts are the seeded ones"
        sed 's/^/# /' "$WORK/athena$seed.check" | cut -c1-300
        grep queries_error "$WORK/athena$seed.json" | sed 's/^/# /'
    fi
done
run athena_denied --page-size 50 --athena-denied
denied=$(grep -c '"service": "athena"' "$WORK/athena_denied.log")
grep -q '"queries_error": "Athena ListWorkGroups: AccessDeniedException' "$WORK/athena_denied.json" && [ "$denied" -eq 1 ] &&
    ok "Athena AccessDenied: said, after one request" ||
    notok "Athena AccessDenied: $denied requests, $(grep queries_error "$WORK/athena_denied.json")"

# 5. The endpoint is not there at all: the reason, without rounds (nothing
# answers them).
port=$(free_port)
HOME="$WORK/home-none" "$LAKETOP" --endpoint-url "http://127.0.0.1:$port" --once >/dev/null 2>"$WORK/none.stderr"
st=$?
[ $st -eq 2 ] || [ $st -eq 1 ] && grep -q "GetDatabases" "$WORK/none.stderr" &&
    ok "no endpoint: --once fails (exit $st) and names GetDatabases" ||
    { notok "no endpoint: exit $st"; sed 's/^/# /' "$WORK/none.stderr" | head -3; }

exit $FAILED

#!/bin/sh
# test_writers.sh: job = NAME and state_machine = NAME under [database] and
# [table] (issue 14 item 4): every table of --once --format json carries the
# writer the config gives it (the table's section over its database's, a
# later line over an earlier one), with the state of that job's newest run
# in LAKE/.laketop/jobs.jsonl and whether it failed; a bad line is refused
# with its line. What each table should say is resolved by python from the
# config and jobs.jsonl, not taken from laketop.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

LAKE="$WORK/lake"
expect "demo lake is generated" "$LAKETOP" demo "$LAKE"
cat >"$WORK/config" <<'CFG'
[job failing]
command = exit 3

[job loader]
command = true

[database sales]
job = loader

[table sales.orders]
job = failing

[table weblogs.events]
state_machine = events_flow
state_machine = events_flow_v2

[table music.songs]
job = not_declared
CFG
mkdir -p "$LAKE/.laketop"
$PY - "$LAKE/.laketop/jobs.jsonl" <<'PYEOF'
import json, sys, time
now = int(time.time())
lines = [("failing", "f1", "SUCCEEDED", now - 7200, 0), ("failing", "f2", "FAILED", now - 3600, 3),
         ("loader", "l1", "SUCCEEDED", now - 600, 0)]
with open(sys.argv[1], "w") as f:
    for job, run, state, start, status in lines:
        f.write(json.dumps({"job": job, "id": run, "state": "RUNNING", "started_at": start,
                            "ended_at": None, "exit_status": None, "error": None}) + "\n")
        f.write(json.dumps({"job": job, "id": run, "state": state, "started_at": start,
                            "ended_at": start + 30, "exit_status": status,
                            "error": "boom" if status else None}) + "\n")
PYEOF
expect "--once --format json with writers exits 0" sh -c \
    "'$LAKETOP' --lake '$LAKE' --config '$WORK/config' --once --format json >'$WORK/out.json'"
expect "every table's writer is the config's, with its newest run's state" \
    $PY - "$WORK/config" "$LAKE/.laketop/jobs.jsonl" "$WORK/out.json" <<'PYEOF'
import json, sys
rules, section = {}, None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("["):
        section = line[1:-1]
    elif "=" in line and section and section.split(" ")[0] in ("table", "database"):
        key, value = (x.strip() for x in line.split("=", 1))
        if key in ("job", "state_machine"):
            rules[section] = ("job" if key == "job" else "state_machine", value)
runs = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    runs[o["id"]] = o
newest = {}
for r in runs.values():
    if r["job"] not in newest or r["started_at"] > newest[r["job"]]["started_at"]:
        newest[r["job"]] = r
doc = json.load(open(sys.argv[3]))
seen = 0
for t in doc["tables"]:
    rule = rules.get("table %s.%s" % (t["database"], t["name"])) or rules.get("database " + t["database"])
    w = t["writer"]
    if rule is None:
        assert w is None, (t["database"], t["name"], w)
        continue
    seen += 1
    kind, name = rule
    assert w["kind"] == kind and w["name"] == name, (t["name"], w, rule)
    run = newest.get(name) if kind == "job" else None
    assert w["state"] == (run["state"] if run else None), (t["name"], w)
    assert w["failed"] == (run is not None and run["state"] == "FAILED"), (t["name"], w)
assert seen >= 5, seen  # the sales tables, weblogs.events, music.songs
PYEOF
# check names a stale table's failed writer: sales.orders (written by
# "failing", whose newest run in jobs.jsonl above FAILED with "boom") made
# stale by thresholds of seconds (the demo's data is days old)
cp "$WORK/config" "$WORK/check.ini"
printf '[table sales.orders]\nstale_warn = 1s\nstale_crit = 2s\n' >>"$WORK/check.ini"
"$LAKETOP" check --lake "$LAKE" --config "$WORK/check.ini" >"$WORK/check.out" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q '^CRITICAL sales.orders: no new data for .*; writer failing FAILED [0-9][0-9]*[smhd] ago: boom$' "$WORK/check.out"; then
    ok "check: the stale table's line names its failed writer (exit 2)"
else
    notok "check: the stale table's failed writer (exit $st)"
    sed 's/^/# /' "$WORK/check.out" | head -5
fi
printf '[table sales.orders]\njob =\n' >"$WORK/empty.ini"
expect "an empty job = is refused with its line" sh -c \
    "! '$LAKETOP' --lake '$LAKE' --config '$WORK/empty.ini' --once >/dev/null 2>'$WORK/err' && grep -q 'empty.ini:2: job: empty' '$WORK/err'"
exit $FAILED

#!/bin/sh
# test_tui_pipeline.sh: the Pipeline view (issue 14, items 4-6): J lists the
# jobs with the state of their newest run and their failures in 7 days,
# Enter shows a job's run history and the newest run's whole error, j asks,
# y runs the job and the Activity view follows it to SUCCEEDED, --read-only
# refuses j, the Overview lists the failed job first and a stale table whose
# writer (job = failing under [table ...]) failed names it; the demo lake's
# own jobs are rows of J. The runs are
# written here into LAKE/.laketop/jobs.jsonl; what the screen must show is
# computed from that file and the config by python, not taken from laketop.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"
PY=/usr/bin/python3

# a stale table of the demo lake (python reads the catalog and the files)
TABLE=weblogs.sessions
# ... stale by its files (the catalog's location, find), from outside laketop
$PY - "$LAKE" "$TABLE" <<'EOF' && ok "$TABLE's newest file is over 7 days old" ||
import json, os, sys, time
lake, table = sys.argv[1], sys.argv[2]
db, name = table.split(".")
location = json.load(open(os.path.join(lake, "catalog", db, name + ".json")))["StorageDescriptor"]["Location"]
path = os.path.join(lake, location)
newest = max(os.stat(os.path.join(d, f)).st_mtime for d, _, fs in os.walk(path) for f in fs)
sys.exit(0 if time.time() - newest > 7 * 86400 else 1)
EOF
    notok "$TABLE's newest file is over 7 days old"
# two jobs of our own (the demo's are left out: the rows are these two)
cat >"$WORK/config" <<EOF
[job nightly_ok]
command = echo all good
description = says all good

[job failing]
command = echo boom >&2; exit 3

[table $TABLE]
job = failing
EOF
mkdir -p "$LAKE/.laketop"
# five runs of `failing`, one a day, the last two FAILED; each writes its
# RUNNING line, then its end
$PY - "$LAKE/.laketop/jobs.jsonl" <<'EOF'
import json, sys, time
now = int(time.time())
with open(sys.argv[1], "w") as f:
    for i in range(5):
        start = now - 86400 * (5 - i) + 3600
        run = "failing-%d-%d" % (start, 100 + i)
        f.write(json.dumps({"job": "failing", "id": run, "state": "RUNNING", "started_at": start,
                            "ended_at": None, "exit_status": None, "error": None}) + "\n")
        failed = i >= 3
        f.write(json.dumps({"job": "failing", "id": run,
                            "state": "FAILED" if failed else "SUCCEEDED", "started_at": start,
                            "ended_at": start + 40, "exit_status": 3 if failed else 0,
                            "error": "Traceback (most recent call last):\n  File \"compact.py\", "
                                     "line 3\nKeyError: 'order_id'" if failed else None}) + "\n")
EOF
# what the file says (the last line of an id wins), and what the config says
$PY - "$LAKE/.laketop/jobs.jsonl" "$WORK/config" "$TABLE" >"$WORK/expected" <<'EOF'
import configparser, json, sys, time
runs = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    runs[o["id"]] = o
failing = sorted((r for r in runs.values() if r["job"] == "failing"),
                 key=lambda r: r["started_at"], reverse=True)
now = time.time()
week = [r for r in failing if r["state"] == "FAILED" and r["started_at"] >= now - 7 * 86400]
cfg = configparser.ConfigParser(interpolation=None, strict=False, inline_comment_prefixes=("#",))
cfg.read(sys.argv[2])
print("newest_state=%s" % failing[0]["state"])
print("failures=%d" % len(week))
print("runs=%d" % len(failing))
print("last_error_line=%s" % failing[0]["error"].splitlines()[-1])
# a local run's id is NAME-START-PID; its history shows START-PID (the name
# is the job's own)
print("newest_id=%s" % failing[0]["id"][len("failing-"):])
print("oldest_id=%s" % failing[-1]["id"][len("failing-"):])
print("writer=%s" % cfg["table " + sys.argv[3]]["job"])
print("jobs=%s" % " ".join(s[4:] for s in cfg.sections() if s.startswith("job ")))
EOF
val() { sed -n "s/^$1=//p" "$WORK/expected"; }
ENV="env XDG_STATE_HOME=$WORK/state"
CMD="$ENV $RUN0 --config $WORK/config"

# --- the Overview: the failed job first, the stale table names its writer ---
start 120 30 "$CMD"
check "the dashboard starts on the Overview" "Look at"
check "the Overview lists the failed job" "job failed"
[ "$(row_of 'job failed')" -lt "$(row_of "$TABLE")" ] && ok "... before the table lines" ||
    notok "... before the table lines"
check "the stale table's line names its failed writer" "writer $(val writer) $(val newest_state)"
screen | grep -F "$TABLE" | grep -qF "writer $(val writer) $(val newest_state)" &&
    ok "... on the table's own line" || notok "... on the table's own line"

keys / && keys -l "$TABLE" && keys Enter
check "the filter keeps the table's line" "Filter: $TABLE"
keys Enter
check "Enter on the table's line opens it" "Written by"
check "... its detail names the writer and its failure" "job $(val writer): $(val newest_state)"
keys Escape Escape
check "Esc goes back to the Overview" "Look at"
keys / && keys -l "job failed" && keys Enter
check "the filter keeps the job's line" "Filter: job failed"
keys Enter
check "Enter on the failed job opens the Pipeline view" "Fail 7d"
keys Escape Escape
check "Esc goes back to the Overview again" "Look at"

# --- J: the rows, with states and failures --------------------------------
keys J
check "J opens the Pipeline view" "Pipeline"
for job in $(val jobs); do
    check "J lists job $job" "$job"
done
line=$(screen | grep -F "failing " | head -n 1)
echo "$line" | grep -qF "$(val newest_state)" && ok "failing shows its newest state" ||
    notok "failing shows its newest state ($line)"
echo "$line" | grep -qE " $(val failures) " && ok "... and its $(val failures) failures in 7 days" ||
    notok "... and its $(val failures) failures in 7 days ($line)"
screen | grep -F "nightly_ok" | grep -qF "never" && ok "a job that never ran says so" ||
    notok "a job that never ran says so"

# --- sorting: N twice (names Z to A), then T (state: failures first) ---------
keys N N
check "N N sorts by name, Z to A" "Job▼"
[ "$(row_of 'nightly_ok ')" -lt "$(row_of 'failing ')" ] && ok "... nightly_ok above failing" ||
    notok "... nightly_ok above failing"
keys T
check "T sorts by state" "State▲"
[ "$(row_of 'failing ')" -lt "$(row_of 'nightly_ok ')" ] && ok "... the failed job first" ||
    notok "... the failed job first"

# --- Enter: the run history and the whole error -----------------------------
keys Home Enter
check "Enter opens the run history" "Pipeline › Job"
check "... with the newest run" "$(val newest_id)"
check "... and the oldest kept" "$(val oldest_id)"
check "... how many runs are kept" "$(val runs) runs kept"
check "... the newest run's whole error, to its last line" "$(val last_error_line)"
screen | grep -qE "^ +$(val last_error_line)\$" && ok "... on a line of its own (wrapped, not cut)" ||
    notok "... on a line of its own (wrapped, not cut)"
check "... its exit status" "exit 3"
keys Escape
check "Esc goes back to the Pipeline view" "Fail 7d"

# --- j then y: the run, followed in the Activity view ------------------------
keys End j
check "j asks first" "Run job nightly_ok"
keys n
check "n cancels" "job run cancelled"
keys j
check "j asks again" "y: run"
keys y
keys a
check "the Activity view follows the job" "nightly_ok"
if wait_for "SUCCEEDED" 300; then ok "... until it SUCCEEDED"; else notok "... until it SUCCEEDED"; fi
$PY - "$LAKE/.laketop/jobs.jsonl" <<'EOF' && ok "jobs.jsonl holds the SUCCEEDED run" || notok "jobs.jsonl holds the SUCCEEDED run"
import json, sys
runs = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    runs[o["id"]] = o
sys.exit(0 if any(r["job"] == "nightly_ok" and r["state"] == "SUCCEEDED" and r["exit_status"] == 0
                  for r in runs.values()) else 1)
EOF
grep -qF '"nightly_ok"' "$WORK/state/laketop/audit.log" 2>/dev/null && ok "the run is in the audit log" ||
    notok "the run is in the audit log"
keys J
check "J again" "Fail 7d"
screen | grep -F "nightly_ok" | grep -qF "SUCCEEDED" && ok "the Pipeline view shows the new run" ||
    { wait_for "SUCCEEDED" && ok "the Pipeline view shows the new run" || notok "the Pipeline view shows the new run"; }

# --- narrow: the rows still fit ---------------------------------------------
tm resize-window -t laketop -x 60 -y 20 2>/dev/null
check "at 60 columns the view still lists the job" "failing"
wide=$(screen | $PY -c 'import sys; print(sum(len(l.rstrip("\n")) > 60 for l in sys.stdin))')
[ "$wide" -eq 0 ] && ok "... every line fits in 60 columns" || notok "... every line fits in 60 columns"
keys q
check "quits" "EXITED 0"
stop

# --- --read-only refuses j ----------------------------------------------------
lines_before=$(wc -l <"$LAKE/.laketop/jobs.jsonl")
start 120 30 "$CMD --read-only"
check "read-only: starts" "Look at"
keys J
check "read-only: the Pipeline view" "Fail 7d"
keys j
check "read-only: j is refused" "read-only mode: j is disabled"
[ "$(wc -l <"$LAKE/.laketop/jobs.jsonl")" -eq "$lines_before" ] && ok "... and nothing ran" ||
    notok "... and nothing ran"
keys q
check "read-only: quits" "EXITED 0"
stop

# --- the demo lake's own config: its jobs are rows of J -----------------------
$PY - "$LAKE/laketop.conf" >"$WORK/demo_jobs" <<'EOF'
import sys
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("[job ") and line.endswith("]"):
        print(line[5:-1])
EOF
[ -s "$WORK/demo_jobs" ] && ok "the demo declares jobs" || notok "the demo declares jobs"
start 120 30 "$ENV $RUN0 --config $LAKE/laketop.conf"
check "demo: starts" "Look at"
keys J
check "demo: the Pipeline view" "Fail 7d"
for job in $(cat "$WORK/demo_jobs"); do
    check "demo: J lists $job" "$job "
done
keys q
check "demo: quits" "EXITED 0"
stop

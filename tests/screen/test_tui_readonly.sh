#!/bin/sh
# test_tui_readonly.sh: the dashboard under --read-only sends nothing that
# changes the account (the test endpoint's request log): b is refused when
# backup_dir is on s3://, with the usual message and why, and the help says
# so; the daily export to s3:// does not run and the Activity view says
# why. With local destinations b and the daily export still run. Without
# --read-only the same daily export does put objects (the count sees them).
set -u
LAKETOP=${1:?usage: test_tui_readonly.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-readonly-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
# every table readable: a daily export of part of the lake is not run at all
$PY - "$WORK/seed.json" <<'PYEOF'
import json, sys
seed = json.load(open(sys.argv[1]))
for b in seed["buckets"].values():
    b["denied"] = False
for d in seed["databases"]:
    d["tables"] = [t for t in d.get("tables", [])
                   if t.get("StorageDescriptor", {}).get("Location", "").split("/")[2:3] != ["no-such-bucket"]]
json.dump(seed, open(sys.argv[1], "w"))
PYEOF
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 --port-file "$WORK/port" \
    --request-log "$WORK/requests.log" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
EP="http://127.0.0.1:$(cat "$WORK/port")"
mkdir -p "$WORK/home"
ENV="env HOME=$WORK/home XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data LAKETOP_RETRY_BASE_MS=20 AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
RUN="$ENV $LAKETOP --endpoint-url $EP --themes-dir $HERE/../../themes --view databases --interval 1h"

# Requests that change something, from the endpoint's log: S3 but GET and
# HEAD, Glue or Athena operations that do not only read.
mutating() {
    $PY - "$WORK/requests.log" <<'PYEOF'
import json, re, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["service"] == "s3":
        n += r["method"] not in ("GET", "HEAD")
    else:
        n += not re.match(r"(Get|List|BatchGet|Search)[A-Z]", r.get("op") or "")
print(n)
PYEOF
}

# --- read-only, both destinations on s3:// ---------------------------------
printf '[laketop]\nbackup_dir = s3://tricky-lake/dash-backups\nexport_dir = s3://tricky-lake/dash-export\n' >"$WORK/s3.ini"
start 140 30 "$RUN --config $WORK/s3.ini --read-only"
if wait_for "tricky" 300; then ok "read-only on AWS: the databases"; else notok "read-only on AWS: the databases"; fi
keys b
check "b with backup_dir on s3://: refused with the usual message, and why" \
    "read-only mode: b is disabled (a backup to s3://tricky-lake/dash-backups writes to S3)"
check_absent "... and no question is asked" "y: back up"
keys y
keys a
check "the Activity view: the daily export, not run" "export    not run"
check "... and why" "read-only mode: the daily export is not run (an export to s3://tricky-lake/dash-export writes to S3)"
keys ?
check "the help marks b as disabled" "back up the catalog (asks first; runs in the background) (disabled: read-only)"
keys q
check_absent "q in the help closes the help" "› Help"
keys q
check "q quits" "EXITED 0"
stop
n=$(mutating)
[ "$n" -eq 0 ] && ok "read-only with s3:// destinations: no mutating request (the endpoint's log)" ||
    notok "read-only with s3:// destinations sent $n mutating requests"

# --- read-only, local destinations: both still run -------------------------
printf '[laketop]\nbackup_dir = %s\nexport_dir = %s\n' "$WORK/backups" "$WORK/export" >"$WORK/local.ini"
: >"$WORK/requests.log" # each part counts its own requests (the endpoint appends)
start 140 30 "$RUN --config $WORK/local.ini --read-only"
if wait_for "tricky" 300; then ok "read-only, local destinations: the databases"; else notok "read-only, local destinations: the databases"; fi
keys a
check "the daily export to a local directory runs under read-only" "export    succeeded"
keys Escape
keys b
check "b with a local backup_dir asks" "y: back up"
keys y
keys a
check "... and backs up" "backup    succeeded"
keys q
check "q quits" "EXITED 0"
stop
ls "$WORK"/backups/*/manifest.json >/dev/null 2>&1 && [ -n "$(find "$WORK/export" -name tables.csv)" ] &&
    ok "... the local backup and export are written" || notok "local backup or export missing"
n=$(mutating)
[ "$n" -eq 0 ] && ok "read-only with local destinations: no mutating request" ||
    notok "read-only with local destinations sent $n mutating requests"

# --- without read-only the daily export to s3:// runs: the count sees it ---
: >"$WORK/requests.log"
start 140 30 "$RUN --config $WORK/s3.ini"
if wait_for "tricky" 300; then ok "not read-only: the databases"; else notok "not read-only: the databases"; fi
keys a
check "not read-only: the daily export to s3:// runs" "export    succeeded"
keys q
check "q quits" "EXITED 0"
stop
n=$(mutating)
[ "$n" -gt 0 ] && ok "... and puts objects ($n mutating requests)" || notok "no mutating request without read-only"

#!/bin/sh
# test_tui_incremental.sh: issue 15 item 2 in the dashboard, on the test
# endpoint (a partitioned table of 100 directories, page size 10,
# flat_below = 0): the first refresh lists it whole, r lists only the
# recent partitions (and a share of the others) and the detail view says
# so in words; R lists every table whole again (as many listing requests as
# the first refresh, python counting them in the endpoint's log).
set -u
LAKETOP=${1:?usage: test_tui_incremental.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-incremental-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; [ -n "$EP_PID" ] && wait $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
$PY - "$WORK/lake" "$WORK/seed.json" <<'PYEOF'
import json, os, sys
lake = sys.argv[1]
for p in range(100):
    d = os.path.join(lake, "events", f"dt=d{p:03d}")
    os.makedirs(d)
    for k in range(20):
        open(os.path.join(d, f"part-{k:02d}.csv"), "w").write("x" * (k + 1))
seed = {"databases": [{"Name": "inc", "LocationUri": "s3://inc-lake/", "tables": [
    {"Name": "events", "Parameters": {"classification": "csv"},
     "PartitionKeys": [{"Name": "dt", "Type": "string"}],
     "StorageDescriptor": {"Location": "s3://inc-lake/events/", "Columns": []}}]}],
    "buckets": {"inc-lake": {"objects": []}},
    "files": [{"bucket": "inc-lake", "prefix": "", "dir": lake}]}
json.dump(seed, open(sys.argv[2], "w"))
PYEOF
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 --page-size 10 \
    --port-file "$WORK/port" --request-log "$WORK/requests.log" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$WORK/port")
printf '[laketop]\nflat_below = 0\n' >"$WORK/config.ini"
ENV="env HOME=$WORK XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
lists() { grep -c '"ListObjectsV2"' "$WORK/requests.log"; }
refreshes() { grep -c '"GetDatabases"' "$WORK/requests.log"; }
# after_refresh N: waits until the endpoint saw N refreshes and the dashboard is idle
after_refresh() {
    i=0
    while [ "$(refreshes)" -lt "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    wait_for " idle " 200 || true
}

start 120 40 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$PORT --config $WORK/config.ini --themes-dir $HERE/../../themes --view databases"
after_refresh 1
first=$(lists)
keys Enter
check "the database's tables" "events"
keys Enter
check "the table's detail" "s3://inc-lake/events/"
keys r
after_refresh 2
second=$(($(lists) - first))
[ "$first" -ge 100 ] && [ $((second * 5)) -le "$first" ] &&
    ok "r: the recent partitions listed, $second ListObjectsV2 requests after $first" ||
    notok "r: $second ListObjectsV2 requests after $first"
check "the detail says the figures are incremental" "incremental: new and recent partitions listed"
check "... and within what the rest is verified" "the rest verified within 1d (oldest"
before=$(lists)
keys R
check "R says it lists every table whole" "every table listed whole"
after_refresh 3
third=$(($(lists) - before))
[ $((third * 10)) -ge $((first * 9)) ] &&
    ok "R: every table listed whole, $third ListObjectsV2 requests (the first refresh: $first)" ||
    notok "R: $third ListObjectsV2 requests (the first refresh: $first)"
check_absent "... and the detail no longer says incremental" "incremental: new and recent"
keys o
check "the Overview splits the last refresh's requests by kind" " listing, "
keys q
check "q quits" "EXITED 0"
stop

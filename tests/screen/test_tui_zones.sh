#!/bin/sh
# test_tui_zones.sh: the Zones view before the first refresh ends (issue
# 10, item 18): the zones are described by a refresh, so until one ends the
# view says it is loading, not "No zones" (the config declares one). The
# AWS test endpoint never answers GetDatabases, so the first refresh stays
# under way for the whole test.
set -u
LAKETOP=${1:?usage: test_tui_zones.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8 # the pane, tmux and python in UTF-8
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-zones-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT

printf '{"databases": [], "buckets": {"zone-lake": {"objects": []}}}\n' >"$WORK/seed.json"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 \
    --hostile GetDatabases=stall \
    --port-file "$WORK/ep.port" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/ep.port" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $EP_PID 2>/dev/null; then
        echo "not ok - the test endpoint did not start"
        sed 's/^/# /' "$WORK/ep.log"
        exit 1
    fi
    sleep 0.1
done
printf '[zone storing]\nuri = s3://zone-lake/\nrole = storing\n' >"$WORK/config"
ENV="env HOME=$WORK XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
start 100 30 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$(cat "$WORK/ep.port") --config $WORK/config --themes-dir $HERE/../../themes --view databases"
# the first refresh is under way (its GetDatabases is never answered)
check "the first refresh is under way" "scanning..."
check "... with no data yet" "no data yet"
keys Z
check "Z opens the Zones view" "Sync rule"
check "before the first refresh the zones are loading" "Zones: loading"
check_absent "... not \"No zones\"" "No zones"
check_absent "... nor \"No sync rules\"" "No sync rules"
keys s
check "s before the first refresh says why nothing runs" "not known before the first refresh ends"
keys q
check "quits" "EXITED 0"
stop

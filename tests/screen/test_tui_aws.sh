#!/bin/sh
# test_tui_aws.sh: the dashboard on the AWS source (the local test endpoint):
# the same views; an unreadable source shown in the status line, retried,
# and the figures appearing once the endpoint is up.
set -u
LAKETOP=${1:?usage: test_tui_aws.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-aws-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
# a free port, reserved by the endpoint later in this test
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENV="env HOME=$WORK AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"

# The endpoint is not up yet: the reason shows, and laketop keeps trying.
start 100 30 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$PORT --themes-dir $HERE/../../themes --view databases"
# The first refresh ends, and its error shows, only after every call's
# retries have given up (about 10 s on a refused port): a longer bound.
if wait_for "GetDatabases" 300; then ok "an unreachable source is named in the status line"; else
    notok "an unreachable source is named in the status line (expected \"GetDatabases\")"
fi
check "the status bar names the AWS source" "aws:default@us-east-1"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port "$PORT" \
    --request-log "$WORK/requests.log" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
if wait_for "tricky" 300; then ok "once the endpoint is up, the retry brings the databases"; else
    notok "once the endpoint is up, the retry brings the databases"
fi
check_absent "the error line goes away" "GetDatabases"
check "a shared database names what it links to" "link → 210987654321:partner"
keys j j Enter
check "drill down into the tricky database" "events"
check "a denied bucket is marked" "! denied"
keys Home
keys /
keys e v e n t s Enter
keys Enter
check "table detail from S3" "s3://tricky-lake/events/"
check "partitions from the keys beside the catalog's" "8 in storage, 6 in the catalog"
check "when the columns last changed (GetTableVersions)" "(2025-01-01T05:00:00Z): +1 -1 ~1 columns"
check "... the column diff: retyped" "~ id                       int -> bigint"
check "... removed" "- payload"
check "... added" "+ name"
# r: a second refresh; a table whose UpdateTime has not moved keeps its
# versions, without GetTableVersions again, and the diff stays right
ops() { grep -c "\"op\": \"$1\"" "$WORK/requests.log"; }
partitions=$(ops GetPartitions)
keys r
i=0
while [ "$(ops GetDatabases)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait_for " idle " 100 || true
versions=$(ops GetTableVersions)
[ "$(ops GetDatabases)" -ge 2 ] && [ "$versions" -eq 1 ] &&
    ok "r: a second refresh asks for no table versions again ($versions GetTableVersions in 2 refreshes)" ||
    notok "second refresh: $versions GetTableVersions, $(ops GetDatabases) GetDatabases"
check "... and the diff is still shown" "~ id                       int -> bigint"
[ "$(ops GetPartitions)" -eq "$partitions" ] &&
    ok "... nor the catalog's partitions (counted at most every 10 minutes)" ||
    notok "second refresh: GetPartitions $partitions -> $(ops GetPartitions)"
check "... whose count stays shown" "8 in storage, 6 in the catalog"
# a backup reads the catalog and changes nothing: no refresh (no listing) after it
listings=$(ops ListObjectsV2)
keys b
check "b asks first" "y: back up"
keys y
keys a
if wait_for "backup    succeeded" 150; then ok "the backup ran"; else notok "the backup ran"; fi
sleep 1
[ "$(ops ListObjectsV2)" -eq "$listings" ] && ok "... and no refresh followed it (no S3 listing)" ||
    notok "a refresh followed the backup: ListObjectsV2 $listings -> $(ops ListObjectsV2)"
keys Escape
keys o
check "the overview on AWS: the failed crawler first" "crawler failed   events-crawler"
check "... and what the last refresh sent" " requests"
check "... and how long it took" "last refresh "
keys q
check "q quits" "EXITED 0"
stop

# Crawlers: C lists them, c asks then runs one, a follows it to the end.
start 120 30 "$ENV LAKETOP_CRAWL_POLL_MS=200 XDG_STATE_HOME=$WORK/state $LAKETOP --endpoint-url http://127.0.0.1:$PORT --themes-dir $HERE/../../themes --view databases"
check "crawlers test: started" "tricky"
keys C
check "C lists the crawlers" "good-crawler"
check "... with the last error of a failed one" "Access denied to s3://tricky-lake/events/"
check "... and the tables its last crawl created/updated/deleted (GetCrawlerMetrics)" "+3 ~7 -1"
keys j
check "the schedule is shown" "cron(0 2 * * ? *)"
keys c
check "c asks first, naming the crawler" "Start crawler flat-crawler"
keys n
check "n cancels" "crawl cancelled"
keys j c
check "c on good-crawler asks" "Start crawler good-crawler"
keys y a
check "the crawl shows in the activity" "crawl"
if wait_for "crawler good-crawler: SUCCEEDED" 150; then ok "followed until READY again: SUCCEEDED"; else
    notok "followed until READY again: SUCCEEDED"; fi
keys d
check "d switches to the databases (o d C Z a replace the view)" "laketop › Databases"
keys Home j j Enter
check "tables of tricky" "deep"
keys /
keys d e e p Enter
keys c
check "c on a table asks for the crawler that covers it" "Start crawler good-crawler"
keys Escape
keys q
check "quits" "EXITED 0"
stop
start 120 30 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$PORT --read-only --themes-dir $HERE/../../themes --view databases"
check "read-only: started, marked" "[read-only]"
keys C
check "read-only: the crawlers" "good-crawler"
keys c
check "read-only: c is refused with a message" "read-only mode: c is disabled"
keys q
check "quits" "EXITED 0"
stop

# A local lake whose config names an s3:// zone: the Zones view lists that
# zone's objects on the endpoint (AWS settings from the environment).
"$LAKETOP" demo "$WORK/lake" >/dev/null 2>&1
printf '[zone s3deep]\nuri = s3://tricky-lake/deep/\nrole = storing\n' >"$WORK/zones.ini"
WANT=$($PY -c "
import json, sys
objs = json.load(open('$WORK/seed.json'))['buckets']['tricky-lake']['objects']
print(sum(1 for o in objs if o['key'].startswith('deep/')))")
start 120 30 "$ENV AWS_ENDPOINT_URL=http://127.0.0.1:$PORT $LAKETOP --lake $WORK/lake --config $WORK/zones.ini --themes-dir $HERE/../../themes --view databases"
check "local lake with an s3:// zone: started" "sales"
keys Z
check "Z lists the s3:// zone" "s3deep"
n=0
while [ $n -lt 100 ] && ! screen | grep -qE "s3deep +storing +$WANT +[0-9.]+ ?[KMGT]?i?B +s3://tricky-lake/deep/"; do
    sleep 0.1; n=$((n + 1)); done
if [ $n -lt 100 ]; then ok "... with its size from the endpoint ($WANT objects)"; else
    notok "s3:// zone size from a local dashboard (want $WANT objects)"; screen | grep s3deep | sed 's/^/# /'; fi
keys q
check "quits" "EXITED 0"
stop

# A backup that takes a while (200 ms per request): q while it runs asks
# whether to wait or leave; w waits, then quits.
kill $EP_PID 2>/dev/null
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port "$PORT" --page-size 1 \
    --latency-ms 200 >"$WORK/ep2.log" 2>&1 &
EP_PID=$!
start 100 30 "$ENV XDG_DATA_HOME=$WORK/data XDG_STATE_HOME=$WORK/state $LAKETOP --endpoint-url http://127.0.0.1:$PORT --interval 1h --themes-dir $HERE/../../themes --view databases"
if wait_for "tricky" 300; then ok "slow endpoint: the databases"; else notok "slow endpoint: the databases"; fi
keys b
check "b asks first" "y: back up"
keys y
keys q
check "q while an action runs asks" "still running"
check "... offering to wait or leave" "w: wait, then quit"
keys w
check "w: laketop waits for the backup, then quits" "EXITED 0" 
ls "$WORK"/data/laketop/backups/*/manifest.json >/dev/null 2>&1 && ok "the backup finished before the exit" ||
    notok "the backup finished before the exit"
stop

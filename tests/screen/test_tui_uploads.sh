#!/bin/sh
# test_tui_uploads.sh: incomplete multipart uploads on screen, against the
# test endpoint: a table with two uploads left (started 40 and 3 days ago)
# has an Overview "uploads left" line with their count, bytes and month
# cost (python computes them from the seed), and Enter shows its detail's
# "Uploads left" line; a table without any has no line.
set -u
LAKETOP=${1:?usage: test_tui_uploads.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-uploads-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT

$PY - "$WORK/seed.json" "$WORK/want.sh" <<'PYEOF'
import json, sys, time
MIB, GIB = 1024 ** 2, 1024 ** 3
now = int(time.time())
def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
parts = [[3 * MIB, 1 * MIB], [512 * 1024]]
seed = {"databases": [{"Name": "lk", "tables": [
    {"Name": t, "StorageDescriptor": {"Location": f"s3://up-lake/{t}/", "Columns": []}} for t in ("left", "tidy")]}],
    "buckets": {"up-lake": {
        "objects": [{"key": "left/part-0.parquet", "size": 100}, {"key": "tidy/part-0.parquet", "size": 100}],
        "uploads": [{"key": "left/big.parquet", "upload_id": "a1", "initiated": iso(now - 40 * 86400), "parts": parts[0]},
                    {"key": "left/small.parquet", "upload_id": "a2", "initiated": iso(now - 3 * 86400), "parts": parts[1]}]}}}
json.dump(seed, open(sys.argv[1], "w"))
total = sum(map(sum, parts))
usd = total / GIB * 0.023
shown = "<$0.01" if usd < 0.005 else f"${usd:.2f}"
with open(sys.argv[2], "w") as f:
    f.write(f"LINE='2 incomplete uploads, {total / MIB:.1f} MiB, {shown}/mo'\n")
PYEOF
. "$WORK/want.sh"

$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 --port-file "$WORK/port" \
    >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
ENV="env HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
start 140 30 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$(cat "$WORK/port") --themes-dir $HERE/../../themes --view overview"
check "the Overview: uploads left on lk.left" "uploads left"
check "... with their count, bytes and month ($LINE)" "$LINE"
check_absent "... none for lk.tidy" "uploads left     lk.tidy"
row=$(row_of "uploads left")
top=$(row_of "lk.")
keys Home
i=$top
while [ "$i" -lt "$row" ]; do keys j; i=$((i + 1)); done
keys Enter
check "Enter: lk.left's detail" "Table        lk.left"
check "... its Uploads left line" "Uploads left 2 incomplete uploads"
keys q
check "quits" "EXITED 0"
stop

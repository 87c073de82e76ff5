#!/bin/sh
# test_sync_s3.sh: laketop sync between s3:// zones on the test endpoint:
# server-side CopyObject (multipart UploadPartCopy above 5 GiB), a second
# sync copies nothing, delete = true, read-only and dry runs send no
# mutating request (the endpoint's request log), a sync killed halfway and
# run again ends equal; then the same against s3rver.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
aws_env
export LAKETOP_RETRY_BASE_MS=20
mkdir -p "$HOME"
$PY - "$WORK/seed.json" <<'PYEOF'
import json, sys
objs = [{"key": f"events/dt=2026-01-{d:02d}/part-{i}.parquet", "size": 1000 + d * 10 + i,
         "last_modified": f"2026-01-{d:02d}T01:00:00Z"} for d in range(1, 21) for i in range(10)]
objs += [{"key": "events/dt=2026-01-01/a b+c%.parquet", "size": 77},
         {"key": "events/huge/part-0.parquet", "size": 6 * 1024 ** 3 + 123}]
json.dump({"databases": [], "buckets": {
    "lake-bucket": {"objects": objs},
    "users-bucket": {"objects": [{"key": "marketing/events/stale.parquet", "size": 5}]}}},
    open(sys.argv[1], "w"))
PYEOF
start_endpoint ep --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)"
cat >"$WORK/config" <<EOF2
[zone storing]
uri = s3://lake-bucket/
role = storing
[zone marketing]
uri = s3://users-bucket/marketing/
role = user
[sync events]
from = storing
to = marketing
prefix = events/
[sync events_exact]
from = storing
to = marketing
prefix = events/
delete = true
EOF2
run() { "$LAKETOP" --config "$WORK/config" --endpoint-url "$EP" "$@"; }
mutating() { grep -cE '"op": "(CopyObject|UploadPartCopy|CreateMultipartUpload|CompleteMultipartUpload|DeleteObject|PutObject)"' "$WORK/requests.log"; }
listing() { # listing BUCKET PREFIX: "key size" lines, keys relative to PREFIX
    /usr/bin/aws --endpoint-url "$EP" s3api list-objects-v2 --bucket "$1" --prefix "$2" \
        --query 'Contents[].[Key,Size]' --output text 2>/dev/null | sed "s|^$2||" | sort
}
run sync events --dry-run >"$WORK/out" 2>&1
[ $? -eq 0 ] && grep -q "202 objects" "$WORK/out" && grep -q "1 extra at the destination kept" "$WORK/out" &&
    [ "$(mutating)" -eq 0 ] && ok "dry run: 202 objects to copy, 1 extra kept, no mutating request" ||
    { notok "dry run"; cat "$WORK/out" | sed 's/^/# /'; }
run sync events --read-only >/dev/null 2>&1
[ $? -eq 2 ] && [ "$(mutating)" -eq 0 ] && ok "--read-only: exit 2, no mutating request" || notok "read-only"
run sync events >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && grep -q "copied 202 objects" "$WORK/out" && ok "sync: 202 objects copied server-side" ||
    { notok "sync (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
listing lake-bucket events/ >"$WORK/src.txt"
listing users-bucket marketing/events/ | grep -v stale.parquet >"$WORK/dst.txt"
cmp -s "$WORK/src.txt" "$WORK/dst.txt" && ok "the destination equals the source (keys and sizes, via awscli)" ||
    { notok "destination equals source"; diff "$WORK/src.txt" "$WORK/dst.txt" | head -5 | sed 's/^/# /'; }
[ "$(grep -c '"op": "UploadPartCopy"' "$WORK/requests.log")" -eq 7 ] &&
    grep -q '"op": "CompleteMultipartUpload"' "$WORK/requests.log" &&
    ok "the 6 GiB object went by multipart UploadPartCopy (7 parts of 1 GiB)" || notok "multipart copy"
[ "$(grep -c '"op": "CopyObject"' "$WORK/requests.log")" -eq 201 ] && ok "the others by CopyObject" ||
    notok "CopyObject count $(grep -c '"op": "CopyObject"' "$WORK/requests.log")"
run sync events >"$WORK/out" 2>&1
grep -q "copied 0 objects" "$WORK/out" && ok "a second sync copies nothing (ETags match; multipart by size)" ||
    { notok "second sync"; cat "$WORK/out" | sed 's/^/# /'; }
run sync events_exact >"$WORK/out" 2>&1
grep -q "deleted 1" "$WORK/out" && [ -z "$(listing users-bucket marketing/events/ | grep stale)" ] &&
    ok "delete = true removes the extra object" || notok "delete = true"

# killed halfway (latency makes it slow), then run again
stop_fixture ep
start_endpoint ep2 --seed "$WORK/seed.json" --latency-ms 100 --request-log "$WORK/requests2.log"
EP="http://127.0.0.1:$(wait_port ep2)"
# laketop itself, not run(): "$!" of a function is its subshell, which
# kill -9 would stop while laketop copied on
"$LAKETOP" --config "$WORK/config" --endpoint-url "$EP" sync events --concurrency 2 >/dev/null 2>&1 &
pid=$!
# killed once 20 copies are done (of 202: at 100 ms a request, two at a time)
i=0
while [ "$(grep -c '"op": "CopyObject"' "$WORK/requests2.log" 2>/dev/null)" -lt 20 ] && [ $i -lt 600 ]; do
    sleep 0.05
    i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
pgrep -f "$WORK/config.* sync " >/dev/null && notok "the killed sync is still running"
copied=$(grep -c '"op": "CopyObject"' "$WORK/requests2.log")
echo "# killed after $copied copies (a diagnostic: how far it got depends on timing)"
run sync events >"$WORK/out" 2>&1
listing users-bucket marketing/events/ | grep -v stale.parquet >"$WORK/dst2.txt"
cmp -s "$WORK/src.txt" "$WORK/dst2.txt" && ok "run again: equal to the source" || { notok "resume after kill"; cat "$WORK/out" | sed "s/^/# /"; diff "$WORK/src.txt" "$WORK/dst2.txt" | head -5 | sed "s/^/# /"; }
again=$(sed -n 's/.*copied \([0-9]*\) objects.*/\1/p' "$WORK/out" | head -n 1)
[ -n "$again" ] && [ "$again" -lt 202 ] && ok "... copying only what the killed run had not ($again of 202)" ||
    { notok "the second run copied ${again:-?} of 202"; sed 's/^/# /' "$WORK/out"; }

# s3rver: the same copies on an S3 implementation that is not ours
if ! (cd "$HERE/../s3rver" && npm install --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
    notok "npm install s3rver"
    exit 1
fi
S3PORT=$(free_port)
mkdir -p "$WORK/s3data" "$WORK/up/events/dt=2026-01-01" "$WORK/up/events/dt=2026-01-02"
for f in a b c; do printf '%s' "data-$f" >"$WORK/up/events/dt=2026-01-01/$f.parquet"; printf 'x%s' "$f" >"$WORK/up/events/dt=2026-01-02/$f.parquet"; done
NODE_OPTIONS=--openssl-legacy-provider "$HERE/../s3rver/node_modules/.bin/s3rver" -d "$WORK/s3data" \
    -a 127.0.0.1 -p "$S3PORT" --silent --configure-bucket srcb --configure-bucket dstb >"$WORK/s3rver.log" 2>&1 &
PIDS="$PIDS $!"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
i=0
until /usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3api head-bucket --bucket srcb >/dev/null 2>&1 ||
    [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
/usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 sync --quiet "$WORK/up" s3://srcb/ >/dev/null 2>&1
sed -e 's|s3://lake-bucket/|s3://srcb/|' -e 's|s3://users-bucket/marketing/|s3://dstb/m/|' "$WORK/config" >"$WORK/config3"
"$LAKETOP" --config "$WORK/config3" --endpoint-url "http://127.0.0.1:$S3PORT" sync events >"$WORK/out" 2>&1
st=$?
EP="http://127.0.0.1:$S3PORT"
[ $st -eq 0 ] && grep -q "copied 6 objects" "$WORK/out" && cmp -s "$(listing srcb events/ >"$WORK/a.txt"; echo "$WORK/a.txt")" \
    "$(listing dstb m/events/ >"$WORK/b.txt"; echo "$WORK/b.txt")" &&
    ok "s3rver: the sync copies every object, keys and sizes equal" || { notok "s3rver sync (exit $st)"; cat "$WORK/out" | sed 's/^/# /'; }
"$LAKETOP" --config "$WORK/config3" --endpoint-url "http://127.0.0.1:$S3PORT" sync events >"$WORK/out" 2>&1
grep -q "copied 0 objects" "$WORK/out" && ok "s3rver: a second sync copies nothing" ||
    { notok "s3rver second sync"; cat "$WORK/out" | sed 's/^/# /'; }

# between a local zone and an S3 zone (s3rver keeps real bytes): uploads,
# then downloads, each compared byte for byte; second runs copy nothing
cat >"$WORK/config4" <<EOF2
[zone localup]
uri = $WORK/up/
role = storing
[zone s3up]
uri = s3://dstb/up/
role = user
[zone localdown]
uri = $WORK/down/
role = user
[sync upload]
from = localup
to = s3up
prefix = events/
[sync download]
from = s3up
to = localdown
prefix = events/
delete = true
EOF2
run4() { "$LAKETOP" --config "$WORK/config4" --endpoint-url "http://127.0.0.1:$S3PORT" "$@"; }
run4 sync upload >"$WORK/out" 2>&1
st=$?
/usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 cp --quiet "s3://dstb/up/events/dt=2026-01-02/b.parquet" "$WORK/b.got" >/dev/null 2>&1
[ $st -eq 0 ] && grep -q "copied 6 objects" "$WORK/out" && cmp -s "$WORK/b.got" "$WORK/up/events/dt=2026-01-02/b.parquet" &&
    [ "$(listing dstb up/events/ | wc -l)" -eq 6 ] &&
    ok "local -> s3: 6 files uploaded, bytes equal (awscli)" || { notok "local -> s3 (exit $st)"; cat "$WORK/out" | sed 's/^/# /'; }
run4 sync upload >"$WORK/out" 2>&1
grep -q "copied 0 objects" "$WORK/out" && ok "local -> s3: a second sync copies nothing" ||
    { notok "local -> s3 second sync"; cat "$WORK/out" | sed 's/^/# /'; }
mkdir -p "$WORK/down/events"
echo stale >"$WORK/down/events/extra.parquet"
run4 sync download >"$WORK/out" 2>&1
st=$?
[ $st -eq 0 ] && grep -q "copied 6 objects" "$WORK/out" && diff -r "$WORK/up/events" "$WORK/down/events" >/dev/null &&
    [ -z "$(find "$WORK/down" -name '.laketop-partial*')" ] &&
    ok "s3 -> local: 6 objects downloaded, the tree equal byte for byte, the extra file deleted, no partials" ||
    { notok "s3 -> local (exit $st)"; cat "$WORK/out" | sed 's/^/# /'; diff -r "$WORK/up/events" "$WORK/down/events" | head -3 | sed 's/^/# /'; }
run4 sync download >"$WORK/out" 2>&1
grep -q "copied 0 objects" "$WORK/out" && ok "s3 -> local: a second sync copies nothing" ||
    { notok "s3 -> local second sync"; cat "$WORK/out" | sed 's/^/# /'; }
printf 'changed!' >"$WORK/up/events/dt=2026-01-01/a.parquet"
run4 sync upload >"$WORK/out" 2>&1
/usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 cp --quiet "s3://dstb/up/events/dt=2026-01-01/a.parquet" "$WORK/a.got" >/dev/null 2>&1
grep -q "copied 1 object (" "$WORK/out" && cmp -s "$WORK/a.got" "$WORK/up/events/dt=2026-01-01/a.parquet" &&
    ok "local -> s3: a changed file (new size) is uploaded again" || { notok "changed file"; cat "$WORK/out" | sed 's/^/# /'; }

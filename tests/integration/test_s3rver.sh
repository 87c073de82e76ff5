#!/bin/sh
# test_s3rver.sh: a functional run against s3rver (npm, pinned in
# tests/s3rver/package.json), an S3 implementation that is not ours: the
# catalog comes from the local test endpoint (AWS_ENDPOINT_URL_GLUE), the
# objects from s3rver (AWS_ENDPOINT_URL_S3), uploaded with awscli from a
# local directory whose find/stat figures are the truth. s3rver lists keys in
# directory order, not S3's byte order, so the keys here sort the same both
# ways. Paginated listings on Node 17+ need --openssl-legacy-provider.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

if ! (cd "$HERE/../s3rver" && npm install --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
    notok "npm install s3rver (pinned)"
    sed 's/^/# /' "$WORK/npm.log" | tail -5
    exit 1
fi
ok "s3rver installed from tests/s3rver/package.json"

export HOME="$WORK/home"
aws_env
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
mkdir -p "$HOME"

S3PORT=$(free_port)
mkdir -p "$WORK/s3data"
NODE_OPTIONS=--openssl-legacy-provider "$HERE/../s3rver/node_modules/.bin/s3rver" \
    -d "$WORK/s3data" -a 127.0.0.1 -p "$S3PORT" --silent --configure-bucket lake \
    >"$WORK/s3rver.log" 2>&1 &
PIDS="$PIDS $!"

# The data: 3 tables, one of 1,250 objects (two listing pages).
mkdir -p "$WORK/up"
$PY - "$WORK/up" <<'PYEOF'
import os, sys
root = sys.argv[1]
def put(rel, size):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"x" * size)
for d in range(1, 6):
    for i in range(250):
        put(f"logs/dt=2025-01-0{d}/part-{i:04d}.json", 100 + (i * 37 + d) % 900)
    put(f"logs/dt=2025-01-0{d}/_SUCCESS", 0)
for i in range(40):
    put(f"users/part-{i:03d}.csv", 1000 + i)
put("users_old/part-000.csv", 5555)
PYEOF
i=0
until /usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3api head-bucket --bucket lake >/dev/null 2>&1 ||
    [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
if /usr/bin/aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 sync --quiet "$WORK/up" s3://lake/ \
    >"$WORK/sync.log" 2>&1; then
    ok "uploaded $(find "$WORK/up" -type f | wc -l) objects to s3rver with awscli"
else
    notok "upload to s3rver"
    sed 's/^/# /' "$WORK/sync.log" | tail -5
fi

cat >"$WORK/seed.json" <<'EOF2'
{"databases": [{"Name": "lake", "tables": [
  {"Name": "logs", "PartitionKeys": [{"Name": "dt", "Type": "string"}],
   "StorageDescriptor": {"Location": "s3://lake/logs/"}},
  {"Name": "users", "StorageDescriptor": {"Location": "s3://lake/users"}},
  {"Name": "nothing", "StorageDescriptor": {"Location": "s3://lake/none/"}}]}],
 "buckets": {}}
EOF2
start_endpoint glue --seed "$WORK/seed.json" --access-key S3RVER --secret-key S3RVER
GLUE="http://127.0.0.1:$(wait_port glue)"

AWS_ENDPOINT_URL_GLUE="$GLUE" \
    AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3PORT" "$LAKETOP" --aws --once >"$WORK/out.json" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && ok "laketop --once against s3rver exits 0" || { notok "laketop against s3rver (exit $st)"; sed 's/^/# /' "$WORK/err"; }
$PY - "$WORK/up" "$WORK/out.json" <<'PYEOF'
import json, os, sys
root, out = sys.argv[1], json.load(open(sys.argv[2]))
tables = {t["name"]: t for t in out["tables"]}
def truth(prefix):
    n = b = 0
    base = os.path.join(root, prefix)
    for d, _, files in os.walk(base):
        for f in files:
            if f.startswith(("_", ".")):
                continue
            n += 1
            b += os.lstat(os.path.join(d, f)).st_size
    return n, b
for name, prefix, parts in (("logs", "logs", 5), ("users", "users", 0), ("nothing", "none", 0)):
    t = tables.get(name, {})
    want = truth(prefix)
    got = (t.get("objects"), t.get("bytes"))
    good = got == want and t.get("partitions") == parts and not t.get("error")
    print(("ok" if good else "not ok") + f" - s3rver {name}: laketop {got} {t.get('partitions')} partitions, find/stat {want} {parts}" + (f" error {t.get('error')}" if t.get("error") else ""))
PYEOF

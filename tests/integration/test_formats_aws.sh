#!/bin/sh
# test_formats_aws.sh: Iceberg and Delta tables through the AWS test
# endpoint (tests/fixtures/aws_endpoint.py serving the fixture writers'
# files from disk: real bytes, sizes, mtimes and MD5 ETags): laketop's
# --once JSON equals the writers' expected.json exactly, a Hive table beside
# them keeps its figures (find/stat), broken metadata marks only its row
# (listing figures kept, the reason named); one ListObjectsV2 per
# open-format table; and a dashboard's later refreshes send no GetObject
# while nothing changed, then read only the new commit file when the table
# commits again (the endpoint's request log).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
export LAKETOP_NOW=2025-12-02T00:00:00Z
NOW=1764633600
CHECK="$HELPERS/formats_check.py"
FILES="$WORK/files"
mkdir -p "$FILES"

tap() {
    cat "$1"
    if grep -q '^not ok' "$1"; then FAILED=1; fi
}

for w in iceberg_writer:ice delta_writer:dl delta_checkpoint_writer:ck; do
    writer=${w%%:*}
    db=${w#*:}
    if $PY "$FIXTURES/$writer.py" --out "$FILES/$db" --uri-prefix "s3://lake/$db/" --now $NOW \
        >"$WORK/$db.out" 2>&1; then ok "$writer wrote its tables"; else
        notok "$writer wrote its tables"
        sed 's/^/# /' "$WORK/$db.out" | head -5
    fi
done

# a Hive table, and the broken ones, with catalog.json files of their own
mkdir -p "$FILES/hive/events/dt=2025-11-30" "$FILES/hive/events/dt=2025-12-01/_temporary/0"
head -c 100 /dev/zero >"$FILES/hive/events/dt=2025-11-30/part-0.parquet"
head -c 200 /dev/zero >"$FILES/hive/events/dt=2025-12-01/part-0.parquet"
head -c 50 /dev/zero >"$FILES/hive/events/dt=2025-12-01/_temporary/0/part-9.parquet"
: >"$FILES/hive/events/_SUCCESS"
mkdir -p "$FILES/bad"
for t in bad_missing bad_truncated bad_notavro; do cp -R "$FILES/ice/ice_v1" "$FILES/bad/$t"; done
cp -R "$FILES/dl/delta_json" "$FILES/bad/bad_gap"
rm "$FILES/bad/bad_gap/_delta_log/00000000000000000003.json"
current=$(ls "$FILES/ice/ice_v1/metadata/" | grep 'metadata.json$' | sort | tail -n 1)
size=$(wc -c <"$FILES/ice/ice_v1/metadata/$current")
head -c $((size / 2)) "$FILES/ice/ice_v1/metadata/$current" >"$FILES/bad/bad_truncated/metadata/$current"
sed "s|s3://lake/ice/ice_v1/|s3://lake/bad/bad_notavro/|g" "$FILES/ice/ice_v1/metadata/$current" \
    >"$FILES/bad/bad_notavro/metadata/$current"
for m in "$FILES/bad/bad_notavro/metadata/"*.avro; do echo "this is not Avro" >"$m"; done
$PY - "$FILES" "$current" <<'PY'
import json, sys
files, current = sys.argv[1], sys.argv[2]
ice = {t["Name"]: t for t in json.load(open(f"{files}/ice/catalog.json"))["tables"]}
dl = {t["Name"]: t for t in json.load(open(f"{files}/dl/catalog.json"))["tables"]}
bad = []
def put(name, table, metadata):
    t = json.loads(json.dumps(table))
    t["Name"] = name
    t["StorageDescriptor"]["Location"] = f"s3://lake/bad/{name}"
    if metadata:
        t["Parameters"]["metadata_location"] = f"s3://lake/bad/{name}/metadata/{metadata}"
    bad.append(t)
put("bad_missing", ice["ice_v1"], "99999-gone.metadata.json")
put("bad_truncated", ice["ice_v1"], current)
put("bad_notavro", ice["ice_v1"], current)
put("bad_gap", dl["delta_json"], None)
json.dump({"tables": bad}, open(f"{files}/bad/catalog.json", "w"))
events = {"Name": "events", "TableType": "EXTERNAL_TABLE",
          "Parameters": {"classification": "parquet"},
          "PartitionKeys": [{"Name": "dt", "Type": "string"}],
          "StorageDescriptor": {"Location": "s3://lake/hive/events/", "Columns": []}}
json.dump({"tables": [events]}, open(f"{files}/hive/catalog.json", "w"))
PY
$PY "$CHECK" seed "$WORK/seed.json" lake ice:"$FILES/ice":ice/ dl:"$FILES/dl":dl/ \
    ck:"$FILES/ck":ck/ hive:"$FILES/hive":hive/ bad:"$FILES/bad":bad/
start_endpoint ep --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port ep) && ok "endpoint started" || { notok "endpoint started"; exit 1; }
EP="http://127.0.0.1:$PORT"

# the endpoint serves the files as they are (botocore, not laketop)
$PY - "$EP" "$FILES/dl/delta_json" >"$WORK/check.endpoint" <<'PY'
import hashlib, os, sys
import botocore.session
from botocore.config import Config
ep, top = sys.argv[1], sys.argv[2]
s3 = botocore.session.Session().create_client(
    "s3", region_name="us-east-1", endpoint_url=ep, config=Config(s3={"addressing_style": "path"}))
want = {}
for root, _, files in os.walk(top):
    for fn in files:
        p = os.path.join(root, fn)
        want["dl/delta_json/" + os.path.relpath(p, top)] = p
got = {}
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="lake", Prefix="dl/delta_json/"):
    for o in page.get("Contents", []):
        got[o["Key"]] = o
bad = sorted(set(want) ^ set(got))
for k, p in want.items():
    if k not in got:
        continue
    data = open(p, "rb").read()
    o = got[k]
    if (o["Size"] != len(data) or o["ETag"].strip('"') != hashlib.md5(data).hexdigest()
            or int(o["LastModified"].timestamp()) != int(os.stat(p).st_mtime)):
        bad.append(k)
    elif s3.get_object(Bucket="lake", Key=k)["Body"].read() != data:
        bad.append(k + " (GetObject)")
print(("ok" if not bad else "not ok") + f" - the endpoint serves {len(want)} files of delta_json "
      f"with their bytes, sizes, mtimes and MD5 ETags {bad[:3]}")
PY
tap "$WORK/check.endpoint"
: >"$WORK/requests.log" # laketop's requests from here

"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/once.json" 2>"$WORK/once.err"
st=$?
[ $st -eq 0 ] && ok "--once exits 0" ||
    { notok "--once exit status $st"; sed 's/^/# /' "$WORK/once.err" | head -5; }
# the JSON's "requests" counts the GetObject and listings of the metadata
# too (the log is written just after each answer: wait until it caught up)
said=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$WORK/once.json")
i=0
while [ "$(wc -l <"$WORK/requests.log")" -lt "$said" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
logged=$(wc -l <"$WORK/requests.log")
gets=$(grep -c '"op": "GetObject"' "$WORK/requests.log")
[ "$said" = "$logged" ] && [ "$gets" -gt 30 ] &&
    ok "\"requests\": $said, as many as the endpoint logged ($gets GetObject)" ||
    notok "\"requests\": $said, the endpoint logged $logged ($gets GetObject)"
for db in ice dl ck; do
    $PY "$CHECK" check "$FILES/$db/expected.json" "$WORK/once.json" $db >"$WORK/check.$db"
    tap "$WORK/check.$db"
done
$PY "$CHECK" hive "$FILES/hive" "$WORK/once.json" hive events >"$WORK/check.hive"
tap "$WORK/check.hive"
for c in "bad_missing iceberg 99999-gone.metadata.json" "bad_truncated iceberg truncated" \
    "bad_notavro iceberg manifest" "bad_gap delta gap"; do
    # shellcheck disable=SC2086
    $PY "$CHECK" bad "$FILES/bad" "$WORK/once.json" bad $c >"$WORK/check.bad"
    tap "$WORK/check.bad"
done
# one listing per open-format table (the ordinary scan is not run for them)
lists=$($PY -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    q = (r.get("query") or "").replace("%2F", "/")
    if r.get("op") == "ListObjectsV2" and "prefix=dl/delta_json/" in q:
        n += 1
print(n)' "$WORK/requests.log")
[ "$lists" = "1" ] && ok "delta_json listed once" || notok "delta_json listed $lists times"

# The dashboard, refreshing every second, against the request log (a
# missing metadata object is asked for again each refresh: it may come)
: >"$WORK/requests.log"
SOCK="laketop-formats-aws-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT
tmux -L "$SOCK" -f /dev/null new-session -d -s f -x 120 -y 30 \
    "'$LAKETOP' --endpoint-url '$EP' --interval 1 --no-mouse; sleep 600"
# wait_lists N: until delta_json's location was listed N times (bounded)
wait_lists() {
    i=0
    while [ "$($PY "$CHECK" requests "$WORK/requests.log" dl/delta_json/ | wc -l)" -lt "$1" ] &&
        [ $i -lt 400 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
wait_lists 3
$PY "$CHECK" requests "$WORK/requests.log" dl/delta_json/ | sed 's| /lake/bad/bad_missing/[^ ]*||g' |
    awk '{ print NF - 1 (NF > 1 ? " " : "") substr($0, length($1) + 2) }' >"$WORK/gets"
first=$(sed -n 1p "$WORK/gets" | cut -d' ' -f1)
second=$(sed -n 2p "$WORK/gets" | cut -d' ' -f1)
[ "${first:-0}" -ge 1 ] && [ "$second" = "0" ] &&
    ok "dashboard: a whole refresh without GetObject once everything was read ($first GetObject after the first listing)" ||
    notok "dashboard: GetObject between listings: $(cut -c1-200 "$WORK/gets" | tr '\n' '|')"
# delta_json commits again: a new file and version 8
n=$(wc -l <"$WORK/gets")
head -c 777 /dev/zero >"$FILES/dl/delta_json/part-new.parquet"
$PY - "$FILES/dl/delta_json/_delta_log/00000000000000000008.json" <<'PY'
import json, sys
at = 1764630000000  # 2025-12-01T23:00:00Z
lines = [{"commitInfo": {"timestamp": at, "operation": "WRITE"}},
         {"add": {"path": "part-new.parquet", "partitionValues": {}, "size": 777,
                  "modificationTime": at, "dataChange": True,
                  "stats": json.dumps({"numRecords": 5})}}]
open(sys.argv[1], "w").write("".join(json.dumps(l) + "\n" for l in lines))
PY
wait_lists $((n + 3))
$PY "$CHECK" requests "$WORK/requests.log" dl/delta_json/ | sed 's| /lake/bad/bad_missing/[^ ]*||g' |
    awk '{ print NF - 1 (NF > 1 ? " " : "") substr($0, length($1) + 2) }' | tail -n +$((n + 1)) >"$WORK/gets.after"
changed=$(grep -v '^0$' "$WORK/gets.after" | head -n 1)
zeros=$(grep -c '^0$' "$WORK/gets.after")
[ "$changed" = "1 /lake/dl/delta_json/_delta_log/00000000000000000008.json" ] && [ "$zeros" -ge 1 ] &&
    ok "dashboard: the new commit is the one GetObject after it, then none" ||
    notok "dashboard: after the commit: $(cut -c1-200 "$WORK/gets.after" | tr '\n' '|')"
tmux -L "$SOCK" kill-server 2>/dev/null
"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/after.json" 2>"$WORK/after.err"
$PY "$CHECK" fields "$WORK/after.json" dl delta_json '"objects"=7' '"bytes"=9410' '"records"=893' \
    '"snapshots"=9' '"last_commit"="2025-12-01T23:00:00Z"' >"$WORK/check.after"
tap "$WORK/check.after"
exit $FAILED

#!/bin/sh
# test_backup_s3.sh: catalog backups kept on S3 (the test endpoint). A
# local lake backed up to s3://bucket/prefix lands as the same tree as on
# disk with manifest.json put last; restored from the prefix (the newest
# backup) into an empty catalog it equals the original; a damaged object is
# refused before anything changes; a prefix with no backup and a bad
# address give clear errors; a dashboard on AWS uploads with its own source.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" TMPDIR="$WORK/tmp"
aws_env
export LAKETOP_RETRY_BASE_MS=20
mkdir -p "$HOME" "$TMPDIR"

compare_catalogs() { $PY "$HELPERS/compare_catalogs.py" "$1" "$2"; }

echo '{"databases": [], "buckets": {"backup-bucket": {"objects": []}}}' >"$WORK/seed.json"
start_endpoint ep --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)"
keys() { /usr/bin/aws --endpoint-url "$EP" s3api list-objects-v2 --bucket backup-bucket \
    --prefix "$1" --query 'Contents[].Key' --output text 2>/dev/null | tr '\t' '\n' | grep -v '^None$'; }

LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" 2>/dev/null
AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/catalog --lake "$LAKE" >"$WORK/out" 2>"$WORK/err"
st=$?
ADDR=$(sed -n 's/.* in \(s3:.*\)$/\1/p' "$WORK/out")
[ $st -eq 0 ] && echo "$ADDR" | grep -qE '^s3://backup-bucket/catalog/[0-9]{8}T[0-9]{6}Z$' &&
    ok "backup of a local lake to s3://: $ADDR" || { notok "backup to s3 (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
STAMP=${ADDR##*/}
keys "catalog/" >"$WORK/keys.txt"
FILES=$($PY -c "import json,sys; print(len(json.load(sys.stdin)['files']))" <<EOF2
$(/usr/bin/aws --endpoint-url "$EP" s3 cp "s3://backup-bucket/catalog/$STAMP/manifest.json" - 2>/dev/null)
EOF2
)
[ -n "$FILES" ] && [ "$(wc -l <"$WORK/keys.txt")" -eq $((FILES + 1)) ] &&
    grep -q "^catalog/$STAMP/tables/sales/orders.json$" "$WORK/keys.txt" &&
    ok "every file of the manifest ($FILES) and the manifest are on S3 (awscli)" ||
    { notok "objects on S3 ($(wc -l <"$WORK/keys.txt") keys, manifest says ${FILES:-?})"; head -3 "$WORK/keys.txt" | sed 's/^/# /'; }
LAST_PUT=$(grep '"op": "PutObject"' "$WORK/requests.log" | tail -1)
echo "$LAST_PUT" | grep -q "manifest.json" && ok "manifest.json is put last" || notok "manifest last: $LAST_PUT"
[ -z "$(ls -A "$TMPDIR")" ] && ok "the staging directory is removed" || notok "staging left: $(ls "$TMPDIR")"

EMPTY="$WORK/empty"
mkdir -p "$EMPTY/catalog"
AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore "s3://backup-bucket/catalog/$STAMP" --lake "$EMPTY" --dry-run >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] && [ -z "$(ls "$EMPTY/catalog")" ] && grep -q "would create table sales.orders" "$WORK/err" &&
    ok "restore --dry-run from the backup's address changes nothing" || { notok "restore dry run"; sed 's/^/# /' "$WORK/err"; }
sleep 1.1 # a second backup, one second newer, of a changed lake: the restore takes the newest
$PY -c "
import json; p='$LAKE/catalog/sales/orders.json'; t=json.load(open(p)); t['Description']='newest'; json.dump(t, open(p,'w'))"
AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/catalog/ --lake "$LAKE" >/dev/null 2>&1
AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore s3://backup-bucket/catalog --lake "$EMPTY" >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && ! grep -q "$STAMP" "$WORK/err" && grep -q "s3://backup-bucket/catalog/" "$WORK/err" &&
    compare_catalogs "$LAKE" "$EMPTY" && ok "restore from the prefix takes the newest backup; the catalog equals the original" ||
    { notok "restore from s3 (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }

echo '{"Name": "tampered"}' >"$WORK/bad.json"
/usr/bin/aws --endpoint-url "$EP" s3 cp "$WORK/bad.json" "s3://backup-bucket/catalog/$STAMP/tables/sales/orders.json" >/dev/null 2>&1
EMPTY2="$WORK/empty2"
mkdir -p "$EMPTY2/catalog"
AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore "s3://backup-bucket/catalog/$STAMP" --lake "$EMPTY2" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && [ -z "$(ls "$EMPTY2/catalog")" ] && grep -q "orders.json: checksum does not match" "$WORK/err" &&
    ok "a tampered object is refused before anything is restored" || { notok "tampered backup"; sed 's/^/# /' "$WORK/err"; }

AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore s3://backup-bucket/nothing-here --lake "$EMPTY2" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "no backup there" "$WORK/err" && ok "a prefix with no backup: a clear error" ||
    { notok "no backup"; sed 's/^/# /' "$WORK/err"; }
"$LAKETOP" backup s3:// --lake "$LAKE" >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q "not an s3://bucket" "$WORK/err" && ok "a bad s3:// address: usage error" ||
    { notok "bad address"; sed 's/^/# /' "$WORK/err"; }

"$LAKETOP" --endpoint-url "$EP" backup s3://backup-bucket/aws >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] && grep -q "in s3://backup-bucket/aws/" "$WORK/out" && [ -n "$(keys aws/ | grep manifest.json)" ] &&
    ok "a backup of the AWS catalog, uploaded by the AWS source itself" || { notok "aws backup"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }

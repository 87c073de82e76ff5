#!/bin/sh
# test_backup.sh: laketop backup and restore. A backup of the demo lake
# restored into an empty catalog gives back every database, table and
# partition; a damaged backup is refused; read-only and --dry-run change
# nothing; --force replaces; a backup that cannot be written leaves nothing
# behind; a backup of the AWS test endpoint carries its catalog; the audit
# log records each action.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
mkdir -p "$HOME"

compare_catalogs() { $PY "$HELPERS/compare_catalogs.py" "$1" "$2"; }

LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" 2>/dev/null
# the demo has no catalog partitions: give one table some
mkdir -p "$LAKE/catalog/sales/partitions"
$PY -c "
import json
parts = [{'Values': [f'2026-01-{d:02d}'], 'DatabaseName': 'sales', 'TableName': 'orders',
          'StorageDescriptor': {'Location': f'storing/sales/orders/dt=2026-01-{d:02d}/'}} for d in range(1, 11)]
json.dump(parts, open('$LAKE/catalog/sales/partitions/orders.json', 'w'))"

"$LAKETOP" backup "$WORK/backups" --lake "$LAKE" >"$WORK/out" 2>"$WORK/err"
st=$?
grep -q "^backup: 5 databases, 21 tables, 10 catalog partitions in $WORK/backups/" "$WORK/out" && [ $st -eq 0 ] &&
    ok "backup: one line on stdout with the counts" || { notok "backup (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
B=$(ls -d "$WORK"/backups/2*)
[ -f "$B/manifest.json" ] && [ -f "$B/ddl/sales/orders.sql" ] && [ -f "$B/partitions/sales/orders.json" ] &&
    ok "the backup holds JSON, DDL and a manifest" || notok "backup layout"
grep -q "PARTITIONED BY" "$B/ddl/sales/orders.sql" && grep -q "LOCATION 'storing/sales/orders/'" "$B/ddl/sales/orders.sql" &&
    ok "Hive DDL with partition keys and location" || notok "Hive DDL"
$PY - "$B" <<'PYEOF' && ok "the manifest's sha256 match the files" || notok "manifest checksums"
import hashlib, json, os, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "manifest.json")))
assert m["format"] == "laketop-catalog-backup/1" and m["counts"] == {"databases": 5, "tables": 21, "partitions": 10}
for rel, h in m["files"].items():
    assert hashlib.sha256(open(os.path.join(root, rel), "rb").read()).hexdigest() == h, rel
PYEOF
ls -a "$WORK/backups" | grep -q partial && notok "no partial directory left" || ok "no partial directory left"
# a backup holds the catalog: private whatever the umask (here none)
(umask 000 && "$LAKETOP" backup "$WORK/bk-modes" --lake "$LAKE" >/dev/null 2>&1)
BM=$(ls -d "$WORK"/bk-modes/2* 2>/dev/null)
[ -n "$BM" ] && [ -z "$(find "$BM" -type d ! -perm 0700)" ] && [ -z "$(find "$BM" -type f ! -perm 0600)" ] &&
    [ "$(find "$BM" -type f | wc -l)" -gt 1 ] &&
    ok "umask 000: the backup's directories are 0700, its files 0600" ||
    { notok "backup modes"; find "$WORK/bk-modes" -printf '# %m %p\n' | head -5; }
# two backups in the same second: the second beside the first
LAKETOP_NOW=2026-01-01T00:00:00Z "$LAKETOP" backup "$WORK/bk-same" --lake "$LAKE" >/dev/null 2>&1 &&
    LAKETOP_NOW=2026-01-01T00:00:00Z "$LAKETOP" backup "$WORK/bk-same" --lake "$LAKE" >"$WORK/out" 2>&1 &&
    grep -q "in $WORK/bk-same/20260101T000000Z-2\$" "$WORK/out" &&
    ok "a second backup in the same second: a name of its own (-2)" ||
    { notok "same-second backup"; sed 's/^/# /' "$WORK/out"; }

EMPTY="$WORK/empty"
mkdir -p "$EMPTY/catalog"
"$LAKETOP" restore "$WORK/backups" --lake "$EMPTY" --dry-run >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] && [ -z "$(ls "$EMPTY/catalog")" ] && grep -q "would create table sales.orders" "$WORK/err" &&
    ok "--dry-run says what it would do and changes nothing" || notok "--dry-run"
"$LAKETOP" restore "$WORK/backups" --lake "$EMPTY" --read-only >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && [ -z "$(ls "$EMPTY/catalog")" ] && grep -q "read-only" "$WORK/err" &&
    ok "--read-only refuses a restore (exit 2) and changes nothing" || notok "--read-only restore"
"$LAKETOP" restore "$WORK/backups" --lake "$EMPTY" >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] && grep -q "5 databases, 21 tables created, 0 replaced, 0 skipped, 10 partitions added" "$WORK/out" &&
    ok "restore into an empty catalog: every database, table and partition" || { notok "restore"; cat "$WORK/out" | sed 's/^/# /'; }
compare_catalogs "$LAKE" "$EMPTY" && ok "the restored catalog equals the original" ||
    notok "the restored catalog equals the original"
"$LAKETOP" restore "$B" --lake "$EMPTY" >"$WORK/out" 2>&1
grep -q "0 tables created, 0 replaced, 21 skipped, 0 partitions added" "$WORK/out" &&
    ok "a second restore overwrites nothing" || notok "a second restore"
$PY -c "
import json; p='$EMPTY/catalog/sales/orders.json'; t=json.load(open(p)); t['Description']='changed'; json.dump(t, open(p,'w'))"
"$LAKETOP" restore "$B" --lake "$EMPTY" --force >"$WORK/out" 2>&1
grep -q "21 replaced" "$WORK/out" && compare_catalogs "$LAKE" "$EMPTY" &&
    ok "--force replaces existing tables" || notok "--force"
vs=$(ls "$EMPTY/catalog/sales/versions" 2>/dev/null | tr '\n' ' ')
[ "$vs" = "orders " ] && grep -q '"changed"' "$EMPTY/catalog/sales/versions/orders/1.json" &&
    ok "--force keeps the replaced table as a version (only the one that differed)" ||
    notok "--force versions: $vs"

# damaged backups are refused before anything is restored
cp -r "$B" "$WORK/damaged"
sed -i 's/bigint/string/' "$WORK/damaged/tables/sales/orders.json"
EMPTY2="$WORK/empty2"
mkdir -p "$EMPTY2/catalog"
"$LAKETOP" restore "$WORK/damaged" --lake "$EMPTY2" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "checksum" "$WORK/err" && [ -z "$(ls "$EMPTY2/catalog")" ] &&
    ok "a wrong checksum: refused, named, nothing restored" || { notok "wrong checksum"; sed 's/^/# /' "$WORK/err"; }
cp -r "$B" "$WORK/extra"
echo "{}" >"$WORK/extra/tables/sales/intruder.json"
"$LAKETOP" restore "$WORK/extra" --lake "$EMPTY2" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "manifest lists" "$WORK/err" && ok "a file the manifest does not list: refused" ||
    notok "extra file"
"$LAKETOP" restore "$WORK/nothing-here" --lake "$EMPTY2" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "not a laketop backup" "$WORK/err" && ok "not a backup: a clear error" || notok "not a backup"
"$LAKETOP" restore --lake "$EMPTY2" >/dev/null 2>&1
[ $? -eq 2 ] && ok "restore without SRC: exit 2" || notok "restore without SRC"

# a destination that cannot be written
touch "$WORK/afile"
"$LAKETOP" backup "$WORK/afile/backups" --lake "$LAKE" >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "afile" "$WORK/err" && ok "an unwritable destination: exit 1, named" ||
    notok "unwritable destination"

grep -c '"action":"restore"' "$XDG_STATE_HOME/laketop/audit.log" | grep -q '^[3-9]' &&
    grep -q '"action":"backup"' "$XDG_STATE_HOME/laketop/audit.log" &&
    ok "the audit log records backups and restores (user, source, target, result)" || notok "audit log"
grep -q '"action":"restore".*dry' "$XDG_STATE_HOME/laketop/audit.log" &&
    notok "a dry run is not in the audit log" || ok "a dry run is not in the audit log"
# an audit log that cannot be written does not fail the backup, and says why
mkdir -p "$WORK/badstate" && touch "$WORK/badstate/laketop"
XDG_STATE_HOME="$WORK/badstate" "$LAKETOP" backup "$WORK/bk-noaudit" --lake "$LAKE" \
    >/dev/null 2>"$WORK/err"
[ $? -eq 0 ] && grep -q "laketop backup: audit log: .*badstate/laketop" "$WORK/err" &&
    ok "an unwritable audit log: the backup still succeeds and says why" ||
    { notok "unwritable audit log"; sed 's/^/# /' "$WORK/err"; }

# the AWS test endpoint: backup reads its whole catalog (paginated)
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json" --page-size 1
URL="http://127.0.0.1:$(wait_port ep)"
AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY='laketop/test/secret/key+with/special=chars' \
    AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
    "$LAKETOP" backup "$WORK/aws-backups" --endpoint-url "$URL" \
    >"$WORK/out" 2>"$WORK/err"
grep -q "backup: 3 databases, 10 tables, 6 catalog partitions" "$WORK/out" &&
    ok "AWS: backup of the Glue catalog, paginated one item per page" ||
    { notok "AWS backup"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }

# Restore into Glue: endpoint A's catalog, backed up, restored into an empty
# endpoint B, then B backed up: the same databases, tables and partitions.
# --dry-run and --read-only send no mutating request (B's request log).
AWSENV="env AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true"
printf '{"databases": [], "buckets": {}}' >"$WORK/empty-seed.json"
start_endpoint epb --seed "$WORK/empty-seed.json" --request-log "$WORK/b-requests.log"
URLB="http://127.0.0.1:$(wait_port epb)"
mutating() { grep -cE '"op": "(Create|Update|Delete|BatchCreate|BatchDelete|Put|Copy|StartCrawler)' "$WORK/b-requests.log"; }
$AWSENV "$LAKETOP" restore "$WORK/aws-backups" --endpoint-url "$URLB" --dry-run >/dev/null 2>&1
$AWSENV "$LAKETOP" restore "$WORK/aws-backups" --endpoint-url "$URLB" --read-only >/dev/null 2>&1
st=$?
[ "$(mutating)" -eq 0 ] && [ $st -eq 2 ] &&
    ok "AWS: --dry-run and --read-only send no mutating request (the endpoint's log)" ||
    notok "AWS: dry run / read-only sent $(mutating) mutating requests"
$AWSENV "$LAKETOP" restore "$WORK/aws-backups" --endpoint-url "$URLB" >"$WORK/out" 2>"$WORK/err"
grep -q "restore: 3 databases, 10 tables created, 0 replaced, 0 skipped, 6 partitions added" "$WORK/out" &&
    ok "AWS: restore into an empty Glue catalog" || { notok "AWS restore"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /' | tail -5; }
$AWSENV "$LAKETOP" backup "$WORK/b-backups" --endpoint-url "$URLB" >/dev/null 2>&1
$PY - "$WORK/aws-backups" "$WORK/b-backups" <<'PYEOF' && ok "AWS: backup, restore, backup gives back every database, table and partition" || notok "AWS round trip"
import glob, json, os, sys
def load(root):
    root = sorted(glob.glob(os.path.join(root, "2*")))[-1]
    out = {}
    for path in glob.glob(os.path.join(root, "*", "**", "*.json"), recursive=True):
        rel = os.path.relpath(path, root)
        o = json.load(open(path))
        if rel.startswith("databases/"):
            o = {k: o.get(k) for k in ("Name", "Description", "LocationUri", "TargetDatabase", "Parameters")}
        elif rel.startswith("tables/"):
            o = {k: o.get(k) for k in ("Name", "DatabaseName", "TableType", "Description", "Parameters",
                                       "PartitionKeys", "StorageDescriptor")}
        else:
            o = sorted(json.dumps({k: p.get(k) for k in ("Values", "StorageDescriptor")}, sort_keys=True) for p in o)
        out[rel] = o
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = sorted(set(a) ^ set(b)) + [k for k in a if k in b and a[k] != b[k]]
if bad:
    print("# differ:", bad[:5])
sys.exit(1 if bad else 0)
PYEOF
$AWSENV "$LAKETOP" restore "$WORK/aws-backups" --endpoint-url "$URLB" >"$WORK/out" 2>&1
grep -q "0 tables created, 0 replaced, 10 skipped, 0 partitions added" "$WORK/out" &&
    ok "AWS: a second restore changes nothing" || { notok "AWS second restore"; tail -3 "$WORK/out" | sed 's/^/# /'; }
$AWSENV "$LAKETOP" restore "$WORK/backups" --endpoint-url "$URLB" >"$WORK/out" 2>"$WORK/err"
grep -q "restore: 5 databases, 21 tables created" "$WORK/out" &&
    ok "the local lake's backup restores into Glue (Glue's model accepts it)" ||
    { notok "local backup into Glue"; cat "$WORK/err" | sed 's/^/# /' | tail -3; }

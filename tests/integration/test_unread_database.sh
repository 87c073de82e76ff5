#!/bin/sh
# test_unread_database.sh: a database whose GetTables fails (after its
# retries) on a first refresh is not an empty one (issue 10, item 1): in
# --once's JSON its tables, bytes, objects, stale_tables and error_tables are
# null beside its error, never 0; --format table's totals say "?" and how
# many databases could not be read; --once exits 1 naming each database.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint broken --seed "$WORK/seed.json" --fail-rate 1 --fault-ops GetTables
EP="http://127.0.0.1:$(wait_port broken)" || { notok "endpoint started"; exit 1; }
DATABASES=$($PY -c "import json,sys; print(len(json.load(open(sys.argv[1]))['databases']))" "$WORK/seed.json")

timeout 120 "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/once.json" 2>"$WORK/once.err"
st=$?
$PY - "$WORK/once.json" "$DATABASES" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
dbs = d["databases"]
keys = ("tables", "bytes", "objects", "stale_tables", "error_tables")
bad = [(x["name"], k, x[k]) for x in dbs for k in keys if x[k] is not None]
good = len(dbs) == want and all(x["error"] for x in dbs) and not bad
print(("ok" if good else "not ok") +
      f" - GetTables failing: {len(dbs)} of {want} databases with an error, their counts null" +
      (f" (not null: {bad[:4]})" if bad else ""))
sys.exit(0 if good else 1)
PYEOF
[ $? -eq 0 ] || FAILED=1
[ $st -eq 1 ] && [ "$(grep -c '^laketop: database .*GetTables' "$WORK/once.err")" -eq "$DATABASES" ] &&
    ok "--once exits 1 and names each database that could not be read" ||
    { notok "--once's exit ($st) and stderr"; sed 's/^/# /' "$WORK/once.err" | head -5; }

timeout 120 "$LAKETOP" --endpoint-url "$EP" --once --format table >"$WORK/once.txt" 2>/dev/null
tail -1 "$WORK/once.txt" | grep -qx "$DATABASES databases ($DATABASES could not be read: their tables unknown), ? tables, ? in ? files, ? stale, ? with errors" &&
    ok "--format table: the totals are '?', not 0" ||
    { notok "--format table's totals"; tail -2 "$WORK/once.txt" | sed 's/^/# /'; }

# a database that was read keeps its counts (the same endpoint, GetTables answering)
start_endpoint clean --seed "$WORK/seed.json"
timeout 120 "$LAKETOP" --endpoint-url "http://127.0.0.1:$(wait_port clean)" --once >"$WORK/clean.json" 2>/dev/null
$PY -c "
import json, sys
d = json.load(open(sys.argv[1]))
seeded = sum(len(x.get('tables', [])) for x in json.load(open(sys.argv[2]))['databases'])
dbs = d['databases']
ok = dbs and all(x['error'] is None and all(isinstance(x[k], int) for k in ('tables', 'bytes', 'objects')) for x in dbs)
sys.exit(0 if ok and sum(x['tables'] for x in dbs) == seeded else 1)" "$WORK/clean.json" "$WORK/seed.json" &&
    ok "databases that were read: their counts are numbers (tables summing to the seed's)" ||
    { notok "clean databases' counts"; grep -A3 '"name"' "$WORK/clean.json" | head -20 | sed 's/^/# /'; }
exit $FAILED

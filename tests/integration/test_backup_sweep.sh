#!/bin/sh
# test_backup_sweep.sh: what killed backups leave is cleaned up (issue 10,
# item 15), and backups of the same second never share a name (item 11).
# - local: .partial-* directories whose writer is dead (by pid and start
#   time), or of an older laketop and over an hour old, and empty held names
#   over an hour old, are removed by the next backup, which says so; a live
#   writer's are kept;
# - $TMPDIR: the staging directory of an S3 backup killed (kill -9) while its
#   PutObject stalled is removed by the next backup; names laketop did not
#   make are kept;
# - S3: a backup prefix without manifest.json is listed by restore --dry-run
#   and removed by backup --prune-incomplete when over an hour old (a young
#   one is left, said why), complete backups untouched;
# - two S3 backups in the same second (LAKETOP_NOW pinned): STAMP and
#   STAMP-2, both complete; the restore takes STAMP-2.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" TMPDIR="$WORK/tmp"
aws_env
export LAKETOP_RETRY_BASE_MS=20
mkdir -p "$HOME" "$TMPDIR"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { notok "demo lake"; exit 1; }

# a pid that is surely dead: a process that ended
sh -c 'exit 0' &
DEAD=$!
wait $DEAD
# a live process and its start time (field 22 of /proc/PID/stat)
sleep 300 &
LIVE=$!
PIDS="$PIDS $LIVE"
start_of() { $PY -c "import sys; s=open('/proc/%s/stat' % sys.argv[1]).read(); print(s[s.rindex(')') + 2:].split()[19])" "$1"; }
LIVE_START=$(start_of $LIVE)

B="$WORK/backups"
mkdir -p "$B"
plant() { mkdir -p "$B/$1/databases" && echo '{}' >"$B/$1/databases/x.json"; }
plant ".partial-20260101T000000Z-$DEAD-12345-aB3dE9"   # this laketop's, writer dead
plant ".partial-20260101T000000Z-$DEAD-aB3dE9"         # an older laketop's, writer dead
plant ".partial-20260101T000000Z-$LIVE-Zz9yY8"         # an older laketop's, pid alive, 2 h old
touch -d '2 hours ago' "$B/.partial-20260101T000000Z-$LIVE-Zz9yY8"
plant ".partial-20260101T000000Z-$LIVE-$LIVE_START-Qq1wW2"  # a live writer's, 2 h old: kept
touch -d '2 hours ago' "$B/.partial-20260101T000000Z-$LIVE-$LIVE_START-Qq1wW2"
plant ".partial-20260101T000000Z-$LIVE-$((LIVE_START + 1))-Rr1tT2" # the pid reused: another process
mkdir "$B/20250101T000000Z" && touch -d '2 hours ago' "$B/20250101T000000Z" # a held name, never filled
mkdir "$B/20250102T000000Z"                                                 # held just now: kept
plant ".notours-$DEAD-aB3dE9"
mkdir -p "$TMPDIR/laketop-backup-$DEAD-77-xY7zW1/x" "$TMPDIR/laketop-backup-aB3dE9" "$TMPDIR/laketop-backup-test-aB3dE9"
touch -d '2 hours ago' "$TMPDIR/laketop-backup-aB3dE9" "$TMPDIR/laketop-backup-test-aB3dE9"

"$LAKETOP" backup "$B" --lake "$LAKE" >"$WORK/out" 2>"$WORK/err"
st=$?
left=$(cd "$B" && ls -A | grep -v '^2026' | sort | tr '\n' ' ')
want=$(printf '%s\n' ".notours-$DEAD-aB3dE9" ".partial-20260101T000000Z-$LIVE-$LIVE_START-Qq1wW2" 20250102T000000Z | sort | tr '\n' ' ')
[ $st -eq 0 ] && [ "$left" = "$want" ] &&
    ok "local: the dead writers' and old partials, the old empty name removed; a live writer's kept" ||
    { notok "local sweep (exit $st): left '$left', want '$want'"; sed 's/^/# /' "$WORK/err"; }
grep -q "laketop backup: removed 5 unfinished backups a killed backup left in $B: " "$WORK/err" &&
    ok "the backup says what it removed" || { notok "the sweep's note"; sed 's/^/# /' "$WORK/err"; }
tleft=$(ls -A "$TMPDIR" | tr '\n' ' ')
[ "$tleft" = "laketop-backup-test-aB3dE9 " ] && grep -q "removed 2 staging directories" "$WORK/err" &&
    ok "\$TMPDIR: the dead backup's and the old staging removed, a name laketop did not make kept" ||
    { notok "tmpdir sweep: left '$tleft'"; sed 's/^/# /' "$WORK/err"; }
rm -rf "$TMPDIR/laketop-backup-test-aB3dE9"

# S3: an old incomplete backup in the seed
cat >"$WORK/seed.json" <<'EOF2'
{"databases": [], "buckets": {"backup-bucket": {"objects": [
  {"key": "catalog/20250301T010000Z/databases/sales.json", "size": 10, "last_modified": "2025-03-01T01:00:00Z"},
  {"key": "catalog/20250301T010000Z/tables/sales/orders.json", "size": 20, "last_modified": "2025-03-01T01:00:05Z"}]}}}
EOF2
start_endpoint ep --seed "$WORK/seed.json"
start_endpoint stall --seed "$WORK/seed.json" --hostile PutObject=stall
EP="http://127.0.0.1:$(wait_port ep)"
EP_STALL="http://127.0.0.1:$(wait_port stall)"
keys() { /usr/bin/aws --endpoint-url "$EP" s3api list-objects-v2 --bucket backup-bucket \
    --prefix "$1" --query 'Contents[].Key' --output text 2>/dev/null | tr '\t' '\n' | grep -v '^None$'; }

# a real kill: an S3 backup stalled in its first PutObject, killed -9
AWS_ENDPOINT_URL="$EP_STALL" "$LAKETOP" backup s3://backup-bucket/catalog --lake "$LAKE" >/dev/null 2>&1 &
KILLED=$!
i=0
while [ -z "$(ls -A "$TMPDIR")" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
kill -9 $KILLED 2>/dev/null
wait $KILLED 2>/dev/null
staged=$(ls -A "$TMPDIR")
[ -n "$staged" ] && ok "a backup killed -9 mid-upload leaves its staging ($staged)" || notok "no staging left by the kill"

AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/catalog --lake "$LAKE" >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && [ -z "$(ls -A "$TMPDIR")" ] && grep -q "removed 1 staging directory a killed backup left in $TMPDIR: $staged" "$WORK/err" &&
    ok "the next backup removes the killed one's staging, and says so" ||
    { notok "staging of the killed backup (exit $st, left: $(ls -A "$TMPDIR"))"; sed 's/^/# /' "$WORK/err"; }
GOOD=$(sed -n 's/.* in s3:\/\/backup-bucket\/catalog\/\(.*\)$/\1/p' "$WORK/out")
echo '{}' >"$WORK/x.json"
/usr/bin/aws --endpoint-url "$EP" s3 cp "$WORK/x.json" s3://backup-bucket/catalog/20260102T030405Z-3/databases/x.json >/dev/null 2>&1

EMPTY="$WORK/empty"
mkdir -p "$EMPTY/catalog"
AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore s3://backup-bucket/catalog --lake "$EMPTY" --dry-run >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && grep -q "incomplete backup s3://backup-bucket/catalog/20250301T010000Z: 2 objects, no manifest" "$WORK/err" &&
    grep -q "incomplete backup s3://backup-bucket/catalog/20260102T030405Z-3: 1 object, no manifest" "$WORK/err" &&
    ! grep -q "incomplete backup .*$GOOD" "$WORK/err" && grep -q "catalog/$GOOD verified" "$WORK/err" &&
    ok "restore --dry-run lists the two incomplete backups, reads the complete one" ||
    { notok "restore --dry-run and incomplete backups (exit $st)"; sed 's/^/# /' "$WORK/err"; }

AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/catalog --lake "$LAKE" --prune-incomplete >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && [ -z "$(keys catalog/20250301T010000Z/)" ] && [ -n "$(keys catalog/20260102T030405Z-3/)" ] &&
    keys "catalog/$GOOD/" | grep -q manifest.json &&
    grep -q "removed the incomplete backup s3://backup-bucket/catalog/20250301T010000Z (2 objects, no manifest)" "$WORK/err" &&
    grep -q "left s3://backup-bucket/catalog/20260102T030405Z-3 (no manifest): .* it may be a backup still being written" "$WORK/err" &&
    ok "backup --prune-incomplete removes the old incomplete backup, leaves a young one, keeps the complete" ||
    { notok "--prune-incomplete (exit $st)"; sed 's/^/# /' "$WORK/err"; keys catalog/ | sed 's/^/# key /'; }
"$LAKETOP" backup "$B" --lake "$LAKE" --prune-incomplete >/dev/null 2>"$WORK/err"
[ $? -eq 0 ] && grep -q -- "--prune-incomplete is for s3:// backups" "$WORK/err" &&
    ok "--prune-incomplete with a local DEST: said it is for s3://" || notok "--prune-incomplete local"
"$LAKETOP" restore "$B" --lake "$EMPTY" --prune-incomplete >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q -- "--prune-incomplete goes with backup" "$WORK/err" &&
    ok "--prune-incomplete with restore: exit 2" || { notok "--prune-incomplete with restore"; sed 's/^/# /' "$WORK/err"; }

# two S3 backups in the same second
for n in 1 2; do
    LAKETOP_NOW=2026-01-01T00:00:00Z AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/same --lake "$LAKE" >"$WORK/same$n" 2>&1
done
A1=$(sed -n 's/.* in //p' "$WORK/same1")
A2=$(sed -n 's/.* in //p' "$WORK/same2")
[ "$A1" = "s3://backup-bucket/same/20260101T000000Z" ] && [ "$A2" = "s3://backup-bucket/same/20260101T000000Z-2" ] &&
    [ "$(keys same/ | grep -c '/manifest.json$')" -eq 2 ] &&
    ok "two S3 backups in the same second: $A1 and ...-2, both complete" ||
    { notok "same-second S3 backups: '$A1' '$A2'"; cat "$WORK/same1" "$WORK/same2" | sed 's/^/# /'; }
AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore s3://backup-bucket/same --lake "$EMPTY" --dry-run >/dev/null 2>"$WORK/err"
grep -q "s3://backup-bucket/same/20260101T000000Z-2 verified" "$WORK/err" &&
    ok "the restore from the prefix takes the newer, -2" || { notok "restore picks -2"; sed 's/^/# /' "$WORK/err"; }
# three at once, in the same second, from three processes: three names
RACE=""
for n in 1 2 3; do
    LAKETOP_NOW=2026-01-01T00:00:00Z AWS_ENDPOINT_URL="$EP" "$LAKETOP" backup s3://backup-bucket/race --lake "$LAKE" >"$WORK/race$n" 2>&1 &
    RACE="$RACE $!"
done
for p in $RACE; do wait "$p"; done
names=$(sed -n 's/.* in s3:\/\/backup-bucket\/race\///p' "$WORK/race1" "$WORK/race2" "$WORK/race3" | sort -u | tr '\n' ' ')
verified=0
for name in $names; do
    AWS_ENDPOINT_URL="$EP" "$LAKETOP" restore "s3://backup-bucket/race/$name" --lake "$EMPTY" --dry-run >/dev/null 2>"$WORK/err" &&
        grep -q "race/$name verified" "$WORK/err" && verified=$((verified + 1))
done
[ "$(echo $names | wc -w)" -eq 3 ] && [ $verified -eq 3 ] && ! keys race/ | grep -q 'laketop-claim' &&
    ok "three backups at once in one second: three names ($names), each verified, no claim left" ||
    { notok "concurrent same-second S3 backups: names '$names', $verified verified"; cat "$WORK"/race? | sed 's/^/# /'; }
exit $FAILED

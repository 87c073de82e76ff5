#!/bin/sh
# test_readonly.sh: --read-only sends no request that changes anything (the
# test endpoint's request log): a backup or an export to s3:// is refused
# (exit 2, said why) before a PutObject leaves; to a local directory they
# still run (they change nothing in the account); read_only = true in the
# config does the same. The same runs without --read-only do put objects,
# so the count below can see them. The dashboard's side (b, the daily
# export) is tests/screen/test_tui_readonly.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" TMPDIR="$WORK/tmp"
aws_env
export LAKETOP_RETRY_BASE_MS=20
mkdir -p "$HOME" "$TMPDIR"
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
# every table readable: an export of part of the lake is refused (item 1)
$PY - "$WORK/seed.json" <<'PYEOF'
import json, sys
seed = json.load(open(sys.argv[1]))
for b in seed["buckets"].values():
    b["denied"] = False
for d in seed["databases"]:  # a table in a bucket that does not exist
    d["tables"] = [t for t in d.get("tables", [])
                   if t.get("StorageDescriptor", {}).get("Location", "").split("/")[2:3] != ["no-such-bucket"]]
json.dump(seed, open(sys.argv[1], "w"))
PYEOF
start_endpoint ep --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)"
run() { "$LAKETOP" --endpoint-url "$EP" "$@"; }

# Requests that change something, counted from the endpoint's log (not by
# laketop's rule): an S3 request that is not GET or HEAD, a Glue or Athena
# operation that does not only read.
mutating() {
    $PY - "$WORK/requests.log" <<'PYEOF'
import json, re, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["service"] == "s3":
        n += r["method"] not in ("GET", "HEAD")
    else:
        n += not re.match(r"(Get|List|BatchGet|Search)[A-Z]", r.get("op") or "")
print(n)
PYEOF
}
: >"$WORK/requests.log"

for what in backup export; do
    status_is 2 run "$what" "s3://tricky-lake/ro-$what" --read-only &&
        stderr_has "read-only mode: a" && stderr_has "s3://tricky-lake/ro-$what writes to S3" &&
        [ "$(mutating)" -eq 0 ] &&
        ok "$what to s3:// under --read-only: exit 2, said why, no mutating request" ||
        notok "$what to s3:// under --read-only ($(mutating) mutating requests)"
done
status_is 0 run backup "$WORK/local-backups" --read-only && ls "$WORK"/local-backups/*/manifest.json >/dev/null 2>&1 &&
    [ "$(mutating)" -eq 0 ] &&
    ok "a local backup under --read-only runs, and sends nothing that changes the account" ||
    notok "local backup under --read-only ($(mutating) mutating requests)"
status_is 0 run export "$WORK/local-export" --read-only && [ -n "$(find "$WORK/local-export" -name tables.csv)" ] &&
    [ "$(mutating)" -eq 0 ] && ok "a local export under --read-only runs, and sends nothing that changes the account" ||
    notok "local export under --read-only ($(mutating) mutating requests)"
# read_only = true in the config, and the config's backup_dir as the destination
printf '[laketop]\nread_only = true\nbackup_dir = s3://tricky-lake/from-config\n' >"$WORK/ro.ini"
status_is 2 run backup --config "$WORK/ro.ini" && stderr_has "s3://tricky-lake/from-config writes to S3" &&
    [ "$(mutating)" -eq 0 ] && ok "read_only = true in the config, backup_dir on s3://: refused, nothing sent" ||
    notok "config read_only ($(mutating) mutating requests)"

# without --read-only the same runs put objects: the count sees them
status_is 0 run backup s3://tricky-lake/rw-backup && [ "$(mutating)" -gt 0 ] &&
    ok "without --read-only a backup to s3:// puts objects ($(mutating) mutating requests seen)" ||
    notok "backup to s3:// without --read-only"
before=$(mutating)
status_is 0 run export s3://tricky-lake/rw-export && [ "$(mutating)" -gt "$before" ] &&
    ok "... and so does an export ($(($(mutating) - before)) more)" || notok "export to s3:// without --read-only"
exit $FAILED

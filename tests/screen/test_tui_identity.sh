#!/bin/sh
# test_tui_identity.sh: who am I on screen, and switching profiles (issue
# 11 items 6, 7), against the test endpoint's STS: the title shows the
# profile, region, account and user; a protected account's crawl asks for
# the account id to be typed (a wrong one does nothing); P lists the
# profiles of ~/.aws/config and credentials and switches: the old figures
# stay, the title says the switch is in progress, until the new profile's
# first refresh, then its account; the local lake has no profiles.
set -u
LAKETOP=${1:?usage: test_tui_identity.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-identity-XXXXXX")
EP1=""
EP2=""
trap 'stop; [ -n "$EP1" ] && kill $EP1 2>/dev/null; [ -n "$EP2" ] && kill $EP2 2>/dev/null; rm -rf "$WORK"' EXIT
FAILED=0
notok_() { notok "$@"; FAILED=1; }
check_() { if wait_for "$2" "${3:-100}"; then ok "$1"; else notok_ "$1 (expected \"$2\")"; fi; }
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
cat >"$WORK/iam.json" <<'JSON'
{"principals": [
  {"access_key": "AKIDOPS", "secret_key": "ops/secret", "arn": "arn:aws:iam::123456789012:user/ops-readonly"},
  {"access_key": "AKIDSTAGING", "secret_key": "staging/secret", "arn": "arn:aws:iam::210987654321:user/staging-ro"}]}
JSON
P1=$(free_port)
P2=$(free_port)
mkdir -p "$WORK/.aws"
# each profile its own endpoint: staging's is not up until later
cat >"$WORK/.aws/config" <<INI
[profile ops]
region = us-east-1
endpoint_url = http://127.0.0.1:$P1
[profile staging]
region = us-east-1
endpoint_url = http://127.0.0.1:$P2
[sso-session corp]
sso_region = us-east-1
INI
cat >"$WORK/.aws/credentials" <<'INI'
[ops]
aws_access_key_id = AKIDOPS
aws_secret_access_key = ops/secret
[staging]
aws_access_key_id = AKIDSTAGING
aws_secret_access_key = staging/secret
INI
printf '[laketop]\nprotected_accounts = 123456789012\nbackup_dir = s3://tricky-lake/backups\n' >"$WORK/laketop.conf"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --iam "$WORK/iam.json" --port "$P1" \
    --request-log "$WORK/requests1.log" >"$WORK/ep1.log" 2>&1 &
EP1=$!
i=0
while ! $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', $P1), 1)" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
ENV="env HOME=$WORK XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true LAKETOP_RETRY_BASE_MS=20 LANG=C.UTF-8 LC_ALL=C.UTF-8"
start 120 30 "$ENV $LAKETOP --config $WORK/laketop.conf --profile ops --themes-dir $HERE/../../themes --view databases"
check_ "the title shows the profile, region, account and user" "ops@us-east-1 123456789012 ops-readonly"
check_ "the ops account's databases are shown" "tricky"

# a protected account: the crawl wants the id typed
keys C
check_ "the crawlers" "good-crawler"
keys j j c
check_ "c on a protected account asks for its id" "protected account: type 123456789012"
keys 1 2 3 Enter
check_ "a wrong id does nothing" "the account id typed is not 123456789012: nothing done"
n=$(grep -c '"op": "StartCrawler"' "$WORK/requests1.log")
[ "$n" -eq 0 ] && ok "... no StartCrawler sent" || notok_ "$n StartCrawler after a wrong id"
keys c
check_ "asked again" "protected account: type 123456789012"
keys 1 2 3 4 5 6 7 8 9 0 1 2 Enter
check_ "the right id starts the crawler" "crawler good-crawler started"
i=0
while [ "$(grep -c '"op": "StartCrawler"' "$WORK/requests1.log")" -lt 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
n=$(grep -c '"op": "StartCrawler"' "$WORK/requests1.log")
[ "$n" -eq 1 ] && ok "... one StartCrawler" || notok_ "$n StartCrawler after the right id"
wait_for "idle" 100 >/dev/null
keys Escape
i=0 # the crawl job ends (a switch waits for running actions)
while screen | grep -qF "action running" && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done

# a backup to s3:// of the protected account asks for the id too
keys b
check_ "b with backup_dir on s3:// asks for the protected account's id" "protected account: type 123456789012"
keys Escape
check_ "... Esc cancels" "backup cancelled"

# P: the profiles, the shown one marked; sso-session is no profile
keys P
check_ "P lists the profiles" "AWS profiles"
check_ "... ops, marked as shown" "> ops  (shown)"
check_ "... and staging" "  staging"
if screen | grep -qF "corp"; then notok_ "an sso-session is listed as a profile"; else ok "an sso-session is no profile"; fi
keys j Enter
check_ "the title says the switch is in progress" "(switching to staging"
# staging's endpoint is not up: its reading fails, the title says so (the
# reason on the message line) and the switch goes on
check_ "... not read yet: said in the title, retried" "(switching to staging: not read yet, retrying...)" 200
check_ "... the old figures stay on screen meanwhile" "tricky"
check_ "... and the title still names what is shown" "ops@us-east-1 123456789012 ops-readonly"
# staging's endpoint comes up (another seed): its figures replace the old
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$HERE/../fixtures/seed_example.json" --iam "$WORK/iam.json" \
    --port "$P2" --request-log "$WORK/requests2.log" >"$WORK/ep2.log" 2>&1 &
EP2=$!
i=0
while ! $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', $P2), 1)" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
keys r
check_ "the new profile's account and user in the title" "staging@us-east-1 210987654321 staging-ro" 200
check_ "... its databases" "weblogs"
if wait_gone "switching to" 50; then ok "... the switch is over"; else notok_ "the title still says switching"; fi
if screen | grep -qF "tricky"; then notok_ "the old account's database is still listed"; else ok "... the old figures are gone"; fi
grep '"op": "GetDatabases"' "$WORK/requests2.log" | grep -qF '"principal": "arn:aws:iam::210987654321:user/staging-ro"' &&
    ok "... read with the staging keys" || notok_ "staging GetDatabases not signed by staging-ro"
# staging is not protected: a crawl asks only y
keys C
check_ "the new account's crawlers" "Crawlers"
keys P
check_ "P again: staging is the one shown" "> staging  (shown)"
keys Escape
keys q
check_ "q quits" "EXITED 0"

# the command line on a terminal: the id typed at the prompt
start 120 10 "$ENV $LAKETOP --config $WORK/laketop.conf --profile ops crawl events-crawler --no-wait"
check_ "crawl on a terminal: the protected account's id is asked" "account 123456789012 ops-readonly is protected: type its id to go on:"
keys 1 2 3 Enter
check_ "... a wrong id: nothing done, exit 2" "EXITED 2"
before=$(grep -c '"op": "StartCrawler"' "$WORK/requests1.log")
start 120 10 "$ENV $LAKETOP --config $WORK/laketop.conf --profile ops crawl events-crawler --no-wait"
check_ "asked again" "type its id to go on:"
keys 1 2 3 4 5 6 7 8 9 0 1 2 Enter
check_ "... the right id: the crawl runs, exit 0" "EXITED 0"
[ "$(grep -c '"op": "StartCrawler"' "$WORK/requests1.log")" -eq $((before + 1)) ] &&
    ok "... one StartCrawler, after the right id only" || notok_ "StartCrawler count $(grep -c '"op": "StartCrawler"' "$WORK/requests1.log"), before $before"

# the daily export to s3:// of a protected account waits for the id (a
# lake read whole: the export waits for one)
kill $EP1
wait $EP1 2>/dev/null
cat >"$WORK/whole.json" <<'JSON'
{"account_id": "123456789012", "default_time": "2025-01-01T00:00:00Z",
 "databases": [{"Name": "sales", "LocationUri": "s3://whole/",
   "tables": [{"Name": "orders", "StorageDescriptor": {"Location": "s3://whole/orders/", "Columns": []}}]}],
 "buckets": {"whole": {"objects": [{"key": "orders/a.parquet", "size": 10, "last_modified": "2025-01-01T01:00:00Z"}]}}}
JSON
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/whole.json" --iam "$WORK/iam.json" --port "$P1" \
    --request-log "$WORK/requests3.log" >"$WORK/ep3.log" 2>&1 &
EP1=$!
i=0
while ! $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', $P1), 1)" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
printf '[laketop]\nprotected_accounts = 123456789012\nexport_dir = s3://whole/exports\n' >"$WORK/export.conf"
puts() { grep -c '"op": "PutObject"' "$WORK/requests3.log"; }
before=$(puts)
start 120 30 "$ENV $LAKETOP --config $WORK/export.conf --profile ops --themes-dir $HERE/../../themes --view databases"
check_ "the daily export to a protected account asks for the id" "Export the day's figures to s3://whole/exports?" 200
check_ "... typed" "protected account: type 123456789012"
[ "$(puts)" -eq "$before" ] && ok "... nothing written before it is typed" || notok_ "PutObject before the id: $(puts) vs $before"
keys 1 2 3 4 5 6 7 8 9 0 1 2 Enter
i=0
while [ "$(puts)" -eq "$before" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(puts)" -gt "$before" ] && ok "... the right id: the export writes to S3" || notok_ "no PutObject after the id"
keys q
wait_for "EXITED" 100 >/dev/null || { keys l; wait_for "EXITED" 100 >/dev/null; }
before=$(puts)
start 120 30 "$ENV $LAKETOP --config $WORK/export.conf --profile ops --themes-dir $HERE/../../themes --view databases"
check_ "asked again in a new run" "protected account: type 123456789012" 200
keys Escape
check_ "... Esc: the day's export is skipped, and said" "not confirmed: it waits for tomorrow"
sleep 1
[ "$(puts)" -eq "$before" ] && ok "... and nothing written" || notok_ "PutObject after Esc"
keys q
check_ "q quits" "EXITED 0"

# the local lake: no profiles
$LAKETOP demo "$WORK/lake" --days 3 2>/dev/null
start 100 30 "$ENV $LAKETOP --lake $WORK/lake --themes-dir $HERE/../../themes --view databases"
check_ "the local lake starts" "Databases"
keys P
check_ "P on the local lake: no AWS profiles" "a local lake: there are no AWS profiles to switch to"
keys q
check_ "q quits" "EXITED 0"
stop
exit $FAILED

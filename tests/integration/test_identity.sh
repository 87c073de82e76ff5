#!/bin/sh
# test_identity.sh: who am I (issue 11 item 6) against the test endpoint's
# STS: --once JSON's "identity" (account, arn, profile, credentials method)
# as the endpoint's IAM file says, null for the local lake; check's summary
# line names the account; a GetCallerIdentity that fails leaves the figures
# and an unknown identity; protected_accounts: a crawl of a protected
# account needs --confirm-account (or a terminal), a wrong id or another
# account's credentials stop it, --read-only is stronger; a malformed list
# is FILE:LINE.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
aws_env
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export LAKETOP_RETRY_BASE_MS=20 HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME/.aws"
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
OPS_ARN=arn:aws:iam::123456789012:user/ops-readonly
STAGING_ARN=arn:aws:iam::210987654321:user/staging-ro
cat >"$WORK/iam.json" <<JSON
{"principals": [
  {"access_key": "AKIDOPS", "secret_key": "ops/secret", "arn": "$OPS_ARN"},
  {"access_key": "AKIDSTAGING", "secret_key": "staging/secret", "arn": "$STAGING_ARN"}]}
JSON
cat >"$HOME/.aws/credentials" <<'INI'
[ops]
aws_access_key_id = AKIDOPS
aws_secret_access_key = ops/secret
[staging]
aws_access_key_id = AKIDSTAGING
aws_secret_access_key = staging/secret
INI
start_endpoint ep --seed "$WORK/seed.json" --iam "$WORK/iam.json" --request-log "$WORK/requests.log"
PORT=$(wait_port ep) || { notok "the endpoint starts"; exit 1; }
URL=http://127.0.0.1:$PORT
member() { # member FILE KEY: identity.KEY of a --once JSON, "null" when null
    $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); i=d.get("identity", "absent")
print("absent" if i == "absent" else "null" if i is None else ("null" if i.get(sys.argv[2]) is None else i[sys.argv[2]]))' "$1" "$2"
}

# --once: the identity of the profile's keys, as the IAM file has it
"$LAKETOP" --profile ops --endpoint-url "$URL" --once --format json >"$WORK/ops.json" 2>"$WORK/ops.err"
ops_status=$? # 1: the seed has tables that cannot be read, on purpose
[ "$(member "$WORK/ops.json" account)" = 123456789012 ] && [ "$(member "$WORK/ops.json" arn)" = "$OPS_ARN" ] &&
    ok "--once JSON: identity.account and arn are the ops keys' principal" ||
    notok "--once JSON identity: $(member "$WORK/ops.json" account) $(member "$WORK/ops.json" arn)"
[ "$(member "$WORK/ops.json" profile)" = ops ] && [ "$(member "$WORK/ops.json" credentials)" = profile ] &&
    ok "... identity.profile ops, credentials profile (keys in the credentials file)" ||
    notok "identity profile/credentials: $(member "$WORK/ops.json" profile) $(member "$WORK/ops.json" credentials)"
expect "... and the figures are the seed's" $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/ops.json"
n=$(grep -c '"op": "GetCallerIdentity"' "$WORK/requests.log")
[ "$n" -eq 1 ] && ok "one GetCallerIdentity for the run" || notok "$n GetCallerIdentity requests"
grep '"op": "GetCallerIdentity"' "$WORK/requests.log" | grep -qF "\"principal\": \"$OPS_ARN\"" &&
    ok "... signed by the ops keys" || notok "GetCallerIdentity not signed by $OPS_ARN"
AWS_ACCESS_KEY_ID=AKIDSTAGING AWS_SECRET_ACCESS_KEY=staging/secret \
    "$LAKETOP" --endpoint-url "$URL" --once --format json >"$WORK/env.json" 2>/dev/null
[ "$(member "$WORK/env.json" account)" = 210987654321 ] && [ "$(member "$WORK/env.json" credentials)" = environment ] &&
    [ "$(member "$WORK/env.json" profile)" = default ] &&
    ok "environment keys: the other account, credentials environment, profile default" ||
    notok "environment identity: $(member "$WORK/env.json" account) $(member "$WORK/env.json" credentials) $(member "$WORK/env.json" profile)"

# check names the account in its summary line
"$LAKETOP" --profile ops --endpoint-url "$URL" check >"$WORK/check.out" 2>&1
head -n 1 "$WORK/check.out" | grep -qF ", account 123456789012 ops-readonly)" &&
    ok "check: the summary line names the account and the user" ||
    notok "check summary: $(head -n 1 "$WORK/check.out")"

# the local lake: "identity": null
"$LAKETOP" demo "$WORK/lake" --days 3 2>/dev/null
"$LAKETOP" --lake "$WORK/lake" --once --format json >"$WORK/local.json" 2>/dev/null
[ "$(member "$WORK/local.json" account)" = null ] && grep -q '"identity": null' "$WORK/local.json" &&
    ok "the local lake: \"identity\": null" || notok "local identity: $(member "$WORK/local.json" account)"

# GetCallerIdentity fails: the figures stand, the identity is unknown
stop_fixture ep
start_endpoint ep2 --seed "$WORK/seed.json" --iam "$WORK/iam.json" --fail-rate 1 --fault-ops GetCallerIdentity
PORT2=$(wait_port ep2) || { notok "the second endpoint starts"; exit 1; }
"$LAKETOP" --profile ops --endpoint-url "http://127.0.0.1:$PORT2" --once --format json >"$WORK/fail.json" 2>"$WORK/fail.err"
st=$?
[ "$(member "$WORK/fail.json" account)" = null ] && [ "$(member "$WORK/fail.json" arn)" = null ] &&
    [ "$(member "$WORK/fail.json" profile)" = ops ] &&
    ok "GetCallerIdentity failing: account and arn null, the profile known" ||
    notok "failed identity: $(member "$WORK/fail.json" account) $(member "$WORK/fail.json" profile)"
expect "... the figures still the seed's" $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/fail.json"
[ $st -eq "$ops_status" ] && ! grep -q GetCallerIdentity "$WORK/fail.err" &&
    ok "... and the exit status of a run where it works ($st: not fatal)" ||
    notok "exit $st (wanted $ops_status): $(grep GetCallerIdentity "$WORK/fail.err")"
"$LAKETOP" --profile ops --endpoint-url "http://127.0.0.1:$PORT2" check >"$WORK/check2.out" 2>&1
head -n 1 "$WORK/check2.out" | grep -qF ", identity unknown)" &&
    ok "check: the summary says the identity is unknown" || notok "check summary: $(head -n 1 "$WORK/check2.out")"

# protected_accounts: a crawl of a protected account
stop_fixture ep2
start_endpoint ep3 --seed "$WORK/seed.json" --iam "$WORK/iam.json" --request-log "$WORK/requests3.log"
PORT3=$(wait_port ep3) || { notok "the third endpoint starts"; exit 1; }
URL=http://127.0.0.1:$PORT3
printf '[laketop]\nprotected_accounts = 123456789012, 000000000042\n' >"$WORK/protected.conf"
starts() { grep -c '"op": "StartCrawler"' "$WORK/requests3.log"; }
crawl() { "$LAKETOP" --config "$WORK/protected.conf" --endpoint-url "$URL" "$@" </dev/null; }
expect "protected account, no terminal, no --confirm-account: exit 2" \
    status_is 2 crawl --profile ops crawl good-crawler --no-wait
stderr_has "account 123456789012 is protected" && stderr_has "--confirm-account 123456789012" &&
    ok "... saying which account and how to confirm" || notok "protected message"
[ "$(starts)" -eq 0 ] && ok "... and no StartCrawler was sent" || notok "$(starts) StartCrawler sent"
expect "--confirm-account with another id: exit 2" \
    status_is 2 crawl --profile ops --confirm-account 210987654321 crawl good-crawler --no-wait
stderr_has "are of account 123456789012" && ok "... naming the account the credentials are of" ||
    notok "mismatch message"
expect "--confirm-account the right id: the crawl runs" \
    status_is 0 crawl --profile ops --confirm-account 123456789012 crawl good-crawler --no-wait
[ "$(starts)" -eq 1 ] && ok "... one StartCrawler" || notok "$(starts) StartCrawler after the confirmed crawl"
expect "another profile's account, not protected: the crawl runs without it" \
    status_is 0 crawl --profile staging crawl events-crawler --no-wait
expect "the wrong profile for the account a script means: --confirm-account stops it" \
    status_is 2 crawl --profile staging --confirm-account 123456789012 crawl good-crawler --no-wait
expect "--read-only is stronger than --confirm-account" \
    status_is 2 crawl --profile ops --read-only --confirm-account 123456789012 crawl good-crawler --no-wait
stderr_has "read-only mode" && ok "... read-only says why" || notok "read-only message"
[ "$(starts)" -eq 2 ] && ok "StartCrawler only for the two crawls that ran" || notok "$(starts) StartCrawler in all"

# a malformed list: FILE:LINE
printf '[laketop]\ntheme = dark\nprotected_accounts = 123456789012, 12345\n' >"$WORK/bad.conf"
expect "a protected_accounts entry that is not 12 digits: exit 2" \
    status_is 2 "$LAKETOP" --config "$WORK/bad.conf" --lake "$WORK/lake" --once
stderr_has "$WORK/bad.conf:3: protected_accounts: \"12345\" is not an AWS account id" &&
    ok "... with FILE:LINE and the entry" || notok "bad list message"
exit $FAILED

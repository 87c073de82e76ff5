#!/bin/sh
# test_aws_sso.sh: IAM Identity Center (SSO) credentials against the test
# endpoint's portal and OIDC (fixtures/aws_endpoint.py --iam), with the
# token caches written by botocore itself (SSOTokenLoader on a
# JSONFileCache: the sso-session form as SSOTokenProvider writes it, the
# legacy form as the generic cache writes it, "...UTC"). Through
# tests/helpers/sso_driver.c (aws_sso_credentials alone, linked with the
# library beside the laketop given): an sso-session profile and a legacy
# one get role credentials, and laketop reading the lake with them (the
# endpoint refuses the base keys outside STS) gives the seed's figures,
# every data request signed by the SSO role's principal; an expired cached
# token, a missing one, a token the portal refuses (401) and a role it
# does not grant (403) each fail in under 5 s with one line naming the
# profile, exit 2; an expired token with a refresh token is refreshed with
# OIDC CreateToken and the cache file rewritten (0600, still read by
# botocore). No secret in any of those messages.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$ROOT" || exit 1
aws_env
export LAKETOP_RETRY_BASE_MS=20
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
mkdir -p "$HOME/.aws/sso/cache"
CACHE="$HOME/.aws/sso/cache"
# "now" for laketop and for the cached tokens' times: pinned, and the real
# time (the endpoint's credentials expire by the real clock)
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export LAKETOP_NOW="$NOW"
ACCOUNT=123456789012
ROLE=ReadOnly
SESSION_URL=https://d-92671207e4.awsapps.com/start
LEGACY_URL=https://legacy-lake.awsapps.com/start

# The driver, linked with the library built beside LAKETOP (build/base has
# no aws_sso.c: there it does not link, and the test fails).
LIB="$(dirname "$LAKETOP")/liblaketop.a"
DRIVER="$WORK/sso_driver"
# an ASan build's library needs the sanitizers at the link too
SAN=""
nm "$LIB" 2>/dev/null | grep -q ' U __asan_init' && SAN="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086 # the flag lists split on purpose
if ${CC:-cc} $SAN -std=c11 -D_GNU_SOURCE -I. $(pkg-config --cflags json-c) "$HELPERS/sso_driver.c" "$LIB" \
    $(pkg-config --libs ncursesw json-c inih libcurl expat) -lcrypto -lm -lpthread \
    -o "$DRIVER" 2>"$WORK/cc.log"; then
    ok "sso_driver links with $LIB"
else
    notok "sso_driver links with $LIB"
    sed 's/^/# /' "$WORK/cc.log" | head -5
    exit 1
fi

cat >"$WORK/iam.json" <<EOF
{"sso": {
  "tokens": [
    {"access_token": "aoaSESSIONTOKENalice", "user": "alice@example.com",
     "refresh_token": "aorREFRESHalice", "client_id": "cid-alice", "client_secret": "csecALICE"},
    {"access_token": "aoaLEGACYTOKENbob", "user": "bob@example.com"},
    {"access_token": "aoaREVOKEDTOKEN", "expired": true},
    {"access_token": "aoaNOACCESSTOKEN", "user": "carol@example.com"}
  ],
  "roles": [
    {"account_id": "$ACCOUNT", "role_name": "$ROLE",
     "tokens": ["aoaSESSIONTOKENalice", "aoaLEGACYTOKENbob", "aoaREVOKEDTOKEN"]}
  ]}}
EOF
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json" --iam "$WORK/iam.json" --base-keys-sts-only \
    --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)" || exit 1
export AWS_ENDPOINT_URL_SSO_OIDC="$EP"

# The caches, written by botocore: cache KEY ACCESS_TOKEN EXPIRES_IN_S FORM [extra JSON]
cache() {
    $PY - "$CACHE" "$NOW" "$@" <<'EOF'
import json, sys
from datetime import datetime, timedelta, timezone
from botocore.tokens import _sso_json_dumps
from botocore.utils import JSONFileCache, SSOTokenLoader
cache_dir, now, key, token, expires_in, form = sys.argv[1:7]
extra = json.loads(sys.argv[7]) if len(sys.argv) > 7 else {}
now = datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
entry = {"startUrl": "https://d-92671207e4.awsapps.com/start", "region": "us-east-1",
         "accessToken": token, "expiresAt": now + timedelta(seconds=int(expires_in))}
for k, v in extra.items():
    entry[k] = (now + timedelta(seconds=v)) if k.endswith("ExpiresAt") else v
if form == "session":   # SSOTokenProvider's cache: "%Y-%m-%dT%H:%M:%SZ"
    SSOTokenLoader(JSONFileCache(cache_dir, dumps_func=_sso_json_dumps)).save_token(
        None, entry, session_name=key)
else:                   # the legacy form, the generic cache: "...UTC"
    entry["startUrl"] = key
    SSOTokenLoader(JSONFileCache(cache_dir)).save_token(key, entry)
EOF
}
cache my-sso aoaSESSIONTOKENalice 28800 session
cache "$LEGACY_URL" aoaLEGACYTOKENbob 28800 legacy
cache stale aoaSESSIONTOKENalice -60 session
cache revoked aoaREVOKEDTOKEN 28800 session
cache noaccess aoaNOACCESSTOKEN 28800 session
cache refreshable aoaLONGGONEtoken -120 session \
    '{"refreshToken": "aorREFRESHalice", "clientId": "cid-alice", "clientSecret": "csecALICE", "registrationExpiresAt": 7776000}'
# a client registration beside them, as `aws sso login` leaves it
echo '{"clientId": "cid-alice", "clientSecret": "csecALICE"}' >"$CACHE/botocore-client-id-us-east-1.json"
grep -q '"expiresAt": "[0-9T:-]*Z"' "$CACHE/$($PY -c 'import hashlib; print(hashlib.sha1(b"my-sso").hexdigest())').json" &&
    grep -q '"expiresAt": "[0-9T:-]*UTC"' "$CACHE/$($PY -c "import hashlib; print(hashlib.sha1(b'$LEGACY_URL').hexdigest())").json" &&
    ok "botocore wrote the caches (\"...Z\" for the session, \"...UTC\" for the legacy form)" ||
    { notok "the caches botocore wrote"; ls "$CACHE" | sed 's/^/# /'; }

# drive NAME PROFILE SESSION START_URL [ROLE]: the driver, its output in
# WORK/NAME.out/.err/.env, its status in WORK/NAME.rc, its time in ms
drive() {
    name=$1 profile=$2 session=$3 url=$4
    t0=$($PY -c 'import time; print(int(time.time() * 1000))')
    "$DRIVER" "$profile" "$session" "$url" us-east-1 "$ACCOUNT" "${5:-$ROLE}" "$EP" - \
        "$WORK/$name.env" >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
    t1=$($PY -c 'import time; print(int(time.time() * 1000))')
    echo $((t1 - t0)) >"$WORK/$name.ms"
}

# reads NAME: laketop --once with the credentials NAME got; the figures
# against the seed's truth, and who signed the data requests
reads() {
    name=$1 user=$2
    : >"$WORK/requests.log"
    (
        # shellcheck disable=SC1090
        . "$WORK/$name.env"
        export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
        "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/$name.json" 2>"$WORK/$name.laketop.err"
    )
    $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/$name.json" >"$WORK/$name.check"
    if grep -q "^not ok" "$WORK/$name.check" || ! grep -q "^ok" "$WORK/$name.check"; then
        notok "$name: laketop with the SSO role's credentials reads the seed's figures"
        grep "^not ok" "$WORK/$name.check" | head -5 | sed 's/^/# /'
        head -3 "$WORK/$name.laketop.err" | sed 's/^/# /'
    else
        ok "$name: laketop with the SSO role's credentials reads the seed's figures ($(grep -c '^ok' "$WORK/$name.check") checks)"
    fi
    $PY - "$WORK/requests.log" "$ACCOUNT" "$ROLE" "$user" <<'EOF' && ok "$name: every S3 and Glue request signed by $ACCOUNT's AWSReservedSSO_${ROLE}_*/$user" || notok "$name: the principals of the data requests"
import json, re, sys
log, account, role, user = sys.argv[1:]
want = re.compile(r"arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s_[0-9a-f]{16}/%s$"
                  % (account, role, re.escape(user)))
n, bad = 0, []
for line in open(log):
    r = json.loads(line)
    if r.get("service") in ("s3", "glue", "athena"):
        n += 1
        if not want.match(r.get("principal") or ""):
            bad.append((r.get("service"), r.get("op"), r.get("principal")))
print("# %d data requests, %d not by the SSO role" % (n, len(bad)))
for b in bad[:5]:
    print("#", b)
sys.exit(0 if n > 0 and not bad else 1)
EOF
}

# The control: the base keys alone cannot read the lake here.
"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/base.json" 2>"$WORK/base.err"
st=$?
[ $st -ne 0 ] && grep -q "not authorized" "$WORK/base.err" &&
    ok "control: the base keys do not read the lake (exit $st: the endpoint allows them only STS)" ||
    { notok "control: the base keys read the lake (exit $st), so the next checks prove nothing"; head -3 "$WORK/base.err" | sed 's/^/# /'; }

# an sso-session profile
drive session sso-prof my-sso "$SESSION_URL"
[ "$(cat "$WORK/session.rc")" = 0 ] && grep -q "^ok ASIA" "$WORK/session.out" &&
    ok "sso-session profile: role credentials from the portal ($(cut -d' ' -f2 "$WORK/session.out"))" ||
    { notok "sso-session profile: exit $(cat "$WORK/session.rc")"; sed 's/^/# /' "$WORK/session.err"; }
# the expiration is the portal's (milliseconds) as seconds: within the hour it issued
exp=$(cut -d' ' -f3 "$WORK/session.out")
$PY -c "import sys, time; sys.exit(0 if 3500 < $exp - time.time() <= 3600 else 1)" 2>/dev/null &&
    ok "... expiring in an hour, as the portal said" || notok "... expiration $exp"
grep -q '"op": *"GetRoleCredentials".*"status": *200' "$WORK/requests.log" &&
    ok "... one GetRoleCredentials call" || notok "... no GetRoleCredentials in the request log"
reads session alice@example.com

# the legacy form (sso_start_url in the profile; the file named by the URL)
drive legacy legacy-prof - "$LEGACY_URL"
[ "$(cat "$WORK/legacy.rc")" = 0 ] && grep -q "^ok ASIA" "$WORK/legacy.out" &&
    ok "legacy SSO profile: role credentials from the portal" ||
    { notok "legacy SSO profile: exit $(cat "$WORK/legacy.rc")"; sed 's/^/# /' "$WORK/legacy.err"; }
reads legacy bob@example.com

# fails NAME WANT_MESSAGE: exit 2, the one line, in under 5 s
fails() {
    name=$1 want=$2
    rc=$(cat "$WORK/$name.rc") ms=$(cat "$WORK/$name.ms")
    if [ "$rc" = 2 ] && [ "$(cat "$WORK/$name.err")" = "$want" ] && [ "$ms" -lt 5000 ]; then
        ok "$name: exit 2 in $ms ms: $want"
    else
        notok "$name: exit $rc in $ms ms, wanted 2 and: $want"
        sed 's/^/# got: /' "$WORK/$name.err"
    fi
}
drive stale stale-prof stale "$SESSION_URL"
fails stale "the SSO session for profile stale-prof has expired: run \`aws sso login --profile stale-prof\`"
drive missing missing-prof no-such-session "$SESSION_URL"
fails missing "the SSO session for profile missing-prof has no cached token: run \`aws sso login --profile missing-prof\`"
drive revoked revoked-prof revoked "$SESSION_URL"
fails revoked "the SSO session for profile revoked-prof has expired or was revoked (the SSO portal refused the token): run \`aws sso login --profile revoked-prof\`"
drive noaccess noaccess-prof noaccess "$SESSION_URL"
fails noaccess "the SSO portal refused role $ROLE in account $ACCOUNT for profile noaccess-prof: No access"
drive otherrole sso-prof my-sso "$SESSION_URL" Admin
fails otherrole "the SSO portal refused role Admin in account $ACCOUNT for profile sso-prof: No access"

# an expired token with its refresh token: CreateToken, then the portal
refreshed="$CACHE/$($PY -c 'import hashlib; print(hashlib.sha1(b"refreshable").hexdigest())').json"
: >"$WORK/requests.log"
drive refresh refresh-prof refreshable "$SESSION_URL"
[ "$(cat "$WORK/refresh.rc")" = 0 ] && grep -q "^ok ASIA" "$WORK/refresh.out" &&
    ok "expired token with a refresh token: refreshed, role credentials" ||
    { notok "refresh: exit $(cat "$WORK/refresh.rc")"; sed 's/^/# /' "$WORK/refresh.err"; }
$PY - "$WORK/requests.log" <<'EOF' && ok "... CreateToken (200) before GetRoleCredentials (200)" || notok "... the calls"
import json, sys
ops = [(r.get("op"), r.get("status")) for r in map(json.loads, open(sys.argv[1]))]
print("#", ops)
sys.exit(0 if ops == [("CreateToken", 200), ("GetRoleCredentials", 200)] else 1)
EOF
# the cache file: rewritten, read back by botocore's own loader
$PY - "$CACHE" "$NOW" <<'EOF' && ok "... the cache file holds the new token (botocore reads it; client and registration kept)" || notok "... the rewritten cache file"
import sys
from datetime import datetime, timezone
import dateutil.parser
from botocore.utils import JSONFileCache, SSOTokenLoader
t = SSOTokenLoader(JSONFileCache(sys.argv[1]))(None, session_name="refreshable")
now = datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
left = (dateutil.parser.parse(t["expiresAt"]) - now).total_seconds()
print("# expiresAt", t["expiresAt"], "left", left, "refresh", t.get("refreshToken", "")[:3])
ok = (t["accessToken"].startswith("aoa") and t["accessToken"] != "aoaLONGGONEtoken"
      and 3000 < left <= 3600 and t["refreshToken"].startswith("aor")
      and t["refreshToken"] != "aorREFRESHalice" and t["clientId"] == "cid-alice"
      and t["clientSecret"] == "csecALICE" and "registrationExpiresAt" in t
      and t["startUrl"] == "https://d-92671207e4.awsapps.com/start")
sys.exit(0 if ok else 1)
EOF
[ "$(stat -c %a "$refreshed")" = 600 ] && ok "... mode 0600" || notok "... mode $(stat -c %a "$refreshed")"
ls "$CACHE" | grep -q 'tmp' && notok "... a temporary file was left: $(ls "$CACHE")" || ok "... no temporary file left"
# the new token is used without a refresh the next time
: >"$WORK/requests.log"
drive refresh2 refresh-prof refreshable "$SESSION_URL"
[ "$(cat "$WORK/refresh2.rc")" = 0 ] && ! grep -q CreateToken "$WORK/requests.log" &&
    ok "... and used as it is the next time (no second CreateToken)" || notok "... second use"
reads refresh alice@example.com
# a refresh token the OIDC service refuses: the session has expired
cache badrefresh aoaLONGGONEtoken -120 session \
    '{"refreshToken": "aorNOTKNOWN", "clientId": "cid-alice", "clientSecret": "csecALICE", "registrationExpiresAt": 7776000}'
drive badrefresh bad-refresh-prof badrefresh "$SESSION_URL"
fails badrefresh "the SSO session for profile bad-refresh-prof has expired: run \`aws sso login --profile bad-refresh-prof\`"

# A portal that answers wrongly: a proxy's HTML page, an 80 MiB answer,
# none at all. One line naming the portal or the profile, exit 2, < 5 s.
for mode in html-200 huge-body stall; do
    start_endpoint "ep-$mode" --seed "$WORK/seed.json" --iam "$WORK/iam.json" \
        --hostile "GetRoleCredentials=$mode"
done
for mode in html-200 huge-body stall; do
    port=$(wait_port "ep-$mode") || { notok "the $mode endpoint did not start"; continue; }
    t0=$($PY -c 'import time; print(int(time.time() * 1000))')
    "$DRIVER" sso-prof my-sso "$SESSION_URL" us-east-1 "$ACCOUNT" "$ROLE" "http://127.0.0.1:$port" - \
        >"$WORK/$mode.out" 2>"$WORK/$mode.err"
    rc=$?
    ms=$(($($PY -c 'import time; print(int(time.time() * 1000))') - t0))
    case $mode in
    html-200) want="profile sso-prof: the SSO portal's answer has no roleCredentials object" ;;
    huge-body) want="the SSO portal http://127.0.0.1:$port for profile sso-prof: the answer is over 64 KiB" ;;
    stall) want="the SSO portal http://127.0.0.1:$port for profile sso-prof: Operation timed out after" ;;
    esac
    [ $rc = 2 ] && [ "$ms" -lt 5000 ] && [ "$(wc -l <"$WORK/$mode.err")" = 1 ] && grep -qF "$want" "$WORK/$mode.err" &&
        ok "a portal answering $mode: exit 2 in $ms ms: $(cat "$WORK/$mode.err")" ||
        { notok "a portal answering $mode: exit $rc in $ms ms, wanted 2 and: $want"; sed 's/^/# got: /' "$WORK/$mode.err"; }
done

# The whole laketop (the credential chain, collector/aws/aws_config.c):
# the same profiles in ~/.aws/config, the portal found by --endpoint-url.
export AWS_CONFIG_FILE="$WORK/aws-config"
cat >"$AWS_CONFIG_FILE" <<EOF
[profile sso-prof]
sso_session = my-sso
sso_account_id = $ACCOUNT
sso_role_name = $ROLE
region = us-east-1

[sso-session my-sso]
sso_start_url = $SESSION_URL
sso_region = us-east-1

[profile legacy-prof]
sso_start_url = $LEGACY_URL
sso_region = us-east-1
sso_account_id = $ACCOUNT
sso_role_name = $ROLE
region = us-east-1

[profile stale-prof]
sso_session = stale
sso_account_id = $ACCOUNT
sso_role_name = $ROLE

[sso-session stale]
sso_start_url = $SESSION_URL
sso_region = us-east-1

[profile revoked-prof]
sso_session = revoked
sso_account_id = $ACCOUNT
sso_role_name = $ROLE

[sso-session revoked]
sso_start_url = $SESSION_URL
sso_region = us-east-1
EOF
# laketop_reads NAME PROFILE USER: --once with the profile, the figures and
# who signed the data requests (as reads above)
laketop_reads() {
    name=$1 profile=$2
    : >"$WORK/requests.log"
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$LAKETOP" --profile "$profile" \
        --endpoint-url "$EP" --once >"$WORK/$name.json" 2>"$WORK/$name.laketop.err"
    $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/$name.json" >"$WORK/$name.check" 2>&1
    if grep -q "^not ok" "$WORK/$name.check" || ! grep -q "^ok" "$WORK/$name.check"; then
        notok "laketop --profile $profile --once reads the seed's figures"
        grep "^not ok" "$WORK/$name.check" | head -5 | sed 's/^/# /'
        head -3 "$WORK/$name.laketop.err" | sed 's/^/# /'
    else
        ok "laketop --profile $profile --once reads the seed's figures ($(grep -c '^ok' "$WORK/$name.check") checks)"
    fi
    $PY - "$WORK/requests.log" "$ACCOUNT" "$ROLE" "$3" <<'EOF' && ok "... every S3 and Glue request signed by AWSReservedSSO_${ROLE}_*/$3, one GetRoleCredentials" || notok "... the principals of the data requests, or more than one GetRoleCredentials"
import json, re, sys
log, account, role, user = sys.argv[1:]
want = re.compile(r"arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s_[0-9a-f]{16}/%s$"
                  % (account, role, re.escape(user)))
rows = [json.loads(line) for line in open(log)]
data = [r for r in rows if r.get("service") in ("s3", "glue", "athena")]
bad = [(r.get("op"), r.get("principal")) for r in data if not want.match(r.get("principal") or "")]
portal = [r for r in rows if r.get("op") == "GetRoleCredentials"]
print("# %d data requests, %d not by the SSO role, %d GetRoleCredentials" % (len(data), len(bad), len(portal)))
sys.exit(0 if data and not bad and len(portal) == 1 else 1)
EOF
}
laketop_reads whole-session sso-prof alice@example.com
laketop_reads whole-legacy legacy-prof bob@example.com
# laketop_fails NAME PROFILE WANT: exit 2 in under 5 s, WANT in its one line
laketop_fails() {
    t0=$($PY -c 'import time; print(int(time.time() * 1000))')
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$LAKETOP" --profile "$2" \
        --endpoint-url "$EP" --once >"$WORK/$1.json" 2>"$WORK/$1.laketop.err"
    rc=$?
    ms=$(($($PY -c 'import time; print(int(time.time() * 1000))') - t0))
    [ $rc = 2 ] && [ "$ms" -lt 5000 ] && [ "$(wc -l <"$WORK/$1.laketop.err")" = 1 ] &&
        grep -qF "$3" "$WORK/$1.laketop.err" &&
        ok "laketop --profile $2 --once: exit 2 in $ms ms: $(cat "$WORK/$1.laketop.err")" ||
        { notok "laketop --profile $2 --once: exit $rc in $ms ms, wanted 2 and: $3"; sed 's/^/# got: /' "$WORK/$1.laketop.err" | head -3; }
}
laketop_fails whole-stale stale-prof "the SSO session for profile stale-prof has expired: run \`aws sso login --profile stale-prof\`"
laketop_fails whole-revoked revoked-prof "the SSO session for profile revoked-prof has expired or was revoked (the SSO portal refused the token): run \`aws sso login --profile revoked-prof\`"

# No message and no output of the driver holds a token or a secret.
found=$(grep -laE 'aoa[A-Z]|aor[A-Z]|csecALICE' "$WORK"/*.out "$WORK"/*.err "$WORK"/*.laketop.err "$WORK"/base.json "$WORK"/session.json "$WORK"/legacy.json "$WORK"/refresh.json "$WORK"/whole-*.json 2>/dev/null)
[ -z "$found" ] && ok "no token or client secret in any message" || notok "secrets in: $found"
exit $FAILED

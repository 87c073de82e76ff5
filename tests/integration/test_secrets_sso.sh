#!/bin/sh
# test_secrets_sso.sh: no SSO or web identity secret in anything laketop
# prints or writes (issue 11 item 8). Recognisable SSO access tokens, a
# refresh token, a client secret and a web identity token are planted (the
# token caches written by botocore, a web identity token file), and the
# test endpoint records every secret key and session token it hands out,
# and every token OIDC CreateToken issues (--issued-log). Then:
#   A. the SSO role's credentials, got by tests/helpers/sso_driver.c (the
#      SSO code alone), given to laketop: --once (json, csv, table), check
#      (text, prometheus), export, backup, restore --dry-run, and a
#      dashboard in tmux; the history and the audit log are written;
#   B. laketop's own chain (issue 11 items 1-3, collector/aws/aws_config.c)
#      with an sso-session profile, a legacy one, one whose token must be
#      refreshed, a revoked and an expired one, web identity from a profile
#      and from the environment: --once, check, export, backup, and a
#      dashboard; these must reach the portal, OIDC and STS (the request
#      log), and the sso-session profile must read the seed's figures.
# Every stdout, stderr and file under OUT (HOME, the XDG directories,
# TMPDIR, exports, backups, the history, the audit log, the screens) is
# searched for each planted and each issued secret, raw, URI-encoded and
# JSON-escaped. The token store itself (~/.aws/sso/cache, which laketop
# rewrites on a refresh as the AWS CLI does) is not an output and is left
# out of the search.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
cd "$ROOT" || exit 1
OUT="$WORK/out"
export HOME="$OUT/home" XDG_STATE_HOME="$OUT/state" XDG_DATA_HOME="$OUT/data" TMPDIR="$OUT/tmp"
export XDG_CONFIG_HOME="$OUT/config"
mkdir -p "$HOME/.aws/sso/cache" "$TMPDIR" "$XDG_CONFIG_HOME" "$WORK/aws"
CACHE="$HOME/.aws/sso/cache"
aws_env
export LAKETOP_RETRY_BASE_MS=20
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export LAKETOP_NOW="$NOW"
ACCOUNT=123456789012
URL=https://d-92671207e4.awsapps.com/start
LEGACY_URL=https://legacy-lake.awsapps.com/start
SOCK="laketop-secrets-sso-$$"
trap 'for s in a b-sso b-revoked; do tmux -L "$SOCK-$s" kill-server 2>/dev/null; done; cleanup' EXIT

# the planted secrets (each holds PLANTED, so a fragment is found too)
T_SESSION=aoaPLANTEDSSOACCESSsession7Qx0
T_LEGACY=aoaPLANTEDSSOACCESSlegacy9Zk3
T_EXPIRED=aoaPLANTEDSSOACCESSexpired4Rt1
T_REVOKED=aoaPLANTEDSSOACCESSrevoked2Mn8
T_REFRESH=aorPLANTEDSSOREFRESH/with+chars=
T_CLIENT=PLANTEDSSOCLIENTSECRET/c+s=
T_WEB=eyJPLANTEDWEBIDENTITY.eyJzdWIiOiJwb2QifQ.sig-PLANTED_x
printf '%s' "$T_WEB" >"$WORK/aws/web-identity-token"

cat >"$WORK/iam.json" <<EOF
{"roles": [
  {"arn": "arn:aws:iam::$ACCOUNT:role/pod", "trust": [], "web_identity_tokens": ["$T_WEB"]}],
 "sso": {
  "tokens": [
    {"access_token": "$T_SESSION", "user": "alice@example.com",
     "refresh_token": "$T_REFRESH", "client_id": "cid-alice", "client_secret": "$T_CLIENT"},
    {"access_token": "$T_LEGACY", "user": "bob@example.com"},
    {"access_token": "$T_REVOKED", "expired": true}],
  "roles": [{"account_id": "$ACCOUNT", "role_name": "ReadOnly", "tokens": "*"}]}}
EOF
# the test seed with every table readable (export refuses a lake with an
# unreadable table): the denied bucket allowed, the table of a missing bucket gone
$PY "$HELPERS/aws_seed.py" write "$WORK/tricky.json" "$WORK/truth.json"
$PY - "$WORK/tricky.json" "$WORK/seed.json" <<'EOF'
import json, sys
seed = json.load(open(sys.argv[1]))
for b in seed["buckets"].values():
    b["denied"] = False
for d in seed["databases"]:
    d["tables"] = [t for t in d.get("tables", [])
                   if "no-such-bucket" not in t.get("StorageDescriptor", {}).get("Location", "")]
json.dump(seed, open(sys.argv[2], "w"))
EOF
ISSUED="$WORK/issued.txt"
: >"$ISSUED"
start_endpoint ep --seed "$WORK/seed.json" --iam "$WORK/iam.json" --base-keys-sts-only \
    --request-log "$WORK/requests.log" --issued-log "$ISSUED"
EP="http://127.0.0.1:$(wait_port ep)" || exit 1
export AWS_ENDPOINT_URL_SSO_OIDC="$EP"

export AWS_CONFIG_FILE="$WORK/aws/config"
cat >"$AWS_CONFIG_FILE" <<EOF
[profile sso-prof]
sso_session = lake-sso
sso_account_id = $ACCOUNT
sso_role_name = ReadOnly
region = us-east-1

[sso-session lake-sso]
sso_start_url = $URL
sso_region = us-east-1

[profile legacy-prof]
sso_start_url = $LEGACY_URL
sso_region = us-east-1
sso_account_id = $ACCOUNT
sso_role_name = ReadOnly
region = us-east-1

[profile refresh-prof]
sso_session = refresh-sso
sso_account_id = $ACCOUNT
sso_role_name = ReadOnly
region = us-east-1

[sso-session refresh-sso]
sso_start_url = $URL
sso_region = us-east-1

[profile revoked-prof]
sso_session = revoked-sso
sso_account_id = $ACCOUNT
sso_role_name = ReadOnly
region = us-east-1

[sso-session revoked-sso]
sso_start_url = $URL
sso_region = us-east-1

[profile stale-prof]
sso_session = stale-sso
sso_account_id = $ACCOUNT
sso_role_name = ReadOnly
region = us-east-1

[sso-session stale-sso]
sso_start_url = $URL
sso_region = us-east-1

[profile wi-prof]
role_arn = arn:aws:iam::$ACCOUNT:role/pod
web_identity_token_file = $WORK/aws/web-identity-token
region = us-east-1
EOF

# the caches, written by botocore: cache KEY ACCESS_TOKEN EXPIRES_IN_S FORM [extra JSON]
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
if form == "session":
    SSOTokenLoader(JSONFileCache(cache_dir, dumps_func=_sso_json_dumps)).save_token(
        None, entry, session_name=key)
else:
    entry["startUrl"] = key
    SSOTokenLoader(JSONFileCache(cache_dir)).save_token(key, entry)
EOF
}
REFRESH_EXTRA="{\"refreshToken\": \"$T_REFRESH\", \"clientId\": \"cid-alice\", \"clientSecret\": \"$T_CLIENT\", \"registrationExpiresAt\": 7776000}"
cache lake-sso "$T_SESSION" 28800 session "$REFRESH_EXTRA"
cache "$LEGACY_URL" "$T_LEGACY" 28800 legacy
cache refresh-sso "$T_EXPIRED" -300 session "$REFRESH_EXTRA"
cache revoked-sso "$T_REVOKED" 28800 session
cache stale-sso "$T_EXPIRED" -300 session
echo "{\"clientId\": \"cid-alice\", \"clientSecret\": \"$T_CLIENT\"}" >"$CACHE/botocore-client-id-us-east-1.json"

out() { # out NAME ARGS...: one laketop run, to OUT/NAME.out and OUT/NAME.err
    name=$1
    shift
    "$LAKETOP" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    echo $? >"$OUT/$name.rc"
}

# A dashboard in tmux, ENV and ARGS its environment and options: its
# screens to OUT/NAME-screens.txt.
dashboard() {
    name=$1 envs=$2
    shift 2
    tm() { tmux -L "$SOCK-$name" "$@"; }
    tm -f /dev/null new-session -d -s s -x 220 -y 40 \
        "env HOME=$HOME XDG_STATE_HOME=$XDG_STATE_HOME XDG_DATA_HOME=$XDG_DATA_HOME TMPDIR=$TMPDIR AWS_CONFIG_FILE=$AWS_CONFIG_FILE LAKETOP_NOW=$NOW LANG=C.UTF-8 LC_ALL=C.UTF-8 $envs '$LAKETOP' --endpoint-url $EP --themes-dir '$ROOT/themes' --interval 2s $* 2>'$OUT/$name-dashboard.err'; echo EXITED \$?; sleep 600"
    i=0 # until figures or an error are on screen
    until tm capture-pane -p -t s:0.0 2>/dev/null | grep -qE 'weblogs|tricky|Exception|expired|denied|error'; do
        i=$((i + 1))
        [ $i -gt 150 ] && break
        sleep 0.1
    done
    tm capture-pane -p -t s:0.0 >>"$OUT/$name-screens.txt" 2>/dev/null
    for key in d t a C; do
        tm send-keys -t s:0.0 "$key" 2>/dev/null
        sleep 0.3
        tm capture-pane -p -t s:0.0 >>"$OUT/$name-screens.txt" 2>/dev/null
        tm send-keys -t s:0.0 Escape 2>/dev/null
    done
    sleep 2.2 # a second refresh
    tm capture-pane -p -t s:0.0 >>"$OUT/$name-screens.txt" 2>/dev/null
    tm send-keys -t s:0.0 q 2>/dev/null
    i=0
    until tm capture-pane -p -t s:0.0 2>/dev/null | grep -q "EXITED"; do
        i=$((i + 1))
        [ $i -gt 100 ] && break
        sleep 0.1
    done
    tm capture-pane -p -t s:0.0 >>"$OUT/$name-screens.txt" 2>/dev/null
    tm kill-server 2>/dev/null
}

# --- A: the SSO role's credentials (from the SSO code alone) in the environment
DRIVER="$WORK/sso_driver"
LIB="$(dirname "$LAKETOP")/liblaketop.a"
SAN="" # an ASan build's library needs the sanitizers at the link too
nm "$LIB" 2>/dev/null | grep -q ' U __asan_init' && SAN="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086 # the flag lists split on purpose
${CC:-cc} $SAN -std=c11 -D_GNU_SOURCE -I. $(pkg-config --cflags json-c) "$HELPERS/sso_driver.c" \
    "$LIB" $(pkg-config --libs ncursesw json-c inih libcurl expat) \
    -lcrypto -lm -lpthread -o "$DRIVER" 2>"$WORK/cc.log" ||
    { notok "sso_driver links"; sed 's/^/# /' "$WORK/cc.log" | head -5; exit 1; }
"$DRIVER" sso-prof lake-sso "$URL" us-east-1 "$ACCOUNT" ReadOnly "$EP" - "$WORK/role.env" \
    >"$OUT/driver.out" 2>"$OUT/driver.err" &&
    ok "the SSO role's credentials from the portal" || { notok "sso_driver: $(cat "$OUT/driver.err")"; exit 1; }
for p in refresh-prof:refresh-sso revoked-prof:revoked-sso stale-prof:stale-sso; do
    "$DRIVER" "${p%%:*}" "${p#*:}" "$URL" us-east-1 "$ACCOUNT" ReadOnly "$EP" - \
        >>"$OUT/driver.out" 2>>"$OUT/driver.err"
done
# the refresh above rewrote refresh-sso's cache: put the expired token back for B
cache refresh-sso "$T_EXPIRED" -300 session "$REFRESH_EXTRA"
(
    # shellcheck disable=SC1091
    . "$WORK/role.env"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    E="--endpoint-url $EP"
    out a-once-json $E --once
    out a-once-csv $E --once --format csv
    out a-once-table $E --once --format table
    out a-check $E check
    out a-check-prometheus $E check --format prometheus
    out a-export $E export "$OUT/a-export"
    out a-export-s3 $E export s3://tricky-lake/exports
    out a-backup $E backup "$OUT/a-backups"
    out a-restore-dry $E restore "$OUT/a-backups" --dry-run
    dashboard a "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY='$AWS_SECRET_ACCESS_KEY' AWS_SESSION_TOKEN='$AWS_SESSION_TOKEN'"
)
# read_all NAME: laketop's --once answer NAME has every table of the seed, none failed
read_all() {
    $PY - "$WORK/seed.json" "$OUT/$1.out" <<'EOF'
import json, sys
seed, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
want = sorted("%s.%s" % (d["Name"], t["Name"]) for d in seed["databases"] for t in d.get("tables", []))
rows = got["tables"]
have = sorted("%s.%s" % (t["database"], t["name"]) for t in rows)
bad = [t["name"] for t in rows if t.get("error")]
print("# %d tables, %d with an error" % (len(have), len(bad)))
sys.exit(0 if have == want and not bad else 1)
EOF
}
read_all a-once-json >"$WORK/a.check" 2>&1 && [ "$(cat "$OUT/a-once-json.rc")" = 0 ] &&
    ok "A: laketop read every table with the SSO role's credentials" ||
    { notok "A: laketop did not read the lake (exit $(cat "$OUT/a-once-json.rc"))"; head -3 "$OUT/a-once-json.err" "$WORK/a.check" | sed 's/^/# /'; }
ls "$OUT"/a-backups/* >/dev/null 2>&1 && [ -n "$(find "$OUT/a-export" -type f 2>/dev/null)" ] &&
    ok "A: a backup and an export were written" || notok "A: no backup or export written"
[ -s "$XDG_STATE_HOME/laketop/audit.log" ] && ok "A: the audit log was written" || notok "A: no audit log"
[ -n "$(find "$OUT" -name 'history.tsv' -size +0)" ] && ok "A: a history was written" || notok "A: no history written"

# --- B: laketop's own chain
: >"$WORK/requests.log"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
E="--endpoint-url $EP"
for p in sso-prof legacy-prof refresh-prof revoked-prof stale-prof wi-prof; do
    out "b-$p-once" $E --profile "$p" --once
    out "b-$p-check" $E --profile "$p" check
done
out b-sso-prof-export $E --profile sso-prof export "$OUT/b-export"
out b-sso-prof-backup $E --profile sso-prof backup "$OUT/b-backups"
out b-sso-prof-csv $E --profile sso-prof --once --format csv
AWS_ROLE_ARN="arn:aws:iam::$ACCOUNT:role/pod" AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/aws/web-identity-token" \
    AWS_ROLE_SESSION_NAME=pod-session out b-wi-env-once $E --once
AWS_ROLE_ARN="arn:aws:iam::$ACCOUNT:role/pod" AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/aws/web-identity-token" \
    out b-wi-env-check $E check
dashboard b-sso "" --profile sso-prof
dashboard b-revoked "" --profile revoked-prof
read_all b-sso-prof-once >"$WORK/b.check" 2>&1 && [ "$(cat "$OUT/b-sso-prof-once.rc")" = 0 ] &&
    ok "B: laketop --profile sso-prof read every table" ||
    { notok "B: laketop --profile sso-prof did not read the lake (needs the chain of issue 11 items 1-3)"; head -3 "$OUT/b-sso-prof-once.err" | sed 's/^/# /'; }
$PY - "$WORK/requests.log" <<'EOF' && ok "B: the chain reached the portal, OIDC and STS" || notok "B: the chain did not reach the portal, OIDC and STS (needs issue 11 items 1-3)"
import collections, json, sys
n = collections.Counter((r.get("op"), r.get("status")) for r in map(json.loads, open(sys.argv[1])))
print("#", dict((k, v) for k, v in n.items() if k[0] in ("GetRoleCredentials", "CreateToken", "AssumeRoleWithWebIdentity")))
sys.exit(0 if n[("GetRoleCredentials", 200)] >= 3 and n[("GetRoleCredentials", 401)] >= 1
         and n[("CreateToken", 200)] >= 1 and n[("AssumeRoleWithWebIdentity", 200)] >= 2 else 1)
EOF
grep -q "aws sso login --profile stale-prof" "$OUT/b-stale-prof-once.err" &&
    grep -q "aws sso login --profile revoked-prof" "$OUT/b-revoked-prof-once.err" &&
    ok "B: the expired and the revoked session say to log in again" ||
    { notok "B: the expired/revoked messages"; cat "$OUT/b-stale-prof-once.err" "$OUT/b-revoked-prof-once.err" | head -4 | sed 's/^/# /'; }

# --- The search: every file under OUT but the token store.
n_issued=$(sort -u "$ISSUED" | grep -c .)
[ "$n_issued" -ge 4 ] && ok "the endpoint issued $n_issued secrets (keys, session tokens, OIDC tokens)" ||
    notok "the endpoint issued only $n_issued secrets"
files=$(find "$OUT" -type f ! -path "$CACHE/*")
n_files=$(echo "$files" | grep -c .)
# shellcheck disable=SC2086 # the file list splits on newlines only
search() { # search VALUE: the files that hold VALUE raw, URI-encoded or JSON-escaped
    enc=$($PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1")
    IFS='
'
    grep -laF -e "$1" -e "$enc" -e "$(printf '%s' "$1" | sed 's|/|\\/|g')" $files 2>/dev/null
    unset IFS
}
leaks=0
for value in "$T_SESSION" "$T_LEGACY" "$T_EXPIRED" "$T_REVOKED" "$T_REFRESH" "$T_CLIENT" "$T_WEB" PLANTED; do
    found=$(search "$value")
    [ -z "$found" ] || {
        notok "a planted secret (${value%"${value#????????????}"}...) appears in: $(echo "$found" | sed "s|$OUT/||" | tr '\n' ' ')"
        leaks=1
    }
done
[ $leaks = 0 ] && ok "no planted SSO token, client secret or web identity token in the $n_files files laketop wrote or printed"
leaks=0
while IFS= read -r value; do
    [ -n "$value" ] || continue
    found=$(search "$value")
    [ -z "$found" ] || {
        notok "an issued secret appears in: $(echo "$found" | sed "s|$OUT/||" | tr '\n' ' ')"
        leaks=1
    }
done <<EOF
$(sort -u "$ISSUED")
EOF
[ $leaks = 0 ] && ok "none of the $n_issued issued secrets (role keys, session tokens, refreshed tokens) in those files"
# the search finds what it looks for (else it proves nothing)
printf 'x %s y\n' "$T_WEB" >"$WORK/probe.txt"
files="$WORK/probe.txt"
search "$T_WEB" | grep -q probe && ok "control: the search finds a planted token" ||
    notok "control: the search misses a planted token"
exit $FAILED

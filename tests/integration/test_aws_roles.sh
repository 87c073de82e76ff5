#!/bin/sh
# test_aws_roles.sh: the credential chain against the test endpoint's STS
# (tests/fixtures/aws_endpoint.py --iam, --base-keys-sts-only: the base keys
# may call only STS, so a figure read with them would fail). Each case reads
# the lake with the same per-table figures as static keys (aws_seed.py
# check) and the request log proves every S3/Glue/Athena request was signed
# by the assumed principal: source_profile, a chain of two with
# role_session_name, credential_source = Environment, external_id, web
# identity from the environment and from a profile, credentials that expire
# during a run. Refused role, wrong external_id, cycle, MFA without a
# terminal and a missing source fail in under 5 s, exit 2, one line naming
# the profile. Then the differential test: the kind of credentials laketop
# picks for each profile of a test ~/.aws/config equals botocore's
# Session(profile=P).get_credentials().method.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home"
mkdir -p "$HOME/.aws"
aws_env
export LAKETOP_RETRY_BASE_MS=20
unset AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME AWS_ENDPOINT_URL_STS \
    AWS_ENDPOINT_URL_SSO AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI || true

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
BASE=arn:aws:iam::111111111111:user/base
ACCT=123456789012
cat >"$WORK/iam.json" <<EOF
{"principals": [{"access_key": "$KEY", "secret_key": "$SECRET", "arn": "$BASE"}],
 "roles": [
  {"arn": "arn:aws:iam::$ACCT:role/ops-readonly", "trust": ["$BASE"]},
  {"arn": "arn:aws:iam::$ACCT:role/chained", "trust": ["arn:aws:iam::$ACCT:role/ops-readonly"]},
  {"arn": "arn:aws:iam::$ACCT:role/partner", "trust": "*", "external_id": "partner-7"},
  {"arn": "arn:aws:iam::$ACCT:role/admin", "trust": "*",
   "mfa_serial": "arn:aws:iam::111111111111:mfa/base", "mfa_code": "123456"},
  {"arn": "arn:aws:iam::$ACCT:role/pod", "trust": [],
   "web_identity_tokens": ["eyJ.pod-token.1"]},
  {"arn": "arn:aws:iam::$ACCT:role/untrusting", "trust": ["arn:aws:iam::$ACCT:user/someone"]}
 ]}
EOF
start_endpoint ep --seed "$WORK/seed.json" --iam "$WORK/iam.json" --base-keys-sts-only \
    --request-log "$WORK/ep.log"
EP="http://127.0.0.1:$(wait_port ep)"
export AWS_ENDPOINT_URL="$EP"
printf 'eyJ.pod-token.1\n' >"$WORK/token"

cat >"$HOME/.aws/credentials" <<EOF
[base]
aws_access_key_id = $KEY
aws_secret_access_key = $SECRET
EOF
cat >"$HOME/.aws/config" <<EOF
[default]
region = us-east-1
[profile base]
region = us-east-1
[profile ops]
role_arn = arn:aws:iam::$ACCT:role/ops-readonly
source_profile = base
[profile chain]
role_arn = arn:aws:iam::$ACCT:role/chained
source_profile = ops
role_session_name = chain-session
[profile envrole]
role_arn = arn:aws:iam::$ACCT:role/ops-readonly
credential_source = Environment
role_session_name = env-session
[profile partner]
role_arn = arn:aws:iam::$ACCT:role/partner
source_profile = base
external_id = partner-7
[profile wrongext]
role_arn = arn:aws:iam::$ACCT:role/partner
source_profile = base
external_id = partner-8
[profile refused]
role_arn = arn:aws:iam::$ACCT:role/untrusting
source_profile = base
[profile mfa]
role_arn = arn:aws:iam::$ACCT:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/base
[profile cycle_a]
role_arn = arn:aws:iam::$ACCT:role/ops-readonly
source_profile = cycle_b
[profile cycle_b]
role_arn = arn:aws:iam::$ACCT:role/ops-readonly
source_profile = cycle_a
[profile orphan]
role_arn = arn:aws:iam::$ACCT:role/ops-readonly
source_profile = nobody
[profile pod]
role_arn = arn:aws:iam::$ACCT:role/pod
web_identity_token_file = $WORK/token
role_session_name = pod-session
EOF

# the log's lines from here on
mark() { wc -l <"$WORK/ep.log" 2>/dev/null || echo 0; }

# principals FROM WANT: every S3/Glue/Athena request after line FROM was
# signed by WANT (a prefix of the principal's ARN), and there was one
principals() {
    $PY - "$WORK/ep.log" "$1" "$2" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]
data = [json.loads(l) for l in lines]
data = [r for r in data if r["service"] in ("s3", "glue", "athena")]
bad = [r for r in data if not (r.get("principal") or "").startswith(sys.argv[3])]
for r in bad[:5]:
    print("# %s %s signed by %s (%s)" % (r["service"], r.get("op"), r.get("principal"), r.get("error")))
sys.exit(0 if data and not bad else 1)
EOF
}

# sts_calls FROM OP: how many OP calls STS answered 200 after line FROM
sts_calls() {
    $PY - "$WORK/ep.log" "$1" "$2" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]
print(sum(1 for l in lines for r in [json.loads(l)]
          if r["service"] == "sts" and r.get("op") == sys.argv[3] and r["status"] == 200))
EOF
}

# figures NAME WHAT: the JSON's per-table figures against the seed's truth
figures() {
    if $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/$1.json" >"$WORK/check" 2>&1 &&
        ! grep -q "^not ok" "$WORK/check"; then
        ok "$2: the same figures as static keys"
    else
        notok "$2: the figures"
        grep "^not ok" "$WORK/check" | head -5 | sed 's/^/# /'
        sed 's/^/# stderr: /' "$WORK/err" | head -5
    fi
}

# reads DESCRIPTION PRINCIPAL ARGS...: laketop --once ARGS reads the lake
# exactly, every data request signed by PRINCIPAL
reads() {
    d=$1
    want=$2
    shift 2
    from=$(mark)
    "$LAKETOP" --once "$@" >"$WORK/out.json" 2>"$WORK/err"
    figures out "$d"
    if principals "$from" "$want"; then ok "$d: every data request signed by $want"; else
        notok "$d: signed by $want"
    fi
}

# fails DESCRIPTION TEXT... -- ARGS...: laketop --once ARGS fails in under
# 5 s with exit 2 and one line on stderr holding every TEXT
fails() {
    d=$1
    shift
    texts=""
    while [ "$1" != "--" ]; do
        texts="$texts
$1"
        shift
    done
    shift
    started=$($PY -c 'import time; print(time.monotonic())')
    "$LAKETOP" --once "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    st=$?
    took=$($PY -c "import time; print(time.monotonic() - $started < 5)")
    lines=$(wc -l <"$WORK/err")
    good=1
    [ "$st" -eq 2 ] || { echo "# exit $st"; good=0; }
    [ "$took" = True ] || { echo "# took 5 s or more"; good=0; }
    [ "$lines" -eq 1 ] || { echo "# $lines lines on stderr"; good=0; }
    echo "$texts" | while IFS= read -r t; do
        [ -z "$t" ] || grep -qF -- "$t" "$WORK/err" || { echo "# stderr lacks: $t"; exit 1; }
    done || good=0
    grep -qF -- "$SECRET" "$WORK/err" && { echo "# the secret key is shown"; good=0; }
    if [ $good -eq 1 ]; then ok "$d: exit 2 in under 5 s, one line"; else
        notok "$d"
        sed 's/^/# stderr: /' "$WORK/err" | head -5
    fi
}

# the base keys alone read nothing (the endpoint's --base-keys-sts-only)
"$LAKETOP" --profile base --once >/dev/null 2>"$WORK/err"
grep -q "not authorized" "$WORK/err" && ok "the base keys alone may not read the lake" ||
    notok "the base keys alone read the lake"

reads "source_profile" "arn:aws:sts::$ACCT:assumed-role/ops-readonly/laketop-" --profile ops
reads "a chain of two with role_session_name" "arn:aws:sts::$ACCT:assumed-role/chained/chain-session" \
    --profile chain
reads "credential_source = Environment" "arn:aws:sts::$ACCT:assumed-role/ops-readonly/env-session" \
    --profile envrole
reads "external_id" "arn:aws:sts::$ACCT:assumed-role/partner/" --profile partner
reads "web identity from a profile" "arn:aws:sts::$ACCT:assumed-role/pod/pod-session" --profile pod
(
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    export AWS_ROLE_ARN="arn:aws:iam::$ACCT:role/pod" AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token" \
        AWS_ROLE_SESSION_NAME=eks-session
    reads "web identity from the environment (EKS)" "arn:aws:sts::$ACCT:assumed-role/pod/eks-session" \
        --aws
    # the environment's web identity comes before the keys of AWS_PROFILE's profile
    export AWS_PROFILE=base
    reads "AWS_PROFILE with keys, web identity in the environment" \
        "arn:aws:sts::$ACCT:assumed-role/pod/eks-session" --aws
) | tee "$WORK/sub.tap"
grep -q "^not ok" "$WORK/sub.tap" && FAILED=1

fails "a role that does not trust the caller" "profile refused" "AssumeRole arn:aws:iam::$ACCT:role/untrusting" \
    "AccessDenied" -- --profile refused
fails "a wrong external_id" "profile wrongext" "AccessDenied" -- --profile wrongext
fails "a source_profile cycle" "profile cycle_a" "cycle_a -> cycle_b -> cycle_a" -- --profile cycle_a
fails "a missing source_profile" "profile orphan" "\"nobody\"" -- --profile orphan
fails "MFA with --once" "profile mfa needs an MFA code" "mfa_serial arn:aws:iam::111111111111:mfa/base" \
    "run the dashboard in a terminal" -- --profile mfa
# check, and the dashboard with no terminal, never wait for a code either
timeout 10 "$LAKETOP" --profile mfa check >"$WORK/out" 2>"$WORK/err" </dev/null
st=$?
[ $st -eq 2 ] && grep -q "needs an MFA code" "$WORK/err" && ok "MFA with check: exit 2, the reason" ||
    { notok "MFA with check (exit $st)"; sed 's/^/# /' "$WORK/err" | head -3; }
timeout 10 "$LAKETOP" --profile mfa >"$WORK/out" 2>"$WORK/err" </dev/null
st=$?
[ $st -eq 2 ] && grep -q "needs an MFA code" "$WORK/err" && ok "MFA without a terminal: exit 2, no wait" ||
    { notok "MFA without a terminal (exit $st)"; sed 's/^/# /' "$WORK/err" | head -3; }
printf 'eyJ.not-listed\n' >"$WORK/token"
fails "web identity with a token STS refuses" "profile pod" "AssumeRoleWithWebIdentity" \
    "AccessDenied" -- --profile pod
printf 'eyJ.pod-token.1\n' >"$WORK/token"

# credentials that expire during the run: 3 s lifetimes, a --once of about
# 10 s (one request at a time, 350 ms each); the figures stay exact, every
# data request is answered for the chained role, and STS is called about
# once per lifetime, not once per request. Renewal is ahead of expiry (half
# the lifetime before it): on a loaded machine a request can still reach
# the endpoint after its credentials died, so a refusal is allowed, but
# each is renewed and sent again, and renewals with no refusal before them
# show the renewal ahead of time (a client that renewed only on refusal
# would have none).
stop_fixture ep
start_endpoint short --seed "$WORK/seed.json" --iam "$WORK/iam.json" --base-keys-sts-only \
    --credential-lifetime 3 --latency-ms 350 --request-log "$WORK/short.log"
export AWS_ENDPOINT_URL="http://127.0.0.1:$(wait_port short)"
started=$($PY -c 'import time; print(time.monotonic())')
"$LAKETOP" --profile chain --concurrency 1 --once >"$WORK/short.json" 2>"$WORK/err"
took=$($PY -c "import time; print(int(time.monotonic() - $started))")
figures short "3 s credentials over a ${took} s run"
# renewals.py LOG: one JSON line of counts from an endpoint's request log:
# data requests, those refused as expired, those of them sent again with
# other keys and answered, answered ones not signed by the chained role, the
# chained role's renewals (AssumeRole signed by an assumed role), and the
# renewals whose last data request before them was not refused
cat >"$WORK/renewals.py" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
DATA = ("s3", "glue", "athena", "states", "s3tables")
data = [i for i, r in enumerate(rows) if r["service"] in DATA]
expired = {i for i in data if "Expired" in (rows[i].get("error") or "")}
wrong = [i for i in data if i not in expired and not (rows[i].get("principal") or "").startswith(
    "arn:aws:sts::123456789012:assumed-role/chained/chain-session")]
# one request at a time: the data line after a refused one is its retry
resent = 0
for k, i in enumerate(data):
    if i in expired and k + 1 < len(data):
        r, nxt = rows[i], rows[data[k + 1]]
        if (nxt["path"], nxt["query"]) == (r["path"], r["query"]) and \
                nxt["key"] != r["key"] and not nxt.get("error"):
            resent += 1
renew = [i for i, r in enumerate(rows) if r["service"] == "sts" and r.get("op") == "AssumeRole"
         and (r.get("principal") or "").startswith("arn:aws:sts::") and r["status"] == 200]
ahead = 0
for i in renew[1:]:
    before = [d for d in data if d < i]
    if before and before[-1] not in expired:
        ahead += 1
print(json.dumps({"data": len(data), "expired": len(expired), "resent": resent,
                  "wrong": len(wrong), "renewals": len(renew), "ahead": ahead}))
PYEOF
$PY - "$WORK/short.log" "$took" "$WORK/renewals.py" <<'PYEOF' >"$WORK/short.tap"
import json, subprocess, sys
took = int(sys.argv[2])
f = json.loads(subprocess.check_output([sys.executable, sys.argv[3], sys.argv[1]]))
answered = f["data"] - f["expired"]
print(("ok" if took >= 6 else "not ok") + " - the run outlived its credentials (%d s, 3 s each)" % took)
print(("ok" if f["resent"] == f["expired"] else "not ok") +
      " - every request refused as expired was sent again with new keys and answered (%d of %d)"
      % (f["resent"], f["expired"]))
print(("ok" if answered and not f["wrong"] else "not ok") +
      " - all %d answered data requests signed by the chained role (%d not)" % (answered, f["wrong"]))
# renewed at half their life: about one call per 1.5 s, far fewer than the
# requests (each renewal of the chain is two AssumeRole calls at the same
# latency, so a renewal costs the time of two data requests: half of them is
# the bound that still tells once-per-lifetime from once-per-request)
top = f["renewals"]
print(("ok" if 2 <= top and top < f["data"] / 2 else "not ok") +
      " - the chained role assumed %d times for %d requests over %d s" % (top, f["data"], took))
print(("ok" if f["ahead"] >= 1 else "not ok") +
      " - %d of its %d renewals came with no refusal before them" % (f["ahead"], top))
PYEOF
cat "$WORK/short.tap"
grep -q "^not ok" "$WORK/short.tap" && FAILED=1
stop_fixture short

# a service whose clock is ahead of laketop's: every credential is refused
# as expired after 5 requests, long before its Expiration (the endpoint's
# --credential-uses: no timing in it). Each refusal renews the keys it was
# signed with and sends the request again; when STS refuses the source
# role's keys (they signed 5 AssumeRole calls), those are renewed too. The
# figures stay exact, and the counts follow from the requests alone.
start_endpoint ahead --seed "$WORK/seed.json" --iam "$WORK/iam.json" --base-keys-sts-only \
    --credential-uses 5 --request-log "$WORK/ahead.log"
export AWS_ENDPOINT_URL="http://127.0.0.1:$(wait_port ahead)"
"$LAKETOP" --profile chain --concurrency 1 --once >"$WORK/ahead.json" 2>"$WORK/err"
figures ahead "credentials refused after 5 requests"
$PY - "$WORK/ahead.log" "$WORK/renewals.py" <<'PYEOF' >"$WORK/ahead.tap"
import json, subprocess, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
f = json.loads(subprocess.check_output([sys.executable, sys.argv[2], sys.argv[1]]))
sts_expired = [r for r in rows if r["service"] == "sts" and "Expired" in (r.get("error") or "")]
answered = f["data"] - f["expired"]
print(("ok" if f["expired"] >= 2 and f["resent"] == f["expired"] else "not ok") +
      " - %d of %d refused requests sent again with new keys and answered"
      % (f["resent"], f["expired"]))
# renewed once per refusal: not for every request, not twice for one
# (the first keys, then one renewal per refused request)
print(("ok" if f["renewals"] == f["expired"] + 1 else "not ok") +
      " - the chained role assumed %d times for %d refusals" % (f["renewals"], f["expired"]))
keys = {}
for r in rows:
    if (r.get("principal") or "").startswith("arn:aws:sts::123456789012:assumed-role/chained/"):
        keys.setdefault(r["key"], []).append(r["service"] + " " + (r.get("op") or ""))
print("# answered per chained key: " + ", ".join(str(len(v)) for v in keys.values()))
print(("ok" if sts_expired else "not ok") +
      " - STS refused the source role's keys %d times, and they were renewed" % len(sts_expired))
print(("ok" if answered and not f["wrong"] else "not ok") +
      " - all %d answered data requests signed by the chained role (%d not)" % (answered, f["wrong"]))
PYEOF
cat "$WORK/ahead.tap"
grep -q "^not ok" "$WORK/ahead.tap" && FAILED=1
stop_fixture ahead

# the differential test: laketop's kind for each profile against botocore's
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I$ROOT $(pkg-config --cflags json-c)"
LIBDIR=$(dirname "$LAKETOP")
SAN=""
nm "$LIBDIR/liblaketop.a" 2>/dev/null | grep -q __asan_init &&
    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
# shellcheck disable=SC2086 # word splitting of the flag lists is wanted
if cc $CFLAGS $SAN "$HELPERS/chain_driver.c" "$LIBDIR/liblaketop.a" \
    $(pkg-config --libs ncursesw json-c inih libcurl expat) -lcrypto -lm -lpthread \
    -o "$WORK/chain_driver" 2>"$WORK/cc.log"; then
    ok "chain_driver builds with $LIBDIR/liblaketop.a"
else
    notok "chain_driver builds"
    sed 's/^/# /' "$WORK/cc.log" | head -10
fi
D="$WORK/diff"
mkdir -p "$D/.aws"
cat >"$D/.aws/credentials" <<EOF
[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = SECRETBASE
[self]
aws_access_key_id = AKIDSELF
aws_secret_access_key = SECRETSELF
[both_files]
aws_access_key_id = AKIDBOTH
aws_secret_access_key = SECRETBOTH
EOF
cat >"$D/.aws/config" <<EOF
[default]
region = us-east-1
[profile cfgkeys]
aws_access_key_id = AKIDCFG
aws_secret_access_key = SECRETCFG
[profile both_files]
credential_process = printf '{"Version":1,"AccessKeyId":"AKIDP","SecretAccessKey":"SP"}'
[profile proc]
credential_process = printf '{"Version":1,"AccessKeyId":"AKIDP","SecretAccessKey":"SP"}'
[profile proc_and_cfgkeys]
aws_access_key_id = AKIDCFG
aws_secret_access_key = SECRETCFG
credential_process = printf '{"Version":1,"AccessKeyId":"AKIDP","SecretAccessKey":"SP"}'
[profile ops]
role_arn = arn:aws:iam::1:role/ops
source_profile = base
[profile chain]
role_arn = arn:aws:iam::1:role/chained
source_profile = ops
[profile self]
role_arn = arn:aws:iam::1:role/self
source_profile = self
[profile envrole]
role_arn = arn:aws:iam::1:role/env
credential_source = Environment
[profile pod]
role_arn = arn:aws:iam::1:role/pod
web_identity_token_file = $WORK/token
[profile onpod]
role_arn = arn:aws:iam::1:role/onpod
source_profile = pod
[profile onproc]
role_arn = arn:aws:iam::1:role/onproc
source_profile = proc
[profile ssosession]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
[profile ssolegacy]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Admin
[profile onsso]
role_arn = arn:aws:iam::1:role/onsso
source_profile = ssosession
[profile role_and_keys]
role_arn = arn:aws:iam::1:role/rk
source_profile = base
aws_access_key_id = AKIDRK
aws_secret_access_key = SECRETRK
[profile cycle_a]
role_arn = arn:aws:iam::1:role/a
source_profile = cycle_b
[profile cycle_b]
role_arn = arn:aws:iam::1:role/b
source_profile = cycle_a
[profile bare_role]
role_arn = arn:aws:iam::1:role/bare
[profile sso_half]
sso_session = corp
sso_account_id = 1
EOF
PROFILES="- base cfgkeys both_files proc proc_and_cfgkeys ops chain self envrole pod onpod onproc \
ssosession ssolegacy onsso role_and_keys cycle_a bare_role sso_half"
# shellcheck disable=SC2086
diff_env() { # diff_env LABEL VAR=VALUE...: the profiles in that environment
    label=$1
    shift
    env -i PATH="$PATH" HOME="$D" AWS_EC2_METADATA_DISABLED=true "$@" \
        $PY "$HELPERS/chain_botocore.py" "$WORK/chain_driver" $PROFILES >"$WORK/diff.tap" 2>&1
    sed "s/^\(not \)\{0,1\}ok - /&$label: /" "$WORK/diff.tap"
    grep -q "^not ok" "$WORK/diff.tap" && FAILED=1
    grep -q "^ok" "$WORK/diff.tap" || { notok "$label: no comparison"; }
}
diff_env "no environment"
diff_env "environment keys" AWS_ACCESS_KEY_ID=AKIDENV AWS_SECRET_ACCESS_KEY=SECRETENV
diff_env "EKS web identity" AWS_ROLE_ARN=arn:aws:iam::1:role/eks AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token"
diff_env "AWS_PROFILE=base, EKS web identity" AWS_PROFILE=base AWS_ROLE_ARN=arn:aws:iam::1:role/eks \
    AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token"
diff_env "AWS_PROFILE=ops, environment keys" AWS_PROFILE=ops AWS_ACCESS_KEY_ID=AKIDENV \
    AWS_SECRET_ACCESS_KEY=SECRETENV

exit $FAILED

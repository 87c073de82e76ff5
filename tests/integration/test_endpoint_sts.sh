#!/bin/sh
# test_endpoint_sts.sh: the test endpoint's identities (tests/fixtures/
# aws_endpoint.py --iam: STS, the SSO portal, SSO OIDC) against outside
# clients only: Debian's botocore resolves each profile of a ~/.aws written by
# tests/helpers/aws_iam_setup.py (its own AssumeRole, web identity and SSO
# providers, sent to the endpoint by tests/helpers/botocore_creds.py), and
# Debian's awscli v2 (/usr/bin/aws) then reads Glue and S3 with the
# credentials it got. The request log must name the assumed principal. The
# argument (laketop's binary) is unused.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NO_LAKETOP=1
. "$HERE/lib.sh"
AWS=/usr/bin/aws
CREDS="$HELPERS/botocore_creds.py"

show() { sed 's/^/# /' "$@" | head -n 12; }

missing=""
[ -x "$AWS" ] || missing="$missing awscli"
$PY -c 'import botocore' 2>/dev/null || missing="$missing python3-botocore"
if [ -n "$missing" ]; then
    notok "prerequisites installed (missing:$missing; apt-get install -y$missing)"
    exit 1
fi

# --- a clean client environment: no AWS_* from outside, the generated ~/.aws -----
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do
    unset "$v"
done
$PY "$HELPERS/aws_iam_setup.py" write "$WORK/iam" || {
    notok "aws_iam_setup.py write"
    exit 1
}
. "$WORK/iam/env.sh"
export HOME="$IAM_HOME"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_DEFAULT_OUTPUT=json

cat >"$WORK/seed.json" <<'EOF'
{"account_id": "123456789012",
 "databases": [{"Name": "sales", "tables": [{"Name": "orders"}]}, {"Name": "weblogs"}],
 "buckets": {"lake": {"objects": [{"key": "orders/a.parquet", "size": 10},
                                  {"key": "orders/b.parquet", "size": 20},
                                  {"key": "weblogs/c.parquet", "size": 30}]}}}
EOF

start_endpoint ep --seed "$WORK/seed.json" --iam "$IAM_FILE" --base-keys-sts-only --request-log "$WORK/ep.log" \
    --issued-log "$WORK/issued"
PORT=$(wait_port ep) || {
    notok "endpoint started with --iam"
    exit 1
}
URL="http://127.0.0.1:$PORT"
LOG="$WORK/ep.log"

# base_env: the long-term keys of [base] in the environment
base_env() { export AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY='laketop/test/secret/key+with/special=chars'; }
no_env() { unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME || true; }
# assume PROFILE [ARGS]: botocore resolves PROFILE; its credentials go to the environment
assume() {
    no_env
    _p=$1
    shift
    $PY "$CREDS" export "$_p" "$URL" "$@" >"$WORK/export" 2>"$WORK/assume.err" || return 1
    . "$WORK/export"
}
# identity PROFILE [ARGS]: botocore's credentials for PROFILE, then GetCallerIdentity (JSON in WORK/who)
identity() { $PY "$CREDS" identity "$@" >"$WORK/who" 2>"$WORK/who.err"; }
field() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/who" "$1"; }
# log_since N: the request log's lines after line N
log_since() { tail -n +"$(($1 + 1))" "$LOG"; }
lines() { wc -l <"$LOG" | tr -d ' '; }
# principals_are N SERVICES ARN_PREFIX: every SERVICES (a|b) request after line N,
# and at least one, signed by a principal starting ARN_PREFIX
principals_are() {
    log_since "$1" | $PY -c '
import json, sys
services, want = sys.argv[1].split("|"), sys.argv[2]
recs = [json.loads(l) for l in sys.stdin if l.strip()]
recs = [r for r in recs if r["service"] in services]
bad = [r for r in recs if not (r["principal"] or "").startswith(want)]
for r in bad: print("# %s %s by %s" % (r["service"], r["op"], r["principal"]))
sys.exit(0 if recs and not bad else 1)' "$2" "$3"
}

# --- GetCallerIdentity with the base keys ------------------------------------
if identity base "$URL" && [ "$(field Arn)" = "$BASE_ARN" ] && [ "$(field Account)" = 111111111111 ] &&
    field UserId | grep -q '^AIDA'; then
    ok "GetCallerIdentity signed with the base keys: the IAM user, its account, an AIDA user id"
else
    notok "GetCallerIdentity (base)"
    show "$WORK/who" "$WORK/who.err"
fi

# --- the answers' XML, element by element (botocore's parser forgives more) ----------
cat >"$WORK/sts_shape.py" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
raw = {}
sts = botocore.session.Session().create_client(
    "sts", region_name="us-east-1", endpoint_url=url, aws_access_key_id="AKIDLAKETOPTEST",
    aws_secret_access_key="laketop/test/secret/key+with/special=chars", config=Config(retries={"max_attempts": 1}))
sts.meta.events.register("after-call", lambda http_response, **kw: raw.update(
    body=http_response.content, rid=http_response.headers.get("x-amzn-RequestId"), ctype=http_response.headers.get("Content-Type")))
fails = []
def need(root, path, what):
    el = root.find("/".join(NS + part for part in path.split("/")))
    if el is None or not (el.text or "").strip():
        fails.append(f"{what}: no {path}")
        return ""
    return el.text
sts.get_caller_identity()
root = ET.fromstring(raw["body"])
if root.tag != NS + "GetCallerIdentityResponse":
    fails.append("GetCallerIdentity root " + root.tag)
for f in ("Arn", "UserId", "Account"):
    need(root, "GetCallerIdentityResult/" + f, "GetCallerIdentity")
if need(root, "ResponseMetadata/RequestId", "GetCallerIdentity") != raw["rid"]:
    fails.append("GetCallerIdentity RequestId is not x-amzn-RequestId")
sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/ops-readonly", RoleSessionName="xml-check")
root = ET.fromstring(raw["body"])
if root.tag != NS + "AssumeRoleResponse" or not raw["ctype"].startswith("text/xml"):
    fails.append("AssumeRole root %s, %s" % (root.tag, raw["ctype"]))
for f in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"):
    need(root, "AssumeRoleResult/Credentials/" + f, "AssumeRole")
if need(root, "AssumeRoleResult/AssumedRoleUser/Arn", "AssumeRole") != "arn:aws:sts::123456789012:assumed-role/ops-readonly/xml-check":
    fails.append("AssumeRole AssumedRoleUser/Arn")
if not need(root, "AssumeRoleResult/AssumedRoleUser/AssumedRoleId", "AssumeRole").endswith(":xml-check"):
    fails.append("AssumeRole AssumedRoleId")
if not need(root, "AssumeRoleResult/Credentials/AccessKeyId", "AssumeRole").startswith("ASIA"):
    fails.append("AccessKeyId is not ASIA...")
need(root, "ResponseMetadata/RequestId", "AssumeRole")
try:
    sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/no-such-role", RoleSessionName="xml-check")
    fails.append("an unknown role was assumed")
except ClientError as e:
    if e.response["ResponseMetadata"]["HTTPStatusCode"] != 403:
        fails.append("AccessDenied status %s" % e.response["ResponseMetadata"]["HTTPStatusCode"])
root = ET.fromstring(raw["body"])
if root.tag != NS + "ErrorResponse":
    fails.append("error root " + root.tag)
if (need(root, "Error/Type", "error"), need(root, "Error/Code", "error")) != ("Sender", "AccessDenied"):
    fails.append("error Type/Code")
need(root, "Error/Message", "error")
if need(root, "RequestId", "error") != raw["rid"]:
    fails.append("error RequestId")
for f in fails:
    print("# " + f)
sys.exit(1 if fails else 0)
PYEOF
if $PY "$WORK/sts_shape.py" "$URL" >"$WORK/sts_shape.out" 2>&1; then
    ok "STS XML: GetCallerIdentityResponse, AssumeRoleResponse and ErrorResponse in AWS's shape and namespace, RequestId as x-amzn-RequestId"
else
    notok "STS XML shape"
    show "$WORK/sts_shape.out"
fi

# --- source_profile: botocore assumes ops-readonly, awscli reads with it ------------
n=$(lines)
if assume ops && case $AWS_ACCESS_KEY_ID in ASIA*) true ;; *) false ;; esac && [ -n "${AWS_SESSION_TOKEN:-}" ]; then
    ok "role_arn + source_profile: botocore's AssumeRole got an ASIA key and a session token"
else
    notok "assume ops"
    show "$WORK/assume.err"
fi
$AWS glue get-databases --endpoint-url "$URL" >"$WORK/dbs.json" 2>"$WORK/aws.err"
if [ "$($PY -c 'import json,sys; print(" ".join(d["Name"] for d in json.load(open(sys.argv[1]))["DatabaseList"]))' "$WORK/dbs.json" 2>/dev/null)" = "sales weblogs" ]; then
    ok "aws glue get-databases with the assumed role's credentials lists the seed's databases"
else
    notok "aws glue get-databases (assumed role)"
    show "$WORK/aws.err"
fi
$AWS s3api list-objects-v2 --bucket lake --endpoint-url "$URL" >"$WORK/objs.json" 2>"$WORK/aws.err"
if [ "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Contents"]))' "$WORK/objs.json" 2>/dev/null)" = 3 ]; then
    ok "aws s3api list-objects-v2 with the assumed role's credentials: the seed's 3 keys"
else
    notok "aws s3api list-objects-v2 (assumed role)"
    show "$WORK/aws.err"
fi
if grep -qxF -- "$AWS_SECRET_ACCESS_KEY" "$WORK/issued" && grep -qxF -- "$AWS_SESSION_TOKEN" "$WORK/issued" &&
    ! grep -qF -- "$AWS_ACCESS_KEY_ID" "$WORK/issued"; then
    ok "--issued-log: the secret key and the session token STS issued, one a line (not the access key id)"
else
    notok "--issued-log"
fi
if principals_are "$n" "glue|s3" "arn:aws:sts::123456789012:assumed-role/ops-readonly/" &&
    log_since "$n" | grep '"op": "AssumeRole"' | grep -qF "\"principal\": \"$BASE_ARN\""; then
    ok "request log: AssumeRole signed by the base user, every Glue and S3 request by assumed-role/ops-readonly"
else
    notok "request log principals (ops)"
    log_since "$n" | show
fi

# --- --base-keys-sts-only: the base keys are refused by Glue and S3 -----------------
no_env
base_env
if ! $AWS glue get-databases --endpoint-url "$URL" >/dev/null 2>"$WORK/aws.err" &&
    grep -q "AccessDeniedException" "$WORK/aws.err" && grep -qF "$BASE_ARN is not authorized to perform: glue:GetDatabases" "$WORK/aws.err"; then
    ok "--base-keys-sts-only: Glue refuses the base keys (AccessDeniedException naming the user)"
else
    notok "base keys on Glue"
    show "$WORK/aws.err"
fi
if ! $AWS s3api list-objects-v2 --bucket lake --endpoint-url "$URL" >/dev/null 2>"$WORK/aws.err" &&
    grep -q "AccessDenied" "$WORK/aws.err"; then
    ok "--base-keys-sts-only: S3 refuses the base keys (AccessDenied)"
else
    notok "base keys on S3"
    show "$WORK/aws.err"
fi

# --- a chain of two, with role_session_name ------------------------------------------
n=$(lines)
if identity chain "$URL" && [ "$(field Arn)" = "arn:aws:sts::123456789012:assumed-role/chained/laketop-chain" ] &&
    [ "$(log_since "$n" | grep -c '"op": "AssumeRole", "status": 200')" -eq 2 ] &&
    log_since "$n" | grep '"op": "AssumeRole"' | tail -1 | grep -q '"principal": "arn:aws:sts::123456789012:assumed-role/ops-readonly/'; then
    ok "chain of two: the second AssumeRole signed by the first role's session; the session named by role_session_name"
else
    notok "chain"
    show "$WORK/who" "$WORK/who.err"
fi

# --- credential_source = Environment ---------------------------------------------------
no_env
base_env
if identity env "$URL" && field Arn | grep -q '^arn:aws:sts::123456789012:assumed-role/ops-readonly/'; then
    ok "credential_source = Environment: the environment's base keys assume the role"
else
    notok "credential_source Environment"
    show "$WORK/who" "$WORK/who.err"
fi
no_env

# --- external_id -----------------------------------------------------------------------
if identity partner "$URL" && field Arn | grep -q 'assumed-role/partner/'; then
    ok "external_id: the right one is accepted"
else
    notok "external_id right"
    show "$WORK/who.err"
fi
for p in partner-wrong partner-none; do
    if ! identity "$p" "$URL" && grep -qF "error: AccessDenied: User: $BASE_ARN is not authorized to perform: sts:AssumeRole on resource: $PARTNER_ROLE" "$WORK/who.err"; then
        ok "external_id: $p is refused with AccessDenied"
    else
        notok "external_id $p"
        show "$WORK/who" "$WORK/who.err"
    fi
done

# --- a refused role, MFA ----------------------------------------------------------------
if ! identity refused "$URL" && grep -qF "error: AccessDenied: User: $BASE_ARN is not authorized to perform: sts:AssumeRole on resource: $LOCKED_ROLE" "$WORK/who.err"; then
    ok "a role whose trust does not name the caller: AccessDenied"
else
    notok "refused role"
    show "$WORK/who.err"
fi
if identity mfa "$URL" --mfa "$MFA_CODE" && field Arn | grep -q 'assumed-role/admin/' &&
    tail -n 3 "$LOG" | grep '"op": "AssumeRole"' | grep -q '"status": 200'; then
    ok "mfa_serial: AssumeRole with SerialNumber and the right TokenCode"
else
    notok "mfa right code"
    show "$WORK/who.err"
fi
if ! identity mfa "$URL" --mfa 000000 && grep -q "error: AccessDenied: MultiFactorAuthentication failed" "$WORK/who.err"; then
    ok "mfa_serial: a wrong code is refused"
else
    notok "mfa wrong code"
    show "$WORK/who.err"
fi

# --- web identity: from a profile, from the environment, a wrong token ---------------------
n=$(lines)
if identity web "$URL" && [ "$(field Arn)" = "arn:aws:sts::123456789012:assumed-role/pod/laketop-pod" ] &&
    log_since "$n" | grep '"op": "AssumeRoleWithWebIdentity"' | grep -q '"status": 200, "error": null, "request_id": "[^"]*", "principal": null'; then
    ok "web_identity_token_file in a profile: AssumeRoleWithWebIdentity, unsigned (principal null), the pod's session"
else
    notok "web identity (profile)"
    show "$WORK/who" "$WORK/who.err"
fi
export AWS_ROLE_ARN="$POD_ROLE" AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_SESSION_NAME=from-env
if identity - "$URL" && [ "$(field Arn)" = "arn:aws:sts::123456789012:assumed-role/pod/from-env" ] && [ "$(field method)" = assume-role-with-web-identity ]; then
    ok "AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_SESSION_NAME in the environment"
else
    notok "web identity (environment)"
    show "$WORK/who" "$WORK/who.err"
fi
printf 'eyJ.not-the-pod-token' >"$WORK/wrong-token"
export AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/wrong-token"
if ! identity - "$URL" && grep -q "error: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity" "$WORK/who.err"; then
    ok "web identity: a token not listed for the role is refused (AccessDenied)"
else
    notok "web identity wrong token"
    show "$WORK/who" "$WORK/who.err"
fi
no_env

# --- the SSO portal: botocore's sso client, then the profiles ------------------------------
cat >"$WORK/sso.py" <<'PYEOF'
import json, sys
import botocore.session
from botocore.exceptions import ClientError
url, token, account, role = sys.argv[1:5]
sso = botocore.session.Session().create_client("sso", region_name="us-east-1", endpoint_url=url)
try:
    c = sso.get_role_credentials(accessToken=token, accountId=account, roleName=role)["roleCredentials"]
except ClientError as e:
    print("error %s %s: %s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"],
                               e.response["Error"]["Message"]))
    sys.exit(1)
print("export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY='%s' AWS_SESSION_TOKEN='%s' EXPIRATION=%d" % (
    c["accessKeyId"], c["secretAccessKey"], c["sessionToken"], c["expiration"]))
PYEOF
n=$(lines)
if $PY "$WORK/sso.py" "$URL" "$SSO_TOKEN" "$ROLE_ACCOUNT" ReadOnly >"$WORK/sso.out" 2>&1 && . "$WORK/sso.out" &&
    [ "$EXPIRATION" -gt "$(($(date +%s) * 1000))" ] &&
    $AWS glue get-databases --endpoint-url "$URL" >/dev/null 2>"$WORK/aws.err" &&
    principals_are "$n" glue "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_" &&
    log_since "$n" | grep '"op": "GetRoleCredentials"' | grep -q '"principal": null'; then
    ok "SSO portal: get_role_credentials with the bearer token; Glue accepts them, signed by AWSReservedSSO_ReadOnly_*"
else
    notok "SSO portal get_role_credentials"
    show "$WORK/sso.out" "$WORK/aws.err"
fi
no_env
if ! $PY "$WORK/sso.py" "$URL" not-a-token "$ROLE_ACCOUNT" ReadOnly >"$WORK/sso.out" 2>&1 &&
    grep -qx "error 401 UnauthorizedException: Session token not found or invalid" "$WORK/sso.out" &&
    ! $PY "$WORK/sso.py" "$URL" "$SSO_OLD_TOKEN" "$ROLE_ACCOUNT" ReadOnly >"$WORK/sso2.out" 2>&1 &&
    grep -qx "error 401 UnauthorizedException: Session token not found or invalid" "$WORK/sso2.out"; then
    ok "SSO portal: an unknown and an expired token get 401 UnauthorizedException"
else
    notok "SSO portal bad token"
    show "$WORK/sso.out" "$WORK/sso2.out"
fi
if ! $PY "$WORK/sso.py" "$URL" "$SSO_TOKEN" "$ROLE_ACCOUNT" Admin >"$WORK/sso.out" 2>&1 &&
    grep -qx "error 403 ForbiddenException: No access" "$WORK/sso.out"; then
    ok "SSO portal: a role not assigned gets 403 ForbiddenException"
else
    notok "SSO portal forbidden"
    show "$WORK/sso.out"
fi
for p in sso sso-legacy; do
    if identity "$p" "$URL" && [ "$(field method)" = sso ] &&
        [ "$(field Arn)" = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_$($PY -c 'import hashlib; print(hashlib.sha256(b"ReadOnly").hexdigest()[:16])')/$SSO_USER" ]; then
        ok "profile $p: botocore reads the cached token and gets the role from the portal"
    else
        notok "profile $p"
        show "$WORK/who" "$WORK/who.err"
    fi
done
if ! identity sso-expired "$URL" && grep -q "Token has expired" "$WORK/who.err"; then
    ok "profile sso-expired: botocore refuses the expired cached token"
else
    notok "profile sso-expired"
    show "$WORK/who" "$WORK/who.err"
fi
n=$(lines)
if identity sso-refresh "$URL" && [ "$(field method)" = sso ] &&
    log_since "$n" | grep '"op": "CreateToken"' | grep -q '"status": 200' &&
    log_since "$n" | grep '"op": "GetRoleCredentials"' | grep -q '"status": 200'; then
    ok "profile sso-refresh: botocore refreshes the expired access token with OIDC CreateToken, then the portal accepts it"
else
    notok "profile sso-refresh"
    show "$WORK/who" "$WORK/who.err"
    log_since "$n" | show
fi
cat >"$WORK/oidc.py" <<'PYEOF'
import sys
import botocore.session
from botocore.exceptions import ClientError
oidc = botocore.session.Session().create_client("sso-oidc", region_name="us-east-1", endpoint_url=sys.argv[1])
try:
    oidc.create_token(clientId=sys.argv[2], clientSecret=sys.argv[3], grantType="refresh_token", refreshToken=sys.argv[4])
except ClientError as e:
    print(e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])
    sys.exit(1)
PYEOF
if ! $PY "$WORK/oidc.py" "$URL" "$SSO_CLIENT_ID" "$SSO_CLIENT_SECRET" aor-unknown >"$WORK/oidc.out" 2>&1 &&
    grep -qx "400 InvalidGrantException" "$WORK/oidc.out" &&
    ! $PY "$WORK/oidc.py" "$URL" other-client "$SSO_CLIENT_SECRET" "$SSO_REFRESH_TOKEN" >"$WORK/oidc.out" 2>&1 &&
    grep -qx "401 InvalidClientException" "$WORK/oidc.out"; then
    ok "OIDC CreateToken: an unknown refresh token (InvalidGrantException) and another client (InvalidClientException) are refused"
else
    notok "OIDC CreateToken errors"
    show "$WORK/oidc.out"
fi

# --- STS's own authentication errors, and temporary keys with the wrong token ---------------
cat >"$WORK/raw.py" <<'PYEOF'
import sys
import botocore.session
from botocore.exceptions import ClientError
url, svc, key, secret, token = sys.argv[1:6]
c = botocore.session.Session().create_client(svc, region_name="us-east-1", endpoint_url=url, aws_access_key_id=key,
                                             aws_secret_access_key=secret, aws_session_token=token or None)
try:
    c.get_caller_identity() if svc == "sts" else c.get_databases()
    print("200")
except ClientError as e:
    print(e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"], e.response["Error"].get("Type", "-"))
PYEOF
raw() { $PY "$WORK/raw.py" "$URL" "$@" 2>&1; }
got=$(raw sts AKIDLAKETOPTEST wrong-secret "")
[ "$got" = "403 SignatureDoesNotMatch Sender" ] && ok "STS: a wrong secret gets 403 SignatureDoesNotMatch (Type Sender)" ||
    notok "STS wrong secret: $got"
got=$(raw sts AKIDNOBODY secret "")
[ "$got" = "403 InvalidClientTokenId Sender" ] && ok "STS: an unknown key gets 403 InvalidClientTokenId" || notok "STS unknown key: $got"
assume ops
got=$(raw glue "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "not-its-token")
[ "$got" = "400 UnrecognizedClientException -" ] && ok "Glue: a temporary key with another session token gets UnrecognizedClientException" ||
    notok "temporary key, wrong token: $got"
got=$(raw glue "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "")
[ "$got" = "400 UnrecognizedClientException -" ] && ok "Glue: a temporary key without its session token is refused" ||
    notok "temporary key, no token: $got"
no_env

# --- expiry: --credential-lifetime 3 ---------------------------------------------------------
start_endpoint short --seed "$WORK/seed.json" --iam "$IAM_FILE" --credential-lifetime 3 --request-log "$WORK/short.log"
SPORT=$(wait_port short) || notok "endpoint with --credential-lifetime started"
SURL="http://127.0.0.1:$SPORT"
no_env
if $PY "$CREDS" export ops "$SURL" >"$WORK/export" 2>"$WORK/assume.err"; then
    . "$WORK/export"
    exp=$($PY - "$SURL" <<'PYEOF'
import sys, time, datetime
import botocore.session
sts = botocore.session.Session().create_client("sts", region_name="us-east-1", endpoint_url=sys.argv[1],
      aws_access_key_id="AKIDLAKETOPTEST", aws_secret_access_key="laketop/test/secret/key+with/special=chars")
c = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/ops-readonly", RoleSessionName="short",
                    DurationSeconds=3600)["Credentials"]
left = c["Expiration"].timestamp() - time.time()
print("short" if 0 < left <= 4 else "long %.0f" % left)
PYEOF
)
    [ "$exp" = short ] && ok "--credential-lifetime 3: AssumeRole's Expiration is 3 s away, whatever DurationSeconds asked" ||
        notok "--credential-lifetime Expiration: $exp"
    sleep 4
    if ! $AWS glue get-databases --endpoint-url "$SURL" >/dev/null 2>"$WORK/aws.err" &&
        grep -q "ExpiredTokenException" "$WORK/aws.err"; then
        ok "expired temporary credentials: Glue answers ExpiredTokenException"
    else
        notok "expired on Glue"
        show "$WORK/aws.err"
    fi
    if ! $AWS s3api list-objects-v2 --bucket lake --endpoint-url "$SURL" >/dev/null 2>"$WORK/aws.err" &&
        grep -q "ExpiredToken" "$WORK/aws.err" && grep -q '"status": 400, "error": "ExpiredToken"' "$WORK/short.log" &&
        $PY -c 'import botocore.session,sys
c = botocore.session.Session().create_client("s3", region_name="us-east-1", endpoint_url=sys.argv[1])
try:
    c.list_objects_v2(Bucket="lake")
except Exception as e:
    sys.exit(0 if e.response["Error"].get("Token-0") == sys.argv[2] else 1)
sys.exit(1)' "$SURL" "$AWS_SESSION_TOKEN"; then
        ok "expired temporary credentials: S3 answers 400 ExpiredToken (with the token in Token-0, as S3 does)"
    else
        notok "expired on S3"
        show "$WORK/aws.err"
    fi
    URL_SAVE=$URL
    URL=$SURL
    got=$(raw sts "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN")
    URL=$URL_SAVE
    [ "$got" = "400 ExpiredToken Sender" ] && ok "expired temporary credentials: STS answers 400 ExpiredToken" ||
        notok "expired on STS: $got"
else
    notok "assume ops on the short-lived endpoint"
    show "$WORK/assume.err"
fi
no_env

# --- faults on STS: --throttle-rate with --fault-ops AssumeRole -------------------------------
start_endpoint throttled --seed "$WORK/seed.json" --iam "$IAM_FILE" --throttle-rate 1 --fault-ops AssumeRole
TPORT=$(wait_port throttled) || notok "endpoint with STS faults started"
got=$($PY - "http://127.0.0.1:$TPORT" <<'PYEOF'
import sys
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError
sts = botocore.session.Session().create_client(
    "sts", region_name="us-east-1", endpoint_url=sys.argv[1], aws_access_key_id="AKIDLAKETOPTEST",
    aws_secret_access_key="laketop/test/secret/key+with/special=chars", config=Config(retries={"max_attempts": 1}))
out = []
try:
    sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/ops-readonly", RoleSessionName="throttled")
    out.append("assumed")
except ClientError as e:
    out.append("%s %s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]))
out.append(sts.get_caller_identity()["Account"])
print(" ".join(out))
PYEOF
)
[ "$got" = "400 Throttling 111111111111" ] && ok "--throttle-rate 1 --fault-ops AssumeRole: AssumeRole gets 400 Throttling, GetCallerIdentity is untouched" ||
    notok "STS faults: $got"

# --- without --iam: the default keys are a user of the seed's account; a bad IAM file -----------
start_endpoint plain --seed "$WORK/seed.json"
PPORT=$(wait_port plain) || notok "endpoint without --iam started"
base_env
HOME="$WORK" AWS_CONFIG_FILE=/dev/null $AWS sts get-caller-identity --endpoint-url "http://127.0.0.1:$PPORT" >"$WORK/who" 2>"$WORK/aws.err"
if [ "$(field Arn 2>/dev/null)" = "arn:aws:iam::123456789012:user/laketop-test" ]; then
    ok "without --iam: aws sts get-caller-identity names the default keys' user in the seed's account"
else
    notok "default principal"
    show "$WORK/who" "$WORK/aws.err"
fi
no_env
printf '{"roles": [{"arn": "arn:aws:iam::123456789012:user/not-a-role"}]}' >"$WORK/bad-iam.json"
if $PY "$FIXTURES/aws_endpoint.py" --seed "$WORK/seed.json" --iam "$WORK/bad-iam.json" --port 0 >/dev/null 2>"$WORK/bad.err"; then
    notok "a bad IAM file is refused"
else
    st=$?
    [ $st -eq 2 ] && grep -q "roles\[0\].arn: not a role ARN" "$WORK/bad.err" &&
        ok "a bad IAM file: exit 2 naming roles[0].arn" || {
        notok "bad IAM file (exit $st)"
        show "$WORK/bad.err"
    }
fi

exit $FAILED

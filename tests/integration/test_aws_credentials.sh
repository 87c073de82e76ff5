#!/bin/sh
# test_aws_credentials.sh: the credential providers that need a server:
# EC2 instance metadata (IMDSv2 with its session token, and the IMDSv1
# fallback) and container credentials (with their authorization token), from
# a local stand-in (tests/fixtures/metadata_server.py); laketop then reads the
# test endpoint with them.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home"
mkdir -p "$HOME"
# the clean AWS environment, but with no keys and instance metadata allowed:
# the credentials come from the servers started here
aws_env
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_EC2_METADATA_DISABLED AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
    AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN || true

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json"
EP="http://127.0.0.1:$(wait_port ep)"

check_figures() { # check_figures DESCRIPTION JSON
    if $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$2" >"$WORK/check" 2>&1 &&
        ! grep -q "^not ok" "$WORK/check"; then ok "$1"; else
        notok "$1"
        sed 's/^/# /' "$WORK/err" | head -5
    fi
}

start_fixture v2 metadata_server.py --access-key "$KEY" --secret-key "$SECRET" --request-log "$WORK/v2.log"
IMDS="http://127.0.0.1:$(wait_port v2)"
AWS_EC2_METADATA_SERVICE_ENDPOINT="$IMDS" "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/a.json" 2>"$WORK/err"
# tricky.denied and tricky.missing make the exit status 1; the figures are what counts
check_figures "instance metadata, IMDSv2: the figures" "$WORK/a.json"
grep -q '"token": "imds-session-token"' "$WORK/v2.log" && ok "IMDSv2: the session token was asked for and sent" ||
    notok "IMDSv2 session token"

start_fixture v1 metadata_server.py --access-key "$KEY" --secret-key "$SECRET" --imds-v1-only
AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$(wait_port v1)" \
    "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/b.json" 2>"$WORK/err"
check_figures "instance metadata, IMDSv1 fallback when the token is refused" "$WORK/b.json"

start_fixture c metadata_server.py --access-key "$KEY" --secret-key "$SECRET" --container-token "Bearer secret-token"
CPORT=$(wait_port c)
AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$CPORT/container/creds" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer secret-token" \
    "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/c.json" 2>"$WORK/err"
check_figures "container credentials with their authorization token" "$WORK/c.json"
printf 'Bearer secret-token\n' >"$WORK/token"
AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$CPORT/container/creds" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$WORK/token" \
    "$LAKETOP" --endpoint-url "$EP" --once >"$WORK/d.json" 2>"$WORK/err"
check_figures "container credentials, token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" "$WORK/d.json"
AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$CPORT/container/creds" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer wrong" \
    "$LAKETOP" --endpoint-url "$EP" --once >/dev/null 2>"$WORK/err"
if [ $? -eq 2 ] && grep -q "container credentials" "$WORK/err" && ! grep -q "Bearer" "$WORK/err"; then
    ok "a refused container token: exit 2 (no credentials to be had), named, the token not shown"
else
    notok "a refused container token"
    sed 's/^/# /' "$WORK/err" | head -3
fi
AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:1" "$LAKETOP" --endpoint-url "$EP" --once \
    >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q "no AWS credentials" "$WORK/err" && ok "no credentials anywhere: a clear error, exit 2" ||
    notok "no credentials anywhere"

# An endpoint that is not an address, from the environment or a profile: one
# line naming where it came from, exit 2 (laketop crashed on a NULL host
# before: the --endpoint-url flag was checked, these were not).
for bad in "AWS_ENDPOINT_URL=foo" "AWS_ENDPOINT_URL_GLUE=http://" "AWS_ENDPOINT_URL_S3=ftp://x"; do
    env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" "$bad" "$LAKETOP" --aws --once \
        >/dev/null 2>"$WORK/err"
    st=$?
    name=${bad%%=*}
    [ "$st" -eq 2 ] && grep -q "^laketop: $name \".*\" is not an http:// or https:// address" "$WORK/err" &&
        ok "$bad: exit 2, named" || notok "$bad: exit $st ($(head -c 200 "$WORK/err"))"
done
mkdir -p "$WORK/badep"
printf '[default]\nregion = us-east-1\nendpoint_url = glue.local\n' >"$WORK/badep/config"
AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_CONFIG_FILE="$WORK/badep/config" \
    "$LAKETOP" --aws --once >/dev/null 2>"$WORK/err"
st=$?
[ "$st" -eq 2 ] && grep -q 'endpoint_url of profile "default" "glue.local" is not' "$WORK/err" &&
    ok "a profile's endpoint_url that is not an address: exit 2, named" ||
    notok "a profile's endpoint_url that is not an address: exit $st ($(head -c 200 "$WORK/err"))"
exit $FAILED

#!/bin/sh
# test_aws_tls.sh: TLS is always verified: the test endpoint over HTTPS with
# a self-signed certificate is refused, and accepted once AWS_CA_BUNDLE (or
# the profile's ca_bundle) names that certificate.
set -u
LAKETOP=${1:?usage: test_aws_tls.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/laketop-tls-XXXXXX)
EP_PID=""
trap '[ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
export HOME="$WORK/home" AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY='laketop/test/secret/key+with/special=chars'
unset AWS_CA_BUNDLE AWS_PROFILE AWS_ENDPOINT_URL || true
mkdir -p "$HOME"
if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    >"$WORK/openssl.log" 2>&1; then
    notok "a self-signed certificate (openssl)"
    exit 1
fi
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 --port-file "$WORK/port" \
    --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
URL="https://127.0.0.1:$(cat "$WORK/port")"

"$LAKETOP" --endpoint-url "$URL" --once >/dev/null 2>"$WORK/err"
if [ $? -eq 1 ] && grep -qi "certificate" "$WORK/err"; then
    ok "an unknown certificate is refused, and says so"
else
    notok "an unknown certificate is refused"
    sed 's/^/# /' "$WORK/err" | head -3
fi
AWS_CA_BUNDLE="$WORK/cert.pem" "$LAKETOP" --endpoint-url "$URL" --once >"$WORK/a.json" 2>"$WORK/err"
if $PY "$HERE/../helpers/aws_seed.py" check "$WORK/truth.json" "$WORK/a.json" | grep -q "^not ok"; then
    notok "AWS_CA_BUNDLE: the figures over TLS"
    sed 's/^/# /' "$WORK/err" | head -3
else
    ok "AWS_CA_BUNDLE: the figures over TLS"
fi
mkdir -p "$HOME/.aws"
printf '[profile tls]\nregion = us-east-1\nca_bundle = %s\n' "$WORK/cert.pem" >"$HOME/.aws/config"
printf '[tls]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$AWS_ACCESS_KEY_ID" \
    "$AWS_SECRET_ACCESS_KEY" >"$HOME/.aws/credentials"
"$LAKETOP" --profile tls --endpoint-url "$URL" --once >"$WORK/b.json" 2>"$WORK/err"
if $PY "$HERE/../helpers/aws_seed.py" check "$WORK/truth.json" "$WORK/b.json" | grep -q "^not ok"; then
    notok "the profile's ca_bundle: the figures over TLS"
    sed 's/^/# /' "$WORK/err" | head -3
else
    ok "the profile's ca_bundle: the figures over TLS"
fi

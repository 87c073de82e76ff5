#!/bin/sh
# test_aws_tls.sh: TLS is always verified: the test endpoint over HTTPS with
# a self-signed certificate is refused, and accepted once AWS_CA_BUNDLE (or
# the profile's ca_bundle) names that certificate.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home"
aws_env
mkdir -p "$HOME"
if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    >"$WORK/openssl.log" 2>&1; then
    notok "a self-signed certificate (openssl)"
    exit 1
fi
$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem"
URL="https://127.0.0.1:$(wait_port ep)"

"$LAKETOP" --endpoint-url "$URL" --once >/dev/null 2>"$WORK/err"
if [ $? -eq 1 ] && grep -qi "certificate" "$WORK/err"; then
    ok "an unknown certificate is refused, and says so"
else
    notok "an unknown certificate is refused"
    sed 's/^/# /' "$WORK/err" | head -3
fi
AWS_CA_BUNDLE="$WORK/cert.pem" "$LAKETOP" --endpoint-url "$URL" --once >"$WORK/a.json" 2>"$WORK/err"
if $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/a.json" | grep -q "^not ok"; then
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
if $PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/b.json" | grep -q "^not ok"; then
    notok "the profile's ca_bundle: the figures over TLS"
    sed 's/^/# /' "$WORK/err" | head -3
else
    ok "the profile's ca_bundle: the figures over TLS"
fi

#!/bin/sh
# test_tui_mfa.sh: a profile whose role needs MFA (mfa_serial): the
# dashboard asks for the code on the terminal before it starts, sends it to
# STS (the test endpoint checks SerialNumber and TokenCode), then shows the
# lake read with the role; a wrong code is one line and exit 2.
set -u
LAKETOP=${1:?usage: test_tui_mfa.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-mfa-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
KEY=AKIDLAKETOPTEST
SECRET='laketop/test/secret/key+with/special=chars'
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
cat >"$WORK/iam.json" <<JSON
{"principals": [{"access_key": "$KEY", "secret_key": "$SECRET", "arn": "arn:aws:iam::111111111111:user/base"}],
 "roles": [{"arn": "arn:aws:iam::123456789012:role/admin", "trust": "*",
            "mfa_serial": "arn:aws:iam::111111111111:mfa/base", "mfa_code": "123456"}]}
JSON
mkdir -p "$WORK/.aws"
printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" >"$WORK/.aws/credentials"
printf '[profile admin]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/base\n' >"$WORK/.aws/config"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --iam "$WORK/iam.json" \
    --base-keys-sts-only --port 0 --port-file "$WORK/port" --request-log "$WORK/requests.log" \
    >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
EP="http://127.0.0.1:$(cat "$WORK/port")"
ENV="env HOME=$WORK AWS_EC2_METADATA_DISABLED=true LANG=C.UTF-8 LC_ALL=C.UTF-8 LAKETOP_RETRY_BASE_MS=20"

start 100 30 "$ENV $LAKETOP --profile admin --endpoint-url $EP --themes-dir $HERE/../../themes --view databases"
check "the code is asked for before the dashboard, naming the profile and the device" \
    "MFA code for profile admin (arn:aws:iam::111111111111:mfa/base):"
keys 1 2 3 4 5 6 Enter
check "with the code, the role reads the lake" "tricky"
if $PY - "$WORK/requests.log" <<'PYEOF'; then ok "every data request signed by the role"; else notok "signed by the role"; fi
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
data = [r for r in rows if r["service"] in ("glue", "s3", "athena")]
sys.exit(0 if data and all((r.get("principal") or "").startswith(
    "arn:aws:sts::123456789012:assumed-role/admin/") for r in data) else 1)
PYEOF
keys q
check "q quits" "EXITED 0"
stop

start 100 30 "$ENV $LAKETOP --profile admin --endpoint-url $EP --themes-dir $HERE/../../themes"
check "asked again in a new run" "MFA code for profile admin"
keys 6 5 4 3 2 1 Enter
check "a wrong code: the reason, naming the profile" "profile admin: AssumeRole arn:aws:iam::123456789012:role/admin: AccessDenied"
check "... and exit 2" "EXITED 2"
stop


#!/bin/sh
# test_tui_roles.sh: the dashboard on an assumed role (source_profile)
# whose credentials live 3 s (the test endpoint's --credential-lifetime),
# refreshing every second for 12 s: the credentials are renewed before they
# expire, and a request that still reaches the endpoint after its keys died
# (a loaded machine) is renewed and sent again, so the status line never
# shows an error; every answered data request is signed by the role, and
# STS is called about once per lifetime, not once per request.
set -u
LAKETOP=${1:?usage: test_tui_roles.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-roles-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
KEY=AKIDLAKETOPTEST
SECRET='laketop/test/secret/key+with/special=chars'
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
cat >"$WORK/iam.json" <<JSON
{"principals": [{"access_key": "$KEY", "secret_key": "$SECRET", "arn": "arn:aws:iam::111111111111:user/base"}],
 "roles": [{"arn": "arn:aws:iam::123456789012:role/ops-readonly", "trust": ["arn:aws:iam::111111111111:user/base"]}]}
JSON
mkdir -p "$WORK/.aws"
printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" >"$WORK/.aws/credentials"
printf '[profile ops]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/ops-readonly\nsource_profile = base\n' >"$WORK/.aws/config"
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --iam "$WORK/iam.json" \
    --base-keys-sts-only --credential-lifetime 3 --latency-ms 20 --port 0 --port-file "$WORK/port" \
    --request-log "$WORK/requests.log" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
EP="http://127.0.0.1:$(cat "$WORK/port")"
ENV="env HOME=$WORK AWS_EC2_METADATA_DISABLED=true LANG=C.UTF-8 LC_ALL=C.UTF-8 LAKETOP_RETRY_BASE_MS=20"

start 100 30 "$ENV $LAKETOP --profile ops --endpoint-url $EP --interval 1s --themes-dir $HERE/../../themes --view databases"
check "the role reads the lake" "tricky"
# 12 s of refreshes, looking at the status line all along
seen_error=""
n=0
while [ $n -lt 24 ]; do
    screen | grep -qE "Expired|expired|AccessDenied|InvalidClientTokenId" && seen_error=$(screen | grep -E "xpired|Denied|Invalid" | head -n 1)
    sleep 0.5
    n=$((n + 1))
done
[ -z "$seen_error" ] && ok "12 s of 3 s credentials: no error on screen" ||
    notok "an error on screen: $seen_error"
$PY - "$WORK/requests.log" >"$WORK/log.tap" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
data = [r for r in rows if r["service"] in ("glue", "s3", "athena")]
glue = [r for r in data if r.get("op") == "GetDatabases"]
expired = [i for i, r in enumerate(rows) if r in data and "Expired" in (r.get("error") or "")]
resent = sum(1 for i in expired if any(
    (x["path"], x["query"], x.get("op")) == (rows[i]["path"], rows[i]["query"], rows[i].get("op"))
    and x["key"] != rows[i]["key"] and not x.get("error") for x in rows[i + 1:]))
data = [r for r in data if "Expired" not in (r.get("error") or "")]
wrong = [r for r in data if not (r.get("principal") or "").startswith(
    "arn:aws:sts::123456789012:assumed-role/ops-readonly/")]
sts = sum(1 for r in rows if r["service"] == "sts" and r.get("op") == "AssumeRole")
print(("ok" if len(glue) >= 5 else "not ok") + " - %d refreshes (GetDatabases) in 12 s" % len(glue))
print(("ok" if resent == len(expired) else "not ok") +
      " - every request refused as expired sent again with new keys and answered (%d of %d)"
      % (resent, len(expired)))
print(("ok" if data and not wrong else "not ok") +
      " - all %d answered data requests signed by the role (%d not)" % (len(data), len(wrong)))
print(("ok" if 4 <= sts <= 16 and sts < len(data) / 5 else "not ok") +
      " - AssumeRole %d times for %d data requests" % (sts, len(data)))
PYEOF
cat "$WORK/log.tap"
grep -q "^not ok" "$WORK/log.tap" && FAILED=1
keys q
check "q quits" "EXITED 0"
stop

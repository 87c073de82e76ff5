#!/bin/sh
# test_aws.sh: laketop's AWS source against the local test endpoint
# (tests/fixtures/aws_endpoint.py, which checks every signature with
# botocore): figures equal to the truth with one-object pages and tricky
# keys; Debian's awscli and rclone agree; faults, throttling and clock skew;
# credentials from the environment, a profile and credential_process;
# sources that cannot be read. Prints "ok"/"not ok" lines.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20 # backoff unit for tests (the SDKs use 1 s)

# endpoint NAME ARGS...: starts the endpoint, sets PORT_<NAME>.
endpoint() {
    start_endpoint "$@"
    eval "PORT_$1=\$(wait_port $1)"
}

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
endpoint main --seed "$WORK/seed.json" --page-size 1 --request-log "$WORK/requests.log"
[ -n "$PORT_main" ] && ok "endpoint started" || { notok "endpoint started"; cat "$WORK/main.out" "$WORK/main.err"; exit 1; }
EP="http://127.0.0.1:$PORT_main"

# 1. The truth, with one object per page.
"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/laketop.json" 2>"$WORK/err"
st=$?
[ $st -eq 1 ] && grep -q "AccessDenied" "$WORK/err" && ok "--once exits 1 and names the unreadable tables" ||
    notok "--once exit status $st with row errors"
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/laketop.json"
grep -q '"source": "aws:default@us-east-1' "$WORK/laketop.json" && ok "the JSON names the AWS source" ||
    notok "the JSON names the AWS source"
if grep -q "$SECRET" "$WORK/laketop.json" "$WORK/err"; then notok "no secret in the output"; else ok "no secret in the output"; fi
pages=$(grep -c '"op": "ListObjectsV2"' "$WORK/requests.log")
[ "$pages" -gt 100 ] && ok "one-object pages: $pages ListObjectsV2 requests" || notok "one-object pages ($pages)"
# the JSON's "requests" is what the endpoint received (its log is written
# just after each answer: wait until it has caught up)
said=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$WORK/laketop.json")
i=0
while [ "$(wc -l <"$WORK/requests.log")" -lt "$said" ] 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
logged=$(wc -l <"$WORK/requests.log")
[ "$said" = "$logged" ] && ok "\"requests\": $said, as many as the endpoint logged" ||
    notok "\"requests\": $said, the endpoint logged $logged"
# 2. Again, now that the history knows each table's size: the small ones
# are listed flat, without finding their directories first; the same truth.
"$LAKETOP" --endpoint-url "$EP" --once >"$WORK/second.json" 2>"$WORK/second.err"
# the catalog's view (no storage figures) left no history sample that this
# second refresh could not read back
if grep -q "did not parse" "$WORK/second.err"; then
    notok "a view leaves no unreadable history line"
    sed 's/^/# /' "$WORK/second.err" | head -3
else
    ok "a view leaves no unreadable history line"
fi
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/second.json" >"$WORK/second.check"
again=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$WORK/second.json")
if grep -q "^not ok" "$WORK/second.check"; then
    notok "second refresh (small tables flat): figures differ"
    grep "^not ok" "$WORK/second.check" | head -5 | sed 's/^/# /'
elif [ "$again" -lt "$said" ]; then
    ok "second refresh: the seeded figures again, in $again requests (first: $said)"
else
    notok "second refresh: $again requests, not fewer than the first's $said"
fi
if grep -q '"status": 40[03], "error": "\(SignatureDoesNotMatch\|InvalidSignature\)' "$WORK/requests.log"; then
    notok "every request carried a valid signature"
else
    ok "every request carried a valid signature"
fi

# 2. Independent clients agree: awscli v2 and rclone (list_version 2).
for t in events flat deep; do
    /usr/bin/aws --endpoint-url "$EP" s3 ls --recursive --summarize "s3://tricky-lake/$t/" \
        >"$WORK/aws-$t.txt" 2>"$WORK/aws-$t.err"
    objects=$(sed -n 's/.*Total Objects: \([0-9]*\).*/\1/p' "$WORK/aws-$t.txt")
    size=$(sed -n 's/.*Total Size: \([0-9]*\).*/\1/p' "$WORK/aws-$t.txt")
    # laketop's objects and bytes plus what it leaves out (markers, files in
    # hidden directories such as _temporary/) must make up awscli's totals
    want=$($PY -c "import json; t=json.load(open('$WORK/truth.json'))['tricky.$t']; print(t['all_keys'], t['all_bytes'])")
    got=$($PY -c "
import json
d = json.load(open('$WORK/laketop.json'))
t = [x for x in d['tables'] if x['name'] == '$t'][0]
w = json.load(open('$WORK/truth.json'))['tricky.$t']
left_out = w['all_keys'] - w['objects'] - w['markers']
print(t['objects'] + t['marker_objects'] + left_out, t['bytes'] + (w['all_bytes'] - w['bytes']))")
    if [ "$objects $size" = "$want" ] && [ "$got" = "$want" ]; then
        ok "aws s3 ls --summarize s3://tricky-lake/$t/: $objects objects, $size bytes: laketop's figures plus what it leaves out"
    else
        notok "aws s3 ls --summarize s3://tricky-lake/$t/: awscli '$objects $size', laketop plus what it leaves out '$got', truth '$want'"
        sed 's/^/# /' "$WORK/aws-$t.err" | head -5
    fi
    rclone size --s3-provider Other --s3-endpoint "$EP" --s3-access-key-id "$KEY" \
        --s3-secret-access-key "$SECRET" --s3-region us-east-1 --s3-list-version 2 \
        --s3-force-path-style=true --json ":s3:tricky-lake/$t" >"$WORK/rclone-$t.json" 2>"$WORK/rclone-$t.err"
    rc=$($PY -c "import json; r=json.load(open('$WORK/rclone-$t.json')); print(r['count'], r['bytes'])" 2>/dev/null)
    want=$($PY -c "import json; t=json.load(open('$WORK/truth.json'))['tricky.$t']; print(t['file_keys'], t['all_bytes'])")
    [ "$rc" = "$want" ] && ok "rclone size :s3:tricky-lake/$t: $rc (directory markers aside)" ||
        { notok "rclone size tricky-lake/$t: rclone '$rc', truth '$want'"; sed 's/^/# /' "$WORK/rclone-$t.err" | head -5; }
done

# 3. Credentials.
AWS_SECRET_ACCESS_KEY="wrong$SECRET" "$LAKETOP" --endpoint-url "$EP" --once >/dev/null 2>"$WORK/err"
st=$?
if [ $st -eq 1 ] && grep -q "InvalidSignatureException\|SignatureDoesNotMatch" "$WORK/err" &&
    ! grep -q "wrong" "$WORK/err"; then
    ok "rejected credentials: exit 1, the reason on stderr, no secret"
else
    notok "rejected credentials (exit $st)"
    sed 's/^/# /' "$WORK/err" | head -3
fi
mkdir -p "$HOME/.aws"
printf '[profile lake]\nregion = us-east-1\ncredential_process = printf {"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}\n' \
    "$KEY" "$(printf '%s' "$SECRET" | sed 's/[+\/=]/\\&/g')" >"$HOME/.aws/config.raw"
cat >"$HOME/.aws/creds.sh" <<EOS
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' '$KEY' '$SECRET'
EOS
chmod +x "$HOME/.aws/creds.sh"
printf '[profile lake]\nregion = us-east-1\ncredential_process = %s\n' "$HOME/.aws/creds.sh" >"$HOME/.aws/config"
printf '[broken]\naws_access_key_id = x\nthis is not a setting\n' >"$HOME/.aws/credentials"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$LAKETOP" --profile lake --endpoint-url "$EP" --once \
    >"$WORK/p.json" 2>"$WORK/err"
grep -q "credentials:3" "$WORK/err" && ok "a credentials file with a junk line: the file and line are named" ||
    { notok "junk line in the credentials file"; sed 's/^/# /' "$WORK/err" | head -3; }
printf '[other]\naws_access_key_id = x\naws_secret_access_key = y\n' >"$HOME/.aws/credentials"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$LAKETOP" --profile lake --endpoint-url "$EP" --once \
    >"$WORK/p.json" 2>"$WORK/err"
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/p.json" >"$WORK/p.check"
grep -q "^not ok" "$WORK/p.check" && notok "--profile with credential_process" ||
    ok "--profile with credential_process: the same figures"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$LAKETOP" --profile nosuch --endpoint-url "$EP" --once \
    >/dev/null 2>"$WORK/err"
[ $? -ne 0 ] && grep -q 'profile "nosuch" not found' "$WORK/err" && ok "an unknown profile is named" ||
    notok "an unknown profile"
env -u AWS_REGION "$LAKETOP" --endpoint-url "$EP" --once >/dev/null 2>"$WORK/err"
[ $? -ne 0 ] && grep -q "no AWS region" "$WORK/err" && ok "no region: a clear error" || notok "no region"
rm -f "$HOME/.aws/config" "$HOME/.aws/credentials"

# 4. Session tokens, clock skew.
endpoint token --seed "$WORK/seed.json" --session-token "TOKEN/with+chars="
AWS_SESSION_TOKEN="TOKEN/with+chars=" "$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_token" --once \
    >"$WORK/t.json" 2>/dev/null
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/t.json" | grep -q "^not ok" &&
    notok "a session token is sent and signed" || ok "a session token is sent and signed"
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_token" --once >/dev/null 2>&1
[ $? -eq 1 ] && ok "without the session token the endpoint refuses" || notok "without the session token"
endpoint skew --seed "$WORK/seed.json" --clock-offset 3600
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_skew" --once >"$WORK/s.json" 2>"$WORK/err"
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/s.json" | grep -q "^not ok" &&
    { notok "a server clock 1 h ahead is corrected from its Date header"; sed 's/^/# /' "$WORK/err" | head; } ||
    ok "a server clock 1 h ahead is corrected from its Date header"

# 5. Faults: retried; a row is either right or marked, never wrong.
endpoint faults --seed "$WORK/seed.json" --page-size 2 --fail-rate 0.15 --throttle-rate 0.15 \
    --fault-seed 7 --request-log "$WORK/faults.log"
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_faults" --once >"$WORK/f.json" 2>"$WORK/err"
$PY - "$WORK/truth.json" "$WORK/f.json" "$WORK/faults.log" <<'PYEOF'
import json, sys
truth = json.load(open(sys.argv[1]))
got = {f"{t['database']}.{t['name']}": t for t in json.load(open(sys.argv[2]))["tables"]}
log = []
for line in open(sys.argv[3]):
    try:
        log.append(json.loads(line))
    except ValueError:
        pass
faults = sum(1 for r in log if r["status"] >= 500 or (r.get("error") or "") in ("ThrottlingException", "SlowDown"))
wrong = [n for n, w in truth.items() if not got[n].get("error") and
         (got[n]["objects"], got[n]["bytes"]) != (w["objects"], w["bytes"])]
right = sum(1 for n, w in truth.items() if not got[n].get("error"))
print(("ok" if faults > 0 else "not ok") + f" - the endpoint injected {faults} faults in {len(log)} requests")
print(("ok" if not wrong else "not ok") + f" - under faults no figure is wrong ({right} of {len(truth)} tables exact, the rest marked){' ' + str(wrong) if wrong else ''}")
faulted = {(r["path"], r["query"]) for r in log if r["status"] >= 500 or r["status"] == 400 and r.get("error") == "ThrottlingException"}
recovered = sum(1 for r in log if r["status"] == 200 and (r["path"], r["query"]) in faulted)
print(("ok" if recovered > 0 else "not ok") + f" - faulted requests were retried and answered ({recovered})")
PYEOF

# 6. Sources that cannot be read at all.
"$LAKETOP" --endpoint-url "http://127.0.0.1:1" --once >/dev/null 2>"$WORK/err"
[ $? -eq 1 ] && grep -q "GetDatabases" "$WORK/err" && ok "an unreachable endpoint: exit 1 with the reason" ||
    notok "an unreachable endpoint"
printf '{"databases": [], "buckets": {}}' >"$WORK/empty.json"
endpoint empty --seed "$WORK/empty.json"
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_empty" --once --format table >"$WORK/e.txt" 2>&1
[ $? -eq 0 ] && grep -q "0 databases" "$WORK/e.txt" && ok "an empty catalog is not an error" ||
    notok "an empty catalog"
"$LAKETOP" --lake "$WORK" --aws --once >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && ok "--lake with --aws is refused (exit 2)" || notok "--lake with --aws"

# Athena denied: the query counts are unknown and say why; the rest stands.
endpoint denied --seed "$WORK/seed.json" --athena-denied
"$LAKETOP" --endpoint-url "http://127.0.0.1:$PORT_denied" --once >"$WORK/denied.json" 2>/dev/null
$PY - "$WORK/denied.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["database"] + "." + x["name"]: x for x in d["tables"]}
good = (all(x["queries_30d"] is None for x in d["tables"]) and "AccessDeniedException" in (d.get("queries_error") or "")
        and t["tricky.deep"]["objects"] and d.get("queries_unparsed") is None)
print(("ok" if good else "not ok") + f" - Athena denied: queries_30d null, queries_error says why, sizes still there ({d.get('queries_error')!r})")
PYEOF

# The endpoint's Athena speaks the real protocol: awscli pages through it.
EPA="http://127.0.0.1:$PORT_main"
wgs=$(/usr/bin/aws --endpoint-url "$EPA" athena list-work-groups --query 'WorkGroups[].Name' --output text 2>&1)
n=$(/usr/bin/aws --endpoint-url "$EPA" athena list-query-executions --work-group primary --query 'length(QueryExecutionIds)' 2>&1)
# (this endpoint answers one item per page; awscli pages ListQueryExecutions
# itself but not ListWorkGroups, so only its first page shows)
[ "$wgs" = "primary" ] && [ "$n" = "60" ] &&
    ok "awscli: the first Athena work group, and 60 executions of primary paged through" ||
    notok "awscli on Athena: '$wgs' / '$n'"

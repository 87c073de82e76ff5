#!/bin/sh
# test_pipeline_aws.sh: the AWS pipeline against the test endpoint's Glue
# jobs and Step Functions (tests/fixtures/aws_pipeline.py): --once --format
# json has the jobs and state machines with the figures the seed itself
# gives (tests/helpers/pipeline_seed.py computes them, pages of 10 so every
# listing is paged), an EXPRESS machine left out; `laketop job` followed to
# SUCCEEDED (exit 0, GetJobRun polls in the log), to FAILED (exit 1, its
# message), an unknown job (exit 2), --read-only (exit 2, no StartJobRun
# sent), --arg reaching StartJobRun; faults on the pipeline's requests
# mended by the retries and rounds; the pipeline denied: pipeline_error
# set, the tables still there.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
aws_env
unset AWS_ENDPOINT_URL_SFN AWS_ENDPOINT_URL_ATHENA || true
export LAKETOP_CRAWL_POLL_MS=100
mkdir -p "$HOME"
$PY "$HELPERS/pipeline_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint ep --seed "$WORK/seed.json" --page-size 10 --request-log "$WORK/requests.log"
EP="http://127.0.0.1:$(wait_port ep)"

"$LAKETOP" --once --format json --endpoint-url "$EP" >"$WORK/once.json" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && ok "--once --format json against the endpoint" || { notok "--once (exit $st)"; sed 's/^/# /' "$WORK/err"; }
$PY "$HELPERS/pipeline_seed.py" check "$WORK/truth.json" "$WORK/once.json" || FAILED=1
$PY - "$WORK/once.json" "$WORK/requests.log" <<'PYEOF' && ok "no pipeline_error; no ListExecutions for the EXPRESS machine; paged GetJobRuns" || notok "pipeline_error, EXPRESS or paging"
import json, sys
got = json.load(open(sys.argv[1]))
assert got["pipeline_error"] is None, got["pipeline_error"]
log = [json.loads(l) for l in open(sys.argv[2])]
assert not [r for r in log if r["op"] == "ListExecutions" and r["status"] != 200], "a ListExecutions failed"
assert sum(r["op"] == "GetJobRuns" for r in log) > 5, "one GetJobRuns a job: not paged"
assert all(r["status"] == 200 for r in log if r["service"] == "states")
PYEOF

starts() { grep -c '"op": "StartJobRun"' "$WORK/requests.log"; }
: >"$WORK/requests.log"
"$LAKETOP" job compact_orders --endpoint-url "$EP" --arg day=2026-12-01 --arg --mode=full >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && grep -q "job compact_orders: SUCCEEDED" "$WORK/out" &&
    ok "a job that succeeds: exit 0, SUCCEEDED" || { notok "job compact_orders (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
$PY - "$WORK/requests.log" <<'PYEOF' && ok "StartJobRun with --day and --mode, then GetJobRun polls until it ended" || notok "StartJobRun and polls"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
ops = [r["op"] for r in log]
i = ops.index("StartJobRun")
assert log[i]["arguments"] == {"--day": "2026-12-01", "--mode": "full"}, log[i]
# the seed: RUNNING for 3 polls, then SUCCEEDED (the 4th)
assert ops[i + 1:].count("GetJobRun") == 4, ops
PYEOF
"$LAKETOP" job load_events --endpoint-url "$EP" >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 1 ] && grep -q "Out of memory: the executor died" "$WORK/out" &&
    ok "a job that fails: exit 1 with its ErrorMessage" || { notok "job load_events (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
"$LAKETOP" job nosuch --endpoint-url "$EP" >"$WORK/out" 2>&1
st=$?
[ $st -eq 2 ] && grep -q "no job named nosuch" "$WORK/out" && ok "an unknown job: exit 2, named" ||
    { notok "unknown job (exit $st)"; sed 's/^/# /' "$WORK/out"; }
before=$(starts)
"$LAKETOP" job compact_orders --endpoint-url "$EP" --read-only >/dev/null 2>"$WORK/err"
st=$?
[ $st -eq 2 ] && [ "$(starts)" -eq "$before" ] && grep -q "read-only" "$WORK/err" &&
    ok "--read-only: exit 2 and no StartJobRun sent" || notok "--read-only job (exit $st)"
"$LAKETOP" job compact_orders --endpoint-url "$EP" --no-wait >"$WORK/out" 2>&1
st=$?
[ $st -eq 0 ] && grep -q "started" "$WORK/out" && ok "--no-wait: exit 0 once it started" || notok "--no-wait (exit $st)"
# the run laketop started is in the next refresh, newest
"$LAKETOP" --once --format json --endpoint-url "$EP" >"$WORK/again.json" 2>/dev/null
$PY - "$WORK/again.json" <<'PYEOF' && ok "the runs started are the job's newest in the next refresh" || notok "started runs in the refresh"
import json, sys
jobs = {j["name"]: j for j in json.load(open(sys.argv[1]))["jobs"]}
runs = jobs["compact_orders"]["runs"]
# the two started (one followed to SUCCEEDED, one --no-wait, maybe in the same second)
assert len(runs) == 30 and sorted(r["state"] for r in runs[:2]) in (["STARTING", "SUCCEEDED"], ["RUNNING", "SUCCEEDED"]), runs[:2]
assert not any(r["id"].startswith("jr_compact_") for r in runs[:2]) and runs[2]["id"] == "jr_compact_00"
assert jobs["load_events"]["state"] == "FAILED" and jobs["load_events"]["error"] == "Out of memory: the executor died"
PYEOF
stop_fixture ep

# Faults on the pipeline's requests (30 % answered 500/503, 10 % throttled):
# the retries and the refresh's rounds bring the same figures.
start_endpoint faults --seed "$WORK/seed.json" --page-size 10 --fail-rate 0.3 --throttle-rate 0.1 \
    --fault-seed 7 --fault-ops GetJobs,GetJobRuns,GetTriggers,ListStateMachines,ListExecutions,DescribeExecution \
    --request-log "$WORK/faults.log"
EPF="http://127.0.0.1:$(wait_port faults)"
LAKETOP_RETRY_BASE_MS=20 "$LAKETOP" --once --format json --endpoint-url "$EPF" >"$WORK/faults.json" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && ok "faults: --once exits 0" || { notok "faults: --once (exit $st)"; sed 's/^/# /' "$WORK/err"; }
$PY "$HELPERS/pipeline_seed.py" check "$WORK/truth.json" "$WORK/faults.json" | sed 's/^\(not \)*ok - /&faults: /' |
    tee "$WORK/faults.out"
grep -q "^not ok" "$WORK/faults.out" && FAILED=1
$PY - "$WORK/faults.json" "$WORK/faults.log" <<'PYEOF' && ok "faults: some injected and answered again, no pipeline_error" || notok "faults: injected, pipeline_error"
import json, sys
assert json.load(open(sys.argv[1]))["pipeline_error"] is None
log = [json.loads(l) for l in open(sys.argv[2])]
assert sum(1 for r in log if r["status"] in (500, 503) or r["error"] == "ThrottlingException") > 3
PYEOF
stop_fixture faults

# The pipeline denied: the figures of the catalog stand.
start_endpoint denied --seed "$WORK/seed.json" --pipeline-denied --request-log "$WORK/denied.log"
EPD="http://127.0.0.1:$(wait_port denied)"
"$LAKETOP" --once --format json --endpoint-url "$EPD" >"$WORK/denied.json" 2>"$WORK/err"
st=$?
$PY - "$WORK/denied.json" <<'PYEOF' && [ $st -eq 0 ] && ok "pipeline denied: exit 0, pipeline_error says AccessDenied, the table still there" || { notok "pipeline denied (exit $st)"; sed 's/^/# /' "$WORK/err"; }
import json, sys
got = json.load(open(sys.argv[1]))
err = got["pipeline_error"]
assert err and "AccessDeniedException" in err and "GetJobs" in err, err
assert got["jobs"] == [] and got["state_machines"] == [], (got["jobs"], got["state_machines"])
t = [t for t in got["tables"] if t["name"] == "orders"]
assert t and t[0].get("error") is None and t[0]["objects"] == 2, t
PYEOF
"$LAKETOP" job compact_orders --endpoint-url "$EPD" >"$WORK/out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "AccessDenied" "$WORK/out" && ok "pipeline denied: laketop job exits 1 with the reason" ||
    { notok "job denied (exit $st)"; sed 's/^/# /' "$WORK/out"; }
exit $FAILED

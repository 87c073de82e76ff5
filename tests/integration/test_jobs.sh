#!/bin/sh
# test_jobs.sh: the local lake's jobs end to end (issue 14, item 3): two
# [job] sections, `laketop job` exits 0 on success and 1 on failure with
# the message on stdout; jobs.jsonl (read with python) has a RUNNING line
# then the final one for each run (states, exit statuses, stderr's tail);
# --once --format json "jobs" says what python reads from jobs.jsonl; an
# unknown job exits 2; --read-only writes nothing; --arg reaches the
# command; --no-wait returns while the run goes on and ends on its own; a
# run whose laketop is killed (TERM, then KILL) is recorded STOPPED and its
# command is gone; a command killed by a signal is STOPPED too, and so is
# a run whose supervisor is killed outright (its command with it); check
# names the failed job (WARNING, CRITICAL with severity = critical); a
# [job NAME] naming no job is warned about; the Prometheus metrics carry
# the log's values; the demo's two jobs and their past.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config"
export LAKETOP_CRAWL_POLL_MS=100
unset LAKETOP_NOW || true
mkdir -p "$HOME"
L="$WORK/lake"
mkdir -p "$L/catalog"
LOG="$L/.laketop/jobs.jsonl"
cat >"$WORK/jobs.ini" <<'EOF2'
[job ok]
command = echo ok; printf '%s' "$LAKETOP_ARG_day" > day.txt
[job boom]
command = echo one >&2; echo boom >&2; exit 3
[job slow]
command = echo $$ > slow.pid; exec sleep 30
[job later]
command = i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo done > later.txt
EOF2
run() { "$LAKETOP" --lake "$L" --config "$WORK/jobs.ini" "$@"; }

# bounded_poll TRIES COMMAND...: until COMMAND succeeds, TRIES of 0.1 s
bounded_poll() {
    _n=$1
    shift
    _i=0
    until "$@"; do
        _i=$((_i + 1))
        [ $_i -ge "$_n" ] && return 1
        sleep 0.1
    done
}
# last_state JOB: the state of JOB's newest run in the log (python)
last_state() {
    PYTHONPATH="$HELPERS" $PY - "$LOG" "$1" <<'PYEOF'
import sys
from jobs_log import read_runs
runs = read_runs(sys.argv[1], sys.argv[2])  # the newest run started last
print(list(runs.values())[-1]["state"] if runs else "NONE")
PYEOF
}
state_is() { [ "$(last_state "$1")" = "$2" ]; }

run job ok --arg day=2026-12-01 >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && grep -q "^job ok: SUCCEEDED" "$WORK/out" &&
    ok "a job that succeeds: exit 0, SUCCEEDED on stdout" || { notok "job ok (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }
[ "$(cat "$L/day.txt" 2>/dev/null)" = "2026-12-01" ] &&
    ok "--arg day=2026-12-01 reaches the command as \$LAKETOP_ARG_day, run in the lake" ||
    notok "--arg: day.txt holds '$(cat "$L/day.txt" 2>/dev/null)'"
run job boom >"$WORK/out" 2>"$WORK/err"
st=$?
[ $st -eq 1 ] && grep -q "^job boom: FAILED after [0-9]*s: one$" "$WORK/out" && grep -q "^boom$" "$WORK/out" &&
    ok "a job that fails: exit 1, its message on stdout" || { notok "job boom (exit $st)"; cat "$WORK/out" "$WORK/err" | sed 's/^/# /'; }

$PY - "$LOG" <<'PYEOF' && ok "jobs.jsonl: a RUNNING line then the final one per run; states, exit statuses, stderr tail" || notok "jobs.jsonl lines"
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
by_id = {}
for r in lines:
    by_id.setdefault(r["id"], []).append(r)
assert len(by_id) == 2, by_id
for rid, rs in by_id.items():
    assert [r["state"] for r in rs][0] == "RUNNING", rs
    assert rs[0]["ended_at"] is None and rs[0]["exit_status"] is None, rs
    last = rs[-1]
    assert re.fullmatch(r"%s-%d-\d+" % (last["job"], last["started_at"]), rid), rid
    assert last["ended_at"] >= last["started_at"], last
    if last["job"] == "ok":
        assert (last["state"], last["exit_status"], last["error"]) == ("SUCCEEDED", 0, None), last
    else:
        assert (last["state"], last["exit_status"], last["error"]) == ("FAILED", 3, "one\nboom"), last
PYEOF

before=$(cksum <"$LOG")
run job nosuch >"$WORK/out" 2>&1
[ $? -eq 2 ] && grep -q "no job named nosuch" "$WORK/out" && ok "an unknown job: exit 2, named" ||
    { notok "unknown job"; sed 's/^/# /' "$WORK/out"; }
run job ok --read-only >"$WORK/out" 2>&1
st=$?
[ $st -eq 2 ] && [ "$(cksum <"$LOG")" = "$before" ] && [ ! -e "$L/go" ] &&
    ok "--read-only: exit 2, nothing written to jobs.jsonl" || { notok "--read-only (exit $st)"; sed 's/^/# /' "$WORK/out"; }

# --no-wait: returns (even to a command substitution, which waits for its
# stdout to close) while the run waits for `go`; then it ends on its own
out=$(run job later --no-wait 2>&1)
st=$?
echo "$out" | grep -q "^job later started (run later-" && [ $st -eq 0 ] && state_is later RUNNING &&
    ok "--no-wait: exit 0 at once, the run RUNNING in the log" || { notok "--no-wait (exit $st): $out"; }
touch "$L/go"
bounded_poll 300 state_is later SUCCEEDED && [ "$(cat "$L/later.txt")" = "done" ] &&
    ok "... and it finishes on its own: SUCCEEDED" || notok "--no-wait run did not finish: $(last_state later)"

# killed while it runs: TERM, then KILL, to laketop; the supervisor stops it
for sig in TERM KILL; do
    rm -f "$L/slow.pid"
    "$LAKETOP" --lake "$L" --config "$WORK/jobs.ini" job slow >"$WORK/slow.out" 2>&1 &
    lt=$! # laketop itself (a function run in the background would be a subshell)
    if bounded_poll 300 test -s "$L/slow.pid" && bounded_poll 300 state_is slow RUNNING; then
        kill -"$sig" $lt
        wait $lt 2>/dev/null
        sleep_pid=$(cat "$L/slow.pid")
        bounded_poll 300 state_is slow STOPPED && ok "laketop killed with $sig while it ran: the run is STOPPED" ||
            notok "killed with $sig: $(last_state slow)"
        bounded_poll 300 sh -c "! kill -0 $sleep_pid 2>/dev/null" && ok "... and its command (sleep) is gone" ||
            { notok "killed with $sig: the sleep lives on"; kill "$sleep_pid" 2>/dev/null; }
    else
        notok "job slow never ran"
        kill $lt 2>/dev/null
        wait $lt 2>/dev/null
    fi
done

# the command itself killed by a signal: STOPPED, laketop exits 1 and says so
rm -f "$L/slow.pid"
"$LAKETOP" --lake "$L" --config "$WORK/jobs.ini" job slow >"$WORK/slow.out" 2>&1 &
lt=$!
if bounded_poll 300 test -s "$L/slow.pid"; then
    kill -KILL "$(cat "$L/slow.pid")"
    wait $lt
    st=$?
    [ $st -eq 1 ] && grep -q "^job slow: STOPPED after [0-9]*s: killed by SIGKILL$" "$WORK/slow.out" && state_is slow STOPPED &&
        ok "the command killed with KILL: STOPPED (killed by SIGKILL), exit 1" || { notok "command killed (exit $st)"; sed 's/^/# /' "$WORK/slow.out"; }
else
    notok "job slow never ran"
    kill $lt 2>/dev/null
    wait $lt 2>/dev/null
fi

# its supervisor killed outright (KILL): laketop sees the run STOPPED, the
# command goes with the supervisor
rm -f "$L/slow.pid"
"$LAKETOP" --lake "$L" --config "$WORK/jobs.ini" job slow >"$WORK/slow.out" 2>&1 &
lt=$!
if bounded_poll 300 test -s "$L/slow.pid" && bounded_poll 300 state_is slow RUNNING; then
    sleep_pid=$(cat "$L/slow.pid")
    supervisor=$($PY -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["id"].rsplit("-", 1)[1])' "$LOG")
    kill -KILL "$supervisor"
    wait $lt
    st=$?
    [ $st -eq 1 ] && grep -q "^job slow: STOPPED.*: its supervisor is gone" "$WORK/slow.out" &&
        ok "its supervisor killed with KILL: laketop reports the run STOPPED, exit 1" || { notok "supervisor killed (exit $st)"; sed 's/^/# /' "$WORK/slow.out"; }
    bounded_poll 300 sh -c "! kill -0 $sleep_pid 2>/dev/null" && ok "... and its command (sleep) is gone with it" ||
        { notok "supervisor killed: the sleep lives on"; kill "$sleep_pid" 2>/dev/null; }
else
    notok "job slow never ran"
    kill $lt 2>/dev/null
    wait $lt 2>/dev/null
fi

# the JSON's jobs are the log's (python)
run --once --format json >"$WORK/once.json" 2>"$WORK/err"
PYTHONPATH="$HELPERS" $PY - "$LOG" "$WORK/once.json" "$WORK/jobs.ini" <<'PYEOF' && ok "--once --format json: jobs, runs, states, errors and failures_7d as jobs.jsonl says" || notok "JSON jobs"
import json, sys, time
from jobs_log import newest, read_runs, settle
iso = lambda t: None if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
runs = read_runs(sys.argv[1])
settled = settle(runs)  # RUNNING in the log, its supervisor (the id's pid) gone: STOPPED
assert len(settled) == 1, settled
commands, name = {}, None
for line in open(sys.argv[3]):
    line = line.strip()
    if line.startswith("[job "):
        name = line[5:-1]
    elif line.startswith("command = "):
        commands[name] = line[len("command = "):]
got = {j["name"]: j for j in json.load(open(sys.argv[2]))["jobs"]}
assert sorted(got) == sorted(commands), got.keys()
for name, command in commands.items():
    j = got[name]
    mine = sorted((r for r in runs.values() if r["job"] == name), key=newest, reverse=True)
    assert (j["kind"], j["severity"], j["description"]) == ("local", "warning", command), j
    assert j["failures_7d"] == sum(r["state"] == "FAILED" for r in mine), j
    assert len(j["runs"]) == len(mine), (name, j["runs"], mine)
    for a, b in zip(j["runs"], mine):
        assert (a["id"], a["state"], a["exit_status"]) == (b["id"], b["state"], b["exit_status"]), (a, b)
        assert (a["started_at"], a["ended_at"]) == (iso(b["started_at"]), iso(b["ended_at"])), (a, b)
        if b["id"] in settled:  # its end was not recorded: laketop says why
            assert "supervisor is gone" in a["error"], a
        else:
            assert a["error"] == b["error"], (a, b)
            assert a["duration_seconds"] == b["ended_at"] - b["started_at"], (a, b)
    assert j["state"] == mine[0]["state"], j
PYEOF

# check: the failed job named, WARNING (1); CRITICAL (2) with severity = critical
"$LAKETOP" check --lake "$L" --config "$WORK/jobs.ini" >"$WORK/check" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "^LAKETOP WARNING - .*, 1 of 4 jobs failed" "$WORK/check" &&
    grep -q "^WARNING job boom: newest run FAILED .* (exit status 3): one\\\\nboom$" "$WORK/check" &&
    ! grep -q "job slow\|job ok\|job later" "$WORK/check" &&
    ok "check: exit 1, names the failed job with its message (a STOPPED run is no failure)" ||
    { notok "check (exit $st)"; sed 's/^/# /' "$WORK/check"; }
sed 's/^\[job boom\]$/[job boom]\nseverity = critical/' "$WORK/jobs.ini" >"$WORK/critical.ini"
"$LAKETOP" check --lake "$L" --config "$WORK/critical.ini" >"$WORK/check" 2>&1
st=$?
[ $st -eq 2 ] && grep -q "^LAKETOP CRITICAL" "$WORK/check" && grep -q "^CRITICAL job boom: newest run FAILED" "$WORK/check" &&
    ok "check: severity = critical makes it CRITICAL, exit 2" || { notok "critical check (exit $st)"; sed 's/^/# /' "$WORK/check"; }

# a [job NAME] that names no job: a warning with its line and the nearest name
{ cat "$WORK/jobs.ini"; printf '[job bom]\nseverity = critical\n'; } >"$WORK/typo.ini"
line=$(grep -n '^\[job bom\]$' "$WORK/typo.ini" | cut -d: -f1)
"$LAKETOP" --lake "$L" --config "$WORK/typo.ini" --once >/dev/null 2>"$WORK/err"
st=$?
grep -qF "laketop: warning: $WORK/typo.ini:$line: [job bom] names no job or state machine; did you mean boom?" "$WORK/err" && [ $st -eq 0 ] &&
    ok "[job bom]: a warning with its line and the nearest job, exit 0" || { notok "[job] typo (exit $st)"; sed 's/^/# /' "$WORK/err"; }

# Prometheus: the values of the log's newest ended run of each job (python)
"$LAKETOP" check --lake "$L" --config "$WORK/jobs.ini" --format prometheus >"$WORK/metrics" 2>&1
PYTHONPATH="$HELPERS" $PY - "$LOG" "$WORK/metrics" <<'PYEOF' && ok "prometheus: laketop_job_last_run_succeeded, _last_run_seconds, _failures_7d as the log says" || notok "prometheus job metrics"
import re, sys
from jobs_log import newest, read_runs, settle
runs = read_runs(sys.argv[1])
settle(runs)  # a supervisor gone without the end: STOPPED, its seconds unknown
text = open(sys.argv[2]).read()
for m in ("last_run_succeeded", "last_run_seconds", "failures_7d"):
    assert "# TYPE laketop_job_%s gauge\n" % m in text, m
    assert "# TYPE laketop_state_machine_%s gauge\n" % m in text, m
got = {(m, j): int(v) for m, j, v in re.findall(r'^laketop_job_(\w+)\{job="([^"]*)"\} (\d+)$', text, re.M)}
want = {}
for name in ("ok", "boom", "slow", "later"):
    mine = sorted((r for r in runs.values() if r["job"] == name), key=newest, reverse=True)
    ended = [r for r in mine if r["state"] != "RUNNING"][0]
    want[("last_run_succeeded", name)] = int(ended["state"] == "SUCCEEDED")
    if ended["ended_at"] is not None:
        want[("last_run_seconds", name)] = ended["ended_at"] - ended["started_at"]
    want[("failures_7d", name)] = sum(r["state"] == "FAILED" for r in mine)
assert got == want, (got, want)
PYEOF

# the demo lake: its two jobs with their past, the newest load_partners run failed
"$LAKETOP" demo "$WORK/demo" 2>/dev/null
"$LAKETOP" --lake "$WORK/demo" --config "$WORK/demo/laketop.conf" --once --format json >"$WORK/demo.json" 2>/dev/null
PYTHONPATH="$HELPERS" $PY - "$WORK/demo/.laketop/jobs.jsonl" "$WORK/demo.json" <<'PYEOF' && ok "demo: check_landing and load_partners listed with the past runs of jobs.jsonl, load_partners' newest FAILED" || notok "demo jobs"
import json, sys
from jobs_log import newest, read_runs
runs = read_runs(sys.argv[1])
got = {j["name"]: j for j in json.load(open(sys.argv[2]))["jobs"]}
assert sorted(got) == ["check_landing", "load_partners"], got.keys()
for name, j in got.items():
    mine = sorted((r for r in runs.values() if r["job"] == name), key=newest, reverse=True)
    assert len(mine) >= 10 and [r["id"] for r in j["runs"]] == [r["id"] for r in mine][:30], name
assert got["load_partners"]["state"] == "FAILED" and "_SUCCESS" in got["load_partners"]["error"]
assert got["check_landing"]["state"] == "SUCCEEDED"
PYEOF
"$LAKETOP" job load_partners --lake "$WORK/demo" --config "$WORK/demo/laketop.conf" >"$WORK/out" 2>&1
st=$?
want=$($PY -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["error"])' "$WORK/demo/.laketop/jobs.jsonl")
[ $st -eq 1 ] && grep -qF "$want" "$WORK/out" && ok "demo: load_partners fails as its past says: $want" ||
    { notok "demo load_partners (exit $st)"; sed 's/^/# /' "$WORK/out"; }
"$LAKETOP" job check_landing --lake "$WORK/demo" --config "$WORK/demo/laketop.conf" >"$WORK/out" 2>&1
[ $? -eq 0 ] && ok "demo: check_landing succeeds" || { notok "demo check_landing"; sed 's/^/# /' "$WORK/out"; }
exit $FAILED

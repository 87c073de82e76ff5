#!/bin/sh
# test_timeout.sh: --timeout of --once and check (issue 10, item 17).
# Against the test endpoint answering GetTables never (stall) or a byte a
# second (slowloris): check ends UNKNOWN (exit 3) with "LAKETOP UNKNOWN -"
# naming the --timeout and what was waiting; --format prometheus gives the
# status gauge 3; --once exits 1, prints no figures and says why; a bad
# TIME, or --timeout without --once or check, is exit 2; --help lists it.
# Every run is under timeout(1) so that a regression fails, not hangs; the
# assertions are on the status and the message, never on the time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home"
mkdir -p "$HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
start_endpoint stall --seed "$WORK/seed.json" --hostile GetTables=stall
start_endpoint slow --seed "$WORK/seed.json" --hostile GetTables=slowloris
P_stall=$(wait_port stall) && P_slow=$(wait_port slow) || { notok "endpoints started"; exit 1; }
ok "endpoints started (GetTables stalled; GetTables a byte a second)"

# run NAME ARGS...: laketop ARGS under timeout 120; NAME.out, NAME.err, NAME.st
run() {
    _n=$1
    shift
    timeout 120 "$LAKETOP" "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err"
    echo $? >"$WORK/$_n.st"
}
show() { sed 's/^/# out: /' "$WORK/$1.out" | head -5; sed 's/^/# err: /' "$WORK/$1.err" | head -5; }

for mode in stall slow; do
    eval "EP=http://127.0.0.1:\$P_$mode"
    run check_$mode check --endpoint-url "$EP" --timeout 2s
    st=$(cat "$WORK/check_$mode.st")
    [ "$st" -eq 3 ] && head -1 "$WORK/check_$mode.out" | grep -q '^LAKETOP UNKNOWN - stopped at the --timeout of 2s, still reading the figures of aws:' &&
        ok "check, GetTables $mode: UNKNOWN (exit 3), the --timeout and what was waiting named" ||
        { notok "check, GetTables $mode (exit $st)"; show check_$mode; }
    run once_$mode --once --endpoint-url "$EP" --timeout 1500ms
    st=$(cat "$WORK/once_$mode.st")
    [ "$st" -eq 1 ] && [ ! -s "$WORK/once_$mode.out" ] &&
        grep -q '^laketop: stopped at the --timeout of 1500ms, still reading the figures of aws:' "$WORK/once_$mode.err" &&
        ok "--once, GetTables $mode: exit 1, no figures, the --timeout named on stderr" ||
        { notok "--once, GetTables $mode (exit $st)"; show once_$mode; }
done

run prom check --endpoint-url "http://127.0.0.1:$P_stall" --timeout 1s --format prometheus
st=$(cat "$WORK/prom.st")
[ "$st" -eq 3 ] && grep -qx 'laketop_check_status 3' "$WORK/prom.out" && grep -q -- '--timeout of 1s' "$WORK/prom.err" &&
    ok "check --format prometheus past its --timeout: the status gauge 3, exit 3" ||
    { notok "prometheus past --timeout (exit $st)"; show prom; }

# A limit that is not reached changes nothing.
start_endpoint clean --seed "$WORK/seed.json"
P_clean=$(wait_port clean)
run clean --once --endpoint-url "http://127.0.0.1:$P_clean" --timeout 2m
st=$(cat "$WORK/clean.st")
$PY "$HELPERS/aws_seed.py" check "$WORK/truth.json" "$WORK/clean.out" >"$WORK/clean.check" 2>&1
# (the seed's tricky.denied and tricky.missing cannot be read: exit 1, as without --timeout)
[ "$st" -eq 1 ] && ! grep -q '^not ok' "$WORK/clean.check" && ! grep -q -- '--timeout' "$WORK/clean.err" &&
    ok "--once --timeout 2m against a clean endpoint: the true figures, no timeout" ||
    { notok "--once within its --timeout (exit $st)"; show clean; sed 's/^/# /' "$WORK/clean.check" | head; }

# Usage.
for bad in 10x -1 ms 5.5s 2d 99999h; do
    run bad check --endpoint-url "http://127.0.0.1:$P_clean" --timeout "$bad"
    st=$(cat "$WORK/bad.st")
    [ "$st" -eq 2 ] && grep -qF -- "--timeout \"$bad\" is not a time" "$WORK/bad.err" &&
        ok "--timeout $bad: exit 2, said why" || { notok "--timeout $bad (exit $st)"; show bad; }
done
run dash --endpoint-url "http://127.0.0.1:$P_clean" --timeout 5s
st=$(cat "$WORK/dash.st")
[ "$st" -eq 2 ] && grep -q -- "--timeout goes with --once and check" "$WORK/dash.err" &&
    ok "--timeout without --once or check: exit 2" || { notok "--timeout with the dashboard (exit $st)"; show dash; }
run help --help
grep -q -- '--timeout TIME' "$WORK/help.out" && grep -q '55s for check' "$WORK/help.out" &&
    ok "--help lists --timeout and check's default" || { notok "--help and --timeout"; show help; }
exit $FAILED

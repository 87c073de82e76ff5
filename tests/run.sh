#!/bin/sh
# run.sh: every test of laketop (called by `make test`). Builds the normal,
# ASan+UBSan and TSan variants, then runs the unit tests (cmocka, TAP
# output), the integration tests (real binary on generated lakes) and the
# screen tests (real TUI in tmux). Each check prints "ok ..." or
# "not ok ..."; the last line is "N passed, N failed". The logs and the
# temporary folders stay only when something failed.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/laketop-tests-XXXXXX")
PASSED=0
FAILED=0

# The tests make their temporary folders in a TMPDIR of this run's own;
# each removes its own on exit, and the last check fails on anything left
# there. A passing run removes LOGS (and so TMPDIR); a failing one keeps
# them and says where.
export TMPDIR="$LOGS/tmp"
mkdir -p "$TMPDIR"

# A private home so tests never read or write the user's config and state.
export HOME="$LOGS/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_STATE_HOME="$HOME/.local/state"
export XDG_DATA_HOME="$HOME/.local/share"
mkdir -p "$HOME"
unset NO_COLOR LAKETOP_NOW || true
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:exitcode=66

# suite NAME COMMAND...: runs a command whose output has TAP-like lines.
suite() {
    name=$1
    shift
    log="$LOGS/$(echo "$name" | tr ' /' '__').log"
    "$@" >"$log" 2>&1
    rc=$?
    ok=$(grep -c '^ok ' "$log")
    bad=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=1
        echo "not ok - $name exited with status $rc" >>"$log"
    fi
    PASSED=$((PASSED + ok))
    FAILED=$((FAILED + bad))
    if [ "$bad" -gt 0 ]; then
        echo "FAIL  $name: $ok passed, $bad failed"
        grep '^not ok ' "$log" | sed 's/^/      /'
        echo "      --- last lines of $log ---"
        tail -n 25 "$log" | sed 's/^/      | /'
    else
        echo "ok    $name: $ok passed"
    fi
}

# step NAME COMMAND...: one check that passes when the command exits 0.
step() {
    name=$1
    shift
    log="$LOGS/$(echo "$name" | tr ' /' '__').log"
    if "$@" >"$log" 2>&1; then
        PASSED=$((PASSED + 1))
        echo "ok    $name"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $name"
        tail -n 30 "$log" | sed 's/^/      | /'
    fi
}

finish() {
    if [ "$FAILED" -eq 0 ]; then rm -rf "$LOGS"; else echo "logs: $LOGS"; fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

step "build" make -j"$JOBS" all unit
if [ "$FAILED" -gt 0 ]; then finish; fi
step "build with ASan+UBSan" make -j"$JOBS" BUILD=build/asan SAN=asan all unit
step "build with TSan" make -j"$JOBS" BUILD=build/tsan SAN=tsan build/tsan/tests/test_collector \
    build/tsan/tests/test_jobs build/tsan/tests/test_backup
step "clang-format" make format-check

for t in build/tests/test_*; do
    case "$t" in *.d) continue ;; esac
    suite "unit $(basename "$t")" "$t"
done
for t in build/asan/tests/test_*; do
    case "$t" in *.d) continue ;; esac
    suite "unit $(basename "$t") (asan+ubsan)" "$t"
done
suite "unit test_collector (tsan)" build/tsan/tests/test_collector
suite "unit test_jobs (tsan)" build/tsan/tests/test_jobs
suite "unit test_backup (tsan)" build/tsan/tests/test_backup

for t in tests/integration/test_*.sh; do
    suite "integration $(basename "$t" .sh)" sh "$t" "$ROOT/build/laketop"
done
suite "integration test_once (asan+ubsan)" sh tests/integration/test_once.sh "$ROOT/build/asan/laketop"
suite "integration test_aws (asan+ubsan)" sh tests/integration/test_aws.sh "$ROOT/build/asan/laketop"
suite "integration test_inventory_scale (asan+ubsan)" sh tests/integration/test_inventory_scale.sh "$ROOT/build/asan/laketop"
suite "integration test_backup (asan+ubsan)" sh tests/integration/test_backup.sh "$ROOT/build/asan/laketop"
suite "integration test_backup_s3 (asan+ubsan)" sh tests/integration/test_backup_s3.sh "$ROOT/build/asan/laketop"
for t in tests/screen/test_*.sh; do
    suite "screen $(basename "$t" .sh)" sh "$t" "$ROOT/build/laketop"
done
# the dashboard's screen tests on the demo lake (test_tui.sh until it was
# split by behaviour) also under ASan+UBSan; the AWS one only plain, as before
for t in tests/screen/test_tui_*.sh; do
    case "$t" in */test_tui_aws.sh) continue ;; esac
    suite "screen $(basename "$t" .sh) (asan+ubsan)" sh "$t" "$ROOT/build/asan/laketop"
done
step "no temporary folder left behind by the tests" sh tests/helpers/leftovers.sh "$TMPDIR"
finish

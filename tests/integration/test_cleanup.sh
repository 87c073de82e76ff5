#!/bin/sh
# test_cleanup.sh: a test run leaves no temporary folder behind (issue 12,
# item 13). An integration test (lib.sh) and a screen test (demo_lib.sh,
# tmux) killed with TERM still remove their WORK and stop their servers;
# leftovers.sh, run.sh's last check, fails on what is left in the run's
# TMPDIR; and no test makes its temporary folder outside $TMPDIR.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"

# killed NAME SCRIPT: runs SCRIPT (sh) until it writes WORK/NAME.ready, then
# sends TERM and waits for it to end (bounded polls).
killed() {
    sh "$2" "$LAKETOP" >"$WORK/$1.out" 2>&1 &
    _pid=$!
    _i=0
    while [ ! -s "$WORK/$1.ready" ] && [ $_i -lt 600 ] && kill -0 $_pid 2>/dev/null; do
        sleep 0.05
        _i=$((_i + 1))
    done
    kill -TERM $_pid 2>/dev/null
    wait $_pid 2>/dev/null
}

# an integration test with a server running
cat >"$WORK/int.sh" <<EOF2
set -u
HERE="$HERE"
NO_LAKETOP=1
. "\$HERE/lib.sh"
\$PY "\$HELPERS/aws_seed.py" write "\$WORK/seed.json" "\$WORK/truth.json" >/dev/null
start_endpoint ep --seed "\$WORK/seed.json"
wait_port ep >/dev/null || exit 1
echo "\$WORK \$(cat "\$WORK/ep.pid")" >"$WORK/int.ready"
while :; do sleep 0.1; done
EOF2
killed int "$WORK/int.sh"
dir="" pid=""
read -r dir pid <"$WORK/int.ready" || { notok "the integration test did not start"; sed 's/^/# /' "$WORK/int.out"; }
[ -n "${dir:-}" ] && [ ! -e "$dir" ] && ok "lib.sh, killed: its WORK is removed" || notok "lib.sh, killed: $dir left"
[ -n "${pid:-}" ] && ! kill -0 "$pid" 2>/dev/null && ok "lib.sh, killed: its server is stopped" || notok "lib.sh, killed: server $pid runs"

# a screen test with the dashboard in tmux
cat >"$WORK/screen.sh" <<EOF2
set -u
HERE="$ROOT/tests/screen"
. "\$HERE/demo_lib.sh"
start 80 24 "\$RUN"
wait_for weblogs || exit 1
echo "\$WORK \$TMUX_SOCKET" >"$WORK/screen.ready"
while :; do sleep 0.1; done
EOF2
killed screen "$WORK/screen.sh"
dir="" sock=""
read -r dir sock <"$WORK/screen.ready" || { notok "the screen test did not start"; sed 's/^/# /' "$WORK/screen.out"; }
[ -n "${dir:-}" ] && [ ! -e "$dir" ] && ok "demo_lib.sh, killed: its WORK is removed" || notok "demo_lib.sh, killed: $dir left"
if [ -n "${sock:-}" ] && ! tmux -L "$sock" has-session 2>/dev/null; then ok "demo_lib.sh, killed: its tmux server is stopped"; else
    notok "demo_lib.sh, killed: tmux server $sock runs"
    tmux -L "$sock" kill-server 2>/dev/null
fi
left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1)
[ -z "$left" ] && ok "nothing left in TMPDIR by the killed tests" || { notok "left in TMPDIR: $left"; rm -rf "$TMPDIR"/*; }

# leftovers.sh: silent on an empty folder, names what a test left
sh "$HELPERS/leftovers.sh" "$TMPDIR" >"$WORK/out" 2>&1 && [ ! -s "$WORK/out" ] &&
    ok "leftovers.sh: an empty TMPDIR passes" || notok "leftovers.sh on an empty TMPDIR"
mkdir "$TMPDIR/laketop-sync-s3-Ab12Cd"
if ! sh "$HELPERS/leftovers.sh" "$TMPDIR" >"$WORK/out" 2>&1 && grep -q '^  laketop-sync-s3-Ab12Cd$' "$WORK/out"; then
    ok "leftovers.sh: a folder left fails, named"
else
    notok "leftovers.sh with a folder left"
    sed 's/^/# /' "$WORK/out"
fi

# every temporary folder of `make test` is made in $TMPDIR (the benches are not part of it)
bad=$(grep -rnE '"/tmp/laketop|mktemp (-d )?"?/tmp/' "$ROOT/tests" --include='*.c' --include='*.h' --include='*.sh' --include='*.py' |
    grep -v -e '/tests/bench' -e '/tests/helpers/bench_' -e 'test_cleanup.sh')
[ -z "$bad" ] && ok "no test makes its temporary folder outside \$TMPDIR" || { notok "temporary folders outside \$TMPDIR:"; echo "$bad" | sed 's/^/# /'; }
exit $FAILED

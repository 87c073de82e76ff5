# lib.sh: what every integration test starts with. A test sources it after
# computing its own folder:
#
#     set -u
#     HERE=$(cd "$(dirname "$0")" && pwd)
#     . "$HERE/lib.sh"
#
# and then has LAKETOP (the binary, the first argument: required unless the
# test sets NO_LAKETOP=1 before sourcing), ROOT, HELPERS (tests/helpers),
# FIXTURES (tests/fixtures), PY (Debian's python3, where python3-botocore is),
# WORK (a private directory, removed on exit with every server started with
# start_fixture/start_endpoint), the helpers below and the test endpoint's
# credentials KEY and SECRET. Checks print "ok - ..." or "not ok - ...".

ROOT=$(cd "$HERE/../.." && pwd)
HELPERS="$ROOT/tests/helpers"
FIXTURES="$ROOT/tests/fixtures"
PY=/usr/bin/python3
if [ -z "${NO_LAKETOP:-}" ]; then
    LAKETOP=${1:?usage: ${0##*/} path/to/laketop}
fi
_lib_name=${0##*/}
_lib_name=${_lib_name%.sh}
_lib_name=$(echo "${_lib_name#test_}" | tr '_' '-')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-$_lib_name-XXXXXX")
PIDS=""
FAILED=0

# cleanup: on exit, stops the servers this test started and removes WORK.
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do wait "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() {
    echo "not ok - $*"
    FAILED=1
}

expect() { # expect DESCRIPTION COMMAND...: passes when COMMAND succeeds
    d=$1
    shift
    if "$@" >"$WORK/out" 2>&1; then ok "$d"; else notok "$d"; sed 's/^/# /' "$WORK/out" | head -20; fi
}
status_is() { # status_is WANT COMMAND...: exit status of COMMAND is WANT
    want=$1
    shift
    "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    got=$?
    [ "$got" -eq "$want" ] || { echo "# exit $got, wanted $want"; sed 's/^/# stderr: /' "$WORK/stderr" | head -5; return 1; }
}
stderr_has() { grep -qF -- "$1" "$WORK/stderr" || { echo "# stderr lacks: $1"; sed 's/^/# stderr: /' "$WORK/stderr" | head -5; return 1; }; }

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_fixture NAME FILE ARGS...: starts tests/fixtures/FILE in the
# background with --port-file WORK/NAME.port and ARGS; its stdout goes to
# WORK/NAME.out, its stderr to WORK/NAME.err, its pid to WORK/NAME.pid.
start_fixture() {
    _lib_n=$1
    _lib_f=$2
    shift 2
    rm -f "$WORK/$_lib_n.port"
    $PY "$FIXTURES/$_lib_f" --port-file "$WORK/$_lib_n.port" "$@" >"$WORK/$_lib_n.out" 2>"$WORK/$_lib_n.err" &
    PIDS="$PIDS $!"
    echo $! >"$WORK/$_lib_n.pid"
}

# start_endpoint NAME ARGS...: the test endpoint (fixtures/aws_endpoint.py)
# on a free port, with ARGS (--seed SEED and any other option).
start_endpoint() {
    _lib_n=$1
    shift
    start_fixture "$_lib_n" aws_endpoint.py --port 0 "$@"
}

# wait_port NAME [TRIES]: waits until NAME's port file is written (a bounded
# poll: TRIES of 0.05 s, 200 unless told) and prints the port; if the
# server died or never wrote it, shows its stderr and returns 1.
wait_port() {
    _lib_i=0
    while [ ! -s "$WORK/$1.port" ]; do
        _lib_i=$((_lib_i + 1))
        if [ "$_lib_i" -gt "${2:-200}" ] || ! kill -0 "$(cat "$WORK/$1.pid")" 2>/dev/null; then
            sed 's/^/# /' "$WORK/$1.err" | head -n 20 >&2
            return 1
        fi
        sleep 0.05
    done
    cat "$WORK/$1.port"
}

# stop_fixture NAME: stops the server started as NAME.
stop_fixture() { kill "$(cat "$WORK/$1.pid")" 2>/dev/null; }

# The test endpoint's credentials (its defaults).
KEY=AKIDLAKETOPTEST
SECRET='laketop/test/secret/key+with/special=chars'

# aws_env: a clean AWS environment, nothing from the machine leaks in: the
# test endpoint's keys, us-east-1, no instance metadata, and no profile,
# session token, CA bundle, endpoint or config file from outside.
aws_env() {
    export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    export AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET"
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_CA_BUNDLE AWS_ENDPOINT_URL \
        AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_GLUE AWS_ENDPOINT_URL_S3TABLES AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE || true
}

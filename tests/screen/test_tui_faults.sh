#!/bin/sh
# test_tui_faults.sh: a long-lived dashboard on the AWS source through
# faults (issue 10, items 2 and 3): at 20 % 500s + 10 % throttling every
# table is shown, unmarked (the parts that failed their three attempts are
# sent again at the end of the refresh); then a burst (about 70 % faults)
# for two refreshes; then the endpoint is healthy again, and the same
# dashboard shows every table with no error mark and the right count. The
# seed is the test seed without its two unreadable tables (denied, missing):
# every table can be read, so any mark is a fault that was not mended.
set -u
LAKETOP=${1:?usage: test_tui_faults.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-faults-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
$PY "$HERE/../helpers/aws_seed.py" write "$WORK/full.json" "$WORK/truth.json"
# the expected counts come from the seed, not from laketop
$PY - "$WORK/full.json" "$WORK/seed.json" "$WORK/counts" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
for db in s["databases"]:
    db["tables"] = [t for t in db["tables"] if t["Name"] not in ("denied", "missing")]
json.dump(s, open(sys.argv[2], "w"))
with open(sys.argv[3], "w") as f:
    f.write(f"{len(s['databases'])} {sum(len(db['tables']) for db in s['databases'])}\n")
    for db in s["databases"]:
        f.write(f"{db['Name']} {len(db['tables'])}\n")
PYEOF
read -r N_DBS N_TABLES <"$WORK/counts"
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENV="env HOME=$WORK AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8 LAKETOP_RETRY_BASE_MS=20"

# endpoint NAME ARGS...: (re)starts the endpoint on PORT, its log WORK/NAME.log.
endpoint() {
    _n=$1
    shift
    if [ -n "$EP_PID" ]; then
        kill "$EP_PID" 2>/dev/null
        wait "$EP_PID" 2>/dev/null
    fi
    : >"$WORK/$_n.log"
    $PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port "$PORT" --page-size 50 \
        --request-log "$WORK/$_n.log" "$@" >"$WORK/$_n.out" 2>&1 &
    EP_PID=$!
    _i=0
    while ! grep -q "listening on" "$WORK/$_n.out" 2>/dev/null && [ $_i -lt 100 ]; do
        sleep 0.05
        _i=$((_i + 1))
    done
}

# refreshed LOG: r, then waits until a GetDatabases has reached the
# endpoint logging to LOG and the dashboard is idle again.
refreshed() {
    keys r
    _i=0
    while ! grep -q '"op": "GetDatabases"' "$1" && [ $_i -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    wait_for " idle " 150 || true
}

# unmarked WHAT: no row of the screen starts with the error mark "!".
unmarked() {
    if screen | grep -q '^!'; then
        notok "$1: no error mark"
    else
        ok "$1: no error mark"
    fi
}

# tables_of DATABASE N: the database's row shows N tables, unmarked.
tables_of() {
    _n=0
    while [ $_n -lt 100 ] && ! screen | grep -qE "^$1 +$2 "; do
        sleep 0.1
        _n=$((_n + 1))
    done
    if [ $_n -lt 100 ]; then ok "$3: $1 shows $2 tables, unmarked"; else
        notok "$3: $1 shows $2 tables, unmarked"
    fi
}

# all_tables WHEN: from the Databases view: the Overview counts every
# database and table; each database's row shows its tables, unmarked; and
# the tables of each database are unmarked.
all_tables() {
    keys o
    check "$1: the Overview counts $N_DBS databases, $N_TABLES tables" "$N_DBS databases, $N_TABLES tables,"
    keys o
    wait_for "Database" 50 || true
    tail -n +2 "$WORK/counts" | LC_ALL=C sort | while read -r db n; do
        [ "$n" -gt 0 ] || continue
        tables_of "$db" "$n" "$1"
    done
    unmarked "$1: the Databases view"
    # each database's tables, one after the other (rows sorted by name)
    keys Home
    tail -n +2 "$WORK/counts" | LC_ALL=C sort | while read -r db n; do
        keys Enter
        check "$1: the tables of $db open" "› $db"
        unmarked "$1: the tables of $db"
        keys Escape
        wait_for "Database" 50 || true
        keys j
    done
}

# 1. Steady faults (20 % + 10 %; fault seed 4 makes the other database's
# GetTables fail its three attempts): the first refresh shows everything.
endpoint steady --fail-rate 0.2 --throttle-rate 0.1 --fault-seed 4
start 120 30 "$ENV $LAKETOP --endpoint-url http://127.0.0.1:$PORT --interval 1h --themes-dir $HERE/../../themes --view databases"
if wait_for "tricky" 300 && wait_for " idle " 150; then ok "20 % + 10 %: the dashboard started"; else
    notok "20 % + 10 %: the dashboard started"
fi
all_tables "20 % + 10 % faults"

# 2. A burst: about 70 % of the answers are faults, for two refreshes.
endpoint burst --fail-rate 0.6 --throttle-rate 0.3 --fault-seed 2
refreshed "$WORK/burst.log"
keys r
sleep 0.5
wait_for " idle " 150 || true
faults=$($PY -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    n += r["status"] >= 500 or r.get("error") == "ThrottlingException"
print(n)' "$WORK/burst.log")
[ "$faults" -gt 10 ] && ok "the burst: $faults faults injected" || notok "the burst: $faults faults injected"
check "the dashboard lives through the burst" " idle "

# 3. After the burst: a healthy endpoint on the same port; the next refresh
# of the same dashboard shows every table, unmarked, and the right count.
endpoint after
refreshed "$WORK/after.log"
all_tables "after the burst"
check_absent "after the burst: no error in the status line" "Glue "
keys q
check "q quits" "EXITED 0"
stop

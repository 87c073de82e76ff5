#!/bin/sh
# test_tui_cost.sh: issue 14's cost on screen, against the test endpoint
# seeded with tables of known sizes in several storage classes and one
# Athena query: the $/mo column of Databases and Tables, sorted by $ (the
# dearest first, the order python computes from the seed), the detail
# view's cost, query cost and storage-class lines, the Overview's "costs
# most" line and its totals line with the month's storage.
set -u
LAKETOP=${1:?usage: test_tui_cost.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-cost-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT

# The seed, and what the screen must say, computed from it here.
$PY - "$WORK/seed.json" "$WORK/want.sh" <<'PYEOF'
import json, sys
KIB, GIB, TIB = 1024, 1024 ** 3, 1024 ** 4
price = {"STANDARD": 0.023, "STANDARD_IA": 0.0125, "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099}
tables = {  # table -> [(size, class)]
    "hot": [(200 * GIB, "STANDARD")],
    "archive": [(TIB, "GLACIER")] * 3,
    "deep": [(50 * TIB, "DEEP_ARCHIVE")],
    "small": [(KIB, "STANDARD_IA")] * 20,
}
def month(objs):
    usd = 0.0
    for size, c in objs:
        if c == "STANDARD_IA":
            usd += max(size, 128 * KIB) / GIB * price[c]
        elif c in ("GLACIER", "DEEP_ARCHIVE"):
            usd += (size + 32 * KIB) / GIB * price[c] + 8 * KIB / GIB * price["STANDARD"]
        else:
            usd += size / GIB * price[c]
    return usd
def shown(usd):  # the column's rounding
    return "<$0.01" if usd < 0.005 else f"${usd:.2f}" if usd < 9.995 else f"${usd:.1f}" if usd < 99.95 else f"${usd:.0f}"
cost = {t: month(o) for t, o in tables.items()}
order = sorted(cost, key=lambda t: -cost[t])
seed = {"databases": [
    {"Name": "costs", "tables": [{"Name": t, "StorageDescriptor": {"Location": f"s3://cost-lake/{t}/", "Columns": []}}
                                 for t in tables]},
    {"Name": "zcheap", "tables": [{"Name": "crumbs", "StorageDescriptor": {"Location": "s3://cost-lake/crumbs/", "Columns": []}}]}],
    "buckets": {"cost-lake": {"objects": [{"key": f"{t}/part-{i:03d}.parquet", "size": s, "storage_class": c}
                                          for t, objs in tables.items() for i, (s, c) in enumerate(objs)]
                              + [{"key": "crumbs/a.csv", "size": 10}]}},
    "athena": {"queries": [{"Query": "SELECT * FROM costs.archive", "Database": "costs", "age_seconds": 3600,
                            "scanned_bytes": 2 * TIB}]}}
json.dump(seed, open(sys.argv[1], "w"))
total = sum(cost.values()) + 10 / GIB * price["STANDARD"]
with open(sys.argv[2], "w") as f:
    f.write(f"DEAREST={order[0]}\nSECOND={order[1]}\nCHEAPEST={order[-1]}\n")
    f.write(f"DEAREST_USD='{shown(cost[order[0]])}'\nARCHIVE_USD='{shown(cost['archive'])}'\n")
    f.write(f"DB_USD='{shown(sum(cost.values()))}'\nQUERY_USD='{shown(2 * TIB / TIB * 5.0)}'\n")
    f.write(f"TOTAL='storage ${total:.4f}/month'\n")
PYEOF
. "$WORK/want.sh"

$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 --port-file "$WORK/port" \
    >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
ENV="env HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
RUN="$ENV $LAKETOP --endpoint-url http://127.0.0.1:$(cat "$WORK/port") --themes-dir $HERE/../../themes"

# row_is N PATTERN: waits (a bounded poll) until screen line N matches the
# shell PATTERN; prints the line
row_is() {
    tries=100
    while [ $tries -gt 0 ]; do
        line=$(screen | sed -n "$1p")
        # shellcheck disable=SC2254 # the pattern is the caller's
        case "$line" in $2) echo "$line"; return 0 ;; esac
        sleep 0.1
        tries=$((tries - 1))
    done
    echo "$line"
    return 1
}

start 130 40 "$RUN --view databases"
check "Databases: a \$/mo column" '$/mo'
check "... the costs database at its tables' sum ($DB_USD)" "$DB_USD"
keys '$'
check "\$ sorts by it, the dearest first" '$/mo ▼ |'
first=$(row_is 3 "costs *") && ok "... costs first: $first" || notok "... costs first (first row: $first)"
keys Home Enter
check "Enter: the costs database's tables" "laketop › Databases › costs"
check "Tables: a \$/mo column" 'Queries    $/mo  Quota in'
keys '$'
first=$(row_is 3 "$DEAREST *$DEAREST_USD*") && ok "\$ in Tables: $DEAREST first at $DEAREST_USD (python from the seed)" ||
    notok "\$ in Tables: $DEAREST first at $DEAREST_USD (first row: $first)"
check "... said in the status bar" '$/mo ▼ |'
second=$(row_is 4 "$SECOND *") && ok "... then $SECOND" || notok "... then $SECOND (second row: $second)"
keys '$'
first=$(row_is 3 "$CHEAPEST *") && ok "\$ again inverts: the cheapest first: $CHEAPEST" ||
    notok "\$ again inverts: the cheapest first: $CHEAPEST (first row: $first)"
check "... said in the status bar" '$/mo ▲ |'
keys N
row_is 3 "archive *" >/dev/null || notok "N: archive first"
row=$(row_of "archive ")
keys Home
i=3
while [ "$i" -lt "$row" ]; do keys j; i=$((i + 1)); done
keys Enter
check "archive's detail" "Table        costs.archive"
check "... its month of storage ($ARCHIVE_USD)" "Cost         $ARCHIVE_USD/month of storage"
check "... its query cost ($QUERY_USD for 2 TiB scanned)" "Query cost   $QUERY_USD in 30 days (its share of 1 query)"
check "... its storage class" "Classes      GLACIER"
check "... with its objects" "in 3 objects"
keys Escape Escape
keys o
check "the Overview: the table that costs most" "costs most       costs.$DEAREST"
check "... the totals line says the month's storage" "$TOTAL"
keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_tui_names.sh: names as long as Glue allows (issue 10, item 12). On
# the AWS test endpoint, a database of 255 'é' (510 bytes of UTF-8) holding
# a table of 255 '表' (765 bytes): the dashboard drills down to the Tables
# and detail screens of both (no buffer cuts a name, so the lookups find
# them), and shows each name cut with an ellipsis where it does not fit (a
# long database first, so that its table stays in sight). On
# a production lake, the name of a crawler in CJK can be typed to confirm.
set -u
LAKETOP=${1:?usage: test_tui_names.sh path/to/laketop}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tmux_lib.sh"
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8 # the pane, tmux and python in UTF-8
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-names-XXXXXX")
EP_PID=""
trap 'stop; [ -n "$EP_PID" ] && kill $EP_PID 2>/dev/null; rm -rf "$WORK"' EXIT

$PY - "$WORK/seed.json" <<'PYEOF'
import json, sys
db, table = "é" * 255, "表" * 255
assert len(db.encode()) == 510 and len(table.encode()) == 765
json.dump({
    "databases": [{"Name": db, "tables": [
        {"Name": table, "StorageDescriptor": {"Location": "s3://names-lake/t/", "Columns": []}},
        {"Name": "short", "StorageDescriptor": {"Location": "s3://names-lake/s/", "Columns": []}}]}],
    "crawlers": [{"Name": "爬虫é", "Role": "r", "State": "READY",
                  "Targets": {"S3Targets": [{"Path": "s3://names-lake/t/"}]}}],
    "buckets": {"names-lake": {"objects": [
        {"key": "t/part-0.parquet", "size": 3145728, "last_modified": "2025-01-01T01:00:00Z"},
        {"key": "s/part-0.parquet", "size": 1024, "last_modified": "2025-01-01T01:00:00Z"}]}},
}, open(sys.argv[1], "w"), ensure_ascii=False)
PYEOF
$PY "$HERE/../fixtures/aws_endpoint.py" --seed "$WORK/seed.json" --port 0 \
    --port-file "$WORK/ep.port" >"$WORK/ep.log" 2>&1 &
EP_PID=$!
i=0
while [ ! -s "$WORK/ep.port" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $EP_PID 2>/dev/null; then
        echo "not ok - the test endpoint did not start"
        sed 's/^/# /' "$WORK/ep.log"
        exit 1
    fi
    sleep 0.1
done
ENV="env HOME=$WORK XDG_STATE_HOME=$WORK/state AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=laketop/test/secret/key+with/special=chars LANG=C.UTF-8 LC_ALL=C.UTF-8"
RUN="$ENV $LAKETOP --endpoint-url http://127.0.0.1:$(cat "$WORK/ep.port") --themes-dir $HERE/../../themes --view databases"

E10="éééééééééé" # ten of them: part of any view of the name
T5="表表表表表"

start 100 30 "$RUN"
check "the long database is listed" "$E10"
check "... cut with an ellipsis" "é…"
keys Enter
check "Enter opens its Tables screen" "short"
check "... with the long table listed" "$T5"
check "... cut with an ellipsis" "表…"
check_absent "... the database is found (no cut name)" "no longer in the catalog"
check "... and its size" "3.0 MiB"
check "the title ends in an ellipsis" "é…"
keys G
# sorted by name: "short" < the table of 表; G selects the last one
keys Enter
check "Enter opens the long table's detail" "s3://names-lake/t/"
check_absent "... the table is found (no cut name)" "no longer in the catalog"
check "... which names it (database.table, cut with an ellipsis)" "Table        $E10"
row=$(screen | grep -F "Table        $E10")
# both cut in the middle (issue 12: their ends stay readable)
case "$row" in
*"…") notok "... the table's name keeps its end ($row)" ;;
*"é…é"*"é.表表表"*"表…表"*) ok "... the database cut first, the table's name in sight, each cut in the middle" ;;
*) notok "... the database cut first, the table's name in sight, each cut in the middle ($row)" ;;
esac
check "the title names the database and the table, each cut in the middle" "é › 表表表"
check "... the database's end in sight" "é…é"
check "... the table's end in sight" "表…表表"
check "... with its size" "3.0 MiB in 1 file ("
keys Escape
check "Esc: back to the Tables screen" "short"
keys r
check "r: after a refresh the long table is still there" "$T5"
keys Enter
check "... and Enter opens it again" "s3://names-lake/t/"
keys q
check "quits" "EXITED 0"
stop

# read-only: the marker stays in the title bar, the long names cut before it
start 100 30 "$RUN --read-only"
check "read-only: the long database is listed" "$E10"
keys Enter
check "read-only: its Tables screen opens" "short"
row=$(screen | head -n 1)
case "$row" in
*"é…"*" [read-only]"*) ok "read-only: the title keeps [read-only], the name cut before it" ;;
*) notok "read-only: the title keeps [read-only], the name cut before it ($row)" ;;
esac
keys o
check "the Overview lists the long table, its database cut first (in the middle)" "é.表表表表"
check "... the table's end in sight (cut in the middle)" "表…表表表"
keys q
check "quits" "EXITED 0"
stop

# production: a multibyte crawler name is typed, byte by byte, to confirm
printf '[laketop]\nproduction = true\n' >"$WORK/prod.ini"
start 100 30 "$RUN --config $WORK/prod.ini"
check "production: started" "$E10"
keys C
check "the Crawlers view lists the CJK crawler" "爬虫é"
keys c
check "c asks for its name to be typed" "production: type 爬虫é"
keys -l "爬虫é"
check "... the typed name is shown as typed" "(Esc: cancel): 爬虫é_"
keys Enter
check "the typed CJK name starts the crawler" "crawler 爬虫é started"
keys q
# the crawl may still run: leave it
if ! wait_for "EXITED" 20 && wait_for "Quit laketop?" 1; then keys l; fi
check "quits" "EXITED 0"
stop

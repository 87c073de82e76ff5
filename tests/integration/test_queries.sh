#!/bin/sh
# test_queries.sh: queries_30d on the local lake from a hand-written query
# log in Athena's QueryExecution shape: per-table counts equal the seeded
# ones (joins, CTEs, quoted and unqualified names, the default database);
# queries older than 30 days, unparseable SQL and broken lines are left
# out (the unparsed counted); without a log the counts are unknown (null).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1
rm -f "$LAKE/.laketop/queries.jsonl"
"$LAKETOP" --lake "$LAKE" --once >"$WORK/none.json" 2>/dev/null
$PY -c "
import json, sys; d = json.load(open('$WORK/none.json'))
sys.exit(0 if all(t['queries_30d'] is None for t in d['tables']) and d['queries_unparsed'] is None else 1)" &&
    ok "no query log: queries_30d unknown (null) everywhere" || notok "no query log"
$PY - "$LAKE/.laketop/queries.jsonl" "$WORK/want.json" <<'PYEOF'
import json, sys, time
now = time.time()
want = {"sales.orders": 0, "sales.customers": 0, "music.songs": 0, "music.songplays": 0, "weblogs.page_views": 0}
lines = []
def q(sql, db, age_days, tables=(), state="SUCCEEDED"):
    lines.append(json.dumps({"QueryExecutionId": f"id-{len(lines)}", "Query": sql,
                             "QueryExecutionContext": {"Database": db},
                             "Status": {"State": state, "SubmissionDateTime": now - age_days * 86400}}))
    if age_days < 30:
        for t in tables:
            want[t] += 1
for i in range(7):
    q("select * from orders o join sales.customers c on o.cid = c.id", "sales", i * 4 + 0.5,
      ("sales.orders", "sales.customers"))
for i in range(3):
    q('SELECT * FROM "MUSIC"."Songs" WHERE title LIKE \'%FROM sales.orders%\'', "default", i + 1, ("music.songs",))
q("WITH songplays AS (SELECT 1) SELECT * FROM songplays", "music", 2)  # a CTE, not the table
q("SELECT * FROM awsdatacatalog.weblogs.page_views, music.songplays", "x", 29.5,
  ("weblogs.page_views", "music.songplays"))
q("SELECT * FROM sales.orders", "sales", 31)         # older than the window
q("SELECT * FROM sales.orders WHERE x = 'oops", "sales", 3)  # does not parse
q("SELECT * FROM (SELECT * FROM sales.orders", "sales", 4)   # does not parse
open(sys.argv[1], "w").write("\n".join(lines[:5] + ["{not json"] + lines[5:]) + "\n")
json.dump(want, open(sys.argv[2], "w"))
PYEOF
"$LAKETOP" --lake "$LAKE" --once >"$WORK/got.json" 2>/dev/null
$PY - "$WORK/got.json" "$WORK/want.json" <<'PYEOF'
import json, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
counts = {t["database"] + "." + t["name"]: t["queries_30d"] for t in got["tables"]}
fails = 0
for name, n in sorted(want.items()):
    good = counts.get(name) == n
    print(("ok" if good else "not ok") + f" - {name}: queries_30d {counts.get(name)}, seeded {n}")
    fails += not good
others = [n for t, n in counts.items() if t not in want and n != 0]
print(("ok" if not others else "not ok") + f" - every other table: 0 (never queried) {others}")
good = got.get("queries_unparsed") == 3
print(("ok" if good else "not ok") + f" - unparsed: {got.get('queries_unparsed')} (two SQL texts, one broken line)")
sys.exit(1 if fails or others or not good else 0)
PYEOF

#!/bin/sh
# test_oncall.sh: on-call noise (issue 12, item 6) on the demo lake, the
# expected figures worked out from its history file (not from laketop):
# each table's usual interval (the median gap between the times its newest
# object changed, 4 arrivals at least) judges it when no section of its own
# does (warn at 1.5 times it, crit at twice that, never below the global 2d
# and 7d), so the monthly census.zip_codes 12 days after its load is fresh
# and the weekly census.population 4 days after its load too; --once's
# stale and stale_rule and check's list and exit status agree with that; a
# [table] section still wins, and check names it; a late table (no arrival
# for 1.5 times its usual interval: weblogs.sessions) forecasts flat, its
# size now.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
export LAKETOP_NOW=2026-03-01T12:00:00Z
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { notok "demo lake"; exit 1; }
HIST="$LAKE/.laketop/history.tsv"

# what the history says: TABLE STALE RULE LATE LAST_BYTES, one line per table
$PY - "$HIST" "$LAKETOP_NOW" >"$WORK/expected" <<'PYEOF'
import datetime, statistics, sys
now = int(datetime.datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
series = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    day, db, table, b, o, newest = line.rstrip("\n").split("\t")
    series.setdefault(f"{db}.{table}", []).append((day, int(b), None if newest == "-" else int(newest)))
DAY = 86400
for name, rows in sorted(series.items()):
    rows.sort()
    arrivals = []
    for _, _, n in rows:
        if n is not None and n >= 0 and (not arrivals or n != arrivals[-1]):
            arrivals.append(n)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:]) if b > a]
    usual = round(statistics.median(gaps)) if len(arrivals) >= 4 and gaps else None
    newest = arrivals[-1] if arrivals else None
    warn, crit, rule = 2 * DAY, 7 * DAY, "global"
    if usual:
        lw = int(1.5 * usual)
        if lw > warn or 2 * lw > crit:
            warn, crit, rule = max(warn, lw), max(crit, 2 * lw), "learned"
    if newest is None:
        stale = "unknown"
        late = False
    else:
        age = max(now - newest, 0)
        stale = "crit" if age >= crit else "warn" if age >= warn else "fresh"
        late = bool(usual) and age > 1.5 * usual
    print(name, stale, rule, int(late), rows[-1][1])
PYEOF
grep -q "^census.zip_codes fresh learned 0 " "$WORK/expected" && grep -q "^census.population fresh learned 0 " "$WORK/expected" &&
    grep -q "^weblogs.sessions crit global 1 " "$WORK/expected" &&
    ok "the history: zip_codes (monthly) and population (weekly) fresh by their intervals, sessions critical and late" ||
    { notok "the demo's history is not what this test expects"; sed 's/^/# /' "$WORK/expected"; }

"$LAKETOP" --lake "$LAKE" --once --format json >"$WORK/once.json" 2>/dev/null
$PY - "$WORK/once.json" "$WORK/expected" <<'PYEOF'
import json, sys
got = {f'{t["database"]}.{t["name"]}': t for t in json.load(open(sys.argv[1]))["tables"]}
bad = []
flat = 0
for line in open(sys.argv[2]):
    name, stale, rule, late, last_bytes = line.split()
    t = got.get(name)
    if t is None:
        bad.append(f"{name}: missing")
        continue
    if (t["stale"], t.get("stale_rule"), int(t["late"])) != (stale, rule, int(late)):
        bad.append(f'{name}: {t["stale"]} {t.get("stale_rule")} late={t["late"]}, want {stale} {rule} late={late}')
    if late == "1":
        flat += 1
        if t["growth_bytes_per_day"] != 0 or t["projected_bytes_30d"] != int(last_bytes) or t["projected_bytes_90d"] != int(last_bytes):
            bad.append(f'{name}: late, forecast {t["growth_bytes_per_day"]}/day -> {t["projected_bytes_30d"]}, want flat at {last_bytes}')
for b in bad:
    print("# " + b)
print(("ok" if not bad and flat else "not ok") + f" - --once: every table's staleness and rule as its history says; {flat} late table(s) forecast flat at their size")
sys.exit(1 if bad or not flat else 0)
PYEOF
[ $? -eq 0 ] || FAILED=1

# check agrees: the critical and warning tables are the history's
"$LAKETOP" check --lake "$LAKE" >"$WORK/check" 2>&1
st=$?
want_crit=$(awk '$2 == "crit" {print $1}' "$WORK/expected" | sort | tr '\n' ' ')
want_warn=$(awk '$2 == "warn" {print $1}' "$WORK/expected" | sort | tr '\n' ' ')
got_crit=$(sed -n 's/^CRITICAL \([^:]*\):.*/\1/p' "$WORK/check" | sort | tr '\n' ' ')
got_warn=$(sed -n 's/^WARNING \([^:]*\):.*/\1/p' "$WORK/check" | sort | tr '\n' ' ')
[ $st -eq 2 ] && [ "$got_crit" = "$want_crit" ] && [ "$got_warn" = "$want_warn" ] &&
    grep -q "^CRITICAL weblogs.sessions: no new data for 20d (critical at 7d; usually every 1d)$" "$WORK/check" &&
    ok "check: exit 2, critical '$got_crit', warning '$got_warn', the rule in the line" ||
    { notok "check (exit $st): critical '$got_crit' want '$want_crit', warning '$got_warn' want '$want_warn'"; sed 's/^/# /' "$WORK/check"; }

# a section of its own wins over the learned interval, and check says so
printf '[table census.zip_codes]\nstale_crit = 7d\n' >"$WORK/own.ini"
"$LAKETOP" check --lake "$LAKE" --config "$WORK/own.ini" >"$WORK/check" 2>&1
grep -q "^CRITICAL census.zip_codes: no new data for 12d (critical at 7d, from \[table census.zip_codes\])$" "$WORK/check" &&
    ok "[table census.zip_codes] stale_crit = 7d: critical again, from its section" ||
    { notok "[table] section over the learned interval"; sed 's/^/# /' "$WORK/check"; }
printf '[database census]\nstale_warn = 3d\n' >"$WORK/db.ini"
"$LAKETOP" check --lake "$LAKE" --config "$WORK/db.ini" >"$WORK/check" 2>&1
grep -q "^CRITICAL census.zip_codes: no new data for 12d (critical at 7d, from \[database census\])$" "$WORK/check" &&
    grep -q "^WARNING census.population: no new data for 4d (warning at 3d, from \[database census\])$" "$WORK/check" &&
    ok "[database census] stale_warn = 3d: its tables by the section, the rest from the global" ||
    { notok "[database] section over the learned interval"; sed 's/^/# /' "$WORK/check"; }
exit $FAILED

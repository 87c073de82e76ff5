#!/bin/sh
# test_forecast.sh: growth projections in --once JSON. A table whose history
# is given known linear growth (with a one-off spike) projects within 5 % of
# the line 30 and 90 days out; a table with only today's sample gets no
# forecast (null), not a wild one.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export LAKETOP_NOW=2026-03-01T12:00:00Z # a fixed clock: the demo and its insights are the same every run
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1
"$LAKETOP" --lake "$LAKE" --once --format json >"$WORK/first.json" 2>/dev/null
HIST="$LAKE/.laketop/history.tsv"
[ -s "$HIST" ] && ok "the demo lake has a history file" || notok "no history file at $HIST"
# sales.orders: 45 days of linear growth up to today's real size, 80 KiB a
# day, with a tenfold spike 12 days ago; sales.customers: no history
$PY - "$WORK/first.json" "$HIST" <<'PYEOF'
import datetime, json, sys
got = json.load(open(sys.argv[1]))
now = [t for t in got["tables"] if t["database"] == "sales" and t["name"] == "orders"][0]["bytes"]
today = datetime.date.fromisoformat(got["generated_at"][:10])
lines = [l for l in open(sys.argv[2]) if not l.startswith(("#",)) and
         not (l.split("\t")[1:3] in (["sales", "orders"], ["sales", "customers"]))]
for k in range(45, 0, -1):
    b = now - 81920 * k
    if k == 12:
        b *= 10
    lines.append(f"{today - datetime.timedelta(days=k)}\tsales\torders\t{max(b, 0)}\t{k}\t-\n")
open(sys.argv[2], "w").write("# laketop history v1\n" + "".join(lines))
PYEOF
# a quota 10 days of growth above today's size for sales.orders; 1 KiB for
# sales.products (reached)
QUOTA=$($PY -c "
import json; t = [t for t in json.load(open('$WORK/first.json'))['tables'] if t['name'] == 'orders'][0]
print(t['bytes'] + 81920 * 10 - 1000)")
printf '[table sales.orders]\nquota = %s\n[table sales.products]\nquota = 1KiB\n[database census]\nquota = 10TiB\n' "$QUOTA" >"$WORK/config"
"$LAKETOP" --lake "$LAKE" --config "$WORK/config" --once --format json >"$WORK/second.json" 2>/dev/null
$PY - "$WORK/second.json" <<'PYEOF'
import json, sys
got = json.load(open(sys.argv[1]))
t = {(x["database"], x["name"]): x for x in got["tables"]}
o, c = t[("sales", "orders")], t[("sales", "customers")]
now, slope = o["bytes"], 81920
fails = 0
for key, want in (("growth_bytes_per_day", slope), ("projected_bytes_30d", now + 30 * slope),
                  ("projected_bytes_90d", now + 90 * slope)):
    v = o.get(key)
    good = v is not None and abs(v - want) <= 0.05 * want
    print(("ok" if good else "not ok") + f" - sales.orders {key}: {v} (the line: {want}, within 5 %)")
    fails += not good
good = all(c.get(k) is None for k in ("growth_bytes_per_day", "projected_bytes_30d", "projected_bytes_90d"))
print(("ok" if good else "not ok") + f" - sales.customers, one day of history: no forecast ({c.get('projected_bytes_30d')})")
q = (o.get("days_to_quota"), t[("sales", "products")].get("days_to_quota"), t[("census", "population")].get("quota_bytes"),
     t[("weblogs", "sessions")].get("quota_bytes"))
good_q = q[0] == 10 and q[1] == 0 and q[2] == 10 * 1024 ** 4 and q[3] is None
print(("ok" if good_q else "not ok") + f" - quotas: orders reaches its quota in 10 days at the trend, products has reached it,"
      f" a database quota applies to its tables, none elsewhere {q}")
good = good and good_q
sys.exit(1 if fails or not good else 0)
PYEOF

# late and small files: the demo's defaults, then the config's settings
flags() { $PY -c "
import json, sys; d = json.load(open('$1'))
print(' '.join(sorted(t['name'] for t in d['tables'] if t['late'])) + ' | ' +
      ' '.join(sorted(t['name'] for t in d['tables'] if t['small_files'])))"; }
"$LAKETOP" --lake "$LAKE" --once >"$WORK/d.json" 2>/dev/null
[ "$(flags "$WORK/d.json")" = "sessions | clickstream_raw" ] && ok "defaults: sessions is late, clickstream_raw has small files" ||
    notok "defaults: $(flags "$WORK/d.json")"
printf '[laketop]\nlate_factor = 100\nsmall_files = 50\nsmall_file_size = 4KiB\n' >"$WORK/ins.ini"
"$LAKETOP" --lake "$LAKE" --config "$WORK/ins.ini" --once >"$WORK/c.json" 2>/dev/null
F=$(flags "$WORK/c.json")
case "$F" in
" | "*clickstream_raw*products*) ok "late_factor = 100: none late; small_files = 50 under 4 KiB: more tables ($F)" ;;
*) notok "configured insights: $F" ;;
esac
printf '[laketop]\nlate_factor = often\n' >"$WORK/bad.ini"
"$LAKETOP" --lake "$LAKE" --config "$WORK/bad.ini" --once >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q "bad.ini:2: late_factor" "$WORK/err" && ok "a bad late_factor: FILE:LINE and exit 2" || notok "bad late_factor"
printf '[laketop]\nanomaly_k = 1\n' >"$WORK/k.ini"
"$LAKETOP" --lake "$LAKE" --config "$WORK/k.ini" --once >"$WORK/k.json" 2>/dev/null
A0=$($PY -c "import json; print(sum(t['anomaly'] for t in json.load(open('$WORK/d.json'))['tables']))")
A1=$($PY -c "import json; print(sum(t['anomaly'] for t in json.load(open('$WORK/k.json'))['tables']))")
[ "$A0" -eq 0 ] && [ "$A1" -ge 3 ] && ok "anomaly_k: none at the default 5, $A1 at a tight 1" || notok "anomaly_k: $A0 then $A1"

#!/bin/sh
# test_history.sh: a history file with samples dated after tomorrow and
# lines that do not parse (issue 10, item 14). With the clock pinned,
# --once refuses both and says so on stderr (counts, file and line), its
# figures (the history, 7-day growth) are those of the trusted samples only
# (computed here from the file and the data file's size, not by laketop),
# and the refused lines are still in the file afterwards.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" LAKETOP_NOW=2026-03-01T12:00:00Z
mkdir -p "$HOME"
LAKE="$WORK/lake"
mkdir -p "$LAKE/catalog/db" "$LAKE/storing/db/t" "$LAKE/.laketop"
printf '{"Name": "t", "StorageDescriptor": {"Location": "storing/db/t/"}}' >"$LAKE/catalog/db/t.json"
head -c 50000 /dev/zero >"$LAKE/storing/db/t/part-0.parquet"
HIST="$LAKE/.laketop/history.tsv"
{
    printf '# laketop history v1\n'
    for d in 10 12 14 16 18 20 22 24 26; do
        printf '2026-02-%s\tdb\tt\t%s\t1\t-\n' "$d" "$((d * 1000))"
    done
    printf '2031-01-01\tdb\tt\t999999999\t9\t-\n'  # line 11: years ahead
    printf '2026-02-2?\tdb\tt\t5\t1\t-\n'          # line 12: not a day
    printf '2026-03-03\tdb\tt\t777777\t9\t-\n'     # line 13: the day after tomorrow
    printf '2026-02-27\tdb\tt\tmany\t1\t-\n'       # line 14: not a number
    printf '2026-03-02\tdb\tt\t40000\t1\t-\n'      # line 15: tomorrow, allowed
} >"$HIST"
cp "$HIST" "$WORK/history.before"

"$LAKETOP" --lake "$LAKE" --once >"$WORK/out.json" 2>"$WORK/err"
status=$?
[ "$status" -eq 1 ] && ok "--once exits 1 on a history with refused lines" ||
    notok "--once exits 1 on a history with refused lines (status $status)"
grep -qF "$HIST:12: 2 history line(s) did not parse" "$WORK/err" &&
    ok "stderr counts the lines that do not parse, with the first one's line" ||
    notok "stderr counts the lines that do not parse ($(cat "$WORK/err"))"
grep -qF "2 sample(s) dated after 2026-03-02 (the first on line 11) were refused" "$WORK/err" &&
    ok "stderr counts the samples dated after tomorrow, with the first one's line" ||
    notok "stderr counts the samples dated after tomorrow ($(cat "$WORK/err"))"

expect "the figures come from the trusted samples only" $PY - "$WORK/out.json" "$WORK/history.before" "$LAKE/storing/db/t/part-0.parquet" <<'PYEOF'
import datetime, json, os, sys
got = json.load(open(sys.argv[1]))
t = [t for t in got["tables"] if t["database"] == "db" and t["name"] == "t"][0]
today = datetime.date(2026, 3, 1)
tomorrow = today + datetime.timedelta(days=1)
trusted = {}
for line in open(sys.argv[2]).read().splitlines()[1:]:
    f = line.split("\t")
    try:
        day = datetime.date.fromisoformat(f[0])
        size = int(f[3])
    except ValueError:
        continue
    if day <= tomorrow:
        trusted[day] = size
trusted[today] = os.stat(sys.argv[3]).st_size   # this run's sample
want = [(d.isoformat(), b) for d, b in sorted(trusted.items())]
have = [(h["date"], h["bytes"]) for h in t["history"]]
assert have == want, (have, want)
# growth over 7 days: the newest sample (tomorrow's) minus the newest one at
# least 7 days older
last = max(trusted)
old = max(d for d in trusted if d <= last - datetime.timedelta(days=7))
assert t["growth_7d_bytes"] == trusted[last] - trusted[old], (t["growth_7d_bytes"], trusted[last], trusted[old])
PYEOF

expect "the refused lines are still in the file, as they were" $PY -c "
lines = open('$HIST').read().splitlines()
for l in ('2031-01-01\tdb\tt\t999999999\t9\t-', '2026-02-2?\tdb\tt\t5\t1\t-',
          '2026-03-03\tdb\tt\t777777\t9\t-', '2026-02-27\tdb\tt\tmany\t1\t-'):
    assert l in lines, (l, lines)"
# a day later the sample of 2026-03-03 is no longer in the future
LAKETOP_NOW=2026-03-02T12:00:00Z "$LAKETOP" --lake "$LAKE" --once >"$WORK/out2.json" 2>"$WORK/err2"
expect "a day later, the sample dated the day after is read" $PY -c "
import json, sys
t = [t for t in json.load(open('$WORK/out2.json'))['tables'] if t['name'] == 't'][0]
assert {'date': '2026-03-03', 'bytes': 777777, 'objects': 9} in t['history'], t['history']
assert all(h['date'] <= '2026-03-03' for h in t['history']), t['history']"
grep -qF "and 1 sample(s) dated after 2026-03-03 (the first on line 2) were refused" "$WORK/err2" &&
    ok "... and only the one years ahead is still refused" ||
    notok "... and only the one years ahead is still refused ($(cat "$WORK/err2"))"
exit $FAILED

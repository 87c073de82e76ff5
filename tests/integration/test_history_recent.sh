#!/bin/sh
# test_history_recent.sh: the recent part of the history that the
# dashboard's first frame is drawn from (collector/figures/history_recent.h).
# After a refresh of a demo lake with 200 days of history, the file beside
# history.tsv holds, of each table, the samples of the 90 days before its
# newest sample, the one before them and at least its last 40 samples (the
# rule computed here in Python from history.tsv, not by laketop), and its
# stamp names history.tsv's inode, size and modification time (from stat).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" --days 200 >/dev/null 2>"$WORK/demo.err" ||
    notok "demo lake written ($(cat "$WORK/demo.err"))"
[ ! -e "$LAKE/.laketop/history.recent.tsv" ] &&
    ok "the demo writes no recent file (its history's time is set after the save)" ||
    notok "the demo writes no recent file"
"$LAKETOP" --lake "$LAKE" --once >/dev/null 2>"$WORK/once.err"
status=$?
[ "$status" -eq 0 ] && ok "--once on the demo lake" || notok "--once exits $status ($(cat "$WORK/once.err"))"
[ -f "$LAKE/.laketop/history.recent.tsv" ] && ok "a refresh writes history.recent.tsv" ||
    notok "a refresh writes history.recent.tsv"
$PY - "$LAKE/.laketop/history.tsv" "$LAKE/.laketop/history.recent.tsv" >"$WORK/check" 2>&1 <<'PYEOF'
import datetime, os, sys
def samples(path):
    out, lines = {}, open(path).read().splitlines()
    for l in lines:
        if l.startswith("#") or not l:
            continue
        f = l.split("\t")
        out.setdefault((f[1], f[2]), []).append(l)
    return lines, out
day = lambda l: datetime.date.fromisoformat(l[:10]).toordinal()
_, whole = samples(sys.argv[1])
lines, part = samples(sys.argv[2])
st = os.stat(sys.argv[1])
stamp = "# recent part of inode %d size %d mtime %d.%09d" % (
    st.st_ino, st.st_size, st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9)
print("stamp", "ok" if lines[1] == stamp else "differs: %r, stat says %r" % (lines[1], stamp))
bad = []
for key, series in whole.items():
    last = day(series[-1])
    first = next(i for i, l in enumerate(series) if day(l) >= last - 89)
    first = max(first - 1, 0)
    if len(series) - first < 40:
        first = max(len(series) - 40, 0)
    if part.get(key) != series[first:]:
        bad.append("%s.%s: %d kept, %d expected" % (key[0], key[1], len(part.get(key, [])),
                                                     len(series) - first))
extra = [k for k in part if k not in whole]
print("tables", len(whole), "ok" if not bad and not extra else "wrong: %s %s" % (bad[:3], extra))
print("shorter", "ok" if sum(map(len, part.values())) < sum(map(len, whole.values())) else "no")
PYEOF
grep -q "^stamp ok" "$WORK/check" && ok "the stamp is history.tsv's inode, size and time" ||
    notok "the stamp ($(cat "$WORK/check"))"
grep -q "^tables [1-9][0-9]* ok" "$WORK/check" &&
    ok "each table's kept samples follow the rule ($(grep ^tables "$WORK/check" | cut -d' ' -f2) tables)" ||
    notok "each table's kept samples ($(cat "$WORK/check"))"
grep -q "^shorter ok" "$WORK/check" && ok "the recent part is shorter than the history" ||
    notok "the recent part is shorter than the history"
exit $FAILED

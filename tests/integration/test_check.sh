#!/bin/sh
# test_check.sh: laketop check on the demo lake: exit 2 with the tables past
# the critical threshold listed (the same ones --once marks crit), 1 with
# only warnings, 0 with none, 3 when the source cannot be read (a missing
# lake, an AWS endpoint that refuses); --format prometheus carries every
# table's bytes as --once reports them; bad usage exits 2; a table whose
# name holds terminal controls is printed escaped by check and --once's table.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1
"$LAKETOP" --lake "$LAKE" --once --format json >"$WORK/once.json" 2>/dev/null
CRIT=$($PY -c "
import json; d = json.load(open('$WORK/once.json'))
print(' '.join(sorted(t['database'] + '.' + t['name'] for t in d['tables'] if t['stale'] == 'crit')))")
"$LAKETOP" check --lake "$LAKE" >"$WORK/out" 2>&1
st=$?
GOT=$(sed -n 's/^CRITICAL \([^:]*\):.*/\1/p' "$WORK/out" | sort | tr '\n' ' ' | sed 's/ $//')
[ $st -eq 2 ] && [ -n "$CRIT" ] && [ "$GOT" = "$CRIT" ] && head -1 "$WORK/out" | grep -q "^LAKETOP CRITICAL - " &&
    ok "critical: exit 2, the tables --once marks crit listed ($CRIT)" ||
    { notok "critical (exit $st, listed '$GOT', want '$CRIT')"; sed 's/^/# /' "$WORK/out"; }
"$LAKETOP" check --lake "$LAKE" --stale-warn 1h --stale-crit 1000d >"$WORK/out" 2>&1
st=$?
[ $st -eq 1 ] && head -1 "$WORK/out" | grep -q "^LAKETOP WARNING - 0 of 21 tables past critical" &&
    grep -q "^WARNING " "$WORK/out" && ok "warnings only: exit 1" || { notok "warning (exit $st)"; sed 's/^/# /' "$WORK/out"; }
"$LAKETOP" check --lake "$LAKE" --stale-warn 900d --stale-crit 1000d >"$WORK/out" 2>&1
st=$?
[ $st -eq 0 ] && [ "$(wc -l <"$WORK/out")" -eq 1 ] && grep -q "^LAKETOP OK - " "$WORK/out" &&
    ok "none stale: exit 0, one line" || { notok "ok (exit $st)"; sed 's/^/# /' "$WORK/out"; }
"$LAKETOP" check --lake "$WORK/missing" >"$WORK/out" 2>&1
st=$?
[ $st -eq 3 ] && grep -q "^LAKETOP UNKNOWN - " "$WORK/out" && ok "a missing lake: exit 3 UNKNOWN" ||
    { notok "missing lake (exit $st)"; sed 's/^/# /' "$WORK/out"; }
PORT=$(free_port)
AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
    LAKETOP_RETRY_BASE_MS=10 "$LAKETOP" check --endpoint-url "http://127.0.0.1:$PORT" >"$WORK/out" 2>&1
st=$?
[ $st -eq 3 ] && grep -q "^LAKETOP UNKNOWN - " "$WORK/out" && ok "an AWS endpoint that refuses: exit 3 UNKNOWN" ||
    { notok "unreachable endpoint (exit $st)"; sed 's/^/# /' "$WORK/out"; }
"$LAKETOP" check --lake "$LAKE" --format prometheus >"$WORK/prom" 2>&1
st=$?
$PY - "$WORK/prom" "$WORK/once.json" <<'PYEOF'
import json, re, sys
text = open(sys.argv[1]).read()
want = {(t["database"], t["name"]): t["bytes"] for t in json.load(open(sys.argv[2]))["tables"] if t["bytes"] is not None}
got = {}
for line in text.splitlines():
    if line.startswith("#"):
        continue
    m = re.fullmatch(r'laketop_table_bytes\{database="((?:[^"\\]|\\.)*)",table="((?:[^"\\]|\\.)*)"\} (\d+)', line)
    if m:
        got[(m.group(1), m.group(2))] = int(m.group(3))
    elif not re.fullmatch(r'[a-z_][a-z0-9_]*(\{.*\})? -?\d+(\.\d+)?', line):
        print(f"not ok - prometheus: not a metric line: {line!r}")
        sys.exit(1)
good = got == want and "laketop_check_status 2" in text
print(("ok" if good else "not ok") + f" - prometheus: {len(got)} tables' bytes equal --once's, the status 2 gauge")
# the insight gauges against --once's JSON
import datetime
tables = {(t["database"], t["name"]): t for t in json.load(open(sys.argv[2]))["tables"]}
gauges = {}
for line in text.splitlines():
    m = re.fullmatch(r'(laketop_table_[a-z0-9_]+)\{database="([^"]*)",table="([^"]*)"\} (-?\d+)', line)
    if m:
        gauges.setdefault(m.group(1), {})[(m.group(2), m.group(3))] = int(m.group(4))
late = {k: int(t["late"]) for k, t in tables.items() if t["usual_interval_seconds"] is not None}
projected = {k: t["projected_bytes_30d"] for k, t in tables.items() if t["projected_bytes_30d"] is not None}
def epoch(iso):
    return int(datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
schema = {k: epoch(t["schema_changed_at"]) for k, t in tables.items() if t["schema_changes"]}
checks = [("laketop_table_late", late), ("laketop_table_projected_bytes_30d", projected),
          ("laketop_table_schema_changed_seconds", schema)]
bad = [name for name, expect in checks if gauges.get(name, {}) != expect or not expect]
print(("ok" if not bad else "not ok") + f" - prometheus: late ({sum(late.values())} of {len(late)}), projected sizes and "
      f"schema changes ({len(schema)}) equal --once's" + (f"; differ: {bad}" if bad else ""))
good = good and not bad
sys.exit(0 if good else 1)
PYEOF
[ $st -eq 0 ] && ok "prometheus: exit 0 (the file is written whatever the lake's state)" || notok "prometheus exit $st"
"$LAKETOP" check extra --lake "$LAKE" >/dev/null 2>&1
[ $? -eq 2 ] && ok "check with an argument: usage error" || notok "check extra"
"$LAKETOP" check --format xml --lake "$LAKE" >/dev/null 2>"$WORK/err"
[ $? -eq 2 ] && grep -q "text or prometheus" "$WORK/err" && ok "--format xml: usage error naming the formats" || notok "--format xml"
# names built to take over a terminal (an OSC 52 writing the clipboard, a
# BEL, a title, a newline that would add a line, a bidi override): neither
# --once --format table nor check prints a raw control, the names escaped
cp -R "$LAKE" "$WORK/hostile"
$PY - "$WORK/hostile/catalog/sales" <<'PYEOF'
import json, shutil, sys
d = sys.argv[1]
t = json.load(open(d + "/customers.json"))
t["Name"] = "evil\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07\nCRITICAL fake.table\u202egnp"
t["StorageDescriptor"]["Location"] = "storing/sales/evil\x1b[2J/"
json.dump(t, open(d + "/evil.json", "w"))
shutil.copytree(d + "/../../storing/sales/customers", d + "/../../storing/sales/evil\x1b[2J",
                copy_function=shutil.copy2)
# its data a day old, so that check's 1 s / 2 s thresholds make it critical
# whatever the time (just after midnight the demo's newest file is seconds old)
import os, time
old = time.time() - 86400
for root, dirs, files in os.walk(d + "/../../storing/sales/evil\x1b[2J"):
    for f in files:
        os.utime(os.path.join(root, f), (old, old))
PYEOF
"$LAKETOP" --lake "$WORK/hostile" --once --format table >"$WORK/table" 2>"$WORK/table.err"
st=$?
ESC=$(printf '\033')
! grep -q "$ESC" "$WORK/table" "$WORK/table.err" && grep -qF 'evil\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07\nCRITICAL fake.table\u202egnp' "$WORK/table" &&
    [ $st -eq 0 ] && ok "--once --format table: a name with ESC, OSC 52, BEL, newline and U+202E escaped, no byte 0x1b" ||
    { notok "--once --format table with a hostile name (exit $st)"; cat -v "$WORK/table" | grep -n '\^\[' | head -3 | sed 's/^/# /'; }
"$LAKETOP" check --lake "$WORK/hostile" --stale-warn 1s --stale-crit 2s >"$WORK/out" 2>&1
st=$?
$PY - "$WORK/out" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
bad = [hex(b) for b in set(data) if (b < 0x20 and b != 0x0a) or b == 0x7f]
lines = data.decode("utf-8").splitlines()
want = "CRITICAL sales.evil\\x1b]52;c;SGVsbG8=\\x07\\x1b]0;owned\\x07\\nCRITICAL fake.table\\u202egnp: "
hostile = [l for l in lines if "evil" in l or "fake.table" in l]
good = not bad and "\u202e" not in data.decode("utf-8") and len(hostile) == 1 and hostile[0].startswith(want)
print(("ok" if good else "not ok") + " - check: the hostile name on one line, escaped, no control byte" +
      ("" if good else f" (controls {bad}, lines {hostile!r})"))
sys.exit(0 if good else 1)
PYEOF
[ $st -eq 2 ] && ok "check on the hostile lake: exit 2" || notok "check on the hostile lake (exit $st)"
"$LAKETOP" check --lake "$WORK/hostile" --format prometheus >"$WORK/prom" 2>&1
! grep -q "$ESC" "$WORK/prom" && grep -qF 'table="evil\\x1b]52;c;SGVsbG8=\\x07\\x1b]0;owned\\x07\nCRITICAL fake.table\\u202egnp"' "$WORK/prom" &&
    ok "prometheus: the hostile label value escaped, no byte 0x1b" || notok "prometheus with a hostile name"

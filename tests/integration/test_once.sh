#!/bin/sh
# test_once.sh: the real binary in batch mode on generated lakes: figures
# checked against what find/stat say (lake_facts.py), output formats, the
# demo's determinism, history persistence, and bad input of every kind.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

LAKE="$WORK/lake"
expect "demo lake is generated" "$LAKETOP" demo "$LAKE"
expect "the demo has at least 15 tables in 4+ databases" sh -c "
    [ \$(find '$LAKE/catalog' -name '*.json' ! -name database.json | wc -l) -ge 15 ] &&
    [ \$(find '$LAKE/catalog' -name database.json | wc -l) -ge 4 ]"
expect "--once --format json exits 0" sh -c "'$LAKETOP' --lake '$LAKE' --once --format json >'$WORK/lake.json'"
expect "JSON matches find and stat (lake_facts.py)" $PY "$HELPERS/lake_facts.py" "$LAKE" "$WORK/lake.json"
expect "JSON has the documented fields, ISO times, null where unknown" $PY - "$WORK/lake.json" <<'PYEOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
assert iso.match(doc["generated_at"]), doc["generated_at"]
assert doc["source"].startswith("local:")
for d in doc["databases"]:
    for k in ("name", "tables", "bytes", "objects", "stale_tables"):
        assert k in d, k
for t in doc["tables"]:
    for k in ("database", "name", "location", "format", "objects", "bytes", "newest_object",
              "catalog_updated", "staleness_seconds", "partitions", "history"):
        assert k in t, k
    for k in ("newest_object", "catalog_updated"):
        assert t[k] is None or iso.match(t[k]), (k, t[k])
    for h in t["history"]:
        assert re.match(r"^\d{4}-\d\d-\d\d$", h["date"]) and h["bytes"] >= 0 and h["objects"] >= 0
empty = [t for t in doc["tables"] if t["objects"] == 0]
assert empty and all(t["newest_object"] is None and t["staleness_seconds"] is None for t in empty)
stale = [t for t in doc["tables"] if t["stale"] in ("warn", "crit")]
assert stale, "the demo has stale tables"
for d in doc["databases"]:
    assert d["stale_tables"] == sum(1 for t in stale if t["database"] == d["name"])
assert max(len(t["history"]) for t in doc["tables"]) >= 90, "90 days of seeded history"
tiny = max(doc["tables"], key=lambda t: t["objects"] or 0)
assert tiny["objects"] >= 1000, "a table with thousands of tiny files"
growths = {t["growth_7d_bytes"] for t in doc["tables"] if t["growth_7d_bytes"] is not None}
assert len(growths) > 3, "tables grow differently"
PYEOF

expect "--format csv is valid CSV with one row per table" $PY - "$LAKETOP" "$LAKE" "$WORK/lake.json" <<'PYEOF'
import csv, io, json, subprocess, sys
out = subprocess.run([sys.argv[1], "--lake", sys.argv[2], "--once", "--format", "csv"],
                     capture_output=True, text=True, check=True).stdout
rows = list(csv.DictReader(io.StringIO(out, newline="")))
doc = json.load(open(sys.argv[3]))
assert len(rows) == len(doc["tables"]), (len(rows), len(doc["tables"]))
by = {(r["database"], r["name"]): r for r in rows}
for t in doc["tables"]:
    r = by[(t["database"], t["name"])]
    assert r["bytes"] == ("" if t["bytes"] is None else str(t["bytes"]))
    assert r["objects"] == ("" if t["objects"] is None else str(t["objects"]))
PYEOF
expect "--format table prints every table and a total" sh -c "
    '$LAKETOP' --lake '$LAKE' --once --format table >'$WORK/table.txt' &&
    grep -q 'clickstream_raw' '$WORK/table.txt' && grep -q 'databases,' '$WORK/table.txt'"
expect "--format table notes what looks wrong (late, small files, a schema change)" sh -c "
    grep -Eq '^weblogs +sessions .*  late\$' '$WORK/table.txt' &&
    grep -Eq '^weblogs +clickstream_raw .*  small files\$' '$WORK/table.txt' &&
    grep -Eq '^sales +customers .*  schema 2d\$' '$WORK/table.txt'"

# Determinism: same clock, same lake, byte for byte.
export LAKETOP_NOW=2026-03-01T12:00:00Z
"$LAKETOP" demo "$WORK/a" 2>/dev/null
"$LAKETOP" demo "$WORK/b" 2>/dev/null
tree() { (cd "$1" && find . -type f -printf '%P %s %T@\n' | sort && find . -type f ! -name '*.tmp.*' | sort | xargs md5sum); }
expect "the demo is deterministic for a given clock" sh -c "[ \"\$(cd '$WORK/a' && find . -type f -printf '%P %s %T@\n' | sort; cd '$WORK/a' && find . -type f | sort | xargs md5sum)\" = \"\$(cd '$WORK/b' && find . -type f -printf '%P %s %T@\n' | sort; cd '$WORK/b' && find . -type f | sort | xargs md5sum)\" ]"
expect "file times match partition dates" $PY - "$WORK/a" <<'PYEOF'
import os, re, sys, datetime
root = sys.argv[1]
checked = 0
for dirpath, dirs, files in os.walk(root):
    m = re.search(r"dt=(\d{4}-\d\d-\d\d)$", dirpath)
    if not m:
        continue
    day = datetime.date.fromisoformat(m.group(1))
    for f in files:
        if f.startswith(("_", ".")) or f.endswith("_$folder$"):
            continue
        st = os.lstat(os.path.join(dirpath, f))
        got = datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).date()
        assert got == day, (dirpath, f, got, day)
        checked += 1
assert checked > 100, checked
PYEOF
expect "with a fixed clock, staleness is now - newest object" sh -c "
    '$LAKETOP' --lake '$WORK/a' --once >'$WORK/a.json' && $PY '$HELPERS/lake_facts.py' '$WORK/a' '$WORK/a.json'"
unset LAKETOP_NOW

# History persists across runs and is replaced atomically.
HIST="$LAKE/.laketop/history.tsv"
expect "history file written with its header" sh -c "head -n 1 '$HIST' | grep -qx '# laketop history v1'"
# (both runs on one clock: run across midnight, they were two days)
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LAKETOP_NOW=$NOW "$LAKETOP" --lake "$LAKE" --once >/dev/null 2>&1
before=$(wc -l <"$HIST")
LAKETOP_NOW=$NOW "$LAKETOP" --lake "$LAKE" --once >/dev/null 2>&1
after=$(wc -l <"$HIST")
[ "$before" -eq "$after" ] && ok "a second run the same day keeps one sample per table per day" ||
    notok "a second run the same day keeps one sample per table per day ($before -> $after lines)"
expect "no temporary file is left beside the history" sh -c "! ls -a '$LAKE/.laketop' | grep -q tmp"
cp "$HIST" "$WORK/history.keep"
printf 'not a history file\n' >"$HIST"
expect "a foreign history file is reported and not overwritten" sh -c "
    '$LAKETOP' --lake '$LAKE' --once >/dev/null 2>'$WORK/err'; [ \$? -eq 1 ] &&
    grep -q 'not a laketop history' '$WORK/err' && [ \"\$(cat '$HIST')\" = 'not a history file' ]"
cp "$WORK/history.keep" "$HIST"

# A lake without its own .laketop keeps history under XDG_STATE_HOME.
mkdir -p "$WORK/plain"
cp -r "$LAKE/catalog" "$LAKE/storing" "$LAKE/landing" "$WORK/plain/" 2>/dev/null
cp -r "$LAKE/users" "$WORK/plain/" 2>/dev/null
XDG_STATE_HOME="$WORK/state" "$LAKETOP" --lake "$WORK/plain" --once >/dev/null 2>&1
expect "history goes to \$XDG_STATE_HOME/laketop/ for other lakes" sh -c "ls '$WORK'/state/laketop/lakes/plain-*/history.tsv"

# Bad input: clear messages, the right exit status, never a crash.
expect "a missing lake: exit 1, the path named" sh -c "
    '$LAKETOP' --lake '$WORK/nope' --once 2>'$WORK/err'; [ \$? -eq 1 ] && grep -q '$WORK/nope' '$WORK/err'"
mkdir -p "$WORK/nocat"
expect "a directory without catalog/: exit 1, says what a lake needs" sh -c "
    '$LAKETOP' --lake '$WORK/nocat' --once 2>'$WORK/err'; [ \$? -eq 1 ] && grep -q 'catalog' '$WORK/err'"
cp -r "$LAKE" "$WORK/broken"
printf '{"Name": "orders",\n  "StorageDescriptor": {"Location": \n' >"$WORK/broken/catalog/sales/orders.json"
expect "a catalog JSON that does not parse: exit 1, file and line named, other tables printed" sh -c "
    '$LAKETOP' --lake '$WORK/broken' --once >'$WORK/b.json' 2>'$WORK/err'; [ \$? -eq 1 ] &&
    grep -q 'catalog/sales/orders.json:3' '$WORK/err' &&
    $PY -c 'import json,sys; d=json.load(open(\"$WORK/b.json\")); t={x[\"name\"]:x for x in d[\"tables\"]}; assert t[\"orders\"][\"error\"] and t[\"customers\"][\"bytes\"] > 0'"
rm -rf "$WORK/broken/storing/sales/customers"
expect "a missing table directory marks only that table" sh -c "
    '$LAKETOP' --lake '$WORK/broken' --once >'$WORK/b.json' 2>'$WORK/err';
    grep -q 'customers' '$WORK/err' && grep -q 'does not exist' '$WORK/err'"
printf '[laketop]\ninterval = 60\nbogus line\n' >"$WORK/bad.ini"
expect "a config line that makes no sense: exit 2, file and line named" sh -c "
    '$LAKETOP' --config '$WORK/bad.ini' --lake '$LAKE' --once 2>'$WORK/err'; [ \$? -eq 2 ] &&
    grep -q '$WORK/bad.ini:3' '$WORK/err'"
printf '[laketop]\nlake = %s\nstale_warn = 1h\nstale_crit = 2h\n[table census.zip_codes]\nstale_warn = 30d\nstale_crit = 60d\n' "$LAKE" >"$WORK/good.ini"
# (issue 12: the global thresholds judge a table that has learned no
# interval, ad_impressions, never loaded; a daily table such as sales.orders
# is judged by its usual day, 1.5d and 3d, never below the global ones)
expect "config: lake and thresholds (global, per table, learned) apply" sh -c "
    '$LAKETOP' --config '$WORK/good.ini' --once >'$WORK/c.json' &&
    $PY -c 'import json; d=json.load(open(\"$WORK/c.json\")); t={(x[\"database\"],x[\"name\"]):x for x in d[\"tables\"]}; z=t[(\"census\",\"zip_codes\")]; assert z[\"stale_warn_seconds\"]==30*86400 and z[\"stale\"]==\"fresh\" and z[\"stale_rule\"]==\"table\", z[\"stale\"]; a=t[(\"weblogs\",\"ad_impressions\")]; assert a[\"stale_crit_seconds\"]==7200 and a[\"stale_rule\"]==\"global\"; o=t[(\"sales\",\"orders\")]; assert o[\"stale_rule\"]==\"learned\" and 1.4*86400<o[\"stale_warn_seconds\"]<1.6*86400 and 2.8*86400<o[\"stale_crit_seconds\"]<3.2*86400, o'"
expect "flags override the config" sh -c "
    '$LAKETOP' --config '$WORK/good.ini' --stale-warn 3d --stale-crit 9d --once >'$WORK/c.json' &&
    $PY -c 'import json; d=json.load(open(\"$WORK/c.json\")); t={(x[\"database\"],x[\"name\"]):x for x in d[\"tables\"]}; assert t[(\"sales\",\"orders\")][\"stale_crit_seconds\"]==9*86400'"
expect "--config naming a missing file: exit 2" status_is 2 "$LAKETOP" --config "$WORK/none.ini" --once
expect "bad --format: exit 2" status_is 2 "$LAKETOP" --lake "$LAKE" --once --format xml
expect "bad --interval: exit 2 with the reason" sh -c "
    '$LAKETOP' --lake '$LAKE' --interval soon 2>'$WORK/err'; [ \$? -eq 2 ] && grep -q interval '$WORK/err'"
expect "an unknown option: exit 2" status_is 2 "$LAKETOP" --frobnicate
expect "an unknown theme: exit 2, named" sh -c "
    '$LAKETOP' --lake '$LAKE' --theme nosuch </dev/null 2>'$WORK/err'; [ \$? -eq 2 ] && grep -q nosuch '$WORK/err'"
expect "the dashboard without a terminal says so: exit 2" sh -c "
    '$LAKETOP' --lake '$LAKE' </dev/null >'$WORK/o' 2>'$WORK/err'; [ \$? -eq 2 ] && grep -q 'needs a terminal' '$WORK/err'"
expect "demo refuses a non-empty directory" sh -c "! '$LAKETOP' demo '$LAKE' 2>/dev/null"
expect "--help explains usage" sh -c "'$LAKETOP' --help | grep -q -- '--once'"
expect "--help's first line names both backends (the local lake and AWS)" sh -c "'$LAKETOP' --help | head -n 1 | grep 'local lake' | grep -q AWS"
expect "--version" sh -c "'$LAKETOP' --version | grep -q '^laketop [0-9]'"
expect "no lake and no demo: a clear message" sh -c "
    HOME='$WORK/emptyhome' XDG_DATA_HOME= XDG_CONFIG_HOME= '$LAKETOP' --once 2>'$WORK/err'; [ \$? -eq 2 ] &&
    grep -q 'no lake given' '$WORK/err'"

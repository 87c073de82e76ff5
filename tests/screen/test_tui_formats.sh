#!/bin/sh
# test_tui_formats.sh: open table formats on screen, in tmux at 120x40 and
# 80x24 and in a locale that is not UTF-8: the Tables view's mark beside an
# Iceberg table's name ("ice"; "ice*" when its figures are the listing's)
# and a Delta table's ("Δ", "dlt" where the locale is not UTF-8),
# the detail view's Table format section (live vs on storage vs
# unreferenced, snapshots, the last commits, the partition spec, the
# maintenance statement to run, a metadata file that cannot be read), the
# Overview's waste and many snapshots lines with Enter to the table, the
# help's words, the --once table report's mark.
# Every figure expected comes from the fixture writers' own expected.json
# (tests/fixtures/iceberg_writer.py, delta_writer.py), through
# tests/helpers/format_expect.py, never from laketop's output.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAKETOP_NOW=2026-03-01T12:00:00Z # the demo's today, the fixtures' and the dashboard's
export LAKETOP_NOW
. "$HERE/demo_lib.sh"
PY=/usr/bin/python3
NOW=$(date -u -d "$LAKETOP_NOW" +%s)

# --- the lake: the demo, and a database "formats" of the writer's tables --
W="$LAKE/warehouse/ice" D="$LAKE/warehouse/delta"
"$PY" "$HERE/../fixtures/iceberg_writer.py" --out "$W" --uri-prefix "file://$W/" --now "$NOW" \
    >"$WORK/writer.out" 2>&1 || { echo "not ok - the Iceberg fixture writer"; cat "$WORK/writer.out"; exit 1; }
"$PY" "$HERE/../fixtures/delta_writer.py" --out "$D" --uri-prefix "file://$D/" --now "$NOW" \
    >"$WORK/writer.out" 2>&1 || { echo "not ok - the Delta fixture writer"; cat "$WORK/writer.out"; exit 1; }
mkdir -p "$LAKE/catalog/formats"
# the writer's catalog entries as the local lake's catalog files, and one
# whose metadata file is missing (its figures then come from the listing)
"$PY" - "$W/catalog.json" "$LAKE/catalog/formats" "file://$W/" "$D/catalog.json" <<'EOF' || { echo "not ok - catalog"; exit 1; }
import copy, json, sys
catalog, out, prefix, delta = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
with open(out + "/database.json", "w") as f:
    json.dump({"Name": "formats", "LocationUri": prefix,
               "Description": "Iceberg and Delta tables of the fixture writers"}, f)
tables = json.load(open(catalog))["tables"]
for t in tables + json.load(open(delta))["tables"]:
    t = dict(t, DatabaseName="formats")
    with open("%s/%s.json" % (out, t["Name"]), "w") as f:
        json.dump(t, f)
bad = copy.deepcopy([t for t in tables if t["Name"] == "ice_v1"][0])
bad["Name"] = "bad_missing"
bad["DatabaseName"] = "formats"
bad["Parameters"]["metadata_location"] = prefix + "ice_v1/metadata/99999-gone.metadata.json"
with open(out + "/bad_missing.json", "w") as f:
    json.dump(bad, f)
EOF
# the insight settings of the run: ice_v2 is past them, ice_v1 is not
cat >"$WORK/formats.ini" <<EOF
[laketop]
waste_share = 25%
waste_bytes = 100KiB
max_snapshots = 5
EOF
EXPECT="$WORK/expect"
{
    "$PY" "$HERE/../helpers/format_expect.py" "$W/expected.json" formats "$NOW" 0.25 102400 5 &&
        "$PY" "$HERE/../helpers/format_expect.py" "$D/expected.json" formats "$NOW" 0.25 102400 5
} >"$EXPECT" || { echo "not ok - format_expect.py"; exit 1; }
# want KEY: the expected text (the writer's figures)
want() { awk -F '\t' -v k="$1" '$1 == k { print $2; exit }' "$EXPECT"; }
[ "$(want waste.ice_v2)" = 1 ] && [ "$(want waste.ice_v1)" = 0 ] && [ "$(want many.ice_v2)" = 1 ] &&
    [ "$(want many.ice_v1)" = 0 ] && [ -n "$(want name.delta_crc)" ] && ok "the fixture: ice_v2 past the settings, ice_v1 not (from expected.json)" ||
    notok "the fixture's figures are not what this test expects ($(cat "$EXPECT"))"

RUNF="$RUN0 --config $WORK/formats.ini"

# check_re DESCRIPTION REGEX: waits for a line matching REGEX (grep -E)
check_re() {
    tries=100
    while [ "$tries" -gt 0 ]; do
        if screen | grep -qE -- "$2"; then
            ok "$1"
            return 0
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    notok "$1 (expected a line matching /$2/)"
}
# re TEXT: TEXT as a fixed string in an extended regular expression
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }
# seek DESCRIPTION TEXT: in the detail view, scrolls down a line at a time
# from where it is (the checks go down the page) until TEXT is in sight;
# from the top again when the end did not have it
seek() {
    for pass in 1 2; do
        n=0
        while [ "$n" -lt 60 ]; do
            if wait_for "$2" 3; then
                ok "$1"
                return 0
            fi
            keys j
            n=$((n + 1))
        done
        keys Home
    done
    notok "$1 (expected \"$2\" somewhere in the detail)"
}
# goto_re REGEX HEADER: moves the selection of a list from its top (the
# line under its header, the first line matching HEADER) to the first row
# matching REGEX
goto_re() {
    row=$(screen | grep -nE -- "$1" | head -n 1 | cut -d: -f1)
    top=$(screen | grep -nE -- "$2" | head -n 1 | cut -d: -f1)
    keys Home
    i=$((top + 1))
    while [ -n "$row" ] && [ "$i" -lt "$row" ]; do
        keys j
        i=$((i + 1))
    done
}

# --- 120x40: the Overview's lines, Enter to the detail -------------------
start 120 40 "$RUNF"
check "120x40: the Overview" "laketop › Overview"
check_re "the waste line names ice_v2 with its unreferenced bytes and share of live" \
    "^waste +formats\.ice_v2 +$(re "$(want overview.ice_v2)")"
check_re "a many snapshots line for ice_v2 (6 retained, over 5)" \
    "^many snapshots +formats\.ice_v2 +$(re "$(want snapshots.ice_v2 | cut -d, -f1)") snapshots \(over 5\)"
if screen | grep -qE "^(waste|many snapshots) +formats\.ice_v1 "; then
    notok "a waste or many snapshots line for ice_v1 (nothing unreferenced, 3 snapshots)"
else
    ok "no waste or many snapshots line for ice_v1 (nothing unreferenced, 3 snapshots)"
fi
goto_re "^waste +formats\.ice_v2 " "^Look at"
keys Enter
check "Enter on the waste line opens ice_v2's detail" "Table        formats.ice_v2"
seek "the section: Iceberg v2, from its metadata" "Table format $(want title.ice_v2)"
seek "Live: bytes, files, records (expected.json)" "Live         $(want live.ice_v2)"
seek "On storage: everything under the location (expected.json)" "On storage   $(want storage.ice_v2)"
seek "Unreferenced: bytes, files, share of live, WASTE" "Unreferenced $(want unref.ice_v2): WASTE"
seek "Snapshots: count and oldest, MANY" "Snapshots    $(want snapshots.ice_v2)"
seek "... past max_snapshots" "MANY (over 5)"
seek "Last commit" "Last commit  $(want last.ice_v2)"
seek "Partitioning: the spec" "Partitioning $(want spec.ice_v2)"
seek "Partitions: the spec, not 'not partitioned' (the catalog has no keys)" \
    "Partitions   by $(want spec.ice_v2) (its metadata)"
seek "Metadata: the file read, under the location" "Metadata     $(want metafile.ice_v2)"
seek "the hint: remove the orphan files (Spark)" "Spark: $(want orphans.ice_v2)"
seek "... or VACUUM (Athena)" "Athena: VACUUM formats.ice_v2"
seek "the hint: expire snapshots older than 7 days (Spark)" "Spark: $(want expire.ice_v2)"
seek "the commits, the newest first" "$(want commit.ice_v2.0)"
line=$(screen | grep -F "$(want commit.ice_v2.0)")
case "$line" in
*" files, "*" records"*) ok "a commit line has its files and records added/removed" ;;
*) notok "a commit line without files and records ($line)" ;;
esac
seek "... the one before" "$(want commit.ice_v2.1)"
seek "... and the oldest (all 6 fit at 40 rows)" "$(want commit.ice_v2.5)"
keys Escape
check "Esc back to the Overview" "Look at"
keys '?'
keys G
check "the help says what waste is, with the config's settings" \
    "unreferenced files over 25 % of the live size and over 100 KiB"
check "... and many snapshots" "over 5 retained"
check "... and the format marks" "Apache Iceberg"
keys Escape
keys q
check "quits" "EXITED 0"
stop

# --- 120x40: the Tables view and a metadata file that cannot be read -----
start 120 40 "$RUNF --view databases"
check "Databases" "formats"
goto_re "^formats " "^Database"
keys Enter
check "the Tables view of formats" "laketop › Databases › formats"
for t in ice_v1 ice_v2 ice_empty delta_crc delta_json delta_nostats; do
    check_re "$t: the mark beside its name, its live size (expected.json)" \
        "^$(re "$(want name.$t)") +$(re "$(want size.$t)") "
done
check_re "bad_missing: its metadata unread, 'ice*' (figures from the listing)" "^bad_missing ice\* "
keys Home
goto_re "^bad_missing ice" "^Table"
keys Enter
check "its detail" "Table        formats.bad_missing"
seek "... says the figures are the listing's" "ice*: figures from the listing, not its metadata"
seek "... and why, in a Format error line" "Format error"
seek "... and suggests nothing" "none suggested"
keys Escape
check "back to the Tables view" "$(want name.delta_crc)"
goto_re "^delta_crc " "^Table"
keys Enter
check "delta_crc's detail" "Table        formats.delta_crc"
seek "Delta: the section, from its log" "Table format $(want title.delta_crc)"
seek "Delta: Live (expected.json)" "Live         $(want live.delta_crc)"
seek "Delta: On storage (expected.json)" "On storage   $(want storage.delta_crc)"
seek "Delta: Unreferenced" "Unreferenced "
check_re "... its bytes and share of live (expected.json)" "Unreferenced $(want unref_re.delta_crc)"
seek "Delta: Versions, the log's" "Versions     $(want snapshots.delta_crc)"
seek "Delta: Last commit" "Last commit  $(want last.delta_crc)"
seek "Delta: the hint, VACUUM keeping 7 days" "Delta: $(want orphans.delta_crc)"
seek "Delta: the newest commit, its operation" "$(want commit.delta_crc.0)"
seek "Delta: ... and the OPTIMIZE before" "$(want commit.delta_crc.2)"
keys Escape
keys q
check "quits" "EXITED 0"
stop

# --- 80x24 ---------------------------------------------------------------
start 80 24 "$RUNF --view databases"
check "80x24: Databases" "formats"
goto_re "^formats " "^Database"
keys Enter
check_re "80x24: ice_v2's mark and live size" "^$(re "$(want name.ice_v2)") +$(re "$(want size.ice_v2)") "
goto_re "^ice_v2 ice" "^Table"
keys Enter
check "80x24: ice_v2's detail" "Table        formats.ice_v2"
seek "80x24: Live" "Live         $(want live.ice_v2)"
seek "80x24: On storage" "On storage   $(want storage.ice_v2)"
seek "80x24: Unreferenced, WASTE" "Unreferenced $(want unref.ice_v2): WASTE"
seek "80x24: the orphan files statement, whole on its line" "Spark: $(want orphans.ice_v2)"
seek "80x24: the expire statement (wrapped at 80 columns)" "expire_snapshots('formats.ice_v2',"
seek "80x24: the newest commit" "$(want commit.ice_v2.0)"
if [ "$(screen | wc -l)" -le 24 ] && screen | "$PY" -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))'; then
    ok "80x24: nothing drawn outside the pane"
else
    notok "80x24: lines longer than the pane"
fi
keys q
check "quits" "EXITED 0"
stop

# --- a locale that is not UTF-8 ------------------------------------------
RUNC="env LANG=C LC_ALL=C $LAKETOP --lake $LAKE --themes-dir $THEMES --config $WORK/formats.ini"
start 80 24 "$RUNC --view databases"
check "C locale: Databases" "formats"
goto_re "^formats " "^Database"
keys Enter
check "C locale: the Tables view, ASCII path" "laketop > Databases > formats"
check_re "C locale: the Iceberg mark, ASCII already" "^$(re "$(want name.ice_v1)") +$(re "$(want size.ice_v1)") "
check_re "C locale: the listing mark is '*', not the cut mark '~'" "^bad_missing ice\* "
check_re "C locale: Delta's mark is 'dlt', not Δ" "^delta_crc dlt +$(re "$(want size.delta_crc)") "
if screen | grep -q "$(printf '\316\224')"; then notok "C locale: a Δ on screen"; else ok "C locale: no Δ on screen"; fi
keys q
check "quits" "EXITED 0"
stop

# --- the --once table report --------------------------------------------
"$LAKETOP" --lake "$LAKE" --config "$WORK/formats.ini" --once --format table >"$WORK/report" 2>"$WORK/report.err"
if grep -qE "^formats +ice_v2 ice +$(re "$(want size.ice_v2)") .*waste, many snapshots" "$WORK/report"; then
    ok "--once --format table: the mark after the name, waste and many snapshots in NOTES"
else
    notok "--once --format table ($(grep ice_v2 "$WORK/report"))"
fi

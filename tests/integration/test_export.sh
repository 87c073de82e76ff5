#!/bin/sh
# test_export.sh: laketop export writes the Glue collector job's layout
# (datalake/tables|databases/year=YYYY/month=M/day=D/) with its exact
# columns; Python's csv module reads it back, names with commas, quotes
# and newlines intact, and the figures equal --once's; the JSON lines carry
# one line per table; to s3:// the same files land under the prefix.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" LAKETOP_NOW=2026-03-05T12:00:00Z
mkdir -p "$HOME"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1
# a database and a table whose texts break naive CSV
mkdir -p "$LAKE/catalog/odd" "$LAKE/storing/odd/t"
printf '{"Name": "odd", "Description": "commas, \\"quotes\\"\\nand a newline", "LocationUri": "storing/odd/"}' \
    >"$LAKE/catalog/odd/database.json"
printf '{"Name": "we,ird", "Owner": "o\\"wner", "CreatedBy": "arn:aws:iam::1:user/a,b", "Retention": 7,
  "IsRegisteredWithLakeFormation": true, "LastAccessTime": "2026-03-01T00:00:00Z",
  "StorageDescriptor": {"Location": "storing/odd/t/"}}' >"$LAKE/catalog/odd/we,ird.json"
head -c 3145728 /dev/zero >"$LAKE/storing/odd/t/part-0.parquet"
"$LAKETOP" --lake "$LAKE" --once >"$WORK/once.json" 2>/dev/null
"$LAKETOP" export "$WORK/out" --lake "$LAKE" >"$WORK/stdout" 2>"$WORK/stderr"
st=$?
DAY="year=2026/month=3/day=5"
[ $st -eq 0 ] && [ -s "$WORK/out/datalake/tables/$DAY/tables.csv" ] && [ -s "$WORK/out/datalake/databases/$DAY/databases.csv" ] &&
    grep -q "in $WORK/out/datalake/tables/$DAY" "$WORK/stdout" &&
    ok "export: the job's layout ($DAY)" || { notok "export (exit $st)"; cat "$WORK/stdout" "$WORK/stderr" | sed 's/^/# /'; }
$PY - "$WORK/out/datalake" "$DAY" "$WORK/once.json" <<'PYEOF'
import csv, json, sys
root, day, once = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
fails = 0
def check(good, what):
    global fails
    print(("ok" if good else "not ok") + " - " + what)
    fails += not good
with open(f"{root}/tables/{day}/tables.csv", newline="") as f:
    rows = list(csv.reader(f))
check(rows[0] == ["TableName", "DatabaseName", "Owner", "CreateTime", "UpdateTime", "LastAccessTime", "TableType",
                  "Retention", "CreatedBy", "IsRegisteredWithLakeFormation", "Location", "SizeInMBOnS3", "TotalFilesonS3"],
      "tables.csv has the job's exact columns")
body = [dict(zip(rows[0], r)) for r in rows[1:]]
check(all(len(r) == 13 for r in rows[1:]) and len(body) == len(once["tables"]), f"one row per table ({len(body)}), 13 fields each")
by = {(r["DatabaseName"], r["TableName"]): r for r in body}
w = by.get(("odd", "we,ird"), {})
check(w.get("Owner") == 'o"wner' and w.get("CreatedBy") == "arn:aws:iam::1:user/a,b" and w.get("Retention") == "7"
      and w.get("IsRegisteredWithLakeFormation") == "True" and w.get("LastAccessTime") == "2026-03-01 00:00:00+00:00"
      and w.get("SizeInMBOnS3") == "3.000000" and w.get("TotalFilesonS3") == "1",
      f"quoted names and the Glue fields read back intact: {w}")
bad = [k for k, t in ((("%s" % x["database"], x["name"]), x) for x in once["tables"])
       if t["objects"] is not None and (by[k]["TotalFilesonS3"] != str(t["objects"])
                                       or abs(float(by[k]["SizeInMBOnS3"]) * 1048576 - t["bytes"]) > 1)]
check(not bad, f"sizes and file counts equal --once's {bad}")
with open(f"{root}/databases/{day}/databases.csv", newline="") as f:
    rows = list(csv.reader(f))
check(rows[0] == ["DatabaseName", "CreateTime", "SharedResource", "SharedResourceOwner", "SharedResourceDatabaseName",
                  "Location", "Description"], "databases.csv has the job's exact columns")
odd = [r for r in rows[1:] if r[0] == "odd"]
check(odd and odd[0][6] == 'commas, "quotes"\nand a newline' and odd[0][2] == "False" and len(rows) - 1 == len(once["databases"]),
      "databases.csv: a description with commas, quotes and a newline reads back intact")
lines = open(f"{root}/tables/{day}/laketop.jsonl").read().splitlines()
check(len(lines) == len(once["tables"]) and all("bytes" in json.loads(l) for l in lines), "laketop.jsonl: one JSON line per table")
sys.exit(1 if fails else 0)
PYEOF
# to S3 (the test endpoint): the same files under the prefix, read back with awscli
echo '{"databases": [], "buckets": {"exports": {"objects": []}}}' >"$WORK/seed.json"
start_endpoint ep --seed "$WORK/seed.json"
EP="http://127.0.0.1:$(wait_port ep)"
aws_env
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
AWS_ENDPOINT_URL="$EP" "$LAKETOP" export s3://exports/lake --lake "$LAKE" >"$WORK/stdout" 2>"$WORK/stderr"
st=$?
/usr/bin/aws --endpoint-url "$EP" s3 cp --quiet "s3://exports/lake/datalake/tables/$DAY/tables.csv" "$WORK/s3.csv" >/dev/null 2>&1
/usr/bin/aws --endpoint-url "$EP" s3 cp --quiet "s3://exports/lake/datalake/databases/$DAY/databases.csv" "$WORK/s3db.csv" >/dev/null 2>&1
[ $st -eq 0 ] && grep -q "in s3://exports/lake/datalake/tables/$DAY" "$WORK/stdout" &&
    cmp -s "$WORK/s3.csv" "$WORK/out/datalake/tables/$DAY/tables.csv" &&
    cmp -s "$WORK/s3db.csv" "$WORK/out/datalake/databases/$DAY/databases.csv" && [ -z "$(ls -A "$TMPDIR")" ] &&
    ok "export to s3://: the same files under the prefix (awscli), no staging left" ||
    { notok "export to s3 (exit $st)"; cat "$WORK/stdout" "$WORK/stderr" | sed 's/^/# /'; }
"$LAKETOP" export s3:// --lake "$LAKE" >/dev/null 2>&1
[ $? -eq 2 ] && ok "a bad s3:// address: usage error" || notok "bad s3 address"
# files laketop writes for others to read honour the umask (they were 0644
# and 0755 whatever it was): exports and the history, under umask 002
(umask 002 && "$LAKETOP" export "$WORK/um" --lake "$LAKE" >/dev/null 2>&1)
f="$WORK/um/datalake/tables/$DAY/tables.csv"
cp -r "$LAKE" "$WORK/lake-um" && rm -f "$WORK/lake-um/.laketop/history.tsv"
(umask 002 && "$LAKETOP" --lake "$WORK/lake-um" --once >/dev/null 2>&1)
modes="$(stat -c %a "$f" "$(dirname "$f")" "$WORK/lake-um/.laketop/history.tsv" 2>&1 | tr '\n' ' ')"
[ "$modes" = "664 775 664 " ] && ok "under umask 002: export and history files 664, directories 775" ||
    notok "modes under umask 002: $modes"

# An account whose GetTables fails (after its retries): the export exits 1,
# names the database, and the day's earlier complete file stays as it was
# (it was replaced by a header-only tables.csv, exit 0)
cat >"$WORK/seed2.json" <<'EOF2'
{"databases": [{"Name": "census", "tables": [
  {"Name": "zips", "StorageDescriptor": {"Location": "s3://lake/zips/"}}]}],
 "buckets": {"lake": {"objects": [{"key": "zips/a.csv", "size": 5}]}}}
EOF2
start_endpoint good --seed "$WORK/seed2.json"
start_endpoint bad --seed "$WORK/seed2.json" --fail-rate 1.0 --fault-ops GetTables
GOOD="http://127.0.0.1:$(wait_port good)"
BAD="http://127.0.0.1:$(wait_port bad)"
export LAKETOP_RETRY_BASE_MS=5
"$LAKETOP" --endpoint-url "$GOOD" export "$WORK/acct" >/dev/null 2>"$WORK/stderr"
good_csv="$WORK/acct/datalake/tables/$DAY/tables.csv"
cp "$good_csv" "$WORK/good.csv" 2>/dev/null
"$LAKETOP" --endpoint-url "$BAD" export "$WORK/acct" >"$WORK/stdout" 2>"$WORK/stderr"
st=$?
[ $st -eq 1 ] && grep -q "not exported" "$WORK/stderr" && grep -q "census" "$WORK/stderr" &&
    grep -q '^zips,census,' "$WORK/good.csv" && cmp -s "$WORK/good.csv" "$good_csv" &&
    ok "GetTables failing: export exits 1 naming the database, the day's good tables.csv kept" ||
    { notok "export of an account whose GetTables fails (exit $st)"; sed 's/^/# /' "$WORK/stdout" "$WORK/stderr" | head -5; }

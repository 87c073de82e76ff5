#!/bin/sh
# test_inventory_parquet.sh: S3 Inventory reports in Parquet, the format
# most lakes choose (issue 15 item 3). The lake of test_inventory_athena.sh
# (tests/helpers/inventory_athena_seed.py: tricky keys, sibling prefixes, a
# nested table, markers, a hidden directory) gets two inventory
# configurations, "cfg" (CSV) and "pq" (Parquet), and both reports of the
# same objects (tests/helpers/inventory_writer.py; the Parquet files by
# tests/fixtures/parquet_writer.py, with the fileSchema in S3's Parquet
# shape). The endpoint's Athena reads Parquet itself
# (tests/fixtures/parquet_reader.py, checked here against the writer's
# rows). Checked: with `inventory = auto` and Athena, laketop takes the
# Parquet configuration (columnar: Athena scans less), and per table
# objects, bytes, marker_objects, partitions, s3_objects, s3_bytes,
# storage_classes and newest_object equal the seed's figures; Athena's
# scanned bytes are the Parquet files' bytes (so the Parquet report is what
# was read); the same with the report named in the config; without Athena,
# `auto` takes the CSV report, streamed, with the same figures; a bucket
# whose only inventory is Parquet is listed without Athena, and
# inventory_error says that Parquet needs athena_workgroup; a Parquet
# report named in the config without Athena is refused with its reason.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$WORK/inv" "$WORK/only"
aws_env
export LAKETOP_RETRY_BASE_MS=20 LAKETOP_ATHENA_POLL_MS=10

both='[{"id": "cfg", "bucket": "inv", "format": "CSV"}, {"id": "pq", "bucket": "inv", "format": "Parquet"}]'
$PY "$HELPERS/inventory_athena_seed.py" "$WORK" --configs "$both"
for f in CSV Parquet; do
    id=cfg
    [ $f = Parquet ] && id=pq
    $PY "$HELPERS/inventory_writer.py" "$WORK/seed.json" "$WORK/inv" inv-lake $id --format $f \
        --date 2026-12-01T01-00Z >/dev/null || notok "the $f report written"
done
# a second lake whose only inventory is the Parquet one
mkdir -p "$WORK/only"
$PY "$HELPERS/inventory_athena_seed.py" "$WORK/only" --configs '[{"id": "pq", "bucket": "inv", "format": "Parquet"}]'
sed "s#$WORK/only/inv#$WORK/inv#" "$WORK/only/seed.json" >"$WORK/only.json"

# the endpoint's reader reads what the writer wrote: every object once,
# its key (not encoded), size, time in milliseconds and storage class
$PY - "$WORK" "$FIXTURES" <<'PYEOF'
import calendar, glob, json, sys, time
work, fixtures = sys.argv[1], sys.argv[2]
sys.path.insert(0, fixtures)
import parquet_reader
objs = json.load(open(work + "/seed.json"))["buckets"]["inv-lake"]["objects"]
want = sorted((o["key"], o["size"], calendar.timegm(time.strptime(o["last_modified"], "%Y-%m-%dT%H:%M:%SZ")) * 1000,
               o["storage_class"]) for o in objs)
got, names = [], None
for f in sorted(glob.glob(work + "/inv/inv-lake/pq/data/*.parquet")):
    cols, rows = parquet_reader.read(open(f, "rb").read())
    names = [c[0] for c in cols]
    got += [(r[1].decode(), r[2], r[3], r[4].decode()) for r in rows]
print(("ok" if sorted(got) == want and names == ["bucket", "key", "size", "last_modified_date", "storage_class"]
       else "not ok") + f" - the endpoint's Parquet reader reads the writer's {len(want)} objects ({len(got)} rows, {names})")
m = json.load(open(glob.glob(work + "/inv/inv-lake/pq/2026-12-01T01-00Z/manifest.json")[0]))
print(("ok" if m["fileFormat"] == "Parquet" and m["fileSchema"].startswith("message s3.inventory {") else "not ok")
      + f" - the manifest says Parquet, its schema in S3's Parquet shape ({m['fileSchema'][:40]}...)")
PYEOF

start_endpoint main --seed "$WORK/seed.json" --request-log "$WORK/requests.log"
PORT=$(wait_port main) || { notok "endpoint started"; exit 1; }
start_endpoint only --seed "$WORK/only.json"
OPORT=$(wait_port only) || { notok "endpoint (Parquet only) started"; exit 1; }

athena='athena_workgroup = lake\nathena_output = s3://results/laketop/\n'
printf "[laketop]\ninventory = auto\n$athena" >"$WORK/auto_athena.ini"
printf "[laketop]\ninventory = s3://inv/inv-lake/pq/\n$athena" >"$WORK/named_athena.ini"
printf '[laketop]\ninventory = auto\n' >"$WORK/auto.ini"
printf '[laketop]\ninventory = s3://inv/inv-lake/pq/\n' >"$WORK/named.ini"
run() { # run NAME CONFIG PORT: a fresh state each, so each reads its report
    XDG_STATE_HOME="$WORK/state-$1" "$LAKETOP" --config "$2" --endpoint-url "http://127.0.0.1:$3" \
        --once >"$WORK/$1.json" 2>"$WORK/$1.err" ||
        { notok "--once, $1"; sed 's/^/# /' "$WORK/$1.err" | head -5; }
}
n0=$(wc -l <"$WORK/requests.log")
run auto_athena "$WORK/auto_athena.ini" "$PORT"
n1=$(wc -l <"$WORK/requests.log")
run named_athena "$WORK/named_athena.ini" "$PORT"
run auto "$WORK/auto.ini" "$PORT"
run named "$WORK/named.ini" "$PORT"
run only "$WORK/auto.ini" "$OPORT"
tail -n +$((n0 + 1)) "$WORK/requests.log" | head -n $((n1 - n0)) >"$WORK/auto_athena.log"
cat "$WORK"/inv/inv-lake/pq/data/*.parquet | wc -c >"$WORK/parquet_bytes"

$PY - "$WORK" "$HELPERS" <<'PYEOF'
import json, sys
work = sys.argv[1]
wants = json.load(open(work + "/want.json"))
want, want_listed = wants["inventory"], wants["listed"]
sys.path.insert(0, sys.argv[2])
from once_json import epoch, tables
runs = {name: tables(work, name) for name in ("auto_athena", "named_athena", "auto", "named", "only")}
for run, label, expected, kind in (("auto_athena", "auto, Athena: the Parquet report", want, "inventory"),
                                   ("named_athena", "the Parquet report named, Athena", want, "inventory"),
                                   ("auto", "auto, no Athena: the CSV report, streamed", want, "inventory"),
                                   ("named", "the Parquet report named, no Athena: listed", want_listed, "listed"),
                                   ("only", "Parquet only, no Athena: listed", want_listed, "listed")):
    got = runs[run][0]
    for t, w in sorted(expected.items()):
        g = got.get(t, {})
        for k in ("objects", "bytes", "marker_objects", "partitions", "s3_objects", "s3_bytes", "storage_classes"):
            print(("ok" if g.get(k) == w[k] else "not ok") + f" - {label}: {t} {k} {g.get(k)!r}, from the seed {w[k]!r}")
        n = epoch(g.get("newest_object"))
        print(("ok" if n == w["newest"] else "not ok") + f" - {label}: {t} newest_object {g.get('newest_object')!r}, from the seed {w['newest']}")
        p = (g.get("provenance") or {}).get("kind")
        print(("ok" if p == kind else "not ok") + f" - {label}: {t} provenance {p!r}")
size = int(open(work + "/parquet_bytes").read())
for run in ("auto_athena", "named_athena"):
    inv = runs[run][1].get("inventory") or {}
    print(("ok" if inv.get("athena_scanned_bytes") == size else "not ok")
          + f" - {run}: Athena scanned {inv.get('athena_scanned_bytes')!r} bytes, the Parquet files' {size}")
    e = runs[run][1].get("inventory_error")
    print(("ok" if e is None else "not ok") + f" - {run}: no inventory_error ({e!r})")
log = [json.loads(l) for l in open(work + "/auto_athena.log")]
data = [r for r in log if r.get("op") == "GetObject" and "/data/" in r.get("path", "")]
print(("ok" if not data else "not ok") + f" - auto, Athena: laketop read no data file itself ({len(data)})")
manifests = sorted({r.get("path") for r in log if r.get("op") == "GetObject" and r.get("path", "").endswith("manifest.json")})
print(("ok" if manifests == ["/inv/inv-lake/pq/2026-12-01T01-00Z/manifest.json"] else "not ok")
      + f" - auto, Athena: the Parquet configuration's manifest read, not the CSV one ({manifests})")
e = runs["auto"][1].get("inventory_error")
print(("ok" if e is None else "not ok") + f" - auto, no Athena: no inventory_error ({e!r})")
e = runs["only"][1].get("inventory_error") or ""
print(("ok" if "ORC or Parquet" in e and "athena_workgroup" in e and "s3://inv-lake" in e else "not ok")
      + f" - Parquet only, no Athena: inventory_error says why ({e!r})")
e = runs["named"][1].get("inventory_error") or ""
print(("ok" if "Parquet" in e and "without Athena" in e else "not ok")
      + f" - the Parquet report named, no Athena: inventory_error says why ({e!r})")
PYEOF
exit $FAILED

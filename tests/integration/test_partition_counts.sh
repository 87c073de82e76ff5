#!/bin/sh
# test_partition_counts.sh: the two partition figures of a local lake, each
# from one source and named for it: the partition directories in storage
# (key=value folders under a table's location) and the partitions the
# catalog registers (catalog/DB/partitions/TABLE.json). A backup counts the
# catalog's, and says so ("catalog partitions"); --once gives both per table
# (partitions, catalog_partitions), as a table's detail does ("90 in
# storage, 0 in the catalog"). On the demo lake the catalog registers none:
# the "0 partitions" of a backup beside the detail's 90 was that. Expected
# figures come from find and Python over the lake's own files.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export LAKETOP_NOW=2026-06-15T12:00:00Z
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { notok "demo lake"; exit 1; }

# register 3 of sales.orders' partitions in the catalog (as a crawl would)
mkdir -p "$LAKE/catalog/sales/partitions"
$PY -c "
import json, os
root = '$LAKE/storing/sales/orders'
dirs = sorted(d for d in os.listdir(root) if d.startswith('dt='))[:3]
parts = [{'Values': [d[3:]], 'StorageDescriptor': {'Location': 'storing/sales/orders/' + d + '/'}}
         for d in dirs]
json.dump(parts, open('$LAKE/catalog/sales/partitions/orders.json', 'w'))"

# what the lake's files say
catalog_total=$($PY -c "
import glob, json
print(sum(len(json.load(open(f))) for f in glob.glob('$LAKE/catalog/*/partitions/*.json')))")
# storage DB TABLE: the key=value directories under the table's location
storage() {
    loc=$($PY -c "import json; print(json.load(open('$LAKE/catalog/$1/$2.json'))['StorageDescriptor']['Location'])")
    find "$LAKE/${loc%/}" -mindepth 1 -maxdepth 1 -type d -name '*=*' | wc -l
}
orders_dirs=$(storage sales orders)
sessions_dirs=$(storage weblogs sessions)
[ "$catalog_total" -eq 3 ] && [ "$orders_dirs" -gt 3 ] && [ "$sessions_dirs" -gt 0 ] &&
    ok "the lake: $catalog_total partitions in the catalog, $orders_dirs and $sessions_dirs directories" ||
    notok "the lake's own figures ($catalog_total, $orders_dirs, $sessions_dirs)"

# the backup counts the catalog's, and names them so
"$LAKETOP" --lake "$LAKE" backup "$WORK/backups" >"$WORK/out" 2>&1
grep -q "^backup: 5 databases, 21 tables, $catalog_total catalog partitions in $WORK/backups/" "$WORK/out" &&
    ok "the backup: $catalog_total catalog partitions, named so" ||
    notok "the backup's count: $(cat "$WORK/out")"
b=$(ls -d "$WORK"/backups/*/ | head -n 1)
n=$($PY -c "import json; print(len(json.load(open('${b}partitions/sales/orders.json'))))" 2>/dev/null)
[ "${n:-0}" -eq "$catalog_total" ] && ok "... and its partitions file holds them" ||
    notok "the backup's partitions/sales/orders.json holds ${n:-nothing}"

# --once: both figures per table, each as the lake's files say
"$LAKETOP" --lake "$LAKE" --once >"$WORK/once.json" 2>/dev/null
$PY - "$WORK/once.json" "$orders_dirs" "$sessions_dirs" <<'EOF' >"$WORK/verdict" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
t = {(x["database"], x["name"]): x for x in d["tables"]}
want = {("sales", "orders"): (int(sys.argv[2]), 3), ("weblogs", "sessions"): (int(sys.argv[3]), 0)}
bad = []
for key, (dirs, catalog) in want.items():
    got = (t[key]["partitions"], t[key]["catalog_partitions"])
    if got != (dirs, catalog):
        bad.append("%s.%s: partitions, catalog_partitions %s, want %s" % (key + (got, (dirs, catalog))))
print("; ".join(bad) if bad else "same")
EOF
[ "$(cat "$WORK/verdict")" = same ] &&
    ok "--once: sales.orders $orders_dirs in storage, 3 in the catalog; weblogs.sessions $sessions_dirs and 0" ||
    notok "--once: $(cat "$WORK/verdict")"
exit $FAILED

#!/bin/sh
# test_readme_options.sh: the README's option table names every option that
# `laketop --help` lists (issue 12 item 10: --view and -V were missing), and
# names none that --help does not know.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
README="$ROOT/README.md"
"$LAKETOP" --help >"$WORK/help" 2>&1
# the options --help lists: "  -l, --lake DIR" or "      --once"
sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' "$WORK/help" | sort -u >"$WORK/help_opts"
n=$(wc -l <"$WORK/help_opts")
[ "$n" -ge 20 ] && ok "--help lists $n options" || notok "--help lists $n options"
# the README's table rows: "| `--lake DIR` ..." (the first cell)
grep '^| `-' "$README" | cut -d'|' -f2 | grep -o -- '--[a-z][a-z-]*' | sort -u >"$WORK/readme_opts"
missing=$(comm -23 "$WORK/help_opts" "$WORK/readme_opts" | tr '\n' ' ')
[ -z "$missing" ] && ok "the README's option table has every option of --help" ||
    notok "the README's option table lacks: $missing"
unknown=$(comm -13 "$WORK/help_opts" "$WORK/readme_opts" | tr '\n' ' ')
[ -z "$unknown" ] && ok "the README's option table names no option --help does not know" ||
    notok "the README's option table names options --help does not know: $unknown"
lacks=""
for short in -l -i -t -c -f -h -V; do
    grep '^| `-' "$README" | cut -d'|' -f2 | grep -q -- "$short," || lacks="$lacks $short"
done
[ -z "$lacks" ] && ok "the README's option table has the short forms" ||
    notok "the README's option table lacks$lacks"
grep -qi "no action changes anything yet" "$README" &&
    notok "the README still says no action changes anything yet" ||
    ok "the README does not say that no action changes anything yet"

# The README's configuration example is read as it stands (issue 14: its
# comments after values had been written with '#', which inih keeps as part
# of the value): on a demo lake, with the lake line pointed there.
"$LAKETOP" demo "$WORK/lake" >/dev/null 2>&1
$PY - "$README" "$WORK/lake" >"$WORK/readme.ini" <<'EOF2'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("### Configuration")
block = text[text.index("```ini", start) + 6:text.index("```", text.index("```ini", start) + 6)]
print(re.sub(r"^lake = .*$", "lake = " + sys.argv[2], block, flags=re.M))
EOF2
if "$LAKETOP" --config "$WORK/readme.ini" --once --format json >"$WORK/readme.json" 2>"$WORK/readme.err" &&
    $PY -c 'import json, sys; d = json.load(open(sys.argv[1])); t = [t for t in d["tables"] if (t["database"], t["name"]) == ("sales", "orders")][0]; sys.exit(0 if t["writer"]["name"] == "compact_orders" and t["quota_bytes"] == 2 * 2**40 else 1)' "$WORK/readme.json"; then
    ok "the README's configuration example is read as it stands (quota and writer as written)"
else
    notok "the README's configuration example: $(head -c 300 "$WORK/readme.err")"
fi
exit $FAILED

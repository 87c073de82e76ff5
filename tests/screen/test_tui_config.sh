#!/bin/sh
# test_tui_config.sh: a config section that names nothing in the catalog
# ([table sales.orderz]) is warned about on the dashboard's message line,
# with FILE:LINE and the name meant, once the catalog is read; a config
# without one shows no such line (issue 12, item 9).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"
[ -f "$LAKE/catalog/sales/orders.json" ] && [ ! -e "$LAKE/catalog/sales/orderz.json" ] ||
    echo "not ok - the demo catalog is not as this test thinks"
printf '[table sales.orders]\nstale_warn = 1d\n\n[table sales.orderz]\nstale_warn = 1d\n' >"$WORK/typo.ini"
start 120 30 "$RUN --config $WORK/typo.ini"
check "the dashboard starts" "weblogs"
check "the message line warns about [table sales.orderz], with FILE:LINE" \
    "typo.ini:4: [table sales.orderz] names no table of the catalog; did you mean"
check "... the file's path first (whole, or cut in its middle)" "config: /"
if screen | grep -qF "[table sales.orders]"; then notok "no warning about sales.orders"; else ok "no warning about sales.orders"; fi
keys q
check "quits" "EXITED 0"
stop

printf '[table sales.orders]\nstale_warn = 1d\n' >"$WORK/good.ini"
start 120 30 "$RUN --config $WORK/good.ini"
check "a good config: the dashboard starts" "weblogs"
wait_for "idle" 50
if screen | grep -qF "names no"; then notok "a good config: no warning"; else ok "a good config: no warning"; fi
keys q
check "quits" "EXITED 0"
stop

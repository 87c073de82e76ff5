#!/bin/sh
# test_tui_ages.sh: one clock for every age on a frame: a table's detail
# says "Scanned Ns ago" with the same N as the status bar's "data Ns old"
# (both count from the frame's clock; the detail used to count from the
# refresh's own time, and said "0s ago" while the status bar said 27s).
# This test runs on the real clock on purpose: with LAKETOP_NOW pinned no
# time passes between the refresh and the frame, and the two ages cannot
# differ. Nothing here depends on the date, only on equality within one
# screen; --interval 1h keeps a second refresh out of the way.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
unset LAKETOP_NOW
. "$HERE/demo_lib.sh"

start 100 30 "$RUN --interval 1h"
check "the databases" "weblogs"
keys Enter Enter
check "a table's detail" "Scanned"
# the figures are some seconds old: wait until the status bar says so
# (a bounded poll), then compare the two ages on one screen
tries=100
while [ "$tries" -gt 0 ] && ! screen | grep -qE "data [1-9][0-9]*s old"; do
    sleep 0.1
    tries=$((tries - 1))
done
same=no
for attempt in 1 2 3; do
    shot=$(screen)
    scanned=$(printf '%s\n' "$shot" | sed -n 's/.*Scanned *\([0-9]*[smhd]\) ago.*/\1/p' | head -n 1)
    data=$(printf '%s\n' "$shot" | sed -n 's/.*| data \([0-9]*[smhd]\) old.*/\1/p' | head -n 1)
    [ -n "$scanned" ] && [ "$scanned" = "$data" ] && [ "$data" != 0s ] && { same=yes; break; }
    sleep 0.3
done
if [ $same = yes ]; then
    ok "the detail's Scanned $scanned ago is the status bar's data $data old"
else
    notok "the detail says Scanned ${scanned:-?} ago, the status bar data ${data:-?} old"
fi
keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_tui_resize.sh: the terminal in tmux: resized too small gets a
# message, resized back redraws; q, Ctrl-C and SIGTERM exit with 0, 130 and
# 143 and restore the terminal.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- resize to too small, then back; q ----------------------------------
start 80 24 "$RUN"
wait_for "weblogs"
tm resize-window -t laketop -x 40 -y 10
check "too small terminal gets a message" "Terminal too small"
tm resize-window -t laketop -x 100 -y 30
check "resize back redraws the dashboard" "weblogs"
check_absent "too-small message gone after resize" "Terminal too small"

keys q
check "q quits with status 0" "EXITED 0"
check_absent "the terminal is restored (no dashboard left)" "Database"
stop

# --- Ctrl-C at 200x50 ------------------------------------------------------
start 200 50 "$RUN"
wait_for "weblogs"
keys C-c
check "Ctrl-C exits with 130 and restores the terminal" "EXITED 130"
stop

# --- SIGTERM, mono and an ASCII locale ---------------------------------------
start 80 24 "env LANG=C LC_ALL=C $LAKETOP --lake $LAKE --themes-dir $THEMES --theme mono --view databases"
wait_for "weblogs"
pid=$(tm display-message -p -t "$PANE" '#{pane_pid}')
child=$(pgrep -P "$pid" -f "laketop --lake" | head -n 1)
if [ -n "$child" ]; then kill -TERM "$child"; fi
check "SIGTERM exits with 143 and restores the terminal" "EXITED 143"
stop

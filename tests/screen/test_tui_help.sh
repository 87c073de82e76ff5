#!/bin/sh
# test_tui_help.sh: ? opens the help over the databases, in tmux at 80x24:
# its keys, scrolling to its end, the sort keys of the view below, ? closes
# it.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- 80x24 -------------------------------------------------------------
start 80 24 "$RUN"
wait_for "weblogs"
keys '?'
check "help opens" "Keys"
check "help lists quit" "quit"
# the sort keys of the view below come first, in sight on opening (issue 12)
check "help lists sort hotkeys of the view below" "by Tables"
keys G
check "help scrolls to its end" "theme: dark"
keys '?'
check "? closes help" "Database"

keys q
check "quits" "EXITED 0"
stop

#!/bin/sh
# test_tui_themes.sh: themes in tmux: t cycles the theme (and the help names
# it), --theme mono with an ASCII locale (no block glyphs, an ASCII
# sparkline), NO_COLOR gives mono.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# --- t cycles the theme ----------------------------------------------------
start 80 24 "$RUN"
wait_for "weblogs"
keys t
check "t cycles the theme" "theme: light"
keys '?' G
check "help names the new theme" "theme: light"
keys '?'

keys q
check "quits" "EXITED 0"
stop

# --- mono, NO_COLOR, ASCII ----------------------------------------------
start 80 24 "env LANG=C LC_ALL=C $LAKETOP --lake $LAKE --themes-dir $THEMES --theme mono --view databases"
check "mono theme starts" "weblogs"
if screen | grep -q '█'; then notok "ASCII locale uses no block glyphs"; else ok "ASCII locale uses no block glyphs"; fi
check "ASCII sparkline" "#"
keys '?' G
check "mono: help names the theme" "theme: mono"
keys '?'
keys q
check "quits" "EXITED 0"
stop

start 80 24 "env NO_COLOR=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $THEMES --view databases"
check "NO_COLOR: starts" "weblogs"
keys '?' G
check "NO_COLOR: mono used" "theme: mono"
keys q
check "q in the help closes the help (it does not quit)" "laketop › Databases"
keys q
check "NO_COLOR: quits" "EXITED 0"
stop

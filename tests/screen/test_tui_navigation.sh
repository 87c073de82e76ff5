#!/bin/sh
# test_tui_navigation.sh: moving between the views as a person does: o d C Z
# a switch to a top-level view (they replace it, as htop's F-keys do, so the
# title never grows into "Overview › Crawlers › Zones › ..."); Esc at a
# top-level view goes back once to the view the user came from, then to the
# Overview, where it only says so; Esc in Databases goes to the Overview; q
# in Help closes Help; / filters the Overview and says why not where there
# is no filter; s and c outside their views say where they work; behind
# "Terminal too small" keys do nothing but q.
# (One of the test_tui_*.sh scripts, one per behaviour, so that a failure
# names its screen; demo_lib.sh gives the demo lake and the command lines.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export LAKETOP_NOW=2026-06-15T12:00:00Z # the demo lake is written for this day
. "$HERE/demo_lib.sh"

# title_is TEXT: waits until the title line (row 1, its trailing blanks
# aside) is exactly TEXT.
title_is() {
    tries=50
    while [ "$tries" -gt 0 ]; do
        [ "$(screen | head -n 1 | sed 's/ *$//')" = "$1" ] && return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}
check_title() {
    if title_is "$2"; then ok "$1"; else notok "$1 (title expected \"$2\")"; fi
}

for size in "60 20" "80 24" "120 40"; do
    set -- $size
    at="$1x$2"
    start "$1" "$2" "$RUN0"
    check_title "$at: the Overview first" " laketop › Overview"
    wait_for "largest" >/dev/null
    keys C
    check_title "$at: C switches to the Crawlers" " laketop › Crawlers"
    keys Z
    check_title "$at: Z replaces it with the Zones" " laketop › Zones"
    keys a C Z
    check_title "$at: a C Z: the Zones, not a stack of five views" " laketop › Zones"
    keys Escape
    check_title "$at: Esc goes back once, to the view the user came from" " laketop › Crawlers"
    keys Escape
    check_title "$at: Esc again: the Overview" " laketop › Overview"
    keys Escape
    check "$at: Esc in the Overview stays and says so" "the Overview is the first view"
    check_title "$at: ... on the Overview" " laketop › Overview"
    keys d
    check_title "$at: d: the Databases" " laketop › Databases"
    keys Enter
    check_title "$at: Enter still opens a database above its view" " laketop › Databases › census"
    keys a
    check_title "$at: a from there: the Activity alone" " laketop › Activity"
    keys a
    check_title "$at: a again goes back to where it came from" " laketop › Databases"
    keys '?'
    check_title "$at: ? opens the help" " laketop › Databases › Help"
    keys q
    check_title "$at: q in the help closes the help" " laketop › Databases"
    check_absent "$at: ... and does not quit" "EXITED"
    keys q
    check "$at: q then quits" "EXITED 0"
done

# --- Esc in Databases (the first screen with --view databases) ------------
start 80 24 "$RUN"
check_title "--view databases: Databases first" " laketop › Databases"
keys Escape
check_title "Esc in Databases goes to the Overview" " laketop › Overview"
keys Escape
check_title "... and Esc there goes nowhere else (back once only)" " laketop › Overview"
keys q
check "quits" "EXITED 0"

# --- / in the Overview filters it; elsewhere says why not -----------------
start 120 40 "$RUN0"
check "the Overview lists the stale weblogs.sessions" "stale (crit)     weblogs.sessions"
check "... and the largest tables, music.songplays among them" "music.songplays"
keys /
keys s e s s i o n s Enter
check "/ sessions in the Overview: the filter line" "Filter: sessions"
check "... keeps weblogs.sessions" "weblogs.sessions"
check_absent "... and drops the other tables' lines" "music.songplays"
keys Escape
check "Esc clears the filter: the other lines again" "music.songplays"
keys /
keys z z z z Enter
check "a filter that matches nothing says so" "No line matches the filter"
keys Escape
keys C
keys /
check "/ in the Crawlers says why not" "the Crawlers view has no filter"
keys d
keys s
check "s in Databases says what it does and where" "s runs the selected sync rule (a dry run first, then asks): in the Zones view, Z"
keys a c
check "c in the Activity says where it works" "c runs a crawler (asks first): the selected one in the Crawlers view (C)"
keys q
check "quits" "EXITED 0"

# --- behind "Terminal too small" keys do nothing but q --------------------
start 80 24 "$RUN0"
check_title "the Overview" " laketop › Overview"
tm resize-window -t laketop -x 40 -y 10
check "too small: the message" "Terminal too small"
keys C d Z a '?' Enter Escape t /
tm resize-window -t laketop -x 80 -y 24
check_title "resized back: still the Overview, no key acted behind the message" " laketop › Overview"
check_absent "... no theme changed" "theme:"
check_absent "... no filter opened" "Filter:"
tm resize-window -t laketop -x 40 -y 10
check "too small again" "Terminal too small"
keys q
check "q still quits behind the message" "EXITED 0"
stop

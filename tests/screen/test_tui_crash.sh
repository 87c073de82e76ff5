#!/bin/sh
# test_tui_crash.sh: a crash signal (SIGQUIT, SIGSEGV, SIGABRT) sent to the
# dashboard still gives the terminal back: the exit status is the signal's
# (131, 139, 134), echo and canonical input are on again, the alternate
# screen has been left and the cursor is visible.
# (One of the test_tui_*.sh scripts, one per behaviour; demo_lib.sh gives
# the demo lake and the command lines. The pane runs `sh -c`, which does not
# repair the terminal after its child, so what is seen is what laketop left.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/demo_lib.sh"

# ASan catches SIGSEGV itself and exits with its own status; here the
# signal's default action is what is tested (a crash report under ASan is
# printed after the terminal is restored, by the handler laketop chains to).
NO_ASAN_SEGV="env ASAN_OPTIONS=${ASAN_OPTIONS:-}:handle_segv=0"

# crash SIGNAL STATUS: starts the dashboard, sends it SIGNAL, checks the
# status and the terminal's state.
crash() {
    sig=$1 status=$2
    # no core file in the working directory
    start 80 24 "cd $WORK; ulimit -c 0; $NO_ASAN_SEGV $RUN"
    if ! wait_for "weblogs"; then
        notok "SIG$sig: the dashboard started"
        return
    fi
    if [ "$(tm display-message -p -t "$PANE" '#{alternate_on}')" != 1 ]; then
        notok "SIG$sig: the dashboard is on the alternate screen first"
    else
        ok "SIG$sig: the dashboard is on the alternate screen first"
    fi
    pid=$(tm display-message -p -t "$PANE" '#{pane_pid}')
    child=$(pgrep -P "$pid" -f "laketop --lake" | head -n 1)
    if [ -n "$child" ]; then kill -"$sig" "$child"; fi
    check "SIG$sig exits with $status" "EXITED $status"
    tty=$(tm display-message -p -t "$PANE" '#{pane_tty}')
    # the local modes that matter, as stty spells them ("-echo" when off)
    modes=$(stty -a -F "$tty" 2>&1 | tr ' ;' '\n\n' | grep -xE -- '-?(echo|icanon|isig)' | tr '\n' ' ')
    if echo "$modes" | grep -qw -- '-echo' || ! echo "$modes" | grep -qw 'echo'; then
        notok "SIG$sig: echo is on again (stty: $modes)"
    else
        ok "SIG$sig: echo is on again"
    fi
    if echo "$modes" | grep -qw -- '-icanon' || ! echo "$modes" | grep -qw 'icanon'; then
        notok "SIG$sig: canonical input is on again (stty: $modes)"
    else
        ok "SIG$sig: canonical input is on again"
    fi
    alternate=$(tm display-message -p -t "$PANE" '#{alternate_on}')
    if [ "$alternate" = 0 ]; then
        ok "SIG$sig: the alternate screen was left"
    else
        notok "SIG$sig: the alternate screen was left (alternate_on=$alternate)"
    fi
    cursor=$(tm display-message -p -t "$PANE" '#{cursor_flag}')
    if [ "$cursor" = 1 ]; then
        ok "SIG$sig: the cursor is visible"
    else
        notok "SIG$sig: the cursor is visible (cursor_flag=$cursor)"
    fi
    mouse=$(tm display-message -p -t "$PANE" '#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}')
    if [ "$mouse" = 000 ]; then
        ok "SIG$sig: mouse tracking is off"
    else
        notok "SIG$sig: mouse tracking is off (any, button, standard: $mouse)"
    fi
    stop
}

crash QUIT 131
crash SEGV 139
crash ABRT 134

# tmux_lib.sh: helpers for screen tests: run the real TUI in a detached tmux
# pane of a fixed size on a private socket, send keys, read the screen.
# Waits are bounded polls for what a person would see; nothing is timed.

TMUX_BASE="laketop-test-$$"
TMUX_SOCKET="$TMUX_BASE-0"
TMUX_STARTS=0
PANE="laketop:0.0"

tm() { tmux -L "$TMUX_SOCKET" "$@"; }

# killed (a timeout, Ctrl-C): exit, so that the script's EXIT trap stops
# tmux and removes its WORK
trap 'exit 130' INT TERM HUP

ok() { echo "ok - $*"; }
notok() {
    echo "not ok - $*"
    echo "# panes: $(tm list-panes -a -F '#{pane_pid} dead=#{pane_dead} #{pane_current_command} #{pane_width}x#{pane_height}' 2>&1)"
    echo "# screen was:"
    screen | sed 's/^/# | /'
}

# start COLS ROWS COMMAND: runs COMMAND in a new session; when it exits the
# pane prints "EXITED <status>" and stays open so the tests can read it.
start() {
    cols=$1 rows=$2
    shift 2
    stop
    # a fresh server (own socket) for every start: no state carried over
    TMUX_STARTS=$((TMUX_STARTS + 1))
    TMUX_SOCKET="$TMUX_BASE-$TMUX_STARTS"
    tm -f /dev/null new-session -d -s laketop -x "$cols" -y "$rows" \
        "$* ; echo EXITED \$?; sleep 600"
    tm set-option -g remain-on-exit on >/dev/null
}

stop() {
    tm kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCKET"
}

screen() { tm capture-pane -p -t "$PANE"; }

keys() { tm send-keys -t "$PANE" "$@"; }

# wait_for TEXT [TRIES]: polls the screen (every 0.1 s, 100 tries by
# default) until TEXT (a fixed string) appears.
wait_for() {
    tries=${2:-100}
    while [ "$tries" -gt 0 ]; do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

# wait_gone TEXT: polls until TEXT has left the screen.
wait_gone() {
    tries=${2:-100}
    while [ "$tries" -gt 0 ]; do
        if ! screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

# check DESCRIPTION TEXT: waits for TEXT, reports ok / not ok.
check() {
    if wait_for "$2"; then ok "$1"; else notok "$1 (expected \"$2\")"; fi
}

check_absent() {
    if wait_gone "$2"; then ok "$1"; else notok "$1 (did not expect \"$2\")"; fi
}

# row_of TEXT: the screen line number (1-based) holding TEXT first.
row_of() { screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1; }

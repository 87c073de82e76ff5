# demo_lib.sh: what the test_tui_*.sh scripts on the demo lake start with.
# A script sources it after computing its own folder:
#
#     set -u
#     HERE=$(cd "$(dirname "$0")" && pwd)
#     . "$HERE/demo_lib.sh"
#
# and then has the tmux helpers (tmux_lib.sh), LAKETOP (the first argument),
# WORK (a private directory, removed on exit with the tmux server), a fresh
# demo lake in LAKE, THEMES, and the command lines RUN0 (the dashboard on
# the Overview, its first screen, in a UTF-8 locale) and RUN (the same on
# Databases, where most checks start).
LAKETOP=${1:?usage: ${0##*/} path/to/laketop}
. "$HERE/tmux_lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/laketop-screen-XXXXXX")
trap 'stop; rm -rf "$WORK"' EXIT
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" 2>/dev/null || { echo "not ok - demo lake"; exit 1; }
THEMES="$HERE/../../themes"
RUN0="env LANG=C.UTF-8 LC_ALL=C.UTF-8 $LAKETOP --lake $LAKE --themes-dir $THEMES"
RUN="$RUN0 --view databases"

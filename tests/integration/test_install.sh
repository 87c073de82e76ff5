#!/bin/sh
# test_install.sh: `make install` with PREFIX and DESTDIR puts the binary and
# the themes in place, and the installed binary finds its themes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
if make -C "$ROOT" --no-print-directory install PREFIX=/opt/lt DESTDIR="$WORK/dest" >"$WORK/log" 2>&1; then
    ok "make install PREFIX=/opt/lt DESTDIR=..."
else
    notok "make install"
    sed 's/^/# /' "$WORK/log" | tail -20
fi
BIN="$WORK/dest/opt/lt/bin/laketop"
[ -x "$BIN" ] && ok "binary installed under DESTDIR/PREFIX/bin" || notok "binary installed"
for t in dark light mono; do
    [ -f "$WORK/dest/opt/lt/share/laketop/themes/$t.theme" ] && ok "theme $t installed" || notok "theme $t installed"
done
"$BIN" --version | grep -q '^laketop ' && ok "installed binary runs" || notok "installed binary runs"
# With no terminal the dashboard refuses after validating the theme: a theme
# that is found gets "needs a terminal", a missing one "not found".
HOME="$WORK/home" "$BIN" --lake "$WORK" --theme light </dev/null >/dev/null 2>"$WORK/err"
if grep -q 'needs a terminal' "$WORK/err"; then ok "installed binary finds its themes"; else
    notok "installed binary finds its themes"
    sed 's/^/# /' "$WORK/err"
fi
if make -C "$ROOT" --no-print-directory uninstall PREFIX=/opt/lt DESTDIR="$WORK/dest" >/dev/null 2>&1 &&
    [ ! -e "$BIN" ]; then ok "make uninstall"; else notok "make uninstall"; fi

#!/bin/sh
# test_install.sh: `make install` with PREFIX and DESTDIR puts in place the
# binary (stripped; `STRIP=` keeps its symbols), the themes, the man page,
# bash and zsh completion and the example config; the installed binary
# finds its themes; the man page renders without a warning (groff -ww, man
# -l) and covers every option of --help; `make uninstall` leaves no file.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
if make -C "$ROOT" --no-print-directory install PREFIX=/opt/lt DESTDIR="$WORK/dest" >"$WORK/log" 2>&1; then
    ok "make install PREFIX=/opt/lt DESTDIR=..."
else
    notok "make install"
    sed 's/^/# /' "$WORK/log" | tail -20
fi
P="$WORK/dest/opt/lt"
BIN="$P/bin/laketop"
[ -x "$BIN" ] && ok "binary installed under DESTDIR/PREFIX/bin" || notok "binary installed"
for t in dark light mono; do
    [ -f "$P/share/laketop/themes/$t.theme" ] && ok "theme $t installed" || notok "theme $t installed"
done
for f in share/man/man1/laketop.1 share/bash-completion/completions/laketop \
    share/zsh/site-functions/_laketop share/doc/laketop/config.example; do
    [ -f "$P/$f" ] && ok "$f installed" || notok "$f installed"
done
"$BIN" --version | grep -q '^laketop ' && ok "installed binary runs" || notok "installed binary runs"
# With no terminal the dashboard refuses after validating the theme: a theme
# that is found gets "needs a terminal", a missing one "not found".
HOME="$WORK/home" "$BIN" --lake "$WORK" --theme light </dev/null >/dev/null 2>"$WORK/err"
if grep -q 'needs a terminal' "$WORK/err"; then ok "installed binary finds its themes"; else
    notok "installed binary finds its themes"
    sed 's/^/# /' "$WORK/err"
fi

# stripped by default, with its symbols under STRIP= (the ELF's .symtab)
has_symtab() { readelf -S "$1" 2>/dev/null | grep -q '\.symtab'; }
if ! has_symtab "$BIN" && file "$BIN" | grep -q ', stripped' && has_symtab "$LAKETOP"; then
    ok "the installed binary is stripped (the built one has symbols)"
else
    notok "the installed binary is stripped"
    file "$BIN" | sed 's/^/# /'
fi
if make -C "$ROOT" --no-print-directory install PREFIX=/opt/lt DESTDIR="$WORK/symbols" STRIP= >"$WORK/log" 2>&1 &&
    has_symtab "$WORK/symbols/opt/lt/bin/laketop" && file "$WORK/symbols/opt/lt/bin/laketop" | grep -q 'not stripped'; then
    ok "make install STRIP= keeps the symbols"
else
    notok "make install STRIP= keeps the symbols"
    sed 's/^/# /' "$WORK/log" | tail -5
fi

# the man page: no warning from groff -ww nor man -l, found by man through MANPATH
PAGE="$P/share/man/man1/laketop.1"
groff -ww -man -Tutf8 -z "$PAGE" >"$WORK/groff" 2>&1
if [ -f "$PAGE" ] && [ ! -s "$WORK/groff" ]; then ok "groff -ww -man renders laketop.1 without a warning"; else
    notok "groff -ww -man: warnings"
    sed 's/^/# /' "$WORK/groff" | head -10
fi
MANWIDTH=80 man -l "$PAGE" >"$WORK/man.txt" 2>"$WORK/man.err"
st=$?
if [ $st -eq 0 ] && [ ! -s "$WORK/man.err" ] && grep -q '^NAME' "$WORK/man.txt"; then
    ok "man -l laketop.1 renders, nothing on stderr"
else
    notok "man -l laketop.1 (exit $st)"
    sed 's/^/# /' "$WORK/man.err" | head -10
fi
missing=""
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS KEYS CONFIGURATION FILES 'EXIT STATUS' ENVIRONMENT EXAMPLES; do
    grep -q "^$s\$" "$WORK/man.txt" || missing="$missing [$s]"
done
[ -z "$missing" ] && ok "the man page has every section" || notok "the man page lacks:$missing"
# every long option of --help is in the page (the rendered text says --name)
missing=""
for o in $("$LAKETOP" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
    grep -qF -- "$o" "$WORK/man.txt" || missing="$missing $o"
done
[ -z "$missing" ] && ok "the man page names every option of --help" || notok "the man page lacks:$missing"
missing=""
for c in demo backup restore crawl sync export check; do
    grep -qE "^       $c( |\$)" "$WORK/man.txt" || missing="$missing $c"
done
[ -z "$missing" ] && ok "the man page describes every command" || notok "the man page lacks the commands:$missing"
found=$(MANPATH="$P/share/man" man -w laketop 2>/dev/null)
[ "$found" = "$PAGE" ] && ok "man finds laketop(1) under PREFIX/share/man" || notok "man -w laketop: \"$found\""

# the example config is one laketop takes, without a warning on the demo lake
"$LAKETOP" demo "$WORK/lake" >/dev/null 2>&1
HOME="$WORK/home" "$BIN" --config "$P/share/doc/laketop/config.example" --lake "$WORK/lake" --once >/dev/null 2>"$WORK/err"
st=$?
if [ $st -eq 0 ] && ! grep -q 'warning' "$WORK/err"; then ok "config.example is a valid config (--once exit 0, no warning)"; else
    notok "config.example (exit $st)"
    sed 's/^/# /' "$WORK/err" | head -5
fi

if make -C "$ROOT" --no-print-directory uninstall PREFIX=/opt/lt DESTDIR="$WORK/dest" >/dev/null 2>&1 &&
    [ ! -e "$BIN" ]; then ok "make uninstall"; else notok "make uninstall"; fi
left=$(find "$WORK/dest" ! -type d)
[ -z "$left" ] && ok "make uninstall leaves no file" || { notok "make uninstall left files"; echo "$left" | sed 's/^/# /'; }
exit $FAILED

#!/bin/sh
# test_deps.sh: scripts/deps.sh, run by `make run` and `make test`, sends
# apt's lines to a log and says one line, unless apt fails: then it shows
# the log's end and exits 1 (issue 12, item 13). apt-get, dpkg-query and id
# are stand-ins on PATH: nothing is installed.
set -u
NO_LAKETOP=1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
FAKE="$WORK/bin"
mkdir -p "$FAKE"
cat >"$FAKE/dpkg-query" <<'EOF2'
#!/bin/sh
# every package missing, but those in $INSTALLED
for p in $INSTALLED; do [ "$p" = "$3" ] && { printf 'install ok installed'; exit 0; }; done
exit 1
EOF2
cat >"$FAKE/apt-get" <<'EOF2'
#!/bin/sh
echo "apt-get $*" >>"$APT_CALLS"
i=0
while [ $i -lt 40 ]; do i=$((i + 1)); echo "Get:$i http://deb.example/debian bookworm/main amd64 pkg$i"; done
if [ -n "${APT_FAIL:-}" ] && [ "$1" = install ]; then echo "E: Unable to locate package zsh" >&2; exit 100; fi
echo "Setting up zsh (5.9-4) ..."
EOF2
printf '#!/bin/sh\necho 0\n' >"$FAKE/id"
printf '#!/bin/sh\nexit 0\n' >"$FAKE/npm"
chmod +x "$FAKE"/*
export APT_CALLS="$WORK/apt_calls" LAKETOP_DEPS_LOG="$WORK/deps.log" INSTALLED=""

PATH="$FAKE:$PATH" sh "$ROOT/scripts/deps.sh" test >"$WORK/out" 2>"$WORK/err"
st=$?
if [ $st -eq 0 ] && [ "$(cat "$WORK/out" "$WORK/err" | wc -l)" -eq 1 ] &&
    grep -q "^installing: .*zsh.* (apt's output: $WORK/deps.log)\$" "$WORK/err" &&
    ! grep -q 'Get:' "$WORK/out" "$WORK/err"; then
    ok "packages installed: one line said, no apt line"
else
    notok "packages installed (exit $st): wanted one line and no apt line"
    cat "$WORK/out" "$WORK/err" | head -5 | sed 's/^/# /'
fi
got=$(grep -c '^Get:' "$WORK/deps.log" 2>/dev/null)
[ "${got:-0}" -eq 80 ] && grep -q 'Setting up zsh' "$WORK/deps.log" &&
    ok "apt's lines are in the log" || notok "apt's lines are in the log"
grep -q '^apt-get install .*groff-base.*man-db.*zsh' "$APT_CALLS" &&
    ok "the test packages include groff-base, man-db and zsh" || notok "the test packages: $(cat "$APT_CALLS")"

: >"$APT_CALLS"
APT_FAIL=1 PATH="$FAKE:$PATH" sh "$ROOT/scripts/deps.sh" build >"$WORK/out" 2>"$WORK/err"
st=$?
if [ $st -eq 1 ] && grep -qF "failed; the end of $WORK/deps.log:" "$WORK/err" &&
    grep -qF '| E: Unable to locate package zsh' "$WORK/err"; then
    ok "apt fails: exit 1, the end of the log shown"
else
    notok "apt fails (exit $st): wanted exit 1 and the log's end"
    sed 's/^/# /' "$WORK/err" | head -5
fi

INSTALLED="gcc make pkg-config libncurses-dev libjson-c-dev libinih-dev libcurl4-openssl-dev libssl-dev libexpat1-dev libavro-dev libsnappy-dev libzstd-dev zlib1g-dev"
: >"$APT_CALLS"
PATH="$FAKE:$PATH" sh "$ROOT/scripts/deps.sh" build >"$WORK/out" 2>&1
st=$?
[ $st -eq 0 ] && [ ! -s "$WORK/out" ] && [ ! -s "$APT_CALLS" ] &&
    ok "nothing missing: nothing said, apt not run" || notok "nothing missing (exit $st)"
exit $FAILED

#!/bin/sh
# test_config.sh: a config is checked when it is read (issue 10, item 18):
# a sync rule naming a zone that does not exist, an s3:// zone without a
# bucket, stale_crit shorter than stale_warn, an empty `lake =` are each
# refused at start (exit 2) with FILE:LINE: and why, by --once, check and
# sync alike; a good config with the same sections is taken. Issue 12, item
# 9: a theme that does not exist, an endpoint or region that cannot be, are
# refused the same way, and sections that name nothing in the catalog are
# warned about once it is read.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME" "$WORK/a" "$WORK/b"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { notok "demo lake"; exit 1; }

# bad NAME LINE WHY COMMAND... < config text: exit 2, stderr "laketop: FILE:LINE: WHY"
bad() {
    _n=$1 _line=$2 _why=$3
    shift 3
    cat >"$WORK/$_n.ini"
    timeout 60 "$LAKETOP" "$@" --config "$WORK/$_n.ini" >"$WORK/out" 2>"$WORK/err"
    _st=$?
    [ $_st -eq 2 ] && grep -qF -- "$WORK/$_n.ini:$_line: $_why" "$WORK/err" &&
        ok "$_n ($*): exit 2, $_n.ini:$_line: $_why" ||
        { notok "$_n ($*): exit $_st, wanted 2 and $_n.ini:$_line: $_why"; sed 's/^/# /' "$WORK/err" | head -3; }
}

for cmd in "--once" "check" "sync r"; do
    # shellcheck disable=SC2086 # $cmd is a command and its argument
    bad missing-zone 7 'sync rule r names zone "nowhere", which is not defined' --lake "$LAKE" $cmd <<EOF2
[zone a]
uri = $WORK/a
role = storing

[sync r]
from = a
to = nowhere
EOF2
done
bad no-bucket 3 'zone up: ' --lake "$LAKE" --once <<'EOF2'
[zone up]
role = user
uri = s3://
EOF2
bad crit-before-warn 3 'stale_crit (1d) is shorter than stale_warn (3d)' --lake "$LAKE" check <<'EOF2'
[laketop]
stale_warn = 3d
stale_crit = 1d
EOF2
bad table-crit 5 '[table sales.orders] stale_crit is shorter than its stale_warn' --lake "$LAKE" --once <<'EOF2'
[table sales.orders]
stale_warn = 2d

[table sales.orders]
stale_crit = 1h
EOF2
bad empty-lake 2 'lake: empty' --once <<'EOF2'
[laketop]
lake =
EOF2

# issue 12, item 9: every value is checked as the file is read, for every
# command, with the line and the valid names (the themes: the user's
# directory, as the one beside the binary depends on where it is)
mkdir -p "$XDG_CONFIG_HOME/laketop/themes" && cp "$ROOT"/themes/*.theme "$XDG_CONFIG_HOME/laketop/themes/"
for cmd in "--once" "check"; do
    # shellcheck disable=SC2086 # $cmd is a command
    bad theme-typo 3 'theme: "drak" is not a theme: dark, light or mono' --lake "$LAKE" $cmd <<'EOF2'
[laketop]
interval = 60s
theme = drak
EOF2
done
timeout 60 "$LAKETOP" --lake "$LAKE" --theme drak --once >/dev/null 2>"$WORK/err"
st=$?
[ $st -eq 2 ] && grep -qF -- '--theme: "drak" is not a theme: dark, light or mono' "$WORK/err" &&
    ok "--theme drak: exit 2, the valid names" ||
    { notok "--theme drak: exit $st"; sed 's/^/# /' "$WORK/err" | head -3; }
bad unknown-section 3 'unknown section [crawlers c] (expected [laketop], [database NAME], [table DATABASE.TABLE], [crawler NAME], [zone NAME], [sync NAME], [job NAME] or [prices])' --lake "$LAKE" --once <<'EOF2'
[laketop]
[crawlers c]
path = sales
EOF2
bad endpoint 2 'endpoint_url: "localhost:9000" is not an http:// or https:// address' --lake "$LAKE" --once <<'EOF2'
[laketop]
endpoint_url = localhost:9000
EOF2
bad region 3 'region: "eu west 1" is not a region' --lake "$LAKE" --once <<'EOF2'
[laketop]
source = local
region = eu west 1
EOF2
timeout 60 "$LAKETOP" --endpoint-url foo --once >/dev/null 2>"$WORK/err"
st=$?
[ $st -eq 2 ] && grep -qF -- '--endpoint-url "foo" is not an http:// or https:// address' "$WORK/err" &&
    ok "--endpoint-url foo: exit 2 and why (it crashed before)" ||
    { notok "--endpoint-url foo: exit $st"; sed 's/^/# /' "$WORK/err" | head -3; }

# sections naming nothing in the catalog: a warning with FILE:LINE once the
# catalog is read (the demo's catalog has sales/orders.json, no orderz)
[ -f "$LAKE/catalog/sales/orders.json" ] && [ ! -e "$LAKE/catalog/sales/orderz.json" ] &&
    [ ! -d "$LAKE/catalog/salse" ] || notok "the demo catalog is not as this test thinks"
cat >"$WORK/names.ini" <<'EOF2'
[table sales.orders]
stale_warn = 1d

[table sales.orderz]
stale_warn = 1d
[database salse]
quota = 1TiB
EOF2
for cmd in "--once" "check"; do
    # shellcheck disable=SC2086 # $cmd is a command
    timeout 60 "$LAKETOP" --lake "$LAKE" --config "$WORK/names.ini" $cmd >/dev/null 2>"$WORK/err"
    st=$?
    if grep -qF "laketop: warning: $WORK/names.ini:4: [table sales.orderz] names no table of the catalog; did you mean sales.orders?" "$WORK/err" &&
        grep -qF "laketop: warning: $WORK/names.ini:6: [database salse] names no database of the catalog; did you mean sales?" "$WORK/err" &&
        [ "$(grep -c warning "$WORK/err")" -eq 2 ]; then
        ok "$cmd: a warning for [table sales.orderz] and [database salse] with FILE:LINE, none for sales.orders"
    else
        notok "$cmd: warnings for sections that name nothing (exit $st)"
        sed 's/^/# /' "$WORK/err" | head -5
    fi
done
[ "$(timeout 60 "$LAKETOP" --lake "$LAKE" --config "$WORK/names.ini" --once 2>/dev/null >/dev/null; echo $?)" -eq 0 ] &&
    ok "--once: such a warning leaves the exit status 0" || notok "--once exit status with a warning"

cat >"$WORK/good.ini" <<EOF2
[sync r]
from = a
to = b
[zone a]
uri = $WORK/a
[zone b]
uri = $WORK/b
[laketop]
lake = $LAKE
stale_crit = 3d
stale_warn = 1d
EOF2
timeout 60 "$LAKETOP" --config "$WORK/good.ini" --once >"$WORK/good.json" 2>"$WORK/err"
st=$?
[ $st -eq 0 ] && $PY -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d['tables']) == 21 else 1)" "$WORK/good.json" &&
    ok "a good config (a rule before its zones): --once reads the lake" ||
    { notok "good config (exit $st)"; sed 's/^/# /' "$WORK/err" | head -3; }
# What the INI reader would cut without a word: a [section] name over 49
# bytes (a long table's name: the section would name another table) and a
# line over 198 characters (its rest was read as a line of its own).
LONGT=$(printf 'events_%.0s' 1 2 3 4 5 6)x
bad long-section 3 "the section's name is 55 bytes, over the 49 the INI reader keeps" --lake "$LAKE" --once <<EOF2
[laketop]

[table sales.$LONGT]
stale_warn = 1d
EOF2
LONGV=$(printf 'abcdefghij%.0s' $(seq 1 21))
bad long-line 2 "the line is over 198 characters" --lake "$LAKE" --once <<EOF2
[zone a]
uri = $WORK/$LONGV
role = storing
EOF2
exit $FAILED

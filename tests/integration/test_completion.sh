#!/bin/sh
# test_completion.sh: the shell completion of doc/completion/ (issue 12,
# item 11). bash: the script is sourced and _laketop driven through
# COMP_WORDS/COMP_CWORD, as bash would; zsh: an interactive zsh (zpty)
# loads _laketop with compinit and completes a typed line with a Tab
# (tests/helpers/zsh_complete.zsh). Subcommands, options, themes, formats,
# AWS profiles (a private AWS_CONFIG_FILE) and the crawlers and sync rules
# of a config over a demo lake; `laketop complete` itself stays out of
# --help. The expected names come from the files the test writes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
export AWS_CONFIG_FILE="$WORK/aws_config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws_credentials"
mkdir -p "$HOME" "$WORK/a" "$WORK/b"
LAKE="$WORK/lake"
"$LAKETOP" demo "$LAKE" >/dev/null 2>&1 || { notok "demo lake"; exit 1; }
BASH_SCRIPT="$ROOT/doc/completion/laketop.bash"
cat >"$WORK/c.ini" <<EOF2
[laketop]
lake = $LAKE
[crawler landing_sales]
path = landing/sales
[crawler landing_music]
path = landing/music
database = music
[zone a]
uri = $WORK/a
[zone b]
uri = $WORK/b
[sync a_to_b]
from = a
to = b
[sync b_to_a]
from = b
to = a
[job compact_orders]
command = true
[job check_landing]
severity = critical
EOF2
printf '[default]\nregion = us-east-1\n[profile prod]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n' >"$AWS_CONFIG_FILE"
printf '[ci]\naws_access_key_id = x\naws_secret_access_key = y\n' >"$AWS_SHARED_CREDENTIALS_FILE"

# bash_complete WORD...: the candidates bash's _laketop gives for the last
# WORD (COMP_WORDS[0] is the binary under test), sorted, on one line.
bash_complete() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _laketop
             printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_SCRIPT" "$LAKETOP" "$@" 2>"$WORK/bash.err" |
        sort | tr '\n' ' ' | sed 's/ $//'
}
# expect_bash WANT WORD...: the candidates are exactly WANT (sorted names)
expect_bash() {
    want=$1
    shift
    got=$(bash_complete "$@")
    if [ "$got" = "$want" ]; then ok "bash: laketop $* <Tab> gives: $want"; else
        notok "bash: laketop $* <Tab>: got \"$got\", wanted \"$want\""
        sed 's/^/# /' "$WORK/bash.err" | head -5
    fi
}

expect_bash "backup check crawl demo export job restore sync" ""
expect_bash "crawl" cr
expect_bash "--concurrency --config --confirm-account" --con
expect_bash "--profile --prune-incomplete" --pr
expect_bash "--themes-dir" --themes
expect_bash "dark mono" --themes-dir "$WORK/a" --theme ""
mkdir -p "$WORK/themes" && printf 'title = red\n' >"$WORK/themes/sunset.theme"
expect_bash "dark mono sunset" --themes-dir "$WORK/themes" --theme ""
# the user's themes directory (the one beside the binary depends on where it is)
mkdir -p "$XDG_CONFIG_HOME/laketop/themes" && cp "$ROOT"/themes/*.theme "$XDG_CONFIG_HOME/laketop/themes/"
expect_bash "dark light mono" --theme ""
expect_bash "light" -t l
expect_bash "prometheus text" check --format ""
expect_bash "csv json table" --once --format ""
expect_bash "databases overview" --view ""
expect_bash "ci default prod" --profile ""
expect_bash "landing_music landing_sales" --config "$WORK/c.ini" crawl ""
expect_bash "landing_music" --config "$WORK/c.ini" crawl landing_m
expect_bash "a_to_b b_to_a" --config "$WORK/c.ini" sync ""
expect_bash "a_to_b b_to_a" --lake "$LAKE" --config "$WORK/c.ini" --dry-run sync ""
expect_bash "a_to_b" "--config=$WORK/c.ini" sync a
expect_bash "" --config "$WORK/c.ini" sync a_to_b ""
expect_bash "check_landing compact_orders" --config "$WORK/c.ini" job ""
expect_bash "compact_orders" --config "$WORK/c.ini" job comp
expect_bash "" --interval ""
expect_bash "--days --extra-files --extra-tables --help" demo --
# the config's crawlers, and no others, without --config on the line: the default config
mkdir -p "$XDG_CONFIG_HOME/laketop" && cp "$WORK/c.ini" "$XDG_CONFIG_HOME/laketop/config"
expect_bash "landing_music landing_sales" crawl ""
rm "$XDG_CONFIG_HOME/laketop/config"
expect_bash "" crawl ""
# the bash script registers itself for laketop
bash -c '. "$1"; complete -p laketop' _ "$BASH_SCRIPT" 2>&1 | grep -qx 'complete -F _laketop laketop' &&
    ok "bash: complete -F _laketop laketop" || notok "bash: the script registers _laketop"

# laketop complete: hidden from --help, each kind, an unknown kind refused
"$LAKETOP" --help | grep -qE '^ +laketop complete' && notok "complete is hidden from --help" || ok "complete is hidden from --help"
for c in demo backup restore crawl job sync export check; do
    "$LAKETOP" --help | grep -qE "^(Usage:| +)  ?laketop $c( |\$)" || notok "--help lists $c"
done
status_is 2 "$LAKETOP" complete nothing && stderr_has 'laketop complete: "nothing" is not one of commands' &&
    ok "complete: an unknown KIND is refused (exit 2)" || notok "complete: an unknown KIND"

# zsh: a real completion, typed
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$ROOT/doc/completion/_laketop" && ok "zsh -n _laketop" || notok "zsh -n _laketop"
    # zsh_complete WANT LINE: the matches a Tab at the end of LINE offers
    zsh_complete() {
        want=$1
        if zsh -f "$HELPERS/zsh_complete.zsh" "$WORK/zsh.out" "$LAKETOP" "$ROOT/doc/completion" "$2" 2>"$WORK/zsh.err"; then
            got=$(grep -v '^<done>$' "$WORK/zsh.out" | sort -u | tr '\n' ' ' | sed 's/ $//')
        else
            got="(no completion ran)"
        fi
        if [ "$got" = "$want" ]; then ok "zsh: $2<Tab> gives: $want"; else
            notok "zsh: $2<Tab>: got \"$got\", wanted \"$want\""
            sed 's/^/# /' "$WORK/zsh.err" | head -5
        fi
    }
    zsh_complete "backup check crawl demo export job restore sync" "laketop "
    zsh_complete "--theme --themes-dir" "laketop --the"
    zsh_complete "dark light mono" "laketop --theme "
    zsh_complete "dark mono sunset" "laketop --themes-dir $WORK/themes --theme "
    zsh_complete "ci default prod" "laketop --profile "
    zsh_complete "landing_music landing_sales" "laketop --config $WORK/c.ini crawl "
    zsh_complete "a_to_b b_to_a" "laketop --config $WORK/c.ini sync "
    zsh_complete "check_landing compact_orders" "laketop --config $WORK/c.ini job "
else
    notok "zsh is not installed (scripts/deps.sh test installs it)"
fi
exit $FAILED

#!/bin/sh
# test_secrets.sh: no secret in any output. A recognisable secret key and
# session token are planted (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and
# every kind of output is run against an endpoint that rejects them: one
# where the secret is wrong (Glue then sends the canonical request back in
# its message, the token in it, as AWS does), one where the token is wrong.
# --once (json, csv, table), check (text, prometheus), export and backup
# (a local directory and s3://), restore --dry-run, sync, crawl, the audit
# log, and a dashboard in tmux (its screens captured: status line, Activity
# with the failed backup, Crawlers). Then every stdout and stderr and every
# file laketop wrote (WORK, HOME, XDG_STATE_HOME, XDG_DATA_HOME, TMPDIR) is
# searched for the secret and the token: neither may appear, in any form.
# The access key id may appear: it names the key and is no secret (AWS
# itself prints it in errors, e.g. S3's AWSAccessKeyId), and a person needs
# it to tell which key failed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
OUT="$WORK/out" # every output of laketop, and its HOME and state
export HOME="$OUT/home" XDG_STATE_HOME="$OUT/state" XDG_DATA_HOME="$OUT/data" TMPDIR="$OUT/tmp"
export XDG_CONFIG_HOME="$OUT/config"
mkdir -p "$HOME" "$TMPDIR" "$XDG_CONFIG_HOME"
aws_env
export LAKETOP_RETRY_BASE_MS=20
PKEY=AKIDLAKETOPPLANTEDKEY
PSECRET='LAKETOPPLANTEDSECRET/k+y=7Qx0a1b2c3d4e5f6'
PTOKEN='LAKETOPPLANTEDTOKEN//IQoJb3JpZ2luX2Vj+abc/def=='
export AWS_ACCESS_KEY_ID="$PKEY" AWS_SECRET_ACCESS_KEY="$PSECRET" AWS_SESSION_TOKEN="$PTOKEN"
SOCK="laketop-secrets-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT

$PY "$HELPERS/aws_seed.py" write "$WORK/seed.json" "$WORK/truth.json"
# the secret is wrong (the endpoint's own default): InvalidSignatureException
# with the canonical request, SignatureDoesNotMatch on S3
start_endpoint ep-signature --seed "$WORK/seed.json" --access-key "$PKEY" --session-token "$PTOKEN"
# the secret is right, the token is not: UnrecognizedClientException, InvalidToken
start_endpoint ep-token --seed "$WORK/seed.json" --access-key "$PKEY" --secret-key "$PSECRET" \
    --session-token "another-token-entirely"
EP_SIGNATURE="http://127.0.0.1:$(wait_port ep-signature)"
EP_TOKEN="http://127.0.0.1:$(wait_port ep-token)"

cat >"$OUT/sync.ini" <<'EOF2'
[zone storing]
uri = s3://tricky-lake/events/
role = storing
[zone copy]
uri = s3://tricky-lake/copy/
role = user
[sync events]
from = storing
to = copy
prefix = dt=
EOF2

# each output of laketop to files of its own: OUT/NAME.out, OUT/NAME.err
out() {
    name=$1
    shift
    "$LAKETOP" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
}

# A dashboard in tmux: its screens go to OUT/MODE-screens.txt.
dashboard() {
    mode=$1 ep=$2
    tm() { tmux -L "$SOCK" "$@"; }
    tm -f /dev/null new-session -d -s s -x 250 -y 40 \
        "env HOME=$HOME XDG_STATE_HOME=$XDG_STATE_HOME XDG_DATA_HOME=$XDG_DATA_HOME TMPDIR=$TMPDIR LANG=C.UTF-8 LC_ALL=C.UTF-8 '$LAKETOP' --endpoint-url $ep --themes-dir '$ROOT/themes' --view databases --interval 2s 2>'$OUT/$mode-dashboard.err'; echo EXITED \$?; sleep 600"
    capture() { tm capture-pane -p -t s:0.0 >>"$OUT/$mode-screens.txt"; }
    i=0 # until the refused refresh is reported
    until tm capture-pane -p -t s:0.0 | grep -qE 'Exception|Invalid|Signature|Token'; do
        i=$((i + 1))
        [ $i -gt 300 ] && break
        sleep 0.1
    done
    capture
    tm send-keys -t s:0.0 b
    sleep 0.3
    capture
    tm send-keys -t s:0.0 y
    sleep 0.2
    tm send-keys -t s:0.0 a
    i=0 # until the backup has failed
    until tm capture-pane -p -t s:0.0 | grep -q "FAILED"; do
        i=$((i + 1))
        [ $i -gt 300 ] && break
        sleep 0.1
    done
    capture
    tm send-keys -t s:0.0 Escape
    tm send-keys -t s:0.0 C
    sleep 0.5
    capture
    tm send-keys -t s:0.0 Escape
    sleep 2.5 # a second refresh, its error in the status line
    capture
    tm send-keys -t s:0.0 q
    i=0
    until tm capture-pane -p -t s:0.0 | grep -q "EXITED"; do
        i=$((i + 1))
        [ $i -gt 100 ] && break
        sleep 0.1
    done
    capture
    tm kill-server 2>/dev/null
}

for mode in signature token; do
    [ $mode = signature ] && EP=$EP_SIGNATURE || EP=$EP_TOKEN
    E="--endpoint-url $EP"
    out $mode-once-json $E --once
    out $mode-once-csv $E --once --format csv
    out $mode-once-table $E --once --format table
    out $mode-check $E check
    out $mode-check-prometheus $E check --format prometheus
    out $mode-export-local $E export "$OUT/$mode-export"
    out $mode-export-s3 $E export s3://tricky-lake/export
    out $mode-backup-local $E backup "$OUT/$mode-backups"
    out $mode-backup-s3 $E backup s3://tricky-lake/backups
    out $mode-restore-dry $E restore s3://tricky-lake/backups --dry-run
    out $mode-sync-dry $E --config "$OUT/sync.ini" sync events --dry-run
    out $mode-sync $E --config "$OUT/sync.ini" sync events
    out $mode-crawl $E crawl good-crawler
    dashboard $mode "$EP"
done

# The runs met the rejection they were meant to (else this test proves nothing).
grep -q "InvalidSignatureException" "$OUT/signature-once-json.err" &&
    grep -q "SignatureDoesNotMatch" "$OUT/signature-backup-s3.out" "$OUT/signature-backup-s3.err" "$OUT/signature-sync.out" "$OUT/signature-sync.err" &&
    ok "wrong secret: Glue and S3 reject the signature" ||
    { notok "wrong secret: no signature rejection seen"; head -c 600 "$OUT/signature-once-json.err" | sed 's/^/# /'; }
grep -q "UnrecognizedClientException" "$OUT/token-once-json.err" &&
    ok "wrong token: Glue rejects the token" ||
    { notok "wrong token: no rejection seen"; head -c 600 "$OUT/token-once-json.err" | sed 's/^/# /'; }
grep -q "Exception\|Invalid\|Signature" "$OUT/signature-screens.txt" && grep -q "backup" "$OUT/signature-screens.txt" &&
    ok "the dashboard showed the error and the failed backup" ||
    { notok "dashboard screens"; head -20 "$OUT/signature-screens.txt" | sed 's/^/# /'; }
[ -s "$XDG_STATE_HOME/laketop/audit.log" ] && ok "the audit log was written ($(wc -l <"$XDG_STATE_HOME/laketop/audit.log") lines)" ||
    notok "no audit log"
# What is left of the message is still worth reading.
grep -q "The request signature we calculated does not match" "$OUT/signature-once-json.err" &&
    ok "... the reason is kept, the canonical request dropped" || notok "the reason itself was lost"

# The search: every file under OUT (outputs, HOME, state, data, TMPDIR).
n_files=$(find "$OUT" -type f | wc -l)
for what in secret token; do
    [ $what = secret ] && marker=LAKETOPPLANTEDSECRET || marker=LAKETOPPLANTEDTOKEN
    found=$(grep -rlaF -- "$marker" "$OUT")
    [ -z "$found" ] && ok "the $what appears in none of the $n_files files laketop wrote or printed" || {
        notok "the $what appears in: $(echo "$found" | sed "s|$OUT/||" | tr '\n' ' ')"
        grep -rahoF -m 1 -- "$marker" $found | head -3 | sed 's/^/# /'
    }
done
# the planted values in other forms, should a marker be split by an encoding
for value in "$PSECRET" "$PTOKEN"; do
    enc=$($PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$value")
    found=$(grep -rlaF -e "$value" -e "$enc" -e "$(echo "$value" | sed 's|/|\\/|g')" "$OUT")
    [ -z "$found" ] || notok "a planted value appears (raw or encoded) in: $(echo "$found" | sed "s|$OUT/||" | tr '\n' ' ')"
done
# the access key id: not a secret (see the top); said, not failed
n=$(grep -rlaF -- "$PKEY" "$OUT" | wc -l)
ok "the access key id appears in $n files (allowed: it names the key, AWS prints it)"
exit $FAILED

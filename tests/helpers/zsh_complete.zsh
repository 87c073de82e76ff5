# zsh_complete.zsh OUT BIN COMPDIR LINE: types LINE and a Tab in an
# interactive zsh (zsh/zpty) with the completion in COMPDIR, `laketop`
# being BIN; every match offered goes to OUT, one a line, then "<done>".
zmodload zsh/zpty || exit 3
out=$1 bin=$2 compdir=$3 line=$4
: >$out
zpty z zsh -f -i
zpty -w z "PROMPT='>'; LISTMAX=100000; fpath=($compdir \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "laketop() { ${(q)bin} \"\$@\" }"
zpty -w z "compadd () { local -a h; builtin compadd -O h \"\$@\"; ((\$#h)) && print -rl -- \$h >>${(q)out}; builtin compadd \"\$@\" }"
# the end of the completion marked (_main_complete calls comppostfuncs)
zpty -w z "comppostfuncs=(laketop_done); laketop_done() { print '<done>' >>${(q)out} }"
zpty -w -n z "$line"$'\t'
i=0
while ! grep -q '^<done>$' $out 2>/dev/null && ((i++ < 600)); do
    zpty -r -t z junk 2>/dev/null
    sleep 0.05
done
zpty -d z
grep -q '^<done>$' $out

#!/bin/sh
# test_sigv4_botocore.sh: the SigV4 signer against Debian's python3-botocore.
# Builds tests/helpers/sigv4_driver.c (plain, and from source with
# ASan+UBSan), then sigv4_botocore.py signs a few hundred random requests both
# ways and compares. The argument (path to laketop) is not used.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NO_LAKETOP=1
. "$HERE/lib.sh"
cd "$ROOT" || exit 1
CC=${CC:-cc}
WARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror"
CFLAGS="-std=c11 -D_GNU_SOURCE $WARN -I. $(pkg-config --cflags json-c)"
LIBS="-lcrypto $(pkg-config --libs json-c) -lm -lpthread"
SOURCES="collector/aws/sigv4.c common/strbuf.c common/xalloc.c common/fmt.c"

if ! $PY -c 'import botocore.auth' 2>"$WORK/err"; then
    echo "not ok - python3-botocore is missing for $PY (apt-get install python3-botocore)"
    sed 's/^/# /' "$WORK/err"
    exit 1
fi

# The library the build made, once it holds sigv4.o; else the sources.
if [ -f build/liblaketop.a ] && ar t build/liblaketop.a | grep -qx 'sigv4.o'; then
    signer=build/liblaketop.a
else
    signer=$SOURCES
fi
failed=0
# shellcheck disable=SC2086 # word splitting of the flag lists is wanted
if $CC $CFLAGS "$HELPERS/sigv4_driver.c" $signer $LIBS -o "$WORK/sigv4_driver" \
    2>"$WORK/cc.log"; then
    echo "ok - sigv4_driver builds with $signer"
    $PY "$HELPERS/sigv4_botocore.py" "$WORK/sigv4_driver" || failed=1
else
    echo "not ok - sigv4_driver builds with $signer"
    sed 's/^/# /' "$WORK/cc.log" | head -20
    failed=1
fi

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1 -g"
# shellcheck disable=SC2086
if $CC $CFLAGS $SAN "$HELPERS/sigv4_driver.c" $SOURCES $LIBS -o "$WORK/sigv4_driver_asan" \
    2>"$WORK/cc.log"; then
    echo "ok - sigv4_driver builds with ASan+UBSan"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        $PY "$HELPERS/sigv4_botocore.py" "$WORK/sigv4_driver_asan" "asan+ubsan" || failed=1
else
    echo "not ok - sigv4_driver builds with ASan+UBSan"
    sed 's/^/# /' "$WORK/cc.log" | head -20
    failed=1
fi
exit $failed

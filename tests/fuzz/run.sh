#!/bin/sh
# run.sh [SECONDS]: builds the libFuzzer harnesses with clang (ASan+UBSan)
# and runs each for SECONDS (default 120), starting from the seed corpora in
# tests/fuzz/corpus/<harness>/. Not part of `make test` (it takes minutes);
# `make fuzz` runs it. Crashes are left in build/fuzz/ as crash-*.
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-120}
OUT=build/fuzz
mkdir -p "$OUT"
CFLAGS="-std=c11 -D_GNU_SOURCE -I. -DLAKETOP_VERSION=\"fuzz\" -g -O1 -fsanitize=fuzzer,address,undefined $(pkg-config --cflags json-c)"
LIBS="$(pkg-config --libs json-c libcurl expat avro-c libzstd zlib) -lsnappy -lcrypto -lm -lpthread"
# The harnesses link the whole library, built with clang for fuzzing.
make --no-print-directory -j2 CC=clang SAN=fuzz BUILD="$OUT/lib" "$OUT/lib/liblaketop.a" >/dev/null
LIB="$OUT/lib/liblaketop.a"
status=0
# every harness in tests/fuzz/ (fuzz_NAME.c, its seeds in corpus/NAME/)
for f in tests/fuzz/fuzz_*.c; do
    h=${f#tests/fuzz/fuzz_}
    h=${h%.c}
    clang $CFLAGS -o "$OUT/fuzz_$h" "tests/fuzz/fuzz_$h.c" "$LIB" $(pkg-config --libs ncursesw inih) $LIBS
    corpus="$OUT/corpus_$h"
    mkdir -p "$corpus"
    cp tests/fuzz/corpus/"$h"/* "$corpus"/ 2>/dev/null || true
    echo "fuzzing $h for $SECONDS_EACH s"
    if (cd "$OUT" && "./fuzz_$h" -max_total_time="$SECONDS_EACH" -max_len=65536 "corpus_$h" \
        >"fuzz_$h.log" 2>&1); then
        echo "ok - fuzz $h: $(grep -o 'Done [0-9]* runs' "$OUT/fuzz_$h.log" | tail -n 1)"
    else
        echo "not ok - fuzz $h: see $OUT/fuzz_$h.log"
        tail -n 30 "$OUT/fuzz_$h.log"
        status=1
    fi
done
exit $status

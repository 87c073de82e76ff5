#!/bin/sh
# bench.sh: `make bench`. Figures on a generated lake of 1,000 extra tables,
# 200,000 files and 365 days of history (kept in $BENCH_LAKE between runs):
# --once time and peak RSS, time to first frame from saved state, key to
# frame while the collector is busy, CPU used while idle. Prints figures;
# asserts nothing (timings are not tests).
set -u
cd "$(dirname "$0")/.."
LAKETOP=$(pwd)/build/laketop
LAKE=${BENCH_LAKE:-/tmp/laketop-bench-lake}
PY=/usr/bin/python3
command -v tmux >/dev/null || { echo "bench needs tmux (make test-deps)"; exit 1; }

if [ ! -d "$LAKE/catalog" ]; then
    echo "generating the bench lake in $LAKE (1,000 tables, 200,000 files, 365 days)..."
    $PY - "$LAKETOP" "$LAKE" <<'PYEOF'
import subprocess, sys, time
t = time.monotonic()
subprocess.run([sys.argv[1], "demo", sys.argv[2], "--days", "365",
                "--extra-tables", "1000", "--extra-files", "200000"], check=True)
print(f"  generated in {time.monotonic() - t:.1f} s")
PYEOF
fi
files=$(find "$LAKE" -type f | wc -l)
tables=$(find "$LAKE/catalog" -name '*.json' ! -name database.json | wc -l)
samples=$(($(wc -l <"$LAKE/.laketop/history.tsv") - 1))
echo "lake: $tables tables, $files files, $samples history samples"

echo "--once (json), 3 runs:"
$PY - "$LAKETOP" "$LAKE" <<'PYEOF'
import resource, subprocess, sys, time
for i in range(3):
    t = time.monotonic()
    subprocess.run([sys.argv[1], "--lake", sys.argv[2], "--once", "--format", "json"],
                   stdout=subprocess.DEVNULL, check=False)
    print(f"  run {i + 1}: {(time.monotonic() - t) * 1000:.0f} ms")
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"  peak RSS: {rss / 1024:.1f} MiB (target < 64 MiB)")
PYEOF

SOCK="laketop-bench-$$"
RUNS=0
LOG=$(mktemp /tmp/laketop-bench-XXXXXX.log)
tm() { tmux -L "$SOCK-$RUNS" "$@"; }
run_tui() { # run_tui INTERVAL: a fresh tmux server each time
    : >"$LOG"
    tm kill-server 2>/dev/null
    RUNS=$((RUNS + 1))
    tm -f /dev/null new-session -d -x 160 -y 48 \
        "LAKETOP_BENCH_LOG=$LOG LANG=C.UTF-8 $LAKETOP --lake $LAKE --interval $1; sleep 60"
}
wait_log() { # wait_log PATTERN (at most 60 s)
    tries=0
    while [ $tries -lt 600 ] && ! grep -q "$1" "$LOG"; do sleep 0.1; tries=$((tries + 1)); done
}

echo "time to first frame from saved state, 15 starts (target < 100 ms each):"
FRAMES=$(mktemp /tmp/laketop-bench-XXXXXX.frames)
for i in $(seq 1 15); do
    run_tui 3600
    wait_log first_frame_ms
    grep first_frame_ms "$LOG" | cut -d' ' -f2 >>"$FRAMES"
done
$PY - "$FRAMES" <<'PYEOF'
import sys
v = [int(l) for l in open(sys.argv[1]) if l.strip()]
s = sorted(v)
if s:
    print("  each start: " + " ".join(str(x) for x in v) + " ms")
    print(f"  min {s[0]} ms, median {s[len(s)//2]} ms, max {s[-1]} ms; "
          f"{sum(1 for x in s if x >= 100)} of {len(s)} at 100 ms or more")
PYEOF
rm -f "$FRAMES"

echo "key to frame while the collector is busy (--interval 1: always scanning):"
run_tui 1
wait_log first_frame_ms
sleep 2
for i in $(seq 1 40); do tm send-keys j; sleep 0.05; done
for i in $(seq 1 10); do tm send-keys Enter; sleep 0.1; tm send-keys Escape; sleep 0.1; done
$PY - "$LOG" <<'PYEOF'
import sys
v = sorted(int(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("key_to_frame_ms"))
if v:
    print(f"  {len(v)} keys: median {v[len(v)//2]} ms, p95 {v[int(len(v)*0.95)]} ms, "
          f"max {v[-1]} ms (target < 50 ms)")
PYEOF

echo "quit while the collector is busy:"
t0=$($PY -c 'import time; print(time.monotonic())')
tm send-keys q
tries=0
while pgrep -x laketop >/dev/null && [ $tries -lt 500 ]; do sleep 0.01; tries=$((tries + 1)); done
$PY -c "import time; print(f'  gone after {(time.monotonic() - $t0) * 1000:.0f} ms')"

echo "CPU while idle (interval 1 h, after the first refresh has ended), 10 s:"
run_tui 3600
wait_log first_refresh_ms
sleep 1
pid=$(pgrep -x laketop | head -n 1)
if [ -n "$pid" ]; then
    t0=$(awk '{print $14 + $15}' /proc/"$pid"/stat)
    sleep 10
    t1=$(awk '{print $14 + $15}' /proc/"$pid"/stat)
    echo "  $((t1 - t0)) clock ticks of CPU in 10 s ($(getconf CLK_TCK) ticks = 1 s; target 0-1)"
    echo "  dashboard peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' /proc/"$pid"/status) (target < 64 MiB)"
fi
tm kill-server 2>/dev/null
rm -f "$LOG"

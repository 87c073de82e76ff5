#!/bin/sh
# bench_scale.sh: the AWS source at scale (part of `make bench`, alone with
# `make bench-scale`): a synthetic lake of 10 million objects on the test
# endpoint (50 ms a request): a full refresh, the second refresh of the
# unchanged lake, a refresh after a new partition per table, inventory-based
# refreshes (and on a lake ten times smaller), and a 100-million-row S3
# Inventory report aggregated without Athena (written once, cached in
# /tmp). Requests, wall time, CPU and peak RSS of laketop for each; prints
# figures, asserts nothing. SCALE=0.1: everything ten times smaller;
# LATENCY_MS, BENCH_INV_CACHE, BENCH_SCALE_MD (the summary as Markdown).
# The work is tests/helpers/bench_scale.py.
set -u
cd "$(dirname "$0")/.."
[ -x build/laketop ] && [ -x build/bench/inventory_gen ] ||
    { echo "bench_scale: build first (make bench-scale)"; exit 1; }
exec /usr/bin/python3 tests/helpers/bench_scale.py "$(pwd)"

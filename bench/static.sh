#!/usr/bin/env bash
# Static files on loopback: 4 KiB and 1 MiB files (random bytes, the same for both servers), keep-alive, Pier and
# nginx from the same configuration template (bench/lib.sh: sendfile on, access_log off), the same worker count
# (1 and 2, reuseport on), alternating rounds, medians: requests/s and MB/s as a Markdown table
# (bench/results/static.md, static.csv, static-raw.csv). A thin wrapper: the work is bench/run.sh's `static` mode.
#
# usage: bench/static.sh [SECONDS_PER_RUN]     (default 3)
# Environment as bench/run.sh (BENCH_ROUNDS, BENCH_WARMUP, BENCH_WORKERS, BENCH_PIN, BENCH_KEEP ...).
set -euo pipefail
[ -z "${1:-}" ] || export BENCH_DURATION="$1"
exec "$(dirname "$0")/run.sh" static

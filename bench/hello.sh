#!/usr/bin/env bash
# Requests/s for `return 200` on loopback: keep-alive and a new connection per request, 1 and 2 workers, `reuseport`
# on and off, Pier and nginx alternating in one run, medians of 3 rounds, as a Markdown table
# (bench/results/hello.md, bench/results/hello.csv). A thin wrapper: the work is bench/run.sh's `hello` mode.
#
# usage: bench/hello.sh [SECONDS_PER_RUN]      (default 3)
set -euo pipefail
[ -z "${1:-}" ] || export BENCH_DURATION="$1"
exec "$(dirname "$0")/run.sh" hello

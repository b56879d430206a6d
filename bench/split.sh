#!/usr/bin/env bash
# How two workers split the connections of one shared listening socket (no reuseport), over several starts: the split
# can lean one way for a server's whole life, so one start (as in bench/run.sh distribution) says little. Each start
# runs Pier (or nginx) with 2 workers, warms it for 2 s, then runs ROUNDS wrk runs of 3 s with a new connection per
# request (bench/workers.lua counts the X-Worker header) and prints, per run, the share of the worker started first
# (the lower pid), then the spread over all runs. Output also goes to bench/results/split.md.
#
# usage: bench/split.sh [STARTS] [ROUNDS]          (default 3 starts of 3 runs)
# Environment: BENCH_SERVER (pier or nginx, default pier); BENCH_PIER_HOME (another Pier tree with target/pier.jar,
# for an A/B against an older build; default this one); BENCH_KEEP=1 keeps the temp prefixes. Every load is bounded
# by wrk -d; every process started here is killed on exit.
set -euo pipefail

home="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$home/bench/lib.sh"
BENCH_HOME="${BENCH_PIER_HOME:-$home}"
BENCH_NICE="${BENCH_NICE:-0}"

starts="${1:-3}"
rounds="${2:-3}"
server="${BENCH_SERVER:-pier}"

bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM

shares="$BENCH_WORK/shares"
: > "$shares"
for s in $(seq 1 "$starts"); do
    bench_start "$server" 2 off
    read -r first second _ <<< "$(bench_workers "$SRV_PID")"
    bench_wrk -t1 -c32 -d2s -s "$home/bench/workers.lua" "http://127.0.0.1:$SRV_PORT/who"
    for r in $(seq 1 "$rounds"); do
        bench_wrk -t1 -c32 -d3s -s "$home/bench/workers.lua" "http://127.0.0.1:$SRV_PORT/who"
        line="$(grep '^RESULT' "$BENCH_WORK/wrk.out" || true)"
        [ -n "$line" ] || { bench_log "start $s run $r: no result from wrk"; continue; }
        python3 - "$line" "$first" "$second" "$s" "$r" <<'PY' | tee -a "$shares"
import re, sys
line, first, second, start, run = sys.argv[1:]
counts = dict(p.split(":") for p in re.search(r"workers=(\S*)", line).group(1).split(","))
a, b = int(counts.get(first, 0)), int(counts.get(second, 0))
print(f"start {start} run {run}: first-started {a}, second {b}, first's share {a / max(a + b, 1):.3f}")
PY
    done
    bench_stop "$SRV_PID"
done

{
    echo "# Shared-socket split ($server, 2 workers, no reuseport), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Tree: $BENCH_HOME ($(git -C "$BENCH_HOME" rev-parse --short HEAD 2>/dev/null || echo '?'))."
    echo "Command: bench/split.sh $starts $rounds"
    echo
    sed 's/^/    /' "$shares"
    echo
    python3 - "$shares" <<'PY'
import sys
s = [float(l.rsplit(" ", 1)[1]) for l in open(sys.argv[1]) if l.strip()]
if s:
    out = sum(1 for x in s if not 0.45 <= x <= 0.55)
    print(f"{len(s)} runs: first-started worker's share {min(s):.3f}-{max(s):.3f}, "
          f"mean distance from 0.5 {sum(abs(x - 0.5) for x in s) / len(s):.3f}, {out} outside 45/55.")
PY
} > "$BENCH_WORK/split.md"
mkdir -p "$home/bench/results"
cp "$BENCH_WORK/split.md" "$home/bench/results/split.md"
tail -1 "$BENCH_WORK/split.md"

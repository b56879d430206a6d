#!/usr/bin/env bash
# What a server costs while it serves nothing: each process's CPU time and wake-ups per second, after a short load
# and a settling time, for nginx and Pier with 2 workers, `reuseport` off and on. Pier's tree is a master, its workers
# and a warm spare; nginx's a master and its workers. CPU is the sum over a process's threads of the run time the
# kernel accounts in /proc/PID/task/TID/schedstat (nanoseconds, not clock ticks), wake-ups the sum of their
# voluntary context switches (each sleep ends in one).
#
# usage: bench/idle.sh [IDLE_SECONDS] [SETTLE_SECONDS]   (default 20 and 30; about 4 x (SETTLE + IDLE + 8) s)
# BENCH_PIER_HOME=TREE measures another build (its `mvn package` done) in a third row per setting.
# Prints a Markdown table and writes it to bench/results/idle.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
idle="${1:-20}"
settle="${2:-30}"
home="$BENCH_HOME"
bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM

# run time (ns) and voluntary switches of every thread of $1, summed: "NS SWITCHES"
usage() {
    local ns=0 sw=0 t v
    for t in /proc/"$1"/task/*; do
        v=$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null) || continue
        ns=$((ns + v))
        v=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$t/status" 2>/dev/null) || continue
        sw=$((sw + ${v:-0}))
    done
    echo "$ns $sw"
}

# one row: $1 label, $2 server, $3 reuseport, $4 the tree to start Pier from
row() {
    local label="$1" server="$2" rp="$3" tree="$4" p procs=() n0=() s0=() i ns sw master="" workers=""
    BENCH_HOME="$tree" bench_start "$server" 2 "$rp"
    bench_wrk -t1 -c16 -d3s "http://127.0.0.1:$SRV_PORT/hello"
    sleep "$settle"
    procs=("$SRV_PID" $(bench_workers "$SRV_PID"))
    for i in "${!procs[@]}"; do read -r n0[i] s0[i] < <(usage "${procs[i]}"); done
    sleep "$idle"
    for i in "${!procs[@]}"; do
        read -r ns sw < <(usage "${procs[i]}")
        p=$(awk -v n=$((ns - n0[i])) -v s=$((sw - s0[i])) -v t="$idle" \
            'BEGIN { printf "%.2f ms/s, %.1f wake-ups/s", n / 1e6 / t, s / t }')
        if [ "$i" -eq 0 ]; then master="$p"; else workers="${workers:+$workers; }$p"; fi
    done
    echo "| $label | $rp | $master | $workers |"
    bench_stop "$SRV_PID"
    rm -rf "$SRV_PREFIX" # the next row of this server and setting starts in the same place
}

{
    echo "<!-- bench/idle.sh: date=$(date -u '+%Y-%m-%d %H:%M') UTC; idle=${idle}s settle=${settle}s; cpu=$(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1);" \
        "kernel=$(uname -r); pier=$(git -C "$home" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        "${BENCH_PIER_HOME:+other=$(git -C "$BENCH_PIER_HOME" rev-parse --short HEAD 2>/dev/null || echo unknown)} -->"
    echo
    echo "| server | reuseport | master (CPU, wake-ups) | each worker and spare (CPU, wake-ups) |"
    echo "|---|---|---|---|"
    for rp in off on; do
        row nginx nginx "$rp" "$home"
        row pier pier "$rp" "$home"
        if [ -n "${BENCH_PIER_HOME:-}" ]; then
            row "pier ($(git -C "$BENCH_PIER_HOME" rev-parse --short HEAD 2>/dev/null || echo other))" pier "$rp" \
                "$BENCH_PIER_HOME"
        fi
    done
} | tee "$home/bench/results/idle.md"

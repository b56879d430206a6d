#!/usr/bin/env bash
# Pier against nginx as a reverse proxy on loopback: both in front of the same backend (nginx itself, `return 200` on
# another port, one worker), with keep-alive to the backend (`upstream { keepalive 64; }`, HTTP/1.1, no
# Connection: close) and the same worker count, measured with wrk (keep-alive clients, one thread), runs alternating
# between the two proxies, medians of the rounds: requests/s and p99 latency, printed as a Markdown table
# (also written to bench/results/proxy.md and proxy-raw.csv).
#
# usage: bench/proxy.sh [SECONDS_PER_RUN]        (default 5)
# Environment: BENCH_ROUNDS (3), BENCH_WARMUP (s per proxy before the rounds, 5), BENCH_WORKERS (proxy workers,
# "1"), BENCH_CONNS (wrk connections, 64), BENCH_KEEP=1 (keep the temp prefixes). Every load is bounded by wrk -d;
# every process started here is killed on exit.
set -euo pipefail

home="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$home/bench/lib.sh"

dur="${1:-5}"
rounds="${BENCH_ROUNDS:-3}"
warm="${BENCH_WARMUP:-5}"
workers_list="${BENCH_WORKERS:-1}"
conns="${BENCH_CONNS:-64}"

bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM

# The backend (nginx answering every request itself) and both proxies' configuration come from bench/lib.sh: the
# suite's template, whose /proxy/ location passes to that backend once it runs (no reuseport here).
bench_backend_start

# wrk's Requests/sec and its 99% latency in ms, from $BENCH_WORK/wrk.out.
wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$BENCH_WORK/wrk.out"; }
wrk_p99() {
    awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                       f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.2f", v * f }' "$BENCH_WORK/wrk.out"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

raw="$BENCH_WORK/raw.csv"
echo "server,workers,round,rps,p99_ms" > "$raw"
for w in $workers_list; do
    declare -A pid=() port=()
    for s in pier nginx; do
        bench_start "$s" "$w" off
        pid[$s]="$SRV_PID"; port[$s]="$SRV_PORT"
        bench_log "$s ($w worker(s)) on port ${port[$s]}: warming up ${warm}s"
        bench_wrk -t1 -c"$conns" -d"${warm}s" "http://127.0.0.1:${port[$s]}/proxy/"
    done
    for r in $(seq 1 "$rounds"); do
        order="pier nginx"
        [ $((r % 2)) = 0 ] && order="nginx pier"
        for s in $order; do
            bench_wrk -t1 -c"$conns" -d"${dur}s" --latency "http://127.0.0.1:${port[$s]}/proxy/"
            rps="$(wrk_rps)"; p99="$(wrk_p99)"
            if grep -q "Non-2xx\|Socket errors" "$BENCH_WORK/wrk.out"; then
                bench_log "$s round $r: errors: $(grep 'Non-2xx\|Socket errors' "$BENCH_WORK/wrk.out" | tr '\n' ' ')"
            fi
            bench_log "$s w$w round $r: $rps req/s, p99 $p99 ms"
            echo "$s,$w,$r,$rps,$p99" >> "$raw"
        done
    done
    for s in pier nginx; do bench_stop "${pid[$s]}"; done
done

out="$home/bench/results/proxy.md"
mkdir -p "$home/bench/results"
cp "$raw" "$home/bench/results/proxy-raw.csv"
{
    echo "Reverse proxy to a local nginx \`return 200\` backend, upstream keepalive 64, wrk -t1 -c$conns, ${dur}s runs,"
    echo "median of $rounds alternating rounds ($(date -u +%Y-%m-%d), $(nproc) CPUs)."
    echo
    echo "| proxy | workers | requests/s | p99 ms |"
    echo "|---|---|---|---|"
    for w in $workers_list; do
        for s in pier nginx; do
            rps="$(awk -F, -v s="$s" -v w="$w" '$1 == s && $2 == w { print $4 }' "$raw" | median)"
            p99="$(awk -F, -v s="$s" -v w="$w" '$1 == s && $2 == w { print $5 }' "$raw" | median)"
            echo "| $s | $w | $rps | $p99 |"
        done
    done
} > "$out"
cat "$out"

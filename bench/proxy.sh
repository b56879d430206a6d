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

# The backend: nginx answering every request itself (bench/lib.sh).
bench_backend_start
backend_port="$BENCH_BACKEND_PORT"

# $1 server (pier|nginx), $2 workers, $3 port: the proxy configuration, identical for both (access_log off).
proxy_conf() {
    local extra=$'\n    access_log off;'
    cat <<CONF
worker_processes $2;
master_process on;
daemon off;
pid logs/$1.pid;
error_log logs/error.log notice;
events { worker_connections 4096; }
http {
    keepalive_timeout 65s;
    keepalive_requests 1000000;$extra
    upstream backend {
        server 127.0.0.1:$backend_port;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$3;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
}

# Starts a proxy and waits until it answers through the backend. Sets PX_PID and PX_PORT. $1 server, $2 workers.
proxy_start() {
    local prefix="$BENCH_WORK/$1-w$2" i
    PX_PORT="$(free_port)"
    mkdir -p "$prefix/conf" "$prefix/logs"
    proxy_conf "$1" "$2" "$PX_PORT" > "$prefix/conf/$1.conf"
    if [ "$1" = pier ]; then
        nice -n "$BENCH_NICE" "$BENCH_HOME/bin/pier" -p "$prefix" -c conf/pier.conf >"$prefix/logs/out" 2>&1 &
    else
        nice -n "$BENCH_NICE" "$NGINX_BIN" -p "$prefix" -c conf/nginx.conf -e logs/error.log >"$prefix/logs/out" 2>&1 &
    fi
    PX_PID=$!
    bench_track "$PX_PID"
    for i in $(seq 1 400); do
        kill -0 "$PX_PID" 2>/dev/null || { bench_log "$1 failed:"; cat "$prefix/logs/out" "$prefix/logs/error.log" >&2; return 1; }
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PX_PORT/" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    bench_log "$1 did not answer through the backend"
    return 1
}

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
        proxy_start "$s" "$w"
        pid[$s]="$PX_PID"; port[$s]="$PX_PORT"
        bench_log "$s ($w worker(s)) on port ${port[$s]}: warming up ${warm}s"
        bench_wrk -t1 -c"$conns" -d"${warm}s" "http://127.0.0.1:${port[$s]}/"
    done
    for r in $(seq 1 "$rounds"); do
        order="pier nginx"
        [ $((r % 2)) = 0 ] && order="nginx pier"
        for s in $order; do
            bench_wrk -t1 -c"$conns" -d"${dur}s" --latency "http://127.0.0.1:${port[$s]}/"
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

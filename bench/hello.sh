#!/usr/bin/env bash
# Requests/s for `return 200` on loopback: keep-alive and a new connection per request, 1 and 2 workers,
# `reuseport` on and off, Pier and nginx side by side in one run. Every load is bounded (wrk -d) and local.
#
# usage: bench/hello.sh [SECONDS_PER_RUN]      (default 5; prints a Markdown table)
set -euo pipefail

dur="${1:-5}"
home="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* | head -1)}"

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[ -f "$home/target/pier.jar" ] || (cd "$home" && mvn -B -q -DskipTests package)

work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { # $1 port, $2 pid
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

conf() { # $1 workers, $2 port, $3 reuseport(on|off), $4 server (pier|nginx)
    local rp=""; [ "$3" = on ] && rp=" reuseport"
    cat <<CONF
worker_processes $1;
daemon off;
master_process on;
pid logs/$4.pid;
error_log logs/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$2$rp;
        location = /hello { return 200 "hello\n"; }
    }
}
CONF
}

run_one() { # $1 server, $2 workers, $3 reuseport, $4 mode(keepalive|close) -> prints req/s
    local server="$1" w="$2" rp="$3" mode="$4" port prefix pid
    port="$(free_port)"
    prefix="$work/$server-$w-$rp-$mode"
    mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/html"
    conf "$w" "$port" "$rp" "$server" > "$prefix/conf/$server.conf"
    if [ "$server" = pier ]; then
        # `access_log` arrives with the http issue; drop it until then
        sed -i '/access_log/d' "$prefix/conf/pier.conf"
        "$home/bin/pier" -p "$prefix" -c conf/pier.conf >"$prefix/logs/out" 2>&1 &
    else
        "$nginx_bin" -p "$prefix" -c conf/nginx.conf -e logs/error.log >"$prefix/logs/out" 2>&1 &
    fi
    pid=$!
    pids+=("$pid")
    if ! wait_port "$port" "$pid"; then echo "n/a"; return; fi
    local hdr=()
    [ "$mode" = close ] && hdr=(-H "Connection: close")
    wrk -t1 -c16 -d1s "${hdr[@]}" "http://127.0.0.1:$port/hello" >/dev/null 2>&1 || true   # warm-up
    wrk -t2 -c64 -d"${dur}s" "${hdr[@]}" "http://127.0.0.1:$port/hello" 2>/dev/null \
        | awk '/Requests\/sec/ { printf "%.0f", $2 }'
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

echo "# bench/hello.sh — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)"
echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $("$nginx_bin" -v 2>&1); wrk -t2 -c64 -d${dur}s"
echo
echo "| workers | reuseport | connection | pier req/s | nginx req/s | pier/nginx |"
echo "|---|---|---|---|---|---|"
for w in 1 2; do
    for rp in on off; do
        for mode in keepalive close; do
            n="$(run_one nginx "$w" "$rp" "$mode")"
            p="$(run_one pier "$w" "$rp" "$mode")"
            ratio="$(awk -v p="$p" -v n="$n" 'BEGIN { if (n > 0 && p > 0) printf "%.2f", p / n; else print "n/a" }')"
            echo "| $w | $rp | $mode | $p | $n | $ratio |"
        done
    done
done

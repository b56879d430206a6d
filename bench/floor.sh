#!/usr/bin/env bash
# The floor under Pier: CPU per request of nginx, Pier and a bare Netty server (bench/java/NettyFloor.java: one epoll
# event loop, one handler, no HTTP parsing, fixed response bytes) under the same wrk load, one worker each,
# alternated round by round. Prints, per run, requests/s, wrk's p50 and p99 latency, and the serving process's user
# and system CPU µs per request (from /proc, all its threads). Pier minus the floor is what Pier's own code costs; the floor minus nginx is
# what the JVM and Netty cost before any of it.
#
# usage: bench/floor.sh [ROUNDS]   (default 3; 5 s of `wrk -t1 -c64` per run)
# BENCH_FLOOR_CLOSE=1 sends `Connection: close` (a new connection per request) instead of keep-alive.
# BENCH_FLOOR_SPIN_NS=N adds a fourth server, `spin`: the bare Netty server busy-waiting N ns before each response
# (what N ns more work per request does to latency, whatever the work is).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds="${1:-3}"
bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM
header=()
[ "${BENCH_FLOOR_CLOSE:-0}" = 1 ] && header=(-H "Connection: close")

declare -A port worker
bench_start nginx 1 off; port[nginx]=$SRV_PORT; worker[nginx]=$(pgrep -P "$SRV_PID" | head -1)
bench_start pier 1 off; port[pier]=$SRV_PORT; worker[pier]=$(pgrep -P "$SRV_PID" | head -1)

cp="$BENCH_HOME/target/pier.jar:$(ls "$BENCH_HOME"/target/lib/*.jar | tr '\n' ':')"
floor_start() { # $1 name, $2 ns to spin per response
    nice -n "$BENCH_NICE" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms16m -Xmx256m -Xss512k -XX:-UsePerfData \
        --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.leakDetection.level=disabled -Dfloor.spinNanos="$2" \
        -cp "$cp" "$BENCH_HOME/bench/java/NettyFloor.java" "$BENCH_WORK/$1.port" > "$BENCH_WORK/$1.out" 2>&1 &
    worker[$1]=$!
    bench_track "${worker[$1]}"
    for i in $(seq 1 200); do [ -s "$BENCH_WORK/$1.port" ] && break; sleep 0.1; done
    port[$1]=$(cat "$BENCH_WORK/$1.port")
}
floor_start floor 0
servers=(nginx pier floor)
if [ "${BENCH_FLOOR_SPIN_NS:-0}" -gt 0 ]; then
    floor_start spin "$BENCH_FLOOR_SPIN_NS"
    servers+=(spin)
fi

ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'; }
for s in "${servers[@]}"; do # warm-up (the JIT of both JVMs)
    bench_wrk -t1 -c64 -d4s "${header[@]}" "http://127.0.0.1:${port[$s]}/hello"
done
bench_log "machine: $(nproc) cores, $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $("$NGINX_BIN" -v 2>&1)"
for r in $(seq 1 "$rounds"); do
    for s in "${servers[@]}"; do
        read -r u0 s0 < <(ticks "${worker[$s]}")
        bench_wrk -t1 -c64 -d5s --latency "${header[@]}" "http://127.0.0.1:${port[$s]}/hello"
        read -r u1 s1 < <(ticks "${worker[$s]}")
        awk -v name="$s" -v r="$r" -v u=$((u1 - u0)) -v sy=$((s1 - s0)) -v k="$(getconf CLK_TCK)" '
            function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v * 1000 }
            /requests in/ { n = $1 } /^Requests\/sec/ { rps = $2 }
            $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
            END { printf "%-6s round %d  %8.0f req/s  p50 %5.2f ms  p99 %5.2f ms  user %6.2f µs  system %6.2f µs per request\n",
                  name, r, rps, p50, p99, u * 1e6 / k / n, sy * 1e6 / k / n }' "$BENCH_WORK/wrk.out"
    done
done

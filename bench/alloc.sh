#!/usr/bin/env bash
# Heap allocated per request by a Pier worker: the worker's young collections during a run times its eden size,
# divided by the requests wrk counted. One worker, `wrk -t1 -c64`, a warm-up and then ROUNDS runs of 5 s; each
# prints collections per 100k requests and bytes per request. The serial collector's young collection runs when eden
# is full, so this counts every byte the worker allocated, within one eden per run: repeatable to about 1% where
# requests/s and CPU time per request move by 10% with the machine. Builds compare by giving their trees in turn.
#
# usage: bench/alloc.sh [PATH] [ROUNDS]   (default /hello and 3; /proxy/ is the reverse proxy to a local nginx)
# BENCH_PIER_HOME=TREE measures another build (its `mvn package` done); WRK_HEADER="Connection: close" adds a header.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path="${1:-/hello}"
rounds="${2:-3}"
bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM
header=()
[ -n "${WRK_HEADER:-}" ] && header=(-H "$WRK_HEADER")
[ "$path" = /proxy/ ] && bench_backend_start
# one log per JVM (%p): a worker's spare starts with the same options, and a second JVM opening the same file would
# rotate the first one's log away
export PIER_WORKER_OPTS="${PIER_WORKER_OPTS:-} -Xlog:gc*=debug:file=$BENCH_WORK/gc-%p.log"
BENCH_HOME="${BENCH_PIER_HOME:-$BENCH_HOME}" bench_start pier 1 off
url="http://127.0.0.1:$SRV_PORT$path"
bench_wrk -t1 -c64 -d5s "${header[@]}" "$url" # warm-up: the JIT, and the connections' first use
bench_wrk -t1 -c64 -d3s "${header[@]}" "$url" # again on new connections: their close was profiled too
gclog="$(ls -S "$BENCH_WORK"/gc-*.log | head -1)" # the serving worker's: it has collected the most by now
# one line per collection: its end, tagged [gc] alone ([gc,start] logs the same name when it begins)
young() { grep -cE '\[gc +\] GC\([0-9]+\) Pause Young' "$gclog" || true; }
before=$(young)
for r in $(seq 1 "$rounds"); do
    bench_wrk -t1 -c64 -d5s "${header[@]}" "$url"
    after=$(young)
    eden=$(grep -o 'eden space [0-9]*K' "$gclog" | tail -1 | grep -o '[0-9]*')
    requests=$(awk '/requests in/ { print $1 }' "$BENCH_WORK/wrk.out")
    awk -v r="$r" -v g=$((after - before)) -v e="$eden" -v n="$requests" -v p="$path" 'BEGIN {
        printf "round %d %s: %d young collections for %d requests: %.1f per 100k, %.0f bytes per request (eden %d KiB)\n",
            r, p, g, n, g * 100000 / n, g * e * 1024 / n, e }'
    before=$after
done
bench_stop "$SRV_PID"

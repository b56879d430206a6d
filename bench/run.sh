#!/usr/bin/env bash
# Pier against nginx on loopback, from one configuration template (bench/lib.sh, bench_conf), with wrk.
#
# usage: bench/run.sh [full|quick|hello|static|everyday|profile] [SCENARIO...]
#
#   full     (default) every scenario below with 1 and 2 workers, `reuseport` on and off, 3 alternating rounds,
#            then the distribution and stalled-worker runs; about 9.5 minutes
#   quick    2 workers with reuseport only, 1 round of 2 s, no distribution runs; about 1 minute (a smoke test:
#            Pier's JIT is still cold, so its numbers are lower than in the full run)
#   hello    what bench/hello.sh prints: return-200 keep-alive and Connection: close, 1 and 2 workers, reuseport
#            on and off, as a Markdown table
#   static   what bench/static.sh prints: 4 KiB and 1 MiB static files, keep-alive, 1 and 2 workers, reuseport on,
#            requests/s and MB/s
#   everyday what the full run leaves out and servers meet every day: return 200 with the access log on (nginx's
#            combined format, unbuffered), requests for a file that is not there (404, logged at [error]), a
#            7.2 KB HTML page with gzip on, and a single-page application's route (try_files $uri $uri/
#            /app/index.html), keep-alive, 1 and 2 workers, reuseport on; about 3.5 minutes
#   profile  Pier only, 2 workers: a 10 s JFR recording of every worker under return-200 keep-alive load, summarised
#   SCENARIO one or more of: hello-ka hello-close static-4k static-1m proxy hello-log missing gzip try-files
#            distribution (replaces the mode's list);
#            proxy: both servers as reverse proxies (/proxy/) to one local nginx backend, keep-alive upstream
#
# Environment: BENCH_DURATION (s per measured run), BENCH_WARMUP (s per scenario in Pier's first warm-up pass; its
# second pass and nginx's one pass take half, but Connection: close at least 2 s in Pier's last), BENCH_ROUNDS,
# BENCH_WORKERS ("1 2"), BENCH_REUSEPORT ("on off"), BENCH_PIN=split (server on CPU 0, wrk on CPU 1; default: no
# pinning, see docs/BENCHMARKS.md), BENCH_KEEP=1 (keep the temp prefixes). Results: bench/results/RUN/ (raw CSV, wrk
# outputs, report.md) and bench/results/NAME.csv (medians), NAME-raw.csv (every run), NAME.md for the latest run of
# each mode (NAME: latest for full, else the mode; MODE-partial, not kept by git, when scenarios, BENCH_WORKERS or
# BENCH_REUSEPORT narrowed the run).
set -euo pipefail

home="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$home/bench/lib.sh"

mode=full
scenarios=()
for a in "$@"; do
    case "$a" in
        full|quick|hello|static|everyday|profile) mode="$a" ;;
        hello-ka|hello-close|static-4k|static-1m|proxy|hello-log|missing|gzip|try-files|distribution)
            scenarios+=("$a") ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown mode or scenario '$a' (try --help)" >&2; exit 2 ;;
    esac
done

case "$mode" in
    full)    dflt=(hello-ka hello-close static-4k static-1m proxy distribution); dur=3; warm=2; rounds=3; wk="1 2" ;;
    quick)   dflt=(hello-ka hello-close static-4k static-1m); dur=2; warm=2; rounds=1; wk="2"; rpl="on" ;;
    hello)   dflt=(hello-ka hello-close); dur=3; warm=2; rounds=3; wk="1 2" ;;
    static)  dflt=(static-4k static-1m); dur=3; warm=2; rounds=3; wk="1 2"; rpl="on" ;;
    everyday) dflt=(hello-log missing gzip try-files); dur=3; warm=2; rounds=3; wk="1 2"; rpl="on" ;;
    profile) dflt=(hello-ka); dur=15; warm=5; rounds=1; wk="2" ;;
esac
# a run of only some scenarios, worker counts or socket modes is "partial": it must not replace the mode's latest
# results (bench/results/latest* are what docs/BENCHMARKS.md quotes)
partial=0
if [ "${#scenarios[@]}" -gt 0 ] || [ -n "${BENCH_WORKERS:-}${BENCH_REUSEPORT:-}" ]; then partial=1; fi
[ "${#scenarios[@]}" -gt 0 ] || scenarios=("${dflt[@]}")
dur="${BENCH_DURATION:-$dur}"
warm="${BENCH_WARMUP:-$warm}"
rounds="${BENCH_ROUNDS:-$rounds}"
workers_list="${BENCH_WORKERS:-$wk}"
reuseport_list="${BENCH_REUSEPORT:-${rpl:-on off}}"
if [ "${BENCH_PIN:-none}" = split ]; then
    export BENCH_SERVER_CPUS=0 BENCH_WRK_CPUS=1
fi

# Scenario -> URL path, wrk connections, extra wrk arguments. One wrk thread: with two cores, one load thread plus
# the server's workers is the least oversubscribed shape (docs/BENCHMARKS.md, "Method").
declare -A path=([hello-ka]=/hello [hello-close]=/hello [static-4k]=/4k.bin [static-1m]=/1m.bin [proxy]=/proxy/
                 [hello-log]=/logged [missing]=/missing.html [gzip]=/gz/page.html [try-files]=/app/some/route)
declare -A conns=([hello-ka]=64 [hello-close]=32 [static-4k]=64 [static-1m]=16 [proxy]=64 [hello-log]=64
                  [missing]=64 [gzip]=64 [try-files]=64)
declare -A extra=([hello-ka]="" [hello-close]="Connection: close" [static-4k]="" [static-1m]="" [proxy]=""
                  [hello-log]="" [missing]="" [gzip]="Accept-Encoding: gzip" [try-files]="")

bench_prepare
bench_workdir
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_id="$(date -u +%Y%m%dT%H%M%SZ)-$mode"
out="$home/bench/results/$run_id"
mkdir -p "$out"
raw="$out/raw.csv"
echo "round,server,workers,reuseport,scenario,requests,seconds,bytes,errors,p50_us,p99_us,max_us,server_cpu_s,wrk_cpu_s,other_cpu_s,rss_mib,jit_cpu_s,conns" > "$raw"
dist="$out/distribution.csv"
echo "server,reuseport,phase,requests,seconds,errors,p50_us,p99_us,max_us,stopped_pid,shares" > "$dist"

# The commit measured, "-dirty" when files that make Pier or the suite differ from it: the results this suite
# writes under bench/results/ (some of them tracked) do not count, or every run after the first would be dirty.
pier_commit() {
    local c
    c=$(git -C "$home" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
    git -C "$home" diff --quiet HEAD -- . ':(exclude)bench/results' 2>/dev/null || c="$c-dirty"
    echo "$c"
}

{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "mode=$mode scenarios=${scenarios[*]} duration=${dur}s warmup=${warm}s rounds=$rounds workers=$workers_list reuseport=$reuseport_list pin=${BENCH_PIN:-none}"
    echo "cpu=$(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
    echo "kernel=$(uname -r)"
    echo "jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    echo "nginx=$("$NGINX_BIN" -v 2>&1)"
    echo "wrk=$(wrk -v 2>&1 | head -1)"
    echo "pier=$(pier_commit)"
} > "$out/machine.txt"

# One measured wrk run. $1 round, $2 server, $3 master pid, $4 port, $5 workers, $6 reuseport, $7 scenario.
measure() {
    local round="$1" server="$2" pid="$3" port="$4" w="$5" rp="$6" sc="$7"
    local hdr=() c0 c1 b0 b1 k0 k1 j0 j1 line
    [ -n "${extra[$sc]}" ] && hdr=(-H "${extra[$sc]}")
    c0="$(bench_cpu "$pid")"; b0="$(bench_busy)"; k0="$(backend_cpu)"; j0="$(bench_jit_cpu "$pid")"
    # how a keep-alive run's connections fell on the workers, read halfway through: with two workers on two cores
    # it moves the rate as much as either server's code does (docs/BENCHMARKS.md, "Method")
    local sampler="" split=""
    rm -f "$BENCH_WORK/split"
    if [ "$w" -gt 1 ] && [ "${extra[$sc]}" != "Connection: close" ]; then
        (sleep "$(awk -v d="$dur" 'BEGIN { print d / 2 }')"
         bench_conn_split "$pid" "$port" "$w" > "$BENCH_WORK/split") &
        sampler=$!
        bench_track "$sampler"
    fi
    bench_wrk -t1 -c"${conns[$sc]}" -d"${dur}s" --timeout 10s --latency "${hdr[@]}" -s "$home/bench/report.lua" \
        "http://127.0.0.1:$port${path[$sc]}"
    c1="$(bench_cpu "$pid")"; b1="$(bench_busy)"; k1="$(backend_cpu)"; j1="$(bench_jit_cpu "$pid")"
    if [ -n "$sampler" ]; then wait "$sampler" 2>/dev/null || true; split="$(cat "$BENCH_WORK/split" 2>/dev/null)"; fi
    cp "$BENCH_WORK/wrk.out" "$out/wrk-$server-w$w-rp$rp-$sc-r$round.txt"
    line="$(grep '^RESULT' "$BENCH_WORK/wrk.out" || true)"
    if [ -z "$line" ]; then bench_log "no result from wrk ($server $sc)"; return 0; fi
    python3 - "$line" "$round" "$server" "$w" "$rp" "$sc" "$c0" "$c1" "$(cat "$BENCH_WORK/wrk.cpu")" "$b0" "$b1" \
        "$(bench_worker_rss "$pid")" "$k0" "$k1" "$j0" "$j1" "$split" >> "$raw" <<'PY'
import re, sys
line, rnd, server, w, rp, sc, c0, c1, wcpu, b0, b1, rss, k0, k1, j0, j1, split = sys.argv[1:]
d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
# wrk counts every status above 399 as an error: the 404s are the point of "missing"
errors = d["connect"] + d["read"] + d["write"] + (0 if sc == "missing" else d["status"]) + d["timeout"]
scpu = float(c1) - float(c0)
# the proxy scenario's backend is part of the run, not outside load
other = max(0.0, float(b1) - float(b0) - scpu - float(wcpu) - (float(k1) - float(k0)))
print(f"{rnd},{server},{w},{rp},{sc},{d['requests']},{d['duration_us'] / 1e6:.3f},{d['bytes']},{errors},"
      f"{d['p50']},{d['p99']},{d['max']},{scpu:.2f},{float(wcpu):.2f},{other:.2f},{rss},"
      f"{float(j1) - float(j0):.2f},{split}")
PY
    bench_log "$(tail -1 "$raw")"
}

# CPU seconds of the proxy scenario's backend so far (0 without one).
backend_cpu() {
    if [ -n "${BENCH_BACKEND_PID:-}" ]; then bench_cpu "$BENCH_BACKEND_PID"; else echo 0; fi
}

# Warm a server on every scenario, unmeasured. Pier gets two passes: the JVM compiles the hot paths in the first
# seconds, and the first new connections after that throw parts of the compiled read path back to slower code
# until it is compiled again (docs/PERFORMANCE.md, sixteenth part); the second, shorter pass takes that hit instead of
# round 1. nginx, with no JIT, needs only its pages and caches touched: one short pass. Two things of the steady state
# the measured rounds would otherwise see start (docs/PERFORMANCE.md, twenty-seventh part):
# - every pass ends with Connection: close when that is one of the scenarios, for at least 2 s in Pier's last pass: a
#   new connection's path (accept, registration, close) runs in nothing else, and while the compiler's queue is long
#   in the first pass its compilation waits; at the end of the warm-up the queue is short and the path is compiled
#   then, not in round 1;
# - the proxy is warmed with twice its measured connections, so every worker's upstream pool starts full (the
#   connections a stopping wrk leaves mid-request are closed at the end of every proxy run all the same).
warm_up() { # $1 server, $2 port
    local sc hdr d c pass last order=() passes=("$((warm > 1 ? warm / 2 : 1))")
    [ "$1" = pier ] && passes=("$warm" "$((warm > 1 ? warm / 2 : 1))")
    for sc in "${perf[@]}"; do if [ "$sc" != hello-close ]; then order+=("$sc"); fi; done
    for sc in "${perf[@]}"; do if [ "$sc" = hello-close ]; then order+=("$sc"); fi; done
    last=$((${#passes[@]} - 1))
    for pass in "${!passes[@]}"; do
        for sc in "${order[@]}"; do
            hdr=(); [ -n "${extra[$sc]}" ] && hdr=(-H "${extra[$sc]}")
            d="${passes[$pass]}"; c="${conns[$sc]}"
            # the proxy's own code (backend codec, relays) is warmed by nothing else: a longer warm-up
            if [ "$sc" = proxy ]; then d=$((d * 2 + 1)); c=$((c * 2)); fi
            if [ "$1" = pier ] && [ "$pass" = "$last" ] && [ "$sc" = hello-close ] && [ "$d" -lt 2 ]; then d=2; fi
            bench_wrk -t1 -c"$c" -d"${d}s" "${hdr[@]}" "http://127.0.0.1:$2${path[$sc]}"
        done
    done
}

# /who (`add_header X-Worker $pid`) is served only by the distribution runs: 2 s of it on fresh connections first,
# for both servers, so that those runs measure the split and not the JIT compiling that path.
warm_who() { # $1 port
    bench_wrk -t1 -c32 -d2s -H "Connection: close" "http://127.0.0.1:$1/who"
}

# Share of requests per worker (X-Worker: $pid) on fresh connections, then the same with one worker stopped for 2 s.
distribution() { # $1 server, $2 master pid, $3 port, $4 reuseport
    local server="$1" pid="$2" port="$3" rp="$4" phase victim line
    for phase in steady stalled; do
        victim=""
        local d="$dur"
        [ "$phase" = stalled ] && { d=6; victim="$(bench_workers "$pid" | awk '{ print $1 }')"; }
        bench_wrk -t1 -c32 -d"${d}s" --timeout 10s --latency -s "$home/bench/workers.lua" \
            "http://127.0.0.1:$port/who" &
        local job=$!
        if [ -n "$victim" ]; then
            sleep 2; kill -STOP "$victim"; sleep 2; kill -CONT "$victim"
        fi
        wait "$job" || true
        cp "$BENCH_WORK/wrk.out" "$out/wrk-$server-w2-rp$rp-$phase.txt"
        line="$(grep '^RESULT' "$BENCH_WORK/wrk.out" || true)"
        [ -n "$line" ] || { bench_log "no result from wrk ($server $phase)"; continue; }
        python3 - "$line" "$server" "$rp" "$phase" "${victim:-}" >> "$dist" <<'PY'
import re, sys
line, server, rp, phase, victim = sys.argv[1:]
d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
errors = d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]
shares = re.search(r"workers=(\S*)", line).group(1).replace(",", ";")
print(f"{server},{rp},{phase},{d['requests']},{d['duration_us'] / 1e6:.3f},{errors},{d['p50']},{d['p99']},"
      f"{d['max']},{victim},{shares}")
PY
        bench_log "$(tail -1 "$dist")"
    done
}

profile() {
    bench_log "profile: Pier, 2 workers, reuseport, return 200 keep-alive; JFR 10 s on every worker"
    # started as root, workers run as nobody (nginx's default user) and could not write the recording JFR opened
    # for them at start: as root they keep the rights they had
    [ "$(id -u)" = 0 ] && export BENCH_CONF_MAIN="user root;"
    # without the AOT cache: a recording of a JVM started from it names methods wrongly (JDK 25.0.3's jfr print and
    # view abort in PrettyWriter.formatMethod); the cache has no profiles, so the steady state is the same
    PIER_WORKER_OPTS="-XX:AOTMode=off -XX:StartFlightRecording=delay=$((warm + 2))s,duration=10s,settings=profile,filename=$out/worker-%p.jfr" \
        bench_start pier 2 on
    bench_wrk -t1 -c64 -d"$((warm + 14))s" --latency "http://127.0.0.1:$SRV_PORT/hello"
    cp "$BENCH_WORK/wrk.out" "$out/wrk-profile.txt"
    sleep 1
    local f
    for f in "$out"/worker-*.jfr; do
        [ -f "$f" ] || { bench_log "no JFR file was written"; return 1; }
        echo "== $f"
        {
            for view in hot-methods allocation-by-class gc-pauses; do
                "$JAVA_HOME/bin/jfr" view --width 180 "$view" "$f" 2>&1 | head -40
            done
            # allocation by site with three frames of each site's stack (jfr view shows one)
            "$JAVA_HOME/bin/jfr" print --json --stack-depth 8 --events jdk.ObjectAllocationSample "$f" \
                | python3 "$home/bench/jfr-sites.py" 3 30
        } | tee "${f%.jfr}.txt"
    done
    bench_stop "$SRV_PID"
}

if [ "$mode" = profile ]; then
    profile
    exit 0
fi

perf=()
do_dist=0
for sc in "${scenarios[@]}"; do
    if [ "$sc" = distribution ]; then do_dist=1; else perf+=("$sc"); fi
done

for sc in "${perf[@]}"; do
    [ "$sc" = proxy ] && bench_backend_start
done

bench_log "run $run_id: ${scenarios[*]}; workers $workers_list; reuseport $reuseport_list; $rounds x ${dur}s"
for w in $workers_list; do
    for rp in $reuseport_list; do
        [ "${#perf[@]}" -gt 0 ] || [ "$w" = 2 ] || continue
        bench_start nginx "$w" "$rp"; npid="$SRV_PID"; nport="$SRV_PORT"
        bench_start pier "$w" "$rp"; ppid_="$SRV_PID"; pport="$SRV_PORT"
        bench_log "workers=$w reuseport=$rp: nginx pid $npid port $nport, pier pid $ppid_ port $pport"
        if [ "${#perf[@]}" -gt 0 ]; then
            warm_up nginx "$nport"
            warm_up pier "$pport"
            for r in $(seq 1 "$rounds"); do
                for sc in "${perf[@]}"; do
                    measure "$r" nginx "$npid" "$nport" "$w" "$rp" "$sc"
                    measure "$r" pier "$ppid_" "$pport" "$w" "$rp" "$sc"
                done
            done
        fi
        if [ "$do_dist" = 1 ] && [ "$w" = 2 ]; then
            warm_who "$nport"
            warm_who "$pport"
            distribution nginx "$npid" "$nport" "$rp"
            distribution pier "$ppid_" "$pport" "$rp"
        fi
        bench_stop "$npid"
        bench_stop "$ppid_"
    done
done

name="$mode"; [ "$mode" = full ] && name=latest
[ "$partial" = 1 ] && name="$mode-partial"
python3 "$home/bench/summarize.py" "$out" "$mode" | tee "$out/report.md"
cp "$out/report.md" "$home/bench/results/$name.md"
[ -f "$out/summary.csv" ] && cp "$out/summary.csv" "$home/bench/results/$name.csv"
cp "$raw" "$home/bench/results/$name-raw.csv"
[ "$do_dist" = 1 ] && cp "$dist" "$home/bench/results/$name-distribution.csv"
bench_log "done: $out"

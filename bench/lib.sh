# Shared helpers for bench/run.sh (sourced, not run). Everything here talks to loopback only, every load is bounded by
# wrk's -d, and every process started through these helpers is recorded in $BENCH_WORK/pids so that bench_cleanup
# (installed as the EXIT/INT/TERM trap by run.sh) kills it by pid, together with its children.

BENCH_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
NGINX_BIN=""

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Installs wrk, nginx, python3, ss (iproute2), curl and pgrep (procps) when missing, and builds Pier when
# target/pier.jar is missing (with Maven, installed first if it is missing too).
bench_prepare() {
    local need=()
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    command -v ss >/dev/null 2>&1 || need+=(iproute2) # bench_conn_split
    command -v curl >/dev/null 2>&1 || need+=(curl)    # readiness checks
    command -v pgrep >/dev/null 2>&1 || need+=(procps) # workers of a master, clean-up
    [ -f "$BENCH_HOME/target/pier.jar" ] || command -v mvn >/dev/null 2>&1 || need+=(maven) # the build below
    if [ "${#need[@]}" -gt 0 ]; then
        bench_log "installing ${need[*]}"
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null \
            || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]/nginx-light/nginx}" >/dev/null
    fi
    NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
    if [ ! -f "$BENCH_HOME/target/pier.jar" ]; then
        bench_log "building Pier (target/pier.jar is missing)"
        (cd "$BENCH_HOME" && mvn -B -q -DskipTests package)
    fi
}

# A fresh private work directory; readable by nginx's unprivileged workers (they serve files from it).
bench_workdir() {
    BENCH_WORK="$(mktemp -d /tmp/pier-bench.XXXXXX)"
    chmod 755 "$BENCH_WORK"
    : > "$BENCH_WORK/pids"
    export BENCH_WORK
}

bench_track() { echo "$1" >> "$BENCH_WORK/pids"; }

# Kills every recorded process (children first, found through /proc when the parent is still there), then removes the
# work directory unless BENCH_KEEP=1.
bench_cleanup() {
    local p c
    [ -n "${BENCH_WORK:-}" ] && [ -f "$BENCH_WORK/pids" ] || return 0
    while read -r p; do
        [ -n "$p" ] || continue
        kill -0 "$p" 2>/dev/null || continue
        for c in $(pgrep -P "$p" 2>/dev/null); do kill -KILL "$c" 2>/dev/null || true; done
        kill -KILL "$p" 2>/dev/null || true
    done < "$BENCH_WORK/pids"
    : > "$BENCH_WORK/pids"
    if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$BENCH_WORK"; fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The one configuration template both servers run. $1 server (pier|nginx), $2 workers, $3 reuseport (on|off), $4 port.
# Both get `access_log off;` (the runs measure serving, not log writing; `/logged`, the `everyday` mode's
# hello-log scenario, is the exception) and `sendfile on;`.
bench_conf() {
    local server="$1" workers="$2" rp="" port="$4" extra=$'\n    access_log off;\n    sendfile on;'
    [ "$3" = on ] && rp=" reuseport"
    cat <<CONF
worker_processes $workers;
master_process on;
daemon off;
pid logs/$server.pid;
error_log logs/error.log notice;
${BENCH_CONF_MAIN:-}
events { worker_connections 4096; }

http {
    include mime.types;
    default_type application/octet-stream;
    keepalive_timeout 65s;
    keepalive_requests 1000000;$extra

    server {
        listen 127.0.0.1:$port$rp;
        server_name localhost;
        root html;
        index index.html;

        location = /hello { return 200 "hello\n"; }
        location = /who { add_header X-Worker \$pid; return 200 "who\n"; }
        location = /logged { access_log logs/access.log; return 200 "hello\n"; }
        location /gz/ { gzip on; }
        location /app/ { try_files \$uri \$uri/ /app/index.html; }
        location / { }$(bench_proxy_location)
    }$(bench_upstream)
}
CONF
}

# With a backend started (bench_backend_start), /proxy/ is a reverse proxy to it: HTTP/1.1 and keep-alive upstream
# (`keepalive 64`, no Connection: close), the same for both servers. Idle upstream connections live longer than a
# row (`keepalive_timeout 300s` here and at the backend), so none is closed on a timer while the suite measures; the
# ones whose request a stopping wrk abandons are still closed at the end of each proxy run, by both servers
# (docs/BENCHMARKS.md, "Method").
bench_proxy_location() {
    [ -n "${BENCH_BACKEND_PORT:-}" ] || return 0
    printf '\n        location /proxy/ {\n            proxy_pass http://backend/;\n            proxy_http_version 1.1;'
    printf '\n            proxy_set_header Connection "";\n        }'
}
bench_upstream() {
    [ -n "${BENCH_BACKEND_PORT:-}" ] || return 0
    printf '\n    upstream backend {\n        server 127.0.0.1:%s;\n        keepalive 64;\n' "$BENCH_BACKEND_PORT"
    printf '        keepalive_requests 1000000;\n        keepalive_timeout 300s;\n    }'
}

# The proxy scenarios' backend: nginx answering every request itself (`return 200`, one worker, no log), started once
# and shared by both servers. Sets BENCH_BACKEND_PORT and BENCH_BACKEND_PID; bench_cleanup stops it.
bench_backend_start() {
    local dir="$BENCH_WORK/backend" i
    BENCH_BACKEND_PORT="$(free_port)"
    mkdir -p "$dir/logs" "$dir/conf"
    cat > "$dir/conf/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid logs/nginx.pid;
error_log logs/error.log notice;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$BENCH_BACKEND_PORT;
        location / { return 200 "hello from the backend\n"; }
    }
}
CONF
    nice -n "$BENCH_NICE" "$NGINX_BIN" -p "$dir" -c conf/nginx.conf -e logs/error.log >"$dir/logs/out" 2>&1 &
    BENCH_BACKEND_PID=$!
    bench_track "$BENCH_BACKEND_PID"
    disown "$BENCH_BACKEND_PID" 2>/dev/null || true
    for i in $(seq 1 100); do
        curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$BENCH_BACKEND_PORT/" 2>/dev/null && return 0
        sleep 0.05
    done
    bench_log "the backend did not answer on port $BENCH_BACKEND_PORT"
    return 1
}

# Makes a prefix with conf/, logs/ and html/ (4 KiB and 1 MiB files of random bytes, a text page in html/gz/ and an
# index.html in html/app/, the same for both servers).
bench_prefix() { # $1 dir
    mkdir -p "$1/conf" "$1/logs" "$1/html"
    cp "$BENCH_HOME/conf/mime.types" "$1/conf/"
    if [ ! -f "$BENCH_WORK/4k.bin" ]; then
        head -c 4096 /dev/urandom > "$BENCH_WORK/4k.bin"
        head -c 1048576 /dev/urandom > "$BENCH_WORK/1m.bin"
        chmod 644 "$BENCH_WORK/4k.bin" "$BENCH_WORK/1m.bin"
    fi
    cp "$BENCH_WORK/4k.bin" "$BENCH_WORK/1m.bin" "$1/html/"
    # a single-page application's index.html, the try-files scenario's fallback (2 KiB)
    mkdir -p "$1/html/app"
    printf '%2048s' '' > "$1/html/app/index.html"
    # a text page for the gzip scenario: 7.2 KB of HTML lines, the same for both servers
    mkdir -p "$1/html/gz"
    seq 0 119 | sed 's|.*|<p>line & of a page that compresses as HTML and CSS do</p>|' > "$1/html/gz/page.html"
    chmod -R a+rX "$1"
}

# Priority of the servers and of wrk (same for both servers). The machine is shared with other jobs (builds, tests);
# a higher priority keeps their bursts from landing in the middle of one server's run and not the other's.
BENCH_NICE="${BENCH_NICE:--10}"

# Starts a server in the foreground of its own (daemon off) as a background job of this shell and waits until it
# answers and, for Pier, until every worker reported ready. Sets SRV_PID and SRV_PORT. $1 server, $2 workers, $3 rp.
bench_start() {
    local server="$1" workers="$2" rp="$3" prefix
    SRV_PORT="$(free_port)"
    prefix="$BENCH_WORK/$server-w$workers-rp$rp"
    SRV_PREFIX="$prefix"
    bench_prefix "$prefix"
    bench_conf "$server" "$workers" "$rp" "$SRV_PORT" > "$prefix/conf/$server.conf"
    if [ "$server" = pier ]; then
        nice -n "$BENCH_NICE" ${BENCH_SERVER_CPUS:+taskset -c "$BENCH_SERVER_CPUS"} \
            "$BENCH_HOME/bin/pier" -p "$prefix" -c conf/pier.conf >"$prefix/logs/out" 2>&1 &
    else
        nice -n "$BENCH_NICE" ${BENCH_SERVER_CPUS:+taskset -c "$BENCH_SERVER_CPUS"} \
            "$NGINX_BIN" -p "$prefix" -c conf/nginx.conf -e logs/error.log >"$prefix/logs/out" 2>&1 &
    fi
    SRV_PID=$!
    bench_track "$SRV_PID"
    local i ready n
    for i in $(seq 1 400); do
        if ! kill -0 "$SRV_PID" 2>/dev/null; then
            bench_log "$server failed to start:"; cat "$prefix/logs/out" "$prefix/logs/error.log" >&2 2>/dev/null
            return 1
        fi
        ready=1
        if [ "$server" = pier ]; then
            n="$(grep -c ') ready' "$prefix/logs/error.log" 2>/dev/null || true)"
            [ "${n:-0}" -ge "$workers" ] || ready=0
        else
            [ "$(pgrep -P "$SRV_PID" | wc -l)" -ge "$workers" ] || ready=0
        fi
        if [ "$ready" = 1 ] && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$SRV_PORT/hello" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    bench_log "$server did not become ready on port $SRV_PORT"
    return 1
}

# Graceful stop (QUIT), then KILL of whatever is left after 5 s. $1 master pid.
bench_stop() {
    local pid="$1" kids i
    kids="$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')"
    kill -QUIT "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    for i in $kids $pid; do kill -KILL "$i" 2>/dev/null || true; done
    wait "$pid" 2>/dev/null || true
}

bench_workers() { pgrep -P "$1" 2>/dev/null | sort -n | tr '\n' ' '; }

# utime+stime in clock ticks of a /proc/.../stat file (fields 14 and 15, counted after the ")" that ends the command
# name), 0 when it is gone; shell built-ins only, as it runs for every thread of a JVM around every measured run.
stat_ticks() {
    local line f
    { read -r line < "$1"; } 2>/dev/null || { echo 0; return; }
    read -r -a f <<< "${line##*) }" # fields from the state (field 3) on: utime and stime are 11 and 12
    echo $(( f[11] + f[12] ))
}

# CPU seconds (utime+stime, all threads) of a master and its children. $1 master pid.
bench_cpu() {
    local p total=0 ticks
    ticks="$(getconf CLK_TCK)"
    for p in "$1" $(pgrep -P "$1"); do
        total=$(( total + $(stat_ticks "/proc/$p/stat") ))
    done
    awk -v t="$total" -v k="$ticks" 'BEGIN { printf "%.2f", t / k }'
}

# CPU seconds (utime+stime) of the JIT compiler threads (HotSpot's "C1 CompilerThread"/"C2 CompilerThread") of a
# master and its children: the part of bench_cpu a JVM spends compiling. 0.00 for nginx. $1 master pid.
bench_jit_cpu() {
    local p t comm total=0 ticks
    ticks="$(getconf CLK_TCK)"
    # no process per thread (a JVM has some twenty): that took a quarter of a second around every measured run
    for p in "$1" $(pgrep -P "$1"); do
        for t in /proc/"$p"/task/*; do
            { read -r comm < "$t/comm"; } 2>/dev/null || continue
            case "$comm" in
                C1\ CompilerThre*|C2\ CompilerThre*) total=$(( total + $(stat_ticks "$t/stat") )) ;;
            esac
        done
    done
    awk -v t="$total" -v k="$ticks" 'BEGIN { printf "%.2f", t / k }'
}

# Largest VmRSS of the master's children, in MiB. $1 master pid.
bench_worker_rss() {
    local p max=0 kb
    for p in $(pgrep -P "$1"); do
        kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)"
        [ "${kb:-0}" -gt "$max" ] && max="$kb"
    done
    awk -v k="$max" 'BEGIN { printf "%.1f", k / 1024 }'
}

# Established client connections per worker of a master, busiest first, "a/b" for $3 workers, from one `ss` reading
# (the kernel names each socket's owner; only the server's ends have the port as their source). Pier's warm spare,
# also a child of the master, has none and falls off the end. $1 master pid, $2 port, $3 workers.
bench_conn_split() {
    local ss_out p counts=()
    ss_out="$(ss -tnpH state established "( sport = :$2 )" 2>/dev/null)"
    for p in $(bench_workers "$1"); do
        counts+=("$(grep -c "pid=$p," <<< "$ss_out" || true)")
    done
    printf '%s\n' "${counts[@]}" | sort -rn | head -n "$3" | paste -sd/
}

# Runs wrk in the background (so a trapped signal interrupts the wait) and records its pid. stdout goes to
# $BENCH_WORK/wrk.out; the CPU seconds wrk itself used go to $BENCH_WORK/wrk.cpu (read as the cutime+cstime of a
# wrapping shell, which has waited for it). Arguments go to wrk as they are.
bench_wrk() {
    bash -c '"$@" > "$BENCH_WORK/wrk.out" 2>&1
             sed "s/.*) //" /proc/$$/stat | awk -v k="$(getconf CLK_TCK)" "{ printf \"%.2f\", (\$14 + \$15) / k }" \
                 > "$BENCH_WORK/wrk.cpu"' \
        bench-wrk nice -n "$BENCH_NICE" ${BENCH_WRK_CPUS:+taskset -c "$BENCH_WRK_CPUS"} wrk "$@" &
    local w=$!
    bench_track "$w"
    wait "$w" || true
}

# CPU seconds the whole machine spent so far in processes (user, nice, system) plus steal, from /proc/stat. Interrupt
# and softirq time (loopback TCP work the kernel may not charge to a process) is left out, so that "other CPU" =
# this delta - server - wrk is the work of processes that are not part of the benchmark, plus hypervisor steal.
bench_busy() {
    awk -v k="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $9) / k }' /proc/stat
}

#!/usr/bin/env bash
# Hand-over times of Pier against nginx on loopback, 2 workers with `reuseport`, from bench/lib.sh's template:
#
#   kill -> served   SIGKILL one serving worker (Pier: a `pier:sK:gG` child of the master, never the `pier:spare`;
#                    nginx: one worker) while one client opens a fresh connection per request to /who in a tight loop
#                    (the response's X-Worker header names the worker). Time from the kill until the first response
#                    from a worker pid that was not serving before the kill; failed requests (refused, reset,
#                    timeout, closed without a response) during the tries.
#   reload -> new    rewrite `return 200 "gen-N"` and run the reload command (`pier -s reload`, `nginx -s reload`).
#                    Time from the command returning until new connections get the new body (the first of 20
#                    consecutive fresh-connection requests that all got it), and how long the command itself ran
#                    (`pier -s reload` answers once the new generation serves; `nginx -s reload` only sends HUP); meanwhile 4 clients (2 with a fresh
#                    connection per request, 2 keep-alive) load the server and every failed request is counted.
#
# usage: bench/ops.sh [TRIES]        (default 20)
# Environment: BENCH_KEEP=1 keeps the temp prefixes. Loopback only; every phase is bounded (per-request timeout 2 s,
# per-try limit 15 s); every process started here is killed by pid on exit. Result: bench/results/ops.md.
set -euo pipefail

home="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$home/bench/lib.sh"

tries="${1:-20}"

bench_prepare
bench_workdir
trap bench_cleanup EXIT INT TERM

# The measuring client (Python, standard library only). Modes:
#   kill   SERVER PORT MASTER TRIES                    -> prints "kill p50 max fails n"
#   reload SERVER PORT MASTER TRIES CONF CMD...        -> prints "reload p50 max fails n kaclosed cmdp50 cmdmax"
cat > "$BENCH_WORK/ops.py" <<'PY'
import os, random, re, signal, socket, statistics, subprocess, sys, threading, time

mode, server, port, master, tries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
LIMIT = 15.0

def children(pid):
    out = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                st = f.read()
            with open(f'/proc/{d}/comm') as f:
                comm = f.read().strip()
        except OSError:
            continue
        if int(st.rsplit(')', 1)[1].split()[1]) == pid:
            out.append((int(d), comm))
    return out

def serving():
    kids = children(master)
    if server == 'pier':
        return sorted(p for p, c in kids if re.match(r'pier:s[01]:g\d+$', c))
    return sorted(p for p, c in kids if c == 'nginx')

def cpu_age(pid):
    """(CPU seconds, age in seconds) of a process."""
    with open(f'/proc/{pid}/stat') as f:
        st = f.read().rsplit(')', 1)[1].split()
    tck = os.sysconf('SC_CLK_TCK')
    with open('/proc/uptime') as f:
        up = float(f.read().split()[0])
    return (int(st[11]) + int(st[12])) / tck, up - int(st[19]) / tck

def spare_warm():
    """A `pier:spare` that has finished its warm-up. Pier logs no "spare ready" line, so this waits until the spare
    is at least 2 s old and has used under 50 ms of CPU in the last 0.5 s."""
    for p, c in children(master):
        if c != 'pier:spare':
            continue
        try:
            c0, age = cpu_age(p)
            time.sleep(0.5)
            c1, _ = cpu_age(p)
        except OSError:
            return False
        return age >= 2 and c1 - c0 < 0.05
    return False

def settled():
    """Both slots served by exactly two workers (old ones gone) and, for the kill tries on Pier, a warm spare
    standing by (the reload tries do not need one: no worker is killed in them)."""
    if len(serving()) != 2:
        return False
    return server != 'pier' or mode != 'kill' or spare_warm()

def wait_settled():
    end = time.monotonic() + 60
    while not settled():
        if time.monotonic() > end:
            raise SystemExit(f'{server}: workers did not settle in 60 s: {children(master)}')
        time.sleep(0.05)

REQ = 'GET {} HTTP/1.1\r\nHost: localhost\r\n{}\r\n'

def read_response(s):
    """(status line + headers, body) of one response with Content-Length, or raises."""
    buf = b''
    while b'\r\n\r\n' not in buf:
        d = s.recv(4096)
        if not d:
            raise EOFError('closed' if not buf else 'closed mid-response')
        buf += d
    head, body = buf.split(b'\r\n\r\n', 1)
    m = re.search(rb'(?i)\r\ncontent-length:\s*(\d+)', head)
    n = int(m.group(1)) if m else 0
    while len(body) < n:
        d = s.recv(4096)
        if not d:
            raise EOFError('closed mid-body')
        body += d
    return head.decode('latin-1'), body[:n].decode('latin-1')

def fresh(path):
    """One request on a fresh connection; (head, body) or an error kind string."""
    s = socket.socket()
    s.settimeout(2.0)
    try:
        s.connect(('127.0.0.1', port))
        s.sendall(REQ.format(path, 'Connection: close\r\n').encode())
        return read_response(s)
    except ConnectionRefusedError:
        return 'refused'
    except ConnectionResetError:
        return 'reset'
    except socket.timeout:
        return 'timeout'
    except (EOFError, OSError) as e:
        return 'eof:' + type(e).__name__
    finally:
        s.close()

def worker_of(head):
    m = re.search(r'(?i)\r\nx-worker:\s*(\d+)', head)
    return int(m.group(1)) if m else None

def kinds(fails):
    return '(' + ','.join(f'{k}={v}' for k, v in sorted(fails.items())) + ')' if fails else ''

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

if mode == 'kill':
    times, fails, total = [], {}, 0
    for t in range(tries):
        wait_settled()
        time.sleep(0.3)
        old = set(serving())
        stop = threading.Event()
        seen = []          # (monotonic time of the response, worker pid)
        def client():
            nonlocal_total = 0
            while not stop.is_set():
                r = fresh('/who')
                nonlocal_total += 1
                if isinstance(r, str):
                    fails[r] = fails.get(r, 0) + 1
                else:
                    seen.append((time.monotonic(), worker_of(r[0])))
            counts.append(nonlocal_total)
        counts = []
        th = threading.Thread(target=client)
        th.start()
        time.sleep(0.2)
        victim = random.choice(sorted(old))
        t0 = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        got = None
        while got is None and time.monotonic() - t0 < LIMIT:
            for ts, w in list(seen):
                if ts >= t0 and w is not None and w not in old:
                    got = ts - t0
                    break
            time.sleep(0.002)
        time.sleep(0.1)
        stop.set(); th.join()
        total += counts[0]
        if got is None:
            print(f'[ops] {server} try {t + 1}: no new worker served within {LIMIT}s', file=sys.stderr)
            got = LIMIT
        times.append(got * 1000)
        print(f'[ops] {server} kill try {t + 1}: {got * 1000:.1f} ms', file=sys.stderr)
    nf = sum(fails.values())
    print(f'kill {statistics.median(times):.1f} {max(times):.1f} {nf} {total} {kinds(fails)}')

elif mode == 'reload':
    conf, cmd = sys.argv[6], sys.argv[7:]
    fails, total, kaclosed = {}, [0], [0]
    stop = threading.Event()
    lock = threading.Lock()
    def fail(kind):
        with lock:
            fails[kind] = fails.get(kind, 0) + 1
    def load_fresh():
        while not stop.is_set():
            r = fresh('/hello')
            with lock:
                total[0] += 1
            if isinstance(r, str):
                fail(r)
            time.sleep(0.005)
    def load_keepalive():
        s = None
        while not stop.is_set():
            reused = s is not None
            try:
                if s is None:
                    s = socket.socket(); s.settimeout(2.0); s.connect(('127.0.0.1', port))
                s.sendall(REQ.format('/hello', '').encode())
                head, _ = read_response(s)
                with lock:
                    total[0] += 1
                if re.search(r'(?i)\r\nconnection:\s*close', head):
                    s.close(); s = None
            except Exception as e:
                if s is not None:
                    s.close()
                s = None
                if reused and isinstance(e, (EOFError, ConnectionResetError)) and 'mid' not in str(e):
                    # An idle keep-alive connection closed by the server as the request went out: RFC 9112 9.3.1
                    # lets a client retry it on a new connection; counted apart from failures.
                    with lock:
                        kaclosed[0] += 1
                    continue
                with lock:
                    total[0] += 1
                fail('ka-' + ('timeout' if isinstance(e, socket.timeout) else type(e).__name__))
            time.sleep(0.005)
    threads = [threading.Thread(target=f) for f in (load_fresh, load_fresh, load_keepalive, load_keepalive)]
    for th in threads:
        th.start()
    times, cmdtimes = [], []
    try:
        with open(conf) as f:
            text = f.read()
        for t in range(tries):
            wait_settled()
            time.sleep(0.5)
            body = f'gen-{t + 1}'
            text = re.sub(r'location = /hello \{ return 200 "[^"]*"; \}',
                          'location = /hello { return 200 "%s\\n"; }' % body, text)
            with open(conf, 'w') as f:
                f.write(text)
            tc = time.monotonic()
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            t0 = time.monotonic()
            cmdtimes.append((t0 - tc) * 1000)
            if r.returncode != 0:
                raise SystemExit(f'{server}: reload failed: {r.stdout.decode()}')
            streak, start = 0, None
            while streak < 20:
                ts = time.monotonic()
                if ts - t0 > LIMIT:
                    print(f'[ops] {server} try {t + 1}: not all new after {LIMIT}s', file=sys.stderr)
                    start = t0 + LIMIT
                    break
                res = fresh('/hello')
                with lock:
                    total[0] += 1
                if isinstance(res, str):
                    fail(res); streak = 0
                elif res[1].strip() == body:
                    if streak == 0:
                        start = ts
                    streak += 1
                else:
                    streak = 0
            times.append((start - t0) * 1000)
            print(f'[ops] {server} reload try {t + 1}: {(start - t0) * 1000:.1f} ms', file=sys.stderr)
    finally:
        stop.set()
        for th in threads:
            th.join()
    nf = sum(fails.values())
    print(f'reload {statistics.median(times):.1f} {max(times):.1f} {nf} {total[0]} {kaclosed[0]} {statistics.median(cmdtimes):.0f} {max(cmdtimes):.0f} {kinds(fails)}')
PY

raw="$BENCH_WORK/ops.txt"
: > "$raw"
for s in pier nginx; do
    bench_start "$s" 2 on
    bench_log "$s on port $SRV_PORT (master $SRV_PID): $tries kill tries"
    echo "$s $(python3 "$BENCH_WORK/ops.py" kill "$s" "$SRV_PORT" "$SRV_PID" "$tries")" | tee -a "$raw" >&2
    bench_log "$s: $tries reload tries"
    if [ "$s" = pier ]; then
        cmd=("$home/bin/pier" -p "$SRV_PREFIX" -c conf/pier.conf -s reload)
    else
        cmd=("$NGINX_BIN" -p "$SRV_PREFIX" -c conf/nginx.conf -e logs/error.log -s reload)
    fi
    echo "$s $(python3 "$BENCH_WORK/ops.py" reload "$s" "$SRV_PORT" "$SRV_PID" "$tries" \
        "$SRV_PREFIX/conf/$s.conf" "${cmd[@]}")" | tee -a "$raw" >&2
    bench_stop "$SRV_PID"
done

# $1 server, $2 kill|reload, $3 field (1-based after the mode) from the raw lines
field() { awk -v s="$1" -v m="$2" -v f="$3" '$1 == s && $2 == m { print $(f + 2) }' "$raw"; }
errs() { awk -v s="$1" -v m="$2" -v k="$3" '$1 == s && $2 == m { r = ""; for (i = k + 2; i <= NF; i++) r = r " " $i; print r }' "$raw"; }

out="$home/bench/results/ops.md"
mkdir -p "$home/bench/results"
{
    echo "Hand-over times, 2 workers, reuseport, $tries tries each ($(date -u +%Y-%m-%d), $(nproc) CPUs)."
    echo
    echo "| server | kill → new worker serving p50 / max ms | failed / requests during kills | reload → all new p50 / max ms | failed / requests during reloads | keep-alive closes (retryable) | reload command runs p50 / max ms |"
    echo "|---|---|---|---|---|---|---|"
    for s in pier nginx; do
        echo "| $s | $(field $s kill 1) / $(field $s kill 2) | $(field $s kill 3) / $(field $s kill 4)$(errs $s kill 5) | $(field $s reload 1) / $(field $s reload 2) | $(field $s reload 3) / $(field $s reload 4)$(errs $s reload 8) | $(field $s reload 5) | $(field $s reload 6) / $(field $s reload 7) |"
    done
} > "$out"
cat "$out"

#!/usr/bin/env python3
"""Medians per scenario from a bench/run.sh run directory: writes RUN/summary.csv (one row per scenario, workers and
reuseport, nginx and Pier side by side) and prints Markdown tables (throughput, latency, cost, distribution).

usage: bench/summarize.py RUN_DIR [MODE]
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

QUIET = 0.25
ORDER = ["hello-ka", "hello-close", "static-4k", "static-1m", "proxy", "hello-log", "missing", "gzip", "try-files"]
LABEL = {"hello-ka": "return 200, keep-alive", "hello-close": "return 200, Connection: close",
         "static-4k": "static 4 KiB, keep-alive", "static-1m": "static 1 MiB, keep-alive",
         "proxy": "reverse proxy, keep-alive upstream", "hello-log": "return 200, access log on",
         "missing": "404 (no such file), keep-alive", "gzip": "gzip on, 7.2 KB HTML page, keep-alive",
         "try-files": "try_files to /app/index.html, keep-alive"}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def ratio(p, n):
    return p / n if n else float("nan")


def quiet(r):
    """A round during which processes outside the benchmark used less than QUIET cores on average."""
    return float(r["other_cpu_s"]) / float(r["seconds"]) < QUIET


def cpu100k(r):
    """The server's CPU seconds per 100k requests in one round (NaN for a round without a request)."""
    return float(r["server_cpu_s"]) / int(r["requests"]) * 1e5 if int(r["requests"]) else float("nan")


def per_second(r):
    """A run's requests per second, short: "132k", or "2412" below ten thousand."""
    x = int(r["requests"]) / float(r["seconds"])
    return f"{x / 1e3:.0f}k" if x >= 1e4 else f"{x:.0f}"


def machine(run):
    """The run's machine.txt (key=value lines), in its order."""
    with open(os.path.join(run, "machine.txt")) as f:
        return dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)


def load(run):
    groups = defaultdict(list)
    with open(os.path.join(run, "raw.csv")) as f:
        for r in csv.DictReader(f):
            groups[(r["scenario"], int(r["workers"]), r["reuseport"], r["server"])].append(r)
    return groups


def stats(rows):
    rps = [int(r["requests"]) / float(r["seconds"]) for r in rows]
    mbps = [int(r["bytes"]) / float(r["seconds"]) / 1e6 for r in rows]
    cpu = [cpu100k(r) for r in rows if int(r["requests"])]
    # the JIT compiler threads' share of server_cpu_s (runs before the column existed count as none)
    jit = [float(r.get("jit_cpu_s") or 0) / int(r["requests"]) * 1e5 for r in rows if int(r["requests"])]
    other = [float(r["other_cpu_s"]) / float(r["seconds"]) for r in rows]
    return {
        "rps": med(rps), "mbps": med(mbps), "rps_min": min(rps), "rps_max": max(rps),
        "p50": med([int(r["p50_us"]) / 1e3 for r in rows]), "p99": med([int(r["p99_us"]) / 1e3 for r in rows]),
        "max": med([int(r["max_us"]) / 1e3 for r in rows]), "cpu100k": med(cpu), "jit100k": med(jit),
        "rss": max(float(r["rss_mib"]) for r in rows), "errors": sum(int(r["errors"]) for r in rows),
        "other": med(other), "n": len(rows),
    }


def main():
    run = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else ""
    groups = load(run)
    keys = sorted({k[:3] for k in groups}, key=lambda k: (ORDER.index(k[0]), k[1], k[2] != "on"))
    rows = []
    for sc, w, rp in keys:
        n, p = groups.get((sc, w, rp, "nginx")), groups.get((sc, w, rp, "pier"))
        if not n or not p:
            continue
        n, p = stats(n), stats(p)
        rows.append({
            "scenario": sc, "workers": w, "reuseport": rp, "label": f"{sc} w{w} rp-{rp}",
            "nginx_rps": round(n["rps"]), "pier_rps": round(p["rps"]), "rps_ratio": round(ratio(p["rps"], n["rps"]), 2),
            "nginx_mbps": round(n["mbps"], 1), "pier_mbps": round(p["mbps"], 1),
            "nginx_p50_ms": round(n["p50"], 2), "pier_p50_ms": round(p["p50"], 2),
            "nginx_p99_ms": round(n["p99"], 2), "pier_p99_ms": round(p["p99"], 2),
            "p99_ratio": round(ratio(p["p99"], n["p99"]), 2),
            "nginx_max_ms": round(n["max"], 1), "pier_max_ms": round(p["max"], 1),
            "nginx_cpu_s_per_100k": round(n["cpu100k"], 2), "pier_cpu_s_per_100k": round(p["cpu100k"], 2),
            "pier_jit_s_per_100k": round(p["jit100k"], 2),
            "nginx_rss_mib": n["rss"], "pier_rss_mib": p["rss"],
            "nginx_errors": n["errors"], "pier_errors": p["errors"],
            "nginx_rps_range": f"{n['rps_min']:.0f}-{n['rps_max']:.0f}",
            "pier_rps_range": f"{p['rps_min']:.0f}-{p['rps_max']:.0f}",
            "other_cpu": round(max(n["other"], p["other"]), 2), "rounds": min(n["n"], p["n"]),
        })
    if rows:
        with open(os.path.join(run, "summary.csv"), "w", newline="") as f:
            out = csv.DictWriter(f, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    print(f"<!-- bench/run.sh {mode}: {'; '.join(f'{k}={v}' for k, v in machine(run).items())} -->")
    print()
    if rows:
        print("| scenario | workers | reuseport | nginx req/s | pier req/s | pier/nginx | nginx MB/s | pier MB/s |"
              " nginx p50/p99/max ms | pier p50/p99/max ms | p99 pier/nginx | CPU s/100k req nginx / pier (JIT) |"
              " worker RSS MiB nginx / pier | errors n/p | other CPU |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {LABEL[r['scenario']]} | {r['workers']} | {r['reuseport']} | {r['nginx_rps']} | {r['pier_rps']} |"
                  f" **{r['rps_ratio']:.2f}** | {r['nginx_mbps']} | {r['pier_mbps']} |"
                  f" {r['nginx_p50_ms']} / {r['nginx_p99_ms']} / {r['nginx_max_ms']} |"
                  f" {r['pier_p50_ms']} / {r['pier_p99_ms']} / {r['pier_max_ms']} | {r['p99_ratio']:.2f} |"
                  f" {r['nginx_cpu_s_per_100k']} / {r['pier_cpu_s_per_100k']} ({r['pier_jit_s_per_100k']}) |"
                  f" {r['nginx_rss_mib']:.0f} / {r['pier_rss_mib']:.0f} | {r['nginx_errors']}/{r['pier_errors']} |"
                  f" {r['other_cpu']:.2f} |")
    # The same medians over the undisturbed runs only: those during which processes outside the benchmark used less
    # than QUIET cores on average (other_cpu_s / seconds). On a shared machine these are the cleanest signal.
    undisturbed = []
    for sc, w, rp in keys:
        cells = []
        for server in ("nginx", "pier"):
            rs = [r for r in groups.get((sc, w, rp, server), []) if quiet(r)]
            cells.append(stats(rs) if rs else None)
        if all(cells):
            undisturbed.append((sc, w, rp, cells[0], cells[1]))
    if undisturbed:
        print()
        print(f"Undisturbed runs only (other processes < {QUIET} core during the run):")
        print()
        print("| scenario | workers | reuseport | nginx req/s (runs) | pier req/s (runs) | pier/nginx | MB/s nginx / pier |"
              " p99 ms nginx / pier |")
        print("|---|---|---|---|---|---|---|---|")
        for sc, w, rp, n, p in undisturbed:
            print(f"| {LABEL[sc]} | {w} | {rp} | {n['rps']:.0f} ({n['n']}) | {p['rps']:.0f} ({p['n']}) |"
                  f" **{ratio(p['rps'], n['rps']):.2f}** | {n['mbps']:.0f} / {p['mbps']:.0f} |"
                  f" {n['p99']:.2f} / {p['p99']:.2f} |")
    splits = [(sc, w, rp) for sc, w, rp in keys
              if any(r.get("conns") for server in ("nginx", "pier") for r in groups.get((sc, w, rp, server), []))]
    if splits:
        print()
        print("Keep-alive connections per worker (busiest first, read halfway through each run) and req/s, by round:")
        print()
        print("| scenario | workers | reuseport | nginx | pier |")
        print("|---|---|---|---|---|")
        for sc, w, rp in splits:
            cells = ["; ".join(f"{r.get('conns') or '?'} {per_second(r)}"
                               for r in sorted(groups.get((sc, w, rp, server), []), key=lambda r: int(r["round"])))
                     for server in ("nginx", "pier")]
            print(f"| {LABEL[sc]} | {w} | {rp} | {cells[0]} | {cells[1]} |")
    dist = os.path.join(run, "distribution.csv")
    if os.path.exists(dist):
        with open(dist) as f:
            drows = list(csv.DictReader(f))
        if drows:
            print()
            print("| server | reuseport | phase | req/s | p50 ms | p99 ms | max ms | errors | per-worker share |")
            print("|---|---|---|---|---|---|---|---|---|")
            for r in drows:
                counts = [s.split(":") for s in r["shares"].split(";") if s]
                total = sum(int(c) for _, c in counts) or 1
                share = ", ".join(f"{pid}{'(stopped)' if pid == r['stopped_pid'] else ''} {int(c) / total:.0%}"
                                  for pid, c in counts)
                print(f"| {r['server']} | {r['reuseport']} | {r['phase']} |"
                      f" {int(r['requests']) / float(r['seconds']):.0f} | {int(r['p50_us']) / 1e3:.2f} |"
                      f" {int(r['p99_us']) / 1e3:.1f} | {int(r['max_us']) / 1e3:.1f} | {r['errors']} | {share} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Pools several bench/run.sh runs of the same commit on the same machine into one verdict per row and per target.

One run gives each row three rounds of 3 s, and a row moves by up to +-0.15 between runs on one host. nginx and
Pier alternate within a round, so a round's pier/nginx ratio compares them under the same host conditions; pooled
over N runs, a row has 3N such pairs. Reported per row: the median of the paired ratios (requests/s, or MB/s for the
static 1 MiB file; p99), the spread of those ratios (lowest and highest), how many pairs met the target, the
medians of CPU per 100k requests, and for multi-worker keep-alive rows the busiest worker's median share of a run's
connections (raw.csv's conns column, nginx / pier). Rounds with outside load of QUIET cores or more (either
server's) are left out.

usage: bench/pool.py RUN_DIR RUN_DIR...   (prints Markdown; writes nothing)
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summarize import LABEL, ORDER, cpu100k, load, machine, quiet  # noqa: E402

# the targets: throughput at least this times nginx's (MB/s for the 1 MiB file), p99 at most P99 times
THROUGHPUT = {"hello-ka": 1.0, "hello-close": 1.0, "static-4k": 1.0, "static-1m": 1.0, "proxy": 0.9}
P99 = 1.2


def rate(r, scenario):
    return int(r["bytes"] if scenario == "static-1m" else r["requests"]) / float(r["seconds"])


def pairs(runs, key):
    """(nginx row, pier row) of each round in each run, both undisturbed."""
    out = []
    for groups in runs:
        n = {r["round"]: r for r in groups.get(key + ("nginx",), [])}
        p = {r["round"]: r for r in groups.get(key + ("pier",), [])}
        out += [(n[k], p[k]) for k in sorted(n) if k in p and quiet(n[k]) and quiet(p[k])]
    return out


def busiest(r):
    """The busiest worker's share of a run's keep-alive connections (None when the run has no reading)."""
    counts = [int(c) for c in (r.get("conns") or "").split("/") if c]
    return max(counts) / sum(counts) if sum(counts) else None


def split_note(ps):
    """Median busiest-worker share of the pairs' connections, nginx / pier, or "" when the runs have none."""
    n = [x for x in (busiest(a) for a, _ in ps) if x is not None]
    p = [x for x in (busiest(b) for _, b in ps) if x is not None]
    return f"{statistics.median(n):.0%} / {statistics.median(p):.0%}" if n and p else ""


def main():
    dirs = sys.argv[1:]
    if len(dirs) < 2:
        sys.exit(__doc__)
    info = [machine(d) for d in dirs]
    for field in ("pier", "cpu", "kernel", "nginx"):
        if len({i.get(field) for i in info}) > 1:
            sys.exit(f"runs differ in {field}: " + ", ".join(str(i.get(field)) for i in info))
    runs = [load(d) for d in dirs]
    keys = sorted({k[:3] for g in runs for k in g}, key=lambda k: (ORDER.index(k[0]), k[1], k[2] != "on"))
    print(f"<!-- bench/pool.py: {len(dirs)} runs, pier={info[0].get('pier')}, cpu={info[0].get('cpu')},"
          f" kernel={info[0].get('kernel')}, {', '.join(i.get('date', '?') for i in info)} -->")
    print()
    print("| scenario | workers | reuseport | pairs | pier/nginx (median; low-high) | pairs at target |"
          f" p99 pier/nginx (median; low-high) | pairs p99 within {P99}x | CPU s/100k nginx / pier |"
          " busiest worker's connections nginx / pier |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    verdict = {}
    for sc, w, rp in keys:
        if sc not in THROUGHPUT:
            continue
        ps = pairs(runs, (sc, w, rp))
        if not ps:
            continue
        rr = sorted(rate(p, sc) / rate(n, sc) for n, p in ps if rate(n, sc))
        pr = sorted(int(p["p99_us"]) / int(n["p99_us"]) for n, p in ps if int(n["p99_us"]))
        at = sum(x >= THROUGHPUT[sc] for x in rr)
        within = sum(x <= P99 for x in pr)
        rm, pm = statistics.median(rr), statistics.median(pr)
        cn = statistics.median(cpu100k(n) for n, _ in ps)
        cp = statistics.median(cpu100k(p) for _, p in ps)
        unit = " (MB/s)" if sc == "static-1m" else ""
        print(f"| {LABEL[sc]}{unit} | {w} | {rp} | {len(ps)} | **{rm:.2f}**; {rr[0]:.2f}-{rr[-1]:.2f} |"
              f" {at} of {len(rr)} | **{pm:.2f}**; {pr[0]:.2f}-{pr[-1]:.2f} | {within} of {len(pr)} |"
              f" {cn:.2f} / {cp:.2f} | {split_note(ps)} |")
        verdict.setdefault(sc, []).append((w, rp, rm, pm))
    print()
    print("Per target, on the pooled medians (a row meets it when its median paired ratio does):")
    print()
    for sc, rows in verdict.items():
        met = [r for r in rows if r[2] >= THROUGHPUT[sc]]
        print(f"- {LABEL[sc]}, at least {THROUGHPUT[sc]:.1f}x: {len(met)} of {len(rows)} rows"
              f" ({', '.join(f'{w}w rp-{rp} {m:.3f}' for w, rp, m, _ in rows)})")
    allp = [(sc, w, rp, pm) for sc, rows in verdict.items() for w, rp, _, pm in rows]
    within = [x for x in allp if x[3] <= P99]
    print(f"- p99 within {P99}x: {len(within)} of {len(allp)} rows; over it: "
          + (", ".join(f"{LABEL[sc]} {w}w rp-{rp} {pm:.3f}" for sc, w, rp, pm in allp if pm > P99) or "none"))


if __name__ == "__main__":
    main()

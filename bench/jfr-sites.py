#!/usr/bin/env python3
"""Allocation by site from a JFR recording: the share of sampled allocation weight per allocated class and its top
frames, for `bench/run.sh profile`. It stands in for `jfr view allocation-by-site`, which JDK 25.0.3 aborts with a
StringIndexOutOfBoundsException while formatting some hidden-class method names.

usage: jfr print --json --stack-depth 8 --events jdk.ObjectAllocationSample REC.jfr | bench/jfr-sites.py [FRAMES] [ROWS]
"""
import collections
import json
import sys

frames = int(sys.argv[1]) if len(sys.argv) > 1 else 3
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
events = json.load(sys.stdin)["recording"]["events"]
weights = collections.Counter()
for e in events:
    v = e["values"]
    stack = (v.get("stackTrace") or {}).get("frames") or []
    sites = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in stack[:frames]]
    weights[v["objectClass"]["name"].replace("/", ".") + " @ " + " <- ".join(sites)] += v["weight"]
total = sum(weights.values()) or 1
print("allocation by site (%d samples; share of sampled weight, class @ top %d frames)" % (len(events), frames))
for site, w in weights.most_common(rows):
    print("%6.2f%%  %s" % (100.0 * w / total, site))

#!/usr/bin/env bash
# PNG bar charts from a summary CSV written by bench/run.sh: requests/s (MB/s for the 1 MiB file) and p99 latency,
# Pier next to nginx per scenario. Installs gnuplot (Debian's gnuplot-nox) when missing.
#
# usage: bench/chart.sh [CSV] [OUT_DIR]     (default bench/results/latest.csv, written next to it)
#        writes OUT_DIR/NAME-throughput.png and OUT_DIR/NAME-p99.png (NAME: the CSV's name without .csv)
set -euo pipefail

home="$(cd "$(dirname "$0")/.." && pwd)"
csv="${1:-$home/bench/results/latest.csv}"
dir="${2:-$(dirname "$csv")}"
name="$(basename "$csv" .csv)"
[ -f "$csv" ] || { echo "chart.sh: no such file: $csv (run bench/run.sh first)" >&2; exit 1; }

if ! command -v gnuplot >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Columns by name, so the CSV may grow. Throughput: req/s, except MB/s for the 1 MiB file (its own chart, the scales
# differ by three orders of magnitude).
python3 - "$csv" "$tmp" <<'PY'
import csv, sys
src, tmp = sys.argv[1:]
short = {"hello-ka": "200 ka", "hello-close": "200 close", "static-4k": "4KiB", "static-1m": "1MiB", "proxy": "proxy", "hello-log": "200 log", "missing": "404", "gzip": "gzip", "try-files": "try_files"}
with open(src) as f:
    rows = list(csv.DictReader(f))
with open(f"{tmp}/rps.dat", "w") as rps, open(f"{tmp}/mbps.dat", "w") as mb, open(f"{tmp}/p99.dat", "w") as p99:
    for r in rows:
        label = f"\"{short.get(r['scenario'], r['scenario'])} w{r['workers']} {'rp' if r['reuseport'] == 'on' else 'shared'}\""
        if r["scenario"] == "static-1m":
            mb.write(f"{label} {r['nginx_mbps']} {r['pier_mbps']}\n")
        else:
            rps.write(f"{label} {r['nginx_rps']} {r['pier_rps']}\n")
        p99.write(f"{label} {r['nginx_p99_ms']} {r['pier_p99_ms']}\n")
PY

plot() { # $1 data, $2 png, $3 title, $4 y label, $5 width, $6 "log" for a logarithmic y axis
    [ -s "$1" ] || return 0
    local scale="set yrange [0:*]"
    [ "${6:-}" = log ] && scale="set logscale y"
    gnuplot <<GP
set terminal pngcairo size $5,420 font ",9" noenhanced
set output "$2"
set title "$3"
set ylabel "$4"
$scale
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top left
set xtics rotate by -35 scale 0
plot "$1" using 2:xtic(1) title "nginx" linecolor rgb "#4c72b0", \
     "" using 3 title "pier" linecolor rgb "#dd8452"
GP
}

plot "$tmp/rps.dat" "$tmp/rps.png" "requests/s (median; higher is better)" "req/s" 900
plot "$tmp/mbps.dat" "$tmp/mbps.png" "static 1 MiB, MB/s (median; higher is better)" "MB/s" 500
plot "$tmp/p99.dat" "$tmp/p99.png" "p99 latency, median of rounds (log scale; lower is better)" "ms" 1100 log

# One throughput picture: req/s chart and MB/s chart side by side when both exist.
if [ -s "$tmp/rps.png" ] && [ -s "$tmp/mbps.png" ] && command -v python3 >/dev/null; then
    gnuplot <<GP
set terminal pngcairo size 1400,420 font ",9" noenhanced
set output "$dir/$name-throughput.png"
set multiplot layout 1,2 columns
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set key top right
set xtics rotate by -35 scale 0
set lmargin 10
set size 0.66,1
set origin 0,0
set title "requests/s (median; higher is better)"
set ylabel "req/s"
plot "$tmp/rps.dat" using 2:xtic(1) title "nginx" linecolor rgb "#4c72b0", "" using 3 title "pier" linecolor rgb "#dd8452"
set size 0.34,1
set origin 0.66,0
set title "static 1 MiB, MB/s (median)"
set ylabel "MB/s"
plot "$tmp/mbps.dat" using 2:xtic(1) title "nginx" linecolor rgb "#4c72b0", "" using 3 title "pier" linecolor rgb "#dd8452"
unset multiplot
GP
elif [ -s "$tmp/rps.png" ]; then
    cp "$tmp/rps.png" "$dir/$name-throughput.png"
fi
[ -s "$tmp/p99.png" ] && cp "$tmp/p99.png" "$dir/$name-p99.png"
ls -l "$dir/$name"-*.png

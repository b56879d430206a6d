#!/usr/bin/env bash
# CPU per request of Pier's HTTP pipeline alone (return 200 keep-alive through the real handlers on an in-memory
# channel: no sockets, no kernel, no load generator), for comparing builds: bench/java/PipelineCpu.java.
# With two homes it alternates them (A, B, A, B) so the machine's load falls on both alike.
#
# usage: bench/pipeline.sh [PIER_HOME ...]      (default: this checkout; each needs `mvn package` done)
# BENCH_SCENARIO=static measures a 4 KiB static file instead of `return 200`; BENCH_SCENARIO=close a new connection
# (channel) per request; BENCH_SCENARIO=browser a head with a browser's dozen header lines (~560 bytes).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* | head -1)}"
[ "$#" -gt 0 ] || set -- "$here"
for round in 1 2; do
    for home in "$@"; do
        cp="$home/target/pier.jar:$(ls "$home"/target/lib/*.jar | tr '\n' ':')"
        printf '%s (round %s): ' "$home" "$round"
        "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx256m -Dio.netty.leakDetection.level=disabled \
            --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/bench/java/PipelineCpu.java" "${BENCH_SCENARIO:-hello}" 2>&1 \
            | grep 'pipeline CPU'
    done
done

#!/usr/bin/env bash
# Builds the benchmark and runs it: ./bench/run.sh [--events 1000000] [--accounts 10000,100000]
# [--latency-fraction 0.35,0.7] [--latency-seconds 30] [--no-warm-up] [--rounds 5] [--compare-linger] [--out bench/results]
# [--variants transport,domain,floor,ROCKSDB_EO,HASHMAP_EO,ROCKSDB_ALO] [--latency-variants ROCKSDB_EO,HASHMAP_EO,ROCKSDB_ALO] [--timer-burst-days 200]
# Extra JVM options (e.g. a JFR recording) via BENCH_JAVA_OPTS; the collector via BENCH_GC, huge pages via BENCH_PAGES.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f registry/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -pl registry package -DskipTests   # the schema registry app the benchmark starts
fi
./mvnw -B -q -pl bench -am package -DskipTests ${MVN_OFFLINE:+-o}
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
# Fixed heap (-Xms = -Xmx): a growing heap adds noise between variants. BENCH_HEAP=12g for 1 M
# accounts: the domain ceiling and the HashMap variant hold every account on the heap.
HEAP=${BENCH_HEAP:-4g}
# The parallel collector, as deploy/k8s runs the task managers (change 17 in docs/performance-history.md);
# BENCH_GC=-XX:+UseG1GC measures the JVM's default instead.
GC=${BENCH_GC:--XX:+UseParallelGC}
# Transparent huge pages for the heap, as deploy/k8s runs the task managers (change 32);
# BENCH_PAGES= (empty) measures without them.
PAGES=${BENCH_PAGES--XX:+UseTransparentHugePages}
exec java -Xms$HEAP -Xmx$HEAP $GC $PAGES -Dlog4j2.configurationFile=bench/src/main/resources/log4j2.properties ${BENCH_JAVA_OPTS:-} -cp "$CP" io.expansionsignals.bench.Benchmark "$@"

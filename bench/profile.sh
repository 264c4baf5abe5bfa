#!/usr/bin/env bash
# Runs the benchmark under async-profiler and writes its samples as a JFR file:
#   ./bench/profile.sh OUT.jfr [bench/run.sh arguments, e.g. --accounts 100000 --variants ROCKSDB_EO --latency-fraction 0]
# It samples CPU time from the kernel's interval timer, so it sees what JFR's own execution samples
# miss: RocksDB's native code under a state access, and the JVM's threads. Read OUT.jfr with
# `jfr print --events jdk.ExecutionSample` or JDK Mission Control. PROFILE_INTERVAL (default 5ms).
# PROFILE_EVENT=wall samples wall-clock time instead (threads waiting too, e.g. on the broker; use
# an interval of 1-2ms, as each tick samples a few of the JVM's many threads).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [[ "$1" == --* ]]; then
  echo "usage: ./bench/profile.sh OUT.jfr [bench/run.sh arguments]" >&2
  exit 2
fi
OUT=$(realpath -m "$1"); shift
VERSION=2.9   # the version Flink's test utilities bring; its jar carries the native library
DIR=bench/target/async-profiler
case "$(uname -m)" in
  x86_64) PLATFORM=linux-x64 ;;
  aarch64) PLATFORM=linux-arm64 ;;
  *) echo "async-profiler $VERSION has no library for $(uname -m)" >&2; exit 1 ;;
esac
LIB=$DIR/$PLATFORM/libasyncProfiler.so
if [ ! -f "$LIB" ]; then
  ./mvnw -B -q -N ${MVN_OFFLINE:+-o} dependency:copy -Dartifact=tools.profiler:async-profiler:$VERSION -DoutputDirectory="$DIR"
  (cd "$DIR" && jar xf async-profiler-$VERSION.jar "$PLATFORM/libasyncProfiler.so")
fi
export BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} -agentpath:$PWD/$LIB=start,event=${PROFILE_EVENT:-itimer},interval=${PROFILE_INTERVAL:-5ms},jfr,file=$OUT"
exec ./bench/run.sh "$@"

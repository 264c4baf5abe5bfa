#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths (engine per event, AccountState round trip, output encoding, account cache look-up and flush):
# ./bench/jmh.sh [JMH options, e.g. -wi 1 -i 3 or a benchmark name regex]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl bench -am package -DskipTests ${MVN_OFFLINE:+-o}
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java -cp "$CP" org.openjdk.jmh.Main "$@"

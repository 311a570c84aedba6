#!/usr/bin/env bash
# End-to-end latency of the outbox: event commit -> Kafka consumer, at 100 and 2,000 events/s, plus outbox lag.
# Starts the packaged app (embedded PostgreSQL and Kafka) on its own ports and data folder, runs EventLatency.java
# against it, and stops it. Usage: [RATES="5 100 2000"] bench/events/run.sh [SECONDS per rate, default 20]
# RATES="5" WRITERS=1 measures an idle relay: each event finds it waiting on LISTEN (the default 32 writers
# commit in bursts of 32).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RATE=${1:-20}
PORT=${BENCH_HTTP_PORT:-18480}
KAFKA_PORT=${BENCH_KAFKA_PORT:-18492}
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18490}
DATA=${BENCH_DATA_DIR:-/tmp/reelhook-events-bench}
LOG=$DATA.log

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
CP_FILE=target/bench-classpath.txt
[ -f "$CP_FILE" ] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime

rm -rf "$DATA"
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT REELHOOK_DATA_DIR=$DATA \
  java -jar target/quarkus-app/quarkus-run.jar > "$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$MANAGEMENT_PORT/q/health/ready" > /dev/null && break
  sleep 1
done
JDBC=$(grep -o 'jdbc:postgresql://[^ ,]*' "$LOG" | head -1)
echo "app up: $JDBC, Kafka localhost:$KAFKA_PORT"

BENCH="java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp $(cat "$CP_FILE") bench/events/EventLatency.java"
echo "warm-up (JIT, topic creation), not a measurement:"
$BENCH "$JDBC" "localhost:$KAFKA_PORT" 100 5 | sed 's/^/  /'
for RATE in ${RATES:-100 2000}; do
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
  $BENCH "$JDBC" "localhost:$KAFKA_PORT" "$RATE" "$SECONDS_PER_RATE" ${WRITERS:-}
done

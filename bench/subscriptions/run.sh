#!/usr/bin/env bash
# Subscriptions fan-out: EVENTS (default 10,000) signed webhooks to SUBS (10) subscriptions on a local receiver,
# deliveries/s and p50/p99 from commit to delivery; then the same with one of the endpoints dead, for each of
# DEAD_MODES: "refused" (nothing listens) and "silent" (takes connections, never answers: every attempt waits for the
# 15 s timeout). A warm-up of WARMUP events (2,000) comes first, unmeasured: the JIT takes minutes on two cores.
# Starts the packaged app (embedded PostgreSQL and Kafka) on its own ports and data folder, and stops it.
# Usage: [EVENTS=10000] [WARMUP=2000] [DEAD_MODES="refused silent"] bench/subscriptions/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-10000}
SUBS=${SUBS:-10}
WARMUP=${WARMUP:-2000}
DEAD_MODES=${DEAD_MODES:-refused silent}
PORT=${BENCH_HTTP_PORT:-18580}
KAFKA_PORT=${BENCH_KAFKA_PORT:-18592}
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18590}
DATA=${BENCH_DATA_DIR:-/tmp/reelhook-subscriptions-bench}
LOG=$DATA.log
SECRET=whsec_bench_$RANDOM$RANDOM
ADMIN_KEY=bench-admin-$RANDOM$RANDOM

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

rm -rf "$DATA"
# the receiver is on localhost; the dead endpoint fails fast with a short schedule
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT REELHOOK_DATA_DIR=$DATA \
  TWELVELABS_WEBHOOK_SECRET=$SECRET REELHOOK_API_KEYS=$ADMIN_KEY REELHOOK_ADMIN_KEYS=$ADMIN_KEY \
  REELHOOK_WEBHOOKS_ALLOW_PRIVATE=true REELHOOK_WEBHOOKS_RETRY_SCHEDULE=${RETRY_SCHEDULE:-1s,1s} \
  java -jar target/quarkus-app/quarkus-run.jar > "$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$MANAGEMENT_PORT/q/health/ready" > /dev/null && break
  sleep 1
done
echo "app up on $PORT; load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"

bench() {
  java -cp 'target/quarkus-app/lib/main/*' bench/subscriptions/SubsBench.java "http://localhost:$PORT" "$ADMIN_KEY" "$SECRET" "$@"
}
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"; }
if [ "$WARMUP" -gt 0 ]; then
  QUIET=1 bench "$WARMUP" "$SUBS" none
  echo "warm-up: $WARMUP events done; $(load)"
fi
for mode in none $DEAD_MODES; do
  bench "$EVENTS" "$SUBS" "$mode" || echo "the $mode pass did not complete"
  load
done

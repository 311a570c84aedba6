#!/usr/bin/env bash
# Webhook throughput benchmark: the packaged app on its embedded PostgreSQL (fsync and synchronous_commit on),
# unique signed webhooks at CONNECTIONS concurrent keep-alive connections, then the database's own ceiling for the
# same SQL (pgbench, same concurrency), then a count of the rows behind every acknowledgement. LoadGen also splits the
# CPU time of the timed run per webhook: the app (with its embedded Kafka), PostgreSQL, and LoadGen itself.
# Usage: bench/webhook/run.sh   (env: CONNECTIONS=32 DURATION=30 WARMUP=60 MAX_WARMUP=300 WRITERS=2 PORT=18640 SKIP_BUILD=1)
# The warm-up lasts WARMUP seconds at least, and goes on until the app's JIT has settled (see LoadGen), MAX_WARMUP at most.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-32}
SECONDS_RUN=${DURATION:-30}
WARMUP=${WARMUP:-60}
PORT=${PORT:-18640}
MANAGEMENT_PORT=$((PORT + 11))
DATA=${DATA:-/tmp/webhook-bench-data}
WORK=$(mktemp -d /tmp/webhook-bench.XXXXXX)
SECRET=bench_secret
RUN=$(date +%s)

command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
[ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -B -q package -DskipTests

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is taken: set PORT"; exit 1; fi
rm -rf "$DATA"
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$((PORT + 12)) REELHOOK_DATA_DIR=$DATA \
  TWELVELABS_WEBHOOK_SECRET=$SECRET QUARKUS_LOG_CATEGORY__IO_REELHOOK__LEVEL=INFO REELHOOK_LEDGER_WRITERS=${WRITERS:-2} \
  java ${APP_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null || { echo "app did not start; see $WORK/app.log"; exit 1; }

PG_PORT=$(sed -n 4p "$DATA/postgres/postmaster.pid")
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGPASSWORD=postgres PGDATABASE=postgres
echo "PostgreSQL on $PG_PORT: fsync=$(psql -Atc 'show fsync') synchronous_commit=$(psql -Atc 'show synchronous_commit')"

URL="http://127.0.0.1:$PORT/webhooks/twelvelabs"
# compiled once, so that compiling it takes no CPU from the run
javac -d "$WORK/loadgen" bench/webhook/LoadGen.java
echo "webhooks: ${WARMUP}s warm-up or more (until the JIT settles), then ${SECONDS_RUN}s timed, at $CONNECTIONS connections"
# the outbox behind the load: how many stored events wait for Kafka, and the oldest one's age
( while :; do
    curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" \
      | awk '/^reelhook_outbox_pending / {p=$2} /^reelhook_outbox_lag_seconds / {l=$2} END {print p, l}'
    sleep 1
  done ) > "$WORK/outbox.samples" 2>/dev/null &
SAMPLER=$!
POSTMASTER=$(sed -n 1p "$DATA/postgres/postmaster.pid")
RESULT=$(java -cp "$WORK/loadgen" LoadGen "$URL" $SECRET "$CONNECTIONS" "$WARMUP" "$SECONDS_RUN" "run$RUN" "$WORK/acked.txt" \
  app=$APP postgres=$POSTMASTER)
kill $SAMPLER 2>/dev/null || true
echo "$RESULT"
# the gauges are refreshed every 5 s; the samples of the last SECONDS_RUN seconds are the timed run's
awk -v timed=$SECONDS_RUN 'NF == 2 { n++; p[n] = $1; l[n] = $2 } END {
  for (i = 1; i <= n; i++) { if (p[i] > ap) ap = p[i]; if (l[i] > al) al = l[i]
    if (i > n - timed) { if (p[i] > tp) tp = p[i]; if (l[i] > tl) tl = l[i] } }
  printf "outbox behind: in the timed run at most %d events / %.1f s;", tp, tl
  printf " from the start of the warm-up %d / %.1f s\n", ap, al
}' "$WORK/outbox.samples"
curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | grep -E '^reelhook_ledger_batch_(count|sum)' | tr '\n' ' '; echo
echo "load average (other work on this machine skews every figure): $(cut -d' ' -f1-3 /proc/loadavg)"
RATE=$(sed -nE 's/.*webhooks_per_s=([0-9.]+).*/\1/p' <<<"$RESULT")

# every acknowledged notification id must be a stored event
psql -q -c "CREATE TABLE IF NOT EXISTS bench_acked (id text)" -c "TRUNCATE bench_acked"
psql -q -c "\\copy bench_acked FROM '$WORK/acked.txt'"
MISSING=$(psql -Atc "SELECT count(*) FROM bench_acked a WHERE NOT EXISTS (SELECT 1 FROM task_event e WHERE e.notification_id = a.id)")
STORED=$(psql -Atc "SELECT count(*) FROM task_event WHERE notification_id LIKE 'whe_bench_%run${RUN}_%'")
echo "acknowledged (warm-up and timed)=$(wc -l <"$WORK/acked.txt") stored=$STORED acknowledged_but_missing=$MISSING"

echo "database ceiling: pgbench, same SQL, one webhook per transaction, ${SECONDS_RUN}s at $CONNECTIONS clients"
kill -STOP $APP  # the idle app must not take CPU from the database
pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_RUN" -f bench/webhook/ledger.sql >"$WORK/pgbench.txt" 2>&1 || true
kill -CONT $APP
grep -E "tps|latency|failed" "$WORK/pgbench.txt"
CEILING=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$WORK/pgbench.txt")
python3 -c "print(f'webhooks/s={float($RATE):.0f} ceiling_tps={float($CEILING):.0f} ratio={float($RATE)/float($CEILING):.2f}')"
[ "$MISSING" = 0 ] || { echo "FAIL: acknowledged webhooks are missing"; exit 1; }
echo "details in $WORK"

#!/usr/bin/env bash
# Packaged start-up: from `java -XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa -jar
# target/quarkus-app/quarkus-run.jar` (the README's command) until /q/health/ready answers UP. ARCHIVE=off starts
# without the AppCDS archive, for comparison.
#   cold      an empty data directory each time (initdb, Kafka storage format, every migration)
#   warm      the data directory of an earlier start
#   external  PostgreSQL and Kafka already running in a process of their own (bench/startup/Services.java), the
#             application pointed at them; the schema migrated by an earlier start
# Prints each start and the median of RUNS per mode. The PostgreSQL binaries extract once per machine (under
# /tmp/embedded-pg) and are not counted: a first start on a fresh machine takes that much longer once.
#
#   bench/startup/run.sh                         # RUNS=5, MODES="cold warm external"
#   RUNS=1 MODES="cold warm" bench/startup/run.sh
# Ports: HTTP_PORT (8080), MANAGEMENT_PORT (9000), KAFKA_PORT (9092), PG_PORT (5432, external only).
# HEALTH_URL overrides where readiness is asked; by default the management port, else the HTTP port.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
MODES=${MODES:-cold warm external}
HTTP_PORT=${HTTP_PORT:-8080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-9000}
KAFKA_PORT=${KAFKA_PORT:-9092}
PG_PORT=${PG_PORT:-5432}
HEALTH_URL=${HEALTH_URL:-}
TIMEOUT_S=${TIMEOUT_S:-180}
JAR=target/quarkus-app/quarkus-run.jar
ARCHIVE=${ARCHIVE:-target/quarkus-app/app-cds.jsa}
JAVA_OPTS=()
[ "$ARCHIVE" = off ] || JAVA_OPTS=(-XX:SharedArchiveFile="$ARCHIVE")

# -DskipTests also makes the AppCDS archive (the app-cds profile in pom.xml)
[ -f "$JAR" ] && { [ "$ARCHIVE" = off ] || [ -f "$ARCHIVE" ]; } || ./mvnw -B -q package -DskipTests
for port in "$HTTP_PORT" "$MANAGEMENT_PORT" "$KAFKA_PORT" "$PG_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; choose others (HTTP_PORT, MANAGEMENT_PORT, KAFKA_PORT, PG_PORT)" >&2
    exit 1
  fi
done

WORK=$(mktemp -d -t reelhook-startup-XXXXXX)
APP=""
SERVICES=""
cleanup() {
  [ -n "$APP" ] && stop "$APP"
  [ -n "$SERVICES" ] && stop "$SERVICES"
  rm -rf "$WORK"
}
trap cleanup EXIT

stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

ready() {
  if [ -n "$HEALTH_URL" ]; then
    curl -sf -o /dev/null "$HEALTH_URL"
  else
    # 9000 refuses while the management interface is off; 8080 then serves /q/health itself
    curl -sf -o /dev/null "http://localhost:$MANAGEMENT_PORT/q/health/ready" \
      || curl -sf -o /dev/null "http://localhost:$HTTP_PORT/q/health/ready"
  fi
}

# start DATA_DIR LOG [VAR=value...]: one start, its milliseconds in MS; leaves the application stopped
start() {
  local data=$1 log=$2
  shift 2
  local begin end
  begin=$(date +%s%N)
  env REELHOOK_DATA_DIR="$data" REELHOOK_EMBEDDED_KAFKA_PORT="$KAFKA_PORT" QUARKUS_HTTP_PORT="$HTTP_PORT" \
    QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" TWELVELABS_API_KEY= "$@" java "${JAVA_OPTS[@]}" -jar "$JAR" >"$log" 2>&1 &
  APP=$!
  until ready; do
    if ! kill -0 "$APP" 2>/dev/null || [ $(( ($(date +%s%N) - begin) / 1000000000 )) -ge "$TIMEOUT_S" ]; then
      echo "the application did not become ready; its log: $log" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  end=$(date +%s%N)
  stop "$APP"
  APP=""
  MS=$(( (end - begin) / 1000000 ))
}

median() {
  tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}

external_services() {
  local dir=$WORK/external
  mkdir -p "$dir"
  java -Dslf4j.provider=org.slf4j.helpers.NOPServiceProvider \
    -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" bench/startup/Services.java \
    "$dir" "$PG_PORT" "$KAFKA_PORT" >"$WORK/services.log" 2>&1 &
  SERVICES=$!
  for _ in $(seq 1 "$TIMEOUT_S"); do
    grep -q '^ready' "$WORK/services.log" && return 0
    kill -0 "$SERVICES" 2>/dev/null || break
    sleep 1
  done
  echo "PostgreSQL and Kafka did not start; see $WORK/services.log" >&2
  cat "$WORK/services.log" >&2
  exit 1
}

echo "$(date -u +%FT%TZ)  archive: $ARCHIVE  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for mode in $MODES; do
  times=()
  case $mode in
    cold)
      for i in $(seq 1 "$RUNS"); do
        start "$WORK/cold-$i" "$WORK/cold-$i.log"
        times+=("$MS")
        rm -rf "$WORK/cold-$i"
      done
      ;;
    warm)
      start "$WORK/warm" "$WORK/warm-0.log"
      for i in $(seq 1 "$RUNS"); do
        start "$WORK/warm" "$WORK/warm-$i.log"
        times+=("$MS")
      done
      ;;
    external)
      external_services
      external=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PG_PORT/postgres"
        QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
        KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT")
      start "$WORK/ext" "$WORK/external-0.log" "${external[@]}"
      for i in $(seq 1 "$RUNS"); do
        start "$WORK/ext" "$WORK/external-$i.log" "${external[@]}"
        times+=("$MS")
      done
      stop "$SERVICES"
      SERVICES=""
      ;;
    *)
      echo "unknown mode $mode (cold, warm, external)" >&2
      exit 1
      ;;
  esac
  printf '%-9s median %6s ms   (%s)\n' "$mode" "$(echo "${times[*]}" | median)" "${times[*]}"
done

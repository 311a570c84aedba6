#!/usr/bin/env bash
# POST /v1.3/assets of a large file (default 3 GiB) through Reelhook, which sends it with Twelve Labs' multipart upload
# to a local stand-in of that API (MultipartStandIn.java), against the same bytes PUT straight to the stand-in, in one
# run. Checks that the chunks the stand-in received are the file's (SHA-256 of each), with chaos on: every 25th
# chunk PUT fails (500) and every 7th chunk's first URL is expired (403). Prints MiB/s for both, Reelhook's CPU
# seconds per GiB, its peak RSS, and how many chunk PUTs were in flight at once.
#   bench/assets/run.sh [size in MiB, default 3072]
#   env: APP_JAVA_OPTS (default -Xmx256m), CHUNK_MB (16), FAIL_EVERY (25), EXPIRE_EVERY (7)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${1:-3072}
CHUNK=$(( ${CHUNK_MB:-16} * 1024 * 1024 ))
WORK=$(mktemp -d /tmp/reelhook-bench-assets.XXXX)
APP_PORT=${APP_PORT:-28580} UP_PORT=${UP_PORT:-28581} KAFKA_PORT=${KAFKA_PORT:-28592} MGMT_PORT=${MGMT_PORT:-28590}
for port in $APP_PORT $UP_PORT $KAFKA_PORT $MGMT_PORT; do
  ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "port $port is taken; set APP_PORT/UP_PORT/..."; exit 1; }
done
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/video.bin"

(cd bench/assets && exec java MultipartStandIn.java $UP_PORT $CHUNK ${FAIL_EVERY:-25} ${EXPIRE_EVERY:-7}) \
  > "$WORK/standin.log" 2>&1 &
QUARKUS_HTTP_PORT=$APP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT \
  REELHOOK_DATA_DIR="$WORK/data" TWELVELABS_API_URL=http://127.0.0.1:$UP_PORT/v1.3 TWELVELABS_API_KEY=bench \
  REELHOOK_MEDIA_PROBE=false REELHOOK_MULTIPART_CHUNK_RETRY_DELAY=100ms \
  java ${APP_JAVA_OPTS:--Xmx256m} -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP=$!
until curl -sf -o /dev/null localhost:$MGMT_PORT/q/health/ready; do sleep 0.5; done
until curl -s -o /dev/null http://127.0.0.1:$UP_PORT/; do sleep 0.2; done

cpu_ticks() { awk '{print $14 + $15}' /proc/$APP/stat; }

# straight to the stand-in: one PUT of the whole file
DIRECT=$(curl -s -o /dev/null -w '%{time_total}' -T "$WORK/video.bin" http://127.0.0.1:$UP_PORT/sink)

BEFORE=$(cpu_ticks)
THROUGH=$(curl -s -o "$WORK/answer.json" -w '%{time_total}' -H 'Expect:' -F method=direct \
  -F "file=@$WORK/video.bin;type=application/octet-stream" http://127.0.0.1:$APP_PORT/v1.3/assets)
TICKS=$(( $(cpu_ticks) - BEFORE ))
grep -q '"_id"' "$WORK/answer.json" || { echo "upload through Reelhook failed: $(cat "$WORK/answer.json")"; exit 1; }
UPLOAD=$(sed 's/.*"_id":"asset_\([0-9a-f]*\)".*/\1/' "$WORK/answer.json")

curl -s http://127.0.0.1:$UP_PORT/verify/$UPLOAD > "$WORK/received"
CHUNKS=$(( (SIZE_MB * 1024 * 1024 + CHUNK - 1) / CHUNK ))
for i in $(seq 1 $CHUNKS); do
  echo "$i $(dd if="$WORK/video.bin" bs=$CHUNK skip=$((i - 1)) count=1 status=none | sha256sum | cut -d' ' -f1) 1"
done > "$WORK/expected"
if ! diff <(head -n $CHUNKS "$WORK/received") "$WORK/expected" > "$WORK/diff"; then
  echo "the chunks the stand-in received are not the file's:"; head "$WORK/diff"; exit 1
fi

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$APP/status)
HZ=$(getconf CLK_TCK)
awk -v mb=$SIZE_MB -v d=$DIRECT -v t=$THROUGH -v ticks=$TICKS -v hz=$HZ -v rss=$RSS_KB -v chunks=$CHUNKS \
    -v opts="${APP_JAVA_OPTS:--Xmx256m}" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v inflight="$(awk '/max_in_flight/ {print $2}' "$WORK/received")" \
    -v failed="$(awk '/^failed/ {print $2}' "$WORK/received")" \
    -v expired="$(awk '/^expired/ {print $2}' "$WORK/received")" 'BEGIN {
  printf "file: %d MiB in %d chunks; every chunk the stand-in kept equals the file'"'"'s (SHA-256), each PUT once\n", mb, chunks
  printf "chaos survived: %d chunk PUTs answered 500, %d expired URLs answered 403\n", failed, expired
  printf "straight to the stand-in (one PUT):   %.2f s  %.1f MiB/s\n", d, mb / d
  printf "POST /v1.3/assets through Reelhook:   %.2f s  %.1f MiB/s  (ratio %.2f)\n", t, mb / t, d / t
  printf "Reelhook CPU: %.1f s, %.2f s per GiB; peak RSS %.0f MiB (%s); chunk PUTs in flight at most: %d\n", \
    ticks / hz, ticks / hz / (mb / 1024), rss / 1024, opts, inflight
  printf "load average at the end: %s\n", load
}'

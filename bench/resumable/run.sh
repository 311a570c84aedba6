#!/usr/bin/env bash
# A large resumable upload (tus, default 3 GiB in 64 MiB PATCHes) against the plain POST /v1.3/assets of the same
# file, in one run, both to bench/assets' local stand-in of Twelve Labs' multipart API (no chaos here). The tus
# upload is timed until its asset exists (Reelhook sends its chunks to Twelve Labs while it arrives, the last one
# after the media check at completion), and also until its last PATCH was acknowledged. Prints MiB/s, Reelhook's CPU seconds per GiB for each, and its peak RSS.
#   bench/resumable/run.sh [size in MiB, default 3072]
#   env: APP_JAVA_OPTS (default -Xmx256m), PATCH_MB (64), CHUNK_MB (16)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${1:-3072}
PATCH=$(( ${PATCH_MB:-64} * 1024 * 1024 ))
CHUNK=$(( ${CHUNK_MB:-16} * 1024 * 1024 ))
WORK=$(mktemp -d /tmp/reelhook-bench-resumable.XXXX)
APP_PORT=${APP_PORT:-28680} UP_PORT=${UP_PORT:-28681} KAFKA_PORT=${KAFKA_PORT:-28692} MGMT_PORT=${MGMT_PORT:-28690}
for port in $APP_PORT $UP_PORT $KAFKA_PORT $MGMT_PORT; do
  ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "port $port is taken; set APP_PORT/UP_PORT/..."; exit 1; }
done
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/video.bin"
SIZE=$(stat -c %s "$WORK/video.bin")

(cd bench/assets && exec java MultipartStandIn.java $UP_PORT $CHUNK 0 0) > "$WORK/standin.log" 2>&1 &
QUARKUS_HTTP_PORT=$APP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT \
  REELHOOK_DATA_DIR="$WORK/data" TWELVELABS_API_URL=http://127.0.0.1:$UP_PORT/v1.3 TWELVELABS_API_KEY=bench \
  REELHOOK_MEDIA_PROBE=false java ${APP_JAVA_OPTS:--Xmx256m} -jar target/quarkus-app/quarkus-run.jar \
  > "$WORK/app.log" 2>&1 &
APP=$!
until curl -sf -o /dev/null localhost:$MGMT_PORT/q/health/ready; do sleep 0.5; done
until curl -s -o /dev/null http://127.0.0.1:$UP_PORT/; do sleep 0.2; done

cpu_ticks() { awk '{print $14 + $15}' /proc/$APP/stat; }
now() { date +%s.%N; }
BASE=http://127.0.0.1:$APP_PORT

# plain POST /v1.3/assets
BEFORE=$(cpu_ticks)
PLAIN=$(curl -s -o "$WORK/answer.json" -w '%{time_total}' -H 'Expect:' -F method=direct \
  -F "file=@$WORK/video.bin;type=application/octet-stream" $BASE/v1.3/assets)
PLAIN_TICKS=$(( $(cpu_ticks) - BEFORE ))
grep -q '"_id"' "$WORK/answer.json" || { echo "POST /v1.3/assets failed: $(cat "$WORK/answer.json")"; exit 1; }

# tus: create, then PATCHes of PATCH bytes, each read from the file with dd
BEFORE=$(cpu_ticks)
START=$(now)
LOCATION=$(curl -si -X POST $BASE/uploads -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $SIZE" \
  -H "Upload-Metadata: filename $(printf bench.bin | base64)" | tr -d '\r' | awk -F': ' 'tolower($1) == "location" {print $2}')
ID=${LOCATION##*/}
OFFSET=0
PATCHES=0
while [ $OFFSET -lt $SIZE ]; do
  dd if="$WORK/video.bin" bs=$PATCH skip=$((OFFSET / PATCH)) count=1 status=none \
    | curl -s -o /dev/null -D "$WORK/headers" -X PATCH $BASE/uploads/$ID -H 'Tus-Resumable: 1.0.0' -H 'Expect:' \
      -H "Upload-Offset: $OFFSET" -H 'Content-Type: application/offset+octet-stream' --data-binary @-
  OFFSET=$(tr -d '\r' < "$WORK/headers" | awk -F': ' 'tolower($1) == "upload-offset" {print $2}')
  PATCHES=$((PATCHES + 1))
done
RECEIVED=$(now)
until curl -s $BASE/api/v1/uploads/$ID | grep -q '"asset_id":"'; do
  curl -s $BASE/api/v1/uploads/$ID | grep -q '"error":"' && { echo "the upload failed: $(curl -s $BASE/api/v1/uploads/$ID)"; exit 1; }
  sleep 0.2
done
MADE=$(now)
TUS_TICKS=$(( $(cpu_ticks) - BEFORE ))

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$APP/status)
awk -v mb=$SIZE_MB -v plain=$PLAIN -v start=$START -v received=$RECEIVED -v made=$MADE -v pt=$PLAIN_TICKS \
    -v tt=$TUS_TICKS -v hz=$(getconf CLK_TCK) -v rss=$RSS_KB -v patches=$PATCHES -v opts="${APP_JAVA_OPTS:--Xmx256m}" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  gib = mb / 1024
  printf "file: %d MiB; tus in %d PATCHes\n", mb, patches
  printf "POST /v1.3/assets:            %.2f s  %.1f MiB/s  CPU %.2f s per GiB\n", plain, mb / plain, pt / hz / gib
  printf "tus, last PATCH acknowledged: %.2f s  %.1f MiB/s\n", received - start, mb / (received - start)
  printf "tus, until its asset exists:  %.2f s  %.1f MiB/s  CPU %.2f s per GiB\n", made - start, mb / (made - start), tt / hz / gib
  printf "Reelhook peak RSS: %.0f MiB (%s); load average at the end: %s\n", rss / 1024, opts, load
}'

#!/usr/bin/env bash
# Upload throughput: the same generated file through Reelhook and straight to a local fake upstream, in one run,
# each after warm-up uploads (a service runs warm). Prints both throughputs, their ratio and Reelhook's peak RSS
# and heap. Reelhook forwards the file while it arrives and holds back the request's last part until its checks
# pass; ffprobe is off because the file is random bytes.
#   bench/upload/run.sh [size in MiB, default 1024]
#   env: APP_JAVA_OPTS (default -Xmx256m), WARMUPS (10, at least) of WARMUP_MB (256),
#        MAX_WARMUPS (40), RUNS (3; the median run is reported)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${1:-1024}
WORK=$(mktemp -d /tmp/reelhook-bench-upload.XXXX)
APP_PORT=${APP_PORT:-28480} UP_PORT=${UP_PORT:-28481} KAFKA_PORT=${KAFKA_PORT:-28492} MGMT_PORT=${MGMT_PORT:-28490}
for port in $APP_PORT $UP_PORT $KAFKA_PORT; do
  ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo "port $port is taken; set APP_PORT/UP_PORT/KAFKA_PORT"; exit 1; }
done
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/video.bin"
head -c $((${WARMUP_MB:-256} * 1024 * 1024)) "$WORK/video.bin" > "$WORK/warmup.bin"

(cd bench/upload && exec java FakeUpstream.java $UP_PORT) > "$WORK/upstream.log" 2>&1 &
QUARKUS_HTTP_PORT=$APP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT REELHOOK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT REELHOOK_DATA_DIR="$WORK/data" \
  TWELVELABS_API_URL=http://127.0.0.1:$UP_PORT/v1.3 TWELVELABS_API_KEY=bench REELHOOK_MEDIA_PROBE=false \
  java ${APP_JAVA_OPTS:--Xmx256m} -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP=$!
until curl -sf -o /dev/null localhost:$MGMT_PORT/q/health/ready; do sleep 0.5; done
until curl -s -o /dev/null http://127.0.0.1:$UP_PORT/; do sleep 0.2; done

# heap: one long-lived jstat samples the used heap (S0U+S1U+EU+OU, KiB) every 200 ms; a jcmd per sample would start
# a JVM five times a second and take CPU from the run it measures
jstat -gc $APP 200 > "$WORK/jstat.out" &
SAMPLER=$!

upload() { # url [file] -> seconds; no Expect: 100-continue, so that neither side waits for it
  curl -s -o "$WORK/answer.json" -w '%{time_total}' -H 'Expect:' -F index_id=bench \
    -F "video_file=@${2:-$WORK/video.bin};type=application/octet-stream" "$1"
}
jit_ticks() { # CPU ticks (10 ms) of the app's JIT compiler threads so far
  cat /proc/$APP/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre/ {sub(/.*\) /, ""); t += $12 + $13} END {print t + 0}'
}
# warm-up: WARMUPS uploads at least, then more until the app's JIT compiled for under 5% of a warm-up's time (the JIT
# keeps compiling Netty and Vert.x code through the first few GiB on two cores), MAX_WARMUPS at most
WARMED=0
while :; do
  before=$(jit_ticks)
  upload http://127.0.0.1:$UP_PORT/v1.3/tasks "$WORK/warmup.bin" >/dev/null
  seconds=$(upload http://127.0.0.1:$APP_PORT/v1.3/tasks "$WORK/warmup.bin")
  WARMED=$((WARMED + 1)) JIT=$(( $(jit_ticks) - before ))
  if [ $WARMED -ge ${WARMUPS:-10} ] && awk -v j=$JIT -v s=$seconds 'BEGIN {exit !(j / 100 < 0.05 * s)}'; then
    break
  fi
  [ $WARMED -lt ${MAX_WARMUPS:-40} ] || break
done
echo "warm-up: $WARMED uploads of ${WARMUP_MB:-256} MiB; the app's JIT in the last one: ${JIT}0 ms of CPU in ${seconds} s"
for run in $(seq ${RUNS:-3}); do # alternated, so that both sides see the same machine
  echo "$(upload http://127.0.0.1:$UP_PORT/v1.3/tasks) $(upload http://127.0.0.1:$APP_PORT/v1.3/tasks)" >> "$WORK/runs"
  grep -q '"_id"' "$WORK/answer.json" || { echo "upload through Reelhook failed: $(cat "$WORK/answer.json")"; exit 1; }
done
kill $SAMPLER 2>/dev/null || true

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$APP/status)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
HEAP_MAX=$(awk '$3 ~ /^[0-9.]+$/ {used = $3 + $4 + $6 + $8; if (used > max) max = used} END {printf "%.0fK", max}' "$WORK/jstat.out")
sort -k2 -g "$WORK/runs" | awk -v mb=$SIZE_MB -v rss=$RSS_KB -v opts="${APP_JAVA_OPTS:--Xmx256m}" -v load="$LOAD" \
    -v heap="$HEAP_MAX" '{d[NR] = $1; v[NR] = $2} END {
  printf "file: %d MiB, %d runs (seconds, direct and through Reelhook, by Reelhook time):", mb, NR
  for (i = 1; i <= NR; i++) printf " %.2f/%.2f", d[i], v[i]
  m = int((NR + 1) / 2)
  printf "\nmedian run:\n"
  printf "direct to upstream:  %.2f s  %.1f MiB/s\n", d[m], mb / d[m]
  printf "through Reelhook:    %.2f s  %.1f MiB/s\n", v[m], mb / v[m]
  printf "ratio Reelhook/direct: %.2f\n", d[m] / v[m]
  printf "Reelhook peak RSS: %.0f MiB, peak used heap sample: %s (%s)\n", rss / 1024, heap, opts
  printf "load average before the run ended: %s\n", load
}'

#!/usr/bin/env bash
# A reference point for bench/upload/run.sh: what a proxy written in C reaches on this machine. The same multipart
# upload goes straight to the fake upstream, through nginx streaming the body (proxy_request_buffering off: no copy
# kept, so no retry possible) and through nginx spooling it to a file first (on). Reelhook spools while it streams.
#   bench/upload/nginx.sh [size in MiB, default 1024]   (env: WARMUPS 5 of 256 MiB, RUNS 3; installs nginx if absent)
set -euo pipefail
cd "$(dirname "$0")"
SIZE_MB=${1:-1024}
PROXY_PORT=${PROXY_PORT:-28590} UP_PORT=${UP_PORT:-28481}
WORK=$(mktemp -d /tmp/reelhook-bench-nginx.XXXX)
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
trap 'nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/body"
chmod 755 "$WORK" && chmod 777 "$WORK/body" # nginx's workers run as another user
cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/body;
  proxy_temp_path $WORK/body;
  server {
    listen 127.0.0.1:$PROXY_PORT;
    client_max_body_size 3g;
    location /stream/ { proxy_pass http://127.0.0.1:$UP_PORT/; proxy_http_version 1.1; proxy_request_buffering off; }
    location /spool/ { proxy_pass http://127.0.0.1:$UP_PORT/; proxy_http_version 1.1; proxy_request_buffering on; }
  }
}
EOF
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/video.bin"
head -c $((256 * 1024 * 1024)) "$WORK/video.bin" > "$WORK/warmup.bin"
java FakeUpstream.java $UP_PORT > "$WORK/upstream.log" 2>&1 &
nginx -c "$WORK/nginx.conf"
until curl -s -o /dev/null http://127.0.0.1:$UP_PORT/; do sleep 0.2; done

upload() { # url [file] -> seconds
  local answer
  answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Expect:' -F index_id=bench \
    -F "video_file=@${2:-$WORK/video.bin};type=application/octet-stream" "$1")
  [ "${answer% *}" = 200 ] || { echo "$1 answered ${answer% *}" >&2; tail -3 "$WORK/error.log" >&2; exit 1; }
  echo "${answer#* }"
}
DIRECT=http://127.0.0.1:$UP_PORT/v1.3/tasks
for _ in $(seq ${WARMUPS:-5}); do # the fake upstream is a JVM: warm it
  for url in $DIRECT http://127.0.0.1:$PROXY_PORT/stream/v1.3/tasks http://127.0.0.1:$PROXY_PORT/spool/v1.3/tasks; do
    upload $url "$WORK/warmup.bin" >/dev/null || exit 1
  done
done
for _ in $(seq ${RUNS:-3}); do # alternated, so that all three see the same machine
  direct=$(upload $DIRECT)
  streaming=$(upload http://127.0.0.1:$PROXY_PORT/stream/v1.3/tasks)
  spooling=$(upload http://127.0.0.1:$PROXY_PORT/spool/v1.3/tasks)
  echo "$direct $streaming $spooling" >> "$WORK/runs"
done
awk -v mb=$SIZE_MB '{printf "run: direct %.2f s, nginx streaming %.2f s (ratio %.2f), nginx spooling %.2f s (ratio %.2f)\n",
  $1, $2, $1 / $2, $3, $1 / $3; d += $1; s += $2; p += $3}
  END {printf "mean: direct %.0f MiB/s, nginx streaming %.0f MiB/s, nginx spooling %.0f MiB/s\n",
  mb * NR / d, mb * NR / s, mb * NR / p}' "$WORK/runs"

#!/usr/bin/env bash
# Load benchmark of palate serve on loopback, bounded in time and count: requests/s and p50/p99 latency of the
# pickle endpoint with dynamic batching (--max-batch 32 --max-wait-ms 5) against --max-batch 1, at 1, 8 and 64
# concurrent clients (one image per request, 16 distinct prompts), then the server's RSS before and after SOAK
# requests at 64 clients (in two halves). Needs the build of the README (mvn -q package -DskipTests) for ./palate.
#
#   server/bench/load.sh                      # defaults below; SECONDS_PER_RUN=15 SOAK=100000
#   MODEL=/models/HPS_v2_compressed.pt IMAGE=some.jpg DEVICE=cuda server/bench/load.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${MODEL:-$root/testdata/clip/clip-tiny-gelu}"           # the tiniest fixture: 56 px ViT, 2 layers
IMAGE="${IMAGE:-$root/testdata/clip/images/rgb_223x225.jpg}"
METRIC="${METRIC:-hpsv2}"
DEVICE="${DEVICE:-cpu}"
PORT="${PORT:-18181}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"
SOAK="${SOAK:-100000}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx1g}"   # a bounded heap, so RSS growth is not the heap growing into free RAM
THREADS="${THREADS:-1}"   # libtorch intra-op threads: on 2 cores, 1 leaves the other to HTTP, decoding and the client
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
load() { "$java_bin" "$root/server/bench/RewardLoad.java" "http://127.0.0.1:$PORT/$METRIC" "$IMAGE" "$@"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

server_pid=""
start_server() { # $1 = --max-batch
    local log; log="$(mktemp)"
    # OpenBLAS and OpenMP get the same thread count as libtorch: their default (one per core) spin-waits under load
    # and made batched forwards 5x slower on 2 busy cores (8 clients: 52 against 220 requests/s)
    OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" PALATE_JAVA_OPTS="$SERVER_JAVA_OPTS" "$root/palate" serve --metric "$METRIC" --model "$MODEL" --device "$DEVICE" --threads "$THREADS" --port "$PORT" \
        --max-batch "$1" --max-wait-ms 5 --max-queue 4096 >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do
        grep -q "ready on" "$log" && return 0
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    echo "load.sh: the server did not get ready in 60 s" >&2; cat "$log" >&2; exit 1
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || { echo "load.sh: palate serve exited $? on SIGTERM" >&2; exit 1; }
}
trap '[[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true' EXIT

echo "# $METRIC on $DEVICE ($THREADS libtorch threads), model $MODEL, image $IMAGE, ${SECONDS_PER_RUN}s per run, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for batch in 32 1; do
    start_server "$batch"
    load 8 2000 60 >/dev/null   # warm-up: JIT, allocator, text cache
    for clients in 1 8 64; do
        echo "max_batch=$batch $(load "$clients" 1000000000 "$SECONDS_PER_RUN")"
    done
    stop_server
done

[[ "$SOAK" -gt 0 ]] || exit 0
# the soak in two halves: RSS after warm-up, after half and after all of SOAK requests (a leak keeps growing; a
# heap that reaches its -Xmx and stays there does not)
start_server 32
load 8 2000 60 >/dev/null
before=$(rss_kb "$server_pid")
echo "soak max_batch=32 first half  $(load 64 $((SOAK / 2)) $((SOAK_SECONDS / 2)))"
half=$(rss_kb "$server_pid")
echo "soak max_batch=32 second half $(load 64 $((SOAK - SOAK / 2)) $((SOAK_SECONDS / 2)))"
after=$(rss_kb "$server_pid")
echo "rss_mb after_warmup=$((before / 1024)) after_half=$((half / 1024)) after_all=$((after / 1024)) (server JVM: $SERVER_JAVA_OPTS)"
stop_server

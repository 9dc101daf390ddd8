#!/usr/bin/env bash
# Peak resident memory of one HPSv2 run over 64 different 1024x1024 JPEGs: `palate score --metric hpsv2` (batched,
# decoding ahead) against HPSv2's per-image Python loop (cpu_speed_torch.py hpsv2-loop: PIL + open_clip), both on the same
# small random open_clip model (testdata/clip/clip-tiny-quickgelu), so what is compared is the pipeline's own memory:
# runtime, decode-ahead buffers, heap. Both run under /usr/bin/time -v. Needs a python with torch, open_clip_torch,
# pillow, numpy (PYTHON=...); not used by the build or tests.   bench/compare/peak-rss.sh [images=64] [threads=2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; root="$here/../.."
n="${1:-64}"; threads="${2:-2}"; python="${PYTHON:-python3}"
model="$root/testdata/clip/clip-tiny-quickgelu"
work="$(mktemp -d)"; mkdir -p "$work/images"
for i in $(seq 1 "$n"); do "$python" "$here/cpu_speed_torch.py" mkjpeg "$work/images/$(printf %03d "$i").jpg" "$i"; done
prompt="a photo of a cat"
/usr/bin/time -v "$root/palate" score --metric hpsv2 --model "hpsv2=$model/open_clip_state.pt" --images "$work/images" \
  --prompt "$prompt" --threads "$threads" --quiet --output "$work/palate.jsonl" 2> "$work/palate.time" > /dev/null
OMP_NUM_THREADS="$threads" /usr/bin/time -v "$python" "$here/cpu_speed_torch.py" hpsv2-loop "$model" "$work/images" "$prompt" \
  2> "$work/torch.time" > /dev/null
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1"; }
p=$(rss "$work/palate.time"); t=$(rss "$work/torch.time")
echo "peak RSS, $n images 1024x1024 JPEG, HPSv2 pipeline on a tiny model, threads=$threads"
echo "palate   ${p} MB  wall $(wall "$work/palate.time")  rows $(wc -l < "$work/palate.jsonl")"
echo "python   ${t} MB  wall $(wall "$work/torch.time")"
awk -v p="$p" -v t="$t" 'BEGIN { printf "ratio palate / python: %.2f\n", p / t }'

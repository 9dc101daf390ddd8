#!/usr/bin/env bash
# Side by side, one run, same machine and thread count: Palate's CLIP image tower (JMH ClipEncodeBench) against open_clip's
# own (cpu_speed_torch.py), random weights, CPU, images/s and the ratio Palate / PyTorch per batch size. Needs a python
# with torch and open_clip_torch (PYTHON=...); not used by tests. The full interleaved table is cpu-speed.sh.
#   bench/compare/clip-encode.sh [threads=1] [batches=1,8] [size=vit-b-16] [dtype=fp32]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-1}"; batches="${2:-1,8}"; size="${3:-vit-b-16}"; dtype="${4:-fp32}"; python="${PYTHON:-python3}"
out="$(mktemp -d)"
"$here/../run" ClipEncodeBench.encode -p size="$size" -p dtype="$dtype" -p batch="$batches" -p threads="$threads" \
  -f 1 -wi 1 -w 3 -i 2 -r 3 -rf csv -rff "$out/palate.csv" > "$out/jmh.log"
echo "batch  palate_img_s  torch_img_s  ratio (size=$size, dtype=$dtype, threads=$threads, $("$python" -c 'import torch; print("torch", torch.__version__)'))"
IFS=, read -ra bs <<< "$batches"
for b in "${bs[@]}"; do
  p=$(tr -d '"' < "$out/palate.csv" | awk -F, -v b="$b" '$1 ~ /:images$/ && $8 == b {print $5}')
  t=$(OMP_NUM_THREADS="$threads" "$python" "$here/cpu_speed_torch.py" encode "$size" "$dtype" "$threads" "$b" 3)
  awk -v b="$b" -v p="$p" -v t="$t" 'BEGIN { printf "%5s  %12.3f  %11.3f  %5.2f\n", b, p, t, p / t }'
done

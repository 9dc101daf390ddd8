#!/usr/bin/env bash
# Side by side, one run, same machine and thread count: Palate's CLIP image tower (JMH ClipEncodeBench, ViT-B/16
# sizes, fp32 CPU) against the same architecture in PyTorch eager (clip_encode_torch.py). Prints images/s and the
# ratio Palate / PyTorch per batch size. Needs a python3 with torch (PYTHON=... to choose one); not used by tests.
#   bench/compare/clip-encode.sh [threads=1] [batches=1,8]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-1}"; batches="${2:-1,8}"; python="${PYTHON:-python3}"
out="$(mktemp -d)"
"$here/../run" ClipEncodeBench -p batch="$batches" -p threads="$threads" -f 1 -wi 2 -w 3 -i 3 -r 5 \
  -rf csv -rff "$out/palate.csv" > "$out/jmh.log"
"$python" "$here/clip_encode_torch.py" "$threads" 15 "$batches" > "$out/torch.txt"
echo "batch  palate_img_s  torch_img_s  ratio (threads=$threads, $("$python" -c 'import torch; print("torch", torch.__version__)'))"
grep ':images' "$out/palate.csv" | while IFS=, read -r name mode threadsCol samples score err unit batch device dtype size thr; do
  b="${batch//\"/}"; p="${score}"
  t=$(awk -v b="$b" '$2==b {print $3}' "$out/torch.txt")
  awk -v b="$b" -v p="$p" -v t="$t" 'BEGIN { printf "%5s  %12.3f  %11.3f  %5.2f\n", b, p, t, p / t }'
done

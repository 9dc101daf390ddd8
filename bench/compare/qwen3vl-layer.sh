#!/usr/bin/env bash
# Side by side, one run, same machine and thread count: one UnifiedReward-Edit (Qwen3-VL-8B-sized) decoder layer in
# Palate (JMH Qwen3VlLayerBench) against transformers' own Qwen3VLTextDecoderLayer in PyTorch eager
# (qwen3vl_layer_torch.py): prefill tokens/s for a CONTEXT-token prompt, decode tokens/s against a CONTEXT-token KV
# cache. Needs a python3 with torch and transformers 5.x (PYTHON=... picks it); not used by the build or the tests.
#   bench/compare/qwen3vl-layer.sh [threads=2] [dtypes=bf16] [context=1024] [batch=1]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"; dtypes="${2:-bf16}"; context="${3:-1024}"; batch="${4:-1}"; python="${PYTHON:-python3}"
out="$(mktemp -d)"
"$here/../run" Qwen3VlLayerBench -p dtype="$dtypes" -p context="$context" -p batch="$batch" -p threads="$threads" \
  -f 1 -wi 1 -w 5 -i 3 -r 5 -rf csv -rff "$out/palate.csv" > "$out/jmh.log"
"$python" "$here/qwen3vl_layer_torch.py" "$threads" 15 "$context" "$batch" "$dtypes" > "$out/torch.txt"
echo "mode     dtype  palate_tok_s  torch_tok_s  ratio  (threads=$threads, context=$context, batch=$batch, $("$python" -c 'import torch; print("torch", torch.__version__)'))"
# JMH csv: "Benchmark",...,"Param: batch","Param: context","Param: device","Param: dtype","Param: threads"
grep ':tokens"' "$out/palate.csv" | tr -d '"' | while IFS=, read -r name mode thr samples score err unit pbatch pcontext device dtype pthreads; do
  m="${name##*.}"; m="${m%%:*}"
  t=$(awk -v m="$m" -v d="$dtype" '$2==m && $3==d {print $4}' "$out/torch.txt")
  awk -v m="$m" -v d="$dtype" -v p="$score" -v t="$t" 'BEGIN { printf "%-8s %-6s %12.1f %12.1f %6.2f\n", m, d, p, t, p / t }'
done

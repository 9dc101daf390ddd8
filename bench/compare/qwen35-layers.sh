#!/usr/bin/env bash
# Side by side, one run, same machine and thread count: one Qwen3.5-9B gated delta-net and one gated full-attention
# token mixer in Palate (JMH Qwen35LayerBench) against transformers' Qwen3_5GatedDeltaNet / Qwen3_5Attention in PyTorch
# eager (its torch fallbacks for the delta rule and the causal conv), prefill and cached decode tokens/s. Needs a
# python3 with torch and transformers 5.x (PYTHON=... picks it); not used by the build or the tests.
#   bench/compare/qwen35-layers.sh [threads=2] [dtype=bf16] [context=1024]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"; dtype="${2:-bf16}"; context="${3:-1024}"; python="${PYTHON:-python3}"
out="$(mktemp -d)"
"$here/../run" Qwen35LayerBench -p mixer=deltanet,attention -p dtype="$dtype" -p context="$context" -p threads="$threads" \
  -f 1 -wi 1 -w 5 -i 3 -r 5 -rf csv -rff "$out/palate.csv" > "$out/jmh.log"
"$python" "$here/qwen35_layers_torch.py" "$threads" 15 "$context" deltanet,attention "$dtype" > "$out/torch.txt"
echo "mode     mixer      dtype  palate_tok_s  torch_tok_s  ratio  (threads=$threads, context=$context, $("$python" -c 'import torch; print("torch", torch.__version__)'))"
# JMH csv: "Benchmark",...,"Param: context","Param: device","Param: dtype","Param: mixer","Param: threads"
grep ':tokens"' "$out/palate.csv" | tr -d '"' | while IFS=, read -r name mode thr samples score err unit pcontext device pdtype mixer pthreads; do
  m="${name##*.}"; m="${m%%:*}"
  t=$(awk -v m="$m" -v x="$mixer" '$2==m && $3==x {print $5}' "$out/torch.txt")
  awk -v m="$m" -v x="$mixer" -v d="$pdtype" -v p="$score" -v t="$t" 'BEGIN { printf "%-8s %-10s %-6s %12.2f %12.2f %6.2f\n", m, x, d, p, t, p / t }'
done

#!/usr/bin/env bash
# Side by side, one run, same machine and thread count: one HPSv3 (Qwen2-VL-7B-sized) decoder layer and one vision
# block in Palate (JMH Qwen2VlLayerBench) against transformers' own Qwen2VLDecoderLayer / Qwen2VLVisionBlock in
# PyTorch eager (qwen2vl_layers_torch.py), random weights, CPU, one sequence of TOKENS tokens. Prints tokens/s and the
# ratio Palate / PyTorch per layer and dtype. Needs a python3 with torch and transformers 5.x (PYTHON=... picks it);
# not used by the build or the tests.
#   bench/compare/qwen2vl-layers.sh [threads=2] [dtypes=fp32,bf16] [tokens=1100] [layers=decoder,vision]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${1:-2}"; dtypes="${2:-fp32,bf16}"; tokens="${3:-1100}"; layers="${4:-decoder,vision}"; python="${PYTHON:-python3}"
out="$(mktemp -d)"
"$here/../run" Qwen2VlLayerBench -p layer="$layers" -p dtype="$dtypes" -p tokens="$tokens" -p threads="$threads" \
  -f 1 -wi 1 -w 5 -i 3 -r 5 -rf csv -rff "$out/palate.csv" > "$out/jmh.log"
"$python" "$here/qwen2vl_layers_torch.py" "$threads" 15 "$tokens" "$layers" "$dtypes" > "$out/torch.txt"
echo "layer    dtype  palate_tok_s  torch_tok_s  ratio  (threads=$threads, tokens=$tokens, $("$python" -c 'import torch; print("torch", torch.__version__)'))"
# JMH csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: device","Param: dtype","Param: layer","Param: threads","Param: tokens"
grep ':tokens"' "$out/palate.csv" | tr -d '"' | while IFS=, read -r name mode thr samples score err unit device dtype layer pthreads ptokens; do
  t=$(awk -v l="$layer" -v d="$dtype" '$2==l && $3==d {print $4}' "$out/torch.txt")
  awk -v l="$layer" -v d="$dtype" -v p="$score" -v t="$t" 'BEGIN { printf "%-8s %-6s %12.1f %12.1f %6.2f\n", l, d, p, t, p / t }'
done

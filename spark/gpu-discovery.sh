#!/usr/bin/env bash
# Spark's GPU discovery script for Palate executors: prints the GPUs this executor may use as Spark's resource JSON,
# {"name": "gpu", "addresses": ["0", "1"]}; ScoreJob/PalateScorer with device=cuda score each task on the address
# Spark assigned it. Honours CUDA_VISIBLE_DEVICES (as YARN and Kubernetes set it, addresses then count from 0).
# Use: --conf spark.executor.resource.gpu.discoveryScript=/path/to/gpu-discovery.sh (on every node).
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  n=$(tr ',' '\n' <<<"$CUDA_VISIBLE_DEVICES" | grep -c .)
  ids=$(seq 0 $((n - 1)))
else
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$(sed 's/.*/"&"/' <<<"$ids" | paste -sd, -)"

#!/usr/bin/env bash
# Issue 12's side-by-side CPU speed check, interleaved in one run: Palate's CLIP image towers (JMH ClipEncodeBench) and
# open_clip's own (ViT-B/16 and ViT-L/14, QuickGELU, random weights) at 1 and 2 threads, batch 1 and 8, fp32; ViT-B/16
# bf16; decode + P1 of one 1024x1024 JPEG on one core (PreprocessBench against PIL + open_clip's transform). Prints a
# table of median images/s, the median ratio Palate / PyTorch and the load average beside each row. Needs a python
# with torch, open_clip_torch, torchvision, pillow and numpy (PYTHON=...); not used by the build or the tests.
#   bench/compare/cpu-speed.sh [--rounds 3] [--seconds 3] [--cases all|fp32|fp32-b16|bf16|decode] [--csv out.csv] [--openblas default,1]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "${PYTHON:-python3}" "$here/cpu_speed.py" "$@"

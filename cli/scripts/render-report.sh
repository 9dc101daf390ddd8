#!/usr/bin/env bash
# Renders a Palate HTML report to a PNG with headless Chromium (Debian: apt-get install -y chromium), to check
# that the self-contained report displays: tables, one histogram per metric and checkpoint.
#   usage: cli/scripts/render-report.sh REPORT.html OUT.png [WIDTH,HEIGHT]     (default 1280,1600)
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT]" >&2
  exit 2
fi
report=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1280,1600}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$browser" ]]; then
  echo "render-report: no chromium on PATH; install Debian's package (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 3
fi
[[ -f "$report" ]] || { echo "render-report: $report does not exist; write it with palate report --output x.html" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
# No network: the report is self-contained, and these flags keep Chromium from phoning home.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out" --window-size="$size" "file://$report" >"$profile/chromium.log" 2>&1 || {
  echo "render-report: chromium failed; its log:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
}
[[ -s "$out" ]] || { echo "render-report: chromium wrote no $out; its log:" >&2; cat "$profile/chromium.log" >&2; exit 1; }
echo "$out"

#!/usr/bin/env bash
# Rows/s of the Spark path (ScoreJob through spark/run-local, local mode, CPU) against `palate score` on the same
# images: the 10 fixture images hard-linked to N files, hpsv2 on the tiny fixture model testdata/clip/clip-tiny-gelu,
# so what is measured is the overhead around the model (reading, decoding, batching, Spark itself). Prints both
# rates (whole command, and ScoreJob's own time after its session started), their ratio, the partition count and how
# often the model was loaded, and checks that both outputs sum to the same scores.
#
#   spark/bench/spark-vs-cli.sh [N=2000] [MASTER=local[2]] [PARTITIONS=binaryFile's own]
#
# Builds with `mvn -q package -DskipTests` when ./palate or the palate-spark jar is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-2000}" master="${2:-local[2]}" partitions="${3:-}"
batch=16 prompt="a photo of a cat" model="$root/testdata/clip/clip-tiny-gelu"
cd "$root"
if ! ls cli/target/palate-cli-*.jar spark/target/palate-spark-*.jar spark/target/spark-classpath.txt >/dev/null 2>&1; then
  echo "building: mvn -q package -DskipTests" >&2
  mvn -q package -DskipTests
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/palate-spark-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/images"
fixtures=("$root"/testdata/clip/images/*)
for ((i = 0; i < n; i++)); do
  f="${fixtures[i % ${#fixtures[@]}]}"
  ln "$f" "$work/images/$(printf %05d "$i").${f##*.}" 2>/dev/null || cp "$f" "$work/images/$(printf %05d "$i").${f##*.}"
done
now() { date +%s.%N; }

t0=$(now)
./palate score --metric hpsv2 --model "$model" --images "$work/images" --prompt "$prompt" --batch-size "$batch" \
  --output "$work/cli.jsonl" --quiet
t1=$(now)
extra=()
[[ -n "$partitions" ]] && extra=(--partitions "$partitions")
spark/run-local --master "$master" --input "$work/images" --format binaryFile --metric hpsv2 --model "$model" \
  --prompt "$prompt" --batch-size "$batch" --output "$work/spark" --output-format json "${extra[@]}" 2> "$work/spark.log" \
  || { cat "$work/spark.log" >&2; exit 1; }
t2=$(now)
summary=$(grep '^palate ScoreJob:' "$work/spark.log")

# "palate ScoreJob: 2000 rows (0 with an error) in 63 partitions, 41.2 s (48.5 rows/s); models loaded 1 time(s); ..."
rows=$(sed -E 's/.*: ([0-9]+) rows.*/\1/' <<<"$summary")
parts=$(sed -E 's/.* in ([0-9]+) partitions.*/\1/' <<<"$summary")
job_s=$(sed -E 's/.*partitions, ([0-9.]+) s .*/\1/' <<<"$summary")
loads=$(sed -E 's/.*models loaded ([0-9]+) time.*/\1/' <<<"$summary")
cli_rows=$(grep -c '"score"' "$work/cli.jsonl")
cli_sum=$(grep -o '"score":[^,}]*' "$work/cli.jsonl" | cut -d: -f2 | awk '{s += $1} END {printf "%.6f", s}')
spark_sum=$(cat "$work"/spark/part-* | grep -o '"hpsv2":[^,}]*' | cut -d: -f2 | awk '{s += $1} END {printf "%.6f", s}')

awk -v n="$n" -v cli_rows="$cli_rows" -v rows="$rows" -v master="$master" -v parts="$parts" -v loads="$loads" \
    -v cli_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" -v spark_s="$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}')" \
    -v job_s="$job_s" -v cli_sum="$cli_sum" -v spark_sum="$spark_sum" -v batch="$batch" 'BEGIN {
  printf "%d images (the 10 fixture images, linked), hpsv2 on clip-tiny-gelu, batch %d, CPU\n", n, batch
  printf "palate score:              %6.1f s  %7.1f rows/s  (%d rows; JVM start and model load included)\n", cli_s, cli_rows / cli_s, cli_rows
  printf "ScoreJob %-10s        %6.1f s  %7.1f rows/s  (%d rows; JVM and Spark start included)\n", master, spark_s, rows / spark_s, rows
  printf "  in the job (after start) %6.1f s  %7.1f rows/s\n", job_s, rows / job_s
  printf "ratio Spark / palate score: %.2f whole command, %.2f in the job\n", (rows / spark_s) / (cli_rows / cli_s), (rows / job_s) / (cli_rows / cli_s)
  printf "partitions %d, model loads %d (%.3f per partition)\n", parts, loads, loads / parts
  printf "score sums: palate score %s, ScoreJob %s\n", cli_sum, spark_sum
  d = cli_sum - spark_sum; if (d < 0) d = -d
  if (rows != cli_rows || d > 1e-3 * n / 1000) { print "MISMATCH between the two outputs" > "/dev/stderr"; exit 1 }
}'

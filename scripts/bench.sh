#!/usr/bin/env bash
# Builds the release preset and runs the benchmark suite; the raw JSON goes to
# bench/results/ and a table of ratios to native is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target bpfhost_bench
out="bench/results/interpreter-$(date -u +%Y%m%d-%H%M%S).json"
build/release/bench/bpfhost_bench --benchmark_out="$out" --benchmark_out_format=json \
  --benchmark_repetitions="${BENCH_REPETITIONS:-3}" --benchmark_report_aggregates_only=false "$@"
python3 bench/summarize.py "$out" | tee "${out%.json}.txt"

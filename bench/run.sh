#!/usr/bin/env bash
# Runs the JS-side benchmarks: size, cold start, per-call overhead (in Node, workerd, and Deno and
# Bun: runtimes.sh), then the report; with
# --variants also the (slow) wasm size per build setting and per subset of methods first.
# Needs pkg/dist (make pkg) and an emulator binary (release if built: cargo build --release -p
# zilliz-cloud-emulator; else debug).
# Knobs: BENCH_COLDSTART_TRIALS (25), BENCH_CALLS (5000), BENCH_WARMUP (500), BENCH_ROUNDS (3);
# BENCH_INSTR_RUNS (3, coldstart-instructions.mjs).
# Usage: bash bench/run.sh [--variants] [--out path/to/REPORT.md]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

variants=0; report_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --variants) variants=1 ;;
    --out) report_args=(--out "$(realpath -m "$2")"); shift ;;  # relative to the caller's directory
    *) echo "usage: bash bench/run.sh [--variants] [--out REPORT.md]" >&2; exit 2 ;;
  esac
  shift
done
bench_ready  # scripts/lib.sh
cd "$ROOT/bench"

[[ $variants -eq 1 ]] && bash size-variants.sh && bash size-floor.sh && bash response-floor.sh
echo "--- size";      node size.mjs
echo "--- wasm by module"; bash wasm-breakdown.sh
echo "--- coldstart"; node coldstart.mjs
echo "--- coldstart in Chromium"; node coldstart-browser.mjs
echo "--- overhead";  node overhead.mjs
echo "--- overhead in workerd"; node overhead-workerd.mjs
echo "--- client cost (fetch stubbed)"; node client-cost.mjs
echo "--- cold start in instructions (callgrind)"; node coldstart-instructions.mjs
# By V8 phase, under this machine's Node and under Node 22 and 24 when node-versions.sh (or the
# tests) fetched them: one results file, a column per release.
echo "--- cold start by V8 phase (callgrind)"; node coldstart-phases.mjs
for m in 22 24; do
  if [[ -x ../target/node-versions/$m/package/bin/node ]]; then ../target/node-versions/$m/package/bin/node coldstart-phases.mjs; fi
done
echo "--- Deno and Bun (cold start, per call)"; bash runtimes.sh
echo "--- report";    node report.mjs "${report_args[@]}"
echo "results: $PWD/results/*.json"

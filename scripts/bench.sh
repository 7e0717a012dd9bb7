#!/usr/bin/env bash
# `make bench`: every benchmark, results in bench/results/*.json and bench/REPORT.md (tables and
# charts); BENCHMARKS.md says what they mean. Timing numbers are only comparable within one run on
# one machine. Knobs: FLEET_JOBS (default 1000; the issue's 10000 takes about half an hour),
# FLEET_JOB_SECONDS (120), BENCH_VARIANTS=1 (also rebuild the wasm per release setting and
# per subset of methods, slow),
# and bench/run.sh's (BENCH_CALLS, BENCH_ROUNDS, BENCH_COLDSTART_TRIALS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/build-pkg.sh >/dev/null
cargo build --release --quiet -p zilliz-cloud-emulator
echo "=== polling efficiency (virtual clock)"
cargo bench --quiet --bench polling
echo "=== memory of 10,000 parked waits (no traffic)"
node bench/parked.mjs 10000
echo "=== memory of a steady 20 requests/s: Node's fetch vs node:http"
node bench/http-memory.mjs
echo "=== fleet: ${FLEET_JOBS:-1000} concurrent waits against the emulator enforcing 20/s"
node bench/fleet.mjs "${FLEET_JOBS:-1000}" "${FLEET_JOB_SECONDS:-120}" 20 spread
echo "=== fleet across 4 worker isolates, without and with the worker's rate budget"
node bench/fleet-isolates.mjs
echo "=== size, cold start, per-call overhead, report"
args=()
[[ "${BENCH_VARIANTS:-0}" == 1 ]] && args+=(--variants)
bash bench/run.sh "${args[@]}"

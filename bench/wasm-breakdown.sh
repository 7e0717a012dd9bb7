#!/usr/bin/env bash
# Where the .wasm's bytes are: the package's release build (target/pkg, from `make pkg`) run
# through wasm-bindgen and wasm-opt exactly as scripts/build-pkg.sh does, but keeping the names
# section (wasm-bindgen --keep-debug, wasm-opt -g), so every function body of the shipped .wasm
# has its Rust name. Then bench/wasm-breakdown.mjs groups the bodies by module, and the ones V8
# compiles before the first answer (bench/coldstart/wasm-compiled.mjs) likewise.
# Writes bench/results/wasm-breakdown.json, and keeps the named build in target/wasm-names/ (for
# bench/profile-workerd.mjs). Usage: bash bench/wasm-breakdown.sh
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

wasm=target/pkg/wasm32-unknown-unknown/release/zilliz_cloud_backup.wasm
[[ -f "$wasm" && -f pkg/dist/zilliz_cloud_backup_bg.wasm ]] || { echo "build the package first (make pkg)" >&2; exit 1; }
out=target/wasm-names
rm -rf "$out" && mkdir -p "$out"
pkg_wasm_bindgen "$wasm" "$out" --keep-debug  # scripts/lib.sh
pkg_short_names "$out/zilliz_cloud_backup_bg.wasm" "$out/zilliz_cloud_backup.js"  # scripts/lib.sh
pkg_wasm_opt "$out/zilliz_cloud_backup_bg.wasm" "$out/named.wasm" -g  # scripts/lib.sh
node bench/wasm-breakdown.mjs "$out/named.wasm" pkg/dist/zilliz_cloud_backup_bg.wasm

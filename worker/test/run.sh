#!/usr/bin/env bash
# The edge worker's tests: unit tests of the pure parts, then the worker in workerd (Miniflare)
# against the real emulator binary. Installs worker/'s npm dependencies (npm ci) and builds
# nothing else: pkg/dist (make pkg) and the emulator binary (cargo build -p
# zilliz-cloud-emulator) must exist. Exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(cd .. && pwd)"
export EMULATOR_BIN="${EMULATOR_BIN:-$ROOT/target/debug/zilliz-cloud-emulator}"
[[ -x "$EMULATOR_BIN" ]] || { echo "no emulator at $EMULATOR_BIN: run cargo build -p zilliz-cloud-emulator" >&2; exit 1; }
[[ -f "$ROOT/pkg/dist/zilliz_cloud_backup_bg.wasm" ]] || { echo "no pkg/dist: build the package first (make pkg)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null
cd "$ROOT"
# The spec files by name: given the directory, Node 20 would also "run" helpers.mjs as a test.
node --test --test-concurrency=1 --test-timeout=300000 worker/test/*.test.mjs

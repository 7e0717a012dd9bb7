#!/usr/bin/env bash
# Soak: tests/soak/run.sh [cycles] [clusters] [rate] [seed]
#   full (make soak): tests/soak/run.sh 1000 50 0.05   short: tests/soak/run.sh 100 10
# Needs pkg/dist (make pkg) and the emulator binary (cargo build -p zilliz-cloud-emulator, or EMULATOR_BIN).
# Exits non-zero when anything was lost or duplicated.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
export EMULATOR_BIN="${EMULATOR_BIN:-$ROOT/target/debug/zilliz-cloud-emulator}"
[[ -x "$EMULATOR_BIN" ]] || { echo "no emulator at $EMULATOR_BIN (cargo build -p zilliz-cloud-emulator)" >&2; exit 1; }
[[ -f "$ROOT/pkg/dist/zilliz_cloud_backup_bg.wasm" ]] || { echo "no pkg/dist: build the package first (make pkg)" >&2; exit 1; }
exec node soak.mjs --cycles "${1:-100}" --clusters "${2:-10}" --rate "${3:-0.05}" --seed "${4:-42}"

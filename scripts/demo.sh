#!/usr/bin/env bash
# The main job: create a backup and follow it to the end, with the npm package from Node.
# Against the bundled emulator by default; against real Zilliz Cloud when ZILLIZ_API_KEY and
# ZILLIZ_CLUSTER_ID are set (ZILLIZ_BASE_URL optional).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/build-pkg.sh >/dev/null
npm install --prefix demo --no-audit --no-fund --loglevel=error >/dev/null

if [[ -n "${ZILLIZ_API_KEY:-}" && -n "${ZILLIZ_CLUSTER_ID:-}" ]]; then
  echo "demo: against Zilliz Cloud (${ZILLIZ_BASE_URL:-https://api.cloud.zilliz.com}), cluster $ZILLIZ_CLUSTER_ID"
else
  cargo build --quiet -p zilliz-cloud-emulator
  # A backup takes minutes on Zilliz Cloud; the emulator's takes 8 s so the demo stays short.
  start_emulator --job-duration-ms "${EMULATOR_JOB_DURATION_MS:-8000}"
  trap stop_emulator EXIT
  export EMULATOR_API_KEY="${EMULATOR_API_KEY:-emulator-api-key}"
  echo "demo: against the bundled emulator at $EMULATOR_URL (set ZILLIZ_API_KEY and ZILLIZ_CLUSTER_ID for real Zilliz Cloud)"
fi
node demo/demo.mjs

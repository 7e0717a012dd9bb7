#!/usr/bin/env bash
# The dashboard's tests: node:test unit tests of the pure modules (www/test) and the end-to-end
# tests (www/e2e: real emulator, real edge worker in workerd, the Vite-built page in headless
# Chromium). Assumes pkg/dist and the emulator binary are built (make pkg, make emulator).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

missing=0
need() { [[ -e "$1" ]] || { echo "www/e2e/run.sh: $1 is missing: $2" >&2; missing=1; }; }
need pkg/dist/zilliz_cloud_backup.js "build it with: bash scripts/build-pkg.sh"
need target/debug/zilliz-cloud-emulator "build it with: cargo build -p zilliz-cloud-emulator"
need "${CHROMIUM:-/usr/bin/chromium}" "install Debian's chromium (make setup)"
need tools/node_modules/playwright-core "install the build tools with: make setup"
need worker/dev.mjs "the edge worker's dev server is part of the repo"
[[ $missing -eq 0 ]] || exit 1

(cd www && npm ci --no-audit --no-fund --loglevel=error)
# worker/dev.mjs loads esbuild and miniflare from the worker's own node_modules.
[[ -d worker/node_modules/miniflare ]] || (cd worker && npm ci --no-audit --no-fund --loglevel=error)
(cd www && npx vite build --logLevel warn)

# The timeout only stops a hung test (a wait that never ends); no test asserts a duration.
node --test --test-concurrency=1 --test-timeout=600000 www/test/ www/e2e/

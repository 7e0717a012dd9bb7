#!/usr/bin/env bash
# The main job: create a backup and follow it to the end, with the npm package from Node.
# Against the bundled emulator by default; against real Zilliz Cloud when ZILLIZ_API_KEY and
# ZILLIZ_CLUSTER_ID are set (ZILLIZ_BASE_URL optional).
# Then (emulator only) the two users of the package: the edge worker (workerd, holding the key)
# in front of the emulator, and the web dashboard served against the worker. It prints the URL
# and serves until Ctrl-C when run from a terminal; otherwise it checks the page answers and
# stops (DEMO_SERVE=1 keeps it serving, DEMO_SERVE=0 skips it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/build-pkg.sh >/dev/null
npm install --prefix demo --no-audit --no-fund --loglevel=error >/dev/null

if [[ -n "${ZILLIZ_API_KEY:-}" && -n "${ZILLIZ_CLUSTER_ID:-}" ]]; then
  echo "demo: against Zilliz Cloud (${ZILLIZ_BASE_URL:-https://api.cloud.zilliz.com}), cluster $ZILLIZ_CLUSTER_ID"
  exec node demo/demo.mjs
fi

cargo build --quiet -p zilliz-cloud-emulator
# A backup takes minutes on Zilliz Cloud; the emulator's takes 8 s so the demo stays short.
start_emulator --job-duration-ms "${EMULATOR_JOB_DURATION_MS:-8000}"
trap stop_emulator EXIT
export EMULATOR_API_KEY="${EMULATOR_API_KEY:-emulator-api-key}"
echo "demo: against the bundled emulator at $EMULATOR_URL (set ZILLIZ_API_KEY and ZILLIZ_CLUSTER_ID for real Zilliz Cloud)"
node demo/demo.mjs

serve="${DEMO_SERVE:-}"
[[ -z "$serve" ]] && { [[ -t 0 ]] && serve=1 || serve=check; }
[[ "$serve" == 0 ]] && exit 0
echo; echo "demo: building the dashboard (www/) and starting the edge worker (worker/) in front of the emulator"
( cd www && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npx vite build --logLevel error >/dev/null )
( cd worker && npm ci --no-audit --no-fund --loglevel=error >/dev/null )
out="$(mktemp)"
node www/serve-demo.mjs --emulator "$EMULATOR_URL" --key "$EMULATOR_API_KEY" --via-worker > "$out" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; stop_emulator' EXIT
for _ in $(seq 300); do grep -q '^dashboard: ' "$out" && break; sleep 0.1; done
url="$(sed -n 's/^dashboard: //p' "$out")"
[[ -n "$url" ]] || { echo "demo: the dashboard did not start" >&2; exit 1; }
echo "demo: open the dashboard: $url"
echo "      (the page holds only a dashboard token; the Zilliz key stays in the worker)"
if [[ "$serve" == check ]]; then
  status="$(curl -s -o /dev/null -w '%{http_code}' "${url%%\?*}")"
  echo "demo: the dashboard answers HTTP $status (not a terminal: stopping; DEMO_SERVE=1 keeps it running)"
  [[ "$status" == 200 ]]
else
  echo "demo: serving until Ctrl-C"
  wait "$serve_pid"
fi

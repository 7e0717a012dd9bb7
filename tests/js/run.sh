#!/usr/bin/env bash
# The packed npm package in every JS runtime, against the emulator on loopback:
#   (a) an offline install into an empty project, (b) Node, (c) workerd (Miniflare), (d) Deno, (e) Bun.
# Uses PKG_TARBALL (packs ../../pkg itself when unset) and the emulator binary (EMULATOR_BIN,
# default target/debug). Ends with one "N passed, N failed" line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
export EMULATOR_BIN="${EMULATOR_BIN:-$ROOT/target/debug/zilliz-cloud-emulator}"
[[ -x "$EMULATOR_BIN" ]] || { echo "no emulator at $EMULATOR_BIN (cargo build -p zilliz-cloud-emulator)" >&2; exit 1; }

set -e
if [[ -z "${PKG_TARBALL:-}" ]]; then
  [[ -d "$ROOT/pkg/dist" ]] || { echo "no pkg/dist: build the package first (make pkg)" >&2; exit 1; }
  packdir="$(mktemp -d)"
  npm pack "$ROOT/pkg" --pack-destination "$packdir" --loglevel=error >/dev/null
  PKG_TARBALL="$(ls "$packdir"/*.tgz)"
fi
export PKG_TARBALL
if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error >/dev/null
else npm install --no-audit --no-fund --loglevel=error >/dev/null; fi
# --no-save: the tarball is what is under test, never recorded in package.json or the lockfile.
npm install --no-save --no-audit --no-fund --loglevel=error "$PKG_TARBALL" >/dev/null
set +e

passed=0; failed=0; lines=()
record() {  # name passed failed
  passed=$((passed + $2)); failed=$((failed + $3))
  lines+=("$(printf '  %-16s %3d passed, %d failed' "$1" "$2" "$3")")
}
log="$(mktemp -d)"

# (a) offline install into an empty project
echo "--- offline install"
app="$(mktemp -d)"
( cd "$app" && npm init -y >/dev/null && npm install --offline --no-audit --no-fund --loglevel=error "$PKG_TARBALL" >/dev/null ) \
  && cp offline-install.mjs "$app/" \
  && node --input-type=module -e "
      import { startEmulator } from '$PWD/harness/emulator.mjs';
      import { execFileSync } from 'node:child_process';
      const emu = await startEmulator();
      try { process.stdout.write(execFileSync('node', ['offline-install.mjs', emu.url, emu.apiKey], { cwd: '$app' })); }
      finally { emu.stop(); }" \
  && record offline-install 1 0 || record offline-install 0 1

# (b) Node and (c) workerd: node's test runner
for suite in node workerd; do
  echo "--- $suite"
  node --test --test-concurrency=2 --test-timeout=60000 "$suite"/ 2>&1 | tee "$log/$suite"
  status=${PIPESTATUS[0]}
  # A file that times out or crashes shows as "cancelled", not "fail": count it as a failure.
  p=$(awk '/^# pass /{print $3}' "$log/$suite"); f=$(awk '/^# (fail|cancelled) /{n += $3} END {print n + 0}' "$log/$suite")
  [[ -n "$p" ]] || p=0
  if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi
  record "$suite" "$p" "$f"
done

# (d) Deno
echo "--- deno"
NO_COLOR=1 node_modules/.bin/deno test --allow-all --no-check deno/ 2>&1 | tee "$log/deno"
status=${PIPESTATUS[0]}
p=$(grep -oE '[0-9]+ passed' "$log/deno" | tail -1 | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' "$log/deno" | tail -1 | grep -oE '[0-9]+')
p=${p:-0}; f=${f:-0}
if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi
record deno "$p" "$f"

# (e) Bun
echo "--- bun"
NO_COLOR=1 node_modules/.bin/bun test --timeout 60000 bun/ 2>&1 | tee "$log/bun"
status=${PIPESTATUS[0]}
p=$(grep -oE '^ *[0-9]+ pass' "$log/bun" | grep -oE '[0-9]+'); f=$(grep -oE '^ *[0-9]+ fail' "$log/bun" | grep -oE '[0-9]+')
p=${p:-0}; f=${f:-0}
if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi
record bun "$p" "$f"

echo "--- per runtime"
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

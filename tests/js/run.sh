#!/usr/bin/env bash
# The packed npm package in every JS runtime, against the emulator on loopback:
#   (a) an offline install into an empty project, (b) Node (the machine's, then the Node lines
#   users run: NODE_LINES, default "22 24"), (c) workerd (Miniflare), (d) Deno, (e) Bun.
# Uses PKG_TARBALL (packs ../../pkg itself when unset) and the emulator binary (EMULATOR_BIN,
# default target/debug). Ends with one "N passed, N failed" line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"
source ../../scripts/lib.sh  # ROOT, node_binary
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

# node's test runner: NAME, the node binary, then the test files. TAP whatever the release's
# default reporter, so every release's counts read the same.
node_tests() {
  local name="$1" bin="$2" status p f out="$log/${1// /-}"
  shift 2
  "$bin" --test --test-reporter=tap --test-concurrency=2 --test-timeout=60000 "$@" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  # A file that times out or crashes shows as "cancelled", not "fail": count it as a failure.
  p=$(awk '/^# pass /{print $3}' "$out"); f=$(awk '/^# (fail|cancelled) /{n += $3} END {print n + 0}' "$out")
  [[ -n "$p" ]] || p=0
  if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi
  record "$name" "$p" "$f"
}

# (b) Node: the machine's own, then each Node line users run (the machine's Node 20 is past its
# end of life since April 2026): Node's sender, its check of the global fetch and the
# wasm-bindgen glue meet a different V8 and a different undici in each.
echo "--- node"
node_tests node node node/*.test.mjs
for major in ${NODE_LINES-22 24}; do
  echo "--- node $major"
  if bin="$(node_binary "$major")"; then
    echo "$("$bin" --version)"
    node_tests "node $major" "$bin" node/*.test.mjs
  else
    record "node $major" 0 1
  fi
done

# (c) workerd (Miniflare), under the machine's Node.
echo "--- workerd"
node_tests workerd node workerd/*.test.mjs

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

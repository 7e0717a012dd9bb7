#!/usr/bin/env bash
# The packed npm package in every JS runtime, against the emulator on loopback:
#   (a) an offline install into an empty project, (b) Node, (c) workerd (Miniflare), (d) Deno, (e) Bun.
# Needs PKG_TARBALL (npm pack ./pkg) and the emulator binary (EMULATOR_BIN, default target/debug).
# Ends with one "N passed, N failed" line; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"
: "${PKG_TARBALL:?set PKG_TARBALL to the packed package (npm pack ./pkg)}"
export EMULATOR_BIN="${EMULATOR_BIN:-$(cd ../.. && pwd)/target/debug/zilliz-cloud-emulator}"

set -e
npm ci --no-audit --no-fund --loglevel=error >/dev/null
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
  node --test --test-concurrency=2 --test-timeout=120000 "$suite"/ 2>&1 | tee "$log/$suite"
  p=$(awk '/^# pass /{print $3}' "$log/$suite"); f=$(awk '/^# fail /{print $3}' "$log/$suite")
  [[ -n "$p" ]] || { p=0; f=1; }
  record "$suite" "$p" "$f"
done

# (d) Deno
echo "--- deno"
NO_COLOR=1 node_modules/.bin/deno test --allow-all --no-check deno/ 2>&1 | tee "$log/deno"
p=$(grep -oE '[0-9]+ passed' "$log/deno" | tail -1 | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' "$log/deno" | tail -1 | grep -oE '[0-9]+')
[[ -n "$p" ]] || { p=0; f=1; }
record deno "$p" "${f:-0}"

# (e) Bun
echo "--- bun"
node_modules/.bin/bun test bun/ 2>&1 | tee "$log/bun"
p=$(grep -oE '^ *[0-9]+ pass' "$log/bun" | grep -oE '[0-9]+'); f=$(grep -oE '^ *[0-9]+ fail' "$log/bun" | grep -oE '[0-9]+')
[[ -n "$p" ]] || { p=0; f=1; }
record bun "$p" "${f:-0}"

echo "--- per runtime"
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

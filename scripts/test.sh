#!/usr/bin/env bash
# Runs every test suite and prints one count per suite and a total line. `make test` calls it.
#   1. native: the core's unit tests and the emulator's tests (cargo test --workspace)
#   2. wasm:   the exported client in Node, headless Chromium and a dedicated Web Worker
#   3. package: the packed npm tarball in Node (the machine's, 22 and 24), workerd, Deno, Bun (tests/js/run.sh)
#              and in headless Chromium, bundled and not (tests/browser)
#   4. soak:   100 create-and-wait cycles with 5% random faults, nothing lost (make soak: 1000)
#   5. types:  pkg/index.d.ts against a consumer file (tests/types)
#   6. the dashboard (www/e2e) and the edge worker (worker/test), each against the emulator
#   7. the benchmark scripts (bench/test), with tiny counts
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

logs="$(mktemp -d)"
passed=0; failed=0; report=()

# run NAME PARSER COMMAND...: runs, shows the output, adds the counts the parser finds.
run() {
  local name="$1" parser="$2"; shift 2
  echo; echo "=== $name"
  local status=0
  "$@" 2>&1 | tee "$logs/$name.log" || status=$?
  local counts; counts="$("$parser" "$logs/$name.log")"
  local p="${counts% *}" f="${counts#* }"
  if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi   # a crash counts as a failure
  passed=$((passed + p)); failed=$((failed + f))
  report+=("$(printf '%-28s %4d passed, %d failed' "$name" "$p" "$f")")
}
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}
plain_counts() {  # the last "N passed, N failed" line
  grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | awk '{ print $1 + 0, $3 + 0 }' | grep . || echo "0 0"
}
tsc_counts() {  # one check: the declarations type-check (and misuse is refused)
  if grep -q "error TS" "$1"; then echo "0 1"; else echo "1 0"; fi
}
node_counts() {
  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$1"
}

run native cargo_counts cargo test --workspace --quiet

bash scripts/build-pkg.sh >/dev/null
cargo build --quiet -p zilliz-cloud-emulator
start_emulator
trap stop_emulator EXIT
export ZCB_EMULATOR_URL="$EMULATOR_URL" CHROMEDRIVER=/usr/bin/chromedriver
run wasm-node cargo_counts wasm_cargo test --test wasm
run wasm-chromium cargo_counts env WASM_BINDGEN_USE_BROWSER=1 bash -c "source scripts/lib.sh; wasm_cargo test --test wasm"
run wasm-worker cargo_counts env WASM_BINDGEN_USE_DEDICATED_WORKER=1 bash -c "source scripts/lib.sh; wasm_cargo test --test wasm"

mkdir -p target/npm && rm -f target/npm/*.tgz
npm pack ./pkg --pack-destination target/npm --loglevel=error >/dev/null
export PKG_TARBALL="$ROOT/$(ls target/npm/zilliz-cloud-backup-*.tgz)"
export EMULATOR_BIN="$ROOT/target/debug/zilliz-cloud-emulator"
run package-runtimes plain_counts bash tests/js/run.sh
run package-chromium node_counts node --test tests/browser/
run soak-short node_counts node --test tests/soak/
run size-budget node_counts node --test tests/size/
# The benchmark scripts themselves, run for real with tiny counts (no timings asserted).
run bench-scripts node_counts bash -c "cd bench && npm ci --no-audit --no-fund --loglevel=error >/dev/null && node --test --test-concurrency=1 test/"
run typescript-declarations tsc_counts tools/node_modules/.bin/tsc -p tests/types/tsconfig.json
run dashboard node_counts bash www/e2e/run.sh
run edge-worker node_counts bash worker/test/run.sh

echo; echo "=== summary"
printf '%s\n' "${report[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

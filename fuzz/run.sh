#!/usr/bin/env bash
# Runs every fuzz target for a fixed time: fuzz/run.sh [seconds per target, default 60]
# Stable Rust: cargo-fuzz's nightly flags are enabled with RUSTC_BOOTSTRAP=1. AddressSanitizer is
# used when it builds, else no sanitizer (-s none). Seeds: fuzz/seeds/<target>/ (committed);
# the growing corpus: fuzz/corpus/<target>/; crashes: fuzz/artifacts/<target>/ (exit status 1).
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
export RUSTC_BOOTSTRAP=1
# --locked first; without it when a pinned dependency is missing from the registry (seen here).
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || cargo install cargo-fuzz
sanitizer=()
if ! cargo fuzz build -O >/dev/null 2>&1; then
  echo "fuzz: AddressSanitizer build failed, fuzzing without a sanitizer" >&2
  sanitizer=(-s none)
  cargo fuzz build -O "${sanitizer[@]}" || exit 1
fi
# Fork mode with -ignore_crashes: one failure does not end the run, so every distinct crash of
# this run lands in artifacts/. regressions/<target>/ holds inputs that crashed before (replayed
# first; they fail the run again until the library is fixed).
started=$(mktemp)
failed=0
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target" "regressions/$target" "artifacts/$target"
  echo "--- $target (${secs}s)"
  cargo fuzz run -O "${sanitizer[@]}" "$target" "corpus/$target" "seeds/$target" "regressions/$target" -- \
    -max_total_time="$secs" -fork=1 -ignore_crashes=1 -print_final_stats=1 > "/tmp/fuzz-$target.log" 2>&1
  grep -E "^#[0-9]+: cov|stat::number_of_executed_units|^INFO: fuzzed for" "/tmp/fuzz-$target.log" | tail -2
  new=$(find "artifacts/$target" -type f -newer "$started" | sort)
  if [[ -n "$new" ]]; then
    echo "fuzz: $target FAILED on $(echo "$new" | wc -l) input(s):"
    for f in $new; do
      echo "  $f"
      # What each one did: replay it alone and show the panic message.
      cargo fuzz run -O "${sanitizer[@]}" "$target" "$f" 2>&1 | grep -A1 "panicked at" | tail -1 | cut -c1-200 | sed 's/^/    /'
    done
    failed=1
  fi
done
rm -f "$started"
exit $failed

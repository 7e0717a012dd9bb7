#!/usr/bin/env bash
# Builds pkg/dist: the release .wasm, its wasm-bindgen glue, wasm-opt, and the inlined copy the
# browser entry uses. Run through `make pkg` (which installs the tools first).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

out=pkg/dist
# Its own target directory: the package's build flags (pkg_wasm_build) differ from the test
# builds', which would otherwise rebuild each other's artifacts every time.
export CARGO_TARGET_DIR=target/pkg
wasm=$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/zilliz_cloud_backup.wasm

pkg_wasm_build  # scripts/lib.sh: std rebuilt for size when its source is installed
rm -rf "$out"
pkg_wasm_bindgen "$wasm" "$out"  # scripts/lib.sh
# Every entry passes the module itself; without this default a bundler (Vite, webpack) sees
# `new URL('…_bg.wasm', import.meta.url)` and ships a copy of the .wasm nobody downloads.
default_url="module_or_path = new URL('zilliz_cloud_backup_bg.wasm', import.meta.url);"
grep -qF "$default_url" "$out/zilliz_cloud_backup.js" || { echo "build-pkg: the glue's default .wasm URL moved; update this script" >&2; exit 1; }
sed -i "s|$default_url|throw new Error('zilliz-cloud-backup: import the package entry, not dist/ directly');|" "$out/zilliz_cloud_backup.js"
# An import the glue wraps to catch what it throws is `function() { return handleError(function
# (arg0, …) {…}, arguments); }`: a JS function of no parameters for a wasm import that passes some.
# Node 20's V8 (11.3) then compiles a second wasm-to-JS wrapper for its signature when the module
# is instantiated: 9 more, about 2.3 M instructions of the import (bench/HISTORY.md). Giving the outer
# function the inner one's parameters (it still passes `arguments` on) avoids them. Node 22's V8
# (12.4) and later use one generic wrapper and compile none. tests/size/startup.test.mjs checks
# the arity.
perl -0pi -e 's/: function\(\) \{ return handleError\(function \(([^)]*)\)/: function($1) { return handleError(function ($1)/g' "$out/zilliz_cloud_backup.js"
! grep -qF 'function() { return handleError(' "$out/zilliz_cloud_backup.js" || { echo "build-pkg: a handleError import the arity fix missed; update this script" >&2; exit 1; }
# The glue's functions compiled with the module rather than each on its first call (V8 compiles a
# parenthesized function expression eagerly): less for V8 to do in all, and far less during the
# first request (scripts/eager-glue.mjs says how much).
node scripts/eager-glue.mjs "$out/zilliz_cloud_backup.js"
# The glue without its doc comments and whitespace (identifiers kept, for readable stacks): half
# the bytes for every runtime to read and parse at import (BENCHMARKS.md, cold start).
tools/node_modules/.bin/esbuild "$out/zilliz_cloud_backup.js" --minify-whitespace --minify-syntax \
  --format=esm --log-level=warning --allow-overwrite --outfile="$out/zilliz_cloud_backup.js"
# The transport snippet (src/wasm/transport.js) out of wasm-bindgen's hashed snippets/ directory to
# dist/transport.js, where the Node entry can import the very module the glue uses (to install
# its node:http sender); minified the same way (wasm-bindgen copies it verbatim, comments and all).
snippet=("$out"/snippets/*/src/wasm/transport.js)
[[ ${#snippet[@]} -eq 1 && -f "${snippet[0]}" ]] || { echo "build-pkg: expected one transport snippet, found: ${snippet[*]}" >&2; exit 1; }
# Every `from "…"` of it: the glue imports its shims' functions by name, and those the .wasm
# calls without a shim as a namespace handed to the .wasm under the snippet's path (that key
# stays: it is the .wasm's import module name).
snippet_import="./${snippet[0]#"$out/"}"
grep -qF "from\"$snippet_import\"" "$out/zilliz_cloud_backup.js" || { echo "build-pkg: the glue's import of the transport moved; update this script" >&2; exit 1; }
sed -i "s|from\"$snippet_import\"|from\"./transport.js\"|g" "$out/zilliz_cloud_backup.js"
! grep -qF "from\"$snippet_import\"" "$out/zilliz_cloud_backup.js" || { echo "build-pkg: an import of the transport left behind" >&2; exit 1; }
tools/node_modules/.bin/esbuild "${snippet[0]}" --minify-whitespace --minify-syntax \
  --format=esm --log-level=warning --outfile="$out/transport.js"
rm -r "$out/snippets"
pkg_short_names "$out/zilliz_cloud_backup_bg.wasm" "$out/zilliz_cloud_backup.js"  # scripts/lib.sh
pkg_wasm_opt "$out/zilliz_cloud_backup_bg.wasm" "$out/zilliz_cloud_backup_bg.wasm"  # scripts/lib.sh
# The Node and Bun entry as one module: node.js, common.js, the glue and the transport snippet
# bundled, so an import resolves, reads and compiles one file instead of four (−2.5 ms of cold
# start, bench/HISTORY.md). It lives beside the .wasm, so node.js's path to it loses its `dist/`.
tools/node_modules/.bin/esbuild pkg/node.js --bundle --format=esm --platform=node \
  --minify-whitespace --minify-syntax --log-level=warning --outfile="$out/node.js"
wasm_url='"./dist/zilliz_cloud_backup_bg.wasm"'
grep -qF "$wasm_url" "$out/node.js" || { echo "build-pkg: node.js's .wasm URL moved; update this script" >&2; exit 1; }
sed -i "s|$wasm_url|\"./zilliz_cloud_backup_bg.wasm\"|" "$out/node.js"
node scripts/inline-wasm.mjs "$out/zilliz_cloud_backup_bg.wasm" "$out/zilliz_cloud_backup_bg.wasm.js"
ls -l "$out"

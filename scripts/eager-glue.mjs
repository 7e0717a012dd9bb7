// Rewrites wasm-bindgen's glue (its readable output, before minification) so that V8 compiles its
// functions when the module is compiled instead of on their first call: each becomes a
// parenthesized function expression, `(function …)`, which V8 takes as a hint that the function
// will be called soon and compiles with the code around it ("PIFE"; esbuild, which wrangler
// bundles workers with, and Vite 8's build keep the parentheses; webpack's terser drops them, and
// V8 then compiles them on first call, as before). A function compiled lazily is
// parsed twice (a pre-parse with its module, a full parse on its first call), and its first call
// stops for it. In a fresh workerd isolate that cost the first request about 1 ms: side by side,
// the first request 1.98x plain JS's before and 1.74x after, and 2.08x -> 1.85x with the import
// inside the request (bench/HISTORY.md, sixteenth round). In Node the work is the same either way
// (counted in instructions). The package's functions a Node cold start compiles lazily: 69 -> 4
// (tests/size/startup.test.mjs). Used by scripts/build-pkg.sh; fails if the glue's shape is not
// the one this rewrites, as wasm-bindgen is pinned and a new version must be looked at.
// Usage: node scripts/eager-glue.mjs <glue.js>   (rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const lines = readFileSync(file, "utf8").split("\n");
const fail = (why) => {
  console.error(`eager-glue: ${why}; wasm-bindgen's glue changed shape, update scripts/eager-glue.mjs`);
  process.exit(1);
};

/** The index of the first line from `from` that `test` accepts. */
const find = (from, test, what) => {
  for (let j = from; j < lines.length; j++) if (test(lines[j])) return j;
  fail(`no end for ${what}`);
};

let imports = 0;
let helpers = 0;
let closures = 0;
for (let i = 0; i < lines.length; i++) {
  // An import the .wasm calls, a property of the imports object:
  //     name: function(arg0) {            or, wrapped to catch what it throws (build-pkg.sh fixed its arity),
  //     name: function(arg0) { return handleError(function (arg0) {
  //     },                                 }, arguments); },
  const property = /^(\s+)(\w+): function\([^)]*\) \{( return handleError\(function \([^)]*\) \{)?$/.exec(lines[i]);
  if (property) {
    const [, indent, name, caught] = property;
    const close = caught ? `${indent}}, arguments); }` : `${indent}}`;
    const end = find(i + 1, (line) => line === close || line === `${close},`, name);
    lines[i] = lines[i].replace(": function(", ": (function(").replace("handleError(function (", "handleError((function (");
    lines[end] = lines[end].replace(close, caught ? `${indent}}), arguments); })` : `${indent}})`);
    imports++;
    continue;
  }
  // A closure a helper makes, an arrow on lines of its own (the promise's executor, the wrapper of
  // a Rust closure): `name = (…) => {` … `};` becomes `name = (function (…) {` … `});`. None of
  // them uses `this` or `arguments`, which an arrow does not have (checked).
  const arrow = /^(\s+)((?:var |const |let )?[\w.$]+) = \(([^)]*)\) => \{$/.exec(lines[i]);
  if (arrow) {
    const [, indent, target, params] = arrow;
    const end = find(i + 1, (line) => line === `${indent}};`, target);
    if (lines.slice(i + 1, end).some((line) => /\b(this|arguments)\b/.test(line))) fail(`${target} uses this or arguments`);
    lines[i] = `${indent}${target} = (function (${params}) {`;
    lines[end] = `${indent}});`;
    closures++;
    continue;
  }
  // A top-level helper (the async loaders, which the entries never call, are left as they are):
  // `function name(…) {` … `}` becomes `const name = (function name(…) {` … `});`. Nothing in the
  // glue calls one before the module has run to its end, so losing the hoisting is harmless.
  const helper = /^function (\w+)\(([^)]*)\) \{$/.exec(lines[i]);
  if (helper) {
    const end = find(i + 1, (line) => line === "}", helper[1]);
    lines[i] = `const ${helper[1]} = (function ${helper[1]}(${helper[2]}) {`;
    lines[end] = "});";
    helpers++;
  }
}
const left = lines.filter((line) => /^\s+\w+: function\(/.test(line) || /^function /.test(line) || / = \([^)]*\) => \{$/.test(line));
if (left.length > 0) fail(`functions left as they were: ${left.join(" | ")}`);
if (imports < 20 || helpers < 5 || closures < 1) fail(`only ${imports} imports, ${helpers} helpers and ${closures} closures found`);
writeFileSync(file, lines.join("\n"));

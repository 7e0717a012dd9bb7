// Where a fresh Node process's cold start goes, by V8 phase: the client's instructions up to
// the moment it hands its first request to its HTTP library (coldstart/node-child.mjs, as
// coldstart-instructions.mjs counts them, nothing loaded before), less Node's own start, split
// by the function that ran them (callgrind's self counts, one process each). A timing cannot
// say this: the phases are a millisecond or two each, inside a VM's drift.
// The phases are V8's own work, grouped by symbol name: validating the .wasm (V8 checks every
// function body when the module is made), compiling wasm (Liftoff, lazily, each function on its
// first call), compiling JavaScript (parsing, bytecode), TurboFan (on Node 20 the wrappers
// between wasm and JavaScript), the allocator, and the rest (running the code, the loader).
// Runs under the Node that runs it: `target/node-versions/24/package/bin/node
// bench/coldstart-phases.mjs` for Node 24 (the results file keeps one entry per Node major).
import { execFileSync } from "node:child_process";
import { callgrindColdStart } from "./coldstart/callgrind.mjs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RESULTS, ROOT, writeResult } from "./lib/results.mjs";
import { round } from "./lib/stats.mjs";

try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" });
} catch {
  console.log("coldstart-phases: valgrind is not installed (apt-get install valgrind); skipped");
  process.exit(0);
}

/** First match wins; the order matters (the wasm decoder is shared by validation and Liftoff). */
export const PHASES = [
  ["validating the .wasm", /FullValidationTag|ValidateFunctionBody|ModuleDecoder|DecodeWasmModule/],
  ["compiling wasm (Liftoff)", /Liftoff|liftoff::|NativeModule|WasmCode|JumpTable|Assembler|RelocInfo|SafepointTable/],
  ["compiling JavaScript", /Scanner|Parser|AstValueFactory|AstRaw|Bytecode|interpreter::|Scope::|ExpressionScope|SourcePosition|VariableMap|FeedbackMetadata|Utf16CharacterStream|Compiler::/],
  ["TurboFan (wasm ↔ JS wrappers)", /compiler::|turboshaft::/],
  ["allocator (malloc, free, memcpy)", /malloc|free|memcpy|memmove|memset|operator new|operator delete/],
  ["the rest (the code run, the loader, other wasm setup)", /./],
];

/** callgrind's self instructions by function, for one cold start of `client`. */
function selfCounts(client, dir) {
  const out = join(dir, `callgrind.${client}`);
  callgrindColdStart(client === "ours" ? [`${ROOT}pkg/dist/node.js`, "BackupClient"] : ["none", ""], "none", out);
  const annotated = execFileSync("callgrind_annotate", ["--threshold=100", out], { encoding: "utf8", maxBuffer: 64 << 20 });
  const counts = new Map();
  // "   1,234 (0.01%)  file:symbol [object]"
  for (const line of annotated.split("\n")) {
    const m = /^\s*([\d,]+) \([^)]*\)\s+(.*?)(?: \[[^\]]*\])?$/.exec(line);
    if (!m || m[2].startsWith("PROGRAM TOTALS")) continue;
    counts.set(m[2], (counts.get(m[2]) ?? 0) + Number(m[1].replaceAll(",", "")));
  }
  return counts;
}

const dir = mkdtempSync(join(tmpdir(), "zcb-phases-"));
let ours;
let none;
try {
  ours = selfCounts("ours", dir);
  none = selfCounts("none", dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const phases = Object.fromEntries(PHASES.map(([name]) => [name, 0]));
for (const [symbol, count] of ours) {
  const [name] = PHASES.find(([, pattern]) => pattern.test(symbol));
  phases[name] += count - (none.get(symbol) ?? 0);
}
const total = Object.values(phases).reduce((a, b) => a + b, 0);
const major = process.versions.node.split(".")[0];

let byNode = {};
try {
  byNode = JSON.parse(readFileSync(`${RESULTS}coldstart-phases.json`, "utf8")).byNode ?? {};
} catch {
  // the first run
}
byNode[major] = { node: process.version, total, phases };
const m = (n) => round(n / 1e6, 1);
writeResult("coldstart-phases", {
  byNode,
  tables: [{
    title: "Node cold start by V8 phase (millions of instructions, callgrind, one process each): import → ours hands its first request to node:http, less Node's own start",
    columns: ["phase", ...Object.keys(byNode).map((n) => `Node ${n}`), ...Object.keys(byNode).map((n) => `Node ${n}, share`)],
    rows: PHASES.map(([name]) => [name, ...Object.values(byNode).map((r) => m(r.phases[name] ?? 0)), ...Object.values(byNode).map((r) => `${round((100 * (r.phases[name] ?? 0)) / r.total, 0)} %`)])
      .concat([["in all", ...Object.values(byNode).map((r) => m(r.total)), ...Object.values(byNode).map(() => "100 %")]]),
  }],
});
console.log(`coldstart-phases, Node ${process.version}: ${m(total)} M instructions beyond Node's own start`);
for (const [name, count] of Object.entries(phases)) console.log(`  ${name}: ${m(count)} M (${round((100 * count) / total, 0)} %)`);

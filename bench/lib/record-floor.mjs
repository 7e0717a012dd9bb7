// Measures what size-floor.sh built (<dir>/<i>.wasm, one per subset of methods, in order) and
// writes bench/results/size-floor.json. The subset "all" must match the shipped .wasm byte for
// byte: otherwise the copy was not built as the package is, and the other rows mean nothing.
// Usage: node record-floor.mjs <dir> <shipped.wasm> <subset ...>
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { writeResult } from "./results.mjs";

const GOAL = 45 * 1024; // the goal for the whole library, gzip -9
const [dir, shipped, ...subsets] = process.argv.slice(2);
const size = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });

const results = subsets.map((subset, i) => {
  const bytes = readFileSync(`${dir}/${i}.wasm`);
  const methods = subset === "all" ? "all 16" : subset.split(" ").join(", ");
  return { methods, ...size(bytes), sameAsShipped: subset === "all" ? Buffer.compare(bytes, readFileSync(shipped)) === 0 : undefined };
});
const all = results.at(-1);
if (!all.sameAsShipped) throw new Error(`the copy with every method built ${all.raw} B, the shipped .wasm is ${readFileSync(shipped).length} B: not built the same way`);
const path = writeResult("size-floor", {
  note: "The package's .wasm built with only some of BackupClient's methods reachable (bench/size-floor.sh), gzip -9 as tests/size counts it. The last row is the shipped build (checked byte for byte).",
  goalGzip: GOAL,
  results,
  tables: [
    {
      title: "The .wasm with fewer methods (bytes)",
      columns: ["methods", "raw", "gzip -9", "gzip ÷ 45 KB goal"],
      rows: results.map((r) => [r.methods, r.raw, r.gzip, Math.round((r.gzip / GOAL) * 100) / 100]),
      chart: ["gzip -9"],
    },
  ],
});
for (const r of results) console.log(`${String(r.gzip).padStart(6)} B gzip  ${String(r.raw).padStart(7)} B raw  ${r.methods}`);
console.log(`-> ${path}`);

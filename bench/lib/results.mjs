// Where results go and what every result file carries: the machine it was measured on.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";

export const BENCH = new URL("../", import.meta.url).pathname;
export const ROOT = new URL("../../", import.meta.url).pathname;
// BENCH_RESULTS: another directory (the tests use a temporary one).
export const RESULTS = process.env.BENCH_RESULTS ? `${process.env.BENCH_RESULTS.replace(/\/$/, "")}/` : `${BENCH}results/`;

export function machine() {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) cpuModel = line.split(":").slice(1).join(":").trim();
  } catch {
    // not Linux: os.cpus() is the fallback
  }
  return { cpuModel, cores: cpus().length, node: process.version, runtime: runtime(), platform: `${process.platform}-${process.arch}`, date: new Date().toISOString() };
}

/** The JavaScript runtime running this script (bench/runtimes.sh runs some in Deno and Bun). */
export const RUNTIME = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";

/** The runtime and its version (in Deno and Bun, `process.version` is the Node release they stand
 * in for). */
function runtime() {
  return `${RUNTIME} ${{ deno: () => Deno.version.deno, bun: () => Bun.version, node: () => process.version }[RUNTIME]()}`;
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(name, body) {
  mkdirSync(RESULTS, { recursive: true });
  const path = `${RESULTS}${name}.json`;
  writeFileSync(path, `${JSON.stringify({ benchmark: name, machine: machine(), ...body }, null, 2)}\n`);
  return path;
}

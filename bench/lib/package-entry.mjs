// The package's entry for the runtime running a benchmark, as the exports map gives it to that
// runtime: pkg/deno.js in Deno; else pkg/node.js, the Node and Bun entry's source (dist/node.js is
// its bundle: the same code, one module to load, which only cold starts tell apart).
import { ROOT, RUNTIME } from "./results.mjs";

export const packageEntry = `${ROOT}pkg/${RUNTIME === "deno" ? "deno.js" : "node.js"}`;

/** Whether the package sends through node:http here (Node) rather than the global fetch. */
export const sendsThroughNodeHttp = RUNTIME === "node";

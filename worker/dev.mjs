// Runs the edge worker locally in workerd (Miniflare), served over HTTP on 127.0.0.1, the way
// wrangler would bundle it (tests/js/harness/workerd.mjs). Used by worker/test, the dashboard's
// end-to-end tests and `make demo`.
//
//   import { startWorkerServer } from "../worker/dev.mjs";
//   const { url, mf, stop } = await startWorkerServer({ emulatorUrl, apiKey, allowedClusters: ["in01-…"] });
//
// or from a shell:
//   node worker/dev.mjs --emulator URL --api-key K --clusters a,b --origins http://127.0.0.1:5173
//        [--dashboard-token T] [--schedule JSON] [--step-budget-ms N] [--port N]
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { startWorker } from "../tests/js/harness/workerd.mjs";

const ENTRY = new URL("./src/index.js", import.meta.url).pathname;

/**
 * @param {object} o
 * @param {string} o.emulatorUrl      the Zilliz API base URL (the emulator's, in tests)
 * @param {string} o.apiKey           becomes the ZILLIZ_API_KEY secret
 * @param {string[]} [o.allowedClusters]
 * @param {string[]} [o.allowedOrigins]
 * @param {string} [o.dashboardToken] becomes the DASHBOARD_TOKEN secret (unset: no token asked)
 * @param {object[]} [o.schedule]     BACKUP_SCHEDULE entries
 * @param {number} [o.stepBudgetMs]   STEP_BUDGET_MS
 * @param {boolean} [o.rateBudget]    bind RATE_BUDGET, the rate budget's Durable Object (default
 *                                    true, as wrangler.toml does)
 * @param {number} [o.budgetPerSecond] RATE_BUDGET_PER_SECOND
 * @param {number} [o.budgetMaxWaitMs] RATE_BUDGET_MAX_WAIT_MS
 * @param {number} [o.isolates]       how many isolates run the worker (default 1), as a deployment
 *                                    runs it in many: they share the KV namespace and the rate
 *                                    budget. Only the first is served at `url`; `isolate(i)`
 *                                    answers any one's `fetch`.
 * @param {number} [o.port]           0 (default): a free port
 * @param {(line: string) => void} [o.onLog]  each line the worker writes to its console
 *                                    (default: copied to this process's stderr)
 * @returns {Promise<{ url: string, mf: Miniflare, isolate: (i: number) => Promise<{ fetch: typeof fetch }>, stop: () => Promise<void> }>}
 */
export async function startWorkerServer({
  emulatorUrl,
  apiKey,
  allowedClusters = [],
  allowedOrigins = [],
  dashboardToken,
  schedule = [],
  stepBudgetMs,
  rateBudget = true,
  budgetPerSecond,
  budgetMaxWaitMs,
  isolates = 1,
  port = 0,
  onLog,
} = {}) {
  if (!emulatorUrl || !apiKey) throw new Error("startWorkerServer needs emulatorUrl and apiKey");
  const bindings = {
    ZILLIZ_API_KEY: apiKey,
    ZILLIZ_BASE_URL: emulatorUrl,
    ALLOWED_CLUSTERS: allowedClusters.join(","),
    ALLOWED_ORIGINS: allowedOrigins.join(","),
    BACKUP_SCHEDULE: JSON.stringify(schedule),
  };
  if (dashboardToken !== undefined) bindings.DASHBOARD_TOKEN = dashboardToken;
  if (stepBudgetMs !== undefined) bindings.STEP_BUDGET_MS = String(stepBudgetMs);
  if (budgetPerSecond !== undefined) bindings.RATE_BUDGET_PER_SECOND = String(budgetPerSecond);
  if (budgetMaxWaitMs !== undefined) bindings.RATE_BUDGET_MAX_WAIT_MS = String(budgetMaxWaitMs);
  // The first isolate's worker defines the Durable Object class; the others bind to it there.
  const budgetBinding = (i) =>
    !rateBudget ? {} : { durableObjects: { RATE_BUDGET: i === 0 ? "RateBudget" : { className: "RateBudget", scriptName: "worker-0" } } };

  const log = onLog ?? ((line) => process.stderr.write(`[worker] ${line}\n`));
  const { mf } = await startWorker(ENTRY, bindings, {
    tools: { esbuild, Miniflare },
    copies: isolates,
    workerOptions: (i) => ({ kvNamespaces: ["BACKUP_STATE"], ...budgetBinding(i) }),
    options: {
      host: "127.0.0.1",
      port,
      // The worker's console output, line by line (tests check the key never shows in it).
      handleRuntimeStdio(stdout, stderr) {
        for (const stream of [stdout, stderr]) {
          let buffered = "";
          stream.setEncoding("utf8");
          stream.on("data", (chunk) => {
            buffered += chunk;
            const lines = buffered.split("\n");
            buffered = lines.pop();
            for (const line of lines) if (line.trim()) log(line);
          });
        }
      },
    },
  });
  const url = (await mf.ready).href.replace(/\/$/, "");
  const isolate = (i) => (isolates === 1 ? mf.getWorker() : mf.getWorker(`worker-${i}`));
  return { url, mf, isolate, stop: () => mf.dispose() };
}

// As a program: serve until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      emulator: { type: "string" },
      "api-key": { type: "string" },
      clusters: { type: "string", default: "" },
      origins: { type: "string", default: "" },
      "dashboard-token": { type: "string" },
      schedule: { type: "string", default: "[]" },
      "step-budget-ms": { type: "string" },
      port: { type: "string", default: "0" },
    },
  });
  if (!values.emulator || !values["api-key"]) {
    console.error("usage: node worker/dev.mjs --emulator URL --api-key KEY [--clusters a,b] [--origins o1,o2] [--dashboard-token T] [--schedule JSON] [--step-budget-ms N] [--port N]");
    process.exit(2);
  }
  const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const server = await startWorkerServer({
    emulatorUrl: values.emulator,
    apiKey: values["api-key"],
    allowedClusters: list(values.clusters),
    allowedOrigins: list(values.origins),
    dashboardToken: values["dashboard-token"],
    schedule: JSON.parse(values.schedule),
    stepBudgetMs: values["step-budget-ms"] === undefined ? undefined : Number(values["step-budget-ms"]),
    port: Number(values.port),
  });
  console.log(`edge worker listening on ${server.url}`);
  const quit = () => server.stop().then(() => process.exit(0));
  process.once("SIGINT", quit);
  process.once("SIGTERM", quit);
}

// Serves the built dashboard (www/dist) on 127.0.0.1 and prints the URL to open, already
// pointed at a backend. For `make demo`; serves until Ctrl-C / SIGTERM.
//
//   node www/serve-demo.mjs --emulator URL [--key K] --via-worker [--clusters a,b] [--port N]
//       production shape: also starts the edge worker (worker/dev.mjs) in front of the emulator,
//       holding the key and allowing this page's origin; the page gets a dashboard token only.
//   node www/serve-demo.mjs --worker URL [--token DASHBOARD_TOKEN] [--port N]
//       an edge worker already running (it must allow http://127.0.0.1:PORT: pass --port).
//   node www/serve-demo.mjs --emulator URL [--key K] [--port N]
//       development mode: the page talks to the emulator with its key.
//
// Prints `dashboard: http://127.0.0.1:PORT/?…` on stdout. The page moves the token or key into
// sessionStorage and drops it from the address bar at once.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { serveStatic, DIST } from "./e2e/serve.mjs";

const { values } = parseArgs({
  options: {
    worker: { type: "string" },
    token: { type: "string" },
    emulator: { type: "string" },
    key: { type: "string", default: process.env.EMULATOR_API_KEY ?? "emulator-api-key" },
    "via-worker": { type: "boolean", default: false },
    clusters: { type: "string" },
    port: { type: "string", default: "0" },
  },
});

function fail(message, status = 2) {
  console.error(`serve-demo: ${message}`);
  process.exit(status);
}

if (!existsSync(`${DIST}index.html`)) fail("www/dist is missing: build the page first (cd www && npm ci && npx vite build)", 1);
if (Boolean(values.worker) === Boolean(values.emulator)) fail("give --worker URL or --emulator URL");
if (values["via-worker"] && !values.emulator) fail("--via-worker needs --emulator URL");

const site = await serveStatic(DIST, { port: Number(values.port) });
const stops = [site.stop];
const query = new URLSearchParams();

if (values["via-worker"]) {
  const { startWorkerServer } = await import("../worker/dev.mjs");
  // Default: every Dedicated cluster the emulator has (the worker's allow-list is explicit).
  let clusters = values.clusters?.split(",").map((c) => c.trim()).filter(Boolean);
  if (!clusters) {
    const state = await (await fetch(`${values.emulator}/__emulator/state`)).json();
    clusters = state.clusters.filter((c) => c.plan === "Dedicated").map((c) => c.clusterId);
  }
  const dashboardToken = randomBytes(18).toString("base64url");
  const worker = await startWorkerServer({
    emulatorUrl: values.emulator,
    apiKey: values.key,
    allowedClusters: clusters,
    allowedOrigins: [site.url],
    dashboardToken,
  });
  stops.unshift(worker.stop);
  console.error(`serve-demo: edge worker on ${worker.url} (clusters: ${clusters.join(", ")})`);
  query.set("worker", worker.url);
  query.set("token", dashboardToken);
} else if (values.worker) {
  query.set("worker", values.worker);
  if (values.token) query.set("token", values.token);
} else {
  query.set("emulator", values.emulator);
  query.set("key", values.key);
}
console.log(`dashboard: ${site.url}/?${query}`);

const quit = async () => {
  for (const stop of stops) await stop().catch(() => {});
  process.exit(0);
};
process.once("SIGINT", quit);
process.once("SIGTERM", quit);

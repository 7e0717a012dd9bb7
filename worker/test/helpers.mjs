// Shared by the worker's test files: the real emulator binary (tests/js harness), the worker in
// workerd served over HTTP (dev.mjs), a package client pointed at the worker that records every
// answer it sees, and leak checks for the API key.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { BackupClient } from "zilliz-cloud-backup";
import { startEmulator } from "../../tests/js/harness/emulator.mjs";
export { rejects } from "../../tests/js/harness/rejects.mjs";
import { startWorkerServer } from "../dev.mjs";

export { BackupClient };

/** Recognisable, so a leak anywhere is found by a plain substring search. */
export const API_KEY = `zk-LEAKCHECK-${randomBytes(12).toString("hex")}`;
export const DASHBOARD_TOKEN = `dash-${randomBytes(12).toString("hex")}`;
export const ORIGIN = "http://127.0.0.1:5173";
export const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 30_000 };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The emulator plus fixed clusters made up front (the worker's allow-list is set at start). */
export async function startEmulatorWith(clusterIds, { jobDurationMs = 400 } = {}) {
  const emu = await startEmulator({ jobDurationMs, apiKey: API_KEY });
  for (const clusterId of clusterIds) await emu.control("POST", "/clusters", { clusterId, clusterName: `${clusterId}-name` });
  return emu;
}

/** The worker in workerd with every response and console line recorded for leak checks. */
export async function startWorker(emu, options = {}) {
  const logs = [];
  const server = await startWorkerServer({
    emulatorUrl: emu.url,
    apiKey: API_KEY,
    allowedOrigins: [ORIGIN],
    onLog: (line) => logs.push(line),
    ...options,
  });
  const seen = []; // every response text (status line, headers, body) a test saw
  const record = async (response) => {
    const text = await response.clone().text();
    seen.push(`${response.status} ${[...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${text}`);
    return response;
  };
  return {
    ...server,
    logs,
    seen,
    /** fetch against the worker, recorded; `isolate`: through that one of its isolates (dev.mjs). */
    async raw(path, init = {}, { isolate } = {}) {
      let response;
      try {
        const send = isolate === undefined ? fetch : (await server.isolate(isolate)).fetch;
        response = await send(`${server.url}${path}`, init);
      } catch (e) {
        throw new Error(`${init.method ?? "GET"} ${path}: ${e.message} (${e.cause?.code ?? e.cause?.message ?? "no cause"})`, { cause: e });
      }
      return record(response);
    },
    /** The dashboard's view: the same package, pointed at the worker. */
    client({ token = DASHBOARD_TOKEN, ...options } = {}) {
      return new BackupClient({ baseUrl: server.url, token, fetch: async (request) => record(await fetch(request)), ...options });
    },
    /** Nothing the worker answered, logged (or stored: `extra`) contains the API key. */
    assertNoKeyLeak(extra = []) {
      assert.ok(logs.length > 0, "the worker logged nothing: the leak check would prove little");
      for (const s of [...seen, ...logs, ...extra]) assert.ok(!s.includes(API_KEY), `the API key leaked in: ${s.slice(0, 500)}`);
    },
  };
}

/** A direct client of the emulator (what Zilliz itself would answer), for comparisons. */
export function directClient(emu) {
  return new BackupClient({ baseUrl: emu.url, token: API_KEY });
}


/** A refusal from the worker: status, the API envelope, the worker's code, a plain message. */
export async function refused(response, status, code, messagePattern) {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body).sort(), ["code", "message"], text);
  assert.equal(body.code, code, text);
  if (messagePattern) assert.match(body.message, messagePattern);
  return body;
}

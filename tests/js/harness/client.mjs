// Shared helpers for the test files (node:assert: in workerd through nodejs_compat).
import assert from "node:assert/strict";
import { BackupClient } from "zilliz-cloud-backup";
export { rejects } from "./rejects.mjs";

export const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 };

export function clientFor(emulator, options = {}) {
  return new BackupClient({ token: emulator.apiKey, baseUrl: emulator.url, ...options });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));


/** Everything an error exposes, as text: message, stack, JSON, own properties. */
export function everything(error) {
  const own = Object.getOwnPropertyNames(error).map((k) => `${k}=${JSON.stringify(error[k]) ?? String(error[k])}`);
  return [error.message, error.stack, JSON.stringify(error), ...own].join("\n");
}

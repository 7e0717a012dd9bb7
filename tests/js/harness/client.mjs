// Shared helpers for the test files (node:assert: in workerd through nodejs_compat).
import assert from "node:assert/strict";
import { BackupClient } from "zilliz-cloud-backup";

export const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 };

export function clientFor(emulator, options = {}) {
  return new BackupClient({ token: emulator.apiKey, baseUrl: emulator.url, ...options });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Awaits a rejection and checks it is a ZillizError of `kind`; returns it. */
export async function rejects(promise, kind, name = kind === "Aborted" ? "AbortError" : "ZillizError") {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a ${kind} rejection, got a result`);
  assert.ok(error instanceof Error, "rejections are Error objects");
  assert.equal(error.name, name, error.message);
  assert.equal(error.kind, kind, error.message);
  assert.equal(typeof error.retryable, "boolean");
  return error;
}

/** Everything an error exposes, as text: message, stack, JSON, own properties. */
export function everything(error) {
  const own = Object.getOwnPropertyNames(error).map((k) => `${k}=${JSON.stringify(error[k]) ?? String(error[k])}`);
  return [error.message, error.stack, JSON.stringify(error), ...own].join("\n");
}

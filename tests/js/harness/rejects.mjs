// Asserting a rejection, apart from client.mjs so that suites with their own copy of the
// package (the edge worker's tests) can share it without importing the package from here.
import assert from "node:assert/strict";

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

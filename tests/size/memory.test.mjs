// The memory budget of a wait: 10,000 waitForJob calls queued behind the limiter (the state of
// nearly every wait in a fleet: bench/fleet.mjs), in a fresh Node process, `fetch` stubbed and
// never answering, so one request is in flight and every other wait is in the limiter's line.
// The wasm memory they take (it grows in 64 KiB pages, and the allocator is deterministic) may
// not grow past what BENCHMARKS.md reports plus 5 %. Bytes, not time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("tests/size/budget.json", root)));
const WAITS = 10_000;

const CHILD = `
const { BackupClient } = await import(process.argv[1]);
globalThis.fetch = () => new Promise(() => {}); // never answers: the first poll holds the one slot
const client = new BackupClient({ token: "k", baseUrl: "http://127.0.0.1:9", requestsPerSecond: 1 });
const external = () => { gc(); return process.memoryUsage().external; };
const before = external();
for (let i = 0; i < ${WAITS}; i++) {
  client.waitForJob("job-" + String(i).padStart(20, "0"), { timeoutMs: 3_600_000 }).catch(() => {});
  if (i % 500 === 499) await new Promise((r) => setImmediate(r));
}
await new Promise((r) => setTimeout(r, 200));
process.stdout.write(JSON.stringify({ perWait: (external() - before) / ${WAITS}, queued: ${WAITS} }));
process.exit(0);
`;

test("a wait queued behind the limiter stays within its memory budget", () => {
  const entry = new URL("pkg/dist/node.js", root).href;
  const { perWait } = JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", CHILD, entry]).toString());
  const limit = Math.floor(budget.measured.queuedWaitWasmBytes * budget.allowance);
  assert.ok(perWait > 0, "the waits took no memory: the measurement is broken");
  assert.ok(perWait <= limit, `${Math.round(perWait)} bytes of wasm memory per queued wait, budget ${limit} (${budget.measured.queuedWaitWasmBytes} + 5 %)`);
});

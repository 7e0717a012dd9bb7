// The lifecycle scenarios (scenarios/lifecycle.mjs) through the packed package inside workerd.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../harness/emulator.mjs";
import { startWorker } from "../harness/workerd.mjs";
import { scenarios } from "../scenarios/lifecycle.mjs";

let emu, mf;
before(async () => {
  emu = await startEmulator({ jobDurationMs: 400 });
  ({ mf } = await startWorker(new URL("./scenario-worker.js", import.meta.url).pathname, { EMULATOR_URL: emu.url, API_KEY: emu.apiKey }));
});
after(async () => {
  await mf?.dispose();
  emu?.stop();
});

for (const [name] of scenarios) {
  test(`workerd: ${name}`, async () => {
    const r = await mf.dispatchFetch(`http://worker/?name=${encodeURIComponent(name)}`);
    const out = await r.json();
    assert.ok(out.ok, `${out.message}\n${out.stack ?? ""}`);
  });
}

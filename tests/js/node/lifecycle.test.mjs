// The lifecycle scenarios (scenarios/lifecycle.mjs) through the packed package in Node.
import { test, before, after } from "node:test";
import { startEmulator } from "../harness/emulator.mjs";
import { clientFor } from "../harness/client.mjs";
import { scenarios } from "../scenarios/lifecycle.mjs";

let emu;
before(async () => { emu = await startEmulator({ jobDurationMs: 400 }); });
after(() => emu?.stop());

for (const [name, run] of scenarios) {
  test(name, () => run({ emu, client: clientFor(emu) }));
}

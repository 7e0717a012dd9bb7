// Bun: the packed package from node_modules (the "bun" export condition), through the shared
// smoke scenarios, against one emulator for this file.
import { test, beforeAll, afterAll } from "bun:test";
import { startEmulator } from "../harness/emulator.mjs";
import { scenarios } from "../scenarios/smoke.mjs";

let emu;
beforeAll(async () => { emu = await startEmulator({ jobDurationMs: 600 }); });
afterAll(() => emu?.stop());

for (const [name, run] of scenarios) test(`bun: ${name}`, () => run({ emu }), 30_000);

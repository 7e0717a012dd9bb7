// Deno: the packed package from node_modules (the "deno" export condition), through the shared
// smoke scenarios, against one emulator for this file (Deno runs a file's tests one by one).
import { startEmulator } from "../harness/emulator.mjs";
import { scenarios } from "../scenarios/smoke.mjs";

// Started at load (Deno.test has no beforeAll); it also exits when our stdin pipe closes.
const emu = await startEmulator({ jobDurationMs: 600 });
globalThis.addEventListener("unload", () => emu.stop());

for (const [name, run] of scenarios) {
  Deno.test({ name: `deno: ${name}`, fn: () => run({ emu }) });
}

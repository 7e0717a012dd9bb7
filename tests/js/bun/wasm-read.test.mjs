// Bun: the Node entry (the "bun" export condition) maps the .wasm with Bun.mmap rather than reading
// it through node:fs, whose loading took 3–5 ms of a fresh Bun process (bench/HISTORY.md,
// twenty-fourth round); where mapping fails, it reads the file through fs. Each case is a fresh
// Bun process (wasm-read-child.mjs), as the entry reads the .wasm once per process.
import { test, expect, beforeAll, afterAll } from "bun:test";
import { startEmulator } from "../harness/emulator.mjs";

let emu;
beforeAll(async () => { emu = await startEmulator({ jobDurationMs: 600 }); });
afterAll(() => emu?.stop());

async function child(mode) {
  const script = new URL("./wasm-read-child.mjs", import.meta.url).pathname;
  const { exitCode, stdout, stderr } = Bun.spawnSync([process.execPath, script, mode, emu.url, emu.apiKey, await emu.cluster()]);
  const out = stdout.toString();
  expect(exitCode, out + stderr.toString()).toBe(0);
  return JSON.parse(out.trim().split("\n").at(-1));
}

test("bun: the .wasm is mapped, and node:fs is never asked for", async () => {
  const seen = await child("as-is");
  expect(seen.status).toBe("SUCCESSFUL");
  expect(seen.mapped).toBe(1);
  expect(seen.builtins).toEqual([]);
});

test("bun: where mapping fails, the .wasm is read through fs", async () => {
  const seen = await child("no-mmap");
  expect(seen.status).toBe("SUCCESSFUL");
  expect(seen.mapped).toBe(1);
  expect(seen.builtins).toEqual(["node:fs"]);
});

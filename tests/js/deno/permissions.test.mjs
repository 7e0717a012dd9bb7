// Deno: the package needs no permission but the network's (its Deno entry reads no file: the
// .wasm is inlined), and that entry loads no `node:` module, as Deno loads its Node compatibility
// layer on the first one, 35–50 ms of a fresh process (bench/HISTORY.md, twenty-third round).
import assert from "node:assert/strict";
import { startEmulator } from "../harness/emulator.mjs";

const emu = await startEmulator({ jobDurationMs: 600 });
globalThis.addEventListener("unload", () => emu.stop());
const here = new URL(".", import.meta.url);

async function deno(args) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), { args, cwd: here, stdout: "piped", stderr: "piped", env: { NO_COLOR: "1" } }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

Deno.test("deno: a backup is created and followed to its end with only --allow-net", async () => {
  const cluster = await emu.cluster();
  const { code, out, err } = await deno(["run", "--no-prompt", "--allow-net=127.0.0.1", "only-net.mjs", emu.url, emu.apiKey, cluster]);
  assert.equal(code, 0, err);
  assert.equal(out.trim().split("\n").at(-1), "SUCCESSFUL", out + err);
});

// Its module graph, followed through every static and dynamic import by reading the files: a
// `node:` specifier, or process.getBuiltinModule (how the Node entry takes node:fs), fails it.
Deno.test("deno: the package's Deno entry loads no node: module", async () => {
  const entry = import.meta.resolve("zilliz-cloud-backup");
  assert.match(entry, /\/zilliz-cloud-backup\/deno\.js$/);
  assert.equal(import.meta.resolve("zilliz-cloud-backup/wasm-file"), entry);
  const seen = new Set();
  const visit = async (url) => {
    if (seen.has(url)) return;
    seen.add(url);
    if (url.startsWith("node:")) return;
    const source = await Deno.readTextFile(new URL(url));
    assert.ok(!source.includes("getBuiltinModule"), `${url} asks for a built-in module`);
    for (const [, a, b] of source.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g)) {
      const specifier = a ?? b;
      await visit(specifier.startsWith("node:") ? specifier : new URL(specifier, url).href);
    }
  };
  await visit(entry);
  const modules = [...seen];
  assert.ok(modules.some((m) => m.endsWith("/dist/zilliz_cloud_backup.js")) && modules.some((m) => m.endsWith("/dist/transport.js")), modules.join(", "));
  assert.deepEqual(modules.filter((m) => m.startsWith("node:")), []);
});

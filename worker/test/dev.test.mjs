// dev.mjs as a program, and a misconfigured worker (one clear error, never half-working).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { API_KEY, refused, startEmulatorWith, startWorker } from "./helpers.mjs";

const DEV = new URL("../dev.mjs", import.meta.url).pathname;
const C = "in01-dev-a";
let emu;

before(async () => {
  emu = await startEmulatorWith([C]);
});
after(() => emu?.stop());

test("node worker/dev.mjs serves the gateway and prints its URL; SIGTERM stops it", async () => {
  const child = spawn(process.execPath, [DEV, "--emulator", emu.url, "--api-key", API_KEY, "--clusters", C, "--origins", "http://127.0.0.1:5173"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr.resume();
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/^edge worker listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`dev.mjs exited (${code}): ${out}`)));
  });
  try {
    const r = await fetch(`${url}/v2/backups?clusterId=${C}`);
    assert.deepEqual(await r.json(), { code: 0, data: { count: 0, currentPage: 1, pageSize: 10, backups: [] } });
  } finally {
    child.kill("SIGTERM");
  }
  // It exits (Miniflare's own signal handling may set the status: 0 or 128 + SIGTERM).
  const [code, signal] = await once(child, "exit");
  assert.ok(code === 0 || code === 143 || signal === "SIGTERM", `exit ${code} ${signal}`);
  assert.ok(!out.includes(API_KEY));
});

test("a misconfigured worker answers 500 with every problem named, and its cron run fails", async () => {
  const requestsBefore = (await emu.requests()).length;
  const w = await startWorker(emu, {
    allowedClusters: [C, "in01/bad"],
    allowedOrigins: ["https://dash.example.com/"],
    schedule: [{ clusterId: C, backupType: "CLUSTER", retention: { maxAgeDays: -1 } }],
  });
  try {
    const body = await refused(await w.raw(`/v2/backups?clusterId=${C}`), 500, 95000, /the worker is misconfigured/);
    assert.match(body.message, /ALLOWED_CLUSTERS: "in01\/bad" is not a cluster id/);
    assert.match(body.message, /ALLOWED_ORIGINS: "https:\/\/dash\.example\.com\/" is not an origin/);
    assert.match(body.message, /BACKUP_SCHEDULE\[0\]: retention\.maxAgeDays must be a number above 0/);
    const { outcome } = await (await w.mf.getWorker()).scheduled({ cron: "* * * * *" });
    assert.equal(outcome, "exception");
    assert.equal((await emu.requests()).length, requestsBefore, "nothing reached the API");
  } finally {
    await w.stop();
  }
  w.assertNoKeyLeak();
});

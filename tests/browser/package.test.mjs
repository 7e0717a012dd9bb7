// The packed npm package in headless Chromium (Debian's), as a web page would use it:
// (1) bundled by esbuild from a bare `import "zilliz-cloud-backup"` (the "browser" condition),
// (2) imported as plain ES modules with no bundler at all, (3) the same through
// "zilliz-cloud-backup/wasm-file", which fetches the .wasm as a file of its own, (4) that entry
// bundled by webpack 5 (production mode), which emits the .wasm from the entry's
// `new URL("…", import.meta.url)`. None calls init(). (5) That entry bundled by esbuild, which
// does not copy the file: the import fails, saying what to do. The dashboard (www/) builds the
// entry with Vite.
// Talks to the emulator on another loopback port, so CORS is exercised for real.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { createRequire } from "node:module";
import { launchChromium } from "../../tools/chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const require = createRequire(join(root, "tools/package.json"));
const esbuild = require("esbuild");
const webpack = require("webpack");

const EMULATOR_URL = process.env.EMULATOR_URL;
const TARBALL = process.env.PKG_TARBALL;
const KEY = process.env.EMULATOR_API_KEY ?? "emulator-api-key";

let dir, server, origin, browser;
const served = []; // the paths the page server was asked for

const PAGE_SCRIPT = `
import { BackupClient } from "zilliz-cloud-backup";
window.runBackup = async (baseUrl, token, clusterId) => {
  const client = new BackupClient({ token, baseUrl });
  const seen = [];
  const out = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" },
    { minIntervalMs: 20, maxIntervalMs: 100, timeoutMs: 20000, onProgress: (j) => seen.push(j.progress) });
  return { status: out.job.status, progress: out.job.progress, backupId: out.backupId, seen };
};
window.lifecycle = async (baseUrl, token, clusterId) => {
  const client = new BackupClient({ token, baseUrl });
  const fast = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20000 };
  const a = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" }, fast);
  const b = await client.createBackupAndWait(clusterId, { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["books"] }] }, fast);
  const listed = [];
  for await (const x of client.listAllBackups({ clusterId, pageSize: 1 })) listed.push(x.backupId);
  const described = await client.describeBackup(clusterId, b.backupId);
  await client.deleteBackup(clusterId, a.backupId);
  const after = (await client.listBackups({ clusterId })).backups.map((x) => x.backupId);
  await client.setBackupPolicy(clusterId, { enabled: true, frequency: "weekdays", startTime: "22:00-00:00", retentionDays: 3 });
  const policy = await client.getBackupPolicy(clusterId);
  return { ids: [a.backupId, b.backupId], listed, described, after, policy };
};
window.badInput = async (baseUrl, token) => {
  try { await new BackupClient({ token, baseUrl }).createBackup("in01/..", { backupType: "CLUSTER" }); return null; }
  catch (e) { return { name: e.name, kind: e.kind, message: e.message }; }
};
window.wrongKey = async (baseUrl) => {
  try { await new BackupClient({ token: "sk-LEAKCHECK-browser", baseUrl }).describeJob("job-x"); return null; }
  catch (e) { return { kind: e.kind, code: e.code, requestId: e.requestId, text: e.message + JSON.stringify(e) + e.stack }; }
};
`;

before(async () => {
  assert.ok(EMULATOR_URL, "EMULATOR_URL must point at a running emulator");
  assert.ok(TARBALL && existsSync(TARBALL), "PKG_TARBALL must point at the packed package");
  dir = mkdtempSync(join(tmpdir(), "zcb-browser-"));
  writeFileSync(join(dir, "package.json"), '{"name":"browser-app","private":true,"type":"module"}');
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", TARBALL], { cwd: dir });
  writeFileSync(join(dir, "page.js"), PAGE_SCRIPT);
  await esbuild.build({ entryPoints: [join(dir, "page.js")], bundle: true, format: "esm", platform: "browser",
    outfile: join(dir, "bundle.js"), logLevel: "error" });
  // The same page script with the bare specifier mapped by an import map: no bundler.
  writeFileSync(join(dir, "bundled.html"), '<!doctype html><script type="module" src="/bundle.js"></script>');
  const importMap = (entry) => `<!doctype html>
<script type="importmap">{"imports":{"zilliz-cloud-backup":"/node_modules/zilliz-cloud-backup/${entry}"}}</script>
<script type="module" src="/page.js"></script>`;
  writeFileSync(join(dir, "plain.html"), importMap("browser.js"));
  writeFileSync(join(dir, "wasm-file.html"), importMap("wasm-file.js"));
  // esbuild keeps `new URL("./dist/…wasm", import.meta.url)` as it is and copies nothing, so
  // the bundle's .wasm is not there.
  writeFileSync(join(dir, "missing.js"), 'import { BackupClient } from "zilliz-cloud-backup/wasm-file"; window.loaded = BackupClient;');
  await esbuild.build({ entryPoints: [join(dir, "missing.js")], bundle: true, format: "esm", platform: "browser",
    outfile: join(dir, "missing/bundle.js"), logLevel: "error" });
  writeFileSync(join(dir, "missing.html"), '<!doctype html><script type="module" src="/missing/bundle.js"></script>');
  // webpack, as a dashboard would build it: its default output (a classic script), minified.
  writeFileSync(join(dir, "page-wasm-file.js"), PAGE_SCRIPT.replace('from "zilliz-cloud-backup"', 'from "zilliz-cloud-backup/wasm-file"'));
  await new Promise((resolve, reject) =>
    webpack({ mode: "production", context: dir, entry: "./page-wasm-file.js", output: { path: join(dir, "webpack"), filename: "bundle.js" } },
      (error, stats) => (error || stats.hasErrors() ? reject(error ?? new Error(stats.toString("errors-only"))) : resolve())));
  writeFileSync(join(dir, "webpack.html"), '<!doctype html><script src="/webpack/bundle.js"></script>');

  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    served.push(path);
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function newCluster(name) {
  const clusterId = `in01-browser${name}${Date.now() % 1e9}`;
  const r = await fetch(`${EMULATOR_URL}/__emulator/clusters`, { method: "POST", body: JSON.stringify({ clusterId }) });
  assert.equal(r.status, 200);
  await fetch(`${EMULATOR_URL}/__emulator/config`, { method: "POST", body: JSON.stringify({ jobDurationMs: 600 }) });
  return clusterId;
}

for (const variant of ["bundled", "plain", "wasm-file", "webpack"]) {
  test(`${variant}: create a backup and follow it to SUCCESSFUL in Chromium`, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    served.length = 0;
    await page.goto(`${origin}/${variant}.html`);
    await page.waitForFunction(() => typeof window.runBackup === "function");
    if (variant === "plain" || variant === "wasm-file") {
      // The inlined .wasm (a JS module) or the .wasm itself, never both.
      const file = variant === "plain" ? "zilliz_cloud_backup_bg.wasm.js" : "zilliz_cloud_backup_bg.wasm";
      const wasm = served.filter((p) => p.includes("zilliz_cloud_backup_bg"));
      assert.deepEqual(wasm, [`/node_modules/zilliz-cloud-backup/dist/${file}`]);
    }
    if (variant === "webpack") {
      // The .wasm webpack emitted beside its bundle (a content-hashed name), nothing from the package.
      assert.deepEqual(served.filter((p) => p.endsWith(".wasm") || p.includes("node_modules")).map((p) => p.replace(/[0-9a-f]{16,}/, "HASH")), ["/webpack/HASH.wasm"]);
    }
    const out = await page.evaluate(([u, k, c]) => window.runBackup(u, k, c), [EMULATOR_URL, KEY, await newCluster(variant)]);
    assert.equal(out.status, "SUCCESSFUL");
    assert.equal(out.progress, 100);
    assert.match(out.backupId, /^backup/);
    assert.ok(out.seen.length >= 2 && out.seen.at(-1) === 100, JSON.stringify(out.seen));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the backup lifecycle in Chromium: list all pages, describe, delete, policy", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/bundled.html`);
  await page.waitForFunction(() => typeof window.lifecycle === "function");
  const out = await page.evaluate(([u, k, c]) => window.lifecycle(u, k, c), [EMULATOR_URL, KEY, await newCluster("life")]);
  assert.deepEqual([...out.listed].sort(), [...out.ids].sort(), "every page walked (page size 1)");
  assert.deepEqual(out.described.collections.map((c) => c.collectionName), ["books"]);
  assert.deepEqual(out.after, [out.ids[1]], "the deleted backup is gone from the list");
  assert.deepEqual(out.policy.frequency, [1, 2, 3, 4, 5]);
  assert.equal(out.policy.startTime, "22:00-00:00");
  await page.close();
});

test("bad input and a wrong key come back as typed errors, without the key", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/bundled.html`);
  await page.waitForFunction(() => typeof window.badInput === "function");
  const bad = await page.evaluate(([u, k]) => window.badInput(u, k), [EMULATOR_URL, KEY]);
  assert.deepEqual([bad.name, bad.kind], ["ZillizError", "InvalidInput"]);
  assert.match(bad.message, /^clusterId/);
  const wrong = await page.evaluate((u) => window.wrongKey(u), EMULATOR_URL);
  assert.equal(wrong.kind, "Unauthorized");
  assert.equal(wrong.code, 21119);
  assert.ok(wrong.requestId, "RequestId is exposed to the page by CORS");
  assert.ok(!wrong.text.includes("LEAKCHECK"));
  await page.close();
});

test("wasm-file: when the .wasm is not served, the import fails saying what to do", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${origin}/missing.html`);
  for (let waited = 0; errors.length === 0 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await page.evaluate(() => typeof window.loaded), "undefined", "the page's module never ran");
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], /^zilliz-cloud-backup\/wasm-file: could not load http:\/\/127\.0\.0\.1:\d+\/missing\/dist\/zilliz_cloud_backup_bg\.wasm \(failed to fetch Wasm: 404/);
  assert.match(errors[0], /import "zilliz-cloud-backup", which inlines it/);
  await page.close();
});

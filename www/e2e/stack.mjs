// What every end-to-end test file needs: the real emulator (tests/js/harness), the real edge
// worker in workerd (worker/dev.mjs) allowing this page's origin, the built page on a static
// server, and headless Chromium. Plus a watch on every request the page makes, so a test can
// prove the Zilliz API key never leaves the worker.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHROMIUM, launchChromium } from "../../tools/chromium.mjs";
import { startEmulator, EMULATOR_BIN } from "../../tests/js/harness/emulator.mjs";
import { serveStatic, DIST } from "./serve.mjs";

export const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
// The Zilliz Cloud key as the worker holds it: distinctive, so any leak is easy to find.
export const ZILLIZ_KEY = `sk-e2e-ZILLIZKEY-${process.pid}-${Math.random().toString(36).slice(2)}`;
export const DASHBOARD_TOKEN = `dash-e2e-${Math.random().toString(36).slice(2)}`;
export const JOB_MS = 6000;

function preflight() {
  const missing = [
    [EMULATOR_BIN, "the emulator binary (cargo build -p zilliz-cloud-emulator)"],
    [fileURLToPath(new URL("../../pkg/dist/zilliz_cloud_backup.js", import.meta.url)), "pkg/dist (bash scripts/build-pkg.sh)"],
    [`${DIST}index.html`, "www/dist (cd www && npx vite build)"],
    [CHROMIUM, "Chromium"],
  ].filter(([path]) => !existsSync(path));
  assert.deepEqual(missing.map(([, what]) => what), [], "missing; build it first");
}

/**
 * Starts emulator + (worker) + page server + browser. `clusters`: names of fresh Dedicated
 * clusters to create (one per test, so the one-backup-per-cluster rule never collides).
 */
export async function startStack({ worker = true, clusters = [] } = {}) {
  preflight();
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = { stops: [] };
  try {
    stack.emulator = await startEmulator({ apiKey: ZILLIZ_KEY });
    stack.stops.push(() => stack.emulator.stop());
    await stack.emulator.config({ jobDurationMs: JOB_MS });
    stack.clusters = {};
    for (const name of clusters) stack.clusters[name] = await stack.emulator.cluster({ clusterName: name });

    stack.site = await serveStatic();
    stack.stops.push(() => stack.site.stop());

    if (worker) {
      const { startWorkerServer } = await import("../../worker/dev.mjs");
      stack.workerLog = [];
      stack.worker = await startWorkerServer({
        emulatorUrl: stack.emulator.url,
        apiKey: ZILLIZ_KEY,
        allowedClusters: Object.values(stack.clusters),
        allowedOrigins: [stack.site.url],
        dashboardToken: DASHBOARD_TOKEN,
        onLog: (line) => stack.workerLog.push(line),
      });
      stack.stops.push(() => stack.worker.stop());
    }

    stack.browser = await launchChromium();
    stack.stops.push(() => stack.browser.close());
  } catch (err) {
    await stopStack(stack);
    throw err;
  }
  return stack;
}

export async function stopStack(stack) {
  for (const stop of (stack?.stops ?? []).reverse()) {
    try {
      await stop();
    } catch {
      // keep stopping the rest
    }
  }
}

/**
 * Opens the dashboard in a fresh context (fresh sessionStorage): through the worker by default,
 * or straight to the emulator with `mode: "emulator"`. Returns { page, requests, consoleLines }.
 */
export async function openDashboard(stack, { mode = "worker", viewport = { width: 1280, height: 900 } } = {}) {
  const context = await stack.browser.newContext({ viewport });
  const page = await context.newPage();
  const requests = [];
  page.on("request", async (request) => {
    const entry = { url: request.url(), method: request.method(), body: request.postData() ?? "", headers: {} };
    requests.push(entry);
    try {
      entry.headers = await request.allHeaders();
    } catch {
      entry.headers = request.headers();
    }
  });
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(m.text()));
  page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));

  const query = mode === "worker"
    ? `?worker=${encodeURIComponent(stack.worker.url)}&token=${encodeURIComponent(DASHBOARD_TOKEN)}`
    : `?emulator=${encodeURIComponent(stack.emulator.url)}&key=${encodeURIComponent(ZILLIZ_KEY)}`;
  await page.goto(`${stack.site.url}/${query}`);
  await page.waitForSelector("body[data-ready=true]");
  return { page, context, requests, consoleLines };
}

/** Fails if the Zilliz key shows in any request the page made (URL, header, body) or on the page. */
export async function assertKeyNeverSent(page, requests) {
  assert.ok(requests.length > 0, "the page made requests");
  for (const r of requests) {
    const text = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
    assert.ok(!text.includes(ZILLIZ_KEY), `the Zilliz key went out in ${r.method} ${r.url}`);
  }
  const html = await page.content();
  assert.ok(!html.includes(ZILLIZ_KEY), "the Zilliz key is on the page");
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(ZILLIZ_KEY), "the Zilliz key is in the page's storage");
}

/**
 * Waits until the progress bar of a job card (default: the newest) reads `value`%; returns the
 * values it saw on the way. Rejects as soon as the card shows a failure.
 */
export async function waitForBar(page, value, card = page.locator("#jobs-list article.job").first()) {
  const bar = card.locator("progress");
  const seen = new Set();
  for (;;) {
    const now = await bar.getAttribute("aria-valuenow");
    if (now != null) seen.add(Number(now));
    if (now != null && Number(now) === value) return [...seen].sort((a, b) => a - b);
    if ((await card.getAttribute("data-state")) === "failed") throw new Error(`the job failed: ${await card.innerText()}`);
    await page.waitForTimeout(100);
  }
}

export async function screenshot(page, name, options = {}) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, ...options });
}

/** A screenshot of just the elements matched by `selectors` (the box around them all). */
export async function screenshotOf(page, name, ...selectors) {
  const boxes = await Promise.all(selectors.map((s) => page.locator(s).boundingBox())); // viewport-relative
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  for (const box of boxes) (box.x += scroll.x), (box.y += scroll.y);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true, clip: { x, y, width: right - x, height: bottom - y } });
}

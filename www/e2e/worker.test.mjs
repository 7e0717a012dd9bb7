// The dashboard in production shape: built by Vite, served from loopback, driven in headless
// Chromium, talking only to the edge worker (workerd), which holds the Zilliz key and talks to
// the emulator. Each test has its own cluster, so the one-backup-per-cluster rule is per test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStack, stopStack, openDashboard, assertKeyNeverSent, waitForBar, screenshot, screenshotOf, DASHBOARD_TOKEN, ZILLIZ_KEY } from "./stack.mjs";
import { seedBackup } from "./seed.mjs";

const CLUSTERS = ["Keyboard", "Progress", "Stop", "Delete", "Policy", "Errors", "Busy", "Restore", "Narrow"];
let stack;
const opened = []; // every page, checked for the key at the end

before(async () => {
  stack = await startStack({ worker: true, clusters: CLUSTERS });
});

after(() => stopStack(stack));

async function open(options) {
  const session = await openDashboard(stack, options);
  opened.push(session);
  return session;
}

const card = (page, n = 0) => page.locator("#jobs-list article.job").nth(n);

/** Waits until the live region says `pattern`: announce() writes it on the next animation frame,
 * after the change it reports is already on screen, so reading it at once races that frame. */
async function statusSays(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector("#status").textContent), pattern.source);
}

async function showCluster(page, name) {
  await page.selectOption("#filter-cluster", stack.clusters[name]);
  await page.waitForFunction(() => !document.querySelector("#backups").hasAttribute("aria-busy"));
}

test("create a whole-cluster backup and watch the bar reach 100%", async () => {
  const { page, requests, consoleLines } = await open();
  const clusterId = stack.clusters.Progress;
  await page.selectOption("#create-cluster", clusterId);
  await page.getByRole("button", { name: "Create backup" }).click();

  const job = card(page);
  await job.locator("progress[aria-valuenow]").waitFor();
  assert.ok((await job.locator("h3").innerText()).startsWith("Backup of "));
  assert.ok((await job.locator("h3").innerText()).includes(clusterId));
  const jobId = await job.getAttribute("data-job-id");
  assert.match(jobId, /^job-/);
  // Mid-way screenshot once the job is running.
  await page.waitForFunction(() => Number(document.querySelector("#jobs-list progress").getAttribute("aria-valuenow")) > 0);
  await screenshotOf(page, "progress", "#create", "#jobs");

  const seen = await waitForBar(page, 100);
  assert.ok(seen.some((v) => v > 0 && v < 100), `the bar moved through intermediate values: ${seen}`);
  assert.equal(await job.locator(".job-percent").innerText(), "100%");
  assert.equal(await job.getAttribute("data-state"), "succeeded");
  assert.equal(await job.locator("progress").evaluate((p) => p.value), 100);
  await statusSays(page, /done \(100%\)/);

  // The list (refreshed after the job) shows the backup AVAILABLE, with a readable size and age.
  await showCluster(page, "Progress");
  const row = page.locator("#backups-table tbody tr").first();
  await row.locator(".badge.available").waitFor();
  assert.match(await row.locator("td[data-label=Size]").innerText(), /^\d+(\.\d)? (KB|MB|GB|TB)$/);
  assert.match(await row.locator("td[data-label=Created]").innerText(), /just now|min ago/);
  assert.match(await row.locator("time").getAttribute("title"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await screenshot(page, "dashboard", { fullPage: true });

  // The package's wasm came as a file of its own, the one Vite emitted, from the page's origin.
  const wasm = requests.filter((r) => new URL(r.url).pathname.endsWith(".wasm")).map((r) => new URL(r.url));
  assert.equal(wasm.length, 1, `one .wasm fetched: ${wasm}`);
  assert.equal(wasm[0].origin, new URL(page.url()).origin);
  assert.match(wasm[0].pathname, /\/assets\/zilliz_cloud_backup_bg-[\w-]+\.wasm$/);
  // The page's <head> preloads it (vite.config.js), and the entry's fetch was served from that
  // preload: the one request above, not a second.
  const preload = await page.locator('link[rel="preload"][as="fetch"]').getAttribute("href");
  assert.equal(new URL(preload, page.url()).href, wasm[0].href);
  // Chromium warns of a preload left unused a few seconds after the load; the job took longer.
  assert.deepEqual(consoleLines.filter((line) => /preload/i.test(line)), []);
  // The page went through the worker with its dashboard token only.
  const api = requests.filter((r) => r.url.startsWith(stack.worker.url) && r.method !== "OPTIONS");
  assert.ok(api.some((r) => r.url.includes(`/v2/jobs/${jobId}`)), "the page polled the job through the worker");
  assert.ok(api.every((r) => r.headers.authorization === `Bearer ${DASHBOARD_TOKEN}`), "every call carries the dashboard token");
});

test("stop watching aborts only the wait; watch again follows the job to the end", async () => {
  const { page } = await open();
  await page.selectOption("#create-cluster", stack.clusters.Stop);
  await page.getByRole("button", { name: "Create backup" }).click();
  const job = card(page);
  await job.getByRole("button", { name: "Stop watching" }).waitFor();
  await job.getByRole("button", { name: "Stop watching" }).click();
  await page.waitForFunction(() => document.querySelector("#jobs-list article.job").dataset.state === "stopped");
  assert.match(await job.locator(".job-note").innerText(), /goes on on the server/);
  // The server really goes on: the emulator's job is not failed or cancelled.
  const jobId = await job.getAttribute("data-job-id");
  const { jobs } = await stack.emulator.state();
  assert.ok(["PENDING", "IN_PROGRESS", "SUCCESSFUL"].includes(jobs.find((j) => j.jobId === jobId).status));
  await job.getByRole("button", { name: "Watch again" }).click();
  await waitForBar(page, 100);
});

test("delete asks for confirmation in a dialog; Cancel keeps the backup", async () => {
  const clusterId = stack.clusters.Delete;
  const { backupId } = await seedBackup(stack, clusterId);
  const { page } = await open();
  await showCluster(page, "Delete");
  const row = page.locator(`tr[data-backup-id="${backupId}"]`);
  await row.waitFor();

  await row.getByRole("button", { name: /^Delete / }).click();
  const dialog = page.locator("#delete-dialog");
  assert.equal(await dialog.evaluate((d) => d.open), true);
  assert.match(await dialog.innerText(), new RegExp(`${backupId}.*cannot be undone`, "s"));
  assert.equal(await page.evaluate(() => document.activeElement.id), "delete-cancel", "Cancel has the focus");
  await screenshot(page, "delete-dialog");
  await page.keyboard.press("Escape");
  assert.equal(await dialog.evaluate((d) => d.open), false);
  assert.equal((await stack.emulator.state()).backups.find((b) => b.backupId === backupId).status, "AVAILABLE");

  await row.getByRole("button", { name: /^Delete / }).click();
  await dialog.getByRole("button", { name: "Delete backup" }).click();
  await page.waitForFunction(() => !document.querySelector("#delete-dialog").open);
  await row.waitFor({ state: "detached" });
  await statusSays(page, /deleted/);
  assert.equal((await stack.emulator.state()).backups.find((b) => b.backupId === backupId).status, "DELETED");
});

test("edit the automatic-backup policy and read it back", async () => {
  const clusterId = stack.clusters.Policy;
  const { page } = await open();
  await page.selectOption("#policy-cluster", clusterId);
  await page.waitForFunction(() => document.querySelector("#policy-current").textContent.includes("off"));
  await page.getByLabel("Back up automatically").check();
  for (const day of ["Tue", "Thu", "Sat", "Sun"]) await page.locator("#policy-days").getByLabel(day).uncheck();
  await page.selectOption("#policy-window", "22:00-00:00");
  await page.getByLabel(/Keep each backup for/).fill("3");
  await page.getByRole("button", { name: "Save policy" }).click();

  await statusSays(page, /Policy saved/);
  assert.equal(await page.locator("#policy-current").innerText(), "Automatic backups are on: Mon, Wed, Fri, 22:00-00:00 UTC, kept 3 days.");
  const policy = (await stack.emulator.state()).policies.find((p) => p.clusterId === clusterId);
  assert.deepEqual({ enabled: policy.enabled, frequency: policy.frequency, startTime: policy.startTime, retentionDays: policy.retentionDays },
    { enabled: true, frequency: "1,3,5", startTime: "22:00-00:00", retentionDays: 3 });
  await screenshotOf(page, "policy", "#policy");

  // A fresh page reads the same policy back from the server into the form.
  const second = await open();
  await second.page.selectOption("#policy-cluster", clusterId);
  await second.page.waitForFunction(() => document.querySelector("#policy-current").textContent.includes("on:"));
  assert.equal(await second.page.locator("#policy-enabled").isChecked(), true);
  assert.equal(await second.page.locator("#policy-window").inputValue(), "22:00-00:00");
  assert.equal(await second.page.locator("#policy-retention").inputValue(), "3");
  const checked = await second.page.locator("#policy-days input:checked").evaluateAll((xs) => xs.map((x) => x.value));
  assert.deepEqual(checked, ["1", "3", "5"]);

  // Disable: the server says DISABLED and the form greys out the schedule.
  await second.page.getByLabel("Back up automatically").uncheck();
  await second.page.getByRole("button", { name: "Save policy" }).click();
  await second.page.waitForFunction(() => document.querySelector("#policy-current").textContent === "Automatic backups are off.");
  assert.equal(await second.page.locator("#policy-fields").evaluate((f) => f.disabled), true);
});

test("API errors in plain words, with the server's message and code", async () => {
  const clusterId = stack.clusters.Errors;
  const { page } = await open();

  // A business error (HTTP 200, non-zero code) on create.
  await stack.emulator.fault({ method: "POST", pathPrefix: `/v2/clusters/${clusterId}/backups/create`, fault: { type: "business", code: 80777, message: "Backup quota exceeded for this project" } });
  await page.selectOption("#create-cluster", clusterId);
  await page.getByRole("button", { name: "Create backup" }).click();
  const box = page.locator("#create-error .error");
  await box.waitFor();
  assert.equal(await box.locator(".error-summary").innerText(), "Zilliz Cloud refused the request.");
  const detail = await box.locator(".error-detail").innerText();
  assert.match(detail, /Backup quota exceeded for this project/);
  assert.match(detail, /code 80777/);
  await statusSays(page, /Error: Zilliz Cloud refused the request/);
  assert.equal((await stack.emulator.state()).backups.filter((b) => b.clusterId === clusterId).length, 0);
  await screenshotOf(page, "error", "#create");

  // A 503 on every try of a read (the client retries reads), then a working "Try again".
  await stack.emulator.fault({ method: "GET", pathPrefix: "/v2/backups", times: 4, fault: { type: "status", status: 503 } });
  await showCluster(page, "Errors");
  const listError = page.locator("#backups-error .error");
  await listError.waitFor();
  assert.equal(await listError.locator(".error-summary").innerText(), "Zilliz Cloud had a problem on its side.");
  assert.match(await listError.locator(".error-detail").innerText(), /HTTP 503/);
  assert.match(await listError.locator(".error-advice").innerText(), /Trying again in a moment may work/);
  assert.equal((await stack.emulator.control("GET", "/faults")).faults.length, 0, "all four tries reached the emulator");
  await listError.getByRole("button", { name: "Try again" }).click();
  await listError.waitFor({ state: "detached" });
  assert.match(await page.locator("#page-info").innerText(), /0 backups/);
});

test("a busy cluster is explained, and queueing waits for the running backup, then creates", async () => {
  const clusterId = stack.clusters.Busy;
  const { page } = await open();
  await page.selectOption("#create-cluster", clusterId);
  await page.getByRole("button", { name: "Create backup" }).click();
  await card(page).locator("progress[aria-valuenow]").waitFor();
  const firstBackup = (await stack.emulator.state()).backups.find((b) => b.clusterId === clusterId).backupId;

  await page.getByRole("button", { name: "Create backup" }).click();
  const box = page.locator("#create-error .error");
  await box.waitFor();
  assert.equal(await box.locator(".error-summary").innerText(), "Zilliz Cloud refused the request.");
  const advice = await box.locator(".error-advice").innerText();
  assert.match(advice, /Only one manual backup may run on a cluster at a time/);
  assert.ok(advice.includes(firstBackup), `names the running backup ${firstBackup}: ${advice}`);
  const queue = box.getByRole("button", { name: "Queue it: wait for the running backup, then create" });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), await queue.innerText(), "the queue button has the focus");
  await screenshotOf(page, "busy", "#create", "#jobs");

  await queue.click();
  const queued = card(page);
  assert.match(await queued.locator("h3").innerText(), /\(queued\)/);
  assert.match(await queued.locator(".job-note").innerText(), new RegExp(`waiting for backup ${firstBackup} to finish`));
  await waitForBar(page, 100, queued);
  await waitForBar(page, 100, card(page, 1));
  const mine = (await stack.emulator.state()).backups.filter((b) => b.clusterId === clusterId);
  assert.deepEqual(mine.map((b) => b.status), ["AVAILABLE", "AVAILABLE"]);
});

test("restore a collection from a backup into a cluster", async () => {
  const clusterId = stack.clusters.Restore;
  const { backupId } = await seedBackup(stack, clusterId, { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["books"] }] });
  const { page } = await open();
  await showCluster(page, "Restore");
  await page.locator(`tr[data-backup-id="${backupId}"]`).getByRole("button", { name: /^Restore a collection/ }).click();
  const dialog = page.locator("#restore-dialog");
  await page.waitForFunction(() => !document.querySelector("#restore-submit").disabled);
  assert.equal(await dialog.getByLabel("As collection").inputValue(), "books_restored");
  await dialog.getByLabel("As collection").fill("books_copy");
  await screenshot(page, "restore-dialog");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await page.waitForFunction(() => !document.querySelector("#restore-dialog").open);
  assert.match(await card(page).locator("h3").innerText(), /Restore of books into .* as books_copy/);
  await waitForBar(page, 100);
  const cluster = (await stack.emulator.state()).clusters.find((c) => c.clusterId === clusterId);
  assert.ok(JSON.stringify(cluster).includes("books_copy"), "the restored collection exists in the cluster");
});

test("keyboard only: reach the form, back up chosen collections, see it finish", async () => {
  const clusterId = stack.clusters.Keyboard; // first in the worker's list, so already selected
  const { page } = await open();
  const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  for (let i = 0; i < 20 && (await active()) !== "create-cluster"; i++) await page.keyboard.press("Tab");
  assert.equal(await active(), "create-cluster", "Tab reaches the cluster picker");
  assert.equal(await page.locator("#create-cluster").inputValue(), clusterId);
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.equal(outline.style, "solid", "a visible focus outline");
  assert.ok(outline.width >= 2, `outline ${outline.width}px`);

  await page.keyboard.press("Tab"); // the "Whole cluster" radio
  await page.keyboard.press("ArrowDown"); // → "Chosen collections"
  assert.equal(await page.locator("input[name=scope]:checked").inputValue(), "COLLECTION");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "create-db");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "create-names");
  await page.keyboard.type("books, movies");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "create-submit");
  await page.keyboard.press("Enter");

  const job = card(page);
  await job.waitFor();
  assert.match(await job.locator("h3").innerText(), /Backup of default\.books, movies/);
  await waitForBar(page, 100);
  const backup = (await stack.emulator.state()).backups.find((b) => b.clusterId === clusterId);
  assert.equal(backup.status, "AVAILABLE");
  assert.match(JSON.stringify(backup.contents), /books.*movies|movies.*books/);
});

test("readable at 375 px: no horizontal scroll, with a job, an error and backups on screen", async () => {
  const clusterId = stack.clusters.Narrow;
  await seedBackup(stack, clusterId);
  const { page } = await open({ viewport: { width: 375, height: 812 } });
  await showCluster(page, "Narrow");
  await page.locator("#backups-table tbody tr[data-backup-id]").first().waitFor();
  await page.selectOption("#create-cluster", clusterId);
  await page.getByRole("button", { name: "Create backup" }).click();
  await card(page).locator("progress[aria-valuenow]").waitFor();
  await page.getByRole("button", { name: "Create backup" }).click(); // busy: a long error message
  await page.locator("#create-error .error").waitFor();
  const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(sizes.scroll <= sizes.client, `no horizontal overflow: ${JSON.stringify(sizes)}`);
  const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && el.getClientRects().length)
    .map((el) => el.id || el.className || el.tagName));
  assert.deepEqual(wide, [], "every element fits the width");
  await screenshot(page, "narrow-375", { fullPage: true });
  await waitForBar(page, 100);
});

// Last, over every page the tests above opened.
test("the Zilliz key never left the worker: not in a page request, on a page, or in the worker's log", async () => {
  assert.ok(opened.length >= 8);
  for (const { page, requests } of opened) {
    await assertKeyNeverSent(page, requests);
    for (const r of requests) {
      assert.ok(!r.url.startsWith(stack.emulator.url), `the page called the emulator directly: ${r.method} ${r.url}`);
    }
  }
  assert.ok(stack.workerLog.length > 0, "the worker logged its requests");
  const leaked = stack.workerLog.filter((line) => line.includes(ZILLIZ_KEY));
  assert.equal(leaked.length, 0, `${leaked.length} of ${stack.workerLog.length} worker log lines contain the key`);
});

// The dashboard in local-development mode: straight to the emulator, key in the browser (and a
// visible warning saying so). Also the backups table's filters and pages, and the connection form.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStack, stopStack, openDashboard, waitForBar, screenshot, screenshotOf, ZILLIZ_KEY, JOB_MS } from "./stack.mjs";
import { seedBackup } from "./seed.mjs";

let stack;

before(async () => {
  stack = await startStack({ worker: false, clusters: ["Direct", "Paged", "Other"] });
});

after(() => stopStack(stack));

test("development mode: the page talks to the emulator directly and says the key is in the browser", async () => {
  const { page, requests } = await openDashboard(stack, { mode: "emulator" });
  const warning = page.locator("#dev-warning");
  assert.equal(await warning.isVisible(), true);
  assert.match(await warning.innerText(), /Development mode: the API key is in the browser/);
  // The key left the address bar at once; it is kept for this tab only.
  assert.ok(!page.url().includes(ZILLIZ_KEY), page.url());
  const stored = await page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) }));
  assert.ok(stored.session.includes(ZILLIZ_KEY));
  assert.ok(!stored.local.includes(ZILLIZ_KEY), "never in localStorage");
  // The emulator's clusters, named; a Serverless one cannot be picked for a backup.
  const options = await page.locator("#create-cluster option").evaluateAll((os) => os.map((o) => ({ text: o.textContent, disabled: o.disabled })));
  assert.ok(options.some((o) => o.text.startsWith("Dedicated-01 (in01-0000000000000001)") && !o.disabled));
  assert.ok(options.some((o) => o.text.includes("Serverless") && o.disabled));

  await page.selectOption("#create-cluster", stack.clusters.Direct);
  await page.getByLabel("Chosen collections").check();
  await page.getByLabel("Database", { exact: true }).fill("analytics");
  await page.getByLabel("Collection names").fill("events");
  await page.getByRole("button", { name: "Create backup" }).click();
  const job = page.locator("#jobs-list article.job").first();
  assert.equal(await job.locator("h3").innerText(), `Backup of analytics.events on Direct (${stack.clusters.Direct})`);
  await waitForBar(page, 100);
  await screenshot(page, "emulator-mode", { fullPage: true });
  const backup = (await stack.emulator.state()).backups.find((b) => b.clusterId === stack.clusters.Direct);
  assert.deepEqual(backup.contents, [{ dbName: "analytics", collectionNames: ["events"] }]);
  // Every API call went straight to the emulator with the key (this mode's whole point).
  const api = requests.filter((r) => r.url.includes("/v2/") && r.method !== "OPTIONS");
  assert.ok(api.length > 0 && api.every((r) => r.url.startsWith(stack.emulator.url) && r.headers.authorization === `Bearer ${ZILLIZ_KEY}`));
});

test("the backups table filters by cluster, type and status, and pages through listBackups", async () => {
  const paged = stack.clusters.Paged;
  await stack.emulator.config({ jobDurationMs: 20 });
  for (let i = 0; i < 12; i++) {
    await seedBackup(stack, paged, i % 2 ? { backupType: "COLLECTION", dbCollections: [{ collectionNames: ["books"] }] } : { backupType: "CLUSTER" });
  }
  await seedBackup(stack, stack.clusters.Other);
  // One backup still being created (a long job) for the status filter.
  await stack.emulator.config({ jobDurationMs: 600_000 });
  const { BackupClient } = await import("zilliz-cloud-backup");
  const client = new BackupClient({ token: ZILLIZ_KEY, baseUrl: stack.emulator.url });
  const creating = await client.createBackup(paged, { backupType: "CLUSTER" });
  client.free();
  await stack.emulator.config({ jobDurationMs: JOB_MS });

  const { page } = await openDashboard(stack, { mode: "emulator" });
  const rows = page.locator("#backups-table tbody tr[data-backup-id]");
  const settled = () => page.waitForFunction(() => !document.querySelector("#backups").hasAttribute("aria-busy"));
  const info = () => page.locator("#page-info").innerText();

  await page.selectOption("#filter-cluster", paged);
  await settled();
  assert.equal(await rows.count(), 10);
  assert.equal(await info(), "Page 1 of 2 · 13 backups");
  assert.equal(await rows.first().getAttribute("data-backup-id"), creating.backupId, "newest first");
  assert.equal(await page.locator("#page-prev").isDisabled(), true);
  await page.getByRole("button", { name: "Next page" }).click();
  await settled();
  assert.equal(await rows.count(), 3);
  assert.equal(await info(), "Page 2 of 2 · 13 backups");
  assert.equal(await page.locator("#page-next").isDisabled(), true);
  await page.getByRole("button", { name: "Previous page" }).click();
  await settled();
  assert.equal(await rows.count(), 10);

  await page.selectOption("#filter-type", "COLLECTION");
  await settled();
  assert.equal(await rows.count(), 6);
  assert.deepEqual(new Set(await rows.locator("td[data-label=Type]").allInnerTexts()), new Set(["COLLECTION · MANUAL"]));

  await page.selectOption("#filter-type", "");
  await page.selectOption("#filter-status", "CREATING");
  await settled();
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.backupId)), [creating.backupId]);
  assert.match(await info(), /9 hidden by the status filter/);
  await screenshotOf(page, "filters", "#backups");

  await page.selectOption("#filter-status", "");
  await page.selectOption("#filter-cluster", "");
  await settled();
  assert.match(await info(), /^Page 1 of \d+ · \d+ backups$/);
  const listed = (await stack.emulator.state()).backups.filter((b) => b.status === "AVAILABLE" || b.status === "CREATING");
  assert.equal(Number((await info()).match(/· (\d+) backups/)[1]), listed.length, "every cluster's backups together");
});

test("the connection form: nothing given, then connect to the emulator", async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.site.url}/`);
  const form = page.locator("#connection");
  await form.waitFor();
  assert.equal(await page.locator("#app").isVisible(), false);
  await screenshot(page, "connection");
  await page.getByLabel("Address").fill("not a url");
  await page.getByLabel("Emulator (local development)").check();
  assert.equal(await page.locator("#conn-token-label").innerText(), "Emulator API key (development only)");
  await page.getByLabel("Emulator API key (development only)").fill(ZILLIZ_KEY);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  assert.equal(await page.locator("#conn-url").evaluate((i) => i.validity.valid), false, "the browser refuses a non-URL");
  await page.getByLabel("Address").fill(stack.emulator.url);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.locator("#dev-warning").isVisible(), true);
  assert.match(await page.locator("#conn-summary").innerText(), /^Emulator http:\/\/127\.0\.0\.1:\d+$/);
  await context.close();
});

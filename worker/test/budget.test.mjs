// The rate budget (src/budget.js): the API's 20 requests/s per key and endpoint shared by every
// isolate of the worker. Unit tests of its routing and its slots, then the worker in several
// workerd isolates at once against the emulator enforcing the limit, with and without it.
import assert from "node:assert/strict";
import { after, before, mock, test } from "node:test";
import { endpointOf, Gate, WINDOW_MS } from "../src/budget.js";
import { API_KEY, directClient, startEmulatorWith, startWorker } from "./helpers.mjs";

test("endpointOf: each API endpoint is one bucket, whatever its ids", () => {
  const cases = [
    ["GET", "/v2/jobs/job-031a8e3587ba7zqkad", "GET /v2/jobs/{id}"],
    ["GET", "/v2/backups", "GET /v2/backups"],
    ["POST", "/v2/clusters/in01-3e5ad8adc38/backups/create", "POST /v2/clusters/{clusterId}/backups/create"],
    ["GET", "/v2/clusters/in01-a/backups/policy", "GET /v2/clusters/{clusterId}/backups/policy"],
    ["POST", "/v2/clusters/in01-a/backups/policy", "POST /v2/clusters/{clusterId}/backups/policy"],
    ["GET", "/v2/clusters/in01-a/backups/backup0_c7b1", "GET /v2/clusters/{clusterId}/backups/{backupId}"],
    ["DELETE", "/v2/clusters/in01-b/backups/backup1_x", "DELETE /v2/clusters/{clusterId}/backups/{backupId}"],
    ["POST", "/v2/clusters/in01-a/backups/b_1/restoreCluster", "POST /v2/clusters/{clusterId}/backups/{backupId}/restoreCluster"],
    ["POST", "/v2/clusters/in01-a/backups/b_1/restoreCollection", "POST /v2/clusters/{clusterId}/backups/{backupId}/restoreCollection"],
    ["POST", "/v2/clusters/in01-a/backups/b_1/export", "POST /v2/clusters/{clusterId}/backups/{backupId}/export"],
    ["GET", "/v2/something/else", "GET /v2/something/else"],
  ];
  for (const [method, path, endpoint] of cases) assert.equal(endpointOf(method, path), endpoint, path);
});

test("Gate: a slot is held until a window after its answer; the line is served in order; a wait can expire", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let now = 1_000_000;
    const tick = (ms) => {
      now += ms;
      mock.timers.tick(ms);
    };
    const settled = async (promise) => {
      let value = "pending";
      promise.then((v) => (value = v));
      await new Promise((r) => setImmediate(r));
      return value;
    };
    const gate = new Gate(2, () => now);
    assert.equal(await gate.enter(5_000), true);
    assert.equal(await gate.enter(5_000), true);
    const third = gate.enter(5_000);
    const fourth = gate.enter(5_000);
    const fifth = gate.enter(300);
    assert.equal(await settled(third), "pending", "both slots are in flight");
    tick(100);
    gate.leave(); // the first answered at +100
    tick(WINDOW_MS - 1);
    assert.equal(await settled(third), "pending", "a slot frees a whole window after its answer");
    assert.equal(await settled(fifth), false, "its 300 ms wait ran out first");
    assert.equal(gate.retryAfterSeconds(), 1);
    tick(1);
    assert.equal(await settled(third), true, "first come, first served");
    assert.equal(await settled(fourth), "pending");
    gate.leave(); // the second
    gate.leave(); // the third
    tick(WINDOW_MS);
    assert.equal(await settled(fourth), true);
    assert.equal(gate.line.length, 0);
    assert.equal(gate.inFlight, 1);
  } finally {
    mock.timers.reset();
  }
});

// Four isolates, each sent 30 describeJob requests at once: 120 requests for one endpoint, six
// times its budget, as dashboards in several places would send them.
const ISOLATES = 4;
const EACH = 30;
const LIMIT = 20;

let emu;
let jobId;
before(async () => {
  emu = await startEmulatorWith(["in01-budget"]);
  ({ jobId } = await directClient(emu).createBackup("in01-budget", { backupType: "CLUSTER" }));
});
after(() => emu?.stop());

/** 120 describeJob requests through the worker's isolates at once; each answer's status and body. */
async function burst(worker) {
  await emu.control("DELETE", "/stats");
  await emu.control("DELETE", "/requests");
  const answers = await Promise.all(
    Array.from({ length: ISOLATES * EACH }, async (_, i) => {
      const r = await worker.raw(`/v2/jobs/${jobId}`, {}, { isolate: i % ISOLATES });
      return { status: r.status, retryAfter: r.headers.get("Retry-After"), body: await r.json() };
    }),
  );
  const stats = await emu.control("GET", "/stats");
  const arrivals = (await emu.requests(`/v2/jobs/`)).map((r) => r.at).sort((a, b) => a - b);
  return { answers, stats, arrivals };
}

/** The most requests the emulator saw within any one second. */
function busiestSecond(arrivals) {
  let most = 0;
  for (let i = 0, j = 0; j < arrivals.length; j++) {
    while (arrivals[j] - arrivals[i] >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

test("without the budget, four isolates each under their own limit together collect 429s", async () => {
  await emu.config({ rateLimitPerSecond: LIMIT });
  const worker = await startWorker(emu, { allowedClusters: ["in01-budget"], rateBudget: false, isolates: ISOLATES });
  try {
    const { answers, stats } = await burst(worker);
    assert.ok(stats.rateLimited > 0, `the emulator refused none of ${stats.requests}: this test could not tell the budget works`);
    assert.ok(answers.some((a) => a.status === 429 && a.body.code === 80429), "the API's 429 reaches the dashboard");
  } finally {
    await worker.stop();
  }
});

test("with the budget, the same burst is spread out: every request answered, the API refuses none", async () => {
  await emu.config({ rateLimitPerSecond: LIMIT });
  const worker = await startWorker(emu, { allowedClusters: ["in01-budget"], isolates: ISOLATES });
  try {
    const { answers, stats, arrivals } = await burst(worker);
    assert.deepEqual(
      answers.filter((a) => a.status !== 200),
      [],
      "every request answered 200",
    );
    assert.ok(answers.every((a) => a.body.data.jobId === jobId));
    assert.equal(stats.rateLimited, 0);
    assert.equal(arrivals.length, ISOLATES * EACH, "each request sent once");
    assert.ok(busiestSecond(arrivals) <= LIMIT, `${busiestSecond(arrivals)} requests arrived within one second`);
    worker.assertNoKeyLeak();
  } finally {
    await worker.stop();
  }
});

test("a request that would wait longer than RATE_BUDGET_MAX_WAIT_MS is answered 429 with Retry-After, and never sent", async () => {
  await emu.config({ rateLimitPerSecond: LIMIT });
  const worker = await startWorker(emu, { allowedClusters: ["in01-budget"], isolates: ISOLATES, budgetMaxWaitMs: 300 });
  try {
    const { answers, stats, arrivals } = await burst(worker);
    const refused = answers.filter((a) => a.status === 429);
    const sent = answers.filter((a) => a.status === 200);
    assert.equal(refused.length + sent.length, ISOLATES * EACH, JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 429)));
    assert.ok(refused.length >= ISOLATES * EACH - 2 * LIMIT, `${refused.length} refused`);
    for (const a of refused) {
      assert.equal(a.body.code, 94290, JSON.stringify(a.body));
      assert.match(a.body.message, /^not sent: waiting for a slot on GET \/v2\/jobs\/\{id\} \(20 requests a second for the whole worker\) would take longer than RATE_BUDGET_MAX_WAIT_MS \(300 ms\)$/);
      assert.ok(Number(a.retryAfter) >= 1, `Retry-After ${a.retryAfter}`);
    }
    assert.equal(arrivals.length, sent.length, "a refused request never reached the API");
    assert.equal(stats.rateLimited, 0);
  } finally {
    await worker.stop();
  }
});

test("through the budget: a redirect is not followed, a create is sent once, and the object sends nowhere but ZILLIZ_BASE_URL", async () => {
  await emu.config({ rateLimitPerSecond: 0 });
  const worker = await startWorker(emu, { allowedClusters: ["in01-budget"] });
  try {
    await emu.control("DELETE", "/requests");
    await emu.fault({ method: "GET", pathPrefix: "/v2/jobs/", times: 1, fault: { type: "status", status: 302, headers: { Location: `${emu.url}/v2/backups` } } });
    const redirected = await fetch(`${worker.url}/v2/jobs/${jobId}`);
    assert.notEqual(redirected.status, 200, await redirected.text());
    assert.deepEqual(await emu.requests("/v2/backups"), [], "the redirect's target was never requested");

    // The job from before() has ended (400 ms jobs), so the cluster takes another backup.
    await new Promise((r) => setTimeout(r, 500));
    const created = await fetch(`${worker.url}/v2/clusters/in01-budget/backups/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ backupType: "CLUSTER" }),
    });
    const body = await created.json();
    assert.equal(created.status, 200, JSON.stringify(body));
    assert.match(body.data.jobId, /\S/);
    const creates = await emu.requests("/v2/clusters/in01-budget/backups/create");
    assert.equal(creates.length, 1);
    assert.deepEqual(JSON.parse(creates[0].body), { backupType: "CLUSTER" });
    assert.equal(creates[0].authorization, `Bearer ${API_KEY}`);

    const namespace = await worker.mf.getDurableObjectNamespace("RATE_BUDGET");
    const stub = namespace.get(namespace.idFromName("api-key"));
    const elsewhere = await stub.fetch("https://example.com/v2/jobs/x", { headers: { Authorization: "Bearer x" } });
    assert.equal(elsewhere.status, 400);
    assert.match((await elsewhere.json()).message, /only sends requests to ZILLIZ_BASE_URL/);
    worker.assertNoKeyLeak();
  } finally {
    await worker.stop();
  }
});

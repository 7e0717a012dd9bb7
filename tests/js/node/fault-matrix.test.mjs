// The fault matrix: every operation × every fault, through the public package against the
// emulator. One test per cell, generated from MATRIX below, which docs/fault-matrix.md mirrors
// (a test checks they agree). Each test checks the outcome AND how many requests the emulator
// saw, so "retried N times" and "never re-sent" are proven, not assumed.
//
// FAULT_MATRIX_OBSERVE=1 prints what each cell actually did, in the table's notation.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { BackupClient } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";

const DOC = new URL("../../../docs/fault-matrix.md", import.meta.url);
const OBSERVE = !!process.env.FAULT_MATRIX_OBSERVE;

// The client every cell uses: small per-request timeout (the stall outlasts it), 2 retries.
const CLIENT = { timeoutMs: 300, maxRetries: 2 };
const WAIT = { minIntervalMs: 20, maxIntervalMs: 100, timeoutMs: 20_000 };
const STALL_MS = 1000;
const BIG = 10 * 1024 * 1024;

const OPS = ["create", "describeJob", "waitForJob", "list", "describeBackup", "deleteBackup", "restoreCollection", "getPolicy", "setPolicy"];

// Cell notation (see docs/fault-matrix.md): `ok · N`, `ok reconciled · N`, `Kind · N`,
// `Kind retryable · N`; N = requests to the operation's endpoint; `+ M list` = list requests (a create lists once before sending, for reconciling)
// a create made to reconcile.
// prettier-ignore
const MATRIX = {
  "429, no Retry-After":           ["ok · 2 + 1 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2"],
  "429, Retry-After: 1":           ["ok · 2 + 1 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2"],
  "429, Retry-After: HTTP date":   ["ok · 2 + 1 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "ok · 2"],
  "HTTP 500":                      ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "HTTP 502":                      ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "HTTP 503":                      ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "HTTP 504":                      ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "HTML 502 from a proxy":         ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "HTTP 200, code 65000":          ["Api · 1 + 2 list", "Api · 1", "Api · 1", "Api · 1", "Api · 1", "Api · 1", "Api · 1", "Api · 1", "Api · 1"],
  "HTTP 401":                      ["Unauthorized · 1 + 1 list", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1", "Unauthorized · 1"],
  "HTTP 403":                      ["Forbidden · 1 + 1 list", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1", "Forbidden · 1"],
  "dropped before the response":   ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Network · 1", "Network · 1", "ok · 2", "Network · 1"],
  "body cut after the headers":    ["ok · 2 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Network · 1", "Network · 1", "ok · 2", "Network · 1"],
  "stall past timeoutMs":          ["ok reconciled · 1 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Network · 1", "Network · 1", "ok · 2", "Network · 1"],
  "malformed JSON":                ["ok · 2 + 2 list", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1"],
  "10 MB body":                    ["ok · 1 + 1 list", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1"],
  "unknown enums, extra fields":   ["ok · 1 + 1 list", "ok · 1", "ok · 2", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1", "ok · 1"],
  "redirect to another origin":    ["ok · 2 + 2 list", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1", "Protocol · 1"],
  "HTTP 503, every attempt":       ["Server · 2 + 3 list", "Server retryable · 3", "Server retryable · 3", "Server retryable · 3", "Server retryable · 3", "Server · 1", "Server · 1", "Server retryable · 3", "Server · 1"],
  "429 Retry-After: 0, every attempt": ["RateLimited retryable · 3 + 1 list", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3", "RateLimited retryable · 3"],
  "HTTP 500 after acting":         ["ok reconciled · 1 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Server · 1", "Server · 1", "ok · 2", "Server · 1"],
  "dropped after acting":          ["ok reconciled · 1 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Network · 1", "Network · 1", "ok · 2", "Network · 1"],
  "stall after acting":            ["ok reconciled · 1 + 2 list", "ok · 2", "ok · 2", "ok · 2", "ok · 2", "Network · 1", "Network · 1", "ok · 2", "Network · 1"],
};

/** The fault rule (without path/method) for each row; `after` rows let the server act first. */
function faultFor(row, op, ctx) {
  const status = (s, headers) => ({ type: "status", status: s, ...(headers ? { headers } : {}) });
  switch (row) {
    case "429, no Retry-After": return { fault: status(429) };
    case "429, Retry-After: 1": return { fault: status(429, { "Retry-After": "1" }) };
    case "429, Retry-After: HTTP date": return { fault: status(429, { "Retry-After": new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString() }) };
    case "HTTP 500": case "HTTP 502": case "HTTP 503": case "HTTP 504": return { fault: status(+row.slice(5)) };
    case "HTML 502 from a proxy": return { fault: { type: "html", status: 502 } };
    case "HTTP 200, code 65000": return { fault: { type: "business", code: 65000, message: "injected business error" } };
    case "HTTP 401": return { fault: { type: "status", status: 401, body: '{"code":80001,"message":"invalid token"}' } };
    case "HTTP 403": return { fault: { type: "status", status: 403, body: '{"code":403,"message":"no permission"}' } };
    case "dropped before the response": return { fault: { type: "drop" } };
    case "body cut after the headers": return { fault: { type: "truncated" } };
    case "stall past timeoutMs": return { fault: { type: "delay", ms: STALL_MS } };
    case "malformed JSON": return { fault: { type: "malformed" } };
    // The real answer padded to 10 MB: a success. Reading it takes longer than the small
    // timeout the other rows use, so this row gives the client time to read it all.
    case "10 MB body": return { fault: { type: "big", bytes: BIG }, after: true, client: { timeoutMs: 10_000 } };
    case "unknown enums, extra fields": return { fault: { type: "status", status: 200, body: JSON.stringify(oddBody(op, ctx)) } };
    case "redirect to another origin": return { fault: { type: "redirect", status: 302, location: `${ctx.elsewhere}/v2/stolen` } };
    // Persistent: the retries run out.
    case "HTTP 503, every attempt": return { fault: status(503), times: 10 };
    case "429 Retry-After: 0, every attempt": return { fault: status(429, { "Retry-After": "0" }), times: 10 };
    case "HTTP 500 after acting": return { fault: status(500), after: true };
    case "dropped after acting": return { fault: { type: "drop" }, after: true };
    case "stall after acting": return { fault: { type: "delay", ms: STALL_MS }, after: true };
  }
  throw new Error(`no fault for row ${row}`);
}

/** HTTP 200 bodies with values no client knows yet (and fields it never heard of). */
function oddBody(op, ctx) {
  const extra = { extraField: { nested: [1, 2] } };
  const backup = { backupId: ctx.backupId ?? "backup9_odd", backupName: "odd", clusterId: ctx.cluster, status: "ARCHIVED_V2", backupType: "HOLOGRAM", creationMethod: "SCHEDULED", size: 1, createTime: "2026-01-01T00:00:00Z", ...extra };
  const data = {
    create: { backupId: "backup9_odd", backupName: "odd", jobId: "job-odd", ...extra },
    describeJob: { jobId: ctx.jobId, type: "TELEPORT", status: "QUEUED_V2", progress: "7", startTime: null, endTime: null, reason: "", ...extra },
    list: { count: 1, currentPage: 1, pageSize: 10, backups: [backup], ...extra },
    describeBackup: backup,
    deleteBackup: { backupId: ctx.backupId, backupName: "odd", ...extra },
    restoreCollection: { jobId: "job-odd", ...extra },
    getPolicy: { clusterId: ctx.cluster, status: "PAUSED_V2", startTime: "02:00-04:00", frequency: "1,3", retentionDays: 7, ...extra },
    setPolicy: { clusterId: ctx.cluster, status: "PAUSED_V2", ...extra },
  };
  data.waitForJob = data.describeJob;
  return { code: 0, data: data[op], ...extra };
}
/** What the odd body's unknown value must look like in the result (kept verbatim). */
const ODD_MARK = { create: "backup9_odd", describeJob: "QUEUED_V2", list: "ARCHIVED_V2", describeBackup: "ARCHIVED_V2", deleteBackup: "backupId", restoreCollection: "job-odd", getPolicy: "PAUSED_V2", setPolicy: "PAUSED_V2" };

/** Per operation: its endpoint, how to set up a fresh target, and the call. */
const OPERATIONS = {
  create: {
    method: "POST",
    path: (c) => `/v2/clusters/${c.cluster}/backups/create`,
    call: (client, c) => client.createBackup(c.cluster, { backupType: "CLUSTER" }),
  },
  describeJob: {
    method: "GET", needsBackup: true,
    path: (c) => `/v2/jobs/${c.jobId}`,
    call: (client, c) => client.describeJob(c.jobId),
  },
  waitForJob: {
    method: "GET", needsBackup: true,
    path: (c) => `/v2/jobs/${c.jobId}`,
    call: (client, c) => client.waitForJob(c.jobId, WAIT),
  },
  list: {
    method: "GET",
    path: () => "/v2/backups",
    call: (client, c) => client.listBackups({ clusterId: c.cluster }),
  },
  describeBackup: {
    method: "GET", needsBackup: true,
    path: (c) => `/v2/clusters/${c.cluster}/backups/${c.backupId}`,
    call: (client, c) => client.describeBackup(c.cluster, c.backupId),
  },
  deleteBackup: {
    method: "DELETE", needsBackup: true,
    path: (c) => `/v2/clusters/${c.cluster}/backups/${c.backupId}`,
    call: (client, c) => client.deleteBackup(c.cluster, c.backupId),
  },
  restoreCollection: {
    method: "POST", needsBackup: true,
    path: (c) => `/v2/clusters/${c.cluster}/backups/${c.backupId}/restoreCollection`,
    call: (client, c) => client.restoreCollection(c.cluster, c.backupId, {
      destClusterId: c.cluster,
      dbCollections: [{ dbName: "default", collections: [{ collectionName: "books", destCollectionName: "books_restored" }] }],
    }),
  },
  getPolicy: {
    method: "GET",
    path: (c) => `/v2/clusters/${c.cluster}/backups/policy`,
    call: (client, c) => client.getBackupPolicy(c.cluster),
  },
  setPolicy: {
    method: "POST",
    path: (c) => `/v2/clusters/${c.cluster}/backups/policy`,
    call: (client, c) => client.setBackupPolicy(c.cluster, { enabled: true, frequency: [1, 3, 5], startTime: "02:00", retentionDays: 7 }),
  },
};

/** `"Server retryable · 3 + 1 list"` → its parts. */
export function parseCell(cell) {
  const m = /^(ok|[A-Z][A-Za-z]+)( retryable)?( reconciled)? · (\d+)(?: \+ (\d+) list)?$/.exec(cell ?? "");
  if (!m) throw new Error(`bad cell: ${JSON.stringify(cell)}`);
  return { outcome: m[1], retryable: !!m[2], reconciled: !!m[3], sent: +m[4], lists: m[5] === undefined ? 0 : +m[5] };
}

/** What happened, in the table's notation. */
function describeOutcome(out, sent, lists) {
  const tail = ` · ${sent}${lists ? ` + ${lists} list` : ""}`;
  if (out instanceof Error) return `${out.kind}${out.retryable ? " retryable" : ""}${tail}`;
  return `ok${out?.reconciled ? " reconciled" : ""}${tail}`;
}

/** The markdown table in docs/fault-matrix.md, as { row: [cells] }. */
function docTable() {
  const lines = readFileSync(DOC, "utf8").split("\n").filter((l) => l.startsWith("|"));
  const header = lines.findIndex((l) => /^\|\s*fault\s*\|/.test(l));
  assert.ok(header >= 0, "docs/fault-matrix.md has a table whose first column is 'fault'");
  const cols = lines[header].split("|").slice(1, -1).map((s) => s.trim().replace(/`/g, ""));
  const table = { columns: cols.slice(1), rows: {} };
  for (const line of lines.slice(header + 2)) {
    const cells = line.split("|").slice(1, -1).map((s) => s.trim().replace(/`/g, ""));
    table.rows[cells[0]] = cells.slice(1);
  }
  return table;
}

test("docs/fault-matrix.md and MATRIX agree, cell for cell", () => {
  const doc = docTable();
  assert.deepEqual(doc.columns, OPS);
  assert.deepEqual(doc.rows, MATRIX);
  for (const cells of Object.values(MATRIX)) {
    assert.equal(cells.length, OPS.length);
    cells.forEach(parseCell);
  }
});

// A second origin: a redirect must never bring a request (or the key) here.
let elsewhere, elsewhereHits = 0;
before(async () => {
  elsewhere = createServer((req, res) => { elsewhereHits++; res.end("{}"); });
  await new Promise((r) => elsewhere.listen(0, "127.0.0.1", r));
});
after(() => elsewhere?.close());

const observed = {};
after(() => {
  if (!OBSERVE) return;
  const lines = [`| fault | ${OPS.join(" | ")} |`, `|---|${OPS.map(() => "---").join("|")}|`];
  for (const row of Object.keys(MATRIX)) lines.push(`| ${row} | ${OPS.map((op) => `\`${observed[row]?.[op] ?? "?"}\``).join(" | ")} |`);
  console.log(lines.join("\n"));
});

// One emulator per operation (faults and the request log are emulator-wide), columns in parallel.
describe("fault matrix", { concurrency: OPS.length }, () => {
  OPS.forEach((op, col) => {
    describe(op, { concurrency: 1 }, () => {
      const spec = OPERATIONS[op];
      let emu, client;
      before(async () => {
        emu = await startEmulator({ jobDurationMs: 1 });
        client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url, ...CLIENT });
      });
      after(() => emu?.stop());

      for (const [row, cells] of Object.entries(MATRIX)) {
        test(`${op} × ${row} → ${cells[col]}`, async () => {
          const ctx = { cluster: await emu.cluster(), elsewhere: `http://127.0.0.1:${elsewhere.address().port}` };
          if (spec.needsBackup) {
            const made = await client.createBackup(ctx.cluster, { backupType: "CLUSTER" });
            Object.assign(ctx, { backupId: made.backupId, jobId: made.jobId });
            await client.waitForJob(made.jobId, WAIT); // AVAILABLE before any delete or restore
          }
          const path = spec.path(ctx);
          await emu.control("DELETE", "/faults");
          await emu.control("DELETE", "/requests");
          const hitsBefore = elsewhereHits;
          const { fault, after: act, client: options, times = 1 } = faultFor(row, op, ctx);
          const caller = options ? new BackupClient({ token: emu.apiKey, baseUrl: emu.url, ...CLIENT, ...options }) : client;
          await emu.fault({ pathPrefix: path, method: spec.method, times, ...(act ? { after: true } : {}), fault });

          let out;
          try {
            out = await spec.call(caller, ctx);
          } catch (e) {
            out = e;
          }
          const log = await emu.requests();
          const sent = log.filter((r) => r.method === spec.method && r.path === path).length;
          const lists = op === "create" ? log.filter((r) => r.path === "/v2/backups").length : 0;
          const seen = describeOutcome(out, sent, lists);
          (observed[row] ??= {})[op] = seen;
          if (OBSERVE) return;

          const want = parseCell(cells[col]);
          assert.equal(seen, cells[col], out instanceof Error ? `${out.kind}: ${out.message}` : JSON.stringify(out));
          assert.equal(elsewhereHits, hitsBefore, "nothing reached the redirect's target");
          if (want.outcome === "ok") {
            assert.ok(!(out instanceof Error));
            if (row === "unknown enums, extra fields") assert.match(JSON.stringify(out), new RegExp(ODD_MARK[op]), "unknown values are kept verbatim");
          } else {
            assert.equal(out.name, out.kind === "Aborted" ? "AbortError" : "ZillizError");
            assert.equal(typeof out.message, "string");
            // A failed wait always says which job it was following.
            if (op === "waitForJob") assert.equal(out.jobId, ctx.jobId, "the error carries the job id");
            // A write that may have acted says so.
            if (!want.retryable && ["Server", "Network", "Protocol"].includes(want.outcome) && !["describeJob", "waitForJob", "list", "describeBackup", "getPolicy"].includes(op)) {
              assert.match(out.message, /may have/, "says what may have happened");
            }
          }
        });
      }
    });
  });
});

// Reconciling must find the backup THIS create made. With a backup of the same cluster made
// seconds earlier (the clock-skew allowance is 30 s), it must neither hand back that older
// backup as the new one (the create would be lost) nor miss the one it made.
describe("create reconciliation on a cluster with a backup from seconds ago", { concurrency: 1 }, () => {
  let emu, client;
  before(async () => {
    emu = await startEmulator({ jobDurationMs: 1 });
    client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url, ...CLIENT });
  });
  after(() => emu?.stop());

  for (const act of [false, true]) {
    test(`a 503 ${act ? "after" : "before"} the server acted: the create returns a new backup, and the server has exactly it`, async () => {
      const cluster = await emu.cluster();
      const first = await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, WAIT);
      await emu.fault({ pathPrefix: `/v2/clusters/${cluster}/backups/create`, times: 1, ...(act ? { after: true } : {}), fault: { type: "status", status: 503 } });
      const second = await client.createBackup(cluster, { backupType: "CLUSTER" });
      const onServer = (await emu.state()).backups.filter((b) => b.clusterId === cluster).map((b) => b.backupId);
      assert.notEqual(second.backupId, first.backupId, "the earlier backup was handed back as the new one");
      assert.deepEqual(onServer, [first.backupId, second.backupId], "the server holds the first backup and the one returned, nothing else");
    });
  }
});

// Bad input is refused with InvalidInput naming the field, before any request is sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BackupClient } from "zilliz-cloud-backup";
import { startEmulator } from "../harness/emulator.mjs";
import { clientFor, rejects } from "../harness/client.mjs";

let emu, client;
before(async () => { emu = await startEmulator(); client = clientFor(emu); });
after(() => emu?.stop());

const CLUSTER = { backupType: "CLUSTER" };
const coll = (...dbCollections) => ({ backupType: "COLLECTION", dbCollections });

// [what, call, the field the message must start with]
const bad = [
  ["empty clusterId", (c) => c.createBackup("", CLUSTER), "clusterId"],
  ["clusterId with /", (c) => c.createBackup("in01/x", CLUSTER), "clusterId"],
  ["clusterId with ..", (c) => c.createBackup("..", CLUSTER), "clusterId"],
  ["clusterId with ?", (c) => c.createBackup("in01?x=1", CLUSTER), "clusterId"],
  ["clusterId with #", (c) => c.createBackup("in01#x", CLUSTER), "clusterId"],
  ["clusterId with %", (c) => c.createBackup("in01%2Fx", CLUSTER), "clusterId"],
  ["clusterId with a space", (c) => c.createBackup("in01 x", CLUSTER), "clusterId"],
  ["clusterId with a newline", (c) => c.createBackup("in01\n", CLUSTER), "clusterId"],
  ["clusterId not a string", (c) => c.createBackup(42, CLUSTER), "clusterId"],
  ["clusterId missing", (c) => c.createBackup(undefined, CLUSTER), "clusterId"],
  ["clusterId too long", (c) => c.createBackup("x".repeat(200), CLUSTER), "clusterId"],
  ["request missing", (c) => c.createBackup("in01-a"), "request"],
  ["request not an object", (c) => c.createBackup("in01-a", "CLUSTER"), "request"],
  ["request an array", (c) => c.createBackup("in01-a", [CLUSTER]), "request"],
  ["backupType unknown", (c) => c.createBackup("in01-a", { backupType: "SNAPSHOT" }), "request.backupType"],
  ["backupType lower case", (c) => c.createBackup("in01-a", { backupType: "cluster" }), "request.backupType"],
  ["backupType missing", (c) => c.createBackup("in01-a", {}), "request"],
  ["misspelled backupType", (c) => c.createBackup("in01-a", { backupTyp: "CLUSTER" }), "request.backupTyp"],
  ["misspelled dbCollections", (c) => c.createBackup("in01-a", { backupType: "COLLECTION", dbCollection: [] }), "request.dbCollection"],
  ["misspelled nested field", (c) => c.createBackup("in01-a", coll({ collectionName: ["a"] })), "request.dbCollections[0].collectionName"],
  ["CLUSTER with dbCollections", (c) => c.createBackup("in01-a", { backupType: "CLUSTER", dbCollections: [{ collectionNames: ["a"] }] }), "request.dbCollections"],
  ["COLLECTION without dbCollections", (c) => c.createBackup("in01-a", { backupType: "COLLECTION" }), "request.dbCollections"],
  ["COLLECTION with an empty list", (c) => c.createBackup("in01-a", coll()), "request.dbCollections"],
  ["no collection names", (c) => c.createBackup("in01-a", coll({ collectionNames: [] })), "request.dbCollections[0].collectionNames"],
  ["empty collection name", (c) => c.createBackup("in01-a", coll({ collectionNames: [""] })), "request.dbCollections[0].collectionNames[0]"],
  ["name starting with a digit", (c) => c.createBackup("in01-a", coll({ collectionNames: ["1abc"] })), "request.dbCollections[0].collectionNames[0]"],
  ["name with a dash", (c) => c.createBackup("in01-a", coll({ collectionNames: ["a-b"] })), "request.dbCollections[0].collectionNames[0]"],
  ["name with a space", (c) => c.createBackup("in01-a", coll({ collectionNames: ["ok", "a b"] })), "request.dbCollections[0].collectionNames[1]"],
  ["name too long", (c) => c.createBackup("in01-a", coll({ collectionNames: ["a".repeat(256)] })), "request.dbCollections[0].collectionNames[0]"],
  ["duplicate names", (c) => c.createBackup("in01-a", coll({ collectionNames: ["a", "a"] })), "request.dbCollections[0].collectionNames[1]"],
  ["duplicates across entries", (c) => c.createBackup("in01-a", coll({ collectionNames: ["a"] }, { collectionNames: ["a"] })), "request.dbCollections[1].collectionNames[0]"],
  ["two databases", (c) => c.createBackup("in01-a", coll({ dbName: "default", collectionNames: ["a"] }, { dbName: "analytics", collectionNames: ["b"] })), "request.dbCollections[1].dbName"],
  ["invalid database name", (c) => c.createBackup("in01-a", coll({ dbName: "my-db", collectionNames: ["a"] })), "request.dbCollections[0].dbName"],
  ["collection names not a list", (c) => c.createBackup("in01-a", coll({ collectionNames: "a" })), "request"],
  ["bad region id", (c) => c.createBackup("in01-a", { backupType: "CLUSTER", crossRegionCopies: [{ regionId: "US West" }] }), "request.crossRegionCopies[0].regionId"],
  ["unknown create option", (c) => c.createBackup("in01-a", CLUSTER, { whenbusy: "wait" }), "options.whenbusy"],
  ["bad whenBusy", (c) => c.createBackup("in01-a", CLUSTER, { whenBusy: "queue" }), "options.whenBusy"],
  ["signal not a signal", (c) => c.createBackup("in01-a", CLUSTER, { signal: {} }), "options.signal"],
  ["empty jobId", (c) => c.describeJob(""), "jobId"],
  ["jobId ..", (c) => c.describeJob(".."), "jobId"],
  ["jobId with #", (c) => c.describeJob("job#1"), "jobId"],
  ["jobId with %", (c) => c.describeJob("job%2F1"), "jobId"],
  ["jobId with a tab", (c) => c.describeJob("job\t1"), "jobId"],
  ["jobId null", (c) => c.describeJob(null), "jobId"],
  // A weekday name cut inside a multi-byte character once panicked (a wasm trap); the calls after
  // it in this list run on the same client, so they also show the instance still works.
  ["weekday name non-ASCII at byte 3", (c) => c.setBackupPolicy("in01-a", { enabled: true, frequency: ["MOé"] }), "policy.frequency"],
  ["weekday list non-ASCII at byte 3", (c) => c.setBackupPolicy("in01-a", { enabled: true, frequency: "TUé,WED" }), "policy.frequency"],
  ["signal not an AbortSignal", (c) => c.waitForJob("job-1", { signal: { aborted: false } }), "options.signal"],
  ["wait timeout past 7 days", (c) => c.waitForJob("job-1", { timeoutMs: 7 * 24 * 3600_000 + 1 }), "timeoutMs"],
  ["minIntervalMs 9", (c) => c.waitForJob("job-1", { minIntervalMs: 9 }), "minIntervalMs"],
  ["maxIntervalMs NaN", (c) => c.waitForJob("job-1", { maxIntervalMs: NaN }), "maxIntervalMs"],
  ["misspelled createBackupAndWait option", (c) => c.createBackupAndWait("in01-a", CLUSTER, { onprogress: () => {} }), "options.onprogress"],
  ["jobId with /", (c) => c.describeJob("job-1/../../clusters"), "jobId"],
  ["jobId with ?", (c) => c.waitForJob("job?x"), "jobId"],
  ["jobId not a string", (c) => c.waitForJob({ jobId: "job-1" }), "jobId"],
  ["wait timeout 0", (c) => c.waitForJob("job-1", { timeoutMs: 0 }), "timeoutMs"],
  ["wait timeout negative", (c) => c.waitForJob("job-1", { timeoutMs: -5 }), "timeoutMs"],
  ["wait timeout NaN", (c) => c.waitForJob("job-1", { timeoutMs: NaN }), "timeoutMs"],
  ["wait timeout fractional", (c) => c.waitForJob("job-1", { timeoutMs: 10.5 }), "timeoutMs"],
  ["wait timeout absurd", (c) => c.waitForJob("job-1", { timeoutMs: 30 * 24 * 3600_000 }), "timeoutMs"],
  ["wait timeout a string", (c) => c.waitForJob("job-1", { timeoutMs: "1000" }), "options.timeoutMs"],
  ["minIntervalMs too small", (c) => c.waitForJob("job-1", { minIntervalMs: 1 }), "minIntervalMs"],
  ["max below min", (c) => c.waitForJob("job-1", { minIntervalMs: 500, maxIntervalMs: 100 }), "maxIntervalMs"],
  ["misspelled wait option", (c) => c.waitForJob("job-1", { timeoutMS: 1000 }), "options.timeoutMS"],
  ["onProgress not a function", (c) => c.waitForJob("job-1", { onProgress: "log" }), "options.onProgress"],
  ["wait options not an object", (c) => c.waitForJob("job-1", 1000), "options"],
  ["createBackupAndWait bad request", (c) => c.createBackupAndWait("in01-a", { backupType: "ALL" }), "request.backupType"],
  ["createBackupAndWait bad wait option", (c) => c.createBackupAndWait("in01-a", CLUSTER, { minIntervalMs: 0 }), "minIntervalMs"],
];

test(`${bad.length} bad calls are refused before any request is sent`, async () => {
  assert.ok(bad.length >= 50);
  const before = (await emu.requests()).length;
  for (const [what, call, field] of bad) {
    const e = await rejects(call(client), "InvalidInput");
    assert.ok(e.message.startsWith(field), `${what}: "${e.message}" should start with ${field}`);
    assert.equal(e.retryable, false, what);
  }
  assert.equal((await emu.requests()).length, before, "no request reached the server");
});

// [what, options, the field]
const badOptions = [
  ["no options", undefined, "options"],
  ["no token", {}, "token"],
  ["empty token", { token: "" }, "token"],
  ["token with a space", { token: "sk abc" }, "token"],
  ["token with a newline", { token: "sk-abc\n" }, "token"],
  ["token with a control character", { token: "sk-\u0007abc" }, "token"],
  ["token not a string", { token: 12345 }, "token"],
  ["misspelled option", { tokne: "sk-abc" }, "options.tokne"],
  ["http to a remote host", { token: "k", baseUrl: "http://api.cloud.zilliz.com" }, "baseUrl"],
  ["http to a private address", { token: "k", baseUrl: "http://10.0.0.5:8080" }, "baseUrl"],
  ["not a URL", { token: "k", baseUrl: "api.cloud.zilliz.com" }, "baseUrl"],
  ["credentials in the URL", { token: "k", baseUrl: "https://user:pw@api.cloud.zilliz.com" }, "baseUrl"],
  ["query in the URL", { token: "k", baseUrl: "https://api.cloud.zilliz.com/?x=1" }, "baseUrl"],
  ["fragment in the URL", { token: "k", baseUrl: "https://api.cloud.zilliz.com/#x" }, "baseUrl"],
  ["baseUrl not a string", { token: "k", baseUrl: 443 }, "options.baseUrl"],
  ["timeout past 600000", { token: "k", timeoutMs: 600_001 }, "timeoutMs"],
  ["timeout NaN", { token: "k", timeoutMs: NaN }, "timeoutMs"],
  ["timeout fractional", { token: "k", timeoutMs: 1000.5 }, "timeoutMs"],
  ["timeout negative", { token: "k", timeoutMs: -1 }, "timeoutMs"],
  ["other scheme", { token: "k", baseUrl: "ftp://api.cloud.zilliz.com" }, "baseUrl"],
  ["timeout 0", { token: "k", timeoutMs: 0 }, "timeoutMs"],
  ["timeout absurd", { token: "k", timeoutMs: 3600_000 }, "timeoutMs"],
  ["timeout Infinity", { token: "k", timeoutMs: Infinity }, "timeoutMs"],
  ["maxRetries negative", { token: "k", maxRetries: -1 }, "maxRetries"],
  ["maxRetries too many", { token: "k", maxRetries: 11 }, "maxRetries"],
  ["maxRetries fractional", { token: "k", maxRetries: 1.5 }, "maxRetries"],
  ["Authorization header", { token: "k", headers: { Authorization: "Bearer other" } }, "headers"],
  ["authorization header, lower case", { token: "k", headers: { authorization: "Bearer other" } }, "headers"],
  ["Authorization in a Headers object", { token: "k", headers: new Headers({ Authorization: "Bearer other" }) }, "headers"],
  ["header with a newline", { token: "k", headers: { "X-A": "a\r\nb" } }, "headers"],
  ["headers not an object", { token: "k", headers: "X-A: 1" }, "options.headers"],
  ["headers an iterable of other than pairs", { token: "k", headers: new Set(["X-A"]) }, "options.headers"],
  ["headers a Map with a value not a string", { token: "k", headers: new Map([["X-A", 1]]) }, "options.headers"],
  ["fetch not a function", { token: "k", fetch: "fetch" }, "options.fetch"],
];

test(`${badOptions.length} bad client options throw synchronously`, () => {
  for (const [what, options, field] of badOptions) {
    let error;
    try {
      new BackupClient(options);
    } catch (e) {
      error = e;
    }
    assert.ok(error, `${what}: should throw`);
    assert.equal(error.name, "ZillizError", what);
    assert.equal(error.kind, "InvalidInput", what);
    assert.ok(error.message.startsWith(field), `${what}: "${error.message}" should start with ${field}`);
    if (typeof options?.token === "string" && options.token.length > 2) {
      assert.ok(!error.message.includes(options.token.trim()), `${what}: the message quotes the token`);
    }
  }
});

test("the limits themselves are accepted: the checks above are not off by one", async () => {
  new BackupClient({ token: "k", timeoutMs: 600_000, maxRetries: 10 });
  new BackupClient({ token: "k", timeoutMs: 1, maxRetries: 0 });
  const before = (await emu.requests()).length;
  // An aborted signal ends the call after validation and before any request: Aborted, not InvalidInput.
  const signal = AbortSignal.abort();
  await rejects(client.waitForJob("job-1", { timeoutMs: 7 * 24 * 3600_000, minIntervalMs: 10, maxIntervalMs: 10, signal }), "Aborted");
  await rejects(client.createBackup("in01-a", coll({ collectionNames: ["_" + "a".repeat(254)] }), { signal }), "Aborted");
  assert.equal((await emu.requests()).length, before);
});

test("valid options are accepted (loopback http, https, Headers)", () => {
  for (const baseUrl of ["http://127.0.0.1:1", "http://localhost:8787/", "http://[::1]:9", "https://api.cloud.zilliz.com.cn", "https://proxy.example.com/zilliz"]) {
    new BackupClient({ token: "k", baseUrl });
  }
  new BackupClient({ token: "k", headers: new Headers({ "X-Trace": "1" }), timeoutMs: 600_000, maxRetries: 0 });
  new BackupClient({ token: "k", headers: new Map([["X-Trace", "1"]]) });
  new BackupClient({ token: "k", headers: Object.assign(Object.create(null), { "X-Trace": "1" }) });
});

// A module-syntax worker that imports the package like any user's worker would (bundled with
// the "workerd" condition, the .wasm kept as a separate CompiledWasm module). The test drives
// it through fetch: each path runs one scenario against the emulator and answers JSON.
import { BackupClient, init } from "zilliz-cloud-backup";
// The browsers' wasm-file subpath resolves to the workerd entry here (the same module).
import { BackupClient as FromWasmFileSubpath } from "zilliz-cloud-backup/wasm-file";

const FAST = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 20_000 };

function describe(e) {
  return { name: e.name, kind: e.kind, message: e.message, jobId: e.jobId, job: e.job, code: e.code, retryable: e.retryable };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const cluster = url.searchParams.get("cluster");
    let fetchCalls = 0;
    const options = { token: env.ZILLIZ_API_KEY, baseUrl: env.ZILLIZ_BASE_URL };
    if (url.pathname === "/custom-fetch") options.fetch = (req) => { fetchCalls++; return fetch(req); };
    try {
      // init() only on /custom-fetch (the last test): everything before it shows it is not needed.
      if (url.pathname === "/custom-fetch") await Promise.all([init(), init()]).then(() => init());
      const client = new BackupClient(options);
      switch (url.pathname) {
        case "/create-and-wait":
        case "/custom-fetch": {
          const seen = [];
          const out = await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, { ...FAST, onProgress: (j) => seen.push(j.progress) });
          return Response.json({ out, seen, fetchCalls });
        }
        case "/collection": {
          const created = await client.createBackup(cluster, { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["medium_articles"] }] });
          const job = await client.waitForJob(created.jobId, FAST);
          return Response.json({ created, job });
        }
        case "/lifecycle": {
          // A scheduled-backup style run: create, resumable wait across "invocations", list, delete.
          const created = await client.createBackup(cluster, { backupType: "CLUSTER" });
          let step = await client.waitForJobStep(created.jobId, { budgetMs: 50, minIntervalMs: 20, maxIntervalMs: 200 });
          let invocations = 1;
          while (!step.done && invocations < 200) {
            const stored = JSON.parse(JSON.stringify(step.state)); // as if through KV
            await new Promise((r) => setTimeout(r, Math.max(0, stored.wait.nextPollAt - Date.now())));
            step = await client.waitForJobStep(stored, { budgetMs: 50 });
            invocations++;
          }
          const listed = [];
          for await (const b of client.listAllBackups({ clusterId: cluster, pageSize: 1 })) listed.push(b.backupId);
          const deleted = await client.deleteBackup(cluster, created.backupId);
          const policy = await client.setBackupPolicy(cluster, { enabled: true, frequency: ["SAT", "SUN"], startTime: "04:00", retentionDays: 14 });
          return Response.json({ created, job: step.job, invocations, listed, deleted, policy });
        }
        case "/entries":
          return Response.json({ same: FromWasmFileSubpath === BackupClient });
        case "/compile-bytes": {
          // The premise of the entry check: this runtime refuses to compile wasm from bytes
          // (the smallest valid module: magic + version), so a working package cannot be doing it.
          try {
            await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
            return Response.json({ compiled: true });
          } catch (e) {
            return Response.json({ compiled: false, message: String(e) });
          }
        }
        case "/invalid":
          await client.createBackup("in01/../x", { backupType: "CLUSTER" });
          return Response.json({ unexpected: "resolved" });
        case "/failed":
          await client.createBackupAndWait(cluster, { backupType: "CLUSTER" }, FAST);
          return Response.json({ unexpected: "resolved" });
        case "/abort": {
          const { jobId } = await client.createBackup(cluster, { backupType: "CLUSTER" });
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 100);
          const started = Date.now();
          try {
            await client.waitForJob(jobId, { minIntervalMs: 5_000, signal: controller.signal });
          } catch (e) {
            return Response.json({ error: describe(e), tookMs: Date.now() - started });
          }
          return Response.json({ unexpected: "resolved" });
        }
        case "/describe": {
          // One describeJob with no retries, and how long it took: for requests of different
          // workerd request contexts that overlap (the timeout test).
          const once = new BackupClient({ ...options, maxRetries: 0, timeoutMs: Number(url.searchParams.get("timeoutMs")) });
          const started = Date.now();
          try {
            const job = await once.describeJob(url.searchParams.get("job"));
            return Response.json({ job, tookMs: Date.now() - started });
          } catch (e) {
            return Response.json({ error: describe(e), tookMs: Date.now() - started });
          }
        }
        default:
          return new Response("no such scenario", { status: 404 });
      }
    } catch (e) {
      return Response.json({ error: describe(e), fetchCalls });
    }
  },
};

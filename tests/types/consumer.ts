// Type-checked against pkg/index.d.ts by `make test` (tsc --noEmit): the declarations must
// accept documented usage and reject misuse (each @ts-expect-error must be an error).
import { BackupClient, init, type Job, type ZillizError } from "zilliz-cloud-backup";

await init();
const client = new BackupClient({ token: "k", baseUrl: "https://api.cloud.zilliz.com", timeoutMs: 30000, maxRetries: 3,
  headers: { "X-Trace": "1" }, fetch: (r: Request) => fetch(r), requestsPerSecond: 20 });
// @ts-expect-error requestsPerSecond is a number
new BackupClient({ token: "k", requestsPerSecond: "20" });
const created = await client.createBackup("in01-x", { backupType: "CLUSTER" });
const id: string = created.jobId ?? "job-reconciled"; // null only after reconciling
const r: boolean = created.reconciled;
void r;
await client.createBackup("in01-x", { backupType: "COLLECTION", dbCollections: [{ dbName: "default", collectionNames: ["a"] }] });
const job: Job = await client.waitForJob(id, { timeoutMs: 1, minIntervalMs: 10, maxIntervalMs: 100,
  signal: new AbortController().signal, onProgress: (j) => { const p: number = j.progress; void p; } });
const both = await client.createBackupAndWait("in01-x", { backupType: "CLUSTER" });
const status: string = both.job?.status ?? both.backup!.status;
const page = await client.listBackups({ clusterId: "in01-x", pageSize: 50, creationMethod: "MANUAL" });
const next: number | null = page.nextPage;
for await (const b of client.listAllBackups({ clusterId: "in01-x" })) { const s: string = b.status; void s; }
const restored = await client.restoreClusterAndWait("in01-x", "b1", { targetProjectId: "proj-1", clusterName: "r", cuSize: 1 });
const password: string | null = restored.password;
await client.setBackupPolicy("in01-x", { enabled: true, frequency: ["MON", 3], startTime: "02:00", retentionDays: 7 });
const policy = await client.getBackupPolicy("in01-x");
const days: number[] = policy.frequency;
let step = await client.waitForJobStep(id, { budgetMs: 5000 });
if (!step.done) step = await client.waitForJobStep(JSON.parse(JSON.stringify(step.state)), { budgetMs: 5000 });
void next; void password; void days;
void job; void status;
try { await client.describeJob(id); } catch (e) {
  const z = e as ZillizError;
  const said: string | undefined = z.serverMessage;
  void said;
  if (z.kind === "JobFailed") console.log(z.job?.reason, z.jobId, z.retryable);
}

// @ts-expect-error the token is required
new BackupClient({});
// @ts-expect-error COLLECTION needs dbCollections
await client.createBackup("in01-x", { backupType: "COLLECTION" });
// @ts-expect-error unknown backup type
await client.createBackup("in01-x", { backupType: "SNAPSHOT" });
// @ts-expect-error disabling takes no other field
await client.setBackupPolicy("in01-x", { enabled: false, retentionDays: 3 });
// @ts-expect-error progress is a number
const s: string = job.progress;
void s;

// `make demo`: create a cluster backup and a collection backup with the npm package, showing a
// live progress bar until each job ends. Real Zilliz Cloud when ZILLIZ_API_KEY and
// ZILLIZ_CLUSTER_ID are set; otherwise the emulator the Makefile started (EMULATOR_URL).
import { BackupClient } from "zilliz-cloud-backup";

const real = Boolean(process.env.ZILLIZ_API_KEY && process.env.ZILLIZ_CLUSTER_ID);
const config = real
  ? {
      token: process.env.ZILLIZ_API_KEY,
      baseUrl: process.env.ZILLIZ_BASE_URL || undefined,
      clusterId: process.env.ZILLIZ_CLUSTER_ID,
      db: process.env.ZILLIZ_DB || "default",
      collection: process.env.ZILLIZ_COLLECTION || "medium_articles",
    }
  : {
      token: process.env.EMULATOR_API_KEY || "emulator-api-key",
      baseUrl: process.env.EMULATOR_URL,
      clusterId: "in01-0000000000000001",
      db: "default",
      collection: "medium_articles",
    };
if (!real && !config.baseUrl) {
  console.error("Set EMULATOR_URL (run `make demo`), or ZILLIZ_API_KEY and ZILLIZ_CLUSTER_ID for Zilliz Cloud.");
  process.exit(2);
}

const client = new BackupClient({ token: config.token, baseUrl: config.baseUrl });
const abort = new AbortController();
let current = null; // the job being followed, to print on Ctrl-C
// First Ctrl-C: abort the wait (the job keeps running on the server); a second one: quit now.
process.on("SIGINT", () => {
  if (abort.signal.aborted) process.exit(130);
  abort.abort();
});

const tty = process.stdout.isTTY;
function bar(label, job, info, started) {
  const width = 30;
  const done = Math.round((job.progress / 100) * width);
  const running = job.status !== "SUCCESSFUL" && job.status !== "FAILED";
  const eta = running && info?.etaMs != null ? `, about ${Math.ceil(info.etaMs / 1000)} s left` : "";
  const line = `${label} [${"#".repeat(done)}${"-".repeat(width - done)}] ${String(job.progress).padStart(3)}% ` +
    `${job.status.padEnd(11)} ${((Date.now() - started) / 1000).toFixed(1)} s${eta}`;
  // Fit the terminal's width, or the line wraps and \r no longer rewrites it.
  const cols = (process.stdout.columns || 100) - 1;
  if (tty) process.stdout.write(`\r${line.slice(0, cols).padEnd(cols)}`);
  else console.log(line);
}

async function backup(label, request) {
  const started = Date.now();
  const created = await client.createBackup(config.clusterId, request, { signal: abort.signal });
  current = created;
  console.log(`${label}: started backup ${created.backupId} (${created.backupName}), job ${created.jobId}`);
  // On a terminal the line is redrawn every 200 ms so the elapsed time runs between polls;
  // in a log, one line per new state.
  let last = null;
  const ticker = tty ? setInterval(() => last && bar(label, last.job, null, started), 200) : null;
  let job;
  try {
    job = await client.waitForJob(created.jobId, {
      signal: abort.signal,
      timeoutMs: 2 * 3600_000,
      onProgress: (j, info) => { last = { job: j }; bar(label, j, info, started); },
    });
  } finally {
    clearInterval(ticker);
  }
  if (tty) process.stdout.write("\n");
  console.log(`${label}: ${job.status} in ${((Date.now() - started) / 1000).toFixed(1)} s — backup ${created.backupId} is ready`);
  current = null;
}

try {
  console.log(`Cluster ${config.clusterId} on ${real ? config.baseUrl || "https://api.cloud.zilliz.com" : config.baseUrl}`);
  await backup("cluster backup   ", { backupType: "CLUSTER" });
  await backup("collection backup", {
    backupType: "COLLECTION",
    dbCollections: [{ dbName: config.db, collectionNames: [config.collection] }],
  });
} catch (e) {
  if (tty) process.stdout.write("\n");
  if (e.name === "AbortError") {
    const jobId = e.jobId ?? current?.jobId;
    console.error(jobId
      ? `Stopped waiting. Job ${jobId} goes on on the server: follow it again with client.waitForJob("${jobId}").`
      : "Stopped before a backup was started.");
    process.exit(130);
  }
  console.error(`Failed (${e.kind ?? e.name}${e.code ? `, API code ${e.code}` : ""}): ${e.message}`);
  if (e.jobId) console.error(`The job is ${e.jobId}: it can be followed again with waitForJob.`);
  process.exit(1);
}

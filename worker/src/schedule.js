// Scheduled backups with retention, one cron invocation at a time.
//
// Per BACKUP_SCHEDULE entry (all entries concurrently, sharing one deadline of STEP_BUDGET_MS):
//   1. an in-flight backup in KV → continue its wait with the package's resumable waitForJobStep;
//      when it ends, write the `last` record and drop the in-flight one;
//   2. otherwise, when the entry is due (no `cron`, or it equals the event's) → create a backup
//      (a busy cluster is "skipped: busy", not an error) and step its wait in the time left;
//   3. then retention (retention.js decides, this file deletes).
// A failure for one cluster is recorded in its entry of the run summary; the others go on.
import { getConfig } from "./config.js";
import { decideRetention } from "./retention.js";
import { key, readJson, remove, writeJson } from "./state.js";
import { withClient } from "./upstream.js";

// A scheduled backup may take long; the wait's own deadline (kept in the resumable state).
const WAIT_TIMEOUT_MS = 24 * 3600_000;

const iso = (ms) => new Date(ms).toISOString();
const describe = (e) => ({ kind: e?.kind ?? e?.name ?? "Error", code: e?.code, message: String(e?.message ?? e) });

/** The schedule as configured (for GET /config): no state, no secrets. */
export function scheduleSummary(config) {
  return config.schedule.map((e) => ({
    clusterId: e.clusterId,
    backupType: e.request.backupType,
    ...(e.request.dbCollections ? { dbCollections: e.request.dbCollections } : {}),
    cron: e.cron,
    retention: e.retention,
  }));
}

/** What KV holds (for GET /schedule): the last run's summary, and per cluster its in-flight and last backup. */
export async function scheduleStatus(env, config) {
  const kv = env.BACKUP_STATE;
  const clusters = await Promise.all(config.schedule.map(async ({ clusterId }) => {
    const [inflight, last] = await Promise.all([readJson(kv, key.inflight(clusterId)), readJson(kv, key.last(clusterId))]);
    const inFlight = inflight && {
      backupId: inflight.backupId,
      jobId: inflight.jobId,
      startedAt: inflight.startedAt,
      progress: inflight.state?.wait?.last?.progress ?? null,
    };
    return { clusterId, inFlight, last };
  }));
  return { lastRun: await readJson(kv, key.lastRun), clusters };
}

/** One cron invocation. Returns (and stores) the run summary. */
export async function runSchedule(event, env) {
  const config = getConfig(env);
  const kv = env.BACKUP_STATE;
  const startedAt = Date.now();
  const deadline = startedAt + config.stepBudgetMs;
  // One client for the whole run: its request limiter (20/s per endpoint, the API's limit) is
  // shared by every entry's calls and waits.
  const entries = await withClient(config, "schedule", (client) =>
    Promise.all(config.schedule.map((entry) => runEntry(client, kv, entry, event.cron, deadline))));
  const summary = { startedAt: iso(startedAt), finishedAt: iso(Date.now()), cron: event.cron ?? null, budgetMs: config.stepBudgetMs, entries };
  await writeJson(kv, key.lastRun, summary);
  return summary;
}

/** One entry; never throws (its failure is recorded in its summary entry). */
async function runEntry(client, kv, entry, cron, deadline) {
  const { clusterId } = entry;
  const out = { clusterId };
  try {
    const inflight = await readJson(kv, key.inflight(clusterId));
    if (inflight) Object.assign(out, { action: "continued" }, await follow(client, kv, clusterId, inflight, deadline));
    else if (entry.cron && entry.cron !== cron) out.action = "not due";
    else Object.assign(out, await start(client, kv, entry, deadline));
  } catch (e) {
    Object.assign(out, { action: "error", error: describe(e) });
  }
  if (entry.retention) {
    try {
      out.retention = await applyRetention(client, clusterId, entry.retention);
    } catch (e) {
      out.retention = { dryRun: entry.retention.dryRun, error: describe(e) };
    }
  }
  console.log(`scheduled backup ${clusterId}: ${JSON.stringify(out)}`);
  return out;
}

async function start(client, kv, entry, deadline) {
  const { clusterId } = entry;
  let created;
  try {
    created = await client.createBackup(clusterId, entry.request, { whenBusy: "fail" });
  } catch (e) {
    // The package found the backup already running (one manual backup job per cluster).
    if (e?.runningBackupId) return { action: "skipped: busy", runningBackupId: e.runningBackupId };
    throw e;
  }
  const inflight = {
    backupId: created.backupId,
    backupName: created.backupName,
    jobId: created.jobId, // null when the package reconciled an ambiguous create: followed by the backup's status
    startedAt: iso(Date.now()),
    state: null,
  };
  // Stored before waiting: if this invocation dies mid-wait, the next one continues it.
  await writeJson(kv, key.inflight(clusterId), inflight);
  return { action: "created", ...(await follow(client, kv, clusterId, inflight, deadline)) };
}

/** Steps the wait within the time left; writes `last` and drops the in-flight record once finished. */
async function follow(client, kv, clusterId, inflight, deadline) {
  const ids = { backupId: inflight.backupId, jobId: inflight.jobId };
  const budgetMs = Math.max(0, deadline - Date.now());
  let finished;
  try {
    if (inflight.jobId === null) {
      const b = await client.describeBackup(clusterId, inflight.backupId);
      if (b.status === "CREATING") return { ...ids, outcome: "running" };
      finished = b.status === "AVAILABLE" ? { status: "SUCCESSFUL" } : { status: "FAILED", reason: `the backup is ${b.status}` };
    } else {
      if (budgetMs === 0) return { ...ids, outcome: "running" };
      const step = inflight.state
        ? await client.waitForJobStep(inflight.state, { budgetMs })
        : await client.waitForJobStep(inflight.jobId, { budgetMs, timeoutMs: WAIT_TIMEOUT_MS });
      if (!step.done) {
        await writeJson(kv, key.inflight(clusterId), { ...inflight, state: step.state });
        return { ...ids, outcome: "running", progress: step.state.wait.last?.progress ?? null };
      }
      finished = { status: step.job.status };
    }
  } catch (e) {
    if (e?.kind === "JobFailed") finished = { status: "FAILED", reason: e.job?.reason || e.message };
    else if (e?.kind === "Timeout") finished = { status: "TIMED_OUT", reason: e.message };
    else throw e; // transient (network, 5xx, 429): the in-flight record stays for the next tick
  }
  const last = { ...ids, backupName: inflight.backupName, status: finished.status, finishedAt: iso(Date.now()) };
  if (finished.reason) last.reason = finished.reason;
  await writeJson(kv, key.last(clusterId), last);
  await remove(kv, key.inflight(clusterId));
  return { ...ids, outcome: finished.status, ...(finished.reason ? { reason: finished.reason } : {}) };
}

async function applyRetention(client, clusterId, rules) {
  const backups = [];
  for await (const b of client.listAllBackups({ clusterId, creationMethod: "MANUAL", pageSize: 100 })) backups.push(b);
  const { remove: old, keep } = decideRetention(backups, rules, clusterId, Date.now());
  const brief = (b) => ({ backupId: b.backupId, backupName: b.backupName, createTime: b.createTime });
  if (rules.dryRun) return { dryRun: true, wouldDelete: old.map(brief), kept: keep.length };
  const deleted = [];
  const errors = [];
  for (const b of old) {
    try {
      await client.deleteBackup(clusterId, b.backupId);
      deleted.push(brief(b));
    } catch (e) {
      errors.push({ backupId: b.backupId, error: describe(e) });
    }
  }
  return { dryRun: false, deleted, kept: keep.length, ...(errors.length ? { errors } : {}) };
}

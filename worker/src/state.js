// What the worker keeps in the BACKUP_STATE KV namespace, and under which keys.
//
// Why KV (eventually consistent) is acceptable here: each key is written by one cron invocation
// and read by a later one, minutes apart; if a stale read happens anyway, nothing is lost or
// doubled. A missed in-flight record makes the next tick try a create, which the API's
// one-manual-backup-job-per-cluster rule refuses while the job runs (recorded as "skipped:
// busy"); a stale in-flight record only re-polls a job (reads are idempotent); the backups
// themselves live in Zilliz, and retention re-reads them from the API each time.
// What a Durable Object would add: one strongly consistent, single-threaded owner per cluster
// (no two overlapping cron runs acting on the same cluster), transactional updates of the
// in-flight and last records, and alarms to resume exactly at the next poll time instead of
// at the next cron tick.

export const key = {
  /** The wait for a backup being made: { jobId, backupId, backupName, startedAt, state } */
  inflight: (clusterId) => `inflight:${clusterId}`,
  /** The last finished scheduled backup: { backupId, jobId, status, finishedAt, reason? } */
  last: (clusterId) => `last:${clusterId}`,
  /** The summary of the latest scheduled() invocation. */
  lastRun: "run:last",
};

export async function readJson(kv, k) {
  return kv.get(k, "json");
}

export async function writeJson(kv, k, value) {
  await kv.put(k, JSON.stringify(value));
}

export async function remove(kv, k) {
  await kv.delete(k);
}

// Which backups retention deletes: a pure function of the listed backups, the rules and the
// time, so every rule is unit-tested without a network.
//
// Only MANUAL backups that are AVAILABLE on the cluster are ever candidates: AUTO backups
// expire by their own policy, CREATING ones are still being made, and anything this code cannot
// date (no or unreadable createTime) is kept.

const DAY_MS = 86_400_000;

/**
 * @param {object[]} backups  as the package lists them ({ backupId, clusterId, creationMethod, status, createTime, … })
 * @param {{ maxAgeDays: number, keepNewest: number }} rules
 * @param {string} clusterId
 * @param {number} nowMs
 * @returns {{ remove: object[], keep: object[] }}  remove: oldest last; keep: the candidates kept
 */
export function decideRetention(backups, { maxAgeDays, keepNewest }, clusterId, nowMs) {
  const candidates = backups
    .filter((b) => b.creationMethod === "MANUAL" && b.status === "AVAILABLE" && b.clusterId === clusterId)
    .map((b) => ({ backup: b, at: Date.parse(b.createTime ?? "") }))
    .filter((c) => Number.isFinite(c.at))
    // Newest first; equal times keep the list's order (the API lists newest first).
    .sort((a, b) => b.at - a.at);
  const cutoff = nowMs - maxAgeDays * DAY_MS;
  const remove = [];
  const keep = [];
  candidates.forEach((c, i) => (i >= keepNewest && c.at < cutoff ? remove : keep).push(c.backup));
  return { remove, keep };
}

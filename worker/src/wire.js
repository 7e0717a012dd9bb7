// The package's decoded objects back into the Zilliz Cloud API v2 wire shapes, so a client of
// this worker (the same package, in the dashboard) decodes them exactly as it decodes Zilliz's.

export function job(j) {
  return {
    jobId: j.jobId,
    type: j.type,
    status: j.status,
    progress: String(j.progress), // the API sends a string "0".."100"
    startTime: j.startTime,
    endTime: j.endTime,
    reason: j.reason,
  };
}

export function created(c) {
  return { backupId: c.backupId, backupName: c.backupName, jobId: c.jobId };
}

/** One entry of GET /v2/backups. */
function listed(b) {
  return {
    projectId: b.projectId,
    backupId: b.backupId,
    backupName: b.backupName,
    backupType: b.backupType,
    creationMethod: b.creationMethod,
    size: b.size,
    expireTime: b.expireTime,
    clusterId: b.clusterId,
    clusterName: b.clusterName,
    createTime: b.createTime,
    status: b.status,
  };
}

export function page(p) {
  return { count: p.count, currentPage: p.currentPage, pageSize: p.pageSize, backups: p.backups.map(listed) };
}

/** Describe: the newer grouped shape when the package knew the databases, else the older one. */
export function backup(b) {
  const out = { ...listed(b), regionId: b.regionId };
  const collections = b.collections ?? [];
  const entry = (c) => ({ collectionName: c.collectionName, description: c.description ?? "", status: c.status });
  if (collections.some((c) => c.dbName != null)) {
    const groups = new Map();
    for (const c of collections) {
      const db = c.dbName ?? "default";
      if (!groups.has(db)) groups.set(db, []);
      groups.get(db).push(entry(c));
    }
    out.dbCollections = [...groups].map(([dbName, cs]) => ({ dbName, collections: cs }));
  } else {
    out.collections = collections.map(entry);
  }
  return out;
}

export function deleted(d) {
  return { backupId: d.backupId, backupName: d.backupName };
}

export function startedJob(s) {
  return { jobId: s.jobId };
}

export function policy(p) {
  const out = {
    clusterId: p.clusterId,
    status: p.status,
    startTime: p.startTime,
    frequency: p.frequency?.length ? p.frequency.join(",") : null, // the API's "1,3,5"
    retentionDays: p.retentionDays,
  };
  if (p.crossRegionCopies) out.crossRegionCopies = p.crossRegionCopies;
  return out;
}

export function policyStatus(s) {
  return { clusterId: s.clusterId, status: s.status };
}

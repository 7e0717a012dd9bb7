// Soak: nothing lost, nothing duplicated. N cycles of createBackupAndWait over M emulated
// clusters (one lane per cluster, lanes run concurrently) while the emulator fails a share of
// the /v2/ requests at random, before or after acting. The client side keeps every backup and
// job it was told about; at the end the emulator's own state is compared with that record.
//
//   node tests/soak/soak.mjs [--cycles 100] [--clusters 10] [--rate 0.05] [--seed 42] [--json]
//
// Prints a summary table; exits 1 on any violation. Exported `soak()` is used by short.test.mjs.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startEmulator } from "../js/harness/emulator.mjs";

const PKG = process.env.SOAK_PKG ?? new URL("../../pkg/node.js", import.meta.url).href;

export async function soak({ cycles = 100, clusters = 10, rate = 0.05, seed = 42, jobDurationMs = 150, log = console.log } = {}) {
  const { BackupClient } = await import(PKG);
  const emu = await startEmulator({ jobDurationMs });
  const started = Date.now();
  try {
    // The per-request timeout is below the random stall, so stalls end as timeouts.
    await emu.config({ randomFaults: { rate, seed, delayMs: 800, bigBytes: 256 * 1024 } });
    const client = new BackupClient({ token: emu.apiKey, baseUrl: emu.url, timeoutMs: 400, maxRetries: 3 });
    const laneIds = [];
    for (let i = 0; i < clusters; i++) laneIds.push(await emu.cluster({ clusterName: `soak-${i}` }));
    const perLane = laneIds.map((_, i) => Math.floor(cycles / clusters) + (i < cycles % clusters ? 1 : 0));
    const record = new Record();
    await Promise.all(laneIds.map((clusterId, i) => lane(client, clusterId, perLane[i], record)));
    const elapsedMs = Date.now() - started;
    const [state, stats] = await Promise.all([emu.state(), emu.control("GET", "/stats")]);
    const report = check(record, state, laneIds, cycles);
    if (report.details.unknownBackups.length) {
      // The story of each such cluster: its creates and lists as the emulator received them.
      const requests = await emu.requests();
      for (const clusterId of new Set(report.details.unknownBackups.map((u) => u.split("/")[0]))) {
        const t0 = requests[0]?.at ?? 0;
        const mine = requests.filter((r) => r.path.includes(clusterId) || r.query.includes(clusterId));
        const backups = state.backups.filter((b) => b.clusterId === clusterId).map((b) => `${b.backupId} ${b.createTime}`);
        report.details.unknownBackups.push(`${clusterId} requests (ms from the first logged):\n      ${mine.map((r) => `${r.at - t0} ${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`).join("\n      ")}\n    backups: ${backups.join(", ")}`);
      }
    }
    report.elapsedMs = elapsedMs;
    report.requests = stats.requests;
    report.faulted = stats.randomFaults?.faulted ?? 0;
    report.faultKinds = stats.randomFaults?.byKind ?? {};
    report.createsSent = Object.entries(stats.byEndpoint).filter(([k]) => k.includes("/backups/create")).reduce((n, [, v]) => n + v.requests, 0);
    report.errors = record.errorKinds;
    report.reconciled = record.reconciled;
    report.attempts = record.attempts;
    print(report, { cycles, clusters, rate, seed }, log);
    return report;
  } finally {
    emu.stop();
  }
}

/** What the client was told, per cluster and cycle. */
class Record {
  constructor() {
    this.byCluster = new Map(); // clusterId → [{ cycle, backupIds: Set, jobIds: Set, done }]
    this.jobIds = new Set();
    this.errorKinds = {};
    this.messages = new Map(); // clusterId → ["#cycle kind: message"], to explain a violation
    this.reconciled = 0;
    this.attempts = 0;
  }
  cycle(clusterId, cycle) {
    const list = this.byCluster.get(clusterId) ?? [];
    this.byCluster.set(clusterId, list);
    const c = { cycle, backupIds: new Set(), jobIds: new Set(), done: false };
    list.push(c);
    return c;
  }
  told(c, { backupId, jobId }) {
    if (backupId) c.backupIds.add(backupId);
    if (jobId) { c.jobIds.add(jobId); this.jobIds.add(jobId); }
  }
  error(e, clusterId, c) {
    const k = e?.kind ?? String(e);
    this.errorKinds[k] = (this.errorKinds[k] ?? 0) + 1;
    const list = this.messages.get(clusterId) ?? [];
    this.messages.set(clusterId, list);
    list.push(`#${c.cycle} ${k}${e?.backupId ? ` (backup ${e.backupId})` : ""}: ${e?.message ?? e}`);
  }
}

const WAIT = { minIntervalMs: 20, maxIntervalMs: 200, timeoutMs: 60_000 };
const MAX_ATTEMPTS = 20;

/** One cluster's cycles, one after the other; a cycle ends when a backup of ours has finished. */
async function lane(client, clusterId, cycles, record) {
  for (let i = 0; i < cycles; i++) {
    const c = record.cycle(clusterId, i);
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !c.done; attempt++) {
      record.attempts++;
      try {
        const out = await client.createBackupAndWait(clusterId, { backupType: "CLUSTER" }, { ...WAIT, whenBusy: "wait" });
        record.told(c, out);
        if (out.reconciled) record.reconciled++;
        c.done = true;
      } catch (e) {
        record.error(e, clusterId, c);
        record.told(c, e);
        // Told about a backup (the create worked, the wait did not): follow it to its end
        // before the next create, as a caller would; the cycle then has its backup.
        if (e.backupId) c.done = await follow(client, clusterId, e, record, c);
      }
    }
  }
}

/** Follows a backup we were told about until it is no longer CREATING (retrying any failure). */
async function follow(client, clusterId, e, record, c) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      if (e.jobId) await client.waitForJob(e.jobId, WAIT);
      else await client.waitForBackup(clusterId, e.backupId, WAIT);
      return true;
    } catch (err) {
      record.error(err, clusterId, c);
      if (err.kind === "JobFailed") return true;
    }
  }
  return false;
}

/** Compares the emulator's state with the client's record. */
export function check(record, state, laneIds, cycles) {
  const v = { unknownBackups: [], duplicateCycles: [], extraBackups: [], sharedBackups: [], orphanJobs: [], phantomBackups: [], unfinishedCycles: [] };
  const serverBackups = new Map(state.backups.map((b) => [b.backupId, b]));
  const jobsOfKnownBackups = new Set();
  let known = 0;
  let completed = 0;
  for (const clusterId of laneIds) {
    const ours = state.backups.filter((b) => b.clusterId === clusterId && b.creationMethod === "MANUAL");
    const cyclesOf = record.byCluster.get(clusterId) ?? [];
    const told = new Set(cyclesOf.flatMap((c) => [...c.backupIds]));
    known += told.size;
    const errors = () => (record.messages.get(clusterId) ?? []).map((m) => `\n      ${m}`).join("");
    for (const b of ours) if (!told.has(b.backupId)) v.unknownBackups.push(`${clusterId}/${b.backupId} (created ${b.createTime}); this cluster's errors:${errors()}`);
    for (const id of told) {
      const b = serverBackups.get(id);
      if (!b) v.phantomBackups.push(`${clusterId}/${id}`);
      else jobsOfKnownBackups.add(b.jobId);
    }
    // Each cycle asked for a new backup: one handed to two cycles means a create was lost.
    const owner = new Map();
    for (const c of cyclesOf) {
      for (const id of c.backupIds) {
        if (owner.has(id)) v.sharedBackups.push(`${clusterId}/${id}: cycles ${owner.get(id)} and ${c.cycle}`);
        else owner.set(id, c.cycle);
      }
      if (c.backupIds.size > 1) v.duplicateCycles.push(`${clusterId}#${c.cycle}: ${[...c.backupIds].join(", ")}`);
      if (!c.done) v.unfinishedCycles.push(`${clusterId}#${c.cycle}`);
      else completed++;
    }
    // One backup per completed cycle: any more is a create that happened twice.
    const withBackup = cyclesOf.filter((c) => c.backupIds.size > 0).length;
    if (ours.length > withBackup) v.extraBackups.push(`${clusterId}: ${ours.length} backups for ${withBackup} cycles`);
  }
  for (const j of state.jobs) {
    if (!laneIds.includes(j.clusterId) || j.type !== "BACKUP") continue;
    const finished = j.status === "SUCCESSFUL" || j.status === "FAILED";
    if (!finished && !record.jobIds.has(j.jobId) && !jobsOfKnownBackups.has(j.jobId)) v.orphanJobs.push(`${j.clusterId}/${j.jobId} ${j.status}`);
  }
  const serverCount = state.backups.filter((b) => laneIds.includes(b.clusterId) && b.creationMethod === "MANUAL").length;
  const violations = Object.values(v).reduce((n, list) => n + list.length, 0);
  return { cycles, completed, serverBackups: serverCount, knownBackups: known, violations, details: v };
}

function print(r, params, log) {
  const rows = [
    ["cycles / clusters / fault rate / seed", `${params.cycles} / ${params.clusters} / ${params.rate} / ${params.seed}`],
    ["elapsed", `${(r.elapsedMs / 1000).toFixed(1)} s`],
    ["/v2/ requests / randomly faulted", `${r.requests} / ${r.faulted}`],
    ["create requests sent / attempts", `${r.createsSent} / ${r.attempts}`],
    ["cycles completed", `${r.completed} of ${r.cycles}`],
    ["backups on the server / known to the client", `${r.serverBackups} / ${r.knownBackups}`],
    ["reconciled creates", r.reconciled],
    ["errors seen (kind: n)", Object.entries(r.errors).map(([k, n]) => `${k}: ${n}`).join(", ") || "none"],
    ["VIOLATION backups the client does not know", r.details.unknownBackups.length],
    ["VIOLATION cycles with two backups", r.details.duplicateCycles.length],
    ["VIOLATION clusters with more backups than cycles", r.details.extraBackups.length],
    ["VIOLATION backups handed to two cycles (a lost create)", r.details.sharedBackups.length],
    ["VIOLATION running jobs nobody was told about", r.details.orphanJobs.length],
    ["VIOLATION backups the client has but the server not", r.details.phantomBackups.length],
    ["VIOLATION cycles given up", r.details.unfinishedCycles.length],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  log(rows.map(([k, val]) => `  ${k.padEnd(w)}  ${val}`).join("\n"));
  for (const [k, list] of Object.entries(r.details)) if (list.length) log(`  ${k}:\n    ${list.slice(0, 20).join("\n    ")}`);
  log(r.violations === 0 ? "soak: OK, nothing lost, nothing duplicated" : `soak: ${r.violations} VIOLATIONS`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cycles: { type: "string", default: "100" },
      clusters: { type: "string", default: "10" },
      rate: { type: "string", default: "0.05" },
      seed: { type: "string", default: "42" },
      json: { type: "boolean", default: false },
    },
  });
  const report = await soak({ cycles: +values.cycles, clusters: +values.clusters, rate: +values.rate, seed: +values.seed });
  if (values.json) console.log(JSON.stringify(report));
  process.exit(report.violations === 0 ? 0 : 1);
}

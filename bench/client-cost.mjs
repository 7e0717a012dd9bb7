// What the client itself costs per call, without the network: the global `fetch` answers a
// canned `Response` at once (the same body the emulator would send), so the CPU time per call is
// the client's work (building the request, the timeout, reading and checking the answer, making
// the result) plus the same stub for everyone. Far less noisy than the loopback benchmark
// (overhead.mjs), where the HTTP stack and the emulator dominate; it shows where the package's
// own cost goes. Clients alternate in one process, each round 4,000 sequential calls; the value
// is the lowest round (the least disturbed by the rest of the machine).
// BENCH_PKGS: a comma-separated list of builds of the package (paths to their node.js) to put
// side by side, e.g. an old build and this one (each labelled by its directory's name, or by
// `label=` before its path; the last is the one compared in the last column); default: this
// checkout's pkg/ (the runtime's entry: lib/package-entry.mjs). BENCH_RESULT_NAME: the results
// file's name (default client-cost).
import { basename, dirname } from "node:path";
import { ROOT, BENCH, writeResult } from "./lib/results.mjs";
import { round } from "./lib/stats.mjs";
import { packageEntry } from "./lib/package-entry.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS_STUB ?? 8);
const CALLS = 4000;
const { BaselineClient } = await import(`${BENCH}baseline/client.mjs`);

const backup = (i) => ({
  backupId: `backup-${i}-abcdef0123456789`, backupName: `Dedicated-01_backup_${i}`, backupType: "CLUSTER", creationMethod: "MANUAL",
  status: "AVAILABLE", size: 1234567 + i, createTime: "2024-08-19T11:29:00Z", expireTime: "2024-08-26T11:29:00Z",
  clusterId: "in01-0123456789abcdef", clusterName: "Dedicated-01", projectId: "proj-0123456789abcdef", regionId: "aws-us-west-2",
});
const JOB_ID = "job-0123456789abcdef";
const ops = {
  describeJob: {
    body: JSON.stringify({ code: 0, data: { jobId: JOB_ID, type: "BACKUP", status: "IN_PROGRESS", progress: "42", startTime: "2024-08-19T11:29:00Z", endTime: null, reason: "" } }),
    call: (c) => c.describeJob(JOB_ID),
    check: (r) => r.jobId === JOB_ID,
  },
  listBackups: {
    body: JSON.stringify({ code: 0, data: { count: 10, currentPage: 1, pageSize: 10, backups: Array.from({ length: 10 }, (_, i) => backup(i)) } }),
    call: (c) => c.listBackups({ pageSize: 10 }),
    check: (r) => r.backups.length === 10,
  },
};

let body = "";
globalThis.fetch = async () => new Response(body, { status: 200, headers: { "content-type": "application/json", RequestId: "r-1" } });

const options = { token: "k-0123456789", baseUrl: "http://127.0.0.1:9" };
const clients = { baseline: new BaselineClient(options), "baseline+timeout": new BaselineClient({ ...options, timeoutMs: 30_000 }) };
const builds = (process.env.BENCH_PKGS ?? packageEntry).split(",");
for (const build of builds) {
  const [, label, path] = build.match(/^(?:([^=/]+)=)?(.+)$/);
  const { BackupClient } = await import(path);
  clients[builds.length === 1 ? "ours" : `ours (${label ?? basename(dirname(path))})`] = new BackupClient({ ...options, requestsPerSecond: 0 });
}
const names = Object.keys(clients);

const results = [];
for (const [op, { body: text, call, check }] of Object.entries(ops)) {
  body = text;
  for (const c of Object.values(clients)) {
    for (let i = 0; i < 1000; i++) if (!check(await call(c))) throw new Error(`${op}: a wrong answer`);
  }
  const best = Object.fromEntries(names.map((n) => [n, Infinity]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const c = clients[name];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) await call(c);
      const cpu = process.cpuUsage(cpu0);
      best[name] = Math.min(best[name], (cpu.user + cpu.system) / CALLS);
    }
  }
  results.push({ op, bodyBytes: text.length, cpuUsPerCall: best });
  console.log(`${op}: ${names.map((n) => `${n} ${round(best[n], 1)} µs`).join(", ")}`);
}

const path = writeResult(process.env.BENCH_RESULT_NAME ?? "client-cost", {
  note: `fetch stubbed (a canned Response); CPU µs per call, the lowest of ${ROUNDS} rounds of ${CALLS} sequential calls`,
  results,
  tables: [
    {
      title: "Client CPU per call with the network stubbed (µs; lower is better)",
      columns: ["call", "body bytes", ...names, "ours − baseline+timeout"],
      rows: results.map((x) => [x.op, x.bodyBytes, ...names.map((n) => round(x.cpuUsPerCall[n], 1)), round(x.cpuUsPerCall[names.at(-1)] - x.cpuUsPerCall["baseline+timeout"], 1)]),
      chart: names,
      chartLabel: ["call"],
    },
  ],
});
console.log(`-> ${path}`);

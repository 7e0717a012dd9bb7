// The worker of bench/overhead-workerd.mjs: one request runs `calls` calls of one client, `c`
// at a time, and answers how long they took (Date.now(): 1 ms steps, so a batch lasts 100 ms or
// more). Both clients send through the global fetch, to the emulator, or with `stub` to a stub
// that answers the emulator's own bodies at once: then only the clients' own work is timed.
import { BackupClient } from "bench-ours";
import { BaselineClient } from "bench-baseline";

// One client of each kind per isolate, made on first use, as a worker keeps them.
const clients = {};

function client(name, env) {
  clients[name] ??=
    name === "ours"
      ? new BackupClient({ token: env.TOKEN, baseUrl: env.TARGET, requestsPerSecond: 0 }) // the baseline has no limiter
      : new BaselineClient({ token: env.TOKEN, baseUrl: env.TARGET, timeoutMs: name === "baselineTimeout" ? 30_000 : undefined });
  return clients[name];
}

export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams;
    const c = client(q.get("client"), env);
    const calls = Number(q.get("calls"));
    // Every answer is checked (the same cheap check for both), so a broken call cannot count.
    const op =
      q.get("op") === "describeJob"
        ? async () => {
            if ((await c.describeJob(env.JOB)).jobId !== env.JOB) throw new Error("describeJob answered another job");
          }
        : async () => {
            if ((await c.listBackups({ pageSize: 10 })).backups.length !== 10) throw new Error("listBackups: not a full page");
          };
    const globalFetch = globalThis.fetch;
    if (q.has("stub")) {
      const body = q.get("op") === "describeJob" ? env.JOB_ANSWER : env.PAGE_ANSWER;
      globalThis.fetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
    }
    try {
      let started = 0;
      const worker = async () => {
        while (started < calls) {
          started++;
          await op();
        }
      };
      const t0 = Date.now();
      await Promise.all(Array.from({ length: Number(q.get("c")) }, worker));
      return Response.json({ ms: Date.now() - t0 });
    } finally {
      globalThis.fetch = globalFetch;
    }
  },
};

// The edge worker: a key-holding Zilliz Cloud API gateway for the dashboard (fetch) and
// scheduled backups with retention (scheduled). See worker/README.md.
import { handleFetch } from "./gateway.js";
import { runSchedule } from "./schedule.js";

// The Durable Object class behind the optional RATE_BUDGET binding (wrangler.toml).
export { RateBudget } from "./budget.js";

export default {
  fetch(request, env) {
    return handleFetch(request, env);
  },

  scheduled(event, env, ctx) {
    // waitUntil keeps the invocation alive until the run (and its KV writes) has finished; a
    // thrown error still marks the invocation as failed in the Cron Triggers log.
    ctx.waitUntil(
      runSchedule(event, env).catch((e) => {
        console.error(`scheduled run failed: ${e?.message ?? e}`);
        throw e;
      }),
    );
  },
};

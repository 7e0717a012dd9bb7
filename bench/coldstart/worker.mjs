// One cold start in a fresh workerd isolate. "bench-client" is aliased at bundle time to ours
// (pkg/workerd.js) or the baseline. Times are Date.now() (1 ms steps; see coldstart.mjs).
import "./worker-t0.mjs";
import { Client } from "bench-client";

const tEvaluated = Date.now();

export default {
  async fetch(request, env) {
    const tHandler = Date.now();
    let tFetch;
    const client = new Client({
      token: "bench-api-key",
      baseUrl: env.TARGET,
      fetch: (...args) => {
        tFetch ??= Date.now();
        return fetch(...args);
      },
    });
    await client.describeJob(new URL(request.url).searchParams.get("job"));
    return Response.json({ t0: globalThis.benchT0, tEvaluated, tHandler, tFetch });
  },
};

// One cold start in a fresh workerd isolate. "bench-client" is aliased at bundle time to ours
// (pkg/workerd.js) or the baseline. Times are Date.now() (1 ms steps; see coldstart.mjs).
// Both clients send through the global fetch, as a worker that passes no `fetch` option does;
// the bench wraps it to see the first request leave (a `fetch` option would cost ours a
// `Request` object per call, which the default path does not build).
import "./worker-t0.mjs";
import { Client } from "bench-client";

const tEvaluated = Date.now();
let tFetch;
const globalFetch = globalThis.fetch;
globalThis.fetch = (...args) => {
  tFetch ??= Date.now();
  return globalFetch(...args);
};

export default {
  async fetch(request, env) {
    const tHandler = Date.now();
    const client = new Client({ token: "bench-api-key", baseUrl: env.TARGET });
    await client.describeJob(new URL(request.url).searchParams.get("job"));
    return Response.json({ t0: globalThis.benchT0, tEvaluated, tHandler, tFetch });
  },
};

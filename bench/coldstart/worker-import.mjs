// The cold-start worker with the client imported inside the first request, so that dispatch →
// the server has the request covers the "import → the first request leaving" in workerd:
// the package's module evaluated (its .wasm instantiated), the client made, describeJob sent.
// worker.mjs imports the client statically, which workerd evaluates while the worker starts,
// before any request. "bench-client" is aliased at bundle time as for worker.mjs, and kept a
// module of its own (esbuild's splitting), which workerd evaluates when it is first imported.
export default {
  async fetch(request, env) {
    const { Client } = await import("bench-client");
    const client = new Client({ token: "bench-api-key", baseUrl: env.TARGET });
    await client.describeJob(new URL(request.url).searchParams.get("job"));
    return new Response("sent");
  },
};
